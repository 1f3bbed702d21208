/* The product's job workers. One app_work_loop_t runs, on one libuv loop,
 * a queue worker for each of the product's queues (the activity log's
 * inserts, the maintenance job); loop 0 also sets up the maintenance job's
 * scheduler. `facet serve` runs them on its first FACET_WORKERS I/O
 * threads; `facet work` runs them alone on every FACET_THREADS loop, with
 * no HTTP API. Stopping stops taking jobs and lets running ones finish
 * within FACET_SHUTDOWN_TIMEOUT, after which they are left to stalled
 * recovery. */
#ifndef FACET_APP_WORK_H
#define FACET_APP_WORK_H

#include <stddef.h>
#include <uv.h>

#include "app/app.h"
#include "cache/valkey.h"
#include "core/config.h"
#include "store/mongo.h"

/* What the handlers need, shared read-only by every loop. */
typedef struct app_work_env {
    const facet_config_t *cfg;
    store_mongo_t *mongo;
    cache_valkey_addr_t valkey;
} app_work_env_t;

typedef struct app_work_loop app_work_loop_t;

/* Checks the settings the workers read (FACET_QUEUE_PREFIX); FACET_EINVAL
 * with a message naming the variable otherwise. */
int app_work_check_config(const facet_config_t *cfg, char *err, size_t errlen);

/* Creates loop's workers and starts them (Valkey or MongoDB being down is
 * not an error). env is copied; what it points to must outlive the loop.
 * index 0 also keeps the maintenance scheduler in place. */
int app_work_loop_new(uv_loop_t *loop, const app_work_env_t *env, int index, app_work_loop_t **out);

/* Asks the workers to stop; safe from any thread, and more than once. The
 * loop's handles are all closed once running jobs are done (or abandoned
 * at the deadline); the loop must keep running until then. */
void app_work_loop_stop(app_work_loop_t *l);

/* Frees l once its loop has ended. */
void app_work_loop_free(app_work_loop_t *l);

/* ---- hooks of `facet serve` (app.c) ---- */

/* On each I/O loop, before it runs: the activity log's producer and, on the
 * first FACET_WORKERS loops, the workers. Nothing when the product schema
 * is not served. */
int app_work_serve_init(app_worker_t *aw, int index);
/* When the loop has closed its connections: flushes the activity log and
 * stops the loop's workers if they still run. */
void app_work_serve_fini(app_worker_t *aw);
/* At the start of the drain (any thread): stops every loop's workers. */
void app_work_serve_stop(app_t *app);
/* After the loops ended. */
void app_work_serve_free(app_t *app);

/* Runs `facet work` with the arguments after "work"; returns the exit code
 * (0, 1 on a start-up failure, 2 for usage or configuration errors). */
int app_work_command(int argc, char **argv);

#endif
