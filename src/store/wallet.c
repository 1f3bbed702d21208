/* Posting to a wallet (see wallet.h): validation, the per-wallet stripes,
 * the check that the idempotency index exists, and the insert-then-project
 * loop that stays correct across instances without transactions. */
#include "store/wallet.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "core/log.h"
#include "store/wallet_internal.h"

/* Attempts at taking the next seq before giving up with FACET_ECONFLICT.
 * Within one process the stripes leave nothing to retry; only writers in
 * other instances make an attempt fail. */
#define MAX_ATTEMPTS   32
#define MAX_BACKOFF_MS 32

/* ---- stripes ---- */

#define STRIPES 256
static pthread_mutex_t stripes[STRIPES] = {[0 ... STRIPES - 1] = PTHREAD_MUTEX_INITIALIZER};

static pthread_mutex_t *stripe_of(const char *wallet_id)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const char *p = wallet_id; *p; p++)
        h = (h ^ (uint8_t)*p) * 16777619u;
    return &stripes[h % STRIPES];
}

void store_wallet__lock(const char *wallet_id)
{
    pthread_mutex_lock(stripe_of(wallet_id));
}

void store_wallet__unlock(const char *wallet_id)
{
    pthread_mutex_unlock(stripe_of(wallet_id));
}

/* A short random pause, growing with the attempt, so that instances that
 * collide do not collide again in lockstep. */
static void backoff(int attempt)
{
    static _Thread_local uint64_t seed;
    if (!seed)
        seed = (uint64_t)store_now_ms() ^ (uint64_t)(uintptr_t)&seed;
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    int cap = attempt < 5 ? 1 << attempt : MAX_BACKOFF_MS;
    long us = (long)(seed % ((uint64_t)cap * 1000)) + 100;
    struct timespec ts = {us / 1000000, (us % 1000000) * 1000};
    nanosleep(&ts, NULL);
}

/* ---- the idempotency index must exist ---- */

/* Databases whose ledger was seen with its unique idempotency index. An
 * index is never dropped by Facet, so a positive answer is kept. */
#define CHECKED_MAX 64
static struct {
    pthread_mutex_t mu;
    char names[CHECKED_MAX][64];
    int count, next;
} checked = {.mu = PTHREAD_MUTEX_INITIALIZER};

static bool checked_has(const char *db)
{
    bool found = false;
    pthread_mutex_lock(&checked.mu);
    for (int i = 0; i < checked.count && !found; i++)
        found = strcmp(checked.names[i], db) == 0;
    pthread_mutex_unlock(&checked.mu);
    return found;
}

static void checked_add(const char *db)
{
    if (strlen(db) >= sizeof checked.names[0])
        return; /* checked again next time: correct, only slower */
    pthread_mutex_lock(&checked.mu);
    strcpy(checked.names[checked.next], db);
    checked.next = (checked.next + 1) % CHECKED_MAX;
    if (checked.count < CHECKED_MAX)
        checked.count++;
    pthread_mutex_unlock(&checked.mu);
}

/* True when spec is a unique index on exactly {walletId, idempotencyKey}. */
static bool is_key_index(const bson_t *spec)
{
    bson_iter_t it, key;
    if (!bson_iter_init_find(&it, spec, "unique") || !bson_iter_as_bool(&it))
        return false;
    if (!bson_iter_init_find(&it, spec, "key") || !BSON_ITER_HOLDS_DOCUMENT(&it) ||
        !bson_iter_recurse(&it, &key))
        return false;
    bool wallet = false, idem = false;
    int n = 0;
    while (bson_iter_next(&key)) {
        n++;
        wallet |= strcmp(bson_iter_key(&key), "walletId") == 0;
        idem |= strcmp(bson_iter_key(&key), "idempotencyKey") == 0;
    }
    return n == 2 && wallet && idem;
}

