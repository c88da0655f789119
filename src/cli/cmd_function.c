/*
 * cmd_function.c - "fgs function ...": list, get, code, create,
 * update-code, update-config, delete.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cmd.h"

static const struct cli_opt list_opts[] = {
    { "marker", false, "first record (default 0)" },
    { "maxitems", false, "page size (default: server's, 400)" },
    { "package", false, "only functions of this package" },
    { "filter", false, "only function names matching this" },
    { "all", true, "follow next_marker until the end" },
    { NULL, false, NULL },
};
static const struct cli_opt code_out_opts[] = {
    { "out", false, "write the decoded code (func_code.file) to this file" },
    { NULL, false, NULL },
};
static const struct cli_opt create_opts[] = {
    { "name", false, "function name (required)" },
    { "runtime", false, "runtime, e.g. Python3.9 (required)" },
    { "handler", false, "handler, e.g. index.handler (required)" },
    { "code", false, "a directory (zipped), a .zip file, or one source file (inline)" },
    { "memory", false, "memory in MB (default 128)" },
    { "timeout", false, "timeout in seconds (default 30)" },
    { "package", false, "package (default 'default')" },
    { "description", false, "description" },
    { "user-data", false, "environment variables as a JSON object text" },
    { "code-type", false, "override the code type (inline, zip, obs, jar)" },
    { "code-url", false, "OBS URL for --code-type obs" },
    { NULL, false, NULL },
};
static const struct cli_opt update_code_opts[] = {
    { "code", false, "a directory (zipped), a .zip file, or one source file (inline)" },
    { "code-type", false, "override the code type" },
    { "code-url", false, "OBS URL for --code-type obs" },
    { NULL, false, NULL },
};
static const struct cli_opt update_config_opts[] = {
    { "runtime", false, "new runtime" },
    { "handler", false, "new handler" },
    { "memory", false, "new memory in MB" },
    { "timeout", false, "new timeout in seconds" },
    { "description", false, "new description" },
    { "user-data", false, "new environment variables (JSON object text)" },
    { NULL, false, NULL },
};

static const struct cli_spec list_spec = { "fgs function list [--all] [--maxitems N] [--marker M]",
                                           "List functions.", list_opts, 0, 0 };
static const struct cli_spec get_spec = { "fgs function get NAME|URN",
                                          "Show a function's configuration.", NULL, 1, 1 };
static const struct cli_spec code_spec = { "fgs function code NAME|URN [--out FILE]",
                                           "Show a function's code information.", code_out_opts,
                                           1, 1 };
static const struct cli_spec create_spec = {
    "fgs function create --name NAME --runtime RUNTIME --handler HANDLER --code PATH",
    "Create a function.", create_opts, 0, 0
};
static const struct cli_spec update_code_spec = { "fgs function update-code NAME|URN --code PATH",
                                                  "Replace the code of latest.",
                                                  update_code_opts, 1, 1 };
static const struct cli_spec update_config_spec = {
    "fgs function update-config NAME|URN [--memory MB] [--timeout S] ...",
    "Change a function's configuration (unset fields keep their value).", update_config_opts, 1,
    1
};
static const struct cli_spec delete_spec = { "fgs function delete NAME|URN",
                                             "Delete a function (or one version by URN).", NULL,
                                             1, 1 };

/* Loaded code: bytes plus the type and file name to send. */
struct code {
    char *data;
    size_t len;
    const char *type;
    const char *filename;
};

/* Loads --code PATH: a directory is zipped, *.zip sent as zip, any other file inline. */
static int load_code(struct code *k, const struct cli_args *a)
{
    const char *path = cli_get(a, "code");
    size_t plen;
    struct stat st;

    memset(k, 0, sizeof(*k));
    k->type = cli_get(a, "code-type");
    if (!path)
        return 0;
    if (stat(path, &st) < 0)
        return cli_error_os("cannot access %s", path);
    plen = strlen(path);
    if (S_ISDIR(st.st_mode)) {
        k->type = k->type ? k->type : "zip";
        k->filename = "index.zip";
        return cli_zip_dir(path, (unsigned char **)&k->data, &k->len);
    }
    if (plen > 4 && strcmp(path + plen - 4, ".zip") == 0) {
        k->type = k->type ? k->type : "zip";
        k->filename = "index.zip";
    } else {
        k->type = k->type ? k->type : "inline";
    }
    return cli_read_file(path, &k->data, &k->len);
}

/* Prints one function as a small key/value table. */
static void print_function(const struct fgs_function *f)
{
    printf("%-14s %s\n", "func_urn", f->func_urn ? f->func_urn : "");
    printf("%-14s %s\n", "func_name", f->func_name ? f->func_name : "");
    printf("%-14s %s\n", "package", f->package ? f->package : "");
    printf("%-14s %s\n", "runtime", f->runtime ? f->runtime : "");
    printf("%-14s %s\n", "handler", f->handler ? f->handler : "");
    printf("%-14s %lld\n", "memory_size", (long long)f->memory_size);
    printf("%-14s %lld\n", "timeout", (long long)f->timeout);
    printf("%-14s %s\n", "code_type", f->code_type ? f->code_type : "");
    printf("%-14s %lld\n", "code_size", (long long)f->code_size);
    printf("%-14s %s\n", "version", f->version ? f->version : "");
    printf("%-14s %s\n", "digest", f->digest ? f->digest : "");
    printf("%-14s %s\n", "last_modified", f->last_modified ? f->last_modified : "");
    if (f->description && *f->description)
        printf("%-14s %s\n", "description", f->description);
}

