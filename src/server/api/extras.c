/*
 * extras.c - the smaller per-function settings: asynchronous invocation
 * config, maximum instances, reserved instances, and the tenant quotas.
 *
 * Per-qualifier settings live in the store's extras as JSON documents keyed
 * by (function, qualifier, kind); the qualifier is the alias name for an
 * alias URN, else the version ("latest" for an unqualified URN). Deleting
 * a version or alias drops its extras with it.
 *
 * Choices where the reference leaves room (FGS-API.md §4, §14):
 *   - async-invoke-config: GET and DELETE of a qualifier that never had one
 *     answer 404 FSS.0404, so Terraform (which reads after delete and treats
 *     404 as gone) sees the deletion. PUT replaces the whole document:
 *     absent fields take the request doc's defaults (3600 s, 1 retry).
 *     Ranges follow the request docs and Terraform: age 1..86400, retries
 *     0..3 (the response docs' 0..8 is not accepted). An on_success or
 *     on_failure whose destination and param are both empty counts as
 *     unset (the Go SDK serialises an empty struct that way). param must be
 *     a string holding a JSON object. func_urn in the answer is the
 *     unqualified URN for latest, else qualified by the version or alias.
 *   - config-max-instance always writes latest's configuration (the setting
 *     is per function); any URN form naming the function is accepted.
 *   - reservedinstances: count < 0 is 400 FSS.0400, > 1000 is FSS.1076.
 *   - quotas: "used" is real for fgs_func_num and fgs_func_code_size (the
 *     sum of latest code sizes, rounded up to whole MB); the others report
 *     fixed limits with used 0. Only fgs_func_code_size carries a unit.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api/api.h"
#include "api/common.h"
#include "core/server.h"
#include "util/timefmt.h"

#define KIND_ASYNC "async_config"
#define KIND_RESERVED "reserved"

#define ASYNC_AGE_DEFAULT 3600
#define ASYNC_AGE_MAX 86400
#define ASYNC_RETRY_DEFAULT 1
#define ASYNC_RETRY_MAX 3
#define INSTANCES_MAX 1000
#define TACTICS_MAX 100

#define MB (1024 * 1024)

/* The qualifier extras are stored under for a resolved URN. */
static const char *qualifier_of(const struct api_fn *f)
{
    return f->alias[0] ? f->alias : f->version;
}

/* Parses a stored extras document; NULL if it is not a JSON object. */
static json_t *load_doc(const char *text)
{
    json_t *o = text ? json_loads(text, 0, NULL) : NULL;

    if (o && !json_is_object(o)) {
        json_decref(o);
        o = NULL;
    }
    return o;
}

/* Stores doc (compact, sorted keys) as extras kind of f's qualifier. Returns a store code. */
static int put_doc(struct srv_request *req, const struct api_fn *f, const char *kind, json_t *doc)
{
    struct srv_store *st = req->srv->store;
    char *text = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
    int rc;

    if (!text)
        return SRV_ERROR;
    rc = st->ops->extra_put(st, f->fv.fn_id, qualifier_of(f), kind, text);
    free(text);
    return rc;
}

static void fail_put(struct srv_request *req, int rc)
{
    if (rc == SRV_ENOFUNC)
        srv_fail(req, "FSS.1051", NULL);
    else
        api_fail_store(req, rc);
}

/* The async config answer for a stored document. Returns a new reference or NULL. */
static json_t *async_json(struct srv_request *req, const struct api_fn *f, json_t *doc)
{
    char urn[700], created[40], modified[40];
    const char *q = qualifier_of(f);
    json_t *o = json_deep_copy(doc);
    int64_t c = 0, m = 0;

    if (!o)
        return NULL;
    api_get_int(doc, "created_ms", &c);
    api_get_int(doc, "modified_ms", &m);
    json_object_del(o, "created_ms");
    json_object_del(o, "modified_ms");
    api_urn(urn, sizeof(urn), req->srv, f->fv.project, f->fv.package, f->fv.name,
            strcmp(q, "latest") == 0 ? NULL : q, f->alias[0] != '\0');
    fgs__time_rfc3339(created, sizeof(created), c);
    fgs__time_rfc3339(modified, sizeof(modified), m);
    json_object_set_new(o, "func_urn", json_string(urn));
    json_object_set_new(o, "created_time", json_string(created));
    json_object_set_new(o, "last_modified", json_string(modified));
    if (!json_is_object(json_object_get(o, "destination_config")))
        json_object_set_new(o, "destination_config", json_object());
    return o;
}

