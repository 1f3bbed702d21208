/* Private structures shared by the executor's files (exec*.c, coerce*.c,
 * introspection*.c). Not a public interface: see gql/exec.h.
 *
 * Execution state is a tree of result nodes: an exec_obj_t per object value
 * being completed (one slot per collected response key) and an
 * exec_list_t per list of composite values (one slot per item). Leaves are
 * kept as the JSON values resolvers returned and are serialized only when
 * the response is written, which is also when null propagation and the
 * error list are worked out (exec_output.c), in graphql-js' order. */
#ifndef FACET_GQL_EXEC_INTERNAL_H
#define FACET_GQL_EXEC_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "gql/exec.h"

/* ---- collected fields ---- */

enum exec_meta {
    META_NONE,
    META_TYPENAME,
    META_SCHEMA,
    META_TYPE,
};

typedef struct exec_err {
    facet_str_t message;
    const char *code;
    const gql_loc_t *locs; /* NULL: the locations of the field's nodes */
    size_t nlocs;
} exec_err_t;

typedef struct exec_set exec_set_t;

/* One response key of a collected selection set: the field nodes merged
 * under it, the schema field, and, computed once per request, the coerced
 * arguments and the sub-selections per runtime type. */
enum exec_leaf_kind {
    LEAF_NONE, /* composite */
    LEAF_OTHER,
    LEAF_STRING,
    LEAF_ID,
    LEAF_INT,
    LEAF_FLOAT,
    LEAF_BOOLEAN,
};

typedef struct exec_field {
    facet_str_t key;
    facet_str_t key_json; /* ,"key": as written after a previous member */
    const gql_ast_selection_t **nodes;
    uint32_t nnodes;
    uint32_t hint;        /* where the member was found last time (default resolver) */
    const char *hint_key; /* a key found equal to the name (exec__field_member) */
    uint8_t meta;
    uint8_t args_state; /* 0: not coerced yet, 1: ok, 2: error */
    uint8_t leaf;       /* exec_leaf_kind of the field's named type */
    uint8_t plain_leaf; /* leaf, or LEAF_NONE when the type has a list */
    uint8_t pure;       /* 0: unknown, 1: pure, 2: not (see exec__field_pure) */
    const gql_type_t *named;
    const gql_field_t *def;
    const gql_value_t *args;
    exec_err_t *args_err;
    exec_set_t *subs; /* memo of exec__subfields, one per runtime type */
} exec_field_t;

enum exec_intro_kind {
    INTRO_NONE,
    INTRO_SCHEMA,
    INTRO_TYPE,
    INTRO_FIELD,
    INTRO_INPUT_VALUE,
    INTRO_ENUM_VALUE,
    INTRO_DIRECTIVE,
};

struct exec_set {
    const gql_type_t *type; /* the runtime object type */
    exec_field_t *fields;
    size_t n;
    exec_set_t *next; /* next entry of the owning field's memo */
    uint8_t intro;    /* exec_intro_kind of type */
    uint8_t pure;     /* 0: unknown, 1: pure, 2: not */
};

/* ---- result tree ---- */

enum exec_slot_kind {
    SLOT_PENDING, /* not resolved (yet, or ever when execution stopped) */
    SLOT_JSON,    /* a JSON value (NULL: null) completed when written */
    SLOT_NAME,    /* __typename: a type name from the schema */
    SLOT_OBJ,
    SLOT_LIST,
    SLOT_ERR,
};

typedef struct exec_obj exec_obj_t;
typedef struct exec_list exec_list_t;

typedef struct exec_slot {
    uint8_t kind;
    union {
        const gql_value_t *json;
        const facet_str_t *name;
        exec_obj_t *obj;
        exec_list_t *list;
        exec_err_t *err;
    } u;
} exec_slot_t;

struct exec_obj {
    const exec_set_t *set;
    const void *src; /* the parent value of its fields */
    bool src_host;   /* src is a host object, else a gql_value_t (or NULL) */
    exec_obj_t *next_queued;
    exec_slot_t slots[];
};

struct exec_list {
    size_t n;
    exec_slot_t items[];
};

/* ---- the execution ---- */

