/* Payment events recorded once per (provider, eventId). */
#include "store/payments.h"

#include <mongoc/mongoc.h>
#include <string.h>

#include "core/error.h"

#define COLLECTION "payment_events"

static void parse(const bson_t *doc, store_payment_event_t *out)
{
    memset(out, 0, sizeof *out);
    store_doc_oid_text(doc, "_id", out->id);
    store_doc_copy_str(doc, "provider", out->provider, sizeof out->provider);
    store_doc_copy_str(doc, "eventId", out->event_id, sizeof out->event_id);
    store_doc_copy_str(doc, "summary", out->summary, sizeof out->summary);
    store_doc_copy_str(doc, "ledgerEntry", out->ledger_entry, sizeof out->ledger_entry);
    out->created_at = store_doc_date(doc, "createdAt", 0);
}

static void take_one(const bson_t *doc, void *ud)
{
    parse(doc, ud);
}

static int find(mongoc_collection_t *coll, const char *provider, const char *event_id,
                store_payment_event_t *out, store_error_t *err)
{
    bson_t *filter = BCON_NEW("provider", BCON_UTF8(provider), "eventId", BCON_UTF8(event_id));
    int rc = store_find_one_take(coll, filter, NULL, take_one, out, "no such payment event", err);
    bson_destroy(filter);
    return rc;
}

int store_payment_record(mongoc_client_t *client, const char *db, const char *provider,
                         const char *event_id, const char *summary, const char *ledger_entry,
                         int64_t now, store_payment_event_t *out, store_error_t *err)
{
    store_error_clear(err);
    int rc;
    if ((rc = store_check_text("provider", provider, STORE_PAYMENT_PROVIDER_MAX, true, err)) ||
        (rc = store_check_text("eventId", event_id, STORE_PAYMENT_EVENT_ID_MAX, true, err)) ||
        (rc = store_check_text("summary", summary, STORE_PAYMENT_SUMMARY_MAX, false, err)) ||
        (rc = store_check_text("ledgerEntry", ledger_entry, STORE_PAYMENT_ENTRY_MAX, false, err)))
        return rc;
    bson_oid_t oid;
    bson_oid_init(&oid, NULL);
    bson_t doc = BSON_INITIALIZER;
    BSON_APPEND_OID(&doc, "_id", &oid);
    BSON_APPEND_UTF8(&doc, "provider", provider);
    BSON_APPEND_UTF8(&doc, "eventId", event_id);
    BSON_APPEND_UTF8(&doc, "summary", summary ? summary : "");
    if (ledger_entry && *ledger_entry)
        BSON_APPEND_UTF8(&doc, "ledgerEntry", ledger_entry);
    else
        BSON_APPEND_NULL(&doc, "ledgerEntry");
    BSON_APPEND_DATE_TIME(&doc, "createdAt", now);
    mongoc_collection_t *coll = mongoc_client_get_collection(client, db, COLLECTION);
    bson_t reply;
    bson_error_t error;
    if (mongoc_collection_insert_one(coll, &doc, NULL, &reply, &error)) {
        parse(&doc, out);
    } else if ((rc = store_error_from(&error, &reply, err)) == FACET_EEXIST) {
        /* Handled before: hand back what was recorded then. */
        store_error_t lookup;
        if (find(coll, provider, event_id, out, &lookup) != FACET_OK)
            memset(out, 0, sizeof *out);
        store_error_set(err, FACET_EEXIST, "payment event already recorded");
    }
    bson_destroy(&reply);
    mongoc_collection_destroy(coll);
    bson_destroy(&doc);
    return rc;
}

int store_payment_find(mongoc_client_t *client, const char *db, const char *provider,
                       const char *event_id, store_payment_event_t *out, store_error_t *err)
{
    store_error_clear(err);
    int rc;
    if ((rc = store_check_text("provider", provider, STORE_PAYMENT_PROVIDER_MAX, true, err)) ||
        (rc = store_check_text("eventId", event_id, STORE_PAYMENT_EVENT_ID_MAX, true, err)))
        return rc;
    mongoc_collection_t *coll = mongoc_client_get_collection(client, db, COLLECTION);
    rc = find(coll, provider, event_id, out, err);
    mongoc_collection_destroy(coll);
    return rc;
}
