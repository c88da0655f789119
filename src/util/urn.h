/*
 * urn.h - FunctionGraph function URNs and their short forms.
 *
 *   urn:fss:<region>:<project>:function:<package>:<name>[:<version>|:!<alias>]
 *
 * Short forms (1-4 fields) are accepted where a path takes a function URN:
 * name; package:name; project:package:name; project:package:name:qualifier.
 */
#ifndef FGS_UTIL_URN_H
#define FGS_UTIL_URN_H

#include <stdbool.h>

#define FGS_URN_FIELD_MAX 128

struct fgs__urn {
    char region[FGS_URN_FIELD_MAX];    /* empty for short forms */
    char project[FGS_URN_FIELD_MAX];   /* empty when not given (1 and 2 fields) */
    char package[FGS_URN_FIELD_MAX];   /* "default" when not given */
    char name[FGS_URN_FIELD_MAX];      /* function name */
    char qualifier[FGS_URN_FIELD_MAX]; /* version or alias name, without '!'; empty if none */
    bool is_alias;                     /* qualifier was written with '!' */
    int fields;                        /* how many fields the text had */
};

/*
 * Parses a decoded URN path segment. Returns 0, or -1 when the text is not a
 * URN of a valid shape (wrong field count, wrong literals, characters outside
 * [A-Za-z0-9_.:!-], empty fields, '!' anywhere but the start of the qualifier).
 * Name rules for each part are checked by the caller.
 */
int fgs__urn_parse(struct fgs__urn *out, const char *text);

/* The qualifier, or "latest" when there is none. */
const char *fgs__urn_version(const struct fgs__urn *u);

#endif
