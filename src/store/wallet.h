/* The gem wallet repository: one wallet per user, whose ledger (store/ledger.h)
 * is the source of truth and whose balance is a projection of it.
 *
 * Collections. `wallets` holds {_id, userId, balance, seq, head, createdAt,
 * updatedAt}: a wallet's _id is its owner's user id (one wallet per user, so
 * every lookup is by primary key), seq and head are the sequence number and
 * hash of the last entry the projection includes (0 and
 * STORE_LEDGER_GENESIS for none), balance its balanceAfter. `ledger` holds
 * the entries. The indexes store_migrate creates are required: the unique
 * {walletId, idempotencyKey} index is what makes a retried request
 * idempotent across instances, and posting refuses to run without it.
 *
 * Posting without transactions. An entry is inserted first, with seq one
 * past the projection's and prevHash its head; the unique _id
 * "<walletId>:<seq>" lets exactly one writer take each seq, whichever
 * instance it runs on. The projection is then moved forward with a
 * conditional update on its old seq. A crash between the two leaves the
 * projection behind the ledger; the next post or read on the wallet rolls
 * it forward (verifying each entry's link first), and
 * store_wallet_recover does it for every wallet written recently. Within
 * one process, posts on one wallet are serialized by striped mutexes so
 * that a storm on one wallet queues instead of retrying.
 *
 * Every function is synchronous and blocking: it takes a client popped
 * from the pool by the caller (used by one thread at a time, as libmongoc
 * requires) and the database name, and is meant for the libuv thread pool.
 * Any number may run at once, on any clients (with error API version 2, as
 * store_mongo's pool sets it). Ids are ObjectIds as 24 hex
 * digits (an invalid one is FACET_EINVAL); times are ms since the epoch.
 * Writes use write concern "majority" and reads the primary, whatever the
 * URI says. */
#ifndef FACET_STORE_WALLET_H
#define FACET_STORE_WALLET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/doc.h"
#include "store/ledger.h"

typedef struct _mongoc_client_t mongoc_client_t;

/* Most entries one store_wallet_transactions call returns. */
#define STORE_WALLET_PAGE_MAX 100

typedef struct store_wallet {
    char id[STORE_ID_SIZE]; /* equal to user_id */
    char user_id[STORE_ID_SIZE];
    int64_t balance;
    int64_t seq;
    char head[STORE_LEDGER_HASH_SIZE];
    int64_t created_at_ms;
    int64_t updated_at_ms; /* createdAt of the last entry, or of the wallet */
} store_wallet_t;

/* One request to move gems. Strings are borrowed for the call; NULL reads
 * as "". Sizes are bounded by the STORE_LEDGER_*_MAX constants and every
 * string must be UTF-8 without NUL bytes. */
typedef struct store_wallet_op {
    const char *user_id; /* the wallet's owner; the wallet is created on first use */
    store_ledger_kind_t kind;
    int64_t amount;        /* 1..STORE_LEDGER_AMOUNT_MAX */
    const char *reason;    /* required (non-empty) for GRANT and REFUND */
    const char *reference; /* what the gems pay for, or the purchase's receipt */
    /* The client's key. The same key with the same request returns the
     * first result; with a different request it is refused. NULL or ""
     * makes the store generate a unique one ("auto:<ObjectId>"), for
     * callers with nothing to deduplicate on. */
    const char *idempotency_key;
    const char *request_extra; /* more canonical request text for the request hash (a SKU) */
    const char *actor_id;      /* who acts (the user, an admin); NULL for none */
    const char *request_id;    /* for the audit trail */
} store_wallet_op_t;

