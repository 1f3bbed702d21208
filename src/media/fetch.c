/* URL ingest with libcurl's easy interface under the SSRF policy. Each hop
 * of a redirect chain is its own transfer: its URL is parsed and checked
 * (scheme, literal host) before anything is sent, and every socket curl
 * opens goes through open_socket, which refuses forbidden addresses, so a
 * name resolving to loopback, or rebinding between two lookups, is caught
 * where it matters: at connect time. */
#include "media/fetch.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "core/buf.h"
#include "core/error.h"

#if LIBCURL_VERSION_NUM < 0x075500
#error "libcurl 7.85 or later is needed (CURLOPT_PROTOCOLS_STR)"
#endif

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;

static void curl_init(void)
{
    curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

int media_fetch_global_init(void)
{
    pthread_once(&curl_once, curl_init);
    return curl_init_rc == CURLE_OK ? FACET_OK : FACET_EIO;
}

/* ---- One transfer's state, shared with the callbacks ---- */

typedef struct fetch_ctx {
    const media_ssrf_policy_t *policy;
    uint64_t max_bytes;
    facet_buf_t body;
    long status;            /* of the response being received */
    int64_t content_length; /* -1 when not announced */
    uint64_t discarded;     /* body bytes of a redirect, read and dropped */
    bool forbidden;
    media_addr_class_t why;
    bool too_large;
    bool bad_status;
    bool no_memory;
} fetch_ctx_t;

static bool refuse(fetch_ctx_t *c, const media_addr_t *a)
{
    media_addr_class_t why;
    if (media_ssrf_allowed(c->policy, a, &why))
        return false;
    c->forbidden = true;
    c->why = why;
    return true;
}

/* Every connection curl opens, for every address of every name. */
static curl_socket_t open_socket(void *ud, curlsocktype purpose, struct curl_sockaddr *sa)
{
    fetch_ctx_t *c = ud;
    media_addr_t a;
    if (purpose != CURLSOCKTYPE_IPCXN ||
        media_addr_from_sockaddr(&sa->addr, sa->addrlen, &a) != FACET_OK) {
        c->forbidden = true;
        c->why = MEDIA_ADDR_RESERVED;
        return CURL_SOCKET_BAD;
    }
    if (refuse(c, &a))
        return CURL_SOCKET_BAD;
    return socket(sa->family, sa->socktype | SOCK_CLOEXEC, sa->protocol);
}

/* Checked again before each request, on the connection it will use: a
 * reused connection did not pass open_socket for this transfer. */
static int before_request(void *ud, char *primary_ip, char *local_ip, int primary_port,
                          int local_port)
{
    fetch_ctx_t *c = ud;
    media_addr_t a;
    if (!primary_ip || media_ssrf_parse_host(primary_ip, strlen(primary_ip), &a) != FACET_OK) {
        c->forbidden = true;
        c->why = MEDIA_ADDR_RESERVED;
        return CURL_PREREQFUNC_ABORT;
    }
    return refuse(c, &a) ? CURL_PREREQFUNC_ABORT : CURL_PREREQFUNC_OK;
}

static bool header_is(const char *line, size_t len, const char *name)
{
    size_t n = strlen(name);
    return len > n && line[n] == ':' && strncasecmp(line, name, n) == 0;
}

/* Reads the status line and Content-Length of each response; at the end of
 * a head, refuses a 2xx whose announced size is too large and any status
 * that is neither 2xx nor 3xx, before the body is read. */
static size_t on_header(char *line, size_t size, size_t n, void *ud)
{
    fetch_ctx_t *c = ud;
    size_t len = size * n;
    if (len >= 12 && strncmp(line, "HTTP/", 5) == 0) {
        const char *sp = memchr(line, ' ', len);
        c->status = 0;
        c->content_length = -1;
        for (int i = 1; sp && i <= 3 && sp + i < line + len; i++) {
            if (sp[i] < '0' || sp[i] > '9')
                break;
            c->status = c->status * 10 + (sp[i] - '0');
        }
    } else if (header_is(line, len, "content-length")) {
        char num[32];
        size_t vlen = len - 15;
        if (vlen < sizeof num) {
            memcpy(num, line + 15, vlen);
            num[vlen] = '\0';
            char *end;
            long long v = strtoll(num, &end, 10);
            if (end != num && v >= 0)
                c->content_length = v;
        }
    } else if ((len == 2 && line[0] == '\r') || (len == 1 && line[0] == '\n')) {
        if (c->status >= 100 && c->status < 200)
            return len; /* an interim response; the real head follows */
        if (c->status >= 200 && c->status < 300) {
            if (c->content_length > 0 && (uint64_t)c->content_length > c->max_bytes) {
                c->too_large = true;
                return 0;
            }
            if (c->content_length > 0 && facet_buf_reserve(&c->body, c->content_length) != 0) {
                c->no_memory = true;
                return 0;
            }
        } else if (c->status < 300 || c->status >= 400) {
            c->bad_status = true;
            return 0;
        }
    }
    return len;
}

static size_t on_body(char *data, size_t size, size_t n, void *ud)
{
    fetch_ctx_t *c = ud;
    size_t len = size * n;
    if (c->status < 200 || c->status >= 300) {
        /* A redirect's body: read it to keep the connection, keep none. */
        c->discarded += len;
        if (c->discarded > c->max_bytes) {
            c->too_large = true;
            return 0;
        }
        return len;
    }
    int rc = facet_buf_append(&c->body, data, len);
    if (rc == FACET_ELIMIT)
        c->too_large = true;
    else if (rc != 0)
        c->no_memory = true;
    return rc == 0 ? len : 0;
}

/* ---- Errors ---- */

typedef struct fetch_err {
    media_fetch_result_t *out;
    char *msg;
    size_t len;
} fetch_err_t;

static int fail(fetch_err_t *e, media_fetch_error_t kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(fetch_err_t *e, media_fetch_error_t kind, const char *fmt, ...)
{
    e->out->error = kind;
    if (e->msg && e->len) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->msg, e->len, fmt, ap);
        va_end(ap);
    }
    switch (kind) {
    case MEDIA_FETCH_BAD_URL:
    case MEDIA_FETCH_BAD_SCHEME:
        return FACET_EINVAL;
    case MEDIA_FETCH_FORBIDDEN:
        return FACET_EDENIED;
    case MEDIA_FETCH_TOO_LARGE:
    case MEDIA_FETCH_TOO_MANY_REDIRECTS:
        return FACET_ELIMIT;
    case MEDIA_FETCH_TIMEOUT:
        return FACET_ETIMEDOUT;
    case MEDIA_FETCH_INTERNAL:
        return FACET_ENOMEM;
    default:
        return FACET_EIO;
    }
}

