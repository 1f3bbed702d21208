/* The wallet audit against a live database (MONGODB_URI): a sound ledger
 * passes, and every kind of tampering is reported naming its wallet (and
 * entry), without naming the wallets left alone. Also `facet audit verify`. */
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>

#include "app/cli_audit.h"
#include "test_store_wallet_fixture.h"

/* Two wallets with three entries each, and an empty one. */
static void populate(mongoc_client_t *client, char a[STORE_ID_SIZE], char b[STORE_ID_SIZE],
                     char empty[STORE_ID_SIZE])
{
    store_id_new(a);
    store_id_new(b);
    store_id_new(empty);
    const char *users[2] = {a, b};
    for (int i = 0; i < 2; i++) {
        CHECK_EQ_INT(fx_post(client, users[i], STORE_LEDGER_PURCHASE, 100, "p1"), FACET_OK);
        CHECK_EQ_INT(fx_post(client, users[i], STORE_LEDGER_SPEND, 30, "s1"), FACET_OK);
        CHECK_EQ_INT(fx_post(client, users[i], STORE_LEDGER_REFUND, 5, "r1"), FACET_OK);
    }
    store_wallet_t w;
    store_error_t err;
    CHECK_EQ_INT(store_wallet_get_by_user(client, fx_db, empty, true, &w, &err), FACET_OK);
}

static void set_entry(mongoc_client_t *client, const char *wallet, int64_t seq, bson_t *set)
{
    char id[STORE_LEDGER_ID_SIZE];
    store_ledger_entry_id(wallet, seq, id);
    mongoc_collection_t *coll = fx_coll(client, "ledger");
    bson_t *filter = BCON_NEW("_id", BCON_UTF8(id));
    bson_t update = BSON_INITIALIZER;
    BSON_APPEND_DOCUMENT(&update, "$set", set);
    bson_t reply;
    bson_error_t error;
    CHECK(mongoc_collection_update_one(coll, filter, &update, NULL, &reply, &error));
    bson_iter_t it;
    CHECK(bson_iter_init_find(&it, &reply, "modifiedCount") && bson_iter_as_int64(&it) == 1);
    bson_destroy(&reply);
    bson_destroy(&update);
    bson_destroy(filter);
    bson_destroy(set);
    mongoc_collection_destroy(coll);
}

static void delete_entry(mongoc_client_t *client, const char *wallet, int64_t seq)
{
    char id[STORE_LEDGER_ID_SIZE];
    store_ledger_entry_id(wallet, seq, id);
    mongoc_collection_t *coll = fx_coll(client, "ledger");
    bson_t *filter = BCON_NEW("_id", BCON_UTF8(id));
    bson_error_t error;
    CHECK(mongoc_collection_delete_one(coll, filter, NULL, NULL, &error));
    bson_destroy(filter);
    mongoc_collection_destroy(coll);
}

static void set_wallet(mongoc_client_t *client, const char *wallet, bson_t *set)
{
    bson_oid_t oid;
    store_oid_parse_c(wallet, &oid);
    mongoc_collection_t *coll = fx_coll(client, "wallets");
    bson_t *filter = BCON_NEW("_id", BCON_OID(&oid));
    bson_t update = BSON_INITIALIZER;
    BSON_APPEND_DOCUMENT(&update, "$set", set);
    bson_error_t error;
    CHECK(mongoc_collection_update_one(coll, filter, &update, NULL, NULL, &error));
    bson_destroy(&update);
    bson_destroy(filter);
    bson_destroy(set);
    mongoc_collection_destroy(coll);
}

/* Every problem found names wallet (the others were left alone). */
static void only(const fx_found_t *f, const char *wallet)
{
    CHECK(f->count > 0);
    for (int i = 0; i < f->count; i++)
        CHECK_EQ_STR(f->items[i].wallet, wallet);
}

TEST(sound_ledger_passes)
{
    mongoc_client_t *client = fx_open(false);
    char a[STORE_ID_SIZE], b[STORE_ID_SIZE], empty[STORE_ID_SIZE];
    populate(client, a, b, empty);
    fx_found_t found;
    store_audit_counts_t counts = fx_audit(client, &found);
    CHECK_EQ_INT(counts.problems, 0);
    CHECK_EQ_INT(counts.wallets, 3);
    CHECK_EQ_INT(counts.entries, 6);
    CHECK_EQ_INT(counts.behind, 0);
    fx_close(client);
}

