/* Who is calling: the viewer (from an access token) and the client's
 * address and user agent, filled into the execution context by the HTTP
 * and WebSocket transports. */
#ifndef FACET_APP_VIEWER_H
#define FACET_APP_VIEWER_H

#include "app/app.h"
#include "gql/value.h"
#include "http/server.h"

/* Fills ctx->viewer from `Authorization: Bearer <token>` and ctx->address
 * and ctx->user_agent from the request (the right-most X-Forwarded-For
 * entry, added by the load balancer, else the peer address). A missing
 * token leaves the viewer anonymous; a bad one too, with auth_error set. */
void app_viewer_from_http(app_exec_ctx_t *ctx, const http_request_t *req);

/* Fills viewer from a connection_init payload: its member authorization
 * (or Authorization) "Bearer <token>", or token / authToken / accessToken
 * "<token>". Returns FACET_OK when no credentials were given or they are
 * valid, FACET_EPERM (with viewer->auth_error) when they are not. */
int app_viewer_from_payload(app_t *app, uv_loop_t *loop, const gql_value_t *payload,
                            app_viewer_t *viewer);

/* Verifies an access token (Facet's HS256, or the identity provider's
 * RS256 when FACET_JWKS_URL is set) into viewer. FACET_EPERM with
 * viewer->auth_error on failure; a token signed by a key the provider's set
 * lacks makes loop (may be NULL) fetch the set again for the next try. */
int app_viewer_from_token(app_t *app, uv_loop_t *loop, facet_str_t token, app_viewer_t *viewer);

#endif
