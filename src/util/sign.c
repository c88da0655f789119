/*
 * sign.c - SDK-HMAC-SHA256 signing and verification (FGS-API.md §11).
 *
 * The signer and the verifier share the encoders, so a request signed here
 * is verified here byte for byte. The verifier never trusts the client's
 * rendering of the request: the path and the query are decoded and encoded
 * again with the RFC 3986 unreserved set, so "%3A" and ":" in a path, or
 * "+" and "%20" in a query, sign the same; only the headers the client
 * listed in SignedHeaders enter the canonical request, with the values that
 * arrived (trimmed, as the gateway's "Trimall" does).
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "util/crypto.h"
#include "util/sign.h"
#include "util/str.h"

#define MAX_SIGNED_HEADERS 64

static bool unreserved(unsigned char c)
{
    return isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
}

/*
 * Percent-encodes s[0..len) into out, keeping the unreserved set.
 */
int fgs__sign_encode(struct fgs__buf *out, const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t i;

    if (fgs__buf_grow(out, len * 3) < 0)
        return FGS__SIGN_ENOMEM;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];

        if (unreserved(c)) {
            out->ptr[out->len++] = (char)c;
        } else {
            out->ptr[out->len++] = '%';
            out->ptr[out->len++] = hex[c >> 4];
            out->ptr[out->len++] = hex[c & 15];
        }
    }
    out->ptr[out->len] = '\0';
    return 0;
}

/* Decodes s[0..len) and appends it encoded again. */
static int reencode(struct fgs__buf *out, const char *s, size_t len, bool plus_is_space)
{
    char *tmp;
    long n;
    int rc;

    tmp = malloc(len + 1);
    if (!tmp)
        return FGS__SIGN_ENOMEM;
    n = fgs__pct_decode(tmp, s, len, plus_is_space);
    if (n < 0) {
        free(tmp);
        return FGS__SIGN_EMALFORMED;
    }
    rc = fgs__sign_encode(out, tmp, (size_t)n);
    free(tmp);
    return rc;
}

/*
 * Appends the canonical URI of path (segments decoded and re-encoded, one
 * trailing '/').
 */
int fgs__sign_canonical_uri(struct fgs__buf *out, const char *path)
{
    const char *p = path ? path : "";
    int rc;

    for (;;) {
        const char *slash = strchr(p, '/');
        size_t seg = slash ? (size_t)(slash - p) : strlen(p);

        rc = reencode(out, p, seg, false);
        if (rc < 0)
            return rc;
        if (!slash)
            break;
        if (fgs__buf_putc(out, '/') < 0)
            return FGS__SIGN_ENOMEM;
        p = slash + 1;
    }
    if (out->len == 0 || out->ptr[out->len - 1] != '/') {
        if (fgs__buf_putc(out, '/') < 0)
            return FGS__SIGN_ENOMEM;
    }
    return 0;
}

/* A decoded query parameter, as sorted for the canonical query. */
struct qparam {
    char *key;
    char *value;
};

static int qparam_cmp(const void *a, const void *b)
{
    const struct qparam *x = a, *y = b;
    int c = strcmp(x->key, y->key);

    return c ? c : strcmp(x->value, y->value);
}

/* Sorts params and appends them as "k=v&k=v", both encoded. */
static int put_sorted_query(struct fgs__buf *out, struct qparam *p, size_t n)
{
    size_t i;
    int rc;

    qsort(p, n, sizeof(*p), qparam_cmp);
    for (i = 0; i < n; i++) {
        if (i && fgs__buf_putc(out, '&') < 0)
            return FGS__SIGN_ENOMEM;
        rc = fgs__sign_encode(out, p[i].key, strlen(p[i].key));
        if (rc < 0)
            return rc;
        if (fgs__buf_putc(out, '=') < 0)
            return FGS__SIGN_ENOMEM;
        rc = fgs__sign_encode(out, p[i].value, strlen(p[i].value));
        if (rc < 0)
            return rc;
    }
    return 0;
}

/*
 * Appends the canonical query of logical parameters. The key and value
 * strings are only borrowed for the sort.
 */
