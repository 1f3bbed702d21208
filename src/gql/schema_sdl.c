/* The SDL validation rules graphql-js runs in buildSchema before building
 * anything (its specifiedSDLRules). graphql-js runs them as one parallel
 * visitor, so errors come out in document order and, at one node, in rule
 * order; this walk visits the tree in the same order and calls the checks
 * in the same order at each node. The checks live in schema_sdl_rules.c. */
#include <string.h>

#include "core/error.h"
#include "gql/schema_sdl.h"

static void walk_value(sdl_ctx_t *c, const gql_ast_value_t *v)
{
    if (!v)
        return;
    if (v->kind == GQL_AST_LIST) {
        for (size_t i = 0; i < v->nitems; i++)
            walk_value(c, v->items[i]);
    } else if (v->kind == GQL_AST_OBJECT) {
        /* Each object literal has its own scope of field names. */
        gql__smap_t seen;
        if (gql__smap_init(&seen, c->b->a, v->nfields)) {
            c->b->rc = FACET_ENOMEM;
            return;
        }
        for (size_t i = 0; i < v->nfields; i++) {
            sdl_object_field(c, &seen, &v->fields[i]);
            walk_value(c, v->fields[i].value);
        }
    }
}

static void walk_directives(sdl_ctx_t *c, const gql_ast_directive_t *dirs, size_t n,
                            sdl_location_t where)
{
    for (size_t i = 0; i < n; i++) {
        sdl_directive_enter(c, &dirs[i], where);
        for (size_t j = 0; j < dirs[i].nargs; j++)
            walk_value(c, dirs[i].args[j].value);
        sdl_directive_leave(c, &dirs[i]);
    }
}

static void walk_type(sdl_ctx_t *c, const gql_ast_type_t *t, bool sdl)
{
    while (t && t->kind != GQL_AST_NAMED_TYPE)
        t = t->of_type;
    if (t)
        sdl_named_type(c, &t->name, sdl);
}

static void walk_input_values(sdl_ctx_t *c, const gql_ast_input_value_def_t *ivs, size_t n,
                              sdl_location_t where)
{
    for (size_t i = 0; i < n; i++) {
        const gql_ast_input_value_def_t *iv = &ivs[i];
        sdl_unique_directives(c, iv->directives, iv->ndirectives, NULL);
        walk_type(c, iv->type, true);
        walk_value(c, iv->default_value);
        walk_directives(c, iv->directives, iv->ndirectives, where);
    }
}

static void walk_type_def(sdl_ctx_t *c, const gql_ast_type_def_t *t)
{
    sdl_type_def_enter(c, t);
    for (size_t i = 0; i < t->ninterfaces; i++)
        sdl_named_type(c, &t->interfaces[i], true);
    walk_directives(c, t->directives, t->ndirectives, sdl_type_location(t->kind));
    for (size_t i = 0; i < t->nfields; i++) {
        const gql_ast_field_def_t *f = &t->fields[i];
        sdl_unique_directives(c, f->directives, f->ndirectives, NULL);
        walk_input_values(c, f->args, f->nargs, GQL_DL_ARGUMENT_DEFINITION);
        walk_type(c, f->type, true);
        walk_directives(c, f->directives, f->ndirectives, GQL_DL_FIELD_DEFINITION);
    }
    for (size_t i = 0; i < t->nmembers; i++)
        sdl_named_type(c, &t->members[i], true);
    for (size_t i = 0; i < t->nvalues; i++) {
        const gql_ast_enum_value_def_t *v = &t->values[i];
        sdl_unique_directives(c, v->directives, v->ndirectives, NULL);
        walk_directives(c, v->directives, v->ndirectives, GQL_DL_ENUM_VALUE);
    }
    /* graphql-js names the location of an input field from its parent's
     * kind and recognizes only definitions, so the fields of an
     * "extend input" count as argument definitions. */
    walk_input_values(c, t->input_fields, t->ninput_fields,
                      t->extension ? GQL_DL_ARGUMENT_DEFINITION : GQL_DL_INPUT_FIELD_DEFINITION);
}

