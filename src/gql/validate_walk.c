/* The walk of an executable document that drives the validation rules, in
 * the order graphql-js visits nodes, keeping graphql-js' TypeInfo (parent
 * type, field definition, input type, directive) on the C stack. At each
 * node the rules run in specifiedRules order, so errors come out in
 * graphql-js' order. The same walk, with rules off, collects the variable
 * usages of an operation or fragment. */
#include <string.h>

#include "gql/validate_internal.h"

static void walk_selection_set(gqlv__ctx_t *v, const gqlv__ti_t *ti,
                               const gql_ast_selection_set_t *ss, bool in_inline);

void gqlv__walk_named_type(gqlv__ctx_t *v, const gql_ast_name_t *name, bool sdl)
{
    if (!v->collect)
        gqlv__rule_known_type_names(v, name, sdl);
}

void gqlv__walk_type(gqlv__ctx_t *v, const gql_ast_type_t *t, bool sdl)
{
    while (t && t->kind != GQL_AST_NAMED_TYPE)
        t = t->of_type;
    if (t)
        gqlv__walk_named_type(v, &t->name, sdl);
}

static void walk_argument(gqlv__ctx_t *v, const gqlv__ti_t *ti, const gql_ast_argument_t *arg)
{
    /* As TypeInfo does, an argument of a directive the schema lacks is
     * looked up on the enclosing field. */
    const gql_input_value_t *def = NULL;
    if (ti->directive)
        def = gqlv__find_arg(ti->directive->args, ti->directive->nargs, arg->name.value);
    else if (ti->field)
        def = gqlv__find_arg(ti->field->args, ti->field->nargs, arg->name.value);
    gqlv__ti_t t = *ti;
    t.parent_input = ti->input;
    t.input = def && gqlv__is_input_ref(def->type) ? def->type : NULL;
    t.has_default = def && def->default_value;
    if (!v->collect && !ti->in_directive)
        gqlv__rule_known_argument(v, &t, arg, def);
    gqlv__walk_value(v, &t, arg->value, true);
}

void gqlv__walk_directives(gqlv__ctx_t *v, gqlv__ti_t *ti, const gql_ast_directive_t *d, size_t n,
                           uint32_t location)
{
    for (size_t i = 0; i < n && !v->aborted; i++) {
        gqlv__ti_t t = *ti;
        t.directive = gql_schema_directive(v->schema, d[i].name.value);
        t.in_directive = true;
        if (!v->collect) {
            gqlv__rule_known_directive(v, &d[i], location);
            gqlv__rule_known_directive_args(v, &d[i]);
            gqlv__rule_unique_arguments(v, d[i].args, d[i].nargs);
        }
        for (size_t k = 0; k < d[i].nargs && !v->aborted; k++)
            walk_argument(v, &t, &d[i].args[k]);
        if (!v->collect)
            gqlv__rule_required_directive_args(v, &d[i]);
    }
}

static void walk_field(gqlv__ctx_t *v, const gqlv__ti_t *ti, const gql_ast_selection_t *f)
{
    gqlv__ti_t t = *ti;
    t.field = gqlv__field_def(v, ti->parent_type, f->name.value);
    t.type = t.field ? t.field->type : NULL;
    bool mid_skip = v->mid_skip;
    if (!v->collect) {
        gqlv__rule_scalar_leafs(v, &t, f);
        gqlv__rule_fields_on_correct_type(v, &t, f);
        gqlv__rule_unique_directives(v, f->directives, f->ndirectives, NULL);
        gqlv__rule_unique_arguments(v, f->args, f->nargs);
        if (!v->mid_skip && !gqlv__rule_max_introspection_depth(v, f))
            v->mid_skip = true;
    }
    for (size_t i = 0; i < f->nargs && !v->aborted; i++)
        walk_argument(v, &t, &f->args[i]);
    gqlv__walk_directives(v, &t, f->directives, f->ndirectives, GQL_DL_FIELD);
    if (f->selection_set)
        walk_selection_set(v, &t, f->selection_set, false);
    if (!v->collect)
        gqlv__rule_required_field_args(v, &t, f);
    v->mid_skip = mid_skip;
}

