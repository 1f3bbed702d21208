/* JSON Web Tokens in the JWS compact serialization (RFC 7515, RFC 7519):
 * HS256 tokens that Facet signs itself (access tokens), and RS256 tokens from
 * an external identity provider, verified with a public key found by the
 * token's kid (see auth/jwks.h).
 *
 * The key decides the algorithm, never the token: an HS256 token is checked
 * only against the configured HMAC secret and an RS256 token only against an
 * RSA key, so "alg":"none", an HS256 token signed with an RSA public key as
 * its secret, or an algorithm whose key kind is not configured are all
 * refused ("algorithm confusion"). Verification is pure computation (an RSA
 * verification is tens of microseconds), fine on an event loop; it allocates
 * only from the caller's arena. */
#ifndef FACET_AUTH_JWT_H
#define FACET_AUTH_JWT_H

#include <openssl/evp.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/str.h"

#define AUTH_JWT_MAX_LEN_DEFAULT  8192 /* bytes of token accepted */
#define AUTH_JWT_LEEWAY_DEFAULT   30   /* seconds of clock skew allowed */
#define AUTH_JWT_NO_LEEWAY        (-1) /* leeway_s value for none at all */
#define AUTH_JWT_HS256_MIN_SECRET 32   /* bytes: RFC 7518 3.2 asks for >= the hash size */
#define AUTH_JWT_RSA_MIN_BITS     2048 /* RFC 7518 3.3 */

typedef enum auth_role {
    AUTH_ROLE_USER,
    AUTH_ROLE_ADMIN,
} auth_role_t;

typedef enum auth_jwt_alg {
    AUTH_JWT_HS256,
    AUTH_JWT_RS256,
} auth_jwt_alg_t;

/* Why a token was refused, for logs and for telling an expired token (the
 * client should refresh) from a bad one. */
typedef enum auth_jwt_reason {
    AUTH_JWT_OK,
    AUTH_JWT_MALFORMED,     /* not header.payload.signature of base64url JSON objects */
    AUTH_JWT_TOO_LONG,      /* longer than max_len */
    AUTH_JWT_ALG,           /* alg none, unsupported, or no key of its kind configured */
    AUTH_JWT_UNKNOWN_KEY,   /* RS256 kid not found: refresh the key set, then retry */
    AUTH_JWT_SIGNATURE,     /* the signature does not verify */
    AUTH_JWT_EXPIRED,       /* exp has passed (beyond the leeway) */
    AUTH_JWT_NOT_YET_VALID, /* nbf or iat lies in the future (beyond the leeway) */
    AUTH_JWT_ISSUER,        /* iss missing or not the expected one */
    AUTH_JWT_AUDIENCE,      /* aud missing, not ours, or present when none is expected */
    AUTH_JWT_CLAIMS,        /* sub or exp missing, a claim of the wrong type, unknown role */
    AUTH_JWT_INTERNAL,      /* out of memory, or OpenSSL failed */
} auth_jwt_reason_t;

typedef struct auth_jwt_error {
    auth_jwt_reason_t reason;
    char message[128]; /* a sentence for logs; never holds the token or a secret */
} auth_jwt_error_t;

/* What a verified token says. Slices borrow from the arena passed to the
 * call (or from the token, for kid) and live as long as both. */
typedef struct auth_jwt_claims {
    auth_jwt_alg_t alg;
    facet_str_t kid; /* empty when the header has none */
    facet_str_t sub;
    facet_str_t iss;  /* empty when absent */
    facet_str_t sid;  /* session id; empty when absent */
    auth_role_t role; /* USER when the claim is absent */
    int64_t exp;
    int64_t iat; /* 0 when absent; fractional dates are truncated here */
    int64_t nbf; /* 0 when absent */
} auth_jwt_claims_t;

