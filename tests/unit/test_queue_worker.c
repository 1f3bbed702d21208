/* Tests of the worker (queue/worker.h) against Valkey: processing, ordering,
 * retries and backoff, removal policies, progress, pause, concurrency and
 * limits. Needs VALKEY_URL; skipped without. */
#include "queue/worker.h"
#include "test.h"
#include "test_queue_fixture.h"

TEST(processes_jobs_and_writes_bullmq_results)
{
    TQ_REQUIRE_VALKEY(addr);
    fixture_t f;
    setup(&f, &addr, "basic");
    tq_add(&f.loop, f.q, "echo", "{\"n\":1}", NULL);
    tq_add(&f.loop, f.q, "echo", "{\"n\":2}", NULL);
    queue_worker_opts_t o = worker_opts(&f);
    start_worker(&f, &addr, &o);
    run_until_finished(&f, 2, 5000);
    CHECK_EQ_STR(seen.order, "1,2");
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:1 returnvalue", f.name), "{\"n\":1}");
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:1 atm", f.name), "1");
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:1 ats", f.name), "1");
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:1 pb", f.name), "test-worker");
    long long processed = tq_int(f.sync, "HGET bull:%s:1 processedOn", f.name);
    long long finished = tq_int(f.sync, "HGET bull:%s:1 finishedOn", f.name);
    CHECK(processed > 0 && finished >= processed);
    CHECK_EQ_INT(tq_int(f.sync, "ZSCORE bull:%s:completed 1", f.name), finished);
    CHECK_EQ_INT(tq_int(f.sync, "EXISTS bull:%s:1:lock", f.name), 0);
    CHECK_EQ_INT(tq_int(f.sync, "LLEN bull:%s:active", f.name), 0);
    CHECK_EQ_STR(tq_events(f.sync, f.name),
                 "added,waiting,added,waiting,active,completed,active,completed,drained");
    queue_counts_t c = tq_counts(&f.loop, f.q);
    CHECK_EQ_INT(c.completed, 2);
    CHECK_EQ_INT(c.waiting + c.active, 0);
    teardown(&f);
}

TEST(order_fifo_lifo_priority_delay)
{
    TQ_REQUIRE_VALKEY(addr);
    fixture_t f;
    setup(&f, &addr, "order");
    queue_job_opts_t o = {0};
    tq_add(&f.loop, f.q, "echo", NULL, NULL); /* 1 */
    tq_add(&f.loop, f.q, "echo", NULL, NULL); /* 2 */
    o.lifo = true;
    tq_add(&f.loop, f.q, "echo", NULL, &o); /* 3: before 1 and 2 */
    o = (queue_job_opts_t){.priority = 2};
    tq_add(&f.loop, f.q, "echo", NULL, &o); /* 4: after every unprioritized job */
    o.priority = 1;
    tq_add(&f.loop, f.q, "echo", NULL, &o); /* 5: before 4 */
    o = (queue_job_opts_t){.delay_ms = 600};
    tq_add(&f.loop, f.q, "echo", NULL, &o); /* 6: last */
    o.delay_ms = 300;
    tq_add(&f.loop, f.q, "echo", NULL, &o); /* 7: before 6 */
    queue_worker_opts_t wo = worker_opts(&f);
    start_worker(&f, &addr, &wo);
    run_until_finished(&f, 7, 5000);
    CHECK_EQ_STR(seen.order, "3,1,2,5,4,7,6");
    teardown(&f);
}

TEST(retries_with_fixed_backoff_then_completes)
{
    TQ_REQUIRE_VALKEY(addr);
    fixture_t f;
    setup(&f, &addr, "retry");
    seen.fail_first = 2;
    queue_job_opts_t o = {.attempts = 3, .backoff = QUEUE_BACKOFF_FIXED, .backoff_delay_ms = 150};
    tq_add(&f.loop, f.q, "flaky", NULL, &o);
    queue_worker_opts_t wo = worker_opts(&f);
    start_worker(&f, &addr, &wo);
    int64_t t0 = queue_now_ms();
    run_until_finished(&f, 1, 5000);
    CHECK(queue_now_ms() - t0 >= 300); /* two waits of 150 ms */
    CHECK_EQ_INT(f.retrying, 2);
    CHECK_EQ_INT(seen.calls, 3);
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:1 atm", f.name), "3");
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:1 returnvalue", f.name), "\"finally\"");
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:1 stacktrace", f.name),
                 "[\"flaky failure\",\"flaky failure\"]");
    CHECK(strstr(tq_events(f.sync, f.name), "active,delayed,waiting,active,delayed,waiting,active,"
                                            "completed"));
    teardown(&f);
}

