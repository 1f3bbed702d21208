/* The wallet audit: recomputes every wallet from its ledger and checks the
 * hash chains (store/ledger.h) and the projections (store/wallet.h).
 *
 * For each wallet: its entries must run seq 1, 2, ... without gaps, each
 * with a valid kind, a positive amount, a balanceAfter that is the previous
 * one moved by the amount and never negative, the id its wallet and seq
 * call for, the prevHash of its predecessor and a hash that recomputes;
 * every entry's userId must be the wallet's. The projection must be
 * explained by the chain: its seq no greater than the last entry's, its
 * balance and head those of the entry at its seq. Entries past the
 * projection's seq are not an error (a write in flight, or a crash that a
 * later read or store_wallet_recover repairs); they are counted as
 * "behind". Ledger entries of a wallet that does not exist are an error.
 *
 * It reads the live database without stopping writers: the wallets and the
 * ledger are scanned together in _id order, and any wallet that looks wrong
 * is read again on its own (projection first, then its entries), so only
 * what that fresh read confirms is reported. What it cannot see: someone
 * who rewrites an entry and recomputes every hash after it (the chain is
 * keyless), or drops trailing entries and edits the projection to match. */
#ifndef FACET_STORE_AUDIT_H
#define FACET_STORE_AUDIT_H

#include <stdint.h>

#include "store/doc.h"
#include "store/ledger.h"

typedef struct _mongoc_client_t mongoc_client_t;

/* One problem. Valid only during the callback. */
typedef struct store_audit_problem {
    const char *wallet_id; /* 24 hex digits, or the ledger entry's _id when unreadable */
    int64_t seq;           /* the entry concerned; 0 for the projection itself */
    /* Static code: one of store_ledger_problem_name's, or "malformed_entry",
     * "malformed_wallet", "user_mismatch", "projection_ahead",
     * "projection_balance", "projection_head", "orphan_entries". */
    const char *code;
    const char *detail; /* a sentence with the values involved */
} store_audit_problem_t;

typedef void (*store_audit_cb)(const store_audit_problem_t *problem, void *ud);

typedef struct store_audit_counts {
    int64_t wallets;  /* wallet documents checked */
    int64_t entries;  /* ledger entries checked */
    int64_t problems; /* problems reported */
    int64_t behind;   /* wallets whose projection is behind a sound ledger */
} store_audit_counts_t;

/* Audits database db, calling cb (may be NULL) for each problem found, in
 * wallet order, and fills counts. Returns FACET_OK when the audit ran to
 * the end (counts->problems says whether it is clean), or the database
 * error that stopped it (err says which). Blocking; reads only. */
int store_audit_verify(mongoc_client_t *client, const char *db, store_audit_cb cb, void *ud,
                       store_audit_counts_t *counts, store_error_t *err);

#endif
