/* Rules about names and types at one node: KnownTypeNames,
 * FragmentsOnCompositeTypes, VariablesAreInputTypes, ScalarLeafs,
 * FieldsOnCorrectType, KnownFragmentNames, PossibleFragmentSpreads,
 * KnownArgumentNames (fields), UniqueArgumentNames and
 * ProvidedRequiredArguments (fields), with graphql-js' messages. */
#include <string.h>

#include "gql/validate_internal.h"

#define NAMEF(s) (int)(s).len, (s).base

static const char *const standard_types[] = {
    "String",
    "Int",
    "Float",
    "Boolean",
    "ID",
    "__Schema",
    "__Type",
    "__TypeKind",
    "__Field",
    "__InputValue",
    "__EnumValue",
    "__Directive",
    "__DirectiveLocation",
};
#define NSTANDARD (sizeof standard_types / sizeof *standard_types)

static bool is_standard_type(facet_str_t name)
{
    for (size_t i = 0; i < NSTANDARD; i++) {
        if (facet_str_eq(name, facet_str_c(standard_types[i])))
            return true;
    }
    return false;
}

/* Appends suggestions from options to sb (nothing when suggestions are
 * hidden). */
static void suggest(gqlv__ctx_t *v, gqlv__sb_t *sb, const char *sub, facet_str_t input,
                    const facet_str_t *options, size_t n)
{
    facet_str_t out[5];
    if (v->hide_suggestions)
        return;
    gqlv__sb_did_you_mean(sb, sub, out, gqlv__suggest(v->a, input, options, n, out, 5));
}

void gqlv__rule_known_type_names(gqlv__ctx_t *v, const gql_ast_name_t *name, bool sdl)
{
    facet_str_t n = name->value;
    if (gqlv__type_by_name(v, n) || gqlv__map_sget(&v->doc_types, n))
        return;
    if (sdl && is_standard_type(n))
        return;
    gqlv__sb_t sb;
    gqlv__sb_init(&sb, v->a);
    gqlv__sb_printf(&sb, "Unknown type \"%.*s\".", NAMEF(n));
    size_t cap = v->schema->ntypes + v->doc_type_names.n + NSTANDARD;
    facet_str_t *opts = v->hide_suggestions ? NULL : FACET_ARENA_ARRAY(v->a, facet_str_t, cap);
    if (opts) {
        size_t k = 0;
        for (size_t i = 0; sdl && i < NSTANDARD; i++)
            opts[k++] = facet_str_c(standard_types[i]);
        for (size_t i = 0; i < v->schema->ntypes; i++)
            opts[k++] = v->schema->types[i]->name;
        for (size_t i = 0; i < v->doc_type_names.n; i++)
            opts[k++] = ((const gql_ast_name_t *)v->doc_type_names.items[i])->value;
        suggest(v, &sb, NULL, n, opts, k);
    }
    gqlv__report(v, &name->loc, 1, "%s", gqlv__sb_cstr_of(&sb));
}

void gqlv__rule_fragment_on_composite(gqlv__ctx_t *v, const gql_ast_name_t *cond,
                                      const gql_ast_name_t *frag_name)
{
    const gql_type_t *t = gqlv__type_by_name(v, cond->value);
    if (!t || gql_type_is_composite(t))
        return;
    if (frag_name)
        gqlv__report(v, &cond->loc, 1,
                     "Fragment \"%.*s\" cannot condition on non composite type \"%.*s\".",
                     NAMEF(frag_name->value), NAMEF(cond->value));
    else
        gqlv__report(v, &cond->loc, 1, "Fragment cannot condition on non composite type \"%.*s\".",
                     NAMEF(cond->value));
}

void gqlv__rule_variable_input_type(gqlv__ctx_t *v, const gql_ast_variable_def_t *def)
{
    const gql_type_ref_t *t = gqlv__type_from_ast(v, def->type);
    if (!t || gqlv__is_input_ref(t))
        return;
    gqlv__sb_t sb;
    gqlv__sb_init(&sb, v->a);
    gqlv__sb_ast_type(&sb, def->type);
    gqlv__report(v, &def->type->loc, 1, "Variable \"$%.*s\" cannot be non-input type \"%s\".",
                 NAMEF(def->name.value), gqlv__sb_cstr_of(&sb));
}

static const char *type_text(gqlv__ctx_t *v, const gql_type_ref_t *t)
{
    gqlv__sb_t sb;
    gqlv__sb_init(&sb, v->a);
    gqlv__sb_type(&sb, t);
    return gqlv__sb_cstr_of(&sb);
}

