/*
 * common.c - backend selection and the destructors of the store structs.
 */
#include <stdlib.h>
#include <string.h>
#include "store/store.h"
#include "util/log.h"

struct srv_store *srv_store_open(const char *spec, const char *data_dir)
{
    if (!spec || !*spec)
        return srv_store_sqlite_open(data_dir);
    if (strncmp(spec, "sqlite:", 7) == 0)
        return srv_store_sqlite_open(spec + 7);
    log_error("store: unsupported store '%s' (this build has: sqlite)", spec);
    return NULL;
}

void srv_store_close(struct srv_store *st)
{
    if (st)
        st->ops->close(st);
}

void srv_fnver_dispose(struct srv_fnver *fv)
{
    if (!fv)
        return;
    free(fv->project);
    free(fv->package);
    free(fv->name);
    free(fv->func_id);
    free(fv->version);
    free(fv->config);
    free(fv->digest);
    free(fv->version_desc);
    memset(fv, 0, sizeof(*fv));
}

void srv_fnver_free_array(struct srv_fnver *arr, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        srv_fnver_dispose(&arr[i]);
    free(arr);
}

void srv_alias_dispose(struct srv_alias *a)
{
    if (!a)
        return;
    free(a->name);
    free(a->version);
    free(a->description);
    free(a->weights);
    free(a->strategy);
    memset(a, 0, sizeof(*a));
}

void srv_alias_free_array(struct srv_alias *arr, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        srv_alias_dispose(&arr[i]);
    free(arr);
}

void srv_trigger_dispose(struct srv_trigger *t)
{
    if (!t)
        return;
    free(t->trigger_id);
    free(t->qualifier);
    free(t->type);
    free(t->status);
    free(t->event_type_code);
    free(t->event_data);
    memset(t, 0, sizeof(*t));
}

void srv_trigger_free_array(struct srv_trigger *arr, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        srv_trigger_dispose(&arr[i]);
    free(arr);
}
