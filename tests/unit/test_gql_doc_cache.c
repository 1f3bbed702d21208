/* Tests for gql/doc_cache.h: SHA-256 vectors (per-thread digest contexts),
 * hits and misses, LRU eviction by count and by bytes, pins that outlive
 * eviction, invalid documents, lookup by hash. */
#include <pthread.h>

#include "gql/doc_cache.h"
#include "test_gql_exec.h"

static const char *SDL = "type Query { a: Int, b: Int, c: Int }";

static gql_doc_t *get(gql_doc_cache_t *c, const char *q, int expect)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_error_list_t errors;
    gql_errors_init(&errors, &a, 0);
    gql_doc_t *d = NULL;
    CHECK_EQ_INT(gql_doc_cache_get(c, q, strlen(q), &d, &errors), expect);
    CHECK_EQ_INT(errors.count > 0, expect != FACET_OK);
    facet_arena_free(&a);
    return d;
}

TEST(sha256_known_answer)
{
    uint8_t h[GQL_SHA256_LEN];
    gql_sha256("abc", 3, h);
    static const uint8_t want[4] = {0xba, 0x78, 0x16, 0xbf};
    CHECK(memcmp(h, want, 4) == 0);
}

static void check_sha(const char *data, size_t len, const char *hex)
{
    uint8_t h[GQL_SHA256_LEN];
    char got[2 * GQL_SHA256_LEN + 1];
    gql_sha256(data, len, h);
    for (int i = 0; i < GQL_SHA256_LEN; i++)
        snprintf(got + 2 * i, 3, "%02x", h[i]);
    CHECK_EQ_STR(got, hex);
}

/* FIPS 180-2 examples and lengths around the 55/56-byte padding limit,
 * each hashed twice, since the digest context is reused between calls. */
