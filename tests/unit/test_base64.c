/* Tests for core/base64.h: the RFC 4648 section 10 vectors in both
 * alphabets, strictness, sizes and the buffer variants. */
#include "core/base64.h"
#include "core/error.h"
#include "core/str.h"
#include "test.h"

static const struct {
    const char *raw, *std, *url;
} rfc_vectors[] = {
    {"", "", ""},
    {"f", "Zg==", "Zg"},
    {"fo", "Zm8=", "Zm8"},
    {"foo", "Zm9v", "Zm9v"},
    {"foob", "Zm9vYg==", "Zm9vYg"},
    {"fooba", "Zm9vYmE=", "Zm9vYmE"},
    {"foobar", "Zm9vYmFy", "Zm9vYmFy"},
};
#define NVECTORS (sizeof rfc_vectors / sizeof rfc_vectors[0])

static void check_encode(facet_base64_variant_t v, const char *raw, const char *want)
{
    char out[64];
    size_t n = 0, expect_len = 0;
    CHECK_EQ_INT(facet_base64_encoded_len(v, strlen(raw), &expect_len), FACET_OK);
    CHECK_EQ_INT(expect_len, strlen(want));
    CHECK_EQ_INT(facet_base64_encode(v, raw, strlen(raw), out, sizeof out, &n), FACET_OK);
    CHECK_EQ_INT(n, strlen(want));
    CHECK_EQ_STR(out, want);
}

static void check_decode(facet_base64_variant_t v, const char *text, const char *want)
{
    char out[64];
    size_t n = 99, expect_len = 99;
    char err[96] = "";
    CHECK_EQ_INT(facet_base64_decoded_len(v, text, strlen(text), &expect_len), FACET_OK);
    CHECK_EQ_INT(expect_len, strlen(want));
    CHECK_EQ_INT(facet_base64_decode(v, text, strlen(text), out, sizeof out, &n, err, sizeof err),
                 FACET_OK);
    CHECK_EQ_INT(n, strlen(want));
    CHECK(memcmp(out, want, n) == 0);
}

/* Expects text to be refused with reason (a prefix of the message). */
static void check_refused(facet_base64_variant_t v, const char *text, const char *reason)
{
    char out[64], err[96] = "";
    size_t n = 12345;
    int rc = facet_base64_decode(v, text, strlen(text), out, sizeof out, &n, err, sizeof err);
    if (rc != FACET_EINVAL || strncmp(err, reason, strlen(reason)) != 0) {
        fprintf(stderr, "\"%s\": rc %d, err \"%s\", expected \"%s\"\n", text, rc, err, reason);
        exit(1);
    }
    CHECK(strstr(err, " at byte ") != NULL);
    CHECK_EQ_INT(n, 12345);
}

TEST(rfc4648_vectors_standard)
{
    for (size_t i = 0; i < NVECTORS; i++) {
        check_encode(FACET_BASE64_STD, rfc_vectors[i].raw, rfc_vectors[i].std);
        check_decode(FACET_BASE64_STD, rfc_vectors[i].std, rfc_vectors[i].raw);
    }
}

TEST(rfc4648_vectors_url_padding_optional_on_decode)
{
    for (size_t i = 0; i < NVECTORS; i++) {
        check_encode(FACET_BASE64_URL, rfc_vectors[i].raw, rfc_vectors[i].url);
        check_decode(FACET_BASE64_URL, rfc_vectors[i].url, rfc_vectors[i].raw);
        check_decode(FACET_BASE64_URL, rfc_vectors[i].std, rfc_vectors[i].raw);
    }
}

TEST(alphabets_differ_in_two_characters)
{
    const char raw[] = "\xfb\xff\xbf";
    check_encode(FACET_BASE64_STD, raw, "+/+/");
    check_encode(FACET_BASE64_URL, raw, "-_-_");
    check_decode(FACET_BASE64_STD, "+/+/", raw);
    check_decode(FACET_BASE64_URL, "-_-_", raw);
    check_refused(FACET_BASE64_STD, "-_-_", "invalid character at byte 0");
    check_refused(FACET_BASE64_URL, "+/+/", "invalid character at byte 0");
}

