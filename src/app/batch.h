/* Batched loading by id (DataLoader semantics): resolvers queue the ids
 * they need during an execution wave; when the wave has been dispatched,
 * each queue becomes one $in query per batch of at most kind->max ids, and
 * every queued resolver is completed with its item's JSON (or null). */
#ifndef FACET_APP_BATCH_H
#define FACET_APP_BATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "app/app.h"
#include "core/buf.h"
#include "gql/exec.h"
#include "store/doc.h"

/* What is loaded: the repository's find-many (items is an array of n
 * item_size-byte elements, found n booleans) and one item's JSON. */
typedef struct app_batch_kind {
    const char *name; /* for the "<name> batch" debug log line */
    size_t item_size;
    size_t max; /* ids per query */
    int (*find_many)(mongoc_client_t *client, const char *db, const char *const *ids, size_t n,
                     void *items, bool *found, store_error_t *err);
    void (*json)(facet_buf_t *b, const void *item, const void *json_ud);
} app_batch_kind_t;

/* A queue in the request arena (zeroed: empty). */
typedef struct app_batch_pending app_batch_pending_t;
typedef struct app_batch_queue {
    app_batch_pending_t *head, *tail;
    size_t n;
} app_batch_queue_t;

/* Queues r for id (completes it with null at once when id is NULL or not
 * an ObjectId). */
void app_batch_add(gql_resolve_t *r, app_batch_queue_t *q, const char *id);

/* Sends q (taken by value: the caller empties its own copy first, since a
 * completion may end the request and free the arena that holds it).
 * json_ud is handed to kind->json and must outlive the batches. */
void app_batch_flush(app_exec_ctx_t *ctx, app_batch_queue_t q, const app_batch_kind_t *kind,
                     const void *json_ud);

#endif
