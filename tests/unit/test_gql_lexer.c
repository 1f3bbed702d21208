/* Tests for gql/lexer.h: every token kind, ignored tokens, numbers,
 * strings and their escapes, block strings and their indentation rules,
 * locations as graphql-js counts them, and lexical errors. Expected
 * messages and positions are graphql-js 16's. */
#include <stdlib.h>

#include "core/error.h"
#include "gql/lexer.h"
#include "test.h"

/* Lexes src (which the lexer sees without a NUL after it: the bytes are
 * copied into an exactly sized heap block, so ASan catches any read past
 * the end) and returns the first token, or the error. */
typedef struct lexed {
    facet_arena_t arena;
    char *copy;
    gql_lexer_t lx;
    gql_token_t tok;
    int rc;
} lexed_t;

static void lex_open(lexed_t *l, const char *src, size_t len)
{
    facet_arena_init(&l->arena, 0);
    l->copy = malloc(len ? len : 1);
    CHECK(l->copy);
    memcpy(l->copy, src, len);
    gql_lexer_init(&l->lx, &l->arena, l->copy, len);
}

static int lex_next(lexed_t *l)
{
    l->rc = gql_lexer_next(&l->lx, &l->tok);
    return l->rc;
}

static void lex_close(lexed_t *l)
{
    facet_arena_free(&l->arena);
    free(l->copy);
}

/* The value of the single token src holds, which must be of kind. */
#define CHECK_ONE(src_, kind_, value_)           \
    do {                                         \
        lexed_t l_;                              \
        lex_open(&l_, (src_), sizeof(src_) - 1); \
        CHECK_EQ_INT(lex_next(&l_), FACET_OK);   \
        CHECK_EQ_INT(l_.tok.kind, (kind_));      \
        CHECK_SLICE(l_.tok.value, (value_));     \
        CHECK_EQ_INT(lex_next(&l_), FACET_OK);   \
        CHECK_EQ_INT(l_.tok.kind, GQL_TOK_EOF);  \
        lex_close(&l_);                          \
    } while (0)

/* The first error src gives: message and line:column. */
static void check_error(const char *src, size_t len, const char *message, unsigned line,
                        unsigned column)
{
    lexed_t l;
    lex_open(&l, src, len);
    int rc;
    do {
        rc = lex_next(&l);
    } while (rc == FACET_OK && l.tok.kind != GQL_TOK_EOF);
    if (rc != FACET_EINVAL) {
        fprintf(stderr, "no error for \"%s\"\n", src);
        exit(1);
    }
    char msg[256];
    snprintf(msg, sizeof msg, "%.*s", (int)l.lx.error_len, l.lx.error);
    CHECK_EQ_STR(msg, message);
    gql_loc_t loc = gql_source_location(l.copy, len, l.lx.error_pos);
    CHECK_EQ_INT(loc.line, line);
    CHECK_EQ_INT(loc.column, column);
    lex_close(&l);
}
#define CHECK_ERROR(src, msg, line, col) check_error((src), sizeof(src) - 1, (msg), (line), (col))

TEST(punctuators)
{
    static const char src[] = "! $ & ( ) ... : = @ [ ] { | }";
    static const gql_token_kind_t kinds[] = {
        GQL_TOK_BANG,      GQL_TOK_DOLLAR,  GQL_TOK_AMP,    GQL_TOK_PAREN_L, GQL_TOK_PAREN_R,
        GQL_TOK_SPREAD,    GQL_TOK_COLON,   GQL_TOK_EQUALS, GQL_TOK_AT,      GQL_TOK_BRACKET_L,
        GQL_TOK_BRACKET_R, GQL_TOK_BRACE_L, GQL_TOK_PIPE,   GQL_TOK_BRACE_R, GQL_TOK_EOF,
    };
    lexed_t l;
    lex_open(&l, src, sizeof src - 1);
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        CHECK_EQ_INT(lex_next(&l), FACET_OK);
        CHECK_EQ_INT(l.tok.kind, kinds[i]);
        CHECK(l.tok.value.base == NULL);
    }
    /* Past the end, EOF again. */
    CHECK_EQ_INT(lex_next(&l), FACET_OK);
    CHECK_EQ_INT(l.tok.kind, GQL_TOK_EOF);
    CHECK_EQ_INT(l.tok.start, sizeof src - 1);
    lex_close(&l);
}