/* Prints a function (JSON or table) and frees it; returns the exit code. */
static int show_function(const struct cli_args *a, struct fgs_function *f)
{
    if (cli_json(a))
        cli_print_json(f->raw_json);
    else
        print_function(f);
    fgs_function_free(f);
    return CLI_EXIT_OK;
}

/* Prints one line of a function table. */
static void row(const struct fgs_function *f)
{
    printf("%-32s %-14s %-8lld %-8lld %s\n", f->func_name ? f->func_name : "",
           f->runtime ? f->runtime : "", (long long)f->memory_size, (long long)f->timeout,
           f->last_modified ? f->last_modified : "");
}

/* Lists every function with the iterator (--all). */
static int list_all(const struct cli_args *a, fgs_client *c, const fgs_list_options *o)
{
    const struct fgs_function *f;
    fgs_function_iter *it = NULL;
    bool json = cli_json(a);
    int rc, n = 0;

    if (fgs_function_iter_new(&it, c, o) < 0)
        return cli_error_sdk();
    if (json)
        printf("[");
    while ((rc = fgs_function_iter_next(&f, it)) == 0) {
        if (json)
            printf("%s%s", n ? ",\n" : "\n", f->raw_json);
        else
            row(f);
        n++;
    }
    if (json)
        printf("\n]\n");
    fgs_function_iter_free(it);
    return rc == FGS_ITEROVER ? CLI_EXIT_OK : cli_error_sdk();
}

static int fn_list(const struct cli_args *a)
{
    fgs_list_options o = FGS_LIST_OPTIONS_INIT;
    struct fgs_function_page *p = NULL;
    fgs_client *c = NULL;
    long long maxitems;
    size_t i;
    int rc;

    rc = cli_get_int(a, "maxitems", 0, 400, 0, &maxitems);
    if (rc == 0)
        rc = cli_client(&c, a);
    if (rc)
        return rc;
    o.marker = cli_get(a, "marker");
    o.maxitems = (int)maxitems;
    o.package_name = cli_get(a, "package");
    o.func_name = cli_get(a, "filter");
    if (!cli_json(a))
        printf("%-32s %-14s %-8s %-8s %s\n", "NAME", "RUNTIME", "MEMORY", "TIMEOUT",
               "LAST_MODIFIED");
    if (cli_has(a, "all")) {
        rc = list_all(a, c, &o);
    } else if (fgs_function_list(&p, c, &o) < 0) {
        rc = cli_error_sdk();
    } else if (cli_json(a)) {
        cli_print_json(p->raw_json);
    } else {
        for (i = 0; i < p->count; i++)
            row(&p->items[i]);
        if (p->next_marker < p->total)
            printf("# %zu of %lld shown; next page: --marker %lld\n", p->count,
                   (long long)p->total, (long long)p->next_marker);
    }
    fgs_function_page_free(p);
    fgs_client_free(c);
    return rc;
}

static int fn_get(const struct cli_args *a)
{
    struct fgs_function *f = NULL;
    fgs_client *c = NULL;
    int rc = cli_client(&c, a);

    if (rc)
        return rc;
    rc = fgs_function_get_metadata(&f, c, a->pos[0]) < 0 ? cli_error_sdk() : show_function(a, f);
    fgs_client_free(c);
    return rc;
}

static int fn_code(const struct cli_args *a)
{
    struct fgs_function_code *k = NULL;
    const char *out = cli_get(a, "out");
    fgs_client *c = NULL;
    FILE *f;
    int rc = cli_client(&c, a);

    if (rc)
        return rc;
    if (fgs_function_get_code(&k, c, a->pos[0]) < 0) {
        rc = cli_error_sdk();
    } else if (out) {
        f = fopen(out, "wb");
        if (!f || fwrite(k->data ? (const char *)k->data : "", 1, k->data_len, f) != k->data_len)
            rc = cli_error_os("cannot write %s", out);
        if (f && fclose(f) != 0 && rc == 0)
            rc = cli_error_os("cannot write %s", out);
    } else if (cli_json(a)) {
        cli_print_json(k->raw_json);
    } else {
        printf("%-14s %s\n%-14s %s\n%-14s %s\n%-14s %lld\n%-14s %s\n%-14s %s\n", "func_urn",
               k->func_urn ? k->func_urn : "", "code_type", k->code_type ? k->code_type : "",
               "code_filename", k->code_filename ? k->code_filename : "", "code_size",
               (long long)k->code_size, "digest", k->digest ? k->digest : "", "link",
               k->link ? k->link : "");
    }
    fgs_function_code_free(k);
    fgs_client_free(c);
    return rc;
}

