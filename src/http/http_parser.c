/* HTTP/1.1 request head parser and chunked body decoder (RFC 9112). Both are
 * pure functions of their input, so they are unit-tested and fuzzed without
 * sockets; http_parser.h states the contracts. Wherever two peers could read
 * the same bytes differently, we refuse the request rather than guess. */
#include "http/http_parser.h"

#include <string.h>

#include "core/error.h"
#include "core/str.h"

/* ------------------------------------------------------------------------ */
/* Character classes                                                        */
/* ------------------------------------------------------------------------ */

/* The token characters of RFC 9110, section 5.6.2. */
static bool is_tchar(unsigned char c)
{
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return true;
    return memchr("!#$%&'*+-.^_`|~", c, 15) != NULL;
}

/* Field values hold VCHAR, SP, HTAB and obs-text. Other control bytes are
 * refused because some intermediaries treat them as line or field breaks. */
static bool is_field_byte(unsigned char c)
{
    return c == '\t' || (c >= 0x20 && c != 0x7F);
}

/* A request-target is visible ASCII only: no controls, spaces or high bytes. */
static bool is_target_byte(unsigned char c)
{
    return c > 0x20 && c < 0x7F;
}

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* ------------------------------------------------------------------------ */
/* Lines                                                                    */
/* ------------------------------------------------------------------------ */

static int fail(int *status, int code, int http_status)
{
    *status = http_status;
    return code;
}

/* Finds the CRLF that ends the line starting at from. On FACET_OK *eol is the
 * index of its CR. On FACET_EAGAIN *eol is where the partial line ends so far
 * (a trailing CR excluded), so callers can bound a line that never ends. A
 * NUL, a bare LF or a CR without LF is FACET_EINVAL at once: no later byte
 * could make the line valid. */
static int find_eol(const char *buf, size_t from, size_t len, size_t *eol)
{
    for (size_t i = from; i < len; i++) {
        if (buf[i] == '\0' || buf[i] == '\n')
            return FACET_EINVAL;
        if (buf[i] != '\r')
            continue;
        *eol = i;
        if (i + 1 == len)
            return FACET_EAGAIN;
        return buf[i + 1] == '\n' ? FACET_OK : FACET_EINVAL;
    }
    *eol = len;
    return FACET_EAGAIN;
}

/* Skips the empty lines a client may send before the request line. They
 * still count toward max_header_size, which keeps an endless run of them
 * bounded. A lone trailing CR is left for find_eol to wait on. */
static int skip_empty_lines(const char *buf, size_t len, size_t *pos)
{
    size_t i = 0;
    while (i + 1 < len && buf[i] == '\r') {
        if (buf[i + 1] != '\n')
            return FACET_EINVAL;
        i += 2;
    }
    *pos = i;
    return i < len && buf[i] == '\n' ? FACET_EINVAL : FACET_OK;
}

/* Every byte of an incomplete head belongs to the head, and at least one more
 * byte is needed, so once len reaches the limit the head must exceed it. */
static int incomplete(size_t len, const http_limits_t *limits, int *status)
{
    if (len >= limits->max_header_size)
        return fail(status, FACET_ELIMIT, 431);
    return FACET_EAGAIN;
}

/* ------------------------------------------------------------------------ */
/* Request line                                                             */
/* ------------------------------------------------------------------------ */

/* Only HTTP/1.0 and HTTP/1.1 are served; another well-formed version gets
 * 505 so the client learns why, anything else is malformed. */
static int parse_version(facet_str_t v, int *minor, int *status)
{
    const unsigned char *p = (const unsigned char *)v.base;
    if (v.len != 8 || memcmp(p, "HTTP/", 5) != 0 || !is_digit(p[5]) || p[6] != '.' ||
        !is_digit(p[7]))
        return fail(status, FACET_EINVAL, 400);
    if (p[5] != '1' || (p[7] != '0' && p[7] != '1'))
        return fail(status, FACET_EINVAL, 505);
    *minor = p[7] - '0';
    return FACET_OK;
}

