/* AWS credentials: fixed keys, or the container endpoint's temporary keys,
 * cached under a mutex and fetched again before they expire. */
#include "media/aws_creds.h"

#include <curl/curl.h>
#include <openssl/crypto.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "gql/json.h"

#define DEFAULT_REFRESH_MS (5 * 60 * 1000)
#define DEFAULT_TIMEOUT_MS 2000
#define RETRY_SECONDS      10
#define MAX_RESPONSE       (64 * 1024)
#define MAX_TOKEN_FILE     (16 * 1024)

struct media_aws_creds {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool fixed;
    char *url;        /* the container endpoint, when not fixed */
    char *auth_token; /* AWS_CONTAINER_AUTHORIZATION_TOKEN */
    char *auth_file;  /* AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE */
    uint64_t refresh_ms, timeout_ms;
    /* The cache, under mu: the three strings in one allocation. */
    media_aws_creds_value_t cur;
    bool fetching;
    time_t next_attempt;
    uint64_t fetches;
};

static int fail(char *err, size_t errlen, int code, const char *fmt, const char *arg)
{
    if (err && errlen)
        snprintf(err, errlen, fmt, arg);
    return code;
}

void media_aws_creds_opts_from_env(media_aws_creds_opts_t *o, media_aws_getenv_fn get, void *ctx)
{
    memset(o, 0, sizeof *o);
    o->access_key_id = get(ctx, "AWS_ACCESS_KEY_ID");
    o->secret_access_key = get(ctx, "AWS_SECRET_ACCESS_KEY");
    o->session_token = get(ctx, "AWS_SESSION_TOKEN");
    o->container_relative_uri = get(ctx, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    o->container_full_uri = get(ctx, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
    o->container_auth_token = get(ctx, "AWS_CONTAINER_AUTHORIZATION_TOKEN");
    o->container_auth_token_file = get(ctx, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
}

static bool set(const char *s)
{
    return s && *s;
}

/* Copies three strings into one allocation owned by v. */
static int value_set(media_aws_creds_value_t *v, const char *ak, const char *sk, const char *tok,
                     time_t expiration)
{
    size_t la = strlen(ak), ls = strlen(sk), lt = tok ? strlen(tok) : 0;
    char *p = malloc(la + ls + lt + 3);
    if (!p)
        return FACET_ENOMEM;
    memcpy(p, ak, la + 1);
    memcpy(p + la + 1, sk, ls + 1);
    memcpy(p + la + ls + 2, tok ? tok : "", lt + 1);
    v->storage = p;
    v->sigv4 = (media_sigv4_creds_t){p, p + la + 1, lt ? p + la + ls + 2 : NULL};
    v->expiration = expiration;
    return FACET_OK;
}

void media_aws_creds_value_free(media_aws_creds_value_t *v)
{
    if (!v)
        return;
    if (v->storage) {
        size_t n = strlen(v->sigv4.access_key_id) + strlen(v->sigv4.secret_access_key) +
                   (v->sigv4.session_token ? strlen(v->sigv4.session_token) : 0) + 3;
        OPENSSL_cleanse(v->storage, n);
    }
    free(v->storage);
    memset(v, 0, sizeof *v);
}

/* Plain http is only trusted to the machine itself or to the link-local
 * endpoints that ECS and EKS serve credentials on, as the AWS SDKs do. */
static bool trusted_http_host(const char *host)
{
    static const char *const allowed[] = {"169.254.170.2", "169.254.170.23", "[fd00:ec2::23]",
                                          "[::1]"};
    for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
        if (strcasecmp(host, allowed[i]) == 0)
            return true;
    unsigned a, b, c, d;
    char tail;
    return sscanf(host, "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) == 4 && a == 127 && b < 256 &&
           c < 256 && d < 256;
}

/* Checks a full endpoint URI; http(s) only, no credentials in it. */
static int check_full_uri(const char *uri, char *err, size_t errlen)
{
    static const char var[] = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL, *user = NULL;
    int rc = FACET_OK;
    if (!u)
        return FACET_ENOMEM;
    if (curl_url_set(u, CURLUPART_URL, uri, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
        rc = fail(err, errlen, FACET_EINVAL, "%s: not a valid URL", var);
    } else if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK) {
        rc = fail(err, errlen, FACET_EINVAL, "%s: must not carry a user name", var);
    } else if (strcmp(scheme, "https") != 0 && strcmp(scheme, "http") != 0) {
        rc = fail(err, errlen, FACET_EINVAL, "%s: only http and https are supported", var);
    } else if (strcmp(scheme, "http") == 0 && !trusted_http_host(host)) {
        rc = fail(err, errlen, FACET_EINVAL,
                  "%s: plain http is only allowed to a loopback address or the ECS/EKS "
                  "endpoints (169.254.170.2, 169.254.170.23, fd00:ec2::23)",
                  var);
    }
    curl_free(scheme);
    curl_free(host);
    curl_free(user);
    curl_url_cleanup(u);
    return rc;
}

static char *dup_or_null(const char *s)
{
    return set(s) ? strdup(s) : NULL;
}

static int endpoint_url(const media_aws_creds_opts_t *o, char **url, char *err, size_t errlen)
{
    if (set(o->container_relative_uri)) {
        const char *rel = o->container_relative_uri;
        if (rel[0] != '/' || strpbrk(rel, " \r\n\t"))
            return fail(err, errlen, FACET_EINVAL, "%s: must be a path starting with '/'",
                        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
        size_t n = strlen(MEDIA_AWS_ECS_HOST) + strlen(rel) + 1;
        if (!(*url = malloc(n)))
            return FACET_ENOMEM;
        snprintf(*url, n, "%s%s", MEDIA_AWS_ECS_HOST, rel);
        return FACET_OK;
    }
    int rc = check_full_uri(o->container_full_uri, err, errlen);
    if (rc == FACET_OK && !(*url = strdup(o->container_full_uri)))
        rc = FACET_ENOMEM;
    return rc;
}

int media_aws_creds_new(const media_aws_creds_opts_t *o, media_aws_creds_t **out, char *err,
                        size_t errlen)
{
    *out = NULL;
    bool ak = set(o->access_key_id), sk = set(o->secret_access_key);
    if (ak != sk)
        return fail(err, errlen, FACET_EINVAL, "%s",
                    ak ? "AWS_SECRET_ACCESS_KEY is not set while AWS_ACCESS_KEY_ID is"
                       : "AWS_ACCESS_KEY_ID is not set while AWS_SECRET_ACCESS_KEY is");
    bool container = set(o->container_relative_uri) || set(o->container_full_uri);
    if (!ak && !container)
        return fail(err, errlen, FACET_ENOTFOUND, "%s",
                    "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or "
                    "run with a task role (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or "
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI)");
    const char *tok = o->container_auth_token;
    if (!ak && set(tok) && strpbrk(tok, "\r\n"))
        return fail(err, errlen, FACET_EINVAL, "%s: contains a line break",
                    "AWS_CONTAINER_AUTHORIZATION_TOKEN");
    media_aws_creds_t *c = calloc(1, sizeof *c);
    if (!c)
        return FACET_ENOMEM;
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, NULL);
    c->refresh_ms = o->refresh_before_ms ? o->refresh_before_ms : DEFAULT_REFRESH_MS;
    c->timeout_ms = o->timeout_ms ? o->timeout_ms : DEFAULT_TIMEOUT_MS;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int rc;
    if (ak) {
        c->fixed = true;
        rc = value_set(&c->cur, o->access_key_id, o->secret_access_key, o->session_token, 0);
    } else {
        rc = endpoint_url(o, &c->url, err, errlen);
        c->auth_token = dup_or_null(tok);
        c->auth_file = dup_or_null(o->container_auth_token_file);
        if (rc == FACET_OK &&
            ((set(tok) && !c->auth_token) || (set(o->container_auth_token_file) && !c->auth_file)))
            rc = FACET_ENOMEM;
    }
    if (rc != FACET_OK) {
        media_aws_creds_free(c);
        return rc;
    }
    *out = c;
    return FACET_OK;
}

void media_aws_creds_free(media_aws_creds_t *c)
{
    if (!c)
        return;
    media_aws_creds_value_free(&c->cur);
    free(c->url);
    if (c->auth_token)
        OPENSSL_cleanse(c->auth_token, strlen(c->auth_token));
    free(c->auth_token);
    free(c->auth_file);
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->cv);
    free(c);
    curl_global_cleanup();
}

/* ---- Fetching from the container endpoint ---- */

static size_t on_body(char *data, size_t size, size_t n, void *ud)
{
    facet_buf_t *b = ud;
    return facet_buf_append(b, data, size * n) == FACET_OK ? size * n : 0;
}

/* Appends the authorization token file (one line; a final line break is
 * dropped) and a NUL. */
static int read_token_file(const char *path, facet_buf_t *out, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return fail(err, errlen, FACET_EIO,
                    "cannot read %s (AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE)", path);
    char chunk[4096];
    size_t n;
    int rc = FACET_OK;
    while (rc == FACET_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = facet_buf_append(out, chunk, n);
    fclose(f);
    if (rc == FACET_ELIMIT)
        return fail(err, errlen, rc, "%s", "the authorization token file is too large");
    while (rc == FACET_OK && out->len &&
           (out->base[out->len - 1] == '\n' || out->base[out->len - 1] == '\r'))
        out->len--;
    if (rc == FACET_OK && (memchr(out->base, '\n', out->len) || memchr(out->base, '\r', out->len)))
        return fail(err, errlen, FACET_EINVAL, "%s", "the authorization token has a line break");
    return rc == FACET_OK ? facet_buf_append(out, "", 1) : rc;
}

static int http_get(media_aws_creds_t *c, facet_buf_t *body, long *status, char *err, size_t errlen)
{
    facet_buf_t auth;
    facet_buf_init(&auth, MAX_TOKEN_FILE);
    int rc = facet_buf_append_str(&auth, "Authorization: ");
    if (rc == FACET_OK && c->auth_token)
        rc = facet_buf_append(&auth, c->auth_token, strlen(c->auth_token) + 1);
    else if (rc == FACET_OK && c->auth_file)
        rc = read_token_file(c->auth_file, &auth, err, errlen);
    CURL *h = rc == FACET_OK ? curl_easy_init() : NULL;
    struct curl_slist *hdrs = NULL;
    if (rc == FACET_OK && !h)
        rc = FACET_ENOMEM;
    if (rc == FACET_OK && (c->auth_token || c->auth_file) &&
        !(hdrs = curl_slist_append(NULL, auth.base)))
        rc = FACET_ENOMEM;
    if (rc == FACET_OK) {
        curl_easy_setopt(h, CURLOPT_URL, c->url);
        curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)c->timeout_ms);
        curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)c->timeout_ms);
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, body);
        CURLcode cc = curl_easy_perform(h);
        if (cc == CURLE_OK) {
            curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
        } else {
            rc = cc == CURLE_OPERATION_TIMEDOUT ? FACET_ETIMEDOUT : FACET_EIO;
            fail(err, errlen, rc, "AWS credentials endpoint: %s",
                 cc == CURLE_WRITE_ERROR ? "response too large" : curl_easy_strerror(cc));
        }
    }
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(h);
    OPENSSL_cleanse(auth.base, auth.cap);
    facet_buf_free(&auth);
    return rc;
}

