/*
 * aliases.c - version aliases: named pointers to a version, optionally
 * sending part of the traffic to other versions by weight
 * (additional_version_weights) or by request rules
 * (additional_version_strategy).
 *
 * Choices where the reference leaves room (FGS-API.md §3.3, §8.4, §14):
 *   - The path URN names the function: unqualified, :latest or another
 *     version all address the same alias set; an alias URN is 400.
 *   - A main version that does not exist is 400 FSS.1015 (a body field, as
 *     the CreateVersionAlias doc lists it), not 404. `latest` is allowed.
 *   - Each version (latest included) is the main version of at most one
 *     alias (LIMITS: "each version ≤1 alias"): otherwise 409 FSS.1066.
 *   - Additional versions must be published versions other than the main
 *     one: latest or unknown is FSS.1091, the main version FSS.1093.
 *     Weights are integers 0..100 summing to at most 100 (FSS.1092). A
 *     malformed rule strategy is 400 FSS.0400 naming the offending field.
 *   - PUT replaces the alias: description, weights and strategy that are
 *     absent become empty (the Go SDK omits empty maps, so there is no other
 *     way to clear them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api/api.h"
#include "api/common.h"
#include "core/server.h"
#include "util/timefmt.h"

#define DESC_MAX 512
#define ALIAS_NAME_MAX 64
#define RULES_MAX 10
#define RULE_PARAM_MAX 128
#define RULE_VALUE_MAX 1024

/* A validated alias request body; weights/strategy are normalised copies. */
struct alias_in {
    const char *name; /* create only; borrowed from the body */
    const char *version;
    const char *desc; /* NULL when absent */
    json_t *weights;  /* owned; NULL when none */
    json_t *strategy; /* owned; NULL when none */
};

static void alias_in_dispose(struct alias_in *in)
{
    json_decref(in->weights);
    json_decref(in->strategy);
    in->weights = NULL;
    in->strategy = NULL;
}

/* The Alias object of a stored alias row. Returns a new reference or NULL. */
static json_t *
alias_json(struct srv_request *req, const struct api_fn *f, const struct srv_alias *a)
{
    char urn[700], when[40];
    json_t *w = a->weights ? json_loads(a->weights, 0, NULL) : NULL;
    json_t *s = a->strategy ? json_loads(a->strategy, 0, NULL) : NULL;

    if (!json_is_object(w)) {
        json_decref(w);
        w = json_object();
    }
    if (!json_is_object(s)) {
        json_decref(s);
        s = json_object();
    }
    api_urn(urn, sizeof(urn), req->srv, f->fv.project, f->fv.package, f->fv.name, a->name, true);
    fgs__time_rfc3339(when, sizeof(when), a->modified_ms);
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "name", a->name, "version", a->version,
                     "description", a->description ? a->description : "", "last_modified", when,
                     "alias_urn", urn, "additional_version_weights", w,
                     "additional_version_strategy", s);
}

/*
 * Whether version exists for the function: 1 yes, 0 no, -1 after answering
 * a store failure.
 */
static int version_exists(struct srv_request *req, const struct api_fn *f, const char *version)
{
    struct srv_store *st = req->srv->store;
    struct srv_fnver fv;
    int rc;

    if (!api_version_name_ok(version))
        return 0;
    rc = st->ops->fn_get(st, f->fv.project, f->fv.package, f->fv.name, version, &fv);
    srv_fnver_dispose(&fv);
    if (rc == SRV_OK)
        return 1;
    if (rc == SRV_ENOTFOUND)
        return 0;
    if (rc == SRV_ENOFUNC)
        srv_fail(req, "FSS.1051", NULL);
    else
        api_fail_store(req, rc);
    return -1;
}

/* Checks one additional version key. Returns 0, or -1 after answering. */
static int check_additional(struct srv_request *req,
                            const struct api_fn *f,
                            const char *main_v,
                            const char *field,
                            const char *v)
{
    int rc;

    if (strcmp(v, main_v) == 0) {
        srv_fail(req, "FSS.1093", "%s: version %.64s is the alias's main version.", field, v);
        return -1;
    }
    if (strcmp(v, "latest") == 0) {
        srv_fail(req, "FSS.1091", "%s: latest cannot be an additional version; publish a version.",
                 field);
        return -1;
    }
    rc = version_exists(req, f, v);
    if (rc == 0)
        srv_fail(req, "FSS.1091", "%s: version %.64s does not exist.", field, v);
    return rc == 1 ? 0 : -1;
}

