/* The product's job workers (see work.h): one loop's workers and the
 * maintenance scheduler, their hooks in `facet serve`, and `facet work`. */
#include "app/work.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/activity.h"
#include "app/maintenance.h"
#include "core/error.h"
#include "core/log.h"

#define EXIT_USAGE 2

/* The product's queues, each with its one job name. */
typedef struct queue_def {
    const char *queue;
    const char *job;
    queue_handler_fn fn;
    int concurrency; /* per loop */
} queue_def_t;

static const queue_def_t QUEUES[] = {
    {APP_ACTIVITY_QUEUE, APP_ACTIVITY_JOB, app_activity_job, 4},
    {APP_MAINTENANCE_QUEUE, APP_MAINTENANCE_JOB, app_maintenance_job, 1},
};
#define NQUEUES (sizeof QUEUES / sizeof QUEUES[0])

struct app_work_loop {
    uv_loop_t *loop;
    app_work_env_t env;
    int index;
    queue_handler_t handlers[NQUEUES];
    queue_worker_t *workers[NQUEUES];
    int open_workers;
    /* Stop requests from other threads; open until the workers closed. */
    uv_async_t stop;
    uv_mutex_t mu;
    bool async_open; /* guarded by mu */
    bool stopping;
    /* Loop 0: keeps the maintenance scheduler in place. */
    queue_conn_t *sched_conn;
    queue_t *sched_queue;
    bool scheduling, scheduled;
};

int app_work_check_config(const facet_config_t *cfg, char *err, size_t errlen)
{
    size_t n = strlen(cfg->queue_prefix);
    if (n == 0 || n > 100) {
        snprintf(err, errlen, "FACET_QUEUE_PREFIX: must be 1 to 100 characters");
        return FACET_EINVAL;
    }
    return FACET_OK;
}

/* ---- the maintenance scheduler (loop 0) ---- */

static void schedule(app_work_loop_t *l);

static void on_run_queued(int status, const char *job_id, void *ud)
{
    app_work_loop_t *l = ud;
    l->scheduling = false;
    if (status != FACET_OK || l->stopping)
        return;
    l->scheduled = true;
    facet_log_line_t line;
    if (facet_log_begin(&line, FACET_LOG_INFO, "maintenance scheduled")) {
        facet_log_int(&line, "every_ms", (int64_t)l->env.cfg->maintenance_every_ms);
        facet_log_cstr(&line, "run", job_id);
    }
    facet_log_end(&line);
}

/* True when the scheduler's pending iteration ("repeat:<id>:<ms>") is due
 * within a second: it is the run at start then. */
static bool runs_now(const char *job_id)
{
    const char *colon = job_id ? strrchr(job_id, ':') : NULL;
    return colon && strtoll(colon + 1, NULL, 10) <= queue_now_ms() + 1000;
}

static void on_upserted(int status, const char *job_id, void *ud)
{
    app_work_loop_t *l = ud;
    if (status == FACET_OK && !l->stopping && runs_now(job_id))
        return on_run_queued(status, job_id, l);
    if (status != FACET_OK || l->stopping ||
        app_maintenance_run_now(l->sched_queue, on_run_queued, l) != FACET_OK)
        l->scheduling = false;
}

static void schedule(app_work_loop_t *l)
{
    if (l->scheduled || l->scheduling || l->stopping)
        return;
    l->scheduling = app_maintenance_upsert(l->sched_queue, l->env.cfg->maintenance_every_ms,
                                           on_upserted, l) == FACET_OK;
}

/* Scheduling waits for Valkey, and is retried after a failure on the next
 * reconnect. */
static void on_sched_conn(queue_conn_t *c, bool up, void *ud)
{
    (void)c;
    if (up)
        schedule(ud);
}

static int sched_start(app_work_loop_t *l)
{
    if (queue_conn_new(l->loop, &l->env.valkey, "maintenance", on_sched_conn, l, &l->sched_conn) !=
        FACET_OK)
        return FACET_ENOMEM;
    if (queue_new(l->sched_conn, l->env.cfg->queue_prefix, APP_MAINTENANCE_QUEUE,
                  &l->sched_queue) != FACET_OK) {
        queue_conn_close(l->sched_conn);
        l->sched_conn = NULL;
        return FACET_EINVAL;
    }
    return FACET_OK;
}

/* ---- one loop's workers ---- */

static void close_async(app_work_loop_t *l)
{
    uv_mutex_lock(&l->mu);
    if (l->async_open) {
        l->async_open = false;
        uv_close((uv_handle_t *)&l->stop, NULL);
    }
    uv_mutex_unlock(&l->mu);
}

static void on_worker_closed(queue_worker_t *w, int abandoned, void *ud)
{
    app_work_loop_t *l = ud;
    (void)w;
    if (abandoned) {
        facet_log_line_t line;
        if (facet_log_begin(&line, FACET_LOG_WARN, "jobs left for stalled recovery")) {
            facet_log_int(&line, "thread", l->index);
            facet_log_int(&line, "jobs", abandoned);
        }
        facet_log_end(&line);
    }
    if (--l->open_workers == 0)
        close_async(l);
}