TEST(sha256_vectors)
{
    static char million[1000000];
    memset(million, 'a', sizeof million);
    for (int round = 0; round < 2; round++) {
        check_sha("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        check_sha("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        check_sha("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
                  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
        check_sha(million, 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
        check_sha(million, 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
        check_sha(million, sizeof million,
                  "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    }
}

static void *hash_in_thread(void *arg)
{
    uint8_t h[GQL_SHA256_LEN];
    for (int i = 0; i < 100; i++)
        gql_sha256("abc", 3, h);
    *(int *)arg = h[0] == 0xba && h[31] == 0xad;
    return NULL;
}

/* Each thread gets its own digest context, freed when the thread ends
 * (LeakSanitizer checks that). */
TEST(sha256_in_threads)
{
    pthread_t t[4];
    int ok[4] = {0};
    for (int i = 0; i < 4; i++)
        CHECK_EQ_INT(pthread_create(&t[i], NULL, hash_in_thread, &ok[i]), 0);
    for (int i = 0; i < 4; i++) {
        CHECK_EQ_INT(pthread_join(t[i], NULL), 0);
        CHECK(ok[i]);
    }
    check_sha("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(hit_after_miss)
{
    gql_schema_t *s = tx_schema(SDL);
    gql_doc_cache_t c;
    CHECK_EQ_INT(gql_doc_cache_init(&c, s, 4, 1 << 20), FACET_OK);
    gql_doc_t *d1 = get(&c, "{ a }", FACET_OK);
    gql_doc_t *d2 = get(&c, "{ a }", FACET_OK);
    CHECK(d1 == d2);
    CHECK_EQ_INT(c.hits, 1);
    CHECK_EQ_INT(c.misses, 1);
    CHECK_EQ_INT(d1->pins, 2);
    CHECK_EQ_INT(d1->doc->ndefinitions, 1);
    gql_doc_release(d1);
    gql_doc_release(d2);
    uint8_t sha[GQL_SHA256_LEN];
    gql_sha256("{ a }", 5, sha);
    gql_doc_t *d3 = gql_doc_cache_find(&c, sha);
    CHECK(d3 == d1);
    gql_doc_release(d3);
    gql_sha256("{ b }", 5, sha);
    CHECK(gql_doc_cache_find(&c, sha) == NULL);
    gql_doc_cache_free(&c);
    gql_schema_free(s);
}

TEST(invalid_documents_are_not_cached)
{
    gql_schema_t *s = tx_schema(SDL);
    gql_doc_cache_t c;
    CHECK_EQ_INT(gql_doc_cache_init(&c, s, 4, 1 << 20), FACET_OK);
    CHECK(get(&c, "{ nope }", FACET_EINVAL) == NULL);
    CHECK(get(&c, "{ a", FACET_EINVAL) == NULL);
    CHECK_EQ_INT(c.count, 0);
    gql_doc_cache_free(&c);
    gql_schema_free(s);
}

TEST(lru_eviction_by_count)
{
    gql_schema_t *s = tx_schema(SDL);
    gql_doc_cache_t c;
    CHECK_EQ_INT(gql_doc_cache_init(&c, s, 2, 1 << 20), FACET_OK);
    gql_doc_release(get(&c, "{ a }", FACET_OK));
    gql_doc_release(get(&c, "{ b }", FACET_OK));
    gql_doc_release(get(&c, "{ a }", FACET_OK)); /* a is now the most recent */
    gql_doc_release(get(&c, "{ c }", FACET_OK)); /* evicts b */
    CHECK_EQ_INT(c.count, 2);
    CHECK_EQ_INT(c.evictions, 1);
    uint8_t sha[GQL_SHA256_LEN];
    gql_sha256("{ b }", 5, sha);
    CHECK(gql_doc_cache_find(&c, sha) == NULL);
    gql_sha256("{ a }", 5, sha);
    gql_doc_t *d = gql_doc_cache_find(&c, sha);
    CHECK(d != NULL);
    gql_doc_release(d);
    gql_doc_cache_free(&c);
    gql_schema_free(s);
}

TEST(byte_bound_and_oversized_documents)
{
    gql_schema_t *s = tx_schema(SDL);
    gql_doc_cache_t c;
    CHECK_EQ_INT(gql_doc_cache_init(&c, s, 100, 1 << 20), FACET_OK);
    gql_doc_t *d = get(&c, "{ a }", FACET_OK);
    size_t one = d->bytes;
    gql_doc_release(d);
    gql_doc_cache_free(&c);
    /* Room for two entries of that size, not three. */
    CHECK_EQ_INT(gql_doc_cache_init(&c, s, 100, one * 2 + one / 2), FACET_OK);
    gql_doc_release(get(&c, "{ a }", FACET_OK));
    gql_doc_release(get(&c, "{ b }", FACET_OK));
    gql_doc_release(get(&c, "{ c }", FACET_OK));
    CHECK_EQ_INT(c.count, 2);
    CHECK(c.bytes <= c.max_bytes);
    gql_doc_cache_free(&c);
    /* A document bigger than the bound is served but not kept. */
    CHECK_EQ_INT(gql_doc_cache_init(&c, s, 100, 16), FACET_OK);
    d = get(&c, "{ a b c }", FACET_OK);
    CHECK(d != NULL && !d->cached);
    CHECK_EQ_INT(c.count, 0);
    gql_doc_release(d); /* freed here; LeakSanitizer checks */
    gql_doc_cache_free(&c);
    gql_schema_free(s);
}

TEST(pinned_documents_survive_eviction_and_cache_free)
{
    gql_schema_t *s = tx_schema(SDL);
    gql_doc_cache_t c;
    CHECK_EQ_INT(gql_doc_cache_init(&c, s, 1, 1 << 20), FACET_OK);
    gql_doc_t *a = get(&c, "{ a }", FACET_OK);
    gql_doc_release(get(&c, "{ b }", FACET_OK)); /* evicts a, still pinned */
    CHECK(!a->cached);
    CHECK_EQ_INT(a->doc->ndefinitions, 1);
    gql_doc_t *b = get(&c, "{ b }", FACET_OK);
    gql_doc_cache_free(&c);
    CHECK(!b->cached);
    CHECK_SLICE(b->text, "{ b }");
    gql_doc_release(a);
    gql_doc_release(b);
    gql_schema_free(s);
}

TEST(cached_document_executes)
{
    gql_schema_t *s = tx_schema(SDL);
    gql_doc_cache_t c;
    CHECK_EQ_INT(gql_doc_cache_init(&c, s, 4, 1 << 20), FACET_OK);
    gql_doc_t *d = get(&c, "{ b a }", FACET_OK);
    for (int i = 0; i < 2; i++) {
        facet_arena_t a;
        facet_arena_init(&a, 0);
        gql_exec_opts_t o = {
            .schema = s, .doc = d->doc, .root_json = tx_json(&a, "{\"a\":1,\"b\":2}")};
        gql_exec_t *ex;
        CHECK_EQ_INT(gql_exec_start(&a, &o, &ex), FACET_OK);
        char *r = tx_response(ex);
        CHECK_EQ_STR(r, "{\"data\":{\"b\":2,\"a\":1}}");
        free(r);
        facet_arena_free(&a);
    }
    gql_doc_release(d);
    gql_doc_cache_free(&c);
    gql_schema_free(s);
}
