/* Building responses: status line, standard headers, the cached Date, the
 * request log line. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "core/log.h"
#include "http/internal.h"

const char *http_status_reason(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 101:
        return "Switching Protocols";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 206:
        return "Partial Content";
    case 301:
        return "Moved Permanently";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 406:
        return "Not Acceptable";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 413:
        return "Content Too Large";
    case 414:
        return "URI Too Long";
    case 415:
        return "Unsupported Media Type";
    case 416:
        return "Range Not Satisfiable";
    case 417:
        return "Expectation Failed";
    case 422:
        return "Unprocessable Content";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Unknown";
    }
}

/* Default messages for the statuses the server produces on its own. */
static const char *default_message(int status)
{
    switch (status) {
    case 400:
        return "malformed request";
    case 408:
        return "the request did not arrive in time";
    case 413:
        return "the request body is too large";
    case 414:
        return "the request line is too long";
    case 417:
        return "unsupported expectation";
    case 431:
        return "the request header fields are too large";
    case 501:
        return "unsupported transfer coding";
    case 505:
        return "unsupported HTTP version";
    default:
        return http_status_reason(status);
    }
}

void http__update_date(http_worker_t *w)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(w->date, sizeof w->date, "Date: %a, %d %b %Y %H:%M:%S GMT\r\n", &tm);
}

int http__write_head(facet_buf_t *out, const http_worker_t *w, int status, const char *content_type,
                     size_t len, const char *request_id, bool keep_alive, const facet_buf_t *extra)
{
    int rc = facet_buf_printf(out, "HTTP/1.1 %d %s\r\nServer: facet\r\n%s", status,
                              http_status_reason(status), w->date);
    if (rc == FACET_OK && content_type)
        rc = facet_buf_printf(out, "Content-Type: %s\r\n", content_type);
    if (rc == FACET_OK)
        rc = facet_buf_printf(out, "Content-Length: %zu\r\n", len);
    if (rc == FACET_OK && request_id && *request_id)
        rc = facet_buf_printf(out, "X-Request-Id: %s\r\n", request_id);
    if (rc == FACET_OK)
        rc = facet_buf_append_str(out, keep_alive ? "Connection: keep-alive\r\n"
                                                  : "Connection: close\r\n");
    if (rc == FACET_OK && extra && extra->len)
        rc = facet_buf_append(out, extra->base, extra->len);
    if (rc == FACET_OK)
        rc = facet_buf_append(out, "\r\n", 2);
    return rc;
}

/* One "request" log line. The fields come from the request when there is
 * one; an answer given before any handler ran passes its own id and "-". */
static void log_line(const http_conn_t *c, const char *id, facet_str_t method, facet_str_t path,
                     uint64_t start_ns, int status, size_t bytes)
{
    facet_log_line_t line;
    if (!facet_log_begin(&line, FACET_LOG_INFO, "request"))
        return facet_log_end(&line);
    facet_log_cstr(&line, "request_id", id);
    facet_log_str(&line, "method", method);
    facet_log_str(&line, "path", path);
    facet_log_int(&line, "status", status);
    facet_log_int(&line, "bytes", (int64_t)bytes);
    uint64_t us = start_ns ? (uv_hrtime() - start_ns) / 1000 : 0;
    facet_log_int(&line, "duration_us", (int64_t)us);
    facet_log_cstr(&line, "remote", c->remote);
    facet_log_end(&line);
}

void http__log_request(const http_conn_t *c, const http_request_t *r, int status, size_t bytes)
{
    if (r)
        log_line(c, r->id, r->head.method, r->head.path, r->start_ns, status, bytes);
    else
        log_line(c, "", FACET_STR_LIT("-"), FACET_STR_LIT("-"), 0, status, bytes);
}

http_conn_t *http__conn_of(http_request_t *req)
{
    return (http_conn_t *)((char *)req - offsetof(http_conn_t, req));
}

int http_add_header(http_request_t *req, const char *name, const char *value)
{
    return facet_buf_printf(&req->extra, "%s: %s\r\n", name, value);
}

void http_respond(http_request_t *req, int status, const char *content_type, const void *body,
                  size_t len)
{
    http_conn_t *c = http__conn_of(req);
    if (!c->peer_gone) {
        bool keep = !c->close_after;
        size_t before = c->out.len;
        int rc = http__write_head(&c->out, c->worker, status, content_type, len, req->id, keep,
                                  &req->extra);
        if (rc == FACET_OK && !req->is_head && len)
            rc = facet_buf_append(&c->out, body, len);
        if (rc != FACET_OK) {
            c->out.len = before;
            c->close_after = true;
        }
    }
    http__log_request(c, req, status, req->is_head ? 0 : len);
    http__conn_request_done(c);
}

void http_respond_error(http_request_t *req, int status, const char *message)
{
    facet_buf_t body;
    facet_buf_init(&body, 0);
    facet_buf_append_str(&body, "{\"error\":\"");
    facet_buf_append_json_escaped(&body, message, strlen(message));
    facet_buf_append_str(&body, "\"}");
    http_respond(req, status, "application/json", body.base, body.len);
    facet_buf_free(&body);
}

/* Answers a request that never reached a handler (a parse error, a body
 * refused, a timeout) and closes the connection once the answer is written.
 * Once the head was parsed (CONN_BODY) the request has its id, method and
 * path, and the answer and its log line carry them; before that, a fresh id
 * is made for both, so that the X-Request-Id a client sees always leads to
 * the log line. */
void http__respond_simple(http_conn_t *c, int status, const char *message)
{
    char body[256];
    int n = snprintf(body, sizeof body, "{\"error\":\"%s\"}",
                     message ? message : default_message(status));
    const http_request_t *r = c->state == CONN_BODY ? &c->req : NULL;
    char fresh[40];
    if (!r)
        snprintf(fresh, sizeof fresh, "%s%02x%012llx", c->worker->server->id_prefix,
                 (unsigned)(c->worker->index & 0xff), (unsigned long long)++c->worker->next_id);
    const char *id = r ? r->id : fresh;
    c->close_after = true;
    c->state = CONN_HANDLING;
    uv_timer_stop(&c->timer);
    if (http__write_head(&c->out, c->worker, status, "application/json", (size_t)n, id, false,
                         NULL) == FACET_OK)
        facet_buf_append(&c->out, body, (size_t)n);
    if (r)
        http__log_request(c, r, status, (size_t)n);
    else
        log_line(c, fresh, FACET_STR_LIT("-"), FACET_STR_LIT("-"), 0, status, (size_t)n);
    http__conn_flush(c);
}
