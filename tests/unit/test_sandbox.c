/*
 * test_sandbox.c - the sandbox without fgsd, fgs-init or a runtime: a shell
 * script stands in for fgs-init and reports what it sees over the control
 * socket (fd 3). Checks uid, capabilities, no_new_privs, seccomp, the
 * minimal root, read-only code, writable /tmp, pid 1, loopback-only
 * network, a failing step reported by name, an OOM kill counted by the
 * memory cgroup, and the cgroup directories removed afterwards. Needs root
 * (skips otherwise).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <time.h>
#include "fgs_test.h"
#include "sandbox/sandbox.h"

static char dir[256], code[300], root[300], script[300];

static bool setup(const char *body)
{
    char err[512];
    FILE *f;

    if (geteuid() != 0) {
        printf("# SKIP not root\n");
        return false;
    }
    snprintf(dir, sizeof(dir), "/tmp/fgs-sbx-test.%d", (int)getpid());
    snprintf(code, sizeof(code), "%s/code", dir);
    snprintf(root, sizeof(root), "%s/root", dir);
    snprintf(script, sizeof(script), "%s/init.sh", dir);
    ASSERT(mkdir(dir, 0755) == 0 || errno == EEXIST);
    ASSERT(mkdir(code, 0755) == 0 || errno == EEXIST);
    ASSERT(mkdir(root, 0755) == 0 || errno == EEXIST);
    f = fopen(script, "w");
    ASSERT(f);
    fprintf(f, "#!/bin/sh\n%s", body);
    fclose(f);
    ASSERT_OK(chmod(script, 0755));
    f = fopen("/tmp/fgs-sbx-code-marker", "w"); /* must not be visible inside */
    if (f)
        fclose(f);
    if (srv_sandbox_global_init(err, sizeof(err)) < 0)
        FGS_TEST_FAIL("global init: %s", err);
    return true;
}

static void teardown(void)
{
    char cmd[400];

    srv_sandbox_global_dispose();
    snprintf(cmd, sizeof(cmd), "%s/init.sh", dir);
    unlink(cmd);
    rmdir(code);
    rmdir(root);
    rmdir(dir);
}

static void spec_init(struct srv_sandbox_spec *s, char **argv, char **envp, int64_t mem_mb)
{
    memset(s, 0, sizeof(*s));
    s->root_dir = root;
    s->code_dir = code;
    s->runtime_dir = code;
    s->init_path = script;
    s->argv = argv;
    s->envp = envp;
    s->tmp_bytes = 16 * 1024 * 1024;
    s->new_net = true;
    s->uid = 1003;
    s->gid = 1003;
    s->limits.memory_bytes = mem_mb * 1024 * 1024;
    s->limits.pids_max = 64;
    s->limits.cpu_shares = 128;
    s->name = "t1";
}

/* Everything the instance writes to fd 3 until it exits (bounded). */
static void read_all(int fd, char *buf, size_t size)
{
    size_t len = 0;
    int i;

    for (i = 0; i < 200 && len + 1 < size; i++) {
        struct pollfd p = { fd, POLLIN, 0 };
        ssize_t r;

        if (poll(&p, 1, 100) <= 0)
            continue;
        r = read(fd, buf + len, size - 1 - len);
        if (r <= 0)
            break;
        len += (size_t)r;
    }
    buf[len] = '\0';
}

static void reap(struct srv_sandbox *sb)
{
    int i;

    for (i = 0; i < 500; i++) {
        if (srv_sandbox_reap(sb))
            return;
        usleep(10000);
    }
    FGS_TEST_FAIL("the instance was not reaped");
}

FGS_TEST(sandbox, confines_the_instance)
{
    static char *argv[] = { "/opt/fgs/bin/fgs-init", NULL };
    static char *envp[] = { "PATH=/usr/bin:/bin", NULL };
    struct srv_sandbox_spec spec;
    struct srv_sandbox sb;
    char err[512], out[4096];

    if (!setup("exec >&3 2>&1\n"
               "echo uid=$(id -u) gid=$(id -g)\n"
               "grep -E '^(CapEff|CapBnd|NoNewPrivs|Seccomp):' /proc/self/status | tr -d '\\t '\n"
               "echo pid=$$\n"
               "echo root=$(ls / | tr '\\n' ,)\n"
               "echo dev=$(ls /dev | tr '\\n' ,)\n"
               "touch /opt/function/code/x 2>/dev/null && echo code=rw || echo code=ro\n"
               "touch /etc/x 2>/dev/null && echo etc=rw || echo etc=ro\n"
               "touch /tmp/x 2>/dev/null && echo tmp=rw || echo tmp=ro\n"
               "test -e /tmp/fgs-sbx-code-marker && echo hosttmp=visible || echo hosttmp=hidden\n"
               "echo net=$(ls /sys/class/net 2>/dev/null | tr '\\n' ,)$(cat /proc/net/dev | "
               "tail -n +3 | cut -d: -f1 | tr -d ' ' | tr '\\n' ,)\n"
               "echo host=$(cat /proc/sys/kernel/hostname)\n"))
        return;
    spec_init(&spec, argv, envp, 64);
    if (srv_sandbox_spawn(&sb, &spec, err, sizeof(err)) < 0)
        FGS_TEST_FAIL("spawn: %s", err);
    read_all(sb.ctl_fd, out, sizeof(out));
    fprintf(stderr, "# %s", out);
    ASSERT(strstr(out, "uid=1003 gid=1003\n"));
    ASSERT(strstr(out, "CapEff:0000000000000000\n"));
    ASSERT(strstr(out, "CapBnd:0000000000000000\n"));
    ASSERT(strstr(out, "NoNewPrivs:1\n"));
    ASSERT(strstr(out, "Seccomp:2\n"));
    ASSERT(strstr(out, "pid=1\n"));
    ASSERT(strstr(out, "root=bin,dev,etc,lib,lib64,opt,proc,sbin,tmp,usr,\n"));
    ASSERT(strstr(out, "dev=fd,null,random,stderr,stdin,stdout,urandom,zero,\n"));
    ASSERT(strstr(out, "code=ro\n"));
    ASSERT(strstr(out, "etc=ro\n"));
    ASSERT(strstr(out, "tmp=rw\n"));
    ASSERT(strstr(out, "hosttmp=hidden\n"));
    ASSERT(strstr(out, "net=lo,\n"));
    ASSERT(strstr(out, "host=localhost\n"));
    reap(&sb);
    ASSERT_EQ(srv_sandbox_oom_kills(&sb), -1); /* cgroup gone */
    teardown();
}

