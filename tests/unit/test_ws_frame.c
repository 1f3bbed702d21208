/* Tests for the WebSocket frame reader and writer. */
#include "core/error.h"
#include "http/ws_frame.h"
#include "test.h"

static const uint8_t KEY[4] = {0x37, 0xfa, 0x21, 0x3d};

/* Builds a masked client frame into out; returns its length. */
static size_t client_frame(uint8_t *out, int b0, const char *payload, size_t len)
{
    size_t n = 0;
    out[n++] = (uint8_t)b0;
    if (len < 126) {
        out[n++] = (uint8_t)(0x80 | len);
    } else {
        out[n++] = 0x80 | 126;
        out[n++] = (uint8_t)(len >> 8);
        out[n++] = (uint8_t)len;
    }
    memcpy(out + n, KEY, 4);
    n += 4;
    for (size_t i = 0; i < len; i++)
        out[n + i] = (uint8_t)payload[i] ^ KEY[i & 3];
    return n + len;
}

static int feed_all(ws_reader_t *r, const uint8_t *in, size_t len, ws_event_t *ev, size_t *used)
{
    return ws_reader_feed(r, (const char *)in, len, used, ev);
}

TEST(reads_masked_text_message)
{
    uint8_t f[64];
    size_t n = client_frame(f, 0x81, "Hello", 5);
    ws_reader_t r;
    ws_reader_init(&r, 1024, 4096);
    ws_event_t ev;
    size_t used;
    CHECK_EQ_INT(feed_all(&r, f, n, &ev, &used), FACET_OK);
    CHECK_EQ_INT(used, n);
    CHECK_EQ_INT(ev.kind, WS_EV_MESSAGE);
    CHECK_EQ_INT(ev.opcode, WS_OP_TEXT);
    CHECK(ev.len == 5 && memcmp(ev.data, "Hello", 5) == 0);
    ws_reader_free(&r);
}

TEST(reassembles_fragments_byte_by_byte_with_interleaved_ping)
{
    uint8_t f[256];
    size_t n = client_frame(f, 0x01, "Hel", 3);
    n += client_frame(f + n, 0x89, "hi", 2);
    n += client_frame(f + n, 0x80, "lo", 2);
    ws_reader_t r;
    ws_reader_init(&r, 1024, 4096);
    int pings = 0, messages = 0;
    /* Bytes arrive one at a time; those not consumed stay pending, as a
     * connection's input buffer keeps them. */
    size_t start = 0;
    for (size_t end = 1; end <= n; end++) {
        size_t used;
        ws_event_t ev;
        int rc = feed_all(&r, f + start, end - start, &ev, &used);
        start += used;
        if (rc == FACET_OK && ev.kind == WS_EV_PING) {
            CHECK(ev.len == 2 && memcmp(ev.data, "hi", 2) == 0);
            pings++;
        } else if (rc == FACET_OK) {
            CHECK_EQ_INT(ev.kind, WS_EV_MESSAGE);
            CHECK(ev.len == 5 && memcmp(ev.data, "Hello", 5) == 0);
            messages++;
        } else {
            CHECK_EQ_INT(rc, FACET_EAGAIN);
        }
    }
    CHECK_EQ_INT(start, n);
    CHECK(pings == 1 && messages == 1);
    ws_reader_free(&r);
}

TEST(reads_16_bit_length)
{
    char payload[300];
    memset(payload, 'a', sizeof payload);
    uint8_t f[400];
    size_t n = client_frame(f, 0x82, payload, sizeof payload);
    ws_reader_t r;
    ws_reader_init(&r, 1024, 4096);
    ws_event_t ev;
    size_t used;
    CHECK_EQ_INT(feed_all(&r, f, n, &ev, &used), FACET_OK);
    CHECK_EQ_INT(ev.opcode, WS_OP_BINARY);
    CHECK_EQ_INT(ev.len, 300);
    ws_reader_free(&r);
}

static void expect_error(const uint8_t *f, size_t n, int code, size_t max_frame)
{
    ws_reader_t r;
    ws_reader_init(&r, max_frame, 4096);
    ws_event_t ev;
    size_t used;
    int rc = feed_all(&r, f, n, &ev, &used);
    if (rc == FACET_OK) /* a first complete frame may pass; the error follows */
        rc = feed_all(&r, f + used, n - used, &ev, &used);
    CHECK_EQ_INT(rc, FACET_EINVAL);
    CHECK_EQ_INT(r.error, code);
    ws_reader_free(&r);
}

TEST(protocol_errors)
{
    uint8_t f[256];
    const uint8_t unmasked[] = {0x81, 0x02, 'h', 'i'};
    expect_error(unmasked, sizeof unmasked, WS_CLOSE_PROTOCOL, 1024);
    size_t n = client_frame(f, 0xC1, "x", 1); /* RSV1 */
    expect_error(f, n, WS_CLOSE_PROTOCOL, 1024);
    n = client_frame(f, 0x83, "x", 1); /* reserved opcode */
    expect_error(f, n, WS_CLOSE_PROTOCOL, 1024);
    n = client_frame(f, 0x80, "x", 1); /* continuation without a start */
    expect_error(f, n, WS_CLOSE_PROTOCOL, 1024);
    n = client_frame(f, 0x09, "x", 1); /* fragmented ping */
    expect_error(f, n, WS_CLOSE_PROTOCOL, 1024);
    n = client_frame(f, 0x01, "a", 1);
    n += client_frame(f + n, 0x81, "b", 1); /* new message inside a fragmented one */
    expect_error(f, n, WS_CLOSE_PROTOCOL, 1024);
    char big[130];
    memset(big, 'p', sizeof big);
    n = client_frame(f, 0x89, big, sizeof big); /* control frame over 125 bytes */
    expect_error(f, n, WS_CLOSE_PROTOCOL, 1024);
}

