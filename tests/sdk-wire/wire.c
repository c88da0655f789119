/*
 * wire.c - data-driven SDK wire tests (cases.json): for each case, set the
 * stub's canned replies, make one SDK call, then assert the exact requests
 * that went out (method, raw path, query, the headers that matter, the JSON
 * body, a signature that verifies) and the SDK's result or error record.
 * A few behaviours that need more than one call (keep-alive, retries) are
 * plain tests below the case runner.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fgs/fgs.h"
#include "stub.h"
#include "wire.h"

#define PROJECT "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
#define AK "HPUAFGSTESTAK0000001"
#define SK "fgsTestSecretKey0000000000000000000000SK"

static int failures;

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            failures++;                                                                            \
            printf("#   %s:%d: ", __FILE__, __LINE__);                                             \
            printf(__VA_ARGS__);                                                                   \
            printf("\n");                                                                          \
            ok = false;                                                                            \
        }                                                                                          \
    } while (0)

/* Fills stub replies from the case's "replies" array; strings stay owned by the case. */
static size_t load_replies(struct stub_reply *r, json_t *arr, char **bodies, char **heads)
{
    json_t *v;
    size_t i, n = 0;

    json_array_foreach(arr, i, v)
    {
        json_t *body = json_object_get(v, "body"), *raw = json_object_get(v, "body_raw");
        json_t *h = json_object_get(v, "headers");
        const char *k;
        json_t *hv;
        size_t hl = 0;

        if (n >= STUB_MAX_REPLIES)
            break;
        memset(&r[n], 0, sizeof(r[n]));
        r[n].status = (int)json_integer_value(json_object_get(v, "status"));
        r[n].drop = json_is_true(json_object_get(v, "drop"));
        r[n].truncate = json_is_true(json_object_get(v, "truncate"));
        bodies[n] = raw ? strdup(json_string_value(raw))
                        : body ? json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY) : strdup("");
        r[n].body = bodies[n];
        r[n].body_len = strlen(bodies[n]);
        heads[n] = calloc(1, 4096);
        json_object_foreach(h, k, hv)
        {
            hl += (size_t)snprintf(heads[n] + hl, 4096 - hl, "%s: %s\r\n", k,
                                   json_string_value(hv));
        }
        r[n].headers = heads[n];
        n++;
    }
    return n;
}

/* Compares expected JSON (subset semantics for objects) with actual. */
static bool json_subset(json_t *want, json_t *got)
{
    const char *k;
    json_t *v;

    if (json_is_object(want)) {
        if (!json_is_object(got))
            return false;
        json_object_foreach(want, k, v)
        {
            if (!json_subset(v, json_object_get(got, k)))
                return false;
        }
        return true;
    }
    return json_equal(want, got);
}

/* Checks one recorded request against an "expect" object. */
static bool check_request(const char *name, size_t idx, json_t *exp)
{
    const struct stub_request *r = stub_request(idx);
    json_t *hdrs = json_object_get(exp, "headers"), *absent = json_object_get(exp, "absent");
    json_t *body = json_object_get(exp, "body"), *v;
    const char *k, *q = json_string_value(json_object_get(exp, "query"));
    bool ok = true;
    size_t i;

    CHECK(r != NULL, "%s: request %zu was not sent", name, idx);
    if (!r)
        return false;
    CHECK(strcmp(r->method, json_string_value(json_object_get(exp, "method"))) == 0,
          "%s: method %s", name, r->method);
    CHECK(strcmp(r->path, json_string_value(json_object_get(exp, "path"))) == 0, "%s: path %s",
          name, r->path);
    CHECK(strcmp(r->query, q ? q : "") == 0, "%s: query '%s'", name, r->query);
    json_object_foreach(hdrs, k, v)
    {
        const char *got = stub_header(r, k);

        CHECK(got && strcmp(got, json_string_value(v)) == 0, "%s: header %s = '%s'", name, k,
              got ? got : "(absent)");
    }
    json_array_foreach(absent, i, v)
    {
        CHECK(!stub_header(r, json_string_value(v)), "%s: header %s must be absent", name,
              json_string_value(v));
    }
    if (json_is_null(body) || (body == NULL && json_object_get(exp, "empty_body"))) {
        CHECK(r->body_len == 0, "%s: body must be empty, got '%s'", name, r->body);
    } else if (body) {
        json_t *got = json_loads(r->body, 0, NULL);

        CHECK(got && json_equal(got, body), "%s: body %s", name, r->body);
        json_decref(got);
    }
    if (json_is_string(json_object_get(exp, "body_raw")))
        CHECK(strcmp(r->body, json_string_value(json_object_get(exp, "body_raw"))) == 0,
              "%s: raw body '%s'", name, r->body);
    if (!json_is_false(json_object_get(exp, "signed")))
        CHECK(r->sig == 0, "%s: signature does not verify (%d)", name, r->sig);
    return ok;
}

