/* Tests of locks, stalled-job recovery and closing (queue/worker.h) against
 * Valkey. A crashed worker is simulated by moving a job to active under a
 * lock of another owner, as BullMQ's moveToActive would have. Needs
 * VALKEY_URL; skipped without. */
#include "queue/worker.h"
#include "test.h"
#include "test_queue_fixture.h"

/* Leaves job id in active under someone else's lock, as a dead worker would. */
static void take_as_dead_worker(fixture_t *f, const char *id, int lock_ms)
{
    freeReplyObject(tq_cmd(f->sync, "LREM bull:%s:wait 0 %s", f->name, id));
    freeReplyObject(tq_cmd(f->sync, "LPUSH bull:%s:active %s", f->name, id));
    freeReplyObject(
        tq_cmd(f->sync, "SET bull:%s:%s:lock dead-worker:1 PX %d", f->name, id, lock_ms));
}

TEST(lock_renewal_keeps_a_long_job)
{
    TQ_REQUIRE_VALKEY(addr);
    fixture_t f;
    setup(&f, &addr, "renew");
    seen.sleep_ms = 1200;
    tq_add(&f.loop, f.q, "echo", NULL, NULL);
    queue_worker_opts_t wo = worker_opts(&f);
    wo.lock_duration_ms = 300;
    wo.stalled_interval_ms = 100;
    start_worker(&f, &addr, &wo);
    run_until_finished(&f, 1, 5000);
    CHECK_EQ_INT(seen.calls, 1);
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:1 stc", f.name), "(nil)");
    CHECK(!strstr(tq_events(f.sync, f.name), "stalled"));
    teardown(&f);
}

TEST(stalled_job_is_recovered_and_completed_once)
{
    TQ_REQUIRE_VALKEY(addr);
    fixture_t f;
    setup(&f, &addr, "stalled");
    tq_add(&f.loop, f.q, "echo", NULL, NULL);
    take_as_dead_worker(&f, "1", 150);
    queue_worker_opts_t wo = worker_opts(&f);
    wo.stalled_interval_ms = 100;
    start_worker(&f, &addr, &wo);
    run_until_finished(&f, 1, 5000);
    tq_run_until(&f.loop, NULL, NULL, 300);
    CHECK_EQ_INT(f.completed, 1);
    CHECK_EQ_INT(seen.calls, 1);
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:1 stc", f.name), "1");
    CHECK(strstr(tq_events(f.sync, f.name), "waiting,stalled,active,completed"));
    teardown(&f);
}

TEST(job_stalled_too_often_fails)
{
    TQ_REQUIRE_VALKEY(addr);
    fixture_t f;
    setup(&f, &addr, "stallmax");
    tq_add(&f.loop, f.q, "echo", NULL, NULL);
    freeReplyObject(tq_cmd(f.sync, "HSET bull:%s:1 stc 1", f.name));
    take_as_dead_worker(&f, "1", 100);
    queue_worker_opts_t wo = worker_opts(&f);
    wo.stalled_interval_ms = 100;
    start_worker(&f, &addr, &wo);
    run_until_finished(&f, 1, 5000);
    CHECK_EQ_INT(f.failed, 1);
    CHECK_EQ_INT(seen.calls, 0);
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:1 failedReason", f.name),
                 "job stalled more than allowable limit");
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:1 defa", f.name), "(nil)");
    teardown(&f);
}

TEST(close_waits_for_running_jobs)
{
    TQ_REQUIRE_VALKEY(addr);
    fixture_t f;
    setup(&f, &addr, "close");
    seen.sleep_ms = 300;
    tq_add(&f.loop, f.q, "echo", NULL, NULL);
    tq_add(&f.loop, f.q, "echo", NULL, NULL);
    queue_worker_opts_t wo = worker_opts(&f);
    start_worker(&f, &addr, &wo);
    CHECK(tq_run_until(&f.loop, NULL, NULL, 100) == false);
    CHECK_EQ_INT(queue_worker_held(f.w), 1);
    close_worker(&f, 3000);
    CHECK_EQ_INT(f.abandoned, 0);
    CHECK_EQ_INT(f.completed, 1);
    /* The second job was never taken: it is still waiting. */
    CHECK_EQ_INT(tq_int(f.sync, "LLEN bull:%s:wait", f.name), 1);
    CHECK_EQ_INT(tq_int(f.sync, "LLEN bull:%s:active", f.name), 0);
    teardown(&f);
}

TEST(close_deadline_leaves_jobs_for_stalled_recovery)
{
    TQ_REQUIRE_VALKEY(addr);
    fixture_t f;
    setup(&f, &addr, "abandon");
    seen.sleep_ms = 1000;
    tq_add(&f.loop, f.q, "echo", NULL, NULL);
    queue_worker_opts_t wo = worker_opts(&f);
    wo.lock_duration_ms = 2000;
    /* The stalled-check key sets the cadence for every worker of the queue. */
    wo.stalled_interval_ms = 200;
    start_worker(&f, &addr, &wo);
    tq_run_until(&f.loop, NULL, NULL, 150);
    close_worker(&f, 100);
    CHECK_EQ_INT(f.abandoned, 1);
    CHECK_EQ_INT(tq_int(f.sync, "LLEN bull:%s:active", f.name), 1);
    CHECK_EQ_INT(tq_int(f.sync, "EXISTS bull:%s:1:lock", f.name), 1);
    /* A second worker recovers it once the lock has expired. */
    memset(seen.order, 0, sizeof seen.order);
    seen.sleep_ms = 0;
    start_worker(&f, &addr, &wo);
    run_until_finished(&f, 1, 8000);
    CHECK_EQ_INT(f.completed, 1);
    CHECK(strstr(tq_events(f.sync, f.name), "stalled"));
    teardown(&f);
}

TEST(close_of_an_idle_worker_is_immediate)
{
    TQ_REQUIRE_VALKEY(addr);
    fixture_t f;
    setup(&f, &addr, "idle");
    queue_worker_opts_t wo = worker_opts(&f);
    wo.drain_delay_ms = 5000;
    start_worker(&f, &addr, &wo);
    tq_run_until(&f.loop, NULL, NULL, 200); /* now blocked on the marker */
    int64_t t0 = queue_now_ms();
    close_worker(&f, 10000);
    CHECK(queue_now_ms() - t0 < 500);
    teardown(&f);
}

TEST(worker_waits_for_valkey_and_starts_when_it_comes)
{
    /* Valkey at a closed port: the worker keeps retrying and closes cleanly. */
    fixture_t f;
    memset(&f, 0, sizeof f);
    uv_loop_init(&f.loop);
    cache_valkey_addr_t addr = {.host = "127.0.0.1", .port = 1};
    f.name = "nowhere";
    queue_worker_opts_t wo = worker_opts(&f);
    start_worker(&f, &addr, &wo);
    tq_run_until(&f.loop, NULL, NULL, 300);
    CHECK_EQ_INT(queue_worker_held(f.w), 0);
    close_worker(&f, 1000);
    tq_finish_loop(&f.loop);
}
