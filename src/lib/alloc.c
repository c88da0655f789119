/*
 * alloc.c - the SDK's allocation wrappers and the fault-injection hook
 * tests use to walk every allocation failure path.
 *
 * The hook is process-wide and not thread-safe; it exists for single-threaded
 * tests. With the hook off the wrappers are plain malloc/free.
 */
#include <stdlib.h>
#include <string.h>
#include "lib/internal.h"

static unsigned long alloc_count;
static unsigned long fail_at;
static bool fail_sticky;
static bool failed;

/* Counts one allocation; returns true when it must fail. */
static bool should_fail(void)
{
    alloc_count++;
    if (fail_at && (alloc_count == fail_at || (fail_sticky && alloc_count > fail_at))) {
        failed = true;
        return true;
    }
    return false;
}

/*
 * Arms the hook for the nth allocation from now; returns the count of
 * allocations since the previous call.
 */
unsigned long fgs__alloc_fail_at(unsigned long nth, bool sticky)
{
    unsigned long n = alloc_count;

    alloc_count = 0;
    fail_at = nth;
    fail_sticky = sticky;
    failed = false;
    return n;
}

/*
 * Whether the armed failure was hit.
 */
bool fgs__alloc_failed(void)
{
    return failed;
}

/*
 * malloc through the hook. Returns NULL on failure.
 */
void *fgs__malloc(size_t size)
{
    if (should_fail())
        return NULL;
    return malloc(size ? size : 1);
}

/*
 * calloc through the hook (overflow-checked by calloc).
 */
void *fgs__calloc(size_t n, size_t size)
{
    if (should_fail())
        return NULL;
    return calloc(n ? n : 1, size ? size : 1);
}

/*
 * realloc through the hook; on failure ptr is untouched.
 */
void *fgs__realloc(void *ptr, size_t size)
{
    if (should_fail())
        return NULL;
    return realloc(ptr, size ? size : 1);
}

/*
 * strdup through the hook; NULL for NULL.
 */
char *fgs__strdup(const char *s)
{
    return s ? fgs__strndup(s, strlen(s)) : NULL;
}

/*
 * Copies n bytes of s and a NUL.
 */
char *fgs__strndup(const char *s, size_t n)
{
    char *p = fgs__malloc(n + 1);

    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/*
 * free; NULL is a no-op.
 */
void fgs__free(void *ptr)
{
    free(ptr);
}

/*
 * Public release function for memory handed out as plain pointers.
 */
void fgs_free(void *ptr)
{
    free(ptr);
}

/*
 * The library version string.
 */
const char *fgs_version_string(void)
{
    return FGS_VERSION_STRING;
}
