/*
 * function.c - the function operations (list, config, code, create, update,
 * delete, max instances) and the page iterator shared with versions.
 */
#include <stdio.h>
#include <string.h>
#include "lib/internal.h"
#include "util/crypto.h"
#include "util/str.h"

/* Kind of list an iterator walks. */
enum iter_kind { ITER_FUNCTIONS, ITER_VERSIONS };

struct fgs_function_iter {
    fgs_client *client;             /* borrowed */
    enum iter_kind kind;            /* functions or versions */
    char *urn;                      /* versions: the function */
    char *package_name;             /* functions: filter */
    char *func_name;                /* functions: filter */
    int maxitems;                   /* page size */
    int64_t marker;                 /* marker of the next page to fetch */
    struct fgs_function_page *page; /* current page */
    size_t pos;                     /* next item on the page */
    bool done;                      /* no more pages */
};

/* Sends a request that has a JSON object reply and parses it into a new function. */
static int call_function(struct fgs_function **out, fgs_client *c, const struct fgs__req *req)
{
    struct fgs__resp resp = { 0 };
    struct fgs_function *f = NULL;
    json_t *root = NULL;
    int rc;

    *out = NULL;
    rc = fgs__call(c, req, &resp);
    if (rc < 0)
        goto done;
    rc = fgs__reply_json(&root, &resp, JSON_OBJECT);
    if (rc < 0)
        goto done;
    f = fgs__calloc(1, sizeof(*f));
    if (!f) {
        rc = fgs__error_oom();
        goto done;
    }
    rc = fgs__function_from_json(f, root);
    if (rc < 0)
        goto done;
    fgs__free(f->raw_json);
    rc = fgs__body_dup(&f->raw_json, &resp);
done:
    if (rc < 0) {
        fgs_function_free(f);
        f = NULL;
    }
    *out = f;
    json_decref(root);
    fgs__resp_dispose(&resp);
    return rc;
}

/* Fetches one page of functions or versions. */
static int list_page(struct fgs_function_page **out, fgs_client *c, const char *urn,
                     const fgs_list_options *opts)
{
    struct fgs__buf path = FGS__BUF_INIT;
    struct fgs__resp resp = { 0 };
    struct fgs__qp qp[4];
    char maxitems[24];
    size_t n = 0;
    int rc;

    *out = NULL;
    if (opts && opts->version != FGS_LIST_OPTIONS_VERSION)
        return fgs__error_set(FGS_EINVALID, "unknown fgs_list_options version %u", opts->version);
    if (opts && opts->maxitems < 0)
        return fgs__error_set(FGS_EINVALID, "maxitems must not be negative");
    if (urn) {
        rc = fgs__path_lit(&path, "/functions");
        if (rc == 0)
            rc = fgs__path_seg(&path, "function URN", urn);
        if (rc == 0)
            rc = fgs__path_lit(&path, "/versions");
    } else {
        rc = fgs__path_lit(&path, "/functions");
    }
    if (rc < 0)
        goto done;
    qp[n++] = (struct fgs__qp){ "marker", opts ? opts->marker : NULL };
    snprintf(maxitems, sizeof(maxitems), "%d", opts ? opts->maxitems : 0);
    qp[n++] = (struct fgs__qp){ "maxitems", opts && opts->maxitems ? maxitems : NULL };
    if (!urn) {
        qp[n++] = (struct fgs__qp){ "package_name", opts ? opts->package_name : NULL };
        qp[n++] = (struct fgs__qp){ "func_name", opts ? opts->func_name : NULL };
    }
    {
        struct fgs__req req = { "GET", path.ptr, qp, n, NULL, 0, NULL, 0 };

        rc = fgs__call(c, &req, &resp);
    }
    if (rc < 0)
        goto done;
    rc = fgs__page_from_reply(out, &resp, urn ? "versions" : "functions");
done:
    fgs__resp_dispose(&resp);
    fgs__buf_dispose(&path);
    return rc;
}

/*
 * ListFunctions: one page.
 */
