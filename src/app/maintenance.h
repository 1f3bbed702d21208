/* The maintenance job: the retention MongoDB cannot do for us everywhere
 * (TTL indexes are not available on every supported store). It deletes
 * activities older than FACET_ACTIVITY_RETENTION_DAYS and refresh sessions
 * that have expired. A job scheduler runs it every FACET_MAINTENANCE_EVERY
 * and each worker process queues one run when it starts. */
#ifndef FACET_APP_MAINTENANCE_H
#define FACET_APP_MAINTENANCE_H

#include <stdint.h>

#include "queue/queue.h"
#include "queue/worker.h"

#define APP_MAINTENANCE_QUEUE     "facet-maintenance"
#define APP_MAINTENANCE_JOB       "maintenance"
#define APP_MAINTENANCE_SCHEDULER "maintenance"

/* The handler (thread pool); ud is the app_work_env_t. Its result is
 * {"activitiesDeleted": n, "sessionsDeleted": n, "before": ms}. A database
 * failure fails the job (the next run catches up). */
int app_maintenance_job(queue_job_t *job, void *ud);

/* Creates or updates the job scheduler (a run every every_ms; a scheduler
 * whose period did not change keeps its next run). Same contract as
 * queue_upsert_scheduler. */
int app_maintenance_upsert(queue_t *q, uint64_t every_ms, queue_add_cb cb, void *ud);

/* Queues one run now. Its id names the current minute, so processes that
 * start together run it once. Same contract as queue_add. */
int app_maintenance_run_now(queue_t *q, queue_add_cb cb, void *ud);

#endif
