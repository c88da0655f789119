/*
 * test_sign.c - SDK-HMAC-SHA256 signing and verification against every
 * vector of tests/resources/sign-vectors.json (a copy of
 * reference/sign-vectors.json, produced by the official Node signer):
 * direct[] through the signer, e2e.calls[] (real SDK requests captured on the
 * wire) through the verifier, and the Go SDK's own unit-test vectors.
 */
#include <jansson.h>
#include <stdbool.h>
#include <strings.h>
#include "fgs_test.h"
#include "util/buf.h"
#include "util/crypto.h"
#include "util/sign.h"

/* The Go SDK's signer_test.go signs with AK "AccessKey" and SK "SecretKey". */
#define GO_TEST_SK "SecretKey"

static json_t *load_vectors(void)
{
    const char *src = getenv("FGS_SOURCE_DIR");
    char path[1024];
    json_error_t err;
    json_t *root;

    snprintf(path, sizeof(path), "%s/tests/resources/sign-vectors.json", src ? src : ".");
    root = json_load_file(path, 0, &err);
    if (!root)
        FGS_TEST_FAIL("cannot load %s: %s (line %d)", path, err.text, err.line);
    return root;
}

static const char *jstr(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);

    if (!json_is_string(v))
        FGS_TEST_FAIL("vector field %s is not a string", key);
    return json_string_value(v);
}

/* A received request for the verifier: lower-case header names and values. */
struct rx {
    const char *names[64];
    const char *values[64];
    size_t n;
};

static const char *rx_get(const char *lname, void *payload)
{
    struct rx *r = payload;
    size_t i;

    for (i = 0; i < r->n; i++) {
        if (strcasecmp(r->names[i], lname) == 0)
            return r->values[i];
    }
    return NULL;
}

static void rx_set(struct rx *r, const char *name, const char *value)
{
    size_t i;

    for (i = 0; i < r->n; i++) {
        if (strcasecmp(r->names[i], name) == 0) {
            r->values[i] = value;
            return;
        }
    }
    ASSERT(r->n < 64);
    r->names[r->n] = name;
    r->values[r->n++] = value;
}

/* Splits "scheme://host[:port]/path" into host and path (pointers into url). */
static void split_url(const char *url, char *host, size_t hsize, const char **path)
{
    const char *h = strstr(url, "://");
    const char *slash;

    ASSERT(h);
    h += 3;
    slash = strchr(h, '/');
    ASSERT(slash && (size_t)(slash - h) < hsize);
    memcpy(host, h, (size_t)(slash - h));
    host[slash - h] = '\0';
    *path = slash;
}

FGS_TEST(sign, encode_unreserved_and_utf8)
{
    struct fgs__buf b = FGS__BUF_INIT;

    ASSERT_OK(fgs__sign_encode(&b, "aZ09-_.~ :!/*()\xc3\xa9", 17));
    ASSERT_STREQ(b.ptr, "aZ09-_.~%20%3A%21%2F%2A%28%29%C3%A9");
    fgs__buf_dispose(&b);
}

FGS_TEST(sign, canonical_uri_rules)
{
    struct fgs__buf b = FGS__BUF_INIT;

    ASSERT_OK(fgs__sign_canonical_uri(&b, "/v2/p/fgs/functions/urn:fss:r:p:function:default:f:!dev"));
    ASSERT_STREQ(b.ptr, "/v2/p/fgs/functions/urn%3Afss%3Ar%3Ap%3Afunction%3Adefault%3Af%3A%21dev/");
    fgs__buf_clear(&b);
    /* an already encoded segment signs the same as the raw one */
    ASSERT_OK(fgs__sign_canonical_uri(&b, "/a/urn%3Ax%21y"));
    ASSERT_STREQ(b.ptr, "/a/urn%3Ax%21y/");
    fgs__buf_clear(&b);
    ASSERT_OK(fgs__sign_canonical_uri(&b, "/quotas/"));
    ASSERT_STREQ(b.ptr, "/quotas/");
    fgs__buf_clear(&b);
    ASSERT_OK(fgs__sign_canonical_uri(&b, ""));
    ASSERT_STREQ(b.ptr, "/");
    fgs__buf_clear(&b);
    ASSERT_EQ(fgs__sign_canonical_uri(&b, "/a/%zz"), FGS__SIGN_EMALFORMED);
    fgs__buf_dispose(&b);
}

