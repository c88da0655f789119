/*
 * cache.h - a small response cache for hot read-only API answers (GET
 * config), keyed by project and the URN text of the path.
 *
 * Entries are tagged with the store's write generation read before the
 * answer was computed; any committed write bumps the generation, so a
 * cached answer is never served after a change it could miss.
 *
 * Thread-safe.
 */
#ifndef SRV_API_CACHE_H
#define SRV_API_CACHE_H

#include <stddef.h>
#include <stdint.h>

struct srv_request;

/* Answers req from the cache when an entry for (kind, key) at generation gen exists. */
int api_cache_reply(struct srv_request *req, const char *kind, const char *key, uint64_t gen);
/* Stores req's 200 answer under (kind, key) for generation gen. */
void api_cache_store(struct srv_request *req, const char *kind, const char *key, uint64_t gen);

#endif
