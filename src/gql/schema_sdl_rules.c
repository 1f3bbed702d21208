/* The checks of graphql-js' SDL rules, called by the walk in schema_sdl.c
 * at the node each applies to. Messages and locations follow graphql-js
 * 16 word for word. */
#include <string.h>

#include "core/error.h"
#include "gql/schema_sdl.h"

#define S(x) (int)(x).len, (x).base

static const char *const standard_type_names[] = {
    "String",     "Int",      "Float",        "Boolean",
    "ID",         "__Schema", "__Directive",  "__DirectiveLocation",
    "__Type",     "__Field",  "__InputValue", "__EnumValue",
    "__TypeKind",
};
#define NSTANDARD (sizeof standard_type_names / sizeof standard_type_names[0])

#define OP_NAME(op) \
    ((op) == GQL_OP_QUERY ? "query" : (op) == GQL_OP_MUTATION ? "mutation" : "subscription")

static void oom(sdl_ctx_t *c)
{
    c->b->rc = FACET_ENOMEM;
}

/* The map stored under key in outer, created on first use. */
static gql__smap_t *submap(sdl_ctx_t *c, gql__smap_t *outer, facet_str_t key)
{
    gql__smap_t *m = gql__smap_get(outer, key);
    if (m)
        return m;
    m = FACET_ARENA_NEW(c->b->a, gql__smap_t);
    if (!m || gql__smap_init(m, c->b->a, 8) || gql__smap_put(outer, key, m)) {
        oom(c);
        return NULL;
    }
    return m;
}

/* Reports message + " Did you mean ...?" for input among options. */
static void error_with_suggestions(sdl_ctx_t *c, const gql_loc_t *loc, const char *message,
                                   facet_str_t input, const facet_str_t *options, size_t n)
{
    facet_str_t best[5];
    size_t nbest = gql__suggest(input, options, n, best, 5);
    facet_buf_t buf;
    facet_buf_init(&buf, 0);
    if (facet_buf_append_str(&buf, message) || gql__did_you_mean(&buf, best, nbest) ||
        facet_buf_append(&buf, "", 1))
        oom(c);
    else
        gql__sbuild_error(c->b, loc, 1, "%s", buf.base);
    facet_buf_free(&buf);
}

static int ast_type_print(const gql_ast_type_t *t, facet_buf_t *buf)
{
    switch (t->kind) {
    case GQL_AST_NAMED_TYPE:
        return facet_buf_append(buf, t->name.value.base, t->name.value.len);
    case GQL_AST_LIST_TYPE: {
        int rc = facet_buf_append(buf, "[", 1);
        rc = rc ? rc : ast_type_print(t->of_type, buf);
        return rc ? rc : facet_buf_append(buf, "]", 1);
    }
    case GQL_AST_NON_NULL_TYPE: {
        int rc = ast_type_print(t->of_type, buf);
        return rc ? rc : facet_buf_append(buf, "!", 1);
    }
    }
    return FACET_EINVAL;
}

/* ---- set-up ---- */

static int add_directive_defs(sdl_ctx_t *c, const gql_ast_document_t *doc)
{
    for (size_t i = 0; i < doc->ndefinitions; i++) {
        const gql_ast_definition_t *def = &doc->definitions[i];
        if (def->kind == GQL_AST_DIRECTIVE_DEF &&
            gql__smap_put(&c->directive_defs, def->u.directive->name.value, def->u.directive))
            return FACET_ENOMEM;
    }
    return FACET_OK;
}

