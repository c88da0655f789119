/*
 * http.c - the libmicrohttpd glue: request life cycle, body collection with
 * per-route caps, request-smuggling checks, and writing responses.
 *
 * MHD calls on_access() several times per request: once when the headers
 * are in (we route and check them), once per body chunk, and once more when
 * the body is complete (we run the handler and queue the answer). Answers
 * are queued only on that last call, never on the first, because MHD closes
 * the connection after an answer queued before the body was read.
 */
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <microhttpd.h>
#include "core/server.h"
#include "http/auth.h"
#include "http/http.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/str.h"
#include "util/timefmt.h"

enum req_state { REQ_NEW, REQ_BODY, REQ_DONE };

/* A refused request's body is drained up to this size; beyond, the connection is closed. */
#define DISCARD_MAX ((int64_t)8 * 1024 * 1024)

struct conn_ctx {
    struct srv_request req;
    enum req_state state;
    int pre_status;          /* error found before the handler could run */
    const char *pre_code;
    char pre_msg[160];
    bool reject_now;         /* answer before reading the body (declared oversize) */
    size_t body_accounted;   /* bytes of this body counted in body_bytes */
};

/*
 * Bytes of request bodies buffered across all connections. Each route caps
 * its own body, but thousands of connections each uploading a maximal code
 * package would still exhaust memory; beyond the budget new body bytes are
 * refused with 503 so the server degrades instead of dying.
 */
static int64_t body_bytes;

static void pre_fail(struct conn_ctx *c, const char *code, const char *msg)
{
    if (c->pre_code)
        return;
    c->pre_code = code;
    c->pre_status = srv_fss_status(code);
    fgs__strlcpy(c->pre_msg, msg, sizeof(c->pre_msg));
}

const char *srv_header(const struct srv_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

void srv_add_header(struct srv_request *req, const char *name, const char *value)
{
    struct srv_header *h;

    if (req->nhdr == SRV_MAX_RESP_HEADERS)
        return;
    h = &req->hdr[req->nhdr];
    h->value = strdup(value);
    if (!h->value)
        return;
    fgs__strlcpy(h->name, name, sizeof(h->name));
    req->nhdr++;
}

void srv_reply_raw(struct srv_request *req, int status, const char *content_type,
                   const void *data, size_t len)
{
    if (req->status)
        return;
    fgs__buf_clear(&req->out);
    if (fgs__buf_put(&req->out, data, len) < 0) {
        status = 503;
        fgs__buf_clear(&req->out);
    }
    req->status = status;
    req->content_type = content_type;
}

void srv_reply_json(struct srv_request *req, int status, json_t *body)
{
    char *text;

    if (req->status) {
        json_decref(body);
        return;
    }
    text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (!text) {
        static const char oom[] =
            "{\"error_code\":\"FSS.0500\",\"error_msg\":\"Internal server error.\"}";
        srv_reply_raw(req, 500, "application/json", oom, sizeof(oom) - 1);
        return;
    }
    srv_reply_raw(req, status, "application/json", text, strlen(text));
    free(text);
}

void srv_reply_empty(struct srv_request *req, int status)
{
    srv_reply_raw(req, status, NULL, "", 0);
}

json_t *srv_body_object(struct srv_request *req)
{
    json_error_t err;
    json_t *obj;

    if (req->body.len == 0) {
        srv_fail(req, "FSS.0400", "The request body must be a JSON object.");
        return NULL;
    }
    obj = json_loadb(req->body.ptr, req->body.len, JSON_REJECT_DUPLICATES, &err);
    if (!obj) {
        srv_fail(req, "FSS.0400", "Malformed JSON at line %d, column %d: %s", err.line,
                 err.column, err.text);
        return NULL;
    }
    if (!json_is_object(obj)) {
        json_decref(obj);
        srv_fail(req, "FSS.0400", "The request body must be a JSON object.");
        return NULL;
    }
    return obj;
}

static void client_text(struct MHD_Connection *conn, char *out, size_t size)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;

    out[0] = '\0';
    if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)size);
    else if (sa && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, (socklen_t)size);
}

/* MHD_OPTION_URI_LOG_CALLBACK: the first sight of a request, with the raw target. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    struct conn_ctx *c = calloc(1, sizeof(*c));

    if (!c)
        return NULL;
    c->req.srv = cls;
    c->req.conn = conn;
    c->req.raw_uri = strdup(uri ? uri : "");
    c->req.start_ns = fgs__mono_ns();
    fgs__uuid4(c->req.request_id);
    client_text(conn, c->req.client, sizeof(c->req.client));
    return c;
}

/* Keeps the target raw: we decode path segments and query ourselves. */
static size_t keep_raw(void *cls, struct MHD_Connection *conn, char *s)
{
    return strlen(s);
}

struct header_scan {
    int content_length;
    int transfer_encoding;
    int bad_value;
};