int fgs__sign_canonical_query(struct fgs__buf *out, const struct fgs__sign_param *params,
                              size_t nparams)
{
    struct qparam *p;
    size_t i;
    int rc;

    if (nparams == 0)
        return 0;
    p = calloc(nparams, sizeof(*p));
    if (!p)
        return FGS__SIGN_ENOMEM;
    for (i = 0; i < nparams; i++) {
        p[i].key = (char *)(params[i].key ? params[i].key : "");
        p[i].value = (char *)(params[i].value ? params[i].value : "");
    }
    rc = put_sorted_query(out, p, nparams);
    free(p);
    return rc;
}

/* Decodes one "k=v" (or "k") piece of a raw query into a qparam. */
static int decode_qparam(struct qparam *out, const char *s, size_t len)
{
    const char *eq = memchr(s, '=', len);
    size_t klen = eq ? (size_t)(eq - s) : len;
    size_t vlen = eq ? len - klen - 1 : 0;

    out->key = malloc(klen + 1);
    out->value = malloc(vlen + 1);
    if (!out->key || !out->value)
        return FGS__SIGN_ENOMEM;
    if (fgs__pct_decode(out->key, s, klen, true) < 0)
        return FGS__SIGN_EMALFORMED;
    if (fgs__pct_decode(out->value, eq ? eq + 1 : "", vlen, true) < 0)
        return FGS__SIGN_EMALFORMED;
    return 0;
}

/*
 * Appends the canonical query rebuilt from a raw query string.
 */
int fgs__sign_canonical_query_raw(struct fgs__buf *out, const char *raw_query)
{
    struct qparam *p = NULL;
    size_t n = 0, cap = 0, i;
    const char *s = raw_query;
    int rc = 0;

    if (!s || !*s)
        return 0;
    for (i = 0; s[i]; i++)
        cap += s[i] == '&';
    cap++;
    p = calloc(cap, sizeof(*p));
    if (!p)
        return FGS__SIGN_ENOMEM;
    while (*s) {
        const char *amp = strchr(s, '&');
        size_t len = amp ? (size_t)(amp - s) : strlen(s);

        if (len) {
            rc = decode_qparam(&p[n++], s, len);
            if (rc < 0)
                goto done;
        }
        s += len;
        if (*s == '&')
            s++;
    }
    rc = put_sorted_query(out, p, n);
done:
    for (i = 0; i < n; i++) {
        free(p[i].key);
        free(p[i].value);
    }
    free(p);
    return rc;
}

/* A header to sign with its name lower-cased. */
struct lheader {
    char name[128];
    const char *value;
};

static int lheader_cmp(const void *a, const void *b)
{
    return strcmp(((const struct lheader *)a)->name, ((const struct lheader *)b)->name);
}

/* Appends value without leading and trailing blanks. */
static int put_trimmed(struct fgs__buf *out, const char *v)
{
    size_t len;

    while (*v == ' ' || *v == '\t')
        v++;
    len = strlen(v);
    while (len && (v[len - 1] == ' ' || v[len - 1] == '\t'))
        len--;
    return fgs__buf_put(out, v, len) < 0 ? FGS__SIGN_ENOMEM : 0;
}

/* Appends the payload hash line: X-Sdk-Content-Sha256 or SHA-256 of the body. */
static int put_payload_hash(struct fgs__buf *out, const char *content_sha256, const void *body,
                            size_t body_len)
{
    char hex[65];

    if (content_sha256)
        return fgs__buf_puts(out, content_sha256) < 0 ? FGS__SIGN_ENOMEM : 0;
    fgs__sha256_hex(hex, body_len ? body : "", body_len);
    return fgs__buf_puts(out, hex) < 0 ? FGS__SIGN_ENOMEM : 0;
}

/* Lower-cases and sorts the outgoing headers; rejects empty or overlong names. */
static int sorted_headers(struct lheader *h, const struct fgs__sign_request *req)
{
    size_t i, j;

    if (req->nheaders > MAX_SIGNED_HEADERS)
        return FGS__SIGN_EMALFORMED;
    for (i = 0; i < req->nheaders; i++) {
        const char *n = req->headers[i].name;
        size_t len = n ? strlen(n) : 0;

        if (len == 0 || len >= sizeof(h[i].name))
            return FGS__SIGN_EMALFORMED;
        for (j = 0; j <= len; j++)
            h[i].name[j] = (char)tolower((unsigned char)n[j]);
        h[i].value = req->headers[i].value ? req->headers[i].value : "";
    }
    qsort(h, req->nheaders, sizeof(*h), lheader_cmp);
    return 0;
}

