/*
 * sqlite.c - the SQLite backend of store.h.
 *
 * One database file (fgs.db) in WAL mode with synchronous=NORMAL: a committed
 * transaction is in the WAL before the op returns, so a kill -9 of fgsd at
 * any moment loses no acknowledged write (a power cut may lose the last few;
 * set FGS_SQLITE_SYNC=FULL to trade throughput for that). Each op is one
 * transaction; one connection is shared behind a mutex and prepared
 * statements are cached per SQL text.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sqlite3.h>
#include "store/store.h"
#include "util/log.h"
#include "util/timefmt.h"

#define STMT_CACHE 64

struct sqlite_store {
    struct srv_store base;
    sqlite3 *db;
    pthread_mutex_t lock;
    struct {
        const char *sql; /* identity of the cached statement (string literal) */
        sqlite3_stmt *stmt;
    } cache[STMT_CACHE];
};

/* Migrations: index i upgrades schema version i to i+1. Append only. */
static const char *const migrations[] = {
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE functions(id INTEGER PRIMARY KEY AUTOINCREMENT, project TEXT NOT NULL,"
    " package TEXT NOT NULL, name TEXT NOT NULL, func_id TEXT NOT NULL,"
    " created_ms INTEGER NOT NULL, UNIQUE(project, package, name));"
    "CREATE TABLE versions(fn_id INTEGER NOT NULL REFERENCES functions(id) ON DELETE CASCADE,"
    " version TEXT NOT NULL, seq INTEGER NOT NULL, config TEXT NOT NULL, digest TEXT NOT NULL,"
    " code_size INTEGER NOT NULL, description TEXT, modified_ms INTEGER NOT NULL,"
    " PRIMARY KEY(fn_id, version));"
    "CREATE INDEX versions_digest ON versions(digest);"
    "CREATE TABLE code(digest TEXT PRIMARY KEY, data BLOB NOT NULL);"
    "CREATE TABLE aliases(fn_id INTEGER NOT NULL REFERENCES functions(id) ON DELETE CASCADE,"
    " name TEXT NOT NULL, version TEXT NOT NULL, description TEXT, weights TEXT, strategy TEXT,"
    " modified_ms INTEGER NOT NULL, PRIMARY KEY(fn_id, name));"
    "CREATE TABLE triggers(trigger_id TEXT PRIMARY KEY,"
    " fn_id INTEGER NOT NULL REFERENCES functions(id) ON DELETE CASCADE,"
    " qualifier TEXT NOT NULL, type TEXT NOT NULL, status TEXT NOT NULL, event_type_code TEXT,"
    " event_data TEXT NOT NULL, created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL);"
    "CREATE INDEX triggers_fn ON triggers(fn_id, qualifier);"
    "CREATE TABLE extras(fn_id INTEGER NOT NULL REFERENCES functions(id) ON DELETE CASCADE,"
    " qualifier TEXT NOT NULL, kind TEXT NOT NULL, doc TEXT NOT NULL,"
    " PRIMARY KEY(fn_id, qualifier, kind));",
    /* 2: a version is the main version of at most one alias (FSS.1066), enforced. */
    "CREATE UNIQUE INDEX aliases_version ON aliases(fn_id, version);",
};

#define FNVER_COLS                                                                                 \
    "f.id, f.project, f.package, f.name, f.func_id, f.created_ms, v.version, v.seq, v.config,"     \
    " v.digest, v.code_size, v.description, v.modified_ms"

static struct sqlite_store *S(struct srv_store *st)
{
    return (struct sqlite_store *)st;
}

static int db_fail(struct sqlite_store *s, const char *what)
{
    log_error("sqlite: %s: %s", what, sqlite3_errmsg(s->db));
    return SRV_ERROR;
}

/* Returns the cached, reset statement for sql (a string literal), or NULL. */
static sqlite3_stmt *prep(struct sqlite_store *s, const char *sql)
{
    int i;

    for (i = 0; i < STMT_CACHE && s->cache[i].sql; i++) {
        if (s->cache[i].sql == sql) {
            sqlite3_reset(s->cache[i].stmt);
            sqlite3_clear_bindings(s->cache[i].stmt);
            return s->cache[i].stmt;
        }
    }
    if (i == STMT_CACHE) {
        log_error("sqlite: statement cache full");
        return NULL;
    }
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->cache[i].stmt, NULL)) {
        db_fail(s, sql);
        return NULL;
    }
    s->cache[i].sql = sql;
    return s->cache[i].stmt;
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static char *col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);

    return t ? strdup((const char *)t) : NULL;
}

static int exec(struct sqlite_store *s, const char *sql)
{
    char *err = NULL;

    if (sqlite3_exec(s->db, sql, NULL, NULL, &err) != SQLITE_OK) {
        log_error("sqlite: %s: %s", sql, err ? err : "?");
        sqlite3_free(err);
        return SRV_ERROR;
    }
    return SRV_OK;
}

/* Runs a statement expected to produce no rows; maps constraint failures to EEXISTS. */
static int step_done(struct sqlite_store *s, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);

    if (rc == SQLITE_DONE)
        return SRV_OK;
    if (rc == SQLITE_CONSTRAINT)
        return SRV_EEXISTS;
    return db_fail(s, sqlite3_sql(st));
}

