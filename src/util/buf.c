/*
 * buf.c - growable NUL-terminated byte buffer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/buf.h"

int fgs__buf_grow(struct fgs__buf *b, size_t extra)
{
    size_t need, cap;
    char *p;

    if (extra > (size_t)-1 / 2 - b->len)
        return -1;
    need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    p = realloc(b->ptr, cap);
    if (!p)
        return -1;
    b->ptr = p;
    b->cap = cap;
    return 0;
}

int fgs__buf_put(struct fgs__buf *b, const void *data, size_t len)
{
    if (fgs__buf_grow(b, len) < 0)
        return -1;
    if (len)
        memcpy(b->ptr + b->len, data, len);
    b->len += len;
    b->ptr[b->len] = '\0';
    return 0;
}

int fgs__buf_puts(struct fgs__buf *b, const char *s)
{
    return fgs__buf_put(b, s, strlen(s));
}

int fgs__buf_putc(struct fgs__buf *b, char c)
{
    return fgs__buf_put(b, &c, 1);
}

int fgs__buf_vprintf(struct fgs__buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    int n;

    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0 || fgs__buf_grow(b, (size_t)n) < 0)
        return -1;
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return 0;
}

int fgs__buf_printf(struct fgs__buf *b, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = fgs__buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

void fgs__buf_clear(struct fgs__buf *b)
{
    b->len = 0;
    if (b->ptr)
        b->ptr[0] = '\0';
}

char *fgs__buf_detach(struct fgs__buf *b)
{
    char *p = b->ptr;

    if (!p)
        p = calloc(1, 1);
    b->ptr = NULL;
    b->len = b->cap = 0;
    return p;
}

void fgs__buf_dispose(struct fgs__buf *b)
{
    if (!b)
        return;
    free(b->ptr);
    b->ptr = NULL;
    b->len = b->cap = 0;
}
