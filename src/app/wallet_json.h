/* JSON text of wallets and ledger entries as the schema shapes them
 * (Wallet, WalletTransaction), for resolvers, the cache and events. */
#ifndef FACET_APP_WALLET_JSON_H
#define FACET_APP_WALLET_JSON_H

#include "core/buf.h"
#include "store/wallet.h"

/* {"id","balance","updatedAt"} */
void app_wallet_json(facet_buf_t *out, const store_wallet_t *w);
/* {"id","kind","amount","balanceAfter","reason","reference",
 *  "idempotencyKey","sequence","createdAt"} */
void app_ledger_entry_json(facet_buf_t *out, const store_ledger_entry_t *e);
/* A JSON string, or null for NULL or "". */
void app_json_str_or_null(facet_buf_t *out, const char *s);

#endif
