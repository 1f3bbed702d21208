/* The worker's life cycle: its connections, the fetch loop (fetch while
 * slots are free, else block on the marker), lock renewal, the stalled-job
 * check, pause and resume, and the close with a deadline (see worker.h).
 * Running and finishing a job is in worker_job.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/log.h"
#include "queue/internal.h"
#include "queue/worker_internal.h"

#define MAX_BLOCK_MS      10000 /* BullMQ's ceiling: a longer BZPOPMIN risks a stale socket */
#define WATCHDOG_SLACK_MS 3000
#define MAX_RATE_WAIT_MS  30000
#define ERROR_RETRY_MS    1000

static void start_block(queue_worker_t *w);

static void log_worker(queue_worker_t *w, facet_log_level_t level, const char *msg, const char *key,
                       int64_t value)
{
    facet_log_line_t line;
    if (facet_log_begin(&line, level, msg)) {
        facet_log_cstr(&line, "queue", w->queue);
        if (key)
            facet_log_int(&line, key, value);
    }
    facet_log_end(&line);
}

int queue__worker_free_slots(const queue_worker_t *w)
{
    return w->concurrency - w->held - w->requested;
}

void queue__worker_unlink_job(queue_worker_t *w, queue_job_t *job)
{
    if (w->torn_down)
        return; /* teardown emptied the list */
    if (job->prev)
        job->prev->next = job->next;
    else
        w->jobs = job->next;
    if (job->next)
        job->next->prev = job->prev;
    job->prev = job->next = NULL;
    w->held--;
}

/* ---- fetching ---- */

static void on_wake(uv_timer_t *t)
{
    queue_worker_t *w = t->data;
    queue__worker_pump(w);
}

void queue__worker_note_reply(queue_worker_t *w, const redisReply *r, int requested, int got)
{
    if (requested == 0)
        return;
    int64_t ttl = queue__reply_int(queue__reply_at(r, 2), 0);
    int64_t next = queue__reply_int(queue__reply_at(r, 3), 0);
    if (got == 0 && ttl > 0) {
        /* Rate limited: try again when the window ends. */
        uv_timer_start(&w->wake, on_wake,
                       (uint64_t)(ttl < MAX_RATE_WAIT_MS ? ttl : MAX_RATE_WAIT_MS), 0);
    } else if (got < requested) {
        w->drained = true;
        w->block_until = got == 0 ? next : 0;
    } else {
        w->drained = false;
    }
}

static void on_fetch_reply(queue_conn_t *c, redisReply *r, void *ud)
{
    queue_worker_t *w = ud;
    (void)c;
    w->fetching = false;
    w->requested -= w->fetch_n;
    if (w->torn_down)
        return;
    if (r && r->type == REDIS_REPLY_ARRAY) {
        const redisReply *jobs = queue__reply_at(r, 1);
        int got = jobs && jobs->type == REDIS_REPLY_ARRAY ? (int)jobs->elements : 0;
        queue__worker_note_reply(w, r, w->fetch_n, got);
        queue__worker_take_jobs(w, jobs);
    } else if (r) {
        queue__log_reply_error("fetch", w->queue, r);
        uv_timer_start(&w->wake, on_wake, ERROR_RETRY_MS, 0);
    }                             /* no reply: the connection was lost and its return pumps again */
    queue__worker_maybe_close(w); /* a close may have waited for this fetch */
    queue__worker_pump(w);
}

static void send_fetch(queue_worker_t *w, int n)
{
    char num[16], seq[24], lock[24], lmax[16], ldur[24];
    snprintf(num, sizeof num, "%d", n);
    snprintf(seq, sizeof seq, "%llu", (unsigned long long)w->token_seq);
    snprintf(lock, sizeof lock, "%llu", (unsigned long long)w->lock_ms);
    snprintf(lmax, sizeof lmax, "%d", w->limiter_max);
    snprintf(ldur, sizeof ldur, "%llu", (unsigned long long)w->limiter_ms);
    const char *argv[] = {num,
                          w->token_base,
                          seq,
                          lock,
                          w->name ? w->name : "",
                          w->limiter_max ? lmax : "",
                          w->limiter_max ? ldur : ""};
    if (queue_conn_script(w->cmd, QUEUE__FETCH, &w->keys, queue_now_ms(), 7, argv, NULL,
                          on_fetch_reply, w) != FACET_OK)
        return;
    w->token_seq += (uint64_t)n;
    w->fetching = true;
    w->fetch_n = n;
    w->requested += n;
}

void queue__worker_pump(queue_worker_t *w)
{
    if (w->paused || w->closing || w->torn_down || !queue_conn_up(w->cmd))
        return;
    int free_slots = queue__worker_free_slots(w);
    if (free_slots <= 0 || w->fetching || uv_is_active((uv_handle_t *)&w->wake))
        return;
    if (w->drained)
        start_block(w);
    else
        send_fetch(w, free_slots);
}

