/* Format sniffing from magic bytes, and the names, content types and
 * extensions of the formats. The decision never looks at a content type or a
 * file name: those come from the client and can lie. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"
#include "media/image.h"

#define ALLOWED "JPEG, PNG, WebP, GIF, HEIF, AVIF or TIFF"

static bool starts(const uint8_t *b, size_t len, const void *magic, size_t n)
{
    return len >= n && memcmp(b, magic, n) == 0;
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* An ISO base media file (HEIF, AVIF, MP4, ...) starts with an "ftyp" box: a
 * major brand, a minor version and compatible brands. It is HEIF or AVIF when
 * one of the brands says so; AVIF wins when both appear, since libheif then
 * needs its AV1 decoder. Returns UNKNOWN for other ISO media (video). */
static media_image_format_t sniff_ftyp(const uint8_t *b, size_t len)
{
    static const char *const heif[] = {"heic", "heix", "hevc", "hevx", "heim",
                                       "heis", "mif1", "msf1", "mif2"};
    uint32_t size = be32(b);
    if (size < 16 || size > len)
        size = len < 64 ? (uint32_t)len : 64; /* a truncated box: look at what is there */
    bool is_heif = false;
    for (uint32_t off = 8; off + 4 <= size; off += 4) {
        if (off == 12)
            continue; /* the minor version, not a brand */
        const uint8_t *brand = b + off;
        if (memcmp(brand, "avif", 4) == 0 || memcmp(brand, "avis", 4) == 0)
            return MEDIA_IMAGE_AVIF;
        for (size_t i = 0; i < sizeof heif / sizeof *heif; i++)
            if (memcmp(brand, heif[i], 4) == 0)
                is_heif = true;
    }
    return is_heif ? MEDIA_IMAGE_HEIF : MEDIA_IMAGE_UNKNOWN;
}

/* Skips a UTF-8 byte order mark and white space, for the text formats. */
static const uint8_t *skip_text_lead(const uint8_t *b, size_t *len)
{
    if (starts(b, *len, "\xEF\xBB\xBF", 3)) {
        b += 3;
        *len -= 3;
    }
    while (*len > 0 && (*b == ' ' || *b == '\t' || *b == '\r' || *b == '\n')) {
        b++;
        (*len)--;
    }
    return b;
}

/* Names what a refused input looks like, for the error message; NULL when
 * nothing is recognised. */
static const char *name_refused(const uint8_t *b, size_t len)
{
    static const struct {
        const char *magic;
        size_t n;
        const char *name;
    } known[] = {
        {"%PDF-", 5, "PDF"},
        {"%!PS", 4, "PostScript"},
        {"BM", 2, "BMP"},
        {"\0\0\1\0", 4, "ICO"},
        {"8BPS", 4, "Photoshop (PSD)"},
        {"\xFF\x4F\xFF\x51", 4, "JPEG 2000"},
        {"\0\0\0\x0CjP  ", 8, "JPEG 2000"},
        {"\xFF\x0A", 2, "JPEG XL"},
        {"\0\0\0\x0CJXL ", 8, "JPEG XL"},
        {"SIMPLE  =", 9, "FITS"},
        {"MATLAB", 6, "MATLAB"},
        {"\x08\xF2\xA6\xB6", 4, "VIPS"},
        {"\xB6\xA6\xF2\x08", 4, "VIPS"},
        {"\x76\x2F\x31\x01", 4, "OpenEXR"},
        {"#?RADIANCE", 10, "Radiance HDR"},
        {"#?RGBE", 6, "Radiance HDR"},
        {"qoif", 4, "QOI"},
        {"DDS ", 4, "DDS"},
        {"\x1F\x8B", 2, "gzip"},
        {"PK\x03\x04", 4, "ZIP"},
    };
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (starts(b, len, known[i].magic, known[i].n))
            return known[i].name;
    if (len >= 2 && b[0] == 'P' && b[1] >= '1' && b[1] <= '7')
        return "Netpbm (PPM/PGM)";
    if (len >= 8 && memcmp(b + 4, "ftyp", 4) == 0)
        return "ISO media that is not HEIF or AVIF";
    size_t tlen = len;
    const uint8_t *t = skip_text_lead(b, &tlen);
    if (tlen >= 4 && (strncasecmp((const char *)t, "<svg", 4) == 0 ||
                      (tlen >= 5 && strncasecmp((const char *)t, "<?xml", 5) == 0)))
        return "SVG/XML";
    if (tlen >= 5 && (strncasecmp((const char *)t, "<!doc", 5) == 0 ||
                      strncasecmp((const char *)t, "<html", 5) == 0))
        return "HTML";
    return NULL;
}

