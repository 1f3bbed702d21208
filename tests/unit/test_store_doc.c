/* The store's BSON helpers: ids, error mapping, getters and JSON objects
 * as documents. No database needed. */
#include <mongoc/mongoc.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "store/doc.h"
#include "test.h"
#include "test_store_db.h"

TEST(oid_parse_and_format)
{
    bson_oid_t oid;
    char text[STORE_ID_SIZE];
    CHECK_EQ_INT(store_oid_parse("65A1b2c3d4e5f60718293a4b", 24, &oid), FACET_OK);
    store_oid_format(&oid, text);
    CHECK_EQ_STR(text, "65a1b2c3d4e5f60718293a4b");
    CHECK_EQ_INT(store_oid_parse("65a1b2c3d4e5f60718293a4", 23, &oid), FACET_EINVAL);
    CHECK_EQ_INT(store_oid_parse("65a1b2c3d4e5f60718293a4bc", 25, &oid), FACET_EINVAL);
    CHECK_EQ_INT(store_oid_parse("65a1b2c3d4e5f60718293a4g", 24, &oid), FACET_EINVAL);
    CHECK_EQ_INT(store_oid_parse(NULL, 0, &oid), FACET_EINVAL);
    CHECK_EQ_INT(store_oid_parse_c(NULL, &oid), FACET_EINVAL);
    CHECK(!store_id_valid("65a1b2c3d4e5f60718293a4 "));
    char a[STORE_ID_SIZE], b[STORE_ID_SIZE];
    store_id_new(a);
    store_id_new(b);
    CHECK(store_id_valid(a) && store_id_valid(b));
    CHECK(strcmp(a, b) != 0);
    CHECK(store_now_ms() > 1600000000000LL);
}

static int map(uint32_t domain, uint32_t code, const char *msg, store_error_t *err)
{
    bson_error_t e;
    bson_set_error(&e, domain, code, "%s", msg);
    return store_error_from(&e, NULL, err);
}

TEST(error_mapping)
{
    store_error_t err;
    CHECK_EQ_INT(map(MONGOC_ERROR_SERVER, 11000,
                     "E11000 duplicate key error collection: db.users index: emailNorm_1 dup key: "
                     "{ emailNorm: \"a\" }",
                     &err),
                 FACET_EEXIST);
    CHECK_EQ_STR(err.index, "emailNorm_1");
    CHECK_EQ_INT(err.server_code, 11000);
    CHECK_EQ_INT(
        map(MONGOC_ERROR_SERVER, 11000, "E11000 duplicate key error collection: db.u", &err),
        FACET_EEXIST);
    CHECK_EQ_STR(err.index, "");
    CHECK_EQ_INT(map(MONGOC_ERROR_SERVER, 50, "operation exceeded time limit", &err),
                 FACET_ETIMEDOUT);
    CHECK_EQ_INT(map(MONGOC_ERROR_STREAM, MONGOC_ERROR_STREAM_SOCKET,
                     "Failed to read 4 bytes: socket error or timeout", &err),
                 FACET_ETIMEDOUT);
    CHECK_EQ_INT(map(MONGOC_ERROR_STREAM, MONGOC_ERROR_STREAM_CONNECT, "connection refused", &err),
                 FACET_EIO);
    CHECK_EQ_INT(map(MONGOC_ERROR_SERVER_SELECTION, MONGOC_ERROR_SERVER_SELECTION_FAILURE,
                     "No suitable servers found: `serverSelectionTimeoutMS` expired", &err),
                 FACET_ETIMEDOUT);
    CHECK_EQ_INT(map(MONGOC_ERROR_SERVER_SELECTION, MONGOC_ERROR_SERVER_SELECTION_FAILURE,
                     "No suitable servers found (`serverSelectionTryOnce` set): connection refused",
                     &err),
                 FACET_EIO);
    CHECK_EQ_INT(map(MONGOC_ERROR_SERVER, 26, "ns does not exist", &err), FACET_ENOTFOUND);
    CHECK_EQ_INT(map(MONGOC_ERROR_SERVER, 112, "write conflict", &err), FACET_ECONFLICT);
    CHECK_EQ_INT(map(MONGOC_ERROR_SERVER, 2, "bad value", &err), FACET_EINVAL);
    CHECK_EQ_INT(map(MONGOC_ERROR_SERVER, 13, "unauthorized", &err), FACET_EIO);
    CHECK_EQ_INT(map(MONGOC_ERROR_COMMAND, MONGOC_ERROR_COMMAND_INVALID_ARG, "empty key", &err),
                 FACET_EINVAL);
    CHECK_EQ_STR(err.message, "empty key");
    CHECK_EQ_INT(store_error_from(&(bson_error_t){0}, NULL, NULL), FACET_EIO);
}