int fgs_function_list(struct fgs_function_page **out, fgs_client *client,
                      const fgs_list_options *opts)
{
    FGS_ASSERT_ARG(out);
    *out = NULL;
    FGS_ASSERT_ARG(client);
    return list_page(out, client, NULL, opts);
}

/*
 * ListFunctionVersions: one page.
 */
int fgs_version_list(struct fgs_function_page **out, fgs_client *client, const char *urn,
                     const fgs_list_options *opts)
{
    FGS_ASSERT_ARG(out);
    *out = NULL;
    FGS_ASSERT_ARG(client);
    FGS_ASSERT_ARG(urn);
    return list_page(out, client, urn, opts);
}

/* GET or DELETE on /functions/{urn}[suffix] with a function reply (or none). */
static int function_path(struct fgs__buf *path, const char *urn, const char *suffix)
{
    int rc = fgs__path_lit(path, "/functions");

    if (rc == 0)
        rc = fgs__path_seg(path, "function URN", urn);
    if (rc == 0 && suffix)
        rc = fgs__path_lit(path, suffix);
    return rc;
}

/*
 * ShowFunctionConfig.
 */
int fgs_function_get_metadata(struct fgs_function **out, fgs_client *client, const char *urn)
{
    struct fgs__buf path = FGS__BUF_INIT;
    int rc;

    FGS_ASSERT_ARG(out);
    *out = NULL;
    FGS_ASSERT_ARG(client);
    rc = function_path(&path, urn, "/config");
    if (rc == 0) {
        struct fgs__req req = { "GET", path.ptr, NULL, 0, NULL, 0, NULL, 0 };

        rc = call_function(out, client, &req);
    }
    fgs__buf_dispose(&path);
    return rc;
}

/* Fills a code struct from a FunctionCode object. */
static int code_from_json(struct fgs_function_code *k, json_t *o)
{
    struct {
        char **dst;
        const char *key;
    } strs[] = {
        { &k->func_urn, "func_urn" },           { &k->func_name, "func_name" },
        { &k->runtime, "runtime" },             { &k->code_type, "code_type" },
        { &k->code_url, "code_url" },           { &k->code_filename, "code_filename" },
        { &k->digest, "digest" },               { &k->last_modified, "last_modified" },
    };
    json_t *fc = json_object_get(o, "func_code");
    size_t i;
    int rc;

    for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
        rc = fgs__jstr(strs[i].dst, o, strs[i].key);
        if (rc < 0)
            return rc;
    }
    k->code_size = fgs__jint(o, "code_size", 0);
    if (json_is_object(fc)) {
        rc = fgs__jstr(&k->file, fc, "file");
        if (rc == 0)
            rc = fgs__jstr(&k->link, fc, "link");
        if (rc < 0)
            return rc;
    }
    if (k->file && *k->file) {
        unsigned char *raw = fgs__b64_decode(k->file, strlen(k->file), &k->data_len);

        /* util memory: copy it so the caller's free path stays ours */
        if (raw) {
            k->data = (unsigned char *)fgs__strndup((const char *)raw, k->data_len);
            free(raw);
            if (!k->data)
                return fgs__error_oom();
        } else {
            k->data_len = 0;
        }
    }
    return 0;
}

/* Sends a request whose reply is a FunctionCode object. */
static int call_code(struct fgs_function_code **out, fgs_client *c, const struct fgs__req *req)
{
    struct fgs__resp resp = { 0 };
    struct fgs_function_code *k = NULL;
    json_t *root = NULL;
    int rc;

    *out = NULL;
    rc = fgs__call(c, req, &resp);
    if (rc < 0)
        goto done;
    rc = fgs__reply_json(&root, &resp, JSON_OBJECT);
    if (rc < 0)
        goto done;
    k = fgs__calloc(1, sizeof(*k));
    if (!k) {
        rc = fgs__error_oom();
        goto done;
    }
    rc = code_from_json(k, root);
    if (rc == 0)
        rc = fgs__body_dup(&k->raw_json, &resp);
done:
    if (rc < 0) {
        fgs_function_code_free(k);
        k = NULL;
    }
    *out = k;
    json_decref(root);
    fgs__resp_dispose(&resp);
    return rc;
}

