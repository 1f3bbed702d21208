/* Posting to a wallet from the loop (GraphQL mutations, the payment
 * webhook): the ledger write on the thread pool, then, on the loop, cache
 * invalidation, the audit line and walletUpdated for the owner. */
#ifndef FACET_APP_WALLET_POST_H
#define FACET_APP_WALLET_POST_H

#include <stdbool.h>
#include <stdint.h>

#include "app/app.h"
#include "store/wallet.h"

/* Topic of walletUpdated: published on "walletUpdated:<userId>". */
#define APP_WALLET_TOPIC "walletUpdated"

typedef struct app_wallet_post app_wallet_post_t;

/* A request; strings are copied. */
typedef struct app_wallet_post_req {
    const char *user_id; /* the wallet's owner */
    const char *actor_id;
    store_ledger_kind_t kind;
    int64_t amount;
    const char *reason;
    const char *reference;
    const char *idempotency_key;
    const char *request_extra; /* e.g. the SKU, part of the request hash */
    const char *request_id;
    bool check_user; /* refuse (FACET_ENOTFOUND) when the user does not exist */
} app_wallet_post_req_t;

/* status as store_wallet_post returns it (and FACET_ENOTFOUND with
 * check_user). p and what it points to are valid during the call only. */
typedef void (*app_wallet_post_cb)(int status, const app_wallet_post_t *p, void *ud);

/* Queues the post; cb runs once on aw's loop unless an error is returned. */
int app_wallet_post(app_worker_t *aw, const app_wallet_post_req_t *req, app_wallet_post_cb cb,
                    void *ud);

const store_ledger_entry_t *app_wallet_post_entry(const app_wallet_post_t *p);
const store_wallet_t *app_wallet_post_wallet(const app_wallet_post_t *p);
bool app_wallet_post_replayed(const app_wallet_post_t *p);
/* The store's message for a failed post (for logs). */
const char *app_wallet_post_error(const app_wallet_post_t *p);

#endif
