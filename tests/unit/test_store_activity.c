/* The activity log against a live FerretDB/MongoDB (MONGODB_URI): batch
 * inserts that survive redelivery, pagination across equal timestamps, and
 * retention. */
#include <string.h>

#include "core/error.h"
#include "store/activity.h"
#include "test_store_db.h"

#define ALICE "65a1b2c3d4e5f60718293a4b"
#define BOB   "65a1b2c3d4e5f60718293a4c"

static store_activity_t act(const char *user, const char *op, int64_t at)
{
    store_activity_t a = {.operation = op,
                          .args = "{\"amount\":1}",
                          .address = "203.0.113.9",
                          .user_agent = "test/1.0",
                          .ok = true,
                          .request_id = "req-1",
                          .created_at = at};
    store_id_new(a.id);
    snprintf(a.user_id, sizeof a.user_id, "%s", user);
    return a;
}

static void insert(test_db_t *t, const store_activity_t *items, size_t n, size_t want)
{
    size_t inserted = 99;
    store_error_t err;
    int rc = store_activity_insert_many(t->client, t->name, items, n, &inserted, &err);
    if (rc != FACET_OK)
        fprintf(stderr, "insert: %s\n", err.message);
    CHECK_EQ_INT(rc, FACET_OK);
    CHECK_EQ_INT(inserted, want);
}

TEST(activity_insert_is_idempotent)
{
    test_db_t t;
    test_db_open(&t, 1);
    store_activity_t a[3] = {act(ALICE, "spendGems", 100), act(ALICE, "signIn", 200),
                             act("", "signUp", 300)};
    a[1].ok = false;
    a[1].code = "UNAUTHENTICATED";
    a[2].args = NULL;
    insert(&t, a, 2, 2);
    insert(&t, a, 3, 1); /* the redelivered two are skipped */
    insert(&t, a, 3, 0);
    store_activity_page_t page;
    store_error_t err;
    CHECK_EQ_INT(store_activity_list(t.client, t.name, ALICE, 10, NULL, &page, &err), FACET_OK);
    CHECK_EQ_INT(page.n, 2);
    CHECK(!page.has_next);
    CHECK_EQ_STR(page.items[0].id, a[1].id);
    CHECK_EQ_STR(page.items[0].operation, "signIn");
    CHECK(!page.items[0].ok);
    CHECK_EQ_STR(page.items[0].code, "UNAUTHENTICATED");
    CHECK_EQ_STR(page.items[1].user_id, ALICE);
    CHECK(page.items[1].ok);
    CHECK(page.items[1].code == NULL);
    CHECK_EQ_STR(page.items[1].args, "{\"amount\":1}");
    CHECK_EQ_STR(page.items[1].address, "203.0.113.9");
    CHECK_EQ_STR(page.items[1].user_agent, "test/1.0");
    CHECK_EQ_STR(page.items[1].request_id, "req-1");
    CHECK_EQ_INT(page.items[1].created_at, 100);
    store_activity_page_free(&page);
    test_db_close(&t);
}

TEST(activity_insert_refuses_bad_fields_before_writing)
{
    test_db_t t;
    test_db_open(&t, 1);
    store_activity_t a[2] = {act(ALICE, "ok", 1), act(ALICE, "", 2)};
    size_t inserted;
    store_error_t err;
    CHECK_EQ_INT(store_activity_insert_many(t.client, t.name, a, 2, &inserted, &err), FACET_EINVAL);
    CHECK(strstr(err.message, "activity 1: operation") != NULL);
    a[1] = act("nope", "x", 2);
    CHECK_EQ_INT(store_activity_insert_many(t.client, t.name, a, 2, &inserted, &err), FACET_EINVAL);
    char big[STORE_ACTIVITY_ARGS_MAX + 2];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    a[1] = act(ALICE, "x", 2);
    a[1].args = big;
    CHECK_EQ_INT(store_activity_insert_many(t.client, t.name, a, 2, &inserted, &err), FACET_ELIMIT);
    /* A long user agent is cut at a character boundary, not refused. */
    char ua[STORE_ACTIVITY_USER_AGENT_MAX + 8] = "";
    while (strlen(ua) + 2 < sizeof ua)
        strcat(ua, "\xc3\xa9");
    a[1].args = NULL;
    a[1].user_agent = ua;
    insert(&t, a, 2, 2);
    store_activity_page_t page;
    CHECK_EQ_INT(store_activity_list(t.client, t.name, ALICE, 1, NULL, &page, &err), FACET_OK);
    CHECK_EQ_INT(strlen(page.items[0].user_agent), STORE_ACTIVITY_USER_AGENT_MAX);
    CHECK(page.has_next);
    store_activity_page_free(&page);
    test_db_close(&t);
}

