/* The wallet repository against a live database (MONGODB_URI): posting,
 * balances, funds, idempotency, listing, and validation. */
#include "test_store_wallet_fixture.h"

TEST(credit_debit_and_balance)
{
    mongoc_client_t *client = fx_open(false);
    char user[STORE_ID_SIZE];
    store_id_new(user);
    store_ledger_entry_t a, b, c;
    bool replayed = true;
    CHECK_EQ_INT(fx_post_full(client, user, STORE_LEDGER_PURCHASE, 50, "k1", "", &a, &replayed),
                 FACET_OK);
    CHECK(!replayed);
    CHECK_EQ_INT(a.seq, 1);
    CHECK_EQ_INT(a.balance_after, 50);
    CHECK_EQ_STR(a.prev_hash, STORE_LEDGER_GENESIS);
    CHECK_EQ_STR(a.wallet_id, user);
    CHECK_EQ_STR(a.idempotency_key, "k1");
    CHECK_EQ_INT(fx_post_full(client, user, STORE_LEDGER_GRANT, 10, "k2", "welcome", &b, NULL),
                 FACET_OK);
    CHECK_EQ_INT(fx_post_full(client, user, STORE_LEDGER_SPEND, 15, "k3", "a sticker", &c, NULL),
                 FACET_OK);
    CHECK_EQ_INT(c.seq, 3);
    CHECK_EQ_INT(c.balance_after, 45);
    CHECK_EQ_STR(b.prev_hash, a.hash);
    CHECK_EQ_STR(c.prev_hash, b.hash);
    char hash[STORE_LEDGER_HASH_SIZE];
    store_ledger_entry_hash(&c, hash);
    CHECK_EQ_STR(hash, c.hash);

    store_wallet_t w;
    store_error_t err;
    CHECK_EQ_INT(store_wallet_get_by_user(client, fx_db, user, false, &w, &err), FACET_OK);
    CHECK_EQ_INT(w.balance, 45);
    CHECK_EQ_INT(w.seq, 3);
    CHECK_EQ_STR(w.head, c.hash);
    CHECK_EQ_STR(w.id, user);
    CHECK_EQ_INT(w.updated_at_ms, c.created_at_ms);

    /* Reading back gives what the post returned. */
    store_ledger_entry_t back;
    CHECK_EQ_INT(store_wallet_entry_by_id(client, fx_db, c.id, &back, &err), FACET_OK);
    CHECK_EQ_STR(back.hash, c.hash);
    CHECK_EQ_STR(back.reason, "a sticker");
    CHECK_EQ_STR(back.actor_id, user);
    CHECK_EQ_STR(back.request_id, "req-1");
    CHECK_EQ_INT(back.created_at_ms, c.created_at_ms);
    store_ledger_entry_free(&back);
    store_ledger_entry_free(&a);
    store_ledger_entry_free(&b);
    store_ledger_entry_free(&c);
    fx_close(client);
}

TEST(wallet_created_on_read_only_when_asked)
{
    mongoc_client_t *client = fx_open(false);
    char user[STORE_ID_SIZE];
    store_id_new(user);
    store_wallet_t w;
    store_error_t err;
    CHECK_EQ_INT(store_wallet_get_by_user(client, fx_db, user, false, &w, &err), FACET_ENOTFOUND);
    CHECK_EQ_INT(store_wallet_get_by_user(client, fx_db, user, true, &w, &err), FACET_OK);
    CHECK_EQ_INT(w.balance, 0);
    CHECK_EQ_INT(w.seq, 0);
    CHECK_EQ_STR(w.head, STORE_LEDGER_GENESIS);
    CHECK_EQ_INT(store_wallet_get_by_user(client, fx_db, "nope", true, &w, &err), FACET_EINVAL);
    fx_close(client);
}

