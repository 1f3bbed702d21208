/* Tests for auth/jwt.h: RFC 7515 appendix A.1 (HS256) and A.2 (RS256),
 * Facet's own tokens, every claim check, algorithm confusion, and malformed
 * input. Tokens under test are built here with OpenSSL's HMAC and signing
 * functions, independently of the code under test. */
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "auth/jwks.h"
#include "auth/jwt.h"
#include "core/base64.h"
#include "core/error.h"
#include "test.h"

#define SECRET "0123456789abcdef0123456789abcdef"
#define NOW    1700000000

/* ---- Building tokens -------------------------------------------------- */

typedef enum { SIGN_HS256, SIGN_RS256, SIGN_NONE, SIGN_GARBAGE } sign_how_t;

typedef struct signer {
    sign_how_t how;
    const void *secret; /* HS256 */
    size_t secret_len;
    EVP_PKEY *key; /* RS256 */
} signer_t;

static void append_b64(facet_buf_t *b, const void *p, size_t n)
{
    CHECK_EQ_INT(facet_base64_encode_buf(FACET_BASE64_URL, p, n, b), FACET_OK);
}

static void sign_input(const signer_t *s, const char *input, size_t len, facet_buf_t *out)
{
    unsigned char sig[1024];
    size_t siglen = 0;
    if (s->how == SIGN_HS256) {
        unsigned int n = 0;
        CHECK(HMAC(EVP_sha256(), s->secret, (int)s->secret_len, (const unsigned char *)input, len,
                   sig, &n));
        siglen = n;
    } else if (s->how == SIGN_RS256) {
        EVP_MD_CTX *ctx = EVP_MD_CTX_new();
        siglen = sizeof sig;
        CHECK(EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, s->key) == 1);
        CHECK(EVP_DigestSign(ctx, sig, &siglen, (const unsigned char *)input, len) == 1);
        EVP_MD_CTX_free(ctx);
    } else if (s->how == SIGN_GARBAGE) {
        memset(sig, 0x5a, 32);
        siglen = 32;
    }
    append_b64(out, sig, siglen);
}

/* Appends header.payload.signature to out (which starts empty). */
static void make_token(facet_buf_t *out, const char *header, const char *payload, const signer_t *s)
{
    facet_buf_init(out, 0);
    append_b64(out, header, strlen(header));
    facet_buf_append_str(out, ".");
    append_b64(out, payload, strlen(payload));
    size_t input_len = out->len;
    facet_buf_append_str(out, ".");
    sign_input(s, out->base, input_len, out);
}

static const signer_t hs = {SIGN_HS256, SECRET, sizeof SECRET - 1, NULL};

/* ---- Verifying -------------------------------------------------------- */

typedef struct keyring {
    const char *kid;
    EVP_PKEY *key;
} keyring_t;

static int keyring_find(void *ud, facet_str_t kid, EVP_PKEY **out)
{
    const keyring_t *k = ud;
    if (!facet_str_eq(kid, facet_str_c(k->kid)))
        return FACET_ENOTFOUND;
    EVP_PKEY_up_ref(k->key);
    *out = k->key;
    return FACET_OK;
}

static auth_jwt_verifier_t hs_verifier(void)
{
    return (auth_jwt_verifier_t){.hs256_secret = FACET_STR_LIT(SECRET),
                                 .hs256 = {.issuer = FACET_STR_LIT("facet")}};
}

static auth_jwt_verifier_t rs_verifier(keyring_t *ring)
{
    return (auth_jwt_verifier_t){.rs256_key = keyring_find,
                                 .rs256_ud = ring,
                                 .rs256 = {.issuer = FACET_STR_LIT("https://idp.example"),
                                           .audience = FACET_STR_LIT("facet-api")}};
}

/* Verifies text and checks the status and reason; returns the claims. */
static auth_jwt_claims_t expect_v(const auth_jwt_verifier_t *v, facet_str_t text, int64_t now,
                                  int want_rc, auth_jwt_reason_t want_reason, int line)
{
    facet_arena_t a;
    facet_arena_init(&a, 1 << 20);
    auth_jwt_claims_t c;
    auth_jwt_error_t err = {.reason = 99};
    int rc = auth_jwt_verify(&a, v, text, now, &c, &err);
    if (rc != want_rc || err.reason != want_reason) {
        fprintf(stderr, "line %d: rc %d reason %d (%s), expected rc %d reason %d\n", line, rc,
                err.reason, err.message, want_rc, want_reason);
        exit(1);
    }
    /* Slices point into the arena: copy what the tests look at. */
    static char sub[64], sid[64], kid[64];
    snprintf(sub, sizeof sub, "%.*s", (int)c.sub.len, c.sub.base ? c.sub.base : "");
    snprintf(sid, sizeof sid, "%.*s", (int)c.sid.len, c.sid.base ? c.sid.base : "");
    snprintf(kid, sizeof kid, "%.*s", (int)c.kid.len, c.kid.base ? c.kid.base : "");
    c.sub = facet_str_c(sub);
    c.sid = facet_str_c(sid);
    c.kid = facet_str_c(kid);
    c.iss = FACET_STR_NULL;
    facet_arena_free(&a);
    return c;
}

