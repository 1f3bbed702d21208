/* The product's image wiring without a server: configuration refusals that
 * name the variable, and the ingest pipeline (base64 or URL, libvips,
 * moderation, fs storage) with its failure paths leaving nothing stored;
 * plus the Image JSON. Images are made here with libvips. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vips/vips.h>

#include "app/images.h"
#include "app/media.h"
#include "core/base64.h"
#include "core/config.h"
#include "core/error.h"
#include "test.h"

#define ID    "65f1a2b3c4d5e6f708192a3b"
#define OWNER "65f1a2b3c4d5e6f708192a3c"

/* ---- configuration from a list of NAME=value ---- */

static const char *const *env_list;
static char data_dir[64];

static const char *list_get(void *ctx, const char *name)
{
    (void)ctx;
    size_t n = strlen(name);
    for (const char *const *p = env_list; p && *p; p++) {
        if (strncmp(*p, name, n) == 0 && (*p)[n] == '=')
            return *p + n + 1;
    }
    if (strcmp(name, "FACET_DATA_DIR") == 0)
        return data_dir;
    return NULL;
}

static void remove_data_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", data_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", data_dir);
}

/* Loads the configuration and the media state; returns the status of
 * app_media_init with its message in err. */
static int media_with(const char *const *env, facet_config_t *cfg, app_media_t **m, char *err,
                      size_t errlen)
{
    if (!data_dir[0]) {
        snprintf(data_dir, sizeof data_dir, "/tmp/facet-app-images-XXXXXX");
        CHECK(mkdtemp(data_dir) != NULL);
        atexit(remove_data_dir);
    }
    env_list = env;
    CHECK_EQ_INT(facet_config_load(cfg, list_get, NULL, err, errlen), FACET_OK);
    return app_media_init(cfg, list_get, m, err, errlen);
}

static void refused(const char *const *env, const char *needle)
{
    facet_config_t cfg;
    app_media_t *m = NULL;
    char err[512] = "";
    int rc = media_with(env, &cfg, &m, err, sizeof err);
    if (rc == FACET_OK || !strstr(err, needle))
        fprintf(stderr, "expected a refusal naming %s, got %d: %s\n", needle, rc, err);
    CHECK(rc != FACET_OK && strstr(err, needle) != NULL);
    CHECK(m == NULL);
    facet_config_free(&cfg);
}

TEST(bad_values_stop_start_up_naming_the_variable)
{
    refused((const char *const[]){"FACET_STORAGE=nfs", NULL}, "FACET_STORAGE");
    refused((const char *const[]){"FACET_STORAGE=s3", "AWS_ACCESS_KEY_ID=AKID",
                                  "AWS_SECRET_ACCESS_KEY=secret", NULL},
            "FACET_S3_BUCKET");
    refused((const char *const[]){"FACET_STORAGE=s3", "FACET_S3_BUCKET=b", NULL},
            "AWS_ACCESS_KEY_ID");
    refused((const char *const[]){"FACET_MEDIA_BASE_URL=ftp://cdn", NULL}, "FACET_MEDIA_BASE_URL");
    refused((const char *const[]){"FACET_FETCH_ALLOW=127.0.0.1/8", NULL}, "FACET_FETCH_ALLOW");
    refused((const char *const[]){"FACET_IMAGE_FORMAT=gif", NULL}, "FACET_IMAGE_FORMAT");
    refused((const char *const[]){"FACET_IMAGE_THUMB=0", "FACET_IMAGE_MEDIUM=0",
                                  "FACET_IMAGE_LARGE=0", NULL},
            "FACET_IMAGE_THUMB");
    refused((const char *const[]){"FACET_MODERATION=magic", NULL}, "FACET_MODERATION");
    refused((const char *const[]){"FACET_MODERATION_ON_ERROR=ignore", NULL},
            "FACET_MODERATION_ON_ERROR");
    refused((const char *const[]){"FACET_MODERATION=webhook", NULL},
            "FACET_MODERATION_WEBHOOK_URL");
    refused((const char *const[]){"FACET_MODERATION=webhook",
                                  "FACET_MODERATION_WEBHOOK_URL=http://127.0.0.1:9/m", NULL},
            "FACET_MODERATION_WEBHOOK_SECRET");
    refused((const char *const[]){"FACET_MODERATION=rekognition", NULL}, "AWS_ACCESS_KEY_ID");
    refused((const char *const[]){"FACET_MODERATION=rekognition", "AWS_ACCESS_KEY_ID=AKID",
                                  "AWS_SECRET_ACCESS_KEY=secret",
                                  "FACET_REKOGNITION_ENDPOINT=rekognition.local", NULL},
            "FACET_REKOGNITION_ENDPOINT");
}

