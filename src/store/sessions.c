/* Refresh-token sessions: creation, rotation with reuse detection, and
 * revocation, built on unique inserts (see sessions.h for why). */
#include "store/sessions.h"

#include <mongoc/mongoc.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

#define COLLECTION "sessions"
/* Tombstones use the tokenHash index: "revoked:" + family id can never
 * collide with a hex hash. */
#define TOMBSTONE_PREFIX "revoked:"

const char *store_session_refusal_name(store_session_refusal_t why)
{
    switch (why) {
    case STORE_SESSION_REUSED:
        return "reused";
    case STORE_SESSION_REVOKED:
        return "revoked";
    case STORE_SESSION_EXPIRED:
        return "expired";
    default:
        return "accepted";
    }
}

static bool hash_ok(const char *h)
{
    if (!h || strlen(h) != 64)
        return false;
    for (size_t i = 0; i < 64; i++)
        if (!((h[i] >= '0' && h[i] <= '9') || (h[i] >= 'a' && h[i] <= 'f')))
            return false;
    return true;
}

static void parse_session(const bson_t *doc, store_session_t *out)
{
    memset(out, 0, sizeof *out);
    store_doc_oid_text(doc, "_id", out->id);
    store_doc_oid_text(doc, "userId", out->user_id);
    store_doc_oid_text(doc, "family", out->family);
    store_doc_copy_str(doc, "tokenHash", out->token_hash, sizeof out->token_hash);
    out->created_at = store_doc_date(doc, "createdAt", 0);
    out->expires_at = store_doc_date(doc, "expiresAt", 0);
    out->used_at = store_doc_date(doc, "usedAt", 0);
    out->revoked_at = store_doc_date(doc, "revokedAt", 0);
    store_doc_oid_text(doc, "replacedBy", out->replaced_by);
}

/* A session document; parent is the session it replaced (a fresh id for
 * the first of a family), unique, which is what makes rotation
 * single-use. */
static void build(bson_t *doc, const bson_oid_t *id, const bson_oid_t *user,
                  const bson_oid_t *family, const bson_oid_t *parent, const char *hash,
                  int64_t expires_at, int64_t now, int64_t revoked_at)
{
    bson_init(doc);
    BSON_APPEND_OID(doc, "_id", id);
    BSON_APPEND_OID(doc, "userId", user);
    BSON_APPEND_OID(doc, "family", family);
    BSON_APPEND_OID(doc, "parent", parent);
    BSON_APPEND_UTF8(doc, "tokenHash", hash);
    BSON_APPEND_DATE_TIME(doc, "createdAt", now);
    BSON_APPEND_DATE_TIME(doc, "expiresAt", expires_at);
    BSON_APPEND_NULL(doc, "usedAt");
    if (revoked_at)
        BSON_APPEND_DATE_TIME(doc, "revokedAt", revoked_at);
    else
        BSON_APPEND_NULL(doc, "revokedAt");
    BSON_APPEND_NULL(doc, "replacedBy");
}

/* Inserts doc; FACET_EEXIST on a duplicate key. */
static int insert(mongoc_collection_t *coll, const bson_t *doc, store_error_t *err)
{
    bson_error_t error;
    bson_t reply;
    int rc = FACET_OK;
    if (!mongoc_collection_insert_one(coll, doc, NULL, &reply, &error))
        rc = store_error_from(&error, &reply, err);
    bson_destroy(&reply);
    return rc;
}

static void take_session(const bson_t *doc, void *ud)
{
    parse_session(doc, ud);
}

static int find_by(mongoc_collection_t *coll, const bson_t *filter, store_session_t *out,
                   store_error_t *err)
{
    return store_find_one_take(coll, filter, NULL, take_session, out, "no such session", err);
}

static int find_hash(mongoc_collection_t *coll, const char *hash, store_session_t *out,
                     store_error_t *err)
{
    bson_t *filter = BCON_NEW("tokenHash", BCON_UTF8(hash));
    int rc = find_by(coll, filter, out, err);
    bson_destroy(filter);
    return rc;
}

static void tombstone_hash(const char *family, char *out, size_t cap)
{
    snprintf(out, cap, "%s%s", TOMBSTONE_PREFIX, family);
}

/* ---- revocation ---- */

