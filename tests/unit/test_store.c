/*
 * test_store.c - the SQLite store against a temporary directory: functions,
 * versions, code blobs, aliases, triggers, extras, cascades and reopening.
 */
#include <stdlib.h>
#include <string.h>
#include "fgs_test.h"
#include "store/store.h"
#include "util/crypto.h"

static struct srv_store *open_store(void)
{
    struct srv_store *st = srv_store_sqlite_open(fgs_test_tmpdir());

    ASSERT(st != NULL);
    return st;
}

static int64_t create_fn(struct srv_store *st, const char *name, const char *code)
{
    struct srv_fnver fv;
    struct srv_code sc;
    char digest[129];

    memset(&fv, 0, sizeof(fv));
    fgs__sha512_hex(digest, code, strlen(code));
    fv.project = "p1";
    fv.package = "default";
    fv.name = (char *)name;
    fv.func_id = "id";
    fv.version = "latest";
    fv.config = "{\"runtime\":\"Python3.9\"}";
    fv.digest = digest;
    fv.code_size = (int64_t)strlen(code);
    fv.created_ms = fv.modified_ms = 1000;
    sc.digest = digest;
    sc.data = code;
    sc.len = strlen(code);
    ASSERT_OK(st->ops->fn_create(st, &fv, &sc));
    ASSERT_GT(fv.fn_id, 0);
    return fv.fn_id;
}

FGS_TEST(store, create_get_and_duplicates)
{
    struct srv_store *st = open_store();
    struct srv_fnver fv, dup;
    int64_t id = create_fn(st, "hello", "print(1)");

    ASSERT_OK(st->ops->fn_get(st, "p1", "default", "hello", "latest", &fv));
    ASSERT_EQ(fv.fn_id, id);
    ASSERT_STREQ(fv.config, "{\"runtime\":\"Python3.9\"}");
    ASSERT_EQ(fv.code_size, 8);
    srv_fnver_dispose(&fv);
    ASSERT_EQ(st->ops->fn_get(st, "p1", "default", "nope", "latest", &fv), SRV_ENOFUNC);
    ASSERT_EQ(st->ops->fn_get(st, "p1", "default", "hello", "v1", &fv), SRV_ENOTFOUND);
    ASSERT_EQ(fv.fn_id, id);
    ASSERT_EQ(st->ops->fn_get(st, "p2", "default", "hello", "latest", &fv), SRV_ENOFUNC);

    memset(&dup, 0, sizeof(dup));
    dup.project = "p1";
    dup.package = "default";
    dup.name = "hello";
    dup.func_id = "x";
    dup.version = "latest";
    dup.config = "{}";
    dup.digest = "d";
    ASSERT_EQ(st->ops->fn_create(st, &dup, NULL), SRV_EEXISTS);
    srv_store_close(st);
}

FGS_TEST(store, list_pages_and_filters)
{
    struct srv_store *st = open_store();
    struct srv_fnver *rows;
    size_t n;
    int64_t total;
    char name[16];
    int i;

    for (i = 0; i < 5; i++) {
        snprintf(name, sizeof(name), "fn%d", i);
        create_fn(st, name, "x");
    }
    ASSERT_OK(st->ops->fn_list(st, "p1", NULL, NULL, 1, 2, &rows, &n, &total));
    ASSERT_EQ(n, 2);
    ASSERT_EQ(total, 5);
    ASSERT_STREQ(rows[0].name, "fn1");
    ASSERT_STREQ(rows[1].name, "fn2");
    srv_fnver_free_array(rows, n);
    ASSERT_OK(st->ops->fn_list(st, "p1", NULL, "3", 0, 10, &rows, &n, &total));
    ASSERT_EQ(n, 1);
    ASSERT_EQ(total, 1);
    srv_fnver_free_array(rows, n);
    ASSERT_OK(st->ops->fn_list(st, "p1", "other", NULL, 0, 10, &rows, &n, &total));
    ASSERT_EQ(n, 0);
    ASSERT_EQ(total, 0);
    srv_fnver_free_array(rows, n);
    srv_store_close(st);
}

