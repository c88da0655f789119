/*
 * str.c - bounded copies, strict integer parsing and percent-decoding.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "util/str.h"

size_t fgs__strlcpy(char *dst, const char *src, size_t size)
{
    size_t n = strlen(src);

    if (size) {
        size_t c = n < size - 1 ? n : size - 1;
        memcpy(dst, src, c);
        dst[c] = '\0';
    }
    return n;
}

int fgs__parse_int64(const char *s, int64_t min, int64_t max, int64_t *out)
{
    char *end;
    long long v;

    if (!s || !*s || (*s != '-' && (*s < '0' || *s > '9')))
        return -1;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

long fgs__pct_decode(char *dst, const char *src, size_t len, bool plus_is_space)
{
    size_t i, o = 0;

    for (i = 0; i < len; i++) {
        char c = src[i];

        if (c == '%') {
            int h, l;

            if (i + 2 >= len)
                return -1;
            h = hexval(src[i + 1]);
            l = hexval(src[i + 2]);
            if (h < 0 || l < 0 || (h == 0 && l == 0))
                return -1;
            dst[o++] = (char)(h * 16 + l);
            i += 2;
        } else if (c == '+' && plus_is_space) {
            dst[o++] = ' ';
        } else {
            dst[o++] = c;
        }
    }
    dst[o] = '\0';
    return (long)o;
}

char *fgs__strdup0(const char *s)
{
    return s ? strdup(s) : NULL;
}

bool fgs__str_has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}
