/* The activity log (`activity` collection): one document per mutation a
 * user ran, written in batches by a job worker and read back newest first
 * as a Relay-style connection. Retention is a delete of what is older than
 * a cut-off, run by a scheduled job (TTL indexes are not available on every
 * supported store).
 *
 * Synchronous and blocking (run on the thread pool); thread-safe. Times in
 * milliseconds since the epoch. */
#ifndef FACET_STORE_ACTIVITY_H
#define FACET_STORE_ACTIVITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "store/doc.h"

typedef struct _mongoc_client_t mongoc_client_t;

/* Field sizes in bytes. A user agent longer than its limit is cut (at a
 * character boundary); any other field over its limit is refused. */
#define STORE_ACTIVITY_OPERATION_MAX  128
#define STORE_ACTIVITY_ARGS_MAX       4096
#define STORE_ACTIVITY_ADDRESS_MAX    64
#define STORE_ACTIVITY_USER_AGENT_MAX 512
#define STORE_ACTIVITY_CODE_MAX       64
#define STORE_ACTIVITY_REQUEST_ID_MAX 64
/* Activities per insert call, and per page. */
#define STORE_ACTIVITY_BATCH_MAX 1000
#define STORE_ACTIVITY_PAGE_MAX  100
/* A cursor's text: 40 hex digits (time and id) and a NUL. */
#define STORE_ACTIVITY_CURSOR_SIZE 41

/* One activity. On insert the strings are the caller's; in a page they
 * live in the page's arena. */
typedef struct store_activity {
    char id[STORE_ID_SIZE];      /* chosen by the producer: redelivery-safe */
    char user_id[STORE_ID_SIZE]; /* "" for an anonymous caller */
    const char *operation;       /* the mutation's name, required */
    const char *args;            /* JSON text, secrets already removed; NULL: none */
    const char *address;         /* client address; NULL: unknown */
    const char *user_agent;      /* NULL: unknown */
    bool ok;                     /* outcome: "ok" or "error" */
    const char *code;            /* the error code when !ok; NULL otherwise */
    const char *request_id;      /* NULL: none */
    int64_t created_at;
} store_activity_t;

/* Inserts n activities with one unordered insertMany. Activities whose id
 * is already stored are skipped (a redelivered job inserts nothing twice);
 * *inserted (may be NULL) gets how many were new. A bad field refuses the
 * whole batch before anything is written (FACET_EINVAL or FACET_ELIMIT,
 * err->message names the activity and the field). */
int store_activity_insert_many(mongoc_client_t *client, const char *db,
                               const store_activity_t *items, size_t n, size_t *inserted,
                               store_error_t *err);

/* A page of a user's activities, newest first. The page owns everything
 * its items point to; store_activity_page_free releases it. */
typedef struct store_activity_page {
    store_activity_t *items;
    size_t n;
    bool has_next;
    facet_arena_t arena;
} store_activity_page_t;

/* Lists up to first (1..STORE_ACTIVITY_PAGE_MAX) activities of user_id
 * strictly older than the cursor after (NULL or "": from the newest), in
 * (createdAt, id) descending order, so activities with equal times are
 * neither skipped nor repeated across pages. A cursor that does not decode
 * is FACET_EINVAL. page is initialized here; free it in every case. */
int store_activity_list(mongoc_client_t *client, const char *db, const char *user_id, int first,
                        const char *after, store_activity_page_t *page, store_error_t *err);

void store_activity_page_free(store_activity_page_t *page);

/* The opaque cursor of an activity (its time and id). */
void store_activity_cursor(const store_activity_t *a, char out[STORE_ACTIVITY_CURSOR_SIZE]);

/* Deletes every activity created before `before`; *deleted (may be NULL)
 * gets the count. */
int store_activity_delete_before(mongoc_client_t *client, const char *db, int64_t before,
                                 uint64_t *deleted, store_error_t *err);

#endif
