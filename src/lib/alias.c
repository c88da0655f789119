/*
 * alias.c - version aliases: create, update, read, list, delete.
 */
#include <string.h>
#include "lib/internal.h"

/* Clears the contents of an alias. */
static void alias_clear(struct fgs_alias *a)
{
    size_t i;

    for (i = 0; i < a->nweights; i++)
        fgs__free(a->weights[i].version);
    FGS_FREE(a->weights);
    a->nweights = 0;
    FGS_FREE(a->name);
    FGS_FREE(a->version);
    FGS_FREE(a->description);
    FGS_FREE(a->last_modified);
    FGS_FREE(a->alias_urn);
    FGS_FREE(a->strategy_json);
    FGS_FREE(a->raw_json);
}

/* Fills an alias from an Alias object. */
static int alias_from_json(struct fgs_alias *a, json_t *o)
{
    json_t *w = json_object_get(o, "additional_version_weights");
    const char *key;
    json_t *val;
    int rc;

    rc = fgs__jstr(&a->name, o, "name");
    if (rc == 0)
        rc = fgs__jstr(&a->version, o, "version");
    if (rc == 0)
        rc = fgs__jstr(&a->description, o, "description");
    if (rc == 0)
        rc = fgs__jstr(&a->last_modified, o, "last_modified");
    if (rc == 0)
        rc = fgs__jstr(&a->alias_urn, o, "alias_urn");
    if (rc == 0)
        rc = fgs__jdump(&a->strategy_json, o, "additional_version_strategy");
    if (rc == 0)
        rc = fgs__jtext(&a->raw_json, o);
    if (rc < 0 || !json_is_object(w) || json_object_size(w) == 0)
        return rc;
    a->weights = fgs__calloc(json_object_size(w), sizeof(*a->weights));
    if (!a->weights)
        return fgs__error_oom();
    json_object_foreach(w, key, val)
    {
        a->weights[a->nweights].weight = (int)json_integer_value(val);
        a->weights[a->nweights].version = fgs__strdup(key);
        if (!a->weights[a->nweights++].version)
            return fgs__error_oom();
    }
    return 0;
}

/* Sends a request with an Alias reply. */
static int call_alias(struct fgs_alias **out, fgs_client *c, const struct fgs__req *req)
{
    struct fgs_alias *a = NULL;
    json_t *root = NULL;
    char *raw = NULL;
    int rc;

    rc = fgs__call_json(c, req, JSON_OBJECT, &root, &raw);
    if (rc < 0)
        goto done;
    a = fgs__calloc(1, sizeof(*a));
    if (!a) {
        rc = fgs__error_oom();
        goto done;
    }
    rc = alias_from_json(a, root);
    if (rc < 0)
        goto done;
    fgs__free(a->raw_json);
    a->raw_json = raw;
    raw = NULL; /* now owned by a */
    *out = a;
    a = NULL;
done:
    fgs_alias_free(a);
    fgs__free(raw);
    json_decref(root);
    return rc;
}

/* Builds "/functions/{urn}/aliases[/{name}]". */
static int alias_path(struct fgs__buf *path, const char *urn, const char *name)
{
    int rc = fgs__function_path(path, urn, "/aliases");

    if (rc == 0 && name)
        rc = fgs__path_seg(path, "alias name", name);
    return rc;
}

/* Builds the create/update body. */
static int alias_body(json_t *o, const fgs_alias_options *opts, bool with_name)
{
    json_t *w, *strategy = NULL;
    size_t i;
    int rc;

    if (opts->version != FGS_ALIAS_OPTIONS_VERSION)
        return fgs__error_set(FGS_EINVALID, "unknown fgs_alias_options version %u",
                              opts->version);
    if (with_name && (!opts->name || !*opts->name))
        return fgs__error_set(FGS_EINVALID, "alias name is required");
    if (!opts->target_version || !*opts->target_version)
        return fgs__error_set(FGS_EINVALID, "target_version is required");
    rc = with_name ? fgs__jset_str(o, "name", opts->name) : 0;
    if (rc == 0)
        rc = fgs__jset_str(o, "version", opts->target_version);
    if (rc == 0)
        rc = fgs__jset_str(o, "description", opts->description);
    if (rc < 0)
        return rc;
    if (opts->nweights) {
        if (!opts->weights)
            return fgs__error_set(FGS_EINVALID, "weights is NULL but nweights is not 0");
        w = json_object();
        if (!w || json_object_set_new(o, "additional_version_weights", w) < 0)
            return fgs__error_oom();
        for (i = 0; i < opts->nweights; i++) {
            if (!opts->weights[i].version || !*opts->weights[i].version)
                return fgs__error_set(FGS_EINVALID, "weight %zu has no version", i);
            rc = fgs__jset_int(w, opts->weights[i].version, opts->weights[i].weight);
            if (rc < 0)
                return rc;
        }
    }
    if (opts->strategy_json) {
        rc = fgs__jparse(&strategy, "strategy_json", opts->strategy_json, JSON_OBJECT, false);
        if (rc < 0)
            return rc;
        if (json_object_set_new(o, "additional_version_strategy", strategy) < 0)
            return fgs__error_oom();
    }
    return 0;
}

