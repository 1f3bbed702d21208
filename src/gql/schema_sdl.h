/* Private to schema_sdl.c and schema_sdl_rules.c: the state of the SDL
 * rules and the checks the walk calls at each node, named after the
 * graphql-js rule they implement. */
#ifndef FACET_GQL_SCHEMA_SDL_H
#define FACET_GQL_SCHEMA_SDL_H

#include "gql/schema_internal.h"

typedef gql_directive_location_t sdl_location_t;

typedef struct sdl_ctx {
    gql__sbuild_t *b;
    /* The document's type definitions by name (the last one wins), and
     * their names in first-definition order, for suggestions. */
    gql__smap_t defined;
    facet_str_t *defined_names;
    size_t ndefined_names;
    /* Directive definitions by name: the specified ones, then the
     * document's (the last one wins). */
    gql__smap_t directive_defs;
    /* First occurrences, for the "only one" rules. */
    gql__smap_t type_names;      /* name -> gql_ast_name_t */
    gql__smap_t directive_names; /* name -> gql_ast_name_t */
    gql__smap_t enum_values;     /* type name -> gql__smap_t of value names */
    gql__smap_t field_names;     /* type name -> gql__smap_t of field names */
    gql__smap_t type_directives; /* type name -> gql__smap_t of directives */
    gql__smap_t schema_directives;
    const gql_ast_operation_type_def_t *op_types[3];
    size_t nschema_defs;
} sdl_ctx_t;

int sdl_ctx_init(sdl_ctx_t *c, gql__sbuild_t *b);
sdl_location_t sdl_type_location(gql_type_kind_t kind);

/* LoneSchemaDefinition, UniqueOperationTypes, UniqueDirectivesPerLocation. */
void sdl_schema_def_enter(sdl_ctx_t *c, const gql_ast_schema_def_t *s);
/* UniqueTypeNames, UniqueEnumValueNames, UniqueFieldDefinitionNames,
 * UniqueArgumentDefinitionNames, UniqueDirectivesPerLocation,
 * PossibleTypeExtensions. */
void sdl_type_def_enter(sdl_ctx_t *c, const gql_ast_type_def_t *t);
/* UniqueArgumentDefinitionNames, UniqueDirectiveNames. */
void sdl_directive_def_enter(sdl_ctx_t *c, const gql_ast_directive_def_t *d);
/* UniqueDirectivesPerLocation on one node's directives; scope NULL for a
 * node of its own (type and schema nodes share a scope by name). */
void sdl_unique_directives(sdl_ctx_t *c, const gql_ast_directive_t *dirs, size_t n,
                           gql__smap_t *scope);
/* KnownTypeNames; sdl tells whether the name is inside a type-system
 * definition, where the built-in names are always known. */
void sdl_named_type(sdl_ctx_t *c, const gql_ast_name_t *name, bool sdl);
/* KnownDirectives, KnownArgumentNamesOnDirectives, UniqueArgumentNames. */
void sdl_directive_enter(sdl_ctx_t *c, const gql_ast_directive_t *d, sdl_location_t where);
/* ProvidedRequiredArgumentsOnDirectives. */
void sdl_directive_leave(sdl_ctx_t *c, const gql_ast_directive_t *d);
/* UniqueArgumentNames on a field's arguments. */
void sdl_unique_arguments(sdl_ctx_t *c, const gql_ast_argument_t *args, size_t n);
/* UniqueInputFieldNames within one object literal. */
void sdl_object_field(sdl_ctx_t *c, gql__smap_t *seen, const gql_ast_object_field_t *f);

#endif
