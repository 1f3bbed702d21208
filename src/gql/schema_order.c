/* Assembles the schema from the built types: root operation types, the
 * directive list, and the type map in graphql-js' order, which is the
 * order introspection lists types in. graphql-js' GraphQLSchema
 * constructor places the document's types in definition order, each
 * followed by the not-yet-placed types it references (depth first: a
 * union's members; an object's interfaces, then each field's type and its
 * arguments' types; an input object's fields), then the types reached
 * from the root types, the directives' arguments and __Schema. Only the
 * built-in types can still be unplaced by then, so only they interleave. */
#include <string.h>

#include "core/error.h"
#include "gql/schema_internal.h"

#define UNPLACED UINT32_MAX
#define PENDING  (UINT32_MAX - 1)

static void place(gql_schema_t *s, gql_type_t *t)
{
    t->index = (uint32_t)s->ntypes;
    s->types[s->ntypes++] = t;
}

static void collect(gql_schema_t *s, gql_type_t *t);

static void collect_ref(gql_schema_t *s, const gql_type_ref_t *r)
{
    const gql_type_t *named = gql_type_ref_named(r);
    if (named)
        collect(s, (gql_type_t *)named);
}

static void collect_children(gql_schema_t *s, gql_type_t *t)
{
    switch (t->kind) {
    case GQL_UNION:
        for (size_t i = 0; i < t->npossible; i++)
            collect(s, t->possible[i]);
        break;
    case GQL_OBJECT:
    case GQL_INTERFACE:
        for (size_t i = 0; i < t->ninterfaces; i++)
            collect(s, t->interfaces[i]);
        for (size_t i = 0; i < t->nfields; i++) {
            collect_ref(s, t->fields[i].type);
            for (size_t j = 0; j < t->fields[i].nargs; j++)
                collect_ref(s, t->fields[i].args[j].type);
        }
        break;
    case GQL_INPUT_OBJECT:
        for (size_t i = 0; i < t->ninput_fields; i++)
            collect_ref(s, t->input_fields[i].type);
        break;
    default:
        break;
    }
}

/* Recursion only descends through unplaced types; the document's own are
 * all placed or pending before it starts, so its depth is bounded by the
 * built-in types' references, a handful of levels. */
static void collect(gql_schema_t *s, gql_type_t *t)
{
    if (t->index != UNPLACED)
        return;
    place(s, t);
    collect_children(s, t);
}

static void find_roots(gql__sbuild_t *b)
{
    gql_schema_t *s = b->s;
    gql_type_t *roots[3] = {NULL, NULL, NULL};
    for (size_t k = 0; k <= b->nschema_exts; k++) {
        const gql_ast_schema_def_t *d = k == 0 ? b->schema_def : b->schema_exts[k - 1];
        for (size_t i = 0; d && i < d->noperation_types; i++) {
            const gql_ast_operation_type_def_t *op = &d->operation_types[i];
            gql_type_t *t = gql__smap_get(&b->types, op->type.value);
            if (t && (unsigned)op->operation < 3)
                roots[op->operation] = t;
        }
    }
    /* Without a schema definition graphql-js takes the types named Query,
     * Mutation and Subscription, over what extensions said. */
    for (size_t i = 0; !b->schema_def && i < b->ndefined; i++) {
        gql_type_t *t = b->defined[i];
        if (facet_str_eq(t->name, FACET_STR_LIT("Query")))
            roots[GQL_OP_QUERY] = t;
        else if (facet_str_eq(t->name, FACET_STR_LIT("Mutation")))
            roots[GQL_OP_MUTATION] = t;
        else if (facet_str_eq(t->name, FACET_STR_LIT("Subscription")))
            roots[GQL_OP_SUBSCRIPTION] = t;
    }
    s->query = roots[GQL_OP_QUERY];
    s->mutation = roots[GQL_OP_MUTATION];
    s->subscription = roots[GQL_OP_SUBSCRIPTION];
    if (b->schema_def)
        s->description = b->schema_def->description;
}

