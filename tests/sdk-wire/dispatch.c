/*
 * dispatch.c - maps a call name plus JSON arguments to one SDK operation
 * and summarizes its result as JSON for comparison with a case.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stub.h"
#include "wire.h"

#define PROJECT "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
#define AK "HPUAFGSTESTAK0000001"
#define SK "fgsTestSecretKey0000000000000000000000SK"

/* Creates a client on the stub with AK/SK (or a token when token is set). */
fgs_client *wire_client(const char *token)
{
    fgs_client_options o = FGS_CLIENT_OPTIONS_INIT;
    fgs_client *c = NULL;
    char url[64];

    snprintf(url, sizeof(url), "http://127.0.0.1:%d", stub_port());
    o.endpoint = url;
    o.project_id = PROJECT;
    if (token) {
        o.auth_token = token;
    } else {
        o.ak = AK;
        o.sk = SK;
    }
    o.timeout_ms = 3000;
    if (fgs_client_new(&c, &o) < 0) {
        printf("Bail out! fgs_client_new: %s\n", fgs_error_last()->message);
        exit(1);
    }
    return c;
}


void (*wire_after_call)(void);

#define S(key) json_string_value(json_object_get(args, key))
#define I(key) ((int)json_integer_value(json_object_get(args, key)))

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *fn_json(const struct fgs_function *f)
{
    return json_pack("{s:o,s:o,s:o,s:o,s:I,s:I,s:o,s:o,s:o,s:I,s:b}", "func_urn",
                     str_or_null(f->func_urn), "func_name", str_or_null(f->func_name), "runtime",
                     str_or_null(f->runtime), "handler", str_or_null(f->handler), "memory_size",
                     (json_int_t)f->memory_size, "timeout", (json_int_t)f->timeout, "version",
                     str_or_null(f->version), "digest", str_or_null(f->digest),
                     "version_description", str_or_null(f->version_description), "code_size",
                     (json_int_t)f->code_size, "raw_json", f->raw_json != NULL);
}

static json_t *page_json(const struct fgs_function_page *p)
{
    json_t *names = json_array();
    size_t i;

    for (i = 0; i < p->count; i++)
        json_array_append_new(names, str_or_null(p->items[i].version && strcmp(p->items[i].version, "latest") != 0 ? p->items[i].version : p->items[i].func_name));
    return json_pack("{s:I,s:I,s:I,s:o}", "count", (json_int_t)p->count, "next_marker",
                     (json_int_t)p->next_marker, "total", (json_int_t)p->total, "names", names);
}

static json_t *alias_json(const struct fgs_alias *a)
{
    json_t *w = json_object();
    size_t i;

    for (i = 0; i < a->nweights; i++)
        json_object_set_new(w, a->weights[i].version, json_integer(a->weights[i].weight));
    return json_pack("{s:o,s:o,s:o,s:o,s:o}", "name", str_or_null(a->name), "version",
                     str_or_null(a->version), "alias_urn", str_or_null(a->alias_urn), "weights",
                     w, "strategy", str_or_null(a->strategy_json));
}

static json_t *trigger_json(const struct fgs_trigger *t)
{
    json_t *ed = t->event_data_json ? json_loads(t->event_data_json, 0, NULL) : NULL;

    return json_pack("{s:o,s:o,s:o,s:o}", "trigger_id", str_or_null(t->trigger_id),
                     "trigger_type_code", str_or_null(t->trigger_type_code), "trigger_status",
                     str_or_null(t->trigger_status), "event_data", ed ? ed : json_null());
}

