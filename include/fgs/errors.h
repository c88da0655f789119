/*
 * fgs/errors.h - error codes and the per-thread last-error record.
 *
 * Every fallible function returns 0 or a negative FGS_E* code. Details of the
 * last failure on the calling thread (HTTP status, FunctionGraph error code
 * such as "FSS.1051", server message, request id) are in fgs_error_last().
 *
 * Thread-safety: the last-error record is thread-local; all functions here
 * may be called from any thread.
 */
#ifndef FGS_ERRORS_H
#define FGS_ERRORS_H

#include "common.h"

/*
 * The one table of error codes: name, value, default text. Values are ABI:
 * append only, never renumber or reuse.
 */
#define FGS_ERROR_MAP(XX)                                                                          \
    XX(ERROR, -1, "error")                                                                         \
    XX(ENOMEM, -2, "out of memory")                                                                \
    XX(EINVALID, -3, "invalid argument")                                                           \
    XX(ENOTFOUND, -4, "not found")                                                                 \
    XX(EEXISTS, -5, "already exists")                                                              \
    XX(EAUTH, -6, "authentication failed")                                                         \
    XX(EFORBIDDEN, -7, "forbidden")                                                                \
    XX(ETIMEOUT, -8, "timed out")                                                                  \
    XX(ETRANSPORT, -9, "transport error")                                                          \
    XX(EPROTOCOL, -10, "malformed reply")                                                          \
    XX(ESERVER, -11, "server error")                                                               \
    XX(ETHROTTLED, -12, "too many requests")                                                       \
    XX(ETOOLARGE, -13, "request too large")                                                        \
    XX(ENOTIMPL, -14, "not implemented by the server")                                             \
    XX(ITEROVER, -15, "iteration is over")

/** Error codes; FGS_OK is 0 and every failure is negative. */
typedef enum fgs_error_code {
    FGS_OK = 0,
#define FGS_ERROR_ENUM_(name, value, text) FGS_##name = value,
    FGS_ERROR_MAP(FGS_ERROR_ENUM_)
#undef FGS_ERROR_ENUM_
        FGS_ERROR_CODE_MIN_ = -15
} fgs_error_code;

/** Details of the last failure on this thread. */
typedef struct fgs_error {
    int code;               /**< the FGS_E* code that was returned */
    int http_status;        /**< HTTP status of the reply, 0 when none arrived */
    const char *message;    /**< one line, never NULL */
    const char *error_code; /**< server code such as "FSS.1051", "" when none */
    const char *request_id; /**< X-Request-Id of the reply, "" when none */
} fgs_error;

FGS_BEGIN_DECL

/**
 * The last error recorded on the calling thread.
 *
 * @return never NULL; code 0 and an empty message when nothing failed since
 *         the last fgs_error_clear().
 *
 * Ownership: thread-local storage of the library, valid until the next
 * libfgs call on this thread. Do not free.
 */
FGS_EXTERN(const fgs_error *) fgs_error_last(void);

/** Forget the last error of the calling thread. */
FGS_EXTERN(void) fgs_error_clear(void);

/**
 * Default text of an error code ("not found"), or "unknown error".
 *
 * Ownership: static, do not free.
 */
FGS_EXTERN(const char *) fgs_strerror(int code);

FGS_END_DECL

#endif
