/*
 * seccomp.c - the syscall deny list every instance runs under.
 *
 * Default ALLOW with EPERM for a deny list, not a default-deny allow list:
 * the instance runs arbitrary interpreters (python3, node and whatever they
 * load), and an allow list that misses one syscall breaks real programs in
 * ways users cannot fix. The deny list removes the kernel surfaces a
 * function has no business using and that have a history of privilege
 * escalations: the mount API, namespace creation (the usual first step of
 * user-namespace exploits), ptrace and cross-process memory access, kernel
 * modules and kexec, bpf, perf, userfaultfd, io_uring, keyrings, and
 * host-wide state (clock, swap, reboot, hostname, accounting).
 *
 * The filter is compiled once in fgsd (libseccomp allocates, which the
 * child of a multi-threaded parent must not do) and only loaded in the child
 * with prctl(PR_SET_SECCOMP), after no_new_privs.
 *
 * Foreign architectures (the i386 int 0x80 entry on x86_64) kill the
 * process: a deny list keyed by x86_64 numbers means nothing there.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ioctl.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include "sandbox/sandbox.h"

static struct sock_fprog prog;

static const char *const denied[] = {
    /* mount API: the root is built before the filter; nothing may change it after */
    "mount",
    "umount",
    "umount2",
    "pivot_root",
    "chroot",
    "open_tree",
    "move_mount",
    "fsopen",
    "fsconfig",
    "fsmount",
    "fspick",
    "mount_setattr",
    /* namespaces (clone with CLONE_NEW* is filtered by flags below) */
    "unshare",
    "setns",
    /* other processes */
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "kcmp",
    "pidfd_getfd",
    "process_madvise",
    /* kernel and host state */
    "kexec_load",
    "kexec_file_load",
    "reboot",
    "init_module",
    "finit_module",
    "delete_module",
    "swapon",
    "swapoff",
    "acct",
    "quotactl",
    "quotactl_fd",
    "syslog",
    "settimeofday",
    "clock_settime",
    "clock_adjtime",
    "adjtimex",
    "iopl",
    "ioperm",
    "sethostname",
    "setdomainname",
    "lookup_dcookie",
    "vhangup",
    "nfsservctl",
    "uselib",
    "_sysctl",
    /* large attack surface */
    "bpf",
    "perf_event_open",
    "userfaultfd",
    "keyctl",
    "add_key",
    "request_key",
    "fanotify_init",
    "open_by_handle_at",
    "name_to_handle_at",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    "mbind",
    "migrate_pages",
    "move_pages",
    "set_mempolicy",
};

static const unsigned long clone_ns_flags[] = {
    CLONE_NEWNS,  CLONE_NEWUTS, CLONE_NEWIPC,    CLONE_NEWUSER,
    CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWCGROUP,
};

/*
 * Builds and exports the filter. Returns 0 or -1 with a message. Unknown
 * syscall names (older libseccomp) are skipped; every name that exists on
 * this architecture is denied.
 */
int srv_seccomp_global_init(char *err, size_t errlen)
{
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    int fd = -1, rc = -1;
    size_t i;
    off_t size;

    if (!ctx) {
        snprintf(err, errlen, "seccomp: cannot create a filter");
        return -1;
    }
    if (seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS) < 0)
        goto out;
    for (i = 0; i < sizeof(denied) / sizeof(denied[0]); i++) {
        int nr = seccomp_syscall_resolve_name(denied[i]);

        if (nr == __NR_SCMP_ERROR || nr < 0)
            continue;
        if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0) < 0)
            goto out;
    }
    /* clone with any namespace flag: one masked rule per flag (no "!= 0" comparison exists) */
    for (i = 0; i < sizeof(clone_ns_flags) / sizeof(clone_ns_flags[0]); i++)
        if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
                             SCMP_A0(SCMP_CMP_MASKED_EQ, clone_ns_flags[i], clone_ns_flags[i])) < 0)
            goto out;
    /* clone3 passes its flags in memory, which BPF cannot read: ENOSYS makes libc fall back */
    if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0) < 0)
        goto out;
    /* pushing input into another terminal */
    if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
                         SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, TIOCSTI)) < 0 ||
        seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
                         SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, TIOCLINUX)) < 0)
        goto out;
    /* turning ASLR off for itself and its children */
    if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(personality), 1,
                         SCMP_A0(SCMP_CMP_MASKED_EQ, 0x0040000, 0x0040000)) < 0)
        goto out;
    fd = memfd_create("fgs-seccomp", MFD_CLOEXEC);
    if (fd < 0 || seccomp_export_bpf(ctx, fd) < 0)
        goto out;
    size = lseek(fd, 0, SEEK_END);
    if (size <= 0 || size % (off_t)sizeof(struct sock_filter))
        goto out;
    prog.filter = malloc((size_t)size);
    if (!prog.filter || pread(fd, prog.filter, (size_t)size, 0) != size)
        goto out;
    prog.len = (unsigned short)(size / (off_t)sizeof(struct sock_filter));
    rc = 0;
out:
    if (rc < 0)
        snprintf(err, errlen, "seccomp: cannot build the filter");
    if (fd >= 0)
        close(fd);
    seccomp_release(ctx);
    return rc;
}

/* The compiled filter (valid after srv_seccomp_global_init). */
const struct sock_fprog *srv_seccomp_prog(void)
{
    return &prog;
}

/*
 * In the child, last step before execve: no_new_privs (required for an
 * unprivileged filter and it stops setuid binaries from regaining
 * privileges), then the filter. Async-signal-safe.
 */
int srv_seccomp_load_child(void)
{
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        return -1;
    return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}