TEST(error_mapping_reads_write_errors)
{
    /* MongoDB's reply names the key pattern; a non-duplicate wins. */
    bson_t *reply = BCON_NEW("writeErrors", "[", "{", "index", BCON_INT32(0), "code",
                             BCON_INT32(11000), "errmsg", "E11000", "keyPattern", "{", "walletId",
                             BCON_INT32(1), "seq", BCON_INT32(1), "}", "}", "]");
    bson_error_t e;
    bson_set_error(&e, MONGOC_ERROR_SERVER, 11000, "E11000");
    store_error_t err;
    CHECK_EQ_INT(store_error_from(&e, reply, &err), FACET_EEXIST);
    CHECK_EQ_STR(err.index, "walletId_1_seq_1");
    CHECK(store_reply_only_duplicates(reply));
    bson_destroy(reply);
    reply = BCON_NEW("writeErrors", "[", "{", "code", BCON_INT32(11000), "}", "{", "code",
                     BCON_INT32(2), "}", "]");
    CHECK_EQ_INT(store_error_from(&e, reply, &err), FACET_EINVAL);
    CHECK(!store_reply_only_duplicates(reply));
    bson_destroy(reply);
    reply = BCON_NEW("writeErrors", "[", "{", "code", BCON_INT32(11000), "}", "]",
                     "writeConcernErrors", "[", "{", "code", BCON_INT32(64), "}", "]");
    CHECK(!store_reply_only_duplicates(reply));
    bson_destroy(reply);
    CHECK(!store_reply_only_duplicates(NULL));
}

TEST(getters)
{
    bson_oid_t oid;
    store_oid_parse_c("65a1b2c3d4e5f60718293a4b", &oid);
    bson_t *doc = BCON_NEW("s", "h\xc3\xa9llo", "n", BCON_INT32(7), "l", BCON_INT64(1LL << 40), "d",
                           BCON_DOUBLE(2.5), "w", BCON_DOUBLE(3.0), "t",
                           BCON_DATE_TIME(1700000000123LL), "o", BCON_OID(&oid), "z", BCON_NULL);
    uint32_t len;
    CHECK_EQ_STR(store_doc_str(doc, "s", &len), "h\xc3\xa9llo");
    CHECK_EQ_INT(len, 6);
    CHECK(store_doc_str(doc, "n", NULL) == NULL);
    char small[4], big[16], id[STORE_ID_SIZE];
    CHECK_EQ_INT(store_doc_copy_str(doc, "s", small, sizeof small), FACET_ELIMIT);
    CHECK_EQ_STR(small, "");
    CHECK_EQ_INT(store_doc_copy_str(doc, "s", big, sizeof big), FACET_OK);
    CHECK_EQ_INT(store_doc_copy_str(doc, "missing", big, sizeof big), FACET_ENOTFOUND);
    CHECK(store_doc_oid_text(doc, "o", id));
    CHECK_EQ_STR(id, "65a1b2c3d4e5f60718293a4b");
    CHECK(!store_doc_oid_text(doc, "z", id));
    CHECK_EQ_INT(store_doc_int(doc, "n", 0), 7);
    CHECK_EQ_INT(store_doc_int(doc, "l", 0), 1LL << 40);
    CHECK_EQ_INT(store_doc_int(doc, "w", 0), 3);
    CHECK_EQ_INT(store_doc_int(doc, "d", -1), -1);
    CHECK(store_doc_double(doc, "d", 0) == 2.5);
    CHECK(store_doc_double(doc, "n", 0) == 7.0);
    CHECK_EQ_INT(store_doc_date(doc, "t", 0), 1700000000123LL);
    CHECK_EQ_INT(store_doc_date(doc, "z", 42), 42);
    bson_destroy(doc);

    char out[6];
    CHECK_EQ_INT(store_copy_utf8(out, sizeof out, "abcd\xc3\xa9", 6), 4);
    CHECK_EQ_STR(out, "abcd");
    CHECK_EQ_INT(store_copy_utf8(out, sizeof out, "ab", 2), 2);
    CHECK(store_utf8_ok("abc", 3));
    CHECK(!store_utf8_ok("a\0c", 3));
    CHECK(!store_utf8_ok("\xff", 1));
}

