/* The WebSocket side of a connection: handshake, frames, pings, closing. */
#include "http/websocket.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/log.h"
#include "http/internal.h"

#define CLOSE_WAIT_MS 2000 /* how long we wait for the peer's close frame */

struct http_ws {
    http_conn_t *conn;
    http_ws_handler_t handler;
    http_ws_limits_t limits;
    ws_reader_t reader;
    void *ud;
    bool awaiting_pong;
    bool close_sent;
    bool notified; /* on_close called */
    int close_code;
};

void *http_ws_data(const http_ws_t *ws)
{
    return ws->ud;
}

void http_ws_set_data(http_ws_t *ws, void *ud)
{
    ws->ud = ud;
}

http_worker_t *http_ws_worker(const http_ws_t *ws)
{
    return ws->conn->worker;
}

/* ---- handshake ---- */

static bool header_has_token(const http_request_head_t *h, const char *name, const char *token)
{
    for (size_t i = 0; i < h->nheaders; i++) {
        if (facet_str_ieq(h->headers[i].name, facet_str_c(name)) &&
            facet_str_has_token(h->headers[i].value, facet_str_c(token)))
            return true;
    }
    return false;
}

/* A key is the base64 form of 16 bytes: 22 characters and "==". */
static bool valid_key(facet_str_t k)
{
    if (k.len != 24 || k.base[22] != '=' || k.base[23] != '=')
        return false;
    for (size_t i = 0; i < 22; i++) {
        char c = k.base[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '/'))
            return false;
    }
    return true;
}

static int refuse(http_request_t *req, int status, const char *message)
{
    if (status == 426)
        http_add_header(req, "Sec-WebSocket-Version", "13");
    http_respond_error(req, status, message);
    return FACET_EINVAL;
}

static int check_upgrade(http_request_t *req, facet_str_t *key)
{
    const http_request_head_t *h = &req->head;
    if (!facet_str_eq(h->method, FACET_STR_LIT("GET")) || !h->upgrade ||
        !header_has_token(h, "Upgrade", "websocket"))
        return refuse(req, 400, "a WebSocket upgrade must be a GET with Upgrade: websocket");
    const http_header_t *v = http_find_header(h, FACET_STR_LIT("Sec-WebSocket-Version"));
    if (!v || !facet_str_eq(v->value, FACET_STR_LIT("13")))
        return refuse(req, 426, "only WebSocket version 13 is supported");
    const http_header_t *k = http_find_header(h, FACET_STR_LIT("Sec-WebSocket-Key"));
    if (!k || !valid_key(k->value))
        return refuse(req, 400, "missing or malformed Sec-WebSocket-Key");
    *key = k->value;
    return FACET_OK;
}

static int write_101(http_conn_t *c, facet_str_t key, const char *protocol)
{
    char accept[29];
    ws_accept_key(key.base, key.len, accept);
    int rc = facet_buf_printf(&c->out,
                              "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                              "Connection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n",
                              accept);
    if (!rc && protocol)
        rc = facet_buf_printf(&c->out, "Sec-WebSocket-Protocol: %s\r\n", protocol);
    if (!rc)
        rc = facet_buf_printf(&c->out, "X-Request-Id: %s\r\n\r\n", c->req.id);
    return rc;
}

int http_ws_upgrade(http_request_t *req, const char *protocol, const http_ws_handler_t *handler,
                    const http_ws_limits_t *limits, void *ud, http_ws_t **out, bool *chosen)
{
    facet_str_t key;
    if (check_upgrade(req, &key) != FACET_OK)
        return FACET_EINVAL;
    http_conn_t *c = http__conn_of(req);
    *chosen = protocol && header_has_token(&req->head, "Sec-WebSocket-Protocol", protocol);
    http_ws_t *ws = calloc(1, sizeof *ws);
    if (!ws || write_101(c, key, *chosen ? protocol : NULL) != FACET_OK) {
        free(ws);
        http_respond_error(req, 500, "out of memory");
        return FACET_ENOMEM;
    }
    ws->conn = c;
    ws->handler = *handler;
    ws->limits = *limits;
    ws->ud = ud;
    ws_reader_init(&ws->reader, limits->max_frame, limits->max_message);
    http__log_request(c, req, 101, 0);
    /* The connection leaves HTTP: the head is dropped, what follows it in
     * the input window is already WebSocket data. */
    c->ws = ws;
    c->handling = false;
    c->state = CONN_WS;
    facet_buf_consume(&c->in, c->head_len);
    c->head_len = 0;
    facet_buf_reset(&c->req.body);
    http__conn_arm_timer(c, limits->ping_interval_ms);
    *out = ws;
    http__conn_flush(c);
    /* Inside the parser loop, it hands the leftover bytes over itself. */
    if (!c->in_process && c->in.len > 0)
        http__ws_on_data(c);
    return FACET_OK;
}

/* ---- after the upgrade ---- */

static int queue_frame(http_ws_t *ws, int opcode, const char *data, size_t len)
{
    http_conn_t *c = ws->conn;
    int rc = ws_write_frame(&c->out, opcode, data, len);
    if (rc == FACET_OK)
        http__conn_flush(c);
    return rc;
}

