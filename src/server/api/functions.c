/*
 * functions.c - the function resource: list, create, get and update the
 * configuration, get and update the code, delete a function or a version.
 *
 * A function's stored configuration is a JSON object of the fields a user
 * may set (runtime, handler, memory_size, user_data, ...); the code package
 * is stored separately, content-addressed by its SHA-512 digest, and also
 * unpacked under <data>/code/<digest>/ ready for execution. Everything is
 * validated before anything is written, so a rejected request changes
 * nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api/api.h"
#include "api/cache.h"
#include "api/common.h"
#include "core/secret.h"
#include "core/server.h"
#include "store/package.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/str.h"
#include "util/timefmt.h"

static const char *const runtimes[] = {
    "Java8", "Java11", "Java17", "Java21", "Python2.7", "Python3.6", "Python3.9", "Python3.10",
    "Python3.12", "Go1.8", "Go1.x", "Node.js6.10", "Node.js8.10", "Node.js10.16",
    "Node.js12.13", "Node.js14.18", "Node.js16.17", "Node.js18.15", "Node.js20.15",
    "C#(.NET Core 2.0)", "C#(.NET Core 2.1)", "C#(.NET Core 3.1)", "C#(.NET Core 6.0)",
    "Custom", "PHP7.3", "PHP8.3", "Cangjie1.0", "http", "Custom Image", NULL
};

static const int64_t memory_sizes[] = { 128,  256,  512,  768,  1024, 1280, 1536,
                                        1792, 2048, 2560, 3072, 3584, 4096, 0 };

static const char *const code_types[] = { "inline", "zip", "obs", "jar", "Custom-Image-Swr",
                                          NULL };

/* Optional fields kept as given when their JSON type is right (tolerated extras). */
static const struct {
    const char *key;
    json_type type;
} passthrough[] = {
    { "xrole", JSON_STRING },
    { "app_xrole", JSON_STRING },
    { "func_vpc", JSON_OBJECT },
    { "mount_config", JSON_OBJECT },
    { "depend_version_list", JSON_ARRAY },
    { "custom_image", JSON_OBJECT },
    { "extend_config", JSON_STRING },
    { "log_config", JSON_OBJECT },
    { "network_controller", JSON_OBJECT },
    { "enterprise_project_id", JSON_STRING },
    { "peering_cidr", JSON_STRING },
    { "domain_names", JSON_STRING },
    { "lts_custom_tag", JSON_OBJECT },
    { "user_data_encrypt_kms_key_id", JSON_STRING },
    { "code_encrypt_kms_key_id", JSON_STRING },
    { "gpu_type", JSON_STRING },
    { "heartbeat_handler", JSON_STRING },
    { "restore_hook_handler", JSON_STRING },
    { "log_group_id", JSON_STRING },
    { "log_stream_id", JSON_STRING },
    { "tags", JSON_ARRAY },
};

static const char *const passthrough_bools[] = {
    "is_stateful_function", "enable_dynamic_memory", "enable_lts_log", "enable_auth_in_header",
    "enable_class_isolation", "long_time", NULL
};

static bool in_list(const char *const *list, const char *s)
{
    for (; *list; list++)
        if (strcmp(*list, s) == 0)
            return true;
    return false;
}

static bool is_custom_runtime(const char *rt)
{
    return strcmp(rt, "Custom") == 0 || strcmp(rt, "http") == 0 ||
           strcmp(rt, "Custom Image") == 0;
}

