/*
 * fgs/quotas.h - the tenant's quotas (GET /quotas).
 *
 * Thread-safety: as fgs_client (one thread at a time per client).
 */
#ifndef FGS_QUOTAS_H
#define FGS_QUOTAS_H

#include "client.h"

/** One quota. */
struct fgs_quota {
    char *type;    /**< e.g. "fgs_func_num" */
    int64_t quota; /**< limit */
    int64_t used;  /**< current use */
    char *unit;    /**< unit, or NULL */
};

/** ListQuotas reply. */
struct fgs_quotas {
    struct fgs_quota *items; /**< count items */
    size_t count;            /**< number of quotas */
    char *raw_json;          /**< the reply as received */
};

FGS_BEGIN_DECL

/**
 * Read the quotas (GET /quotas).
 *
 * Ownership: caller frees *out with fgs_quotas_free().
 */
FGS_EXTERN(int) fgs_quotas_get(struct fgs_quotas **out, fgs_client *client);

/** Free quotas. NULL is a no-op. */
FGS_EXTERN(void) fgs_quotas_free(struct fgs_quotas *quotas);

FGS_END_DECL

#endif
