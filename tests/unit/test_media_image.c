/* The image pipeline: start-up, the loader block, the pixel limit before
 * decoding, refusal of truncated and corrupt input, orientation, colour
 * conversion, metadata stripping, variant sizes and output options. Inputs
 * are made with libvips here; outputs are decoded again and inspected. The
 * pure parts (sniffing, names, options) are in test_media_image_sniff.c. */
#include <vips/vips.h>

#include "core/error.h"
#include "media/image.h"
#include "test.h"

/* libx265, the HEVC encoder that makes the HEIC input of format_heic, keeps
 * one allocation of its thread pool until exit (Facet itself never encodes
 * HEVC). LeakSanitizer reads this list in sanitizer builds; elsewhere it is
 * unused. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libx265.so\n";
}

/* ---- helpers ---- */

static media_image_opts_t start(void)
{
    media_image_opts_t o;
    media_image_opts_default(&o);
    char err[256] = "";
    int rc = media_image_init(&o, err, sizeof err);
    if (rc != FACET_OK)
        fprintf(stderr, "init: %s\n", err);
    CHECK_EQ_INT(rc, FACET_OK);
    return o;
}

/* A solid w x h image of the given colour (3 bands, or 4 with alpha a >= 0). */
static VipsImage *solid(int w, int h, double r, double g, double b, double a)
{
    VipsImage *black, *out;
    int bands = a >= 0 ? 4 : 3;
    double c[4] = {r, g, b, a};
    CHECK(vips_black(&black, w, h, "bands", bands, NULL) == 0);
    CHECK(vips_linear(black, &out, (double[]){1, 1, 1, 1}, c, bands, "uchar", TRUE, NULL) == 0);
    g_object_unref(black);
    out->Type = VIPS_INTERPRETATION_sRGB;
    return out;
}

/* Noise, so encoders have something to chew on and outputs are not tiny. */
static VipsImage *noise(int w, int h)
{
    VipsImage *n, *j, *out;
    CHECK(vips_gaussnoise(&n, w, h, "mean", 128.0, "sigma", 50.0, NULL) == 0);
    CHECK(vips_bandjoin_const(n, &j, (double[]){90, 200}, 2, NULL) == 0);
    CHECK(vips_cast(j, &out, VIPS_FORMAT_UCHAR, NULL) == 0);
    g_object_unref(n);
    g_object_unref(j);
    out->Type = VIPS_INTERPRETATION_sRGB;
    return out;
}

/* Encodes im with a libvips saver chosen by suffix (".jpg[Q=90]", ...);
 * takes im's reference. The caller g_frees the bytes. */
static uint8_t *save(VipsImage *im, const char *suffix, size_t *len)
{
    void *buf = NULL;
    if (vips_image_write_to_buffer(im, suffix, &buf, len, NULL) != 0)
        fprintf(stderr, "save %s: %s\n", suffix, vips_error_buffer());
    CHECK(buf != NULL);
    g_object_unref(im);
    return buf;
}

/* Decodes an output with the loader its magic bytes name, fully. */
static VipsImage *decode(const uint8_t *data, size_t len)
{
    media_image_format_t f;
    char err[256];
    CHECK_EQ_INT(media_image_sniff(data, len, &f, err, sizeof err), FACET_OK);
    VipsImage *im = NULL;
    void *buf = (void *)data;
    switch (f) {
    case MEDIA_IMAGE_WEBP:
        CHECK(vips_webpload_buffer(buf, len, &im, NULL) == 0);
        break;
    case MEDIA_IMAGE_JPEG:
        CHECK(vips_jpegload_buffer(buf, len, &im, NULL) == 0);
        break;
    case MEDIA_IMAGE_PNG:
        CHECK(vips_pngload_buffer(buf, len, &im, NULL) == 0);
        break;
    case MEDIA_IMAGE_AVIF:
    case MEDIA_IMAGE_HEIF:
        CHECK(vips_heifload_buffer(buf, len, &im, NULL) == 0);
        break;
    default:
        CHECK(!"unexpected output format");
    }
    VipsImage *mem = vips_image_copy_memory(im);
    CHECK(mem != NULL);
    g_object_unref(im);
    return mem;
}

/* The pixel at x, y, band by band. */
static void pixel(VipsImage *im, int x, int y, double out[4])
{
    double *v;
    int n;
    CHECK(vips_getpoint(im, &v, &n, x, y, NULL) == 0);
    for (int i = 0; i < 4; i++)
        out[i] = i < n ? v[i] : -1;
    g_free(v);
}

static bool near(double a, double b, double tol)
{
    return a > b - tol && a < b + tol;
}

