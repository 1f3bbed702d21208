/* Fixed-window attempt counters with lockout, decided by one Lua script in
 * Valkey (see ratelimit.h). */
#include "cache/ratelimit.h"

#include <inttypes.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

/* KEYS[1] counter; ARGV limit, window_ms, lockout_ms. Returns {allowed,
 * remaining, retry_after_ms}. A counter found without a time to live (left
 * by some other writer) gets the window's, so no key can lock forever. */
static const char script[] = "local n = redis.call('INCR', KEYS[1])\n"
                             "local limit = tonumber(ARGV[1])\n"
                             "local ttl = redis.call('PTTL', KEYS[1])\n"
                             "if n == 1 or ttl < 0 then\n"
                             "  redis.call('PEXPIRE', KEYS[1], ARGV[2])\n"
                             "  ttl = tonumber(ARGV[2])\n"
                             "end\n"
                             "if n <= limit then\n"
                             "  return {1, limit - n, 0}\n"
                             "end\n"
                             "local lockout = tonumber(ARGV[3])\n"
                             "if n == limit + 1 and lockout > ttl then\n"
                             "  redis.call('PEXPIRE', KEYS[1], ARGV[3])\n"
                             "  ttl = lockout\n"
                             "end\n"
                             "return {0, 0, ttl}\n";

static char script_sha[41];
static pthread_once_t sha_once = PTHREAD_ONCE_INIT;

static void compute_sha(void)
{
    unsigned char md[20];
    unsigned int n = 0;
    if (EVP_Digest(script, sizeof script - 1, md, &n, EVP_sha1(), NULL) != 1 || n != 20)
        return; /* script_sha stays empty: every call uses EVAL */
    for (int i = 0; i < 20; i++)
        snprintf(script_sha + 2 * i, 3, "%02x", md[i]);
}

typedef struct req {
    cache_valkey_t *v;
    cache_ratelimit_cb cb;
    cache_ratelimit_reset_cb reset_cb;
    void *ud;
    uint64_t deadline_ns; /* uv_hrtime() */
    bool fallback;        /* EVAL sent after a NOSCRIPT */
    char limit[24], window[24], lockout[24];
    size_t key_len;
    char key[]; /* key_len bytes */
} req_t;

static int send_script(req_t *r, bool eval);

static uint64_t remaining_ms(const req_t *r)
{
    uint64_t now = uv_hrtime();
    return now >= r->deadline_ns ? 0 : (r->deadline_ns - now + 999999) / 1000000;
}

static void finish(req_t *r, int status, const cache_ratelimit_result_t *res)
{
    r->cb(status, res, r->ud);
    free(r);
}

static bool is_noscript(const redisReply *reply)
{
    return reply && reply->type == REDIS_REPLY_ERROR && reply->str &&
           strncmp(reply->str, "NOSCRIPT", 8) == 0;
}

static void on_script(int status, const redisReply *reply, void *ud)
{
    req_t *r = ud;
    if (status == FACET_EIO && is_noscript(reply) && !r->fallback) {
        /* The server lost its script cache (restart, SCRIPT FLUSH): EVAL
         * sends the text, which also caches it again. */
        r->fallback = true;
        if (remaining_ms(r) == 0) {
            finish(r, FACET_ETIMEDOUT, NULL);
            return;
        }
        if (send_script(r, true) != FACET_OK)
            finish(r, FACET_EIO, NULL);
        return;
    }
    if (status != FACET_OK) {
        finish(r, status, NULL);
        return;
    }
    if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 3 ||
        reply->element[0]->type != REDIS_REPLY_INTEGER ||
        reply->element[1]->type != REDIS_REPLY_INTEGER ||
        reply->element[2]->type != REDIS_REPLY_INTEGER) {
        finish(r, FACET_EIO, NULL);
        return;
    }
    long long remaining = reply->element[1]->integer, retry = reply->element[2]->integer;
    cache_ratelimit_result_t res = {
        .allowed = reply->element[0]->integer == 1,
        .remaining = remaining < 0            ? 0
                     : remaining > UINT32_MAX ? UINT32_MAX
                                              : (uint32_t)remaining,
        .retry_after_ms = retry < 0 ? 0 : (uint64_t)retry,
    };
    finish(r, FACET_OK, &res);
}

