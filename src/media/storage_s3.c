/* The s3 storage provider: PUT, HEAD, GET and DELETE on one bucket over
 * libcurl easy handles, signed with SigV4 (payload hashed, credentials from
 * media/aws_creds), virtual-hosted or path style, on AWS or on any
 * S3-compatible endpoint; and pre-signed PUT URLs. Easy handles are kept in
 * a small pool so connections (and TLS sessions) are reused. */
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"
#include "media/sigv4.h"
#include "media/storage_internal.h"

#define POOL_MAX           8
#define ERRBODY_MAX        4096
#define DEFAULT_CONNECT_MS 3000
#define DEFAULT_TIMEOUT_MS 30000

typedef struct s3_storage {
    media_storage_t base;
    char *bucket, *region;
    char *origin; /* "scheme://host[:port]" requests go to */
    char *host;   /* the Host header: host[:port] */
    char *prefix; /* "/<bucket>" in path style, "" otherwise */
    media_aws_creds_t *creds;
    uint64_t connect_ms, timeout_ms;
    pthread_mutex_t mu;
    CURL *pool[POOL_MAX];
    size_t npool;
} s3_storage_t;

/* One request and what came back. */
typedef struct s3_call {
    const char *method;
    const char *key;
    const char *content_type; /* PUT */
    const char *body;         /* PUT */
    size_t body_len, sent;
    facet_buf_t *out; /* GET: the object's bytes */
    media_object_info_t *info;
    CURL *h;
    long status;
    facet_buf_t errbody; /* a failed request's body, for its S3 error code */
    bool too_large;
} s3_call_t;

/* ---- The handle pool ---- */

static CURL *handle_take(s3_storage_t *s)
{
    pthread_mutex_lock(&s->mu);
    CURL *h = s->npool ? s->pool[--s->npool] : NULL;
    pthread_mutex_unlock(&s->mu);
    if (h)
        curl_easy_reset(h); /* options go; connections and caches stay */
    return h ? h : curl_easy_init();
}

static void handle_give(s3_storage_t *s, CURL *h)
{
    pthread_mutex_lock(&s->mu);
    if (s->npool < POOL_MAX) {
        s->pool[s->npool++] = h;
        h = NULL;
    }
    pthread_mutex_unlock(&s->mu);
    if (h)
        curl_easy_cleanup(h);
}

/* ---- Callbacks ---- */

static size_t on_read(char *dst, size_t size, size_t n, void *ud)
{
    s3_call_t *c = ud;
    size_t want = size * n, left = c->body_len - c->sent;
    size_t k = want < left ? want : left;
    memcpy(dst, c->body + c->sent, k);
    c->sent += k;
    return k;
}

static size_t on_write(char *data, size_t size, size_t n, void *ud)
{
    s3_call_t *c = ud;
    long status = 0;
    curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &status);
    if (status < 200 || status > 299) {
        size_t room = ERRBODY_MAX - c->errbody.len;
        facet_buf_append(&c->errbody, data, size * n < room ? size * n : room);
        return size * n;
    }
    if (!c->out)
        return size * n;
    int rc = facet_buf_append(c->out, data, size * n);
    c->too_large = rc == FACET_ELIMIT;
    return rc == FACET_OK ? size * n : 0;
}

/* Copies a header's trimmed value into dst when its name matches. */
static bool take_header(const char *line, size_t len, const char *name, char *dst, size_t dstlen)
{
    size_t nlen = strlen(name);
    if (len <= nlen || strncasecmp(line, name, nlen) != 0 || line[nlen] != ':')
        return false;
    const char *v = line + nlen + 1;
    const char *end = line + len;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
        end--;
    snprintf(dst, dstlen, "%.*s", (int)(end - v), v);
    return true;
}

