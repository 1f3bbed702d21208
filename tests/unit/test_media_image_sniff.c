/* The image pipeline's pure parts: format sniffing, format and variant
 * names, option checks and the WebP metadata stripper. No libvips start-up
 * needed; the pipeline itself is tested in test_media_image.c. */
#include <stdint.h>

#include "core/error.h"
#include "media/image.h"
#include "media/image_internal.h"
#include "test.h"

/* ---- sniffing ---- */

TEST(sniff_formats)
{
    static const struct {
        const char *bytes;
        size_t len;
        media_image_format_t f;
    } cases[] = {
        {"\xFF\xD8\xFF\xE0", 4, MEDIA_IMAGE_JPEG},
        {"\x89PNG\r\n\x1A\n", 8, MEDIA_IMAGE_PNG},
        {"GIF89a", 6, MEDIA_IMAGE_GIF},
        {"GIF87a", 6, MEDIA_IMAGE_GIF},
        {"RIFF\x10\0\0\0WEBPVP8 ", 16, MEDIA_IMAGE_WEBP},
        {"II*\0", 4, MEDIA_IMAGE_TIFF},
        {"MM\0*", 4, MEDIA_IMAGE_TIFF},
        {"\0\0\0\x18"
         "ftypheic\0\0\0\0mif1heic",
         24, MEDIA_IMAGE_HEIF},
        {"\0\0\0\x1C"
         "ftypavif\0\0\0\0avifmif1miaf",
         28, MEDIA_IMAGE_AVIF},
        {"\0\0\0\x18"
         "ftypmif1\0\0\0\0mif1avif",
         24, MEDIA_IMAGE_AVIF},
    };
    char err[256];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        media_image_format_t f = MEDIA_IMAGE_UNKNOWN;
        CHECK_EQ_INT(
            media_image_sniff((const uint8_t *)cases[i].bytes, cases[i].len, &f, err, sizeof err),
            FACET_OK);
        CHECK_EQ_INT(f, cases[i].f);
    }
}

TEST(sniff_refuses_with_a_name)
{
    static const struct {
        const char *bytes;
        const char *name;
    } cases[] = {
        {"<svg xmlns=\"http://www.w3.org/2000/svg\"/>", "SVG"},
        {"\xEF\xBB\xBF  <?xml version=\"1.0\"?><svg/>", "SVG"},
        {"%PDF-1.7\n%\xE2\xE3", "PDF"},
        {"BM\x36\0\0\0", "BMP"},
        {"8BPS\0\1", "PSD"},
        {"\0\0\0\x18"
         "ftypmp42\0\0\0\0mp42isom",
         "ISO media"},
        {"<!DOCTYPE html><html>", "HTML"},
        {"hello, world", "unrecognised"},
    };
    char err[256];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        media_image_format_t f;
        size_t len = strlen(cases[i].bytes);
        if (memcmp(cases[i].bytes, "\0\0\0\x18", 4) == 0)
            len = 24;
        int rc = media_image_sniff((const uint8_t *)cases[i].bytes, len, &f, err, sizeof err);
        CHECK_EQ_INT(rc, FACET_EINVAL);
        CHECK_EQ_INT(f, MEDIA_IMAGE_UNKNOWN);
        if (!strstr(err, cases[i].name))
            fprintf(stderr, "message \"%s\" does not name %s\n", err, cases[i].name);
        CHECK(strstr(err, cases[i].name) != NULL);
    }
    CHECK_EQ_INT(
        media_image_sniff((const uint8_t *)"", 0, &(media_image_format_t){0}, err, sizeof err),
        FACET_EINVAL);
    CHECK(strstr(err, "empty") != NULL);
}