/* Create (name NULL) or update an alias. */
static int alias_write(struct fgs_alias **out, fgs_client *c, const char *urn, const char *name,
                       const fgs_alias_options *opts)
{
    struct fgs__buf path = FGS__BUF_INIT;
    json_t *body = NULL;
    char *text = NULL;
    int rc;

    rc = alias_path(&path, urn, name);
    if (rc < 0)
        goto done;
    body = json_object();
    rc = body ? alias_body(body, opts, name == NULL) : fgs__error_oom();
    if (rc == 0)
        rc = fgs__jencode(&text, body);
    if (rc == 0) {
        struct fgs__req req = { name ? "PUT" : "POST", path.ptr, NULL, 0, NULL, 0, text,
                                strlen(text) };

        rc = call_alias(out, c, &req);
    }
done:
    fgs__free(text);
    json_decref(body);
    fgs__buf_dispose(&path);
    return rc;
}

/*
 * CreateVersionAlias.
 */
int fgs_alias_create(struct fgs_alias **out, fgs_client *client, const char *urn,
                     const fgs_alias_options *opts)
{
    FGS_ASSERT_ARG(out);
    *out = NULL;
    FGS_ASSERT_ARG(client);
    FGS_ASSERT_ARG(opts);
    return alias_write(out, client, urn, NULL, opts);
}

/*
 * UpdateVersionAlias.
 */
int fgs_alias_update(struct fgs_alias **out, fgs_client *client, const char *urn,
                     const char *name, const fgs_alias_options *opts)
{
    FGS_ASSERT_ARG(out);
    *out = NULL;
    FGS_ASSERT_ARG(client);
    FGS_ASSERT_ARG(opts);
    if (!name || !*name)
        return fgs__error_set(FGS_EINVALID, "alias name is required");
    return alias_write(out, client, urn, name, opts);
}

/*
 * DeleteVersionAlias.
 */
int fgs_alias_delete(fgs_client *client, const char *urn, const char *name)
{
    struct fgs__buf path = FGS__BUF_INIT;
    int rc;

    FGS_ASSERT_ARG(client);
    rc = alias_path(&path, urn, name ? name : "");
    if (rc == 0) {
        struct fgs__req req = { "DELETE", path.ptr, NULL, 0, NULL, 0, NULL, 0 };

        rc = fgs__call_no_reply(client, &req);
    }
    fgs__buf_dispose(&path);
    return rc;
}

/*
 * ShowVersionAlias.
 */
int fgs_alias_get(struct fgs_alias **out, fgs_client *client, const char *urn, const char *name)
{
    struct fgs__buf path = FGS__BUF_INIT;
    int rc;

    FGS_ASSERT_ARG(out);
    *out = NULL;
    FGS_ASSERT_ARG(client);
    rc = alias_path(&path, urn, name ? name : "");
    if (rc == 0) {
        struct fgs__req req = { "GET", path.ptr, NULL, 0, NULL, 0, NULL, 0 };

        rc = call_alias(out, client, &req);
    }
    fgs__buf_dispose(&path);
    return rc;
}

/*
 * ListVersionAliases (a bare JSON array).
 */
int fgs_alias_list(struct fgs_aliases **out, fgs_client *client, const char *urn)
{
    struct fgs__buf path = FGS__BUF_INIT;
    struct fgs_aliases *l = NULL;
    json_t *root = NULL, *item;
    char *raw = NULL;
    size_t i;
    int rc;

    FGS_ASSERT_ARG(out);
    *out = NULL;
    FGS_ASSERT_ARG(client);
    rc = alias_path(&path, urn, NULL);
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
            rc = fgs__error_set(FGS_EPROTOCOL, "malformed reply: alias is not an object");
            goto done;
        }
        l->count++;
        rc = alias_from_json(&l->items[i], item);
        if (rc < 0)
            goto done;
    }
    l->raw_json = raw;
    raw = NULL; /* now owned by l */
    *out = l;
    l = NULL;
done:
    fgs_aliases_free(l);
    fgs__free(raw);
    json_decref(root);
    fgs__buf_dispose(&path);
    return rc;
}

/*
 * Frees an alias.
 */
void fgs_alias_free(struct fgs_alias *a)
{
    if (!a)
        return;
    alias_clear(a);
    fgs__free(a);
}

/*
 * Frees an alias list.
 */
void fgs_aliases_free(struct fgs_aliases *l)
{
    size_t i;

    if (!l)
        return;
    for (i = 0; i < l->count; i++)
        alias_clear(&l->items[i]);
    fgs__free(l->items);
    fgs__free(l->raw_json);
    fgs__free(l);
}
