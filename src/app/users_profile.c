/* Profile and settings: updateProfile, settings, updateSettings and
 * User.settings (the user's own, or any for an admin). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/resolve.h"
#include "app/users.h"
#include "core/error.h"
#include "gql/json.h"
#include "store/images.h"
#include "store/users.h"

/* ---- settings ---- */

typedef struct settings_job {
    gql_resolve_t *r;
    char id[STORE_ID_SIZE];
    char *patch; /* NULL: read */
    size_t patch_len;
    char *json;
    size_t len;
    store_error_t err;
} settings_job_t;

static int settings_work(mongoc_client_t *client, const char *db, void *ud)
{
    settings_job_t *j = ud;
    if (!j->patch)
        return store_user_settings_get(client, db, j->id, &j->json, &j->len, &j->err);
    return store_user_settings_update(client, db, j->id, j->patch, j->patch_len,
                                      STORE_SETTINGS_MERGE, store_now_ms(), &j->json, &j->len,
                                      &j->err);
}

static void settings_done(int status, void *ud)
{
    settings_job_t *j = ud;
    if (status == FACET_OK)
        app_resolve_json_text(j->r, j->json, j->len);
    else if (status == FACET_EINVAL || status == FACET_ELIMIT)
        gql_resolve_fail(j->r, APP_CODE_BAD_USER_INPUT, "%s", j->err.message);
    else if (status == FACET_ENOTFOUND)
        gql_resolve_json(j->r, NULL);
    else
        app_fail_internal(j->r, "settings failed: %s", j->err.message);
    free(j->json);
    free(j->patch);
    free(j);
}

static void settings_for(gql_resolve_t *r, const char *id, const gql_value_t *patch)
{
    settings_job_t *j = calloc(1, sizeof *j);
    if (!j)
        return app_fail_internal(r, "out of memory");
    j->r = r;
    snprintf(j->id, sizeof j->id, "%s", id);
    if (patch) {
        facet_buf_t b;
        facet_buf_init(&b, 0);
        gql_json_write_value(&b, patch);
        j->patch = b.base; /* the job owns the buffer's memory now */
        j->patch_len = b.len;
        if (!j->patch) {
            free(j);
            return app_fail_internal(r, "out of memory");
        }
    }
    if (!app_db(r, settings_work, settings_done, j)) {
        free(j->patch);
        free(j);
    }
}

static void query_settings(gql_resolve_t *r)
{
    if (app_require_user(r))
        settings_for(r, app_ctx(r)->viewer.user_id, NULL);
}

static void user_settings(gql_resolve_t *r)
{
    const char *id = app_parent_str(r, "id");
    app_exec_ctx_t *ctx = app_ctx(r);
    if (!app_owner_or_admin(ctx, id))
        return gql_resolve_fail(
            r, ctx->viewer.user_id[0] ? APP_CODE_FORBIDDEN : APP_CODE_UNAUTHENTICATED,
            "Only the user or an admin may see this field.");
    settings_for(r, id, NULL);
}

static void update_settings(gql_resolve_t *r)
{
    if (!app_require_user(r))
        return;
    const gql_value_t *s = gql_resolve_arg(r, "settings");
    if (!s || s->kind != GQL_V_OBJECT)
        return gql_resolve_fail(r, APP_CODE_BAD_USER_INPUT, "settings must be a JSON object.");
    settings_for(r, app_ctx(r)->viewer.user_id, s);
}

/* ---- updateProfile ---- */

typedef struct profile_job {
    gql_resolve_t *r;
    app_worker_t *aw;
    char id[STORE_ID_SIZE];
    char *display_name;
    bool set_avatar;
    char avatar[STORE_ID_SIZE];
    store_user_t user;
    store_error_t err;
    bool not_owner;
} profile_job_t;

static int profile_work(mongoc_client_t *client, const char *db, void *ud)
{
    profile_job_t *j = ud;
    if (j->set_avatar && j->avatar[0]) {
        store_image_t img;
        int rc = store_image_find(client, db, j->avatar, &img, &j->err);
        if (rc == FACET_OK && strcmp(img.owner, j->id) != 0)
            rc = FACET_ENOTFOUND;
        if (rc == FACET_ENOTFOUND)
            j->not_owner = true;
        if (rc != FACET_OK)
            return rc;
    }
    store_profile_update_t u = {.display_name = j->display_name,
                                .set_avatar = j->set_avatar,
                                .avatar = j->avatar[0] ? j->avatar : NULL};
    return store_user_update_profile(client, db, j->id, &u, store_now_ms(), &j->user, &j->err);
}

static void profile_done(int status, void *ud)
{
    profile_job_t *j = ud;
    if (status == FACET_OK) {
        app_user_invalidate(j->aw, j->id);
        facet_buf_t b;
        facet_buf_init(&b, 0);
        app_user_json(&b, &j->user);
        app_resolve_json_text(j->r, b.base, b.len);
        facet_buf_free(&b);
    } else if (j->not_owner) {
        gql_resolve_fail(j->r, APP_CODE_BAD_USER_INPUT,
                         "avatarImageId must be an image you uploaded.");
    } else if (status == FACET_EINVAL || status == FACET_ELIMIT) {
        gql_resolve_fail(j->r, APP_CODE_BAD_USER_INPUT, "%s", j->err.message);
    } else {
        app_fail_internal(j->r, "profile update failed: %s", j->err.message);
    }
    free(j->display_name);
    free(j);
}

static void update_profile(gql_resolve_t *r)
{
    if (!app_require_user(r))
        return;
    app_exec_ctx_t *ctx = app_ctx(r);
    const gql_value_t *in = gql_resolve_arg(r, "input");
    profile_job_t *j = calloc(1, sizeof *j);
    if (!j)
        return app_fail_internal(r, "out of memory");
    j->r = r;
    j->aw = ctx->aw;
    snprintf(j->id, sizeof j->id, "%s", ctx->viewer.user_id);
    const gql_value_t *dn = gql_value_get(in, FACET_STR_LIT("displayName"));
    if (dn)
        j->display_name = strdup(dn->kind == GQL_V_STRING ? app_arg_str(r, in, "displayName") : "");
    const gql_value_t *av = gql_value_get(in, FACET_STR_LIT("avatarImageId"));
    if (av) {
        j->set_avatar = true;
        const char *id = app_arg_str(r, in, "avatarImageId");
        if (id && !store_id_valid(id)) {
            free(j->display_name);
            free(j);
            return gql_resolve_fail(r, APP_CODE_BAD_USER_INPUT, "avatarImageId is not an id.");
        }
        snprintf(j->avatar, sizeof j->avatar, "%s", id ? id : "");
    }
    if (!app_db(r, profile_work, profile_done, j)) {
        free(j->display_name);
        free(j);
    }
}

int app_users_profile_bind(gql_schema_t *schema, char *err, size_t errlen)
{
    static const app_binding_t bindings[] = {
        {"Query", "settings", query_settings},
        {"User", "settings", user_settings},
        {"Mutation", "updateSettings", update_settings},
        {"Mutation", "updateProfile", update_profile},
    };
    return app_bind_all(schema, bindings, sizeof bindings / sizeof bindings[0], err, errlen);
}
