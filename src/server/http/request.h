/*
 * request.h - one HTTP request as the API handlers see it, and the helpers
 * they answer with.
 *
 * The HTTP layer (http.c) routes a request, collects its body up to the
 * route's cap, then calls the route's handler once on a worker thread. The
 * handler must answer exactly once with srv_reply_json(), srv_reply_empty()
 * or srv_fail(); a handler that returns without answering gets a 500.
 */
#ifndef SRV_HTTP_REQUEST_H
#define SRV_HTTP_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "util/buf.h"

#define SRV_MAX_SEGS 8
#define SRV_MAX_QUERY 32
#define SRV_MAX_RESP_HEADERS 16

struct srv_server;
struct srv_request;
struct MHD_Connection;

typedef void (*srv_handler_fn)(struct srv_request *req);

struct srv_route {
    const char *method;      /* GET, POST, ... */
    const char *pattern;     /* segments after the API prefix; '*' matches one */
    srv_handler_fn handler;
    size_t body_cap;         /* largest accepted body in bytes */
};

struct srv_query_param {
    char *key;               /* percent-decoded */
    char *value;             /* percent-decoded; "" when absent */
};

struct srv_header {
    char name[64];
    char *value;
};

struct srv_request {
    struct srv_server *srv;
    struct MHD_Connection *conn;
    const struct srv_route *route;  /* NULL until routed */
    const char *method;             /* owned by MHD */
    char *raw_uri;                  /* request target as received */
    char *seg[SRV_MAX_SEGS];        /* decoded segments after /v2/{project}/fgs/ */
    int nseg;
    char project[128];              /* decoded project id of the path */
    bool legacy;                    /* came in as /v1.0/{project}/fss/... */
    struct srv_query_param query[SRV_MAX_QUERY];
    int nquery;
    struct fgs__buf body;           /* request body, NUL-terminated */
    int body_error;                 /* 0, or the HTTP status to fail with (400, 413) */
    char request_id[37];
    char client[64];                /* client IP address as text */
    uint64_t start_ns;

    int status;                     /* response status, 0 until answered */
    struct fgs__buf out;            /* response body */
    const char *content_type;       /* default application/json */
    struct srv_header hdr[SRV_MAX_RESP_HEADERS];
    int nhdr;
};

/* The decoded value of query parameter key, or NULL. */
const char *srv_query(const struct srv_request *req, const char *key);
/* A request header (case-insensitive name), or NULL. */
const char *srv_header(const struct srv_request *req, const char *name);

/* Answers with a JSON body; takes ownership of body (may be NULL for 500). */
void srv_reply_json(struct srv_request *req, int status, json_t *body);
/* Answers with no body (204 and friends). */
void srv_reply_empty(struct srv_request *req, int status);
/* Answers with raw bytes of the given content type. */
void srv_reply_raw(struct srv_request *req, int status, const char *content_type,
                   const void *data, size_t len);
/* Adds a response header; value is copied. */
void srv_add_header(struct srv_request *req, const char *name, const char *value);

/*
 * Answers with the FunctionGraph error body for an FSS code:
 * {"error_code":"FSS.1051","error_msg":"..."} with the status the code has in
 * errors.c. fmt NULL uses the code's standard message.
 */
void srv_fail(struct srv_request *req, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Same, with an explicit status (for codes whose status depends on context). */
void srv_fail_status(struct srv_request *req, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The HTTP status of an FSS code (500 when unknown). */
int srv_fss_status(const char *code);

/*
 * Parses the body as a JSON object. On failure answers 400 FSS.0400 with the
 * parser's line and column and returns NULL. The caller owns the result.
 */
json_t *srv_body_object(struct srv_request *req);

#endif
