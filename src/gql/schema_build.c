/* From syntax tree to schema types: one gql_type_t per type definition,
 * merged with its extensions ("extend type ..."), type references resolved
 * by name, and the values graphql-js reads from the built-in directives
 * (@deprecated reasons, @specifiedBy URLs, @oneOf). Runs on the built-in
 * document first, then on the user's, which has passed the SDL rules. */
#include <stddef.h>
#include <string.h>

#include "core/error.h"
#include "gql/schema_internal.h"

static int oom(gql__sbuild_t *b)
{
    b->rc = FACET_ENOMEM;
    return FACET_ENOMEM;
}

/* ---- references and directive values ---- */

static const gql_type_ref_t *build_ref(gql__sbuild_t *b, const gql_ast_type_t *t)
{
    gql_type_ref_t *r = FACET_ARENA_NEW(b->a, gql_type_ref_t);
    if (!r) {
        oom(b);
        return NULL;
    }
    if (t->kind == GQL_AST_NAMED_TYPE) {
        r->kind = GQL_REF_NAMED;
        r->named = gql__smap_get(&b->types, t->name.value);
        if (!r->named) {
            /* The SDL rules report unknown types first; this only guards the
             * built-in document. */
            gql__sbuild_error(b, &t->loc, 1, "Unknown type \"%.*s\".", (int)t->name.value.len,
                              t->name.value.base);
            return NULL;
        }
        return r;
    }
    r->kind = t->kind == GQL_AST_LIST_TYPE ? GQL_REF_LIST : GQL_REF_NON_NULL;
    r->of = build_ref(b, t->of_type);
    return r->of ? r : NULL;
}

static const gql_directive_t *std_directive(const gql__sbuild_t *b, const char *name)
{
    for (size_t i = 0; i < b->nstd_directives; i++) {
        if (facet_str_eq(b->std_directives[i]->name, facet_str_c(name)))
            return b->std_directives[i];
    }
    return NULL;
}

/* The value of argument arg of the built-in directive name where node
 * applies it, as graphql-js' getDirectiveValues reads it: the literal, the
 * argument's default when absent, NULL for an explicit null. A value that
 * does not coerce is an error (graphql-js throws it from buildSchema). */
static int directive_arg(gql__sbuild_t *b, const gql_ast_directive_t *node, const char *name,
                         const char *arg, const gql_ast_value_t **out)
{
    *out = NULL;
    const gql_directive_t *d = std_directive(b, name);
    const gql_input_value_t *def = NULL;
    for (size_t i = 0; d && i < d->nargs; i++) {
        if (facet_str_eq(d->args[i].name, facet_str_c(arg)))
            def = &d->args[i];
    }
    if (!def)
        return FACET_OK;
    const gql_ast_value_t *lit = NULL;
    for (size_t i = 0; i < node->nargs; i++) {
        if (facet_str_eq(node->args[i].name.value, def->name))
            lit = node->args[i].value;
    }
    if (!lit) {
        /* A missing required argument was reported by the SDL rules. */
        *out = def->default_value;
        return FACET_OK;
    }
    if (lit->kind == GQL_AST_NULL) {
        if (def->type->kind == GQL_REF_NON_NULL)
            gql__sbuild_error(b, &lit->loc, 1,
                              "Argument \"%s\" of non-null type \"%s\" must not be null.", arg,
                              gql__sbuild_type_str(b, def->type));
        return FACET_OK;
    }
    int rc = gql__schema_normalize_value(b, lit, def->type, out);
    if (rc)
        return rc;
    if (!*out) {
        gql__sbuild_error(b, &lit->loc, 1, "Argument \"%s\" has invalid value %s.", arg,
                          gql__sbuild_value_str(b, lit));
    }
    return FACET_OK;
}

static facet_str_t string_arg(gql__sbuild_t *b, const gql_ast_directive_t *dirs, size_t n,
                              const char *name, const char *arg)
{
    const gql_ast_directive_t *node = gql__find_directive(dirs, n, name);
    const gql_ast_value_t *v = NULL;
    if (!node || directive_arg(b, node, name, arg, &v) || !v || v->kind != GQL_AST_STRING)
        return FACET_STR_NULL;
    return v->text;
}

static facet_str_t deprecation(gql__sbuild_t *b, const gql_ast_directive_t *dirs, size_t n)
{
    return string_arg(b, dirs, n, "deprecated", "reason");
}

/* ---- members ---- */

