/*
 * triggers.c - trigger definitions: create, list, show, update, delete one,
 * delete all (FGS-API §3.3 ops 17-21, §4 UpdateTrigger, §10).
 *
 * A trigger belongs to one qualifier of a function: "latest" when the URN
 * is unqualified, else the version or alias the URN names (stored under the
 * plain alias name, as the store's alias_delete expects). Event data is
 * validated and normalised by trigger/validate.c before anything is
 * written; firing is not done here.
 *
 * Which triggers a URN addresses:
 *   list         the URN's qualifier, unqualified meaning latest: §2 says an
 *                unqualified URN is latest for reads, and only
 *                BatchDeleteFunctionTriggers is listed as an exception.
 *   show, update, delete one
 *                a qualified URN (":latest" included) must be the trigger's
 *                qualifier; an unqualified URN reaches any trigger of the
 *                function, since the trigger id already names exactly one
 *                (clients such as Terraform keep the plain function URN).
 *   delete all   §2: a version (not latest) or an alias deletes that
 *                qualifier's triggers; unqualified or latest deletes every
 *                trigger of the function.
 *
 * Uniqueness rules (TIMER name per function qualifier, gateway route per
 * project, the pull-trigger quota) are check-then-write, so creates and
 * updates run under one mutex.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "api/api.h"
#include "api/common.h"
#include "core/server.h"
#include "trigger/validate.h"
#include "util/crypto.h"
#include "util/timefmt.h"

/* Pull triggers (DDS, DMS, DIS, Kafka, ...) allowed per function qualifier (LIMITS). */
#define PULL_TRIGGERS_MAX 10
#define EVENT_TYPE_CODE_MAX 128

static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;

/* The qualifier a URN binds triggers to. */
static const char *urn_qualifier(const struct api_fn *f)
{
    if (f->alias[0])
        return f->alias;
    return f->qualifier[0] ? f->qualifier : "latest";
}

static json_t *trigger_json(const struct srv_trigger *t)
{
    json_error_t jerr;
    json_t *ed = json_loads(t->event_data ? t->event_data : "{}", 0, &jerr);
    json_t *pub = srv_trigger_event_public(ed), *o;
    char created[40], updated[40];

    json_decref(ed);
    fgs__time_rfc3339(created, sizeof(created), t->created_ms);
    fgs__time_rfc3339(updated, sizeof(updated), t->updated_ms);
    o = json_pack("{s:s, s:s, s:s, s:o, s:s, s:s}", "trigger_id", t->trigger_id,
                  "trigger_type_code", t->type, "trigger_status", t->status, "event_data",
                  pub ? pub : json_object(), "last_updated_time", updated, "created_time", created);
    if (o && t->event_type_code)
        json_object_set_new(o, "event_type_code", json_string(t->event_type_code));
    return o;
}

static void reply_trigger(struct srv_request *req, int status, const struct srv_trigger *t)
{
    json_t *o = trigger_json(t);

    if (!o)
        srv_fail(req, "FSS.0500", "Out of memory.");
    else
        srv_reply_json(req, status, o);
}

static void fail_err(struct srv_request *req, const struct srv_trigger_err *err)
{
    srv_fail(req, err->code ? err->code : "FSS.0400", "%s", err->msg);
}

static json_t *parse_event_data(const struct srv_trigger *t)
{
    json_error_t jerr;
    json_t *o = json_loads(t->event_data ? t->event_data : "{}", 0, &jerr);

    if (!json_is_object(o)) {
        json_decref(o);
        o = json_object();
    }
    return o;
}

/* trigger_status from a body: absent (0), valid (1), or answered with 400 (-1). */
static int read_status(struct srv_request *req, json_t *body, const char *type, const char **out)
{
    int has = api_get_str(body, "trigger_status", out);

    if (has == 0)
        return 0;
    if (has < 0 || (strcmp(*out, "ACTIVE") != 0 && strcmp(*out, "DISABLED") != 0)) {
        srv_fail(req, "FSS.0400", "Invalid trigger_status: must be ACTIVE or DISABLED.");
        return -1;
    }
    if (strcmp(*out, "DISABLED") == 0 && !srv_trigger_can_disable(type)) {
        srv_fail(req, "FSS.0400",
                 "%s triggers cannot be disabled (only TIMER, DDS, DMS, KAFKA and LTS can).", type);
        return -1;
    }
    return 1;
}

