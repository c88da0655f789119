/*
 * validate.c - trigger type codes and the per-type checks and normalisation
 * of event_data (see validate.h for what each type gets).
 *
 * Most types are described by a table of field specs (kind, required,
 * range, enum values, default) run by one checker; TIMER, the gateway types
 * (APIG, DEDICATEDGATEWAY, APIC) and a few cross-field rules (OBS events
 * and bucket, SMN URNs, DIS polling) have their own code. Ranges that §10
 * does not give are inferred and marked as such next to the table.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "trigger/cron.h"
#include "trigger/validate.h"
#include "util/crypto.h"
#include "util/str.h"

#define EVENT_DATA_MAX (64 * 1024)
#define USER_EVENT_MAX 4096
#define LIST_ITEMS_MAX 64

static const char *const creatable[] = { "TIMER",
                                         "APIG",
                                         "CTS",
                                         "DDS",
                                         "DMS",
                                         "DIS",
                                         "LTS",
                                         "OBS",
                                         "SMN",
                                         "KAFKA",
                                         "RABBITMQ",
                                         "DEDICATEDGATEWAY",
                                         "OPENSOURCEKAFKA",
                                         "APIC",
                                         "GAUSSMONGO",
                                         "EVENTGRID",
                                         NULL };
static const char *const disable_ok[] = { "TIMER", "DDS", "DMS", "KAFKA", "LTS", NULL };
/* Event sources the service polls (LIMITS: at most 10 per function version). */
static const char *const pull_types[] = { "DDS",   "GAUSSMONGO",      "DMS",      "DIS",
                                          "KAFKA", "OPENSOURCEKAFKA", "RABBITMQ", NULL };