TEST(exhausted_retries_fail_with_exponential_backoff)
{
    TQ_REQUIRE_VALKEY(addr);
    fixture_t f;
    setup(&f, &addr, "exhaust");
    seen.fail_first = 100;
    queue_job_opts_t o = {
        .attempts = 3, .backoff = QUEUE_BACKOFF_EXPONENTIAL, .backoff_delay_ms = 100};
    tq_add(&f.loop, f.q, "flaky", NULL, &o);
    queue_worker_opts_t wo = worker_opts(&f);
    start_worker(&f, &addr, &wo);
    int64_t t0 = queue_now_ms();
    run_until_finished(&f, 1, 5000);
    CHECK(queue_now_ms() - t0 >= 300); /* 100 then 200 ms */
    CHECK_EQ_INT(f.failed, 1);
    CHECK_EQ_INT(seen.calls, 3);
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:1 failedReason", f.name), "flaky failure");
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:1 atm", f.name), "3");
    CHECK(tq_int(f.sync, "ZSCORE bull:%s:failed 1", f.name) > 0);
    const char *ev = tq_events(f.sync, f.name);
    CHECK(strstr(ev, "active,failed,retries-exhausted"));
    teardown(&f);
}

TEST(unrecoverable_and_unknown_jobs_fail_at_once)
{
    TQ_REQUIRE_VALKEY(addr);
    fixture_t f;
    setup(&f, &addr, "fatal");
    queue_job_opts_t o = {.attempts = 5};
    tq_add(&f.loop, f.q, "fatal", NULL, &o);
    tq_add(&f.loop, f.q, "nobody-handles-this", NULL, &o);
    queue_worker_opts_t wo = worker_opts(&f);
    start_worker(&f, &addr, &wo);
    run_until_finished(&f, 2, 5000);
    CHECK_EQ_INT(f.failed, 2);
    CHECK_EQ_INT(seen.calls, 1);
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:1 failedReason", f.name), "cannot ever work");
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:2 failedReason", f.name),
                 "no handler for job name 'nobody-handles-this'");
    teardown(&f);
}

TEST(remove_on_complete_and_fail)
{
    TQ_REQUIRE_VALKEY(addr);
    fixture_t f;
    setup(&f, &addr, "remove");
    queue_job_opts_t keep2 = {.remove_on_complete = {QUEUE_KEEP_LIMIT, 2, 0}};
    for (int i = 0; i < 5; i++)
        tq_add(&f.loop, f.q, "echo", NULL, &keep2);
    queue_job_opts_t gone = {.remove_on_complete = {QUEUE_KEEP_NONE, 0, 0}};
    tq_add(&f.loop, f.q, "echo", NULL, &gone); /* 6 */
    tq_add(&f.loop, f.q, "fatal", NULL, NULL); /* 7: worker default removes it */
    queue_worker_opts_t wo = worker_opts(&f);
    wo.remove_on_fail = (queue_keep_t){QUEUE_KEEP_NONE, 0, 0};
    start_worker(&f, &addr, &wo);
    run_until_finished(&f, 7, 5000);
    CHECK_EQ_INT(tq_int(f.sync, "ZCARD bull:%s:completed", f.name), 2);
    CHECK_EQ_INT(tq_int(f.sync, "EXISTS bull:%s:1", f.name), 0);
    CHECK_EQ_INT(tq_int(f.sync, "EXISTS bull:%s:5", f.name), 1);
    CHECK_EQ_INT(tq_int(f.sync, "EXISTS bull:%s:6", f.name), 0);
    CHECK_EQ_INT(tq_int(f.sync, "EXISTS bull:%s:7", f.name), 0);
    CHECK_EQ_INT(tq_int(f.sync, "ZCARD bull:%s:failed", f.name), 0);
    /* By age: jobs finished more than 1 s ago go when the next one finishes. */
    freeReplyObject(tq_cmd(f.sync, "ZADD bull:%s:completed 1000 old", f.name));
    freeReplyObject(tq_cmd(f.sync, "HSET bull:%s:old name x", f.name));
    queue_job_opts_t young = {.remove_on_complete = {QUEUE_KEEP_LIMIT, 0, 1}};
    tq_add(&f.loop, f.q, "echo", NULL, &young);
    run_until_finished(&f, 8, 5000);
    CHECK_EQ_INT(tq_int(f.sync, "EXISTS bull:%s:old", f.name), 0);
    CHECK_EQ_INT(tq_int(f.sync, "ZSCORE bull:%s:completed old", f.name), -1);
    teardown(&f);
}

