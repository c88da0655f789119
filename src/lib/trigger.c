/*
 * trigger.c - triggers: list, read, create, update, delete one, delete all.
 */
#include <string.h>
#include "lib/internal.h"

/* Clears the contents of a trigger. */
static void trigger_clear(struct fgs_trigger *t)
{
    FGS_FREE(t->trigger_id);
    FGS_FREE(t->trigger_type_code);
    FGS_FREE(t->trigger_status);
    FGS_FREE(t->event_type_code);
    FGS_FREE(t->event_data_json);
    FGS_FREE(t->last_updated_time);
    FGS_FREE(t->created_time);
    FGS_FREE(t->raw_json);
}

/* Fills a trigger from a Trigger object. */
static int trigger_from_json(struct fgs_trigger *t, json_t *o)
{
    int rc = fgs__jstr(&t->trigger_id, o, "trigger_id");

    if (rc == 0)
        rc = fgs__jstr(&t->trigger_type_code, o, "trigger_type_code");
    if (rc == 0)
        rc = fgs__jstr(&t->trigger_status, o, "trigger_status");
    if (rc == 0)
        rc = fgs__jstr(&t->event_type_code, o, "event_type_code");
    if (rc == 0)
        rc = fgs__jdump(&t->event_data_json, o, "event_data");
    if (rc == 0)
        rc = fgs__jstr(&t->last_updated_time, o, "last_updated_time");
    if (rc == 0)
        rc = fgs__jstr(&t->created_time, o, "created_time");
    if (rc == 0)
        rc = fgs__jtext(&t->raw_json, o);
    return rc;
}

/* Sends a request with a Trigger reply. */
static int call_trigger(struct fgs_trigger **out, fgs_client *c, const struct fgs__req *req)
{
    struct fgs_trigger *t = NULL;
    json_t *root = NULL;
    char *raw = NULL;
    int rc;

    rc = fgs__call_json(c, req, JSON_OBJECT, &root, &raw);
    if (rc < 0)
        goto done;
    t = fgs__calloc(1, sizeof(*t));
    if (!t) {
        rc = fgs__error_oom();
        goto done;
    }
    rc = trigger_from_json(t, root);
    if (rc < 0)
        goto done;
    fgs__free(t->raw_json);
    t->raw_json = raw;
    raw = NULL; /* now owned by t */
    *out = t;
    t = NULL;
done:
    fgs_trigger_free(t);
    fgs__free(raw);
    json_decref(root);
    return rc;
}

/* Builds "/triggers/{urn}[/{type}/{id}]". */
static int trigger_path(struct fgs__buf *path, const char *urn, const char *type, const char *id,
                        bool one)
{
    int rc = fgs__path_lit(path, "/triggers");

    if (rc == 0)
        rc = fgs__path_seg(path, "function URN", urn);
    if (rc == 0 && one)
        rc = fgs__path_seg(path, "trigger type", type);
    if (rc == 0 && one)
        rc = fgs__path_seg(path, "trigger id", id);
    return rc;
}

/*
 * ListFunctionTriggers (a bare JSON array).
 */
int fgs_trigger_list(struct fgs_triggers **out, fgs_client *client, const char *urn)
{
    struct fgs__buf path = FGS__BUF_INIT;
    struct fgs_triggers *l = NULL;
    json_t *root = NULL, *item;
    char *raw = NULL;
    size_t i;
    int rc;

    FGS_ASSERT_ARG(out);
    *out = NULL;
    FGS_ASSERT_ARG(client);
    rc = trigger_path(&path, urn, NULL, NULL, false);
    if (rc == 0) {
        struct fgs__req req = { "GET", path.ptr, NULL, 0, NULL, 0, NULL, 0 };

        rc = fgs__call_json(client, &req, JSON_ARRAY, &root, &raw);
    }
    if (rc < 0)
        goto done;
    l = fgs__calloc(1, sizeof(*l));
    if (l)
        l->items = fgs__calloc(json_array_size(root) + 1, sizeof(*l->items));
    if (!l || !l->items) {
        rc = fgs__error_oom();
        goto done;
    }
    json_array_foreach(root, i, item)
    {
        if (!json_is_object(item)) {
            rc = fgs__error_set(FGS_EPROTOCOL, "malformed reply: trigger is not an object");
            goto done;
        }
        l->count++;
        rc = trigger_from_json(&l->items[i], item);
        if (rc < 0)
            goto done;
    }
    l->raw_json = raw;
    raw = NULL; /* now owned by l */
    *out = l;
    l = NULL;
done:
    fgs_triggers_free(l);
    fgs__free(raw);
    json_decref(root);
    fgs__buf_dispose(&path);
    return rc;
}

/*
 * ShowFunctionTrigger.
 */
int fgs_trigger_get(struct fgs_trigger **out, fgs_client *client, const char *urn,
                    const char *type, const char *trigger_id)
{
    struct fgs__buf path = FGS__BUF_INIT;
    int rc;

    FGS_ASSERT_ARG(out);
    *out = NULL;
    FGS_ASSERT_ARG(client);
    rc = trigger_path(&path, urn, type, trigger_id, true);
    if (rc == 0) {
        struct fgs__req req = { "GET", path.ptr, NULL, 0, NULL, 0, NULL, 0 };

        rc = call_trigger(out, client, &req);
    }
    fgs__buf_dispose(&path);
    return rc;
}