static bool in_list(const char *const *list, const char *s)
{
    size_t i;

    if (!s)
        return false;
    for (i = 0; list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    return false;
}

/* Type codes CreateFunctionTrigger accepts (§10). */
bool srv_trigger_type_creatable(const char *type)
{
    return in_list(creatable, type);
}

/* Creatable codes plus IOTDA, which paths may name. */
bool srv_trigger_type_known(const char *type)
{
    return in_list(creatable, type) || (type && strcmp(type, "IOTDA") == 0);
}

/* Types whose trigger_status may be DISABLED. */
bool srv_trigger_can_disable(const char *type)
{
    return in_list(disable_ok, type);
}

/* Types counted against the pull-trigger quota. */
bool srv_trigger_is_pull(const char *type)
{
    return in_list(pull_types, type);
}

/* trigger_status when a create does not give one. */
const char *srv_trigger_default_status(const char *type)
{
    return type && (strcmp(type, "DDS") == 0 || strcmp(type, "KAFKA") == 0) ? "DISABLED" : "ACTIVE";
}

/* Types whose event_data is an API route. */
bool srv_trigger_is_gateway(const char *type)
{
    return type && (strcmp(type, "APIG") == 0 || strcmp(type, "DEDICATEDGATEWAY") == 0 ||
                    strcmp(type, "APIC") == 0);
}

/* The FSS code for bad event_data of a type. */
static const char *type_code(const char *type)
{
    if (strcmp(type, "TIMER") == 0)
        return "FSS.1109";
    if (strcmp(type, "APIG") == 0)
        return "FSS.1107";
    return "FSS.0400";
}

static int fail(struct srv_trigger_err *err, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct srv_trigger_err *err, const char *code, const char *fmt, ...)
{
    va_list ap;

    err->code = code;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    return -1;
}

/* ---- field specs ---- */

enum field_kind {
    K_STR,     /* any string; min..max bytes */
    K_NAME,    /* [A-Za-z0-9_-], min..max */
    K_ID,      /* [A-Za-z0-9_.:-], min..max (resource ids, uuids) */
    K_INT,     /* integer in min..max */
    K_BOOL,    /* JSON boolean */
    K_STRBOOL, /* "true" / "false" (a JSON boolean is accepted and written as a string) */
    K_ENUM,    /* one of values */
    K_STRLIST, /* array of 1..LIST_ITEMS_MAX strings of min..max bytes */
};

struct field_spec {
    const char *key;
    enum field_kind kind;
    bool required;
    int64_t min, max;
    const char *const *values; /* K_ENUM */
    const char *def;           /* default when absent: a string, or decimal for K_INT */
};

static const char *const iter_types[] = { "TRIM_HORIZON", "LATEST", NULL };
static const char *const poll_units[] = { "s", "ms", NULL };
static const char *const eg_status[] = { "ACTIVE", "DISABLE", NULL };

static const struct field_spec cts_fields[] = {
    { "name", K_NAME, true, 1, 64, NULL, NULL },
    { "operations", K_STRLIST, true, 1, 1024, NULL, NULL },
};

/* db_* lengths inferred (MongoDB limits names to 64 / 120 bytes). */
static const struct field_spec dds_fields[] = {
    { "instance_id", K_ID, true, 1, 64, NULL, NULL },
    { "db_name", K_STR, true, 1, 64, NULL, NULL },
    { "collection_name", K_STR, true, 1, 120, NULL, NULL },
    { "db_user", K_STR, false, 1, 128, NULL, NULL },
    { "db_password", K_STR, false, 1, 256, NULL, NULL },
    { "batch_size", K_INT, false, 1, 10000, NULL, "100" },
};

/* polling_interval range inferred: whole seconds up to an hour. */
static const struct field_spec dms_fields[] = {
    { "queue_id", K_ID, true, 1, 64, NULL, NULL },
    { "consumer_group_id", K_ID, true, 1, 64, NULL, NULL },
    { "polling_interval", K_INT, false, 1, 3600, NULL, "30" },
};

/* polling_interval: 1-60 in seconds, 1-60000 in milliseconds (checked in dis_extra). */
static const struct field_spec dis_fields[] = {
    { "stream_name", K_NAME, true, 1, 64, NULL, NULL },
    { "sharditerator_type", K_ENUM, false, 0, 0, iter_types, "TRIM_HORIZON" },
    { "polling_interval", K_INT, false, 1, 60000, NULL, "30" },
    { "polling_unit", K_ENUM, false, 0, 0, poll_units, "s" },
    { "batch_size", K_INT, false, 1, 10000, NULL, "100" },
    { "max_fetch_bytes", K_INT, false, 1, 4 * 1024 * 1024, NULL, NULL },
    { "is_serial", K_STRBOOL, false, 0, 0, NULL, NULL },
};

static const struct field_spec lts_fields[] = {
    { "log_group_id", K_ID, true, 1, 64, NULL, NULL },
    { "log_topic_id", K_ID, true, 1, 64, NULL, NULL },
};

static const struct field_spec obs_fields[] = {
    { "bucket", K_STR, true, 3, 63, NULL, NULL },
    { "events", K_STRLIST, true, 1, 64, NULL, NULL },
    { "prefix", K_STR, false, 0, 1024, NULL, NULL },
    { "suffix", K_STR, false, 0, 1024, NULL, NULL },
    { "name", K_STR, false, 1, 256, NULL, NULL },
};

static const struct field_spec smn_fields[] = {
    { "topic_urn", K_STR, true, 9, 256, NULL, NULL },
};

static const struct field_spec kafka_fields[] = {
    { "instance_id", K_ID, true, 1, 64, NULL, NULL },
    { "topic_ids", K_STRLIST, true, 1, 256, NULL, NULL },
    { "kafka_user", K_STR, false, 0, 128, NULL, NULL },
    { "kafka_password", K_STR, false, 0, 256, NULL, NULL },
    { "kafka_connect_address", K_STR, false, 1, 1024, NULL, NULL },
    { "kafka_ssl_enable", K_BOOL, false, 0, 0, NULL, NULL },
    { "batch_size", K_INT, false, 1, 1000, NULL, "100" },
};

/* Open-source Kafka has no instance; the broker address is what locates it. */
static const struct field_spec oskafka_fields[] = {
    { "instance_id", K_ID, false, 1, 64, NULL, NULL },
    { "topic_ids", K_STRLIST, true, 1, 256, NULL, NULL },
    { "kafka_user", K_STR, false, 0, 128, NULL, NULL },
    { "kafka_password", K_STR, false, 0, 256, NULL, NULL },
    { "kafka_connect_address", K_STR, true, 1, 1024, NULL, NULL },
    { "kafka_ssl_enable", K_BOOL, false, 0, 0, NULL, NULL },
    { "batch_size", K_INT, false, 1, 1000, NULL, "100" },
};

/* batch_size range inferred from the Kafka one. */
static const struct field_spec rabbitmq_fields[] = {
    { "instance_id", K_ID, true, 1, 64, NULL, NULL },
    { "exchange_name", K_STR, true, 1, 255, NULL, NULL },
    { "vhost", K_STR, false, 1, 255, NULL, NULL },
    { "access_user", K_STR, false, 0, 128, NULL, NULL },
    { "access_password", K_STR, false, 0, 256, NULL, NULL },
    { "connect_address", K_STR, false, 1, 1024, NULL, NULL },
    { "ssl_enable", K_BOOL, false, 0, 0, NULL, NULL },
    { "batch_size", K_INT, false, 1, 1000, NULL, NULL },
};

static const struct field_spec eventgrid_fields[] = {
    { "channel_id", K_ID, true, 1, 64, NULL, NULL },
    { "channel_name", K_STR, false, 1, 128, NULL, NULL },
    { "source_name", K_STR, false, 1, 128, NULL, NULL },
    { "trigger_name", K_STR, false, 1, 128, NULL, NULL },
    { "agency", K_STR, false, 1, 128, NULL, NULL },
    { "event_types", K_STRLIST, false, 1, 256, NULL, NULL },
    { "Key_encode", K_BOOL, false, 0, 0, NULL, NULL },
    { "status", K_ENUM, false, 0, 0, eg_status, NULL },
    { "created_time", K_STR, false, 1, 64, NULL, NULL },
};

static bool chars_ok(const char *s, const char *extra)
{
    for (; *s; s++) {
        char c = *s;

        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              (c && strchr(extra, c))))
            return false;
    }
    return true;
}