/* The document's directives, then the specified ones it did not redefine. */
static int list_directives(gql__sbuild_t *b)
{
    gql_schema_t *s = b->s;
    s->directives =
        FACET_ARENA_ARRAY(b->a, gql_directive_t *, b->nuser_directives + b->nstd_directives + 1);
    if (!s->directives)
        return FACET_ENOMEM;
    for (size_t i = 0; i < b->nuser_directives; i++)
        s->directives[s->ndirectives++] = b->user_directives[i];
    for (size_t i = 0; i < b->nstd_directives; i++) {
        bool redefined = false;
        for (size_t j = 0; j < b->nuser_directives && !redefined; j++)
            redefined = facet_str_eq(b->user_directives[j]->name, b->std_directives[i]->name);
        if (!redefined)
            s->directives[s->ndirectives++] = b->std_directives[i];
    }
    return FACET_OK;
}

static int list_implementations(gql__sbuild_t *b)
{
    gql_schema_t *s = b->s;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < s->ntypes; i++) {
            gql_type_t *t = s->types[i];
            for (size_t j = 0; t->kind == GQL_OBJECT && j < t->ninterfaces; j++) {
                gql_type_t *iface = t->interfaces[j];
                if (iface->kind != GQL_INTERFACE)
                    continue;
                if (pass == 1)
                    iface->possible[iface->npossible] = t;
                iface->npossible++;
            }
        }
        for (size_t i = 0; pass == 0 && i < s->ntypes; i++) {
            gql_type_t *t = s->types[i];
            if (t->kind != GQL_INTERFACE)
                continue;
            t->possible = FACET_ARENA_ARRAY(b->a, gql_type_t *, t->npossible ? t->npossible : 1);
            if (!t->possible)
                return FACET_ENOMEM;
            t->npossible = 0;
        }
    }
    return FACET_OK;
}

int gql__schema_order_types(gql__sbuild_t *b)
{
    gql_schema_t *s = b->s;
    s->types = FACET_ARENA_ARRAY(b->a, gql_type_t *, b->ndefined + b->nstd_types + 1);
    if (!s->types)
        return FACET_ENOMEM;
    for (size_t i = 0; i < b->nstd_types; i++)
        b->std_types[i]->index = UNPLACED;
    for (size_t i = 0; i < b->ndefined; i++)
        b->defined[i]->index = PENDING;
    for (size_t i = 0; i < b->ndefined; i++) {
        place(s, b->defined[i]);
        collect_children(s, b->defined[i]);
    }
    gql_type_t *roots[3] = {s->query, s->mutation, s->subscription};
    for (int i = 0; i < 3; i++) {
        if (roots[i])
            collect(s, roots[i]);
    }
    for (size_t i = 0; i < s->ndirectives; i++) {
        for (size_t j = 0; j < s->directives[i]->nargs; j++)
            collect_ref(s, s->directives[i]->args[j].type);
    }
    gql_type_t *schema_type = gql__smap_get(&b->types, FACET_STR_LIT("__Schema"));
    if (schema_type)
        collect(s, schema_type);
    return FACET_OK;
}

int gql__schema_build_types(gql__sbuild_t *b)
{
    int rc = gql__schema_build_doc(b, b->doc, false);
    if (rc || b->failed)
        return rc ? rc : b->rc;
    find_roots(b);
    if ((rc = list_directives(b)))
        return rc;
    rc = gql__schema_normalize_defaults(b, b->defined, b->ndefined, b->user_directives,
                                        b->nuser_directives);
    if (rc)
        return rc;
    if ((rc = gql__schema_order_types(b)) || (rc = list_implementations(b)))
        return rc;
    for (size_t i = 0; i < b->s->ntypes; i++) {
        if ((rc = gql__schema_index_members(b->a, b->s->types[i])))
            return rc;
    }
    return FACET_OK;
}
