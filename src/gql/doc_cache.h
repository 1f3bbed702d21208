/* A bounded LRU cache of parsed and validated documents, keyed by the
 * SHA-256 of the query text, so a repeated query skips parsing and
 * validation. One cache per event loop: it takes no locks. Each entry owns
 * an arena holding its text and syntax tree; the cache is bounded by entry
 * count and by bytes. An execution pins the entry it runs (the cache may
 * evict it meanwhile; it is freed when the last pin goes). */
#ifndef FACET_GQL_DOC_CACHE_H
#define FACET_GQL_DOC_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "gql/ast.h"
#include "gql/error.h"
#include "gql/parser.h"
#include "gql/schema.h"
#include "gql/validate.h"

#define GQL_SHA256_LEN 32

typedef struct gql_doc {
    uint8_t sha[GQL_SHA256_LEN];
    facet_arena_t arena;     /* owns text and doc */
    facet_str_t text;        /* the query text, NUL-terminated */
    gql_ast_document_t *doc; /* parsed and valid against the cache's schema */
    size_t bytes;            /* what the entry counts against max_bytes */
    unsigned pins;
    bool cached;                 /* still in the cache (else freed at the last release) */
    struct gql_doc *prev, *next; /* LRU list, most recent first */
    struct gql_doc *chain;       /* hash bucket */
} gql_doc_t;

typedef struct gql_doc_cache {
    const gql_schema_t *schema;
    gql_parse_limits_t parse_limits;
    gql_validate_opts_t validate_opts;
    size_t max_entries, max_bytes;
    size_t count, bytes;
    gql_doc_t **buckets;
    size_t nbuckets; /* power of two */
    gql_doc_t *head, *tail;
    uint64_t hits, misses, evictions;
} gql_doc_cache_t;

/* Prepares a cache for documents validated against schema (which must
 * outlive it). Both bounds must be positive. Returns FACET_ENOMEM or
 * FACET_EINVAL. parse_limits and validate_opts may be changed afterwards
 * (they start as GQL_PARSE_LIMITS_DEFAULT and all defaults). */
int gql_doc_cache_init(gql_doc_cache_t *c, const gql_schema_t *schema, size_t max_entries,
                       size_t max_bytes);
/* Frees every entry not pinned; pinned ones are freed at their release. */
void gql_doc_cache_free(gql_doc_cache_t *c);

void gql_sha256(const void *data, size_t len, uint8_t out[GQL_SHA256_LEN]);

/* Returns the valid document for text, pinned: from the cache, or parsed
 * and validated now (and cached when it fits). On a syntax or validation
 * error returns FACET_EINVAL with the errors added to errors (allocated in
 * errors->arena); invalid documents are not cached. FACET_ENOMEM when
 * memory ran out. The caller releases the document with gql_doc_release. */
int gql_doc_cache_get(gql_doc_cache_t *c, const char *text, size_t len, gql_doc_t **out,
                      gql_error_list_t *errors);

/* The cached document with this hash, pinned, or NULL (automatic persisted
 * queries look documents up by hash before the client sends the text). */
gql_doc_t *gql_doc_cache_find(gql_doc_cache_t *c, const uint8_t sha[GQL_SHA256_LEN]);

/* Drops a pin; frees the document if it was evicted meanwhile. */
void gql_doc_release(gql_doc_t *d);

#endif
