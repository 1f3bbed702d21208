/* Constructors, member lookup and deep equality for gql_value_t, the
 * JSON-shaped values of the executor. Equality walks a work list instead of
 * recursing, so values of any depth compare safely. */
#include "gql/value.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const gql_value_t gql_value_null = {.kind = GQL_V_NULL};
const gql_value_t gql_value_true = {.kind = GQL_V_BOOL, .u.b = true};
const gql_value_t gql_value_false = {.kind = GQL_V_BOOL, .u.b = false};

static gql_value_t *new_value(facet_arena_t *a, gql_value_kind_t kind)
{
    gql_value_t *v = FACET_ARENA_NEW(a, gql_value_t);
    if (v)
        v->kind = kind;
    return v;
}

gql_value_t *gql_value_new_null(facet_arena_t *a)
{
    return new_value(a, GQL_V_NULL);
}

gql_value_t *gql_value_new_bool(facet_arena_t *a, bool b)
{
    gql_value_t *v = new_value(a, GQL_V_BOOL);
    if (v)
        v->u.b = b;
    return v;
}

gql_value_t *gql_value_new_int(facet_arena_t *a, int64_t i)
{
    gql_value_t *v = new_value(a, GQL_V_INT);
    if (v)
        v->u.i = i;
    return v;
}

gql_value_t *gql_value_new_float(facet_arena_t *a, double f)
{
    gql_value_t *v = new_value(a, GQL_V_FLOAT);
    if (v)
        v->u.f = f;
    return v;
}

gql_value_t *gql_value_new_string(facet_arena_t *a, facet_str_t s)
{
    gql_value_t *v = new_value(a, GQL_V_STRING);
    if (!v)
        return NULL;
    v->u.s = facet_arena_strdup(a, s.base ? s.base : "", s.len);
    return v->u.s.base ? v : NULL;
}

gql_value_t *gql_value_new_list(facet_arena_t *a, size_t n)
{
    gql_value_t *v = new_value(a, GQL_V_LIST);
    if (!v)
        return NULL;
    v->u.list.items = FACET_ARENA_ARRAY(a, gql_value_t *, n);
    v->u.list.n = n;
    return v->u.list.items ? v : NULL;
}

gql_value_t *gql_value_new_object(facet_arena_t *a, size_t n)
{
    gql_value_t *v = new_value(a, GQL_V_OBJECT);
    if (!v)
        return NULL;
    v->u.obj.members = FACET_ARENA_ARRAY(a, gql_member_t, n);
    v->u.obj.n = n;
    return v->u.obj.members ? v : NULL;
}

static bool key_eq(facet_str_t a, facet_str_t b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.base, b.base, a.len) == 0);
}

/* Index of the last member named key, or -1. */
static ptrdiff_t last_index(const gql_value_t *v, facet_str_t key)
{
    for (size_t i = v->u.obj.n; i > 0; i--)
        if (key_eq(v->u.obj.members[i - 1].key, key))
            return (ptrdiff_t)(i - 1);
    return -1;
}

const gql_value_t *gql_value_get(const gql_value_t *v, facet_str_t key)
{
    if (!v || v->kind != GQL_V_OBJECT)
        return NULL;
    ptrdiff_t i = last_index(v, key);
    return i < 0 ? NULL : v->u.obj.members[i].value;
}

const char *gql_value_type_name(const gql_value_t *v)
{
    if (!v)
        return "undefined";
    switch (v->kind) {
    case GQL_V_NULL:
        return "null";
    case GQL_V_BOOL:
        return "boolean";
    case GQL_V_INT:
    case GQL_V_FLOAT:
        return "number";
    case GQL_V_STRING:
        return "string";
    case GQL_V_LIST:
        return "array";
    default:
        return "object";
    }
}

/* ---- equality ---------------------------------------------------------- */

typedef struct pair {
    const gql_value_t *a, *b;
} pair_t;

typedef struct worklist {
    pair_t *items;
    size_t n, cap;
} worklist_t;

static bool push(worklist_t *w, const gql_value_t *a, const gql_value_t *b)
{
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 64;
        pair_t *p = realloc(w->items, cap * sizeof *p);
        if (!p)
            return false;
        w->items = p;
        w->cap = cap;
    }
    w->items[w->n++] = (pair_t){a, b};
    return true;
}

static bool int_eq_float(int64_t i, double d)
{
    /* The range check comes first: converting an out-of-range double to an
     * integer is undefined behaviour. 2^63 is exact as a double. */
    if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0) || d != trunc(d))
        return false;
    return (int64_t)d == i;
}

static bool number_eq(const gql_value_t *a, const gql_value_t *b)
{
    if (a->kind == GQL_V_INT && b->kind == GQL_V_INT)
        return a->u.i == b->u.i;
    if (a->kind == GQL_V_INT)
        return int_eq_float(a->u.i, b->u.f);
    if (b->kind == GQL_V_INT)
        return int_eq_float(b->u.i, a->u.f);
    if (isnan(a->u.f) && isnan(b->u.f))
        return true;
    return a->u.f == b->u.f;
}

