/* Exact-path and prefix routing with 404 and 405 answers. */
#include "http/router.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"

int http_router_add(http_router_t *r, const char *method, const char *path, http_handler_fn fn,
                    void *ud)
{
    if (r->n == HTTP_ROUTER_MAX)
        return FACET_ELIMIT;
    r->routes[r->n++] = (http_route_t){method, path, fn, ud};
    return FACET_OK;
}

/* A route path ending in '*' is a prefix; any other must match exactly. */
static bool path_matches(const char *route_path, facet_str_t path)
{
    size_t n = strlen(route_path);
    if (n > 0 && route_path[n - 1] == '*')
        return path.len >= n - 1 && memcmp(path.base, route_path, n - 1) == 0;
    return facet_str_eq(path, facet_str_c(route_path));
}

static bool method_matches(const char *route_method, facet_str_t method)
{
    if (facet_str_eq(method, facet_str_c(route_method)))
        return true;
    return strcmp(route_method, "GET") == 0 && facet_str_eq(method, FACET_STR_LIT("HEAD"));
}

void http_router_dispatch(http_request_t *req, void *ud)
{
    const http_router_t *r = ud;
    char allow[128] = "";
    size_t used = 0;
    for (size_t i = 0; i < r->n; i++) {
        const http_route_t *rt = &r->routes[i];
        if (!path_matches(rt->path, req->head.path))
            continue;
        if (method_matches(rt->method, req->head.method)) {
            rt->fn(req, rt->ud);
            return;
        }
        const char *extra = strcmp(rt->method, "GET") == 0 ? ", HEAD" : "";
        int n = snprintf(allow + used, sizeof allow - used, "%s%s%s", used ? ", " : "", rt->method,
                         extra);
        if (n > 0 && (size_t)n < sizeof allow - used)
            used += (size_t)n;
    }
    if (used) {
        http_add_header(req, "Allow", allow);
        http_respond_error(req, 405, "method not allowed");
        return;
    }
    http_respond_error(req, 404, "not found");
}
