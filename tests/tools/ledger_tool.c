/* ledger_tool COMMAND ARGS: edits the wallet collections of the database
 * named by MONGODB_URI directly, behind Facet's back, for the end-to-end
 * tests of `facet audit verify` and of crash recovery
 * (tests/e2e/wallet-audit.test.mjs, wallet-crash.test.mjs). Never for a
 * real database. The layout it edits is the one store/wallet.h and
 * store/ledger.h describe.
 *
 *   tamper-amount WALLET SEQ AMOUNT     sets the entry's amount
 *   tamper-balance-after WALLET SEQ N   sets the entry's balanceAfter
 *   tamper-reason WALLET SEQ TEXT       sets the entry's reason (only its hash
 *                                       can tell)
 *   tamper-balance WALLET BALANCE       sets the wallet's projected balance
 *   delete-entry WALLET SEQ             deletes the entry
 *   rewind WALLET SEQ                   moves the projection back to just
 *                                       after entry SEQ (0: before the first),
 *                                       as a crash between posting an entry
 *                                       and projecting it leaves it
 *   show WALLET                         prints the projection
 *
 * Prints one JSON line saying what it did; exits 0 when it did it, 1 when
 * the document to edit does not exist or the database failed, 2 on a usage
 * error. */
#include <errno.h>
#include <inttypes.h>
#include <mongoc/mongoc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "store/doc.h"
#include "store/ledger.h"
#include "store/mongo.h"

#define EXIT_FAIL  1
#define EXIT_USAGE 2

typedef struct tool {
    mongoc_client_t *client;
    const char *db;
    bson_oid_t wallet;
    char wallet_id[STORE_ID_SIZE];
} tool_t;

static void usage(void)
{
    fprintf(stderr, "usage: ledger_tool tamper-amount WALLET SEQ AMOUNT\n"
                    "       ledger_tool tamper-balance-after WALLET SEQ BALANCE\n"
                    "       ledger_tool tamper-reason WALLET SEQ TEXT\n"
                    "       ledger_tool tamper-balance WALLET BALANCE\n"
                    "       ledger_tool delete-entry WALLET SEQ\n"
                    "       ledger_tool rewind WALLET SEQ\n"
                    "       ledger_tool show WALLET\n"
                    "(reads MONGODB_URI)\n");
}

static bool parse_int(const char *text, int64_t min, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno || end == text || *end || v < min)
        return false;
    *out = v;
    return true;
}

static mongoc_collection_t *coll(const tool_t *t, const char *name)
{
    return mongoc_client_get_collection(t->client, t->db, name);
}

/* Runs update on the document with _id id (a ledger entry's text _id, or
 * the wallet's ObjectId when id is NULL); 0 when one matched. */
static int update_one(const tool_t *t, const char *collection, const char *id, bson_t *update)
{
    mongoc_collection_t *c = coll(t, collection);
    bson_t filter = BSON_INITIALIZER, reply;
    if (id)
        BSON_APPEND_UTF8(&filter, "_id", id);
    else
        BSON_APPEND_OID(&filter, "_id", &t->wallet);
    bson_error_t error;
    bool ok = mongoc_collection_update_one(c, &filter, update, NULL, &reply, &error);
    int64_t matched = ok ? store_doc_int(&reply, "matchedCount", 0) : 0;
    bson_destroy(&reply);
    bson_destroy(&filter);
    mongoc_collection_destroy(c);
    if (!ok) {
        fprintf(stderr, "ledger_tool: update failed: %s\n", error.message);
        return EXIT_FAIL;
    }
    if (matched != 1) {
        fprintf(stderr, "ledger_tool: no document %s in %s\n", id ? id : t->wallet_id, collection);
        return EXIT_FAIL;
    }
    return 0;
}

