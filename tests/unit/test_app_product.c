/* The product's pure parts: the gem catalogue parser, ISO times, and the
 * viewer from access tokens (HS256, signed here with the JWT module). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/product.h"
#include "app/resolve.h"
#include "app/viewer.h"
#include "auth/jwt.h"
#include "core/error.h"
#include "test.h"

TEST(gem_packages_parse)
{
    app_gem_package_t *p;
    size_t n;
    char err[256];
    CHECK_EQ_INT(app_gem_packages_parse("a:100:99:USD,b:5:0:EUR", &p, &n, err, sizeof err),
                 FACET_OK);
    CHECK_EQ_INT((int)n, 2);
    CHECK_EQ_STR(p[0].sku, "a");
    CHECK(p[0].gems == 100 && p[0].price_cents == 99);
    CHECK_EQ_STR(p[1].currency, "EUR");
    free(p);
    const char *bad[] = {"a:0:1:USD", "a:1:1:US",    "a:1:-1:USD",          "a:x:1:USD",
                         "a:1:1",     "a:1:1:USD:x", "a:1:1:USD,a:2:2:USD", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        int rc = app_gem_packages_parse(bad[i], &p, &n, err, sizeof err);
        if (rc == FACET_OK && n == 0) {
            free(p); /* the empty list is valid */
            continue;
        }
        CHECK_EQ_INT(rc, FACET_EINVAL);
        CHECK(strstr(err, "FACET_GEM_PACKAGES") != NULL);
    }
}

TEST(iso_times)
{
    char t[32];
    app_iso_time(0, t);
    CHECK_EQ_STR(t, "1970-01-01T00:00:00.000Z");
    app_iso_time(1795852800123LL, t);
    CHECK_EQ_STR(t, "2026-11-28T08:00:00.123Z");
}

/* An app with just what token verification reads. */
typedef struct fake {
    app_t app;
    app_product_t product;
    facet_config_t cfg;
} fake_t;

static void fake_init(fake_t *f)
{
    memset(f, 0, sizeof *f);
    f->cfg.jwt_issuer = "facet";
    memcpy(f->product.jwt_key, "0123456789abcdef0123456789abcdef", 32);
    f->product.jwt_key_len = 32;
    f->app.cfg = &f->cfg;
    f->app.product = &f->product;
}

static void token_for(const fake_t *f, const char *sub, auth_role_t role, int64_t exp_in,
                      facet_buf_t *out)
{
    int64_t now = (int64_t)time(NULL);
    auth_jwt_sign_claims_t c = {.sub = facet_str_c(sub),
                                .iss = facet_str_c("facet"),
                                .sid = facet_str_c("aaaaaaaaaaaaaaaaaaaaaaaa"),
                                .role = role,
                                .iat = now - 1000,
                                .exp = now + exp_in};
    CHECK_EQ_INT(auth_jwt_sign_hs256(facet_str((const char *)f->product.jwt_key, 32), &c, out),
                 FACET_OK);
}

TEST(viewer_from_tokens)
{
    fake_t f;
    fake_init(&f);
    app_viewer_t v;
    facet_buf_t t;
    facet_buf_init(&t, 0);
    token_for(&f, "5f0000000000000000000001", AUTH_ROLE_ADMIN, 600, &t);
    CHECK_EQ_INT(app_viewer_from_token(&f.app, NULL, facet_str(t.base, t.len), &v), FACET_OK);
    CHECK_EQ_STR(v.user_id, "5f0000000000000000000001");
    CHECK_EQ_INT(v.role, APP_ROLE_ADMIN);
    CHECK(v.auth_error == NULL);

    facet_buf_reset(&t);
    token_for(&f, "5f0000000000000000000001", AUTH_ROLE_USER, -600, &t);
    CHECK_EQ_INT(app_viewer_from_token(&f.app, NULL, facet_str(t.base, t.len), &v), FACET_EPERM);
    CHECK(v.user_id[0] == '\0');
    CHECK(strstr(v.auth_error, "expired") != NULL);

    /* A subject that is not a user id is refused. */
    facet_buf_reset(&t);
    token_for(&f, "someone", AUTH_ROLE_USER, 600, &t);
    CHECK_EQ_INT(app_viewer_from_token(&f.app, NULL, facet_str(t.base, t.len), &v), FACET_EPERM);
    facet_buf_free(&t);
}

TEST(viewer_from_connection_init_payloads)
{
    fake_t f;
    fake_init(&f);
    facet_buf_t t;
    facet_buf_init(&t, 0);
    token_for(&f, "5f0000000000000000000002", AUTH_ROLE_USER, 600, &t);
    gql_value_t key = {.kind = GQL_V_STRING, .u.s = facet_str(t.base, t.len)};
    char bearer[2048];
    snprintf(bearer, sizeof bearer, "Bearer %.*s", (int)t.len, t.base);
    gql_value_t auth = {.kind = GQL_V_STRING, .u.s = facet_str_c(bearer)};
    gql_value_t basic = {.kind = GQL_V_STRING, .u.s = facet_str_c("Basic abc")};
    struct {
        const char *key;
        gql_value_t *value;
        int status;
        bool user;
    } cases[] = {
        {"authorization", &auth, FACET_OK, true},
        {"Authorization", &auth, FACET_OK, true},
        {"token", &key, FACET_OK, true},
        {"authToken", &key, FACET_OK, true},
        {"authorization", &basic, FACET_EPERM, false},
        {"other", &key, FACET_OK, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gql_member_t m = {facet_str_c(cases[i].key), cases[i].value};
        gql_value_t payload = {.kind = GQL_V_OBJECT, .u.obj = {&m, 1}};
        app_viewer_t v;
        CHECK_EQ_INT(app_viewer_from_payload(&f.app, NULL, &payload, &v), cases[i].status);
        CHECK_EQ_INT(v.user_id[0] != '\0', cases[i].user);
    }
    app_viewer_t v;
    CHECK_EQ_INT(app_viewer_from_payload(&f.app, NULL, NULL, &v), FACET_OK);
    CHECK(v.user_id[0] == '\0');
    facet_buf_free(&t);
}
