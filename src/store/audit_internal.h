/* What the audit's files share: the check of one wallet (audit_check.c)
 * that the scan and the confirming pass (audit.c) feed. */
#ifndef FACET_STORE_AUDIT_INTERNAL_H
#define FACET_STORE_AUDIT_INTERNAL_H

#include "store/audit.h"
#include "store/wallet_internal.h"

typedef struct store_audit_check {
    /* Set once by the caller. */
    bool report; /* false: problems are only counted and mark the wallet */
    store_audit_cb cb;
    void *ud;
    /* The wallet under check. */
    char wallet_id[STORE_LEDGER_ID_SIZE];
    bool wallet_present; /* a wallet document exists */
    bool have_wallet;    /* ... and it could be read */
    store_wallet_t wallet;
    bool projection_seen; /* the projection was compared with the chain */
    store_ledger_state_t state;
    int64_t entries, problems;
    bool suspicious;
} store_audit_check_t;

/* Starts on wallet_id with its wallet document (NULL when there is none). */
void store_audit__begin(store_audit_check_t *c, const char *wallet_id, const bson_t *wallet_doc);
/* Feeds the wallet's next entry document, in seq order. */
void store_audit__entry(store_audit_check_t *c, const bson_t *doc);
/* Finishes the wallet: the checks that need all its entries. */
void store_audit__end(store_audit_check_t *c);
/* Adds the finished wallet's figures to counts. */
void store_audit__add(const store_audit_check_t *c, store_audit_counts_t *counts);
/* Notes a problem (reported through cb when c->report). */
void store_audit__problem(store_audit_check_t *c, int64_t seq, const char *code,
                          const char *detail);

#endif
