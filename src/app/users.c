/* Users in the API: me, user(id), the User type's private fields (only for
 * the user or an admin), settings, updateProfile, and the loaders: one user
 * through the read-through cache, or many batched into one $in query per
 * execution wave (DataLoader semantics). */
#include "app/users.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/batch.h"
#include "app/images.h"
#include "app/resolve.h"
#include "app/wallet.h"
#include "core/error.h"
#include "core/log.h"
#include "gql/json.h"
#include "store/users.h"

void app_user_json(facet_buf_t *b, const store_user_t *u)
{
    char at[32];
    app_iso_time(u->created_at, at);
    facet_buf_printf(b, "{\"id\":\"%s\",\"username\":", u->id);
    gql_json_write_string(b, u->username, strlen(u->username));
    facet_buf_append_str(b, ",\"displayName\":");
    if (u->display_name[0])
        gql_json_write_string(b, u->display_name, strlen(u->display_name));
    else
        facet_buf_append_str(b, "null");
    if (u->avatar[0])
        facet_buf_printf(b, ",\"avatar\":{\"id\":\"%s\"}", u->avatar);
    else
        facet_buf_append_str(b, ",\"avatar\":null");
    facet_buf_printf(b, ",\"createdAt\":\"%s\",\"email\":", at);
    gql_json_write_string(b, u->email, strlen(u->email));
    facet_buf_printf(b, ",\"role\":\"%s\"}", store_role_name(u->role));
}

/* ---- one user through the cache ---- */

static int fetch_user(mongoc_client_t *client, const char *db, const char *id, facet_buf_t *json)
{
    store_user_t u;
    store_error_t err;
    int rc = store_user_find(client, db, id, &u, &err);
    if (rc == FACET_OK)
        app_user_json(json, &u);
    return rc;
}

void app_user_resolve(gql_resolve_t *r, const char *id)
{
    app_entity_resolve(r, "user", id, fetch_user);
}

void app_user_invalidate(app_worker_t *aw, const char *id)
{
    cache_entity_invalidate(aw->entities, "user", id);
}

/* ---- many users and images, batched per wave ---- */

struct app_loader {
    app_batch_queue_t users;
    app_batch_queue_t images;
};

static int find_users(mongoc_client_t *client, const char *db, const char *const *ids, size_t n,
                      void *items, bool *found, store_error_t *err)
{
    return store_user_find_many(client, db, ids, n, items, found, err);
}

static void user_json(facet_buf_t *b, const void *item, const void *ud)
{
    (void)ud;
    app_user_json(b, item);
}

static const app_batch_kind_t USERS = {"user", sizeof(store_user_t), STORE_USERS_BATCH_MAX,
                                       find_users, user_json};

void app_loader_flush(void *context)
{
    app_exec_ctx_t *ctx = context;
    app_loader_t *l = ctx ? ctx->loader : NULL;
    if (!l)
        return;
    /* Taken out first: a completion may end the request and free l. While
     * user loads are pending, the request (and ctx) stays alive. */
    app_batch_queue_t users = l->users, images = l->images;
    memset(l, 0, sizeof *l);
    if (images.head)
        app_image_batch_flush(ctx, images);
    if (users.head)
        app_batch_flush(ctx, users, &USERS, NULL);
}

static app_loader_t *loader_of(gql_resolve_t *r)
{
    app_exec_ctx_t *ctx = app_ctx(r);
    if (!ctx->loader)
        ctx->loader = FACET_ARENA_NEW(gql_resolve_arena(r), app_loader_t);
    return ctx->loader;
}

app_batch_queue_t *app_loader_image_queue(gql_resolve_t *r)
{
    app_loader_t *l = loader_of(r);
    return l ? &l->images : NULL;
}

void app_user_load_batched(gql_resolve_t *r, const char *id)
{
    app_loader_t *l = loader_of(r);
    app_batch_add(r, l ? &l->users : NULL, id);
}

/* ---- the resolvers ---- */

static void query_me(gql_resolve_t *r)
{
    app_exec_ctx_t *ctx = app_ctx(r);
    if (!ctx->viewer.user_id[0]) {
        if (ctx->viewer.auth_error)
            return gql_resolve_fail(r, APP_CODE_UNAUTHENTICATED, "%s", ctx->viewer.auth_error);
        return gql_resolve_json(r, NULL);
    }
    app_user_resolve(r, ctx->viewer.user_id);
}

static void query_user(gql_resolve_t *r)
{
    const char *id = app_arg_str(r, gql_resolve_args(r), "id");
    app_user_resolve(r, id);
}

/* The private fields: the parent's member for its owner or an admin. */
static bool may_see(gql_resolve_t *r)
{
    const char *id = app_parent_str(r, "id");
    const gql_value_t *mark =
        gql_value_get(gql_resolve_parent_json(r), FACET_STR_LIT(APP_USER_OWNER_MARK));
    if (app_owner_or_admin(app_ctx(r), id) || (mark && mark->kind == GQL_V_BOOL && mark->u.b))
        return true;
    if (!app_ctx(r)->viewer.user_id[0])
        gql_resolve_fail(r, APP_CODE_UNAUTHENTICATED,
                         "Only the user or an admin may see this field; sign in.");
    else
        gql_resolve_fail(r, APP_CODE_FORBIDDEN, "Only the user or an admin may see this field.");
    return false;
}

static void private_member(gql_resolve_t *r)
{
    if (may_see(r))
        gql_resolve_json(r, gql_value_get(gql_resolve_parent_json(r), gql_resolve_field(r)->name));
}

static void user_wallet(gql_resolve_t *r)
{
    if (may_see(r))
        app_wallet_resolve_for(r, app_parent_str(r, "id"));
}

/* The user's JSON keeps the avatar as {"id": ...}; the Image is loaded
 * with the wave's other images. */
static void user_avatar(gql_resolve_t *r)
{
    const gql_value_t *avatar = gql_value_get(gql_resolve_parent_json(r), FACET_STR_LIT("avatar"));
    app_image_load_batched(r, app_arg_str(r, avatar, "id"));
}

int app_users_bind(gql_schema_t *schema, char *err, size_t errlen)
{
    static const app_binding_t bindings[] = {
        {"Query", "me", query_me},         {"Query", "user", query_user},
        {"User", "email", private_member}, {"User", "role", private_member},
        {"User", "wallet", user_wallet},   {"User", "avatar", user_avatar},
    };
    int rc = app_bind_all(schema, bindings, sizeof bindings / sizeof bindings[0], err, errlen);
    return rc ? rc : app_users_profile_bind(schema, err, errlen);
}
