/* Reading wallets and their entries (see wallet.h). */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "store/wallet_internal.h"

int store_wallet_get_by_user(mongoc_client_t *client, const char *db, const char *user_id,
                             bool create_if_missing, store_wallet_t *out, store_error_t *err)
{
    store_error_clear(err);
    bson_oid_t user;
    if (store_oid_parse_c(user_id, &user) != FACET_OK)
        return store_error_set(err, FACET_EINVAL, "user id is not an ObjectId");
    store_wallet_t w;
    int rc = store_wallet__load(client, db, &user, create_if_missing, &w, err);
    if (rc != FACET_OK)
        return rc;
    /* Not under the wallet's stripe: rolling forward is safe concurrently
     * with anyone (the projection only moves from the seq it was seen at). */
    int64_t moved;
    rc = store_wallet__roll_forward(client, db, &w, &moved, err);
    if (rc == FACET_OK)
        *out = w;
    return rc;
}

/* "<24 hex digits>:<19 digits>", as store_ledger_entry_id writes it. */
static bool entry_id_valid(const char *id)
{
    bson_oid_t oid;
    if (!id || strlen(id) != STORE_LEDGER_ID_SIZE - 1 || id[24] != ':' ||
        store_oid_parse(id, 24, &oid) != FACET_OK)
        return false;
    for (int i = 25; i < STORE_LEDGER_ID_SIZE - 1; i++)
        if (id[i] < '0' || id[i] > '9')
            return false;
    return true;
}

int store_wallet_entry_by_id(mongoc_client_t *client, const char *db, const char *id,
                             store_ledger_entry_t *out, store_error_t *err)
{
    store_error_clear(err);
    if (!entry_id_valid(id))
        return store_error_set(err, FACET_EINVAL, "not a ledger entry id");
    char lower[STORE_LEDGER_ID_SIZE];
    bson_oid_t oid;
    store_oid_parse(id, 24, &oid);
    store_oid_format(&oid, lower);
    memcpy(lower + 24, id + 24, STORE_LEDGER_ID_SIZE - 24);
    mongoc_collection_t *ledger = mongoc_client_get_collection(client, db, STORE_LEDGER_COLLECTION);
    int rc = store_wallet__entry_find(ledger, lower, out, err);
    mongoc_collection_destroy(ledger);
    if (rc == FACET_ENOTFOUND)
        store_error_set(err, rc, "no such ledger entry");
    return rc;
}

void store_wallet_page_free(store_wallet_page_t *page)
{
    if (!page)
        return;
    for (size_t i = 0; i < page->count; i++)
        store_ledger_entry_free(&page->items[i]);
    free(page->items);
    memset(page, 0, sizeof *page);
}

/* Reads the cursor's entries into page (one more than first is fetched to
 * tell whether older ones remain). */
static int read_page(mongoc_cursor_t *cursor, int first, store_wallet_page_t *page,
                     store_error_t *err)
{
    const bson_t *doc;
    while (mongoc_cursor_next(cursor, &doc)) {
        if (page->count == (size_t)first) {
            page->has_next = true;
            break;
        }
        store_ledger_entry_t *e = &page->items[page->count];
        int rc = store_ledger_entry_from_bson(doc, e, err);
        if (rc != FACET_OK)
            return rc == FACET_EINVAL
                       ? store_error_set(err, FACET_EIO, "a ledger entry is malformed: %s",
                                         err ? err->message : "")
                       : rc;
        page->count++;
    }
    bson_error_t error;
    if (mongoc_cursor_error(cursor, &error))
        return store_error_from(&error, NULL, err);
    return FACET_OK;
}

int store_wallet_transactions(mongoc_client_t *client, const char *db, const char *wallet_id,
                              int first, int64_t after_seq, store_wallet_page_t *out,
                              store_error_t *err)
{
    store_error_clear(err);
    memset(out, 0, sizeof *out);
    bson_oid_t wallet;
    if (store_oid_parse_c(wallet_id, &wallet) != FACET_OK)
        return store_error_set(err, FACET_EINVAL, "wallet id is not an ObjectId");
    if (first < 1 || first > STORE_WALLET_PAGE_MAX || after_seq < 0)
        return store_error_set(err, FACET_EINVAL, "first must be between 1 and %d",
                               STORE_WALLET_PAGE_MAX);
    out->items = calloc((size_t)first, sizeof *out->items);
    if (!out->items)
        return store_error_set(err, FACET_ENOMEM, "out of memory");
    bson_t *filter = after_seq > 0 ? BCON_NEW("walletId", BCON_OID(&wallet), "seq", "{", "$lt",
                                              BCON_INT64(after_seq), "}")
                                   : BCON_NEW("walletId", BCON_OID(&wallet));
    bson_t *opts =
        BCON_NEW("sort", "{", "seq", BCON_INT32(-1), "}", "limit", BCON_INT64(first + 1));
    mongoc_collection_t *ledger = mongoc_client_get_collection(client, db, STORE_LEDGER_COLLECTION);
    mongoc_cursor_t *cursor =
        mongoc_collection_find_with_opts(ledger, filter, opts, store_wallet__primary());
    int rc = read_page(cursor, first, out, err);
    mongoc_cursor_destroy(cursor);
    mongoc_collection_destroy(ledger);
    bson_destroy(opts);
    bson_destroy(filter);
    if (rc != FACET_OK)
        store_wallet_page_free(out);
    return rc;
}
