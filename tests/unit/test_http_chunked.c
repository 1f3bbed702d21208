/* Unit tests for the chunked body decoder: every split point, extensions,
 * trailers, limits and malformed framing. */
#include "http/http_parser.h"

#include "core/error.h"
#include "test.h"

/* ------------------------------------------------------------------------ */
/* Chunked decoder                                                          */
/* ------------------------------------------------------------------------ */

/* Feeds in[0..split) and then the rest, as a socket might deliver it. */
static int decode_split(const char *in, size_t len, size_t split, uint64_t max_body,
                        size_t max_line, size_t *consumed, facet_buf_t *out)
{
    http_chunked_t c;
    http_chunked_init(&c, max_body, max_line);
    size_t used = 0;
    int rc = http_chunked_decode(&c, in, split, &used, out);
    *consumed = used;
    if (rc == FACET_EAGAIN) {
        CHECK_EQ_INT(used, split);
        rc = http_chunked_decode(&c, in + split, len - split, &used, out);
        *consumed += used;
    }
    return rc;
}

static int decode(const char *in, uint64_t max_body, size_t max_line, size_t *consumed,
                  facet_buf_t *out)
{
    size_t len = strlen(in);
    return decode_split(in, len, len, max_body, max_line, consumed, out);
}

/* Checks that a chunked body followed by extra other bytes decodes to want
 * at every split, stopping where the body ends. */
static void check_every_split(const char *in, const char *want, size_t extra)
{
    size_t len = strlen(in), body_len = len - extra;
    for (size_t split = 0; split <= len; split++) {
        facet_buf_t out;
        facet_buf_init(&out, 0);
        size_t consumed;
        CHECK_EQ_INT(decode_split(in, len, split, 1 << 20, 64, &consumed, &out), FACET_OK);
        CHECK_EQ_INT(consumed, body_len);
        CHECK_EQ_INT(out.len, strlen(want));
        CHECK(out.len == 0 || memcmp(out.base, want, out.len) == 0);
        facet_buf_free(&out);
    }
}

/* Checks that in is refused with rc, whole and byte by byte. */
static void chunked_reject_at(const char *in, size_t len, int rc, size_t max_line, int line)
{
    for (int bytewise = 0; bytewise < 2; bytewise++) {
        http_chunked_t c;
        facet_buf_t out;
        http_chunked_init(&c, 100, max_line);
        facet_buf_init(&out, 0);
        int got = FACET_EAGAIN;
        size_t used, step = bytewise ? 1 : len;
        for (size_t i = 0; i < len && got == FACET_EAGAIN; i += step) {
            size_t n = len - i < step ? len - i : step;
            got = http_chunked_decode(&c, in + i, n, &used, &out);
        }
        facet_buf_free(&out);
        if (got != rc) {
            fprintf(stderr, "%s:%d: got %d, expected %d (bytewise %d)\n", __FILE__, line, got, rc,
                    bytewise);
            exit(1);
        }
    }
}

#define CHUNKED_REJECT(lit, rc) chunked_reject_at((lit), sizeof(lit) - 1, (rc), 32, __LINE__)

TEST(chunked_decodes_simple_body)
{
    facet_buf_t out;
    facet_buf_init(&out, 0);
    size_t consumed;
    const char *in = "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
    CHECK_EQ_INT(decode(in, 100, 32, &consumed, &out), FACET_OK);
    CHECK_EQ_INT(consumed, strlen(in));
    CHECK_EQ_INT(out.len, 11);
    CHECK(memcmp(out.base, "hello world", 11) == 0);
    facet_buf_free(&out);
}

TEST(chunked_decodes_at_every_split)
{
    check_every_split("5\r\nhello\r\n1;a=b\r\n \r\nA\r\n0123456789\r\n0\r\nT: v\r\n\r\n",
                      "hello 0123456789", 0);
}

TEST(chunked_decodes_byte_by_byte)
{
    const char *in = "3;x\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\n\r\nNEXT";
    http_chunked_t c;
    facet_buf_t out;
    http_chunked_init(&c, 100, 32);
    facet_buf_init(&out, 0);
    size_t i = 0, used;
    int rc = FACET_EAGAIN;
    while (rc == FACET_EAGAIN) {
        rc = http_chunked_decode(&c, in + i, 1, &used, &out);
        CHECK_EQ_INT(used, 1);
        i++;
    }
    CHECK_EQ_INT(rc, FACET_OK);
    CHECK_EQ_INT(i, strlen(in) - 4);
    CHECK_EQ_INT(c.total, 19);
    CHECK(memcmp(out.base, "abc0123456789abcdef", 19) == 0);
    facet_buf_free(&out);
}

