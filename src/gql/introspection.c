/* Introspection: the meta fields __typename, __schema and __type, and the
 * fields of __Schema, __Type, __Field, __InputValue, __EnumValue and
 * __Directive, resolved synchronously over the schema's own structures
 * (host objects whose kind follows from the parent type). A __Type is
 * represented by a gql_type_ref_t so that list and non-null wrappers have
 * one too. */
#include <string.h>

#include "core/error.h"
#include "gql/exec_internal.h"

uint8_t exec__intro_kind(const gql_type_t *t)
{
    if (!t->builtin || t->kind != GQL_OBJECT || t->name.len < 3 || t->name.base[0] != '_')
        return INTRO_NONE;
    static const struct {
        const char *name;
        uint8_t kind;
    } kinds[] = {
        {"__Schema", INTRO_SCHEMA},        {"__Type", INTRO_TYPE},
        {"__Field", INTRO_FIELD},          {"__InputValue", INTRO_INPUT_VALUE},
        {"__EnumValue", INTRO_ENUM_VALUE}, {"__Directive", INTRO_DIRECTIVE},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (facet_str_eq(t->name, facet_str_c(kinds[i].name)))
            return kinds[i].kind;
    return INTRO_NONE;
}

/* ---- meta field definitions ---- */

static const gql_type_ref_t *named_ref(gql_exec_t *ex, const gql_type_t *t)
{
    if (!t)
        return NULL;
    gql_type_ref_t *r = FACET_ARENA_NEW(ex->arena, gql_type_ref_t);
    if (!r)
        return exec__oom(ex);
    r->kind = GQL_REF_NAMED;
    r->named = (gql_type_t *)t;
    return r;
}

static const gql_type_ref_t *non_null(gql_exec_t *ex, const gql_type_ref_t *of)
{
    if (!of)
        return NULL;
    gql_type_ref_t *r = FACET_ARENA_NEW(ex->arena, gql_type_ref_t);
    if (!r)
        return exec__oom(ex);
    r->kind = GQL_REF_NON_NULL;
    r->of = of;
    return r;
}

gql_field_t *exec__meta_def(gql_exec_t *ex, int meta)
{
    if (ex->meta_defs[meta])
        return ex->meta_defs[meta];
    const gql_schema_t *s = ex->schema;
    gql_field_t *f = FACET_ARENA_NEW(ex->arena, gql_field_t);
    if (!f)
        return exec__oom(ex);
    switch (meta) {
    case META_TYPENAME:
        f->name = FACET_STR_LIT("__typename");
        f->type = non_null(ex, named_ref(ex, gql_schema_type(s, FACET_STR_LIT("String"))));
        break;
    case META_SCHEMA:
        f->name = FACET_STR_LIT("__schema");
        f->type = non_null(ex, named_ref(ex, gql_schema_type(s, FACET_STR_LIT("__Schema"))));
        break;
    case META_TYPE: {
        f->name = FACET_STR_LIT("__type");
        f->type = named_ref(ex, gql_schema_type(s, FACET_STR_LIT("__Type")));
        gql_input_value_t *arg = FACET_ARENA_NEW(ex->arena, gql_input_value_t);
        if (!arg)
            return exec__oom(ex);
        arg->name = FACET_STR_LIT("name");
        arg->type = non_null(ex, named_ref(ex, gql_schema_type(s, FACET_STR_LIT("String"))));
        if (!arg->type)
            return NULL;
        f->args = arg;
        f->nargs = 1;
        break;
    }
    default:
        return NULL;
    }
    if (!f->type)
        return NULL;
    ex->meta_defs[meta] = f;
    return f;
}

/* ---- completion helpers ---- */

typedef struct ictx {
    gql_exec_t *ex;
    exec_obj_t *obj;
    exec_field_t *f;
    exec_slot_t *slot;
} ictx_t;

static void done_str(ictx_t *c, facet_str_t s)
{
    const gql_value_t *v = exec__str_value(c->ex, s);
    if (!c->ex->oom)
        exec__complete_json(c->ex, c->slot, c->f->def->type, c->f, c->obj->set->type, v);
}

static void done_cstr(ictx_t *c, const char *s)
{
    done_str(c, s ? facet_str_c(s) : FACET_STR_NULL);
}

static void done_bool(ictx_t *c, bool b)
{
    exec__complete_json(c->ex, c->slot, c->f->def->type, c->f, c->obj->set->type,
                        exec__bool_value(b));
}

static void done_null(ictx_t *c)
{
    exec__complete_json(c->ex, c->slot, c->f->def->type, c->f, c->obj->set->type, NULL);
}

static void done_host(ictx_t *c, const void *p)
{
    exec__complete_host(c->ex, c->slot, c->f->def->type, c->f, c->obj->set->type, p, NULL);
}

static void done_list(ictx_t *c, const void *const *items, size_t n)
{
    exec__complete_host_list(c->ex, c->slot, c->f->def->type, c->f, c->obj->set->type, items, NULL,
                             n);
}

static const void **items(ictx_t *c, size_t n)
{
    const void **p = FACET_ARENA_ARRAY(c->ex->arena, const void *, n ? n : 1);
    return p ? p : exec__oom(c->ex);
}

static bool include_deprecated(ictx_t *c)
{
    const gql_value_t *v = gql_value_get(c->f->args, FACET_STR_LIT("includeDeprecated"));
    return v && v->kind == GQL_V_BOOL && v->u.b;
}

static bool is(const exec_field_t *f, const char *name)
{
    return facet_str_eq(f->def->name, facet_str_c(name));
}

static void type_list(ictx_t *c, gql_type_t *const *types, size_t n)
{
    const void **p = items(c, n);
    gql_type_ref_t *refs = FACET_ARENA_ARRAY(c->ex->arena, gql_type_ref_t, n ? n : 1);
    if (!p || !refs) {
        exec__oom(c->ex);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        refs[i].kind = GQL_REF_NAMED;
        refs[i].named = types[i];
        p[i] = &refs[i];
    }
    done_list(c, p, n);
}

static void input_values(ictx_t *c, const gql_input_value_t *vals, size_t n)
{
    bool all = include_deprecated(c);
    const void **p = items(c, n);
    if (!p)
        return;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (all || !vals[i].deprecation_reason.base)
            p[k++] = &vals[i];
    done_list(c, p, k);
}

/* ---- the introspection types ---- */

static void schema_field(ictx_t *c, const gql_schema_t *s)
{
    exec_field_t *f = c->f;
    if (is(f, "description"))
        done_str(c, s->description);
    else if (is(f, "types"))
        type_list(c, s->types, s->ntypes);
    else if (is(f, "queryType"))
        done_host(c, named_ref(c->ex, s->query));
    else if (is(f, "mutationType"))
        done_host(c, named_ref(c->ex, s->mutation));
    else if (is(f, "subscriptionType"))
        done_host(c, named_ref(c->ex, s->subscription));
    else if (is(f, "directives")) {
        bool all = include_deprecated(c);
        const void **p = items(c, s->ndirectives);
        if (!p)
            return;
        size_t k = 0;
        for (size_t i = 0; i < s->ndirectives; i++)
            if (all || !s->directives[i]->deprecation_reason.base)
                p[k++] = s->directives[i];
        done_list(c, p, k);
    } else
        done_null(c);
}

static void type_members(ictx_t *c, const gql_type_t *t)
{
    exec_field_t *f = c->f;
    bool fields = t->kind == GQL_OBJECT || t->kind == GQL_INTERFACE;
    if (is(f, "fields")) {
        if (!fields) {
            done_null(c);
            return;
        }
        bool all = include_deprecated(c);
        const void **p = items(c, t->nfields);
        if (!p)
            return;
        size_t k = 0;
        for (size_t i = 0; i < t->nfields; i++)
            if (all || !t->fields[i].deprecation_reason.base)
                p[k++] = &t->fields[i];
        done_list(c, p, k);
    } else if (is(f, "interfaces")) {
        if (!fields) {
            done_null(c);
            return;
        }
        type_list(c, t->interfaces, t->ninterfaces);
    } else if (is(f, "possibleTypes")) {
        if (!gql_type_is_abstract(t)) {
            done_null(c);
            return;
        }
        type_list(c, t->possible, t->npossible);
    } else if (is(f, "enumValues")) {
        if (t->kind != GQL_ENUM) {
            done_null(c);
            return;
        }
        bool all = include_deprecated(c);
        const void **p = items(c, t->nvalues);
        if (!p)
            return;
        size_t k = 0;
        for (size_t i = 0; i < t->nvalues; i++)
            if (all || !t->values[i].deprecation_reason.base)
                p[k++] = &t->values[i];
        done_list(c, p, k);
    } else if (is(f, "inputFields")) {
        if (t->kind != GQL_INPUT_OBJECT) {
            done_null(c);
            return;
        }
        input_values(c, t->input_fields, t->ninput_fields);
    } else if (is(f, "isOneOf")) {
        if (t->kind != GQL_INPUT_OBJECT) {
            done_null(c);
            return;
        }
        done_bool(c, t->one_of);
    } else {
        done_null(c);
    }
}

static void type_field(ictx_t *c, const gql_type_ref_t *ref)
{
    exec_field_t *f = c->f;
    const gql_type_t *t = ref->kind == GQL_REF_NAMED ? ref->named : NULL;
    if (is(f, "kind")) {
        if (ref->kind == GQL_REF_LIST)
            done_cstr(c, "LIST");
        else if (ref->kind == GQL_REF_NON_NULL)
            done_cstr(c, "NON_NULL");
        else
            done_cstr(c, gql_type_kind_name(t->kind));
    } else if (is(f, "name")) {
        done_str(c, t ? t->name : FACET_STR_NULL);
    } else if (is(f, "description")) {
        done_str(c, t ? t->description : FACET_STR_NULL);
    } else if (is(f, "specifiedByURL")) {
        done_str(c, t && t->kind == GQL_SCALAR ? t->specified_by_url : FACET_STR_NULL);
    } else if (is(f, "ofType")) {
        done_host(c, t ? NULL : ref->of);
    } else if (!t) {
        done_null(c);
    } else {
        type_members(c, t);
    }
}

static void deprecation(ictx_t *c, facet_str_t reason)
{
    if (is(c->f, "isDeprecated"))
        done_bool(c, reason.base != NULL);
    else
        done_str(c, reason);
}

static void field_field(ictx_t *c, const gql_field_t *fd)
{
    exec_field_t *f = c->f;
    if (is(f, "name"))
        done_str(c, fd->name);
    else if (is(f, "description"))
        done_str(c, fd->description);
    else if (is(f, "args"))
        input_values(c, fd->args, fd->nargs);
    else if (is(f, "type"))
        done_host(c, fd->type);
    else
        deprecation(c, fd->deprecation_reason);
}

static void default_value(ictx_t *c, const gql_input_value_t *iv)
{
    facet_buf_t b;
    exec__msgbuf(&b);
    facet_str_t msg = FACET_STR_NULL;
    int rc = exec__print_default(c->ex, iv, &b, &msg);
    if (rc == 0)
        done_str(c, exec__arena_str(c->ex, &b));
    else if (rc == 1)
        done_null(c);
    else if (rc == 2) {
        c->slot->kind = SLOT_ERR;
        c->slot->u.err = exec__error(c->ex, NULL, NULL, "%.*s", (int)msg.len, msg.base);
        if (!c->slot->u.err)
            c->slot->kind = SLOT_PENDING;
    } else
        exec__oom(c->ex);
    facet_buf_free(&b);
}

static void input_value_field(ictx_t *c, const gql_input_value_t *iv)
{
    exec_field_t *f = c->f;
    if (is(f, "name"))
        done_str(c, iv->name);
    else if (is(f, "description"))
        done_str(c, iv->description);
    else if (is(f, "type"))
        done_host(c, iv->type);
    else if (is(f, "defaultValue"))
        default_value(c, iv);
    else
        deprecation(c, iv->deprecation_reason);
}

static void enum_value_field(ictx_t *c, const gql_enum_value_t *ev)
{
    if (is(c->f, "name"))
        done_str(c, ev->name);
    else if (is(c->f, "description"))
        done_str(c, ev->description);
    else
        deprecation(c, ev->deprecation_reason);
}

static void directive_field(ictx_t *c, const gql_directive_t *d)
{
    exec_field_t *f = c->f;
    if (is(f, "name")) {
        done_str(c, d->name);
    } else if (is(f, "description")) {
        done_str(c, d->description);
    } else if (is(f, "isRepeatable")) {
        done_bool(c, d->repeatable);
    } else if (is(f, "locations")) {
        gql_value_t *l = gql_value_new_list(c->ex->arena, d->nlocation_list);
        if (!l) {
            exec__oom(c->ex);
            return;
        }
        for (size_t i = 0; i < d->nlocation_list; i++) {
            const char *name = gql_directive_location_name(d->location_list[i]);
            l->u.list.items[i] = (gql_value_t *)exec__str_value(c->ex, facet_str_c(name));
            if (!l->u.list.items[i])
                return;
        }
        exec__complete_json(c->ex, c->slot, f->def->type, f, c->obj->set->type, l);
    } else if (is(f, "args")) {
        input_values(c, d->args, d->nargs);
    } else {
        deprecation(c, d->deprecation_reason);
    }
}

void exec__intro_resolve(gql_exec_t *ex, exec_obj_t *obj, exec_field_t *f, exec_slot_t *slot)
{
    ictx_t c = {ex, obj, f, slot};
    const void *src = obj->src;
    if (!obj->src_host || !src) {
        done_null(&c);
        return;
    }
    switch (obj->set->intro) {
    case INTRO_SCHEMA:
        schema_field(&c, src);
        break;
    case INTRO_TYPE:
        type_field(&c, src);
        break;
    case INTRO_FIELD:
        field_field(&c, src);
        break;
    case INTRO_INPUT_VALUE:
        input_value_field(&c, src);
        break;
    case INTRO_ENUM_VALUE:
        enum_value_field(&c, src);
        break;
    case INTRO_DIRECTIVE:
        directive_field(&c, src);
        break;
    default:
        done_null(&c);
        break;
    }
}

void exec__intro_meta(gql_exec_t *ex, exec_obj_t *obj, exec_field_t *f, exec_slot_t *slot)
{
    ictx_t c = {ex, obj, f, slot};
    if (f->meta == META_SCHEMA) {
        done_host(&c, ex->schema);
        return;
    }
    const gql_value_t *name = gql_value_get(f->args, FACET_STR_LIT("name"));
    const gql_type_t *t =
        name && name->kind == GQL_V_STRING ? gql_schema_type(ex->schema, name->u.s) : NULL;
    done_host(&c, t ? named_ref(ex, t) : NULL);
}
