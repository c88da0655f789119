/*
 * extras.c - operations beyond the 21: async-invoke configuration, async
 * invocation records and quotas.
 */
#include <stdio.h>
#include <string.h>
#include "lib/internal.h"

/* Fills an async config from its object. */
static int async_config_from_json(struct fgs_async_config *a, json_t *o)
{
    int rc = fgs__jstr(&a->func_urn, o, "func_urn");

    a->max_async_event_age_in_seconds = fgs__jint(o, "max_async_event_age_in_seconds", 0);
    a->max_async_retry_attempts = fgs__jint(o, "max_async_retry_attempts", 0);
    if (rc == 0)
        rc = fgs__jdump(&a->destination_config_json, o, "destination_config");
    if (rc == 0)
        rc = fgs__jstr(&a->created_time, o, "created_time");
    if (rc == 0)
        rc = fgs__jstr(&a->last_modified, o, "last_modified");
    return rc;
}

/* Sends a request with an async config reply. */
static int call_async_config(struct fgs_async_config **out, fgs_client *c,
                             const struct fgs__req *req)
{
    struct fgs_async_config *a = NULL;
    json_t *root = NULL;
    char *raw = NULL;
    int rc;

    rc = fgs__call_json(c, req, JSON_OBJECT, &root, &raw);
    if (rc < 0)
        goto done;
    a = fgs__calloc(1, sizeof(*a));
    if (!a) {
        rc = fgs__error_oom();
        goto done;
    }
    rc = async_config_from_json(a, root);
    if (rc < 0)
        goto done;
    a->raw_json = raw;
    raw = NULL; /* now owned by a */
    *out = a;
    a = NULL;
done:
    fgs_async_config_free(a);
    fgs__free(raw);
    json_decref(root);
    return rc;
}

/*
 * ShowFunctionAsyncInvokeConfig.
 */
int fgs_async_config_get(struct fgs_async_config **out, fgs_client *client, const char *urn)
{
    struct fgs__buf path = FGS__BUF_INIT;
    int rc;

    FGS_ASSERT_ARG(out);
    *out = NULL;
    FGS_ASSERT_ARG(client);
    rc = fgs__function_path(&path, urn, "/async-invoke-config");
    if (rc == 0) {
        struct fgs__req req = { "GET", path.ptr, NULL, 0, NULL, 0, NULL, 0 };

        rc = call_async_config(out, client, &req);
    }
    fgs__buf_dispose(&path);
    return rc;
}

/* Builds the UpdateFunctionAsyncInvokeConfig body. */
static int async_config_body(json_t *o, const fgs_async_config_options *opts)
{
    json_t *dest;
    int rc = 0;

    if (opts->max_async_event_age_in_seconds)
        rc = fgs__jset_int(o, "max_async_event_age_in_seconds",
                           opts->max_async_event_age_in_seconds);
    if (rc == 0 && opts->retry_attempts_set)
        rc = fgs__jset_int(o, "max_async_retry_attempts", opts->max_async_retry_attempts);
    if (rc == 0 && opts->destination_config_json) {
        rc = fgs__jparse(&dest, "destination_config_json", opts->destination_config_json,
                         JSON_OBJECT, false);
        if (rc == 0 && json_object_set_new(o, "destination_config", dest) < 0)
            rc = fgs__error_oom();
    }
    if (rc == 0)
        rc = fgs__jmerge(o, opts->extra_json);
    return rc;
}

/*
 * UpdateFunctionAsyncInvokeConfig.
 */
