/*
 * invoke.c - invoke a function synchronously with the execution log, then
 * queue one asynchronous invocation.
 *
 *     ./example_invoke FUNCTION '{"key":"value"}'
 */
#include <string.h>
#include "common.h"

int main(int argc, char **argv)
{
    fgs_invoke_options o = FGS_INVOKE_OPTIONS_INIT;
    struct fgs_invocation *inv = NULL;
    const char *event = argc > 2 ? argv[2] : "{}";
    char *request_id = NULL;
    fgs_client *c;
    int rc = 1;

    if (argc < 2) {
        fprintf(stderr, "usage: %s FUNCTION [EVENT_JSON]\n", argv[0]);
        return 2;
    }
    fgs_global_init();
    c = client_from_env();
    o.log_tail = 1;
    if (fgs_function_invoke(&inv, c, argv[1], event, strlen(event), &o) < 0) {
        fail("invoke");
        goto done;
    }
    printf("request %s status %d billed %lld ms\nresult: %.*s\n", inv->request_id, inv->status,
           (long long)inv->billing_duration, (int)inv->result_len, inv->result);
    if (inv->log)
        printf("log:\n%s\n", inv->log);
    if (fgs_function_invoke_async(&request_id, c, argv[1], event, strlen(event), NULL) < 0) {
        fail("invoke async");
        goto done;
    }
    printf("queued %s\n", request_id);
    rc = 0;
done:
    fgs_invocation_free(inv);
    fgs_free(request_id);
    fgs_client_free(c);
    fgs_global_shutdown();
    return rc;
}