TEST(chunked_leaves_pipelined_bytes)
{
    facet_buf_t out;
    facet_buf_init(&out, 0);
    size_t consumed;
    const char *body = "2\r\nhi\r\n0\r\n\r\n";
    char in[128];
    snprintf(in, sizeof in, "%sGET / HTTP/1.1\r\n", body);
    CHECK_EQ_INT(decode(in, 100, 32, &consumed, &out), FACET_OK);
    CHECK_EQ_INT(consumed, strlen(body));
    facet_buf_free(&out);
}

TEST(chunked_empty_body)
{
    facet_buf_t out;
    facet_buf_init(&out, 0);
    size_t consumed;
    CHECK_EQ_INT(decode("0\r\n\r\n", 0, 32, &consumed, &out), FACET_OK);
    CHECK_EQ_INT(consumed, 5);
    CHECK_EQ_INT(out.len, 0);
    CHECK_EQ_INT(decode("000;ext\r\n\r\n", 0, 32, &consumed, &out), FACET_OK);
    facet_buf_free(&out);
}

TEST(chunked_reports_incomplete_input)
{
    const char *in = "5\r\nhello\r\n0\r\n\r\n";
    for (size_t n = 0; n < strlen(in); n++) {
        http_chunked_t c;
        facet_buf_t out;
        size_t used;
        http_chunked_init(&c, 100, 32);
        facet_buf_init(&out, 0);
        CHECK_EQ_INT(http_chunked_decode(&c, in, n, &used, &out), FACET_EAGAIN);
        CHECK_EQ_INT(used, n);
        facet_buf_free(&out);
    }
}

TEST(chunked_accepts_extensions)
{
    check_every_split("5;name=value;flag\r\nhello\r\n0;last=\"q;\\\"x\"\r\n\r\n", "hello", 0);
    check_every_split("5 ;a\r\nhello\r\n0\t; b\r\n\r\n", "hello", 0);
    check_every_split("5;\t\x80\r\nhello\r\n0\r\n\r\n", "hello", 0);
}

TEST(chunked_refuses_controls_in_extensions)
{
    CHUNKED_REJECT("5;a\x01\r\nhello\r\n0\r\n\r\n", FACET_EINVAL);
    CHUNKED_REJECT("5;a\x7f\r\nhello\r\n0\r\n\r\n", FACET_EINVAL);
    CHUNKED_REJECT("5;a\0\r\nhello\r\n0\r\n\r\n", FACET_EINVAL);
    CHUNKED_REJECT("5;a\nhello\r\n0\r\n\r\n", FACET_EINVAL);
    CHUNKED_REJECT("5;a\rhello\r\n0\r\n\r\n", FACET_EINVAL);
}

