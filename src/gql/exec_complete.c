/* Field execution and value completion (ExecuteField and CompleteValue):
 * calling resolvers, and turning what they return into result nodes. Lists
 * and objects become nodes here; leaves stay as the JSON values returned and
 * are serialized when the response is written (exec_output.c). */
#include <string.h>

#include "core/error.h"
#include "gql/exec_internal.h"

static exec_list_t *new_list(gql_exec_t *ex, size_t n)
{
    exec_list_t *l = facet_arena_alloc(ex->arena, sizeof(exec_list_t) + n * sizeof(exec_slot_t));
    if (!l)
        return exec__oom(ex);
    l->n = n;
    memset(l->items, 0, n * sizeof(exec_slot_t));
    return l;
}

static exec_obj_t *new_object(gql_exec_t *ex, exec_field_t *f, const gql_type_t *rt)
{
    exec_set_t *set = exec__subfields(ex, f, rt);
    if (!set)
        return NULL;
    exec_obj_t *o = facet_arena_alloc(ex->arena, sizeof(exec_obj_t) + set->n * sizeof(exec_slot_t));
    if (!o)
        return exec__oom(ex);
    o->set = set;
    o->src = NULL;
    o->src_host = false;
    o->next_queued = NULL;
    memset(o->slots, 0, set->n * sizeof(exec_slot_t));
    return o;
}

static void set_object(gql_exec_t *ex, exec_slot_t *slot, exec_field_t *f, const gql_type_t *rt,
                       const void *src, bool host)
{
    exec_obj_t *o = new_object(ex, f, rt);
    if (!o)
        return;
    o->src = src;
    o->src_host = host;
    slot->kind = SLOT_OBJ;
    slot->u.obj = o;
    exec__enqueue(ex, o);
}

/* The runtime object type named name (NULL: none was found) for abstract
 * type at, or NULL with *err set, in graphql-js' words
 * (ensureValidRuntimeType). */
const gql_type_t *exec__runtime_type(gql_exec_t *ex, const gql_type_t *at, const exec_field_t *f,
                                     const gql_type_t *pt, const facet_str_t *name,
                                     exec_err_t **err)
{
    *err = NULL;
    if (!name) {
        *err =
            exec__error(ex, NULL, NULL,
                        "Abstract type \"%.*s\" must resolve to an Object type at runtime for "
                        "field \"%.*s.%.*s\". Either the \"%.*s\" type should provide a "
                        "\"resolveType\" function or each possible type should provide an "
                        "\"isTypeOf\" function.",
                        (int)at->name.len, at->name.base, (int)pt->name.len, pt->name.base,
                        (int)f->def->name.len, f->def->name.base, (int)at->name.len, at->name.base);
        return NULL;
    }
    const gql_type_t *t = gql_schema_type(ex->schema, *name);
    if (!t)
        *err = exec__error(ex, NULL, NULL,
                           "Abstract type \"%.*s\" was resolved to a type \"%.*s\" that does not "
                           "exist inside the schema.",
                           (int)at->name.len, at->name.base, (int)name->len, name->base);
    else if (t->kind != GQL_OBJECT)
        *err = exec__error(ex, NULL, NULL,
                           "Abstract type \"%.*s\" was resolved to a non-object type \"%.*s\".",
                           (int)at->name.len, at->name.base, (int)name->len, name->base);
    else if (!gql_schema_is_possible_type(at, t))
        *err = exec__error(ex, NULL, NULL,
                           "Runtime Object type \"%.*s\" is not a possible type for \"%.*s\".",
                           (int)t->name.len, t->name.base, (int)at->name.len, at->name.base);
    else
        return t;
    return NULL;
}

/* The runtime type of a JSON value for abstract type at: its __typename. */
const gql_type_t *exec__json_runtime_type(gql_exec_t *ex, const gql_value_t *v,
                                          const gql_type_t *at, const exec_field_t *f,
                                          const gql_type_t *pt, exec_err_t **err)
{
    uint32_t hint = 0;
    const gql_value_t *tn = v->kind == GQL_V_OBJECT
                                ? exec__json_member(ex, v, FACET_STR_LIT("__typename"), &hint)
                                : NULL;
    return exec__runtime_type(ex, at, f, pt, tn && tn->kind == GQL_V_STRING ? &tn->u.s : NULL, err);
}