TEST(insufficient_funds)
{
    mongoc_client_t *client = fx_open(false);
    char user[STORE_ID_SIZE];
    store_id_new(user);
    CHECK_EQ_INT(fx_post(client, user, STORE_LEDGER_SPEND, 1, "s0"), FACET_ELIMIT);
    CHECK_EQ_INT(fx_post(client, user, STORE_LEDGER_PURCHASE, 5, "p1"), FACET_OK);
    CHECK_EQ_INT(fx_post(client, user, STORE_LEDGER_SPEND, 6, "s1"), FACET_ELIMIT);
    CHECK_EQ_INT(fx_post(client, user, STORE_LEDGER_SPEND, 5, "s2"), FACET_OK);
    CHECK_EQ_INT(fx_post(client, user, STORE_LEDGER_SPEND, 1, "s3"), FACET_ELIMIT);
    CHECK_EQ_INT(fx_balance(client, user), 0);
    /* A refused key was never used: it works once there are funds. */
    CHECK_EQ_INT(fx_post(client, user, STORE_LEDGER_PURCHASE, 6, "p2"), FACET_OK);
    CHECK_EQ_INT(fx_post(client, user, STORE_LEDGER_SPEND, 6, "s1"), FACET_OK);
    store_wallet_page_t page;
    store_error_t err;
    CHECK_EQ_INT(store_wallet_transactions(client, fx_db, user, 10, 0, &page, &err), FACET_OK);
    CHECK_EQ_INT(page.count, 4);
    store_wallet_page_free(&page);
    fx_close(client);
}

TEST(replay_returns_the_original)
{
    mongoc_client_t *client = fx_open(false);
    char user[STORE_ID_SIZE];
    store_id_new(user);
    CHECK_EQ_INT(fx_post(client, user, STORE_LEDGER_PURCHASE, 3, "p"), FACET_OK);
    store_ledger_entry_t first, again;
    bool replayed = true;
    CHECK_EQ_INT(fx_post_full(client, user, STORE_LEDGER_SPEND, 3, "s", "x", &first, &replayed),
                 FACET_OK);
    CHECK(!replayed);
    /* The balance is 0 now; the retry still gets the original answer. */
    CHECK_EQ_INT(fx_post_full(client, user, STORE_LEDGER_SPEND, 3, "s", "x", &again, &replayed),
                 FACET_OK);
    CHECK(replayed);
    CHECK_EQ_STR(again.id, first.id);
    CHECK_EQ_STR(again.hash, first.hash);
    CHECK_EQ_INT(again.balance_after, 0);
    store_ledger_entry_free(&again);
    /* With funds again, a retry is still a replay, not a second debit. */
    CHECK_EQ_INT(fx_post(client, user, STORE_LEDGER_PURCHASE, 10, "p2"), FACET_OK);
    CHECK_EQ_INT(fx_post_full(client, user, STORE_LEDGER_SPEND, 3, "s", "x", &again, &replayed),
                 FACET_OK);
    CHECK(replayed);
    CHECK_EQ_STR(again.id, first.id);
    CHECK_EQ_INT(fx_balance(client, user), 10);
    store_ledger_entry_free(&again);
    store_ledger_entry_free(&first);
    fx_close(client);
}

TEST(same_key_different_request_is_refused)
{
    mongoc_client_t *client = fx_open(false);
    char user[STORE_ID_SIZE];
    store_id_new(user);
    CHECK_EQ_INT(fx_post(client, user, STORE_LEDGER_PURCHASE, 100, "p"), FACET_OK);
    CHECK_EQ_INT(fx_post_full(client, user, STORE_LEDGER_SPEND, 5, "k", "x", NULL, NULL), FACET_OK);
    CHECK_EQ_INT(fx_post_full(client, user, STORE_LEDGER_SPEND, 6, "k", "x", NULL, NULL),
                 FACET_EEXIST);
    CHECK_EQ_INT(fx_post_full(client, user, STORE_LEDGER_SPEND, 5, "k", "y", NULL, NULL),
                 FACET_EEXIST);
    CHECK_EQ_INT(fx_post_full(client, user, STORE_LEDGER_GRANT, 5, "k", "x", NULL, NULL),
                 FACET_EEXIST);
    /* Refused before the funds are judged. */
    CHECK_EQ_INT(fx_post_full(client, user, STORE_LEDGER_SPEND, 500, "k", "x", NULL, NULL),
                 FACET_EEXIST);
    /* The extra request text counts too. */
    store_wallet_op_t op = {.user_id = user,
                            .kind = STORE_LEDGER_PURCHASE,
                            .amount = 10,
                            .idempotency_key = "sku",
                            .request_extra = "sku:small"};
    store_ledger_entry_t e;
    store_error_t err;
    CHECK_EQ_INT(store_wallet_post(client, fx_db, &op, &e, NULL, &err), FACET_OK);
    store_ledger_entry_free(&e);
    op.request_extra = "sku:large";
    CHECK_EQ_INT(store_wallet_post(client, fx_db, &op, &e, NULL, &err), FACET_EEXIST);
    /* Keys are per wallet. */
    char other[STORE_ID_SIZE];
    store_id_new(other);
    CHECK_EQ_INT(fx_post(client, other, STORE_LEDGER_PURCHASE, 100, "p"), FACET_OK);
    CHECK_EQ_INT(fx_balance(client, user), 105);
    fx_close(client);
}

