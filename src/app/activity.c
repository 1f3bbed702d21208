/* Query.myActivity: the signed-in user's activity log, newest first, as a
 * Relay-style connection over the store's opaque (time, id) cursors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/activity.h"
#include "app/resolve.h"
#include "core/error.h"
#include "gql/json.h"
#include "store/activity.h"

typedef struct page_job {
    gql_resolve_t *r;
    char user_id[STORE_ID_SIZE];
    char after[STORE_ACTIVITY_CURSOR_SIZE];
    int first;
    store_activity_page_t page;
    store_error_t err;
} page_job_t;

static int page_work(mongoc_client_t *client, const char *db, void *ud)
{
    page_job_t *j = ud;
    return store_activity_list(client, db, j->user_id, j->first, j->after, &j->page, &j->err);
}

static void put_str(facet_buf_t *b, const char *key, const char *value)
{
    facet_buf_printf(b, ",\"%s\":", key);
    if (value)
        gql_json_write_string(b, value, strlen(value));
    else
        facet_buf_append_str(b, "null");
}

static void node_json(facet_buf_t *b, const store_activity_t *a)
{
    char at[32];
    app_iso_time(a->created_at, at);
    facet_buf_printf(b, "{\"id\":\"%s\"", a->id);
    put_str(b, "operation", a->operation);
    /* Stored by the worker from parsed JSON, so it is JSON text. */
    facet_buf_append_str(b, ",\"args\":");
    facet_buf_append_str(b, a->args && *a->args ? a->args : "null");
    facet_buf_printf(b, ",\"outcome\":\"%s\"", a->ok ? "OK" : "ERROR");
    put_str(b, "code", a->ok ? NULL : a->code);
    put_str(b, "address", a->address);
    put_str(b, "userAgent", a->user_agent);
    put_str(b, "requestId", a->request_id);
    facet_buf_printf(b, ",\"createdAt\":\"%s\"}", at);
}

static void answer(page_job_t *j)
{
    const store_activity_page_t *p = &j->page;
    char first[STORE_ACTIVITY_CURSOR_SIZE] = "", last[STORE_ACTIVITY_CURSOR_SIZE] = "";
    facet_buf_t b;
    facet_buf_init(&b, 0);
    facet_buf_append_str(&b, "{\"edges\":[");
    for (size_t i = 0; i < p->n; i++) {
        store_activity_cursor(&p->items[i], last);
        if (i == 0)
            memcpy(first, last, sizeof first);
        facet_buf_printf(&b, "%s{\"cursor\":\"%s\",\"node\":", i ? "," : "", last);
        node_json(&b, &p->items[i]);
        facet_buf_append_str(&b, "}");
    }
    facet_buf_printf(&b, "],\"pageInfo\":{\"hasNextPage\":%s,\"hasPreviousPage\":%s,",
                     p->has_next ? "true" : "false", j->after[0] ? "true" : "false");
    if (p->n)
        facet_buf_printf(&b, "\"startCursor\":\"%s\",\"endCursor\":\"%s\"}}", first, last);
    else
        facet_buf_append_str(&b, "\"startCursor\":null,\"endCursor\":null}}");
    app_resolve_json_text(j->r, b.base, b.len);
    facet_buf_free(&b);
}

static void page_done(int status, void *ud)
{
    page_job_t *j = ud;
    if (status == FACET_EINVAL)
        gql_resolve_fail(j->r, APP_CODE_BAD_USER_INPUT,
                         "after is not a cursor of this "
                         "connection.");
    else if (status != FACET_OK)
        app_fail_internal(j->r, "activity read failed: %s", j->err.message);
    else
        answer(j);
    store_activity_page_free(&j->page);
    free(j);
}

static void my_activity(gql_resolve_t *r)
{
    static const char empty[] = "{\"edges\":[],\"pageInfo\":{\"hasNextPage\":false,"
                                "\"hasPreviousPage\":false,\"startCursor\":null,"
                                "\"endCursor\":null}}";
    if (!app_require_user(r))
        return;
    const gql_value_t *first = gql_resolve_arg(r, "first");
    const char *after = app_arg_str(r, gql_resolve_args(r), "after");
    int64_t n = first && first->kind == GQL_V_INT ? first->u.i : 20;
    if (n < 0 || n > STORE_ACTIVITY_PAGE_MAX)
        return gql_resolve_fail(r, APP_CODE_BAD_USER_INPUT, "first must be 0 to %d.",
                                STORE_ACTIVITY_PAGE_MAX);
    if (after && strlen(after) != STORE_ACTIVITY_CURSOR_SIZE - 1)
        return gql_resolve_fail(r, APP_CODE_BAD_USER_INPUT,
                                "after is not a cursor of this connection.");
    if (n == 0)
        return app_resolve_json_text(r, empty, sizeof empty - 1);
    page_job_t *j = calloc(1, sizeof *j);
    if (!j)
        return app_fail_internal(r, "out of memory");
    j->r = r;
    j->first = (int)n;
    snprintf(j->user_id, sizeof j->user_id, "%s", app_ctx(r)->viewer.user_id);
    if (after)
        memcpy(j->after, after, STORE_ACTIVITY_CURSOR_SIZE);
    if (!app_db(r, page_work, page_done, j))
        free(j);
}

int app_activity_bind(gql_schema_t *schema, char *err, size_t errlen)
{
    static const app_binding_t bindings[] = {
        {"Query", "myActivity", my_activity},
    };
    return app_bind_all(schema, bindings, sizeof bindings / sizeof bindings[0], err, errlen);
}
