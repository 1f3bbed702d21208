/* Payment provider events (`payment_events` collection): each event a
 * provider confirms is recorded once, unique on (provider, eventId), with a
 * summary of its payload and the ledger entry it credited.
 *
 * Crediting order for a webhook: credit the wallet first with an
 * idempotency key derived from (provider, eventId), so the ledger's unique
 * key absorbs retries, then record the event here. A retry after a crash
 * between the two credits nothing twice and records the event then;
 * FACET_EEXIST here means the event was handled already.
 *
 * Synchronous and blocking (run on the thread pool); thread-safe. */
#ifndef FACET_STORE_PAYMENTS_H
#define FACET_STORE_PAYMENTS_H

#include <stdint.h>

#include "store/doc.h"

typedef struct _mongoc_client_t mongoc_client_t;

/* Sizes in bytes, NUL excluded. */
#define STORE_PAYMENT_PROVIDER_MAX 32
#define STORE_PAYMENT_EVENT_ID_MAX 255
#define STORE_PAYMENT_SUMMARY_MAX  4096
#define STORE_PAYMENT_ENTRY_MAX    64

typedef struct store_payment_event {
    char id[STORE_ID_SIZE];
    char provider[STORE_PAYMENT_PROVIDER_MAX + 1];
    char event_id[STORE_PAYMENT_EVENT_ID_MAX + 1];
    char summary[STORE_PAYMENT_SUMMARY_MAX + 1];    /* JSON text, secrets removed */
    char ledger_entry[STORE_PAYMENT_ENTRY_MAX + 1]; /* "" when nothing was credited */
    int64_t created_at;
} store_payment_event_t;

/* Records the event and fills out. FACET_EEXIST when (provider, event_id)
 * is recorded already; out then holds the stored record. provider and
 * event_id are required; summary and ledger_entry may be NULL; sizes over
 * the limits are FACET_ELIMIT, invalid UTF-8 FACET_EINVAL. */
int store_payment_record(mongoc_client_t *client, const char *db, const char *provider,
                         const char *event_id, const char *summary, const char *ledger_entry,
                         int64_t now, store_payment_event_t *out, store_error_t *err);

/* By (provider, event_id). FACET_ENOTFOUND when absent. */
int store_payment_find(mongoc_client_t *client, const char *db, const char *provider,
                       const char *event_id, store_payment_event_t *out, store_error_t *err);

#endif
