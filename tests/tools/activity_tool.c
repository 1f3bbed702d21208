/* activity_tool COMMAND ARGS: writes and counts activity-log and session
 * documents of the database named by MONGODB_URI, through the store, for
 * the end-to-end tests of the activity log's retention
 * (tests/e2e/activity.test.mjs). Never for a real database.
 *
 *   insert USER DAYS N   inserts N activities of USER ("-": anonymous),
 *                        created DAYS days ago (1 ms apart, newest first)
 *   count [USER]         counts the activities (of USER)
 *   expired-session USER stores a refresh session of USER that expired an
 *                        hour ago
 *   sessions USER        counts USER's sessions
 *
 * Prints one JSON line; exits 0 when it did it, 1 when the database
 * failed, 2 on a usage error. */
#include <errno.h>
#include <inttypes.h>
#include <mongoc/mongoc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "store/activity.h"
#include "store/doc.h"
#include "store/mongo.h"
#include "store/sessions.h"

#define EXIT_FAIL  1
#define EXIT_USAGE 2
#define DAY_MS     (86400LL * 1000)

typedef struct tool {
    mongoc_client_t *client;
    const char *db;
} tool_t;

static void usage(void)
{
    fprintf(stderr, "usage: activity_tool insert USER|- DAYS N\n"
                    "       activity_tool count [USER]\n"
                    "       activity_tool expired-session USER\n"
                    "       activity_tool sessions USER\n"
                    "(reads MONGODB_URI)\n");
}

static bool parse_int(const char *text, int64_t min, int64_t max, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno || end == text || *end || v < min || v > max)
        return false;
    *out = v;
    return true;
}

static int fail(const char *what, const store_error_t *err)
{
    fprintf(stderr, "activity_tool: %s: %s\n", what, err->message);
    return EXIT_FAIL;
}

static int insert(const tool_t *t, const char *user, int64_t days, int64_t n)
{
    store_activity_t items[STORE_ACTIVITY_BATCH_MAX];
    int64_t at = store_now_ms() - days * DAY_MS;
    for (int64_t i = 0; i < n; i++) {
        store_activity_t *a = &items[i];
        memset(a, 0, sizeof *a);
        store_id_new(a->id);
        snprintf(a->user_id, sizeof a->user_id, "%s", strcmp(user, "-") == 0 ? "" : user);
        a->operation = "backdated: spendGems";
        a->args = "{\"spendGems\":{\"input\":{\"amount\":1}}}";
        a->address = "192.0.2.1";
        a->user_agent = "activity_tool";
        a->ok = true;
        a->request_id = "activity-tool";
        a->created_at = at - i;
    }
    size_t inserted = 0;
    store_error_t err;
    if (store_activity_insert_many(t->client, t->db, items, (size_t)n, &inserted, &err) != FACET_OK)
        return fail("insert", &err);
    printf("{\"inserted\":%zu,\"createdAt\":%" PRId64 "}\n", inserted, at);
    return 0;
}

static int count(const tool_t *t, const char *collection, const char *user)
{
    mongoc_collection_t *c = mongoc_client_get_collection(t->client, t->db, collection);
    bson_t filter = BSON_INITIALIZER;
    bson_oid_t oid;
    if (user && store_oid_parse_c(user, &oid) == FACET_OK)
        BSON_APPEND_OID(&filter, "userId", &oid);
    bson_error_t error;
    int64_t n = mongoc_collection_count_documents(c, &filter, NULL, NULL, NULL, &error);
    bson_destroy(&filter);
    mongoc_collection_destroy(c);
    if (n < 0) {
        fprintf(stderr, "activity_tool: count: %s\n", error.message);
        return EXIT_FAIL;
    }
    printf("{\"count\":%" PRId64 "}\n", n);
    return 0;
}

static int expired_session(const tool_t *t, const char *user)
{
    char hash[STORE_TOKEN_HASH_SIZE];
    char id[STORE_ID_SIZE];
    store_id_new(id);
    /* Any 64 hex digits do: this token is never presented. */
    snprintf(hash, sizeof hash, "%s%s%.16s", id, id, id);
    int64_t now = store_now_ms();
    store_session_t s;
    store_error_t err;
    if (store_session_create(t->client, t->db, user, hash, now - 3600 * 1000, now - 7200 * 1000, &s,
                             &err) != FACET_OK)
        return fail("session", &err);
    printf("{\"session\":\"%s\"}\n", s.id);
    return 0;
}

static int run(const tool_t *t, int argc, char **argv)
{
    int64_t days, n;
    const char *cmd = argv[0];
    if (strcmp(cmd, "insert") == 0 && argc == 4 && parse_int(argv[2], 0, 100000, &days) &&
        parse_int(argv[3], 1, STORE_ACTIVITY_BATCH_MAX, &n) &&
        (strcmp(argv[1], "-") == 0 || store_id_valid(argv[1])))
        return insert(t, argv[1], days, n);
    if (strcmp(cmd, "count") == 0 && (argc == 1 || (argc == 2 && store_id_valid(argv[1]))))
        return count(t, "activity", argc == 2 ? argv[1] : NULL);
    if (strcmp(cmd, "expired-session") == 0 && argc == 2 && store_id_valid(argv[1]))
        return expired_session(t, argv[1]);
    if (strcmp(cmd, "sessions") == 0 && argc == 2 && store_id_valid(argv[1]))
        return count(t, "sessions", argv[1]);
    return EXIT_USAGE;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage();
        return EXIT_USAGE;
    }
    const char *uri = getenv("MONGODB_URI");
    if (!uri || !*uri) {
        fprintf(stderr, "activity_tool: MONGODB_URI is not set\n");
        return EXIT_USAGE;
    }
    store_mongo_t *m;
    char err[256];
    if (store_mongo_open(uri, 1, 5000, &m, err, sizeof err) != FACET_OK) {
        fprintf(stderr, "activity_tool: %s\n", err);
        return EXIT_USAGE;
    }
    /* FerretDB lacks endSessions: the driver's complaint is noise here. */
    mongoc_log_set_handler(NULL, NULL);
    tool_t t = {store_mongo_pop(m), store_mongo_database(m)};
    int rc = run(&t, argc - 1, argv + 1);
    store_mongo_push(m, t.client);
    store_mongo_close(m);
    if (rc == EXIT_USAGE)
        usage();
    return rc;
}
