/*
 * router.c - the route table of the FunctionGraph v2 API and path parsing.
 *
 * Paths are matched on percent-decoded segments, so a URN may arrive raw
 * (urn:fss:...:!dev) or escaped (urn%3Afss%3A...%3A%21dev). The legacy
 * /v1.0/{project}/fss/... prefix routes exactly like /v2/{project}/fgs/....
 */
#include <stdlib.h>
#include <string.h>
#include "api/api.h"
#include "http/http.h"
#include "util/str.h"

#define KB ((size_t)1024)
#define MB (KB * KB)

/* Code uploads: a 50 MB package is ~67 MB in base64, plus the JSON around it. */
#define CODE_BODY_CAP (72 * MB)
#define SMALL_BODY_CAP (1 * MB)

static const struct srv_route routes[] = {
    { "GET", "functions", api_function_list, 0 },
    { "POST", "functions", api_function_create, CODE_BODY_CAP },
    { "DELETE", "functions/*", api_function_delete, SMALL_BODY_CAP },
    { "GET", "functions/*/config", api_function_get_config, 0 },
    { "PUT", "functions/*/config", api_function_update_config, SMALL_BODY_CAP },
    { "GET", "functions/*/code", api_function_get_code, 0 },
    { "PUT", "functions/*/code", api_function_update_code, CODE_BODY_CAP },
    { "GET", "functions/*/versions", api_version_list, 0 },
    { "POST", "functions/*/versions", api_version_publish, SMALL_BODY_CAP },
    { "GET", "functions/*/aliases", api_alias_list, 0 },
    { "POST", "functions/*/aliases", api_alias_create, SMALL_BODY_CAP },
    { "GET", "functions/*/aliases/*", api_alias_get, 0 },
    { "PUT", "functions/*/aliases/*", api_alias_update, SMALL_BODY_CAP },
    { "DELETE", "functions/*/aliases/*", api_alias_delete, SMALL_BODY_CAP },
    { "POST", "functions/*/invocations", api_invoke_sync, 6 * MB },
    { "POST", "functions/*/invocations-async", api_invoke_async, 256 * KB },
    { "GET", "functions/*/async-invoke-config", api_async_config_get, 0 },
    { "PUT", "functions/*/async-invoke-config", api_async_config_put, SMALL_BODY_CAP },
    { "DELETE", "functions/*/async-invoke-config", api_async_config_delete, SMALL_BODY_CAP },
    { "GET", "functions/*/async-invocations", api_async_invocation_list, 0 },
    { "POST", "functions/*/cancel", api_async_cancel, SMALL_BODY_CAP },
    { "PUT", "functions/*/config-max-instance", api_max_instance_put, SMALL_BODY_CAP },
    { "PUT", "functions/*/reservedinstances", api_reserved_put, SMALL_BODY_CAP },
    { "GET", "triggers/*", api_trigger_list, 0 },
    { "POST", "triggers/*", api_trigger_create, SMALL_BODY_CAP },
    { "DELETE", "triggers/*", api_trigger_delete_all, SMALL_BODY_CAP },
    { "GET", "triggers/*/*/*", api_trigger_get, 0 },
    { "PUT", "triggers/*/*/*", api_trigger_update, SMALL_BODY_CAP },
    { "DELETE", "triggers/*/*/*", api_trigger_delete, SMALL_BODY_CAP },
    { "GET", "quotas", api_quotas_get, 0 },
};

static int pattern_matches(const char *pattern, char *const *seg, int nseg)
{
    const char *p = pattern;
    int i = 0;

    while (*p) {
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);

        if (i >= nseg)
            return 0;
        if (!(len == 1 && *p == '*') && (strlen(seg[i]) != len || memcmp(seg[i], p, len)))
            return 0;
        i++;
        p += len;
        if (*p == '/')
            p++;
    }
    return i == nseg;
}

const struct srv_route *srv_route_find(const char *method, char *const *seg, int nseg,
                                       int *method_mismatch)
{
    size_t i;

    *method_mismatch = 0;
    for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
        if (!pattern_matches(routes[i].pattern, seg, nseg))
            continue;
        if (strcmp(routes[i].method, method) == 0)
            return &routes[i];
        *method_mismatch = 1;
    }
    return NULL;
}

