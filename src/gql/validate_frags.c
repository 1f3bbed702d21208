/* Document-level and fragment-graph rules: ExecutableDefinitions,
 * UniqueOperationNames, LoneAnonymousOperation, UniqueFragmentNames,
 * NoUnusedFragments and NoFragmentCycles, with the fragment bookkeeping of
 * graphql-js' ValidationContext (spreads per selection set, fragments
 * reachable from operations, variable usages through fragments) and its
 * work budget. */
#include <stdlib.h>
#include <string.h>

#include "gql/validate_internal.h"

#define NAMEF(s) (int)(s).len, (s).base

void gqlv__rule_executable_definitions(gqlv__ctx_t *v)
{
    for (size_t i = 0; i < v->doc->ndefinitions && !v->aborted; i++) {
        const gql_ast_definition_t *d = &v->doc->definitions[i];
        facet_str_t name;
        switch (d->kind) {
        case GQL_AST_OPERATION_DEF:
        case GQL_AST_FRAGMENT_DEF:
            continue;
        case GQL_AST_SCHEMA_DEF:
            gqlv__report(v, &d->loc, 1, "The schema definition is not executable.");
            continue;
        case GQL_AST_TYPE_DEF:
            name = d->u.type->name.value;
            break;
        case GQL_AST_DIRECTIVE_DEF:
        default:
            name = d->u.directive->name.value;
            break;
        }
        gqlv__report(v, &d->loc, 1, "The \"%.*s\" definition is not executable.", NAMEF(name));
    }
}

/* Reports a second definition of a name in a uniqueness map. */
static void check_unique_name(gqlv__ctx_t *v, gqlv__map_t *seen, const gql_ast_name_t *name,
                              const char *what)
{
    const gql_ast_name_t *first = gqlv__map_sget(seen, name->value);
    if (!first) {
        if (!gqlv__map_put(seen, name->value.base, name->value.len, (void *)name))
            gqlv__oom(v);
        return;
    }
    gql_loc_t locs[2] = {first->loc, name->loc};
    gqlv__report(v, locs, 2, "There can be only one %s named \"%.*s\".", what, NAMEF(name->value));
}

void gqlv__rule_unique_operation_name(gqlv__ctx_t *v, const gql_ast_operation_t *op)
{
    if (op->name.value.len)
        check_unique_name(v, &v->op_names, &op->name, "operation");
}

void gqlv__rule_lone_anonymous(gqlv__ctx_t *v, const gql_ast_operation_t *op)
{
    if (!op->name.value.len && v->operation_count > 1)
        gqlv__report(v, &op->loc, 1,
                     "This anonymous operation must be the only defined operation.");
}

void gqlv__rule_unique_fragment_name(gqlv__ctx_t *v, const gql_ast_fragment_t *f)
{
    check_unique_name(v, &v->frag_names, &f->name, "fragment");
}

const gqlv__vec_t *gqlv__fragment_spreads(gqlv__ctx_t *v, const gql_ast_selection_set_t *ss)
{
    gqlv__vec_t *spreads = gqlv__map_get(&v->spread_lists, &ss, sizeof ss);
    if (spreads)
        return spreads;
    spreads = FACET_ARENA_NEW(v->a, gqlv__vec_t);
    if (!spreads || !gqlv__map_put(&v->spread_lists, &ss, sizeof ss, spreads)) {
        gqlv__oom(v);
        return NULL;
    }
    /* Depth-first with a stack, as graphql-js does: a set's own spreads
     * first, then the nested sets, the last one first. */
    gqlv__vec_t stack = {0};
    if (!gqlv__vec_push(v->a, &stack, ss))
        goto oom;
    while (stack.n) {
        const gql_ast_selection_set_t *set = stack.items[--stack.n];
        for (size_t i = 0; i < set->nitems; i++) {
            const gql_ast_selection_t *s = set->items[i];
            if (s->kind == GQL_AST_FRAGMENT_SPREAD) {
                if (!gqlv__vec_push(v->a, spreads, s))
                    goto oom;
            } else if (s->selection_set && !gqlv__vec_push(v->a, &stack, s->selection_set)) {
                goto oom;
            }
        }
    }
    return spreads;
oom:
    gqlv__oom(v);
    return NULL;
}

