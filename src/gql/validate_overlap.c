/* OverlappingFieldsCanBeMerged ("Field Selection Merging" in the
 * specification) as graphql-js 16 runs it: fields of a selection set and of
 * the fragments it spreads are collected once per (parent type, selection
 * set) and compared by response name; fragment pairs, fragment/field-set
 * pairs, overlapping name lists and field comparisons are memoized so the
 * work stays polynomial, and a complexity budget stops pathological
 * documents with "Validation aborted.". */
#include <stdlib.h>
#include <string.h>

#include "gql/validate_internal.h"

#define NAMEF(s)              (int)(s).len, (s).base
#define MAX_DETAIL_LENGTH     1000
#define MAX_CONFLICT_NODES    20
#define MAX_COMPLEXITY_BUDGET 500000

typedef struct detail {
    const gql_type_t *parent; /* any type, or NULL when unknown */
    const gql_ast_selection_t *node;
    const gql_field_t *def;
    bool simple_leaf;        /* no arguments and no selection set */
    gqlv__map_t comparisons; /* other detail -> reason (see reason_of) */
} detail_t;

typedef struct group {
    facet_str_t name;
    gqlv__vec_t details; /* detail_t */
} group_t;

typedef struct cfr {
    gqlv__vec_t groups; /* group_t, by first appearance of the response name */
    gqlv__map_t index;  /* response name -> group_t */
    gqlv__vec_t frags;  /* gql_ast_name_t of spread fragments, unique by name */
    gqlv__map_t frag_set;
    gqlv__map_t compared;    /* fragment name -> 1 + mutually exclusive */
    gqlv__map_t overlapping; /* other cfr -> gqlv__vec_t of overlap_t */
} cfr_t;

typedef struct overlap {
    const group_t *g1, *g2;
} overlap_t;

typedef struct conflict {
    facet_str_t name;
    const char *reason;
    gqlv__vec_t fields1, fields2; /* gql_ast_selection_t */
} conflict_t;

struct gqlv__overlap {
    gqlv__map_t cfrs;  /* (parent, selection set) -> cfr_t */
    gqlv__map_t pairs; /* fragment name -> map of fragment name -> 1 + exclusive */
    long budget;
};

typedef struct ptr_pair {
    const void *a, *b;
} ptr_pair_t;

static bool spend(gqlv__ctx_t *v, long cost)
{
    if (v->aborted)
        return false;
    v->overlap->budget -= cost;
    if (v->overlap->budget < 0) {
        gqlv__abort(v);
        return false;
    }
    return true;
}

static void *oom(gqlv__ctx_t *v)
{
    gqlv__oom(v);
    return NULL;
}

/* ---- collecting fields ---- */

static bool add_detail(gqlv__ctx_t *v, cfr_t *r, const gql_type_t *parent,
                       const gql_ast_selection_t *s)
{
    detail_t *d = FACET_ARENA_NEW(v->a, detail_t);
    if (!d)
        return false;
    d->parent = parent;
    d->node = s;
    if (parent && (parent->kind == GQL_OBJECT || parent->kind == GQL_INTERFACE))
        d->def = gql_type_field(parent, s->name.value);
    d->simple_leaf = s->nargs == 0 && !s->selection_set;
    gqlv__map_init(&d->comparisons, v->a);
    facet_str_t key = s->alias.value.len ? s->alias.value : s->name.value;
    group_t *g = gqlv__map_sget(&r->index, key);
    if (!g) {
        g = FACET_ARENA_NEW(v->a, group_t);
        if (!g || !gqlv__map_put(&r->index, key.base, key.len, g) ||
            !gqlv__vec_push(v->a, &r->groups, g))
            return false;
        g->name = key;
    }
    return gqlv__vec_push(v->a, &g->details, d);
}

static void collect_impl(gqlv__ctx_t *v, cfr_t *r, const gql_type_t *parent,
                         const gql_ast_selection_set_t *ss)
{
    if (!gqlv__enter(v))
        return;
    for (size_t i = 0; i < ss->nitems && !v->aborted; i++) {
        const gql_ast_selection_t *s = ss->items[i];
        if (s->kind == GQL_AST_FIELD) {
            if (!add_detail(v, r, parent, s))
                gqlv__oom(v);
        } else if (s->kind == GQL_AST_FRAGMENT_SPREAD) {
            facet_str_t n = s->name.value;
            if (!gqlv__map_sget(&r->frag_set, n) &&
                (!gqlv__map_put(&r->frag_set, n.base, n.len, (void *)s) ||
                 !gqlv__vec_push(v->a, &r->frags, &s->name)))
                gqlv__oom(v);
        } else if (s->selection_set) {
            const gql_type_t *t = s->type_condition.value.len
                                      ? gqlv__type_by_name(v, s->type_condition.value)
                                      : parent;
            collect_impl(v, r, t, s->selection_set);
        }
    }
    gqlv__leave(v);
}

