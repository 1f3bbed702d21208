/* JWS compact JWTs: HS256 sign and verify, RS256 verify, claim checks. */
#include "auth/jwt.h"

#include <inttypes.h>
#include <math.h>
#include <openssl/err.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>

#include "auth/internal.h"
#include "core/base64.h"
#include "core/error.h"
#include "gql/json.h"

#define MAC_LEN    crypto_auth_hmacsha256_BYTES
#define JSON_DEPTH 16
/* NumericDates beyond the year 9999 are refused, which also keeps every
 * accepted date exact in an int64 and in a double. */
#define MAX_DATE 253402300799.0

/* base64url({"alg":"HS256","typ":"JWT"}) */
#define HS256_HEADER "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"

typedef struct token {
    facet_str_t signing_input; /* header.payload, as signed */
    facet_str_t payload_b64;
    const char *sig_b64;
    size_t sig_b64_len;
    auth_jwt_alg_t alg;
    facet_str_t kid;
} token_t;

static int refuse(auth_jwt_error_t *err, auth_jwt_reason_t reason, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int refuse(auth_jwt_error_t *err, auth_jwt_reason_t reason, const char *fmt, ...)
{
    if (err) {
        err->reason = reason;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    switch (reason) {
    case AUTH_JWT_MALFORMED:
        return FACET_EINVAL;
    case AUTH_JWT_TOO_LONG:
        return FACET_ELIMIT;
    case AUTH_JWT_UNKNOWN_KEY:
        return FACET_ENOTFOUND;
    case AUTH_JWT_INTERNAL:
        return FACET_EIO;
    default:
        return FACET_EPERM;
    }
}

static int oom(auth_jwt_error_t *err, const char *what)
{
    refuse(err, AUTH_JWT_INTERNAL, "out of memory %s", what);
    return FACET_ENOMEM;
}

const char *auth_role_name(auth_role_t role)
{
    return role == AUTH_ROLE_ADMIN ? "ADMIN" : "USER";
}

int auth_jwt_check_secret(facet_str_t secret)
{
    return secret.base && secret.len >= AUTH_JWT_HS256_MIN_SECRET ? FACET_OK : FACET_EINVAL;
}

/* ---- Decoding ---------------------------------------------------------- */

/* Decodes one unpadded base64url segment into the arena. */
static int segment(facet_arena_t *a, const char *s, size_t len, facet_str_t *out)
{
    size_t n;
    if (len == 0 || memchr(s, '=', len) ||
        facet_base64_decoded_len(FACET_BASE64_URL, s, len, &n) != FACET_OK)
        return FACET_EINVAL;
    char *p = facet_arena_alloc(a, n + 1);
    if (!p)
        return FACET_ENOMEM;
    if (facet_base64_decode(FACET_BASE64_URL, s, len, p, n, NULL, NULL, 0) != FACET_OK)
        return FACET_EINVAL;
    *out = facet_str(p, n);
    return FACET_OK;
}

/* Decodes a segment that must hold a JSON object. */
static int json_segment(facet_arena_t *a, const char *s, size_t len, const char *what,
                        const gql_value_t **out, auth_jwt_error_t *err)
{
    facet_str_t raw;
    int rc = segment(a, s, len, &raw);
    if (rc == FACET_ENOMEM)
        return oom(err, what);
    if (rc != FACET_OK)
        return refuse(err, AUTH_JWT_MALFORMED, "%s is not base64url", what);
    gql_value_t *v = NULL;
    rc = gql_json_parse(a, raw.base, raw.len, JSON_DEPTH, &v, NULL, 0);
    if (rc == FACET_ENOMEM)
        return oom(err, what);
    if (rc != FACET_OK || v->kind != GQL_V_OBJECT)
        return refuse(err, AUTH_JWT_MALFORMED, "%s is not a JSON object", what);
    *out = v;
    return FACET_OK;
}

/* Splits the token and reads its header: alg, kid, crit. */
static int parse_token(facet_arena_t *a, const auth_jwt_verifier_t *v, facet_str_t text, token_t *t,
                       auth_jwt_error_t *err)
{
    size_t max = v->max_len ? v->max_len : AUTH_JWT_MAX_LEN_DEFAULT;
    if (text.len > max)
        return refuse(err, AUTH_JWT_TOO_LONG, "token longer than %zu bytes", max);
    const char *end = text.base + text.len;
    const char *d1 = text.len ? memchr(text.base, '.', text.len) : NULL;
    const char *d2 = d1 ? memchr(d1 + 1, '.', (size_t)(end - d1 - 1)) : NULL;
    if (!d2 || memchr(d2 + 1, '.', (size_t)(end - d2 - 1)) || d1 == text.base || d2 == d1 + 1 ||
        d2 + 1 == end)
        return refuse(err, AUTH_JWT_MALFORMED, "token is not three non-empty segments");
    t->signing_input = facet_str(text.base, (size_t)(d2 - text.base));
    t->payload_b64 = facet_str(d1 + 1, (size_t)(d2 - d1 - 1));
    t->sig_b64 = d2 + 1;
    t->sig_b64_len = (size_t)(end - d2 - 1);

    const gql_value_t *h;
    int rc = json_segment(a, text.base, (size_t)(d1 - text.base), "header", &h, err);
    if (rc != FACET_OK)
        return rc;
    const gql_value_t *alg = gql_value_get(h, FACET_STR_LIT("alg"));
    const gql_value_t *kid = gql_value_get(h, FACET_STR_LIT("kid"));
    if (!alg || alg->kind != GQL_V_STRING)
        return refuse(err, AUTH_JWT_MALFORMED, "header has no alg");
    if (kid && kid->kind != GQL_V_STRING)
        return refuse(err, AUTH_JWT_MALFORMED, "header kid is not a string");
    /* No extension is understood, so a token that makes one critical is
     * refused (RFC 7515 4.1.11). */
    if (gql_value_get(h, FACET_STR_LIT("crit")))
        return refuse(err, AUTH_JWT_MALFORMED, "header has crit extensions");
    t->kid = kid ? kid->u.s : FACET_STR_LIT("");
    if (facet_str_eq(alg->u.s, FACET_STR_LIT("HS256")))
        t->alg = AUTH_JWT_HS256;
    else if (facet_str_eq(alg->u.s, FACET_STR_LIT("RS256")))
        t->alg = AUTH_JWT_RS256;
    else
        return refuse(err, AUTH_JWT_ALG, "algorithm is not HS256 or RS256");
    return FACET_OK;
}

/* ---- Signatures -------------------------------------------------------- */

static void hs256(facet_str_t secret, facet_str_t input, unsigned char out[MAC_LEN])
{
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret.base, secret.len);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)input.base, input.len);
    crypto_auth_hmacsha256_final(&st, out);
    sodium_memzero(&st, sizeof st);
}

