/* Fuzzes the image ingest entry point: sniffing, the header probe with its
 * pixel limit, and the whole pipeline (one decode, a small variant, the
 * moderation JPEG), with limits small enough to run hundreds of inputs a
 * second. Also feeds the bytes to the WebP metadata stripper. Any input may
 * be refused; none may crash, leak or trip a sanitizer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "media/image.h"
#include "media/image_internal.h"

static media_image_opts_t opts;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char err[256];
    media_image_opts_default(&opts);
    opts.max_pixels = 1000000;
    opts.edge[MEDIA_IMAGE_THUMB] = 48;
    opts.edge[MEDIA_IMAGE_MEDIUM] = 0;
    opts.edge[MEDIA_IMAGE_LARGE] = 0;
    opts.quality = 50;
    opts.rendition = true;
    opts.rendition_edge = 32;
    opts.rendition_max_bytes = 1024;
    if (media_image_init(&opts, err, sizeof err) != FACET_OK)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    media_image_format_t f;
    if (media_image_sniff(data, size, &f, err, sizeof err) == FACET_OK) {
        media_image_info_t info;
        if (media_image_probe(data, size, &opts, &info, err, sizeof err) == FACET_OK &&
            ((uint64_t)info.width * info.height * info.pages > opts.max_pixels))
            abort();
        media_image_result_t r;
        int rc = media_image_process(data, size, &opts, &r, err, sizeof err);
        if (rc == FACET_OK) {
            const media_image_blob_t *t = &r.variant[MEDIA_IMAGE_THUMB];
            if (!t->data || t->width > 48 || t->height > 48 || t->width < 1 || t->height < 1)
                abort();
            if (!r.rendition.data || r.rendition.len > opts.rendition_max_bytes)
                abort();
        } else if (r.variant[MEDIA_IMAGE_THUMB].data || r.rendition.data) {
            abort();
        }
        media_image_result_free(&r);
    }
    /* The RIFF walker on arbitrary bytes (it writes in place: a copy). */
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    size_t len = size;
    if (media_image__webp_strip(copy, &len) == 0 && len > size)
        abort();
    free(copy);
    return 0;
}
