/*
 * stub.c - the recording HTTP stub server of the SDK wire tests. One thread
 * serves one connection at a time (keep-alive honoured), which is all a
 * single-threaded SDK client needs.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>
#include "stub.h"
#include "util/buf.h"
#include "util/sign.h"

#define MAX_REQUESTS 16

static int listen_fd = -1;
static int port;
static char *secret;
static pthread_t thread;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct stub_reply replies[STUB_MAX_REPLIES];
static size_t nreplies;
static struct stub_request requests[MAX_REQUESTS];
static size_t nrequests;
static int connections;
static volatile int stopping;

static void request_clear(struct stub_request *r)
{
    size_t i;

    for (i = 0; i < r->nheaders; i++) {
        free(r->names[i]);
        free(r->values[i]);
    }
    free(r->body);
    memset(r, 0, sizeof(*r));
}

const char *stub_header(const struct stub_request *r, const char *lname)
{
    size_t i;

    for (i = 0; i < r->nheaders; i++) {
        if (strcmp(r->names[i], lname) == 0)
            return r->values[i];
    }
    return NULL;
}

static const char *lookup(const char *lname, void *payload)
{
    return stub_header(payload, lname);
}

/* Reads until the end of the headers and the body are in buf; 0 on EOF. */
static int read_request(int fd, struct fgs__buf *in, size_t *head_len, size_t *total)
{
    char chunk[4096];

    for (;;) {
        char *end = in->ptr ? strstr(in->ptr, "\r\n\r\n") : NULL;

        if (end) {
            const char *cl = strcasestr(in->ptr, "\r\ncontent-length:");
            size_t body = cl && cl < end ? strtoul(cl + 17, NULL, 10) : 0;

            *head_len = (size_t)(end - in->ptr) + 4;
            if (in->len >= *head_len + body) {
                *total = *head_len + body;
                return 1;
            }
        }
        struct pollfd p = { fd, POLLIN, 0 };
        if (poll(&p, 1, 200) <= 0) {
            if (stopping)
                return 0;
            continue;
        }
        ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n <= 0)
            return 0;
        fgs__buf_put(in, chunk, (size_t)n);
    }
}

/* Parses the request in buf[0..total) into r. */
static void parse_request(struct stub_request *r, const char *buf, size_t head_len, size_t total)
{
    const char *line = buf, *eol = strstr(buf, "\r\n");
    const char *sp1 = memchr(line, ' ', (size_t)(eol - line));
    const char *sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(eol - sp1 - 1)) : NULL;
    const char *target = sp1 + 1, *q;
    size_t tlen = (size_t)(sp2 - target);

    snprintf(r->method, sizeof(r->method), "%.*s", (int)(sp1 - line), line);
    q = memchr(target, '?', tlen);
    snprintf(r->path, sizeof(r->path), "%.*s", (int)((q ? q : target + tlen) - target), target);
    snprintf(r->query, sizeof(r->query), "%.*s", q ? (int)(target + tlen - q - 1) : 0,
             q ? q + 1 : "");
    line = eol + 2;
    while (line < buf + head_len - 2 && r->nheaders < STUB_MAX_HEADERS) {
        const char *colon, *v;
        size_t nlen, vlen, i;

        eol = strstr(line, "\r\n");
        colon = memchr(line, ':', (size_t)(eol - line));
        if (colon) {
            nlen = (size_t)(colon - line);
            v = colon + 1;
            while (*v == ' ')
                v++;
            vlen = (size_t)(eol - v);
            r->names[r->nheaders] = strndup(line, nlen);
            for (i = 0; i < nlen; i++)
                r->names[r->nheaders][i] = (char)tolower((unsigned char)line[i]);
            r->values[r->nheaders++] = strndup(v, vlen);
        }
        line = eol + 2;
    }
    r->body_len = total - head_len;
    r->body = strndup(buf + head_len, r->body_len);
    if (stub_header(r, "authorization"))
        r->sig = fgs__sign_verify(secret, r->method, r->path, r->query, lookup, r, r->body,
                                  r->body_len, NULL);
    else
        r->sig = 1;
}

