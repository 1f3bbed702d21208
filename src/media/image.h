/* The image pipeline on libvips: decides an upload's format from its bytes,
 * reads its header and refuses it above a pixel limit before decoding, then
 * decodes it once (shrinking on load where the format allows), turns it
 * upright from its EXIF orientation, converts it to 8-bit sRGB, drops every
 * piece of metadata and encodes THUMB, MEDIUM and LARGE variants (WebP by
 * default), plus a JPEG rendition for moderation when asked.
 *
 * Threads: media_image_init runs once at start-up, before any other call.
 * Every other function is thread-safe; media_image_process and
 * media_image_jpeg_rendition block for tens to hundreds of milliseconds, so
 * they run on the libuv thread pool (uv_queue_work), never on a loop.
 *
 * Only the JPEG, PNG, WebP, GIF, HEIF/AVIF and TIFF buffer loaders of libvips
 * can run in this process once media_image_init has returned; every other
 * loader (SVG, PDF, ImageMagick, OpenSlide, FITS, matrix, CSV, ...) is
 * blocked. Animated GIF and WebP and multi-page TIFF/HEIF: the first frame or
 * page is processed, the others are ignored (the pixel limit still counts
 * them all). */
#ifndef FACET_MEDIA_IMAGE_H
#define FACET_MEDIA_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Image formats: the first seven can be read, WEBP, JPEG, AVIF and PNG can
 * be written. */
typedef enum media_image_format {
    MEDIA_IMAGE_UNKNOWN = 0,
    MEDIA_IMAGE_JPEG,
    MEDIA_IMAGE_PNG,
    MEDIA_IMAGE_WEBP,
    MEDIA_IMAGE_GIF,
    MEDIA_IMAGE_HEIF,
    MEDIA_IMAGE_AVIF,
    MEDIA_IMAGE_TIFF,
} media_image_format_t;

typedef enum media_image_variant {
    MEDIA_IMAGE_THUMB = 0,
    MEDIA_IMAGE_MEDIUM,
    MEDIA_IMAGE_LARGE,
    MEDIA_IMAGE_NVARIANTS,
} media_image_variant_t;

/* Options. media_image_init reads the process-wide ones (libvips' worker
 * threads and operation cache); media_image_process and
 * media_image_jpeg_rendition read the others. Fill with
 * media_image_opts_default, then change fields. */
typedef struct media_image_opts {
    uint64_t max_pixels;             /* width * height * pages; default 50,000,000 */
    int edge[MEDIA_IMAGE_NVARIANTS]; /* longest edge cap; 160, 640, 1600; 0 = skip */
    media_image_format_t format;     /* variants: WEBP (default), JPEG, AVIF or PNG */
    int quality;                     /* 1..100, default 80; PNG ignores it */
    /* Encoder CPU effort 0..9: WebP's method (at most 6), AVIF's speed, PNG's
     * compression level; JPEG ignores it. -1 (default) picks WebP 4 (sharp's
     * default), AVIF 2 (libaom at 4 costs about 2 s per megapixel), PNG 6. */
    int effort;
    bool rendition;             /* media_image_process also makes the JPEG rendition */
    size_t rendition_max_bytes; /* default 5 MiB (Rekognition's limit for bytes) */
    int rendition_edge;         /* longest edge of the rendition; default 1600 */
    /* Process-wide, read by media_image_init only. */
    int concurrency;      /* libvips worker threads per image; default 1 */
    int cache_max_ops;    /* libvips operation cache entries; default 0 (off) */
    size_t cache_max_mem; /* bytes; default 0 */
    int cache_max_files;  /* default 0 */
} media_image_opts_t;

/* One encoded image. data is owned by whoever holds the struct (a result, or
 * the caller of media_image_jpeg_rendition) and freed by media_image_blob_free
 * or media_image_result_free. */
typedef struct media_image_blob {
    uint8_t *data;
    size_t len;
    int width, height;
} media_image_blob_t;