static void lock(struct sqlite_store *s)
{
    pthread_mutex_lock(&s->lock);
}

static void unlock(struct sqlite_store *s)
{
    pthread_mutex_unlock(&s->lock);
}

static int begin(struct sqlite_store *s)
{
    lock(s);
    if (exec(s, "BEGIN IMMEDIATE") < 0) {
        unlock(s);
        return SRV_ERROR;
    }
    return SRV_OK;
}

/* Commits when rc >= 0, else rolls back; releases the lock; returns rc. */
static int finish(struct sqlite_store *s, int rc)
{
    if (rc >= 0) {
        if (exec(s, "COMMIT") < 0) {
            exec(s, "ROLLBACK");
            rc = SRV_ERROR;
        }
        __atomic_add_fetch(&s->base.gen, 1, __ATOMIC_RELEASE);
    } else {
        exec(s, "ROLLBACK");
    }
    unlock(s);
    return rc;
}

static void read_fnver(sqlite3_stmt *st, struct srv_fnver *fv)
{
    fv->fn_id = sqlite3_column_int64(st, 0);
    fv->project = col_text(st, 1);
    fv->package = col_text(st, 2);
    fv->name = col_text(st, 3);
    fv->func_id = col_text(st, 4);
    fv->created_ms = sqlite3_column_int64(st, 5);
    fv->version = col_text(st, 6);
    fv->seq = sqlite3_column_int64(st, 7);
    fv->config = col_text(st, 8);
    fv->digest = col_text(st, 9);
    fv->code_size = sqlite3_column_int64(st, 10);
    fv->version_desc = col_text(st, 11);
    fv->modified_ms = sqlite3_column_int64(st, 12);
}

static int put_code(struct sqlite_store *s, const struct srv_code *code)
{
    sqlite3_stmt *st;

    if (!code)
        return SRV_OK;
    st = prep(s, "INSERT OR IGNORE INTO code(digest, data) VALUES(?, ?)");
    if (!st)
        return SRV_ERROR;
    bind_text(st, 1, code->digest);
    sqlite3_bind_blob64(st, 2, code->data ? code->data : "", code->len, SQLITE_STATIC);
    return step_done(s, st);
}

/* Drops code packages that no version refers to any more. */
static int gc_code(struct sqlite_store *s)
{
    sqlite3_stmt *st = prep(s, "DELETE FROM code WHERE digest NOT IN (SELECT digest FROM versions)");

    return st ? step_done(s, st) : SRV_ERROR;
}

static int s_meta_get(struct srv_store *base, const char *key, char **value_out)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st;
    int rc;

    *value_out = NULL;
    lock(s);
    st = prep(s, "SELECT value FROM meta WHERE key = ?");
    if (!st) {
        unlock(s);
        return SRV_ERROR;
    }
    bind_text(st, 1, key);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *value_out = col_text(st, 0);
        rc = SRV_OK;
    } else {
        rc = rc == SQLITE_DONE ? SRV_ENOTFOUND : db_fail(s, "meta_get");
    }
    sqlite3_reset(st);
    unlock(s);
    return rc;
}

static int s_meta_set(struct srv_store *base, const char *key, const char *value)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st;
    int rc;

    if (begin(s) < 0)
        return SRV_ERROR;
    st = prep(s, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)");
    rc = SRV_ERROR;
    if (st) {
        bind_text(st, 1, key);
        bind_text(st, 2, value);
        rc = step_done(s, st);
    }
    return finish(s, rc);
}

static int insert_version(struct sqlite_store *s, const struct srv_fnver *fv)
{
    sqlite3_stmt *st = prep(s, "INSERT INTO versions(fn_id, version, seq, config, digest,"
                               " code_size, description, modified_ms) VALUES(?,?,?,?,?,?,?,?)");

    if (!st)
        return SRV_ERROR;
    sqlite3_bind_int64(st, 1, fv->fn_id);
    bind_text(st, 2, fv->version);
    sqlite3_bind_int64(st, 3, fv->seq);
    bind_text(st, 4, fv->config);
    bind_text(st, 5, fv->digest);
    sqlite3_bind_int64(st, 6, fv->code_size);
    bind_text(st, 7, fv->version_desc);
    sqlite3_bind_int64(st, 8, fv->modified_ms);
    return step_done(s, st);
}

static int s_fn_create(struct srv_store *base, struct srv_fnver *fv, const struct srv_code *code)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st;
    int rc;

    if (begin(s) < 0)
        return SRV_ERROR;
    rc = SRV_ERROR;
    st = prep(s, "INSERT INTO functions(project, package, name, func_id, created_ms)"
                 " VALUES(?,?,?,?,?)");
    if (!st)
        goto done;
    bind_text(st, 1, fv->project);
    bind_text(st, 2, fv->package);
    bind_text(st, 3, fv->name);
    bind_text(st, 4, fv->func_id);
    sqlite3_bind_int64(st, 5, fv->created_ms);
    rc = step_done(s, st);
    if (rc < 0)
        goto done;
    fv->fn_id = sqlite3_last_insert_rowid(s->db);
    rc = put_code(s, code);
    if (rc == SRV_OK)
        rc = insert_version(s, fv);
