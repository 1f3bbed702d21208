/* The GraphQL lexer (specification section 2): source bytes in, one token at
 * a time out, with line and column as graphql-js reports them. Ignored
 * tokens (BOM, white space, line terminators, comments, commas) are skipped.
 * The source must be UTF-8; it need not be NUL-terminated. */
#ifndef FACET_GQL_LEXER_H
#define FACET_GQL_LEXER_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "gql/ast.h"

typedef enum gql_token_kind {
    GQL_TOK_EOF,
    GQL_TOK_BANG,      /* ! */
    GQL_TOK_DOLLAR,    /* $ */
    GQL_TOK_AMP,       /* & */
    GQL_TOK_PAREN_L,   /* ( */
    GQL_TOK_PAREN_R,   /* ) */
    GQL_TOK_SPREAD,    /* ... */
    GQL_TOK_COLON,     /* : */
    GQL_TOK_EQUALS,    /* = */
    GQL_TOK_AT,        /* @ */
    GQL_TOK_BRACKET_L, /* [ */
    GQL_TOK_BRACKET_R, /* ] */
    GQL_TOK_BRACE_L,   /* { */
    GQL_TOK_PIPE,      /* | */
    GQL_TOK_BRACE_R,   /* } */
    GQL_TOK_NAME,
    GQL_TOK_INT,
    GQL_TOK_FLOAT,
    GQL_TOK_STRING,
    GQL_TOK_BLOCK_STRING,
} gql_token_kind_t;

typedef struct gql_token {
    gql_token_kind_t kind;
    size_t start; /* byte offsets of the token in the source */
    size_t end;
    gql_loc_t loc; /* of the first character */
    /* NAME, INT, FLOAT: the text, borrowed from the source. STRING and
     * BLOCK_STRING: the decoded value (escapes resolved, block-string
     * indentation removed), in the arena, NUL-terminated. Punctuators and
     * EOF: base NULL. */
    facet_str_t value;
} gql_token_t;

typedef struct gql_lexer {
    facet_arena_t *arena;
    const char *src;
    size_t len;
    size_t pos;        /* where the next token is looked for */
    uint32_t line;     /* 1-based line of pos */
    size_t line_start; /* byte offset where that line starts */
    /* Column cache: UTF-16 units between line_start and col_pos, so that
     * columns cost O(1) amortized even on a one-line megabyte document. */
    size_t col_line_start;
    size_t col_pos;
    uint32_t col_units;
    /* The last error: a message without the "Syntax Error: " prefix and the
     * byte offset it concerns. */
    char error[160];
    size_t error_len; /* the message may hold a NUL quoted from the source */
    size_t error_pos;
} gql_lexer_t;

/* Prepares to read src[0..len). The arena receives decoded string values;
 * it must outlive the tokens. */
void gql_lexer_init(gql_lexer_t *lx, facet_arena_t *arena, const char *src, size_t len);

/* Reads the next token into *tok. After the last token it returns EOF
 * tokens forever. Returns FACET_OK, FACET_EINVAL on a lexical error (message
 * in lx->error[0..error_len), position in lx->error_pos) or FACET_ENOMEM. */
int gql_lexer_next(gql_lexer_t *lx, gql_token_t *tok);

/* Line and column of byte offset pos (pos <= len), computed as graphql-js'
 * getLocation does: lines end at \n, \r\n or \r; columns count UTF-16 code
 * units, so a character outside the Basic Multilingual Plane counts two. */
gql_loc_t gql_source_location(const char *src, size_t len, size_t pos);

/* The name of a token kind in graphql-js' words: "<EOF>", "Name", "Int",
 * "Float", "String", "BlockString", or the punctuator in quotes ("\"{\""). */
const char *gql_token_kind_desc(gql_token_kind_t kind);

/* Decodes one UTF-8 character from s[0..n). Returns its length (1 to 4)
 * and sets *cp, or returns 0 for bytes that are not well-formed UTF-8
 * (overlong forms, surrogates, values past U+10FFFF, truncation). */
size_t gql_utf8_decode(const char *s, size_t n, uint32_t *cp);

#endif