/* additional_version_weights: {version: 0..100}, sum <= 100. Returns 0 or -1 after answering. */
static int
read_weights(struct srv_request *req, const struct api_fn *f, json_t *body, struct alias_in *in)
{
    static const char field[] = "additional_version_weights";
    json_t *w = json_object_get(body, field), *v;
    const char *key;
    int64_t sum = 0;

    if (!w || json_is_null(w))
        return 0;
    if (!json_is_object(w)) {
        srv_fail(req, "FSS.0400", "%s must be an object of version name to percent.", field);
        return -1;
    }
    json_object_foreach(w, key, v)
    {
        if (check_additional(req, f, in->version, field, key) < 0)
            return -1;
        if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 100) {
            srv_fail(req, "FSS.1092", "%s: the weight of %.64s must be an integer from 0 to 100.",
                     field, key);
            return -1;
        }
        sum += json_integer_value(v);
    }
    if (sum > 100) {
        srv_fail(req, "FSS.1092", "%s: the weights add up to %lld, more than 100.", field,
                 (long long)sum);
        return -1;
    }
    if (json_object_size(w) > 0)
        in->weights = json_deep_copy(w);
    return 0;
}

static bool param_ok(const char *s)
{
    size_t n = strlen(s), i;

    if (n == 0 || n > RULE_PARAM_MAX)
        return false;
    for (i = 0; i < n; i++) {
        char c = s[i];

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-'))
            return false;
    }
    return true;
}

static bool one_of(const char *s, const char *a, const char *b)
{
    return s && (strcmp(s, a) == 0 || strcmp(s, b) == 0);
}

/*
 * One routing rule {rule_type, param, op, value}. Returns its normalised
 * copy, or NULL after answering.
 */
static json_t *read_rule(struct srv_request *req, const char *key, size_t idx, json_t *rule)
{
    const char *type = NULL, *param = NULL, *op = NULL, *value = NULL;
    json_t *out;

    if (!json_is_object(rule) || api_get_str(rule, "rule_type", &type) != 1 ||
        api_get_str(rule, "param", &param) != 1 || api_get_str(rule, "op", &op) != 1 ||
        api_get_str(rule, "value", &value) != 1) {
        srv_fail(
            req, "FSS.0400",
            "additional_version_strategy.%.64s.rules[%zu] needs the strings rule_type, param, op and value.",
            key, idx);
        return NULL;
    }
    if (!one_of(type, "header", "cookie")) {
        srv_fail(req, "FSS.0400",
                 "additional_version_strategy.%.64s.rules[%zu].rule_type must be header or cookie.",
                 key, idx);
        return NULL;
    }
    if (!param_ok(param)) {
        srv_fail(
            req, "FSS.0400",
            "additional_version_strategy.%.64s.rules[%zu].param: 1-%d of letters, digits, _ and -.",
            key, idx, RULE_PARAM_MAX);
        return NULL;
    }
    if (!one_of(op, "=", "in")) {
        srv_fail(req, "FSS.0400",
                 "additional_version_strategy.%.64s.rules[%zu].op must be = or in.", key, idx);
        return NULL;
    }
    if (!*value || strlen(value) > RULE_VALUE_MAX) {
        srv_fail(req, "FSS.0400",
                 "additional_version_strategy.%.64s.rules[%zu].value: 1-%d characters.", key, idx,
                 RULE_VALUE_MAX);
        return NULL;
    }
    out = json_pack("{s:s, s:s, s:s, s:s}", "rule_type", type, "param", param, "op", op, "value",
                    value);
    if (!out)
        srv_fail(req, "FSS.0503", "Out of memory.");
    return out;
}

/* One version's strategy {combine_type, rules}. Returns a normalised copy or NULL after answering.
 */