static const char *hop_name(const media_fetch_result_t *out)
{
    return out->redirects ? "redirect" : "URL";
}

/* Parses and checks one hop's URL before anything is sent. On success *u
 * holds the parsed URL for CURLOPT_CURLU. */
static int check_url(const char *url, const media_ssrf_policy_t *policy, CURLU **u, fetch_err_t *e)
{
    const char *what = hop_name(e->out);
    *u = curl_url();
    if (!*u)
        return fail(e, MEDIA_FETCH_INTERNAL, "out of memory");
    char *scheme = NULL, *host = NULL;
    int rc = FACET_OK;
    if (curl_url_set(*u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK ||
        curl_url_get(*u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK) {
        rc = fail(e, MEDIA_FETCH_BAD_URL, "%s is not a valid absolute URL", what);
    } else if (strcasecmp(scheme, "http") != 0 && strcasecmp(scheme, "https") != 0) {
        rc = fail(e, MEDIA_FETCH_BAD_SCHEME,
                  "%s scheme \"%.16s\" is not allowed (http and https only)", what, scheme);
    } else if (curl_url_get(*u, CURLUPART_HOST, &host, 0) != CURLUE_OK || !*host) {
        rc = fail(e, MEDIA_FETCH_BAD_URL, "%s has no host", what);
    } else {
        media_addr_t a;
        media_addr_class_t why;
        int prc = media_ssrf_parse_host(host, strlen(host), &a);
        if (prc == FACET_EINVAL)
            rc = fail(e, MEDIA_FETCH_BAD_URL, "%s host is not a valid address", what);
        else if (prc == FACET_OK && !media_ssrf_allowed(policy, &a, &why))
            rc = fail(e, MEDIA_FETCH_FORBIDDEN, "%s leads to a forbidden address (%s)", what,
                      media_addr_class_name(why));
    }
    curl_free(scheme);
    curl_free(host);
    if (rc != FACET_OK) {
        curl_url_cleanup(*u);
        *u = NULL;
    }
    return rc;
}

/* Turns a finished transfer into a status; FACET_OK means "look at the
 * response". */
static int transfer_result(CURLcode cc, const fetch_ctx_t *c, fetch_err_t *e)
{
    if (c->forbidden && cc != CURLE_OK)
        return fail(e, MEDIA_FETCH_FORBIDDEN, "%s leads to a forbidden address (%s)",
                    hop_name(e->out), media_addr_class_name(c->why));
    if (c->too_large)
        return fail(e, MEDIA_FETCH_TOO_LARGE, "response is larger than %llu bytes",
                    (unsigned long long)c->max_bytes);
    if (c->bad_status)
        return fail(e, MEDIA_FETCH_HTTP_STATUS, "HTTP status %ld", c->status);
    if (c->no_memory)
        return fail(e, MEDIA_FETCH_INTERNAL, "out of memory");
    switch (cc) {
    case CURLE_OK:
        return FACET_OK;
    case CURLE_OPERATION_TIMEDOUT:
        return fail(e, MEDIA_FETCH_TIMEOUT, "timed out");
    case CURLE_UNSUPPORTED_PROTOCOL:
        return fail(e, MEDIA_FETCH_BAD_SCHEME, "scheme not allowed (http and https only)");
    case CURLE_OUT_OF_MEMORY:
        return fail(e, MEDIA_FETCH_INTERNAL, "out of memory");
    default:
        /* curl's generic text: it never names an address. */
        return fail(e, MEDIA_FETCH_NETWORK, "fetch failed: %s", curl_easy_strerror(cc));
    }
}

/* ---- The fetch ---- */

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* The options every hop shares. */
static int setup_handle(CURL *h, fetch_ctx_t *c, const media_fetch_opts_t *o,
                        struct curl_slist *resolve)
{
    static const char default_ua[] = "facet/" FACET_VERSION;
    CURLcode cc = CURLE_OK;
#define SET(opt, val)                               \
    do {                                            \
        if (cc == CURLE_OK)                         \
            cc = curl_easy_setopt(h, (opt), (val)); \
    } while (0)
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_FOLLOWLOCATION, 0L);
    SET(CURLOPT_PROXY, ""); /* never a proxy from the environment */
    SET(CURLOPT_HTTPGET, 1L);
    SET(CURLOPT_USERAGENT, o->user_agent ? o->user_agent : default_ua);
    SET(CURLOPT_OPENSOCKETFUNCTION, open_socket);
    SET(CURLOPT_OPENSOCKETDATA, c);
    SET(CURLOPT_PREREQFUNCTION, before_request);
    SET(CURLOPT_PREREQDATA, c);
    SET(CURLOPT_HEADERFUNCTION, on_header);
    SET(CURLOPT_HEADERDATA, c);
    SET(CURLOPT_WRITEFUNCTION, on_body);
    SET(CURLOPT_WRITEDATA, c);
    if (resolve)
        SET(CURLOPT_RESOLVE, resolve);
#undef SET
    return cc == CURLE_OK ? FACET_OK : FACET_EIO;
}

static struct curl_slist *resolve_list(const char *const *pins, bool *ok)
{
    struct curl_slist *l = NULL;
    *ok = true;
    for (size_t i = 0; pins && pins[i]; i++) {
        struct curl_slist *next = curl_slist_append(l, pins[i]);
        if (!next) {
            *ok = false;
            break;
        }
        l = next;
    }
    return l;
}

/* Runs the hops: each one checked, performed, and followed when it is a
 * redirect, until a final response, an error or the redirect limit. */
static int run(CURL *h, fetch_ctx_t *c, const char *url, const media_fetch_opts_t *o,
               fetch_err_t *e)
{
    uint64_t connect_ms =
        o->connect_timeout_ms ? o->connect_timeout_ms : MEDIA_FETCH_DEFAULT_CONNECT_TIMEOUT_MS;
    uint64_t total_ms = o->timeout_ms ? o->timeout_ms : MEDIA_FETCH_DEFAULT_TIMEOUT_MS;
    unsigned max_redirects = o->max_redirects < 0    ? 0
                             : o->max_redirects == 0 ? MEDIA_FETCH_DEFAULT_MAX_REDIRECTS
                                                     : (unsigned)o->max_redirects;
    uint64_t deadline = now_ms() + total_ms;
    char *next = NULL; /* the redirect target, malloc'd */
    int rc;
    for (;;) {
        CURLU *u;
        rc = check_url(next ? next : url, c->policy, &u, e);
        free(next);
        next = NULL;
        if (rc != FACET_OK)
            return rc;
        uint64_t now = now_ms();
        if (now >= deadline) {
            curl_url_cleanup(u);
            return fail(e, MEDIA_FETCH_TIMEOUT, "timed out");
        }
        uint64_t left = deadline - now;
        curl_easy_setopt(h, CURLOPT_CURLU, u);
        curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)left);
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                         (long)(connect_ms < left ? connect_ms : left));
        facet_buf_reset(&c->body);
        c->status = 0;
        c->content_length = -1;
        c->discarded = 0;
        CURLcode cc = curl_easy_perform(h);
        long status = 0;
        char *location = NULL;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &location);
        e->out->http_status = status;
        rc = transfer_result(cc, c, e);
        if (rc == FACET_OK && status >= 300 && status < 400 && location) {
            if (e->out->redirects >= max_redirects)
                rc = fail(e, MEDIA_FETCH_TOO_MANY_REDIRECTS, "more than %u redirects",
                          max_redirects);
            else if (!(next = strdup(location)))
                rc = fail(e, MEDIA_FETCH_INTERNAL, "out of memory");
            else
                e->out->redirects++;
        } else if (rc == FACET_OK && (status < 200 || status >= 300)) {
            rc = fail(e, MEDIA_FETCH_HTTP_STATUS, "HTTP status %ld", status);
        }
        /* The handle keeps a pointer to u until another is set. */
        curl_easy_setopt(h, CURLOPT_CURLU, NULL);
        curl_url_cleanup(u);
        if (rc != FACET_OK || !next)
            return rc;
    }
}