/*
 * ShowFunctionCode.
 */
int fgs_function_get_code(struct fgs_function_code **out, fgs_client *client, const char *urn)
{
    struct fgs__buf path = FGS__BUF_INIT;
    int rc;

    FGS_ASSERT_ARG(out);
    *out = NULL;
    FGS_ASSERT_ARG(client);
    rc = function_path(&path, urn, "/code");
    if (rc == 0) {
        struct fgs__req req = { "GET", path.ptr, NULL, 0, NULL, 0, NULL, 0 };

        rc = call_code(out, client, &req);
    }
    fgs__buf_dispose(&path);
    return rc;
}

/* Builds the CreateFunction body. */
static int create_body(json_t *o, const fgs_function_create_options *opts)
{
    int rc = 0;

    if (!opts->func_name || !*opts->func_name)
        return fgs__error_set(FGS_EINVALID, "func_name is required");
    if (!opts->runtime || !*opts->runtime)
        return fgs__error_set(FGS_EINVALID, "runtime is required");
    if (!opts->handler || !*opts->handler)
        return fgs__error_set(FGS_EINVALID, "handler is required");
    if (opts->memory_size < 0 || opts->timeout < 0)
        return fgs__error_set(FGS_EINVALID, "memory_size and timeout must not be negative");
    rc = fgs__jset_str(o, "func_name", opts->func_name);
    if (rc == 0)
        rc = fgs__jset_str(o, "package", opts->package ? opts->package : "default");
    if (rc == 0)
        rc = fgs__jset_str(o, "runtime", opts->runtime);
    if (rc == 0)
        rc = fgs__jset_str(o, "handler", opts->handler);
    if (rc == 0)
        rc = fgs__jset_int(o, "memory_size", opts->memory_size ? opts->memory_size : 128);
    if (rc == 0)
        rc = fgs__jset_int(o, "timeout", opts->timeout ? opts->timeout : 30);
    if (rc == 0)
        rc = fgs__jset_str(o, "code_type", opts->code_type ? opts->code_type : "inline");
    if (rc == 0)
        rc = fgs__jset_str(o, "code_filename", opts->code_filename);
    if (rc == 0)
        rc = fgs__jset_str(o, "code_url", opts->code_url);
    if (rc == 0)
        rc = fgs__jset_code(o, opts->code, opts->code_len);
    if (rc == 0)
        rc = fgs__jset_str(o, "description", opts->description);
    if (rc == 0)
        rc = fgs__jset_str(o, "user_data", opts->user_data);
    if (rc == 0)
        rc = fgs__jset_str(o, "encrypted_user_data", opts->encrypted_user_data);
    if (rc == 0)
        rc = fgs__jset_str(o, "xrole", opts->xrole);
    if (rc == 0)
        rc = fgs__jset_str(o, "app_xrole", opts->app_xrole);
    if (rc == 0)
        rc = fgs__jset_str(o, "initializer_handler", opts->initializer_handler);
    if (rc == 0 && opts->initializer_timeout)
        rc = fgs__jset_int(o, "initializer_timeout", opts->initializer_timeout);
    if (rc == 0)
        rc = fgs__jmerge(o, opts->extra_json);
    return rc;
}

/* Sends a JSON object body with method to path and parses a Function reply. */
static int send_function(struct fgs_function **out, fgs_client *c, const char *method,
                         const char *path, json_t *body)
{
    char *text = NULL;
    int rc;

    rc = fgs__jencode(&text, body);
    if (rc == 0) {
        struct fgs__req req = { method, path, NULL, 0, NULL, 0, text, strlen(text) };

        rc = call_function(out, c, &req);
    }
    fgs__free(text);
    return rc;
}

/*
 * CreateFunction.
 */
