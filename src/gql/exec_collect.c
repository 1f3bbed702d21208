/* Field collection (CollectFields in the specification): fragments, type
 * conditions, @skip and @include, and the merging of fields that share a
 * response key. Results are memoized per field and runtime type, so the
 * fifty items of a list collect their sub-selections once. */
#include <string.h>

#include "core/error.h"
#include "core/str.h"
#include "gql/exec_internal.h"

/* ---- fragments by name ---- */

int exec__frags_init(gql_exec_t *ex)
{
    const gql_ast_document_t *doc = ex->opts.doc;
    size_t n = 0;
    for (size_t i = 0; i < doc->ndefinitions; i++)
        n += doc->definitions[i].kind == GQL_AST_FRAGMENT_DEF;
    if (n == 0)
        return FACET_OK;
    size_t cap = 8;
    while (cap < n * 2)
        cap *= 2;
    ex->frags.table = FACET_ARENA_ARRAY(ex->arena, const gql_ast_fragment_t *, cap);
    if (!ex->frags.table)
        return FACET_ENOMEM;
    ex->frags.cap = cap;
    ex->frags.count = n;
    for (size_t i = 0; i < doc->ndefinitions; i++) {
        if (doc->definitions[i].kind != GQL_AST_FRAGMENT_DEF)
            continue;
        const gql_ast_fragment_t *fr = doc->definitions[i].u.fragment;
        size_t j = facet_str_hash(fr->name.value) & (cap - 1);
        /* graphql-js keeps the last fragment of a name. */
        while (ex->frags.table[j] && !facet_str_eq(ex->frags.table[j]->name.value, fr->name.value))
            j = (j + 1) & (cap - 1);
        ex->frags.table[j] = fr;
    }
    return FACET_OK;
}

/* Returns the fragment's slot index in the table (for the visited set) or
 * -1 when there is no such fragment. */
static long frag_find(const gql_exec_t *ex, facet_str_t name)
{
    if (!ex->frags.cap)
        return -1;
    size_t j = facet_str_hash(name) & (ex->frags.cap - 1);
    while (ex->frags.table[j]) {
        if (facet_str_eq(ex->frags.table[j]->name.value, name))
            return (long)j;
        j = (j + 1) & (ex->frags.cap - 1);
    }
    return -1;
}

/* ---- @skip and @include ---- */

/* The value of a directive's "if" argument, or -1 when it cannot be
 * determined (validation rules out those documents). */
static int directive_if(const gql_exec_t *ex, const gql_ast_directive_t *d)
{
    for (size_t i = 0; i < d->nargs; i++) {
        if (!facet_str_eq(d->args[i].name.value, FACET_STR_LIT("if")))
            continue;
        const gql_ast_value_t *v = d->args[i].value;
        if (v->kind == GQL_AST_BOOLEAN)
            return v->boolean;
        if (v->kind == GQL_AST_VARIABLE) {
            const gql_value_t *val = gql_value_get(ex->vars, v->text);
            if (val && val->kind == GQL_V_BOOL)
                return val->u.b;
        }
        return -1;
    }
    return -1;
}

static const gql_ast_directive_t *find_directive(const gql_ast_directive_t *ds, size_t n,
                                                 facet_str_t name)
{
    for (size_t i = 0; i < n; i++)
        if (facet_str_eq(ds[i].name.value, name))
            return &ds[i];
    return NULL;
}

static bool should_include(const gql_exec_t *ex, const gql_ast_directive_t *ds, size_t n)
{
    if (n == 0)
        return true;
    const gql_ast_directive_t *skip = find_directive(ds, n, FACET_STR_LIT("skip"));
    if (skip && directive_if(ex, skip) == 1)
        return false;
    const gql_ast_directive_t *inc = find_directive(ds, n, FACET_STR_LIT("include"));
    if (inc && directive_if(ex, inc) == 0)
        return false;
    return true;
}

static bool condition_matches(const gql_exec_t *ex, gql_ast_name_t cond, const gql_type_t *rt)
{
    if (!cond.value.base)
        return true;
    const gql_type_t *ct = gql_schema_type(ex->schema, cond.value);
    if (!ct)
        return false;
    if (ct == rt)
        return true;
    return gql_type_is_abstract(ct) && gql_schema_is_possible_type(ct, rt);
}

