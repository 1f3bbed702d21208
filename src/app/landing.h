/* The landing page of /graphql for browsers outside production: an HTML
 * page that loads GraphiQL as ES modules from a CDN (FACET_GRAPHIQL_URL)
 * and points it at the page's own URL, over HTTP for queries and mutations
 * and over graphql-ws (ws:// or wss://, derived from the page's location)
 * for subscriptions. Its Content-Security-Policy allows scripts and styles
 * from the CDN's origin and the page's own inline code (by hash) only. */
#ifndef FACET_APP_LANDING_H
#define FACET_APP_LANDING_H

#include <stdbool.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/str.h"
#include "http/server.h"

/* True when req should get the page: FACET_ENV is not production, the
 * method is GET or HEAD, Accept prefers text/html to both GraphQL media
 * types (as a browser's does), and the query string has no `query` or
 * `extensions` parameter (so it is not a GraphQL request). */
bool app_landing_wanted(const facet_config_t *cfg, const http_request_t *req);

/* Answers req with the page (200, no-store, with its CSP). */
void app_landing_respond(const facet_config_t *cfg, http_request_t *req);

/* ---- the pure parts, exposed for tests ---- */

/* Whether an Accept value ranks text/html above application/json and
 * application/graphql-response+json: each gets the q of the most specific
 * range that matches it (type/subtype, then type/any, then any/any), 0 when none
 * does. A missing or empty Accept prefers nothing. */
bool app_landing_prefers_html(facet_str_t accept);

/* Whether a raw query string (after '?') carries a parameter named query
 * or extensions (percent-decoded names). */
bool app_landing_has_graphql_params(facet_str_t query_string);

/* Builds the page for the CDN base URL cdn (validated as FACET_GRAPHIQL_URL
 * is; no trailing '/') into html, and the Content-Security-Policy value
 * that allows exactly it into csp. host is the request's Host header (may
 * be empty); when it is a plain host[:port], connect-src names ws:// and
 * wss:// on it. Returns FACET_OK or FACET_ENOMEM; both buffers are the
 * caller's to free. */
int app_landing_build(const char *cdn, facet_str_t host, facet_buf_t *html, facet_buf_t *csp);

#endif
