/* The wallet ledger's entries: their C form, their BSON form in the `ledger`
 * collection, and the hashes that chain them. Nothing here does I/O; the
 * wallet repository (store/wallet.h) writes entries and the audit
 * (store/audit.h) verifies them.
 *
 * An entry is immutable once written. Its _id is "<walletId>:<seq>" with the
 * sequence number written as 19 decimal digits ("…:0000000000000000042"), so
 * (walletId, seq) is unique through _id itself and an entry is found by
 * the primary key alone, on MongoDB and on FerretDB (whose SQLite backend
 * only pushes _id lookups down to SQL). The id is also what the API shows as
 * WalletTransaction.id.
 *
 * The hash of an entry is the SHA-256, as 64 lower-case hex digits, of a
 * canonical serialization: a sequence of fields, each a 4-byte big-endian
 * byte length followed by the bytes. Text fields are their UTF-8 bytes;
 * integers are 8 bytes, big-endian two's complement (so their length is 8).
 * The fields, in order:
 *
 *   "facet-ledger-v1", walletId (24 lower-case hex digits), seq (int),
 *   kind ("PURCHASE", "SPEND", "GRANT", "REFUND"), amount (int),
 *   balanceAfter (int), reason, reference, idempotencyKey, requestHash
 *   (64 hex digits), createdAt (int, ms since the epoch), actorId (24 hex
 *   digits, or empty when no actor), prevHash (64 hex digits)
 *
 * prevHash is the hash of the entry with seq - 1, or STORE_LEDGER_GENESIS
 * (64 zeros) for seq 1. _id, userId (always equal to walletId: a wallet's id
 * is its owner's user id) and requestId are not covered.
 *
 * The request hash identifies what a client asked for, so that a retry with
 * the same idempotency key can be told apart from a different request
 * reusing it. It is the SHA-256 (hex) of the same kind of serialization of:
 *
 *   "facet-request-v1", kind, amount (int), reason, reference, extra
 *
 * where extra is any further canonical text the caller adds (the purchase
 * SKU, for instance), or empty. */
#ifndef FACET_STORE_LEDGER_H
#define FACET_STORE_LEDGER_H

#include <bson/bson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/doc.h"

/* Sizes in bytes, NUL excluded. */
#define STORE_LEDGER_HASH_SIZE     65 /* 64 hex digits and a NUL */
#define STORE_LEDGER_ID_SIZE       45 /* 24 + ':' + 19 digits + NUL */
#define STORE_LEDGER_REASON_MAX    1024
#define STORE_LEDGER_REFERENCE_MAX 256
#define STORE_LEDGER_KEY_MAX       256
#define STORE_LEDGER_EXTRA_MAX     1024
#define STORE_LEDGER_REQUEST_MAX   128
/* The largest amount one entry may move, and so (with headroom) the
 * largest balance: 10^15 gems. */
#define STORE_LEDGER_AMOUNT_MAX INT64_C(1000000000000000)

/* prevHash of the first entry and head of a wallet without entries. */
#define STORE_LEDGER_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

typedef enum store_ledger_kind {
    STORE_LEDGER_PURCHASE = 1, /* credit: gems bought */
    STORE_LEDGER_SPEND = 2,    /* debit: gems spent */
    STORE_LEDGER_GRANT = 3,    /* credit: given by an admin */
    STORE_LEDGER_REFUND = 4,   /* credit: given back by an admin */
} store_ledger_kind_t;

/* "PURCHASE", "SPEND", "GRANT" or "REFUND"; NULL for anything else. */
const char *store_ledger_kind_name(store_ledger_kind_t kind);
/* The kind named by text (exact, upper case); 0 when none. */
store_ledger_kind_t store_ledger_kind_parse(const char *text, size_t len);
/* True for the kinds that add to the balance. */
bool store_ledger_kind_credits(store_ledger_kind_t kind);

/* One ledger entry. The four text pointers point into one block that the
 * entry owns (never NULL in an entry filled by this module; "" when empty);
 * release it with store_ledger_entry_free. An entry that was zeroed and
 * never filled may be freed too. */
