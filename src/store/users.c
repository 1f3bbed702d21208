/* The users repository: documents of the `users` collection to and from
 * store_user_t. Settings live in the user document as a subdocument with a
 * revision counter (settingsRev) that makes read-merge-write updates safe
 * without transactions. */
#include "store/users.h"

#include <mongoc/mongoc.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/error.h"

#define COLLECTION       "users"
#define SETTINGS_RETRIES 8

const char *store_role_name(store_role_t role)
{
    return role == STORE_ROLE_ADMIN ? "ADMIN" : "USER";
}

static mongoc_collection_t *users(mongoc_client_t *client, const char *db)
{
    return mongoc_client_get_collection(client, db, COLLECTION);
}

/* The document minus the password hash and the settings. */
static bson_t *public_projection(void)
{
    return BCON_NEW("projection", "{", "passwordHash", BCON_INT32(0), "settings", BCON_INT32(0),
                    "}");
}

static void parse_user(const bson_t *doc, bool with_hash, store_user_t *out)
{
    memset(out, 0, sizeof *out);
    store_doc_oid_text(doc, "_id", out->id);
    store_doc_copy_str(doc, "email", out->email, sizeof out->email);
    store_doc_copy_str(doc, "username", out->username, sizeof out->username);
    store_doc_copy_str(doc, "displayName", out->display_name, sizeof out->display_name);
    store_doc_oid_text(doc, "avatar", out->avatar);
    const char *role = store_doc_str(doc, "role", NULL);
    out->role = role && strcmp(role, "ADMIN") == 0 ? STORE_ROLE_ADMIN : STORE_ROLE_USER;
    if (with_hash)
        store_doc_copy_str(doc, "passwordHash", out->password_hash, sizeof out->password_hash);
    out->created_at = store_doc_date(doc, "createdAt", 0);
    out->updated_at = store_doc_date(doc, "updatedAt", out->created_at);
}

