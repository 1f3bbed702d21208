/* Random opaque tokens, their storage hashes, constant-time comparison. */
#include "auth/token.h"

#include <sodium.h>

#include "auth/internal.h"
#include "core/base64.h"
#include "core/error.h"

_Static_assert(AUTH_TOKEN_HASH_LEN == 2 * crypto_hash_sha256_BYTES, "hash length");

int auth_token_random_text(size_t len, char *out, size_t outcap)
{
    unsigned char raw[1024];
    size_t need;
    if (len == 0 || len > sizeof raw)
        return FACET_EINVAL;
    if (facet_base64_encoded_len(FACET_BASE64_URL, len, &need) != FACET_OK || outcap <= need)
        return FACET_ELIMIT;
    if (auth__sodium_init() != FACET_OK)
        return FACET_EIO;
    randombytes_buf(raw, len);
    int rc = facet_base64_encode(FACET_BASE64_URL, raw, len, out, outcap, NULL);
    sodium_memzero(raw, len);
    return rc;
}

int auth_token_new(char out[AUTH_TOKEN_TEXT_LEN + 1])
{
    return auth_token_random_text(AUTH_TOKEN_BYTES, out, AUTH_TOKEN_TEXT_LEN + 1);
}

int auth_token_check(facet_str_t token)
{
    unsigned char raw[AUTH_TOKEN_BYTES];
    size_t n = 0;
    if (!token.base || token.len != AUTH_TOKEN_TEXT_LEN ||
        facet_base64_decode(FACET_BASE64_URL, token.base, token.len, raw, sizeof raw, &n, NULL,
                            0) != FACET_OK)
        return FACET_EINVAL;
    sodium_memzero(raw, sizeof raw);
    return n == AUTH_TOKEN_BYTES ? FACET_OK : FACET_EINVAL;
}

int auth_token_hash(facet_str_t token, char out[AUTH_TOKEN_HASH_LEN + 1])
{
    if (auth_token_check(token) != FACET_OK)
        return FACET_EINVAL;
    if (auth__sodium_init() != FACET_OK)
        return FACET_EIO;
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)token.base, token.len);
    auth__hex(h, sizeof h, out);
    return FACET_OK;
}

bool auth_token_equal(facet_str_t a, facet_str_t b)
{
    if (a.len != b.len)
        return false;
    return a.len == 0 || auth__equal(a.base, b.base, a.len);
}