static int process(const uint8_t *bytes, size_t len, const media_image_opts_t *o,
                   media_image_result_t *r, char *err, size_t errlen)
{
    int rc = media_image_process(bytes, len, o, r, err, errlen);
    if (rc != FACET_OK)
        fprintf(stderr, "process: %s (%s)\n", err, facet_strerror(rc));
    return rc;
}

/* No metadata item survives in a decoded output: libvips names EXIF, XMP,
 * IPTC, ICC and every EXIF tag (GPS included) as fields. */
static void check_no_metadata(VipsImage *im)
{
    gchar **names = vips_image_get_fields(im);
    for (gchar **n = names; *n; n++) {
        bool meta = g_str_has_prefix(*n, "exif") || g_str_has_prefix(*n, "xmp") ||
                    g_str_has_prefix(*n, "iptc") || g_str_has_prefix(*n, "icc") ||
                    strstr(*n, "gps") || strstr(*n, "GPS") || strcmp(*n, "orientation") == 0;
        if (meta)
            fprintf(stderr, "metadata field left: %s\n", *n);
        CHECK(!meta);
    }
    g_strfreev(names);
}

/* Walks a WebP file's RIFF chunks: only image data (VP8, VP8L, VP8X, ALPH)
 * may be there, no EXIF, XMP or ICCP chunk. */
static void check_webp_chunks(const uint8_t *d, size_t len)
{
    CHECK(len >= 12 && memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "WEBP", 4) == 0);
    for (size_t off = 12; off + 8 <= len;) {
        uint32_t size =
            d[off + 4] | d[off + 5] << 8 | d[off + 6] << 16 | (uint32_t)d[off + 7] << 24;
        bool ok = memcmp(d + off, "VP8 ", 4) == 0 || memcmp(d + off, "VP8L", 4) == 0 ||
                  memcmp(d + off, "VP8X", 4) == 0 || memcmp(d + off, "ALPH", 4) == 0;
        if (!ok)
            fprintf(stderr, "unexpected WebP chunk %.4s\n", (const char *)d + off);
        CHECK(ok);
        if (memcmp(d + off, "VP8X", 4) == 0)
            CHECK((d[off + 8] & 0x2C) == 0); /* no ICC, EXIF or XMP flag */
        off += 8 + size + (size & 1);
    }
}

static bool contains(const uint8_t *d, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(d + i, needle, n) == 0)
            return true;
    return false;
}

TEST(process_before_init_is_refused)
{
    media_image_opts_t o;
    media_image_opts_default(&o);
    media_image_result_t r;
    char err[256];
    CHECK_EQ_INT(media_image_process((const uint8_t *)"\xFF\xD8\xFF", 3, &o, &r, err, sizeof err),
                 FACET_ECLOSED);
}

TEST(process_after_shutdown_is_refused)
{
    media_image_opts_t o = start();
    size_t len;
    uint8_t *png = save(solid(8, 8, 1, 2, 3, -1), ".png", &len);
    media_image_shutdown();
    media_image_result_t r;
    char err[256];
    CHECK_EQ_INT(media_image_process(png, len, &o, &r, err, sizeof err), FACET_ECLOSED);
    g_free(png);
}

/* ---- the loader block ---- */

TEST(untrusted_loaders_are_blocked)
{
    start();
    static const char svg[] = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" "
                              "height=\"10\"><rect width=\"10\" height=\"10\"/></svg>";
    VipsImage *im = NULL;
    /* Called directly, the SVG loader refuses to run... */
    CHECK(vips_svgload_buffer((void *)svg, sizeof svg - 1, &im, NULL) != 0);
    CHECK(im == NULL);
    /* ... and so does whatever libvips' own sniffing picks. */
    CHECK(vips_image_new_from_buffer(svg, sizeof svg - 1, "", NULL) == NULL);
    CHECK(vips_magickload_buffer((void *)svg, sizeof svg - 1, &im, NULL) != 0);
    static const char pdf[] = "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>";
    CHECK(vips_image_new_from_buffer(pdf, sizeof pdf - 1, "", NULL) == NULL);
    CHECK(vips_pdfload_buffer((void *)pdf, sizeof pdf - 1, &im, NULL) != 0);
    CHECK(strstr(vips_error_buffer(), "blocked") != NULL);
    vips_error_clear();
    /* The allowed loaders still run. */
    size_t len;
    uint8_t *png = save(solid(8, 8, 1, 2, 3, -1), ".png", &len);
    CHECK(vips_pngload_buffer(png, len, &im, NULL) == 0);
    g_object_unref(im);
    g_free(png);
}

