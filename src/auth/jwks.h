/* JSON Web Key Sets (RFC 7517) of RSA signing keys, as identity providers
 * publish them, and a cache of the provider's set that refreshes itself on
 * a schedule and when a token names a kid it does not know.
 *
 * Refresh protocol (the cache never blocks a loop and never starts threads):
 *   1. On the loop, auth_jwks_cache_begin_refresh(c, why, now) decides
 *      whether a fetch should run now. It returns true at most once until
 *      the fetch ends, and spaces fetches at least min_interval_ms apart,
 *      so a flood of tokens with made-up kids costs the identity provider
 *      one request per interval.
 *   2. When it returned true, the caller runs auth_jwks_cache_refresh (a
 *      BLOCKING HTTP request with libcurl) on the libuv thread pool, exactly
 *      once; it swaps in the new set, or keeps the old one on failure.
 * Lookups (auth_jwks_cache_find) take a mutex for a few instructions and
 * may run on any thread at any time, refreshes included. */
#ifndef FACET_AUTH_JWKS_H
#define FACET_AUTH_JWKS_H

#include <openssl/evp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"

#define AUTH_JWKS_MAX_KEYS          64
#define AUTH_JWKS_RSA_MAX_BITS      8192
#define AUTH_JWKS_REFRESH_DEFAULT   (10 * 60 * 1000) /* ms */
#define AUTH_JWKS_MIN_INTERVAL      (30 * 1000)      /* ms between fetches */
#define AUTH_JWKS_TIMEOUT_DEFAULT   (5 * 1000)       /* ms for one fetch */
#define AUTH_JWKS_MAX_BYTES_DEFAULT (256 * 1024)

/* ---- Key sets ------------------------------------------------------------ */

/* An immutable set of RSA public keys. */
typedef struct auth_jwks auth_jwks_t;

/* Parses {"keys":[{"kty":"RSA","kid":...,"n":...,"e":...,"alg"?,"use"?},...]}.
 * Keys that cannot verify RS256 signatures are skipped: another kty, "use"
 * other than "sig", "alg" other than "RS256", or an RSA key outside 2048 to
 * AUTH_JWKS_RSA_MAX_BITS bits or with a bad n or e. Returns FACET_EINVAL
 * (with a sentence in err, truncated to errlen) when the text is not such an
 * object, holds more than AUTH_JWKS_MAX_KEYS keys, or no usable key;
 * FACET_ENOMEM. On success the caller owns *out (auth_jwks_free). */
int auth_jwks_parse(const char *json, size_t len, auth_jwks_t **out, char *err, size_t errlen);

void auth_jwks_free(auth_jwks_t *set);

/* Number of usable keys in the set. */
size_t auth_jwks_count(const auth_jwks_t *set);

/* Finds the key for kid. A token without kid (kid empty) matches a key
 * without kid, or the only key of a one-key set. On FACET_OK *out holds a
 * new reference the caller releases with EVP_PKEY_free; FACET_ENOTFOUND
 * otherwise. */
int auth_jwks_find(const auth_jwks_t *set, facet_str_t kid, EVP_PKEY **out);

/* Builds an RSA public key from the base64url modulus and exponent of a
 * JWK. Returns FACET_EINVAL for bad encodings, an even or tiny exponent, or
 * a modulus outside 2048 to AUTH_JWKS_RSA_MAX_BITS bits; FACET_EIO when
 * OpenSSL fails. The caller frees *out with EVP_PKEY_free. */
int auth_jwks_rsa_key(facet_str_t n_b64, facet_str_t e_b64, EVP_PKEY **out);

/* ---- The cache ----------------------------------------------------------- */

typedef struct auth_jwks_cache auth_jwks_cache_t;

typedef struct auth_jwks_cache_opts {
    const char *url;          /* http:// or https://; copied */
    uint64_t refresh_ms;      /* scheduled refresh; 0: AUTH_JWKS_REFRESH_DEFAULT */
    uint64_t min_interval_ms; /* between fetches; 0: AUTH_JWKS_MIN_INTERVAL */
    uint64_t timeout_ms;      /* whole request; 0: AUTH_JWKS_TIMEOUT_DEFAULT */
    size_t max_bytes;         /* response body; 0: AUTH_JWKS_MAX_BYTES_DEFAULT */
} auth_jwks_cache_opts_t;

/* Creates an empty cache (no key until the first refresh). Returns
 * FACET_EINVAL when the URL is not http(s), FACET_ENOMEM. Freed with
 * auth_jwks_cache_free once no refresh is running and no lookup can come. */
int auth_jwks_cache_new(const auth_jwks_cache_opts_t *o, auth_jwks_cache_t **out);
void auth_jwks_cache_free(auth_jwks_cache_t *c);

/* Looks kid up in the current set, as auth_jwks_find (FACET_ENOTFOUND also
 * before the first successful refresh). Its signature is an auth_jwt_key_fn
 * (pass the cache as ud). */
int auth_jwks_cache_find(void *cache, facet_str_t kid, EVP_PKEY **out);

typedef enum auth_jwks_why {
    AUTH_JWKS_SCHEDULED,   /* a periodic timer: due refresh_ms after the last success */
    AUTH_JWKS_UNKNOWN_KID, /* a token named a kid not in the set */
} auth_jwks_why_t;

/* Decides whether a fetch starts now (now_ms from a monotonic clock, e.g.
 * uv_now). True means the caller must run auth_jwks_cache_refresh once.
 * False when a fetch is running, the last one started less than
 * min_interval_ms ago, or (AUTH_JWKS_SCHEDULED) the set is still fresh. The
 * first call always returns true. */
bool auth_jwks_cache_begin_refresh(auth_jwks_cache_t *c, auth_jwks_why_t why, uint64_t now_ms);

/* BLOCKING: fetches the URL (redirects followed up to 3 times, http and
 * https only, timeout and size cap from the options), requires status 200,
 * parses and swaps in the set; now_ms is the time of the fetch, for the
 * schedule. Ends the refresh begun by auth_jwks_cache_begin_refresh,
 * successful or not. Returns FACET_OK, FACET_EIO (connection, HTTP
 * status), FACET_ETIMEDOUT, FACET_ELIMIT (body too large), FACET_EINVAL
 * (not a usable key set) with a sentence in err; the old set stays on
 * failure. */
int auth_jwks_cache_refresh(auth_jwks_cache_t *c, uint64_t now_ms, char *err, size_t errlen);

/* Installs set (the cache takes ownership) as if fetched at now_ms, ending a
 * refresh begun with auth_jwks_cache_begin_refresh if one was. */
void auth_jwks_cache_install(auth_jwks_cache_t *c, auth_jwks_t *set, uint64_t now_ms);

/* Number of keys in the current set (0 before the first success). */
size_t auth_jwks_cache_count(auth_jwks_cache_t *c);

#endif
