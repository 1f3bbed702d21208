/* Literal values: the ValuesOfCorrectType and UniqueInputFieldNames rules,
 * the record of variable usages with the type their position expects, and
 * gql_literal_is_valid for other modules. Scalars follow graphql-js'
 * parseLiteral: Int is a 32-bit integer literal, Float an integer or float
 * literal, ID a string or integer literal; custom scalars accept anything. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "gql/validate_internal.h"

static const char *value_text(gqlv__ctx_t *v, const gql_ast_value_t *val)
{
    gqlv__sb_t sb;
    gqlv__sb_init(&sb, v->a);
    gqlv__sb_value(&sb, val);
    return gqlv__sb_cstr_of(&sb);
}

static const char *type_text(gqlv__ctx_t *v, const gql_type_ref_t *t)
{
    gqlv__sb_t sb;
    gqlv__sb_init(&sb, v->a);
    gqlv__sb_type(&sb, t);
    return gqlv__sb_cstr_of(&sb);
}

static bool int_in_range(facet_str_t text)
{
    char buf[32];
    if (text.len >= sizeof buf)
        return false;
    memcpy(buf, text.base, text.len);
    buf[text.len] = '\0';
    errno = 0;
    long long n = strtoll(buf, NULL, 10);
    return errno == 0 && n >= -2147483648LL && n <= 2147483647LL;
}

/* The message of a built-in scalar's parseLiteral failure, or NULL when
 * the literal is accepted. */
static const char *scalar_problem(gqlv__ctx_t *v, const gql_type_t *t, const gql_ast_value_t *val)
{
    gql_ast_value_kind_t k = val->kind;
    facet_str_t name = t->name;
    gqlv__sb_t sb;
    gqlv__sb_init(&sb, v->a);
    if (facet_str_eq(name, FACET_STR_LIT("Int"))) {
        if (k != GQL_AST_INT)
            gqlv__sb_cstr(&sb, "Int cannot represent non-integer value: ");
        else if (!int_in_range(val->text))
            gqlv__sb_cstr(&sb, "Int cannot represent non 32-bit signed integer value: ");
        else
            return NULL;
    } else if (facet_str_eq(name, FACET_STR_LIT("Float"))) {
        if (k == GQL_AST_INT || k == GQL_AST_FLOAT)
            return NULL;
        gqlv__sb_cstr(&sb, "Float cannot represent non numeric value: ");
    } else if (facet_str_eq(name, FACET_STR_LIT("String"))) {
        if (k == GQL_AST_STRING)
            return NULL;
        gqlv__sb_cstr(&sb, "String cannot represent a non string value: ");
    } else if (facet_str_eq(name, FACET_STR_LIT("Boolean"))) {
        if (k == GQL_AST_BOOLEAN)
            return NULL;
        gqlv__sb_cstr(&sb, "Boolean cannot represent a non boolean value: ");
    } else if (facet_str_eq(name, FACET_STR_LIT("ID"))) {
        if (k == GQL_AST_STRING || k == GQL_AST_INT)
            return NULL;
        gqlv__sb_cstr(&sb, "ID cannot represent a non-string and non-integer value: ");
    } else {
        return NULL; /* a custom scalar takes any literal */
    }
    gqlv__sb_value(&sb, val);
    return gqlv__sb_cstr_of(&sb);
}

static void enum_suggestions(gqlv__ctx_t *v, gqlv__sb_t *sb, const gql_type_t *t, const char *text)
{
    if (v->hide_suggestions || !t->nvalues)
        return;
    facet_str_t *names = FACET_ARENA_ARRAY(v->a, facet_str_t, t->nvalues);
    facet_str_t out[5];
    if (!names)
        return;
    for (size_t i = 0; i < t->nvalues; i++)
        names[i] = t->values[i].name;
    size_t n = gqlv__suggest(v->a, facet_str_c(text), names, t->nvalues, out, 5);
    gqlv__sb_did_you_mean(sb, "the enum value", out, n);
}

static const char *enum_problem(gqlv__ctx_t *v, const gql_type_t *t, const gql_ast_value_t *val)
{
    if (val->kind == GQL_AST_ENUM && gql_type_enum_value(t, val->text))
        return NULL;
    const char *text = value_text(v, val);
    gqlv__sb_t sb;
    gqlv__sb_init(&sb, v->a);
    if (val->kind != GQL_AST_ENUM)
        gqlv__sb_printf(&sb, "Enum \"%.*s\" cannot represent non-enum value: %s.", (int)t->name.len,
                        t->name.base, text);
    else
        gqlv__sb_printf(&sb, "Value \"%s\" does not exist in \"%.*s\" enum.", text,
                        (int)t->name.len, t->name.base);
    enum_suggestions(v, &sb, t, text);
    return gqlv__sb_cstr_of(&sb);
}

/* graphql-js' isValidValueNode: is the literal valid at a position of type
 * location (NULL when the position is unknown)? */
