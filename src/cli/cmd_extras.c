/*
 * cmd_extras.c - "fgs async-config get|put|delete" and "fgs quotas".
 */
#include <stdio.h>
#include "cmd.h"

static const struct cli_opt put_opts[] = {
    { "max-age", false, "max_async_event_age_in_seconds" },
    { "retries", false, "max_async_retry_attempts" },
    { "destination", false, "destination_config as a JSON object" },
    { NULL, false, NULL },
};
static const struct cli_spec get_spec = { "fgs async-config get NAME|URN",
                                          "Show the async invocation settings.", NULL, 1, 1 };
static const struct cli_spec put_spec = { "fgs async-config put NAME|URN [--max-age S] [--retries N]",
                                          "Set the async invocation settings.", put_opts, 1, 1 };
static const struct cli_spec delete_spec = { "fgs async-config delete NAME|URN",
                                             "Remove the async invocation settings.", NULL, 1, 1 };
static const struct cli_spec quotas_spec = { "fgs quotas", "Show the tenant's quotas.", NULL, 0,
                                             0 };

/* Shows an async config and frees it. */
static int show(const struct cli_args *a, struct fgs_async_config *ac)
{
    if (cli_json(a))
        cli_print_json(ac->raw_json);
    else
        printf("%-32s %s\n%-32s %lld\n%-32s %lld\n%-32s %s\n", "func_urn",
               ac->func_urn ? ac->func_urn : "", "max_async_event_age_in_seconds",
               (long long)ac->max_async_event_age_in_seconds, "max_async_retry_attempts",
               (long long)ac->max_async_retry_attempts, "destination_config",
               ac->destination_config_json ? ac->destination_config_json : "");
    fgs_async_config_free(ac);
    return CLI_EXIT_OK;
}

static int ac_get(const struct cli_args *a)
{
    struct fgs_async_config *ac = NULL;
    fgs_client *c = NULL;
    int rc = cli_client(&c, a);

    if (rc)
        return rc;
    rc = fgs_async_config_get(&ac, c, a->pos[0]) < 0 ? cli_error_sdk() : show(a, ac);
    fgs_client_free(c);
    return rc;
}

static int ac_put(const struct cli_args *a)
{
    fgs_async_config_options o = FGS_ASYNC_CONFIG_OPTIONS_INIT;
    struct fgs_async_config *ac = NULL;
    fgs_client *c = NULL;
    long long age, retries;
    int rc;

    rc = cli_get_int(a, "max-age", 1, 86400, 0, &age);
    if (rc == 0)
        rc = cli_get_int(a, "retries", 0, 100, 0, &retries);
    if (rc == 0)
        rc = cli_client(&c, a);
    if (rc)
        return rc;
    o.max_async_event_age_in_seconds = age;
    o.retry_attempts_set = cli_has(a, "retries");
    o.max_async_retry_attempts = retries;
    o.destination_config_json = cli_get(a, "destination");
    rc = fgs_async_config_put(&ac, c, a->pos[0], &o) < 0 ? cli_error_sdk() : show(a, ac);
    fgs_client_free(c);
    return rc;
}

static int ac_delete(const struct cli_args *a)
{
    fgs_client *c = NULL;
    int rc = cli_client(&c, a);

    if (rc)
        return rc;
    rc = fgs_async_config_delete(c, a->pos[0]) < 0 ? cli_error_sdk() : CLI_EXIT_OK;
    fgs_client_free(c);
    return rc;
}

static const struct cli_sub subs[] = {
    { "get", ac_get, &get_spec },
    { "put", ac_put, &put_spec },
    { "delete", ac_delete, &delete_spec },
    { NULL, NULL, NULL },
};

/*
 * "fgs async-config SUBCOMMAND ...".
 */
int cmd_async_config(int argc, char **argv)
{
    return cli_run_group("async-config", subs, argc, argv);
}

/*
 * "fgs quotas".
 */
int cmd_quotas(int argc, char **argv)
{
    struct fgs_quotas *q = NULL;
    struct cli_args a;
    fgs_client *c = NULL;
    size_t i;
    int rc;

    rc = cli_parse(&a, &quotas_spec, argc - 1, argv + 1);
    if (rc)
        return rc;
    if (a.help) {
        cli_usage(&quotas_spec);
        return CLI_EXIT_OK;
    }
    rc = cli_client(&c, &a);
    if (rc)
        return rc;
    if (fgs_quotas_get(&q, c) < 0) {
        rc = cli_error_sdk();
    } else if (cli_json(&a)) {
        cli_print_json(q->raw_json);
    } else {
        printf("%-32s %12s %12s %s\n", "TYPE", "QUOTA", "USED", "UNIT");
        for (i = 0; i < q->count; i++)
            printf("%-32s %12lld %12lld %s\n", q->items[i].type ? q->items[i].type : "",
                   (long long)q->items[i].quota, (long long)q->items[i].used,
                   q->items[i].unit ? q->items[i].unit : "");
    }
    fgs_quotas_free(q);
    fgs_client_free(c);
    return rc;
}