TEST(svg_and_pdf_refused)
{
    media_image_opts_t o = start();
    media_image_result_t r;
    char err[256];
    static const char svg[] = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
                              "width=\"10\" height=\"10\"/>";
    CHECK_EQ_INT(media_image_process((const uint8_t *)svg, sizeof svg - 1, &o, &r, err, sizeof err),
                 FACET_EINVAL);
    CHECK(strstr(err, "SVG") != NULL);
    static const char pdf[] = "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>";
    CHECK_EQ_INT(media_image_process((const uint8_t *)pdf, sizeof pdf - 1, &o, &r, err, sizeof err),
                 FACET_EINVAL);
    CHECK(strstr(err, "PDF") != NULL);
    CHECK(r.variant[0].data == NULL);
    media_image_result_free(&r);
}

/* ---- limits and broken input ---- */

static uint32_t crc32_of(const uint8_t *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    }
    return ~c;
}

static size_t png_chunk(uint8_t *out, const char *type, const uint8_t *data, uint32_t n)
{
    out[0] = n >> 24, out[1] = n >> 16, out[2] = n >> 8, out[3] = n;
    memcpy(out + 4, type, 4);
    if (n)
        memcpy(out + 8, data, n);
    uint32_t c = crc32_of(out + 4, n + 4);
    out[8 + n] = c >> 24, out[9 + n] = c >> 16, out[10 + n] = c >> 8, out[11 + n] = c;
    return 12 + n;
}

TEST(decompression_bomb_refused_before_decoding)
{
    media_image_opts_t o = start();
    /* A 120-byte PNG declaring 20000 x 20000 RGB pixels, with a few bytes of
     * image data: decoding it would fail as truncated, so ELIMIT shows the
     * header check came first. */
    uint8_t png[256], ihdr[13] = {0, 0, 0x4E, 0x20, 0, 0, 0x4E, 0x20, 8, 2, 0, 0, 0};
    static const uint8_t idat[] = {0x78, 0x9C, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01};
    size_t n = 0;
    memcpy(png, "\x89PNG\r\n\x1A\n", 8);
    n = 8;
    n += png_chunk(png + n, "IHDR", ihdr, sizeof ihdr);
    n += png_chunk(png + n, "IDAT", idat, sizeof idat);
    n += png_chunk(png + n, "IEND", NULL, 0);
    media_image_info_t info;
    char err[256];
    CHECK_EQ_INT(media_image_probe(png, n, &o, &info, err, sizeof err), FACET_ELIMIT);
    CHECK(strstr(err, "20000x20000") != NULL);
    media_image_result_t r;
    CHECK_EQ_INT(media_image_process(png, n, &o, &r, err, sizeof err), FACET_ELIMIT);
    CHECK(strstr(err, "400.0 megapixels") != NULL);
    /* Under a limit that allows it, the same bytes are refused as truncated. */
    o.max_pixels = 500000000;
    CHECK_EQ_INT(media_image_process(png, n, &o, &r, err, sizeof err), FACET_EINVAL);
    CHECK(strstr(err, "truncated") != NULL);
}

TEST(pixel_limit_counts_frames)
{
    media_image_opts_t o = start();
    /* Three 100x100 frames: 30,000 pixels in all. */
    VipsImage *frames;
    CHECK(vips_black(&frames, 100, 300, "bands", 3, NULL) == 0);
    vips_image_set_int(frames, "page-height", 100);
    size_t len;
    uint8_t *gif = save(frames, ".gif", &len);
    media_image_info_t info;
    char err[256];
    o.max_pixels = 25000;
    CHECK_EQ_INT(media_image_probe(gif, len, &o, &info, err, sizeof err), FACET_ELIMIT);
    CHECK_EQ_INT(info.pages, 3);
    o.max_pixels = 30000;
    media_image_result_t r;
    CHECK_EQ_INT(process(gif, len, &o, &r, err, sizeof err), FACET_OK);
    /* The first frame only. */
    CHECK_EQ_INT(r.width, 100);
    CHECK_EQ_INT(r.height, 100);
    CHECK_EQ_INT(r.pages, 3);
    CHECK_EQ_INT(r.variant[MEDIA_IMAGE_THUMB].height, 100);
    media_image_result_free(&r);
    g_free(gif);
}

