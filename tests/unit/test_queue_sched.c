/* Tests of job schedulers (queue_upsert_scheduler and the worker's next
 * iterations) against Valkey: the scheduler hash, iteration job ids and
 * opts as BullMQ writes them, every and cron cadence, limits, replacement
 * and removal. Needs VALKEY_URL; skipped without. */
#include "queue/worker.h"
#include "test.h"
#include "test_queue_fixture.h"

static const char *upsert(fixture_t *f, const char *id, const queue_scheduler_opts_t *o)
{
    static tq_result_t r;
    memset(&r, 0, sizeof r);
    CHECK_EQ_INT(queue_upsert_scheduler(f->q, id, "echo", "{\"tick\":true}", o, tq_on_add, &r),
                 FACET_OK);
    CHECK(tq_run_until(&f->loop, tq_result_done, &r, 5000));
    CHECK_EQ_INT(r.status, FACET_OK);
    return r.id;
}

TEST(every_scheduler_runs_at_its_cadence)
{
    TQ_REQUIRE_VALKEY(addr);
    fixture_t f;
    setup(&f, &addr, "every");
    queue_scheduler_opts_t o = {.every_ms = 250};
    const char *first = upsert(&f, "tick", &o);
    CHECK(strncmp(first, "repeat:tick:", 12) == 0);
    /* As in BullMQ, the first run is now; the offset keeps later runs on
     * now + k * every. */
    long long at = atoll(first + 12);
    CHECK(at <= queue_now_ms());
    CHECK_EQ_INT(tq_int(f.sync, "HGET bull:%s:repeat:tick offset", f.name), at % 250);
    CHECK_EQ_INT(tq_int(f.sync, "ZSCORE bull:%s:repeat tick", f.name), at);
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:repeat:tick name", f.name), "echo");
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:repeat:tick every", f.name), "250");
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:repeat:tick ic", f.name), "1");
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:repeat:tick data", f.name), "{\"tick\":true}");
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:%s rjk", f.name, first), "tick");
    queue_worker_opts_t wo = worker_opts(&f);
    start_worker(&f, &addr, &wo);
    int64_t t0 = queue_now_ms();
    run_until_finished(&f, 4, 5000);
    int64_t took = queue_now_ms() - t0;
    CHECK(took >= 500 && took < 2000);
    CHECK(tq_int(f.sync, "HGET bull:%s:repeat:tick ic", f.name) >= 5);
    /* Removal drops the pending iteration and stops the cadence. */
    tq_result_t r = {0};
    CHECK_EQ_INT(queue_remove_scheduler(f.q, "tick", tq_on_done, &r), FACET_OK);
    CHECK(tq_run_until(&f.loop, tq_result_done, &r, 5000));
    CHECK_EQ_INT(r.status, FACET_OK);
    int done = f.completed;
    tq_run_until(&f.loop, NULL, NULL, 700);
    CHECK(f.completed <= done + 1);
    CHECK_EQ_INT(tq_int(f.sync, "EXISTS bull:%s:repeat:tick", f.name), 0);
    CHECK_EQ_INT(tq_int(f.sync, "ZCARD bull:%s:delayed", f.name), 0);
    r = (tq_result_t){0};
    CHECK_EQ_INT(queue_remove_scheduler(f.q, "tick", tq_on_done, &r), FACET_OK);
    CHECK(tq_run_until(&f.loop, tq_result_done, &r, 5000));
    CHECK_EQ_INT(r.status, FACET_ENOTFOUND);
    teardown(&f);
}

