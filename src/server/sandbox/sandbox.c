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
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/close_range.h>
#include "sandbox/sandbox.h"
#include "util/log.h"

/* Error report from the child: the failed step's name and errno. */
struct child_err {
    int err;
    char step[120];
};

int srv_sandbox_global_init(char *err, size_t errlen)
{
    if (srv_seccomp_global_init(err, errlen) < 0)
        return -1;
    srv_caps_global_init();
    srv_mount_global_init();
    return srv_cgroup_global_init(err, errlen);
}

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
 * The cloned child. Only async-signal-safe calls from here on: the parent
 * has other threads, whose locks (malloc's included) may be held forever
 * in this copy of the address space.
 */
static __attribute__((noreturn)) void child_main(const struct srv_sandbox_spec *spec,
                                                 const struct srv_mount_plan *plan, int syncfd,
                                                 int errfd, int ctlfd, int logfd)
{
    const char *step = "wait for the cgroup";
    char go;
    int a, b, fd;

    /* 1. wait until the parent has moved us into the instance cgroup */
    if (read(syncfd, &go, 1) != 1)
        child_fail(errfd, step);
    step = "unshare the cgroup namespace";
    if (unshare(CLONE_NEWCGROUP) < 0)
        child_fail(errfd, step);
    /* 2. network: an empty namespace with loopback up */
    if (spec->new_net && srv_net_loopback_up_child() < 0)
        child_fail(errfd, "bring loopback up");
    /* 3. the root file system */
    if (srv_mount_plan_run_child(plan, &step) < 0)
        child_fail(errfd, step);
    if (sethostname("localhost", 9) < 0)
        child_fail(errfd, "sethostname");
    /* 4. limits, while raising hard limits is still allowed */
    if (srv_rlimit_apply_child(spec->tmp_bytes, &step) < 0)
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
    if (srv_caps_drop_child(spec->uid, spec->gid, &step) < 0)
        child_fail(errfd, step);
    /* set after the uid change, which clears it; fgsd dying must take the instance along */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
        child_fail(errfd, "set the parent-death signal");
    /* 7. seccomp last: everything above needs calls the filter denies */
    if (srv_seccomp_load_child() < 0)
        child_fail(errfd, "load the seccomp filter");
    execve("/opt/fgs/bin/fgs-init", spec->argv, spec->envp);
    child_fail(errfd, "execve fgs-init");
}

int srv_sandbox_spawn(struct srv_sandbox *out, const struct srv_sandbox_spec *spec, char *err,
                      size_t errlen)
{
    struct srv_mount_plan *plan = NULL;
    struct child_err ce;
    int syncp[2] = { -1, -1 }, errp[2] = { -1, -1 }, ctl[2] = { -1, -1 };
    unsigned long flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS;
    bool have_cg = false;
    ssize_t r;
    pid_t pid = -1;

    memset(out, 0, sizeof(*out));
    out->ctl_fd = -1;
    out->pid = -1;
    if (spec->new_net)
        flags |= CLONE_NEWNET;
    plan = srv_mount_plan_new(spec);
    if (!plan) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    if (srv_cgroup_create(&out->cg, spec->name, &spec->limits, err, errlen) < 0)
        goto fail;
    have_cg = true;
    if (pipe2(syncp, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0 ||
        socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ctl) < 0) {
        snprintf(err, errlen, "pipes: %s", strerror(errno));
        goto fail;
    }
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
        close(syncp[1]);
        close(errp[0]);
        close(ctl[0]);
        child_main(spec, plan, syncp[0], errp[1], ctl[1], 2);
    }
    out->pid = pid;
    close(syncp[0]);
    close(errp[1]);
    close(ctl[1]);
    syncp[0] = errp[1] = ctl[1] = -1;
    if (srv_cgroup_attach(&out->cg, pid, err, errlen) < 0)
        goto fail;
    if (write(syncp[1], "g", 1) != 1) {
        snprintf(err, errlen, "cannot release the sandbox child: %s", strerror(errno));
        goto fail;
    }
    close(syncp[1]);
    syncp[1] = -1;
    do
        r = read(errp[0], &ce, sizeof(ce));
    while (r < 0 && errno == EINTR);
    if (r > 0) {
        ce.step[sizeof(ce.step) - 1] = '\0';
        snprintf(err, errlen, "sandbox step '%s' failed: %s", ce.step,
                 r == (ssize_t)sizeof(ce) ? strerror(ce.err) : "short report");
        goto fail;
    }
    close(errp[0]);
    out->ctl_fd = ctl[0];
    srv_mount_plan_free(plan);
    return 0;
fail:
    if (pid > 0) {
        kill(pid, SIGKILL);
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
            ;
    }
    if (have_cg) {
        int i;

        srv_cgroup_kill_all(&out->cg);
        for (i = 0; i < 100 && srv_cgroup_destroy(&out->cg) < 0; i++)
            usleep(2000);
    }
    for (r = 0; r < 2; r++) {
        if (syncp[r] >= 0)
            close(syncp[r]);
        if (errp[r] >= 0)
            close(errp[r]);
        if (ctl[r] >= 0)
            close(ctl[r]);
    }
    srv_mount_plan_free(plan);
    out->pid = -1;
    out->ctl_fd = -1;
    return -1;
}

void srv_sandbox_kill(struct srv_sandbox *sb)
{
    if (sb->pid > 0 && !sb->reaped)
        kill(sb->pid, SIGKILL);
    srv_cgroup_kill_all(&sb->cg);
}

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

int64_t srv_sandbox_oom_kills(const struct srv_sandbox *sb)
{
    return srv_cgroup_oom_kills(&sb->cg);
}

int64_t srv_sandbox_mem_peak(const struct srv_sandbox *sb)
{
    return srv_cgroup_mem_peak(&sb->cg);
}