static void enum_text(char *out, size_t size, const char *const *values)
{
    size_t i, o = 0;

    out[0] = '\0';
    for (i = 0; values[i] && o < size; i++) {
        int n = snprintf(out + o, size - o, "%s%s", i ? "|" : "", values[i]);

        if (n < 0)
            break;
        o += (size_t)n;
    }
}

/* Checks one present value against its spec; returns the normalised value (new ref) or NULL. */
static json_t *check_value(const char *type,
                           const char *pre,
                           const struct field_spec *f,
                           json_t *v,
                           const char *code,
                           struct srv_trigger_err *err)
{
    const char *s;
    size_t len, i;
    char allowed[160];

    switch (f->kind) {
    case K_STR:
    case K_NAME:
    case K_ID:
        if (!json_is_string(v))
            goto type_err;
        s = json_string_value(v);
        len = strlen(s);
        if ((int64_t)len < f->min || (int64_t)len > f->max) {
            fail(err, code,
                 "Invalid %s%s for %s triggers: must be %" PRId64 "-%" PRId64 " characters.", pre,
                 f->key, type, f->min, f->max);
            return NULL;
        }
        if ((f->kind == K_NAME && !chars_ok(s, "_-")) ||
            (f->kind == K_ID && !chars_ok(s, "_.:-"))) {
            fail(err, code,
                 "Invalid %s%s for %s triggers: only letters, digits, %s are "
                 "allowed.",
                 pre, f->key, type, f->kind == K_NAME ? "'_' and '-'" : "'_', '.', ':' and '-'");
            return NULL;
        }
        return json_incref(v);
    case K_INT:
        if (!json_is_integer(v) || json_integer_value(v) < f->min ||
            json_integer_value(v) > f->max) {
            fail(err, code,
                 "Invalid %s%s for %s triggers: must be an integer %" PRId64 "-%" PRId64 ".", pre,
                 f->key, type, f->min, f->max);
            return NULL;
        }
        return json_incref(v);
    case K_BOOL:
        if (!json_is_boolean(v))
            goto type_err;
        return json_incref(v);
    case K_STRBOOL:
        if (json_is_boolean(v))
            return json_string(json_is_true(v) ? "true" : "false");
        if (json_is_string(v) && (strcmp(json_string_value(v), "true") == 0 ||
                                  strcmp(json_string_value(v), "false") == 0))
            return json_incref(v);
        fail(err, code, "Invalid %s%s for %s triggers: must be \"true\" or \"false\".", pre, f->key,
             type);
        return NULL;
    case K_ENUM:
        if (json_is_string(v) && in_list(f->values, json_string_value(v)))
            return json_incref(v);
        enum_text(allowed, sizeof(allowed), f->values);
        fail(err, code, "Invalid %s%s for %s triggers: must be one of %s.", pre, f->key, type,
             allowed);
        return NULL;
    case K_STRLIST:
        if (!json_is_array(v) || json_array_size(v) < 1 || json_array_size(v) > LIST_ITEMS_MAX) {
            fail(err, code,
                 "Invalid %s%s for %s triggers: must be an array of 1-%d "
                 "strings.",
                 pre, f->key, type, LIST_ITEMS_MAX);
            return NULL;
        }
        for (i = 0; i < json_array_size(v); i++) {
            json_t *it = json_array_get(v, i);

            if (!json_is_string(it) || (int64_t)strlen(json_string_value(it)) < f->min ||
                (int64_t)strlen(json_string_value(it)) > f->max) {
                fail(err, code,
                     "Invalid %s%s[%zu] for %s triggers: must be a string of "
                     "%" PRId64 "-%" PRId64 " characters.",
                     pre, f->key, i, type, f->min, f->max);
                return NULL;
            }
        }
        return json_incref(v);
    }
type_err:
    fail(err, code, "Invalid %s%s for %s triggers: must be a %s.", pre, f->key, type,
         f->kind == K_BOOL ? "boolean" : "string");
    return NULL;
}