typedef struct exec_frags {
    const gql_ast_fragment_t **table; /* open addressing by name */
    size_t cap;                       /* power of two, 0 when no fragments */
    size_t count;
} exec_frags_t;

struct gql_exec {
    facet_arena_t *arena;
    gql_exec_opts_t opts;
    const gql_schema_t *schema;
    const gql_ast_operation_t *op;
    const gql_type_t *root_type;
    exec_frags_t frags;
    const gql_value_t *vars; /* coerced variables, an object */
    exec_set_t *root_set;
    exec_obj_t *root;
    exec_obj_t *queue_head, *queue_tail;
    size_t pending;     /* resolvers dispatched and not completed */
    size_t serial_next; /* mutations: next root field to run */
    bool serial;        /* mutation: root fields one at a time */
    bool in_run;        /* the run loop is on the stack */
    bool dispatched;    /* resolvers were called since the last hook */
    bool async;         /* gql_exec_start returned FACET_EAGAIN */
    bool finished;
    bool cancelled;
    bool oom;             /* the arena ran out: the response is an error */
    bool request_error;   /* the response is {"errors"} without data */
    exec_err_t *root_err; /* an error that makes data null before execution */
    bool written;
    gql_error_list_t errors;
    /* __schema, __type and __typename, built when first needed. */
    gql_field_t *meta_defs[4];
};

struct gql_resolve {
    gql_exec_t *ex;
    exec_obj_t *obj;
    const exec_field_t *field;
    uint32_t index;
    bool done;
};

/* ---- arena helpers ---- */

/* Zeroed arena memory, inline so that a memset of a constant size becomes
 * a few stores instead of a call (facet_arena_zalloc's size is unknown to
 * it). */
static inline void *exec__zalloc(facet_arena_t *a, size_t size)
{
    void *p = facet_arena_alloc(a, size);
    if (p)
        memset(p, 0, size);
    return p;
}
#define EXEC_NEW(a, T) ((T *)exec__zalloc((a), sizeof(T)))

/* An array left uninitialised, for arrays filled completely before they
 * are read; the size is checked as FACET_ARENA_ARRAY checks it. */
static inline void *exec__alloc_array(facet_arena_t *a, size_t n, size_t size)
{
    return n > SIZE_MAX / size ? NULL : facet_arena_alloc(a, n * size);
}
#define EXEC_ARRAY(a, T, n) ((T *)exec__alloc_array((a), (n), sizeof(T)))

/* ---- exec.c ---- */

/* Records that the arena ran out; execution stops and the response
 * becomes an error. Returns NULL so callers can `return exec__oom(ex)`. */