/* ---- collection ---- */

typedef struct pair {
    facet_str_t key;
    const gql_ast_selection_t *node;
} pair_t;

typedef struct collector {
    gql_exec_t *ex;
    const gql_type_t *rt;
    pair_t *pairs;
    size_t n, cap;
    uint8_t *visited; /* by fragment table slot */
} collector_t;

static bool push_pair(collector_t *c, const gql_ast_selection_t *node)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        pair_t *p = EXEC_ARRAY(c->ex->arena, pair_t, cap);
        if (!p)
            return false;
        if (c->n)
            memcpy(p, c->pairs, c->n * sizeof *p);
        c->pairs = p;
        c->cap = cap;
    }
    c->pairs[c->n].key = node->alias.value.base ? node->alias.value : node->name.value;
    c->pairs[c->n].node = node;
    c->n++;
    return true;
}

static bool collect(collector_t *c, const gql_ast_selection_set_t *ss)
{
    gql_exec_t *ex = c->ex;
    for (size_t i = 0; i < ss->nitems; i++) {
        const gql_ast_selection_t *sel = ss->items[i];
        switch (sel->kind) {
        case GQL_AST_FIELD:
            if (should_include(ex, sel->directives, sel->ndirectives) && !push_pair(c, sel))
                return false;
            break;
        case GQL_AST_INLINE_FRAGMENT:
            if (!should_include(ex, sel->directives, sel->ndirectives) ||
                !condition_matches(ex, sel->type_condition, c->rt) || !sel->selection_set)
                break;
            if (!collect(c, sel->selection_set))
                return false;
            break;
        case GQL_AST_FRAGMENT_SPREAD: {
            long slot = frag_find(ex, sel->name.value);
            /* graphql-js marks a fragment visited only once its spread
             * passes @skip/@include, and also when the fragment is then
             * missing or its condition does not match. */
            if (slot >= 0 && c->visited && c->visited[slot])
                break;
            if (!should_include(ex, sel->directives, sel->ndirectives))
                break;
            if (slot < 0)
                break;
            if (!c->visited) {
                c->visited = facet_arena_zalloc(ex->arena, ex->frags.cap);
                if (!c->visited)
                    return false;
            }
            c->visited[slot] = 1;
            const gql_ast_fragment_t *fr = ex->frags.table[slot];
            if (!condition_matches(ex, fr->type_condition, c->rt) || !fr->selection_set)
                break;
            if (!collect(c, fr->selection_set))
                return false;
            break;
        }
        }
    }
    return true;
}

static uint8_t meta_of(const gql_exec_t *ex, const gql_type_t *rt, facet_str_t name)
{
    if (name.len < 2 || name.base[0] != '_' || name.base[1] != '_')
        return META_NONE;
    if (facet_str_eq(name, FACET_STR_LIT("__typename")))
        return META_TYPENAME;
    if (rt == ex->schema->query && facet_str_eq(name, FACET_STR_LIT("__schema")))
        return META_SCHEMA;
    if (rt == ex->schema->query && facet_str_eq(name, FACET_STR_LIT("__type")))
        return META_TYPE;
    return META_NONE;
}

static uint8_t leaf_kind(const gql_type_t *t)
{
    if (t->kind == GQL_ENUM)
        return LEAF_OTHER;
    if (t->kind != GQL_SCALAR)
        return LEAF_NONE;
    if (!t->builtin)
        return LEAF_OTHER;
    switch (t->name.len) {
    case 2:
        return LEAF_ID;
    case 3:
        return LEAF_INT;
    case 5:
        return LEAF_FLOAT;
    case 6:
        return LEAF_STRING;
    case 7:
        return LEAF_BOOLEAN;
    default:
        return LEAF_OTHER;
    }
}

/* Precomputes what writing and completing the field needs on every item:
 * its named type, leaf kind and the ,"key": bytes of the response (the
 * writer skips the comma before an object's first member). */
