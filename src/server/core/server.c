/*
 * server.c - start-up and shut-down of the pieces one fgsd process owns.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "core/secret.h"
#include "core/server.h"
#include "store/package.h"
#include "store/store.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/str.h"

static int ensure_dir(const char *path)
{
    if (mkdir(path, 0700) < 0 && errno != EEXIST) {
        log_error("cannot create %s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

/* The tenant id shown as domain_id: generated once, kept in the store. */
static int load_domain_id(struct srv_server *srv)
{
    char *v = NULL;
    int rc = srv->store->ops->meta_get(srv->store, "domain_id", &v);

    if (rc == SRV_OK && v && strlen(v) == 32) {
        fgs__strlcpy(srv->domain_id, v, sizeof(srv->domain_id));
        free(v);
        return 0;
    }
    free(v);
    if (rc != SRV_OK && rc != SRV_ENOTFOUND)
        return -1;
    {
        unsigned char r[16];

        if (fgs__random_bytes(r, sizeof(r)) < 0)
            return -1;
        fgs__hex(srv->domain_id, r, sizeof(r));
    }
    return srv->store->ops->meta_set(srv->store, "domain_id", srv->domain_id) == SRV_OK ? 0 : -1;
}

/* AK/SK credentials: the --credentials file, or one generated in the data dir. */
static int load_credentials(struct srv_server *srv)
{
    char project[33];
    unsigned char r[16];

    if (srv->cfg.auth_none)
        return 0;
    if (srv->cfg.credentials[0])
        return srv_credentials_load(&srv->creds, srv->cfg.credentials);
    if (fgs__random_bytes(r, sizeof(r)) < 0)
        return -1;
    fgs__hex(project, r, sizeof(r));
    return srv_credentials_load_or_create(&srv->creds, srv->cfg.data_dir, project,
                                          &srv->creds_generated);
}

int srv_server_init(struct srv_server *srv)
{
    if (ensure_dir(srv->cfg.data_dir) < 0)
        return -1;
    snprintf(srv->code_dir, sizeof(srv->code_dir), "%s/code", srv->cfg.data_dir);
    if (ensure_dir(srv->code_dir) < 0)
        return -1;
    srv_package_sweep(srv->code_dir); /* leftovers of an unpack interrupted by a crash */
    srv_package_allow_private(srv->cfg.allow_private_fetch);
    srv->store = srv_store_open(srv->cfg.store, srv->cfg.data_dir);
    if (!srv->store)
        return -1;
    if (load_domain_id(srv) < 0) {
        log_error("cannot read or write the server identity");
        return -1;
    }
    if (srv_secret_init(srv) < 0)
        return -1;
    return load_credentials(srv);
}

void srv_server_dispose(struct srv_server *srv)
{
    srv_store_close(srv->store);
    srv->store = NULL;
    srv_credentials_dispose(&srv->creds);
}
