/* A libuv adapter for hiredis' async contexts, used by every Valkey
 * connection (through cache/valkey_link.c) instead of hiredis' own
 * adapters/libuv.h. That one restarts its uv_poll_t on every
 * command (and each restart costs two epoll_ctl calls) and writes only on the
 * next loop iteration. This one keeps the socket's read interest for the
 * connection's life, writes pending commands from a prepare hook just before
 * the loop next polls (so everything queued in one iteration goes out in one
 * write), and polls for writability only while connecting or when the socket
 * buffer is full. */
#ifndef FACET_CACHE_HIREDIS_UV_H
#define FACET_CACHE_HIREDIS_UV_H

#include <hiredis/async.h>
#include <uv.h>

/* Attaches ac to loop; call before redisAsyncSetConnectCallback. Returns
 * FACET_OK, or FACET_ENOMEM / FACET_EINVAL (already attached). The adapter
 * frees itself when hiredis frees the context. */
int cache__hiredis_attach(redisAsyncContext *ac, uv_loop_t *loop);

#endif