/* Maps "ENOTFOUND" style names to codes. */
static int code_of(const char *name)
{
#define XX(n, value, text)                                                                         \
    if (strcmp(name, #n) == 0)                                                                     \
        return FGS_##n;
    FGS_ERROR_MAP(XX)
#undef XX
    return 0;
}

/* Runs one case; returns true when every check passed. */
static bool run_case(json_t *tc)
{
    const char *name = json_string_value(json_object_get(tc, "name"));
    json_t *exp = json_object_get(tc, "expect"), *res = json_object_get(tc, "result");
    json_t *requests = json_object_get(tc, "requests");
    struct stub_reply r[STUB_MAX_REPLIES];
    char *bodies[STUB_MAX_REPLIES] = { 0 }, *heads[STUB_MAX_REPLIES] = { 0 };
    const char *token = json_string_value(json_object_get(tc, "token"));
    const char *want_rc = json_string_value(json_object_get(res, "rc"));
    fgs_client *c = wire_client(token);
    json_t *got = NULL, *v;
    bool ok = true;
    size_t n, i;
    int rc;

    n = load_replies(r, json_object_get(tc, "replies"), bodies, heads);
    stub_set_replies(r, n);
    fgs_error_clear();
    rc = wire_dispatch(c, json_string_value(json_object_get(tc, "call")),
                       json_object_get(tc, "args"), &got);
    CHECK(rc == (want_rc ? code_of(want_rc) : 0), "%s: rc %d (%s: %s)", name, rc,
          fgs_strerror(rc), fgs_error_last()->message);
    if (rc < 0) {
        const fgs_error *e = fgs_error_last();
        json_t *st = json_object_get(res, "http_status");
        const char *fss = json_string_value(json_object_get(res, "error_code"));
        const char *msg = json_string_value(json_object_get(res, "message"));
        const char *rid = json_string_value(json_object_get(res, "request_id"));

        CHECK(e->code == rc, "%s: last error code %d", name, e->code);
        CHECK(!st || e->http_status == json_integer_value(st), "%s: http_status %d", name,
              e->http_status);
        CHECK(!fss || strcmp(e->error_code, fss) == 0, "%s: error_code '%s'", name,
              e->error_code);
        CHECK(!msg || strstr(e->message, msg), "%s: message '%s'", name, e->message);
        CHECK(!rid || strcmp(e->request_id, rid) == 0, "%s: request_id '%s'", name,
              e->request_id);
    } else if (json_object_get(res, "fields")) {
        char *txt = got ? json_dumps(got, JSON_COMPACT) : NULL;

        CHECK(json_subset(json_object_get(res, "fields"), got), "%s: result %s", name,
              txt ? txt : "(none)");
        free(txt);
    }
    if (exp)
        ok = check_request(name, 0, exp) && ok;
    json_array_foreach(requests, i, v)
    {
        ok = check_request(name, i, v) && ok;
    }
    if (json_is_integer(json_object_get(tc, "request_count")))
        CHECK(stub_count() == (size_t)json_integer_value(json_object_get(tc, "request_count")),
              "%s: %zu requests sent", name, stub_count());
    else if (exp && !requests)
        CHECK(stub_count() == 1, "%s: %zu requests sent", name, stub_count());
    json_decref(got);
    fgs_client_free(c);
    for (i = 0; i < n; i++) {
        free(bodies[i]);
        free(heads[i]);
    }
    return ok;
}

/* Two calls on one client share one connection. */
static bool test_keep_alive(void)
{
    struct stub_reply r[2] = {
        { 200, NULL, "{\"quotas\":{\"resources\":[]}}", 27, false, false },
        { 200, NULL, "{\"quotas\":{\"resources\":[]}}", 27, false, false },
    };
    fgs_client *c = wire_client(NULL);
    struct fgs_quotas *q = NULL;
    bool ok = true;
    int before;

    stub_set_replies(r, 2);
    before = stub_connections();
    CHECK(fgs_quotas_get(&q, c) == 0, "keep-alive: first call");
    fgs_quotas_free(q);
    CHECK(fgs_quotas_get(&q, c) == 0, "keep-alive: second call");
    fgs_quotas_free(q);
    CHECK(stub_count() == 2, "keep-alive: %zu requests", stub_count());
    CHECK(stub_connections() - before == 1, "keep-alive: %d connections",
          stub_connections() - before);
    CHECK(stub_request(0)->conn == stub_request(1)->conn, "keep-alive: same connection");
    fgs_client_free(c);
    return ok;
}

/* Argument errors never reach the network and record FGS_EINVALID with a message. */
static bool test_invalid_args(void)
{
    fgs_client *c = wire_client(NULL);
    fgs_client_options o = FGS_CLIENT_OPTIONS_INIT;
    fgs_function_create_options co = FGS_FUNCTION_CREATE_OPTIONS_INIT;
    struct fgs_function *f = (struct fgs_function *)1;
    fgs_client *c2 = (fgs_client *)1;
    bool ok = true;

    stub_set_replies(NULL, 0);
    CHECK(fgs_function_get_metadata(&f, c, NULL) == FGS_EINVALID && f == NULL, "NULL urn");
    CHECK(strstr(fgs_error_last()->message, "function URN"), "message names the URN");
    CHECK(fgs_function_get_metadata(NULL, c, "x") == FGS_EINVALID, "NULL out");
    CHECK(fgs_function_get_metadata(&f, NULL, "x") == FGS_EINVALID, "NULL client");
    CHECK(fgs_function_create(&f, c, &co) == FGS_EINVALID, "create without name");
    co.func_name = "a";
    co.runtime = "Python3.9";
    co.handler = "index.handler";
    co.extra_json = "[1]";
    CHECK(fgs_function_create(&f, c, &co) == FGS_EINVALID, "extra_json not an object");
    co.extra_json = NULL;
    co.description = "\xff";
    CHECK(fgs_function_create(&f, c, &co) == FGS_EINVALID, "description not UTF-8");
    CHECK(fgs_client_new(&c2, NULL) == FGS_EINVALID && c2 == NULL, "client without options");
    CHECK(fgs_client_new(&c2, &o) == FGS_EINVALID, "client without project");
    o.project_id = PROJECT;
    o.endpoint = "ftp://x";
    CHECK(fgs_client_new(&c2, &o) == FGS_EINVALID, "client with ftp endpoint");
    o.endpoint = "http://x/path";
    CHECK(fgs_client_new(&c2, &o) == FGS_EINVALID, "client with a path in the endpoint");
    o.endpoint = NULL;
    o.region = "cn-north-4";
    CHECK(fgs_client_new(&c2, &o) == 0, "client from a region");
    CHECK(c2 && strcmp(fgs_client_base_url(c2),
                       "https://functiongraph.cn-north-4.myhuaweicloud.com") == 0,
          "region endpoint");
    fgs_client_free(c2);
    o.ak = "x";
    CHECK(fgs_client_new(&c2, &o) == FGS_EINVALID, "ak without sk");
    CHECK(stub_count() == 0, "nothing was sent");
    CHECK(strcmp(fgs_strerror(FGS_ENOTFOUND), "not found") == 0, "strerror");
    CHECK(FGS_ITEROVER == -15 && FGS_ENOMEM == -2 && FGS_EPROTOCOL == -10, "codes are ABI");
    fgs_client_free(c);
    return ok;
}

int main(int argc, char **argv)
{
    const char *src = getenv("FGS_SOURCE_DIR");
    char path[1024];
    json_error_t err;
    json_t *cases, *tc;
    size_t i;
    int n = 0;

    snprintf(path, sizeof(path), "%s/tests/sdk-wire/cases.json",
             argc > 1 ? argv[1] : src ? src : ".");
    cases = json_load_file(argc > 1 ? argv[1] : path, 0, &err);
    if (!cases) {
        printf("Bail out! %s: %s\n", path, err.text);
        return 1;
    }
    fgs_global_init();
    if (stub_start(SK) < 0) {
        printf("Bail out! stub server\n");
        return 1;
    }
    printf("1..%zu\n", json_array_size(cases) + 2);
    json_array_foreach(cases, i, tc)
    {
        bool ok = run_case(tc);

        printf("%s %d - %s\n", ok ? "ok" : "not ok", ++n,
               json_string_value(json_object_get(tc, "name")));
    }
    printf("%s %d - keep-alive\n", test_keep_alive() ? "ok" : "not ok", ++n);
    printf("%s %d - invalid arguments\n", test_invalid_args() ? "ok" : "not ok", ++n);
    stub_stop();
    json_decref(cases);
    fgs_global_shutdown();
    printf("# %d failed checks\n", failures);
    return failures ? 1 : 0;
}