/* ---- waiting on the marker ---- */

static void on_watchdog(uv_timer_t *t)
{
    queue_worker_t *w = t->data;
    /* The reply is long overdue: the socket is probably half-open. */
    if (w->blocking && w->blk)
        queue_conn_drop(w->blk, "blocking command overdue");
}

static void on_block_reply(queue_conn_t *c, redisReply *r, void *ud)
{
    queue_worker_t *w = ud;
    (void)c;
    w->blocking = false;
    if (w->torn_down)
        return;
    uv_timer_stop(&w->watchdog);
    if (!r)
        return; /* the blocking connection's return pumps again */
    if (r->type == REDIS_REPLY_ERROR) {
        queue__log_reply_error("BZPOPMIN", w->queue, r);
        w->drained = false;
        uv_timer_start(&w->wake, on_wake, ERROR_RETRY_MS, 0);
        return;
    }
    int64_t score = queue__reply_int(queue__reply_at(r, 2), 0);
    if (r->type == REDIS_REPLY_ARRAY && score > queue_now_ms()) {
        w->block_until = score; /* a delayed job's due time: sleep until then */
    } else {
        w->drained = false;
        w->block_until = 0;
    }
    queue__worker_pump(w);
}

static void start_block(queue_worker_t *w)
{
    if (w->blocking || !w->blk || !queue_conn_up(w->blk))
        return;
    uint64_t timeout = w->drain_ms;
    if (w->block_until > 0) {
        int64_t wait = w->block_until - queue_now_ms();
        if (wait <= 0) {
            w->drained = false;
            w->block_until = 0;
            queue__worker_pump(w);
            return;
        }
        timeout = (uint64_t)(wait < MAX_BLOCK_MS ? wait : MAX_BLOCK_MS);
    }
    char secs[32];
    snprintf(secs, sizeof secs, "%.3f", (double)timeout / 1000.0);
    const char *argv[] = {"BZPOPMIN", w->keys.key[QUEUE__K_MARKER], secs};
    if (queue_conn_command(w->blk, on_block_reply, w, 3, argv, NULL) != FACET_OK)
        return;
    w->blocking = true;
    uv_timer_start(&w->watchdog, on_watchdog, timeout + WATCHDOG_SLACK_MS, 0);
}

/* ---- lock renewal and stalled jobs ---- */

static void on_extend_reply(queue_conn_t *c, redisReply *r, void *ud)
{
    queue_worker_t *w = ud;
    (void)c;
    if (w->torn_down || !r)
        return;
    if (r->type != REDIS_REPLY_ARRAY) {
        queue__log_reply_error("extend locks", w->queue, r);
        return;
    }
    for (size_t i = 0; i < r->elements; i++) {
        const redisReply *id = r->element[i];
        for (queue_job_t *j = w->jobs; j && id->type == REDIS_REPLY_STRING; j = j->next) {
            if (strlen(j->id) != id->len || memcmp(j->id, id->str, id->len) != 0)
                continue;
            atomic_store(&j->stop, true);
            if (!j->lock_lost_logged) {
                j->lock_lost_logged = true;
                facet_log_kv(FACET_LOG_WARN, "job lock lost", "job", j->id);
            }
        }
    }
}

static void on_renew(uv_timer_t *t)
{
    queue_worker_t *w = t->data;
    if (w->held == 0 || !queue_conn_up(w->cmd))
        return;
    size_t n = 1 + 2 * (size_t)w->held, i = 0;
    const char **argv = malloc(sizeof *argv * n);
    if (!argv)
        return;
    char lock[24];
    snprintf(lock, sizeof lock, "%llu", (unsigned long long)w->lock_ms);
    argv[i++] = lock;
    for (queue_job_t *j = w->jobs; j; j = j->next) {
        argv[i++] = j->id;
        argv[i++] = j->token;
    }
    queue_conn_script(w->cmd, QUEUE__EXTEND, &w->keys, queue_now_ms(), (int)i, argv, NULL,
                      on_extend_reply, w);
    free(argv);
}

static void on_stalled_reply(queue_conn_t *c, redisReply *r, void *ud)
{
    queue_worker_t *w = ud;
    (void)c;
    if (w->torn_down || !r)
        return;
    if (r->type != REDIS_REPLY_ARRAY)
        queue__log_reply_error("stalled check", w->queue, r);
    else if (r->elements > 0)
        log_worker(w, FACET_LOG_WARN, "stalled jobs recovered", "jobs", (int64_t)r->elements);
}

