/* Tests for auth/jwks.h: key sets built here from RSA keys generated with
 * OpenSSL, RS256 tokens verified through them, the refresh schedule and
 * rate limit, and fetches from a one-shot HTTP server on a thread. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/core_names.h>
#include <openssl/rsa.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include "auth/jwks.h"
#include "auth/jwt.h"
#include "core/base64.h"
#include "core/error.h"
#include "test.h"

#define NOW 1700000000

/* ---- Fixtures ------------------------------------------------------------ */

/* Appends the base64url big-endian form of one RSA parameter. */
static void append_param(facet_buf_t *b, EVP_PKEY *key, const char *name)
{
    BIGNUM *bn = NULL;
    CHECK(EVP_PKEY_get_bn_param(key, name, &bn) == 1);
    unsigned char raw[1100];
    int n = BN_bn2bin(bn, raw);
    CHECK_EQ_INT(facet_base64_encode_buf(FACET_BASE64_URL, raw, (size_t)n, b), FACET_OK);
    BN_free(bn);
}

/* Appends one JWK; extra is inserted verbatim (e.g. ",\"alg\":\"RS256\""). */
static void append_jwk(facet_buf_t *b, EVP_PKEY *key, const char *kid, const char *extra)
{
    facet_buf_append_str(b, "{\"kty\":\"RSA\"");
    if (kid)
        facet_buf_printf(b, ",\"kid\":\"%s\"", kid);
    facet_buf_append_str(b, ",\"n\":\"");
    append_param(b, key, OSSL_PKEY_PARAM_RSA_N);
    facet_buf_append_str(b, "\",\"e\":\"");
    append_param(b, key, OSSL_PKEY_PARAM_RSA_E);
    facet_buf_printf(b, "\"%s}", extra ? extra : "");
}

static void append_b64(facet_buf_t *b, const char *s, size_t n)
{
    CHECK_EQ_INT(facet_base64_encode_buf(FACET_BASE64_URL, s, n, b), FACET_OK);
}

/* An RS256 token for kid (NULL: none) with a valid payload. */
static void rs256_token(facet_buf_t *t, EVP_PKEY *key, const char *kid)
{
    char header[96];
    snprintf(header, sizeof header,
             kid ? "{\"alg\":\"RS256\",\"kid\":\"%s\"}" : "{\"alg\":\"RS256\"}", kid);
    const char *payload = "{\"sub\":\"idp|7\",\"iss\":\"https://idp.example\",\"exp\":1700000600}";
    facet_buf_init(t, 0);
    append_b64(t, header, strlen(header));
    facet_buf_append_str(t, ".");
    append_b64(t, payload, strlen(payload));
    unsigned char sig[512];
    size_t siglen = sizeof sig;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    CHECK(EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, key) == 1);
    CHECK(EVP_DigestSign(ctx, sig, &siglen, (const unsigned char *)t->base, t->len) == 1);
    EVP_MD_CTX_free(ctx);
    facet_buf_append_str(t, ".");
    append_b64(t, (const char *)sig, siglen);
}

static int verify_with_cache(auth_jwks_cache_t *c, const facet_buf_t *t)
{
    auth_jwt_verifier_t v = {.rs256_key = auth_jwks_cache_find,
                             .rs256_ud = c,
                             .rs256 = {.issuer = FACET_STR_LIT("https://idp.example")}};
    facet_arena_t a;
    facet_arena_init(&a, 1 << 20);
    auth_jwt_claims_t claims;
    int rc = auth_jwt_verify(&a, &v, facet_str(t->base, t->len), NOW, &claims, NULL);
    facet_arena_free(&a);
    return rc;
}

static auth_jwks_t *parse_ok(const facet_buf_t *json, size_t want_count)
{
    auth_jwks_t *set = NULL;
    char err[128] = "";
    int rc = auth_jwks_parse(json->base, json->len, &set, err, sizeof err);
    if (rc != FACET_OK) {
        fprintf(stderr, "parse: %d %s\n", rc, err);
        exit(1);
    }
    CHECK_EQ_INT(auth_jwks_count(set), want_count);
    return set;
}