TEST(good_values_build_the_options)
{
    facet_config_t cfg;
    app_media_t *m = NULL;
    char err[512] = "";
    const char *const env[] = {"FACET_FETCH_ALLOW=127.0.0.1/32,::1/128",
                               "FACET_FETCH_MAX_REDIRECTS=0",
                               "FACET_IMAGE_FORMAT=jpeg",
                               "FACET_IMAGE_THUMB=100",
                               "FACET_MODERATION=rekognition",
                               "AWS_ACCESS_KEY_ID=AKID",
                               "AWS_SECRET_ACCESS_KEY=secret",
                               "AWS_REGION=eu-west-3",
                               NULL};
    int rc = media_with(env, &cfg, &m, err, sizeof err);
    if (rc != FACET_OK)
        fprintf(stderr, "%s\n", err);
    CHECK_EQ_INT(rc, FACET_OK);
    CHECK_EQ_INT(m->policy.n_allow, 2);
    CHECK_EQ_INT(m->fetch.max_redirects, MEDIA_FETCH_NO_REDIRECTS);
    CHECK_EQ_INT(m->image.format, MEDIA_IMAGE_JPEG);
    CHECK_EQ_INT(m->image.edge[MEDIA_IMAGE_THUMB], 100);
    CHECK(m->image.rendition); /* moderation needs the JPEG rendition */
    CHECK_EQ_STR(m->mod.region, "eu-west-3");
    CHECK_EQ_STR(media_storage_provider(m->storage), "fs");
    app_media_free(m);
    facet_config_free(&cfg);
}

/* ---- ingest ---- */

/* A w x h PNG (two colours) as base64, caller frees. */
static char *png_base64(int w, int h, size_t *b64len)
{
    VipsImage *black, *im;
    CHECK(vips_black(&black, w, h, "bands", 3, NULL) == 0);
    CHECK(vips_linear(black, &im, (double[]){1, 1, 1}, (double[]){200, 40, 90}, 3, "uchar", TRUE,
                      NULL) == 0);
    g_object_unref(black);
    void *buf = NULL;
    size_t len = 0;
    CHECK(vips_image_write_to_buffer(im, ".png", &buf, &len, NULL) == 0);
    g_object_unref(im);
    facet_buf_t b;
    facet_buf_init(&b, 0);
    CHECK_EQ_INT(facet_base64_encode_buf(FACET_BASE64_STD, buf, len, &b), FACET_OK);
    CHECK_EQ_INT(facet_buf_append(&b, "", 1), FACET_OK);
    g_free(buf);
    *b64len = b.len - 1;
    return b.base;
}

