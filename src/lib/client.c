/*
 * client.c - fgs_client: options, the libcurl transport, request signing and
 * the mapping of replies to FGS_E* codes.
 *
 * One CURL easy handle per client is reused for every request, so libcurl
 * keeps the connection alive between calls. Before each request the handle
 * is reset (curl_easy_reset keeps live connections and caches) and every
 * option is set again, so nothing leaks from one call into the next.
 *
 * Retries: only a GET whose connection failed before a reply arrived is
 * retried (twice, with a short pause); nothing else is ever sent twice,
 * because a POST or PUT may have been applied even if the reply was lost.
 */
#include <curl/curl.h>
#include <ctype.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include "lib/internal.h"
#include "util/sign.h"
#include "util/str.h"

#define DEFAULT_CONNECT_TIMEOUT_MS 10000L
#define DEFAULT_TIMEOUT_MS 60000L
#define GET_RETRIES 2
#define MAX_RESPONSE_HEADERS 128

struct fgs_client {
    CURL *curl;             /* reused easy handle (keep-alive) */
    char *base_url;         /* scheme://host[:port], no trailing slash */
    char *host;             /* Host header value: host[:port], default port dropped */
    char *project_id;       /* path project id */
    char *ak;               /* access key, or NULL */
    char *sk;               /* secret key, or NULL */
    char *security_token;   /* X-Security-Token, or NULL */
    char *auth_token;       /* X-Auth-Token, or NULL */
    char *user_agent;       /* User-Agent */
    long connect_timeout_ms; /* connect timeout */
    long timeout_ms;        /* whole-request timeout */
    bool retry;             /* retry GETs on connection failure */
    bool insecure;          /* skip TLS verification */
};

static atomic_int global_refs;

/*
 * Initializes libcurl once; counted.
 */
int fgs_global_init(void)
{
    if (atomic_fetch_add(&global_refs, 1) == 0) {
        if (curl_global_init(CURL_GLOBAL_ALL) != CURLE_OK) {
            atomic_fetch_sub(&global_refs, 1);
            return fgs__error_set(FGS_ERROR, "curl_global_init failed");
        }
    }
    return 0;
}

/*
 * Drops one reference; the last one cleans libcurl up.
 */
void fgs_global_shutdown(void)
{
    if (atomic_load(&global_refs) > 0 && atomic_fetch_sub(&global_refs, 1) == 1)
        curl_global_cleanup();
}

/*
 * Splits an endpoint URL into base URL and Host value. Accepts
 * http[s]://host[:port] with an optional trailing '/'.
 */
static int parse_endpoint(fgs_client *c, const char *endpoint)
{
    const char *hostpart, *end;
    bool https;
    size_t len, hlen;
    const char *colon;

    if (fgs__str_has_prefix(endpoint, "https://")) {
        https = true;
        hostpart = endpoint + 8;
    } else if (fgs__str_has_prefix(endpoint, "http://")) {
        https = false;
        hostpart = endpoint + 7;
    } else {
        return fgs__error_set(FGS_EINVALID, "endpoint '%s' is not an http:// or https:// URL",
                              endpoint);
    }
    end = strchr(hostpart, '/');
    len = end ? (size_t)(end - hostpart) : strlen(hostpart);
    if (len == 0 || (end && strcmp(end, "/") != 0) || strpbrk(endpoint, " ?#@"))
        return fgs__error_set(FGS_EINVALID, "endpoint '%s' must be scheme://host[:port]",
                              endpoint);
    c->base_url = fgs__strndup(endpoint, (size_t)(hostpart - endpoint) + len);
    hlen = len;
    colon = memchr(hostpart, ':', len);
    if (colon && hostpart[0] != '[') {
        size_t plen = len - (size_t)(colon - hostpart) - 1;

        if ((https && plen == 3 && strncmp(colon + 1, "443", 3) == 0) ||
            (!https && plen == 2 && strncmp(colon + 1, "80", 2) == 0))
            hlen = (size_t)(colon - hostpart);
    }
    c->host = fgs__strndup(hostpart, hlen);
    if (!c->base_url || !c->host)
        return fgs__error_oom();
    return 0;
}

/* Copies an optional string option; false when out of memory. */
static bool copy_opt(char **dst, const char *src)
{
    if (!src || !*src) {
        *dst = NULL;
        return true;
    }
    *dst = fgs__strdup(src);
    return *dst != NULL;
}

/*
 * Creates a client from options.
 */