static void set_error(exec_slot_t *slot, exec_err_t *err)
{
    if (err) {
        slot->kind = SLOT_ERR;
        slot->u.err = err;
    }
}

static void not_iterable(gql_exec_t *ex, exec_slot_t *slot, exec_field_t *f,
                         const gql_type_t *parent_type)
{
    exec__slot_error(ex, slot, "Expected Iterable, but did not find one for field \"%.*s.%.*s\".",
                     (int)parent_type->name.len, parent_type->name.base, (int)f->def->name.len,
                     f->def->name.base);
}

void exec__complete_json(gql_exec_t *ex, exec_slot_t *slot, const gql_type_ref_t *ref,
                         exec_field_t *f, const gql_type_t *parent_type, const gql_value_t *v)
{
    while (ref->kind == GQL_REF_NON_NULL)
        ref = ref->of;
    const gql_type_t *named = f->named;
    if (f->leaf != LEAF_NONE || !v || v->kind == GQL_V_NULL || exec__field_pure(ex, f)) {
        /* Leaves, and values whose every field has the default resolver,
         * are completed when the response is written. */
        slot->kind = SLOT_JSON;
        slot->u.json = v;
        return;
    }
    if (ref->kind == GQL_REF_LIST) {
        /* graphql-js iterates objects only: a string is not a list. */
        if (v->kind != GQL_V_LIST) {
            not_iterable(ex, slot, f, parent_type);
            return;
        }
        exec_list_t *l = new_list(ex, v->u.list.n);
        if (!l)
            return;
        slot->kind = SLOT_LIST;
        slot->u.list = l;
        for (size_t i = 0; i < l->n && !ex->oom; i++)
            exec__complete_json(ex, &l->items[i], ref->of, f, parent_type, v->u.list.items[i]);
        return;
    }
    const gql_type_t *rt = named;
    if (gql_type_is_abstract(named)) {
        exec_err_t *err;
        rt = exec__json_runtime_type(ex, v, named, f, parent_type, &err);
        if (!rt) {
            set_error(slot, err);
            return;
        }
    }
    set_object(ex, slot, f, rt, v, false);
}

void exec__complete_host(gql_exec_t *ex, exec_slot_t *slot, const gql_type_ref_t *ref,
                         exec_field_t *f, const gql_type_t *parent_type, const void *obj,
                         const gql_type_t *rt)
{
    while (ref->kind == GQL_REF_NON_NULL)
        ref = ref->of;
    if (!obj) {
        slot->kind = SLOT_JSON;
        slot->u.json = NULL;
        return;
    }
    const gql_type_t *named = gql_type_ref_named(ref);
    if (ref->kind == GQL_REF_LIST) {
        not_iterable(ex, slot, f, parent_type);
        return;
    }
    if (gql_type_is_leaf(named)) {
        exec__slot_error(ex, slot,
                         "Field \"%.*s.%.*s\" of leaf type \"%.*s\" was given a host object.",
                         (int)parent_type->name.len, parent_type->name.base, (int)f->def->name.len,
                         f->def->name.base, (int)named->name.len, named->name.base);
        return;
    }
    if (gql_type_is_abstract(named)) {
        if (!rt && ex->opts.resolve_type)
            rt = ex->opts.resolve_type(ex->opts.context, obj, named);
        exec_err_t *err;
        rt = exec__runtime_type(ex, named, f, parent_type, rt ? &rt->name : NULL, &err);
        if (!rt) {
            set_error(slot, err);
            return;
        }
    } else {
        rt = named;
    }
    set_object(ex, slot, f, rt, obj, true);
}

