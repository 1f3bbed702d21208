/* Encoders for the variants (WebP, JPEG, AVIF, PNG), always without
 * metadata, and the moderation JPEG that must fit a byte limit. */
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "media/image_internal.h"

/* JPEG has no alpha: transparent pixels become white, as a browser shows
 * them on a white page (libvips would flatten on black). */
static int flatten_white(VipsImage *in, VipsImage **out)
{
    if (!vips_image_hasalpha(in)) {
        g_object_ref(in);
        *out = in;
        return 0;
    }
    VipsArrayDouble *white = vips_array_double_newv(3, 255.0, 255.0, 255.0);
    int rc = vips_flatten(in, out, "background", white, NULL);
    vips_area_unref(VIPS_AREA(white));
    return rc;
}

static int save_jpeg(VipsImage *in, int q, void **buf, size_t *len)
{
    VipsImage *flat;
    if (flatten_white(in, &flat) != 0)
        return -1;
    int rc =
        vips_jpegsave_buffer(flat, buf, len, "Q", q, "strip", TRUE, "optimize_coding", TRUE, NULL);
    g_object_unref(flat);
    return rc;
}

static uint32_t le32(const uint8_t *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

int media_image__webp_strip(uint8_t *d, size_t *len)
{
    if (*len < 12 || memcmp(d, "RIFF", 4) != 0 || memcmp(d + 8, "WEBP", 4) != 0)
        return -1;
    size_t in = 12, out = 12;
    while (in + 8 <= *len) {
        uint32_t size = le32(d + in + 4);
        if (size > *len - in - 8)
            return -1;
        /* Chunks are padded to an even size; a missing last pad is tolerated. */
        size_t total = 8 + (size_t)size + ((size & 1) && in + 9 + size <= *len);
        bool drop = memcmp(d + in, "EXIF", 4) == 0 || memcmp(d + in, "XMP ", 4) == 0 ||
                    memcmp(d + in, "ICCP", 4) == 0;
        if (!drop) {
            if (memcmp(d + in, "VP8X", 4) == 0 && size >= 1)
                d[in + 8] &= (uint8_t)~0x2C; /* the ICC, EXIF and XMP flags */
            memmove(d + out, d + in, total);
            out += total;
        }
        in += total;
    }
    if (in != *len)
        return -1;
    uint32_t riff = (uint32_t)(out - 8);
    d[4] = riff, d[5] = riff >> 8, d[6] = riff >> 16, d[7] = riff >> 24;
    *len = out;
    return 0;
}

int media_image__encode(VipsImage *im, media_image_format_t f, int q, int effort,
                        media_image_blob_t *out)
{
    void *buf = NULL;
    size_t len = 0;
    int rc = -1;
    switch (f) {
    case MEDIA_IMAGE_WEBP:
        rc = vips_webpsave_buffer(im, &buf, &len, "Q", q, "effort",
                                  effort < 0   ? 4
                                  : effort > 6 ? 6
                                               : effort,
                                  "strip", TRUE, NULL);
        if (rc == 0)
            rc = media_image__webp_strip(buf, &len);
        break;
    case MEDIA_IMAGE_JPEG:
        rc = save_jpeg(im, q, &buf, &len);
        break;
    case MEDIA_IMAGE_AVIF:
        rc = vips_heifsave_buffer(im, &buf, &len, "Q", q, "compression",
                                  VIPS_FOREIGN_HEIF_COMPRESSION_AV1, "effort",
                                  effort < 0 ? 2 : effort, "strip", TRUE, NULL);
        break;
    case MEDIA_IMAGE_PNG:
        rc = vips_pngsave_buffer(im, &buf, &len, "compression", effort < 0 ? 6 : effort, "strip",
                                 TRUE, NULL);
        break;
    default:
        vips_error("facet", "format not writable");
        break;
    }
    if (rc != 0) {
        g_free(buf);
        return -1;
    }
    *out = (media_image_blob_t){.data = buf, .len = len, .width = im->Xsize, .height = im->Ysize};
    return 0;
}

/* Qualities tried in turn at each size; then the size halves. A photo at
 * 1600 pixels fits 5 MB at the first step; the rest is for small limits. */
static const int rendition_q[] = {85, 70, 55, 40};
#define RENDITION_HALVINGS 4

int media_image__rendition(VipsImage *im, size_t max_bytes, media_image_blob_t *out, char *err,
                           size_t errlen)
{
    VipsImage *cur = im;
    g_object_ref(cur);
    for (int h = 0; h <= RENDITION_HALVINGS; h++) {
        for (size_t i = 0; i < sizeof rendition_q / sizeof *rendition_q; i++) {
            void *buf = NULL;
            size_t len = 0;
            if (save_jpeg(cur, rendition_q[i], &buf, &len) != 0) {
                g_object_unref(cur);
                snprintf(err, errlen, "encoding the moderation JPEG failed");
                return FACET_EIO;
            }
            if (len <= max_bytes) {
                *out = (media_image_blob_t){buf, len, cur->Xsize, cur->Ysize};
                g_object_unref(cur);
                return FACET_OK;
            }
            g_free(buf);
        }
        VipsImage *half;
        int w = cur->Xsize / 2 > 0 ? cur->Xsize / 2 : 1,
            hh = cur->Ysize / 2 > 0 ? cur->Ysize / 2 : 1;
        if (media_image__resize(cur, w, hh, &half) != 0) {
            g_object_unref(cur);
            snprintf(err, errlen, "resizing the moderation JPEG failed");
            return FACET_EIO;
        }
        g_object_unref(cur);
        cur = half;
    }
    g_object_unref(cur);
    snprintf(err, errlen, "the moderation JPEG does not fit in %zu bytes", max_bytes);
    return FACET_ELIMIT;
}