TEST(every_byte_round_trips)
{
    unsigned char raw[256], back[256];
    for (int i = 0; i < 256; i++)
        raw[i] = (unsigned char)i;
    for (int v = FACET_BASE64_STD; v <= FACET_BASE64_URL; v++) {
        for (size_t len = 0; len <= sizeof raw; len += 1 + len / 7) {
            char text[400];
            size_t n, m;
            CHECK_EQ_INT(facet_base64_encode(v, raw, len, text, sizeof text, &n), FACET_OK);
            CHECK_EQ_INT(facet_base64_decode(v, text, n, back, sizeof back, &m, NULL, 0), FACET_OK);
            CHECK_EQ_INT(m, len);
            CHECK(memcmp(raw, back, len) == 0);
        }
    }
}

TEST(standard_requires_padding_and_whole_quanta)
{
    check_refused(FACET_BASE64_STD, "Zg", "length is not a multiple of 4");
    check_refused(FACET_BASE64_STD, "Zm8", "length is not a multiple of 4");
    check_refused(FACET_BASE64_STD, "Zm9vY", "length is not a multiple of 4");
    check_refused(FACET_BASE64_STD, "Zg=", "length is not a multiple of 4");
    check_refused(FACET_BASE64_STD, "Z===", "misplaced padding at byte 1");
    check_refused(FACET_BASE64_STD, "====", "misplaced padding at byte 0");
    check_refused(FACET_BASE64_STD, "Zg==Zg==", "misplaced padding at byte 2");
    check_refused(FACET_BASE64_STD, "Zm=v", "misplaced padding at byte 2");
}

TEST(url_padding_when_present_must_be_complete)
{
    check_refused(FACET_BASE64_URL, "Zg=", "incomplete padding");
    check_refused(FACET_BASE64_URL, "Zm9vYg=", "incomplete padding");
    check_refused(FACET_BASE64_URL, "Z", "truncated final quantum at byte 1");
    check_refused(FACET_BASE64_URL, "Zm9vY", "truncated final quantum");
    check_refused(FACET_BASE64_URL, "Zg==Zg", "misplaced padding at byte 2");
    check_refused(FACET_BASE64_URL, "Z===", "misplaced padding at byte 1");
}

TEST(whitespace_and_foreign_bytes_refused)
{
    check_refused(FACET_BASE64_STD, "Zm9v\nYmFy", "length is not a multiple of 4");
    check_refused(FACET_BASE64_STD, "Zm9v    ", "invalid character at byte 4");
    check_refused(FACET_BASE64_STD, " Zm9", "invalid character at byte 0");
    check_refused(FACET_BASE64_URL, "Zm9v Yg", "invalid character at byte 4");
    check_refused(FACET_BASE64_URL, "Zm9\r", "invalid character at byte 3");
    check_refused(FACET_BASE64_URL, "Zm.v", "invalid character at byte 2");
    check_refused(FACET_BASE64_URL, "Zm\xc3\xa9", "invalid character at byte 2");
    char nul[] = "Zm\0v";
    char out[8];
    CHECK_EQ_INT(facet_base64_decode(FACET_BASE64_URL, nul, 4, out, sizeof out, NULL, NULL, 0),
                 FACET_EINVAL);
}

TEST(non_zero_trailing_bits_refused)
{
    /* "Zg==" is 'f'; "Zh==" carries the same byte plus a stray 1 bit. */
    check_refused(FACET_BASE64_STD, "Zh==", "non-zero trailing bits at byte 1");
    check_refused(FACET_BASE64_STD, "Zm9=", "non-zero trailing bits at byte 2");
    check_refused(FACET_BASE64_URL, "Zh", "non-zero trailing bits at byte 1");
    check_refused(FACET_BASE64_URL, "Zm9", "non-zero trailing bits at byte 2");
    check_refused(FACET_BASE64_URL, "Zm9vYmFyZm9", "non-zero trailing bits at byte 10");
    check_decode(FACET_BASE64_URL, "Zm8", "fo");
}

