/* Decoding: the format's own loader (shrinking on load where JPEG and WebP
 * allow), one resize to the largest size needed, EXIF orientation, sRGB,
 * and a copy in memory that every variant is then cut from. */
#include <stdio.h>

#include "core/error.h"
#include "media/image_internal.h"

/* Loaders fail on warnings too, as sharp does by default: libjpeg reports a
 * corrupt entropy stream ("bad Huffman code") only as a warning and would
 * otherwise hand back a grey or garbled image. */
int media_image__open(const uint8_t *bytes, size_t len, media_image_format_t f, int shrink,
                      VipsImage **out)
{
    /* libvips' loaders take a non-const pointer but only read the buffer. */
    void *buf = (void *)bytes;
    *out = NULL;
    switch (f) {
    case MEDIA_IMAGE_JPEG:
        return vips_jpegload_buffer(buf, len, out, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on",
                                    VIPS_FAIL_ON_WARNING, "shrink", shrink, NULL);
    case MEDIA_IMAGE_WEBP:
        return vips_webpload_buffer(buf, len, out, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on",
                                    VIPS_FAIL_ON_WARNING, "scale", 1.0 / shrink, NULL);
    case MEDIA_IMAGE_PNG:
        return vips_pngload_buffer(buf, len, out, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on",
                                   VIPS_FAIL_ON_WARNING, NULL);
    case MEDIA_IMAGE_GIF:
        return vips_gifload_buffer(buf, len, out, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on",
                                   VIPS_FAIL_ON_WARNING, NULL);
    case MEDIA_IMAGE_HEIF:
    case MEDIA_IMAGE_AVIF:
        return vips_heifload_buffer(buf, len, out, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on",
                                    VIPS_FAIL_ON_WARNING, NULL);
    case MEDIA_IMAGE_TIFF:
        return vips_tiffload_buffer(buf, len, out, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on",
                                    VIPS_FAIL_ON_WARNING, NULL);
    case MEDIA_IMAGE_UNKNOWN:
        break;
    }
    vips_error("facet", "no loader for this format");
    return -1;
}

void media_image__fit(int w, int h, int edge, int *tw, int *th)
{
    int longest = w > h ? w : h;
    if (longest <= edge) {
        *tw = w;
        *th = h;
        return;
    }
    /* The long side gets exactly edge; the short one is rounded, at least 1. */
    double s = (double)edge / longest;
    int a = w >= h ? edge : (int)(w * s + 0.5);
    int b = w >= h ? (int)(h * s + 0.5) : edge;
    *tw = a < 1 ? 1 : a;
    *th = b < 1 ? 1 : b;
}

/* The shrink-on-load factor for JPEG (whole DCT scaling) and WebP (libwebp's
 * scaler): the largest of 2, 4 and 8 that still leaves the long side at least
 * edge, so the resize that follows only ever reduces. */
static int load_shrink(const media_image_info_t *info, int edge)
{
    if (info->format != MEDIA_IMAGE_JPEG && info->format != MEDIA_IMAGE_WEBP)
        return 1;
    uint64_t longest = info->width > info->height ? info->width : info->height;
    int shrink = 1;
    while (shrink < 8 && longest >= (uint64_t)edge * shrink * 2)
        shrink *= 2;
    return shrink;
}

/* libvips 8.14's horizontal Lanczos pass has no vector path and costs about
 * six times its vertical one (1600x1200 to 640x1200: 10 ms against 2 for
 * the same vertical reduction). So for the factors where vips_resize does
 * nothing but those two passes (under 4: above, it starts with a box
 * shrink), the horizontal pass runs as a vertical one on the transposed
 * image: 1600x1200 to 640x480 takes 9 ms instead of 15, with the same pixels
 * within rounding (PSNR above 55 dB against vips_resize). Only for an
 * in-memory source: the transposition reads columns, and copying a streamed
 * source to memory first costs more than it saves. On success *out is a new
 * reference. */
static int reduce_transposed(VipsImage *in, int tw, int th, VipsImage *scope, VipsImage **out)
{
    VipsImage **t = (VipsImage **)vips_object_local_array(VIPS_OBJECT(scope), 5);
    VipsImage *cur = in;
    if (th != in->Ysize) {
        if (vips_reducev(cur, &t[0], (double)in->Ysize / th, "kernel", VIPS_KERNEL_LANCZOS3, NULL))
            return -1;
        cur = t[0];
    }
    if (tw != in->Xsize) {
        if (vips_rot90(cur, &t[1], NULL) || !(t[2] = vips_image_copy_memory(t[1])) ||
            vips_reducev(t[2], &t[3], (double)in->Xsize / tw, "kernel", VIPS_KERNEL_LANCZOS3,
                         NULL) ||
            vips_rot270(t[3], &t[4], NULL))
            return -1;
        cur = t[4];
    }
    g_object_ref(cur); /* the caller's reference, in its own scope array */
    *out = cur;
    return 0;
}

/* A lazy resize to exactly tw x th (never called to enlarge). Alpha is
 * premultiplied, so transparent pixels lend no colour to their neighbours,
 * and the result goes back to the input's band format. */
