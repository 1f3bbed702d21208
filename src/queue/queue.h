/* The producer side of a BullMQ-compatible queue: adding jobs, counts,
 * pause and resume, global limits and job schedulers. A queue_t is a name
 * bound to a queue_conn_t of the same loop; many queues may share one
 * connection. Jobs and their data are stored exactly as BullMQ stores them,
 * so Node BullMQ workers, QueueEvents and dashboards see them as their own.
 *
 * Every asynchronous call returns FACET_ECLOSED without calling its callback
 * when the connection is down, or FACET_EINVAL for a bad argument; otherwise
 * the callback runs exactly once on the loop with FACET_OK, FACET_EIO (Valkey
 * answered an error, which is logged) or FACET_ECLOSED (the connection was
 * lost before the reply; the command may or may not have run). */
#ifndef FACET_QUEUE_QUEUE_H
#define FACET_QUEUE_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "queue/conn.h"

#define QUEUE_PRIORITY_MAX 2097151

typedef struct queue queue_t;

/* removeOnComplete / removeOnFail. */
typedef enum queue_keep_mode {
    QUEUE_KEEP_UNSET = 0, /* not stored with the job: the worker's default applies */
    QUEUE_KEEP_ALL,       /* false: keep every finished job */
    QUEUE_KEEP_NONE,      /* true: delete the job when it finishes */
    QUEUE_KEEP_LIMIT,     /* keep the newest count and/or those younger than age_s */
} queue_keep_mode_t;

typedef struct queue_keep {
    queue_keep_mode_t mode;
    int64_t count; /* QUEUE_KEEP_LIMIT: how many to keep, 0 for no count limit */
    int64_t age_s; /* QUEUE_KEEP_LIMIT: maximum age in seconds, 0 for none */
} queue_keep_t;

typedef enum queue_backoff {
    QUEUE_BACKOFF_NONE = 0, /* retry at once */
    QUEUE_BACKOFF_FIXED,
    QUEUE_BACKOFF_EXPONENTIAL, /* delay * 2^(attempt - 1) */
} queue_backoff_t;

/* Zero-initialized options are BullMQ's defaults. */
typedef struct queue_job_opts {
    const char *job_id; /* custom id (not an integer, no ':'), or NULL for the next number */
    int64_t delay_ms;
    int priority; /* 0 (none) or 1 (first) .. QUEUE_PRIORITY_MAX */
    bool lifo;
    int attempts; /* total tries; 0 and 1 both mean no retry */
    queue_backoff_t backoff;
    int64_t backoff_delay_ms;
    double backoff_jitter; /* 0 .. 1 */
    queue_keep_t remove_on_complete;
    queue_keep_t remove_on_fail;
    int stack_trace_limit; /* 0: unlimited */
} queue_job_opts_t;

/* Creates a queue named name (1..200 bytes, no ':') under prefix (NULL for
 * "bull") on conn, which must outlive it. Freed by queue_free; pending
 * callbacks still run after that. */
int queue_new(queue_conn_t *conn, const char *prefix, const char *name, queue_t **out);
void queue_free(queue_t *q);

/* job_id is borrowed until the callback returns; NULL unless status is OK. */
typedef void (*queue_add_cb)(int status, const char *job_id, void *ud);
typedef void (*queue_done_cb)(int status, void *ud);

/* Adds a job. data is JSON text (NULL means "{}"), copied; opts may be NULL.
 * When a custom id already exists, the job is not added and its id is
 * returned (BullMQ's behaviour). */
int queue_add(queue_t *q, const char *name, const char *data, const queue_job_opts_t *opts,
              queue_add_cb cb, void *ud);

typedef struct queue_counts {
    int64_t waiting, active, delayed, prioritized, completed, failed;
} queue_counts_t;

typedef void (*queue_counts_cb)(int status, const queue_counts_t *counts, void *ud);

/* Counts jobs per state, like BullMQ's Queue.getJobCounts(). */
int queue_counts(queue_t *q, queue_counts_cb cb, void *ud);

/* Pauses or resumes processing for every worker of the queue. */
int queue_pause(queue_t *q, bool pause, queue_done_cb cb, void *ud);

/* The queue's global concurrency (0 removes it) and rate limit (max jobs per
 * duration; max 0 removes it), stored in meta where every worker reads them. */
int queue_set_global_concurrency(queue_t *q, int concurrency, queue_done_cb cb, void *ud);
int queue_set_global_rate_limit(queue_t *q, int max, int64_t duration_ms, queue_done_cb cb,
                                void *ud);

typedef struct queue_scheduler_opts {
    const char *pattern; /* a cron pattern (see cron.h), or NULL with every_ms */
    int64_t every_ms;
    const char *tz;              /* NULL for local time, or "UTC" / "Etc/UTC" / "GMT" */
    int64_t limit;               /* iterations, 0 for unlimited */
    int64_t start_ms;            /* 0 for now */
    int64_t end_ms;              /* 0 for never */
    const queue_job_opts_t *job; /* template options (job_id and delay ignored), or NULL */
} queue_scheduler_opts_t;

/* Creates or replaces the job scheduler id, which adds a job named job_name
 * with data at every iteration, and queues its next iteration. The callback
 * gets the id of that iteration's job. A bad pattern or time zone is
 * FACET_EINVAL. */
int queue_upsert_scheduler(queue_t *q, const char *id, const char *job_name, const char *data,
                           const queue_scheduler_opts_t *opts, queue_add_cb cb, void *ud);

/* Removes a scheduler and its pending iteration; status FACET_ENOTFOUND when
 * there was no such scheduler. */
int queue_remove_scheduler(queue_t *q, const char *id, queue_done_cb cb, void *ud);

/* The conn and keys a queue uses, for the worker and tests. */
queue_conn_t *queue_conn(const queue_t *q);
const queue__keys_t *queue_keys(const queue_t *q);

#endif
