/* Images in the API: uploadImage (base64 or URL in, libvips variants out,
 * moderated, stored under images/<ObjectId>/), deleteImage, image(id), the
 * Image type's computed fields, and the batched image loader behind
 * image(id) and User.avatar. */
#ifndef FACET_APP_IMAGES_H
#define FACET_APP_IMAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "app/batch.h"
#include "app/media.h"
#include "core/buf.h"
#include "gql/exec.h"
#include "gql/schema.h"
#include "store/images.h"

#define APP_CODE_CONTENT_REJECTED       "CONTENT_REJECTED"
#define APP_CODE_MODERATION_UNAVAILABLE "MODERATION_UNAVAILABLE"

/* ---- the API ---- */

/* Binds Query.image, Mutation.uploadImage, Mutation.deleteImage,
 * Image.url and Image.owner. */
int app_images_bind(gql_schema_t *schema, char *err, size_t errlen);

/* The Image JSON the resolvers complete with: the schema's plain fields,
 * every variant with its public URL, the moderation verdict, and the owner
 * id under "ownerId" (not a schema field: Image.owner loads the User). */
void app_image_json(facet_buf_t *b, const media_storage_t *storage, const store_image_t *img);

/* ---- the loader (images_load.c) ---- */

/* Queues r for the wave's image batch (completes it with null at once for
 * an id that is NULL or not an id). */
void app_image_load_batched(gql_resolve_t *r, const char *id);

/* Sends the wave's image loads (app_batch_flush with the image kind).
 * Called from app_loader_flush (users.c). */
void app_image_batch_flush(app_exec_ctx_t *ctx, app_batch_queue_t q);

/* ---- ingest (images_ingest.c): blocking, thread pool only ---- */

/* Where the bytes come from: exactly one of base64 (len bytes, borrowed,
 * standard or URL-safe alphabet, an optional "data:...;base64," prefix
 * ignored) and url (NUL-terminated). */
typedef struct app_image_source {
    const char *base64;
    size_t base64_len;
    const char *url;
} app_image_source_t;

typedef enum app_ingest_failure {
    APP_INGEST_OK = 0,
    APP_INGEST_BAD_INPUT,   /* the client's bytes or URL: BAD_USER_INPUT */
    APP_INGEST_REJECTED,    /* moderation said REJECTED: CONTENT_REJECTED */
    APP_INGEST_UNAVAILABLE, /* the moderation provider failed, on_error=fail */
    APP_INGEST_INTERNAL,    /* storage, encoder, memory: logged, masked */
} app_ingest_failure_t;

typedef struct app_ingest_error {
    app_ingest_failure_t kind;
    /* For the client (BAD_INPUT, REJECTED, UNAVAILABLE) or the log
     * (INTERNAL). */
    char message[512];
} app_ingest_error_t;

/* The whole upload but the database: reads the bytes (base64 decoded
 * within m->max_upload_bytes, or the URL fetched under the SSRF policy),
 * runs the libvips pipeline, moderates the JPEG rendition, and stores
 * every variant under images/<id>/<variant>.<ext> with its content type.
 * On success *out describes the image (id, owner, created_at as given) and
 * every object is stored. On failure returns the status and fills e;
 * nothing stays stored. Blocking. */
int app_image_ingest(const app_media_t *m, const app_image_source_t *src, const char *id,
                     const char *owner, int64_t now_ms, store_image_t *out, app_ingest_error_t *e);

/* Deletes the stored objects of img's variants; failures are logged (an
 * orphan object is harmless but worth knowing of). Blocking. */
void app_image_unstore(const app_media_t *m, const store_image_t *img);

#endif
