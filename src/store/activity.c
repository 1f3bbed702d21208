/* The activity log: batch inserts that tolerate redelivery, keyset
 * pagination on (createdAt, _id), and retention by deleteMany. */
#include "store/activity.h"

#include <inttypes.h>
#include <mongoc/mongoc.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/str.h"

#define COLLECTION "activity"

/* ---- insert ---- */

static int check_field(size_t i, const char *what, const char *s, size_t max, bool required,
                       store_error_t *err)
{
    if (!s)
        return required
                   ? store_error_set(err, FACET_EINVAL, "activity %zu: %s is required", i, what)
                   : FACET_OK;
    size_t len = strlen(s);
    if (required && len == 0)
        return store_error_set(err, FACET_EINVAL, "activity %zu: %s is required", i, what);
    if (len > max)
        return store_error_set(err, FACET_ELIMIT, "activity %zu: %s is longer than %zu bytes", i,
                               what, max);
    if (!store_utf8_ok(s, len))
        return store_error_set(err, FACET_EINVAL, "activity %zu: %s is not valid UTF-8", i, what);
    return FACET_OK;
}

static int check(size_t i, const store_activity_t *a, store_error_t *err)
{
    int rc;
    if (!store_id_valid(a->id))
        return store_error_set(err, FACET_EINVAL, "activity %zu: id is not an ObjectId", i);
    if (a->user_id[0] && !store_id_valid(a->user_id))
        return store_error_set(err, FACET_EINVAL, "activity %zu: userId is not an ObjectId", i);
    if ((rc = check_field(i, "operation", a->operation, STORE_ACTIVITY_OPERATION_MAX, true, err)) ||
        (rc = check_field(i, "args", a->args, STORE_ACTIVITY_ARGS_MAX, false, err)) ||
        (rc = check_field(i, "address", a->address, STORE_ACTIVITY_ADDRESS_MAX, false, err)) ||
        (rc = check_field(i, "userAgent", a->user_agent, SIZE_MAX, false, err)) ||
        (rc = check_field(i, "code", a->code, STORE_ACTIVITY_CODE_MAX, false, err)) ||
        (rc =
             check_field(i, "requestId", a->request_id, STORE_ACTIVITY_REQUEST_ID_MAX, false, err)))
        return rc;
    return FACET_OK;
}

static void append_opt(bson_t *doc, const char *key, const char *value)
{
    if (value)
        BSON_APPEND_UTF8(doc, key, value);
    else
        BSON_APPEND_NULL(doc, key);
}

static void build(bson_t *doc, const store_activity_t *a)
{
    bson_oid_t oid;
    bson_init(doc);
    store_oid_parse_c(a->id, &oid);
    BSON_APPEND_OID(doc, "_id", &oid);
    if (a->user_id[0] && store_oid_parse_c(a->user_id, &oid) == FACET_OK)
        BSON_APPEND_OID(doc, "userId", &oid);
    else
        BSON_APPEND_NULL(doc, "userId");
    BSON_APPEND_UTF8(doc, "operation", a->operation);
    append_opt(doc, "args", a->args);
    append_opt(doc, "address", a->address);
    if (a->user_agent) {
        char ua[STORE_ACTIVITY_USER_AGENT_MAX + 1];
        store_copy_utf8(ua, sizeof ua, a->user_agent, strlen(a->user_agent));
        BSON_APPEND_UTF8(doc, "userAgent", ua);
    } else {
        BSON_APPEND_NULL(doc, "userAgent");
    }
    BSON_APPEND_UTF8(doc, "outcome", a->ok ? "ok" : "error");
    append_opt(doc, "code", a->ok ? NULL : a->code);
    append_opt(doc, "requestId", a->request_id);
    BSON_APPEND_DATE_TIME(doc, "createdAt", a->created_at);
}

int store_activity_insert_many(mongoc_client_t *client, const char *db,
                               const store_activity_t *items, size_t n, size_t *inserted,
                               store_error_t *err)
{
    store_error_clear(err);
    if (inserted)
        *inserted = 0;
    if (n > STORE_ACTIVITY_BATCH_MAX)
        return store_error_set(err, FACET_ELIMIT, "more than %d activities in one batch",
                               STORE_ACTIVITY_BATCH_MAX);
    for (size_t i = 0; i < n; i++) {
        int rc = check(i, &items[i], err);
        if (rc != FACET_OK)
            return rc;
    }
    if (n == 0)
        return FACET_OK;
    bson_t *docs = bson_malloc(n * sizeof *docs);
    const bson_t **ptrs = bson_malloc(n * sizeof *ptrs);
    for (size_t i = 0; i < n; i++) {
        build(&docs[i], &items[i]);
        ptrs[i] = &docs[i];
    }
    mongoc_collection_t *coll = mongoc_client_get_collection(client, db, COLLECTION);
    bson_t *opts = BCON_NEW("ordered", BCON_BOOL(false));
    bson_t reply;
    bson_error_t error;
    int rc = FACET_OK;
    /* Duplicates are redeliveries: with ordered:false the rest still land. */
    if (!mongoc_collection_insert_many(coll, ptrs, n, opts, &reply, &error) &&
        !store_reply_only_duplicates(&reply))
        rc = store_error_from(&error, &reply, err);
    if (rc == FACET_OK && inserted)
        *inserted = (size_t)store_doc_int(&reply, "insertedCount", 0);
    bson_destroy(&reply);
    bson_destroy(opts);
    mongoc_collection_destroy(coll);
    for (size_t i = 0; i < n; i++)
        bson_destroy(&docs[i]);
    bson_free(ptrs);
    bson_free(docs);
    return rc;
}

