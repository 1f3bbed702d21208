/* Posting to a wallet's ledger, from the GraphQL mutations and from the
 * payment webhook: the post runs on the thread pool; back on the loop the
 * cached wallet is invalidated, one audit line is written and walletUpdated
 * is published to the owner. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/product.h"
#include "app/resolve.h"
#include "app/wallet.h"
#include "app/wallet_json.h"
#include "app/wallet_post.h"
#include "core/error.h"
#include "core/log.h"
#include "store/users.h"

struct app_wallet_post {
    app_worker_t *aw;
    store_wallet_op_t op;
    char *text[6]; /* owned copies of the op's strings */
    char user_id[STORE_ID_SIZE];
    char actor_id[STORE_ID_SIZE];
    bool check_user;
    app_wallet_post_cb cb;
    void *ud;
    /* results */
    store_ledger_entry_t entry;
    store_wallet_t wallet;
    bool replayed;
    store_error_t err;
};

static int post_work(mongoc_client_t *client, const char *db, void *ud)
{
    app_wallet_post_t *p = ud;
    if (p->check_user) {
        store_user_t u;
        int rc = store_user_find(client, db, p->user_id, &u, &p->err);
        if (rc != FACET_OK)
            return rc;
    }
    return store_wallet_post_read(client, db, &p->op, &p->entry, &p->replayed, &p->wallet, &p->err);
}

static void audit_line(const app_wallet_post_t *p)
{
    facet_log_line_t line;
    if (facet_log_begin(&line, FACET_LOG_INFO, "wallet")) {
        facet_log_cstr(&line, "audit", "wallet");
        facet_log_cstr(&line, "user_id", p->user_id);
        facet_log_cstr(&line, "action", store_ledger_kind_name(p->entry.kind));
        facet_log_int(&line, "amount", p->entry.amount);
        facet_log_int(&line, "balance_after", p->entry.balance_after);
        facet_log_int(&line, "sequence", p->entry.seq);
        facet_log_cstr(&line, "transaction_id", p->entry.id);
        facet_log_cstr(&line, "idempotency_key", p->entry.idempotency_key);
        facet_log_cstr(&line, "actor_id", p->actor_id);
        facet_log_cstr(&line, "request_id", p->op.request_id ? p->op.request_id : "");
        facet_log_cstr(&line, "replayed", p->replayed ? "true" : "false");
    }
    facet_log_end(&line);
}

static void on_published(int status, const redisReply *reply, void *ud)
{
    (void)reply, (void)ud;
    if (status != FACET_OK)
        facet_log_kv(FACET_LOG_WARN, "walletUpdated not published", "error",
                     facet_strerror(status));
}

/* walletUpdated goes to the owner's own channel. */
static void publish(app_wallet_post_t *p)
{
    char topic[96];
    snprintf(topic, sizeof topic, "%s:%s", APP_WALLET_TOPIC, p->user_id);
    facet_buf_t b;
    facet_buf_init(&b, 0);
    facet_buf_append_str(&b, "{\"walletUpdated\":");
    app_wallet_json(&b, &p->wallet);
    facet_buf_append_str(&b, "}");
    app_publish(p->aw, topic, b.base, b.len, on_published, NULL);
    facet_buf_free(&b);
}

static void post_free(app_wallet_post_t *p)
{
    store_ledger_entry_free(&p->entry);
    for (size_t i = 0; i < sizeof p->text / sizeof p->text[0]; i++)
        free(p->text[i]);
    free(p);
}