TEST(empty_database_passes)
{
    mongoc_client_t *client = fx_open(true);
    fx_found_t found;
    store_audit_counts_t counts = fx_audit(client, &found);
    CHECK_EQ_INT(counts.problems, 0);
    CHECK_EQ_INT(counts.wallets, 0);
    fx_close(client);
}

TEST(changed_amount)
{
    mongoc_client_t *client = fx_open(false);
    char a[STORE_ID_SIZE], b[STORE_ID_SIZE], empty[STORE_ID_SIZE];
    populate(client, a, b, empty);
    set_entry(client, b, 2, BCON_NEW("amount", BCON_INT64(3)));
    fx_found_t found;
    fx_audit(client, &found);
    only(&found, b);
    CHECK(fx_found(&found, b, 2, "hash_mismatch"));
    CHECK(fx_found(&found, b, 2, "balance_mismatch"));
    CHECK_EQ_INT(found.count, 2); /* entry 3 follows what entry 2 says */
    fx_close(client);
}

TEST(changed_hash)
{
    mongoc_client_t *client = fx_open(false);
    char a[STORE_ID_SIZE], b[STORE_ID_SIZE], empty[STORE_ID_SIZE];
    populate(client, a, b, empty);
    set_entry(client, a, 2, BCON_NEW("hash", BCON_UTF8(STORE_LEDGER_GENESIS)));
    fx_found_t found;
    fx_audit(client, &found);
    only(&found, a);
    CHECK(fx_found(&found, a, 2, "hash_mismatch"));
    CHECK(fx_found(&found, a, 3, "prev_hash_mismatch"));
    CHECK_EQ_INT(found.count, 2);
    /* The last entry's hash: the projection's head no longer matches. */
    set_entry(client, b, 3, BCON_NEW("hash", BCON_UTF8(STORE_LEDGER_GENESIS)));
    fx_audit(client, &found);
    CHECK(fx_found(&found, b, 3, "hash_mismatch"));
    CHECK(fx_found(&found, b, 0, "projection_head"));
    fx_close(client);
}

TEST(changed_balance_after_with_a_recomputed_hash)
{
    mongoc_client_t *client = fx_open(false);
    char a[STORE_ID_SIZE], b[STORE_ID_SIZE], empty[STORE_ID_SIZE];
    populate(client, a, b, empty);
    /* Someone who knows the hash rewrites entry 3 consistently with itself:
     * the arithmetic, the projection and the chain still give it away. */
    store_ledger_entry_t e;
    char id[STORE_LEDGER_ID_SIZE];
    store_error_t err;
    store_ledger_entry_id(a, 3, id);
    CHECK_EQ_INT(store_wallet_entry_by_id(client, fx_db, id, &e, &err), FACET_OK);
    e.balance_after += 1000;
    store_ledger_entry_hash(&e, e.hash);
    set_entry(client, a, 3,
              BCON_NEW("balanceAfter", BCON_INT64(e.balance_after), "hash", BCON_UTF8(e.hash)));
    store_ledger_entry_free(&e);
    fx_found_t found;
    fx_audit(client, &found);
    only(&found, a);
    CHECK(fx_found(&found, a, 3, "balance_mismatch"));
    CHECK(fx_found(&found, a, 0, "projection_balance"));
    CHECK(fx_found(&found, a, 0, "projection_head"));
    fx_close(client);
}

TEST(deleted_entries)
{
    mongoc_client_t *client = fx_open(false);
    char a[STORE_ID_SIZE], b[STORE_ID_SIZE], empty[STORE_ID_SIZE];
    populate(client, a, b, empty);
    delete_entry(client, a, 2);
    delete_entry(client, b, 3);
    fx_found_t found;
    store_audit_counts_t counts = fx_audit(client, &found);
    CHECK(fx_found(&found, a, 3, "seq_gap"));
    CHECK(fx_found(&found, a, 3, "prev_hash_mismatch"));
    CHECK(fx_found(&found, a, 3, "balance_mismatch"));
    CHECK(fx_found(&found, b, 0, "projection_ahead"));
    for (int i = 0; i < found.count; i++)
        CHECK(strcmp(found.items[i].wallet, empty) != 0);
    CHECK_EQ_INT(counts.entries, 4);
    fx_close(client);
}

