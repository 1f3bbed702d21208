/* queue_bench: Facet's side of bench/queue.sh, the same workload as the
 * anchor ../shared/bench/bullmq-bench.mjs: add JOBS no-op jobs (removed on
 * completion), then process them with one worker of CONCURRENCY, and print
 * adds/s and processed/s as one JSON line.
 *
 *   VALKEY_URL=redis://... queue_bench JOBS CONCURRENCY [pool|loop]
 *
 * The no-op handler runs on the thread pool (pool, the default) or on the
 * worker's loop (loop: handlers_on_loop, the way BullMQ runs its processor on
 * Node's event loop).
 *
 * Adds are pipelined up to 1000 in flight, as BullMQ's addBulk sends them in
 * chunks of 1000. The queue is deleted at the end. */
#include <hiredis/hiredis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "core/error.h"
#include "core/log.h"
#include "queue/queue.h"
#include "queue/worker.h"

#define MAX_IN_FLIGHT 1000

typedef struct bench {
    uv_loop_t loop;
    cache_valkey_addr_t addr;
    char queue[64];
    queue_conn_t *conn;
    queue_t *q;
    queue_worker_t *w;
    long jobs, added, acked, processed;
    int concurrency;
    bool on_loop;
    int64_t t0, t_added, t_end;
} bench_t;

static int noop(queue_job_t *job, void *ud)
{
    (void)ud;
    return queue_job_set_result(job, "0");
}

static const queue_handler_t handlers[] = {{"noop", noop, NULL}};
static const queue_job_opts_t job_opts = {.remove_on_complete = {QUEUE_KEEP_NONE, 0, 0}};

static void on_closed(queue_worker_t *w, int abandoned, void *ud)
{
    bench_t *b = ud;
    (void)w, (void)abandoned;
    queue_free(b->q);
    queue_conn_close(b->conn);
}

static void on_event(queue_worker_t *w, const char *id, const char *name,
                     queue_job_outcome_t outcome, void *ud)
{
    bench_t *b = ud;
    (void)id, (void)name, (void)outcome;
    if (++b->processed == b->jobs) {
        b->t_end = queue_now_ms();
        queue_worker_close(w, 5000, on_closed, b);
    }
}

static void start_worker(bench_t *b)
{
    queue_worker_opts_t o = {.queue = b->queue,
                             .concurrency = b->concurrency,
                             .handlers = handlers,
                             .nhandlers = 1,
                             .on_event = on_event,
                             .ud = b,
                             .handlers_on_loop = b->on_loop};
    if (queue_worker_new(&b->loop, &b->addr, &o, &b->w) != FACET_OK) {
        fprintf(stderr, "queue_bench: cannot start the worker\n");
        exit(1);
    }
}

static void add_more(bench_t *b);

static void on_added(int status, const char *id, void *ud)
{
    bench_t *b = ud;
    (void)id;
    if (status != FACET_OK) {
        fprintf(stderr, "queue_bench: add failed: %s\n", facet_strerror(status));
        exit(1);
    }
    if (++b->acked == b->jobs) {
        b->t_added = queue_now_ms();
        start_worker(b);
    } else {
        add_more(b);
    }
}

static void add_more(bench_t *b)
{
    while (b->added < b->jobs && b->added - b->acked < MAX_IN_FLIGHT) {
        char data[32];
        snprintf(data, sizeof data, "{\"i\":%ld}", b->added);
        if (queue_add(b->q, "noop", data, &job_opts, on_added, b) != FACET_OK) {
            fprintf(stderr, "queue_bench: Valkey is not reachable\n");
            exit(1);
        }
        b->added++;
    }
}

static void on_conn(queue_conn_t *c, bool up, void *ud)
{
    bench_t *b = ud;
    (void)c;
    if (up && b->t0 == 0) {
        b->t0 = queue_now_ms();
        add_more(b);
    }
}

/* Deletes the queue's keys, as the anchor's obliterate does. */
static void delete_queue(const bench_t *b)
{
    redisContext *c = redisConnect(b->addr.host, b->addr.port);
    if (!c || c->err)
        return;
    if (b->addr.password[0])
        freeReplyObject(redisCommand(c, "AUTH %s", b->addr.password));
    redisReply *keys = redisCommand(c, "KEYS bull:%s:*", b->queue);
    for (size_t i = 0; keys && i < keys->elements; i++)
        freeReplyObject(redisCommand(c, "DEL %s", keys->element[i]->str));
    freeReplyObject(keys);
    redisFree(c);
}

int main(int argc, char **argv)
{
    static bench_t b;
    const char *url = getenv("VALKEY_URL");
    char err[256];
    bool on_loop = argc > 3 && strcmp(argv[3], "loop") == 0;
    if (argc < 3 || (argc > 3 && !on_loop && strcmp(argv[3], "pool") != 0) || !url ||
        cache_valkey_parse_url(url, &b.addr, err, sizeof err) != FACET_OK) {
        fprintf(stderr, "usage: VALKEY_URL=redis://... queue_bench JOBS CONCURRENCY [pool|loop]\n");
        return 2;
    }
    b.on_loop = on_loop;
    facet_log_set_fd(2);
    facet_log_set_level(FACET_LOG_WARN);
    b.jobs = strtol(argv[1], NULL, 10);
    b.concurrency = (int)strtol(argv[2], NULL, 10);
    if (b.jobs <= 0 || b.concurrency <= 0)
        return 2;
    snprintf(b.queue, sizeof b.queue, "bench-facet-%d", (int)getpid());
    uv_loop_init(&b.loop);
    queue_conn_new(&b.loop, &b.addr, "queue_bench", on_conn, &b, &b.conn);
    queue_new(b.conn, NULL, b.queue, &b.q);
    uv_run(&b.loop, UV_RUN_DEFAULT);
    uv_loop_close(&b.loop);
    delete_queue(&b);
    double add_s = (double)(b.t_added - b.t0) / 1000.0;
    double proc_s = (double)(b.t_end - b.t_added) / 1000.0;
    printf("{\"jobs\":%ld,\"concurrency\":%d,\"handler\":\"%s\",\"add_per_s\":%.0f,"
           "\"process_per_s\":%.0f}\n",
           b.jobs, b.concurrency, on_loop ? "loop" : "pool",
           (double)b.jobs / (add_s > 0 ? add_s : 0.001),
           (double)b.jobs / (proc_s > 0 ? proc_s : 0.001));
    return 0;
}