int sdl_ctx_init(sdl_ctx_t *c, gql__sbuild_t *b)
{
    memset(c, 0, sizeof *c);
    c->b = b;
    const gql_ast_document_t *doc = b->doc;
    facet_arena_t *a = b->a;
    if (gql__smap_init(&c->defined, a, doc->ndefinitions) ||
        gql__smap_init(&c->directive_defs, a, 16) || gql__smap_init(&c->type_names, a, 16) ||
        gql__smap_init(&c->directive_names, a, 16) || gql__smap_init(&c->enum_values, a, 16) ||
        gql__smap_init(&c->field_names, a, 16) || gql__smap_init(&c->type_directives, a, 16) ||
        gql__smap_init(&c->schema_directives, a, 4))
        return FACET_ENOMEM;
    c->defined_names = FACET_ARENA_ARRAY(a, facet_str_t, doc->ndefinitions + 1);
    if (!c->defined_names)
        return FACET_ENOMEM;
    for (size_t i = 0; i < doc->ndefinitions; i++) {
        const gql_ast_definition_t *def = &doc->definitions[i];
        if (def->kind != GQL_AST_TYPE_DEF || def->u.type->extension)
            continue;
        facet_str_t name = def->u.type->name.value;
        if (!gql__smap_get(&c->defined, name))
            c->defined_names[c->ndefined_names++] = name;
        if (gql__smap_put(&c->defined, name, (void *)def->u.type))
            return FACET_ENOMEM;
    }
    if (add_directive_defs(c, b->builtin) || add_directive_defs(c, doc))
        return FACET_ENOMEM;
    return FACET_OK;
}

sdl_location_t sdl_type_location(gql_type_kind_t kind)
{
    switch (kind) {
    case GQL_SCALAR:
        return GQL_DL_SCALAR;
    case GQL_OBJECT:
        return GQL_DL_OBJECT;
    case GQL_INTERFACE:
        return GQL_DL_INTERFACE;
    case GQL_UNION:
        return GQL_DL_UNION;
    case GQL_ENUM:
        return GQL_DL_ENUM;
    case GQL_INPUT_OBJECT:
        return GQL_DL_INPUT_OBJECT;
    }
    return GQL_DL_OBJECT;
}

/* ---- schema and directive definitions ---- */

void sdl_schema_def_enter(sdl_ctx_t *c, const gql_ast_schema_def_t *s)
{
    if (!s->extension && c->nschema_defs++ > 0)
        gql__sbuild_error(c->b, &s->loc, 1, "Must provide only one schema definition.");
    for (size_t i = 0; i < s->noperation_types; i++) {
        const gql_ast_operation_type_def_t *op = &s->operation_types[i];
        unsigned k = (unsigned)op->operation % 3;
        if (c->op_types[k]) {
            gql_loc_t locs[2] = {c->op_types[k]->loc, op->loc};
            gql__sbuild_error(c->b, locs, 2, "There can be only one %s type in schema.",
                              OP_NAME(op->operation));
        } else {
            c->op_types[k] = op;
        }
    }
    sdl_unique_directives(c, s->directives, s->ndirectives, &c->schema_directives);
}

/* Reports every name given more than once among n argument definitions,
 * once per name, with all its locations (graphql-js' groupBy). The
 * arguments belong to type.field, or to directive @field when type.base is
 * NULL. */
static void unique_arg_defs(sdl_ctx_t *c, const gql_ast_input_value_def_t *args, size_t n,
                            facet_str_t type, facet_str_t field)
{
    for (size_t i = 0; i < n; i++) {
        bool earlier = false;
        for (size_t j = 0; j < i && !earlier; j++)
            earlier = facet_str_eq(args[j].name.value, args[i].name.value);
        if (earlier)
            continue;
        size_t count = 0;
        for (size_t k = i; k < n; k++)
            count += facet_str_eq(args[k].name.value, args[i].name.value);
        if (count < 2)
            continue;
        gql_loc_t *locs = FACET_ARENA_ARRAY(c->b->a, gql_loc_t, count);
        if (!locs) {
            oom(c);
            return;
        }
        count = 0;
        for (size_t k = i; k < n; k++) {
            if (facet_str_eq(args[k].name.value, args[i].name.value))
                locs[count++] = args[k].name.loc;
        }
        if (!type.base)
            gql__sbuild_error(c->b, locs, count,
                              "Argument \"@%.*s(%.*s:)\" can only be defined once.", S(field),
                              S(args[i].name.value));
        else
            gql__sbuild_error(c->b, locs, count,
                              "Argument \"%.*s.%.*s(%.*s:)\" can only be defined once.", S(type),
                              S(field), S(args[i].name.value));
    }
}

