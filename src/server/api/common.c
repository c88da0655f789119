/*
 * common.c - URN resolution, function rendering, pagination and the small
 * validation helpers every resource handler uses.
 */
#include <stdio.h>
#include <string.h>
#include "api/common.h"
#include "core/server.h"
#include "util/str.h"
#include "util/timefmt.h"

void api_fail_store(struct srv_request *req, int rc)
{
    srv_fail(req, "FSS.0500", "Internal server error (store %d).", rc);
}

int api_fn_load(struct srv_request *req, const char *urn_text, unsigned flags,
                struct api_fn *out)
{
    struct srv_store *st = req->srv->store;
    struct fgs__urn *u = &out->urn;
    int rc;

    memset(out, 0, sizeof(*out));
    if (fgs__urn_parse(u, urn_text) < 0 || !api_name_ok(u->name, 64) ||
        !api_name_ok(u->package, 64)) {
        srv_fail(req, "FSS.0400", "Invalid function URN '%.200s'.", urn_text);
        return -1;
    }
    if (u->project[0] && strcmp(u->project, req->project) != 0) {
        srv_fail(req, "FSS.0403", "The URN belongs to another project.");
        return -1;
    }
    fgs__strlcpy(u->project, req->project, sizeof(u->project));
    fgs__strlcpy(out->qualifier, u->qualifier, sizeof(out->qualifier));
    fgs__strlcpy(out->version, fgs__urn_version(u), sizeof(out->version));
    if (u->is_alias) {
        if (flags & API_FN_NO_ALIAS) {
            srv_fail(req, "FSS.0400", "An alias URN is not accepted here.");
            return -1;
        }
        fgs__strlcpy(out->alias, u->qualifier, sizeof(out->alias));
        /* Look the function up first so a missing function is FSS.1051, not 1053. */
        rc = st->ops->fn_get(st, u->project, u->package, u->name, "latest", &out->fv);
        if (rc == SRV_OK)
            rc = st->ops->alias_get(st, out->fv.fn_id, out->alias, &out->al);
        srv_fnver_dispose(&out->fv);
        if (rc == SRV_ENOTFOUND) {
            srv_fail(req, "FSS.1053", NULL);
            return -1;
        }
        if (rc == SRV_OK)
            fgs__strlcpy(out->version, out->al.version, sizeof(out->version));
        else if (rc != SRV_ENOFUNC) {
            api_fail_store(req, rc);
            return -1;
        }
    }
    rc = st->ops->fn_get(st, u->project, u->package, u->name, out->version, &out->fv);
    if (rc == SRV_OK)
        return 0;
    if (rc == SRV_ENOFUNC)
        srv_fail(req, "FSS.1051", NULL);
    else if (rc == SRV_ENOTFOUND)
        srv_fail(req, "FSS.1052", NULL);
    else
        api_fail_store(req, rc);
    api_fn_dispose(out);
    return -1;
}

void api_fn_dispose(struct api_fn *f)
{
    srv_fnver_dispose(&f->fv);
    srv_alias_dispose(&f->al);
}

void api_urn(char *out, size_t size, struct srv_server *srv, const char *project,
             const char *package, const char *name, const char *qualifier, bool alias)
{
    if (qualifier && *qualifier)
        snprintf(out, size, "urn:fss:%s:%s:function:%s:%s:%s%s", srv->cfg.region, project,
                 package, name, alias ? "!" : "", qualifier);
    else
        snprintf(out, size, "urn:fss:%s:%s:function:%s:%s", srv->cfg.region, project, package,
                 name);
}

json_t *api_function_json(struct srv_server *srv, const struct srv_fnver *fv,
                          enum api_urn_style style)
{
    json_error_t err;
    json_t *o, *strategy;
    char urn[700], when[40], image[64];
    int64_t mem = 128;

