/* An upload from bytes to stored variants, on the thread pool: the bytes
 * (base64 or an SSRF-checked URL fetch), one libvips pass into the
 * variants and the JPEG rendition, moderation of the rendition, then every
 * variant stored under its key. A failure at any step leaves nothing
 * stored; the database is the caller's (images.c). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/images.h"
#include "core/base64.h"
#include "core/error.h"
#include "core/log.h"

static int failf(app_ingest_error_t *e, app_ingest_failure_t kind, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int failf(app_ingest_error_t *e, app_ingest_failure_t kind, int rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    e->kind = kind;
    return rc;
}

/* ---- the bytes ---- */

/* Drops a "data:<type>;base64," prefix (the type is ignored: the format
 * comes from the bytes). */
static int strip_data_url(const char **text, size_t *len, app_ingest_error_t *e)
{
    if (*len < 5 || strncasecmp(*text, "data:", 5) != 0)
        return FACET_OK;
    const char *comma = memchr(*text, ',', *len);
    if (!comma || comma - *text < 12 || strncasecmp(comma - 7, ";base64", 7) != 0)
        return failf(e, APP_INGEST_BAD_INPUT, FACET_EINVAL,
                     "base64: a data URL must be of the form data:<type>;base64,<data>");
    *len -= (size_t)(comma + 1 - *text);
    *text = comma + 1;
    return FACET_OK;
}

static int decode_base64(const app_media_t *m, const app_image_source_t *src, facet_buf_t *out,
                         app_ingest_error_t *e)
{
    const char *text = src->base64;
    size_t len = src->base64_len;
    facet_buf_init(out, (size_t)m->max_upload_bytes);
    if (strip_data_url(&text, &len, e) != FACET_OK)
        return FACET_EINVAL;
    if (len == 0)
        return failf(e, APP_INGEST_BAD_INPUT, FACET_EINVAL, "base64: the image is empty");
    char why[128] = "";
    int rc = facet_base64_decode_buf(FACET_BASE64_STD, text, len, out, why, sizeof why);
    /* The URL-safe alphabet (padded or not) when the text has no '+' or '/'. */
    if (rc == FACET_EINVAL && !memchr(text, '+', len) && !memchr(text, '/', len)) {
        char why2[128];
        int rc2 = facet_base64_decode_buf(FACET_BASE64_URL, text, len, out, why2, sizeof why2);
        if (rc2 != FACET_EINVAL)
            rc = rc2;
    }
    if (rc == FACET_ELIMIT)
        return failf(e, APP_INGEST_BAD_INPUT, rc,
                     "base64: the image is larger than %llu bytes once decoded",
                     (unsigned long long)m->max_upload_bytes);
    if (rc == FACET_EINVAL)
        return failf(e, APP_INGEST_BAD_INPUT, rc, "base64: not valid base64 (%s)", why);
    if (rc != FACET_OK)
        return failf(e, APP_INGEST_INTERNAL, rc, "base64 decoding failed: %s", facet_strerror(rc));
    return FACET_OK;
}

static int fetch(const app_media_t *m, const char *url, media_fetch_result_t *res,
                 app_ingest_error_t *e)
{
    char why[256] = "";
    int rc = media_fetch_url(url, &m->fetch, res, why, sizeof why);
    if (rc == FACET_OK)
        return FACET_OK;
    if (res->error == MEDIA_FETCH_INTERNAL || rc == FACET_ENOMEM)
        return failf(e, APP_INGEST_INTERNAL, rc, "image fetch failed: %s", why);
    return failf(e, APP_INGEST_BAD_INPUT, rc, "url: cannot fetch the image: %s", why);
}

/* ---- moderation ---- */

/* "Explicit Nudity 98.1%, Nudity (Explicit Nudity) 97.0%": the labels that
 * count (at or above the minimum confidence). */
static void describe_labels(const media_mod_opts_t *o, const media_mod_result_t *r, char *out,
                            size_t outlen)
{
    double min = o->min_confidence > 0 ? o->min_confidence : MEDIA_MOD_DEFAULT_MIN_CONFIDENCE;
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < r->nlabels && used + 1 < outlen; i++) {
        const media_mod_label_t *l = &r->labels[i];
        if (l->confidence < min)
            continue;
        int n = l->parent.len
                    ? snprintf(out + used, outlen - used, "%s%.*s (%.*s) %.1f%%", used ? ", " : "",
                               (int)l->name.len, l->name.base, (int)l->parent.len, l->parent.base,
                               l->confidence)
                    : snprintf(out + used, outlen - used, "%s%.*s %.1f%%", used ? ", " : "",
                               (int)l->name.len, l->name.base, l->confidence);
        if (n < 0)
            break;
        used += (size_t)n < outlen - used ? (size_t)n : outlen - used - 1;
    }
}

static void copy_labels(store_image_t *img, const media_mod_result_t *r)
{
    img->nlabels = 0;
    for (size_t i = 0; i < r->nlabels && img->nlabels < STORE_IMAGE_LABELS_MAX; i++) {
        store_image_label_t *l = &img->labels[img->nlabels++];
        store_copy_utf8(l->name, sizeof l->name, r->labels[i].name.base, r->labels[i].name.len);
        store_copy_utf8(l->parent_name, sizeof l->parent_name, r->labels[i].parent.base,
                        r->labels[i].parent.len);
        l->confidence = r->labels[i].confidence;
    }
}