/*
 * Runs specs over in (fields named pre<key> in messages), writing the
 * normalised values into out, which starts as a copy of in.
 */
static int check_fields(const char *type,
                        const char *pre,
                        const struct field_spec *f,
                        size_t n,
                        json_t *in,
                        json_t *out,
                        const char *code,
                        struct srv_trigger_err *err)
{
    size_t i;

    for (i = 0; i < n; i++) {
        json_t *v = json_object_get(in, f[i].key), *nv;

        if (!v || json_is_null(v)) {
            json_object_del(out, f[i].key);
            if (f[i].required)
                return fail(err, code, "%s%s is required for %s triggers.", pre, f[i].key, type);
            if (!f[i].def)
                continue;
            if (f[i].kind == K_INT) {
                int64_t d = 0;

                fgs__parse_int64(f[i].def, INT64_MIN, INT64_MAX, &d);
                nv = json_integer(d);
            } else {
                nv = json_string(f[i].def);
            }
        } else if (!(nv = check_value(type, pre, &f[i], v, code, err))) {
            return -1;
        }
        if (json_object_set_new(out, f[i].key, nv) < 0)
            return fail(err, "FSS.0500", "Out of memory.");
    }
    return 0;
}

/* ---- type-specific rules ---- */

static int dis_extra(json_t *out, struct srv_trigger_err *err)
{
    const char *unit = json_string_value(json_object_get(out, "polling_unit"));
    json_int_t iv = json_integer_value(json_object_get(out, "polling_interval"));

    if (unit && strcmp(unit, "s") == 0 && iv > 60)
        return fail(err, "FSS.0400",
                    "Invalid event_data.polling_interval for DIS triggers: must be 1-60 when "
                    "polling_unit is s.");
    return 0;
}

/* OBS event names: the current ones, "ObjectCreated:Put" style, and the old "s3:..." style. */
static bool obs_event_ok(const char *e)
{
    static const char *const created[] = { "*", "Put", "Post", "Copy", "CompleteMultipartUpload",
                                           NULL };
    static const char *const removed[] = { "*", "Delete", "DeleteMarkerCreated", NULL };
    static const char *const plain[] = { "ObjectCreated",
                                         "Put",
                                         "Post",
                                         "Copy",
                                         "CompleteMultipartUpload",
                                         "ObjectRemoved",
                                         "Delete",
                                         "DeleteMarkerCreated",
                                         NULL };

    if (in_list(plain, e))
        return true;
    if (strncmp(e, "s3:", 3) == 0)
        e += 3;
    if (strncmp(e, "ObjectCreated:", 14) == 0)
        return in_list(created, e + 14);
    if (strncmp(e, "ObjectRemoved:", 14) == 0)
        return in_list(removed, e + 14);
    return false;
}

/* OBS bucket names: 3-63 of [a-z0-9.-], alphanumeric at both ends, no "..", not an IP. */
static bool bucket_ok(const char *b)
{
    size_t n = strlen(b), i, dots = 0;
    bool all_digits_dots = true;

    if (n < 3 || n > 63 || !chars_ok(b, ".-") || strstr(b, "..") || strstr(b, ".-") ||
        strstr(b, "-."))
        return false;
    for (i = 0; i < n; i++) {
        if (b[i] >= 'A' && b[i] <= 'Z')
            return false;
        if (b[i] == '.')
            dots++;
        else if (!(b[i] >= '0' && b[i] <= '9'))
            all_digits_dots = false;
    }
    if (all_digits_dots && dots == 3)
        return false;
    return b[0] != '.' && b[0] != '-' && b[n - 1] != '.' && b[n - 1] != '-';
}