/* Loads the URN's async config document; answers 404 FSS.0404 or 500 when missing. */
static json_t *load_async(struct srv_request *req, const struct api_fn *f)
{
    struct srv_store *st = req->srv->store;
    char *text = NULL;
    json_t *doc;
    int rc;

    rc = st->ops->extra_get(st, f->fv.fn_id, qualifier_of(f), KIND_ASYNC, &text);
    if (rc == SRV_ENOTFOUND) {
        srv_fail(req, "FSS.0404", "No asynchronous invocation configuration is set for %s.",
                 qualifier_of(f));
        return NULL;
    }
    if (rc != SRV_OK) {
        api_fail_store(req, rc);
        return NULL;
    }
    doc = load_doc(text);
    free(text);
    if (!doc)
        api_fail_store(req, SRV_ERROR);
    return doc;
}

/*
 * GET functions/{urn}/async-invoke-config: 200 with the stored config, 404
 * FSS.0404 when none was set for this qualifier.
 */
void api_async_config_get(struct srv_request *req)
{
    struct api_fn f;
    json_t *doc;

    if (api_fn_load(req, req->seg[1], 0, &f) < 0)
        return;
    doc = load_async(req, &f);
    if (doc)
        srv_reply_json(req, 200, async_json(req, &f, doc));
    json_decref(doc);
    api_fn_dispose(&f);
}

static bool is_destination(const char *s)
{
    static const char *const kinds[] = { "OBS", "SMN", "DIS", "FunctionGraph", NULL };
    size_t i;

    for (i = 0; kinds[i]; i++)
        if (strcmp(kinds[i], s) == 0)
            return true;
    return false;
}

/*
 * One destination {destination, param}: sets *out to its normalised copy,
 * or leaves it NULL when unset. Returns 0, or -1 after answering.
 */
static int read_destination(struct srv_request *req, json_t *dc, const char *key, json_t **out)
{
    json_t *d = json_object_get(dc, key), *parsed;
    const char *dest = NULL, *param = NULL;

    *out = NULL;
    if (!d || json_is_null(d))
        return 0;
    if (!json_is_object(d) || api_get_str(d, "destination", &dest) < 0 ||
        api_get_str(d, "param", &param) < 0) {
        srv_fail(req, "FSS.0400", "destination_config.%s must be {destination, param} strings.",
                 key);
        return -1;
    }
    if ((!dest || !*dest) && (!param || !*param))
        return 0;
    if (!dest || !is_destination(dest)) {
        srv_fail(req, "FSS.0400",
                 "destination_config.%s.destination must be OBS, SMN, DIS or FunctionGraph.", key);
        return -1;
    }
    parsed = param ? json_loads(param, 0, NULL) : NULL;
    if (!json_is_object(parsed)) {
        json_decref(parsed);
        srv_fail(req, "FSS.0400",
                 "destination_config.%s.param must be a string holding a JSON object.", key);
        return -1;
    }
    json_decref(parsed);
    *out = json_pack("{s:s, s:s}", "destination", dest, "param", param);
    if (!*out) {
        srv_fail(req, "FSS.0503", "Out of memory.");
        return -1;
    }
    return 0;
}

/* destination_config into doc. Returns 0, or -1 after answering. */
static int read_destinations(struct srv_request *req, json_t *body, json_t *doc)
{
    json_t *dc = json_object_get(body, "destination_config");
    json_t *out, *succ = NULL, *fail = NULL;

    if (dc && !json_is_null(dc) && !json_is_object(dc)) {
        srv_fail(req, "FSS.0400", "destination_config must be an object.");
        return -1;
    }
    if (read_destination(req, dc, "on_success", &succ) < 0)
        return -1;
    if (read_destination(req, dc, "on_failure", &fail) < 0) {
        json_decref(succ);
        return -1;
    }
    out = json_object();
    if (out && succ)
        json_object_set_new(out, "on_success", succ);
    else
        json_decref(succ);
    if (out && fail)
        json_object_set_new(out, "on_failure", fail);
    else
        json_decref(fail);
    if (!out) {
        srv_fail(req, "FSS.0503", "Out of memory.");
        return -1;
    }
    json_object_set_new(doc, "destination_config", out);
    return 0;
}

