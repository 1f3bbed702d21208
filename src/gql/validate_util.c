/* The validator's plumbing: hash maps and arrays in the scratch arena, error
 * reporting with graphql-js' error cap and work budgets, and the schema
 * questions the rules ask (type lookups, subtyping, overlap). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/str.h"
#include "gql/validate_internal.h"

/* ---- hash map ---- */

void gqlv__map_init(gqlv__map_t *m, facet_arena_t *a)
{
    memset(m, 0, sizeof *m);
    m->a = a;
}

static gqlv__map_entry_t *probe(const gqlv__map_t *m, const void *key, size_t len, uint64_t h)
{
    size_t mask = m->cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        gqlv__map_entry_t *e = &m->slots[i];
        if (!e->key)
            return e;
        if (e->hash == h && e->len == len && memcmp(e->key, key, len) == 0)
            return e;
    }
}

gqlv__map_entry_t *gqlv__map_find(const gqlv__map_t *m, const void *key, size_t len)
{
    if (!m->cap)
        return NULL;
    gqlv__map_entry_t *e = probe(m, key, len, facet_str_hash(facet_str(key, len)));
    return e->key ? e : NULL;
}

void *gqlv__map_get(const gqlv__map_t *m, const void *key, size_t len)
{
    gqlv__map_entry_t *e = gqlv__map_find(m, key, len);
    return e ? e->value : NULL;
}

static bool grow(gqlv__map_t *m)
{
    size_t cap = m->cap ? m->cap * 2 : 16;
    gqlv__map_entry_t *slots = FACET_ARENA_ARRAY(m->a, gqlv__map_entry_t, cap);
    if (!slots)
        return false;
    gqlv__map_t n = {m->a, slots, cap, m->count};
    for (size_t i = 0; i < m->cap; i++) {
        if (m->slots[i].key)
            *probe(&n, m->slots[i].key, m->slots[i].len, m->slots[i].hash) = m->slots[i];
    }
    *m = n;
    return true;
}

gqlv__map_entry_t *gqlv__map_put(gqlv__map_t *m, const void *key, size_t len, void *value)
{
    if ((m->count + 1) * 10 > m->cap * 7 && !grow(m))
        return NULL;
    uint64_t h = facet_str_hash(facet_str(key, len));
    gqlv__map_entry_t *e = probe(m, key, len, h);
    if (!e->key) {
        /* A key of length 0 still needs a non-NULL pointer to mark the slot. */
        char *copy = facet_arena_alloc(m->a, len + 1);
        if (!copy)
            return NULL;
        if (len)
            memcpy(copy, key, len);
        copy[len] = '\0';
        e->key = copy;
        e->len = len;
        e->hash = h;
        m->count++;
    }
    e->value = value;
    return e;
}

bool gqlv__vec_push(facet_arena_t *a, gqlv__vec_t *v, const void *p)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 8;
        const void **items = FACET_ARENA_ARRAY(a, const void *, cap);
        if (!items)
            return false;
        if (v->n)
            memcpy(items, v->items, v->n * sizeof *items);
        v->items = items;
        v->cap = cap;
    }
    v->items[v->n++] = p;
    return true;
}

/* ---- reporting ---- */

void gqlv__oom(gqlv__ctx_t *v)
{
    v->oom = true;
    v->aborted = true;
}

/* A list capped by its owner drops errors quietly; only a failed
 * allocation below the cap is memory exhaustion. */
static void check_added(gqlv__ctx_t *v, const gql_error_t *e)
{
    if (!e && !(v->errors->max && v->errors->count >= v->errors->max))
        gqlv__oom(v);
}

void gqlv__abort(gqlv__ctx_t *v)
{
    if (v->aborted)
        return;
    v->aborted = true;
    check_added(
        v, gql_error_add(v->errors, GQL_CODE_VALIDATION_FAILED, NULL, 0, "Validation aborted."));
}

