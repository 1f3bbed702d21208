/* Start-up work on the database: the migration (unless FACET_MIGRATE=0)
 * and rolling forward the wallets a crashed instance left behind their
 * ledger. It runs before serving; when MongoDB cannot be reached it is
 * retried in the background, so that Facet serves (and /readyz says the
 * database is down) instead of failing to start. */
#include <stdio.h>
#include <stdlib.h>

#include "app/product.h"
#include "cache/entity.h"
#include "core/error.h"
#include "core/log.h"
#include "store/migrate.h"
#include "store/mongo.h"
#include "store/wallet.h"

/* How far back start-up looks for wallets to roll forward. */
#define RECOVER_WINDOW_MS (15 * 60 * 1000)
#define RETRY_MS          5000

static void on_migrated(const store_migrate_event_t *ev, void *ud)
{
    (void)ud;
    if (!ev->created)
        return;
    facet_log_line_t line;
    if (facet_log_begin(&line, FACET_LOG_INFO, "migrate: created")) {
        facet_log_cstr(&line, "collection", ev->collection);
        if (ev->index)
            facet_log_cstr(&line, "index", ev->index);
    }
    facet_log_end(&line);
}

static void log_rolled(size_t rolled)
{
    facet_log_line_t line;
    if (facet_log_begin(&line, FACET_LOG_WARN, "wallets rolled forward after a crash"))
        facet_log_int(&line, "count", (int64_t)rolled);
    facet_log_end(&line);
}

/* The wallets recovery looked at: their cached balances are forgotten, as
 * a writer that crashed after its ledger write may not have. */
typedef struct visited {
    char (*ids)[STORE_ID_SIZE];
    size_t n, cap;
} visited_t;

static void on_visit(const char *wallet_id, void *ud)
{
    visited_t *v = ud;
    if (v->n == v->cap) {
        size_t cap = v->cap ? 2 * v->cap : 64;
        void *p = realloc(v->ids, cap * sizeof *v->ids);
        if (!p)
            return;
        v->ids = p;
        v->cap = cap;
    }
    snprintf(v->ids[v->n++], STORE_ID_SIZE, "%s", wallet_id);
}

static void forget_cached(const app_t *app, const visited_t *v)
{
    const char **ids = calloc(v->n ? v->n : 1, sizeof *ids);
    if (!ids)
        return;
    for (size_t i = 0; i < v->n; i++)
        ids[i] = v->ids[i];
    const facet_config_t *cfg = app->cfg;
    if (cache_entity_invalidate_blocking(&app->valkey_addr, cfg->dependency_timeout_ms,
                                         cfg->cache_ttl_ms, "wallet", ids, v->n) != FACET_OK)
        facet_log_msg(FACET_LOG_WARN, "cached wallets not cleared after recovery (Valkey away); "
                                      "they expire within FACET_CACHE_TTL");
    free(ids);
}

/* Blocking: migrate, then recover. FACET_EIO / FACET_ETIMEDOUT mean the
 * database could not be reached (worth retrying); err says why. */
static int prepare(const app_t *app, char *err, size_t errlen)
{
    mongoc_client_t *client = store_mongo_pop(app->mongo);
    const char *db = store_mongo_database(app->mongo);
    store_error_t e;
    int rc = app->cfg->migrate ? store_migrate(client, db, on_migrated, NULL, &e) : FACET_OK;
    if (rc != FACET_OK)
        snprintf(err, errlen, "migration failed (FACET_MIGRATE=0 skips it): %s", e.message);
    if (rc == FACET_OK) {
        size_t rolled = 0;
        int64_t since = store_now_ms() - RECOVER_WINDOW_MS;
        visited_t v = {0};
        if (store_wallet_recover_visit(client, db, since, on_visit, &v, &rolled, &e) != FACET_OK)
            facet_log_kv(FACET_LOG_ERROR, "wallet recovery incomplete", "error", e.message);
        else if (rolled)
            log_rolled(rolled);
        forget_cached(app, &v);
        free(v.ids);
    }
    store_mongo_push(app->mongo, client);
    return rc;
}

static bool unreachable(int rc)
{
    return rc == FACET_EIO || rc == FACET_ETIMEDOUT;
}

int app_product_prepare(app_t *app, char *err, size_t errlen)
{
    int rc = prepare(app, err, errlen);
    if (!unreachable(rc))
        return rc;
    facet_log_kv(FACET_LOG_WARN, "database unreachable at start; migration retried in background",
                 "error", err);
    app->product->prepare_pending = true;
    err[0] = '\0';
    return FACET_OK;
}

/* ---- the background retry on the main loop ---- */

typedef struct retry {
    uv_work_t work;
    app_t *app;
    int rc;
    char err[512];
} retry_t;

static void retry_work(uv_work_t *w)
{
    retry_t *r = w->data;
    r->rc = prepare(r->app, r->err, sizeof r->err);
}

static void retry_after(uv_work_t *w, int status)
{
    retry_t *r = w->data;
    app_product_t *p = r->app->product;
    p->prepare_running = false;
    if (status == 0 && r->rc == FACET_OK) {
        p->prepare_pending = false;
        facet_log_msg(FACET_LOG_INFO, "migration done after the database came back");
        if (p->prepare_timer_on)
            uv_timer_stop(&p->prepare_timer);
    } else if (status == 0 && !unreachable(r->rc)) {
        p->prepare_pending = false;
        facet_log_kv(FACET_LOG_ERROR, "migration failed", "error", r->err);
    }
    free(r);
}

static void on_retry_tick(uv_timer_t *t)
{
    app_t *app = t->data;
    app_product_t *p = app->product;
    if (!p->prepare_pending || p->prepare_running)
        return;
    retry_t *r = calloc(1, sizeof *r);
    if (!r)
        return;
    r->app = app;
    r->work.data = r;
    if (uv_queue_work(t->loop, &r->work, retry_work, retry_after) != 0) {
        free(r);
        return;
    }
    p->prepare_running = true;
}

void app_product_start(app_t *app, uv_loop_t *loop)
{
    app_product_t *p = app->product;
    if (!p || !p->prepare_pending)
        return;
    uv_timer_init(loop, &p->prepare_timer);
    p->prepare_timer.data = app;
    uv_timer_start(&p->prepare_timer, on_retry_tick, RETRY_MS, RETRY_MS);
    p->prepare_timer_on = true;
}

void app_product_stop(app_t *app)
{
    app_product_t *p = app->product;
    if (!p || !p->prepare_timer_on)
        return;
    p->prepare_timer_on = false;
    uv_close((uv_handle_t *)&p->prepare_timer, NULL);
}
