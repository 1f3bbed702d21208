/* The wallet under concurrency: the bank test (1,000 spends of one gem
 * against 100 gems from 8 threads, some keys repeated) and two processes,
 * each with its own pool as two instances would be, racing on one wallet,
 * where only the database's unique keys keep them apart. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>

#include "test_store_wallet_fixture.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int64_t count_kind(mongoc_client_t *client, const char *kind)
{
    mongoc_collection_t *coll = fx_coll(client, "ledger");
    bson_t *filter = BCON_NEW("kind", BCON_UTF8(kind));
    bson_error_t error;
    int64_t n = mongoc_collection_count_documents(coll, filter, NULL, NULL, NULL, &error);
    CHECK(n >= 0);
    bson_destroy(filter);
    mongoc_collection_destroy(coll);
    return n;
}

/* ---- the bank test ---- */

#define BANK_REQUESTS 1000
#define BANK_REPEATS  200 /* the last 200 requests repeat the first 200 keys */
#define BANK_THREADS  8

static struct {
    char user[STORE_ID_SIZE];
    atomic_int next;
    struct {
        int rc;
        bool replayed;
        char id[STORE_LEDGER_ID_SIZE];
    } results[BANK_REQUESTS];
} bank;

static int bank_key(int i, char *out, size_t len)
{
    int k = i < BANK_REQUESTS - BANK_REPEATS ? i : i - (BANK_REQUESTS - BANK_REPEATS);
    return snprintf(out, len, "spend-%d", k);
}

static void *bank_thread(void *arg)
{
    (void)arg;
    mongoc_client_t *client = mongoc_client_pool_pop(fx_pool);
    for (int i; (i = atomic_fetch_add(&bank.next, 1)) < BANK_REQUESTS;) {
        char key[32];
        bank_key(i, key, sizeof key);
        store_ledger_entry_t e;
        bool replayed = false;
        int rc = fx_post_full(client, bank.user, STORE_LEDGER_SPEND, 1, key, "bank", &e, &replayed);
        bank.results[i].rc = rc;
        bank.results[i].replayed = replayed;
        if (rc == FACET_OK) {
            memcpy(bank.results[i].id, e.id, sizeof e.id);
            store_ledger_entry_free(&e);
        }
    }
    mongoc_client_pool_push(fx_pool, client);
    return NULL;
}

static int cmp_id(const void *a, const void *b)
{
    return strcmp(a, b);
}

TEST(bank)
{
    mongoc_client_t *client = fx_open(false);
    store_id_new(bank.user);
    CHECK_EQ_INT(
        fx_post_full(client, bank.user, STORE_LEDGER_GRANT, 100, "seed", "bank", NULL, NULL),
        FACET_OK);
    double t0 = now_s();
    pthread_t threads[BANK_THREADS];
    for (int i = 0; i < BANK_THREADS; i++)
        CHECK_EQ_INT(pthread_create(&threads[i], NULL, bank_thread, NULL), 0);
    for (int i = 0; i < BANK_THREADS; i++)
        pthread_join(threads[i], NULL);
    double elapsed = now_s() - t0;

    int fresh = 0, replays = 0, refused = 0;
    static char ids[BANK_REQUESTS][STORE_LEDGER_ID_SIZE];
    for (int i = 0; i < BANK_REQUESTS; i++) {
        int rc = bank.results[i].rc;
        CHECK(rc == FACET_OK || rc == FACET_ELIMIT);
        if (rc == FACET_ELIMIT)
            refused++;
        else if (bank.results[i].replayed)
            replays++;
        else
            memcpy(ids[fresh++], bank.results[i].id, STORE_LEDGER_ID_SIZE);
    }
    printf("bank: %d debits, %d replays, %d refused in %.2f s (%.0f requests/s)\n", fresh, replays,
           refused, elapsed, BANK_REQUESTS / elapsed);
    CHECK_EQ_INT(fresh, 100);
    qsort(ids, (size_t)fresh, sizeof ids[0], cmp_id);
    for (int i = 1; i < fresh; i++)
        CHECK(strcmp(ids[i - 1], ids[i]) != 0);
    /* A repeated key either replays its twin's debit or both were refused. */
    for (int k = 0; k < BANK_REPEATS; k++) {
        int a = k, b = k + BANK_REQUESTS - BANK_REPEATS;
        int ra = bank.results[a].rc, rb = bank.results[b].rc;
        CHECK_EQ_INT(ra, rb);
        if (ra == FACET_OK) {
            CHECK(bank.results[a].replayed != bank.results[b].replayed);
            CHECK_EQ_STR(bank.results[a].id, bank.results[b].id);
        }
    }
    CHECK_EQ_INT(fx_balance(client, bank.user), 0);
    CHECK_EQ_INT(count_kind(client, "SPEND"), 100);
    fx_found_t found;
    store_audit_counts_t counts = fx_audit(client, &found);
    CHECK_EQ_INT(counts.problems, 0);
    CHECK_EQ_INT(counts.entries, 101);
    fx_close(client);
}

