/*
 * caps.c - dropping every privilege before the instance's init is executed.
 *
 * fgsd runs as root, so the child starts with full capabilities. Order
 * (reference/SANDBOX-NOTES.md 5):
 *   1. drop every capability from the bounding set, so no later execve
 *      (of a file capability binary) can bring one back;
 *   2. clear the ambient set;
 *   3. lock the securebits (NOROOT, NO_CAP_AMBIENT_RAISE, KEEP_CAPS off):
 *      uid 0 never again means "all capabilities", even after a setuid;
 *   4. setgroups(0), setresgid, setresuid to the instance uid (1003): the
 *      uid change clears the permitted and effective sets;
 *   5. capset() to all-empty, so nothing is left even if 4 kept something.
 * No user namespace is used: fgsd is root, and a plain uid drop plus the
 * seccomp filter (which blocks unshare/clone(CLONE_NEWUSER)) gives the same
 * protection without the user-namespace attack surface.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include "sandbox/sandbox.h"

static int last_cap = 40;

/* Reads the highest capability number of the running kernel (parent side). */
int srv_caps_global_init(void)
{
    char buf[16] = { 0 };
    int fd = open("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC);

    if (fd >= 0) {
        if (read(fd, buf, sizeof(buf) - 1) > 0)
            last_cap = (int)strtol(buf, NULL, 10);
        close(fd);
    }
    if (last_cap < 30 || last_cap > 63)
        last_cap = 63;
    return 0;
}

/*
 * Child side, async-signal-safe. On failure sets *step and returns -1 with
 * errno set.
 */
int srv_caps_drop_child(uid_t uid, gid_t gid, const char **step)
{
    struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct data[2] = { { 0, 0, 0 }, { 0, 0, 0 } };
    int cap;

    *step = "drop the capability bounding set";
    for (cap = 0; cap <= last_cap; cap++)
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
            return -1;
    *step = "clear ambient capabilities";
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
        return -1;
    *step = "lock securebits";
    if (prctl(PR_SET_SECUREBITS,
              SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_KEEP_CAPS_LOCKED |
                  SECBIT_NO_CAP_AMBIENT_RAISE | SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED,
              0, 0, 0) < 0)
        return -1;
    /*
     * Raw system calls, not the libc wrappers: the child of a raw clone() of
     * a multi-threaded fgsd still looks multi-threaded to glibc, whose
     * setxid wrappers would try to change the credentials of (and wait for)
     * threads that do not exist here, and deadlock on locks held at clone
     * time. The child has exactly one thread, so the plain syscalls suffice.
     */
    *step = "setgroups";
    if (syscall(SYS_setgroups, 0, NULL) < 0)
        return -1;
    *step = "setresgid";
    if (syscall(SYS_setresgid, gid, gid, gid) < 0)
        return -1;
    *step = "setresuid";
    if (syscall(SYS_setresuid, uid, uid, uid) < 0)
        return -1;
    *step = "capset";
    if (syscall(SYS_capset, &hdr, data) < 0)
        return -1;
    *step = "verify the uid";
    if (getuid() != uid || geteuid() != uid || getgid() != gid) {
        errno = EPERM;
        return -1;
    }
    return 0;
}
