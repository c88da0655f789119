/*
 * config.c - fgsd's settings: defaults, FGS_* environment variables, then
 * command-line flags (flags win).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/server.h"
#include "util/log.h"
#include "util/str.h"

#define FGSD_VERSION "0.1.0"

void srv_config_defaults(struct srv_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    fgs__strlcpy(cfg->listen_host, "127.0.0.1", sizeof(cfg->listen_host));
    cfg->listen_port = 8000;
    fgs__strlcpy(cfg->data_dir, "./data", sizeof(cfg->data_dir));
    fgs__strlcpy(cfg->region, "local", sizeof(cfg->region));
    cfg->threads = 16; /* sync invocations hold a worker thread while the function runs */
    cfg->max_connections = 4096;
    cfg->conn_timeout = 30;
    cfg->max_body_memory = 1024LL * 1024 * 1024;
    cfg->max_functions = 400;
    cfg->max_versions = 20;
    cfg->max_aliases = 10;
    cfg->max_code_bytes = 50LL * 1024 * 1024;
    cfg->max_unzip_bytes = 250LL * 1024 * 1024;
    cfg->max_zip_entries = 20000;
    cfg->max_total_code_bytes = 75LL * 1024 * 1024 * 1024;
    cfg->instance_idle_seconds = 300;
    cfg->max_instances = 100;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: fgsd [options]\n"
            "\n"
            "A self-hosted FunctionGraph v2 API server.\n"
            "\n"
            "  --listen HOST:PORT   address to serve the API on (FGS_LISTEN, default 127.0.0.1:8000;\n"
            "                       port 0 picks a free port)\n"
            "  --data-dir DIR       database and code cache (FGS_DATA_DIR, default ./data)\n"
            "  --region ID          region id used in URNs (FGS_REGION, default local)\n"
            "  --auth MODE          'aksk' (default) or 'none' for unsigned local development\n"
            "                       (FGS_AUTH)\n"
            "  --credentials FILE   access keys, one 'AK SK PROJECT_ID[,...]' per line (FGS_CREDENTIALS;\n"
            "                       default <data-dir>/credentials, generated on first start)\n"
            "  --store SPEC         storage backend: sqlite:DIR (FGS_STORE, default SQLite in the\n"
            "                       data dir)\n"
            "  --threads N          HTTP worker threads; a synchronous invocation holds one while\n"
            "                       the function runs (FGS_THREADS, default 16)\n"
            "  --instance-idle-seconds N  stop function instances idle this long\n"
            "                       (FGS_INSTANCE_IDLE_SECONDS, default 300)\n"
            "  --max-instances N    instances per function when max_instance_num is unset\n"
            "                       (FGS_MAX_INSTANCES, default 100)\n"
            "  --instance-network MODE  'none' (default: a new empty network namespace per\n"
            "                       instance, loopback only) or 'host' (FGS_INSTANCE_NETWORK)\n"
            "  --max-connections N  concurrent connections (FGS_MAX_CONNECTIONS, default 4096)\n"
            "  --max-body-memory MB request bodies buffered at once over all connections; beyond,\n"
            "                       503 (FGS_MAX_BODY_MEMORY, default 1024)\n"
            "  --conn-timeout S     idle seconds before a connection is closed (FGS_CONN_TIMEOUT,\n"
            "                       default 30)\n"
            "  --allow-private-fetch yes|no  let obs code_url point at loopback or private\n"
            "                       addresses (FGS_ALLOW_PRIVATE_FETCH, default no)\n"
            "  --log-level LEVEL    debug, info, warn or error (FGS_LOG_LEVEL, default info)\n"
            "  -h, --help           this text\n"
            "  --version            print the version\n");
}

static int split_listen(struct srv_config *cfg, const char *s)
{
    const char *colon = strrchr(s, ':');
    int64_t port;
    size_t hl;

    if (!colon || fgs__parse_int64(colon + 1, 0, 65535, &port) < 0)
        return -1;
    hl = (size_t)(colon - s);
    if (hl == 0 || hl >= sizeof(cfg->listen_host))
        return -1;
    memcpy(cfg->listen_host, s, hl);
    cfg->listen_host[hl] = '\0';
    cfg->listen_port = (int)port;
    return 0;
}

static int set_log_level(const char *s)
{
    static const char *names[] = { "debug", "info", "warn", "error" };
    int i;

    for (i = 0; i < 4; i++) {
        if (strcmp(s, names[i]) == 0) {
            fgs__log_set_level((enum fgs__log_level)i);
            return 0;
        }
    }
    return -1;
}

