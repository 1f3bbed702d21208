/* One client connection: reading, parsing, the request/response cycle with
 * keep-alive and pipelining, timeouts, and writing. */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/log.h"
#include "http/internal.h"

#define READ_CHUNK    65536
#define OUT_HIGH_MARK (1024 * 1024) /* stop reading while this much is unsent */

typedef struct write_req {
    uv_write_t req;
    http_conn_t *conn;
    facet_buf_t data;
} write_req_t;

static void process(http_conn_t *c);

static const http_server_opts_t *opts_of(const http_conn_t *c)
{
    return &c->worker->server->opts;
}

static void free_conn(http_conn_t *c)
{
    http_worker_t *w = c->worker;
    if (c->prev)
        c->prev->next = c->next;
    else
        w->conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    w->nconns--;
    facet_buf_free(&c->in);
    facet_buf_free(&c->out);
    facet_buf_free(&c->req.body);
    facet_buf_free(&c->req.extra);
    http__ws_free(c->ws);
    free(c->headers);
    free(c);
    http__worker_maybe_finish(w);
}

static void on_handle_closed(uv_handle_t *h)
{
    http_conn_t *c = h->data;
    if (--c->open_handles == 0) {
        c->peer_gone = true;
        if (!c->handling)
            free_conn(c);
    }
}

void http__conn_close(http_conn_t *c)
{
    if (c->state == CONN_CLOSING)
        return;
    c->state = CONN_CLOSING;
    if (c->ws)
        http__ws_on_close(c);
    uv_close((uv_handle_t *)&c->tcp, on_handle_closed);
    uv_close((uv_handle_t *)&c->timer, on_handle_closed);
}

static void on_timeout(uv_timer_t *t)
{
    http_conn_t *c = t->data;
    if (c->lingering) {
        http__conn_close(c);
        return;
    }
    if (c->state == CONN_WS) {
        http__ws_on_timer(c);
        return;
    }
    if (c->state == CONN_HEAD || c->state == CONN_BODY) {
        http__respond_simple(c, 408, "the request did not arrive in time");
        return;
    }
    if (c->state == CONN_IDLE)
        http__conn_close(c);
}

void http__conn_arm_timer(http_conn_t *c, uint64_t ms)
{
    uv_timer_start(&c->timer, on_timeout, ms, 0);
}

static void rebase(facet_str_t *s, const char *old, size_t len, char *now)
{
    if (s->base >= old && s->base <= old + len)
        s->base = now + (s->base - old);
}

/* The parsed head's slices point into the input window. When the window
 * moves (realloc), they are moved with it; slices to static strings stay. */
static void rebase_head(http_conn_t *c, const char *old)
{
    http_request_head_t *h = &c->req.head;
    size_t len = c->head_len;
    rebase(&h->method, old, len, c->in.base);
    rebase(&h->target, old, len, c->in.base);
    rebase(&h->path, old, len, c->in.base);
    rebase(&h->query, old, len, c->in.base);
    rebase(&h->host, old, len, c->in.base);
    for (size_t i = 0; i < h->nheaders; i++) {
        rebase(&h->headers[i].name, old, len, c->in.base);
        rebase(&h->headers[i].value, old, len, c->in.base);
    }
}

static void on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
    http_conn_t *c = h->data;
    (void)hint;
    size_t room = c->in.limit - c->in.len;
    size_t want = room < READ_CHUNK ? room : READ_CHUNK;
    const char *old = c->in.base;
    if (want == 0 || facet_buf_reserve(&c->in, want) != FACET_OK) {
        *buf = uv_buf_init(NULL, 0);
        return;
    }
    if (old && old != c->in.base && c->head_len > 0)
        rebase_head(c, old);
    *buf = uv_buf_init(c->in.base + c->in.len, (unsigned)want);
}

static void stop_reading(http_conn_t *c)
{
    if (c->reading) {
        uv_read_stop((uv_stream_t *)&c->tcp);
        c->reading = false;
    }
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf);