static int obs_extra(json_t *out, struct srv_trigger_err *err)
{
    json_t *events = json_object_get(out, "events");
    size_t i;

    if (!bucket_ok(json_string_value(json_object_get(out, "bucket"))))
        return fail(err, "FSS.0400",
                    "Invalid event_data.bucket for OBS triggers: 3-63 lower-case letters, digits, "
                    "'.' or '-', starting and ending with a letter or digit.");
    for (i = 0; i < json_array_size(events); i++) {
        const char *e = json_string_value(json_array_get(events, i));

        if (!obs_event_ok(e))
            return fail(err, "FSS.0400",
                        "Invalid event_data.events[%zu] for OBS triggers: unknown event '%.64s'.",
                        i, e);
    }
    return 0;
}

static int smn_extra(json_t *out, struct srv_trigger_err *err)
{
    const char *u = json_string_value(json_object_get(out, "topic_urn"));

    if (strncmp(u, "urn:smn:", 8) != 0 || !chars_ok(u, "_.:-"))
        return fail(err, "FSS.0400",
                    "Invalid event_data.topic_urn for SMN triggers: must be an SMN topic URN "
                    "(urn:smn:<region>:<project>:<topic>).");
    return 0;
}

/* ---- TIMER ---- */

static bool timer_name_ok(const char *s)
{
    size_t n = strlen(s);

    return n >= 1 && n <= 64 && chars_ok(s, "_-");
}

static json_t *timer_normalize(json_t *in, struct srv_trigger_err *err)
{
    const char *name, *stype, *sched, *ue = NULL;
    struct srv_schedule s;
    char why[200];
    json_t *out, *v;

    if (!json_is_string(json_object_get(in, "name")) ||
        !timer_name_ok(name = json_string_value(json_object_get(in, "name")))) {
        fail(err, "FSS.1109",
             "Invalid event_data.name for TIMER triggers: 1-64 letters, digits, "
             "'_' or '-' required.");
        return NULL;
    }
    v = json_object_get(in, "schedule_type");
    if (!json_is_string(v) ||
        (strcmp(json_string_value(v), "Rate") != 0 && strcmp(json_string_value(v), "Cron") != 0)) {
        fail(err, "FSS.1109",
             "Invalid event_data.schedule_type for TIMER triggers: must be Rate "
             "or Cron.");
        return NULL;
    }
    stype = json_string_value(v);
    v = json_object_get(in, "schedule");
    if (!json_is_string(v)) {
        fail(err, "FSS.1109", "event_data.schedule is required for TIMER triggers.");
        return NULL;
    }
    sched = json_string_value(v);
    if (srv_schedule_parse(&s, stype, sched, why, sizeof(why)) < 0) {
        fail(err, "FSS.1109", "Invalid event_data.schedule for TIMER triggers: %s.", why);
        return NULL;
    }
    v = json_object_get(in, "user_event");
    if (v && !json_is_null(v)) {
        if (!json_is_string(v) || strlen(json_string_value(v)) > USER_EVENT_MAX) {
            fail(err, "FSS.1109",
                 "Invalid event_data.user_event for TIMER triggers: must be a "
                 "string of at most %d bytes.",
                 USER_EVENT_MAX);
            return NULL;
        }
        ue = json_string_value(v);
    }
    out = json_pack("{s:s, s:s, s:s}", "name", name, "schedule_type", stype, "schedule", sched);
    if (out && ue)
        json_object_set_new(out, "user_event", json_string(ue));
    if (!out)
        fail(err, "FSS.0500", "Out of memory.");
    return out;
}

/* ---- gateway types (APIG, DEDICATEDGATEWAY, APIC) ---- */

static const char *const auth_values[] = { "IAM", "APP", "NONE", NULL };
static const char *const proto_values[] = { "HTTP", "HTTPS", NULL };
static const char *const match_values[] = { "SWA", "NORMAL", NULL };
static const char *const method_values[] = { "GET",   "POST",    "PUT", "DELETE", "HEAD",
                                             "PATCH", "OPTIONS", "ANY", NULL };
static const char *const backend_values[] = { "FUNCTION", NULL };
static const char *const invoke_values[] = { "sync", "async", NULL };

static const struct field_spec gateway_fields[] = {
    { "group_id", K_ID, true, 1, 64, NULL, NULL },
    { "env_id", K_ID, true, 1, 64, NULL, NULL },
    { "env_name", K_NAME, true, 1, 64, NULL, NULL },
    { "auth", K_ENUM, false, 0, 0, auth_values, "IAM" },
    { "protocol", K_ENUM, false, 0, 0, proto_values, "HTTPS" },
    { "match_mode", K_ENUM, false, 0, 0, match_values, "SWA" },
    { "req_method", K_ENUM, false, 0, 0, method_values, "ANY" },
    { "backend_type", K_ENUM, false, 0, 0, backend_values, "FUNCTION" },
    { "sl_domain", K_STR, false, 1, 255, NULL, NULL },
    { "instance_id", K_ID, false, 1, 64, NULL, NULL },
    { "roma_app_id", K_ID, false, 1, 64, NULL, NULL },
};

