/* The HTTP/1.1 server: N worker threads, each with its own libuv loop, its
 * own SO_REUSEPORT listening socket and its own connections. Requests reach
 * one handler, which answers at once or later on the same loop. */
#ifndef FACET_HTTP_SERVER_H
#define FACET_HTTP_SERVER_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "core/buf.h"
#include "http/http_parser.h"

typedef struct http_server http_server_t;
typedef struct http_worker http_worker_t;
typedef struct http_conn http_conn_t;

/* One request. It lives inside its connection from the end of the head
 * until the handler calls http_respond; after that the handler must not
 * touch it. A client that disconnects meanwhile does not free it. */
typedef struct http_request {
    http_request_head_t head; /* slices borrow from the connection's buffer */
    facet_buf_t body;         /* decoded body */
    http_worker_t *worker;
    char id[72];        /* request id, from X-Request-Id or generated */
    uint64_t start_ns;  /* uv_hrtime() when the head was complete */
    facet_buf_t extra;  /* response headers added by the handler */
    bool is_head;       /* HEAD: the body is computed but not sent */
    const char *remote; /* the peer's address as text ("" if unknown) */
} http_request_t;

typedef void (*http_handler_fn)(http_request_t *req, void *ud);
/* Runs on the worker's thread before its loop starts (init) and after every
 * connection is closed (fini), so per-loop state can be created there. A
 * non-zero return from init stops the server from starting. */
typedef int (*http_worker_init_fn)(http_worker_t *w, void *ud);
typedef void (*http_worker_fini_fn)(http_worker_t *w, void *ud);

typedef struct http_server_opts {
    const char *host;
    int port;
    int threads;
    http_limits_t limits;
    uint64_t request_timeout_ms;
    uint64_t idle_timeout_ms;
    uint64_t shutdown_timeout_ms;
    http_handler_fn handler;
    http_worker_init_fn worker_init;
    http_worker_fini_fn worker_fini;
    void *ud;
} http_server_opts_t;

/* Binds every worker's socket and starts the threads. Returns FACET_EIO with
 * a message in err (e.g. the port is taken) and starts nothing on failure.
 * The caller frees the server with http_server_free after http_server_join. */
int http_server_start(const http_server_opts_t *opts, http_server_t **out, char *err,
                      size_t errlen);

/* Asks every worker to drain: stop accepting, finish in-flight requests
 * (closing keep-alive connections after their response), and force-close
 * whatever remains after the shutdown timeout. Safe from any thread. */
void http_server_shutdown(http_server_t *s);

/* True once every worker's loop has ended (after a shutdown). */
bool http_server_stopped(const http_server_t *s);

/* Waits for every worker thread to end. */
void http_server_join(http_server_t *s);
void http_server_free(http_server_t *s);

/* The port actually bound (useful when the requested port was 0). */
int http_server_port(const http_server_t *s);

/* Per-worker accessors, valid on the worker's own thread. */
uv_loop_t *http_worker_loop(http_worker_t *w);
int http_worker_index(const http_worker_t *w);
bool http_worker_draining(const http_worker_t *w);
void *http_worker_data(http_worker_t *w);
void http_worker_set_data(http_worker_t *w, void *data);

/* Adds "Name: value\r\n" to the response. The caller guarantees that name
 * and value contain no CR or LF. */
int http_add_header(http_request_t *req, const char *name, const char *value);

/* Sends the response and releases the request. body may be NULL when len is
 * 0; it is copied, so it may be freed right after the call. Logs one request
 * line. */
void http_respond(http_request_t *req, int status, const char *content_type, const void *body,
                  size_t len);

/* Answers with {"error": message} as application/json. */
void http_respond_error(http_request_t *req, int status, const char *message);

/* The standard reason phrase for a status code. */
const char *http_status_reason(int status);

#endif