static int verify_hs256(const auth_jwt_verifier_t *v, const token_t *t, facet_str_t sig,
                        auth_jwt_error_t *err)
{
    if (auth_jwt_check_secret(v->hs256_secret) != FACET_OK)
        return refuse(err, AUTH_JWT_ALG, "HS256 tokens are not accepted");
    if (auth__sodium_init() != FACET_OK)
        return refuse(err, AUTH_JWT_INTERNAL, "libsodium failed to initialize");
    unsigned char want[MAC_LEN];
    hs256(v->hs256_secret, t->signing_input, want);
    bool ok = sig.len == MAC_LEN && auth__equal(want, sig.base, MAC_LEN);
    sodium_memzero(want, sizeof want);
    return ok ? FACET_OK : refuse(err, AUTH_JWT_SIGNATURE, "HS256 signature does not verify");
}

static int rsa_check(EVP_PKEY *key, const token_t *t, facet_str_t sig, auth_jwt_error_t *err)
{
    if (!EVP_PKEY_is_a(key, "RSA") || EVP_PKEY_get_bits(key) < AUTH_JWT_RSA_MIN_BITS)
        return refuse(err, AUTH_JWT_ALG, "key for kid is not an RSA key of 2048 bits or more");
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx)
        return oom(err, "verifying RS256");
    int rc = EVP_DigestVerifyInit_ex(ctx, NULL, "SHA256", NULL, NULL, key, NULL);
    if (rc == 1)
        rc = EVP_DigestVerify(ctx, (const unsigned char *)sig.base, sig.len,
                              (const unsigned char *)t->signing_input.base, t->signing_input.len);
    EVP_MD_CTX_free(ctx);
    /* A bad signature leaves entries on this thread's OpenSSL error queue;
     * they must not surface in someone else's later call. */
    ERR_clear_error();
    return rc == 1 ? FACET_OK : refuse(err, AUTH_JWT_SIGNATURE, "RS256 signature does not verify");
}

