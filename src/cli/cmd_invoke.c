/*
 * cmd_invoke.c - "fgs invoke" and "fgs trigger create|list|get|update|
 * delete|delete-all".
 */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"

static const struct cli_opt invoke_opts[] = {
    { "data", false, "the event, a JSON text (default {}); @FILE reads it from a file" },
    { "async", true, "queue the invocation and print its request id" },
    { "log", true, "print the execution log (X-Cff-Log-Type: tail) to stderr" },
    { "memory", false, "memory for this invocation in MB" },
    { "raw", true, "sync: print the result only, without the envelope" },
    { NULL, false, NULL },
};
static const struct cli_spec invoke_spec = {
    "fgs invoke NAME|URN [--data JSON] [--async] [--log]",
    "Invoke a function; the result goes to stdout.", invoke_opts, 1, 1
};

/*
 * "fgs invoke NAME ...".
 */
int cmd_invoke(int argc, char **argv)
{
    fgs_invoke_options o = FGS_INVOKE_OPTIONS_INIT;
    const char *data = NULL;
    struct fgs_invocation *inv = NULL;
    struct cli_args a;
    fgs_client *c = NULL;
    char *file = NULL, *rid = NULL;
    long long memory;
    size_t len = 0;
    int rc;

    rc = cli_parse(&a, &invoke_spec, argc - 1, argv + 1);
    if (rc)
        return rc;
    if (a.help) {
        cli_usage(&invoke_spec);
        return CLI_EXIT_OK;
    }
    data = cli_get(&a, "data");
    if (data && data[0] == '@') {
        rc = cli_read_file(data + 1, &file, &len);
        if (rc)
            return rc;
        data = file;
    } else if (data) {
        len = strlen(data);
    }
    rc = cli_get_int(&a, "memory", 1, 1048576, 0, &memory);
    if (rc == 0)
        rc = cli_client(&c, &a);
    if (rc)
        goto done;
    o.log_tail = cli_has(&a, "log");
    o.instance_memory = (int)memory;
    if (cli_has(&a, "async")) {
        if (fgs_function_invoke_async(&rid, c, a.pos[0], data, len, &o) < 0)
            rc = cli_error_sdk();
        else if (cli_json(&a))
            printf("{\"request_id\": \"%s\"}\n", rid);
        else
            printf("%s\n", rid);
    } else if (fgs_function_invoke(&inv, c, a.pos[0], data, len, &o) < 0) {
        rc = cli_error_sdk();
    } else {
        if (cli_json(&a) && !cli_has(&a, "raw"))
            cli_print_json(inv->raw_body);
        else
            printf("%.*s\n", (int)inv->result_len, inv->result);
        if (o.log_tail && inv->log)
            fprintf(stderr, "%s", inv->log);
        if (inv->is_func_err)
            rc = CLI_EXIT_ERROR;
    }
done:
    fgs_invocation_free(inv);
    fgs_free(rid);
    free(file);
    fgs_client_free(c);
    return rc;
}

static const struct cli_opt tcreate_opts[] = {
    { "type", false, "trigger type: TIMER, APIG, OBS, ... (required)" },
    { "schedule", false, "TIMER: 1m/2h/3d (Rate) or a cron expression" },
    { "schedule-type", false, "TIMER: Rate or Cron (default: guessed from --schedule)" },
    { "trigger-name", false, "TIMER: trigger name (default timer-<function>)" },
    { "user-event", false, "TIMER: user_event passed to the function" },
    { "event-data", false, "event_data as a JSON object (other types, or to override)" },
    { "status", false, "ACTIVE or DISABLED" },
    { NULL, false, NULL },
};
static const struct cli_opt tupdate_opts[] = {
    { "status", false, "ACTIVE or DISABLED" },
    { "event-data", false, "event_data as JSON" },
    { NULL, false, NULL },
};
static const struct cli_spec tcreate_spec = {
    "fgs trigger create NAME|URN --type TIMER --schedule 1m", "Create a trigger.", tcreate_opts,
    1, 1
};
static const struct cli_spec tlist_spec = { "fgs trigger list NAME|URN", "List triggers.", NULL, 1,
                                            1 };
