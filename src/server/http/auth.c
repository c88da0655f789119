/*
 * auth.c - verification of SDK-HMAC-SHA256 request signatures.
 *
 * The canonical request is rebuilt from what arrived, never from what the
 * client claims: the raw path is split on '/', each segment percent-decoded
 * and re-encoded with the RFC 3986 unreserved set; the raw query is split
 * into parameters, decoded ('+' is a space, as Go's encoder sends it),
 * sorted by key then value and re-encoded; the headers are the ones the
 * client listed in SignedHeaders, with the values received; the payload
 * hash is X-Sdk-Content-Sha256 when present, else SHA-256 of the body bytes
 * as received. The signature is compared in constant time, and X-Sdk-Date
 * must be within 15 minutes of the server clock, so a captured request
 * cannot be replayed later.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "core/server.h"
#include "http/auth.h"
#include "http/request.h"
#include "util/buf.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/str.h"

#define MAX_SKEW_SECONDS (15 * 60)
#define MAX_SIGNED_HEADERS 32

struct authz {
    char ak[128];
    char signed_headers[1024];
    char signature[65];
};

/* Parses "SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=hex". */
static int parse_authorization(const char *v, struct authz *out)
{
    static const char algo[] = "SDK-HMAC-SHA256";
    const char *p;
    int seen = 0;

    if (!v || strncmp(v, algo, sizeof(algo) - 1) != 0)
        return -1;
    p = v + sizeof(algo) - 1;
    if (*p != ' ' && *p != '\t')
        return -1;
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
            return -1;
        klen = (size_t)(p - key);
        val = ++p;
        while (*p && *p != ',' && *p != ' ' && *p != '\t')
            p++;
        vlen = (size_t)(p - val);
        if (klen == 6 && strncmp(key, "Access", 6) == 0 && vlen && vlen < sizeof(out->ak)) {
            memcpy(out->ak, val, vlen);
            out->ak[vlen] = '\0';
            seen |= 1;
        } else if (klen == 13 && strncmp(key, "SignedHeaders", 13) == 0 && vlen &&
                   vlen < sizeof(out->signed_headers)) {
            memcpy(out->signed_headers, val, vlen);
            out->signed_headers[vlen] = '\0';
            seen |= 2;
        } else if (klen == 9 && strncmp(key, "Signature", 9) == 0 && vlen == 64) {
            memcpy(out->signature, val, 64);
            out->signature[64] = '\0';
            seen |= 4;
        } else {
            return -1;
        }
    }
    return seen == 7 ? 0 : -1;
}

/* X-Sdk-Date "YYYYMMDDTHHMMSSZ" within the allowed skew. */
static int date_ok(const char *v)
{
    struct tm tm;
    const char *end;
    time_t t, now = time(NULL);

    if (!v || strlen(v) != 16)
        return 0;
    memset(&tm, 0, sizeof(tm));
    end = strptime(v, "%Y%m%dT%H%M%SZ", &tm);
    if (!end || *end)
        return 0;
    t = timegm(&tm);
    return t != (time_t)-1 && t - now <= MAX_SKEW_SECONDS && now - t <= MAX_SKEW_SECONDS;
}

static int unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '_' || c == '.' || c == '~';
}

/* Appends len bytes of s, percent-encoding all but the RFC 3986 unreserved set. */
static int put_encoded(struct fgs__buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t i;

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[3] = { '%', hex[c >> 4], hex[c & 15] };

        if (unreserved(c) ? fgs__buf_putc(b, (char)c) : fgs__buf_put(b, esc, 3))
            return -1;
    }
    return 0;
}

/* Decodes len bytes then re-encodes them. */
static int put_reencoded(struct fgs__buf *b, const char *s, size_t len, bool plus)
{
    char *tmp = malloc(len + 1);
    long n;
    int rc = -1;

    if (!tmp)
        return -1;
    n = fgs__pct_decode(tmp, s, len, plus);
    if (n >= 0)
        rc = put_encoded(b, tmp, (size_t)n);
    free(tmp);
    return rc;
}

static int canonical_uri(struct fgs__buf *b, const char *path, size_t len)
{
    size_t i = 0;

    while (i < len) {
        const char *slash;
        size_t seg;

        if (path[i] == '/') {
            if (fgs__buf_putc(b, '/'))
                return -1;
            i++;
            continue;
        }
        slash = memchr(path + i, '/', len - i);
        seg = slash ? (size_t)(slash - (path + i)) : len - i;
        if (put_reencoded(b, path + i, seg, false))
            return -1;
        i += seg;
    }
    if (b->len == 0 || b->ptr[b->len - 1] != '/')
        return fgs__buf_putc(b, '/');
    return 0;
}

