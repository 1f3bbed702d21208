/* The one table of directive-location names (FIELD, QUERY, ...), kept with
 * the syntax tree because the parser checks them and every module above it
 * (schema, validation, introspection) names them the same way. */
#include "gql/ast.h"

/* In the specification's order, which is also graphql-js' (introspection
 * lists them so); schema.h's gql_directive_location_t is 1u << index. */
static const char *const directive_locations[GQL_AST_DIRECTIVE_LOCATION_COUNT] = {
    "QUERY",
    "MUTATION",
    "SUBSCRIPTION",
    "FIELD",
    "FRAGMENT_DEFINITION",
    "FRAGMENT_SPREAD",
    "INLINE_FRAGMENT",
    "VARIABLE_DEFINITION",
    "SCHEMA",
    "SCALAR",
    "OBJECT",
    "FIELD_DEFINITION",
    "ARGUMENT_DEFINITION",
    "INTERFACE",
    "UNION",
    "ENUM",
    "ENUM_VALUE",
    "INPUT_OBJECT",
    "INPUT_FIELD_DEFINITION",
    /* Not in the October 2021 specification, but graphql-js 16 parses it
     * and its @deprecated lists it. */
    "DIRECTIVE_DEFINITION",
};

const char *gql_ast_directive_location_name(unsigned index)
{
    return index < GQL_AST_DIRECTIVE_LOCATION_COUNT ? directive_locations[index] : NULL;
}

int gql_ast_directive_location_index(facet_str_t name)
{
    for (int i = 0; i < GQL_AST_DIRECTIVE_LOCATION_COUNT; i++) {
        if (facet_str_eq(name, facet_str_c(directive_locations[i])))
            return i;
    }
    return -1;
}
