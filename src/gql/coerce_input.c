/* Input coercion of variable values given as JSON (CoerceVariableValues and
 * graphql-js' coerceInputValue): scalars, enums, lists (a single value is a
 * list of one), input objects with defaults and @oneOf, and graphql-js'
 * error messages, e.g. `Variable "$x" got invalid value "a"; Int cannot
 * represent non-integer value: "a"`. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "gql/exec_internal.h"
#include "gql/json.h"

typedef struct vctx {
    gql_exec_t *ex;
    const gql_ast_variable_def_t *def;
    gql_path_segment_t path[64];
    size_t depth; /* may exceed 64: deeper segments are not printed */
    size_t nerrors;
    size_t max_errors;
    bool abort;
    int rc; /* FACET_ENOMEM */
} vctx_t;

static void add(vctx_t *c, const char *msg, size_t len, const gql_loc_t *loc)
{
    if (c->abort)
        return;
    if (c->nerrors >= c->max_errors) {
        gql_error_add(&c->ex->errors, NULL, NULL, 0,
                      "Too many errors processing variables, error limit reached. Execution "
                      "aborted.");
        c->abort = true;
        return;
    }
    const char *code = c->ex->opts.request_error_codes ? GQL_CODE_BAD_USER_INPUT : NULL;
    if (!gql_error_add(&c->ex->errors, code, loc, loc ? 1 : 0, "%.*s", (int)len, msg))
        c->rc = FACET_ENOMEM;
    c->nerrors++;
}

/* Reports message (already built in b) for value at the current path. */
static void report(vctx_t *c, const gql_value_t *invalid, const facet_buf_t *detail)
{
    facet_buf_t b;
    exec__msgbuf(&b);
    facet_str_t name = c->def->name.value;
    int rc =
        facet_buf_printf(&b, "Variable \"$%.*s\" got invalid value ", (int)name.len, name.base);
    rc = rc ? rc : exec__inspect(&b, invalid);
    if (!rc && c->depth > 0) {
        rc = facet_buf_printf(&b, " at \"%.*s", (int)name.len, name.base);
        size_t shown = c->depth < 64 ? c->depth : 64;
        for (size_t i = 0; i < shown && !rc; i++) {
            if (c->path[i].key.base)
                rc = facet_buf_printf(&b, ".%.*s", (int)c->path[i].key.len, c->path[i].key.base);
            else
                rc = facet_buf_printf(&b, "[%zu]", c->path[i].index);
        }
        rc = rc ? rc : facet_buf_append(&b, "\"", 1);
    }
    rc = rc ? rc : facet_buf_append_str(&b, "; ");
    rc = rc ? rc : facet_buf_append(&b, detail->base, detail->len);
    if (!rc)
        add(c, b.base, b.len, &c->def->loc);
    else
        c->rc = FACET_ENOMEM;
    facet_buf_free(&b);
}

static void reportf(vctx_t *c, const gql_value_t *invalid, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void reportf(vctx_t *c, const gql_value_t *invalid, const char *fmt, ...)
{
    facet_buf_t b;
    exec__msgbuf(&b);
    va_list ap;
    va_start(ap, fmt);
    char tmp[1024];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0 && !facet_buf_append(&b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1))
        report(c, invalid, &b);
    facet_buf_free(&b);
}

/* "<prefix><inspect(v)><suffix>" as the detail of an error. */
static void report_inspect(vctx_t *c, const gql_value_t *v, const char *prefix, const char *suffix)
{
    facet_buf_t b;
    exec__msgbuf(&b);
    int rc = facet_buf_append_str(&b, prefix);
    rc = rc ? rc : exec__inspect(&b, v);
    rc = rc ? rc : facet_buf_append_str(&b, suffix);
    if (!rc)
        report(c, v, &b);
    facet_buf_free(&b);
}

static bool push(vctx_t *c, facet_str_t key, size_t index)
{
    if (c->depth < 64) {
        c->path[c->depth].key = key;
        c->path[c->depth].index = index;
    }
    c->depth++;
    return true;
}

static bool is_integral(double d)
{
    return isfinite(d) && d == floor(d);
}

