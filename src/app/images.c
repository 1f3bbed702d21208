/* The image resolvers: uploadImage (the ingest pipeline and the insert on
 * the thread pool, the stored objects removed again when the insert
 * fails), deleteImage for the owner, image(id), Image.url and Image.owner. */
#include "app/images.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/product.h"
#include "app/resolve.h"
#include "app/users.h"
#include "core/error.h"
#include "gql/json.h"

#define URL_MAX 8192

static const app_media_t *media_of(gql_resolve_t *r)
{
    return app_ctx(r)->app->product->media;
}

/* ---- uploadImage ---- */

typedef struct upload_job {
    gql_resolve_t *r;
    store_mongo_t *mongo;
    const app_media_t *media;
    app_image_source_t src; /* strings in the request arena, alive while r is pending */
    char owner[STORE_ID_SIZE];
    int status;
    app_ingest_error_t err;
    store_image_t image;
} upload_job_t;

static void upload_work(void *ud)
{
    upload_job_t *j = ud;
    char id[STORE_ID_SIZE];
    store_id_new(id);
    j->status =
        app_image_ingest(j->media, &j->src, id, j->owner, store_now_ms(), &j->image, &j->err);
    if (j->status != FACET_OK)
        return;
    mongoc_client_t *client = store_mongo_pop(j->mongo);
    store_error_t e;
    j->status = store_image_insert(client, store_mongo_database(j->mongo), &j->image, &e);
    store_mongo_push(j->mongo, client);
    if (j->status != FACET_OK) {
        app_image_unstore(j->media, &j->image);
        j->err.kind = APP_INGEST_INTERNAL;
        snprintf(j->err.message, sizeof j->err.message, "image insert failed: %s", e.message);
    }
}

static void upload_done(void *ud, int status)
{
    upload_job_t *j = ud;
    gql_resolve_t *r = j->r;
    if (status != FACET_OK) {
        app_fail_internal(r, "image upload job did not run");
    } else if (j->status == FACET_OK) {
        facet_buf_t b;
        facet_buf_init(&b, 0);
        app_image_json(&b, j->media->storage, &j->image);
        app_resolve_json_text(r, b.base, b.len);
        facet_buf_free(&b);
    } else if (j->err.kind == APP_INGEST_BAD_INPUT) {
        gql_resolve_fail(r, APP_CODE_BAD_USER_INPUT, "%s", j->err.message);
    } else if (j->err.kind == APP_INGEST_REJECTED) {
        gql_resolve_fail(r, APP_CODE_CONTENT_REJECTED, "%s", j->err.message);
    } else if (j->err.kind == APP_INGEST_UNAVAILABLE) {
        gql_resolve_fail(r, APP_CODE_MODERATION_UNAVAILABLE, "%s", j->err.message);
    } else {
        app_fail_internal(r, "%s", j->err.message[0] ? j->err.message : "image upload failed");
    }
    free(j);
}

/* Reads the @oneOf input; false (r failed) when it is unusable. */
static bool upload_source(gql_resolve_t *r, const app_media_t *m, app_image_source_t *src)
{
    const gql_value_t *in = gql_resolve_arg(r, "input");
    const gql_value_t *b64 = gql_value_get(in, FACET_STR_LIT("base64"));
    memset(src, 0, sizeof *src);
    if (b64 && b64->kind == GQL_V_STRING) {
        /* Cheap bound before any work: 4 characters per 3 bytes, plus room
         * for a data: URL prefix. */
        if (b64->u.s.len / 4 > m->max_upload_bytes / 3 + 64) {
            gql_resolve_fail(r, APP_CODE_BAD_USER_INPUT,
                             "base64: the image is larger than %llu bytes once decoded",
                             (unsigned long long)m->max_upload_bytes);
            return false;
        }
        src->base64 = b64->u.s.base;
        src->base64_len = b64->u.s.len;
        return true;
    }
    src->url = app_arg_str(r, in, "url");
    if (!src->url) {
        gql_resolve_fail(r, APP_CODE_BAD_USER_INPUT, "Give exactly one of url and base64.");
        return false;
    }
    if (strlen(src->url) > URL_MAX) {
        gql_resolve_fail(r, APP_CODE_BAD_USER_INPUT, "url: longer than %d bytes", URL_MAX);
        return false;
    }
    return true;
}

static void upload_image(gql_resolve_t *r)
{
    if (!app_require_user(r))
        return;
    app_exec_ctx_t *ctx = app_ctx(r);
    const app_media_t *m = media_of(r);
    upload_job_t *j = calloc(1, sizeof *j);
    if (!j)
        return app_fail_internal(r, "out of memory");
    if (!upload_source(r, m, &j->src)) {
        free(j);
        return;
    }
    j->r = r;
    j->mongo = ctx->app->mongo;
    j->media = m;
    snprintf(j->owner, sizeof j->owner, "%s", ctx->viewer.user_id);
    int rc = app_blocking(ctx->aw->loop, upload_work, upload_done, j);
    if (rc != FACET_OK) {
        free(j);
        app_fail_internal(r, "cannot queue the image upload: %s", facet_strerror(rc));
    }
}

