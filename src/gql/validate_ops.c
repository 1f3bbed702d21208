/* Rules that look through fragments from one place: SingleFieldSubscriptions
 * (the root fields a subscription would execute, collected as execution
 * does) and MaxIntrospectionDepth (graphql-js' guard against introspection
 * queries nesting fields/interfaces/possibleTypes/inputFields three
 * deep). */
#include <string.h>

#include "gql/validate_internal.h"

#define NAMEF(s) (int)(s).len, (s).base

/* ---- SingleFieldSubscriptions ---- */

typedef struct sub_fields {
    gqlv__map_t index; /* response key -> 1 + group number */
    gqlv__vec_t keys;  /* gqlv__vec_t of field nodes, one per key, in order */
    gqlv__map_t visited;
} sub_fields_t;

/* The literal value of argument "if" of the first directive named name, as
 * -1 (absent or not a boolean literal), 0 or 1. graphql-js throws where a
 * variable or a bad value is met; such a selection is kept here. */
static int directive_if(const gql_ast_selection_t *s, const char *name)
{
    for (size_t i = 0; i < s->ndirectives; i++) {
        const gql_ast_directive_t *d = &s->directives[i];
        if (!facet_str_eq(d->name.value, facet_str_c(name)))
            continue;
        int value = -1;
        for (size_t k = 0; k < d->nargs; k++) {
            if (facet_str_eq(d->args[k].name.value, FACET_STR_LIT("if")))
                value = d->args[k].value->kind == GQL_AST_BOOLEAN ? d->args[k].value->boolean : -1;
        }
        return value;
    }
    return -1;
}

static bool included(const gql_ast_selection_t *s)
{
    return directive_if(s, "skip") != 1 && directive_if(s, "include") != 0;
}

static bool condition_matches(gqlv__ctx_t *v, facet_str_t cond, const gql_type_t *runtime)
{
    if (!cond.len)
        return true;
    const gql_type_t *t = gqlv__type_by_name(v, cond);
    if (t == runtime)
        return true;
    return t && gql_type_is_abstract(t) && gqlv__is_sub_type(t, runtime);
}

static bool spend_selection_set(gqlv__ctx_t *v, const gql_ast_selection_set_t *ss)
{
    if (!gqlv__spend_fragment_work(v, ss->nitems))
        return false;
    for (size_t i = 0; i < ss->nitems; i++) {
        const gql_ast_selection_t *s = ss->items[i];
        if (!gqlv__spend_fragment_work(v, s->ndirectives))
            return false;
        for (size_t k = 0; k < s->ndirectives; k++) {
            facet_str_t n = s->directives[k].name.value;
            if ((facet_str_eq(n, FACET_STR_LIT("skip")) ||
                 facet_str_eq(n, FACET_STR_LIT("include"))) &&
                !gqlv__spend_fragment_work(v, s->directives[k].nargs))
                return false;
        }
    }
    return true;
}

static bool add_field(gqlv__ctx_t *v, sub_fields_t *sf, const gql_ast_selection_t *f)
{
    facet_str_t key = f->alias.value.len ? f->alias.value : f->name.value;
    uintptr_t at = (uintptr_t)gqlv__map_sget(&sf->index, key);
    if (!at) {
        gqlv__vec_t *group = FACET_ARENA_NEW(v->a, gqlv__vec_t);
        if (!group || !gqlv__vec_push(v->a, &sf->keys, group) ||
            !gqlv__map_put(&sf->index, key.base, key.len, (void *)(uintptr_t)sf->keys.n))
            return false;
        at = sf->keys.n;
    }
    return gqlv__vec_push(v->a, (gqlv__vec_t *)sf->keys.items[at - 1], f);
}

static void collect_root(gqlv__ctx_t *v, sub_fields_t *sf, const gql_ast_selection_set_t *ss)
{
    if (!gqlv__enter(v))
        return;
    if (!spend_selection_set(v, ss))
        goto done;
    const gql_type_t *root = v->schema->subscription;
    for (size_t i = 0; i < ss->nitems && !v->aborted; i++) {
        const gql_ast_selection_t *s = ss->items[i];
        if (s->kind == GQL_AST_FIELD) {
            if (included(s) && !add_field(v, sf, s))
                gqlv__oom(v);
        } else if (s->kind == GQL_AST_INLINE_FRAGMENT) {
            if (included(s) && condition_matches(v, s->type_condition.value, root) &&
                s->selection_set)
                collect_root(v, sf, s->selection_set);
        } else {
            facet_str_t name = s->name.value;
            if (gqlv__map_sget(&sf->visited, name) || !included(s))
                continue;
            if (!gqlv__map_put(&sf->visited, name.base, name.len, (void *)s)) {
                gqlv__oom(v);
                break;
            }
            const gql_ast_fragment_t *f = gqlv__fragment(v, name);
            if (f && condition_matches(v, f->type_condition.value, root) && f->selection_set)
                collect_root(v, sf, f->selection_set);
        }
    }
done:
    gqlv__leave(v);
}

static void report_nodes(gqlv__ctx_t *v, const gql_ast_operation_t *op, const gqlv__vec_t *nodes,
                         const char *what)
{
    gql_loc_t *locs = FACET_ARENA_ARRAY(v->a, gql_loc_t, nodes->n + 1);
    if (!locs) {
        gqlv__oom(v);
        return;
    }
    for (size_t i = 0; i < nodes->n; i++)
        locs[i] = ((const gql_ast_selection_t *)nodes->items[i])->loc;
    if (op->name.value.len)
        gqlv__report(v, locs, nodes->n, "Subscription \"%.*s\" %s", NAMEF(op->name.value), what);
    else
        gqlv__report(v, locs, nodes->n, "Anonymous Subscription %s", what);
}