typedef struct store_ledger_entry {
    char id[STORE_LEDGER_ID_SIZE];
    char wallet_id[STORE_ID_SIZE];
    char user_id[STORE_ID_SIZE];
    int64_t seq;
    store_ledger_kind_t kind;
    int64_t amount; /* > 0; SPEND takes it away, the others add it */
    int64_t balance_after;
    char *reason;
    char *reference;
    char *idempotency_key;
    char *request_id;
    char request_hash[STORE_LEDGER_HASH_SIZE];
    char prev_hash[STORE_LEDGER_HASH_SIZE];
    char hash[STORE_LEDGER_HASH_SIZE];
    int64_t created_at_ms;
    char actor_id[STORE_ID_SIZE]; /* "" when no actor (a payment provider) */
} store_ledger_entry_t;

/* Frees the text block and zeroes e (e itself is the caller's). */
void store_ledger_entry_free(store_ledger_entry_t *e);

/* Gives e its text fields (copies of the arguments; NULL is ""). Replaces
 * any text e had. FACET_ENOMEM on failure, e's text then unchanged. */
int store_ledger_entry_set_text(store_ledger_entry_t *e, const char *reason, const char *reference,
                                const char *idempotency_key, const char *request_id);

/* Writes "<walletId>:<seq as 19 digits>" into out. */
void store_ledger_entry_id(const char *wallet_id, int64_t seq, char out[STORE_LEDGER_ID_SIZE]);

/* The hash of e as described above (e->hash itself is not read). */
void store_ledger_entry_hash(const store_ledger_entry_t *e, char out[STORE_LEDGER_HASH_SIZE]);

/* The request hash of a request (NULL strings are ""). */
void store_ledger_request_hash(store_ledger_kind_t kind, int64_t amount, const char *reason,
                               const char *reference, const char *extra,
                               char out[STORE_LEDGER_HASH_SIZE]);

/* True when text is 64 lower-case hex digits. */
bool store_ledger_hash_valid(const char *text);

/* Appends e's fields to doc (an empty document the caller owns). */
void store_ledger_entry_to_bson(const store_ledger_entry_t *e, bson_t *doc);

/* Reads an entry back, checking every field's presence and type strictly
 * (integers must be int32 or int64, texts UTF-8 without NUL bytes, ids
 * ObjectIds, createdAt a date). On FACET_OK out owns its text; on
 * FACET_EINVAL (a malformed document: err says which field) or
 * FACET_ENOMEM out holds nothing to free. The values themselves (hash,
 * balances) are not judged here. */
int store_ledger_entry_from_bson(const bson_t *doc, store_ledger_entry_t *out, store_error_t *err);

/* A wallet's running state along its chain. */
typedef struct store_ledger_state {
    int64_t seq;
    int64_t balance;
    char head[STORE_LEDGER_HASH_SIZE];
} store_ledger_state_t;

/* What store_ledger_check_link finds wrong with an entry: a set of bits. */
enum {
    STORE_LEDGER_BAD_SEQ = 1 << 0,       /* seq is not state.seq + 1 */
    STORE_LEDGER_BAD_PREV_HASH = 1 << 1, /* prevHash is not state.head */
    STORE_LEDGER_BAD_KIND = 1 << 2,      /* not one of the four kinds */
    STORE_LEDGER_BAD_AMOUNT = 1 << 3,    /* not in 1..STORE_LEDGER_AMOUNT_MAX */
    STORE_LEDGER_BAD_BALANCE = 1 << 4,   /* balanceAfter is not state.balance moved by amount */
    STORE_LEDGER_BAD_NEGATIVE = 1 << 5,  /* balanceAfter below zero */
    STORE_LEDGER_BAD_ID = 1 << 6,        /* _id is not "<walletId>:<seq>" */
    STORE_LEDGER_BAD_HASH = 1 << 7,      /* the stored hash is not the recomputed one */
};

/* A static name for one STORE_LEDGER_BAD_* bit ("seq_gap",
 * "prev_hash_mismatch", "bad_kind", "bad_amount", "balance_mismatch",
 * "negative_balance", "bad_id", "hash_mismatch"); NULL for anything else. */
const char *store_ledger_problem_name(unsigned bit);

/* Checks that e is the entry that follows state and is internally sound;
 * returns 0 when it is, else the STORE_LEDGER_BAD_* bits of what is not.
 * A wallet's chain is sound when every entry, checked against the state
 * advanced past all those before it, gives 0. */
unsigned store_ledger_check_link(const store_ledger_state_t *state, const store_ledger_entry_t *e);

/* Moves state past e (seq, balance after, hash), trusting e. */
void store_ledger_state_advance(store_ledger_state_t *state, const store_ledger_entry_t *e);

#endif
