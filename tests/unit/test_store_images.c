/* Image documents against a live FerretDB/MongoDB (MONGODB_URI). */
#include <string.h>

#include "core/error.h"
#include "store/images.h"
#include "test_store_db.h"

#define OWNER "65a1b2c3d4e5f60718293a4b"
#define OTHER "65a1b2c3d4e5f60718293a4c"

static store_image_t sample(const char *owner)
{
    static store_image_t img; /* large: keep it off the stack */
    memset(&img, 0, sizeof img);
    store_id_new(img.id);
    snprintf(img.owner, sizeof img.owner, "%s", owner);
    img.width = 4000;
    img.height = 3000;
    snprintf(img.format, sizeof img.format, "jpeg");
    img.bytes = 5 * 1000 * 1000;
    const char *names[] = {"THUMB", "MEDIUM", "LARGE"};
    int edges[] = {160, 640, 1600};
    for (int i = 0; i < 3; i++) {
        store_image_variant_t *v = &img.variants[img.nvariants++];
        snprintf(v->variant, sizeof v->variant, "%s", names[i]);
        char id[STORE_ID_SIZE];
        memcpy(id, img.id, sizeof id);
        snprintf(v->key, sizeof v->key, "images/%s/%s.webp", id, names[i]);
        v->width = edges[i];
        v->height = edges[i] * 3 / 4;
        v->bytes = 1000 * (i + 1);
        snprintf(v->content_type, sizeof v->content_type, "image/webp");
    }
    img.moderation = STORE_MODERATION_REVIEW;
    snprintf(img.labels[0].name, sizeof img.labels[0].name, "Suggestive");
    img.labels[0].confidence = 61.5;
    snprintf(img.labels[1].name, sizeof img.labels[1].name, "Swimwear");
    snprintf(img.labels[1].parent_name, sizeof img.labels[1].parent_name, "Suggestive");
    img.labels[1].confidence = 58.25;
    img.nlabels = 2;
    img.created_at = 1700000000123;
    return img;
}

static void check_same(const store_image_t *a, const store_image_t *b)
{
    CHECK_EQ_STR(a->id, b->id);
    CHECK_EQ_STR(a->owner, b->owner);
    CHECK_EQ_INT(a->width, b->width);
    CHECK_EQ_INT(a->height, b->height);
    CHECK_EQ_STR(a->format, b->format);
    CHECK_EQ_INT(a->bytes, b->bytes);
    CHECK_EQ_INT(a->nvariants, b->nvariants);
    for (size_t i = 0; i < a->nvariants; i++) {
        CHECK_EQ_STR(a->variants[i].variant, b->variants[i].variant);
        CHECK_EQ_STR(a->variants[i].key, b->variants[i].key);
        CHECK_EQ_INT(a->variants[i].width, b->variants[i].width);
        CHECK_EQ_INT(a->variants[i].height, b->variants[i].height);
        CHECK_EQ_INT(a->variants[i].bytes, b->variants[i].bytes);
        CHECK_EQ_STR(a->variants[i].content_type, b->variants[i].content_type);
    }
    CHECK_EQ_INT(a->moderation, b->moderation);
    CHECK_EQ_INT(a->nlabels, b->nlabels);
    for (size_t i = 0; i < a->nlabels; i++) {
        CHECK_EQ_STR(a->labels[i].name, b->labels[i].name);
        CHECK_EQ_STR(a->labels[i].parent_name, b->labels[i].parent_name);
        CHECK(a->labels[i].confidence == b->labels[i].confidence);
    }
    CHECK_EQ_INT(a->created_at, b->created_at);
}