/* user_data / encrypted_user_data: a string holding a JSON object of strings. */
static int check_user_data(struct srv_request *req, const char *key, const char *text)
{
    json_error_t err;
    json_t *o, *v;
    const char *k;
    int rc = -1;

    if (strlen(text) > 4096) {
        srv_fail(req, "FSS.1018", "%s exceeds 4096 characters.", key);
        return -1;
    }
    if (!*text)
        return 0;
    o = json_loads(text, JSON_REJECT_DUPLICATES, &err);
    if (!o || !json_is_object(o)) {
        srv_fail(req, "FSS.1009", "%s must be a JSON object of string values.", key);
        goto done;
    }
    if (json_object_size(o) > 20) {
        srv_fail(req, "FSS.1017", "%s has more than 20 items.", key);
        goto done;
    }
    json_object_foreach(o, k, v) {
        if (!json_is_string(v) || !*k) {
            srv_fail(req, "FSS.1009", "%s values must be strings ('%.64s').", key, k);
            goto done;
        }
    }
    rc = 0;
done:
    json_decref(o);
    return rc;
}

/*
 * Validates the configuration fields of a create or update-config body into
 * cfg (a fresh object). Code fields are not handled here. Returns 0 or -1
 * after answering.
 */
static int build_config(struct srv_request *req, json_t *body, json_t *cfg)
{
    const char *s = NULL, *init_h = NULL, *stop_h = NULL;
    int64_t n = 0, init_t = 0, stop_t = 0;
    json_t *strategy;
    bool b;
    size_t i;
    int has;

    if (api_get_str(body, "runtime", &s) != 1 || !in_list(runtimes, s)) {
        srv_fail(req, "FSS.1005", "Invalid runtime%s%.64s%s.", s ? " '" : "", s ? s : "",
                 s ? "'" : "");
        return -1;
    }
    json_object_set_new(cfg, "runtime", json_string(s));
    if (api_get_str(body, "handler", &s) != 1 || strlen(s) < 1 || strlen(s) > 128 ||
        (!is_custom_runtime(json_string_value(json_object_get(cfg, "runtime"))) &&
         (strlen(s) < 3 || !strchr(s, '.')))) {
        srv_fail(req, "FSS.1003", "Invalid handler: expected file.function, 3-128 characters.");
        return -1;
    }
    json_object_set_new(cfg, "handler", json_string(s));
    if (api_get_int(body, "memory_size", &n) != 1) {
        srv_fail(req, "FSS.1007", "memory_size must be an integer (MB).");
        return -1;
    }
    for (i = 0; memory_sizes[i] && memory_sizes[i] != n; i++)
        ;
    if (!memory_sizes[i]) {
        srv_fail(req, "FSS.1007", "Invalid memory size %lld MB.", (long long)n);
        return -1;
    }
    json_object_set_new(cfg, "memory_size", json_integer(n));
    if (api_get_int(body, "timeout", &n) != 1 || n < 3 || n > 259200) {
        srv_fail(req, "FSS.1008", "timeout must be an integer between 3 and 259200 seconds.");
        return -1;
    }
    json_object_set_new(cfg, "timeout", json_integer(n));

    s = NULL;
    if (api_get_str(body, "description", &s) < 0 || (s && api_utf8_chars(s) > 512)) {
        srv_fail(req, "FSS.1019", NULL);
        return -1;
    }
    if (s)
        json_object_set_new(cfg, "description", json_string(s));
    s = NULL;
    if (api_get_str(body, "user_data", &s) < 0) {
        srv_fail(req, "FSS.1009", "user_data must be a string holding a JSON object.");
        return -1;
    }
    if (s && check_user_data(req, "user_data", s) < 0)
        return -1;
    if (s)
        json_object_set_new(cfg, "user_data", json_string(s));
    s = NULL;
    if (api_get_str(body, "encrypted_user_data", &s) < 0) {
        srv_fail(req, "FSS.1009", "encrypted_user_data must be a string holding a JSON object.");
        return -1;
    }
    if (s && check_user_data(req, "encrypted_user_data", s) < 0)
        return -1;
    if (s && *s) {
        char *sealed = srv_secret_seal(req->srv, s);

        if (!sealed) {
            srv_fail(req, "FSS.0500", "Cannot encrypt encrypted_user_data.");
            return -1;
        }
        json_object_set_new(cfg, "encrypted_user_data", json_string(sealed));
        free(sealed);
    }

    if (api_get_str(body, "initializer_handler", &init_h) < 0 ||
        api_get_int(body, "initializer_timeout", &init_t) < 0 ||
        (init_h && (!*init_h || strlen(init_h) > 128 || !strchr(init_h, '.'))) ||
        (init_h && (init_t < 1 || init_t > 300)) || (!init_h && init_t)) {
        srv_fail(req, "FSS.0400",
                 "initializer_handler (file.function) and initializer_timeout (1-300 s) go together.");
        return -1;
    }
    if (init_h) {
        json_object_set_new(cfg, "initializer_handler", json_string(init_h));
        json_object_set_new(cfg, "initializer_timeout", json_integer(init_t));
    }
    if (api_get_str(body, "pre_stop_handler", &stop_h) < 0 ||
        api_get_int(body, "pre_stop_timeout", &stop_t) < 0 ||
        (stop_h && (!*stop_h || strlen(stop_h) > 128 || !strchr(stop_h, '.'))) ||
        (stop_h && (stop_t < 1 || stop_t > 90)) || (!stop_h && stop_t)) {
        srv_fail(req, "FSS.0400",
                 "pre_stop_handler (file.function) and pre_stop_timeout (1-90 s) go together.");
        return -1;
    }
    if (stop_h) {
        json_object_set_new(cfg, "pre_stop_handler", json_string(stop_h));
        json_object_set_new(cfg, "pre_stop_timeout", json_integer(stop_t));
    }

    strategy = json_object_get(body, "strategy_config");
    if (strategy && !json_is_null(strategy)) {
        int64_t conc = -1, num = 1;

        if (!json_is_object(strategy) || api_get_int(strategy, "concurrency", &conc) < 0 ||
            api_get_int(strategy, "concurrent_num", &num) < 0 || conc < -1 || conc > 1000 ||
            num < 1 || num > 1000) {
            srv_fail(req, "FSS.0400",
                     "strategy_config: concurrency -1..1000, concurrent_num 1..1000.");
            return -1;
        }
        json_object_set_new(cfg, "strategy_config",
                            json_pack("{s:I, s:I}", "concurrency", (json_int_t)conc,
                                      "concurrent_num", (json_int_t)num));
    }
    s = NULL;
    has = api_get_str(body, "type", &s);
    if (has < 0 || (s && strcmp(s, "v1") && strcmp(s, "v2"))) {
        srv_fail(req, "FSS.0400", "type must be v1 or v2.");
        return -1;
    }
    if (s)
        json_object_set_new(cfg, "type", json_string(s));
    if (api_get_int(body, "gpu_memory", &n) == 1) {
        if (n < 1024 || n > 16384 || n % 1024) {
            srv_fail(req, "FSS.0400", "gpu_memory must be 1024..16384 in steps of 1024.");
            return -1;
        }
        json_object_set_new(cfg, "gpu_memory", json_integer(n));
    }
    if (api_get_int(body, "ephemeral_storage", &n) == 1) {
        if (n < 512 || n > 10240) {
            srv_fail(req, "FSS.0400", "ephemeral_storage must be 512..10240 MB.");
            return -1;
        }
        json_object_set_new(cfg, "ephemeral_storage", json_integer(n));
    }
    for (i = 0; i < sizeof(passthrough) / sizeof(passthrough[0]); i++) {
        json_t *v = json_object_get(body, passthrough[i].key);

        if (!v || json_is_null(v))
            continue;
        if (json_typeof(v) != passthrough[i].type) {
            srv_fail(req, "FSS.0400", "Field '%s' has the wrong type.", passthrough[i].key);
            return -1;
        }
        json_object_set(cfg, passthrough[i].key, v);
    }
    for (i = 0; passthrough_bools[i]; i++) {
        has = api_get_bool(body, passthrough_bools[i], &b);
        if (has < 0) {
            srv_fail(req, "FSS.0400", "Field '%s' must be a boolean.", passthrough_bools[i]);
            return -1;
        }
        if (has)
            json_object_set_new(cfg, passthrough_bools[i], json_boolean(b));
    }
    return 0;
}

