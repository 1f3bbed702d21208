/* Payment events against a live FerretDB/MongoDB (MONGODB_URI): recorded
 * once per (provider, eventId). */
#include <string.h>
#include <sys/wait.h>

#include "core/error.h"
#include "store/payments.h"
#include "test_store_db.h"

TEST(payment_recorded_once)
{
    test_db_t t;
    test_db_open(&t, 1);
    static store_payment_event_t ev, again, found;
    store_error_t err;
    CHECK_EQ_INT(store_payment_record(t.client, t.name, "stripe", "evt_1",
                                      "{\"sku\":\"gems_100\",\"gems\":100}", "65a1b2c3d4e5f607",
                                      1000, &ev, &err),
                 FACET_OK);
    CHECK(store_id_valid(ev.id));
    CHECK_EQ_STR(ev.ledger_entry, "65a1b2c3d4e5f607");
    CHECK_EQ_INT(store_payment_record(t.client, t.name, "stripe", "evt_1", "{}", "other", 2000,
                                      &again, &err),
                 FACET_EEXIST);
    CHECK_EQ_STR(again.id, ev.id);
    CHECK_EQ_STR(again.summary, "{\"sku\":\"gems_100\",\"gems\":100}");
    CHECK_EQ_INT(again.created_at, 1000);
    /* The same event id from another provider is another event. */
    CHECK_EQ_INT(
        store_payment_record(t.client, t.name, "paddle", "evt_1", NULL, NULL, 3000, &again, &err),
        FACET_OK);
    CHECK_EQ_STR(again.ledger_entry, "");
    CHECK_EQ_INT(store_payment_find(t.client, t.name, "stripe", "evt_1", &found, &err), FACET_OK);
    CHECK_EQ_STR(found.id, ev.id);
    CHECK_EQ_STR(found.provider, "stripe");
    CHECK_EQ_STR(found.event_id, "evt_1");
    CHECK_EQ_INT(store_payment_find(t.client, t.name, "stripe", "evt_2", &found, &err),
                 FACET_ENOTFOUND);
    test_db_close(&t);
}

TEST(payment_checks_input)
{
    test_db_t t;
    test_db_open(&t, 1);
    static store_payment_event_t ev;
    store_error_t err;
    CHECK_EQ_INT(store_payment_record(t.client, t.name, "", "e", NULL, NULL, 1, &ev, &err),
                 FACET_EINVAL);
    CHECK_EQ_INT(store_payment_record(t.client, t.name, "p", NULL, NULL, NULL, 1, &ev, &err),
                 FACET_EINVAL);
    static char big[STORE_PAYMENT_SUMMARY_MAX + 2];
    memset(big, 'x', sizeof big - 1);
    CHECK_EQ_INT(store_payment_record(t.client, t.name, "p", "e", big, NULL, 1, &ev, &err),
                 FACET_ELIMIT);
    CHECK_EQ_INT(store_payment_record(t.client, t.name, "p", "e\xc0", NULL, NULL, 1, &ev, &err),
                 FACET_EINVAL);
    test_db_close(&t);
}

/* Racing webhooks for one event: exactly one records it. */
TEST(payment_racing_retries_record_once)
{
    test_db_t t;
    test_db_open(&t, 1);
    enum { RACERS = 6 };
    for (int r = 0; r < RACERS; r++) {
        if (fork() == 0) {
            mongoc_client_t *client = mongoc_client_new(getenv("MONGODB_URI"));
            static store_payment_event_t ev;
            store_error_t err;
            int rc = store_payment_record(client, t.name, "stripe", "evt_race", NULL, NULL, 1, &ev,
                                          &err);
            mongoc_client_destroy(client);
            _exit(rc == FACET_OK ? 10 : rc == FACET_EEXIST ? 20 : 30);
        }
    }
    int ok = 0, dup = 0;
    for (int r = 0; r < RACERS; r++) {
        int status;
        CHECK(wait(&status) > 0 && WIFEXITED(status));
        ok += WEXITSTATUS(status) == 10;
        dup += WEXITSTATUS(status) == 20;
    }
    CHECK_EQ_INT(ok, 1);
    CHECK_EQ_INT(dup, RACERS - 1);
    test_db_close(&t);
}
