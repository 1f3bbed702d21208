/* String values (section 2.9.4): "..." with escapes, including \uXXXX,
 * surrogate pairs written as two escapes and \u{...}, and block strings
 * """...""" with the specification's BlockStringValue() algorithm for
 * common indentation. Values are decoded into the lexer's arena. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/error.h"
#include "core/str.h"
#include "gql/lexer_internal.h"

static int at(const gql_lexer_t *lx, size_t pos)
{
    return pos < lx->len ? (unsigned char)lx->src[pos] : -1;
}

/* Four hex digits at pos as a number, or -1 when any is missing. */
static long hex4(const gql_lexer_t *lx, size_t pos)
{
    long v = 0;
    for (size_t i = 0; i < 4; i++) {
        int d = facet_hex_value(at(lx, pos + i));
        if (d < 0)
            return -1;
        v = v << 4 | d;
    }
    return v;
}

static bool is_scalar_value(uint64_t cp)
{
    return cp <= 0xD7FF || (cp >= 0xE000 && cp <= 0x10FFFF);
}

static size_t utf8_encode(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Records graphql-js' error for a bad escape at pos, quoting the source
 * from pos for units UTF-16 code units, as graphql-js slices its string:
 * the quote stops early at the end of input or at a byte that is not
 * UTF-8, and a character cut in half by the limit shows as U+FFFD (what a
 * lone surrogate becomes in graphql-js' JSON output). */
static int escape_error(gql_lexer_t *lx, size_t pos, size_t units, const char *what)
{
    size_t end = pos;
    bool cut = false;
    while (units > 0 && end < lx->len) {
        uint32_t cp;
        size_t n = gql_utf8_decode(lx->src + end, lx->len - end, &cp);
        if (!n)
            break;
        if (cp > 0xFFFF && units < 2) {
            cut = true;
            break;
        }
        units -= cp > 0xFFFF ? 2 : 1;
        end += n;
    }
    /* Built by hand rather than with printf so that a NUL in the quoted
     * source does not cut the message short. */
    size_t wlen = strlen(what), qlen = end - pos, len = 0;
    char *m = lx->error;
    if (wlen + qlen + 8 > sizeof lx->error)
        qlen = 0; /* cannot happen: the quote is at most 12 units */
    memcpy(m, what, wlen), len += wlen;
    memcpy(m + len, ": \"", 3), len += 3;
    memcpy(m + len, lx->src + pos, qlen), len += qlen;
    if (cut)
        memcpy(m + len, "\xEF\xBF\xBD", 3), len += 3;
    memcpy(m + len, "\".", 3), len += 2;
    lx->error_len = len;
    lx->error_pos = pos;
    return FACET_EINVAL;
}

/* \u{...}: up to eight hex digits naming a Unicode scalar value. */
static int escape_variable_width(gql_lexer_t *lx, size_t pos, uint32_t *cp, size_t *size)
{
    uint64_t point = 0;
    size_t n = 3;
    while (n < 12) {
        int c = at(lx, pos + n++);
        if (c == '}') {
            if (n < 5 || !is_scalar_value(point))
                break;
            *cp = (uint32_t)point;
            *size = n;
            return FACET_OK;
        }
        int d = facet_hex_value(c);
        if (d < 0)
            break;
        point = point << 4 | (uint64_t)d;
        /* graphql-js accumulates in a signed 32-bit integer and gives up
         * when it turns negative; stopping at the same point keeps the
         * quoted part of the message the same. */
        if (point > 0x7FFFFFFF)
            break;
    }
    return escape_error(lx, pos, n, "Invalid Unicode escape sequence");
}

/* \uXXXX, or a surrogate pair written as \uD83D\uDE00; a lone surrogate is
 * an error since it encodes no character. */
static int escape_fixed_width(gql_lexer_t *lx, size_t pos, uint32_t *cp, size_t *size)
{
    long code = hex4(lx, pos + 2);
    if (code >= 0 && is_scalar_value((uint64_t)code)) {
        *cp = (uint32_t)code;
        *size = 6;
        return FACET_OK;
    }
    if (code >= 0xD800 && code <= 0xDBFF && at(lx, pos + 6) == '\\' && at(lx, pos + 7) == 'u') {
        long trail = hex4(lx, pos + 8);
        if (trail >= 0xDC00 && trail <= 0xDFFF) {
            *cp = (uint32_t)(0x10000 + ((code - 0xD800) << 10) + (trail - 0xDC00));
            *size = 12;
            return FACET_OK;
        }
    }
    return escape_error(lx, pos, 6, "Invalid Unicode escape sequence");
}

/* Reads the escape sequence whose backslash is at pos. */
static int read_escape(gql_lexer_t *lx, size_t pos, uint32_t *cp, size_t *size)
{
    int c = at(lx, pos + 1);
    if (c == 'u')
        return at(lx, pos + 2) == '{' ? escape_variable_width(lx, pos, cp, size)
                                      : escape_fixed_width(lx, pos, cp, size);
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    const char *hit = c > 0 ? memchr(from, c, sizeof from - 1) : NULL;
    if (!hit)
        return escape_error(lx, pos, 2, "Invalid character escape sequence");
    *cp = (unsigned char)to[hit - from];
    *size = 2;
    return FACET_OK;
}

/* A string's value: the source src[from..to) turned by copy into a new
 * arena buffer and NUL-terminated. copy writes into buf, which has room
 * for the source (a value is never longer than its source form), and
 * returns the value's length, or SIZE_MAX for FACET_EINVAL. */
static int arena_value(gql_lexer_t *lx, size_t from, size_t to,
                       size_t (*copy)(gql_lexer_t *lx, size_t from, size_t to, char *buf),
                       facet_str_t *out)
{
    char *buf = facet_arena_alloc(lx->arena, to - from + 1);
    if (!buf)
        return FACET_ENOMEM;
    size_t len = copy(lx, from, to, buf);
    if (len == SIZE_MAX)
        return FACET_EINVAL;
    buf[len] = '\0';
    *out = facet_str(buf, len);
    return FACET_OK;
}

/* Second pass over a string already known to be well formed: copies it
 * with escapes resolved. */
static size_t unescape(gql_lexer_t *lx, size_t from, size_t to, char *buf)
{
    size_t len = 0;
    for (size_t pos = from; pos < to;) {
        if (lx->src[pos] != '\\') {
            buf[len++] = lx->src[pos++];
            continue;
        }
        uint32_t cp = 0;
        size_t size = 0;
        if (read_escape(lx, pos, &cp, &size))
            return SIZE_MAX;
        len += utf8_encode(cp, buf + len);
        pos += size;
    }
    return len;
}

int gql__lexer_read_string(gql_lexer_t *lx, size_t start, gql_token_t *tok)
{
    size_t pos = start + 1;
    bool escaped = false;
    while (pos < lx->len) {
        unsigned char c = (unsigned char)lx->src[pos];
        if (c == '"') {
            gql__lexer_token(lx, tok, GQL_TOK_STRING, start, pos + 1);
            if (!escaped) {
                tok->value = facet_arena_strdup(lx->arena, lx->src + start + 1, pos - start - 1);
                return tok->value.base ? FACET_OK : FACET_ENOMEM;
            }
            return arena_value(lx, start + 1, pos, unescape, &tok->value);
        }
        if (c == '\n' || c == '\r')
            break;
        if (c == '\\') {
            uint32_t cp;
            size_t size = 0;
            int rc = read_escape(lx, pos, &cp, &size);
            if (rc)
                return rc;
            escaped = true;
            pos += size;
        } else {
            int rc = gql__lexer_skip_char(lx, &pos);
            if (rc)
                return rc;
        }
    }
    return gql__lexer_error(lx, pos, "Unterminated string.");
}

static bool is_blank(const char *s, size_t n, size_t *indent)
{
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    *indent = i;
    return i == n;
}

/* BlockStringValue() (section 2.9.4) over buf[0..len), whose lines are
 * separated by \n: removes the common indentation of every line but the
 * first, then the leading and trailing blank lines. Works in place, since
 * the result is never longer. Returns the new length. */
static size_t dedent(char *buf, size_t len)
{
    size_t common = SIZE_MAX, first = SIZE_MAX, last = 0, line = 0;
    for (size_t ls = 0; ls <= len; line++) {
        const char *nl = memchr(buf + ls, '\n', len - ls);
        size_t le = nl ? (size_t)(nl - buf) : len, indent;
        if (!is_blank(buf + ls, le - ls, &indent)) {
            if (first == SIZE_MAX)
                first = line;
            last = line;
            if (line != 0 && indent < common)
                common = indent;
        }
        ls = le + 1;
    }
    if (first == SIZE_MAX)
        return 0;
    size_t w = 0;
    line = 0;
    for (size_t ls = 0; ls <= len && line <= last; line++) {
        const char *nl = memchr(buf + ls, '\n', len - ls);
        size_t le = nl ? (size_t)(nl - buf) : len;
        if (line >= first) {
            size_t from = ls;
            if (line != 0)
                from += le - ls < common ? le - ls : common;
            if (line != first)
                buf[w++] = '\n';
            memmove(buf + w, buf + from, le - from);
            w += le - from;
        }
        ls = le + 1;
    }
    return w;
}

/* Copies the raw block string src[from..to) with \""" made """ and every
 * line terminator made \n, then applies dedent(). */
static size_t block_lines(gql_lexer_t *lx, size_t from, size_t to, char *buf)
{
    size_t len = 0;
    for (size_t pos = from; pos < to;) {
        char c = lx->src[pos];
        if (c == '\\' && at(lx, pos + 1) == '"' && at(lx, pos + 2) == '"' &&
            at(lx, pos + 3) == '"') {
            memcpy(buf + len, "\"\"\"", 3);
            len += 3;
            pos += 4;
        } else if (c == '\r') {
            buf[len++] = '\n';
            pos += at(lx, pos + 1) == '\n' ? 2 : 1;
        } else {
            buf[len++] = c;
            pos++;
        }
    }
    return dedent(buf, len);
}

int gql__lexer_read_block_string(gql_lexer_t *lx, size_t start, gql_token_t *tok)
{
    size_t pos = start + 3, line_start = lx->line_start;
    uint32_t lines = 0;
    while (pos < lx->len) {
        unsigned char c = (unsigned char)lx->src[pos];
        if (c == '"' && at(lx, pos + 1) == '"' && at(lx, pos + 2) == '"') {
            gql__lexer_token(lx, tok, GQL_TOK_BLOCK_STRING, start, pos + 3);
            /* The token sits where it starts; the lexer goes on from the
             * line the closing quotes are on. */
            lx->line = lx->line > UINT32_MAX - lines ? UINT32_MAX : lx->line + lines;
            lx->line_start = line_start;
            return arena_value(lx, start + 3, pos, block_lines, &tok->value);
        }
        if (c == '\\' && at(lx, pos + 1) == '"' && at(lx, pos + 2) == '"' &&
            at(lx, pos + 3) == '"') {
            pos += 4;
        } else if (c == '\n' || c == '\r') {
            pos += c == '\r' && at(lx, pos + 1) == '\n' ? 2 : 1;
            lines++;
            line_start = pos;
        } else {
            int rc = gql__lexer_skip_char(lx, &pos);
            if (rc)
                return rc;
        }
    }
    return gql__lexer_error(lx, pos, "Unterminated string.");
}