/* APIG backend timeout: 1 ms to 60 s. */
static const struct field_spec func_info_fields[] = {
    { "timeout", K_INT, true, 1, 60000, NULL, NULL },
    { "invocation_type", K_ENUM, false, 0, 0, invoke_values, "sync" },
    { "function_urn", K_STR, false, 1, 512, NULL, NULL },
    { "version", K_STR, false, 1, 128, NULL, NULL },
};

/* API names: 3-64 characters, a letter (or any non-ASCII character) first, then also digits, _ - .
 */
static bool api_name_ok(const char *s)
{
    size_t chars = 0;
    const unsigned char *p = (const unsigned char *)s;

    if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p >= 0x80))
        return false;
    for (; *p; p++) {
        if ((*p & 0xC0) == 0x80)
            continue; /* UTF-8 continuation byte (jansson guarantees valid UTF-8) */
        chars++;
        if (!(*p >= 0x80 || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
              (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' || *p == '.'))
            return false;
    }
    return chars >= 3 && chars <= 64;
}

/*
 * Request paths: "/" or "/seg/seg...", each segment 1+ of [A-Za-z0-9-_.~]
 * (not "." or "..") or a whole-segment parameter "{name}" ([A-Za-z0-9_-],
 * unique); the last segment may be "{name+}" (greedy). At most 1024 bytes.
 */
static const char *apig_path_problem(const char *path)
{
    char names[32][65];
    size_t nnames = 0, len = strlen(path);
    const char *p = path + 1;

    if (len == 0 || path[0] != '/')
        return "must start with '/'";
    if (len > 1024)
        return "must be at most 1024 characters";
    if (len == 1)
        return NULL;
    if (path[len - 1] == '/')
        return "must not end with '/'";
    while (*p) {
        const char *end = strchr(p, '/');
        size_t sl = end ? (size_t)(end - p) : strlen(p), i;

        if (sl == 0)
            return end ? "must not contain empty segments ('//')" : "must not end with '/'";
        if (p[0] == '{') {
            size_t nl = sl - 2;
            bool greedy = sl > 3 && p[sl - 2] == '+';

            if (greedy)
                nl--;
            if (sl < 3 || p[sl - 1] != '}' || nl == 0 || nl > 64)
                return "has a malformed {parameter} segment";
            if (greedy && end)
                return "may use {name+} only in its last segment";
            for (i = 1; i <= nl; i++) {
                char c = p[i];

                if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '-'))
                    return "has a parameter name with characters other than letters, digits, '_' "
                           "and '-'";
            }
            for (i = 0; i < nnames; i++)
                if (strlen(names[i]) == nl && memcmp(names[i], p + 1, nl) == 0)
                    return "repeats a parameter name";
            if (nnames == sizeof(names) / sizeof(names[0]))
                return "has too many parameters";
            memcpy(names[nnames], p + 1, nl);
            names[nnames++][nl] = '\0';
        } else {
            if ((sl == 1 && p[0] == '.') || (sl == 2 && p[0] == '.' && p[1] == '.'))
                return "must not contain '.' or '..' segments";
            for (i = 0; i < sl; i++) {
                char c = p[i];

                if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.' || c == '~'))
                    return "may only contain letters, digits, '-', '_', '.', '~' and {parameter} "
                           "segments";
            }
        }
        p += sl;
        if (*p == '/')
            p++;
    }
    return NULL;
}

static void new_api_id(char out[33])
{
    char uuid[37];
    size_t i, o = 0;

    if (fgs__uuid4(uuid) < 0) {
        memset(uuid, '0', sizeof(uuid) - 1);
        uuid[36] = '\0';
    }
    for (i = 0; uuid[i] && o < 32; i++)
        if (uuid[i] != '-')
            out[o++] = uuid[i];
    out[o] = '\0';
}

static json_t *gateway_normalize(const char *type,
                                 json_t *in,
                                 const char *trigger_id,
                                 json_t *stored,
                                 struct srv_trigger_err *err)
{
    const char *code = type_code(type), *name, *path, *problem, *gname;
    json_t *out = json_copy(in), *fi, *fi_out = NULL, *v;
    bool need_instance = strcmp(type, "APIG") != 0;
    char api_id[33];