TEST(names)
{
    CHECK_ONE("name", GQL_TOK_NAME, "name");
    CHECK_ONE("_under_score9", GQL_TOK_NAME, "_under_score9");
    CHECK_ONE("  A1b2  ", GQL_TOK_NAME, "A1b2");
    CHECK_ONE("__typename", GQL_TOK_NAME, "__typename");
}

TEST(ints_and_floats)
{
    CHECK_ONE("0", GQL_TOK_INT, "0");
    CHECK_ONE("-0", GQL_TOK_INT, "-0");
    CHECK_ONE("42", GQL_TOK_INT, "42");
    CHECK_ONE("-42", GQL_TOK_INT, "-42");
    CHECK_ONE("123456789012345678901234567890", GQL_TOK_INT, "123456789012345678901234567890");
    CHECK_ONE("4.123", GQL_TOK_FLOAT, "4.123");
    CHECK_ONE("-4.123", GQL_TOK_FLOAT, "-4.123");
    CHECK_ONE("0.123", GQL_TOK_FLOAT, "0.123");
    CHECK_ONE("123e4", GQL_TOK_FLOAT, "123e4");
    CHECK_ONE("123E4", GQL_TOK_FLOAT, "123E4");
    CHECK_ONE("123e-4", GQL_TOK_FLOAT, "123e-4");
    CHECK_ONE("123e+4", GQL_TOK_FLOAT, "123e+4");
    CHECK_ONE("-1.123e4567", GQL_TOK_FLOAT, "-1.123e4567");
    CHECK_ONE("0e0", GQL_TOK_FLOAT, "0e0");
}

TEST(number_errors)
{
    CHECK_ERROR("00", "Invalid number, unexpected digit after 0: \"0\".", 1, 2);
    CHECK_ERROR("01", "Invalid number, unexpected digit after 0: \"1\".", 1, 2);
    CHECK_ERROR("-", "Invalid number, expected digit but got: <EOF>.", 1, 2);
    CHECK_ERROR("-a", "Invalid number, expected digit but got: \"a\".", 1, 2);
    CHECK_ERROR("1.", "Invalid number, expected digit but got: <EOF>.", 1, 3);
    CHECK_ERROR("1.A", "Invalid number, expected digit but got: \"A\".", 1, 3);
    CHECK_ERROR("1.e1", "Invalid number, expected digit but got: \"e\".", 1, 3);
    CHECK_ERROR("1e", "Invalid number, expected digit but got: <EOF>.", 1, 3);
    CHECK_ERROR("1e+", "Invalid number, expected digit but got: <EOF>.", 1, 4);
    CHECK_ERROR("1.0e-x", "Invalid number, expected digit but got: \"x\".", 1, 6);
    /* A number may not run into a name or a second fraction. */
    CHECK_ERROR("123abc", "Invalid number, expected digit but got: \"a\".", 1, 4);
    CHECK_ERROR("1.2.3", "Invalid number, expected digit but got: \".\".", 1, 4);
    CHECK_ERROR("0x12", "Invalid number, expected digit but got: \"x\".", 1, 2);
    CHECK_ERROR("1_000", "Invalid number, expected digit but got: \"_\".", 1, 2);
    CHECK_ERROR("1.5e3.1", "Invalid number, expected digit but got: \".\".", 1, 6);
    CHECK_ERROR("-\"", "Invalid number, expected digit but got: '\"'.", 1, 2);
    CHECK_ERROR("-\xff", "Invalid number, expected digit but got: byte 0xFF.", 1, 2);
    /* A character past ASCII ends the number; it is then unexpected. */
    CHECK_ERROR("1\xc3\xa9", "Unexpected character: U+00E9.", 1, 2);
}