static void walk_schema_def(sdl_ctx_t *c, const gql_ast_schema_def_t *s)
{
    sdl_schema_def_enter(c, s);
    walk_directives(c, s->directives, s->ndirectives, GQL_DL_SCHEMA);
    for (size_t i = 0; i < s->noperation_types; i++)
        sdl_named_type(c, &s->operation_types[i].type, true);
}

static void walk_directive_def(sdl_ctx_t *c, const gql_ast_directive_def_t *d)
{
    sdl_directive_def_enter(c, d);
    walk_input_values(c, d->args, d->nargs, GQL_DL_ARGUMENT_DEFINITION);
}

/* ---- executable definitions: buildSchema ignores them, but its rules
 * still visit them ---- */

static void walk_selection_set(sdl_ctx_t *c, const gql_ast_selection_set_t *set);

static void walk_selection(sdl_ctx_t *c, const gql_ast_selection_t *sel)
{
    sdl_unique_directives(c, sel->directives, sel->ndirectives, NULL);
    switch (sel->kind) {
    case GQL_AST_FIELD:
        sdl_unique_arguments(c, sel->args, sel->nargs);
        for (size_t i = 0; i < sel->nargs; i++)
            walk_value(c, sel->args[i].value);
        walk_directives(c, sel->directives, sel->ndirectives, GQL_DL_FIELD);
        break;
    case GQL_AST_FRAGMENT_SPREAD:
        walk_directives(c, sel->directives, sel->ndirectives, GQL_DL_FRAGMENT_SPREAD);
        break;
    case GQL_AST_INLINE_FRAGMENT:
        if (sel->type_condition.value.base)
            sdl_named_type(c, &sel->type_condition, false);
        walk_directives(c, sel->directives, sel->ndirectives, GQL_DL_INLINE_FRAGMENT);
        break;
    }
    walk_selection_set(c, sel->selection_set);
}

static void walk_selection_set(sdl_ctx_t *c, const gql_ast_selection_set_t *set)
{
    for (size_t i = 0; set && i < set->nitems; i++)
        walk_selection(c, set->items[i]);
}

static void walk_operation(sdl_ctx_t *c, const gql_ast_operation_t *op)
{
    static const sdl_location_t where[] = {GQL_DL_QUERY, GQL_DL_MUTATION, GQL_DL_SUBSCRIPTION};
    sdl_unique_directives(c, op->directives, op->ndirectives, NULL);
    for (size_t i = 0; i < op->nvariables; i++) {
        const gql_ast_variable_def_t *v = &op->variables[i];
        sdl_unique_directives(c, v->directives, v->ndirectives, NULL);
        walk_type(c, v->type, false);
        walk_value(c, v->default_value);
        walk_directives(c, v->directives, v->ndirectives, GQL_DL_VARIABLE_DEFINITION);
    }
    walk_directives(c, op->directives, op->ndirectives, where[op->operation % 3]);
    walk_selection_set(c, op->selection_set);
}

static void walk_fragment(sdl_ctx_t *c, const gql_ast_fragment_t *f)
{
    sdl_unique_directives(c, f->directives, f->ndirectives, NULL);
    sdl_named_type(c, &f->type_condition, false);
    walk_directives(c, f->directives, f->ndirectives, GQL_DL_FRAGMENT_DEFINITION);
    walk_selection_set(c, f->selection_set);
}

void gql__schema_validate_sdl(gql__sbuild_t *b)
{
    sdl_ctx_t c;
    if (sdl_ctx_init(&c, b)) {
        b->rc = FACET_ENOMEM;
        return;
    }
    const gql_ast_document_t *doc = b->doc;
    for (size_t i = 0; i < doc->ndefinitions && !b->rc; i++) {
        const gql_ast_definition_t *def = &doc->definitions[i];
        switch (def->kind) {
        case GQL_AST_SCHEMA_DEF:
            walk_schema_def(&c, def->u.schema);
            break;
        case GQL_AST_TYPE_DEF:
            walk_type_def(&c, def->u.type);
            break;
        case GQL_AST_DIRECTIVE_DEF:
            walk_directive_def(&c, def->u.directive);
            break;
        case GQL_AST_OPERATION_DEF:
            walk_operation(&c, def->u.operation);
            break;
        case GQL_AST_FRAGMENT_DEF:
            walk_fragment(&c, def->u.fragment);
            break;
        }
    }
}