/* Revokes a family: the tombstone first, then every session not yet
 * revoked. *n (may be NULL) gets how many sessions were marked. */
static int revoke_family(mongoc_collection_t *coll, const char *family, const char *user,
                         int64_t now, uint64_t *n, store_error_t *err)
{
    bson_oid_t fam, uid, id;
    if (store_oid_parse_c(family, &fam) != FACET_OK || store_oid_parse_c(user, &uid) != FACET_OK)
        return store_error_set(err, FACET_EIO, "session document without family or user");
    char hash[64];
    tombstone_hash(family, hash, sizeof hash);
    bson_oid_t parent;
    bson_oid_init(&id, NULL);
    bson_oid_init(&parent, NULL);
    bson_t doc;
    build(&doc, &id, &uid, &fam, &parent, hash, now + STORE_SESSION_TOMBSTONE_MS, now, now);
    BSON_APPEND_BOOL(&doc, "tombstone", true);
    int rc = insert(coll, &doc, err);
    bson_destroy(&doc);
    if (rc != FACET_OK && rc != FACET_EEXIST)
        return rc;
    bson_t *filter = BCON_NEW("family", BCON_OID(&fam), "revokedAt", BCON_NULL);
    bson_t *update = BCON_NEW("$set", "{", "revokedAt", BCON_DATE_TIME(now), "}");
    bson_t reply;
    bson_error_t error;
    rc = FACET_OK;
    if (!mongoc_collection_update_many(coll, filter, update, NULL, &reply, &error))
        rc = store_error_from(&error, &reply, err);
    else if (n)
        *n += (uint64_t)store_doc_int(&reply, "modifiedCount", 0);
    bson_destroy(&reply);
    bson_destroy(update);
    bson_destroy(filter);
    if (rc == FACET_OK)
        store_error_clear(err); /* a duplicate tombstone left its detail */
    return rc;
}

/* True when the family has a tombstone; errors count as revoked, so a
 * failure never hands out a token. */
static bool family_revoked(mongoc_collection_t *coll, const char *family)
{
    char hash[64];
    tombstone_hash(family, hash, sizeof hash);
    bson_t *filter = BCON_NEW("tokenHash", BCON_UTF8(hash));
    bson_t doc;
    store_error_t ignored;
    int rc = store_find_one(coll, filter, NULL, &doc, &ignored);
    if (rc == FACET_OK)
        bson_destroy(&doc);
    bson_destroy(filter);
    return rc != FACET_ENOTFOUND;
}

/* ---- create and rotate ---- */

int store_session_create(mongoc_client_t *client, const char *db, const char *user_id,
                         const char *token_hash, int64_t expires_at, int64_t now,
                         store_session_t *out, store_error_t *err)
{
    store_error_clear(err);
    bson_oid_t user, id;
    if (store_oid_parse_c(user_id, &user) != FACET_OK)
        return store_error_set(err, FACET_EINVAL, "not a user id");
    if (!hash_ok(token_hash))
        return store_error_set(err, FACET_EINVAL, "token hash is not 64 hex digits");
    bson_oid_t root; /* a family's first session has a parent of its own */
    bson_oid_init(&id, NULL);
    bson_oid_init(&root, NULL);
    bson_t doc;
    build(&doc, &id, &user, &id, &root, token_hash, expires_at, now, 0);
    mongoc_collection_t *coll = mongoc_client_get_collection(client, db, COLLECTION);
    int rc = insert(coll, &doc, err);
    if (rc == FACET_OK)
        parse_session(&doc, out);
    else if (rc == FACET_EEXIST)
        store_error_set(err, rc, "token hash already stored");
    bson_destroy(&doc);
    mongoc_collection_destroy(coll);
    return rc;
}

static int refuse(store_session_refusal_t reason, store_session_refusal_t *why, store_error_t *err)
{
    if (why)
        *why = reason;
    return store_error_set(err, FACET_EPERM, "refresh token %s",
                           store_session_refusal_name(reason));
}

/* After the claim: the old session says it was used; a family revoked
 * meanwhile takes the new session with it. */
