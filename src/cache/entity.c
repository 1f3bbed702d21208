/* The read-through entity cache: MGET of the entry and its generation, a
 * flight per missing entity shared by its waiters, and a conditional SET. */
#include "cache/entity.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

#define KEY_MAX 160

/* Stores the value only if the generation is what the loader started from
 * (ARGV[2] is "" when there was none). */
static const char SET_IF_GEN[] = "local g = redis.call('GET', KEYS[2]) or '' "
                                 "if g == ARGV[2] then "
                                 "redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3]) return 1 end "
                                 "return 0";
/* Bumps the generation (kept well past the TTL) and drops the entry. */
static const char INVALIDATE[] = "redis.call('INCR', KEYS[2]) "
                                 "redis.call('PEXPIRE', KEYS[2], ARGV[1]) "
                                 "redis.call('DEL', KEYS[1]) return 1";

static atomic_uint_fast64_t hits, misses;

typedef struct waiter {
    struct waiter *next;
    cache_entity_cb cb;
    void *ud;
} waiter_t;

/* One entity being looked up or loaded, and who waits for it. */
struct cache_entity_fill {
    struct cache_entity_fill *next;
    cache_entity_t *c;
    char kind[32];
    char id[96];
    char gen[32];
    bool stale;       /* invalidated meanwhile: don't store the answer */
    bool hit;         /* answered from Valkey */
    bool invalidated; /* a write happened meanwhile: no new waiters */
    cache_entity_loader load;
    void *loader_ud;
    waiter_t *waiters;
};

struct cache_entity {
    cache_valkey_t *v;
    cache_entity_opts_t opts;
    cache_entity_fill_t *flights;
};

cache_entity_stats_t cache_entity_stats(void)
{
    return (cache_entity_stats_t){atomic_load(&hits), atomic_load(&misses)};
}

int cache_entity_new(cache_valkey_t *v, const cache_entity_opts_t *opts, cache_entity_t **out)
{
    cache_entity_t *c = calloc(1, sizeof *c);
    if (!c)
        return FACET_ENOMEM;
    c->v = v;
    c->opts = *opts;
    *out = c;
    return FACET_OK;
}

void cache_entity_free(cache_entity_t *c)
{
    free(c);
}

static void keys(const char *kind, const char *id, char key[KEY_MAX], char gen[KEY_MAX])
{
    snprintf(key, KEY_MAX, "facet:c:%s:%s", kind, id);
    snprintf(gen, KEY_MAX, "facet:cg:%s:%s", kind, id);
}

static bool usable(const cache_entity_t *c)
{
    return c->v && c->opts.ttl_ms > 0 && cache_valkey_connected(c->v);
}

static void unlink_flight(cache_entity_fill_t *f)
{
    for (cache_entity_fill_t **l = &f->c->flights; *l; l = &(*l)->next) {
        if (*l == f) {
            *l = f->next;
            return;
        }
    }
}

/* Answers every waiter and frees the flight. */
static void answer(cache_entity_fill_t *f, int status, const char *json, size_t len)
{
    unlink_flight(f);
    waiter_t *w = f->waiters;
    bool hit = f->hit;
    free(f);
    while (w) {
        waiter_t *next = w->next;
        atomic_fetch_add(hit ? &hits : &misses, 1);
        w->cb(status, json, len, w->ud);
        free(w);
        w = next;
    }
}

static void on_stored(int status, const redisReply *reply, void *ud)
{
    (void)status, (void)reply, (void)ud;
}

static void store(cache_entity_fill_t *f, const char *json, size_t len)
{
    cache_entity_t *c = f->c;
    if (f->stale || !usable(c))
        return;
    char key[KEY_MAX], gen[KEY_MAX], ttl[24];
    keys(f->kind, f->id, key, gen);
    snprintf(ttl, sizeof ttl, "%llu", (unsigned long long)c->opts.ttl_ms);
    const char *argv[] = {"EVAL", SET_IF_GEN, "2", key, gen, json, f->gen, ttl};
    size_t lens[] = {4,   sizeof SET_IF_GEN - 1, 1,          strlen(key), strlen(gen),
                     len, strlen(f->gen),        strlen(ttl)};
    cache_valkey_command_argv(c->v, c->opts.timeout_ms, 8, argv, lens, on_stored, NULL);
}

void cache_entity_filled(cache_entity_fill_t *f, int status, const char *json, size_t len)
{
    if (status == FACET_OK)
        store(f, json, len);
    answer(f, status, json, len);
}

static void start_load(cache_entity_fill_t *f)
{
    if (f->load(f->kind, f->id, f->loader_ud, f) != FACET_OK)
        answer(f, FACET_EIO, NULL, 0);
}

static void on_mget(int status, const redisReply *reply, void *ud)
{
    cache_entity_fill_t *f = ud;
    if (status == FACET_OK && reply->type == REDIS_REPLY_ARRAY && reply->elements == 2) {
        const redisReply *val = reply->element[0], *gen = reply->element[1];
        if (gen->type == REDIS_REPLY_STRING)
            snprintf(f->gen, sizeof f->gen, "%.*s", (int)gen->len, gen->str);
        if (val->type == REDIS_REPLY_STRING) {
            f->hit = true;
            return answer(f, FACET_OK, val->str, val->len);
        }
    } else {
        f->stale = true; /* Valkey failed: load, but don't store */
    }
    start_load(f);
}