void exec__complete_host_list(gql_exec_t *ex, exec_slot_t *slot, const gql_type_ref_t *ref,
                              exec_field_t *f, const gql_type_t *parent_type,
                              const void *const *objs, const gql_type_t *const *types, size_t n)
{
    while (ref->kind == GQL_REF_NON_NULL)
        ref = ref->of;
    if (ref->kind != GQL_REF_LIST) {
        exec__slot_error(ex, slot, "Field \"%.*s.%.*s\" is not a list but was given a list.",
                         (int)parent_type->name.len, parent_type->name.base, (int)f->def->name.len,
                         f->def->name.base);
        return;
    }
    exec_list_t *l = new_list(ex, n);
    if (!l)
        return;
    slot->kind = SLOT_LIST;
    slot->u.list = l;
    for (size_t i = 0; i < n && !ex->oom; i++)
        exec__complete_host(ex, &l->items[i], ref->of, f, parent_type, objs[i],
                            types ? types[i] : NULL);
}

const gql_value_t *exec__json_member(gql_exec_t *ex, const gql_value_t *parent, facet_str_t name,
                                     uint32_t *hint)
{
    if (!parent)
        return NULL;
    if (parent->kind == GQL_V_OBJECT) {
        /* Items of a list usually share their layout: try where the member
         * was last time first. Objects do not repeat keys (the JSON parser
         * keeps the last value of a repeated key), so the first match is
         * the one JavaScript would read. */
        const gql_member_t *m = parent->u.obj.members;
        size_t n = parent->u.obj.n, h = *hint;
        if (h < n && exec__key_eq(m[h].key, name))
            return m[h].value;
        for (size_t i = n; i-- > 0;) {
            if (exec__key_eq(m[i].key, name)) {
                *hint = (uint32_t)i;
                return m[i].value;
            }
        }
        return NULL;
    }
    /* An array is an object in JavaScript; its only property a GraphQL
     * name can reach is "length". */
    if (parent->kind == GQL_V_LIST && facet_str_eq(name, FACET_STR_LIT("length"))) {
        gql_value_t *v = gql_value_new_float(ex->arena, (double)parent->u.list.n);
        return v ? v : exec__oom(ex);
    }
    return NULL;
}

/* ---- ExecuteField ---- */

static void execute_field(gql_exec_t *ex, exec_obj_t *obj, size_t i)
{
    exec_field_t *f = (exec_field_t *)&obj->set->fields[i];
    exec_slot_t *slot = &obj->slots[i];
    if (f->meta == META_TYPENAME) {
        slot->kind = SLOT_NAME;
        slot->u.name = &obj->set->type->name;
        return;
    }
    if (!exec__field_args(ex, f)) {
        if (f->args_err) {
            slot->kind = SLOT_ERR;
            slot->u.err = f->args_err;
        }
        return;
    }
    if (f->meta != META_NONE) {
        exec__intro_meta(ex, obj, f, slot);
        return;
    }
    if (obj->set->intro) {
        exec__intro_resolve(ex, obj, f, slot);
        return;
    }
    gql_resolver_fn fn = (gql_resolver_fn)f->def->resolver;
    if (!fn)
        fn = ex->opts.default_resolver;
    if (!fn) {
        if (obj->src_host) {
            exec__slot_error(ex, slot, "No resolver is bound to field \"%.*s.%.*s\".",
                             (int)obj->set->type->name.len, obj->set->type->name.base,
                             (int)f->def->name.len, f->def->name.base);
            return;
        }
        const gql_value_t *v = exec__field_member(ex, obj->src, f);
        exec__complete_json(ex, slot, f->def->type, f, obj->set->type, v);
        return;
    }
    gql_resolve_t *r = facet_arena_alloc(ex->arena, sizeof *r);
    if (!r) {
        exec__oom(ex);
        return;
    }
    r->done = false;
    r->ex = ex;
    r->obj = obj;
    r->field = f;
    r->index = (uint32_t)i;
    ex->pending++;
    ex->dispatched = true;
    fn(r);
}

void exec__object(gql_exec_t *ex, exec_obj_t *obj, size_t from, size_t to)
{
    for (size_t i = from; i < to && !ex->oom && !ex->cancelled; i++)
        execute_field(ex, obj, i);
}
