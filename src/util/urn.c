/*
 * urn.c - parsing of function URNs (full and short forms).
 */
#include <string.h>
#include "util/str.h"
#include "util/urn.h"

static bool urn_char_ok(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-' || c == '.' || c == ':' || c == '!';
}

static int set_field(char *dst, const char *src)
{
    if (!*src || strlen(src) >= FGS_URN_FIELD_MAX || strchr(src, '!'))
        return -1;
    fgs__strlcpy(dst, src, FGS_URN_FIELD_MAX);
    return 0;
}

static int set_qualifier(struct fgs__urn *u, const char *q)
{
    if (*q == '!') {
        u->is_alias = true;
        q++;
    }
    return set_field(u->qualifier, q);
}

int fgs__urn_parse(struct fgs__urn *out, const char *text)
{
    char copy[8 * FGS_URN_FIELD_MAX];
    char *f[9];
    int n = 0;
    char *p;

    memset(out, 0, sizeof(*out));
    if (!text || !*text || strlen(text) >= sizeof(copy))
        return -1;
    for (p = (char *)text; *p; p++)
        if (!urn_char_ok(*p))
            return -1;
    fgs__strlcpy(copy, text, sizeof(copy));
    f[n++] = copy;
    for (p = copy; *p; p++) {
        if (*p == ':') {
            if (n == 9)
                return -1;
            *p = '\0';
            f[n++] = p + 1;
        }
    }
    out->fields = n;
    strcpy(out->package, "default");
    switch (n) {
    case 1:
        return set_field(out->name, f[0]);
    case 2:
        return set_field(out->package, f[0]) || set_field(out->name, f[1]) ? -1 : 0;
    case 3:
    case 4:
        if (set_field(out->project, f[0]) || set_field(out->package, f[1]) ||
            set_field(out->name, f[2]))
            return -1;
        return n == 4 ? set_qualifier(out, f[3]) : 0;
    case 7:
    case 8:
        if (strcmp(f[0], "urn") || strcmp(f[1], "fss") || strcmp(f[4], "function"))
            return -1;
        if (set_field(out->region, f[2]) || set_field(out->project, f[3]) ||
            set_field(out->package, f[5]) || set_field(out->name, f[6]))
            return -1;
        return n == 8 ? set_qualifier(out, f[7]) : 0;
    default:
        return -1;
    }
}

const char *fgs__urn_version(const struct fgs__urn *u)
{
    return u->qualifier[0] ? u->qualifier : "latest";
}