int fgs_async_config_put(struct fgs_async_config **out, fgs_client *client, const char *urn,
                         const fgs_async_config_options *opts)
{
    struct fgs__buf path = FGS__BUF_INIT;
    json_t *body = NULL;
    char *text = NULL;
    int rc;

    FGS_ASSERT_ARG(out);
    *out = NULL;
    FGS_ASSERT_ARG(client);
    FGS_ASSERT_ARG(opts);
    if (opts->version != FGS_ASYNC_CONFIG_OPTIONS_VERSION)
        return fgs__error_set(FGS_EINVALID, "unknown fgs_async_config_options version %u",
                              opts->version);
    rc = fgs__function_path(&path, urn, "/async-invoke-config");
    if (rc < 0)
        goto done;
    body = json_object();
    rc = body ? async_config_body(body, opts) : fgs__error_oom();
    if (rc == 0)
        rc = fgs__jencode(&text, body);
    if (rc == 0) {
        struct fgs__req req = { "PUT", path.ptr, NULL, 0, NULL, 0, text, strlen(text) };

        rc = call_async_config(out, client, &req);
    }
done:
    fgs__free(text);
    json_decref(body);
    fgs__buf_dispose(&path);
    return rc;
}

/*
 * DeleteFunctionAsyncInvokeConfig.
 */
int fgs_async_config_delete(fgs_client *client, const char *urn)
{
    struct fgs__buf path = FGS__BUF_INIT;
    int rc;

    FGS_ASSERT_ARG(client);
    rc = fgs__function_path(&path, urn, "/async-invoke-config");
    if (rc == 0) {
        struct fgs__req req = { "DELETE", path.ptr, NULL, 0, NULL, 0, NULL, 0 };

        rc = fgs__call_no_reply(client, &req);
    }
    fgs__buf_dispose(&path);
    return rc;
}

/* Fills one async invocation record. */
static int async_inv_from_json(struct fgs_async_invocation *a, json_t *o)
{
    int rc = fgs__jstr(&a->request_id, o, "request_id");

    a->error_code = fgs__jint(o, "error_code", 0);
    if (rc == 0)
        rc = fgs__jstr(&a->status, o, "status");
    if (rc == 0)
        rc = fgs__jstr(&a->error_message, o, "error_message");
    if (rc == 0)
        rc = fgs__jstr(&a->start_time, o, "start_time");
    if (rc == 0)
        rc = fgs__jstr(&a->end_time, o, "end_time");
    return rc;
}

/* Parses the ListAsyncInvocations reply. */
static int async_page_from_json(struct fgs_async_invocation_page *p, json_t *root)
{
    json_t *arr = json_object_get(root, "invocations"), *item;
    size_t i;
    int rc;

    if (!json_is_array(arr))
        return fgs__error_set(FGS_EPROTOCOL, "malformed reply: no \"invocations\" array");
    p->items = fgs__calloc(json_array_size(arr) + 1, sizeof(*p->items));
    if (!p->items)
        return fgs__error_oom();
    json_array_foreach(arr, i, item)
    {
        if (!json_is_object(item))
            return fgs__error_set(FGS_EPROTOCOL, "malformed reply: invocation is not an object");
        p->count++;
        rc = async_inv_from_json(&p->items[i], item);
        if (rc < 0)
            return rc;
    }
    p->next_marker = fgs__jint(root, "next_marker", 0);
    p->total = fgs__jint(root, "count", (int64_t)p->count);
    return 0;
}

/*
 * ListAsyncInvocations.
 */
int fgs_async_invocation_list(struct fgs_async_invocation_page **out, fgs_client *client,
                              const char *urn, const fgs_async_list_options *opts)
{
    struct fgs__buf path = FGS__BUF_INIT;
    struct fgs_async_invocation_page *p = NULL;
    struct fgs__qp qp[6];
    json_t *root = NULL;
    char *raw = NULL, limit[24];
    int rc;

    FGS_ASSERT_ARG(out);
    *out = NULL;
    FGS_ASSERT_ARG(client);
    if (opts && opts->version != FGS_ASYNC_LIST_OPTIONS_VERSION)
        return fgs__error_set(FGS_EINVALID, "unknown fgs_async_list_options version %u",
                              opts->version);
    rc = fgs__function_path(&path, urn, "/async-invocations");
    if (rc < 0)
        goto done;
    snprintf(limit, sizeof(limit), "%d", opts ? opts->limit : 0);
    qp[0] = (struct fgs__qp){ "request_id", opts ? opts->request_id : NULL };
    qp[1] = (struct fgs__qp){ "marker", opts ? opts->marker : NULL };
    qp[2] = (struct fgs__qp){ "limit", opts && opts->limit > 0 ? limit : NULL };
    qp[3] = (struct fgs__qp){ "status", opts ? opts->status : NULL };
    qp[4] = (struct fgs__qp){ "query_begin_time", opts ? opts->query_begin_time : NULL };
    qp[5] = (struct fgs__qp){ "query_end_time", opts ? opts->query_end_time : NULL };
    {
        struct fgs__req req = { "GET", path.ptr, qp, 6, NULL, 0, NULL, 0 };

        rc = fgs__call_json(client, &req, JSON_OBJECT, &root, &raw);
    }
    if (rc < 0)
        goto done;
    p = fgs__calloc(1, sizeof(*p));
    rc = p ? async_page_from_json(p, root) : fgs__error_oom();
    if (rc < 0)
        goto done;
    p->raw_json = raw;
    raw = NULL; /* now owned by p */
    *out = p;
    p = NULL;
done:
    fgs_async_invocation_page_free(p);
    fgs__free(raw);
    json_decref(root);
    fgs__buf_dispose(&path);
    return rc;
}

