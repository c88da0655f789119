/*
 * store.h - the storage interface of fgsd.
 *
 * Everything the server persists goes through struct srv_store: functions and
 * their versions (latest plus published snapshots), code packages
 * (content-addressed by SHA-512), aliases, triggers and per-function extras.
 * The SQLite backend (sqlite.c) is the default; a PostgreSQL backend can
 * implement the same ops table.
 *
 * Every op is atomic: it either commits completely or changes nothing. Ops
 * return SRV_OK or a negative SRV_E* code. Structs filled by an op own their
 * strings; release them with the matching _dispose().
 *
 * Thread-safety: a store may be used from several threads at once; the
 * backend serialises what it must.
 */
#ifndef SRV_STORE_H
#define SRV_STORE_H

#include <stddef.h>
#include <stdint.h>

enum {
    SRV_OK = 0,
    SRV_ERROR = -1,     /* I/O or database failure; already logged */
    SRV_ENOTFOUND = -2, /* the row asked for does not exist */
    SRV_EEXISTS = -3,   /* a unique key is taken */
    SRV_ENOFUNC = -4,   /* the function itself does not exist */
    SRV_EUNCHANGED = -5, /* publish: latest equals the last published version */
    SRV_ECONFLICT = -6, /* publish: latest's digest is not the one expected */
    SRV_EQUOTA = -7,    /* publish: the version quota is used up */
};

/* What to publish; latest's row is copied as it is when the transaction runs. */
struct srv_publish {
    const char *name;          /* explicit version name, NULL to generate v%Y%m%d-%H%M%S */
    const char *description;   /* may be NULL */
    const char *expect_digest; /* latest's digest must equal this; NULL for any */
    int64_t max_versions;      /* published versions allowed */
    int64_t now_ms;            /* publish time */
};

/* One version row of one function: "latest" or a published snapshot. */
struct srv_fnver {
    int64_t fn_id;         /* internal function id (creation order) */
    char *project;         /* project id (namespace) */
    char *package;         /* package (app) name */
    char *name;            /* function name */
    char *func_id;         /* public function id (uuid) */
    int64_t created_ms;    /* function creation time */
    char *version;         /* "latest" or the published name */
    int64_t seq;           /* 0 for latest, publish order for versions */
    char *config;          /* JSON object text: runtime, handler, code_type, ... */
    char *digest;          /* SHA-512 hex of the code package */
    int64_t code_size;     /* bytes of the code package */
    char *version_desc;    /* publish description, may be NULL */
    int64_t modified_ms;   /* last change of this row */
};

/* A code package to store with a write; NULL when the code is unchanged. */
struct srv_code {
    const char *digest; /* SHA-512 hex of data */
    const void *data;
    size_t len;
};

struct srv_alias {
    int64_t fn_id;
    char *name;
    char *version;     /* main version */
    char *description; /* may be NULL */
    char *weights;     /* JSON object text of additional_version_weights, may be NULL */
    char *strategy;    /* JSON object text of additional_version_strategy, may be NULL */
    int64_t modified_ms;
};

struct srv_trigger {
    char *trigger_id;      /* uuid */
    int64_t fn_id;
    char *qualifier;       /* "latest", a version name or an alias name */
    char *type;            /* trigger_type_code, e.g. TIMER */
    char *status;          /* ACTIVE | DISABLED */
    char *event_type_code; /* may be NULL */
    char *event_data;      /* JSON object text */
    int64_t created_ms;
    int64_t updated_ms;
};

struct srv_store;

struct srv_store_ops {
    const char *name;
    void (*close)(struct srv_store *st);

    int (*meta_get)(struct srv_store *st, const char *key, char **value_out);
    int (*meta_set)(struct srv_store *st, const char *key, const char *value);

    /* Creates the function with its latest row; fills fv->fn_id. EEXISTS if the name is taken. */
    int (*fn_create)(struct srv_store *st, struct srv_fnver *fv, const struct srv_code *code);
    /* One version row; ENOFUNC when the function is missing, ENOTFOUND when the version is. */
    int (*fn_get)(struct srv_store *st, const char *project, const char *package,
                  const char *name, const char *version, struct srv_fnver *out);
    /* Latest rows of a project's functions in creation order; *total counts all matches. */
    int (*fn_list)(struct srv_store *st, const char *project, const char *package,
                   const char *name_like, int64_t offset, int64_t limit,
                   struct srv_fnver **out, size_t *n, int64_t *total);
    int (*fn_count)(struct srv_store *st, const char *project, int64_t *out);
    /* Deletes the function, all its versions, aliases, triggers and extras. */
    int (*fn_delete)(struct srv_store *st, int64_t fn_id);

