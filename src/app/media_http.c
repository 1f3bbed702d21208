/* GET and HEAD /media/<key> for the fs storage. The loop copies what it
 * needs from the request; the thread pool opens the file (never outside
 * the media directory), checks the conditions and reads the bytes; the loop
 * answers. Bodies are read whole into memory, because the HTTP layer sends
 * a response from one buffer: hence APP_MEDIA_MAX_WHOLE and
 * APP_MEDIA_MAX_RANGE. */
#include "app/media_http.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "core/log.h"
#include "media/storage.h"

#define PREFIX     "/media/"
#define HEADER_MAX 1024

typedef struct media_get {
    uv_work_t work;
    http_request_t *req;
    char dir[4200];
    char key[MEDIA_KEY_MAX + 1];
    char if_none_match[HEADER_MAX]; /* "" when absent */
    char range[HEADER_MAX];
    char if_range[HEADER_MAX];
    bool head;
    /* The answer, from the thread pool. */
    int status;
    const char *error;
    const char *content_type;
    char etag[64];
    char last_modified[40];
    uint64_t size, first, last; /* last is inclusive */
    char *body;                 /* NULL for HEAD and bodiless answers */
} media_get_t;

/* ---- Conditions and ranges (RFC 9110, sections 13 and 14) ---- */

/* True when the If-None-Match list names our tag ("*" or a weak or strong
 * match, as the weak comparison of section 13.1.2 allows). */
static bool none_match_hits(const char *list, const char *etag)
{
    size_t elen = strlen(etag);
    for (const char *p = list; *p;) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        const char *start = p;
        while (*p && *p != ',')
            p++;
        const char *end = p;
        while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
            end--;
        if (end - start == 1 && *start == '*')
            return true;
        if (end - start > 2 && start[0] == 'W' && start[1] == '/')
            start += 2;
        if ((size_t)(end - start) == elen && memcmp(start, etag, elen) == 0)
            return true;
    }
    return false;
}

static bool parse_u64(const char *s, size_t len, uint64_t *out)
{
    uint64_t v = 0;
    if (len == 0 || len > 19)
        return false;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    *out = v;
    return true;
}

enum { RANGE_NONE, RANGE_OK, RANGE_UNSATISFIABLE };

/* Parses one "bytes=first-last", "bytes=first-" or "bytes=-suffix" against
 * size. A malformed field, another unit or several ranges are ignored
 * (RANGE_NONE: the whole file is sent), as the RFC allows. */
static int parse_range(const char *v, uint64_t size, uint64_t *first, uint64_t *last)
{
    if (strncasecmp(v, "bytes=", 6) != 0)
        return RANGE_NONE;
    v += 6;
    while (*v == ' ')
        v++;
    size_t len = strlen(v);
    while (len && v[len - 1] == ' ')
        len--;
    const char *dash = memchr(v, '-', len);
    if (!dash || memchr(v, ',', len))
        return RANGE_NONE;
    uint64_t a = 0, b = 0;
    bool has_a = dash > v, has_b = dash + 1 < v + len;
    if ((has_a && !parse_u64(v, (size_t)(dash - v), &a)) ||
        (has_b && !parse_u64(dash + 1, (size_t)(v + len - dash - 1), &b)) || (!has_a && !has_b) ||
        (has_a && has_b && b < a))
        return RANGE_NONE;
    if (!has_a) { /* the last b bytes */
        if (b == 0 || size == 0)
            return RANGE_UNSATISFIABLE;
        *first = b >= size ? 0 : size - b;
        *last = size - 1;
        return RANGE_OK;
    }
    if (a >= size)
        return RANGE_UNSATISFIABLE;
    *first = a;
    *last = has_b && b < size ? b : size - 1;
    return RANGE_OK;
}

/* ---- The thread-pool side ---- */