FGS_TEST(store, versions_code_gc_and_cascade)
{
    struct srv_store *st = open_store();
    int64_t id = create_fn(st, "hello", "code-a");
    struct srv_fnver fv, last;
    struct srv_code sc;
    struct srv_trigger t;
    struct srv_alias a;
    char da[129], db[129], *json;
    void *data;
    size_t len;

    fgs__sha512_hex(da, "code-a", 6);
    fgs__sha512_hex(db, "code-b", 6);
    ASSERT_OK(st->ops->fn_get(st, "p1", "default", "hello", "latest", &fv));
    free(fv.version);
    fv.version = strdup("v1");
    fv.seq = 1;
    ASSERT_OK(st->ops->ver_insert(st, &fv));
    ASSERT_EQ(st->ops->ver_insert(st, &fv), SRV_EEXISTS);
    ASSERT_OK(st->ops->ver_last(st, id, &last));
    ASSERT_STREQ(last.version, "v1");
    srv_fnver_dispose(&last);

    /* New latest code: both blobs stay while v1 still uses code-a. */
    free(fv.version);
    fv.version = strdup("latest");
    free(fv.digest);
    fv.digest = strdup(db);
    sc.digest = db;
    sc.data = "code-b";
    sc.len = 6;
    ASSERT_OK(st->ops->ver_update(st, &fv, &sc));
    ASSERT_OK(st->ops->code_get(st, da, &data, &len));
    ASSERT_EQ(len, 6);
    ASSERT_MEMEQ(data, "code-a", 6);
    free(data);

    memset(&t, 0, sizeof(t));
    t.trigger_id = "t1";
    t.fn_id = id;
    t.qualifier = "v1";
    t.type = "TIMER";
    t.status = "ACTIVE";
    t.event_data = "{}";
    ASSERT_OK(st->ops->trigger_put(st, &t, 1));
    ASSERT_OK(st->ops->extra_put(st, id, "v1", "async_config", "{\"a\":1}"));
    ASSERT_OK(st->ops->extra_get(st, id, "v1", "async_config", &json));
    ASSERT_STREQ(json, "{\"a\":1}");
    free(json);

    /* Deleting v1 drops its trigger, its extras and the now-unused blob. */
    ASSERT_OK(st->ops->ver_delete(st, id, "v1"));
    ASSERT_EQ(st->ops->trigger_get(st, id, "TIMER", "t1", &t), SRV_ENOTFOUND);
    ASSERT_EQ(st->ops->extra_get(st, id, "v1", "async_config", &json), SRV_ENOTFOUND);
    ASSERT_EQ(st->ops->code_get(st, da, &data, &len), SRV_ENOTFOUND);
    ASSERT_EQ(st->ops->ver_delete(st, id, "latest"), SRV_ENOTFOUND);

    memset(&a, 0, sizeof(a));
    a.fn_id = id;
    a.name = "dev";
    a.version = "latest";
    ASSERT_OK(st->ops->alias_put(st, &a, 1));
    ASSERT_EQ(st->ops->alias_put(st, &a, 1), SRV_EEXISTS);
    a.name = "ghost";
    ASSERT_EQ(st->ops->alias_put(st, &a, 0), SRV_ENOTFOUND);

    /* Deleting the function cascades to everything and frees its code. */
    ASSERT_OK(st->ops->fn_delete(st, id));
    ASSERT_EQ(st->ops->alias_get(st, id, "dev", &a), SRV_ENOTFOUND);
    ASSERT_EQ(st->ops->code_get(st, db, &data, &len), SRV_ENOTFOUND);
    ASSERT_EQ(st->ops->fn_delete(st, id), SRV_ENOFUNC);
    srv_fnver_dispose(&fv);
    srv_store_close(st);
}

