/* The product wired together: configuration, dependencies, routes, and the
 * per-loop state each worker keeps. main.c creates one app_t per process. */
#ifndef FACET_APP_APP_H
#define FACET_APP_APP_H

#include <stdbool.h>

#include "cache/valkey.h"
#include "core/config.h"
#include "http/router.h"
#include "http/server.h"
#include "store/mongo.h"

typedef struct app {
    const facet_config_t *cfg;
    cache_valkey_addr_t valkey_addr;
    store_mongo_t *mongo;
    http_router_t router;
    http_server_t *server;
    /* Dependency monitor on the main loop: logs MongoDB loss and recovery. */
    uv_timer_t monitor;
    bool mongo_up;
    bool mongo_known;
    bool monitor_busy;
} app_t;

/* State owned by one worker loop. */
typedef struct app_worker {
    app_t *app;
    cache_valkey_t *valkey;
} app_worker_t;

/* Validates the dependency URLs and opens the MongoDB pool. On error returns
 * FACET_EINVAL with a message naming the variable in err. */
int app_init(app_t *app, const facet_config_t *cfg, char *err, size_t errlen);

/* Starts the HTTP server and the dependency monitor on loop. */
int app_start(app_t *app, uv_loop_t *loop, char *err, size_t errlen);

/* Begins the drain; app_stopped turns true when every worker has ended. */
void app_shutdown(app_t *app);

/* Joins the workers and releases everything. */
void app_free(app_t *app);

/* health.c: registers /healthz and /readyz. */
int app_health_routes(app_t *app);
void app_monitor_start(app_t *app, uv_loop_t *loop);
void app_monitor_stop(app_t *app);

#endif
