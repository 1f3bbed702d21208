/* The worker fixture shared by the worker tests: test handlers (echo,
 * flaky, fatal, progress) that record what they saw, a loop with a producer
 * and a synchronous inspector, and helpers to start, run and close a
 * worker. Header-only; each test file is its own executable. */
#ifndef FACET_TEST_QUEUE_FIXTURE_H
#define FACET_TEST_QUEUE_FIXTURE_H

#include <pthread.h>

#include "queue/worker.h"
#include "test_queue_util.h"

/* What the handlers saw; they run on thread-pool threads. */
static struct {
    pthread_mutex_t mu;
    char order[1024]; /* job ids in the order handlers started */
    int running, max_running, calls;
    int fail_first; /* the "flaky" handler fails this many times */
    int sleep_ms;
} seen = {PTHREAD_MUTEX_INITIALIZER, "", 0, 0, 0, 0, 0};

static inline void note_start(queue_job_t *job)
{
    pthread_mutex_lock(&seen.mu);
    if (seen.order[0])
        strcat(seen.order, ",");
    strncat(seen.order, queue_job_id(job), 20);
    seen.calls++;
    if (++seen.running > seen.max_running)
        seen.max_running = seen.running;
    pthread_mutex_unlock(&seen.mu);
}

static inline void note_end(void)
{
    pthread_mutex_lock(&seen.mu);
    seen.running--;
    pthread_mutex_unlock(&seen.mu);
}

static inline int echo(queue_job_t *job, void *ud)
{
    (void)ud;
    note_start(job);
    if (seen.sleep_ms)
        usleep((useconds_t)seen.sleep_ms * 1000);
    queue_job_set_result(job, queue_job_data(job));
    note_end();
    return 0;
}

static inline int flaky(queue_job_t *job, void *ud)
{
    (void)ud;
    note_start(job);
    note_end();
    if (queue_job_attempts_made(job) < seen.fail_first) {
        queue_job_set_error(job, "flaky failure", false);
        return 1;
    }
    queue_job_set_result(job, "\"finally\"");
    return 0;
}

static inline int fatal(queue_job_t *job, void *ud)
{
    (void)ud;
    note_start(job);
    note_end();
    queue_job_set_error(job, "cannot ever work", true);
    return 1;
}

static inline int progress(queue_job_t *job, void *ud)
{
    (void)ud;
    note_start(job);
    queue_job_progress(job, "50");
    queue_job_progress(job, "{\"pct\":100}");
    note_end();
    return 0;
}

static const queue_handler_t handlers[] = {
    {"echo", echo, NULL},
    {"flaky", flaky, NULL},
    {"fatal", fatal, NULL},
    {"progress", progress, NULL},
};

typedef struct fixture {
    uv_loop_t loop;
    queue_conn_t *conn;
    queue_t *q;
    queue_worker_t *w;
    redisContext *sync;
    const char *name;
    int completed, failed, retrying, lost;
    bool closed;
    int abandoned;
} fixture_t;

static inline void on_event(queue_worker_t *w, const char *id, const char *name,
                            queue_job_outcome_t outcome, void *ud)
{
    fixture_t *f = ud;
    (void)w, (void)id, (void)name;
    if (outcome == QUEUE_JOB_COMPLETED)
        f->completed++;
    else if (outcome == QUEUE_JOB_FAILED)
        f->failed++;
    else if (outcome == QUEUE_JOB_RETRYING)
        f->retrying++;
    else
        f->lost++;
}

static inline void setup(fixture_t *f, const cache_valkey_addr_t *addr, const char *what)
{
    memset(f, 0, sizeof *f);
    uv_loop_init(&f->loop);
    f->conn = tq_conn(&f->loop, addr);
    f->name = tq_queue_name(what);
    CHECK_EQ_INT(queue_new(f->conn, NULL, f->name, &f->q), FACET_OK);
    f->sync = tq_sync(addr);
}

static inline queue_worker_opts_t worker_opts(fixture_t *f)
{
    return (queue_worker_opts_t){.queue = f->name,
                                 .name = "test-worker",
                                 .handlers = handlers,
                                 .nhandlers = sizeof handlers / sizeof handlers[0],
                                 .drain_delay_ms = 300,
                                 .on_event = on_event,
                                 .ud = f};
}

static inline void start_worker(fixture_t *f, const cache_valkey_addr_t *addr,
                                const queue_worker_opts_t *o)
{
    CHECK_EQ_INT(queue_worker_new(&f->loop, addr, o, &f->w), FACET_OK);
}

static inline void on_closed(queue_worker_t *w, int abandoned, void *ud)
{
    fixture_t *f = ud;
    (void)w;
    f->closed = true;
    f->abandoned = abandoned;
}

static inline bool is_closed(void *ud)
{
    return ((fixture_t *)ud)->closed;
}

static inline void close_worker(fixture_t *f, uint64_t deadline_ms)
{
    queue_worker_close(f->w, deadline_ms, on_closed, f);
    CHECK(tq_run_until(&f->loop, is_closed, f, deadline_ms + 5000));
    f->w = NULL;
}

static inline void teardown(fixture_t *f)
{
    if (f->w)
        close_worker(f, 5000);
    tq_cleanup(f->sync, f->name);
    redisFree(f->sync);
    queue_free(f->q);
    queue_conn_close(f->conn);
    tq_finish_loop(&f->loop);
}

static int want __attribute__((unused));
static inline bool finished_enough(void *ud)
{
    fixture_t *f = ud;
    return f->completed + f->failed >= want;
}

static inline void run_until_finished(fixture_t *f, int n, uint64_t timeout_ms)
{
    want = n;
    if (!tq_run_until(&f->loop, finished_enough, f, timeout_ms)) {
        fprintf(stderr, "only %d completed, %d failed of %d\n", f->completed, f->failed, n);
        exit(1);
    }
}

#endif
