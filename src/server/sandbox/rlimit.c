/*
 * rlimit.c - resource limits of an instance, set while still root (raising
 * hard limits needs CAP_SYS_RESOURCE, which is dropped right after).
 *
 * These are backstops, not the main limits: memory and process counts are
 * limited by the cgroup (RLIMIT_NPROC counts per uid across the whole host,
 * and all instances share uid 1003, so it is deliberately not used).
 */
#include <sys/resource.h>
#include "sandbox/sandbox.h"

static int set(int res, rlim_t v)
{
    struct rlimit rl = { v, v };

    return setrlimit(res, &rl);
}

/* Child side, async-signal-safe. */
int srv_rlimit_apply_child(int64_t fsize_bytes, const char **step)
{
    *step = "RLIMIT_NOFILE";
    if (set(RLIMIT_NOFILE, 2048) < 0)
        return -1;
    *step = "RLIMIT_CORE";
    if (set(RLIMIT_CORE, 0) < 0)
        return -1;
    *step = "RLIMIT_FSIZE";
    if (set(RLIMIT_FSIZE, (rlim_t)fsize_bytes) < 0)
        return -1;
    *step = "RLIMIT_MEMLOCK";
    if (set(RLIMIT_MEMLOCK, 64 * 1024) < 0)
        return -1;
    return 0;
}
