/* `facet audit verify`: the command-line face of store_audit_verify. */
#include "app/cli_audit.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/error.h"
#include "core/log.h"
#include "store/audit.h"
#include "store/mongo.h"

#define EXIT_USAGE 2

static void usage(FILE *out)
{
    fprintf(out, "Usage: facet audit verify\n"
                 "\n"
                 "Recomputes every wallet's balance from its ledger, checks each entry's\n"
                 "hash, its link to the one before and its arithmetic, and compares the\n"
                 "result with the wallet's stored balance. Reads only; safe while Facet\n"
                 "serves. Reads MONGODB_URI (the database is the URI's path, \"facet\"\n"
                 "when absent) and FACET_DEPENDENCY_TIMEOUT.\n"
                 "\n"
                 "Prints one JSON line per problem ({\"problem\", \"wallet\", \"seq\",\n"
                 "\"detail\"}; seq 0 is the wallet's projection), then a summary line.\n"
                 "A projection behind a sound ledger (a write in flight, or a crash that\n"
                 "the next read repairs) is counted as \"behind\", not as a problem.\n"
                 "Exit status: 0 clean, 1 problems found or the database could not be\n"
                 "read to the end, 2 usage or configuration error.\n");
}

static void append_json(facet_buf_t *b, const char *key, const char *value, bool comma)
{
    facet_buf_printf(b, "%s\"%s\":\"", comma ? "," : "", key);
    facet_buf_append_json_escaped(b, value, strlen(value));
    facet_buf_append_str(b, "\"");
}

static void on_problem(const store_audit_problem_t *p, void *ud)
{
    (void)ud;
    facet_buf_t b;
    facet_buf_init(&b, 0);
    facet_buf_append_str(&b, "{");
    append_json(&b, "problem", p->code, false);
    append_json(&b, "wallet", p->wallet_id, true);
    facet_buf_printf(&b, ",\"seq\":%lld", (long long)p->seq);
    append_json(&b, "detail", p->detail, true);
    facet_buf_append_str(&b, "}\n");
    fwrite(b.base, 1, b.len, stdout);
    facet_buf_free(&b);
}

static int verify(const facet_config_t *cfg)
{
    char err[512];
    store_mongo_t *m;
    if (store_mongo_open(cfg->mongodb_uri, 1, cfg->dependency_timeout_ms, &m, err, sizeof err) !=
        FACET_OK) {
        fprintf(stderr, "facet audit: %s\n", err);
        return EXIT_USAGE;
    }
    store_audit_counts_t counts;
    store_error_t e;
    mongoc_client_t *client = store_mongo_pop(m);
    int rc = store_audit_verify(client, store_mongo_database(m), on_problem, NULL, &counts, &e);
    store_mongo_push(m, client);
    store_mongo_close(m);
    bool ok = rc == FACET_OK && counts.problems == 0;
    printf("{\"ok\":%s,\"wallets\":%lld,\"entries\":%lld,\"problems\":%lld,\"behind\":%lld",
           ok ? "true" : "false", (long long)counts.wallets, (long long)counts.entries,
           (long long)counts.problems, (long long)counts.behind);
    if (rc != FACET_OK) {
        facet_buf_t b;
        facet_buf_init(&b, 0);
        append_json(&b, "error", e.message[0] ? e.message : facet_strerror(rc), true);
        printf("%.*s", (int)b.len, b.base ? b.base : "");
        facet_buf_free(&b);
        fprintf(stderr, "facet audit: the audit stopped: %s\n",
                e.message[0] ? e.message : facet_strerror(rc));
    }
    printf("}\n");
    return ok ? 0 : 1;
}

int app_audit_command(int argc, char **argv)
{
    bool help = argc > 0 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0);
    if (help || argc != 1 || strcmp(argv[0], "verify") != 0) {
        if (!help && argc > 0)
            fprintf(stderr, "facet audit: unknown command or option '%s'\n\n",
                    strcmp(argv[0], "verify") == 0 ? argv[1] : argv[0]);
        usage(help ? stdout : stderr);
        return help ? 0 : EXIT_USAGE;
    }
    facet_config_t cfg;
    if (facet_config_load_env(&cfg, "facet audit") != FACET_OK)
        return EXIT_USAGE;
    facet_log_set_level(cfg.log_level);
    int rc = verify(&cfg);
    fflush(stdout);
    facet_config_free(&cfg);
    return rc;
}