static int require_key_index(mongoc_client_t *client, const char *db, store_error_t *err)
{
    if (checked_has(db))
        return FACET_OK;
    mongoc_collection_t *coll = mongoc_client_get_collection(client, db, STORE_LEDGER_COLLECTION);
    mongoc_cursor_t *cursor = mongoc_collection_find_indexes_with_opts(coll, NULL);
    const bson_t *spec;
    bool found = false;
    while (!found && mongoc_cursor_next(cursor, &spec))
        found = is_key_index(spec);
    bson_error_t error;
    bool failed = !found && mongoc_cursor_error(cursor, &error);
    mongoc_cursor_destroy(cursor);
    mongoc_collection_destroy(coll);
    if (found) {
        checked_add(db);
        return FACET_OK;
    }
    if (failed && store_error_from(&error, NULL, err) != FACET_ENOTFOUND)
        return err ? err->status : FACET_EIO;
    return store_error_set(err, FACET_EIO,
                           "the ledger's unique {walletId, idempotencyKey} index is missing "
                           "in database %s: run `facet migrate`",
                           db);
}

/* ---- validation ---- */

static int check_text(const char *s, size_t max, const char *name, store_error_t *err)
{
    size_t len = s ? strlen(s) : 0;
    if (len > max)
        return store_error_set(err, FACET_EINVAL, "%s is longer than %zu bytes", name, max);
    if (len && !store_utf8_ok(s, len))
        return store_error_set(err, FACET_EINVAL, "%s is not valid UTF-8", name);
    return FACET_OK;
}

static int check_op(const store_wallet_op_t *op, store_error_t *err)
{
    bson_oid_t oid;
    if (store_oid_parse_c(op->user_id, &oid) != FACET_OK)
        return store_error_set(err, FACET_EINVAL, "user id is not an ObjectId");
    if (op->actor_id && op->actor_id[0] && store_oid_parse_c(op->actor_id, &oid) != FACET_OK)
        return store_error_set(err, FACET_EINVAL, "actor id is not an ObjectId");
    if (!store_ledger_kind_name(op->kind))
        return store_error_set(err, FACET_EINVAL, "unknown entry kind");
    if (op->amount <= 0 || op->amount > STORE_LEDGER_AMOUNT_MAX)
        return store_error_set(err, FACET_EINVAL, "amount must be between 1 and %lld",
                               (long long)STORE_LEDGER_AMOUNT_MAX);
    if ((op->kind == STORE_LEDGER_GRANT || op->kind == STORE_LEDGER_REFUND) &&
        !(op->reason && op->reason[0]))
        return store_error_set(err, FACET_EINVAL, "a reason is required for %s",
                               store_ledger_kind_name(op->kind));
    int rc;
    if ((rc = check_text(op->reason, STORE_LEDGER_REASON_MAX, "reason", err)) ||
        (rc = check_text(op->reference, STORE_LEDGER_REFERENCE_MAX, "reference", err)) ||
        (rc = check_text(op->idempotency_key, STORE_LEDGER_KEY_MAX, "idempotency key", err)) ||
        (rc = check_text(op->request_extra, STORE_LEDGER_EXTRA_MAX, "request extra", err)) ||
        (rc = check_text(op->request_id, STORE_LEDGER_REQUEST_MAX, "request id", err)))
        return rc;
    return FACET_OK;
}

/* ---- posting ---- */

/* What one post works on. */
typedef struct post {
    mongoc_client_t *client;
    const char *db;
    const store_wallet_op_t *op;
    bson_oid_t user;
    char key[STORE_LEDGER_KEY_MAX + 1];
    char request_hash[STORE_LEDGER_HASH_SIZE];
    store_wallet_t w; /* the projection as last seen */
    store_error_t *err;
} post_t;

/* Returns the earlier entry posted with the same key when it was for the
 * same request, FACET_EEXIST when it was for another, FACET_ENOTFOUND when
 * the key is new. */