/* A code package decoded from a request, ready to store. */
struct code_in {
    unsigned char *data;  /* package bytes (owned) */
    size_t len;
    char digest[129];
    char filename[256];   /* code_filename */
};

static const char *inline_filename(const char *runtime)
{
    if (fgs__str_has_prefix(runtime, "Python"))
        return "index.py";
    if (fgs__str_has_prefix(runtime, "Node.js"))
        return "index.js";
    if (fgs__str_has_prefix(runtime, "Java"))
        return "index.java";
    if (fgs__str_has_prefix(runtime, "Go"))
        return "index.go";
    if (fgs__str_has_prefix(runtime, "PHP"))
        return "index.php";
    if (fgs__str_has_prefix(runtime, "C#"))
        return "index.cs";
    if (fgs__str_has_prefix(runtime, "Cangjie"))
        return "index.cj";
    return "bootstrap";
}

static void package_limits(struct srv_server *srv, struct srv_package_limits *lim)
{
    lim->max_package_bytes = srv->cfg.max_code_bytes;
    lim->max_unpacked_bytes = srv->cfg.max_unzip_bytes;
    lim->max_entries = srv->cfg.max_zip_entries;
}

/* A safe file name for code_filename: no path separators, no control characters. */
static bool filename_ok(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || n > 255 || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
        return false;
    for (; *s; s++)
        if (*s == '/' || *s == '\\' || (unsigned char)*s < 0x20)
            return false;
    return true;
}

