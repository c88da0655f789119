/*
 * cgroup.c - per-instance cgroups: memory (+memsw), pids and cpu limits, OOM
 * accounting and kill-all, on cgroup v1 (with the hybrid unified hierarchy
 * for cgroup.kill when it is mounted) and on a pure v2 host.
 *
 * Layout: <hierarchy>/fgs.<fgsd pid>/<instance name>. The instance
 * directories sit under fgsd's own directory so that a crashed fgsd leaves a
 * recognisable, removable tree and two fgsd processes never collide.
 *
 * Why limits matter for safety: the memory cgroup is what keeps a memory
 * bomb from pushing the host (and fgsd) into the global OOM killer; pids.max
 * is the real fork-bomb limit (RLIMIT_NPROC counts per uid across the whole
 * host, and every instance shares uid 1003); cpu.shares keeps a spinning
 * function from starving fgsd's own threads.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>
#include "sandbox/sandbox.h"
#include "util/log.h"
#include "util/str.h"

#define CG_ROOT "/sys/fs/cgroup"

enum { CG_MEMORY, CG_PIDS, CG_CPU, CG_FREEZER, CG_UNIFIED, CG_N };

static struct {
    bool v2;                   /* pure cgroup v2 host */
    char base[CG_N][SBX_PATH]; /* fgsd's own directory per hierarchy, "" when absent */
    bool memsw;                /* v1 memory.memsw.* present */
} g;

static int write_file(const char *dir, const char *file, const char *val)
{
    char path[SBX_PATH + 64];
    size_t len = strlen(val);
    ssize_t w;
    int fd;

    snprintf(path, sizeof(path), "%s/%s", dir, file);
    fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    w = write(fd, val, len);
    close(fd);
    return w == (ssize_t)len ? 0 : -1;
}

static int read_file(const char *dir, const char *file, char *buf, size_t size)
{
    char path[SBX_PATH + 64];
    ssize_t r;
    int fd;

    snprintf(path, sizeof(path), "%s/%s", dir, file);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    r = read(fd, buf, size - 1);
    close(fd);
    if (r < 0)
        return -1;
    buf[r] = '\0';
    return 0;
}

static int kill_listed(const char *dir);
static void remove_stale(const char *hier);

static bool is_fs(const char *path, long magic)
{
    struct statfs st;

    return statfs(path, &st) == 0 && st.f_type == magic;
}

static int make_base(int idx, const char *hier, char *err, size_t errlen)
{
    remove_stale(hier);
    snprintf(g.base[idx], sizeof(g.base[idx]), "%s/fgs.%d", hier, (int)getpid());
    if (mkdir(g.base[idx], 0755) < 0 && errno != EEXIST) {
        snprintf(err, errlen, "cgroup: cannot create %s: %s", g.base[idx], strerror(errno));
        g.base[idx][0] = '\0';
        return -1;
    }
    return 0;
}

/*
 * Removes the directories an fgsd that died without cleaning up (SIGKILL,
 * a crash) left in one hierarchy: fgs.<pid> where no process <pid> exists.
 * A directory of a live process is never touched. Leftover tasks (there
 * should be none: instances die with fgsd through their parent-death
 * signal) are killed first.
 */