static void parse_fails(const char *json, const char *want_err)
{
    auth_jwks_t *set = NULL;
    char err[128] = "";
    int rc = auth_jwks_parse(json, strlen(json), &set, err, sizeof err);
    if (rc != FACET_EINVAL || strncmp(err, want_err, strlen(want_err)) != 0) {
        fprintf(stderr, "%.60s: rc %d \"%s\", expected \"%s\"\n", json, rc, err, want_err);
        exit(1);
    }
    CHECK(set == NULL);
}

/* ---- Parsing and lookup -------------------------------------------------- */

TEST(parse_keeps_only_usable_rs256_keys)
{
    EVP_PKEY *k1 = EVP_RSA_gen(2048), *k2 = EVP_RSA_gen(2048), *small = EVP_RSA_gen(1024);
    CHECK(k1 && k2 && small);
    facet_buf_t j;
    facet_buf_init(&j, 0);
    facet_buf_append_str(&j,
                         "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"a\",\"y\":\"b\"},");
    append_jwk(&j, k1, "k1", NULL);
    facet_buf_append_str(&j, ",");
    append_jwk(&j, k2, "k2", ",\"alg\":\"RS256\",\"use\":\"sig\"");
    facet_buf_append_str(&j, ",");
    append_jwk(&j, k1, "enc", ",\"use\":\"enc\"");
    facet_buf_append_str(&j, ",");
    append_jwk(&j, k1, "rs384", ",\"alg\":\"RS384\"");
    facet_buf_append_str(&j, ",");
    append_jwk(&j, small, "small", NULL);
    facet_buf_append_str(&j, ",{\"kty\":\"RSA\",\"kid\":\"bad\",\"n\":\"!!\",\"e\":\"AQAB\"}");
    facet_buf_append_str(&j, ",{\"kty\":\"RSA\",\"kid\":\"no-n\",\"e\":\"AQAB\"}, 42]}");
    auth_jwks_t *set = parse_ok(&j, 2);

    EVP_PKEY *found = NULL;
    CHECK_EQ_INT(auth_jwks_find(set, FACET_STR_LIT("k2"), &found), FACET_OK);
    CHECK(EVP_PKEY_eq(found, k2) == 1);
    EVP_PKEY_free(found);
    CHECK_EQ_INT(auth_jwks_find(set, FACET_STR_LIT("k1"), &found), FACET_OK);
    CHECK(EVP_PKEY_eq(found, k1) == 1);
    /* The reference outlives the set. */
    auth_jwks_free(set);
    CHECK_EQ_INT(EVP_PKEY_get_bits(found), 2048);
    EVP_PKEY_free(found);

    set = parse_ok(&j, 2);
    CHECK_EQ_INT(auth_jwks_find(set, FACET_STR_LIT("enc"), &found), FACET_ENOTFOUND);
    CHECK_EQ_INT(auth_jwks_find(set, FACET_STR_LIT("small"), &found), FACET_ENOTFOUND);
    CHECK_EQ_INT(auth_jwks_find(set, FACET_STR_LIT(""), &found), FACET_ENOTFOUND);
    CHECK_EQ_INT(auth_jwks_find(NULL, FACET_STR_LIT("k1"), &found), FACET_ENOTFOUND);
    auth_jwks_free(set);
    facet_buf_free(&j);
    EVP_PKEY_free(k1);
    EVP_PKEY_free(k2);
    EVP_PKEY_free(small);
}

TEST(parse_errors)
{
    parse_fails("", "JWKS is not JSON");
    parse_fails("{\"keys\":[}", "JWKS is not JSON");
    parse_fails("[]", "JWKS has no \"keys\" array");
    parse_fails("{\"keys\":{}}", "JWKS has no \"keys\" array");
    parse_fails("{\"keys\":[]}", "JWKS has no usable RS256 key");
    parse_fails("{\"keys\":[{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"}]}",
                "JWKS has no usable RS256 key");
    facet_buf_t j;
    facet_buf_init(&j, 0);
    facet_buf_append_str(&j, "{\"keys\":[");
    for (int i = 0; i < 65; i++)
        facet_buf_append_str(&j, i ? ",{}" : "{}");
    facet_buf_append_str(&j, "]}");
    facet_buf_append(&j, "", 1);
    parse_fails(j.base, "JWKS has more than 64 keys");
    facet_buf_free(&j);
}

