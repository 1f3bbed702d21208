/* The fixture of the wallet and audit tests: a client pool on the live
 * database of MONGODB_URI (the tests say "skipped" and pass without one), a
 * fresh database per test with the indexes of store_migrate, and helpers to
 * post, to write entries behind the repository's back (a crash, tampering)
 * and to collect what the audit reports. Header-only; each test file is its
 * own executable and each test its own process. */
#ifndef FACET_TEST_STORE_WALLET_FIXTURE_H
#define FACET_TEST_STORE_WALLET_FIXTURE_H

#include <mongoc/mongoc.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "core/log.h"
#include "store/audit.h"
#include "store/migrate.h"
#include "store/wallet.h"
#include "store/wallet_internal.h"
#include "test.h"

static mongoc_client_pool_t *fx_pool;
static char fx_db[64];

static inline mongoc_client_pool_t *fx_new_pool(void)
{
    bson_error_t error;
    mongoc_uri_t *uri = mongoc_uri_new_with_error(getenv("MONGODB_URI"), &error);
    CHECK(uri);
    mongoc_client_pool_t *pool = mongoc_client_pool_new(uri);
    mongoc_uri_destroy(uri);
    CHECK(pool);
    mongoc_client_pool_set_error_api(pool, MONGOC_ERROR_API_VERSION_2);
    return pool;
}

/* libmongoc's warnings (FerretDB has no endSessions) are noise here. */
static inline void fx_quiet_log(mongoc_log_level_t level, const char *domain, const char *message,
                                void *ud)
{
    (void)ud;
    if (level <= MONGOC_LOG_LEVEL_ERROR)
        fprintf(stderr, "mongoc %s: %s\n", domain, message);
}

/* Skips the test without MONGODB_URI; else opens the pool and a fresh
 * database, migrated unless bare. */
static inline mongoc_client_t *fx_open(bool bare)
{
    if (!getenv("MONGODB_URI")) {
        printf("skipped: MONGODB_URI not set\n");
        exit(0);
    }
    facet_log_set_level(FACET_LOG_ERROR);
    mongoc_init();
    mongoc_log_set_handler(fx_quiet_log, NULL);
    fx_pool = fx_new_pool();
    if (!fx_db[0]) {
        char id[STORE_ID_SIZE];
        store_id_new(id);
        snprintf(fx_db, sizeof fx_db, "test_wallet_%d_%s", (int)getpid(), id + 16);
    }
    mongoc_client_t *client = mongoc_client_pool_pop(fx_pool);
    if (!bare) {
        store_error_t err;
        int rc = store_migrate(client, fx_db, NULL, NULL, &err);
        if (rc != FACET_OK)
            fprintf(stderr, "migrate: %s\n", err.message);
        CHECK_EQ_INT(rc, FACET_OK);
    }
    return client;
}

static inline void fx_close(mongoc_client_t *client)
{
    mongoc_database_t *db = mongoc_client_get_database(client, fx_db);
    mongoc_database_drop(db, NULL);
    mongoc_database_destroy(db);
    mongoc_client_pool_push(fx_pool, client);
    mongoc_client_pool_destroy(fx_pool);
    mongoc_cleanup();
}

static inline mongoc_collection_t *fx_coll(mongoc_client_t *client, const char *name)
{
    return mongoc_client_get_collection(client, fx_db, name);
}

/* Posts and returns the status; out (may be NULL) gets the entry. */
static inline int fx_post_full(mongoc_client_t *client, const char *user, store_ledger_kind_t kind,
                               int64_t amount, const char *key, const char *reason,
                               store_ledger_entry_t *out, bool *replayed)
{
    store_wallet_op_t op = {.user_id = user,
                            .kind = kind,
                            .amount = amount,
                            .reason = reason,
                            .reference = "ref",
                            .idempotency_key = key,
                            .actor_id = user,
                            .request_id = "req-1"};
    store_ledger_entry_t e;
    store_error_t err;
    int rc = store_wallet_post(client, fx_db, &op, &e, replayed, &err);
    if (rc == FACET_OK) {
        if (out)
            *out = e;
        else
            store_ledger_entry_free(&e);
    }
    return rc;
}

static inline int fx_post(mongoc_client_t *client, const char *user, store_ledger_kind_t kind,
                          int64_t amount, const char *key)
{
    return fx_post_full(client, user, kind, amount, key, "a reason", NULL, NULL);
}

static inline int64_t fx_balance(mongoc_client_t *client, const char *user)
{
    store_wallet_t w;
    store_error_t err;
    CHECK_EQ_INT(store_wallet_get_by_user(client, fx_db, user, false, &w, &err), FACET_OK);
    return w.balance;
}

/* The wallet document as stored, without rolling anything forward. */
static inline void fx_raw_wallet(mongoc_client_t *client, const char *user, store_wallet_t *out)
{
    mongoc_collection_t *coll = fx_coll(client, "wallets");
    bson_oid_t oid;
    store_oid_parse_c(user, &oid);
    bson_t *filter = BCON_NEW("_id", BCON_OID(&oid));
    mongoc_cursor_t *cursor = mongoc_collection_find_with_opts(coll, filter, NULL, NULL);
    const bson_t *doc;
    CHECK(mongoc_cursor_next(cursor, &doc));
    store_error_t err;
    CHECK_EQ_INT(store_wallet__from_bson(doc, out, &err), FACET_OK);
    mongoc_cursor_destroy(cursor);
    bson_destroy(filter);
    mongoc_collection_destroy(coll);
}

