/*
 * runtime.c - from a function's configuration to what runs in its sandbox:
 * the runtime name mapping, fgs-init's argv, the instance environment
 * (RUNTIME_* variables and user data) and the host directory of the code.
 *
 * The environment is built from scratch: nothing of fgsd's own environment
 * reaches an instance (no credentials, no NODE_EXTRA_CA_CERTS, which costs
 * node 40 ms per start, no pyenv shims). Interpreters are run by their
 * real paths; Python in isolated mode (-I -S).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "core/secret.h"
#include "core/server.h"
#include "exec/exec.h"
#include "store/package.h"
#include "store/store.h"
#include "util/str.h"

/* Maps a FunctionGraph runtime name to the interpreter that runs it here. */
enum srv_runtime_kind srv_runtime_kind(const char *runtime)
{
    if (!runtime)
        return SRV_RT_UNAVAILABLE;
    if (fgs__str_has_prefix(runtime, "Python3.") || strcmp(runtime, "Python2.7") == 0)
        return SRV_RT_PYTHON;
    if (fgs__str_has_prefix(runtime, "Node.js"))
        return SRV_RT_NODE;
    /*
     * Java, Go1.x, C#, PHP, Cangjie, Custom, http and Custom Image: no
     * interpreter for them on this host yet. Custom/http (a bootstrap
     * executable served the runtime API by fgs-init) is the next slice and
     * plugs in here as its own kind.
     */
    return SRV_RT_UNAVAILABLE;
}

struct strv {
    char **v;
    size_t n, cap;
};

static int strv_add(struct strv *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int strv_add(struct strv *s, const char *fmt, ...)
{
    va_list ap;
    char *str;

    if (s->n + 2 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 32;
        char **nv = realloc(s->v, cap * sizeof(*nv));

        if (!nv)
            return -1;
        s->v = nv;
        s->cap = cap;
    }
    va_start(ap, fmt);
    if (vasprintf(&str, fmt, ap) < 0)
        str = NULL;
    va_end(ap);
    if (!str)
        return -1;
    s->v[s->n++] = str;
    s->v[s->n] = NULL;
    return 0;
}

/* Frees a NULL-terminated string vector; NULL is a no-op. */
void srv_runtime_strv_free(char **v)
{
    size_t i;

    if (!v)
        return;
    for (i = 0; v[i]; i++)
        free(v[i]);
    free(v);
}

static const char *cfg_str(json_t *cfg, const char *key, const char *dflt)
{
    const char *s = json_string_value(json_object_get(cfg, key));

    return s ? s : dflt;
}

static int64_t cfg_int(json_t *cfg, const char *key, int64_t dflt)
{
    json_t *v = json_object_get(cfg, key);

    return json_is_integer(v) ? (int64_t)json_integer_value(v) : dflt;
}

/* User variable names that become process environment variables. */
static bool env_name_ok(const char *k)
{
    const char *p;

    if (!((*k >= 'A' && *k <= 'Z') || (*k >= 'a' && *k <= 'z') || *k == '_'))
        return false;
    for (p = k; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '_'))
            return false;
    /* the platform's own names cannot be overridden */
    return !fgs__str_has_prefix(k, "RUNTIME_");
}

/* Merges the string members of the JSON object text into dst; env also gets them. */
static int merge_user_data(json_t *dst, const char *text, struct strv *env)
{
    json_t *obj, *v;
    const char *k;

    if (!text || !*text)
        return 0;
    obj = json_loads(text, 0, NULL);
    if (!json_is_object(obj)) {
        json_decref(obj);
        return 0;
    }
    json_object_foreach(obj, k, v)
    {
        if (!json_is_string(v))
            continue;
        json_object_set(dst, k, v);
        /*
         * Prefixed: fgs-init strips "FGS_U_" only for the shim, so a user variable such
         * as LD_PRELOAD or GLIBC_TUNABLES never reaches the loader of fgs-init itself,
         * which holds the control socket to fgsd.
         */
        if (env && env_name_ok(k) && strv_add(env, "FGS_U_%s=%s", k, json_string_value(v)) < 0) {
            json_decref(obj);
            return -1;
        }
    }
    json_decref(obj);
    return 0;
}

