/* `facet users set-role`: an operator's command. */
#include "app/cli_users.h"

#include <stdio.h>
#include <string.h>

#include "core/config.h"
#include "core/error.h"
#include "store/mongo.h"
#include "store/users.h"

#define EXIT_USAGE 2

static void usage(FILE *out)
{
    fprintf(out, "Usage: facet users set-role EMAIL USER|ADMIN\n"
                 "\n"
                 "Sets the role of the user with that e-mail address. Reads MONGODB_URI.\n"
                 "Sessions keep their role until their access token is refreshed.\n");
}

static int set_role(const facet_config_t *cfg, const char *email, store_role_t role)
{
    char err[512];
    store_mongo_t *m;
    if (store_mongo_open(cfg->mongodb_uri, 1, cfg->dependency_timeout_ms, &m, err, sizeof err) !=
        FACET_OK) {
        fprintf(stderr, "facet users: %s\n", err);
        return EXIT_USAGE;
    }
    mongoc_client_t *c = store_mongo_pop(m);
    const char *db = store_mongo_database(m);
    store_user_t u;
    store_error_t e;
    int rc = store_user_find_by_email(c, db, email, &u, &e);
    if (rc == FACET_OK)
        rc = store_user_set_role(c, db, u.id, role, store_now_ms(), &e);
    store_mongo_push(m, c);
    store_mongo_close(m);
    if (rc == FACET_ENOTFOUND) {
        fprintf(stderr, "facet users: no user has the e-mail address %s\n", email);
        return 1;
    }
    if (rc != FACET_OK) {
        fprintf(stderr, "facet users: %s\n", e.message);
        return 1;
    }
    printf("{\"ok\":true,\"id\":\"%s\",\"role\":\"%s\"}\n", u.id, store_role_name(role));
    return 0;
}

int app_users_command(int argc, char **argv)
{
    if (argc == 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0)) {
        usage(stdout);
        return 0;
    }
    if (argc != 3 || strcmp(argv[0], "set-role") != 0 ||
        (strcmp(argv[2], "USER") != 0 && strcmp(argv[2], "ADMIN") != 0)) {
        usage(stderr);
        return EXIT_USAGE;
    }
    facet_config_t cfg;
    if (facet_config_load_env(&cfg, "facet") != FACET_OK)
        return EXIT_USAGE;
    int rc =
        set_role(&cfg, argv[1], strcmp(argv[2], "ADMIN") == 0 ? STORE_ROLE_ADMIN : STORE_ROLE_USER);
    facet_config_free(&cfg);
    return rc;
}