int fgs_client_new(fgs_client **out, const fgs_client_options *opts)
{
    fgs_client *c = NULL;
    char buf[256];
    int rc;

    FGS_ASSERT_ARG(out);
    *out = NULL;
    FGS_ASSERT_ARG(opts);
    if (opts->version != FGS_CLIENT_OPTIONS_VERSION)
        return fgs__error_set(FGS_EINVALID, "unknown fgs_client_options version %u",
                              opts->version);
    if (!opts->project_id || !*opts->project_id)
        return fgs__error_set(FGS_EINVALID, "project_id is required");
    if ((!opts->endpoint || !*opts->endpoint) && (!opts->region || !*opts->region))
        return fgs__error_set(FGS_EINVALID, "an endpoint or a region is required");
    if ((opts->ak && *opts->ak) != (opts->sk && *opts->sk))
        return fgs__error_set(FGS_EINVALID, "ak and sk must be given together");
    c = fgs__calloc(1, sizeof(*c));
    if (!c)
        return fgs__error_oom();
    if (opts->endpoint && *opts->endpoint) {
        rc = parse_endpoint(c, opts->endpoint);
    } else {
        snprintf(buf, sizeof(buf), "https://functiongraph.%s.myhuaweicloud.com", opts->region);
        rc = parse_endpoint(c, buf);
    }
    if (rc < 0)
        goto fail;
    snprintf(buf, sizeof(buf), "libfgs/%s", FGS_VERSION_STRING);
    if (!copy_opt(&c->project_id, opts->project_id) || !copy_opt(&c->ak, opts->ak) ||
        !copy_opt(&c->sk, opts->sk) || !copy_opt(&c->security_token, opts->security_token) ||
        !copy_opt(&c->auth_token, opts->auth_token) ||
        !copy_opt(&c->user_agent, opts->user_agent ? opts->user_agent : buf)) {
        rc = fgs__error_oom();
        goto fail;
    }
    c->connect_timeout_ms =
        opts->connect_timeout_ms > 0 ? opts->connect_timeout_ms : DEFAULT_CONNECT_TIMEOUT_MS;
    c->timeout_ms = opts->timeout_ms > 0 ? opts->timeout_ms : DEFAULT_TIMEOUT_MS;
    c->retry = !opts->no_retry;
    c->insecure = opts->insecure != 0;
    c->curl = curl_easy_init();
    if (!c->curl) {
        rc = fgs__error_set(FGS_ERROR, "curl_easy_init failed");
        goto fail;
    }
    *out = c;
    return 0;
fail:
    fgs_client_free(c);
    return rc;
}

/*
 * Frees a client and closes its connection.
 */
void fgs_client_free(fgs_client *c)
{
    if (!c)
        return;
    if (c->curl)
        curl_easy_cleanup(c->curl);
    fgs__free(c->base_url);
    fgs__free(c->host);
    fgs__free(c->project_id);
    fgs__free(c->ak);
    if (c->sk) {
        memset(c->sk, 0, strlen(c->sk));
        fgs__free(c->sk);
    }
    fgs__free(c->security_token);
    fgs__free(c->auth_token);
    fgs__free(c->user_agent);
    fgs__free(c);
}

/*
 * The base URL; borrowed.
 */
const char *fgs_client_base_url(const fgs_client *c)
{
    return c ? c->base_url : NULL;
}

/*
 * The project id; borrowed.
 */
const char *fgs_client_project_id(const fgs_client *c)
{
    return c ? c->project_id : NULL;
}

/* Characters sent raw in a path segment: unreserved plus the URN's ':' and '!'. */
static bool path_safe(unsigned char ch)
{
    return isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~' || ch == ':' ||
           ch == '!';
}

/*
 * Appends "/" + seg, encoded; what names the argument in the error.
 */
int fgs__path_seg(struct fgs__buf *path, const char *what, const char *seg)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p;

    if (!seg || !*seg)
        return fgs__error_set(FGS_EINVALID, "%s is required", what);
    if (strcmp(seg, ".") == 0 || strcmp(seg, "..") == 0)
        return fgs__error_set(FGS_EINVALID, "%s '%s' is not valid", what, seg);
    if (fgs__buf_putc(path, '/') < 0)
        return fgs__error_oom();
    for (p = (const unsigned char *)seg; *p; p++) {
        int rc;

        if (path_safe(*p))
            rc = fgs__buf_putc(path, (char)*p);
        else
            rc = fgs__buf_printf(path, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
        if (rc < 0)
            return fgs__error_oom();
    }
    return 0;
}

/*
 * Appends a literal path piece.
 */
int fgs__path_lit(struct fgs__buf *path, const char *lit)
{
    return fgs__buf_puts(path, lit) < 0 ? fgs__error_oom() : 0;
}