void sdl_directive_def_enter(sdl_ctx_t *c, const gql_ast_directive_def_t *d)
{
    unique_arg_defs(c, d->args, d->nargs, FACET_STR_NULL, d->name.value);
    const gql_ast_name_t *first = gql__smap_get(&c->directive_names, d->name.value);
    if (first) {
        gql_loc_t locs[2] = {first->loc, d->name.loc};
        gql__sbuild_error(c->b, locs, 2, "There can be only one directive named \"@%.*s\".",
                          S(d->name.value));
    } else if (gql__smap_put(&c->directive_names, d->name.value, (void *)&d->name)) {
        oom(c);
    }
}

/* ---- type definitions and extensions ---- */

static void unique_type_name(sdl_ctx_t *c, const gql_ast_type_def_t *t)
{
    const gql_ast_name_t *first = gql__smap_get(&c->type_names, t->name.value);
    if (first) {
        gql_loc_t locs[2] = {first->loc, t->name.loc};
        gql__sbuild_error(c->b, locs, 2, "There can be only one type named \"%.*s\".",
                          S(t->name.value));
    } else if (gql__smap_put(&c->type_names, t->name.value, (void *)&t->name)) {
        oom(c);
    }
}

/* Records name in seen; reports it when it was there already. */
static bool first_time(sdl_ctx_t *c, gql__smap_t *seen, const gql_ast_name_t *name,
                       gql_loc_t *first_loc)
{
    const gql_ast_name_t *first = gql__smap_get(seen, name->value);
    if (first) {
        *first_loc = first->loc;
        return false;
    }
    if (gql__smap_put(seen, name->value, (void *)name))
        oom(c);
    return true;
}

static void unique_enum_values(sdl_ctx_t *c, const gql_ast_type_def_t *t)
{
    gql__smap_t *seen = submap(c, &c->enum_values, t->name.value);
    for (size_t i = 0; seen && i < t->nvalues; i++) {
        gql_loc_t locs[2] = {{0, 0}, t->values[i].name.loc};
        if (!first_time(c, seen, &t->values[i].name, &locs[0]))
            gql__sbuild_error(c->b, locs, 2, "Enum value \"%.*s.%.*s\" can only be defined once.",
                              S(t->name.value), S(t->values[i].name.value));
    }
}

static void unique_field_names(sdl_ctx_t *c, const gql_ast_type_def_t *t)
{
    gql__smap_t *seen = submap(c, &c->field_names, t->name.value);
    bool input = t->kind == GQL_INPUT_OBJECT;
    size_t n = input ? t->ninput_fields : t->nfields;
    for (size_t i = 0; seen && i < n; i++) {
        const gql_ast_name_t *name = input ? &t->input_fields[i].name : &t->fields[i].name;
        gql_loc_t locs[2] = {{0, 0}, name->loc};
        if (!first_time(c, seen, name, &locs[0]))
            gql__sbuild_error(c->b, locs, 2, "Field \"%.*s.%.*s\" can only be defined once.",
                              S(t->name.value), S(name->value));
    }
}

static const char *kind_word(gql_type_kind_t kind)
{
    static const char *const words[] = {"scalar", "object", "interface",
                                        "union",  "enum",   "input object"};
    return (unsigned)kind < 6 ? words[kind] : "";
}

static void possible_extension(sdl_ctx_t *c, const gql_ast_type_def_t *t)
{
    const gql_ast_type_def_t *def = gql__smap_get(&c->defined, t->name.value);
    if (def) {
        if (def->kind != t->kind) {
            gql_loc_t locs[2] = {def->loc, t->loc};
            gql__sbuild_error(c->b, locs, 2, "Cannot extend non-%s type \"%.*s\".",
                              kind_word(t->kind), S(t->name.value));
        }
        return;
    }
    facet_buf_t msg;
    facet_buf_init(&msg, 0);
    if (facet_buf_printf(&msg, "Cannot extend type \"%.*s\" because it is not defined.%c",
                         S(t->name.value), '\0'))
        oom(c);
    else
        error_with_suggestions(c, &t->name.loc, msg.base, t->name.value, c->defined_names,
                               c->ndefined_names);
    facet_buf_free(&msg);
}