/* Sets one field of entry (wallet, seq). */
static int set_entry_field(const tool_t *t, int64_t seq, const char *field, const char *text,
                           int64_t number)
{
    char id[STORE_LEDGER_ID_SIZE];
    store_ledger_entry_id(t->wallet_id, seq, id);
    bson_t update = BSON_INITIALIZER, set;
    BSON_APPEND_DOCUMENT_BEGIN(&update, "$set", &set);
    if (text)
        BSON_APPEND_UTF8(&set, field, text);
    else
        BSON_APPEND_INT64(&set, field, number);
    bson_append_document_end(&update, &set);
    int rc = update_one(t, "ledger", id, &update);
    bson_destroy(&update);
    if (rc == 0)
        printf("{\"edited\":\"%s\",\"field\":\"%s\"}\n", id, field);
    return rc;
}

static int delete_entry(const tool_t *t, int64_t seq)
{
    char id[STORE_LEDGER_ID_SIZE];
    store_ledger_entry_id(t->wallet_id, seq, id);
    mongoc_collection_t *c = coll(t, "ledger");
    bson_t filter = BSON_INITIALIZER, reply;
    BSON_APPEND_UTF8(&filter, "_id", id);
    bson_error_t error;
    bool ok = mongoc_collection_delete_one(c, &filter, NULL, &reply, &error);
    int64_t deleted = ok ? store_doc_int(&reply, "deletedCount", 0) : 0;
    bson_destroy(&reply);
    bson_destroy(&filter);
    mongoc_collection_destroy(c);
    if (!ok) {
        fprintf(stderr, "ledger_tool: delete failed: %s\n", error.message);
        return EXIT_FAIL;
    }
    if (deleted != 1) {
        fprintf(stderr, "ledger_tool: no ledger entry %s\n", id);
        return EXIT_FAIL;
    }
    printf("{\"deleted\":\"%s\"}\n", id);
    return 0;
}

/* Finds the document with _id id (text) or the wallet (id NULL) into out. */
static int find_doc(const tool_t *t, const char *collection, const char *id, bson_t *out)
{
    mongoc_collection_t *c = coll(t, collection);
    bson_t filter = BSON_INITIALIZER;
    if (id)
        BSON_APPEND_UTF8(&filter, "_id", id);
    else
        BSON_APPEND_OID(&filter, "_id", &t->wallet);
    mongoc_cursor_t *cursor = mongoc_collection_find_with_opts(c, &filter, NULL, NULL);
    const bson_t *doc;
    bson_error_t error;
    int rc = EXIT_FAIL;
    if (mongoc_cursor_next(cursor, &doc)) {
        bson_copy_to(doc, out);
        rc = 0;
    } else if (mongoc_cursor_error(cursor, &error)) {
        fprintf(stderr, "ledger_tool: find failed: %s\n", error.message);
    } else {
        fprintf(stderr, "ledger_tool: no document %s in %s\n", id ? id : t->wallet_id, collection);
    }
    mongoc_cursor_destroy(cursor);
    bson_destroy(&filter);
    mongoc_collection_destroy(c);
    return rc;
}

/* The projection as it would be right after entry seq (seq 0: empty). */
static int rewind_to(const tool_t *t, int64_t seq)
{
    int64_t balance = 0, updated = store_now_ms();
    char head[STORE_LEDGER_HASH_SIZE] = STORE_LEDGER_GENESIS;
    if (seq > 0) {
        char id[STORE_LEDGER_ID_SIZE];
        store_ledger_entry_id(t->wallet_id, seq, id);
        bson_t doc;
        if (find_doc(t, "ledger", id, &doc) != 0)
            return EXIT_FAIL;
        balance = store_doc_int(&doc, "balanceAfter", -1);
        updated = store_doc_date(&doc, "createdAt", updated);
        int rc = store_doc_copy_str(&doc, "hash", head, sizeof head);
        bson_destroy(&doc);
        if (balance < 0 || rc != FACET_OK) {
            fprintf(stderr, "ledger_tool: entry %s lacks balanceAfter or hash\n", id);
            return EXIT_FAIL;
        }
    }
    bson_t *update = BCON_NEW("$set", "{", "balance", BCON_INT64(balance), "seq", BCON_INT64(seq),
                              "head", BCON_UTF8(head), "updatedAt", BCON_DATE_TIME(updated), "}");
    int rc = update_one(t, "wallets", NULL, update);
    bson_destroy(update);
    if (rc == 0)
        printf("{\"wallet\":\"%s\",\"seq\":%" PRId64 ",\"balance\":%" PRId64 "}\n", t->wallet_id,
               seq, balance);
    return rc;
}

