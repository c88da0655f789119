/*
 * fgs/invoke.h - synchronous and asynchronous invocation.
 *
 * The event is passed through as opaque bytes (normally a JSON object); the
 * result is returned as bytes too, never reparsed.
 *
 * Thread-safety: as fgs_client (one thread at a time per client).
 */
#ifndef FGS_INVOKE_H
#define FGS_INVOKE_H

#include "client.h"

#define FGS_INVOKE_OPTIONS_VERSION 1

/** Per-invocation headers (§8.1). */
typedef struct fgs_invoke_options {
    unsigned int version;         /**< FGS_INVOKE_OPTIONS_VERSION */
    int log_tail;                 /**< nonzero: X-Cff-Log-Type: tail */
    const char *request_version;  /**< X-CFF-Request-Version; NULL: "v1" */
    int instance_memory;          /**< X-Cff-Instance-Memory in MB, 0: not sent */
} fgs_invoke_options;

#define FGS_INVOKE_OPTIONS_INIT { FGS_INVOKE_OPTIONS_VERSION, 0, NULL, 0 }

/** The outcome of a synchronous invocation. */
struct fgs_invocation {
    char *request_id;         /**< envelope request_id or X-Cff-Request-Id */
    char *result;             /**< handler result bytes (v1: the "result" string; v0: the body) */
    size_t result_len;        /**< bytes in result */
    char *log;                /**< execution log (envelope "log" or decoded X-Cff-Function-Log), or NULL */
    int status;               /**< execution status of the v1 envelope, else the HTTP status */
    int64_t billing_duration; /**< X-CFF-Billing-Duration in ms, -1 when absent */
    char *summary_json;       /**< X-Cff-Invoke-Summary, or NULL */
    char *func_err_code;      /**< X-Func-Err-Code, or NULL */
    int is_func_err;          /**< X-Is-Func-Err was "true" */
    char *response_version;   /**< X-Cff-Response-Version, or NULL */
    char *raw_body;           /**< the reply body as received */
    size_t raw_len;           /**< bytes in raw_body */
};

FGS_BEGIN_DECL

/**
 * Invoke a function and wait (POST /functions/{urn}/invocations).
 *
 * @param event      event bytes; NULL: "{}"
 * @param event_len  bytes in event
 * @param opts       NULL for defaults (v1 envelope, no log)
 * @return 0, FGS_ENOTFOUND, FGS_ETOOLARGE, FGS_ETHROTTLED, FGS_ESERVER,
 *         FGS_ENOTIMPL, FGS_ETIMEOUT, FGS_EPROTOCOL (bad v1 envelope), ...
 *
 * Ownership: caller frees *out with fgs_invocation_free().
 */
FGS_EXTERN(int) fgs_function_invoke(struct fgs_invocation **out, fgs_client *client,
                                    const char *urn, const void *event, size_t event_len,
                                    const fgs_invoke_options *opts);

/**
 * Queue an asynchronous invocation (POST /functions/{urn}/invocations-async).
 *
 * @param[out] request_id_out  the request id of the queued invocation
 * @return as fgs_function_invoke()
 *
 * Ownership: caller frees *request_id_out with fgs_free().
 */
FGS_EXTERN(int) fgs_function_invoke_async(char **request_id_out, fgs_client *client,
                                          const char *urn, const void *event, size_t event_len,
                                          const fgs_invoke_options *opts);

/** Free an invocation result. NULL is a no-op. */
FGS_EXTERN(void) fgs_invocation_free(struct fgs_invocation *inv);

FGS_END_DECL

#endif