TEST(edited_projection)
{
    mongoc_client_t *client = fx_open(false);
    char a[STORE_ID_SIZE], b[STORE_ID_SIZE], empty[STORE_ID_SIZE];
    populate(client, a, b, empty);
    set_wallet(client, a, BCON_NEW("balance", BCON_INT64(1000)));
    set_wallet(client, empty, BCON_NEW("balance", BCON_INT64(7)));
    fx_found_t found;
    fx_audit(client, &found);
    CHECK_EQ_INT(found.count, 2);
    CHECK(fx_found(&found, a, 0, "projection_balance"));
    CHECK(fx_found(&found, empty, 0, "projection_balance"));
    /* A malformed projection is named too. */
    set_wallet(client, b, BCON_NEW("balance", BCON_UTF8("lots")));
    fx_audit(client, &found);
    CHECK(fx_found(&found, b, 0, "malformed_wallet"));
    fx_close(client);
}

TEST(foreign_and_malformed_entries)
{
    mongoc_client_t *client = fx_open(false);
    char a[STORE_ID_SIZE], b[STORE_ID_SIZE], empty[STORE_ID_SIZE];
    populate(client, a, b, empty);
    set_entry(client, a, 1, BCON_NEW("amount", BCON_UTF8("100")));
    char stranger[STORE_ID_SIZE];
    store_id_new(stranger);
    bson_oid_t oid;
    store_oid_parse_c(stranger, &oid);
    set_entry(client, b, 2, BCON_NEW("userId", BCON_OID(&oid)));
    fx_found_t found;
    fx_audit(client, &found);
    CHECK(fx_found(&found, a, 1, "malformed_entry"));
    CHECK(fx_found(&found, b, 2, "user_mismatch"));
    fx_close(client);
}

TEST(entries_without_a_wallet)
{
    mongoc_client_t *client = fx_open(false);
    char a[STORE_ID_SIZE], b[STORE_ID_SIZE], empty[STORE_ID_SIZE];
    populate(client, a, b, empty);
    /* An entry with an _id out of the pattern, chaining correctly. */
    fx_crash_entry(client, b, STORE_LEDGER_GRANT, 1, "odd", store_now_ms());
    char id[STORE_LEDGER_ID_SIZE];
    store_ledger_entry_t e;
    store_error_t err;
    store_ledger_entry_id(b, 4, id);
    CHECK_EQ_INT(store_wallet_entry_by_id(client, fx_db, id, &e, &err), FACET_OK);
    delete_entry(client, b, 4);
    bson_t doc = BSON_INITIALIZER;
    store_ledger_entry_to_bson(&e, &doc);
    bson_t odd = BSON_INITIALIZER;
    bson_oid_t oid;
    bson_oid_init(&oid, NULL);
    BSON_APPEND_OID(&odd, "_id", &oid);
    bson_copy_to_excluding_noinit(&doc, &odd, "_id", NULL);
    mongoc_collection_t *ledger = fx_coll(client, "ledger");
    bson_error_t error;
    CHECK(mongoc_collection_insert_one(ledger, &odd, NULL, NULL, &error));
    store_ledger_entry_free(&e);
    bson_destroy(&odd);
    bson_destroy(&doc);
    /* The wallet of a is removed: its entries stand alone. */
    store_oid_parse_c(a, &oid);
    mongoc_collection_t *wallets = fx_coll(client, "wallets");
    bson_t *filter = BCON_NEW("_id", BCON_OID(&oid));
    CHECK(mongoc_collection_delete_one(wallets, filter, NULL, NULL, &error));
    bson_destroy(filter);
    mongoc_collection_destroy(wallets);
    mongoc_collection_destroy(ledger);
    fx_found_t found;
    fx_audit(client, &found);
    CHECK(fx_found(&found, a, 0, "orphan_entries"));
    CHECK(fx_found(&found, b, 4, "bad_id"));
    for (int i = 0; i < found.count; i++)
        CHECK(strcmp(found.items[i].wallet, empty) != 0);
    fx_close(client);
}

/* Posts round-robin on four wallets until told to stop. */
static struct {
    char users[4][STORE_ID_SIZE];
    atomic_bool stop;
    atomic_int posts;
} writer;

