/* queue_tool: drives Facet's queue from the end-to-end tests, which check it
 * against Node BullMQ on the same Valkey (VALKEY_URL). Tests only.
 *
 *   queue_tool work QUEUE [--concurrency N] [--lock-ms N] [--stalled-ms N]
 *              [--max-stalled N] [--drain-ms N] [--name NAME] [--exit-after N]
 *              [--close-ms N]
 *   queue_tool add QUEUE NAME DATA [--id ID] [--delay MS] [--priority N] [--lifo]
 *              [--attempts N] [--backoff fixed:MS|exponential:MS]
 *              [--remove-on-complete KEEP] [--remove-on-fail KEEP] [--count N]
 *   queue_tool scheduler QUEUE ID NAME DATA (--every MS | --pattern P) [--tz TZ]
 *              [--limit N]
 *   queue_tool unschedule QUEUE ID
 *   queue_tool counts QUEUE
 *   queue_tool pause|resume QUEUE
 *
 * KEEP is true, false, a count, or COUNT:AGE_S. `work` prints one JSON line
 * per job outcome on stdout ({"event":"completed","id":..,"name":..}) and
 * {"event":"ready"} once connected; logs go to stderr. It stops on SIGTERM or
 * SIGINT (closing with a deadline of --close-ms, default 5000) or after
 * --exit-after outcomes. `add` prints the job ids, one a line.
 *
 * Handlers (by job name; data is the job's JSON):
 *   echo      returns data
 *   noop      returns 0
 *   fail      fails with "boom"
 *   fatal     fails unrecoverably with "fatal"
 *   flaky     fails with "flaky" while attemptsMade < data.failures
 *   sleep     sleeps data.ms, then returns data
 *   progress  reports progress 50 then {"done":true}, returns "ok"
 *   record    appends "start <id>" and later "end <id>" to $QUEUE_TOOL_LOG,
 *             sleeping data.ms between them */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "core/error.h"
#include "core/log.h"
#include "queue/queue.h"
#include "queue/worker.h"

static cache_valkey_addr_t addr;

/* ---- handlers ---- */

/* A number field of the job's data, found by a plain text search (the data
 * of the tests is flat). */
static long data_number(queue_job_t *job, const char *field, long dflt)
{
    char key[64];
    snprintf(key, sizeof key, "\"%s\":", field);
    const char *p = strstr(queue_job_data(job), key);
    return p ? strtol(p + strlen(key), NULL, 10) : dflt;
}

static void sleep_ms(long ms)
{
    if (ms > 0)
        usleep((useconds_t)ms * 1000);
}

static int h_echo(queue_job_t *job, void *ud)
{
    (void)ud;
    return queue_job_set_result(job, queue_job_data(job));
}

static int h_noop(queue_job_t *job, void *ud)
{
    (void)ud;
    return queue_job_set_result(job, "0");
}

static int h_fail(queue_job_t *job, void *ud)
{
    (void)ud;
    queue_job_set_error(job, "boom", false);
    return 1;
}

static int h_fatal(queue_job_t *job, void *ud)
{
    (void)ud;
    queue_job_set_error(job, "fatal", true);
    return 1;
}

static int h_flaky(queue_job_t *job, void *ud)
{
    (void)ud;
    if (queue_job_attempts_made(job) < data_number(job, "failures", 0)) {
        queue_job_set_error(job, "flaky", false);
        return 1;
    }
    return queue_job_set_result(job, "\"recovered\"");
}

static int h_sleep(queue_job_t *job, void *ud)
{
    (void)ud;
    sleep_ms(data_number(job, "ms", 0));
    return queue_job_set_result(job, queue_job_data(job));
}

static int h_progress(queue_job_t *job, void *ud)
{
    (void)ud;
    queue_job_progress(job, "50");
    sleep_ms(50);
    queue_job_progress(job, "{\"done\":true}");
    return queue_job_set_result(job, "\"ok\"");
}

static void record(const char *what, queue_job_t *job)
{
    const char *path = getenv("QUEUE_TOOL_LOG");
    FILE *f = path ? fopen(path, "a") : NULL;
    if (f) {
        fprintf(f, "%s %s\n", what, queue_job_id(job));
        fclose(f);
    }
}

static int h_record(queue_job_t *job, void *ud)
{
    (void)ud;
    record("start", job);
    long ms = data_number(job, "ms", 0);
    for (long waited = 0; waited < ms && !queue_job_should_stop(job); waited += 10)
        sleep_ms(10);
    record("end", job);
    return queue_job_set_result(job, "\"recorded\"");
}

static const queue_handler_t handlers[] = {
    {"echo", h_echo, NULL},         {"noop", h_noop, NULL},     {"fail", h_fail, NULL},
    {"fatal", h_fatal, NULL},       {"flaky", h_flaky, NULL},   {"sleep", h_sleep, NULL},
    {"progress", h_progress, NULL}, {"record", h_record, NULL},
};

/* ---- options ---- */

