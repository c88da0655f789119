/*
 * invoke.c - synchronous invocation: POST .../functions/{urn}/invocations.
 *
 * Resolves the URN (version or alias, with the alias's weighted routing),
 * refuses disabled functions, checks the event is JSON, runs it through the
 * scheduler (exec/) and answers in the requested format: v0 (default) the
 * function's result as the body, v1 the envelope {request_id, result, log,
 * status}, with the X-Cff-* headers of FGS-API.md 8.2.
 *
 * Function errors (an exception, timeout, out-of-memory, a crash) are
 * answered 200 with X-Is-Func-Err: true, X-Func-Err-Code the inner code,
 * the error object {"errorMessage","errorType","stackTrace"} as the result
 * and, in v1, status 500. Platform errors use the FSS error body.
 *
 * The worker thread is held while the function runs (see docs/runtimes.md,
 * "Limits"): the HTTP layer calls handlers synchronously.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "api/api.h"
#include "api/common.h"
#include "core/server.h"
#include "exec/exec.h"
#include "http/request.h"
#include "util/crypto.h"
#include "util/str.h"
#include "util/timefmt.h"

#define LOG_TAIL_BYTES 2000

static const int memory_sizes[] = { 128,  256,  512,  768,  1024, 1280, 1536, 1792,
                                    2048, 2560, 3072, 3584, 4096, 8192, 10240 };

static bool memory_ok(int64_t mb)
{
    size_t i;

    for (i = 0; i < sizeof(memory_sizes) / sizeof(memory_sizes[0]); i++)
        if (memory_sizes[i] == mb)
            return true;
    return false;
}

/* The value of cookie name in the request's Cookie header, copied into out; false when absent. */
static bool cookie_value(struct srv_request *req, const char *name, char *out, size_t size)
{
    const char *c = srv_header(req, "Cookie"), *p;
    size_t nl = strlen(name);

    for (p = c; p && *p;) {
        size_t len;

        while (*p == ' ' || *p == ';')
            p++;
        len = strcspn(p, ";");
        if (len > nl && strncmp(p, name, nl) == 0 && p[nl] == '=') {
            size_t vl = len - nl - 1;

            if (vl >= size)
                return false;
            memcpy(out, p + nl + 1, vl);
            out[vl] = '\0';
            return true;
        }
        p += len;
    }
    return false;
}

/* Whether value equals want ("=") or is one of the comma-separated items of want ("in"). */
static bool rule_value_matches(const char *op, const char *want, const char *value)
{
    size_t vl = strlen(value);
    const char *p;

    if (strcmp(op, "=") == 0)
        return strcmp(want, value) == 0;
    for (p = want; *p;) {
        size_t len = strcspn(p, ",");

        if (len == vl && strncmp(p, value, len) == 0)
            return true;
        p += len;
        if (*p == ',')
            p++;
    }
    return false;
}

/* One version's {combine_type, rules} against the request's headers and cookies. */
static bool strategy_matches(struct srv_request *req, json_t *vs)
{
    const char *combine = json_string_value(json_object_get(vs, "combine_type"));
    json_t *rules = json_object_get(vs, "rules"), *r;
    bool any = false, all = true;
    size_t i;

    if (!json_is_array(rules) || json_array_size(rules) == 0)
        return false;
    json_array_foreach(rules, i, r)
    {
        const char *type = json_string_value(json_object_get(r, "rule_type"));
        const char *param = json_string_value(json_object_get(r, "param"));
        const char *op = json_string_value(json_object_get(r, "op"));
        const char *want = json_string_value(json_object_get(r, "value"));
        const char *value = NULL;
        char cookie[256];
        bool m;

        if (!type || !param || !op || !want)
            return false;
        if (strcmp(type, "header") == 0)
            value = srv_header(req, param);
        else if (strcmp(type, "cookie") == 0 && cookie_value(req, param, cookie, sizeof(cookie)))
            value = cookie;
        m = value && rule_value_matches(op, want, value);
        any = any || m;
        all = all && m;
    }
    return combine && strcmp(combine, "or") == 0 ? any : all;
}

/*
 * The version an alias routes this request to (a malloc'd name), or NULL
 * for the alias's main version: first additional_version_strategy (header
 * and cookie rules), then additional_version_weights (percent).
 */
