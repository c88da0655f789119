/*
 * cmd.h - the CLI's commands, its option parser and the helpers every
 * command shares (client creation from flags/env/profile, output).
 */
#ifndef FGS_CLI_CMD_H
#define FGS_CLI_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include "fgs/fgs.h"
#include "error.h"

#define CLI_MAX_POS 8
#define CLI_MAX_OPTS 32

/* One option a command accepts: "--name VALUE", or a flag when flag is true. */
struct cli_opt {
    const char *name; /* without the leading "--" */
    bool flag;        /* takes no value */
    const char *help; /* one line for --help */
};

/* A parsed command line. */
struct cli_args {
    const char *pos[CLI_MAX_POS];   /* positional arguments */
    int npos;                       /* how many */
    const char *keys[CLI_MAX_OPTS]; /* option names given */
    const char *vals[CLI_MAX_OPTS]; /* their values ("" for flags) */
    int nopts;                      /* how many */
    bool help;                      /* --help was given */
};

/* Usage text and option table of one (sub)command. */
struct cli_spec {
    const char *usage;           /* "fgs function get NAME" */
    const char *desc;            /* one line */
    const struct cli_opt *opts;  /* NULL-terminated, may be NULL */
    int min_pos;                 /* required positional arguments */
    int max_pos;                 /* allowed positional arguments */
};

/*
 * Parses argv (after the subcommand) against spec plus the global options.
 * Returns 0, or CLI_EXIT_USAGE after printing the problem.
 */
int cli_parse(struct cli_args *a, const struct cli_spec *spec, int argc, char **argv);
/* Prints the usage text of spec (and the global options) to stdout. */
void cli_usage(const struct cli_spec *spec);
/* The value of an option, or NULL. */
const char *cli_get(const struct cli_args *a, const char *name);
bool cli_has(const struct cli_args *a, const char *name);
/* Parses an integer option; returns CLI_EXIT_USAGE on junk. def when absent. */
int cli_get_int(const struct cli_args *a, const char *name, long long min, long long max,
                long long def, long long *out);

/* Creates the client from flags, environment and profile; prints the error itself. */
int cli_client(fgs_client **out, const struct cli_args *a);
/* Whether --output json was asked for (default table). */
bool cli_json(const struct cli_args *a);
/* Prints raw JSON text pretty-printed (falls back to the text as is). */
void cli_print_json(const char *raw);
/* Reads a whole file; returns 0 or CLI_EXIT_OS (printed). Caller frees *out. */
int cli_read_file(const char *path, char **out, size_t *len);
/* Zips a directory tree into memory (no symlinks, regular files only). */
int cli_zip_dir(const char *dir, unsigned char **out, size_t *len);

/* Commands: argv[0] is the command word. */
int cmd_function(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_alias(int argc, char **argv);
int cmd_invoke(int argc, char **argv);
int cmd_trigger(int argc, char **argv);
int cmd_async_config(int argc, char **argv);
int cmd_quotas(int argc, char **argv);

/* One subcommand of a command group. */
struct cli_sub {
    const char *name;
    int (*fn)(const struct cli_args *a);
    const struct cli_spec *spec;
};

/* Runs the subcommand argv[1] of a group; prints the group help when asked. */
int cli_run_group(const char *group, const struct cli_sub *subs, int argc, char **argv);

#endif