/* Reads an int field in [min, max] with a default. Returns 0, or -1 after answering. */
static int read_ranged(struct srv_request *req,
                       json_t *body,
                       const char *key,
                       int64_t min,
                       int64_t max,
                       int64_t def,
                       int64_t *out)
{
    *out = def;
    if (api_get_int(body, key, out) < 0 || *out < min || *out > max) {
        srv_fail(req, "FSS.0400", "%s must be an integer from %lld to %lld.", key, (long long)min,
                 (long long)max);
        return -1;
    }
    return 0;
}

/* Builds the async config document from a PUT body. Returns 0, or -1 after answering. */
static int read_async_body(struct srv_request *req, json_t *body, json_t *doc)
{
    static const char *const logs[] = { "log_group_name", "log_stream_name", NULL };
    int64_t age, retries;
    bool status_log = false;
    const char *s;
    size_t i;

    if (read_ranged(req, body, "max_async_event_age_in_seconds", 1, ASYNC_AGE_MAX,
                    ASYNC_AGE_DEFAULT, &age) < 0 ||
        read_ranged(req, body, "max_async_retry_attempts", 0, ASYNC_RETRY_MAX, ASYNC_RETRY_DEFAULT,
                    &retries) < 0)
        return -1;
    if (api_get_bool(body, "enable_async_status_log", &status_log) < 0) {
        srv_fail(req, "FSS.0400", "enable_async_status_log must be a boolean.");
        return -1;
    }
    for (i = 0; logs[i]; i++) {
        s = NULL;
        if (api_get_str(body, logs[i], &s) < 0) {
            srv_fail(req, "FSS.0400", "%s must be a string.", logs[i]);
            return -1;
        }
        if (s)
            json_object_set_new(doc, logs[i], json_string(s));
    }
    json_object_set_new(doc, "max_async_event_age_in_seconds", json_integer(age));
    json_object_set_new(doc, "max_async_retry_attempts", json_integer(retries));
    json_object_set_new(doc, "enable_async_status_log", json_boolean(status_log));
    return read_destinations(req, body, doc);
}

/*
 * PUT functions/{urn}/async-invoke-config: replaces the qualifier's async
 * config and answers 200 with it (created_time kept from an earlier PUT).
 */
void api_async_config_put(struct srv_request *req)
{
    struct srv_store *st = req->srv->store;
    json_t *body = NULL, *doc = NULL, *old = NULL;
    char *text = NULL;
    struct api_fn f;
    int64_t now = fgs__now_ms(), created = now;
    int rc;

    if (api_fn_load(req, req->seg[1], 0, &f) < 0)
        return;
    body = srv_body_object(req);
    if (!body)
        goto done;
    doc = json_object();
    if (!doc) {
        srv_fail(req, "FSS.0503", "Out of memory.");
        goto done;
    }
    if (read_async_body(req, body, doc) < 0)
        goto done;
    rc = st->ops->extra_get(st, f.fv.fn_id, qualifier_of(&f), KIND_ASYNC, &text);
    if (rc != SRV_OK && rc != SRV_ENOTFOUND) {
        api_fail_store(req, rc);
        goto done;
    }
    old = load_doc(text);
    api_get_int(old, "created_ms", &created);
    json_object_set_new(doc, "created_ms", json_integer(created));
    json_object_set_new(doc, "modified_ms", json_integer(now));
    rc = put_doc(req, &f, KIND_ASYNC, doc);
    if (rc == SRV_OK)
        srv_reply_json(req, 200, async_json(req, &f, doc));
    else
        fail_put(req, rc);
done:
    free(text);
    json_decref(old);
    json_decref(doc);
    json_decref(body);
    api_fn_dispose(&f);
}

