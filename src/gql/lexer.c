/* The GraphQL lexer: punctuators, names, numbers and ignored tokens here;
 * string and block-string values in lexer_string.c. Error messages and
 * positions follow graphql-js 16, whose lexer is the reference for every
 * client of this server. */
#include "gql/lexer.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "core/error.h"
#include "gql/lexer_internal.h"

void gql_lexer_init(gql_lexer_t *lx, facet_arena_t *arena, const char *src, size_t len)
{
    memset(lx, 0, sizeof *lx);
    lx->arena = arena;
    lx->src = src;
    lx->len = len;
    lx->line = 1;
}

size_t gql_utf8_decode(const char *s, size_t n, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n == 0)
        return 0;
    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    }
    size_t len;
    uint32_t c, min;
    if (u[0] >= 0xC2 && u[0] <= 0xDF) {
        len = 2, c = u[0] & 0x1F, min = 0x80;
    } else if ((u[0] & 0xF0) == 0xE0) {
        len = 3, c = u[0] & 0x0F, min = 0x800;
    } else if (u[0] >= 0xF0 && u[0] <= 0xF4) {
        len = 4, c = u[0] & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((u[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (u[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

/* UTF-16 code units in s[0..n): one per character, two for characters past
 * U+FFFF (whose UTF-8 form starts with a byte >= 0xF0). Continuation bytes
 * count nothing. Any byte string gives an answer, valid or not. */
static uint32_t utf16_units(const char *s, size_t n)
{
    uint32_t units = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)s[i];
        if ((b & 0xC0) != 0x80)
            units++;
        if (b >= 0xF0)
            units++;
    }
    return units;
}

gql_loc_t gql_source_location(const char *src, size_t len, size_t pos)
{
    uint32_t line = 1;
    size_t line_start = 0;
    if (pos > len)
        pos = len;
    for (size_t i = 0; i < pos; i++) {
        if (src[i] == '\n' || src[i] == '\r') {
            if (src[i] == '\r' && i + 1 < len && src[i + 1] == '\n')
                i++;
            if (line < UINT32_MAX)
                line++;
            line_start = i + 1;
        }
    }
    /* A position between \r and \n belongs to the line the pair ends. */
    if (line_start > pos)
        line_start = pos;
    return (gql_loc_t){line, utf16_units(src + line_start, pos - line_start) + 1};
}

gql_loc_t gql__lexer_loc(gql_lexer_t *lx, size_t pos)
{
    if (lx->col_line_start != lx->line_start || lx->col_pos > pos) {
        lx->col_line_start = lx->line_start;
        lx->col_pos = lx->line_start;
        lx->col_units = 0;
    }
    lx->col_units += utf16_units(lx->src + lx->col_pos, pos - lx->col_pos);
    lx->col_pos = pos;
    return (gql_loc_t){lx->line, lx->col_units + 1};
}

int gql__lexer_error(gql_lexer_t *lx, size_t pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(lx->error, sizeof lx->error, fmt, ap);
    va_end(ap);
    lx->error_len = n < 0 ? 0 : (size_t)n < sizeof lx->error ? (size_t)n : sizeof lx->error - 1;
    lx->error_pos = pos;
    return FACET_EINVAL;
}

int gql__lexer_invalid_utf8(gql_lexer_t *lx, size_t pos)
{
    return gql__lexer_error(lx, pos, "Invalid character: byte 0x%02X is not valid UTF-8.",
                            (unsigned char)lx->src[pos]);
}

const char *gql__lexer_char_desc(const gql_lexer_t *lx, size_t pos, char *buf, size_t size)
{
    uint32_t cp;
    if (pos >= lx->len) {
        snprintf(buf, size, "<EOF>");
    } else if (!gql_utf8_decode(lx->src + pos, lx->len - pos, &cp)) {
        snprintf(buf, size, "byte 0x%02X", (unsigned char)lx->src[pos]);
    } else if (cp == '"') {
        snprintf(buf, size, "'\"'");
    } else if (cp >= 0x20 && cp <= 0x7E) {
        snprintf(buf, size, "\"%c\"", (char)cp);
    } else {
        snprintf(buf, size, "U+%04X", (unsigned)cp);
    }
    return buf;
}

const char *gql_token_kind_desc(gql_token_kind_t kind)
{
    static const char *const names[] = {
        [GQL_TOK_EOF] = "<EOF>",       [GQL_TOK_BANG] = "\"!\"",
        [GQL_TOK_DOLLAR] = "\"$\"",    [GQL_TOK_AMP] = "\"&\"",
        [GQL_TOK_PAREN_L] = "\"(\"",   [GQL_TOK_PAREN_R] = "\")\"",
        [GQL_TOK_SPREAD] = "\"...\"",  [GQL_TOK_COLON] = "\":\"",
        [GQL_TOK_EQUALS] = "\"=\"",    [GQL_TOK_AT] = "\"@\"",
        [GQL_TOK_BRACKET_L] = "\"[\"", [GQL_TOK_BRACKET_R] = "\"]\"",
        [GQL_TOK_BRACE_L] = "\"{\"",   [GQL_TOK_PIPE] = "\"|\"",
        [GQL_TOK_BRACE_R] = "\"}\"",   [GQL_TOK_NAME] = "Name",
        [GQL_TOK_INT] = "Int",         [GQL_TOK_FLOAT] = "Float",
        [GQL_TOK_STRING] = "String",   [GQL_TOK_BLOCK_STRING] = "BlockString",
    };
    return (unsigned)kind < sizeof names / sizeof names[0] ? names[kind] : "?";
}

static int at(const gql_lexer_t *lx, size_t pos)
{
    return pos < lx->len ? (unsigned char)lx->src[pos] : -1;
}

static bool is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static bool is_name_start(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_name_continue(int c)
{
    return is_name_start(c) || is_digit(c);
}

void gql__lexer_token(gql_lexer_t *lx, gql_token_t *tok, gql_token_kind_t kind, size_t start,
                      size_t end)
{
    tok->kind = kind;
    tok->start = start;
    tok->end = end;
    tok->loc = gql__lexer_loc(lx, start);
    tok->value = FACET_STR_NULL;
    lx->pos = end;
}

static int read_name(gql_lexer_t *lx, size_t start, gql_token_t *tok)
{
    size_t pos = start + 1;
    while (is_name_continue(at(lx, pos)))
        pos++;
    gql__lexer_token(lx, tok, GQL_TOK_NAME, start, pos);
    tok->value = facet_str(lx->src + start, pos - start);
    return FACET_OK;
}

/* Reads Digit+ at pos and returns the position after it, or SIZE_MAX after
 * recording the error when no digit is there. */
static size_t read_digits(gql_lexer_t *lx, size_t pos)
{
    char desc[24];
    if (!is_digit(at(lx, pos))) {
        gql__lexer_error(lx, pos, "Invalid number, expected digit but got: %s.",
                         gql__lexer_char_desc(lx, pos, desc, sizeof desc));
        return SIZE_MAX;
    }
    while (is_digit(at(lx, pos)))
        pos++;
    return pos;
}

/* IntValue and FloatValue (section 2.9.1, 2.9.2). A number may not run into
 * a name or a second fraction: "123abc" and "1.2.3" are errors, not two
 * tokens. */
static int read_number(gql_lexer_t *lx, size_t start, gql_token_t *tok)
{
    char desc[24];
    size_t pos = start;
    bool is_float = false;
    if (at(lx, pos) == '-')
        pos++;
    if (at(lx, pos) == '0') {
        pos++;
        if (is_digit(at(lx, pos)))
            return gql__lexer_error(lx, pos, "Invalid number, unexpected digit after 0: %s.",
                                    gql__lexer_char_desc(lx, pos, desc, sizeof desc));
    } else if ((pos = read_digits(lx, pos)) == SIZE_MAX) {
        return FACET_EINVAL;
    }
    if (at(lx, pos) == '.') {
        is_float = true;
        if ((pos = read_digits(lx, pos + 1)) == SIZE_MAX)
            return FACET_EINVAL;
    }
    if (at(lx, pos) == 'e' || at(lx, pos) == 'E') {
        is_float = true;
        pos++;
        if (at(lx, pos) == '+' || at(lx, pos) == '-')
            pos++;
        if ((pos = read_digits(lx, pos)) == SIZE_MAX)
            return FACET_EINVAL;
    }
    if (at(lx, pos) == '.' || is_name_start(at(lx, pos)))
        return gql__lexer_error(lx, pos, "Invalid number, expected digit but got: %s.",
                                gql__lexer_char_desc(lx, pos, desc, sizeof desc));
    gql__lexer_token(lx, tok, is_float ? GQL_TOK_FLOAT : GQL_TOK_INT, start, pos);
    tok->value = facet_str(lx->src + start, pos - start);
    return FACET_OK;
}

/* Skips a comment up to (not including) the line terminator. The comment's
 * characters must be valid UTF-8 like the rest of the source. */
static int skip_comment(gql_lexer_t *lx, size_t pos)
{
    while (pos < lx->len && lx->src[pos] != '\n' && lx->src[pos] != '\r') {
        int rc = gql__lexer_skip_char(lx, &pos);
        if (rc)
            return rc;
    }
    lx->pos = pos;
    return FACET_OK;
}

static void new_line(gql_lexer_t *lx, size_t next)
{
    lx->pos = next;
    if (lx->line < UINT32_MAX)
        lx->line++;
    lx->line_start = next;
}

/* A character that starts no token: a BOM is skipped (returns 1), anything
 * else is an error in graphql-js' words. */
static int unexpected_char(gql_lexer_t *lx, size_t pos)
{
    char desc[24];
    int c = at(lx, pos);
    if (c >= 0x80) {
        uint32_t cp;
        size_t n = gql_utf8_decode(lx->src + pos, lx->len - pos, &cp);
        if (!n)
            return gql__lexer_invalid_utf8(lx, pos);
        if (cp == 0xFEFF) {
            lx->pos = pos + n;
            return 1;
        }
    }
    if (c == '\'')
        return gql__lexer_error(
            lx, pos,
            "Unexpected single quote character ('), did you mean to use a double quote (\")?");
    return gql__lexer_error(lx, pos, "Unexpected character: %s.",
                            gql__lexer_char_desc(lx, pos, desc, sizeof desc));
}

static int punctuator(int c)
{
    switch (c) {
    case '!':
        return GQL_TOK_BANG;
    case '$':
        return GQL_TOK_DOLLAR;
    case '&':
        return GQL_TOK_AMP;
    case '(':
        return GQL_TOK_PAREN_L;
    case ')':
        return GQL_TOK_PAREN_R;
    case ':':
        return GQL_TOK_COLON;
    case '=':
        return GQL_TOK_EQUALS;
    case '@':
        return GQL_TOK_AT;
    case '[':
        return GQL_TOK_BRACKET_L;
    case ']':
        return GQL_TOK_BRACKET_R;
    case '{':
        return GQL_TOK_BRACE_L;
    case '|':
        return GQL_TOK_PIPE;
    case '}':
        return GQL_TOK_BRACE_R;
    default:
        return -1;
    }
}

int gql_lexer_next(gql_lexer_t *lx, gql_token_t *tok)
{
    for (;;) {
        size_t pos = lx->pos;
        int c = at(lx, pos);
        switch (c) {
        case -1:
            gql__lexer_token(lx, tok, GQL_TOK_EOF, lx->len, lx->len);
            return FACET_OK;
        case ' ':
        case '\t':
        case ',':
            lx->pos = pos + 1;
            continue;
        case '\n':
            new_line(lx, pos + 1);
            continue;
        case '\r':
            new_line(lx, pos + (at(lx, pos + 1) == '\n' ? 2 : 1));
            continue;
        case '#': {
            int rc = skip_comment(lx, pos + 1);
            if (rc)
                return rc;
            continue;
        }
        case '.':
            if (at(lx, pos + 1) == '.' && at(lx, pos + 2) == '.') {
                gql__lexer_token(lx, tok, GQL_TOK_SPREAD, pos, pos + 3);
                return FACET_OK;
            }
            break;
        case '"':
            if (at(lx, pos + 1) == '"' && at(lx, pos + 2) == '"')
                return gql__lexer_read_block_string(lx, pos, tok);
            return gql__lexer_read_string(lx, pos, tok);
        default: {
            int kind = punctuator(c);
            if (kind >= 0) {
                gql__lexer_token(lx, tok, (gql_token_kind_t)kind, pos, pos + 1);
                return FACET_OK;
            }
        }
        }
        if (is_digit(c) || c == '-')
            return read_number(lx, pos, tok);
        if (is_name_start(c))
            return read_name(lx, pos, tok);
        int rc = unexpected_char(lx, pos);
        if (rc != 1)
            return rc;
    }
}
