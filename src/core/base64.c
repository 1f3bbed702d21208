/* Strict base64 and base64url (RFC 4648 sections 4 and 5). */
#include "core/base64.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"

static const char std_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char url_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* The 6-bit value of c in the variant's alphabet, or -1. */
static int sextet(facet_base64_variant_t v, unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (v == FACET_BASE64_STD)
        return c == '+' ? 62 : c == '/' ? 63 : -1;
    return c == '-' ? 62 : c == '_' ? 63 : -1;
}

static int fail(char *err, size_t errlen, const char *reason, size_t offset)
{
    if (err && errlen)
        snprintf(err, errlen, "%s at byte %zu", reason, offset);
    return FACET_EINVAL;
}

int facet_base64_encoded_len(facet_base64_variant_t v, size_t len, size_t *out)
{
    size_t quanta = len / 3, rem = len % 3;
    if (quanta > (SIZE_MAX - 4) / 4)
        return FACET_ELIMIT;
    size_t n = quanta * 4;
    if (rem)
        n += v == FACET_BASE64_STD ? 4 : rem + 1;
    *out = n;
    return FACET_OK;
}

/* Counts the '=' that can be padding (at most two, at the very end). */
static size_t padding(const char *src, size_t len)
{
    size_t pad = 0;
    while (pad < 2 && pad < len && src[len - 1 - pad] == '=')
        pad++;
    return pad;
}

/* Checks the shape of src and finds its data characters and decoded size. */
static int shape(facet_base64_variant_t v, const char *src, size_t len, size_t *data_len,
                 size_t *decoded, char *err, size_t errlen)
{
    size_t pad = padding(src, len);
    if (v == FACET_BASE64_STD && len % 4 != 0)
        return fail(err, errlen, "length is not a multiple of 4", len);
    if (pad > 0 && len % 4 != 0)
        return fail(err, errlen, "incomplete padding", len);
    size_t data = len - pad;
    size_t rem = data % 4;
    if (rem == 1)
        return fail(err, errlen, "truncated final quantum", len);
    *data_len = data;
    *decoded = data / 4 * 3 + (rem ? rem - 1 : 0);
    return FACET_OK;
}

int facet_base64_decoded_len(facet_base64_variant_t v, const char *src, size_t len, size_t *out)
{
    size_t data;
    return shape(v, src, len, &data, out, NULL, 0);
}

int facet_base64_encode(facet_base64_variant_t v, const void *src, size_t len, char *dst,
                        size_t dstcap, size_t *outlen)
{
    size_t n;
    if (facet_base64_encoded_len(v, len, &n) != FACET_OK || n > dstcap)
        return FACET_ELIMIT;
    const char *alpha = v == FACET_BASE64_STD ? std_alphabet : url_alphabet;
    const unsigned char *s = src;
    char *d = dst;
    size_t i = 0;
    for (; i + 3 <= len; i += 3) {
        uint32_t w = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];
        *d++ = alpha[w >> 18];
        *d++ = alpha[(w >> 12) & 63];
        *d++ = alpha[(w >> 6) & 63];
        *d++ = alpha[w & 63];
    }
    if (i < len) {
        uint32_t w = (uint32_t)s[i] << 16;
        if (i + 1 < len)
            w |= (uint32_t)s[i + 1] << 8;
        *d++ = alpha[w >> 18];
        *d++ = alpha[(w >> 12) & 63];
        if (i + 1 < len)
            *d++ = alpha[(w >> 6) & 63];
        else if (v == FACET_BASE64_STD)
            *d++ = '=';
        if (v == FACET_BASE64_STD)
            *d++ = '=';
    }
    if (n < dstcap)
        *d = '\0';
    if (outlen)
        *outlen = n;
    return FACET_OK;
}

int facet_base64_encode_buf(facet_base64_variant_t v, const void *src, size_t len, facet_buf_t *out)
{
    size_t n;
    int rc = facet_base64_encoded_len(v, len, &n);
    if (rc == FACET_OK)
        rc = facet_buf_reserve(out, n);
    if (rc != FACET_OK || n == 0)
        return rc;
    rc = facet_base64_encode(v, src, len, out->base + out->len, n, NULL);
    if (rc == FACET_OK)
        out->len += n;
    return rc;
}

int facet_base64_decode(facet_base64_variant_t v, const char *src, size_t len, void *dst,
                        size_t dstcap, size_t *outlen, char *err, size_t errlen)
{
    size_t data, n;
    int rc = shape(v, src, len, &data, &n, err, errlen);
    if (rc != FACET_OK)
        return rc;
    if (n > dstcap) {
        if (err && errlen)
            snprintf(err, errlen, "decoded length %zu exceeds %zu bytes", n, dstcap);
        return FACET_ELIMIT;
    }
    unsigned char *d = dst;
    uint32_t acc = 0;
    size_t bits = 0;
    for (size_t i = 0; i < data; i++) {
        int x = sextet(v, (unsigned char)src[i]);
        if (x < 0)
            return fail(err, errlen, src[i] == '=' ? "misplaced padding" : "invalid character", i);
        acc = (acc << 6 | (uint32_t)x) & 0xffffff;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            *d++ = (unsigned char)(acc >> bits);
        }
    }
    /* A final partial quantum leaves 2 or 4 bits that must be zero, so that
     * no two texts decode to the same bytes. */
    if (bits && (acc & ((1u << bits) - 1)) != 0)
        return fail(err, errlen, "non-zero trailing bits", data - 1);
    if (outlen)
        *outlen = n;
    return FACET_OK;
}

int facet_base64_decode_buf(facet_base64_variant_t v, const char *src, size_t len, facet_buf_t *out,
                            char *err, size_t errlen)
{
    size_t data, n;
    int rc = shape(v, src, len, &data, &n, err, errlen);
    if (rc != FACET_OK)
        return rc;
    if (n == 0) /* only the empty text decodes to nothing */
        return FACET_OK;
    rc = facet_buf_reserve(out, n);
    if (rc != FACET_OK)
        return rc;
    rc = facet_base64_decode(v, src, len, out->base + out->len, n, NULL, err, errlen);
    if (rc == FACET_OK)
        out->len += n;
    return rc;
}