/*
 * Builds the canonical request and the SignedHeaders list of an outgoing
 * request.
 */
int fgs__sign_canonical_request(struct fgs__buf *out, struct fgs__buf *signed_out,
                                const struct fgs__sign_request *req)
{
    struct lheader h[MAX_SIGNED_HEADERS];
    const char *content_sha = NULL;
    size_t i;
    int rc;

    fgs__buf_clear(out);
    fgs__buf_clear(signed_out);
    rc = sorted_headers(h, req);
    if (rc < 0)
        return rc;
    if (fgs__buf_printf(out, "%s\n", req->method) < 0)
        return FGS__SIGN_ENOMEM;
    rc = fgs__sign_canonical_uri(out, req->path);
    if (rc < 0)
        return rc;
    if (fgs__buf_putc(out, '\n') < 0)
        return FGS__SIGN_ENOMEM;
    rc = fgs__sign_canonical_query(out, req->params, req->nparams);
    if (rc < 0)
        return rc;
    if (fgs__buf_putc(out, '\n') < 0)
        return FGS__SIGN_ENOMEM;
    for (i = 0; i < req->nheaders; i++) {
        if (fgs__buf_printf(out, "%s:", h[i].name) < 0)
            return FGS__SIGN_ENOMEM;
        rc = put_trimmed(out, h[i].value);
        if (rc < 0 || fgs__buf_putc(out, '\n') < 0)
            return FGS__SIGN_ENOMEM;
        if (fgs__buf_printf(signed_out, "%s%s", i ? ";" : "", h[i].name) < 0)
            return FGS__SIGN_ENOMEM;
        if (strcmp(h[i].name, "x-sdk-content-sha256") == 0)
            content_sha = h[i].value;
    }
    if (fgs__buf_printf(out, "\n%s\n", signed_out->len ? signed_out->ptr : "") < 0)
        return FGS__SIGN_ENOMEM;
    return put_payload_hash(out, content_sha, req->body, req->body_len);
}

/*
 * Builds the string to sign from the date and the canonical request.
 */
int fgs__sign_string_to_sign(struct fgs__buf *out, const char *date, const char *canonical)
{
    char hex[65];

    fgs__buf_clear(out);
    fgs__sha256_hex(hex, canonical, strlen(canonical));
    if (fgs__buf_printf(out, "%s\n%s\n%s", FGS__SIGN_ALGORITHM, date, hex) < 0)
        return FGS__SIGN_ENOMEM;
    return 0;
}

/*
 * Computes the hex signature of a string to sign.
 */
void fgs__sign_signature(char sig[65], const char *sk, const char *string_to_sign)
{
    unsigned char mac[32];

    fgs__hmac_sha256(mac, sk, strlen(sk), string_to_sign, strlen(string_to_sign));
    fgs__hex(sig, mac, sizeof(mac));
    sig[64] = '\0';
}

/* Replaces dst's contents with src's when dst is not NULL. */
static int copy_out(struct fgs__buf *dst, const struct fgs__buf *src)
{
    if (!dst)
        return 0;
    fgs__buf_clear(dst);
    return fgs__buf_put(dst, src->ptr, src->len) < 0 ? FGS__SIGN_ENOMEM : 0;
}

/*
 * Signs an outgoing request and writes the Authorization value.
 */