/*
 * Checks the rules that involve other triggers for t (with parsed event
 * data ed): TIMER names per function qualifier, the pull quota, and gateway
 * routes across the project. self_id is t's own id on update (skipped).
 * Returns 0, or -1 after answering. Called with write_lock held.
 */
static int check_conflicts(struct srv_request *req,
                           const struct srv_trigger *t,
                           json_t *ed,
                           const char *self_id)
{
    struct srv_store *st = req->srv->store;
    struct srv_trigger *list = NULL;
    size_t n = 0, i, pulls = 0;
    int rc, ret = -1;

    rc = st->ops->trigger_list(st, t->fn_id, t->qualifier, &list, &n);
    if (rc != SRV_OK) {
        api_fail_store(req, rc);
        goto done;
    }
    for (i = 0; i < n; i++) {
        json_t *other;
        bool clash;

        if (self_id && strcmp(list[i].trigger_id, self_id) == 0)
            continue;
        if (srv_trigger_is_pull(list[i].type))
            pulls++;
        if (strcmp(t->type, "TIMER") != 0 || strcmp(list[i].type, "TIMER") != 0)
            continue;
        other = parse_event_data(&list[i]);
        clash = json_equal(json_object_get(other, "name"), json_object_get(ed, "name"));
        json_decref(other);
        if (clash) {
            srv_fail(req, "FSS.1148", "A timer trigger named '%s' already exists.",
                     json_string_value(json_object_get(ed, "name")));
            goto done;
        }
    }
    if (!self_id && srv_trigger_is_pull(t->type) && pulls >= PULL_TRIGGERS_MAX) {
        srv_fail(req, "FSS.1123",
                 "A function version or alias can have at most %d triggers of "
                 "the pull types (DDS, DMS, DIS, Kafka, RabbitMQ, ...).",
                 PULL_TRIGGERS_MAX);
        goto done;
    }
    if (!srv_trigger_is_gateway(t->type)) {
        ret = 0;
        goto done;
    }
    srv_trigger_free_array(list, n);
    list = NULL;
    n = 0;
    /* Routes are unique across the project. */
    rc = st->ops->trigger_list_project(st, req->project, t->type, &list, &n);
    if (rc != SRV_OK) {
        api_fail_store(req, rc);
        goto done;
    }
    for (i = 0; i < n; i++) {
        bool clash;
        json_t *other;

        if (self_id && !strcmp(list[i].trigger_id, self_id))
            continue;
        other = parse_event_data(&list[i]);
        clash = srv_trigger_same_route(t->type, other, ed);
        json_decref(other);
        if (clash) {
            srv_fail(req, "FSS.1147", "The request path %s %s is already used by trigger %s.",
                     json_string_value(json_object_get(ed, "req_method")),
                     json_string_value(json_object_get(ed, "path")), list[i].trigger_id);
            goto done;
        }
    }
    ret = 0;
done:
    srv_trigger_free_array(list, n);
    return ret;
}

/* Loads the trigger a show/update/delete path names; answers and returns -1 on failure. */
static int load_trigger(struct srv_request *req, struct api_fn *f, struct srv_trigger *t)
{
    struct srv_store *st = req->srv->store;
    const char *type = req->seg[2], *id = req->seg[3];
    int rc;

    memset(t, 0, sizeof(*t));
    if (!srv_trigger_type_known(type)) {
        srv_fail(req, "FSS.1101", "Invalid trigger_type_code '%.32s'.", type);
        return -1;
    }
    if (api_fn_load(req, req->seg[1], 0, f) < 0)
        return -1;
    rc = st->ops->trigger_get(st, f->fv.fn_id, type, id, t);
    if (rc == SRV_OK && f->qualifier[0] && strcmp(t->qualifier, urn_qualifier(f)) != 0) {
        srv_trigger_dispose(t);
        rc = SRV_ENOTFOUND;
    }
    if (rc == SRV_OK)
        return 0;
    if (rc == SRV_ENOTFOUND)
        srv_fail(req, "FSS.1131", NULL);
    else
        api_fail_store(req, rc);
    api_fn_dispose(f);
    return -1;
}