/* Pages of 2 over 7 activities whose times repeat: every one exactly once,
 * in (time, id) descending order. */
TEST(activity_pages_across_equal_times)
{
    test_db_t t;
    test_db_open(&t, 1);
    int64_t times[] = {100, 300, 100, 200, 100, 300, 200};
    store_activity_t a[7];
    for (int i = 0; i < 7; i++)
        a[i] = act(ALICE, "op", times[i]);
    store_activity_t other = act(BOB, "op", 250);
    insert(&t, a, 7, 7);
    insert(&t, &other, 1, 1);

    char seen[7][STORE_ID_SIZE], after[STORE_ACTIVITY_CURSOR_SIZE] = "";
    int n = 0, pages = 0;
    int64_t last_t = INT64_MAX;
    char last_id[STORE_ID_SIZE] = "gggggggggggggggggggggggg";
    for (;;) {
        store_activity_page_t page;
        store_error_t err;
        CHECK_EQ_INT(store_activity_list(t.client, t.name, ALICE, 2, after, &page, &err), FACET_OK);
        pages++;
        for (size_t i = 0; i < page.n; i++) {
            const store_activity_t *x = &page.items[i];
            CHECK_EQ_STR(x->user_id, ALICE);
            CHECK(x->created_at < last_t ||
                  (x->created_at == last_t && strcmp(x->id, last_id) < 0));
            last_t = x->created_at;
            snprintf(last_id, sizeof last_id, "%s", x->id);
            CHECK(n < 7);
            snprintf(seen[n++], STORE_ID_SIZE, "%s", x->id);
        }
        bool more = page.has_next;
        if (page.n)
            store_activity_cursor(&page.items[page.n - 1], after);
        store_activity_page_free(&page);
        if (!more)
            break;
        CHECK(pages < 10);
    }
    CHECK_EQ_INT(n, 7);
    CHECK_EQ_INT(pages, 4);
    for (int i = 0; i < 7; i++) {
        int count = 0;
        for (int j = 0; j < 7; j++)
            count += strcmp(seen[j], a[i].id) == 0;
        CHECK_EQ_INT(count, 1);
    }
    test_db_close(&t);
}

TEST(activity_list_checks_arguments)
{
    test_db_t t;
    test_db_open(&t, 1);
    store_activity_page_t page;
    store_error_t err;
    CHECK_EQ_INT(store_activity_list(t.client, t.name, ALICE, 0, NULL, &page, &err), FACET_EINVAL);
    store_activity_page_free(&page);
    CHECK_EQ_INT(store_activity_list(t.client, t.name, ALICE, STORE_ACTIVITY_PAGE_MAX + 1, NULL,
                                     &page, &err),
                 FACET_EINVAL);
    store_activity_page_free(&page);
    CHECK_EQ_INT(store_activity_list(t.client, t.name, ALICE, 5, "zz", &page, &err), FACET_EINVAL);
    store_activity_page_free(&page);
    CHECK_EQ_INT(store_activity_list(t.client, t.name, "x", 5, NULL, &page, &err), FACET_EINVAL);
    store_activity_page_free(&page);
    CHECK_EQ_INT(store_activity_list(t.client, t.name, ALICE, 5, NULL, &page, &err), FACET_OK);
    CHECK_EQ_INT(page.n, 0);
    CHECK(!page.has_next);
    store_activity_page_free(&page);
    test_db_close(&t);
}

TEST(activity_delete_before)
{
    test_db_t t;
    test_db_open(&t, 1);
    store_activity_t a[4] = {act(ALICE, "a", 1000), act(ALICE, "b", 2000), act(BOB, "c", 2999),
                             act(BOB, "d", 3000)};
    insert(&t, a, 4, 4);
    uint64_t deleted = 0;
    store_error_t err;
    CHECK_EQ_INT(store_activity_delete_before(t.client, t.name, 3000, &deleted, &err), FACET_OK);
    CHECK_EQ_INT(deleted, 3);
    CHECK_EQ_INT(store_activity_delete_before(t.client, t.name, 3000, &deleted, &err), FACET_OK);
    CHECK_EQ_INT(deleted, 0);
    store_activity_page_t page;
    CHECK_EQ_INT(store_activity_list(t.client, t.name, BOB, 10, NULL, &page, &err), FACET_OK);
    CHECK_EQ_INT(page.n, 1);
    CHECK_EQ_STR(page.items[0].operation, "d");
    store_activity_page_free(&page);
    test_db_close(&t);
}