static void check_leaf(gqlv__ctx_t *v, const gql_type_ref_t *location, const gql_ast_value_t *val)
{
    if (!location)
        return;
    const gql_type_t *t = gqlv__named(location);
    if (!gql_type_is_leaf(t)) {
        gqlv__report(v, &val->loc, 1, "Expected value of type \"%s\", found %s.",
                     type_text(v, location), value_text(v, val));
        return;
    }
    const char *problem = t->kind == GQL_ENUM ? enum_problem(v, t, val) : scalar_problem(v, t, val);
    if (problem)
        gqlv__report(v, &val->loc, 1, "%s", problem);
}

/* The field named name among an object literal's first n fields. */
static const gql_ast_object_field_t *find_field(const gql_ast_value_t *obj, size_t n,
                                                facet_str_t name)
{
    for (size_t i = 0; i < n; i++) {
        if (facet_str_eq(obj->fields[i].name.value, name))
            return &obj->fields[i];
    }
    return NULL;
}

/* An index of an object literal's field names (the last field of a name
 * wins, as in graphql-js' keyMap), built only for large literals. */
static bool index_fields(gqlv__ctx_t *v, const gql_ast_value_t *obj, gqlv__map_t *m)
{
    gqlv__map_init(m, v->a);
    for (size_t i = 0; i < obj->nfields; i++) {
        facet_str_t k = obj->fields[i].name.value;
        if (!gqlv__map_put(m, k.base, k.len, (void *)&obj->fields[i])) {
            gqlv__oom(v);
            return false;
        }
    }
    return true;
}

static const gql_ast_object_field_t *lookup_field(const gql_ast_value_t *obj, const gqlv__map_t *m,
                                                  facet_str_t name)
{
    if (m->cap)
        return gqlv__map_sget(m, name);
    for (size_t i = obj->nfields; i > 0; i--) {
        if (facet_str_eq(obj->fields[i - 1].name.value, name))
            return &obj->fields[i - 1];
    }
    return NULL;
}

static void check_one_of(gqlv__ctx_t *v, const gql_type_t *t, const gql_ast_value_t *obj,
                         const gqlv__map_t *m)
{
    size_t keys = m->cap ? m->count : 0;
    if (!m->cap) {
        for (size_t i = 0; i < obj->nfields; i++)
            keys += !find_field(obj, i, obj->fields[i].name.value);
    }
    if (keys != 1) {
        gqlv__report(v, &obj->loc, 1, "OneOf Input Object \"%.*s\" must specify exactly one key.",
                     (int)t->name.len, t->name.base);
        return;
    }
    const gql_ast_object_field_t *f = lookup_field(obj, m, obj->fields[0].name.value);
    if (!f->value || f->value->kind == GQL_AST_NULL)
        gqlv__report(v, &obj->loc, 1, "Field \"%.*s.%.*s\" must be non-null.", (int)t->name.len,
                     t->name.base, (int)f->name.value.len, f->name.value.base);
}

/* ValuesOfCorrectType on an object literal; false when the rule skips its
 * fields. */
static bool check_object(gqlv__ctx_t *v, const gqlv__ti_t *ti, const gql_ast_value_t *obj)
{
    const gql_type_t *t = gqlv__named(ti->input);
    if (!t || t->kind != GQL_INPUT_OBJECT) {
        check_leaf(v, ti->input, obj);
        return false;
    }
    gqlv__map_t m;
    gqlv__map_init(&m, v->a);
    if (obj->nfields > 8 && !index_fields(v, obj, &m))
        return false;
    for (size_t i = 0; i < t->ninput_fields && !v->aborted; i++) {
        const gql_input_value_t *f = &t->input_fields[i];
        if (f->type->kind != GQL_REF_NON_NULL || f->default_value || lookup_field(obj, &m, f->name))
            continue;
        gqlv__report(
            v, &obj->loc, 1, "Field \"%.*s.%.*s\" of required type \"%s\" was not provided.",
            (int)t->name.len, t->name.base, (int)f->name.len, f->name.base, type_text(v, f->type));
    }
    if (t->one_of)
        check_one_of(v, t, obj, &m);
    return true;
}

static void check_unknown_field(gqlv__ctx_t *v, const gql_type_t *parent,
                                const gql_ast_object_field_t *f)
{
    gqlv__sb_t sb;
    gqlv__sb_init(&sb, v->a);
    gqlv__sb_printf(&sb, "Field \"%.*s\" is not defined by type \"%.*s\".", (int)f->name.value.len,
                    f->name.value.base, (int)parent->name.len, parent->name.base);
    if (!v->hide_suggestions && parent->ninput_fields) {
        facet_str_t *names = FACET_ARENA_ARRAY(v->a, facet_str_t, parent->ninput_fields);
        facet_str_t out[5];
        if (names) {
            for (size_t i = 0; i < parent->ninput_fields; i++)
                names[i] = parent->input_fields[i].name;
            size_t n = gqlv__suggest(v->a, f->name.value, names, parent->ninput_fields, out, 5);
            gqlv__sb_did_you_mean(&sb, NULL, out, n);
        }
    }
    gqlv__report(v, &f->name.loc, 1, "%s", gqlv__sb_cstr_of(&sb));
}

