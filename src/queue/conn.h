/* A Valkey connection for the queue: hiredis async on one libuv loop, with
 * reconnect and backoff, loss and recovery logged, and FCALL of the queue's
 * functions. The function library is loaded on every (re)connect before any
 * other command, and a "Function not found" reply (someone ran FUNCTION
 * FLUSH, or Valkey restarted empty) reloads it and resends the command once,
 * so callers never see it. Only the loop's thread may use a connection. */
#ifndef FACET_QUEUE_CONN_H
#define FACET_QUEUE_CONN_H

#include <hiredis/hiredis.h>
#include <stdbool.h>
#include <stddef.h>
#include <uv.h>

#include "cache/valkey.h"
#include "queue/keys.h"
#include "queue/scripts.h"

typedef struct queue_conn queue_conn_t;

/* Called on the loop when the connection becomes usable (up) and when an
 * up connection is lost. Not called for the losses of queue_conn_close. */
typedef void (*queue_conn_state_cb)(queue_conn_t *c, bool up, void *ud);

/* A reply, borrowed until the callback returns. reply is NULL when the
 * connection was lost or closed before it came; the command may or may not
 * have run. A Valkey error is a reply of type REDIS_REPLY_ERROR. */
typedef void (*queue_reply_cb)(queue_conn_t *c, redisReply *reply, void *ud);

/* Creates the connection and starts connecting; Valkey being down is not an
 * error. addr is copied; label names the connection in log lines. cb may be
 * NULL. The connection is freed by queue_conn_close. */
int queue_conn_new(uv_loop_t *loop, const cache_valkey_addr_t *addr, const char *label,
                   queue_conn_state_cb cb, void *ud, queue_conn_t **out);

/* Stops reconnecting and disconnects at once: every pending callback runs
 * with a NULL reply, possibly before this returns. Memory is released once
 * the handles are closed (the loop must keep running until then). */
void queue_conn_close(queue_conn_t *c);

bool queue_conn_up(const queue_conn_t *c);
uv_loop_t *queue_conn_loop(const queue_conn_t *c);

/* Drops the connection (pending callbacks get NULL) and reconnects, e.g.
 * when a blocking command overstays its timeout on a half-open socket. */
void queue_conn_drop(queue_conn_t *c, const char *why);

/* Sends a command. Returns FACET_ECLOSED when the connection is not up, and
 * then cb is not called; otherwise cb (which may be NULL) is called exactly
 * once on the loop. argv is copied before this returns. */
int queue_conn_command(queue_conn_t *c, queue_reply_cb cb, void *ud, int argc, const char **argv,
                       const size_t *lens);

/* FCALL of a queue function with the queue's meta key, then ARGV[1] = the
 * key prefix, ARGV[2] = now (ms), then argv. Same contract as
 * queue_conn_command. */
int queue_conn_script(queue_conn_t *c, queue__script_id_t id, const queue__keys_t *keys,
                      int64_t now_ms, int argc, const char **argv, const size_t *lens,
                      queue_reply_cb cb, void *ud);

/* Wall-clock time in ms, the time base of BullMQ's timestamps. */
int64_t queue_now_ms(void);

#endif