TEST(rsa_key_checks_n_and_e)
{
    EVP_PKEY *k = EVP_RSA_gen(2048);
    facet_buf_t n;
    facet_buf_init(&n, 0);
    append_param(&n, k, OSSL_PKEY_PARAM_RSA_N);
    facet_str_t ns = facet_str(n.base, n.len);
    EVP_PKEY *out = NULL;
    CHECK_EQ_INT(auth_jwks_rsa_key(ns, FACET_STR_LIT("AQAB"), &out), FACET_OK);
    CHECK(EVP_PKEY_eq(out, k) == 1);
    EVP_PKEY_free(out);
    CHECK_EQ_INT(auth_jwks_rsa_key(ns, FACET_STR_LIT("AQAA"), &out), FACET_EINVAL); /* even */
    CHECK_EQ_INT(auth_jwks_rsa_key(ns, FACET_STR_LIT("AQ"), &out), FACET_EINVAL);   /* e = 1 */
    CHECK_EQ_INT(auth_jwks_rsa_key(ns, FACET_STR_LIT(""), &out), FACET_EINVAL);
    CHECK_EQ_INT(auth_jwks_rsa_key(ns, FACET_STR_LIT("AQAB="), &out), FACET_EINVAL);
    CHECK_EQ_INT(auth_jwks_rsa_key(facet_str(n.base, n.len - 4), FACET_STR_LIT("AQAB"), &out),
                 FACET_EINVAL); /* 2016 bits */
    facet_buf_free(&n);
    EVP_PKEY_free(k);
}

TEST(tokens_without_kid)
{
    EVP_PKEY *k1 = EVP_RSA_gen(2048), *k2 = EVP_RSA_gen(2048);
    facet_buf_t j;
    facet_buf_init(&j, 0);
    facet_buf_append_str(&j, "{\"keys\":[");
    append_jwk(&j, k1, NULL, NULL);
    facet_buf_append_str(&j, "]}");
    auth_jwks_t *one = parse_ok(&j, 1);
    EVP_PKEY *found;
    CHECK_EQ_INT(auth_jwks_find(one, FACET_STR_LIT(""), &found), FACET_OK);
    EVP_PKEY_free(found);
    CHECK_EQ_INT(auth_jwks_find(one, FACET_STR_LIT("k1"), &found), FACET_ENOTFOUND);
    auth_jwks_free(one);
    /* Two keys with kids: a token without kid matches neither. */
    facet_buf_reset(&j);
    facet_buf_append_str(&j, "{\"keys\":[");
    append_jwk(&j, k1, "a", NULL);
    facet_buf_append_str(&j, ",");
    append_jwk(&j, k2, "b", NULL);
    facet_buf_append_str(&j, "]}");
    auth_jwks_t *two = parse_ok(&j, 2);
    CHECK_EQ_INT(auth_jwks_find(two, FACET_STR_LIT(""), &found), FACET_ENOTFOUND);
    auth_jwks_free(two);
    facet_buf_free(&j);
    EVP_PKEY_free(k1);
    EVP_PKEY_free(k2);
}