static void remove_stale(const char *hier)
{
    DIR *d = opendir(hier);
    struct dirent *e;

    if (!d)
        return;
    while ((e = readdir(d))) {
        char base[SBX_PATH], sub[SBX_PATH + 300];
        struct dirent *c;
        DIR *cd;
        long pid;
        char *end;

        if (strncmp(e->d_name, "fgs.", 4) != 0)
            continue;
        pid = strtol(e->d_name + 4, &end, 10);
        if (*end || pid <= 0 || pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        snprintf(base, sizeof(base), "%s/%s", hier, e->d_name);
        cd = opendir(base);
        while (cd && (c = readdir(cd))) {
            if (c->d_type != DT_DIR || c->d_name[0] == '.')
                continue;
            snprintf(sub, sizeof(sub), "%s/%s", base, c->d_name);
            kill_listed(sub);
            if (rmdir(sub) < 0)
                log_warn("cgroup: cannot remove the stale %s: %s", sub, strerror(errno));
        }
        if (cd)
            closedir(cd);
        if (rmdir(base) == 0)
            log_info("cgroup: removed %s left by a previous fgsd", base);
    }
    closedir(d);
}

/*
 * Detects the layout and creates fgsd's directories. v1 needs the memory
 * and pids controllers at least; without them instances would run unlimited,
 * so start-up fails instead.
 */
int srv_cgroup_global_init(char *err, size_t errlen)
{
    char path[SBX_PATH + 64];

    memset(&g, 0, sizeof(g));
    if (is_fs(CG_ROOT, CGROUP2_SUPER_MAGIC)) {
        g.v2 = true;
        if (make_base(CG_UNIFIED, CG_ROOT, err, errlen) < 0)
            return -1;
        /* Delegate the controllers to our subtree; failure shows up as missing files below. */
        write_file(CG_ROOT, "cgroup.subtree_control", "+memory +pids +cpu");
        write_file(g.base[CG_UNIFIED], "cgroup.subtree_control", "+memory +pids +cpu");
        snprintf(path, sizeof(path), "%s/memory.max", g.base[CG_UNIFIED]);
        if (access(path, F_OK) != 0) {
            snprintf(err, errlen, "cgroup v2: the memory controller is not delegated to fgsd");
            return -1;
        }
        return 0;
    }
    if (!is_fs(CG_ROOT "/memory", CGROUP_SUPER_MAGIC) ||
        !is_fs(CG_ROOT "/pids", CGROUP_SUPER_MAGIC)) {
        snprintf(err, errlen, "cgroup: neither v2 nor the v1 memory and pids controllers found");
        return -1;
    }
    if (make_base(CG_MEMORY, CG_ROOT "/memory", err, errlen) < 0 ||
        make_base(CG_PIDS, CG_ROOT "/pids", err, errlen) < 0)
        return -1;
    if (is_fs(CG_ROOT "/cpu", CGROUP_SUPER_MAGIC))
        make_base(CG_CPU, CG_ROOT "/cpu", err, errlen);
    if (is_fs(CG_ROOT "/freezer", CGROUP_SUPER_MAGIC))
        make_base(CG_FREEZER, CG_ROOT "/freezer", err, errlen);
    if (is_fs(CG_ROOT "/unified", CGROUP2_SUPER_MAGIC))
        make_base(CG_UNIFIED, CG_ROOT "/unified", err, errlen);
    snprintf(path, sizeof(path), "%s/memory.memsw.limit_in_bytes", g.base[CG_MEMORY]);
    g.memsw = access(path, F_OK) == 0;
    return 0;
}

/* Removes fgsd's own cgroup directories (after every instance is gone). */
void srv_cgroup_global_dispose(void)
{
    int i;

    for (i = 0; i < CG_N; i++)
        if (g.base[i][0] && rmdir(g.base[i]) < 0 && errno != ENOENT)
            log_warn("cgroup: cannot remove %s: %s", g.base[i], strerror(errno));
}

/* The v1 controller directory of index i, or NULL when that controller is not used. */
static const char *dir_of(const struct srv_cgroup *cg, const char *hier)
{
    int i;

    for (i = 0; i < cg->ndirs; i++)
        if (strstr(cg->dirs[i], hier))
            return cg->dirs[i];
    return NULL;
}

/*
 * Writes the limits. Memory can go up or down: the memsw limit may never
 * be below the plain one, so the order depends on the direction (the first
 * order that the kernel accepts wins).
 */
int srv_cgroup_set_limits(const struct srv_cgroup *cg, const struct srv_cgroup_limits *l)
{
    const char *d;
    char v[64];

    if (cg->v2) {
        snprintf(v, sizeof(v), "%lld", (long long)l->memory_bytes);
        if (write_file(cg->memory, "memory.max", v) < 0)
            return -1;
        snprintf(v, sizeof(v), "%lld", (long long)l->pids_max);
        if (write_file(cg->memory, "pids.max", v) < 0)
            return -1;
        /* swap off and kill the whole instance on OOM, so no half-dead runtime lingers */
        write_file(cg->memory, "memory.swap.max", "0");
        write_file(cg->memory, "memory.oom.group", "1");
        /* cpu.weight 1..10000 from shares 2..262144 (the kernel's own mapping) */
        snprintf(v, sizeof(v), "%lld", 1 + ((long long)l->cpu_shares - 2) * 9999 / 262142);
        write_file(cg->memory, "cpu.weight", v);
        return 0;
    }
    snprintf(v, sizeof(v), "%lld", (long long)l->memory_bytes);
    if (g.memsw) {
        if (write_file(cg->memory, "memory.limit_in_bytes", v) == 0) {
            if (write_file(cg->memory, "memory.memsw.limit_in_bytes", v) < 0)
                return -1;
        } else if (write_file(cg->memory, "memory.memsw.limit_in_bytes", v) < 0 ||
                   write_file(cg->memory, "memory.limit_in_bytes", v) < 0) {
            return -1;
        }
    } else if (write_file(cg->memory, "memory.limit_in_bytes", v) < 0) {
        return -1;
    }
    write_file(cg->memory, "memory.swappiness", "0");
    snprintf(v, sizeof(v), "%lld", (long long)l->pids_max);
    d = dir_of(cg, "/pids/");
    if (!d || write_file(d, "pids.max", v) < 0)
        return -1;
    d = dir_of(cg, "/cpu/");
    if (d) {
        snprintf(v, sizeof(v), "%lld", (long long)l->cpu_shares);
        if (write_file(d, "cpu.shares", v) < 0)
            return -1;
    }
    return 0;
}

/*
 * Creates the instance's directories and writes its limits. On failure the
 * directories already made are removed again.
 */
int srv_cgroup_create(struct srv_cgroup *cg,
                      const char *name,
                      const struct srv_cgroup_limits *l,
                      char *err,
                      size_t errlen)
{
    int i;

    memset(cg, 0, sizeof(*cg));
    cg->v2 = g.v2;
    for (i = 0; i < CG_N; i++) {
        char *d;

        if (!g.base[i][0])
            continue;
        d = cg->dirs[cg->ndirs];
        snprintf(d, SBX_PATH, "%s/%s", g.base[i], name);
        if (mkdir(d, 0755) < 0) {
            snprintf(err, errlen, "cgroup: cannot create %s: %s", d, strerror(errno));
            goto fail;
        }
        cg->ndirs++;
        if (i == CG_MEMORY || (g.v2 && i == CG_UNIFIED))
            fgs__strlcpy(cg->memory, d, sizeof(cg->memory));
        if (i == CG_UNIFIED)
            fgs__strlcpy(cg->kill_dir, d, sizeof(cg->kill_dir));
        if (i == CG_FREEZER)
            fgs__strlcpy(cg->freezer, d, sizeof(cg->freezer));
    }
    if (srv_cgroup_set_limits(cg, l) == 0)
        return 0;
    snprintf(err, errlen, "cgroup: cannot write the limits of %s: %s", name, strerror(errno));
fail:
    for (i = cg->ndirs - 1; i >= 0; i--)
        rmdir(cg->dirs[i]);
    cg->ndirs = 0;
    return -1;
}

/*
 * Moves pid into every directory. On v1 this is the expensive step (an RCU
 * grace period, 8-15 ms after idle; reference/SANDBOX-NOTES.md 3.6): it is
 * done before the runtime starts, never on a warm invocation.
 */
int srv_cgroup_attach(const struct srv_cgroup *cg, pid_t pid, char *err, size_t errlen)
{
    char v[32];
    int i;

    snprintf(v, sizeof(v), "%d", (int)pid);
    for (i = 0; i < cg->ndirs; i++) {
        if (write_file(cg->dirs[i], "cgroup.procs", v) < 0) {
            snprintf(err, errlen, "cgroup: cannot attach %d to %s: %s", (int)pid, cg->dirs[i],
                     strerror(errno));
            return -1;
        }
    }
    return 0;
}

/* The value of "key N" in a flat-keyed cgroup file, or -1. */
static int64_t keyed(const char *dir, const char *file, const char *key)
{
    char buf[1024], *p;
    size_t kl = strlen(key);

    if (read_file(dir, file, buf, sizeof(buf)) < 0)
        return -1;
    for (p = buf; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (strncmp(p, key, kl) == 0 && p[kl] == ' ')
            return strtoll(p + kl + 1, NULL, 10);
    }
    return -1;
}

/*
 * OOM kills so far. v1: the oom_kill line of memory.oom_control (not
 * failcnt, which stays 0 when memsw is limited); v2: memory.events.
 */
int64_t srv_cgroup_oom_kills(const struct srv_cgroup *cg)
{
    if (!cg->memory[0])
        return -1;
    if (cg->v2)
        return keyed(cg->memory, "memory.events", "oom_kill");
    return keyed(cg->memory, "memory.oom_control", "oom_kill");
}

/* Peak memory use of the cgroup in bytes, or -1 when unknown. */
int64_t srv_cgroup_mem_peak(const struct srv_cgroup *cg)
{
    char buf[64];

    if (!cg->memory[0] ||
        read_file(cg->memory, cg->v2 ? "memory.peak" : "memory.max_usage_in_bytes", buf,
                  sizeof(buf)) < 0)
        return -1;
    return strtoll(buf, NULL, 10);
}

/* SIGKILLs every pid listed in dir/cgroup.procs; returns how many were listed. */
static int kill_listed(const char *dir)
{
    char buf[8192], *p, *end;
    int n = 0;

    if (read_file(dir, "cgroup.procs", buf, sizeof(buf)) < 0)
        return 0;
    for (p = buf; *p; p = end) {
        long pid = strtol(p, &end, 10);

        if (end == p)
            break;
        if (pid > 0) {
            kill((pid_t)pid, SIGKILL);
            n++;
        }
        while (*end == '\n')
            end++;
    }
    return n;
}

/*
 * Safety net after the pid-namespace init got SIGKILL (which already takes
 * the whole namespace down): cgroup.kill where a v2 directory exists, else
 * the v1 freeze / kill / thaw loop, bounded.
 */
void srv_cgroup_kill_all(const struct srv_cgroup *cg)
{
    int i;

    if (cg->kill_dir[0] && write_file(cg->kill_dir, "cgroup.kill", "1") == 0)
        return;
    for (i = 0; i < 20; i++) {
        int n;

        if (cg->freezer[0])
            write_file(cg->freezer, "freezer.state", "FROZEN");
        n = kill_listed(cg->ndirs ? cg->dirs[0] : cg->memory);
        if (cg->freezer[0])
            write_file(cg->freezer, "freezer.state", "THAWED");
        if (n == 0)
            return;
        usleep(1000);
    }
}

/* Removes the directories; returns 0 when all are gone, -1 when some are still busy. */
int srv_cgroup_destroy(struct srv_cgroup *cg)
{
    int i, busy = 0;

    for (i = cg->ndirs - 1; i >= 0; i--) {
        if (!cg->dirs[i][0])
            continue;
        if (rmdir(cg->dirs[i]) == 0 || errno == ENOENT)
            cg->dirs[i][0] = '\0';
        else
            busy = 1;
    }
    return busy ? -1 : 0;
}