static int verify_rs256(const auth_jwt_verifier_t *v, const token_t *t, facet_str_t sig,
                        auth_jwt_error_t *err)
{
    if (!v->rs256_key)
        return refuse(err, AUTH_JWT_ALG, "RS256 tokens are not accepted");
    EVP_PKEY *key = NULL;
    int rc = v->rs256_key(v->rs256_ud, t->kid, &key);
    if (rc == FACET_ENOTFOUND || (rc == FACET_OK && !key))
        return refuse(err, AUTH_JWT_UNKNOWN_KEY, "no RSA key for the token's kid");
    if (rc != FACET_OK)
        return refuse(err, AUTH_JWT_INTERNAL, "RSA key lookup failed: %s", facet_strerror(rc));
    rc = rsa_check(key, t, sig, err);
    EVP_PKEY_free(key);
    return rc;
}

/* ---- Claims ------------------------------------------------------------ */

/* Reads a NumericDate claim (possibly fractional): -1 when absent. */
static int date_claim(const gql_value_t *p, const char *name, double *out, auth_jwt_error_t *err)
{
    const gql_value_t *c = gql_value_get(p, facet_str_c(name));
    *out = -1;
    if (!c)
        return FACET_OK;
    double d = c->kind == GQL_V_FLOAT ? c->u.f : c->kind == GQL_V_INT ? (double)c->u.i : NAN;
    if (!(d >= 0 && d <= MAX_DATE))
        return refuse(err, AUTH_JWT_CLAIMS, "%s is not a NumericDate", name);
    *out = d;
    return FACET_OK;
}

static int string_claim(const gql_value_t *p, const char *name, facet_str_t *out,
                        auth_jwt_error_t *err)
{
    const gql_value_t *c = gql_value_get(p, facet_str_c(name));
    *out = FACET_STR_LIT("");
    if (c && c->kind != GQL_V_STRING)
        return refuse(err, AUTH_JWT_CLAIMS, "%s is not a string", name);
    if (c)
        *out = c->u.s;
    return FACET_OK;
}

/* Dates compare as doubles, exactly: every date and every clamped now
 * below is an integer or half-integer well inside 2^53. */
static int check_times(const gql_value_t *p, int64_t now, int64_t leeway, auth_jwt_claims_t *out,
                       auth_jwt_error_t *err)
{
    double exp, nbf, iat;
    int rc = date_claim(p, "exp", &exp, err);
    if (rc == FACET_OK)
        rc = date_claim(p, "nbf", &nbf, err);
    if (rc == FACET_OK)
        rc = date_claim(p, "iat", &iat, err);
    if (rc != FACET_OK)
        return rc;
    if (exp < 0)
        return refuse(err, AUTH_JWT_CLAIMS, "exp is missing");
    double t = now > 2 * (int64_t)MAX_DATE    ? 2 * MAX_DATE
               : now < -2 * (int64_t)MAX_DATE ? -2 * MAX_DATE
                                              : (double)now;
    if (t - (double)leeway >= exp)
        return refuse(err, AUTH_JWT_EXPIRED, "token expired %.0f s ago", t - exp);
    if (nbf >= 0 && t + (double)leeway < nbf)
        return refuse(err, AUTH_JWT_NOT_YET_VALID, "token not valid for %.0f s (nbf)", nbf - t);
    if (iat >= 0 && t + (double)leeway < iat)
        return refuse(err, AUTH_JWT_NOT_YET_VALID, "token issued %.0f s in the future", iat - t);
    out->exp = (int64_t)exp;
    out->nbf = nbf >= 0 ? (int64_t)nbf : 0;
    out->iat = iat >= 0 ? (int64_t)iat : 0;
    return FACET_OK;
}

