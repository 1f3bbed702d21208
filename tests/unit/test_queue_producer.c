/* Tests of the producer (queue/queue.h) against Valkey: what queue_add and
 * friends write must be BullMQ's layout, field by field. Needs VALKEY_URL;
 * skipped without it. */
#include "queue/queue.h"
#include "test.h"
#include "test_queue_util.h"

typedef struct fixture {
    uv_loop_t loop;
    queue_conn_t *conn;
    queue_t *q;
    redisContext *sync;
    const char *name;
} fixture_t;

static void setup(fixture_t *f, const cache_valkey_addr_t *addr, const char *what)
{
    uv_loop_init(&f->loop);
    f->conn = tq_conn(&f->loop, addr);
    f->name = tq_queue_name(what);
    CHECK_EQ_INT(queue_new(f->conn, NULL, f->name, &f->q), FACET_OK);
    f->sync = tq_sync(addr);
}

static void teardown(fixture_t *f)
{
    tq_cleanup(f->sync, f->name);
    redisFree(f->sync);
    queue_free(f->q);
    queue_conn_close(f->conn);
    tq_finish_loop(&f->loop);
}

TEST(add_standard_job_layout)
{
    TQ_REQUIRE_VALKEY(addr);
    fixture_t f;
    setup(&f, &addr, "add");
    CHECK_EQ_STR(tq_add(&f.loop, f.q, "email", "{\"to\":\"a@b\"}", NULL), "1");
    CHECK_EQ_STR(tq_add(&f.loop, f.q, "email", NULL, NULL), "2");
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:1 name", f.name), "email");
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:1 data", f.name), "{\"to\":\"a@b\"}");
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:2 data", f.name), "{}");
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:1 opts", f.name), "{\"attempts\":0}");
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:1 delay", f.name), "0");
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:1 priority", f.name), "0");
    long long ts = tq_int(f.sync, "HGET bull:%s:1 timestamp", f.name);
    CHECK(ts > 1600000000000LL && ts <= queue_now_ms());
    /* FIFO: LPUSH, so the oldest job is at the right end. */
    CHECK_EQ_STR(tq_str(f.sync, "LINDEX bull:%s:wait -1", f.name), "1");
    CHECK_EQ_INT(tq_int(f.sync, "GET bull:%s:id", f.name), 2);
    CHECK_EQ_INT(tq_int(f.sync, "ZSCORE bull:%s:marker 0", f.name), 0);
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:meta opts.maxLenEvents", f.name), "10000");
    CHECK_EQ_STR(tq_events(f.sync, f.name), "added,waiting,added,waiting");
    queue_counts_t c = tq_counts(&f.loop, f.q);
    CHECK_EQ_INT(c.waiting, 2);
    CHECK_EQ_INT(c.active + c.delayed + c.prioritized + c.completed + c.failed, 0);
    teardown(&f);
}

TEST(add_options_are_stored_as_bullmq_opts)
{
    TQ_REQUIRE_VALKEY(addr);
    fixture_t f;
    setup(&f, &addr, "opts");
    queue_job_opts_t o = {.job_id = "order-7",
                          .attempts = 3,
                          .backoff = QUEUE_BACKOFF_EXPONENTIAL,
                          .backoff_delay_ms = 1000,
                          .lifo = true,
                          .remove_on_complete = {QUEUE_KEEP_LIMIT, 10, 3600},
                          .remove_on_fail = {QUEUE_KEEP_NONE, 0, 0}};
    CHECK_EQ_STR(tq_add(&f.loop, f.q, "pay", "[1]", &o), "order-7");
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:order-7 opts", f.name),
                 "{\"attempts\":3,\"jobId\":\"order-7\",\"lifo\":true,\"backoff\":{\"type\":"
                 "\"exponential\",\"delay\":1000},\"removeOnComplete\":{\"count\":10,\"age\":3600},"
                 "\"removeOnFail\":true}");
    /* LIFO: RPUSH, so it is taken first. */
    CHECK_EQ_STR(tq_str(f.sync, "LINDEX bull:%s:wait -1", f.name), "order-7");
    /* A second add with the same id keeps the first job. */
    CHECK_EQ_STR(tq_add(&f.loop, f.q, "pay", "[2]", &o), "order-7");
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:order-7 data", f.name), "[1]");
    CHECK_EQ_INT(tq_int(f.sync, "LLEN bull:%s:wait", f.name), 1);
    CHECK_EQ_STR(tq_events(f.sync, f.name), "added,waiting,duplicated");
    teardown(&f);
}

TEST(add_rejects_what_bullmq_rejects)
{
    TQ_REQUIRE_VALKEY(addr);
    fixture_t f;
    setup(&f, &addr, "bad");
    tq_result_t r = {0};
    queue_job_opts_t o = {.job_id = "42"};
    CHECK_EQ_INT(queue_add(f.q, "x", NULL, &o, tq_on_add, &r), FACET_EINVAL);
    o.job_id = "a:b";
    CHECK_EQ_INT(queue_add(f.q, "x", NULL, &o, tq_on_add, &r), FACET_EINVAL);
    o = (queue_job_opts_t){.priority = QUEUE_PRIORITY_MAX + 1};
    CHECK_EQ_INT(queue_add(f.q, "x", NULL, &o, tq_on_add, &r), FACET_EINVAL);
    o = (queue_job_opts_t){.delay_ms = -1};
    CHECK_EQ_INT(queue_add(f.q, "x", NULL, &o, tq_on_add, &r), FACET_EINVAL);
    CHECK_EQ_INT(queue_add(f.q, NULL, NULL, NULL, tq_on_add, &r), FACET_EINVAL);
    queue_t *bad;
    CHECK_EQ_INT(queue_new(f.conn, NULL, "a:b", &bad), FACET_EINVAL);
    CHECK_EQ_INT(queue_new(f.conn, NULL, "", &bad), FACET_EINVAL);
    CHECK(!r.done);
    teardown(&f);
}