TEST(truncated_and_corrupt_refused)
{
    media_image_opts_t o = start();
    media_image_result_t r;
    char err[256];
    size_t jlen, plen;
    uint8_t *jpg = save(noise(600, 400), ".jpg[Q=90]", &jlen);
    uint8_t *png = save(noise(300, 200), ".png", &plen);
    CHECK_EQ_INT(process(jpg, jlen, &o, &r, err, sizeof err), FACET_OK);
    media_image_result_free(&r);
    CHECK_EQ_INT(process(png, plen, &o, &r, err, sizeof err), FACET_OK);
    media_image_result_free(&r);

    /* Cut short. */
    CHECK_EQ_INT(media_image_process(jpg, jlen * 6 / 10, &o, &r, err, sizeof err), FACET_EINVAL);
    CHECK(strstr(err, "truncated") != NULL && strstr(err, "jpeg") != NULL);
    CHECK(r.variant[0].data == NULL);
    CHECK_EQ_INT(media_image_process(png, plen * 6 / 10, &o, &r, err, sizeof err), FACET_EINVAL);
    CHECK(strstr(err, "png") != NULL);
    /* Only the header. */
    CHECK_EQ_INT(media_image_process(jpg, 200, &o, &r, err, sizeof err), FACET_EINVAL);

    /* Damaged in the middle: a stray marker in the JPEG's entropy-coded data
     * (libjpeg resynchronises, grey blocks follow), the PNG's image data (its
     * CRC no longer matches). */
    memcpy(jpg + jlen / 2, "\xFF\xD5\xFF\xD5", 4);
    CHECK_EQ_INT(media_image_process(jpg, jlen, &o, &r, err, sizeof err), FACET_EINVAL);
    CHECK(strstr(err, "corrupt") != NULL);
    for (size_t i = plen / 2; i < plen / 2 + 64; i++)
        png[i] ^= 0x5A;
    CHECK_EQ_INT(media_image_process(png, plen, &o, &r, err, sizeof err), FACET_EINVAL);
    g_free(jpg);
    g_free(png);
}

/* ---- orientation, colour, formats ---- */

TEST(exif_orientation_6_comes_out_upright)
{
    media_image_opts_t o = start();
    /* Stored 300 wide, 200 high: left half red, right half blue. Orientation
     * 6 means "rotate 90 degrees clockwise to display": upright it is 200
     * wide, 300 high, red on top and blue below. */
    VipsImage *red = solid(150, 200, 255, 0, 0, -1), *blue = solid(150, 200, 0, 0, 255, -1), *im;
    CHECK(vips_join(red, blue, &im, VIPS_DIRECTION_HORIZONTAL, NULL) == 0);
    g_object_unref(red);
    g_object_unref(blue);
    vips_image_set_int(im, VIPS_META_ORIENTATION, 6);
    size_t len;
    uint8_t *jpg = save(im, ".jpg[Q=95]", &len);
    media_image_info_t info;
    char err[256];
    CHECK_EQ_INT(media_image_probe(jpg, len, &o, &info, err, sizeof err), FACET_OK);
    CHECK_EQ_INT(info.orientation, 6);
    CHECK_EQ_INT(info.width, 300);

    media_image_result_t r;
    CHECK_EQ_INT(process(jpg, len, &o, &r, err, sizeof err), FACET_OK);
    CHECK_EQ_INT(r.width, 200);
    CHECK_EQ_INT(r.height, 300);
    media_image_blob_t *large = &r.variant[MEDIA_IMAGE_LARGE];
    CHECK_EQ_INT(large->width, 200);
    CHECK_EQ_INT(large->height, 300);
    VipsImage *out = decode(large->data, large->len);
    CHECK_EQ_INT(out->Xsize, 200);
    CHECK_EQ_INT(out->Ysize, 300);
    double top[4], bottom[4];
    pixel(out, 100, 60, top);
    pixel(out, 100, 240, bottom);
    CHECK(top[0] > 200 && top[2] < 60);
    CHECK(bottom[2] > 200 && bottom[0] < 60);
    /* Nothing tells a viewer to rotate it again. */
    CHECK(vips_image_get_orientation(out) == 1);
    g_object_unref(out);
    /* The thumbnail too: 160 high, 107 wide. */
    CHECK_EQ_INT(r.variant[MEDIA_IMAGE_THUMB].width, 107);
    CHECK_EQ_INT(r.variant[MEDIA_IMAGE_THUMB].height, 160);
    media_image_result_free(&r);
    g_free(jpg);
}

TEST(png_alpha_kept)
{
    media_image_opts_t o = start();
    /* Left half opaque green, right half fully transparent. */
    VipsImage *a = solid(200, 100, 0, 255, 0, 255), *b = solid(200, 100, 0, 0, 0, 0), *im;
    CHECK(vips_join(a, b, &im, VIPS_DIRECTION_HORIZONTAL, NULL) == 0);
    g_object_unref(a);
    g_object_unref(b);
    size_t len;
    uint8_t *png = save(im, ".png", &len);
    media_image_result_t r;
    char err[256];
    CHECK_EQ_INT(process(png, len, &o, &r, err, sizeof err), FACET_OK);
    CHECK_EQ_INT(r.format, MEDIA_IMAGE_PNG);
    VipsImage *out = decode(r.variant[MEDIA_IMAGE_MEDIUM].data, r.variant[MEDIA_IMAGE_MEDIUM].len);
    CHECK_EQ_INT(out->Bands, 4);
    double p[4];
    pixel(out, 50, 50, p);
    CHECK(p[1] > 230 && p[3] > 250);
    pixel(out, 350, 50, p);
    CHECK(p[3] < 5);
    g_object_unref(out);
    media_image_result_free(&r);
    g_free(png);
}