static const gql_value_t *enum_value(vctx_t *c, const gql_type_t *t, const gql_value_t *v)
{
    gql_exec_t *ex = c->ex;
    if (v->kind == GQL_V_STRING && gql_type_enum_value(t, v->u.s))
        return v;
    facet_buf_t b, shown;
    exec__msgbuf(&b);
    exec__msgbuf(&shown);
    int rc;
    if (v->kind != GQL_V_STRING) {
        rc = exec__inspect(&shown, v);
        rc = rc ? rc
                : facet_buf_printf(&b, "Enum \"%.*s\" cannot represent non-string value: %.*s.",
                                   (int)t->name.len, t->name.base, (int)shown.len, shown.base);
    } else {
        rc = facet_buf_append(&shown, v->u.s.base, v->u.s.len);
        rc = rc ? rc
                : facet_buf_printf(&b, "Value \"%.*s\" does not exist in \"%.*s\" enum.",
                                   (int)v->u.s.len, v->u.s.base, (int)t->name.len, t->name.base);
    }
    if (!rc && !ex->opts.hide_suggestions && t->nvalues) {
        facet_str_t *names = malloc(t->nvalues * sizeof *names);
        if (names) {
            for (size_t i = 0; i < t->nvalues; i++)
                names[i] = t->values[i].name;
            rc = exec__did_you_mean(&b, "the enum value", facet_str(shown.base, shown.len), names,
                                    t->nvalues);
            free(names);
        }
    }
    if (!rc)
        report(c, v, &b);
    facet_buf_free(&b);
    facet_buf_free(&shown);
    return NULL;
}

/* parseValue of a scalar: the coerced value, or NULL after reporting. */
static const gql_value_t *scalar_value(vctx_t *c, const gql_type_t *t, const gql_value_t *v)
{
    if (!t->builtin)
        return v; /* custom scalars: the identity */
    bool num = v->kind == GQL_V_FLOAT || v->kind == GQL_V_INT;
    double d = v->kind == GQL_V_INT ? (double)v->u.i : v->kind == GQL_V_FLOAT ? v->u.f : 0;
    switch (t->name.len) {
    case 3: /* Int */
        if (!num || !is_integral(d)) {
            report_inspect(c, v, "Int cannot represent non-integer value: ", "");
            return NULL;
        }
        if (d > 2147483647.0 || d < -2147483648.0) {
            report_inspect(c, v, "Int cannot represent non 32-bit signed integer value: ", "");
            return NULL;
        }
        if (v->kind == GQL_V_INT)
            return v;
        return gql_value_new_int(c->ex->arena, (int64_t)d);
    case 5: /* Float */
        if (!num || !isfinite(d)) {
            report_inspect(c, v, "Float cannot represent non numeric value: ", "");
            return NULL;
        }
        return v;
    case 6: /* String */
        if (v->kind != GQL_V_STRING) {
            report_inspect(c, v, "String cannot represent a non string value: ", "");
            return NULL;
        }
        return v;
    case 7: /* Boolean */
        if (v->kind != GQL_V_BOOL) {
            report_inspect(c, v, "Boolean cannot represent a non boolean value: ", "");
            return NULL;
        }
        return v;
    case 2: /* ID */
        if (v->kind == GQL_V_STRING)
            return v;
        if (num && is_integral(d)) {
            char buf[GQL_NUMBER_BUF_SIZE];
            size_t n = gql_number_to_string(d, buf);
            gql_value_t *s = gql_value_new_string(c->ex->arena, facet_str(buf, n));
            if (!s)
                c->rc = FACET_ENOMEM;
            return s;
        }
        report_inspect(c, v, "ID cannot represent value: ", "");
        return NULL;
    }
    return v;
}

static const gql_value_t *coerce(vctx_t *c, const gql_value_t *v, const gql_type_ref_t *ref,
                                 bool *ok);

