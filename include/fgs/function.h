/*
 * fgs/function.h - functions: list, read, create, update, delete.
 *
 * A function is named by a URN (urn:fss:<region>:<project>:function:<pkg>:
 * <name>[:<version>|:!<alias>]) or one of its short forms ("name",
 * "package:name", ...); the text goes into the request path as given.
 *
 * Results are library-allocated structs with the documented fields decoded
 * and the reply's raw JSON kept in raw_json, so fields this version does not
 * know are not lost. String fields are NULL when the reply lacks them.
 *
 * Thread-safety: as fgs_client (one thread at a time per client). Result
 * structs are plain data and may be read from any thread.
 */
#ifndef FGS_FUNCTION_H
#define FGS_FUNCTION_H

#include "client.h"

/** A function (or version) configuration, as ShowFunctionConfig returns it. */
struct fgs_function {
    char *func_urn;            /**< URN; with ":latest" or the version for config replies */
    char *func_name;           /**< function name */
    char *func_id;             /**< function id */
    char *domain_id;           /**< tenant id */
    char *package;             /**< package (app) name */
    char *runtime;             /**< e.g. "Python3.9" */
    char *handler;             /**< e.g. "index.handler" */
    char *code_type;           /**< inline, zip, obs, jar, Custom-Image-Swr */
    char *code_url;            /**< OBS URL for code_type obs */
    char *code_filename;       /**< e.g. "index.py" */
    char *digest;              /**< SHA-512 hex of the code */
    char *version;             /**< "latest" or the version name */
    char *version_description; /**< publish replies */
    char *description;         /**< description */
    char *user_data;           /**< JSON object text of environment variables */
    char *xrole;               /**< agency */
    char *app_xrole;           /**< execution agency */
    char *initializer_handler; /**< initializer, when configured */
    char *last_modified;       /**< RFC 3339 time */
    int64_t timeout;           /**< seconds */
    int64_t memory_size;       /**< MB */
    int64_t cpu;               /**< millicores */
    int64_t code_size;         /**< bytes */
    int64_t initializer_timeout; /**< seconds, 0 when none */
    char *raw_json;            /**< the object as received */
};

/** One page of ListFunctions or ListFunctionVersions. */
struct fgs_function_page {
    struct fgs_function *items; /**< count items */
    size_t count;               /**< items on this page */
    int64_t next_marker;        /**< marker of the next page */
    int64_t total;              /**< "count": all matching records */
    char *raw_json;             /**< the reply as received */
};

/** Code of a function, as ShowFunctionCode / UpdateFunctionCode return it. */
struct fgs_function_code {
    char *func_urn;      /**< URN */
    char *func_name;     /**< name */
    char *runtime;       /**< runtime */
    char *code_type;     /**< code type */
    char *code_url;      /**< OBS URL */
    char *code_filename; /**< file name */
    char *digest;        /**< SHA-512 hex */
    char *last_modified; /**< time */
    char *file;          /**< func_code.file: base64 text as received, or NULL */
    char *link;          /**< func_code.link: download URL, or NULL */
    unsigned char *data; /**< file decoded (NUL-terminated), NULL when no or bad base64 */
    size_t data_len;     /**< bytes in data */
    int64_t code_size;   /**< bytes */
    char *raw_json;      /**< the reply as received */
};

#define FGS_LIST_OPTIONS_VERSION 1

/** Filters and paging of function and version lists. */
typedef struct fgs_list_options {
    unsigned int version;     /**< FGS_LIST_OPTIONS_VERSION */
    const char *marker;       /**< first record, NULL: "0" */
    int maxitems;             /**< page size, 0: server default (400) */
    const char *package_name; /**< ListFunctions only: exact package */
    const char *func_name;    /**< ListFunctions only: name filter */
} fgs_list_options;

#define FGS_LIST_OPTIONS_INIT { FGS_LIST_OPTIONS_VERSION, NULL, 0, NULL, NULL }

#define FGS_FUNCTION_CREATE_OPTIONS_VERSION 1