static const char *route_alias(struct srv_request *req, const struct api_fn *f)
{
    json_t *w;
    const char *ver, *chosen = NULL;
    json_t *v;
    unsigned char rnd[2];
    int roll, acc = 0;

    if (!f->alias[0])
        return NULL;
    if (f->al.strategy && *f->al.strategy) {
        json_t *st = json_loads(f->al.strategy, 0, NULL), *vs;
        const char *name;

        json_object_foreach(st, name, vs)
        {
            if (strategy_matches(req, vs)) {
                char *chosen_ver = strdup(name);

                json_decref(st);
                return chosen_ver;
            }
        }
        json_decref(st);
    }
    if (!f->al.weights || !*f->al.weights)
        return NULL;
    w = json_loads(f->al.weights, 0, NULL);
    if (!json_is_object(w) || json_object_size(w) == 0 || fgs__random_bytes(rnd, 2) < 0) {
        json_decref(w);
        return NULL;
    }
    roll = (rnd[0] << 8 | rnd[1]) % 100;
    json_object_foreach(w, ver, v)
    {
        acc += (int)json_integer_value(v);
        if (roll < acc) {
            chosen = ver;
            break;
        }
    }
    if (chosen)
        chosen = strdup(chosen);
    json_decref(w);
    return chosen;
}

/* JSON text must be valid UTF-8: invalid bytes are replaced by '?' (copy). */
static json_t *json_text(const char *s, size_t len)
{
    json_t *j = json_stringn(s, len);
    char *copy;
    size_t i;

    if (j)
        return j;
    copy = malloc(len + 1);
    if (!copy)
        return NULL;
    memcpy(copy, s, len);
    copy[len] = '\0';
    for (i = 0; i < len; i++)
        if ((unsigned char)copy[i] >= 0x80 || copy[i] == '\0')
            copy[i] = '?';
    j = json_stringn(copy, len);
    free(copy);
    return j;
}

/* The execution log: start line, the function's output, finish line. */
static void build_log(struct fgs__buf *out,
                      const char *rid,
                      const char *version,
                      const struct srv_exec_result *r,
                      int memory_mb,
                      int64_t start_ms)
{
    char t0[40], t1[40];
    double mem_mb = r->mem_used > 0 ? (double)r->mem_used / 1048576.0 : 0;

    fgs__time_rfc3339(t0, sizeof(t0), start_ms);
    fgs__time_rfc3339(t1, sizeof(t1), fgs__now_ms());
    fgs__buf_printf(out, "%s Start invoke request '%s', version: %s\n", t0, rid, version);
    if (r->log.len) {
        fgs__buf_put(out, r->log.ptr, r->log.len);
        if (r->log.ptr[r->log.len - 1] != '\n')
            fgs__buf_putc(out, '\n');
    }
    fgs__buf_printf(out,
                    "%s Finish invoke request '%s', duration: %.3fms, billing duration: %.0fms, "
                    "memory used: %.3fMB, billing memory: %dMB\n",
                    t1, rid, r->duration_ms, ceil(r->duration_ms), mem_mb, memory_mb);
}