TEST(progress_is_written_before_completion)
{
    TQ_REQUIRE_VALKEY(addr);
    fixture_t f;
    setup(&f, &addr, "progress");
    tq_add(&f.loop, f.q, "progress", NULL, NULL);
    queue_worker_opts_t wo = worker_opts(&f);
    start_worker(&f, &addr, &wo);
    run_until_finished(&f, 1, 5000);
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:1 progress", f.name), "{\"pct\":100}");
    CHECK(strstr(tq_events(f.sync, f.name), "active,progress,completed") ||
          strstr(tq_events(f.sync, f.name), "active,progress,progress,completed"));
    teardown(&f);
}

TEST(concurrency_runs_jobs_in_parallel)
{
    TQ_REQUIRE_VALKEY(addr);
    fixture_t f;
    setup(&f, &addr, "conc");
    seen.sleep_ms = 150;
    for (int i = 0; i < 8; i++)
        tq_add(&f.loop, f.q, "echo", NULL, NULL);
    queue_worker_opts_t wo = worker_opts(&f);
    wo.concurrency = 4;
    start_worker(&f, &addr, &wo);
    int64_t t0 = queue_now_ms();
    run_until_finished(&f, 8, 5000);
    CHECK(queue_now_ms() - t0 < 1000);
    CHECK_EQ_INT(seen.max_running, 4);
    teardown(&f);
}

TEST(global_concurrency_limits_all_workers)
{
    TQ_REQUIRE_VALKEY(addr);
    fixture_t f;
    setup(&f, &addr, "global");
    seen.sleep_ms = 50;
    tq_result_t r = {0};
    CHECK_EQ_INT(queue_set_global_concurrency(f.q, 1, tq_on_done, &r), FACET_OK);
    CHECK(tq_run_until(&f.loop, tq_result_done, &r, 5000));
    for (int i = 0; i < 6; i++)
        tq_add(&f.loop, f.q, "echo", NULL, NULL);
    queue_worker_opts_t wo = worker_opts(&f);
    wo.concurrency = 4;
    wo.drain_delay_ms = 100;
    start_worker(&f, &addr, &wo);
    run_until_finished(&f, 6, 10000);
    CHECK_EQ_INT(seen.max_running, 1);
    teardown(&f);
}

TEST(queue_pause_stops_workers_until_resumed)
{
    TQ_REQUIRE_VALKEY(addr);
    fixture_t f;
    setup(&f, &addr, "qpause");
    tq_result_t r = {0};
    CHECK_EQ_INT(queue_pause(f.q, true, tq_on_done, &r), FACET_OK);
    CHECK(tq_run_until(&f.loop, tq_result_done, &r, 5000));
    tq_add(&f.loop, f.q, "echo", NULL, NULL);
    queue_worker_opts_t wo = worker_opts(&f);
    start_worker(&f, &addr, &wo);
    tq_run_until(&f.loop, NULL, NULL, 500);
    CHECK_EQ_INT(f.completed, 0);
    CHECK_EQ_INT(tq_counts(&f.loop, f.q).waiting, 1);
    r = (tq_result_t){0};
    CHECK_EQ_INT(queue_pause(f.q, false, tq_on_done, &r), FACET_OK);
    run_until_finished(&f, 1, 5000);
    /* The worker's own pause. */
    queue_worker_pause(f.w);
    tq_add(&f.loop, f.q, "echo", NULL, NULL);
    tq_run_until(&f.loop, NULL, NULL, 400);
    CHECK_EQ_INT(f.completed, 1);
    queue_worker_resume(f.w);
    run_until_finished(&f, 2, 5000);
    teardown(&f);
}

TEST(rate_limit_from_meta)
{
    TQ_REQUIRE_VALKEY(addr);
    fixture_t f;
    setup(&f, &addr, "rate");
    tq_result_t r = {0};
    CHECK_EQ_INT(queue_set_global_rate_limit(f.q, 2, 400, tq_on_done, &r), FACET_OK);
    CHECK(tq_run_until(&f.loop, tq_result_done, &r, 5000));
    for (int i = 0; i < 6; i++)
        tq_add(&f.loop, f.q, "echo", NULL, NULL);
    queue_worker_opts_t wo = worker_opts(&f);
    wo.concurrency = 6;
    start_worker(&f, &addr, &wo);
    int64_t t0 = queue_now_ms();
    run_until_finished(&f, 6, 5000);
    CHECK(queue_now_ms() - t0 >= 750); /* three windows of 400 ms */
    teardown(&f);
}