int media_image_sniff(const uint8_t *bytes, size_t len, media_image_format_t *out, char *err,
                      size_t errlen)
{
    media_image_format_t f = MEDIA_IMAGE_UNKNOWN;
    if (starts(bytes, len, "\xFF\xD8\xFF", 3))
        f = MEDIA_IMAGE_JPEG;
    else if (starts(bytes, len, "\x89PNG\r\n\x1A\n", 8))
        f = MEDIA_IMAGE_PNG;
    else if (starts(bytes, len, "GIF87a", 6) || starts(bytes, len, "GIF89a", 6))
        f = MEDIA_IMAGE_GIF;
    else if (len >= 12 && memcmp(bytes, "RIFF", 4) == 0 && memcmp(bytes + 8, "WEBP", 4) == 0)
        f = MEDIA_IMAGE_WEBP;
    else if (starts(bytes, len, "II*\0", 4) || starts(bytes, len, "MM\0*", 4) ||
             starts(bytes, len, "II+\0", 4) || starts(bytes, len, "MM\0+", 4))
        f = MEDIA_IMAGE_TIFF;
    else if (len >= 16 && memcmp(bytes + 4, "ftyp", 4) == 0)
        f = sniff_ftyp(bytes, len);
    *out = f;
    if (f != MEDIA_IMAGE_UNKNOWN)
        return FACET_OK;
    const char *what = len ? name_refused(bytes, len) : NULL;
    if (len == 0)
        snprintf(err, errlen, "empty image: expected " ALLOWED);
    else if (what)
        snprintf(err, errlen, "unsupported image format %s: expected " ALLOWED, what);
    else
        snprintf(err, errlen, "unrecognised image format: expected " ALLOWED);
    return FACET_EINVAL;
}

const char *media_image_format_name(media_image_format_t f)
{
    switch (f) {
    case MEDIA_IMAGE_JPEG:
        return "jpeg";
    case MEDIA_IMAGE_PNG:
        return "png";
    case MEDIA_IMAGE_WEBP:
        return "webp";
    case MEDIA_IMAGE_GIF:
        return "gif";
    case MEDIA_IMAGE_HEIF:
        return "heif";
    case MEDIA_IMAGE_AVIF:
        return "avif";
    case MEDIA_IMAGE_TIFF:
        return "tiff";
    case MEDIA_IMAGE_UNKNOWN:
        break;
    }
    return "unknown";
}

const char *media_image_format_mime(media_image_format_t f)
{
    switch (f) {
    case MEDIA_IMAGE_JPEG:
        return "image/jpeg";
    case MEDIA_IMAGE_PNG:
        return "image/png";
    case MEDIA_IMAGE_WEBP:
        return "image/webp";
    case MEDIA_IMAGE_GIF:
        return "image/gif";
    case MEDIA_IMAGE_HEIF:
        return "image/heif";
    case MEDIA_IMAGE_AVIF:
        return "image/avif";
    case MEDIA_IMAGE_TIFF:
        return "image/tiff";
    case MEDIA_IMAGE_UNKNOWN:
        break;
    }
    return "application/octet-stream";
}

const char *media_image_format_ext(media_image_format_t f)
{
    switch (f) {
    case MEDIA_IMAGE_JPEG:
        return "jpg";
    case MEDIA_IMAGE_TIFF:
        return "tif";
    case MEDIA_IMAGE_UNKNOWN:
        return "bin";
    default:
        return media_image_format_name(f);
    }
}

int media_image_format_parse(const char *name, media_image_format_t *out)
{
    static const struct {
        const char *name;
        media_image_format_t f;
    } names[] = {{"webp", MEDIA_IMAGE_WEBP},
                 {"jpeg", MEDIA_IMAGE_JPEG},
                 {"jpg", MEDIA_IMAGE_JPEG},
                 {"avif", MEDIA_IMAGE_AVIF},
                 {"png", MEDIA_IMAGE_PNG}};
    for (size_t i = 0; name && i < sizeof names / sizeof *names; i++) {
        if (strcasecmp(name, names[i].name) == 0) {
            *out = names[i].f;
            return FACET_OK;
        }
    }
    return FACET_EINVAL;
}

const char *media_image_variant_name(media_image_variant_t v)
{
    switch (v) {
    case MEDIA_IMAGE_THUMB:
        return "thumb";
    case MEDIA_IMAGE_MEDIUM:
        return "medium";
    case MEDIA_IMAGE_LARGE:
        return "large";
    case MEDIA_IMAGE_NVARIANTS:
        break;
    }
    return "unknown";
}
