/* Growable byte buffer with a hard limit, and JSON string escaping. */
#include "core/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

void facet_buf_init(facet_buf_t *b, size_t limit)
{
    b->base = NULL;
    b->len = 0;
    b->cap = 0;
    b->limit = limit ? limit : SIZE_MAX;
}

void facet_buf_free(facet_buf_t *b)
{
    free(b->base);
    b->base = NULL;
    b->len = b->cap = 0;
}

int facet_buf_reserve(facet_buf_t *b, size_t extra)
{
    if (extra > b->limit - b->len)
        return FACET_ELIMIT;
    size_t need = b->len + extra;
    if (need <= b->cap)
        return FACET_OK;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    if (cap > b->limit)
        cap = b->limit;
    char *p = realloc(b->base, cap);
    if (!p)
        return FACET_ENOMEM;
    b->base = p;
    b->cap = cap;
    return FACET_OK;
}

int facet_buf_append(facet_buf_t *b, const void *data, size_t len)
{
    int rc = facet_buf_reserve(b, len);
    if (rc != FACET_OK)
        return rc;
    if (len)
        memcpy(b->base + b->len, data, len);
    b->len += len;
    return FACET_OK;
}

int facet_buf_append_str(facet_buf_t *b, const char *cstr)
{
    return facet_buf_append(b, cstr, strlen(cstr));
}

int facet_buf_printf(facet_buf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return FACET_EINVAL;
    if ((size_t)n < sizeof small)
        return facet_buf_append(b, small, (size_t)n);
    int rc = facet_buf_reserve(b, (size_t)n + 1);
    if (rc != FACET_OK)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->base + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return FACET_OK;
}

/* Length of the valid UTF-8 sequence at s (1-4), or 0 when it is invalid. */
static size_t utf8_seq_len(const unsigned char *s, size_t len)
{
    unsigned char c = s[0];
    size_t n;
    uint32_t cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (len < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;
    return n;
}

int facet_buf_append_json_escaped(facet_buf_t *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        size_t run = i;
        while (run < len && p[run] >= 0x20 && p[run] < 0x80 && p[run] != '"' && p[run] != '\\')
            run++;
        if (run > i) {
            int rc = facet_buf_append(b, p + i, run - i);
            if (rc != FACET_OK)
                return rc;
            i = run;
            continue;
        }
        unsigned char c = p[i];
        char esc[6];
        size_t n = 2;
        esc[0] = '\\';
        if (c == '"' || c == '\\') {
            esc[1] = (char)c;
        } else if (c == '\n') {
            esc[1] = 'n';
        } else if (c == '\r') {
            esc[1] = 'r';
        } else if (c == '\t') {
            esc[1] = 't';
        } else if (c < 0x20) {
            memcpy(esc, "\\u00", 4);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            n = 6;
        } else {
            size_t seq = utf8_seq_len(p + i, len - i);
            int rc = seq ? facet_buf_append(b, p + i, seq) : facet_buf_append(b, "\xEF\xBF\xBD", 3);
            if (rc != FACET_OK)
                return rc;
            i += seq ? seq : 1;
            continue;
        }
        int rc = facet_buf_append(b, esc, n);
        if (rc != FACET_OK)
            return rc;
        i++;
    }
    return FACET_OK;
}

void facet_buf_consume(facet_buf_t *b, size_t n)
{
    if (n >= b->len) {
        b->len = 0;
        return;
    }
    memmove(b->base, b->base + n, b->len - n);
    b->len -= n;
}
