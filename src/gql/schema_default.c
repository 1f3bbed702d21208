/* Default values as graphql-js reports them. buildSchema coerces each
 * default literal to its type (valueFromAST) and introspection and
 * printSchema serialize the result back (astFromValue), so "[Int] = 1"
 * reads "[1]", "Float = 1.0" reads "1" and an input object gains its
 * fields' defaults in field order; a literal that does not coerce is
 * dropped. This file computes that literal once, at build time. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "gql/schema_internal.h"

/* A default is RAW until computed, BUSY while it is, DONE after. It is
 * SELF while busy once its computation needed it (a cycle); it then gets
 * none. */
enum { RAW = 0, BUSY = 1, DONE = 2, SELF = 3 };

#define MAX_DEFAULT_DEPTH 64

static int ensure_default(gql__sbuild_t *b, gql_input_value_t *iv, const gql_ast_value_t **out);
static int normalize(gql__sbuild_t *b, const gql_ast_value_t *v, const gql_type_ref_t *t,
                     const gql_ast_value_t **out);

/* ---- numbers ---- */

void gql__js_number(double d, char *out, size_t cap)
{
    if (d == 0 || isnan(d) || isinf(d)) {
        snprintf(out, cap, "%s",
                 d == 0     ? "0"
                 : isnan(d) ? "NaN"
                 : d > 0    ? "Infinity"
                            : "-Infinity");
        return;
    }
    /* The shortest digits that read back as d, as ECMAScript's
     * Number::toString picks them. */
    char tmp[40];
    for (int p = 1; p <= 17; p++) {
        snprintf(tmp, sizeof tmp, "%.*e", p - 1, d);
        if (strtod(tmp, NULL) == d)
            break;
    }
    char digits[24];
    size_t k = 0;
    const char *p = tmp;
    bool neg = *p == '-';
    p += neg;
    for (; *p && *p != 'e'; p++) {
        if (*p >= '0' && *p <= '9' && k < sizeof digits - 1)
            digits[k++] = *p;
    }
    digits[k] = '\0';
    int n = (*p == 'e' ? atoi(p + 1) : 0) + 1; /* position of the decimal point */
    int nk = (int)k;
    char r[64];
    size_t m = 0;
    if (neg)
        r[m++] = '-';
    if (nk <= n && n <= 21) {
        memcpy(r + m, digits, k);
        m += k;
        for (int i = nk; i < n; i++)
            r[m++] = '0';
    } else if (0 < n && n <= 21) {
        memcpy(r + m, digits, (size_t)n);
        m += (size_t)n;
        r[m++] = '.';
        memcpy(r + m, digits + n, (size_t)(nk - n));
        m += (size_t)(nk - n);
    } else if (-6 < n && n <= 0) {
        r[m++] = '0';
        r[m++] = '.';
        for (int i = 0; i < -n; i++)
            r[m++] = '0';
        memcpy(r + m, digits, k);
        m += k;
    } else {
        r[m++] = digits[0];
        if (k > 1) {
            r[m++] = '.';
            memcpy(r + m, digits + 1, k - 1);
            m += k - 1;
        }
        m += (size_t)snprintf(r + m, sizeof r - m, "e%c%d", n - 1 >= 0 ? '+' : '-', abs(n - 1));
    }
    r[m] = '\0';
    snprintf(out, cap, "%s", r);
}

/* graphql-js' integerStringRegExp: /^-?(?:0|[1-9][0-9]*)$/. */
static bool is_integer_string(facet_str_t s)
{
    size_t i = s.len && s.base[0] == '-';
    if (i >= s.len)
        return false;
    if (s.base[i] == '0')
        return i + 1 == s.len;
    for (; i < s.len; i++) {
        if (s.base[i] < '0' || s.base[i] > '9')
            return false;
    }
    return true;
}

/* ---- literal constructors ---- */

