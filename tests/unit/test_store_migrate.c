/* store_migrate against a live FerretDB/MongoDB (MONGODB_URI): creates
 * everything once, is a no-op the second time, and refuses an index whose
 * definition differs. */
#include <string.h>

#include "app/cli_migrate.h"
#include "core/error.h"
#include "store/doc.h"
#include "test_store_db.h"

typedef struct seen {
    int created, existing, collections;
    char last[64];
} seen_t;

static void on_event(const store_migrate_event_t *ev, void *ud)
{
    seen_t *s = ud;
    if (ev->created)
        s->created++;
    else
        s->existing++;
    if (!ev->index)
        s->collections++;
    snprintf(s->last, sizeof s->last, "%s", ev->index ? ev->index : ev->collection);
}

/* The index document named name in coll, copied into out; false if absent. */
static int find_index(test_db_t *t, const char *coll, const char *name, bson_t *out)
{
    mongoc_collection_t *c = mongoc_client_get_collection(t->client, t->name, coll);
    mongoc_cursor_t *cur = mongoc_collection_find_indexes_with_opts(c, NULL);
    const bson_t *doc;
    int found = 0;
    while (!found && mongoc_cursor_next(cur, &doc)) {
        const char *n = store_doc_str(doc, "name", NULL);
        if (n && strcmp(n, name) == 0) {
            bson_copy_to(doc, out);
            found = 1;
        }
    }
    mongoc_cursor_destroy(cur);
    mongoc_collection_destroy(c);
    return found;
}

TEST(migrate_twice_is_a_noop)
{
    test_db_t t;
    test_db_open(&t, 0);
    seen_t first = {0}, second = {0};
    store_error_t err;
    CHECK_EQ_INT(store_migrate(t.client, t.name, on_event, &first, &err), FACET_OK);
    CHECK_EQ_INT(first.existing, 0);
    CHECK_EQ_INT(first.collections, 7);
    CHECK(first.created > 7);
    CHECK_EQ_INT(store_migrate(t.client, t.name, on_event, &second, &err), FACET_OK);
    CHECK_EQ_INT(second.created, 0);
    CHECK_EQ_INT(second.existing, first.created);
    CHECK_EQ_STR(second.last, first.last);

    bson_t idx;
    CHECK(find_index(&t, "users", "emailNorm_1", &idx));
    bson_iter_t it;
    CHECK(bson_iter_init_find(&it, &idx, "unique") && bson_iter_as_bool(&it));
    bson_destroy(&idx);
    CHECK(find_index(&t, "activity", "userId_1_createdAt_-1__id_-1", &idx));
    CHECK(!bson_iter_init_find(&it, &idx, "unique") || !bson_iter_as_bool(&it));
    bson_destroy(&idx);
    CHECK(find_index(&t, "ledger", "walletId_1_idempotencyKey_1", &idx));
    bson_destroy(&idx);
    test_db_close(&t);
}

TEST(migrate_unique_indexes_refuse_duplicates)
{
    test_db_t t;
    test_db_open(&t, 1);
    mongoc_collection_t *c = mongoc_client_get_collection(t.client, t.name, "payment_events");
    bson_t *doc = BCON_NEW("provider", "stripe", "eventId", "evt_1");
    bson_error_t error;
    CHECK(mongoc_collection_insert_one(c, doc, NULL, NULL, &error));
    bson_t reply;
    CHECK(!mongoc_collection_insert_one(c, doc, NULL, &reply, &error));
    store_error_t err;
    CHECK_EQ_INT(store_error_from(&error, &reply, &err), FACET_EEXIST);
    CHECK_EQ_INT(err.server_code, 11000);
    bson_destroy(&reply);
    bson_destroy(doc);
    mongoc_collection_destroy(c);
    test_db_close(&t);
}

TEST(migrate_refuses_a_conflicting_index)
{
    test_db_t t;
    test_db_open(&t, 0);
    /* users.emailNorm_1 exists but is not unique. */
    mongoc_database_t *db = mongoc_client_get_database(t.client, t.name);
    bson_t *cmd = BCON_NEW("createIndexes", "users", "indexes", "[", "{", "key", "{", "emailNorm",
                           BCON_INT32(1), "}", "name", "emailNorm_1", "}", "]");
    bson_error_t error;
    CHECK(mongoc_database_write_command_with_opts(db, cmd, NULL, NULL, &error));
    bson_destroy(cmd);
    mongoc_database_destroy(db);
    seen_t s = {0};
    store_error_t err;
    CHECK_EQ_INT(store_migrate(t.client, t.name, on_event, &s, &err), FACET_ECONFLICT);
    CHECK(strstr(err.message, "users.emailNorm_1") != NULL);
    test_db_close(&t);
}