static const gql_value_t *coerce_object(vctx_t *c, const gql_value_t *v, const gql_type_t *t,
                                        bool *ok)
{
    gql_exec_t *ex = c->ex;
    if (v->kind != GQL_V_OBJECT) {
        reportf(c, v, "Expected type \"%.*s\" to be an object.", (int)t->name.len, t->name.base);
        *ok = false;
        return NULL;
    }
    gql_value_t *o = gql_value_new_object(ex->arena, t->ninput_fields);
    if (!o) {
        c->rc = FACET_ENOMEM;
        return NULL;
    }
    size_t n = 0, keys = 0; /* keys: fields given, valid or not (for @oneOf) */
    for (size_t i = 0; i < t->ninput_fields && !c->abort; i++) {
        const gql_input_value_t *fd = &t->input_fields[i];
        const gql_value_t *fv = gql_value_get(v, fd->name);
        const gql_value_t *cv = NULL;
        if (!fv) {
            int rc = exec__default_value(ex, fd, &cv);
            if (rc == 0) {
                o->u.obj.members[n].key = fd->name;
                o->u.obj.members[n++].value = (gql_value_t *)(cv ? cv : &gql_value_null);
                keys++;
            } else if (fd->type->kind == GQL_REF_NON_NULL) {
                facet_buf_t b;
                exec__msgbuf(&b);
                int brc = facet_buf_printf(&b, "Field \"%.*s\" of required type \"",
                                           (int)fd->name.len, fd->name.base);
                brc = brc ? brc : exec__type_print(&b, fd->type);
                brc = brc ? brc : facet_buf_append_str(&b, "\" was not provided.");
                if (!brc)
                    report(c, v, &b);
                facet_buf_free(&b);
                *ok = false;
            }
            continue;
        }
        push(c, fd->name, 0);
        keys++;
        bool fok = true;
        cv = coerce(c, fv, fd->type, &fok);
        c->depth--;
        if (!fok) {
            *ok = false;
            continue;
        }
        o->u.obj.members[n].key = fd->name;
        o->u.obj.members[n++].value = (gql_value_t *)(cv ? cv : &gql_value_null);
    }
    for (size_t i = 0; i < v->u.obj.n && !c->abort; i++) {
        facet_str_t key = v->u.obj.members[i].key;
        if (gql_type_input_field(t, key))
            continue;
        facet_buf_t b;
        exec__msgbuf(&b);
        int brc = facet_buf_printf(&b, "Field \"%.*s\" is not defined by type \"%.*s\".",
                                   (int)key.len, key.base, (int)t->name.len, t->name.base);
        if (!brc && !ex->opts.hide_suggestions && t->ninput_fields) {
            facet_str_t *names = malloc(t->ninput_fields * sizeof *names);
            if (names) {
                for (size_t k = 0; k < t->ninput_fields; k++)
                    names[k] = t->input_fields[k].name;
                brc = exec__did_you_mean(&b, NULL, key, names, t->ninput_fields);
                free(names);
            }
        }
        if (!brc)
            report(c, v, &b);
        facet_buf_free(&b);
        *ok = false;
    }
    o->u.obj.n = n;
    if (t->one_of && !c->abort) {
        if (keys != 1) {
            reportf(c, v, "Exactly one key must be specified for OneOf type \"%.*s\".",
                    (int)t->name.len, t->name.base);
            *ok = false;
        }
        if (keys == 1 && n == 1 && o->u.obj.members[0].value->kind == GQL_V_NULL) {
            facet_str_t key = o->u.obj.members[0].key;
            push(c, key, 0);
            reportf(c, &gql_value_null, "Field \"%.*s\" must be non-null.", (int)key.len, key.base);
            c->depth--;
            *ok = false;
        }
    }
    return o;
}

static const gql_value_t *coerce(vctx_t *c, const gql_value_t *v, const gql_type_ref_t *ref,
                                 bool *ok)
{
    if (c->abort || c->rc) {
        *ok = false;
        return NULL;
    }
    if (ref->kind == GQL_REF_NON_NULL) {
        if (v && v->kind != GQL_V_NULL)
            return coerce(c, v, ref->of, ok);
        facet_buf_t b;
        exec__msgbuf(&b);
        int rc = facet_buf_append_str(&b, "Expected non-nullable type \"");
        rc = rc ? rc : exec__type_print(&b, ref);
        rc = rc ? rc : facet_buf_append_str(&b, "\" not to be null.");
        if (!rc)
            report(c, v ? v : &gql_value_null, &b);
        facet_buf_free(&b);
        *ok = false;
        return NULL;
    }
    if (!v || v->kind == GQL_V_NULL)
        return NULL;
    if (ref->kind == GQL_REF_LIST) {
        if (v->kind != GQL_V_LIST) {
            /* A single value is accepted as a list of one (strings too:
             * graphql-js only iterates objects). */
            const gql_value_t *one = coerce(c, v, ref->of, ok);
            gql_value_t *l = gql_value_new_list(c->ex->arena, 1);
            if (!l) {
                c->rc = FACET_ENOMEM;
                return NULL;
            }
            l->u.list.items[0] = (gql_value_t *)(one ? one : &gql_value_null);
            return l;
        }
        gql_value_t *l = gql_value_new_list(c->ex->arena, v->u.list.n);
        if (!l) {
            c->rc = FACET_ENOMEM;
            return NULL;
        }
        for (size_t i = 0; i < v->u.list.n; i++) {
            push(c, FACET_STR_NULL, i);
            const gql_value_t *item = coerce(c, v->u.list.items[i], ref->of, ok);
            c->depth--;
            l->u.list.items[i] = (gql_value_t *)(item ? item : &gql_value_null);
        }
        return l;
    }
    const gql_type_t *t = ref->named;
    if (t->kind == GQL_INPUT_OBJECT)
        return coerce_object(c, v, t, ok);
    const gql_value_t *r = t->kind == GQL_ENUM ? enum_value(c, t, v) : scalar_value(c, t, v);
    if (!r)
        *ok = false;
    return r;
}