static gql_ast_value_t *new_value(gql__sbuild_t *b, gql_ast_value_kind_t kind, const gql_loc_t *loc)
{
    gql_ast_value_t *v = FACET_ARENA_NEW(b->a, gql_ast_value_t);
    if (!v) {
        b->rc = FACET_ENOMEM;
        return NULL;
    }
    v->kind = kind;
    v->loc = *loc;
    return v;
}

static int number_value(gql__sbuild_t *b, double d, const gql_ast_value_t *lit,
                        const gql_ast_value_t **out)
{
    if (!isfinite(d)) {
        /* graphql-js accepts it (as Infinity) but cannot serialize it back;
         * the literal is kept so that whoever prints it meets the same
         * problem graphql-js does. */
        *out = lit;
        return FACET_OK;
    }
    char text[40];
    gql__js_number(d, text, sizeof text);
    facet_str_t s = facet_arena_strdup(b->a, text, strlen(text));
    gql_ast_value_t *v =
        new_value(b, is_integer_string(s) ? GQL_AST_INT : GQL_AST_FLOAT, &lit->loc);
    if (!v || !s.base)
        return FACET_ENOMEM;
    v->text = s;
    *out = v;
    return FACET_OK;
}

static int string_value(gql__sbuild_t *b, gql_ast_value_kind_t kind, facet_str_t text,
                        const gql_loc_t *loc, const gql_ast_value_t **out)
{
    gql_ast_value_t *v = new_value(b, kind, loc);
    if (!v)
        return FACET_ENOMEM;
    v->text = text;
    *out = v;
    return FACET_OK;
}

static double parse_number(gql__sbuild_t *b, facet_str_t text)
{
    char buf[64];
    if (text.len < sizeof buf) {
        memcpy(buf, text.base, text.len);
        buf[text.len] = '\0';
        return strtod(buf, NULL);
    }
    facet_str_t copy = facet_arena_strdup(b->a, text.base, text.len);
    return copy.base ? strtod(copy.base, NULL) : NAN;
}

/* ---- scalars ---- */

static int normalize_int(gql__sbuild_t *b, const gql_ast_value_t *v, const gql_ast_value_t **out)
{
    *out = NULL;
    if (v->kind != GQL_AST_INT)
        return FACET_OK;
    double d = parse_number(b, v->text);
    if (d > 2147483647.0 || d < -2147483648.0)
        return FACET_OK;
    return number_value(b, d, v, out);
}

static int normalize_builtin_scalar(gql__sbuild_t *b, const gql_ast_value_t *v, facet_str_t name,
                                    const gql_ast_value_t **out)
{
    *out = NULL;
    if (facet_str_eq(name, FACET_STR_LIT("Int")))
        return normalize_int(b, v, out);
    if (facet_str_eq(name, FACET_STR_LIT("Float"))) {
        if (v->kind != GQL_AST_INT && v->kind != GQL_AST_FLOAT)
            return FACET_OK;
        return number_value(b, parse_number(b, v->text), v, out);
    }
    if (facet_str_eq(name, FACET_STR_LIT("String"))) {
        if (v->kind != GQL_AST_STRING)
            return FACET_OK;
        return string_value(b, GQL_AST_STRING, v->text, &v->loc, out);
    }
    if (facet_str_eq(name, FACET_STR_LIT("Boolean"))) {
        *out = v->kind == GQL_AST_BOOLEAN ? v : NULL;
        return FACET_OK;
    }
    /* ID: a string or an integer literal, serialized back as an integer
     * literal when it looks like one. */
    if (v->kind != GQL_AST_STRING && v->kind != GQL_AST_INT)
        return FACET_OK;
    return string_value(b, is_integer_string(v->text) ? GQL_AST_INT : GQL_AST_STRING, v->text,
                        &v->loc, out);
}

/* A custom scalar parses any literal (valueFromASTUntyped) and serializes
 * it as is, which turns an enum literal into a string and reformats
 * numbers. graphql-js cannot print lists and objects back (it throws); they
 * are kept as written. */