/*
 * Builds fgs-init's argv and the instance environment from scratch. User data
 * becomes FGS_U_<name> variables (renamed by fgs-init for the shim only).
 * Returns 0, or -1 for an unavailable runtime or when out of memory.
 */
int srv_runtime_argv_env(struct srv_server *srv,
                         const struct srv_exec_fn *fn,
                         char ***argv,
                         char ***envp)
{
    struct strv a = { 0 }, e = { 0 };
    json_t *cfg = fn->config, *ud = json_object();
    const struct srv_fnver *fv = fn->fv;
    const char *init_h = cfg_str(cfg, "initializer_handler", "");
    char *ud_text = NULL, *secret = NULL;
    int64_t timeout = cfg_int(cfg, "timeout", 3);
    int rc = -1;

    *argv = *envp = NULL;
    if (!ud)
        goto out;
    if (strv_add(&a, "/opt/fgs/bin/fgs-init") < 0)
        goto out;
    switch (srv_runtime_kind(cfg_str(cfg, "runtime", ""))) {
    case SRV_RT_PYTHON:
        if (strv_add(&a, "/usr/bin/python3") < 0 || strv_add(&a, "-I") < 0 ||
            strv_add(&a, "-S") < 0 || strv_add(&a, "/opt/fgs/runtimes/python/shim.py") < 0)
            goto out;
        break;
    case SRV_RT_NODE:
        if (strv_add(&a, "/usr/bin/node") < 0 || strv_add(&a, "/opt/fgs/runtimes/node/shim.js") < 0)
            goto out;
        break;
    default:
        goto out;
    }
    /* user data first: the platform variables below are appended later and win in getenv() */
    if (merge_user_data(ud, cfg_str(cfg, "user_data", ""), &e) < 0)
        goto out;
    if (json_is_string(json_object_get(cfg, "encrypted_user_data"))) {
        /* decrypted only here, only into the instance's getUserData map */
        secret = srv_secret_open(srv, cfg_str(cfg, "encrypted_user_data", ""));
        if (secret && merge_user_data(ud, secret, NULL) < 0)
            goto out;
    }
    ud_text = json_dumps(ud, JSON_COMPACT);
    if (!ud_text)
        goto out;
    if (strv_add(&e, "PATH=/usr/local/bin:/usr/bin:/bin") < 0 || strv_add(&e, "HOME=/tmp") < 0 ||
        strv_add(&e, "LANG=C.UTF-8") < 0 || strv_add(&e, "TMPDIR=/tmp") < 0 ||
        strv_add(&e, "RUNTIME_PROJECT_ID=%s", fv->project) < 0 ||
        strv_add(&e, "RUNTIME_FUNC_NAME=%s", fv->name) < 0 ||
        strv_add(&e, "RUNTIME_FUNC_VERSION=%s", fv->version) < 0 ||
        strv_add(&e, "RUNTIME_PACKAGE=%s", fv->package) < 0 ||
        strv_add(&e, "RUNTIME_HANDLER=%s", cfg_str(cfg, "handler", "")) < 0 ||
        strv_add(&e, "RUNTIME_TIMEOUT=%lld", (long long)timeout) < 0 ||
        strv_add(&e, "RUNTIME_MEMORY=%d", fn->memory_mb) < 0 ||
        strv_add(&e, "RUNTIME_CPU=%d", 200 + fn->memory_mb / 128 * 100) < 0 ||
        strv_add(&e, "RUNTIME_USERDATA=%s", ud_text) < 0 ||
        strv_add(&e, "RUNTIME_CODE_ROOT=/opt/function/code") < 0 ||
        strv_add(&e, "RUNTIME_ROOT=/home/snuser/runtime") < 0 ||
        strv_add(&e, "RUNTIME_LOG_DIR=/home/snuser/log") < 0 ||
        strv_add(&e, "RUNTIME_MAX_RESP_BODY_SIZE=6291456") < 0)
        goto out;
    if (*init_h && (strv_add(&e, "RUNTIME_INITIALIZER_HANDLER=%s", init_h) < 0 ||
                    strv_add(&e, "RUNTIME_INITIALIZER_TIMEOUT=%lld",
                             (long long)cfg_int(cfg, "initializer_timeout", timeout)) < 0))
        goto out;
    *argv = a.v;
    *envp = e.v;
    a.v = e.v = NULL;
    rc = 0;
out:
    if (secret) {
        explicit_bzero(secret, strlen(secret));
        free(secret);
    }
    free(ud_text);
    json_decref(ud);
    srv_runtime_strv_free(a.v);
    srv_runtime_strv_free(e.v);
    return rc;
}