/** CreateFunction request. The library base64-encodes code into func_code.file. */
typedef struct fgs_function_create_options {
    unsigned int version;            /**< FGS_FUNCTION_CREATE_OPTIONS_VERSION */
    const char *func_name;           /**< required */
    const char *package;             /**< NULL: "default" */
    const char *runtime;             /**< required */
    const char *handler;             /**< required */
    int memory_size;                 /**< MB, 0: 128 */
    int timeout;                     /**< seconds, 0: 30 */
    const char *code_type;           /**< NULL: "inline" */
    const void *code;                /**< code bytes (source text or zip), may be NULL for obs */
    size_t code_len;                 /**< bytes in code */
    const char *code_filename;       /**< e.g. "index.zip"; required by the server for zip */
    const char *code_url;            /**< OBS URL */
    const char *description;         /**< optional */
    const char *user_data;           /**< optional JSON object text */
    const char *encrypted_user_data; /**< optional JSON object text */
    const char *xrole;               /**< optional */
    const char *app_xrole;           /**< optional */
    const char *initializer_handler; /**< optional */
    int initializer_timeout;         /**< optional, with initializer_handler */
    const char *extra_json;          /**< optional JSON object merged into the request body */
} fgs_function_create_options;

#define FGS_FUNCTION_CREATE_OPTIONS_INIT { FGS_FUNCTION_CREATE_OPTIONS_VERSION, NULL, NULL, NULL, \
    NULL, 0, 0, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL }

#define FGS_FUNCTION_CONFIG_OPTIONS_VERSION 1

/**
 * UpdateFunctionConfig request. The service requires func_name, runtime,
 * handler, memory_size and timeout: those left NULL/0 are read from the
 * current configuration first (one extra GET). Other fields are sent only
 * when set.
 */
typedef struct fgs_function_config_options {
    unsigned int version;            /**< FGS_FUNCTION_CONFIG_OPTIONS_VERSION */
    const char *runtime;             /**< NULL: keep */
    const char *handler;             /**< NULL: keep */
    int memory_size;                 /**< 0: keep */
    int timeout;                     /**< 0: keep */
    const char *description;         /**< NULL: not sent */
    const char *user_data;           /**< NULL: not sent */
    const char *encrypted_user_data; /**< NULL: not sent */
    const char *xrole;               /**< NULL: not sent */
    const char *app_xrole;           /**< NULL: not sent */
    const char *initializer_handler; /**< NULL: not sent */
    int initializer_timeout;         /**< 0: not sent */
    const char *extra_json;          /**< optional JSON object merged into the request body */
} fgs_function_config_options;

#define FGS_FUNCTION_CONFIG_OPTIONS_INIT { FGS_FUNCTION_CONFIG_OPTIONS_VERSION, NULL, NULL, 0, 0, \
    NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL }

#define FGS_FUNCTION_CODE_OPTIONS_VERSION 1

/** UpdateFunctionCode request. */
typedef struct fgs_function_code_options {
    unsigned int version;      /**< FGS_FUNCTION_CODE_OPTIONS_VERSION */
    const char *code_type;     /**< NULL: "inline" */
    const void *code;          /**< code bytes, base64-encoded by the library */
    size_t code_len;           /**< bytes in code */
    const char *code_filename; /**< e.g. "index.zip" */
    const char *code_url;      /**< OBS URL */
    const char *extra_json;    /**< optional JSON object merged into the request body */
} fgs_function_code_options;

#define FGS_FUNCTION_CODE_OPTIONS_INIT { FGS_FUNCTION_CODE_OPTIONS_VERSION, NULL, NULL, 0, NULL, \
    NULL, NULL }

/** Iterates over every record of a function or version list, page by page. */
typedef struct fgs_function_iter fgs_function_iter;

FGS_BEGIN_DECL

/**
 * List one page of functions (GET /functions).
 *
 * @param[out] out  the page; NULL on failure
 * @param opts      NULL for defaults
 * @return 0, FGS_EINVALID, FGS_EAUTH, FGS_ETRANSPORT, FGS_ETIMEOUT,
 *         FGS_EPROTOCOL, FGS_ESERVER or FGS_ENOMEM
 *
 * Ownership: caller frees *out with fgs_function_page_free().
 */