static void round_trip(const char *json, const char *expect)
{
    bson_t doc;
    store_error_t err;
    int rc = store_json_to_bson(json, strlen(json), 8, &doc, &err);
    if (rc != FACET_OK)
        fprintf(stderr, "%s: %s\n", json, err.message);
    CHECK_EQ_INT(rc, FACET_OK);
    facet_buf_t b;
    facet_buf_init(&b, 0);
    CHECK_EQ_INT(store_bson_to_json(&doc, &b), FACET_OK);
    CHECK_EQ_INT(facet_buf_append(&b, "", 1), FACET_OK);
    CHECK_EQ_STR(b.base, expect);
    facet_buf_free(&b);
    bson_destroy(&doc);
}

static int refuse(const char *json)
{
    bson_t doc;
    store_error_t err;
    int rc = store_json_to_bson(json, strlen(json), 3, &doc, &err);
    CHECK(err.message[0] != '\0');
    bson_destroy(&doc);
    return rc;
}

TEST(json_objects_as_documents)
{
    round_trip("{}", "{}");
    round_trip(" {\"a\" : 1, \"b\":[true,false,null,\"x\\\"y\"],\"c\":{\"d\":-0.5e2}} ",
               "{\"a\":1,\"b\":[true,false,null,\"x\\\"y\"],\"c\":{\"d\":-50}}");
    round_trip("{\"big\":12345678901234567890,\"tiny\":1e-7,\"u\":\"\\u2028\\u00e9\"}",
               "{\"big\":12345678901234567000,\"tiny\":1e-7,\"u\":\"\xe2\x80\xa8\xc3\xa9\"}");
    round_trip("{\"2\":1,\"1\":2,\"a\":3}", "{\"1\":2,\"2\":1,\"a\":3}");
    CHECK_EQ_INT(refuse("[]"), FACET_EINVAL);
    CHECK_EQ_INT(refuse("\"s\""), FACET_EINVAL);
    CHECK_EQ_INT(refuse("{\"a\":}"), FACET_EINVAL);
    CHECK_EQ_INT(refuse("{\"$a\":1}"), FACET_EINVAL);
    CHECK_EQ_INT(refuse("{\"a\":[{\"b.c\":1}]}"), FACET_EINVAL);
    CHECK_EQ_INT(refuse("{\"a\":{\"b\":{\"c\":{}}}}"), FACET_ELIMIT);
    CHECK_EQ_INT(refuse(""), FACET_EINVAL);
}

TEST(bson_to_json_other_types)
{
    bson_oid_t oid;
    store_oid_parse_c("65a1b2c3d4e5f60718293a4b", &oid);
    bson_t *doc = BCON_NEW("o", BCON_OID(&oid), "t", BCON_DATE_TIME(5), "i", BCON_INT64(-3), "r",
                           BCON_REGEX("a", ""), "k\"", BCON_INT32(1));
    facet_buf_t b;
    facet_buf_init(&b, 0);
    CHECK_EQ_INT(store_bson_to_json(doc, &b), FACET_OK);
    CHECK_EQ_INT(facet_buf_append(&b, "", 1), FACET_OK);
    CHECK_EQ_STR(b.base,
                 "{\"o\":\"65a1b2c3d4e5f60718293a4b\",\"t\":5,\"i\":-3,\"r\":null,\"k\\\"\":1}");
    facet_buf_free(&b);
    bson_destroy(doc);
}

TEST(check_text)
{
    store_error_t err;
    CHECK_EQ_INT(store_check_text("name", "ok", 4, true, &err), FACET_OK);
    CHECK_EQ_INT(store_check_text("name", NULL, 4, false, &err), FACET_OK);
    CHECK_EQ_INT(store_check_text("name", "", 4, true, &err), FACET_EINVAL);
    CHECK_EQ_STR(err.message, "name is required");
    CHECK_EQ_INT(store_check_text("name", "12345", 4, false, &err), FACET_ELIMIT);
    CHECK_EQ_STR(err.message, "name is longer than 4 bytes");
    CHECK_EQ_INT(store_check_text("name", "\xc3", 4, false, &err), FACET_EINVAL);
    CHECK_EQ_STR(err.message, "name is not valid UTF-8");
}