TEST(limits_and_utf8)
{
    uint8_t f[256];
    char payload[100];
    memset(payload, 'a', sizeof payload);
    size_t n = client_frame(f, 0x81, payload, sizeof payload);
    expect_error(f, n, WS_CLOSE_TOO_BIG, 50);
    n = client_frame(f, 0x81, "\xc3\x28", 2);
    expect_error(f, n, WS_CLOSE_INVALID_DATA, 1024);
    /* A code point split across fragments is valid once reassembled. */
    n = client_frame(f, 0x01, "\xc3", 1);
    n += client_frame(f + n, 0x80, "\xa9", 1);
    ws_reader_t r;
    ws_reader_init(&r, 1024, 4096);
    ws_event_t ev;
    size_t used;
    CHECK_EQ_INT(feed_all(&r, f, n, &ev, &used), FACET_OK);
    CHECK_EQ_INT(ev.len, 2);
    ws_reader_free(&r);
}

TEST(close_frames)
{
    uint8_t f[64];
    size_t n = client_frame(f, 0x88,
                            "\x03\xe8"
                            "bye",
                            5);
    ws_reader_t r;
    ws_reader_init(&r, 1024, 4096);
    ws_event_t ev;
    size_t used;
    CHECK_EQ_INT(feed_all(&r, f, n, &ev, &used), FACET_OK);
    CHECK_EQ_INT(ev.kind, WS_EV_CLOSE);
    CHECK_EQ_INT(ev.close_code, 1000);
    CHECK(ev.len == 3 && memcmp(ev.data, "bye", 3) == 0);
    ws_reader_free(&r);
    n = client_frame(f, 0x88, "", 0);
    ws_reader_init(&r, 1024, 4096);
    CHECK_EQ_INT(feed_all(&r, f, n, &ev, &used), FACET_OK);
    CHECK_EQ_INT(ev.close_code, WS_CLOSE_NO_STATUS);
    ws_reader_free(&r);
    n = client_frame(f, 0x88, "\x03\xed", 2); /* 1005 may not be sent */
    expect_error(f, n, WS_CLOSE_PROTOCOL, 1024);
    n = client_frame(f, 0x88, "\x03", 1);
    expect_error(f, n, WS_CLOSE_PROTOCOL, 1024);
}

TEST(writes_frames)
{
    facet_buf_t b;
    facet_buf_init(&b, 0);
    CHECK_EQ_INT(ws_write_frame(&b, WS_OP_TEXT, "hi", 2), FACET_OK);
    CHECK(b.len == 4 && (uint8_t)b.base[0] == 0x81 && b.base[1] == 2);
    facet_buf_reset(&b);
    char big[70000];
    memset(big, 'z', sizeof big);
    CHECK_EQ_INT(ws_write_frame(&b, WS_OP_BINARY, big, sizeof big), FACET_OK);
    CHECK((uint8_t)b.base[1] == 127 && b.len == sizeof big + 10);
    facet_buf_reset(&b);
    CHECK_EQ_INT(ws_write_close(&b, 4400, "Invalid message"), FACET_OK);
    CHECK((uint8_t)b.base[0] == 0x88 && b.base[1] == 17);
    CHECK(((uint8_t)b.base[2] << 8 | (uint8_t)b.base[3]) == 4400);
    facet_buf_free(&b);
}

TEST(accept_key_matches_rfc_example)
{
    char out[29];
    const char *key = "dGhlIHNhbXBsZSBub25jZQ==";
    ws_accept_key(key, strlen(key), out);
    CHECK_EQ_STR(out, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(message_limit_counts_only_the_current_message)
{
    char payload[60];
    memset(payload, 'm', sizeof payload);
    uint8_t f[512];
    size_t n = client_frame(f, 0x81, payload, sizeof payload);
    n += client_frame(f + n, 0x81, payload, sizeof payload);
    ws_reader_t r;
    ws_reader_init(&r, 100, 100);
    ws_event_t ev;
    size_t used, at = 0;
    CHECK_EQ_INT(feed_all(&r, f, n, &ev, &used), FACET_OK);
    at += used;
    CHECK_EQ_INT(feed_all(&r, f + at, n - at, &ev, &used), FACET_OK);
    CHECK_EQ_INT(ev.len, 60);
    /* Fragments of one message add up against the limit. */
    n = client_frame(f, 0x01, payload, sizeof payload);
    n += client_frame(f + n, 0x80, payload, sizeof payload);
    ws_reader_free(&r);
    ws_reader_init(&r, 100, 100);
    CHECK_EQ_INT(feed_all(&r, f, n, &ev, &used), FACET_EINVAL);
    CHECK_EQ_INT(r.error, WS_CLOSE_TOO_BIG);
    ws_reader_free(&r);
}