void *exec__oom(gql_exec_t *ex);
void exec__enqueue(gql_exec_t *ex, exec_obj_t *obj);
/* A field error at a slot with the field's nodes as locations. */
void exec__slot_error(gql_exec_t *ex, exec_slot_t *slot, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
exec_err_t *exec__error(gql_exec_t *ex, const char *code, const gql_loc_t *loc, const char *fmt,
                        ...) __attribute__((format(printf, 4, 5)));
/* A gql_value_t string pointing at s (not copied); NULL for an absent s. */
const gql_value_t *exec__str_value(gql_exec_t *ex, facet_str_t s);
const gql_value_t *exec__bool_value(bool b);

/* ---- exec_collect.c ---- */

int exec__frags_init(gql_exec_t *ex);
/* The root selection set collected for the root type; NULL on OOM. */
exec_set_t *exec__root_set(gql_exec_t *ex);
/* The merged sub-selections of f for runtime type rt (memoized). */
exec_set_t *exec__subfields(gql_exec_t *ex, exec_field_t *f, const gql_type_t *rt);
/* True when every field below f (for each runtime type) is resolved by
 * the engine's default resolver without errors in its arguments, so that
 * a JSON value for f can be completed while the response is written. */
bool exec__field_pure(gql_exec_t *ex, exec_field_t *f);
/* Coerces f's arguments once; false when they are invalid (f->args_err). */
bool exec__field_args(gql_exec_t *ex, exec_field_t *f);
/* True when the document selects __schema or __type anywhere. Adds one
 * error per such field to errors when errors is not NULL. */
bool exec__uses_introspection(gql_exec_t *ex, gql_error_list_t *errors);

/* ---- exec_complete.c ---- */

/* Completes slot with the value v of type ref for field f of parent_type. */
void exec__complete_json(gql_exec_t *ex, exec_slot_t *slot, const gql_type_ref_t *ref,
                         exec_field_t *f, const gql_type_t *parent_type, const gql_value_t *v);
void exec__complete_host(gql_exec_t *ex, exec_slot_t *slot, const gql_type_ref_t *ref,
                         exec_field_t *f, const gql_type_t *parent_type, const void *obj,
                         const gql_type_t *rt);
void exec__complete_host_list(gql_exec_t *ex, exec_slot_t *slot, const gql_type_ref_t *ref,
                              exec_field_t *f, const gql_type_t *parent_type,
                              const void *const *objs, const gql_type_t *const *types, size_t n);
/* The engine's default resolver on a JSON parent: the member named name
 * (an array answers "length"), NULL when absent. */
const gql_value_t *exec__json_member(gql_exec_t *ex, const gql_value_t *parent, facet_str_t name,
                                     uint32_t *hint);
/* Key equality for the default resolver, which compares a key for every
 * member it reads: short keys (nearly all of them) are compared as two
 * overlapping words rather than byte by byte or through a libc call. */
static inline bool exec__key_eq(facet_str_t a, facet_str_t b)
{
    size_t n = a.len;
    if (n != b.len)
        return false;
    if (a.base == b.base || n == 0)
        return true;
    if (n > 16)
        return memcmp(a.base, b.base, n) == 0;
    if (n >= 8) {
        uint64_t a0, a1, b0, b1;
        memcpy(&a0, a.base, 8);
        memcpy(&a1, a.base + n - 8, 8);
        memcpy(&b0, b.base, 8);
        memcpy(&b1, b.base + n - 8, 8);
        return ((a0 ^ b0) | (a1 ^ b1)) == 0;
    }
    if (n >= 4) {
        uint32_t a0, a1, b0, b1;
        memcpy(&a0, a.base, 4);
        memcpy(&a1, a.base + n - 4, 4);
        memcpy(&b0, b.base, 4);
        memcpy(&b1, b.base + n - 4, 4);
        return ((a0 ^ b0) | (a1 ^ b1)) == 0;
    }
    return a.base[0] == b.base[0] && a.base[n - 1] == b.base[n - 1] &&
           a.base[n / 2] == b.base[n / 2];
}

/* The default resolver's read of field f's member of parent, with the
 * common case inlined: the member sits where it was found in the previous
 * object (items of a list share a layout), often under the very same key
 * bytes, as hosts build keys from literals, so one pointer comparison
 * settles it. That is sound because values stay valid and unchanged until
 * the response is written: bytes found equal to the name at an address
 * stay equal for the rest of the request, which f does not outlive. */
static inline const gql_value_t *exec__field_member(gql_exec_t *ex, const gql_value_t *parent,
                                                    exec_field_t *f)
{
    facet_str_t name = f->def->name;
    if (parent && parent->kind == GQL_V_OBJECT && f->hint < parent->u.obj.n) {
        const gql_member_t *m = &parent->u.obj.members[f->hint];
        if (m->key.len == name.len && (m->key.base == f->hint_key || exec__key_eq(m->key, name))) {
            f->hint_key = m->key.base;
            return m->value;
        }
    }
    return exec__json_member(ex, parent, name, &f->hint);
}

/* The runtime type of an abstract type: the type named name (NULL: none),
 * checked as graphql-js checks it; NULL with *err set when invalid. */
const gql_type_t *exec__runtime_type(gql_exec_t *ex, const gql_type_t *at, const exec_field_t *f,
                                     const gql_type_t *pt, const facet_str_t *name,
                                     exec_err_t **err);
/* The same for a JSON value, by its __typename member. */
const gql_type_t *exec__json_runtime_type(gql_exec_t *ex, const gql_value_t *v,
                                          const gql_type_t *at, const exec_field_t *f,
                                          const gql_type_t *pt, exec_err_t **err);
/* Executes fields [from, to) of obj. */
void exec__object(gql_exec_t *ex, exec_obj_t *obj, size_t from, size_t to);

/* ---- exec_output.c ---- */

int exec__write_response(gql_exec_t *ex, facet_buf_t *out);
/* True when root field i's result makes data null (serial mutations stop). */
bool exec__root_field_fails(gql_exec_t *ex, size_t i);

/* ---- coerce_result.c: leaf serialization ---- */

/* Writes v serialized as leaf type t (graphql-js' serialize) into out.
 * Returns 0, 1 when v cannot be serialized (*msg set, in the arena), or a
 * negative FACET_E* code. v is not null. */
int exec__serialize_leaf(gql_exec_t *ex, const gql_type_t *t, const gql_value_t *v,
                         facet_buf_t *out, facet_str_t *msg);
/* JavaScript's Number(string); NaN when it is not a number. */
double exec__js_string_to_number(const char *s, size_t len);

/* ---- coerce_input.c: variables (JSON in) ---- */

/* CoerceVariableValues: fills ex->vars, or adds request errors and returns
 * FACET_EINVAL. */
int exec__coerce_variables(gql_exec_t *ex);

/* ---- coerce_literal.c: literals and arguments ---- */

/* valueFromAST: 0 with *out set (NULL pointer = JSON null), 1 when the
 * literal is invalid for ref ("undefined"), negative on OOM. vars may be
 * NULL (constant defaults). */
int exec__value_from_ast(gql_exec_t *ex, const gql_ast_value_t *node, const gql_type_ref_t *ref,
                         const gql_value_t *vars, const gql_value_t **out);
/* getArgumentValues for defs against the arguments written at node; on an
 * error returns 1 with *err set. */
int exec__coerce_args(gql_exec_t *ex, const gql_input_value_t *defs, size_t ndefs,
                      const gql_ast_argument_t *args, size_t nargs, gql_loc_t node_loc,
                      const gql_value_t **out, exec_err_t **err);
/* The coerced default of an argument or input field (0), 1 when it has
 * none (or an invalid one). */
int exec__default_value(gql_exec_t *ex, const gql_input_value_t *iv, const gql_value_t **out);

/* ---- coerce_util.c ---- */

/* graphql-js' inspect() of a JSON value. */
int exec__inspect(facet_buf_t *b, const gql_value_t *v);
/* graphql-js' print() of a value literal. */
int exec__print_literal(facet_buf_t *b, const gql_ast_value_t *v);
/* graphql-js' printString (a GraphQL string literal). */
int exec__print_string(facet_buf_t *b, const char *s, size_t len);
/* Appends " Did you mean [sub ]"A", "B"?" for input among options. */
int exec__did_you_mean(facet_buf_t *b, const char *sub, facet_str_t input,
                       const facet_str_t *options, size_t noptions);
/* Copies a buffer's bytes into the arena as a message (NUL-terminated). */
facet_str_t exec__arena_str(gql_exec_t *ex, const facet_buf_t *b);
/* A scratch buffer for building messages (malloc'd; free with
 * facet_buf_free). */
void exec__msgbuf(facet_buf_t *b);
int exec__type_print(facet_buf_t *b, const gql_type_ref_t *t);

/* ---- introspection.c ---- */

void exec__intro_resolve(gql_exec_t *ex, exec_obj_t *obj, exec_field_t *f, exec_slot_t *slot);
void exec__intro_meta(gql_exec_t *ex, exec_obj_t *obj, exec_field_t *f, exec_slot_t *slot);
uint8_t exec__intro_kind(const gql_type_t *t);
/* The __schema / __type / __typename field definitions. */
gql_field_t *exec__meta_def(gql_exec_t *ex, int meta);

/* ---- introspection_default.c ---- */

/* __InputValue.defaultValue: astFromValue + print of the coerced default.
 * Returns 0 (written), 1 (no default: null), 2 (a TypeError: *msg set). */
int exec__print_default(gql_exec_t *ex, const gql_input_value_t *iv, facet_buf_t *out,
                        facet_str_t *msg);

#endif