/* authority-form is "host:port" with a non-empty host and a numeric port. */
static bool is_authority_form(facet_str_t t)
{
    size_t colon = t.len;
    while (colon > 0 && t.base[colon - 1] != ':')
        colon--;
    if (colon < 2 || colon == t.len || t.len - colon > 5)
        return false;
    for (size_t i = colon; i < t.len; i++) {
        if (!is_digit((unsigned char)t.base[i]))
            return false;
    }
    for (size_t i = 0; i + 1 < colon; i++) {
        if (memchr("/?#@", t.base[i], 4))
            return false;
    }
    return true;
}

/* absolute-form must name the http or https scheme and a non-empty host. */
static bool is_absolute_form(facet_str_t t)
{
    size_t skip;
    if (t.len > 7 && facet_str_ieq(facet_str(t.base, 7), FACET_STR_LIT("http://")))
        skip = 7;
    else if (t.len > 8 && facet_str_ieq(facet_str(t.base, 8), FACET_STR_LIT("https://")))
        skip = 8;
    else
        return false;
    return memchr("/?#", t.base[skip], 3) == NULL;
}

/* Each method allows only the target forms of RFC 9112, section 3.2. */
static bool target_form_ok(facet_str_t method, facet_str_t target)
{
    if (facet_str_eq(method, FACET_STR_LIT("CONNECT")))
        return is_authority_form(target);
    if (target.base[0] == '/')
        return true;
    if (facet_str_eq(target, FACET_STR_LIT("*")))
        return facet_str_eq(method, FACET_STR_LIT("OPTIONS"));
    return is_absolute_form(target);
}

/* For an absolute-form target the path starts after the authority
 * ("http://h/x" has the path "/x", "http://h" the path "/"); other forms
 * keep the whole slice. */
static facet_str_t absolute_path(facet_str_t p)
{
    if (p.len == 0 || p.base[0] == '/' || !is_absolute_form(p))
        return p;
    size_t skip = p.base[4] == ':' ? 7 : 8; /* "http://" or "https://" */
    const char *slash = memchr(p.base + skip, '/', p.len - skip);
    if (!slash)
        return FACET_STR_LIT("/");
    return facet_str(slash, p.len - (size_t)(slash - p.base));
}

/* Splits "method SP target SP version" with exactly one space between parts
 * and fills method, target, path, query and minor_version. */
static int parse_request_line(const char *line, size_t n, http_request_head_t *out, int *status)
{
    size_t i = 0;
    while (i < n && is_tchar((unsigned char)line[i]))
        i++;
    if (i == 0 || i == n || line[i] != ' ')
        return fail(status, FACET_EINVAL, 400);
    out->method = facet_str(line, i);
    size_t start = ++i;
    while (i < n && is_target_byte((unsigned char)line[i]))
        i++;
    if (i == start || i == n || line[i] != ' ')
        return fail(status, FACET_EINVAL, 400);
    out->target = facet_str(line + start, i - start);
    i++;
    int rc = parse_version(facet_str(line + i, n - i), &out->minor_version, status);
    if (rc != FACET_OK)
        return rc;
    if (!target_form_ok(out->method, out->target))
        return fail(status, FACET_EINVAL, 400);
    const char *q = memchr(out->target.base, '?', out->target.len);
    size_t plen = q ? (size_t)(q - out->target.base) : out->target.len;
    out->path = absolute_path(facet_str(out->target.base, plen));
    out->query =
        q ? facet_str(q + 1, out->target.len - plen - 1) : facet_str(out->target.base + plen, 0);
    return FACET_OK;
}

/* Reads the request line at *pos. The 414 check runs before the line is
 * complete so that a slow client cannot make us wait on an endless line. */
