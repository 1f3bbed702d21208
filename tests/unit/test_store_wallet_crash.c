/* The wallet after a crash between writing an entry and moving the
 * projection: reads and posts roll it forward, store_wallet_recover repairs
 * recent wallets, and a chain that does not hold stops everything. */
#include "test_store_wallet_fixture.h"

TEST(read_rolls_forward)
{
    mongoc_client_t *client = fx_open(false);
    char user[STORE_ID_SIZE];
    store_id_new(user);
    CHECK_EQ_INT(fx_post(client, user, STORE_LEDGER_PURCHASE, 10, "p1"), FACET_OK);
    fx_crash_entry(client, user, STORE_LEDGER_PURCHASE, 5, "c1", store_now_ms());
    fx_crash_entry(client, user, STORE_LEDGER_SPEND, 3, "c2", store_now_ms());
    store_wallet_t raw;
    fx_raw_wallet(client, user, &raw);
    CHECK_EQ_INT(raw.seq, 1);
    fx_found_t found;
    store_audit_counts_t counts = fx_audit(client, &found);
    CHECK_EQ_INT(counts.problems, 0); /* behind is not a problem */
    CHECK_EQ_INT(counts.behind, 1);

    store_wallet_t w;
    store_error_t err;
    CHECK_EQ_INT(store_wallet_get_by_user(client, fx_db, user, false, &w, &err), FACET_OK);
    CHECK_EQ_INT(w.balance, 12);
    CHECK_EQ_INT(w.seq, 3);
    fx_raw_wallet(client, user, &raw);
    CHECK_EQ_INT(raw.seq, 3);
    CHECK_EQ_INT(raw.balance, 12);
    CHECK_EQ_STR(raw.head, w.head);
    counts = fx_audit(client, &found);
    CHECK_EQ_INT(counts.problems, 0);
    CHECK_EQ_INT(counts.behind, 0);
    CHECK_EQ_INT(counts.entries, 3);
    fx_close(client);
}

TEST(post_rolls_forward)
{
    mongoc_client_t *client = fx_open(false);
    char user[STORE_ID_SIZE];
    store_id_new(user);
    CHECK_EQ_INT(fx_post(client, user, STORE_LEDGER_PURCHASE, 2, "p1"), FACET_OK);
    fx_crash_entry(client, user, STORE_LEDGER_PURCHASE, 5, "c1", store_now_ms());
    /* 6 > 2: the spend fits only once the lost credit is counted. */
    store_ledger_entry_t e;
    CHECK_EQ_INT(fx_post_full(client, user, STORE_LEDGER_SPEND, 6, "s1", "x", &e, NULL), FACET_OK);
    CHECK_EQ_INT(e.seq, 3);
    CHECK_EQ_INT(e.balance_after, 1);
    store_ledger_entry_free(&e);
    /* A credit posted while behind lands after the crashed entry. */
    fx_crash_entry(client, user, STORE_LEDGER_SPEND, 1, "c2", store_now_ms());
    CHECK_EQ_INT(fx_post_full(client, user, STORE_LEDGER_GRANT, 4, "g1", "x", &e, NULL), FACET_OK);
    CHECK_EQ_INT(e.seq, 5);
    CHECK_EQ_INT(e.balance_after, 4);
    store_ledger_entry_free(&e);
    fx_found_t found;
    store_audit_counts_t counts = fx_audit(client, &found);
    CHECK_EQ_INT(counts.problems, 0);
    CHECK_EQ_INT(counts.entries, 5);
    fx_close(client);
}

TEST(retry_after_a_crash_is_a_replay)
{
    mongoc_client_t *client = fx_open(false);
    char user[STORE_ID_SIZE];
    store_id_new(user);
    CHECK_EQ_INT(fx_post(client, user, STORE_LEDGER_PURCHASE, 10, "p1"), FACET_OK);
    /* The spend's entry got in, then the process died; the client retries. */
    fx_crash_entry(client, user, STORE_LEDGER_SPEND, 4, "s1", store_now_ms());
    store_ledger_entry_t e;
    bool replayed = false;
    CHECK_EQ_INT(fx_post_full(client, user, STORE_LEDGER_SPEND, 4, "s1", "a reason", &e, &replayed),
                 FACET_OK);
    CHECK(replayed);
    CHECK_EQ_INT(e.seq, 2);
    store_ledger_entry_free(&e);
    CHECK_EQ_INT(fx_balance(client, user), 6);
    /* Same with an empty balance: the replay comes before the funds. */
    fx_crash_entry(client, user, STORE_LEDGER_SPEND, 6, "s2", store_now_ms());
    CHECK_EQ_INT(fx_post_full(client, user, STORE_LEDGER_SPEND, 6, "s2", "a reason", &e, &replayed),
                 FACET_OK);
    CHECK(replayed);
    store_ledger_entry_free(&e);
    CHECK_EQ_INT(fx_balance(client, user), 0);
    fx_found_t found;
    CHECK_EQ_INT(fx_audit(client, &found).problems, 0);
    fx_close(client);
}