static int build_input_values(gql__sbuild_t *b, const gql_ast_input_value_def_t *defs, size_t n,
                              gql_input_value_t *out)
{
    for (size_t i = 0; i < n; i++) {
        const gql_ast_input_value_def_t *d = &defs[i];
        gql_input_value_t *v = &out[i];
        v->name = d->name.value;
        v->description = d->description;
        v->type = build_ref(b, d->type);
        if (!v->type)
            return b->rc ? b->rc : FACET_EINVAL;
        /* Kept as written until gql__schema_normalize_defaults runs. */
        v->default_value = d->default_value;
        v->deprecation_reason = deprecation(b, d->directives, d->ndirectives);
        v->loc = d->loc;
        v->ast = d;
    }
    return b->rc;
}

/* The arguments of a field or a directive: *args and *nargs set from the n
 * definitions (no array when there are none). */
static int build_args(gql__sbuild_t *b, const gql_ast_input_value_def_t *defs, size_t n,
                      gql_input_value_t **args, size_t *nargs)
{
    if (n) {
        *args = FACET_ARENA_ARRAY(b->a, gql_input_value_t, n);
        if (!*args)
            return oom(b);
        *nargs = n;
    }
    return build_input_values(b, defs, n, *args);
}

static int build_field(gql__sbuild_t *b, const gql_ast_field_def_t *d, gql_field_t *f)
{
    f->name = d->name.value;
    f->description = d->description;
    f->loc = d->loc;
    f->ast = d;
    f->type = build_ref(b, d->type);
    if (!f->type)
        return b->rc ? b->rc : FACET_EINVAL;
    f->deprecation_reason = deprecation(b, d->directives, d->ndirectives);
    return build_args(b, d->args, d->nargs, &f->args, &f->nargs);
}

/* The nodes a type is built from: its definition, then its extensions. */
static const gql_ast_type_def_t *node_at(const gql_type_t *t, size_t i)
{
    return i == 0 ? t->ast : t->extensions[i - 1];
}

/* The sum of one count member (its offset in gql_ast_type_def_t) over the
 * nodes of t, at least 1 so that a type without any still gets an array. */
static size_t total(const gql_type_t *t, size_t count_offset)
{
    size_t n = 0;
    for (size_t i = 0; i <= t->nextensions; i++)
        n += *(const size_t *)((const char *)node_at(t, i) + count_offset);
    return n ? n : 1;
}

#define TOTAL(t, count) total((t), offsetof(gql_ast_type_def_t, count))

/* total() reads the counts it is given as size_t. */
#define IS_SIZE_T(x)  _Generic((x), size_t : 1, default : 0)
#define COUNT(member) (((const gql_ast_type_def_t *)0)->member)
_Static_assert(IS_SIZE_T(COUNT(ninterfaces)) && IS_SIZE_T(COUNT(nfields)) &&
                   IS_SIZE_T(COUNT(nmembers)) && IS_SIZE_T(COUNT(nvalues)) &&
                   IS_SIZE_T(COUNT(ninput_fields)),
               "total() reads the counts as size_t");

/* Resolves n names to types, appended to list at *len. */
static int append_types(gql__sbuild_t *b, const gql_ast_name_t *names, size_t n, gql_type_t **list,
                        size_t *len)
{
    for (size_t i = 0; i < n; i++) {
        list[*len + i] = gql__smap_get(&b->types, names[i].value);
        if (!list[*len + i]) {
            gql__sbuild_error(b, &names[i].loc, 1, "Unknown type \"%.*s\".",
                              (int)names[i].value.len, names[i].value.base);
            return FACET_EINVAL;
        }
    }
    *len += n;
    return FACET_OK;
}

static int fill_composite(gql__sbuild_t *b, gql_type_t *t)
{
    size_t nif = TOTAL(t, ninterfaces), nf = TOTAL(t, nfields);
    t->interfaces = FACET_ARENA_ARRAY(b->a, gql_type_t *, nif);
    t->fields = FACET_ARENA_ARRAY(b->a, gql_field_t, nf);
    if (!t->interfaces || !t->fields)
        return oom(b);
    for (size_t i = 0; i <= t->nextensions; i++) {
        const gql_ast_type_def_t *n = node_at(t, i);
        int rc = append_types(b, n->interfaces, n->ninterfaces, t->interfaces, &t->ninterfaces);
        if (rc)
            return rc;
        for (size_t j = 0; j < n->nfields; j++) {
            if ((rc = build_field(b, &n->fields[j], &t->fields[t->nfields++])))
                return rc;
        }
    }
    return FACET_OK;
}

static int fill_union(gql__sbuild_t *b, gql_type_t *t)
{
    size_t n = TOTAL(t, nmembers);
    t->possible = FACET_ARENA_ARRAY(b->a, gql_type_t *, n);
    if (!t->possible)
        return oom(b);
    for (size_t i = 0; i <= t->nextensions; i++) {
        const gql_ast_type_def_t *node = node_at(t, i);
        int rc = append_types(b, node->members, node->nmembers, t->possible, &t->npossible);
        if (rc)
            return rc;
    }
    return FACET_OK;
}