static const char *json_string(const gql_value_t *obj, const char *key)
{
    const gql_value_t *v = gql_value_get(obj, facet_str_c(key));
    /* A string with an escaped NUL in it is no credential. */
    if (!v || v->kind != GQL_V_STRING || strlen(v->u.s.base) != v->u.s.len)
        return NULL;
    return v->u.s.base;
}

/* Parses {"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}. */
static int parse_response(const facet_buf_t *body, media_aws_creds_value_t *out, char *err,
                          size_t errlen)
{
    facet_arena_t a;
    facet_arena_init(&a, 4 * MAX_RESPONSE);
    gql_value_t *v = NULL;
    int rc = gql_json_parse(&a, body->base ? body->base : "", body->len, 8, &v, NULL, 0);
    const char *ak = NULL, *sk = NULL, *tok = NULL, *exp = NULL;
    if (rc == FACET_OK && v->kind == GQL_V_OBJECT) {
        ak = json_string(v, "AccessKeyId");
        sk = json_string(v, "SecretAccessKey");
        tok = json_string(v, "Token");
        exp = json_string(v, "Expiration");
    }
    time_t expiration = 0;
    if (!ak || !sk || !*ak || !*sk || strlen(ak) > 128 || strlen(sk) > 200 ||
        strpbrk(ak, "/ \r\n") || (tok && strpbrk(tok, "\r\n")))
        rc = fail(err, errlen, FACET_EIO, "%s",
                  "AWS credentials endpoint: the answer lacks AccessKeyId or SecretAccessKey");
    else if (exp && media_aws_parse_time(exp, strlen(exp), &expiration) != FACET_OK)
        rc = fail(err, errlen, FACET_EIO, "%s", "AWS credentials endpoint: bad Expiration");
    else
        rc = value_set(out, ak, sk, tok, expiration);
    facet_arena_free(&a);
    return rc;
}

