/*
 * sign.h - SDK-HMAC-SHA256 request signing (reference/FGS-API.md §11), for
 * both ends of the wire.
 *
 * Signer side (libfgs): the caller gives the method, the path as it goes on
 * the wire, the logical query parameters, the headers to sign and the body;
 * fgs__sign_request() builds the canonical request, the string to sign and
 * the Authorization value.
 *
 * Verifier side (fgsd, tests): the canonical request is rebuilt from what was
 * received - the raw path and raw query string are decoded and re-encoded,
 * the headers are the ones named in the received SignedHeaders, looked up
 * through a callback and trimmed - and the signature is compared in constant
 * time. The date skew check is left to the caller, who owns the clock.
 *
 * All functions return 0 or a negative FGS__SIGN_E* code; they allocate only
 * through the fgs__buf given to them.
 */
#ifndef FGS_UTIL_SIGN_H
#define FGS_UTIL_SIGN_H

#include <stddef.h>
#include "util/buf.h"

#define FGS__SIGN_ALGORITHM "SDK-HMAC-SHA256"
#define FGS__SIGN_DATE_HEADER "X-Sdk-Date"
#define FGS__SIGN_CONTENT_SHA256_HEADER "X-Sdk-Content-Sha256"

enum {
    FGS__SIGN_OK = 0,
    FGS__SIGN_ENOMEM = -1,     /* an fgs__buf could not grow */
    FGS__SIGN_EMALFORMED = -2, /* bad escape, bad Authorization, bad header list */
    FGS__SIGN_EMISSING = -3,   /* a signed header (or x-sdk-date) is absent */
    FGS__SIGN_EMISMATCH = -4,  /* the signature does not match */
};

/* One header to sign; the name in any case, the value as sent. */
struct fgs__sign_header {
    const char *name;
    const char *value;
};

/* One logical (not yet encoded) query parameter. */
struct fgs__sign_param {
    const char *key;
    const char *value;
};

/* Everything the signer needs about one outgoing request. */
struct fgs__sign_request {
    const char *method;                     /* "GET", "POST", ... */
    const char *path;                       /* wire path, no query; %XX escapes allowed */
    const struct fgs__sign_param *params;   /* query parameters, any order */
    size_t nparams;                         /* number of params */
    const struct fgs__sign_header *headers; /* every header to sign, incl. host, x-sdk-date */
    size_t nheaders;                        /* number of headers */
    const void *body;                       /* body bytes, may be NULL when body_len is 0 */
    size_t body_len;                        /* body length */
};

/*
 * Appends s[0..len) percent-encoded with the RFC 3986 unreserved set kept
 * (A-Z a-z 0-9 - _ . ~), everything else as upper-case %XX.
 */
int fgs__sign_encode(struct fgs__buf *out, const char *s, size_t len);

/*
 * Appends the canonical URI of a path: split on '/', each segment decoded
 * and re-encoded, a '/' appended unless already last.
 */
int fgs__sign_canonical_uri(struct fgs__buf *out, const char *path);

/* Appends the canonical query string of logical parameters (sorted by key, then value). */
int fgs__sign_canonical_query(struct fgs__buf *out, const struct fgs__sign_param *params,
                              size_t nparams);

/*
 * Builds the canonical request of an outgoing request into out (cleared
 * first) and the SignedHeaders list into signed_out (cleared first).
 */
int fgs__sign_canonical_request(struct fgs__buf *out, struct fgs__buf *signed_out,
                                const struct fgs__sign_request *req);

/* Builds "SDK-HMAC-SHA256\n<date>\n<hex sha256(canonical)>" into out (cleared first). */
int fgs__sign_string_to_sign(struct fgs__buf *out, const char *date, const char *canonical);

/* Lower-case hex HMAC-SHA256(sk, string_to_sign) into sig (65 bytes). */
void fgs__sign_signature(char sig[65], const char *sk, const char *string_to_sign);

/*
 * Signs an outgoing request: the date is taken from its X-Sdk-Date header
 * (FGS__SIGN_EMISSING without one). Writes the Authorization value into
 * authz (cleared first); canonical_out and sts_out, when not NULL, receive
 * the canonical request and the string to sign.
 */
int fgs__sign_request(struct fgs__buf *authz, const struct fgs__sign_request *req, const char *ak,
                      const char *sk, struct fgs__buf *canonical_out, struct fgs__buf *sts_out);

/* Formats a time (seconds since the epoch) as X-Sdk-Date "YYYYMMDDTHHMMSSZ" (17 bytes). */
void fgs__sign_date(char out[17], long long epoch_seconds);

/* ---- verifier side ---- */

/* Looks up a received header by lower-case name; returns its value or NULL. */
typedef const char *(*fgs__sign_header_cb)(const char *lname, void *payload);

/* The parts of a received Authorization header. */
struct fgs__sign_authz {
    char ak[128];              /* Access= */
    char signed_headers[1024]; /* SignedHeaders=, as received */
    char signature[65];        /* Signature=, 64 lower-case hex digits */
};

/*
 * Parses "SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=hex".
 * FGS__SIGN_EMALFORMED when any part is missing, too long or not hex.
 */
int fgs__sign_parse_authorization(struct fgs__sign_authz *out, const char *value);

/*
 * Appends the canonical query string rebuilt from a raw query string (may be
 * NULL or empty): split on '&' then the first '=', decoded ('+' is a space),
 * sorted by key then value, re-encoded.
 */
int fgs__sign_canonical_query_raw(struct fgs__buf *out, const char *raw_query);

/*
 * Rebuilds the canonical request of a received request into out (cleared
 * first). signed_headers is the received list ("a;b;c"); each name must be
 * lower case and present (FGS__SIGN_EMISSING otherwise); values are trimmed.
 * The payload hash is X-Sdk-Content-Sha256 when present, else SHA-256 of the
 * body.
 */
int fgs__sign_canonical_request_received(struct fgs__buf *out, const char *method,
                                         const char *raw_path, const char *raw_query,
                                         const char *signed_headers, fgs__sign_header_cb get,
                                         void *payload, const void *body, size_t body_len);

/*
 * Verifies a received request against sk. The Authorization and X-Sdk-Date
 * headers are read through get. Returns 0 when the signature matches,
 * otherwise a negative FGS__SIGN_E* code. canonical_out, when not NULL,
 * receives the rebuilt canonical request (useful in error logs).
 */
int fgs__sign_verify(const char *sk, const char *method, const char *raw_path,
                     const char *raw_query, fgs__sign_header_cb get, void *payload,
                     const void *body, size_t body_len, struct fgs__buf *canonical_out);

#endif
