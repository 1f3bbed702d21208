/* Values the executor works with: JSON-shaped data (the root value, resolver
 * results, variables, coerced arguments). A value and everything it points
 * to live in one arena. Objects keep their members in insertion order, as
 * JavaScript objects do, because response key order matters. */
#ifndef FACET_GQL_VALUE_H
#define FACET_GQL_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/str.h"

typedef enum gql_value_kind {
    GQL_V_NULL,
    GQL_V_BOOL,
    GQL_V_INT,    /* a 64-bit integer (coerced Int values, host integers) */
    GQL_V_FLOAT,  /* a double; JSON numbers parse to this, as in JavaScript */
    GQL_V_STRING, /* UTF-8 */
    GQL_V_LIST,
    GQL_V_OBJECT,
} gql_value_kind_t;

typedef struct gql_value gql_value_t;

typedef struct gql_member {
    facet_str_t key;
    gql_value_t *value;
} gql_member_t;

struct gql_value {
    gql_value_kind_t kind;
    union {
        bool b;
        int64_t i;
        double f;
        facet_str_t s;
        struct {
            gql_value_t **items;
            size_t n;
        } list;
        struct {
            gql_member_t *members;
            size_t n;
        } obj;
    } u;
};

/* Shared immutable null, true and false; never written to. */
extern const gql_value_t gql_value_null;
extern const gql_value_t gql_value_true;
extern const gql_value_t gql_value_false;

/* Constructors allocate in arena a and return NULL when it is exhausted. */
gql_value_t *gql_value_new_null(facet_arena_t *a);
gql_value_t *gql_value_new_bool(facet_arena_t *a, bool b);
gql_value_t *gql_value_new_int(facet_arena_t *a, int64_t i);
gql_value_t *gql_value_new_float(facet_arena_t *a, double f);
gql_value_t *gql_value_new_string(facet_arena_t *a, facet_str_t s); /* copies s */
gql_value_t *gql_value_new_list(facet_arena_t *a, size_t n);        /* n NULL items */
gql_value_t *gql_value_new_object(facet_arena_t *a, size_t n);      /* n empty members */

/* The member named key (the last one when a key repeats, as JavaScript
 * keeps it), or NULL when absent or v is not an object. */
const gql_value_t *gql_value_get(const gql_value_t *v, facet_str_t key);

/* The JSON type of v as JavaScript names it in messages: "null",
 * "boolean", "number", "string", "array" or "object"; "undefined" for a
 * NULL pointer (an absent member). A static string. */
const char *gql_value_type_name(const gql_value_t *v);

/* Deep equality (objects compare members by key, ignoring order; when a key
 * repeats, its last value counts, as for gql_value_get). Numbers compare by
 * numeric value across GQL_V_INT and GQL_V_FLOAT, as JavaScript has one
 * number type: INT 1 equals FLOAT 1.0 and 0.0 equals -0.0; NaN equals NaN so
 * that a value always equals itself. A NULL pointer equals a null value.
 * Does not recurse; returns false if memory for its work list runs out. */
bool gql_value_equal(const gql_value_t *a, const gql_value_t *b);

#endif
