/* The wallet projection: loading and creating wallet documents, rolling
 * them forward along the ledger, and the recovery pass after a crash. Also
 * the small driver helpers the wallet files share. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/log.h"
#include "store/wallet_internal.h"

/* ---- driver helpers ---- */

static pthread_once_t prefs_once = PTHREAD_ONCE_INIT;
static mongoc_read_prefs_t *primary_prefs;

static void make_prefs(void)
{
    primary_prefs = mongoc_read_prefs_new(MONGOC_READ_PRIMARY);
}

const mongoc_read_prefs_t *store_wallet__primary(void)
{
    pthread_once(&prefs_once, make_prefs);
    return primary_prefs;
}

void store_wallet__majority(bson_t *opts)
{
    mongoc_write_concern_t *wc = mongoc_write_concern_new();
    mongoc_write_concern_set_wmajority(wc, 10000);
    mongoc_write_concern_append(wc, opts);
    mongoc_write_concern_destroy(wc);
}

int store_wallet__find_one(mongoc_collection_t *coll, const bson_t *filter, const bson_t *opts,
                           bson_t *out, store_error_t *err)
{
    return store_find_one_prefs(coll, filter, opts, store_wallet__primary(), out, err);
}

/* ---- wallet documents ---- */

int store_wallet__from_bson(const bson_t *doc, store_wallet_t *out, store_error_t *err)
{
    memset(out, 0, sizeof *out);
    bson_iter_t it;
    const char *bad = NULL;
    if (!store_doc_oid_text(doc, "_id", out->id))
        bad = "_id";
    else if (!store_doc_oid_text(doc, "userId", out->user_id) || strcmp(out->id, out->user_id))
        bad = "userId";
    else if (!bson_iter_init_find(&it, doc, "balance") || !BSON_ITER_HOLDS_INT64(&it))
        bad = "balance";
    else if ((out->balance = bson_iter_int64(&it)) < 0)
        bad = "balance";
    else if (!bson_iter_init_find(&it, doc, "seq") || !BSON_ITER_HOLDS_INT64(&it))
        bad = "seq";
    else if ((out->seq = bson_iter_int64(&it)) < 0)
        bad = "seq";
    else if (store_doc_copy_str(doc, "head", out->head, sizeof out->head) != FACET_OK ||
             !store_ledger_hash_valid(out->head))
        bad = "head";
    if (bad)
        return store_error_set(err, FACET_EINVAL, "wallet %s: field %s is missing or malformed",
                               out->id[0] ? out->id : "?", bad);
    out->created_at_ms = store_doc_date(doc, "createdAt", 0);
    out->updated_at_ms = store_doc_date(doc, "updatedAt", out->created_at_ms);
    return FACET_OK;
}

static int insert_empty(mongoc_collection_t *coll, const bson_oid_t *user, store_error_t *err)
{
    int64_t now = store_now_ms();
    bson_t doc = BSON_INITIALIZER, opts = BSON_INITIALIZER, reply;
    BSON_APPEND_OID(&doc, "_id", user);
    BSON_APPEND_OID(&doc, "userId", user);
    BSON_APPEND_INT64(&doc, "balance", 0);
    BSON_APPEND_INT64(&doc, "seq", 0);
    BSON_APPEND_UTF8(&doc, "head", STORE_LEDGER_GENESIS);
    BSON_APPEND_DATE_TIME(&doc, "createdAt", now);
    BSON_APPEND_DATE_TIME(&doc, "updatedAt", now);
    store_wallet__majority(&opts);
    bson_error_t error;
    int rc = FACET_OK;
    if (!mongoc_collection_insert_one(coll, &doc, &opts, &reply, &error))
        rc = store_error_from(&error, &reply, err);
    bson_destroy(&reply);
    bson_destroy(&opts);
    bson_destroy(&doc);
    return rc == FACET_EEXIST ? FACET_OK : rc; /* created concurrently: as good */
}

