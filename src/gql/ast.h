/* The GraphQL syntax tree, for executable documents and for the type system
 * (SDL), as the October 2021 specification defines them. Every node and
 * every string lives in the arena given to the parser and dies with it.
 * Names are slices into that arena (NUL-terminated there as a convenience).
 * A name or description that is absent has len 0 and base NULL. */
#ifndef FACET_GQL_AST_H
#define FACET_GQL_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"

/* 1-based position of a token's first character. Columns count UTF-16 code
 * units within the line, as graphql-js does (a character outside the Basic
 * Multilingual Plane takes two). */
typedef struct gql_loc {
    uint32_t line;
    uint32_t column;
} gql_loc_t;

typedef struct gql_ast_name {
    facet_str_t value;
    gql_loc_t loc;
} gql_ast_name_t;

/* ---- values ---- */

typedef enum gql_ast_value_kind {
    GQL_AST_VARIABLE,
    GQL_AST_INT,
    GQL_AST_FLOAT,
    GQL_AST_STRING,
    GQL_AST_BOOLEAN,
    GQL_AST_NULL,
    GQL_AST_ENUM,
    GQL_AST_LIST,
    GQL_AST_OBJECT,
} gql_ast_value_kind_t;

typedef struct gql_ast_value gql_ast_value_t;

typedef struct gql_ast_object_field {
    gql_ast_name_t name;
    gql_ast_value_t *value;
} gql_ast_object_field_t;

struct gql_ast_value {
    gql_ast_value_kind_t kind;
    gql_loc_t loc;
    /* INT and FLOAT: the literal as written. STRING: the decoded value
     * (escapes resolved, block-string indentation removed). ENUM and
     * VARIABLE: the name (without '$'). */
    facet_str_t text;
    bool boolean;            /* BOOLEAN */
    bool block;              /* STRING written as a block string """...""" */
    gql_ast_value_t **items; /* LIST */
    size_t nitems;
    gql_ast_object_field_t *fields; /* OBJECT, in source order */
    size_t nfields;
};

/* ---- types, arguments, directives ---- */

typedef enum gql_ast_type_kind {
    GQL_AST_NAMED_TYPE,
    GQL_AST_LIST_TYPE,
    GQL_AST_NON_NULL_TYPE,
} gql_ast_type_kind_t;

typedef struct gql_ast_type {
    gql_ast_type_kind_t kind;
    gql_loc_t loc;
    gql_ast_name_t name;          /* NAMED_TYPE */
    struct gql_ast_type *of_type; /* LIST_TYPE and NON_NULL_TYPE */
} gql_ast_type_t;

typedef struct gql_ast_argument {
    gql_ast_name_t name;
    gql_ast_value_t *value;
} gql_ast_argument_t;

typedef struct gql_ast_directive {
    gql_ast_name_t name; /* without '@'; loc is the '@' */
    gql_ast_argument_t *args;
    size_t nargs;
} gql_ast_directive_t;

/* ---- executable definitions ---- */

typedef enum gql_ast_selection_kind {
    GQL_AST_FIELD,
    GQL_AST_FRAGMENT_SPREAD,
    GQL_AST_INLINE_FRAGMENT,
} gql_ast_selection_kind_t;

typedef struct gql_ast_selection gql_ast_selection_t;

typedef struct gql_ast_selection_set {
    gql_loc_t loc; /* the '{' */
    gql_ast_selection_t **items;
    size_t nitems;
} gql_ast_selection_set_t;

struct gql_ast_selection {
    gql_ast_selection_kind_t kind;
    gql_loc_t loc;            /* first token: alias, name, or the '...' */
    gql_ast_name_t alias;     /* FIELD: absent when not aliased */
    gql_ast_name_t name;      /* FIELD: field name; FRAGMENT_SPREAD: fragment name */
    gql_ast_argument_t *args; /* FIELD */
    size_t nargs;
    gql_ast_directive_t *directives;
    size_t ndirectives;
    gql_ast_name_t type_condition;          /* INLINE_FRAGMENT: absent when omitted */
    gql_ast_selection_set_t *selection_set; /* FIELD (optional), INLINE_FRAGMENT */
};

typedef enum gql_operation_type {
    GQL_OP_QUERY,
    GQL_OP_MUTATION,
    GQL_OP_SUBSCRIPTION,
} gql_operation_type_t;

typedef struct gql_ast_variable_def {
    gql_loc_t loc;       /* the '$' */
    gql_ast_name_t name; /* without '$' */
    gql_ast_type_t *type;
    gql_ast_value_t *default_value; /* NULL when absent */
    gql_ast_directive_t *directives;
    size_t ndirectives;
} gql_ast_variable_def_t;

typedef struct gql_ast_operation {
    gql_operation_type_t operation;
    gql_loc_t loc;       /* the keyword, or the '{' of the query shorthand */
    gql_ast_name_t name; /* absent for anonymous operations */
    gql_ast_variable_def_t *variables;
    size_t nvariables;
    gql_ast_directive_t *directives;
    size_t ndirectives;
    gql_ast_selection_set_t *selection_set;
} gql_ast_operation_t;