static int show(const tool_t *t)
{
    bson_t doc;
    if (find_doc(t, "wallets", NULL, &doc) != 0)
        return EXIT_FAIL;
    char head[STORE_LEDGER_HASH_SIZE] = "";
    store_doc_copy_str(&doc, "head", head, sizeof head);
    printf("{\"wallet\":\"%s\",\"seq\":%" PRId64 ",\"balance\":%" PRId64 ",\"head\":\"%s\"}\n",
           t->wallet_id, store_doc_int(&doc, "seq", -1), store_doc_int(&doc, "balance", -1), head);
    bson_destroy(&doc);
    return 0;
}

/* Runs the command argv[0] on the wallet argv[1]; EXIT_USAGE when the
 * arguments do not fit it. */
static int run(tool_t *t, int argc, char **argv)
{
    const char *cmd = argv[0];
    int64_t seq = 0, n = 0;
    bool has_seq = argc >= 3 && parse_int(argv[2], 0, &seq);
    if (strcmp(cmd, "show") == 0 && argc == 2)
        return show(t);
    if (strcmp(cmd, "tamper-balance") == 0 && argc == 3 && parse_int(argv[2], INT64_MIN, &n)) {
        bson_t *update = BCON_NEW("$set", "{", "balance", BCON_INT64(n), "}");
        int rc = update_one(t, "wallets", NULL, update);
        bson_destroy(update);
        if (rc == 0)
            printf("{\"wallet\":\"%s\",\"balance\":%" PRId64 "}\n", t->wallet_id, n);
        return rc;
    }
    if (strcmp(cmd, "rewind") == 0 && argc == 3 && has_seq)
        return rewind_to(t, seq);
    if (!has_seq || seq < 1)
        return EXIT_USAGE;
    if (strcmp(cmd, "delete-entry") == 0 && argc == 3)
        return delete_entry(t, seq);
    if (strcmp(cmd, "tamper-reason") == 0 && argc == 4)
        return set_entry_field(t, seq, "reason", argv[3], 0);
    if (argc == 4 && parse_int(argv[3], INT64_MIN, &n)) {
        if (strcmp(cmd, "tamper-amount") == 0)
            return set_entry_field(t, seq, "amount", NULL, n);
        if (strcmp(cmd, "tamper-balance-after") == 0)
            return set_entry_field(t, seq, "balanceAfter", NULL, n);
    }
    return EXIT_USAGE;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        usage();
        return EXIT_USAGE;
    }
    tool_t t = {0};
    if (store_oid_parse_c(argv[2], &t.wallet) != FACET_OK) {
        fprintf(stderr, "ledger_tool: %s is not a wallet id (24 hex digits)\n", argv[2]);
        return EXIT_USAGE;
    }
    store_oid_format(&t.wallet, t.wallet_id);
    const char *uri = getenv("MONGODB_URI");
    if (!uri || !*uri) {
        fprintf(stderr, "ledger_tool: MONGODB_URI is not set\n");
        return EXIT_USAGE;
    }
    store_mongo_t *m;
    char err[256];
    if (store_mongo_open(uri, 1, 5000, &m, err, sizeof err) != FACET_OK) {
        fprintf(stderr, "ledger_tool: %s\n", err);
        return EXIT_USAGE;
    }
    t.client = store_mongo_pop(m);
    t.db = store_mongo_database(m);
    int rc = run(&t, argc - 1, argv + 1);
    store_mongo_push(m, t.client);
    store_mongo_close(m);
    if (rc == EXIT_USAGE)
        usage();
    return rc;
}
