/*
 * fgs/async.h - asynchronous invocation settings and records.
 *
 * Thread-safety: as fgs_client (one thread at a time per client).
 */
#ifndef FGS_ASYNC_H
#define FGS_ASYNC_H

#include "client.h"

/** ShowFunctionAsyncInvokeConfig reply. */
struct fgs_async_config {
    char *func_urn;                         /**< URN */
    int64_t max_async_event_age_in_seconds; /**< max age of a queued event */
    int64_t max_async_retry_attempts;       /**< retries */
    char *destination_config_json;          /**< destination_config as JSON text, or NULL */
    char *created_time;                     /**< time */
    char *last_modified;                    /**< time */
    char *raw_json;                         /**< the object as received */
};

#define FGS_ASYNC_CONFIG_OPTIONS_VERSION 1

/** UpdateFunctionAsyncInvokeConfig request. */
typedef struct fgs_async_config_options {
    unsigned int version;                   /**< FGS_ASYNC_CONFIG_OPTIONS_VERSION */
    int64_t max_async_event_age_in_seconds; /**< 0: not sent */
    int64_t max_async_retry_attempts;       /**< sent when retry_attempts_set */
    int retry_attempts_set;                 /**< nonzero: send max_async_retry_attempts */
    const char *destination_config_json;    /**< optional destination_config object */
    const char *extra_json;                 /**< optional JSON object merged into the body */
} fgs_async_config_options;

#define FGS_ASYNC_CONFIG_OPTIONS_INIT { FGS_ASYNC_CONFIG_OPTIONS_VERSION, 0, 0, 0, NULL, NULL }

/** One record of ListAsyncInvocations. */
struct fgs_async_invocation {
    char *request_id;    /**< request id */
    char *status;        /**< WAIT, RUNNING, SUCCESS, FAIL, DISCARD */
    char *error_message; /**< message, or NULL */
    int64_t error_code;  /**< 0 when ok */
    char *start_time;    /**< time */
    char *end_time;      /**< time */
};

/** One page of ListAsyncInvocations. */
struct fgs_async_invocation_page {
    struct fgs_async_invocation *items; /**< count items */
    size_t count;                       /**< items on this page */
    int64_t next_marker;                /**< marker of the next page */
    int64_t total;                      /**< "count" of the reply */
    char *raw_json;                     /**< the reply as received */
};

#define FGS_ASYNC_LIST_OPTIONS_VERSION 1

/** Filters of ListAsyncInvocations; NULL/0 fields are not sent. */
typedef struct fgs_async_list_options {
    unsigned int version;         /**< FGS_ASYNC_LIST_OPTIONS_VERSION */
    const char *request_id;       /**< one request */
    const char *marker;           /**< first record */
    int limit;                    /**< page size */
    const char *status;           /**< WAIT, RUNNING, SUCCESS, FAIL, DISCARD */
    const char *query_begin_time; /**< YYYY-MM-DDTHH:mm:ss UTC */
    const char *query_end_time;   /**< YYYY-MM-DDTHH:mm:ss UTC */
} fgs_async_list_options;

#define FGS_ASYNC_LIST_OPTIONS_INIT { FGS_ASYNC_LIST_OPTIONS_VERSION, NULL, NULL, 0, NULL, NULL, \
    NULL }

FGS_BEGIN_DECL

/**
 * Read the async-invoke configuration (GET /functions/{urn}/async-invoke-config).
 *
 * Ownership: caller frees *out with fgs_async_config_free().
 */
FGS_EXTERN(int) fgs_async_config_get(struct fgs_async_config **out, fgs_client *client,
                                     const char *urn);

/**
 * Set the async-invoke configuration (PUT /functions/{urn}/async-invoke-config).
 *
 * Ownership: caller frees *out with fgs_async_config_free().
 */
FGS_EXTERN(int) fgs_async_config_put(struct fgs_async_config **out, fgs_client *client,
                                     const char *urn, const fgs_async_config_options *opts);

/** Remove the async-invoke configuration (DELETE /functions/{urn}/async-invoke-config). */
FGS_EXTERN(int) fgs_async_config_delete(fgs_client *client, const char *urn);

/**
 * List asynchronous invocation records (GET /functions/{urn}/async-invocations).
 *
 * Ownership: caller frees *out with fgs_async_invocation_page_free().
 */
FGS_EXTERN(int) fgs_async_invocation_list(struct fgs_async_invocation_page **out,
                                          fgs_client *client, const char *urn,
                                          const fgs_async_list_options *opts);

/** Free an async configuration. NULL is a no-op. */
FGS_EXTERN(void) fgs_async_config_free(struct fgs_async_config *cfg);

/** Free a page of async invocation records. NULL is a no-op. */
FGS_EXTERN(void) fgs_async_invocation_page_free(struct fgs_async_invocation_page *page);

FGS_END_DECL

#endif