int fgs_function_create(struct fgs_function **out, fgs_client *client,
                        const fgs_function_create_options *opts)
{
    json_t *body = NULL;
    int rc;

    FGS_ASSERT_ARG(out);
    *out = NULL;
    FGS_ASSERT_ARG(client);
    FGS_ASSERT_ARG(opts);
    if (opts->version != FGS_FUNCTION_CREATE_OPTIONS_VERSION)
        return fgs__error_set(FGS_EINVALID, "unknown fgs_function_create_options version %u",
                              opts->version);
    body = json_object();
    if (!body)
        return fgs__error_oom();
    rc = create_body(body, opts);
    if (rc == 0)
        rc = send_function(out, client, "POST", "/functions", body);
    json_decref(body);
    return rc;
}

/* Sends a body-less request and expects no reply body (DELETE). */
static int call_no_reply(fgs_client *c, const char *method, const char *path)
{
    struct fgs__req req = { method, path, NULL, 0, NULL, 0, NULL, 0 };
    struct fgs__resp resp = { 0 };
    int rc = fgs__call(c, &req, &resp);

    fgs__resp_dispose(&resp);
    return rc;
}

/*
 * DeleteFunction.
 */
int fgs_function_delete(fgs_client *client, const char *urn)
{
    struct fgs__buf path = FGS__BUF_INIT;
    int rc;

    FGS_ASSERT_ARG(client);
    rc = function_path(&path, urn, NULL);
    if (rc == 0)
        rc = call_no_reply(client, "DELETE", path.ptr);
    fgs__buf_dispose(&path);
    return rc;
}

/*
 * UpdateFunctionCode.
 */
int fgs_function_update_code(struct fgs_function_code **out, fgs_client *client, const char *urn,
                             const fgs_function_code_options *opts)
{
    struct fgs__buf path = FGS__BUF_INIT;
    json_t *body = NULL;
    char *text = NULL;
    int rc;

    FGS_ASSERT_ARG(out);
    *out = NULL;
    FGS_ASSERT_ARG(client);
    FGS_ASSERT_ARG(opts);
    if (opts->version != FGS_FUNCTION_CODE_OPTIONS_VERSION)
        return fgs__error_set(FGS_EINVALID, "unknown fgs_function_code_options version %u",
                              opts->version);
    rc = function_path(&path, urn, "/code");
    if (rc < 0)
        goto done;
    body = json_object();
    if (!body) {
        rc = fgs__error_oom();
        goto done;
    }
    rc = fgs__jset_str(body, "code_type", opts->code_type ? opts->code_type : "inline");
    if (rc == 0)
        rc = fgs__jset_str(body, "code_filename", opts->code_filename);
    if (rc == 0)
        rc = fgs__jset_str(body, "code_url", opts->code_url);
    if (rc == 0)
        rc = fgs__jset_code(body, opts->code, opts->code_len);
    if (rc == 0)
        rc = fgs__jmerge(body, opts->extra_json);
    if (rc == 0)
        rc = fgs__jencode(&text, body);
    if (rc == 0) {
        struct fgs__req req = { "PUT", path.ptr, NULL, 0, NULL, 0, text, strlen(text) };

        rc = call_code(out, client, &req);
    }
done:
    fgs__free(text);
    json_decref(body);
    fgs__buf_dispose(&path);
    return rc;
}

/* Builds the UpdateFunctionConfig body; cur supplies required fields left unset. */
static int config_body(json_t *o, const fgs_function_config_options *opts,
                       const struct fgs_function *cur)
{
    int rc;

    rc = fgs__jset_str(o, "func_name", cur->func_name);
    if (rc == 0)
        rc = fgs__jset_str(o, "runtime", opts->runtime ? opts->runtime : cur->runtime);
    if (rc == 0)
        rc = fgs__jset_str(o, "handler", opts->handler ? opts->handler : cur->handler);
    if (rc == 0)
        rc = fgs__jset_int(o, "memory_size", opts->memory_size ? opts->memory_size : cur->memory_size);
    if (rc == 0)
        rc = fgs__jset_int(o, "timeout", opts->timeout ? opts->timeout : cur->timeout);
    if (rc == 0)
        rc = fgs__jset_str(o, "description", opts->description);
    if (rc == 0)
        rc = fgs__jset_str(o, "user_data", opts->user_data);
    if (rc == 0)
        rc = fgs__jset_str(o, "encrypted_user_data", opts->encrypted_user_data);
    if (rc == 0)
        rc = fgs__jset_str(o, "xrole", opts->xrole);
    if (rc == 0)
        rc = fgs__jset_str(o, "app_xrole", opts->app_xrole);
    if (rc == 0)
        rc = fgs__jset_str(o, "initializer_handler", opts->initializer_handler);
    if (rc == 0 && opts->initializer_timeout)
        rc = fgs__jset_int(o, "initializer_timeout", opts->initializer_timeout);
    if (rc == 0)
        rc = fgs__jmerge(o, opts->extra_json);
    return rc;
}

