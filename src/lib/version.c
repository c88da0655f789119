/*
 * version.c - publishing versions (listing lives with the function lists in
 * function.c, which shares the page parser and the iterator).
 */
#include <string.h>
#include "lib/internal.h"

/*
 * CreateFunctionVersion.
 */
int fgs_version_publish(struct fgs_function **out, fgs_client *client, const char *urn,
                        const fgs_publish_options *opts)
{
    struct fgs__buf path = FGS__BUF_INIT;
    struct fgs_function *f = NULL;
    json_t *body = NULL, *root = NULL;
    char *text = NULL, *raw = NULL;
    int rc;

    FGS_ASSERT_ARG(out);
    *out = NULL;
    FGS_ASSERT_ARG(client);
    if (opts && opts->version != FGS_PUBLISH_OPTIONS_VERSION)
        return fgs__error_set(FGS_EINVALID, "unknown fgs_publish_options version %u",
                              opts->version);
    rc = fgs__function_path(&path, urn, "/versions");
    if (rc < 0)
        goto done;
    body = json_object();
    if (!body) {
        rc = fgs__error_oom();
        goto done;
    }
    if (opts) {
        rc = fgs__jset_str(body, "version", opts->name);
        if (rc == 0)
            rc = fgs__jset_str(body, "description", opts->description);
        if (rc == 0)
            rc = fgs__jset_str(body, "digest", opts->digest);
    }
    if (rc == 0)
        rc = fgs__jencode(&text, body);
    if (rc == 0) {
        struct fgs__req req = { "POST", path.ptr, NULL, 0, NULL, 0, text, strlen(text) };

        rc = fgs__call_json(client, &req, JSON_OBJECT, &root, &raw);
    }
    if (rc < 0)
        goto done;
    f = fgs__calloc(1, sizeof(*f));
    if (!f) {
        rc = fgs__error_oom();
        goto done;
    }
    rc = fgs__function_from_json(f, root);
    if (rc < 0)
        goto done;
    fgs__free(f->raw_json);
    f->raw_json = raw;
    raw = NULL; /* now owned by f */
    *out = f;
    f = NULL;
done:
    fgs_function_free(f);
    fgs__free(raw);
    fgs__free(text);
    json_decref(root);
    json_decref(body);
    fgs__buf_dispose(&path);
    return rc;
}
