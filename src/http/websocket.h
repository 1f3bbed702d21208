/* WebSocket connections (RFC 6455) on the HTTP server: the upgrade
 * handshake from a request handler, messages in and out, keep-alive pings
 * with a deadline for dead peers, the close handshake, and a bound on
 * unsent bytes so a slow reader cannot grow memory. A WebSocket lives on its
 * worker's loop; only that thread may use it. */
#ifndef FACET_HTTP_WEBSOCKET_H
#define FACET_HTTP_WEBSOCKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/server.h"
#include "http/ws_frame.h"

typedef struct http_ws http_ws_t;

typedef struct http_ws_handler {
    /* A complete text or binary message; data is valid during the call. */
    void (*on_message)(http_ws_t *ws, const char *data, size_t len, bool binary);
    /* The connection is closing (either side, an error, or shutdown). The
     * WebSocket must not be used after this returns; free state here. */
    void (*on_close)(http_ws_t *ws, int code);
} http_ws_handler_t;

typedef struct http_ws_limits {
    size_t max_frame;          /* payload bytes in one frame (1009 past it) */
    size_t max_message;        /* bytes of a reassembled message (1009) */
    size_t max_buffered;       /* unsent bytes before the peer counts as too slow */
    uint64_t ping_interval_ms; /* a ping this often; no pong by the next one: closed */
} http_ws_limits_t;

/* Close code and reason used when a peer does not read fast enough. */
#define HTTP_WS_SLOW_CONSUMER_CODE 1008
#define HTTP_WS_SLOW_CONSUMER      "slow consumer: too many unsent bytes"

/* Upgrades the request. protocol, when not NULL, is chosen if the client
 * offers it in Sec-WebSocket-Protocol; *chosen says whether it was. On
 * success the request is answered (101) and released, and the WebSocket is
 * returned; ud is handed back by http_ws_data. When the request is not a
 * valid upgrade it is answered with 400 (or 426 for another version) and
 * FACET_EINVAL is returned: the handler must not touch req afterwards. */
int http_ws_upgrade(http_request_t *req, const char *protocol, const http_ws_handler_t *handler,
                    const http_ws_limits_t *limits, void *ud, http_ws_t **out, bool *chosen);

void *http_ws_data(const http_ws_t *ws);
void http_ws_set_data(http_ws_t *ws, void *ud);
http_worker_t *http_ws_worker(const http_ws_t *ws);

/* Queues a text message. Returns FACET_ECLOSED once closing. When the unsent
 * bytes would pass max_buffered, the connection is closed with
 * HTTP_WS_SLOW_CONSUMER_CODE and FACET_ELIMIT is returned. */
int http_ws_send_text(http_ws_t *ws, const char *data, size_t len);

/* Starts the close handshake with code and reason; on_close follows once
 * the connection is closed. Calling it again does nothing. */
void http_ws_close(http_ws_t *ws, int code, const char *reason);

#endif