TEST(chunked_bounds_size_line)
{
    /* 32 bytes of size line are allowed, 33 are not. */
    char ok[64], bad[64];
    snprintf(ok, sizeof ok, "1;%s\r\nx\r\n0\r\n\r\n", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    snprintf(bad, sizeof bad, "1;%s\r\nx\r\n0\r\n\r\n", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    check_every_split(ok, "x", 0);
    chunked_reject_at(bad, strlen(bad), FACET_ELIMIT, 32, __LINE__);
    /* Detected before the line ends. */
    chunked_reject_at(bad, 34, FACET_ELIMIT, 32, __LINE__);
}

TEST(chunked_refuses_bad_sizes)
{
    CHUNKED_REJECT("\r\nhello\r\n", FACET_EINVAL);
    CHUNKED_REJECT("x\r\n", FACET_EINVAL);
    CHUNKED_REJECT("-1\r\n", FACET_EINVAL);
    CHUNKED_REJECT("+1\r\n", FACET_EINVAL);
    CHUNKED_REJECT("0x5\r\n", FACET_EINVAL);
    CHUNKED_REJECT(" 5\r\n", FACET_EINVAL);
    CHUNKED_REJECT("5 \r\nhello\r\n", FACET_EINVAL);
    CHUNKED_REJECT("5 5\r\n", FACET_EINVAL);
    CHUNKED_REJECT(";a\r\n", FACET_EINVAL);
    CHUNKED_REJECT("5\nhello\r\n", FACET_EINVAL);
    CHUNKED_REJECT("5\rhello\r\n", FACET_EINVAL);
    CHUNKED_REJECT("5\r\rhello\r\n", FACET_EINVAL);
}

TEST(chunked_refuses_more_than_16_digits)
{
    CHUNKED_REJECT("00000000000000001\r\nx\r\n", FACET_EINVAL);
    /* Sixteen digits are fine as long as the value fits max_body. */
    check_every_split("0000000000000001\r\nx\r\n0\r\n\r\n", "x", 0);
    http_chunked_t c;
    facet_buf_t out;
    size_t used;
    http_chunked_init(&c, UINT64_MAX, 32);
    facet_buf_init(&out, 0);
    CHECK_EQ_INT(http_chunked_decode(&c, "ffffffffffffffff\r\n", 18, &used, &out), FACET_EAGAIN);
    CHECK(c.chunk_left == UINT64_MAX);
    http_chunked_init(&c, UINT64_MAX, 32);
    CHECK_EQ_INT(http_chunked_decode(&c, "fffffffffffffffff", 17, &used, &out), FACET_EINVAL);
    facet_buf_free(&out);
}

TEST(chunked_refuses_oversize_chunk_early)
{
    http_chunked_t c;
    facet_buf_t out;
    size_t used;
    http_chunked_init(&c, 100, 32);
    facet_buf_init(&out, 0);
    /* 0x64 = 100 is allowed; 0x65 is not, refused before the line ends. */
    CHECK_EQ_INT(http_chunked_decode(&c, "64", 2, &used, &out), FACET_EAGAIN);
    http_chunked_init(&c, 100, 32);
    CHECK_EQ_INT(http_chunked_decode(&c, "65", 2, &used, &out), FACET_ELIMIT);
    CHECK_EQ_INT(used, 1);
    http_chunked_init(&c, 100, 32);
    CHECK_EQ_INT(http_chunked_decode(&c, "1000000", 7, &used, &out), FACET_ELIMIT);
    facet_buf_free(&out);
}

TEST(chunked_refuses_total_over_max_body)
{
    CHUNKED_REJECT("32\r\n01234567890123456789012345678901234567890123456789\r\n"
                   "33\r\n",
                   FACET_ELIMIT);
    /* Exactly max_body (100) in two chunks is fine. */
    char in[256];
    char data[101];
    memset(data, 'd', 100);
    data[100] = '\0';
    snprintf(in, sizeof in, "32\r\n%.50s\r\n32\r\n%.50s\r\n0\r\n\r\n", data, data);
    facet_buf_t out;
    facet_buf_init(&out, 0);
    size_t consumed;
    CHECK_EQ_INT(decode(in, 100, 32, &consumed, &out), FACET_OK);
    CHECK_EQ_INT(out.len, 100);
    facet_buf_free(&out);
}

TEST(chunked_needs_crlf_after_data)
{
    CHUNKED_REJECT("5\r\nhelloX\r\n0\r\n\r\n", FACET_EINVAL);
    CHUNKED_REJECT("5\r\nhello\n0\r\n\r\n", FACET_EINVAL);
    CHUNKED_REJECT("5\r\nhello\r\r0\r\n\r\n", FACET_EINVAL);
    CHUNKED_REJECT("5\r\nhello0\r\n\r\n", FACET_EINVAL);
    /* A chunk longer than its size is the smuggling shape this catches. */
    CHUNKED_REJECT("3\r\nhello\r\n0\r\n\r\n", FACET_EINVAL);
}

TEST(chunked_reads_and_drops_trailers)
{
    check_every_split("0\r\nX-Sum: abc\r\nY:\r\nZ: \t v \x80\r\n\r\nNEXT", "", 4);
}

TEST(chunked_refuses_malformed_trailers)
{
    CHUNKED_REJECT("0\r\nX: a\r\n b\r\n\r\n", FACET_EINVAL);
    CHUNKED_REJECT("0\r\n\tX: a\r\n\r\n", FACET_EINVAL);
    CHUNKED_REJECT("0\r\nX : a\r\n\r\n", FACET_EINVAL);
    CHUNKED_REJECT("0\r\n: a\r\n\r\n", FACET_EINVAL);
    CHUNKED_REJECT("0\r\nNoColon\r\n\r\n", FACET_EINVAL);
    CHUNKED_REJECT("0\r\nX: a\nY: b\r\n\r\n", FACET_EINVAL);
    CHUNKED_REJECT("0\r\nX: a\rY\r\n\r\n", FACET_EINVAL);
    CHUNKED_REJECT("0\r\nX: a\x01\r\n\r\n", FACET_EINVAL);
    CHUNKED_REJECT("0\r\nX: a\0\r\n\r\n", FACET_EINVAL);
    CHUNKED_REJECT("0\r\n\n", FACET_EINVAL);
    CHUNKED_REJECT("0\r\n\r\r", FACET_EINVAL);
    CHUNKED_REJECT("0\r\nX: a\r\n\n", FACET_EINVAL);
}

TEST(chunked_bounds_trailers)
{
    char line[64], in[1024];
    /* One trailer line of 32 bytes passes, 33 do not. */
    snprintf(line, sizeof line, "X: %s", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    snprintf(in, sizeof in, "0\r\n%s\r\n\r\n", line);
    check_every_split(in, "", 0);
    snprintf(line, sizeof line, "X: %s", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    snprintf(in, sizeof in, "0\r\n%s\r\n\r\n", line);
    chunked_reject_at(in, strlen(in), FACET_ELIMIT, 32, __LINE__);
    /* Many short lines together pass the total bound of 8 * 32 bytes. */
    strcpy(in, "0\r\n");
    for (int i = 0; i < 30; i++)
        strcat(in, "X-Trailer: 0123\r\n");
    strcat(in, "\r\n");
    chunked_reject_at(in, strlen(in), FACET_ELIMIT, 32, __LINE__);
}

TEST(chunked_errors_are_final)
{
    http_chunked_t c;
    facet_buf_t out;
    size_t used;
    http_chunked_init(&c, 100, 32);
    facet_buf_init(&out, 0);
    CHECK_EQ_INT(http_chunked_decode(&c, "5\r\nhelloX", 9, &used, &out), FACET_EINVAL);
    CHECK_EQ_INT(used, 8);
    CHECK_EQ_INT(http_chunked_decode(&c, "\r\n0\r\n\r\n", 7, &used, &out), FACET_EINVAL);
    CHECK_EQ_INT(used, 0);
    facet_buf_free(&out);
}

TEST(chunked_done_consumes_nothing_more)
{
    http_chunked_t c;
    facet_buf_t out;
    size_t used;
    http_chunked_init(&c, 100, 32);
    facet_buf_init(&out, 0);
    CHECK_EQ_INT(http_chunked_decode(&c, "0\r\n\r\n", 5, &used, &out), FACET_OK);
    CHECK_EQ_INT(http_chunked_decode(&c, "1\r\nx\r\n", 6, &used, &out), FACET_OK);
    CHECK_EQ_INT(used, 0);
    CHECK_EQ_INT(http_chunked_decode(&c, "", 0, &used, &out), FACET_OK);
    facet_buf_free(&out);
}

TEST(chunked_buffer_failure_can_be_retried)
{
    http_chunked_t c;
    facet_buf_t out;
    size_t used;
    http_chunked_init(&c, 100, 32);
    facet_buf_init(&out, 3);
    const char *in = "5\r\nhello\r\n0\r\n\r\n";
    CHECK_EQ_INT(http_chunked_decode(&c, in, strlen(in), &used, &out), FACET_ELIMIT);
    CHECK_EQ_INT(used, 3);
    CHECK_EQ_INT(out.len, 0);
    out.limit = SIZE_MAX;
    CHECK_EQ_INT(http_chunked_decode(&c, in + 3, strlen(in) - 3, &used, &out), FACET_OK);
    CHECK_EQ_INT(used, strlen(in) - 3);
    CHECK_EQ_INT(out.len, 5);
    CHECK(memcmp(out.base, "hello", 5) == 0);
    facet_buf_free(&out);
}

TEST(chunked_trailer_bound_saturates)
{
    facet_buf_t out;
    facet_buf_init(&out, 0);
    size_t consumed;
    CHECK_EQ_INT(decode("0\r\nX: y\r\n\r\n", 100, SIZE_MAX, &consumed, &out), FACET_OK);
    CHECK_EQ_INT(consumed, 11);
    facet_buf_free(&out);
}
