/* The product wired together: configuration, dependencies, routes, and the
 * per-loop state each worker keeps. main.c creates one app_t per process. */
#ifndef FACET_APP_APP_H
#define FACET_APP_APP_H

#include <stdbool.h>

#include "app/graphql.h"
#include "cache/entity.h"
#include "cache/valkey.h"
#include "core/config.h"
#include "http/router.h"
#include "http/server.h"
#include "realtime/hub.h"
#include "store/mongo.h"

typedef struct app_product app_product_t; /* product.h */

typedef struct app {
    const facet_config_t *cfg;
    app_product_t *product; /* accounts and wallet state; NULL in fixture builds */
    cache_valkey_addr_t valkey_addr;
    store_mongo_t *mongo;
    http_router_t router;
    http_server_t *server;
    app_graphql_t graphql;
    /* Dependency monitor on the main loop: logs MongoDB loss and recovery. */
    uv_timer_t monitor;
    bool mongo_up;
    bool mongo_known;
    bool monitor_busy;
    /* Job workers of the I/O loops that run them (work.h), by loop index. */
    struct app_work_loop **work_loops;
    int nwork_loops;
} app_t;

/* State owned by one worker loop. */
typedef struct app_worker {
    app_t *app;
    cache_valkey_t *valkey;
    gql_doc_cache_t docs; /* when app->graphql.schema is set */
    bool has_docs;
    rt_hub_t *hub;            /* subscriptions of this loop */
    cache_entity_t *entities; /* read-through cache of users and wallets */
    uv_loop_t *loop;
    struct app_activity_log *activity_log; /* activity.h; NULL: not recorded */
    struct app_work_loop *work;            /* job workers on this loop (work.h), or NULL */
} app_worker_t;

typedef enum { APP_ROLE_NONE, APP_ROLE_USER, APP_ROLE_ADMIN } app_role_t;

/* Who sends the operation, from the access token (HTTP Authorization
 * header, or the connection_init payload over WebSocket). */
typedef struct app_viewer {
    char user_id[25]; /* ObjectId hex; "" when anonymous */
    app_role_t role;
    char session_id[25];
    /* Why a token that was presented was refused (static text), or NULL:
     * fields that need a user then fail with this message. */
    const char *auth_error;
} app_viewer_t;

/* The context every resolver gets (gql_resolve_context): the first member
 * of the request's own state. */
typedef struct app_loader app_loader_t; /* users.c: batched user loads */

typedef struct app_exec_ctx {
    app_t *app;
    app_worker_t *aw;
    const char *request_id;
    app_viewer_t viewer;
    char address[64];                 /* the client's address (X-Forwarded-For aware) */
    char user_agent[256];             /* for the activity log */
    app_loader_t *loader;             /* created in the request arena on first use */
    struct app_activity_op *activity; /* the mutation being recorded (activity.h) */
} app_exec_ctx_t;

/* Publishes an event for subscriptions on topic (channel facet:<topic>)
 * through the loop's Valkey connection. json is the event: an object whose
 * member named after the subscription field is that field's value. cb is
 * called once with the outcome unless FACET_ECLOSED is returned. */
int app_publish(app_worker_t *aw, const char *topic, const char *json, size_t len,
                cache_valkey_reply_cb cb, void *ud);

/* Binds a Subscription field to its topic: events published on the topic
 * run the subscription with the event as root value. A topic that starts
 * with APP_TOPIC_PER_USER is the signed-in user's own: the rest plus
 * ":<userId>" (anonymous subscribers are refused). */
void app_bind_subscription(gql_field_t *field, const char *topic);
#define APP_TOPIC_PER_USER "@user:"

/* The Valkey channel a subscription to field listens on for viewer.
 * Returns FACET_EPERM when the topic is per user and viewer is anonymous. */
int app_subscription_channel(const gql_field_t *field, const app_viewer_t *viewer, char *out,
                             size_t outlen);

/* Validates the dependency URLs, opens the MongoDB pool and loads the
 * GraphQL schema, binding its resolvers with bind. On error returns
 * FACET_EINVAL with a message naming the variable in err. */
int app_init(app_t *app, const facet_config_t *cfg, app_graphql_bind_fn bind, char *err,
             size_t errlen);

/* Starts the HTTP server and the dependency monitor on loop. */
int app_start(app_t *app, uv_loop_t *loop, char *err, size_t errlen);

/* Begins the drain; app_stopped turns true when every worker has ended. */
void app_shutdown(app_t *app);

/* Joins the workers and releases everything. */
void app_free(app_t *app);

/* graphql_http.c: the /graphql route (ud is the app). */
void app_graphql_http(http_request_t *req, void *ud);
/* graphql_ws.c: a WebSocket upgrade on /graphql (graphql-transport-ws). */
void app_graphql_ws(http_request_t *req, app_t *app);

/* webhooks.c: registers POST /webhooks/payments. */
int app_webhook_routes(app_t *app);

/* metrics.c: registers /metrics (Prometheus text). */
int app_metrics_routes(app_t *app);

/* health.c: registers /healthz and /readyz. */
int app_health_routes(app_t *app);
void app_monitor_start(app_t *app, uv_loop_t *loop);
void app_monitor_stop(app_t *app);

#endif
