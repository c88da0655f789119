/*
 * test_trigger_validate.c - trigger type codes and event_data validation:
 * TIMER and APIG in full (codes FSS.1109 / FSS.1107), every other type's
 * required fields, enums, ranges and defaults (FSS.0400 naming the field),
 * update merging (object and the SDK's array form), secret hiding and
 * gateway route comparison.
 */
#include <stdlib.h>
#include <string.h>
#include "fgs_test.h"
#include "trigger/validate.h"

static json_t *J(const char *text)
{
    json_error_t e;
    json_t *v = json_loads(text, JSON_DECODE_ANY, &e);

    if (!v)
        FGS_TEST_FAIL("bad JSON in test: %s (%s)", text, e.text);
    return v;
}

/* Normalises text as event_data of type; fails the test on error. Caller frees. */
static json_t *ok(const char *type, const char *text)
{
    struct srv_trigger_err err;
    json_t *in = J(text), *out = srv_trigger_event_normalize(type, in, "tid-1", NULL, &err);

    if (!out)
        FGS_TEST_FAIL("%s %s rejected: %s %s", type, text, err.code, err.msg);
    json_decref(in);
    return out;
}

static void bad(const char *type, const char *text, const char *code, const char *needle)
{
    struct srv_trigger_err err;
    json_t *in = J(text), *out = srv_trigger_event_normalize(type, in, "tid-1", NULL, &err);

    if (out)
        FGS_TEST_FAIL("%s %s accepted", type, text);
    ASSERT_STREQ(err.code, code);
    if (needle && !strstr(err.msg, needle))
        FGS_TEST_FAIL("%s %s: message '%s' lacks '%s'", type, text, err.msg, needle);
    json_decref(in);
}

static const char *str(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static json_int_t num(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);

    if (!json_is_integer(v))
        FGS_TEST_FAIL("%s is not an integer", key);
    return json_integer_value(v);
}

#define APIG_OK                                                                        \
    "{\"name\":\"API_hello\",\"group_id\":\"a1b2c3d4e5f6\",\"env_id\":"                \
    "\"DEFAULT_ENVIRONMENT_RELEASE_ID\",\"env_name\":\"RELEASE\",\"path\":\"/hello\"," \
    "\"func_info\":{\"timeout\":5000}"