TEST(rs256_token_verified_through_cache)
{
    EVP_PKEY *k1 = EVP_RSA_gen(2048), *k2 = EVP_RSA_gen(2048);
    facet_buf_t j;
    facet_buf_init(&j, 0);
    facet_buf_append_str(&j, "{\"keys\":[");
    append_jwk(&j, k1, "k1", ",\"alg\":\"RS256\"");
    facet_buf_append_str(&j, "]}");
    auth_jwks_cache_t *c;
    auth_jwks_cache_opts_t o = {.url = "https://idp.example/.well-known/jwks.json"};
    CHECK_EQ_INT(auth_jwks_cache_new(&o, &c), FACET_OK);
    facet_buf_t t1, t2;
    rs256_token(&t1, k1, "k1");
    rs256_token(&t2, k2, "k2");
    CHECK_EQ_INT(verify_with_cache(c, &t1), FACET_ENOTFOUND); /* empty before a fetch */
    auth_jwks_cache_install(c, parse_ok(&j, 1), 1000);
    CHECK_EQ_INT(auth_jwks_cache_count(c), 1);
    CHECK_EQ_INT(verify_with_cache(c, &t1), FACET_OK);
    CHECK_EQ_INT(verify_with_cache(c, &t2), FACET_ENOTFOUND);
    /* Rotation: the provider adds k2 and drops k1. */
    facet_buf_reset(&j);
    facet_buf_append_str(&j, "{\"keys\":[");
    append_jwk(&j, k2, "k2", NULL);
    facet_buf_append_str(&j, "]}");
    auth_jwks_cache_install(c, parse_ok(&j, 1), 2000);
    CHECK_EQ_INT(verify_with_cache(c, &t2), FACET_OK);
    CHECK_EQ_INT(verify_with_cache(c, &t1), FACET_ENOTFOUND);
    auth_jwks_cache_free(c);
    facet_buf_free(&t1);
    facet_buf_free(&t2);
    facet_buf_free(&j);
    EVP_PKEY_free(k1);
    EVP_PKEY_free(k2);
}

/* ---- The refresh schedule ------------------------------------------------ */

TEST(refresh_schedule_and_rate_limit)
{
    auth_jwks_cache_t *c;
    auth_jwks_cache_opts_t o = {.url = "http://127.0.0.1:9/jwks", .refresh_ms = 600000};
    CHECK_EQ_INT(auth_jwks_cache_new(&o, &c), FACET_OK);
    uint64_t t = 5000000;
    CHECK(auth_jwks_cache_begin_refresh(c, AUTH_JWKS_SCHEDULED, t));
    /* One fetch at a time. */
    CHECK(!auth_jwks_cache_begin_refresh(c, AUTH_JWKS_UNKNOWN_KID, t + 1));
    CHECK(!auth_jwks_cache_begin_refresh(c, AUTH_JWKS_SCHEDULED, t + 100000));

    EVP_PKEY *k = EVP_RSA_gen(2048);
    facet_buf_t j;
    facet_buf_init(&j, 0);
    facet_buf_append_str(&j, "{\"keys\":[");
    append_jwk(&j, k, "k", NULL);
    facet_buf_append_str(&j, "]}");
    auth_jwks_cache_install(c, parse_ok(&j, 1), t + 50);

    /* Unknown kids refetch at most once per 30 s, however many arrive. */
    CHECK(!auth_jwks_cache_begin_refresh(c, AUTH_JWKS_UNKNOWN_KID, t + 29999));
    CHECK(auth_jwks_cache_begin_refresh(c, AUTH_JWKS_UNKNOWN_KID, t + 30000));
    char err[160];
    /* Port 9 (discard) is closed here: the fetch fails, the set stays. */
    CHECK(auth_jwks_cache_refresh(c, t + 30000, err, sizeof err) != FACET_OK);
    CHECK_EQ_INT(auth_jwks_cache_count(c), 1);
    CHECK(!auth_jwks_cache_begin_refresh(c, AUTH_JWKS_UNKNOWN_KID, t + 59999));
    CHECK(auth_jwks_cache_begin_refresh(c, AUTH_JWKS_UNKNOWN_KID, t + 60000));
    auth_jwks_cache_install(c, parse_ok(&j, 1), t + 60000);

    /* Scheduled refreshes wait refresh_ms after the last success. */
    CHECK(!auth_jwks_cache_begin_refresh(c, AUTH_JWKS_SCHEDULED, t + 60000 + 599999));
    CHECK(auth_jwks_cache_begin_refresh(c, AUTH_JWKS_SCHEDULED, t + 60000 + 600000));
    CHECK(auth_jwks_cache_refresh(c, t + 660000, err, sizeof err) != FACET_OK);
    /* After a failed scheduled fetch, retry once the interval has passed. */
    CHECK(!auth_jwks_cache_begin_refresh(c, AUTH_JWKS_SCHEDULED, t + 660000 + 29999));
    CHECK(auth_jwks_cache_begin_refresh(c, AUTH_JWKS_SCHEDULED, t + 660000 + 30000));
    auth_jwks_cache_free(c);
    facet_buf_free(&j);
    EVP_PKEY_free(k);
}