TEST(iter_document)
{
    bson_t *doc = BCON_NEW("d", "{", "k", BCON_INT32(5), "}", "a", "[", BCON_INT32(1), "]", "s",
                           BCON_UTF8("x"));
    bson_iter_t it;
    bson_t sub;
    CHECK(bson_iter_init_find(&it, doc, "d") && store_iter_document(&it, &sub));
    CHECK_EQ_INT(store_doc_int(&sub, "k", 0), 5);
    CHECK(bson_iter_init_find(&it, doc, "a") && !store_iter_document(&it, &sub));
    CHECK(bson_iter_init_find(&it, doc, "s") && !store_iter_document(&it, &sub));
    bson_destroy(doc);
}

static void take_n(const bson_t *doc, void *ud)
{
    *(int64_t *)ud = store_doc_int(doc, "n", -1);
}

/* The driver shortcuts against a live FerretDB/MongoDB (MONGODB_URI). */
TEST(find_one_take_and_find_and_modify)
{
    test_db_t t;
    test_db_open(&t, 0);
    mongoc_collection_t *coll = mongoc_client_get_collection(t.client, t.name, "things");
    bson_t *doc = BCON_NEW("name", BCON_UTF8("a"), "n", BCON_INT64(1));
    CHECK(mongoc_collection_insert_one(coll, doc, NULL, NULL, NULL));
    bson_destroy(doc);
    bson_t *a = BCON_NEW("name", BCON_UTF8("a")), *b = BCON_NEW("name", BCON_UTF8("b"));
    store_error_t err;
    int64_t n = 0;
    CHECK_EQ_INT(store_find_one_take(coll, a, NULL, take_n, &n, "no such thing", &err), FACET_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(store_find_one_take(coll, b, NULL, take_n, &n, "no such thing", &err),
                 FACET_ENOTFOUND);
    CHECK_EQ_STR(err.message, "no such thing");

    mongoc_read_prefs_t *primary = mongoc_read_prefs_new(MONGOC_READ_PRIMARY);
    bson_t found;
    CHECK_EQ_INT(store_find_one_prefs(coll, a, NULL, primary, &found, &err), FACET_OK);
    CHECK_EQ_INT(store_doc_int(&found, "n", 0), 1);
    bson_destroy(&found);
    CHECK_EQ_INT(store_find_one_prefs(coll, b, NULL, primary, &found, &err), FACET_ENOTFOUND);
    mongoc_read_prefs_destroy(primary);

    mongoc_find_and_modify_opts_t *inc = mongoc_find_and_modify_opts_new();
    bson_t *update = BCON_NEW("$inc", "{", "n", BCON_INT64(1), "}");
    mongoc_find_and_modify_opts_set_update(inc, update);
    mongoc_find_and_modify_opts_set_flags(inc, MONGOC_FIND_AND_MODIFY_RETURN_NEW);
    CHECK_EQ_INT(store_find_and_modify(coll, a, inc, take_n, &n, "gone", &err), FACET_OK);
    CHECK_EQ_INT(n, 2);
    n = 0;
    CHECK_EQ_INT(store_find_and_modify(coll, b, inc, take_n, &n, "gone", &err), FACET_ENOTFOUND);
    CHECK_EQ_STR(err.message, "gone");
    CHECK_EQ_INT(n, 0);
    mongoc_find_and_modify_opts_t *remove = mongoc_find_and_modify_opts_new();
    mongoc_find_and_modify_opts_set_flags(remove, MONGOC_FIND_AND_MODIFY_REMOVE);
    CHECK_EQ_INT(store_find_and_modify(coll, a, remove, take_n, &n, "gone", &err), FACET_OK);
    CHECK_EQ_INT(n, 2); /* the document as it was before removal */
    CHECK_EQ_INT(store_find_and_modify(coll, a, remove, take_n, &n, "gone", &err), FACET_ENOTFOUND);

    mongoc_find_and_modify_opts_destroy(remove);
    mongoc_find_and_modify_opts_destroy(inc);
    bson_destroy(update);
    bson_destroy(b);
    bson_destroy(a);
    mongoc_collection_destroy(coll);
    test_db_close(&t);
}