static void *write_loop(void *arg)
{
    (void)arg;
    mongoc_client_t *client = mongoc_client_pool_pop(fx_pool);
    for (int i = 0; !atomic_load(&writer.stop) && i < 2000; i++) {
        char key[32];
        snprintf(key, sizeof key, "w%d", i);
        store_ledger_kind_t kind = i % 3 ? STORE_LEDGER_SPEND : STORE_LEDGER_PURCHASE;
        int rc = fx_post(client, writer.users[i % 4], kind, 1 + i % 5, key);
        CHECK(rc == FACET_OK || rc == FACET_ELIMIT);
        writer.posts++;
    }
    mongoc_client_pool_push(fx_pool, client);
    return NULL;
}

TEST(audit_while_writing)
{
    mongoc_client_t *client = fx_open(false);
    for (int i = 0; i < 4; i++) {
        store_id_new(writer.users[i]);
        CHECK_EQ_INT(fx_post(client, writer.users[i], STORE_LEDGER_PURCHASE, 50, "seed"), FACET_OK);
    }
    pthread_t t;
    CHECK_EQ_INT(pthread_create(&t, NULL, write_loop, NULL), 0);
    int audits = 0;
    int64_t behind = 0;
    for (; audits < 500 && (audits < 10 || writer.posts < 60); audits++) {
        fx_found_t found;
        store_audit_counts_t counts = fx_audit(client, &found);
        CHECK_EQ_INT(counts.problems, 0);
        behind += counts.behind;
    }
    atomic_store(&writer.stop, true);
    pthread_join(t, NULL);
    printf("%d audits during %d posts, %lld wallets seen behind\n", audits, writer.posts,
           (long long)behind);
    CHECK(writer.posts > 0);
    fx_close(client);
}

/* Runs `facet audit verify` on the test database with stdout in a file;
 * returns the exit code and the output in out. */
static int run_cli(int argc, char **argv, char *out, size_t len)
{
    char uri[512];
    const char *base = getenv("MONGODB_URI");
    const char *slash = strrchr(base, '/');
    CHECK(slash && slash > base + 10);
    snprintf(uri, sizeof uri, "%.*s/%s", (int)(slash - base), base, fx_db);
    setenv("MONGODB_URI", uri, 1);
    char path[] = "/tmp/facet-audit-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    fflush(stdout);
    int saved = dup(1);
    dup2(fd, 1);
    int rc = app_audit_command(argc, argv);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    ssize_t n = pread(fd, out, len - 1, 0);
    out[n > 0 ? n : 0] = '\0';
    close(fd);
    unlink(path);
    setenv("MONGODB_URI", base, 1);
    return rc;
}

TEST(command_line)
{
    mongoc_client_t *client = fx_open(false);
    char a[STORE_ID_SIZE], b[STORE_ID_SIZE], empty[STORE_ID_SIZE];
    populate(client, a, b, empty);
    static char out[8192];
    char *verify[] = {"verify"};
    CHECK_EQ_INT(run_cli(1, verify, out, sizeof out), 0);
    CHECK(strstr(out, "{\"ok\":true,\"wallets\":3,\"entries\":6,\"problems\":0,\"behind\":0}"));
    set_entry(client, b, 2, BCON_NEW("amount", BCON_INT64(3)));
    CHECK_EQ_INT(run_cli(1, verify, out, sizeof out), 1);
    char expect[128];
    snprintf(expect, sizeof expect, "{\"problem\":\"hash_mismatch\",\"wallet\":\"%s\",\"seq\":2,",
             b);
    CHECK(strstr(out, expect));
    CHECK(strstr(out, "\"ok\":false"));
    char *bad[] = {"verify", "--all"};
    CHECK_EQ_INT(run_cli(2, bad, out, sizeof out), 2);
    char *none[] = {"check"};
    CHECK_EQ_INT(run_cli(1, none, out, sizeof out), 2);
    CHECK_EQ_INT(run_cli(0, NULL, out, sizeof out), 2);
    char *help[] = {"--help"};
    CHECK_EQ_INT(run_cli(1, help, out, sizeof out), 0);
    CHECK(strstr(out, "Usage: facet audit verify"));
    fx_close(client);
}