TEST(cron_scheduler_fires_each_second)
{
    TQ_REQUIRE_VALKEY(addr);
    fixture_t f;
    setup(&f, &addr, "cron");
    queue_scheduler_opts_t o = {.pattern = "* * * * * *", .tz = "UTC"};
    const char *first = upsert(&f, "sec", &o);
    long long at = atoll(first + strlen("repeat:sec:"));
    CHECK_EQ_INT(at % 1000, 0);
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:repeat:sec pattern", f.name), "* * * * * *");
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:repeat:sec tz", f.name), "UTC");
    /* The job carries repeat opts so a BullMQ worker can continue the cadence. */
    const char *opts = tq_str(f.sync, "HGET bull:%s:%s opts", f.name, first);
    CHECK(strstr(opts, "\"pattern\":\"* * * * * *\""));
    CHECK(strstr(opts, "\"prevMillis\":"));
    queue_worker_opts_t wo = worker_opts(&f);
    start_worker(&f, &addr, &wo);
    run_until_finished(&f, 3, 5000);
    /* Iterations are whole seconds apart. */
    redisReply *ids = tq_cmd(f.sync, "ZRANGE bull:%s:completed 0 -1", f.name);
    CHECK(ids->elements >= 3);
    long long a = atoll(ids->element[0]->str + strlen("repeat:sec:"));
    long long b = atoll(ids->element[1]->str + strlen("repeat:sec:"));
    CHECK_EQ_INT(b - a, 1000);
    freeReplyObject(ids);
    teardown(&f);
}

TEST(limit_stops_after_that_many_iterations)
{
    TQ_REQUIRE_VALKEY(addr);
    fixture_t f;
    setup(&f, &addr, "limit");
    queue_scheduler_opts_t o = {.every_ms = 100, .limit = 3};
    upsert(&f, "thrice", &o);
    queue_worker_opts_t wo = worker_opts(&f);
    start_worker(&f, &addr, &wo);
    run_until_finished(&f, 3, 5000);
    tq_run_until(&f.loop, NULL, NULL, 500);
    CHECK_EQ_INT(f.completed, 3);
    teardown(&f);
}

TEST(upsert_replaces_the_pending_iteration)
{
    TQ_REQUIRE_VALKEY(addr);
    fixture_t f;
    setup(&f, &addr, "replace");
    queue_scheduler_opts_t o = {.pattern = "0 0 1 1 *", .tz = "UTC"};
    char first[128];
    snprintf(first, sizeof first, "%s", upsert(&f, "s", &o));
    CHECK_EQ_INT(tq_int(f.sync, "ZCARD bull:%s:delayed", f.name), 1);
    o.pattern = "0 0 1 6 *";
    const char *second = upsert(&f, "s", &o);
    CHECK(strcmp(first, second) != 0);
    CHECK_EQ_INT(tq_int(f.sync, "ZCARD bull:%s:delayed", f.name), 1);
    CHECK(tq_int(f.sync, "ZSCORE bull:%s:delayed %s", f.name, second) > 0);
    CHECK_EQ_INT(tq_int(f.sync, "EXISTS bull:%s:%s", f.name, first), 0);
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:repeat:s pattern", f.name), "0 0 1 6 *");
    /* Changing every: the pending run (now, in wait) is replaced too. */
    queue_scheduler_opts_t e = {.every_ms = 60000};
    upsert(&f, "e", &e);
    e.every_ms = 120000;
    upsert(&f, "e", &e);
    CHECK_EQ_INT(tq_int(f.sync, "LLEN bull:%s:wait", f.name), 1);
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:repeat:e every", f.name), "120000");
    teardown(&f);
}

TEST(bad_scheduler_options)
{
    TQ_REQUIRE_VALKEY(addr);
    fixture_t f;
    setup(&f, &addr, "badsched");
    tq_result_t r = {0};
    queue_scheduler_opts_t o = {.pattern = "61 * * * *"};
    CHECK_EQ_INT(queue_upsert_scheduler(f.q, "x", "echo", NULL, &o, tq_on_add, &r), FACET_EINVAL);
    o = (queue_scheduler_opts_t){.pattern = "* * * * *", .tz = "Europe/Paris"};
    CHECK_EQ_INT(queue_upsert_scheduler(f.q, "x", "echo", NULL, &o, tq_on_add, &r), FACET_EINVAL);
    o = (queue_scheduler_opts_t){.pattern = "* * * * *", .every_ms = 5};
    CHECK_EQ_INT(queue_upsert_scheduler(f.q, "x", "echo", NULL, &o, tq_on_add, &r), FACET_EINVAL);
    o = (queue_scheduler_opts_t){0};
    CHECK_EQ_INT(queue_upsert_scheduler(f.q, "x", "echo", NULL, &o, tq_on_add, &r), FACET_EINVAL);
    CHECK(!r.done);
    teardown(&f);
}