TEST(migrate_unreachable_server_is_an_io_error)
{
    mongoc_init();
    mongoc_client_t *client = mongoc_client_new(
        "mongodb://127.0.0.1:1/x?serverSelectionTimeoutMS=200&connectTimeoutMS=200");
    mongoc_client_set_error_api(client, MONGOC_ERROR_API_VERSION_2);
    store_error_t err;
    int rc = store_migrate(client, "x", NULL, NULL, &err);
    CHECK(rc == FACET_EIO || rc == FACET_ETIMEDOUT);
    CHECK(strstr(err.message, "listing collections") != NULL);
    mongoc_client_destroy(client);
    mongoc_cleanup();
}

/* ---- facet migrate ---- */

/* Runs app_migrate_command with stdout captured into out; returns its exit
 * status. */
static int run_command(int argc, char **argv, char *out, size_t cap)
{
    fflush(stdout);
    FILE *tmp = tmpfile();
    CHECK(tmp != NULL);
    int saved = dup(1);
    CHECK(dup2(fileno(tmp), 1) >= 0);
    int status = app_migrate_command(argc, argv);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    rewind(tmp);
    size_t n = fread(out, 1, cap - 1, tmp);
    out[n] = '\0';
    fclose(tmp);
    return status;
}

/* Points MONGODB_URI at database db (the path), keeping hosts and options. */
static void set_database(const char *db)
{
    const char *uri = getenv("MONGODB_URI");
    const char *hosts = strstr(uri, "://");
    CHECK(hosts != NULL);
    hosts += 3;
    size_t base = strcspn(hosts, "/?") + (size_t)(hosts - uri);
    const char *query = strchr(uri + base, '?');
    char next[512];
    snprintf(next, sizeof next, "%.*s/%s%s", (int)base, uri, db, query ? query : "");
    setenv("MONGODB_URI", next, 1);
}

TEST(migrate_command_prints_json_lines)
{
    test_db_t t;
    test_db_open(&t, 0);
    set_database(t.name);
    setenv("FACET_LOG_LEVEL", "error", 1);
    static char out[16384];
    int status = run_command(0, NULL, out, sizeof out);
    if (status != 0 || !strstr(out, "\"created\":true}"))
        fprintf(stderr, "output:\n%s\n", out);
    CHECK_EQ_INT(status, 0);
    CHECK(strstr(out, "{\"collection\":\"users\",\"created\":true}\n") != NULL);
    CHECK(strstr(out, "{\"collection\":\"users\",\"index\":\"emailNorm_1\",\"created\":true}\n"));
    CHECK(strstr(out, "{\"ok\":true,\"created\":") != NULL);
    CHECK(strstr(out, ",\"existing\":0}\n") != NULL);
    CHECK_EQ_INT(run_command(0, NULL, out, sizeof out), 0);
    CHECK(strstr(out, "{\"collection\":\"users\",\"created\":false}\n") != NULL);
    CHECK(strstr(out, "{\"ok\":true,\"created\":0,") != NULL);
    char *bogus[] = {"--bogus"};
    CHECK_EQ_INT(run_command(1, bogus, out, sizeof out), 2);
    char *help[] = {"--help"};
    CHECK_EQ_INT(run_command(1, help, out, sizeof out), 0);
    CHECK(strstr(out, "Usage: facet migrate") != NULL);
    test_db_close(&t);
}

TEST(migrate_command_exit_statuses)
{
    static char out[4096];
    setenv("FACET_LOG_LEVEL", "error", 1);
    setenv("MONGODB_URI", "http://not-mongo", 1);
    CHECK_EQ_INT(run_command(0, NULL, out, sizeof out), 2);
    CHECK(strstr(out, "\"ok\":false") != NULL);
    setenv("MONGODB_URI", "mongodb://127.0.0.1:1/x", 1);
    setenv("FACET_DEPENDENCY_TIMEOUT", "200ms", 1);
    CHECK_EQ_INT(run_command(0, NULL, out, sizeof out), 1);
    CHECK(strstr(out, "{\"ok\":false,\"error\":\"listing collections") != NULL);
}
