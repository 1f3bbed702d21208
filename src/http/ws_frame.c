/* WebSocket frame reader with message reassembly, frame writer, UTF-8 check
 * and the handshake's accept key. */
#include "http/ws_frame.h"

#include <openssl/evp.h>
#include <string.h>

#include "core/error.h"

#define WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

void ws_reader_init(ws_reader_t *r, size_t max_frame, size_t max_message)
{
    memset(r, 0, sizeof *r);
    r->max_frame = max_frame;
    r->max_message = max_message;
    facet_buf_init(&r->message, max_message);
    facet_buf_init(&r->control, 125);
}

void ws_reader_free(ws_reader_t *r)
{
    facet_buf_free(&r->message);
    facet_buf_free(&r->control);
}

static int fail(ws_reader_t *r, int code)
{
    r->error = code;
    return FACET_EINVAL;
}

static bool is_control(int opcode)
{
    return opcode >= 0x8;
}

/* Checks a parsed header against the protocol and the limits. */
static int check_header(ws_reader_t *r, bool rsv, bool masked)
{
    if (rsv || !masked)
        return fail(r, WS_CLOSE_PROTOCOL);
    switch (r->opcode) {
    case WS_OP_CONT:
        if (!r->message_opcode)
            return fail(r, WS_CLOSE_PROTOCOL);
        break;
    case WS_OP_TEXT:
    case WS_OP_BINARY:
        if (r->message_opcode)
            return fail(r, WS_CLOSE_PROTOCOL);
        break;
    case WS_OP_CLOSE:
    case WS_OP_PING:
    case WS_OP_PONG:
        if (!r->fin || r->payload_left > 125)
            return fail(r, WS_CLOSE_PROTOCOL);
        return FACET_OK;
    default:
        return fail(r, WS_CLOSE_PROTOCOL);
    }
    if (r->payload_left > r->max_frame)
        return fail(r, WS_CLOSE_TOO_BIG);
    size_t sofar = r->opcode == WS_OP_CONT ? r->message.len : 0;
    if (r->payload_left > r->max_message - sofar)
        return fail(r, WS_CLOSE_TOO_BIG);
    return FACET_OK;
}

/* Parses a frame header at in; returns its length, 0 when incomplete, or
 * -1 on a protocol error. */
static long parse_header(ws_reader_t *r, const uint8_t *in, size_t len)
{
    if (len < 2)
        return 0;
    bool masked = in[1] & 0x80;
    uint64_t plen = in[1] & 0x7F;
    size_t need = 2 + (plen == 126 ? 2 : plen == 127 ? 8 : 0) + (masked ? 4 : 0);
    if (len < need)
        return 0;
    size_t pos = 2;
    if (plen == 126) {
        plen = ((uint64_t)in[2] << 8) | in[3];
        pos = 4;
        if (plen < 126)
            return fail(r, WS_CLOSE_PROTOCOL), -1;
    } else if (plen == 127) {
        plen = 0;
        for (int i = 0; i < 8; i++)
            plen = (plen << 8) | in[2 + i];
        pos = 10;
        if (plen < 65536 || (plen >> 63))
            return fail(r, WS_CLOSE_PROTOCOL), -1;
    }
    r->fin = in[0] & 0x80;
    r->opcode = in[0] & 0x0F;
    r->payload_left = plen;
    r->payload_seen = 0;
    if (masked)
        memcpy(r->mask, in + pos, 4);
    if (check_header(r, in[0] & 0x70, masked) != FACET_OK)
        return -1;
    return (long)need;
}

static int append_unmasked(ws_reader_t *r, facet_buf_t *dst, const char *src, size_t n)
{
    size_t at = dst->len;
    if (facet_buf_append(dst, src, n) != FACET_OK)
        return fail(r, WS_CLOSE_TOO_BIG);
    for (size_t i = 0; i < n; i++)
        dst->base[at + i] ^= (char)r->mask[(r->payload_seen + i) & 3];
    r->payload_seen += n;
    r->payload_left -= n;
    return FACET_OK;
}

