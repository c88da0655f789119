/*
 * invoke.c - synchronous and asynchronous invocation.
 *
 * The event goes out as given. A v1 reply is the JSON envelope
 * {request_id, result, log, status}; a v0 reply is the handler result
 * itself. The X-Cff-* reply headers fill the rest of struct fgs_invocation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/internal.h"
#include "util/crypto.h"
#include "util/str.h"

/* Builds the X-Cff-* request headers; returns how many. */
static size_t invoke_headers(struct fgs__hdr *h, char *mem, size_t memsize,
                             const fgs_invoke_options *opts)
{
    size_t n = 0;

    h[n++] = (struct fgs__hdr){ "X-CFF-Request-Version",
                                opts && opts->request_version ? opts->request_version : "v1" };
    if (opts && opts->log_tail)
        h[n++] = (struct fgs__hdr){ "X-Cff-Log-Type", "tail" };
    if (opts && opts->instance_memory > 0) {
        snprintf(mem, memsize, "%d", opts->instance_memory);
        h[n++] = (struct fgs__hdr){ "X-Cff-Instance-Memory", mem };
    }
    return n;
}

/* Checks the common arguments of both invocation calls. */
static int invoke_args(const fgs_invoke_options *opts, const void *event, size_t event_len)
{
    if (opts && opts->version != FGS_INVOKE_OPTIONS_VERSION)
        return fgs__error_set(FGS_EINVALID, "unknown fgs_invoke_options version %u",
                              opts->version);
    if (!event && event_len)
        return fgs__error_set(FGS_EINVALID, "event is NULL but event_len is not 0");
    if (opts && opts->request_version && strcmp(opts->request_version, "v0") != 0 &&
        strcmp(opts->request_version, "v1") != 0)
        return fgs__error_set(FGS_EINVALID, "request_version must be v0 or v1");
    return 0;
}

/* Copies a reply header into *dst when present. */
static int take_header(char **dst, const struct fgs__resp *resp, const char *lname)
{
    const char *v = fgs__resp_header(resp, lname);

    *dst = NULL;
    if (!v)
        return 0;
    *dst = fgs__strdup(v);
    return *dst ? 0 : fgs__error_oom();
}

/* Reads the v1 envelope into inv. */
static int parse_envelope(struct fgs_invocation *inv, const struct fgs__resp *resp)
{
    json_t *root = NULL, *result;
    int rc;

    rc = fgs__reply_json(&root, resp, JSON_OBJECT);
    if (rc < 0)
        return rc;
    result = json_object_get(root, "result");
    if (json_is_string(result)) {
        inv->result_len = json_string_length(result);
        inv->result = fgs__strndup(json_string_value(result), inv->result_len);
        rc = inv->result ? 0 : fgs__error_oom();
    } else if (result && !json_is_null(result)) {
        rc = fgs__jtext(&inv->result, result);
        inv->result_len = inv->result ? strlen(inv->result) : 0;
    } else {
        rc = fgs__error_set(FGS_EPROTOCOL, "malformed reply: v1 envelope has no result");
    }
    if (rc == 0)
        rc = fgs__jstr(&inv->log, root, "log");
    if (rc == 0 && !inv->request_id)
        rc = fgs__jstr(&inv->request_id, root, "request_id");
    if (rc == 0)
        inv->status = (int)fgs__jint(root, "status", resp->status);
    json_decref(root);
    return rc;
}

/* Fills inv from a 2xx reply. */
static int invocation_from_reply(struct fgs_invocation *inv, const struct fgs__resp *resp)
{
    const char *rv = fgs__resp_header(resp, "x-cff-response-version");
    const char *bd = fgs__resp_header(resp, "x-cff-billing-duration");
    const char *ferr = fgs__resp_header(resp, "x-is-func-err");
    const char *flog = fgs__resp_header(resp, "x-cff-function-log");
    int rc;

    inv->billing_duration = -1;
    if (bd && fgs__parse_int64(bd, 0, INT64_MAX, &inv->billing_duration) < 0)
        inv->billing_duration = -1;
    inv->is_func_err = ferr && strcmp(ferr, "true") == 0;
    inv->status = (int)resp->status;
    rc = take_header(&inv->request_id, resp, "x-cff-request-id");
    if (rc == 0)
        rc = take_header(&inv->summary_json, resp, "x-cff-invoke-summary");
    if (rc == 0)
        rc = take_header(&inv->func_err_code, resp, "x-func-err-code");
    if (rc == 0)
        rc = take_header(&inv->response_version, resp, "x-cff-response-version");
    if (rc == 0) {
        inv->raw_len = resp->body.len;
        rc = fgs__body_dup(&inv->raw_body, resp);
    }
    if (rc < 0)
        return rc;
    if (!rv || strcmp(rv, "v0") != 0) {
        rc = parse_envelope(inv, resp);
    } else {
        inv->result = fgs__strndup(inv->raw_body, inv->raw_len);
        inv->result_len = inv->raw_len;
        rc = inv->result ? 0 : fgs__error_oom();
    }
    if (rc == 0 && !inv->log && flog) {
        size_t len;
        unsigned char *raw = fgs__b64_decode(flog, strlen(flog), &len);

        if (raw) {
            inv->log = fgs__strndup((const char *)raw, len);
            free(raw);
            if (!inv->log)
                rc = fgs__error_oom();
        }
    }
    return rc;
}

