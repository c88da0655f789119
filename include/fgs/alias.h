/*
 * fgs/alias.h - version aliases: create, read, list, update, delete.
 *
 * Thread-safety: as fgs_client (one thread at a time per client).
 */
#ifndef FGS_ALIAS_H
#define FGS_ALIAS_H

#include "client.h"

/** One additional version of an alias with its traffic share. */
struct fgs_alias_weight {
    char *version; /**< version name */
    int weight;    /**< percent of traffic */
};

/** A version alias. */
struct fgs_alias {
    char *name;                       /**< alias name */
    char *version;                    /**< main version */
    char *description;                /**< description */
    char *last_modified;              /**< time */
    char *alias_urn;                  /**< ...:<function>:!<alias> */
    struct fgs_alias_weight *weights; /**< additional_version_weights, nweights items */
    size_t nweights;                  /**< number of weights */
    char *strategy_json;              /**< additional_version_strategy as JSON text, or NULL */
    char *raw_json;                   /**< the object as received */
};

/** ListVersionAliases reply. */
struct fgs_aliases {
    struct fgs_alias *items; /**< count items */
    size_t count;            /**< number of aliases */
    char *raw_json;          /**< the reply as received */
};

/** An additional version and its weight, as passed in. */
struct fgs_version_weight {
    const char *version; /**< version name */
    int weight;          /**< percent */
};

#define FGS_ALIAS_OPTIONS_VERSION 1

/** CreateVersionAlias / UpdateVersionAlias request. */
typedef struct fgs_alias_options {
    unsigned int version;                     /**< FGS_ALIAS_OPTIONS_VERSION */
    const char *name;                         /**< create only: alias name */
    const char *target_version;               /**< required: the version the alias points to */
    const char *description;                  /**< optional */
    const struct fgs_version_weight *weights; /**< optional additional versions */
    size_t nweights;                          /**< number of weights */
    const char *strategy_json;                /**< optional additional_version_strategy object */
} fgs_alias_options;

#define FGS_ALIAS_OPTIONS_INIT { FGS_ALIAS_OPTIONS_VERSION, NULL, NULL, NULL, NULL, 0, NULL }

FGS_BEGIN_DECL

/**
 * Create an alias (POST /functions/{urn}/aliases).
 *
 * @return 0, FGS_EINVALID, FGS_ENOTFOUND, FGS_EEXISTS, FGS_EFORBIDDEN, or a
 *         transport/protocol error
 *
 * Ownership: caller frees *out with fgs_alias_free().
 */
FGS_EXTERN(int) fgs_alias_create(struct fgs_alias **out, fgs_client *client, const char *urn,
                                 const fgs_alias_options *opts);

/**
 * Update an alias (PUT /functions/{urn}/aliases/{name}); opts->name is ignored.
 *
 * Ownership: caller frees *out with fgs_alias_free().
 */
FGS_EXTERN(int) fgs_alias_update(struct fgs_alias **out, fgs_client *client, const char *urn,
                                 const char *name, const fgs_alias_options *opts);

/**
 * Delete an alias (DELETE /functions/{urn}/aliases/{name}).
 *
 * @return 0, FGS_ENOTFOUND, FGS_EFORBIDDEN (triggers bound), or a transport error
 */
FGS_EXTERN(int) fgs_alias_delete(fgs_client *client, const char *urn, const char *name);

/**
 * Read an alias (GET /functions/{urn}/aliases/{name}).
 *
 * Ownership: caller frees *out with fgs_alias_free().
 */
FGS_EXTERN(int) fgs_alias_get(struct fgs_alias **out, fgs_client *client, const char *urn,
                              const char *name);

/**
 * List the aliases of a function (GET /functions/{urn}/aliases).
 *
 * Ownership: caller frees *out with fgs_aliases_free().
 */
FGS_EXTERN(int) fgs_alias_list(struct fgs_aliases **out, fgs_client *client, const char *urn);

/** Free an alias. NULL is a no-op. */
FGS_EXTERN(void) fgs_alias_free(struct fgs_alias *alias);

/** Free an alias list and its items. NULL is a no-op. */
FGS_EXTERN(void) fgs_aliases_free(struct fgs_aliases *list);

FGS_END_DECL

#endif
