/* Tests for media/aws_creds.h: fixed keys, the container endpoint served by
 * a small HTTP server on loopback (AWS_CONTAINER_CREDENTIALS_FULL_URI),
 * caching, refresh before expiry, failures, and concurrent callers. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/error.h"
#include "media/aws_creds.h"
#include "test.h"

/* ---- A one-connection-at-a-time HTTP server ---- */

typedef struct server {
    int fd, port;
    pthread_t thread;
    atomic_bool stop;
    atomic_int requests;
    int status;      /* answer status; 0: accept and never answer */
    int delay_ms;    /* before answering */
    char body[2048]; /* answer body */
    char path[256];  /* last request path */
    char auth[512];  /* last Authorization value, "" when absent */
    pthread_mutex_t mu;
} server_t;

static void header_value(const char *req, const char *name, char *out, size_t outlen)
{
    out[0] = '\0';
    const char *p = strcasestr(req, name);
    if (!p)
        return;
    p += strlen(name);
    while (*p == ' ')
        p++;
    const char *end = strstr(p, "\r\n");
    snprintf(out, outlen, "%.*s", (int)(end ? end - p : (long)strlen(p)), p);
}

static void serve_one(server_t *s, int cfd)
{
    char req[4096];
    size_t n = 0;
    while (n < sizeof req - 1 && !strstr(req, "\r\n\r\n")) {
        ssize_t r = read(cfd, req + n, sizeof req - 1 - n);
        if (r <= 0)
            break;
        n += (size_t)r;
        req[n] = '\0';
    }
    req[n] = '\0';
    atomic_fetch_add(&s->requests, 1);
    pthread_mutex_lock(&s->mu);
    sscanf(req, "GET %255s", s->path);
    header_value(req, "\r\nAuthorization:", s->auth, sizeof s->auth);
    int status = s->status, delay = s->delay_ms;
    char body[2048];
    snprintf(body, sizeof body, "%s", s->body);
    pthread_mutex_unlock(&s->mu);
    if (delay)
        usleep((useconds_t)delay * 1000);
    if (status == 0) {
        while (!atomic_load(&s->stop) && read(cfd, req, sizeof req) > 0)
            ;
        return;
    }
    char resp[4096];
    int len = snprintf(resp, sizeof resp,
                       "HTTP/1.1 %d X\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
                       "Connection: close\r\n\r\n%s",
                       status, strlen(body), body);
    if (write(cfd, resp, (size_t)len) < 0)
        perror("write");
}

static void *server_main(void *ud)
{
    server_t *s = ud;
    while (!atomic_load(&s->stop)) {
        struct pollfd pfd = {s->fd, POLLIN, 0};
        if (poll(&pfd, 1, 50) <= 0)
            continue;
        int cfd = accept(s->fd, NULL, NULL);
        if (cfd < 0)
            continue;
        serve_one(s, cfd);
        close(cfd);
    }
    return NULL;
}

