/* WebSocket framing (RFC 6455), pure: bytes in, frames and messages out.
 * The server side of the protocol: client frames must be masked, server
 * frames are not. No extensions are negotiated, so RSV bits must be 0. */
#ifndef FACET_HTTP_WS_FRAME_H
#define FACET_HTTP_WS_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

enum {
    WS_OP_CONT = 0x0,
    WS_OP_TEXT = 0x1,
    WS_OP_BINARY = 0x2,
    WS_OP_CLOSE = 0x8,
    WS_OP_PING = 0x9,
    WS_OP_PONG = 0xA,
};

/* Close codes of RFC 6455, section 7.4.1. */
enum {
    WS_CLOSE_NORMAL = 1000,
    WS_CLOSE_GOING_AWAY = 1001,
    WS_CLOSE_PROTOCOL = 1002,
    WS_CLOSE_UNSUPPORTED = 1003,
    WS_CLOSE_NO_STATUS = 1005,
    WS_CLOSE_INVALID_DATA = 1007,
    WS_CLOSE_POLICY = 1008,
    WS_CLOSE_TOO_BIG = 1009,
    WS_CLOSE_INTERNAL = 1011,
    WS_CLOSE_TRY_AGAIN = 1013,
};

typedef enum ws_event_kind {
    WS_EV_NONE = 0,
    WS_EV_MESSAGE, /* a complete text or binary message in the reader's buffer */
    WS_EV_PING,
    WS_EV_PONG,
    WS_EV_CLOSE, /* the peer's close frame */
} ws_event_kind_t;

typedef struct ws_event {
    ws_event_kind_t kind;
    int opcode;       /* WS_EV_MESSAGE: WS_OP_TEXT or WS_OP_BINARY */
    const char *data; /* valid until the next ws_reader_feed call */
    size_t len;
    int close_code; /* WS_EV_CLOSE: the peer's code, WS_CLOSE_NO_STATUS when absent */
} ws_event_t;

typedef struct ws_reader {
    size_t max_frame;    /* payload bytes in one frame */
    size_t max_message;  /* bytes of a reassembled message */
    facet_buf_t message; /* fragments of the current data message */
    facet_buf_t control; /* payload of the current control frame */
    int message_opcode;  /* WS_OP_TEXT or WS_OP_BINARY while fragments arrive; 0 otherwise */
    /* The frame being read: its header once parsed, and how much payload
     * is still to come. */
    bool in_frame;
    bool fin;
    int opcode;
    uint8_t mask[4];
    uint64_t payload_left;
    uint64_t payload_seen;
    int error; /* the close code owed to the peer once an error occurred */
} ws_reader_t;

void ws_reader_init(ws_reader_t *r, size_t max_frame, size_t max_message);
void ws_reader_free(ws_reader_t *r);

/* Consumes bytes from in[0..len) until one event is complete or the input
 * runs out. Sets *consumed; bytes of an incomplete frame header are not
 * consumed, and the caller passes them again with more input. Returns FACET_OK with *ev set when an
 * event is ready (call again with the rest of the input), FACET_EAGAIN when all input was used
 * without completing one, or FACET_EINVAL when the peer broke the protocol: r->error then holds the
 * close code to send (1002, 1007 or 1009) and the connection must be closed. */
int ws_reader_feed(ws_reader_t *r, const char *in, size_t len, size_t *consumed, ws_event_t *ev);

/* Appends a server frame (FIN set, unmasked) to out. */
int ws_write_frame(facet_buf_t *out, int opcode, const void *payload, size_t len);

/* Appends a close frame with code and a UTF-8 reason (cut to fit 125 bytes). */
int ws_write_close(facet_buf_t *out, int code, const char *reason);

/* True when s[0..len) is valid UTF-8 (no overlongs, no surrogates). */
bool ws_utf8_valid(const char *s, size_t len);

/* Computes Sec-WebSocket-Accept for a client key: base64(SHA-1(key + GUID)).
 * out must hold 29 bytes (28 characters and a NUL). */
void ws_accept_key(const char *key, size_t len, char out[29]);

#endif