TEST(generated_keys_never_collide)
{
    mongoc_client_t *client = fx_open(false);
    char user[STORE_ID_SIZE];
    store_id_new(user);
    store_ledger_entry_t e;
    CHECK_EQ_INT(fx_post_full(client, user, STORE_LEDGER_GRANT, 1, NULL, "bonus", &e, NULL),
                 FACET_OK);
    CHECK(strncmp(e.idempotency_key, "auto:", 5) == 0);
    store_ledger_entry_free(&e);
    CHECK_EQ_INT(fx_post_full(client, user, STORE_LEDGER_GRANT, 1, "", "bonus", NULL, NULL),
                 FACET_OK);
    CHECK_EQ_INT(fx_balance(client, user), 2);
    fx_close(client);
}

TEST(bad_requests)
{
    mongoc_client_t *client = fx_open(false);
    char user[STORE_ID_SIZE];
    store_id_new(user);
    CHECK_EQ_INT(fx_post(client, "12345", STORE_LEDGER_PURCHASE, 1, "k"), FACET_EINVAL);
    CHECK_EQ_INT(fx_post(client, NULL, STORE_LEDGER_PURCHASE, 1, "k"), FACET_EINVAL);
    CHECK_EQ_INT(fx_post(client, user, 0, 1, "k"), FACET_EINVAL);
    CHECK_EQ_INT(fx_post(client, user, 9, 1, "k"), FACET_EINVAL);
    CHECK_EQ_INT(fx_post(client, user, STORE_LEDGER_PURCHASE, 0, "k"), FACET_EINVAL);
    CHECK_EQ_INT(fx_post(client, user, STORE_LEDGER_SPEND, -1, "k"), FACET_EINVAL);
    CHECK_EQ_INT(fx_post(client, user, STORE_LEDGER_PURCHASE, STORE_LEDGER_AMOUNT_MAX + 1, "k"),
                 FACET_EINVAL);
    CHECK_EQ_INT(fx_post_full(client, user, STORE_LEDGER_GRANT, 1, "k", "", NULL, NULL),
                 FACET_EINVAL);
    CHECK_EQ_INT(fx_post_full(client, user, STORE_LEDGER_REFUND, 1, "k", NULL, NULL, NULL),
                 FACET_EINVAL);
    CHECK_EQ_INT(fx_post_full(client, user, STORE_LEDGER_PURCHASE, 1, "k", "\xff\xfe", NULL, NULL),
                 FACET_EINVAL);
    char long_key[STORE_LEDGER_KEY_MAX + 2];
    memset(long_key, 'k', sizeof long_key - 1);
    long_key[sizeof long_key - 1] = '\0';
    CHECK_EQ_INT(fx_post(client, user, STORE_LEDGER_PURCHASE, 1, long_key), FACET_EINVAL);
    long_key[STORE_LEDGER_KEY_MAX] = '\0'; /* exactly the limit is fine */
    CHECK_EQ_INT(fx_post(client, user, STORE_LEDGER_PURCHASE, 1, long_key), FACET_OK);
    store_wallet_op_t op = {.user_id = user,
                            .kind = STORE_LEDGER_PURCHASE,
                            .amount = 1,
                            .idempotency_key = "a",
                            .actor_id = "not-an-id"};
    store_ledger_entry_t e;
    store_error_t err;
    CHECK_EQ_INT(store_wallet_post(client, fx_db, &op, &e, NULL, &err), FACET_EINVAL);
    CHECK(strstr(err.message, "actor"));
    /* An upper-case actor id is the same actor (the hash covers the
     * lower-case text, so the audit must still agree). */
    char upper[STORE_ID_SIZE];
    for (int i = 0; i < 25; i++)
        upper[i] = (char)(user[i] >= 'a' && user[i] <= 'f' ? user[i] - 32 : user[i]);
    op.actor_id = upper;
    CHECK_EQ_INT(store_wallet_post(client, fx_db, &op, &e, NULL, &err), FACET_OK);
    CHECK_EQ_STR(e.actor_id, user);
    store_ledger_entry_free(&e);
    /* A credit past the largest balance. */
    CHECK_EQ_INT(fx_post(client, user, STORE_LEDGER_PURCHASE, STORE_LEDGER_AMOUNT_MAX, "max"),
                 FACET_EINVAL);
    fx_found_t found;
    CHECK_EQ_INT(fx_audit(client, &found).problems, 0);
    fx_close(client);
}

