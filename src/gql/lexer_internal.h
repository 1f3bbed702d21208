/* What lexer.c and lexer_string.c share: token construction, error
 * recording and the string readers. Not for use outside the lexer. */
#ifndef FACET_GQL_LEXER_INTERNAL_H
#define FACET_GQL_LEXER_INTERNAL_H

#include "core/error.h"
#include "gql/lexer.h"

/* Line and column of pos, which must not precede the previous call's pos
 * on the current line (tokens are read forward). */
gql_loc_t gql__lexer_loc(gql_lexer_t *lx, size_t pos);

/* Fills *tok and moves the lexer past it. */
void gql__lexer_token(gql_lexer_t *lx, gql_token_t *tok, gql_token_kind_t kind, size_t start,
                      size_t end);

/* Record an error at pos; both return FACET_EINVAL. */
int gql__lexer_error(gql_lexer_t *lx, size_t pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int gql__lexer_invalid_utf8(gql_lexer_t *lx, size_t pos);

/* Moves *pos (< lx->len) past the source character there: one byte for
 * ASCII, else a whole UTF-8 sequence. Bytes that are not UTF-8 are
 * gql__lexer_invalid_utf8's error (FACET_EINVAL). Inline: the string and
 * comment loops call it for every character. */
static inline int gql__lexer_skip_char(gql_lexer_t *lx, size_t *pos)
{
    if ((unsigned char)lx->src[*pos] < 0x80) {
        (*pos)++;
        return FACET_OK;
    }
    uint32_t cp;
    size_t n = gql_utf8_decode(lx->src + *pos, lx->len - *pos, &cp);
    if (!n)
        return gql__lexer_invalid_utf8(lx, *pos);
    *pos += n;
    return FACET_OK;
}

/* The character at pos as graphql-js prints it in messages: "<EOF>", "a"
 * in quotes for printable ASCII, U+XXXX otherwise. Returns buf. */
const char *gql__lexer_char_desc(const gql_lexer_t *lx, size_t pos, char *buf, size_t size);

/* "..." and """...""" starting at pos. */
int gql__lexer_read_string(gql_lexer_t *lx, size_t start, gql_token_t *tok);
int gql__lexer_read_block_string(gql_lexer_t *lx, size_t start, gql_token_t *tok);

#endif
