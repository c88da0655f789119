/*
 * create_get.c - create a Python function with inline code, read its
 * configuration back, then delete it.
 *
 *     FGS_ENDPOINT=http://127.0.0.1:8080 FGS_PROJECT_ID=... ./example_create_get [NAME]
 */
#include <string.h>
#include "common.h"

int main(int argc, char **argv)
{
    static const char code[] = "def handler(event, context):\n    return {'hello': 'world'}\n";
    fgs_function_create_options o = FGS_FUNCTION_CREATE_OPTIONS_INIT;
    struct fgs_function *created = NULL, *read = NULL;
    fgs_client *c;
    int rc = 1;

    fgs_global_init();
    c = client_from_env();
    o.func_name = argc > 1 ? argv[1] : "example_hello";
    o.runtime = "Python3.9";
    o.handler = "index.handler";
    o.code = code; /* sent base64-encoded as func_code.file */
    o.code_len = strlen(code);
    if (fgs_function_create(&created, c, &o) < 0) {
        fail("create");
        goto done;
    }
    printf("created %s (%s)\n", created->func_urn, created->digest);
    if (fgs_function_get_metadata(&read, c, created->func_urn) < 0) {
        fail("get");
        goto done;
    }
    printf("runtime %s, handler %s, memory %lld MB, timeout %lld s\n", read->runtime,
           read->handler, (long long)read->memory_size, (long long)read->timeout);
    if (strcmp(read->digest, created->digest) != 0 || fgs_function_delete(c, o.func_name) < 0) {
        fail("delete");
        goto done;
    }
    printf("deleted %s\n", o.func_name);
    rc = 0;
done:
    fgs_function_free(created);
    fgs_function_free(read);
    fgs_client_free(c);
    fgs_global_shutdown();
    return rc;
}
