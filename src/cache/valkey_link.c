/* A reconnecting hiredis async connection on libuv, shared by the cache's
 * and the queue's Valkey connections (see valkey_link.h). */
#include "cache/valkey_link.h"

#include <stdio.h>

#include "cache/hiredis_uv.h"
#include "core/error.h"
#include "core/log.h"

#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 5000

static void start_connect(cache_valkey_link_t *l);

static void log_dep(cache_valkey_link_t *l, facet_log_level_t level, const char *msg,
                    const char *err)
{
    facet_log_line_t line;
    if (facet_log_begin(&line, level, msg)) {
        facet_log_cstr(&line, "dependency", "valkey");
        if (l->connection[0])
            facet_log_cstr(&line, "connection", l->connection);
        else
            facet_log_int(&line, "thread", l->thread);
        if (err)
            facet_log_cstr(&line, "error", err);
        if (l->log_down_ms && l->down_since_ms && !err)
            facet_log_int(&line, "down_ms", (int64_t)(uv_now(l->loop) - l->down_since_ms));
    }
    facet_log_end(&line);
}

static void on_retry(uv_timer_t *t)
{
    start_connect(t->data);
}

static void schedule_retry(cache_valkey_link_t *l, const char *why)
{
    if (l->closing)
        return;
    if (!l->down_since_ms)
        l->down_since_ms = uv_now(l->loop);
    if (!l->down_logged) {
        l->down_logged = true;
        log_dep(l, FACET_LOG_WARN, l->was_up ? "dependency lost" : "dependency unavailable", why);
    }
    uv_timer_start(&l->retry, on_retry, l->backoff_ms, 0);
    l->backoff_ms = l->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : l->backoff_ms * 2;
}

void cache_valkey_link_misconfigured(cache_valkey_link_t *l, const char *what, const char *error)
{
    char msg[300];
    snprintf(msg, sizeof msg, "%s failed: %.200s", what, error);
    log_dep(l, FACET_LOG_ERROR, "dependency misconfigured", msg);
    if (l->ac)
        redisAsyncDisconnect(l->ac);
}

static void on_setup_reply(redisAsyncContext *ac, void *r, void *priv)
{
    redisReply *reply = r;
    if (reply && reply->type == REDIS_REPLY_ERROR)
        cache_valkey_link_misconfigured(ac->data, priv, reply->str);
}

/* Runs the ready hook from the connect timer rather than from hiredis'
 * connect callback, because the owner may close the link there and hiredis
 * still uses the context after its connect callback returns. */
static void on_ready(uv_timer_t *t)
{
    cache_valkey_link_t *l = t->data;
    if (l->connected && !l->closing && l->hooks.ready)
        l->hooks.ready(l, l->ud);
}

static void send_auth(cache_valkey_link_t *l, redisAsyncContext *ac)
{
    const cache_valkey_addr_t *a = &l->addr;
    if (a->password[0] && a->username[0])
        redisAsyncCommand(ac, on_setup_reply, "AUTH", "AUTH %s %s", a->username, a->password);
    else if (a->password[0])
        redisAsyncCommand(ac, on_setup_reply, "AUTH", "AUTH %s", a->password);
    if (a->db)
        redisAsyncCommand(ac, on_setup_reply, "SELECT", "SELECT %d", a->db);
}

static void on_connect(const redisAsyncContext *ac, int status)
{
    cache_valkey_link_t *l = ac->data;
    uv_timer_stop(&l->connect);
    if (status != REDIS_OK) {
        l->ac = NULL; /* hiredis frees a context that failed to connect */
        schedule_retry(l, ac->errstr);
        return;
    }
    l->connected = true;
    send_auth(l, (redisAsyncContext *)ac);
    l->backoff_ms = BACKOFF_MIN_MS;
    if (l->down_logged)
        log_dep(l, FACET_LOG_INFO, "dependency regained", NULL);
    l->was_up = true;
    l->down_logged = false;
    l->down_since_ms = 0;
    if (l->hooks.connected)
        l->hooks.connected(l, l->ud);
    if (l->hooks.ready)
        uv_timer_start(&l->connect, on_ready, 0, 0);
}

