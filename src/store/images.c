/* Image documents to and from store_image_t. */
#include "store/images.h"

#include <mongoc/mongoc.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"

#define COLLECTION "images"

const char *store_moderation_name(store_moderation_t status)
{
    switch (status) {
    case STORE_MODERATION_REJECTED:
        return "REJECTED";
    case STORE_MODERATION_REVIEW:
        return "REVIEW";
    default:
        return "APPROVED";
    }
}

static store_moderation_t moderation_from(const char *name)
{
    if (name && strcmp(name, "REJECTED") == 0)
        return STORE_MODERATION_REJECTED;
    if (name && strcmp(name, "APPROVED") == 0)
        return STORE_MODERATION_APPROVED;
    /* Anything unknown is held back rather than shown. */
    return STORE_MODERATION_REVIEW;
}

/* ---- validation ---- */

/* s must be NUL-terminated within cap bytes and valid UTF-8. */
static bool text_ok(const char *s, size_t cap, bool required)
{
    size_t len = strnlen(s, cap);
    return len < cap && (!required || len > 0) && store_utf8_ok(s, len);
}

static int check(const store_image_t *img, store_error_t *err)
{
    if (!store_id_valid(img->id) || !store_id_valid(img->owner))
        return store_error_set(err, FACET_EINVAL, "image id and owner must be ids");
    if (img->width < 0 || img->height < 0 || img->bytes < 0 ||
        !text_ok(img->format, sizeof img->format, true))
        return store_error_set(err, FACET_EINVAL, "bad image size or format");
    if (img->nvariants > STORE_IMAGE_VARIANTS_MAX || img->nlabels > STORE_IMAGE_LABELS_MAX)
        return store_error_set(err, FACET_EINVAL, "too many variants or labels");
    if ((unsigned)img->moderation > STORE_MODERATION_REVIEW)
        return store_error_set(err, FACET_EINVAL, "unknown moderation status");
    for (size_t i = 0; i < img->nvariants; i++) {
        const store_image_variant_t *v = &img->variants[i];
        if (!text_ok(v->variant, sizeof v->variant, true) ||
            !text_ok(v->key, sizeof v->key, true) ||
            !text_ok(v->content_type, sizeof v->content_type, true) || v->width < 0 ||
            v->height < 0 || v->bytes < 0)
            return store_error_set(err, FACET_EINVAL, "variant %zu is incomplete", i);
    }
    for (size_t i = 0; i < img->nlabels; i++) {
        const store_image_label_t *l = &img->labels[i];
        if (!text_ok(l->name, sizeof l->name, true) ||
            !text_ok(l->parent_name, sizeof l->parent_name, false))
            return store_error_set(err, FACET_EINVAL, "label %zu is incomplete", i);
    }
    return FACET_OK;
}

/* ---- to and from documents ---- */

static const char *index_key(size_t i, char *buf, size_t cap)
{
    const char *key;
    bson_uint32_to_string((uint32_t)i, &key, buf, cap);
    return key;
}