static cfr_t *collect_fields(gqlv__ctx_t *v, const gql_type_t *parent,
                             const gql_ast_selection_set_t *ss)
{
    ptr_pair_t key = {parent, ss};
    cfr_t *r = gqlv__map_get(&v->overlap->cfrs, &key, sizeof key);
    if (r)
        return r;
    r = FACET_ARENA_NEW(v->a, cfr_t);
    if (!r || !gqlv__map_put(&v->overlap->cfrs, &key, sizeof key, r))
        return oom(v);
    gqlv__map_init(&r->index, v->a);
    gqlv__map_init(&r->frag_set, v->a);
    gqlv__map_init(&r->compared, v->a);
    gqlv__map_init(&r->overlapping, v->a);
    collect_impl(v, r, parent, ss);
    return v->aborted ? NULL : r;
}

static cfr_t *collect_fragment_fields(gqlv__ctx_t *v, const gql_ast_fragment_t *f)
{
    if (!f->selection_set)
        return NULL;
    return collect_fields(v, gqlv__type_by_name(v, f->type_condition.value), f->selection_set);
}

/* ---- comparing ---- */

static bool push_conflict(gqlv__ctx_t *v, gqlv__vec_t *conflicts, conflict_t *c)
{
    if (c && !gqlv__vec_push(v->a, conflicts, c)) {
        gqlv__oom(v);
        return false;
    }
    return true;
}

static conflict_t *new_conflict(gqlv__ctx_t *v, facet_str_t name, const char *reason,
                                const gql_ast_selection_t *n1, const gql_ast_selection_t *n2)
{
    conflict_t *c = FACET_ARENA_NEW(v->a, conflict_t);
    if (!c || !gqlv__vec_push(v->a, &c->fields1, n1) || !gqlv__vec_push(v->a, &c->fields2, n2))
        return oom(v);
    c->name = name;
    c->reason = reason;
    return c;
}

static void abbreviate(gqlv__sb_t *sb, const char *text, size_t len)
{
    if (len > MAX_DETAIL_LENGTH) {
        gqlv__sb_add(sb, text, MAX_DETAIL_LENGTH);
        gqlv__sb_cstr(sb, "...");
    } else {
        gqlv__sb_add(sb, text, len);
    }
}

static int cmp_fields(const void *x, const void *y)
{
    const gql_ast_object_field_t *const *a = x, *const *b = y;
    facet_str_t na = (*a)->name.value, nb = (*b)->name.value;
    size_t n = na.len < nb.len ? na.len : nb.len;
    int c = memcmp(na.base, nb.base, n);
    if (!c)
        c = (na.len > nb.len) - (na.len < nb.len);
    /* Ties keep source order, as JavaScript's stable sort does. */
    return c ? c : (*a < *b ? -1 : *a > *b);
}

static bool values_equal(gqlv__ctx_t *v, const gql_ast_value_t *a, const gql_ast_value_t *b);

static bool objects_equal(gqlv__ctx_t *v, const gql_ast_value_t *a, const gql_ast_value_t *b)
{
    if (a->nfields != b->nfields)
        return false;
    size_t n = a->nfields;
    const gql_ast_object_field_t **fa =
        FACET_ARENA_ARRAY(v->a, const gql_ast_object_field_t *, n + 1);
    const gql_ast_object_field_t **fb =
        FACET_ARENA_ARRAY(v->a, const gql_ast_object_field_t *, n + 1);
    if (!fa || !fb)
        return oom(v), false;
    for (size_t i = 0; i < n; i++) {
        fa[i] = &a->fields[i];
        fb[i] = &b->fields[i];
    }
    qsort(fa, n, sizeof *fa, cmp_fields);
    qsort(fb, n, sizeof *fb, cmp_fields);
    for (size_t i = 0; i < n; i++) {
        if (!facet_str_eq(fa[i]->name.value, fb[i]->name.value) ||
            !values_equal(v, fa[i]->value, fb[i]->value))
            return false;
    }
    return true;
}