#define EXPECT(v, text, now, rc, reason) expect_v(v, text, now, rc, reason, __LINE__)
#define BUF(b)                           facet_str((b).base, (b).len)

/* Builds an HS256 token with the given payload and checks the outcome. */
static void hs_case(const char *payload, int64_t now, int rc, auth_jwt_reason_t reason, int line)
{
    facet_buf_t t;
    make_token(&t, "{\"alg\":\"HS256\",\"typ\":\"JWT\"}", payload, &hs);
    auth_jwt_verifier_t v = hs_verifier();
    expect_v(&v, BUF(t), now, rc, reason, line);
    facet_buf_free(&t);
}
#define HS_CASE(payload, now, rc, reason) hs_case(payload, now, rc, reason, __LINE__)

#define GOOD "\"sub\":\"u1\",\"iss\":\"facet\",\"exp\":1700000600"

/* ---- RFC 7515 vectors ------------------------------------------------- */

#define A1_TOKEN                                                                                   \
    "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9."                                                    \
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVl" \
    "fQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
#define A1_KEY \
    "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"

#define A2_TOKEN                                                                                   \
    "eyJhbGciOiJSUzI1NiJ9."                                                                        \
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVl" \
    "fQ.cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_"            \
    "lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIA" \
    "RNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-"                                \
    "eOkHWEsqtFZESc6BfI7noOPqvhJ1phCn"                                                             \
    "vWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw"
#define A2_N                                                                       \
    "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-"        \
    "4qPCJrcS2mJPMEzP1Pt0Bm4d"                                                     \
    "4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-"      \
    "bSf63kpaSHSXndS5z5rexM"                                                       \
    "dbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_" \
    "I5IhlJH7aGhyxXFvU"                                                            \
    "K-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ"

TEST(rfc7515_a1_hs256)
{
    unsigned char key[64];
    size_t n;
    CHECK_EQ_INT(
        facet_base64_decode(FACET_BASE64_URL, A1_KEY, strlen(A1_KEY), key, sizeof key, &n, NULL, 0),
        FACET_OK);
    auth_jwt_verifier_t v = {.hs256_secret = facet_str((const char *)key, n),
                             .hs256 = {.issuer = FACET_STR_LIT("joe")}};
    /* The signature verifies; the example then lacks the sub Facet needs,
     * and has expired by today. */
    EXPECT(&v, FACET_STR_LIT(A1_TOKEN), 1300819000, FACET_EPERM, AUTH_JWT_CLAIMS);
    EXPECT(&v, FACET_STR_LIT(A1_TOKEN), NOW, FACET_EPERM, AUTH_JWT_EXPIRED);
    key[0] ^= 1;
    EXPECT(&v, FACET_STR_LIT(A1_TOKEN), 1300819000, FACET_EPERM, AUTH_JWT_SIGNATURE);
}

TEST(rfc7515_a2_rs256)
{
    EVP_PKEY *key = NULL;
    CHECK_EQ_INT(auth_jwks_rsa_key(FACET_STR_LIT(A2_N), FACET_STR_LIT("AQAB"), &key), FACET_OK);
    keyring_t ring = {"", key};
    auth_jwt_verifier_t v = rs_verifier(&ring);
    v.rs256.issuer = FACET_STR_LIT("joe");
    v.rs256.audience = FACET_STR_NULL;
    EXPECT(&v, FACET_STR_LIT(A2_TOKEN), 1300819000, FACET_EPERM, AUTH_JWT_CLAIMS);
    EXPECT(&v, FACET_STR_LIT(A2_TOKEN), NOW, FACET_EPERM, AUTH_JWT_EXPIRED);
    /* One flipped bit in the signature. */
    char bad[] = A2_TOKEN;
    bad[sizeof bad - 3] = bad[sizeof bad - 3] == 'A' ? 'B' : 'A';
    EXPECT(&v, FACET_STR_LIT(bad), 1300819000, FACET_EPERM, AUTH_JWT_SIGNATURE);
    /* The same token under an HS256-only configuration is refused by alg. */
    auth_jwt_verifier_t hv = hs_verifier();
    EXPECT(&hv, FACET_STR_LIT(A2_TOKEN), 1300819000, FACET_EPERM, AUTH_JWT_ALG);
    EVP_PKEY_free(key);
}