/* One setting by name, from the environment or a flag. */
static int apply(struct srv_config *cfg, const char *name, const char *v)
{
    int64_t n;

    if (strcmp(name, "listen") == 0)
        return split_listen(cfg, v);
    if (strcmp(name, "data-dir") == 0)
        return *v && fgs__strlcpy(cfg->data_dir, v, sizeof(cfg->data_dir)) <
                         sizeof(cfg->data_dir) ? 0 : -1;
    if (strcmp(name, "region") == 0)
        return *v && fgs__strlcpy(cfg->region, v, sizeof(cfg->region)) < sizeof(cfg->region)
                   ? 0 : -1;
    if (strcmp(name, "credentials") == 0)
        return fgs__strlcpy(cfg->credentials, v, sizeof(cfg->credentials)) <
                       sizeof(cfg->credentials) ? 0 : -1;
    if (strcmp(name, "store") == 0)
        return fgs__strlcpy(cfg->store, v, sizeof(cfg->store)) < sizeof(cfg->store) ? 0 : -1;
    if (strcmp(name, "auth") == 0) {
        if (strcmp(v, "none") && strcmp(v, "aksk"))
            return -1;
        cfg->auth_none = strcmp(v, "none") == 0;
        return 0;
    }
    if (strcmp(name, "threads") == 0) {
        if (fgs__parse_int64(v, 1, 256, &n) < 0)
            return -1;
        cfg->threads = (int)n;
        return 0;
    }
    if (strcmp(name, "max-connections") == 0) {
        if (fgs__parse_int64(v, 1, 1000000, &n) < 0)
            return -1;
        cfg->max_connections = (int)n;
        return 0;
    }
    if (strcmp(name, "max-body-memory") == 0) {
        if (fgs__parse_int64(v, 1, 1024 * 1024, &n) < 0)
            return -1;
        cfg->max_body_memory = n * 1024 * 1024;
        return 0;
    }
    if (strcmp(name, "conn-timeout") == 0) {
        if (fgs__parse_int64(v, 1, 3600, &n) < 0)
            return -1;
        cfg->conn_timeout = (int)n;
        return 0;
    }
    if (strcmp(name, "allow-private-fetch") == 0) {
        if (strcmp(v, "1") && strcmp(v, "0") && strcmp(v, "yes") && strcmp(v, "no"))
            return -1;
        cfg->allow_private_fetch = strcmp(v, "1") == 0 || strcmp(v, "yes") == 0;
        return 0;
    }
    if (strcmp(name, "log-level") == 0)
        return set_log_level(v);
    if (strcmp(name, "instance-idle-seconds") == 0) {
        if (fgs__parse_int64(v, 1, 86400, &n) < 0)
            return -1;
        cfg->instance_idle_seconds = (int)n;
        return 0;
    }
    if (strcmp(name, "max-instances") == 0) {
        if (fgs__parse_int64(v, 1, 1000, &n) < 0)
            return -1;
        cfg->max_instances = (int)n;
        return 0;
    }
    if (strcmp(name, "instance-network") == 0) {
        if (strcmp(v, "none") && strcmp(v, "host"))
            return -1;
        cfg->instance_host_net = strcmp(v, "host") == 0;
        return 0;
    }
    return -1;
}

static const struct {
    const char *flag;
    const char *env;
} settings[] = {
    { "listen", "FGS_LISTEN" },     { "data-dir", "FGS_DATA_DIR" },
    { "region", "FGS_REGION" },     { "store", "FGS_STORE" },
    { "auth", "FGS_AUTH" },         { "threads", "FGS_THREADS" },
    { "credentials", "FGS_CREDENTIALS" },
    { "max-connections", "FGS_MAX_CONNECTIONS" }, { "log-level", "FGS_LOG_LEVEL" },
    { "max-body-memory", "FGS_MAX_BODY_MEMORY" }, { "conn-timeout", "FGS_CONN_TIMEOUT" },
    { "allow-private-fetch", "FGS_ALLOW_PRIVATE_FETCH" },
    { "instance-idle-seconds", "FGS_INSTANCE_IDLE_SECONDS" },
    { "max-instances", "FGS_MAX_INSTANCES" }, { "instance-network", "FGS_INSTANCE_NETWORK" },
};

#define NSETTINGS (sizeof(settings) / sizeof(settings[0]))

int srv_config_parse(struct srv_config *cfg, int argc, char **argv)
{
    struct option opts[NSETTINGS + 3];
    size_t i;
    int c, idx;

    for (i = 0; i < NSETTINGS; i++) {
        const char *v = getenv(settings[i].env);

        if (v && apply(cfg, settings[i].flag, v) < 0) {
            fprintf(stderr, "fgsd: invalid %s '%s'\n", settings[i].env, v);
            return -1;
        }
        opts[i].name = settings[i].flag;
        opts[i].has_arg = required_argument;
        opts[i].flag = NULL;
        opts[i].val = 0;
    }
    opts[NSETTINGS] = (struct option){ "help", no_argument, NULL, 'h' };
    opts[NSETTINGS + 1] = (struct option){ "version", no_argument, NULL, 'V' };
    opts[NSETTINGS + 2] = (struct option){ NULL, 0, NULL, 0 };
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, &idx)) != -1) {
        if (c == 'h') {
            usage(stdout);
            return 1;
        }
        if (c == 'V') {
            printf("fgsd %s\n", FGSD_VERSION);
            return 1;
        }
        if (c != 0) {
            usage(stderr);
            return -1;
        }
        if (apply(cfg, opts[idx].name, optarg) < 0) {
            fprintf(stderr, "fgsd: invalid value for --%s: '%s'\n", opts[idx].name, optarg);
            return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "fgsd: unexpected argument '%s'\n", argv[optind]);
        return -1;
    }
    return 0;
}