static void on_stop(uv_async_t *a)
{
    app_work_loop_t *l = a->data;
    if (l->stopping)
        return;
    l->stopping = true;
    if (l->sched_conn) {
        queue_free(l->sched_queue);
        queue_conn_close(l->sched_conn); /* pending callbacks see stopping */
        l->sched_conn = NULL;
    }
    if (l->open_workers == 0)
        return close_async(l);
    for (size_t i = 0; i < NQUEUES; i++) {
        if (l->workers[i])
            queue_worker_close(l->workers[i], l->env.cfg->shutdown_timeout_ms, on_worker_closed, l);
    }
}

int app_work_loop_new(uv_loop_t *loop, const app_work_env_t *env, int index, app_work_loop_t **out)
{
    app_work_loop_t *l = calloc(1, sizeof *l);
    if (!l)
        return FACET_ENOMEM;
    *l = (app_work_loop_t){.loop = loop, .env = *env, .index = index};
    if (uv_mutex_init(&l->mu) != 0) {
        free(l);
        return FACET_ENOMEM;
    }
    uv_async_init(loop, &l->stop, on_stop);
    l->stop.data = l;
    l->async_open = true;
    *out = l;
    int rc = index == 0 ? sched_start(l) : FACET_OK;
    char name[32];
    snprintf(name, sizeof name, "facet-%d", index);
    for (size_t i = 0; i < NQUEUES && rc == FACET_OK; i++) {
        l->handlers[i] = (queue_handler_t){QUEUES[i].job, QUEUES[i].fn, &l->env};
        queue_worker_opts_t o = {.queue = QUEUES[i].queue,
                                 .prefix = env->cfg->queue_prefix,
                                 .name = name,
                                 .concurrency = QUEUES[i].concurrency,
                                 .handlers = &l->handlers[i],
                                 .nhandlers = 1};
        rc = queue_worker_new(loop, &env->valkey, &o, &l->workers[i]);
        if (rc == FACET_OK)
            l->open_workers++;
    }
    /* On failure the caller stops and frees it as usual. */
    return rc;
}

void app_work_loop_stop(app_work_loop_t *l)
{
    if (!l)
        return;
    uv_mutex_lock(&l->mu);
    if (l->async_open)
        uv_async_send(&l->stop);
    uv_mutex_unlock(&l->mu);
}

void app_work_loop_free(app_work_loop_t *l)
{
    if (!l)
        return;
    uv_mutex_destroy(&l->mu);
    free(l);
}

/* ---- in `facet serve` ---- */

int app_work_serve_init(app_worker_t *aw, int index)
{
    app_t *app = aw->app;
    const facet_config_t *cfg = app->cfg;
    if (!app->product)
        return FACET_OK;
    int rc = app_activity_log_new(aw->loop, &app->valkey_addr, cfg->queue_prefix, index,
                                  &aw->activity_log);
    if (rc != FACET_OK || index >= cfg->workers)
        return rc;
    if (!app->work_loops) {
        app->work_loops = calloc((size_t)cfg->threads, sizeof *app->work_loops);
        if (!app->work_loops)
            return FACET_ENOMEM;
        app->nwork_loops = cfg->threads;
    }
    app_work_env_t env = {cfg, app->mongo, app->valkey_addr};
    rc = app_work_loop_new(aw->loop, &env, index, &aw->work);
    if (aw->work && index < app->nwork_loops)
        app->work_loops[index] = aw->work;
    return rc;
}

void app_work_serve_fini(app_worker_t *aw)
{
    app_activity_log_close(aw->activity_log, aw->app->cfg->dependency_timeout_ms);
    aw->activity_log = NULL;
    app_work_loop_stop(aw->work); /* freed by app_work_serve_free */
    aw->work = NULL;
}

void app_work_serve_stop(app_t *app)
{
    for (int i = 0; i < app->nwork_loops; i++)
        app_work_loop_stop(app->work_loops[i]);
}

void app_work_serve_free(app_t *app)
{
    for (int i = 0; i < app->nwork_loops; i++)
        app_work_loop_free(app->work_loops[i]);
    free(app->work_loops);
    app->work_loops = NULL;
    app->nwork_loops = 0;
}

/* ---- `facet work` ---- */

typedef struct work_thread {
    uv_thread_t tid;
    uv_loop_t loop;
    app_work_loop_t *work;
} work_thread_t;

typedef struct work_main {
    uv_signal_t sigterm, sigint;
    work_thread_t *threads;
    int nthreads;
} work_main_t;

static void run_thread(void *arg)
{
    work_thread_t *t = arg;
    uv_run(&t->loop, UV_RUN_DEFAULT);
}

