/* The GraphiQL landing page: when a browser gets it, and the page itself. */
#include "app/landing.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"
#include "core/str.h"
#include "gql/doc_cache.h"

/* Versions known to work together: GraphiQL 4 on React 19, its toolkit's
 * fetcher, and graphql-ws' client for subscriptions. The import map below
 * sends every bare import of the modules to one copy of each. */
#define V_REACT     "19.1.0"
#define V_GRAPHIQL  "4.0.0"
#define V_GQL_REACT "0.30.0"
#define V_TOOLKIT   "0.11.2"
#define V_GRAPHQL   "16.11.0"
#define V_GQL_WS    "5.16.0"

/* ---- Accept ---- */

enum { MATCH_NONE = -1 };

/* How specifically a media range matches type/subtype: 2 exactly, 1 as
 * type/(*), 0 as (*)/(*), MATCH_NONE not at all. */
static int range_specificity(facet_str_t range, const char *type, const char *subtype)
{
    const char *slash = memchr(range.base, '/', range.len);
    if (!slash)
        return MATCH_NONE;
    facet_str_t t = facet_str(range.base, (size_t)(slash - range.base));
    facet_str_t s = facet_str(slash + 1, range.len - t.len - 1);
    if (facet_str_eq(t, FACET_STR_LIT("*")))
        return facet_str_eq(s, FACET_STR_LIT("*")) ? 0 : MATCH_NONE;
    if (!facet_str_ieq(t, facet_str_c(type)))
        return MATCH_NONE;
    if (facet_str_eq(s, FACET_STR_LIT("*")))
        return 1;
    return facet_str_ieq(s, facet_str_c(subtype)) ? 2 : MATCH_NONE;
}

/* The q of a range's parameters, in thousandths (1000 when absent). */
static int range_q(facet_str_t params)
{
    while (params.len) {
        const char *semi = memchr(params.base, ';', params.len);
        size_t n = semi ? (size_t)(semi - params.base) : params.len;
        facet_str_t p = facet_str_trim(facet_str(params.base, n));
        if (p.len >= 2 && (p.base[0] == 'q' || p.base[0] == 'Q') && p.base[1] == '=') {
            char tmp[8] = {0};
            memcpy(tmp, p.base + 2, p.len - 2 < sizeof tmp - 1 ? p.len - 2 : sizeof tmp - 1);
            double q = strtod(tmp, NULL);
            return q <= 0 ? 0 : q >= 1 ? 1000 : (int)(q * 1000 + 0.5);
        }
        params = semi ? facet_str(semi + 1, params.len - n - 1) : FACET_STR_NULL;
    }
    return 1000;
}

/* The q Accept gives type/subtype: that of its most specific range. */
static int accept_q(facet_str_t accept, const char *type, const char *subtype)
{
    int best_spec = MATCH_NONE, q = 0;
    while (accept.len) {
        const char *comma = memchr(accept.base, ',', accept.len);
        size_t n = comma ? (size_t)(comma - accept.base) : accept.len;
        facet_str_t item = facet_str(accept.base, n);
        const char *semi = memchr(item.base, ';', item.len);
        size_t rlen = semi ? (size_t)(semi - item.base) : item.len;
        facet_str_t range = facet_str_trim(facet_str(item.base, rlen));
        facet_str_t params = semi ? facet_str(semi + 1, item.len - rlen - 1) : FACET_STR_NULL;
        int spec = range_specificity(range, type, subtype);
        if (spec > best_spec) {
            best_spec = spec;
            q = range_q(params);
        }
        accept = comma ? facet_str(comma + 1, accept.len - n - 1) : FACET_STR_NULL;
    }
    return q;
}

bool app_landing_prefers_html(facet_str_t accept)
{
    int html = accept_q(accept, "text", "html");
    int json = accept_q(accept, "application", "json");
    int gql = accept_q(accept, "application", "graphql-response+json");
    return html > 0 && html > json && html > gql;
}

/* ---- the query string ---- */

/* Percent-decodes a parameter name into out (cut at outlen - 1 bytes,
 * which is long enough for the names compared with). */
static void decode_name(facet_str_t in, char *out, size_t outlen)
{
    size_t o = 0;
    for (size_t i = 0; i < in.len && o + 1 < outlen; i++) {
        char c = in.base[i];
        uint64_t byte;
        if (c == '+') {
            c = ' ';
        } else if (c == '%' && i + 2 < in.len &&
                   facet_str_hex_to_u64(facet_str(in.base + i + 1, 2), false, &byte) == FACET_OK) {
            c = (char)byte;
            i += 2;
        }
        out[o++] = c;
    }
    out[o] = '\0';
}