/* Number of distinct keys, counting each key at its last occurrence. */
static size_t distinct_keys(const gql_value_t *v)
{
    size_t n = 0;
    for (size_t i = 0; i < v->u.obj.n; i++)
        if (last_index(v, v->u.obj.members[i].key) == (ptrdiff_t)i)
            n++;
    return n;
}

/* Objects up to this size compare by linear search; larger ones by sorting
 * their members, which keeps the cost O(n log n). */
#define SMALL_OBJECT 32

static int cmp_member(const void *x, const void *y)
{
    const gql_member_t *a = *(const gql_member_t *const *)x, *b = *(const gql_member_t *const *)y;
    size_t n = a->key.len < b->key.len ? a->key.len : b->key.len;
    int c = n ? memcmp(a->key.base, b->key.base, n) : 0;
    if (c == 0)
        c = (a->key.len > b->key.len) - (a->key.len < b->key.len);
    /* Members are in one array, so address order is position order. */
    return c ? c : (a > b) - (a < b);
}

/* Sorts the members by key and keeps the last occurrence of each key.
 * Returns the number kept, or (size_t)-1 when memory runs out. */
static size_t sorted_unique(const gql_value_t *v, const gql_member_t ***out)
{
    size_t n = v->u.obj.n, m = 0;
    const gql_member_t **s = n ? malloc(n * sizeof *s) : NULL;
    *out = s;
    if (n && !s)
        return (size_t)-1;
    for (size_t i = 0; i < n; i++)
        s[i] = &v->u.obj.members[i];
    if (n > 1)
        qsort(s, n, sizeof *s, cmp_member);
    for (size_t i = 0; i < n; i++) {
        if (i + 1 < n && key_eq(s[i]->key, s[i + 1]->key))
            continue;
        s[m++] = s[i];
    }
    return m;
}

static bool push_sorted(worklist_t *w, const gql_value_t *a, const gql_value_t *b, bool *oom)
{
    const gql_member_t **sa, **sb;
    size_t na = sorted_unique(a, &sa), nb = sorted_unique(b, &sb);
    bool eq = na != (size_t)-1 && nb != (size_t)-1 && na == nb;
    *oom = na == (size_t)-1 || nb == (size_t)-1;
    for (size_t i = 0; eq && i < na; i++) {
        eq = key_eq(sa[i]->key, sb[i]->key);
        if (eq && !push(w, sa[i]->value, sb[i]->value)) {
            eq = false;
            *oom = true;
        }
    }
    free(sa);
    free(sb);
    return eq;
}

/* Queues the member pairs of two objects; false when they differ in keys. */
static bool push_objects(worklist_t *w, const gql_value_t *a, const gql_value_t *b, bool *oom)
{
    if (a->u.obj.n > SMALL_OBJECT || b->u.obj.n > SMALL_OBJECT)
        return push_sorted(w, a, b, oom);
    if (distinct_keys(a) != distinct_keys(b))
        return false;
    for (size_t i = 0; i < a->u.obj.n; i++) {
        const gql_member_t *m = &a->u.obj.members[i];
        if (last_index(a, m->key) != (ptrdiff_t)i)
            continue;
        ptrdiff_t j = last_index(b, m->key);
        if (j < 0)
            return false;
        if (!push(w, m->value, b->u.obj.members[j].value)) {
            *oom = true;
            return false;
        }
    }
    return true;
}

/* Compares two values shallowly, queueing their children. */
static bool step(worklist_t *w, const gql_value_t *a, const gql_value_t *b, bool *oom)
{
    if (!a)
        a = &gql_value_null;
    if (!b)
        b = &gql_value_null;
    bool an = a->kind == GQL_V_INT || a->kind == GQL_V_FLOAT;
    bool bn = b->kind == GQL_V_INT || b->kind == GQL_V_FLOAT;
    if (an && bn)
        return number_eq(a, b);
    if (a->kind != b->kind)
        return false;
    switch (a->kind) {
    case GQL_V_NULL:
        return true;
    case GQL_V_BOOL:
        return a->u.b == b->u.b;
    case GQL_V_STRING:
        return key_eq(a->u.s, b->u.s);
    case GQL_V_LIST:
        if (a->u.list.n != b->u.list.n)
            return false;
        for (size_t i = 0; i < a->u.list.n; i++) {
            if (!push(w, a->u.list.items[i], b->u.list.items[i])) {
                *oom = true;
                return false;
            }
        }
        return true;
    case GQL_V_OBJECT:
        return push_objects(w, a, b, oom);
    default:
        return false;
    }
}

bool gql_value_equal(const gql_value_t *a, const gql_value_t *b)
{
    worklist_t w = {0};
    bool oom = false, eq = push(&w, a, b);
    while (eq && w.n > 0) {
        pair_t p = w.items[--w.n];
        eq = step(&w, p.a, p.b, &oom);
    }
    free(w.items);
    return eq && !oom;
}