/* Equality of graphql-js' stringifyValue: object fields in name order,
 * strings with their block flag, numbers as written. */
static bool values_equal(gqlv__ctx_t *v, const gql_ast_value_t *a, const gql_ast_value_t *b)
{
    if (a->kind != b->kind || !gqlv__enter(v))
        return false;
    bool eq = true;
    switch (a->kind) {
    case GQL_AST_BOOLEAN:
        eq = a->boolean == b->boolean;
        break;
    case GQL_AST_NULL:
        break;
    case GQL_AST_STRING:
        eq = a->block == b->block && facet_str_eq(a->text, b->text);
        break;
    case GQL_AST_LIST:
        eq = a->nitems == b->nitems;
        for (size_t i = 0; eq && i < a->nitems; i++)
            eq = values_equal(v, a->items[i], b->items[i]);
        break;
    case GQL_AST_OBJECT:
        eq = objects_equal(v, a, b);
        break;
    default:
        eq = facet_str_eq(a->text, b->text);
        break;
    }
    gqlv__leave(v);
    return eq;
}

static const gql_ast_argument_t *last_arg(const gql_ast_selection_t *s, facet_str_t name)
{
    for (size_t i = s->nargs; i > 0; i--) {
        if (facet_str_eq(s->args[i - 1].name.value, name))
            return &s->args[i - 1];
    }
    return NULL;
}

static bool same_arguments(gqlv__ctx_t *v, const gql_ast_selection_t *a,
                           const gql_ast_selection_t *b)
{
    if (a->nargs != b->nargs)
        return false;
    for (size_t i = 0; i < a->nargs; i++) {
        if (!spend(v, 1))
            return false;
        const gql_ast_argument_t *other = last_arg(b, a->args[i].name.value);
        if (!other || !values_equal(v, a->args[i].value, other->value))
            return false;
    }
    return true;
}

/* The same type object in graphql-js: a named type, or one field's type. */
static bool same_type(const gql_type_ref_t *a, const gql_type_ref_t *b)
{
    return a == b ||
           (a && b && a->kind == GQL_REF_NAMED && b->kind == GQL_REF_NAMED && a->named == b->named);
}

static bool types_conflict(gqlv__ctx_t *v, const gql_type_ref_t *a, const gql_type_ref_t *b)
{
    if (same_type(a, b) || !spend(v, 1))
        return false;
    if (a->kind == GQL_REF_LIST)
        return b->kind == GQL_REF_LIST ? types_conflict(v, a->of, b->of) : true;
    if (b->kind == GQL_REF_LIST)
        return true;
    if (a->kind == GQL_REF_NON_NULL)
        return b->kind == GQL_REF_NON_NULL ? types_conflict(v, a->of, b->of) : true;
    if (b->kind == GQL_REF_NON_NULL)
        return true;
    if (gql_type_is_leaf(a->named) || gql_type_is_leaf(b->named))
        return a->named != b->named;
    return false;
}

/* Why two fields of one response name cannot merge, ignoring their types
 * and subfields; "" when they can. Memoized per pair as graphql-js does. */
static const char *reason_of(gqlv__ctx_t *v, detail_t *d1, detail_t *d2)
{
    const char *r = gqlv__map_get(&d1->comparisons, &d2, sizeof d2);
    if (r)
        return r;
    facet_str_t n1 = d1->node->name.value, n2 = d2->node->name.value;
    gqlv__sb_t sb;
    gqlv__sb_init(&sb, v->a);
    if (!facet_str_eq(n1, n2)) {
        gqlv__sb_add(&sb, "\"", 1);
        abbreviate(&sb, n1.base, n1.len);
        gqlv__sb_cstr(&sb, "\" and \"");
        abbreviate(&sb, n2.base, n2.len);
        gqlv__sb_cstr(&sb, "\" are different fields");
    } else if (!same_arguments(v, d1->node, d2->node)) {
        gqlv__sb_cstr(&sb, "they have differing arguments");
    }
    if (v->aborted)
        return "";
    r = sb.len ? gqlv__sb_cstr_of(&sb) : "";
    if (!gqlv__map_put(&d1->comparisons, &d2, sizeof d2, (void *)r))
        gqlv__oom(v);
    return r;
}

static void between_subsets(gqlv__ctx_t *v, gqlv__vec_t *out, bool excl, const gql_type_t *p1,
                            const gql_ast_selection_set_t *s1, const gql_type_t *p2,
                            const gql_ast_selection_set_t *s2);

