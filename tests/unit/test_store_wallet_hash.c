/* The ledger's canonical hashes and documents, without a database: the
 * serialization documented in store/ledger.h, checked against digests
 * computed independently from that description, and the link check. */
#include <string.h>

#include "core/error.h"
#include "store/ledger.h"
#include "store/wallet_internal.h"
#include "test.h"

static void sample(store_ledger_entry_t *e)
{
    memset(e, 0, sizeof *e);
    CHECK_EQ_INT(store_ledger_entry_set_text(e, "a sticker", "post:42", "key-1", "req-9"), 0);
    strcpy(e->wallet_id, "65f0a1b2c3d4e5f601234567");
    strcpy(e->user_id, e->wallet_id);
    e->seq = 2;
    store_ledger_entry_id(e->wallet_id, e->seq, e->id);
    e->kind = STORE_LEDGER_SPEND;
    e->amount = 15;
    e->balance_after = 35;
    store_ledger_request_hash(e->kind, e->amount, e->reason, e->reference, "", e->request_hash);
    strcpy(e->prev_hash, "1111111111111111111111111111111111111111111111111111111111111111");
    e->created_at_ms = INT64_C(1718000000123);
    strcpy(e->actor_id, "65f0a1b2c3d4e5f601234567");
    store_ledger_entry_hash(e, e->hash);
}

TEST(documented_serialization)
{
    store_ledger_entry_t e;
    sample(&e);
    CHECK_EQ_STR(e.id, "65f0a1b2c3d4e5f601234567:0000000000000000002");
    /* Computed with a few lines of Python from the description in
     * ledger.h (struct.pack(">I", len) + bytes per field; ">q" ints). */
    CHECK_EQ_STR(e.request_hash,
                 "2bbac910b4e49f712f6d12e3eb4981d7deb8c93d88fce28645b340ae396fbc89");
    CHECK_EQ_STR(e.hash, "28371a007326d144a964db80e8061d0e0cbd186ac73a36ec163620adbb891d49");
    char h[STORE_LEDGER_HASH_SIZE];
    store_ledger_request_hash(STORE_LEDGER_SPEND, 15, "a sticker", "post:42", "sku:x", h);
    CHECK(strcmp(h, e.request_hash) != 0);
    store_ledger_entry_free(&e);
}

TEST(every_field_counts)
{
    store_ledger_entry_t e;
    sample(&e);
    char base[STORE_LEDGER_HASH_SIZE], h[STORE_LEDGER_HASH_SIZE];
    memcpy(base, e.hash, sizeof base);
#define CHANGED(stmt)                    \
    do {                                 \
        store_ledger_entry_t c_;         \
        sample(&c_);                     \
        stmt;                            \
        store_ledger_entry_hash(&c_, h); \
        CHECK(strcmp(h, base) != 0);     \
        store_ledger_entry_free(&c_);    \
    } while (0)
    CHANGED(c_.wallet_id[0] = '7');
    CHANGED(c_.seq = 3);
    CHANGED(c_.kind = STORE_LEDGER_GRANT);
    CHANGED(c_.amount = 16);
    CHANGED(c_.balance_after = 34);
    CHANGED(c_.reason[0] = 'A');
    CHANGED(c_.reference[0] = 'P');
    CHANGED(c_.idempotency_key[0] = 'K');
    CHANGED(c_.request_hash[0] = 'f');
    CHANGED(c_.created_at_ms++);
    CHANGED(c_.actor_id[0] = '\0');
    CHANGED(c_.prev_hash[0] = '2');
    /* Length prefixes: moving a byte between neighbours changes the hash. */
    CHANGED(store_ledger_entry_set_text(&c_, "a sticke", "rpost:42", "key-1", "req-9"));
    /* Not covered: _id, userId, requestId. */
    store_ledger_entry_t c;
    sample(&c);
    c.id[0] = 'x';
    c.user_id[0] = 'x';
    c.request_id[0] = 'x';
    store_ledger_entry_hash(&c, h);
    CHECK_EQ_STR(h, base);
    store_ledger_entry_free(&c);
    store_ledger_entry_free(&e);
}

