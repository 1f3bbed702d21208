/* Tests for auth/signature.h: known vectors (computed with openssl dgst
 * -hmac), rotation, tolerance, and each class of refusal. */
#include "auth/signature.h"
#include "core/error.h"
#include "test.h"

#define BODY   "{\"id\":\"evt_1\",\"amount\":500}"
#define T      1700000000
#define MAC_A  "00e963a3c719d85b0f63a717e94765d17576cd4a573290dcfd7a6a89a60c4168"
#define MAC_B  "c37236c9cbf6427abf1920f536875af8e0ad511b7936e9522437407ebca97177"
#define ZEROES "0000000000000000000000000000000000000000000000000000000000000000"

static const facet_str_t secret_a[] = {FACET_STR_LIT("whsec_test_secret")};
static const facet_str_t secret_b[] = {FACET_STR_LIT("whsec_rotated")};
static const facet_str_t both[] = {FACET_STR_LIT("whsec_test_secret"),
                                   FACET_STR_LIT("whsec_rotated")};

static int verify_with(const facet_str_t *secrets, size_t n, const char *header, const char *body,
                       int64_t now, char *err, size_t errlen)
{
    auth_signature_opts_t o = {.secrets = secrets, .nsecrets = n};
    return auth_signature_verify(&o, facet_str_c(header), facet_str_c(body), now, NULL, err,
                                 errlen);
}

static void expect(const char *header, int64_t now, int want_rc, const char *want_err)
{
    char err[160] = "";
    int rc = verify_with(secret_a, 1, header, BODY, now, err, sizeof err);
    if (rc != want_rc || (want_err && strcmp(err, want_err) != 0)) {
        fprintf(stderr, "header \"%s\": rc %d \"%s\", expected %d \"%s\"\n", header, rc, err,
                want_rc, want_err ? want_err : "");
        exit(1);
    }
}

TEST(sign_matches_known_vector)
{
    facet_buf_t b;
    facet_buf_init(&b, 0);
    CHECK_EQ_INT(auth_signature_sign(secret_a, 1, T, FACET_STR_LIT(BODY), &b), FACET_OK);
    CHECK_SLICE(facet_str(b.base, b.len), "t=1700000000,v1=" MAC_A);
    facet_buf_reset(&b);
    CHECK_EQ_INT(auth_signature_sign(both, 2, T, FACET_STR_LIT(BODY), &b), FACET_OK);
    CHECK_SLICE(facet_str(b.base, b.len), "t=1700000000,v1=" MAC_A ",v1=" MAC_B);
    facet_buf_free(&b);
}

TEST(verify_accepts_within_tolerance_both_directions)
{
    expect("t=1700000000,v1=" MAC_A, T, FACET_OK, NULL);
    expect("t=1700000000,v1=" MAC_A, T + 300, FACET_OK, NULL);
    expect("t=1700000000,v1=" MAC_A, T - 300, FACET_OK, NULL);
    expect("  t=1700000000 ,\tv1=" MAC_A "  ", T, FACET_OK, NULL);
    /* Uppercase hex and unknown schemes are fine. */
    char upper[] = "v0=abc,t=1700000000,v1=" MAC_A;
    for (char *c = upper + 24; *c; c++)
        if (*c >= 'a' && *c <= 'f')
            *c = (char)(*c - 32);
    expect(upper, T, FACET_OK, NULL);
}

TEST(stale_and_future_timestamps_refused)
{
    expect("t=1700000000,v1=" MAC_A, T + 301, FACET_ETIMEDOUT,
           "signature timestamp is 301 s old (tolerance 300 s)");
    expect("t=1700000000,v1=" MAC_A, T - 301, FACET_ETIMEDOUT,
           "signature timestamp is 301 s in the future (tolerance 300 s)");
    expect("t=1700000000,v1=" MAC_A, INT64_MIN, FACET_ETIMEDOUT, NULL);
    expect("t=1700000000,v1=" MAC_A, INT64_MAX, FACET_ETIMEDOUT, NULL);
    auth_signature_opts_t o = {.secrets = secret_a, .nsecrets = 1, .tolerance_s = 10};
    int64_t t = 0;
    CHECK_EQ_INT(auth_signature_verify(&o, FACET_STR_LIT("t=1700000000,v1=" MAC_A),
                                       FACET_STR_LIT(BODY), T + 11, &t, NULL, 0),
                 FACET_ETIMEDOUT);
    CHECK_EQ_INT(t, T);
}

TEST(wrong_signatures_refused)
{
    expect("t=1700000000,v1=" ZEROES, T, FACET_EPERM, "no signature matches");
    expect("t=1700000000,v1=" MAC_B, T, FACET_EPERM, NULL);
    /* The timestamp is signed: moving it breaks the signature, and a stale
     * forgery is reported as a forgery, not as stale. */
    expect("t=1700000001,v1=" MAC_A, T, FACET_EPERM, NULL);
    expect("t=1600000000,v1=" MAC_A, T, FACET_EPERM, NULL);
    /* Leading zeros are different signed bytes. */
    expect("t=01700000000,v1=" MAC_A, T, FACET_EPERM, NULL);
    char err[64];
    CHECK_EQ_INT(verify_with(secret_a, 1, "t=1700000000,v1=" MAC_A, BODY " ", T, err, sizeof err),
                 FACET_EPERM);
}

