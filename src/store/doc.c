/* ObjectIds as text, time, BSON getters and the mapping of libmongoc and
 * server errors to FACET_* codes for the repositories. */
#include "store/doc.h"

#include <mongoc/mongoc.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/str.h"
#include "gql/json.h"

/* ---- ids ---- */

int store_oid_parse(const char *text, size_t len, bson_oid_t *out)
{
    if (!text || len != 24)
        return FACET_EINVAL;
    for (size_t i = 0; i < 12; i++) {
        int hi = facet_hex_value(text[2 * i]), lo = facet_hex_value(text[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return FACET_EINVAL;
        out->bytes[i] = (uint8_t)(hi << 4 | lo);
    }
    return FACET_OK;
}

int store_oid_parse_c(const char *text, bson_oid_t *out)
{
    return text ? store_oid_parse(text, strlen(text), out) : FACET_EINVAL;
}

void store_oid_format(const bson_oid_t *oid, char out[STORE_ID_SIZE])
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < 12; i++) {
        out[2 * i] = digits[oid->bytes[i] >> 4];
        out[2 * i + 1] = digits[oid->bytes[i] & 15];
    }
    out[24] = '\0';
}

void store_id_new(char out[STORE_ID_SIZE])
{
    bson_oid_t oid;
    bson_oid_init(&oid, NULL); /* the default context is thread-safe */
    store_oid_format(&oid, out);
}

bool store_id_valid(const char *text)
{
    bson_oid_t oid;
    return store_oid_parse_c(text, &oid) == FACET_OK;
}

int64_t store_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- errors ---- */