void gqlv__rule_scalar_leafs(gqlv__ctx_t *v, const gqlv__ti_t *ti, const gql_ast_selection_t *f)
{
    if (!ti->type)
        return;
    facet_str_t name = f->name.value;
    if (gql_type_is_leaf(gqlv__named(ti->type))) {
        if (f->selection_set)
            gqlv__report(v, &f->selection_set->loc, 1,
                         "Field \"%.*s\" must not have a selection since type \"%s\" has no "
                         "subfields.",
                         NAMEF(name), type_text(v, ti->type));
    } else if (!f->selection_set) {
        gqlv__report(v, &f->loc, 1,
                     "Field \"%.*s\" of type \"%s\" must have a selection of subfields. Did you "
                     "mean \"%.*s { ... }\"?",
                     NAMEF(name), type_text(v, ti->type), NAMEF(name));
    } else if (f->selection_set->nitems == 0) {
        gqlv__report(v, &f->loc, 1,
                     "Field \"%.*s\" of type \"%s\" must have at least one field selected.",
                     NAMEF(name), type_text(v, ti->type));
    }
}

/* graphql-js' getSuggestedTypeNames: the possible types of an abstract
 * parent that define the field, and their interfaces that do, most used
 * first, interfaces before their implementations. */
typedef struct type_hit {
    const gql_type_t *type;
    size_t uses;
} type_hit_t;

static int type_hit_cmp(const void *x, const void *y, void *ctx)
{
    const type_hit_t *a = x, *b = y;
    if (a->uses != b->uses)
        return a->uses > b->uses ? -1 : 1;
    if (a->type->kind == GQL_INTERFACE && gqlv__is_sub_type(a->type, b->type))
        return -1;
    if (b->type->kind == GQL_INTERFACE && gqlv__is_sub_type(b->type, a->type))
        return 1;
    return gqlv__natural_compare(a->type->name, b->type->name);
}

static size_t add_type_hit(type_hit_t *hits, size_t n, const gql_type_t *t)
{
    for (size_t i = 0; i < n; i++) {
        if (hits[i].type == t) {
            hits[i].uses++;
            return n;
        }
    }
    hits[n].type = t;
    hits[n].uses = 1;
    return n + 1;
}

static size_t suggested_types(gqlv__ctx_t *v, const gql_type_t *parent, facet_str_t field,
                              facet_str_t *out, size_t cap)
{
    if (!gql_type_is_abstract(parent) || !parent->npossible)
        return 0;
    size_t max = 0;
    for (size_t i = 0; i < parent->npossible; i++)
        max += 1 + parent->possible[i]->ninterfaces;
    type_hit_t *hits = FACET_ARENA_ARRAY(v->a, type_hit_t, max);
    if (!hits)
        return 0;
    size_t n = 0;
    for (size_t i = 0; i < parent->npossible; i++) {
        const gql_type_t *p = parent->possible[i];
        if (!gql_type_field(p, field))
            continue;
        n = add_type_hit(hits, n, p);
        for (size_t k = 0; k < p->ninterfaces; k++) {
            if (gql_type_field(p->interfaces[k], field))
                n = add_type_hit(hits, n, p->interfaces[k]);
        }
    }
    const void **order = FACET_ARENA_ARRAY(v->a, const void *, n + 1);
    if (!order)
        return 0;
    for (size_t i = 0; i < n; i++)
        order[i] = &hits[i];
    gqlv__sort(order, n, type_hit_cmp, NULL);
    size_t m = n < cap ? n : cap;
    for (size_t i = 0; i < m; i++)
        out[i] = ((const type_hit_t *)order[i])->type->name;
    return m;
}

void gqlv__rule_fields_on_correct_type(gqlv__ctx_t *v, const gqlv__ti_t *ti,
                                       const gql_ast_selection_t *f)
{
    const gql_type_t *parent = ti->parent_type;
    if (!parent || ti->field)
        return;
    gqlv__sb_t sb;
    gqlv__sb_init(&sb, v->a);
    gqlv__sb_printf(&sb, "Cannot query field \"%.*s\" on type \"%.*s\".", NAMEF(f->name.value),
                    NAMEF(parent->name));
    if (!v->hide_suggestions) {
        facet_str_t out[5];
        size_t n = suggested_types(v, parent, f->name.value, out, 5);
        if (n) {
            gqlv__sb_did_you_mean(&sb, "to use an inline fragment on", out, n);
        } else if (parent->nfields) {
            facet_str_t *names = FACET_ARENA_ARRAY(v->a, facet_str_t, parent->nfields);
            for (size_t i = 0; names && i < parent->nfields; i++)
                names[i] = parent->fields[i].name;
            if (names)
                suggest(v, &sb, NULL, f->name.value, names, parent->nfields);
        }
    }
    gqlv__report(v, &f->loc, 1, "%s", gqlv__sb_cstr_of(&sb));
}

void gqlv__rule_known_fragment_name(gqlv__ctx_t *v, const gql_ast_selection_t *spread)
{
    if (!gqlv__fragment(v, spread->name.value))
        gqlv__report(v, &spread->name.loc, 1, "Unknown fragment \"%.*s\".",
                     NAMEF(spread->name.value));
}