/* Fragments reachable from a set of spread names, memoized on the set. */
typedef struct referenced {
    gqlv__vec_t fragments;  /* gql_ast_fragment_t, in graphql-js' order */
    gqlv__usages_t *usages; /* their variable usages, once computed */
} referenced_t;

static int cmp_names(const void *a, const void *b)
{
    const facet_str_t *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->base, y->base, n);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* The cache key of a set of names: sorted, one per line. */
static bool set_key(gqlv__ctx_t *v, const gqlv__vec_t *names, gqlv__sb_t *key)
{
    facet_str_t *sorted = FACET_ARENA_ARRAY(v->a, facet_str_t, names->n + 1);
    if (!sorted)
        return false;
    for (size_t i = 0; i < names->n; i++)
        sorted[i] = ((const gql_ast_name_t *)names->items[i])->value;
    qsort(sorted, names->n, sizeof *sorted, cmp_names);
    gqlv__sb_init(key, v->a);
    gqlv__sb_add(key, "#", 1);
    for (size_t i = 0; i < names->n; i++) {
        gqlv__sb_str(key, sorted[i]);
        gqlv__sb_add(key, "\n", 1);
    }
    return !key->oom;
}

/* Adds name to the set (vec plus membership map) unless present. */
static bool add_name(gqlv__ctx_t *v, gqlv__vec_t *names, gqlv__map_t *in,
                     const gql_ast_name_t *name)
{
    if (gqlv__map_sget(in, name->value))
        return true;
    return gqlv__map_put(in, name->value.base, name->value.len, (void *)name) &&
           gqlv__vec_push(v->a, names, name);
}

static referenced_t *referenced_fragments(gqlv__ctx_t *v, const gql_ast_operation_t *const *ops,
                                          size_t nops)
{
    gqlv__vec_t names = {0};
    gqlv__map_t in;
    gqlv__map_init(&in, v->a);
    for (size_t i = 0; i < nops; i++) {
        const gqlv__vec_t *spreads = gqlv__fragment_spreads(v, ops[i]->selection_set);
        for (size_t k = 0; spreads && k < spreads->n; k++) {
            const gql_ast_selection_t *s = spreads->items[k];
            if (!add_name(v, &names, &in, &s->name))
                goto oom;
        }
        if (!spreads)
            return NULL;
    }
    gqlv__sb_t key;
    if (!set_key(v, &names, &key))
        goto oom;
    referenced_t *r = gqlv__map_get(&v->ref_cache, key.buf, key.len);
    if (r)
        return r;
    r = FACET_ARENA_NEW(v->a, referenced_t);
    if (!r || !gqlv__map_put(&v->ref_cache, key.buf, key.len, r))
        goto oom;
    if (!gqlv__spend_fragment_work(v, names.n))
        return NULL;
    /* names grows while it is read, as a JavaScript Set does. */
    for (size_t i = 0; i < names.n; i++) {
        const gql_ast_fragment_t *f =
            gqlv__fragment(v, ((const gql_ast_name_t *)names.items[i])->value);
        if (!f)
            continue;
        if (!gqlv__vec_push(v->a, &r->fragments, f))
            goto oom;
        const gqlv__vec_t *spreads = gqlv__fragment_spreads(v, f->selection_set);
        if (!spreads || !gqlv__spend_fragment_work(v, spreads->n))
            return NULL;
        for (size_t k = 0; k < spreads->n; k++) {
            const gql_ast_selection_t *s = spreads->items[k];
            if (!add_name(v, &names, &in, &s->name))
                goto oom;
        }
    }
    return r;
oom:
    gqlv__oom(v);
    return NULL;
}

