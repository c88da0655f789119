/*
 * fgs/client.h - a connection to one FunctionGraph endpoint: create,
 * configure, free.
 *
 * Thread-safety: an fgs_client may be used by one thread at a time. Create
 * one client per thread, or serialize calls yourself. fgs_global_init() must
 * have been called before other threads start.
 */
#ifndef FGS_CLIENT_H
#define FGS_CLIENT_H

#include "common.h"
#include "errors.h"

/** An open client: endpoint, credentials and a reusable (keep-alive) connection. */
typedef struct fgs_client fgs_client;

#define FGS_CLIENT_OPTIONS_VERSION 1

/**
 * How to reach and authenticate to the service. Strings are copied by
 * fgs_client_new(); the struct may be freed after the call.
 *
 * Authentication: ak + sk sign every request with SDK-HMAC-SHA256 (plus
 * security_token for temporary credentials); otherwise auth_token is sent as
 * X-Auth-Token; with neither, requests go unauthenticated (fgsd --auth none).
 */
typedef struct fgs_client_options {
    unsigned int version;       /**< FGS_CLIENT_OPTIONS_VERSION */
    const char *endpoint;       /**< "http[s]://host[:port]"; wins over region */
    const char *region;         /**< e.g. "cn-north-4" -> https://functiongraph.{region}.myhuaweicloud.com */
    const char *project_id;     /**< required: the {project_id} of every path */
    const char *ak;             /**< access key id */
    const char *sk;             /**< secret access key */
    const char *security_token; /**< X-Security-Token of temporary credentials */
    const char *auth_token;     /**< IAM token sent as X-Auth-Token when ak/sk are unset */
    long connect_timeout_ms;    /**< 0: 10000 */
    long timeout_ms;            /**< whole request; 0: 60000 */
    const char *user_agent;     /**< NULL: "libfgs/<version>" */
    int no_retry;               /**< nonzero: never retry GETs after a connection failure */
    int insecure;               /**< nonzero: do not verify TLS certificates */
} fgs_client_options;

/** Initializer for fgs_client_options: all defaults. */
#define FGS_CLIENT_OPTIONS_INIT { FGS_CLIENT_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, \
                                  NULL, 0, 0, NULL, 0, 0 }

FGS_BEGIN_DECL

/**
 * Initialize the library (libcurl). Reference counted; call once per
 * fgs_global_shutdown(), before any other thread uses libfgs.
 *
 * @return 0 or FGS_ERROR when libcurl cannot be initialized
 */
FGS_EXTERN(int) fgs_global_init(void);

/** Drop one fgs_global_init() reference; the last one releases libcurl. */
FGS_EXTERN(void) fgs_global_shutdown(void);

/**
 * Create a client.
 *
 * @param[out] out  receives the new client; set to NULL on failure
 * @param opts      options; strings are copied
 * @return 0, FGS_EINVALID (NULL opts, unknown version, missing project_id,
 *         neither endpoint nor region, malformed endpoint, ak without sk),
 *         FGS_ENOMEM or FGS_ERROR (libcurl could not create a handle)
 *
 * Ownership: the caller owns *out and releases it with fgs_client_free().
 */
FGS_EXTERN(int) fgs_client_new(fgs_client **out, const fgs_client_options *opts);

/** Free a client and close its connection. NULL is a no-op. */
FGS_EXTERN(void) fgs_client_free(fgs_client *client);

/**
 * The base URL requests go to ("https://host[:port]").
 *
 * Ownership: borrowed; valid until fgs_client_free(client).
 */
FGS_EXTERN(const char *) fgs_client_base_url(const fgs_client *client);

/**
 * The project id of the client. Ownership: borrowed, as above.
 */
FGS_EXTERN(const char *) fgs_client_project_id(const fgs_client *client);

FGS_END_DECL

#endif