/* ---- Facet's own tokens ----------------------------------------------- */

TEST(sign_then_verify_round_trip)
{
    auth_jwt_sign_claims_t sc = {.sub = FACET_STR_LIT("65f0c0ffee"),
                                 .iss = FACET_STR_LIT("facet"),
                                 .sid = FACET_STR_LIT("sess-1"),
                                 .role = AUTH_ROLE_ADMIN,
                                 .iat = NOW,
                                 .exp = NOW + 900};
    facet_buf_t t;
    facet_buf_init(&t, 0);
    CHECK_EQ_INT(auth_jwt_sign_hs256(FACET_STR_LIT(SECRET), &sc, &t), FACET_OK);
    CHECK(strncmp(t.base, "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.", 37) == 0);
    auth_jwt_verifier_t v = hs_verifier();
    auth_jwt_claims_t c = EXPECT(&v, BUF(t), NOW + 10, FACET_OK, AUTH_JWT_OK);
    CHECK_SLICE(c.sub, "65f0c0ffee");
    CHECK_SLICE(c.sid, "sess-1");
    CHECK(c.role == AUTH_ROLE_ADMIN && c.alg == AUTH_JWT_HS256);
    CHECK_EQ_INT(c.iat, NOW);
    CHECK_EQ_INT(c.exp, NOW + 900);

    /* The payload is exactly the documented JSON. */
    const char *dot1 = memchr(t.base, '.', t.len), *dot2 = memchr(dot1 + 1, '.', t.len - 38);
    facet_buf_t json;
    facet_buf_init(&json, 0);
    CHECK_EQ_INT(facet_base64_decode_buf(FACET_BASE64_URL, dot1 + 1, (size_t)(dot2 - dot1 - 1),
                                         &json, NULL, 0),
                 FACET_OK);
    CHECK_SLICE(BUF(json), "{\"sub\":\"65f0c0ffee\",\"iat\":1700000000,\"exp\":1700000900,"
                           "\"iss\":\"facet\",\"role\":\"ADMIN\",\"sid\":\"sess-1\"}");

    /* With an audience, it is written and must then be expected. */
    facet_buf_reset(&t);
    sc.aud = FACET_STR_LIT("facet-app");
    sc.role = AUTH_ROLE_USER;
    CHECK_EQ_INT(auth_jwt_sign_hs256(FACET_STR_LIT(SECRET), &sc, &t), FACET_OK);
    EXPECT(&v, BUF(t), NOW, FACET_EPERM, AUTH_JWT_AUDIENCE);
    v.hs256.audience = FACET_STR_LIT("facet-app");
    c = EXPECT(&v, BUF(t), NOW, FACET_OK, AUTH_JWT_OK);
    CHECK(c.role == AUTH_ROLE_USER);
    facet_buf_free(&json);
    facet_buf_free(&t);
}

TEST(sign_refuses_bad_input)
{
    auth_jwt_sign_claims_t sc = {.sub = FACET_STR_LIT("u"),
                                 .iss = FACET_STR_LIT("facet"),
                                 .sid = FACET_STR_LIT("s"),
                                 .iat = NOW,
                                 .exp = NOW + 1};
    facet_buf_t t;
    facet_buf_init(&t, 0);
    CHECK_EQ_INT(auth_jwt_sign_hs256(FACET_STR_LIT("0123456789abcdef0123456789abcde"), &sc, &t),
                 FACET_EINVAL);
    CHECK_EQ_INT(auth_jwt_check_secret(FACET_STR_LIT("short")), FACET_EINVAL);
    CHECK_EQ_INT(auth_jwt_check_secret(FACET_STR_LIT(SECRET)), FACET_OK);
    sc.exp = NOW;
    CHECK_EQ_INT(auth_jwt_sign_hs256(FACET_STR_LIT(SECRET), &sc, &t), FACET_EINVAL);
    sc.exp = NOW + 1;
    sc.sub = FACET_STR_LIT("");
    CHECK_EQ_INT(auth_jwt_sign_hs256(FACET_STR_LIT(SECRET), &sc, &t), FACET_EINVAL);
    CHECK_EQ_INT(t.len, 0);
    facet_buf_t tiny;
    facet_buf_init(&tiny, 60);
    sc.sub = FACET_STR_LIT("u");
    CHECK_EQ_INT(auth_jwt_sign_hs256(FACET_STR_LIT(SECRET), &sc, &tiny), FACET_ELIMIT);
    CHECK_EQ_INT(tiny.len, 0);
    facet_buf_free(&tiny);
    facet_buf_free(&t);
}