static int check_audience(const gql_value_t *p, facet_str_t want, auth_jwt_error_t *err)
{
    const gql_value_t *aud = gql_value_get(p, FACET_STR_LIT("aud"));
    if (!aud && want.len == 0)
        return FACET_OK;
    if (!aud)
        return refuse(err, AUTH_JWT_AUDIENCE, "aud is missing");
    if (aud->kind != GQL_V_STRING && aud->kind != GQL_V_LIST)
        return refuse(err, AUTH_JWT_CLAIMS, "aud is not a string or an array");
    bool found = false;
    size_t n = aud->kind == GQL_V_STRING ? 1 : aud->u.list.n;
    for (size_t i = 0; i < n; i++) {
        const gql_value_t *item = aud->kind == GQL_V_STRING ? aud : aud->u.list.items[i];
        if (!item || item->kind != GQL_V_STRING)
            return refuse(err, AUTH_JWT_CLAIMS, "aud holds a value that is not a string");
        found |= want.len > 0 && facet_str_eq(item->u.s, want);
    }
    if (want.len == 0)
        return refuse(err, AUTH_JWT_AUDIENCE, "token has an audience but none is expected");
    return found ? FACET_OK : refuse(err, AUTH_JWT_AUDIENCE, "token is not for this audience");
}

static int check_claims(const gql_value_t *p, const auth_jwt_expect_t *expect, int64_t now,
                        int64_t leeway, auth_jwt_claims_t *out, auth_jwt_error_t *err)
{
    facet_str_t role;
    int rc = string_claim(p, "sub", &out->sub, err);
    if (rc == FACET_OK)
        rc = string_claim(p, "iss", &out->iss, err);
    if (rc == FACET_OK)
        rc = string_claim(p, "sid", &out->sid, err);
    if (rc == FACET_OK)
        rc = string_claim(p, "role", &role, err);
    if (rc == FACET_OK)
        rc = check_times(p, now, leeway, out, err);
    if (rc != FACET_OK)
        return rc;
    if (out->sub.len == 0)
        return refuse(err, AUTH_JWT_CLAIMS, "sub is missing");
    if (expect->issuer.len && !facet_str_eq(out->iss, expect->issuer))
        return refuse(err, AUTH_JWT_ISSUER, "token is not from the expected issuer");
    rc = check_audience(p, expect->audience, err);
    if (rc != FACET_OK)
        return rc;
    if (role.len == 0 && !gql_value_get(p, FACET_STR_LIT("role")))
        out->role = AUTH_ROLE_USER;
    else if (facet_str_eq(role, FACET_STR_LIT("USER")))
        out->role = AUTH_ROLE_USER;
    else if (facet_str_eq(role, FACET_STR_LIT("ADMIN")))
        out->role = AUTH_ROLE_ADMIN;
    else
        return refuse(err, AUTH_JWT_CLAIMS, "role is not USER or ADMIN");
    return FACET_OK;
}

/* ---- Verify and sign --------------------------------------------------- */