TEST(bson_round_trip)
{
    store_ledger_entry_t e, back;
    sample(&e);
    bson_t doc = BSON_INITIALIZER;
    store_ledger_entry_to_bson(&e, &doc);
    store_error_t err;
    CHECK_EQ_INT(store_ledger_entry_from_bson(&doc, &back, &err), 0);
    CHECK_EQ_STR(back.id, e.id);
    CHECK_EQ_STR(back.wallet_id, e.wallet_id);
    CHECK_EQ_INT(back.seq, 2);
    CHECK_EQ_INT(back.kind, STORE_LEDGER_SPEND);
    CHECK_EQ_INT(back.amount, 15);
    CHECK_EQ_INT(back.balance_after, 35);
    CHECK_EQ_STR(back.reason, "a sticker");
    CHECK_EQ_STR(back.reference, "post:42");
    CHECK_EQ_STR(back.idempotency_key, "key-1");
    CHECK_EQ_STR(back.request_id, "req-9");
    CHECK_EQ_STR(back.hash, e.hash);
    CHECK_EQ_STR(back.actor_id, e.actor_id);
    CHECK_EQ_INT(back.created_at_ms, e.created_at_ms);
    store_ledger_entry_free(&back);
    /* Strict types: a double amount is malformed, not 15. */
    bson_t bad = BSON_INITIALIZER;
    bson_copy_to_excluding_noinit(&doc, &bad, "amount", NULL);
    BSON_APPEND_DOUBLE(&bad, "amount", 15.0);
    CHECK_EQ_INT(store_ledger_entry_from_bson(&bad, &back, &err), FACET_EINVAL);
    CHECK(strstr(err.message, "amount"));
    bson_destroy(&bad);
    bson_init(&bad);
    bson_copy_to_excluding_noinit(&doc, &bad, "reason", NULL);
    bson_append_utf8(&bad, "reason", -1, "a\0b", 3);
    CHECK_EQ_INT(store_ledger_entry_from_bson(&bad, &back, &err), FACET_EINVAL);
    bson_destroy(&bad);
    bson_init(&bad);
    bson_copy_to_excluding_noinit(&doc, &bad, "actorId", NULL);
    CHECK_EQ_INT(store_ledger_entry_from_bson(&bad, &back, &err), 0); /* no actor */
    CHECK_EQ_STR(back.actor_id, "");
    store_ledger_entry_free(&back);
    bson_destroy(&bad);
    bson_destroy(&doc);
    store_ledger_entry_free(&e);
}

TEST(link_check)
{
    store_ledger_entry_t e;
    sample(&e);
    store_ledger_state_t s = {.seq = 1, .balance = 50};
    strcpy(s.head, e.prev_hash);
    CHECK_EQ_INT(store_ledger_check_link(&s, &e), 0);
    s.seq = 0;
    CHECK_EQ_INT(store_ledger_check_link(&s, &e), STORE_LEDGER_BAD_SEQ);
    s.seq = 1;
    s.balance = 49;
    CHECK_EQ_INT(store_ledger_check_link(&s, &e), STORE_LEDGER_BAD_BALANCE);
    s.balance = 10; /* 10 - 15 < 0, and 35 does not follow */
    CHECK_EQ_INT(store_ledger_check_link(&s, &e), STORE_LEDGER_BAD_BALANCE);
    s.balance = 50;
    s.head[0] = '2';
    CHECK_EQ_INT(store_ledger_check_link(&s, &e), STORE_LEDGER_BAD_PREV_HASH);
    s.head[0] = '1';
    e.amount = 0;
    unsigned bad = store_ledger_check_link(&s, &e);
    CHECK(bad & STORE_LEDGER_BAD_AMOUNT);
    CHECK(bad & STORE_LEDGER_BAD_HASH);
    e.amount = 15;
    e.id[0] = '7';
    CHECK_EQ_INT(store_ledger_check_link(&s, &e), STORE_LEDGER_BAD_ID);
    store_ledger_entry_id(e.wallet_id, e.seq, e.id);
    e.kind = 0;
    bad = store_ledger_check_link(&s, &e);
    CHECK(bad & STORE_LEDGER_BAD_KIND);
    e.kind = STORE_LEDGER_SPEND;
    e.balance_after = -1;
    bad = store_ledger_check_link(&s, &e);
    CHECK(bad & STORE_LEDGER_BAD_NEGATIVE);
    CHECK_EQ_STR(store_ledger_problem_name(STORE_LEDGER_BAD_NEGATIVE), "negative_balance");
    CHECK(store_ledger_problem_name(3) == NULL);
    store_ledger_entry_free(&e);
}

TEST(kinds)
{
    CHECK_EQ_INT(store_ledger_kind_parse("SPEND", 5), STORE_LEDGER_SPEND);
    CHECK_EQ_INT(store_ledger_kind_parse("SPENDX", 5), STORE_LEDGER_SPEND);
    CHECK_EQ_INT(store_ledger_kind_parse("spend", 5), 0);
    CHECK_EQ_INT(store_ledger_kind_parse("SPEND", 4), 0);
    CHECK(store_ledger_kind_credits(STORE_LEDGER_REFUND));
    CHECK(!store_ledger_kind_credits(STORE_LEDGER_SPEND));
    CHECK(store_ledger_kind_name(0) == NULL);
    CHECK(store_ledger_kind_name(5) == NULL);
}