static void report_impossible(gqlv__ctx_t *v, const gql_ast_selection_t *s,
                              const gql_type_t *parent, const gql_type_t *frag)
{
    if (s->kind == GQL_AST_FRAGMENT_SPREAD)
        gqlv__report(v, &s->loc, 1,
                     "Fragment \"%.*s\" cannot be spread here as objects of type \"%.*s\" can "
                     "never be of type \"%.*s\".",
                     NAMEF(s->name.value), NAMEF(parent->name), NAMEF(frag->name));
    else
        gqlv__report(v, &s->loc, 1,
                     "Fragment cannot be spread here as objects of type \"%.*s\" can never be of "
                     "type \"%.*s\".",
                     NAMEF(parent->name), NAMEF(frag->name));
}

void gqlv__rule_possible_inline(gqlv__ctx_t *v, const gqlv__ti_t *ti, const gql_ast_selection_t *s)
{
    const gql_type_t *frag = gqlv__named(ti->type);
    const gql_type_t *parent = ti->parent_type;
    if (frag && parent && gql_type_is_composite(frag) && gql_type_is_composite(parent) &&
        !gqlv__do_types_overlap(frag, parent))
        report_impossible(v, s, parent, frag);
}

void gqlv__rule_possible_spread(gqlv__ctx_t *v, const gqlv__ti_t *ti, const gql_ast_selection_t *s)
{
    const gql_ast_fragment_t *f = gqlv__fragment(v, s->name.value);
    const gql_type_t *frag = f ? gqlv__type_by_name(v, f->type_condition.value) : NULL;
    const gql_type_t *parent = ti->parent_type;
    if (frag && gql_type_is_composite(frag) && parent && !gqlv__do_types_overlap(frag, parent))
        report_impossible(v, s, parent, frag);
}

void gqlv__rule_known_argument(gqlv__ctx_t *v, const gqlv__ti_t *ti, const gql_ast_argument_t *arg,
                               const gql_input_value_t *def)
{
    const gql_field_t *field = ti->field;
    if (def || !field || !ti->parent_type)
        return;
    gqlv__sb_t sb;
    gqlv__sb_init(&sb, v->a);
    gqlv__sb_printf(&sb, "Unknown argument \"%.*s\" on field \"%.*s.%.*s\".",
                    NAMEF(arg->name.value), NAMEF(ti->parent_type->name), NAMEF(field->name));
    if (field->nargs) {
        facet_str_t *names = FACET_ARENA_ARRAY(v->a, facet_str_t, field->nargs);
        for (size_t i = 0; names && i < field->nargs; i++)
            names[i] = field->args[i].name;
        if (names)
            suggest(v, &sb, NULL, arg->name.value, names, field->nargs);
    }
    gqlv__report(v, &arg->name.loc, 1, "%s", gqlv__sb_cstr_of(&sb));
}

/* True when some name repeats; small lists are compared pairwise so that
 * the common case allocates nothing. */
static bool any_repeat(const gql_ast_argument_t *args, size_t n)
{
    if (n > 16)
        return true;
    for (size_t i = 1; i < n; i++) {
        for (size_t k = 0; k < i; k++) {
            if (facet_str_eq(args[i].name.value, args[k].name.value))
                return true;
        }
    }
    return false;
}

void gqlv__rule_unique_arguments(gqlv__ctx_t *v, const gql_ast_argument_t *args, size_t n)
{
    if (n < 2 || !any_repeat(args, n))
        return;
    facet_str_t *names = FACET_ARENA_ARRAY(v->a, facet_str_t, n);
    bool *first = FACET_ARENA_ARRAY(v->a, bool, n);
    size_t *next = FACET_ARENA_ARRAY(v->a, size_t, n);
    gql_loc_t *locs = FACET_ARENA_ARRAY(v->a, gql_loc_t, n);
    if (!names || !first || !next || !locs) {
        gqlv__oom(v);
        return;
    }
    for (size_t i = 0; i < n; i++)
        names[i] = args[i].name.value;
    if (!gqlv__group_names(v, names, n, first, next))
        return;
    for (size_t i = 0; i < n && !v->aborted; i++) {
        if (!first[i] || next[i] == n)
            continue;
        size_t k = 0;
        for (size_t j = i; j < n; j = next[j])
            locs[k++] = args[j].name.loc;
        gqlv__report(v, locs, k, "There can be only one argument named \"%.*s\".", NAMEF(names[i]));
    }
}

static bool has_argument(const gql_ast_selection_t *f, facet_str_t name)
{
    for (size_t i = 0; i < f->nargs; i++) {
        if (facet_str_eq(f->args[i].name.value, name))
            return true;
    }
    return false;
}

void gqlv__rule_required_field_args(gqlv__ctx_t *v, const gqlv__ti_t *ti,
                                    const gql_ast_selection_t *f)
{
    const gql_field_t *def = ti->field;
    for (size_t i = 0; def && i < def->nargs && !v->aborted; i++) {
        const gql_input_value_t *a = &def->args[i];
        if (a->type->kind != GQL_REF_NON_NULL || a->default_value || has_argument(f, a->name))
            continue;
        gqlv__report(v, &f->loc, 1,
                     "Field \"%.*s\" argument \"%.*s\" of type \"%s\" is required, but it was not "
                     "provided.",
                     NAMEF(def->name), NAMEF(a->name), type_text(v, a->type));
    }
}