/* ---- cursors ---- */

void store_activity_cursor(const store_activity_t *a, char out[STORE_ACTIVITY_CURSOR_SIZE])
{
    snprintf(out, STORE_ACTIVITY_CURSOR_SIZE, "%016" PRIx64 "%.24s", (uint64_t)a->created_at,
             a->id);
}

static int decode_cursor(const char *text, int64_t *time, bson_oid_t *id)
{
    if (strlen(text) != STORE_ACTIVITY_CURSOR_SIZE - 1)
        return FACET_EINVAL;
    /* The time as store_activity_cursor writes it: lower-case hex. */
    uint64_t t;
    if (facet_str_hex_to_u64(facet_str(text, 16), true, &t) != FACET_OK)
        return FACET_EINVAL;
    *time = (int64_t)t;
    return store_oid_parse(text + 16, 24, id);
}

/* ---- list ---- */

static const char *arena_str(facet_arena_t *a, const bson_t *doc, const char *key)
{
    uint32_t len;
    const char *s = store_doc_str(doc, key, &len);
    return s ? facet_arena_strdup(a, s, len).base : NULL;
}

static void parse(facet_arena_t *a, const bson_t *doc, store_activity_t *out)
{
    memset(out, 0, sizeof *out);
    store_doc_oid_text(doc, "_id", out->id);
    store_doc_oid_text(doc, "userId", out->user_id);
    out->operation = arena_str(a, doc, "operation");
    if (!out->operation)
        out->operation = "";
    out->args = arena_str(a, doc, "args");
    out->address = arena_str(a, doc, "address");
    out->user_agent = arena_str(a, doc, "userAgent");
    const char *outcome = store_doc_str(doc, "outcome", NULL);
    out->ok = outcome && strcmp(outcome, "ok") == 0;
    out->code = arena_str(a, doc, "code");
    out->request_id = arena_str(a, doc, "requestId");
    out->created_at = store_doc_date(doc, "createdAt", 0);
}

/* {userId, $or: [{createdAt < t}, {createdAt == t, _id < id}]} */
static bson_t *list_filter(const bson_oid_t *user, bool has_cursor, int64_t t, const bson_oid_t *id)
{
    if (!has_cursor)
        return BCON_NEW("userId", BCON_OID(user));
    return BCON_NEW("userId", BCON_OID(user), "$or", "[", "{", "createdAt", "{", "$lt",
                    BCON_DATE_TIME(t), "}", "}", "{", "createdAt", BCON_DATE_TIME(t), "_id", "{",
                    "$lt", BCON_OID(id), "}", "}", "]");
}

int store_activity_list(mongoc_client_t *client, const char *db, const char *user_id, int first,
                        const char *after, store_activity_page_t *page, store_error_t *err)
{
    store_error_clear(err);
    memset(page, 0, sizeof *page);
    facet_arena_init(&page->arena, 0);
    bson_oid_t user, id;
    int64_t t = 0;
    bool has_cursor = after && *after;
    if (store_oid_parse_c(user_id, &user) != FACET_OK)
        return store_error_set(err, FACET_EINVAL, "not a user id");
    if (first < 1 || first > STORE_ACTIVITY_PAGE_MAX)
        return store_error_set(err, FACET_EINVAL, "first must be between 1 and %d",
                               STORE_ACTIVITY_PAGE_MAX);
    if (has_cursor && decode_cursor(after, &t, &id) != FACET_OK)
        return store_error_set(err, FACET_EINVAL, "invalid cursor");
    page->items = FACET_ARENA_ARRAY(&page->arena, store_activity_t, (size_t)first);
    if (!page->items)
        return store_error_set(err, FACET_ENOMEM, "out of memory");
    bson_t *filter = list_filter(&user, has_cursor, t, &id);
    bson_t *opts = BCON_NEW("sort", "{", "createdAt", BCON_INT32(-1), "_id", BCON_INT32(-1), "}",
                            "limit", BCON_INT64(first + 1));
    mongoc_collection_t *coll = mongoc_client_get_collection(client, db, COLLECTION);
    mongoc_cursor_t *cursor = mongoc_collection_find_with_opts(coll, filter, opts, NULL);
    const bson_t *doc;
    bson_error_t error;
    int rc = FACET_OK;
    while (mongoc_cursor_next(cursor, &doc)) {
        if (page->n == (size_t)first) {
            page->has_next = true;
            break;
        }
        parse(&page->arena, doc, &page->items[page->n++]);
    }
    if (mongoc_cursor_error(cursor, &error))
        rc = store_error_from(&error, NULL, err);
    mongoc_cursor_destroy(cursor);
    mongoc_collection_destroy(coll);
    bson_destroy(opts);
    bson_destroy(filter);
    if (rc != FACET_OK)
        page->n = 0;
    return rc;
}

void store_activity_page_free(store_activity_page_t *page)
{
    facet_arena_free(&page->arena);
    memset(page, 0, sizeof *page);
}

/* ---- retention ---- */

int store_activity_delete_before(mongoc_client_t *client, const char *db, int64_t before,
                                 uint64_t *deleted, store_error_t *err)
{
    return store_delete_before(client, db, COLLECTION, "createdAt", before, deleted, err);
}
