/*
 * exec.h - running functions: the scheduler (instance pools per function
 * version and configuration), instance life cycle and the runtime mapping.
 *
 * A pool holds the instances of one (function, version, code digest,
 * configuration, memory) key. An invocation takes an idle instance, or
 * starts one (cold start) while the pool is below its cap, or waits for one
 * to come back. Each instance runs one invocation at a time. Instances that
 * time out, run out of memory or crash are killed and not reused; idle ones
 * are killed after the keep-alive. Nothing on this path writes to the store.
 *
 * Thread-safety: srv_exec_invoke() may be called from any number of threads.
 */
#ifndef SRV_EXEC_H
#define SRV_EXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "util/buf.h"

struct srv_server;
struct srv_fnver;

/* The language a runtime name maps to on this host. */
enum srv_runtime_kind {
    SRV_RT_UNAVAILABLE = 0, /* Java, Go, C#, PHP, Cangjie, Custom, http, Custom Image (later) */
    SRV_RT_PYTHON,          /* every Python3.x / Python2.7 -> /usr/bin/python3 */
    SRV_RT_NODE,            /* every Node.js* -> /usr/bin/node */
};

/* Maps a FunctionGraph runtime name (e.g. "Python3.9", "Node.js18.15"). */
enum srv_runtime_kind srv_runtime_kind(const char *runtime);

/* What to invoke: a resolved version row and how it is called. */
struct srv_exec_fn {
    const struct srv_fnver *fv; /* the version row (config, digest, names) */
    json_t *config;             /* fv->config parsed (borrowed) */
    const char *alias;          /* the alias invoked through, or "" */
    int memory_mb;              /* effective memory (X-Cff-Instance-Memory or memory_size) */
};

enum srv_exec_outcome {
    SRV_EXEC_OK = 0,         /* the function returned a result */
    SRV_EXEC_FUNC_ERROR,     /* the function failed: exception, timeout, OOM, crash */
    SRV_EXEC_PLATFORM_ERROR, /* fgsd could not run it: http_status/fss_code/message */
};

/* Error codes (X-Func-Err-Code), the inner codes FunctionGraph/yr use. */
#define SRV_FERR_ENTRY 4001     /* handler not found, import error */
#define SRV_FERR_RUN 4002       /* the function raised */
#define SRV_FERR_RESP_SIZE 4004 /* result beyond 6 MB */
#define SRV_FERR_NOT_JSON 4007  /* result not serialisable */
#define SRV_FERR_INIT 4009      /* the initializer raised */
#define SRV_FERR_TIMEOUT 4010   /* the invocation ran past its timeout */
#define SRV_FERR_OOM 4205       /* runtime memory limit exceeded */
#define SRV_FERR_CRASH 4208     /* the runtime exited during the invocation */
#define SRV_FERR_INIT_TIMEOUT 4211

struct srv_exec_result {
    enum srv_exec_outcome outcome;
    int err_code;         /* 0 or SRV_FERR_* */
    struct fgs__buf body; /* result bytes, or the error JSON for function errors */
    bool body_is_json;    /* the shim JSON-serialised the result */
    struct fgs__buf log;  /* what the function printed during this invocation */
    double duration_ms;   /* handler time as seen by fgsd */
    double init_ms;       /* cold start time (0 when warm) */
    int64_t mem_used;     /* peak bytes of the instance, -1 unknown */
    int http_status;      /* platform errors */
    const char *fss_code;
    char message[256];
};

/* Starts the scheduler (sandbox global set-up, idle reaper). Returns 0 or -1. */
int srv_exec_start(struct srv_server *srv);
/* Kills every instance, removes the cgroups and stops the reaper. */
void srv_exec_stop(struct srv_server *srv);

/*
 * Runs one invocation synchronously: event is the request body (already
 * checked to be JSON), request_id names it. Fills out (dispose with
 * srv_exec_result_dispose) and returns its outcome.
 */
enum srv_exec_outcome srv_exec_invoke(struct srv_server *srv,
                                      const struct srv_exec_fn *fn,
                                      const char *request_id,
                                      const void *event,
                                      size_t len,
                                      struct srv_exec_result *out);
void srv_exec_result_dispose(struct srv_exec_result *r);

/* --- internal: runtime.c ----------------------------------------------------------------- */

/* argv and envp for fgs-init of one instance; free with srv_runtime_strv_free. */
int srv_runtime_argv_env(struct srv_server *srv,
                         const struct srv_exec_fn *fn,
                         char ***argv,
                         char ***envp);
void srv_runtime_strv_free(char **v);
/*
 * The host directory holding the function's code (unpacked per digest);
 * materialises inline code when the package cache has no copy. Returns 0
 * or -1 with a message.
 */
int srv_runtime_code_dir(struct srv_server *srv,
                         const struct srv_exec_fn *fn,
                         char *out,
                         size_t size,
                         char *err,
                         size_t errlen);

#endif
