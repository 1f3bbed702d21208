/* The collections and indexes of Facet's database, and the idempotent
 * creation of whatever is missing. Index names follow MongoDB's default
 * naming (field_1_other_-1), so an index someone created by hand from the
 * same keys is recognised. Indexes are created one per command: FerretDB
 * 1.24 fails on a createIndexes naming several indexes that all exist. */
#include "store/migrate.h"

#include <mongoc/mongoc.h>
#include <string.h>

#include "core/error.h"

#define MAX_KEYS 3

typedef struct index_spec {
    const char *collection;
    const char *name;
    struct {
        const char *field;
        int dir;
    } keys[MAX_KEYS];
    bool unique;
} index_spec_t;

static const char *const collections[] = {
    "users", "sessions", "wallets", "ledger", "payment_events", "activity", "images",
};

static const index_spec_t indexes[] = {
    {"users", "emailNorm_1", {{"emailNorm", 1}}, true},
    {"users", "usernameNorm_1", {{"usernameNorm", 1}}, true},
    {"sessions", "tokenHash_1", {{"tokenHash", 1}}, true},
    {"sessions", "parent_1", {{"parent", 1}}, true}, /* rotation is single-use */
    {"sessions", "family_1", {{"family", 1}}, false},
    {"sessions", "userId_1", {{"userId", 1}}, false},
    {"sessions", "expiresAt_1", {{"expiresAt", 1}}, false},
    {"wallets", "userId_1", {{"userId", 1}}, true},
    {"ledger", "walletId_1_seq_1", {{"walletId", 1}, {"seq", 1}}, true},
    {"ledger", "walletId_1_idempotencyKey_1", {{"walletId", 1}, {"idempotencyKey", 1}}, true},
    {"ledger", "createdAt_1", {{"createdAt", 1}}, false},
    {"payment_events", "provider_1_eventId_1", {{"provider", 1}, {"eventId", 1}}, true},
    {"activity",
     "userId_1_createdAt_-1__id_-1",
     {{"userId", 1}, {"createdAt", -1}, {"_id", -1}},
     false},
    {"activity", "createdAt_1", {{"createdAt", 1}}, false},
    {"images", "owner_1_createdAt_-1", {{"owner", 1}, {"createdAt", -1}}, false},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void report(store_migrate_cb cb, void *ud, const char *coll, const char *index, bool created)
{
    if (cb) {
        store_migrate_event_t ev = {coll, index, created};
        cb(&ev, ud);
    }
}

/* ---- collections ---- */

static bool name_listed(char **names, const char *name)
{
    for (size_t i = 0; names && names[i]; i++)
        if (strcmp(names[i], name) == 0)
            return true;
    return false;
}

static int ensure_collections(mongoc_database_t *database, store_migrate_cb cb, void *ud,
                              store_error_t *err)
{
    bson_error_t error;
    char **names = mongoc_database_get_collection_names_with_opts(database, NULL, &error);
    if (!names) {
        store_error_from(&error, NULL, err);
        return store_error_set(err, err->status, "listing collections: %s", error.message);
    }
    int rc = FACET_OK;
    for (size_t i = 0; i < COUNT(collections) && rc == FACET_OK; i++) {
        const char *coll = collections[i];
        bool created = false;
        if (!name_listed(names, coll)) {
            bson_t *cmd = BCON_NEW("create", BCON_UTF8(coll));
            bson_t reply;
            if (mongoc_database_write_command_with_opts(database, cmd, NULL, &reply, &error))
                created = true;
            else if (store_error_from(&error, &reply, err) != FACET_EEXIST)
                rc = store_error_set(err, err->status, "creating collection %s: %s", coll,
                                     error.message);
            bson_destroy(&reply);
            bson_destroy(cmd);
        }
        if (rc == FACET_OK)
            report(cb, ud, coll, NULL, created);
    }
    bson_strfreev(names);
    if (rc == FACET_OK)
        store_error_clear(err); /* a concurrent creation left its detail */
    return rc;
}

/* ---- indexes ---- */

static size_t key_count(const index_spec_t *spec)
{
    size_t n = 0;
    while (n < MAX_KEYS && spec->keys[n].field)
        n++;
    return n;
}

/* True when the index document's key is spec's keys in the same order. */
static bool same_keys(const bson_t *index, const index_spec_t *spec)
{
    bson_iter_t it, key;
    if (!bson_iter_init_find(&it, index, "key") || !BSON_ITER_HOLDS_DOCUMENT(&it) ||
        !bson_iter_recurse(&it, &key))
        return false;
    size_t n = key_count(spec), i = 0;
    while (bson_iter_next(&key)) {
        if (i == n || strcmp(bson_iter_key(&key), spec->keys[i].field) != 0 ||
            !BSON_ITER_HOLDS_NUMBER(&key) || bson_iter_as_int64(&key) != spec->keys[i].dir)
            return false;
        i++;
    }
    return i == n;
}

static bool is_unique(const bson_t *index)
{
    bson_iter_t it;
    return bson_iter_init_find(&it, index, "unique") && bson_iter_as_bool(&it);
}

/* How an existing index relates to spec. */
typedef enum { NO_MATCH, SAME, CONFLICT } match_t;

static match_t compare(const bson_t *index, const index_spec_t *spec)
{
    const char *name = store_doc_str(index, "name", NULL);
    bool keys = same_keys(index, spec);
    bool same_name = name && strcmp(name, spec->name) == 0;
    if (!same_name && !keys)
        return NO_MATCH;
    /* The same keys under another name serve the same purpose. */
    return keys && is_unique(index) == spec->unique ? SAME : CONFLICT;
}

/* Looks spec up among the collection's indexes: SAME, CONFLICT (with a
 * message in err) or NO_MATCH; a failed listing returns its status. */
static int find_index(mongoc_collection_t *coll, const index_spec_t *spec, match_t *out,
                      store_error_t *err)
{
    bson_error_t error;
    const bson_t *doc;
    mongoc_cursor_t *cursor = mongoc_collection_find_indexes_with_opts(coll, NULL);
    *out = NO_MATCH;
    while (*out != CONFLICT && mongoc_cursor_next(cursor, &doc)) {
        match_t m = compare(doc, spec);
        if (m == CONFLICT) {
            const char *name = store_doc_str(doc, "name", NULL);
            store_error_set(err, FACET_ECONFLICT,
                            "index %s.%s: existing index %s has other keys or uniqueness",
                            spec->collection, spec->name, name ? name : "?");
        }
        if (m != NO_MATCH)
            *out = m;
    }
    int rc = FACET_OK;
    if (mongoc_cursor_error(cursor, &error)) {
        store_error_from(&error, NULL, err);
        rc = store_error_set(err, err->status, "listing indexes of %s: %s", spec->collection,
                             error.message);
    }
    mongoc_cursor_destroy(cursor);
    return rc;
}

static int create_index(mongoc_database_t *database, const index_spec_t *spec, store_error_t *err)
{
    bson_t cmd = BSON_INITIALIZER, list, index, key;
    BSON_APPEND_UTF8(&cmd, "createIndexes", spec->collection);
    BSON_APPEND_ARRAY_BEGIN(&cmd, "indexes", &list);
    BSON_APPEND_DOCUMENT_BEGIN(&list, "0", &index);
    BSON_APPEND_DOCUMENT_BEGIN(&index, "key", &key);
    for (size_t i = 0; i < key_count(spec); i++)
        BSON_APPEND_INT32(&key, spec->keys[i].field, spec->keys[i].dir);
    bson_append_document_end(&index, &key);
    BSON_APPEND_UTF8(&index, "name", spec->name);
    if (spec->unique)
        BSON_APPEND_BOOL(&index, "unique", true);
    bson_append_document_end(&list, &index);
    bson_append_array_end(&cmd, &list);
    bson_error_t error;
    bson_t reply;
    int rc = FACET_OK;
    if (!mongoc_database_write_command_with_opts(database, &cmd, NULL, &reply, &error)) {
        store_error_from(&error, &reply, err);
        rc = store_error_set(err, err->status, "creating index %s.%s: %s", spec->collection,
                             spec->name, error.message);
    }
    bson_destroy(&reply);
    bson_destroy(&cmd);
    return rc;
}

static int ensure_index(mongoc_database_t *database, const index_spec_t *spec, store_migrate_cb cb,
                        void *ud, store_error_t *err)
{
    mongoc_collection_t *coll = mongoc_database_get_collection(database, spec->collection);
    match_t m;
    int rc = find_index(coll, spec, &m, err);
    mongoc_collection_destroy(coll);
    if (rc != FACET_OK)
        return rc;
    if (m == CONFLICT)
        return FACET_ECONFLICT;
    if (m == NO_MATCH && (rc = create_index(database, spec, err)) != FACET_OK)
        return rc;
    report(cb, ud, spec->collection, spec->name, m == NO_MATCH);
    return FACET_OK;
}

int store_migrate(mongoc_client_t *client, const char *db, store_migrate_cb cb, void *ud,
                  store_error_t *err)
{
    store_error_clear(err);
    mongoc_database_t *database = mongoc_client_get_database(client, db);
    int rc = ensure_collections(database, cb, ud, err);
    for (size_t i = 0; i < COUNT(indexes) && rc == FACET_OK; i++)
        rc = ensure_index(database, &indexes[i], cb, ud, err);
    mongoc_database_destroy(database);
    return rc;
}