/* libcurl body callback: appends to resp->body. */
static size_t on_body(char *data, size_t size, size_t n, void *payload)
{
    struct fgs__resp *resp = payload;

    if (fgs__buf_put(&resp->body, data, size * n) < 0) {
        resp->oom = 1;
        return 0;
    }
    return size * n;
}

/* Drops the stored response headers (a new status line starts a new set). */
static void clear_headers(struct fgs__resp *resp)
{
    size_t i;

    for (i = 0; i < resp->nhdrs; i++) {
        fgs__free(resp->hdr_names[i]);
        fgs__free(resp->hdr_values[i]);
    }
    resp->nhdrs = 0;
}

/* Stores one "Name: value" header line. */
static int store_header(struct fgs__resp *resp, const char *line, size_t len)
{
    const char *colon = memchr(line, ':', len);
    const char *v;
    size_t nlen, vlen, i;

    if (!colon || resp->nhdrs >= MAX_RESPONSE_HEADERS)
        return 0;
    if (resp->nhdrs == resp->hdr_cap) {
        size_t cap = resp->hdr_cap ? resp->hdr_cap * 2 : 16;
        char **nn = fgs__realloc(resp->hdr_names, cap * sizeof(*nn));

        if (!nn)
            return -1;
        resp->hdr_names = nn;
        nn = fgs__realloc(resp->hdr_values, cap * sizeof(*nn));
        if (!nn)
            return -1;
        resp->hdr_values = nn;
        resp->hdr_cap = cap;
    }
    nlen = (size_t)(colon - line);
    v = colon + 1;
    vlen = len - nlen - 1;
    while (vlen && (*v == ' ' || *v == '\t')) {
        v++;
        vlen--;
    }
    while (vlen && isspace((unsigned char)v[vlen - 1]))
        vlen--;
    resp->hdr_names[resp->nhdrs] = fgs__strndup(line, nlen);
    resp->hdr_values[resp->nhdrs] = fgs__strndup(v, vlen);
    if (!resp->hdr_names[resp->nhdrs] || !resp->hdr_values[resp->nhdrs]) {
        fgs__free(resp->hdr_names[resp->nhdrs]);
        fgs__free(resp->hdr_values[resp->nhdrs]);
        return -1;
    }
    for (i = 0; i < nlen; i++)
        resp->hdr_names[resp->nhdrs][i] = (char)tolower((unsigned char)line[i]);
    resp->nhdrs++;
    return 0;
}

/* libcurl header callback. */
static size_t on_header(char *data, size_t size, size_t n, void *payload)
{
    struct fgs__resp *resp = payload;
    size_t len = size * n;

    if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
        clear_headers(resp);
        return len;
    }
    if (store_header(resp, data, len) < 0) {
        resp->oom = 1;
        return 0;
    }
    return len;
}

/*
 * Looks up a response header by lower-case name.
 */
const char *fgs__resp_header(const struct fgs__resp *resp, const char *lname)
{
    size_t i;

    for (i = 0; i < resp->nhdrs; i++) {
        if (strcmp(resp->hdr_names[i], lname) == 0)
            return resp->hdr_values[i];
    }
    return NULL;
}

/*
 * Releases a reply.
 */
void fgs__resp_dispose(struct fgs__resp *resp)
{
    clear_headers(resp);
    FGS_FREE(resp->hdr_names);
    FGS_FREE(resp->hdr_values);
    resp->hdr_cap = 0;
    fgs__buf_dispose(&resp->body);
}

/* Maps an HTTP error status to an FGS_E* code. */
static int status_code(long status)
{
    switch (status) {
    case 400:
    case 406:
        return FGS_EINVALID;
    case 401:
        return FGS_EAUTH;
    case 403:
        return FGS_EFORBIDDEN;
    case 404:
        return FGS_ENOTFOUND;
    case 409:
        return FGS_EEXISTS;
    case 413:
        return FGS_ETOOLARGE;
    case 429:
        return FGS_ETHROTTLED;
    case 501:
        return FGS_ENOTIMPL;
    default:
        return status >= 500 ? FGS_ESERVER : FGS_ERROR;
    }
}

/*
 * Records the error of a non-2xx reply from its FunctionGraph error body
 * ({"error_code","error_msg"} or {"error":{"code","message"}}).
 */