static size_t on_header(char *line, size_t size, size_t n, void *ud)
{
    s3_call_t *c = ud;
    size_t len = size * n;
    media_object_info_t *i = c->info;
    char tmp[128];
    if (!i)
        return len;
    if (len > 5 && strncmp(line, "HTTP/", 5) == 0)
        memset(i, 0, sizeof *i); /* a new response (after 100 Continue) */
    else if (take_header(line, len, "content-length", tmp, sizeof tmp))
        i->size = strtoull(tmp, NULL, 10);
    else if (take_header(line, len, "last-modified", tmp, sizeof tmp))
        i->last_modified = curl_getdate(tmp, NULL);
    else if (!take_header(line, len, "content-type", i->content_type, sizeof i->content_type) &&
             !take_header(line, len, "cache-control", i->cache_control, sizeof i->cache_control))
        take_header(line, len, "etag", i->etag, sizeof i->etag);
    return len;
}

/* ---- Requests ---- */

/* The request path: the bucket prefix and the key, encoded once. */
static int object_path(const s3_storage_t *s, const char *key, facet_buf_t *path)
{
    int rc = facet_buf_append_str(path, s->prefix);
    if (rc == FACET_OK)
        rc = facet_buf_append(path, "/", 1);
    if (rc == FACET_OK)
        rc = media_sigv4_uri_encode(path, key, strlen(key), true);
    return rc;
}

static media_sigv4_params_t sign_params(const s3_storage_t *s, const media_sigv4_creds_t *creds)
{
    return (media_sigv4_params_t){
        .creds = creds,
        .region = s->region,
        .service = "s3",
        .time = time(NULL),
        .s3 = true,
        .content_sha256_header = true,
    };
}

/* Signs the call and builds curl's header list: the signed headers, the
 * signer's own, and "Expect:" so a PUT does not wait for 100 Continue. */
static int signed_headers(s3_storage_t *s, s3_call_t *c, const char *path,
                          const media_aws_creds_value_t *creds, struct curl_slist **list, char *err,
                          size_t errlen)
{
    media_sigv4_header_t h[3] = {{"Host", s->host}};
    size_t nh = 1;
    if (c->content_type) {
        h[nh++] = (media_sigv4_header_t){"Content-Type", c->content_type};
        h[nh++] = (media_sigv4_header_t){"Cache-Control", s->base.cache_control};
    }
    media_sigv4_request_t req = {c->method, path, NULL, h, nh, NULL, c->body, c->body_len};
    media_sigv4_params_t p = sign_params(s, &creds->sigv4);
    media_sigv4_result_t r;
    int rc = media_sigv4_sign_headers(&req, &p, &r, err, errlen);
    facet_buf_t line;
    facet_buf_init(&line, 0);
    for (size_t i = 0; rc == FACET_OK && i < nh + r.nadd + 1; i++) {
        const media_sigv4_header_t *x = i < nh ? &h[i] : i < nh + r.nadd ? &r.add[i - nh] : NULL;
        facet_buf_reset(&line);
        rc = x ? facet_buf_printf(&line, "%s: %s", x->name, x->value)
               : facet_buf_append_str(&line, "Expect:");
        if (rc == FACET_OK)
            rc = facet_buf_append(&line, "", 1);
        struct curl_slist *next = rc == FACET_OK ? curl_slist_append(*list, line.base) : NULL;
        if (rc == FACET_OK && !next)
            rc = FACET_ENOMEM;
        if (next)
            *list = next;
    }
    facet_buf_free(&line);
    media_sigv4_result_free(&r);
    return rc;
}

static void set_options(s3_storage_t *s, s3_call_t *c, const char *url, struct curl_slist *hdrs)
{
    CURL *h = c->h;
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)s->connect_ms);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)s->timeout_ms);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, c);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, c);
    if (strcmp(c->method, "PUT") == 0) {
        curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
        curl_easy_setopt(h, CURLOPT_READDATA, c);
        curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)c->body_len);
    } else if (strcmp(c->method, "HEAD") == 0) {
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    } else if (strcmp(c->method, "DELETE") == 0) {
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "DELETE");
    }
}