    /* Rewrites config/digest/code_size/modified of (fv->fn_id, fv->version). */
    int (*ver_update)(struct srv_store *st, const struct srv_fnver *fv,
                      const struct srv_code *code);
    /* Inserts a published version row. EEXISTS if the name is taken. */
    int (*ver_insert)(struct srv_store *st, const struct srv_fnver *fv);
    /*
     * Publishes latest atomically: checks the expected digest (ECONFLICT,
     * out->digest = latest's), that something changed since the last
     * version (EUNCHANGED, out->version = that version), the quota (EQUOTA)
     * and the name (EEXISTS for a taken explicit name; a generated name
     * that is taken gets "-1", "-2", ... appended), then inserts the copy
     * with the next publish order. Fills out with the new row.
     */
    int (*ver_publish)(struct srv_store *st, int64_t fn_id, const struct srv_publish *p,
                       struct srv_fnver *out);
    /* All version rows, latest first then in publish order. */
    int (*ver_list)(struct srv_store *st, int64_t fn_id, int64_t offset, int64_t limit,
                    struct srv_fnver **out, size_t *n, int64_t *total);
    /* The most recently published version; ENOTFOUND if none. */
    int (*ver_last)(struct srv_store *st, int64_t fn_id, struct srv_fnver *out);
    /* Deletes a published version with its triggers and extras. */
    int (*ver_delete)(struct srv_store *st, int64_t fn_id, const char *version);

    /* The code package with this digest (malloc'd into *data). */
    int (*code_get)(struct srv_store *st, const char *digest, void **data, size_t *len);

    /* create != 0: insert (EEXISTS if present); else update (ENOTFOUND if absent). */
    int (*alias_put)(struct srv_store *st, const struct srv_alias *a, int create);
    int (*alias_get)(struct srv_store *st, int64_t fn_id, const char *name,
                     struct srv_alias *out);
    int (*alias_list)(struct srv_store *st, int64_t fn_id, struct srv_alias **out, size_t *n);
    /* Deletes the alias with its triggers and extras. */
    int (*alias_delete)(struct srv_store *st, int64_t fn_id, const char *name);

    int (*trigger_put)(struct srv_store *st, const struct srv_trigger *t, int create);
    int (*trigger_get)(struct srv_store *st, int64_t fn_id, const char *type, const char *id,
                       struct srv_trigger *out);
    /* qualifier NULL lists every trigger of the function; fn_id < 0 lists all functions'. */
    int (*trigger_list)(struct srv_store *st, int64_t fn_id, const char *qualifier,
                        struct srv_trigger **out, size_t *n);
    /* Every trigger of one type in a project (all its functions and qualifiers). */
    int (*trigger_list_project)(struct srv_store *st, const char *project, const char *type,
                                struct srv_trigger **out, size_t *n);
    int (*trigger_delete)(struct srv_store *st, int64_t fn_id, const char *type, const char *id);
    /* qualifier NULL deletes every trigger of the function. */
    int (*trigger_delete_all)(struct srv_store *st, int64_t fn_id, const char *qualifier);

    /* Per (function, qualifier) JSON documents: "async_config", "reserved", ... */
    int (*extra_get)(struct srv_store *st, int64_t fn_id, const char *qualifier,
                     const char *kind, char **json_out);
    int (*extra_put)(struct srv_store *st, int64_t fn_id, const char *qualifier,
                     const char *kind, const char *json);
    int (*extra_delete)(struct srv_store *st, int64_t fn_id, const char *qualifier,
                        const char *kind);
};

struct srv_store {
    const struct srv_store_ops *ops;
    uint64_t gen; /* bumped (atomically) after every committed write */
};

/* The store's write generation: any change in between makes it differ. */
static inline uint64_t srv_store_gen(struct srv_store *st)
{
    return __atomic_load_n(&st->gen, __ATOMIC_ACQUIRE);
}

/*
 * Opens the SQLite store in dir (created if needed), migrating its schema.
 * Returns NULL on failure (logged).
 */
struct srv_store *srv_store_sqlite_open(const char *dir);
/* Opens the backend a URL names: "sqlite:DIR" or a plain directory. */
struct srv_store *srv_store_open(const char *spec, const char *data_dir);
void srv_store_close(struct srv_store *st);

void srv_fnver_dispose(struct srv_fnver *fv);
void srv_fnver_free_array(struct srv_fnver *arr, size_t n);
void srv_alias_dispose(struct srv_alias *a);
void srv_alias_free_array(struct srv_alias *arr, size_t n);
void srv_trigger_dispose(struct srv_trigger *t);
void srv_trigger_free_array(struct srv_trigger *arr, size_t n);

#endif
