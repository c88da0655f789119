/*
 * server.h - the state of one fgsd process and its configuration.
 */
#ifndef SRV_SERVER_H
#define SRV_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/credentials.h"

struct srv_store;
struct MHD_Daemon;

struct srv_config {
    char listen_host[256];   /* address to bind, default 127.0.0.1 */
    int listen_port;         /* 0 picks a free port */
    char data_dir[4096];     /* where the database and unpacked code live */
    char region[64];         /* region id used in URNs */
    char store[4096];        /* store spec; empty = SQLite in data_dir */
    bool auth_none;          /* development mode: accept unsigned requests */
    char credentials[4096];  /* credentials file; empty = <data_dir>/credentials */
    int threads;             /* HTTP worker threads */
    int max_connections;     /* concurrent connection cap */
    int conn_timeout;        /* seconds of inactivity before a connection is closed */
    int64_t max_body_memory; /* bytes of request bodies buffered at once, all connections */
    int64_t max_functions;   /* per project (FSS.1041) */
    int64_t max_versions;    /* published versions per function */
    int64_t max_aliases;     /* per function (FSS.1043) */
    int64_t max_code_bytes;  /* one code package, zipped (FSS.1071) */
    int64_t max_unzip_bytes; /* one code package, unpacked */
    int64_t max_zip_entries; /* entries in one zip */
    int64_t max_total_code_bytes; /* per project (FSS.1042) */
    bool allow_private_fetch; /* obs code_url may point at loopback/private addresses */
    int instance_idle_seconds; /* idle function instances are stopped after this */
    int max_instances;       /* default per-function instance cap (max_instance_num unset) */
    bool instance_host_net;  /* instances share the host network (default: own empty netns) */
};

struct srv_server {
    struct srv_config cfg;
    struct srv_store *store;
    struct MHD_Daemon *http;
    char domain_id[33];     /* tenant id reported in function objects */
    char listen_url[300];   /* http://host:port actually bound */
    char code_dir[4200];    /* data_dir/code: unpacked packages per digest */
    struct srv_credentials creds; /* accepted access keys (unless auth_none) */
    bool creds_generated;   /* creds were generated on this start: print them once */
    unsigned char secret_key[32]; /* seals encrypted_user_data at rest (core/secret.c) */
    struct srv_exec *exec;  /* the function scheduler (exec/), NULL when unavailable */
};

/* Defaults for every config field. */
void srv_config_defaults(struct srv_config *cfg);
/*
 * Applies FGS_* environment variables, then command-line flags. Returns 0,
 * 1 when --help/--version printed and the program should exit 0, or -1 on a
 * usage error (message printed).
 */
int srv_config_parse(struct srv_config *cfg, int argc, char **argv);

/* Opens the store and prepares directories. Returns 0 or -1 (logged). */
int srv_server_init(struct srv_server *srv);
void srv_server_dispose(struct srv_server *srv);

#endif
