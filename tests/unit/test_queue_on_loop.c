/* Tests of handlers run on the worker's loop (queue_worker_opts_t
 * handlers_on_loop) against Valkey: they run on the loop's thread, and
 * results, failures with retries, progress and concurrency behave as on the
 * thread pool. Needs VALKEY_URL; skipped without. */
#include "queue/worker.h"
#include "test.h"
#include "test_queue_fixture.h"

static pthread_t loop_thread;
static int off_loop; /* handler calls that ran on another thread */

static int on_loop_echo(queue_job_t *job, void *ud)
{
    if (!pthread_equal(pthread_self(), loop_thread))
        off_loop++;
    return echo(job, ud);
}

static const queue_handler_t loop_handlers[] = {
    {"echo", on_loop_echo, NULL},
    {"flaky", flaky, NULL},
    {"progress", progress, NULL},
};

static queue_worker_opts_t loop_opts(fixture_t *f, int concurrency)
{
    queue_worker_opts_t o = worker_opts(f);
    o.handlers = loop_handlers;
    o.nhandlers = sizeof loop_handlers / sizeof loop_handlers[0];
    o.concurrency = concurrency;
    o.handlers_on_loop = true;
    return o;
}

TEST(on_loop_handlers_run_on_the_loop_thread)
{
    TQ_REQUIRE_VALKEY(addr);
    fixture_t f;
    setup(&f, &addr, "onloop");
    loop_thread = pthread_self();
    for (int i = 0; i < 5; i++)
        tq_add(&f.loop, f.q, "echo", "{\"n\":1}", NULL);
    queue_worker_opts_t o = loop_opts(&f, 1);
    start_worker(&f, &addr, &o);
    run_until_finished(&f, 5, 5000);
    CHECK_EQ_INT(off_loop, 0);
    CHECK_EQ_INT(seen.max_running, 1);
    CHECK_EQ_STR(seen.order, "1,2,3,4,5");
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:5 returnvalue", f.name), "{\"n\":1}");
    CHECK_EQ_INT(tq_int(f.sync, "EXISTS bull:%s:5:lock", f.name), 0);
    CHECK_EQ_INT(tq_int(f.sync, "LLEN bull:%s:active", f.name), 0);
    queue_counts_t c = tq_counts(&f.loop, f.q);
    CHECK_EQ_INT(c.completed, 5);
    teardown(&f);
}

TEST(on_loop_retries_progress_and_concurrency)
{
    TQ_REQUIRE_VALKEY(addr);
    fixture_t f;
    setup(&f, &addr, "onloop-more");
    loop_thread = pthread_self();
    seen.fail_first = 1;
    queue_job_opts_t jo = {.attempts = 2, .backoff = QUEUE_BACKOFF_FIXED, .backoff_delay_ms = 50};
    tq_add(&f.loop, f.q, "flaky", NULL, &jo);     /* 1 */
    tq_add(&f.loop, f.q, "progress", NULL, NULL); /* 2 */
    for (int i = 0; i < 20; i++)
        tq_add(&f.loop, f.q, "echo", "{}", NULL);
    queue_worker_opts_t o = loop_opts(&f, 8);
    start_worker(&f, &addr, &o);
    run_until_finished(&f, 22, 5000);
    CHECK_EQ_INT(off_loop, 0);
    CHECK_EQ_INT(f.completed, 22);
    CHECK_EQ_INT(f.retrying, 1);
    CHECK_EQ_INT(seen.max_running, 1); /* one after another on the loop */
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:1 returnvalue", f.name), "\"finally\"");
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:1 atm", f.name), "2");
    CHECK_EQ_STR(tq_str(f.sync, "HGET bull:%s:2 progress", f.name), "{\"pct\":100}");
    CHECK(strstr(tq_events(f.sync, f.name), "progress,completed") != NULL);
    CHECK_EQ_INT(tq_int(f.sync, "LLEN bull:%s:active", f.name), 0);
    teardown(&f);
}