/*
 * ListQuotas.
 */
int fgs_quotas_get(struct fgs_quotas **out, fgs_client *client)
{
    struct fgs__req req = { "GET", "/quotas", NULL, 0, NULL, 0, NULL, 0 };
    struct fgs_quotas *q = NULL;
    json_t *root = NULL, *arr, *item;
    char *raw = NULL;
    size_t i;
    int rc;

    FGS_ASSERT_ARG(out);
    *out = NULL;
    FGS_ASSERT_ARG(client);
    rc = fgs__call_json(client, &req, JSON_OBJECT, &root, &raw);
    if (rc < 0)
        goto done;
    arr = json_object_get(json_object_get(root, "quotas"), "resources");
    if (!json_is_array(arr)) {
        rc = fgs__error_set(FGS_EPROTOCOL, "malformed reply: no quotas.resources array");
        goto done;
    }
    q = fgs__calloc(1, sizeof(*q));
    if (q)
        q->items = fgs__calloc(json_array_size(arr) + 1, sizeof(*q->items));
    if (!q || !q->items) {
        rc = fgs__error_oom();
        goto done;
    }
    json_array_foreach(arr, i, item)
    {
        q->count++;
        q->items[i].quota = fgs__jint(item, "quota", 0);
        q->items[i].used = fgs__jint(item, "used", 0);
        rc = fgs__jstr(&q->items[i].type, item, "type");
        if (rc == 0)
            rc = fgs__jstr(&q->items[i].unit, item, "unit");
        if (rc < 0)
            goto done;
    }
    q->raw_json = raw;
    raw = NULL; /* now owned by q */
    *out = q;
    q = NULL;
done:
    fgs_quotas_free(q);
    fgs__free(raw);
    json_decref(root);
    return rc;
}

/*
 * Frees an async configuration.
 */
void fgs_async_config_free(struct fgs_async_config *a)
{
    if (!a)
        return;
    fgs__free(a->func_urn);
    fgs__free(a->destination_config_json);
    fgs__free(a->created_time);
    fgs__free(a->last_modified);
    fgs__free(a->raw_json);
    fgs__free(a);
}

/*
 * Frees a page of async invocation records.
 */
void fgs_async_invocation_page_free(struct fgs_async_invocation_page *p)
{
    size_t i;

    if (!p)
        return;
    for (i = 0; i < p->count; i++) {
        fgs__free(p->items[i].request_id);
        fgs__free(p->items[i].status);
        fgs__free(p->items[i].error_message);
        fgs__free(p->items[i].start_time);
        fgs__free(p->items[i].end_time);
    }
    fgs__free(p->items);
    fgs__free(p->raw_json);
    fgs__free(p);
}

/*
 * Frees quotas.
 */
void fgs_quotas_free(struct fgs_quotas *q)
{
    size_t i;

    if (!q)
        return;
    for (i = 0; i < q->count; i++) {
        fgs__free(q->items[i].type);
        fgs__free(q->items[i].unit);
    }
    fgs__free(q->items);
    fgs__free(q->raw_json);
    fgs__free(q);
}