static enum MHD_Result scan_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
    struct header_scan *hs = cls;
    const char *p;

    if (strcasecmp(key, "content-length") == 0)
        hs->content_length++;
    if (strcasecmp(key, "transfer-encoding") == 0)
        hs->transfer_encoding++;
    for (p = value ? value : ""; *p; p++)
        if ((unsigned char)*p < 0x20 && *p != '\t')
            hs->bad_value = 1;
    return MHD_YES;
}

/* Routes the request and checks its headers; errors are answered at the end. */
static void on_headers(struct conn_ctx *c, const char *method)
{
    struct srv_request *req = &c->req;
    struct header_scan hs = { 0, 0, 0 };
    const char *cl;
    int rc, mismatch = 0;

    req->method = method;
    MHD_get_connection_values(req->conn, MHD_HEADER_KIND, scan_header, &hs);
    if (hs.content_length > 1 || (hs.content_length && hs.transfer_encoding) ||
        hs.transfer_encoding > 1 || hs.bad_value) {
        pre_fail(c, "FSS.0400", "Conflicting or malformed framing headers.");
        return;
    }
    rc = srv_request_parse_target(req, req->raw_uri);
    if (rc == -2) {
        pre_fail(c, "FSS.1001", "Malformed percent-escape or too many query parameters.");
        return;
    }
    if (rc == -1) {
        pre_fail(c, "FSS.0404", "No such API path.");
        return;
    }
    req->route = srv_route_find(method, req->seg, req->nseg, &mismatch);
    if (!req->route) {
        if (mismatch)
            pre_fail(c, "FSS.0405", "The method is not allowed for this resource.");
        else
            pre_fail(c, "FSS.0404", "No such API path.");
        return;
    }
    cl = srv_header(req, "Content-Length");
    if (cl) {
        int64_t n;

        if (fgs__parse_int64(cl, 0, INT64_MAX, &n) < 0)
            pre_fail(c, "FSS.0400", "Invalid Content-Length.");
        else if ((uint64_t)n > req->route->body_cap && n > 0)
            pre_fail(c, "FSS.0413", "The request body is too large.");
    }
}

/* Bytes the client declared with Content-Length; -1 when absent or invalid. */
static int64_t declared_length(struct srv_request *req)
{
    const char *cl = srv_header(req, "Content-Length");
    int64_t n;

    if (!cl || fgs__parse_int64(cl, 0, INT64_MAX, &n) < 0)
        return -1;
    return n;
}

/* Frees the body and returns its bytes to the shared budget. */
static void release_body(struct conn_ctx *c)
{
    fgs__buf_dispose(&c->req.body);
    if (c->body_accounted)
        __atomic_sub_fetch(&body_bytes, (int64_t)c->body_accounted, __ATOMIC_RELAXED);
    c->body_accounted = 0;
}

static void on_body(struct conn_ctx *c, const char *data, size_t len)
{
    struct srv_request *req = &c->req;

    if (c->pre_code)
        return; /* discard: the answer is already decided */
    if (!req->route || req->body.len + len > req->route->body_cap) {
        pre_fail(c, "FSS.0413", "The request body is too large.");
        release_body(c);
        return;
    }
    if (__atomic_add_fetch(&body_bytes, (int64_t)len, __ATOMIC_RELAXED) >
        req->srv->cfg.max_body_memory) {
        __atomic_sub_fetch(&body_bytes, (int64_t)len, __ATOMIC_RELAXED);
        pre_fail(c, "FSS.0503", "The server is busy receiving other requests; retry later.");
        release_body(c);
        return;
    }
    c->body_accounted += len;
    if (fgs__buf_put(&req->body, data, len) < 0) {
        pre_fail(c, "FSS.0503", "Out of memory.");
        release_body(c);
    }
}

static void answer_special(struct srv_request *req)
{
    const char *path = req->raw_uri;

    if (strcmp(path, "/") == 0 || strcmp(path, "/health") == 0 || strcmp(path, "/healthz") == 0) {
        srv_reply_json(req, 200, json_pack("{s:s}", "status", "ok"));
        return;
    }
    srv_fail(req, "FSS.0404", "No such API path.");
}

static enum MHD_Result queue_answer(struct conn_ctx *c)
{
    struct srv_request *req = &c->req;
    struct MHD_Response *resp;
    enum MHD_Result ret;
    int i;

