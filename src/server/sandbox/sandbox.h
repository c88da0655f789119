/*
 * sandbox.h - one function instance = one process tree in its own mount,
 * pid, ipc, uts, cgroup and (by default) network namespaces, with a minimal
 * read-only root, its own cgroup, no capabilities, no_new_privs and a
 * seccomp deny list. See docs/sandbox.md for what this does and does not
 * protect against.
 *
 * Structure (nsjail: one file per mechanism; bubblewrap: a list of setup
 * operations run in a fixed order):
 *   sandbox.c  orchestration: clone(), parent-side placement, child steps
 *   ns_mount.c the root file system plan (built in the parent) and its
 *              execution (in the child)
 *   ns_net.c   loopback in the new network namespace
 *   cgroup.c   cgroup v1 (and v2) create / limit / attach / OOM / kill
 *   seccomp.c  the deny list, compiled once to BPF in the parent
 *   caps.c     dropping capabilities and switching uid/gid
 *   rlimit.c   resource limits
 *
 * Thread-safety: srv_sandbox_global_init() once at start-up; spawn, kill
 * and reap may be called from any thread.
 */
#ifndef SRV_SANDBOX_H
#define SRV_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/filter.h>

#define SBX_PATH 4096

/* The cgroup of one instance (one directory per v1 controller, or one v2 directory). */
struct srv_cgroup {
    char dirs[6][SBX_PATH]; /* every directory to attach to and remove */
    int ndirs;
    char memory[SBX_PATH];   /* the directory with the memory controller files */
    char kill_dir[SBX_PATH]; /* a v2/unified directory offering cgroup.kill, or "" */
    char freezer[SBX_PATH];  /* v1 freezer directory, or "" */
    bool v2;                 /* memory files are v2 (memory.events, memory.peak) */
};

struct srv_cgroup_limits {
    int64_t memory_bytes; /* memory (and memory+swap) limit */
    int64_t pids_max;     /* processes + threads */
    int64_t cpu_shares;   /* v1 cpu.shares (v2 weight derived from it) */
};

/* What to run and how to confine it; all strings are host paths unless noted. */
struct srv_sandbox_spec {
    const char *root_dir;    /* an empty host directory the new root is mounted on */
    const char *code_dir;    /* bound read-only at /opt/function/code */
    const char *runtime_dir; /* language shims, bound read-only at /opt/fgs/runtimes */
    const char *init_path;   /* the fgs-init binary, bound read-only at /opt/fgs/bin/fgs-init */
    char *const *argv;       /* fgs-init's argv (paths inside the sandbox) */
    char *const *envp;       /* the complete environment (nothing is inherited) */
    int64_t tmp_bytes;       /* size of the /tmp tmpfs */
    bool new_net;            /* a new, empty network namespace (loopback only) */
    uid_t uid;               /* uid/gid the instance runs as (1003) */
    gid_t gid;
    struct srv_cgroup_limits limits;
    const char *name; /* cgroup directory name, unique per fgsd */
};

/* A running instance. */
struct srv_sandbox {
    pid_t pid;  /* fgs-init, pid 1 of the instance's pid namespace */
    int ctl_fd; /* our end of the control socketpair (fd 3 inside) */
    struct srv_cgroup cg;
    bool reaped; /* waitpid() collected pid */
};

/*
 * Once per process: detects the cgroup layout, creates fgsd's own cgroup
 * directories (named fgs.<pid>), compiles the seccomp filter and reads the
 * host files copied into each sandbox's /etc. Returns 0, or -1 with a
 * message in err.
 */
int srv_sandbox_global_init(char *err, size_t errlen);
/* Removes fgsd's cgroup directories (after every instance is gone). */
void srv_sandbox_global_dispose(void);

/*
 * Starts an instance. Steps run in a fixed order and each is checked; a
 * failure in the child is reported back through a pipe with the step name
 * and errno. Returns 0 with *out filled, or -1 with a message in err.
 */
int srv_sandbox_spawn(struct srv_sandbox *out,
                      const struct srv_sandbox_spec *spec,
                      char *err,
                      size_t errlen);