/* A flight a new get may join: one started after the entity's last
 * invalidation on this loop (an older one may answer what a write has
 * since replaced, and a client that wrote must read its write). */
static cache_entity_fill_t *find_flight(cache_entity_t *c, const char *kind, const char *id)
{
    for (cache_entity_fill_t *f = c->flights; f; f = f->next) {
        if (!f->invalidated && strcmp(f->kind, kind) == 0 && strcmp(f->id, id) == 0)
            return f;
    }
    return NULL;
}

int cache_entity_get(cache_entity_t *c, const char *kind, const char *id, cache_entity_loader load,
                     void *loader_ud, cache_entity_cb cb, void *ud)
{
    if (strlen(kind) >= 32 || strlen(id) >= 96 || strchr(id, ':'))
        return FACET_EINVAL;
    waiter_t *w = malloc(sizeof *w);
    if (!w)
        return FACET_ENOMEM;
    *w = (waiter_t){NULL, cb, ud};
    cache_entity_fill_t *f = find_flight(c, kind, id);
    if (f) {
        w->next = f->waiters;
        f->waiters = w;
        return FACET_OK;
    }
    f = calloc(1, sizeof *f);
    if (!f) {
        free(w);
        return FACET_ENOMEM;
    }
    f->c = c;
    snprintf(f->kind, sizeof f->kind, "%s", kind);
    snprintf(f->id, sizeof f->id, "%s", id);
    f->load = load;
    f->loader_ud = loader_ud;
    f->waiters = w;
    f->next = c->flights;
    c->flights = f;
    if (!usable(c)) {
        f->stale = true;
        start_load(f);
        return FACET_OK;
    }
    char key[KEY_MAX], gen[KEY_MAX];
    keys(kind, id, key, gen);
    const char *argv[] = {"MGET", key, gen};
    if (cache_valkey_command_argv(c->v, c->opts.timeout_ms, 3, argv, NULL, on_mget, f) !=
        FACET_OK) {
        f->stale = true;
        start_load(f);
    }
    return FACET_OK;
}

void cache_entity_invalidate(cache_entity_t *c, const char *kind, const char *id)
{
    for (cache_entity_fill_t *f = c->flights; f; f = f->next) {
        if (strcmp(f->kind, kind) == 0 && strcmp(f->id, id) == 0)
            f->stale = f->invalidated = true;
    }
    if (!c->v || !cache_valkey_connected(c->v))
        return;
    char key[KEY_MAX], gen[KEY_MAX], keep[24];
    keys(kind, id, key, gen);
    snprintf(keep, sizeof keep, "%llu",
             (unsigned long long)(c->opts.ttl_ms ? c->opts.ttl_ms * 10 : 3600000));
    const char *argv[] = {"EVAL", INVALIDATE, "2", key, gen, keep};
    cache_valkey_command_argv(c->v, c->opts.timeout_ms, 6, argv, NULL, on_stored, NULL);
}

/* ---- blocking invalidation (start-up repair) ---- */

static redisContext *connect_blocking(const cache_valkey_addr_t *addr, uint64_t timeout_ms)
{
    struct timeval tv = {(time_t)(timeout_ms / 1000), (suseconds_t)(timeout_ms % 1000) * 1000};
    redisContext *ctx = redisConnectWithTimeout(addr->host, addr->port, tv);
    if (!ctx || ctx->err) {
        if (ctx)
            redisFree(ctx);
        return NULL;
    }
    redisSetTimeout(ctx, tv);
    redisReply *r = NULL;
    if (addr->password[0])
        r = addr->username[0] ? redisCommand(ctx, "AUTH %s %s", addr->username, addr->password)
                              : redisCommand(ctx, "AUTH %s", addr->password);
    bool ok = !addr->password[0] || (r && r->type != REDIS_REPLY_ERROR);
    freeReplyObject(r);
    if (ok && addr->db) {
        r = redisCommand(ctx, "SELECT %d", addr->db);
        ok = r && r->type != REDIS_REPLY_ERROR;
        freeReplyObject(r);
    }
    if (!ok) {
        redisFree(ctx);
        return NULL;
    }
    return ctx;
}

int cache_entity_invalidate_blocking(const cache_valkey_addr_t *addr, uint64_t timeout_ms,
                                     uint64_t ttl_ms, const char *kind, const char *const *ids,
                                     size_t n)
{
    if (n == 0)
        return FACET_OK;
    redisContext *ctx = connect_blocking(addr, timeout_ms);
    if (!ctx)
        return FACET_EIO;
    char keep[24];
    snprintf(keep, sizeof keep, "%llu", (unsigned long long)(ttl_ms ? ttl_ms * 10 : 3600000));
    int rc = FACET_OK;
    for (size_t i = 0; i < n && rc == FACET_OK; i++) {
        char key[KEY_MAX], gen[KEY_MAX];
        keys(kind, ids[i], key, gen);
        redisReply *r = redisCommand(ctx, "EVAL %s 2 %s %s %s", INVALIDATE, key, gen, keep);
        if (!r || r->type == REDIS_REPLY_ERROR)
            rc = FACET_EIO;
        freeReplyObject(r);
    }
    redisFree(ctx);
    return rc;
}
