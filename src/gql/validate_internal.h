/* Shared state of the validator's files: the context of one gql_validate
 * call, the walk's type information (graphql-js' TypeInfo), and small tools
 * (hash maps, string builders, suggestions, printing) the rules use. Not a
 * public interface: only src/gql/validate*.c include it. */
#ifndef FACET_GQL_VALIDATE_INTERNAL_H
#define FACET_GQL_VALIDATE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/str.h"
#include "gql/ast.h"
#include "gql/error.h"
#include "gql/schema.h"
#include "gql/validate.h"

/* Recursion bound for every recursive walk: documents are already bounded
 * by the parser, but fragments chain into deeper structures than one
 * definition holds. Past it validation stops with "Validation aborted.". */
#define GQL__VAL_MAX_RECURSION 1500

typedef struct gqlv__ctx gqlv__ctx_t;

/* ---- hash map: byte-string keys to pointers, in an arena ---- */

typedef struct gqlv__map_entry {
    const char *key; /* NULL: empty slot */
    size_t len;
    uint64_t hash;
    void *value;
} gqlv__map_entry_t;

typedef struct gqlv__map {
    facet_arena_t *a;
    gqlv__map_entry_t *slots;
    size_t cap; /* a power of two, or 0 before the first put */
    size_t count;
} gqlv__map_t;

void gqlv__map_init(gqlv__map_t *m, facet_arena_t *a);
/* The slot holding key, or NULL when absent. */
gqlv__map_entry_t *gqlv__map_find(const gqlv__map_t *m, const void *key, size_t len);
void *gqlv__map_get(const gqlv__map_t *m, const void *key, size_t len);
/* Sets the value of key, copying the key bytes into the arena on insert.
 * Returns the slot, or NULL when the arena ran out. */
gqlv__map_entry_t *gqlv__map_put(gqlv__map_t *m, const void *key, size_t len, void *value);

static inline void *gqlv__map_sget(const gqlv__map_t *m, facet_str_t k)
{
    return gqlv__map_get(m, k.base, k.len);
}

/* ---- growable arrays of pointers in an arena ---- */

typedef struct gqlv__vec {
    const void **items;
    size_t n, cap;
} gqlv__vec_t;

/* Appends p; false when the arena ran out. */
bool gqlv__vec_push(facet_arena_t *a, gqlv__vec_t *v, const void *p);

/* ---- string builder in an arena ---- */

typedef struct gqlv__sb {
    facet_arena_t *a;
    char *buf;
    size_t len, cap;
    bool oom;
} gqlv__sb_t;