TEST(short_hs256_secret_means_hs256_off)
{
    facet_buf_t t;
    make_token(&t, "{\"alg\":\"HS256\"}", "{" GOOD "}", &hs);
    auth_jwt_verifier_t v = hs_verifier();
    v.hs256_secret = FACET_STR_LIT("short secret");
    EXPECT(&v, BUF(t), NOW, FACET_EPERM, AUTH_JWT_ALG);
    facet_buf_free(&t);
}

/* ---- Claims ----------------------------------------------------------- */

TEST(time_claims_with_leeway)
{
    HS_CASE("{" GOOD "}", NOW, FACET_OK, AUTH_JWT_OK);
    /* exp 1700000600: valid until 30 s after it. */
    HS_CASE("{" GOOD "}", 1700000629, FACET_OK, AUTH_JWT_OK);
    HS_CASE("{" GOOD "}", 1700000630, FACET_EPERM, AUTH_JWT_EXPIRED);
    HS_CASE("{" GOOD ",\"nbf\":1700000100}", 1700000070, FACET_OK, AUTH_JWT_OK);
    HS_CASE("{" GOOD ",\"nbf\":1700000100}", 1700000069, FACET_EPERM, AUTH_JWT_NOT_YET_VALID);
    HS_CASE("{" GOOD ",\"iat\":1700000100}", 1700000069, FACET_EPERM, AUTH_JWT_NOT_YET_VALID);
    HS_CASE("{" GOOD ",\"iat\":1699999000.5}", NOW, FACET_OK, AUTH_JWT_OK);
    HS_CASE("{\"sub\":\"u1\",\"iss\":\"facet\",\"exp\":1700000000.5}", NOW + 30, FACET_OK,
            AUTH_JWT_OK);

    facet_buf_t t;
    make_token(&t, "{\"alg\":\"HS256\"}", "{" GOOD "}", &hs);
    auth_jwt_verifier_t v = hs_verifier();
    v.leeway_s = AUTH_JWT_NO_LEEWAY;
    EXPECT(&v, BUF(t), 1700000599, FACET_OK, AUTH_JWT_OK);
    EXPECT(&v, BUF(t), 1700000600, FACET_EPERM, AUTH_JWT_EXPIRED);
    v.leeway_s = 120;
    EXPECT(&v, BUF(t), 1700000719, FACET_OK, AUTH_JWT_OK);
    EXPECT(&v, BUF(t), INT64_MAX, FACET_EPERM, AUTH_JWT_EXPIRED);
    EXPECT(&v, BUF(t), INT64_MIN, FACET_OK, AUTH_JWT_OK);
    facet_buf_free(&t);
}

TEST(required_and_typed_claims)
{
    HS_CASE("{\"iss\":\"facet\",\"exp\":1700000600}", NOW, FACET_EPERM, AUTH_JWT_CLAIMS);
    HS_CASE("{\"sub\":\"\",\"iss\":\"facet\",\"exp\":1700000600}", NOW, FACET_EPERM,
            AUTH_JWT_CLAIMS);
    HS_CASE("{\"sub\":42,\"iss\":\"facet\",\"exp\":1700000600}", NOW, FACET_EPERM, AUTH_JWT_CLAIMS);
    HS_CASE("{\"sub\":\"u1\",\"iss\":\"facet\"}", NOW, FACET_EPERM, AUTH_JWT_CLAIMS);
    HS_CASE("{\"sub\":\"u1\",\"iss\":\"facet\",\"exp\":\"1700000600\"}", NOW, FACET_EPERM,
            AUTH_JWT_CLAIMS);
    HS_CASE("{\"sub\":\"u1\",\"iss\":\"facet\",\"exp\":-1}", NOW, FACET_EPERM, AUTH_JWT_CLAIMS);
    HS_CASE("{\"sub\":\"u1\",\"iss\":\"facet\",\"exp\":1e300}", NOW, FACET_EPERM, AUTH_JWT_CLAIMS);
    HS_CASE("{" GOOD ",\"nbf\":null}", NOW, FACET_EPERM, AUTH_JWT_CLAIMS);
    HS_CASE("{" GOOD ",\"sid\":7}", NOW, FACET_EPERM, AUTH_JWT_CLAIMS);
    HS_CASE("{" GOOD ",\"role\":\"ROOT\"}", NOW, FACET_EPERM, AUTH_JWT_CLAIMS);
    HS_CASE("{" GOOD ",\"role\":\"admin\"}", NOW, FACET_EPERM, AUTH_JWT_CLAIMS);
    HS_CASE("{" GOOD ",\"role\":\"\"}", NOW, FACET_EPERM, AUTH_JWT_CLAIMS);
    HS_CASE("{" GOOD ",\"role\":[\"ADMIN\"]}", NOW, FACET_EPERM, AUTH_JWT_CLAIMS);
    HS_CASE("{" GOOD ",\"role\":\"USER\",\"sid\":\"s9\",\"extra\":{\"x\":[1]}}", NOW, FACET_OK,
            AUTH_JWT_OK);
}

