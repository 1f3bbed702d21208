/* Directive rules: KnownDirectives, UniqueDirectivesPerLocation, and the
 * directive halves of KnownArgumentNames and ProvidedRequiredArguments. A
 * directive defined in the document itself (SDL mixed into an executable
 * document) overrides the schema's of the same name, as in graphql-js. */
#include <string.h>

#include "gql/validate_internal.h"

#define NAMEF(s) (int)(s).len, (s).base

static const gql_ast_directive_def_t *doc_directive(gqlv__ctx_t *v, facet_str_t name)
{
    return gqlv__map_sget(&v->doc_directives, name);
}

void gqlv__rule_known_directive(gqlv__ctx_t *v, const gql_ast_directive_t *d, uint32_t location)
{
    const gql_ast_directive_def_t *adef = doc_directive(v, d->name.value);
    const gql_directive_t *sdef = adef ? NULL : gql_schema_directive(v->schema, d->name.value);
    if (!adef && !sdef) {
        gqlv__report(v, &d->name.loc, 1, "Unknown directive \"@%.*s\".", NAMEF(d->name.value));
        return;
    }
    uint32_t allowed = 0;
    if (adef) {
        for (size_t i = 0; i < adef->nlocations; i++)
            allowed |= gqlv__location_bit(adef->locations[i].value);
    } else {
        allowed = sdef->locations;
    }
    if (location && !(allowed & location))
        gqlv__report(v, &d->name.loc, 1, "Directive \"@%.*s\" may not be used on %s.",
                     NAMEF(d->name.value), gqlv__location_name(location));
}

/* The argument names a directive accepts; false when it is unknown. */
static bool directive_arg_names(gqlv__ctx_t *v, facet_str_t name, facet_str_t **out, size_t *n)
{
    const gql_ast_directive_def_t *adef = doc_directive(v, name);
    const gql_directive_t *sdef = adef ? NULL : gql_schema_directive(v->schema, name);
    if (!adef && !sdef)
        return false;
    *n = adef ? adef->nargs : sdef->nargs;
    *out = FACET_ARENA_ARRAY(v->a, facet_str_t, *n + 1);
    if (!*out) {
        gqlv__oom(v);
        return false;
    }
    for (size_t i = 0; i < *n; i++)
        (*out)[i] = adef ? adef->args[i].name.value : sdef->args[i].name;
    return true;
}

void gqlv__rule_known_directive_args(gqlv__ctx_t *v, const gql_ast_directive_t *d)
{
    facet_str_t *known;
    size_t nknown;
    if (!d->nargs || !directive_arg_names(v, d->name.value, &known, &nknown))
        return;
    for (size_t i = 0; i < d->nargs && !v->aborted; i++) {
        const gql_ast_argument_t *arg = &d->args[i];
        bool found = false;
        for (size_t k = 0; k < nknown && !found; k++)
            found = facet_str_eq(known[k], arg->name.value);
        if (found)
            continue;
        gqlv__sb_t sb;
        gqlv__sb_init(&sb, v->a);
        gqlv__sb_printf(&sb, "Unknown argument \"%.*s\" on directive \"@%.*s\".",
                        NAMEF(arg->name.value), NAMEF(d->name.value));
        if (!v->hide_suggestions) {
            facet_str_t out[5];
            size_t n = gqlv__suggest(v->a, arg->name.value, known, nknown, out, 5);
            gqlv__sb_did_you_mean(&sb, NULL, out, n);
        }
        gqlv__report(v, &arg->name.loc, 1, "%s", gqlv__sb_cstr_of(&sb));
    }
}

static bool directive_has_arg(const gql_ast_directive_t *d, facet_str_t name)
{
    for (size_t i = 0; i < d->nargs; i++) {
        if (facet_str_eq(d->args[i].name.value, name))
            return true;
    }
    return false;
}