/* The wallet's state after its last entry, whatever the projection says. */
static inline void fx_last_state(mongoc_client_t *client, const char *user, store_wallet_t *w)
{
    fx_raw_wallet(client, user, w);
    mongoc_collection_t *coll = fx_coll(client, "ledger");
    bson_oid_t oid;
    store_oid_parse_c(user, &oid);
    bson_t *filter = BCON_NEW("walletId", BCON_OID(&oid));
    bson_t *opts = BCON_NEW("sort", "{", "seq", BCON_INT32(-1), "}", "limit", BCON_INT64(1));
    mongoc_cursor_t *cursor = mongoc_collection_find_with_opts(coll, filter, opts, NULL);
    const bson_t *doc;
    if (mongoc_cursor_next(cursor, &doc)) {
        store_ledger_entry_t last;
        store_error_t err;
        CHECK_EQ_INT(store_ledger_entry_from_bson(doc, &last, &err), FACET_OK);
        w->seq = last.seq;
        w->balance = last.balance_after;
        memcpy(w->head, last.hash, sizeof w->head);
        store_ledger_entry_free(&last);
    }
    mongoc_cursor_destroy(cursor);
    bson_destroy(opts);
    bson_destroy(filter);
    mongoc_collection_destroy(coll);
}

/* Writes the entry that follows the wallet's last one straight into the
 * ledger, as a post that crashed before moving the projection would. */
static inline void fx_crash_entry(mongoc_client_t *client, const char *user,
                                  store_ledger_kind_t kind, int64_t amount, const char *key,
                                  int64_t created_at_ms)
{
    store_wallet_t w;
    fx_last_state(client, user, &w);
    store_ledger_entry_t e = {0};
    CHECK_EQ_INT(store_ledger_entry_set_text(&e, "a reason", "ref", key, "req-crash"), FACET_OK);
    memcpy(e.wallet_id, w.id, sizeof e.wallet_id);
    memcpy(e.user_id, w.id, sizeof e.user_id);
    e.seq = w.seq + 1;
    store_ledger_entry_id(e.wallet_id, e.seq, e.id);
    e.kind = kind;
    e.amount = amount;
    e.balance_after = kind == STORE_LEDGER_SPEND ? w.balance - amount : w.balance + amount;
    store_ledger_request_hash(kind, amount, "a reason", "ref", "", e.request_hash);
    memcpy(e.prev_hash, w.head, sizeof e.prev_hash);
    e.created_at_ms = created_at_ms;
    memcpy(e.actor_id, w.id, sizeof e.actor_id);
    store_ledger_entry_hash(&e, e.hash);
    bson_t doc = BSON_INITIALIZER;
    store_ledger_entry_to_bson(&e, &doc);
    mongoc_collection_t *coll = fx_coll(client, "ledger");
    bson_error_t error;
    CHECK(mongoc_collection_insert_one(coll, &doc, NULL, NULL, &error));
    mongoc_collection_destroy(coll);
    bson_destroy(&doc);
    store_ledger_entry_free(&e);
}

/* ---- the audit's findings ---- */

#define FX_MAX_PROBLEMS 32
typedef struct fx_found {
    int count;
    struct {
        char wallet[STORE_LEDGER_ID_SIZE];
        int64_t seq;
        char code[32];
    } items[FX_MAX_PROBLEMS];
} fx_found_t;

static inline void fx_on_problem(const store_audit_problem_t *p, void *ud)
{
    fx_found_t *f = ud;
    if (getenv("FX_VERBOSE"))
        fprintf(stderr, "problem %s wallet %s seq %lld: %s\n", p->code, p->wallet_id,
                (long long)p->seq, p->detail);
    if (f->count == FX_MAX_PROBLEMS)
        return;
    snprintf(f->items[f->count].wallet, sizeof f->items[0].wallet, "%s", p->wallet_id);
    f->items[f->count].seq = p->seq;
    snprintf(f->items[f->count].code, sizeof f->items[0].code, "%s", p->code);
    f->count++;
}

static inline store_audit_counts_t fx_audit(mongoc_client_t *client, fx_found_t *found)
{
    store_audit_counts_t counts;
    store_error_t err;
    memset(found, 0, sizeof *found);
    int rc = store_audit_verify(client, fx_db, fx_on_problem, found, &counts, &err);
    if (rc != FACET_OK)
        fprintf(stderr, "audit: %s\n", err.message);
    CHECK_EQ_INT(rc, FACET_OK);
    CHECK_EQ_INT(counts.problems, found->count);
    return counts;
}

/* True when the audit reported code for wallet at seq. */
static inline bool fx_found(const fx_found_t *f, const char *wallet, int64_t seq, const char *code)
{
    for (int i = 0; i < f->count; i++)
        if (strcmp(f->items[i].wallet, wallet) == 0 && f->items[i].seq == seq &&
            strcmp(f->items[i].code, code) == 0)
            return true;
    return false;
}

#endif
