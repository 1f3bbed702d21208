/* Live-database fixture for the store tests: a client for MONGODB_URI (the
 * test prints "skipped" and passes when it is unset) and a fresh database
 * name per test, dropped by test_db_close. */
#ifndef FACET_TEST_STORE_DB_H
#define FACET_TEST_STORE_DB_H

#include <mongoc/mongoc.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "store/migrate.h"
#include "test.h"

typedef struct test_db {
    mongoc_client_t *client;
    char name[64];
} test_db_t;

/* Connects (or exits with "skipped") and picks an unused database name.
 * With migrate set, runs store_migrate on it first. */
static inline void test_db_open(test_db_t *t, int migrate)
{
    const char *uri = getenv("MONGODB_URI");
    if (!uri || !*uri) {
        printf("skipped: MONGODB_URI not set\n");
        exit(0);
    }
    mongoc_init();
    /* FerretDB lacks endSessions; the driver's warning about it is noise. */
    mongoc_log_set_handler(NULL, NULL);
    bson_error_t error;
    mongoc_uri_t *u = mongoc_uri_new_with_error(uri, &error);
    CHECK(u != NULL);
    mongoc_uri_set_option_as_int32(u, MONGOC_URI_SERVERSELECTIONTIMEOUTMS, 3000);
    t->client = mongoc_client_new_from_uri(u);
    mongoc_uri_destroy(u);
    CHECK(t->client != NULL);
    mongoc_client_set_error_api(t->client, MONGOC_ERROR_API_VERSION_2);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    snprintf(t->name, sizeof t->name, "t_%d_%lx_%lx", (int)getpid(), (unsigned long)ts.tv_sec,
             (unsigned long)ts.tv_nsec);
    if (migrate) {
        store_error_t err;
        int rc = store_migrate(t->client, t->name, NULL, NULL, &err);
        if (rc != 0)
            fprintf(stderr, "migrate: %s\n", err.message);
        CHECK_EQ_INT(rc, 0);
    }
}

/* True when the server is FerretDB (its buildInfo says so). */
static inline int test_db_is_ferretdb(test_db_t *t)
{
    bson_t *cmd = BCON_NEW("buildInfo", BCON_INT32(1));
    bson_t reply;
    bson_error_t error;
    int yes = mongoc_client_command_simple(t->client, "admin", cmd, NULL, &reply, &error) &&
              bson_has_field(&reply, "ferretdbVersion");
    bson_destroy(&reply);
    bson_destroy(cmd);
    return yes;
}

/* Drops the database and releases the client and the driver. */
static inline void test_db_close(test_db_t *t)
{
    mongoc_database_t *db = mongoc_client_get_database(t->client, t->name);
    mongoc_database_drop(db, NULL);
    mongoc_database_destroy(db);
    mongoc_client_destroy(t->client);
    mongoc_cleanup();
}

#endif
