/*
 * fgs/version.h - published function versions: publish, list.
 *
 * Thread-safety: as fgs_client (one thread at a time per client).
 */
#ifndef FGS_VERSION_H
#define FGS_VERSION_H

#include "function.h"

#define FGS_PUBLISH_OPTIONS_VERSION 1

/** CreateFunctionVersion request; every field is optional. */
typedef struct fgs_publish_options {
    unsigned int version;    /**< FGS_PUBLISH_OPTIONS_VERSION */
    const char *name;        /**< version name; NULL: the server picks v%Y%m%d-%H%M%S */
    const char *description; /**< version description */
    const char *digest;      /**< expected digest of latest's code */
} fgs_publish_options;

#define FGS_PUBLISH_OPTIONS_INIT { FGS_PUBLISH_OPTIONS_VERSION, NULL, NULL, NULL }

FGS_BEGIN_DECL

/**
 * Publish latest as a new version (POST /functions/{urn}/versions).
 *
 * @param opts  NULL for defaults
 * @return 0, FGS_ENOTFOUND, FGS_EINVALID (nothing changed, bad name),
 *         FGS_EEXISTS, FGS_EFORBIDDEN (quota), or a transport/protocol error
 *
 * Ownership: caller frees *out with fgs_function_free().
 */
FGS_EXTERN(int) fgs_version_publish(struct fgs_function **out, fgs_client *client, const char *urn,
                                    const fgs_publish_options *opts);

/**
 * List one page of versions, latest included (GET /functions/{urn}/versions).
 * Only marker and maxitems of opts are used.
 *
 * Ownership: caller frees *out with fgs_function_page_free().
 */
FGS_EXTERN(int) fgs_version_list(struct fgs_function_page **out, fgs_client *client,
                                 const char *urn, const fgs_list_options *opts);

/**
 * Start iterating over every version of a function; see fgs_function_iter_new().
 *
 * Ownership: caller frees *out with fgs_function_iter_free().
 */
FGS_EXTERN(int) fgs_version_iter_new(fgs_function_iter **out, fgs_client *client, const char *urn,
                                     const fgs_list_options *opts);

FGS_END_DECL

#endif