static int send_script(req_t *r, bool eval)
{
    const char *argv[7] = {eval ? "EVAL" : "EVALSHA",
                           eval ? script : script_sha,
                           "1",
                           r->key,
                           r->limit,
                           r->window,
                           r->lockout};
    size_t lens[7] = {strlen(argv[0]),   strlen(argv[1]),   1, r->key_len, strlen(r->limit),
                      strlen(r->window), strlen(r->lockout)};
    return cache_valkey_command_argv(r->v, remaining_ms(r), 7, argv, lens, on_script, r);
}

static req_t *new_req(cache_valkey_t *v, facet_str_t key, uint64_t timeout_ms, void *ud)
{
    req_t *r = calloc(1, sizeof *r + key.len);
    if (!r)
        return NULL;
    r->v = v;
    r->ud = ud;
    r->deadline_ns = uv_hrtime() + (timeout_ms ? timeout_ms : CACHE_RATELIMIT_TIMEOUT_DEFAULT) *
                                       UINT64_C(1000000);
    r->key_len = key.len;
    memcpy(r->key, key.base, key.len);
    return r;
}

static bool key_ok(facet_str_t key)
{
    return key.base && key.len > 0 && key.len <= CACHE_RATELIMIT_KEY_MAX;
}

int cache_ratelimit_hit(cache_valkey_t *v, facet_str_t key, const cache_ratelimit_opts_t *o,
                        cache_ratelimit_cb cb, void *ud)
{
    /* Lua numbers are doubles: keep every argument exact in one. */
    const uint64_t max = UINT64_C(1) << 50;
    if (!key_ok(key) || !cb || o->limit < 1 || o->window_ms < 1 || o->window_ms > max ||
        o->lockout_ms > max || o->timeout_ms > max)
        return FACET_EINVAL;
    pthread_once(&sha_once, compute_sha);
    req_t *r = new_req(v, key, o->timeout_ms, ud);
    if (!r)
        return FACET_ENOMEM;
    r->cb = cb;
    snprintf(r->limit, sizeof r->limit, "%" PRIu32, o->limit);
    snprintf(r->window, sizeof r->window, "%" PRIu64, o->window_ms);
    snprintf(r->lockout, sizeof r->lockout, "%" PRIu64, o->lockout_ms);
    int rc = send_script(r, script_sha[0] == '\0');
    if (rc != FACET_OK)
        free(r);
    return rc;
}

static void on_del(int status, const redisReply *reply, void *ud)
{
    req_t *r = ud;
    if (r->reset_cb)
        r->reset_cb(status, r->ud);
    free(r);
}

int cache_ratelimit_reset(cache_valkey_t *v, facet_str_t key, uint64_t timeout_ms,
                          cache_ratelimit_reset_cb cb, void *ud)
{
    if (!key_ok(key) || timeout_ms > (UINT64_C(1) << 50))
        return FACET_EINVAL;
    req_t *r = new_req(v, key, timeout_ms, ud);
    if (!r)
        return FACET_ENOMEM;
    r->reset_cb = cb;
    const char *argv[2] = {"DEL", r->key};
    size_t lens[2] = {3, r->key_len};
    int rc = cache_valkey_command_argv(v, remaining_ms(r), 2, argv, lens, on_del, r);
    if (rc != FACET_OK)
        free(r);
    return rc;
}

int cache_ratelimit_key(facet_buf_t *out, const char *bucket, facet_str_t id, bool hash_id)
{
    size_t start = out->len;
    int rc = facet_buf_printf(out, "facet:rl:%s:", bucket);
    if (rc == FACET_OK && !hash_id) {
        rc = facet_buf_append(out, id.base, id.len);
    } else if (rc == FACET_OK) {
        unsigned char md[32];
        unsigned int n = 0;
        char hex[65];
        if (EVP_Digest(id.len ? id.base : "", id.len, md, &n, EVP_sha256(), NULL) != 1) {
            rc = FACET_EIO;
        } else {
            for (unsigned int i = 0; i < n; i++)
                snprintf(hex + 2 * i, 3, "%02x", md[i]);
            rc = facet_buf_append(out, hex, 2 * n);
        }
    }
    if (rc != FACET_OK)
        out->len = start;
    return rc;
}