/* Each readable format goes through: w x h in (3:2), variants capped at
 * 160, 640 and 1600 but never enlarged. HEIC and AVIF inputs are smaller,
 * since making them (HEVC and AV1 encoding) is slow. */
static void check_format(const char *suffix, media_image_format_t expect, int w)
{
    media_image_opts_t o = start();
    int h = w * 2 / 3;
    size_t len;
    uint8_t *bytes = save(noise(w, h), suffix, &len);
    media_image_result_t r;
    char err[256];
    CHECK_EQ_INT(process(bytes, len, &o, &r, err, sizeof err), FACET_OK);
    CHECK_EQ_INT(r.format, expect);
    CHECK_EQ_INT(r.out_format, MEDIA_IMAGE_WEBP);
    CHECK_EQ_INT(r.width, w);
    CHECK_EQ_INT(r.height, h);
    for (int v = 0; v < MEDIA_IMAGE_NVARIANTS; v++) {
        int ew = w > o.edge[v] ? o.edge[v] : w,
            eh = w > o.edge[v] ? (h * o.edge[v] + w / 2) / w : h;
        CHECK_EQ_INT(r.variant[v].width, ew);
        CHECK_EQ_INT(r.variant[v].height, eh);
        VipsImage *out = decode(r.variant[v].data, r.variant[v].len);
        CHECK_EQ_INT(out->Xsize, ew);
        CHECK_EQ_INT(out->Ysize, eh);
        CHECK_EQ_INT(out->Bands, 3);
        g_object_unref(out);
        check_webp_chunks(r.variant[v].data, r.variant[v].len);
    }
    media_image_result_free(&r);
    g_free(bytes);
}

TEST(format_jpeg)
{
    check_format(".jpg", MEDIA_IMAGE_JPEG, 900);
}

TEST(format_webp)
{
    check_format(".webp", MEDIA_IMAGE_WEBP, 900);
}

TEST(format_gif)
{
    check_format(".gif", MEDIA_IMAGE_GIF, 900);
}

TEST(format_tiff)
{
    check_format(".tif", MEDIA_IMAGE_TIFF, 900);
}

TEST(format_heic)
{
    check_format(".heic[effort=0]", MEDIA_IMAGE_HEIF, 300);
}

TEST(format_avif)
{
    check_format(".avif[effort=0]", MEDIA_IMAGE_AVIF, 300);
}

TEST(png_16_bit_to_8_bit_srgb)
{
    media_image_opts_t o = start();
    /* A 16-bit RGB PNG at half intensity in every channel. */
    VipsImage *black, *im;
    CHECK(vips_black(&black, 64, 48, "bands", 3, NULL) == 0);
    CHECK(vips_linear1(black, &im, 1.0, 32768.0, NULL) == 0);
    g_object_unref(black);
    VipsImage *u16;
    CHECK(vips_cast(im, &u16, VIPS_FORMAT_USHORT, NULL) == 0);
    g_object_unref(im);
    u16->Type = VIPS_INTERPRETATION_RGB16;
    size_t len;
    uint8_t *png = save(u16, ".png[bitdepth=16]", &len);
    VipsImage *check;
    CHECK(vips_pngload_buffer(png, len, &check, NULL) == 0);
    CHECK_EQ_INT(check->BandFmt, VIPS_FORMAT_USHORT);
    g_object_unref(check);

    media_image_result_t r;
    char err[256];
    o.format = MEDIA_IMAGE_PNG;
    CHECK_EQ_INT(process(png, len, &o, &r, err, sizeof err), FACET_OK);
    VipsImage *out = decode(r.variant[MEDIA_IMAGE_THUMB].data, r.variant[MEDIA_IMAGE_THUMB].len);
    CHECK_EQ_INT(out->BandFmt, VIPS_FORMAT_UCHAR);
    CHECK_EQ_INT(out->Bands, 3);
    double p[4];
    pixel(out, 10, 10, p);
    CHECK(near(p[0], 128, 2) && near(p[1], 128, 2) && near(p[2], 128, 2));
    g_object_unref(out);
    media_image_result_free(&r);
    g_free(png);
}