TEST(posting_needs_the_idempotency_index)
{
    mongoc_client_t *client = fx_open(true); /* not migrated */
    char user[STORE_ID_SIZE];
    store_id_new(user);
    store_wallet_op_t op = {.user_id = user, .kind = STORE_LEDGER_PURCHASE, .amount = 1};
    store_ledger_entry_t e;
    store_error_t err;
    CHECK_EQ_INT(store_wallet_post(client, fx_db, &op, &e, NULL, &err), FACET_EIO);
    CHECK(strstr(err.message, "facet migrate"));
    fx_close(client);
}

TEST(transactions_newest_first_in_pages)
{
    mongoc_client_t *client = fx_open(false);
    char user[STORE_ID_SIZE], key[16];
    store_id_new(user);
    for (int i = 1; i <= 5; i++) {
        snprintf(key, sizeof key, "p%d", i);
        CHECK_EQ_INT(fx_post(client, user, STORE_LEDGER_PURCHASE, i, key), FACET_OK);
    }
    store_wallet_page_t page;
    store_error_t err;
    CHECK_EQ_INT(store_wallet_transactions(client, fx_db, user, 2, 0, &page, &err), FACET_OK);
    CHECK_EQ_INT(page.count, 2);
    CHECK(page.has_next);
    CHECK_EQ_INT(page.items[0].seq, 5);
    CHECK_EQ_INT(page.items[1].seq, 4);
    CHECK_EQ_INT(page.items[0].balance_after, 15);
    store_wallet_page_free(&page);
    CHECK_EQ_INT(store_wallet_transactions(client, fx_db, user, 2, 4, &page, &err), FACET_OK);
    CHECK_EQ_INT(page.count, 2);
    CHECK(page.has_next);
    CHECK_EQ_INT(page.items[0].seq, 3);
    store_wallet_page_free(&page);
    CHECK_EQ_INT(store_wallet_transactions(client, fx_db, user, 2, 2, &page, &err), FACET_OK);
    CHECK_EQ_INT(page.count, 1);
    CHECK(!page.has_next);
    CHECK_EQ_INT(page.items[0].seq, 1);
    store_wallet_page_free(&page);
    CHECK_EQ_INT(store_wallet_transactions(client, fx_db, user, 5, 0, &page, &err), FACET_OK);
    CHECK_EQ_INT(page.count, 5);
    CHECK(!page.has_next);
    store_wallet_page_free(&page);
    CHECK_EQ_INT(store_wallet_transactions(client, fx_db, user, 0, 0, &page, &err), FACET_EINVAL);
    CHECK_EQ_INT(
        store_wallet_transactions(client, fx_db, user, STORE_WALLET_PAGE_MAX + 1, 0, &page, &err),
        FACET_EINVAL);
    CHECK_EQ_INT(store_wallet_transactions(client, fx_db, "x", 1, 0, &page, &err), FACET_EINVAL);
    char other[STORE_ID_SIZE];
    store_id_new(other);
    CHECK_EQ_INT(store_wallet_transactions(client, fx_db, other, 3, 0, &page, &err), FACET_OK);
    CHECK_EQ_INT(page.count, 0);
    store_wallet_page_free(&page);
    fx_close(client);
}

