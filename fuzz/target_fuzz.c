/*
 * target_fuzz.c - request-target parsing (path segments, project, query).
 * Invariants: on success the project is non-empty, no decoded segment
 * contains '/', the segment and parameter counts stay within their arrays,
 * and every decoded string is no longer than the input.
 */
#include "fuzz.h"
#include <stdint.h>
#include <string.h>
#include "http/http.h"


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct srv_request req;
    char text[4096];
    int rc, i, mismatch;

    if (size >= sizeof(text))
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    memset(&req, 0, sizeof(req));
    rc = srv_request_parse_target(&req, text);
    FUZZ_CHECK(rc == 0 || rc == -1 || rc == -2);
    if (rc == 0) {
        FUZZ_CHECK(req.project[0] != '\0');
        FUZZ_CHECK(req.nseg >= 1 && req.nseg <= SRV_MAX_SEGS);
        for (i = 0; i < req.nseg; i++)
            FUZZ_CHECK(!strchr(req.seg[i], '/') && strlen(req.seg[i]) <= size);
        FUZZ_CHECK(req.nquery >= 0 && req.nquery <= SRV_MAX_QUERY);
        for (i = 0; i < req.nquery; i++)
            FUZZ_CHECK(strlen(req.query[i].key) <= size && strlen(req.query[i].value) <= size);
        (void)srv_route_find("GET", req.seg, req.nseg, &mismatch);
    }
    srv_request_free_parsed(&req);
    return 0;
}
