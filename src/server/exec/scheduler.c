/*
 * scheduler.c - instance pools and the synchronous invocation path.
 *
 * State: one mutex guards the pool table and every instance's list links;
 * frames are exchanged without it, by the thread that took the instance
 * (an instance is owned by exactly one invocation while busy). A reaper
 * thread stops instances idle longer than the keep-alive and reaps killed
 * ones (waitpid + cgroup removal happen off the request path).
 *
 * Cold start: spawn the sandbox (cgroup attach included, reference/
 * SANDBOX-NOTES.md 3.6), then wait for READY: the shim has imported the
 * handler and run the initializer. The initializer therefore runs exactly
 * once per instance. Warm start: one INVOKE frame down, LOG + RESULT up.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "core/server.h"
#include "exec/exec.h"
#include "sandbox/sandbox.h"
#include "store/store.h"
#include "util/crypto.h"
#include "util/frame.h"
#include "util/log.h"
#include "util/str.h"
#include "util/timefmt.h"

#define MAX_RESP_BYTES (6291456 + 100) /* RUNTIME_MAX_RESP_BODY_SIZE, ±100 B tolerance */
#define TMP_BYTES (512LL * 1024 * 1024)
#define PIDS_MAX 1024 /* processes + threads per instance (FGS-RUNTIME 8) */
#define SNUSER 1003

struct instance {
    struct instance *next;                /* pool idle stack */
    struct instance *all_prev, *all_next; /* every live instance (for shutdown) */
    struct pool *pool;
    struct srv_sandbox sb;
    int64_t idle_since_ms;
    uint64_t seq;
};

/* Per function (project, package, name): the instance cap spans its versions and pools. */
struct fnstat {
    struct fnstat *next;
    char key[65];        /* SHA-256 of project, package and name */
    int total;           /* instances of the function in all its pools */
    int npools;          /* pools pointing here */
    pthread_cond_t cond; /* an instance of the function came back or a slot freed */
};

struct pool {
    struct pool *next;
    struct fnstat *fs; /* the function's counters */
    char key[65];      /* SHA-256 of the pool key text */
    char fn_key[65];   /* SHA-256 of (function, version, memory) alone */
    bool stale;        /* superseded by a newer code or configuration of the same fn_key */
    struct instance *idle;
    int total; /* idle + busy + starting */
    int max;
    int waiters; /* requests waiting for an instance of this pool (on fs->cond) */
};

struct dead {
    struct dead *next;
    struct srv_sandbox sb;
    int64_t since_ms;
};

/* A spare sandbox: cloned and in its cgroup already, waiting to become an instance. */
struct spare {
    struct spare *next;
    struct srv_sandbox_spare sp;
};

#define SPARES 2 /* kept ready; refilled by the reaper thread */

struct srv_exec {
    pthread_mutex_t mu;
    struct fnstat *fns;   /* per-function counters */
    struct spare *spares; /* ready spares */
    int nspares;
    int64_t spare_retry_ms; /* after a failure, do not retry before this time */
    bool new_net;           /* instances get a new network namespace */
    struct pool *pools;
    struct instance *all; /* every live instance */
    struct dead *dying;   /* killed, waiting for waitpid and rmdir */
    pthread_t reaper;
    pthread_cond_t reaper_cv;
    bool stopping;
    bool have_reaper;
    uint64_t seq;
    char init_path[4200];
    char runtime_dir[4200];
    char root_dir[4200];
    int idle_ms;
};

static void fnstat_put(struct srv_exec *x, struct fnstat *f);

static int64_t now_ms(void)
{
    return fgs__now_ms();
}

static double mono_ms(void)
{
    return (double)fgs__mono_ns() / 1e6;
}

/* Frees the body and log buffers of a result. */
void srv_exec_result_dispose(struct srv_exec_result *r)
{
    fgs__buf_dispose(&r->body);
    fgs__buf_dispose(&r->log);
}