bool app_landing_has_graphql_params(facet_str_t qs)
{
    while (qs.len) {
        const char *amp = memchr(qs.base, '&', qs.len);
        size_t n = amp ? (size_t)(amp - qs.base) : qs.len;
        const char *eq = memchr(qs.base, '=', n);
        char name[16];
        decode_name(facet_str(qs.base, eq ? (size_t)(eq - qs.base) : n), name, sizeof name);
        if (strcmp(name, "query") == 0 || strcmp(name, "extensions") == 0)
            return true;
        qs = amp ? facet_str(amp + 1, qs.len - n - 1) : FACET_STR_NULL;
    }
    return false;
}

bool app_landing_wanted(const facet_config_t *cfg, const http_request_t *req)
{
    if (facet_config_production(cfg))
        return false;
    if (!facet_str_eq(req->head.method, FACET_STR_LIT("GET")) &&
        !facet_str_eq(req->head.method, FACET_STR_LIT("HEAD")))
        return false;
    const http_header_t *accept = http_find_header(&req->head, FACET_STR_LIT("Accept"));
    return accept && app_landing_prefers_html(accept->value) &&
           !app_landing_has_graphql_params(req->head.query);
}

/* ---- the page ---- */

static const char STYLE[] = "html,body{height:100%;margin:0}#graphiql{height:100dvh}"
                            ".loading{font:1.5rem system-ui,sans-serif;margin:2rem}";

/* Queries and mutations go to the page's own URL over HTTP, subscriptions
 * to the same path over WebSocket (wss:// when the page came over TLS). */
static const char MODULE[] =
    "import React from 'react';\n"
    "import { createRoot } from 'react-dom/client';\n"
    "import { GraphiQL } from 'graphiql';\n"
    "import { createGraphiQLFetcher } from '@graphiql/toolkit';\n"
    "import { createClient } from 'graphql-ws';\n"
    "const url = location.origin + location.pathname;\n"
    "const wsUrl = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host +\n"
    "  location.pathname;\n"
    "const fetcher = createGraphiQLFetcher({ url, wsClient: createClient({ url: wsUrl }) });\n"
    "createRoot(document.getElementById('graphiql')).render(\n"
    "  React.createElement(GraphiQL, { fetcher, defaultEditorToolsVisibility: true }));\n";

/* The import map: %1$s is the CDN base URL. ?standalone bundles a package
 * with its dependencies; external= leaves the shared ones (React, GraphQL,
 * GraphiQL's own packages) to the map, so each is loaded once. The "x/"
 * entries catch deep imports (graphql/language, react-dom/...) of them. */
static const char IMPORT_MAP[] =
    "{\"imports\":{"
    "\"react\":\"%1$s/react@" V_REACT "\","
    "\"react/jsx-runtime\":\"%1$s/react@" V_REACT "/jsx-runtime\","
    "\"react-dom\":\"%1$s/react-dom@" V_REACT "\","
    "\"react-dom/client\":\"%1$s/react-dom@" V_REACT "/client\","
    "\"react/\":\"%1$s/react@" V_REACT "/\","
    "\"react-dom/\":\"%1$s/react-dom@" V_REACT "/\","
    "\"graphiql\":\"%1$s/graphiql@" V_GRAPHIQL
    "?standalone&external=react,react/jsx-runtime,react-dom,@graphiql/react\","
    "\"@graphiql/react\":\"%1$s/@graphiql/react@" V_GQL_REACT
    "?standalone&external=react,react/jsx-runtime,react-dom,graphql,@graphiql/toolkit\","
    "\"@graphiql/toolkit\":\"%1$s/@graphiql/toolkit@" V_TOOLKIT
    "?standalone&external=graphql,graphql-ws\","
    "\"graphql\":\"%1$s/graphql@" V_GRAPHQL "\","
    "\"graphql/\":\"%1$s/graphql@" V_GRAPHQL "/\","
    "\"graphql-ws\":\"%1$s/graphql-ws@" V_GQL_WS "?external=graphql\""
    "}}";

/* Appends " 'sha256-<base64>'" for an inline script or style. */
static int append_hash(facet_buf_t *out, const char *text, size_t len)
{
    uint8_t sha[GQL_SHA256_LEN];
    unsigned char b64[4 * ((GQL_SHA256_LEN + 2) / 3) + 1];
    gql_sha256(text, len, sha);
    EVP_EncodeBlock(b64, sha, GQL_SHA256_LEN);
    return facet_buf_printf(out, " 'sha256-%s'", (const char *)b64);
}