TEST(cache_refuses_non_http_urls)
{
    auth_jwks_cache_t *c = NULL;
    const char *bad[] = {"file:///etc/passwd", "ftp://x/jwks", "idp.example/jwks", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        auth_jwks_cache_opts_t o = {.url = bad[i]};
        CHECK_EQ_INT(auth_jwks_cache_new(&o, &c), FACET_EINVAL);
    }
    auth_jwks_cache_opts_t none = {0};
    CHECK_EQ_INT(auth_jwks_cache_new(&none, &c), FACET_EINVAL);
}

/* ---- Fetching from a one-shot server ------------------------------------- */

typedef struct server {
    int fd;
    int port;
    const char *response; /* written after the request; NULL: never answer */
    size_t response_len;
    pthread_t thread;
} server_t;

static void *serve_once(void *arg)
{
    server_t *s = arg;
    int conn = accept(s->fd, NULL, NULL);
    if (conn < 0)
        return NULL;
    char req[4096];
    size_t got = 0;
    while (got < sizeof req - 1) {
        ssize_t n = read(conn, req + got, sizeof req - 1 - got);
        if (n <= 0)
            break;
        got += (size_t)n;
        req[got] = '\0';
        if (strstr(req, "\r\n\r\n"))
            break;
    }
    if (s->response) {
        for (size_t off = 0; off < s->response_len;) {
            ssize_t n = write(conn, s->response + off, s->response_len - off);
            if (n <= 0)
                break;
            off += (size_t)n;
        }
    } else {
        sleep(2);
    }
    close(conn);
    return NULL;
}

static void server_start(server_t *s, const char *response, size_t len)
{
    s->fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    CHECK(bind(s->fd, (struct sockaddr *)&addr, sizeof addr) == 0);
    CHECK(listen(s->fd, 4) == 0);
    socklen_t alen = sizeof addr;
    CHECK(getsockname(s->fd, (struct sockaddr *)&addr, &alen) == 0);
    s->port = ntohs(addr.sin_port);
    s->response = response;
    s->response_len = len;
    CHECK(pthread_create(&s->thread, NULL, serve_once, s) == 0);
}

static void server_stop(server_t *s)
{
    pthread_join(s->thread, NULL);
    close(s->fd);
}

/* Fetches from a server answering response; returns the refresh status. */
static int fetch_from(const char *response, size_t max_bytes, uint64_t timeout_ms,
                      auth_jwks_cache_t **out, char *err, size_t errlen)
{
    server_t s;
    server_start(&s, response, response ? strlen(response) : 0);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/jwks.json", s.port);
    auth_jwks_cache_opts_t o = {.url = url, .max_bytes = max_bytes, .timeout_ms = timeout_ms};
    CHECK_EQ_INT(auth_jwks_cache_new(&o, out), FACET_OK);
    CHECK(auth_jwks_cache_begin_refresh(*out, AUTH_JWKS_SCHEDULED, 1));
    int rc = auth_jwks_cache_refresh(*out, 1, err, errlen);
    server_stop(&s);
    return rc;
}

static char *http_response(const char *status, const facet_buf_t *body)
{
    facet_buf_t r;
    facet_buf_init(&r, 0);
    facet_buf_printf(&r,
                     "HTTP/1.1 %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
                     "Connection: close\r\n\r\n",
                     status, body->len);
    facet_buf_append(&r, body->base, body->len);
    facet_buf_append(&r, "", 1);
    return r.base;
}