TEST(cmyk_jpeg_to_srgb)
{
    media_image_opts_t o = start();
    /* Pure cyan ink: C=255, M=Y=K=0. In sRGB: little red, much green and
     * blue. */
    VipsImage *black, *im;
    CHECK(vips_black(&black, 80, 60, "bands", 4, NULL) == 0);
    CHECK(vips_linear(black, &im, (double[]){1, 1, 1, 1}, (double[]){255, 0, 0, 0}, 4, "uchar",
                      TRUE, NULL) == 0);
    g_object_unref(black);
    im->Type = VIPS_INTERPRETATION_CMYK;
    size_t len;
    uint8_t *jpg = save(im, ".jpg[Q=95]", &len);
    VipsImage *check;
    CHECK(vips_jpegload_buffer(jpg, len, &check, NULL) == 0);
    CHECK_EQ_INT(check->Bands, 4);
    CHECK_EQ_INT(check->Type, VIPS_INTERPRETATION_CMYK);
    g_object_unref(check);

    media_image_result_t r;
    char err[256];
    CHECK_EQ_INT(process(jpg, len, &o, &r, err, sizeof err), FACET_OK);
    VipsImage *out = decode(r.variant[MEDIA_IMAGE_LARGE].data, r.variant[MEDIA_IMAGE_LARGE].len);
    CHECK_EQ_INT(out->Bands, 3);
    double p[4];
    pixel(out, 40, 30, p);
    CHECK(p[0] < 80 && p[1] > 120 && p[2] > 180);
    g_object_unref(out);
    media_image_result_free(&r);
    g_free(jpg);
}

TEST(grey_jpeg_to_srgb)
{
    media_image_opts_t o = start();
    VipsImage *black, *im;
    CHECK(vips_black(&black, 50, 40, NULL) == 0);
    CHECK(vips_linear1(black, &im, 1.0, 100.0, "uchar", TRUE, NULL) == 0);
    g_object_unref(black);
    im->Type = VIPS_INTERPRETATION_B_W;
    size_t len;
    uint8_t *jpg = save(im, ".jpg", &len);
    media_image_result_t r;
    char err[256];
    CHECK_EQ_INT(process(jpg, len, &o, &r, err, sizeof err), FACET_OK);
    VipsImage *out = decode(r.variant[MEDIA_IMAGE_THUMB].data, r.variant[MEDIA_IMAGE_THUMB].len);
    CHECK_EQ_INT(out->Bands, 3);
    double p[4];
    pixel(out, 10, 10, p);
    CHECK(near(p[0], 100, 4) && near(p[1], 100, 4) && near(p[2], 100, 4));
    g_object_unref(out);
    media_image_result_free(&r);
    g_free(jpg);
}

/* ---- metadata, sizes, options ---- */

static const char xmp[] = "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF "
                          "xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
                          "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/"
                          "elements/1.1/\"><dc:creator>Secret Person</dc:creator>"
                          "</rdf:Description></rdf:RDF></x:xmpmeta>";

/* A JPEG carrying EXIF (a camera, an artist, GPS position), XMP and an ICC
 * profile; checks they are really in it. */
static uint8_t *jpeg_with_metadata(size_t *len)
{
    VipsImage *im = noise(600, 400);
    vips_image_set_string(im, "exif-ifd0-Make", "FacetCam");
    vips_image_set_string(im, "exif-ifd0-Artist", "Secret Person");
    vips_image_set_string(im, "exif-ifd3-GPSLatitudeRef", "N");
    vips_image_set_string(im, "exif-ifd3-GPSLatitude", "48/1 51/1 29/1");
    vips_image_set_string(im, "exif-ifd3-GPSLongitudeRef", "E");
    vips_image_set_string(im, "exif-ifd3-GPSLongitude", "2/1 17/1 40/1");
    vips_image_set_blob_copy(im, VIPS_META_XMP_NAME, xmp, sizeof xmp - 1);
    uint8_t *jpg = save(im, ".jpg[Q=90,profile=srgb]", len);
    VipsImage *in;
    CHECK(vips_jpegload_buffer(jpg, *len, &in, NULL) == 0);
    CHECK(vips_image_get_typeof(in, VIPS_META_EXIF_NAME));
    CHECK(vips_image_get_typeof(in, VIPS_META_XMP_NAME));
    CHECK(vips_image_get_typeof(in, VIPS_META_ICC_NAME));
    CHECK(vips_image_get_typeof(in, "exif-ifd3-GPSLatitude"));
    CHECK(contains(jpg, *len, "Secret Person") && contains(jpg, *len, "FacetCam"));
    g_object_unref(in);
    return jpg;
}