/* What the tokens of one kind must carry. */
typedef struct auth_jwt_expect {
    /* Required value of iss; empty: iss is not checked. */
    facet_str_t issuer;
    /* A value aud must equal (string) or contain (array); empty: tokens
     * that carry aud are refused, as RFC 7519 4.1.3 requires of a
     * recipient that is not named in it. */
    facet_str_t audience;
} auth_jwt_expect_t;

/* Finds the RSA public key for kid (empty when the token has none). On
 * FACET_OK *out is a key the verifier frees with EVP_PKEY_free (the lookup
 * takes a reference, so a concurrent key-set refresh cannot free it
 * underneath). FACET_ENOTFOUND when no key matches. Called on the
 * verifying thread. */
typedef int (*auth_jwt_key_fn)(void *ud, facet_str_t kid, EVP_PKEY **out);

typedef struct auth_jwt_verifier {
    /* HS256: the shared secret (>= AUTH_JWT_HS256_MIN_SECRET bytes);
     * empty: HS256 tokens are refused. Borrowed. */
    facet_str_t hs256_secret;
    auth_jwt_expect_t hs256;
    /* RS256: the key lookup; NULL: RS256 tokens are refused. */
    auth_jwt_key_fn rs256_key;
    void *rs256_ud;
    auth_jwt_expect_t rs256;
    /* Clock skew allowed on exp, nbf and iat; 0 selects
     * AUTH_JWT_LEEWAY_DEFAULT, AUTH_JWT_NO_LEEWAY none. */
    int64_t leeway_s;
    /* Longest token accepted; 0 selects AUTH_JWT_MAX_LEN_DEFAULT. */
    size_t max_len;
} auth_jwt_verifier_t;

/* Checks an HS256 secret at configuration time: FACET_OK, or FACET_EINVAL
 * when it is shorter than AUTH_JWT_HS256_MIN_SECRET bytes. */
int auth_jwt_check_secret(facet_str_t secret);

/* Verifies token (the text after "Bearer ") at time now (unix seconds) and
 * fills *out. The signature is checked before any claim is trusted. Claims:
 * sub (non-empty string) and exp (number) are required; nbf and iat must be
 * numbers when present; iss and aud are checked per v's expectations for
 * the token's algorithm; role is "USER" or "ADMIN" when present; sid a
 * string when present. Returns FACET_OK, or fills err (if not NULL) and
 * returns FACET_EINVAL (MALFORMED), FACET_ELIMIT (TOO_LONG),
 * FACET_ENOTFOUND (UNKNOWN_KEY), FACET_ENOMEM or FACET_EIO (INTERNAL), or
 * FACET_EPERM (every other reason). a holds the decoded header and payload
 * afterwards; give it a limit of a few times max_len. */
int auth_jwt_verify(facet_arena_t *a, const auth_jwt_verifier_t *v, facet_str_t token, int64_t now,
                    auth_jwt_claims_t *out, auth_jwt_error_t *err);

/* The claims of a Facet access token. */
typedef struct auth_jwt_sign_claims {
    facet_str_t sub; /* required */
    facet_str_t iss; /* required */
    facet_str_t aud; /* written when not empty */
    facet_str_t sid; /* required: the session (refresh-token family) id */
    auth_role_t role;
    int64_t iat;
    int64_t exp; /* must be after iat */
} auth_jwt_sign_claims_t;

/* Appends an HS256 token {"alg":"HS256","typ":"JWT"} . {sub, iat, exp, iss,
 * aud?, role, sid} to out. Returns FACET_EINVAL for a secret shorter than
 * AUTH_JWT_HS256_MIN_SECRET, an empty sub, iss or sid, or exp <= iat; the
 * buffer's FACET_ELIMIT / FACET_ENOMEM; FACET_EIO when libsodium cannot
 * start. out is left as it was on failure. */
int auth_jwt_sign_hs256(facet_str_t secret, const auth_jwt_sign_claims_t *c, facet_buf_t *out);

/* "USER" or "ADMIN". */
const char *auth_role_name(auth_role_t role);

#endif