done:
    return finish(s, rc);
}

static int s_fn_get(struct srv_store *base, const char *project, const char *package,
                    const char *name, const char *version, struct srv_fnver *out)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st;
    int rc;

    memset(out, 0, sizeof(*out));
    lock(s);
    st = prep(s, "SELECT " FNVER_COLS ", v.fn_id IS NOT NULL FROM functions f"
                 " LEFT JOIN versions v ON v.fn_id = f.id AND v.version = ?4"
                 " WHERE f.project = ?1 AND f.package = ?2 AND f.name = ?3");
    if (!st) {
        unlock(s);
        return SRV_ERROR;
    }
    bind_text(st, 1, project);
    bind_text(st, 2, package);
    bind_text(st, 3, name);
    bind_text(st, 4, version);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        if (sqlite3_column_int(st, 13)) {
            read_fnver(st, out);
            rc = SRV_OK;
        } else {
            out->fn_id = sqlite3_column_int64(st, 0);
            rc = SRV_ENOTFOUND;
        }
    } else {
        rc = rc == SQLITE_DONE ? SRV_ENOFUNC : db_fail(s, "fn_get");
    }
    sqlite3_reset(st);
    unlock(s);
    return rc;
}

/* Collects every row of a prepared fnver query into a malloc'd array. */
static int collect_fnvers(struct sqlite_store *s, sqlite3_stmt *st, struct srv_fnver **out,
                          size_t *n)
{
    struct srv_fnver *arr = NULL;
    size_t cnt = 0, cap = 0;
    int rc;

    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (cnt == cap) {
            struct srv_fnver *p;

            cap = cap ? cap * 2 : 16;
            p = realloc(arr, cap * sizeof(*arr));
            if (!p) {
                srv_fnver_free_array(arr, cnt);
                return SRV_ERROR;
            }
            arr = p;
        }
        memset(&arr[cnt], 0, sizeof(arr[cnt]));
        read_fnver(st, &arr[cnt++]);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        srv_fnver_free_array(arr, cnt);
        return db_fail(s, "list");
    }
    *out = arr;
    *n = cnt;
    return SRV_OK;
}

static int s_fn_list(struct srv_store *base, const char *project, const char *package,
                     const char *name_like, int64_t offset, int64_t limit,
                     struct srv_fnver **out, size_t *n, int64_t *total)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st;
    int rc = SRV_ERROR;

    *out = NULL;
    *n = 0;
    *total = 0;
    lock(s);
    st = prep(s, "SELECT count(*) FROM functions WHERE project = ?1"
                 " AND (?2 IS NULL OR package = ?2) AND (?3 IS NULL OR instr(name, ?3) > 0)");
    if (!st)
        goto done;
    bind_text(st, 1, project);
    bind_text(st, 2, package);
    bind_text(st, 3, name_like);
    if (sqlite3_step(st) != SQLITE_ROW) {
        rc = db_fail(s, "fn_list count");
        goto done;
    }
    *total = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    st = prep(s, "SELECT " FNVER_COLS " FROM functions f JOIN versions v"
                 " ON v.fn_id = f.id AND v.version = 'latest' WHERE f.project = ?1"
                 " AND (?2 IS NULL OR f.package = ?2) AND (?3 IS NULL OR instr(f.name, ?3) > 0)"
                 " ORDER BY f.id LIMIT ?4 OFFSET ?5");
    if (!st)
        goto done;
    bind_text(st, 1, project);
    bind_text(st, 2, package);
    bind_text(st, 3, name_like);
    sqlite3_bind_int64(st, 4, limit);
    sqlite3_bind_int64(st, 5, offset);
    rc = collect_fnvers(s, st, out, n);
done:
    unlock(s);
    return rc;
}

static int s_fn_count(struct srv_store *base, const char *project, int64_t *out)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st;
    int rc = SRV_ERROR;

    lock(s);
    st = prep(s, "SELECT count(*) FROM functions WHERE project = ?");
    if (st) {
        bind_text(st, 1, project);
        if (sqlite3_step(st) == SQLITE_ROW) {
            *out = sqlite3_column_int64(st, 0);
            rc = SRV_OK;
        } else {
            rc = db_fail(s, "fn_count");
        }
        sqlite3_reset(st);
    }
    unlock(s);
    return rc;
}

static int s_fn_delete(struct srv_store *base, int64_t fn_id)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st;
    int rc = SRV_ERROR;

    if (begin(s) < 0)
        return SRV_ERROR;
    st = prep(s, "DELETE FROM functions WHERE id = ?");
    if (st) {
        sqlite3_bind_int64(st, 1, fn_id);
        rc = step_done(s, st);
        if (rc == SRV_OK && sqlite3_changes(s->db) == 0)
            rc = SRV_ENOFUNC;
    }
    if (rc == SRV_OK)
        rc = gc_code(s);
    return finish(s, rc);
}

