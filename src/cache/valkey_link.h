/* The life cycle shared by Facet's Valkey connections (cache/valkey.c and
 * queue/conn.c): a hiredis async context on one libuv loop (attached with
 * cache/hiredis_uv.h) that connects at creation, sends AUTH and SELECT,
 * reconnects with doubling backoff whenever the connection is lost or a
 * connect attempt fails or times out, and logs "dependency unavailable",
 * "dependency lost", "dependency regained" and "dependency misconfigured".
 * What a connection does with the context is its owner's business, told
 * through hooks. Only the loop's own thread may use a link. */
#ifndef FACET_CACHE_VALKEY_LINK_H
#define FACET_CACHE_VALKEY_LINK_H

#include <hiredis/async.h>
#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "cache/valkey.h"

typedef struct cache_valkey_link cache_valkey_link_t;

/* What the owner is told; any hook may be NULL. ud is opts.ud. */
typedef struct cache_valkey_link_hooks {
    /* Right after a (re)connection, inside hiredis' connect callback, with
     * AUTH/SELECT already queued: the owner may queue commands that must
     * precede all others (e.g. load functions, subscribe again). It must not
     * close or drop the link here: hiredis still uses the context after. */
    void (*connected)(cache_valkey_link_t *l, void *ud);
    /* On the loop's next turn after a (re)connection, if the link is still
     * connected: the owner may announce it, and may close or drop it. */
    void (*ready)(cache_valkey_link_t *l, void *ud);
    /* A connection was lost (not for the loss caused by
     * cache_valkey_link_close); a reconnect is already scheduled. */
    void (*lost)(cache_valkey_link_t *l, void *ud);
    /* After cache_valkey_link_close, once hiredis and the timers let go:
     * no hook runs again and the owner may free the link's memory. */
    void (*released)(void *ud);
} cache_valkey_link_hooks_t;

typedef struct cache_valkey_link_opts {
    const cache_valkey_addr_t *addr; /* copied */
    uint64_t connect_timeout_ms;
    /* Names the connection in log lines: "connection": connection when it
     * is not NULL (copied, up to 63 bytes), else "thread": thread. */
    const char *connection;
    int thread;
    bool log_down_ms; /* "dependency regained" says how long it was down */
    cache_valkey_link_hooks_t hooks;
    void *ud;
} cache_valkey_link_opts_t;

/* Embedded in its owner, like a libuv handle; the fields are private to
 * valkey_link.c. */
struct cache_valkey_link {
    uv_loop_t *loop;
    cache_valkey_addr_t addr;
    uint64_t connect_timeout_ms;
    char connection[64];
    int thread;
    bool log_down_ms;
    cache_valkey_link_hooks_t hooks;
    void *ud;
    redisAsyncContext *ac;
    bool connected; /* hiredis reported the connection */
    bool closing;
    bool was_up; /* has ever been connected: a loss is then worth a log line */
    bool down_logged;
    uint64_t down_since_ms;
    uint64_t backoff_ms;
    uv_timer_t retry;   /* reconnect after backoff */
    uv_timer_t connect; /* bounds a connect attempt, then runs the ready hook */
    int open_handles;
};

/* Initialises l, embedded in the owner's memory, and starts connecting;
 * Valkey being down is not an error (the link keeps retrying). The owner's
 * memory must stay valid until the released hook, after
 * cache_valkey_link_close. */
void cache_valkey_link_init(cache_valkey_link_t *l, uv_loop_t *loop,
                            const cache_valkey_link_opts_t *opts);

/* Stops reconnecting and lets the connection go. drain: pending commands
 * get their replies first (redisAsyncDisconnect); otherwise the context is
 * freed at once and every pending callback runs with a NULL reply, possibly
 * before this returns. The loop must keep running until "released". */
void cache_valkey_link_close(cache_valkey_link_t *l, bool drain);

/* Logs "dependency connection reset" with why, frees the context (pending
 * callbacks get NULL) and reconnects after the backoff, e.g. when a
 * blocking command overstays its timeout on a half-open socket. */
void cache_valkey_link_drop(cache_valkey_link_t *l, const char *why);

/* Logs "dependency misconfigured" with "<what> failed: <error>" and
 * disconnects, which schedules a reconnect. For a setup command's error. */
void cache_valkey_link_misconfigured(cache_valkey_link_t *l, const char *what, const char *error);

/* The hiredis context while connected and not closing, else NULL. Borrowed:
 * valid until control returns to the loop or a lost hook runs. Its data
 * field belongs to the link. */
redisAsyncContext *cache_valkey_link_context(const cache_valkey_link_t *l);

uv_loop_t *cache_valkey_link_loop(const cache_valkey_link_t *l);

#endif
