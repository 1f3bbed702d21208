/* Ledger entries to and from their documents in the `ledger` collection.
 * Reading is strict about types, because the audit reads whatever is in
 * the database, tampered or not, and must never guess. */
#include <string.h>

#include "core/error.h"
#include "store/ledger.h"
#include "store/wallet_internal.h"

void store_ledger_entry_to_bson(const store_ledger_entry_t *e, bson_t *doc)
{
    bson_oid_t wallet, user, actor;
    store_oid_parse_c(e->wallet_id, &wallet);
    store_oid_parse_c(e->user_id, &user);
    BSON_APPEND_UTF8(doc, "_id", e->id);
    BSON_APPEND_OID(doc, "walletId", &wallet);
    BSON_APPEND_OID(doc, "userId", &user);
    BSON_APPEND_INT64(doc, "seq", e->seq);
    BSON_APPEND_UTF8(doc, "kind", store_ledger_kind_name(e->kind));
    BSON_APPEND_INT64(doc, "amount", e->amount);
    BSON_APPEND_INT64(doc, "balanceAfter", e->balance_after);
    BSON_APPEND_UTF8(doc, "reason", e->reason);
    BSON_APPEND_UTF8(doc, "reference", e->reference);
    BSON_APPEND_UTF8(doc, "idempotencyKey", e->idempotency_key);
    BSON_APPEND_UTF8(doc, "requestHash", e->request_hash);
    BSON_APPEND_UTF8(doc, "prevHash", e->prev_hash);
    BSON_APPEND_UTF8(doc, "hash", e->hash);
    BSON_APPEND_DATE_TIME(doc, "createdAt", e->created_at_ms);
    if (e->actor_id[0] && store_oid_parse_c(e->actor_id, &actor) == FACET_OK)
        BSON_APPEND_OID(doc, "actorId", &actor);
    else
        BSON_APPEND_NULL(doc, "actorId");
    BSON_APPEND_UTF8(doc, "requestId", e->request_id);
}

static int malformed(store_error_t *err, const char *field)
{
    return store_error_set(err, FACET_EINVAL, "ledger entry: field %s is missing or malformed",
                           field);
}

static bool get_int(const bson_t *doc, const char *key, int64_t *out)
{
    bson_iter_t it;
    if (!bson_iter_init_find(&it, doc, key) ||
        !(BSON_ITER_HOLDS_INT64(&it) || BSON_ITER_HOLDS_INT32(&it)))
        return false;
    *out = bson_iter_as_int64(&it);
    return true;
}

/* A UTF-8 text without NUL bytes, borrowed from doc. */
static bool get_text(const bson_t *doc, const char *key, const char **out, size_t *len)
{
    uint32_t n;
    const char *s = store_doc_str(doc, key, &n);
    if (!s || !store_utf8_ok(s, n))
        return false;
    *out = s;
    *len = n;
    return true;
}

/* A text of at most cap - 1 bytes copied into dst. */
static bool get_small(const bson_t *doc, const char *key, char *dst, size_t cap)
{
    const char *s;
    size_t n;
    if (!get_text(doc, key, &s, &n) || n >= cap)
        return false;
    memcpy(dst, s, n);
    dst[n] = '\0';
    return true;
}

/* _id: kept as found so that the chain check can name a wrong one;
 * anything that is not a short string reads as "". */
static void get_id(const bson_t *doc, char out[STORE_LEDGER_ID_SIZE])
{
    bson_iter_t it;
    out[0] = '\0';
    if (bson_iter_init_find(&it, doc, "_id") && BSON_ITER_HOLDS_OID(&it))
        store_oid_format(bson_iter_oid(&it), out);
    else
        get_small(doc, "_id", out, STORE_LEDGER_ID_SIZE);
}

static int get_scalars(const bson_t *doc, store_ledger_entry_t *out, store_error_t *err)
{
    get_id(doc, out->id);
    if (!store_doc_oid_text(doc, "walletId", out->wallet_id))
        return malformed(err, "walletId");
    if (!store_doc_oid_text(doc, "userId", out->user_id))
        return malformed(err, "userId");
    if (!get_int(doc, "seq", &out->seq))
        return malformed(err, "seq");
    if (!get_int(doc, "amount", &out->amount))
        return malformed(err, "amount");
    if (!get_int(doc, "balanceAfter", &out->balance_after))
        return malformed(err, "balanceAfter");
    uint32_t klen;
    const char *kind = store_doc_str(doc, "kind", &klen);
    if (!kind)
        return malformed(err, "kind");
    out->kind = store_ledger_kind_parse(kind, klen); /* 0 when unknown: a chain problem */
    if (!get_small(doc, "requestHash", out->request_hash, STORE_LEDGER_HASH_SIZE))
        return malformed(err, "requestHash");
    if (!get_small(doc, "prevHash", out->prev_hash, STORE_LEDGER_HASH_SIZE))
        return malformed(err, "prevHash");
    if (!get_small(doc, "hash", out->hash, STORE_LEDGER_HASH_SIZE))
        return malformed(err, "hash");
    bson_iter_t it;
    if (!bson_iter_init_find(&it, doc, "createdAt") || !BSON_ITER_HOLDS_DATE_TIME(&it))
        return malformed(err, "createdAt");
    out->created_at_ms = bson_iter_date_time(&it);
    if (bson_iter_init_find(&it, doc, "actorId") && !BSON_ITER_HOLDS_NULL(&it) &&
        !store_doc_oid_text(doc, "actorId", out->actor_id))
        return malformed(err, "actorId");
    return FACET_OK;
}

int store_ledger_entry_from_bson(const bson_t *doc, store_ledger_entry_t *out, store_error_t *err)
{
    memset(out, 0, sizeof *out);
    int rc = get_scalars(doc, out, err);
    if (rc != FACET_OK) {
        memset(out, 0, sizeof *out);
        return rc;
    }
    static const char *const keys[4] = {"reason", "reference", "idempotencyKey", "requestId"};
    const char *text[4];
    size_t len[4];
    for (int i = 0; i < 4; i++) {
        if (get_text(doc, keys[i], &text[i], &len[i]))
            continue;
        if (i == 3 && !bson_has_field(doc, keys[i])) { /* requestId is optional */
            text[i] = "";
            len[i] = 0;
            continue;
        }
        memset(out, 0, sizeof *out);
        return malformed(err, keys[i]);
    }
    if (store_ledger__set_text_n(out, text, len) != FACET_OK) {
        memset(out, 0, sizeof *out);
        return store_error_set(err, FACET_ENOMEM, "out of memory");
    }
    return FACET_OK;
}
