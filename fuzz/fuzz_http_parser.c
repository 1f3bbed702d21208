/* libFuzzer target for the HTTP request parser and the chunked decoder. It
 * feeds each input whole and split at a point derived from the input, and
 * aborts when the results disagree or break the contracts in http_parser.h:
 * a split must never change what the parser decides. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "http/http_parser.h"

#define MAX_HEADERS 16

/* Small limits, so that the fuzzer reaches every limit path. */
static const http_limits_t LIMITS = {
    .max_request_line = 128,
    .max_header_size = 1024,
    .max_headers = MAX_HEADERS,
    .max_body_size = 4096,
};

#define CHUNK_MAX_BODY 4096
#define CHUNK_MAX_LINE 48

#define ASSERT(cond) \
    do {             \
        if (!(cond)) \
            abort(); \
    } while (0)

typedef struct head_result {
    int rc, status;
    size_t head_len;
    http_request_head_t head;
    http_header_t headers[MAX_HEADERS];
} head_result_t;

static bool within(facet_str_t s, const uint8_t *buf, size_t len)
{
    const char *b = (const char *)buf;
    return s.len == 0 || (s.base >= b && s.len <= len && s.base - b <= (ptrdiff_t)(len - s.len));
}

static void check_head(const head_result_t *r, const uint8_t *buf, size_t len)
{
    const http_request_head_t *h = &r->head;
    if (r->rc == FACET_EAGAIN) {
        ASSERT(len < LIMITS.max_header_size);
        return;
    }
    if (r->rc == FACET_EINVAL) {
        ASSERT(r->status == 400 || r->status == 417 || r->status == 501 || r->status == 505);
        return;
    }
    if (r->rc == FACET_ELIMIT) {
        ASSERT(r->status == 413 || r->status == 414 || r->status == 431);
        return;
    }
    ASSERT(r->rc == FACET_OK);
    ASSERT(r->head_len >= 4 && r->head_len <= len && r->head_len <= LIMITS.max_header_size);
    ASSERT(memcmp(buf + r->head_len - 4, "\r\n\r\n", 4) == 0);
    ASSERT(h->nheaders <= MAX_HEADERS && h->method.len > 0 && h->target.len > 0);
    ASSERT(h->minor_version == 0 || h->minor_version == 1);
    ASSERT(h->minor_version == 0 || h->host.base != NULL);
    ASSERT(within(h->method, buf, r->head_len) && within(h->target, buf, r->head_len));
    ASSERT(h->path.len + (h->query.len ? h->query.len + 1 : 0) <= h->target.len);
    for (size_t i = 0; i < h->nheaders; i++) {
        ASSERT(h->headers[i].name.len > 0 && within(h->headers[i].name, buf, r->head_len));
        ASSERT(within(h->headers[i].value, buf, r->head_len));
    }
    ASSERT(h->body_kind != HTTP_BODY_LENGTH || h->content_length <= LIMITS.max_body_size);
    ASSERT(h->body_kind != HTTP_BODY_CHUNKED || h->minor_version == 1);
}

static void parse_head(const uint8_t *buf, size_t len, head_result_t *r)
{
    r->status = 0;
    r->rc = http_parse_head((const char *)buf, len, &LIMITS, r->headers, &r->head, &r->head_len,
                            &r->status);
    check_head(r, buf, len);
}

/* A prefix can only be less decided than the whole: once a prefix is refused
 * the whole must be refused too, and a head found in a prefix is the same
 * head in the whole. */
static void fuzz_head(const uint8_t *data, size_t size, size_t split, head_result_t *whole)
{
    static head_result_t part;
    parse_head(data, size, whole);
    parse_head(data, split, &part);
    if (part.rc == FACET_OK) {
        ASSERT(whole->rc == FACET_OK && whole->head_len == part.head_len);
        ASSERT(whole->head.nheaders == part.head.nheaders);
        ASSERT(whole->head.body_kind == part.head.body_kind);
        ASSERT(whole->head.content_length == part.head.content_length);
        ASSERT(whole->head.keep_alive == part.head.keep_alive);
    } else if (part.rc != FACET_EAGAIN) {
        ASSERT(whole->rc != FACET_OK && whole->rc != FACET_EAGAIN);
    }
    if (whole->rc == FACET_OK) {
        parse_head(data, whole->head_len, &part);
        ASSERT(part.rc == FACET_OK && part.head_len == whole->head_len);
    }
}

typedef struct chunk_result {
    int rc;
    size_t consumed;
    facet_buf_t out;
} chunk_result_t;

/* Decodes in[0..len) in pieces of at most step bytes, or at split when
 * step is 0. */
static void decode(const uint8_t *in, size_t len, size_t split, size_t step, chunk_result_t *r)
{
    http_chunked_t c;
    http_chunked_init(&c, CHUNK_MAX_BODY, CHUNK_MAX_LINE);
    facet_buf_init(&r->out, 0);
    r->rc = FACET_EAGAIN;
    r->consumed = 0;
    size_t pos = 0;
    while (r->rc == FACET_EAGAIN && pos < len) {
        size_t n = step ? step : (pos < split ? split - pos : len - pos);
        if (n > len - pos)
            n = len - pos;
        size_t used = SIZE_MAX;
        r->rc = http_chunked_decode(&c, (const char *)in + pos, n, &used, &r->out);
        ASSERT(used <= n);
        ASSERT(r->rc != FACET_EAGAIN || used == n);
        pos += used;
    }
    r->consumed = pos;
    ASSERT(c.total == r->out.len && c.total <= CHUNK_MAX_BODY && r->out.len <= pos);
    ASSERT(r->rc == FACET_OK || r->rc == FACET_EAGAIN || r->rc == FACET_EINVAL ||
           r->rc == FACET_ELIMIT);
}

static void same(const chunk_result_t *a, const chunk_result_t *b)
{
    ASSERT(a->rc == b->rc && a->consumed == b->consumed && a->out.len == b->out.len);
    ASSERT(a->out.len == 0 || memcmp(a->out.base, b->out.base, a->out.len) == 0);
}

static void fuzz_chunked(const uint8_t *in, size_t len, size_t split)
{
    chunk_result_t whole, parts, bytes;
    decode(in, len, len, 0, &whole);
    decode(in, len, split, 0, &parts);
    decode(in, len, 0, 1, &bytes);
    same(&whole, &parts);
    same(&whole, &bytes);
    facet_buf_free(&whole.out);
    facet_buf_free(&parts.out);
    facet_buf_free(&bytes.out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static head_result_t head;
    size_t split = 0;
    for (size_t i = 0; i < size && i < 8; i++)
        split = split * 31 + data[i];
    split = size ? split % (size + 1) : 0;
    fuzz_head(data, size, split, &head);
    /* A chunked request's body gets decoded; any other input is decoded as
     * a chunked body from its first byte. */
    const uint8_t *body = data;
    if (head.rc == FACET_OK && head.head.body_kind == HTTP_BODY_CHUNKED)
        body = data + head.head_len;
    size_t blen = size - (size_t)(body - data);
    fuzz_chunked(body, blen, split < blen ? split : blen / 2);
    return 0;
}