/* GET triggers/{urn}: 200 with a bare array of the qualifier's triggers. */
void api_trigger_list(struct srv_request *req)
{
    struct srv_store *st = req->srv->store;
    struct srv_trigger *list = NULL;
    size_t n = 0, i;
    struct api_fn f;
    json_t *arr;
    int rc;

    if (api_fn_load(req, req->seg[1], 0, &f) < 0)
        return;
    rc = st->ops->trigger_list(st, f.fv.fn_id, urn_qualifier(&f), &list, &n);
    if (rc != SRV_OK) {
        api_fail_store(req, rc);
        goto done;
    }
    arr = json_array();
    for (i = 0; arr && i < n; i++) {
        json_t *o = trigger_json(&list[i]);

        if (!o || json_array_append_new(arr, o) < 0) {
            json_decref(arr);
            arr = NULL;
        }
    }
    if (arr)
        srv_reply_json(req, 200, arr);
    else
        srv_fail(req, "FSS.0500", "Out of memory.");
done:
    srv_trigger_free_array(list, n);
    api_fn_dispose(&f);
}

/*
 * POST triggers/{urn}: validates everything, checks the uniqueness and
 * quota rules, then stores; 201 with the trigger.
 */
void api_trigger_create(struct srv_request *req)
{
    struct srv_store *st = req->srv->store;
    const char *type = NULL, *status = NULL, *etc = NULL;
    struct srv_trigger_err err;
    struct srv_trigger t;
    json_t *body = NULL, *ed = NULL;
    char id[37], *text = NULL;
    bool locked = false;
    struct api_fn f;
    int rc, has;

    memset(&t, 0, sizeof(t));
    if (api_fn_load(req, req->seg[1], 0, &f) < 0)
        return;
    if (!(body = srv_body_object(req)))
        goto done;
    if (api_get_str(body, "trigger_type_code", &type) != 1 || !srv_trigger_type_creatable(type)) {
        srv_fail(req, "FSS.1101", "Invalid trigger_type_code%s%.32s%s.", type ? " '" : "",
                 type ? type : "", type ? "'" : "");
        goto done;
    }
    if (read_status(req, body, type, &status) < 0)
        goto done;
    has = api_get_str(body, "event_type_code", &etc);
    if (has < 0 || (has > 0 && (!*etc || strlen(etc) > EVENT_TYPE_CODE_MAX))) {
        srv_fail(req, "FSS.0400", "Invalid event_type_code: a string of 1-%d characters.",
                 EVENT_TYPE_CODE_MAX);
        goto done;
    }
    if (fgs__uuid4(id) < 0) {
        srv_fail(req, "FSS.0500", "No randomness for the trigger id.");
        goto done;
    }
    ed = srv_trigger_event_normalize(type, json_object_get(body, "event_data"), id, NULL, &err);
    if (!ed) {
        fail_err(req, &err);
        goto done;
    }
    if (!(text = json_dumps(ed, JSON_COMPACT))) {
        srv_fail(req, "FSS.0500", "Out of memory.");
        goto done;
    }
    t.trigger_id = id;
    t.fn_id = f.fv.fn_id;
    t.qualifier = (char *)urn_qualifier(&f);
    t.type = (char *)type;
    t.status = (char *)(status ? status : srv_trigger_default_status(type));
    t.event_type_code = (char *)etc;
    t.event_data = text;
    t.created_ms = t.updated_ms = fgs__now_ms();

    pthread_mutex_lock(&write_lock);
    locked = true;
    if (check_conflicts(req, &t, ed, NULL) < 0)
        goto done;
    rc = st->ops->trigger_put(st, &t, 1);
    if (rc == SRV_OK)
        reply_trigger(req, 201, &t);
    else if (rc == SRV_ENOFUNC)
        srv_fail(req, "FSS.1051", NULL);
    else
        api_fail_store(req, rc);
done:
    if (locked)
        pthread_mutex_unlock(&write_lock);
    free(text);
    json_decref(ed);
    json_decref(body);
    api_fn_dispose(&f);
}

/* DELETE triggers/{urn}: 204; the scope follows §2 (see the file comment). */
void api_trigger_delete_all(struct srv_request *req)
{
    struct srv_store *st = req->srv->store;
    const char *scope = NULL;
    struct api_fn f;
    int rc;

    if (api_fn_load(req, req->seg[1], 0, &f) < 0)
        return;
    if (f.alias[0])
        scope = f.alias;
    else if (f.qualifier[0] && strcmp(f.qualifier, "latest") != 0)
        scope = f.qualifier;
    rc = st->ops->trigger_delete_all(st, f.fv.fn_id, scope);
    if (rc == SRV_OK)
        srv_reply_empty(req, 204);
    else
        api_fail_store(req, rc);
    api_fn_dispose(&f);
}

