/* The worker's state, shared by worker.c (connections, fetching, timers,
 * closing) and worker_job.c (running and finishing one job). */
#ifndef FACET_QUEUE_WORKER_INTERNAL_H
#define FACET_QUEUE_WORKER_INTERNAL_H

#include <hiredis/hiredis.h>
#include <stdatomic.h>

#include "queue/conn.h"
#include "queue/keys.h"
#include "queue/worker.h"

typedef enum job_state {
    JOB_RUNNING,   /* the handler runs on the thread pool */
    JOB_READY,     /* finished: its outcome goes out with the next batch */
    JOB_FINISHING, /* its finish script is in flight */
    JOB_RETRY,     /* the finish must be sent again (Valkey was away) */
} job_state_t;

struct queue_job {
    queue_worker_t *w;
    queue_job_t *prev, *next; /* the worker's held jobs */
    uv_work_t work;
    job_state_t state;
    char *id, *name, *data, *token;
    size_t data_len;
    int attempts_made;
    const queue_handler_t *handler; /* NULL: fail with error */
    /* Outcome, written by the handler's thread before it returns. */
    bool failed, unrecoverable;
    char *result, *error;
    atomic_bool stop;
    /* Progress waiting to be sent; guarded by the worker's mutex. */
    char *progress;
    bool progress_listed;
    queue_job_t *progress_next;
    int finish_tries;
    bool lock_lost_logged;
};

struct queue_worker {
    uv_loop_t *loop;
    queue__keys_t keys;
    char *queue, *name;
    char token_base[40]; /* "<worker id>:" */
    uint64_t token_seq;
    int concurrency, max_stalled;
    bool on_loop; /* handlers run on the loop, not the thread pool */
    uint64_t lock_ms, stalled_ms, drain_ms, limiter_ms;
    int limiter_max;
    char keep_completed[96], keep_failed[96]; /* default removeOn* JSON, or "" */
    const queue_handler_t *handlers;
    size_t nhandlers;
    queue_worker_event_cb on_event;
    void *ud;

    queue_conn_t *cmd, *blk;
    queue_job_t *jobs; /* held jobs, newest first */
    int held;
    int requested;       /* job slots asked for by fetch and finish scripts in flight */
    bool fetching;       /* a fetch script is in flight */
    int fetch_n;         /* the slots it asked for */
    bool drained;        /* the last fetch found nothing: wait on the marker */
    bool blocking;       /* BZPOPMIN in flight */
    int64_t block_until; /* due time of the next delayed job, or 0 */
    bool paused, closing, torn_down;

    uv_timer_t renew, stalled, wake, watchdog, close_deadline, retry;
    uv_check_t flush; /* sends the outcomes of the loop iteration in one batch */
    uv_async_t progress_async;
    uv_mutex_t mu;
    queue_job_t *progress_head; /* guarded by mu */
    int open_handles;
    int working; /* handlers on the thread pool */
    int abandoned;
    queue_worker_closed_cb closed_cb;
    void *closed_ud;
};

/* worker_job.c */

/* Takes the jobs of a fetch or finish reply (its element 1). */
void queue__worker_take_jobs(queue_worker_t *w, const redisReply *jobs);
/* Queues a job that is not running for the next finish batch, which goes
 * out at the end of the loop iteration. */
void queue__worker_finish_later(queue_worker_t *w, queue_job_t *job);
/* Sends every job waiting for its finish (READY or RETRY). */
void queue__worker_flush_finishes(queue_worker_t *w);
/* Sends pending progress (loop thread). */
void queue__worker_flush_progress(queue_worker_t *w);
void queue__worker_free_job(queue_job_t *job);

/* worker.c */

/* Fills free slots: fetches, or waits on the marker when drained. */
void queue__worker_pump(queue_worker_t *w);
/* Job slots a fetch may ask for now. */
int queue__worker_free_slots(const queue_worker_t *w);
/* Applies the rate-limit and delayed-job hints of a fetch or finish reply. */
void queue__worker_note_reply(queue_worker_t *w, const redisReply *r, int requested, int got);
/* Removes a job from the held list (a no-op after teardown). */
void queue__worker_unlink_job(queue_worker_t *w, queue_job_t *job);
/* Called when a handler has returned and its job was dealt with. */
void queue__worker_work_done(queue_worker_t *w);
/* Closes the worker if it is closing and holds nothing more. */
void queue__worker_maybe_close(queue_worker_t *w);
/* Arms the timer that resends finishes. */
void queue__worker_schedule_retry(queue_worker_t *w);

#endif