FGS_TEST(sign, canonical_query_raw_rules)
{
    struct fgs__buf b = FGS__BUF_INIT;

    ASSERT_OK(fgs__sign_canonical_query_raw(&b, "b=2&a=x+y&a=%21&&c&d="));
    ASSERT_STREQ(b.ptr, "a=%21&a=x%20y&b=2&c=&d=");
    fgs__buf_clear(&b);
    ASSERT_OK(fgs__sign_canonical_query_raw(&b, NULL));
    ASSERT_EQ(b.len, 0);
    ASSERT_EQ(fgs__sign_canonical_query_raw(&b, "a=%4"), FGS__SIGN_EMALFORMED);
    fgs__buf_dispose(&b);
}

FGS_TEST(sign, parse_authorization)
{
    struct fgs__sign_authz a;
    const char *sig = "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe";
    char v[512];

    snprintf(v, sizeof(v), "SDK-HMAC-SHA256 Access=AK1, SignedHeaders=host;x-sdk-date, Signature=%s",
             sig);
    ASSERT_OK(fgs__sign_parse_authorization(&a, v));
    ASSERT_STREQ(a.ak, "AK1");
    ASSERT_STREQ(a.signed_headers, "host;x-sdk-date");
    ASSERT_STREQ(a.signature, sig);
    ASSERT_EQ(fgs__sign_parse_authorization(&a, NULL), FGS__SIGN_EMALFORMED);
    ASSERT_EQ(fgs__sign_parse_authorization(&a, "SDK-HMAC-SHA256"), FGS__SIGN_EMALFORMED);
    ASSERT_EQ(fgs__sign_parse_authorization(&a, "Basic abc"), FGS__SIGN_EMALFORMED);
    ASSERT_EQ(fgs__sign_parse_authorization(
                  &a, "SDK-HMAC-SHA256 Access=AK1, SignedHeaders=host, Signature=abc"),
              FGS__SIGN_EMALFORMED);
    snprintf(v, sizeof(v), "SDK-HMAC-SHA256 Access=AK1, Signature=%s", sig);
    ASSERT_EQ(fgs__sign_parse_authorization(&a, v), FGS__SIGN_EMALFORMED);
    snprintf(v, sizeof(v), "SDK-HMAC-SHA256 Access=AK1, SignedHeaders=x-sdk-date, Signature=%.63sG",
             sig);
    ASSERT_EQ(fgs__sign_parse_authorization(&a, v), FGS__SIGN_EMALFORMED);
}

FGS_TEST(sign, date_format)
{
    char d[17];

    fgs__sign_date(d, 1704164645LL);
    ASSERT_STREQ(d, "20240102T030405Z");
}

/* Signs one direct[] vector and checks all three outputs, then verifies it as received. */
static void check_direct(json_t *v)
{
    json_t *in = json_object_get(v, "input");
    json_t *hdrs = json_object_get(in, "headers");
    json_t *query = json_object_get(in, "query_params");
    struct fgs__sign_header h[32];
    struct fgs__sign_param q[32];
    struct fgs__sign_request req = { 0 };
    struct fgs__buf authz = FGS__BUF_INIT, canon = FGS__BUF_INIT, sts = FGS__BUF_INIT;
    struct fgs__buf wireq = FGS__BUF_INIT;
    char host[256];
    const char *path, *key, *body;
    json_t *val;
    struct rx r = { 0 };
    size_t i;

    split_url(jstr(in, "endpoint_plus_path"), host, sizeof(host), &path);
    json_object_foreach(hdrs, key, val)
    {
        h[req.nheaders].name = key;
        h[req.nheaders++].value = json_string_value(val);
        rx_set(&r, key, json_string_value(val));
    }
    h[req.nheaders].name = "host";
    h[req.nheaders++].value = host;
    rx_set(&r, "host", host);
    json_object_foreach(query, key, val)
    {
        q[req.nparams].key = key;
        q[req.nparams++].value = json_string_value(val);
    }
    body = jstr(in, "body_bytes_hashed");
    req.method = jstr(in, "method");
    req.path = path;
    req.params = q;
    req.headers = h;
    req.body = body;
    req.body_len = strlen(body);
    ASSERT_OK(fgs__sign_request(&authz, &req, jstr(in, "ak"), jstr(in, "sk"), &canon, &sts));
    ASSERT_STREQ(canon.ptr, jstr(v, "canonical_request"));
    ASSERT_STREQ(sts.ptr, jstr(v, "string_to_sign"));
    ASSERT_STREQ(authz.ptr, jstr(v, "authorization"));

    /* the same request as a server receives it: raw path, query in wire order */
    for (i = 0; i < req.nparams; i++) {
        ASSERT_OK(fgs__buf_puts(&wireq, i ? "&" : ""));
        ASSERT_OK(fgs__sign_encode(&wireq, q[i].key, strlen(q[i].key)));
        ASSERT_OK(fgs__buf_putc(&wireq, '='));
        ASSERT_OK(fgs__sign_encode(&wireq, q[i].value, strlen(q[i].value)));
    }
    rx_set(&r, "authorization", authz.ptr);
    ASSERT_OK(fgs__sign_verify(jstr(in, "sk"), req.method, path, wireq.ptr, rx_get, &r, body,
                               strlen(body), &canon));
    ASSERT_STREQ(canon.ptr, jstr(v, "canonical_request"));
    /* a changed body must not verify */
    ASSERT_EQ(fgs__sign_verify(jstr(in, "sk"), req.method, path, wireq.ptr, rx_get, &r, "{}", 2,
                               NULL),
              FGS__SIGN_EMISMATCH);
    fgs__buf_dispose(&authz);
    fgs__buf_dispose(&canon);
    fgs__buf_dispose(&sts);
    fgs__buf_dispose(&wireq);
}

