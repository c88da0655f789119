/*
 * str.h - small string helpers: bounded copies, strict integer parsing,
 * percent-decoding.
 */
#ifndef FGS_UTIL_STR_H
#define FGS_UTIL_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Copies at most size-1 bytes and always terminates; returns strlen(src). */
size_t fgs__strlcpy(char *dst, const char *src, size_t size);

/*
 * Parses a whole string as a base-10 integer in [min, max]. Leading or
 * trailing junk, empty strings and overflow fail. Returns 0 or -1.
 */
int fgs__parse_int64(const char *s, int64_t min, int64_t max, int64_t *out);

/*
 * Percent-decodes len bytes of src into dst (which has room for len+1).
 * plus_is_space turns '+' into ' ' (query strings). Returns the decoded
 * length, or -1 on a malformed escape or an escaped NUL.
 */
long fgs__pct_decode(char *dst, const char *src, size_t len, bool plus_is_space);

/* strdup that returns NULL for NULL. */
char *fgs__strdup0(const char *s);

bool fgs__str_has_prefix(const char *s, const char *prefix);

#endif