static conflict_t *subfield_conflict(gqlv__ctx_t *v, const gqlv__vec_t *subs, facet_str_t name,
                                     const gql_ast_selection_t *n1, const gql_ast_selection_t *n2)
{
    gqlv__sb_t msg;
    gqlv__sb_init(&msg, v->a);
    for (size_t i = 0; i < subs->n; i++) {
        const conflict_t *c = subs->items[i];
        if (msg.len)
            gqlv__sb_cstr(&msg, " and ");
        gqlv__sb_cstr(&msg, "subfields \"");
        abbreviate(&msg, c->name.base, c->name.len);
        gqlv__sb_printf(&msg, "\" conflict because %s", c->reason);
        if (msg.len > MAX_DETAIL_LENGTH)
            break;
    }
    gqlv__sb_t reason;
    gqlv__sb_init(&reason, v->a);
    abbreviate(&reason, gqlv__sb_cstr_of(&msg), msg.len);
    conflict_t *c = new_conflict(v, name, gqlv__sb_cstr_of(&reason), n1, n2);
    if (!c)
        return NULL;
    /* The deepest nodes are kept when the list is cut. */
    for (int side = 0; side < 2; side++) {
        gqlv__vec_t *nodes = side ? &c->fields2 : &c->fields1;
        for (size_t i = 0; i < subs->n; i++) {
            const conflict_t *sub = subs->items[i];
            const gqlv__vec_t *from = side ? &sub->fields2 : &sub->fields1;
            size_t room = MAX_CONFLICT_NODES - nodes->n;
            size_t start = from->n > room ? from->n - room : 0;
            for (size_t k = start; k < from->n; k++) {
                if (!gqlv__vec_push(v->a, nodes, from->items[k]))
                    return oom(v);
            }
            if (nodes->n == MAX_CONFLICT_NODES)
                break;
        }
    }
    return c;
}

static conflict_t *find_conflict(gqlv__ctx_t *v, bool parents_excl, facet_str_t name, detail_t *d1,
                                 detail_t *d2)
{
    const gql_ast_selection_t *n1 = d1->node, *n2 = d2->node;
    bool excl = parents_excl || (d1->parent != d2->parent && d1->parent && d2->parent &&
                                 d1->parent->kind == GQL_OBJECT && d2->parent->kind == GQL_OBJECT);
    if (!spend(v, 2))
        return NULL;
    const gql_type_ref_t *t1 = d1->def ? d1->def->type : NULL;
    const gql_type_ref_t *t2 = d2->def ? d2->def->type : NULL;
    if (d1->simple_leaf && d2->simple_leaf && (same_type(t1, t2) || (!t1 && !t2)) &&
        facet_str_eq(n1->name.value, n2->name.value))
        return NULL;
    if (!excl) {
        const char *reason = reason_of(v, d1, d2);
        if (*reason)
            return new_conflict(v, name, reason, n1, n2);
    }
    if (t1 && t2 && types_conflict(v, t1, t2)) {
        gqlv__sb_t sb;
        gqlv__sb_init(&sb, v->a);
        gqlv__sb_cstr(&sb, "they return conflicting types \"");
        gqlv__sb_type(&sb, t1);
        gqlv__sb_cstr(&sb, "\" and \"");
        gqlv__sb_type(&sb, t2);
        gqlv__sb_cstr(&sb, "\"");
        return new_conflict(v, name, gqlv__sb_cstr_of(&sb), n1, n2);
    }
    if (!n1->selection_set || !n2->selection_set || v->aborted || !gqlv__enter(v))
        return NULL;
    gqlv__vec_t subs = {0};
    between_subsets(v, &subs, excl, gqlv__named(t1), n1->selection_set, gqlv__named(t2),
                    n2->selection_set);
    gqlv__leave(v);
    if (!subs.n || v->aborted)
        return NULL;
    return subfield_conflict(v, &subs, name, n1, n2);
}

static const gqlv__vec_t *overlapping(gqlv__ctx_t *v, cfr_t *r1, cfr_t *r2)
{
    gqlv__vec_t *list = gqlv__map_get(&r1->overlapping, &r2, sizeof r2);
    if (list)
        return list;
    list = FACET_ARENA_NEW(v->a, gqlv__vec_t);
    if (!list)
        return oom(v);
    for (size_t i = 0; i < r1->groups.n; i++) {
        if (!spend(v, 1))
            return NULL;
        const group_t *g1 = r1->groups.items[i];
        const group_t *g2 = gqlv__map_sget(&r2->index, g1->name);
        if (!g2)
            continue;
        overlap_t *o = FACET_ARENA_NEW(v->a, overlap_t);
        if (!o || !gqlv__vec_push(v->a, list, o))
            return oom(v);
        o->g1 = g1;
        o->g2 = g2;
    }
    if (!gqlv__map_put(&r1->overlapping, &r2, sizeof r2, list))
        return oom(v);
    return list;
}

