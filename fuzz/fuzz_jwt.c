/* libFuzzer target for auth/jwt.h on the parse and verify path. The input
 * is verified as a token under a verifier that accepts both HS256 (a fixed
 * secret) and RS256 (a fixed key for kid "k1"): the status must agree with
 * the reason and a token must never verify without the secret. The input
 * is also used as the sub of a token Facet signs, which must verify and
 * give the same sub back when it is valid UTF-8. */
#include <openssl/rsa.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth/jwt.h"
#include "core/error.h"
#include "gql/lexer.h"

#define ASSERT(cond) \
    do {             \
        if (!(cond)) \
            abort(); \
    } while (0)

#define SECRET "fuzzing secret, thirty-two bytes or more"
#define NOW    1700000000

static EVP_PKEY *rsa_key;

static int find_key(void *ud, facet_str_t kid, EVP_PKEY **out)
{
    if (!facet_str_eq(kid, FACET_STR_LIT("k1")))
        return FACET_ENOTFOUND;
    EVP_PKEY_up_ref(rsa_key);
    *out = rsa_key;
    return FACET_OK;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    rsa_key = EVP_RSA_gen(2048);
    return rsa_key ? 0 : 1;
}

static int status_for(auth_jwt_reason_t r)
{
    switch (r) {
    case AUTH_JWT_OK:
        return FACET_OK;
    case AUTH_JWT_MALFORMED:
        return FACET_EINVAL;
    case AUTH_JWT_TOO_LONG:
        return FACET_ELIMIT;
    case AUTH_JWT_UNKNOWN_KEY:
        return FACET_ENOTFOUND;
    case AUTH_JWT_INTERNAL:
        return FACET_ENOMEM;
    default:
        return FACET_EPERM;
    }
}

static bool valid_utf8(const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = gql_utf8_decode((const char *)s + i, n - i, &cp);
        if (k == 0)
            return false;
        i += k;
    }
    return true;
}

static void check_signed(const auth_jwt_verifier_t *v, const uint8_t *data, size_t size)
{
    auth_jwt_sign_claims_t sc = {.sub = facet_str((const char *)data, size),
                                 .iss = FACET_STR_LIT("facet"),
                                 .sid = FACET_STR_LIT("s"),
                                 .role = size % 2 ? AUTH_ROLE_ADMIN : AUTH_ROLE_USER,
                                 .iat = NOW,
                                 .exp = NOW + 60};
    facet_buf_t t;
    facet_buf_init(&t, 0);
    int rc = auth_jwt_sign_hs256(FACET_STR_LIT(SECRET), &sc, &t);
    ASSERT(rc == (size ? FACET_OK : FACET_EINVAL));
    if (rc == FACET_OK) {
        facet_arena_t a;
        facet_arena_init(&a, 1 << 20);
        auth_jwt_verifier_t big = *v;
        big.max_len = t.len;
        auth_jwt_claims_t c;
        auth_jwt_error_t err;
        ASSERT(auth_jwt_verify(&a, &big, facet_str(t.base, t.len), NOW, &c, &err) == FACET_OK);
        ASSERT(c.role == sc.role && c.exp == NOW + 60);
        if (valid_utf8(data, size))
            ASSERT(c.sub.len == size && memcmp(c.sub.base, data, size) == 0);
        facet_arena_free(&a);
    }
    facet_buf_free(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    auth_jwt_verifier_t v = {
        .hs256_secret = FACET_STR_LIT(SECRET), .rs256_key = find_key, .max_len = 4096};
    facet_arena_t a;
    facet_arena_init(&a, 1 << 20);
    auth_jwt_claims_t c;
    auth_jwt_error_t err;
    int rc = auth_jwt_verify(&a, &v, facet_str((const char *)data, size), NOW, &c, &err);
    ASSERT(rc == status_for(err.reason));
    /* Forging a signature is not something a fuzzer can do. */
    ASSERT(rc != FACET_OK);
    if (err.reason >= AUTH_JWT_EXPIRED && err.reason <= AUTH_JWT_CLAIMS)
        ASSERT(0); /* claims are only looked at after the signature verified */
    ASSERT(memchr(err.message, '\0', sizeof err.message) != NULL);
    facet_arena_free(&a);
    if (size <= 1024)
        check_signed(&v, data, size);
    return 0;
}