/* GET triggers/{urn}/{type}/{id}: 200 with the trigger, 404 FSS.1131. */
void api_trigger_get(struct srv_request *req)
{
    struct srv_trigger t;
    struct api_fn f;

    if (load_trigger(req, &f, &t) < 0)
        return;
    reply_trigger(req, 200, &t);
    srv_trigger_dispose(&t);
    api_fn_dispose(&f);
}

/*
 * PUT triggers/{urn}/{type}/{id}: trigger_status and/or event_data (an
 * object or the SDK's array form, merged over the stored one and
 * validated again); 200 with the trigger. Nothing is written on error.
 */
void api_trigger_update(struct srv_request *req)
{
    struct srv_store *st = req->srv->store;
    const char *status = NULL;
    struct srv_trigger_err err;
    struct srv_trigger t;
    json_t *body = NULL, *stored = NULL, *merged = NULL, *ed = NULL, *patch;
    char *text = NULL, *old_text = NULL, *old_status;
    bool locked = false;
    struct api_fn f;
    int rc, has_status;

    if (!(body = srv_body_object(req)))
        return;
    pthread_mutex_lock(&write_lock);
    locked = true;
    if (load_trigger(req, &f, &t) < 0)
        goto out;
    if ((has_status = read_status(req, body, t.type, &status)) < 0)
        goto done;
    patch = json_object_get(body, "event_data");
    if (patch && json_is_null(patch))
        patch = NULL;
    if (!has_status && !patch) {
        srv_fail(req, "FSS.0400", "Nothing to update: give trigger_status or event_data.");
        goto done;
    }
    if (patch) {
        if (!srv_trigger_type_creatable(t.type)) {
            srv_fail(req, "FSS.0400", "The event_data of %s triggers cannot be updated.", t.type);
            goto done;
        }
        stored = parse_event_data(&t);
        merged = srv_trigger_event_merge(t.type, stored, patch, &err);
        if (merged)
            ed = srv_trigger_event_normalize(t.type, merged, t.trigger_id, stored, &err);
        if (!ed) {
            fail_err(req, &err);
            goto done;
        }
        if (!(text = json_dumps(ed, JSON_COMPACT))) {
            srv_fail(req, "FSS.0500", "Out of memory.");
            goto done;
        }
        if (check_conflicts(req, &t, ed, t.trigger_id) < 0)
            goto done;
        old_text = t.event_data;
        t.event_data = text;
    }
    old_status = t.status;
    if (has_status)
        t.status = (char *)status;
    t.updated_ms = fgs__now_ms();
    rc = st->ops->trigger_put(st, &t, 0);
    if (rc == SRV_OK)
        reply_trigger(req, 200, &t);
    else if (rc == SRV_ENOTFOUND)
        srv_fail(req, "FSS.1131", NULL);
    else
        api_fail_store(req, rc);
    /* Give the struct its own strings back before disposing of it. */
    t.status = old_status;
    if (old_text)
        t.event_data = old_text;
done:
    srv_trigger_dispose(&t);
    api_fn_dispose(&f);
out:
    if (locked)
        pthread_mutex_unlock(&write_lock);
    free(text);
    json_decref(ed);
    json_decref(merged);
    json_decref(stored);
    json_decref(body);
}

/* DELETE triggers/{urn}/{type}/{id}: 204, 404 FSS.1131. */
void api_trigger_delete(struct srv_request *req)
{
    struct srv_store *st = req->srv->store;
    struct srv_trigger t;
    struct api_fn f;
    int rc;

    if (load_trigger(req, &f, &t) < 0)
        return;
    rc = st->ops->trigger_delete(st, f.fv.fn_id, t.type, t.trigger_id);
    if (rc == SRV_OK)
        srv_reply_empty(req, 204);
    else if (rc == SRV_ENOTFOUND)
        srv_fail(req, "FSS.1131", NULL);
    else
        api_fail_store(req, rc);
    srv_trigger_dispose(&t);
    api_fn_dispose(&f);
}