static int reduce(VipsImage *in, int tw, int th, VipsImage *scope, VipsImage **out)
{
    double hs = (double)tw / in->Xsize, vs = (double)th / in->Ysize;
    VipsImage **t = (VipsImage **)vips_object_local_array(VIPS_OBJECT(scope), 4);
    if (in->Xsize == tw && in->Ysize == th) {
        *out = in;
        return 0;
    }
    if (!vips_image_hasalpha(in)) {
        bool in_memory = in->dtype == VIPS_IMAGE_SETBUF || in->dtype == VIPS_IMAGE_SETBUF_FOREIGN;
        if (in_memory && hs > 0.25 && vs > 0.25 &&
            reduce_transposed(in, tw, th, scope, &t[0]) == 0 && t[0]->Xsize == tw &&
            t[0]->Ysize == th) {
            *out = t[0];
            return 0;
        }
        if (vips_resize(in, &t[1], hs, "vscale", vs, NULL))
            return -1;
        *out = t[1];
        return 0;
    }
    if (vips_premultiply(in, &t[0], NULL) || vips_resize(t[0], &t[1], hs, "vscale", vs, NULL) ||
        vips_unpremultiply(t[1], &t[2], NULL) || vips_cast(t[2], &t[3], in->BandFmt, NULL))
        return -1;
    *out = t[3];
    return 0;
}

int media_image__resize(VipsImage *in, int tw, int th, VipsImage **out)
{
    *out = NULL;
    if (in->Xsize == tw && in->Ysize == th) {
        g_object_ref(in);
        *out = in;
        return 0;
    }
    VipsImage *scope = vips_image_new(), *r;
    int rc = reduce(in, tw, th, scope, &r);
    if (rc == 0 && !(*out = vips_image_copy_memory(r)))
        rc = -1;
    g_object_unref(scope);
    return rc;
}

/* To 8-bit sRGB: through the embedded ICC profile when there is a usable
 * one, through libvips' built-in CMYK profile for CMYK without one, and by
 * libvips' colourspace rules otherwise (grey, 16-bit, Lab, ...). Alpha is
 * kept. */
static int to_srgb(VipsImage *in, VipsImage *scope, VipsImage **out)
{
    VipsImage **t = (VipsImage **)vips_object_local_array(VIPS_OBJECT(scope), 3);
    VipsImage *im = NULL;
    if (vips_image_get_typeof(in, VIPS_META_ICC_NAME)) {
        if (vips_icc_transform(in, &t[0], "srgb", "embedded", TRUE, "depth", 8, NULL) == 0)
            im = t[0];
        else
            media_image__vips_error_reset(); /* a broken profile: ignore it */
    }
    if (!im && in->Type == VIPS_INTERPRETATION_CMYK) {
        if (vips_icc_transform(in, &t[0], "srgb", "input_profile", "cmyk", "depth", 8, NULL))
            return -1;
        im = t[0];
    }
    if (!im) {
        if (vips_colourspace(in, &t[1], VIPS_INTERPRETATION_sRGB, NULL))
            return -1;
        im = t[1];
    }
    if (im->BandFmt != VIPS_FORMAT_UCHAR) {
        if (vips_cast(im, &t[2], VIPS_FORMAT_UCHAR, NULL))
            return -1;
        im = t[2];
    }
    *out = im;
    return 0;
}

/* Drops every metadata item (EXIF, XMP, IPTC, ICC, comments, ...) from an
 * image this module owns alone. The encoders strip too; this makes sure
 * nothing reaches one that forgets. */
static void drop_metadata(VipsImage *im)
{
    gchar **names = vips_image_get_fields(im);
    for (gchar **n = names; n && *n; n++)
        vips_image_remove(im, *n);
    g_strfreev(names);
}

int media_image__decode(const uint8_t *bytes, size_t len, VipsImage *hdr,
                        const media_image_info_t *info, int edge, VipsImage **out, char *err,
                        size_t errlen)
{
    const char *fmt = media_image_format_name(info->format);
    VipsImage *scope = vips_image_new();
    VipsImage **t = (VipsImage **)vips_object_local_array(VIPS_OBJECT(scope), 3);
    int tw, th, shrink = load_shrink(info, edge);
    media_image__fit(info->width, info->height, edge, &tw, &th);
    VipsImage *in = hdr, *im, *srgb, *mem;
    if (shrink > 1) {
        if (media_image__open(bytes, len, info->format, shrink, &t[0]) != 0)
            goto corrupt;
        in = t[0];
    }
    if (reduce(in, tw, th, scope, &im) != 0 || to_srgb(im, scope, &srgb) != 0) {
        snprintf(err, errlen, "cannot convert this %s image to sRGB", fmt);
        media_image__vips_error_reset();
        g_object_unref(scope);
        return FACET_EINVAL;
    }
    if (srgb->Bands != 3 && srgb->Bands != 4) {
        snprintf(err, errlen, "unsupported colour layout in this %s image", fmt);
        g_object_unref(scope);
        return FACET_EINVAL;
    }
    /* The pixels are decoded here, once: a corrupt or truncated input fails
     * now. Rotation needs the whole image, so it comes after this copy. */
    if (!(mem = vips_image_copy_memory(srgb)))
        goto corrupt;
    if (vips_image_get_orientation(mem) != 1) {
        VipsImage *up = NULL;
        if (vips_autorot(mem, &up, NULL) == 0) {
            g_object_unref(mem);
            mem = vips_image_copy_memory(up);
            g_object_unref(up);
        } else {
            g_object_unref(mem);
            mem = NULL;
        }
        if (!mem)
            goto corrupt;
    }
    drop_metadata(mem);
    *out = mem;
    g_object_unref(scope);
    return FACET_OK;

corrupt:
    snprintf(err, errlen, "corrupt or truncated %s image", fmt);
    media_image__vips_error_reset();
    g_object_unref(scope);
    return FACET_EINVAL;
}