static int s_ver_update(struct srv_store *base, const struct srv_fnver *fv,
                        const struct srv_code *code)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st;
    int rc;

    if (begin(s) < 0)
        return SRV_ERROR;
    rc = put_code(s, code);
    if (rc < 0)
        goto done;
    rc = SRV_ERROR;
    st = prep(s, "UPDATE versions SET config = ?3, digest = ?4, code_size = ?5,"
                 " modified_ms = ?6 WHERE fn_id = ?1 AND version = ?2");
    if (!st)
        goto done;
    sqlite3_bind_int64(st, 1, fv->fn_id);
    bind_text(st, 2, fv->version);
    bind_text(st, 3, fv->config);
    bind_text(st, 4, fv->digest);
    sqlite3_bind_int64(st, 5, fv->code_size);
    sqlite3_bind_int64(st, 6, fv->modified_ms);
    rc = step_done(s, st);
    if (rc == SRV_OK && sqlite3_changes(s->db) == 0)
        rc = SRV_ENOTFOUND;
    if (rc == SRV_OK && code)
        rc = gc_code(s);
done:
    return finish(s, rc);
}

static int s_ver_insert(struct srv_store *base, const struct srv_fnver *fv)
{
    struct sqlite_store *s = S(base);

    if (begin(s) < 0)
        return SRV_ERROR;
    return finish(s, insert_version(s, fv));
}

/* One version row of fn_id inside the current transaction. */
static int row_in_txn(struct sqlite_store *s, int64_t fn_id, const char *version, int last,
                      struct srv_fnver *out)
{
    sqlite3_stmt *st;
    int rc;

    if (last)
        st = prep(s, "SELECT " FNVER_COLS " FROM functions f JOIN versions v ON v.fn_id = f.id"
                     " WHERE f.id = ?1 AND v.seq > 0 ORDER BY v.seq DESC LIMIT 1");
    else
        st = prep(s, "SELECT " FNVER_COLS " FROM functions f JOIN versions v ON v.fn_id = f.id"
                     " WHERE f.id = ?1 AND v.version = ?2");
    if (!st)
        return SRV_ERROR;
    sqlite3_bind_int64(st, 1, fn_id);
    if (!last)
        bind_text(st, 2, version);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_fnver(st, out);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return SRV_OK;
    return rc == SQLITE_DONE ? SRV_ENOTFOUND : db_fail(s, "publish read");
}

static bool same_text(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

static int s_ver_publish(struct srv_store *base, int64_t fn_id, const struct srv_publish *p,
                         struct srv_fnver *out)
{
    struct sqlite_store *s = S(base);
    struct srv_fnver last;
    sqlite3_stmt *st;
    char name[64], stem[48];
    int64_t published = 0;
    int rc, i;

    memset(out, 0, sizeof(*out));
    memset(&last, 0, sizeof(last));
    if (begin(s) < 0)
        return SRV_ERROR;
    rc = row_in_txn(s, fn_id, "latest", 0, out);
    if (rc == SRV_ENOTFOUND)
        rc = SRV_ENOFUNC;
    if (rc < 0)
        goto done;
    if (p->expect_digest && !same_text(p->expect_digest, out->digest)) {
        rc = SRV_ECONFLICT;
        goto done;
    }
    rc = row_in_txn(s, fn_id, NULL, 1, &last);
    if (rc == SRV_OK && same_text(last.config, out->config) &&
        same_text(last.digest, out->digest)) {
        free(out->version);
        out->version = last.version;
        last.version = NULL;
        rc = SRV_EUNCHANGED;
        goto done;
    }
    if (rc < 0 && rc != SRV_ENOTFOUND)
        goto done;
    st = prep(s, "SELECT count(*) FROM versions WHERE fn_id = ? AND seq > 0");
    rc = SRV_ERROR;
    if (!st)
        goto done;
    sqlite3_bind_int64(st, 1, fn_id);
    if (sqlite3_step(st) == SQLITE_ROW)
        published = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (published >= p->max_versions) {
        rc = SRV_EQUOTA;
        goto done;
    }
    out->seq = last.seq + 1;
    out->modified_ms = p->now_ms;
    free(out->version_desc);
    out->version_desc = p->description ? strdup(p->description) : NULL;
    fgs__time_version_name(stem, sizeof(stem), p->now_ms);
    for (i = 0; i < 100; i++) {
        if (p->name)
            snprintf(name, sizeof(name), "%s", p->name);
        else if (i == 0)
            snprintf(name, sizeof(name), "%s", stem);
        else
            snprintf(name, sizeof(name), "%s-%d", stem, i);
        free(out->version);
        out->version = strdup(name);
        rc = out->version ? insert_version(s, out) : SRV_ERROR;
        if (rc != SRV_EEXISTS || p->name)
            break;
    }
done:
    srv_fnver_dispose(&last);
    if (rc < 0 && rc != SRV_EUNCHANGED && rc != SRV_ECONFLICT) {
        finish(s, rc);
        srv_fnver_dispose(out);
        return rc;
    }
    return finish(s, rc);
}

static int s_ver_list(struct srv_store *base, int64_t fn_id, int64_t offset, int64_t limit,
                      struct srv_fnver **out, size_t *n, int64_t *total)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st;
    int rc = SRV_ERROR;

    *out = NULL;
    *n = 0;
    *total = 0;
    lock(s);
    st = prep(s, "SELECT count(*) FROM versions WHERE fn_id = ?");
    if (!st)
        goto done;
    sqlite3_bind_int64(st, 1, fn_id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        rc = db_fail(s, "ver_list count");
        goto done;
    }
    *total = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    st = prep(s, "SELECT " FNVER_COLS " FROM functions f JOIN versions v ON v.fn_id = f.id"
                 " WHERE f.id = ?1 ORDER BY v.seq LIMIT ?2 OFFSET ?3");
    if (!st)
        goto done;
    sqlite3_bind_int64(st, 1, fn_id);
    sqlite3_bind_int64(st, 2, limit);
    sqlite3_bind_int64(st, 3, offset);
    rc = collect_fnvers(s, st, out, n);
done:
    unlock(s);
    return rc;
}

