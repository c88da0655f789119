/*
 * ns_mount.c - the instance's root file system.
 *
 * The plan is a list of operations (bubblewrap's SetupOp list), built in
 * the parent where allocating and formatting paths is safe, then executed
 * in order in the cloned child, which only makes system calls. The result:
 *
 *   /usr            host /usr, read-only, nosuid, nodev (the runtimes live here)
 *   /bin /lib ...   the host's merged-/usr symlinks (or read-only binds)
 *   /etc            written fresh: passwd/group (uid 1003 "snuser"), hosts,
 *                   resolv.conf, nsswitch.conf; read-only binds of /etc/ssl
 *                   and ld.so.cache; localtime as the host's symlink
 *   /opt/function/code   the function's code, read-only, nosuid, nodev
 *   /opt/fgs        fgs-init and the language shims, read-only
 *   /tmp            tmpfs of tmp_bytes, mode 1777, nosuid, nodev
 *   /proc           a new proc of the instance's pid namespace
 *   /dev            a tiny read-only tmpfs with binds of null, zero,
 *                   random, urandom only (no ttys, no block devices, no shm)
 *
 * Why: nothing of the host is visible unless it is listed here. fgsd's data
 * directory, other functions' code, /home, /root, /var, the host's /etc
 * secrets (shadow, ssh keys) and every device but the four harmless ones
 * are simply absent. Everything except /tmp is read-only, and the tmpfs
 * pages are charged to the instance's memory cgroup.
 *
 * The root itself is a tmpfs mounted on an empty host directory inside the
 * new mount namespace; after pivot_root the old root is detached, so no
 * path leads back to the host tree, and the new root is remounted
 * read-only. Mount propagation is made private first, so none of this is
 * seen by the host.
 */
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "sandbox/sandbox.h"
#include "util/str.h"

enum op_type {
    OP_MKDIR,   /* dst */
    OP_RO_BIND, /* src -> dst (dst must exist), remounted read-only */
    OP_DEV,     /* src -> dst, a device node bind (not read-only) */
    OP_SYMLINK, /* dst -> data */
    OP_WRITE,   /* dst gets data, mode 0644 */
    OP_FILE,    /* empty file dst (bind target) */
    OP_TMPFS,   /* tmpfs on dst, options data */
    OP_PROC,    /* proc on dst */
    OP_RO,      /* remount dst read-only */
};

#define OP_PATH 1024

struct mount_op {
    enum op_type type;
    unsigned long flags; /* extra mount flags */
    char src[OP_PATH];
    char dst[OP_PATH]; /* absolute, under the staging root */
    char data[1024];   /* file contents, symlink target or mount options */
    const char *what;  /* step name for errors */
};

#define MAX_OPS 64

struct srv_mount_plan {
    char root[OP_PATH];
    int n;
    bool too_long; /* a path did not fit: the plan is unusable */
    struct mount_op ops[MAX_OPS];
};

static struct {
    char resolv[1024];   /* host resolv.conf, copied (truncated) */
    char localtime[512]; /* target of /etc/localtime, "" if none */
    bool ldcache;        /* /etc/ld.so.cache exists */
    bool ssl;            /* /etc/ssl exists */
    char link[4][256];   /* targets of /bin /lib /lib64 /sbin when they are symlinks */
    bool is_dir[4];
} host;

static const char *const toplinks[4] = { "bin", "lib", "lib64", "sbin" };

/* Reads the host facts copied into every sandbox (parent side, once). */
int srv_mount_global_init(void)
{
    char path[64];
    struct stat st;
    ssize_t n;
    int fd, i;

    memset(&host, 0, sizeof(host));
    fgs__strlcpy(host.resolv, "nameserver 127.0.0.1\n", sizeof(host.resolv));
    fd = open("/etc/resolv.conf", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        n = read(fd, host.resolv, sizeof(host.resolv) - 1);
        host.resolv[n > 0 ? n : 0] = '\0';
        close(fd);
    }
    n = readlink("/etc/localtime", host.localtime, sizeof(host.localtime) - 1);
    host.localtime[n > 0 ? n : 0] = '\0';
    if (!fgs__str_has_prefix(host.localtime, "/usr/share/zoneinfo/") ||
        strstr(host.localtime, ".."))
        host.localtime[0] = '\0';
    host.ldcache = access("/etc/ld.so.cache", R_OK) == 0;
    host.ssl = stat("/etc/ssl", &st) == 0 && S_ISDIR(st.st_mode);
    for (i = 0; i < 4; i++) {
        snprintf(path, sizeof(path), "/%s", toplinks[i]);
        if (lstat(path, &st) < 0)
            continue;
        if (S_ISLNK(st.st_mode)) {
            n = readlink(path, host.link[i], sizeof(host.link[i]) - 1);
            host.link[i][n > 0 ? n : 0] = '\0';
        } else if (S_ISDIR(st.st_mode)) {
            host.is_dir[i] = true;
        }
    }
    return 0;
}