/* DELETE on a trigger path. */
static int trigger_delete(fgs_client *c, const char *urn, const char *type, const char *id,
                          bool one)
{
    struct fgs__buf path = FGS__BUF_INIT;
    int rc = trigger_path(&path, urn, type, id, one);

    if (rc == 0) {
        struct fgs__req req = { "DELETE", path.ptr, NULL, 0, NULL, 0, NULL, 0 };

        rc = fgs__call_no_reply(c, &req);
    }
    fgs__buf_dispose(&path);
    return rc;
}

/*
 * BatchDeleteFunctionTriggers.
 */
int fgs_trigger_delete_all(fgs_client *client, const char *urn)
{
    FGS_ASSERT_ARG(client);
    return trigger_delete(client, urn, NULL, NULL, false);
}

/*
 * DeleteFunctionTrigger.
 */
int fgs_trigger_delete(fgs_client *client, const char *urn, const char *type,
                       const char *trigger_id)
{
    FGS_ASSERT_ARG(client);
    return trigger_delete(client, urn, type, trigger_id, true);
}

/* Sets key to the parsed JSON text (object, or any value when any). */
static int set_json_member(json_t *o, const char *key, const char *text, bool any)
{
    json_t *v;
    int rc;

    rc = fgs__jparse(&v, key, text, JSON_OBJECT, any);
    if (rc < 0)
        return rc;
    return json_object_set_new(o, key, v) < 0 ? fgs__error_oom() : 0;
}

/* Sends a trigger body with method to path. */
static int send_trigger(struct fgs_trigger **out, fgs_client *c, const char *method,
                        const char *path, json_t *body)
{
    char *text = NULL;
    int rc = fgs__jencode(&text, body);

    if (rc == 0) {
        struct fgs__req req = { method, path, NULL, 0, NULL, 0, text, strlen(text) };

        rc = call_trigger(out, c, &req);
    }
    fgs__free(text);
    return rc;
}

/*
 * CreateFunctionTrigger.
 */
int fgs_trigger_create(struct fgs_trigger **out, fgs_client *client, const char *urn,
                       const fgs_trigger_options *opts)
{
    struct fgs__buf path = FGS__BUF_INIT;
    json_t *body = NULL;
    int rc;

    FGS_ASSERT_ARG(out);
    *out = NULL;
    FGS_ASSERT_ARG(client);
    FGS_ASSERT_ARG(opts);
    if (opts->version != FGS_TRIGGER_OPTIONS_VERSION)
        return fgs__error_set(FGS_EINVALID, "unknown fgs_trigger_options version %u",
                              opts->version);
    if (!opts->type || !*opts->type)
        return fgs__error_set(FGS_EINVALID, "trigger type is required");
    if (!opts->event_data_json)
        return fgs__error_set(FGS_EINVALID, "event_data_json is required");
    rc = trigger_path(&path, urn, NULL, NULL, false);
    if (rc < 0)
        goto done;
    body = json_object();
    rc = body ? fgs__jset_str(body, "trigger_type_code", opts->type) : fgs__error_oom();
    if (rc == 0)
        rc = fgs__jset_str(body, "trigger_status", opts->status);
    if (rc == 0)
        rc = fgs__jset_str(body, "event_type_code", opts->event_type_code);
    if (rc == 0)
        rc = set_json_member(body, "event_data", opts->event_data_json, false);
    if (rc == 0)
        rc = send_trigger(out, client, "POST", path.ptr, body);
done:
    json_decref(body);
    fgs__buf_dispose(&path);
    return rc;
}

/*
 * UpdateTrigger.
 */
int fgs_trigger_update(struct fgs_trigger **out, fgs_client *client, const char *urn,
                       const char *type, const char *trigger_id,
                       const fgs_trigger_update_options *opts)
{
    struct fgs__buf path = FGS__BUF_INIT;
    json_t *body = NULL;
    int rc;

    FGS_ASSERT_ARG(out);
    *out = NULL;
    FGS_ASSERT_ARG(client);
    FGS_ASSERT_ARG(opts);
    if (opts->version != FGS_TRIGGER_UPDATE_OPTIONS_VERSION)
        return fgs__error_set(FGS_EINVALID, "unknown fgs_trigger_update_options version %u",
                              opts->version);
    if (!opts->status && !opts->event_data_json)
        return fgs__error_set(FGS_EINVALID, "nothing to update: set status or event_data_json");
    rc = trigger_path(&path, urn, type, trigger_id, true);
    if (rc < 0)
        goto done;
    body = json_object();
    rc = body ? fgs__jset_str(body, "trigger_status", opts->status) : fgs__error_oom();
    if (rc == 0 && opts->event_data_json)
        rc = set_json_member(body, "event_data", opts->event_data_json, true);
    if (rc == 0)
        rc = send_trigger(out, client, "PUT", path.ptr, body);
done:
    json_decref(body);
    fgs__buf_dispose(&path);
    return rc;
}

/*
 * Frees a trigger.
 */
void fgs_trigger_free(struct fgs_trigger *t)
{
    if (!t)
        return;
    trigger_clear(t);
    fgs__free(t);
}

/*
 * Frees a trigger list.
 */
void fgs_triggers_free(struct fgs_triggers *l)
{
    size_t i;

    if (!l)
        return;
    for (i = 0; i < l->count; i++)
        trigger_clear(&l->items[i]);
    fgs__free(l->items);
    fgs__free(l->raw_json);
    fgs__free(l);
}
