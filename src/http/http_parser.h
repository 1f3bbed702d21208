/* A pure HTTP/1.1 request parser: bytes in, a parsed request head or a
 * status code out; no I/O, no allocation. It is strict where leniency lets
 * requests be smuggled past a proxy: bare CR, bare LF, obs-fold, white space
 * before a colon, conflicting Content-Length values, and Content-Length
 * together with Transfer-Encoding are all refused with 400. */
#ifndef FACET_HTTP_PARSER_H
#define FACET_HTTP_PARSER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/str.h"

typedef struct http_limits {
    size_t max_request_line; /* bytes, CRLF excluded; longer: 414 */
    size_t max_header_size;  /* whole head, request line included; larger: 431 */
    size_t max_headers;      /* header fields; more: 431 */
    uint64_t max_body_size;  /* Content-Length or decoded chunked size; larger: 413 */
} http_limits_t;

typedef struct http_header {
    facet_str_t name;  /* as sent; compare with facet_str_ieq */
    facet_str_t value; /* leading and trailing white space removed */
} http_header_t;

typedef enum http_body_kind {
    HTTP_BODY_NONE = 0,
    HTTP_BODY_LENGTH,  /* content_length bytes follow the head; may be 0 */
    HTTP_BODY_CHUNKED, /* decode with http_chunked_decode */
} http_body_kind_t;

/* Every slice borrows from the buffer given to http_parse_head and is valid
 * while that buffer is unchanged. */
typedef struct http_request_head {
    facet_str_t method;
    facet_str_t target; /* the request-target as sent */
    facet_str_t
        path; /* target up to '?'; for absolute-form, from the first '/' after the authority */
    facet_str_t query; /* after '?', without it; empty when absent */
    int minor_version; /* HTTP/1.<minor>, 0 or 1 */
    http_header_t *headers;
    size_t nheaders;
    facet_str_t host;
    http_body_kind_t body_kind;
    uint64_t content_length; /* for HTTP_BODY_LENGTH */
    bool keep_alive;         /* after Connection and the version's default */
    bool expect_continue;    /* "Expect: 100-continue" in an HTTP/1.1 request */
    bool upgrade;            /* HTTP/1.1, Connection lists "upgrade", Upgrade present */
} http_request_head_t;

/* Parses the request head at the start of buf[0..len).
 *
 * Returns FACET_OK with *head_len set to the bytes of the head, final empty
 * line included. Returns FACET_EAGAIN when the head is incomplete and no limit
 * is exceeded yet. Returns FACET_EINVAL or FACET_ELIMIT with *status set to
 * the HTTP status to answer (400, 413, 414, 417, 431, 501 or 505); the
 * connection must then be closed after the answer.
 *
 * headers is caller-provided storage for limits->max_headers entries. Empty
 * lines before the request line are skipped (RFC 9112, section 2.2) and count
 * toward max_header_size. *out is meaningful only after FACET_OK. The call
 * keeps no state: after FACET_EAGAIN, call again with the grown buffer. */
int http_parse_head(const char *buf, size_t len, const http_limits_t *limits,
                    http_header_t *headers, http_request_head_t *out, size_t *head_len,
                    int *status);

/* Finds a header by name (case-insensitive); NULL when absent. */
const http_header_t *http_find_header(const http_request_head_t *head, facet_str_t name);

/* Incremental decoder for a chunked body. Chunk extensions are skipped,
 * trailer fields are read and dropped; both are bounded. */
typedef struct http_chunked {
    int state;            /* private; the FACET_E* code once decoding failed */
    uint64_t chunk_left;  /* data bytes left in the current chunk */
    uint64_t total;       /* decoded bytes so far */
    uint64_t max_body;    /* limit on total */
    size_t digits;        /* hex digits read for the current size */
    size_t line_bytes;    /* bytes of the current extension or trailer line */
    size_t trailer_bytes; /* all trailer bytes */
    size_t max_line;      /* limit for one size line, extension or trailer line */
} http_chunked_t;

void http_chunked_init(http_chunked_t *c, uint64_t max_body, size_t max_line);

/* After FACET_ELIMIT from http_chunked_decode: true when the body passed
 * max_body (answer 413), false when a line was too long (answer 400). */
bool http_chunked_body_too_large(const http_chunked_t *c);

/* Consumes encoded bytes from in[0..len) and appends decoded data to out.
 * Sets *consumed to the bytes used. Returns FACET_OK once the last chunk and
 * its trailers are done (bytes after that are not consumed: they belong to
 * the next pipelined request), FACET_EAGAIN when all input was used and more
 * is needed, FACET_EINVAL for malformed framing (answer 400), FACET_ELIMIT
 * when the body would pass max_body (answer 413) or a line is too long
 * (answer 400). Those failures are final: later calls return the same code
 * and consume nothing. When out cannot grow, facet_buf_append's code
 * (FACET_ENOMEM, or FACET_ELIMIT for out's own limit) is returned with the
 * failed chunk data left unconsumed and the state unchanged, so the call may
 * be retried. */
int http_chunked_decode(http_chunked_t *c, const char *in, size_t len, size_t *consumed,
                        facet_buf_t *out);

#endif