static int replay(post_t *p, store_ledger_entry_t *out, bool *replayed)
{
    mongoc_collection_t *ledger =
        mongoc_client_get_collection(p->client, p->db, STORE_LEDGER_COLLECTION);
    bson_t filter = BSON_INITIALIZER, doc;
    BSON_APPEND_OID(&filter, "walletId", &p->user);
    BSON_APPEND_UTF8(&filter, "idempotencyKey", p->key);
    int rc = store_wallet__find_one(ledger, &filter, NULL, &doc, p->err);
    bson_destroy(&filter);
    mongoc_collection_destroy(ledger);
    if (rc != FACET_OK)
        return rc;
    store_ledger_entry_t e;
    rc = store_ledger_entry_from_bson(&doc, &e, p->err);
    bson_destroy(&doc);
    if (rc != FACET_OK)
        return store_error_set(p->err, FACET_EIO, "wallet %s: an entry is malformed", p->w.id);
    if (strcmp(e.request_hash, p->request_hash) != 0) {
        store_ledger_entry_free(&e);
        return store_error_set(p->err, FACET_EEXIST,
                               "the idempotency key was used for a different request");
    }
    *out = e;
    if (replayed)
        *replayed = true;
    return FACET_OK;
}

/* The entry that would follow the projection p->w. */
static int build_entry(const post_t *p, int64_t balance_after, store_ledger_entry_t *e)
{
    const store_wallet_op_t *op = p->op;
    memset(e, 0, sizeof *e);
    if (store_ledger_entry_set_text(e, op->reason, op->reference, p->key, op->request_id))
        return store_error_set(p->err, FACET_ENOMEM, "out of memory");
    memcpy(e->wallet_id, p->w.id, sizeof e->wallet_id);
    memcpy(e->user_id, p->w.id, sizeof e->user_id);
    e->seq = p->w.seq + 1;
    store_ledger_entry_id(e->wallet_id, e->seq, e->id);
    e->kind = op->kind;
    e->amount = op->amount;
    e->balance_after = balance_after;
    memcpy(e->request_hash, p->request_hash, sizeof e->request_hash);
    memcpy(e->prev_hash, p->w.head, sizeof e->prev_hash);
    e->created_at_ms = store_now_ms();
    bson_oid_t actor; /* formatted again: the hash covers the lower-case text */
    if (op->actor_id && store_oid_parse_c(op->actor_id, &actor) == FACET_OK)
        store_oid_format(&actor, e->actor_id);
    store_ledger_entry_hash(e, e->hash);
    return FACET_OK;
}

static int insert_entry(const post_t *p, const store_ledger_entry_t *e)
{
    mongoc_collection_t *ledger =
        mongoc_client_get_collection(p->client, p->db, STORE_LEDGER_COLLECTION);
    bson_t doc = BSON_INITIALIZER, opts = BSON_INITIALIZER, reply;
    store_ledger_entry_to_bson(e, &doc);
    store_wallet__majority(&opts);
    bson_error_t error;
    int rc = FACET_OK;
    if (!mongoc_collection_insert_one(ledger, &doc, &opts, &reply, &error))
        rc = store_error_from(&error, &reply, p->err);
    bson_destroy(&reply);
    bson_destroy(&opts);
    bson_destroy(&doc);
    mongoc_collection_destroy(ledger);
    return rc;
}

/* The entry is in: move the projection. Failing to is no failure of the
 * post (the entry is the truth); the next reader rolls it forward. */
static void project(post_t *p, const store_ledger_entry_t *e)
{
    int64_t old_seq = p->w.seq;
    p->w.seq = e->seq;
    p->w.balance = e->balance_after;
    memcpy(p->w.head, e->hash, sizeof p->w.head);
    p->w.updated_at_ms = e->created_at_ms;
    store_error_t err;
    if (store_wallet__save(p->client, p->db, &p->w, old_seq, &err) != FACET_OK) {
        facet_log_line_t line;
        if (facet_log_begin(&line, FACET_LOG_WARN, "wallet projection left behind")) {
            facet_log_cstr(&line, "wallet", p->w.id);
            facet_log_cstr(&line, "error", err.message);
        }
        facet_log_end(&line);
    }
}

/* The request does not fit the balance as last seen. Before refusing,
 * make sure the projection is current and that this is not a retry of a
 * request that did fit at the time. Returns FACET_EAGAIN when the
 * projection moved and the caller should look again. */
