/* Image documents as the API's JSON, and the image loader: every image
 * asked for during one execution wave (image(id), User.avatar) is read with
 * one $in query once the wave has been dispatched (DataLoader semantics,
 * as app_user_load_batched does for users). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/batch.h"
#include "app/images.h"
#include "app/product.h"
#include "app/resolve.h"
#include "app/users.h"
#include "core/error.h"
#include "core/log.h"
#include "gql/json.h"

/* ---- JSON ---- */

static void write_str(facet_buf_t *b, const char *s)
{
    gql_json_write_string(b, s, strlen(s));
}

static void write_variant(facet_buf_t *b, const media_storage_t *storage,
                          const store_image_variant_t *v)
{
    facet_buf_append_str(b, "{\"variant\":");
    write_str(b, v->variant);
    facet_buf_append_str(b, ",\"url\":");
    facet_buf_t url;
    facet_buf_init(&url, 0);
    if (media_storage_public_url(storage, v->key, &url) == FACET_OK)
        gql_json_write_string(b, url.base, url.len);
    else
        facet_buf_append_str(b, "null");
    facet_buf_free(&url);
    facet_buf_printf(b, ",\"width\":%d,\"height\":%d,\"bytes\":%lld}", v->width, v->height,
                     (long long)v->bytes);
}

static void write_label(facet_buf_t *b, const store_image_label_t *l)
{
    facet_buf_append_str(b, "{\"name\":");
    write_str(b, l->name);
    facet_buf_append_str(b, ",\"parentName\":");
    if (l->parent_name[0])
        write_str(b, l->parent_name);
    else
        facet_buf_append_str(b, "null");
    facet_buf_append_str(b, ",\"confidence\":");
    gql_json_write_number(b, l->confidence);
    facet_buf_append_str(b, "}");
}

void app_image_json(facet_buf_t *b, const media_storage_t *storage, const store_image_t *img)
{
    char at[32];
    app_iso_time(img->created_at, at);
    facet_buf_printf(b, "{\"id\":\"%s\",\"ownerId\":\"%s\",\"width\":%d,\"height\":%d,\"format\":",
                     img->id, img->owner, img->width, img->height);
    write_str(b, img->format);
    facet_buf_printf(b, ",\"bytes\":%lld,\"createdAt\":\"%s\",\"variants\":[",
                     (long long)img->bytes, at);
    for (size_t i = 0; i < img->nvariants; i++) {
        if (i)
            facet_buf_append_str(b, ",");
        write_variant(b, storage, &img->variants[i]);
    }
    facet_buf_printf(b, "],\"moderation\":{\"status\":\"%s\",\"labels\":[",
                     store_moderation_name(img->moderation));
    for (size_t i = 0; i < img->nlabels; i++) {
        if (i)
            facet_buf_append_str(b, ",");
        write_label(b, &img->labels[i]);
    }
    facet_buf_append_str(b, "]}}");
}

/* ---- the loader ---- */

static int find_images(mongoc_client_t *client, const char *db, const char *const *ids, size_t n,
                       void *items, bool *found, store_error_t *err)
{
    return store_image_find_many(client, db, ids, n, items, found, err);
}

static void image_json(facet_buf_t *b, const void *item, const void *storage)
{
    app_image_json(b, storage, item);
}

static const app_batch_kind_t IMAGES = {"image", sizeof(store_image_t), STORE_IMAGE_BATCH_MAX,
                                        find_images, image_json};

void app_image_batch_flush(app_exec_ctx_t *ctx, app_batch_queue_t q)
{
    app_batch_flush(ctx, q, &IMAGES, ctx->app->product->media->storage);
}

void app_image_load_batched(gql_resolve_t *r, const char *id)
{
    app_batch_add(r, app_loader_image_queue(r), id);
}
