/* The image feature's start-up state, built from the configuration: each
 * part is checked by its module's own function, and a refusal names the
 * variable to fix. */
#include "app/media.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base64.h"
#include "core/error.h"
#include "core/log.h"

static int fail(char *err, size_t errlen, const char *var, const char *why)
{
    snprintf(err, errlen, "%s: %s", var, why);
    return FACET_EINVAL;
}

/* The first of FACET_<X>_REGION, AWS_REGION, AWS_DEFAULT_REGION, us-east-1. */
static void pick_region(const char *configured, facet_getenv_fn get, char *out, size_t outlen)
{
    const char *r = configured;
    if (!r || !*r)
        r = get(NULL, "AWS_REGION");
    if (!r || !*r)
        r = get(NULL, "AWS_DEFAULT_REGION");
    if (!r || !*r)
        r = "us-east-1";
    snprintf(out, outlen, "%s", r);
}

static const char *env_adapter_get(void *ctx, const char *name)
{
    facet_getenv_fn get = *(facet_getenv_fn *)ctx;
    const char *v = get(NULL, name);
    return v && *v ? v : NULL;
}

/* The AWS credentials provider, for the parts that need one. */
static int creds_init(app_media_t *m, facet_getenv_fn get, const char *who, char *err,
                      size_t errlen)
{
    if (m->creds)
        return FACET_OK;
    media_aws_creds_opts_t co;
    media_aws_creds_opts_from_env(&co, env_adapter_get, &get);
    char why[256] = "";
    int rc = media_aws_creds_new(&co, &m->creds, why, sizeof why);
    if (rc == FACET_ENOTFOUND)
        snprintf(err, errlen,
                 "%s needs AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or "
                 "run with an ECS task role (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)",
                 who);
    else if (rc != FACET_OK)
        snprintf(err, errlen, "%s", why);
    return rc == FACET_OK ? FACET_OK : FACET_EINVAL;
}

static int storage_init(app_media_t *m, const facet_config_t *cfg, facet_getenv_fn get, char *err,
                        size_t errlen)
{
    bool s3 = strcmp(cfg->storage, "s3") == 0;
    if (!s3 && strcmp(cfg->storage, "fs") != 0)
        return fail(err, errlen, "FACET_STORAGE", "must be fs or s3");
    if (s3 && creds_init(m, get, "FACET_STORAGE=s3", err, errlen) != FACET_OK)
        return FACET_EINVAL;
    pick_region(cfg->s3_region, get, m->s3_region, sizeof m->s3_region);
    media_storage_opts_t so = {
        .provider = cfg->storage,
        .media_base_url = cfg->media_base_url,
        .data_dir = cfg->data_dir,
        .bucket = cfg->s3_bucket,
        .region = m->s3_region,
        .endpoint = cfg->s3_endpoint,
        .path_style = cfg->s3_path_style,
        .creds = m->creds,
    };
    int rc = media_storage_new(&so, &m->storage, err, errlen);
    return rc == FACET_OK ? FACET_OK : FACET_EINVAL;
}

static int fetch_init(app_media_t *m, const facet_config_t *cfg, char *err, size_t errlen)
{
    char why[256];
    if (media_ssrf_policy_parse(cfg->fetch_allow, &m->policy, why, sizeof why) != FACET_OK)
        return fail(err, errlen, "FACET_FETCH_ALLOW", why);
    m->fetch = (media_fetch_opts_t){
        .policy = &m->policy,
        .connect_timeout_ms = cfg->fetch_connect_timeout_ms,
        .timeout_ms = cfg->fetch_timeout_ms,
        .max_bytes = cfg->fetch_max_bytes,
        .max_redirects =
            cfg->fetch_max_redirects > 0 ? cfg->fetch_max_redirects : MEDIA_FETCH_NO_REDIRECTS,
    };
    m->max_upload_bytes = cfg->image_max_bytes;
    return FACET_OK;
}

static int image_init(app_media_t *m, const facet_config_t *cfg, char *err, size_t errlen)
{
    media_image_opts_t *o = &m->image;
    media_image_opts_default(o);
    if (media_image_format_parse(cfg->image_format, &o->format) != FACET_OK)
        return fail(err, errlen, "FACET_IMAGE_FORMAT", "must be webp, jpeg, avif or png");
    o->max_pixels = (uint64_t)cfg->image_max_pixels;
    o->quality = cfg->image_quality;
    o->edge[MEDIA_IMAGE_THUMB] = cfg->image_thumb;
    o->edge[MEDIA_IMAGE_MEDIUM] = cfg->image_medium;
    o->edge[MEDIA_IMAGE_LARGE] = cfg->image_large;
    o->concurrency = cfg->vips_concurrency;
    o->cache_max_mem = (size_t)cfg->vips_cache;
    o->cache_max_ops = cfg->vips_cache ? 100 : 0;
    o->cache_max_files = 0; /* inputs are buffers, never files */
    /* Every provider but none moderates the JPEG rendition. */
    o->rendition = m->mod.provider != MEDIA_MOD_NONE;
    o->rendition_max_bytes = MEDIA_MOD_REKOGNITION_MAX_BYTES;
    char why[256];
    if (!cfg->image_thumb && !cfg->image_medium && !cfg->image_large)
        return fail(err, errlen, "FACET_IMAGE_THUMB, FACET_IMAGE_MEDIUM, FACET_IMAGE_LARGE",
                    "at least one variant must have an edge above 0");
    if (media_image_opts_check(o, why, sizeof why) != FACET_OK)
        return fail(err, errlen, "FACET_IMAGE_*", why);
    int rc = media_image_init(o, why, sizeof why);
    if (rc != FACET_OK) {
        snprintf(err, errlen, "the image pipeline cannot start: %s", why);
        return rc == FACET_EINVAL ? FACET_EINVAL : FACET_EIO;
    }
    m->vips_started = true;
    return FACET_OK;
}