static int read_span(int fd, uint64_t first, size_t len, char **out)
{
    char *buf = malloc(len ? len : 1);
    if (!buf)
        return FACET_ENOMEM;
    size_t got = 0;
    while (got < len) {
        ssize_t n = pread(fd, buf + got, len - got, (off_t)(first + got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            free(buf);
            return FACET_EIO;
        }
        got += (size_t)n;
    }
    *out = buf;
    return FACET_OK;
}

/* Decides the status and the span to send once the file is open. */
static void decide(media_get_t *m, int fd)
{
    m->status = 200;
    m->first = 0;
    m->last = m->size ? m->size - 1 : 0;
    if (m->if_none_match[0] && none_match_hits(m->if_none_match, m->etag)) {
        m->status = 304;
        return;
    }
    bool ranged = m->range[0] && (!m->if_range[0] || strcmp(m->if_range, m->etag) == 0);
    int r = ranged ? parse_range(m->range, m->size, &m->first, &m->last) : RANGE_NONE;
    if (r == RANGE_UNSATISFIABLE) {
        m->status = 416;
        m->error = "range not satisfiable";
        return;
    }
    if (r == RANGE_OK) {
        m->status = 206;
        if (m->last - m->first >= APP_MEDIA_MAX_RANGE)
            m->last = m->first + APP_MEDIA_MAX_RANGE - 1;
    } else if (m->size > APP_MEDIA_MAX_WHOLE) {
        m->status = 500;
        m->error = "the file is too large to send whole; request it by byte ranges";
        return;
    }
    uint64_t len = m->size ? m->last - m->first + 1 : 0;
    if (!m->head && len && read_span(fd, m->first, (size_t)len, &m->body) != FACET_OK) {
        m->status = 500;
        m->error = "cannot read the file";
    }
}

static void get_work(uv_work_t *w)
{
    media_get_t *m = w->data;
    size_t keylen = strlen(m->key);
    m->content_type = media_content_type_for(m->key, keylen);
    int fd = -1;
    int rc = m->content_type ? media_fs_open(m->dir, m->key, keylen, &fd) : FACET_ENOTFOUND;
    if (rc != FACET_OK) {
        m->status = rc == FACET_ENOTFOUND ? 404 : 500;
        m->error = rc == FACET_ENOTFOUND ? "not found" : "cannot open the file";
        return;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        close(fd);
        m->status = 500;
        m->error = "cannot read the file";
        return;
    }
    m->size = (uint64_t)st.st_size;
    media_fs_etag(fd, m->etag, sizeof m->etag);
    struct tm tm;
    gmtime_r(&st.st_mtim.tv_sec, &tm);
    strftime(m->last_modified, sizeof m->last_modified, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    decide(m, fd);
    close(fd);
}

/* ---- The loop side ---- */

static void answer(media_get_t *m)
{
    http_request_t *req = m->req;
    char range[96];
    if (m->status == 404 || m->status == 500) {
        if (m->status == 500) {
            facet_log_line_t line;
            if (facet_log_begin(&line, FACET_LOG_WARN, "media not served")) {
                facet_log_cstr(&line, "key", m->key);
                facet_log_cstr(&line, "error", m->error);
            }
            facet_log_end(&line);
        }
        http_respond_error(req, m->status, m->error);
        return;
    }
    if (m->status == 416) {
        snprintf(range, sizeof range, "bytes */%llu", (unsigned long long)m->size);
        http_add_header(req, "Content-Range", range);
        http_respond_error(req, 416, m->error);
        return;
    }
    http_add_header(req, "Cache-Control", MEDIA_CACHE_CONTROL_IMMUTABLE);
    http_add_header(req, "ETag", m->etag);
    http_add_header(req, "Last-Modified", m->last_modified);
    if (m->status == 304) {
        /* No body, but Content-Length tells the length a 200 would have
         * (RFC 9110, section 8.6), as for HEAD. */
        req->is_head = true;
        http_respond(req, 304, NULL, NULL, (size_t)m->size);
        return;
    }
    http_add_header(req, "Accept-Ranges", "bytes");
    http_add_header(req, "X-Content-Type-Options", "nosniff");
    if (m->status == 206) {
        snprintf(range, sizeof range, "bytes %llu-%llu/%llu", (unsigned long long)m->first,
                 (unsigned long long)m->last, (unsigned long long)m->size);
        http_add_header(req, "Content-Range", range);
    }
    size_t len = m->size ? (size_t)(m->last - m->first + 1) : 0;
    http_respond(req, m->status, m->content_type, m->body, len);
}

static void get_after(uv_work_t *w, int status)
{
    media_get_t *m = w->data;
    if (status != 0) {
        m->status = 503;
        http_respond_error(m->req, 503, "cancelled");
    } else {
        answer(m);
    }
    free(m->body);
    free(m);
}

/* Copies a header's value into dst; a value that does not fit is dropped
 * (the condition is then ignored, which only costs a full answer). */
static void copy_header(const http_request_t *req, const char *name, char *dst, size_t dstlen)
{
    const http_header_t *h = http_find_header(&req->head, facet_str_c(name));
    dst[0] = '\0';
    if (h && h->value.len < dstlen) {
        memcpy(dst, h->value.base, h->value.len);
        dst[h->value.len] = '\0';
    }
}

static void media_get(http_request_t *req, void *ud)
{
    app_t *app = ud;
    facet_str_t path = req->head.path;
    size_t keylen = path.len - (sizeof PREFIX - 1);
    /* The key is taken as sent: valid keys never need percent-encoding, so
     * an escaped byte (%2e%2e and the like) is simply not a key. */
    if (path.len < sizeof PREFIX - 1 || !media_key_valid(path.base + sizeof PREFIX - 1, keylen)) {
        http_respond_error(req, 404, "not found");
        return;
    }
    media_get_t *m = calloc(1, sizeof *m);
    if (!m) {
        http_respond_error(req, 503, "out of memory");
        return;
    }
    m->req = req;
    m->head = req->is_head;
    m->work.data = m;
    memcpy(m->key, path.base + sizeof PREFIX - 1, keylen);
    int n = snprintf(m->dir, sizeof m->dir, "%s/media", app->cfg->data_dir);
    copy_header(req, "If-None-Match", m->if_none_match, sizeof m->if_none_match);
    copy_header(req, "Range", m->range, sizeof m->range);
    copy_header(req, "If-Range", m->if_range, sizeof m->if_range);
    if (n < 0 || (size_t)n >= sizeof m->dir ||
        uv_queue_work(http_worker_loop(req->worker), &m->work, get_work, get_after) != 0) {
        free(m);
        http_respond_error(req, 503, "cannot schedule the read");
    }
}

int app_media_routes(app_t *app)
{
    return http_router_add(&app->router, "GET", PREFIX "*", media_get, app);
}