static int s_ver_last(struct srv_store *base, int64_t fn_id, struct srv_fnver *out)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st;
    int rc = SRV_ERROR;

    memset(out, 0, sizeof(*out));
    lock(s);
    st = prep(s, "SELECT " FNVER_COLS " FROM functions f JOIN versions v ON v.fn_id = f.id"
                 " WHERE f.id = ?1 AND v.seq > 0 ORDER BY v.seq DESC LIMIT 1");
    if (st) {
        sqlite3_bind_int64(st, 1, fn_id);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            read_fnver(st, out);
            rc = SRV_OK;
        } else {
            rc = rc == SQLITE_DONE ? SRV_ENOTFOUND : db_fail(s, "ver_last");
        }
        sqlite3_reset(st);
    }
    unlock(s);
    return rc;
}

/* Deletes the triggers and extras bound to one qualifier of a function. */
static int drop_qualifier(struct sqlite_store *s, int64_t fn_id, const char *qualifier)
{
    sqlite3_stmt *st;
    int rc;

    st = prep(s, "DELETE FROM triggers WHERE fn_id = ? AND qualifier = ?");
    if (!st)
        return SRV_ERROR;
    sqlite3_bind_int64(st, 1, fn_id);
    bind_text(st, 2, qualifier);
    rc = step_done(s, st);
    if (rc < 0)
        return rc;
    st = prep(s, "DELETE FROM extras WHERE fn_id = ? AND qualifier = ?");
    if (!st)
        return SRV_ERROR;
    sqlite3_bind_int64(st, 1, fn_id);
    bind_text(st, 2, qualifier);
    return step_done(s, st);
}

static int s_ver_delete(struct srv_store *base, int64_t fn_id, const char *version)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st;
    int rc = SRV_ERROR;

    if (begin(s) < 0)
        return SRV_ERROR;
    st = prep(s, "DELETE FROM versions WHERE fn_id = ? AND version = ? AND seq > 0");
    if (st) {
        sqlite3_bind_int64(st, 1, fn_id);
        bind_text(st, 2, version);
        rc = step_done(s, st);
        if (rc == SRV_OK && sqlite3_changes(s->db) == 0)
            rc = SRV_ENOTFOUND;
    }
    if (rc == SRV_OK)
        rc = drop_qualifier(s, fn_id, version);
    if (rc == SRV_OK)
        rc = gc_code(s);
    return finish(s, rc);
}

static int s_code_get(struct srv_store *base, const char *digest, void **data, size_t *len)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st;
    int rc = SRV_ERROR;

    *data = NULL;
    *len = 0;
    lock(s);
    st = prep(s, "SELECT data FROM code WHERE digest = ?");
    if (st) {
        bind_text(st, 1, digest);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            size_t n = (size_t)sqlite3_column_bytes(st, 0);
            void *p = malloc(n + 1);

            if (p) {
                if (n)
                    memcpy(p, sqlite3_column_blob(st, 0), n);
                ((char *)p)[n] = '\0';
                *data = p;
                *len = n;
                rc = SRV_OK;
            } else {
                rc = SRV_ERROR;
            }
        } else {
            rc = rc == SQLITE_DONE ? SRV_ENOTFOUND : db_fail(s, "code_get");
        }
        sqlite3_reset(st);
    }
    unlock(s);
    return rc;
}

static void read_alias(sqlite3_stmt *st, struct srv_alias *a)
{
    a->fn_id = sqlite3_column_int64(st, 0);
    a->name = col_text(st, 1);
    a->version = col_text(st, 2);
    a->description = col_text(st, 3);
    a->weights = col_text(st, 4);
    a->strategy = col_text(st, 5);
    a->modified_ms = sqlite3_column_int64(st, 6);
}

static int s_alias_put(struct srv_store *base, const struct srv_alias *a, int create)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st;
    int rc = SRV_ERROR;

    if (begin(s) < 0)
        return SRV_ERROR;
    if (create)
        st = prep(s, "INSERT INTO aliases(fn_id, name, version, description, weights, strategy,"
                     " modified_ms) VALUES(?1,?2,?3,?4,?5,?6,?7)");
    else
        st = prep(s, "UPDATE aliases SET version = ?3, description = ?4, weights = ?5,"
                     " strategy = ?6, modified_ms = ?7 WHERE fn_id = ?1 AND name = ?2");
    if (st) {
        sqlite3_bind_int64(st, 1, a->fn_id);
        bind_text(st, 2, a->name);
        bind_text(st, 3, a->version);
        bind_text(st, 4, a->description);
        bind_text(st, 5, a->weights);
        bind_text(st, 6, a->strategy);
        sqlite3_bind_int64(st, 7, a->modified_ms);
        rc = step_done(s, st);
        if (rc == SRV_OK && !create && sqlite3_changes(s->db) == 0)
            rc = SRV_ENOTFOUND;
    }
    return finish(s, rc);
}

