/*
 * buf.h - a growable byte buffer that always stays NUL-terminated.
 *
 * A zeroed struct fgs__buf is an empty buffer. Append functions return 0 or
 * -1 when memory runs out; the buffer is left as it was on failure.
 */
#ifndef FGS_UTIL_BUF_H
#define FGS_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct fgs__buf {
    char *ptr;  /* contents, NUL-terminated when cap > 0 */
    size_t len; /* bytes used, not counting the NUL */
    size_t cap; /* bytes allocated */
};

#define FGS__BUF_INIT { NULL, 0, 0 }

int fgs__buf_grow(struct fgs__buf *b, size_t extra);
int fgs__buf_put(struct fgs__buf *b, const void *data, size_t len);
int fgs__buf_puts(struct fgs__buf *b, const char *s);
int fgs__buf_putc(struct fgs__buf *b, char c);
int fgs__buf_printf(struct fgs__buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int fgs__buf_vprintf(struct fgs__buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
void fgs__buf_clear(struct fgs__buf *b);
/* Hands the contents to the caller (free() them) and resets the buffer. */
char *fgs__buf_detach(struct fgs__buf *b);
void fgs__buf_dispose(struct fgs__buf *b);

#endif
