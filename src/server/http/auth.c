/*
 * auth.c - authentication of API requests: SDK-HMAC-SHA256 signatures,
 * tenancy, and a lockout for addresses that keep failing.
 *
 * The canonical request is rebuilt from what arrived, never from what the
 * client claims (util/sign.c: raw path segments and query parameters are
 * decoded and re-encoded, the headers are those the client listed in
 * SignedHeaders with the values received, the payload hash is
 * X-Sdk-Content-Sha256 or SHA-256 of the body bytes as received). Here we
 * add what the signature alone cannot give: X-Sdk-Date must be signed and
 * within 15 minutes of our clock, so a captured request cannot be replayed
 * later; the signature is compared in constant time, and an unknown key
 * costs the same HMAC as a known one, so timing does not reveal which keys
 * exist.
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
#include "util/sign.h"
#include "util/str.h"

#define MAX_SKEW_SECONDS (15 * 60)

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

/* fgs__sign_header_cb over the request's received headers. */
static const char *received_header(const char *lname, void *payload)
{
    return srv_header(payload, lname);
}

/* Whether the SignedHeaders list names x-sdk-date (the date must be signed). */
static bool signs_date(const char *list)
{
    const char *p = list;
    size_t n = strlen("x-sdk-date");

    while ((p = strstr(p, "x-sdk-date")) != NULL) {
        if ((p == list || p[-1] == ';') && (p[n] == '\0' || p[n] == ';'))
            return true;
        p += n;
    }
    return false;
}

int srv_auth_check(struct srv_request *req)
{
    const struct srv_credential *cred;
    struct fgs__buf canon = FGS__BUF_INIT, sts = FGS__BUF_INIT;
    const char *qmark = strchr(req->raw_uri, '?'), *pid, *date;
    struct fgs__sign_authz az;
    char *path = NULL, sig[65];
    int rc = -1;

    if (locked_out(req->client)) {
        srv_fail(req, "FSS.0429", "Too many failed authentication attempts; retry later.");
        return -1;
    }
    date = srv_header(req, FGS__SIGN_DATE_HEADER);
    if (fgs__sign_parse_authorization(&az, srv_header(req, "Authorization")) < 0) {
        unauthorized(req, "missing or malformed Authorization");
        return -1;
    }
    if (!date_ok(date) || !signs_date(az.signed_headers)) {
        unauthorized(req, "X-Sdk-Date missing, unsigned, malformed or more than 15 minutes off");
        return -1;
    }
    path = strndup(req->raw_uri, qmark ? (size_t)(qmark - req->raw_uri) : strlen(req->raw_uri));
    if (!path || fgs__sign_canonical_request_received(&canon, req->method, path,
                                                      qmark ? qmark + 1 : NULL,
                                                      az.signed_headers, received_header, req,
                                                      req->body.ptr, req->body.len) < 0 ||
        fgs__sign_string_to_sign(&sts, date, canon.ptr) < 0) {
        unauthorized(req, "cannot rebuild the canonical request (missing signed header?)");
        goto done;
    }
    cred = srv_credentials_find(&req->srv->creds, az.ak);
    /* Compute an HMAC even for an unknown key so both paths take the same time. */
    fgs__sign_signature(sig, cred ? cred->sk : "unknown-key-placeholder", sts.ptr);
    if (fgs__ct_memcmp(sig, az.signature, 64) != 0 || !cred) {
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
    free(path);
    fgs__buf_dispose(&canon);
    fgs__buf_dispose(&sts);
    return rc;
}
