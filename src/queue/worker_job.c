/* One job in a worker: taking it from a fetch reply, queueing a job
 * scheduler's next iteration, running its handler on the thread pool,
 * progress, and writing its outcome with the finish script (which also
 * fetches the next job in the same round trip). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/log.h"
#include "queue/internal.h"
#include "queue/worker_internal.h"

#define MAX_FINISH_TRIES 5
#define MAX_BATCH        64

/* Fields of a job in a fetch reply, in the order prepareJob returns them. */
enum { F_ID, F_NAME, F_DATA, F_ATM, F_DEFA, F_RJK, F_PATTERN, F_TZ, F_PREV, F_TOKEN, F_COUNT };

/* ---- handler side ---- */

const char *queue_job_id(const queue_job_t *job)
{
    return job->id;
}

const char *queue_job_name(const queue_job_t *job)
{
    return job->name;
}

const char *queue_job_data(const queue_job_t *job)
{
    return job->data;
}

size_t queue_job_data_len(const queue_job_t *job)
{
    return job->data_len;
}

int queue_job_attempts_made(const queue_job_t *job)
{
    return job->attempts_made;
}

int queue_job_set_result(queue_job_t *job, const char *json)
{
    char *copy = strdup(json ? json : "null");
    if (!copy)
        return FACET_ENOMEM;
    free(job->result);
    job->result = copy;
    return FACET_OK;
}

int queue_job_set_error(queue_job_t *job, const char *reason, bool unrecoverable)
{
    char *copy = strdup(reason ? reason : "job failed");
    if (!copy)
        return FACET_ENOMEM;
    free(job->error);
    job->error = copy;
    job->unrecoverable = unrecoverable;
    return FACET_OK;
}

bool queue_job_should_stop(const queue_job_t *job)
{
    return atomic_load(&((queue_job_t *)job)->stop);
}

int queue_job_progress(queue_job_t *job, const char *json)
{
    queue_worker_t *w = job->w;
    char *copy = strdup(json);
    if (!copy)
        return FACET_ENOMEM;
    uv_mutex_lock(&w->mu);
    if (w->torn_down) {
        uv_mutex_unlock(&w->mu);
        free(copy);
        return FACET_ECLOSED;
    }
    free(job->progress);
    job->progress = copy; /* only the latest value matters */
    if (!job->progress_listed) {
        job->progress_listed = true;
        job->progress_next = w->progress_head;
        w->progress_head = job;
    }
    uv_async_send(&w->progress_async);
    uv_mutex_unlock(&w->mu);
    return FACET_OK;
}

/* ---- loop side ---- */

void queue__worker_free_job(queue_job_t *job)
{
    free(job->id);
    free(job->name);
    free(job->data);
    free(job->token);
    free(job->result);
    free(job->error);
    free(job->progress);
    free(job);
}

static void on_log_reply(queue_conn_t *c, redisReply *r, void *ud)
{
    (void)c;
    if (r && r->type == REDIS_REPLY_ERROR)
        queue__log_reply_error(ud, "", r);
}

void queue__worker_flush_progress(queue_worker_t *w)
{
    uv_mutex_lock(&w->mu);
    queue_job_t *list = w->progress_head;
    w->progress_head = NULL;
    for (queue_job_t *j = list; j; j = j->progress_next)
        j->progress_listed = false;
    uv_mutex_unlock(&w->mu);
    for (queue_job_t *j = list, *next; j; j = next) {
        next = j->progress_next;
        uv_mutex_lock(&w->mu);
        char *text = j->progress;
        j->progress = NULL;
        uv_mutex_unlock(&w->mu);
        if (!text)
            continue;
        const char *argv[] = {j->id, text};
        queue_conn_script(w->cmd, QUEUE__PROGRESS, &w->keys, queue_now_ms(), 2, argv, NULL,
                          on_log_reply, "progress");
        free(text);
    }
}

static char *dup_field(const redisReply *r)
{
    return r && r->type == REDIS_REPLY_STRING ? strndup(r->str, r->len) : strdup("");
}