static void check_stripped(media_image_format_t format)
{
    media_image_opts_t o = start();
    size_t len;
    uint8_t *jpg = jpeg_with_metadata(&len);
    o.format = format;
    o.rendition = true;
    o.rendition_edge = 400;
    o.edge[MEDIA_IMAGE_MEDIUM] = 240;
    o.edge[MEDIA_IMAGE_LARGE] = 400;
    media_image_result_t r;
    char err[256];
    CHECK_EQ_INT(process(jpg, len, &o, &r, err, sizeof err), FACET_OK);
    for (int v = 0; v <= MEDIA_IMAGE_NVARIANTS; v++) {
        media_image_blob_t *b = v < MEDIA_IMAGE_NVARIANTS ? &r.variant[v] : &r.rendition;
        VipsImage *out = decode(b->data, b->len);
        check_no_metadata(out);
        g_object_unref(out);
        CHECK(!contains(b->data, b->len, "Secret Person"));
        CHECK(!contains(b->data, b->len, "FacetCam"));
        CHECK(!contains(b->data, b->len, "Exif"));
        CHECK(!contains(b->data, b->len, "ICC_PROFILE"));
        CHECK(!contains(b->data, b->len, "adobe:ns:meta"));
        if (format == MEDIA_IMAGE_WEBP && v < MEDIA_IMAGE_NVARIANTS)
            check_webp_chunks(b->data, b->len);
        if (format == MEDIA_IMAGE_PNG && v < MEDIA_IMAGE_NVARIANTS)
            CHECK(!contains(b->data, b->len, "eXIf") && !contains(b->data, b->len, "iCCP") &&
                  !contains(b->data, b->len, "iTXt"));
    }
    media_image_result_free(&r);
    g_free(jpg);
}

TEST(metadata_stripped_webp)
{
    check_stripped(MEDIA_IMAGE_WEBP);
}

TEST(metadata_stripped_jpeg)
{
    check_stripped(MEDIA_IMAGE_JPEG);
}

TEST(metadata_stripped_png)
{
    check_stripped(MEDIA_IMAGE_PNG);
}

TEST(metadata_stripped_avif)
{
    check_stripped(MEDIA_IMAGE_AVIF);
}

TEST(sizes_capped_never_enlarged)
{
    media_image_opts_t o = start();
    media_image_result_t r;
    char err[256];
    size_t len;
    /* Wide: the long side gets the edge. */
    uint8_t *wide = save(noise(3000, 1000), ".jpg", &len);
    CHECK_EQ_INT(process(wide, len, &o, &r, err, sizeof err), FACET_OK);
    CHECK_EQ_INT(r.width, 3000);
    static const int ww[] = {160, 640, 1600}, wh[] = {53, 213, 533};
    for (int v = 0; v < MEDIA_IMAGE_NVARIANTS; v++) {
        CHECK_EQ_INT(r.variant[v].width, ww[v]);
        CHECK_EQ_INT(r.variant[v].height, wh[v]);
    }
    media_image_result_free(&r);
    g_free(wide);
    /* Small: never enlarged. */
    uint8_t *small = save(noise(100, 50), ".png", &len);
    CHECK_EQ_INT(process(small, len, &o, &r, err, sizeof err), FACET_OK);
    for (int v = 0; v < MEDIA_IMAGE_NVARIANTS; v++) {
        CHECK_EQ_INT(r.variant[v].width, 100);
        CHECK_EQ_INT(r.variant[v].height, 50);
    }
    media_image_result_free(&r);
    g_free(small);
    /* Tall, with custom edges and one variant skipped. */
    uint8_t *tall = save(noise(500, 2000), ".webp", &len);
    o.edge[MEDIA_IMAGE_THUMB] = 100;
    o.edge[MEDIA_IMAGE_MEDIUM] = 0;
    o.edge[MEDIA_IMAGE_LARGE] = 1000;
    CHECK_EQ_INT(process(tall, len, &o, &r, err, sizeof err), FACET_OK);
    CHECK_EQ_INT(r.variant[MEDIA_IMAGE_THUMB].width, 25);
    CHECK_EQ_INT(r.variant[MEDIA_IMAGE_THUMB].height, 100);
    CHECK(r.variant[MEDIA_IMAGE_MEDIUM].data == NULL);
    CHECK_EQ_INT(r.variant[MEDIA_IMAGE_LARGE].width, 250);
    CHECK_EQ_INT(r.variant[MEDIA_IMAGE_LARGE].height, 1000);
    media_image_result_free(&r);
    g_free(tall);
}