static void start_reading(http_conn_t *c)
{
    if (!c->reading && c->state != CONN_CLOSING && !c->close_after && c->out.len < OUT_HIGH_MARK &&
        c->in.len < c->in.limit) {
        if (uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) == 0)
            c->reading = true;
    }
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    http_conn_t *c = s->data;
    (void)buf;
    if (c->lingering) {
        c->in.len = 0;
        if (nread < 0 && nread != UV_ENOBUFS)
            http__conn_close(c);
        return;
    }
    if (nread > 0 && c->state == CONN_WS) {
        c->in.len += (size_t)nread;
        http__ws_on_data(c);
        return;
    }
    if (nread > 0) {
        if (c->state == CONN_IDLE && c->in.len == 0)
            http__conn_arm_timer(c, opts_of(c)->request_timeout_ms);
        c->in.len += (size_t)nread;
        process(c);
        return;
    }
    if (nread == UV_ENOBUFS) {
        /* The input window is full while a request is being handled: wait. */
        stop_reading(c);
        return;
    }
    if (nread < 0) {
        stop_reading(c);
        if (c->handling && c->state != CONN_WS)
            c->close_after = true; /* answer, then close */
        else
            http__conn_close(c);
    }
}

#define LINGER_MS 2000

static void on_shutdown(uv_shutdown_t *req, int status)
{
    http_conn_t *c = req->data;
    free(req);
    c->shutting = false;
    if (c->state == CONN_CLOSING)
        return;
    if (status < 0 || c->peer_gone) {
        http__conn_close(c);
        return;
    }
    c->lingering = true;
    c->in.len = 0;
    uv_timer_start(&c->timer, on_timeout, LINGER_MS, 0);
    if (!c->reading && uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) == 0)
        c->reading = true;
}

/* Closing right after the last write would let the kernel reset the
 * connection if unread input is pending, and the client could lose the
 * answer. So the write side is shut first and input is drained for a while. */
void http__conn_linger_close(http_conn_t *c)
{
    if (c->shutting || c->lingering || c->state == CONN_CLOSING)
        return;
    uv_shutdown_t *req = malloc(sizeof *req);
    if (!req || uv_shutdown(req, (uv_stream_t *)&c->tcp, on_shutdown) != 0) {
        free(req);
        http__conn_close(c);
        return;
    }
    req->data = c;
    c->shutting = true;
}

static void on_write(uv_write_t *req, int status)
{
    write_req_t *wr = (write_req_t *)req;
    http_conn_t *c = wr->conn;
    c->inflight -= wr->data.len;
    facet_buf_free(&wr->data);
    free(wr);
    c->write_pending = false;
    if (status < 0) {
        http__conn_close(c);
        return;
    }
    http__conn_flush(c);
}

void http__conn_flush(http_conn_t *c)
{
    if (c->write_pending || c->state == CONN_CLOSING)
        return;
    if (c->out.len > 0) {
        uv_buf_t b = uv_buf_init(c->out.base, (unsigned)c->out.len);
        int n = uv_try_write((uv_stream_t *)&c->tcp, &b, 1);
        if (n > 0)
            facet_buf_consume(&c->out, (size_t)n);
        else if (n < 0 && n != UV_EAGAIN) {
            http__conn_close(c);
            return;
        }
    }
    if (c->out.len > 0) {
        write_req_t *wr = malloc(sizeof *wr);
        if (!wr) {
            http__conn_close(c);
            return;
        }
        wr->conn = c;
        wr->data = c->out;
        c->inflight += wr->data.len;
        facet_buf_init(&c->out, c->data_limit_out);
        uv_buf_t b = uv_buf_init(wr->data.base, (unsigned)wr->data.len);
        c->write_pending = true;
        uv_write(&wr->req, (uv_stream_t *)&c->tcp, &b, 1, on_write);
        return;
    }
    if (c->close_after && !c->handling) {
        http__conn_linger_close(c);
        return;
    }
    start_reading(c);
}