TEST(entry_by_id)
{
    mongoc_client_t *client = fx_open(false);
    char user[STORE_ID_SIZE], id[STORE_LEDGER_ID_SIZE];
    store_id_new(user);
    CHECK_EQ_INT(fx_post(client, user, STORE_LEDGER_PURCHASE, 7, "p"), FACET_OK);
    store_ledger_entry_id(user, 1, id);
    store_ledger_entry_t e;
    store_error_t err;
    CHECK_EQ_INT(store_wallet_entry_by_id(client, fx_db, id, &e, &err), FACET_OK);
    CHECK_EQ_INT(e.amount, 7);
    CHECK_EQ_STR(e.id, id);
    store_ledger_entry_free(&e);
    for (int i = 0; i < 24; i++)
        id[i] = (char)(id[i] >= 'a' && id[i] <= 'f' ? id[i] - 32 : id[i]);
    CHECK_EQ_INT(store_wallet_entry_by_id(client, fx_db, id, &e, &err), FACET_OK);
    store_ledger_entry_free(&e);
    store_ledger_entry_id(user, 2, id);
    CHECK_EQ_INT(store_wallet_entry_by_id(client, fx_db, id, &e, &err), FACET_ENOTFOUND);
    CHECK_EQ_INT(store_wallet_entry_by_id(client, fx_db, user, &e, &err), FACET_EINVAL);
    CHECK_EQ_INT(store_wallet_entry_by_id(client, fx_db, NULL, &e, &err), FACET_EINVAL);
    id[30] = 'x';
    CHECK_EQ_INT(store_wallet_entry_by_id(client, fx_db, id, &e, &err), FACET_EINVAL);
    fx_close(client);
}

TEST(post_read_returns_the_wallet)
{
    mongoc_client_t *client = fx_open(false);
    char user[STORE_ID_SIZE];
    store_id_new(user);
    store_wallet_op_t op = {
        .user_id = user, .kind = STORE_LEDGER_PURCHASE, .amount = 20, .idempotency_key = "p1"};
    store_ledger_entry_t e;
    store_wallet_t w, read;
    bool replayed;
    store_error_t err;
    CHECK_EQ_INT(store_wallet_post_read(client, fx_db, &op, &e, &replayed, &w, &err), FACET_OK);
    CHECK(!replayed);
    CHECK_EQ_INT(w.balance, 20);
    CHECK_EQ_INT(w.seq, 1);
    CHECK_EQ_STR(w.head, e.hash);
    CHECK_EQ_INT(w.updated_at_ms, e.created_at_ms);
    store_ledger_entry_free(&e);
    CHECK_EQ_INT(fx_post(client, user, STORE_LEDGER_SPEND, 5, "s1"), FACET_OK);
    /* A replay reports the wallet as it stands, not as it was. */
    CHECK_EQ_INT(store_wallet_post_read(client, fx_db, &op, &e, &replayed, &w, &err), FACET_OK);
    CHECK(replayed);
    CHECK_EQ_INT(e.balance_after, 20);
    CHECK_EQ_INT(store_wallet_get_by_user(client, fx_db, user, false, &read, &err), FACET_OK);
    CHECK_EQ_INT(w.balance, 15);
    CHECK_EQ_INT(read.balance, 15);
    CHECK_EQ_INT(w.seq, read.seq);
    CHECK_EQ_STR(w.head, read.head);
    CHECK_EQ_INT(w.updated_at_ms, read.updated_at_ms);
    CHECK_EQ_INT(w.created_at_ms, read.created_at_ms);
    store_ledger_entry_free(&e);
    fx_close(client);
}