/* ---- variable definitions ---- */

static const gql_type_ref_t *ref_from_ast(gql_exec_t *ex, const gql_ast_type_t *t, int *rc)
{
    gql_type_ref_t *r = FACET_ARENA_NEW(ex->arena, gql_type_ref_t);
    if (!r) {
        *rc = FACET_ENOMEM;
        return NULL;
    }
    if (t->kind == GQL_AST_NAMED_TYPE) {
        r->kind = GQL_REF_NAMED;
        r->named = gql_schema_type(ex->schema, t->name.value);
        return r->named && gql_type_is_input(r->named) ? r : NULL;
    }
    r->kind = t->kind == GQL_AST_LIST_TYPE ? GQL_REF_LIST : GQL_REF_NON_NULL;
    r->of = ref_from_ast(ex, t->of_type, rc);
    return r->of ? r : NULL;
}

static void print_ast_type(facet_buf_t *b, const gql_ast_type_t *t)
{
    if (t->kind == GQL_AST_NAMED_TYPE) {
        facet_buf_append(b, t->name.value.base, t->name.value.len);
    } else if (t->kind == GQL_AST_LIST_TYPE) {
        facet_buf_append(b, "[", 1);
        print_ast_type(b, t->of_type);
        facet_buf_append(b, "]", 1);
    } else {
        print_ast_type(b, t->of_type);
        facet_buf_append(b, "!", 1);
    }
}

static void one_variable(vctx_t *c, const gql_ast_variable_def_t *d, gql_value_t *out, size_t *n)
{
    gql_exec_t *ex = c->ex;
    const gql_value_t *inputs = ex->opts.variables;
    if (inputs && inputs->kind != GQL_V_OBJECT)
        inputs = NULL;
    facet_str_t name = d->name.value;
    int rc = 0;
    const gql_type_ref_t *ref = ref_from_ast(ex, d->type, &rc);
    if (rc) {
        c->rc = rc;
        return;
    }
    facet_buf_t b;
    exec__msgbuf(&b);
    if (!ref) {
        facet_buf_printf(&b, "Variable \"$%.*s\" expected value of type \"", (int)name.len,
                         name.base);
        print_ast_type(&b, d->type);
        facet_buf_append_str(&b, "\" which cannot be used as an input type.");
        add(c, b.base, b.len, &d->type->loc);
        facet_buf_free(&b);
        return;
    }
    const gql_value_t *v = gql_value_get(inputs, name);
    const gql_value_t *cv = NULL;
    bool nonnull = ref->kind == GQL_REF_NON_NULL;
    if (!v || (v->kind == GQL_V_NULL && nonnull)) {
        if (!v && d->default_value) {
            if (exec__value_from_ast(ex, d->default_value, ref, NULL, &cv) == 0) {
                out->u.obj.members[*n].key = name;
                out->u.obj.members[(*n)++].value = (gql_value_t *)(cv ? cv : &gql_value_null);
            }
        } else if (nonnull) {
            facet_buf_printf(&b, "Variable \"$%.*s\" of %s type \"", (int)name.len, name.base,
                             v ? "non-null" : "required");
            exec__type_print(&b, ref);
            facet_buf_append_str(&b, v ? "\" must not be null." : "\" was not provided.");
            add(c, b.base, b.len, &d->loc);
        }
        facet_buf_free(&b);
        return;
    }
    facet_buf_free(&b);
    bool ok = true;
    c->def = d;
    c->depth = 0;
    cv = coerce(c, v, ref, &ok);
    if (ok) {
        out->u.obj.members[*n].key = name;
        out->u.obj.members[(*n)++].value = (gql_value_t *)(cv ? cv : &gql_value_null);
    }
}

int exec__coerce_variables(gql_exec_t *ex)
{
    const gql_ast_operation_t *op = ex->op;
    gql_value_t *vars = gql_value_new_object(ex->arena, op->nvariables);
    if (!vars)
        return FACET_ENOMEM;
    vctx_t c = {.ex = ex};
    c.max_errors = ex->opts.max_coercion_errors ? ex->opts.max_coercion_errors : 50;
    size_t n = 0;
    for (size_t i = 0; i < op->nvariables && !c.abort && !c.rc; i++)
        one_variable(&c, &op->variables[i], vars, &n);
    vars->u.obj.n = n;
    ex->vars = vars;
    if (c.rc)
        return c.rc;
    return c.nerrors || c.abort ? FACET_EINVAL : FACET_OK;
}
