/*
 * error.h - the CLI's exit codes and error reporting: 0 ok, 1 an error
 * reported by the SDK or the server, 2 usage, 3 a local OS error.
 */
#ifndef FGS_CLI_ERROR_H
#define FGS_CLI_ERROR_H

enum {
    CLI_EXIT_OK = 0,    /* success */
    CLI_EXIT_ERROR = 1, /* SDK or server error */
    CLI_EXIT_USAGE = 2, /* bad command line */
    CLI_EXIT_OS = 3,    /* local OS error (files, memory) */
};

/* Prints "fgs: FSS.xxxx: message" from fgs_error_last(); returns CLI_EXIT_ERROR. */
int cli_error_sdk(void);
/* Prints "fgs: <message>" and a hint to use --help; returns CLI_EXIT_USAGE. */
int cli_error_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "fgs: <message>"; returns CLI_EXIT_OS. */
int cli_error_os(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "fgs: out of memory" and exits with CLI_EXIT_OS. */
void cli_die_oom(void) __attribute__((noreturn));

#endif