int fgs__sign_request(struct fgs__buf *authz, const struct fgs__sign_request *req, const char *ak,
                      const char *sk, struct fgs__buf *canonical_out, struct fgs__buf *sts_out)
{
    struct fgs__buf canon = FGS__BUF_INIT, sh = FGS__BUF_INIT, sts = FGS__BUF_INIT;
    const char *date = NULL;
    char sig[65];
    size_t i;
    int rc;

    fgs__buf_clear(authz);
    for (i = 0; i < req->nheaders; i++) {
        if (req->headers[i].name && strcasecmp(req->headers[i].name, "x-sdk-date") == 0)
            date = req->headers[i].value;
    }
    if (!date)
        return FGS__SIGN_EMISSING;
    rc = fgs__sign_canonical_request(&canon, &sh, req);
    if (rc < 0)
        goto done;
    rc = fgs__sign_string_to_sign(&sts, date, canon.ptr);
    if (rc < 0)
        goto done;
    fgs__sign_signature(sig, sk, sts.ptr);
    if (fgs__buf_printf(authz, "%s Access=%s, SignedHeaders=%s, Signature=%s",
                        FGS__SIGN_ALGORITHM, ak, sh.ptr, sig) < 0) {
        rc = FGS__SIGN_ENOMEM;
        goto done;
    }
    rc = copy_out(canonical_out, &canon);
    if (rc == 0)
        rc = copy_out(sts_out, &sts);
done:
    fgs__buf_dispose(&canon);
    fgs__buf_dispose(&sh);
    fgs__buf_dispose(&sts);
    return rc;
}

/*
 * Formats epoch seconds as an X-Sdk-Date value.
 */
void fgs__sign_date(char out[17], long long epoch_seconds)
{
    struct tm tm;
    time_t t = (time_t)epoch_seconds;

    gmtime_r(&t, &tm);
    strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm);
}

/* Copies val[0..len) into dst when it fits; returns false otherwise. */
static bool take(char *dst, size_t size, const char *val, size_t len)
{
    if (len == 0 || len >= size)
        return false;
    memcpy(dst, val, len);
    dst[len] = '\0';
    return true;
}

/*
 * Parses an Authorization header value of the SDK-HMAC-SHA256 scheme.
 */
int fgs__sign_parse_authorization(struct fgs__sign_authz *out, const char *value)
{
    static const char algo[] = FGS__SIGN_ALGORITHM;
    const char *p;
    int seen = 0;
    size_t i;

    memset(out, 0, sizeof(*out));
    if (!value || strncmp(value, algo, sizeof(algo) - 1) != 0)
        return FGS__SIGN_EMALFORMED;
    p = value + sizeof(algo) - 1;
    if (*p != ' ' && *p != '\t')
        return FGS__SIGN_EMALFORMED;
    while (*p) {
        const char *key, *val;
        size_t klen, vlen;

        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (!*p)
            break;
        key = p;
        while (*p && *p != '=')
            p++;
        if (*p != '=')
            return FGS__SIGN_EMALFORMED;
        klen = (size_t)(p - key);
        val = ++p;
        while (*p && *p != ',' && *p != ' ' && *p != '\t')
            p++;
        vlen = (size_t)(p - val);
        if (klen == 6 && strncmp(key, "Access", 6) == 0 && take(out->ak, sizeof(out->ak), val, vlen))
            seen |= 1;
        else if (klen == 13 && strncmp(key, "SignedHeaders", 13) == 0 &&
                 take(out->signed_headers, sizeof(out->signed_headers), val, vlen))
            seen |= 2;
        else if (klen == 9 && strncmp(key, "Signature", 9) == 0 && vlen == 64 &&
                 take(out->signature, sizeof(out->signature), val, vlen))
            seen |= 4;
        else
            return FGS__SIGN_EMALFORMED;
    }
    if (seen != 7)
        return FGS__SIGN_EMALFORMED;
    for (i = 0; i < 64; i++) {
        if (!isxdigit((unsigned char)out->signature[i]) || isupper((unsigned char)out->signature[i]))
            return FGS__SIGN_EMALFORMED;
    }
    return 0;
}