/* The <Code> of an S3 error body, or "" . */
static void s3_error_code(const facet_buf_t *body, char *out, size_t outlen)
{
    out[0] = '\0';
    if (!body->len)
        return;
    const char *end = body->base + body->len;
    const char *p = memmem(body->base, body->len, "<Code>", 6);
    const char *q = p ? memmem(p + 6, (size_t)(end - p - 6), "</Code>", 7) : NULL;
    if (p && q && q - p - 6 < 64)
        snprintf(out, outlen, "%.*s", (int)(q - p - 6), p + 6);
}

static int status_error(s3_call_t *c, char *err, size_t errlen)
{
    char code[80];
    s3_error_code(&c->errbody, code, sizeof code);
    int rc = c->status == 404 ? FACET_ENOTFOUND : c->status == 403 ? FACET_EPERM : FACET_EIO;
    return facet_errorf(err, errlen, rc, "S3 %s %s: HTTP %ld%s%s", c->method, c->key, c->status,
                        code[0] ? " " : "", code);
}

static int perform(s3_storage_t *s, s3_call_t *c, char *err, size_t errlen)
{
    media_aws_creds_value_t creds;
    int rc = media_aws_creds_get(s->creds, &creds, err, errlen);
    if (rc != FACET_OK)
        return rc;
    facet_buf_t url, path;
    facet_buf_init(&url, 0);
    facet_buf_init(&path, 0);
    struct curl_slist *hdrs = NULL;
    facet_buf_init(&c->errbody, ERRBODY_MAX + 1);
    rc = object_path(s, c->key, &path);
    if (rc == FACET_OK)
        rc = facet_buf_append(&path, "", 1);
    if (rc == FACET_OK)
        rc = signed_headers(s, c, path.base, &creds, &hdrs, err, errlen);
    if (rc == FACET_OK)
        rc = facet_buf_printf(&url, "%s%s", s->origin, path.base);
    if (rc == FACET_OK)
        rc = facet_buf_append(&url, "", 1);
    media_aws_creds_value_free(&creds);
    if (rc == FACET_OK && !(c->h = handle_take(s)))
        rc = FACET_ENOMEM;
    if (rc == FACET_OK) {
        set_options(s, c, url.base, hdrs);
        CURLcode cc = curl_easy_perform(c->h);
        curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &c->status);
        if (cc == CURLE_WRITE_ERROR && c->too_large)
            rc = facet_errorf(err, errlen, FACET_ELIMIT, "S3 object %s is too large", c->key);
        else if (cc != CURLE_OK)
            rc = facet_errorf(err, errlen,
                              cc == CURLE_OPERATION_TIMEDOUT ? FACET_ETIMEDOUT : FACET_EIO,
                              "S3 %s %s: %s", c->method, c->key, curl_easy_strerror(cc));
        else if (c->status < 200 || c->status > 299)
            rc = status_error(c, err, errlen);
        curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, NULL);
        handle_give(s, c->h);
    }
    curl_slist_free_all(hdrs);
    facet_buf_free(&url);
    facet_buf_free(&path);
    facet_buf_free(&c->errbody);
    return rc;
}

/* ---- Operations ---- */

static int s3_put(media_storage_t *base, const char *key, const void *data, size_t len,
                  const char *content_type, char *err, size_t errlen)
{
    s3_call_t c = {
        .method = "PUT", .key = key, .content_type = content_type, .body = data, .body_len = len};
    return perform((s3_storage_t *)base, &c, err, errlen);
}

static int s3_head(media_storage_t *base, const char *key, media_object_info_t *info, char *err,
                   size_t errlen)
{
    s3_call_t c = {.method = "HEAD", .key = key, .info = info};
    return perform((s3_storage_t *)base, &c, err, errlen);
}