static int finish_rotation(mongoc_collection_t *coll, const store_session_t *old, bson_t *doc,
                           int64_t now, store_session_t *out, store_session_refusal_t *why,
                           store_error_t *err)
{
    bson_oid_t old_id, new_id;
    bson_iter_t it;
    store_oid_parse_c(old->id, &old_id);
    if (bson_iter_init_find(&it, doc, "_id"))
        bson_oid_copy(bson_iter_oid(&it), &new_id);
    bson_t *filter = BCON_NEW("_id", BCON_OID(&old_id));
    bson_t *update =
        BCON_NEW("$set", "{", "usedAt", BCON_DATE_TIME(now), "replacedBy", BCON_OID(&new_id), "}");
    bson_error_t error;
    /* Informational: the unique parent already makes the old token
     * single-use, so a failure here changes nothing. */
    mongoc_collection_update_one(coll, filter, update, NULL, NULL, &error);
    bson_destroy(update);
    bson_destroy(filter);
    if (family_revoked(coll, old->family)) {
        filter = BCON_NEW("_id", BCON_OID(&new_id));
        update = BCON_NEW("$set", "{", "revokedAt", BCON_DATE_TIME(now), "}");
        mongoc_collection_update_one(coll, filter, update, NULL, NULL, &error);
        bson_destroy(update);
        bson_destroy(filter);
        return refuse(STORE_SESSION_REVOKED, why, err);
    }
    parse_session(doc, out);
    return FACET_OK;
}

/* Claims old by inserting its successor; a lost claim is reuse. */
static int claim(mongoc_collection_t *coll, const store_session_t *old, const char *new_hash,
                 int64_t new_expires_at, int64_t now, store_session_t *out,
                 store_session_refusal_t *why, store_error_t *err)
{
    bson_oid_t id, user, family, parent;
    store_oid_parse_c(old->user_id, &user);
    store_oid_parse_c(old->family, &family);
    store_oid_parse_c(old->id, &parent);
    bson_oid_init(&id, NULL);
    bson_t doc;
    build(&doc, &id, &user, &family, &parent, new_hash, new_expires_at, now, 0);
    int rc = insert(coll, &doc, err);
    if (rc == FACET_OK) {
        rc = finish_rotation(coll, old, &doc, now, out, why, err);
    } else if (rc == FACET_EEXIST) {
        /* Either the parent (reuse) or the new hash (the caller's bug). */
        store_session_t taken;
        if (find_hash(coll, new_hash, &taken, err) == FACET_OK)
            rc = store_error_set(err, FACET_EEXIST, "new token hash already stored");
        else if ((rc = revoke_family(coll, old->family, old->user_id, now, NULL, err)) == FACET_OK)
            rc = refuse(STORE_SESSION_REUSED, why, err);
    }
    bson_destroy(&doc);
    return rc;
}

int store_session_rotate(mongoc_client_t *client, const char *db, const char *old_hash,
                         const char *new_hash, int64_t new_expires_at, int64_t now,
                         store_session_t *out, store_session_refusal_t *why, store_error_t *err)
{
    store_error_clear(err);
    if (why)
        *why = STORE_SESSION_ACCEPTED;
    if (!hash_ok(old_hash) || !hash_ok(new_hash))
        return store_error_set(err, FACET_EINVAL, "token hash is not 64 hex digits");
    if (strcmp(old_hash, new_hash) == 0)
        return store_error_set(err, FACET_EINVAL, "the new token hash equals the old one");
    mongoc_collection_t *coll = mongoc_client_get_collection(client, db, COLLECTION);
    store_session_t old;
    int rc = find_hash(coll, old_hash, &old, err);
    if (rc == FACET_OK) {
        if (old.revoked_at)
            rc = refuse(STORE_SESSION_REVOKED, why, err);
        else if (old.used_at) {
            if ((rc = revoke_family(coll, old.family, old.user_id, now, NULL, err)) == FACET_OK)
                rc = refuse(STORE_SESSION_REUSED, why, err);
        } else if (old.expires_at <= now)
            rc = refuse(STORE_SESSION_EXPIRED, why, err);
        else
            rc = claim(coll, &old, new_hash, new_expires_at, now, out, why, err);
    }
    mongoc_collection_destroy(coll);
    return rc;
}

/* ---- lookups and revocation ---- */