static bool prepare_field(gql_exec_t *ex, exec_field_t *f)
{
    f->named = gql_type_ref_named(f->def->type);
    f->leaf = leaf_kind(f->named);
    const gql_type_ref_t *t = f->def->type;
    if (t->kind == GQL_REF_NON_NULL)
        t = t->of;
    f->plain_leaf = t->kind == GQL_REF_LIST ? LEAF_NONE : f->leaf;
    /* Padded so the writer may copy 16 bytes at once. */
    size_t n = f->key.len + 4;
    char *k = facet_arena_alloc(ex->arena, n + 16);
    if (!k)
        return false;
    k[0] = ',';
    k[1] = '"';
    memcpy(k + 2, f->key.base, f->key.len);
    k[n - 2] = '"';
    k[n - 1] = ':';
    memset(k + n, 0, 16);
    f->key_json = facet_str(k, n);
    return true;
}

/* Groups the collected (key, node) pairs by key, in first-seen order, and
 * looks the schema field up; fields the type does not have are dropped, as
 * graphql-js' executeField skips them. */
static exec_set_t *group(collector_t *c)
{
    gql_exec_t *ex = c->ex;
    exec_set_t *set = EXEC_NEW(ex->arena, exec_set_t);
    if (!set)
        return NULL;
    set->type = c->rt;
    set->intro = exec__intro_kind(c->rt);
    if (c->n == 0)
        return set;
    size_t cap = 16;
    while (cap < c->n * 2)
        cap *= 2;
    uint32_t *index = FACET_ARENA_ARRAY(ex->arena, uint32_t, cap); /* field number + 1 */
    uint32_t *group_of = EXEC_ARRAY(ex->arena, uint32_t, c->n);
    uint32_t *counts = FACET_ARENA_ARRAY(ex->arena, uint32_t, c->n);
    exec_field_t *fields = FACET_ARENA_ARRAY(ex->arena, exec_field_t, c->n);
    if (!index || !group_of || !counts || !fields)
        return NULL;
    size_t nf = 0;
    for (size_t i = 0; i < c->n; i++) {
        size_t j = facet_str_hash(c->pairs[i].key) & (cap - 1);
        while (index[j] && !facet_str_eq(fields[index[j] - 1].key, c->pairs[i].key))
            j = (j + 1) & (cap - 1);
        if (!index[j]) {
            fields[nf].key = c->pairs[i].key;
            index[j] = (uint32_t)++nf;
        }
        group_of[i] = index[j] - 1;
        counts[index[j] - 1]++;
    }
    for (size_t g = 0; g < nf; g++) {
        fields[g].nodes = EXEC_ARRAY(ex->arena, const gql_ast_selection_t *, counts[g]);
        if (!fields[g].nodes)
            return NULL;
    }
    for (size_t i = 0; i < c->n; i++) {
        exec_field_t *f = &fields[group_of[i]];
        f->nodes[f->nnodes++] = c->pairs[i].node;
    }
    size_t kept = 0;
    for (size_t g = 0; g < nf; g++) {
        exec_field_t *f = &fields[g];
        facet_str_t name = f->nodes[0]->name.value;
        f->meta = meta_of(ex, c->rt, name);
        f->def = f->meta ? exec__meta_def(ex, f->meta) : gql_type_field(c->rt, name);
        if (!f->def) {
            if (ex->oom)
                return NULL;
            continue;
        }
        if (!prepare_field(ex, f))
            return NULL;
        /* Copied only over a dropped field: copying a field onto itself
         * right after writing it stalls on store forwarding. */
        if (kept != g)
            fields[kept] = *f;
        kept++;
    }
    set->fields = fields;
    set->n = kept;
    return set;
}

static exec_set_t *collect_sets(gql_exec_t *ex, const gql_type_t *rt,
                                const gql_ast_selection_t *const *nodes, size_t nnodes,
                                const gql_ast_selection_set_t *root)
{
    collector_t c = {.ex = ex, .rt = rt};
    if (root && !collect(&c, root))
        return exec__oom(ex);
    for (size_t i = 0; i < nnodes; i++)
        if (nodes[i]->selection_set && !collect(&c, nodes[i]->selection_set))
            return exec__oom(ex);
    exec_set_t *set = group(&c);
    return set ? set : exec__oom(ex);
}

