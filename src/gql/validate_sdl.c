/* Type-system definitions inside an executable document. ExecutableDefinitions
 * refuses them, but graphql-js still walks them with the other rules, so
 * their unknown types and directives, directive arguments and duplicate
 * directives are reported too, in the same order. */
#include "gql/validate_internal.h"

/* UniqueDirectivesPerLocation runs when a node is entered, the directives
 * themselves are walked later, after the node's name and types. */
static void walk_directives(gqlv__ctx_t *v, const gql_ast_directive_t *d, size_t n,
                            uint32_t location)
{
    gqlv__ti_t ti = {0};
    gqlv__walk_directives(v, &ti, d, n, location);
}

static void walk_input_value(gqlv__ctx_t *v, const gql_ast_input_value_def_t *iv, uint32_t location)
{
    gqlv__ti_t ti = {0};
    gqlv__rule_unique_directives(v, iv->directives, iv->ndirectives, NULL);
    gqlv__walk_type(v, iv->type, true);
    if (iv->default_value)
        gqlv__walk_value(v, &ti, iv->default_value, true);
    gqlv__walk_directives(v, &ti, iv->directives, iv->ndirectives, location);
}

static void walk_field_def(gqlv__ctx_t *v, const gql_ast_field_def_t *f)
{
    gqlv__rule_unique_directives(v, f->directives, f->ndirectives, NULL);
    for (size_t i = 0; i < f->nargs && !v->aborted; i++)
        walk_input_value(v, &f->args[i], GQL_DL_ARGUMENT_DEFINITION);
    gqlv__walk_type(v, f->type, true);
    gqlv__ti_t ti = {0};
    gqlv__walk_directives(v, &ti, f->directives, f->ndirectives, GQL_DL_FIELD_DEFINITION);
}

static void walk_names(gqlv__ctx_t *v, const gql_ast_name_t *names, size_t n)
{
    for (size_t i = 0; i < n && !v->aborted; i++)
        gqlv__walk_named_type(v, &names[i], true);
}

static void walk_type_def(gqlv__ctx_t *v, const gql_ast_type_def_t *t)
{
    gqlv__map_t *scope = gqlv__type_directive_scope(v, t->name.value);
    if (!scope)
        return;
    gqlv__rule_unique_directives(v, t->directives, t->ndirectives, scope);
    switch (t->kind) {
    case GQL_SCALAR:
        walk_directives(v, t->directives, t->ndirectives, GQL_DL_SCALAR);
        break;
    case GQL_OBJECT:
    case GQL_INTERFACE:
        walk_names(v, t->interfaces, t->ninterfaces);
        walk_directives(v, t->directives, t->ndirectives,
                        t->kind == GQL_OBJECT ? GQL_DL_OBJECT : GQL_DL_INTERFACE);
        for (size_t i = 0; i < t->nfields && !v->aborted; i++)
            walk_field_def(v, &t->fields[i]);
        break;
    case GQL_UNION:
        walk_directives(v, t->directives, t->ndirectives, GQL_DL_UNION);
        walk_names(v, t->members, t->nmembers);
        break;
    case GQL_ENUM:
        walk_directives(v, t->directives, t->ndirectives, GQL_DL_ENUM);
        for (size_t i = 0; i < t->nvalues && !v->aborted; i++) {
            const gql_ast_enum_value_def_t *ev = &t->values[i];
            gqlv__rule_unique_directives(v, ev->directives, ev->ndirectives, NULL);
            walk_directives(v, ev->directives, ev->ndirectives, GQL_DL_ENUM_VALUE);
        }
        break;
    case GQL_INPUT_OBJECT:
        walk_directives(v, t->directives, t->ndirectives, GQL_DL_INPUT_OBJECT);
        /* graphql-js tells input fields from arguments by the parent node
         * kind, and an input extension is not an input definition. */
        for (size_t i = 0; i < t->ninput_fields && !v->aborted; i++)
            walk_input_value(v, &t->input_fields[i],
                             t->extension ? GQL_DL_ARGUMENT_DEFINITION
                                          : GQL_DL_INPUT_FIELD_DEFINITION);
        break;
    }
}

void gqlv__walk_sdl_definition(gqlv__ctx_t *v, const gql_ast_definition_t *def)
{
    switch (def->kind) {
    case GQL_AST_SCHEMA_DEF: {
        const gql_ast_schema_def_t *s = def->u.schema;
        gqlv__rule_unique_directives(v, s->directives, s->ndirectives, &v->schema_directives);
        walk_directives(v, s->directives, s->ndirectives, GQL_DL_SCHEMA);
        for (size_t i = 0; i < s->noperation_types && !v->aborted; i++)
            gqlv__walk_named_type(v, &s->operation_types[i].type, true);
        break;
    }
    case GQL_AST_TYPE_DEF:
        walk_type_def(v, def->u.type);
        break;
    case GQL_AST_DIRECTIVE_DEF:
        for (size_t i = 0; i < def->u.directive->nargs && !v->aborted; i++)
            walk_input_value(v, &def->u.directive->args[i], GQL_DL_ARGUMENT_DEFINITION);
        break;
    default:
        break;
    }
}