static int fetch(media_aws_creds_t *c, media_aws_creds_value_t *out, char *err, size_t errlen)
{
    facet_buf_t body;
    facet_buf_init(&body, MAX_RESPONSE);
    long status = 0;
    int rc = http_get(c, &body, &status, err, errlen);
    if (rc == FACET_OK && status != 200) {
        char code[16];
        snprintf(code, sizeof code, "%ld", status);
        rc = fail(err, errlen, FACET_EIO, "AWS credentials endpoint answered HTTP %s", code);
    }
    if (rc == FACET_OK)
        rc = parse_response(&body, out, err, errlen);
    OPENSSL_cleanse(body.base, body.cap);
    facet_buf_free(&body);
    return rc;
}

int media_aws_parse_time(const char *s, size_t len, time_t *out)
{
    char buf[40];
    if (len < 20 || len >= sizeof buf)
        return FACET_EINVAL;
    memcpy(buf, s, len);
    buf[len] = '\0';
    struct tm tm = {0};
    int used = 0;
    if (sscanf(buf, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec, &used) != 6 ||
        used != 19)
        return FACET_EINVAL;
    for (int i = 0; i < 19; i++)
        if ((i == 4 || i == 7)     ? buf[i] != '-'
            : i == 10              ? buf[i] != 'T'
            : (i == 13 || i == 16) ? buf[i] != ':'
                                   : (buf[i] < '0' || buf[i] > '9'))
            return FACET_EINVAL;
    const char *p = buf + 19;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
            return FACET_EINVAL;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (strcmp(p, "Z") != 0 && strcmp(p, "+00:00") != 0)
        return FACET_EINVAL;
    if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
        tm.tm_min > 59 || tm.tm_sec > 60 || tm.tm_year < 1970)
        return FACET_EINVAL;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t t = timegm(&tm);
    if (t == (time_t)-1)
        return FACET_EINVAL;
    *out = t;
    return FACET_OK;
}

