/*
 * config.c - where the CLI's connection settings come from, in order of
 * precedence: flags, environment (FGS_*), then a profile of the config file
 * ($FGS_CONFIG, else $XDG_CONFIG_HOME/fgs/config, else ~/.config/fgs/config):
 *
 *     # comment
 *     [default]
 *     endpoint = http://127.0.0.1:8080
 *     project_id = 0a1b2c3d4e5f60718293a4b5c6d7e8f9
 *     ak = ...
 *     sk = ...
 *
 * Keys: endpoint, region, project_id, ak, sk, security_token, token.
 * Also the output helpers shared by the commands.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cmd.h"
#include "util/str.h"

#define PROFILE_KEYS 7

static const char *const profile_keys[PROFILE_KEYS] = {
    "endpoint", "region", "project_id", "ak", "sk", "security_token", "token",
};

/* Values read from the selected profile; static storage. */
static char profile_vals[PROFILE_KEYS][512];

/* Strips blanks at both ends in place. */
static char *trim(char *s)
{
    char *e;

    while (*s == ' ' || *s == '\t')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
        *--e = '\0';
    return s;
}

/* The config file path into buf. */
static void config_path(char *buf, size_t size)
{
    const char *p = getenv("FGS_CONFIG");

    if (p && *p)
        snprintf(buf, size, "%s", p);
    else if ((p = getenv("XDG_CONFIG_HOME")) && *p)
        snprintf(buf, size, "%s/fgs/config", p);
    else
        snprintf(buf, size, "%s/.config/fgs/config", getenv("HOME") ? getenv("HOME") : ".");
}

/*
 * Loads the named profile. A missing file is fine unless the profile was
 * asked for explicitly. Returns 0 or an exit code (printed).
 */
static int load_profile(const char *name, bool explicit_name)
{
    char path[1024], line[1024], section[128] = "";
    bool found = false;
    int lineno = 0;
    FILE *f;

    config_path(path, sizeof(path));
    f = fopen(path, "r");
    if (!f) {
        if (errno == ENOENT && !explicit_name)
            return 0;
        return cli_error_os("cannot read %s: %s", path, strerror(errno));
    }
    while (fgets(line, sizeof(line), f)) {
        char *l = trim(line), *eq;
        int i;

        lineno++;
        if (*l == '\0' || *l == '#' || *l == ';')
            continue;
        if (*l == '[') {
            char *end = strchr(l, ']');

            if (!end) {
                fclose(f);
                return cli_error_usage("%s:%d: malformed section header", path, lineno);
            }
            *end = '\0';
            fgs__strlcpy(section, trim(l + 1), sizeof(section));
            found = found || strcmp(section, name) == 0;
            continue;
        }
        eq = strchr(l, '=');
        if (!eq) {
            fclose(f);
            return cli_error_usage("%s:%d: expected key = value", path, lineno);
        }
        *eq = '\0';
        if (strcmp(section, name) != 0)
            continue;
        for (i = 0; i < PROFILE_KEYS; i++) {
            if (strcmp(trim(l), profile_keys[i]) == 0)
                fgs__strlcpy(profile_vals[i], trim(eq + 1), sizeof(profile_vals[i]));
        }
    }
    fclose(f);
    if (!found && explicit_name)
        return cli_error_usage("profile '%s' not found in %s", name, path);
    return 0;
}

/* flag, else environment variable, else profile key (index), else NULL. */
static const char *setting(const struct cli_args *a, const char *flag, const char *env, int key)
{
    const char *v = cli_get(a, flag);

    if (v && *v)
        return v;
    v = getenv(env);
    if (v && *v)
        return v;
    return profile_vals[key][0] ? profile_vals[key] : NULL;
}

/*
 * Builds the client from flags, environment and profile.
 */
int cli_client(fgs_client **out, const struct cli_args *a)
{
    fgs_client_options o = FGS_CLIENT_OPTIONS_INIT;
    const char *profile = cli_get(a, "profile");
    bool explicit_name = profile != NULL;
    long long timeout;
    int rc;

    *out = NULL;
    if (!profile)
        profile = getenv("FGS_PROFILE");
    explicit_name = explicit_name || (profile && *profile);
    rc = load_profile(profile && *profile ? profile : "default", explicit_name);
    if (rc)
        return rc;
    rc = cli_get_int(a, "timeout-ms", 1, 86400000, 0, &timeout);
    if (rc)
        return rc;
    o.endpoint = setting(a, "endpoint", "FGS_ENDPOINT", 0);
    o.region = setting(a, "region", "FGS_REGION", 1);
    o.project_id = setting(a, "project-id", "FGS_PROJECT_ID", 2);
    o.ak = setting(a, "ak", "FGS_AK", 3);
    o.sk = setting(a, "sk", "FGS_SK", 4);
    o.security_token = setting(a, "security-token", "FGS_SECURITY_TOKEN", 5);
    o.auth_token = setting(a, "token", "FGS_TOKEN", 6);
    o.timeout_ms = (long)timeout;
    o.insecure = cli_has(a, "insecure");
    o.user_agent = "fgs-cli/" FGS_VERSION_STRING;
    if (!o.project_id)
        return cli_error_usage("no project id: set --project-id, FGS_PROJECT_ID or project_id in "
                               "the profile");
    if (!o.endpoint && !o.region)
        return cli_error_usage("no endpoint: set --endpoint/--region, FGS_ENDPOINT/FGS_REGION "
                               "or endpoint in the profile");
    if (fgs_client_new(out, &o) < 0)
        return fgs_error_last()->code == FGS_EINVALID ? (cli_error_sdk(), CLI_EXIT_USAGE)
                                                      : cli_error_sdk();
    return 0;
}

/*
 * Whether JSON output was asked for.
 */
bool cli_json(const struct cli_args *a)
{
    const char *o = cli_get(a, "output");

    return o && strcmp(o, "json") == 0;
}

/*
 * Prints JSON text indented, or as is when it does not parse.
 */
void cli_print_json(const char *raw)
{
    json_t *v = json_loads(raw ? raw : "null", JSON_DECODE_ANY, NULL);
    char *s = v ? json_dumps(v, JSON_INDENT(2) | JSON_ENCODE_ANY) : NULL;

    puts(s ? s : raw);
    free(s);
    json_decref(v);
}

/*
 * Reads a whole regular file.
 */
int cli_read_file(const char *path, char **out, size_t *len)
{
    struct stat st;
    FILE *f = fopen(path, "rb");
    char *buf;

    *out = NULL;
    if (!f)
        return cli_error_os("cannot open %s: %s", path, strerror(errno));
    if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        return cli_error_os("%s is not a regular file", path);
    }
    buf = malloc((size_t)st.st_size + 1);
    if (!buf)
        cli_die_oom();
    *len = fread(buf, 1, (size_t)st.st_size, f);
    if (ferror(f) || *len != (size_t)st.st_size) {
        fclose(f);
        free(buf);
        return cli_error_os("cannot read %s", path);
    }
    fclose(f);
    buf[*len] = '\0';
    *out = buf;
    return 0;
}
