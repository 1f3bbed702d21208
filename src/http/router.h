/* Routes requests by method and path: exact, or a prefix when the route's
 * path ends in '*' (a route "/media/" followed by '*' matches
 * "/media/a/b.webp"). A GET route answers HEAD too.
 * Unknown paths get 404; a known path with another method gets 405 with an
 * Allow header. The router is built before the server starts and is
 * read-only afterwards, so every worker shares it. */
#ifndef FACET_HTTP_ROUTER_H
#define FACET_HTTP_ROUTER_H

#include "http/server.h"

#define HTTP_ROUTER_MAX 32

typedef struct http_route {
    const char *method;
    const char *path;
    http_handler_fn fn;
    void *ud;
} http_route_t;

typedef struct http_router {
    http_route_t routes[HTTP_ROUTER_MAX];
    size_t n;
} http_router_t;

/* method and path are borrowed (string literals in practice). A path
 * ending in '*' matches every request path that starts with the part
 * before the '*'. Returns FACET_ELIMIT when the table is full. */
int http_router_add(http_router_t *r, const char *method, const char *path, http_handler_fn fn,
                    void *ud);

/* An http_handler_fn: ud is the http_router_t. */
void http_router_dispatch(http_request_t *req, void *ud);

#endif