/* Writes all of s; ignores errors (the client may be gone). */
static void write_all(int fd, const char *s, size_t len)
{
    while (len) {
        ssize_t n = send(fd, s, len, MSG_NOSIGNAL);

        if (n <= 0)
            return;
        s += n;
        len -= (size_t)n;
    }
}

/* Answers one request; returns false when the connection must close. */
static bool answer(int fd, const struct stub_reply *rep)
{
    struct fgs__buf out = FGS__BUF_INIT;

    if (rep->drop)
        return false;
    fgs__buf_printf(&out, "HTTP/1.1 %d Stub\r\nContent-Length: %zu\r\n%s\r\n", rep->status,
                    rep->body_len + (rep->truncate ? 100 : 0), rep->headers ? rep->headers : "");
    fgs__buf_put(&out, rep->body, rep->body_len);
    write_all(fd, out.ptr, out.len);
    fgs__buf_dispose(&out);
    return !rep->truncate;
}

static void serve(int fd, int conn)
{
    struct fgs__buf in = FGS__BUF_INIT;
    size_t head_len, total;

    while (read_request(fd, &in, &head_len, &total)) {
        struct stub_reply rep = { 500, NULL, "{\"error_code\":\"FSS.0500\"}", 25, false, false };
        bool keep;

        pthread_mutex_lock(&lock);
        if (nrequests < MAX_REQUESTS) {
            parse_request(&requests[nrequests], in.ptr, head_len, total);
            requests[nrequests].conn = conn;
            if (nrequests < nreplies)
                rep = replies[nrequests];
            nrequests++;
        }
        pthread_mutex_unlock(&lock);
        keep = answer(fd, &rep);
        memmove(in.ptr, in.ptr + total, in.len - total);
        in.len -= total;
        in.ptr[in.len] = '\0';
        if (!keep)
            break;
    }
    fgs__buf_dispose(&in);
    close(fd);
}

static void *run(void *arg)
{
    (void)arg;
    while (!stopping) {
        struct pollfd p = { listen_fd, POLLIN, 0 };
        int fd;

        if (poll(&p, 1, 100) <= 0)
            continue;
        fd = accept(listen_fd, NULL, NULL);
        if (fd < 0)
            continue;
        pthread_mutex_lock(&lock);
        connections++;
        pthread_mutex_unlock(&lock);
        serve(fd, connections);
    }
    return NULL;
}

int stub_start(const char *sk)
{
    struct sockaddr_in a = { 0 };
    socklen_t len = sizeof(a);

    secret = strdup(sk);
    listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (listen_fd < 0 || bind(listen_fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
        listen(listen_fd, 8) < 0 || getsockname(listen_fd, (struct sockaddr *)&a, &len) < 0)
        return -1;
    port = ntohs(a.sin_port);
    return pthread_create(&thread, NULL, run, NULL) == 0 ? 0 : -1;
}

int stub_port(void)
{
    return port;
}

void stub_set_replies(const struct stub_reply *r, size_t n)
{
    size_t i;

    pthread_mutex_lock(&lock);
    for (i = 0; i < nrequests; i++)
        request_clear(&requests[i]);
    nrequests = 0;
    nreplies = n < STUB_MAX_REPLIES ? n : STUB_MAX_REPLIES;
    if (nreplies)
        memcpy(replies, r, nreplies * sizeof(*r));
    pthread_mutex_unlock(&lock);
}

size_t stub_count(void)
{
    size_t n;

    pthread_mutex_lock(&lock);
    n = nrequests;
    pthread_mutex_unlock(&lock);
    return n;
}

const struct stub_request *stub_request(size_t i)
{
    return i < nrequests ? &requests[i] : NULL;
}

int stub_connections(void)
{
    int n;

    pthread_mutex_lock(&lock);
    n = connections;
    pthread_mutex_unlock(&lock);
    return n;
}

void stub_stop(void)
{
    stopping = 1;
    pthread_join(thread, NULL);
    close(listen_fd);
    stub_set_replies(NULL, 0);
    free(secret);
}
