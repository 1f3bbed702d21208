/* libFuzzer target for core/base64.h. Arbitrary input is decoded in both
 * variants: a text that decodes must have the predicted length and encode
 * back to itself (the canonical form; base64url input may carry padding the
 * encoder leaves off), and a refusal must say where. The input as bytes must
 * round-trip through both encodings, and the buffer variants must agree with
 * the caller-buffer ones. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/base64.h"
#include "core/error.h"

#define ASSERT(cond) \
    do {             \
        if (!(cond)) \
            abort(); \
    } while (0)

static void check_decode(facet_base64_variant_t v, const char *src, size_t len)
{
    size_t want = 0;
    int shape_rc = facet_base64_decoded_len(v, src, len, &want);
    unsigned char *raw = malloc(len + 1);
    ASSERT(raw);
    size_t n = 0;
    char err[96] = "";
    int rc = facet_base64_decode(v, src, len, raw, len, &n, err, sizeof err);
    ASSERT(rc == FACET_OK || rc == FACET_EINVAL);
    if (shape_rc != FACET_OK)
        ASSERT(rc == FACET_EINVAL);
    facet_buf_t b;
    facet_buf_init(&b, 0);
    int brc = facet_base64_decode_buf(v, src, len, &b, NULL, 0);
    ASSERT(brc == rc);
    if (rc == FACET_OK) {
        ASSERT(n == want && b.len == n && (n == 0 || memcmp(b.base, raw, n) == 0));
        size_t elen = 0;
        ASSERT(facet_base64_encoded_len(v, n, &elen) == FACET_OK);
        char *text = malloc(elen + 1);
        ASSERT(text);
        size_t tlen = 0;
        ASSERT(facet_base64_encode(v, raw, n, text, elen + 1, &tlen) == FACET_OK);
        ASSERT(tlen == elen && text[tlen] == '\0');
        size_t unpadded = len;
        if (v == FACET_BASE64_URL)
            while (unpadded > 0 && src[unpadded - 1] == '=')
                unpadded--;
        ASSERT(tlen == unpadded && memcmp(text, src, tlen) == 0);
        free(text);
    } else {
        ASSERT(b.len == 0 && strstr(err, " at byte ") != NULL);
    }
    facet_buf_free(&b);
    free(raw);
}

static void check_round_trip(facet_base64_variant_t v, const uint8_t *data, size_t size)
{
    facet_buf_t text, back;
    facet_buf_init(&text, 0);
    facet_buf_init(&back, 0);
    ASSERT(facet_base64_encode_buf(v, data, size, &text) == FACET_OK);
    ASSERT(facet_base64_decode_buf(v, text.base, text.len, &back, NULL, 0) == FACET_OK);
    ASSERT(back.len == size && (size == 0 || memcmp(back.base, data, size) == 0));
    facet_buf_free(&text);
    facet_buf_free(&back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_decode(FACET_BASE64_STD, (const char *)data, size);
    check_decode(FACET_BASE64_URL, (const char *)data, size);
    check_round_trip(FACET_BASE64_STD, data, size);
    check_round_trip(FACET_BASE64_URL, data, size);
    return 0;
}
