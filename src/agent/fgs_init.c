/*
 * fgs_init.c - fgs-init, pid 1 of every function instance.
 *
 * Started by fgsd's sandbox code as the last step (already confined: own
 * namespaces, read-only root, uid 1003, no capabilities, seccomp). It
 *   - starts the language shim (argv[1..]) with its stdout and stderr on a
 *     pipe and a private frame socket on fd 3;
 *   - relays frames between fgsd (fd 3 here) and the shim, one invocation
 *     at a time, and sends fgsd the output the function wrote during that
 *     invocation (a LOG frame before each READY/RESULT);
 *   - enforces the invocation deadline: on expiry it kills every process of
 *     the instance, reports a timeout and exits, and fgsd replaces the
 *     instance;
 *   - reaps every child (orphans are re-parented to pid 1), and when the
 *     shim dies reports it and exits, which makes the kernel kill whatever
 *     is left in the pid namespace.
 *
 * Security: fgs-init runs as the same uid as the function, so it makes
 * itself non-dumpable first. That keeps /proc/1/fd (the control socket to
 * fgsd, fgsd's log descriptor) and /proc/1/mem out of the function's reach.
 * As pid-namespace init it only receives signals it has handlers for, and
 * it installs none. Frames from the shim are size-capped and otherwise
 * passed through unparsed: a function can only lie about its own result.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "util/frame.h"

#if defined(__SANITIZE_ADDRESS__)
#define FGS_INIT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FGS_INIT_ASAN 1
#endif
#endif
#ifdef FGS_INIT_ASAN
/*
 * LeakSanitizer stops the world with ptrace, which the seccomp filter
 * denies; its failure would be reported in fgsd's log at every instance exit.
 */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "detect_leaks=0";
}
#endif

#define MAX_META (1u << 20)
#define MAX_PAYLOAD (7u << 20) /* 6 MB + headroom; fgsd enforces the exact limit */
#define LOG_CAP (256u * 1024)  /* output kept per invocation (the tail) */
#define CTL_FD 3

extern char **environ;

static struct {
    char *buf;
    size_t len;
    size_t dropped; /* bytes cut from the front */
} out_log;

static pid_t shim_pid = -1;
static int shim_status;
static bool shim_gone;

static void die(const char *msg)
{
    fprintf(stderr, "fgs-init: %s: %s\n", msg, strerror(errno));
    _exit(1);
}

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Appends function output, keeping only the last LOG_CAP bytes. */
static void log_append(const char *data, size_t len)
{
    while (len > 0) {
        size_t n = len > LOG_CAP / 2 ? LOG_CAP / 2 : len;

        if (out_log.len + n > LOG_CAP) {
            size_t cut = out_log.len + n - LOG_CAP;

            memmove(out_log.buf, out_log.buf + cut, out_log.len - cut);
            out_log.len -= cut;
            out_log.dropped += cut;
        }
        memcpy(out_log.buf + out_log.len, data, n);
        out_log.len += n;
        data += n;
        len -= n;
    }
}

/* Reads whatever output is available without blocking. */
static void drain_output(int fd)
{
    char buf[65536];

    for (;;) {
        ssize_t r = read(fd, buf, sizeof(buf));

        if (r > 0) {
            log_append(buf, (size_t)r);
            continue;
        }
        if (r < 0 && errno == EINTR)
            continue;
        return;
    }
}

static void send_or_die(const struct fgs__frame_hdr *h, const void *meta, const void *payload)
{
    if (fgs__frame_send(CTL_FD, h, meta, payload) < 0) {
        /* fgsd closed the control socket: the instance is being torn down */
        _exit(0);
    }
}

/* Sends the captured output as a LOG frame for request id, then forgets it. */
static void send_log(uint64_t id)
{
    struct fgs__frame_hdr h = { FGS_FRAME_LOG, 0, id, 0, 0, (uint32_t)out_log.len };

    send_or_die(&h, NULL, out_log.buf);
    out_log.len = 0;
    out_log.dropped = 0;
}

/* Reaps every exited child; notes the shim's status. */
static void reap(void)
{
    int st;
    pid_t p;

    while ((p = waitpid(-1, &st, WNOHANG)) > 0) {
        if (p == shim_pid) {
            shim_status = st;
            shim_gone = true;
        }
    }
}