static void on_signal(uv_signal_t *h, int signum)
{
    work_main_t *m = h->data;
    facet_log_kv(FACET_LOG_INFO, "shutdown", "signal", signum == SIGTERM ? "SIGTERM" : "SIGINT");
    for (int i = 0; i < m->nthreads; i++)
        app_work_loop_stop(m->threads[i].work);
    uv_close((uv_handle_t *)&m->sigterm, NULL);
    uv_close((uv_handle_t *)&m->sigint, NULL);
}

/* Runs the loops of threads that were prepared, after a failure. */
static void teardown(work_main_t *m, int prepared)
{
    for (int i = 0; i < prepared; i++) {
        app_work_loop_stop(m->threads[i].work);
        uv_run(&m->threads[i].loop, UV_RUN_DEFAULT);
        uv_loop_close(&m->threads[i].loop);
        app_work_loop_free(m->threads[i].work);
    }
}

static int run(const app_work_env_t *env)
{
    work_main_t m = {.nthreads = env->cfg->threads};
    m.threads = calloc((size_t)m.nthreads, sizeof *m.threads);
    if (!m.threads)
        return 1;
    for (int i = 0; i < m.nthreads; i++) {
        uv_loop_init(&m.threads[i].loop);
        if (app_work_loop_new(&m.threads[i].loop, env, i, &m.threads[i].work) != FACET_OK) {
            facet_log_msg(FACET_LOG_ERROR, "a queue worker could not be created");
            teardown(&m, i + 1);
            free(m.threads);
            return 1;
        }
    }
    uv_loop_t *loop = uv_default_loop();
    uv_signal_init(loop, &m.sigterm);
    uv_signal_init(loop, &m.sigint);
    m.sigterm.data = m.sigint.data = &m;
    uv_signal_start(&m.sigterm, on_signal, SIGTERM);
    uv_signal_start(&m.sigint, on_signal, SIGINT);
    for (int i = 0; i < m.nthreads; i++)
        uv_thread_create(&m.threads[i].tid, run_thread, &m.threads[i]);
    facet_log_line_t line;
    if (facet_log_begin(&line, FACET_LOG_INFO, "workers ready")) {
        facet_log_int(&line, "threads", m.nthreads);
        facet_log_int(&line, "queues", (int64_t)NQUEUES);
    }
    facet_log_end(&line);
    uv_run(loop, UV_RUN_DEFAULT);
    for (int i = 0; i < m.nthreads; i++) {
        uv_thread_join(&m.threads[i].tid);
        uv_loop_close(&m.threads[i].loop);
        app_work_loop_free(m.threads[i].work);
    }
    uv_loop_close(loop);
    free(m.threads);
    facet_log_msg(FACET_LOG_INFO, "stopped");
    return 0;
}

static void usage(FILE *out)
{
    fprintf(out, "Usage: facet work\n\n"
                 "Runs the job workers without the HTTP API until SIGTERM or SIGINT, then lets\n"
                 "running jobs finish within FACET_SHUTDOWN_TIMEOUT and exits 0. It reads\n"
                 "VALKEY_URL, MONGODB_URI, FACET_THREADS, FACET_BLOCKING_THREADS,\n"
                 "FACET_QUEUE_PREFIX, FACET_ACTIVITY_RETENTION_DAYS, FACET_MAINTENANCE_EVERY,\n"
                 "FACET_SHUTDOWN_TIMEOUT and FACET_LOG_LEVEL.\n\n");
    facet_config_print_help(out);
}

static int load(facet_config_t *cfg, app_work_env_t *env)
{
    if (facet_config_load_env(cfg, "facet") != FACET_OK)
        return EXIT_USAGE;
    char err[512];
    *env = (app_work_env_t){.cfg = cfg};
    if (cache_valkey_parse_url(cfg->valkey_url, &env->valkey, err, sizeof err) != FACET_OK ||
        app_work_check_config(cfg, err, sizeof err) != FACET_OK ||
        store_mongo_open(cfg->mongodb_uri, cfg->mongo_pool_size, cfg->dependency_timeout_ms,
                         &env->mongo, err, sizeof err) != FACET_OK) {
        fprintf(stderr, "facet: invalid configuration: %s\n", err);
        facet_config_free(cfg);
        return EXIT_USAGE;
    }
    return FACET_OK;
}

int app_work_command(int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        bool help = strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0;
        if (!help)
            fprintf(stderr, "facet work: unknown option '%s'\n\n", argv[i]);
        usage(help ? stdout : stderr);
        return help ? 0 : EXIT_USAGE;
    }
    facet_config_t cfg;
    app_work_env_t env;
    int rc = load(&cfg, &env);
    if (rc != FACET_OK)
        return rc;
    facet_log_set_level(cfg.log_level);
    /* libuv sizes its thread pool once, at first use. */
    char threads[16];
    snprintf(threads, sizeof threads, "%d", cfg.blocking_threads);
    setenv("UV_THREADPOOL_SIZE", threads, 0);
    facet_log_kv(FACET_LOG_INFO, "start", "version", FACET_VERSION);
    rc = run(&env);
    store_mongo_close(env.mongo);
    facet_config_free(&cfg);
    return rc;
}