/*
 * Reads code_type, code_url, code_filename and func_code from body, decodes
 * or fetches the package, checks and unpacks it, and records the code fields
 * in cfg. Returns 0 or -1 after answering.
 */
static int take_code(struct srv_request *req, json_t *body, json_t *cfg, struct code_in *code)
{
    struct srv_server *srv = req->srv;
    struct srv_package_limits lim;
    const char *type = NULL, *url = NULL, *fname = NULL, *file = NULL;
    const char *runtime = json_string_value(json_object_get(cfg, "runtime"));
    json_t *fc = json_object_get(body, "func_code");
    char err[256];

    memset(code, 0, sizeof(*code));
    package_limits(srv, &lim);
    if (api_get_str(body, "code_type", &type) != 1 || !in_list(code_types, type)) {
        srv_fail(req, "FSS.1006", "code_type must be inline, zip, obs, jar or Custom-Image-Swr.");
        return -1;
    }
    if (api_get_str(body, "code_url", &url) < 0 || api_get_str(body, "code_filename", &fname) < 0) {
        srv_fail(req, "FSS.0400", "code_url and code_filename must be strings.");
        return -1;
    }
    if (fc && !json_is_null(fc)) {
        if (!json_is_object(fc) || api_get_str(fc, "file", &file) < 0) {
            srv_fail(req, "FSS.1011", "func_code must be an object with a base64 'file'.");
            return -1;
        }
        if (file && !*file)
            file = NULL;
    }
    if (fname && *fname && !filename_ok(fname)) {
        srv_fail(req, "FSS.0400", "Invalid code_filename.");
        return -1;
    }

    if (strcmp(type, "Custom-Image-Swr") == 0) {
        code->data = calloc(1, 1);
        if (!code->data)
            goto oom;
    } else if (strcmp(type, "obs") == 0) {
        if (!url || (!fgs__str_has_prefix(url, "http://") && !fgs__str_has_prefix(url, "https://"))) {
            srv_fail(req, "FSS.0400", "code_url must be an http(s) URL when code_type is obs.");
            return -1;
        }
        if (srv_package_fetch(url, (size_t)lim.max_package_bytes, &code->data, &code->len, err,
                              sizeof(err)) < 0) {
            srv_fail(req, "FSS.1011", "Cannot fetch code_url: %s", err);
            return -1;
        }
        if (!fname || !*fname) {
            const char *slash = strrchr(url, '/');

            fname = slash && filename_ok(slash + 1) ? slash + 1 : "index.zip";
        }
    } else {
        if (!file) {
            srv_fail(req, "FSS.1012", "func_code.file (base64) is required for code_type %s.",
                     type);
            return -1;
        }
        if (strlen(file) / 4 * 3 > (size_t)lim.max_package_bytes + 2) {
            srv_fail(req, "FSS.1071", NULL);
            return -1;
        }
        code->data = fgs__b64_decode(file, strlen(file), &code->len);
        if (!code->data) {
            srv_fail(req, "FSS.1011", "func_code.file is not valid base64.");
            return -1;
        }
        if (strcmp(type, "inline") != 0 && (!fname || !*fname)) {
            srv_fail(req, "FSS.0400", "code_filename is required for code_type %s.", type);
            goto fail;
        }
        if (strcmp(type, "inline") == 0)
            fname = inline_filename(runtime);
    }
    if ((int64_t)code->len > lim.max_package_bytes) {
        srv_fail(req, "FSS.1071", NULL);
        goto fail;
    }
    if ((strcmp(type, "zip") == 0 || strcmp(type, "jar") == 0 || strcmp(type, "obs") == 0) &&
        srv_package_check_zip(code->data, code->len, &lim, err, sizeof(err)) < 0) {
        srv_fail(req, "FSS.1011", "Invalid code package: %s", err);
        goto fail;
    }
    fgs__sha512_hex(code->digest, code->data, code->len);
    fgs__strlcpy(code->filename, fname ? fname : "", sizeof(code->filename));
    if (strcmp(type, "Custom-Image-Swr") != 0 &&
        srv_package_unpack(srv->code_dir, code->digest,
                           strcmp(type, "obs") == 0 ? "zip" : type, code->filename, code->data,
                           code->len, &lim, err, sizeof(err)) < 0) {
        srv_fail(req, "FSS.1011", "Invalid code package: %s", err);
        goto fail;
    }
    json_object_set_new(cfg, "code_type", json_string(type));
    json_object_set_new(cfg, "code_filename", json_string(code->filename));
    json_object_set_new(cfg, "code_url", json_string(url && strcmp(type, "obs") == 0 ? url : ""));
    return 0;
oom:
    srv_fail(req, "FSS.0503", "Out of memory.");
fail:
    free(code->data);
    code->data = NULL;
    return -1;
}