/* Removes n body bytes that follow the head in the input window. */
static void take_after_head(http_conn_t *c, size_t n)
{
    size_t tail = c->in.len - c->head_len - n;
    memmove(c->in.base + c->head_len, c->in.base + c->head_len + n, tail);
    c->in.len -= n;
}

static void make_request_id(http_conn_t *c)
{
    static const facet_str_t hdr = FACET_STR_LIT("X-Request-Id");
    const http_header_t *h = http_find_header(&c->req.head, hdr);
    if (h && h->value.len > 0 && h->value.len < sizeof c->req.id) {
        bool ok = true;
        for (size_t i = 0; i < h->value.len && ok; i++) {
            char ch = h->value.base[i];
            ok = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                 strchr("-_.:+/=", ch) != NULL;
        }
        if (ok) {
            memcpy(c->req.id, h->value.base, h->value.len);
            c->req.id[h->value.len] = '\0';
            return;
        }
    }
    http_worker_t *w = c->worker;
    snprintf(c->req.id, sizeof c->req.id, "%s%02x%012llx", w->server->id_prefix,
             (unsigned)(w->index & 0xff), (unsigned long long)++w->next_id);
}

static void dispatch(http_conn_t *c)
{
    http_request_t *r = &c->req;
    c->state = CONN_HANDLING;
    c->handling = true;
    uv_timer_stop(&c->timer);
    r->worker = c->worker;
    r->is_head = facet_str_eq(r->head.method, FACET_STR_LIT("HEAD"));
    facet_buf_reset(&r->extra);
    if (!r->head.keep_alive || c->worker->draining)
        c->close_after = true;
    opts_of(c)->handler(r, opts_of(c)->ud);
}

void http__conn_request_done(http_conn_t *c)
{
    c->handling = false;
    if (c->peer_gone) {
        if (c->open_handles == 0)
            free_conn(c);
        return;
    }
    facet_buf_consume(&c->in, c->head_len);
    c->head_len = 0;
    facet_buf_reset(&c->req.body);
    c->sent_continue = false;
    c->state = CONN_IDLE;
    c->served++;
    http__conn_flush(c);
    if (c->state == CONN_CLOSING || c->close_after)
        return;
    http__conn_arm_timer(c, c->in.len > 0 ? opts_of(c)->request_timeout_ms
                                          : opts_of(c)->idle_timeout_ms);
    if (!c->in_process)
        process(c);
}

static void send_continue(http_conn_t *c)
{
    static const char msg[] = "HTTP/1.1 100 Continue\r\n\r\n";
    if (c->req.head.expect_continue && !c->sent_continue) {
        c->sent_continue = true;
        facet_buf_append(&c->out, msg, sizeof msg - 1);
        http__conn_flush(c);
    }
}

/* Returns true when the body is complete, false when more input is needed
 * or an error answer was sent. */
static bool read_body(http_conn_t *c)
{
    http_request_t *r = &c->req;
    size_t avail = c->in.len - c->head_len;
    if (r->head.body_kind == HTTP_BODY_LENGTH) {
        uint64_t need = r->head.content_length - r->body.len;
        size_t n = avail < need ? avail : (size_t)need;
        if (facet_buf_append(&r->body, c->in.base + c->head_len, n) != FACET_OK) {
            http__respond_simple(c, 500, "out of memory");
            return false;
        }
        take_after_head(c, n);
        if (r->body.len == r->head.content_length)
            return true;
    } else {
        size_t used = 0;
        int rc = http_chunked_decode(&c->chunked, c->in.base + c->head_len, avail, &used, &r->body);
        take_after_head(c, used);
        if (rc == FACET_OK)
            return true;
        if (rc == FACET_ELIMIT && http_chunked_body_too_large(&c->chunked)) {
            http__respond_simple(c, 413, "the request body is too large");
            return false;
        }
        if (rc != FACET_EAGAIN) {
            http__respond_simple(c, 400, "malformed chunked body");
            return false;
        }
    }
    send_continue(c);
    return false;
}