exec_set_t *exec__root_set(gql_exec_t *ex)
{
    return collect_sets(ex, ex->root_type, NULL, 0, ex->op->selection_set);
}

exec_set_t *exec__subfields(gql_exec_t *ex, exec_field_t *f, const gql_type_t *rt)
{
    for (exec_set_t *s = f->subs; s; s = s->next)
        if (s->type == rt)
            return s;
    exec_set_t *set = collect_sets(ex, rt, f->nodes, f->nnodes, NULL);
    if (!set)
        return NULL;
    set->next = f->subs;
    f->subs = set;
    return set;
}

static bool set_pure(gql_exec_t *ex, exec_set_t *set)
{
    if (set->pure)
        return set->pure == 1;
    set->pure = 2;
    if (set->intro || ex->opts.default_resolver)
        return false;
    for (size_t i = 0; i < set->n; i++) {
        exec_field_t *f = &set->fields[i];
        if (f->meta == META_TYPENAME)
            continue;
        if (f->meta != META_NONE || f->def->resolver || !exec__field_args(ex, f))
            return false;
        if (f->leaf == LEAF_NONE && !exec__field_pure(ex, f))
            return false;
    }
    set->pure = 1;
    return true;
}

bool exec__field_pure(gql_exec_t *ex, exec_field_t *f)
{
    if (f->pure)
        return f->pure == 1;
    f->pure = 2;
    const gql_type_t *t = f->named;
    if (t->kind == GQL_OBJECT) {
        exec_set_t *set = exec__subfields(ex, f, t);
        if (!set || !set_pure(ex, set))
            return false;
    } else {
        for (size_t i = 0; i < t->npossible; i++) {
            exec_set_t *set = exec__subfields(ex, f, t->possible[i]);
            if (!set || !set_pure(ex, set))
                return false;
        }
    }
    f->pure = 1;
    return true;
}

bool exec__field_args(gql_exec_t *ex, exec_field_t *f)
{
    if (f->args_state == 0) {
        const gql_ast_selection_t *node = f->nodes[0];
        int rc = exec__coerce_args(ex, f->def->args, f->def->nargs, node->args, node->nargs,
                                   node->loc, &f->args, &f->args_err);
        f->args_state = rc == 0 ? 1 : 2;
        if (rc < 0)
            exec__oom(ex);
    }
    return f->args_state == 1;
}

/* ---- introspection switched off ---- */

static bool scan_set(gql_exec_t *ex, const gql_ast_selection_set_t *ss, gql_error_list_t *errors,
                     unsigned depth)
{
    bool found = false;
    if (!ss || depth > 1000)
        return false;
    for (size_t i = 0; i < ss->nitems; i++) {
        const gql_ast_selection_t *sel = ss->items[i];
        if (sel->kind == GQL_AST_FIELD &&
            (facet_str_eq(sel->name.value, FACET_STR_LIT("__schema")) ||
             facet_str_eq(sel->name.value, FACET_STR_LIT("__type")))) {
            found = true;
            if (errors)
                gql_error_add(errors,
                              ex->opts.request_error_codes ? GQL_CODE_VALIDATION_FAILED : NULL,
                              &sel->loc, 1,
                              "GraphQL introspection has been disabled, but the requested query "
                              "contained the field \"%.*s\".",
                              (int)sel->name.value.len, sel->name.value.base);
        }
        if (scan_set(ex, sel->selection_set, errors, depth + 1))
            found = true;
    }
    return found;
}

bool exec__uses_introspection(gql_exec_t *ex, gql_error_list_t *errors)
{
    bool found = false;
    const gql_ast_document_t *doc = ex->opts.doc;
    for (size_t i = 0; i < doc->ndefinitions; i++) {
        const gql_ast_definition_t *d = &doc->definitions[i];
        const gql_ast_selection_set_t *ss = NULL;
        if (d->kind == GQL_AST_OPERATION_DEF)
            ss = d->u.operation->selection_set;
        else if (d->kind == GQL_AST_FRAGMENT_DEF)
            ss = d->u.fragment->selection_set;
        if (scan_set(ex, ss, errors, 0))
            found = true;
    }
    return found;
}