int auth_jwt_verify(facet_arena_t *a, const auth_jwt_verifier_t *v, facet_str_t text, int64_t now,
                    auth_jwt_claims_t *out, auth_jwt_error_t *err)
{
    token_t t = {0};
    memset(out, 0, sizeof *out);
    if (!text.base)
        text = FACET_STR_LIT("");
    int rc = parse_token(a, v, text, &t, err);
    if (rc != FACET_OK)
        return rc;
    facet_str_t sig = FACET_STR_NULL;
    rc = segment(a, t.sig_b64, t.sig_b64_len, &sig);
    if (rc == FACET_ENOMEM)
        return oom(err, "decoding the signature");
    if (rc != FACET_OK)
        return refuse(err, AUTH_JWT_MALFORMED, "signature is not base64url");
    rc = t.alg == AUTH_JWT_HS256 ? verify_hs256(v, &t, sig, err) : verify_rs256(v, &t, sig, err);
    if (rc != FACET_OK)
        return rc;

    const gql_value_t *payload = NULL;
    rc = json_segment(a, t.payload_b64.base, t.payload_b64.len, "payload", &payload, err);
    if (rc != FACET_OK)
        return rc;
    int64_t leeway = v->leeway_s == 0                  ? AUTH_JWT_LEEWAY_DEFAULT
                     : v->leeway_s < 0                 ? 0
                     : v->leeway_s > (int64_t)MAX_DATE ? (int64_t)MAX_DATE
                                                       : v->leeway_s;
    const auth_jwt_expect_t *expect = t.alg == AUTH_JWT_HS256 ? &v->hs256 : &v->rs256;
    rc = check_claims(payload, expect, now, leeway, out, err);
    if (rc != FACET_OK)
        return rc;
    out->alg = t.alg;
    out->kid = t.kid;
    if (err) {
        err->reason = AUTH_JWT_OK;
        err->message[0] = '\0';
    }
    return FACET_OK;
}

static int write_payload(const auth_jwt_sign_claims_t *c, facet_buf_t *json)
{
    int rc = facet_buf_append_str(json, "{\"sub\":");
    rc = rc ? rc : gql_json_write_string(json, c->sub.base, c->sub.len);
    rc = rc ? rc
            : facet_buf_printf(json, ",\"iat\":%" PRId64 ",\"exp\":%" PRId64 ",\"iss\":", c->iat,
                               c->exp);
    rc = rc ? rc : gql_json_write_string(json, c->iss.base, c->iss.len);
    if (c->aud.len) {
        rc = rc ? rc : facet_buf_append_str(json, ",\"aud\":");
        rc = rc ? rc : gql_json_write_string(json, c->aud.base, c->aud.len);
    }
    rc = rc ? rc : facet_buf_printf(json, ",\"role\":\"%s\",\"sid\":", auth_role_name(c->role));
    rc = rc ? rc : gql_json_write_string(json, c->sid.base, c->sid.len);
    return rc ? rc : facet_buf_append_str(json, "}");
}

int auth_jwt_sign_hs256(facet_str_t secret, const auth_jwt_sign_claims_t *c, facet_buf_t *out)
{
    if (auth_jwt_check_secret(secret) != FACET_OK || c->sub.len == 0 || c->iss.len == 0 ||
        c->sid.len == 0 || c->iat < 0 || c->exp <= c->iat || (double)c->exp > MAX_DATE)
        return FACET_EINVAL;
    if (auth__sodium_init() != FACET_OK)
        return FACET_EIO;
    facet_buf_t json;
    facet_buf_init(&json, 0);
    size_t start = out->len;
    int rc = write_payload(c, &json);
    rc = rc ? rc : facet_buf_append_str(out, HS256_HEADER ".");
    rc = rc ? rc : facet_base64_encode_buf(FACET_BASE64_URL, json.base, json.len, out);
    if (rc == FACET_OK) {
        unsigned char mac[MAC_LEN];
        hs256(secret, facet_str(out->base + start, out->len - start), mac);
        rc = facet_buf_append_str(out, ".");
        rc = rc ? rc : facet_base64_encode_buf(FACET_BASE64_URL, mac, MAC_LEN, out);
    }
    facet_buf_free(&json);
    if (rc != FACET_OK)
        out->len = start;
    return rc;
}
