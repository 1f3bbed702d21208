/* The image pipeline's entry points: libvips start-up (the loader block, the
 * cache and thread bounds), options, the header probe with the pixel limit,
 * and the orchestration of one decode into every variant. The decoding
 * steps live in image_decode.c, the encoders in image_encode.c. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/log.h"
#include "media/image_internal.h"

/* ---- start-up ---- */

/* The only loaders that may run: the buffer loaders of the six formats. Every
 * other VipsForeignLoad (files, sources, SVG, PDF, ImageMagick, ...) stays
 * blocked. */
static const char *const allowed_loaders[] = {
    "VipsForeignLoadJpegBuffer",  "VipsForeignLoadPngBuffer",  "VipsForeignLoadWebpBuffer",
    "VipsForeignLoadNsgifBuffer", "VipsForeignLoadHeifBuffer", "VipsForeignLoadTiffBuffer",
};

static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER;
static bool started;
static volatile bool ready;

bool media_image__ready(void)
{
    return ready;
}

void media_image__vips_error_reset(void)
{
    vips_error_clear();
}

void media_image_opts_default(media_image_opts_t *opts)
{
    *opts = (media_image_opts_t){
        .max_pixels = 50000000,
        .edge = {160, 640, 1600},
        .format = MEDIA_IMAGE_WEBP,
        .quality = 80,
        .effort = -1,
        .rendition = false,
        .rendition_max_bytes = 5u << 20,
        .rendition_edge = 1600,
        .concurrency = 1,
    };
}

/* Larger edges than this make no sense for web variants and keep every size
 * computation far from int overflow. */
#define MAX_EDGE 16384

int media_image_opts_check(const media_image_opts_t *o, char *err, size_t errlen)
{
    int any = 0;
    if (o->max_pixels == 0) {
        snprintf(err, errlen, "image options: max_pixels must be positive");
        return FACET_EINVAL;
    }
    for (int v = 0; v < MEDIA_IMAGE_NVARIANTS; v++) {
        if (o->edge[v] < 0 || o->edge[v] > MAX_EDGE) {
            snprintf(err, errlen, "image options: %s edge must be 0..%d, not %d",
                     media_image_variant_name(v), MAX_EDGE, o->edge[v]);
            return FACET_EINVAL;
        }
        any |= o->edge[v];
    }
    if (!any && !o->rendition) {
        snprintf(err, errlen, "image options: every variant edge is 0");
        return FACET_EINVAL;
    }
    if (o->format != MEDIA_IMAGE_WEBP && o->format != MEDIA_IMAGE_JPEG &&
        o->format != MEDIA_IMAGE_AVIF && o->format != MEDIA_IMAGE_PNG) {
        snprintf(err, errlen, "image options: output format must be webp, jpeg, avif or png");
        return FACET_EINVAL;
    }
    if (o->quality < 1 || o->quality > 100) {
        snprintf(err, errlen, "image options: quality must be 1..100, not %d", o->quality);
        return FACET_EINVAL;
    }
    if (o->effort < -1 || o->effort > 9) {
        snprintf(err, errlen, "image options: effort must be 0..9 (or -1), not %d", o->effort);
        return FACET_EINVAL;
    }
    if (o->rendition &&
        (o->rendition_edge < 1 || o->rendition_edge > MAX_EDGE || o->rendition_max_bytes < 1024)) {
        snprintf(err, errlen,
                 "image options: rendition edge must be 1..%d and its limit at least 1 KiB",
                 MAX_EDGE);
        return FACET_EINVAL;
    }
    return FACET_OK;
}

/* libvips reports damaged input through GLib warnings ("error in tile 0 x
 * 96"): the caller already gets an error, so they go to the debug log rather
 * than to stderr. */
static void vips_log_handler(const gchar *domain, GLogLevelFlags level, const gchar *message,
                             gpointer data)
{
    facet_log_kv(FACET_LOG_DEBUG, "libvips", "detail", message);
}

/* Blocks every loader, then lifts the block on the allowed ones; fails when
 * one of them is missing from this build of libvips. */
