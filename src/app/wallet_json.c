/* Wallets and ledger entries as JSON text. */
#include "app/wallet_json.h"

#include <string.h>

#include "app/resolve.h"
#include "gql/json.h"

void app_json_str_or_null(facet_buf_t *out, const char *s)
{
    if (!s || !*s)
        facet_buf_append_str(out, "null");
    else
        gql_json_write_string(out, s, strlen(s));
}

void app_wallet_json(facet_buf_t *out, const store_wallet_t *w)
{
    char at[32];
    app_iso_time(w->updated_at_ms, at);
    facet_buf_printf(out, "{\"id\":\"%s\",\"balance\":%lld,\"updatedAt\":\"%s\"}", w->id,
                     (long long)w->balance, at);
}

void app_ledger_entry_json(facet_buf_t *out, const store_ledger_entry_t *e)
{
    char at[32];
    app_iso_time(e->created_at_ms, at);
    facet_buf_printf(out, "{\"id\":\"%s\",\"kind\":\"%s\",\"amount\":%lld,\"balanceAfter\":%lld,",
                     e->id, store_ledger_kind_name(e->kind), (long long)e->amount,
                     (long long)e->balance_after);
    facet_buf_append_str(out, "\"reason\":");
    app_json_str_or_null(out, e->reason);
    facet_buf_append_str(out, ",\"reference\":");
    app_json_str_or_null(out, e->reference);
    facet_buf_append_str(out, ",\"idempotencyKey\":");
    gql_json_write_string(out, e->idempotency_key, strlen(e->idempotency_key));
    facet_buf_printf(out, ",\"sequence\":%lld,\"createdAt\":\"%s\",\"actorId\":", (long long)e->seq,
                     at);
    app_json_str_or_null(out, e->actor_id);
    facet_buf_append_str(out, "}");
}
