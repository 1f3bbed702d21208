/* `facet migrate`: the command-line face of store_migrate. */
#include "app/cli_migrate.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/error.h"
#include "core/log.h"
#include "store/migrate.h"
#include "store/mongo.h"

#define EXIT_USAGE 2

typedef struct tally {
    int created;
    int existing;
} tally_t;

static void usage(FILE *out)
{
    fprintf(out, "Usage: facet migrate\n"
                 "\n"
                 "Creates the MongoDB collections and indexes Facet needs, idempotently\n"
                 "(what exists already is left alone; an index with the same name and a\n"
                 "different definition is an error). Reads MONGODB_URI (the database is\n"
                 "the URI's path, \"facet\" when absent) and FACET_DEPENDENCY_TIMEOUT.\n"
                 "\n"
                 "Prints one JSON line per collection and index, then a summary line.\n"
                 "Exit status: 0 done, 1 database unreachable or conflicting index,\n"
                 "2 usage or configuration error.\n");
}

static void on_event(const store_migrate_event_t *ev, void *ud)
{
    tally_t *t = ud;
    if (ev->created)
        t->created++;
    else
        t->existing++;
    if (ev->index)
        printf("{\"collection\":\"%s\",\"index\":\"%s\",\"created\":%s}\n", ev->collection,
               ev->index, ev->created ? "true" : "false");
    else
        printf("{\"collection\":\"%s\",\"created\":%s}\n", ev->collection,
               ev->created ? "true" : "false");
}

static void print_failure(const char *message)
{
    facet_buf_t b;
    facet_buf_init(&b, 0);
    facet_buf_append_json_escaped(&b, message, strlen(message));
    printf("{\"ok\":false,\"error\":\"%.*s\"}\n", (int)b.len, b.base ? b.base : "");
    facet_buf_free(&b);
    fprintf(stderr, "facet migrate: %s\n", message);
}

static int migrate(const facet_config_t *cfg)
{
    char err[512];
    store_mongo_t *m;
    if (store_mongo_open(cfg->mongodb_uri, 1, cfg->dependency_timeout_ms, &m, err, sizeof err) !=
        FACET_OK) {
        print_failure(err);
        return EXIT_USAGE;
    }
    tally_t t = {0, 0};
    store_error_t e;
    mongoc_client_t *client = store_mongo_pop(m);
    int rc = store_migrate(client, store_mongo_database(m), on_event, &t, &e);
    store_mongo_push(m, client);
    store_mongo_close(m);
    if (rc != FACET_OK) {
        print_failure(e.message[0] ? e.message : facet_strerror(rc));
        return 1;
    }
    printf("{\"ok\":true,\"created\":%d,\"existing\":%d}\n", t.created, t.existing);
    return 0;
}

int app_migrate_command(int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        }
        fprintf(stderr, "facet migrate: unknown option '%s'\n\n", argv[i]);
        usage(stderr);
        return EXIT_USAGE;
    }
    facet_config_t cfg;
    if (facet_config_load_env(&cfg, "facet migrate") != FACET_OK)
        return EXIT_USAGE;
    facet_log_set_level(cfg.log_level);
    int rc = migrate(&cfg);
    fflush(stdout);
    facet_config_free(&cfg);
    return rc;
}
