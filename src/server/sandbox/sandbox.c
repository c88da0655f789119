/*
 * sandbox.c - starting, killing and reaping instances (see sandbox.h).
 *
 * Parent side (fgsd, multi-threaded, root):
 *   1. build everything the child needs (mount plan, argv/envp, cgroup with
 *      limits) - the child of a multi-threaded process may not allocate;
 *   2. clone() with new mount, pid, ipc, uts (and net) namespaces; the
 *      child blocks on a sync pipe;
 *   3. attach the child to the instance cgroup (before it runs anything,
 *      so every process the function ever creates is charged and limited);
 *   4. release the child, then wait for either an error report or the
 *      close-on-exec of the error pipe (execve succeeded).
 * Child side, in this order, each step checked and reported by name:
 *   unshare(CLONE_NEWCGROUP) (the instance sees its own cgroup as "/"),
 *   loopback up, root file system + pivot_root, hostname, rlimits, fds,
 *   drop capabilities and uid/gid, parent-death signal, no_new_privs +
 *   seccomp, execve(fgs-init).
 * The child becomes pid 1 of its pid namespace: when it dies, the kernel
 * kills every process of the instance, so SIGKILL to it is a complete kill.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/close_range.h>
#include "sandbox/sandbox.h"
#include "util/buf.h"
#include "util/log.h"

/* Error report from the child: the failed step's name and errno. */
struct child_err {
    int err;
    char step[120];
};

/*
 * Once per process: seccomp filter, capability count, host /etc facts, cgroup layout.
 * Returns 0 or -1 with a message in err.
 */
int srv_sandbox_global_init(char *err, size_t errlen)
{
    if (srv_seccomp_global_init(err, errlen) < 0)
        return -1;
    srv_caps_global_init();
    srv_mount_global_init();
    return srv_cgroup_global_init(err, errlen);
}

/* Removes fgsd's cgroup directories; call after every instance is reaped. */
void srv_sandbox_global_dispose(void)
{
    srv_cgroup_global_dispose();
}

static void copy_step(char *dst, size_t size, const char *src)
{
    size_t i;

    for (i = 0; i + 1 < size && src[i]; i++)
        dst[i] = src[i];
    dst[i] = '\0';
}

static __attribute__((noreturn)) void child_fail(int errfd, const char *step)
{
    struct child_err ce;

    ce.err = errno;
    copy_step(ce.step, sizeof(ce.step), step);
    if (write(errfd, &ce, sizeof(ce)) < 0) {
        /* nothing left to report to */
    }
    _exit(127);
}

/*
 * What a spare child becomes, sent over the spec pipe once it is in its
 * cgroup: this header, the mount plan (one flat block), then argc argv
 * strings and envc envp strings, each NUL-terminated.
 */
struct spec_hdr {
    uint32_t magic;
    uint32_t len; /* bytes after this header */
    uint32_t argc;
    uint32_t envc;
    uint32_t uid;
    uint32_t gid;
    uint32_t plan_len; /* bytes of the mount plan at the start of the blob */
    int64_t tmp_bytes;
};

#define SPEC_MAGIC 0x46475353u

static int read_full(int fd, void *buf, size_t len)
{
    size_t got = 0;

    while (got < len) {
        ssize_t r = read(fd, (char *)buf + got, len - got);

        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        got += (size_t)r;
    }
    return 0;
}

/*
 * The cloned child. Only async-signal-safe calls from here on: the parent
 * has other threads, whose locks (malloc's included) may be held forever
 * in this copy of the address space. Memory for the spec comes from mmap.
 */