int media_fetch_url(const char *url, const media_fetch_opts_t *opts, media_fetch_result_t *out,
                    char *err, size_t errlen)
{
    static const media_fetch_opts_t defaults = {0};
    const media_fetch_opts_t *o = opts ? opts : &defaults;
    memset(out, 0, sizeof *out);
    if (err && errlen)
        err[0] = '\0';
    fetch_err_t e = {out, err, errlen};
    if (media_fetch_global_init() != FACET_OK)
        return fail(&e, MEDIA_FETCH_INTERNAL, "libcurl failed to initialize");
    fetch_ctx_t c = {
        .policy = o->policy,
        .max_bytes = o->max_bytes ? o->max_bytes : MEDIA_FETCH_DEFAULT_MAX_BYTES,
        .content_length = -1,
    };
    facet_buf_init(&c.body, c.max_bytes);
    bool pins_ok;
    struct curl_slist *resolve = resolve_list(o->resolve, &pins_ok);
    CURL *h = curl_easy_init();
    int rc;
    if (!h || !pins_ok)
        rc = fail(&e, MEDIA_FETCH_INTERNAL, "out of memory");
    else if (setup_handle(h, &c, o, resolve) != FACET_OK)
        rc = fail(&e, MEDIA_FETCH_INTERNAL, "libcurl refused an option");
    else
        rc = run(h, &c, url, o, &e);
    if (h)
        curl_easy_cleanup(h);
    curl_slist_free_all(resolve);
    if (rc == FACET_OK) {
        out->len = c.body.len;
        out->body = (uint8_t *)c.body.base; /* ownership moves to the result */
        if (!out->body && !(out->body = malloc(1)))
            rc = fail(&e, MEDIA_FETCH_INTERNAL, "out of memory");
    } else {
        facet_buf_free(&c.body);
    }
    return rc;
}

void media_fetch_result_free(media_fetch_result_t *r)
{
    free(r->body);
    r->body = NULL;
    r->len = 0;
}

const char *media_fetch_error_name(media_fetch_error_t e)
{
    switch (e) {
    case MEDIA_FETCH_OK:
        return "ok";
    case MEDIA_FETCH_BAD_URL:
        return "bad_url";
    case MEDIA_FETCH_BAD_SCHEME:
        return "bad_scheme";
    case MEDIA_FETCH_FORBIDDEN:
        return "forbidden";
    case MEDIA_FETCH_TOO_LARGE:
        return "too_large";
    case MEDIA_FETCH_TIMEOUT:
        return "timeout";
    case MEDIA_FETCH_TOO_MANY_REDIRECTS:
        return "too_many_redirects";
    case MEDIA_FETCH_HTTP_STATUS:
        return "http_status";
    case MEDIA_FETCH_NETWORK:
        return "network";
    case MEDIA_FETCH_INTERNAL:
        return "internal";
    }
    return "unknown";
}