/* out = a "/" b; false when it does not fit. */
static bool join(char *out, size_t size, const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);

    if (la + 1 + lb + 1 > size)
        return false;
    memcpy(out, a, la);
    out[la] = '/';
    memcpy(out + la + 1, b, lb + 1);
    return true;
}

/* Copies a path or text into a fixed field; marks the plan unusable when it does not fit. */
static void put(struct srv_mount_plan *p, char *dst, size_t size, const char *src)
{
    if (fgs__strlcpy(dst, src, size) >= size)
        p->too_long = true;
}

static struct mount_op *
add(struct srv_mount_plan *p, enum op_type t, const char *what, const char *dst_rel)
{
    struct mount_op *op;

    if (p->n == MAX_OPS)
        abort(); /* the plan is fixed-size by construction; more ops is a programming error */
    op = &p->ops[p->n++];
    memset(op, 0, sizeof(*op));
    op->type = t;
    op->what = what;
    if (!join(op->dst, sizeof(op->dst), p->root, dst_rel))
        p->too_long = true;
    return op;
}

static void ro_bind(struct srv_mount_plan *p,
                    const char *what,
                    const char *src,
                    const char *dst_rel,
                    bool dir,
                    unsigned long flags)
{
    struct mount_op *op;

    add(p, dir ? OP_MKDIR : OP_FILE, what, dst_rel);
    op = add(p, OP_RO_BIND, what, dst_rel);
    put(p, op->src, sizeof(op->src), src);
    op->flags = flags;
}

static void write_op(struct srv_mount_plan *p, const char *dst_rel, const char *text)
{
    struct mount_op *op = add(p, OP_WRITE, "write /etc", dst_rel);

    put(p, op->data, sizeof(op->data), text);
}

static void symlink_op(struct srv_mount_plan *p, const char *dst_rel, const char *target)
{
    struct mount_op *op = add(p, OP_SYMLINK, "symlink", dst_rel);

    put(p, op->data, sizeof(op->data), target);
}

/*
 * Builds the plan for one instance (parent side). Returns NULL when out of
 * memory or when a path is too long for the plan's fixed fields.
 */
struct srv_mount_plan *srv_mount_plan_new(const struct srv_sandbox_spec *spec)
{
    static const char *const devs[] = { "null", "zero", "random", "urandom" };
    struct srv_mount_plan *p = calloc(1, sizeof(*p));
    struct mount_op *op;
    char rel[64];
    size_t i;

