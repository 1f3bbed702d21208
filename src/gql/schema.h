/* A GraphQL schema built from SDL. It is immutable once built, so every
 * thread may read it without locks; everything it holds lives in its own
 * arena and dies with gql_schema_free. The directives @skip, @include,
 * @deprecated, @specifiedBy and @oneOf and the introspection types
 * (__Schema, __Type, ...) are always present, with graphql-js 16.15's
 * descriptions; a specified scalar (Int, Float, String, Boolean, ID) is in
 * the schema when something references it, as in graphql-js (String and
 * Boolean always are, through the introspection types). */
#ifndef FACET_GQL_SCHEMA_H
#define FACET_GQL_SCHEMA_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "gql/ast.h"
#include "gql/error.h"

typedef struct gql_type gql_type_t;

/* A type as used by a field, argument or variable: a named type wrapped in
 * any number of list and non-null layers. */
typedef enum gql_type_ref_kind {
    GQL_REF_NAMED,
    GQL_REF_LIST,
    GQL_REF_NON_NULL,
} gql_type_ref_kind_t;

typedef struct gql_type_ref {
    gql_type_ref_kind_t kind;
    gql_type_t *named;             /* GQL_REF_NAMED */
    const struct gql_type_ref *of; /* GQL_REF_LIST, GQL_REF_NON_NULL */
} gql_type_ref_t;

/* An argument or an input field. */
typedef struct gql_input_value {
    facet_str_t name;
    facet_str_t description; /* base NULL when absent */
    const gql_type_ref_t *type;
    const gql_ast_value_t *default_value; /* NULL when absent; a const literal */
    facet_str_t deprecation_reason;       /* base NULL when not deprecated */
    gql_loc_t loc;
    const gql_ast_input_value_def_t *ast; /* its definition (schema arena) */
    uint8_t build_state;                  /* private to the schema builder */
} gql_input_value_t;

/* A field of an object or interface type. */
typedef struct gql_field {
    facet_str_t name;
    facet_str_t description;
    gql_input_value_t *args;
    size_t nargs;
    const gql_type_ref_t *type;
    facet_str_t deprecation_reason;
    gql_loc_t loc;
    const gql_ast_field_def_t *ast; /* its definition (schema arena) */
    /* Set by the host at start-up (resolver binding); the engine never
     * reads or writes it except to hand it back. */
    void *resolver;
    void *resolver_data;
} gql_field_t;

typedef struct gql_enum_value {
    facet_str_t name;
    facet_str_t description;
    facet_str_t deprecation_reason;
    const gql_ast_enum_value_def_t *ast; /* its definition (schema arena) */
} gql_enum_value_t;

struct gql_type {
    gql_type_kind_t kind;
    facet_str_t name;
    facet_str_t description;
    facet_str_t specified_by_url; /* SCALAR with @specifiedBy */
    bool builtin;                 /* a specified scalar or an introspection type */
    bool one_of;                  /* INPUT_OBJECT with @oneOf */
    uint32_t index;               /* position in gql_schema_t.types */
    gql_field_t *fields;          /* OBJECT, INTERFACE: in definition order */
    size_t nfields;
    gql_type_t **interfaces; /* OBJECT, INTERFACE: implemented interfaces */
    size_t ninterfaces;
    /* INTERFACE: the object types implementing it, in type-map order;
     * UNION: its members in definition order. */
    gql_type_t **possible;
    size_t npossible;
    gql_enum_value_t *values; /* ENUM */
    size_t nvalues;
    gql_input_value_t *input_fields; /* INPUT_OBJECT */
    size_t ninput_fields;
    gql_loc_t loc;
    /* The definition and the extensions ("extend type ...") it was built
     * from, in document order; they live in the schema arena. */
    const gql_ast_type_def_t *ast;
    const gql_ast_type_def_t **extensions;
    size_t nextensions;
    const void *member_index; /* private: name index of fields, values or input fields */
};

typedef enum gql_directive_location {
    GQL_DL_QUERY = 1u << 0,
    GQL_DL_MUTATION = 1u << 1,
    GQL_DL_SUBSCRIPTION = 1u << 2,
    GQL_DL_FIELD = 1u << 3,
    GQL_DL_FRAGMENT_DEFINITION = 1u << 4,
    GQL_DL_FRAGMENT_SPREAD = 1u << 5,
    GQL_DL_INLINE_FRAGMENT = 1u << 6,
    GQL_DL_VARIABLE_DEFINITION = 1u << 7,
    GQL_DL_SCHEMA = 1u << 8,
    GQL_DL_SCALAR = 1u << 9,
    GQL_DL_OBJECT = 1u << 10,
    GQL_DL_FIELD_DEFINITION = 1u << 11,
    GQL_DL_ARGUMENT_DEFINITION = 1u << 12,
    GQL_DL_INTERFACE = 1u << 13,
    GQL_DL_UNION = 1u << 14,
    GQL_DL_ENUM = 1u << 15,
    GQL_DL_ENUM_VALUE = 1u << 16,
    GQL_DL_INPUT_OBJECT = 1u << 17,
    GQL_DL_INPUT_FIELD_DEFINITION = 1u << 18,
    /* graphql-js 16.15 lists it (its @deprecated may be put on directive
     * definitions, behind an experimental parser option). */
    GQL_DL_DIRECTIVE_DEFINITION = 1u << 19,
} gql_directive_location_t;