typedef struct media_image_result {
    media_image_format_t format; /* the input's, sniffed */
    int width, height;           /* the input's, upright (after EXIF orientation) */
    int pages;                   /* frames or pages in the input (1 for a still image) */
    media_image_format_t out_format;
    media_image_blob_t variant[MEDIA_IMAGE_NVARIANTS]; /* data NULL when edge was 0 */
    media_image_blob_t rendition;                      /* JPEG; data NULL unless asked */
} media_image_result_t;

/* The header of an input, read without decoding its pixels. */
typedef struct media_image_info {
    media_image_format_t format;
    int width, height; /* as stored, before orientation */
    int pages;
    int orientation; /* EXIF orientation 1..8 (1 when absent) */
} media_image_info_t;

/* The defaults above. */
void media_image_opts_default(media_image_opts_t *opts);

/* Checks the per-call options (limits, edges, format, quality). Returns
 * FACET_EINVAL with a message naming the field. */
int media_image_opts_check(const media_image_opts_t *opts, char *err, size_t errlen);

/* Starts libvips once per process and applies the process-wide options:
 * worker threads, the operation cache, and the block on every loader but the
 * six allowed ones (checked: it fails if one of them is missing from this
 * libvips). A second call re-applies the cache and thread settings only. Call
 * it from one thread before anything else here. Returns FACET_EIO when
 * libvips cannot start, FACET_EINVAL on bad options. */
int media_image_init(const media_image_opts_t *opts, char *err, size_t errlen);

/* Shuts libvips down at process exit; nothing here may be called afterwards. */
void media_image_shutdown(void);

/* Decides the format from the magic bytes alone. An input that is none of
 * the seven readable formats gets FACET_EINVAL and a message that names what
 * it looks like (SVG, PDF, BMP, ...) when it can tell. */
int media_image_sniff(const uint8_t *bytes, size_t len, media_image_format_t *out, char *err,
                      size_t errlen);

/* Sniffs, then reads the header with the format's own loader (no pixel is
 * decoded) and checks width * height * pages against opts->max_pixels:
 * FACET_ELIMIT above it, FACET_EINVAL for a header the loader refuses. */
int media_image_probe(const uint8_t *bytes, size_t len, const media_image_opts_t *opts,
                      media_image_info_t *out, char *err, size_t errlen);

/* The whole pipeline: probe, one decode, the variants (and the rendition when
 * opts->rendition). bytes are only read, and need to live only for the call.
 * On success *out holds malloc'd buffers that the caller frees with
 * media_image_result_free. On error *out is left empty (safe to free) and err
 * says why: FACET_EINVAL for an unsupported, corrupt or truncated input,
 * FACET_ELIMIT above the pixel limit or when the rendition cannot fit its
 * byte limit, FACET_EIO when an encoder fails, FACET_ECLOSED before
 * media_image_init. Blocking; thread-safe. */
int media_image_process(const uint8_t *bytes, size_t len, const media_image_opts_t *opts,
                        media_image_result_t *out, char *err, size_t errlen);

/* Only the moderation rendition: a JPEG of at most opts->rendition_max_bytes,
 * longest edge at most opts->rendition_edge, upright, sRGB, no metadata.
 * Same errors as media_image_process; the caller frees out with
 * media_image_blob_free. Blocking; thread-safe. */
int media_image_jpeg_rendition(const uint8_t *bytes, size_t len, const media_image_opts_t *opts,
                               media_image_blob_t *out, char *err, size_t errlen);

void media_image_result_free(media_image_result_t *r);
void media_image_blob_free(media_image_blob_t *b);

/* Names: "jpeg", "png", "webp", "gif", "heif", "avif", "tiff" ("unknown"). */
const char *media_image_format_name(media_image_format_t f);
/* Content types: "image/webp", ... */
const char *media_image_format_mime(media_image_format_t f);
/* File extensions for storage keys: "webp", "jpg", "avif", "png", ... */
const char *media_image_format_ext(media_image_format_t f);
/* Parses an output format name (webp, jpeg or jpg, avif, png; any case).
 * FACET_EINVAL for anything else, including formats that are read only. */
int media_image_format_parse(const char *name, media_image_format_t *out);
/* "thumb", "medium", "large". */
const char *media_image_variant_name(media_image_variant_t v);

#endif
