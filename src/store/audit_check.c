/* The audit's check of one wallet: a projection and its entries fed in seq
 * order, judged against the rules of audit.h. Problems are either reported
 * (the confirming pass) or only noted (the scanning pass). */
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "store/audit_internal.h"

static void check_projection(store_audit_check_t *c);

void store_audit__begin(store_audit_check_t *c, const char *wallet_id, const bson_t *wallet_doc)
{
    c->suspicious = false;
    c->problems = 0;
    c->entries = 0;
    snprintf(c->wallet_id, sizeof c->wallet_id, "%s", wallet_id);
    c->state = (store_ledger_state_t){0};
    memcpy(c->state.head, STORE_LEDGER_GENESIS, sizeof c->state.head);
    c->have_wallet = false;
    c->wallet_present = wallet_doc != NULL;
    c->projection_seen = false;
    if (!wallet_doc)
        return;
    store_error_t err;
    if (store_wallet__from_bson(wallet_doc, &c->wallet, &err) != FACET_OK) {
        store_audit__problem(c, 0, "malformed_wallet", err.message);
        return;
    }
    c->have_wallet = true;
    if (c->wallet.seq == 0)
        check_projection(c); /* an empty chain: balance 0, genesis head */
}

void store_audit__problem(store_audit_check_t *c, int64_t seq, const char *code, const char *detail)
{
    c->suspicious = true;
    c->problems++;
    if (!c->report || !c->cb)
        return;
    store_audit_problem_t p = {c->wallet_id, seq, code, detail};
    c->cb(&p, c->ud);
}

static void describe(unsigned bit, const store_ledger_state_t *s, const store_ledger_entry_t *e,
                     char *out, size_t len)
{
    char id[STORE_LEDGER_ID_SIZE], hash[STORE_LEDGER_HASH_SIZE];
    switch (bit) {
    case STORE_LEDGER_BAD_SEQ:
        snprintf(out, len, "expected seq %lld, found %lld", (long long)s->seq + 1,
                 (long long)e->seq);
        break;
    case STORE_LEDGER_BAD_PREV_HASH:
        snprintf(out, len, "prevHash %s is not the previous entry's hash %s", e->prev_hash,
                 s->head);
        break;
    case STORE_LEDGER_BAD_KIND:
        snprintf(out, len, "kind is not PURCHASE, SPEND, GRANT or REFUND");
        break;
    case STORE_LEDGER_BAD_AMOUNT:
        snprintf(out, len, "amount %lld is not between 1 and %lld", (long long)e->amount,
                 (long long)STORE_LEDGER_AMOUNT_MAX);
        break;
    case STORE_LEDGER_BAD_BALANCE:
        snprintf(out, len, "balanceAfter %lld does not follow from %lld and a %s of %lld",
                 (long long)e->balance_after, (long long)s->balance,
                 e->kind == STORE_LEDGER_SPEND ? "debit" : "credit", (long long)e->amount);
        break;
    case STORE_LEDGER_BAD_NEGATIVE:
        snprintf(out, len, "balanceAfter %lld is negative", (long long)e->balance_after);
        break;
    case STORE_LEDGER_BAD_ID:
        store_ledger_entry_id(e->wallet_id, e->seq, id);
        snprintf(out, len, "_id is \"%s\", expected \"%s\"", e->id, id);
        break;
    default:
        store_ledger_entry_hash(e, hash);
        snprintf(out, len, "stored hash %s, recomputed %s", e->hash, hash);
        break;
    }
}

/* The projection must be the state right after the entry at its seq. */
static void check_projection(store_audit_check_t *c)
{
    char detail[320];
    const store_wallet_t *w = &c->wallet;
    c->projection_seen = true;
    if (w->balance != c->state.balance) {
        snprintf(detail, sizeof detail, "balance %lld, but the ledger says %lld at seq %lld",
                 (long long)w->balance, (long long)c->state.balance, (long long)w->seq);
        store_audit__problem(c, 0, "projection_balance", detail);
    }
    if (strcmp(w->head, c->state.head) != 0) {
        snprintf(detail, sizeof detail, "head %s, but the entry at seq %lld hashes to %s", w->head,
                 (long long)w->seq, c->state.head);
        store_audit__problem(c, 0, "projection_head", detail);
    }
}

void store_audit__entry(store_audit_check_t *c, const bson_t *doc)
{
    store_ledger_entry_t e;
    store_error_t err;
    c->entries++;
    if (store_ledger_entry_from_bson(doc, &e, &err) != FACET_OK) {
        bson_iter_t it;
        int64_t seq = bson_iter_init_find(&it, doc, "seq") && BSON_ITER_HOLDS_NUMBER(&it)
                          ? bson_iter_as_int64(&it)
                          : 0;
        store_audit__problem(c, seq, "malformed_entry", err.message);
        return;
    }
    char detail[320];
    unsigned bad = store_ledger_check_link(&c->state, &e);
    for (unsigned bit = 1; bit && bit <= bad; bit <<= 1) {
        if (!(bad & bit))
            continue;
        describe(bit, &c->state, &e, detail, sizeof detail);
        store_audit__problem(c, e.seq, store_ledger_problem_name(bit), detail);
    }
    if (strcmp(e.user_id, c->wallet_id) != 0) {
        snprintf(detail, sizeof detail, "userId %s is not the wallet's owner", e.user_id);
        store_audit__problem(c, e.seq, "user_mismatch", detail);
    }
    /* Go on from what the entry says, so one bad entry is one report. */
    store_ledger_state_advance(&c->state, &e);
    if (c->have_wallet && e.seq == c->wallet.seq)
        check_projection(c);
    store_ledger_entry_free(&e);
}

void store_audit__end(store_audit_check_t *c)
{
    char detail[160];
    if (!c->wallet_present && c->entries > 0) {
        snprintf(detail, sizeof detail, "%lld ledger entries name a wallet that does not exist",
                 (long long)c->entries);
        store_audit__problem(c, 0, "orphan_entries", detail);
    } else if (c->have_wallet && !c->projection_seen) {
        snprintf(detail, sizeof detail, "projection at seq %lld, but no entry has that seq",
                 (long long)c->wallet.seq);
        store_audit__problem(c, 0, "projection_ahead", detail);
    }
}

void store_audit__add(const store_audit_check_t *c, store_audit_counts_t *counts)
{
    counts->wallets += c->wallet_present;
    counts->entries += c->entries;
    counts->problems += c->problems;
    if (c->problems == 0 && c->have_wallet && c->wallet.seq < c->state.seq)
        counts->behind++;
}