    o = json_loads(fv->config ? fv->config : "{}", 0, &err);
    if (!o || !json_is_object(o)) {
        json_decref(o);
        o = json_object();
        if (!o)
            return NULL;
    }
    /* Never echo secrets: encrypted_user_data stays write-only. */
    json_object_del(o, "encrypted_user_data");
    if (json_is_integer(json_object_get(o, "memory_size")))
        mem = json_integer_value(json_object_get(o, "memory_size"));
    api_urn(urn, sizeof(urn), srv, fv->project, fv->package, fv->name,
            style == API_URN_QUALIFIED ? fv->version : NULL, false);
    fgs__time_rfc3339(when, sizeof(when), fv->modified_ms);
    snprintf(image, sizeof(image), "%s-%.5s", fv->version, fv->func_id);
    json_object_set_new(o, "func_id", json_string(fv->func_id));
    json_object_set_new(o, "resource_id", json_string(fv->func_id));
    json_object_set_new(o, "func_urn", json_string(urn));
    json_object_set_new(o, "func_name", json_string(fv->name));
    json_object_set_new(o, "domain_id", json_string(srv->domain_id));
    json_object_set_new(o, "namespace", json_string(fv->project));
    json_object_set_new(o, "project_name", json_string(srv->cfg.region));
    json_object_set_new(o, "package", json_string(fv->package));
    json_object_set_new(o, "version", json_string(fv->version));
    json_object_set_new(o, "image_name", json_string(image));
    json_object_set_new(o, "cpu", json_integer(mem / 128 * 100 + 200));
    json_object_set_new(o, "code_size", json_integer(fv->code_size));
    json_object_set_new(o, "digest", json_string(fv->digest ? fv->digest : ""));
    json_object_set_new(o, "last_modified", json_string(when));
    json_object_set_new(o, "func_code", json_object());
    if (!json_object_get(o, "user_data"))
        json_object_set_new(o, "user_data", json_string(""));
    if (!json_object_get(o, "description"))
        json_object_set_new(o, "description", json_string(""));
    if (!json_object_get(o, "code_url"))
        json_object_set_new(o, "code_url", json_string(""));
    strategy = json_object_get(o, "strategy_config");
    if (!json_is_object(strategy))
        json_object_set_new(o, "strategy_config",
                            json_pack("{s:i, s:i}", "concurrency", -1, "concurrent_num", 1));
    if (fv->version_desc)
        json_object_set_new(o, "version_description", json_string(fv->version_desc));
    return o;
}

int api_page_params(struct srv_request *req, const char *marker_key, const char *size_key,
                    int64_t *offset, int64_t *limit)
{
    const char *m = srv_query(req, marker_key);
    const char *n = srv_query(req, size_key);

    *offset = 0;
    *limit = 400;
    if (m && *m && fgs__parse_int64(m, 0, INT64_MAX / 2, offset) < 0) {
        srv_fail(req, "FSS.1001", "Invalid query parameter '%s'.", marker_key);
        return -1;
    }
    if (n && *n) {
        if (fgs__parse_int64(n, 0, INT64_MAX / 2, limit) < 0) {
            srv_fail(req, "FSS.1001", "Invalid query parameter '%s'.", size_key);
            return -1;
        }
        if (*limit == 0 || *limit > 400)
            *limit = 400;
    }
    return 0;
}

size_t api_utf8_chars(const char *s)
{
    size_t n = 0;

    for (; *s; s++)
        if (((unsigned char)*s & 0xc0) != 0x80)
            n++;
    return n;
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_alnum(char c)
{
    return is_alpha(c) || (c >= '0' && c <= '9');
}

bool api_name_ok(const char *s, size_t max)
{
    size_t n = s ? strlen(s) : 0, i;

    if (n == 0 || n > max || !is_alpha(s[0]) || !is_alnum(s[n - 1]))
        return false;
    for (i = 0; i < n; i++)
        if (!is_alnum(s[i]) && s[i] != '_' && s[i] != '-')
            return false;
    return true;
}

bool api_version_name_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0, i;

    if (n == 0 || n > 42 || !is_alnum(s[0]) || !is_alnum(s[n - 1]))
        return false;
    for (i = 0; i < n; i++)
        if (!is_alnum(s[i]) && s[i] != '_' && s[i] != '-' && s[i] != '.')
            return false;
    return true;
}

int api_get_str(json_t *obj, const char *key, const char **out)
{
    json_t *v = json_object_get(obj, key);

    if (!v || json_is_null(v))
        return 0;
    if (!json_is_string(v))
        return -1;
    *out = json_string_value(v);
    return 1;
}

int api_get_int(json_t *obj, const char *key, int64_t *out)
{
    json_t *v = json_object_get(obj, key);

    if (!v || json_is_null(v))
        return 0;
    if (!json_is_integer(v))
        return -1;
    *out = json_integer_value(v);
    return 1;
}

int api_get_bool(json_t *obj, const char *key, bool *out)
{
    json_t *v = json_object_get(obj, key);

    if (!v || json_is_null(v))
        return 0;
    if (!json_is_boolean(v))
        return -1;
    *out = json_is_true(v);
    return 1;
}