TEST(recover_rolls_recent_wallets_forward)
{
    mongoc_client_t *client = fx_open(false);
    char a[STORE_ID_SIZE], b[STORE_ID_SIZE], c[STORE_ID_SIZE], old[STORE_ID_SIZE];
    store_id_new(a);
    store_id_new(b);
    store_id_new(c);
    store_id_new(old);
    int64_t now = store_now_ms();
    CHECK_EQ_INT(fx_post(client, a, STORE_LEDGER_PURCHASE, 10, "p"), FACET_OK);
    CHECK_EQ_INT(fx_post(client, b, STORE_LEDGER_PURCHASE, 10, "p"), FACET_OK);
    CHECK_EQ_INT(fx_post(client, c, STORE_LEDGER_PURCHASE, 10, "p"), FACET_OK); /* not behind */
    store_wallet_t w;
    store_error_t err;
    CHECK_EQ_INT(store_wallet_get_by_user(client, fx_db, old, true, &w, &err), FACET_OK);
    fx_crash_entry(client, a, STORE_LEDGER_SPEND, 1, "c1", now);
    fx_crash_entry(client, a, STORE_LEDGER_SPEND, 2, "c2", now);
    fx_crash_entry(client, b, STORE_LEDGER_PURCHASE, 3, "c1", now);
    fx_crash_entry(client, old, STORE_LEDGER_PURCHASE, 10, "c1", now - 3600 * 1000);
    fx_crash_entry(client, old, STORE_LEDGER_SPEND, 1, "c2", now - 3600 * 1000);
    size_t rolled = 99;
    /* The window starts after "old"'s entries but before the others. */
    CHECK_EQ_INT(store_wallet_recover(client, fx_db, now - 60 * 1000, &rolled, &err), FACET_OK);
    CHECK_EQ_INT(rolled, 2);
    fx_raw_wallet(client, a, &w);
    CHECK_EQ_INT(w.seq, 3);
    CHECK_EQ_INT(w.balance, 7);
    fx_raw_wallet(client, b, &w);
    CHECK_EQ_INT(w.balance, 13);
    fx_raw_wallet(client, old, &w);
    CHECK_EQ_INT(w.seq, 0); /* outside the window: left for its next read */
    CHECK_EQ_INT(store_wallet_recover(client, fx_db, now - 2 * 3600 * 1000, &rolled, &err),
                 FACET_OK);
    CHECK_EQ_INT(rolled, 1);
    fx_raw_wallet(client, old, &w);
    CHECK_EQ_INT(w.balance, 9);
    CHECK_EQ_INT(store_wallet_recover(client, fx_db, 0, &rolled, &err), FACET_OK);
    CHECK_EQ_INT(rolled, 0);
    fx_found_t found;
    store_audit_counts_t counts = fx_audit(client, &found);
    CHECK_EQ_INT(counts.problems, 0);
    CHECK_EQ_INT(counts.behind, 0);
    fx_close(client);
}

/* An entry that does not chain (here: a balanceAfter that does not follow)
 * is never folded into the projection, and the wallet refuses to move. */
TEST(broken_chain_stops_the_wallet)
{
    mongoc_client_t *client = fx_open(false);
    char user[STORE_ID_SIZE], other[STORE_ID_SIZE];
    store_id_new(user);
    store_id_new(other);
    CHECK_EQ_INT(fx_post(client, user, STORE_LEDGER_PURCHASE, 10, "p1"), FACET_OK);
    CHECK_EQ_INT(fx_post(client, other, STORE_LEDGER_PURCHASE, 10, "p1"), FACET_OK);
    fx_crash_entry(client, user, STORE_LEDGER_SPEND, 1, "c1", store_now_ms());
    fx_crash_entry(client, other, STORE_LEDGER_SPEND, 1, "c1", store_now_ms());
    char id[STORE_LEDGER_ID_SIZE];
    store_ledger_entry_id(user, 2, id);
    mongoc_collection_t *ledger = fx_coll(client, "ledger");
    bson_t *filter = BCON_NEW("_id", BCON_UTF8(id));
    bson_t *update = BCON_NEW("$set", "{", "balanceAfter", BCON_INT64(1000), "}");
    bson_error_t error;
    CHECK(mongoc_collection_update_one(ledger, filter, update, NULL, NULL, &error));
    bson_destroy(update);
    bson_destroy(filter);
    mongoc_collection_destroy(ledger);

    store_wallet_t w;
    store_error_t err;
    CHECK_EQ_INT(store_wallet_get_by_user(client, fx_db, user, false, &w, &err), FACET_EIO);
    CHECK(strstr(err.message, user));
    CHECK_EQ_INT(fx_post(client, user, STORE_LEDGER_SPEND, 1, "s1"), FACET_EIO);
    CHECK_EQ_INT(fx_post(client, user, STORE_LEDGER_PURCHASE, 1, "p2"), FACET_EIO);
    fx_raw_wallet(client, user, &w);
    CHECK_EQ_INT(w.seq, 1);
    CHECK_EQ_INT(w.balance, 10);
    /* Recovery does the sound wallet and names the broken one. */
    size_t rolled;
    CHECK_EQ_INT(store_wallet_recover(client, fx_db, 0, &rolled, &err), FACET_EIO);
    CHECK_EQ_INT(rolled, 1);
    CHECK(strstr(err.message, user));
    CHECK_EQ_INT(fx_balance(client, other), 9);
    fx_found_t found;
    fx_audit(client, &found);
    CHECK(fx_found(&found, user, 2, "hash_mismatch"));
    CHECK(fx_found(&found, user, 2, "balance_mismatch"));
    fx_close(client);
}