TEST(issuer_checks)
{
    HS_CASE("{\"sub\":\"u1\",\"exp\":1700000600}", NOW, FACET_EPERM, AUTH_JWT_ISSUER);
    HS_CASE("{\"sub\":\"u1\",\"iss\":\"facet2\",\"exp\":1700000600}", NOW, FACET_EPERM,
            AUTH_JWT_ISSUER);
    HS_CASE("{\"sub\":\"u1\",\"iss\":\"Facet\",\"exp\":1700000600}", NOW, FACET_EPERM,
            AUTH_JWT_ISSUER);
    /* With no issuer expected, any iss passes. */
    facet_buf_t t;
    make_token(&t, "{\"alg\":\"HS256\"}", "{\"sub\":\"u1\",\"iss\":\"x\",\"exp\":1700000600}", &hs);
    auth_jwt_verifier_t v = hs_verifier();
    v.hs256.issuer = FACET_STR_NULL;
    EXPECT(&v, BUF(t), NOW, FACET_OK, AUTH_JWT_OK);
    facet_buf_free(&t);
}

static void aud_case(const char *aud_json, const char *expected, int rc, auth_jwt_reason_t reason,
                     int line)
{
    char payload[256];
    snprintf(payload, sizeof payload, "{" GOOD "%s%s}", aud_json ? ",\"aud\":" : "",
             aud_json ? aud_json : "");
    facet_buf_t t;
    make_token(&t, "{\"alg\":\"HS256\"}", payload, &hs);
    auth_jwt_verifier_t v = hs_verifier();
    v.hs256.audience = facet_str_c(expected);
    expect_v(&v, BUF(t), NOW, rc, reason, line);
    facet_buf_free(&t);
}
#define AUD_CASE(aud, want, rc, reason) aud_case(aud, want, rc, reason, __LINE__)

TEST(audience_string_or_array)
{
    AUD_CASE("\"api\"", "api", FACET_OK, AUTH_JWT_OK);
    AUD_CASE("[\"web\",\"api\"]", "api", FACET_OK, AUTH_JWT_OK);
    AUD_CASE("\"web\"", "api", FACET_EPERM, AUTH_JWT_AUDIENCE);
    AUD_CASE("[\"web\",\"apix\"]", "api", FACET_EPERM, AUTH_JWT_AUDIENCE);
    AUD_CASE("[]", "api", FACET_EPERM, AUTH_JWT_AUDIENCE);
    AUD_CASE(NULL, "api", FACET_EPERM, AUTH_JWT_AUDIENCE);
    AUD_CASE("[\"api\",3]", "api", FACET_EPERM, AUTH_JWT_CLAIMS);
    AUD_CASE("{\"api\":true}", "api", FACET_EPERM, AUTH_JWT_CLAIMS);
    /* No audience expected: a token naming one is not for us. */
    AUD_CASE("\"api\"", "", FACET_EPERM, AUTH_JWT_AUDIENCE);
    AUD_CASE(NULL, "", FACET_OK, AUTH_JWT_OK);
}

/* ---- Tampering and algorithm confusion --------------------------------- */

