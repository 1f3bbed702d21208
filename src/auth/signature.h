/* Webhook signatures, in the scheme Stripe uses:
 *
 *   X-Facet-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>
 *
 * The timestamp is part of the signed bytes, so a captured request cannot be
 * replayed once it falls outside the tolerance. A header may carry several
 * v1 entries (one per secret while a secret is being rotated); it is
 * authentic when any of them matches any configured secret. Pure functions:
 * no I/O, no allocation except into the caller's buffer. */
#ifndef FACET_AUTH_SIGNATURE_H
#define FACET_AUTH_SIGNATURE_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/str.h"

#define AUTH_SIGNATURE_HEADER            "X-Facet-Signature"
#define AUTH_SIGNATURE_TOLERANCE_DEFAULT 300  /* seconds */
#define AUTH_SIGNATURE_MAX_SECRETS       8    /* secrets, and v1 entries in a header */
#define AUTH_SIGNATURE_HEADER_MAX        2048 /* bytes of header value accepted */

typedef struct auth_signature_opts {
    /* The secrets any of which may have signed (borrowed; 1 to
     * AUTH_SIGNATURE_MAX_SECRETS non-empty ones). */
    const facet_str_t *secrets;
    size_t nsecrets;
    /* How far, in seconds, the timestamp may lie from now in either
     * direction; 0 selects AUTH_SIGNATURE_TOLERANCE_DEFAULT. */
    int64_t tolerance_s;
} auth_signature_opts_t;

/* Appends a header value "t=<t>,v1=<hex>[,v1=<hex>...]" to out, one v1 per
 * secret in order. Returns FACET_EINVAL when t is negative or the secrets
 * are not 1 to AUTH_SIGNATURE_MAX_SECRETS non-empty strings, FACET_EIO when
 * libsodium cannot start, or the buffer's FACET_ELIMIT / FACET_ENOMEM; out
 * is left as it was on failure. */
int auth_signature_sign(const facet_str_t *secrets, size_t nsecrets, int64_t t, facet_str_t body,
                        facet_buf_t *out);

/* Checks header (the value of X-Facet-Signature) against body at time now
 * (unix seconds). Returns:
 *   FACET_OK        a v1 entry matches a secret and t lies within tolerance;
 *   FACET_EINVAL    the header is malformed: not comma-separated key=value
 *                   items, t missing, repeated or not a decimal number, a
 *                   v1 that is not 64 hex digits, no v1, more than
 *                   AUTH_SIGNATURE_MAX_SECRETS v1 entries, longer than
 *                   AUTH_SIGNATURE_HEADER_MAX; also when o holds no valid
 *                   secret (a configuration error);
 *   FACET_EPERM     no v1 entry matches any secret;
 *   FACET_ETIMEDOUT the signature matches but t is more than the tolerance
 *                   away from now (a replay, or a clock far off).
 * Items with other keys (v0, future schemes) are ignored, and spaces or tabs
 * around items are allowed. Signatures are compared in constant time. The
 * MAC is checked before the timestamp, so ETIMEDOUT always means an
 * authentic but stale request. *t_out (if not NULL) gets t when the header
 * parsed. err (if not NULL) gets a sentence for logs, truncated to errlen
 * and NUL-terminated; it never contains a secret or an expected signature. */
int auth_signature_verify(const auth_signature_opts_t *o, facet_str_t header, facet_str_t body,
                          int64_t now, int64_t *t_out, char *err, size_t errlen);

#endif