static void build(bson_t *doc, const store_image_t *img)
{
    bson_oid_t oid;
    bson_t list, item, mod;
    char buf[16];
    bson_init(doc);
    store_oid_parse_c(img->id, &oid);
    BSON_APPEND_OID(doc, "_id", &oid);
    store_oid_parse_c(img->owner, &oid);
    BSON_APPEND_OID(doc, "owner", &oid);
    BSON_APPEND_INT32(doc, "width", img->width);
    BSON_APPEND_INT32(doc, "height", img->height);
    BSON_APPEND_UTF8(doc, "format", img->format);
    BSON_APPEND_INT64(doc, "bytes", img->bytes);
    BSON_APPEND_ARRAY_BEGIN(doc, "variants", &list);
    for (size_t i = 0; i < img->nvariants; i++) {
        const store_image_variant_t *v = &img->variants[i];
        const char *key = index_key(i, buf, sizeof buf);
        BSON_APPEND_DOCUMENT_BEGIN(&list, key, &item);
        BSON_APPEND_UTF8(&item, "variant", v->variant);
        BSON_APPEND_UTF8(&item, "key", v->key);
        BSON_APPEND_INT32(&item, "width", v->width);
        BSON_APPEND_INT32(&item, "height", v->height);
        BSON_APPEND_INT64(&item, "bytes", v->bytes);
        BSON_APPEND_UTF8(&item, "contentType", v->content_type);
        bson_append_document_end(&list, &item);
    }
    bson_append_array_end(doc, &list);
    BSON_APPEND_DOCUMENT_BEGIN(doc, "moderation", &mod);
    BSON_APPEND_UTF8(&mod, "status", store_moderation_name(img->moderation));
    BSON_APPEND_ARRAY_BEGIN(&mod, "labels", &list);
    for (size_t i = 0; i < img->nlabels; i++) {
        const store_image_label_t *l = &img->labels[i];
        const char *key = index_key(i, buf, sizeof buf);
        BSON_APPEND_DOCUMENT_BEGIN(&list, key, &item);
        BSON_APPEND_UTF8(&item, "name", l->name);
        if (l->parent_name[0])
            BSON_APPEND_UTF8(&item, "parentName", l->parent_name);
        else
            BSON_APPEND_NULL(&item, "parentName");
        BSON_APPEND_DOUBLE(&item, "confidence", l->confidence);
        bson_append_document_end(&list, &item);
    }
    bson_append_array_end(&mod, &list);
    bson_append_document_end(doc, &mod);
    BSON_APPEND_DATE_TIME(doc, "createdAt", img->created_at);
}

/* Calls fn for each document in the array or document at key. */
static void each(const bson_t *doc, const char *key, void (*fn)(const bson_t *, void *), void *ud)
{
    bson_iter_t it, child;
    if (!bson_iter_init_find(&it, doc, key) ||
        !(BSON_ITER_HOLDS_ARRAY(&it) || BSON_ITER_HOLDS_DOCUMENT(&it)) ||
        !bson_iter_recurse(&it, &child))
        return;
    bson_t sub;
    if (BSON_ITER_HOLDS_DOCUMENT(&it)) {
        if (store_iter_document(&it, &sub))
            fn(&sub, ud);
        return;
    }
    while (bson_iter_next(&child)) {
        if (store_iter_document(&child, &sub))
            fn(&sub, ud);
    }
}

static void parse_variant(const bson_t *doc, void *ud)
{
    store_image_t *img = ud;
    if (img->nvariants == STORE_IMAGE_VARIANTS_MAX)
        return;
    store_image_variant_t *v = &img->variants[img->nvariants++];
    store_doc_copy_str(doc, "variant", v->variant, sizeof v->variant);
    store_doc_copy_str(doc, "key", v->key, sizeof v->key);
    v->width = (int)store_doc_int(doc, "width", 0);
    v->height = (int)store_doc_int(doc, "height", 0);
    v->bytes = store_doc_int(doc, "bytes", 0);
    store_doc_copy_str(doc, "contentType", v->content_type, sizeof v->content_type);
}

static void parse_label(const bson_t *doc, void *ud)
{
    store_image_t *img = ud;
    if (img->nlabels == STORE_IMAGE_LABELS_MAX)
        return;
    store_image_label_t *l = &img->labels[img->nlabels++];
    store_doc_copy_str(doc, "name", l->name, sizeof l->name);
    store_doc_copy_str(doc, "parentName", l->parent_name, sizeof l->parent_name);
    l->confidence = store_doc_double(doc, "confidence", 0);
}

static void parse_moderation(const bson_t *doc, void *ud)
{
    store_image_t *img = ud;
    img->moderation = moderation_from(store_doc_str(doc, "status", NULL));
    each(doc, "labels", parse_label, img);
}