/* Queues a killed sandbox for reaping (call with mu held). */
static void bury(struct srv_exec *x, struct srv_sandbox *sb)
{
    struct dead *d = calloc(1, sizeof(*d));

    srv_sandbox_kill(sb);
    if (!d) {
        /* no memory for the list: reap synchronously, bounded */
        int i;

        for (i = 0; i < 200 && !srv_sandbox_reap(sb); i++)
            usleep(5000);
        return;
    }
    d->sb = *sb;
    d->since_ms = now_ms();
    d->next = x->dying;
    x->dying = d;
    pthread_cond_signal(&x->reaper_cv);
}

static void unlink_all(struct srv_exec *x, struct instance *in)
{
    if (in->all_prev)
        in->all_prev->all_next = in->all_next;
    else
        x->all = in->all_next;
    if (in->all_next)
        in->all_next->all_prev = in->all_prev;
    in->all_prev = in->all_next = NULL;
}

/* Ends an instance: kill, queue for reaping, free the slot (mu held). */
static void retire(struct srv_exec *x, struct instance *in)
{
    unlink_all(x, in);
    bury(x, &in->sb);
    in->pool->total--;
    in->pool->fs->total--;
    pthread_cond_broadcast(&in->pool->fs->cond);
    free(in);
}

/* An idle instance whose init exited (or wrote something unasked) is dead. */
static bool idle_instance_alive(const struct instance *in)
{
    struct pollfd p = { in->sb.ctl_fd, POLLIN, 0 };

    return poll(&p, 1, 0) == 0;
}

static void *reaper_main(void *arg)
{
    struct srv_exec *x = arg;

    pthread_mutex_lock(&x->mu);
    while (!x->stopping || x->dying) {
        struct timespec ts;
        struct dead **dp;
        struct pool *p;
        int64_t now = now_ms();

        /* empty pools (no instance, nobody waiting) are freed; a new request re-creates them */
        for (struct pool **pp = &x->pools; *pp && !x->stopping;) {
            if ((*pp)->total == 0 && (*pp)->waiters == 0) {
                struct pool *dead = *pp;

                *pp = dead->next;
                fnstat_put(x, dead->fs);
                free(dead);
            } else {
                pp = &(*pp)->next;
            }
        }
        for (p = x->pools; p && !x->stopping; p = p->next) {
            struct instance **ip = &p->idle;

            while (*ip) {
                struct instance *in = *ip;

                if (now - in->idle_since_ms >= x->idle_ms) {
                    *ip = in->next;
                    log_debug("exec: instance %llu idle for %d s, stopping it",
                              (unsigned long long)in->seq, x->idle_ms / 1000);
                    retire(x, in);
                } else {
                    ip = &in->next;
                }
            }
        }
        for (dp = &x->dying; *dp;) {
            struct dead *d = *dp;

            /* bounded patience: 60 s normally, 5 s when shutting down */
            if (srv_sandbox_reap(&d->sb) || now - d->since_ms > (x->stopping ? 5000 : 60000)) {
                *dp = d->next;
                free(d);
            } else {
                dp = &d->next;
            }
        }
        if (!x->stopping && x->nspares < SPARES && now >= x->spare_retry_ms) {
            struct spare *sp = calloc(1, sizeof(*sp));
            struct srv_cgroup_limits lim = { 128LL * 1024 * 1024, PIDS_MAX, 128 };
            char name[32], err[512];
            int rc = -1;

            snprintf(name, sizeof(name), "s%llu", (unsigned long long)++x->seq);
            pthread_mutex_unlock(&x->mu);
            if (sp)
                rc = srv_sandbox_spare_new(&sp->sp, x->new_net, name, &lim, err, sizeof(err));
            pthread_mutex_lock(&x->mu);
            if (rc == 0) {
                sp->next = x->spares;
                x->spares = sp;
                x->nspares++;
                continue; /* fill up before sleeping */
            }
            log_warn("exec: cannot prepare a spare sandbox: %s", sp ? err : "out of memory");
            free(sp);
            x->spare_retry_ms = now_ms() + 5000;
        }
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += x->dying ? 20 * 1000000L : 500 * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&x->reaper_cv, &x->mu, &ts);
    }
    pthread_mutex_unlock(&x->mu);
    return NULL;
}

/* Directory of our own executable, where fgs-init and runtimes/ are built. */
static int exe_dir(char *out, size_t size)
{
    ssize_t n = readlink("/proc/self/exe", out, size - 1);
    char *slash;

    if (n <= 0)
        return -1;
    out[n] = '\0';
    slash = strrchr(out, '/');
    if (!slash)
        return -1;
    *slash = '\0';
    return 0;
}