static json_t *read_version_strategy(struct srv_request *req, const char *key, json_t *vs)
{
    const char *combine = NULL;
    json_t *rules, *out = NULL, *arr = NULL, *r;
    size_t i;

    rules = json_is_object(vs) ? json_object_get(vs, "rules") : NULL;
    if (!json_is_object(vs) || api_get_str(vs, "combine_type", &combine) < 0 ||
        !one_of(combine, "and", "or")) {
        srv_fail(req, "FSS.0400", "additional_version_strategy.%.64s needs combine_type and or or.",
                 key);
        return NULL;
    }
    if (!json_is_array(rules) || json_array_size(rules) == 0 ||
        json_array_size(rules) > RULES_MAX) {
        srv_fail(req, "FSS.0400",
                 "additional_version_strategy.%.64s.rules must be an array of 1-%d rules.", key,
                 RULES_MAX);
        return NULL;
    }
    arr = json_array();
    if (!arr) {
        srv_fail(req, "FSS.0503", "Out of memory.");
        return NULL;
    }
    json_array_foreach(rules, i, r)
    {
        json_t *rule = read_rule(req, key, i, r);

        if (!rule)
            goto fail;
        json_array_append_new(arr, rule);
    }
    out = json_pack("{s:s, s:o}", "combine_type", combine, "rules", arr);
    if (!out)
        srv_fail(req, "FSS.0503", "Out of memory.");
    return out;
fail:
    json_decref(arr);
    return NULL;
}

/* additional_version_strategy: {version: {combine_type, rules}}. Returns 0 or -1 after answering.
 */
static int
read_strategy(struct srv_request *req, const struct api_fn *f, json_t *body, struct alias_in *in)
{
    static const char field[] = "additional_version_strategy";
    json_t *s = json_object_get(body, field), *v, *out;
    const char *key;

    if (!s || json_is_null(s))
        return 0;
    if (!json_is_object(s)) {
        srv_fail(req, "FSS.0400", "%s must be an object of version name to strategy.", field);
        return -1;
    }
    if (json_object_size(s) == 0)
        return 0;
    out = json_object();
    if (!out) {
        srv_fail(req, "FSS.0503", "Out of memory.");
        return -1;
    }
    json_object_foreach(s, key, v)
    {
        json_t *vs;

        if (check_additional(req, f, in->version, field, key) < 0)
            goto fail;
        vs = read_version_strategy(req, key, v);
        if (!vs)
            goto fail;
        json_object_set_new(out, key, vs);
    }
    in->strategy = out;
    return 0;
fail:
    json_decref(out);
    return -1;
}

/*
 * Reads and validates an alias body (create: with name). Returns 0, or -1
 * after answering. Release with alias_in_dispose() either way.
 */
static int read_alias_body(
    struct srv_request *req, const struct api_fn *f, json_t *body, bool create, struct alias_in *in)
{
    int rc;

    memset(in, 0, sizeof(*in));
    if (create &&
        (api_get_str(body, "name", &in->name) != 1 || !api_name_ok(in->name, ALIAS_NAME_MAX))) {
        srv_fail(
            req, "FSS.1014",
            "name: 1-%d characters, a letter first, letters, digits, _ and -, ending in a letter or digit.",
            ALIAS_NAME_MAX);
        return -1;
    }
    if (api_get_str(body, "version", &in->version) != 1) {
        srv_fail(req, "FSS.1015",
                 "version is required: the name of an existing version or latest.");
        return -1;
    }
    if (strcmp(in->version, "latest") != 0) {
        rc = version_exists(req, f, in->version);
        if (rc < 0)
            return -1;
        if (rc == 0) {
            srv_fail(req, "FSS.1015", "Version %.64s does not exist.", in->version);
            return -1;
        }
    }
    if (api_get_str(body, "description", &in->desc) < 0) {
        srv_fail(req, "FSS.0400", "description must be a string.");
        return -1;
    }
    if (in->desc && api_utf8_chars(in->desc) > DESC_MAX) {
        srv_fail(req, "FSS.1019", "The alias description exceeds %d characters.", DESC_MAX);
        return -1;
    }
    if (read_weights(req, f, body, in) < 0 || read_strategy(req, f, body, in) < 0)
        return -1;
    return 0;
}

