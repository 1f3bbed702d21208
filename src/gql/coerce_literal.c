/* Coercion of literals in the document (graphql-js' valueFromAST) and of
 * field and directive arguments (CoerceArgumentValues, getArgumentValues
 * in graphql-js), with defaults, variables, and the difference between an
 * absent argument and an explicit null. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "gql/exec_internal.h"

#define INVALID 1

static bool missing_var(const gql_ast_value_t *node, const gql_value_t *vars)
{
    return node->kind == GQL_AST_VARIABLE && !gql_value_get(vars, node->text);
}

static int leaf_from_ast(gql_exec_t *ex, const gql_ast_value_t *node, const gql_type_t *t,
                         const gql_value_t *vars, const gql_value_t **out);

static int list_from_ast(gql_exec_t *ex, const gql_ast_value_t *node, const gql_type_ref_t *item,
                         const gql_value_t *vars, const gql_value_t **out)
{
    if (node->kind != GQL_AST_LIST) {
        /* A single item is coerced as a list of one. */
        const gql_value_t *one;
        int rc = exec__value_from_ast(ex, node, item, vars, &one);
        if (rc)
            return rc;
        gql_value_t *l = gql_value_new_list(ex->arena, 1);
        if (!l)
            return FACET_ENOMEM;
        l->u.list.items[0] = (gql_value_t *)(one ? one : &gql_value_null);
        *out = l;
        return 0;
    }
    gql_value_t *l = gql_value_new_list(ex->arena, node->nitems);
    if (!l)
        return FACET_ENOMEM;
    for (size_t i = 0; i < node->nitems; i++) {
        const gql_value_t *v = NULL;
        if (missing_var(node->items[i], vars)) {
            if (item->kind == GQL_REF_NON_NULL)
                return INVALID;
        } else {
            int rc = exec__value_from_ast(ex, node->items[i], item, vars, &v);
            if (rc)
                return rc;
        }
        l->u.list.items[i] = (gql_value_t *)(v ? v : &gql_value_null);
    }
    *out = l;
    return 0;
}

static const gql_ast_object_field_t *find_field(const gql_ast_value_t *node, facet_str_t name)
{
    /* keyMap keeps the last field of a repeated name. */
    for (size_t i = node->nfields; i-- > 0;)
        if (facet_str_eq(node->fields[i].name.value, name))
            return &node->fields[i];
    return NULL;
}

static int object_from_ast(gql_exec_t *ex, const gql_ast_value_t *node, const gql_type_t *t,
                           const gql_value_t *vars, const gql_value_t **out)
{
    if (node->kind != GQL_AST_OBJECT)
        return INVALID;
    gql_value_t *o = gql_value_new_object(ex->arena, t->ninput_fields);
    if (!o)
        return FACET_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < t->ninput_fields; i++) {
        const gql_input_value_t *fd = &t->input_fields[i];
        const gql_ast_object_field_t *fn = find_field(node, fd->name);
        const gql_value_t *v = NULL;
        if (!fn || missing_var(fn->value, vars)) {
            int rc = exec__default_value(ex, fd, &v);
            if (rc < 0)
                return rc;
            if (rc == 0) {
                o->u.obj.members[n].key = fd->name;
                o->u.obj.members[n++].value = (gql_value_t *)(v ? v : &gql_value_null);
            } else if (fd->type->kind == GQL_REF_NON_NULL) {
                return INVALID;
            }
            continue;
        }
        int rc = exec__value_from_ast(ex, fn->value, fd->type, vars, &v);
        if (rc)
            return rc;
        o->u.obj.members[n].key = fd->name;
        o->u.obj.members[n++].value = (gql_value_t *)(v ? v : &gql_value_null);
    }
    o->u.obj.n = n;
    if (t->one_of) {
        if (n != 1)
            return INVALID;
        if (o->u.obj.members[0].value->kind == GQL_V_NULL)
            return INVALID;
    }
    *out = o;
    return 0;
}

int exec__value_from_ast(gql_exec_t *ex, const gql_ast_value_t *node, const gql_type_ref_t *ref,
                         const gql_value_t *vars, const gql_value_t **out)
{
    *out = NULL;
    if (node->kind == GQL_AST_VARIABLE) {
        const gql_value_t *v = gql_value_get(vars, node->text);
        if (!v)
            return INVALID;
        if (v->kind == GQL_V_NULL && ref->kind == GQL_REF_NON_NULL)
            return INVALID;
        *out = v->kind == GQL_V_NULL ? NULL : v;
        return 0;
    }
    if (ref->kind == GQL_REF_NON_NULL) {
        if (node->kind == GQL_AST_NULL)
            return INVALID;
        return exec__value_from_ast(ex, node, ref->of, vars, out);
    }
    if (node->kind == GQL_AST_NULL)
        return 0;
    if (ref->kind == GQL_REF_LIST)
        return list_from_ast(ex, node, ref->of, vars, out);
    const gql_type_t *t = ref->named;
    if (t->kind == GQL_INPUT_OBJECT)
        return object_from_ast(ex, node, t, vars, out);
    if (gql_type_is_leaf(t))
        return leaf_from_ast(ex, node, t, vars, out);
    return INVALID;
}

