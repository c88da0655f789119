/*
 * versions.c - function versions: publish a snapshot of latest, list them.
 *
 * Publishing copies latest's stored configuration text and code digest into
 * a new immutable version row (its configuration can still be updated, its
 * code cannot). The code package itself is shared: it is content-addressed
 * by digest and stays stored while any version refers to it.
 *
 * Choices where the reference leaves room (FGS-API.md §7, §14):
 *   - "Nothing changed" means latest's configuration JSON text and digest
 *     both equal those of the most recently published version (FSS.1016).
 *   - A `digest` that differs from latest's is 400 FSS.0400, naming both.
 *     An empty string counts as absent.
 *   - The default name is v%Y%m%d-%H%M%S. When a real change is published
 *     twice in one second the second gets "-1", "-2", ... appended, so it
 *     still works; an explicit name that is taken is 409 FSS.1062.
 *   - "latest" cannot be a published version name (400 FSS.1015).
 *   - The version quota counts published versions only (cfg.max_versions).
 *   - Listing: next_marker = marker + page length (= count on the last
 *     page; count when marker is past the end), as ListFunctions does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api/api.h"
#include "api/common.h"
#include "core/server.h"
#include "util/str.h"
#include "util/timefmt.h"

#define DESC_MAX 512

struct publish_in {
    const char *digest; /* expected digest of latest, NULL when not given */
    const char *name;   /* explicit version name, NULL for the generated one */
    const char *desc;   /* version description, "" when not given */
};

/* Reads and checks the optional publish body. Returns 0, or -1 after answering. */
static int read_publish_body(struct srv_request *req, json_t *body, struct publish_in *in)
{
    in->digest = NULL;
    in->name = NULL;
    in->desc = "";
    if (api_get_str(body, "digest", &in->digest) < 0) {
        srv_fail(req, "FSS.0400", "digest must be a string.");
        return -1;
    }
    if (in->digest && !*in->digest)
        in->digest = NULL;
    if (api_get_str(body, "version", &in->name) < 0 ||
        (in->name && (!api_version_name_ok(in->name) || strcmp(in->name, "latest") == 0))) {
        srv_fail(
            req, "FSS.1015",
            "version: 1-42 of letters, digits, '.', '_' and '-', a letter or digit at both ends, and not 'latest'.");
        return -1;
    }
    if (api_get_str(body, "description", &in->desc) < 0) {
        srv_fail(req, "FSS.0400", "description must be a string.");
        return -1;
    }
    if (api_utf8_chars(in->desc) > DESC_MAX) {
        srv_fail(req, "FSS.1019", "The version description exceeds %d characters.", DESC_MAX);
        return -1;
    }
    return 0;
}

/*
 * POST functions/{urn}/versions: publishes latest as a new version. The URN
 * must be unqualified or :latest. Answers 200 with the new version's
 * Function object (func_urn qualified with the new name).
 */
void api_version_publish(struct srv_request *req)
{
    struct srv_store *st = req->srv->store;
    struct srv_publish pub;
    struct publish_in in;
    struct srv_fnver nv;
    struct api_fn f;
    json_t *body = NULL;
    int rc;

    memset(&nv, 0, sizeof(nv));
    if (api_fn_load(req, req->seg[1], API_FN_NO_ALIAS, &f) < 0)
        return;
    if (strcmp(f.version, "latest") != 0) {
        srv_fail(req, "FSS.0400",
                 "Versions are published from latest; use the unqualified or :latest URN.");
        goto done;
    }
    body = req->body.len ? srv_body_object(req) : json_object();
    if (!body) {
        if (!req->body.len)
            srv_fail(req, "FSS.0503", "Out of memory.");
        goto done;
    }
    if (read_publish_body(req, body, &in) < 0)
        goto done;
    if (in.name) {
        /* Triggers and settings are keyed by qualifier: a version may not share an alias's name. */
        struct srv_alias al;

        if (st->ops->alias_get(st, f.fv.fn_id, in.name, &al) == SRV_OK) {
            srv_alias_dispose(&al);
            srv_fail(req, "FSS.1015", "Version %s would have the name of an existing alias.",
                     in.name);
            goto done;
        }
    }
    pub.name = in.name;
    pub.description = in.desc;
    pub.expect_digest = in.digest;
    pub.max_versions = req->srv->cfg.max_versions;
    pub.now_ms = fgs__now_ms();
    rc = st->ops->ver_publish(st, f.fv.fn_id, &pub, &nv);
    switch (rc) {
    case SRV_OK:
        srv_reply_json(req, 200, api_function_json(req->srv, &nv, API_URN_QUALIFIED));
        break;
    case SRV_ECONFLICT:
        srv_fail(
            req, "FSS.0400",
            "digest mismatch: the request expects code digest '%.128s' but latest's code digest is '%.128s'; the code changed since you read it.",
            in.digest, nv.digest ? nv.digest : "");
        break;
    case SRV_EUNCHANGED:
        srv_fail(
            req, "FSS.1016",
            "The function cannot be published because no changes have been made since version %s.",
            nv.version ? nv.version : "?");
        break;
    case SRV_EQUOTA:
        srv_fail(req, "FSS.1044",
                 "A function can have at most %lld published versions; delete one first.",
                 (long long)req->srv->cfg.max_versions);
        break;
    case SRV_EEXISTS:
        srv_fail(req, "FSS.1062", "Version %s already exists.", in.name ? in.name : "?");
        break;
    case SRV_ENOFUNC:
        srv_fail(req, "FSS.1051", NULL);
        break;
    default:
        api_fail_store(req, rc);
    }
done:
    srv_fnver_dispose(&nv);
    json_decref(body);
    api_fn_dispose(&f);
}

/*
 * GET functions/{urn}/versions?marker=&maxitems=: latest then the published
 * versions in publish order, each with the unqualified func_urn. Any URN
 * form naming the function is accepted.
 */
void api_version_list(struct srv_request *req)
{
    struct srv_store *st = req->srv->store;
    struct srv_fnver *rows = NULL;
    int64_t offset, limit, total = 0, next;
    json_t *arr = NULL;
    struct api_fn f;
    size_t n = 0, i;
    int rc;

    if (api_fn_load(req, req->seg[1], 0, &f) < 0)
        return;
    if (api_page_params(req, "marker", "maxitems", &offset, &limit) < 0)
        goto done;
    rc = st->ops->ver_list(st, f.fv.fn_id, offset, limit, &rows, &n, &total);
    if (rc != SRV_OK) {
        api_fail_store(req, rc);
        goto done;
    }
    arr = json_array();
    if (!arr) {
        srv_fail(req, "FSS.0503", "Out of memory.");
        goto done;
    }
    for (i = 0; i < n; i++)
        json_array_append_new(arr, api_function_json(req->srv, &rows[i], API_URN_PLAIN));
    next = offset + (int64_t)n < total ? offset + (int64_t)n : total;
    srv_reply_json(req, 200,
                   json_pack("{s:o, s:I, s:I}", "versions", arr, "next_marker", (json_int_t)next,
                             "count", (json_int_t)total));
    arr = NULL; /* owned by the reply */
done:
    json_decref(arr);
    srv_fnver_free_array(rows, n);
    api_fn_dispose(&f);
}