/* Appends "name:trimmed-value\n" for each name of the received SignedHeaders list. */
static int put_received_headers(struct fgs__buf *out, const char *signed_headers,
                                fgs__sign_header_cb get, void *payload)
{
    const char *p = signed_headers;
    int count = 0;

    if (!p || !*p)
        return FGS__SIGN_EMALFORMED;
    while (*p) {
        const char *semi = strchr(p, ';');
        size_t len = semi ? (size_t)(semi - p) : strlen(p);
        char name[128];
        const char *v;
        size_t i;
        int rc;

        if (len == 0 || len >= sizeof(name) || ++count > MAX_SIGNED_HEADERS)
            return FGS__SIGN_EMALFORMED;
        for (i = 0; i < len; i++) {
            if (isupper((unsigned char)p[i]) || p[i] == ':')
                return FGS__SIGN_EMALFORMED;
        }
        memcpy(name, p, len);
        name[len] = '\0';
        v = get(name, payload);
        if (!v)
            return FGS__SIGN_EMISSING;
        if (fgs__buf_printf(out, "%s:", name) < 0)
            return FGS__SIGN_ENOMEM;
        rc = put_trimmed(out, v);
        if (rc < 0 || fgs__buf_putc(out, '\n') < 0)
            return FGS__SIGN_ENOMEM;
        p += len;
        if (*p == ';')
            p++;
    }
    return 0;
}

/*
 * Rebuilds the canonical request of a received request.
 */
int fgs__sign_canonical_request_received(struct fgs__buf *out, const char *method,
                                         const char *raw_path, const char *raw_query,
                                         const char *signed_headers, fgs__sign_header_cb get,
                                         void *payload, const void *body, size_t body_len)
{
    int rc;

    fgs__buf_clear(out);
    if (fgs__buf_printf(out, "%s\n", method) < 0)
        return FGS__SIGN_ENOMEM;
    rc = fgs__sign_canonical_uri(out, raw_path);
    if (rc < 0)
        return rc;
    if (fgs__buf_putc(out, '\n') < 0)
        return FGS__SIGN_ENOMEM;
    rc = fgs__sign_canonical_query_raw(out, raw_query);
    if (rc < 0)
        return rc;
    if (fgs__buf_putc(out, '\n') < 0)
        return FGS__SIGN_ENOMEM;
    rc = put_received_headers(out, signed_headers, get, payload);
    if (rc < 0)
        return rc;
    if (fgs__buf_printf(out, "\n%s\n", signed_headers) < 0)
        return FGS__SIGN_ENOMEM;
    return put_payload_hash(out, get("x-sdk-content-sha256", payload), body, body_len);
}

/* Whether the ';'-separated list contains name. */
static bool list_has(const char *list, const char *name)
{
    size_t n = strlen(name);
    const char *p = list;

    while (p && *p) {
        if (strncmp(p, name, n) == 0 && (p[n] == ';' || p[n] == '\0'))
            return true;
        p = strchr(p, ';');
        if (p)
            p++;
    }
    return false;
}

/*
 * Verifies a received request's signature against sk.
 */
int fgs__sign_verify(const char *sk, const char *method, const char *raw_path,
                     const char *raw_query, fgs__sign_header_cb get, void *payload,
                     const void *body, size_t body_len, struct fgs__buf *canonical_out)
{
    struct fgs__buf canon = FGS__BUF_INIT, sts = FGS__BUF_INIT;
    struct fgs__sign_authz a;
    const char *date;
    char sig[65];
    int rc;

    rc = fgs__sign_parse_authorization(&a, get("authorization", payload));
    if (rc < 0)
        return rc;
    date = get("x-sdk-date", payload);
    if (!date || !list_has(a.signed_headers, "x-sdk-date"))
        return FGS__SIGN_EMISSING;
    rc = fgs__sign_canonical_request_received(&canon, method, raw_path, raw_query,
                                              a.signed_headers, get, payload, body, body_len);
    if (rc < 0)
        goto done;
    rc = fgs__sign_string_to_sign(&sts, date, canon.ptr);
    if (rc < 0)
        goto done;
    fgs__sign_signature(sig, sk, sts.ptr);
    if (fgs__ct_memcmp(sig, a.signature, 64) != 0)
        rc = FGS__SIGN_EMISMATCH;
done:
    if (canonical_out && canon.ptr) {
        fgs__buf_clear(canonical_out);
        if (fgs__buf_puts(canonical_out, canon.ptr) < 0 && rc == 0)
            rc = FGS__SIGN_ENOMEM;
    }
    fgs__buf_dispose(&canon);
    fgs__buf_dispose(&sts);
    return rc;
}