static void between(gqlv__ctx_t *v, gqlv__vec_t *out, bool excl, cfr_t *r1, cfr_t *r2)
{
    if (!r1->groups.n || !r2->groups.n)
        return;
    const gqlv__vec_t *list = overlapping(v, r1, r2);
    for (size_t i = 0; list && i < list->n && !v->aborted; i++) {
        const overlap_t *o = list->items[i];
        for (size_t a = 0; a < o->g1->details.n && !v->aborted; a++) {
            for (size_t b = 0; b < o->g2->details.n && !v->aborted; b++) {
                detail_t *d1 = (detail_t *)o->g1->details.items[a];
                detail_t *d2 = (detail_t *)o->g2->details.items[b];
                push_conflict(v, out, find_conflict(v, excl, o->g1->name, d1, d2));
            }
        }
    }
}

static void within(gqlv__ctx_t *v, gqlv__vec_t *out, cfr_t *r)
{
    for (size_t g = 0; g < r->groups.n && !v->aborted; g++) {
        const group_t *grp = r->groups.items[g];
        for (size_t i = 0; i < grp->details.n && !v->aborted; i++) {
            for (size_t j = i + 1; j < grp->details.n && !v->aborted; j++) {
                detail_t *d1 = (detail_t *)grp->details.items[i];
                detail_t *d2 = (detail_t *)grp->details.items[j];
                push_conflict(v, out, find_conflict(v, false, grp->name, d1, d2));
            }
        }
    }
}

static void fields_and_fragment(gqlv__ctx_t *v, gqlv__vec_t *out, bool excl, cfr_t *r,
                                facet_str_t frag_name)
{
    if (!spend(v, 1) || !r->groups.n)
        return;
    uintptr_t compared = (uintptr_t)gqlv__map_sget(&r->compared, frag_name);
    /* Only a comparison made without exclusivity covers both cases. */
    if (compared == 1 || (excl && compared == 2))
        return;
    if (!gqlv__map_put(&r->compared, frag_name.base, frag_name.len, (void *)(uintptr_t)(1 + excl)))
        return (void)oom(v);
    const gql_ast_fragment_t *f = gqlv__fragment(v, frag_name);
    cfr_t *r2 = f ? collect_fragment_fields(v, f) : NULL;
    if (!r2 || r2 == r || !gqlv__enter(v))
        return;
    between(v, out, excl, r, r2);
    for (size_t i = 0; i < r2->frags.n && !v->aborted; i++)
        fields_and_fragment(v, out, excl, r, ((const gql_ast_name_t *)r2->frags.items[i])->value);
    gqlv__leave(v);
}

/* graphql-js' PairSet: a pair seen without exclusivity covers both. */
static bool pair_seen(gqlv__ctx_t *v, facet_str_t a, facet_str_t b, bool excl)
{
    for (int k = 0; k < 2; k++) {
        gqlv__map_t *m = gqlv__map_sget(&v->overlap->pairs, k ? b : a);
        uintptr_t got = m ? (uintptr_t)gqlv__map_sget(m, k ? a : b) : 0;
        if (got && (excl || got == 1))
            return true;
    }
    return false;
}

static bool pair_add(gqlv__ctx_t *v, facet_str_t a, facet_str_t b, bool excl)
{
    gqlv__map_t *m = gqlv__map_sget(&v->overlap->pairs, a);
    if (!m) {
        m = FACET_ARENA_NEW(v->a, gqlv__map_t);
        if (!m || !gqlv__map_put(&v->overlap->pairs, a.base, a.len, m))
            return false;
        gqlv__map_init(m, v->a);
    }
    return gqlv__map_put(m, b.base, b.len, (void *)(uintptr_t)(1 + excl)) != NULL;
}

