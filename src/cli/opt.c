/*
 * opt.c - the CLI's option parser: "--name value", "--name=value" and
 * flags, checked against each command's table plus the global options.
 */
#include <stdio.h>
#include <string.h>
#include "cmd.h"
#include "util/str.h"

/* Options every command accepts. */
static const struct cli_opt global_opts[] = {
    { "endpoint", false, "service URL, http[s]://host[:port] (FGS_ENDPOINT)" },
    { "region", false, "region, e.g. cn-north-4, when no endpoint is set (FGS_REGION)" },
    { "project-id", false, "project id (FGS_PROJECT_ID)" },
    { "ak", false, "access key id (FGS_AK)" },
    { "sk", false, "secret access key (FGS_SK)" },
    { "security-token", false, "security token of temporary keys (FGS_SECURITY_TOKEN)" },
    { "token", false, "IAM token sent as X-Auth-Token (FGS_TOKEN)" },
    { "profile", false, "profile of ~/.config/fgs/config to use (FGS_PROFILE, default 'default')" },
    { "output", false, "table (default) or json" },
    { "timeout-ms", false, "request timeout in milliseconds" },
    { "insecure", true, "do not verify TLS certificates" },
    { "help", true, "show this help" },
    { NULL, false, NULL },
};

/* Finds name in a NULL-terminated option table. */
static const struct cli_opt *find(const struct cli_opt *t, const char *name, size_t len)
{
    for (; t && t->name; t++) {
        if (strlen(t->name) == len && strncmp(t->name, name, len) == 0)
            return t;
    }
    return NULL;
}

/*
 * Parses the arguments of one subcommand.
 */
int cli_parse(struct cli_args *a, const struct cli_spec *spec, int argc, char **argv)
{
    int i;

    memset(a, 0, sizeof(*a));
    for (i = 0; i < argc; i++) {
        const char *arg = argv[i], *eq, *val;
        const struct cli_opt *o;
        size_t len;

        if (strcmp(arg, "-h") == 0)
            arg = "--help";
        if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0') {
            if (a->npos >= CLI_MAX_POS)
                return cli_error_usage("too many arguments");
            a->pos[a->npos++] = arg;
            continue;
        }
        eq = strchr(arg + 2, '=');
        len = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
        o = find(spec->opts, arg + 2, len);
        if (!o)
            o = find(global_opts, arg + 2, len);
        if (!o)
            return cli_error_usage("unknown option '%.*s'", (int)len + 2, arg);
        if (o->flag) {
            if (eq)
                return cli_error_usage("option '--%s' takes no value", o->name);
            val = "";
        } else if (eq) {
            val = eq + 1;
        } else if (i + 1 < argc) {
            val = argv[++i];
        } else {
            return cli_error_usage("option '--%s' needs a value", o->name);
        }
        if (strcmp(o->name, "help") == 0) {
            a->help = true;
            continue;
        }
        if (a->nopts >= CLI_MAX_OPTS)
            return cli_error_usage("too many options");
        a->keys[a->nopts] = o->name;
        a->vals[a->nopts++] = val;
    }
    if (a->help)
        return 0;
    if (a->npos < spec->min_pos)
        return cli_error_usage("missing arguments: usage: %s", spec->usage);
    if (a->npos > spec->max_pos)
        return cli_error_usage("unexpected argument '%s': usage: %s", a->pos[spec->max_pos],
                               spec->usage);
    return 0;
}

/* Prints one option table. */
static void print_opts(const struct cli_opt *t)
{
    char left[64];

    for (; t && t->name; t++) {
        snprintf(left, sizeof(left), "--%s%s", t->name, t->flag ? "" : " VALUE");
        printf("  %-26s %s\n", left, t->help);
    }
}

/*
 * Prints the usage of a subcommand.
 */
void cli_usage(const struct cli_spec *spec)
{
    printf("usage: %s\n\n%s\n", spec->usage, spec->desc);
    if (spec->opts && spec->opts->name) {
        printf("\noptions:\n");
        print_opts(spec->opts);
    }
    printf("\nglobal options:\n");
    print_opts(global_opts);
}

/*
 * The last value given for an option, or NULL.
 */
const char *cli_get(const struct cli_args *a, const char *name)
{
    int i;

    for (i = a->nopts - 1; i >= 0; i--) {
        if (strcmp(a->keys[i], name) == 0)
            return a->vals[i];
    }
    return NULL;
}

/*
 * Whether an option or flag was given.
 */
bool cli_has(const struct cli_args *a, const char *name)
{
    return cli_get(a, name) != NULL;
}

/*
 * An integer option in [min, max].
 */
int cli_get_int(const struct cli_args *a, const char *name, long long min, long long max,
                long long def, long long *out)
{
    const char *v = cli_get(a, name);
    int64_t n;

    *out = def;
    if (!v)
        return 0;
    if (fgs__parse_int64(v, min, max, &n) < 0)
        return cli_error_usage("--%s needs an integer in [%lld, %lld], not '%s'", name, min, max,
                               v);
    *out = n;
    return 0;
}