    if (!out) {
        fail(err, "FSS.0500", "Out of memory.");
        return NULL;
    }
    v = json_object_get(in, "name");
    if (!json_is_string(v) || !api_name_ok(name = json_string_value(v))) {
        fail(err, code,
             "Invalid event_data.name for %s triggers: 3-64 characters, starting with "
             "a letter; letters, digits, '_', '-' and '.'.",
             type);
        goto fail;
    }
    if (check_fields(type, "event_data.", gateway_fields,
                     sizeof(gateway_fields) / sizeof(gateway_fields[0]), in, out, code, err) < 0)
        goto fail;
    if (need_instance && !json_is_string(json_object_get(out, "instance_id"))) {
        fail(err, code, "event_data.instance_id is required for %s triggers.", type);
        goto fail;
    }
    v = json_object_get(in, "path");
    if (!json_is_string(v)) {
        fail(err, code, "event_data.path is required for %s triggers.", type);
        goto fail;
    }
    path = json_string_value(v);
    if ((problem = apig_path_problem(path))) {
        fail(err, code, "Invalid event_data.path for %s triggers: the path %s.", type, problem);
        goto fail;
    }
    v = json_object_get(in, "type");
    if (v && !json_is_null(v) &&
        (!json_is_integer(v) || (json_integer_value(v) != 1 && json_integer_value(v) != 2))) {
        fail(err, code,
             "Invalid event_data.type for %s triggers: must be 1 (public) or 2 "
             "(private).",
             type);
        goto fail;
    }
    if (!v || json_is_null(v))
        json_object_set_new(out, "type", json_integer(1));
    fi = json_object_get(in, "func_info");
    if (!json_is_object(fi)) {
        fail(err, code, "event_data.func_info with a timeout (ms) is required for %s triggers.",
             type);
        goto fail;
    }
    fi_out = json_copy(fi);
    if (!fi_out) {
        fail(err, "FSS.0500", "Out of memory.");
        goto fail;
    }
    if (check_fields(type, "event_data.func_info.", func_info_fields,
                     sizeof(func_info_fields) / sizeof(func_info_fields[0]), fi, fi_out, code,
                     err) < 0)
        goto fail;
    json_object_set_new(out, "func_info", fi_out);
    fi_out = NULL;

    /* Generated fields: kept from the stored object on update. */
    v = stored ? json_object_get(stored, "api_id") : NULL;
    if (json_is_string(v)) {
        json_object_set(out, "api_id", v);
    } else {
        new_api_id(api_id);
        json_object_set_new(out, "api_id", json_string(api_id));
    }
    json_object_set_new(out, "api_name", json_string(name));
    json_object_set_new(out, "triggerid", json_string(trigger_id ? trigger_id : ""));
    v = json_object_get(in, "group_name");
    gname = json_is_string(v) && json_string_length(v) > 0 && json_string_length(v) <= 128
                ? json_string_value(v)
                : json_string_value(json_object_get(out, "group_id"));
    json_object_set_new(out, "group_name", json_string(gname));
    return out;
fail:
    json_decref(fi_out);
    json_decref(out);
    return NULL;
}

/* ---- entry points ---- */

struct type_rules {
    const char *type;
    const struct field_spec *fields;
    size_t n;
    int (*extra)(json_t *out, struct srv_trigger_err *err);
};

#define RULES(t, f, x)                    \
    {                                     \
        t, f, sizeof(f) / sizeof(f[0]), x \
    }

static const struct type_rules rules[] = {
    RULES("CTS", cts_fields, NULL),           RULES("DDS", dds_fields, NULL),
    RULES("GAUSSMONGO", dds_fields, NULL),    RULES("DMS", dms_fields, NULL),
    RULES("DIS", dis_fields, dis_extra),      RULES("LTS", lts_fields, NULL),
    RULES("OBS", obs_fields, obs_extra),      RULES("SMN", smn_fields, smn_extra),
    RULES("KAFKA", kafka_fields, NULL),       RULES("OPENSOURCEKAFKA", oskafka_fields, NULL),
    RULES("RABBITMQ", rabbitmq_fields, NULL), RULES("EVENTGRID", eventgrid_fields, NULL),
};

/*
 * Dispatches to the type's rules, then bounds the stored size. Returns a
 * new object or NULL with *err set.
 */
