/* The identity provider's key set: fetched with libcurl on the thread pool,
 * swapped under a mutex, refreshed on a schedule and on unknown kids at most
 * once per interval. */
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/jwks.h"
#include "core/buf.h"
#include "core/error.h"

#if LIBCURL_VERSION_NUM < 0x075500
#error "libcurl 7.85 or later is needed (CURLOPT_PROTOCOLS_STR)"
#endif

struct auth_jwks_cache {
    pthread_mutex_t lock;
    auth_jwks_t *set;      /* current set, or NULL */
    bool running;          /* a fetch is under way */
    bool attempted;        /* a fetch has started at least once */
    bool fresh;            /* a fetch has succeeded at least once */
    uint64_t last_attempt; /* ms, when the last fetch started */
    uint64_t last_success; /* ms */
    auth_jwks_cache_opts_t o;
    char *url;
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_status = CURLE_FAILED_INIT;

static void curl_start(void)
{
    curl_status = curl_global_init(CURL_GLOBAL_DEFAULT);
}

int auth_jwks_cache_new(const auth_jwks_cache_opts_t *o, auth_jwks_cache_t **out)
{
    if (!o->url || (strncmp(o->url, "http://", 7) != 0 && strncmp(o->url, "https://", 8) != 0))
        return FACET_EINVAL;
    auth_jwks_cache_t *c = calloc(1, sizeof *c);
    if (!c || !(c->url = strdup(o->url))) {
        free(c);
        return FACET_ENOMEM;
    }
    c->o = *o;
    c->o.url = c->url;
    if (!c->o.refresh_ms)
        c->o.refresh_ms = AUTH_JWKS_REFRESH_DEFAULT;
    if (!c->o.min_interval_ms)
        c->o.min_interval_ms = AUTH_JWKS_MIN_INTERVAL;
    if (!c->o.timeout_ms)
        c->o.timeout_ms = AUTH_JWKS_TIMEOUT_DEFAULT;
    if (!c->o.max_bytes)
        c->o.max_bytes = AUTH_JWKS_MAX_BYTES_DEFAULT;
    pthread_mutex_init(&c->lock, NULL);
    *out = c;
    return FACET_OK;
}

void auth_jwks_cache_free(auth_jwks_cache_t *c)
{
    if (!c)
        return;
    auth_jwks_free(c->set);
    pthread_mutex_destroy(&c->lock);
    free(c->url);
    free(c);
}

int auth_jwks_cache_find(void *cache, facet_str_t kid, EVP_PKEY **out)
{
    auth_jwks_cache_t *c = cache;
    pthread_mutex_lock(&c->lock);
    int rc = auth_jwks_find(c->set, kid, out);
    pthread_mutex_unlock(&c->lock);
    return rc;
}

size_t auth_jwks_cache_count(auth_jwks_cache_t *c)
{
    pthread_mutex_lock(&c->lock);
    size_t n = auth_jwks_count(c->set);
    pthread_mutex_unlock(&c->lock);
    return n;
}

bool auth_jwks_cache_begin_refresh(auth_jwks_cache_t *c, auth_jwks_why_t why, uint64_t now_ms)
{
    pthread_mutex_lock(&c->lock);
    bool go;
    if (c->running)
        go = false;
    else if (!c->attempted)
        go = true;
    else if (now_ms - c->last_attempt < c->o.min_interval_ms && now_ms >= c->last_attempt)
        go = false;
    else if (why == AUTH_JWKS_UNKNOWN_KID || !c->fresh)
        go = true;
    else
        go = now_ms - c->last_success >= c->o.refresh_ms || now_ms < c->last_success;
    if (go) {
        c->running = true;
        c->attempted = true;
        c->last_attempt = now_ms;
    }
    pthread_mutex_unlock(&c->lock);
    return go;
}

void auth_jwks_cache_install(auth_jwks_cache_t *c, auth_jwks_t *set, uint64_t now_ms)
{
    pthread_mutex_lock(&c->lock);
    auth_jwks_t *old = c->set;
    c->set = set;
    c->running = false;
    c->fresh = true;
    c->attempted = true;
    c->last_success = now_ms;
    pthread_mutex_unlock(&c->lock);
    /* Verifiers hold their own references to the keys they use. */
    auth_jwks_free(old);
}

static void end_failed(auth_jwks_cache_t *c)
{
    pthread_mutex_lock(&c->lock);
    c->running = false;
    pthread_mutex_unlock(&c->lock);
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *ud)
{
    facet_buf_t *b = ud;
    size_t n = size * nmemb; /* size is always 1 */
    /* Returning less than given aborts the transfer (CURLE_WRITE_ERROR). */
    return facet_buf_append(b, data, n) == FACET_OK ? n : 0;
}

#define SET(opt, val) ok &= curl_easy_setopt(h, opt, val) == CURLE_OK

static int fetch(const auth_jwks_cache_t *c, facet_buf_t *body, char *err, size_t errlen)
{
    if ((pthread_once(&curl_once, curl_start), curl_status) != CURLE_OK) {
        snprintf(err, errlen, "libcurl failed to initialize");
        return FACET_EIO;
    }
    CURL *h = curl_easy_init();
    if (!h) {
        snprintf(err, errlen, "out of memory");
        return FACET_ENOMEM;
    }
    bool ok = true;
    SET(CURLOPT_URL, c->url);
    SET(CURLOPT_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_FOLLOWLOCATION, 1L);
    SET(CURLOPT_MAXREDIRS, 3L);
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_TIMEOUT_MS, (long)c->o.timeout_ms);
    SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)c->o.max_bytes);
    SET(CURLOPT_USERAGENT, "facet/" FACET_VERSION);
    SET(CURLOPT_WRITEFUNCTION, on_body);
    SET(CURLOPT_WRITEDATA, body);
    CURLcode cc = ok ? curl_easy_perform(h) : CURLE_FAILED_INIT;
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(h);
    if (cc == CURLE_OPERATION_TIMEDOUT) {
        snprintf(err, errlen, "JWKS fetch timed out");
        return FACET_ETIMEDOUT;
    }
    if (cc == CURLE_WRITE_ERROR || cc == CURLE_FILESIZE_EXCEEDED) {
        snprintf(err, errlen, "JWKS response exceeds %zu bytes", c->o.max_bytes);
        return FACET_ELIMIT;
    }
    if (cc != CURLE_OK) {
        snprintf(err, errlen, "JWKS fetch failed: %s", curl_easy_strerror(cc));
        return FACET_EIO;
    }
    if (status != 200) {
        snprintf(err, errlen, "JWKS fetch answered HTTP %ld", status);
        return FACET_EIO;
    }
    return FACET_OK;
}

int auth_jwks_cache_refresh(auth_jwks_cache_t *c, uint64_t now_ms, char *err, size_t errlen)
{
    char scratch[160];
    if (!err || !errlen) {
        err = scratch;
        errlen = sizeof scratch;
    }
    facet_buf_t body;
    facet_buf_init(&body, c->o.max_bytes);
    auth_jwks_t *set = NULL;
    int rc = fetch(c, &body, err, errlen);
    if (rc == FACET_OK)
        rc = auth_jwks_parse(body.base ? body.base : "", body.len, &set, err, errlen);
    facet_buf_free(&body);
    if (rc == FACET_OK)
        auth_jwks_cache_install(c, set, now_ms);
    else
        end_failed(c);
    return rc;
}