static char *dump_config(json_t *cfg)
{
    return json_dumps(cfg, JSON_COMPACT | JSON_SORT_KEYS);
}

void api_function_create(struct srv_request *req)
{
    struct srv_store *st = req->srv->store;
    struct srv_fnver fv;
    struct code_in code = { 0 };
    struct srv_code sc;
    json_t *body = NULL, *cfg = NULL;
    const char *name = NULL, *package = NULL;
    char func_id[37];
    int64_t count = 0;
    int rc;

    memset(&fv, 0, sizeof(fv));
    body = srv_body_object(req);
    if (!body)
        return;
    if (api_get_str(body, "func_name", &name) != 1 || !api_name_ok(name, 60)) {
        srv_fail(req, "FSS.1002", "func_name: 1-60 characters, a letter first, letters, digits, _ and -, ending in a letter or digit.");
        goto done;
    }
    if (api_get_str(body, "package", &package) != 1 || !api_name_ok(package, 64)) {
        srv_fail(req, "FSS.1004", "package: 1-64 characters, a letter first, letters, digits, _ and -.");
        goto done;
    }
    cfg = json_object();
    if (!cfg || build_config(req, body, cfg) < 0 || take_code(req, body, cfg, &code) < 0)
        goto done;
    if (st->ops->fn_count(st, req->project, &count) != SRV_OK) {
        api_fail_store(req, SRV_ERROR);
        goto done;
    }
    if (count >= req->srv->cfg.max_functions) {
        srv_fail(req, "FSS.1041", "A project can have at most %lld functions.",
                 (long long)req->srv->cfg.max_functions);
        goto done;
    }
    fgs__uuid4(func_id);
    fv.project = req->project;
    fv.package = (char *)package;
    fv.name = (char *)name;
    fv.func_id = func_id;
    fv.created_ms = fv.modified_ms = fgs__now_ms();
    fv.version = "latest";
    fv.seq = 0;
    fv.config = dump_config(cfg);
    fv.digest = code.digest;
    fv.code_size = (int64_t)code.len;
    sc.digest = code.digest;
    sc.data = code.data;
    sc.len = code.len;
    rc = fv.config ? st->ops->fn_create(st, &fv, &sc) : SRV_ERROR;
    if (rc == SRV_EEXISTS)
        srv_fail(req, "FSS.1061", NULL);
    else if (rc != SRV_OK)
        api_fail_store(req, rc);
    else
        srv_reply_json(req, 200, api_function_json(req->srv, &fv, API_URN_QUALIFIED));
    free(fv.config);
done:
    free(code.data);
    json_decref(cfg);
    json_decref(body);
}