static int s3_get(media_storage_t *base, const char *key, facet_buf_t *out,
                  media_object_info_t *info, char *err, size_t errlen)
{
    size_t start = out->len;
    s3_call_t c = {.method = "GET", .key = key, .out = out, .info = info};
    int rc = perform((s3_storage_t *)base, &c, err, errlen);
    if (rc != FACET_OK)
        out->len = start;
    return rc;
}

static int s3_delete(media_storage_t *base, const char *key, char *err, size_t errlen)
{
    s3_call_t c = {.method = "DELETE", .key = key};
    int rc = perform((s3_storage_t *)base, &c, err, errlen);
    return rc == FACET_ENOTFOUND ? FACET_OK : rc;
}

static int s3_presign_put(media_storage_t *base, const char *key, const char *content_type,
                          uint32_t expires, facet_buf_t *url, char *err, size_t errlen)
{
    s3_storage_t *s = (s3_storage_t *)base;
    media_aws_creds_value_t creds;
    int rc = media_aws_creds_get(s->creds, &creds, err, errlen);
    if (rc != FACET_OK)
        return rc;
    facet_buf_t path;
    facet_buf_init(&path, 0);
    rc = object_path(s, key, &path);
    if (rc == FACET_OK)
        rc = facet_buf_append(&path, "", 1);
    media_sigv4_header_t h[2] = {{"Host", s->host}, {"Content-Type", content_type}};
    media_sigv4_request_t req = {
        "PUT", path.base, NULL, h, content_type ? 2 : 1, MEDIA_SIGV4_UNSIGNED_PAYLOAD, NULL, 0};
    media_sigv4_params_t p = sign_params(s, &creds.sigv4);
    media_sigv4_result_t r = {0};
    if (rc == FACET_OK)
        rc = media_sigv4_presign(&req, &p, expires, &r, err, errlen);
    if (rc == FACET_OK)
        rc = facet_buf_printf(url, "%s%s?%s", s->origin, path.base, r.query.base);
    media_sigv4_result_free(&r);
    media_aws_creds_value_free(&creds);
    facet_buf_free(&path);
    return rc;
}

static void s3_free(media_storage_t *base)
{
    s3_storage_t *s = (s3_storage_t *)base;
    for (size_t i = 0; i < s->npool; i++)
        curl_easy_cleanup(s->pool[i]);
    pthread_mutex_destroy(&s->mu);
    free(s->bucket);
    free(s->region);
    free(s->origin);
    free(s->host);
    free(s->prefix);
    free(s);
    curl_global_cleanup();
}

static const media_storage_ops_t s3_ops = {
    .name = "s3",
    .put = s3_put,
    .head = s3_head,
    .get = s3_get,
    .del = s3_delete,
    .presign_put = s3_presign_put,
    .free = s3_free,
};

/* ---- Set-up ---- */

static bool bucket_ok(const char *b)
{
    size_t n = b ? strlen(b) : 0;
    if (n < 3 || n > 63 || strspn(b, "abcdefghijklmnopqrstuvwxyz0123456789.-") != n)
        return false;
    return b[0] != '.' && b[0] != '-' && b[n - 1] != '.' && b[n - 1] != '-' && !strstr(b, "..");
}