static queue_job_t *new_job(queue_worker_t *w, const redisReply *f)
{
    queue_job_t *job = calloc(1, sizeof *job);
    if (!job)
        return NULL;
    job->w = w;
    job->work.data = job;
    job->id = dup_field(f->element[F_ID]);
    job->name = dup_field(f->element[F_NAME]);
    job->data = dup_field(f->element[F_DATA]);
    job->token = dup_field(f->element[F_TOKEN]);
    job->attempts_made = (int)queue__reply_int(f->element[F_ATM], 0);
    atomic_init(&job->stop, false);
    if (!job->id || !job->name || !job->data || !job->token) {
        queue__worker_free_job(job);
        return NULL;
    }
    job->data_len = strlen(job->data);
    return job;
}

/* A job made by a job scheduler queues the scheduler's next iteration as it
 * starts, as BullMQ's worker does; for a cron pattern the time is computed
 * here, for "every" by the script. */
static void schedule_next_iteration(queue_worker_t *w, queue_job_t *job, const redisReply *f)
{
    char *rjk = dup_field(f->element[F_RJK]);
    char *pattern = dup_field(f->element[F_PATTERN]);
    char *tz = dup_field(f->element[F_TZ]);
    char next[24] = "";
    if (rjk && pattern && tz && pattern[0]) {
        int64_t now = queue_now_ms(), prev = queue__reply_int(f->element[F_PREV], 0), at;
        if (queue__cron_next(pattern, tz, prev > now ? prev : now, &at) == FACET_OK)
            snprintf(next, sizeof next, "%lld", (long long)at);
        else
            facet_log_kv(FACET_LOG_WARN, "job scheduler pattern unusable", "scheduler", rjk);
    }
    if (rjk && (next[0] || (pattern && !pattern[0]))) {
        const char *argv[] = {rjk, next, job->id};
        queue_conn_script(w->cmd, QUEUE__SCHED_NEXT, &w->keys, queue_now_ms(), 3, argv, NULL,
                          on_log_reply, "scheduler next");
    }
    free(rjk);
    free(pattern);
    free(tz);
}

static const queue_handler_t *find_handler(const queue_worker_t *w, const char *name)
{
    for (size_t i = 0; i < w->nhandlers; i++)
        if (strcmp(w->handlers[i].name, name) == 0)
            return &w->handlers[i];
    return NULL;
}

static void run_handler(uv_work_t *req)
{
    queue_job_t *job = req->data;
    int rc = job->handler->fn(job, job->handler->ud);
    if (rc != 0) {
        job->failed = true;
        if (!job->error)
            job->error = strdup("job failed");
    }
}

static void on_flush_check(uv_check_t *h)
{
    uv_check_stop(h);
    queue__worker_flush_finishes(h->data);
}

static void after_handler(uv_work_t *req, int status)
{
    queue_job_t *job = req->data;
    queue_worker_t *w = job->w;
    (void)status;
    if (w->torn_down) {
        /* Abandoned at the close deadline: stalled recovery takes it over. */
        queue__worker_free_job(job);
        queue__worker_work_done(w);
        return;
    }
    w->working--;
    queue__worker_flush_progress(w); /* progress is written before the outcome */
    queue__worker_finish_later(w, job);
}

/* Fails a job without running it: a deferred failure set by stalled
 * recovery, or a name with no handler. */
static void fail_now(queue_worker_t *w, queue_job_t *job, const char *reason)
{
    job->failed = true;
    job->unrecoverable = true;
    job->error = strdup(reason);
    queue__worker_finish_later(w, job);
}

static void start_job(queue_worker_t *w, queue_job_t *job, const redisReply *f)
{
    job->next = w->jobs;
    if (w->jobs)
        w->jobs->prev = job;
    w->jobs = job;
    w->held++;
    if (f->element[F_RJK]->type == REDIS_REPLY_STRING && f->element[F_RJK]->len > 0)
        schedule_next_iteration(w, job, f);
    const redisReply *defa = f->element[F_DEFA];
    if (defa->type == REDIS_REPLY_STRING && defa->len > 0) {
        char *reason = strndup(defa->str, defa->len);
        fail_now(w, job, reason ? reason : "job failed");
        free(reason);
        return;
    }
    job->handler = find_handler(w, job->name);
    if (!job->handler) {
        char reason[300];
        snprintf(reason, sizeof reason, "no handler for job name '%.200s'", job->name);
        fail_now(w, job, reason);
        return;
    }
    job->state = JOB_RUNNING;
    w->working++;
    if (w->on_loop) {
        /* Finished within this loop iteration: its outcome goes out with the
         * batch that the check phase sends. */
        run_handler(&job->work);
        after_handler(&job->work, 0);
        return;
    }
    if (uv_queue_work(w->loop, &job->work, run_handler, after_handler) != 0) {
        w->working--;
        fail_now(w, job, "could not start the handler");
    }
}