static int server_error(const struct fgs__resp *resp)
{
    const char *fss = NULL, *msg = NULL, *rid = fgs__resp_header(resp, "x-request-id");
    json_t *root = NULL, *err;
    int code = status_code(resp->status);

    if (resp->body.len)
        root = json_loadb(resp->body.ptr, resp->body.len, 0, NULL);
    if (json_is_object(root)) {
        fss = json_string_value(json_object_get(root, "error_code"));
        msg = json_string_value(json_object_get(root, "error_msg"));
        err = json_object_get(root, "error");
        if (!fss && json_is_object(err))
            fss = json_string_value(json_object_get(err, "code"));
        if (!msg && json_is_object(err))
            msg = json_string_value(json_object_get(err, "message"));
        if (!rid)
            rid = json_string_value(json_object_get(root, "request_id"));
    }
    if (msg && *msg)
        fgs__error_set(code, "%s", msg);
    else
        fgs__error_set(code, "HTTP %ld (%s)", resp->status, fgs_strerror(code));
    fgs__error_set_http((int)resp->status, fss, rid);
    json_decref(root);
    return code;
}

/* Maps a libcurl failure to an FGS_E* code and records it. */
static int transport_error(CURLcode cc, const char *errbuf, const struct fgs__resp *resp)
{
    const char *detail = errbuf[0] ? errbuf : curl_easy_strerror(cc);

    if (resp->oom || cc == CURLE_OUT_OF_MEMORY)
        return fgs__error_oom();
    switch (cc) {
    case CURLE_OPERATION_TIMEDOUT:
        return fgs__error_set(FGS_ETIMEOUT, "request timed out: %s", detail);
    case CURLE_PARTIAL_FILE:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_BAD_CONTENT_ENCODING:
        return fgs__error_set(FGS_EPROTOCOL, "malformed or truncated reply: %s", detail);
    default:
        return fgs__error_set(FGS_ETRANSPORT, "%s", detail);
    }
}

/* Whether a failed GET may be sent again: nothing came back from the server. */
static bool retryable(CURLcode cc)
{
    return cc == CURLE_COULDNT_CONNECT || cc == CURLE_SEND_ERROR || cc == CURLE_RECV_ERROR ||
           cc == CURLE_GOT_NOTHING;
}

/* Appends "Name: value" to a curl header list; false when out of memory. */
static bool add_header(struct curl_slist **list, const char *name, const char *value)
{
    struct fgs__buf line = FGS__BUF_INIT;
    struct curl_slist *n;

    if (fgs__buf_printf(&line, "%s: %s", name, value) < 0)
        return false;
    n = curl_slist_append(*list, line.ptr);
    fgs__buf_dispose(&line);
    if (!n)
        return false;
    *list = n;
    return true;
}

/* Everything prepared for sending one request. */
struct prepared {
    struct fgs__buf url;     /* full URL */
    struct fgs__buf path;    /* /v2/{project}/fgs/... */
    struct fgs__buf authz;   /* Authorization value */
    struct curl_slist *hdrs; /* request headers */
};

/* Builds the path, the URL with its canonical (sorted, %20) query, and the query params. */
static int build_url(fgs_client *c, const struct fgs__req *req, struct prepared *p,
                     struct fgs__sign_param *sp, size_t *nsp)
{
    size_t i;
    int rc;

    *nsp = 0;
    if (fgs__buf_puts(&p->path, "/v2") < 0)
        return fgs__error_oom();
    rc = fgs__path_seg(&p->path, "project_id", c->project_id);
    if (rc < 0)
        return rc;
    if (fgs__buf_printf(&p->path, "/fgs%s", req->path) < 0)
        return fgs__error_oom();
    for (i = 0; i < req->nparams; i++) {
        if (req->params[i].value) {
            sp[*nsp].key = req->params[i].key;
            sp[(*nsp)++].value = req->params[i].value;
        }
    }
    if (fgs__buf_printf(&p->url, "%s%s", c->base_url, p->path.ptr) < 0)
        return fgs__error_oom();
    if (*nsp) {
        if (fgs__buf_putc(&p->url, '?') < 0)
            return fgs__error_oom();
        rc = fgs__sign_canonical_query(&p->url, sp, *nsp);
        if (rc < 0)
            return fgs__error_oom();
    }
    return 0;
}

