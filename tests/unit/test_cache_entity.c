/* The read-through entity cache against a real Valkey (VALKEY_URL; the
 * tests say "skipped" and pass without it): hits and misses, single flight,
 * invalidation, the generation check that keeps a slow read from storing a
 * stale value, and the bypass when the cache is off. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache/entity.h"
#include "core/error.h"
#include "core/log.h"
#include "test.h"

#define RUN_UNTIL(loop, cond)                              \
    for (int spin_ = 0; spin_ < 300 && !(cond); spin_++) { \
        uv_run((loop), UV_RUN_NOWAIT);                     \
        usleep(10000);                                     \
    }

/* A loader that answers only when told to, counting its calls. */
typedef struct source {
    int loads;
    cache_entity_fill_t *pending;
    char value[64];
} source_t;

static int load(const char *kind, const char *id, void *ud, cache_entity_fill_t *fill)
{
    (void)kind, (void)id;
    source_t *s = ud;
    s->loads++;
    s->pending = fill;
    return FACET_OK;
}

static void answer(source_t *s)
{
    cache_entity_fill_t *f = s->pending;
    s->pending = NULL;
    cache_entity_filled(f, FACET_OK, s->value, strlen(s->value));
}

typedef struct got {
    int calls;
    int status;
    char json[64];
} got_t;

static void on_got(int status, const char *json, size_t len, void *ud)
{
    got_t *g = ud;
    g->calls++;
    g->status = status;
    snprintf(g->json, sizeof g->json, "%.*s", (int)len, json ? json : "");
}

typedef struct fixture {
    uv_loop_t loop;
    cache_valkey_t *v;
    cache_entity_t *c;
    char id[32];
} fixture_t;

static void setup(fixture_t *f, uint64_t ttl_ms)
{
    const char *url = getenv("VALKEY_URL");
    if (!url) {
        printf("skipped: VALKEY_URL not set\n");
        exit(0);
    }
    uv_loop_init(&f->loop);
    cache_valkey_addr_t addr;
    char err[256];
    CHECK_EQ_INT(cache_valkey_parse_url(url, &addr, err, sizeof err), FACET_OK);
    facet_log_set_level(FACET_LOG_ERROR);
    CHECK_EQ_INT(cache_valkey_new(&f->loop, &addr, 0, 2000, &f->v), FACET_OK);
    RUN_UNTIL(&f->loop, cache_valkey_connected(f->v));
    cache_entity_opts_t o = {ttl_ms, 2000};
    CHECK_EQ_INT(cache_entity_new(f->v, &o, &f->c), FACET_OK);
    snprintf(f->id, sizeof f->id, "t%d%lx", (int)getpid(), (unsigned long)random());
}

static void teardown(fixture_t *f)
{
    cache_entity_free(f->c);
    cache_valkey_close(f->v);
    uv_run(&f->loop, UV_RUN_DEFAULT);
    CHECK_EQ_INT(uv_loop_close(&f->loop), 0);
}

/* Lets the fire-and-forget SET or invalidation reach Valkey. */
static void settle(fixture_t *f)
{
    for (int i = 0; i < 20; i++) {
        uv_run(&f->loop, UV_RUN_NOWAIT);
        usleep(5000);
    }
}

TEST(a_miss_loads_once_for_every_waiter_then_hits)
{
    fixture_t f;
    setup(&f, 60000);
    source_t s = {.value = "{\"v\":1}"};
    cache_entity_stats_t before = cache_entity_stats();
    got_t a = {0}, b = {0};
    CHECK_EQ_INT(cache_entity_get(f.c, "test", f.id, load, &s, on_got, &a), FACET_OK);
    CHECK_EQ_INT(cache_entity_get(f.c, "test", f.id, load, &s, on_got, &b), FACET_OK);
    RUN_UNTIL(&f.loop, s.pending);
    CHECK_EQ_INT(s.loads, 1);
    answer(&s);
    CHECK(a.calls == 1 && b.calls == 1);
    CHECK_EQ_STR(a.json, "{\"v\":1}");
    CHECK_EQ_STR(b.json, "{\"v\":1}");
    settle(&f);
    got_t c = {0};
    CHECK_EQ_INT(cache_entity_get(f.c, "test", f.id, load, &s, on_got, &c), FACET_OK);
    RUN_UNTIL(&f.loop, c.calls);
    CHECK_EQ_STR(c.json, "{\"v\":1}");
    CHECK_EQ_INT(s.loads, 1);
    cache_entity_stats_t after = cache_entity_stats();
    CHECK_EQ_INT((int)(after.misses - before.misses), 2);
    CHECK_EQ_INT((int)(after.hits - before.hits), 1);
    teardown(&f);
}