/* valueFromASTUntyped: a custom scalar's literal as plain data. */
static int untyped(gql_exec_t *ex, const gql_ast_value_t *node, const gql_value_t *vars,
                   const gql_value_t **out)
{
    gql_value_t *v = NULL;
    switch (node->kind) {
    case GQL_AST_NULL:
        *out = NULL;
        return 0;
    case GQL_AST_BOOLEAN:
        *out = exec__bool_value(node->boolean);
        return 0;
    case GQL_AST_INT:
    case GQL_AST_FLOAT: {
        char buf[128];
        size_t n = node->text.len < sizeof buf - 1 ? node->text.len : sizeof buf - 1;
        memcpy(buf, node->text.base, n);
        buf[n] = '\0';
        v = gql_value_new_float(ex->arena, strtod(buf, NULL));
        break;
    }
    case GQL_AST_STRING:
    case GQL_AST_ENUM:
        *out = exec__str_value(ex, node->text);
        return *out ? 0 : FACET_ENOMEM;
    case GQL_AST_VARIABLE:
        *out = gql_value_get(vars, node->text);
        return 0;
    case GQL_AST_LIST:
        v = gql_value_new_list(ex->arena, node->nitems);
        for (size_t i = 0; v && i < node->nitems; i++) {
            const gql_value_t *item;
            int rc = untyped(ex, node->items[i], vars, &item);
            if (rc)
                return rc;
            v->u.list.items[i] = (gql_value_t *)(item ? item : &gql_value_null);
        }
        break;
    case GQL_AST_OBJECT:
        v = gql_value_new_object(ex->arena, node->nfields);
        for (size_t i = 0; v && i < node->nfields; i++) {
            const gql_value_t *item;
            int rc = untyped(ex, node->fields[i].value, vars, &item);
            if (rc)
                return rc;
            v->u.obj.members[i].key = node->fields[i].name.value;
            v->u.obj.members[i].value = (gql_value_t *)(item ? item : &gql_value_null);
        }
        break;
    }
    if (!v)
        return FACET_ENOMEM;
    *out = v;
    return 0;
}

static int leaf_from_ast(gql_exec_t *ex, const gql_ast_value_t *node, const gql_type_t *t,
                         const gql_value_t *vars, const gql_value_t **out)
{
    if (t->kind == GQL_ENUM) {
        if (node->kind != GQL_AST_ENUM || !gql_type_enum_value(t, node->text))
            return INVALID;
        *out = exec__str_value(ex, node->text);
        return *out ? 0 : FACET_ENOMEM;
    }
    if (!t->builtin) {
        int rc = untyped(ex, node, vars, out);
        return rc == 0 && !*out && node->kind != GQL_AST_NULL ? INVALID : rc;
    }
    switch (t->name.len) {
    case 3: { /* Int */
        if (node->kind != GQL_AST_INT)
            return INVALID;
        char buf[32];
        if (node->text.len >= sizeof buf)
            return INVALID;
        memcpy(buf, node->text.base, node->text.len);
        buf[node->text.len] = '\0';
        errno = 0;
        long long n = strtoll(buf, NULL, 10);
        if (errno || n > 2147483647LL || n < -2147483648LL)
            return INVALID;
        *out = gql_value_new_int(ex->arena, n);
        break;
    }
    case 5: { /* Float */
        if (node->kind != GQL_AST_INT && node->kind != GQL_AST_FLOAT)
            return INVALID;
        return untyped(ex, node, vars, out);
    }
    case 6: /* String */
        if (node->kind != GQL_AST_STRING)
            return INVALID;
        *out = exec__str_value(ex, node->text);
        break;
    case 7: /* Boolean */
        if (node->kind != GQL_AST_BOOLEAN)
            return INVALID;
        *out = exec__bool_value(node->boolean);
        return 0;
    case 2: /* ID */
        if (node->kind != GQL_AST_STRING && node->kind != GQL_AST_INT)
            return INVALID;
        *out = exec__str_value(ex, node->text);
        break;
    default:
        return INVALID;
    }
    return *out ? 0 : FACET_ENOMEM;
}