static bool read_head(http_conn_t *c)
{
    const http_server_opts_t *o = opts_of(c);
    int status = 400;
    int rc = http_parse_head(c->in.base, c->in.len, &o->limits, c->headers, &c->req.head,
                             &c->head_len, &status);
    if (rc == FACET_EAGAIN) {
        c->state = CONN_HEAD;
        return false;
    }
    if (rc != FACET_OK) {
        c->head_len = 0;
        http__respond_simple(c, status, NULL);
        return false;
    }
    c->req.start_ns = uv_hrtime();
    make_request_id(c);
    if (c->req.head.body_kind == HTTP_BODY_CHUNKED)
        http_chunked_init(&c->chunked, o->limits.max_body_size, o->limits.max_header_size);
    c->state = CONN_BODY;
    return true;
}

static void process(http_conn_t *c)
{
    c->in_process = true;
    while (!c->handling && !c->close_after && c->state != CONN_CLOSING) {
        if (c->state == CONN_IDLE || c->state == CONN_HEAD) {
            if (c->in.len == 0 || !read_head(c))
                break;
        }
        if (c->state == CONN_BODY) {
            if (c->req.head.body_kind != HTTP_BODY_NONE && !read_body(c))
                break;
            dispatch(c);
            if (c->state == CONN_WS)
                break;
        }
    }
    c->in_process = false;
    if (c->state == CONN_WS) {
        http__ws_on_data(c);
        return;
    }
    if (c->handling && c->in.len >= c->in.limit)
        stop_reading(c);
}

/* An idle connection closes now. One whose handler runs closes after its
 * answer. One whose request is still arriving may finish it: dispatch sees
 * the worker draining and marks the answer as the last. */
void http__conn_drain(http_conn_t *c)
{
    if (c->state == CONN_WS) {
        http__ws_drain(c);
        return;
    }
    if (c->state == CONN_IDLE && !c->handling && c->in.len == 0 && !c->write_pending)
        http__conn_close(c);
    else if (c->handling || c->state == CONN_IDLE)
        c->close_after = true;
}

static void describe_peer(http_conn_t *c)
{
    struct sockaddr_storage ss;
    int len = sizeof ss;
    c->remote[0] = '\0';
    if (uv_tcp_getpeername(&c->tcp, (struct sockaddr *)&ss, &len) != 0)
        return;
    if (ss.ss_family == AF_INET6)
        uv_ip6_name((struct sockaddr_in6 *)&ss, c->remote, sizeof c->remote);
    else
        uv_ip4_name((struct sockaddr_in *)&ss, c->remote, sizeof c->remote);
}

static http_conn_t *conn_new(http_worker_t *w)
{
    const http_server_opts_t *o = &w->server->opts;
    http_conn_t *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->headers = calloc(o->limits.max_headers, sizeof *c->headers);
    if (!c->headers) {
        free(c);
        return NULL;
    }
    c->worker = w;
    c->data_limit_out = 0;
    facet_buf_init(&c->in, o->limits.max_header_size + READ_CHUNK);
    facet_buf_init(&c->out, 0);
    facet_buf_init(&c->req.body, o->limits.max_body_size + 1);
    facet_buf_init(&c->req.extra, 16 * 1024);
    uv_tcp_init(&w->loop, &c->tcp);
    uv_timer_init(&w->loop, &c->timer);
    c->tcp.data = c->timer.data = c;
    c->open_handles = 2;
    c->next = w->conns;
    if (w->conns)
        w->conns->prev = c;
    w->conns = c;
    w->nconns++;
    return c;
}

void http__on_connection(uv_stream_t *listener, int status)
{
    http_worker_t *w = listener->data;
    if (status < 0 || w->draining)
        return;
    http_conn_t *c = conn_new(w);
    if (!c)
        return;
    if (uv_accept(listener, (uv_stream_t *)&c->tcp) != 0) {
        http__conn_close(c);
        return;
    }
    uv_tcp_nodelay(&c->tcp, 1);
    describe_peer(c);
    c->req.remote = c->remote;
    c->state = CONN_IDLE;
    http__conn_arm_timer(c, opts_of(c)->request_timeout_ms);
    start_reading(c);
}