FGS_TEST(sandbox, failing_step_is_reported_by_name)
{
    static char *argv[] = { "/opt/fgs/bin/fgs-init", NULL };
    static char *envp[] = { NULL };
    struct srv_sandbox_spec spec;
    struct srv_sandbox sb;
    char err[512];

    if (!setup("exit 0\n"))
        return;
    spec_init(&spec, argv, envp, 64);
    spec.code_dir = "/nonexistent/fgs-code";
    ASSERT_EQ(srv_sandbox_spawn(&sb, &spec, err, sizeof(err)), -1);
    fprintf(stderr, "# %s\n", err);
    ASSERT(strstr(err, "bind the function code"));
    ASSERT_EQ(sb.pid, -1);
    /* and the cgroup of the failed attempt is gone: the same name can be used again */
    spec.code_dir = code;
    if (srv_sandbox_spawn(&sb, &spec, err, sizeof(err)) < 0)
        FGS_TEST_FAIL("spawn after a failure: %s", err);
    reap(&sb);
    teardown();
}

FGS_TEST(sandbox, oom_kill_is_counted)
{
    static char *argv[] = { "/opt/fgs/bin/fgs-init", NULL };
    static char *envp[] = { "PATH=/usr/bin:/bin", NULL };
    struct srv_sandbox_spec spec;
    struct srv_sandbox sb;
    char err[512], out[256];

    /* tail keeps a newline-free stream in memory: 200 MB against a 32 MB limit */
    if (!setup("head -c 200000000 /dev/zero | tail -c 150000000 >/dev/null; echo rc=$? >&3\n"))
        return;
    spec_init(&spec, argv, envp, 32);
    if (srv_sandbox_spawn(&sb, &spec, err, sizeof(err)) < 0)
        FGS_TEST_FAIL("spawn: %s", err);
    read_all(sb.ctl_fd, out, sizeof(out));
    ASSERT_GE(srv_sandbox_oom_kills(&sb), 1);
    ASSERT(strstr(out, "rc=137") || strstr(out, "rc=1"));
    ASSERT_LE(srv_sandbox_mem_peak(&sb), 32 * 1024 * 1024);
    reap(&sb);
    teardown();
}

FGS_TEST(sandbox, spares_start_promptly)
{
    static char *argv[] = { "/opt/fgs/bin/fgs-init", NULL };
    static char *envp[] = { "PATH=/usr/bin:/bin", NULL };
    struct srv_cgroup_limits lim = { 128LL * 1024 * 1024, 64, 128 };
    struct srv_sandbox_spare a, b;
    struct srv_sandbox_spec spec;
    struct srv_sandbox sa, sb;
    struct timespec t0, t1;
    char err[512], out[256];

    if (!setup("echo started-$1 >&3\n"))
        return;
    spec_init(&spec, argv, envp, 64);
    /* two spares alive at once: each must not keep the other's pipes open */
    if (srv_sandbox_spare_new(&a, true, "sa", &lim, err, sizeof(err)) < 0 ||
        srv_sandbox_spare_new(&b, true, "sb", &lim, err, sizeof(err)) < 0)
        FGS_TEST_FAIL("spare: %s", err);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (srv_sandbox_spare_start(&a, &sa, &spec, err, sizeof(err)) < 0)
        FGS_TEST_FAIL("start a: %s", err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ASSERT_LT((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000, 2000);
    read_all(sa.ctl_fd, out, sizeof(out));
    ASSERT(strstr(out, "started-"));
    if (srv_sandbox_spare_start(&b, &sb, &spec, err, sizeof(err)) < 0)
        FGS_TEST_FAIL("start b: %s", err);
    reap(&sa);
    reap(&sb);
    teardown();
}

FGS_TEST_LIST(T(sandbox, spares_start_promptly),
              T(sandbox, confines_the_instance),
              T(sandbox, failing_step_is_reported_by_name),
              T(sandbox, oom_kill_is_counted));