static void server_start(server_t *s, int status, const char *body)
{
    memset(s, 0, sizeof *s);
    pthread_mutex_init(&s->mu, NULL);
    s->status = status;
    snprintf(s->body, sizeof s->body, "%s", body);
    s->fd = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(s->fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    CHECK(bind(s->fd, (struct sockaddr *)&a, sizeof a) == 0);
    CHECK(listen(s->fd, 64) == 0);
    socklen_t alen = sizeof a;
    CHECK(getsockname(s->fd, (struct sockaddr *)&a, &alen) == 0);
    s->port = ntohs(a.sin_port);
    CHECK(pthread_create(&s->thread, NULL, server_main, s) == 0);
}

static void server_set(server_t *s, int status, const char *body)
{
    pthread_mutex_lock(&s->mu);
    s->status = status;
    snprintf(s->body, sizeof s->body, "%s", body);
    pthread_mutex_unlock(&s->mu);
}

static void server_stop(server_t *s)
{
    atomic_store(&s->stop, true);
    pthread_join(s->thread, NULL);
    close(s->fd);
    pthread_mutex_destroy(&s->mu);
}

/* A credentials answer expiring in_seconds from now. */
static void creds_body(char *out, size_t outlen, const char *ak, long in_seconds)
{
    time_t t = time(NULL) + in_seconds;
    struct tm tm;
    gmtime_r(&t, &tm);
    char exp[32];
    strftime(exp, sizeof exp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    snprintf(out, outlen,
             "{\"RoleArn\":\"arn:aws:iam::123456789012:role/facet\",\"AccessKeyId\":\"%s\","
             "\"SecretAccessKey\":\"secret/+=\",\"Token\":\"tok/en+==\",\"Expiration\":\"%s\"}",
             ak, exp);
}

static media_aws_creds_t *provider_for(const server_t *s, const char *path, const char *token)
{
    char uri[128];
    snprintf(uri, sizeof uri, "http://127.0.0.1:%d%s", s->port, path);
    media_aws_creds_opts_t o = {
        .container_full_uri = uri, .container_auth_token = token, .timeout_ms = 1000};
    media_aws_creds_t *c = NULL;
    char err[300];
    int rc = media_aws_creds_new(&o, &c, err, sizeof err);
    if (rc != FACET_OK)
        fprintf(stderr, "%s\n", err);
    CHECK_EQ_INT(rc, FACET_OK);
    return c;
}

/* ---- Tests ---- */

TEST(fixed_keys)
{
    media_aws_creds_opts_t o = {.access_key_id = "AKID",
                                .secret_access_key = "SECRET",
                                .session_token = "TOKEN",
                                /* The fixed keys win over a container endpoint. */
                                .container_full_uri = "http://127.0.0.1:1/never"};
    media_aws_creds_t *c;
    CHECK_EQ_INT(media_aws_creds_new(&o, &c, NULL, 0), FACET_OK);
    media_aws_creds_value_t v;
    CHECK_EQ_INT(media_aws_creds_get(c, &v, NULL, 0), FACET_OK);
    CHECK_EQ_STR(v.sigv4.access_key_id, "AKID");
    CHECK_EQ_STR(v.sigv4.secret_access_key, "SECRET");
    CHECK_EQ_STR(v.sigv4.session_token, "TOKEN");
    CHECK_EQ_INT(v.expiration, 0);
    CHECK_EQ_INT(media_aws_creds_fetches(c), 0);
    media_aws_creds_value_free(&v);
    media_aws_creds_free(c);

    o.session_token = "";
    CHECK_EQ_INT(media_aws_creds_new(&o, &c, NULL, 0), FACET_OK);
    CHECK_EQ_INT(media_aws_creds_get(c, &v, NULL, 0), FACET_OK);
    CHECK(v.sigv4.session_token == NULL);
    media_aws_creds_value_free(&v);
    media_aws_creds_free(c);
}

static const char *fake_env(void *ctx, const char *name)
{
    const char *const *kv = ctx;
    for (; kv[0]; kv += 2)
        if (strcmp(kv[0], name) == 0)
            return kv[1];
    return NULL;
}

TEST(options_from_env)
{
    const char *env[] = {"AWS_ACCESS_KEY_ID",
                         "A",
                         "AWS_SECRET_ACCESS_KEY",
                         "S",
                         "AWS_SESSION_TOKEN",
                         "T",
                         "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                         "/v2/credentials/x",
                         "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                         "/f",
                         NULL};
    media_aws_creds_opts_t o;
    media_aws_creds_opts_from_env(&o, fake_env, env);
    CHECK_EQ_STR(o.access_key_id, "A");
    CHECK_EQ_STR(o.secret_access_key, "S");
    CHECK_EQ_STR(o.session_token, "T");
    CHECK_EQ_STR(o.container_relative_uri, "/v2/credentials/x");
    CHECK_EQ_STR(o.container_auth_token_file, "/f");
    CHECK(o.container_full_uri == NULL && o.container_auth_token == NULL);
}

static int new_err(media_aws_creds_opts_t o, char *err, size_t errlen)
{
    media_aws_creds_t *c = NULL;
    err[0] = '\0';
    int rc = media_aws_creds_new(&o, &c, err, errlen);
    media_aws_creds_free(c);
    return rc;
}

TEST(configuration_errors)
{
    char err[400];
    CHECK_EQ_INT(new_err((media_aws_creds_opts_t){0}, err, sizeof err), FACET_ENOTFOUND);
    CHECK(strstr(err, "AWS_ACCESS_KEY_ID") != NULL);
    CHECK_EQ_INT(new_err((media_aws_creds_opts_t){.access_key_id = "A"}, err, sizeof err),
                 FACET_EINVAL);
    CHECK(strstr(err, "AWS_SECRET_ACCESS_KEY") != NULL);
    CHECK_EQ_INT(new_err((media_aws_creds_opts_t){.secret_access_key = "S"}, err, sizeof err),
                 FACET_EINVAL);
    const char *bad[] = {"http://10.0.0.1/creds",
                         "http://169.254.169.254/latest",
                         "ftp://127.0.0.1/x",
                         "http://user:pw@127.0.0.1/x",
                         "not a url",
                         "http://localhost.evil.example/x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_EQ_INT(
            new_err((media_aws_creds_opts_t){.container_full_uri = bad[i]}, err, sizeof err),
            FACET_EINVAL);
        CHECK(strstr(err, "AWS_CONTAINER_CREDENTIALS_FULL_URI") != NULL);
    }
    const char *good[] = {"http://127.0.0.1:9/x", "http://169.254.170.2/v2/x",
                          "http://169.254.170.23/v1/credentials", "http://[::1]:80/x",
                          "https://creds.example.com/x"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        CHECK_EQ_INT(
            new_err((media_aws_creds_opts_t){.container_full_uri = good[i]}, err, sizeof err),
            FACET_OK);
    CHECK_EQ_INT(
        new_err((media_aws_creds_opts_t){.container_relative_uri = "v2/x"}, err, sizeof err),
        FACET_EINVAL);
    CHECK(strstr(err, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") != NULL);
    CHECK_EQ_INT(
        new_err((media_aws_creds_opts_t){.container_relative_uri = "/v2/x"}, err, sizeof err),
        FACET_OK);
    CHECK_EQ_INT(new_err((media_aws_creds_opts_t){.container_full_uri = "http://127.0.0.1/x",
                                                  .container_auth_token = "a\r\nX-Evil: 1"},
                         err, sizeof err),
                 FACET_EINVAL);
}

TEST(container_endpoint_and_cache)
{
    server_t s;
    char body[1024];
    creds_body(body, sizeof body, "ASIAFIRST", 3600);
    server_start(&s, 200, body);
    media_aws_creds_t *c = provider_for(&s, "/v1/credentials?x=1", "Bearer abc");
    media_aws_creds_value_t v;
    char err[300];
    CHECK_EQ_INT(media_aws_creds_get(c, &v, err, sizeof err), FACET_OK);
    CHECK_EQ_STR(v.sigv4.access_key_id, "ASIAFIRST");
    CHECK_EQ_STR(v.sigv4.secret_access_key, "secret/+=");
    CHECK_EQ_STR(v.sigv4.session_token, "tok/en+==");
    CHECK(v.expiration > time(NULL) + 3500 && v.expiration <= time(NULL) + 3600);
    CHECK_EQ_STR(s.path, "/v1/credentials?x=1");
    CHECK_EQ_STR(s.auth, "Bearer abc");
    media_aws_creds_value_free(&v);

    /* Cached: an hour left is outside the five-minute margin. */
    creds_body(body, sizeof body, "ASIASECOND", 3600);
    server_set(&s, 200, body);
    CHECK_EQ_INT(media_aws_creds_get(c, &v, err, sizeof err), FACET_OK);
    CHECK_EQ_STR(v.sigv4.access_key_id, "ASIAFIRST");
    CHECK_EQ_INT(media_aws_creds_fetches(c), 1);
    CHECK_EQ_INT(atomic_load(&s.requests), 1);
    media_aws_creds_value_free(&v);
    media_aws_creds_free(c);
    server_stop(&s);
}

TEST(refresh_before_expiry)
{
    server_t s;
    char body[1024];
    creds_body(body, sizeof body, "ASIAONE", 120); /* inside the 5-minute margin */
    server_start(&s, 200, body);
    media_aws_creds_t *c = provider_for(&s, "/creds", NULL);
    media_aws_creds_value_t v;
    CHECK_EQ_INT(media_aws_creds_get(c, &v, NULL, 0), FACET_OK);
    CHECK_EQ_STR(v.sigv4.access_key_id, "ASIAONE");
    CHECK_EQ_STR(s.auth, "");
    media_aws_creds_value_free(&v);

    creds_body(body, sizeof body, "ASIATWO", 3600);
    server_set(&s, 200, body);
    CHECK_EQ_INT(media_aws_creds_get(c, &v, NULL, 0), FACET_OK);
    CHECK_EQ_STR(v.sigv4.access_key_id, "ASIATWO");
    CHECK_EQ_INT(media_aws_creds_fetches(c), 2);
    media_aws_creds_value_free(&v);
    media_aws_creds_free(c);
    server_stop(&s);
}

/* A failed refresh keeps serving credentials that are still valid, and
 * does not ask again before the retry delay. */
TEST(failed_refresh_keeps_valid_credentials)
{
    server_t s;
    char body[1024];
    creds_body(body, sizeof body, "ASIAOLD", 120);
    server_start(&s, 200, body);
    media_aws_creds_t *c = provider_for(&s, "/creds", NULL);
    media_aws_creds_value_t v;
    CHECK_EQ_INT(media_aws_creds_get(c, &v, NULL, 0), FACET_OK);
    media_aws_creds_value_free(&v);
    server_set(&s, 500, "{\"code\":\"oops\"}");
    for (int i = 0; i < 3; i++) {
        CHECK_EQ_INT(media_aws_creds_get(c, &v, NULL, 0), FACET_OK);
        CHECK_EQ_STR(v.sigv4.access_key_id, "ASIAOLD");
        media_aws_creds_value_free(&v);
    }
    CHECK_EQ_INT(media_aws_creds_fetches(c), 2);
    media_aws_creds_free(c);
    server_stop(&s);
}

static int get_err(server_t *s, char *err, size_t errlen)
{
    media_aws_creds_t *c = provider_for(s, "/creds", NULL);
    media_aws_creds_value_t v;
    err[0] = '\0';
    int rc = media_aws_creds_get(c, &v, err, errlen);
    CHECK(rc != FACET_OK || v.storage);
    media_aws_creds_value_free(&v);
    media_aws_creds_free(c);
    return rc;
}

TEST(endpoint_failures)
{
    server_t s;
    char err[300];
    server_start(&s, 500, "{}");
    CHECK_EQ_INT(get_err(&s, err, sizeof err), FACET_EIO);
    CHECK(strstr(err, "HTTP 500") != NULL);
    const char *bodies[] = {
        "not json",
        "[]",
        "{\"AccessKeyId\":\"A\"}",
        "{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"\"}",
        "{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"S\",\"Expiration\":\"tomorrow\"}",
        "{\"AccessKeyId\":\"A\\u0000B\",\"SecretAccessKey\":\"S\"}",
        "{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"S\",\"Token\":\"a\\r\\nb\"}",
    };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        server_set(&s, 200, bodies[i]);
        CHECK_EQ_INT(get_err(&s, err, sizeof err), FACET_EIO);
    }
    char expired[1024];
    creds_body(expired, sizeof expired, "ASIAOLD", -10);
    server_set(&s, 200, expired);
    CHECK_EQ_INT(get_err(&s, err, sizeof err), FACET_EIO);
    CHECK(strstr(err, "expired") != NULL);
    /* No Expiration: kept until the process ends, as the SDKs do. */
    server_set(&s, 200, "{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"S\"}");
    CHECK_EQ_INT(get_err(&s, err, sizeof err), FACET_OK);

    server_set(&s, 0, ""); /* never answers */
    CHECK_EQ_INT(get_err(&s, err, sizeof err), FACET_ETIMEDOUT);
    server_stop(&s);

    /* Nobody listening. */
    CHECK_EQ_INT(get_err(&s, err, sizeof err), FACET_EIO);
}

TEST(token_file)
{
    server_t s;
    char body[1024];
    creds_body(body, sizeof body, "ASIAFILE", 3600);
    server_start(&s, 200, body);
    char path[] = "/tmp/facet-token-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    CHECK(write(fd, "file-token\n", 11) == 11);
    close(fd);
    char uri[128];
    snprintf(uri, sizeof uri, "http://127.0.0.1:%d/x", s.port);
    media_aws_creds_opts_t o = {.container_full_uri = uri, .container_auth_token_file = path};
    media_aws_creds_t *c;
    CHECK_EQ_INT(media_aws_creds_new(&o, &c, NULL, 0), FACET_OK);
    media_aws_creds_value_t v;
    CHECK_EQ_INT(media_aws_creds_get(c, &v, NULL, 0), FACET_OK);
    CHECK_EQ_STR(s.auth, "file-token");
    media_aws_creds_value_free(&v);
    media_aws_creds_free(c);
    unlink(path);

    char err[300];
    CHECK_EQ_INT(media_aws_creds_new(&o, &c, NULL, 0), FACET_OK);
    CHECK_EQ_INT(media_aws_creds_get(c, &v, err, sizeof err), FACET_EIO);
    CHECK(strstr(err, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") != NULL);
    media_aws_creds_free(c);
    server_stop(&s);
}

typedef struct caller {
    media_aws_creds_t *c;
    int rc;
    char ak[32];
} caller_t;

static void *call_get(void *ud)
{
    caller_t *k = ud;
    media_aws_creds_value_t v;
    k->rc = media_aws_creds_get(k->c, &v, NULL, 0);
    if (k->rc == FACET_OK)
        snprintf(k->ak, sizeof k->ak, "%s", v.sigv4.access_key_id);
    media_aws_creds_value_free(&v);
    return NULL;
}

/* Concurrent callers without credentials wait for one fetch. */
TEST(one_fetch_for_concurrent_callers)
{
    server_t s;
    char body[1024];
    creds_body(body, sizeof body, "ASIAMANY", 3600);
    server_start(&s, 200, body);
    s.delay_ms = 200;
    media_aws_creds_t *c = provider_for(&s, "/creds", NULL);
    pthread_t t[8];
    caller_t k[8];
    for (int i = 0; i < 8; i++) {
        k[i] = (caller_t){.c = c};
        CHECK(pthread_create(&t[i], NULL, call_get, &k[i]) == 0);
    }
    for (int i = 0; i < 8; i++) {
        pthread_join(t[i], NULL);
        CHECK_EQ_INT(k[i].rc, FACET_OK);
        CHECK_EQ_STR(k[i].ak, "ASIAMANY");
    }
    CHECK_EQ_INT(atomic_load(&s.requests), 1);
    media_aws_creds_free(c);
    server_stop(&s);
}

TEST(parse_time)
{
    time_t t;
    CHECK_EQ_INT(media_aws_parse_time("2015-08-30T12:36:00Z", 20, &t), FACET_OK);
    CHECK_EQ_INT(t, 1440938160);
    CHECK_EQ_INT(media_aws_parse_time("2015-08-30T12:36:00.123Z", 24, &t), FACET_OK);
    CHECK_EQ_INT(t, 1440938160);
    CHECK_EQ_INT(media_aws_parse_time("2015-08-30T12:36:00+00:00", 25, &t), FACET_OK);
    const char *bad[] = {"2015-08-30 12:36:00Z",      "2015-08-30T12:36:00",
                         "2015-08-30T12:36:00+01:00", "2015-13-30T12:36:00Z",
                         "2015-08-30T12:36:0xZ",      "15-08-30T12:36:00Z",
                         "2015-08-30T12:36:00.Z",     " 2015-08-30T12:36:00Z"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_EQ_INT(media_aws_parse_time(bad[i], strlen(bad[i]), &t), FACET_EINVAL);
}