static void report_missing(gqlv__ctx_t *v, const gql_ast_directive_t *d, facet_str_t arg,
                           const gql_type_ref_t *type, const gql_ast_type_t *ast_type)
{
    gqlv__sb_t sb;
    gqlv__sb_init(&sb, v->a);
    if (type)
        gqlv__sb_type(&sb, type);
    else
        gqlv__sb_ast_type(&sb, ast_type);
    gqlv__report(v, &d->name.loc, 1,
                 "Directive \"@%.*s\" argument \"%.*s\" of type \"%s\" is required, but it was not "
                 "provided.",
                 NAMEF(d->name.value), NAMEF(arg), gqlv__sb_cstr_of(&sb));
}

void gqlv__rule_required_directive_args(gqlv__ctx_t *v, const gql_ast_directive_t *d)
{
    const gql_ast_directive_def_t *adef = doc_directive(v, d->name.value);
    if (adef) {
        for (size_t i = 0; i < adef->nargs && !v->aborted; i++) {
            const gql_ast_input_value_def_t *a = &adef->args[i];
            if (a->type->kind == GQL_AST_NON_NULL_TYPE && !a->default_value &&
                !directive_has_arg(d, a->name.value))
                report_missing(v, d, a->name.value, NULL, a->type);
        }
        return;
    }
    const gql_directive_t *sdef = gql_schema_directive(v->schema, d->name.value);
    for (size_t i = 0; sdef && i < sdef->nargs && !v->aborted; i++) {
        const gql_input_value_t *a = &sdef->args[i];
        if (a->type->kind == GQL_REF_NON_NULL && !a->default_value &&
            !directive_has_arg(d, a->name))
            report_missing(v, d, a->name, a->type, NULL);
    }
}

static bool is_unique_directive(gqlv__ctx_t *v, facet_str_t name)
{
    const gql_ast_directive_def_t *adef = doc_directive(v, name);
    if (adef)
        return !adef->repeatable;
    const gql_directive_t *sdef = gql_schema_directive(v->schema, name);
    return sdef && !sdef->repeatable;
}

gqlv__map_t *gqlv__type_directive_scope(gqlv__ctx_t *v, facet_str_t type_name)
{
    gqlv__map_t *m = gqlv__map_sget(&v->type_directives, type_name);
    if (m)
        return m;
    m = FACET_ARENA_NEW(v->a, gqlv__map_t);
    if (!m || !gqlv__map_put(&v->type_directives, type_name.base, type_name.len, m)) {
        gqlv__oom(v);
        return NULL;
    }
    gqlv__map_init(m, v->a);
    return m;
}

/* The first earlier unique directive named like d[i], at a fresh location. */
static const gql_ast_directive_t *seen_here(const gql_ast_directive_t *d, size_t i)
{
    for (size_t k = 0; k < i; k++) {
        if (facet_str_eq(d[k].name.value, d[i].name.value))
            return &d[k];
    }
    return NULL;
}

void gqlv__rule_unique_directives(gqlv__ctx_t *v, const gql_ast_directive_t *d, size_t n,
                                  gqlv__map_t *scope)
{
    gqlv__map_t local;
    if (!scope && n > 16) {
        gqlv__map_init(&local, v->a);
        scope = &local;
    }
    for (size_t i = 0; i < n && !v->aborted; i++) {
        facet_str_t name = d[i].name.value;
        if (!is_unique_directive(v, name))
            continue;
        const gql_ast_directive_t *first;
        if (scope) {
            first = gqlv__map_sget(scope, name);
            if (!first && !gqlv__map_put(scope, name.base, name.len, (void *)&d[i])) {
                gqlv__oom(v);
                return;
            }
        } else {
            first = seen_here(d, i);
        }
        if (first) {
            gql_loc_t locs[2] = {first->name.loc, d[i].name.loc};
            gqlv__report(v, locs, 2,
                         "The directive \"@%.*s\" can only be used once at this location.",
                         NAMEF(name));
        }
    }
}
