/* One asynchronous Valkey connection per event loop (hiredis on libuv). It
 * connects at creation, reconnects with backoff whenever the connection is
 * lost, and logs each loss and recovery. Only the loop's own thread may use
 * it. */
#ifndef FACET_CACHE_VALKEY_H
#define FACET_CACHE_VALKEY_H

#include <hiredis/hiredis.h>
#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

typedef struct cache_valkey_addr {
    char host[256];
    int port;
    char username[128];
    char password[256];
    int db;
} cache_valkey_addr_t;

/* Parses redis://[[user]:password@]host[:port][/db] (also valkey://).
 * rediss:// is refused: this build speaks plain TCP only. On error returns
 * FACET_EINVAL with a message naming VALKEY_URL in err. */
int cache_valkey_parse_url(const char *url, cache_valkey_addr_t *out, char *err, size_t errlen);

typedef struct cache_valkey cache_valkey_t;

/* Creates the client and starts connecting; a Valkey that is down is not an
 * error (the client keeps retrying). addr is copied. index names the loop in
 * log lines. The client is freed by cache_valkey_close. */
int cache_valkey_new(uv_loop_t *loop, const cache_valkey_addr_t *addr, int index,
                     uint64_t connect_timeout_ms, cache_valkey_t **out);

/* Stops reconnecting, disconnects and frees the client once its handles are
 * closed (the loop must keep running until then). */
void cache_valkey_close(cache_valkey_t *v);

bool cache_valkey_connected(const cache_valkey_t *v);

/* status is FACET_OK when PONG arrived in time, FACET_ETIMEDOUT, or
 * FACET_EIO (the connection failed or Valkey answered an error). */
typedef void (*cache_valkey_ping_cb)(int status, void *ud);

/* Sends PING. Returns FACET_ECLOSED without calling cb when not connected;
 * otherwise cb is called exactly once on the loop. */
int cache_valkey_ping(cache_valkey_t *v, uint64_t timeout_ms, cache_valkey_ping_cb cb, void *ud);

/* status is FACET_OK with the reply, FACET_EIO (reply is the error reply,
 * or NULL when the connection was lost), or FACET_ETIMEDOUT (reply NULL).
 * The reply is valid only during the callback. */
typedef void (*cache_valkey_reply_cb)(int status, const redisReply *reply, void *ud);

/* Sends one command (argvlen NULL: NUL-terminated arguments). Returns
 * FACET_ECLOSED without calling cb when not connected; otherwise cb runs
 * exactly once on the loop, within timeout_ms. */
int cache_valkey_command_argv(cache_valkey_t *v, uint64_t timeout_ms, int argc, const char **argv,
                              const size_t *argvlen, cache_valkey_reply_cb cb, void *ud);

/* Called after every successful (re)connection, e.g. to subscribe again. */
typedef void (*cache_valkey_connect_cb)(cache_valkey_t *v, void *ud);
void cache_valkey_on_connect(cache_valkey_t *v, cache_valkey_connect_cb cb, void *ud);

/* Pub/sub. A connection that subscribes may send nothing but (UN)SUBSCRIBE
 * afterwards, so subscribers use a Valkey connection of their own. cb gets
 * every message published on channel until cache_valkey_unsubscribe or
 * the connection is lost (the caller subscribes again from its on_connect
 * callback). Returns FACET_ECLOSED when not connected. */
typedef void (*cache_valkey_message_cb)(const char *channel, size_t channel_len, const char *data,
                                        size_t len, void *ud);
int cache_valkey_subscribe(cache_valkey_t *v, const char *channel, cache_valkey_message_cb cb,
                           void *ud);
int cache_valkey_unsubscribe(cache_valkey_t *v, const char *channel);

#endif