static int s_alias_get(struct srv_store *base, int64_t fn_id, const char *name,
                       struct srv_alias *out)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st;
    int rc = SRV_ERROR;

    memset(out, 0, sizeof(*out));
    lock(s);
    st = prep(s, "SELECT fn_id, name, version, description, weights, strategy, modified_ms"
                 " FROM aliases WHERE fn_id = ? AND name = ?");
    if (st) {
        sqlite3_bind_int64(st, 1, fn_id);
        bind_text(st, 2, name);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            read_alias(st, out);
            rc = SRV_OK;
        } else {
            rc = rc == SQLITE_DONE ? SRV_ENOTFOUND : db_fail(s, "alias_get");
        }
        sqlite3_reset(st);
    }
    unlock(s);
    return rc;
}

static int s_alias_list(struct srv_store *base, int64_t fn_id, struct srv_alias **out, size_t *n)
{
    struct sqlite_store *s = S(base);
    struct srv_alias *arr = NULL;
    size_t cnt = 0, cap = 0;
    sqlite3_stmt *st;
    int rc = SRV_ERROR;

    *out = NULL;
    *n = 0;
    lock(s);
    st = prep(s, "SELECT fn_id, name, version, description, weights, strategy, modified_ms"
                 " FROM aliases WHERE fn_id = ? ORDER BY rowid");
    if (!st)
        goto done;
    sqlite3_bind_int64(st, 1, fn_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (cnt == cap) {
            struct srv_alias *p;

            cap = cap ? cap * 2 : 8;
            p = realloc(arr, cap * sizeof(*arr));
            if (!p) {
                rc = SQLITE_NOMEM;
                break;
            }
            arr = p;
        }
        memset(&arr[cnt], 0, sizeof(arr[cnt]));
        read_alias(st, &arr[cnt++]);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        srv_alias_free_array(arr, cnt);
        rc = db_fail(s, "alias_list");
        goto done;
    }
    *out = arr;
    *n = cnt;
    rc = SRV_OK;
done:
    unlock(s);
    return rc;
}

static int s_alias_delete(struct srv_store *base, int64_t fn_id, const char *name)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st;
    int rc = SRV_ERROR;

    if (begin(s) < 0)
        return SRV_ERROR;
    st = prep(s, "DELETE FROM aliases WHERE fn_id = ? AND name = ?");
    if (st) {
        sqlite3_bind_int64(st, 1, fn_id);
        bind_text(st, 2, name);
        rc = step_done(s, st);
        if (rc == SRV_OK && sqlite3_changes(s->db) == 0)
            rc = SRV_ENOTFOUND;
    }
    if (rc == SRV_OK)
        rc = drop_qualifier(s, fn_id, name);
    return finish(s, rc);
}

#define TRIGGER_COLS                                                                               \
    "trigger_id, fn_id, qualifier, type, status, event_type_code, event_data, created_ms,"        \
    " updated_ms"

static void read_trigger(sqlite3_stmt *st, struct srv_trigger *t)
{
    t->trigger_id = col_text(st, 0);
    t->fn_id = sqlite3_column_int64(st, 1);
    t->qualifier = col_text(st, 2);
    t->type = col_text(st, 3);
    t->status = col_text(st, 4);
    t->event_type_code = col_text(st, 5);
    t->event_data = col_text(st, 6);
    t->created_ms = sqlite3_column_int64(st, 7);
    t->updated_ms = sqlite3_column_int64(st, 8);
}

static int s_trigger_put(struct srv_store *base, const struct srv_trigger *t, int create)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st;
    int rc = SRV_ERROR;

    if (begin(s) < 0)
        return SRV_ERROR;
    if (create)
        st = prep(s, "INSERT INTO triggers(" TRIGGER_COLS ") VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)");
    else
        st = prep(s, "UPDATE triggers SET status = ?5, event_type_code = ?6, event_data = ?7,"
                     " updated_ms = ?9 WHERE trigger_id = ?1 AND fn_id = ?2 AND type = ?4");
    if (st) {
        bind_text(st, 1, t->trigger_id);
        sqlite3_bind_int64(st, 2, t->fn_id);
        bind_text(st, 3, t->qualifier);
        bind_text(st, 4, t->type);
        bind_text(st, 5, t->status);
        bind_text(st, 6, t->event_type_code);
        bind_text(st, 7, t->event_data);
        sqlite3_bind_int64(st, 8, t->created_ms);
        sqlite3_bind_int64(st, 9, t->updated_ms);
        rc = step_done(s, st);
        if (rc == SRV_OK && !create && sqlite3_changes(s->db) == 0)
            rc = SRV_ENOTFOUND;
    }
    return finish(s, rc);
}