TEST(tampered_payload_and_signature)
{
    facet_buf_t t, other;
    make_token(&t, "{\"alg\":\"HS256\"}", "{" GOOD ",\"role\":\"USER\"}", &hs);
    make_token(&other, "{\"alg\":\"HS256\"}", "{" GOOD ",\"role\":\"ADMIN\"}", &hs);
    auth_jwt_verifier_t v = hs_verifier();
    EXPECT(&v, BUF(t), NOW, FACET_OK, AUTH_JWT_OK);
    /* Splice the ADMIN payload under the USER signature. */
    const char *d1 = memchr(t.base, '.', t.len), *d2 = memchr(d1 + 1, '.', t.len);
    const char *o1 = memchr(other.base, '.', other.len), *o2 = memchr(o1 + 1, '.', other.len);
    facet_buf_t spliced;
    facet_buf_init(&spliced, 0);
    facet_buf_append(&spliced, other.base, (size_t)(o2 - other.base));
    facet_buf_append(&spliced, d2, (size_t)(t.base + t.len - d2));
    EXPECT(&v, BUF(spliced), NOW, FACET_EPERM, AUTH_JWT_SIGNATURE);
    /* Flip one character of the signature, then drop one. */
    t.base[t.len - 2] = t.base[t.len - 2] == 'A' ? 'B' : 'A';
    EXPECT(&v, BUF(t), NOW, FACET_EPERM, AUTH_JWT_SIGNATURE);
    EXPECT(&v, facet_str(t.base, t.len - 3), NOW, FACET_EPERM, AUTH_JWT_SIGNATURE);
    /* A different secret. */
    signer_t wrong = {SIGN_HS256, "another secret of thirty-two bytes", 34, NULL};
    facet_buf_t w;
    make_token(&w, "{\"alg\":\"HS256\"}", "{" GOOD "}", &wrong);
    EXPECT(&v, BUF(w), NOW, FACET_EPERM, AUTH_JWT_SIGNATURE);
    (void)d1;
    facet_buf_free(&w);
    facet_buf_free(&spliced);
    facet_buf_free(&other);
    facet_buf_free(&t);
}

TEST(alg_none_and_unknown_algs_refused)
{
    const char *headers[] = {"{\"alg\":\"none\"}",  "{\"alg\":\"None\"}",  "{\"alg\":\"NONE\"}",
                             "{\"alg\":\"HS512\"}", "{\"alg\":\"hs256\"}", "{\"alg\":\"ES256\"}",
                             "{\"alg\":\"PS256\"}"};
    signer_t none = {SIGN_NONE, NULL, 0, NULL};
    signer_t garbage = {SIGN_GARBAGE, NULL, 0, NULL};
    auth_jwt_verifier_t v = hs_verifier();
    for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++) {
        facet_buf_t t;
        make_token(&t, headers[i], "{" GOOD "}", &garbage);
        EXPECT(&v, BUF(t), NOW, FACET_EPERM, AUTH_JWT_ALG);
        facet_buf_free(&t);
    }
    /* "alg":"none" with the empty signature it calls for. */
    facet_buf_t t;
    make_token(&t, "{\"alg\":\"none\"}", "{" GOOD "}", &none);
    CHECK(t.base[t.len - 1] == '.');
    EXPECT(&v, BUF(t), NOW, FACET_EINVAL, AUTH_JWT_MALFORMED);
    facet_buf_free(&t);
}

TEST(alg_confusion_rsa_public_key_as_hmac_secret)
{
    EVP_PKEY *key = EVP_RSA_gen(2048);
    CHECK(key);
    /* The attacker knows the public key and signs HS256 with its PEM. */
    BIO *bio = BIO_new(BIO_s_mem());
    CHECK(PEM_write_bio_PUBKEY(bio, key) == 1);
    char *pem;
    long pem_len = BIO_get_mem_data(bio, &pem);
    signer_t forged = {SIGN_HS256, pem, (size_t)pem_len, NULL};
    facet_buf_t t;
    make_token(&t, "{\"alg\":\"HS256\",\"kid\":\"k1\"}",
               "{\"sub\":\"u1\",\"iss\":\"https://idp.example\",\"aud\":\"facet-api\","
               "\"exp\":1700000600}",
               &forged);
    keyring_t ring = {"k1", key};
    auth_jwt_verifier_t v = rs_verifier(&ring);
    EXPECT(&v, BUF(t), NOW, FACET_EPERM, AUTH_JWT_ALG);
    /* With both kinds configured, HS256 uses the HS256 secret only. */
    v.hs256_secret = FACET_STR_LIT(SECRET);
    EXPECT(&v, BUF(t), NOW, FACET_EPERM, AUTH_JWT_SIGNATURE);
    facet_buf_free(&t);
    BIO_free(bio);
    EVP_PKEY_free(key);
}

