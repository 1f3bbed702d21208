/* The document cache: a hash table of SHA-256 keys over an LRU list, with
 * eviction from the least recently used end whenever the entry count or
 * the byte total is over its bound. */
#include "gql/doc_cache.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

/* OpenSSL 3 looks the algorithm up on every one-shot SHA256() call, and
 * EVP_Digest allocates, sets up, cleanses and frees a context per call;
 * both cost more than hashing a query. So the implementation is fetched
 * once, and each thread reuses one context. A thread's context is freed
 * when the thread exits (key destructor); the main thread's stays
 * reachable from the thread-local pointer until the process ends. */
static EVP_MD *sha256_md;
static pthread_key_t sha256_ctx_key;
static bool sha256_key_ok;
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;
static _Thread_local EVP_MD_CTX *sha256_ctx;

static void free_ctx(void *ctx)
{
    EVP_MD_CTX_free(ctx);
}

static void sha256_setup(void)
{
    sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
    sha256_key_ok = pthread_key_create(&sha256_ctx_key, free_ctx) == 0;
}

/* This thread's reusable context, or NULL when it cannot be had. */
static EVP_MD_CTX *thread_ctx(void)
{
    if (sha256_ctx || !sha256_key_ok)
        return sha256_ctx;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (ctx && pthread_setspecific(sha256_ctx_key, ctx) != 0) {
        EVP_MD_CTX_free(ctx);
        ctx = NULL;
    }
    sha256_ctx = ctx;
    return ctx;
}

void gql_sha256(const void *data, size_t len, uint8_t out[GQL_SHA256_LEN])
{
    pthread_once(&sha256_once, sha256_setup);
    unsigned n = GQL_SHA256_LEN;
    EVP_MD_CTX *ctx = sha256_md ? thread_ctx() : NULL;
    if (ctx && EVP_DigestInit_ex2(ctx, sha256_md, NULL) && EVP_DigestUpdate(ctx, data, len) &&
        EVP_DigestFinal_ex(ctx, out, &n))
        return;
    EVP_Digest(data, len, out, &n, EVP_sha256(), NULL);
}

int gql_doc_cache_init(gql_doc_cache_t *c, const gql_schema_t *schema, size_t max_entries,
                       size_t max_bytes)
{
    memset(c, 0, sizeof *c);
    if (!schema || max_entries == 0 || max_bytes == 0)
        return FACET_EINVAL;
    size_t n = 16;
    while (n < max_entries && n < ((size_t)1 << 24))
        n *= 2;
    c->buckets = calloc(n, sizeof *c->buckets);
    if (!c->buckets)
        return FACET_ENOMEM;
    c->nbuckets = n;
    c->schema = schema;
    c->max_entries = max_entries;
    c->max_bytes = max_bytes;
    c->parse_limits = GQL_PARSE_LIMITS_DEFAULT;
    return FACET_OK;
}

static void doc_free(gql_doc_t *d)
{
    facet_arena_t a = d->arena;
    /* The entry itself lives in its own arena. */
    facet_arena_free(&a);
}

static size_t bucket_of(const gql_doc_cache_t *c, const uint8_t *sha)
{
    uint64_t h;
    memcpy(&h, sha, sizeof h);
    return (size_t)h & (c->nbuckets - 1);
}

static void unlink_entry(gql_doc_cache_t *c, gql_doc_t *d)
{
    gql_doc_t **p = &c->buckets[bucket_of(c, d->sha)];
    while (*p && *p != d)
        p = &(*p)->chain;
    if (*p)
        *p = d->chain;
    if (d->prev)
        d->prev->next = d->next;
    else
        c->head = d->next;
    if (d->next)
        d->next->prev = d->prev;
    else
        c->tail = d->prev;
    d->prev = d->next = d->chain = NULL;
    c->count--;
    c->bytes -= d->bytes;
    d->cached = false;
    if (d->pins == 0)
        doc_free(d);
}

void gql_doc_cache_free(gql_doc_cache_t *c)
{
    while (c->head)
        unlink_entry(c, c->head);
    free(c->buckets);
    memset(c, 0, sizeof *c);
}

static void touch(gql_doc_cache_t *c, gql_doc_t *d)
{
    if (c->head == d)
        return;
    d->prev->next = d->next;
    if (d->next)
        d->next->prev = d->prev;
    else
        c->tail = d->prev;
    d->prev = NULL;
    d->next = c->head;
    c->head->prev = d;
    c->head = d;
}

gql_doc_t *gql_doc_cache_find(gql_doc_cache_t *c, const uint8_t sha[GQL_SHA256_LEN])
{
    for (gql_doc_t *d = c->buckets[bucket_of(c, sha)]; d; d = d->chain) {
        if (memcmp(d->sha, sha, GQL_SHA256_LEN) == 0) {
            touch(c, d);
            d->pins++;
            c->hits++;
            return d;
        }
    }
    return NULL;
}

static void insert(gql_doc_cache_t *c, gql_doc_t *d)
{
    while (c->head && (c->count + 1 > c->max_entries || c->bytes + d->bytes > c->max_bytes)) {
        unlink_entry(c, c->tail);
        c->evictions++;
    }
    size_t b = bucket_of(c, d->sha);
    d->chain = c->buckets[b];
    c->buckets[b] = d;
    d->prev = NULL;
    d->next = c->head;
    if (c->head)
        c->head->prev = d;
    else
        c->tail = d;
    c->head = d;
    c->count++;
    c->bytes += d->bytes;
    d->cached = true;
}

/* Parses and validates text into a new entry; returns FACET_EINVAL with
 * errors added when it is not a valid document. */
static int build(gql_doc_cache_t *c, const char *text, size_t len, const uint8_t *sha,
                 gql_doc_t **out, gql_error_list_t *errors)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_doc_t *d = FACET_ARENA_NEW(&a, gql_doc_t);
    facet_str_t copy = d ? facet_arena_strdup(&a, text, len) : FACET_STR_NULL;
    if (!d || !copy.base) {
        facet_arena_free(&a);
        return FACET_ENOMEM;
    }
    memcpy(d->sha, sha, GQL_SHA256_LEN);
    d->text = copy;
    int rc = gql_parse(&a, copy.base, copy.len, &c->parse_limits, &d->doc, errors);
    if (rc == FACET_OK) {
        facet_arena_t scratch;
        facet_arena_init(&scratch, 0);
        rc = gql_validate(c->schema, d->doc, &c->validate_opts, &scratch, errors);
        facet_arena_free(&scratch);
    }
    if (rc != FACET_OK) {
        facet_arena_free(&a);
        return rc;
    }
    d->arena = a;
    d->bytes = a.used + sizeof *d;
    d->pins = 1;
    *out = d;
    return FACET_OK;
}

int gql_doc_cache_get(gql_doc_cache_t *c, const char *text, size_t len, gql_doc_t **out,
                      gql_error_list_t *errors)
{
    uint8_t sha[GQL_SHA256_LEN];
    gql_sha256(text, len, sha);
    *out = gql_doc_cache_find(c, sha);
    if (*out)
        return FACET_OK;
    c->misses++;
    gql_doc_t *d;
    int rc = build(c, text, len, sha, &d, errors);
    if (rc != FACET_OK)
        return rc;
    /* A document bigger than the whole cache is used once, not cached. */
    if (d->bytes <= c->max_bytes)
        insert(c, d);
    *out = d;
    return FACET_OK;
}

void gql_doc_release(gql_doc_t *d)
{
    if (!d || d->pins == 0)
        return;
    if (--d->pins == 0 && !d->cached)
        doc_free(d);
}