void gqlv__rule_single_field_subscription(gqlv__ctx_t *v, const gql_ast_operation_t *op)
{
    if (op->operation != GQL_OP_SUBSCRIPTION || !v->schema->subscription || !op->selection_set)
        return;
    if (!v->sub_fragments_counted) {
        v->sub_fragments_counted = true;
        if (!gqlv__spend_fragment_work(v, v->doc->ndefinitions))
            return;
    }
    sub_fields_t sf = {0};
    gqlv__map_init(&sf.index, v->a);
    gqlv__map_init(&sf.visited, v->a);
    collect_root(v, &sf, op->selection_set);
    if (v->aborted)
        return;
    if (sf.keys.n > 1) {
        gqlv__vec_t extra = {0};
        for (size_t i = 1; i < sf.keys.n; i++) {
            const gqlv__vec_t *g = sf.keys.items[i];
            for (size_t k = 0; k < g->n; k++) {
                if (!gqlv__vec_push(v->a, &extra, g->items[k])) {
                    gqlv__oom(v);
                    return;
                }
            }
        }
        report_nodes(v, op, &extra, "must select only one top level field.");
    }
    for (size_t i = 0; i < sf.keys.n && !v->aborted; i++) {
        const gqlv__vec_t *g = sf.keys.items[i];
        const gql_ast_selection_t *f = g->items[0];
        if (f->name.value.len >= 2 && memcmp(f->name.value.base, "__", 2) == 0)
            report_nodes(v, op, g, "must not select an introspection top level field.");
    }
}

/* ---- MaxIntrospectionDepth ---- */

#define MAX_LISTS_DEPTH 3

static bool check_set(gqlv__ctx_t *v, const gql_ast_selection_set_t *ss, gqlv__map_t *visited,
                      size_t depth);

/* Depths are stored as depth + 1 so that 0 means absent. */
static bool depth_at(const gqlv__map_t *m, facet_str_t name, size_t *depth)
{
    uintptr_t d = (uintptr_t)gqlv__map_sget(m, name);
    *depth = d ? d - 1 : 0;
    return d != 0;
}

static bool set_depth(gqlv__ctx_t *v, gqlv__map_t *m, facet_str_t name, size_t depth)
{
    if (gqlv__map_put(m, name.base, name.len, (void *)(uintptr_t)(depth + 1)))
        return true;
    gqlv__oom(v);
    return false;
}

static bool check_spread(gqlv__ctx_t *v, const gql_ast_selection_t *s, gqlv__map_t *visited,
                         size_t depth)
{
    facet_str_t name = s->name.value;
    size_t d;
    if (depth_at(&v->mid_exceeded, name, &d) && d <= depth)
        return true;
    /* At equal or shallower entry depths a revisit cannot go deeper. */
    if ((depth_at(visited, name, &d) && d >= depth) ||
        (depth_at(&v->mid_checked, name, &d) && d >= depth))
        return false;
    const gql_ast_fragment_t *f = gqlv__fragment(v, name);
    if (!f || !set_depth(v, visited, name, depth))
        return false;
    if (f->selection_set && check_set(v, f->selection_set, visited, depth)) {
        set_depth(v, &v->mid_exceeded, name, depth);
        return true;
    }
    set_depth(v, &v->mid_checked, name, depth);
    return false;
}

static bool is_list_field(facet_str_t n)
{
    return facet_str_eq(n, FACET_STR_LIT("fields")) ||
           facet_str_eq(n, FACET_STR_LIT("interfaces")) ||
           facet_str_eq(n, FACET_STR_LIT("possibleTypes")) ||
           facet_str_eq(n, FACET_STR_LIT("inputFields"));
}

static bool check_set(gqlv__ctx_t *v, const gql_ast_selection_set_t *ss, gqlv__map_t *visited,
                      size_t depth)
{
    if (!gqlv__enter(v))
        return false;
    bool exceeded = false;
    for (size_t i = 0; i < ss->nitems && !exceeded && !v->aborted; i++) {
        const gql_ast_selection_t *s = ss->items[i];
        size_t d = depth;
        if (s->kind == GQL_AST_FRAGMENT_SPREAD) {
            exceeded = check_spread(v, s, visited, depth);
            continue;
        }
        if (s->kind == GQL_AST_FIELD && is_list_field(s->name.value) && ++d >= MAX_LISTS_DEPTH) {
            exceeded = true;
            continue;
        }
        if (s->selection_set)
            exceeded = check_set(v, s->selection_set, visited, d);
    }
    gqlv__leave(v);
    return exceeded;
}

bool gqlv__rule_max_introspection_depth(gqlv__ctx_t *v, const gql_ast_selection_t *f)
{
    if (!facet_str_eq(f->name.value, FACET_STR_LIT("__schema")) &&
        !facet_str_eq(f->name.value, FACET_STR_LIT("__type")))
        return true;
    gqlv__map_t visited;
    gqlv__map_init(&visited, v->a);
    if (!f->selection_set || !check_set(v, f->selection_set, &visited, 0))
        return true;
    gqlv__report(v, &f->loc, 1, "Maximum introspection depth exceeded");
    return false;
}