static int block_loaders(char *err, size_t errlen)
{
    vips_block_untrusted_set(TRUE);
    vips_operation_block_set("VipsForeignLoad", TRUE);
    for (size_t i = 0; i < sizeof allowed_loaders / sizeof *allowed_loaders; i++) {
        if (!g_type_from_name(allowed_loaders[i])) {
            snprintf(err, errlen, "libvips has no %s: this build cannot read every format",
                     allowed_loaders[i]);
            return FACET_EIO;
        }
        vips_operation_block_set(allowed_loaders[i], FALSE);
    }
    return FACET_OK;
}

int media_image_init(const media_image_opts_t *opts, char *err, size_t errlen)
{
    if (opts->concurrency < 1 || opts->concurrency > 1024 || opts->cache_max_ops < 0 ||
        opts->cache_max_files < 0) {
        snprintf(err, errlen, "image options: concurrency must be 1..1024 and cache sizes >= 0");
        return FACET_EINVAL;
    }
    int rc = FACET_OK;
    pthread_mutex_lock(&init_lock);
    if (!started) {
        if (VIPS_INIT("facet") != 0) {
            snprintf(err, errlen, "libvips failed to start");
            media_image__vips_error_reset();
            rc = FACET_EIO;
        } else {
            started = true;
            g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO,
                              vips_log_handler, NULL);
            rc = block_loaders(err, errlen);
        }
    }
    if (rc == FACET_OK) {
        vips_concurrency_set(opts->concurrency);
        vips_cache_set_max(opts->cache_max_ops);
        vips_cache_set_max_mem(opts->cache_max_mem);
        vips_cache_set_max_files(opts->cache_max_files);
        ready = true;
    }
    pthread_mutex_unlock(&init_lock);
    return rc;
}

void media_image_shutdown(void)
{
    pthread_mutex_lock(&init_lock);
    if (started) {
        ready = false;
        vips_shutdown();
    }
    pthread_mutex_unlock(&init_lock);
}

/* ---- the header ---- */

/* Opens and checks the header; on success *hdr is the lazily opened image
 * (caller unrefs). */
static int probe(const uint8_t *bytes, size_t len, const media_image_opts_t *opts,
                 media_image_info_t *info, VipsImage **hdr, char *err, size_t errlen)
{
    memset(info, 0, sizeof *info);
    *hdr = NULL;
    if (!media_image__ready()) {
        snprintf(err, errlen, "the image pipeline is not started");
        return FACET_ECLOSED;
    }
    int rc = media_image_sniff(bytes, len, &info->format, err, errlen);
    if (rc != FACET_OK)
        return rc;
    VipsImage *im;
    if (media_image__open(bytes, len, info->format, 1, &im) != 0) {
        snprintf(err, errlen, "corrupt or truncated %s image (the header cannot be read)",
                 media_image_format_name(info->format));
        media_image__vips_error_reset();
        return FACET_EINVAL;
    }
    info->width = vips_image_get_width(im);
    info->height = vips_image_get_height(im);
    info->pages = vips_image_get_n_pages(im);
    info->orientation = vips_image_get_orientation(im);
    /* width * height * pages, without overflow: each may be up to 2^31. */
    uint64_t area = (uint64_t)info->width * (uint64_t)info->height;
    uint64_t pages = info->pages > 0 ? (uint64_t)info->pages : 1;
    if (area > opts->max_pixels || (area && pages > opts->max_pixels / area)) {
        snprintf(err, errlen,
                 "image too large: %dx%d%s is %.1f megapixels, above the limit of %.1f",
                 info->width, info->height, pages > 1 ? " in several frames" : "",
                 (double)area * (double)pages / 1e6, opts->max_pixels / 1e6);
        g_object_unref(im);
        return FACET_ELIMIT;
    }
    *hdr = im;
    return FACET_OK;
}

int media_image_probe(const uint8_t *bytes, size_t len, const media_image_opts_t *opts,
                      media_image_info_t *out, char *err, size_t errlen)
{
    VipsImage *hdr;
    int rc = probe(bytes, len, opts, out, &hdr, err, errlen);
    if (hdr)
        g_object_unref(hdr);
    return rc;
}

/* ---- variants ---- */

void media_image_blob_free(media_image_blob_t *b)
{
    g_free(b->data);
    *b = (media_image_blob_t){0};
}

void media_image_result_free(media_image_result_t *r)
{
    for (int v = 0; v < MEDIA_IMAGE_NVARIANTS; v++)
        media_image_blob_free(&r->variant[v]);
    media_image_blob_free(&r->rendition);
}

