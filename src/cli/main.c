/*
 * main.c - fgs, the FunctionGraph command line: the command table, the
 * error helpers and the dispatch of command groups.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"

/* The command table: { name, fn, description }. */
static const struct {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *desc;
} commands[] = {
    { "function", cmd_function, "list, show, create, update and delete functions" },
    { "version", cmd_version, "publish and list versions" },
    { "alias", cmd_alias, "create, show, list, update and delete version aliases" },
    { "invoke", cmd_invoke, "invoke a function (sync or --async)" },
    { "trigger", cmd_trigger, "create, list, show, update and delete triggers" },
    { "async-config", cmd_async_config, "show, set and delete async invocation settings" },
    { "quotas", cmd_quotas, "show the tenant's quotas" },
};

/*
 * Reports the SDK's last error.
 */
int cli_error_sdk(void)
{
    const fgs_error *e = fgs_error_last();

    if (e->error_code[0])
        fprintf(stderr, "fgs: %s: %s\n", e->error_code, e->message);
    else
        fprintf(stderr, "fgs: %s\n", e->message[0] ? e->message : fgs_strerror(e->code));
    return CLI_EXIT_ERROR;
}

/*
 * Reports a usage error.
 */
int cli_error_usage(const char *fmt, ...)
{
    va_list ap;

    fputs("fgs: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs(" (see --help)\n", stderr);
    return CLI_EXIT_USAGE;
}

/*
 * Reports a local OS error.
 */
int cli_error_os(const char *fmt, ...)
{
    va_list ap;

    fputs("fgs: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return CLI_EXIT_OS;
}

/*
 * Out of memory in the CLI itself: report and exit.
 */
void cli_die_oom(void)
{
    fputs("fgs: out of memory\n", stderr);
    exit(CLI_EXIT_OS);
}

/* Prints the top-level help. */
static void usage(FILE *f)
{
    size_t i;

    fprintf(f, "usage: fgs COMMAND [SUBCOMMAND] [ARGS] [OPTIONS]\n\ncommands:\n");
    for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(f, "  %-14s %s\n", commands[i].name, commands[i].desc);
    fprintf(f, "\nRun 'fgs COMMAND --help' for details. Configuration comes from flags, the\n"
               "environment (FGS_ENDPOINT, FGS_REGION, FGS_PROJECT_ID, FGS_AK, FGS_SK,\n"
               "FGS_SECURITY_TOKEN, FGS_TOKEN, FGS_PROFILE) and ~/.config/fgs/config.\n"
               "Exit codes: 0 ok, 1 SDK or server error, 2 usage, 3 local OS error.\n");
}

/*
 * Runs one subcommand of a group.
 */
int cli_run_group(const char *group, const struct cli_sub *subs, int argc, char **argv)
{
    struct cli_args a;
    int i, rc;

    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        FILE *f = argc < 2 ? stderr : stdout;

        fprintf(f, "usage: fgs %s SUBCOMMAND [ARGS] [OPTIONS]\n\nsubcommands:\n", group);
        for (i = 0; subs[i].name; i++)
            fprintf(f, "  %-14s %s\n", subs[i].name, subs[i].spec->desc);
        return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
    }
    for (i = 0; subs[i].name; i++) {
        if (strcmp(subs[i].name, argv[1]) != 0)
            continue;
        rc = cli_parse(&a, subs[i].spec, argc - 2, argv + 2);
        if (rc)
            return rc;
        if (a.help) {
            cli_usage(subs[i].spec);
            return CLI_EXIT_OK;
        }
        return subs[i].fn(&a);
    }
    return cli_error_usage("unknown subcommand '%s %s'", group, argv[1]);
}

int main(int argc, char **argv)
{
    size_t i;
    int rc;

    if (argc < 2) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("fgs %s\n", fgs_version_string());
        return CLI_EXIT_OK;
    }
    for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        if (strcmp(commands[i].name, argv[1]) == 0) {
            if (fgs_global_init() < 0)
                return cli_error_sdk();
            rc = commands[i].fn(argc - 1, argv + 1);
            fgs_global_shutdown();
            return rc;
        }
    }
    return cli_error_usage("unknown command '%s'", argv[1]);
}
