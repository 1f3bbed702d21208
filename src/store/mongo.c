/* libmongoc pool set-up, its log bridge, and an asynchronous ping. */
#include "store/mongo.h"

#include <mongoc/mongoc.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/log.h"

struct store_mongo {
    mongoc_client_pool_t *pool;
    char database[128];
};

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

/* libmongoc logs through its own handler; route it to our JSON lines. */
static void on_mongoc_log(mongoc_log_level_t level, const char *domain, const char *message,
                          void *ud)
{
    (void)ud;
    facet_log_level_t ours = level <= MONGOC_LOG_LEVEL_ERROR     ? FACET_LOG_ERROR
                             : level == MONGOC_LOG_LEVEL_WARNING ? FACET_LOG_WARN
                             : level <= MONGOC_LOG_LEVEL_INFO    ? FACET_LOG_INFO
                                                                 : FACET_LOG_DEBUG;
    facet_log_line_t line;
    if (facet_log_begin(&line, ours, message)) {
        facet_log_cstr(&line, "component", "mongoc");
        facet_log_cstr(&line, "domain", domain);
    }
    facet_log_end(&line);
}

static void init_driver(void)
{
    mongoc_init();
    mongoc_log_set_handler(on_mongoc_log, NULL);
}

static void default_timeout(mongoc_uri_t *uri, const char *option, uint64_t ms)
{
    if (!mongoc_uri_has_option(uri, option))
        mongoc_uri_set_option_as_int32(uri, option, (int32_t)ms);
}

int store_mongo_open(const char *uri_text, int pool_size, uint64_t timeout_ms, store_mongo_t **out,
                     char *err, size_t errlen)
{
    pthread_once(&init_once, init_driver);
    bson_error_t error;
    mongoc_uri_t *uri = mongoc_uri_new_with_error(uri_text, &error);
    if (!uri) {
        snprintf(err, errlen, "MONGODB_URI: %s", error.message);
        return FACET_EINVAL;
    }
    default_timeout(uri, MONGOC_URI_SERVERSELECTIONTIMEOUTMS, timeout_ms);
    default_timeout(uri, MONGOC_URI_CONNECTTIMEOUTMS, timeout_ms);
    if (!mongoc_uri_has_option(uri, MONGOC_URI_APPNAME))
        mongoc_uri_set_appname(uri, "facet");
    store_mongo_t *m = calloc(1, sizeof *m);
    if (!m) {
        mongoc_uri_destroy(uri);
        return FACET_ENOMEM;
    }
    const char *db = mongoc_uri_get_database(uri);
    snprintf(m->database, sizeof m->database, "%s", db && *db ? db : "facet");
    m->pool = mongoc_client_pool_new(uri);
    mongoc_uri_destroy(uri);
    if (!m->pool) {
        free(m);
        snprintf(err, errlen, "MONGODB_URI: cannot create a client pool for this URI");
        return FACET_EINVAL;
    }
    mongoc_client_pool_set_error_api(m->pool, MONGOC_ERROR_API_VERSION_2);
    mongoc_client_pool_max_size(m->pool, (uint32_t)pool_size);
    *out = m;
    return FACET_OK;
}

void store_mongo_close(store_mongo_t *m)
{
    if (!m)
        return;
    mongoc_client_pool_destroy(m->pool);
    free(m);
}

const char *store_mongo_database(const store_mongo_t *m)
{
    return m->database;
}

/* ---- ping on the thread pool, with a deadline on the loop ---- */

typedef struct ping {
    uv_work_t work;
    uv_timer_t timer;
    store_mongo_t *m;
    store_mongo_ping_cb cb;
    void *ud;
    bool ok;
    bool done;
    int refs; /* the work item and the timer handle */
    char error[256];
} ping_t;

static void ping_unref(ping_t *p)
{
    if (--p->refs == 0)
        free(p);
}

static void on_timer_closed(uv_handle_t *h);

static void ping_finish(ping_t *p, int status, const char *error)
{
    if (p->done)
        return;
    p->done = true;
    uv_timer_stop(&p->timer);
    uv_close((uv_handle_t *)&p->timer, on_timer_closed);
    p->cb(status, error, p->ud);
}

static void ping_work(uv_work_t *w)
{
    ping_t *p = w->data;
    mongoc_client_t *client = mongoc_client_pool_pop(p->m->pool);
    bson_t cmd = BSON_INITIALIZER;
    bson_error_t error;
    BSON_APPEND_INT32(&cmd, "ping", 1);
    p->ok = mongoc_client_command_simple(client, "admin", &cmd, NULL, NULL, &error);
    if (!p->ok)
        snprintf(p->error, sizeof p->error, "%.250s", error.message);
    bson_destroy(&cmd);
    mongoc_client_pool_push(p->m->pool, client);
}

static void ping_after(uv_work_t *w, int status)
{
    ping_t *p = w->data;
    if (status != 0)
        snprintf(p->error, sizeof p->error, "%s", uv_strerror(status));
    ping_finish(p, p->ok && status == 0 ? FACET_OK : FACET_EIO, p->ok ? NULL : p->error);
    ping_unref(p);
}

static void on_timer_closed(uv_handle_t *h)
{
    ping_unref(h->data);
}

static void on_timeout(uv_timer_t *t)
{
    ping_t *p = t->data;
    ping_finish(p, FACET_ETIMEDOUT, "timed out");
}

int store_mongo_ping(store_mongo_t *m, uv_loop_t *loop, uint64_t timeout_ms, store_mongo_ping_cb cb,
                     void *ud)
{
    ping_t *p = calloc(1, sizeof *p);
    if (!p)
        return FACET_ENOMEM;
    p->m = m;
    p->cb = cb;
    p->ud = ud;
    p->work.data = p;
    p->timer.data = p;
    if (uv_queue_work(loop, &p->work, ping_work, ping_after) != 0) {
        free(p);
        return FACET_EIO;
    }
    p->refs = 2;
    uv_timer_init(loop, &p->timer);
    uv_timer_start(&p->timer, on_timeout, timeout_ms, 0);
    return FACET_OK;
}

/* ---- blocking work on the thread pool ---- */

typedef struct run {
    uv_work_t work;
    store_mongo_t *m;
    store_mongo_work_fn fn;
    store_mongo_done_fn done;
    void *ud;
    int status;
} run_t;

static void run_work(uv_work_t *w)
{
    run_t *r = w->data;
    mongoc_client_t *client = mongoc_client_pool_pop(r->m->pool);
    r->status = r->fn(client, r->m->database, r->ud);
    mongoc_client_pool_push(r->m->pool, client);
}

static void run_after(uv_work_t *w, int status)
{
    run_t *r = w->data;
    store_mongo_done_fn done = r->done;
    void *ud = r->ud;
    int rc = status == 0 ? r->status : FACET_EIO;
    free(r);
    done(rc, ud);
}

int store_mongo_run(store_mongo_t *m, uv_loop_t *loop, store_mongo_work_fn work,
                    store_mongo_done_fn done, void *ud)
{
    run_t *r = calloc(1, sizeof *r);
    if (!r)
        return FACET_ENOMEM;
    *r = (run_t){.m = m, .fn = work, .done = done, .ud = ud};
    r->work.data = r;
    if (uv_queue_work(loop, &r->work, run_work, run_after) != 0) {
        free(r);
        return FACET_EIO;
    }
    return FACET_OK;
}

mongoc_client_t *store_mongo_pop(store_mongo_t *m)
{
    return mongoc_client_pool_pop(m->pool);
}

void store_mongo_push(store_mongo_t *m, mongoc_client_t *client)
{
    mongoc_client_pool_push(m->pool, client);
}