FGS_TEST(sign, direct_vectors)
{
    json_t *root = load_vectors();
    json_t *direct = json_object_get(root, "direct");
    json_t *v;
    size_t i;

    ASSERT_EQ(json_array_size(direct), 12);
    json_array_foreach(direct, i, v)
    {
        fprintf(stderr, "# direct %s\n", jstr(v, "name"));
        check_direct(v);
    }
    json_decref(root);
}

/* Verifies one e2e call exactly as captured and checks the rebuilt canonical request. */
static void check_e2e(json_t *call, const char *sk)
{
    json_t *w = json_object_get(call, "wire_request");
    json_t *hdrs = json_object_get(w, "headers");
    json_t *sv = json_object_get(call, "server_verify");
    struct fgs__buf canon = FGS__BUF_INIT;
    const char *url = jstr(w, "url"), *key, *qmark, *body;
    char path[1024];
    size_t plen;
    json_t *val;
    struct rx r = { 0 };

    json_object_foreach(hdrs, key, val)
    {
        rx_set(&r, key, json_string_value(val));
    }
    qmark = strchr(url, '?');
    plen = qmark ? (size_t)(qmark - url) : strlen(url);
    ASSERT(plen < sizeof(path));
    memcpy(path, url, plen);
    path[plen] = '\0';
    body = jstr(w, "body_utf8");
    ASSERT(json_is_true(json_object_get(sv, "ok")));
    ASSERT_OK(fgs__sign_verify(sk, jstr(w, "method"), path, qmark ? qmark + 1 : NULL, rx_get, &r,
                               body, strlen(body), &canon));
    ASSERT_STREQ(canon.ptr, jstr(sv, "canonical_request"));
    ASSERT_STREQ(canon.ptr, jstr(call, "sdk_canonical_request"));
    /* a different secret key must fail */
    ASSERT_EQ(fgs__sign_verify("wrong", jstr(w, "method"), path, qmark ? qmark + 1 : NULL, rx_get,
                               &r, body, strlen(body), NULL),
              FGS__SIGN_EMISMATCH);
    /* a signed header that went missing must fail */
    rx_set(&r, "x-project-id", NULL);
    ASSERT_EQ(fgs__sign_verify(sk, jstr(w, "method"), path, qmark ? qmark + 1 : NULL, rx_get, &r,
                               body, strlen(body), NULL),
              FGS__SIGN_EMISSING);
    fgs__buf_dispose(&canon);
}

FGS_TEST(sign, e2e_wire_captures)
{
    json_t *root = load_vectors();
    json_t *calls = json_object_get(json_object_get(root, "e2e"), "calls");
    const char *sk = jstr(json_object_get(root, "fixed_inputs"), "sk");
    json_t *c;
    size_t i;

    ASSERT_EQ(json_array_size(calls), 10);
    json_array_foreach(calls, i, c)
    {
        fprintf(stderr, "# e2e %s\n", jstr(c, "operation"));
        check_e2e(c, sk);
    }
    json_decref(root);
}

FGS_TEST(sign, go_sdk_vectors)
{
    json_t *root = load_vectors();
    json_t *refs = json_object_get(root, "cross_sdk_reference");
    struct fgs__buf sts = FGS__BUF_INIT;
    char sig[65];
    json_t *v;
    size_t i;

    ASSERT_EQ(json_array_size(refs), 2);
    json_array_foreach(refs, i, v)
    {
        const char *cr = jstr(v, "canonical_request");
        const char *date = strstr(cr, "x-sdk-date:");

        ASSERT(date);
        {
            char d[17];

            memcpy(d, date + 11, 16);
            d[16] = '\0';
            ASSERT_OK(fgs__sign_string_to_sign(&sts, d, cr));
        }
        ASSERT_STREQ(sts.ptr, jstr(v, "string_to_sign"));
        fgs__sign_signature(sig, GO_TEST_SK, sts.ptr);
        ASSERT_STREQ(sig, jstr(v, "expected_signature"));
    }
    fgs__buf_dispose(&sts);
    json_decref(root);
}

