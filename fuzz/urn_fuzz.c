/*
 * urn_fuzz.c - the URN parser. Invariants: a parsed URN has a non-empty
 * name and package, no field contains ':' or '!', the field count is one of
 * the accepted forms, and re-assembling the parsed fields parses back to the
 * same result.
 */
#include "fuzz.h"
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "util/urn.h"


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char text[1200], again[1200];
    struct fgs__urn u, v;

    if (size >= sizeof(text))
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    if (fgs__urn_parse(&u, text) < 0)
        return 0;
    FUZZ_CHECK(u.name[0] && u.package[0]);
    FUZZ_CHECK(!strpbrk(u.name, ":!") && !strpbrk(u.package, ":!") && !strpbrk(u.project, ":!"));
    FUZZ_CHECK(!strpbrk(u.qualifier, ":!") && !strpbrk(u.region, ":!"));
    FUZZ_CHECK(u.fields == 1 || u.fields == 2 || u.fields == 3 || u.fields == 4 || u.fields == 7 ||
           u.fields == 8);
    FUZZ_CHECK(u.is_alias ? u.qualifier[0] != '\0' : 1);
    if (u.fields >= 7)
        snprintf(again, sizeof(again), "urn:fss:%s:%s:function:%s:%s%s%s%s", u.region, u.project,
                 u.package, u.name, u.qualifier[0] ? ":" : "", u.is_alias ? "!" : "",
                 u.qualifier);
    else if (u.fields >= 3)
        snprintf(again, sizeof(again), "%s:%s:%s%s%s%s", u.project, u.package, u.name,
                 u.qualifier[0] ? ":" : "", u.is_alias ? "!" : "", u.qualifier);
    else
        return 0;
    FUZZ_CHECK(fgs__urn_parse(&v, again) == 0);
    FUZZ_CHECK(strcmp(u.name, v.name) == 0 && strcmp(u.package, v.package) == 0);
    FUZZ_CHECK(strcmp(u.qualifier, v.qualifier) == 0 && u.is_alias == v.is_alias);
    return 0;
}