TEST(strings)
{
    CHECK_ONE("\"simple\"", GQL_TOK_STRING, "simple");
    CHECK_ONE("\"\"", GQL_TOK_STRING, "");
    CHECK_ONE("\" white space \"", GQL_TOK_STRING, " white space ");
    CHECK_ONE("\"unicode caf\xc3\xa9 \xf0\x9f\x98\x80\"", GQL_TOK_STRING,
              "unicode caf\xc3\xa9 \xf0\x9f\x98\x80");
    CHECK_ONE("\"tab\there\"", GQL_TOK_STRING, "tab\there");
    /* The October 2021 specification and graphql-js 16 allow every Unicode
     * scalar value but " \ and line terminators, control characters too. */
    CHECK_ONE("\"ctl\x01\x7f\"", GQL_TOK_STRING, "ctl\x01\x7f");
}

TEST(string_escapes)
{
    CHECK_ONE("\"quote \\\" back \\\\ slash \\/\"", GQL_TOK_STRING, "quote \" back \\ slash /");
    CHECK_ONE("\"\\b\\f\\n\\r\\t\"", GQL_TOK_STRING, "\b\f\n\r\t");
    CHECK_ONE("\"\\u0041\\u00e9\\u4E2D\\uFFFF\"", GQL_TOK_STRING,
              "A\xc3\xa9\xe4\xb8\xad\xef\xbf\xbf");
    /* A surrogate pair written as two escapes is one character. */
    CHECK_ONE("\"\\uD83D\\uDE00\"", GQL_TOK_STRING, "\xf0\x9f\x98\x80");
    CHECK_ONE("\"\\ud83d\\ude00!\"", GQL_TOK_STRING, "\xf0\x9f\x98\x80!");
    /* Variable width. */
    CHECK_ONE("\"\\u{1F600}\"", GQL_TOK_STRING, "\xf0\x9f\x98\x80");
    CHECK_ONE("\"\\u{41}\\u{0041}\\u{00000041}\"", GQL_TOK_STRING, "AAA");
    CHECK_ONE("\"\\u{10FFFF}\"", GQL_TOK_STRING, "\xf4\x8f\xbf\xbf");
    lexed_t l;
    lex_open(&l, "\"a\\u0000b\"", 10);
    CHECK_EQ_INT(lex_next(&l), FACET_OK);
    CHECK_EQ_INT(l.tok.value.len, 3);
    CHECK(memcmp(l.tok.value.base, "a\0b", 3) == 0);
    lex_close(&l);
}

