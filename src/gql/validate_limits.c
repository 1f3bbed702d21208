/* Protection limits checked before an operation runs: depth, aliases, root
 * fields, directives per selection, tokens and cost (object and scalar
 * fields, list fields multiplied by their first/last/limit argument). Each
 * fragment is measured once per operation and reused at every spread, so
 * the check stays linear even for documents that expand exponentially. */
#include <string.h>

#include "core/error.h"
#include "gql/validate_internal.h"

/* How far fragments may nest inside one another while measuring. */
#define MAX_NESTING 1000

typedef struct stats {
    uint64_t depth;
    gql_loc_t deep_loc; /* the field that reaches depth */
    uint64_t aliases;
    uint64_t roots; /* fields at the top level of the measured set */
    uint64_t cost;
} stats_t;

typedef struct frag_memo {
    int state; /* 1: being measured (a cycle counts as empty), 2: done */
    stats_t stats;
} frag_memo_t;

typedef struct lctx {
    const gql_schema_t *schema;
    const gql_ast_document_t *doc;
    const gql_ast_operation_t *op;
    const gql_value_t *variables;
    const gql_limits_t *lim;
    facet_arena_t *a;
    gqlv__map_t defs;                   /* fragment name -> gql_ast_fragment_t */
    gqlv__map_t frags;                  /* fragment name -> frag_memo_t */
    const gql_ast_selection_t *dir_sel; /* first selection over the directive bound */
    unsigned nesting;
    bool too_nested;
    bool oom;
} lctx_t;