int store_wallet__load(mongoc_client_t *client, const char *db, const bson_oid_t *user, bool create,
                       store_wallet_t *out, store_error_t *err)
{
    mongoc_collection_t *coll = mongoc_client_get_collection(client, db, STORE_WALLETS_COLLECTION);
    bson_t filter = BSON_INITIALIZER, doc;
    BSON_APPEND_OID(&filter, "_id", user);
    int rc = store_wallet__find_one(coll, &filter, NULL, &doc, err);
    if (rc == FACET_ENOTFOUND && create) {
        rc = insert_empty(coll, user, err);
        if (rc == FACET_OK)
            rc = store_wallet__find_one(coll, &filter, NULL, &doc, err);
    }
    if (rc == FACET_OK) {
        rc = store_wallet__from_bson(&doc, out, err);
        if (rc == FACET_EINVAL)
            rc = FACET_EIO; /* a corrupt document, not a bad request */
        bson_destroy(&doc);
    } else if (rc == FACET_ENOTFOUND) {
        store_error_set(err, rc, "no wallet");
    }
    bson_destroy(&filter);
    mongoc_collection_destroy(coll);
    return rc;
}

int store_wallet__entry_find(mongoc_collection_t *ledger, const char *id, store_ledger_entry_t *out,
                             store_error_t *err)
{
    bson_t filter = BSON_INITIALIZER, doc;
    BSON_APPEND_UTF8(&filter, "_id", id);
    int rc = store_wallet__find_one(ledger, &filter, NULL, &doc, err);
    bson_destroy(&filter);
    if (rc != FACET_OK)
        return rc;
    rc = store_ledger_entry_from_bson(&doc, out, err);
    bson_destroy(&doc);
    if (rc == FACET_EINVAL)
        return store_error_set(err, FACET_EIO, "ledger entry %s is malformed: %s", id,
                               err ? err->message : "");
    return rc;
}

/* ---- rolling forward ---- */

static void log_broken(const store_wallet_t *w, int64_t seq, unsigned bad)
{
    facet_log_line_t line;
    if (facet_log_begin(&line, FACET_LOG_ERROR, "wallet ledger does not chain")) {
        facet_log_cstr(&line, "wallet", w->id);
        facet_log_int(&line, "seq", seq);
        char names[256] = "";
        for (unsigned bit = 1; bit && bit <= bad; bit <<= 1)
            if (bad & bit)
                snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s",
                         names[0] ? "," : "", store_ledger_problem_name(bit));
        facet_log_cstr(&line, "problems", names);
    }
    facet_log_end(&line);
}

int store_wallet__save(mongoc_client_t *client, const char *db, const store_wallet_t *w,
                       int64_t old_seq, store_error_t *err)
{
    mongoc_collection_t *coll = mongoc_client_get_collection(client, db, STORE_WALLETS_COLLECTION);
    bson_oid_t oid;
    store_oid_parse_c(w->id, &oid);
    bson_t *filter = BCON_NEW("_id", BCON_OID(&oid), "seq", BCON_INT64(old_seq));
    bson_t *update =
        BCON_NEW("$set", "{", "balance", BCON_INT64(w->balance), "seq", BCON_INT64(w->seq), "head",
                 BCON_UTF8(w->head), "updatedAt", BCON_DATE_TIME(w->updated_at_ms), "}");
    bson_t opts = BSON_INITIALIZER, reply;
    store_wallet__majority(&opts);
    bson_error_t error;
    int rc = FACET_OK;
    if (!mongoc_collection_update_one(coll, filter, update, &opts, &reply, &error))
        rc = store_error_from(&error, &reply, err);
    bson_destroy(&reply);
    bson_destroy(&opts);
    bson_destroy(update);
    bson_destroy(filter);
    mongoc_collection_destroy(coll);
    return rc;
}