static int function_ops(fgs_client *c, const char *call, json_t *args, json_t **got)
{
    struct fgs_function *f = NULL;
    struct fgs_function_page *p = NULL;
    struct fgs_function_code *k = NULL;
    fgs_list_options lo = FGS_LIST_OPTIONS_INIT;
    int rc = 1;

    lo.marker = S("marker");
    lo.maxitems = I("maxitems");
    lo.package_name = S("package_name");
    lo.func_name = S("func_name");
    if (strcmp(call, "function_list") == 0) {
        rc = fgs_function_list(&p, c, json_object_size(args) ? &lo : NULL);
    } else if (strcmp(call, "version_list") == 0) {
        rc = fgs_version_list(&p, c, S("urn"), &lo);
    } else if (strcmp(call, "function_get_metadata") == 0) {
        rc = fgs_function_get_metadata(&f, c, S("urn"));
    } else if (strcmp(call, "function_get_code") == 0) {
        rc = fgs_function_get_code(&k, c, S("urn"));
    } else if (strcmp(call, "function_create") == 0) {
        fgs_function_create_options o = FGS_FUNCTION_CREATE_OPTIONS_INIT;

        o.func_name = S("func_name");
        o.runtime = S("runtime");
        o.handler = S("handler");
        o.package = S("package");
        o.memory_size = I("memory_size");
        o.timeout = I("timeout");
        o.code_type = S("code_type");
        o.code = S("code");
        o.code_len = S("code") ? strlen(S("code")) : 0;
        o.code_filename = S("code_filename");
        o.description = S("description");
        o.user_data = S("user_data");
        o.extra_json = S("extra_json");
        rc = fgs_function_create(&f, c, &o);
    } else if (strcmp(call, "function_delete") == 0) {
        rc = fgs_function_delete(c, S("urn"));
    } else if (strcmp(call, "function_update_code") == 0) {
        fgs_function_code_options o = FGS_FUNCTION_CODE_OPTIONS_INIT;

        o.code_type = S("code_type");
        o.code = S("code");
        o.code_len = S("code") ? strlen(S("code")) : 0;
        o.code_filename = S("code_filename");
        rc = fgs_function_update_code(&k, c, S("urn"), &o);
    } else if (strcmp(call, "function_update_metadata") == 0) {
        fgs_function_config_options o = FGS_FUNCTION_CONFIG_OPTIONS_INIT;

        o.memory_size = I("memory_size");
        o.timeout = I("timeout");
        o.handler = S("handler");
        o.description = S("description");
        rc = fgs_function_update_metadata(&f, c, S("urn"), &o);
    } else if (strcmp(call, "function_set_max_instances") == 0) {
        rc = fgs_function_set_max_instances(&f, c, S("urn"), I("max"));
    } else if (strcmp(call, "version_publish") == 0) {
        fgs_publish_options o = FGS_PUBLISH_OPTIONS_INIT;

        o.name = S("name");
        o.description = S("description");
        o.digest = S("digest");
        rc = fgs_version_publish(&f, c, S("urn"), &o);
    }
    if (rc != 1 && wire_after_call)
        wire_after_call();
    if (rc == 0 && f)
        *got = fn_json(f);
    if (rc == 0 && p)
        *got = page_json(p);
    if (rc == 0 && k)
        *got = json_pack("{s:o,s:o,s:s#,s:o,s:I}", "func_name", str_or_null(k->func_name),
                         "code_type", str_or_null(k->code_type), "data",
                         k->data ? (const char *)k->data : "", (int)k->data_len, "link",
                         str_or_null(k->link), "code_size", (json_int_t)k->code_size);
    fgs_function_free(f);
    fgs_function_page_free(p);
    fgs_function_code_free(k);
    return rc;
}

static int alias_trigger_ops(fgs_client *c, const char *call, json_t *args, json_t **got)
{
    struct fgs_alias *a = NULL;
    struct fgs_aliases *al = NULL;
    struct fgs_trigger *t = NULL;
    struct fgs_triggers *tl = NULL;
    fgs_alias_options ao = FGS_ALIAS_OPTIONS_INIT;
    struct fgs_version_weight w[1] = { { S("weight_version"), I("weight") } };
    size_t i;
    int rc = 1;

    ao.name = S("name");
    ao.target_version = S("version");
    ao.description = S("description");
    ao.weights = S("weight_version") ? w : NULL;
    ao.nweights = S("weight_version") ? 1 : 0;
    ao.strategy_json = S("strategy");
    if (strcmp(call, "alias_create") == 0) {
        rc = fgs_alias_create(&a, c, S("urn"), &ao);
    } else if (strcmp(call, "alias_update") == 0) {
        rc = fgs_alias_update(&a, c, S("urn"), S("name"), &ao);
    } else if (strcmp(call, "alias_get") == 0) {
        rc = fgs_alias_get(&a, c, S("urn"), S("name"));
    } else if (strcmp(call, "alias_delete") == 0) {
        rc = fgs_alias_delete(c, S("urn"), S("name"));
    } else if (strcmp(call, "alias_list") == 0) {
        rc = fgs_alias_list(&al, c, S("urn"));
    } else if (strcmp(call, "trigger_list") == 0) {
        rc = fgs_trigger_list(&tl, c, S("urn"));
    } else if (strcmp(call, "trigger_get") == 0) {
        rc = fgs_trigger_get(&t, c, S("urn"), S("type"), S("id"));
    } else if (strcmp(call, "trigger_delete") == 0) {
        rc = fgs_trigger_delete(c, S("urn"), S("type"), S("id"));
    } else if (strcmp(call, "trigger_delete_all") == 0) {
        rc = fgs_trigger_delete_all(c, S("urn"));
    } else if (strcmp(call, "trigger_create") == 0) {
        fgs_trigger_options o = FGS_TRIGGER_OPTIONS_INIT;

        o.type = S("type");
        o.status = S("status");
        o.event_type_code = S("event_type_code");
        o.event_data_json = S("event_data");
        rc = fgs_trigger_create(&t, c, S("urn"), &o);
    } else if (strcmp(call, "trigger_update") == 0) {
        fgs_trigger_update_options o = FGS_TRIGGER_UPDATE_OPTIONS_INIT;

        o.status = S("status");
        o.event_data_json = S("event_data");
        rc = fgs_trigger_update(&t, c, S("urn"), S("type"), S("id"), &o);
    }
    if (rc != 1 && wire_after_call)
        wire_after_call();
    if (rc == 0 && a)
        *got = alias_json(a);
    if (rc == 0 && t)
        *got = trigger_json(t);
    if (rc == 0 && al) {
        *got = json_pack("{s:I,s:[]}", "count", (json_int_t)al->count, "items");
        for (i = 0; i < al->count; i++)
            json_array_append_new(json_object_get(*got, "items"), alias_json(&al->items[i]));
    }
    if (rc == 0 && tl) {
        *got = json_pack("{s:I,s:[]}", "count", (json_int_t)tl->count, "items");
        for (i = 0; i < tl->count; i++)
            json_array_append_new(json_object_get(*got, "items"), trigger_json(&tl->items[i]));
    }
    fgs_alias_free(a);
    fgs_aliases_free(al);
    fgs_trigger_free(t);
    fgs_triggers_free(tl);
    return rc;
}