static uint64_t sat_add(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static uint64_t sat_mul(uint64_t a, uint64_t b)
{
    return b && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

static void merge(stats_t *acc, const stats_t *s)
{
    if (s->depth > acc->depth) {
        acc->depth = s->depth;
        acc->deep_loc = s->deep_loc;
    }
    acc->aliases = sat_add(acc->aliases, s->aliases);
    acc->roots = sat_add(acc->roots, s->roots);
    acc->cost = sat_add(acc->cost, s->cost);
}

/* Indexes the document's fragments by name (the last of a name wins, as
 * in validation). */
static bool index_fragments(lctx_t *L)
{
    gqlv__map_init(&L->defs, L->a);
    for (size_t i = 0; i < L->doc->ndefinitions; i++) {
        const gql_ast_definition_t *d = &L->doc->definitions[i];
        if (d->kind != GQL_AST_FRAGMENT_DEF)
            continue;
        facet_str_t n = d->u.fragment->name.value;
        if (!gqlv__map_put(&L->defs, n.base, n.len, d->u.fragment))
            return false;
    }
    return true;
}

/* A list size from an integer literal, an integer variable value, or the
 * variable's default; false when none of them gives one. */
static bool literal_size(const gql_ast_value_t *v, uint64_t *out)
{
    if (!v || v->kind != GQL_AST_INT)
        return false;
    if (v->text.len && v->text.base[0] == '-') {
        *out = 0;
        return true;
    }
    if (facet_str_to_u64(v->text, UINT64_MAX, out) == FACET_OK)
        return true;
    *out = UINT64_MAX; /* too many digits: as large as it gets */
    return true;
}

static bool variable_size(const lctx_t *L, facet_str_t name, uint64_t *out)
{
    const gql_value_t *val = L->variables ? gql_value_get(L->variables, name) : NULL;
    if (val && val->kind == GQL_V_INT) {
        *out = val->u.i < 0 ? 0 : (uint64_t)val->u.i;
        return true;
    }
    if (val && val->kind == GQL_V_FLOAT && val->u.f == val->u.f) {
        *out = val->u.f <= 0 ? 0 : val->u.f >= 1.8e19 ? UINT64_MAX : (uint64_t)val->u.f;
        return true;
    }
    for (size_t i = 0; L->op && i < L->op->nvariables; i++) {
        if (facet_str_eq(L->op->variables[i].name.value, name))
            return literal_size(L->op->variables[i].default_value, out);
    }
    return false;
}

static uint64_t list_size(const lctx_t *L, const gql_ast_selection_t *f)
{
    uint64_t best = 0;
    bool found = false;
    for (size_t i = 0; i < f->nargs; i++) {
        facet_str_t n = f->args[i].name.value;
        if (!facet_str_eq(n, FACET_STR_LIT("first")) && !facet_str_eq(n, FACET_STR_LIT("last")) &&
            !facet_str_eq(n, FACET_STR_LIT("limit")))
            continue;
        const gql_ast_value_t *v = f->args[i].value;
        uint64_t size;
        bool ok =
            v->kind == GQL_AST_VARIABLE ? variable_size(L, v->text, &size) : literal_size(v, &size);
        if (ok && (!found || size > best))
            best = size;
        found = found || ok;
    }
    return found ? best : L->lim->default_list_size;
}

static bool is_list(const gql_type_ref_t *t)
{
    if (t && t->kind == GQL_REF_NON_NULL)
        t = t->of;
    return t && t->kind == GQL_REF_LIST;
}

static void measure_set(lctx_t *L, const gql_type_t *parent, const gql_ast_selection_set_t *ss,
                        stats_t *out);

static void measure_field(lctx_t *L, const gql_type_t *parent, const gql_ast_selection_t *f,
                          stats_t *out)
{
    facet_str_t name = f->name.value;
    out->aliases = f->alias.value.len ? 1 : 0;
    out->roots = 1;
    if (facet_str_eq(name, FACET_STR_LIT("__typename")))
        return;
    const gql_field_t *def = NULL;
    if (parent && (parent->kind == GQL_OBJECT || parent->kind == GQL_INTERFACE))
        def = gql_type_field(parent, name);
    stats_t child = {0};
    if (f->selection_set)
        measure_set(L, def ? gql_type_ref_named(def->type) : NULL, f->selection_set, &child);
    out->aliases = sat_add(out->aliases, child.aliases);
    bool introspection = facet_str_eq(name, FACET_STR_LIT("__schema")) ||
                         facet_str_eq(name, FACET_STR_LIT("__type"));
    if (introspection && L->lim->ignore_introspection)
        return;
    out->depth = child.depth + 1;
    out->deep_loc = child.depth ? child.deep_loc : f->loc;
    const gql_type_t *named = def ? gql_type_ref_named(def->type) : NULL;
    bool composite = f->selection_set || (named && gql_type_is_composite(named));
    uint64_t mult = def && is_list(def->type) ? list_size(L, f) : 1;
    out->cost =
        sat_add(composite ? L->lim->object_cost : L->lim->scalar_cost, sat_mul(mult, child.cost));
}

static void measure_fragment(lctx_t *L, const gql_ast_selection_t *spread, stats_t *out)
{
    facet_str_t name = spread->name.value;
    frag_memo_t *m = gqlv__map_sget(&L->frags, name);
    if (m) {
        if (m->state == 2)
            *out = m->stats;
        return;
    }
    m = FACET_ARENA_NEW(L->a, frag_memo_t);
    if (!m || !gqlv__map_put(&L->frags, name.base, name.len, m)) {
        L->oom = true;
        return;
    }
    m->state = 1;
    const gql_ast_fragment_t *f = gqlv__map_sget(&L->defs, name);
    if (f && f->selection_set) {
        gql_type_t *type = gql_schema_type(L->schema, f->type_condition.value);
        measure_set(L, type, f->selection_set, &m->stats);
    }
    m->state = 2;
    *out = m->stats;
}

static void measure_set(lctx_t *L, const gql_type_t *parent, const gql_ast_selection_set_t *ss,
                        stats_t *out)
{
    if (L->nesting >= MAX_NESTING) {
        L->too_nested = true;
        return;
    }
    L->nesting++;
    for (size_t i = 0; i < ss->nitems; i++) {
        const gql_ast_selection_t *s = ss->items[i];
        if (L->lim->max_directives && s->ndirectives > L->lim->max_directives && !L->dir_sel)
            L->dir_sel = s;
        stats_t one = {0};
        if (s->kind == GQL_AST_FIELD) {
            measure_field(L, parent, s, &one);
        } else if (s->kind == GQL_AST_FRAGMENT_SPREAD) {
            measure_fragment(L, s, &one);
        } else if (s->selection_set) {
            const gql_type_t *t = s->type_condition.value.len
                                      ? gql_schema_type(L->schema, s->type_condition.value)
                                      : parent;
            measure_set(L, t, s->selection_set, &one);
        }
        merge(out, &one);
    }
    L->nesting--;
}

static const gql_type_t *root_type(const gql_schema_t *s, gql_operation_type_t op)
{
    return op == GQL_OP_QUERY ? s->query : op == GQL_OP_MUTATION ? s->mutation : s->subscription;
}

static bool check_operation(lctx_t *L, const gql_ast_operation_t *op, gql_error_list_t *errors)
{
    const gql_limits_t *lim = L->lim;
    gqlv__map_init(&L->frags, L->a);
    L->op = op;
    L->dir_sel = NULL;
    L->too_nested = false;
    stats_t st = {0};
    if (op->selection_set)
        measure_set(L, root_type(L->schema, op->operation), op->selection_set, &st);
    const char *code = GQL_CODE_VALIDATION_FAILED;
    size_t before = errors->count;
    if (L->too_nested)
        gql_error_add(errors, code, &op->loc, 1, "Fragments are nested more than %d deep.",
                      MAX_NESTING);
    if (lim->max_depth && st.depth > lim->max_depth)
        gql_error_add(errors, code, &st.deep_loc, 1,
                      "Query depth limit of %zu exceeded, found %llu.", lim->max_depth,
                      (unsigned long long)st.depth);
    if (lim->max_aliases && st.aliases > lim->max_aliases)
        gql_error_add(errors, code, &op->loc, 1, "Aliases limit of %zu exceeded, found %llu.",
                      lim->max_aliases, (unsigned long long)st.aliases);
    if (lim->max_root_fields && st.roots > lim->max_root_fields)
        gql_error_add(errors, code, &op->loc, 1, "Root fields limit of %zu exceeded, found %llu.",
                      lim->max_root_fields, (unsigned long long)st.roots);
    if (L->dir_sel)
        gql_error_add(errors, code, &L->dir_sel->loc, 1,
                      "Directives limit of %zu exceeded, found %zu.", lim->max_directives,
                      L->dir_sel->ndirectives);
    if (lim->max_cost && st.cost > lim->max_cost)
        gql_error_add(errors, code, &op->loc, 1, "Query cost limit of %llu exceeded, found %llu.",
                      (unsigned long long)lim->max_cost, (unsigned long long)st.cost);
    return errors->count == before;
}

int gql_check_limits(const gql_schema_t *schema, const gql_ast_document_t *doc,
                     const gql_ast_operation_t *op, const gql_value_t *variables,
                     const gql_limits_t *lim, gql_error_list_t *errors)
{
    lctx_t L = {
        .schema = schema, .doc = doc, .variables = variables, .lim = lim, .a = errors->arena};
    size_t before = errors->count;
    bool ok = true;
    if (!index_fragments(&L))
        return FACET_ENOMEM;
    if (lim->max_tokens && doc->ntokens > lim->max_tokens) {
        gql_error_add(errors, GQL_CODE_VALIDATION_FAILED, NULL, 0,
                      "Token limit of %zu exceeded, found %zu.", lim->max_tokens, doc->ntokens);
        ok = false;
    }
    for (size_t i = 0; i < doc->ndefinitions && !L.oom; i++) {
        const gql_ast_definition_t *d = &doc->definitions[i];
        if (d->kind != GQL_AST_OPERATION_DEF || (op && d->u.operation != op))
            continue;
        ok = check_operation(&L, d->u.operation, errors) && ok;
    }
    if (L.oom || (!ok && errors->count == before && !errors->max))
        return FACET_ENOMEM;
    return ok ? FACET_OK : FACET_ELIMIT;
}
