/* Argon2id password hashes through libsodium, and the password policy. */
#include "auth/password.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "auth/internal.h"
#include "core/error.h"
#include "gql/lexer.h"

_Static_assert(AUTH_PASSWORD_HASH_SIZE == crypto_pwhash_STRBYTES, "hash string size");

#define PREFIX_ID "$argon2id$"
#define PREFIX_I  "$argon2i$"

static unsigned long long ops_of(const auth_password_opts_t *o)
{
    return o && o->ops_limit ? o->ops_limit : crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE;
}

static size_t mem_of(const auth_password_opts_t *o)
{
    return o && o->mem_limit ? o->mem_limit : crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE;
}

int auth_password_opts_check(const auth_password_opts_t *o, char *err, size_t errlen)
{
    unsigned long long ops = ops_of(o);
    size_t mem = mem_of(o);
    const char *msg = NULL;
    if (ops < crypto_pwhash_argon2id_OPSLIMIT_MIN || ops > crypto_pwhash_argon2id_OPSLIMIT_MAX)
        msg = "password hashing ops limit is out of range (1 to 4294967295)";
    else if (mem < crypto_pwhash_argon2id_MEMLIMIT_MIN || mem > crypto_pwhash_argon2id_MEMLIMIT_MAX)
        msg = "password hashing memory limit is out of range (at least 8192 bytes)";
    if (!msg)
        return FACET_OK;
    if (err && errlen)
        snprintf(err, errlen, "%s", msg);
    return FACET_EINVAL;
}

int auth_password_check_policy(facet_str_t password, char *msg, size_t msglen)
{
    const char *why = NULL;
    if (password.len < AUTH_PASSWORD_MIN_LEN)
        why = "Password must be at least 8 bytes long.";
    else if (password.len > AUTH_PASSWORD_MAX_LEN)
        why = "Password must be at most 256 bytes long.";
    for (size_t i = 0; !why && i < password.len;) {
        uint32_t cp;
        size_t n = gql_utf8_decode(password.base + i, password.len - i, &cp);
        if (n == 0)
            why = "Password must be valid UTF-8 text.";
        i += n;
    }
    if (!why)
        return FACET_OK;
    if (msg && msglen)
        snprintf(msg, msglen, "%s", why);
    return FACET_EINVAL;
}

int auth_password_hash(const auth_password_opts_t *o, facet_str_t password,
                       char out[AUTH_PASSWORD_HASH_SIZE])
{
    if (auth_password_check_policy(password, NULL, 0) != FACET_OK ||
        auth_password_opts_check(o, NULL, 0) != FACET_OK)
        return FACET_EINVAL;
    if (auth__sodium_init() != FACET_OK)
        return FACET_EIO;
    /* Inputs are valid, so the only failure left is memory. */
    if (crypto_pwhash_str_alg(out, password.base, password.len, ops_of(o), mem_of(o),
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return FACET_ENOMEM;
    return FACET_OK;
}

static bool has_prefix(facet_str_t s, const char *prefix)
{
    size_t n = strlen(prefix);
    return s.len >= n && memcmp(s.base, prefix, n) == 0;
}

/* Copies a stored hash into a NUL-terminated buffer, as libsodium wants. */
static int copy_hash(facet_str_t hash, char buf[AUTH_PASSWORD_HASH_SIZE])
{
    if (hash.len >= AUTH_PASSWORD_HASH_SIZE || memchr(hash.base, '\0', hash.len) ||
        !(has_prefix(hash, PREFIX_ID) || has_prefix(hash, PREFIX_I)))
        return FACET_EINVAL;
    memcpy(buf, hash.base, hash.len);
    buf[hash.len] = '\0';
    return FACET_OK;
}

int auth_password_verify(facet_str_t hash, facet_str_t password)
{
    char buf[AUTH_PASSWORD_HASH_SIZE];
    if (!hash.base || copy_hash(hash, buf) != FACET_OK)
        return FACET_EINVAL;
    if (auth__sodium_init() != FACET_OK)
        return FACET_EIO;
    /* libsodium answers -1 for a mismatch and for a string it cannot parse;
     * the parameter check below tells the two apart. */
    bool is_id = has_prefix(hash, PREFIX_ID);
    int shape = is_id ? crypto_pwhash_argon2id_str_needs_rehash(buf, 1, 8192)
                      : crypto_pwhash_argon2i_str_needs_rehash(buf, 3, 8192);
    if (shape < 0)
        return FACET_EINVAL;
    if (password.len > AUTH_PASSWORD_MAX_LEN)
        return FACET_EPERM;
    return crypto_pwhash_str_verify(buf, password.len ? password.base : "", password.len) == 0
               ? FACET_OK
               : FACET_EPERM;
}

void auth_password_burn(const auth_password_opts_t *o, facet_str_t password)
{
    char out[AUTH_PASSWORD_HASH_SIZE];
    if (auth_password_opts_check(o, NULL, 0) != FACET_OK || auth__sodium_init() != FACET_OK)
        return;
    size_t len = password.len > AUTH_PASSWORD_MAX_LEN ? AUTH_PASSWORD_MAX_LEN : password.len;
    /* The result is thrown away; only the time spent matters. */
    if (crypto_pwhash_str_alg(out, len ? password.base : "", len, ops_of(o), mem_of(o),
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return;
    sodium_memzero(out, sizeof out);
}

int auth_password_needs_rehash(const auth_password_opts_t *o, facet_str_t hash, bool *out)
{
    char buf[AUTH_PASSWORD_HASH_SIZE];
    if (!hash.base || copy_hash(hash, buf) != FACET_OK)
        return FACET_EINVAL;
    if (auth__sodium_init() != FACET_OK)
        return FACET_EIO;
    if (has_prefix(hash, PREFIX_ID)) {
        int rc = crypto_pwhash_argon2id_str_needs_rehash(buf, ops_of(o), mem_of(o));
        if (rc < 0)
            return FACET_EINVAL;
        *out = rc == 1;
        return FACET_OK;
    }
    if (crypto_pwhash_argon2i_str_needs_rehash(buf, 3, 8192) < 0)
        return FACET_EINVAL;
    *out = true; /* an argon2i hash: move it to argon2id */
    return FACET_OK;
}
