/* Ledger entries: kinds, ids, the canonical hashes that chain them, their
 * BSON form and the check of one link of a chain (see ledger.h). */
#include "store/ledger.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "store/wallet_internal.h"

static const char *const kind_names[] = {NULL, "PURCHASE", "SPEND", "GRANT", "REFUND"};

const char *store_ledger_kind_name(store_ledger_kind_t kind)
{
    return kind >= STORE_LEDGER_PURCHASE && kind <= STORE_LEDGER_REFUND ? kind_names[kind] : NULL;
}

store_ledger_kind_t store_ledger_kind_parse(const char *text, size_t len)
{
    for (int k = STORE_LEDGER_PURCHASE; k <= STORE_LEDGER_REFUND; k++)
        if (text && strlen(kind_names[k]) == len && memcmp(kind_names[k], text, len) == 0)
            return (store_ledger_kind_t)k;
    return 0;
}

bool store_ledger_kind_credits(store_ledger_kind_t kind)
{
    return kind == STORE_LEDGER_PURCHASE || kind == STORE_LEDGER_GRANT ||
           kind == STORE_LEDGER_REFUND;
}

/* ---- entries and their text ---- */

void store_ledger_entry_free(store_ledger_entry_t *e)
{
    if (!e)
        return;
    free(e->reason); /* the block: reason comes first */
    memset(e, 0, sizeof *e);
}

/* The four texts live in one block, reason first, so one free releases
 * them. The lengths are given so that text read from BSON need not be
 * NUL-terminated where it lies. */
int store_ledger__set_text_n(store_ledger_entry_t *e, const char *const text[4],
                             const size_t len[4])
{
    size_t total = 0;
    for (int i = 0; i < 4; i++)
        total += len[i] + 1;
    char *block = malloc(total), *p = block;
    if (!block)
        return FACET_ENOMEM;
    char **fields[4] = {&e->reason, &e->reference, &e->idempotency_key, &e->request_id};
    char *old = e->reason; /* freed last: the new text may come from it */
    for (int i = 0; i < 4; i++) {
        if (len[i])
            memcpy(p, text[i], len[i]);
        p[len[i]] = '\0';
        *fields[i] = p;
        p += len[i] + 1;
    }
    free(old);
    return FACET_OK;
}

int store_ledger_entry_set_text(store_ledger_entry_t *e, const char *reason, const char *reference,
                                const char *idempotency_key, const char *request_id)
{
    const char *text[4] = {reason ? reason : "", reference ? reference : "",
                           idempotency_key ? idempotency_key : "", request_id ? request_id : ""};
    size_t len[4];
    for (int i = 0; i < 4; i++)
        len[i] = strlen(text[i]);
    return store_ledger__set_text_n(e, text, len);
}

void store_ledger_entry_id(const char *wallet_id, int64_t seq, char out[STORE_LEDGER_ID_SIZE])
{
    snprintf(out, STORE_LEDGER_ID_SIZE, "%.24s:%019lld", wallet_id, (long long)seq);
}

/* ---- canonical hashes ---- */

static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;

static void init_sodium(void)
{
    if (sodium_init() < 0)
        abort(); /* libsodium cannot work at all; nothing sensible remains */
}

static void put_field(crypto_hash_sha256_state *st, const void *bytes, size_t len)
{
    unsigned char prefix[4] = {(unsigned char)(len >> 24), (unsigned char)(len >> 16),
                               (unsigned char)(len >> 8), (unsigned char)len};
    crypto_hash_sha256_update(st, prefix, 4);
    crypto_hash_sha256_update(st, bytes, len);
}

static void put_text(crypto_hash_sha256_state *st, const char *text)
{
    put_field(st, text ? text : "", text ? strlen(text) : 0);
}

static void put_int(crypto_hash_sha256_state *st, int64_t v)
{
    uint64_t u = (uint64_t)v;
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(u >> (56 - 8 * i));
    put_field(st, b, 8);
}

static void finish_hex(crypto_hash_sha256_state *st, char out[STORE_LEDGER_HASH_SIZE])
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(st, digest);
    sodium_bin2hex(out, STORE_LEDGER_HASH_SIZE, digest, sizeof digest);
}