/* DELETE functions/{urn}/async-invoke-config: 204, or 404 FSS.0404 when none is set. */
void api_async_config_delete(struct srv_request *req)
{
    struct srv_store *st = req->srv->store;
    struct api_fn f;
    int rc;

    if (api_fn_load(req, req->seg[1], 0, &f) < 0)
        return;
    rc = st->ops->extra_delete(st, f.fv.fn_id, qualifier_of(&f), KIND_ASYNC);
    if (rc == SRV_OK)
        srv_reply_empty(req, 204);
    else if (rc == SRV_ENOTFOUND)
        srv_fail(req, "FSS.0404", "No asynchronous invocation configuration is set for %s.",
                 qualifier_of(&f));
    else
        api_fail_store(req, rc);
    api_fn_dispose(&f);
}

/* GET functions/{urn}/async-invocations: arrives with the async invocation work. */
void api_async_invocation_list(struct srv_request *req)
{
    srv_fail(req, "FSS.0501", NULL);
}

/* POST functions/{urn}/cancel: arrives with the async invocation work. */
void api_async_cancel(struct srv_request *req)
{
    srv_fail(req, "FSS.0501", NULL);
}

/* Loads latest's row of the function f names into out. Returns 0, or -1 after answering. */
static int load_latest(struct srv_request *req, const struct api_fn *f, struct srv_fnver *out)
{
    struct srv_store *st = req->srv->store;
    int rc;

    rc = st->ops->fn_get(st, f->fv.project, f->fv.package, f->fv.name, "latest", out);
    if (rc == SRV_OK)
        return 0;
    if (rc == SRV_ENOFUNC || rc == SRV_ENOTFOUND)
        srv_fail(req, "FSS.1051", NULL);
    else
        api_fail_store(req, rc);
    srv_fnver_dispose(out);
    return -1;
}

/*
 * PUT functions/{urn}/config-max-instance {max_instance_num: -1..1000}:
 * stores the value in latest's configuration; answers 200 Function.
 */
void api_max_instance_put(struct srv_request *req)
{
    struct srv_store *st = req->srv->store;
    json_t *body = NULL, *cfg = NULL;
    struct srv_fnver latest, fv;
    char *text = NULL;
    struct api_fn f;
    int64_t num = 0;
    int rc;

    memset(&latest, 0, sizeof(latest));
    if (api_fn_load(req, req->seg[1], 0, &f) < 0)
        return;
    body = srv_body_object(req);
    if (!body)
        goto done;
    if (api_get_int(body, "max_instance_num", &num) != 1 || num < -1 || num > INSTANCES_MAX) {
        srv_fail(req, "FSS.0400",
                 "max_instance_num is required: -1 (no limit), 0 (disabled) or up to %d.",
                 INSTANCES_MAX);
        goto done;
    }
    if (load_latest(req, &f, &latest) < 0)
        goto done;
    cfg = load_doc(latest.config);
    if (!cfg)
        cfg = json_object();
    if (!cfg || json_object_set_new(cfg, "max_instance_num", json_integer(num)) < 0) {
        srv_fail(req, "FSS.0503", "Out of memory.");
        goto done;
    }
    text = json_dumps(cfg, JSON_COMPACT | JSON_SORT_KEYS);
    fv = latest;
    fv.config = text;
    fv.modified_ms = fgs__now_ms();
    rc = text ? st->ops->ver_update(st, &fv, NULL) : SRV_ERROR;
    if (rc == SRV_OK)
        srv_reply_json(req, 200, api_function_json(req->srv, &fv, API_URN_QUALIFIED));
    else if (rc == SRV_ENOTFOUND)
        srv_fail(req, "FSS.1051", NULL);
    else
        api_fail_store(req, rc);
done:
    free(text);
    json_decref(cfg);
    json_decref(body);
    srv_fnver_dispose(&latest);
    api_fn_dispose(&f);
}

/* Checks a required string field of a tactics item. */
static bool has_str(json_t *o, const char *key)
{
    const char *s = NULL;

    return api_get_str(o, key, &s) == 1 && *s;
}

/* Checks an integer field of a tactics item in [min, max] (absent fails when required). */
static bool int_in(json_t *o, const char *key, int64_t min, int64_t max, bool required)
{
    int64_t v = 0;
    int rc = api_get_int(o, key, &v);

    if (rc < 0 || (rc == 0 && required))
        return false;
    return rc == 0 || (v >= min && v <= max);
}