/*
 * Finds fgs-init and the shims next to fgsd, prepares the sandbox (seccomp,
 * cgroups) and starts the reaper thread. Returns 0, or -1 (logged) when
 * functions cannot run on this host; fgsd keeps serving the management API.
 */
int srv_exec_start(struct srv_server *srv)
{
    struct srv_exec *x = calloc(1, sizeof(*x));
    char dir[4096], err[512], path[4400];

    srv->exec = NULL;
    if (!x)
        return -1;
    pthread_mutex_init(&x->mu, NULL);
    pthread_cond_init(&x->reaper_cv, NULL);
    x->idle_ms = srv->cfg.instance_idle_seconds * 1000;
    x->new_net = !srv->cfg.instance_host_net;
    if (exe_dir(dir, sizeof(dir)) < 0)
        goto fail;
    snprintf(x->init_path, sizeof(x->init_path), "%s/fgs-init", dir);
    snprintf(x->runtime_dir, sizeof(x->runtime_dir), "%s/runtimes", dir);
    if (access(x->init_path, X_OK) < 0 || access(x->runtime_dir, R_OK) < 0) {
        log_warn("exec: %s or %s is missing", x->init_path, x->runtime_dir);
        goto fail;
    }
    snprintf(path, sizeof(path), "%s/exec", srv->cfg.data_dir);
    snprintf(x->root_dir, sizeof(x->root_dir), "%s/exec/root", srv->cfg.data_dir);
    if ((mkdir(path, 0700) < 0 && errno != EEXIST) ||
        (mkdir(x->root_dir, 0755) < 0 && errno != EEXIST)) {
        log_warn("exec: cannot create %s: %s", x->root_dir, strerror(errno));
        goto fail;
    }
    snprintf(path, sizeof(path), "%s/exec/code", srv->cfg.data_dir);
    if (mkdir(path, 0755) < 0 && errno != EEXIST)
        goto fail;
    if (srv_sandbox_global_init(err, sizeof(err)) < 0) {
        log_warn("exec: %s", err);
        goto fail;
    }
    if (pthread_create(&x->reaper, NULL, reaper_main, x) != 0) {
        srv_sandbox_global_dispose();
        goto fail;
    }
    x->have_reaper = true;
    srv->exec = x;
    log_info("exec: instances run in sandboxes (network %s, idle keep-alive %d s)",
             srv->cfg.instance_host_net ? "host" : "none", srv->cfg.instance_idle_seconds);
    return 0;
fail:
    pthread_mutex_destroy(&x->mu);
    pthread_cond_destroy(&x->reaper_cv);
    free(x);
    return -1;
}

/*
 * Kills every instance and spare, waits (bounded) for running invocations to
 * notice, reaps everything and removes fgsd's cgroups.
 */
void srv_exec_stop(struct srv_server *srv)
{
    struct srv_exec *x = srv->exec;
    struct instance *in;
    struct pool *p;
    int i, busy;

    if (!x)
        return;
    pthread_mutex_lock(&x->mu);
    x->stopping = true;
    /* idle ones are retired here; busy ones are killed and retired by their invocation */
    for (p = x->pools; p; p = p->next) {
        while (p->idle) {
            in = p->idle;
            p->idle = in->next;
            retire(x, in);
        }
        pthread_cond_broadcast(&p->fs->cond);
    }
    for (in = x->all; in; in = in->all_next)
        srv_sandbox_kill(&in->sb);
    while (x->spares) {
        struct spare *sp = x->spares;
        struct srv_sandbox sb;

        x->spares = sp->next;
        srv_sandbox_spare_discard(&sp->sp, &sb);
        bury(x, &sb);
        free(sp);
    }
    x->nspares = 0;
    pthread_mutex_unlock(&x->mu);
    /* bounded wait for the busy ones to come back (their frames fail at once) */
    for (i = 0; i < 500; i++) {
        pthread_mutex_lock(&x->mu);
        busy = x->all != NULL;
        pthread_mutex_unlock(&x->mu);
        if (!busy)
            break;
        usleep(10000);
    }
    pthread_mutex_lock(&x->mu);
    pthread_cond_signal(&x->reaper_cv);
    pthread_mutex_unlock(&x->mu);
    pthread_join(x->reaper, NULL); /* returns once every killed instance is reaped */
    if (busy) {
        log_warn("exec: instances still busy at shutdown; leaving their state");
        return;
    }
    while (x->pools) {
        p = x->pools;
        x->pools = p->next;
        fnstat_put(x, p->fs);
        free(p);
    }
    srv_sandbox_global_dispose();
    /* the struct stays: late requests on HTTP threads still look at ->stopping */
    srv->exec = x;
}