static const char *opt(int argc, char **argv, const char *name)
{
    for (int i = 0; i < argc - 1; i++)
        if (strcmp(argv[i], name) == 0)
            return argv[i + 1];
    return NULL;
}

static bool flag(int argc, char **argv, const char *name)
{
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], name) == 0)
            return true;
    return false;
}

static long num(int argc, char **argv, const char *name, long dflt)
{
    const char *v = opt(argc, argv, name);
    return v ? strtol(v, NULL, 10) : dflt;
}

static queue_keep_t parse_keep(const char *v)
{
    if (!v)
        return (queue_keep_t){0};
    if (strcmp(v, "true") == 0)
        return (queue_keep_t){QUEUE_KEEP_NONE, 0, 0};
    if (strcmp(v, "false") == 0)
        return (queue_keep_t){QUEUE_KEEP_ALL, 0, 0};
    const char *colon = strchr(v, ':');
    return (queue_keep_t){QUEUE_KEEP_LIMIT, strtol(v, NULL, 10),
                          colon ? strtol(colon + 1, NULL, 10) : 0};
}

static void parse_job_opts(int argc, char **argv, queue_job_opts_t *o)
{
    o->job_id = opt(argc, argv, "--id");
    o->delay_ms = num(argc, argv, "--delay", 0);
    o->priority = (int)num(argc, argv, "--priority", 0);
    o->lifo = flag(argc, argv, "--lifo");
    o->attempts = (int)num(argc, argv, "--attempts", 0);
    const char *b = opt(argc, argv, "--backoff");
    if (b) {
        o->backoff = strncmp(b, "fixed", 5) == 0 ? QUEUE_BACKOFF_FIXED : QUEUE_BACKOFF_EXPONENTIAL;
        o->backoff_delay_ms = strchr(b, ':') ? strtol(strchr(b, ':') + 1, NULL, 10) : 0;
    }
    o->remove_on_complete = parse_keep(opt(argc, argv, "--remove-on-complete"));
    o->remove_on_fail = parse_keep(opt(argc, argv, "--remove-on-fail"));
}

/* ---- one-shot producer commands ---- */

typedef struct shot {
    uv_loop_t *loop;
    queue_conn_t *conn;
    queue_t *q;
    int pending, failures;
} shot_t;

static void shot_done(shot_t *s, int status)
{
    if (status != FACET_OK) {
        fprintf(stderr, "queue_tool: %s\n", facet_strerror(status));
        s->failures++;
    }
    if (--s->pending == 0) {
        queue_free(s->q);
        s->q = NULL;
        queue_conn_close(s->conn);
    }
}

static void on_added(int status, const char *id, void *ud)
{
    if (id)
        printf("%s\n", id);
    shot_done(ud, status);
}

static void on_done(int status, void *ud)
{
    shot_done(ud, status);
}

static void on_counts(int status, const queue_counts_t *c, void *ud)
{
    if (c)
        printf("{\"waiting\":%lld,\"active\":%lld,\"delayed\":%lld,\"prioritized\":%lld,"
               "\"completed\":%lld,\"failed\":%lld}\n",
               (long long)c->waiting, (long long)c->active, (long long)c->delayed,
               (long long)c->prioritized, (long long)c->completed, (long long)c->failed);
    shot_done(ud, status);
}

static int send_shot(shot_t *s, const char *cmd, int argc, char **argv)
{
    if (strcmp(cmd, "add") == 0) {
        if (argc < 3)
            return FACET_EINVAL;
        queue_job_opts_t o = {0};
        parse_job_opts(argc, argv, &o);
        long n = num(argc, argv, "--count", 1);
        for (long i = 0; i < n; i++, s->pending++)
            if (queue_add(s->q, argv[1], argv[2], &o, on_added, s) != FACET_OK)
                return FACET_EINVAL;
        return FACET_OK;
    }
    s->pending = 1;
    if (strcmp(cmd, "counts") == 0)
        return queue_counts(s->q, on_counts, s);
    if (strcmp(cmd, "pause") == 0 || strcmp(cmd, "resume") == 0)
        return queue_pause(s->q, strcmp(cmd, "pause") == 0, on_done, s);
    if (strcmp(cmd, "unschedule") == 0 && argc >= 2)
        return queue_remove_scheduler(s->q, argv[1], on_done, s);
    if (strcmp(cmd, "scheduler") == 0 && argc >= 4) {
        queue_scheduler_opts_t o = {.pattern = opt(argc, argv, "--pattern"),
                                    .every_ms = num(argc, argv, "--every", 0),
                                    .tz = opt(argc, argv, "--tz"),
                                    .limit = num(argc, argv, "--limit", 0)};
        return queue_upsert_scheduler(s->q, argv[1], argv[2], argv[3], &o, on_added, s);
    }
    return FACET_EINVAL;
}

