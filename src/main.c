/* The facet command line: subcommands and the serving process's life cycle. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "app/app.h"
#include "app/cli_audit.h"
#include "app/cli_gql.h"
#include "app/cli_migrate.h"
#include "app/cli_users.h"
#include "app/work.h"
#include "core/config.h"
#include "core/error.h"
#include "core/log.h"

#define EXIT_USAGE 2

/* Resolvers for the served schema. The product's arrive with the product
 * schema; a fixture build (bench and transport tests) serves the reference
 * workload of shared/bench with its own resolvers. */
#ifdef FACET_FIXTURE
#include "fixture.h"
#define SCHEMA_BINDER fixture_bind
#else
#include "app/product.h"
#define SCHEMA_BINDER app_product_bind
#endif

static void usage(FILE *out)
{
    fprintf(out, "Usage: facet [--help] [--version] <command> [--help]\n"
                 "\n"
                 "Commands:\n"
                 "  serve    run the HTTP API (configured by environment variables)\n"
                 "  work     run the job workers alone, without the HTTP API\n"
                 "  migrate  create MongoDB's collections and indexes (idempotent)\n"
                 "  audit    audit verify: recompute every wallet from its ledger\n"
                 "  users    users set-role EMAIL USER|ADMIN\n"
                 "  gql      GraphQL engine tools: exec, validate, print-schema\n"
                 "\n"
                 "Run 'facet <command> --help' for the settings a command reads.\n");
}

static void serve_usage(FILE *out)
{
    fprintf(out, "Usage: facet serve\n\n"
                 "Serves the HTTP API until SIGTERM or SIGINT, then drains and exits 0.\n\n");
    facet_config_print_help(out);
}

/* The main loop owns the signals and waits for the workers to drain. */
typedef struct serve_ctx {
    app_t app;
    uv_signal_t sigterm, sigint;
    uv_timer_t wait_workers;
    bool stopping;
} serve_ctx_t;

static void on_wait_workers(uv_timer_t *t)
{
    serve_ctx_t *s = t->data;
    if (!http_server_stopped(s->app.server))
        return;
    uv_close((uv_handle_t *)&s->wait_workers, NULL);
    uv_close((uv_handle_t *)&s->sigterm, NULL);
    uv_close((uv_handle_t *)&s->sigint, NULL);
}

static void on_signal(uv_signal_t *h, int signum)
{
    serve_ctx_t *s = h->data;
    if (s->stopping) {
        facet_log_kv(FACET_LOG_WARN, "already shutting down", "signal", strsignal(signum));
        return;
    }
    s->stopping = true;
    facet_log_line_t line;
    if (facet_log_begin(&line, FACET_LOG_INFO, "shutdown")) {
        facet_log_cstr(&line, "signal", signum == SIGTERM ? "SIGTERM" : "SIGINT");
        facet_log_int(&line, "timeout_ms", (int64_t)s->app.cfg->shutdown_timeout_ms);
    }
    facet_log_end(&line);
    app_shutdown(&s->app);
    uv_timer_start(&s->wait_workers, on_wait_workers, 20, 20);
}

static void log_start(const facet_config_t *cfg, int port)
{
    facet_log_line_t line;
    if (facet_log_begin(&line, FACET_LOG_INFO, "ready")) {
        facet_log_cstr(&line, "version", FACET_VERSION);
        facet_log_cstr(&line, "host", cfg->host);
        facet_log_int(&line, "port", port);
        facet_log_int(&line, "threads", cfg->threads);
    }
    facet_log_end(&line);
}

static int serve(const facet_config_t *cfg)
{
    static serve_ctx_t s;
    char err[512] = "";
    uv_loop_t *loop = uv_default_loop();
    facet_log_kv(FACET_LOG_INFO, "start", "version", FACET_VERSION);
    if (app_init(&s.app, cfg, SCHEMA_BINDER, err, sizeof err) != FACET_OK) {
        fprintf(stderr, "facet: %s\n", err);
        facet_log_kv(FACET_LOG_ERROR, "start-up failed", "error", err);
        app_free(&s.app);
        return EXIT_USAGE;
    }
#ifndef FACET_FIXTURE
    if (s.app.graphql.schema && (app_product_init(&s.app, err, sizeof err) != FACET_OK ||
                                 app_product_prepare(&s.app, err, sizeof err) != FACET_OK)) {
        fprintf(stderr, "facet: %s\n", err);
        facet_log_kv(FACET_LOG_ERROR, "start-up failed", "error", err);
        app_free(&s.app);
        return 1;
    }
#endif
    int rc = app_start(&s.app, loop, err, sizeof err);
    if (rc != FACET_OK) {
        fprintf(stderr, "facet: %s\n", err);
        facet_log_kv(FACET_LOG_ERROR, "start-up failed", "error", err);
        app_free(&s.app);
        return rc == FACET_EINVAL ? EXIT_USAGE : 1;
    }
    uv_signal_init(loop, &s.sigterm);
    uv_signal_init(loop, &s.sigint);
    uv_timer_init(loop, &s.wait_workers);
    s.sigterm.data = s.sigint.data = s.wait_workers.data = &s;
    uv_signal_start(&s.sigterm, on_signal, SIGTERM);
    uv_signal_start(&s.sigint, on_signal, SIGINT);
    log_start(cfg, http_server_port(s.app.server));
    uv_run(loop, UV_RUN_DEFAULT);
    app_free(&s.app);
    uv_loop_close(loop);
    facet_log_msg(FACET_LOG_INFO, "stopped");
    return 0;
}

static int cmd_serve(int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            serve_usage(stdout);
            return 0;
        }
        fprintf(stderr, "facet serve: unknown option '%s'\n\n", argv[i]);
        serve_usage(stderr);
        return EXIT_USAGE;
    }
    facet_config_t cfg;
    if (facet_config_load_env(&cfg, "facet") != FACET_OK)
        return EXIT_USAGE;
    facet_log_set_level(cfg.log_level);
    /* libuv sizes its thread pool once, at first use. */
    char threads[16];
    snprintf(threads, sizeof threads, "%d", cfg.blocking_threads);
    setenv("UV_THREADPOOL_SIZE", threads, 0);
    int rc = serve(&cfg);
    facet_config_free(&cfg);
    return rc;
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("facet %s\n", FACET_VERSION);
        return 0;
    }
    if (strcmp(cmd, "serve") == 0)
        return cmd_serve(argc - 2, argv + 2);
    if (strcmp(cmd, "gql") == 0)
        return cli_gql_main(argc - 2, argv + 2);
    if (strcmp(cmd, "work") == 0)
        return app_work_command(argc - 2, argv + 2);
    if (strcmp(cmd, "migrate") == 0)
        return app_migrate_command(argc - 2, argv + 2);
    if (strcmp(cmd, "audit") == 0)
        return app_audit_command(argc - 2, argv + 2);
    if (strcmp(cmd, "users") == 0)
        return app_users_command(argc - 2, argv + 2);
    if (cmd[0] == '-')
        fprintf(stderr, "facet: unknown option '%s'\n\n", cmd);
    else
        fprintf(stderr, "facet: unknown command '%s'\n\n", cmd);
    usage(stderr);
    return EXIT_USAGE;
}
