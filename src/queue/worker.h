/* The worker side of a BullMQ-compatible queue. A worker lives on one libuv
 * loop with two Valkey connections of its own: one for commands and one that
 * blocks on the queue's marker while there is nothing to do. It moves jobs to
 * active under a lock, runs the handler registered for the job's name on the
 * libuv thread pool (or, with handlers_on_loop, on the loop itself), and
 * completes, retries (with the job's backoff) or fails the job, fetching the
 * next one in the same round trip. It renews its locks,
 * takes part in stalled-job recovery, honours the queue's pause, global
 * concurrency and rate limit, and survives Valkey outages: fetching stops
 * while Valkey is away and a finished job's result is written once it is
 * back, so no job is lost (delivery is at least once: handlers must be
 * idempotent).
 *
 * Jobs whose name has no handler fail at once, without retry. */
#ifndef FACET_QUEUE_WORKER_H
#define FACET_QUEUE_WORKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "cache/valkey.h"
#include "queue/queue.h"

typedef struct queue_worker queue_worker_t;
typedef struct queue_job queue_job_t;

/* A job handler. It runs on a thread-pool thread and may block. It returns 0
 * on success (the result, set with queue_job_set_result, defaults to null)
 * and non-zero on failure (the reason, set with queue_job_set_error, defaults
 * to "job failed"). */
typedef int (*queue_handler_fn)(queue_job_t *job, void *ud);

typedef struct queue_handler {
    const char *name; /* the job name it handles */
    queue_handler_fn fn;
    void *ud;
} queue_handler_t;

/* ---- inside a handler (any thread; valid until the handler returns) ---- */

const char *queue_job_id(const queue_job_t *job);
const char *queue_job_name(const queue_job_t *job);
/* The job's data: JSON text, NUL-terminated. */
const char *queue_job_data(const queue_job_t *job);
size_t queue_job_data_len(const queue_job_t *job);
/* Failed attempts before this one. */
int queue_job_attempts_made(const queue_job_t *job);
/* The return value as JSON text (copied; must be valid JSON). */
int queue_job_set_result(queue_job_t *job, const char *json);
/* The failure reason (copied). An unrecoverable failure is not retried. */
int queue_job_set_error(queue_job_t *job, const char *reason, bool unrecoverable);
/* Reports progress (JSON text, copied), written to the job and the events
 * stream before the job finishes. Thread-safe. */
int queue_job_progress(queue_job_t *job, const char *json);
/* True once the worker gave up on the job (its close deadline passed or its
 * lock was taken by another worker): the handler should stop early. */
bool queue_job_should_stop(const queue_job_t *job);

/* ---- the worker (loop thread only) ---- */

typedef enum queue_job_outcome {
    QUEUE_JOB_COMPLETED,
    QUEUE_JOB_FAILED,   /* failed for good */
    QUEUE_JOB_RETRYING, /* failed; back in wait or delayed for another attempt */
    QUEUE_JOB_LOST,     /* its result could not be written: the job was taken by
                           stalled recovery or removed, and may run again */
} queue_job_outcome_t;

/* Called on the loop when Valkey has recorded a job's outcome. */
typedef void (*queue_worker_event_cb)(queue_worker_t *w, const char *job_id, const char *name,
                                      queue_job_outcome_t outcome, void *ud);

/* Zero-initialized fields take BullMQ's defaults. */
typedef struct queue_worker_opts {
    const char *queue;               /* required */
    const char *prefix;              /* NULL: "bull" */
    const char *name;                /* stored as the job's processedBy, or NULL */
    int concurrency;                 /* jobs run at once; 0: 1 */
    uint64_t lock_duration_ms;       /* 0: 30000; renewed every half of it */
    uint64_t stalled_interval_ms;    /* 0: 30000 */
    int max_stalled_count;           /* stalls before a job fails; 0: 1, < 0: none allowed */
    uint64_t drain_delay_ms;         /* longest wait on the marker; 0: 5000 */
    queue_keep_t remove_on_complete; /* for jobs that carry none */
    queue_keep_t remove_on_fail;
    int limiter_max; /* jobs per limiter_duration_ms for this worker; 0: none */
    uint64_t limiter_duration_ms;
    const queue_handler_t *handlers; /* borrowed: must outlive the worker */
    size_t nhandlers;
    queue_worker_event_cb on_event; /* may be NULL */
    void *ud;
    /* Runs every handler on the worker's loop thread as soon as its job is
     * taken, instead of on the thread pool. This saves two thread hand-offs
     * (six system calls) per job, about a third of a trivial job's time at
     * concurrency 1 (see bench/README.md), but a handler then stalls the
     * loop and everything else on it while it runs: jobs run one after
     * another, and concurrency only sets how many one fetch takes at once.
     * Only for handlers that finish in microseconds and never block (no
     * I/O, no waiting on locks or other threads), e.g. ones that hand the
     * data to something on the same loop. They may call the queue_job_*
     * functions, never the worker's. false: the thread pool, the default
     * and the right place for everything else. */
    bool handlers_on_loop;
} queue_worker_opts_t;

/* Creates a worker and starts it (Valkey being down is not an error). The
 * strings of opts are copied. Freed by queue_worker_close. */
int queue_worker_new(uv_loop_t *loop, const cache_valkey_addr_t *addr,
                     const queue_worker_opts_t *opts, queue_worker_t **out);

/* Stops and restarts taking jobs; running jobs carry on. */
void queue_worker_pause(queue_worker_t *w);
void queue_worker_resume(queue_worker_t *w);

/* Jobs held: running, or finished and being written. */
int queue_worker_held(const queue_worker_t *w);

/* abandoned counts the jobs still running at the deadline: their locks
 * expire and stalled recovery gives them to another worker. */
typedef void (*queue_worker_closed_cb)(queue_worker_t *w, int abandoned, void *ud);

/* Stops taking jobs, lets held jobs finish and be written for up to
 * deadline_ms, then disconnects. cb runs once everything is closed; the
 * worker is freed after it returns, or when the last abandoned handler
 * returns. The loop must keep running until then. */
void queue_worker_close(queue_worker_t *w, uint64_t deadline_ms, queue_worker_closed_cb cb,
                        void *ud);

#endif