struct qparam {
    struct fgs__buf enc; /* "enc(key)=enc(value)" */
    size_t klen;         /* length of enc(key) */
};

static int qparam_cmp(const void *a, const void *b)
{
    const struct qparam *x = a, *y = b;
    size_t n = x->klen < y->klen ? x->klen : y->klen;
    int c = memcmp(x->enc.ptr, y->enc.ptr, n);

    if (c == 0 && x->klen != y->klen)
        return x->klen < y->klen ? -1 : 1;
    if (c)
        return c;
    return strcmp(x->enc.ptr + x->klen, y->enc.ptr + y->klen);
}

static int canonical_query(struct fgs__buf *b, const char *q)
{
    struct qparam params[64];
    size_t n = 0, i;
    int rc = -1;

    while (q && *q) {
        const char *amp = strchr(q, '&');
        size_t len = amp ? (size_t)(amp - q) : strlen(q);
        const char *eq = memchr(q, '=', len);
        size_t klen = eq ? (size_t)(eq - q) : len;

        if (len) {
            if (n == 64)
                goto done;
            memset(&params[n], 0, sizeof(params[n]));
            if (put_reencoded(&params[n].enc, q, klen, true)) {
                fgs__buf_dispose(&params[n].enc);
                goto done;
            }
            params[n].klen = params[n].enc.len;
            if (fgs__buf_putc(&params[n].enc, '=') ||
                (eq && put_reencoded(&params[n].enc, eq + 1, len - klen - 1, true))) {
                fgs__buf_dispose(&params[n].enc);
                goto done;
            }
            n++;
        }
        q += len;
        if (*q == '&')
            q++;
    }
    qsort(params, n, sizeof(params[0]), qparam_cmp);
    for (i = 0; i < n; i++)
        if ((i && fgs__buf_putc(b, '&')) || fgs__buf_put(b, params[i].enc.ptr, params[i].enc.len))
            goto done;
    rc = 0;
done:
    for (i = 0; i < n; i++)
        fgs__buf_dispose(&params[i].enc);
    return rc;
}

/* "name:value\n" for each signed header; -1 when one is missing or invalid. */
static int canonical_headers(struct fgs__buf *b, struct srv_request *req, const char *signed_h,
                             bool *has_date)
{
    const char *p = signed_h;

    *has_date = false;
    while (*p) {
        const char *semi = strchr(p, ';');
        size_t len = semi ? (size_t)(semi - p) : strlen(p);
        char name[128];
        const char *v;
        size_t vlen;
        size_t i;

        if (len == 0 || len >= sizeof(name))
            return -1;
        for (i = 0; i < len; i++) {
            char c = p[i];

            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
                return -1; /* SignedHeaders are lower-case names */
            name[i] = c;
        }
        name[len] = '\0';
        if (strcmp(name, "x-sdk-date") == 0)
            *has_date = true;
        v = srv_header(req, name);
        if (!v)
            return -1;
        while (*v == ' ' || *v == '\t')
            v++;
        vlen = strlen(v);
        while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
            vlen--;
        if (fgs__buf_printf(b, "%s:", name) || fgs__buf_put(b, v, vlen) || fgs__buf_putc(b, '\n'))
            return -1;
        p += len;
        if (*p == ';')
            p++;
    }
    return 0;
}

/*
 * Failed attempts per client address: after FAIL_LIMIT failures within
 * FAIL_WINDOW seconds, the address gets 429 for the rest of the window
 * without its signatures being checked, which makes guessing keys slow.
 * A fixed table; colliding addresses share a slot (conservative).
 */
#define FAIL_SLOTS 1024
#define FAIL_LIMIT 20
#define FAIL_WINDOW 60

struct fail_slot {
    char addr[64];
    time_t window_start;
    int failures;
};

static struct fail_slot fail_slots[FAIL_SLOTS];
static pthread_mutex_t fail_lock = PTHREAD_MUTEX_INITIALIZER;

static struct fail_slot *fail_slot_for(const char *addr)
{
    uint64_t h = 1469598103934665603ULL;
    const char *p;

    for (p = addr; *p; p++) {
        h ^= (unsigned char)*p;
        h *= 1099511628211ULL;
    }
    return &fail_slots[h % FAIL_SLOTS];
}