void http_ws_close(http_ws_t *ws, int code, const char *reason)
{
    http_conn_t *c = ws->conn;
    if (ws->close_sent || c->state == CONN_CLOSING)
        return;
    ws->close_sent = true;
    ws->close_code = code;
    if (ws_write_close(&c->out, code, reason) != FACET_OK) {
        http__conn_close(c);
        return;
    }
    http__conn_arm_timer(c, CLOSE_WAIT_MS);
    http__conn_flush(c);
}

int http_ws_send_text(http_ws_t *ws, const char *data, size_t len)
{
    http_conn_t *c = ws->conn;
    if (ws->close_sent || c->state == CONN_CLOSING)
        return FACET_ECLOSED;
    if (len > ws->limits.max_buffered || c->out.len + c->inflight > ws->limits.max_buffered - len) {
        facet_log_line_t line;
        if (facet_log_begin(&line, FACET_LOG_WARN, "websocket closed: slow consumer")) {
            facet_log_cstr(&line, "remote", c->remote);
            facet_log_int(&line, "unsent_bytes", (int64_t)(c->out.len + c->inflight));
        }
        facet_log_end(&line);
        http_ws_close(ws, HTTP_WS_SLOW_CONSUMER_CODE, HTTP_WS_SLOW_CONSUMER);
        return FACET_ELIMIT;
    }
    return queue_frame(ws, WS_OP_TEXT, data, len);
}

/* The peer's close frame: answered with the same code unless we started
 * the handshake, then the connection ends. */
static void on_peer_close(http_ws_t *ws, const ws_event_t *ev)
{
    http_conn_t *c = ws->conn;
    if (!ws->close_sent) {
        int code = ev->close_code == WS_CLOSE_NO_STATUS ? WS_CLOSE_NORMAL : ev->close_code;
        ws->close_sent = true;
        ws->close_code = ev->close_code;
        ws_write_close(&c->out, code, "");
    }
    c->close_after = true;
    http__conn_flush(c);
}

/* The reason sent with the close code the frame reader owes the peer. */
static const char *reader_error_reason(int code)
{
    switch (code) {
    case WS_CLOSE_TOO_BIG:
        return "message too big";
    case WS_CLOSE_INVALID_DATA:
        return "invalid UTF-8";
    default:
        return "protocol error";
    }
}

/* Returns false once the connection is closing. */
static bool handle_event(http_ws_t *ws, const ws_event_t *ev)
{
    switch (ev->kind) {
    case WS_EV_MESSAGE:
        if (!ws->close_sent)
            ws->handler.on_message(ws, ev->data, ev->len, ev->opcode == WS_OP_BINARY);
        break;
    case WS_EV_PING:
        if (!ws->close_sent)
            queue_frame(ws, WS_OP_PONG, ev->data, ev->len);
        break;
    case WS_EV_PONG:
        ws->awaiting_pong = false;
        break;
    case WS_EV_CLOSE:
        on_peer_close(ws, ev);
        return false;
    default:
        break;
    }
    return ws->conn->state == CONN_WS;
}

void http__ws_on_data(http_conn_t *c)
{
    http_ws_t *ws = c->ws;
    size_t at = 0;
    while (c->state == CONN_WS && !c->close_after) {
        ws_event_t ev;
        size_t used = 0;
        int rc = ws_reader_feed(&ws->reader, c->in.base + at, c->in.len - at, &used, &ev);
        at += used;
        if (rc == FACET_EAGAIN)
            break;
        if (rc != FACET_OK) {
            c->close_after = true;
            http_ws_close(ws, ws->reader.error, reader_error_reason(ws->reader.error));
            break;
        }
        if (!handle_event(ws, &ev))
            break;
    }
    if (c->state != CONN_CLOSING) {
        facet_buf_consume(&c->in, at);
        /* An idle socket keeps no input buffer: thousands of subscribers
         * would otherwise hold a read chunk each. The next read allocates. */
        if (c->in.len == 0) {
            size_t limit = c->in.limit;
            facet_buf_free(&c->in);
            facet_buf_init(&c->in, limit);
        }
    }
}

void http__ws_on_timer(http_conn_t *c)
{
    http_ws_t *ws = c->ws;
    if (ws->close_sent || ws->awaiting_pong) {
        /* No close answer in time, or a peer that stopped answering pings. */
        http__conn_close(c);
        return;
    }
    ws->awaiting_pong = true;
    queue_frame(ws, WS_OP_PING, "", 0);
    http__conn_arm_timer(c, ws->limits.ping_interval_ms);
}

void http__ws_on_close(http_conn_t *c)
{
    http_ws_t *ws = c->ws;
    if (ws->notified)
        return;
    ws->notified = true;
    if (ws->handler.on_close)
        ws->handler.on_close(ws, ws->close_code ? ws->close_code : WS_CLOSE_GOING_AWAY);
}

void http__ws_drain(http_conn_t *c)
{
    http_ws_close(c->ws, WS_CLOSE_GOING_AWAY, "server shutting down");
}

void http__ws_free(http_ws_t *ws)
{
    if (!ws)
        return;
    ws_reader_free(&ws->reader);
    free(ws);
}