TEST(rs256_with_generated_key_and_kid)
{
    EVP_PKEY *key = EVP_RSA_gen(2048), *other = EVP_RSA_gen(2048);
    CHECK(key && other);
    signer_t rs = {SIGN_RS256, NULL, 0, key};
    const char *payload = "{\"sub\":\"idp|42\",\"iss\":\"https://idp.example\","
                          "\"aud\":[\"x\",\"facet-api\"],\"exp\":1700000600,\"iat\":1699999990}";
    facet_buf_t t;
    make_token(&t, "{\"alg\":\"RS256\",\"kid\":\"k1\",\"typ\":\"JWT\"}", payload, &rs);
    keyring_t ring = {"k1", key};
    auth_jwt_verifier_t v = rs_verifier(&ring);
    auth_jwt_claims_t c = EXPECT(&v, BUF(t), NOW, FACET_OK, AUTH_JWT_OK);
    CHECK(c.alg == AUTH_JWT_RS256 && c.role == AUTH_ROLE_USER);
    CHECK_SLICE(c.kid, "k1");
    CHECK_SLICE(c.sub, "idp|42");
    /* Unknown kid: the caller may refresh its key set. */
    keyring_t elsewhere = {"k2", key};
    v.rs256_ud = &elsewhere;
    EXPECT(&v, BUF(t), NOW, FACET_ENOTFOUND, AUTH_JWT_UNKNOWN_KEY);
    /* The right kid but another key. */
    keyring_t swapped = {"k1", other};
    v.rs256_ud = &swapped;
    EXPECT(&v, BUF(t), NOW, FACET_EPERM, AUTH_JWT_SIGNATURE);
    /* An RS256 token when only HS256 is configured. */
    auth_jwt_verifier_t hv = hs_verifier();
    EXPECT(&hv, BUF(t), NOW, FACET_EPERM, AUTH_JWT_ALG);
    /* Claims are checked against the RS256 expectations. */
    v.rs256_ud = &ring;
    v.rs256.issuer = FACET_STR_LIT("facet");
    EXPECT(&v, BUF(t), NOW, FACET_EPERM, AUTH_JWT_ISSUER);
    facet_buf_free(&t);
    EVP_PKEY_free(key);
    EVP_PKEY_free(other);
}

TEST(small_rsa_keys_refused)
{
    EVP_PKEY *key = EVP_RSA_gen(1024);
    CHECK(key);
    signer_t rs = {SIGN_RS256, NULL, 0, key};
    facet_buf_t t;
    make_token(&t, "{\"alg\":\"RS256\",\"kid\":\"k1\"}",
               "{\"sub\":\"u\",\"iss\":\"https://idp.example\",\"aud\":\"facet-api\","
               "\"exp\":1700000600}",
               &rs);
    keyring_t ring = {"k1", key};
    auth_jwt_verifier_t v = rs_verifier(&ring);
    EXPECT(&v, BUF(t), NOW, FACET_EPERM, AUTH_JWT_ALG);
    facet_buf_free(&t);
    EVP_PKEY_free(key);
}

/* ---- Malformed tokens ---------------------------------------------------- */

TEST(malformed_segments)
{
    auth_jwt_verifier_t v = hs_verifier();
    const char *bad[] = {
        "",
        "abc",
        "a.b",
        "a.b.c.d",
        "..",
        "eyJhbGciOiJIUzI1NiJ9..sig",
        ".eyJzdWIiOiJ1In0.c2ln",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln=",
        "eyJhbGciOiJIUzI1NiJ9=.eyJzdWIiOiJ1In0.c2ln",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2l+",
        "eyJhbGciOiJIUzI1NiJ9 .eyJzdWIiOiJ1In0.c2ln",
        "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln",
        "bm90IGpzb24.eyJzdWIiOiJ1In0.c2ln",        /* header "not json" */
        "WzFd.eyJzdWIiOiJ1In0.c2ln",               /* header [1] */
        "eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiJ1In0.c2ln", /* no alg */
        "eyJhbGciOjF9.eyJzdWIiOiJ1In0.c2ln",       /* alg 1 */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        facet_arena_t a;
        facet_arena_init(&a, 1 << 20);
        auth_jwt_claims_t c;
        auth_jwt_error_t err;
        int rc = auth_jwt_verify(&a, &v, facet_str_c(bad[i]), NOW, &c, &err);
        if (rc != FACET_EINVAL || err.reason != AUTH_JWT_MALFORMED) {
            fprintf(stderr, "\"%s\": rc %d reason %d (%s)\n", bad[i], rc, err.reason, err.message);
            exit(1);
        }
        facet_arena_free(&a);
    }
    EXPECT(&v, FACET_STR_NULL, NOW, FACET_EINVAL, AUTH_JWT_MALFORMED);
}