static int fill_enum(gql__sbuild_t *b, gql_type_t *t)
{
    size_t n = TOTAL(t, nvalues);
    t->values = FACET_ARENA_ARRAY(b->a, gql_enum_value_t, n);
    if (!t->values)
        return oom(b);
    for (size_t i = 0; i <= t->nextensions; i++) {
        const gql_ast_type_def_t *node = node_at(t, i);
        for (size_t j = 0; j < node->nvalues; j++) {
            const gql_ast_enum_value_def_t *d = &node->values[j];
            gql_enum_value_t *v = &t->values[t->nvalues++];
            v->name = d->name.value;
            v->description = d->description;
            v->deprecation_reason = deprecation(b, d->directives, d->ndirectives);
            v->ast = d;
        }
    }
    return b->rc;
}

static int fill_input(gql__sbuild_t *b, gql_type_t *t)
{
    size_t n = TOTAL(t, ninput_fields);
    t->input_fields = FACET_ARENA_ARRAY(b->a, gql_input_value_t, n);
    if (!t->input_fields)
        return oom(b);
    for (size_t i = 0; i <= t->nextensions; i++) {
        const gql_ast_type_def_t *node = node_at(t, i);
        int rc = build_input_values(b, node->input_fields, node->ninput_fields,
                                    t->input_fields + t->ninput_fields);
        if (rc)
            return rc;
        t->ninput_fields += node->ninput_fields;
    }
    /* Like graphql-js, only the definition's @oneOf counts, not an
     * extension's. */
    t->one_of = gql__find_directive(t->ast->directives, t->ast->ndirectives, "oneOf") != NULL;
    return FACET_OK;
}

static int fill_type(gql__sbuild_t *b, gql_type_t *t)
{
    switch (t->kind) {
    case GQL_OBJECT:
    case GQL_INTERFACE:
        return fill_composite(b, t);
    case GQL_UNION:
        return fill_union(b, t);
    case GQL_ENUM:
        return fill_enum(b, t);
    case GQL_INPUT_OBJECT:
        return fill_input(b, t);
    case GQL_SCALAR:
        /* Only the definition's @specifiedBy counts, as in graphql-js. */
        t->specified_by_url =
            string_arg(b, t->ast->directives, t->ast->ndirectives, "specifiedBy", "url");
        return b->rc;
    }
    return FACET_OK;
}

static int fill_directive(gql__sbuild_t *b, gql_directive_t *d)
{
    const gql_ast_directive_def_t *ast = d->ast;
    gql_directive_location_t *locs =
        FACET_ARENA_ARRAY(b->a, gql_directive_location_t, ast->nlocations ? ast->nlocations : 1);
    if (!locs)
        return oom(b);
    for (size_t i = 0; i < ast->nlocations; i++) {
        if (gql_directive_location_parse(ast->locations[i].value, &locs[i])) {
            gql__sbuild_error(b, &ast->locations[i].loc, 1, "Unexpected Name \"%.*s\".",
                              (int)ast->locations[i].value.len, ast->locations[i].value.base);
            continue;
        }
        d->locations |= (uint32_t)locs[i];
    }
    d->location_list = locs;
    d->nlocation_list = ast->nlocations;
    return build_args(b, ast->args, ast->nargs, &d->args, &d->nargs);
}

/* ---- shells and extensions ---- */

static gql_type_t *new_type(gql__sbuild_t *b, const gql_ast_type_def_t *def, bool builtin)
{
    gql_type_t *t = FACET_ARENA_NEW(b->a, gql_type_t);
    if (!t)
        return NULL;
    t->kind = def->kind;
    t->name = def->name.value;
    t->description = def->description;
    t->builtin = builtin;
    t->loc = def->loc;
    t->ast = def;
    return t;
}

static gql_directive_t *new_directive(gql__sbuild_t *b, const gql_ast_directive_def_t *def,
                                      bool builtin)
{
    gql_directive_t *d = FACET_ARENA_NEW(b->a, gql_directive_t);
    if (!d)
        return NULL;
    d->name = def->name.value;
    d->description = def->description;
    d->repeatable = def->repeatable;
    d->builtin = builtin;
    d->ast = def;
    d->loc = def->loc;
    return d;
}

/* The type an extension applies to, or NULL when graphql-js would ignore
 * it (the SDL rules reported unknown names and wrong kinds; extensions of
 * a built-in type that the document redefined are dropped). */
static gql_type_t *extension_target(gql__sbuild_t *b, const gql_ast_type_def_t *ext)
{
    gql_type_t *t = gql__smap_get(&b->types, ext->name.value);
    return t && !t->builtin && t->kind == ext->kind ? t : NULL;
}

/* The type that definition def extends, or NULL when it is no type
 * extension or one to ignore. */