static void maybe_release(cache_valkey_link_t *l)
{
    if (!l->closing || l->open_handles > 0 || l->ac)
        return;
    if (l->hooks.released)
        l->hooks.released(l->ud); /* may free the memory l lives in */
}

static void on_disconnect(const redisAsyncContext *ac, int status)
{
    cache_valkey_link_t *l = ac->data;
    l->ac = NULL;
    l->connected = false;
    if (l->closing) {
        maybe_release(l);
        return;
    }
    schedule_retry(l, status == REDIS_OK ? "connection closed" : ac->errstr);
    if (l->hooks.lost)
        l->hooks.lost(l, l->ud);
}

static void on_connect_timeout(uv_timer_t *t)
{
    cache_valkey_link_t *l = t->data;
    if (l->ac && !l->connected) {
        redisAsyncFree(l->ac); /* never connected: no callbacks */
        l->ac = NULL;
        schedule_retry(l, "connect timed out");
    }
}

static void start_connect(cache_valkey_link_t *l)
{
    if (l->closing || l->ac)
        return;
    redisAsyncContext *ac = redisAsyncConnect(l->addr.host, l->addr.port);
    if (!ac || ac->err) {
        char msg[160];
        snprintf(msg, sizeof msg, "%s", ac ? ac->errstr : "out of memory");
        if (ac)
            redisAsyncFree(ac);
        schedule_retry(l, msg);
        return;
    }
    ac->data = l;
    if (cache__hiredis_attach(ac, l->loop) != FACET_OK) {
        redisAsyncFree(ac);
        schedule_retry(l, "out of memory");
        return;
    }
    redisAsyncSetConnectCallback(ac, on_connect);
    redisAsyncSetDisconnectCallback(ac, on_disconnect);
    l->ac = ac;
    uv_timer_start(&l->connect, on_connect_timeout, l->connect_timeout_ms, 0);
}

void cache_valkey_link_init(cache_valkey_link_t *l, uv_loop_t *loop,
                            const cache_valkey_link_opts_t *opts)
{
    *l = (cache_valkey_link_t){0};
    l->loop = loop;
    l->addr = *opts->addr;
    l->connect_timeout_ms = opts->connect_timeout_ms;
    if (opts->connection)
        snprintf(l->connection, sizeof l->connection, "%s", opts->connection);
    l->thread = opts->thread;
    l->log_down_ms = opts->log_down_ms;
    l->hooks = opts->hooks;
    l->ud = opts->ud;
    l->backoff_ms = BACKOFF_MIN_MS;
    uv_timer_init(loop, &l->retry);
    uv_timer_init(loop, &l->connect);
    l->retry.data = l->connect.data = l;
    l->open_handles = 2;
    start_connect(l);
}

static void on_timer_closed(uv_handle_t *h)
{
    cache_valkey_link_t *l = h->data;
    l->open_handles--;
    maybe_release(l);
}

/* Frees the hiredis context now. A connected context calls on_disconnect
 * (which clears l->ac); one still connecting is freed without callbacks. */
static void free_context(cache_valkey_link_t *l)
{
    if (!l->ac)
        return;
    bool connected = l->connected;
    redisAsyncFree(l->ac);
    if (!connected)
        l->ac = NULL;
}

void cache_valkey_link_close(cache_valkey_link_t *l, bool drain)
{
    if (!l || l->closing)
        return;
    l->closing = true;
    uv_close((uv_handle_t *)&l->retry, on_timer_closed);
    uv_close((uv_handle_t *)&l->connect, on_timer_closed);
    if (drain && l->ac && l->connected)
        redisAsyncDisconnect(l->ac); /* on_disconnect clears l->ac */
    else
        free_context(l);
}

void cache_valkey_link_drop(cache_valkey_link_t *l, const char *why)
{
    if (l->closing || !l->ac)
        return;
    log_dep(l, FACET_LOG_WARN, "dependency connection reset", why);
    free_context(l);
    if (!l->connected && !l->ac && !uv_is_active((uv_handle_t *)&l->retry))
        schedule_retry(l, why);
}

redisAsyncContext *cache_valkey_link_context(const cache_valkey_link_t *l)
{
    return l && l->connected && !l->closing ? l->ac : NULL;
}

uv_loop_t *cache_valkey_link_loop(const cache_valkey_link_t *l)
{
    return l->loop;
}