/*
 * The pool key: everything that makes two instances interchangeable; and
 * the function key: which pools a new code or configuration supersedes.
 */
static void pool_key(char out[65], char fn_out[65], char fs_out[65], const struct srv_exec_fn *fn)
{
    struct fgs__buf b = FGS__BUF_INIT;

    fgs__buf_printf(&b, "%s\n%s\n%s\n", fn->fv->project, fn->fv->package, fn->fv->name);
    fgs__sha256_hex(fs_out, b.ptr ? b.ptr : "", b.len);
    fgs__buf_clear(&b);
    fgs__buf_printf(&b, "%s\n%s\n%s\n%s\n%d\n", fn->fv->project, fn->fv->package, fn->fv->name,
                    fn->fv->version, fn->memory_mb);
    fgs__sha256_hex(fn_out, b.ptr ? b.ptr : "", b.len);
    fgs__buf_printf(&b, "%s\n%s", fn->fv->digest, fn->fv->config ? fn->fv->config : "");
    fgs__sha256_hex(out, b.ptr ? b.ptr : "", b.len);
    fgs__buf_dispose(&b);
}

/*
 * The pool of key (mu held), created when missing. A new pool supersedes the
 * older pools of the same function version and memory (the code or the
 * configuration changed): their idle instances stop now, busy ones when
 * their invocation ends.
 */
/* The counters of a function (mu held), created when missing; NULL when out of memory. */
static struct fnstat *fnstat_get(struct srv_exec *x, const char *key)
{
    struct fnstat *f;

    for (f = x->fns; f; f = f->next)
        if (strcmp(f->key, key) == 0) {
            f->npools++;
            return f;
        }
    f = calloc(1, sizeof(*f));
    if (!f)
        return NULL;
    fgs__strlcpy(f->key, key, sizeof(f->key));
    pthread_cond_init(&f->cond, NULL);
    f->npools = 1;
    f->next = x->fns;
    x->fns = f;
    return f;
}

/* Drops a pool's reference (mu held); the counters go with the last pool. */
static void fnstat_put(struct srv_exec *x, struct fnstat *f)
{
    struct fnstat **fp;

    if (--f->npools > 0)
        return;
    for (fp = &x->fns; *fp; fp = &(*fp)->next)
        if (*fp == f) {
            *fp = f->next;
            break;
        }
    pthread_cond_destroy(&f->cond);
    free(f);
}

static struct pool *
pool_get(struct srv_exec *x, const char *key, const char *fn_key, const char *fs_key, int max)
{
    struct pool *p;

    for (p = x->pools; p; p = p->next)
        if (strcmp(p->key, key) == 0) {
            p->max = max;
            p->stale = false;
            return p;
        }
    for (p = x->pools; p; p = p->next) {
        if (p->stale || strcmp(p->fn_key, fn_key) != 0)
            continue;
        p->stale = true;
        while (p->idle) {
            struct instance *in = p->idle;

            p->idle = in->next;
            retire(x, in);
        }
    }
    p = calloc(1, sizeof(*p));
    if (!p)
        return NULL;
    p->fs = fnstat_get(x, fs_key);
    if (!p->fs) {
        free(p);
        return NULL;
    }
    fgs__strlcpy(p->key, key, sizeof(p->key));
    fgs__strlcpy(p->fn_key, fn_key, sizeof(p->fn_key));
    p->max = max;
    p->next = x->pools;
    x->pools = p;
    return p;
}

/*
 * Stops one idle instance of another pool of the same function (mu held),
 * so that a function at its instance cap can serve a version or
 * configuration it has no instance of. Returns whether one was stopped.
 */