static bool stored(const char *variant_file)
{
    char path[256];
    snprintf(path, sizeof path, "%s/media/images/%s/%s", data_dir, ID, variant_file);
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int ingest(app_media_t *m, const app_image_source_t *src, store_image_t *img,
                  app_ingest_error_t *e)
{
    int rc = app_image_ingest(m, src, ID, OWNER, 1700000000123, img, e);
    if (rc != FACET_OK)
        fprintf(stderr, "ingest: %d %s\n", e->kind, e->message);
    return rc;
}

TEST(base64_png_becomes_three_stored_webp_variants)
{
    facet_config_t cfg;
    app_media_t *m;
    char err[512];
    CHECK_EQ_INT(media_with((const char *const[]){NULL}, &cfg, &m, err, sizeof err), FACET_OK);
    size_t len;
    char *b64 = png_base64(2000, 1000, &len);
    store_image_t *img = malloc(sizeof *img);
    app_ingest_error_t e;
    app_image_source_t src = {.base64 = b64, .base64_len = len};
    CHECK_EQ_INT(ingest(m, &src, img, &e), FACET_OK);
    CHECK_EQ_STR(img->id, ID);
    CHECK_EQ_STR(img->owner, OWNER);
    CHECK_EQ_STR(img->format, "png");
    CHECK_EQ_INT(img->width, 2000);
    CHECK_EQ_INT(img->height, 1000);
    CHECK_EQ_INT(img->moderation, STORE_MODERATION_APPROVED);
    CHECK_EQ_INT(img->nvariants, 3);
    CHECK_EQ_STR(img->variants[0].variant, "THUMB");
    CHECK_EQ_STR(img->variants[0].key, "images/" ID "/thumb.webp");
    CHECK_EQ_STR(img->variants[0].content_type, "image/webp");
    CHECK_EQ_INT(img->variants[0].width, 160);
    CHECK_EQ_INT(img->variants[0].height, 80);
    CHECK_EQ_STR(img->variants[2].variant, "LARGE");
    CHECK_EQ_INT(img->variants[2].width, 1600);
    CHECK(stored("thumb.webp") && stored("medium.webp") && stored("large.webp"));

    /* The JSON the API answers with. */
    facet_buf_t b;
    facet_buf_init(&b, 0);
    app_image_json(&b, m->storage, img);
    CHECK_EQ_INT(facet_buf_append(&b, "", 1), FACET_OK);
    CHECK(strstr(b.base, "\"id\":\"" ID "\",\"ownerId\":\"" OWNER "\",\"width\":2000") != NULL);
    CHECK(strstr(b.base, "\"format\":\"png\"") != NULL);
    CHECK(strstr(b.base, "\"createdAt\":\"2023-11-14T22:13:20.123Z\"") != NULL);
    CHECK(strstr(b.base, "{\"variant\":\"THUMB\",\"url\":\"/media/images/" ID
                         "/thumb.webp\",\"width\":160,\"height\":80,\"bytes\":") != NULL);
    CHECK(strstr(b.base, "\"moderation\":{\"status\":\"APPROVED\",\"labels\":[]}") != NULL);
    facet_buf_free(&b);

    /* Deleting the objects removes the files. */
    app_image_unstore(m, img);
    CHECK(!stored("thumb.webp") && !stored("medium.webp") && !stored("large.webp"));
    free(img);
    free(b64);
    app_media_free(m);
    facet_config_free(&cfg);
}

static void bad_input(app_media_t *m, const app_image_source_t *src, const char *needle)
{
    store_image_t *img = malloc(sizeof *img);
    app_ingest_error_t e;
    int rc = app_image_ingest(m, src, ID, OWNER, 0, img, &e);
    if (rc == FACET_OK || e.kind != APP_INGEST_BAD_INPUT || !strstr(e.message, needle))
        fprintf(stderr, "expected bad input with \"%s\", got %d/%d: %s\n", needle, rc, e.kind,
                e.message);
    CHECK(rc != FACET_OK && e.kind == APP_INGEST_BAD_INPUT && strstr(e.message, needle));
    CHECK_EQ_INT(img->nvariants, 0);
    CHECK(!stored("thumb.webp"));
    free(img);
}

#define B64(s) (&(app_image_source_t){.base64 = (s), .base64_len = strlen(s)})

TEST(bad_input_is_refused_and_nothing_is_stored)
{
    facet_config_t cfg;
    app_media_t *m;
    char err[512];
    const char *const env[] = {"FACET_IMAGE_MAX_BYTES=2KiB", NULL};
    CHECK_EQ_INT(media_with(env, &cfg, &m, err, sizeof err), FACET_OK);
    bad_input(m, B64(""), "empty");
    bad_input(m, B64("not base64!"), "not valid base64");
    bad_input(m, B64("data:image/png,AAAA"), "data URL");
    /* SVG and PDF are never decoded, whatever a data URL claims. */
    bad_input(m,
              B64("data:image/png;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4="),
              "SVG");
    bad_input(m, B64("JVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoKPDwvTGVuZ3RoIDMgMCBSPj4Kc3RyZWFtCg=="),
              "PDF");
    size_t len;
    char *huge = malloc(4000);
    memset(huge, 'A', 3996);
    memcpy(huge + 3996, "AAA=", 4);
    app_image_source_t src = {.base64 = huge, .base64_len = 4000};
    bad_input(m, &src, "larger than 2048 bytes");
    free(huge);
    /* Truncated: a PNG cut in half. */
    char *png = png_base64(300, 300, &len);
    size_t cut = (len / 2) & ~(size_t)3;
    char *half = strndup(png, cut);
    bad_input(m, B64(half), "");
    free(half);
    free(png);
    /* URLs go through the SSRF policy: loopback is not allowed by default. */
    bad_input(m, &(app_image_source_t){.url = "http://127.0.0.1:9/a.png"}, "forbidden");
    bad_input(m, &(app_image_source_t){.url = "http://0x7f.1:9/a.png"}, "forbidden");
    bad_input(m, &(app_image_source_t){.url = "file:///etc/passwd"}, "url:");
    bad_input(m, &(app_image_source_t){.base64 = "AAAA", .base64_len = 4, .url = "http://x"},
              "exactly one");
    app_media_free(m);
    facet_config_free(&cfg);
}

TEST(a_storage_failure_midway_removes_what_was_stored)
{
    facet_config_t cfg;
    app_media_t *m;
    char err[512];
    CHECK_EQ_INT(media_with((const char *const[]){NULL}, &cfg, &m, err, sizeof err), FACET_OK);
    /* A non-empty directory where the LARGE variant goes: its rename fails. */
    char path[256];
    snprintf(path, sizeof path, "%s/media/images/%s/large.webp/x", data_dir, ID);
    char mk[300];
    snprintf(mk, sizeof mk, "mkdir -p '%s'", path);
    CHECK(system(mk) == 0);
    size_t len;
    char *b64 = png_base64(2000, 1000, &len);
    store_image_t *img = malloc(sizeof *img);
    app_ingest_error_t e;
    app_image_source_t src = {.base64 = b64, .base64_len = len};
    CHECK(app_image_ingest(m, &src, ID, OWNER, 0, img, &e) != FACET_OK);
    CHECK_EQ_INT(e.kind, APP_INGEST_INTERNAL);
    CHECK(strstr(e.message, "large.webp") != NULL);
    CHECK(!stored("thumb.webp") && !stored("medium.webp"));
    free(img);
    free(b64);
    app_media_free(m);
    facet_config_free(&cfg);
}

/* app_media_free shuts libvips down for good, so each of these tests makes
 * one media state. */
TEST(a_failing_moderation_provider_is_an_error_with_on_error_fail)
{
    /* Nothing listens on port 9 of the loopback: the webhook fails at once. */
    const char *const fail_env[] = {
        "FACET_MODERATION=webhook", "FACET_MODERATION_WEBHOOK_URL=http://127.0.0.1:9/moderate",
        "FACET_MODERATION_WEBHOOK_SECRET=s3cret", "FACET_MODERATION_ON_ERROR=fail", NULL};
    facet_config_t cfg;
    app_media_t *m;
    char err[512];
    CHECK_EQ_INT(media_with(fail_env, &cfg, &m, err, sizeof err), FACET_OK);
    size_t len;
    char *b64 = png_base64(300, 200, &len);
    store_image_t *img = malloc(sizeof *img);
    app_ingest_error_t e;
    app_image_source_t src = {.base64 = b64, .base64_len = len};
    CHECK(app_image_ingest(m, &src, ID, OWNER, 0, img, &e) != FACET_OK);
    CHECK_EQ_INT(e.kind, APP_INGEST_UNAVAILABLE);
    CHECK(!stored("thumb.webp"));
    free(img);
    free(b64);
    app_media_free(m);
    facet_config_free(&cfg);
}

TEST(a_failing_moderation_provider_gives_review_by_default)
{
    const char *const review_env[] = {"FACET_MODERATION=webhook",
                                      "FACET_MODERATION_WEBHOOK_URL=http://127.0.0.1:9/moderate",
                                      "FACET_MODERATION_WEBHOOK_SECRET=s3cret", NULL};
    facet_config_t cfg;
    app_media_t *m;
    char err[512];
    CHECK_EQ_INT(media_with(review_env, &cfg, &m, err, sizeof err), FACET_OK);
    size_t len;
    char *b64 = png_base64(300, 200, &len);
    store_image_t *img = malloc(sizeof *img);
    app_ingest_error_t e;
    app_image_source_t src = {.base64 = b64, .base64_len = len};
    CHECK_EQ_INT(ingest(m, &src, img, &e), FACET_OK);
    CHECK_EQ_INT(img->moderation, STORE_MODERATION_REVIEW);
    CHECK(stored("thumb.webp"));
    app_image_unstore(m, img);
    free(img);
    free(b64);
    app_media_free(m);
    facet_config_free(&cfg);
}

TEST(labels_reach_the_json_with_null_parents)
{
    facet_config_t cfg;
    app_media_t *m;
    char err[512];
    const char *const env[] = {"FACET_MEDIA_BASE_URL=https://d111.cloudfront.net", NULL};
    CHECK_EQ_INT(media_with(env, &cfg, &m, err, sizeof err), FACET_OK);
    store_image_t *img = calloc(1, sizeof *img);
    snprintf(img->id, sizeof img->id, "%s", ID);
    snprintf(img->owner, sizeof img->owner, "%s", OWNER);
    snprintf(img->format, sizeof img->format, "jpeg");
    img->moderation = STORE_MODERATION_REVIEW;
    img->nvariants = 1;
    snprintf(img->variants[0].variant, sizeof img->variants[0].variant, "MEDIUM");
    snprintf(img->variants[0].key, sizeof img->variants[0].key, "images/%s/medium.webp", ID);
    img->nlabels = 2;
    snprintf(img->labels[0].name, sizeof img->labels[0].name, "Suggestive");
    img->labels[0].confidence = 71.5;
    snprintf(img->labels[1].name, sizeof img->labels[1].name, "Swim \"wear\"");
    snprintf(img->labels[1].parent_name, sizeof img->labels[1].parent_name, "Suggestive");
    img->labels[1].confidence = 60;
    facet_buf_t b;
    facet_buf_init(&b, 0);
    app_image_json(&b, m->storage, img);
    CHECK_EQ_INT(facet_buf_append(&b, "", 1), FACET_OK);
    CHECK(strstr(b.base, "\"url\":\"https://d111.cloudfront.net/images/" ID "/medium.webp\""));
    CHECK(strstr(b.base,
                 "\"moderation\":{\"status\":\"REVIEW\",\"labels\":[{\"name\":"
                 "\"Suggestive\",\"parentName\":null,\"confidence\":71.5},{\"name\":"
                 "\"Swim \\\"wear\\\"\",\"parentName\":\"Suggestive\",\"confidence\":60}]}"));
    facet_buf_free(&b);
    free(img);
    app_media_free(m);
    facet_config_free(&cfg);
}
