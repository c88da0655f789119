/*
 * common.h - what the API handlers share: resolving a function URN from the
 * path to a stored version, rendering function objects, pagination and
 * field validation helpers.
 */
#ifndef SRV_API_COMMON_H
#define SRV_API_COMMON_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "http/request.h"
#include "store/store.h"
#include "util/urn.h"

/* A function URN from a path, resolved against the store. */
struct api_fn {
    struct fgs__urn urn;    /* as parsed (project filled from the path if absent) */
    char qualifier[128];    /* the URN's qualifier, "" when unqualified */
    char alias[128];        /* the alias name when the URN named one */
    char version[128];      /* the version it resolves to ("latest" when unqualified) */
    struct srv_alias al;    /* the alias row when alias[0] */
    struct srv_fnver fv;    /* the row of version */
};

enum {
    API_FN_NO_ALIAS = 1 << 0, /* an alias qualifier is an error (FSS.0400) */
};

/*
 * Parses urn_text (a decoded path segment), checks its project against the
 * path's, follows an alias to its version, and loads that version's row.
 * On failure answers the request (400 bad URN, 403 other project, 404
 * FSS.1051/1052/1053) and returns -1. Dispose with api_fn_dispose().
 */
int api_fn_load(struct srv_request *req, const char *urn_text, unsigned flags,
                struct api_fn *out);
void api_fn_dispose(struct api_fn *f);

/* Full URN text: qualifier NULL or "" gives the unqualified 7-field form. */
void api_urn(char *out, size_t size, struct srv_server *srv, const char *project,
             const char *package, const char *name, const char *qualifier, bool alias);

enum api_urn_style {
    API_URN_QUALIFIED, /* func_urn ends with :<version> (create/get/update/publish) */
    API_URN_PLAIN,     /* func_urn without qualifier (list items) */
};

/*
 * The FunctionGraph function object for a stored version row: the stored
 * configuration plus the derived fields (func_urn, cpu, digest, ...).
 * Returns a new reference or NULL when out of memory.
 */
json_t *api_function_json(struct srv_server *srv, const struct srv_fnver *fv,
                          enum api_urn_style style);

/*
 * Reads marker/maxitems (or the given names) from the query: marker default
 * 0, page size default and cap 400 (0 or > 400 means 400). On a negative or
 * non-numeric value answers 400 FSS.1001 and returns -1.
 */
int api_page_params(struct srv_request *req, const char *marker_key, const char *size_key,
                    int64_t *offset, int64_t *limit);

/* Answers 500 for a store failure that is not one of the expected codes. */
void api_fail_store(struct srv_request *req, int rc);

/* Characters (UTF-8 code points, not bytes) in s. */
size_t api_utf8_chars(const char *s);

/* Name rules: 1..max chars, a letter first, letters/digits/_/- then, letter or digit last. */
bool api_name_ok(const char *s, size_t max);
/* Version names: 1..42 of [A-Za-z0-9._-], alphanumeric at both ends. */
bool api_version_name_ok(const char *s);

/*
 * Typed field getters for request objects. Each returns 0 when the field is
 * absent (leaving *out alone), 1 when present and of the right type, and -1
 * when present with the wrong type.
 */
int api_get_str(json_t *obj, const char *key, const char **out);
int api_get_int(json_t *obj, const char *key, int64_t *out);
int api_get_bool(json_t *obj, const char *key, bool *out);

#endif