static int normalize_custom_scalar(gql__sbuild_t *b, const gql_ast_value_t *v,
                                   const gql_ast_value_t **out)
{
    switch (v->kind) {
    case GQL_AST_INT:
    case GQL_AST_FLOAT:
        return number_value(b, parse_number(b, v->text), v, out);
    case GQL_AST_STRING:
    case GQL_AST_ENUM:
        return string_value(b, GQL_AST_STRING, v->text, &v->loc, out);
    case GQL_AST_VARIABLE:
        *out = NULL;
        return FACET_OK;
    default:
        *out = v;
        return FACET_OK;
    }
}

/* ---- composite values ---- */

static int normalize_list(gql__sbuild_t *b, const gql_ast_value_t *v, const gql_type_ref_t *item,
                          const gql_ast_value_t **out)
{
    *out = NULL;
    size_t n = v->kind == GQL_AST_LIST ? v->nitems : 1;
    gql_ast_value_t *list = new_value(b, GQL_AST_LIST, &v->loc);
    gql_ast_value_t **items = FACET_ARENA_ARRAY(b->a, gql_ast_value_t *, n ? n : 1);
    if (!list || !items)
        return FACET_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        const gql_ast_value_t *r = NULL;
        int rc = normalize(b, v->kind == GQL_AST_LIST ? v->items[i] : v, item, &r);
        if (rc || !r)
            return rc;
        items[i] = (gql_ast_value_t *)r;
    }
    list->items = items;
    list->nitems = n;
    *out = list;
    return FACET_OK;
}

static const gql_ast_value_t *object_field(const gql_ast_value_t *v, facet_str_t name)
{
    /* The last occurrence wins, as graphql-js' keyMap keeps it. */
    const gql_ast_value_t *found = NULL;
    for (size_t i = 0; i < v->nfields; i++) {
        if (facet_str_eq(v->fields[i].name.value, name))
            found = v->fields[i].value;
    }
    return found;
}

static int normalize_object(gql__sbuild_t *b, const gql_ast_value_t *v, gql_type_t *t,
                            const gql_ast_value_t **out)
{
    *out = NULL;
    if (v->kind != GQL_AST_OBJECT)
        return FACET_OK;
    gql_ast_value_t *obj = new_value(b, GQL_AST_OBJECT, &v->loc);
    gql_ast_object_field_t *fields =
        FACET_ARENA_ARRAY(b->a, gql_ast_object_field_t, t->ninput_fields ? t->ninput_fields : 1);
    if (!obj || !fields)
        return FACET_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < t->ninput_fields; i++) {
        gql_input_value_t *f = &t->input_fields[i];
        const gql_ast_value_t *fv = object_field(v, f->name), *r = NULL;
        int rc = fv ? normalize(b, fv, f->type, &r) : ensure_default(b, f, &r);
        if (rc)
            return rc;
        if (!r) {
            /* A given field that does not coerce, or a missing non-null
             * field without a default, makes the whole value invalid. */
            if (fv || f->type->kind == GQL_REF_NON_NULL)
                return FACET_OK;
            continue;
        }
        fields[n].name.value = f->name;
        fields[n].name.loc = fv ? v->loc : f->loc;
        fields[n++].value = (gql_ast_value_t *)r;
    }
    if (t->one_of && (n != 1 || fields[0].value->kind == GQL_AST_NULL))
        return FACET_OK;
    obj->fields = fields;
    obj->nfields = n;
    *out = obj;
    return FACET_OK;
}