static void parse(const bson_t *doc, store_image_t *out)
{
    memset(out, 0, sizeof *out);
    out->moderation = STORE_MODERATION_REVIEW;
    store_doc_oid_text(doc, "_id", out->id);
    store_doc_oid_text(doc, "owner", out->owner);
    out->width = (int)store_doc_int(doc, "width", 0);
    out->height = (int)store_doc_int(doc, "height", 0);
    store_doc_copy_str(doc, "format", out->format, sizeof out->format);
    out->bytes = store_doc_int(doc, "bytes", 0);
    each(doc, "variants", parse_variant, out);
    each(doc, "moderation", parse_moderation, out);
    out->created_at = store_doc_date(doc, "createdAt", 0);
}

/* ---- operations ---- */

static void take_one(const bson_t *doc, void *ud)
{
    parse(doc, ud);
}

int store_image_insert(mongoc_client_t *client, const char *db, const store_image_t *img,
                       store_error_t *err)
{
    store_error_clear(err);
    int rc = check(img, err);
    if (rc != FACET_OK)
        return rc;
    bson_t doc;
    build(&doc, img);
    mongoc_collection_t *coll = mongoc_client_get_collection(client, db, COLLECTION);
    bson_t reply;
    bson_error_t error;
    if (!mongoc_collection_insert_one(coll, &doc, NULL, &reply, &error))
        rc = store_error_from(&error, &reply, err);
    bson_destroy(&reply);
    mongoc_collection_destroy(coll);
    bson_destroy(&doc);
    return rc;
}

int store_image_find(mongoc_client_t *client, const char *db, const char *id, store_image_t *out,
                     store_error_t *err)
{
    store_error_clear(err);
    bson_oid_t oid;
    if (store_oid_parse_c(id, &oid) != FACET_OK)
        return store_error_set(err, FACET_EINVAL, "not an image id");
    mongoc_collection_t *coll = mongoc_client_get_collection(client, db, COLLECTION);
    bson_t *filter = BCON_NEW("_id", BCON_OID(&oid));
    int rc = store_find_one_take(coll, filter, NULL, take_one, out, "no such image", err);
    bson_destroy(filter);
    mongoc_collection_destroy(coll);
    return rc;
}

static void take_image(const bson_t *doc, size_t i, void *ud)
{
    parse(doc, (store_image_t *)ud + i);
}

int store_image_find_many(mongoc_client_t *client, const char *db, const char *const *ids, size_t n,
                          store_image_t *out, bool *found, store_error_t *err)
{
    store_error_clear(err);
    if (n > STORE_IMAGE_BATCH_MAX)
        return store_error_set(err, FACET_ELIMIT, "more than %d ids in one batch",
                               STORE_IMAGE_BATCH_MAX);
    mongoc_collection_t *coll = mongoc_client_get_collection(client, db, COLLECTION);
    int rc = store_find_by_ids(coll, NULL, ids, n, found, take_image, out, err);
    mongoc_collection_destroy(coll);
    return rc;
}

int store_image_delete(mongoc_client_t *client, const char *db, const char *id, const char *owner,
                       store_image_t *out, store_error_t *err)
{
    store_error_clear(err);
    bson_oid_t oid, own;
    if (store_oid_parse_c(id, &oid) != FACET_OK || store_oid_parse_c(owner, &own) != FACET_OK)
        return store_error_set(err, FACET_EINVAL, "not an image or owner id");
    mongoc_collection_t *coll = mongoc_client_get_collection(client, db, COLLECTION);
    bson_t *filter = BCON_NEW("_id", BCON_OID(&oid), "owner", BCON_OID(&own));
    mongoc_find_and_modify_opts_t *opts = mongoc_find_and_modify_opts_new();
    mongoc_find_and_modify_opts_set_flags(opts, MONGOC_FIND_AND_MODIFY_REMOVE);
    int rc = store_find_and_modify(coll, filter, opts, take_one, out, "no such image of this owner",
                                   err);
    mongoc_find_and_modify_opts_destroy(opts);
    bson_destroy(filter);
    mongoc_collection_destroy(coll);
    return rc;
}
