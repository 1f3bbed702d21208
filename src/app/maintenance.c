/* The maintenance job (see maintenance.h): its handler and its schedule. */
#include "app/maintenance.h"

#include <inttypes.h>
#include <stdio.h>

#include "app/work.h"
#include "core/error.h"
#include "core/log.h"
#include "store/activity.h"
#include "store/sessions.h"

#define DAY_MS (86400LL * 1000)

/* Kept for dashboards: the last runs, failed ones a little longer. */
static const queue_job_opts_t JOB_OPTS = {
    .attempts = 3,
    .backoff = QUEUE_BACKOFF_EXPONENTIAL,
    .backoff_delay_ms = 30000,
    .remove_on_complete = {QUEUE_KEEP_LIMIT, 50, 0},
    .remove_on_fail = {QUEUE_KEEP_LIMIT, 100, 0},
};

static void log_run(int64_t before, uint64_t activities, uint64_t sessions)
{
    facet_log_line_t line;
    if (facet_log_begin(&line, FACET_LOG_INFO, "maintenance")) {
        facet_log_int(&line, "activities_deleted", (int64_t)activities);
        facet_log_int(&line, "sessions_deleted", (int64_t)sessions);
        facet_log_int(&line, "activities_before", before);
    }
    facet_log_end(&line);
}

int app_maintenance_job(queue_job_t *job, void *ud)
{
    const app_work_env_t *env = ud;
    int64_t now = store_now_ms();
    int64_t before = now - (int64_t)env->cfg->activity_retention_days * DAY_MS;
    uint64_t activities = 0, sessions = 0;
    store_error_t err;
    const char *db = store_mongo_database(env->mongo);
    mongoc_client_t *client = store_mongo_pop(env->mongo);
    int rc = store_activity_delete_before(client, db, before, &activities, &err);
    if (rc == FACET_OK)
        rc = store_session_delete_expired(client, db, now, &sessions, &err);
    store_mongo_push(env->mongo, client);
    if (rc != FACET_OK) {
        facet_log_kv(FACET_LOG_WARN, "maintenance failed", "error", err.message);
        queue_job_set_error(job, err.message, false);
        return 1;
    }
    log_run(before, activities, sessions);
    char result[128];
    snprintf(result, sizeof result,
             "{\"activitiesDeleted\":%" PRIu64 ",\"sessionsDeleted\":%" PRIu64
             ",\"before\":%" PRId64 "}",
             activities, sessions, before);
    queue_job_set_result(job, result);
    return 0;
}

int app_maintenance_upsert(queue_t *q, uint64_t every_ms, queue_add_cb cb, void *ud)
{
    queue_scheduler_opts_t o = {.every_ms = (int64_t)every_ms, .job = &JOB_OPTS};
    return queue_upsert_scheduler(q, APP_MAINTENANCE_SCHEDULER, APP_MAINTENANCE_JOB, "{}", &o, cb,
                                  ud);
}

int app_maintenance_run_now(queue_t *q, queue_add_cb cb, void *ud)
{
    char id[48];
    snprintf(id, sizeof id, "start-%" PRId64, queue_now_ms() / 60000);
    queue_job_opts_t o = JOB_OPTS;
    o.job_id = id;
    return queue_add(q, APP_MAINTENANCE_JOB, "{}", &o, cb, ud);
}