static int fn_create(const struct cli_args *a)
{
    fgs_function_create_options o = FGS_FUNCTION_CREATE_OPTIONS_INIT;
    struct fgs_function *f = NULL;
    struct code k;
    fgs_client *c = NULL;
    long long memory, timeout;
    int rc;

    if (!cli_has(a, "name") || !cli_has(a, "runtime") || !cli_has(a, "handler"))
        return cli_error_usage("--name, --runtime and --handler are required");
    rc = cli_get_int(a, "memory", 1, 1048576, 0, &memory);
    if (rc == 0)
        rc = cli_get_int(a, "timeout", 1, 1000000, 0, &timeout);
    if (rc == 0)
        rc = load_code(&k, a);
    if (rc)
        return rc;
    rc = cli_client(&c, a);
    if (rc)
        goto done;
    o.func_name = cli_get(a, "name");
    o.runtime = cli_get(a, "runtime");
    o.handler = cli_get(a, "handler");
    o.package = cli_get(a, "package");
    o.memory_size = (int)memory;
    o.timeout = (int)timeout;
    o.code_type = k.type;
    o.code = k.data;
    o.code_len = k.len;
    o.code_filename = k.filename;
    o.code_url = cli_get(a, "code-url");
    o.description = cli_get(a, "description");
    o.user_data = cli_get(a, "user-data");
    rc = fgs_function_create(&f, c, &o) < 0 ? cli_error_sdk() : show_function(a, f);
done:
    free(k.data);
    fgs_client_free(c);
    return rc;
}

static int fn_update_code(const struct cli_args *a)
{
    fgs_function_code_options o = FGS_FUNCTION_CODE_OPTIONS_INIT;
    struct fgs_function_code *r = NULL;
    struct code k;
    fgs_client *c = NULL;
    int rc;

    if (!cli_has(a, "code") && !cli_has(a, "code-url"))
        return cli_error_usage("--code (or --code-url) is required");
    rc = load_code(&k, a);
    if (rc)
        return rc;
    rc = cli_client(&c, a);
    if (rc)
        goto done;
    o.code_type = k.type;
    o.code = k.data;
    o.code_len = k.len;
    o.code_filename = k.filename;
    o.code_url = cli_get(a, "code-url");
    if (fgs_function_update_code(&r, c, a->pos[0], &o) < 0) {
        rc = cli_error_sdk();
    } else if (cli_json(a)) {
        cli_print_json(r->raw_json);
    } else {
        printf("%-14s %s\n%-14s %lld\n%-14s %s\n", "func_urn", r->func_urn ? r->func_urn : "",
               "code_size", (long long)r->code_size, "digest", r->digest ? r->digest : "");
    }
    fgs_function_code_free(r);
done:
    free(k.data);
    fgs_client_free(c);
    return rc;
}

static int fn_update_config(const struct cli_args *a)
{
    fgs_function_config_options o = FGS_FUNCTION_CONFIG_OPTIONS_INIT;
    struct fgs_function *f = NULL;
    fgs_client *c = NULL;
    long long memory, timeout;
    int rc;

    rc = cli_get_int(a, "memory", 1, 1048576, 0, &memory);
    if (rc == 0)
        rc = cli_get_int(a, "timeout", 1, 1000000, 0, &timeout);
    if (rc == 0)
        rc = cli_client(&c, a);
    if (rc)
        return rc;
    o.runtime = cli_get(a, "runtime");
    o.handler = cli_get(a, "handler");
    o.memory_size = (int)memory;
    o.timeout = (int)timeout;
    o.description = cli_get(a, "description");
    o.user_data = cli_get(a, "user-data");
    rc = fgs_function_update_metadata(&f, c, a->pos[0], &o) < 0 ? cli_error_sdk()
                                                                 : show_function(a, f);
    fgs_client_free(c);
    return rc;
}

static int fn_delete(const struct cli_args *a)
{
    fgs_client *c = NULL;
    int rc = cli_client(&c, a);

    if (rc)
        return rc;
    rc = fgs_function_delete(c, a->pos[0]) < 0 ? cli_error_sdk() : CLI_EXIT_OK;
    if (rc == CLI_EXIT_OK && !cli_json(a))
        printf("deleted %s\n", a->pos[0]);
    fgs_client_free(c);
    return rc;
}

static const struct cli_sub subs[] = {
    { "list", fn_list, &list_spec },
    { "get", fn_get, &get_spec },
    { "code", fn_code, &code_spec },
    { "create", fn_create, &create_spec },
    { "update-code", fn_update_code, &update_code_spec },
    { "update-config", fn_update_config, &update_config_spec },
    { "delete", fn_delete, &delete_spec },
    { NULL, NULL, NULL },
};

/*
 * "fgs function SUBCOMMAND ...".
 */
int cmd_function(int argc, char **argv)
{
    return cli_run_group("function", subs, argc, argv);
}