static int normalize(gql__sbuild_t *b, const gql_ast_value_t *v, const gql_type_ref_t *t,
                     const gql_ast_value_t **out)
{
    *out = NULL;
    if (t->kind == GQL_REF_NON_NULL)
        return v->kind == GQL_AST_NULL ? FACET_OK : normalize(b, v, t->of, out);
    if (v->kind == GQL_AST_NULL) {
        *out = v;
        return FACET_OK;
    }
    if (v->kind == GQL_AST_VARIABLE)
        return FACET_OK;
    if (t->kind == GQL_REF_LIST)
        return normalize_list(b, v, t->of, out);
    gql_type_t *named = t->named;
    switch (named->kind) {
    case GQL_INPUT_OBJECT:
        return normalize_object(b, v, named, out);
    case GQL_ENUM:
        *out = v->kind == GQL_AST_ENUM && gql_type_enum_value(named, v->text) ? v : NULL;
        return FACET_OK;
    case GQL_SCALAR:
        return named->builtin ? normalize_builtin_scalar(b, v, named->name, out)
                              : normalize_custom_scalar(b, v, out);
    default:
        return FACET_OK; /* not an input type: validation reports it */
    }
}

int gql__schema_normalize_value(gql__sbuild_t *b, const gql_ast_value_t *v, const gql_type_ref_t *t,
                                const gql_ast_value_t **out)
{
    int rc = normalize(b, v, t, out);
    if (rc) {
        b->rc = rc;
        *out = NULL;
    }
    return rc;
}

/* An input object's default may use its fields' defaults, which may use
 * other types' fields' defaults: each is computed once, on demand. A
 * default that needs itself (input A { a: A = {} }) has none; graphql-js
 * overflows its stack on such schemas. Giving it none, rather than the
 * value computed without it, keeps every default computed meanwhile
 * consistent with the outcome, so that a printed schema builds back to
 * the same defaults. */
static int ensure_default(gql__sbuild_t *b, gql_input_value_t *iv, const gql_ast_value_t **out)
{
    *out = NULL;
    if (iv->build_state == BUSY || iv->build_state == SELF) {
        iv->build_state = SELF;
        return FACET_OK;
    }
    if (iv->build_state == RAW) {
        const gql_ast_value_t *lit = iv->default_value, *r = NULL;
        /* Past this depth a chain of input types is treated like a cycle,
         * so that no schema can exhaust the stack here: an input object
         * default first needed there has none, for the same consistency.
         * Other defaults need no further defaults, so they are computed. */
        if (b->default_depth >= MAX_DEFAULT_DEPTH &&
            gql_type_ref_named(iv->type)->kind == GQL_INPUT_OBJECT) {
            iv->build_state = DONE;
            iv->default_value = NULL;
            return FACET_OK;
        }
        iv->build_state = BUSY;
        b->default_depth++;
        int rc = lit ? normalize(b, lit, iv->type, &r) : FACET_OK;
        b->default_depth--;
        if (iv->build_state == SELF)
            r = NULL;
        iv->build_state = DONE;
        if (rc)
            return rc;
        iv->default_value = r;
    }
    *out = iv->default_value;
    return FACET_OK;
}

static int normalize_all(gql__sbuild_t *b, gql_input_value_t *ivs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const gql_ast_value_t *ignored;
        int rc = ensure_default(b, &ivs[i], &ignored);
        if (rc)
            return rc;
    }
    return FACET_OK;
}

int gql__schema_normalize_defaults(gql__sbuild_t *b, gql_type_t *const *types, size_t ntypes,
                                   gql_directive_t *const *dirs, size_t ndirs)
{
    int rc = FACET_OK;
    for (size_t i = 0; i < ntypes && !rc; i++) {
        gql_type_t *t = types[i];
        if (t->kind == GQL_INPUT_OBJECT)
            rc = normalize_all(b, t->input_fields, t->ninput_fields);
        for (size_t j = 0;
             (t->kind == GQL_OBJECT || t->kind == GQL_INTERFACE) && j < t->nfields && !rc; j++)
            rc = normalize_all(b, t->fields[j].args, t->fields[j].nargs);
    }
    for (size_t i = 0; i < ndirs && !rc; i++)
        rc = normalize_all(b, dirs[i]->args, dirs[i]->nargs);
    if (rc)
        b->rc = rc;
    return rc;
}