static const struct cli_spec tget_spec = { "fgs trigger get NAME|URN TYPE ID", "Show a trigger.",
                                           NULL, 3, 3 };
static const struct cli_spec tupdate_spec = { "fgs trigger update NAME|URN TYPE ID --status S",
                                              "Enable, disable or change a trigger.",
                                              tupdate_opts, 3, 3 };
static const struct cli_spec tdelete_spec = { "fgs trigger delete NAME|URN TYPE ID",
                                              "Delete a trigger.", NULL, 3, 3 };
static const struct cli_spec tdelall_spec = { "fgs trigger delete-all NAME|URN",
                                              "Delete every trigger of a function, version or "
                                              "alias.",
                                              NULL, 1, 1 };

/* Prints one trigger. */
static void print_trigger(const struct fgs_trigger *t)
{
    printf("%-18s %s\n%-18s %s\n%-18s %s\n%-18s %s\n", "trigger_id",
           t->trigger_id ? t->trigger_id : "", "trigger_type_code",
           t->trigger_type_code ? t->trigger_type_code : "", "trigger_status",
           t->trigger_status ? t->trigger_status : "", "event_data",
           t->event_data_json ? t->event_data_json : "");
}

/* Shows a trigger and frees it. */
static int show_trigger(const struct cli_args *a, struct fgs_trigger *t)
{
    if (cli_json(a))
        cli_print_json(t->raw_json);
    else
        print_trigger(t);
    fgs_trigger_free(t);
    return CLI_EXIT_OK;
}

/* Whether s is a TIMER rate such as 1m, 2h or 3d. */
static bool is_rate(const char *s)
{
    size_t n = strlen(s);
    size_t i;

    if (n < 2 || !strchr("mhd", s[n - 1]))
        return false;
    for (i = 0; i + 1 < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return false;
    }
    return true;
}

/* Builds TIMER event data from --schedule and friends into *out (free()). */
static int timer_event(const struct cli_args *a, char **out)
{
    const char *schedule = cli_get(a, "schedule");
    const char *type = cli_get(a, "schedule-type");
    const char *name = cli_get(a, "trigger-name");
    char defname[128];
    json_t *o;

    if (!schedule)
        return cli_error_usage("TIMER triggers need --schedule (or --event-data)");
    if (!name) {
        snprintf(defname, sizeof(defname), "timer-%s",
                 strrchr(a->pos[0], ':') ? strrchr(a->pos[0], ':') + 1 : a->pos[0]);
        name = defname;
    }
    o = json_pack("{s:s,s:s,s:s}", "name", name, "schedule_type",
                  type ? type : is_rate(schedule) ? "Rate" : "Cron", "schedule", schedule);
    if (o && cli_has(a, "user-event"))
        json_object_set_new(o, "user_event", json_string(cli_get(a, "user-event")));
    *out = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    if (!*out)
        return cli_error_usage("--schedule and --trigger-name must be UTF-8 text");
    return 0;
}

static int t_create(const struct cli_args *a)
{
    fgs_trigger_options o = FGS_TRIGGER_OPTIONS_INIT;
    struct fgs_trigger *t = NULL;
    fgs_client *c = NULL;
    char *ed = NULL;
    int rc = 0;

    o.type = cli_get(a, "type");
    if (!o.type)
        return cli_error_usage("--type is required");
    o.event_data_json = cli_get(a, "event-data");
    if (!o.event_data_json && strcmp(o.type, "TIMER") == 0) {
        rc = timer_event(a, &ed);
        o.event_data_json = ed;
    } else if (!o.event_data_json) {
        return cli_error_usage("--event-data is required for %s triggers", o.type);
    }
    if (rc == 0)
        rc = cli_client(&c, a);
    if (rc)
        goto done;
    o.status = cli_get(a, "status");
    o.event_type_code = strcmp(o.type, "TIMER") == 0 ? "MessageCreated" : NULL;
    rc = fgs_trigger_create(&t, c, a->pos[0], &o) < 0 ? cli_error_sdk() : show_trigger(a, t);
done:
    free(ed);
    fgs_client_free(c);
    return rc;
}

