/* Validation of executable documents against a schema: every rule of section
 * 5 of the GraphQL specification as graphql-js 16's specifiedRules apply
 * them (same messages, locations and order), plus the protection limits
 * (depth, aliases, root fields, directives, tokens, cost) that a server
 * applies before execution. Nothing here does I/O. */
#ifndef FACET_GQL_VALIDATE_H
#define FACET_GQL_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "gql/ast.h"
#include "gql/error.h"
#include "gql/schema.h"
#include "gql/value.h"

typedef struct gql_validate_opts {
    /* Leaves "Did you mean ...?" out of messages; servers set it when
     * introspection is off, so that errors do not reveal the schema. */
    bool hide_suggestions;
    /* After this many errors one more, "Too many validation errors, error
     * limit reached. Validation aborted.", is added and validation stops.
     * 0 selects GQL_VALIDATE_MAX_ERRORS. */
    size_t max_errors;
} gql_validate_opts_t;

#define GQL_VALIDATE_MAX_ERRORS 100

/* Validates doc against schema with every specified rule, in graphql-js'
 * order: errors come out sorted by position in the walk of the document and,
 * at one position, by rule. Each error is appended to errors (allocated in
 * errors->arena) with code GRAPHQL_VALIDATION_FAILED and its locations.
 * Working memory comes from scratch, which the caller may free as soon as
 * the call returns. opts may be NULL for the defaults.
 *
 * Returns FACET_OK when the document is valid, FACET_EINVAL when errors were
 * added, FACET_ENOMEM when scratch or errors->arena ran out (errors may then
 * hold part of the report). */
int gql_validate(const gql_schema_t *schema, const gql_ast_document_t *doc,
                 const gql_validate_opts_t *opts, facet_arena_t *scratch, gql_error_list_t *errors);

/* True when the literal v is a valid value for an input position of type
 * type, by the rules of ValuesOfCorrectType (32-bit Int, Float, String,
 * Boolean, ID as string or integer, enum literals only, input objects with
 * their required fields, no unknown fields and @oneOf's exactly one non-null
 * field, lists or single items). A variable anywhere in v counts as valid:
 * its use is checked against its definition by VariablesInAllowedPosition.
 * scratch holds temporary memory; the function returns false if it runs
 * out. */
bool gql_literal_is_valid(const gql_type_ref_t *type, const gql_ast_value_t *v,
                          facet_arena_t *scratch);

/* ---- protection limits ---- */

/* Bounds checked on an operation before it runs; 0 turns a bound off. Each
 * violation becomes one error with code GRAPHQL_VALIDATION_FAILED. Fragment
 * spreads are followed (each fragment is measured once and reused, and a
 * fragment that spreads itself counts as empty), so the numbers describe
 * the operation as executed. */
typedef struct gql_limits {
    size_t max_depth;       /* nesting of fields; a root field has depth 1 */
    size_t max_aliases;     /* aliased fields, counted once per spread */
    size_t max_root_fields; /* fields selected at the root */
    size_t max_directives;  /* directives on one field, spread or inline fragment */
    size_t max_tokens;      /* lexical tokens of the whole document */
    uint64_t max_cost;      /* see the cost fields below */
    /* Cost: every field costs object_cost (composite type) or scalar_cost
     * (leaf type); a field of list type multiplies the cost of its
     * selection set by its first/last/limit argument (an integer literal or
     * an integer variable), or by default_list_size when it has none. */
    uint32_t object_cost;
    uint32_t scalar_cost;
    uint32_t default_list_size;
    /* When true, __schema and __type selections are left out of depth and
     * cost, so that introspection clients (GraphiQL, codegen) keep working
     * with tight limits; __typename never counts toward either. */
    bool ignore_introspection;
} gql_limits_t;

/* Defaults in the spirit of graphql-armor, loosened for real clients:
 * armor's depth 6 and 1000 tokens reject ordinary Apollo Client queries with
 * a few nested fragments, so depth is 15 and tokens 5000 (graphql-js'
 * getIntrospectionQuery() has 184 tokens and nests 13 fields deep); aliases
 * 30, root fields 50, 50 directives per selection, cost 5000 with armor's
 * weights (object 2, scalar 1) and lists of unknown size counted as 10
 * items, which lets posts(first: 50) with a dozen fields per post through.
 * Introspection is exempt from depth and cost (it would cost about 6000). */
#define GQL_LIMITS_DEFAULT ((gql_limits_t){15, 30, 50, 50, 5000, 5000, 2, 1, 10, true})

/* Checks op (or, when op is NULL, every operation of doc) against lim.
 * variables holds the request's variable values (a JSON object, or NULL)
 * for list sizes given by a variable; a variable without a value uses its
 * default, then default_list_size. Returns FACET_OK when within every
 * bound, FACET_ELIMIT after adding one error per bound exceeded ("Query
 * depth limit of 15 exceeded, found 16." at the deepest field, the
 * directive error at the first selection over the bound, the token error
 * without a location, the others at the operation), FACET_ENOMEM when
 * errors->arena ran out. Working memory comes from errors->arena. Run it
 * after gql_validate: on an invalid document the numbers are best effort. */
int gql_check_limits(const gql_schema_t *schema, const gql_ast_document_t *doc,
                     const gql_ast_operation_t *op, const gql_value_t *variables,
                     const gql_limits_t *lim, gql_error_list_t *errors);

#endif