void store_error_clear(store_error_t *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

int store_error_set(store_error_t *err, int status, const char *fmt, ...)
{
    if (!err)
        return status;
    memset(err, 0, sizeof *err);
    err->status = status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return status;
}

int store_error_code_status(int32_t code)
{
    switch (code) {
    case 11000:
    case 11001:
    case 12582:
    case 48: /* NamespaceExists */
        return FACET_EEXIST;
    case 50:  /* MaxTimeMSExpired */
    case 89:  /* NetworkTimeout */
    case 202: /* NetworkInterfaceExceededTimeLimit */
    case 262: /* ExceededTimeLimit */
        return FACET_ETIMEDOUT;
    case 26: /* NamespaceNotFound */
        return FACET_ENOTFOUND;
    case 85:  /* IndexOptionsConflict */
    case 86:  /* IndexKeySpecsConflict */
    case 112: /* WriteConflict */
        return FACET_ECONFLICT;
    case 2:  /* BadValue */
    case 9:  /* FailedToParse */
    case 14: /* TypeMismatch */
    case 52: /* DollarPrefixedFieldName */
    case 56: /* EmptyFieldName */
    case 57: /* DottedFieldName */
        return FACET_EINVAL;
    case 10334: /* BSONObjectTooLarge */
        return FACET_ELIMIT;
    default:
        return FACET_EIO;
    }
}

static bool is_duplicate_code(int64_t code)
{
    return code == 11000 || code == 11001 || code == 12582;
}

/* Builds MongoDB's default index name (field_1_other_-1) from a key
 * pattern, as the server's keyPattern in a duplicate-key error gives it. */
static void name_from_key_pattern(const bson_t *pattern, char *out, size_t cap)
{
    bson_iter_t it;
    size_t len = 0;
    out[0] = '\0';
    if (!bson_iter_init(&it, pattern))
        return;
    while (bson_iter_next(&it) && len < cap) {
        int64_t dir = BSON_ITER_HOLDS_NUMBER(&it) ? bson_iter_as_int64(&it) : 1;
        int n = snprintf(out + len, cap - len, "%s%s_%lld", len ? "_" : "", bson_iter_key(&it),
                         (long long)dir);
        if (n < 0 || (size_t)n >= cap - len) {
            out[0] = '\0';
            return;
        }
        len += (size_t)n;
    }
}

/* "... index: emailNorm_1 dup key: { ... }" names the index (MongoDB). */
static void name_from_message(const char *msg, char *out, size_t cap)
{
    const char *p = msg ? strstr(msg, " index: ") : NULL;
    if (!p)
        return;
    p += strlen(" index: ");
    size_t n = strcspn(p, " ");
    if (n > 0 && n < cap) {
        memcpy(out, p, n);
        out[n] = '\0';
    }
}

/* Looks through reply.writeErrors: the first error that is not a duplicate
 * key wins (its code is returned); otherwise the first duplicate's index
 * name is noted and 11000 returned. 0 when there are none. */
static int32_t scan_write_errors(const bson_t *reply, store_error_t *err)
{
    bson_iter_t it, arr;
    int32_t found = 0;
    if (!reply || !bson_iter_init_find(&it, reply, "writeErrors") || !BSON_ITER_HOLDS_ARRAY(&it) ||
        !bson_iter_recurse(&it, &arr))
        return 0;
    while (bson_iter_next(&arr)) {
        bson_t we;
        if (!store_iter_document(&arr, &we))
            continue;
        int64_t code = store_doc_int(&we, "code", 0);
        if (!is_duplicate_code(code))
            return (int32_t)code;
        if (!found && err && !err->index[0]) {
            bson_iter_t kp;
            name_from_message(store_doc_str(&we, "errmsg", NULL), err->index, sizeof err->index);
            bson_t pattern;
            if (!err->index[0] && bson_iter_init_find(&kp, &we, "keyPattern") &&
                store_iter_document(&kp, &pattern))
                name_from_key_pattern(&pattern, err->index, sizeof err->index);
        }
        found = 11000;
    }
    return found;
}

static bool mentions_timeout(const char *msg)
{
    return strstr(msg, "timeout") || strstr(msg, "timed out") || strstr(msg, "expired");
}

static int client_status(const bson_error_t *error)
{
    switch (error->domain) {
    case MONGOC_ERROR_STREAM:
        return error->code == MONGOC_ERROR_STREAM_SOCKET && mentions_timeout(error->message)
                   ? FACET_ETIMEDOUT
                   : FACET_EIO;
    case MONGOC_ERROR_SERVER_SELECTION:
        return mentions_timeout(error->message) ? FACET_ETIMEDOUT : FACET_EIO;
    case MONGOC_ERROR_CLIENT:
        return error->code == MONGOC_ERROR_CLIENT_TOO_BIG ? FACET_ELIMIT : FACET_EIO;
    case MONGOC_ERROR_BSON:
    case MONGOC_ERROR_COMMAND:
    case MONGOC_ERROR_NAMESPACE:
        return FACET_EINVAL;
    default:
        return FACET_EIO;
    }
}

int store_error_from(const bson_error_t *error, const bson_t *reply, store_error_t *err)
{
    store_error_t scratch;
    if (!err)
        err = &scratch;
    memset(err, 0, sizeof *err);
    int32_t code = scan_write_errors(reply, err);
    bool server = error->domain == MONGOC_ERROR_SERVER ||
                  error->domain == MONGOC_ERROR_WRITE_CONCERN ||
                  error->domain == MONGOC_ERROR_QUERY || error->domain == MONGOC_ERROR_INSERT;
    if (!code && server)
        code = (int32_t)error->code;
    int status = code ? store_error_code_status(code) : client_status(error);
    if (status == FACET_EEXIST && !err->index[0])
        name_from_message(error->message, err->index, sizeof err->index);
    err->status = status;
    err->server_code = code;
    store_copy_utf8(err->message, sizeof err->message, error->message, strlen(error->message));
    return status;
}

bool store_reply_only_duplicates(const bson_t *reply)
{
    bson_iter_t it, arr;
    if (!reply)
        return false;
    if (bson_iter_init_find(&it, reply, "writeConcernError") ||
        (bson_iter_init_find(&it, reply, "writeConcernErrors") && BSON_ITER_HOLDS_ARRAY(&it) &&
         bson_iter_recurse(&it, &arr) && bson_iter_next(&arr)))
        return false;
    return scan_write_errors(reply, NULL) == 11000;
}

/* ---- getters ---- */

bool store_iter_document(const bson_iter_t *it, bson_t *out)
{
    uint32_t len;
    const uint8_t *data;
    if (!BSON_ITER_HOLDS_DOCUMENT(it))
        return false;
    bson_iter_document(it, &len, &data);
    return bson_init_static(out, data, len);
}

const char *store_doc_str(const bson_t *doc, const char *key, uint32_t *len)
{
    bson_iter_t it;
    if (!doc || !bson_iter_init_find(&it, doc, key) || !BSON_ITER_HOLDS_UTF8(&it))
        return NULL;
    return bson_iter_utf8(&it, len);
}

int store_doc_copy_str(const bson_t *doc, const char *key, char *dst, size_t cap)
{
    uint32_t len;
    const char *s = store_doc_str(doc, key, &len);
    dst[0] = '\0';
    if (!s)
        return FACET_ENOTFOUND;
    if ((size_t)len >= cap || memchr(s, '\0', len))
        return FACET_ELIMIT;
    memcpy(dst, s, len);
    dst[len] = '\0';
    return FACET_OK;
}

bool store_doc_oid_text(const bson_t *doc, const char *key, char out[STORE_ID_SIZE])
{
    bson_iter_t it;
    out[0] = '\0';
    if (!doc || !bson_iter_init_find(&it, doc, key) || !BSON_ITER_HOLDS_OID(&it))
        return false;
    store_oid_format(bson_iter_oid(&it), out);
    return true;
}

int64_t store_doc_date(const bson_t *doc, const char *key, int64_t fallback)
{
    bson_iter_t it;
    if (!doc || !bson_iter_init_find(&it, doc, key))
        return fallback;
    if (BSON_ITER_HOLDS_DATE_TIME(&it))
        return bson_iter_date_time(&it);
    if (BSON_ITER_HOLDS_INT64(&it) || BSON_ITER_HOLDS_INT32(&it))
        return bson_iter_as_int64(&it);
    return fallback;
}

int64_t store_doc_int(const bson_t *doc, const char *key, int64_t fallback)
{
    bson_iter_t it;
    if (!doc || !bson_iter_init_find(&it, doc, key))
        return fallback;
    if (BSON_ITER_HOLDS_INT32(&it) || BSON_ITER_HOLDS_INT64(&it))
        return bson_iter_as_int64(&it);
    if (BSON_ITER_HOLDS_DOUBLE(&it)) {
        double d = bson_iter_double(&it);
        if (d >= -9007199254740992.0 && d <= 9007199254740992.0 && d == (double)(int64_t)d)
            return (int64_t)d;
    }
    return fallback;
}

double store_doc_double(const bson_t *doc, const char *key, double fallback)
{
    bson_iter_t it;
    if (!doc || !bson_iter_init_find(&it, doc, key))
        return fallback;
    if (BSON_ITER_HOLDS_DOUBLE(&it))
        return bson_iter_double(&it);
    if (BSON_ITER_HOLDS_INT32(&it) || BSON_ITER_HOLDS_INT64(&it))
        return (double)bson_iter_as_int64(&it);
    return fallback;
}

size_t store_copy_utf8(char *dst, size_t cap, const char *s, size_t len)
{
    if (cap == 0)
        return 0;
    if (len >= cap) {
        len = cap - 1;
        /* Step back over continuation bytes so no character is cut. */
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
    }
    memcpy(dst, s, len);
    dst[len] = '\0';
    return len;
}

bool store_utf8_ok(const char *s, size_t len)
{
    return (len == 0 || !memchr(s, '\0', len)) && bson_utf8_validate(s, len, false);
}

int store_check_text(const char *what, const char *s, size_t max, bool required, store_error_t *err)
{
    if (!s || !*s)
        return required ? store_error_set(err, FACET_EINVAL, "%s is required", what) : FACET_OK;
    size_t len = strlen(s);
    if (len > max)
        return store_error_set(err, FACET_ELIMIT, "%s is longer than %zu bytes", what, max);
    if (!store_utf8_ok(s, len))
        return store_error_set(err, FACET_EINVAL, "%s is not valid UTF-8", what);
    return FACET_OK;
}

/* ---- JSON objects <-> documents ---- */

static bool key_ok(facet_str_t k)
{
    return k.len > 0 && k.base[0] != '$' && !memchr(k.base, '.', k.len) &&
           !memchr(k.base, '\0', k.len);
}

static int append_value(bson_t *b, const char *key, size_t klen, const gql_value_t *v,
                        store_error_t *err);

static int append_members(bson_t *b, const gql_value_t *v, store_error_t *err)
{
    int rc = FACET_OK;
    if (v->kind == GQL_V_OBJECT) {
        for (size_t i = 0; i < v->u.obj.n && rc == FACET_OK; i++) {
            facet_str_t k = v->u.obj.members[i].key;
            if (!key_ok(k))
                return store_error_set(err, FACET_EINVAL,
                                       "key \"%.*s\" is empty, starts with '$' or holds '.'",
                                       (int)(k.len > 64 ? 64 : k.len), k.base ? k.base : "");
            rc = append_value(b, k.base, k.len, v->u.obj.members[i].value, err);
        }
        return rc;
    }
    for (size_t i = 0; i < v->u.list.n && rc == FACET_OK; i++) {
        char buf[24];
        const char *key;
        size_t klen = bson_uint32_to_string((uint32_t)i, &key, buf, sizeof buf);
        rc = append_value(b, key, klen, v->u.list.items[i], err);
    }
    return rc;
}

/* Recursion is bounded by the parser's max_depth. */
static int append_value(bson_t *b, const char *key, size_t klen, const gql_value_t *v,
                        store_error_t *err)
{
    bool ok = true;
    bson_t child;
    int rc = FACET_OK;
    switch (v ? v->kind : GQL_V_NULL) {
    case GQL_V_NULL:
        ok = bson_append_null(b, key, (int)klen);
        break;
    case GQL_V_BOOL:
        ok = bson_append_bool(b, key, (int)klen, v->u.b);
        break;
    case GQL_V_INT:
        ok = bson_append_double(b, key, (int)klen, (double)v->u.i);
        break;
    case GQL_V_FLOAT:
        ok = bson_append_double(b, key, (int)klen, v->u.f);
        break;
    case GQL_V_STRING:
        ok = bson_append_utf8(b, key, (int)klen, v->u.s.base ? v->u.s.base : "", (int)v->u.s.len);
        break;
    case GQL_V_LIST:
    case GQL_V_OBJECT:
        ok = v->kind == GQL_V_LIST ? bson_append_array_begin(b, key, (int)klen, &child)
                                   : bson_append_document_begin(b, key, (int)klen, &child);
        if (ok)
            rc = append_members(&child, v, err);
        ok = ok && (v->kind == GQL_V_LIST ? bson_append_array_end(b, &child)
                                          : bson_append_document_end(b, &child));
        break;
    }
    if (rc == FACET_OK && !ok)
        rc = store_error_set(err, FACET_ELIMIT, "the object is too large");
    return rc;
}

int store_json_to_bson(const char *json, size_t len, size_t max_depth, bson_t *out,
                       store_error_t *err)
{
    bson_init(out);
    facet_arena_t arena;
    facet_arena_init(&arena, 0);
    gql_value_t *v;
    char why[128];
    int rc = gql_json_parse(&arena, json ? json : "", len, max_depth, &v, why, sizeof why);
    if (rc != FACET_OK)
        store_error_set(err, rc, "%s", rc == FACET_ELIMIT ? "nested too deeply" : why);
    else if (v->kind != GQL_V_OBJECT)
        rc = store_error_set(err, FACET_EINVAL, "not a JSON object");
    else
        rc = append_members(out, v, err);
    facet_arena_free(&arena);
    return rc;
}

#define JSON_MAX_DEPTH 100

static int write_iter(bson_iter_t *it, bool array, int depth, facet_buf_t *out)
{
    int rc = facet_buf_append(out, array ? "[" : "{", 1);
    bool first = true;
    while (rc == FACET_OK && bson_iter_next(it)) {
        if (!first)
            rc = facet_buf_append(out, ",", 1);
        first = false;
        if (rc == FACET_OK && !array) {
            const char *k = bson_iter_key(it);
            rc = gql_json_write_string(out, k, strlen(k));
            if (rc == FACET_OK)
                rc = facet_buf_append(out, ":", 1);
        }
        if (rc != FACET_OK)
            break;
        bson_iter_t child;
        char hex[STORE_ID_SIZE];
        uint32_t len;
        const char *s;
        switch (bson_iter_type(it)) {
        case BSON_TYPE_DOCUMENT:
        case BSON_TYPE_ARRAY:
            if (depth >= JSON_MAX_DEPTH)
                return FACET_ELIMIT;
            rc = bson_iter_recurse(it, &child)
                     ? write_iter(&child, BSON_ITER_HOLDS_ARRAY(it), depth + 1, out)
                     : FACET_EINVAL;
            break;
        case BSON_TYPE_UTF8:
            s = bson_iter_utf8(it, &len);
            rc = gql_json_write_string(out, s, len);
            break;
        case BSON_TYPE_DOUBLE:
            rc = gql_json_write_number(out, bson_iter_double(it));
            break;
        case BSON_TYPE_INT32:
        case BSON_TYPE_INT64:
            rc = gql_json_write_int(out, bson_iter_as_int64(it));
            break;
        case BSON_TYPE_DATE_TIME:
            rc = gql_json_write_int(out, bson_iter_date_time(it));
            break;
        case BSON_TYPE_BOOL:
            rc = facet_buf_append_str(out, bson_iter_bool(it) ? "true" : "false");
            break;
        case BSON_TYPE_OID:
            store_oid_format(bson_iter_oid(it), hex);
            rc = gql_json_write_string(out, hex, 24);
            break;
        default:
            rc = facet_buf_append_str(out, "null");
            break;
        }
    }
    return rc == FACET_OK ? facet_buf_append(out, array ? "]" : "}", 1) : rc;
}

int store_bson_to_json(const bson_t *doc, facet_buf_t *out)
{
    bson_iter_t it;
    if (!bson_iter_init(&it, doc))
        return FACET_EINVAL;
    return write_iter(&it, false, 1, out);
}

/* ---- driver shortcuts ---- */

int store_find_one(mongoc_collection_t *coll, const bson_t *filter, const bson_t *opts, bson_t *out,
                   store_error_t *err)
{
    return store_find_one_prefs(coll, filter, opts, NULL, out, err);
}

int store_find_one_prefs(mongoc_collection_t *coll, const bson_t *filter, const bson_t *opts,
                         const mongoc_read_prefs_t *prefs, bson_t *out, store_error_t *err)
{
    bson_t with_limit = BSON_INITIALIZER;
    if (opts)
        bson_copy_to_excluding_noinit(opts, &with_limit, "limit", NULL);
    BSON_APPEND_INT64(&with_limit, "limit", 1);
    mongoc_cursor_t *cursor = mongoc_collection_find_with_opts(coll, filter, &with_limit, prefs);
    const bson_t *doc;
    bson_error_t error;
    int rc = FACET_ENOTFOUND;
    if (mongoc_cursor_next(cursor, &doc)) {
        bson_copy_to(doc, out);
        rc = FACET_OK;
    } else if (mongoc_cursor_error(cursor, &error)) {
        rc = store_error_from(&error, NULL, err);
    }
    mongoc_cursor_destroy(cursor);
    bson_destroy(&with_limit);
    return rc;
}

int store_find_one_take(mongoc_collection_t *coll, const bson_t *filter, const bson_t *opts,
                        void (*take)(const bson_t *doc, void *ud), void *ud, const char *not_found,
                        store_error_t *err)
{
    bson_t doc;
    int rc = store_find_one(coll, filter, opts, &doc, err);
    if (rc == FACET_OK) {
        take(&doc, ud);
        bson_destroy(&doc);
    } else if (rc == FACET_ENOTFOUND) {
        store_error_set(err, rc, "%s", not_found);
    }
    return rc;
}

int store_find_and_modify(mongoc_collection_t *coll, const bson_t *filter,
                          const mongoc_find_and_modify_opts_t *opts,
                          void (*take)(const bson_t *doc, void *ud), void *ud,
                          const char *not_found, store_error_t *err)
{
    bson_t reply, doc;
    bson_error_t error;
    bson_iter_t it;
    int rc = FACET_OK;
    if (!mongoc_collection_find_and_modify_with_opts(coll, filter, opts, &reply, &error)) {
        rc = store_error_from(&error, &reply, err);
    } else if (bson_iter_init_find(&it, &reply, "value") && BSON_ITER_HOLDS_DOCUMENT(&it)) {
        if (store_iter_document(&it, &doc))
            take(&doc, ud);
    } else {
        rc = store_error_set(err, FACET_ENOTFOUND, "%s", not_found);
    }
    bson_destroy(&reply);
    return rc;
}

int store_find_by_ids(mongoc_collection_t *coll, const bson_t *opts, const char *const *ids,
                      size_t n, bool *found, void (*take)(const bson_t *doc, size_t i, void *ud),
                      void *ud, store_error_t *err)
{
    bson_t filter = BSON_INITIALIZER, cond, list;
    BSON_APPEND_DOCUMENT_BEGIN(&filter, "_id", &cond);
    BSON_APPEND_ARRAY_BEGIN(&cond, "$in", &list);
    size_t valid = 0;
    for (size_t i = 0; i < n; i++) {
        bson_oid_t oid;
        found[i] = false;
        if (store_oid_parse_c(ids[i], &oid) != FACET_OK)
            continue;
        char key[16];
        const char *k;
        size_t klen = bson_uint32_to_string((uint32_t)valid++, &k, key, sizeof key);
        bson_append_oid(&list, k, (int)klen, &oid);
    }
    bson_append_array_end(&cond, &list);
    bson_append_document_end(&filter, &cond);
    int rc = FACET_OK;
    if (valid > 0) {
        mongoc_cursor_t *cursor = mongoc_collection_find_with_opts(coll, &filter, opts, NULL);
        const bson_t *doc;
        bson_error_t error;
        while (mongoc_cursor_next(cursor, &doc)) {
            char id[STORE_ID_SIZE];
            if (!store_doc_oid_text(doc, "_id", id))
                continue;
            for (size_t i = 0; i < n; i++) {
                if (found[i] || !ids[i] || strcasecmp(ids[i], id) != 0)
                    continue;
                take(doc, i, ud);
                found[i] = true;
            }
        }
        if (mongoc_cursor_error(cursor, &error))
            rc = store_error_from(&error, NULL, err);
        mongoc_cursor_destroy(cursor);
    }
    bson_destroy(&filter);
    return rc;
}

int store_delete_before(mongoc_client_t *client, const char *db, const char *collection,
                        const char *field, int64_t before, uint64_t *deleted, store_error_t *err)
{
    store_error_clear(err);
    mongoc_collection_t *coll = mongoc_client_get_collection(client, db, collection);
    bson_t *filter = BCON_NEW(field, "{", "$lt", BCON_DATE_TIME(before), "}");
    bson_t reply;
    bson_error_t error;
    int rc = FACET_OK;
    if (!mongoc_collection_delete_many(coll, filter, NULL, &reply, &error))
        rc = store_error_from(&error, &reply, err);
    else if (deleted)
        *deleted = (uint64_t)store_doc_int(&reply, "deletedCount", 0);
    bson_destroy(&reply);
    bson_destroy(filter);
    mongoc_collection_destroy(coll);
    return rc;
}