json_t *srv_trigger_event_normalize(const char *type,
                                    json_t *event_data,
                                    const char *trigger_id,
                                    json_t *stored,
                                    struct srv_trigger_err *err)
{
    json_t *out = NULL;
    const char *code;
    size_t i;
    char *text;

    memset(err, 0, sizeof(*err));
    if (!srv_trigger_type_creatable(type)) {
        fail(err, "FSS.1101", "Invalid trigger_type_code '%.32s'.", type ? type : "");
        return NULL;
    }
    code = type_code(type);
    if (!json_is_object(event_data)) {
        fail(err, code, "event_data must be an object for %s triggers.", type);
        return NULL;
    }
    if (strcmp(type, "TIMER") == 0) {
        out = timer_normalize(event_data, err);
    } else if (srv_trigger_is_gateway(type)) {
        out = gateway_normalize(type, event_data, trigger_id, stored, err);
    } else {
        for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
            if (strcmp(rules[i].type, type) == 0)
                break;
        out = json_copy(event_data);
        if (!out) {
            fail(err, "FSS.0500", "Out of memory.");
            return NULL;
        }
        if (check_fields(type, "event_data.", rules[i].fields, rules[i].n, event_data, out, code,
                         err) < 0 ||
            (rules[i].extra && rules[i].extra(out, err) < 0)) {
            json_decref(out);
            return NULL;
        }
    }
    if (!out)
        return NULL;
    text = json_dumps(out, JSON_COMPACT);
    if (!text || strlen(text) > EVENT_DATA_MAX) {
        if (text)
            fail(err, code, "event_data is too large (at most %d bytes).", EVENT_DATA_MAX);
        else
            fail(err, "FSS.0500", "Out of memory.");
        free(text);
        json_decref(out);
        return NULL;
    }
    free(text);
    return out;
}

static int merge_one(json_t *out, json_t *patch)
{
    const char *key;
    json_t *v;

    json_object_foreach(patch, key, v)
    {
        if (json_is_null(v))
            json_object_del(out, key);
        else if (json_object_set_new(out, key, json_deep_copy(v)) < 0)
            return -1;
    }
    return 0;
}

/* Applies an update's event_data (object or array of objects) to a copy of stored. */
json_t *srv_trigger_event_merge(const char *type,
                                json_t *stored,
                                json_t *patch,
                                struct srv_trigger_err *err)
{
    const char *code = srv_trigger_type_creatable(type) ? type_code(type) : "FSS.0400";
    json_t *out = json_is_object(stored) ? json_deep_copy(stored) : json_object();
    size_t i;

    memset(err, 0, sizeof(*err));
    if (!out) {
        fail(err, "FSS.0500", "Out of memory.");
        return NULL;
    }
    if (json_is_object(patch)) {
        if (merge_one(out, patch) < 0)
            goto oom;
        return out;
    }
    if (!json_is_array(patch) || json_array_size(patch) == 0) {
        fail(err, code, "event_data must be an object or a non-empty array of objects.");
        goto fail;
    }
    for (i = 0; i < json_array_size(patch); i++) {
        json_t *el = json_array_get(patch, i);

        if (!json_is_object(el)) {
            fail(err, code, "event_data[%zu] must be an object.", i);
            goto fail;
        }
        if (merge_one(out, el) < 0)
            goto oom;
    }
    return out;
oom:
    fail(err, "FSS.0500", "Out of memory.");
fail:
    json_decref(out);
    return NULL;
}

/* A copy of stored without the *password fields. */
json_t *srv_trigger_event_public(json_t *stored)
{
    json_t *out = json_is_object(stored) ? json_deep_copy(stored) : json_object();
    const char *key;
    json_t *v;
    void *tmp;

    if (!out)
        return NULL;
    json_object_foreach_safe(out, tmp, key, v)
    {
        size_t n = strlen(key);

        (void)v;
        if (n >= 8 && strcmp(key + n - 8, "password") == 0)
            json_object_del(out, key);
    }
    return out;
}

static bool same_str(json_t *a, json_t *b, const char *key)
{
    const char *x = json_string_value(json_object_get(a, key));
    const char *y = json_string_value(json_object_get(b, key));

    return x && y && strcmp(x, y) == 0;
}

/* Same path and method (and instance for the dedicated gateways). */
bool srv_trigger_same_route(const char *type, json_t *a, json_t *b)
{
    if (!same_str(a, b, "path") || !same_str(a, b, "req_method"))
        return false;
    if (type && strcmp(type, "APIG") != 0)
        return same_str(a, b, "instance_id");
    return true;
}
