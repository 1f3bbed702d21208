/* Bump allocation in chunks that grow with demand. */
#include "core/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_MIN (8 * 1024)
#define ALIGN     16

struct facet_arena_chunk {
    facet_arena_chunk_t *next;
    size_t cap;
    size_t off;
    _Alignas(ALIGN) char data[];
};

void facet_arena_init(facet_arena_t *a, size_t limit)
{
    a->head = NULL;
    a->used = 0;
    a->limit = limit;
}

void facet_arena_free(facet_arena_t *a)
{
    facet_arena_chunk_t *c = a->head;
    while (c) {
        facet_arena_chunk_t *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
    a->used = 0;
}

void *facet_arena_alloc(facet_arena_t *a, size_t size)
{
    if (size == 0)
        size = 1;
    if (size > SIZE_MAX - ALIGN)
        return NULL;
    size = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (a->limit && (size > a->limit || a->used > a->limit - size))
        return NULL;
    facet_arena_chunk_t *c = a->head;
    if (!c || c->cap - c->off < size) {
        size_t cap = c ? c->cap * 2 : CHUNK_MIN;
        if (cap > 1024 * 1024)
            cap = 1024 * 1024;
        if (cap < size)
            cap = size;
        facet_arena_chunk_t *n = malloc(sizeof *n + cap);
        if (!n)
            return NULL;
        n->cap = cap;
        n->off = 0;
        /* A big one-off block goes behind the current chunk so the current
         * chunk's free space is not abandoned. */
        if (c && size > CHUNK_MIN && c->cap - c->off >= CHUNK_MIN / 4) {
            n->next = c->next;
            c->next = n;
        } else {
            n->next = c;
            a->head = n;
        }
        c = n;
    }
    void *p = c->data + c->off;
    c->off += size;
    a->used += size;
    return p;
}

void *facet_arena_zalloc(facet_arena_t *a, size_t size)
{
    void *p = facet_arena_alloc(a, size);
    if (p)
        memset(p, 0, size);
    return p;
}

facet_str_t facet_arena_strdup(facet_arena_t *a, const char *s, size_t len)
{
    if (len == SIZE_MAX)
        return FACET_STR_NULL;
    char *p = facet_arena_alloc(a, len + 1);
    if (!p)
        return FACET_STR_NULL;
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return facet_str(p, len);
}