static void walk_inline_fragment(gqlv__ctx_t *v, const gqlv__ti_t *ti, const gql_ast_selection_t *s)
{
    gqlv__ti_t t = *ti;
    bool has_cond = s->type_condition.value.len > 0;
    const gql_type_t *type =
        has_cond ? gqlv__type_by_name(v, s->type_condition.value) : gqlv__named(ti->type);
    t.type = type && gql_type_is_output(type) ? gqlv__named_ref(v, type) : NULL;
    if (!v->collect) {
        if (has_cond)
            gqlv__rule_fragment_on_composite(v, &s->type_condition, NULL);
        gqlv__rule_possible_inline(v, &t, s);
        gqlv__rule_unique_directives(v, s->directives, s->ndirectives, NULL);
    }
    if (has_cond)
        gqlv__walk_named_type(v, &s->type_condition, false);
    gqlv__walk_directives(v, &t, s->directives, s->ndirectives, GQL_DL_INLINE_FRAGMENT);
    if (s->selection_set)
        walk_selection_set(v, &t, s->selection_set, true);
}

static void walk_spread(gqlv__ctx_t *v, const gqlv__ti_t *ti, const gql_ast_selection_t *s)
{
    if (!v->collect) {
        gqlv__rule_known_fragment_name(v, s);
        gqlv__rule_possible_spread(v, ti, s);
        gqlv__rule_unique_directives(v, s->directives, s->ndirectives, NULL);
    }
    gqlv__ti_t t = *ti;
    gqlv__walk_directives(v, &t, s->directives, s->ndirectives, GQL_DL_FRAGMENT_SPREAD);
}

static void walk_selection_set(gqlv__ctx_t *v, const gqlv__ti_t *ti,
                               const gql_ast_selection_set_t *ss, bool in_inline)
{
    if (!gqlv__enter(v))
        return;
    gqlv__ti_t t = *ti;
    const gql_type_t *named = gqlv__named(ti->type);
    t.parent_type = named && gql_type_is_composite(named) ? (gql_type_t *)named : NULL;
    if (!v->collect && !in_inline)
        gqlv__rule_overlapping_fields(v, t.parent_type, ss);
    for (size_t i = 0; i < ss->nitems && !v->aborted; i++) {
        const gql_ast_selection_t *s = ss->items[i];
        switch (s->kind) {
        case GQL_AST_FIELD:
            walk_field(v, &t, s);
            break;
        case GQL_AST_FRAGMENT_SPREAD:
            walk_spread(v, &t, s);
            break;
        case GQL_AST_INLINE_FRAGMENT:
            walk_inline_fragment(v, &t, s);
            break;
        }
    }
    gqlv__leave(v);
}

static void walk_variable_def(gqlv__ctx_t *v, const gqlv__ti_t *ti,
                              const gql_ast_variable_def_t *def)
{
    gqlv__ti_t t = *ti;
    const gql_type_ref_t *type = gqlv__type_from_ast(v, def->type);
    t.parent_input = ti->input;
    t.input = gqlv__is_input_ref(type) ? type : NULL;
    gqlv__rule_variable_input_type(v, def);
    gqlv__vars_definition(v, def);
    gqlv__rule_unique_directives(v, def->directives, def->ndirectives, NULL);
    gqlv__walk_type(v, def->type, false);
    if (def->default_value)
        gqlv__walk_value(v, &t, def->default_value, true);
    gqlv__walk_directives(v, &t, def->directives, def->ndirectives, GQL_DL_VARIABLE_DEFINITION);
}

static uint32_t operation_location(gql_operation_type_t op)
{
    return op == GQL_OP_QUERY      ? GQL_DL_QUERY
           : op == GQL_OP_MUTATION ? GQL_DL_MUTATION
                                   : GQL_DL_SUBSCRIPTION;
}

