/*
 * fgs/trigger.h - function triggers: create, read, list, update, delete.
 *
 * Thread-safety: as fgs_client (one thread at a time per client).
 */
#ifndef FGS_TRIGGER_H
#define FGS_TRIGGER_H

#include "client.h"

/** A trigger. */
struct fgs_trigger {
    char *trigger_id;        /**< id */
    char *trigger_type_code; /**< TIMER, APIG, ... */
    char *trigger_status;    /**< ACTIVE or DISABLED */
    char *event_type_code;   /**< deprecated free text, may be NULL */
    char *event_data_json;   /**< event_data as JSON text, or NULL */
    char *last_updated_time; /**< time */
    char *created_time;      /**< time */
    char *raw_json;          /**< the object as received */
};

/** ListFunctionTriggers reply. */
struct fgs_triggers {
    struct fgs_trigger *items; /**< count items */
    size_t count;              /**< number of triggers */
    char *raw_json;            /**< the reply as received */
};

#define FGS_TRIGGER_OPTIONS_VERSION 1

/** CreateFunctionTrigger request. */
typedef struct fgs_trigger_options {
    unsigned int version;        /**< FGS_TRIGGER_OPTIONS_VERSION */
    const char *type;            /**< required: trigger_type_code, e.g. "TIMER" */
    const char *status;          /**< optional: ACTIVE or DISABLED */
    const char *event_type_code; /**< optional, deprecated */
    const char *event_data_json; /**< required: event_data as a JSON object text */
} fgs_trigger_options;

#define FGS_TRIGGER_OPTIONS_INIT { FGS_TRIGGER_OPTIONS_VERSION, NULL, NULL, NULL, NULL }

#define FGS_TRIGGER_UPDATE_OPTIONS_VERSION 1

/** UpdateTrigger request; fields left NULL are not sent. */
typedef struct fgs_trigger_update_options {
    unsigned int version;        /**< FGS_TRIGGER_UPDATE_OPTIONS_VERSION */
    const char *status;          /**< ACTIVE or DISABLED */
    const char *event_data_json; /**< event_data as JSON text (object or array) */
} fgs_trigger_update_options;

#define FGS_TRIGGER_UPDATE_OPTIONS_INIT { FGS_TRIGGER_UPDATE_OPTIONS_VERSION, NULL, NULL }

FGS_BEGIN_DECL

/**
 * List the triggers of a function (GET /triggers/{urn}).
 *
 * Ownership: caller frees *out with fgs_triggers_free().
 */
FGS_EXTERN(int) fgs_trigger_list(struct fgs_triggers **out, fgs_client *client,
                                 const char *urn);

/**
 * Read one trigger (GET /triggers/{urn}/{type}/{id}).
 *
 * @return 0, FGS_ENOTFOUND, or a transport/protocol error
 *
 * Ownership: caller frees *out with fgs_trigger_free().
 */
FGS_EXTERN(int) fgs_trigger_get(struct fgs_trigger **out, fgs_client *client, const char *urn,
                                const char *type, const char *trigger_id);

/**
 * Delete the triggers of a function, version or alias (DELETE /triggers/{urn}).
 */
FGS_EXTERN(int) fgs_trigger_delete_all(fgs_client *client, const char *urn);

/**
 * Create a trigger (POST /triggers/{urn}).
 *
 * @return 0, FGS_EINVALID (missing type or event data, bad JSON, refused by
 *         the server), FGS_ENOTFOUND, FGS_EEXISTS, or a transport/protocol error
 *
 * Ownership: caller frees *out with fgs_trigger_free().
 */
FGS_EXTERN(int) fgs_trigger_create(struct fgs_trigger **out, fgs_client *client, const char *urn,
                                   const fgs_trigger_options *opts);

/**
 * Update a trigger's status or event data (PUT /triggers/{urn}/{type}/{id}).
 *
 * Ownership: caller frees *out with fgs_trigger_free().
 */
FGS_EXTERN(int) fgs_trigger_update(struct fgs_trigger **out, fgs_client *client, const char *urn,
                                   const char *type, const char *trigger_id,
                                   const fgs_trigger_update_options *opts);

/**
 * Delete one trigger (DELETE /triggers/{urn}/{type}/{id}).
 */
FGS_EXTERN(int) fgs_trigger_delete(fgs_client *client, const char *urn, const char *type,
                                   const char *trigger_id);

/** Free a trigger. NULL is a no-op. */
FGS_EXTERN(void) fgs_trigger_free(struct fgs_trigger *trigger);

/** Free a trigger list and its items. NULL is a no-op. */
FGS_EXTERN(void) fgs_triggers_free(struct fgs_triggers *list);

FGS_END_DECL

#endif