TEST(header_fields)
{
    auth_jwt_verifier_t v = hs_verifier();
    facet_buf_t t;
    make_token(&t, "{\"alg\":\"HS256\",\"crit\":[\"exp\"],\"exp\":1}", "{" GOOD "}", &hs);
    EXPECT(&v, BUF(t), NOW, FACET_EINVAL, AUTH_JWT_MALFORMED);
    facet_buf_free(&t);
    make_token(&t, "{\"alg\":\"HS256\",\"kid\":5}", "{" GOOD "}", &hs);
    EXPECT(&v, BUF(t), NOW, FACET_EINVAL, AUTH_JWT_MALFORMED);
    facet_buf_free(&t);
    make_token(&t, "{\"alg\":\"HS256\",\"kid\":\"abc\"}", "{" GOOD "}", &hs);
    auth_jwt_claims_t c = EXPECT(&v, BUF(t), NOW, FACET_OK, AUTH_JWT_OK);
    CHECK_SLICE(c.kid, "abc");
    facet_buf_free(&t);
    /* Whitespace and a duplicate key: JSON.parse semantics, last one wins. */
    make_token(&t, " { \"alg\" : \"none\", \"alg\":\"HS256\" } ", "{" GOOD "}", &hs);
    EXPECT(&v, BUF(t), NOW, FACET_OK, AUTH_JWT_OK);
    facet_buf_free(&t);
}

TEST(payload_not_json)
{
    auth_jwt_verifier_t v = hs_verifier();
    const char *payloads[] = {"not json",         "[1,2]", "\"sub\"",
                              "{\"sub\":\"u\",}", "",      "{\"sub\":\"u\"} x"};
    for (size_t i = 0; i < sizeof payloads / sizeof payloads[0]; i++) {
        facet_buf_t t;
        make_token(&t, "{\"alg\":\"HS256\"}", payloads[i], &hs);
        EXPECT(&v, BUF(t), NOW, FACET_EINVAL, AUTH_JWT_MALFORMED);
        facet_buf_free(&t);
    }
}

TEST(huge_tokens_capped)
{
    char payload[9000];
    int n = snprintf(payload, sizeof payload, "{" GOOD ",\"pad\":\"");
    memset(payload + n, 'x', 6500);
    strcpy(payload + n + 6500, "\"}");
    facet_buf_t t;
    make_token(&t, "{\"alg\":\"HS256\"}", payload, &hs);
    CHECK(t.len > AUTH_JWT_MAX_LEN_DEFAULT);
    auth_jwt_verifier_t v = hs_verifier();
    EXPECT(&v, BUF(t), NOW, FACET_ELIMIT, AUTH_JWT_TOO_LONG);
    v.max_len = 16384;
    EXPECT(&v, BUF(t), NOW, FACET_OK, AUTH_JWT_OK);
    facet_buf_free(&t);
    /* Deep nesting in the payload stays within the parser's depth limit. */
    char deep[400];
    n = snprintf(deep, sizeof deep, "{" GOOD ",\"d\":");
    for (int i = 0; i < 100; i++)
        deep[n++] = '[';
    for (int i = 0; i < 100; i++)
        deep[n++] = ']';
    strcpy(deep + n, "}");
    make_token(&t, "{\"alg\":\"HS256\"}", deep, &hs);
    v.max_len = 0;
    EXPECT(&v, BUF(t), NOW, FACET_EINVAL, AUTH_JWT_MALFORMED);
    facet_buf_free(&t);
}

TEST(arena_exhaustion_is_internal)
{
    facet_buf_t t;
    make_token(&t, "{\"alg\":\"HS256\"}", "{" GOOD "}", &hs);
    auth_jwt_verifier_t v = hs_verifier();
    facet_arena_t a;
    facet_arena_init(&a, 16);
    auth_jwt_claims_t c;
    auth_jwt_error_t err;
    int rc = auth_jwt_verify(&a, &v, BUF(t), NOW, &c, &err);
    CHECK(rc == FACET_ENOMEM && err.reason == AUTH_JWT_INTERNAL);
    facet_arena_free(&a);
    facet_buf_free(&t);
}
