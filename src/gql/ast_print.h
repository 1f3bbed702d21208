/* Prints syntax-tree values back as GraphQL text, character for character
 * as graphql-js 16's print() does, for the schema printer (default values,
 * directive arguments) and for introspection's defaultValue. */
#ifndef FACET_GQL_AST_PRINT_H
#define FACET_GQL_AST_PRINT_H

#include <stddef.h>

#include "core/buf.h"
#include "gql/ast.h"

/* Appends the value literal v: {a: 1, b: [1, 2]}, "quoted \"string\"",
 * ENUM, $var, and block strings as """...""" the way printBlockString lays
 * them out. Returns FACET_OK, or the buffer's error (FACET_ENOMEM,
 * FACET_ELIMIT) with out holding a partial text. */
int gql_ast_print_value(const gql_ast_value_t *v, facet_buf_t *out);

/* Appends s[0..len) (UTF-8) as a quoted GraphQL string, as printString
 * does: ", \, U+0000..U+001F and U+007F..U+009F escaped, all else as is. */
int gql_ast_print_string(const char *s, size_t len, facet_buf_t *out);

/* Appends s[0..len) as a block string, as printBlockString does without
 * options (the form printSchema gives descriptions). */
int gql_ast_print_block_string(const char *s, size_t len, facet_buf_t *out);

#endif
