/* The audit's passes (see audit.h): one scan of the wallets and the ledger
 * together, both in _id order (an entry's _id starts with its wallet's),
 * then a fresh, reported look at every wallet the scan found doubtful. */
#include "store/audit.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "store/audit_internal.h"

typedef struct scan {
    mongoc_client_t *client;
    const char *db;
    store_audit_cb cb;
    void *ud;
    store_audit_counts_t *counts;
    mongoc_cursor_t *wallets, *ledger;
    const bson_t *wdoc, *ldoc; /* current documents; NULL when a cursor ended */
    char wkey[STORE_ID_SIZE], lkey[STORE_ID_SIZE];
    bson_oid_t *doubtful; /* wallets to look at again */
    size_t ndoubtful, cap;
    bool nomem;
} scan_t;

static void doubt(scan_t *s, const bson_oid_t *wallet)
{
    if (s->ndoubtful == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 64;
        bson_oid_t *grown = realloc(s->doubtful, cap * sizeof *grown);
        if (!grown) {
            s->nomem = true;
            return;
        }
        s->doubtful = grown;
        s->cap = cap;
    }
    s->doubtful[s->ndoubtful++] = *wallet;
}

/* A problem found outside any wallet's check: a document that cannot even
 * be placed. name is its _id as text when it has one. */
static void report_unplaced(scan_t *s, const bson_t *doc, const char *code, const char *detail)
{
    char name[STORE_LEDGER_ID_SIZE] = "?";
    bson_iter_t it;
    if (bson_iter_init_find(&it, doc, "_id") && BSON_ITER_HOLDS_OID(&it))
        store_oid_format(bson_iter_oid(&it), name);
    else
        store_doc_copy_str(doc, "_id", name, sizeof name);
    s->counts->problems++;
    if (s->cb) {
        store_audit_problem_t p = {name, 0, code, detail};
        s->cb(&p, s->ud);
    }
}

static void next_wallet(scan_t *s)
{
    bson_iter_t it;
    while (mongoc_cursor_next(s->wallets, &s->wdoc)) {
        if (bson_iter_init_find(&it, s->wdoc, "_id") && BSON_ITER_HOLDS_OID(&it)) {
            store_oid_format(bson_iter_oid(&it), s->wkey);
            return;
        }
        report_unplaced(s, s->wdoc, "malformed_wallet", "a wallet's _id is not an ObjectId");
    }
    s->wdoc = NULL;
}