/* Whether the address used up its failures in the current window. */
static bool locked_out(const char *addr)
{
    struct fail_slot *s;
    bool out;

    pthread_mutex_lock(&fail_lock);
    s = fail_slot_for(addr);
    out = strcmp(s->addr, addr) == 0 && time(NULL) - s->window_start < FAIL_WINDOW &&
          s->failures >= FAIL_LIMIT;
    pthread_mutex_unlock(&fail_lock);
    return out;
}

static void count_failure(const char *addr)
{
    struct fail_slot *s;
    time_t now = time(NULL);

    pthread_mutex_lock(&fail_lock);
    s = fail_slot_for(addr);
    if (strcmp(s->addr, addr) != 0 || now - s->window_start >= FAIL_WINDOW) {
        fgs__strlcpy(s->addr, addr, sizeof(s->addr));
        s->window_start = now;
        s->failures = 0;
    }
    s->failures++;
    pthread_mutex_unlock(&fail_lock);
}

static void unauthorized(struct srv_request *req, const char *why)
{
    count_failure(req->client);
    json_t *body = json_pack("{s:s, s:s, s:s}", "error_code", "APIGW.0301", "error_msg",
                             "Incorrect IAM authentication information: verify aksk signature fail",
                             "request_id", req->request_id);

    log_info("auth: %s %s refused: %s", req->method, req->raw_uri, why);
    srv_reply_json(req, 401, body);
}

int srv_auth_check(struct srv_request *req)
{
    const struct srv_credential *cred;
    const char *target = req->raw_uri, *qmark, *pid, *payload_hash;
    struct fgs__buf canon = FGS__BUF_INIT;
    char body_hash[65], canon_hash[65], sig_hex[65], sts[256];
    unsigned char sig[32];
    struct authz az;
    bool has_date;
    int rc = -1;

    memset(&az, 0, sizeof(az));
    if (locked_out(req->client)) {
        srv_fail(req, "FSS.0429", "Too many failed authentication attempts; retry later.");
        return -1;
    }
    if (parse_authorization(srv_header(req, "Authorization"), &az) < 0) {
        unauthorized(req, "missing or malformed Authorization");
        return -1;
    }
    if (!date_ok(srv_header(req, "X-Sdk-Date"))) {
        unauthorized(req, "X-Sdk-Date missing, malformed or more than 15 minutes off");
        return -1;
    }
    qmark = strchr(target, '?');
    payload_hash = srv_header(req, "X-Sdk-Content-Sha256");
    if (!payload_hash) {
        fgs__sha256_hex(body_hash, req->body.ptr ? req->body.ptr : "", req->body.len);
        payload_hash = body_hash;
    }
    if (fgs__buf_printf(&canon, "%s\n", req->method) ||
        canonical_uri(&canon, target, qmark ? (size_t)(qmark - target) : strlen(target)) ||
        fgs__buf_putc(&canon, '\n') || canonical_query(&canon, qmark ? qmark + 1 : NULL) ||
        fgs__buf_putc(&canon, '\n') ||
        canonical_headers(&canon, req, az.signed_headers, &has_date) || !has_date ||
        fgs__buf_printf(&canon, "\n%s\n%s", az.signed_headers, payload_hash)) {
        unauthorized(req, "cannot rebuild the canonical request (missing signed header?)");
        goto done;
    }
    fgs__sha256_hex(canon_hash, canon.ptr, canon.len);
    snprintf(sts, sizeof(sts), "SDK-HMAC-SHA256\n%s\n%s", srv_header(req, "X-Sdk-Date"),
             canon_hash);
    cred = srv_credentials_find(&req->srv->creds, az.ak);
    /* Compute an HMAC even for an unknown key so both paths take the same time. */
    fgs__hmac_sha256(sig, cred ? cred->sk : "unknown-key-placeholder",
                     cred ? strlen(cred->sk) : 23, sts, strlen(sts));
    fgs__hex(sig_hex, sig, sizeof(sig));
    if (fgs__ct_memcmp(sig_hex, az.signature, 64) != 0 || !cred) {
        unauthorized(req, cred ? "signature mismatch" : "unknown access key");
        goto done;
    }
    pid = srv_header(req, "X-Project-Id");
    if (!srv_credential_allows(cred, req->project) || (pid && strcmp(pid, req->project) != 0)) {
        srv_fail(req, "FSS.0403", "namespace and token mismatch");
        goto done;
    }
    rc = 0;
done:
    fgs__buf_dispose(&canon);
    return rc;
}
