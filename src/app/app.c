/* Start-up and shutdown of the serving process. */
#include "app/app.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/jwks.h"
#include "app/media_http.h"
#include "app/product.h"
#include "app/work.h"
#include "core/error.h"
#include "core/log.h"

/* Creates the data directory and its parents, and checks it is writable, so
 * a bad FACET_DATA_DIR stops start-up instead of failing the first upload. */
static int ensure_data_dir(const char *dir, char *err, size_t errlen)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path) {
        snprintf(err, errlen, "FACET_DATA_DIR: path too long");
        return FACET_EINVAL;
    }
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0755) != 0 && errno != EEXIST)
            break;
        *p = '/';
    }
    if ((mkdir(path, 0755) != 0 && errno != EEXIST) || access(path, W_OK | X_OK) != 0) {
        snprintf(err, errlen, "FACET_DATA_DIR: cannot use \"%.200s\": %s", dir, strerror(errno));
        return FACET_EINVAL;
    }
    return FACET_OK;
}

static int graphql_routes(app_t *app)
{
    if (!app->graphql.schema)
        return FACET_OK;
    int rc = http_router_add(&app->router, "GET", "/graphql", app_graphql_http, app);
    return rc ? rc : http_router_add(&app->router, "POST", "/graphql", app_graphql_http, app);
}

int app_init(app_t *app, const facet_config_t *cfg, app_graphql_bind_fn bind, char *err,
             size_t errlen)
{
    memset(app, 0, sizeof *app);
    app->cfg = cfg;
    if (ensure_data_dir(cfg->data_dir, err, errlen) != FACET_OK)
        return FACET_EINVAL;
    if (cache_valkey_parse_url(cfg->valkey_url, &app->valkey_addr, err, errlen) != FACET_OK)
        return FACET_EINVAL;
    if (store_mongo_open(cfg->mongodb_uri, cfg->mongo_pool_size, cfg->dependency_timeout_ms,
                         &app->mongo, err, errlen) != FACET_OK)
        return FACET_EINVAL;
    if (app_graphql_init(&app->graphql, cfg, bind, err, errlen) != FACET_OK)
        return FACET_EINVAL;
    if (app_health_routes(app) != FACET_OK || app_media_routes(app) != FACET_OK ||
        app_metrics_routes(app) != FACET_OK || app_webhook_routes(app) != FACET_OK ||
        graphql_routes(app) != FACET_OK) {
        snprintf(err, errlen, "too many routes");
        return FACET_EINVAL;
    }
    return FACET_OK;
}

static void worker_fini_data(app_worker_t *aw)
{
    app_work_serve_fini(aw);
    cache_valkey_close(aw->valkey);
    if (aw->hub)
        rt_hub_close(aw->hub);
    if (aw->has_docs)
        gql_doc_cache_free(&aw->docs);
    if (aw->entities)
        cache_entity_free(aw->entities);
    free(aw);
}

static int worker_init(http_worker_t *w, void *ud)
{
    app_t *app = ud;
    app_worker_t *aw = calloc(1, sizeof *aw);
    if (!aw)
        return FACET_ENOMEM;
    aw->app = app;
    int rc = cache_valkey_new(http_worker_loop(w), &app->valkey_addr, http_worker_index(w),
                              app->cfg->dependency_timeout_ms, &aw->valkey);
    if (rc != FACET_OK) {
        free(aw);
        return rc;
    }
    const app_graphql_t *g = &app->graphql;
    if (g->schema) {
        if (gql_doc_cache_init(&aw->docs, g->schema, g->cache_entries, g->cache_bytes) !=
            FACET_OK) {
            cache_valkey_close(aw->valkey);
            free(aw);
            return FACET_ENOMEM;
        }
        aw->docs.validate_opts.hide_suggestions = !g->introspection;
        aw->has_docs = true;
        if (rt_hub_new(http_worker_loop(w), &app->valkey_addr, http_worker_index(w),
                       app->cfg->dependency_timeout_ms, &aw->hub) != FACET_OK) {
            gql_doc_cache_free(&aw->docs);
            cache_valkey_close(aw->valkey);
            free(aw);
            return FACET_ENOMEM;
        }
    }
    aw->loop = http_worker_loop(w);
    cache_entity_opts_t eo = {app->cfg->cache_ttl_ms, app->cfg->dependency_timeout_ms};
    if (cache_entity_new(aw->valkey, &eo, &aw->entities) != FACET_OK ||
        app_work_serve_init(aw, http_worker_index(w)) != FACET_OK) {
        worker_fini_data(aw);
        return FACET_ENOMEM;
    }
    http_worker_set_data(w, aw);
    return FACET_OK;
}

static void worker_fini(http_worker_t *w, void *ud)
{
    (void)ud;
    app_worker_t *aw = http_worker_data(w);
    if (!aw)
        return;
    worker_fini_data(aw);
    http_worker_set_data(w, NULL);
}

static void dispatch(http_request_t *req, void *ud)
{
    app_t *app = ud;
    http_router_dispatch(req, &app->router);
}

int app_start(app_t *app, uv_loop_t *loop, char *err, size_t errlen)
{
    const facet_config_t *cfg = app->cfg;
    if (app_work_check_config(cfg, err, errlen) != FACET_OK)
        return FACET_EINVAL;
    http_server_opts_t opts = {
        .host = cfg->host,
        .port = cfg->port,
        .threads = cfg->threads,
        .limits = {.max_request_line = cfg->max_request_line,
                   .max_header_size = cfg->max_header_size,
                   .max_headers = (size_t)cfg->max_headers,
                   .max_body_size = cfg->max_body_size},
        .request_timeout_ms = cfg->request_timeout_ms,
        .idle_timeout_ms = cfg->idle_timeout_ms,
        .shutdown_timeout_ms = cfg->shutdown_timeout_ms,
        .handler = dispatch,
        .worker_init = worker_init,
        .worker_fini = worker_fini,
        .ud = app,
    };
    int rc = http_server_start(&opts, &app->server, err, errlen);
    if (rc != FACET_OK)
        return rc;
    app_monitor_start(app, loop);
    app_jwks_start(app, loop);
    app_product_start(app, loop);
    return FACET_OK;
}

void app_shutdown(app_t *app)
{
    app_monitor_stop(app);
    app_product_stop(app); /* the migration retry, when MongoDB was away at start */
    app_jwks_stop(app);
    app_work_serve_stop(app);
    if (app->server)
        http_server_shutdown(app->server);
}

void app_free(app_t *app)
{
    if (app->server) {
        http_server_join(app->server);
        http_server_free(app->server);
        app->server = NULL;
    }
    app_work_serve_free(app);
    app_product_free(app);
    store_mongo_close(app->mongo);
    app->mongo = NULL;
    app_graphql_free(&app->graphql);
}