static int t_list(const struct cli_args *a)
{
    struct fgs_triggers *l = NULL;
    fgs_client *c = NULL;
    size_t i;
    int rc = cli_client(&c, a);

    if (rc)
        return rc;
    if (fgs_trigger_list(&l, c, a->pos[0]) < 0) {
        rc = cli_error_sdk();
    } else if (cli_json(a)) {
        cli_print_json(l->raw_json);
    } else {
        printf("%-38s %-12s %-9s %s\n", "ID", "TYPE", "STATUS", "EVENT_DATA");
        for (i = 0; i < l->count; i++)
            printf("%-38s %-12s %-9s %s\n", l->items[i].trigger_id ? l->items[i].trigger_id : "",
                   l->items[i].trigger_type_code ? l->items[i].trigger_type_code : "",
                   l->items[i].trigger_status ? l->items[i].trigger_status : "",
                   l->items[i].event_data_json ? l->items[i].event_data_json : "");
    }
    fgs_triggers_free(l);
    fgs_client_free(c);
    return rc;
}

static int t_get(const struct cli_args *a)
{
    struct fgs_trigger *t = NULL;
    fgs_client *c = NULL;
    int rc = cli_client(&c, a);

    if (rc)
        return rc;
    rc = fgs_trigger_get(&t, c, a->pos[0], a->pos[1], a->pos[2]) < 0 ? cli_error_sdk()
                                                                      : show_trigger(a, t);
    fgs_client_free(c);
    return rc;
}

static int t_update(const struct cli_args *a)
{
    fgs_trigger_update_options o = FGS_TRIGGER_UPDATE_OPTIONS_INIT;
    struct fgs_trigger *t = NULL;
    fgs_client *c = NULL;
    int rc;

    o.status = cli_get(a, "status");
    o.event_data_json = cli_get(a, "event-data");
    if (!o.status && !o.event_data_json)
        return cli_error_usage("--status or --event-data is required");
    rc = cli_client(&c, a);
    if (rc)
        return rc;
    rc = fgs_trigger_update(&t, c, a->pos[0], a->pos[1], a->pos[2], &o) < 0 ? cli_error_sdk()
                                                                             : show_trigger(a, t);
    fgs_client_free(c);
    return rc;
}

static int t_delete(const struct cli_args *a)
{
    fgs_client *c = NULL;
    int rc = cli_client(&c, a);

    if (rc)
        return rc;
    rc = fgs_trigger_delete(c, a->pos[0], a->pos[1], a->pos[2]) < 0 ? cli_error_sdk()
                                                                     : CLI_EXIT_OK;
    fgs_client_free(c);
    return rc;
}

static int t_delete_all(const struct cli_args *a)
{
    fgs_client *c = NULL;
    int rc = cli_client(&c, a);

    if (rc)
        return rc;
    rc = fgs_trigger_delete_all(c, a->pos[0]) < 0 ? cli_error_sdk() : CLI_EXIT_OK;
    fgs_client_free(c);
    return rc;
}

static const struct cli_sub trigger_subs[] = {
    { "create", t_create, &tcreate_spec },     { "list", t_list, &tlist_spec },
    { "get", t_get, &tget_spec },              { "update", t_update, &tupdate_spec },
    { "delete", t_delete, &tdelete_spec },     { "delete-all", t_delete_all, &tdelall_spec },
    { NULL, NULL, NULL },
};

/*
 * "fgs trigger SUBCOMMAND ...".
 */
int cmd_trigger(int argc, char **argv)
{
    return cli_run_group("trigger", trigger_subs, argc, argv);
}