static void on_shot_conn(queue_conn_t *c, bool up, void *ud)
{
    shot_t *s = ud;
    (void)c;
    if (!up || s->q)
        return;
    char **argv = s->loop->data;
    int argc = 0;
    while (argv[argc])
        argc++;
    if (queue_new(s->conn, NULL, argv[1], &s->q) != FACET_OK ||
        send_shot(s, argv[0], argc - 1, argv + 1) != FACET_OK) {
        fprintf(stderr, "queue_tool: bad arguments\n");
        s->failures++;
        s->pending = 1;
        shot_done(s, FACET_OK);
    }
}

static int run_shot(char **argv)
{
    uv_loop_t loop;
    uv_loop_init(&loop);
    loop.data = argv;
    shot_t s = {.loop = &loop};
    queue_conn_new(&loop, &addr, "queue_tool", on_shot_conn, &s, &s.conn);
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
    return s.failures ? 1 : 0;
}

/* ---- worker ---- */

typedef struct work {
    uv_loop_t loop;
    queue_worker_t *w;
    uv_signal_t sigterm, sigint;
    uv_timer_t ready;
    long exit_after, outcomes;
    uint64_t close_ms;
    bool closing;
} work_t;

static void on_closed(queue_worker_t *w, int abandoned, void *ud)
{
    work_t *k = ud;
    (void)w;
    printf("{\"event\":\"closed\",\"abandoned\":%d}\n", abandoned);
    fflush(stdout);
    uv_close((uv_handle_t *)&k->sigterm, NULL);
    uv_close((uv_handle_t *)&k->sigint, NULL);
    uv_close((uv_handle_t *)&k->ready, NULL);
}

static void start_close(work_t *k)
{
    if (k->closing)
        return;
    k->closing = true;
    queue_worker_close(k->w, k->close_ms, on_closed, k);
}

static void on_event(queue_worker_t *w, const char *id, const char *name,
                     queue_job_outcome_t outcome, void *ud)
{
    static const char *names[] = {"completed", "failed", "retrying", "lost"};
    work_t *k = ud;
    (void)w;
    printf("{\"event\":\"%s\",\"id\":\"%s\",\"name\":\"%s\"}\n", names[outcome], id, name);
    fflush(stdout);
    if (outcome != QUEUE_JOB_RETRYING && k->exit_after && ++k->outcomes >= k->exit_after)
        start_close(k);
}

static void on_signal(uv_signal_t *h, int signum)
{
    (void)signum;
    start_close(h->data);
}

/* The tool's own connection check tells the tests when Valkey is reachable. */
static void on_ready_conn(queue_conn_t *c, bool up, void *ud)
{
    if (up) {
        printf("{\"event\":\"ready\"}\n");
        fflush(stdout);
        queue_conn_close(c);
    }
    (void)ud;
}

static void on_ready_timer(uv_timer_t *t)
{
    queue_conn_t *c;
    queue_conn_new(t->loop, &addr, "queue_tool ready", on_ready_conn, NULL, &c);
}

static int run_worker(int argc, char **argv)
{
    static work_t k;
    uv_loop_init(&k.loop);
    k.exit_after = num(argc, argv, "--exit-after", 0);
    k.close_ms = (uint64_t)num(argc, argv, "--close-ms", 5000);
    queue_worker_opts_t o = {.queue = argv[1],
                             .name = opt(argc, argv, "--name"),
                             .concurrency = (int)num(argc, argv, "--concurrency", 1),
                             .lock_duration_ms = (uint64_t)num(argc, argv, "--lock-ms", 0),
                             .stalled_interval_ms = (uint64_t)num(argc, argv, "--stalled-ms", 0),
                             .max_stalled_count = (int)num(argc, argv, "--max-stalled", 0),
                             .drain_delay_ms = (uint64_t)num(argc, argv, "--drain-ms", 0),
                             .handlers = handlers,
                             .nhandlers = sizeof handlers / sizeof handlers[0],
                             .on_event = on_event,
                             .ud = &k};
    if (queue_worker_new(&k.loop, &addr, &o, &k.w) != FACET_OK)
        return 2;
    uv_signal_init(&k.loop, &k.sigterm);
    uv_signal_init(&k.loop, &k.sigint);
    uv_timer_init(&k.loop, &k.ready);
    k.sigterm.data = k.sigint.data = &k;
    uv_signal_start(&k.sigterm, on_signal, SIGTERM);
    uv_signal_start(&k.sigint, on_signal, SIGINT);
    uv_timer_start(&k.ready, on_ready_timer, 0, 0);
    uv_run(&k.loop, UV_RUN_DEFAULT);
    return uv_loop_close(&k.loop) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    facet_log_set_fd(2);
    const char *url = getenv("VALKEY_URL");
    char err[256];
    if (argc < 3 || !url || cache_valkey_parse_url(url, &addr, err, sizeof err) != FACET_OK) {
        fprintf(stderr, "usage: VALKEY_URL=redis://... queue_tool COMMAND QUEUE ...\n");
        return 2;
    }
    if (strcmp(argv[1], "work") == 0)
        return run_worker(argc - 1, argv + 1);
    return run_shot(argv + 1);
}