    if (!req->status)
        srv_fail(req, "FSS.0500", NULL);
    resp = MHD_create_response_from_buffer(req->out.len, req->out.ptr ? req->out.ptr : "",
                                           req->out.ptr ? MHD_RESPMEM_MUST_FREE
                                                        : MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    req->out.ptr = NULL; /* now owned by the response */
    req->out.len = req->out.cap = 0;
    if (req->content_type)
        MHD_add_response_header(resp, "Content-Type", req->content_type);
    MHD_add_response_header(resp, "X-Request-Id", req->request_id);
    for (i = 0; i < req->nhdr; i++)
        MHD_add_response_header(resp, req->hdr[i].name, req->hdr[i].value);
    ret = MHD_queue_response(req->conn, (unsigned)req->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *conn, const char *url,
                                 const char *method, const char *version,
                                 const char *upload_data, size_t *upload_data_size,
                                 void **con_cls)
{
    struct conn_ctx *c = *con_cls;

    if (!c)
        return MHD_NO; /* on_uri could not allocate */
    if (c->state == REQ_NEW) {
        on_headers(c, method);
        c->state = REQ_BODY;
        /*
         * A request refused at its headers may still send a modest body, which
         * is read and dropped so the connection stays usable; one declaring
         * a large or unknown-length body is answered at once and closed.
         */
        if (c->pre_code && (srv_header(&c->req, "Transfer-Encoding") ||
                            declared_length(&c->req) > DISCARD_MAX))
            c->reject_now = true;
        if (!c->reject_now)
            return MHD_YES;
        /* Do not wait for a body we will refuse anyway; MHD closes the connection after. */
        c->state = REQ_DONE;
        srv_fail_status(&c->req, c->pre_status, c->pre_code, "%s", c->pre_msg);
        return queue_answer(c);
    }
    if (*upload_data_size) {
        on_body(c, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (c->state == REQ_DONE)
        return MHD_YES;
    c->state = REQ_DONE;
    if (c->pre_code) {
        if (strcmp(c->pre_code, "FSS.0404") == 0 && !c->req.route && c->req.nseg == 0 &&
            !c->req.project[0])
            answer_special(&c->req);
        else
            srv_fail_status(&c->req, c->pre_status, c->pre_code, "%s", c->pre_msg);
    } else if (c->req.srv->cfg.auth_none || srv_auth_check(&c->req) == 0) {
        c->req.route->handler(&c->req);
    }
    return queue_answer(c);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct conn_ctx *c = *con_cls;
    int i;

    if (!c)
        return;
    log_debug("%s %s -> %d (%.3f ms)", c->req.method ? c->req.method : "-", c->req.raw_uri,
              c->req.status, (double)(fgs__mono_ns() - c->req.start_ns) / 1e6);
    srv_request_free_parsed(&c->req);
    release_body(c);
    fgs__buf_dispose(&c->req.out);
    for (i = 0; i < c->req.nhdr; i++)
        free(c->req.hdr[i].value);
    free(c->req.raw_uri);
    free(c);
    *con_cls = NULL;
}

__attribute__((format(printf, 2, 0))) static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    char msg[512];

    vsnprintf(msg, sizeof(msg), fmt, ap);
    msg[strcspn(msg, "\n")] = '\0';
    log_warn("http: %s", msg);
}

int srv_http_start(struct srv_server *srv)
{
    struct srv_config *cfg = &srv->cfg;
    struct addrinfo hints, *ai = NULL;
    const union MHD_DaemonInfo *info;
    unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
                         MHD_ALLOW_SUSPEND_RESUME;
    char host[256], port[16];
    int rc;

    fgs__strlcpy(host, cfg->listen_host, sizeof(host));
    if (host[0] == '[') {
        memmove(host, host + 1, strlen(host));
        host[strcspn(host, "]")] = '\0';
    }
    snprintf(port, sizeof(port), "%d", cfg->listen_port);
    memset(&hints, 0, sizeof(hints));
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    rc = getaddrinfo(host, port, &hints, &ai);
    if (rc) {
        log_error("http: cannot resolve listen address %s: %s", host, gai_strerror(rc));
        return -1;
    }
    if (ai->ai_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    srv->http = MHD_start_daemon(
        flags, (uint16_t)cfg->listen_port, NULL, NULL, on_access, srv,
        MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_SOCK_ADDR, ai->ai_addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)cfg->max_connections,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->conn_timeout,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
        MHD_OPTION_LISTENING_ADDRESS_REUSE, 1,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv,
        MHD_OPTION_UNESCAPE_CALLBACK, keep_raw, NULL,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
        MHD_OPTION_END);
    freeaddrinfo(ai);
    if (!srv->http) {
        log_error("http: cannot listen on %s:%d", cfg->listen_host, cfg->listen_port);
        return -1;
    }
    info = MHD_get_daemon_info(srv->http, MHD_DAEMON_INFO_BIND_PORT);
    snprintf(srv->listen_url, sizeof(srv->listen_url), "http://%s%s%s:%u",
             strchr(host, ':') ? "[" : "", host, strchr(host, ':') ? "]" : "",
             info ? info->port : (unsigned)cfg->listen_port);
    return 0;
}

void srv_http_stop(struct srv_server *srv)
{
    if (srv->http) {
        MHD_stop_daemon(srv->http);
        srv->http = NULL;
    }
}
