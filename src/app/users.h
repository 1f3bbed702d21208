/* Users in the API: Query.me, Query.user, the User type's private fields,
 * profile and settings mutations, and the user loaders. */
#ifndef FACET_APP_USERS_H
#define FACET_APP_USERS_H

#include "app/app.h"
#include "app/batch.h"
#include "core/buf.h"
#include "gql/exec.h"
#include "gql/schema.h"
#include "store/users.h"

/* A member a User value may carry (never a schema field, so never shown)
 * that opens its private fields to the request: set on the user of an
 * AuthPayload, whose request has no token yet. */
#define APP_USER_OWNER_MARK "__owner"

/* The User JSON the API and the cache use: public fields plus email and
 * role (which resolvers show only to the user or an admin). */
void app_user_json(facet_buf_t *b, const store_user_t *u);

/* Completes r with user id, read through the cache (null when absent). */
void app_user_resolve(gql_resolve_t *r, const char *id);
/* Queues r for the execution's next batch: every user asked for during one
 * wave is read with one $in query when the wave has been dispatched. */
void app_user_load_batched(gql_resolve_t *r, const char *id);
/* opts.on_wave_dispatched: sends the batch (context: app_exec_ctx_t). */
void app_loader_flush(void *context);
/* The request's queue of image loads (images_load.c), kept beside the user
 * loads so that app_loader_flush sends both; NULL when out of memory. */
app_batch_queue_t *app_loader_image_queue(gql_resolve_t *r);
/* Forgets the cached user after a write. */
void app_user_invalidate(app_worker_t *aw, const char *id);

int app_users_bind(gql_schema_t *schema, char *err, size_t errlen);
/* users_profile.c: updateProfile, settings, updateSettings, User.settings. */
int app_users_profile_bind(gql_schema_t *schema, char *err, size_t errlen);

#endif
