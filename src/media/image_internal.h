/* Shared between the image_*.c files of the image pipeline; not for other
 * modules (they use media/image.h). */
#ifndef FACET_MEDIA_IMAGE_INTERNAL_H
#define FACET_MEDIA_IMAGE_INTERNAL_H

#include <vips/vips.h>

#include "media/image.h"

/* Whether media_image_init has run. */
bool media_image__ready(void);

/* Opens bytes with the loader of format f (never one libvips picks): lazily,
 * in sequential access, failing on warnings, errors and truncation. shrink (1, 2, 4
 * or 8) asks JPEG and WebP to shrink while decoding; other formats ignore it.
 * The image refers to bytes, which must outlive it. */
int media_image__open(const uint8_t *bytes, size_t len, media_image_format_t f, int shrink,
                      VipsImage **out);

/* The size that fits w x h inside a square of edge pixels, keeping the aspect
 * ratio and never enlarging. */
void media_image__fit(int w, int h, int edge, int *tw, int *th);

/* Decodes hdr (the image media_image_probe opened, described by info) into
 * an in-memory, upright, 8-bit sRGB image (3 bands, or 4 with alpha) whose
 * longest edge is at most edge, with no metadata. Caller unrefs *out. */
int media_image__decode(const uint8_t *bytes, size_t len, VipsImage *hdr,
                        const media_image_info_t *info, int edge, VipsImage **out, char *err,
                        size_t errlen);

/* Resizes an in-memory image to exactly tw x th (premultiplying alpha) and
 * copies the result to memory. Caller unrefs *out. */
int media_image__resize(VipsImage *in, int tw, int th, VipsImage **out);

/* Encodes im as f at quality q and effort (-1: the format's default) with no
 * metadata (JPEG: alpha flattened on white). out->data is g_malloc'd (the
 * system allocator). */
int media_image__encode(VipsImage *im, media_image_format_t f, int q, int effort,
                        media_image_blob_t *out);

/* Removes the EXIF, XMP and ICCP chunks of a WebP file in place, and their
 * flags in VP8X: libvips 8.14's webpsave writes an EXIF chunk (resolution,
 * at least) even when told to strip. Returns -1 for a malformed file. */
int media_image__webp_strip(uint8_t *data, size_t *len);

/* The moderation JPEG from an upright sRGB image: lower quality, then size,
 * until it fits max_bytes. */
int media_image__rendition(VipsImage *im, size_t max_bytes, media_image_blob_t *out, char *err,
                           size_t errlen);

/* Forgets libvips' error text after a failure. Its buffer is one for the
 * whole process, so text from concurrent threads mixes: messages to callers
 * are written here instead. */
void media_image__vips_error_reset(void);

#endif