/* Makes every variant from base (upright, in memory), largest first, each
 * from the previous one: a resize from the nearest larger image costs less
 * than one from base and looks the same (see bench/README.md). */
static int make_variants(VipsImage *base, int up_w, int up_h, const media_image_opts_t *opts,
                         media_image_result_t *out, char *err, size_t errlen)
{
    VipsImage *prev = base;
    g_object_ref(prev);
    int rc = FACET_OK;
    for (int v = MEDIA_IMAGE_NVARIANTS - 1; v >= 0 && rc == FACET_OK; v--) {
        if (opts->edge[v] == 0)
            continue;
        int tw, th;
        media_image__fit(up_w, up_h, opts->edge[v], &tw, &th);
        VipsImage *im;
        if (media_image__resize(prev, tw, th, &im) != 0) {
            snprintf(err, errlen, "resizing to the %s variant failed", media_image_variant_name(v));
            rc = FACET_EIO;
            break;
        }
        if (media_image__encode(im, opts->format, opts->quality, opts->effort, &out->variant[v]) !=
            0) {
            snprintf(err, errlen, "encoding the %s variant as %s failed",
                     media_image_variant_name(v), media_image_format_name(opts->format));
            rc = FACET_EIO;
        }
        g_object_unref(prev);
        prev = im;
    }
    g_object_unref(prev);
    return rc;
}

static int make_rendition(VipsImage *base, int up_w, int up_h, const media_image_opts_t *opts,
                          media_image_blob_t *out, char *err, size_t errlen)
{
    int tw, th;
    media_image__fit(up_w, up_h, opts->rendition_edge, &tw, &th);
    VipsImage *im;
    if (media_image__resize(base, tw, th, &im) != 0) {
        snprintf(err, errlen, "resizing the moderation rendition failed");
        return FACET_EIO;
    }
    int rc = media_image__rendition(im, opts->rendition_max_bytes, out, err, errlen);
    g_object_unref(im);
    return rc;
}

/* Probe, decode once at the largest size any output needs, then the
 * variants (when variants) and the rendition (when rendition). */
static int run(const uint8_t *bytes, size_t len, const media_image_opts_t *opts, bool variants,
               bool rendition, media_image_result_t *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    int rc = media_image_opts_check(opts, err, errlen);
    if (rc != FACET_OK)
        return rc;
    media_image_info_t info;
    VipsImage *hdr, *base = NULL;
    rc = probe(bytes, len, opts, &info, &hdr, err, errlen);
    if (rc != FACET_OK)
        return rc;
    int edge = rendition ? opts->rendition_edge : 0;
    for (int v = 0; variants && v < MEDIA_IMAGE_NVARIANTS; v++)
        edge = opts->edge[v] > edge ? opts->edge[v] : edge;
    rc = media_image__decode(bytes, len, hdr, &info, edge, &base, err, errlen);
    g_object_unref(hdr);
    if (rc != FACET_OK)
        return rc;
    bool swap = info.orientation >= 5 && info.orientation <= 8;
    out->format = info.format;
    out->width = swap ? info.height : info.width;
    out->height = swap ? info.width : info.height;
    out->pages = info.pages;
    out->out_format = opts->format;
    if (variants)
        rc = make_variants(base, out->width, out->height, opts, out, err, errlen);
    if (rc == FACET_OK && rendition)
        rc = make_rendition(base, out->width, out->height, opts, &out->rendition, err, errlen);
    g_object_unref(base);
    if (rc != FACET_OK) {
        media_image_result_free(out);
        memset(out, 0, sizeof *out);
        media_image__vips_error_reset();
    }
    return rc;
}

int media_image_process(const uint8_t *bytes, size_t len, const media_image_opts_t *opts,
                        media_image_result_t *out, char *err, size_t errlen)
{
    return run(bytes, len, opts, true, opts->rendition, out, err, errlen);
}

int media_image_jpeg_rendition(const uint8_t *bytes, size_t len, const media_image_opts_t *opts,
                               media_image_blob_t *out, char *err, size_t errlen)
{
    media_image_opts_t o = *opts;
    o.rendition = true;
    media_image_result_t r;
    int rc = run(bytes, len, &o, false, true, &r, err, errlen);
    *out = r.rendition;
    return rc;
}