void api_function_get_config(struct srv_request *req)
{
    uint64_t gen = srv_store_gen(req->srv->store);
    struct api_fn f;

    if (api_cache_reply(req, "config", req->seg[1], gen))
        return;
    if (api_fn_load(req, req->seg[1], 0, &f) < 0)
        return;
    srv_reply_json(req, 200, api_function_json(req->srv, &f.fv, API_URN_QUALIFIED));
    api_cache_store(req, "config", req->seg[1], gen);
    api_fn_dispose(&f);
}

void api_function_list(struct srv_request *req)
{
    struct srv_store *st = req->srv->store;
    struct srv_fnver *rows = NULL;
    const char *package = srv_query(req, "package_name");
    const char *name = srv_query(req, "func_name");
    int64_t offset, limit, total = 0;
    size_t n = 0, i;
    json_t *arr;
    int rc;

    if (api_page_params(req, "marker", "maxitems", &offset, &limit) < 0)
        return;
    rc = st->ops->fn_list(st, req->project, package && *package ? package : NULL,
                          name && *name ? name : NULL, offset, limit, &rows, &n, &total);
    if (rc != SRV_OK) {
        api_fail_store(req, rc);
        return;
    }
    arr = json_array();
    for (i = 0; i < n; i++)
        json_array_append_new(arr, api_function_json(req->srv, &rows[i], API_URN_PLAIN));
    srv_reply_json(req, 200,
                   json_pack("{s:o, s:I, s:I}", "functions", arr, "next_marker",
                             (json_int_t)(offset + (int64_t)n < total ? offset + (int64_t)n : total),
                             "count", (json_int_t)total));
    srv_fnver_free_array(rows, n);
}

/* The FunctionCode object, with the package itself in func_code.file (base64). */
static json_t *code_json(struct srv_request *req, const struct srv_fnver *fv, const void *data,
                         size_t len)
{
    json_t *full = api_function_json(req->srv, fv, API_URN_QUALIFIED);
    json_t *o = json_object();
    static const char *const keys[] = { "func_urn", "func_name", "domain_id", "runtime",
                                        "code_type", "code_url", "code_filename", "code_size",
                                        "digest", "last_modified", "strategy_config", NULL };
    char *b64 = data ? fgs__b64_encode(data, len) : NULL;
    json_t *deps;
    size_t i;

    if (!full || !o) {
        json_decref(full);
        json_decref(o);
        free(b64);
        return NULL;
    }
    for (i = 0; keys[i]; i++) {
        json_t *v = json_object_get(full, keys[i]);

        if (v)
            json_object_set(o, keys[i], v);
    }
    deps = json_object_get(full, "depend_version_list");
    json_object_set_new(o, "depend_version_list", deps ? json_incref(deps) : json_array());
    json_object_set_new(o, "depend_list", json_array());
    json_object_set_new(o, "dependencies", json_array());
    json_object_set_new(o, "func_code", json_pack("{s:s, s:s}", "file", b64 ? b64 : "",
                                                  "link", ""));
    free(b64);
    json_decref(full);
    return o;
}

