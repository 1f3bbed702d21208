/* The wallet's resolvers: reading the balance (through the read-through
 * cache) and its transactions, and posting purchases, spends, grants and
 * refunds to the ledger. Every post writes one audit line and publishes
 * walletUpdated to the owner. */
#include "app/wallet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/product.h"
#include "app/resolve.h"
#include "app/users.h"
#include "app/wallet_json.h"
#include "core/error.h"
#include "core/log.h"
#include "store/users.h"

/* ---- reading a wallet through the cache ---- */

/* The wallet of user id, created empty when missing. */
static int fetch_wallet(mongoc_client_t *client, const char *db, const char *id, facet_buf_t *json)
{
    store_wallet_t w;
    store_error_t err;
    int rc = store_wallet_get_by_user(client, db, id, true, &w, &err);
    if (rc == FACET_OK)
        app_wallet_json(json, &w);
    return rc;
}

void app_wallet_resolve_for(gql_resolve_t *r, const char *user_id)
{
    app_entity_resolve(r, "wallet", user_id, fetch_wallet);
}

/* Query.wallet: the viewer's own. */
static void query_wallet(gql_resolve_t *r)
{
    if (app_require_user(r))
        app_wallet_resolve_for(r, app_ctx(r)->viewer.user_id);
}

/* ---- Wallet.transactions ---- */

typedef struct page_job {
    gql_resolve_t *r;
    char wallet_id[STORE_ID_SIZE];
    int first;
    int64_t before;
    store_wallet_page_t page;
    store_error_t err;
} page_job_t;

static int page_work(mongoc_client_t *client, const char *db, void *ud)
{
    page_job_t *j = ud;
    return store_wallet_transactions(client, db, j->wallet_id, j->first, j->before, &j->page,
                                     &j->err);
}

static void page_done(int status, void *ud)
{
    page_job_t *j = ud;
    if (status != FACET_OK) {
        app_fail_internal(j->r, "transactions read failed: %s", j->err.message);
        free(j);
        return;
    }
    facet_buf_t b;
    facet_buf_init(&b, 0);
    facet_buf_append_str(&b, "{\"edges\":[");
    for (size_t i = 0; i < j->page.count; i++) {
        facet_buf_printf(&b, "%s{\"cursor\":\"%lld\",\"node\":", i ? "," : "",
                         (long long)j->page.items[i].seq);
        app_ledger_entry_json(&b, &j->page.items[i]);
        facet_buf_append_str(&b, "}");
    }
    long long first = j->page.count ? (long long)j->page.items[0].seq : 0;
    long long last = j->page.count ? (long long)j->page.items[j->page.count - 1].seq : 0;
    facet_buf_printf(&b, "],\"pageInfo\":{\"hasNextPage\":%s,\"hasPreviousPage\":%s,",
                     j->page.has_next ? "true" : "false", j->before ? "true" : "false");
    if (j->page.count)
        facet_buf_printf(&b, "\"startCursor\":\"%lld\",\"endCursor\":\"%lld\"}}", first, last);
    else
        facet_buf_append_str(&b, "\"startCursor\":null,\"endCursor\":null}}");
    app_resolve_json_text(j->r, b.base, b.len);
    facet_buf_free(&b);
    store_wallet_page_free(&j->page);
    free(j);
}

static void wallet_transactions(gql_resolve_t *r)
{
    const char *wallet_id = app_parent_str(r, "id");
    const gql_value_t *first = gql_resolve_arg(r, "first");
    const char *after = app_arg_str(r, gql_resolve_args(r), "after");
    int64_t n = first && first->kind == GQL_V_INT ? first->u.i : 20;
    if (n < 0 || n > STORE_WALLET_PAGE_MAX)
        return gql_resolve_fail(r, APP_CODE_BAD_USER_INPUT, "first must be 0 to %d.",
                                STORE_WALLET_PAGE_MAX);
    int64_t before = 0;
    if (after) {
        char *end;
        before = strtoll(after, &end, 10);
        if (*end || before <= 0)
            return gql_resolve_fail(r, APP_CODE_BAD_USER_INPUT,
                                    "after is not a cursor of "
                                    "this connection.");
    }
    if (n == 0 || !wallet_id) {
        static const char empty[] = "{\"edges\":[],\"pageInfo\":{\"hasNextPage\":false,"
                                    "\"hasPreviousPage\":false,\"startCursor\":null,"
                                    "\"endCursor\":null}}";
        return app_resolve_json_text(r, empty, sizeof empty - 1);
    }
    page_job_t *j = calloc(1, sizeof *j);
    if (!j)
        return app_fail_internal(r, "out of memory");
    j->r = r;
    snprintf(j->wallet_id, sizeof j->wallet_id, "%s", wallet_id);
    j->first = (int)n;
    j->before = before;
    if (!app_db(r, page_work, page_done, j))
        free(j);
}

/* Batched: a page of transactions costs one query for all their actors. */
static void transaction_actor(gql_resolve_t *r)
{
    const char *id = app_parent_str(r, "actorId");
    if (!id)
        return gql_resolve_json(r, NULL);
    app_user_load_batched(r, id);
}

/* ---- gemPackages ---- */

static void gem_packages(gql_resolve_t *r)
{
    const app_product_t *p = app_ctx(r)->app->product;
    facet_buf_t b;
    facet_buf_init(&b, 0);
    facet_buf_append_str(&b, "[");
    for (size_t i = 0; i < p->npackages; i++)
        facet_buf_printf(&b,
                         "%s{\"sku\":\"%s\",\"gems\":%lld,\"priceCents\":%lld,\"currency\":\"%s\"}",
                         i ? "," : "", p->packages[i].sku, (long long)p->packages[i].gems,
                         (long long)p->packages[i].price_cents, p->packages[i].currency);
    facet_buf_append_str(&b, "]");
    app_resolve_json_text(r, b.base, b.len);
    facet_buf_free(&b);
}

int app_wallet_bind(gql_schema_t *schema, char *err, size_t errlen)
{
    static const app_binding_t bindings[] = {
        {"Query", "wallet", query_wallet},
        {"Query", "gemPackages", gem_packages},
        {"Wallet", "transactions", wallet_transactions},
        {"WalletTransaction", "actor", transaction_actor},
    };
    int rc = app_bind_all(schema, bindings, sizeof bindings / sizeof bindings[0], err, errlen);
    return rc ? rc : app_wallet_post_bind(schema, err, errlen);
}