static int finish_close(ws_reader_t *r, ws_event_t *ev)
{
    const char *p = r->control.base;
    size_t n = r->control.len;
    ev->kind = WS_EV_CLOSE;
    ev->close_code = WS_CLOSE_NO_STATUS;
    if (n == 1)
        return fail(r, WS_CLOSE_PROTOCOL);
    if (n >= 2) {
        int code = ((uint8_t)p[0] << 8) | (uint8_t)p[1];
        bool valid = (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
                     (code >= 3000 && code <= 4999);
        if (!valid)
            return fail(r, WS_CLOSE_PROTOCOL);
        if (!ws_utf8_valid(p + 2, n - 2))
            return fail(r, WS_CLOSE_INVALID_DATA);
        ev->close_code = code;
        ev->data = p + 2;
        ev->len = n - 2;
    }
    return FACET_OK;
}

/* Called when the current frame's payload is complete. Returns FACET_OK with
 * an event, FACET_EAGAIN when the frame was a fragment, or an error. */
static int finish_frame(ws_reader_t *r, ws_event_t *ev)
{
    r->in_frame = false;
    if (is_control(r->opcode)) {
        ev->data = r->control.base;
        ev->len = r->control.len;
        if (r->opcode == WS_OP_CLOSE)
            return finish_close(r, ev);
        ev->kind = r->opcode == WS_OP_PING ? WS_EV_PING : WS_EV_PONG;
        return FACET_OK;
    }
    if (!r->fin)
        return FACET_EAGAIN;
    if (r->message_opcode == WS_OP_TEXT && !ws_utf8_valid(r->message.base, r->message.len))
        return fail(r, WS_CLOSE_INVALID_DATA);
    ev->kind = WS_EV_MESSAGE;
    ev->opcode = r->message_opcode;
    ev->data = r->message.base;
    ev->len = r->message.len;
    r->message_opcode = 0;
    return FACET_OK;
}

int ws_reader_feed(ws_reader_t *r, const char *in, size_t len, size_t *consumed, ws_event_t *ev)
{
    size_t pos = 0;
    memset(ev, 0, sizeof *ev);
    if (r->error)
        return FACET_EINVAL;
    for (;;) {
        if (!r->in_frame) {
            long h = parse_header(r, (const uint8_t *)in + pos, len - pos);
            if (h < 0) {
                *consumed = pos;
                return FACET_EINVAL;
            }
            if (h == 0)
                break;
            pos += (size_t)h;
            r->in_frame = true;
            /* A delivered message or control payload stays readable until
             * the next frame of its kind starts. */
            if (is_control(r->opcode)) {
                facet_buf_reset(&r->control);
            } else if (r->opcode != WS_OP_CONT) {
                facet_buf_reset(&r->message);
                r->message_opcode = r->opcode;
            }
        }
        size_t n = len - pos < r->payload_left ? len - pos : (size_t)r->payload_left;
        facet_buf_t *dst = is_control(r->opcode) ? &r->control : &r->message;
        if (n && append_unmasked(r, dst, in + pos, n) != FACET_OK) {
            *consumed = pos;
            return FACET_EINVAL;
        }
        pos += n;
        if (r->payload_left > 0)
            break;
        int rc = finish_frame(r, ev);
        if (rc != FACET_EAGAIN) {
            *consumed = pos;
            return rc;
        }
    }
    *consumed = pos;
    return FACET_EAGAIN;
}

int ws_write_frame(facet_buf_t *out, int opcode, const void *payload, size_t len)
{
    uint8_t h[10];
    size_t n = 2;
    h[0] = (uint8_t)(0x80 | opcode);
    if (len < 126) {
        h[1] = (uint8_t)len;
    } else if (len <= 0xFFFF) {
        h[1] = 126;
        h[2] = (uint8_t)(len >> 8);
        h[3] = (uint8_t)len;
        n = 4;
    } else {
        h[1] = 127;
        for (int i = 0; i < 8; i++)
            h[2 + i] = (uint8_t)((uint64_t)len >> (56 - 8 * i));
        n = 10;
    }
    int rc = facet_buf_append(out, h, n);
    return rc ? rc : facet_buf_append(out, payload, len);
}

int ws_write_close(facet_buf_t *out, int code, const char *reason)
{
    char p[125];
    size_t n = reason ? strlen(reason) : 0;
    if (n > sizeof p - 2)
        n = sizeof p - 2;
    /* Never cut a UTF-8 sequence in half. */
    while (n > 0 && ((uint8_t)reason[n] & 0xC0) == 0x80)
        n--;
    p[0] = (char)(code >> 8);
    p[1] = (char)(code & 0xFF);
    if (n)
        memcpy(p + 2, reason, n);
    return ws_write_frame(out, WS_OP_CLOSE, p, n + 2);
}

bool ws_utf8_valid(const char *s, size_t len)
{
    const uint8_t *p = (const uint8_t *)s;
    size_t i = 0;
    while (i < len) {
        uint8_t c = p[i];
        size_t n;
        uint32_t cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            n = 1, cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2, cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3, cp = c & 0x07;
        } else {
            return false;
        }
        if (len - i <= n)
            return false;
        for (size_t k = 1; k <= n; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
            (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            return false;
        i += n + 1;
    }
    return true;
}

void ws_accept_key(const char *key, size_t len, char out[29])
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    uint8_t d[EVP_MAX_MD_SIZE];
    unsigned dlen = 0;
    char in[128 + sizeof WS_GUID];
    if (len > 128)
        len = 128; /* a valid key is 24 characters; the caller checks it */
    memcpy(in, key, len);
    memcpy(in + len, WS_GUID, sizeof WS_GUID - 1);
    EVP_Digest(in, len + sizeof WS_GUID - 1, d, &dlen, EVP_sha1(), NULL);
    size_t o = 0;
    for (size_t i = 0; i < 18; i += 3) {
        uint32_t v = ((uint32_t)d[i] << 16) | ((uint32_t)d[i + 1] << 8) | d[i + 2];
        out[o++] = b64[(v >> 18) & 63];
        out[o++] = b64[(v >> 12) & 63];
        out[o++] = b64[(v >> 6) & 63];
        out[o++] = b64[v & 63];
    }
    uint32_t v = ((uint32_t)d[18] << 16) | ((uint32_t)d[19] << 8);
    out[o++] = b64[(v >> 18) & 63];
    out[o++] = b64[(v >> 12) & 63];
    out[o++] = b64[(v >> 6) & 63];
    out[o++] = '=';
    out[o] = '\0';
}