static int moderation_init(app_media_t *m, const facet_config_t *cfg, facet_getenv_fn get,
                           char *err, size_t errlen)
{
    media_mod_opts_t *o = &m->mod;
    if (media_mod_provider_parse(cfg->moderation, &o->provider) != FACET_OK)
        return fail(err, errlen, "FACET_MODERATION", "must be none, rekognition or webhook");
    if (media_mod_on_error_parse(cfg->moderation_on_error, &o->on_error) != FACET_OK)
        return fail(err, errlen, "FACET_MODERATION_ON_ERROR", "must be review or fail");
    o->min_confidence = cfg->moderation_min_confidence;
    o->reject_labels = cfg->moderation_reject_labels;
    o->review_labels = cfg->moderation_review_labels;
    o->timeout_ms = cfg->moderation_timeout_ms;
    if (o->provider == MEDIA_MOD_REKOGNITION) {
        if (creds_init(m, get, "FACET_MODERATION=rekognition", err, errlen) != FACET_OK)
            return FACET_EINVAL;
        pick_region(cfg->rekognition_region, get, m->mod_region, sizeof m->mod_region);
        o->region = m->mod_region;
        o->endpoint = cfg->rekognition_endpoint;
        o->creds = m->creds;
        if (o->endpoint && strncmp(o->endpoint, "http://", 7) != 0 &&
            strncmp(o->endpoint, "https://", 8) != 0)
            return fail(err, errlen, "FACET_REKOGNITION_ENDPOINT", "must be an http(s) URL");
    } else if (o->provider == MEDIA_MOD_WEBHOOK) {
        o->webhook_url = cfg->moderation_webhook_url;
        o->webhook_secret = cfg->moderation_webhook_secret;
        if (!o->webhook_url || (strncmp(o->webhook_url, "http://", 7) != 0 &&
                                strncmp(o->webhook_url, "https://", 8) != 0))
            return fail(err, errlen, "FACET_MODERATION_WEBHOOK_URL",
                        "an http(s) URL is required with FACET_MODERATION=webhook");
        if (!o->webhook_secret)
            return fail(err, errlen, "FACET_MODERATION_WEBHOOK_SECRET",
                        "required with FACET_MODERATION=webhook");
    }
    char why[256];
    if (media_mod_opts_check(o, why, sizeof why) != FACET_OK)
        return fail(err, errlen, "FACET_MODERATION", why);
    return FACET_OK;
}

/* A base64 upload of the largest allowed size must fit in a request body;
 * a smaller body limit is not wrong, but it caps uploads below what
 * FACET_IMAGE_MAX_BYTES says, so the operator hears of it. */
static void check_body_limit(const facet_config_t *cfg)
{
    size_t text = 0;
    if (facet_base64_encoded_len(FACET_BASE64_STD, (size_t)cfg->image_max_bytes, &text) !=
            FACET_OK ||
        text + 4096 <= cfg->max_body_size)
        return;
    facet_log_line_t line;
    if (facet_log_begin(&line, FACET_LOG_WARN,
                        "FACET_MAX_BODY_SIZE is below what a base64 upload of "
                        "FACET_IMAGE_MAX_BYTES needs: larger uploads get HTTP 413")) {
        facet_log_int(&line, "maxBodySize", (int64_t)cfg->max_body_size);
        facet_log_int(&line, "needed", (int64_t)(text + 4096));
    }
    facet_log_end(&line);
}

int app_media_init(const facet_config_t *cfg, facet_getenv_fn get, app_media_t **out, char *err,
                   size_t errlen)
{
    *out = NULL;
    if (!get)
        get = facet_config_getenv;
    app_media_t *m = calloc(1, sizeof *m);
    if (!m)
        return FACET_ENOMEM;
    int rc = storage_init(m, cfg, get, err, errlen);
    if (rc == FACET_OK)
        rc = fetch_init(m, cfg, err, errlen);
    if (rc == FACET_OK)
        rc = moderation_init(m, cfg, get, err, errlen);
    if (rc == FACET_OK)
        rc = image_init(m, cfg, err, errlen);
    if (rc != FACET_OK) {
        app_media_free(m);
        return rc;
    }
    check_body_limit(cfg);
    *out = m;
    return FACET_OK;
}

void app_media_free(app_media_t *m)
{
    if (!m)
        return;
    media_storage_free(m->storage);
    media_aws_creds_free(m->creds);
    media_ssrf_policy_free(&m->policy);
    if (m->vips_started)
        media_image_shutdown();
    free(m);
}
