/* Base64 as RFC 4648 defines it: the standard alphabet (section 4, always
 * padded) and the URL- and filename-safe alphabet (section 5, written without
 * padding, as JWTs and opaque tokens use it). Decoding is strict: characters
 * outside the alphabet (whitespace included), misplaced or missing padding
 * and non-zero bits left over in the last character are refused, so every
 * accepted text has exactly one decoding and every byte string exactly one
 * encoding. Nothing here allocates except the facet_buf_t variants. */
#ifndef FACET_CORE_BASE64_H
#define FACET_CORE_BASE64_H

#include <stddef.h>

#include "core/buf.h"

typedef enum facet_base64_variant {
    /* "A-Za-z0-9+/", padded with '=' to a multiple of 4 characters; decoding
     * requires the padding. */
    FACET_BASE64_STD,
    /* "A-Za-z0-9-_", written without padding; decoding accepts the text
     * with or without padding, but padding, when present, must be complete
     * (the length a multiple of 4). */
    FACET_BASE64_URL,
} facet_base64_variant_t;

/* Stores in *out the exact length of the encoding of len bytes (no NUL).
 * Returns FACET_ELIMIT when that length does not fit in a size_t. */
int facet_base64_encoded_len(facet_base64_variant_t v, size_t len, size_t *out);

/* Stores in *out the exact number of bytes src decodes to, looking only at
 * its length and padding (the characters are checked by decode). Returns
 * FACET_EINVAL when no valid text of this variant has that shape: a length
 * that cannot end a quantum, or '=' where padding cannot be. */
int facet_base64_decoded_len(facet_base64_variant_t v, const char *src, size_t len, size_t *out);

/* Encodes len bytes of src into dst, which has room for dstcap bytes.
 * Writes exactly the encoded length (see facet_base64_encoded_len) and, when
 * dstcap leaves room for it, a NUL after it; *outlen (if not NULL) gets the
 * length without the NUL. Returns FACET_ELIMIT, writing nothing, when dstcap
 * is smaller than the encoded length. */
int facet_base64_encode(facet_base64_variant_t v, const void *src, size_t len, char *dst,
                        size_t dstcap, size_t *outlen);

/* Appends the encoding of len bytes of src to out. Returns FACET_ELIMIT or
 * FACET_ENOMEM from the buffer, which is left unchanged then. */
int facet_base64_encode_buf(facet_base64_variant_t v, const void *src, size_t len,
                            facet_buf_t *out);

/* Decodes len characters of src (need not be NUL-terminated) into dst,
 * which has room for dstcap bytes; *outlen (if not NULL) gets the decoded
 * length. Returns FACET_EINVAL for text that is not in the variant's strict
 * form, writing "<reason> at byte <offset>" into err (when not NULL;
 * truncated to errlen, always NUL-terminated), or FACET_ELIMIT when dstcap
 * is smaller than the decoded length. dst may hold partial output after a
 * failure. */
int facet_base64_decode(facet_base64_variant_t v, const char *src, size_t len, void *dst,
                        size_t dstcap, size_t *outlen, char *err, size_t errlen);

/* Appends the decoding of src to out, with the errors of facet_base64_decode
 * plus FACET_ELIMIT or FACET_ENOMEM from the buffer. On any failure out is
 * left as it was. */
int facet_base64_decode_buf(facet_base64_variant_t v, const char *src, size_t len, facet_buf_t *out,
                            char *err, size_t errlen);

#endif