static void run_stalled_check(queue_worker_t *w)
{
    char max[16], interval[24];
    snprintf(max, sizeof max, "%d", w->max_stalled);
    snprintf(interval, sizeof interval, "%llu", (unsigned long long)w->stalled_ms);
    const char *argv[] = {max, interval};
    queue_conn_script(w->cmd, QUEUE__STALLED, &w->keys, queue_now_ms(), 2, argv, NULL,
                      on_stalled_reply, w);
}

static void on_stalled_timer(uv_timer_t *t)
{
    queue_worker_t *w = t->data;
    if (!w->closing && queue_conn_up(w->cmd))
        run_stalled_check(w);
}

/* ---- finishes waiting for Valkey ---- */

static void on_retry(uv_timer_t *t)
{
    queue_worker_t *w = t->data;
    if (queue_conn_up(w->cmd))
        queue__worker_flush_finishes(w); /* else the reconnect resends */
}

void queue__worker_schedule_retry(queue_worker_t *w)
{
    if (!w->torn_down && !uv_is_active((uv_handle_t *)&w->retry))
        uv_timer_start(&w->retry, on_retry, ERROR_RETRY_MS, 0);
}

static void on_cmd_state(queue_conn_t *c, bool up, void *ud)
{
    queue_worker_t *w = ud;
    (void)c;
    if (!up || w->torn_down)
        return;
    queue__worker_flush_finishes(w);
    if (!w->closing)
        run_stalled_check(w);
    queue__worker_pump(w);
}

static void on_blk_state(queue_conn_t *c, bool up, void *ud)
{
    (void)c;
    if (up)
        queue__worker_pump(ud);
}

static void on_progress_async(uv_async_t *a)
{
    queue__worker_flush_progress(a->data);
}

/* ---- creation ---- */

static int copy_opts(queue_worker_t *w, const queue_worker_opts_t *o)
{
    w->concurrency = o->concurrency > 0 ? o->concurrency : 1;
    w->lock_ms = o->lock_duration_ms ? o->lock_duration_ms : 30000;
    w->stalled_ms = o->stalled_interval_ms ? o->stalled_interval_ms : 30000;
    w->max_stalled = o->max_stalled_count > 0   ? o->max_stalled_count
                     : o->max_stalled_count < 0 ? 0
                                                : 1;
    w->drain_ms = o->drain_delay_ms ? o->drain_delay_ms : 5000;
    w->limiter_max = o->limiter_max > 0 ? o->limiter_max : 0;
    w->limiter_ms = o->limiter_duration_ms ? o->limiter_duration_ms : 1000;
    w->handlers = o->handlers;
    w->nhandlers = o->nhandlers;
    w->on_event = o->on_event;
    w->on_loop = o->handlers_on_loop;
    w->ud = o->ud;
    facet_buf_t b;
    const queue_keep_t *keeps[2] = {&o->remove_on_complete, &o->remove_on_fail};
    char *dst[2] = {w->keep_completed, w->keep_failed};
    for (int i = 0; i < 2; i++) {
        facet_buf_init(&b, 90);
        if (keeps[i]->mode != QUEUE_KEEP_UNSET && queue__keep_json(&b, keeps[i]) == FACET_OK)
            snprintf(dst[i], 96, "%.*s", (int)b.len, b.base);
        facet_buf_free(&b);
    }
    w->queue = strdup(o->queue);
    w->name = o->name ? strdup(o->name) : NULL;
    if (!w->queue || (o->name && !w->name))
        return FACET_ENOMEM;
    return queue__keys_init(&w->keys, o->prefix ? o->prefix : "bull", o->queue);
}

static void make_worker_id(queue_worker_t *w)
{
    unsigned char rnd[8] = {0};
    uv_random(NULL, NULL, rnd, sizeof rnd, 0, NULL);
    char *p = w->token_base;
    for (size_t i = 0; i < sizeof rnd; i++)
        p += sprintf(p, "%02x", rnd[i]);
    strcpy(p, ":");
}

static void free_worker(queue_worker_t *w)
{
    queue__keys_free(&w->keys);
    free(w->queue);
    free(w->name);
    uv_mutex_destroy(&w->mu);
    free(w);
}

static void init_handles(queue_worker_t *w)
{
    uv_timer_t *timers[] = {&w->renew,    &w->stalled,        &w->wake,
                            &w->watchdog, &w->close_deadline, &w->retry};
    for (size_t i = 0; i < sizeof timers / sizeof timers[0]; i++) {
        uv_timer_init(w->loop, timers[i]);
        timers[i]->data = w;
        w->open_handles++;
    }
    uv_async_init(w->loop, &w->progress_async, on_progress_async);
    w->progress_async.data = w;
    uv_check_init(w->loop, &w->flush);
    w->flush.data = w;
    w->open_handles += 2;
}

