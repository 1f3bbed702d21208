/* Read-through cache of entities by id in Valkey, one per event loop.
 *
 * An entity is JSON text under facet:c:<kind>:<id>, kept for a TTL. A miss
 * asks the caller's loader (the database) once, however many requests wait
 * for the same entity on this loop (single flight), and stores the answer.
 * Writers call cache_entity_invalidate after every change: it bumps a
 * generation counter (facet:cg:<kind>:<id>) before deleting the entry, and
 * a loader's answer is stored only if the generation it started from is
 * still current, so a slow read can never put back what a write replaced.
 * When Valkey is down the cache is bypassed, never an error. */
#ifndef FACET_CACHE_ENTITY_H
#define FACET_CACHE_ENTITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cache/valkey.h"

typedef struct cache_entity cache_entity_t;
typedef struct cache_entity_fill cache_entity_fill_t;

/* The answer: status FACET_OK with json (valid only during the call),
 * FACET_ENOTFOUND when the entity does not exist, or an error. */
typedef void (*cache_entity_cb)(int status, const char *json, size_t len, void *ud);

/* Loads the entity from the source of truth and calls
 * cache_entity_filled(fill, ...) exactly once, now or later on the loop.
 * Returns FACET_OK, or an error (then it must not call it). */
typedef int (*cache_entity_loader)(const char *kind, const char *id, void *loader_ud,
                                   cache_entity_fill_t *fill);

typedef struct cache_entity_opts {
    uint64_t ttl_ms;     /* 0 turns the cache off: every get loads */
    uint64_t timeout_ms; /* per Valkey command */
} cache_entity_opts_t;

/* v is the loop's Valkey connection (borrowed; may be NULL: no cache). */
int cache_entity_new(cache_valkey_t *v, const cache_entity_opts_t *opts, cache_entity_t **out);
/* Every get must have answered. */
void cache_entity_free(cache_entity_t *c);

/* Gets kind/id (kind: a short word such as "user"; id: no ':' or spaces).
 * cb runs exactly once unless an error is returned. */
int cache_entity_get(cache_entity_t *c, const char *kind, const char *id, cache_entity_loader load,
                     void *loader_ud, cache_entity_cb cb, void *ud);

/* The loader's answer (json copied). */
void cache_entity_filled(cache_entity_fill_t *fill, int status, const char *json, size_t len);

/* Forgets kind/id everywhere (all instances share Valkey). Fire and forget. */
void cache_entity_invalidate(cache_entity_t *c, const char *kind, const char *id);

/* Forgets kind/id for each of the n ids through a short-lived blocking
 * connection (for start-up, before the loops run, or the thread pool):
 * what a writer that crashed between its write and its invalidation left.
 * FACET_EIO when Valkey cannot be reached or refuses. */
int cache_entity_invalidate_blocking(const cache_valkey_addr_t *addr, uint64_t timeout_ms,
                                     uint64_t ttl_ms, const char *kind, const char *const *ids,
                                     size_t n);

/* Process-wide counters for /metrics: gets answered from Valkey, and gets
 * that went to the loader (waiters that joined a flight count as misses). */
typedef struct cache_entity_stats {
    uint64_t hits;
    uint64_t misses;
} cache_entity_stats_t;
cache_entity_stats_t cache_entity_stats(void);

#endif
