/* POST /webhooks/payments: a payment provider confirms a purchase. The body
 * is signed (X-Facet-Signature: t=<unix seconds>,v1=<HMAC-SHA256 of
 * "<t>.<body>">) with FACET_PAYMENT_WEBHOOK_SECRET; a stale or wrong
 * signature is refused. The body:
 *
 *   {"id": "<provider event id>", "type": "purchase.completed",
 *    "userId": "<ObjectId>", "sku": "<package>", "receipt": "<optional>"}
 *
 * credits the package's gems once per event id, whatever the retries: the
 * ledger entry's idempotency key is "payment:<event id>". Other event types
 * are acknowledged and ignored, as providers expect. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/app.h"
#include "app/product.h"
#include "app/wallet_post.h"
#include "auth/signature.h"
#include "core/error.h"
#include "core/log.h"
#include "gql/json.h"
#include "store/doc.h"

#define EVENT_ID_MAX 200

static void respond_json(http_request_t *req, int status, const char *json)
{
    http_respond(req, status, "application/json", json, strlen(json));
}

static void refuse(http_request_t *req, int status, const char *why)
{
    facet_log_line_t line;
    if (facet_log_begin(&line, FACET_LOG_WARN, "payment webhook refused")) {
        facet_log_cstr(&line, "request_id", req->id);
        facet_log_cstr(&line, "error", why);
    }
    facet_log_end(&line);
    facet_buf_t b;
    facet_buf_init(&b, 0);
    facet_buf_append_str(&b, "{\"error\":");
    gql_json_write_string(&b, why, strlen(why));
    facet_buf_append_str(&b, "}");
    http_respond(req, status, "application/json", b.base, b.len);
    facet_buf_free(&b);
}

static void on_credited(int status, const app_wallet_post_t *p, void *ud)
{
    http_request_t *req = ud;
    if (status == FACET_ENOTFOUND)
        return refuse(req, 422, "no such user");
    if (status == FACET_EEXIST)
        return refuse(req, 409, "this event id was credited for a different purchase");
    if (status != FACET_OK) {
        facet_log_line_t line;
        if (facet_log_begin(&line, FACET_LOG_ERROR, "payment webhook failed")) {
            facet_log_cstr(&line, "request_id", req->id);
            facet_log_cstr(&line, "error", app_wallet_post_error(p));
        }
        facet_log_end(&line);
        /* 5xx: the provider retries with the same event id. */
        return respond_json(req, 503, "{\"error\":\"temporarily unavailable; retry\"}");
    }
    char body[256];
    snprintf(body, sizeof body, "{\"received\":true,\"transactionId\":\"%s\",\"replayed\":%s}",
             app_wallet_post_entry(p)->id, app_wallet_post_replayed(p) ? "true" : "false");
    respond_json(req, 200, body);
}

static const char *member(facet_arena_t *a, const gql_value_t *obj, const char *key)
{
    const gql_value_t *v = gql_value_get(obj, facet_str_c(key));
    if (!v || v->kind != GQL_V_STRING)
        return NULL;
    return facet_arena_strdup(a, v->u.s.base, v->u.s.len).base;
}

static bool authentic(http_request_t *req, const facet_config_t *cfg)
{
    const http_header_t *h = http_find_header(&req->head, FACET_STR_LIT(AUTH_SIGNATURE_HEADER));
    facet_str_t secret = facet_str_c(cfg->payment_webhook_secret);
    auth_signature_opts_t o = {&secret, 1, (int64_t)(cfg->payment_webhook_tolerance_ms / 1000)};
    char why[160];
    int rc = auth_signature_verify(&o, h ? h->value : FACET_STR_NULL,
                                   facet_str(req->body.base, req->body.len), (int64_t)time(NULL),
                                   NULL, why, sizeof why);
    if (rc == FACET_OK)
        return true;
    refuse(req, 401, rc == FACET_ETIMEDOUT ? "stale signature" : why);
    return false;
}

static void payments(http_request_t *req, void *ud)
{
    app_t *app = ud;
    const facet_config_t *cfg = app->cfg;
    if (!cfg->payment_webhook_secret || !app->product)
        return refuse(req, 503, "payment webhooks are not configured");
    if (!authentic(req, cfg))
        return;
    facet_arena_t a;
    facet_arena_init(&a, 1024 * 1024);
    gql_value_t *ev = NULL;
    char why[128];
    if (gql_json_parse(&a, req->body.base, req->body.len, 16, &ev, why, sizeof why) != FACET_OK ||
        ev->kind != GQL_V_OBJECT) {
        facet_arena_free(&a);
        return refuse(req, 400, "the body is not a JSON object");
    }
    const char *id = member(&a, ev, "id"), *type = member(&a, ev, "type");
    const char *user = member(&a, ev, "userId"), *sku = member(&a, ev, "sku");
    const char *receipt = member(&a, ev, "receipt");
    const app_gem_package_t *pkg = sku ? app_gem_package_find(app->product, sku) : NULL;
    const char *bad = !id || !*id || strlen(id) > EVENT_ID_MAX ? "id is missing or too long"
                      : !type                                  ? "type is missing"
                                                               : NULL;
    if (!bad && strcmp(type, "purchase.completed") != 0) {
        facet_arena_free(&a);
        return respond_json(req, 200, "{\"received\":true,\"ignored\":true}");
    }
    if (!bad && (!user || !store_id_valid(user)))
        bad = "userId is not a user id";
    if (!bad && !pkg)
        bad = "sku is not a gem package";
    if (bad) {
        facet_arena_free(&a);
        return refuse(req, 400, bad);
    }
    char key[EVENT_ID_MAX + 16], reason[96];
    snprintf(key, sizeof key, "payment:%s", id);
    snprintf(reason, sizeof reason, "purchase %s", pkg->sku);
    app_wallet_post_req_t pr = {.user_id = user,
                                .kind = STORE_LEDGER_PURCHASE,
                                .amount = pkg->gems,
                                .reason = reason,
                                .reference = receipt ? receipt : id,
                                .idempotency_key = key,
                                .request_extra = pkg->sku,
                                .request_id = req->id,
                                .check_user = true};
    int rc = app_wallet_post(http_worker_data(req->worker), &pr, on_credited, req);
    facet_arena_free(&a);
    if (rc != FACET_OK)
        respond_json(req, 503, "{\"error\":\"temporarily unavailable; retry\"}");
}

int app_webhook_routes(app_t *app)
{
    return http_router_add(&app->router, "POST", "/webhooks/payments", payments, app);
}