static __attribute__((noreturn)) void
child_main(bool new_net, int specfd, int errfd, int ctlfd, int logfd)
{
    const char *step = "wait for the spec";
    const struct srv_mount_plan *plan;
    struct spec_hdr h;
    char *blob, *p, **argv, **envp;
    size_t need, aligned;
    uint32_t i;
    int a, b, fd;

    /* 1. wait until the parent has moved us into the instance cgroup and sent the spec */
    if (read_full(specfd, &h, sizeof(h)) < 0 || h.magic != SPEC_MAGIC || h.len < h.plan_len ||
        h.len > (64u << 20) || h.argc < 1 || h.argc > 64 || h.envc > 4096) {
        errno = EPROTO;
        child_fail(errfd, step);
    }
    /* the strings, then (8-aligned) the argv and envp pointer arrays */
    aligned = ((size_t)h.len + 7) & ~(size_t)7;
    need = aligned + (size_t)(h.argc + h.envc + 2) * sizeof(char *);
    blob = mmap(NULL, need, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (blob == MAP_FAILED || read_full(specfd, blob, h.len) < 0)
        child_fail(errfd, step);
    close(specfd);
    plan = (const struct srv_mount_plan *)(const void *)blob;
    if (!srv_mount_plan_valid(plan, h.plan_len)) {
        errno = EPROTO;
        child_fail(errfd, "parse the spec");
    }
    argv = (char **)(void *)(blob + aligned);
    envp = argv + h.argc + 1;
    p = blob + h.plan_len;
    for (i = 0; i < h.argc + h.envc; i++) {
        char *end = memchr(p, '\0', (size_t)(blob + h.len - p));

        if (!end) {
            errno = EPROTO;
            child_fail(errfd, "parse the spec");
        }
        if (i < h.argc)
            argv[i] = p;
        else
            envp[i - h.argc] = p;
        p = end + 1;
    }
    argv[h.argc] = NULL;
    envp[h.envc] = NULL;
    step = "unshare the cgroup namespace";
    if (unshare(CLONE_NEWCGROUP) < 0)
        child_fail(errfd, step);
    /* 2. network: an empty namespace with loopback up */
    if (new_net && srv_net_loopback_up_child() < 0)
        child_fail(errfd, "bring loopback up");
    /* 3. the root file system */
    if (srv_mount_plan_run_child(plan, &step) < 0)
        child_fail(errfd, step);
    if (sethostname("localhost", 9) < 0)
        child_fail(errfd, "sethostname");
    /* 4. limits, while raising hard limits is still allowed */
    if (srv_rlimit_apply_child(h.tmp_bytes, &step) < 0)
        child_fail(errfd, step);
    /*
     * 5. descriptors: 0 = /dev/null, 1 and 2 = fgsd's log (fgs-init's own
     * diagnostics; the function's output goes to a pipe fgs-init reads),
     * 3 = the control socket, 4 = the error pipe (close-on-exec), nothing
     * else. Moved above 100 first so the dup2()s cannot collide.
     */
    a = fcntl(ctlfd, F_DUPFD, 100);
    b = fcntl(errfd, F_DUPFD_CLOEXEC, 100);
    if (a < 0 || b < 0)
        child_fail(errfd, "move descriptors");
    errfd = b;
    fd = open("/dev/null", O_RDONLY);
    if (fd < 0 || dup2(fd, 0) < 0 || dup2(logfd, 1) < 0 || dup2(logfd, 2) < 0 || dup2(a, 3) < 0 ||
        dup3(b, 4, O_CLOEXEC) < 0)
        child_fail(errfd, "set up descriptors");
    errfd = 4;
    if (syscall(SYS_close_range, 5, ~0U, 0) < 0)
        child_fail(errfd, "close inherited descriptors");
    /* 6. privileges */
    if (srv_caps_drop_child((uid_t)h.uid, (gid_t)h.gid, &step) < 0)
        child_fail(errfd, step);
    /* set after the uid change, which clears it; fgsd dying must take the instance along */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
        child_fail(errfd, "set the parent-death signal");
    /* 7. seccomp last: everything above needs calls the filter denies */
    if (srv_seccomp_load_child() < 0)
        child_fail(errfd, "load the seccomp filter");
    execve("/opt/fgs/bin/fgs-init", argv, envp);
    child_fail(errfd, "execve fgs-init");
}

/*
 * First thing in a new child: close every descriptor but 0-2 and the three
 * it needs. The clone copied the whole descriptor table of fgsd - HTTP
 * connections, the listening socket, the database, and the pipe ends of
 * other sandboxes being set up on other threads. A spare may wait a long
 * time for its spec; holding those copies would keep connections from
 * closing and other children's pipes from reaching EOF.
 */
static void keep_only(int a, int b, int c)
{
    int fds[4] = { 2, a, b, c }, i, j, t;

    for (i = 0; i < 4; i++)
        for (j = i + 1; j < 4; j++)
            if (fds[j] < fds[i]) {
                t = fds[i];
                fds[i] = fds[j];
                fds[j] = t;
            }
    for (i = 0; i < 3; i++)
        if (fds[i + 1] > fds[i] + 1)
            syscall(SYS_close_range, (unsigned)fds[i] + 1, (unsigned)fds[i + 1] - 1, 0);
    syscall(SYS_close_range, (unsigned)fds[3] + 1, ~0U, 0);
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/*
 * Creates a spare (see sandbox.h): cgroup with provisional limits, clone, attach.
 * Runs on fgsd's background thread so that requests never pay the attach.
 */
int srv_sandbox_spare_new(struct srv_sandbox_spare *out,
                          bool new_net,
                          const char *name,
                          const struct srv_cgroup_limits *l,
                          char *err,
                          size_t errlen)
{
    int specp[2] = { -1, -1 }, errp[2] = { -1, -1 }, ctl[2] = { -1, -1 };
    unsigned long flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS;
    pid_t pid;
    int i;

    memset(out, 0, sizeof(*out));
    out->pid = -1;
    out->spec_fd = out->err_fd = out->ctl_fd = -1;
    out->new_net = new_net;
    if (new_net)
        flags |= CLONE_NEWNET;
    if (srv_cgroup_create(&out->cg, name, l, err, errlen) < 0)
        return -1;
    if (pipe2(specp, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0 ||
        socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ctl) < 0) {
        snprintf(err, errlen, "pipes: %s", strerror(errno));
        goto fail;
    }
    /* room for the whole spec, so handing it over never waits for the child (best effort) */
    fcntl(specp[1], F_SETPIPE_SZ, 512 * 1024);
    /*
     * A raw clone (fork semantics: the child continues on a copy of this
     * stack) with the namespace flags. glibc's clone() wrapper would need a
     * separate stack, which the sanitizers do not expect.
     */
    pid = (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, 0);
    if (pid < 0) {
        snprintf(err, errlen, "clone: %s", strerror(errno));
        goto fail;
    }
    if (pid == 0) {
        /* a spare waiting for its spec must not outlive fgsd either */
        prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
        keep_only(specp[0], errp[1], ctl[1]);
        child_main(new_net, specp[0], errp[1], ctl[1], 2);
    }
    out->pid = pid;
    close_fd(&specp[0]);
    close_fd(&errp[1]);
    close_fd(&ctl[1]);
    out->spec_fd = specp[1];
    out->err_fd = errp[0];
    out->ctl_fd = ctl[0];
    /* the expensive step on cgroup v1, done before any request needs this instance */
    if (srv_cgroup_attach(&out->cg, pid, err, errlen) < 0) {
        struct srv_sandbox sb;

        srv_sandbox_spare_discard(out, &sb);
        for (i = 0; i < 100 && !srv_sandbox_reap(&sb); i++)
            usleep(2000);
        return -1;
    }
    return 0;
fail:
    for (i = 0; i < 2; i++) {
        close_fd(&specp[i]);
        close_fd(&errp[i]);
        close_fd(&ctl[i]);
    }
    for (i = 0; i < 100 && srv_cgroup_destroy(&out->cg) < 0; i++)
        usleep(2000);
    return -1;
}

/* Kills an unused spare and hands it back as a sandbox for srv_sandbox_reap(). */
void srv_sandbox_spare_discard(struct srv_sandbox_spare *sp, struct srv_sandbox *out)
{
    memset(out, 0, sizeof(*out));
    out->pid = sp->pid;
    out->ctl_fd = sp->ctl_fd;
    out->cg = sp->cg;
    close_fd(&sp->spec_fd);
    close_fd(&sp->err_fd);
    sp->pid = -1;
    sp->ctl_fd = -1;
    srv_sandbox_kill(out);
}

/*
 * Turns a spare into an instance: final limits, then the spec down the pipe, then
 * waits for the child's execve (EOF on the close-on-exec error pipe) or its error report.
 */
int srv_sandbox_spare_start(struct srv_sandbox_spare *sp,
                            struct srv_sandbox *out,
                            const struct srv_sandbox_spec *spec,
                            char *err,
                            size_t errlen)
{
    struct srv_mount_plan *plan = NULL;
    struct fgs__buf blob = FGS__BUF_INIT;
    struct spec_hdr h;
    struct child_err ce;
    ssize_t r;
    int i;

    memset(out, 0, sizeof(*out));
    out->pid = -1;
    out->ctl_fd = -1;
    if (spec->new_net != sp->new_net) {
        snprintf(err, errlen, "the spare's network namespace does not match");
        goto fail;
    }
    if (srv_cgroup_set_limits(&sp->cg, &spec->limits) < 0) {
        snprintf(err, errlen, "cgroup: cannot set the limits: %s", strerror(errno));
        goto fail;
    }
    plan = srv_mount_plan_new(spec);
    if (!plan) {
        snprintf(err, errlen, "cannot build the mount plan (out of memory or a path too long)");
        goto fail;
    }
    memset(&h, 0, sizeof(h));
    h.plan_len = (uint32_t)srv_mount_plan_used(plan);
    if (fgs__buf_put(&blob, plan, h.plan_len) < 0)
        goto oom;
    h.magic = SPEC_MAGIC;
    h.uid = (uint32_t)spec->uid;
    h.gid = (uint32_t)spec->gid;
    h.tmp_bytes = spec->tmp_bytes;
    for (i = 0; spec->argv[i]; i++, h.argc++)
        if (fgs__buf_put(&blob, spec->argv[i], strlen(spec->argv[i]) + 1) < 0)
            goto oom;
    for (i = 0; spec->envp[i]; i++, h.envc++)
        if (fgs__buf_put(&blob, spec->envp[i], strlen(spec->envp[i]) + 1) < 0)
            goto oom;
    h.len = (uint32_t)blob.len;
    /* the child is blocked on this pipe; large writes simply stream */
    if (write(sp->spec_fd, &h, sizeof(h)) != (ssize_t)sizeof(h))
        goto io;
    for (size_t off = 0; off < blob.len;) {
        ssize_t w = write(sp->spec_fd, blob.ptr + off, blob.len - off);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            goto io;
        off += (size_t)w;
    }
    close_fd(&sp->spec_fd);
    do
        r = read(sp->err_fd, &ce, sizeof(ce));
    while (r < 0 && errno == EINTR);
    if (r > 0) {
        ce.step[sizeof(ce.step) - 1] = '\0';
        snprintf(err, errlen, "sandbox step '%s' failed: %s", ce.step,
                 r == (ssize_t)sizeof(ce) ? strerror(ce.err) : "short report");
        goto fail;
    }
    close_fd(&sp->err_fd);
    out->pid = sp->pid;
    out->ctl_fd = sp->ctl_fd;
    out->cg = sp->cg;
    sp->pid = -1;
    sp->ctl_fd = -1;
    srv_mount_plan_free(plan);
    fgs__buf_dispose(&blob);
    return 0;
oom:
    snprintf(err, errlen, "out of memory");
    goto fail;
io:
    snprintf(err, errlen, "cannot hand the spec to the sandbox child: %s", strerror(errno));
fail : {
    struct srv_sandbox dead;

    srv_sandbox_spare_discard(sp, &dead);
    for (i = 0; i < 100 && !srv_sandbox_reap(&dead); i++)
        usleep(2000);
}
    srv_mount_plan_free(plan);
    fgs__buf_dispose(&blob);
    return -1;
}

/* Starts an instance without a spare: spare_new + spare_start in one go. */
int srv_sandbox_spawn(struct srv_sandbox *out,
                      const struct srv_sandbox_spec *spec,
                      char *err,
                      size_t errlen)
{
    struct srv_sandbox_spare sp;

    memset(out, 0, sizeof(*out));
    out->pid = -1;
    out->ctl_fd = -1;
    if (srv_sandbox_spare_new(&sp, spec->new_net, spec->name, &spec->limits, err, errlen) < 0)
        return -1;
    return srv_sandbox_spare_start(&sp, out, spec, err, errlen);
}

/*
 * SIGKILL to the instance's pid 1 (the pid namespace dies with it), then the
 * cgroup-wide kill as a safety net. Safe to call from any thread.
 */
void srv_sandbox_kill(struct srv_sandbox *sb)
{
    if (sb->pid > 0 && !sb->reaped)
        kill(sb->pid, SIGKILL);
    srv_cgroup_kill_all(&sb->cg);
}

/*
 * Collects the exit status, closes the control socket and removes the cgroup.
 * Returns 1 when everything is gone, 0 to be called again later.
 */
int srv_sandbox_reap(struct srv_sandbox *sb)
{
    if (sb->pid > 0 && !sb->reaped) {
        pid_t r = waitpid(sb->pid, NULL, WNOHANG);

        if (r == 0)
            return 0;
        sb->reaped = true; /* collected, or already gone (ECHILD) */
    }
    if (sb->ctl_fd >= 0) {
        close(sb->ctl_fd);
        sb->ctl_fd = -1;
    }
    if (srv_cgroup_destroy(&sb->cg) < 0) {
        srv_cgroup_kill_all(&sb->cg);
        return 0;
    }
    return 1;
}

/* OOM kills counted by the instance's memory cgroup (-1 when unknown). */
int64_t srv_sandbox_oom_kills(const struct srv_sandbox *sb)
{
    return srv_cgroup_oom_kills(&sb->cg);
}

/* Peak memory of the instance in bytes (-1 when unknown). */
int64_t srv_sandbox_mem_peak(const struct srv_sandbox *sb)
{
    return srv_cgroup_mem_peak(&sb->cg);
}