/* The origin (scheme://host[:port]) of a base URL. */
static facet_str_t origin_of(const char *url)
{
    const char *host = strstr(url, "://");
    host = host ? host + 3 : url;
    const char *slash = strchr(host, '/');
    return facet_str(url, slash ? (size_t)(slash - url) : strlen(url));
}

/* A Host header fit to appear in a header value: host[:port] or [v6]:port. */
static bool plain_host(facet_str_t host)
{
    if (host.len == 0 || host.len > 255)
        return false;
    for (size_t i = 0; i < host.len; i++) {
        char c = host.base[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              strchr("-.:[]", c)))
            return false;
    }
    return true;
}

static int build_csp(const char *cdn, facet_str_t host, const facet_buf_t *map, facet_buf_t *csp)
{
    facet_str_t o = origin_of(cdn);
    int rc = facet_buf_printf(csp, "default-src 'self'; script-src %.*s", (int)o.len, o.base);
    rc = rc ? rc : append_hash(csp, map->base, map->len);
    rc = rc ? rc : append_hash(csp, MODULE, sizeof MODULE - 1);
    rc = rc ? rc : facet_buf_printf(csp, "; style-src %.*s", (int)o.len, o.base);
    rc = rc ? rc : append_hash(csp, STYLE, sizeof STYLE - 1);
    rc = rc ? rc : facet_buf_printf(csp, "; img-src 'self' data: %.*s", (int)o.len, o.base);
    rc = rc ? rc : facet_buf_printf(csp, "; font-src %.*s data:", (int)o.len, o.base);
    rc = rc ? rc : facet_buf_append_str(csp, "; connect-src 'self'");
    if (!rc && plain_host(host))
        rc = facet_buf_printf(csp, " ws://%.*s wss://%.*s", (int)host.len, host.base, (int)host.len,
                              host.base);
    return rc ? rc
              : facet_buf_append_str(csp, "; object-src 'none'; base-uri 'none'; "
                                          "form-action 'self'; frame-ancestors 'none'");
}

int app_landing_build(const char *cdn, facet_str_t host, facet_buf_t *html, facet_buf_t *csp)
{
    facet_buf_t map;
    facet_buf_init(&map, 0);
    int rc = facet_buf_printf(&map, IMPORT_MAP, cdn);
    rc = rc ? rc : build_csp(cdn, host, &map, csp);
    rc = rc ? rc
            : facet_buf_printf(html,
                               "<!doctype html>\n<html lang=\"en\">\n<head>\n"
                               "<meta charset=\"utf-8\">\n"
                               "<meta name=\"viewport\" content=\"width=device-width, "
                               "initial-scale=1\">\n"
                               "<title>GraphiQL · Facet</title>\n"
                               "<style>%s</style>\n"
                               "<link rel=\"stylesheet\" href=\"%s/graphiql@" V_GRAPHIQL
                               "/dist/style.css\">\n"
                               "<script type=\"importmap\">%.*s</script>\n"
                               "<script type=\"module\">%s</script>\n"
                               "</head>\n<body>\n<div id=\"graphiql\">"
                               "<p class=\"loading\">Loading GraphiQL…</p></div>\n"
                               "<noscript>GraphiQL needs JavaScript. This URL also answers "
                               "GraphQL requests: POST them as JSON.</noscript>\n"
                               "</body>\n</html>\n",
                               STYLE, cdn, (int)map.len, map.base, MODULE);
    facet_buf_free(&map);
    return rc;
}

void app_landing_respond(const facet_config_t *cfg, http_request_t *req)
{
    facet_buf_t html, csp;
    facet_buf_init(&html, 0);
    facet_buf_init(&csp, 0);
    /* The policy goes to http_add_header as a C string. */
    if (app_landing_build(cfg->graphiql_url, req->head.host, &html, &csp) != FACET_OK ||
        facet_buf_append(&csp, "", 1) != FACET_OK) {
        http_respond_error(req, 500, "Internal server error");
    } else {
        http_add_header(req, "Content-Security-Policy", csp.base);
        http_add_header(req, "Cache-Control", "no-store");
        http_add_header(req, "Vary", "Accept");
        http_add_header(req, "X-Content-Type-Options", "nosniff");
        http_add_header(req, "Referrer-Policy", "no-referrer");
        http_respond(req, 200, "text/html; charset=utf-8", html.base, html.len);
    }
    facet_buf_free(&html);
    facet_buf_free(&csp);
}