TEST(string_errors)
{
    CHECK_ERROR("\"", "Unterminated string.", 1, 2);
    CHECK_ERROR("\"no end", "Unterminated string.", 1, 8);
    CHECK_ERROR("\"multi\nline\"", "Unterminated string.", 1, 7);
    CHECK_ERROR("\"multi\rline\"", "Unterminated string.", 1, 7);
    CHECK_ERROR("\"bad \\x esc\"", "Invalid character escape sequence: \"\\x\".", 1, 6);
    CHECK_ERROR("\"bad \\", "Invalid character escape sequence: \"\\\".", 1, 6);
    CHECK_ERROR("\"\\u12\"", "Invalid Unicode escape sequence: \"\\u12\"\".", 1, 2);
    CHECK_ERROR("\"\\u12", "Invalid Unicode escape sequence: \"\\u12\".", 1, 2);
    CHECK_ERROR("\"\\uZZZZ\"", "Invalid Unicode escape sequence: \"\\uZZZZ\".", 1, 2);
    /* A lone surrogate encodes no character. */
    CHECK_ERROR("\"\\uD83D\"", "Invalid Unicode escape sequence: \"\\uD83D\".", 1, 2);
    CHECK_ERROR("\"\\uDE00\"", "Invalid Unicode escape sequence: \"\\uDE00\".", 1, 2);
    CHECK_ERROR("\"\\uD83Dx\"", "Invalid Unicode escape sequence: \"\\uD83D\".", 1, 2);
    CHECK_ERROR("\"\\uD83D\\u0041\"", "Invalid Unicode escape sequence: \"\\uD83D\".", 1, 2);
    CHECK_ERROR("\"\\u{}\"", "Invalid Unicode escape sequence: \"\\u{}\".", 1, 2);
    CHECK_ERROR("\"\\u{110000}\"", "Invalid Unicode escape sequence: \"\\u{110000}\".", 1, 2);
    CHECK_ERROR("\"\\u{D800}\"", "Invalid Unicode escape sequence: \"\\u{D800}\".", 1, 2);
    CHECK_ERROR("\"\\u{12x}\"", "Invalid Unicode escape sequence: \"\\u{12x\".", 1, 2);
    CHECK_ERROR("\"\\u{1F600\"", "Invalid Unicode escape sequence: \"\\u{1F600\"\".", 1, 2);
    CHECK_ERROR("\"\\u{000000041}\"", "Invalid Unicode escape sequence: \"\\u{000000041\".", 1, 2);
    CHECK_ERROR("\"\\u{FFFFFFFF}\"", "Invalid Unicode escape sequence: \"\\u{FFFFFFFF\".", 1, 2);
    /* graphql-js quotes UTF-16 units: half of a cut pair shows as U+FFFD. */
    CHECK_ERROR("\"\\\xf0\x9f\x98\x80\"", "Invalid character escape sequence: \"\\\xef\xbf\xbd\".",
                1, 2);
}

TEST(block_strings)
{
    CHECK_ONE("\"\"\"simple\"\"\"", GQL_TOK_BLOCK_STRING, "simple");
    CHECK_ONE("\"\"\"\"\"\"", GQL_TOK_BLOCK_STRING, "");
    CHECK_ONE("\"\"\" white space \"\"\"", GQL_TOK_BLOCK_STRING, " white space ");
    CHECK_ONE("\"\"\"contains \" quote\"\"\"", GQL_TOK_BLOCK_STRING, "contains \" quote");
    CHECK_ONE("\"\"\"contains \\\"\"\" triple\"\"\"", GQL_TOK_BLOCK_STRING,
              "contains \"\"\" triple");
    CHECK_ONE("\"\"\"no \\n \\u0041 escapes\"\"\"", GQL_TOK_BLOCK_STRING, "no \\n \\u0041 escapes");
    CHECK_ONE("\"\"\"multi\nline\"\"\"", GQL_TOK_BLOCK_STRING, "multi\nline");
    CHECK_ONE("\"\"\"multi\r\nline\rnormalized\"\"\"", GQL_TOK_BLOCK_STRING,
              "multi\nline\nnormalized");
    CHECK_ONE("\"\"\"\xf0\x9f\x98\x80 \x01\"\"\"", GQL_TOK_BLOCK_STRING, "\xf0\x9f\x98\x80 \x01");
}