typedef struct gql_ast_fragment {
    gql_loc_t loc; /* the 'fragment' keyword */
    gql_ast_name_t name;
    gql_ast_name_t type_condition;
    gql_ast_directive_t *directives;
    size_t ndirectives;
    gql_ast_selection_set_t *selection_set;
} gql_ast_fragment_t;

/* ---- type system definitions and extensions ---- */

/* Field, argument, input-field and enum-value definitions start at their
 * first token, as graphql-js' nodes do: the description when there is one,
 * else the name. Errors about the whole definition point there; name.loc
 * is always the name. */
typedef struct gql_ast_input_value_def {
    gql_loc_t loc; /* the description, or the name when there is none */
    facet_str_t description;
    gql_ast_name_t name;
    gql_ast_type_t *type;
    gql_ast_value_t *default_value; /* NULL when absent */
    gql_ast_directive_t *directives;
    size_t ndirectives;
} gql_ast_input_value_def_t;

typedef struct gql_ast_field_def {
    gql_loc_t loc; /* the description, or the name when there is none */
    facet_str_t description;
    gql_ast_name_t name;
    gql_ast_input_value_def_t *args;
    size_t nargs;
    gql_ast_type_t *type;
    gql_ast_directive_t *directives;
    size_t ndirectives;
} gql_ast_field_def_t;

typedef struct gql_ast_enum_value_def {
    gql_loc_t loc; /* the description, or the name when there is none */
    facet_str_t description;
    gql_ast_name_t name;
    gql_ast_directive_t *directives;
    size_t ndirectives;
} gql_ast_enum_value_def_t;

typedef enum gql_type_kind {
    GQL_SCALAR,
    GQL_OBJECT,
    GQL_INTERFACE,
    GQL_UNION,
    GQL_ENUM,
    GQL_INPUT_OBJECT,
} gql_type_kind_t;

/* A type definition or a type extension ("extend type ..."). Only the
 * members that belong to its kind are filled. */
typedef struct gql_ast_type_def {
    gql_type_kind_t kind;
    bool extension;
    gql_loc_t loc; /* the keyword ("type", "extend", ...) or the description */
    facet_str_t description;
    gql_ast_name_t name;
    gql_ast_name_t *interfaces; /* OBJECT, INTERFACE */
    size_t ninterfaces;
    gql_ast_directive_t *directives;
    size_t ndirectives;
    gql_ast_field_def_t *fields; /* OBJECT, INTERFACE */
    size_t nfields;
    gql_ast_input_value_def_t *input_fields; /* INPUT_OBJECT */
    size_t ninput_fields;
    gql_ast_enum_value_def_t *values; /* ENUM */
    size_t nvalues;
    gql_ast_name_t *members; /* UNION */
    size_t nmembers;
} gql_ast_type_def_t;

typedef struct gql_ast_operation_type_def {
    gql_operation_type_t operation;
    gql_loc_t loc;
    gql_ast_name_t type;
} gql_ast_operation_type_def_t;

typedef struct gql_ast_schema_def {
    bool extension;
    gql_loc_t loc;
    facet_str_t description;
    gql_ast_directive_t *directives;
    size_t ndirectives;
    gql_ast_operation_type_def_t *operation_types;
    size_t noperation_types;
} gql_ast_schema_def_t;

/* Directive locations as SDL spells them after "on", by index: QUERY is
 * 0, INPUT_FIELD_DEFINITION 18 (the specification's order), then
 * DIRECTIVE_DEFINITION 19, which graphql-js 16 also accepts. The parser
 * accepts exactly these; schema.h's gql_directive_location_t is
 * 1u << index. */
#define GQL_AST_DIRECTIVE_LOCATION_COUNT 20

/* The name at index ("FIELD_DEFINITION"), a static string; NULL past the
 * last. */
const char *gql_ast_directive_location_name(unsigned index);
/* The index of the location named name; -1 when there is none. */
int gql_ast_directive_location_index(facet_str_t name);

typedef struct gql_ast_directive_def {
    gql_loc_t loc;
    facet_str_t description;
    gql_ast_name_t name; /* without '@' */
    gql_ast_input_value_def_t *args;
    size_t nargs;
    bool repeatable;
    gql_ast_name_t *locations; /* e.g. FIELD_DEFINITION, as written */
    size_t nlocations;
} gql_ast_directive_def_t;

typedef enum gql_ast_definition_kind {
    GQL_AST_OPERATION_DEF,
    GQL_AST_FRAGMENT_DEF,
    GQL_AST_SCHEMA_DEF, /* also "extend schema" (schema->extension) */
    GQL_AST_TYPE_DEF,   /* also type extensions (type->extension) */
    GQL_AST_DIRECTIVE_DEF,
} gql_ast_definition_kind_t;

typedef struct gql_ast_definition {
    gql_ast_definition_kind_t kind;
    gql_loc_t loc;
    union {
        gql_ast_operation_t *operation;
        gql_ast_fragment_t *fragment;
        gql_ast_schema_def_t *schema;
        gql_ast_type_def_t *type;
        gql_ast_directive_def_t *directive;
    } u;
} gql_ast_definition_t;

typedef struct gql_ast_document {
    gql_ast_definition_t *definitions;
    size_t ndefinitions;
    size_t ntokens; /* tokens read, for the token limit */
} gql_ast_document_t;

#endif