static bool append_usages(gqlv__ctx_t *v, gqlv__usages_t *to, const gqlv__usages_t *from)
{
    if (!from->n)
        return true;
    if (to->n + from->n > to->cap) {
        size_t cap = (to->n + from->n) * 2;
        gqlv__usage_t *items = FACET_ARENA_ARRAY(v->a, gqlv__usage_t, cap);
        if (!items)
            return false;
        if (to->n)
            memcpy(items, to->items, to->n * sizeof *items);
        to->items = items;
        to->cap = cap;
    }
    memcpy(to->items + to->n, from->items, from->n * sizeof *from->items);
    to->n += from->n;
    return true;
}

const gqlv__usages_t *gqlv__recursive_usages(gqlv__ctx_t *v, const gql_ast_operation_t *op)
{
    gqlv__usages_t *all = gqlv__map_get(&v->op_usages, &op, sizeof op);
    if (all)
        return all;
    referenced_t *r = referenced_fragments(v, &op, 1);
    if (!r)
        return NULL;
    if (!r->usages) {
        if (!gqlv__spend_fragment_work(v, r->fragments.n))
            return NULL;
        gqlv__usages_t *u = FACET_ARENA_NEW(v->a, gqlv__usages_t);
        if (!u)
            goto oom;
        for (size_t i = 0; i < r->fragments.n; i++) {
            const gqlv__usages_t *local = gqlv__usages_of(v, NULL, r->fragments.items[i]);
            if (!local || !gqlv__spend_fragment_work(v, local->n))
                return NULL;
            if (!append_usages(v, u, local))
                goto oom;
        }
        r->usages = u;
    }
    if (!gqlv__spend_fragment_work(v, r->usages->n))
        return NULL;
    const gqlv__usages_t *own = gqlv__usages_of(v, op, NULL);
    if (!own)
        return NULL;
    all = FACET_ARENA_NEW(v->a, gqlv__usages_t);
    if (!all || !append_usages(v, all, own) || !append_usages(v, all, r->usages) ||
        !gqlv__map_put(&v->op_usages, &op, sizeof op, all))
        goto oom;
    return all;
oom:
    gqlv__oom(v);
    return NULL;
}

void gqlv__rule_no_unused_fragments(gqlv__ctx_t *v)
{
    size_t nops = 0;
    const gql_ast_operation_t **ops =
        FACET_ARENA_ARRAY(v->a, const gql_ast_operation_t *, v->doc->ndefinitions + 1);
    if (!ops) {
        gqlv__oom(v);
        return;
    }
    for (size_t i = 0; i < v->doc->ndefinitions; i++) {
        if (v->doc->definitions[i].kind == GQL_AST_OPERATION_DEF)
            ops[nops++] = v->doc->definitions[i].u.operation;
    }
    referenced_t *r = referenced_fragments(v, ops, nops);
    if (!r)
        return;
    gqlv__map_t used;
    gqlv__map_init(&used, v->a);
    for (size_t i = 0; i < r->fragments.n; i++) {
        const gql_ast_fragment_t *f = r->fragments.items[i];
        if (!gqlv__map_put(&used, f->name.value.base, f->name.value.len, (void *)f)) {
            gqlv__oom(v);
            return;
        }
    }
    for (size_t i = 0; i < v->doc->ndefinitions && !v->aborted; i++) {
        const gql_ast_definition_t *d = &v->doc->definitions[i];
        if (d->kind != GQL_AST_FRAGMENT_DEF || gqlv__map_sget(&used, d->u.fragment->name.value))
            continue;
        gqlv__report(v, &d->u.fragment->loc, 1, "Fragment \"%.*s\" is never used.",
                     NAMEF(d->u.fragment->name.value));
    }
}

