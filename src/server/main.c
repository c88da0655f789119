/*
 * main.c - fgsd: parse settings, open the store, serve until SIGTERM/SIGINT.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <pthread.h>
#include "core/server.h"
#include "exec/exec.h"
#include "http/http.h"
#include "store/store.h"
#include "util/log.h"

int main(int argc, char **argv)
{
    static struct srv_server srv;
    sigset_t sigs;
    int rc, sig = 0;

    srv_config_defaults(&srv.cfg);
    rc = srv_config_parse(&srv.cfg, argc, argv);
    if (rc)
        return rc > 0 ? 0 : 2;

    /* Block the stop signals in every thread; the main thread waits for them. */
    signal(SIGPIPE, SIG_IGN);
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);

    if (srv_server_init(&srv) < 0)
        return 1;
    if (srv_exec_start(&srv) < 0)
        log_warn("exec: functions cannot run on this host (invocations answer 503)");
    if (srv_http_start(&srv) < 0) {
        srv_exec_stop(&srv);
        srv_server_dispose(&srv);
        return 1;
    }
    if (srv.cfg.auth_none)
        log_warn("auth: --auth none: requests are NOT authenticated (development mode)");
    log_info("fgsd serving %s (data %s, region %s, store %s)", srv.listen_url, srv.cfg.data_dir,
             srv.cfg.region, srv.store->ops->name);
    printf("listening on %s\n", srv.listen_url);
    if (srv.creds_generated)
        printf("generated a credential (saved in %s/credentials, shown only now):\n"
               "  access key: %s\n  secret key: %s\n  project id: %s\n",
               srv.cfg.data_dir, srv.creds.items[0].ak, srv.creds.items[0].sk,
               srv.creds.items[0].projects[0]);
    fflush(stdout);

    while (sigwait(&sigs, &sig) != 0 || (sig != SIGTERM && sig != SIGINT))
        ;
    log_info("signal %d: shutting down", sig);
    srv_exec_stop(&srv); /* first: running invocations end at once instead of at their timeout */
    srv_http_stop(&srv);
    srv_server_dispose(&srv);
    log_info("stopped");
    return 0;
}