static char *decode_dup(const char *s, size_t len, bool plus)
{
    char *out = malloc(len + 1);

    if (!out)
        return NULL;
    if (fgs__pct_decode(out, s, len, plus) < 0) {
        free(out);
        return NULL;
    }
    return out;
}

static int parse_query(struct srv_request *req, const char *q)
{
    while (*q) {
        const char *amp = strchr(q, '&');
        size_t len = amp ? (size_t)(amp - q) : strlen(q);
        const char *eq = memchr(q, '=', len);
        size_t klen = eq ? (size_t)(eq - q) : len;

        if (len > 0) {
            struct srv_query_param *p;

            if (req->nquery == SRV_MAX_QUERY)
                return -2;
            p = &req->query[req->nquery];
            p->key = decode_dup(q, klen, true);
            p->value = eq ? decode_dup(eq + 1, len - klen - 1, true) : strdup("");
            if (!p->key || !p->value) {
                free(p->key);
                free(p->value);
                return -2;
            }
            req->nquery++;
        }
        q += len;
        if (*q == '&')
            q++;
    }
    return 0;
}

/* Project ids: 1-64 letters, digits, '-' or '_' (FunctionGraph's are 32 hex characters). */
static bool project_ok(const char *p)
{
    size_t n = strlen(p), i;

    if (n == 0 || n > 64)
        return false;
    for (i = 0; i < n; i++) {
        char c = p[i];

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return false;
    }
    return true;
}

int srv_request_parse_target(struct srv_request *req, const char *target)
{
    const char *qmark = strchr(target, '?');
    size_t plen = qmark ? (size_t)(qmark - target) : strlen(target);
    char *parts[SRV_MAX_SEGS + 3];
    int n = 0, i;
    const char *p = target;
    const char *end = target + plen;

    if (plen == 0 || *p != '/')
        return -1;
    p++;
    while (p <= end) {
        const char *slash = memchr(p, '/', (size_t)(end - p));
        size_t len = slash ? (size_t)(slash - p) : (size_t)(end - p);

        if (!slash && len == 0 && n > 0)
            break; /* one trailing slash is tolerated */
        if (n == SRV_MAX_SEGS + 3)
            goto too_many;
        parts[n] = decode_dup(p, len, false);
        if (!parts[n] || strchr(parts[n], '/'))
            goto bad_escape;
        n++;
        if (!slash)
            break;
        p = slash + 1;
    }
    if (n < 4 || !((strcmp(parts[0], "v2") == 0 && strcmp(parts[2], "fgs") == 0) ||
                   (strcmp(parts[0], "v1.0") == 0 && strcmp(parts[2], "fss") == 0)))
        goto outside;
    if (!project_ok(parts[1]))
        goto outside;
    req->legacy = parts[0][1] == '1';
    fgs__strlcpy(req->project, parts[1], sizeof(req->project));
    for (i = 3; i < n; i++)
        req->seg[req->nseg++] = parts[i];
    free(parts[0]);
    free(parts[1]);
    free(parts[2]);
    if (qmark && parse_query(req, qmark + 1) < 0)
        return -2;
    return 0;

bad_escape:
    if (n < SRV_MAX_SEGS + 3 && parts[n])
        free(parts[n]);
    for (i = 0; i < n; i++)
        free(parts[i]);
    return -2;
too_many:
outside:
    for (i = 0; i < n; i++)
        free(parts[i]);
    return -1;
}

void srv_request_free_parsed(struct srv_request *req)
{
    int i;

    for (i = 0; i < req->nseg; i++)
        free(req->seg[i]);
    req->nseg = 0;
    for (i = 0; i < req->nquery; i++) {
        free(req->query[i].key);
        free(req->query[i].value);
    }
    req->nquery = 0;
}

const char *srv_query(const struct srv_request *req, const char *key)
{
    int i;

    for (i = 0; i < req->nquery; i++)
        if (strcmp(req->query[i].key, key) == 0)
            return req->query[i].value;
    return NULL;
}