/* Reports an instance-ending event for request id (0 = while loading), then exits. */
static __attribute__((noreturn)) void finish(uint64_t id, const char *reason, int outfd)
{
    struct fgs__frame_hdr h = { id ? FGS_FRAME_RESULT : FGS_FRAME_READY, 0, id, 0, 0, 0 };
    char meta[256];
    int sig = 0, code = 0, i;

    kill(-1, SIGKILL); /* every other process of the instance */
    for (i = 0; i < 50 && !shim_gone; i++) {
        reap();
        if (!shim_gone)
            usleep(2000);
    }
    drain_output(outfd);
    if (shim_gone && WIFSIGNALED(shim_status))
        sig = WTERMSIG(shim_status);
    if (shim_gone && WIFEXITED(shim_status))
        code = WEXITSTATUS(shim_status);
    snprintf(meta, sizeof(meta), "{\"ok\":false,\"reason\":\"%s\",\"signal\":%d,\"exit\":%d}",
             reason, sig, code);
    h.meta_len = (uint32_t)strlen(meta);
    send_log(id);
    send_or_die(&h, meta, NULL);
    _exit(0);
}

/*
 * The shim's environment: fgs-init's own, with the user's variables (passed
 * as FGS_U_<name> so that none of them, e.g. LD_PRELOAD, applied to
 * fgs-init) under their real names. Called in the forked child.
 */
static char **shim_env(void)
{
    size_t n = 0, i;
    char **env;

    while (environ[n])
        n++;
    env = calloc(n + 1, sizeof(*env));
    if (!env)
        _exit(127);
    for (i = 0; i < n; i++)
        env[i] = strncmp(environ[i], "FGS_U_", 6) == 0 ? environ[i] + 6 : environ[i];
    return env;
}