void api_function_get_code(struct srv_request *req)
{
    struct srv_store *st = req->srv->store;
    struct api_fn f;
    void *data = NULL;
    size_t len = 0;
    int rc;

    if (api_fn_load(req, req->seg[1], 0, &f) < 0)
        return;
    rc = st->ops->code_get(st, f.fv.digest, &data, &len);
    if (rc != SRV_OK && rc != SRV_ENOTFOUND)
        api_fail_store(req, rc);
    else
        srv_reply_json(req, 200, code_json(req, &f.fv, data, len));
    free(data);
    api_fn_dispose(&f);
}

/* Copies the code-related keys (and max_instance_num) from one config to another. */
static void keep_keys(json_t *dst, json_t *src, const char *const *keys)
{
    for (; *keys; keys++) {
        json_t *v = json_object_get(src, *keys);

        if (v)
            json_object_set(dst, *keys, v);
    }
}

static json_t *load_config(const struct srv_fnver *fv)
{
    json_t *o = json_loads(fv->config ? fv->config : "{}", 0, NULL);

    if (o && !json_is_object(o)) {
        json_decref(o);
        o = NULL;
    }
    return o ? o : json_object();
}

void api_function_update_config(struct srv_request *req)
{
    static const char *const kept[] = { "code_type", "code_url", "code_filename",
                                        "max_instance_num", NULL };
    struct srv_store *st = req->srv->store;
    struct api_fn f;
    json_t *body = NULL, *cfg = NULL, *old = NULL;
    const char *name = NULL;
    struct srv_fnver fv;
    int rc;

    if (api_fn_load(req, req->seg[1], 0, &f) < 0)
        return;
    body = srv_body_object(req);
    if (!body)
        goto done;
    if (api_get_str(body, "func_name", &name) < 0 || (name && strcmp(name, f.fv.name) != 0)) {
        srv_fail(req, "FSS.1002", "func_name must match the function in the URN.");
        goto done;
    }
    cfg = json_object();
    if (!cfg || build_config(req, body, cfg) < 0)
        goto done;
    old = load_config(&f.fv);
    keep_keys(cfg, old, kept);
    fv = f.fv;
    fv.config = dump_config(cfg);
    fv.modified_ms = fgs__now_ms();
    rc = fv.config ? st->ops->ver_update(st, &fv, NULL) : SRV_ERROR;
    if (rc == SRV_OK) {
        free(f.fv.config);
        f.fv.config = fv.config;
        f.fv.modified_ms = fv.modified_ms;
        srv_reply_json(req, 200, api_function_json(req->srv, &f.fv, API_URN_QUALIFIED));
    } else {
        free(fv.config);
        if (rc == SRV_ENOTFOUND)
            srv_fail(req, "FSS.1052", NULL);
        else
            api_fail_store(req, rc);
    }
done:
    json_decref(old);
    json_decref(cfg);
    json_decref(body);
    api_fn_dispose(&f);
}