int exec__default_value(gql_exec_t *ex, const gql_input_value_t *iv, const gql_value_t **out)
{
    *out = NULL;
    if (!iv->default_value)
        return INVALID;
    return exec__value_from_ast(ex, iv->default_value, iv->type, NULL, out);
}

/* ---- arguments ---- */

static const gql_ast_argument_t *find_arg(const gql_ast_argument_t *args, size_t n,
                                          facet_str_t name)
{
    for (size_t i = n; i-- > 0;)
        if (facet_str_eq(args[i].name.value, name))
            return &args[i];
    return NULL;
}

/* Sets *err to "Argument "name" <kind> "<type>"<rest>" (kind NULL: no
 * type) located at loc; returns 1, or FACET_ENOMEM. */
static int arg_error(gql_exec_t *ex, exec_err_t **err, gql_loc_t loc, const gql_input_value_t *def,
                     const char *kind, const char *rest)
{
    facet_buf_t b;
    exec__msgbuf(&b);
    int rc = facet_buf_printf(&b, "Argument \"%.*s\" ", (int)def->name.len, def->name.base);
    if (kind) {
        rc = rc ? rc : facet_buf_printf(&b, "%s \"", kind);
        rc = rc ? rc : exec__type_print(&b, def->type);
        rc = rc ? rc : facet_buf_append(&b, "\"", 1);
    }
    rc = rc ? rc : facet_buf_append_str(&b, rest);
    if (!rc)
        *err = exec__error(ex, NULL, &loc, "%.*s", (int)b.len, b.base);
    facet_buf_free(&b);
    if (rc)
        return rc;
    return *err ? 1 : FACET_ENOMEM;
}

static int one_arg(gql_exec_t *ex, const gql_input_value_t *def, const gql_ast_argument_t *a,
                   gql_loc_t node_loc, const gql_value_t **v, exec_err_t **err)
{
    const gql_value_t *vars = ex->vars;
    bool nonnull = def->type->kind == GQL_REF_NON_NULL;
    char rest[256];
    if (!a) {
        int rc = exec__default_value(ex, def, v);
        if (rc <= 0)
            return rc;
        if (nonnull)
            return arg_error(ex, err, node_loc, def, "of required type", " was not provided.");
        return 2; /* absent */
    }
    const gql_ast_value_t *node = a->value;
    bool is_null = node->kind == GQL_AST_NULL;
    if (node->kind == GQL_AST_VARIABLE) {
        const gql_value_t *var = gql_value_get(vars, node->text);
        if (!var) {
            int rc = exec__default_value(ex, def, v);
            if (rc <= 0)
                return rc;
            if (!nonnull)
                return 2;
            snprintf(rest, sizeof rest,
                     " was provided the variable \"$%.*s\" which was not provided a runtime "
                     "value.",
                     (int)node->text.len, node->text.base);
            return arg_error(ex, err, node->loc, def, "of required type", rest);
        }
        is_null = var->kind == GQL_V_NULL;
    }
    if (is_null && nonnull)
        return arg_error(ex, err, node->loc, def, "of non-null type", " must not be null.");
    int rc = exec__value_from_ast(ex, node, def->type, vars, v);
    if (rc == INVALID) {
        facet_buf_t b;
        exec__msgbuf(&b);
        int brc = facet_buf_append_str(&b, "has invalid value ");
        brc = brc ? brc : exec__print_literal(&b, node);
        brc = brc ? brc : facet_buf_append(&b, ".", 2);
        brc = brc ? brc : arg_error(ex, err, node->loc, def, NULL, b.base);
        facet_buf_free(&b);
        return brc;
    }
    return rc;
}

int exec__coerce_args(gql_exec_t *ex, const gql_input_value_t *defs, size_t ndefs,
                      const gql_ast_argument_t *args, size_t nargs, gql_loc_t node_loc,
                      const gql_value_t **out, exec_err_t **err)
{
    *err = NULL;
    gql_value_t *o = gql_value_new_object(ex->arena, ndefs);
    if (!o)
        return FACET_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < ndefs; i++) {
        const gql_value_t *v = NULL;
        int rc = one_arg(ex, &defs[i], find_arg(args, nargs, defs[i].name), node_loc, &v, err);
        if (rc == 2)
            continue;
        if (rc)
            return rc;
        o->u.obj.members[n].key = defs[i].name;
        o->u.obj.members[n++].value = (gql_value_t *)(v ? v : &gql_value_null);
    }
    o->u.obj.n = n;
    *out = o;
    return 0;
}
