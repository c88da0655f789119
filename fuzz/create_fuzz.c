/*
 * create_fuzz.c - request validation of CreateFunction bodies, end to end
 * through the handler against a real SQLite store in a temporary directory.
 * Invariants: the answer is 200 or a 4xx with an FSS error body (never a
 * 5xx), a refused body leaves the function count unchanged (nothing
 * half-written), and an accepted one can be read back and deleted.
 */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fuzz.h"
#include "api/api.h"
#include "core/server.h"
#include "http/request.h"
#include "store/store.h"
#include "util/str.h"

static struct srv_server srv;

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    return remove(path);
}

static void cleanup(void)
{
    srv_server_dispose(&srv);
    nftw(srv.cfg.data_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void setup(void)
{
    char dir[] = "/tmp/fgs-fuzz-create-XXXXXX";

    if (srv.store)
        return;
    if (!mkdtemp(dir))
        abort();
    srv_config_defaults(&srv.cfg);
    srv.cfg.auth_none = true;
    fgs__strlcpy(srv.cfg.data_dir, dir, sizeof(srv.cfg.data_dir));
    if (srv_server_init(&srv) < 0)
        abort();
    atexit(cleanup);
}

static void request(struct srv_request *req, const char *seg1, const void *body, size_t len)
{
    memset(req, 0, sizeof(*req));
    req->srv = &srv;
    fgs__strlcpy(req->project, "fuzzproject", sizeof(req->project));
    req->seg[0] = "functions";
    req->seg[1] = (char *)seg1;
    req->nseg = seg1 ? 2 : 1;
    if (len)
        FUZZ_CHECK(fgs__buf_put(&req->body, body, len) == 0);
}

static void finish(struct srv_request *req)
{
    fgs__buf_dispose(&req->body);
    fgs__buf_dispose(&req->out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct srv_request req;
    int64_t before = 0, after = 0;
    json_t *reply;
    char name[128];

    setup();
    FUZZ_CHECK(srv.store->ops->fn_count(srv.store, "fuzzproject", &before) == SRV_OK);
    request(&req, NULL, data, size);
    api_function_create(&req);
    FUZZ_CHECK(req.status == 200 || (req.status >= 400 && req.status < 500));
    reply = json_loadb(req.out.ptr, req.out.len, 0, NULL);
    FUZZ_CHECK(reply != NULL);
    FUZZ_CHECK(srv.store->ops->fn_count(srv.store, "fuzzproject", &after) == SRV_OK);
    if (req.status != 200) {
        const char *code = json_string_value(json_object_get(reply, "error_code"));

        FUZZ_CHECK(code && strncmp(code, "FSS.", 4) == 0);
        FUZZ_CHECK(json_is_string(json_object_get(reply, "error_msg")));
        FUZZ_CHECK(after == before);
    } else {
        FUZZ_CHECK(after == before + 1);
        snprintf(name, sizeof(name), "%s:%s",
                 json_string_value(json_object_get(reply, "package")),
                 json_string_value(json_object_get(reply, "func_name")));
        finish(&req);
        request(&req, name, NULL, 0);
        api_function_get_config(&req);
        FUZZ_CHECK(req.status == 200);
        finish(&req);
        request(&req, name, NULL, 0);
        api_function_delete(&req);
        FUZZ_CHECK(req.status == 204);
    }
    json_decref(reply);
    finish(&req);
    return 0;
}