static bool evict_idle_sibling(struct srv_exec *x, struct pool *pool)
{
    struct pool *p;

    for (p = x->pools; p; p = p->next) {
        if (p != pool && p->fs == pool->fs && p->idle) {
            struct instance *in = p->idle;

            p->idle = in->next;
            retire(x, in);
            return true;
        }
    }
    return false;
}

static void
platform_error(struct srv_exec_result *r, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
platform_error(struct srv_exec_result *r, int status, const char *code, const char *fmt, ...)
{
    va_list ap;

    r->outcome = SRV_EXEC_PLATFORM_ERROR;
    r->http_status = status;
    r->fss_code = code;
    va_start(ap, fmt);
    vsnprintf(r->message, sizeof(r->message), fmt, ap);
    va_end(ap);
}

static void func_error(struct srv_exec_result *r, int code, const char *type, const char *msg)
{
    json_t *e = json_pack("{s:s, s:s, s:[]}", "errorMessage", msg, "errorType", type, "stackTrace");
    char *text = e ? json_dumps(e, JSON_COMPACT) : NULL;

    r->outcome = SRV_EXEC_FUNC_ERROR;
    r->err_code = code;
    r->body_is_json = true;
    fgs__buf_clear(&r->body);
    if (text)
        fgs__buf_puts(&r->body, text);
    free(text);
    json_decref(e);
}

/* Reads the meta of an up frame: ok, code, reason. */
static void
parse_meta(const char *meta, bool *ok, int *code, char *reason, size_t rsize, bool *is_json)
{
    json_t *m = json_loads(meta, 0, NULL);

    *ok = json_is_true(json_object_get(m, "ok"));
    *code = (int)json_integer_value(json_object_get(m, "code"));
    *is_json = json_is_true(json_object_get(m, "json"));
    fgs__strlcpy(reason,
                 json_string_value(json_object_get(m, "reason"))
                     ? json_string_value(json_object_get(m, "reason"))
                     : "",
                 rsize);
    json_decref(m);
}

/*
 * Classifies an instance that ended during a load or an invocation: OOM
 * (the memory cgroup's oom_kill counter moved), timeout, or a crash.
 */
static void instance_ended(struct srv_exec_result *r,
                           const struct instance *in,
                           const char *reason,
                           int timeout_s,
                           bool loading)
{
    char msg[160];

    if (srv_sandbox_oom_kills(&in->sb) > 0) {
        func_error(r, SRV_FERR_OOM, "RuntimeMemoryLimitExceeded", "runtime memory limit exceeded");
    } else if (strcmp(reason, "timeout") == 0) {
        snprintf(msg, sizeof(msg), "%s timed out after %d s",
                 loading ? "initialization" : "invocation", timeout_s);
        func_error(r, loading ? SRV_FERR_INIT_TIMEOUT : SRV_FERR_TIMEOUT, "FunctionTimeout", msg);
    } else {
        func_error(r, SRV_FERR_CRASH, "RuntimeExited",
                   "the runtime process exited unexpectedly during the invocation");
    }
}

/*
 * Reads LOG frames into r->log until a frame of kind want arrives (returned
 * in f). Returns 0, or the FGS_FRAME_E* code.
 */
static int
read_until(int fd, uint8_t want, struct fgs__frame *f, struct srv_exec_result *r, int timeout_ms)
{
    int64_t end = now_ms() + timeout_ms;

    for (;;) {
        int left = (int)(end - now_ms()), rc;

        if (left <= 0)
            return FGS_FRAME_ETIMEOUT;
        rc = fgs__frame_recv(fd, f, 1 << 20, 8u << 20, left);
        if (rc < 0)
            return rc;
        if (f->hdr.kind == FGS_FRAME_LOG) {
            fgs__buf_put(&r->log, f->payload, f->hdr.payload_len);
            fgs__frame_dispose(f);
            continue;
        }
        if (f->hdr.kind == want || f->hdr.kind == FGS_FRAME_READY ||
            f->hdr.kind == FGS_FRAME_RESULT)
            return 0;
        fgs__frame_dispose(f);
        return FGS_FRAME_EPROTO;
    }
}

/*
 * Cold start: a new sandboxed instance, ready (handler loaded, initializer
 * run). Returns the instance, or NULL with r filled (function or platform
 * error).
 */
static struct instance *start_instance(struct srv_server *srv,
                                       struct srv_exec *x,
                                       struct pool *pool,
                                       const struct srv_exec_fn *fn,
                                       struct srv_exec_result *r)
{
    struct srv_sandbox_spec spec;
    struct instance *in = calloc(1, sizeof(*in));
    char **argv = NULL, **envp = NULL;
    char code[4400], err[512], name[64], reason[32];
    struct fgs__frame f = { 0 };
    int64_t timeout = json_integer_value(json_object_get(fn->config, "timeout"));
    int64_t init_t = json_integer_value(json_object_get(fn->config, "initializer_timeout"));
    double t0 = mono_ms();
    struct spare *sp;
    bool ok, is_json, from_spare;
    int rc, code_no;

    if (!in) {
        platform_error(r, 503, "FSS.0503", "Out of memory.");
        return NULL;
    }
    in->pool = pool;
    if (srv_runtime_code_dir(srv, fn, code, sizeof(code), err, sizeof(err)) < 0) {
        platform_error(r, 500, "FSS.0500", "Cannot prepare the function code: %s", err);
        goto fail;
    }
    if (srv_runtime_argv_env(srv, fn, &argv, &envp) < 0) {
        platform_error(r, 503, "FSS.0503", "Out of memory.");
        goto fail;
    }
    pthread_mutex_lock(&x->mu);
    in->seq = ++x->seq;
    pthread_mutex_unlock(&x->mu);
    snprintf(name, sizeof(name), "i%llu", (unsigned long long)in->seq);
    memset(&spec, 0, sizeof(spec));
    spec.root_dir = x->root_dir;
    spec.code_dir = code;
    spec.runtime_dir = x->runtime_dir;
    spec.init_path = x->init_path;
    spec.argv = argv;
    spec.envp = envp;
    spec.tmp_bytes = TMP_BYTES;
    spec.new_net = !srv->cfg.instance_host_net;
    spec.uid = SNUSER;
    spec.gid = SNUSER;
    spec.limits.memory_bytes = (int64_t)fn->memory_mb * 1024 * 1024;
    spec.limits.pids_max = PIDS_MAX;
    /* cpu in proportion to memory: 1024 shares per 1024 MB, at least 128 */
    spec.limits.cpu_shares = fn->memory_mb < 128 ? 128 : fn->memory_mb;
    spec.name = name;
    pthread_mutex_lock(&x->mu);
    sp = x->spares;
    if (sp) {
        x->spares = sp->next;
        x->nspares--;
    }
    pthread_cond_signal(&x->reaper_cv); /* refill */
    pthread_mutex_unlock(&x->mu);
    from_spare = sp != NULL;
    rc = sp ? srv_sandbox_spare_start(&sp->sp, &in->sb, &spec, err, sizeof(err))
            : srv_sandbox_spawn(&in->sb, &spec, err, sizeof(err));
    free(sp);
    if (rc < 0) {
        log_error("exec: cannot start an instance of %s: %s", fn->fv->name, err);
        platform_error(r, 500, "FSS.0500", "Cannot start a function instance.");
        goto fail;
    }
    log_debug("exec: sandbox of %s started in %.1f ms (%s)", fn->fv->name, mono_ms() - t0,
              from_spare ? "from a spare" : "cloned on demand");
    pthread_mutex_lock(&x->mu);
    in->all_next = x->all;
    if (x->all)
        x->all->all_prev = in;
    x->all = in;
    pthread_mutex_unlock(&x->mu);
    if (init_t <= 0)
        init_t = timeout > 0 ? timeout : 3;
    /* loading the handler counts against the initializer timeout, plus the runtime's start */
    rc = read_until(in->sb.ctl_fd, FGS_FRAME_READY, &f, r, (int)(init_t * 1000) + 10000);
    if (rc == 0 && f.hdr.kind == FGS_FRAME_READY) {
        parse_meta(f.meta, &ok, &code_no, reason, sizeof(reason), &is_json);
        if (ok) {
            fgs__frame_dispose(&f);
            r->init_ms = mono_ms() - t0;
            srv_runtime_strv_free(argv);
            srv_runtime_strv_free(envp);
            return in;
        }
        if (reason[0]) {
            instance_ended(r, in, reason, (int)init_t, true);
        } else {
            r->outcome = SRV_EXEC_FUNC_ERROR;
            r->err_code = code_no ? code_no : SRV_FERR_ENTRY;
            r->body_is_json = true;
            fgs__buf_clear(&r->body);
            fgs__buf_put(&r->body, f.payload, f.hdr.payload_len);
        }
    } else if (rc == FGS_FRAME_ETIMEOUT) {
        instance_ended(r, in, "timeout", (int)init_t, true);
    } else {
        instance_ended(r, in, "exit", (int)init_t, true);
    }
    fgs__frame_dispose(&f);
    pthread_mutex_lock(&x->mu);
    retire(x, in);
    pthread_mutex_unlock(&x->mu);
    srv_runtime_strv_free(argv);
    srv_runtime_strv_free(envp);
    return NULL;
fail:
    srv_runtime_strv_free(argv);
    srv_runtime_strv_free(envp);
    pthread_mutex_lock(&x->mu);
    pool->total--;
    pool->fs->total--;
    pthread_cond_broadcast(&pool->fs->cond);
    pthread_mutex_unlock(&x->mu);
    free(in);
    return NULL;
}

/* One invocation on a ready instance. Returns true when the instance may be reused. */
static bool run_on(struct instance *in,
                   const struct srv_exec_fn *fn,
                   const char *request_id,
                   const void *event,
                   size_t len,
                   struct srv_exec_result *r)
{
    int64_t timeout = json_integer_value(json_object_get(fn->config, "timeout"));
    struct fgs__frame_hdr h;
    struct fgs__frame f = { 0 };
    char meta[512], reason[32];
    double t0 = mono_ms();
    bool ok, is_json;
    int rc, code;

    if (timeout <= 0)
        timeout = 3;
    snprintf(meta, sizeof(meta), "{\"request_id\":\"%s\",\"alias\":\"%s\"}", request_id,
             fn->alias ? fn->alias : "");
    memset(&h, 0, sizeof(h));
    h.kind = FGS_FRAME_INVOKE;
    h.id = in->seq;
    h.deadline_ms = (uint64_t)(now_ms() + timeout * 1000);
    h.meta_len = (uint32_t)strlen(meta);
    h.payload_len = (uint32_t)len;
    if (fgs__frame_send(in->sb.ctl_fd, &h, meta, event) < 0) {
        instance_ended(r, in, "exit", (int)timeout, false);
        return false;
    }
    /* fgs-init enforces the deadline; this is the backstop should it not answer */
    rc = read_until(in->sb.ctl_fd, FGS_FRAME_RESULT, &f, r, (int)(timeout * 1000) + 5000);
    r->duration_ms = mono_ms() - t0;
    r->mem_used = srv_sandbox_mem_peak(&in->sb);
    if (rc == FGS_FRAME_ETIMEOUT) {
        instance_ended(r, in, "timeout", (int)timeout, false);
        return false;
    }
    if (rc < 0 || f.hdr.kind != FGS_FRAME_RESULT) {
        fgs__frame_dispose(&f);
        instance_ended(r, in, "exit", (int)timeout, false);
        return false;
    }
    parse_meta(f.meta, &ok, &code, reason, sizeof(reason), &is_json);
    if (reason[0]) {
        fgs__frame_dispose(&f);
        instance_ended(r, in, reason, (int)timeout, false);
        return false;
    }
    if (ok && f.hdr.payload_len > MAX_RESP_BYTES) {
        fgs__frame_dispose(&f);
        func_error(r, SRV_FERR_RESP_SIZE, "FunctionResponseTooLarge",
                   "the function result exceeds 6291456 bytes");
        return true;
    }
    fgs__buf_clear(&r->body);
    if (fgs__buf_put(&r->body, f.payload, f.hdr.payload_len) < 0) {
        fgs__frame_dispose(&f);
        platform_error(r, 503, "FSS.0503", "Out of memory.");
        return true;
    }
    fgs__frame_dispose(&f);
    r->outcome = ok ? SRV_EXEC_OK : SRV_EXEC_FUNC_ERROR;
    r->err_code = ok ? 0 : (code ? code : SRV_FERR_RUN);
    r->body_is_json = ok ? is_json : true;
    return true;
}

/*
 * One synchronous invocation: take or start an instance of the pool, run,
 * give the instance back (or retire it after a timeout, OOM or crash).
 */
enum srv_exec_outcome srv_exec_invoke(struct srv_server *srv,
                                      const struct srv_exec_fn *fn,
                                      const char *request_id,
                                      const void *event,
                                      size_t len,
                                      struct srv_exec_result *out)
{
    struct srv_exec *x = srv->exec;
    struct instance *in = NULL;
    struct pool *pool;
    char key[65], fn_key[65], fs_key[65];
    int64_t cap = json_integer_value(json_object_get(fn->config, "max_instance_num"));
    int64_t timeout = json_integer_value(json_object_get(fn->config, "timeout"));
    int64_t wait_until;
    bool reuse;

    memset(out, 0, sizeof(*out));
    out->mem_used = -1;
    if (!x) {
        platform_error(out, 503, "FSS.0503", "Function execution is not available on this host.");
        return out->outcome;
    }
    if (srv_runtime_kind(json_string_value(json_object_get(fn->config, "runtime"))) ==
        SRV_RT_UNAVAILABLE) {
        platform_error(out, 501, "FSS.0501", "Runtime %s is not available on this host.",
                       json_string_value(json_object_get(fn->config, "runtime")));
        return out->outcome;
    }
    if (cap <= 0 || cap > srv->cfg.max_instances)
        cap = srv->cfg.max_instances; /* -1 (unlimited) and unset use fgsd's cap */
    pool_key(key, fn_key, fs_key, fn);
    wait_until = now_ms() + (timeout > 0 ? timeout : 3) * 1000;
    pthread_mutex_lock(&x->mu);
    pool = x->stopping ? NULL : pool_get(x, key, fn_key, fs_key, (int)cap);
    while (pool && !x->stopping) {
        if (pool->idle) {
            in = pool->idle;
            pool->idle = in->next;
            in->next = NULL;
            if (idle_instance_alive(in))
                break;
            retire(x, in); /* died while idle: never hand a dead instance to a request */
            in = NULL;
            continue;
        }
        if (pool->fs->total < pool->max) {
            pool->total++;
            pool->fs->total++;
            break;
        }
        /* the function is at its cap: an idle instance of another version/config makes room */
        if (evict_idle_sibling(x, pool))
            continue;
        {
            struct timespec ts = { (time_t)(wait_until / 1000),
                                   (long)(wait_until % 1000) * 1000000L };
            int rc;

            pool->waiters++;
            rc = pthread_cond_timedwait(&pool->fs->cond, &x->mu, &ts);
            pool->waiters--;
            if (rc == ETIMEDOUT && !pool->idle && pool->fs->total >= pool->max) {
                pool = NULL;
                pthread_mutex_unlock(&x->mu);
                platform_error(out, 429, "FSS.0429",
                               "Too many requests: all %lld instances of the function are busy.",
                               (long long)cap);
                return out->outcome;
            }
        }
    }
    if (!pool || x->stopping) {
        pthread_mutex_unlock(&x->mu);
        /* shutting down, or no memory for the pool */
        platform_error(out, 503, "FSS.0503", "Service unavailable.");
        return out->outcome;
    }
    pthread_mutex_unlock(&x->mu);
    if (!in) {
        in = start_instance(srv, x, pool, fn, out);
        if (!in)
            return out->outcome;
        log_debug("exec: cold start of %s:%s in %.1f ms", fn->fv->name, fn->fv->version,
                  out->init_ms);
    }
    reuse = run_on(in, fn, request_id, event, len, out);
    pthread_mutex_lock(&x->mu);
    if (reuse && !x->stopping && !pool->stale) {
        in->idle_since_ms = now_ms();
        in->next = pool->idle;
        pool->idle = in;
        pthread_cond_broadcast(&pool->fs->cond);
    } else {
        retire(x, in);
    }
    pthread_mutex_unlock(&x->mu);
    return out->outcome;
}