void sdl_type_def_enter(sdl_ctx_t *c, const gql_ast_type_def_t *t)
{
    if (!t->extension)
        unique_type_name(c, t);
    if (t->kind == GQL_ENUM)
        unique_enum_values(c, t);
    if (t->kind == GQL_INPUT_OBJECT || t->kind == GQL_INTERFACE || t->kind == GQL_OBJECT)
        unique_field_names(c, t);
    for (size_t i = 0; (t->kind == GQL_INTERFACE || t->kind == GQL_OBJECT) && i < t->nfields; i++)
        unique_arg_defs(c, t->fields[i].args, t->fields[i].nargs, t->name.value,
                        t->fields[i].name.value);
    gql__smap_t *scope = submap(c, &c->type_directives, t->name.value);
    if (scope)
        sdl_unique_directives(c, t->directives, t->ndirectives, scope);
    if (t->extension)
        possible_extension(c, t);
}

/* ---- directives ---- */

void sdl_unique_directives(sdl_ctx_t *c, const gql_ast_directive_t *dirs, size_t n,
                           gql__smap_t *scope)
{
    gql__smap_t local;
    if (!n)
        return;
    if (!scope) {
        if (gql__smap_init(&local, c->b->a, n)) {
            oom(c);
            return;
        }
        scope = &local;
    }
    for (size_t i = 0; i < n; i++) {
        const gql_ast_directive_def_t *def = gql__smap_get(&c->directive_defs, dirs[i].name.value);
        if (!def || def->repeatable)
            continue;
        const gql_ast_directive_t *seen = gql__smap_get(scope, dirs[i].name.value);
        if (seen) {
            gql_loc_t locs[2] = {seen->name.loc, dirs[i].name.loc};
            gql__sbuild_error(c->b, locs, 2,
                              "The directive \"@%.*s\" can only be used once at this location.",
                              S(dirs[i].name.value));
        } else if (gql__smap_put(scope, dirs[i].name.value, (void *)&dirs[i])) {
            oom(c);
        }
    }
}

void sdl_named_type(sdl_ctx_t *c, const gql_ast_name_t *name, bool sdl)
{
    if (gql__smap_get(&c->defined, name->value))
        return;
    for (size_t i = 0; sdl && i < NSTANDARD; i++) {
        if (facet_str_eq(name->value, facet_str_c(standard_type_names[i])))
            return;
    }
    size_t n = (sdl ? NSTANDARD : 0) + c->ndefined_names;
    facet_str_t *options = FACET_ARENA_ARRAY(c->b->a, facet_str_t, n + 1);
    facet_buf_t msg;
    facet_buf_init(&msg, 0);
    if (!options || facet_buf_printf(&msg, "Unknown type \"%.*s\".%c", S(name->value), '\0')) {
        oom(c);
        facet_buf_free(&msg);
        return;
    }
    size_t k = 0;
    for (size_t i = 0; sdl && i < NSTANDARD; i++)
        options[k++] = facet_str_c(standard_type_names[i]);
    for (size_t i = 0; i < c->ndefined_names; i++)
        options[k++] = c->defined_names[i];
    error_with_suggestions(c, &name->loc, msg.base, name->value, options, k);
    facet_buf_free(&msg);
}

static bool has_location(const gql_ast_directive_def_t *def, sdl_location_t where)
{
    facet_str_t name = facet_str_c(gql_directive_location_name(where));
    for (size_t i = 0; i < def->nlocations; i++) {
        if (facet_str_eq(def->locations[i].value, name))
            return true;
    }
    return false;
}