static int other_ops(fgs_client *c, const char *call, json_t *args, json_t **got)
{
    struct fgs_invocation *inv = NULL;
    struct fgs_async_config *ac = NULL;
    struct fgs_async_invocation_page *ap = NULL;
    struct fgs_quotas *q = NULL;
    fgs_invoke_options io = FGS_INVOKE_OPTIONS_INIT;
    char *rid = NULL;
    size_t i;
    int rc = 1;

    io.log_tail = json_is_true(json_object_get(args, "log"));
    io.request_version = S("request_version");
    io.instance_memory = I("memory");
    if (strcmp(call, "function_invoke") == 0) {
        rc = fgs_function_invoke(&inv, c, S("urn"), S("event"), S("event") ? strlen(S("event")) : 0,
                                 &io);
    } else if (strcmp(call, "function_invoke_async") == 0) {
        rc = fgs_function_invoke_async(&rid, c, S("urn"), S("event"),
                                       S("event") ? strlen(S("event")) : 0, &io);
    } else if (strcmp(call, "async_config_get") == 0) {
        rc = fgs_async_config_get(&ac, c, S("urn"));
    } else if (strcmp(call, "async_config_put") == 0) {
        fgs_async_config_options o = FGS_ASYNC_CONFIG_OPTIONS_INIT;

        o.max_async_event_age_in_seconds = I("max_age");
        o.retry_attempts_set = json_object_get(args, "retries") != NULL;
        o.max_async_retry_attempts = I("retries");
        o.destination_config_json = S("destination");
        rc = fgs_async_config_put(&ac, c, S("urn"), &o);
    } else if (strcmp(call, "async_config_delete") == 0) {
        rc = fgs_async_config_delete(c, S("urn"));
    } else if (strcmp(call, "async_invocation_list") == 0) {
        fgs_async_list_options o = FGS_ASYNC_LIST_OPTIONS_INIT;

        o.limit = I("limit");
        o.status = S("status");
        rc = fgs_async_invocation_list(&ap, c, S("urn"), &o);
    } else if (strcmp(call, "quotas_get") == 0) {
        rc = fgs_quotas_get(&q, c);
    }
    if (rc != 1 && wire_after_call)
        wire_after_call();
    if (rc == 0 && inv)
        *got = json_pack("{s:o,s:s#,s:o,s:i,s:I,s:b,s:o}", "request_id",
                         str_or_null(inv->request_id), "result", inv->result,
                         (int)inv->result_len, "log", str_or_null(inv->log), "status",
                         inv->status, "billing_duration", (json_int_t)inv->billing_duration,
                         "is_func_err", inv->is_func_err, "summary",
                         str_or_null(inv->summary_json));
    if (rc == 0 && rid)
        *got = json_pack("{s:s}", "request_id", rid);
    if (rc == 0 && ac)
        *got = json_pack("{s:o,s:I,s:I}", "func_urn", str_or_null(ac->func_urn), "max_age",
                         (json_int_t)ac->max_async_event_age_in_seconds, "retries",
                         (json_int_t)ac->max_async_retry_attempts);
    if (rc == 0 && ap) {
        *got = json_pack("{s:I,s:I,s:[]}", "count", (json_int_t)ap->count, "total",
                         (json_int_t)ap->total, "ids");
        for (i = 0; i < ap->count; i++)
            json_array_append_new(json_object_get(*got, "ids"),
                                  json_string(ap->items[i].request_id));
    }
    if (rc == 0 && q) {
        *got = json_pack("{s:I,s:{}}", "count", (json_int_t)q->count, "quotas");
        for (i = 0; i < q->count; i++)
            json_object_set_new(json_object_get(*got, "quotas"), q->items[i].type,
                                json_integer(q->items[i].quota));
    }
    fgs_invocation_free(inv);
    fgs_free(rid);
    fgs_async_config_free(ac);
    fgs_async_invocation_page_free(ap);
    fgs_quotas_free(q);
    return rc;
}

int wire_dispatch(fgs_client *c, const char *call, json_t *args, json_t **got)
{
    int rc;

    *got = NULL;
    rc = function_ops(c, call, args, got);
    if (rc == 1)
        rc = alias_trigger_ops(c, call, args, got);
    if (rc == 1)
        rc = other_ops(c, call, args, got);
    if (rc == 1) {
        printf("# unknown call %s\n", call);
        return -1000;
    }
    return rc;
}