/* ---- The cache ---- */

static bool valid_at(const media_aws_creds_t *c, time_t now, uint64_t margin_ms)
{
    if (!c->cur.storage)
        return false;
    if (c->fixed || c->cur.expiration == 0)
        return true;
    return (int64_t)c->cur.expiration - (int64_t)now > (int64_t)(margin_ms / 1000);
}

int media_aws_creds_get(media_aws_creds_t *c, media_aws_creds_value_t *out, char *err,
                        size_t errlen)
{
    memset(out, 0, sizeof *out);
    int rc = FACET_OK;
    pthread_mutex_lock(&c->mu);
    for (;;) {
        time_t now = time(NULL);
        bool usable = valid_at(c, now, 0);
        if (valid_at(c, now, c->refresh_ms) || (usable && (c->fetching || now < c->next_attempt)))
            break;
        if (c->fetching) {
            pthread_cond_wait(&c->cv, &c->mu);
            continue;
        }
        /* This thread fetches; the lock is not held meanwhile. */
        c->fetching = true;
        c->fetches++;
        pthread_mutex_unlock(&c->mu);
        media_aws_creds_value_t fresh = {0};
        rc = fetch(c, &fresh, err, errlen);
        pthread_mutex_lock(&c->mu);
        c->fetching = false;
        pthread_cond_broadcast(&c->cv);
        if (rc == FACET_OK) {
            /* Use them even when they expire within the margin: the next
             * call asks again. */
            media_aws_creds_value_free(&c->cur);
            c->cur = fresh;
            c->next_attempt = 0;
            if (valid_at(c, time(NULL), 0))
                break;
            rc = fail(err, errlen, FACET_EIO, "%s",
                      "AWS credentials endpoint: the credentials have expired already");
            break;
        }
        c->next_attempt = time(NULL) + RETRY_SECONDS;
        if (!valid_at(c, time(NULL), 0))
            break;
        rc = FACET_OK; /* still valid: keep using them until the next attempt */
    }
    if (rc == FACET_OK)
        rc = value_set(out, c->cur.sigv4.access_key_id, c->cur.sigv4.secret_access_key,
                       c->cur.sigv4.session_token, c->cur.expiration);
    pthread_mutex_unlock(&c->mu);
    return rc;
}

uint64_t media_aws_creds_fetches(media_aws_creds_t *c)
{
    pthread_mutex_lock(&c->mu);
    uint64_t n = c->fetches;
    pthread_mutex_unlock(&c->mu);
    return n;
}
