/* The users repository: accounts, public profiles, roles and per-user
 * settings in the `users` collection.
 *
 * Every function is synchronous and blocking: it takes a client popped from
 * the pool by the caller and the database name, and is meant to run on the
 * libuv thread pool. They share no state, so any number may run at once.
 * Ids are ObjectIds as 24 hex digits; an id that is not one is
 * FACET_EINVAL. Times are milliseconds since the epoch.
 *
 * E-mail addresses and usernames are kept as given and in a lower-cased
 * (ASCII) form, emailNorm and usernameNorm, which carry the unique indexes
 * and serve the lookups. Checking their syntax is the caller's job; the
 * store only bounds their size. */
#ifndef FACET_STORE_USERS_H
#define FACET_STORE_USERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/doc.h"

typedef struct _mongoc_client_t mongoc_client_t;

/* Sizes in bytes, NUL excluded. */
#define STORE_EMAIL_MAX         254
#define STORE_USERNAME_MAX      64
#define STORE_DISPLAY_NAME_MAX  128
#define STORE_PASSWORD_HASH_MAX 255
/* Settings: the object's compact JSON text, and how deep it may nest. */
#define STORE_SETTINGS_MAX       (16 * 1024)
#define STORE_SETTINGS_MAX_DEPTH 16
/* Ids per store_user_find_many call. */
#define STORE_USERS_BATCH_MAX 1000

typedef enum store_role {
    STORE_ROLE_USER = 0,
    STORE_ROLE_ADMIN = 1,
} store_role_t;

/* "USER" or "ADMIN". */
const char *store_role_name(store_role_t role);

/* A user as the repository returns it. Settings are not included (see
 * store_user_settings_get); password_hash is "" except from
 * store_user_find_for_sign_in. */
typedef struct store_user {
    char id[STORE_ID_SIZE];
    char email[STORE_EMAIL_MAX + 1];
    char username[STORE_USERNAME_MAX + 1];
    char display_name[STORE_DISPLAY_NAME_MAX + 1]; /* "" when unset */
    char avatar[STORE_ID_SIZE];                    /* image id, "" when none */
    store_role_t role;
    char password_hash[STORE_PASSWORD_HASH_MAX + 1];
    int64_t created_at;
    int64_t updated_at;
} store_user_t;

typedef struct store_user_new {
    const char *email;         /* required */
    const char *username;      /* required */
    const char *display_name;  /* NULL or "": none */
    const char *password_hash; /* required (an encoded Argon2id hash) */
    store_role_t role;
} store_user_new_t;

/* Inserts a new user with a fresh id and fills out (password_hash ""). On a
 * duplicate returns FACET_EEXIST with err->index "email" or "username",
 * saying which one is taken (e-mail first when both are). Sizes beyond the
 * limits above are FACET_ELIMIT, empty required fields FACET_EINVAL. */
int store_user_create(mongoc_client_t *client, const char *db, const store_user_new_t *in,
                      int64_t now, store_user_t *out, store_error_t *err);

/* By id. FACET_ENOTFOUND when absent. */
int store_user_find(mongoc_client_t *client, const char *db, const char *id, store_user_t *out,
                    store_error_t *err);

/* By e-mail, compared lower-cased. FACET_ENOTFOUND when absent. */
int store_user_find_by_email(mongoc_client_t *client, const char *db, const char *email,
                             store_user_t *out, store_error_t *err);

/* As store_user_find_by_email, with password_hash filled: for sign-in only. */
int store_user_find_for_sign_in(mongoc_client_t *client, const char *db, const char *email,
                                store_user_t *out, store_error_t *err);

/* Loads n users with one query, for DataLoader batches: out[i] and found[i]
 * answer ids[i] (both arrays of n, caller-owned). Ids that do not exist, or
 * are not valid ids, get found[i] = false; repeated ids are all answered.
 * n above STORE_USERS_BATCH_MAX is FACET_ELIMIT; n == 0 does nothing. */
int store_user_find_many(mongoc_client_t *client, const char *db, const char *const *ids, size_t n,
                         store_user_t *out, bool *found, store_error_t *err);

/* A partial profile change: NULL fields stay as they are. */
typedef struct store_profile_update {
    const char *display_name; /* "" clears it */
    bool set_avatar;
    const char *avatar; /* with set_avatar: an image id, or NULL to clear */
} store_profile_update_t;

/* Applies u and fills out with the updated user. Whether the avatar image
 * belongs to the user is the caller's check. FACET_ENOTFOUND when absent. */
int store_user_update_profile(mongoc_client_t *client, const char *db, const char *id,
                              const store_profile_update_t *u, int64_t now, store_user_t *out,
                              store_error_t *err);

/* Sets the role. FACET_ENOTFOUND when absent. */
int store_user_set_role(mongoc_client_t *client, const char *db, const char *id, store_role_t role,
                        int64_t now, store_error_t *err);

/* Replaces the password hash. FACET_ENOTFOUND when absent. */
int store_user_set_password_hash(mongoc_client_t *client, const char *db, const char *id,
                                 const char *password_hash, int64_t now, store_error_t *err);

/* ---- settings: a JSON object ---- */

/* The user's settings as compact JSON text ("{}" when none). *json is
 * malloc'd, NUL-terminated; the caller frees it. FACET_ENOTFOUND when the
 * user is absent. */
int store_user_settings_get(mongoc_client_t *client, const char *db, const char *id, char **json,
                            size_t *len, store_error_t *err);

typedef enum store_settings_mode {
    /* Top-level members of the patch replace the stored ones; a member
     * whose value is null removes it (a shallow JSON merge patch). */
    STORE_SETTINGS_MERGE = 0,
    /* The patch becomes the whole settings object. */
    STORE_SETTINGS_REPLACE = 1,
} store_settings_mode_t;

/* Updates the settings from len bytes of JSON text that must be an object
 * and returns the result as store_user_settings_get does. Refused with
 * FACET_EINVAL (err->message says why): invalid JSON, not an object, keys
 * that are empty, start with '$', contain '.' or a NUL byte; FACET_ELIMIT:
 * the resulting object's JSON text is larger than STORE_SETTINGS_MAX or
 * nests deeper than STORE_SETTINGS_MAX_DEPTH. Numbers are kept as
 * JavaScript keeps them (doubles). On MongoDB concurrent updates are applied
 * one after the other (a revision check with retries; FACET_ECONFLICT if
 * that keeps failing). FerretDB 1.24 does not make conditional updates
 * atomic, so there two updates racing for the same user may lose one of
 * them (the last writer wins); each stored object is still whole and
 * within the limits. */
int store_user_settings_update(mongoc_client_t *client, const char *db, const char *id,
                               const char *patch, size_t patch_len, store_settings_mode_t mode,
                               int64_t now, char **json, size_t *len, store_error_t *err);

#endif
