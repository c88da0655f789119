/*
 * torture.c - every successful case of cases.json again, with the Nth
 * allocation of the SDK failing, for N = 1, 2, ... until the call completes
 * without hitting the fault. Each failing run must return FGS_ENOMEM and
 * record it; ASan checks that nothing leaks or crashes on the way out.
 *
 * jansson's own allocations are not routed through the hook: with
 * json_set_alloc_funcs() pointing at it, jansson 2.14 sometimes returns a
 * parsed value after a failed allocation (with a member missing) and, worse,
 * corrupted the heap inside json_loadb() in this test's first version
 * ("free(): invalid next size"). Those are jansson's failure paths, not the
 * SDK's; the SDK maps the failures jansson does report to FGS_ENOMEM.
 */
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/internal.h"
#include "stub.h"
#include "wire.h"

static bool hit;

static void after_call(void)
{
    hit = fgs__alloc_failed();
    fgs__alloc_fail_at(0, false);
}

/* Runs one case under fault injection; returns the number of failed checks. */
static int torture_case(json_t *tc)
{
    const char *name = json_string_value(json_object_get(tc, "name"));
    json_t *replies = json_object_get(tc, "replies"), *v;
    struct stub_reply r[STUB_MAX_REPLIES];
    char *bodies[STUB_MAX_REPLIES], *heads[STUB_MAX_REPLIES];
    fgs_client *c = wire_client(json_string_value(json_object_get(tc, "token")));
    unsigned long n;
    size_t i, nr = 0;
    int bad = 0;

    json_array_foreach(replies, i, v)
    {
        const char *k;
        json_t *hv;
        size_t hl = 0;

        if (nr >= STUB_MAX_REPLIES)
            break;
        memset(&r[nr], 0, sizeof(r[nr]));
        r[nr].status = (int)json_integer_value(json_object_get(v, "status"));
        bodies[nr] = json_object_get(v, "body_raw")
                         ? strdup(json_string_value(json_object_get(v, "body_raw")))
                         : json_dumps(json_object_get(v, "body"), JSON_COMPACT | JSON_ENCODE_ANY);
        r[nr].body = bodies[nr];
        r[nr].body_len = strlen(bodies[nr]);
        heads[nr] = calloc(1, 4096);
        json_object_foreach(json_object_get(v, "headers"), k, hv)
        {
            hl += (size_t)snprintf(heads[nr] + hl, 4096 - hl, "%s: %s\r\n", k,
                                   json_string_value(hv));
        }
        r[nr].headers = heads[nr];
        nr++;
    }
    for (n = 1; n < 5000; n++) {
        json_t *got = NULL;
        int rc;

        stub_set_replies(r, nr);
        hit = false;
        fgs__alloc_fail_at(n, false);
        rc = wire_dispatch(c, json_string_value(json_object_get(tc, "call")),
                           json_object_get(tc, "args"), &got);
        json_decref(got);
        if (!hit) {
            if (rc != 0) {
                printf("#   %s: rc %d without a fault (%s)\n", name, rc,
                       fgs_error_last()->message);
                bad++;
            }
            break;
        }
        if (rc != FGS_ENOMEM || fgs_error_last()->code != FGS_ENOMEM) {
            printf("#   %s: allocation %lu failed but rc %d (%s)\n", name, n, rc,
                   fgs_error_last()->message);
            bad++;
        }
    }
    printf("#   %s: %lu fault points\n", name, n - 1);
    fgs_client_free(c);
    for (i = 0; i < nr; i++) {
        free(bodies[i]);
        free(heads[i]);
    }
    return bad;
}

int main(int argc, char **argv)
{
    const char *src = getenv("FGS_SOURCE_DIR");
    char path[1024];
    json_t *cases, *tc;
    size_t i;
    int n = 0, total = 0;

    snprintf(path, sizeof(path), "%s/tests/sdk-wire/cases.json", src ? src : ".");
    cases = json_load_file(argc > 1 ? argv[1] : path, 0, NULL);
    if (!cases || fgs_global_init() < 0 || stub_start("fgsTestSecretKey0000000000000000000000SK") < 0) {
        printf("Bail out! cannot load %s or start the stub\n", path);
        return 1;
    }
    wire_after_call = after_call;
    json_array_foreach(cases, i, tc)
    {
        json_t *res = json_object_get(tc, "result");
        int bad;

        if (json_object_get(res, "rc") || json_object_get(tc, "request_count"))
            continue;
        bad = torture_case(tc);
        total += bad;
        printf("%s %d - ENOMEM walk: %s\n", bad ? "not ok" : "ok", ++n,
               json_string_value(json_object_get(tc, "name")));
    }
    printf("1..%d\n", n);
    fgs__alloc_fail_at(0, false);
    stub_stop();
    json_decref(cases);
    fgs_global_shutdown();
    return total ? 1 : 0;
}