void queue__worker_take_jobs(queue_worker_t *w, const redisReply *jobs)
{
    if (!jobs || jobs->type != REDIS_REPLY_ARRAY)
        return;
    for (size_t i = 0; i < jobs->elements; i++) {
        const redisReply *f = jobs->element[i];
        if (w->torn_down) {
            /* Locked for us but never run: the lock expires and stalled
             * recovery gives it to another worker. */
            continue;
        }
        if (f->type != REDIS_REPLY_ARRAY || f->elements < F_COUNT)
            continue;
        queue_job_t *job = new_job(w, f);
        if (job)
            start_job(w, job, f);
        else
            facet_log_msg(FACET_LOG_ERROR, "out of memory taking a job");
    }
}

/* ---- finishing ---- */

/* Jobs whose outcomes share one finish script call. */
typedef struct batch {
    queue_worker_t *w;
    int count;
    int fetch_n; /* job slots the script may fill */
    queue_job_t *jobs[MAX_BATCH];
} batch_t;

static void emit(queue_worker_t *w, queue_job_t *job, queue_job_outcome_t outcome)
{
    if (w->on_event)
        w->on_event(w, job->id, job->name, outcome, w->ud);
}

static void log_lost(queue_worker_t *w, queue_job_t *job, int64_t code)
{
    facet_log_line_t line;
    if (facet_log_begin(&line, FACET_LOG_WARN, "job result not written")) {
        facet_log_cstr(&line, "queue", w->queue);
        facet_log_cstr(&line, "job", job->id);
        facet_log_cstr(&line, "reason",
                       code == -1   ? "job removed"
                       : code == -3 ? "job no longer active"
                       : code == -6 ? "lock held by another worker"
                                    : "error");
    }
    facet_log_end(&line);
}

static queue_job_outcome_t outcome_of(const queue_job_t *job, int64_t code)
{
    if (code == 1)
        return QUEUE_JOB_RETRYING;
    if (code < 0)
        return QUEUE_JOB_LOST;
    return job->failed ? QUEUE_JOB_FAILED : QUEUE_JOB_COMPLETED;
}

/* Valkey answered an error: try the batch's jobs again a few times, then
 * give up on them (their locks expire and stalled recovery runs them). */
static void batch_failed(queue_worker_t *w, batch_t *b, const redisReply *r)
{
    queue__log_reply_error("finish", w->queue, r);
    for (int i = 0; i < b->count; i++) {
        queue_job_t *job = b->jobs[i];
        if (++job->finish_tries < MAX_FINISH_TRIES) {
            job->state = JOB_RETRY;
            continue;
        }
        log_lost(w, job, 0);
        queue__worker_unlink_job(w, job);
        emit(w, job, QUEUE_JOB_LOST);
        queue__worker_free_job(job);
    }
    queue__worker_schedule_retry(w);
    queue__worker_maybe_close(w);
}

static void batch_done(queue_worker_t *w, batch_t *b, const redisReply *r)
{
    const redisReply *codes = queue__reply_at(r, 0);
    const redisReply *jobs = queue__reply_at(r, 1);
    int got = jobs && jobs->type == REDIS_REPLY_ARRAY ? (int)jobs->elements : 0;
    for (int i = 0; i < b->count; i++)
        queue__worker_unlink_job(w, b->jobs[i]);
    queue__worker_note_reply(w, r, b->fetch_n, got);
    queue__worker_take_jobs(w, jobs);
    for (int i = 0; i < b->count; i++) {
        queue_job_t *job = b->jobs[i];
        int64_t code = queue__reply_int(queue__reply_at(codes, (size_t)i), -100);
        if (code < 0)
            log_lost(w, job, code);
        emit(w, job, outcome_of(job, code));
        queue__worker_free_job(job);
    }
    queue__worker_maybe_close(w);
    queue__worker_pump(w);
}