TEST(refresh_fetches_over_http)
{
    EVP_PKEY *k = EVP_RSA_gen(2048);
    facet_buf_t j;
    facet_buf_init(&j, 0);
    facet_buf_append_str(&j, "{\"keys\":[");
    append_jwk(&j, k, "live", NULL);
    facet_buf_append_str(&j, "]}");
    char *ok = http_response("200 OK", &j);
    auth_jwks_cache_t *c;
    char err[160] = "";
    CHECK_EQ_INT(fetch_from(ok, 0, 0, &c, err, sizeof err), FACET_OK);
    CHECK_EQ_INT(auth_jwks_cache_count(c), 1);
    facet_buf_t t;
    rs256_token(&t, k, "live");
    CHECK_EQ_INT(verify_with_cache(c, &t), FACET_OK);
    auth_jwks_cache_free(c);

    /* A body over the cap is refused and leaves the cache empty. */
    CHECK_EQ_INT(fetch_from(ok, 100, 0, &c, err, sizeof err), FACET_ELIMIT);
    CHECK_EQ_STR(err, "JWKS response exceeds 100 bytes");
    CHECK_EQ_INT(auth_jwks_cache_count(c), 0);
    auth_jwks_cache_free(c);
    free(ok);

    facet_buf_t notfound;
    facet_buf_init(&notfound, 0);
    facet_buf_append_str(&notfound, "{\"error\":\"nope\"}");
    char *nf = http_response("404 Not Found", &notfound);
    CHECK_EQ_INT(fetch_from(nf, 0, 0, &c, err, sizeof err), FACET_EIO);
    CHECK_EQ_STR(err, "JWKS fetch answered HTTP 404");
    auth_jwks_cache_free(c);
    free(nf);
    /* 200 with something that is not a key set. */
    char *junk = http_response("200 OK", &notfound);
    CHECK_EQ_INT(fetch_from(junk, 0, 0, &c, err, sizeof err), FACET_EINVAL);
    auth_jwks_cache_free(c);
    free(junk);
    facet_buf_free(&notfound);
    facet_buf_free(&t);
    facet_buf_free(&j);
    EVP_PKEY_free(k);
}

TEST(refresh_times_out)
{
    auth_jwks_cache_t *c;
    char err[160] = "";
    CHECK_EQ_INT(fetch_from(NULL, 0, 300, &c, err, sizeof err), FACET_ETIMEDOUT);
    CHECK_EQ_STR(err, "JWKS fetch timed out");
    /* The refresh ended: another may begin once the interval passes. */
    CHECK(auth_jwks_cache_begin_refresh(c, AUTH_JWKS_UNKNOWN_KID, 1 + AUTH_JWKS_MIN_INTERVAL));
    auth_jwks_cache_free(c);
}

/* ---- Lookups while sets are swapped -------------------------------------- */

typedef struct race {
    auth_jwks_cache_t *c;
    facet_buf_t *token;
    int verified;
} race_t;

static void *verify_loop(void *arg)
{
    race_t *r = arg;
    for (int i = 0; i < 200; i++)
        if (verify_with_cache(r->c, r->token) == FACET_OK)
            r->verified++;
    return NULL;
}

TEST(lookups_race_with_installs)
{
    EVP_PKEY *k = EVP_RSA_gen(2048);
    facet_buf_t j;
    facet_buf_init(&j, 0);
    facet_buf_append_str(&j, "{\"keys\":[");
    append_jwk(&j, k, "k", NULL);
    facet_buf_append_str(&j, "]}");
    auth_jwks_cache_t *c;
    auth_jwks_cache_opts_t o = {.url = "https://idp.example/jwks"};
    CHECK_EQ_INT(auth_jwks_cache_new(&o, &c), FACET_OK);
    auth_jwks_cache_install(c, parse_ok(&j, 1), 0);
    facet_buf_t t;
    rs256_token(&t, k, "k");
    race_t r[3];
    pthread_t th[3];
    for (int i = 0; i < 3; i++) {
        r[i] = (race_t){c, &t, 0};
        CHECK(pthread_create(&th[i], NULL, verify_loop, &r[i]) == 0);
    }
    for (int i = 0; i < 100; i++)
        auth_jwks_cache_install(c, parse_ok(&j, 1), (uint64_t)i);
    for (int i = 0; i < 3; i++) {
        pthread_join(th[i], NULL);
        CHECK_EQ_INT(r[i].verified, 200);
    }
    auth_jwks_cache_free(c);
    facet_buf_free(&t);
    facet_buf_free(&j);
    EVP_PKEY_free(k);
}
