/* Private declarations shared by the schema builder's files (schema*.c):
 * the name map, the build context, and the phases of gql_schema_build
 * (SDL validation, type building, ordering, default values, type-system
 * validation). Nothing outside src/gql/schema*.c includes this. */
#ifndef FACET_GQL_SCHEMA_INTERNAL_H
#define FACET_GQL_SCHEMA_INTERNAL_H

#include "core/buf.h"
#include "gql/schema.h"

/* ---- name map: open addressing over {name, pointer}, in an arena ---- */

typedef struct gql__smap_slot {
    facet_str_t key; /* base NULL: empty */
    void *value;
} gql__smap_slot_t;

typedef struct gql__smap {
    facet_arena_t *arena;
    gql__smap_slot_t *slots;
    size_t cap; /* power of two */
    size_t count;
} gql__smap_t;

int gql__smap_init(gql__smap_t *m, facet_arena_t *a, size_t expected);
/* Inserts or replaces. FACET_ENOMEM when growing fails. */
int gql__smap_put(gql__smap_t *m, facet_str_t key, void *value);
void *gql__smap_get(const gql__smap_t *m, facet_str_t key);

/* Builds the private member index of t (fields, values or input fields)
 * when t has enough members for a scan to be slower than a hash. */
int gql__schema_index_members(facet_arena_t *a, gql_type_t *t);

/* ---- build context ---- */

typedef struct gql__sbuild {
    gql_schema_t *s;
    facet_arena_t *a; /* the schema arena */
    gql_error_list_t *errors;
    const gql_ast_document_t *doc;     /* the user's SDL */
    const gql_ast_document_t *builtin; /* the built-in definitions */
    int rc;                            /* first fatal status (FACET_ENOMEM) */
    bool failed;                       /* an error was reported */
    unsigned default_depth;            /* nesting of defaults computed on demand */

    /* Types by name: the built-in ones, then the document's definitions
     * (a definition named like a built-in type resolves to the built-in). */
    gql__smap_t types;
    /* The document's type definitions in order (resolved as above). */
    gql_type_t **defined;
    size_t ndefined;
    gql_type_t **std_types; /* built-in scalars, then introspection types */
    size_t nstd_types;

    gql_directive_t **std_directives; /* @include, @skip, ... in order */
    size_t nstd_directives;
    gql_directive_t **user_directives;
    size_t nuser_directives;

    const gql_ast_schema_def_t *schema_def; /* NULL when absent */
    const gql_ast_schema_def_t **schema_exts;
    size_t nschema_exts;
} gql__sbuild_t;

/* Reports a schema error (no extensions.code, as graphql-js' have none).
 * Entries of locs with line 0 are dropped, as graphql-js drops the nodes
 * it does not have. */
void gql__sbuild_error(gql__sbuild_t *b, const gql_loc_t *locs, size_t nlocs, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Phase 1: the SDL validation rules graphql-js runs in buildASTSchema
 * (unique names, known types and directives, directive locations and
 * arguments, possible extensions). */
void gql__schema_validate_sdl(gql__sbuild_t *b);

/* Parses the built-in definitions into b->a and builds them (b->std_*). */
int gql__schema_build_builtins(gql__sbuild_t *b);

/* Phase 2: builds the document's types, extensions, directives and root
 * types, then the type map order, possible types and indexes. */
int gql__schema_build_types(gql__sbuild_t *b);
/* Builds the types and directives of one document into b (used for the
 * built-in document too, with builtin set). */
int gql__schema_build_doc(gql__sbuild_t *b, const gql_ast_document_t *doc, bool builtin);
int gql__schema_order_types(gql__sbuild_t *b);

/* Default values: rewrites every argument's and input field's default to
 * the literal graphql-js reports (coerced to the type and serialized back),
 * or NULL when the literal does not coerce, as graphql-js drops it. */
int gql__schema_normalize_defaults(gql__sbuild_t *b, gql_type_t *const *types, size_t ntypes,
                                   gql_directive_t *const *dirs, size_t ndirs);
/* Coerces a const literal to type t and serializes it back; *out is NULL
 * when it does not coerce. */
int gql__schema_normalize_value(gql__sbuild_t *b, const gql_ast_value_t *v, const gql_type_ref_t *t,
                                const gql_ast_value_t **out);
/* Writes a double as JavaScript's Number.prototype.toString does. */
void gql__js_number(double d, char *out, size_t cap);

/* Phase 3: graphql-js' validateSchema. */
void gql__schema_validate_types(gql__sbuild_t *b);

/* ---- shared helpers ---- */

/* The suggestions graphql-js' suggestionList makes for input among
 * options, best first; returns their count (at most max) in out. */
size_t gql__suggest(facet_str_t input, const facet_str_t *options, size_t noptions,
                    facet_str_t *out, size_t max);
/* Appends " Did you mean "A", "B", or "C"?" (nothing when n is 0). */
int gql__did_you_mean(facet_buf_t *buf, const facet_str_t *suggestions, size_t n);

/* The type as graphql-js' inspect() writes it ("[Int!]"), NUL-terminated
 * in b->a; "?" when memory runs out. */
const char *gql__sbuild_type_str(gql__sbuild_t *b, const gql_type_ref_t *t);

/* The value literal as graphql-js' print() writes it, NUL-terminated in
 * b->a; "?" when memory runs out. */
const char *gql__sbuild_value_str(gql__sbuild_t *b, const gql_ast_value_t *v);

/* The directive named name in the document's @-list, or NULL. */
const gql_ast_directive_t *gql__find_directive(const gql_ast_directive_t *dirs, size_t n,
                                               const char *name);

#endif