/* BlockStringValue(): the examples of the specification and graphql-js. */
TEST(block_string_indentation)
{
    CHECK_ONE("\"\"\"\n    Hello,\n      World!\n\n    Yours,\n      GraphQL.\n  \"\"\"",
              GQL_TOK_BLOCK_STRING, "Hello,\n  World!\n\nYours,\n  GraphQL.");
    /* The first line keeps its indentation and does not count. */
    CHECK_ONE("\"\"\"  first\n    second\n   third\"\"\"", GQL_TOK_BLOCK_STRING,
              "  first\n second\nthird");
    /* Blank lines at the start and end go; blank lines inside stay, cut to
     * the common indentation. */
    CHECK_ONE("\"\"\"\n\n  \n   a\n \n     \n  b\n\n  \"\"\"", GQL_TOK_BLOCK_STRING,
              " a\n\n   \nb");
    CHECK_ONE("\"\"\"   \"\"\"", GQL_TOK_BLOCK_STRING, "");
    CHECK_ONE("\"\"\"\n \n\t\n\"\"\"", GQL_TOK_BLOCK_STRING, "");
    /* Tabs count as indentation like spaces. */
    CHECK_ONE("\"\"\"\n\t\ttabs\n\t\t  x\n\"\"\"", GQL_TOK_BLOCK_STRING, "tabs\n  x");
    /* Only lines after the first determine the common indentation. */
    CHECK_ONE("\"\"\"x\n  y\n  z\"\"\"", GQL_TOK_BLOCK_STRING, "x\ny\nz");
    CHECK_ONE("\"\"\"\r\n    a\r\n      b\r    c\r\n\"\"\"", GQL_TOK_BLOCK_STRING, "a\n  b\nc");
}

TEST(block_string_errors)
{
    CHECK_ERROR("\"\"\"", "Unterminated string.", 1, 4);
    CHECK_ERROR("\"\"\"no end\"\"", "Unterminated string.", 1, 12);
    CHECK_ERROR("\"\"\"a\nb\n", "Unterminated string.", 3, 1);
    CHECK_ERROR("\"\"\"a\\\"\"\"", "Unterminated string.", 1, 9);
}

/* A block string spanning lines moves the lexer's line for what follows. */
TEST(block_string_lines)
{
    static const char src[] = "\"\"\"a\r\n b\n\rc\"\"\" x\n  y";
    lexed_t l;
    lex_open(&l, src, sizeof src - 1);
    CHECK_EQ_INT(lex_next(&l), FACET_OK);
    CHECK_EQ_INT(l.tok.loc.line, 1);
    CHECK_EQ_INT(l.tok.loc.column, 1);
    CHECK_EQ_INT(lex_next(&l), FACET_OK);
    CHECK_SLICE(l.tok.value, "x");
    CHECK_EQ_INT(l.tok.loc.line, 4);
    CHECK_EQ_INT(l.tok.loc.column, 6);
    CHECK_EQ_INT(lex_next(&l), FACET_OK);
    CHECK_EQ_INT(l.tok.loc.line, 5);
    CHECK_EQ_INT(l.tok.loc.column, 3);
    lex_close(&l);
}

TEST(ignored_tokens)
{
    /* BOM, white space, commas, comments and every line terminator. */
    static const char src[] = "\xef\xbb\xbf a,,\tb # comment \xc3\xa9 ,{\r\nc\rd\ne\n\n"
                              "   \xef\xbb\xbf f # last";
    static const struct {
        const char *name;
        unsigned line, column;
    } want[] = {{"a", 1, 3}, {"b", 1, 7}, {"c", 2, 1}, {"d", 3, 1}, {"e", 4, 1}, {"f", 6, 6}};
    lexed_t l;
    lex_open(&l, src, sizeof src - 1);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        CHECK_EQ_INT(lex_next(&l), FACET_OK);
        CHECK_SLICE(l.tok.value, want[i].name);
        CHECK_EQ_INT(l.tok.loc.line, want[i].line);
        CHECK_EQ_INT(l.tok.loc.column, want[i].column);
    }
    CHECK_EQ_INT(lex_next(&l), FACET_OK);
    CHECK_EQ_INT(l.tok.kind, GQL_TOK_EOF);
    CHECK_EQ_INT(l.tok.loc.line, 6);
    CHECK_EQ_INT(l.tok.loc.column, 14);
    lex_close(&l);
}

/* Columns count UTF-16 code units, as graphql-js does: a character outside
 * the Basic Multilingual Plane takes two columns, an accented letter one. */