TEST(invalidation_forgets_and_a_slow_read_cannot_store_stale_data)
{
    fixture_t f;
    setup(&f, 60000);
    source_t s = {.value = "{\"v\":\"old\"}"};
    got_t a = {0};
    CHECK_EQ_INT(cache_entity_get(f.c, "test", f.id, load, &s, on_got, &a), FACET_OK);
    RUN_UNTIL(&f.loop, s.pending);
    /* A write lands while the read is still out. */
    cache_entity_invalidate(f.c, "test", f.id);
    settle(&f);
    answer(&s);
    CHECK_EQ_STR(a.json, "{\"v\":\"old\"}");
    settle(&f);
    /* The old value was not stored: the next get loads again. */
    strcpy(s.value, "{\"v\":\"new\"}");
    got_t b = {0};
    CHECK_EQ_INT(cache_entity_get(f.c, "test", f.id, load, &s, on_got, &b), FACET_OK);
    RUN_UNTIL(&f.loop, s.pending);
    CHECK_EQ_INT(s.loads, 2);
    answer(&s);
    CHECK_EQ_STR(b.json, "{\"v\":\"new\"}");
    settle(&f);
    /* Invalidated after it was stored: gone too. */
    cache_entity_invalidate(f.c, "test", f.id);
    settle(&f);
    got_t c = {0};
    CHECK_EQ_INT(cache_entity_get(f.c, "test", f.id, load, &s, on_got, &c), FACET_OK);
    RUN_UNTIL(&f.loop, s.pending);
    CHECK_EQ_INT(s.loads, 3);
    answer(&s);
    teardown(&f);
}

TEST(ttl_zero_turns_the_cache_off)
{
    fixture_t f;
    setup(&f, 0);
    source_t s = {.value = "{}"};
    for (int i = 1; i <= 2; i++) {
        got_t g = {0};
        CHECK_EQ_INT(cache_entity_get(f.c, "test", f.id, load, &s, on_got, &g), FACET_OK);
        CHECK(s.pending != NULL); /* straight to the loader */
        answer(&s);
        CHECK_EQ_INT(g.calls, 1);
        CHECK_EQ_INT(s.loads, i);
    }
    teardown(&f);
}

TEST(bad_ids_are_refused)
{
    fixture_t f;
    setup(&f, 1000);
    source_t s = {0};
    got_t g = {0};
    CHECK_EQ_INT(cache_entity_get(f.c, "test", "a:b", load, &s, on_got, &g), FACET_EINVAL);
    CHECK_EQ_INT(g.calls, 0);
    teardown(&f);
}

TEST(a_get_after_an_invalidation_does_not_join_an_older_flight)
{
    fixture_t f;
    setup(&f, 60000);
    source_t old = {.value = "{\"v\":\"old\"}"}, fresh = {.value = "{\"v\":\"new\"}"};
    got_t a = {0}, b = {0};
    CHECK_EQ_INT(cache_entity_get(f.c, "test", f.id, load, &old, on_got, &a), FACET_OK);
    RUN_UNTIL(&f.loop, old.pending);
    cache_entity_invalidate(f.c, "test", f.id); /* a write lands */
    CHECK_EQ_INT(cache_entity_get(f.c, "test", f.id, load, &fresh, on_got, &b), FACET_OK);
    RUN_UNTIL(&f.loop, fresh.pending);
    CHECK_EQ_INT(fresh.loads, 1); /* its own flight */
    answer(&old);
    answer(&fresh);
    CHECK_EQ_STR(a.json, "{\"v\":\"old\"}");
    CHECK_EQ_STR(b.json, "{\"v\":\"new\"}");
    teardown(&f);
}

TEST(blocking_invalidation_forgets_entries)
{
    fixture_t f;
    setup(&f, 60000);
    source_t s = {.value = "{}"};
    got_t a = {0};
    CHECK_EQ_INT(cache_entity_get(f.c, "test", f.id, load, &s, on_got, &a), FACET_OK);
    RUN_UNTIL(&f.loop, s.pending);
    answer(&s);
    settle(&f);
    cache_valkey_addr_t addr;
    char err[256];
    CHECK_EQ_INT(cache_valkey_parse_url(getenv("VALKEY_URL"), &addr, err, sizeof err), FACET_OK);
    const char *ids[] = {f.id};
    CHECK_EQ_INT(cache_entity_invalidate_blocking(&addr, 2000, 60000, "test", ids, 1), FACET_OK);
    got_t b = {0};
    CHECK_EQ_INT(cache_entity_get(f.c, "test", f.id, load, &s, on_got, &b), FACET_OK);
    RUN_UNTIL(&f.loop, s.pending);
    CHECK_EQ_INT(s.loads, 2);
    answer(&s);
    cache_valkey_addr_t nowhere = addr;
    nowhere.port = 1;
    CHECK_EQ_INT(cache_entity_invalidate_blocking(&nowhere, 500, 60000, "test", ids, 1), FACET_EIO);
    teardown(&f);
}
