/* JWK Set parsing into OpenSSL RSA public keys, and lookup by kid. */
#include "auth/jwks.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/base64.h"
#include "core/error.h"
#include "gql/json.h"

#define KID_MAX 256

typedef struct jwk {
    char kid[KID_MAX + 1];
    size_t kid_len;
    bool has_kid;
    EVP_PKEY *key;
} jwk_t;

struct auth_jwks {
    size_t n;
    jwk_t keys[];
};

/* Decodes a base64url big-endian integer of at most max bytes. */
static BIGNUM *bignum(facet_str_t b64, size_t max)
{
    size_t n;
    if (facet_base64_decoded_len(FACET_BASE64_URL, b64.base, b64.len, &n) != FACET_OK || n == 0 ||
        n > max)
        return NULL;
    unsigned char *raw = malloc(n);
    BIGNUM *bn = NULL;
    if (raw &&
        facet_base64_decode(FACET_BASE64_URL, b64.base, b64.len, raw, n, NULL, NULL, 0) == FACET_OK)
        bn = BN_bin2bn(raw, (int)n, NULL);
    free(raw);
    return bn;
}

static int build_key(BIGNUM *n, BIGNUM *e, EVP_PKEY **out)
{
    int rc = FACET_EIO;
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *ctx = NULL;
    if (bld && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) &&
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) &&
        (params = OSSL_PARAM_BLD_to_param(bld)) &&
        (ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL)) && EVP_PKEY_fromdata_init(ctx) == 1 &&
        EVP_PKEY_fromdata(ctx, out, EVP_PKEY_PUBLIC_KEY, params) == 1)
        rc = FACET_OK;
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    ERR_clear_error();
    return rc;
}

int auth_jwks_rsa_key(facet_str_t n_b64, facet_str_t e_b64, EVP_PKEY **out)
{
    BIGNUM *n = bignum(n_b64, AUTH_JWKS_RSA_MAX_BITS / 8 + 1);
    BIGNUM *e = bignum(e_b64, 8);
    int rc = FACET_EINVAL;
    /* The bounds keep verification cheap and refuse toy keys; e must be an
     * odd number of at least 3 for RSA to work at all. */
    if (n && e && BN_num_bits(n) >= 2048 && BN_num_bits(n) <= AUTH_JWKS_RSA_MAX_BITS &&
        BN_is_odd(n) && BN_is_odd(e) && BN_num_bits(e) >= 2 && BN_cmp(e, n) < 0)
        rc = build_key(n, e, out);
    BN_free(n);
    BN_free(e);
    return rc;
}

static bool string_is(const gql_value_t *v, const char *s)
{
    return v && v->kind == GQL_V_STRING && facet_str_eq(v->u.s, facet_str_c(s));
}

/* Turns one JWK into a key; false when it is not a usable RS256 key. */
static bool read_jwk(const gql_value_t *jwk, jwk_t *out)
{
    if (!jwk || jwk->kind != GQL_V_OBJECT ||
        !string_is(gql_value_get(jwk, FACET_STR_LIT("kty")), "RSA"))
        return false;
    const gql_value_t *use = gql_value_get(jwk, FACET_STR_LIT("use"));
    const gql_value_t *alg = gql_value_get(jwk, FACET_STR_LIT("alg"));
    const gql_value_t *kid = gql_value_get(jwk, FACET_STR_LIT("kid"));
    const gql_value_t *n = gql_value_get(jwk, FACET_STR_LIT("n"));
    const gql_value_t *e = gql_value_get(jwk, FACET_STR_LIT("e"));
    if ((use && !string_is(use, "sig")) || (alg && !string_is(alg, "RS256")))
        return false;
    if ((kid && (kid->kind != GQL_V_STRING || kid->u.s.len > KID_MAX)) || !n ||
        n->kind != GQL_V_STRING || !e || e->kind != GQL_V_STRING)
        return false;
    if (auth_jwks_rsa_key(n->u.s, e->u.s, &out->key) != FACET_OK)
        return false;
    out->has_kid = kid != NULL;
    out->kid_len = kid ? kid->u.s.len : 0;
    if (kid)
        memcpy(out->kid, kid->u.s.base, kid->u.s.len);
    out->kid[out->kid_len] = '\0';
    return true;
}

static int parse_fail(char *err, size_t errlen, int rc, const char *msg)
{
    if (err && errlen)
        snprintf(err, errlen, "%s", msg);
    return rc;
}

static int read_set(const gql_value_t *root, auth_jwks_t **out, char *err, size_t errlen)
{
    const gql_value_t *keys =
        root->kind == GQL_V_OBJECT ? gql_value_get(root, FACET_STR_LIT("keys")) : NULL;
    if (!keys || keys->kind != GQL_V_LIST)
        return parse_fail(err, errlen, FACET_EINVAL, "JWKS has no \"keys\" array");
    if (keys->u.list.n > AUTH_JWKS_MAX_KEYS)
        return parse_fail(err, errlen, FACET_EINVAL, "JWKS has more than 64 keys");
    auth_jwks_t *set = calloc(1, sizeof *set + keys->u.list.n * sizeof(jwk_t));
    if (!set)
        return parse_fail(err, errlen, FACET_ENOMEM, "out of memory");
    for (size_t i = 0; i < keys->u.list.n; i++)
        if (read_jwk(keys->u.list.items[i], &set->keys[set->n]))
            set->n++;
    if (set->n == 0) {
        auth_jwks_free(set);
        return parse_fail(err, errlen, FACET_EINVAL, "JWKS has no usable RS256 key");
    }
    *out = set;
    return FACET_OK;
}

int auth_jwks_parse(const char *json, size_t len, auth_jwks_t **out, char *err, size_t errlen)
{
    if (len > 64u << 20)
        return parse_fail(err, errlen, FACET_EINVAL, "JWKS is too large");
    facet_arena_t a;
    /* Parsed JSON takes a few times the text; the cap bounds a hostile set. */
    facet_arena_init(&a, len * 8 + 4096);
    gql_value_t *root = NULL;
    char jerr[96];
    int rc = gql_json_parse(&a, json, len, 16, &root, jerr, sizeof jerr);
    if (rc == FACET_OK)
        rc = read_set(root, out, err, errlen);
    else if (err && errlen)
        snprintf(err, errlen, "JWKS is not JSON: %s", jerr);
    if (rc == FACET_ELIMIT)
        rc = FACET_EINVAL; /* nested too deep */
    facet_arena_free(&a);
    return rc;
}

void auth_jwks_free(auth_jwks_t *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->n; i++)
        EVP_PKEY_free(set->keys[i].key);
    free(set);
}

size_t auth_jwks_count(const auth_jwks_t *set)
{
    return set ? set->n : 0;
}

int auth_jwks_find(const auth_jwks_t *set, facet_str_t kid, EVP_PKEY **out)
{
    if (!set)
        return FACET_ENOTFOUND;
    const jwk_t *hit = NULL;
    for (size_t i = 0; i < set->n && !hit; i++) {
        const jwk_t *k = &set->keys[i];
        if (kid.len ? k->has_kid && facet_str_eq(facet_str(k->kid, k->kid_len), kid) : !k->has_kid)
            hit = k;
    }
    if (!hit && kid.len == 0 && set->n == 1)
        hit = &set->keys[0];
    if (!hit || EVP_PKEY_up_ref(hit->key) != 1)
        return FACET_ENOTFOUND;
    *out = hit->key;
    return FACET_OK;
}