static int s_trigger_get(struct srv_store *base, int64_t fn_id, const char *type, const char *id,
                         struct srv_trigger *out)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st;
    int rc = SRV_ERROR;

    memset(out, 0, sizeof(*out));
    lock(s);
    st = prep(s, "SELECT " TRIGGER_COLS " FROM triggers WHERE fn_id = ? AND type = ?"
                 " AND trigger_id = ?");
    if (st) {
        sqlite3_bind_int64(st, 1, fn_id);
        bind_text(st, 2, type);
        bind_text(st, 3, id);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            read_trigger(st, out);
            rc = SRV_OK;
        } else {
            rc = rc == SQLITE_DONE ? SRV_ENOTFOUND : db_fail(s, "trigger_get");
        }
        sqlite3_reset(st);
    }
    unlock(s);
    return rc;
}

/* Collects every row of a prepared trigger query into a malloc'd array. */
static int collect_triggers(struct sqlite_store *s, sqlite3_stmt *st, struct srv_trigger **out,
                            size_t *n)
{
    struct srv_trigger *arr = NULL;
    size_t cnt = 0, cap = 0;
    int rc;

    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (cnt == cap) {
            struct srv_trigger *p;

            cap = cap ? cap * 2 : 8;
            p = realloc(arr, cap * sizeof(*arr));
            if (!p) {
                rc = SQLITE_NOMEM;
                break;
            }
            arr = p;
        }
        memset(&arr[cnt], 0, sizeof(arr[cnt]));
        read_trigger(st, &arr[cnt++]);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        srv_trigger_free_array(arr, cnt);
        return db_fail(s, "trigger list");
    }
    *out = arr;
    *n = cnt;
    return SRV_OK;
}

static int s_trigger_list(struct srv_store *base, int64_t fn_id, const char *qualifier,
                          struct srv_trigger **out, size_t *n)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st;
    int rc = SRV_ERROR;

    *out = NULL;
    *n = 0;
    lock(s);
    st = prep(s, "SELECT " TRIGGER_COLS " FROM triggers WHERE (?1 < 0 OR fn_id = ?1)"
                 " AND (?2 IS NULL OR qualifier = ?2) ORDER BY created_ms, rowid");
    if (st) {
        sqlite3_bind_int64(st, 1, fn_id);
        bind_text(st, 2, qualifier);
        rc = collect_triggers(s, st, out, n);
    }
    unlock(s);
    return rc;
}

static int s_trigger_list_project(struct srv_store *base, const char *project, const char *type,
                                  struct srv_trigger **out, size_t *n)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st;
    int rc = SRV_ERROR;

    *out = NULL;
    *n = 0;
    lock(s);
    st = prep(s, "SELECT t.trigger_id, t.fn_id, t.qualifier, t.type, t.status,"
                 " t.event_type_code, t.event_data, t.created_ms, t.updated_ms"
                 " FROM triggers t JOIN functions f ON f.id = t.fn_id"
                 " WHERE f.project = ?1 AND t.type = ?2 ORDER BY t.created_ms, t.rowid");
    if (st) {
        bind_text(st, 1, project);
        bind_text(st, 2, type);
        rc = collect_triggers(s, st, out, n);
    }
    unlock(s);
    return rc;
}

static int s_trigger_delete(struct srv_store *base, int64_t fn_id, const char *type,
                            const char *id)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st;
    int rc = SRV_ERROR;

    if (begin(s) < 0)
        return SRV_ERROR;
    st = prep(s, "DELETE FROM triggers WHERE fn_id = ? AND type = ? AND trigger_id = ?");
    if (st) {
        sqlite3_bind_int64(st, 1, fn_id);
        bind_text(st, 2, type);
        bind_text(st, 3, id);
        rc = step_done(s, st);
        if (rc == SRV_OK && sqlite3_changes(s->db) == 0)
            rc = SRV_ENOTFOUND;
    }
    return finish(s, rc);
}

static int s_trigger_delete_all(struct srv_store *base, int64_t fn_id, const char *qualifier)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st;
    int rc = SRV_ERROR;

    if (begin(s) < 0)
        return SRV_ERROR;
    st = prep(s, "DELETE FROM triggers WHERE fn_id = ?1 AND (?2 IS NULL OR qualifier = ?2)");
    if (st) {
        sqlite3_bind_int64(st, 1, fn_id);
        bind_text(st, 2, qualifier);
        rc = step_done(s, st);
    }
    return finish(s, rc);
}

static int s_extra_get(struct srv_store *base, int64_t fn_id, const char *qualifier,
                       const char *kind, char **json_out)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st;
    int rc = SRV_ERROR;

    *json_out = NULL;
    lock(s);
    st = prep(s, "SELECT doc FROM extras WHERE fn_id = ? AND qualifier = ? AND kind = ?");
    if (st) {
        sqlite3_bind_int64(st, 1, fn_id);
        bind_text(st, 2, qualifier);
        bind_text(st, 3, kind);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *json_out = col_text(st, 0);
            rc = SRV_OK;
        } else {
            rc = rc == SQLITE_DONE ? SRV_ENOTFOUND : db_fail(s, "extra_get");
        }
        sqlite3_reset(st);
    }
    unlock(s);
    return rc;
}

