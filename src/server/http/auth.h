/*
 * auth.h - request authentication in fgsd: SDK-HMAC-SHA256 (AK/SK)
 * signatures verified from what was received, and project tenancy.
 */
#ifndef SRV_HTTP_AUTH_H
#define SRV_HTTP_AUTH_H

struct srv_request;

/*
 * Verifies the request's signature and that its key may use the path's
 * project. Returns 0 when the request may proceed; otherwise answers it
 * (401 APIGW.0301 for a missing, malformed, stale or wrong signature or an
 * unknown key, all with the same message so nothing tells which; 403
 * FSS.0403 for another project's path) and returns -1.
 */
int srv_auth_check(struct srv_request *req);

#endif
