/* Image documents (`images` collection): what the pipeline produced for an
 * upload (its variants and their storage keys) and the moderation verdict.
 * The id is chosen before the upload (store_id_new) so that storage keys
 * can carry it.
 *
 * Synchronous and blocking (run on the thread pool); thread-safe. Times in
 * milliseconds since the epoch. */
#ifndef FACET_STORE_IMAGES_H
#define FACET_STORE_IMAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/doc.h"

typedef struct _mongoc_client_t mongoc_client_t;

#define STORE_IMAGE_VARIANTS_MAX 8
#define STORE_IMAGE_LABELS_MAX   32
#define STORE_IMAGE_BATCH_MAX    1000
/* String sizes with the NUL. */
#define STORE_IMAGE_NAME_SIZE  16  /* variant and format names: "THUMB", "webp" */
#define STORE_IMAGE_KEY_SIZE   256 /* storage keys */
#define STORE_IMAGE_TYPE_SIZE  64  /* content types */
#define STORE_IMAGE_LABEL_SIZE 128 /* moderation label names */

typedef enum store_moderation {
    STORE_MODERATION_APPROVED = 0,
    STORE_MODERATION_REJECTED,
    STORE_MODERATION_REVIEW,
} store_moderation_t;

/* "APPROVED", "REJECTED" or "REVIEW". */
const char *store_moderation_name(store_moderation_t status);

typedef struct store_image_variant {
    char variant[STORE_IMAGE_NAME_SIZE]; /* THUMB, MEDIUM, LARGE */
    char key[STORE_IMAGE_KEY_SIZE];      /* images/<id>/<variant>.<ext> */
    int width;
    int height;
    int64_t bytes;
    char content_type[STORE_IMAGE_TYPE_SIZE];
} store_image_variant_t;

typedef struct store_image_label {
    char name[STORE_IMAGE_LABEL_SIZE];
    char parent_name[STORE_IMAGE_LABEL_SIZE]; /* "" for a top-level label */
    double confidence;                        /* 0..100 */
} store_image_label_t;

typedef struct store_image {
    char id[STORE_ID_SIZE];
    char owner[STORE_ID_SIZE];
    int width; /* of the (auto-oriented) original */
    int height;
    char format[STORE_IMAGE_NAME_SIZE]; /* of the original: jpeg, png, ... */
    int64_t bytes;                      /* of the original */
    store_image_variant_t variants[STORE_IMAGE_VARIANTS_MAX];
    size_t nvariants;
    store_moderation_t moderation;
    store_image_label_t labels[STORE_IMAGE_LABELS_MAX];
    size_t nlabels;
    int64_t created_at;
} store_image_t;

/* Inserts img as given (id and owner must be ids; strings must fit and be
 * UTF-8; counts within the limits; sizes not negative): FACET_EINVAL
 * otherwise, FACET_EEXIST when the id is taken. */
int store_image_insert(mongoc_client_t *client, const char *db, const store_image_t *img,
                       store_error_t *err);

/* By id. FACET_ENOTFOUND when absent, FACET_EINVAL for a bad id. */
int store_image_find(mongoc_client_t *client, const char *db, const char *id, store_image_t *out,
                     store_error_t *err);

/* n images with one query: out[i] and found[i] answer ids[i] (arrays of n,
 * caller-owned); absent or invalid ids get found[i] = false. n above
 * STORE_IMAGE_BATCH_MAX is FACET_ELIMIT. */
int store_image_find_many(mongoc_client_t *client, const char *db, const char *const *ids, size_t n,
                          store_image_t *out, bool *found, store_error_t *err);

/* Deletes the image if owner owns it and fills out with what was deleted,
 * so the caller can remove the stored objects. FACET_ENOTFOUND when there
 * is no such image of this owner. */
int store_image_delete(mongoc_client_t *client, const char *db, const char *id, const char *owner,
                       store_image_t *out, store_error_t *err);

#endif
