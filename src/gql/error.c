/* Error lists and their JSON form. */
#include "gql/error.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"

void gql_errors_init(gql_error_list_t *list, facet_arena_t *arena, size_t max)
{
    memset(list, 0, sizeof *list);
    list->arena = arena;
    list->max = max;
}

gql_error_t *gql_error_addv(gql_error_list_t *list, const char *code, const gql_loc_t *locs,
                            size_t nlocs, const char *fmt, va_list ap)
{
    if (list->max && list->count >= list->max)
        return NULL;
    gql_error_t *e = FACET_ARENA_NEW(list->arena, gql_error_t);
    if (!e)
        return NULL;
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return NULL;
    char *msg = facet_arena_alloc(list->arena, (size_t)n + 1);
    if (!msg)
        return NULL;
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    e->message = facet_str(msg, (size_t)n);
    if (nlocs) {
        e->locations = FACET_ARENA_ARRAY(list->arena, gql_loc_t, nlocs);
        if (!e->locations)
            return NULL;
        memcpy(e->locations, locs, nlocs * sizeof *locs);
        e->nlocations = nlocs;
    }
    e->code = code;
    if (list->tail)
        list->tail->next = e;
    else
        list->head = e;
    list->tail = e;
    list->count++;
    return e;
}

gql_error_t *gql_error_add(gql_error_list_t *list, const char *code, const gql_loc_t *locs,
                           size_t nlocs, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gql_error_t *e = gql_error_addv(list, code, locs, nlocs, fmt, ap);
    va_end(ap);
    return e;
}

static int write_one(const gql_error_t *e, facet_buf_t *out)
{
    int rc = facet_buf_append_str(out, "{\"message\":\"");
    rc = rc ? rc : facet_buf_append_json_escaped(out, e->message.base, e->message.len);
    rc = rc ? rc : facet_buf_append(out, "\"", 1);
    if (e->nlocations) {
        rc = rc ? rc : facet_buf_append_str(out, ",\"locations\":[");
        for (size_t i = 0; i < e->nlocations && !rc; i++)
            rc = facet_buf_printf(out, "%s{\"line\":%u,\"column\":%u}", i ? "," : "",
                                  e->locations[i].line, e->locations[i].column);
        rc = rc ? rc : facet_buf_append(out, "]", 1);
    }
    if (e->path) {
        rc = rc ? rc : facet_buf_append_str(out, ",\"path\":[");
        for (size_t i = 0; i < e->npath && !rc; i++) {
            if (i)
                rc = facet_buf_append(out, ",", 1);
            if (rc)
                break;
            if (e->path[i].key.base) {
                rc = facet_buf_append(out, "\"", 1);
                rc = rc ? rc
                        : facet_buf_append_json_escaped(out, e->path[i].key.base,
                                                        e->path[i].key.len);
                rc = rc ? rc : facet_buf_append(out, "\"", 1);
            } else {
                rc = facet_buf_printf(out, "%zu", e->path[i].index);
            }
        }
        rc = rc ? rc : facet_buf_append(out, "]", 1);
    }
    if (e->code)
        rc = rc ? rc : facet_buf_printf(out, ",\"extensions\":{\"code\":\"%s\"}", e->code);
    return rc ? rc : facet_buf_append(out, "}", 1);
}

int gql_errors_write_json(const gql_error_list_t *list, facet_buf_t *out)
{
    int rc = facet_buf_append(out, "[", 1);
    for (const gql_error_t *e = list->head; e && !rc; e = e->next) {
        if (e != list->head)
            rc = facet_buf_append(out, ",", 1);
        rc = rc ? rc : write_one(e, out);
    }
    return rc ? rc : facet_buf_append(out, "]", 1);
}