/*
 * UpdateFunctionConfig; reads the current configuration first.
 */
int fgs_function_update_metadata(struct fgs_function **out, fgs_client *client, const char *urn,
                                 const fgs_function_config_options *opts)
{
    struct fgs__buf path = FGS__BUF_INIT;
    struct fgs_function *cur = NULL;
    json_t *body = NULL;
    int rc;

    FGS_ASSERT_ARG(out);
    *out = NULL;
    FGS_ASSERT_ARG(client);
    FGS_ASSERT_ARG(opts);
    if (opts->version != FGS_FUNCTION_CONFIG_OPTIONS_VERSION)
        return fgs__error_set(FGS_EINVALID, "unknown fgs_function_config_options version %u",
                              opts->version);
    if (opts->memory_size < 0 || opts->timeout < 0)
        return fgs__error_set(FGS_EINVALID, "memory_size and timeout must not be negative");
    rc = function_path(&path, urn, "/config");
    if (rc < 0)
        goto done;
    rc = fgs_function_get_metadata(&cur, client, urn);
    if (rc < 0)
        goto done;
    body = json_object();
    rc = body ? config_body(body, opts, cur) : fgs__error_oom();
    if (rc == 0)
        rc = send_function(out, client, "PUT", path.ptr, body);
done:
    json_decref(body);
    fgs_function_free(cur);
    fgs__buf_dispose(&path);
    return rc;
}

/*
 * UpdateFunctionMaxInstanceConfig.
 */
int fgs_function_set_max_instances(struct fgs_function **out, fgs_client *client, const char *urn,
                                   int64_t max_instance_num)
{
    struct fgs__buf path = FGS__BUF_INIT;
    json_t *body = NULL;
    int rc;

    FGS_ASSERT_ARG(out);
    *out = NULL;
    FGS_ASSERT_ARG(client);
    if (max_instance_num < -1)
        return fgs__error_set(FGS_EINVALID, "max_instance_num must be -1 or more");
    rc = function_path(&path, urn, "/config-max-instance");
    if (rc < 0)
        goto done;
    body = json_object();
    rc = body ? fgs__jset_int(body, "max_instance_num", max_instance_num) : fgs__error_oom();
    if (rc == 0)
        rc = send_function(out, client, "PUT", path.ptr, body);
done:
    json_decref(body);
    fgs__buf_dispose(&path);
    return rc;
}

/* Creates an iterator of either kind. */
static int iter_new(fgs_function_iter **out, fgs_client *client, enum iter_kind kind,
                    const char *urn, const fgs_list_options *opts)
{
    fgs_function_iter *it;
    int64_t marker = 0;

    if (opts && opts->version != FGS_LIST_OPTIONS_VERSION)
        return fgs__error_set(FGS_EINVALID, "unknown fgs_list_options version %u", opts->version);
    if (opts && opts->marker && fgs__parse_int64(opts->marker, 0, INT64_MAX, &marker) < 0)
        return fgs__error_set(FGS_EINVALID, "marker '%s' is not a number", opts->marker);
    it = fgs__calloc(1, sizeof(*it));
    if (!it)
        return fgs__error_oom();
    it->client = client;
    it->kind = kind;
    it->marker = marker;
    it->maxitems = opts ? opts->maxitems : 0;
    it->urn = fgs__strdup(urn);
    it->package_name = fgs__strdup(opts ? opts->package_name : NULL);
    it->func_name = fgs__strdup(opts ? opts->func_name : NULL);
    if ((urn && !it->urn) || (opts && opts->package_name && !it->package_name) ||
        (opts && opts->func_name && !it->func_name)) {
        fgs_function_iter_free(it);
        return fgs__error_oom();
    }
    *out = it;
    return 0;
}