/* UniqueInputFieldNames for field i of obj; seen indexes large literals. */
static void check_unique_field(gqlv__ctx_t *v, const gql_ast_value_t *obj, size_t i,
                               gqlv__map_t *seen)
{
    const gql_ast_object_field_t *f = &obj->fields[i];
    const gql_ast_object_field_t *first;
    if (obj->nfields > 8) {
        first = gqlv__map_sget(seen, f->name.value);
        if (!first && !gqlv__map_put(seen, f->name.value.base, f->name.value.len, (void *)f))
            gqlv__oom(v);
    } else {
        first = find_field(obj, i, f->name.value);
    }
    if (first) {
        gql_loc_t locs[2] = {first->name.loc, f->name.loc};
        gqlv__report(v, locs, 2, "There can be only one input field named \"%.*s\".",
                     (int)f->name.value.len, f->name.value.base);
    }
}

static void walk_list(gqlv__ctx_t *v, const gqlv__ti_t *ti, const gql_ast_value_t *val, bool check)
{
    const gql_type_ref_t *list = ti->input;
    if (list && list->kind == GQL_REF_NON_NULL)
        list = list->of;
    gqlv__ti_t t = *ti;
    t.parent_input = ti->input;
    t.input = list && list->kind == GQL_REF_LIST ? list->of : list;
    t.has_default = false;
    if (!v->collect && check && !(list && list->kind == GQL_REF_LIST)) {
        check_leaf(v, t.input, val);
        check = false;
    }
    for (size_t i = 0; i < val->nitems && !v->aborted; i++)
        gqlv__walk_value(v, &t, val->items[i], check);
}

static void walk_object(gqlv__ctx_t *v, const gqlv__ti_t *ti, const gql_ast_value_t *val,
                        bool check)
{
    if (!v->collect && check)
        check = check_object(v, ti, val);
    const gql_type_t *type = gqlv__named(ti->input);
    if (type && type->kind != GQL_INPUT_OBJECT)
        type = NULL;
    gqlv__map_t seen;
    gqlv__map_init(&seen, v->a);
    for (size_t i = 0; i < val->nfields && !v->aborted; i++) {
        const gql_ast_object_field_t *f = &val->fields[i];
        const gql_input_value_t *def = type ? gql_type_input_field(type, f->name.value) : NULL;
        gqlv__ti_t t = *ti;
        t.parent_input = ti->input;
        t.input = def ? def->type : NULL;
        t.has_default = def && def->default_value;
        if (!v->collect) {
            if (check && !def && type)
                check_unknown_field(v, type, f);
            check_unique_field(v, val, i, &seen);
        }
        gqlv__walk_value(v, &t, f->value, check);
    }
}

static void record_usage(gqlv__ctx_t *v, const gqlv__ti_t *ti, const gql_ast_value_t *val)
{
    gqlv__usages_t *u = v->collect;
    if (u->n == u->cap) {
        size_t cap = u->cap ? u->cap * 2 : 8;
        gqlv__usage_t *items = FACET_ARENA_ARRAY(v->a, gqlv__usage_t, cap);
        if (!items) {
            gqlv__oom(v);
            return;
        }
        if (u->n)
            memcpy(items, u->items, u->n * sizeof *items);
        u->items = items;
        u->cap = cap;
    }
    u->items[u->n++] = (gqlv__usage_t){val, ti->input, ti->parent_input, ti->has_default};
}

void gqlv__walk_value(gqlv__ctx_t *v, const gqlv__ti_t *ti, const gql_ast_value_t *val, bool check)
{
    if (!val || !gqlv__enter(v))
        return;
    switch (val->kind) {
    case GQL_AST_VARIABLE:
        if (v->collect)
            record_usage(v, ti, val);
        break;
    case GQL_AST_NULL:
        if (!v->collect && check && ti->input && ti->input->kind == GQL_REF_NON_NULL)
            gqlv__report(v, &val->loc, 1, "Expected value of type \"%s\", found null.",
                         type_text(v, ti->input));
        break;
    case GQL_AST_LIST:
        walk_list(v, ti, val, check);
        break;
    case GQL_AST_OBJECT:
        walk_object(v, ti, val, check);
        break;
    default:
        if (!v->collect && check)
            check_leaf(v, ti->input, val);
        break;
    }
    gqlv__leave(v);
}

bool gql_literal_is_valid(const gql_type_ref_t *type, const gql_ast_value_t *val,
                          facet_arena_t *scratch)
{
    gql_error_list_t errors;
    gql_errors_init(&errors, scratch, 0);
    gqlv__ctx_t v;
    memset(&v, 0, sizeof v);
    v.a = scratch;
    v.errors = &errors;
    v.max_errors = 1;
    v.hide_suggestions = true;
    gqlv__ti_t ti = {0};
    ti.input = type;
    gqlv__walk_value(&v, &ti, val, true);
    return v.nerrors == 0 && !v.aborted && !v.oom;
}
