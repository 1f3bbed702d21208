/* The wallet's part of the product schema: Query.wallet, gemPackages,
 * Wallet.transactions, User.wallet's loading, the four posting mutations
 * and walletUpdated. */
#ifndef FACET_APP_WALLET_H
#define FACET_APP_WALLET_H

#include <stddef.h>

#include "gql/exec.h"
#include "gql/schema.h"

/* Completes r with the wallet of user_id (read through the cache; created
 * empty when the user has none yet). Authorization is the caller's. */
void app_wallet_resolve_for(gql_resolve_t *r, const char *user_id);

int app_wallet_bind(gql_schema_t *schema, char *err, size_t errlen);
/* wallet_post.c: purchaseGems, spendGems, grantGems, refundGems. */
int app_wallet_post_bind(gql_schema_t *schema, char *err, size_t errlen);

#endif