static void start_shim(char **argv, int *shim_fd, int *out_fd)
{
    int sv[2], op[2];

    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0 || pipe2(op, O_CLOEXEC) < 0)
        die("socketpair");
    shim_pid = fork();
    if (shim_pid < 0)
        die("fork");
    if (shim_pid == 0) {
        sigset_t none;
        int a = fcntl(sv[1], F_DUPFD, 10);

        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        if (a < 0 || dup2(op[1], 1) < 0 || dup2(op[1], 2) < 0 || dup2(a, 3) < 0)
            _exit(127);
        syscall(SYS_close_range, 4, ~0U, 0);
        if (chdir("/opt/function/code") < 0)
            _exit(127);
        execve(argv[0], argv, shim_env());
        fprintf(stderr, "fgs-init: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(sv[1]);
    close(op[1]);
    *shim_fd = sv[0];
    *out_fd = op[0];
    fcntl(op[0], F_SETFL, O_NONBLOCK);
}

/*
 * Waits for one frame from the shim while collecting output and reaping.
 * deadline_ms 0 waits without limit. Returns 0 with f filled, 1 on
 * timeout; exits (after reporting) when the shim dies or misbehaves.
 */
static int wait_shim(
    int shim_fd, int out_fd, int sig_fd, uint64_t id, int64_t deadline_ms, struct fgs__frame *f)
{
    for (;;) {
        struct pollfd p[3] = { { shim_fd, POLLIN, 0 },
                               { out_fd, POLLIN, 0 },
                               { sig_fd, POLLIN, 0 } };
        int timeout = -1, rc;

        if (deadline_ms) {
            int64_t left = deadline_ms - now_ms();

            if (left <= 0)
                return 1;
            timeout = left > 60000 ? 60000 : (int)left;
        }
        rc = poll(p, 3, timeout);
        if (rc < 0 && errno != EINTR)
            die("poll");
        if (rc <= 0)
            continue;
        if (p[1].revents & POLLIN)
            drain_output(out_fd);
        if (p[2].revents & POLLIN) {
            struct signalfd_siginfo si;

            while (read(sig_fd, &si, sizeof(si)) > 0)
                ;
            reap();
        }
        if (p[0].revents & (POLLIN | POLLHUP)) {
            int left = 10000;

            if (deadline_ms) {
                int64_t l = deadline_ms - now_ms();

                left = l < 1 ? 1 : (l > 60000 ? 60000 : (int)l);
            }
            rc = fgs__frame_recv(shim_fd, f, MAX_META, MAX_PAYLOAD, left);
            if (rc == 0 && (f->hdr.kind == FGS_FRAME_READY || f->hdr.kind == FGS_FRAME_RESULT))
                return 0;
            fgs__frame_dispose(f);
            if (rc == FGS_FRAME_ETIMEOUT && deadline_ms && now_ms() >= deadline_ms)
                return 1;
            finish(id, rc == FGS_FRAME_EOF || rc == FGS_FRAME_EIO ? "exit" : "protocol", out_fd);
        }
        if (shim_gone)
            finish(id, "exit", out_fd);
    }
}

int main(int argc, char **argv)
{
    struct fgs__frame f;
    sigset_t mask;
    int shim_fd, out_fd, sig_fd;

    if (argc < 2) {
        fprintf(stderr, "usage: fgs-init RUNTIME [ARGS...] (fd 3: control socket)\n");
        return 2;
    }
    /* before anything else: keep /proc/1/{fd,mem,environ} from the same-uid function */
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
        die("PR_SET_DUMPABLE");
    out_log.buf = malloc(LOG_CAP);
    if (!out_log.buf)
        die("malloc");
    sigemptyset(&mask);
    sigaddset(&mask, SIGCHLD);
    sigaddset(&mask, SIGPIPE);
    if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
        die("sigprocmask");
    sigdelset(&mask, SIGPIPE);
    sig_fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
    if (sig_fd < 0)
        die("signalfd");
    fcntl(CTL_FD, F_SETFD, FD_CLOEXEC);
    start_shim(argv + 1, &shim_fd, &out_fd);

    /* load: the shim imports the handler and runs the initializer, then sends READY */
    if (wait_shim(shim_fd, out_fd, sig_fd, 0, 0, &f) != 0 || f.hdr.kind != FGS_FRAME_READY)
        finish(0, "protocol", out_fd);
    drain_output(out_fd);
    send_log(0);
    send_or_die(&f.hdr, f.meta, f.payload);
    fgs__frame_dispose(&f);

    for (;;) {
        struct pollfd p[3] = { { CTL_FD, POLLIN, 0 },
                               { out_fd, POLLIN, 0 },
                               { sig_fd, POLLIN, 0 } };
        uint64_t id;
        int64_t deadline;
        int rc = poll(p, 3, -1);

        if (rc < 0 && errno != EINTR)
            die("poll");
        if (rc <= 0)
            continue;
        if (p[1].revents & POLLIN)
            drain_output(out_fd); /* output between invocations is not attributed */
        if (p[2].revents & POLLIN) {
            struct signalfd_siginfo si;

            while (read(sig_fd, &si, sizeof(si)) > 0)
                ;
            reap();
            if (shim_gone)
                finish(0, "exit", out_fd);
        }
        if (!(p[0].revents & (POLLIN | POLLHUP)))
            continue;
        rc = fgs__frame_recv(CTL_FD, &f, MAX_META, MAX_PAYLOAD, 30000);
        if (rc < 0 || f.hdr.kind != FGS_FRAME_INVOKE) {
            /* fgsd went away or spoke nonsense: end the instance */
            kill(-1, SIGKILL);
            _exit(0);
        }
        id = f.hdr.id;
        deadline = (int64_t)f.hdr.deadline_ms;
        out_log.len = 0;
        out_log.dropped = 0;
        if (fgs__frame_send(shim_fd, &f.hdr, f.meta, f.payload) < 0) {
            fgs__frame_dispose(&f);
            finish(id, "exit", out_fd);
        }
        fgs__frame_dispose(&f);
        if (wait_shim(shim_fd, out_fd, sig_fd, id, deadline, &f) == 1)
            finish(id, "timeout", out_fd);
        drain_output(out_fd);
        f.hdr.id = id;
        send_log(id);
        send_or_die(&f.hdr, f.meta, f.payload);
        fgs__frame_dispose(&f);
    }
}