static int s_extra_put(struct srv_store *base, int64_t fn_id, const char *qualifier,
                       const char *kind, const char *json)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st;
    int rc = SRV_ERROR;

    if (begin(s) < 0)
        return SRV_ERROR;
    st = prep(s, "INSERT OR REPLACE INTO extras(fn_id, qualifier, kind, doc) VALUES(?,?,?,?)");
    if (st) {
        sqlite3_bind_int64(st, 1, fn_id);
        bind_text(st, 2, qualifier);
        bind_text(st, 3, kind);
        bind_text(st, 4, json);
        rc = step_done(s, st);
        if (rc == SRV_EEXISTS) /* foreign key: the function went away */
            rc = SRV_ENOFUNC;
    }
    return finish(s, rc);
}

static int s_extra_delete(struct srv_store *base, int64_t fn_id, const char *qualifier,
                          const char *kind)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st;
    int rc = SRV_ERROR;

    if (begin(s) < 0)
        return SRV_ERROR;
    st = prep(s, "DELETE FROM extras WHERE fn_id = ? AND qualifier = ? AND kind = ?");
    if (st) {
        sqlite3_bind_int64(st, 1, fn_id);
        bind_text(st, 2, qualifier);
        bind_text(st, 3, kind);
        rc = step_done(s, st);
        if (rc == SRV_OK && sqlite3_changes(s->db) == 0)
            rc = SRV_ENOTFOUND;
    }
    return finish(s, rc);
}

static void s_close(struct srv_store *base)
{
    struct sqlite_store *s = S(base);
    int i;

    for (i = 0; i < STMT_CACHE && s->cache[i].sql; i++)
        sqlite3_finalize(s->cache[i].stmt);
    sqlite3_close(s->db);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

static const struct srv_store_ops sqlite_ops = {
    .name = "sqlite",
    .close = s_close,
    .meta_get = s_meta_get,
    .meta_set = s_meta_set,
    .fn_create = s_fn_create,
    .fn_get = s_fn_get,
    .fn_list = s_fn_list,
    .fn_count = s_fn_count,
    .fn_delete = s_fn_delete,
    .ver_update = s_ver_update,
    .ver_insert = s_ver_insert,
    .ver_publish = s_ver_publish,
    .ver_list = s_ver_list,
    .ver_last = s_ver_last,
    .ver_delete = s_ver_delete,
    .code_get = s_code_get,
    .alias_put = s_alias_put,
    .alias_get = s_alias_get,
    .alias_list = s_alias_list,
    .alias_delete = s_alias_delete,
    .trigger_put = s_trigger_put,
    .trigger_get = s_trigger_get,
    .trigger_list = s_trigger_list,
    .trigger_list_project = s_trigger_list_project,
    .trigger_delete = s_trigger_delete,
    .trigger_delete_all = s_trigger_delete_all,
    .extra_get = s_extra_get,
    .extra_put = s_extra_put,
    .extra_delete = s_extra_delete,
};

/* Brings the schema up to the newest version, one transaction per step. */
static int migrate(struct sqlite_store *s)
{
    sqlite3_stmt *st;
    int version = 0;
    size_t i;

    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
        return db_fail(s, "user_version");
    if (sqlite3_step(st) == SQLITE_ROW)
        version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (version > (int)(sizeof(migrations) / sizeof(migrations[0]))) {
        log_error("sqlite: database schema %d is newer than this fgsd understands", version);
        return SRV_ERROR;
    }
    for (i = (size_t)version; i < sizeof(migrations) / sizeof(migrations[0]); i++) {
        char sql[64];

        if (exec(s, "BEGIN IMMEDIATE") < 0)
            return SRV_ERROR;
        snprintf(sql, sizeof(sql), "PRAGMA user_version = %zu", i + 1);
        if (exec(s, migrations[i]) < 0 || exec(s, sql) < 0) {
            exec(s, "ROLLBACK");
            return SRV_ERROR;
        }
        if (exec(s, "COMMIT") < 0)
            return SRV_ERROR;
        log_info("sqlite: schema migrated to version %zu", i + 1);
    }
    return SRV_OK;
}

struct srv_store *srv_store_sqlite_open(const char *dir)
{
    struct sqlite_store *s;
    const char *sync = getenv("FGS_SQLITE_SYNC");
    char path[4096], pragma[64];

    if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
        log_error("store: cannot create %s: %s", dir, strerror(errno));
        return NULL;
    }
    snprintf(path, sizeof(path), "%s/fgs.db", dir);
    s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    s->base.ops = &sqlite_ops;
    pthread_mutex_init(&s->lock, NULL);
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                         SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        log_error("store: cannot open %s: %s", path, s->db ? sqlite3_errmsg(s->db) : "no memory");
        goto fail;
    }
    snprintf(pragma, sizeof(pragma), "PRAGMA synchronous=%s",
             sync && strcmp(sync, "FULL") == 0 ? "FULL" : "NORMAL");
    sqlite3_busy_timeout(s->db, 5000);
    if (exec(s, "PRAGMA journal_mode=WAL") < 0 || exec(s, pragma) < 0 ||
        exec(s, "PRAGMA foreign_keys=ON") < 0 || migrate(s) < 0)
        goto fail;
    return &s->base;
fail:
    s_close(&s->base);
    return NULL;
}