static gql_type_t *extended_by(gql__sbuild_t *b, const gql_ast_definition_t *def)
{
    return def->kind == GQL_AST_TYPE_DEF && def->u.type->extension
               ? extension_target(b, def->u.type)
               : NULL;
}

static int attach_extensions(gql__sbuild_t *b, const gql_ast_document_t *doc)
{
    /* Count first, so each type gets an array of the right size. */
    for (size_t i = 0; i < doc->ndefinitions; i++) {
        gql_type_t *t = extended_by(b, &doc->definitions[i]);
        if (t)
            t->nextensions++;
    }
    for (size_t i = 0; i < b->ndefined; i++) {
        gql_type_t *t = b->defined[i];
        if (t->builtin || !t->nextensions)
            continue;
        t->extensions = FACET_ARENA_ARRAY(b->a, const gql_ast_type_def_t *, t->nextensions);
        if (!t->extensions)
            return oom(b);
        t->nextensions = 0;
    }
    for (size_t i = 0; i < doc->ndefinitions; i++) {
        gql_type_t *t = extended_by(b, &doc->definitions[i]);
        if (t)
            t->extensions[t->nextensions++] = doc->definitions[i].u.type;
    }
    return FACET_OK;
}

static int add_definition(gql__sbuild_t *b, const gql_ast_definition_t *def, bool builtin,
                          gql_type_t **types, size_t *ntypes, gql_directive_t **dirs, size_t *ndirs)
{
    if (def->kind == GQL_AST_DIRECTIVE_DEF) {
        if (!(dirs[*ndirs] = new_directive(b, def->u.directive, builtin)))
            return oom(b);
        (*ndirs)++;
    } else if (def->kind == GQL_AST_SCHEMA_DEF && !builtin) {
        if (def->u.schema->extension)
            b->schema_exts[b->nschema_exts++] = def->u.schema;
        else if (!b->schema_def)
            b->schema_def = def->u.schema;
    } else if (def->kind == GQL_AST_TYPE_DEF && !def->u.type->extension) {
        gql_type_t *known = gql__smap_get(&b->types, def->u.type->name.value);
        if (known && known->builtin && !builtin) {
            /* graphql-js uses its own type for a definition named like a
             * specified scalar or an introspection type. */
            types[(*ntypes)++] = known;
        } else if (!known) {
            gql_type_t *t = new_type(b, def->u.type, builtin);
            if (!t || gql__smap_put(&b->types, t->name, t))
                return oom(b);
            types[(*ntypes)++] = t;
        }
    }
    return FACET_OK;
}

int gql__schema_build_doc(gql__sbuild_t *b, const gql_ast_document_t *doc, bool builtin)
{
    size_t nt = 0, nd = 0, ns = 0;
    for (size_t i = 0; i < doc->ndefinitions; i++) {
        const gql_ast_definition_t *def = &doc->definitions[i];
        nt += def->kind == GQL_AST_TYPE_DEF && !def->u.type->extension;
        nd += def->kind == GQL_AST_DIRECTIVE_DEF;
        ns += def->kind == GQL_AST_SCHEMA_DEF;
    }
    gql_type_t **types = FACET_ARENA_ARRAY(b->a, gql_type_t *, nt + 1);
    gql_directive_t **dirs = FACET_ARENA_ARRAY(b->a, gql_directive_t *, nd + 1);
    if (!builtin)
        b->schema_exts = FACET_ARENA_ARRAY(b->a, const gql_ast_schema_def_t *, ns + 1);
    if (!types || !dirs || (!builtin && !b->schema_exts))
        return oom(b);
    if (!b->types.cap && gql__smap_init(&b->types, b->a, 64 + nt))
        return oom(b);
    size_t ntypes = 0, ndirs = 0;
    for (size_t i = 0; i < doc->ndefinitions; i++) {
        int rc = add_definition(b, &doc->definitions[i], builtin, types, &ntypes, dirs, &ndirs);
        if (rc)
            return rc;
    }
    if (builtin) {
        b->std_types = types;
        b->nstd_types = ntypes;
        b->std_directives = dirs;
        b->nstd_directives = ndirs;
    } else {
        b->defined = types;
        b->ndefined = ntypes;
        b->user_directives = dirs;
        b->nuser_directives = ndirs;
        int rc = attach_extensions(b, doc);
        if (rc)
            return rc;
    }
    for (size_t i = 0; i < ntypes; i++) {
        if (types[i]->builtin != builtin)
            continue;
        int rc = fill_type(b, types[i]);
        if (rc)
            return rc;
    }
    for (size_t i = 0; i < ndirs; i++) {
        int rc = fill_directive(b, dirs[i]);
        if (rc)
            return rc;
    }
    return FACET_OK;
}