static void post_done(int status, void *ud)
{
    app_wallet_post_t *p = ud;
    if (status == FACET_OK) {
        cache_entity_invalidate(p->aw->entities, "wallet", p->user_id);
        audit_line(p);
        if (!p->replayed)
            publish(p);
    }
    p->cb(status, p, p->ud);
    post_free(p);
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

int app_wallet_post(app_worker_t *aw, const app_wallet_post_req_t *req, app_wallet_post_cb cb,
                    void *ud)
{
    app_wallet_post_t *p = calloc(1, sizeof *p);
    if (!p)
        return FACET_ENOMEM;
    p->aw = aw;
    p->cb = cb;
    p->ud = ud;
    p->check_user = req->check_user;
    snprintf(p->user_id, sizeof p->user_id, "%s", req->user_id);
    snprintf(p->actor_id, sizeof p->actor_id, "%s", req->actor_id ? req->actor_id : "");
    const char *src[6] = {req->reason,        req->reference,  req->idempotency_key,
                          req->request_extra, req->request_id, NULL};
    for (size_t i = 0; i < 5; i++) {
        p->text[i] = dup_or_null(src[i]);
        if (src[i] && !p->text[i]) {
            post_free(p);
            return FACET_ENOMEM;
        }
    }
    p->op = (store_wallet_op_t){
        .user_id = p->user_id,
        .kind = req->kind,
        .amount = req->amount,
        .reason = p->text[0],
        .reference = p->text[1],
        .idempotency_key = p->text[2],
        .request_extra = p->text[3],
        .actor_id = p->actor_id[0] ? p->actor_id : NULL,
        .request_id = p->text[4],
    };
    int rc = store_mongo_run(aw->app->mongo, aw->loop, post_work, post_done, p);
    if (rc != FACET_OK)
        post_free(p);
    return rc;
}

const store_ledger_entry_t *app_wallet_post_entry(const app_wallet_post_t *p)
{
    return &p->entry;
}

const store_wallet_t *app_wallet_post_wallet(const app_wallet_post_t *p)
{
    return &p->wallet;
}

bool app_wallet_post_replayed(const app_wallet_post_t *p)
{
    return p->replayed;
}

const char *app_wallet_post_error(const app_wallet_post_t *p)
{
    return p->err.message;
}

/* ---- the mutations ---- */

static void on_posted(int status, const app_wallet_post_t *p, void *ud)
{
    gql_resolve_t *r = ud;
    switch (status) {
    case FACET_OK:
        break;
    case FACET_ELIMIT:
        return gql_resolve_fail(r, "INSUFFICIENT_FUNDS", "The wallet holds fewer gems than that.");
    case FACET_EEXIST:
        return gql_resolve_fail(r, "IDEMPOTENCY_KEY_REUSED",
                                "This idempotency key was used for a different request.");
    case FACET_EINVAL:
        return gql_resolve_fail(r, APP_CODE_BAD_USER_INPUT, "%s", p->err.message);
    case FACET_ENOTFOUND:
        return gql_resolve_fail(r, APP_CODE_BAD_USER_INPUT, "There is no such user.");
    case FACET_ECONFLICT:
        return gql_resolve_fail(r, "CONFLICT",
                                "The wallet is busy; retry with the same idempotency key.");
    default:
        return app_fail_internal(r, "wallet post failed: %s (%s)", facet_strerror(status),
                                 p->err.message);
    }
    facet_buf_t b;
    facet_buf_init(&b, 0);
    facet_buf_append_str(&b, "{\"transaction\":");
    app_ledger_entry_json(&b, &p->entry);
    facet_buf_append_str(&b, ",\"wallet\":");
    app_wallet_json(&b, &p->wallet);
    facet_buf_printf(&b, ",\"replayed\":%s}", p->replayed ? "true" : "false");
    app_resolve_json_text(r, b.base, b.len);
    facet_buf_free(&b);
}

/* The input's amount, which must be a positive Int. */
static bool input_amount(gql_resolve_t *r, const gql_value_t *in, int64_t *out)
{
    const gql_value_t *a = gql_value_get(in, FACET_STR_LIT("amount"));
    if (!a || a->kind != GQL_V_INT || a->u.i <= 0) {
        gql_resolve_fail(r, APP_CODE_BAD_USER_INPUT, "amount must be a positive number of gems.");
        return false;
    }
    *out = a->u.i;
    return true;
}

static void submit(gql_resolve_t *r, app_wallet_post_req_t *req)
{
    app_exec_ctx_t *ctx = app_ctx(r);
    req->request_id = ctx->request_id;
    int rc = app_wallet_post(ctx->aw, req, on_posted, r);
    if (rc != FACET_OK)
        app_fail_internal(r, "cannot queue a wallet post: %s", facet_strerror(rc));
}

static void spend_gems(gql_resolve_t *r)
{
    if (!app_require_user(r))
        return;
    app_exec_ctx_t *ctx = app_ctx(r);
    const gql_value_t *in = gql_resolve_arg(r, "input");
    app_wallet_post_req_t req = {.user_id = ctx->viewer.user_id,
                                 .actor_id = ctx->viewer.user_id,
                                 .kind = STORE_LEDGER_SPEND,
                                 .reason = app_arg_str(r, in, "reason"),
                                 .reference = app_arg_str(r, in, "reference"),
                                 .idempotency_key = app_arg_str(r, in, "idempotencyKey")};
    if (!input_amount(r, in, &req.amount))
        return;
    if (!req.idempotency_key || !*req.idempotency_key)
        return gql_resolve_fail(r, APP_CODE_BAD_USER_INPUT, "idempotencyKey must not be empty.");
    submit(r, &req);
}

static void purchase_gems(gql_resolve_t *r)
{
    if (!app_require_user(r))
        return;
    app_exec_ctx_t *ctx = app_ctx(r);
    const app_product_t *prod = ctx->app->product;
    if (!prod->payments_dev)
        return gql_resolve_fail(r, APP_CODE_FORBIDDEN,
                                "Purchases are credited by the payment provider's webhook; "
                                "purchaseGems only credits with FACET_PAYMENTS_PROVIDER=dev.");
    const gql_value_t *in = gql_resolve_arg(r, "input");
    const char *sku = app_arg_str(r, in, "sku");
    const app_gem_package_t *pkg = sku ? app_gem_package_find(prod, sku) : NULL;
    if (!pkg)
        return gql_resolve_fail(r, APP_CODE_BAD_USER_INPUT, "Unknown gem package \"%s\".",
                                sku ? sku : "");
    char reason[96];
    snprintf(reason, sizeof reason, "purchase %s", pkg->sku);
    app_wallet_post_req_t req = {.user_id = ctx->viewer.user_id,
                                 .actor_id = ctx->viewer.user_id,
                                 .kind = STORE_LEDGER_PURCHASE,
                                 .amount = pkg->gems,
                                 .reason = reason,
                                 .reference = app_arg_str(r, in, "receipt"),
                                 .idempotency_key = app_arg_str(r, in, "idempotencyKey"),
                                 .request_extra = pkg->sku};
    if (!req.idempotency_key || !*req.idempotency_key)
        return gql_resolve_fail(r, APP_CODE_BAD_USER_INPUT, "idempotencyKey must not be empty.");
    submit(r, &req);
}

static void adjust(gql_resolve_t *r, store_ledger_kind_t kind)
{
    if (!app_require_admin(r))
        return;
    app_exec_ctx_t *ctx = app_ctx(r);
    const gql_value_t *in = gql_resolve_arg(r, "input");
    app_wallet_post_req_t req = {.user_id = app_arg_str(r, in, "userId"),
                                 .actor_id = ctx->viewer.user_id,
                                 .kind = kind,
                                 .reason = app_arg_str(r, in, "reason"),
                                 .reference = app_arg_str(r, in, "reference"),
                                 .idempotency_key = app_arg_str(r, in, "idempotencyKey"),
                                 .check_user = true};
    if (!input_amount(r, in, &req.amount))
        return;
    if (!req.user_id || !store_id_valid(req.user_id))
        return gql_resolve_fail(r, APP_CODE_BAD_USER_INPUT, "userId is not a user id.");
    if (!req.reason || !*req.reason)
        return gql_resolve_fail(r, APP_CODE_BAD_USER_INPUT, "A reason is required.");
    if (!req.idempotency_key || !*req.idempotency_key)
        return gql_resolve_fail(r, APP_CODE_BAD_USER_INPUT, "idempotencyKey must not be empty.");
    submit(r, &req);
}

static void grant_gems(gql_resolve_t *r)
{
    adjust(r, STORE_LEDGER_GRANT);
}

static void refund_gems(gql_resolve_t *r)
{
    adjust(r, STORE_LEDGER_REFUND);
}

int app_wallet_post_bind(gql_schema_t *schema, char *err, size_t errlen)
{
    static const app_binding_t bindings[] = {
        {"Mutation", "spendGems", spend_gems},
        {"Mutation", "purchaseGems", purchase_gems},
        {"Mutation", "grantGems", grant_gems},
        {"Mutation", "refundGems", refund_gems},
    };
    int rc = app_bind_all(schema, bindings, sizeof bindings / sizeof bindings[0], err, errlen);
    if (rc != FACET_OK)
        return rc;
    gql_type_t *sub = gql_schema_type(schema, FACET_STR_LIT("Subscription"));
    gql_field_t *f = sub ? gql_type_field(sub, FACET_STR_LIT("walletUpdated")) : NULL;
    if (!f) {
        snprintf(err, errlen, "FACET_SCHEMA: the product schema lacks Subscription.walletUpdated");
        return FACET_EINVAL;
    }
    app_bind_subscription(f, APP_TOPIC_PER_USER APP_WALLET_TOPIC);
    return FACET_OK;
}
