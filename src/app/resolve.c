/* Helpers shared by the product's resolvers. */
#include "app/resolve.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "gql/json.h"
#include "store/doc.h"

bool app_require_user(gql_resolve_t *r)
{
    const app_exec_ctx_t *ctx = app_ctx(r);
    if (ctx->viewer.user_id[0])
        return true;
    gql_resolve_fail(r, APP_CODE_UNAUTHENTICATED, "%s",
                     ctx->viewer.auth_error ? ctx->viewer.auth_error
                                            : "You must be signed in to do this.");
    return false;
}

bool app_require_admin(gql_resolve_t *r)
{
    if (!app_require_user(r))
        return false;
    if (app_ctx(r)->viewer.role == APP_ROLE_ADMIN)
        return true;
    gql_resolve_fail(r, APP_CODE_FORBIDDEN, "Only an admin may do this.");
    return false;
}

bool app_owner_or_admin(const app_exec_ctx_t *ctx, const char *user_id)
{
    if (!ctx->viewer.user_id[0])
        return false;
    return ctx->viewer.role == APP_ROLE_ADMIN ||
           (user_id && strcmp(ctx->viewer.user_id, user_id) == 0);
}

bool app_db(gql_resolve_t *r, store_mongo_work_fn work, store_mongo_done_fn done, void *job)
{
    app_exec_ctx_t *ctx = app_ctx(r);
    int rc = store_mongo_run(ctx->app->mongo, ctx->aw->loop, work, done, job);
    if (rc == FACET_OK)
        return true;
    app_fail_internal(r, "cannot queue a database call: %s", facet_strerror(rc));
    return false;
}

typedef struct blocking {
    uv_work_t work;
    app_blocking_fn fn;
    app_blocking_done_fn done;
    void *job;
} blocking_t;

static void blocking_work(uv_work_t *w)
{
    blocking_t *b = w->data;
    b->fn(b->job);
}

static void blocking_after(uv_work_t *w, int status)
{
    blocking_t *b = w->data;
    app_blocking_done_fn done = b->done;
    void *job = b->job;
    free(b);
    done(job, status == 0 ? FACET_OK : FACET_EIO);
}

int app_blocking(uv_loop_t *loop, app_blocking_fn work, app_blocking_done_fn done, void *job)
{
    blocking_t *b = malloc(sizeof *b);
    if (!b)
        return FACET_ENOMEM;
    *b = (blocking_t){.fn = work, .done = done, .job = job};
    b->work.data = b;
    if (uv_queue_work(loop, &b->work, blocking_work, blocking_after) != 0) {
        free(b);
        return FACET_EIO;
    }
    return FACET_OK;
}

gql_value_t *app_parse_json(gql_resolve_t *r, const char *json, size_t len)
{
    gql_value_t *v = NULL;
    char why[96];
    if (gql_json_parse(gql_resolve_arena(r), json, len, 64, &v, why, sizeof why) != FACET_OK)
        return NULL;
    return v;
}

void app_resolve_json_text(gql_resolve_t *r, const char *json, size_t len)
{
    gql_value_t *v = app_parse_json(r, json, len);
    if (!v)
        return app_fail_internal(r, "a stored value is not JSON");
    gql_resolve_json(r, v);
}

static const char *value_cstr(gql_resolve_t *r, const gql_value_t *v)
{
    if (!v || v->kind != GQL_V_STRING)
        return NULL;
    return facet_arena_strdup(gql_resolve_arena(r), v->u.s.base, v->u.s.len).base;
}

const char *app_arg_str(gql_resolve_t *r, const gql_value_t *obj, const char *key)
{
    return value_cstr(r, gql_value_get(obj, facet_str_c(key)));
}

const char *app_parent_str(gql_resolve_t *r, const char *key)
{
    return value_cstr(r, gql_value_get(gql_resolve_parent_json(r), facet_str_c(key)));
}

void app_iso_time(int64_t ms, char out[32])
{
    time_t s = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&s, &tm);
    size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, 32 - n, ".%03dZ", (int)(ms % 1000));
}

int app_bind_all(gql_schema_t *schema, const app_binding_t *b, size_t n, char *err, size_t errlen)
{
    for (size_t i = 0; i < n; i++) {
        gql_type_t *t = gql_schema_type(schema, facet_str_c(b[i].type));
        gql_field_t *f = t ? gql_type_field(t, facet_str_c(b[i].field)) : NULL;
        if (!f) {
            snprintf(err, errlen, "FACET_SCHEMA: the product schema lacks %s.%s", b[i].type,
                     b[i].field);
            return FACET_EINVAL;
        }
        gql_field_bind(f, b[i].fn, NULL);
    }
    return FACET_OK;
}

/* ---- entities through the read-through cache ---- */

typedef struct entity_req {
    app_worker_t *aw;
    app_entity_fetch_fn fetch;
} entity_req_t;

typedef struct entity_job {
    cache_entity_fill_t *fill;
    app_entity_fetch_fn fetch;
    char id[STORE_ID_SIZE];
    facet_buf_t json;
} entity_job_t;

static int entity_work(mongoc_client_t *client, const char *db, void *ud)
{
    entity_job_t *j = ud;
    return j->fetch(client, db, j->id, &j->json);
}

static void entity_done(int status, void *ud)
{
    entity_job_t *j = ud;
    cache_entity_filled(j->fill, status, j->json.base, j->json.len);
    facet_buf_free(&j->json);
    free(j);
}

/* The cache's loader (on a miss). loader_ud lives in the arena of the
 * request that started the flight, which waits for it. */
static int entity_load(const char *kind, const char *id, void *loader_ud, cache_entity_fill_t *fill)
{
    (void)kind;
    const entity_req_t *q = loader_ud;
    entity_job_t *j = calloc(1, sizeof *j);
    if (!j)
        return FACET_ENOMEM;
    j->fill = fill;
    j->fetch = q->fetch;
    snprintf(j->id, sizeof j->id, "%s", id);
    facet_buf_init(&j->json, 0);
    int rc = store_mongo_run(q->aw->app->mongo, q->aw->loop, entity_work, entity_done, j);
    if (rc != FACET_OK)
        free(j);
    return rc;
}

static void on_entity(int status, const char *json, size_t len, void *ud)
{
    gql_resolve_t *r = ud;
    if (status == FACET_ENOTFOUND)
        return gql_resolve_json(r, NULL);
    if (status != FACET_OK)
        return app_fail_internal(r, "%.*s read failed: %s", (int)gql_resolve_field(r)->name.len,
                                 gql_resolve_field(r)->name.base, facet_strerror(status));
    app_resolve_json_text(r, json, len);
}

void app_entity_resolve(gql_resolve_t *r, const char *kind, const char *id,
                        app_entity_fetch_fn fetch)
{
    app_exec_ctx_t *ctx = app_ctx(r);
    if (!id || !store_id_valid(id))
        return gql_resolve_json(r, NULL);
    entity_req_t *q = FACET_ARENA_NEW(gql_resolve_arena(r), entity_req_t);
    if (!q)
        return app_fail_internal(r, "out of memory");
    *q = (entity_req_t){ctx->aw, fetch};
    int rc = cache_entity_get(ctx->aw->entities, kind, id, entity_load, q, on_entity, r);
    if (rc != FACET_OK)
        app_fail_internal(r, "%s read failed: %s", kind, facet_strerror(rc));
}