FGS_EXTERN(int) fgs_function_list(struct fgs_function_page **out, fgs_client *client,
                                  const fgs_list_options *opts);

/**
 * Read a function's configuration (GET /functions/{urn}/config).
 *
 * @return 0, FGS_ENOTFOUND, or any error of fgs_function_list()
 *
 * Ownership: caller frees *out with fgs_function_free().
 */
FGS_EXTERN(int) fgs_function_get_metadata(struct fgs_function **out, fgs_client *client,
                                          const char *urn);

/**
 * Read a function's code (GET /functions/{urn}/code).
 *
 * @return as fgs_function_get_metadata()
 *
 * Ownership: caller frees *out with fgs_function_code_free().
 */
FGS_EXTERN(int) fgs_function_get_code(struct fgs_function_code **out, fgs_client *client,
                                      const char *urn);

/**
 * Create a function (POST /functions).
 *
 * @return 0, FGS_EINVALID (missing required option, bad extra_json, or the
 *         server refused a value), FGS_EEXISTS, FGS_EFORBIDDEN (quota),
 *         FGS_ETOOLARGE, or a transport/protocol error
 *
 * Ownership: caller frees *out with fgs_function_free().
 */
FGS_EXTERN(int) fgs_function_create(struct fgs_function **out, fgs_client *client,
                                    const fgs_function_create_options *opts);

/**
 * Delete a function (unqualified URN: every version, alias and trigger) or
 * one published version (DELETE /functions/{urn}).
 *
 * @return 0, FGS_ENOTFOUND, FGS_EINVALID, or a transport/protocol error
 */
FGS_EXTERN(int) fgs_function_delete(fgs_client *client, const char *urn);

/**
 * Replace the code of latest (PUT /functions/{urn}/code).
 *
 * Ownership: caller frees *out with fgs_function_code_free().
 */
FGS_EXTERN(int) fgs_function_update_code(struct fgs_function_code **out, fgs_client *client,
                                         const char *urn, const fgs_function_code_options *opts);

/**
 * Update a function's configuration (PUT /functions/{urn}/config).
 *
 * @return as fgs_function_create(), plus FGS_ENOTFOUND
 *
 * Ownership: caller frees *out with fgs_function_free().
 */
FGS_EXTERN(int) fgs_function_update_metadata(struct fgs_function **out, fgs_client *client,
                                             const char *urn,
                                             const fgs_function_config_options *opts);

/**
 * Set the maximum number of instances (PUT /functions/{urn}/config-max-instance):
 * -1 unlimited, 0 disabled.
 *
 * Ownership: caller frees *out with fgs_function_free().
 */
FGS_EXTERN(int) fgs_function_set_max_instances(struct fgs_function **out, fgs_client *client,
                                               const char *urn, int64_t max_instance_num);

/**
 * Start iterating over all functions. No request is made until the first
 * fgs_function_iter_next(). opts->marker gives the starting record;
 * opts->maxitems the page size.
 *
 * Ownership: caller frees *out with fgs_function_iter_free(); the client
 * must outlive the iterator.
 */
FGS_EXTERN(int) fgs_function_iter_new(fgs_function_iter **out, fgs_client *client,
                                      const fgs_list_options *opts);

/**
 * The next record, fetching the next page when needed.
 *
 * @param[out] out  the record; borrowed, valid until the next call or free
 * @return 0, FGS_ITEROVER at the end, or any error of fgs_function_list()
 */
FGS_EXTERN(int) fgs_function_iter_next(const struct fgs_function **out, fgs_function_iter *iter);

/** Free an iterator. NULL is a no-op. */
FGS_EXTERN(void) fgs_function_iter_free(fgs_function_iter *iter);

/** Free a function. NULL is a no-op. */
FGS_EXTERN(void) fgs_function_free(struct fgs_function *fn);

/** Free a page and its items. NULL is a no-op. */
FGS_EXTERN(void) fgs_function_page_free(struct fgs_function_page *page);

/** Free a code object. NULL is a no-op. */
FGS_EXTERN(void) fgs_function_code_free(struct fgs_function_code *code);

FGS_END_DECL

#endif
