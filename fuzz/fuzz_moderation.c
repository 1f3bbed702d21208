/* libFuzzer target for the moderation response parsers in media/moderation.h
 * (Rekognition, webhook, AWS error bodies) and the verdict. Every accepted
 * answer must hold well-formed labels: a non-empty, NUL-terminated name, a
 * NUL-terminated parent and a confidence in 0..100; and the verdict of the
 * labels must be one of the three statuses, with REJECTED whenever a label
 * at or above the minimum is named in the reject list. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "media/moderation.h"

#define ASSERT(cond) \
    do {             \
        if (!(cond)) \
            abort(); \
    } while (0)

static void check_labels(const media_mod_label_t *l, size_t n)
{
    media_mod_opts_t o = {.min_confidence = 50};
    for (size_t i = 0; i < n; i++) {
        ASSERT(l[i].name.len > 0 && l[i].name.base[l[i].name.len] == '\0');
        ASSERT(l[i].parent.base && l[i].parent.base[l[i].parent.len] == '\0');
        ASSERT(l[i].confidence >= 0 && l[i].confidence <= 100);
        /* Each label, rejected by its own name, must reject the lot. */
        if (l[i].confidence >= 50 && !memchr(l[i].name.base, ',', l[i].name.len) &&
            l[i].name.base[0] != ' ' && l[i].name.base[l[i].name.len - 1] != ' ' &&
            l[i].name.base[0] != '\t' && l[i].name.base[l[i].name.len - 1] != '\t' &&
            strlen(l[i].name.base) == l[i].name.len) {
            o.reject_labels = l[i].name.base;
            ASSERT(media_mod_verdict(&o, l, n) == MEDIA_MOD_REJECTED);
        }
    }
    o.reject_labels = NULL;
    ASSERT(media_mod_verdict(&o, l, n) == MEDIA_MOD_APPROVED);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *json = (const char *)data;
    facet_arena_t a;
    facet_arena_init(&a, 64 * 1024 * 1024);
    media_mod_label_t *l;
    size_t n;
    char err[160];
    if (media_mod_parse_rekognition(&a, json, size, &l, &n, err, sizeof err) == FACET_OK)
        check_labels(l, n);
    media_mod_status_t s;
    if (media_mod_parse_webhook(&a, json, size, &s, &l, &n, err, sizeof err) == FACET_OK) {
        ASSERT(s == MEDIA_MOD_APPROVED || s == MEDIA_MOD_REVIEW || s == MEDIA_MOD_REJECTED);
        check_labels(l, n);
    }
    char buf[256];
    media_mod_aws_error(json, size, buf, sizeof buf);
    ASSERT(strlen(buf) < sizeof buf);
    facet_arena_free(&a);
    return 0;
}