/*
 * Checks the function's other aliases: `self` (the alias being updated, or
 * NULL on create) is skipped. On create also refuses an existing name
 * (FSS.1063) and a full quota (FSS.1043). Refuses a main version another
 * alias already has (FSS.1066). Returns 0, or -1 after answering.
 */
static int check_siblings(struct srv_request *req,
                          const struct api_fn *f,
                          const struct alias_in *in,
                          const char *self)
{
    struct srv_store *st = req->srv->store;
    struct srv_alias *al = NULL;
    size_t n = 0, i;
    int rc = -1;

    if (st->ops->alias_list(st, f->fv.fn_id, &al, &n) != SRV_OK) {
        api_fail_store(req, SRV_ERROR);
        return -1;
    }
    for (i = 0; !self && i < n; i++) {
        if (strcmp(al[i].name, in->name) == 0) {
            srv_fail(req, "FSS.1063", "Alias %s already exists.", in->name);
            goto done;
        }
    }
    if (!self) {
        /* Triggers and settings are keyed by qualifier: an alias may not share a version's name. */
        struct srv_fnver v;

        if (st->ops->fn_get(st, f->fv.project, f->fv.package, f->fv.name, in->name, &v) ==
            SRV_OK) {
            srv_fnver_dispose(&v);
            srv_fail(req, "FSS.1014", "Alias %s would have the name of an existing version.",
                     in->name);
            goto done;
        }
    }
    if (!self && (int64_t)n >= req->srv->cfg.max_aliases) {
        srv_fail(req, "FSS.1043", "A function can have at most %lld aliases.",
                 (long long)req->srv->cfg.max_aliases);
        goto done;
    }
    for (i = 0; i < n; i++) {
        if (self && strcmp(al[i].name, self) == 0)
            continue;
        if (strcmp(al[i].version, in->version) == 0) {
            srv_fail(req, "FSS.1066", "Version %s is already the version of alias %s.", in->version,
                     al[i].name);
            goto done;
        }
    }
    rc = 0;
done:
    srv_alias_free_array(al, n);
    return rc;
}

