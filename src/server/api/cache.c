/*
 * cache.c - generation-tagged response cache (see cache.h).
 *
 * A fixed table of slots, each slot a single entry guarded by one of a few
 * striped mutexes; a colliding key simply replaces the entry. Hits copy the
 * bytes into the response while the stripe is held.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "api/cache.h"
#include "http/request.h"

#define SLOTS 4096
#define STRIPES 16
#define MAX_KEY 600
#define MAX_BODY (64 * 1024)

struct slot {
    uint64_t gen;
    uint64_t hash;
    char key[MAX_KEY];
    char *body;
    size_t len;
};

static struct slot slots[SLOTS];
static pthread_mutex_t stripes[STRIPES] = {
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
    PTHREAD_MUTEX_INITIALIZER,
};

/* Builds "kind project key" into out; returns its FNV-1a hash, 0 when too long. */
static uint64_t make_key(char *out, const struct srv_request *req, const char *kind,
                         const char *key)
{
    uint64_t h = 1469598103934665603ULL;
    size_t kl = strlen(kind), pl = strlen(req->project), ul = strlen(key), i;

    if (kl + pl + ul + 3 > MAX_KEY)
        return 0;
    memcpy(out, kind, kl);
    out[kl] = ' ';
    memcpy(out + kl + 1, req->project, pl);
    out[kl + 1 + pl] = ' ';
    memcpy(out + kl + pl + 2, key, ul + 1);
    for (i = 0; out[i]; i++) {
        h ^= (unsigned char)out[i];
        h *= 1099511628211ULL;
    }
    return h ? h : 1;
}

int api_cache_reply(struct srv_request *req, const char *kind, const char *key, uint64_t gen)
{
    char k[MAX_KEY];
    uint64_t h = make_key(k, req, kind, key);
    struct slot *s;
    int hit = 0;

    if (!h)
        return 0;
    s = &slots[h % SLOTS];
    pthread_mutex_lock(&stripes[h % STRIPES]);
    if (s->body && s->hash == h && s->gen == gen && strcmp(s->key, k) == 0) {
        srv_reply_raw(req, 200, "application/json", s->body, s->len);
        hit = 1;
    }
    pthread_mutex_unlock(&stripes[h % STRIPES]);
    return hit;
}

void api_cache_store(struct srv_request *req, const char *kind, const char *key, uint64_t gen)
{
    char k[MAX_KEY];
    uint64_t h;
    struct slot *s;
    char *copy;

    if (req->status != 200 || req->out.len > MAX_BODY)
        return;
    h = make_key(k, req, kind, key);
    if (!h)
        return;
    copy = malloc(req->out.len + 1);
    if (!copy)
        return;
    memcpy(copy, req->out.ptr, req->out.len);
    s = &slots[h % SLOTS];
    pthread_mutex_lock(&stripes[h % STRIPES]);
    free(s->body);
    s->body = copy;
    s->len = req->out.len;
    s->gen = gen;
    s->hash = h;
    memcpy(s->key, k, strlen(k) + 1);
    pthread_mutex_unlock(&stripes[h % STRIPES]);
}
