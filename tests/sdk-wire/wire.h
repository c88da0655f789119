/*
 * wire.h - the SDK call table of the wire tests: a call name and JSON
 * arguments in, the SDK's return code and a JSON summary of its result out.
 */
#ifndef FGS_TEST_WIRE_H
#define FGS_TEST_WIRE_H

#include <jansson.h>
#include "fgs/fgs.h"

/* Calls the named SDK operation; *got receives a summary (or NULL). */
int wire_dispatch(fgs_client *c, const char *call, json_t *args, json_t **got);
/* Called right after the SDK call returns, before the summary is built. */
extern void (*wire_after_call)(void);
/* A client on the stub: AK/SK, or the token when not NULL. */
fgs_client *wire_client(const char *token);

#endif