TEST(columns_in_utf16_units)
{
    static const char src[] = "\"\xc3\xa9\xf0\x9f\x98\x80\" x \"\xe4\xb8\xad\" y";
    lexed_t l;
    lex_open(&l, src, sizeof src - 1);
    CHECK_EQ_INT(lex_next(&l), FACET_OK);
    CHECK_EQ_INT(lex_next(&l), FACET_OK);
    CHECK_SLICE(l.tok.value, "x");
    CHECK_EQ_INT(l.tok.loc.column, 7);
    CHECK_EQ_INT(lex_next(&l), FACET_OK);
    CHECK_EQ_INT(lex_next(&l), FACET_OK);
    CHECK_SLICE(l.tok.value, "y");
    CHECK_EQ_INT(l.tok.loc.column, 13);
    lex_close(&l);
    gql_loc_t loc = gql_source_location(src, sizeof src - 1, 9);
    CHECK_EQ_INT(loc.line, 1);
    CHECK_EQ_INT(loc.column, 7);
}

TEST(source_location)
{
    static const char src[] = "ab\ncd\r\nef\rgh";
    static const struct {
        size_t pos;
        unsigned line, column;
    } cases[] = {{0, 1, 1}, {2, 1, 3}, {3, 2, 1},  {5, 2, 3},
                 {7, 3, 1}, {9, 3, 3}, {10, 4, 1}, {12, 4, 3}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gql_loc_t loc = gql_source_location(src, sizeof src - 1, cases[i].pos);
        CHECK_EQ_INT(loc.line, cases[i].line);
        CHECK_EQ_INT(loc.column, cases[i].column);
    }
}

TEST(unexpected_characters)
{
    CHECK_ERROR("?", "Unexpected character: \"?\".", 1, 1);
    CHECK_ERROR("a\n  .", "Unexpected character: \".\".", 2, 3);
    CHECK_ERROR("..", "Unexpected character: \".\".", 1, 1);
    CHECK_ERROR("'x'",
                "Unexpected single quote character ('), did you mean to use a double quote "
                "(\")?",
                1, 1);
    CHECK_ERROR("\x01", "Unexpected character: U+0001.", 1, 1);
    CHECK_ERROR("a\x00", "Unexpected character: U+0000.", 1, 2);
    CHECK_ERROR("\xc2\xa0", "Unexpected character: U+00A0.", 1, 1);
    CHECK_ERROR("\xf0\x9f\x98\x80", "Unexpected character: U+1F600.", 1, 1);
}

/* The source must be UTF-8, everywhere: between tokens, in comments and in
 * strings. Overlong forms and encoded surrogates are not UTF-8. */
TEST(invalid_utf8)
{
    CHECK_ERROR("a \xff", "Invalid character: byte 0xFF is not valid UTF-8.", 1, 3);
    CHECK_ERROR("# \xc3", "Invalid character: byte 0xC3 is not valid UTF-8.", 1, 3);
    CHECK_ERROR("\"ab\xc3(\"", "Invalid character: byte 0xC3 is not valid UTF-8.", 1, 4);
    CHECK_ERROR("\"\"\"\n\xed\xa0\x80\"\"\"", "Invalid character: byte 0xED is not valid UTF-8.", 2,
                1);
    CHECK_ERROR("\"\xc0\xaf\"", "Invalid character: byte 0xC0 is not valid UTF-8.", 1, 2);
    CHECK_ERROR("\"\xf4\x90\x80\x80\"", "Invalid character: byte 0xF4 is not valid UTF-8.", 1, 2);
    CHECK_ERROR("\"\xe4\xb8", "Invalid character: byte 0xE4 is not valid UTF-8.", 1, 2);
    CHECK_ERROR("\x80", "Invalid character: byte 0x80 is not valid UTF-8.", 1, 1);
}