TEST(image_insert_find_round_trip)
{
    test_db_t t;
    test_db_open(&t, 1);
    store_image_t img = sample(OWNER);
    static store_image_t found;
    store_error_t err;
    CHECK_EQ_INT(store_image_insert(t.client, t.name, &img, &err), FACET_OK);
    CHECK_EQ_INT(store_image_find(t.client, t.name, img.id, &found, &err), FACET_OK);
    check_same(&img, &found);
    CHECK_EQ_STR(store_moderation_name(found.moderation), "REVIEW");
    CHECK_EQ_INT(store_image_insert(t.client, t.name, &img, &err), FACET_EEXIST);
    CHECK_EQ_INT(store_image_find(t.client, t.name, "0123456789abcdef01234567", &found, &err),
                 FACET_ENOTFOUND);
    CHECK_EQ_INT(store_image_find(t.client, t.name, "x", &found, &err), FACET_EINVAL);
    test_db_close(&t);
}

TEST(image_insert_checks_input)
{
    test_db_t t;
    test_db_open(&t, 1);
    store_image_t img = sample(OWNER);
    store_error_t err;
    img.nvariants = STORE_IMAGE_VARIANTS_MAX + 1;
    CHECK_EQ_INT(store_image_insert(t.client, t.name, &img, &err), FACET_EINVAL);
    img = sample("owner");
    CHECK_EQ_INT(store_image_insert(t.client, t.name, &img, &err), FACET_EINVAL);
    img = sample(OWNER);
    img.variants[1].key[0] = '\0';
    CHECK_EQ_INT(store_image_insert(t.client, t.name, &img, &err), FACET_EINVAL);
    img = sample(OWNER);
    memset(img.labels[0].name, 'x', sizeof img.labels[0].name); /* no NUL */
    CHECK_EQ_INT(store_image_insert(t.client, t.name, &img, &err), FACET_EINVAL);
    img = sample(OWNER);
    img.bytes = -1;
    CHECK_EQ_INT(store_image_insert(t.client, t.name, &img, &err), FACET_EINVAL);
    test_db_close(&t);
}

TEST(image_find_many_in_order)
{
    test_db_t t;
    test_db_open(&t, 1);
    char ids[3][STORE_ID_SIZE];
    store_error_t err;
    for (int i = 0; i < 3; i++) {
        store_image_t img = sample(OWNER);
        img.width = 100 + i;
        CHECK_EQ_INT(store_image_insert(t.client, t.name, &img, &err), FACET_OK);
        memcpy(ids[i], img.id, STORE_ID_SIZE);
    }
    const char *ask[] = {ids[2], "ffffffffffffffffffffffff", ids[0], ids[2], "bad"};
    static store_image_t out[5];
    bool found[5];
    CHECK_EQ_INT(store_image_find_many(t.client, t.name, ask, 5, out, found, &err), FACET_OK);
    CHECK(found[0] && !found[1] && found[2] && found[3] && !found[4]);
    CHECK_EQ_INT(out[0].width, 102);
    CHECK_EQ_INT(out[2].width, 100);
    CHECK_EQ_INT(out[3].width, 102);
    CHECK_EQ_INT(out[0].nvariants, 3);
    test_db_close(&t);
}

TEST(image_delete_by_owner_only)
{
    test_db_t t;
    test_db_open(&t, 1);
    store_image_t img = sample(OWNER);
    static store_image_t gone;
    store_error_t err;
    CHECK_EQ_INT(store_image_insert(t.client, t.name, &img, &err), FACET_OK);
    CHECK_EQ_INT(store_image_delete(t.client, t.name, img.id, OTHER, &gone, &err), FACET_ENOTFOUND);
    CHECK_EQ_INT(store_image_find(t.client, t.name, img.id, &gone, &err), FACET_OK);
    CHECK_EQ_INT(store_image_delete(t.client, t.name, img.id, OWNER, &gone, &err), FACET_OK);
    check_same(&img, &gone);
    CHECK_EQ_INT(store_image_find(t.client, t.name, img.id, &gone, &err), FACET_ENOTFOUND);
    CHECK_EQ_INT(store_image_delete(t.client, t.name, img.id, OWNER, &gone, &err), FACET_ENOTFOUND);
    test_db_close(&t);
}