static int read_request_line(const char *buf, size_t len, const http_limits_t *limits, size_t *pos,
                             http_request_head_t *out, int *status)
{
    size_t eol;
    int rc = find_eol(buf, *pos, len, &eol);
    if (rc == FACET_EINVAL)
        return fail(status, FACET_EINVAL, 400);
    if (eol - *pos > limits->max_request_line)
        return fail(status, FACET_ELIMIT, 414);
    if (rc == FACET_EAGAIN)
        return incomplete(len, limits, status);
    if (eol + 2 > limits->max_header_size)
        return fail(status, FACET_ELIMIT, 431);
    rc = parse_request_line(buf + *pos, eol - *pos, out, status);
    *pos = eol + 2;
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Header fields                                                            */
/* ------------------------------------------------------------------------ */

/* Parses "name: value" from a non-empty line. A leading space (obs-fold) or
 * space before the colon is refused: peers disagree on what they mean. */
static int parse_header_line(const char *line, size_t n, http_header_t *h)
{
    size_t i = 0;
    while (i < n && is_tchar((unsigned char)line[i]))
        i++;
    if (i == 0 || i == n || line[i] != ':')
        return FACET_EINVAL;
    for (size_t j = i + 1; j < n; j++) {
        if (!is_field_byte((unsigned char)line[j]))
            return FACET_EINVAL;
    }
    h->name = facet_str(line, i);
    h->value = facet_str_trim(facet_str(line + i + 1, n - i - 1));
    return FACET_OK;
}

/* Reads header lines up to and including the empty line that ends the head. */
static int read_header_lines(const char *buf, size_t len, const http_limits_t *limits,
                             http_header_t *headers, size_t *pos, http_request_head_t *out,
                             int *status)
{
    for (;;) {
        size_t eol;
        int rc = find_eol(buf, *pos, len, &eol);
        if (rc == FACET_EINVAL)
            return fail(status, FACET_EINVAL, 400);
        if (rc == FACET_EAGAIN)
            return incomplete(len, limits, status);
        if (eol + 2 > limits->max_header_size)
            return fail(status, FACET_ELIMIT, 431);
        if (eol == *pos) {
            *pos = eol + 2;
            return FACET_OK;
        }
        if (out->nheaders == limits->max_headers)
            return fail(status, FACET_ELIMIT, 431);
        if (parse_header_line(buf + *pos, eol - *pos, &headers[out->nheaders]) != FACET_OK)
            return fail(status, FACET_EINVAL, 400);
        out->nheaders++;
        *pos = eol + 2;
    }
}

static bool name_is(const http_header_t *h, facet_str_t name)
{
    return facet_str_ieq(h->name, name);
}

/* Takes the next comma-separated element off *list, trimmed; false once the
 * list is used up. Empty elements are returned so callers can refuse them. */
static bool next_item(facet_str_t *list, facet_str_t *item)
{
    if (list->base == NULL)
        return false;
    const char *comma = memchr(list->base, ',', list->len);
    size_t n = comma ? (size_t)(comma - list->base) : list->len;
    *item = facet_str_trim(facet_str(list->base, n));
    if (comma)
        *list = facet_str(comma + 1, list->len - n - 1);
    else
        *list = FACET_STR_NULL;
    return true;
}

/* HTTP/1.1 needs exactly one Host; two could route one request twice. */
static int check_host(http_request_head_t *out, int *status)
{
    size_t n = 0;
    for (size_t i = 0; i < out->nheaders; i++) {
        if (name_is(&out->headers[i], FACET_STR_LIT("Host"))) {
            out->host = out->headers[i].value;
            n++;
        }
    }
    if (n > 1 || (n == 0 && out->minor_version == 1))
        return fail(status, FACET_EINVAL, 400);
    return FACET_OK;
}

/* The final coding must be chunked, exactly once, or we could not find the
 * end of the body. We implement no other coding, hence 501 for the rest. */
static int check_transfer_encoding(const http_request_head_t *out, int *status)
{
    size_t chunked = 0, other = 0;
    bool last_chunked = false;
    for (size_t i = 0; i < out->nheaders; i++) {
        if (!name_is(&out->headers[i], FACET_STR_LIT("Transfer-Encoding")))
            continue;
        facet_str_t list = out->headers[i].value, item;
        if (list.len == 0)
            return fail(status, FACET_EINVAL, 400);
        while (next_item(&list, &item)) {
            if (item.len == 0)
                return fail(status, FACET_EINVAL, 400);
            last_chunked = facet_str_ieq(item, FACET_STR_LIT("chunked"));
            *(last_chunked ? &chunked : &other) += 1;
        }
    }
    if (!last_chunked || chunked > 1)
        return fail(status, FACET_EINVAL, 400);
    return other ? fail(status, FACET_EINVAL, 501) : FACET_OK;
}

/* Every Content-Length value, in one list or over several fields, must be
 * the same number; a peer that picked another one would split the stream
 * elsewhere. */
static int read_content_length(http_request_head_t *out, const http_limits_t *limits, int *status)
{
    uint64_t value = 0;
    bool seen = false;
    for (size_t i = 0; i < out->nheaders; i++) {
        if (!name_is(&out->headers[i], FACET_STR_LIT("Content-Length")))
            continue;
        facet_str_t list = out->headers[i].value, item;
        while (next_item(&list, &item)) {
            uint64_t v;
            if (facet_str_to_u64(item, UINT64_MAX, &v) != FACET_OK || (seen && v != value))
                return fail(status, FACET_EINVAL, 400);
            value = v;
            seen = true;
        }
    }
    if (value > limits->max_body_size)
        return fail(status, FACET_ELIMIT, 413);
    out->body_kind = HTTP_BODY_LENGTH;
    out->content_length = value;
    return FACET_OK;
}

/* Decides how the body is framed. Transfer-Encoding with Content-Length is
 * the classic smuggling pair, and HTTP/1.0 has no chunked coding at all. */
static int check_framing(http_request_head_t *out, const http_limits_t *limits, int *status)
{
    bool has_te = false, has_cl = false;
    for (size_t i = 0; i < out->nheaders; i++) {
        has_te |= name_is(&out->headers[i], FACET_STR_LIT("Transfer-Encoding"));
        has_cl |= name_is(&out->headers[i], FACET_STR_LIT("Content-Length"));
    }
    if (has_te) {
        if (has_cl || out->minor_version == 0)
            return fail(status, FACET_EINVAL, 400);
        int rc = check_transfer_encoding(out, status);
        if (rc == FACET_OK)
            out->body_kind = HTTP_BODY_CHUNKED;
        return rc;
    }
    return has_cl ? read_content_length(out, limits, status) : FACET_OK;
}

/* 100-continue is the only expectation defined; an HTTP/1.0 client cannot
 * handle a 100 answer, so its expectation is ignored (RFC 9110, 10.1.1). */
static int check_expect(http_request_head_t *out, int *status)
{
    for (size_t i = 0; i < out->nheaders; i++) {
        const http_header_t *h = &out->headers[i];
        if (!name_is(h, FACET_STR_LIT("Expect")))
            continue;
        if (!facet_str_ieq(h->value, FACET_STR_LIT("100-continue")))
            return fail(status, FACET_EINVAL, 417);
        out->expect_continue = out->minor_version == 1;
    }
    return FACET_OK;
}

/* Applies Connection over the version's default; "close" always wins.
 * Upgrade is ignored in HTTP/1.0 requests (RFC 9110, section 7.8). */
static void set_connection(http_request_head_t *out)
{
    bool close = false, keep = false, upgrade = false, has_upgrade = false;
    for (size_t i = 0; i < out->nheaders; i++) {
        const http_header_t *h = &out->headers[i];
        if (name_is(h, FACET_STR_LIT("Connection"))) {
            close |= facet_str_has_token(h->value, FACET_STR_LIT("close"));
            keep |= facet_str_has_token(h->value, FACET_STR_LIT("keep-alive"));
            upgrade |= facet_str_has_token(h->value, FACET_STR_LIT("upgrade"));
        }
        has_upgrade |= name_is(h, FACET_STR_LIT("Upgrade"));
    }
    out->keep_alive = !close && (out->minor_version == 1 || keep);
    out->upgrade = upgrade && has_upgrade && out->minor_version == 1;
}

int http_parse_head(const char *buf, size_t len, const http_limits_t *limits,
                    http_header_t *headers, http_request_head_t *out, size_t *head_len, int *status)
{
    size_t pos;
    memset(out, 0, sizeof *out);
    out->headers = headers;
    *head_len = 0;
    if (skip_empty_lines(buf, len, &pos) != FACET_OK)
        return fail(status, FACET_EINVAL, 400);
    int rc = read_request_line(buf, len, limits, &pos, out, status);
    if (rc == FACET_OK)
        rc = read_header_lines(buf, len, limits, headers, &pos, out, status);
    if (rc == FACET_OK)
        rc = check_host(out, status);
    if (rc == FACET_OK)
        rc = check_framing(out, limits, status);
    if (rc == FACET_OK)
        rc = check_expect(out, status);
    if (rc != FACET_OK)
        return rc;
    set_connection(out);
    *head_len = pos;
    return FACET_OK;
}

const http_header_t *http_find_header(const http_request_head_t *head, facet_str_t name)
{
    for (size_t i = 0; i < head->nheaders; i++) {
        if (name_is(&head->headers[i], name))
            return &head->headers[i];
    }
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* Chunked decoder                                                          */
/* ------------------------------------------------------------------------ */

/* The states move one byte at a time, so a body split at any point decodes
 * exactly as the whole would. A failure is kept in state as its negative
 * FACET_E* code. */
enum {
    CH_SIZE,          /* hex digits of a chunk size */
    CH_SIZE_WS,       /* white space after the size, allowed only before ';' */
    CH_EXT,           /* a chunk extension, skipped up to CR */
    CH_SIZE_LF,       /* the LF ending the size line */
    CH_DATA,          /* chunk data */
    CH_DATA_CR,       /* the CR after chunk data */
    CH_DATA_LF,       /* the LF after chunk data */
    CH_TRAILER,       /* start of a trailer line, or the final empty line */
    CH_TRAILER_NAME,  /* a trailer field name, up to ':' */
    CH_TRAILER_VALUE, /* a trailer field value, up to CR */
    CH_TRAILER_LF,    /* the LF ending a trailer line */
    CH_END_LF,        /* the LF of the final empty line */
    CH_DONE,          /* the body is complete */
};

/* Trailers are read and dropped, so there is no reason to accept more than a
 * few lines' worth of them. */
#define HTTP_CHUNKED_TRAILER_LINES 8

void http_chunked_init(http_chunked_t *c, uint64_t max_body, size_t max_line)
{
    memset(c, 0, sizeof *c);
    c->state = CH_SIZE;
    c->max_body = max_body;
    c->max_line = max_line;
}

bool http_chunked_body_too_large(const http_chunked_t *c)
{
    return c->chunk_left > c->max_body - c->total;
}

/* The size is refused as soon as it would pass max_body, before its line is
 * complete, and at 17 digits, before it could overflow 64 bits. */
static int step_size_digit(http_chunked_t *c, int d)
{
    if (++c->digits > 16)
        return FACET_EINVAL;
    c->chunk_left = (c->chunk_left << 4) | (uint64_t)d;
    return c->chunk_left > c->max_body - c->total ? FACET_ELIMIT : FACET_OK;
}

/* One byte of "1*HEXDIG [BWS ";" ext] CR". */
static int step_size_line(http_chunked_t *c, unsigned char ch)
{
    if (ch != '\r' && ++c->line_bytes > c->max_line)
        return FACET_ELIMIT;
    int d = facet_hex_value(ch);
    if (c->state == CH_SIZE && d >= 0)
        return step_size_digit(c, d);
    if (c->state == CH_EXT) {
        if (ch == '\r')
            c->state = CH_SIZE_LF;
        return ch == '\r' || is_field_byte(ch) ? FACET_OK : FACET_EINVAL;
    }
    if (c->digits == 0)
        return FACET_EINVAL;
    if (ch == ';')
        c->state = CH_EXT;
    else if (ch == ' ' || ch == '\t')
        c->state = CH_SIZE_WS;
    else if (ch == '\r' && c->state == CH_SIZE)
        c->state = CH_SIZE_LF;
    else
        return FACET_EINVAL;
    return FACET_OK;
}

/* The LF of a size line, and the CRLF that must follow chunk data. */
static int step_line_end(http_chunked_t *c, unsigned char ch)
{
    if (c->state == CH_DATA_CR) {
        c->state = CH_DATA_LF;
        return ch == '\r' ? FACET_OK : FACET_EINVAL;
    }
    if (ch != '\n')
        return FACET_EINVAL;
    if (c->state == CH_DATA_LF) {
        c->state = CH_SIZE;
    } else {
        c->state = c->chunk_left ? CH_DATA : CH_TRAILER;
        c->digits = 0;
        c->line_bytes = 0;
    }
    return FACET_OK;
}

/* One byte of the trailer section: "name: value" lines validated like header
 * fields, then an empty line. Both each line and the whole are bounded. */
static int step_trailer(http_chunked_t *c, unsigned char ch)
{
    size_t max_total = c->max_line > SIZE_MAX / HTTP_CHUNKED_TRAILER_LINES
                           ? SIZE_MAX
                           : c->max_line * HTTP_CHUNKED_TRAILER_LINES;
    bool in_line = c->state == CH_TRAILER_NAME || c->state == CH_TRAILER_VALUE;
    bool ends = c->state == CH_END_LF || (c->state == CH_TRAILER && ch == '\r');
    if (in_line && ch != '\r' && ++c->line_bytes > c->max_line)
        return FACET_ELIMIT;
    if (!ends && ++c->trailer_bytes > max_total)
        return FACET_ELIMIT;
    switch (c->state) {
    case CH_TRAILER:
        c->line_bytes = 1;
        c->state = ch == '\r' ? CH_END_LF : CH_TRAILER_NAME;
        return ch == '\r' || is_tchar(ch) ? FACET_OK : FACET_EINVAL;
    case CH_TRAILER_NAME:
        if (ch == ':')
            c->state = CH_TRAILER_VALUE;
        return ch == ':' || is_tchar(ch) ? FACET_OK : FACET_EINVAL;
    case CH_TRAILER_VALUE:
        if (ch == '\r')
            c->state = CH_TRAILER_LF;
        return ch == '\r' || is_field_byte(ch) ? FACET_OK : FACET_EINVAL;
    case CH_TRAILER_LF:
        c->state = CH_TRAILER;
        return ch == '\n' ? FACET_OK : FACET_EINVAL;
    default: /* CH_END_LF */
        c->state = CH_DONE;
        return ch == '\n' ? FACET_OK : FACET_EINVAL;
    }
}

static int step(http_chunked_t *c, unsigned char ch)
{
    switch (c->state) {
    case CH_SIZE:
    case CH_SIZE_WS:
    case CH_EXT:
        return step_size_line(c, ch);
    case CH_SIZE_LF:
    case CH_DATA_CR:
    case CH_DATA_LF:
        return step_line_end(c, ch);
    default:
        return step_trailer(c, ch);
    }
}

/* Copies as much of the current chunk as the input holds. On a buffer error
 * nothing is consumed and the state is unchanged, so the call can be
 * retried once out has room. */
static int copy_data(http_chunked_t *c, const char *in, size_t avail, size_t *used,
                     facet_buf_t *out)
{
    size_t n = (uint64_t)avail < c->chunk_left ? avail : (size_t)c->chunk_left;
    int rc = facet_buf_append(out, in, n);
    if (rc != FACET_OK)
        return rc;
    *used = n;
    c->chunk_left -= n;
    c->total += n;
    if (c->chunk_left == 0)
        c->state = CH_DATA_CR;
    return FACET_OK;
}

int http_chunked_decode(http_chunked_t *c, const char *in, size_t len, size_t *consumed,
                        facet_buf_t *out)
{
    size_t i = 0;
    int rc = FACET_OK;
    *consumed = 0;
    if (c->state < 0)
        return c->state;
    while (i < len && c->state != CH_DONE && rc == FACET_OK) {
        size_t used = 1;
        if (c->state == CH_DATA) {
            rc = copy_data(c, in + i, len - i, &used, out);
        } else if ((rc = step(c, (unsigned char)in[i])) != FACET_OK) {
            c->state = rc;
        }
        if (rc == FACET_OK)
            i += used;
    }
    *consumed = i;
    if (rc != FACET_OK)
        return rc;
    return c->state == CH_DONE ? FACET_OK : FACET_EAGAIN;
}
