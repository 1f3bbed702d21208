/* What parser.c (documents, executable definitions, values, types) and
 * parser_sdl.c (the type system) share: the parser state, token helpers and
 * the growable arrays the AST lists are built in. Not for use outside the
 * parser. Every function that can fail returns NULL or false after setting
 * p->status; callers give up as soon as they see that. */
#ifndef FACET_GQL_PARSER_INTERNAL_H
#define FACET_GQL_PARSER_INTERNAL_H

#include <stdbool.h>

#include "gql/lexer.h"
#include "gql/parser.h"

typedef struct gql__parser {
    facet_arena_t *arena;
    gql_error_list_t *errors;
    gql_lexer_t lx;
    gql_token_t tok;  /* the current token */
    gql_token_t next; /* one token of lookahead, when has_next */
    bool has_next;
    int status; /* FACET_OK until the first error */
    size_t ntokens;
    size_t max_tokens;
    size_t depth;
    size_t max_depth;
} gql__parser_t;

/* An array that grows by doubling inside the arena. The old storage is
 * abandoned to the arena on growth, which at most doubles the space. */
typedef struct gql__vec {
    void *items;
    size_t n;
    size_t cap;
} gql__vec_t;

/* Appends a copy of size bytes at item. */
bool gql__vec_push(gql__parser_t *p, gql__vec_t *v, const void *item, size_t size);

/* Errors: a syntax error at a byte offset, and out of memory. Both return
 * false so that callers can write "return gql__fail(...)". */
bool gql__fail(gql__parser_t *p, size_t pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool gql__nomem(gql__parser_t *p);
/* "Unexpected <token>." at tok. */
bool gql__unexpected(gql__parser_t *p, const gql_token_t *tok);

void *gql__alloc(gql__parser_t *p, size_t size);
#define GQL__NEW(p, T) ((T *)gql__alloc((p), sizeof(T)))

/* Token stream. */
bool gql__advance(gql__parser_t *p);
const gql_token_t *gql__peek(gql__parser_t *p); /* the token after tok, or NULL on error */
bool gql__is(const gql__parser_t *p, gql_token_kind_t kind);
bool gql__is_keyword(const gql__parser_t *p, const char *word);
bool gql__expect(gql__parser_t *p, gql_token_kind_t kind);
bool gql__expect_keyword(gql__parser_t *p, const char *word);
/* Consumes the token when it matches; *matched says whether it did. False
 * only on an error while reading the following token. */
bool gql__optional(gql__parser_t *p, gql_token_kind_t kind, bool *matched);
bool gql__optional_keyword(gql__parser_t *p, const char *word, bool *matched);

/* Nesting: enter before a nested construct, leave after it. */
bool gql__enter(gql__parser_t *p);
void gql__leave(gql__parser_t *p);

/* Grammar pieces used on both sides. */
bool gql__parse_name(gql__parser_t *p, gql_ast_name_t *out);
gql_ast_value_t *gql__parse_value(gql__parser_t *p, bool is_const);
gql_ast_type_t *gql__parse_type(gql__parser_t *p);
bool gql__parse_named_type(gql__parser_t *p, gql_ast_name_t *out);
bool gql__parse_directives(gql__parser_t *p, bool is_const, gql_ast_directive_t **out, size_t *n);
bool gql__parse_description(gql__parser_t *p, facet_str_t *out);
bool gql__parse_operation_type(gql__parser_t *p, gql_operation_type_t *out);

/* Type-system definitions (parser_sdl.c): the current token is the
 * description or the keyword, as dispatched by the document parser. */
bool gql__parse_type_system_definition(gql__parser_t *p, const char *keyword,
                                       gql_ast_definition_t *def);
bool gql__parse_type_system_extension(gql__parser_t *p, gql_ast_definition_t *def);

#endif
