/* moderation_tool [FILE]: runs media_moderate once for
 * tests/e2e/media-moderation.test.mjs on the bytes of FILE (or, without
 * FILE, on MOD_URL) and prints one JSON line:
 *   {"rc":"<facet_strerror>","status":"APPROVED|REVIEW|REJECTED",
 *    "providerFailed":bool,"error":"<provider failure>","message":"<err>",
 *    "labels":[{"name":..,"parentName":..,"confidence":..}]}
 * Settings from the environment: MOD_PROVIDER, MOD_MIN_CONFIDENCE,
 * MOD_REJECT, MOD_REVIEW, MOD_ON_ERROR, MOD_TIMEOUT_MS, MOD_REGION,
 * MOD_ENDPOINT, MOD_WEBHOOK_URL, MOD_WEBHOOK_SECRET, MOD_CONTENT_TYPE,
 * MOD_IMAGE_ID, MOD_URL, and the standard AWS_* credential variables.
 * Exits 0 when the line was printed, 2 on a usage or setup error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "gql/json.h"
#include "media/moderation.h"

static const char *env(void *ctx, const char *name)
{
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

static int read_file(const char *path, facet_buf_t *b)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char chunk[65536];
    size_t n;
    int rc = 0;
    while (rc == 0 && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = facet_buf_append(b, chunk, n);
    fclose(f);
    return rc;
}

static int options(media_mod_opts_t *o, media_aws_creds_t **creds)
{
    char err[256];
    memset(o, 0, sizeof *o);
    if (media_mod_provider_parse(env(NULL, "MOD_PROVIDER") ? env(NULL, "MOD_PROVIDER") : "none",
                                 &o->provider) != FACET_OK ||
        (env(NULL, "MOD_ON_ERROR") &&
         media_mod_on_error_parse(env(NULL, "MOD_ON_ERROR"), &o->on_error) != FACET_OK)) {
        fprintf(stderr, "moderation_tool: bad MOD_PROVIDER or MOD_ON_ERROR\n");
        return -1;
    }
    if (env(NULL, "MOD_MIN_CONFIDENCE"))
        o->min_confidence = strtod(env(NULL, "MOD_MIN_CONFIDENCE"), NULL);
    if (env(NULL, "MOD_TIMEOUT_MS"))
        o->timeout_ms = strtoull(env(NULL, "MOD_TIMEOUT_MS"), NULL, 10);
    o->reject_labels = env(NULL, "MOD_REJECT");
    o->review_labels = env(NULL, "MOD_REVIEW");
    o->region = env(NULL, "MOD_REGION");
    o->endpoint = env(NULL, "MOD_ENDPOINT");
    o->webhook_url = env(NULL, "MOD_WEBHOOK_URL");
    o->webhook_secret = env(NULL, "MOD_WEBHOOK_SECRET");
    if (o->provider == MEDIA_MOD_REKOGNITION) {
        media_aws_creds_opts_t co;
        media_aws_creds_opts_from_env(&co, env, NULL);
        if (media_aws_creds_new(&co, creds, err, sizeof err) != FACET_OK) {
            fprintf(stderr, "moderation_tool: credentials: %s\n", err);
            return -1;
        }
        o->creds = *creds;
    }
    return 0;
}

static void print_result(int rc, const media_mod_result_t *r, const char *err)
{
    facet_buf_t b;
    facet_buf_init(&b, 0);
    facet_buf_printf(
        &b, "{\"rc\":\"%s\",\"status\":\"%s\",\"providerFailed\":%s,\"error\":", facet_strerror(rc),
        media_mod_status_name(r->status), r->provider_failed ? "true" : "false");
    gql_json_write_string(&b, r->error, strlen(r->error));
    facet_buf_append_str(&b, ",\"message\":");
    gql_json_write_string(&b, err, strlen(err));
    facet_buf_append_str(&b, ",\"labels\":[");
    for (size_t i = 0; i < r->nlabels; i++) {
        const media_mod_label_t *l = &r->labels[i];
        facet_buf_append_str(&b, i ? ",{\"name\":" : "{\"name\":");
        gql_json_write_string(&b, l->name.base, l->name.len);
        facet_buf_append_str(&b, ",\"parentName\":");
        gql_json_write_string(&b, l->parent.base, l->parent.len);
        facet_buf_append_str(&b, ",\"confidence\":");
        gql_json_write_number(&b, l->confidence);
        facet_buf_append_str(&b, "}");
    }
    facet_buf_append_str(&b, "]}\n");
    fwrite(b.base, 1, b.len, stdout);
    facet_buf_free(&b);
}

int main(int argc, char **argv)
{
    if (argc > 2) {
        fprintf(stderr, "usage: moderation_tool [FILE]\n");
        return 2;
    }
    media_mod_opts_t o;
    media_aws_creds_t *creds = NULL;
    if (options(&o, &creds) != 0)
        return 2;
    facet_buf_t image;
    facet_buf_init(&image, 0);
    if (argc == 2 && read_file(argv[1], &image) != 0) {
        fprintf(stderr, "moderation_tool: cannot read %s\n", argv[1]);
        media_aws_creds_free(creds);
        return 2;
    }
    media_mod_input_t in = {
        .bytes = (const uint8_t *)image.base,
        .len = image.len,
        .content_type =
            env(NULL, "MOD_CONTENT_TYPE") ? env(NULL, "MOD_CONTENT_TYPE") : "image/jpeg",
        .image_id = env(NULL, "MOD_IMAGE_ID"),
        .url = env(NULL, "MOD_URL"),
    };
    media_mod_result_t r;
    char err[256] = "";
    int rc = media_moderate(&o, &in, &r, err, sizeof err);
    print_result(rc, &r, err);
    media_mod_result_free(&r);
    facet_buf_free(&image);
    media_aws_creds_free(creds);
    return 0;
}
