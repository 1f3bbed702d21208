/* Timestamped HMAC-SHA256 webhook signatures (Stripe's scheme). */
#include "auth/signature.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>

#include "auth/internal.h"
#include "core/error.h"

#define MAC_LEN crypto_auth_hmacsha256_BYTES
/* Unix seconds up to the year 5138: more digits are a malformed header. */
#define MAX_TIMESTAMP 99999999999ull

typedef struct parsed {
    facet_str_t t_text; /* the digits as sent: they are what was signed */
    int64_t t;
    unsigned char v1[AUTH_SIGNATURE_MAX_SECRETS][MAC_LEN];
    size_t nv1;
} parsed_t;

static int say(char *err, size_t errlen, int rc, const char *msg)
{
    if (err && errlen)
        snprintf(err, errlen, "%s", msg);
    return rc;
}

static bool secrets_valid(const facet_str_t *secrets, size_t n)
{
    if (!secrets || n == 0 || n > AUTH_SIGNATURE_MAX_SECRETS)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!secrets[i].base || secrets[i].len == 0)
            return false;
    return true;
}

static void mac(facet_str_t secret, facet_str_t t_text, facet_str_t body,
                unsigned char out[MAC_LEN])
{
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret.base, secret.len);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)t_text.base, t_text.len);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
    if (body.len)
        crypto_auth_hmacsha256_update(&st, (const unsigned char *)body.base, body.len);
    crypto_auth_hmacsha256_final(&st, out);
    sodium_memzero(&st, sizeof st);
}

int auth_signature_sign(const facet_str_t *secrets, size_t nsecrets, int64_t t, facet_str_t body,
                        facet_buf_t *out)
{
    if (t < 0 || (uint64_t)t > MAX_TIMESTAMP || !secrets_valid(secrets, nsecrets))
        return FACET_EINVAL;
    if (auth__sodium_init() != FACET_OK)
        return FACET_EIO;
    char t_text[24];
    int tn = snprintf(t_text, sizeof t_text, "%" PRId64, t);
    size_t start = out->len;
    int rc = facet_buf_printf(out, "t=%s", t_text);
    for (size_t i = 0; rc == FACET_OK && i < nsecrets; i++) {
        unsigned char m[MAC_LEN];
        char hex[2 * MAC_LEN + 1];
        mac(secrets[i], facet_str(t_text, (size_t)tn), body, m);
        auth__hex(m, MAC_LEN, hex);
        rc = facet_buf_printf(out, ",v1=%s", hex);
    }
    if (rc != FACET_OK)
        out->len = start;
    return rc;
}

/* Parses one "key=value" item into p. */
static int parse_item(facet_str_t item, parsed_t *p, char *err, size_t errlen)
{
    const char *eq = item.len ? memchr(item.base, '=', item.len) : NULL;
    if (!eq || eq == item.base)
        return say(err, errlen, FACET_EINVAL, "signature header item is not key=value");
    facet_str_t key = facet_str(item.base, (size_t)(eq - item.base));
    facet_str_t value = facet_str(eq + 1, item.len - key.len - 1);
    if (facet_str_eq(key, FACET_STR_LIT("t"))) {
        uint64_t t;
        if (p->t_text.base)
            return say(err, errlen, FACET_EINVAL, "signature header repeats t");
        if (facet_str_to_u64(value, MAX_TIMESTAMP, &t) != FACET_OK)
            return say(err, errlen, FACET_EINVAL, "signature timestamp is not unix seconds");
        p->t_text = value;
        p->t = (int64_t)t;
    } else if (facet_str_eq(key, FACET_STR_LIT("v1"))) {
        if (p->nv1 == AUTH_SIGNATURE_MAX_SECRETS)
            return say(err, errlen, FACET_EINVAL, "signature header has too many v1 entries");
        if (auth__unhex(value, p->v1[p->nv1], MAC_LEN) != FACET_OK)
            return say(err, errlen, FACET_EINVAL, "v1 signature is not 64 hex digits");
        p->nv1++;
    }
    return FACET_OK;
}

static int parse_header(facet_str_t header, parsed_t *p, char *err, size_t errlen)
{
    if (header.len > AUTH_SIGNATURE_HEADER_MAX)
        return say(err, errlen, FACET_EINVAL, "signature header too long");
    const char *s = header.base, *end = header.base + header.len;
    for (;;) {
        const char *comma = memchr(s, ',', (size_t)(end - s));
        const char *stop = comma ? comma : end;
        int rc = parse_item(facet_str_trim(facet_str(s, (size_t)(stop - s))), p, err, errlen);
        if (rc != FACET_OK)
            return rc;
        if (!comma)
            break;
        s = comma + 1;
    }
    if (!p->t_text.base)
        return say(err, errlen, FACET_EINVAL, "signature header has no timestamp");
    if (p->nv1 == 0)
        return say(err, errlen, FACET_EINVAL, "signature header has no v1 signature");
    return FACET_OK;
}

int auth_signature_verify(const auth_signature_opts_t *o, facet_str_t header, facet_str_t body,
                          int64_t now, int64_t *t_out, char *err, size_t errlen)
{
    if (!secrets_valid(o->secrets, o->nsecrets))
        return say(err, errlen, FACET_EINVAL, "no webhook signing secret configured");
    if (auth__sodium_init() != FACET_OK)
        return say(err, errlen, FACET_EIO, "libsodium failed to initialize");
    parsed_t p = {0};
    if (!header.base)
        header = FACET_STR_LIT("");
    int rc = parse_header(header, &p, err, errlen);
    if (rc != FACET_OK)
        return rc;
    if (t_out)
        *t_out = p.t;

    /* Every pair is compared, so the time taken does not say which one
     * matched. */
    bool match = false;
    for (size_t i = 0; i < o->nsecrets; i++) {
        unsigned char want[MAC_LEN];
        mac(o->secrets[i], p.t_text, body, want);
        for (size_t j = 0; j < p.nv1; j++)
            match |= auth__equal(want, p.v1[j], MAC_LEN);
        sodium_memzero(want, sizeof want);
    }
    if (!match)
        return say(err, errlen, FACET_EPERM, "no signature matches");

    int64_t tolerance = o->tolerance_s > 0 ? o->tolerance_s : AUTH_SIGNATURE_TOLERANCE_DEFAULT;
    int64_t age;
    if (__builtin_sub_overflow(now, p.t, &age))
        age = now < 0 ? INT64_MIN + 1 : INT64_MAX;
    if (age > tolerance || age < -tolerance) {
        if (err && errlen)
            snprintf(err, errlen,
                     "signature timestamp is %" PRId64 " s %s (tolerance %" PRId64 " s)",
                     age < 0 ? -age : age, age < 0 ? "in the future" : "old", tolerance);
        return FACET_ETIMEDOUT;
    }
    return FACET_OK;
}
