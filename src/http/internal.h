/* Private structures shared by the files of src/http/. */
#ifndef FACET_HTTP_INTERNAL_H
#define FACET_HTTP_INTERNAL_H

#include <stdatomic.h>

#include "http/server.h"

typedef enum conn_state {
    CONN_IDLE,     /* keep-alive, waiting for the first byte of a request */
    CONN_HEAD,     /* part of a head has arrived */
    CONN_BODY,     /* head parsed, body arriving */
    CONN_HANDLING, /* the handler owns the request */
    CONN_WS,       /* upgraded to WebSocket (websocket.c) */
    CONN_CLOSING,  /* uv_close issued */
} conn_state_t;

typedef struct http_ws http_ws_t;

struct http_conn {
    uv_tcp_t tcp;
    uv_timer_t timer;
    http_worker_t *worker;
    http_conn_t *prev, *next; /* the worker's list of connections */
    conn_state_t state;
    facet_buf_t in;  /* bytes read and not yet consumed */
    facet_buf_t out; /* response bytes not yet handed to the kernel */
    size_t head_len; /* bytes of in taken by the current request head */
    http_chunked_t chunked;
    http_header_t *headers; /* storage for limits.max_headers entries */
    http_request_t req;
    bool handling;      /* the handler holds req */
    bool write_pending; /* a uv_write is in flight */
    bool close_after;   /* close once out is flushed */
    bool reading;       /* uv_read_start is in effect */
    bool peer_gone;     /* the socket is closed; req may still be held */
    bool sent_continue; /* 100 Continue already written for this request */
    bool lingering;     /* write side shut; discarding input until EOF */
    bool shutting;      /* uv_shutdown in flight */
    bool in_process;    /* process() is on the stack; do not re-enter it */
    int open_handles;   /* tcp and timer; freed when both are closed */
    size_t data_limit_out;
    uint64_t served; /* requests answered on this connection */
    size_t inflight; /* bytes handed to uv_write and not yet written */
    http_ws_t *ws;   /* set once upgraded */
    char remote[64];
};

struct http_worker {
    http_server_t *server;
    int index;
    uv_loop_t loop;
    uv_tcp_t listener;
    uv_async_t wakeup;      /* carries the shutdown request */
    uv_timer_t drain_timer; /* force-close after the shutdown timeout */
    uv_timer_t date_timer;  /* refreshes the cached Date header */
    uv_thread_t thread;
    int listen_fd;
    bool draining;
    bool listener_closed;
    http_conn_t *conns;
    size_t nconns;
    char date[40]; /* "Date: ...\r\n" for the current second */
    uint64_t next_id;
    void *data;
};

struct http_server {
    http_server_opts_t opts;
    int port;
    int nworkers;
    http_worker_t *workers;
    atomic_bool stopping;
    atomic_int finished; /* workers whose loop has ended */
    char id_prefix[17];  /* random per process, prefixes generated request ids */
};

/* conn.c */
void http__on_connection(uv_stream_t *listener, int status);
void http__conn_close(http_conn_t *c);
void http__conn_drain(http_conn_t *c);
void http__conn_flush(http_conn_t *c);
void http__conn_request_done(http_conn_t *c);
void http__conn_linger_close(http_conn_t *c);
void http__conn_arm_timer(http_conn_t *c, uint64_t ms);
http_conn_t *http__conn_of(http_request_t *req);

/* websocket.c: the connection's WebSocket life once upgraded. */
void http__ws_on_data(http_conn_t *c);
void http__ws_on_timer(http_conn_t *c);
void http__ws_on_close(http_conn_t *c);
void http__ws_drain(http_conn_t *c);
void http__ws_free(http_ws_t *ws);

/* response.c */
void http__update_date(http_worker_t *w);
int http__write_head(facet_buf_t *out, const http_worker_t *w, int status, const char *content_type,
                     size_t len, const char *request_id, bool keep_alive, const facet_buf_t *extra);
void http__respond_simple(http_conn_t *c, int status, const char *message);
void http__log_request(const http_conn_t *c, const http_request_t *r, int status, size_t bytes);

/* server.c */
void http__worker_maybe_finish(http_worker_t *w);

#endif