void gqlv__sb_init(gqlv__sb_t *sb, facet_arena_t *a);
void gqlv__sb_add(gqlv__sb_t *sb, const char *s, size_t len);
void gqlv__sb_str(gqlv__sb_t *sb, facet_str_t s);
void gqlv__sb_cstr(gqlv__sb_t *sb, const char *s);
void gqlv__sb_printf(gqlv__sb_t *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The text so far, NUL-terminated ("" after running out of memory). */
const char *gqlv__sb_cstr_of(gqlv__sb_t *sb);

/* Writes a type as SDL ("[Int!]!"), the way graphql-js' inspect() does. */
void gqlv__sb_type(gqlv__sb_t *sb, const gql_type_ref_t *t);
/* Writes a syntax-tree type as printed ("[Dog!]"). */
void gqlv__sb_ast_type(gqlv__sb_t *sb, const gql_ast_type_t *t);
/* Writes a literal as graphql-js' print() does: strings JSON-escaped (block
 * strings as block strings), lists "[a, b]", objects "{a: 1, b: 2}". */
void gqlv__sb_value(gqlv__sb_t *sb, const gql_ast_value_t *v);

/* Groups n names by equality, in order of first appearance: on return
 * first[i] is true for the first item of each group and next[i] is the
 * index of the following item of the same name (or n). */
bool gqlv__group_names(gqlv__ctx_t *v, const facet_str_t *names, size_t n, bool *first,
                       size_t *next);

/* Sorts as JavaScript's Array.prototype.sort does in V8 (stable; the same
 * result even for comparators that are not total orders). */
void gqlv__sort(const void **items, size_t n, int (*cmp)(const void *, const void *, void *),
                void *ctx);

/* ---- suggestions ---- */

/* graphql-js' suggestionList: the options within lexical distance of input
 * (Damerau-Levenshtein, case changes count 1, threshold 40% of the input
 * length + 1), sorted by distance then natural order. Duplicates are
 * dropped. Writes at most cap names into out and returns the count. */
size_t gqlv__suggest(facet_arena_t *a, facet_str_t input, const facet_str_t *options,
                     size_t noptions, facet_str_t *out, size_t cap);
/* graphql-js' naturalCompare: digit runs compare as numbers. */
int gqlv__natural_compare(facet_str_t a, facet_str_t b);
/* Appends " Did you mean <sub> "a", "b", or "c"?" (at most 5 names), or
 * nothing when n is 0. sub may be NULL. */
void gqlv__sb_did_you_mean(gqlv__sb_t *sb, const char *sub, const facet_str_t *names, size_t n);

/* ---- type information of the walk (graphql-js' TypeInfo) ---- */

typedef struct gqlv__ti {
    const gql_type_ref_t *type;         /* output type at this point, or NULL */
    gql_type_t *parent_type;            /* composite type of the open selection set */
    const gql_field_t *field;           /* definition of the field being walked */
    const gql_type_ref_t *input;        /* type of the input position being walked */
    const gql_type_ref_t *parent_input; /* the input position around it */
    bool has_default;                   /* the input position has a default value */
    bool in_directive;                  /* walking a directive's arguments */
    const gql_directive_t *directive;   /* that directive when the schema has it */
} gqlv__ti_t;

/* A variable used in a value, with the type its position expects. */
typedef struct gqlv__usage {
    const gql_ast_value_t *node;
    const gql_type_ref_t *type;        /* NULL when the position is unknown */
    const gql_type_ref_t *parent_type; /* the input position around it */
    bool has_default;
} gqlv__usage_t;

typedef struct gqlv__usages {
    gqlv__usage_t *items;
    size_t n, cap;
} gqlv__usages_t;

typedef struct gqlv__overlap gqlv__overlap_t;

/* The context of one validation. */
struct gqlv__ctx {
    const gql_schema_t *schema;
    const gql_ast_document_t *doc;
    facet_arena_t *a; /* scratch */
    gql_error_list_t *errors;
    bool hide_suggestions;
    size_t max_errors;
    size_t nerrors;
    bool aborted; /* stop: error cap, work budget, recursion bound or memory */
    bool oom;
    long fragment_work; /* graphql-js' budget for fragment bookkeeping */
    unsigned depth;     /* recursion depth of the current walk */

    gqlv__map_t fragments;      /* name -> last gql_ast_fragment_t of that name */
    gqlv__map_t doc_types;      /* type names defined (not extended) in the document */
    gqlv__vec_t doc_type_names; /* the same names in document order (gql_ast_name_t) */
    gqlv__map_t doc_directives; /* name -> last gql_ast_directive_def_t */
    gql_type_ref_t *named_refs; /* a GQL_REF_NAMED per schema type, by index */
    gql_field_t meta_typename, meta_schema, meta_type;
    gql_input_value_t meta_type_arg;

    /* Non-NULL while collecting variable usages: rules are off. */
    gqlv__usages_t *collect;

    /* Rule state. */
    size_t operation_count;
    gqlv__map_t op_names;   /* UniqueOperationNames */
    gqlv__map_t frag_names; /* UniqueFragmentNames */
    gqlv__map_t cycle_visited;
    gqlv__map_t spread_lists;    /* selection set -> its spreads */
    gqlv__map_t usage_cache;     /* definition -> its variable usages */
    gqlv__map_t ref_cache;       /* set of names -> referenced fragments */
    gqlv__map_t op_usages;       /* operation -> recursive usages */
    gqlv__vec_t var_defs;        /* the current operation's variable definitions */
    gqlv__map_t type_directives; /* UniqueDirectivesPerLocation on types */
    gqlv__map_t schema_directives;
    gqlv__map_t mid_checked, mid_exceeded; /* MaxIntrospectionDepth */
    bool mid_skip;
    bool sub_fragments_counted; /* SingleFieldSubscriptions spent its work */
    gqlv__overlap_t *overlap;
};

/* Reports an error at nlocs locations (message printf-style). Honours the
 * error cap: past it, adds graphql-js' "Too many validation errors" error
 * and aborts. */
void gqlv__report(gqlv__ctx_t *v, const gql_loc_t *locs, size_t nlocs, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Stops validation with graphql-js' "Validation aborted." error. */
void gqlv__abort(gqlv__ctx_t *v);
/* Marks memory exhaustion (validation stops). */
void gqlv__oom(gqlv__ctx_t *v);
/* Spends fragment bookkeeping work; aborts when the budget is gone. */
bool gqlv__spend_fragment_work(gqlv__ctx_t *v, size_t cost);
/* Enters a level of recursion; false (and abort) past the bound. Every
 * successful gqlv__enter is paired with gqlv__leave. */
bool gqlv__enter(gqlv__ctx_t *v);
static inline void gqlv__leave(gqlv__ctx_t *v)
{
    v->depth--;
}

/* ---- schema helpers ---- */

/* A type of the schema's type map by name (graphql-js' schema.getType:
 * built-in scalars that the schema does not use are not in it). */
gql_type_t *gqlv__type_by_name(const gqlv__ctx_t *v, facet_str_t name);
const gql_type_ref_t *gqlv__named_ref(const gqlv__ctx_t *v, const gql_type_t *t);
/* graphql-js' typeFromAST: NULL when the named type is unknown. */
const gql_type_ref_t *gqlv__type_from_ast(gqlv__ctx_t *v, const gql_ast_type_t *t);
const gql_type_t *gqlv__named(const gql_type_ref_t *t); /* NULL-safe */
bool gqlv__is_input_ref(const gql_type_ref_t *t);
/* schema.isSubType: object or interface t implements / belongs to abstract. */
bool gqlv__is_sub_type(const gql_type_t *abstract, const gql_type_t *t);
bool gqlv__do_types_overlap(const gql_type_t *a, const gql_type_t *b);
bool gqlv__is_type_sub_type_of(const gql_type_ref_t *sub, const gql_type_ref_t *super);
/* The field definition graphql-js' TypeInfo finds for name on parent
 * (including __typename, __schema and __type), or NULL. */
const gql_field_t *gqlv__field_def(const gqlv__ctx_t *v, const gql_type_t *parent,
                                   facet_str_t name);
const gql_ast_fragment_t *gqlv__fragment(const gqlv__ctx_t *v, facet_str_t name);
/* The names of directive locations ("FIELD", "QUERY", ...). */
const char *gqlv__location_name(uint32_t bit);
/* The argument named name in args, or NULL. */
const gql_input_value_t *gqlv__find_arg(const gql_input_value_t *args, size_t n, facet_str_t name);
uint32_t gqlv__location_bit(facet_str_t name);

/* ---- the walk (validate_walk.c) ---- */

void gqlv__walk_document(gqlv__ctx_t *v);
/* Collects the variable usages of an operation (op) or a fragment (frag)
 * the way graphql-js' getVariableUsages does (a walk of its own, variable
 * definitions skipped). Cached per definition; NULL after an abort. */
const gqlv__usages_t *gqlv__usages_of(gqlv__ctx_t *v, const gql_ast_operation_t *op,
                                      const gql_ast_fragment_t *frag);
void gqlv__walk_directives(gqlv__ctx_t *v, gqlv__ti_t *ti, const gql_ast_directive_t *d, size_t n,
                           uint32_t location);
void gqlv__walk_named_type(gqlv__ctx_t *v, const gql_ast_name_t *name, bool sdl);
void gqlv__walk_type(gqlv__ctx_t *v, const gql_ast_type_t *t, bool sdl);

/* ---- values (validate_values.c) ---- */

/* Walks a value at the input position described by ti: runs
 * ValuesOfCorrectType (while check is true) and UniqueInputFieldNames, or
 * records variable usages in collect mode. */
void gqlv__walk_value(gqlv__ctx_t *v, const gqlv__ti_t *ti, const gql_ast_value_t *val, bool check);

/* ---- rules ---- */

/* validate_rules.c: fields, arguments, types, fragments' types. */
void gqlv__rule_known_type_names(gqlv__ctx_t *v, const gql_ast_name_t *name, bool sdl);
void gqlv__rule_fragment_on_composite(gqlv__ctx_t *v, const gql_ast_name_t *cond,
                                      const gql_ast_name_t *frag_name);
void gqlv__rule_variable_input_type(gqlv__ctx_t *v, const gql_ast_variable_def_t *def);
void gqlv__rule_scalar_leafs(gqlv__ctx_t *v, const gqlv__ti_t *ti, const gql_ast_selection_t *f);
void gqlv__rule_fields_on_correct_type(gqlv__ctx_t *v, const gqlv__ti_t *ti,
                                       const gql_ast_selection_t *f);
void gqlv__rule_known_fragment_name(gqlv__ctx_t *v, const gql_ast_selection_t *spread);
void gqlv__rule_possible_inline(gqlv__ctx_t *v, const gqlv__ti_t *ti, const gql_ast_selection_t *s);
void gqlv__rule_possible_spread(gqlv__ctx_t *v, const gqlv__ti_t *ti, const gql_ast_selection_t *s);
void gqlv__rule_known_argument(gqlv__ctx_t *v, const gqlv__ti_t *ti, const gql_ast_argument_t *arg,
                               const gql_input_value_t *def);
void gqlv__rule_unique_arguments(gqlv__ctx_t *v, const gql_ast_argument_t *args, size_t n);
void gqlv__rule_required_field_args(gqlv__ctx_t *v, const gqlv__ti_t *ti,
                                    const gql_ast_selection_t *f);

/* validate_directives.c */
void gqlv__rule_known_directive(gqlv__ctx_t *v, const gql_ast_directive_t *d, uint32_t location);
void gqlv__rule_known_directive_args(gqlv__ctx_t *v, const gql_ast_directive_t *d);
void gqlv__rule_required_directive_args(gqlv__ctx_t *v, const gql_ast_directive_t *d);
/* UniqueDirectivesPerLocation; scope is NULL for a fresh location, or a
 * map shared by a schema (all "schema" nodes) or a type name. */
void gqlv__rule_unique_directives(gqlv__ctx_t *v, const gql_ast_directive_t *d, size_t n,
                                  gqlv__map_t *scope);
gqlv__map_t *gqlv__type_directive_scope(gqlv__ctx_t *v, facet_str_t type_name);

/* validate_frags.c: document-level and fragment-graph rules. */
void gqlv__rule_executable_definitions(gqlv__ctx_t *v);
void gqlv__rule_unique_operation_name(gqlv__ctx_t *v, const gql_ast_operation_t *op);
void gqlv__rule_lone_anonymous(gqlv__ctx_t *v, const gql_ast_operation_t *op);
void gqlv__rule_unique_fragment_name(gqlv__ctx_t *v, const gql_ast_fragment_t *f);
void gqlv__rule_no_unused_fragments(gqlv__ctx_t *v);
void gqlv__rule_no_fragment_cycles(gqlv__ctx_t *v, const gql_ast_fragment_t *f);
/* The spreads in a selection set, nested ones included, in graphql-js'
 * order (getFragmentSpreads). */
const gqlv__vec_t *gqlv__fragment_spreads(gqlv__ctx_t *v, const gql_ast_selection_set_t *ss);
/* graphql-js' getRecursiveVariableUsages: the operation's own usages, then
 * those of every fragment it reaches. Cached; NULL after an abort. */
const gqlv__usages_t *gqlv__recursive_usages(gqlv__ctx_t *v, const gql_ast_operation_t *op);

/* validate_vars.c: variables. */
void gqlv__rule_unique_variables(gqlv__ctx_t *v, const gql_ast_operation_t *op);
void gqlv__vars_operation_enter(gqlv__ctx_t *v);
void gqlv__vars_definition(gqlv__ctx_t *v, const gql_ast_variable_def_t *def);
void gqlv__vars_operation_leave(gqlv__ctx_t *v, const gql_ast_operation_t *op);

/* validate_ops.c: subscriptions and introspection depth. */
void gqlv__rule_single_field_subscription(gqlv__ctx_t *v, const gql_ast_operation_t *op);
/* Returns false when the rule skips the field's subtree. */
bool gqlv__rule_max_introspection_depth(gqlv__ctx_t *v, const gql_ast_selection_t *f);

/* validate_overlap.c */
void gqlv__rule_overlapping_fields(gqlv__ctx_t *v, const gql_type_t *parent,
                                   const gql_ast_selection_set_t *ss);

/* validate_sdl.c: type-system definitions met in an executable document. */
void gqlv__walk_sdl_definition(gqlv__ctx_t *v, const gql_ast_definition_t *def);

#endif