static void fragments_pair(gqlv__ctx_t *v, gqlv__vec_t *out, bool excl, facet_str_t n1,
                           facet_str_t n2)
{
    if (!spend(v, 2) || facet_str_eq(n1, n2) || pair_seen(v, n1, n2, excl))
        return;
    if (!pair_add(v, n1, n2, excl))
        return (void)oom(v);
    const gql_ast_fragment_t *f1 = gqlv__fragment(v, n1), *f2 = gqlv__fragment(v, n2);
    cfr_t *r1 = f1 ? collect_fragment_fields(v, f1) : NULL;
    cfr_t *r2 = f2 ? collect_fragment_fields(v, f2) : NULL;
    if (!r1 || !r2 || !gqlv__enter(v))
        return;
    between(v, out, excl, r1, r2);
    for (size_t i = 0; i < r2->frags.n && !v->aborted; i++)
        fragments_pair(v, out, excl, n1, ((const gql_ast_name_t *)r2->frags.items[i])->value);
    for (size_t i = 0; i < r1->frags.n && !v->aborted; i++)
        fragments_pair(v, out, excl, ((const gql_ast_name_t *)r1->frags.items[i])->value, n2);
    gqlv__leave(v);
}

static facet_str_t frag_at(const cfr_t *r, size_t i)
{
    return ((const gql_ast_name_t *)r->frags.items[i])->value;
}

static void between_subsets(gqlv__ctx_t *v, gqlv__vec_t *out, bool excl, const gql_type_t *p1,
                            const gql_ast_selection_set_t *s1, const gql_type_t *p2,
                            const gql_ast_selection_set_t *s2)
{
    cfr_t *r1 = collect_fields(v, p1, s1);
    cfr_t *r2 = r1 ? collect_fields(v, p2, s2) : NULL;
    if (!r2)
        return;
    between(v, out, excl, r1, r2);
    for (size_t i = 0; i < r2->frags.n && !v->aborted; i++)
        fields_and_fragment(v, out, excl, r1, frag_at(r2, i));
    for (size_t i = 0; i < r1->frags.n && !v->aborted; i++)
        fields_and_fragment(v, out, excl, r2, frag_at(r1, i));
    for (size_t i = 0; i < r1->frags.n && !v->aborted; i++) {
        for (size_t j = 0; j < r2->frags.n && !v->aborted; j++)
            fragments_pair(v, out, excl, frag_at(r1, i), frag_at(r2, j));
    }
}

static void report(gqlv__ctx_t *v, const conflict_t *c)
{
    size_t n = c->fields1.n + c->fields2.n;
    gql_loc_t *locs = FACET_ARENA_ARRAY(v->a, gql_loc_t, n + 1);
    gqlv__sb_t name;
    gqlv__sb_init(&name, v->a);
    abbreviate(&name, c->name.base, c->name.len);
    if (!locs)
        return (void)oom(v);
    for (size_t i = 0; i < n; i++) {
        const gql_ast_selection_t *s =
            i < c->fields1.n ? c->fields1.items[i] : c->fields2.items[i - c->fields1.n];
        locs[i] = s->loc;
    }
    gqlv__report(v, locs, n,
                 "Fields \"%s\" conflict because %s. Use different aliases on the fields to fetch "
                 "both if this was intentional.",
                 gqlv__sb_cstr_of(&name), c->reason);
}

void gqlv__rule_overlapping_fields(gqlv__ctx_t *v, const gql_type_t *parent,
                                   const gql_ast_selection_set_t *ss)
{
    if (ss->nitems == 0 || (ss->nitems == 1 && ss->items[0]->kind != GQL_AST_INLINE_FRAGMENT))
        return;
    if (!v->overlap) {
        v->overlap = FACET_ARENA_NEW(v->a, gqlv__overlap_t);
        if (!v->overlap)
            return (void)oom(v);
        gqlv__map_init(&v->overlap->cfrs, v->a);
        gqlv__map_init(&v->overlap->pairs, v->a);
        v->overlap->budget = MAX_COMPLEXITY_BUDGET;
    }
    gqlv__vec_t out = {0};
    cfr_t *r = collect_fields(v, parent, ss);
    if (!r)
        return;
    within(v, &out, r);
    if (r->frags.n && (r->groups.n || r->frags.n > 1)) {
        for (size_t i = 0; i < r->frags.n && !v->aborted; i++) {
            fields_and_fragment(v, &out, false, r, frag_at(r, i));
            for (size_t j = i + 1; j < r->frags.n && !v->aborted; j++)
                fragments_pair(v, &out, false, frag_at(r, i), frag_at(r, j));
        }
    }
    for (size_t i = 0; i < out.n && !v->aborted; i++)
        report(v, out.items[i]);
}