    if (!p)
        return NULL;
    put(p, p->root, sizeof(p->root), spec->root_dir);
    ro_bind(p, "bind /usr", "/usr", "usr", true, MS_NOSUID | MS_NODEV);
    for (i = 0; i < 4; i++) {
        if (host.link[i][0]) {
            symlink_op(p, toplinks[i], host.link[i]);
        } else if (host.is_dir[i]) {
            snprintf(rel, sizeof(rel), "/%s", toplinks[i]);
            ro_bind(p, "bind a top-level system directory", rel, toplinks[i], true,
                    MS_NOSUID | MS_NODEV);
        }
    }
    add(p, OP_MKDIR, "mkdir /etc", "etc");
    write_op(p, "etc/passwd",
             "root:x:0:0:root:/root:/usr/sbin/nologin\n"
             "snuser:x:1003:1003:snuser:/tmp:/usr/sbin/nologin\n"
             "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
    write_op(p, "etc/group", "root:x:0:\nsnuser:x:1003:\nnogroup:x:65534:\n");
    write_op(p, "etc/hosts", "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
    write_op(p, "etc/hostname", "localhost\n");
    write_op(p, "etc/nsswitch.conf", "passwd: files\ngroup: files\nhosts: files dns\n");
    write_op(p, "etc/resolv.conf", host.resolv);
    if (host.ldcache)
        ro_bind(p, "bind /etc/ld.so.cache", "/etc/ld.so.cache", "etc/ld.so.cache", false,
                MS_NOSUID | MS_NODEV | MS_NOEXEC);
    if (host.ssl)
        ro_bind(p, "bind /etc/ssl", "/etc/ssl", "etc/ssl", true, MS_NOSUID | MS_NODEV | MS_NOEXEC);
    if (host.localtime[0])
        symlink_op(p, "etc/localtime", host.localtime);
    add(p, OP_MKDIR, "mkdir /opt", "opt");
    add(p, OP_MKDIR, "mkdir /opt/function", "opt/function");
    ro_bind(p, "bind the function code", spec->code_dir, "opt/function/code", true,
            MS_NOSUID | MS_NODEV);
    add(p, OP_MKDIR, "mkdir /opt/fgs", "opt/fgs");
    ro_bind(p, "bind the runtime shims", spec->runtime_dir, "opt/fgs/runtimes", true,
            MS_NOSUID | MS_NODEV);
    add(p, OP_MKDIR, "mkdir /opt/fgs/bin", "opt/fgs/bin");
    ro_bind(p, "bind fgs-init", spec->init_path, "opt/fgs/bin/fgs-init", false,
            MS_NOSUID | MS_NODEV);
    add(p, OP_MKDIR, "mkdir /tmp", "tmp");
    op = add(p, OP_TMPFS, "mount /tmp", "tmp");
    op->flags = MS_NOSUID | MS_NODEV;
    snprintf(op->data, sizeof(op->data), "size=%lld,mode=1777,nr_inodes=65536",
             (long long)spec->tmp_bytes);
    add(p, OP_MKDIR, "mkdir /proc", "proc");
    add(p, OP_PROC, "mount /proc", "proc");
    add(p, OP_MKDIR, "mkdir /dev", "dev");
    op = add(p, OP_TMPFS, "mount /dev", "dev");
    op->flags = MS_NOSUID | MS_NOEXEC;
    fgs__strlcpy(op->data, "size=64k,mode=0755,nr_inodes=64", sizeof(op->data));
    for (i = 0; i < 4; i++) {
        snprintf(rel, sizeof(rel), "dev/%s", devs[i]);
        add(p, OP_FILE, "create a /dev node", rel);
        op = add(p, OP_DEV, "bind a /dev node", rel);
        snprintf(op->src, sizeof(op->src), "/dev/%s", devs[i]);
    }
    symlink_op(p, "dev/fd", "/proc/self/fd");
    symlink_op(p, "dev/stdin", "/proc/self/fd/0");
    symlink_op(p, "dev/stdout", "/proc/self/fd/1");
    symlink_op(p, "dev/stderr", "/proc/self/fd/2");
    add(p, OP_RO, "remount /dev read-only", "dev")->flags = MS_NOSUID | MS_NOEXEC;
    if (p->too_long) {
        free(p);
        return NULL;
    }
    return p;
}

/*
 * The plan is one flat block (its step names point to string literals of
 * this binary, valid in a child cloned from it); only the first n
 * operations are used.
 */
size_t srv_mount_plan_size(void)
{
    return sizeof(struct srv_mount_plan);
}

/* Bytes of p that matter: the header and its n operations. */
size_t srv_mount_plan_used(const struct srv_mount_plan *p)
{
    return offsetof(struct srv_mount_plan, ops) + (size_t)p->n * sizeof(struct mount_op);
}

/* Whether a received block of len bytes holds a whole plan. */
bool srv_mount_plan_valid(const struct srv_mount_plan *p, size_t len)
{
    return len >= offsetof(struct srv_mount_plan, ops) && p->n >= 0 && p->n <= MAX_OPS &&
           len >= srv_mount_plan_used(p);
}

/* Frees a plan; NULL is a no-op. */
void srv_mount_plan_free(struct srv_mount_plan *p)
{
    free(p);
}

static int write_all(const char *path, const char *text)
{
    size_t len = strlen(text), off = 0;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);

    if (fd < 0)
        return -1;
    while (off < len) {
        ssize_t w = write(fd, text + off, len - off);

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

static int run_op(const struct mount_op *op)
{
    int fd;

    switch (op->type) {
    case OP_MKDIR:
        return mkdir(op->dst, 0755) < 0 && errno != EEXIST ? -1 : 0;
    case OP_FILE:
        fd = open(op->dst, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0444);
        return fd < 0 ? -1 : close(fd);
    case OP_WRITE:
        return write_all(op->dst, op->data);
    case OP_SYMLINK:
        return symlink(op->data, op->dst);
    case OP_RO_BIND:
        /* bind, then remount: the read-only flag cannot be set by the bind itself */
        if (mount(op->src, op->dst, NULL, MS_BIND | MS_REC, NULL) < 0)
            return -1;
        return mount(NULL, op->dst, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | op->flags, NULL);
    case OP_DEV:
        if (mount(op->src, op->dst, NULL, MS_BIND, NULL) < 0)
            return -1;
        return mount(NULL, op->dst, NULL, MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NOEXEC, NULL);
    case OP_TMPFS:
        return mount("tmpfs", op->dst, "tmpfs", op->flags, op->data);
    case OP_PROC:
        return mount("proc", op->dst, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    case OP_RO:
        return mount(NULL, op->dst, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | op->flags, NULL);
    }
    errno = EINVAL;
    return -1;
}

/*
 * Child side, async-signal-safe: private propagation, the root tmpfs, every
 * operation in order, pivot_root, detach the old root, read-only root.
 */
int srv_mount_plan_run_child(const struct srv_mount_plan *p, const char **step)
{
    int i;

    *step = "make mounts private";
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
        return -1;
    *step = "mount the root tmpfs";
    if (mount("tmpfs", p->root, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755,nr_inodes=512") <
        0)
        return -1;
    for (i = 0; i < p->n; i++) {
        *step = p->ops[i].what;
        if (run_op(&p->ops[i]) < 0)
            return -1;
    }
    *step = "pivot_root";
    if (chdir(p->root) < 0 || syscall(SYS_pivot_root, ".", ".") < 0)
        return -1;
    /* the old root is now stacked under "."; detaching it removes every path to the host */
    *step = "detach the old root";
    if (umount2(".", MNT_DETACH) < 0 || chdir("/") < 0)
        return -1;
    *step = "remount / read-only";
    if (mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) < 0)
        return -1;
    return 0;
}