/* The location's name as SDL and introspection spell it ("FIELD_DEFINITION"). */
const char *gql_directive_location_name(gql_directive_location_t loc);
/* Sets *out to the location named name; FACET_EINVAL when there is none. */
int gql_directive_location_parse(facet_str_t name, gql_directive_location_t *out);
/* "SCALAR", "OBJECT", ... as __TypeKind spells the kind. */
const char *gql_type_kind_name(gql_type_kind_t kind);

typedef struct gql_directive {
    facet_str_t name; /* without '@' */
    facet_str_t description;
    gql_input_value_t *args;
    size_t nargs;
    uint32_t locations; /* gql_directive_location_t bits */
    /* The locations as written, in order (duplicates kept), which is how
     * introspection and printSchema list them. */
    const gql_directive_location_t *location_list;
    size_t nlocation_list;
    bool repeatable;
    bool builtin;
    facet_str_t deprecation_reason;     /* always absent from SDL (graphql-js 16.15 keeps it) */
    const gql_ast_directive_def_t *ast; /* its definition (schema arena) */
    gql_loc_t loc;
} gql_directive_t;

typedef struct gql_schema {
    facet_arena_t arena;
    facet_str_t description;
    /* Every named type in graphql-js' type-map order (the order
     * __schema.types lists them in). */
    gql_type_t **types;
    size_t ntypes;
    gql_type_t *query;
    gql_type_t *mutation;     /* NULL when absent */
    gql_type_t *subscription; /* NULL when absent */
    /* The SDL's directives in definition order, then the specified ones it
     * did not redefine (@include, @skip, @deprecated, @specifiedBy, @oneOf),
     * which is graphql-js' order. */
    gql_directive_t **directives;
    size_t ndirectives;
    void *lookup; /* private name index */
} gql_schema_t;

/* Builds a schema from one or more SDL sources, as graphql-js' buildSchema
 * followed by validateSchema does. Several sources are read as one
 * document: they are joined with "\n" in order, and error locations count
 * lines through the joined text (what buildSchema(sources.join("\n"))
 * would report). Executable definitions in the text are ignored.
 *
 * The checks run in graphql-js' phases, and a phase that fails stops the
 * build: syntax errors (code GRAPHQL_PARSE_FAILED), then the SDL rules
 * (unique names, known types and directives, directive locations and
 * arguments, possible extensions), then the values of built-in directives
 * (@deprecated(reason:), @specifiedBy(url:)), then the type-system rules
 * (root types, reserved names, input/output types, interface
 * implementations, union members, empty types, @oneOf fields, cycles of
 * non-null input fields). Every problem of the failing phase is reported,
 * in graphql-js' order, words and locations, as an error in errors
 * (allocated in errors->arena; schema errors carry no code); the function
 * then returns FACET_EINVAL with *out NULL. FACET_ENOMEM when memory runs
 * out. The caller frees a built schema with gql_schema_free.
 *
 * Default values (gql_input_value_t.default_value) are stored as graphql-js
 * reports them: coerced to their type and serialized back (valueFromAST
 * then astFromValue), so "[Int] = 1" holds [1], "Float = 1.0" holds 1, an
 * input object holds its fields' defaults in field order, and a literal
 * that does not coerce leaves no default at all. Printing the stored
 * literal with gql_ast_print_value gives introspection's defaultValue. */
int gql_schema_build(const facet_str_t *sources, size_t nsources, gql_schema_t **out,
                     gql_error_list_t *errors);
void gql_schema_free(gql_schema_t *s);

/* Lookups; NULL when absent. */
gql_type_t *gql_schema_type(const gql_schema_t *s, facet_str_t name);
gql_directive_t *gql_schema_directive(const gql_schema_t *s, facet_str_t name);
gql_field_t *gql_type_field(const gql_type_t *t, facet_str_t name);
gql_input_value_t *gql_type_input_field(const gql_type_t *t, facet_str_t name);
const gql_enum_value_t *gql_type_enum_value(const gql_type_t *t, facet_str_t name);
gql_input_value_t *gql_field_arg(const gql_field_t *f, facet_str_t name);

/* Type relations as the specification defines them. */
bool gql_type_is_abstract(const gql_type_t *t);  /* INTERFACE or UNION */
bool gql_type_is_composite(const gql_type_t *t); /* OBJECT, INTERFACE, UNION */
bool gql_type_is_leaf(const gql_type_t *t);      /* SCALAR, ENUM */
bool gql_type_is_input(const gql_type_t *t);     /* SCALAR, ENUM, INPUT_OBJECT */
bool gql_type_is_output(const gql_type_t *t);    /* anything but INPUT_OBJECT */
/* True when object is a possible type of abstract (or they are the same):
 * a member of a union, or an object or interface that declares the
 * interface (graphql-js' schema.isSubType). */
bool gql_schema_is_possible_type(const gql_type_t *abstract, const gql_type_t *object);
/* True when maybe_sub is a subtype of super (TypeCompare in the spec). */
bool gql_type_ref_is_subtype(const gql_type_ref_t *maybe_sub, const gql_type_ref_t *super);
bool gql_type_ref_equal(const gql_type_ref_t *a, const gql_type_ref_t *b);
const gql_type_t *gql_type_ref_named(const gql_type_ref_t *t);

/* Writes a type reference as SDL ("[Int!]!"). */
int gql_type_ref_print(const gql_type_ref_t *t, facet_buf_t *out);

/* Appends the schema as graphql-js' printSchema() returns it: built-in
 * scalars, introspection types and specified directives omitted,
 * descriptions and deprecations kept, no trailing newline. */
int gql_schema_print(const gql_schema_t *s, facet_buf_t *out);

#endif