/* Builds the headers, signing them when the client has an AK/SK. */
static int build_headers(fgs_client *c, const struct fgs__req *req, struct prepared *p,
                         const struct fgs__sign_param *sp, size_t nsp)
{
    struct fgs__sign_header h[24];
    struct fgs__sign_request sr = { 0 };
    char date[17];
    size_t n = 0, i;
    int rc;

    if (req->nheaders > 16)
        return fgs__error_set(FGS_EINVALID, "too many request headers");
    fgs__sign_date(date, (long long)time(NULL));
    h[n++] = (struct fgs__sign_header){ "Content-Type", "application/json" };
    h[n++] = (struct fgs__sign_header){ "Host", c->host };
    h[n++] = (struct fgs__sign_header){ "X-Project-Id", c->project_id };
    h[n++] = (struct fgs__sign_header){ "X-Sdk-Date", date };
    if (c->security_token)
        h[n++] = (struct fgs__sign_header){ "X-Security-Token", c->security_token };
    for (i = 0; i < req->nheaders; i++)
        h[n++] = (struct fgs__sign_header){ req->headers[i].name, req->headers[i].value };
    for (i = 0; i < n; i++) {
        if (!add_header(&p->hdrs, h[i].name, h[i].value))
            return fgs__error_oom();
    }
    if (c->ak) {
        sr.method = req->method;
        sr.path = p->path.ptr;
        sr.params = sp;
        sr.nparams = nsp;
        sr.headers = h;
        sr.nheaders = n;
        sr.body = req->body;
        sr.body_len = req->body_len;
        rc = fgs__sign_request(&p->authz, &sr, c->ak, c->sk, NULL, NULL);
        if (rc == FGS__SIGN_ENOMEM)
            return fgs__error_oom();
        if (rc < 0)
            return fgs__error_set(FGS_EINVALID, "request cannot be signed (bad path escape)");
        if (!add_header(&p->hdrs, "Authorization", p->authz.ptr))
            return fgs__error_oom();
    } else if (c->auth_token && !add_header(&p->hdrs, "X-Auth-Token", c->auth_token)) {
        return fgs__error_oom();
    }
    if (!add_header(&p->hdrs, "Accept", "application/json") ||
        !add_header(&p->hdrs, "User-Agent", c->user_agent) || !add_header(&p->hdrs, "Expect", ""))
        return fgs__error_oom();
    return 0;
}

/* Sets every option of one transfer on the (reset) handle. */
static void setup_handle(fgs_client *c, const struct fgs__req *req, struct prepared *p,
                         struct fgs__resp *resp, char *errbuf)
{
    CURL *h = c->curl;

    curl_easy_reset(h);
    curl_easy_setopt(h, CURLOPT_URL, p->url.ptr);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, p->hdrs);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, resp);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, resp);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, c->connect_timeout_ms);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, c->timeout_ms);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    if (c->insecure) {
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    if (strcmp(req->method, "GET") == 0) {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else {
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req->method);
        if (req->body) {
            curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body);
            curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
        }
    }
}

/*
 * Sends one request and maps the outcome (see internal.h).
 */
int fgs__call(fgs_client *c, const struct fgs__req *req, struct fgs__resp *resp)
{
    struct prepared p = { FGS__BUF_INIT, FGS__BUF_INIT, FGS__BUF_INIT, NULL };
    struct fgs__sign_param sp[16];
    char errbuf[CURL_ERROR_SIZE];
    bool is_get = strcmp(req->method, "GET") == 0;
    CURLcode cc;
    size_t nsp;
    int attempt, rc;

    if (req->nparams > 16)
        return fgs__error_set(FGS_EINVALID, "too many query parameters");
    rc = build_url(c, req, &p, sp, &nsp);
    if (rc < 0)
        goto done;
    rc = build_headers(c, req, &p, sp, nsp);
    if (rc < 0)
        goto done;
    for (attempt = 0;; attempt++) {
        errbuf[0] = '\0';
        clear_headers(resp);
        fgs__buf_clear(&resp->body);
        resp->oom = 0;
        setup_handle(c, req, &p, resp, errbuf);
        cc = curl_easy_perform(c->curl);
        if (cc == CURLE_OK || !is_get || !c->retry || attempt >= GET_RETRIES || !retryable(cc))
            break;
        usleep(100000u * (unsigned)(attempt + 1));
    }
    if (cc != CURLE_OK) {
        curl_easy_reset(c->curl);
        rc = transport_error(cc, errbuf, resp);
        goto done;
    }
    curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &resp->status);
    /* drop pointers to this call's stack and buffers; the connection stays */
    curl_easy_reset(c->curl);
    if (resp->oom)
        rc = fgs__error_oom();
    else if (resp->status < 200 || resp->status > 299)
        rc = server_error(resp);
    else
        rc = 0;
done:
    curl_slist_free_all(p.hdrs);
    fgs__buf_dispose(&p.url);
    fgs__buf_dispose(&p.path);
    fgs__buf_dispose(&p.authz);
    return rc;
}