/*
 * A spare: a sandbox child already cloned into its namespaces and moved into
 * its own cgroup (the slow step on cgroup v1), waiting for the spec of the
 * instance it will become. Spares are made ahead of demand so that a cold
 * start does not pay the cgroup migration.
 */
struct srv_sandbox_spare {
    pid_t pid;            /* the waiting child, -1 when none */
    int spec_fd;          /* write end: the spec the child becomes */
    int err_fd;           /* read end: error report, or EOF at execve */
    int ctl_fd;           /* our end of the control socketpair */
    bool new_net;         /* cloned with a new network namespace */
    struct srv_cgroup cg; /* created with provisional limits */
};

/*
 * Makes a spare: cgroup (with the provisional limits l), clone, attach.
 * Returns 0 or -1 with a message in err.
 */
int srv_sandbox_spare_new(struct srv_sandbox_spare *out,
                          bool new_net,
                          const char *name,
                          const struct srv_cgroup_limits *l,
                          char *err,
                          size_t errlen);
/*
 * Turns a spare into a running instance of spec (spec->new_net must match;
 * spec->name is ignored: the spare's cgroup is kept). The spare is consumed
 * either way. Returns 0 with *out filled, or -1 with a message in err.
 */
int srv_sandbox_spare_start(struct srv_sandbox_spare *sp,
                            struct srv_sandbox *out,
                            const struct srv_sandbox_spec *spec,
                            char *err,
                            size_t errlen);
/* Turns an unused spare into a killed sandbox for srv_sandbox_reap(). */
void srv_sandbox_spare_discard(struct srv_sandbox_spare *sp, struct srv_sandbox *out);

/* Kills the whole instance (SIGKILL to its pid-namespace init, then the cgroup). */
void srv_sandbox_kill(struct srv_sandbox *sb);
/*
 * Collects the exit status and removes the cgroup. Returns 1 when done, 0
 * when the instance is still exiting (call again later).
 */
int srv_sandbox_reap(struct srv_sandbox *sb);
/* Number of OOM kills in the instance's memory cgroup so far. */
int64_t srv_sandbox_oom_kills(const struct srv_sandbox *sb);
/* Peak memory use in bytes, or -1. */
int64_t srv_sandbox_mem_peak(const struct srv_sandbox *sb);

/* --- internal interfaces between the sandbox files ---------------------------------------- */

/* cgroup.c */
int srv_cgroup_global_init(char *err, size_t errlen);
void srv_cgroup_global_dispose(void);
int srv_cgroup_create(struct srv_cgroup *cg,
                      const char *name,
                      const struct srv_cgroup_limits *l,
                      char *err,
                      size_t errlen);
int srv_cgroup_attach(const struct srv_cgroup *cg, pid_t pid, char *err, size_t errlen);
int srv_cgroup_set_limits(const struct srv_cgroup *cg, const struct srv_cgroup_limits *l);
int64_t srv_cgroup_oom_kills(const struct srv_cgroup *cg);
int64_t srv_cgroup_mem_peak(const struct srv_cgroup *cg);
void srv_cgroup_kill_all(const struct srv_cgroup *cg);
int srv_cgroup_destroy(struct srv_cgroup *cg);

/* seccomp.c */
int srv_seccomp_global_init(char *err, size_t errlen);
const struct sock_fprog *srv_seccomp_prog(void);
int srv_seccomp_load_child(void);

/* caps.c */
int srv_caps_global_init(void);
int srv_caps_drop_child(uid_t uid, gid_t gid, const char **step);

/* rlimit.c */
int srv_rlimit_apply_child(int64_t fsize_bytes, const char **step);

/* ns_net.c */
int srv_net_loopback_up_child(void);

/* ns_mount.c: a plan of mount operations prepared in the parent, run in the child */
struct srv_mount_plan;
int srv_mount_global_init(void);
struct srv_mount_plan *srv_mount_plan_new(const struct srv_sandbox_spec *spec);
void srv_mount_plan_free(struct srv_mount_plan *p);
size_t srv_mount_plan_size(void);
size_t srv_mount_plan_used(const struct srv_mount_plan *p);
bool srv_mount_plan_valid(const struct srv_mount_plan *p, size_t len);
int srv_mount_plan_run_child(const struct srv_mount_plan *p, const char **step);

#endif