/* POST .../functions/{urn}/invocations: see the file comment. */
void api_invoke_sync(struct srv_request *req)
{
    struct srv_server *srv = req->srv;
    struct srv_exec_result r;
    struct srv_exec_fn fn;
    struct srv_fnver routed;
    struct api_fn f;
    struct fgs__buf log = FGS__BUF_INIT;
    json_t *cfg = NULL, *strategy, *env;
    const char *ver_hdr, *mem_hdr, *routed_ver = NULL;
    const char *event = req->body.len ? req->body.ptr : "{}";
    size_t event_len = req->body.len ? req->body.len : 2;
    bool v1, tail, have_routed = false;
    int64_t memory, start_ms = fgs__now_ms();
    char hv[256];
    json_error_t jerr;

    memset(&routed, 0, sizeof(routed));
    if (api_fn_load(req, req->seg[1], 0, &f) < 0)
        return;
    /* weighted alias routing: a share of the traffic goes to an additional version */
    routed_ver = route_alias(req, &f);
    if (routed_ver && strcmp(routed_ver, f.version) != 0) {
        if (srv->store->ops->fn_get(srv->store, f.fv.project, f.fv.package, f.fv.name, routed_ver,
                                    &routed) == 0)
            have_routed = true;
    }
    memset(&fn, 0, sizeof(fn));
    fn.fv = have_routed ? &routed : &f.fv;
    fn.alias = f.alias;
    cfg = json_loads(fn.fv->config ? fn.fv->config : "{}", 0, NULL);
    if (!json_is_object(cfg)) {
        srv_fail(req, "FSS.0500", "The stored function configuration is unreadable.");
        goto out;
    }
    fn.config = cfg;
    /* disabled: concurrency 0 (strategy_config) or max_instance_num 0 */
    strategy = json_object_get(cfg, "strategy_config");
    if ((json_is_integer(json_object_get(strategy, "concurrency")) &&
         json_integer_value(json_object_get(strategy, "concurrency")) == 0) ||
        (json_is_integer(json_object_get(cfg, "max_instance_num")) &&
         json_integer_value(json_object_get(cfg, "max_instance_num")) == 0)) {
        srv_fail(req, "FSS.0429", "Function Disabled");
        goto out;
    }
    memory = json_integer_value(json_object_get(cfg, "memory_size"));
    mem_hdr = srv_header(req, "X-Cff-Instance-Memory");
    if (mem_hdr) {
        int64_t m;

        if (fgs__parse_int64(mem_hdr, 0, 1000000, &m) < 0 || !memory_ok(m)) {
            srv_fail(req, "FSS.1007", "X-Cff-Instance-Memory must be one of the memory sizes.");
            goto out;
        }
        memory = m;
    }
    fn.memory_mb = memory > 0 ? (int)memory : 128;
    ver_hdr = srv_header(req, "X-CFF-Request-Version");
    v1 = ver_hdr && strcasecmp(ver_hdr, "v1") == 0;
    tail = srv_header(req, "X-Cff-Log-Type") &&
           strcasecmp(srv_header(req, "X-Cff-Log-Type"), "tail") == 0;
    /* the event must be JSON (checked, then passed on as the original bytes) */
    env = json_loadb(event, event_len, JSON_DECODE_ANY, &jerr);
    if (!env) {
        srv_fail(req, "FSS.0406", "The request body must be JSON: %s (line %d, column %d).",
                 jerr.text, jerr.line, jerr.column);
        goto out;
    }
    json_decref(env);

    srv_exec_invoke(srv, &fn, req->request_id, event, event_len, &r);
    if (r.outcome == SRV_EXEC_PLATFORM_ERROR) {
        srv_fail_status(req, r.http_status, r.fss_code, "%s", r.message);
        srv_exec_result_dispose(&r);
        goto out;
    }
    build_log(&log, req->request_id, fn.fv->version, &r, fn.memory_mb, start_ms);
    srv_add_header(req, "X-Cff-Request-Id", req->request_id);
    snprintf(hv, sizeof(hv),
             "{\"duration\":%.3f,\"billingDuration\":%.0f,\"memorySize\":%d,\"memoryUsed\":%.3f}",
             r.duration_ms, ceil(r.duration_ms), fn.memory_mb,
             r.mem_used > 0 ? (double)r.mem_used / 1048576.0 : 0.0);
    srv_add_header(req, "X-Cff-Invoke-Summary", hv);
    snprintf(hv, sizeof(hv), "%.0f", ceil(r.duration_ms));
    srv_add_header(req, "X-Cff-Billing-Duration", hv);
    srv_add_header(req, "X-Cff-Response-Version", v1 ? "v1" : "v0");
    snprintf(hv, sizeof(hv), "%d", r.err_code);
    srv_add_header(req, "X-Func-Err-Code", hv);
    srv_add_header(req, "X-Is-Func-Err", r.outcome == SRV_EXEC_FUNC_ERROR ? "true" : "false");
    snprintf(hv, sizeof(hv), "%d", fn.memory_mb);
    srv_add_header(req, "X-Cff-Instance-Memory", hv);
    if (tail) {
        size_t off = log.len > LOG_TAIL_BYTES ? log.len - LOG_TAIL_BYTES : 0;
        char *b64 = fgs__b64_encode(log.ptr + off, log.len - off);

        if (b64)
            srv_add_header(req, "X-Cff-Function-Log", b64);
        free(b64);
    }
    if (v1) {
        json_t *res = json_text(r.body.ptr ? r.body.ptr : "", r.body.len);
        json_t *lg = json_text(log.ptr ? log.ptr : "", log.len);

        srv_reply_json(req, 200,
                       json_pack("{s:s, s:o*, s:o*, s:i}", "request_id", req->request_id, "result",
                                 res, "log", lg, "status", r.outcome == SRV_EXEC_OK ? 200 : 500));
    } else {
        srv_reply_raw(req, 200, r.body_is_json ? "application/json" : "text/plain; charset=utf-8",
                      r.body.ptr ? r.body.ptr : "", r.body.len);
    }
    srv_exec_result_dispose(&r);
out:
    fgs__buf_dispose(&log);
    json_decref(cfg);
    free((void *)routed_ver);
    if (have_routed)
        srv_fnver_dispose(&routed);
    api_fn_dispose(&f);
}

/* POST .../functions/{urn}/invocations-async: the durable queue is the next slice. */
void api_invoke_async(struct srv_request *req)
{
    srv_fail(req, "FSS.0501", "Asynchronous invocation is not implemented yet.");
}