/* ASCII lower-casing into dst (at least len + 1 bytes). */
static void lower(char *dst, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        dst[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
    dst[len] = '\0';
}

/* ---- create ---- */

static int check_new(const store_user_new_t *in, store_error_t *err)
{
    int rc;
    if ((rc = store_check_text("email", in->email, STORE_EMAIL_MAX, true, err)) ||
        (rc = store_check_text("username", in->username, STORE_USERNAME_MAX, true, err)) ||
        (rc = store_check_text("displayName", in->display_name, STORE_DISPLAY_NAME_MAX, false,
                               err)) ||
        (rc = store_check_text("passwordHash", in->password_hash, STORE_PASSWORD_HASH_MAX, true,
                               err)))
        return rc;
    return FACET_OK;
}

static bool taken(mongoc_collection_t *coll, const char *field, const char *value)
{
    bson_t *filter = BCON_NEW(field, BCON_UTF8(value));
    bson_error_t error;
    int64_t n = mongoc_collection_count_documents(coll, filter, NULL, NULL, NULL, &error);
    bson_destroy(filter);
    return n > 0;
}

/* Says which unique field a duplicate-key error is about. MongoDB names the
 * index; FerretDB does not, so then the store looks. */
static int duplicate(mongoc_collection_t *coll, const char *email_norm, store_error_t *err)
{
    const char *field = strstr(err->index, "usernameNorm")     ? "username"
                        : strstr(err->index, "emailNorm")      ? "email"
                        : taken(coll, "emailNorm", email_norm) ? "email"
                                                               : "username";
    store_error_set(err, FACET_EEXIST, "this %s is taken", field);
    snprintf(err->index, sizeof err->index, "%s", field);
    return FACET_EEXIST;
}

int store_user_create(mongoc_client_t *client, const char *db, const store_user_new_t *in,
                      int64_t now, store_user_t *out, store_error_t *err)
{
    store_error_clear(err);
    int rc = check_new(in, err);
    if (rc != FACET_OK)
        return rc;
    char email_norm[STORE_EMAIL_MAX + 1], username_norm[STORE_USERNAME_MAX + 1];
    lower(email_norm, in->email, strlen(in->email));
    lower(username_norm, in->username, strlen(in->username));
    bson_oid_t oid;
    bson_oid_init(&oid, NULL);
    bson_t doc = BSON_INITIALIZER, settings;
    BSON_APPEND_OID(&doc, "_id", &oid);
    BSON_APPEND_UTF8(&doc, "email", in->email);
    BSON_APPEND_UTF8(&doc, "emailNorm", email_norm);
    BSON_APPEND_UTF8(&doc, "username", in->username);
    BSON_APPEND_UTF8(&doc, "usernameNorm", username_norm);
    if (in->display_name && *in->display_name)
        BSON_APPEND_UTF8(&doc, "displayName", in->display_name);
    else
        BSON_APPEND_NULL(&doc, "displayName");
    BSON_APPEND_NULL(&doc, "avatar");
    BSON_APPEND_UTF8(&doc, "role", store_role_name(in->role));
    BSON_APPEND_UTF8(&doc, "passwordHash", in->password_hash);
    BSON_APPEND_DOCUMENT_BEGIN(&doc, "settings", &settings);
    bson_append_document_end(&doc, &settings);
    BSON_APPEND_INT64(&doc, "settingsRev", 0);
    BSON_APPEND_DATE_TIME(&doc, "createdAt", now);
    BSON_APPEND_DATE_TIME(&doc, "updatedAt", now);

    mongoc_collection_t *coll = users(client, db);
    bson_error_t error;
    bson_t reply;
    if (mongoc_collection_insert_one(coll, &doc, NULL, &reply, &error)) {
        parse_user(&doc, false, out);
    } else if ((rc = store_error_from(&error, &reply, err)) == FACET_EEXIST) {
        rc = duplicate(coll, email_norm, err);
    }
    bson_destroy(&reply);
    bson_destroy(&doc);
    mongoc_collection_destroy(coll);
    return rc;
}

/* ---- finders ---- */

static void take_public(const bson_t *doc, void *ud)
{
    parse_user(doc, false, ud);
}

static void take_with_hash(const bson_t *doc, void *ud)
{
    parse_user(doc, true, ud);
}

static int find_by(mongoc_client_t *client, const char *db, const bson_t *filter, bool with_hash,
                   store_user_t *out, store_error_t *err)
{
    mongoc_collection_t *coll = users(client, db);
    bson_t *opts = with_hash ? BCON_NEW("projection", "{", "settings", BCON_INT32(0), "}")
                             : public_projection();
    int rc = store_find_one_take(coll, filter, opts, with_hash ? take_with_hash : take_public, out,
                                 "no such user", err);
    bson_destroy(opts);
    mongoc_collection_destroy(coll);
    return rc;
}

int store_user_find(mongoc_client_t *client, const char *db, const char *id, store_user_t *out,
                    store_error_t *err)
{
    store_error_clear(err);
    bson_oid_t oid;
    if (store_oid_parse_c(id, &oid) != FACET_OK)
        return store_error_set(err, FACET_EINVAL, "not a user id");
    bson_t *filter = BCON_NEW("_id", BCON_OID(&oid));
    int rc = find_by(client, db, filter, false, out, err);
    bson_destroy(filter);
    return rc;
}

static int find_by_email(mongoc_client_t *client, const char *db, const char *email, bool with_hash,
                         store_user_t *out, store_error_t *err)
{
    store_error_clear(err);
    int rc = store_check_text("email", email, STORE_EMAIL_MAX, true, err);
    if (rc != FACET_OK)
        return rc;
    char norm[STORE_EMAIL_MAX + 1];
    lower(norm, email, strlen(email));
    bson_t *filter = BCON_NEW("emailNorm", BCON_UTF8(norm));
    rc = find_by(client, db, filter, with_hash, out, err);
    bson_destroy(filter);
    return rc;
}

int store_user_find_by_email(mongoc_client_t *client, const char *db, const char *email,
                             store_user_t *out, store_error_t *err)
{
    return find_by_email(client, db, email, false, out, err);
}

int store_user_find_for_sign_in(mongoc_client_t *client, const char *db, const char *email,
                                store_user_t *out, store_error_t *err)
{
    return find_by_email(client, db, email, true, out, err);
}

/* Fills every position asking for this document's id. */
static void take_user(const bson_t *doc, size_t i, void *ud)
{
    parse_user(doc, false, (store_user_t *)ud + i);
}

int store_user_find_many(mongoc_client_t *client, const char *db, const char *const *ids, size_t n,
                         store_user_t *out, bool *found, store_error_t *err)
{
    store_error_clear(err);
    if (n > STORE_USERS_BATCH_MAX)
        return store_error_set(err, FACET_ELIMIT, "more than %d ids in one batch",
                               STORE_USERS_BATCH_MAX);
    mongoc_collection_t *coll = users(client, db);
    bson_t *opts = public_projection();
    int rc = store_find_by_ids(coll, opts, ids, n, found, take_user, out, err);
    bson_destroy(opts);
    mongoc_collection_destroy(coll);
    return rc;
}

/* ---- updates ---- */

/* Runs findAndModify on {_id: id} with update and returns the new document
 * parsed (FerretDB cannot project here, so the hash is dropped by
 * parse_user). */
static int modify(mongoc_client_t *client, const char *db, const bson_oid_t *oid,
                  const bson_t *update, store_user_t *out, store_error_t *err)
{
    mongoc_collection_t *coll = users(client, db);
    bson_t *filter = BCON_NEW("_id", BCON_OID(oid));
    mongoc_find_and_modify_opts_t *opts = mongoc_find_and_modify_opts_new();
    mongoc_find_and_modify_opts_set_update(opts, update);
    mongoc_find_and_modify_opts_set_flags(opts, MONGOC_FIND_AND_MODIFY_RETURN_NEW);
    int rc = store_find_and_modify(coll, filter, opts, take_public, out, "no such user", err);
    mongoc_find_and_modify_opts_destroy(opts);
    bson_destroy(filter);
    mongoc_collection_destroy(coll);
    return rc;
}

int store_user_update_profile(mongoc_client_t *client, const char *db, const char *id,
                              const store_profile_update_t *u, int64_t now, store_user_t *out,
                              store_error_t *err)
{
    store_error_clear(err);
    bson_oid_t oid, avatar;
    if (store_oid_parse_c(id, &oid) != FACET_OK)
        return store_error_set(err, FACET_EINVAL, "not a user id");
    int rc = store_check_text("displayName", u->display_name, STORE_DISPLAY_NAME_MAX, false, err);
    if (rc != FACET_OK)
        return rc;
    if (u->set_avatar && u->avatar && store_oid_parse_c(u->avatar, &avatar) != FACET_OK)
        return store_error_set(err, FACET_EINVAL, "avatar is not an image id");
    bson_t update = BSON_INITIALIZER, set;
    BSON_APPEND_DOCUMENT_BEGIN(&update, "$set", &set);
    if (u->display_name && *u->display_name)
        BSON_APPEND_UTF8(&set, "displayName", u->display_name);
    else if (u->display_name)
        BSON_APPEND_NULL(&set, "displayName");
    if (u->set_avatar && u->avatar)
        BSON_APPEND_OID(&set, "avatar", &avatar);
    else if (u->set_avatar)
        BSON_APPEND_NULL(&set, "avatar");
    BSON_APPEND_DATE_TIME(&set, "updatedAt", now);
    bson_append_document_end(&update, &set);
    rc = modify(client, db, &oid, &update, out, err);
    bson_destroy(&update);
    return rc;
}

static int set_field(mongoc_client_t *client, const char *db, const char *id, const char *field,
                     const char *value, int64_t now, store_error_t *err)
{
    bson_oid_t oid;
    if (store_oid_parse_c(id, &oid) != FACET_OK)
        return store_error_set(err, FACET_EINVAL, "not a user id");
    bson_t *update =
        BCON_NEW("$set", "{", field, BCON_UTF8(value), "updatedAt", BCON_DATE_TIME(now), "}");
    store_user_t ignored;
    int rc = modify(client, db, &oid, update, &ignored, err);
    bson_destroy(update);
    return rc;
}

int store_user_set_role(mongoc_client_t *client, const char *db, const char *id, store_role_t role,
                        int64_t now, store_error_t *err)
{
    store_error_clear(err);
    if (role != STORE_ROLE_USER && role != STORE_ROLE_ADMIN)
        return store_error_set(err, FACET_EINVAL, "unknown role");
    return set_field(client, db, id, "role", store_role_name(role), now, err);
}

int store_user_set_password_hash(mongoc_client_t *client, const char *db, const char *id,
                                 const char *password_hash, int64_t now, store_error_t *err)
{
    store_error_clear(err);
    int rc = store_check_text("passwordHash", password_hash, STORE_PASSWORD_HASH_MAX, true, err);
    return rc != FACET_OK ? rc : set_field(client, db, id, "passwordHash", password_hash, now, err);
}

/* ---- settings ---- */

/* Reads the settings subdocument (copied into out, {} when absent) and its
 * revision. */
static int read_settings(mongoc_collection_t *coll, const bson_oid_t *oid, bson_t *out,
                         int64_t *rev, bool *has_rev, store_error_t *err)
{
    bson_t *filter = BCON_NEW("_id", BCON_OID(oid));
    bson_t *opts =
        BCON_NEW("projection", "{", "settings", BCON_INT32(1), "settingsRev", BCON_INT32(1), "}");
    bson_t doc;
    int rc = store_find_one(coll, filter, opts, &doc, err);
    bson_init(out);
    if (rc == FACET_OK) {
        bson_iter_t it;
        bson_t sub;
        if (bson_iter_init_find(&it, &doc, "settings") && store_iter_document(&it, &sub))
            bson_concat(out, &sub);
        *has_rev = bson_iter_init_find(&it, &doc, "settingsRev") && BSON_ITER_HOLDS_NUMBER(&it);
        *rev = *has_rev ? bson_iter_as_int64(&it) : 0;
        bson_destroy(&doc);
    } else if (rc == FACET_ENOTFOUND) {
        store_error_set(err, rc, "no such user");
    }
    bson_destroy(opts);
    bson_destroy(filter);
    return rc;
}

static int to_json(const bson_t *doc, char **json, size_t *len, store_error_t *err)
{
    facet_buf_t b;
    facet_buf_init(&b, 0);
    int rc = store_bson_to_json(doc, &b);
    if (rc == FACET_OK)
        rc = facet_buf_append(&b, "", 1); /* the NUL */
    if (rc != FACET_OK) {
        facet_buf_free(&b);
        return store_error_set(err, rc, "settings cannot be written as JSON");
    }
    *json = b.base;
    if (len)
        *len = b.len - 1;
    return FACET_OK;
}

int store_user_settings_get(mongoc_client_t *client, const char *db, const char *id, char **json,
                            size_t *len, store_error_t *err)
{
    store_error_clear(err);
    bson_oid_t oid;
    if (store_oid_parse_c(id, &oid) != FACET_OK)
        return store_error_set(err, FACET_EINVAL, "not a user id");
    mongoc_collection_t *coll = users(client, db);
    bson_t settings;
    int64_t rev;
    bool has_rev;
    int rc = read_settings(coll, &oid, &settings, &rev, &has_rev, err);
    if (rc == FACET_OK)
        rc = to_json(&settings, json, len, err);
    bson_destroy(&settings);
    mongoc_collection_destroy(coll);
    return rc;
}

/* current with patch's members merged in (null removes), into out. */
static void merge(const bson_t *current, const bson_t *patch, bson_t *out)
{
    bson_iter_t it, p;
    bson_init(out);
    if (bson_iter_init(&it, current)) {
        while (bson_iter_next(&it)) {
            const char *key = bson_iter_key(&it);
            if (!bson_iter_init_find(&p, patch, key))
                bson_append_iter(out, key, -1, &it);
            else if (!BSON_ITER_HOLDS_NULL(&p))
                bson_append_iter(out, key, -1, &p);
        }
    }
    if (bson_iter_init(&p, patch)) {
        while (bson_iter_next(&p)) {
            bson_iter_t c;
            if (!BSON_ITER_HOLDS_NULL(&p) && !bson_iter_init_find(&c, current, bson_iter_key(&p)))
                bson_append_iter(out, bson_iter_key(&p), -1, &p);
        }
    }
}

/* Writes next if the revision is still rev. *applied false: someone else
 * wrote first. */
static int write_settings(mongoc_collection_t *coll, const bson_oid_t *oid, int64_t rev,
                          bool has_rev, const bson_t *next, int64_t now, bool *applied,
                          store_error_t *err)
{
    bson_t *filter = has_rev ? BCON_NEW("_id", BCON_OID(oid), "settingsRev", BCON_INT64(rev))
                             : BCON_NEW("_id", BCON_OID(oid), "settingsRev", BCON_NULL);
    bson_t *update = BCON_NEW("$set", "{", "settings", BCON_DOCUMENT(next), "settingsRev",
                              BCON_INT64(rev + 1), "updatedAt", BCON_DATE_TIME(now), "}");
    bson_t reply;
    bson_error_t error;
    int rc = FACET_OK;
    if (!mongoc_collection_update_one(coll, filter, update, NULL, &reply, &error))
        rc = store_error_from(&error, &reply, err);
    else
        *applied = store_doc_int(&reply, "matchedCount", 0) > 0;
    bson_destroy(&reply);
    bson_destroy(update);
    bson_destroy(filter);
    return rc;
}

/* One read-merge-write round. */
static int settings_round(mongoc_collection_t *coll, const bson_oid_t *oid, const bson_t *patch,
                          store_settings_mode_t mode, int64_t now, bool *applied, char **json,
                          size_t *len, store_error_t *err)
{
    bson_t current, next;
    int64_t rev;
    bool has_rev;
    int rc = read_settings(coll, oid, &current, &rev, &has_rev, err);
    if (rc != FACET_OK) {
        bson_destroy(&current);
        return rc;
    }
    bson_t empty = BSON_INITIALIZER;
    merge(mode == STORE_SETTINGS_REPLACE ? &empty : &current, patch, &next);
    size_t n = 0;
    rc = to_json(&next, json, &n, err);
    if (rc == FACET_OK && n > STORE_SETTINGS_MAX)
        rc = store_error_set(err, FACET_ELIMIT, "settings would be larger than %d bytes",
                             STORE_SETTINGS_MAX);
    if (rc == FACET_OK)
        rc = write_settings(coll, oid, rev, has_rev, &next, now, applied, err);
    if (rc != FACET_OK || !*applied) {
        free(*json);
        *json = NULL;
    } else if (len) {
        *len = n;
    }
    bson_destroy(&next);
    bson_destroy(&current);
    return rc;
}

int store_user_settings_update(mongoc_client_t *client, const char *db, const char *id,
                               const char *patch, size_t patch_len, store_settings_mode_t mode,
                               int64_t now, char **json, size_t *len, store_error_t *err)
{
    store_error_clear(err);
    *json = NULL;
    bson_oid_t oid;
    if (store_oid_parse_c(id, &oid) != FACET_OK)
        return store_error_set(err, FACET_EINVAL, "not a user id");
    /* Whitespace aside, a patch larger than this cannot fit. */
    if (patch_len > 4 * (size_t)STORE_SETTINGS_MAX)
        return store_error_set(err, FACET_ELIMIT, "settings would be larger than %d bytes",
                               STORE_SETTINGS_MAX);
    bson_t doc;
    int rc = store_json_to_bson(patch, patch_len, STORE_SETTINGS_MAX_DEPTH, &doc, err);
    mongoc_collection_t *coll = users(client, db);
    bool applied = false;
    for (int i = 0; rc == FACET_OK && !applied && i < SETTINGS_RETRIES; i++)
        rc = settings_round(coll, &oid, &doc, mode, now, &applied, json, len, err);
    if (rc == FACET_OK && !applied)
        rc = store_error_set(err, FACET_ECONFLICT, "settings kept changing; try again");
    mongoc_collection_destroy(coll);
    bson_destroy(&doc);
    return rc;
}