/* The Go SDK shape: only x-sdk-date signed, JSON body with a trailing newline. */
FGS_TEST(sign, go_sdk_request_rebuilt)
{
    static const char body[] = "{\"Name\":\"test\",\"Id\":1}\n";
    struct fgs__sign_header h[] = { { "X-Sdk-Date", "20060102T150405Z" } };
    struct fgs__sign_param q[] = { { "key", "value" } };
    struct fgs__sign_request req = { "POST", "/path", q, 1, h, 1, body, sizeof(body) - 1 };
    struct fgs__buf authz = FGS__BUF_INIT;

    ASSERT_OK(fgs__sign_request(&authz, &req, "AccessKey", GO_TEST_SK, NULL, NULL));
    ASSERT_STREQ(authz.ptr, "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, "
                            "Signature=cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59");
    fgs__buf_dispose(&authz);
}

FGS_TEST(sign, verifier_requires_signed_date_and_trims)
{
    struct fgs__sign_header h[] = { { "x-sdk-date", "20240102T030405Z" }, { "host", "h:1" } };
    struct fgs__sign_request req = { "GET", "/a", NULL, 0, h, 2, NULL, 0 };
    struct fgs__buf authz = FGS__BUF_INIT;
    struct rx r = { 0 };
    char bad[256];

    ASSERT_OK(fgs__sign_request(&authz, &req, "AK", "SK", NULL, NULL));
    rx_set(&r, "x-sdk-date", "20240102T030405Z");
    rx_set(&r, "host", "  h:1 ");
    rx_set(&r, "authorization", authz.ptr);
    ASSERT_OK(fgs__sign_verify("SK", "GET", "/a", "", rx_get, &r, NULL, 0, NULL));
    ASSERT_EQ(fgs__sign_verify("SK", "GET", "/b", "", rx_get, &r, NULL, 0, NULL),
              FGS__SIGN_EMISMATCH);
    ASSERT_EQ(fgs__sign_verify("SK", "GET", "/a", "x=1", rx_get, &r, NULL, 0, NULL),
              FGS__SIGN_EMISMATCH);
    /* x-sdk-date must be among the signed headers */
    snprintf(bad, sizeof(bad), "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=%s",
             strstr(authz.ptr, "Signature=") + 10);
    rx_set(&r, "authorization", bad);
    ASSERT_EQ(fgs__sign_verify("SK", "GET", "/a", "", rx_get, &r, NULL, 0, NULL),
              FGS__SIGN_EMISSING);
    /* upper-case names in SignedHeaders are malformed */
    snprintf(bad, sizeof(bad), "SDK-HMAC-SHA256 Access=AK, SignedHeaders=Host;x-sdk-date, "
                               "Signature=%s",
             strstr(authz.ptr, "Signature=") + 10);
    rx_set(&r, "authorization", bad);
    ASSERT_EQ(fgs__sign_verify("SK", "GET", "/a", "", rx_get, &r, NULL, 0, NULL),
              FGS__SIGN_EMALFORMED);
    fgs__buf_dispose(&authz);
}

FGS_TEST(sign, content_sha256_header_replaces_body_hash)
{
    struct fgs__sign_header h[] = { { "x-sdk-date", "20240102T030405Z" },
                                    { "X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD" } };
    struct fgs__sign_request req = { "PUT", "/a", NULL, 0, h, 2, "abc", 3 };
    struct fgs__buf c = FGS__BUF_INIT, sh = FGS__BUF_INIT;

    ASSERT_OK(fgs__sign_canonical_request(&c, &sh, &req));
    ASSERT_STREQ(sh.ptr, "x-sdk-content-sha256;x-sdk-date");
    ASSERT(strstr(c.ptr, "\nUNSIGNED-PAYLOAD") != NULL);
    fgs__buf_dispose(&c);
    fgs__buf_dispose(&sh);
}

FGS_TEST_LIST(T(sign, encode_unreserved_and_utf8), T(sign, canonical_uri_rules),
              T(sign, canonical_query_raw_rules), T(sign, parse_authorization),
              T(sign, date_format), T(sign, direct_vectors), T(sign, e2e_wire_captures),
              T(sign, go_sdk_vectors), T(sign, go_sdk_request_rebuilt),
              T(sign, verifier_requires_signed_date_and_trims),
              T(sign, content_sha256_header_replaces_body_hash));