void api_function_update_code(struct srv_request *req)
{
    struct srv_store *st = req->srv->store;
    struct code_in code = { 0 };
    struct srv_code sc;
    struct srv_fnver fv;
    struct api_fn f;
    json_t *body = NULL, *cfg = NULL;
    int rc;

    if (api_fn_load(req, req->seg[1], API_FN_NO_ALIAS, &f) < 0)
        return;
    if (strcmp(f.fv.version, "latest") != 0) {
        srv_fail(req, "FSS.0400", "The code of a published version cannot be changed.");
        goto done;
    }
    body = srv_body_object(req);
    if (!body)
        goto done;
    if (json_object_get(body, "depend_version_list") &&
        !json_is_array(json_object_get(body, "depend_version_list"))) {
        srv_fail(req, "FSS.0400", "depend_version_list must be an array.");
        goto done;
    }
    cfg = load_config(&f.fv);
    if (take_code(req, body, cfg, &code) < 0)
        goto done;
    if (json_is_array(json_object_get(body, "depend_version_list")))
        json_object_set(cfg, "depend_version_list", json_object_get(body, "depend_version_list"));
    fv = f.fv;
    fv.config = dump_config(cfg);
    fv.digest = code.digest;
    fv.code_size = (int64_t)code.len;
    fv.modified_ms = fgs__now_ms();
    sc.digest = code.digest;
    sc.data = code.data;
    sc.len = code.len;
    rc = fv.config ? st->ops->ver_update(st, &fv, &sc) : SRV_ERROR;
    if (rc == SRV_OK)
        srv_reply_json(req, 200, code_json(req, &fv, code.data, code.len));
    else if (rc == SRV_ENOTFOUND)
        srv_fail(req, "FSS.1051", NULL);
    else
        api_fail_store(req, rc);
    free(fv.config);
done:
    free(code.data);
    json_decref(cfg);
    json_decref(body);
    api_fn_dispose(&f);
}

/*
 * Refuses to delete a version an alias still routes to: as its main version
 * (FSS.0403 naming the alias) or as an additional weighted or rule-routed
 * version (FSS.1094). Returns 0 when free, -1 after answering.
 */
static int check_version_unused(struct srv_request *req, int64_t fn_id, const char *version)
{
    struct srv_store *st = req->srv->store;
    struct srv_alias *al = NULL;
    size_t n = 0, i;
    int rc = 0;

    if (st->ops->alias_list(st, fn_id, &al, &n) != SRV_OK) {
        api_fail_store(req, SRV_ERROR);
        return -1;
    }
    for (i = 0; i < n && rc == 0; i++) {
        json_t *w = al[i].weights ? json_loads(al[i].weights, 0, NULL) : NULL;
        json_t *s = al[i].strategy ? json_loads(al[i].strategy, 0, NULL) : NULL;

        if (strcmp(al[i].version, version) == 0) {
            srv_fail(req, "FSS.0403", "Version %s is the version of alias %s; update or delete the alias first.",
                     version, al[i].name);
            rc = -1;
        } else if (json_object_get(w, version) || json_object_get(s, version)) {
            srv_fail(req, "FSS.1094", "Version %s is an additional version of alias %s.",
                     version, al[i].name);
            rc = -1;
        }
        json_decref(w);
        json_decref(s);
    }
    srv_alias_free_array(al, n);
    return rc;
}

void api_function_delete(struct srv_request *req)
{
    struct srv_store *st = req->srv->store;
    struct api_fn f;
    int rc;

    if (api_fn_load(req, req->seg[1], 0, &f) < 0)
        return;
    if (!f.qualifier[0]) {
        rc = st->ops->fn_delete(st, f.fv.fn_id);
        if (rc == SRV_OK)
            srv_reply_empty(req, 204);
        else if (rc == SRV_ENOFUNC)
            srv_fail(req, "FSS.1051", NULL);
        else
            api_fail_store(req, rc);
        goto done;
    }
    if (strcmp(f.version, "latest") == 0) {
        srv_fail(req, "FSS.0400", "The latest version cannot be deleted; delete the function with its unqualified URN.");
        goto done;
    }
    if (check_version_unused(req, f.fv.fn_id, f.version) < 0)
        goto done;
    rc = st->ops->ver_delete(st, f.fv.fn_id, f.version);
    if (rc == SRV_OK)
        srv_reply_empty(req, 204);
    else if (rc == SRV_ENOTFOUND)
        srv_fail(req, "FSS.1052", NULL);
    else
        api_fail_store(req, rc);
done:
    api_fn_dispose(&f);
}