TEST(delayed_and_prioritized_jobs)
{
    TQ_REQUIRE_VALKEY(addr);
    fixture_t f;
    setup(&f, &addr, "delay");
    int64_t before = queue_now_ms();
    queue_job_opts_t d = {.delay_ms = 60000};
    CHECK_EQ_STR(tq_add(&f.loop, f.q, "later", NULL, &d), "1");
    CHECK_EQ_STR(tq_add(&f.loop, f.q, "later", NULL, &d), "2");
    long long s1 = tq_int(f.sync, "ZSCORE bull:%s:delayed 1", f.name);
    long long s2 = tq_int(f.sync, "ZSCORE bull:%s:delayed 2", f.name);
    CHECK(s1 / 4096 >= before + 60000 && s1 / 4096 <= queue_now_ms() + 60000);
    CHECK(s2 > s1); /* same or later ms, and the order number breaks ties */
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:1 delay", f.name), "60000");
    CHECK_EQ_INT(tq_int(f.sync, "ZSCORE bull:%s:marker 1", f.name), s1 / 4096);
    queue_job_opts_t p = {.priority = 5};
    CHECK_EQ_STR(tq_add(&f.loop, f.q, "urgent", NULL, &p), "3");
    p.priority = 1;
    CHECK_EQ_STR(tq_add(&f.loop, f.q, "urgent", NULL, &p), "4");
    /* Score = priority * 2^32 + a counter kept in "pc". */
    CHECK_EQ_INT(tq_int(f.sync, "ZSCORE bull:%s:prioritized 3", f.name), 5LL * 4294967296LL + 1);
    CHECK_EQ_INT(tq_int(f.sync, "ZSCORE bull:%s:prioritized 4", f.name), 1LL * 4294967296LL + 2);
    CHECK_EQ_STR(tq_events(f.sync, f.name),
                 "added,delayed,added,delayed,added,waiting,added,waiting");
    queue_counts_t c = tq_counts(&f.loop, f.q);
    CHECK_EQ_INT(c.delayed, 2);
    CHECK_EQ_INT(c.prioritized, 2);
    CHECK_EQ_INT(c.waiting, 0);
    teardown(&f);
}

TEST(pause_resume_and_limits_live_in_meta)
{
    TQ_REQUIRE_VALKEY(addr);
    fixture_t f;
    setup(&f, &addr, "pause");
    tq_result_t r = {0};
    CHECK_EQ_INT(queue_pause(f.q, true, tq_on_done, &r), FACET_OK);
    CHECK(tq_run_until(&f.loop, tq_result_done, &r, 5000));
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:meta paused", f.name), "1");
    /* A job added while paused waits without a marker. */
    tq_add(&f.loop, f.q, "x", NULL, NULL);
    CHECK_EQ_INT(tq_int(f.sync, "EXISTS bull:%s:marker", f.name), 0);
    r = (tq_result_t){0};
    CHECK_EQ_INT(queue_pause(f.q, false, tq_on_done, &r), FACET_OK);
    CHECK(tq_run_until(&f.loop, tq_result_done, &r, 5000));
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:meta paused", f.name), "(nil)");
    CHECK_EQ_INT(tq_int(f.sync, "EXISTS bull:%s:marker", f.name), 1);
    CHECK_EQ_STR(tq_events(f.sync, f.name), "paused,added,waiting,resumed");
    r = (tq_result_t){0};
    CHECK_EQ_INT(queue_set_global_concurrency(f.q, 3, tq_on_done, &r), FACET_OK);
    CHECK(tq_run_until(&f.loop, tq_result_done, &r, 5000));
    r = (tq_result_t){0};
    CHECK_EQ_INT(queue_set_global_rate_limit(f.q, 10, 1000, tq_on_done, &r), FACET_OK);
    CHECK(tq_run_until(&f.loop, tq_result_done, &r, 5000));
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:meta concurrency", f.name), "3");
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:meta max", f.name), "10");
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:meta duration", f.name), "1000");
    teardown(&f);
}

TEST(functions_survive_function_flush)
{
    TQ_REQUIRE_VALKEY(addr);
    fixture_t f;
    setup(&f, &addr, "flush");
    tq_add(&f.loop, f.q, "x", NULL, NULL);
    freeReplyObject(tq_cmd(f.sync, "FUNCTION FLUSH"));
    /* "Function not found" is handled inside the connection: reload, then
     * resend. */
    CHECK_EQ_STR(tq_add(&f.loop, f.q, "x", NULL, NULL), "2");
    CHECK_EQ_INT(tq_int(f.sync, "LLEN bull:%s:wait", f.name), 2);
    teardown(&f);
}

TEST(commands_fail_fast_when_valkey_is_down)
{
    /* No Valkey needed: port 1 refuses connections. */
    uv_loop_t loop;
    uv_loop_init(&loop);
    cache_valkey_addr_t addr = {.host = "127.0.0.1", .port = 1};
    queue_conn_t *c;
    CHECK_EQ_INT(queue_conn_new(&loop, &addr, "down", NULL, NULL, &c), FACET_OK);
    queue_t *q;
    CHECK_EQ_INT(queue_new(c, "bull", "down", &q), FACET_OK);
    tq_run_until(&loop, NULL, NULL, 50);
    tq_result_t r = {0};
    CHECK_EQ_INT(queue_add(q, "x", NULL, NULL, tq_on_add, &r), FACET_ECLOSED);
    CHECK(!queue_conn_up(c));
    queue_free(q);
    queue_conn_close(c);
    tq_finish_loop(&loop);
}