int queue_worker_new(uv_loop_t *loop, const cache_valkey_addr_t *addr,
                     const queue_worker_opts_t *opts, queue_worker_t **out)
{
    if (!opts || !opts->queue || (opts->nhandlers && !opts->handlers))
        return FACET_EINVAL;
    queue_worker_t *w = calloc(1, sizeof *w);
    if (!w || uv_mutex_init(&w->mu) != 0) {
        free(w);
        return FACET_ENOMEM;
    }
    w->loop = loop;
    int rc = copy_opts(w, opts);
    if (rc != FACET_OK) {
        free_worker(w);
        return rc;
    }
    make_worker_id(w);
    init_handles(w);
    char label[64];
    snprintf(label, sizeof label, "queue %.40s", w->queue);
    queue_conn_new(loop, addr, label, on_cmd_state, w, &w->cmd);
    snprintf(label, sizeof label, "queue %.40s (blocking)", w->queue);
    queue_conn_new(loop, addr, label, on_blk_state, w, &w->blk);
    uv_timer_start(&w->renew, on_renew, w->lock_ms / 2, w->lock_ms / 2);
    uv_timer_start(&w->stalled, on_stalled_timer, w->stalled_ms, w->stalled_ms);
    *out = w;
    return FACET_OK;
}

/* ---- pause, resume ---- */

void queue_worker_pause(queue_worker_t *w)
{
    w->paused = true;
}

void queue_worker_resume(queue_worker_t *w)
{
    if (!w->paused)
        return;
    w->paused = false;
    queue__worker_pump(w);
}

int queue_worker_held(const queue_worker_t *w)
{
    return w->held;
}

/* ---- closing ---- */

static void maybe_free(queue_worker_t *w)
{
    if (!w->torn_down || w->open_handles > 0 || w->working > 0)
        return;
    free_worker(w);
}

static void on_handle_closed(uv_handle_t *h)
{
    queue_worker_t *w = h->data;
    if (--w->open_handles > 0)
        return;
    queue_worker_closed_cb cb = w->closed_cb;
    w->closed_cb = NULL;
    if (cb)
        cb(w, w->abandoned, w->closed_ud);
    maybe_free(w);
}

/* Disconnects and closes the handles. Jobs still running are abandoned: the
 * work callback frees them when their handler returns. */
static void teardown(queue_worker_t *w)
{
    uv_mutex_lock(&w->mu);
    w->torn_down = true;
    for (queue_job_t *p = w->progress_head, *next; p; p = next) {
        next = p->progress_next;
        free(p->progress);
        p->progress = NULL;
        p->progress_listed = false;
    }
    w->progress_head = NULL;
    uv_mutex_unlock(&w->mu);
    queue_job_t *j = w->jobs;
    w->jobs = NULL;
    while (j) {
        queue_job_t *next = j->next;
        atomic_store(&j->stop, true);
        j->prev = j->next = NULL;
        if (j->state == JOB_RUNNING)
            w->abandoned++;
        else if (j->state != JOB_FINISHING)
            queue__worker_free_job(j); /* FINISHING ones are freed by their reply */
        j = next;
    }
    if (w->abandoned)
        log_worker(w, FACET_LOG_WARN, "jobs left for stalled recovery", "jobs", w->abandoned);
    queue_conn_close(w->blk);
    queue_conn_close(w->cmd);
    w->blk = w->cmd = NULL;
    uv_timer_t *timers[] = {&w->renew,    &w->stalled,        &w->wake,
                            &w->watchdog, &w->close_deadline, &w->retry};
    for (size_t i = 0; i < sizeof timers / sizeof timers[0]; i++)
        uv_close((uv_handle_t *)timers[i], on_handle_closed);
    uv_close((uv_handle_t *)&w->progress_async, on_handle_closed);
    uv_close((uv_handle_t *)&w->flush, on_handle_closed);
}

void queue__worker_maybe_close(queue_worker_t *w)
{
    if (w->closing && !w->torn_down && w->held == 0 && !w->fetching)
        teardown(w);
}

static void on_close_deadline(uv_timer_t *t)
{
    queue_worker_t *w = t->data;
    if (!w->torn_down)
        teardown(w);
}

void queue_worker_close(queue_worker_t *w, uint64_t deadline_ms, queue_worker_closed_cb cb,
                        void *ud)
{
    if (!w || w->closing)
        return;
    w->closing = true;
    w->closed_cb = cb;
    w->closed_ud = ud;
    uv_timer_stop(&w->stalled);
    uv_timer_stop(&w->wake);
    /* Nothing more will be fetched: stop waiting on the marker. */
    queue_conn_t *blk = w->blk;
    w->blk = NULL;
    queue_conn_close(blk);
    if (w->held == 0 && !w->fetching)
        teardown(w);
    else
        uv_timer_start(&w->close_deadline, on_close_deadline, deadline_ms, 0);
}

/* Called by worker_job.c when an abandoned handler returns. */
void queue__worker_work_done(queue_worker_t *w)
{
    w->working--;
    maybe_free(w);
}
