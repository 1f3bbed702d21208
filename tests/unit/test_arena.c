/* Tests for core/arena.h. */
#include <stdint.h>

#include "core/arena.h"
#include "test.h"

TEST(allocations_are_aligned_and_distinct)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    char *p = facet_arena_alloc(&a, 3);
    char *q = facet_arena_alloc(&a, 5);
    CHECK(p && q && p != q);
    CHECK(((uintptr_t)p % 16) == 0 && ((uintptr_t)q % 16) == 0);
    memset(p, 'x', 3);
    memset(q, 'y', 5);
    CHECK(p[2] == 'x' && q[0] == 'y');
    facet_arena_free(&a);
}

TEST(large_blocks_and_many_small_ones)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    for (int i = 0; i < 10000; i++) {
        int *v = FACET_ARENA_NEW(&a, int);
        CHECK(v && *v == 0);
        *v = i;
    }
    char *big = facet_arena_alloc(&a, 3 * 1024 * 1024);
    CHECK(big != NULL);
    memset(big, 1, 3 * 1024 * 1024);
    char *after = facet_arena_alloc(&a, 10);
    CHECK(after != NULL);
    facet_arena_free(&a);
}

TEST(limit_is_enforced)
{
    facet_arena_t a;
    facet_arena_init(&a, 1000);
    CHECK(facet_arena_alloc(&a, 900) != NULL);
    CHECK(facet_arena_alloc(&a, 200) == NULL);
    CHECK(facet_arena_alloc(&a, 64) != NULL);
    CHECK(facet_arena_alloc(&a, SIZE_MAX) == NULL);
    CHECK(FACET_ARENA_ARRAY(&a, long, SIZE_MAX / 4) == NULL);
    facet_arena_free(&a);
}

TEST(strdup_terminates)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    facet_str_t s = facet_arena_strdup(&a, "hello world", 5);
    CHECK_SLICE(s, "hello");
    CHECK(s.base[5] == '\0');
    facet_arena_free(&a);
}
