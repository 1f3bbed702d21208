/* The viewer and the client's identity from HTTP headers or the WebSocket
 * connection_init payload. */
#include "app/viewer.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app/jwks.h"
#include "app/product.h"
#include "auth/jwks.h"
#include "auth/jwt.h"
#include "core/error.h"
#include "core/str.h"
#include "store/doc.h"

/* The token of "Bearer <token>" (scheme case-insensitive), or a NULL base. */
static facet_str_t bearer(facet_str_t v)
{
    v = facet_str_trim_space(v);
    if (v.len > 7 && strncasecmp(v.base, "Bearer ", 7) == 0)
        return facet_str_trim_space(facet_str(v.base + 7, v.len - 7));
    return FACET_STR_NULL;
}

static void client_address(app_exec_ctx_t *ctx, const http_request_t *req)
{
    const http_header_t *xff = http_find_header(&req->head, FACET_STR_LIT("X-Forwarded-For"));
    if (xff && xff->value.len) {
        facet_str_t v = xff->value;
        const char *comma = memrchr(v.base, ',', v.len);
        facet_str_t last = comma ? facet_str(comma + 1, v.len - (size_t)(comma + 1 - v.base)) : v;
        last = facet_str_trim_space(last);
        if (last.len && last.len < sizeof ctx->address) {
            snprintf(ctx->address, sizeof ctx->address, "%.*s", (int)last.len, last.base);
            return;
        }
    }
    snprintf(ctx->address, sizeof ctx->address, "%s", req->remote ? req->remote : "");
}

void app_viewer_from_http(app_exec_ctx_t *ctx, const http_request_t *req)
{
    client_address(ctx, req);
    const http_header_t *ua = http_find_header(&req->head, FACET_STR_LIT("User-Agent"));
    if (ua)
        snprintf(ctx->user_agent, sizeof ctx->user_agent, "%.*s",
                 (int)(ua->value.len < 255 ? ua->value.len : 255), ua->value.base);
    memset(&ctx->viewer, 0, sizeof ctx->viewer);
    const http_header_t *auth = http_find_header(&req->head, FACET_STR_LIT("Authorization"));
    if (!auth || auth->value.len == 0)
        return;
    facet_str_t token = bearer(auth->value);
    if (!token.base) {
        ctx->viewer.auth_error = "The Authorization header must be \"Bearer <access token>\".";
        return;
    }
    app_viewer_from_token(ctx->app, ctx->aw ? ctx->aw->loop : NULL, token, &ctx->viewer);
}

static facet_str_t payload_token(const gql_value_t *payload, bool *malformed)
{
    static const char *const bearer_keys[] = {"authorization", "Authorization"};
    static const char *const bare_keys[] = {"token", "authToken", "accessToken"};
    for (size_t i = 0; i < 2; i++) {
        const gql_value_t *v = gql_value_get(payload, facet_str_c(bearer_keys[i]));
        if (v && v->kind == GQL_V_STRING) {
            facet_str_t t = bearer(v->u.s);
            *malformed = !t.base;
            return t;
        }
    }
    for (size_t i = 0; i < 3; i++) {
        const gql_value_t *v = gql_value_get(payload, facet_str_c(bare_keys[i]));
        if (v && v->kind == GQL_V_STRING)
            return facet_str_trim_space(v->u.s);
    }
    return FACET_STR_NULL;
}

int app_viewer_from_payload(app_t *app, uv_loop_t *loop, const gql_value_t *payload,
                            app_viewer_t *viewer)
{
    memset(viewer, 0, sizeof *viewer);
    bool malformed = false;
    facet_str_t token = payload ? payload_token(payload, &malformed) : FACET_STR_NULL;
    if (malformed) {
        viewer->auth_error = "authorization must be \"Bearer <access token>\".";
        return FACET_EPERM;
    }
    if (!token.base)
        return FACET_OK;
    return app_viewer_from_token(app, loop, token, viewer);
}

static const char *reason_text(auth_jwt_reason_t reason)
{
    switch (reason) {
    case AUTH_JWT_EXPIRED:
        return "The access token has expired; refresh the session.";
    case AUTH_JWT_NOT_YET_VALID:
        return "The access token is not valid yet.";
    case AUTH_JWT_UNKNOWN_KEY:
        return "The access token's signing key is unknown.";
    default:
        return "The access token is invalid.";
    }
}

int app_viewer_from_token(app_t *app, uv_loop_t *loop, facet_str_t token, app_viewer_t *viewer)
{
    const app_product_t *p = app->product;
    memset(viewer, 0, sizeof *viewer);
    if (!p) {
        viewer->auth_error = "This server does not accept access tokens.";
        return FACET_EPERM;
    }
    const facet_config_t *cfg = app->cfg;
    auth_jwt_verifier_t v = {
        .hs256_secret = facet_str((const char *)p->jwt_key, p->jwt_key_len),
        .hs256 = {facet_str_c(cfg->jwt_issuer),
                  cfg->jwt_audience ? facet_str_c(cfg->jwt_audience) : FACET_STR_NULL},
    };
    if (p->jwks) {
        v.rs256_key = auth_jwks_cache_find;
        v.rs256_ud = p->jwks;
        v.rs256 = (auth_jwt_expect_t){
            cfg->jwks_issuer ? facet_str_c(cfg->jwks_issuer) : FACET_STR_NULL,
            cfg->jwks_audience ? facet_str_c(cfg->jwks_audience) : FACET_STR_NULL};
    }
    facet_arena_t a;
    facet_arena_init(&a, 64 * 1024);
    auth_jwt_claims_t c;
    auth_jwt_error_t e;
    int rc = auth_jwt_verify(&a, &v, token, (int64_t)time(NULL), &c, &e);
    if (rc == FACET_OK && (c.sub.len != STORE_ID_SIZE - 1 ||
                           !store_id_valid(facet_arena_strdup(&a, c.sub.base, c.sub.len).base))) {
        rc = FACET_EPERM;
        e.reason = AUTH_JWT_CLAIMS;
    }
    if (rc != FACET_OK && e.reason == AUTH_JWT_UNKNOWN_KEY && loop)
        app_jwks_refresh(app, loop, true); /* the client's retry may find it */
    if (rc != FACET_OK) {
        viewer->auth_error = reason_text(e.reason);
        facet_arena_free(&a);
        return FACET_EPERM;
    }
    memcpy(viewer->user_id, c.sub.base, c.sub.len);
    viewer->user_id[c.sub.len] = '\0';
    /* Only Facet's own tokens may make an admin. */
    viewer->role =
        c.alg == AUTH_JWT_HS256 && c.role == AUTH_ROLE_ADMIN ? APP_ROLE_ADMIN : APP_ROLE_USER;
    if (c.sid.len < sizeof viewer->session_id)
        snprintf(viewer->session_id, sizeof viewer->session_id, "%.*s", (int)c.sid.len, c.sid.base);
    facet_arena_free(&a);
    return FACET_OK;
}