TEST(utf8_decode)
{
    uint32_t cp = 0;
    CHECK_EQ_INT(gql_utf8_decode("A", 1, &cp), 1);
    CHECK_EQ_INT(cp, 'A');
    CHECK_EQ_INT(gql_utf8_decode("\xc3\xa9", 2, &cp), 2);
    CHECK_EQ_INT(cp, 0xE9);
    CHECK_EQ_INT(gql_utf8_decode("\xef\xbb\xbf", 3, &cp), 3);
    CHECK_EQ_INT(cp, 0xFEFF);
    CHECK_EQ_INT(gql_utf8_decode("\xf4\x8f\xbf\xbf", 4, &cp), 4);
    CHECK_EQ_INT(cp, 0x10FFFF);
    CHECK_EQ_INT(gql_utf8_decode("\xc3\xa9", 1, &cp), 0);
    CHECK_EQ_INT(gql_utf8_decode("\xe0\x80\x80", 3, &cp), 0);
    CHECK_EQ_INT(gql_utf8_decode("\xed\xbf\xbf", 3, &cp), 0);
    CHECK_EQ_INT(gql_utf8_decode("\xc3"
                                 "A",
                                 2, &cp),
                 0);
    CHECK_EQ_INT(gql_utf8_decode("", 0, &cp), 0);
}

/* Every token that can end the input, ending it without a NUL after it
 * (the helpers copy the bytes into an exactly sized block). */
TEST(input_not_nul_terminated)
{
    CHECK_ONE("abc", GQL_TOK_NAME, "abc");
    CHECK_ONE("123", GQL_TOK_INT, "123");
    CHECK_ONE("1.5e10", GQL_TOK_FLOAT, "1.5e10");
    CHECK_ONE("\"s\"", GQL_TOK_STRING, "s");
    CHECK_ONE("\"\"\"b\"\"\"", GQL_TOK_BLOCK_STRING, "b");
    CHECK_ERROR("\"\\u{1", "Invalid Unicode escape sequence: \"\\u{1\".", 1, 2);
    CHECK_ERROR("\"\\uD83D\\u", "Invalid Unicode escape sequence: \"\\uD83D\".", 1, 2);
    CHECK_ERROR("\"\"\"\\\"\"", "Unterminated string.", 1, 7);
    CHECK_ERROR("..", "Unexpected character: \".\".", 1, 1);
    CHECK_ERROR("\xef\xbb", "Invalid character: byte 0xEF is not valid UTF-8.", 1, 1);
    lexed_t l;
    lex_open(&l, "", 0);
    CHECK_EQ_INT(lex_next(&l), FACET_OK);
    CHECK_EQ_INT(l.tok.kind, GQL_TOK_EOF);
    CHECK_EQ_INT(l.tok.loc.line, 1);
    CHECK_EQ_INT(l.tok.loc.column, 1);
    lex_close(&l);
}

TEST(arena_exhaustion)
{
    /* Decoded strings live in the arena: with no room, FACET_ENOMEM. */
    facet_arena_t a;
    facet_arena_init(&a, 16);
    gql_lexer_t lx;
    static const char src[] = "\"a string longer than the arena allows\"";
    gql_lexer_init(&lx, &a, src, sizeof src - 1);
    gql_token_t tok;
    CHECK_EQ_INT(gql_lexer_next(&lx, &tok), FACET_ENOMEM);
    facet_arena_free(&a);
}

TEST(kind_names)
{
    CHECK_EQ_STR(gql_token_kind_desc(GQL_TOK_EOF), "<EOF>");
    CHECK_EQ_STR(gql_token_kind_desc(GQL_TOK_SPREAD), "\"...\"");
    CHECK_EQ_STR(gql_token_kind_desc(GQL_TOK_BRACE_L), "\"{\"");
    CHECK_EQ_STR(gql_token_kind_desc(GQL_TOK_NAME), "Name");
    CHECK_EQ_STR(gql_token_kind_desc(GQL_TOK_BLOCK_STRING), "BlockString");
}