TEST(format_names_and_parse)
{
    media_image_format_t f;
    CHECK_EQ_INT(media_image_format_parse("WebP", &f), FACET_OK);
    CHECK_EQ_INT(f, MEDIA_IMAGE_WEBP);
    CHECK_EQ_INT(media_image_format_parse("jpg", &f), FACET_OK);
    CHECK_EQ_INT(f, MEDIA_IMAGE_JPEG);
    CHECK_EQ_INT(media_image_format_parse("avif", &f), FACET_OK);
    CHECK_EQ_INT(media_image_format_parse("png", &f), FACET_OK);
    CHECK_EQ_INT(media_image_format_parse("gif", &f), FACET_EINVAL);
    CHECK_EQ_INT(media_image_format_parse("svg", &f), FACET_EINVAL);
    CHECK_EQ_STR(media_image_format_ext(MEDIA_IMAGE_JPEG), "jpg");
    CHECK_EQ_STR(media_image_format_mime(MEDIA_IMAGE_WEBP), "image/webp");
    CHECK_EQ_STR(media_image_variant_name(MEDIA_IMAGE_MEDIUM), "medium");
}

TEST(options_checked)
{
    media_image_opts_t o;
    char err[256];
    media_image_opts_default(&o);
    CHECK_EQ_INT(media_image_opts_check(&o, err, sizeof err), FACET_OK);
    o.quality = 0;
    CHECK_EQ_INT(media_image_opts_check(&o, err, sizeof err), FACET_EINVAL);
    CHECK(strstr(err, "quality") != NULL);
    media_image_opts_default(&o);
    o.format = MEDIA_IMAGE_GIF;
    CHECK_EQ_INT(media_image_opts_check(&o, err, sizeof err), FACET_EINVAL);
    media_image_opts_default(&o);
    o.edge[0] = o.edge[1] = o.edge[2] = 0;
    CHECK_EQ_INT(media_image_opts_check(&o, err, sizeof err), FACET_EINVAL);
    media_image_opts_default(&o);
    o.edge[1] = -5;
    CHECK_EQ_INT(media_image_opts_check(&o, err, sizeof err), FACET_EINVAL);
    CHECK(strstr(err, "medium") != NULL);
    media_image_opts_default(&o);
    o.effort = 10;
    CHECK_EQ_INT(media_image_opts_check(&o, err, sizeof err), FACET_EINVAL);
    CHECK(strstr(err, "effort") != NULL);
}

/* ---- the WebP metadata stripper ---- */

TEST(webp_strip_drops_metadata_chunks)
{
    /* VP8X (ICC, alpha, EXIF, XMP flags), ICCP, ALPH, VP8, EXIF of odd size
     * with its pad byte, XMP. */
    uint8_t d[] = "RIFF\0\0\0\0WEBP"
                  "VP8X\x0A\0\0\0\x3C\0\0\0\x09\0\0\x09\0\0"
                  "ICCP\x04\0\0\0abcd"
                  "ALPH\x02\0\0\0\x01\x02"
                  "VP8 \x04\0\0\0wxyz"
                  "EXIF\x03\0\0\0II*\0"
                  "XMP \x02\0\0\0<x";
    size_t len = sizeof d - 1;
    d[4] = (uint8_t)(len - 8);
    CHECK_EQ_INT(media_image__webp_strip(d, &len), 0);
    static const uint8_t want[] = "RIFF\x2C\0\0\0WEBP"
                                  "VP8X\x0A\0\0\0\x10\0\0\0\x09\0\0\x09\0\0"
                                  "ALPH\x02\0\0\0\x01\x02"
                                  "VP8 \x04\0\0\0wxyz";
    CHECK_EQ_INT(len, sizeof want - 1);
    CHECK(memcmp(d, want, len) == 0);
    /* A chunk that claims more bytes than there are. */
    uint8_t bad[] = "RIFF\x14\0\0\0WEBPVP8 \xFF\0\0\0wxyz";
    len = sizeof bad - 1;
    CHECK_EQ_INT(media_image__webp_strip(bad, &len), -1);
    len = 8;
    CHECK_EQ_INT(media_image__webp_strip(bad, &len), -1);
}
