/* __InputValue.defaultValue as graphql-js computes it: the default literal
 * is coerced (valueFromAST), turned back into a literal for the type
 * (astFromValue: input object fields in definition order with their own
 * defaults filled in, a single value for a list type printed as is, numbers
 * as JavaScript prints them) and printed. */
#include <math.h>
#include <string.h>

#include "core/error.h"
#include "gql/exec_internal.h"
#include "gql/json.h"

enum { A_NONE, A_NULL, A_OK, A_ERR };

typedef struct pctx {
    gql_exec_t *ex;
    facet_buf_t *out;
    facet_str_t *msg;
    int rc;
} pctx_t;

static void put(pctx_t *c, const char *s, size_t n)
{
    if (!c->rc)
        c->rc = facet_buf_append(c->out, s, n);
}

static bool integer_string(const char *s, size_t n)
{
    size_t i = 0;
    if (i < n && s[i] == '-')
        i++;
    if (i == n)
        return false;
    if (s[i] == '0')
        return i + 1 == n;
    for (; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static int type_error(pctx_t *c, const gql_value_t *v)
{
    facet_buf_t b;
    exec__msgbuf(&b);
    int rc = facet_buf_append_str(&b, "Cannot convert value to AST: ");
    rc = rc ? rc : exec__inspect(&b, v);
    rc = rc ? rc : facet_buf_append(&b, ".", 1);
    if (!rc)
        *c->msg = exec__arena_str(c->ex, &b);
    else
        c->rc = rc;
    facet_buf_free(&b);
    return A_ERR;
}

static int leaf(pctx_t *c, const gql_value_t *v, const gql_type_t *t)
{
    switch (v->kind) {
    case GQL_V_BOOL:
        put(c, v->u.b ? "true" : "false", v->u.b ? 4 : 5);
        return A_OK;
    case GQL_V_INT:
        if (!c->rc)
            c->rc = gql_json_write_int(c->out, v->u.i);
        return A_OK;
    case GQL_V_FLOAT: {
        if (!isfinite(v->u.f))
            return type_error(c, v);
        char num[GQL_NUMBER_BUF_SIZE];
        size_t n = gql_number_to_string(v->u.f, num);
        put(c, num, n);
        return A_OK;
    }
    case GQL_V_STRING: {
        facet_str_t s = v->u.s;
        bool id = t->builtin && facet_str_eq(t->name, FACET_STR_LIT("ID"));
        if (t->kind == GQL_ENUM || (id && integer_string(s.base, s.len)))
            put(c, s.base, s.len);
        else if (!c->rc)
            c->rc = exec__print_string(c->out, s.base, s.len);
        return A_OK;
    }
    default:
        return type_error(c, v);
    }
}

static int ast_from_value(pctx_t *c, const gql_value_t *v, const gql_type_ref_t *ref)
{
    if (ref->kind == GQL_REF_NON_NULL) {
        size_t mark = c->out->len;
        int r = ast_from_value(c, v, ref->of);
        if (r == A_NULL) {
            c->out->len = mark;
            return A_NONE;
        }
        return r;
    }
    if (!v)
        return A_NONE;
    if (v->kind == GQL_V_NULL) {
        put(c, "null", 4);
        return A_NULL;
    }
    if (ref->kind == GQL_REF_LIST) {
        if (v->kind != GQL_V_LIST)
            return ast_from_value(c, v, ref->of);
        put(c, "[", 1);
        bool first = true;
        for (size_t i = 0; i < v->u.list.n; i++) {
            size_t mark = c->out->len;
            if (!first)
                put(c, ", ", 2);
            int r = ast_from_value(c, v->u.list.items[i], ref->of);
            if (r == A_ERR)
                return A_ERR;
            if (r == A_NONE)
                c->out->len = mark;
            else
                first = false;
        }
        put(c, "]", 1);
        return A_OK;
    }
    const gql_type_t *t = ref->named;
    if (t->kind == GQL_INPUT_OBJECT) {
        if (v->kind != GQL_V_OBJECT)
            return A_NONE;
        put(c, "{", 1);
        bool first = true;
        for (size_t i = 0; i < t->ninput_fields; i++) {
            const gql_input_value_t *fd = &t->input_fields[i];
            size_t mark = c->out->len;
            if (!first)
                put(c, ", ", 2);
            put(c, fd->name.base, fd->name.len);
            put(c, ": ", 2);
            int r = ast_from_value(c, gql_value_get(v, fd->name), fd->type);
            if (r == A_ERR)
                return A_ERR;
            if (r == A_NONE)
                c->out->len = mark;
            else
                first = false;
        }
        put(c, "}", 1);
        return A_OK;
    }
    return leaf(c, v, t);
}

int exec__print_default(gql_exec_t *ex, const gql_input_value_t *iv, facet_buf_t *out,
                        facet_str_t *msg)
{
    const gql_value_t *v = NULL;
    int rc = exec__default_value(ex, iv, &v);
    if (rc < 0)
        return rc;
    if (rc == 1)
        return 1;
    pctx_t c = {.ex = ex, .out = out, .msg = msg};
    int r = ast_from_value(&c, v ? v : &gql_value_null, iv->type);
    if (c.rc)
        return c.rc;
    if (r == A_ERR)
        return 2;
    return r == A_NONE ? 1 : 0;
}