TEST(output_format_and_quality)
{
    media_image_opts_t o = start();
    size_t len;
    uint8_t *jpg = save(noise(400, 300), ".jpg[Q=95]", &len);
    o.edge[MEDIA_IMAGE_MEDIUM] = 320;
    o.edge[MEDIA_IMAGE_LARGE] = 400;
    static const media_image_format_t formats[] = {MEDIA_IMAGE_WEBP, MEDIA_IMAGE_JPEG,
                                                   MEDIA_IMAGE_AVIF, MEDIA_IMAGE_PNG};
    char err[256];
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++) {
        media_image_result_t r;
        o.format = formats[i];
        o.quality = 80;
        CHECK_EQ_INT(process(jpg, len, &o, &r, err, sizeof err), FACET_OK);
        CHECK_EQ_INT(r.out_format, formats[i]);
        media_image_format_t got;
        media_image_blob_t *m = &r.variant[MEDIA_IMAGE_MEDIUM];
        CHECK_EQ_INT(media_image_sniff(m->data, m->len, &got, err, sizeof err), FACET_OK);
        CHECK_EQ_INT(got, formats[i]);
        VipsImage *out = decode(m->data, m->len);
        CHECK_EQ_INT(out->Xsize, 320);
        CHECK_EQ_INT(out->Ysize, 240);
        g_object_unref(out);
        if (formats[i] != MEDIA_IMAGE_PNG) {
            /* Lower quality, fewer bytes. */
            media_image_result_t low;
            o.quality = 30;
            CHECK_EQ_INT(process(jpg, len, &o, &low, err, sizeof err), FACET_OK);
            CHECK(low.variant[MEDIA_IMAGE_MEDIUM].len < m->len * 8 / 10);
            media_image_result_free(&low);
        } else {
            /* PNG: effort is the compression level. */
            media_image_result_t fast;
            o.effort = 0;
            CHECK_EQ_INT(process(jpg, len, &o, &fast, err, sizeof err), FACET_OK);
            CHECK(fast.variant[MEDIA_IMAGE_MEDIUM].len > m->len);
            media_image_result_free(&fast);
            o.effort = -1;
        }
        media_image_result_free(&r);
    }
    g_free(jpg);
}

TEST(jpeg_rendition_under_limit)
{
    media_image_opts_t o = start();
    size_t len;
    uint8_t *in = save(noise(2400, 1800), ".jpg[Q=95]", &len);
    char err[256];
    media_image_blob_t b;
    CHECK_EQ_INT(media_image_jpeg_rendition(in, len, &o, &b, err, sizeof err), FACET_OK);
    media_image_format_t f;
    CHECK_EQ_INT(media_image_sniff(b.data, b.len, &f, err, sizeof err), FACET_OK);
    CHECK_EQ_INT(f, MEDIA_IMAGE_JPEG);
    CHECK_EQ_INT(b.width, 1600);
    CHECK_EQ_INT(b.height, 1200);
    CHECK(b.len <= o.rendition_max_bytes);
    size_t full = b.len;
    media_image_blob_free(&b);
    /* A tight limit: lower quality, then smaller, until it fits. */
    o.rendition_max_bytes = full / 10;
    CHECK_EQ_INT(media_image_jpeg_rendition(in, len, &o, &b, err, sizeof err), FACET_OK);
    CHECK(b.len <= o.rendition_max_bytes);
    CHECK(b.width < 1600);
    media_image_blob_free(&b);
    /* The same from media_image_process, alongside the variants. */
    o.rendition_max_bytes = 5u << 20;
    o.rendition = true;
    media_image_result_t r;
    CHECK_EQ_INT(process(in, len, &o, &r, err, sizeof err), FACET_OK);
    CHECK(r.rendition.data != NULL && r.rendition.len <= o.rendition_max_bytes);
    CHECK_EQ_INT(r.rendition.width, 1600);
    media_image_result_free(&r);
    g_free(in);
}

struct job {
    const uint8_t *bytes;
    size_t len;
    const media_image_opts_t *o;
    int rc;
    int w;
};

static void *run_job(void *p)
{
    struct job *j = p;
    media_image_result_t r;
    char e[256];
    j->rc = media_image_process(j->bytes, j->len, j->o, &r, e, sizeof e);
    j->w = r.width;
    media_image_result_free(&r);
    return NULL;
}

TEST(concurrent_calls)
{
    /* Four threads at once on different inputs, as on the libuv pool. */
    media_image_opts_t o = start();
    enum { N = 4 };
    size_t len[N];
    uint8_t *in[N];
    struct job jobs[N];
    GThread *t[N];
    for (int i = 0; i < N; i++) {
        in[i] = save(noise(700 + 100 * i, 500), i % 2 ? ".png" : ".jpg", &len[i]);
        jobs[i] = (struct job){in[i], len[i], &o, -100, 0};
    }
    for (int i = 0; i < N; i++)
        t[i] = g_thread_new("img", run_job, &jobs[i]);
    for (int i = 0; i < N; i++) {
        g_thread_join(t[i]);
        CHECK_EQ_INT(jobs[i].rc, FACET_OK);
        CHECK_EQ_INT(jobs[i].w, 700 + 100 * i);
        g_free(in[i]);
    }
}
