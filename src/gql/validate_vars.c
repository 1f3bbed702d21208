/* Variable rules: UniqueVariableNames, NoUndefinedVariables,
 * NoUnusedVariables and VariablesInAllowedPosition (with its @oneOf
 * clause). The last three run when an operation is left, over the variable
 * usages of the operation and of every fragment it reaches. */
#include <string.h>

#include "gql/validate_internal.h"

#define NAMEF(s) (int)(s).len, (s).base

void gqlv__rule_unique_variables(gqlv__ctx_t *v, const gql_ast_operation_t *op)
{
    size_t n = op->nvariables;
    bool repeat = n > 16;
    for (size_t i = 1; i < n && !repeat; i++) {
        for (size_t k = 0; k < i && !repeat; k++)
            repeat = facet_str_eq(op->variables[i].name.value, op->variables[k].name.value);
    }
    if (!repeat)
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
        names[i] = op->variables[i].name.value;
    if (!gqlv__group_names(v, names, n, first, next))
        return;
    for (size_t i = 0; i < n && !v->aborted; i++) {
        if (!first[i] || next[i] == n)
            continue;
        size_t k = 0;
        for (size_t j = i; j < n; j = next[j])
            locs[k++] = op->variables[j].name.loc;
        gqlv__report(v, locs, k, "There can be only one variable named \"$%.*s\".",
                     NAMEF(names[i]));
    }
}

void gqlv__vars_operation_enter(gqlv__ctx_t *v)
{
    memset(&v->var_defs, 0, sizeof v->var_defs);
}

void gqlv__vars_definition(gqlv__ctx_t *v, const gql_ast_variable_def_t *def)
{
    if (!gqlv__vec_push(v->a, &v->var_defs, def))
        gqlv__oom(v);
}

/* graphql-js' allowedVariableUsage: a nullable variable may flow into a
 * non-null position when either side supplies a default. */
static bool allowed_usage(const gql_type_ref_t *var_type, const gql_ast_value_t *var_default,
                          const gql_type_ref_t *location, bool location_default)
{
    if (location->kind == GQL_REF_NON_NULL && var_type->kind != GQL_REF_NON_NULL) {
        bool non_null_default = var_default && var_default->kind != GQL_AST_NULL;
        if (!non_null_default && !location_default)
            return false;
        return gqlv__is_type_sub_type_of(var_type, location->of);
    }
    return gqlv__is_type_sub_type_of(var_type, location);
}

static const char *type_text(gqlv__ctx_t *v, const gql_type_ref_t *t)
{
    gqlv__sb_t sb;
    gqlv__sb_init(&sb, v->a);
    gqlv__sb_type(&sb, t);
    return gqlv__sb_cstr_of(&sb);
}

static void no_undefined(gqlv__ctx_t *v, const gql_ast_operation_t *op, const gqlv__usages_t *u,
                         const gqlv__map_t *defs)
{
    for (size_t i = 0; i < u->n && !v->aborted; i++) {
        const gql_ast_value_t *node = u->items[i].node;
        if (gqlv__map_sget(defs, node->text))
            continue;
        gql_loc_t locs[2] = {node->loc, op->loc};
        if (op->name.value.len)
            gqlv__report(v, locs, 2, "Variable \"$%.*s\" is not defined by operation \"%.*s\".",
                         NAMEF(node->text), NAMEF(op->name.value));
        else
            gqlv__report(v, locs, 2, "Variable \"$%.*s\" is not defined.", NAMEF(node->text));
    }
}

static void no_unused(gqlv__ctx_t *v, const gql_ast_operation_t *op, const gqlv__usages_t *u)
{
    gqlv__map_t used;
    gqlv__map_init(&used, v->a);
    for (size_t i = 0; i < u->n; i++) {
        facet_str_t name = u->items[i].node->text;
        if (!gqlv__map_put(&used, name.base, name.len, (void *)u->items[i].node)) {
            gqlv__oom(v);
            return;
        }
    }
    for (size_t i = 0; i < v->var_defs.n && !v->aborted; i++) {
        const gql_ast_variable_def_t *def = v->var_defs.items[i];
        if (gqlv__map_sget(&used, def->name.value))
            continue;
        if (op->name.value.len)
            gqlv__report(v, &def->loc, 1, "Variable \"$%.*s\" is never used in operation \"%.*s\".",
                         NAMEF(def->name.value), NAMEF(op->name.value));
        else
            gqlv__report(v, &def->loc, 1, "Variable \"$%.*s\" is never used.",
                         NAMEF(def->name.value));
    }
}

static void allowed_positions(gqlv__ctx_t *v, const gqlv__usages_t *u, const gqlv__map_t *defs)
{
    for (size_t i = 0; i < u->n && !v->aborted; i++) {
        const gqlv__usage_t *use = &u->items[i];
        const gql_ast_variable_def_t *def = gqlv__map_sget(defs, use->node->text);
        if (!def || !use->type)
            continue;
        const gql_type_ref_t *var_type = gqlv__type_from_ast(v, def->type);
        if (!var_type)
            continue;
        gql_loc_t locs[2] = {def->loc, use->node->loc};
        if (!allowed_usage(var_type, def->default_value, use->type, use->has_default))
            gqlv__report(v, locs, 2,
                         "Variable \"$%.*s\" of type \"%s\" used in position expecting type "
                         "\"%s\".",
                         NAMEF(use->node->text), type_text(v, var_type), type_text(v, use->type));
        const gql_type_ref_t *p = use->parent_type;
        if (p && p->kind == GQL_REF_NAMED && p->named->kind == GQL_INPUT_OBJECT &&
            p->named->one_of && var_type->kind != GQL_REF_NON_NULL)
            gqlv__report(v, locs, 2,
                         "Variable \"$%.*s\" is of type \"%s\" but must be non-nullable to be used "
                         "for OneOf Input Object \"%.*s\".",
                         NAMEF(use->node->text), type_text(v, var_type), NAMEF(p->named->name));
    }
}

void gqlv__vars_operation_leave(gqlv__ctx_t *v, const gql_ast_operation_t *op)
{
    const gqlv__usages_t *u = gqlv__recursive_usages(v, op);
    if (!u)
        return;
    /* The last definition of a name wins, as in graphql-js' maps. */
    gqlv__map_t defs;
    gqlv__map_init(&defs, v->a);
    for (size_t i = 0; i < v->var_defs.n; i++) {
        const gql_ast_variable_def_t *def = v->var_defs.items[i];
        if (!gqlv__map_put(&defs, def->name.value.base, def->name.value.len, (void *)def)) {
            gqlv__oom(v);
            return;
        }
    }
    no_undefined(v, op, u, &defs);
    no_unused(v, op, u);
    allowed_positions(v, u, &defs);
}