/* ---- deleteImage ---- */

typedef struct delete_job {
    gql_resolve_t *r;
    const app_media_t *media;
    char id[STORE_ID_SIZE];
    char viewer[STORE_ID_SIZE];
    bool deleted;
    bool forbidden;
    store_image_t image;
    store_error_t err;
} delete_job_t;

static int delete_work(mongoc_client_t *client, const char *db, void *ud)
{
    delete_job_t *j = ud;
    int rc = store_image_find(client, db, j->id, &j->image, &j->err);
    if (rc == FACET_ENOTFOUND)
        return FACET_OK;
    if (rc != FACET_OK)
        return rc;
    if (strcmp(j->image.owner, j->viewer) != 0) {
        j->forbidden = true;
        return FACET_OK;
    }
    rc = store_image_delete(client, db, j->id, j->viewer, &j->image, &j->err);
    if (rc == FACET_ENOTFOUND) /* deleted meanwhile */
        return FACET_OK;
    if (rc != FACET_OK)
        return rc;
    /* The document is gone first, so no API answer points at objects being
     * removed; an object that cannot be removed is logged. */
    app_image_unstore(j->media, &j->image);
    j->deleted = true;
    return FACET_OK;
}

static void delete_done(int status, void *ud)
{
    delete_job_t *j = ud;
    if (status != FACET_OK)
        app_fail_internal(j->r, "image delete failed: %s",
                          j->err.message[0] ? j->err.message : facet_strerror(status));
    else if (j->forbidden)
        gql_resolve_fail(j->r, APP_CODE_FORBIDDEN, "Only the image's owner may delete it.");
    else
        gql_resolve_json(j->r, j->deleted ? &gql_value_true : &gql_value_false);
    free(j);
}

static void delete_image(gql_resolve_t *r)
{
    if (!app_require_user(r))
        return;
    const char *id = app_arg_str(r, gql_resolve_args(r), "id");
    if (!id || !store_id_valid(id))
        return gql_resolve_json(r, &gql_value_false);
    delete_job_t *j = calloc(1, sizeof *j);
    if (!j)
        return app_fail_internal(r, "out of memory");
    j->r = r;
    j->media = media_of(r);
    snprintf(j->id, sizeof j->id, "%s", id);
    snprintf(j->viewer, sizeof j->viewer, "%s", app_ctx(r)->viewer.user_id);
    if (!app_db(r, delete_work, delete_done, j))
        free(j);
}

/* ---- reads ---- */

static void query_image(gql_resolve_t *r)
{
    app_image_load_batched(r, app_arg_str(r, gql_resolve_args(r), "id"));
}

static int variant_rank(facet_str_t name)
{
    static const char *const names[] = {"THUMB", "MEDIUM", "LARGE"};
    for (int i = 0; i < 3; i++) {
        if (facet_str_eq(name, facet_str_c(names[i])))
            return i;
    }
    return -1;
}

/* The URL of the variant asked for or, when that one was not made (its
 * edge configured to 0), of the nearest one, the larger on a tie. */
static void image_url(gql_resolve_t *r)
{
    const char *want = app_arg_str(r, gql_resolve_args(r), "variant");
    int target = variant_rank(facet_str_c(want ? want : "MEDIUM"));
    const gql_value_t *list = gql_value_get(gql_resolve_parent_json(r), FACET_STR_LIT("variants"));
    const gql_value_t *best = NULL;
    int best_dist = 99, best_rank = -1;
    for (size_t i = 0; list && list->kind == GQL_V_LIST && i < list->u.list.n; i++) {
        const gql_value_t *v = list->u.list.items[i];
        const gql_value_t *name = gql_value_get(v, FACET_STR_LIT("variant"));
        const gql_value_t *url = gql_value_get(v, FACET_STR_LIT("url"));
        if (!name || name->kind != GQL_V_STRING || !url || url->kind != GQL_V_STRING)
            continue;
        int rank = variant_rank(name->u.s);
        int dist = abs(rank - target);
        if (rank >= 0 && (dist < best_dist || (dist == best_dist && rank > best_rank))) {
            best = url;
            best_dist = dist;
            best_rank = rank;
        }
    }
    if (!best)
        return app_fail_internal(r, "image %s has no variant", app_parent_str(r, "id"));
    gql_resolve_json(r, best);
}

static void image_owner(gql_resolve_t *r)
{
    app_user_load_batched(r, app_parent_str(r, "ownerId"));
}

int app_images_bind(gql_schema_t *schema, char *err, size_t errlen)
{
    static const app_binding_t bindings[] = {
        {"Query", "image", query_image},           {"Mutation", "uploadImage", upload_image},
        {"Mutation", "deleteImage", delete_image}, {"Image", "url", image_url},
        {"Image", "owner", image_owner},
    };
    return app_bind_all(schema, bindings, sizeof bindings / sizeof bindings[0], err, errlen);
}
