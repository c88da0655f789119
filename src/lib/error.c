/*
 * error.c - the per-thread last-error record and the error code table.
 *
 * The record lives in fixed-size thread-local buffers, so recording an error
 * (out of memory included) never allocates.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "lib/internal.h"
#include "util/str.h"

struct error_state {
    fgs_error pub;          /* what fgs_error_last() returns */
    char message[512];      /* pub.message */
    char error_code[64];    /* pub.error_code */
    char request_id[128];   /* pub.request_id */
};

static _Thread_local struct error_state state;

static struct error_state *get_state(void)
{
    struct error_state *s = &state;

    s->pub.message = s->message;
    s->pub.error_code = s->error_code;
    s->pub.request_id = s->request_id;
    return s;
}

/*
 * Returns the calling thread's last error; never NULL.
 */
const fgs_error *fgs_error_last(void)
{
    return &get_state()->pub;
}

/*
 * Clears the calling thread's last error.
 */
void fgs_error_clear(void)
{
    struct error_state *s = get_state();

    s->pub.code = 0;
    s->pub.http_status = 0;
    s->message[0] = '\0';
    s->error_code[0] = '\0';
    s->request_id[0] = '\0';
}

/*
 * The default text of an error code.
 */
const char *fgs_strerror(int code)
{
    switch (code) {
    case FGS_OK:
        return "success";
#define XX(name, value, text)                                                                      \
    case FGS_##name:                                                                               \
        return text;
        FGS_ERROR_MAP(XX)
#undef XX
    default:
        return "unknown error";
    }
}

/*
 * Records code with a formatted message (truncated to fit); returns code.
 */
int fgs__error_set(int code, const char *fmt, ...)
{
    struct error_state *s;
    va_list ap;

    fgs_error_clear();
    s = get_state();
    s->pub.code = code;
    va_start(ap, fmt);
    vsnprintf(s->message, sizeof(s->message), fmt, ap);
    va_end(ap);
    return code;
}

/*
 * Records out-of-memory without allocating.
 */
int fgs__error_oom(void)
{
    struct error_state *s;

    fgs_error_clear();
    s = get_state();
    s->pub.code = FGS_ENOMEM;
    fgs__strlcpy(s->message, "out of memory", sizeof(s->message));
    return FGS_ENOMEM;
}

/*
 * Adds HTTP details to the record set by the last fgs__error_set().
 */
void fgs__error_set_http(int http_status, const char *error_code, const char *request_id)
{
    struct error_state *s = get_state();

    s->pub.http_status = http_status;
    fgs__strlcpy(s->error_code, error_code ? error_code : "", sizeof(s->error_code));
    fgs__strlcpy(s->request_id, request_id ? request_id : "", sizeof(s->request_id));
}