FGS_TEST(store, survives_reopen)
{
    struct srv_store *st = open_store();
    struct srv_fnver fv;
    char *v;

    create_fn(st, "kept", "x");
    ASSERT_OK(st->ops->meta_set(st, "k", "v"));
    srv_store_close(st);
    st = open_store();
    ASSERT_OK(st->ops->fn_get(st, "p1", "default", "kept", "latest", &fv));
    srv_fnver_dispose(&fv);
    ASSERT_OK(st->ops->meta_get(st, "k", &v));
    ASSERT_STREQ(v, "v");
    free(v);
    ASSERT_EQ(st->ops->meta_get(st, "missing", &v), SRV_ENOTFOUND);
    srv_store_close(st);
}

FGS_TEST(store, publish_is_atomic_and_checked)
{
    struct srv_store *st = open_store();
    int64_t id = create_fn(st, "pub", "code-1");
    struct srv_publish p = { NULL, "first", NULL, 2, 1704164645000LL };
    struct srv_fnver out, latest;
    char *first;

    ASSERT_OK(st->ops->ver_publish(st, id, &p, &out));
    ASSERT_EQ(out.seq, 1);
    ASSERT_EQ(strncmp(out.version, "v20240102-", 10), 0);
    ASSERT_STREQ(out.version_desc, "first");
    first = strdup(out.version);
    srv_fnver_dispose(&out);

    /* Nothing changed: refused, naming the version it equals. */
    ASSERT_EQ(st->ops->ver_publish(st, id, &p, &out), SRV_EUNCHANGED);
    ASSERT_STREQ(out.version, first);
    srv_fnver_dispose(&out);

    /* Change latest, then publish in the same second: a suffixed name. */
    ASSERT_OK(st->ops->fn_get(st, "p1", "default", "pub", "latest", &latest));
    free(latest.config);
    latest.config = strdup("{\"runtime\":\"Python3.10\"}");
    ASSERT_OK(st->ops->ver_update(st, &latest, NULL));
    p.expect_digest = "not-the-digest";
    ASSERT_EQ(st->ops->ver_publish(st, id, &p, &out), SRV_ECONFLICT);
    ASSERT_STREQ(out.digest, latest.digest);
    srv_fnver_dispose(&out);
    p.expect_digest = latest.digest;
    ASSERT_OK(st->ops->ver_publish(st, id, &p, &out));
    ASSERT_EQ(out.seq, 2);
    ASSERT_EQ(strlen(out.version), strlen(first) + 2);
    ASSERT_EQ(strncmp(out.version, first, strlen(first)), 0);
    srv_fnver_dispose(&out);

    /* Quota of 2 published versions reached. */
    free(latest.config);
    latest.config = strdup("{\"runtime\":\"Python3.12\"}");
    ASSERT_OK(st->ops->ver_update(st, &latest, NULL));
    p.expect_digest = NULL;
    ASSERT_EQ(st->ops->ver_publish(st, id, &p, &out), SRV_EQUOTA);
    p.max_versions = 10;
    p.name = "v1";
    ASSERT_OK(st->ops->ver_publish(st, id, &p, &out));
    ASSERT_STREQ(out.version, "v1");
    srv_fnver_dispose(&out);
    latest.config[5] = 'X';
    ASSERT_OK(st->ops->ver_update(st, &latest, NULL));
    ASSERT_EQ(st->ops->ver_publish(st, id, &p, &out), SRV_EEXISTS);
    ASSERT_EQ(st->ops->ver_publish(st, 9999, &p, &out), SRV_ENOFUNC);
    srv_fnver_dispose(&latest);
    free(first);
    srv_store_close(st);
}

FGS_TEST_LIST(T(store, create_get_and_duplicates), T(store, publish_is_atomic_and_checked), T(store, list_pages_and_filters),
              T(store, versions_code_gc_and_cascade), T(store, survives_reopen));