TEST(decoded_len_checks_shape_only)
{
    size_t n = 0;
    CHECK_EQ_INT(facet_base64_decoded_len(FACET_BASE64_STD, "Zm9vYmE=", 8, &n), FACET_OK);
    CHECK_EQ_INT(n, 5);
    CHECK_EQ_INT(facet_base64_decoded_len(FACET_BASE64_URL, "Zm9vYmE", 7, &n), FACET_OK);
    CHECK_EQ_INT(n, 5);
    /* Characters are decode's business: this has a valid shape. */
    CHECK_EQ_INT(facet_base64_decoded_len(FACET_BASE64_STD, "!!!!", 4, &n), FACET_OK);
    CHECK_EQ_INT(n, 3);
    CHECK_EQ_INT(facet_base64_decoded_len(FACET_BASE64_STD, "Zm9", 3, &n), FACET_EINVAL);
    CHECK_EQ_INT(facet_base64_decoded_len(FACET_BASE64_URL, "Zm9vY", 5, &n), FACET_EINVAL);
    CHECK_EQ_INT(facet_base64_decoded_len(FACET_BASE64_URL, "Zm=", 3, &n), FACET_EINVAL);
}

TEST(encoded_len_overflow)
{
    size_t n;
    CHECK_EQ_INT(facet_base64_encoded_len(FACET_BASE64_STD, SIZE_MAX, &n), FACET_ELIMIT);
    CHECK_EQ_INT(facet_base64_encoded_len(FACET_BASE64_URL, SIZE_MAX / 4 * 3, &n), FACET_ELIMIT);
    CHECK_EQ_INT(facet_base64_encoded_len(FACET_BASE64_URL, 4, &n), FACET_OK);
    CHECK_EQ_INT(n, 6);
}

TEST(caller_buffers_too_small)
{
    char text[8];
    memset(text, 'x', sizeof text);
    CHECK_EQ_INT(facet_base64_encode(FACET_BASE64_STD, "foobar", 6, text, 7, NULL), FACET_ELIMIT);
    CHECK(text[0] == 'x');
    /* Exactly the encoded length fits, without a NUL. */
    CHECK_EQ_INT(facet_base64_encode(FACET_BASE64_STD, "foobar", 6, text, 8, NULL), FACET_OK);
    CHECK(memcmp(text, "Zm9vYmFy", 8) == 0);

    char raw[5], err[96];
    CHECK_EQ_INT(
        facet_base64_decode(FACET_BASE64_STD, "Zm9vYmFy", 8, raw, 5, NULL, err, sizeof err),
        FACET_ELIMIT);
    CHECK_EQ_STR(err, "decoded length 6 exceeds 5 bytes");
}

TEST(buffer_variants_append_and_leave_buffer_on_error)
{
    facet_buf_t b;
    facet_buf_init(&b, 0);
    CHECK_EQ_INT(facet_buf_append_str(&b, "x:"), FACET_OK);
    CHECK_EQ_INT(facet_base64_encode_buf(FACET_BASE64_URL, "fooba", 5, &b), FACET_OK);
    CHECK_SLICE(facet_str(b.base, b.len), "x:Zm9vYmE");
    CHECK_EQ_INT(facet_base64_decode_buf(FACET_BASE64_URL, "Zm9vYmFy", 8, &b, NULL, 0), FACET_OK);
    CHECK_SLICE(facet_str(b.base, b.len), "x:Zm9vYmEfoobar");
    char err[96];
    CHECK_EQ_INT(facet_base64_decode_buf(FACET_BASE64_URL, "Zm9v*mFy", 8, &b, err, sizeof err),
                 FACET_EINVAL);
    CHECK_EQ_STR(err, "invalid character at byte 4");
    CHECK_SLICE(facet_str(b.base, b.len), "x:Zm9vYmEfoobar");
    facet_buf_free(&b);

    facet_buf_t small;
    facet_buf_init(&small, 4);
    CHECK_EQ_INT(facet_base64_encode_buf(FACET_BASE64_STD, "foob", 4, &small), FACET_ELIMIT);
    CHECK_EQ_INT(small.len, 0);
    CHECK_EQ_INT(facet_base64_decode_buf(FACET_BASE64_STD, "Zm9vYmFy", 8, &small, NULL, 0),
                 FACET_ELIMIT);
    CHECK_EQ_INT(small.len, 0);
    facet_buf_free(&small);
}