/* Splits an endpoint URL into scheme and host[:port]. */
static int parse_endpoint(const char *endpoint, char **scheme, char **hostport, char *err,
                          size_t errlen)
{
    CURLU *u = curl_url();
    char *sch = NULL, *host = NULL, *port = NULL, *path = NULL, *query = NULL, *user = NULL;
    int rc = FACET_OK;
    if (!u)
        return FACET_ENOMEM;
    if (curl_url_set(u, CURLUPART_URL, endpoint, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &sch, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
        (strcmp(sch, "http") != 0 && strcmp(sch, "https") != 0) ||
        curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK ||
        curl_url_get(u, CURLUPART_QUERY, &query, 0) == CURLUE_OK ||
        (curl_url_get(u, CURLUPART_PATH, &path, 0) == CURLUE_OK && strcmp(path, "/") != 0)) {
        rc = facet_errorf(err, errlen, FACET_EINVAL,
                          "FACET_S3_ENDPOINT: expected http(s)://host[:port], got \"%.100s\"",
                          endpoint);
    } else {
        curl_url_get(u, CURLUPART_PORT, &port, 0);
        size_t n = strlen(host) + (port ? strlen(port) + 1 : 0) + 1;
        if ((*hostport = malloc(n)))
            snprintf(*hostport, n, "%s%s%s", host, port ? ":" : "", port ? port : "");
        if (!*hostport || !(*scheme = strdup(sch)))
            rc = FACET_ENOMEM;
    }
    curl_free(sch);
    curl_free(host);
    curl_free(port);
    curl_free(path);
    curl_free(query);
    curl_free(user);
    curl_url_cleanup(u);
    return rc;
}

static char *join3(const char *a, const char *b, const char *c)
{
    size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s%s%s", a, b, c);
    return s;
}

/* Fills origin, host, prefix and the default public URL. */
static int s3_addresses(s3_storage_t *s, const media_storage_opts_t *o, char *err, size_t errlen)
{
    char *scheme = NULL, *hostport = NULL;
    int rc = FACET_OK;
    if (o->endpoint && *o->endpoint) {
        rc = parse_endpoint(o->endpoint, &scheme, &hostport, err, errlen);
    } else {
        scheme = strdup("https");
        hostport = join3("s3.", s->region, ".amazonaws.com");
    }
    if (rc == FACET_OK && (!scheme || !hostport))
        rc = FACET_ENOMEM;
    if (rc == FACET_OK) {
        s->host = o->path_style ? strdup(hostport) : join3(s->bucket, ".", hostport);
        s->prefix = o->path_style ? join3("/", s->bucket, "") : strdup("");
        s->origin = s->host ? join3(scheme, "://", s->host) : NULL;
        s->base.base_url = s->origin && s->prefix ? join3(s->origin, s->prefix, "/") : NULL;
        if (!s->host || !s->prefix || !s->origin || !s->base.base_url)
            rc = FACET_ENOMEM;
    }
    free(scheme);
    free(hostport);
    return rc;
}

int media_storage__s3_new(const media_storage_opts_t *o, media_storage_t **out, char *err,
                          size_t errlen)
{
    const char *region = o->region && *o->region ? o->region : "us-east-1";
    if (!bucket_ok(o->bucket))
        return facet_errorf(err, errlen, FACET_EINVAL, "FACET_S3_BUCKET: %s",
                            o->bucket && *o->bucket ? "not a valid bucket name"
                                                    : "required by the s3 storage");
    if (strspn(region, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(region))
        return facet_errorf(err, errlen, FACET_EINVAL,
                            "FACET_S3_REGION: not a region name: \"%.40s\"", region);
    if (!o->creds)
        return facet_errorf(err, errlen, FACET_EINVAL, "the s3 storage needs AWS credentials");
    s3_storage_t *s = calloc(1, sizeof *s);
    if (!s)
        return FACET_ENOMEM;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    pthread_mutex_init(&s->mu, NULL);
    s->base.ops = &s3_ops;
    s->creds = o->creds;
    s->connect_ms = o->connect_timeout_ms ? o->connect_timeout_ms : DEFAULT_CONNECT_MS;
    s->timeout_ms = o->timeout_ms ? o->timeout_ms : DEFAULT_TIMEOUT_MS;
    s->bucket = strdup(o->bucket);
    s->region = strdup(region);
    int rc = s->bucket && s->region ? s3_addresses(s, o, err, errlen) : FACET_ENOMEM;
    if (rc != FACET_OK) {
        free(s->base.base_url);
        s3_free(&s->base);
        return rc;
    }
    *out = &s->base;
    return FACET_OK;
}