static void on_batch_reply(queue_conn_t *c, redisReply *r, void *ud)
{
    batch_t *b = ud;
    queue_worker_t *w = b->w;
    (void)c;
    if (w->torn_down) {
        for (int i = 0; i < b->count; i++)
            queue__worker_free_job(b->jobs[i]); /* teardown unlinked them */
    } else {
        w->requested -= b->fetch_n;
        if (!r) {
            for (int i = 0; i < b->count; i++)
                b->jobs[i]->state = JOB_RETRY; /* resent when Valkey is back */
        } else if (r->type != REDIS_REPLY_ARRAY) {
            batch_failed(w, b, r);
        } else {
            batch_done(w, b, r);
        }
    }
    free(b);
}

void queue__worker_finish_later(queue_worker_t *w, queue_job_t *job)
{
    job->state = JOB_READY;
    if (!uv_is_active((uv_handle_t *)&w->flush))
        uv_check_start(&w->flush, on_flush_check);
}

/* The script's arguments for a batch: the fetch part, then six per job. */
static int batch_args(queue_worker_t *w, batch_t *b, const char **argv, char num[5][24])
{
    snprintf(num[0], 24, "%d", b->fetch_n);
    snprintf(num[1], 24, "%llu", (unsigned long long)w->token_seq);
    snprintf(num[2], 24, "%llu", (unsigned long long)w->lock_ms);
    snprintf(num[3], 24, "%d", w->limiter_max);
    snprintf(num[4], 24, "%llu", (unsigned long long)w->limiter_ms);
    int n = 0;
    argv[n++] = num[0];
    argv[n++] = w->token_base;
    argv[n++] = num[1];
    argv[n++] = num[2];
    argv[n++] = w->name ? w->name : "";
    argv[n++] = w->limiter_max ? num[3] : "";
    argv[n++] = w->limiter_max ? num[4] : "";
    argv[n++] = w->keep_completed;
    argv[n++] = w->keep_failed;
    for (int i = 0; i < b->count; i++) {
        queue_job_t *job = b->jobs[i];
        argv[n++] = job->id;
        argv[n++] = job->token;
        argv[n++] = job->failed ? "failed" : "completed";
        argv[n++] = job->failed ? job->error : job->result ? job->result : "null";
        argv[n++] = job->failed ? job->error : "";
        argv[n++] = job->unrecoverable ? "1" : "0";
    }
    return n;
}

static void send_batch(queue_worker_t *w, batch_t *b)
{
    int free_slots = queue__worker_free_slots(w) + b->count;
    b->fetch_n = w->paused || w->closing || free_slots < 0 ? 0 : free_slots;
    const char *argv[9 + 6 * MAX_BATCH];
    char num[5][24];
    int argc = batch_args(w, b, argv, num);
    if (queue_conn_script(w->cmd, QUEUE__FINISH, &w->keys, queue_now_ms(), argc, argv, NULL,
                          on_batch_reply, b) != FACET_OK) {
        for (int i = 0; i < b->count; i++)
            b->jobs[i]->state = JOB_RETRY;
        free(b);
        return;
    }
    for (int i = 0; i < b->count; i++)
        b->jobs[i]->state = JOB_FINISHING;
    w->requested += b->fetch_n;
    w->token_seq += (uint64_t)b->fetch_n;
}

void queue__worker_flush_finishes(queue_worker_t *w)
{
    batch_t *b = NULL;
    for (queue_job_t *j = w->jobs; j; j = j->next) {
        if (j->state != JOB_READY && j->state != JOB_RETRY)
            continue;
        if (!queue_conn_up(w->cmd)) {
            j->state = JOB_RETRY; /* the reconnect resends it */
            continue;
        }
        if (!b && !(b = calloc(1, sizeof *b)))
            return;
        b->w = w;
        b->jobs[b->count++] = j;
        if (b->count == MAX_BATCH) {
            send_batch(w, b);
            b = NULL;
        }
    }
    if (b)
        send_batch(w, b);
}