int store_wallet__roll_forward(mongoc_client_t *client, const char *db, store_wallet_t *w,
                               int64_t *moved, store_error_t *err)
{
    mongoc_collection_t *ledger = mongoc_client_get_collection(client, db, STORE_LEDGER_COLLECTION);
    store_ledger_state_t state = {.seq = w->seq, .balance = w->balance};
    memcpy(state.head, w->head, sizeof state.head);
    int64_t updated_at = w->updated_at_ms;
    int rc;
    *moved = 0;
    for (;;) {
        char id[STORE_LEDGER_ID_SIZE];
        store_ledger_entry_id(w->id, state.seq + 1, id);
        store_ledger_entry_t e;
        rc = store_wallet__entry_find(ledger, id, &e, err);
        if (rc != FACET_OK)
            break;
        unsigned bad = store_ledger_check_link(&state, &e);
        if (bad) {
            log_broken(w, e.seq, bad);
            store_ledger_entry_free(&e);
            rc = store_error_set(err, FACET_EIO,
                                 "wallet %s: the ledger does not chain at seq %lld (%s)", w->id,
                                 (long long)state.seq + 1, store_ledger_problem_name(bad & -bad));
            break;
        }
        store_ledger_state_advance(&state, &e);
        updated_at = e.created_at_ms;
        store_ledger_entry_free(&e);
        ++*moved;
    }
    mongoc_collection_destroy(ledger);
    if (rc != FACET_ENOTFOUND) {
        *moved = 0;
        return rc;
    }
    store_error_clear(err);
    if (*moved == 0)
        return FACET_OK;
    int64_t old_seq = w->seq;
    w->seq = state.seq;
    w->balance = state.balance;
    memcpy(w->head, state.head, sizeof w->head);
    w->updated_at_ms = updated_at;
    return store_wallet__save(client, db, w, old_seq, err);
}

/* ---- recovery ---- */

/* Rolls one wallet forward under its stripe, counting it in *rolled when
 * it moved. A chain that does not hold is FACET_EIO (and logged). */
static int recover_one(mongoc_client_t *client, const char *db, const bson_oid_t *wallet,
                       size_t *rolled, store_error_t *err)
{
    char id[STORE_ID_SIZE];
    store_oid_format(wallet, id);
    store_wallet__lock(id);
    store_wallet_t w;
    int64_t moved = 0;
    int rc = store_wallet__load(client, db, wallet, false, &w, err);
    if (rc == FACET_OK)
        rc = store_wallet__roll_forward(client, db, &w, &moved, err);
    store_wallet__unlock(id);
    if (rc == FACET_ENOTFOUND) {
        facet_log_kv(FACET_LOG_ERROR, "ledger entries without a wallet", "wallet", id);
        return FACET_OK; /* nothing to roll; the audit names it */
    }
    if (moved)
        ++*rolled;
    return rc;
}

int store_wallet_recover(mongoc_client_t *client, const char *db, int64_t since_ms, size_t *rolled,
                         store_error_t *err)
{
    return store_wallet_recover_visit(client, db, since_ms, NULL, NULL, rolled, err);
}

int store_wallet_recover_visit(mongoc_client_t *client, const char *db, int64_t since_ms,
                               void (*visit)(const char *wallet_id, void *ud), void *ud,
                               size_t *rolled, store_error_t *err)
{
    store_error_clear(err);
    size_t count = 0;
    bson_t *pipeline = BCON_NEW("pipeline", "[", "{", "$match", "{", "createdAt", "{", "$gte",
                                BCON_DATE_TIME(since_ms), "}", "}", "}", "{", "$group", "{", "_id",
                                BCON_UTF8("$walletId"), "}", "}", "]");
    mongoc_collection_t *ledger = mongoc_client_get_collection(client, db, STORE_LEDGER_COLLECTION);
    mongoc_cursor_t *cursor = mongoc_collection_aggregate(ledger, MONGOC_QUERY_NONE, pipeline, NULL,
                                                          store_wallet__primary());
    const bson_t *doc;
    int first_failure = FACET_OK;
    store_error_t one;
    while (mongoc_cursor_next(cursor, &doc)) {
        bson_iter_t it;
        if (!bson_iter_init_find(&it, doc, "_id") || !BSON_ITER_HOLDS_OID(&it))
            continue; /* a malformed entry: the audit reports it */
        int rc = recover_one(client, db, bson_iter_oid(&it), &count, &one);
        if (visit) {
            char id[STORE_ID_SIZE];
            store_oid_format(bson_iter_oid(&it), id);
            visit(id, ud);
        }
        if (rc != FACET_OK && first_failure == FACET_OK) {
            first_failure = rc;
            if (err)
                *err = one;
        }
    }
    bson_error_t error;
    int rc = first_failure;
    if (mongoc_cursor_error(cursor, &error))
        rc = store_error_from(&error, NULL, err);
    mongoc_cursor_destroy(cursor);
    mongoc_collection_destroy(ledger);
    bson_destroy(pipeline);
    if (rolled)
        *rolled = count;
    return rc;
}