/* Posts op to the owner's wallet and fills out (which the caller frees with
 * store_ledger_entry_free) with the entry. *replayed (may be NULL) tells
 * whether out is an earlier entry returned for a retried request (no gems
 * moved this time). Returns:
 *   FACET_OK         done, or replayed
 *   FACET_EINVAL     a bad op (err says which field), or a credit that would
 *                    take the balance past STORE_LEDGER_AMOUNT_MAX
 *   FACET_ELIMIT     SPEND of more than the balance (INSUFFICIENT_FUNDS)
 *   FACET_EEXIST     the key was used before with a different request
 *                    (IDEMPOTENCY_KEY_REUSED)
 *   FACET_ECONFLICT  other instances kept winning the next seq; retry later
 *   FACET_EIO etc.   the database failed (the outcome may be unknown: retry
 *                    with the same key), the indexes are missing, or the
 *                    wallet's chain is broken (err says so; see the audit)
 * out is touched only on FACET_OK. */
int store_wallet_post(mongoc_client_t *client, const char *db, const store_wallet_op_t *op,
                      store_ledger_entry_t *out, bool *replayed, store_error_t *err);

/* store_wallet_post that also fills wallet (on FACET_OK) with the wallet as
 * the post left it: right after the new entry, or as it stands now for a
 * replay. It spares the caller a store_wallet_get_by_user (two reads). */
int store_wallet_post_read(mongoc_client_t *client, const char *db, const store_wallet_op_t *op,
                           store_ledger_entry_t *out, bool *replayed, store_wallet_t *wallet,
                           store_error_t *err);

/* Reads the wallet of user_id into out, rolling its projection forward
 * first when the ledger is ahead of it (one point lookup tells). A user
 * without a wallet gets an empty one created when create_if_missing, else
 * FACET_ENOTFOUND. */
int store_wallet_get_by_user(mongoc_client_t *client, const char *db, const char *user_id,
                             bool create_if_missing, store_wallet_t *out, store_error_t *err);

/* A page of a wallet's entries, newest first. */
typedef struct store_wallet_page {
    store_ledger_entry_t *items; /* owned; free with store_wallet_page_free */
    size_t count;
    bool has_next; /* older entries remain: pass the last item's seq as after_seq */
} store_wallet_page_t;

/* Lists up to first (1..STORE_WALLET_PAGE_MAX) entries of wallet_id,
 * newest first, starting after the entry whose seq is after_seq (a Relay
 * `after` cursor: only entries with a smaller seq follow it), or from the
 * newest when after_seq is 0. The wallet is not looked up: an unknown one
 * gives an empty page. */
int store_wallet_transactions(mongoc_client_t *client, const char *db, const char *wallet_id,
                              int first, int64_t after_seq, store_wallet_page_t *out,
                              store_error_t *err);

void store_wallet_page_free(store_wallet_page_t *page);

/* Finds one entry by its id ("<walletId>:<seq>"); FACET_ENOTFOUND when
 * there is none, FACET_EINVAL when id is not of that form. The caller
 * checks that its wallet is one the requester may see. out as for post. */
int store_wallet_entry_by_id(mongoc_client_t *client, const char *db, const char *id,
                             store_ledger_entry_t *out, store_error_t *err);

/* Rolls forward the projection of every wallet with ledger entries created
 * at or after since_ms (`facet serve` passes its start time minus some
 * minutes, to repair what a crashed instance left). *rolled (may be NULL)
 * gets how many wallets moved. A wallet whose chain is broken is logged and
 * skipped (the audit names it) and the others are still done; the status is
 * then FACET_EIO with err naming the first such wallet. */
int store_wallet_recover(mongoc_client_t *client, const char *db, int64_t since_ms, size_t *rolled,
                         store_error_t *err);

/* store_wallet_recover that also calls visit (may be NULL) with the id of
 * every wallet it looked at (those with entries since since_ms), e.g. to
 * forget them in a cache a crashed writer may have left stale. */
int store_wallet_recover_visit(mongoc_client_t *client, const char *db, int64_t since_ms,
                               void (*visit)(const char *wallet_id, void *ud), void *ud,
                               size_t *rolled, store_error_t *err);

#endif