static void known_arguments(sdl_ctx_t *c, const gql_ast_directive_t *d,
                            const gql_ast_directive_def_t *def)
{
    facet_str_t *names = FACET_ARENA_ARRAY(c->b->a, facet_str_t, def->nargs + 1);
    if (!names) {
        oom(c);
        return;
    }
    for (size_t i = 0; i < def->nargs; i++)
        names[i] = def->args[i].name.value;
    for (size_t i = 0; i < d->nargs; i++) {
        const gql_ast_name_t *arg = &d->args[i].name;
        bool known = false;
        for (size_t j = 0; j < def->nargs && !known; j++)
            known = facet_str_eq(names[j], arg->value);
        if (known)
            continue;
        facet_buf_t msg;
        facet_buf_init(&msg, 0);
        if (facet_buf_printf(&msg, "Unknown argument \"%.*s\" on directive \"@%.*s\".%c",
                             S(arg->value), S(d->name.value), '\0'))
            oom(c);
        else
            error_with_suggestions(c, &arg->loc, msg.base, arg->value, names, def->nargs);
        facet_buf_free(&msg);
    }
}

void sdl_unique_arguments(sdl_ctx_t *c, const gql_ast_argument_t *args, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        bool earlier = false;
        for (size_t j = 0; j < i && !earlier; j++)
            earlier = facet_str_eq(args[j].name.value, args[i].name.value);
        size_t count = 0;
        for (size_t k = i; k < n && !earlier; k++)
            count += facet_str_eq(args[k].name.value, args[i].name.value);
        if (earlier || count < 2)
            continue;
        gql_loc_t *locs = FACET_ARENA_ARRAY(c->b->a, gql_loc_t, count);
        if (!locs) {
            oom(c);
            return;
        }
        count = 0;
        for (size_t k = i; k < n; k++) {
            if (facet_str_eq(args[k].name.value, args[i].name.value))
                locs[count++] = args[k].name.loc;
        }
        gql__sbuild_error(c->b, locs, count, "There can be only one argument named \"%.*s\".",
                          S(args[i].name.value));
    }
}

void sdl_directive_enter(sdl_ctx_t *c, const gql_ast_directive_t *d, sdl_location_t where)
{
    const gql_ast_directive_def_t *def = gql__smap_get(&c->directive_defs, d->name.value);
    if (!def)
        gql__sbuild_error(c->b, &d->name.loc, 1, "Unknown directive \"@%.*s\".", S(d->name.value));
    else if (!has_location(def, where))
        gql__sbuild_error(c->b, &d->name.loc, 1, "Directive \"@%.*s\" may not be used on %s.",
                          S(d->name.value), gql_directive_location_name(where));
    if (def)
        known_arguments(c, d, def);
    sdl_unique_arguments(c, d->args, d->nargs);
}

void sdl_directive_leave(sdl_ctx_t *c, const gql_ast_directive_t *d)
{
    const gql_ast_directive_def_t *def = gql__smap_get(&c->directive_defs, d->name.value);
    for (size_t i = 0; def && i < def->nargs; i++) {
        const gql_ast_input_value_def_t *arg = &def->args[i];
        if (arg->type->kind != GQL_AST_NON_NULL_TYPE || arg->default_value)
            continue;
        bool given = false;
        for (size_t j = 0; j < d->nargs && !given; j++)
            given = facet_str_eq(d->args[j].name.value, arg->name.value);
        if (given)
            continue;
        facet_buf_t type;
        facet_buf_init(&type, 0);
        if (ast_type_print(arg->type, &type) || facet_buf_append(&type, "", 1))
            oom(c);
        else
            gql__sbuild_error(c->b, &d->name.loc, 1,
                              "Directive \"@%.*s\" argument \"%.*s\" of type \"%s\" is required, "
                              "but it was not provided.",
                              S(d->name.value), S(arg->name.value), type.base);
        facet_buf_free(&type);
    }
}

void sdl_object_field(sdl_ctx_t *c, gql__smap_t *seen, const gql_ast_object_field_t *f)
{
    gql_loc_t locs[2] = {{0, 0}, f->name.loc};
    if (!first_time(c, seen, &f->name, &locs[0]))
        gql__sbuild_error(c->b, locs, 2, "There can be only one input field named \"%.*s\".",
                          S(f->name.value));
}