static int write_file(const char *path, const void *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
    size_t off = 0;

    if (fd < 0)
        return -1;
    while (off < len) {
        ssize_t w = write(fd, (const char *)data + off, len - off);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            close(fd);
            return -1;
        }
        off += (size_t)w;
    }
    return close(fd);
}

static bool is_dir(const char *p)
{
    struct stat st;

    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
 * Inline code is one source file; when the package cache has no unpacked
 * copy of it, fgsd writes it to <data>/exec/code/<digest>/<file> itself
 * (directory 0755, file 0644: readable by the instance's uid, owned by root).
 */
int srv_runtime_code_dir(struct srv_server *srv,
                         const struct srv_exec_fn *fn,
                         char *out,
                         size_t size,
                         char *err,
                         size_t errlen)
{
    const char *type = cfg_str(fn->config, "code_type", "inline");
    const char *fname = cfg_str(fn->config, "code_filename", "");
    bool node = srv_runtime_kind(cfg_str(fn->config, "runtime", "")) == SRV_RT_NODE;
    char dir[4400], tmp[4500], file[4600];
    void *data = NULL;
    size_t len = 0;
    int rc;

    snprintf(out, size, "%s/%s", srv->code_dir, fn->fv->digest);
    if (is_dir(out))
        return 0;
    snprintf(dir, sizeof(dir), "%s/exec/code/%s", srv->cfg.data_dir, fn->fv->digest);
    if (is_dir(dir)) {
        fgs__strlcpy(out, dir, size);
        return 0;
    }
    rc = srv->store->ops->code_get(srv->store, fn->fv->digest, &data, &len);
    if (rc < 0 || !data) {
        snprintf(err, errlen, "the code package %.16s... is not stored", fn->fv->digest);
        return -1;
    }
    if (strcmp(type, "inline") != 0) {
        struct srv_package_limits lim = { srv->cfg.max_code_bytes, srv->cfg.max_unzip_bytes,
                                          srv->cfg.max_zip_entries };

        rc = srv_package_unpack(srv->code_dir, fn->fv->digest, strcmp(type, "obs") ? type : "zip",
                                fname, data, len, &lim, err, errlen);
        free(data);
        snprintf(out, size, "%s/%s", srv->code_dir, fn->fv->digest);
        if (rc < 0 || !is_dir(out)) {
            if (rc >= 0)
                snprintf(err, errlen, "the code package is not unpacked");
            return -1;
        }
        return 0;
    }
    /* a private temporary directory renamed into place: concurrent cold starts race safely */
    snprintf(tmp, sizeof(tmp), "%s/exec/code/.%s.XXXXXX", srv->cfg.data_dir, fn->fv->digest);
    if (!mkdtemp(tmp) || chmod(tmp, 0755) < 0) {
        free(data);
        snprintf(err, errlen, "cannot create the code directory: %s", strerror(errno));
        return -1;
    }
    if (!*fname || strchr(fname, '/') || fname[0] == '.')
        fname = node ? "index.js" : "index.py";
    snprintf(file, sizeof(file), "%s/%s", tmp, fname);
    rc = write_file(file, data, len);
    free(data);
    if (rc < 0 || (rename(tmp, dir) < 0 && !is_dir(dir))) {
        snprintf(err, errlen, "cannot write the code: %s", strerror(errno));
        unlink(file);
        rmdir(tmp);
        return -1;
    }
    if (is_dir(tmp)) { /* lost the race: the other copy is identical */
        unlink(file);
        rmdir(tmp);
    }
    fgs__strlcpy(out, dir, size);
    return 0;
}