void gqlv__report(gqlv__ctx_t *v, const gql_loc_t *locs, size_t nlocs, const char *fmt, ...)
{
    if (v->aborted)
        return;
    if (v->nerrors >= v->max_errors) {
        v->aborted = true;
        check_added(v, gql_error_add(v->errors, GQL_CODE_VALIDATION_FAILED, NULL, 0,
                                     "Too many validation errors, error limit reached. "
                                     "Validation aborted."));
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    gql_error_t *e = gql_error_addv(v->errors, GQL_CODE_VALIDATION_FAILED, locs, nlocs, fmt, ap);
    va_end(ap);
    check_added(v, e);
    v->nerrors++;
}

bool gqlv__spend_fragment_work(gqlv__ctx_t *v, size_t cost)
{
    if ((unsigned long)v->fragment_work < cost) {
        v->fragment_work = -1;
        gqlv__abort(v);
        return false;
    }
    v->fragment_work -= (long)cost;
    return !v->aborted;
}

bool gqlv__enter(gqlv__ctx_t *v)
{
    if (v->aborted)
        return false;
    if (v->depth >= GQL__VAL_MAX_RECURSION) {
        gqlv__abort(v);
        return false;
    }
    v->depth++;
    return true;
}

/* ---- schema helpers ---- */

gql_type_t *gqlv__type_by_name(const gqlv__ctx_t *v, facet_str_t name)
{
    gql_type_t *t = gql_schema_type(v->schema, name);
    if (!t || t->index >= v->schema->ntypes || v->schema->types[t->index] != t)
        return NULL;
    return t;
}

const gql_type_ref_t *gqlv__named_ref(const gqlv__ctx_t *v, const gql_type_t *t)
{
    if (!t || t->index >= v->schema->ntypes)
        return NULL;
    return &v->named_refs[t->index];
}

const gql_type_ref_t *gqlv__type_from_ast(gqlv__ctx_t *v, const gql_ast_type_t *t)
{
    if (!t)
        return NULL;
    if (t->kind == GQL_AST_NAMED_TYPE)
        return gqlv__named_ref(v, gqlv__type_by_name(v, t->name.value));
    const gql_type_ref_t *inner = gqlv__type_from_ast(v, t->of_type);
    if (!inner)
        return NULL;
    gql_type_ref_t *r = FACET_ARENA_NEW(v->a, gql_type_ref_t);
    if (!r) {
        gqlv__oom(v);
        return NULL;
    }
    r->kind = t->kind == GQL_AST_LIST_TYPE ? GQL_REF_LIST : GQL_REF_NON_NULL;
    r->of = inner;
    return r;
}

const gql_type_t *gqlv__named(const gql_type_ref_t *t)
{
    while (t && t->kind != GQL_REF_NAMED)
        t = t->of;
    return t ? t->named : NULL;
}

bool gqlv__is_input_ref(const gql_type_ref_t *t)
{
    const gql_type_t *n = gqlv__named(t);
    return n && gql_type_is_input(n);
}

bool gqlv__is_sub_type(const gql_type_t *abstract, const gql_type_t *t)
{
    if (!abstract || !t)
        return false;
    if (abstract->kind == GQL_UNION) {
        for (size_t i = 0; i < abstract->npossible; i++) {
            if (abstract->possible[i] == t)
                return true;
        }
        return false;
    }
    if (abstract->kind != GQL_INTERFACE || (t->kind != GQL_OBJECT && t->kind != GQL_INTERFACE))
        return false;
    for (size_t i = 0; i < t->ninterfaces; i++) {
        if (t->interfaces[i] == abstract)
            return true;
    }
    return false;
}

bool gqlv__do_types_overlap(const gql_type_t *a, const gql_type_t *b)
{
    if (a == b)
        return true;
    if (gql_type_is_abstract(a)) {
        if (gql_type_is_abstract(b)) {
            for (size_t i = 0; i < a->npossible; i++) {
                if (gqlv__is_sub_type(b, a->possible[i]))
                    return true;
            }
            return false;
        }
        return gqlv__is_sub_type(a, b);
    }
    if (gql_type_is_abstract(b))
        return gqlv__is_sub_type(b, a);
    return false;
}

bool gqlv__is_type_sub_type_of(const gql_type_ref_t *sub, const gql_type_ref_t *super)
{
    if (super->kind == GQL_REF_NON_NULL) {
        if (sub->kind == GQL_REF_NON_NULL)
            return gqlv__is_type_sub_type_of(sub->of, super->of);
        return false;
    }
    if (sub->kind == GQL_REF_NON_NULL)
        return gqlv__is_type_sub_type_of(sub->of, super);
    if (super->kind == GQL_REF_LIST) {
        if (sub->kind == GQL_REF_LIST)
            return gqlv__is_type_sub_type_of(sub->of, super->of);
        return false;
    }
    if (sub->kind == GQL_REF_LIST)
        return false;
    if (sub->named == super->named)
        return true;
    return gql_type_is_abstract(super->named) &&
           (sub->named->kind == GQL_INTERFACE || sub->named->kind == GQL_OBJECT) &&
           gqlv__is_sub_type(super->named, sub->named);
}

const gql_field_t *gqlv__field_def(const gqlv__ctx_t *v, const gql_type_t *parent, facet_str_t name)
{
    if (!parent)
        return NULL;
    if (parent == v->schema->query) {
        if (facet_str_eq(name, FACET_STR_LIT("__schema")) && v->meta_schema.type)
            return &v->meta_schema;
        if (facet_str_eq(name, FACET_STR_LIT("__type")) && v->meta_type.type)
            return &v->meta_type;
    }
    if (facet_str_eq(name, FACET_STR_LIT("__typename")) && gql_type_is_composite(parent))
        return &v->meta_typename;
    if (parent->kind == GQL_OBJECT || parent->kind == GQL_INTERFACE)
        return gql_type_field(parent, name);
    return NULL;
}

const gql_ast_fragment_t *gqlv__fragment(const gqlv__ctx_t *v, facet_str_t name)
{
    return gqlv__map_sget(&v->fragments, name);
}

/* Location bits are schema.h's: 1u << the location's index in gql/ast.h. */
const char *gqlv__location_name(uint32_t bit)
{
    for (unsigned i = 0; i < GQL_AST_DIRECTIVE_LOCATION_COUNT; i++) {
        if (bit == (1u << i))
            return gql_ast_directive_location_name(i);
    }
    return "";
}

uint32_t gqlv__location_bit(facet_str_t name)
{
    int i = gql_ast_directive_location_index(name);
    return i < 0 ? 0 : 1u << i;
}

const gql_input_value_t *gqlv__find_arg(const gql_input_value_t *args, size_t n, facet_str_t name)
{
    for (size_t i = 0; i < n; i++) {
        if (facet_str_eq(args[i].name, name))
            return &args[i];
    }
    return NULL;
}

bool gqlv__group_names(gqlv__ctx_t *v, const facet_str_t *names, size_t n, bool *first,
                       size_t *next)
{
    /* last[g] would need a map from name to its latest index; a small list
     * is scanned instead, a large one goes through a hash map. */
    gqlv__map_t last;
    gqlv__map_init(&last, v->a);
    for (size_t i = 0; i < n; i++) {
        first[i] = true;
        next[i] = n;
        size_t prev = n;
        if (n > 16) {
            gqlv__map_entry_t *e = gqlv__map_find(&last, names[i].base, names[i].len);
            if (e)
                prev = (size_t)(uintptr_t)e->value;
            if (!gqlv__map_put(&last, names[i].base, names[i].len, (void *)(uintptr_t)i)) {
                gqlv__oom(v);
                return false;
            }
        } else {
            for (size_t k = i; k > 0 && prev == n; k--) {
                if (facet_str_eq(names[k - 1], names[i]))
                    prev = k - 1;
            }
        }
        if (prev != n) {
            first[i] = false;
            next[prev] = i;
        }
    }
    return true;
}

/* Array.prototype.sort as V8 runs it on arrays this small: the leading run
 * (reversed when descending), then binary insertion. The order matters
 * because some of graphql-js' comparators are not total orders. */
void gqlv__sort(const void **items, size_t n, int (*cmp)(const void *, const void *, void *),
                void *ctx)
{
    if (n < 2)
        return;
    size_t run = 2;
    bool descending = cmp(items[1], items[0], ctx) < 0;
    for (; run < n; run++) {
        int order = cmp(items[run], items[run - 1], ctx);
        if (descending ? order >= 0 : order < 0)
            break;
    }
    if (descending) {
        for (size_t i = 0, j = run - 1; i < j; i++, j--) {
            const void *t = items[i];
            items[i] = items[j];
            items[j] = t;
        }
    }
    for (size_t start = run; start < n; start++) {
        const void *pivot = items[start];
        size_t left = 0, right = start;
        while (left < right) {
            size_t mid = left + ((right - left) >> 1);
            if (cmp(pivot, items[mid], ctx) < 0)
                right = mid;
            else
                left = mid + 1;
        }
        memmove(&items[left + 1], &items[left], (start - left) * sizeof *items);
        items[left] = pivot;
    }
}
