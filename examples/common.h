/*
 * common.h - shared by the examples: a client from the environment
 * (FGS_ENDPOINT or FGS_REGION, FGS_PROJECT_ID, optional FGS_AK/FGS_SK or
 * FGS_TOKEN) and error reporting.
 */
#ifndef FGS_EXAMPLE_COMMON_H
#define FGS_EXAMPLE_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <fgs/fgs.h>

/* Prints the last libfgs error and returns 1. */
static inline int fail(const char *what)
{
    const fgs_error *e = fgs_error_last();

    fprintf(stderr, "%s: %s%s%s (HTTP %d)\n", what, e->error_code, e->error_code[0] ? ": " : "",
            e->message, e->http_status);
    return 1;
}

/* Creates a client from the environment; exits on failure. */
static inline fgs_client *client_from_env(void)
{
    fgs_client_options o = FGS_CLIENT_OPTIONS_INIT;
    fgs_client *c = NULL;

    o.endpoint = getenv("FGS_ENDPOINT");
    o.region = getenv("FGS_REGION");
    o.project_id = getenv("FGS_PROJECT_ID");
    o.ak = getenv("FGS_AK");
    o.sk = getenv("FGS_SK");
    o.auth_token = getenv("FGS_TOKEN");
    if (fgs_client_new(&c, &o) < 0)
        exit(fail("fgs_client_new"));
    return c;
}

#endif
