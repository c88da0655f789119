/*
 * stub.h - a tiny HTTP/1.1 server for SDK tests: it records every request
 * (method, path, query, headers, body, and whether its SDK-HMAC-SHA256
 * signature verifies) and answers with canned replies, in order.
 */
#ifndef FGS_TEST_STUB_H
#define FGS_TEST_STUB_H

#include <stdbool.h>
#include <stddef.h>

#define STUB_MAX_HEADERS 64
#define STUB_MAX_REPLIES 8

/* One canned reply. */
struct stub_reply {
    int status;            /* HTTP status */
    const char *headers;   /* extra header lines, each ending in "\r\n", or NULL */
    const char *body;      /* body bytes */
    size_t body_len;       /* bytes in body */
    bool drop;             /* close the connection without replying */
    bool truncate;         /* announce more body than is sent, then close */
};

/* One recorded request. */
struct stub_request {
    char method[16];
    char path[2048];  /* raw path, without the query */
    char query[2048]; /* raw query string, "" when none */
    char *names[STUB_MAX_HEADERS];  /* lower-case header names */
    char *values[STUB_MAX_HEADERS]; /* header values, trimmed */
    size_t nheaders;
    char *body;       /* body bytes, NUL-terminated */
    size_t body_len;
    int sig;          /* fgs__sign_verify() result, or 1 when unsigned */
    int conn;         /* number of the connection it arrived on */
};

/* Starts the server on 127.0.0.1 (ephemeral port) with the SK used to verify. */
int stub_start(const char *sk);
int stub_port(void);
/* Sets the replies for the next requests (copied); clears the recorded requests. */
void stub_set_replies(const struct stub_reply *r, size_t n);
/* How many requests arrived since stub_set_replies, and the ith. */
size_t stub_count(void);
const struct stub_request *stub_request(size_t i);
/* A recorded header by lower-case name, or NULL. */
const char *stub_header(const struct stub_request *r, const char *lname);
/* How many connections were accepted so far. */
int stub_connections(void);
void stub_stop(void);

#endif
