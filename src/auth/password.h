/* Password hashing with Argon2id (libsodium's crypto_pwhash, the
 * "$argon2id$v=19$m=...,t=...,p=1$salt$hash" string form) and the password
 * policy applied when a password is chosen.
 *
 * auth_password_hash, auth_password_verify and auth_password_burn are
 * deliberately slow and memory-hungry (mem_limit bytes each, ~50 ms at the
 * defaults): they BLOCK, so callers run them on the libuv thread pool
 * (uv_queue_work), never on an event loop. At most UV_THREADPOOL_SIZE of them
 * run at once, which bounds their memory to UV_THREADPOOL_SIZE * mem_limit.
 * Every function is thread-safe; libsodium is initialized once, on first
 * use, from whichever thread gets there first. */
#ifndef FACET_AUTH_PASSWORD_H
#define FACET_AUTH_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#include "core/str.h"

#define AUTH_PASSWORD_MIN_LEN   8   /* bytes */
#define AUTH_PASSWORD_MAX_LEN   256 /* bytes */
#define AUTH_PASSWORD_HASH_SIZE 128 /* crypto_pwhash_STRBYTES, NUL included */

typedef struct auth_password_opts {
    /* Argon2id passes; 0 selects libsodium's INTERACTIVE value (2). */
    unsigned long long ops_limit;
    /* Argon2id memory in bytes; 0 selects libsodium's INTERACTIVE value
     * (64 MiB). */
    size_t mem_limit;
} auth_password_opts_t;

/* Checks options at configuration time: both limits 0 (default) or within
 * libsodium's Argon2id bounds (ops 1 and up, memory 8 KiB and up). Returns
 * FACET_EINVAL with a sentence in err (truncated to errlen, NUL-terminated)
 * naming the bad limit. o may be NULL (defaults). */
int auth_password_opts_check(const auth_password_opts_t *o, char *err, size_t errlen);

/* The policy for a new password: AUTH_PASSWORD_MIN_LEN to
 * AUTH_PASSWORD_MAX_LEN bytes of well-formed UTF-8. Returns FACET_OK, or
 * FACET_EINVAL with a message fit to show the user in msg (truncated to
 * msglen, NUL-terminated), e.g. "Password must be at least 8 bytes long.".
 * Cheap; fine on the loop. */
int auth_password_check_policy(facet_str_t password, char *msg, size_t msglen);

/* Hashes password (which must pass the policy) with a fresh random salt
 * into out, a NUL-terminated string of fewer than AUTH_PASSWORD_HASH_SIZE
 * bytes. o may be NULL (defaults). Returns FACET_EINVAL when the password
 * fails the policy or the options are out of bounds, FACET_ENOMEM when
 * mem_limit bytes cannot be had, FACET_EIO when libsodium cannot start.
 * Blocking (see above). */
int auth_password_hash(const auth_password_opts_t *o, facet_str_t password,
                       char out[AUTH_PASSWORD_HASH_SIZE]);

/* Checks password against a stored hash (argon2id, or argon2i from an
 * older scheme). Returns FACET_OK on a match, FACET_EPERM when the password
 * is wrong (including one longer than AUTH_PASSWORD_MAX_LEN, which no hash
 * can match), FACET_EINVAL when hash is not an Argon2 hash string. The
 * policy's minimum is not applied, so a policy change never locks anyone
 * out. Blocking (see above). */
int auth_password_verify(facet_str_t hash, facet_str_t password);

/* Spends the time and memory of a verification without a stored hash, for
 * a sign-in with an unknown account, so that response times do not tell
 * which accounts exist. Blocking (see above). */
void auth_password_burn(const auth_password_opts_t *o, facet_str_t password);

/* Sets *out to true when hash was made with another algorithm than
 * Argon2id or other limits than o's (the caller then stores a new hash of
 * the password it just verified). Returns FACET_EINVAL when hash is not an
 * Argon2 hash string. Cheap: parses the string only. */
int auth_password_needs_rehash(const auth_password_opts_t *o, facet_str_t hash, bool *out);

#endif