TEST(rotation_any_entry_any_secret)
{
    const char *h2 = "t=1700000000,v1=" ZEROES ",v1=" MAC_B;
    CHECK_EQ_INT(verify_with(secret_b, 1, h2, BODY, T, NULL, 0), FACET_OK);
    CHECK_EQ_INT(verify_with(secret_a, 1, h2, BODY, T, NULL, 0), FACET_EPERM);
    CHECK_EQ_INT(verify_with(both, 2, h2, BODY, T, NULL, 0), FACET_OK);
    CHECK_EQ_INT(verify_with(both, 2, "t=1700000000,v1=" MAC_A, BODY, T, NULL, 0), FACET_OK);
}

TEST(malformed_headers_refused)
{
    expect("", T, FACET_EINVAL, "signature header item is not key=value");
    expect("v1=" MAC_A, T, FACET_EINVAL, "signature header has no timestamp");
    expect("t=1700000000", T, FACET_EINVAL, "signature header has no v1 signature");
    expect("t=1700000000,v0=" MAC_A, T, FACET_EINVAL, "signature header has no v1 signature");
    expect("t=1700000000,t=1700000000,v1=" MAC_A, T, FACET_EINVAL, "signature header repeats t");
    expect("t=-1,v1=" MAC_A, T, FACET_EINVAL, "signature timestamp is not unix seconds");
    expect("t=1.5,v1=" MAC_A, T, FACET_EINVAL, NULL);
    expect("t=,v1=" MAC_A, T, FACET_EINVAL, NULL);
    expect("t=999999999999,v1=" MAC_A, T, FACET_EINVAL, NULL);
    expect("t=1700000000,v1=" MAC_A ",", T, FACET_EINVAL, NULL);
    expect("t=1700000000,,v1=" MAC_A, T, FACET_EINVAL, NULL);
    expect("t=1700000000,=x,v1=" MAC_A, T, FACET_EINVAL, NULL);
    expect("t=1700000000;v1=" MAC_A, T, FACET_EINVAL, NULL);
    expect("t=1700000000,v1=" ZEROES "0", T, FACET_EINVAL, "v1 signature is not 64 hex digits");
    expect("t=1700000000,v1=zz" MAC_A, T, FACET_EINVAL, NULL);
    expect("t=1700000000,v1=", T, FACET_EINVAL, NULL);
    const char *nine = "t=1,v1=" ZEROES ",v1=" ZEROES ",v1=" ZEROES ",v1=" ZEROES ",v1=" ZEROES
                       ",v1=" ZEROES ",v1=" ZEROES ",v1=" ZEROES ",v1=" ZEROES;
    expect(nine, T, FACET_EINVAL, "signature header has too many v1 entries");
    char big[AUTH_SIGNATURE_HEADER_MAX + 100];
    snprintf(big, sizeof big, "t=1700000000,v1=%s,x=%*s", MAC_A, AUTH_SIGNATURE_HEADER_MAX, "y");
    expect(big, T, FACET_EINVAL, "signature header too long");
}

TEST(configuration_errors)
{
    const facet_str_t empty[] = {FACET_STR_LIT("")};
    facet_buf_t b;
    facet_buf_init(&b, 0);
    CHECK_EQ_INT(auth_signature_sign(empty, 1, T, FACET_STR_LIT(BODY), &b), FACET_EINVAL);
    CHECK_EQ_INT(auth_signature_sign(secret_a, 0, T, FACET_STR_LIT(BODY), &b), FACET_EINVAL);
    CHECK_EQ_INT(auth_signature_sign(secret_a, 1, -5, FACET_STR_LIT(BODY), &b), FACET_EINVAL);
    CHECK_EQ_INT(b.len, 0);
    char err[80];
    CHECK_EQ_INT(verify_with(empty, 1, "t=1700000000,v1=" MAC_A, BODY, T, err, sizeof err),
                 FACET_EINVAL);
    CHECK_EQ_STR(err, "no webhook signing secret configured");
    facet_buf_t tiny;
    facet_buf_init(&tiny, 20);
    CHECK_EQ_INT(auth_signature_sign(secret_a, 1, T, FACET_STR_LIT(BODY), &tiny), FACET_ELIMIT);
    CHECK_EQ_INT(tiny.len, 0);
    facet_buf_free(&tiny);
    facet_buf_free(&b);
}

TEST(sign_then_verify_empty_and_binary_bodies)
{
    const char body[] = "\0\x01\xff binary";
    facet_buf_t b;
    facet_buf_init(&b, 0);
    CHECK_EQ_INT(auth_signature_sign(both, 2, 42, facet_str(body, sizeof body - 1), &b), FACET_OK);
    auth_signature_opts_t o = {.secrets = secret_b, .nsecrets = 1};
    CHECK_EQ_INT(auth_signature_verify(&o, facet_str(b.base, b.len),
                                       facet_str(body, sizeof body - 1), 42, NULL, NULL, 0),
                 FACET_OK);
    CHECK_EQ_INT(
        auth_signature_verify(&o, facet_str(b.base, b.len), facet_str(body, 3), 42, NULL, NULL, 0),
        FACET_EPERM);
    facet_buf_reset(&b);
    CHECK_EQ_INT(auth_signature_sign(secret_a, 1, 42, FACET_STR_NULL, &b), FACET_OK);
    o.secrets = secret_a;
    CHECK_EQ_INT(
        auth_signature_verify(&o, facet_str(b.base, b.len), FACET_STR_NULL, 42, NULL, NULL, 0),
        FACET_OK);
    facet_buf_free(&b);
}