/* True when id is "<24 lower-case hex>:<19 digits>". */
static bool entry_id_shape(const char *id, uint32_t len)
{
    if (len != STORE_LEDGER_ID_SIZE - 1 || id[24] != ':')
        return false;
    for (uint32_t i = 0; i < len; i++) {
        char ch = id[i];
        bool ok = i < 24 ? (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')
                         : i == 24 || (ch >= '0' && ch <= '9');
        if (!ok)
            return false;
    }
    return true;
}

/* Moves to the next entry whose _id places it; the others are set aside
 * for their wallet's second look (or reported when they name none). */
static void next_entry(scan_t *s)
{
    bson_iter_t it;
    while (mongoc_cursor_next(s->ledger, &s->ldoc)) {
        uint32_t len;
        const char *id = store_doc_str(s->ldoc, "_id", &len);
        if (id && entry_id_shape(id, len)) {
            memcpy(s->lkey, id, 24);
            s->lkey[24] = '\0';
            return;
        }
        if (bson_iter_init_find(&it, s->ldoc, "walletId") && BSON_ITER_HOLDS_OID(&it))
            doubt(s, bson_iter_oid(&it));
        else
            report_unplaced(s, s->ldoc, "malformed_entry", "a ledger entry names no wallet");
    }
    s->ldoc = NULL;
}

/* Checks the wallet under the cursors (a wallet document, the entries
 * after it with its id, or entries without one). */
static void scan_one(scan_t *s)
{
    store_audit_check_t c = {.report = false};
    bool with_wallet = s->wdoc && (!s->ldoc || strcmp(s->wkey, s->lkey) <= 0);
    char key[STORE_ID_SIZE];
    memcpy(key, with_wallet ? s->wkey : s->lkey, sizeof key);
    store_audit__begin(&c, key, with_wallet ? s->wdoc : NULL);
    while (s->ldoc && strcmp(s->lkey, key) == 0) {
        store_audit__entry(&c, s->ldoc);
        next_entry(s);
    }
    store_audit__end(&c);
    if (with_wallet)
        next_wallet(s);
    if (!c.suspicious) {
        store_audit__add(&c, s->counts);
        return;
    }
    bson_oid_t oid;
    store_oid_parse_c(key, &oid);
    doubt(s, &oid);
}

static int cursor_failed(mongoc_cursor_t *cursor, store_error_t *err)
{
    bson_error_t error;
    return mongoc_cursor_error(cursor, &error) ? store_error_from(&error, NULL, err) : FACET_OK;
}

static mongoc_cursor_t *find_sorted(mongoc_client_t *client, const char *db, const char *coll,
                                    const bson_t *filter, const bson_t *sort)
{
    mongoc_collection_t *c = mongoc_client_get_collection(client, db, coll);
    bson_t opts = BSON_INITIALIZER;
    BSON_APPEND_DOCUMENT(&opts, "sort", sort);
    mongoc_cursor_t *cursor =
        mongoc_collection_find_with_opts(c, filter, &opts, store_wallet__primary());
    bson_destroy(&opts);
    mongoc_collection_destroy(c);
    return cursor;
}

static int scan(scan_t *s, store_error_t *err)
{
    bson_t all = BSON_INITIALIZER, by_id = BSON_INITIALIZER;
    BSON_APPEND_INT32(&by_id, "_id", 1);
    s->wallets = find_sorted(s->client, s->db, STORE_WALLETS_COLLECTION, &all, &by_id);
    s->ledger = find_sorted(s->client, s->db, STORE_LEDGER_COLLECTION, &all, &by_id);
    next_wallet(s);
    next_entry(s);
    while (s->wdoc || s->ldoc)
        scan_one(s);
    int rc = cursor_failed(s->wallets, err);
    if (rc == FACET_OK)
        rc = cursor_failed(s->ledger, err);
    mongoc_cursor_destroy(s->wallets);
    mongoc_cursor_destroy(s->ledger);
    bson_destroy(&by_id);
    bson_destroy(&all);
    return rc;
}

/* ---- the second look ---- */

static int oid_cmp(const void *a, const void *b)
{
    return memcmp(a, b, sizeof(bson_oid_t));
}

/* Reads the wallet, then its entries, afresh and reports what is wrong. */
static int confirm(scan_t *s, const bson_oid_t *wallet, store_error_t *err)
{
    mongoc_collection_t *coll =
        mongoc_client_get_collection(s->client, s->db, STORE_WALLETS_COLLECTION);
    bson_t *filter = BCON_NEW("_id", BCON_OID(wallet));
    bson_t doc;
    int rc = store_wallet__find_one(coll, filter, NULL, &doc, err);
    bson_destroy(filter);
    mongoc_collection_destroy(coll);
    if (rc != FACET_OK && rc != FACET_ENOTFOUND)
        return rc;
    store_audit_check_t c = {.report = true, .cb = s->cb, .ud = s->ud};
    char key[STORE_ID_SIZE];
    store_oid_format(wallet, key);
    store_audit__begin(&c, key, rc == FACET_OK ? &doc : NULL);
    if (rc == FACET_OK)
        bson_destroy(&doc);
    filter = BCON_NEW("walletId", BCON_OID(wallet));
    bson_t *sort = BCON_NEW("seq", BCON_INT32(1), "_id", BCON_INT32(1));
    mongoc_cursor_t *cursor = find_sorted(s->client, s->db, STORE_LEDGER_COLLECTION, filter, sort);
    const bson_t *entry;
    while (mongoc_cursor_next(cursor, &entry))
        store_audit__entry(&c, entry);
    rc = cursor_failed(cursor, err);
    mongoc_cursor_destroy(cursor);
    bson_destroy(sort);
    bson_destroy(filter);
    if (rc != FACET_OK)
        return rc;
    store_audit__end(&c);
    store_audit__add(&c, s->counts);
    return FACET_OK;
}

int store_audit_verify(mongoc_client_t *client, const char *db, store_audit_cb cb, void *ud,
                       store_audit_counts_t *counts, store_error_t *err)
{
    store_error_clear(err);
    store_audit_counts_t scratch;
    if (!counts)
        counts = &scratch;
    memset(counts, 0, sizeof *counts);
    scan_t s = {.client = client, .db = db, .cb = cb, .ud = ud, .counts = counts};
    int rc = scan(&s, err);
    if (rc == FACET_OK && s.ndoubtful)
        qsort(s.doubtful, s.ndoubtful, sizeof *s.doubtful, oid_cmp);
    for (size_t i = 0; rc == FACET_OK && i < s.ndoubtful; i++)
        if (i == 0 || oid_cmp(&s.doubtful[i - 1], &s.doubtful[i]) != 0)
            rc = confirm(&s, &s.doubtful[i], err);
    if (rc == FACET_OK && s.nomem)
        rc = store_error_set(err, FACET_ENOMEM, "out of memory for the wallets to re-check");
    free(s.doubtful);
    return rc;
}