static void walk_operation(gqlv__ctx_t *v, const gql_ast_operation_t *op)
{
    const gql_type_t *root = op->operation == GQL_OP_QUERY      ? v->schema->query
                             : op->operation == GQL_OP_MUTATION ? v->schema->mutation
                                                                : v->schema->subscription;
    gqlv__ti_t t = {0};
    t.type = root && root->kind == GQL_OBJECT ? gqlv__named_ref(v, root) : NULL;
    if (!v->collect) {
        gqlv__rule_unique_operation_name(v, op);
        gqlv__rule_lone_anonymous(v, op);
        gqlv__rule_single_field_subscription(v, op);
        gqlv__rule_unique_variables(v, op);
        gqlv__vars_operation_enter(v);
        gqlv__rule_unique_directives(v, op->directives, op->ndirectives, NULL);
        for (size_t i = 0; i < op->nvariables && !v->aborted; i++)
            walk_variable_def(v, &t, &op->variables[i]);
    }
    gqlv__walk_directives(v, &t, op->directives, op->ndirectives,
                          operation_location(op->operation));
    if (op->selection_set)
        walk_selection_set(v, &t, op->selection_set, false);
    if (!v->collect && !v->aborted)
        gqlv__vars_operation_leave(v, op);
}

static void walk_fragment(gqlv__ctx_t *v, const gql_ast_fragment_t *f)
{
    gqlv__ti_t t = {0};
    const gql_type_t *type = gqlv__type_by_name(v, f->type_condition.value);
    t.type = type && gql_type_is_output(type) ? gqlv__named_ref(v, type) : NULL;
    if (!v->collect) {
        gqlv__rule_fragment_on_composite(v, &f->type_condition, &f->name);
        gqlv__rule_unique_fragment_name(v, f);
        gqlv__rule_no_fragment_cycles(v, f);
        gqlv__rule_unique_directives(v, f->directives, f->ndirectives, NULL);
    }
    gqlv__walk_named_type(v, &f->type_condition, false);
    gqlv__walk_directives(v, &t, f->directives, f->ndirectives, GQL_DL_FRAGMENT_DEFINITION);
    if (f->selection_set)
        walk_selection_set(v, &t, f->selection_set, false);
}

void gqlv__walk_document(gqlv__ctx_t *v)
{
    gqlv__rule_executable_definitions(v);
    for (size_t i = 0; i < v->doc->ndefinitions && !v->aborted; i++) {
        const gql_ast_definition_t *def = &v->doc->definitions[i];
        switch (def->kind) {
        case GQL_AST_OPERATION_DEF:
            walk_operation(v, def->u.operation);
            break;
        case GQL_AST_FRAGMENT_DEF:
            walk_fragment(v, def->u.fragment);
            break;
        default:
            gqlv__walk_sdl_definition(v, def);
            break;
        }
    }
    if (!v->aborted)
        gqlv__rule_no_unused_fragments(v);
}

const gqlv__usages_t *gqlv__usages_of(gqlv__ctx_t *v, const gql_ast_operation_t *op,
                                      const gql_ast_fragment_t *frag)
{
    const void *key = op ? (const void *)op : (const void *)frag;
    gqlv__usages_t *u = gqlv__map_get(&v->usage_cache, &key, sizeof key);
    if (u)
        return u;
    u = FACET_ARENA_NEW(v->a, gqlv__usages_t);
    if (!u || !gqlv__map_put(&v->usage_cache, &key, sizeof key, u)) {
        gqlv__oom(v);
        return NULL;
    }
    gqlv__usages_t *saved = v->collect;
    bool mid_skip = v->mid_skip;
    v->collect = u;
    if (op)
        walk_operation(v, op);
    else
        walk_fragment(v, frag);
    v->collect = saved;
    v->mid_skip = mid_skip;
    return v->aborted ? NULL : u;
}
