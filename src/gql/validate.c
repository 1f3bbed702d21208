/* gql_validate: sets up the context of one validation (indexes of the
 * document's fragments, types and directives, the introspection meta
 * fields) and runs the walk that applies every rule. */
#include <string.h>

#include "core/error.h"
#include "gql/validate_internal.h"

/* graphql-js' budget for fragment bookkeeping (ValidationContext). */
#define FRAGMENT_WORK_BUDGET 50000

static gql_type_ref_t *wrap(facet_arena_t *a, gql_type_ref_kind_t kind, const gql_type_ref_t *of)
{
    gql_type_ref_t *r = FACET_ARENA_NEW(a, gql_type_ref_t);
    if (r) {
        r->kind = kind;
        r->of = of;
    }
    return r;
}

/* __typename on every composite type, __schema and __type on the query
 * type, as graphql-js' TypeInfo finds them. */
static bool init_meta_fields(gqlv__ctx_t *v)
{
    const gql_type_ref_t *string =
        gqlv__named_ref(v, gqlv__type_by_name(v, FACET_STR_LIT("String")));
    const gql_type_ref_t *schema =
        gqlv__named_ref(v, gqlv__type_by_name(v, FACET_STR_LIT("__Schema")));
    const gql_type_ref_t *type = gqlv__named_ref(v, gqlv__type_by_name(v, FACET_STR_LIT("__Type")));
    v->meta_typename.name = FACET_STR_LIT("__typename");
    v->meta_schema.name = FACET_STR_LIT("__schema");
    v->meta_type.name = FACET_STR_LIT("__type");
    if (string) {
        v->meta_typename.type = wrap(v->a, GQL_REF_NON_NULL, string);
        v->meta_type_arg.name = FACET_STR_LIT("name");
        v->meta_type_arg.type = wrap(v->a, GQL_REF_NON_NULL, string);
        if (!v->meta_typename.type || !v->meta_type_arg.type)
            return false;
    }
    if (schema && !(v->meta_schema.type = wrap(v->a, GQL_REF_NON_NULL, schema)))
        return false;
    if (type && string) {
        v->meta_type.type = type;
        v->meta_type.args = &v->meta_type_arg;
        v->meta_type.nargs = 1;
    }
    return true;
}

static bool index_document(gqlv__ctx_t *v)
{
    for (size_t i = 0; i < v->doc->ndefinitions; i++) {
        const gql_ast_definition_t *d = &v->doc->definitions[i];
        facet_str_t n;
        switch (d->kind) {
        case GQL_AST_OPERATION_DEF:
            v->operation_count++;
            break;
        case GQL_AST_FRAGMENT_DEF:
            /* The last fragment of a name is the one graphql-js finds. */
            n = d->u.fragment->name.value;
            if (!gqlv__map_put(&v->fragments, n.base, n.len, d->u.fragment))
                return false;
            break;
        case GQL_AST_TYPE_DEF:
            n = d->u.type->name.value;
            if (d->u.type->extension || gqlv__map_sget(&v->doc_types, n))
                break;
            if (!gqlv__map_put(&v->doc_types, n.base, n.len, d->u.type) ||
                !gqlv__vec_push(v->a, &v->doc_type_names, &d->u.type->name))
                return false;
            break;
        case GQL_AST_DIRECTIVE_DEF:
            n = d->u.directive->name.value;
            if (!gqlv__map_put(&v->doc_directives, n.base, n.len, d->u.directive))
                return false;
            break;
        default:
            break;
        }
    }
    return true;
}

static bool init_context(gqlv__ctx_t *v)
{
    gqlv__map_t *maps[] = {
        &v->fragments,   &v->doc_types,     &v->doc_directives,  &v->op_names,
        &v->frag_names,  &v->cycle_visited, &v->spread_lists,    &v->usage_cache,
        &v->ref_cache,   &v->op_usages,     &v->type_directives, &v->schema_directives,
        &v->mid_checked, &v->mid_exceeded,
    };
    for (size_t i = 0; i < sizeof maps / sizeof *maps; i++)
        gqlv__map_init(maps[i], v->a);
    size_t n = v->schema->ntypes;
    v->named_refs = FACET_ARENA_ARRAY(v->a, gql_type_ref_t, n + 1);
    if (!v->named_refs)
        return false;
    for (size_t i = 0; i < n; i++) {
        v->named_refs[i].kind = GQL_REF_NAMED;
        v->named_refs[i].named = v->schema->types[i];
    }
    return init_meta_fields(v) && index_document(v);
}

int gql_validate(const gql_schema_t *schema, const gql_ast_document_t *doc,
                 const gql_validate_opts_t *opts, facet_arena_t *scratch, gql_error_list_t *errors)
{
    gqlv__ctx_t v;
    memset(&v, 0, sizeof v);
    v.schema = schema;
    v.doc = doc;
    v.a = scratch;
    v.errors = errors;
    v.hide_suggestions = opts && opts->hide_suggestions;
    v.max_errors = opts && opts->max_errors ? opts->max_errors : GQL_VALIDATE_MAX_ERRORS;
    v.fragment_work = FRAGMENT_WORK_BUDGET;
    size_t before = errors->count;
    if (!init_context(&v))
        return FACET_ENOMEM;
    gqlv__walk_document(&v);
    if (v.oom)
        return FACET_ENOMEM;
    return errors->count != before || v.nerrors || v.aborted ? FACET_EINVAL : FACET_OK;
}
