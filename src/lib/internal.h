/*
 * internal.h - libfgs internals shared by the files of src/lib: the
 * allocator with its fault-injection hook, error recording, the HTTP request
 * helper and JSON helpers. Nothing here is exported from libfgs.so.
 */
#ifndef FGS_LIB_INTERNAL_H
#define FGS_LIB_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include "fgs/fgs.h"
#include "util/buf.h"

/* ---- alloc.c ---- */

/*
 * Allocation wrappers. All SDK allocations go through these so a test can
 * make the Nth one fail (fgs__alloc_fail_at). Memory is plain malloc memory.
 */
void *fgs__malloc(size_t size);
void *fgs__calloc(size_t n, size_t size);
void *fgs__realloc(void *ptr, size_t size);
char *fgs__strdup(const char *s);
char *fgs__strndup(const char *s, size_t n);
void fgs__free(void *ptr);

/*
 * Test hook: make the nth allocation from now fail (1 = the next one), and
 * every one after it while sticky is true; 0 disables. Returns how many
 * allocations happened since the last call.
 */
unsigned long fgs__alloc_fail_at(unsigned long nth, bool sticky);
/* Whether an injected allocation failure happened since fgs__alloc_fail_at(). */
bool fgs__alloc_failed(void);

#define FGS_FREE(p)                                                                                \
    do {                                                                                           \
        fgs__free(p);                                                                              \
        (p) = NULL;                                                                                \
    } while (0)

/* ---- error.c ---- */

/* Records code and a formatted message; returns code. */
int fgs__error_set(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Records FGS_ENOMEM without allocating; returns FGS_ENOMEM. */
int fgs__error_oom(void);
/* Adds the HTTP details of a server reply to the last error. */
void fgs__error_set_http(int http_status, const char *error_code, const char *request_id);

/* Invalid-argument check at the entry of a public function. */
#define FGS_ASSERT_ARG(expr)                                                                       \
    do {                                                                                           \
        if (!(expr))                                                                               \
            return fgs__error_set(FGS_EINVALID, "invalid argument: %s", #expr);                    \
    } while (0)

/* ---- client.c: requests ---- */

/* A query parameter; NULL values are skipped. */
struct fgs__qp {
    const char *key;
    const char *value;
};

/* An extra request header (signed along with the standard ones). */
struct fgs__hdr {
    const char *name;
    const char *value;
};

/* A reply: status, body and the response headers. */
struct fgs__resp {
    long status;             /* HTTP status */
    struct fgs__buf body;    /* body bytes */
    char **hdr_names;        /* lower-case names */
    char **hdr_values;       /* values, trimmed */
    size_t nhdrs;            /* number of headers */
    size_t hdr_cap;          /* allocated slots */
    int oom;                 /* a header or body could not be stored */
};

/* One request to make. path is relative to /v2/{project}/fgs and already encoded. */
struct fgs__req {
    const char *method;
    const char *path;
    const struct fgs__qp *params;
    size_t nparams;
    const struct fgs__hdr *headers;
    size_t nheaders;
    const char *body;
    size_t body_len;
};

/*
 * Sends req and reads the reply into resp (zeroed by the caller). Returns 0
 * for a 2xx reply; otherwise records the error (server body, transport
 * failure) and returns its FGS_E* code.
 */
int fgs__call(fgs_client *c, const struct fgs__req *req, struct fgs__resp *resp);
void fgs__resp_dispose(struct fgs__resp *resp);
/* A response header by lower-case name, or NULL. */
const char *fgs__resp_header(const struct fgs__resp *resp, const char *lname);

/*
 * Appends '/' and seg to path, percent-encoding what does not belong in a
 * path segment (URN characters ':' and '!' stay raw, as the official SDKs
 * send them). FGS_EINVALID for NULL or empty seg.
 */
int fgs__path_seg(struct fgs__buf *path, const char *what, const char *seg);
/* Appends a literal path piece. */
int fgs__path_lit(struct fgs__buf *path, const char *lit);

/* ---- json.c ---- */

/* Parses the reply body as a JSON value of the given type (JSON_OBJECT, JSON_ARRAY). */
int fgs__reply_json(json_t **out, const struct fgs__resp *resp, json_type type);
/* *dst = copy of the string member key (NULL when absent or not a string). */
int fgs__jstr(char **dst, json_t *obj, const char *key);
/* *dst = compact JSON text of member key (NULL when absent or null). */
int fgs__jdump(char **dst, json_t *obj, const char *key);
/* Integer member (integers, reals and numeric strings), def when absent. */
int64_t fgs__jint(json_t *obj, const char *key, int64_t def);
/* Compact text of a whole value into *dst. */
int fgs__jtext(char **dst, json_t *v);
/* Copies the reply body into a NUL-terminated string. */
int fgs__body_dup(char **dst, const struct fgs__resp *resp);
/* Sets key to a copy of s when s is not NULL. */
int fgs__jset_str(json_t *obj, const char *key, const char *s);
/* Sets key to an integer. */
int fgs__jset_int(json_t *obj, const char *key, int64_t v);
/* Parses text as JSON (what names the option in errors); type 0 accepts any. */
int fgs__jparse(json_t **out, const char *what, const char *text, json_type type, bool any);
/* Merges the members of a JSON object text into obj. */
int fgs__jmerge(json_t *obj, const char *extra_json);
/* Serializes obj compactly into *out (fgs__free). */
int fgs__jencode(char **out, json_t *obj);
/* Adds "func_code": {"file": base64(code)} when code_len > 0. */
int fgs__jset_code(json_t *obj, const void *code, size_t code_len);

/*
 * Sends req, then parses a 2xx reply body as JSON of the given type into
 * *root and copies the body text into *raw (either may be NULL on failure).
 */
int fgs__call_json(fgs_client *c, const struct fgs__req *req, json_type type, json_t **root,
                   char **raw);
/* Sends req and discards the reply body (DELETE and the like). */
int fgs__call_no_reply(fgs_client *c, const struct fgs__req *req);
/* Builds "/functions/{urn}" + suffix (NULL for none). */
int fgs__function_path(struct fgs__buf *path, const char *urn, const char *suffix);

/* Parsers from a JSON object into the public structs (contents only). */
int fgs__function_from_json(struct fgs_function *fn, json_t *obj);
void fgs__function_clear(struct fgs_function *fn);
int fgs__page_from_reply(struct fgs_function_page **out, const struct fgs__resp *resp,
                         const char *key);

#endif