/*
 * InvokeFunction.
 */
int fgs_function_invoke(struct fgs_invocation **out, fgs_client *client, const char *urn,
                        const void *event, size_t event_len, const fgs_invoke_options *opts)
{
    struct fgs__buf path = FGS__BUF_INIT;
    struct fgs__resp resp = { 0 };
    struct fgs_invocation *inv = NULL;
    struct fgs__hdr h[3];
    char mem[16];
    size_t nh;
    int rc;

    FGS_ASSERT_ARG(out);
    *out = NULL;
    FGS_ASSERT_ARG(client);
    rc = invoke_args(opts, event, event_len);
    if (rc == 0)
        rc = fgs__function_path(&path, urn, "/invocations");
    if (rc < 0)
        goto done;
    nh = invoke_headers(h, mem, sizeof(mem), opts);
    {
        struct fgs__req req = { "POST", path.ptr, NULL, 0, h, nh, event ? event : "{}",
                                event ? event_len : 2 };

        rc = fgs__call(client, &req, &resp);
    }
    if (rc < 0)
        goto done;
    inv = fgs__calloc(1, sizeof(*inv));
    if (!inv) {
        rc = fgs__error_oom();
        goto done;
    }
    rc = invocation_from_reply(inv, &resp);
    if (rc < 0)
        goto done;
    *out = inv;
    inv = NULL;
done:
    fgs_invocation_free(inv);
    fgs__resp_dispose(&resp);
    fgs__buf_dispose(&path);
    return rc;
}

/*
 * AsyncInvokeFunction.
 */
int fgs_function_invoke_async(char **request_id_out, fgs_client *client, const char *urn,
                              const void *event, size_t event_len, const fgs_invoke_options *opts)
{
    struct fgs__buf path = FGS__BUF_INIT;
    struct fgs__hdr h[3];
    json_t *root = NULL;
    char *raw = NULL, mem[16];
    size_t nh;
    int rc;

    FGS_ASSERT_ARG(request_id_out);
    *request_id_out = NULL;
    FGS_ASSERT_ARG(client);
    rc = invoke_args(opts, event, event_len);
    if (rc == 0)
        rc = fgs__function_path(&path, urn, "/invocations-async");
    if (rc < 0)
        goto done;
    /* the reply is always JSON; only the log and memory headers apply */
    nh = invoke_headers(h, mem, sizeof(mem), opts);
    {
        struct fgs__req req = { "POST", path.ptr, NULL, 0, h + 1, nh - 1, event ? event : "{}",
                                event ? event_len : 2 };

        rc = fgs__call_json(client, &req, JSON_OBJECT, &root, &raw);
    }
    if (rc < 0)
        goto done;
    rc = fgs__jstr(request_id_out, root, "request_id");
    if (rc == 0 && !*request_id_out)
        rc = fgs__error_set(FGS_EPROTOCOL, "malformed reply: no request_id");
done:
    fgs__free(raw);
    json_decref(root);
    fgs__buf_dispose(&path);
    return rc;
}

/*
 * Frees an invocation result.
 */
void fgs_invocation_free(struct fgs_invocation *inv)
{
    if (!inv)
        return;
    fgs__free(inv->request_id);
    fgs__free(inv->result);
    fgs__free(inv->log);
    fgs__free(inv->summary_json);
    fgs__free(inv->func_err_code);
    fgs__free(inv->response_version);
    fgs__free(inv->raw_body);
    fgs__free(inv);
}