FGS_TEST(trigger_validate, type_codes)
{
    static const char *const all[] = { "TIMER",
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
    size_t i;

    for (i = 0; all[i]; i++) {
        ASSERT(srv_trigger_type_creatable(all[i]));
        ASSERT(srv_trigger_type_known(all[i]));
    }
    ASSERT(!srv_trigger_type_creatable("IOTDA"));
    ASSERT(srv_trigger_type_known("IOTDA"));
    ASSERT(!srv_trigger_type_known("timer"));
    ASSERT(!srv_trigger_type_known("FOO"));
    ASSERT(!srv_trigger_type_known(""));
    ASSERT(!srv_trigger_type_known(NULL));

    ASSERT(srv_trigger_can_disable("TIMER"));
    ASSERT(srv_trigger_can_disable("DDS"));
    ASSERT(srv_trigger_can_disable("DMS"));
    ASSERT(srv_trigger_can_disable("KAFKA"));
    ASSERT(srv_trigger_can_disable("LTS"));
    ASSERT(!srv_trigger_can_disable("APIG"));
    ASSERT(!srv_trigger_can_disable("OBS"));
    ASSERT(!srv_trigger_can_disable("DIS"));

    ASSERT_STREQ(srv_trigger_default_status("DDS"), "DISABLED");
    ASSERT_STREQ(srv_trigger_default_status("KAFKA"), "DISABLED");
    ASSERT_STREQ(srv_trigger_default_status("TIMER"), "ACTIVE");
    ASSERT_STREQ(srv_trigger_default_status("OPENSOURCEKAFKA"), "ACTIVE");

    ASSERT(srv_trigger_is_pull("DIS"));
    ASSERT(srv_trigger_is_pull("KAFKA"));
    ASSERT(srv_trigger_is_pull("DDS"));
    ASSERT(!srv_trigger_is_pull("TIMER"));
    ASSERT(!srv_trigger_is_pull("APIG"));
    ASSERT(!srv_trigger_is_pull("OBS"));

    ASSERT(srv_trigger_is_gateway("APIG"));
    ASSERT(srv_trigger_is_gateway("DEDICATEDGATEWAY"));
    ASSERT(srv_trigger_is_gateway("APIC"));
    ASSERT(!srv_trigger_is_gateway("TIMER"));

    bad("FOO", "{}", "FSS.1101", "FOO");
    bad("IOTDA", "{}", "FSS.1101", NULL);
    bad("timer", "{}", "FSS.1101", NULL);
}

FGS_TEST(trigger_validate, timer_valid)
{
    json_t *o;

    o = ok("TIMER", "{\"name\":\"Timer_001\",\"schedule_type\":\"Rate\",\"schedule\":\"3m\"}");
    ASSERT_STREQ(str(o, "name"), "Timer_001");
    ASSERT_STREQ(str(o, "schedule_type"), "Rate");
    ASSERT_STREQ(str(o, "schedule"), "3m");
    ASSERT_EQ(json_object_size(o), 3);
    json_decref(o);

    /* Unknown fields are dropped; user_event is kept. */
    o = ok("TIMER", "{\"name\":\"t-2\",\"schedule_type\":\"Cron\",\"schedule\":\"0 0 9 ? * "
                    "MON-FRI\",\"user_event\":\"hello\",\"junk\":1}");
    ASSERT_STREQ(str(o, "user_event"), "hello");
    ASSERT(json_object_get(o, "junk") == NULL);
    ASSERT_EQ(json_object_size(o), 4);
    json_decref(o);

    o = ok("TIMER", "{\"name\":\"x\",\"schedule_type\":\"Cron\",\"schedule\":\"CRON_TZ=Asia/"
                    "Shanghai @every 1.5h\",\"user_event\":null}");
    ASSERT(json_object_get(o, "user_event") == NULL);
    json_decref(o);
}

FGS_TEST(trigger_validate, timer_invalid)
{
    char big[4200];
    size_t len;

    bad("TIMER", "[]", "FSS.1109", "object");
    bad("TIMER", "\"x\"", "FSS.1109", "object");
    bad("TIMER", "{\"schedule_type\":\"Rate\",\"schedule\":\"3m\"}", "FSS.1109", "name");
    bad("TIMER", "{\"name\":\"\",\"schedule_type\":\"Rate\",\"schedule\":\"3m\"}", "FSS.1109",
        "name");
    bad("TIMER", "{\"name\":\"a b\",\"schedule_type\":\"Rate\",\"schedule\":\"3m\"}", "FSS.1109",
        "name");
    bad("TIMER", "{\"name\":1,\"schedule_type\":\"Rate\",\"schedule\":\"3m\"}", "FSS.1109", "name");
    bad("TIMER",
        "{\"name\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\","
        "\"schedule_type\":\"Rate\",\"schedule\":\"3m\"}",
        "FSS.1109", "name");
    bad("TIMER", "{\"name\":\"t\",\"schedule\":\"3m\"}", "FSS.1109", "schedule_type");
    bad("TIMER", "{\"name\":\"t\",\"schedule_type\":\"rate\",\"schedule\":\"3m\"}", "FSS.1109",
        "schedule_type");
    bad("TIMER", "{\"name\":\"t\",\"schedule_type\":\"Rate\"}", "FSS.1109", "schedule");
    bad("TIMER", "{\"name\":\"t\",\"schedule_type\":\"Rate\",\"schedule\":\"61m\"}", "FSS.1109",
        "out of range");
    bad("TIMER", "{\"name\":\"t\",\"schedule_type\":\"Cron\",\"schedule\":\"* * *\"}", "FSS.1109",
        "fields");
    bad("TIMER", "{\"name\":\"t\",\"schedule_type\":\"Cron\",\"schedule\":\"3m\"}", "FSS.1109",
        "schedule");
    bad("TIMER",
        "{\"name\":\"t\",\"schedule_type\":\"Cron\",\"schedule\":\"CRON_TZ=No/Where 0 * * * "
        "*\"}",
        "FSS.1109", "time zone");
    bad("TIMER",
        "{\"name\":\"t\",\"schedule_type\":\"Rate\",\"schedule\":\"3m\",\"user_event\":{}}",
        "FSS.1109", "user_event");

    for (len = 4096; len <= 4097; len++) {
        int n = snprintf(big, sizeof(big), "%s",
                         "{\"name\":\"t\",\"schedule_type\":\"Rate\",\"schedule\":\"3m\","
                         "\"user_event\":\"");

        memset(big + n, 'u', len);
        memcpy(big + n + len, "\"}", 3);
        if (len == 4096)
            json_decref(ok("TIMER", big));
    }
    bad("TIMER", big, "FSS.1109", "user_event");
}

FGS_TEST(trigger_validate, apig_defaults_and_generated)
{
    struct srv_trigger_err err;
    json_t *o = ok("APIG", APIG_OK "}"), *fi, *in, *again;
    const char *api_id;
    size_t i;

    ASSERT_STREQ(str(o, "auth"), "IAM");
    ASSERT_STREQ(str(o, "protocol"), "HTTPS");
    ASSERT_STREQ(str(o, "match_mode"), "SWA");
    ASSERT_STREQ(str(o, "req_method"), "ANY");
    ASSERT_STREQ(str(o, "backend_type"), "FUNCTION");
    ASSERT_EQ(num(o, "type"), 1);
    fi = json_object_get(o, "func_info");
    ASSERT_EQ(num(fi, "timeout"), 5000);
    ASSERT_STREQ(str(fi, "invocation_type"), "sync");
    api_id = str(o, "api_id");
    ASSERT(api_id != NULL);
    ASSERT_EQ(strlen(api_id), 32);
    for (i = 0; i < 32; i++)
        ASSERT(strchr("0123456789abcdef", api_id[i]) != NULL);
    ASSERT_STREQ(str(o, "api_name"), "API_hello");
    ASSERT_STREQ(str(o, "triggerid"), "tid-1");
    ASSERT_STREQ(str(o, "group_name"), "a1b2c3d4e5f6");
    ASSERT(json_object_get(o, "invoke_url") == NULL);

    /* On update the stored api_id stays, even if the request sends another. */
    in = J(APIG_OK ",\"api_id\":\"ffff\",\"req_method\":\"POST\"}");
    again = srv_trigger_event_normalize("APIG", in, "tid-1", o, &err);
    ASSERT(again != NULL);
    ASSERT_STREQ(str(again, "api_id"), api_id);
    ASSERT_STREQ(str(again, "req_method"), "POST");
    json_decref(again);
    json_decref(in);
    json_decref(o);

    o = ok("APIG", "{\"name\":\"api-1.x\",\"group_id\":\"g\",\"env_id\":\"e\",\"env_name\":"
                   "\"TEST_1\",\"auth\":\"NONE\",\"protocol\":\"HTTP\",\"path\":\"/users/{id}/"
                   "files/{rest+}\",\"match_mode\":\"NORMAL\",\"req_method\":\"OPTIONS\","
                   "\"backend_type\":\"FUNCTION\",\"type\":2,\"sl_domain\":\"x.example.com\","
                   "\"group_name\":\"My group\",\"func_info\":{\"timeout\":60000,"
                   "\"invocation_type\":\"async\",\"function_urn\":\"urn:x\",\"version\":\"v1\"}}");
    ASSERT_STREQ(str(o, "auth"), "NONE");
    ASSERT_STREQ(str(o, "group_name"), "My group");
    ASSERT_EQ(num(o, "type"), 2);
    ASSERT_STREQ(str(json_object_get(o, "func_info"), "invocation_type"), "async");
    json_decref(o);

    /* Non-ASCII API names count characters, not bytes. */
    o = ok("APIG", "{\"name\":\"\xe6\xb5\x8b\xe8\xaf\x95\xe6\x8e\xa5\xe5\x8f\xa3\",\"group_id\":"
                   "\"g\",\"env_id\":\"e\",\"env_name\":\"RELEASE\",\"path\":\"/\",\"func_info\":"
                   "{\"timeout\":1}}");
    json_decref(o);
}

FGS_TEST(trigger_validate, apig_invalid)
{
    static const struct {
        const char *json;
        const char *needle;
    } cases[] = {
        { "{\"group_id\":\"g\",\"env_id\":\"e\",\"env_name\":\"R\",\"path\":\"/a\",\"func_info\":{"
          "\"timeout\":1}}",
          "name" },
        { "{\"name\":\"ab\",\"group_id\":\"g\",\"env_id\":\"e\",\"env_name\":\"R\",\"path\":\"/"
          "a\",\"func_info\":{\"timeout\":1}}",
          "name" },
        { "{\"name\":\"1abc\",\"group_id\":\"g\",\"env_id\":\"e\",\"env_name\":\"R\",\"path\":"
          "\"/a\",\"func_info\":{\"timeout\":1}}",
          "name" },
        { "{\"name\":\"abc d\",\"group_id\":\"g\",\"env_id\":\"e\",\"env_name\":\"R\",\"path\":"
          "\"/a\",\"func_info\":{\"timeout\":1}}",
          "name" },
        { "{\"name\":\"abc\",\"env_id\":\"e\",\"env_name\":\"R\",\"path\":\"/a\",\"func_info\":{"
          "\"timeout\":1}}",
          "group_id" },
        { "{\"name\":\"abc\",\"group_id\":\"g/x\",\"env_id\":\"e\",\"env_name\":\"R\",\"path\":"
          "\"/a\",\"func_info\":{\"timeout\":1}}",
          "group_id" },
        { "{\"name\":\"abc\",\"group_id\":\"g\",\"env_name\":\"R\",\"path\":\"/a\",\"func_info\":{"
          "\"timeout\":1}}",
          "env_id" },
        { "{\"name\":\"abc\",\"group_id\":\"g\",\"env_id\":\"e\",\"path\":\"/a\",\"func_info\":{"
          "\"timeout\":1}}",
          "env_name" },
        { APIG_OK ",\"auth\":\"TOKEN\"}", "auth" },
        { APIG_OK ",\"protocol\":\"FTP\"}", "protocol" },
        { APIG_OK ",\"match_mode\":\"PREFIX\"}", "match_mode" },
        { APIG_OK ",\"req_method\":\"get\"}", "req_method" },
        { APIG_OK ",\"req_method\":\"TRACE\"}", "req_method" },
        { APIG_OK ",\"backend_type\":\"HTTP\"}", "backend_type" },
        { APIG_OK ",\"type\":3}", "type" },
        { APIG_OK ",\"type\":\"1\"}", "type" },
        { "{\"name\":\"abc\",\"group_id\":\"g\",\"env_id\":\"e\",\"env_name\":\"R\",\"path\":"
          "\"/a\"}",
          "func_info" },
        { "{\"name\":\"abc\",\"group_id\":\"g\",\"env_id\":\"e\",\"env_name\":\"R\",\"path\":"
          "\"/a\",\"func_info\":{}}",
          "func_info.timeout" },
        { "{\"name\":\"abc\",\"group_id\":\"g\",\"env_id\":\"e\",\"env_name\":\"R\",\"path\":"
          "\"/a\",\"func_info\":{\"timeout\":0}}",
          "func_info.timeout" },
        { "{\"name\":\"abc\",\"group_id\":\"g\",\"env_id\":\"e\",\"env_name\":\"R\",\"path\":"
          "\"/a\",\"func_info\":{\"timeout\":60001}}",
          "func_info.timeout" },
        { "{\"name\":\"abc\",\"group_id\":\"g\",\"env_id\":\"e\",\"env_name\":\"R\",\"path\":"
          "\"/a\",\"func_info\":{\"timeout\":\"5000\"}}",
          "func_info.timeout" },
        { "{\"name\":\"abc\",\"group_id\":\"g\",\"env_id\":\"e\",\"env_name\":\"R\",\"path\":"
          "\"/a\",\"func_info\":{\"timeout\":5,\"invocation_type\":\"later\"}}",
          "func_info.invocation_type" },
        { "{\"name\":\"abc\",\"group_id\":\"g\",\"env_id\":\"e\",\"env_name\":\"R\",\"func_info\":"
          "{\"timeout\":5}}",
          "path" },
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        bad("APIG", cases[i].json, "FSS.1107", cases[i].needle);
    bad("APIG", "[]", "FSS.1107", "object");
}

FGS_TEST(trigger_validate, apig_paths)
{
    static const char *const good[] = {
        "/",         "/a",         "/a/b/c",  "/users/{id}", "/users/{id}/files/{rest+}",
        "/{proxy+}", "/a-b_c.d~e", "/v1.0/x", NULL
    };
    static const char *const poor[] = { "a",      "",         "//",        "/a/",    "/a//b",
                                        "/{}",    "/{a}/{a}", "/{a+}/b",   "/a b",   "/a?b",
                                        "/..",    "/.",       "/{a",       "/x{a}",  "/{a}x",
                                        "/{a b}", "/a#b",     "/\xc3\xa9", "/a%20b", "/{+}",
                                        NULL };
    char buf[256];
    size_t i;

    for (i = 0; good[i]; i++) {
        json_t *o;

        snprintf(buf, sizeof(buf),
                 "{\"name\":\"abc\",\"group_id\":\"g\",\"env_id\":\"e\",\"env_name\":\"R\","
                 "\"path\":\"%s\",\"func_info\":{\"timeout\":5}}",
                 good[i]);
        o = ok("APIG", buf);
        ASSERT_STREQ(str(o, "path"), good[i]);
        json_decref(o);
    }
    for (i = 0; poor[i]; i++) {
        snprintf(buf, sizeof(buf),
                 "{\"name\":\"abc\",\"group_id\":\"g\",\"env_id\":\"e\",\"env_name\":\"R\","
                 "\"path\":\"%s\",\"func_info\":{\"timeout\":5}}",
                 poor[i]);
        bad("APIG", buf, "FSS.1107", "path");
    }
}

FGS_TEST(trigger_validate, gateway_variants)
{
    json_t *o;

    bad("DEDICATEDGATEWAY", APIG_OK "}", "FSS.0400", "instance_id");
    o = ok("DEDICATEDGATEWAY", APIG_OK ",\"instance_id\":\"inst-1\"}");
    ASSERT_STREQ(str(o, "instance_id"), "inst-1");
    ASSERT(str(o, "api_id") != NULL);
    json_decref(o);
    bad("APIC", APIG_OK ",\"roma_app_id\":\"r1\"}", "FSS.0400", "instance_id");
    o = ok("APIC", APIG_OK ",\"instance_id\":\"i\",\"roma_app_id\":\"r1\"}");
    ASSERT_STREQ(str(o, "roma_app_id"), "r1");
    json_decref(o);
    bad("APIC", APIG_OK ",\"instance_id\":\"i\",\"path\":\"x\"}", "FSS.0400", "path");
}

FGS_TEST(trigger_validate, pull_types)
{
    json_t *o;

    o = ok("DDS", "{\"instance_id\":\"i-1\",\"db_name\":\"db\",\"collection_name\":\"c\","
                  "\"db_user\":\"u\",\"db_password\":\"p\"}");
    ASSERT_EQ(num(o, "batch_size"), 100);
    json_decref(o);
    o = ok("GAUSSMONGO", "{\"instance_id\":\"i-1\",\"db_name\":\"db\",\"collection_name\":\"c\","
                         "\"batch_size\":10000}");
    ASSERT_EQ(num(o, "batch_size"), 10000);
    json_decref(o);
    bad("DDS",
        "{\"instance_id\":\"i\",\"db_name\":\"db\",\"collection_name\":\"c\",\"batch_size\":0}",
        "FSS.0400", "batch_size");
    bad("DDS",
        "{\"instance_id\":\"i\",\"db_name\":\"db\",\"collection_name\":\"c\",\"batch_size\":10001}",
        "FSS.0400", "batch_size");
    bad("DDS", "{\"instance_id\":\"i\",\"collection_name\":\"c\"}", "FSS.0400", "db_name");
    bad("GAUSSMONGO", "{\"db_name\":\"d\",\"collection_name\":\"c\"}", "FSS.0400", "instance_id");

    o = ok("DMS", "{\"queue_id\":\"q-1\",\"consumer_group_id\":\"g-1\"}");
    ASSERT_EQ(num(o, "polling_interval"), 30);
    json_decref(o);
    bad("DMS", "{\"queue_id\":\"q\"}", "FSS.0400", "consumer_group_id");
    bad("DMS", "{\"queue_id\":\"q\",\"consumer_group_id\":\"g\",\"polling_interval\":0}",
        "FSS.0400", "polling_interval");

    o = ok("DIS", "{\"stream_name\":\"s-1\"}");
    ASSERT_STREQ(str(o, "sharditerator_type"), "TRIM_HORIZON");
    ASSERT_EQ(num(o, "polling_interval"), 30);
    ASSERT_STREQ(str(o, "polling_unit"), "s");
    ASSERT_EQ(num(o, "batch_size"), 100);
    ASSERT(json_object_get(o, "is_serial") == NULL);
    json_decref(o);
    o = ok("DIS", "{\"stream_name\":\"s\",\"sharditerator_type\":\"LATEST\",\"polling_interval\":"
                  "500,\"polling_unit\":\"ms\",\"is_serial\":true,\"max_fetch_bytes\":1048576}");
    ASSERT_STREQ(str(o, "is_serial"), "true");
    ASSERT_EQ(num(o, "polling_interval"), 500);
    json_decref(o);
    bad("DIS", "{\"stream_name\":\"s\",\"polling_interval\":61}", "FSS.0400", "polling_interval");
    bad("DIS", "{\"stream_name\":\"s\",\"polling_interval\":60001,\"polling_unit\":\"ms\"}",
        "FSS.0400", "polling_interval");
    bad("DIS", "{\"stream_name\":\"s\",\"sharditerator_type\":\"AT\"}", "FSS.0400",
        "TRIM_HORIZON|LATEST");
    bad("DIS", "{\"stream_name\":\"s\",\"polling_unit\":\"min\"}", "FSS.0400", "polling_unit");
    bad("DIS", "{\"stream_name\":\"s\",\"is_serial\":\"yes\"}", "FSS.0400", "is_serial");
    bad("DIS", "{\"stream_name\":\"s\",\"batch_size\":10001}", "FSS.0400", "batch_size");
    bad("DIS", "{\"stream_name\":\"s\",\"max_fetch_bytes\":0}", "FSS.0400", "max_fetch_bytes");
    bad("DIS", "{}", "FSS.0400", "stream_name");

    o = ok("KAFKA", "{\"instance_id\":\"k\",\"topic_ids\":[\"t1\",\"t2\"],\"kafka_user\":\"u\","
                    "\"kafka_password\":\"p\",\"kafka_ssl_enable\":true}");
    ASSERT_EQ(num(o, "batch_size"), 100);
    json_decref(o);
    bad("KAFKA", "{\"topic_ids\":[\"t\"]}", "FSS.0400", "instance_id");
    bad("KAFKA", "{\"instance_id\":\"k\"}", "FSS.0400", "topic_ids");
    bad("KAFKA", "{\"instance_id\":\"k\",\"topic_ids\":[]}", "FSS.0400", "topic_ids");
    bad("KAFKA", "{\"instance_id\":\"k\",\"topic_ids\":\"t\"}", "FSS.0400", "topic_ids");
    bad("KAFKA", "{\"instance_id\":\"k\",\"topic_ids\":[\"\"]}", "FSS.0400", "topic_ids[0]");
    bad("KAFKA", "{\"instance_id\":\"k\",\"topic_ids\":[\"t\"],\"batch_size\":1001}", "FSS.0400",
        "batch_size");
    bad("KAFKA", "{\"instance_id\":\"k\",\"topic_ids\":[\"t\"],\"kafka_ssl_enable\":\"true\"}",
        "FSS.0400", "kafka_ssl_enable");

    o = ok("OPENSOURCEKAFKA",
           "{\"topic_ids\":[\"t\"],\"kafka_connect_address\":\"10.0.0.1:9092,10.0.0.2:9092\"}");
    json_decref(o);
    bad("OPENSOURCEKAFKA", "{\"topic_ids\":[\"t\"]}", "FSS.0400", "kafka_connect_address");

    o = ok("RABBITMQ", "{\"instance_id\":\"r\",\"exchange_name\":\"ex\",\"vhost\":\"/\","
                       "\"ssl_enable\":false,\"batch_size\":10}");
    ASSERT_EQ(num(o, "batch_size"), 10);
    json_decref(o);
    bad("RABBITMQ", "{\"instance_id\":\"r\"}", "FSS.0400", "exchange_name");
    bad("RABBITMQ", "{\"instance_id\":\"r\",\"exchange_name\":\"e\",\"ssl_enable\":1}", "FSS.0400",
        "ssl_enable");
}

FGS_TEST(trigger_validate, push_types)
{
    json_t *o;

    o = ok("CTS", "{\"name\":\"cts_1\",\"operations\":[\"ECS:ecs;server:restartServer;"
                  "deleteServer\"]}");
    json_decref(o);
    bad("CTS", "{\"name\":\"cts_1\"}", "FSS.0400", "operations");
    bad("CTS", "{\"name\":\"cts_1\",\"operations\":[]}", "FSS.0400", "operations");
    bad("CTS", "{\"name\":\"cts_1\",\"operations\":[1]}", "FSS.0400", "operations[0]");
    bad("CTS", "{\"name\":\"c d\",\"operations\":[\"x\"]}", "FSS.0400", "name");

    o = ok("LTS", "{\"log_group_id\":\"0a1b-2c\",\"log_topic_id\":\"3d4e-5f\"}");
    json_decref(o);
    bad("LTS", "{\"log_group_id\":\"g\"}", "FSS.0400", "log_topic_id");
    bad("LTS", "{\"log_group_id\":5,\"log_topic_id\":\"t\"}", "FSS.0400", "log_group_id");

    o = ok("OBS", "{\"bucket\":\"my-bucket.01\",\"events\":[\"ObjectCreated\","
                  "\"s3:ObjectRemoved:Delete\",\"ObjectCreated:Put\",\"s3:ObjectCreated:*\"],"
                  "\"prefix\":\"in/\",\"suffix\":\".jpg\",\"name\":\"n1\"}");
    ASSERT_STREQ(str(o, "prefix"), "in/");
    json_decref(o);
    bad("OBS", "{\"bucket\":\"My_Bucket\",\"events\":[\"Put\"]}", "FSS.0400", "bucket");
    bad("OBS", "{\"bucket\":\"ab\",\"events\":[\"Put\"]}", "FSS.0400", "bucket");
    bad("OBS", "{\"bucket\":\"-abc\",\"events\":[\"Put\"]}", "FSS.0400", "bucket");
    bad("OBS", "{\"bucket\":\"a..b\",\"events\":[\"Put\"]}", "FSS.0400", "bucket");
    bad("OBS", "{\"bucket\":\"192.168.1.1\",\"events\":[\"Put\"]}", "FSS.0400", "bucket");
    bad("OBS", "{\"bucket\":\"abc\",\"events\":[\"Foo\"]}", "FSS.0400", "events[0]");
    bad("OBS", "{\"bucket\":\"abc\",\"events\":[\"Put\",\"s3:ObjectCreated:Delete\"]}", "FSS.0400",
        "events[1]");
    bad("OBS", "{\"bucket\":\"abc\",\"events\":\"Put\"}", "FSS.0400", "events");
    bad("OBS", "{\"bucket\":\"abc\"}", "FSS.0400", "events");

    o = ok("SMN", "{\"topic_urn\":\"urn:smn:cn-north-4:0a1b:topic_1\"}");
    json_decref(o);
    bad("SMN", "{\"topic_urn\":\"topic_1\"}", "FSS.0400", "topic_urn");
    bad("SMN", "{\"topic_urn\":\"urn:smn:x y\"}", "FSS.0400", "topic_urn");
    bad("SMN", "{}", "FSS.0400", "topic_urn");

    o = ok("EVENTGRID", "{\"channel_id\":\"c1\",\"channel_name\":\"default\",\"source_name\":"
                        "\"HC.OBS\",\"event_types\":[\"OBS:CloudTrace:ObjectCreated\"],"
                        "\"Key_encode\":true,\"status\":\"DISABLE\"}");
    json_decref(o);
    bad("EVENTGRID", "{\"channel_id\":\"c1\",\"status\":\"DISABLED\"}", "FSS.0400", "status");
    bad("EVENTGRID", "{\"channel_name\":\"x\"}", "FSS.0400", "channel_id");
}

FGS_TEST(trigger_validate, unknown_fields_and_size)
{
    json_t *o = ok("LTS", "{\"log_group_id\":\"g\",\"log_topic_id\":\"t\",\"extra\":{\"a\":1}}");
    char *big;
    size_t n = 70 * 1024;

    /* Other types keep fields they do not know (SDK models have more than §10 lists). */
    ASSERT(json_is_object(json_object_get(o, "extra")));
    json_decref(o);

    big = malloc(n + 100);
    ASSERT(big != NULL);
    snprintf(big, n + 100, "{\"log_group_id\":\"g\",\"log_topic_id\":\"t\",\"extra\":\"");
    memset(big + strlen(big), 'x', n);
    big[n + 40] = '\0';
    memcpy(big + n + 40, "\"}", 3);
    bad("LTS", big, "FSS.0400", "too large");
    free(big);
}

FGS_TEST(trigger_validate, merge)
{
    struct srv_trigger_err err;
    json_t *stored = J("{\"stream_name\":\"s\",\"polling_interval\":30,\"is_serial\":\"true\","
                       "\"batch_size\":100}");
    json_t *patch, *m;

    patch = J("{\"polling_interval\":10,\"batch_size\":null}");
    m = srv_trigger_event_merge("DIS", stored, patch, &err);
    ASSERT(m != NULL);
    ASSERT_EQ(num(m, "polling_interval"), 10);
    ASSERT(json_object_get(m, "batch_size") == NULL);
    ASSERT_STREQ(str(m, "stream_name"), "s");
    /* The stored object is not modified. */
    ASSERT_EQ(num(stored, "polling_interval"), 30);
    json_decref(m);
    json_decref(patch);

    /* The SDK's array form: applied in order. */
    patch = J("[{\"is_serial\":false,\"polling_unit\":\"ms\"},{\"polling_interval\":500}]");
    m = srv_trigger_event_merge("DIS", stored, patch, &err);
    ASSERT(m != NULL);
    ASSERT(json_is_false(json_object_get(m, "is_serial")));
    ASSERT_EQ(num(m, "polling_interval"), 500);
    ASSERT_STREQ(str(m, "polling_unit"), "ms");
    json_decref(m);
    json_decref(patch);

    patch = J("[1]");
    ASSERT(srv_trigger_event_merge("DIS", stored, patch, &err) == NULL);
    ASSERT_STREQ(err.code, "FSS.0400");
    ASSERT(strstr(err.msg, "event_data[0]") != NULL);
    json_decref(patch);
    patch = J("[]");
    ASSERT(srv_trigger_event_merge("TIMER", stored, patch, &err) == NULL);
    ASSERT_STREQ(err.code, "FSS.1109");
    json_decref(patch);
    patch = J("\"x\"");
    ASSERT(srv_trigger_event_merge("APIG", stored, patch, &err) == NULL);
    ASSERT_STREQ(err.code, "FSS.1107");
    json_decref(patch);
    json_decref(stored);
}

FGS_TEST(trigger_validate, public_hides_passwords)
{
    json_t *stored = J("{\"instance_id\":\"k\",\"kafka_password\":\"secret\",\"db_password\":"
                       "\"s2\",\"access_password\":\"s3\",\"kafka_user\":\"u\"}");
    json_t *p = srv_trigger_event_public(stored);

    ASSERT(p != NULL);
    ASSERT(json_object_get(p, "kafka_password") == NULL);
    ASSERT(json_object_get(p, "db_password") == NULL);
    ASSERT(json_object_get(p, "access_password") == NULL);
    ASSERT_STREQ(str(p, "kafka_user"), "u");
    ASSERT_STREQ(str(stored, "kafka_password"), "secret");
    json_decref(p);
    json_decref(stored);
}

FGS_TEST(trigger_validate, same_route)
{
    json_t *a = J("{\"path\":\"/a\",\"req_method\":\"GET\",\"instance_id\":\"i1\"}");
    json_t *b = J("{\"path\":\"/a\",\"req_method\":\"GET\",\"instance_id\":\"i2\"}");
    json_t *c = J("{\"path\":\"/a\",\"req_method\":\"POST\"}");
    json_t *d = J("{\"path\":\"/A\",\"req_method\":\"GET\"}");

    ASSERT(srv_trigger_same_route("APIG", a, b));
    ASSERT(!srv_trigger_same_route("APIG", a, c));
    ASSERT(!srv_trigger_same_route("APIG", a, d));
    ASSERT(!srv_trigger_same_route("DEDICATEDGATEWAY", a, b));
    ASSERT(srv_trigger_same_route("DEDICATEDGATEWAY", a, a));
    json_decref(a);
    json_decref(b);
    json_decref(c);
    json_decref(d);
}

FGS_TEST_LIST(T(trigger_validate, type_codes),
              T(trigger_validate, timer_valid),
              T(trigger_validate, timer_invalid),
              T(trigger_validate, apig_defaults_and_generated),
              T(trigger_validate, apig_invalid),
              T(trigger_validate, apig_paths),
              T(trigger_validate, gateway_variants),
              T(trigger_validate, pull_types),
              T(trigger_validate, push_types),
              T(trigger_validate, unknown_fields_and_size),
              T(trigger_validate, merge),
              T(trigger_validate, public_hides_passwords),
              T(trigger_validate, same_route));
