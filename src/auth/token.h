/* Opaque refresh tokens: 32 random bytes written as 43 base64url
 * characters. The server stores only the SHA-256 of a token (hex), so a
 * database leak does not hand out sessions; the client holds the token
 * itself. Thread-safe; cheap enough for an event loop. */
#ifndef FACET_AUTH_TOKEN_H
#define FACET_AUTH_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

#include "core/str.h"

#define AUTH_TOKEN_BYTES    32
#define AUTH_TOKEN_TEXT_LEN 43 /* base64url of 32 bytes, unpadded */
#define AUTH_TOKEN_HASH_LEN 64 /* hex SHA-256 */

/* Writes a new token and a NUL into out (AUTH_TOKEN_TEXT_LEN + 1 bytes),
 * from libsodium's randombytes_buf (the kernel's CSPRNG). Returns FACET_EIO
 * when libsodium cannot start. */
int auth_token_new(char out[AUTH_TOKEN_TEXT_LEN + 1]);

/* Writes len random bytes as unpadded base64url and a NUL into out, whose
 * size outcap must hold them (4 * len / 3 + 2 bytes always does); for ids
 * that are not secrets of fixed size, e.g. a session id. Returns
 * FACET_EINVAL when len is 0 or above 1024, FACET_ELIMIT when outcap is too
 * small, FACET_EIO when libsodium cannot start. */
int auth_token_random_text(size_t len, char *out, size_t outcap);

/* FACET_OK when token has the shape auth_token_new writes (43 base64url
 * characters encoding 32 bytes), FACET_EINVAL otherwise. Check client input
 * with it before hashing or looking it up. */
int auth_token_check(facet_str_t token);

/* Writes the lowercase hex SHA-256 of the token's text and a NUL into out
 * (AUTH_TOKEN_HASH_LEN + 1 bytes): the value to store and to look up.
 * Returns FACET_EINVAL when the token fails auth_token_check. */
int auth_token_hash(facet_str_t token, char out[AUTH_TOKEN_HASH_LEN + 1]);

/* Constant-time equality of two strings; only the lengths may leak through
 * timing (tokens and hashes have public, fixed lengths). */
bool auth_token_equal(facet_str_t a, facet_str_t b);

#endif
