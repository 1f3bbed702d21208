/* The activity log. Every GraphQL mutation, over HTTP or WebSocket, records
 * one activity: who (the viewer, or for a sign-up or sign-in the user it
 * produced), the operation (its name and root fields), a redacted summary
 * of its arguments (activity_summary.h), the client's address and user
 * agent, the time, the outcome ("ok", or "error" with the first error's
 * code) and the request id.
 *
 * Recording never delays the response: the transport calls
 * app_activity_begin before executing and app_activity_end once the
 * result is written; the activity is then buffered on the loop and sent,
 * a batch at a time (at most APP_ACTIVITY_BATCH activities or
 * APP_ACTIVITY_FLUSH_MS later), as one job to the queue
 * APP_ACTIVITY_QUEUE through the loop's own producer. When Valkey is away
 * the batch is dropped, logged and counted. A worker (activity_job.c)
 * inserts each job's activities with one insertMany; the activity ids come
 * from the job, so a redelivered job inserts nothing twice. Query.myActivity
 * (activity.c) reads them back, newest first. */
#ifndef FACET_APP_ACTIVITY_H
#define FACET_APP_ACTIVITY_H

#include <stdint.h>
#include <uv.h>

#include "app/app.h"
#include "cache/valkey.h"
#include "gql/exec.h"
#include "queue/worker.h"

#define APP_ACTIVITY_QUEUE    "facet-activity"
#define APP_ACTIVITY_JOB      "activity"
#define APP_ACTIVITY_BATCH    100
#define APP_ACTIVITY_FLUSH_MS 20

/* ---- recording (loop thread) ---- */

/* One loop's producer: its Valkey connection and the batch being filled. */
typedef struct app_activity_log app_activity_log_t;
/* One mutation being recorded (app_exec_ctx_t.activity). */
typedef struct app_activity_op app_activity_op_t;

/* Creates the producer of loop, for the queue under prefix (NULL: "bull");
 * index names its connection in logs. Valkey being down is not an error. */
int app_activity_log_new(uv_loop_t *loop, const cache_valkey_addr_t *addr, const char *prefix,
                         int index, app_activity_log_t **out);

/* Sends what is buffered, waits (on the loop, at most wait_ms) for the
 * queue to acknowledge what is in flight, then closes the connection and
 * frees the producer. The loop must keep running until then. */
void app_activity_log_close(app_activity_log_t *log, uint64_t wait_ms);

/* Starts recording the operation doc/operation_name would run, when it is
 * a mutation and ctx->aw has a producer: its label, a summary of its
 * arguments with variables (raw JSON, may be NULL) filled in, an id and the
 * time, kept in arena (which must live until app_activity_end) and noted
 * in ctx->activity. Does nothing otherwise. */
void app_activity_begin(app_exec_ctx_t *ctx, facet_arena_t *arena, const gql_ast_document_t *doc,
                        facet_str_t operation_name, const gql_value_t *variables);

/* Finishes the activity noted in ctx->activity (nothing happens when there
 * is none) with ex's outcome and buffers it for the queue; clears
 * ctx->activity, so a second call is harmless. response holds the result
 * written by app_write_result from offset at (NULL when it was not
 * written: the result is then computed here). */
void app_activity_end(app_exec_ctx_t *ctx, gql_exec_t *ex, const facet_buf_t *response, size_t at);

typedef struct app_activity_stats {
    uint64_t queued;  /* activities the queue accepted */
    uint64_t dropped; /* activities lost because Valkey was away or refused them */
} app_activity_stats_t;

/* Process-wide counters (for /metrics). */
app_activity_stats_t app_activity_stats(void);

/* ---- the worker (thread pool) ---- */

/* The handler of APP_ACTIVITY_JOB jobs (ud: the app_work_env_t). Data: {"activities": [activity,
 * ...]} or one activity object, each {"id", "userId", "operation", "args",
 * "address", "userAgent", "outcome", "code", "requestId", "createdAt"}.
 * Inserts them with one insertMany; already stored ids are skipped. Data
 * that does not describe activities fails the job without retry; a
 * database failure fails it for a retry. */
int app_activity_job(queue_job_t *job, void *ud);

/* ---- the API ---- */

/* Binds Query.myActivity. */
int app_activity_bind(gql_schema_t *schema, char *err, size_t errlen);

#endif