static int moderate(const app_media_t *m, const media_image_result_t *res, store_image_t *img,
                    app_ingest_error_t *e)
{
    img->moderation = STORE_MODERATION_APPROVED;
    if (m->mod.provider == MEDIA_MOD_NONE)
        return FACET_OK;
    media_mod_input_t in = {.bytes = res->rendition.data,
                            .len = res->rendition.len,
                            .content_type = "image/jpeg",
                            .image_id = img->id};
    media_mod_result_t r;
    char why[256] = "";
    int rc = media_moderate(&m->mod, &in, &r, why, sizeof why);
    if (rc == FACET_EIO || rc == FACET_ETIMEDOUT) {
        facet_log_kv(FACET_LOG_ERROR, "image moderation failed", "error", why);
        rc = failf(e, APP_INGEST_UNAVAILABLE, rc,
                   "Image moderation is unavailable at the moment; try again later.");
    } else if (rc != FACET_OK) {
        rc = failf(e, APP_INGEST_INTERNAL, rc, "image moderation: %s", why);
    } else if (r.status == MEDIA_MOD_REJECTED) {
        char labels[400];
        describe_labels(&m->mod, &r, labels, sizeof labels);
        rc = failf(e, APP_INGEST_REJECTED, FACET_EDENIED,
                   "The image was rejected by moderation: %s.", labels[0] ? labels : "no label");
    } else {
        if (r.provider_failed)
            facet_log_kv(FACET_LOG_WARN, "image moderation failed: the image is kept for review",
                         "error", r.error);
        img->moderation =
            r.status == MEDIA_MOD_APPROVED ? STORE_MODERATION_APPROVED : STORE_MODERATION_REVIEW;
        copy_labels(img, &r);
    }
    media_mod_result_free(&r);
    return rc;
}

/* ---- storage ---- */

void app_image_unstore(const app_media_t *m, const store_image_t *img)
{
    for (size_t i = 0; i < img->nvariants; i++) {
        char why[256] = "";
        if (media_storage_delete(m->storage, img->variants[i].key, why, sizeof why) == FACET_OK)
            continue;
        facet_log_line_t line;
        if (facet_log_begin(&line, FACET_LOG_ERROR, "media object left behind")) {
            facet_log_cstr(&line, "key", img->variants[i].key);
            facet_log_cstr(&line, "error", why);
        }
        facet_log_end(&line);
    }
}

static int store_variants(const app_media_t *m, const media_image_result_t *res, store_image_t *img,
                          app_ingest_error_t *e)
{
    const char *ext = media_image_format_ext(res->out_format);
    const char *type = media_image_format_mime(res->out_format);
    img->nvariants = 0;
    for (int v = 0; v < MEDIA_IMAGE_NVARIANTS; v++) {
        const media_image_blob_t *blob = &res->variant[v];
        if (!blob->data)
            continue;
        store_image_variant_t *sv = &img->variants[img->nvariants];
        const char *name = media_image_variant_name((media_image_variant_t)v);
        int rc = media_key_image(sv->key, sizeof sv->key, img->id, name, ext);
        char why[256] = "";
        if (rc == FACET_OK)
            rc = media_storage_put(m->storage, sv->key, blob->data, blob->len, type, why,
                                   sizeof why);
        if (rc != FACET_OK) {
            app_image_unstore(m, img);
            img->nvariants = 0;
            return failf(e, APP_INGEST_INTERNAL, rc, "storing %s failed: %s", sv->key,
                         why[0] ? why : facet_strerror(rc));
        }
        for (size_t i = 0; name[i] && i + 1 < sizeof sv->variant; i++)
            sv->variant[i] = (char)(name[i] >= 'a' && name[i] <= 'z' ? name[i] - 32 : name[i]);
        sv->width = blob->width;
        sv->height = blob->height;
        sv->bytes = (int64_t)blob->len;
        snprintf(sv->content_type, sizeof sv->content_type, "%s", type);
        img->nvariants++;
    }
    return FACET_OK;
}

/* ---- the whole ---- */

static int process(const app_media_t *m, const uint8_t *bytes, size_t len, store_image_t *img,
                   app_ingest_error_t *e)
{
    media_image_result_t res;
    char why[256] = "";
    int rc = media_image_process(bytes, len, &m->image, &res, why, sizeof why);
    if (rc == FACET_EINVAL || rc == FACET_ELIMIT)
        return failf(e, APP_INGEST_BAD_INPUT, rc, "%s", why);
    if (rc != FACET_OK)
        return failf(e, APP_INGEST_INTERNAL, rc, "image processing failed: %s", why);
    img->width = res.width;
    img->height = res.height;
    img->bytes = (int64_t)len;
    snprintf(img->format, sizeof img->format, "%s", media_image_format_name(res.format));
    rc = moderate(m, &res, img, e);
    if (rc == FACET_OK)
        rc = store_variants(m, &res, img, e);
    media_image_result_free(&res);
    return rc;
}

int app_image_ingest(const app_media_t *m, const app_image_source_t *src, const char *id,
                     const char *owner, int64_t now_ms, store_image_t *out, app_ingest_error_t *e)
{
    memset(out, 0, sizeof *out);
    e->kind = APP_INGEST_OK;
    e->message[0] = '\0';
    snprintf(out->id, sizeof out->id, "%s", id);
    snprintf(out->owner, sizeof out->owner, "%s", owner);
    out->created_at = now_ms;
    if (!src->base64 == !src->url)
        return failf(e, APP_INGEST_BAD_INPUT, FACET_EINVAL, "give exactly one of url and base64");
    int rc;
    if (src->base64) {
        facet_buf_t bytes;
        rc = decode_base64(m, src, &bytes, e);
        if (rc == FACET_OK)
            rc = process(m, (const uint8_t *)bytes.base, bytes.len, out, e);
        facet_buf_free(&bytes);
    } else {
        media_fetch_result_t res = {0};
        rc = fetch(m, src->url, &res, e);
        if (rc == FACET_OK)
            rc = process(m, res.body, res.len, out, e);
        media_fetch_result_free(&res);
    }
    return rc;
}
