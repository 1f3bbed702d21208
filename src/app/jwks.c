/* The identity provider's keys (FACET_JWKS_URL): fetched at start-up, again
 * on a timer of the main loop, and when a token names a key the set lacks
 * (at most once per 30 s, so made-up key ids cannot hammer the provider).
 * Fetches block, so they run on the thread pool. */
#include <stdio.h>
#include <stdlib.h>

#include "app/jwks.h"
#include "app/product.h"
#include "auth/jwks.h"
#include "core/error.h"
#include "core/log.h"

static uint64_t now_ms(void)
{
    return uv_hrtime() / 1000000;
}

typedef struct fetch {
    uv_work_t work;
    auth_jwks_cache_t *cache;
    int status;
    char err[256];
} fetch_t;

static void fetch_work(uv_work_t *w)
{
    fetch_t *f = w->data;
    f->status = auth_jwks_cache_refresh(f->cache, now_ms(), f->err, sizeof f->err);
}

static void log_outcome(int status, const char *err, auth_jwks_cache_t *c)
{
    facet_log_line_t line;
    if (facet_log_begin(&line, status == FACET_OK ? FACET_LOG_INFO : FACET_LOG_WARN,
                        status == FACET_OK ? "identity provider keys fetched"
                                           : "identity provider keys not fetched")) {
        if (status == FACET_OK)
            facet_log_int(&line, "keys", (int64_t)auth_jwks_cache_count(c));
        else
            facet_log_cstr(&line, "error", err);
    }
    facet_log_end(&line);
}

static void fetch_after(uv_work_t *w, int status)
{
    fetch_t *f = w->data;
    log_outcome(status == 0 ? f->status : FACET_EIO, f->err, f->cache);
    free(f);
}

void app_jwks_refresh(app_t *app, uv_loop_t *loop, bool unknown_kid)
{
    auth_jwks_cache_t *c = app->product ? app->product->jwks : NULL;
    if (!c || !auth_jwks_cache_begin_refresh(
                  c, unknown_kid ? AUTH_JWKS_UNKNOWN_KID : AUTH_JWKS_SCHEDULED, now_ms()))
        return;
    fetch_t *f = calloc(1, sizeof *f);
    if (!f)
        return;
    f->cache = c;
    f->work.data = f;
    if (uv_queue_work(loop, &f->work, fetch_work, fetch_after) != 0)
        free(f);
}

int app_jwks_init(app_t *app, char *err, size_t errlen)
{
    const facet_config_t *cfg = app->cfg;
    if (!cfg->jwks_url)
        return FACET_OK;
    /* Unknown key ids fetch at most once per 30 s, or per refresh period
     * when that is shorter. */
    uint64_t min_interval = cfg->jwks_refresh_ms < AUTH_JWKS_MIN_INTERVAL ? cfg->jwks_refresh_ms
                                                                          : AUTH_JWKS_MIN_INTERVAL;
    auth_jwks_cache_opts_t o = {
        .url = cfg->jwks_url, .refresh_ms = cfg->jwks_refresh_ms, .min_interval_ms = min_interval};
    if (auth_jwks_cache_new(&o, &app->product->jwks) != FACET_OK) {
        snprintf(err, errlen, "FACET_JWKS_URL: must be an http:// or https:// URL");
        return FACET_EINVAL;
    }
    /* The first fetch, before serving: a provider that is down is logged,
     * and its tokens are refused until a later fetch succeeds. */
    char why[256] = "";
    auth_jwks_cache_begin_refresh(app->product->jwks, AUTH_JWKS_SCHEDULED, now_ms());
    int rc = auth_jwks_cache_refresh(app->product->jwks, now_ms(), why, sizeof why);
    log_outcome(rc, why, app->product->jwks);
    return FACET_OK;
}

static void on_tick(uv_timer_t *t)
{
    app_t *app = t->data;
    app_jwks_refresh(app, t->loop, false);
}

void app_jwks_start(app_t *app, uv_loop_t *loop)
{
    app_product_t *p = app->product;
    if (!p || !p->jwks)
        return;
    uv_timer_init(loop, &p->jwks_timer);
    p->jwks_timer.data = app;
    /* Often enough to notice when a refresh is due; the cache decides. */
    uint64_t every = app->cfg->jwks_refresh_ms < 60000 ? app->cfg->jwks_refresh_ms : 60000;
    uv_timer_start(&p->jwks_timer, on_tick, every, every);
    p->jwks_timer_on = true;
}

void app_jwks_stop(app_t *app)
{
    app_product_t *p = app->product;
    if (!p || !p->jwks_timer_on)
        return;
    p->jwks_timer_on = false;
    uv_close((uv_handle_t *)&p->jwks_timer, NULL);
}