/*
 * Starts iterating over functions.
 */
int fgs_function_iter_new(fgs_function_iter **out, fgs_client *client,
                          const fgs_list_options *opts)
{
    FGS_ASSERT_ARG(out);
    *out = NULL;
    FGS_ASSERT_ARG(client);
    return iter_new(out, client, ITER_FUNCTIONS, NULL, opts);
}

/*
 * Starts iterating over versions.
 */
int fgs_version_iter_new(fgs_function_iter **out, fgs_client *client, const char *urn,
                         const fgs_list_options *opts)
{
    FGS_ASSERT_ARG(out);
    *out = NULL;
    FGS_ASSERT_ARG(client);
    FGS_ASSERT_ARG(urn && *urn);
    return iter_new(out, client, ITER_VERSIONS, urn, opts);
}

/* Fetches the page at it->marker. */
static int iter_fetch(fgs_function_iter *it)
{
    fgs_list_options o = FGS_LIST_OPTIONS_INIT;
    char marker[24];
    int rc;

    snprintf(marker, sizeof(marker), "%lld", (long long)it->marker);
    o.marker = marker;
    o.maxitems = it->maxitems;
    o.package_name = it->package_name;
    o.func_name = it->func_name;
    fgs_function_page_free(it->page);
    it->page = NULL;
    it->pos = 0;
    rc = list_page(&it->page, it->client, it->kind == ITER_VERSIONS ? it->urn : NULL, &o);
    if (rc < 0)
        return rc;
    /* the last page: empty, next_marker at or past the total, or not advancing */
    if (it->page->count == 0 || it->page->next_marker >= it->page->total ||
        it->page->next_marker <= it->marker)
        it->done = true;
    it->marker = it->page->next_marker;
    return 0;
}

/*
 * The next record of the list.
 */
int fgs_function_iter_next(const struct fgs_function **out, fgs_function_iter *it)
{
    int rc;

    FGS_ASSERT_ARG(out);
    *out = NULL;
    FGS_ASSERT_ARG(it);
    while (!it->page || it->pos >= it->page->count) {
        if (it->page && it->done)
            return FGS_ITEROVER;
        rc = iter_fetch(it);
        if (rc < 0)
            return rc;
    }
    *out = &it->page->items[it->pos++];
    return 0;
}

/*
 * Frees an iterator.
 */
void fgs_function_iter_free(fgs_function_iter *it)
{
    if (!it)
        return;
    fgs_function_page_free(it->page);
    fgs__free(it->urn);
    fgs__free(it->package_name);
    fgs__free(it->func_name);
    fgs__free(it);
}

/*
 * Frees a function.
 */
void fgs_function_free(struct fgs_function *fn)
{
    if (!fn)
        return;
    fgs__function_clear(fn);
    fgs__free(fn);
}

/*
 * Frees a page.
 */
void fgs_function_page_free(struct fgs_function_page *page)
{
    size_t i;

    if (!page)
        return;
    for (i = 0; i < page->count; i++)
        fgs__function_clear(&page->items[i]);
    fgs__free(page->items);
    fgs__free(page->raw_json);
    fgs__free(page);
}

/*
 * Frees a code object.
 */
void fgs_function_code_free(struct fgs_function_code *k)
{
    if (!k)
        return;
    fgs__free(k->func_urn);
    fgs__free(k->func_name);
    fgs__free(k->runtime);
    fgs__free(k->code_type);
    fgs__free(k->code_url);
    fgs__free(k->code_filename);
    fgs__free(k->digest);
    fgs__free(k->last_modified);
    fgs__free(k->file);
    fgs__free(k->link);
    fgs__free(k->data);
    fgs__free(k->raw_json);
    fgs__free(k);
}
