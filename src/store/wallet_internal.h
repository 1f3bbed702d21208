/* What the files of the wallet repository (wallet.c, wallet_project.c,
 * wallet_read.c, ledger*.c) and the audit share. Not for other modules. */
#ifndef FACET_STORE_WALLET_INTERNAL_H
#define FACET_STORE_WALLET_INTERNAL_H

#include <mongoc/mongoc.h>

#include "store/ledger.h"
#include "store/wallet.h"

#define STORE_WALLETS_COLLECTION "wallets"
#define STORE_LEDGER_COLLECTION  "ledger"

/* Gives e the four texts of the given lengths (need not be NUL-terminated),
 * in one block, replacing any it had (see ledger.c). */
int store_ledger__set_text_n(store_ledger_entry_t *e, const char *const text[4],
                             const size_t len[4]);

/* Read preference "primary", created once, never freed; shared read-only. */
const mongoc_read_prefs_t *store_wallet__primary(void);

/* Appends writeConcern {w: "majority"} with a time limit to opts. */
void store_wallet__majority(bson_t *opts);

/* Finds the first document of coll matching filter (opts: sort, projection;
 * may be NULL) on the primary, copying it into out (initialized only on
 * FACET_OK). FACET_ENOTFOUND when none matches. */
int store_wallet__find_one(mongoc_collection_t *coll, const bson_t *filter, const bson_t *opts,
                           bson_t *out, store_error_t *err);

/* Reads a wallet document strictly; FACET_EINVAL naming the bad field. */
int store_wallet__from_bson(const bson_t *doc, store_wallet_t *out, store_error_t *err);

/* Loads the wallet whose id is user (creating an empty one when create and
 * it is missing, else FACET_ENOTFOUND). */
int store_wallet__load(mongoc_client_t *client, const char *db, const bson_oid_t *user, bool create,
                       store_wallet_t *out, store_error_t *err);

/* Reads the entry with id id into out (FACET_ENOTFOUND when none);
 * a malformed one is FACET_EIO naming it. */
int store_wallet__entry_find(mongoc_collection_t *ledger, const char *id, store_ledger_entry_t *out,
                             store_error_t *err);

/* Applies to w, in order, the entries that follow its seq, checking each
 * link, then moves the stored projection from w's old seq to the new one
 * (a no-op when someone else did). *moved gets the number of entries
 * applied. A broken link is FACET_EIO, logged, with w unchanged. */
int store_wallet__roll_forward(mongoc_client_t *client, const char *db, store_wallet_t *w,
                               int64_t *moved, store_error_t *err);

/* Moves the stored projection of w from old_seq to w's state (a no-op,
 * and FACET_OK, when someone else moved it already). */
int store_wallet__save(mongoc_client_t *client, const char *db, const store_wallet_t *w,
                       int64_t old_seq, store_error_t *err);

/* Serializes posts on one wallet within the process (striped). */
void store_wallet__lock(const char *wallet_id);
void store_wallet__unlock(const char *wallet_id);

#endif