static int refuse(post_t *p, store_ledger_entry_t *out, bool *replayed)
{
    int64_t moved;
    int rc = store_wallet__roll_forward(p->client, p->db, &p->w, &moved, p->err);
    if (rc != FACET_OK || moved)
        return rc != FACET_OK ? rc : FACET_EAGAIN;
    rc = replay(p, out, replayed);
    if (rc != FACET_ENOTFOUND)
        return rc;
    if (p->op->kind == STORE_LEDGER_SPEND)
        return store_error_set(p->err, FACET_ELIMIT, "insufficient funds: the balance is %lld",
                               (long long)p->w.balance);
    return store_error_set(p->err, FACET_EINVAL, "the balance would exceed %lld",
                           (long long)STORE_LEDGER_AMOUNT_MAX);
}

/* The new balance, or false when the request does not fit. */
static bool next_balance(const post_t *p, int64_t *out)
{
    if (p->op->kind == STORE_LEDGER_SPEND) {
        *out = p->w.balance - p->op->amount;
        return *out >= 0;
    }
    return !__builtin_add_overflow(p->w.balance, p->op->amount, out) &&
           *out <= STORE_LEDGER_AMOUNT_MAX;
}

static int post_locked(post_t *p, store_ledger_entry_t *out, bool *replayed)
{
    int rc = store_wallet__load(p->client, p->db, &p->user, true, &p->w, p->err);
    for (int attempt = 0; rc == FACET_OK && attempt < MAX_ATTEMPTS; attempt++) {
        int64_t balance;
        if (!next_balance(p, &balance)) {
            rc = refuse(p, out, replayed);
            if (rc != FACET_EAGAIN)
                return rc;
            rc = FACET_OK;
            continue;
        }
        store_ledger_entry_t e;
        if ((rc = build_entry(p, balance, &e)) != FACET_OK)
            return rc;
        rc = insert_entry(p, &e);
        if (rc == FACET_OK) {
            project(p, &e);
            *out = e;
            if (replayed)
                *replayed = false;
            return FACET_OK;
        }
        store_ledger_entry_free(&e);
        if (rc != FACET_EEXIST)
            return rc;
        /* The seq is taken (another writer, or a projection left behind)
         * or the key is: catch up, then see whether this is a retry. */
        int64_t moved;
        if ((rc = store_wallet__roll_forward(p->client, p->db, &p->w, &moved, p->err)) || moved)
            continue;
        if ((rc = replay(p, out, replayed)) != FACET_ENOTFOUND)
            return rc;
        rc = FACET_OK;
        backoff(attempt);
    }
    if (rc != FACET_OK)
        return rc;
    return store_error_set(p->err, FACET_ECONFLICT, "wallet %s: gave up after %d attempts", p->w.id,
                           MAX_ATTEMPTS);
}

int store_wallet_post(mongoc_client_t *client, const char *db, const store_wallet_op_t *op,
                      store_ledger_entry_t *out, bool *replayed, store_error_t *err)
{
    return store_wallet_post_read(client, db, op, out, replayed, NULL, err);
}

int store_wallet_post_read(mongoc_client_t *client, const char *db, const store_wallet_op_t *op,
                           store_ledger_entry_t *out, bool *replayed, store_wallet_t *wallet,
                           store_error_t *err)
{
    store_error_clear(err);
    int rc = check_op(op, err);
    if (rc != FACET_OK)
        return rc;
    post_t p = {.client = client, .db = db, .op = op, .err = err};
    store_oid_parse_c(op->user_id, &p.user);
    if (op->idempotency_key && op->idempotency_key[0]) {
        snprintf(p.key, sizeof p.key, "%s", op->idempotency_key);
    } else {
        char id[STORE_ID_SIZE];
        store_id_new(id);
        snprintf(p.key, sizeof p.key, "auto:%s", id);
    }
    store_ledger_request_hash(op->kind, op->amount, op->reason, op->reference, op->request_extra,
                              p.request_hash);
    if ((rc = require_key_index(client, db, err)) != FACET_OK)
        return rc;
    char wallet_id[STORE_ID_SIZE];
    store_oid_format(&p.user, wallet_id);
    store_wallet__lock(wallet_id);
    rc = post_locked(&p, out, replayed);
    store_wallet__unlock(wallet_id);
    if (rc == FACET_OK && wallet)
        *wallet = p.w;
    return rc;
}
