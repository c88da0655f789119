/*
 * http.h - the HTTP listener of fgsd (libmicrohttpd) and the route table.
 *
 * libmicrohttpd runs its own epoll thread pool (cfg.threads threads); each
 * request is routed on its first callback, its body is collected up to the
 * route's cap, and its handler runs once on that worker thread. See
 * docs/architecture.md for why fgsd uses MHD's threads rather than driving
 * its epoll fd from an external loop.
 */
#ifndef SRV_HTTP_H
#define SRV_HTTP_H

#include "http/request.h"

struct srv_server;

/* Starts listening; fills srv->listen_url. Returns 0 or -1 (logged). */
int srv_http_start(struct srv_server *srv);
/* Stops accepting, finishes in-flight requests and frees the listener. */
void srv_http_stop(struct srv_server *srv);

/*
 * Routes a method and the decoded segments after the API prefix. Returns the
 * route, or NULL with *method_mismatch set when the path exists under
 * another method.
 */
const struct srv_route *srv_route_find(const char *method, char *const *seg, int nseg,
                                       int *method_mismatch);

/*
 * Splits a raw request target into the API prefix, project and decoded
 * segments, and its query into decoded parameters. Returns 0, -1 when the
 * path is outside the API (not /v2/{p}/fgs or /v1.0/{p}/fss), or -2 when an
 * escape is malformed. On success the request owns the strings it got.
 */
int srv_request_parse_target(struct srv_request *req, const char *target);
void srv_request_free_parsed(struct srv_request *req);

#endif
