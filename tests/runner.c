/*
 * runner.c - runs the tests of one unit test binary, one forked child per
 * test, each with a timeout, and reports TAP on stdout.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "fgs_test.h"

static char tmpdir[256];

const char *fgs_test_tmpdir(void)
{
    if (!tmpdir[0]) {
        snprintf(tmpdir, sizeof(tmpdir), "/tmp/fgs-unit-XXXXXX");
        if (!mkdtemp(tmpdir)) {
            perror("mkdtemp");
            exit(1);
        }
    }
    return tmpdir;
}

static int selected(const struct fgs_test_entry *t, const char *filter)
{
    char full[256];

    if (!filter)
        return 1;
    snprintf(full, sizeof(full), "%s::%s", t->suite, t->name);
    return strncmp(full, filter, strlen(filter)) == 0;
}

static int run_one(const struct fgs_test_entry *t, unsigned timeout)
{
    int status;
    pid_t pid;

    fflush(stdout);
    pid = fork();
    if (pid < 0) {
        perror("fork");
        return -1;
    }
    if (pid == 0) {
        alarm(timeout);
        t->fn();
        if (tmpdir[0]) {
            char cmd[300];
            snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
            if (system(cmd) != 0)
                fprintf(stderr, "# could not remove %s\n", tmpdir);
        }
        fflush(NULL);
        _exit(0);
    }
    if (waitpid(pid, &status, 0) < 0)
        return -1;
    if (WIFSIGNALED(status)) {
        printf("# %s::%s killed by signal %d%s\n", t->suite, t->name, WTERMSIG(status),
               WTERMSIG(status) == SIGALRM ? " (timeout)" : "");
        return -1;
    }
    return WEXITSTATUS(status) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    const char *filter = NULL;
    unsigned timeout = 60;
    int n = 0, failed = 0, i;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-s") == 0 && i + 1 < argc)
            filter = argv[++i];
        else if (strcmp(argv[i], "-t") == 0 && i + 1 < argc)
            timeout = (unsigned)strtoul(argv[++i], NULL, 10);
    }
    for (i = 0; fgs_tests[i].fn; i++)
        if (selected(&fgs_tests[i], filter))
            n++;
    printf("1..%d\n", n);
    n = 0;
    for (i = 0; fgs_tests[i].fn; i++) {
        const struct fgs_test_entry *t = &fgs_tests[i];
        int rc;

        if (!selected(t, filter))
            continue;
        rc = run_one(t, timeout);
        printf("%s %d - %s::%s\n", rc == 0 ? "ok" : "not ok", ++n, t->suite, t->name);
        if (rc)
            failed++;
    }
    if (failed)
        printf("# %d of %d failed\n", failed, n);
    return failed ? 1 : 0;
}
