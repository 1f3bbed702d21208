/* The GraphQL parser: source text in, a syntax tree out (gql/ast.h). One
 * entry point reads any document, executable definitions and type-system
 * definitions alike, as graphql-js' parse() does; validation later refuses
 * what does not belong. The parser does no I/O and allocates only from the
 * arena it is given. */
#ifndef FACET_GQL_PARSER_H
#define FACET_GQL_PARSER_H

#include "core/arena.h"
#include "gql/ast.h"
#include "gql/error.h"

/* Bounds that hold for any input, so no document can exhaust the stack or
 * memory. A document past a bound fails with a syntax error naming it.
 * NULL limits, or a field left 0, mean the default for that bound; SIZE_MAX
 * lifts the length or token bound. Depth has no such escape: each level
 * costs stack, so keep max_depth in the hundreds or low thousands. */
typedef struct gql_parse_limits {
    size_t max_length; /* bytes of source */
    size_t max_tokens; /* lexical tokens, punctuation included */
    size_t max_depth;  /* nesting of selection sets, lists, objects and types */
} gql_parse_limits_t;

#define GQL_PARSE_LIMITS_DEFAULT ((gql_parse_limits_t){1024 * 1024, 50000, 128})

/* Parses src[0..len), which need not be NUL-terminated and may hold any
 * bytes. On success returns FACET_OK and sets *out (in arena a). On a syntax
 * error returns FACET_EINVAL and adds one error to errors, with code
 * GRAPHQL_PARSE_FAILED, a message in graphql-js' words ("Syntax Error:
 * Expected Name, found <EOF>.") and the location. Returns FACET_ENOMEM when
 * the arena runs out. */
int gql_parse(facet_arena_t *a, const char *src, size_t len, const gql_parse_limits_t *limits,
              gql_ast_document_t **out, gql_error_list_t *errors);

#endif