int store_session_find(mongoc_client_t *client, const char *db, const char *token_hash,
                       store_session_t *out, store_error_t *err)
{
    store_error_clear(err);
    if (!hash_ok(token_hash))
        return store_error_set(err, FACET_EINVAL, "token hash is not 64 hex digits");
    mongoc_collection_t *coll = mongoc_client_get_collection(client, db, COLLECTION);
    int rc = find_hash(coll, token_hash, out, err);
    mongoc_collection_destroy(coll);
    return rc;
}

int store_session_revoke(mongoc_client_t *client, const char *db, const char *token_hash,
                         int64_t now, store_error_t *err)
{
    store_error_clear(err);
    if (!hash_ok(token_hash))
        return store_error_set(err, FACET_EINVAL, "token hash is not 64 hex digits");
    mongoc_collection_t *coll = mongoc_client_get_collection(client, db, COLLECTION);
    store_session_t s;
    int rc = find_hash(coll, token_hash, &s, err);
    if (rc == FACET_OK)
        rc = revoke_family(coll, s.family, s.user_id, now, NULL, err);
    mongoc_collection_destroy(coll);
    return rc;
}

#define MAX_FAMILIES 1024

/* The distinct families of user's sessions not yet revoked (at most
 * MAX_FAMILIES; the updateMany after them covers the rest). */
static int live_families(mongoc_collection_t *coll, const bson_oid_t *user,
                         char (*families)[STORE_ID_SIZE], size_t *n, store_error_t *err)
{
    bson_t *filter = BCON_NEW("userId", BCON_OID(user), "revokedAt", BCON_NULL);
    bson_t *opts = BCON_NEW("projection", "{", "family", BCON_INT32(1), "}");
    mongoc_cursor_t *cursor = mongoc_collection_find_with_opts(coll, filter, opts, NULL);
    const bson_t *doc;
    bson_error_t error;
    *n = 0;
    while (*n < MAX_FAMILIES && mongoc_cursor_next(cursor, &doc)) {
        char fam[STORE_ID_SIZE];
        size_t i = 0;
        if (!store_doc_oid_text(doc, "family", fam))
            continue;
        while (i < *n && strcmp(families[i], fam) != 0)
            i++;
        if (i == *n)
            memcpy(families[(*n)++], fam, STORE_ID_SIZE);
    }
    int rc = FACET_OK;
    if (mongoc_cursor_error(cursor, &error))
        rc = store_error_from(&error, NULL, err);
    mongoc_cursor_destroy(cursor);
    bson_destroy(opts);
    bson_destroy(filter);
    return rc;
}

int store_session_revoke_user(mongoc_client_t *client, const char *db, const char *user_id,
                              int64_t now, uint64_t *revoked, store_error_t *err)
{
    store_error_clear(err);
    bson_oid_t user;
    if (store_oid_parse_c(user_id, &user) != FACET_OK)
        return store_error_set(err, FACET_EINVAL, "not a user id");
    char(*families)[STORE_ID_SIZE] = calloc(MAX_FAMILIES, STORE_ID_SIZE);
    if (!families)
        return store_error_set(err, FACET_ENOMEM, "out of memory");
    size_t n = 0;
    uint64_t count = 0;
    mongoc_collection_t *coll = mongoc_client_get_collection(client, db, COLLECTION);
    int rc = live_families(coll, &user, families, &n, err);
    for (size_t i = 0; i < n && rc == FACET_OK; i++)
        rc = revoke_family(coll, families[i], user_id, now, &count, err);
    if (rc == FACET_OK) {
        bson_t *filter = BCON_NEW("userId", BCON_OID(&user), "revokedAt", BCON_NULL);
        bson_t *update = BCON_NEW("$set", "{", "revokedAt", BCON_DATE_TIME(now), "}");
        bson_t reply;
        bson_error_t error;
        if (!mongoc_collection_update_many(coll, filter, update, NULL, &reply, &error))
            rc = store_error_from(&error, &reply, err);
        else
            count += (uint64_t)store_doc_int(&reply, "modifiedCount", 0);
        bson_destroy(&reply);
        bson_destroy(update);
        bson_destroy(filter);
    }
    mongoc_collection_destroy(coll);
    free(families);
    if (revoked)
        *revoked = count;
    return rc;
}

int store_session_delete_expired(mongoc_client_t *client, const char *db, int64_t before,
                                 uint64_t *deleted, store_error_t *err)
{
    return store_delete_before(client, db, COLLECTION, "expiresAt", before, deleted, err);
}