/* ---- NoFragmentCycles: graphql-js' depth-first search, without recursion ---- */

typedef struct cycle_frame {
    const gql_ast_fragment_t *frag;
    const gqlv__vec_t *spreads;
    size_t next;
} cycle_frame_t;

typedef struct cycle_search {
    gqlv__vec_t frames; /* cycle_frame_t */
    gqlv__vec_t path;   /* spread nodes */
    gqlv__map_t index;  /* fragment name -> 1 + its position in path, 0: not on it */
} cycle_search_t;

static void report_cycle(gqlv__ctx_t *v, cycle_search_t *cs, size_t from, facet_str_t name)
{
    size_t n = cs->path.n - from;
    gql_loc_t *locs = FACET_ARENA_ARRAY(v->a, gql_loc_t, n);
    gqlv__sb_t via;
    gqlv__sb_init(&via, v->a);
    if (!locs) {
        gqlv__oom(v);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const gql_ast_selection_t *s = cs->path.items[from + i];
        locs[i] = s->loc;
        if (i + 1 < n)
            gqlv__sb_printf(&via, "%s\"%.*s\"", i ? ", " : "", NAMEF(s->name.value));
    }
    if (via.len)
        gqlv__report(v, locs, n, "Cannot spread fragment \"%.*s\" within itself via %s.",
                     NAMEF(name), gqlv__sb_cstr_of(&via));
    else
        gqlv__report(v, locs, n, "Cannot spread fragment \"%.*s\" within itself.", NAMEF(name));
}

/* Starts the search of fragment f; false when there is nothing to search. */
static bool cycle_push(gqlv__ctx_t *v, cycle_search_t *cs, const gql_ast_fragment_t *f)
{
    facet_str_t name = f->name.value;
    if (gqlv__map_sget(&v->cycle_visited, name))
        return false;
    if (!gqlv__map_put(&v->cycle_visited, name.base, name.len, (void *)f))
        goto oom;
    const gqlv__vec_t *spreads = gqlv__fragment_spreads(v, f->selection_set);
    if (!spreads || spreads->n == 0)
        return false;
    cycle_frame_t *fr = FACET_ARENA_NEW(v->a, cycle_frame_t);
    if (!fr || !gqlv__map_put(&cs->index, name.base, name.len, (void *)(uintptr_t)(cs->path.n + 1)))
        goto oom;
    fr->frag = f;
    fr->spreads = spreads;
    if (!gqlv__vec_push(v->a, &cs->frames, fr))
        goto oom;
    return true;
oom:
    gqlv__oom(v);
    return false;
}

void gqlv__rule_no_fragment_cycles(gqlv__ctx_t *v, const gql_ast_fragment_t *f)
{
    cycle_search_t cs = {0};
    gqlv__map_init(&cs.index, v->a);
    if (!cycle_push(v, &cs, f))
        return;
    while (cs.frames.n && !v->aborted) {
        cycle_frame_t *fr = (cycle_frame_t *)cs.frames.items[cs.frames.n - 1];
        if (fr->next == fr->spreads->n) {
            facet_str_t name = fr->frag->name.value;
            gqlv__map_put(&cs.index, name.base, name.len, (void *)(uintptr_t)0);
            if (--cs.frames.n)
                cs.path.n--; /* the spread that led here */
            continue;
        }
        const gql_ast_selection_t *s = fr->spreads->items[fr->next++];
        uintptr_t at = (uintptr_t)gqlv__map_sget(&cs.index, s->name.value);
        if (!gqlv__vec_push(v->a, &cs.path, s)) {
            gqlv__oom(v);
            return;
        }
        if (at) {
            report_cycle(v, &cs, at - 1, s->name.value);
            cs.path.n--;
            continue;
        }
        const gql_ast_fragment_t *target = gqlv__fragment(v, s->name.value);
        if (!target || !cycle_push(v, &cs, target))
            cs.path.n--;
    }
}