/*
 * One cron_configs item {name, cron, count, start_time, expired_time}.
 * Returns 0, or -1 after answering.
 */
static int check_cron(struct srv_request *req, size_t i, json_t *c)
{
    int64_t count = 0, start = 0, end = 0;

    if (!json_is_object(c) || !has_str(c, "name") || !has_str(c, "cron") ||
        !int_in(c, "start_time", 0, INT64_MAX, false) ||
        !int_in(c, "expired_time", 0, INT64_MAX, false) || api_get_int(c, "count", &count) != 1 ||
        count < 0) {
        srv_fail(
            req, "FSS.0400",
            "tactics_config.cron_configs[%zu] needs name and cron strings, a count >= 0 and integer start_time/expired_time.",
            i);
        return -1;
    }
    if (count > INSTANCES_MAX) {
        srv_fail(req, "FSS.1076", "tactics_config.cron_configs[%zu].count exceeds %d.", i,
                 INSTANCES_MAX);
        return -1;
    }
    if (api_get_int(c, "start_time", &start) == 1 && api_get_int(c, "expired_time", &end) == 1 &&
        end <= start) {
        srv_fail(req, "FSS.0400",
                 "tactics_config.cron_configs[%zu]: expired_time must be after start_time.", i);
        return -1;
    }
    return 0;
}

/* One metric_configs item {name, type: Concurrency, threshold, min}. Returns 0 or -1. */
static int check_metric(struct srv_request *req, size_t i, json_t *m)
{
    const char *type = NULL;
    int64_t min = 0;

    if (!json_is_object(m) || !has_str(m, "name") || api_get_str(m, "type", &type) != 1 ||
        strcmp(type, "Concurrency") != 0 || !int_in(m, "threshold", 0, INT32_MAX, true) ||
        api_get_int(m, "min", &min) != 1 || min < 0) {
        srv_fail(
            req, "FSS.0400",
            "tactics_config.metric_configs[%zu] needs a name, type Concurrency, threshold >= 0 and min >= 0.",
            i);
        return -1;
    }
    if (min > INSTANCES_MAX) {
        srv_fail(req, "FSS.1076", "tactics_config.metric_configs[%zu].min exceeds %d.", i,
                 INSTANCES_MAX);
        return -1;
    }
    return 0;
}

/*
 * tactics_config {cron_configs[], metric_configs[]}: sets *out to a copy
 * with both arrays present. Returns 0, or -1 after answering.
 */
static int read_tactics(struct srv_request *req, json_t *body, json_t **out)
{
    static const char *const keys[] = { "cron_configs", "metric_configs" };
    json_t *t = json_object_get(body, "tactics_config"), *arr, *item;
    size_t k, i;

    *out = NULL;
    if (t && !json_is_null(t) && !json_is_object(t)) {
        srv_fail(req, "FSS.0400", "tactics_config must be an object.");
        return -1;
    }
    *out = json_object();
    if (!*out) {
        srv_fail(req, "FSS.0503", "Out of memory.");
        return -1;
    }
    for (k = 0; k < 2; k++) {
        arr = json_object_get(t, keys[k]);
        if (!arr || json_is_null(arr)) {
            json_object_set_new(*out, keys[k], json_array());
            continue;
        }
        if (!json_is_array(arr) || json_array_size(arr) > TACTICS_MAX) {
            srv_fail(req, "FSS.0400", "tactics_config.%s must be an array of at most %d items.",
                     keys[k], TACTICS_MAX);
            goto fail;
        }
        json_array_foreach(arr, i, item)
        {
            if ((k == 0 ? check_cron(req, i, item) : check_metric(req, i, item)) < 0)
                goto fail;
        }
        json_object_set(*out, keys[k], arr);
    }
    return 0;
fail:
    json_decref(*out);
    *out = NULL;
    return -1;
}

/*
 * PUT functions/{urn}/reservedinstances {count, idle_mode, tactics_config}:
 * stores the qualifier's reserved instance settings; 200 with them.
 */