/* ---- two instances ---- */

#define RACE_PROCS   2
#define RACE_THREADS 4
#define RACE_EACH    400 /* per process: 200 own keys and 200 shared ones */
#define RACE_SUPPLY  200

static struct {
    const char *user;
    int proc;
    atomic_int next;
    atomic_int fresh, replays, refused, conflicts, failed;
} race;

static void *race_thread(void *arg)
{
    mongoc_client_pool_t *pool = arg;
    mongoc_client_t *client = mongoc_client_pool_pop(pool);
    for (int i; (i = atomic_fetch_add(&race.next, 1)) < RACE_EACH;) {
        char key[32];
        if (i % 2 == 0) /* both instances send these, at about the same time */
            snprintf(key, sizeof key, "shared-%d", i / 2);
        else
            snprintf(key, sizeof key, "p%d-%d", race.proc, i);
        bool replayed = false;
        int rc =
            fx_post_full(client, race.user, STORE_LEDGER_SPEND, 1, key, "race", NULL, &replayed);
        atomic_int *counter = rc == FACET_OK          ? (replayed ? &race.replays : &race.fresh)
                              : rc == FACET_ELIMIT    ? &race.refused
                              : rc == FACET_ECONFLICT ? &race.conflicts
                                                      : &race.failed;
        atomic_fetch_add(counter, 1);
    }
    mongoc_client_pool_push(pool, client);
    return NULL;
}

/* One instance, forked before the parent touched the driver: it waits for
 * the go on go_fd, runs its own pool and threads, and reports its tallies
 * on fd. */
static void race_child(int proc, int go_fd, int fd)
{
    char go;
    CHECK(read(go_fd, &go, 1) == 1);
    race.proc = proc;
    mongoc_init();
    mongoc_log_set_handler(fx_quiet_log, NULL);
    mongoc_client_pool_t *pool = fx_new_pool();
    pthread_t threads[RACE_THREADS];
    for (int i = 0; i < RACE_THREADS; i++)
        pthread_create(&threads[i], NULL, race_thread, pool);
    for (int i = 0; i < RACE_THREADS; i++)
        pthread_join(threads[i], NULL);
    mongoc_client_pool_destroy(pool);
    mongoc_cleanup();
    int tally[5] = {race.fresh, race.replays, race.refused, race.conflicts, race.failed};
    CHECK(write(fd, tally, sizeof tally) == (ssize_t)sizeof tally);
    exit(0);
}

TEST(two_instances_race)
{
    if (!getenv("MONGODB_URI")) {
        printf("skipped: MONGODB_URI not set\n");
        return;
    }
    char user[STORE_ID_SIZE];
    store_id_new(user);
    race.user = user;
    snprintf(fx_db, sizeof fx_db, "test_wallet_%d_race", (int)getpid());
    int fds[2], go[2];
    CHECK(pipe(fds) == 0 && pipe(go) == 0);
    pid_t pids[RACE_PROCS];
    for (int p = 0; p < RACE_PROCS; p++) {
        pids[p] = fork();
        CHECK(pids[p] >= 0);
        if (pids[p] == 0)
            race_child(p, go[0], fds[1]);
    }
    mongoc_client_t *client = fx_open(false);
    CHECK_EQ_INT(
        fx_post_full(client, user, STORE_LEDGER_GRANT, RACE_SUPPLY, "seed", "race", NULL, NULL),
        FACET_OK);
    double t0 = now_s();
    CHECK(write(go[1], "gg", RACE_PROCS) == RACE_PROCS);
    int total[5] = {0};
    for (int p = 0; p < RACE_PROCS; p++) {
        int status, tally[5];
        CHECK(waitpid(pids[p], &status, 0) == pids[p]);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        CHECK(read(fds[0], tally, sizeof tally) == (ssize_t)sizeof tally);
        for (int i = 0; i < 5; i++)
            total[i] += tally[i];
    }
    printf("race: %d debits, %d replays, %d refused, %d conflicts, %d failed in %.2f s\n", total[0],
           total[1], total[2], total[3], total[4], now_s() - t0);
    CHECK_EQ_INT(total[4], 0);
    CHECK_EQ_INT(total[0], RACE_SUPPLY);
    CHECK_EQ_INT(total[0] + total[1] + total[2] + total[3], RACE_PROCS * RACE_EACH);
    CHECK_EQ_INT(fx_balance(client, user), 0);
    CHECK_EQ_INT(count_kind(client, "SPEND"), RACE_SUPPLY);
    fx_found_t found;
    store_audit_counts_t counts = fx_audit(client, &found);
    CHECK_EQ_INT(counts.problems, 0);
    fx_close(client);
}