void store_ledger_entry_hash(const store_ledger_entry_t *e, char out[STORE_LEDGER_HASH_SIZE])
{
    pthread_once(&sodium_once, init_sodium);
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    put_text(&st, "facet-ledger-v1");
    put_text(&st, e->wallet_id);
    put_int(&st, e->seq);
    put_text(&st, store_ledger_kind_name(e->kind));
    put_int(&st, e->amount);
    put_int(&st, e->balance_after);
    put_text(&st, e->reason);
    put_text(&st, e->reference);
    put_text(&st, e->idempotency_key);
    put_text(&st, e->request_hash);
    put_int(&st, e->created_at_ms);
    put_text(&st, e->actor_id);
    put_text(&st, e->prev_hash);
    finish_hex(&st, out);
}

void store_ledger_request_hash(store_ledger_kind_t kind, int64_t amount, const char *reason,
                               const char *reference, const char *extra,
                               char out[STORE_LEDGER_HASH_SIZE])
{
    pthread_once(&sodium_once, init_sodium);
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    put_text(&st, "facet-request-v1");
    put_text(&st, store_ledger_kind_name(kind));
    put_int(&st, amount);
    put_text(&st, reason);
    put_text(&st, reference);
    put_text(&st, extra);
    finish_hex(&st, out);
}

bool store_ledger_hash_valid(const char *text)
{
    for (int i = 0; i < 64; i++)
        if (!((text[i] >= '0' && text[i] <= '9') || (text[i] >= 'a' && text[i] <= 'f')))
            return false;
    return text[64] == '\0';
}

/* ---- checking one link ---- */

const char *store_ledger_problem_name(unsigned bit)
{
    switch (bit) {
    case STORE_LEDGER_BAD_SEQ:
        return "seq_gap";
    case STORE_LEDGER_BAD_PREV_HASH:
        return "prev_hash_mismatch";
    case STORE_LEDGER_BAD_KIND:
        return "bad_kind";
    case STORE_LEDGER_BAD_AMOUNT:
        return "bad_amount";
    case STORE_LEDGER_BAD_BALANCE:
        return "balance_mismatch";
    case STORE_LEDGER_BAD_NEGATIVE:
        return "negative_balance";
    case STORE_LEDGER_BAD_ID:
        return "bad_id";
    case STORE_LEDGER_BAD_HASH:
        return "hash_mismatch";
    default:
        return NULL;
    }
}

unsigned store_ledger_check_link(const store_ledger_state_t *state, const store_ledger_entry_t *e)
{
    unsigned bad = 0;
    if (e->seq != state->seq + 1)
        bad |= STORE_LEDGER_BAD_SEQ;
    if (strcmp(e->prev_hash, state->head) != 0)
        bad |= STORE_LEDGER_BAD_PREV_HASH;
    if (!store_ledger_kind_name(e->kind))
        bad |= STORE_LEDGER_BAD_KIND;
    if (e->amount <= 0 || e->amount > STORE_LEDGER_AMOUNT_MAX)
        bad |= STORE_LEDGER_BAD_AMOUNT;
    int64_t expected;
    bool overflow = e->kind == STORE_LEDGER_SPEND
                        ? __builtin_sub_overflow(state->balance, e->amount, &expected)
                        : __builtin_add_overflow(state->balance, e->amount, &expected);
    if (overflow || !store_ledger_kind_name(e->kind) || e->balance_after != expected)
        bad |= STORE_LEDGER_BAD_BALANCE;
    if (e->balance_after < 0)
        bad |= STORE_LEDGER_BAD_NEGATIVE;
    char id[STORE_LEDGER_ID_SIZE];
    store_ledger_entry_id(e->wallet_id, e->seq, id);
    if (strcmp(id, e->id) != 0)
        bad |= STORE_LEDGER_BAD_ID;
    char hash[STORE_LEDGER_HASH_SIZE];
    store_ledger_entry_hash(e, hash);
    if (strcmp(hash, e->hash) != 0)
        bad |= STORE_LEDGER_BAD_HASH;
    return bad;
}

void store_ledger_state_advance(store_ledger_state_t *state, const store_ledger_entry_t *e)
{
    state->seq = e->seq;
    state->balance = e->balance_after;
    memcpy(state->head, e->hash, STORE_LEDGER_HASH_SIZE);
}