/* Writes an alias row from a validated body; answers 200 Alias or the error. */
static void put_alias(struct srv_request *req,
                      const struct api_fn *f,
                      const struct alias_in *in,
                      const char *name,
                      bool create)
{
    struct srv_store *st = req->srv->store;
    struct srv_alias a;
    int rc;

    memset(&a, 0, sizeof(a));
    a.fn_id = f->fv.fn_id;
    a.name = (char *)name;
    a.version = (char *)in->version;
    a.description = (char *)in->desc;
    a.weights = in->weights ? json_dumps(in->weights, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    a.strategy = in->strategy ? json_dumps(in->strategy, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    a.modified_ms = fgs__now_ms();
    if ((in->weights && !a.weights) || (in->strategy && !a.strategy))
        rc = SRV_ERROR;
    else
        rc = st->ops->alias_put(st, &a, create);
    if (rc == SRV_OK)
        srv_reply_json(req, 200, alias_json(req, f, &a));
    else if (rc == SRV_EEXISTS)
        srv_fail(req, create ? "FSS.1063" : "FSS.0409", "Alias %s already exists.", name);
    else if (rc == SRV_ENOTFOUND)
        srv_fail(req, "FSS.1053", NULL);
    else
        api_fail_store(req, rc);
    free(a.weights);
    free(a.strategy);
}

/*
 * POST functions/{urn}/aliases: creates an alias. Answers 200 Alias;
 * 400 FSS.1014/1015/1019/1091/1092/1093, 403 FSS.1043, 409 FSS.1063/1066.
 */
void api_alias_create(struct srv_request *req)
{
    struct alias_in in = { 0 };
    json_t *body = NULL;
    struct api_fn f;

    if (api_fn_load(req, req->seg[1], API_FN_NO_ALIAS, &f) < 0)
        return;
    body = srv_body_object(req);
    if (!body)
        goto done;
    if (read_alias_body(req, &f, body, true, &in) < 0 || check_siblings(req, &f, &in, NULL) < 0)
        goto done;
    put_alias(req, &f, &in, in.name, true);
done:
    alias_in_dispose(&in);
    json_decref(body);
    api_fn_dispose(&f);
}

/* Loads the function and the alias the path names; answers 404 FSS.1053 when missing. */
static int load_alias(struct srv_request *req, struct api_fn *f, struct srv_alias *a)
{
    struct srv_store *st = req->srv->store;
    int rc;

    memset(a, 0, sizeof(*a));
    if (api_fn_load(req, req->seg[1], API_FN_NO_ALIAS, f) < 0)
        return -1;
    rc = st->ops->alias_get(st, f->fv.fn_id, req->seg[3], a);
    if (rc == SRV_OK)
        return 0;
    if (rc == SRV_ENOTFOUND)
        srv_fail(req, "FSS.1053", "Alias %.64s does not exist.", req->seg[3]);
    else
        api_fail_store(req, rc);
    api_fn_dispose(f);
    return -1;
}

/* GET functions/{urn}/aliases/{name}: 200 Alias or 404 FSS.1053. */
void api_alias_get(struct srv_request *req)
{
    struct srv_alias a;
    struct api_fn f;

    if (load_alias(req, &f, &a) < 0)
        return;
    srv_reply_json(req, 200, alias_json(req, &f, &a));
    srv_alias_dispose(&a);
    api_fn_dispose(&f);
}

/* GET functions/{urn}/aliases: a bare JSON array of Alias, in creation order. */
void api_alias_list(struct srv_request *req)
{
    struct srv_store *st = req->srv->store;
    struct srv_alias *al = NULL;
    json_t *arr;
    struct api_fn f;
    size_t n = 0, i;
    int rc;

    if (api_fn_load(req, req->seg[1], API_FN_NO_ALIAS, &f) < 0)
        return;
    rc = st->ops->alias_list(st, f.fv.fn_id, &al, &n);
    if (rc != SRV_OK) {
        api_fail_store(req, rc);
        goto done;
    }
    arr = json_array();
    for (i = 0; arr && i < n; i++)
        json_array_append_new(arr, alias_json(req, &f, &al[i]));
    srv_reply_json(req, 200, arr);
done:
    srv_alias_free_array(al, n);
    api_fn_dispose(&f);
}

/*
 * PUT functions/{urn}/aliases/{name}: replaces the alias's version,
 * description, weights and strategy. 200 Alias, 404 FSS.1053, else as create.
 */
void api_alias_update(struct srv_request *req)
{
    struct alias_in in = { 0 };
    json_t *body = NULL;
    struct srv_alias a;
    struct api_fn f;

    if (load_alias(req, &f, &a) < 0)
        return;
    body = srv_body_object(req);
    if (!body)
        goto done;
    if (read_alias_body(req, &f, body, false, &in) < 0 || check_siblings(req, &f, &in, a.name) < 0)
        goto done;
    put_alias(req, &f, &in, a.name, false);
done:
    alias_in_dispose(&in);
    json_decref(body);
    srv_alias_dispose(&a);
    api_fn_dispose(&f);
}

/*
 * DELETE functions/{urn}/aliases/{name}: 204; 403 FSS.1154 while triggers
 * are bound to the alias; 404 FSS.1053.
 */
void api_alias_delete(struct srv_request *req)
{
    struct srv_store *st = req->srv->store;
    struct srv_trigger *trg = NULL;
    struct srv_alias a;
    struct api_fn f;
    size_t n = 0;
    int rc;

    if (load_alias(req, &f, &a) < 0)
        return;
    rc = st->ops->trigger_list(st, f.fv.fn_id, a.name, &trg, &n);
    if (rc != SRV_OK) {
        api_fail_store(req, rc);
        goto done;
    }
    if (n > 0) {
        srv_fail(req, "FSS.1154", "Alias %s has %zu bound trigger(s); delete them first.", a.name,
                 n);
        goto done;
    }
    rc = st->ops->alias_delete(st, f.fv.fn_id, a.name);
    if (rc == SRV_OK)
        srv_reply_empty(req, 204);
    else if (rc == SRV_ENOTFOUND)
        srv_fail(req, "FSS.1053", NULL);
    else
        api_fail_store(req, rc);
done:
    srv_trigger_free_array(trg, n);
    srv_alias_dispose(&a);
    api_fn_dispose(&f);
}
