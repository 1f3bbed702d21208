/* Refresh-token sessions in the `sessions` collection.
 *
 * A sign-in starts a family; each refresh rotates the presented token into
 * a new session of the same family and marks the old one used. Presenting a
 * used token again is reuse (a stolen token, or a client that lost the
 * answer): the whole family is revoked, so its newest token stops working
 * too. Tokens are stored only as the hex SHA-256 the caller computed.
 *
 * Conditional updates are not atomic on FerretDB 1.24, so the store never
 * relies on them: a rotation claims the old session by inserting the new
 * one with parent = the old session's id under a unique index, which both
 * MongoDB and FerretDB enforce atomically. A family's revocation is a
 * tombstone document inserted before the family's sessions are marked, and
 * a rotation looks for it after its insert, so a sign-out racing a refresh
 * never leaves a live token behind.
 *
 * Synchronous and blocking (run on the thread pool); thread-safe. Times in
 * milliseconds since the epoch; 0 stands for null. */
#ifndef FACET_STORE_SESSIONS_H
#define FACET_STORE_SESSIONS_H

#include <stdint.h>

#include "store/doc.h"

typedef struct _mongoc_client_t mongoc_client_t;

/* 64 lower-case hex digits (SHA-256) and a NUL. */
#define STORE_TOKEN_HASH_SIZE 65
/* How long a family's tombstone is kept (it only matters while a refresh
 * that started before the revocation is still running). */
#define STORE_SESSION_TOMBSTONE_MS (24 * 3600 * 1000LL)

typedef struct store_session {
    char id[STORE_ID_SIZE];
    char user_id[STORE_ID_SIZE];
    char family[STORE_ID_SIZE];
    char token_hash[STORE_TOKEN_HASH_SIZE];
    int64_t created_at;
    int64_t expires_at;
    int64_t used_at;                 /* 0 until rotated */
    int64_t revoked_at;              /* 0 unless revoked */
    char replaced_by[STORE_ID_SIZE]; /* "" until rotated */
} store_session_t;

/* Why a token was refused (with FACET_EPERM). */
typedef enum store_session_refusal {
    STORE_SESSION_ACCEPTED = 0,
    STORE_SESSION_REUSED,  /* already rotated: the family is now revoked */
    STORE_SESSION_REVOKED, /* signed out, or its family was revoked */
    STORE_SESSION_EXPIRED,
} store_session_refusal_t;

/* "reused", "revoked", "expired" or "accepted". */
const char *store_session_refusal_name(store_session_refusal_t why);

/* Starts a new family for user_id (sign-in) with a session for token_hash
 * (64 lower-case hex digits, as every hash here) that expires at
 * expires_at; fills out. FACET_EINVAL for a bad id or hash,
 * FACET_EEXIST if the hash is already stored. */
int store_session_create(mongoc_client_t *client, const char *db, const char *user_id,
                         const char *token_hash, int64_t expires_at, int64_t now,
                         store_session_t *out, store_error_t *err);

/* Rotates the session of old_hash into a new one for new_hash, expiring at
 * new_expires_at, in the same family; out gets the new session (its
 * user_id says who signed in). Returns:
 *   FACET_OK         rotated; *why = STORE_SESSION_ACCEPTED
 *   FACET_EPERM      refused, *why says why; on STORE_SESSION_REUSED the
 *                    family has been revoked
 *   FACET_ENOTFOUND  no session has old_hash
 *   FACET_EINVAL     a hash is not 64 hex digits, or both are equal
 * or a driver error. why may be NULL. */
int store_session_rotate(mongoc_client_t *client, const char *db, const char *old_hash,
                         const char *new_hash, int64_t new_expires_at, int64_t now,
                         store_session_t *out, store_session_refusal_t *why, store_error_t *err);

/* The session with token_hash, whatever its state. FACET_ENOTFOUND when
 * absent. */
int store_session_find(mongoc_client_t *client, const char *db, const char *token_hash,
                       store_session_t *out, store_error_t *err);

/* Signs out: revokes the family of token_hash. Idempotent (FACET_OK when
 * already revoked); FACET_ENOTFOUND when no session has it. */
int store_session_revoke(mongoc_client_t *client, const char *db, const char *token_hash,
                         int64_t now, store_error_t *err);

/* Revokes every family of user_id (a password change, an admin action);
 * *revoked (may be NULL) gets the number of sessions newly revoked. */
int store_session_revoke_user(mongoc_client_t *client, const char *db, const char *user_id,
                              int64_t now, uint64_t *revoked, store_error_t *err);

/* Deletes sessions (and tombstones) that expired before `before`, for a
 * periodic clean-up job; *deleted (may be NULL) gets the count. */
int store_session_delete_expired(mongoc_client_t *client, const char *db, int64_t before,
                                 uint64_t *deleted, store_error_t *err);

#endif