void api_reserved_put(struct srv_request *req)
{
    json_t *body = NULL, *doc = NULL, *tactics = NULL;
    bool idle = false;
    int64_t count = 0;
    struct api_fn f;
    int rc;

    if (api_fn_load(req, req->seg[1], 0, &f) < 0)
        return;
    body = srv_body_object(req);
    if (!body)
        goto done;
    if (api_get_int(body, "count", &count) != 1 || count < 0) {
        srv_fail(req, "FSS.0400", "count is required: an integer >= 0.");
        goto done;
    }
    if (count > INSTANCES_MAX) {
        srv_fail(req, "FSS.1076", "count %lld exceeds %d reserved instances.", (long long)count,
                 INSTANCES_MAX);
        goto done;
    }
    if (api_get_bool(body, "idle_mode", &idle) < 0) {
        srv_fail(req, "FSS.0400", "idle_mode must be a boolean.");
        goto done;
    }
    if (read_tactics(req, body, &tactics) < 0)
        goto done;
    doc = json_pack("{s:I, s:b, s:O}", "count", (json_int_t)count, "idle_mode", idle,
                    "tactics_config", tactics);
    rc = doc ? put_doc(req, &f, KIND_RESERVED, doc) : SRV_ERROR;
    if (rc == SRV_OK) {
        srv_reply_json(req, 200, doc);
        doc = NULL; /* owned by the reply */
    } else {
        fail_put(req, rc);
    }
done:
    json_decref(tactics);
    json_decref(doc);
    json_decref(body);
    api_fn_dispose(&f);
}

/* Sum of the latest code sizes of a project's functions, in bytes. Returns a store code. */
static int code_bytes(struct srv_store *st, const char *project, int64_t *out)
{
    struct srv_fnver *rows = NULL;
    int64_t offset = 0, total = 0;
    size_t n = 0, i;
    int rc;

    *out = 0;
    do {
        rc = st->ops->fn_list(st, project, NULL, NULL, offset, 400, &rows, &n, &total);
        if (rc != SRV_OK)
            return rc;
        for (i = 0; i < n; i++)
            *out += rows[i].code_size;
        srv_fnver_free_array(rows, n);
        offset += (int64_t)n;
    } while (n > 0 && offset < total);
    return SRV_OK;
}

static int add_quota(json_t *arr, const char *type, int64_t quota, int64_t used, const char *unit)
{
    json_t *o = json_pack("{s:I, s:I, s:s}", "quota", (json_int_t)quota, "used", (json_int_t)used,
                          "type", type);

    if (o && unit)
        json_object_set_new(o, "unit", json_string(unit));
    return o ? json_array_append_new(arr, o) : -1;
}

/* GET quotas: the project's limits and usage as {quotas:{resources:[...]}}. */
void api_quotas_get(struct srv_request *req)
{
    struct srv_server *srv = req->srv;
    struct srv_store *st = srv->store;
    int64_t nfn = 0, bytes = 0;
    json_t *arr;
    int rc = 0;

    if (st->ops->fn_count(st, req->project, &nfn) != SRV_OK ||
        code_bytes(st, req->project, &bytes) != SRV_OK) {
        api_fail_store(req, SRV_ERROR);
        return;
    }
    arr = json_array();
    if (!arr) {
        srv_fail(req, "FSS.0503", "Out of memory.");
        return;
    }
    rc |= add_quota(arr, "fgs_func_scale_down_timeout", 60, 0, NULL);
    rc |= add_quota(arr, "fgs_func_occurs", INSTANCES_MAX, 0, NULL);
    rc |= add_quota(arr, "fgs_func_pat_idle_time", 60, 0, NULL);
    rc |= add_quota(arr, "fgs_func_num", srv->cfg.max_functions, nfn, NULL);
    rc |= add_quota(arr, "fgs_func_code_size", srv->cfg.max_total_code_bytes / MB,
                    (bytes + MB - 1) / MB, "MB");
    rc |= add_quota(arr, "fgs_workflow_num", 512, 0, NULL);
    rc |= add_quota(arr, "fgs_on_demand_instance_limit", INSTANCES_MAX, 0, NULL);
    rc |= add_quota(arr, "fgs_func_qos_limit", INSTANCES_MAX, 0, NULL);
    if (rc != 0) {
        json_decref(arr);
        srv_fail(req, "FSS.0503", "Out of memory.");
        return;
    }
    srv_reply_json(req, 200, json_pack("{s:{s:o}}", "quotas", "resources", arr));
}
