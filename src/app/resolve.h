/* What every product resolver needs: its request context, the signed-in
 * user, errors with Apollo's codes, blocking work on the thread pool, and
 * JSON text turned into the values the engine completes fields with. */
#ifndef FACET_APP_RESOLVE_H
#define FACET_APP_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "app/errors.h"
#include "gql/exec.h"
#include "store/mongo.h"

#define APP_CODE_UNAUTHENTICATED "UNAUTHENTICATED"
#define APP_CODE_FORBIDDEN       "FORBIDDEN"
#define APP_CODE_BAD_USER_INPUT  "BAD_USER_INPUT"

static inline app_exec_ctx_t *app_ctx(gql_resolve_t *r)
{
    return gql_resolve_context(r);
}

/* True when a user is signed in; otherwise fails r with UNAUTHENTICATED
 * (saying why a presented token was refused) and returns false. */
bool app_require_user(gql_resolve_t *r);
/* As app_require_user, and the user must be an admin (else FORBIDDEN). */
bool app_require_admin(gql_resolve_t *r);
/* True when the viewer is user_id or an admin. */
bool app_owner_or_admin(const app_exec_ctx_t *ctx, const char *user_id);

/* Runs work on the thread pool with a MongoDB client, then done on the
 * request's loop. On a queueing failure fails r with an internal error and
 * returns false (done is not called: the caller frees its job). */
bool app_db(gql_resolve_t *r, store_mongo_work_fn work, store_mongo_done_fn done, void *job);

/* Runs work (no database) on the thread pool, then done on the loop. */
typedef void (*app_blocking_fn)(void *job);
typedef void (*app_blocking_done_fn)(void *job, int status);
int app_blocking(uv_loop_t *loop, app_blocking_fn work, app_blocking_done_fn done, void *job);

/* Reads the entity kind/id from the database as JSON text into json (a
 * thread-pool call): FACET_OK, FACET_ENOTFOUND or an error. */
typedef int (*app_entity_fetch_fn)(mongoc_client_t *client, const char *db, const char *id,
                                   facet_buf_t *json);
/* Completes r with kind/id read through the loop's read-through cache
 * (single flight on a miss; fetch runs on a miss). Null when not found or
 * when id is not an ObjectId. */
void app_entity_resolve(gql_resolve_t *r, const char *kind, const char *id,
                        app_entity_fetch_fn fetch);

/* Completes r with the JSON text (parsed into the request arena). */
void app_resolve_json_text(gql_resolve_t *r, const char *json, size_t len);
/* Parses JSON text into the request arena; NULL when it is not JSON. */
gql_value_t *app_parse_json(gql_resolve_t *r, const char *json, size_t len);

/* The member key of a JSON object argument as a C string in the request
 * arena, or NULL when absent, null or not a string. */
const char *app_arg_str(gql_resolve_t *r, const gql_value_t *obj, const char *key);
/* The parent object's member key as a string (NULL if absent). */
const char *app_parent_str(gql_resolve_t *r, const char *key);

/* One resolver binding: Type.field -> fn. */
typedef struct app_binding {
    const char *type;
    const char *field;
    gql_resolver_fn fn;
} app_binding_t;

/* Binds every entry; FACET_EINVAL naming the first Type.field the schema
 * lacks. */
int app_bind_all(gql_schema_t *schema, const app_binding_t *b, size_t n, char *err, size_t errlen);

/* Milliseconds since the epoch as ISO 8601 UTC with milliseconds. */
void app_iso_time(int64_t ms, char out[32]);

#endif
