/* Batched loading by id: one query per queue per wave. */
#include "app/batch.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/resolve.h"
#include "core/error.h"
#include "core/log.h"

struct app_batch_pending {
    app_batch_pending_t *next;
    gql_resolve_t *r;
    const char *id;
};

/* The resolvers are copied out of the request arena: completing the last
 * one may end the request and free the arena. */
typedef struct batch_job {
    const app_batch_kind_t *kind;
    const void *json_ud;
    gql_resolve_t **rs;
    const char **ids; /* in the arena, alive while rs[i] is pending */
    size_t n;
    void *items;
    bool *found;
    store_error_t err;
} batch_job_t;

static int batch_work(mongoc_client_t *client, const char *db, void *ud)
{
    batch_job_t *j = ud;
    return j->kind->find_many(client, db, j->ids, j->n, j->items, j->found, &j->err);
}

static void batch_free(batch_job_t *j)
{
    if (!j)
        return;
    free(j->rs);
    free(j->ids);
    free(j->items);
    free(j->found);
    free(j);
}

static void batch_done(int status, void *ud)
{
    batch_job_t *j = ud;
    for (size_t i = 0; i < j->n; i++) {
        if (status != FACET_OK) {
            app_fail_internal(j->rs[i], "%s batch read failed: %s", j->kind->name,
                              j->err.message[0] ? j->err.message : facet_strerror(status));
            continue;
        }
        if (!j->found[i]) {
            gql_resolve_json(j->rs[i], NULL);
            continue;
        }
        facet_buf_t b;
        facet_buf_init(&b, 0);
        j->kind->json(&b, (const char *)j->items + i * j->kind->item_size, j->json_ud);
        app_resolve_json_text(j->rs[i], b.base, b.len);
        facet_buf_free(&b);
    }
    batch_free(j);
}

static batch_job_t *batch_new(size_t n, const app_batch_kind_t *kind, const void *json_ud)
{
    batch_job_t *j = calloc(1, sizeof *j);
    if (!j)
        return NULL;
    *j = (batch_job_t){.kind = kind, .json_ud = json_ud, .n = n};
    j->rs = calloc(n, sizeof *j->rs);
    j->ids = calloc(n, sizeof *j->ids);
    j->items = calloc(n, kind->item_size);
    j->found = calloc(n, sizeof *j->found);
    if (!j->rs || !j->ids || !j->items || !j->found) {
        batch_free(j);
        return NULL;
    }
    return j;
}

static void log_batch(const char *name, size_t n)
{
    char msg[48];
    snprintf(msg, sizeof msg, "%s batch", name);
    facet_log_line_t line;
    if (facet_log_begin(&line, FACET_LOG_DEBUG, msg))
        facet_log_int(&line, "count", (int64_t)n);
    facet_log_end(&line);
}

void app_batch_flush(app_exec_ctx_t *ctx, app_batch_queue_t q, const app_batch_kind_t *kind,
                     const void *json_ud)
{
    /* Everything needed is read before the first completion can happen. */
    store_mongo_t *mongo = ctx->app->mongo;
    uv_loop_t *loop = ctx->aw->loop;
    app_batch_pending_t *p = q.head;
    size_t left = q.n;
    while (p) {
        size_t n = left < kind->max ? left : kind->max;
        left -= n;
        batch_job_t *j = batch_new(n, kind, json_ud);
        for (size_t i = 0; i < n; i++) {
            app_batch_pending_t *next = p->next; /* failing p->r may free p */
            if (j) {
                j->rs[i] = p->r;
                j->ids[i] = p->id;
            } else {
                app_fail_internal(p->r, "out of memory");
            }
            p = next;
        }
        /* Once the last batch is sent, p (in the arena) is no longer read. */
        bool more = p != NULL;
        if (j) {
            log_batch(kind->name, n);
            if (store_mongo_run(mongo, loop, batch_work, batch_done, j) != FACET_OK)
                batch_done(FACET_EIO, j);
        }
        if (!more)
            return;
    }
}

void app_batch_add(gql_resolve_t *r, app_batch_queue_t *q, const char *id)
{
    if (!id || !store_id_valid(id))
        return gql_resolve_json(r, NULL);
    facet_arena_t *a = gql_resolve_arena(r);
    app_batch_pending_t *p = q ? FACET_ARENA_NEW(a, app_batch_pending_t) : NULL;
    if (!p || !(p->id = facet_arena_strdup(a, id, strlen(id)).base))
        return app_fail_internal(r, "out of memory");
    p->r = r;
    /* Appended, so that a batch asks in resolution order. */
    if (q->tail)
        q->tail->next = p;
    else
        q->head = p;
    q->tail = p;
    q->n++;
}
