/* Liveness (/healthz), readiness (/readyz) and the MongoDB monitor that logs
 * when the database is lost and regained. Valkey connections log their own
 * transitions (cache/valkey.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "core/error.h"
#include "core/log.h"

#define MONITOR_INTERVAL_MS 2000

static void healthz(http_request_t *req, void *ud)
{
    static const char body[] = "{\"status\":\"ok\"}";
    (void)ud;
    http_respond(req, 200, "application/json", body, sizeof body - 1);
}

/* A readiness check waits for both dependencies, then answers. */
typedef struct ready_check {
    http_request_t *req;
    int pending;
    char valkey[160];
    char mongodb[300];
} ready_check_t;

static void ready_answer(ready_check_t *rc)
{
    bool up = strcmp(rc->valkey, "up") == 0 && strcmp(rc->mongodb, "up") == 0;
    bool draining = http_worker_draining(rc->req->worker);
    facet_buf_t body;
    facet_buf_init(&body, 0);
    facet_buf_printf(&body, "{\"status\":\"%s\",\"valkey\":\"",
                     draining ? "draining" : (up ? "ready" : "unavailable"));
    facet_buf_append_json_escaped(&body, rc->valkey, strlen(rc->valkey));
    facet_buf_append_str(&body, "\",\"mongodb\":\"");
    facet_buf_append_json_escaped(&body, rc->mongodb, strlen(rc->mongodb));
    facet_buf_append_str(&body, "\"}");
    http_add_header(rc->req, "Cache-Control", "no-store");
    http_respond(rc->req, up && !draining ? 200 : 503, "application/json", body.base, body.len);
    facet_buf_free(&body);
    free(rc);
}

static void ready_done(ready_check_t *rc)
{
    if (--rc->pending == 0)
        ready_answer(rc);
}

static void on_valkey_pong(int status, void *ud)
{
    ready_check_t *rc = ud;
    snprintf(rc->valkey, sizeof rc->valkey, "%s",
             status == FACET_OK          ? "up"
             : status == FACET_ETIMEDOUT ? "down: timed out"
                                         : "down: ping failed");
    ready_done(rc);
}

static void on_mongo_pong(int status, const char *error, void *ud)
{
    ready_check_t *rc = ud;
    if (status == FACET_OK)
        snprintf(rc->mongodb, sizeof rc->mongodb, "up");
    else
        snprintf(rc->mongodb, sizeof rc->mongodb, "down: %s", error ? error : "ping failed");
    ready_done(rc);
}

static void readyz(http_request_t *req, void *ud)
{
    app_t *app = ud;
    app_worker_t *aw = http_worker_data(req->worker);
    ready_check_t *rc = calloc(1, sizeof *rc);
    if (!rc) {
        http_respond_error(req, 500, "out of memory");
        return;
    }
    rc->req = req;
    rc->pending = 3; /* the two checks and this function */
    uint64_t timeout = app->cfg->dependency_timeout_ms;
    if (cache_valkey_ping(aw->valkey, timeout, on_valkey_pong, rc) != FACET_OK) {
        snprintf(rc->valkey, sizeof rc->valkey, "down: not connected");
        rc->pending--;
    }
    if (store_mongo_ping(app->mongo, http_worker_loop(req->worker), timeout, on_mongo_pong, rc) !=
        FACET_OK) {
        snprintf(rc->mongodb, sizeof rc->mongodb, "down: cannot schedule the check");
        rc->pending--;
    }
    ready_done(rc);
}

int app_health_routes(app_t *app)
{
    if (http_router_add(&app->router, "GET", "/healthz", healthz, app) != FACET_OK)
        return FACET_ELIMIT;
    return http_router_add(&app->router, "GET", "/readyz", readyz, app);
}

/* ---- MongoDB monitor ---- */

static void on_monitor_pong(int status, const char *error, void *ud)
{
    app_t *app = ud;
    bool up = status == FACET_OK;
    app->monitor_busy = false;
    if (app->mongo_known && up == app->mongo_up)
        return;
    if (!up || app->mongo_known) {
        facet_log_line_t line;
        const char *msg = up ? "dependency regained"
                             : (app->mongo_known ? "dependency lost" : "dependency unavailable");
        if (facet_log_begin(&line, up ? FACET_LOG_INFO : FACET_LOG_WARN, msg)) {
            facet_log_cstr(&line, "dependency", "mongodb");
            if (error)
                facet_log_cstr(&line, "error", error);
        }
        facet_log_end(&line);
    }
    app->mongo_known = true;
    app->mongo_up = up;
}

static void on_monitor_tick(uv_timer_t *t)
{
    app_t *app = t->data;
    if (app->monitor_busy)
        return;
    if (store_mongo_ping(app->mongo, t->loop, app->cfg->dependency_timeout_ms, on_monitor_pong,
                         app) == FACET_OK)
        app->monitor_busy = true;
}

void app_monitor_start(app_t *app, uv_loop_t *loop)
{
    uv_timer_init(loop, &app->monitor);
    app->monitor.data = app;
    uv_timer_start(&app->monitor, on_monitor_tick, 0, MONITOR_INTERVAL_MS);
}

void app_monitor_stop(app_t *app)
{
    if (!uv_is_closing((uv_handle_t *)&app->monitor))
        uv_close((uv_handle_t *)&app->monitor, NULL);
}
