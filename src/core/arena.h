/* A bump allocator for memory that dies together (one request, one parsed
 * document, one schema). Allocations are never freed one by one; the owner
 * frees everything at once with facet_arena_free. A limit bounds the total,
 * so sizes that come from a client cannot exhaust memory. */
#ifndef FACET_CORE_ARENA_H
#define FACET_CORE_ARENA_H

#include <stddef.h>

#include "core/str.h"

typedef struct facet_arena_chunk facet_arena_chunk_t;

typedef struct facet_arena {
    facet_arena_chunk_t *head;
    size_t used;  /* bytes handed out, for the limit */
    size_t limit; /* 0 means no limit */
} facet_arena_t;

void facet_arena_init(facet_arena_t *a, size_t limit);
void facet_arena_free(facet_arena_t *a);

/* Returns size bytes aligned for any type, or NULL when memory or the limit
 * runs out. Memory is not zeroed; facet_arena_zalloc zeroes it. */
void *facet_arena_alloc(facet_arena_t *a, size_t size);
void *facet_arena_zalloc(facet_arena_t *a, size_t size);

/* Copies len bytes and appends a NUL (not counted in the slice). */
facet_str_t facet_arena_strdup(facet_arena_t *a, const char *s, size_t len);

/* Allocates n elements of type T, zeroed; NULL on overflow or exhaustion. */
#define FACET_ARENA_NEW(a, T) ((T *)facet_arena_zalloc((a), sizeof(T)))
#define FACET_ARENA_ARRAY(a, T, n)          \
    ((size_t)(n) > ((size_t)-1) / sizeof(T) \
         ? (T *)NULL                        \
         : (T *)facet_arena_zalloc((a), sizeof(T) * (size_t)(n)))

#endif
