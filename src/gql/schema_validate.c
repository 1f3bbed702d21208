/* The type-system rules graphql-js checks in validateSchema, on the built
 * schema: root types, directive definitions, names reserved for
 * introspection, fields and arguments of the right kinds, interface
 * implementations, union members, enum values, input objects (@oneOf and
 * cycles of non-null fields). Messages and locations follow graphql-js. */
#include <string.h>

#include "core/error.h"
#include "gql/schema_internal.h"

#define S(x) (int)(x).len, (x).base

/* Locations collected for one error; graphql-js lists every node. */
typedef struct locs {
    gql_loc_t *v;
    size_t n, cap;
    gql__sbuild_t *b;
} locs_t;

static void locs_add(locs_t *l, gql_loc_t loc)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        gql_loc_t *v = FACET_ARENA_ARRAY(l->b->a, gql_loc_t, cap);
        if (!v) {
            l->b->rc = FACET_ENOMEM;
            return;
        }
        if (l->n)
            memcpy(v, l->v, l->n * sizeof *v);
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = loc;
}

static gql_loc_t no_loc(void)
{
    return (gql_loc_t){0, 0};
}

static gql_loc_t type_loc(const gql_type_t *t)
{
    return t->ast ? t->ast->loc : no_loc();
}

/* The definition and every extension of t. */
static void add_type_nodes(locs_t *l, const gql_type_t *t)
{
    locs_add(l, type_loc(t));
    for (size_t i = 0; i < t->nextensions; i++)
        locs_add(l, t->extensions[i]->loc);
}

/* Where t's definition and extensions name iface in "implements". */
static void add_implements_nodes(locs_t *l, const gql_type_t *t, const gql_type_t *iface)
{
    for (size_t i = 0; i <= t->nextensions; i++) {
        const gql_ast_type_def_t *node = i == 0 ? t->ast : t->extensions[i - 1];
        for (size_t j = 0; node && j < node->ninterfaces; j++) {
            if (facet_str_eq(node->interfaces[j].value, iface->name))
                locs_add(l, node->interfaces[j].loc);
        }
    }
}

static void add_member_nodes(locs_t *l, const gql_type_t *u, facet_str_t name)
{
    for (size_t i = 0; i <= u->nextensions; i++) {
        const gql_ast_type_def_t *node = i == 0 ? u->ast : u->extensions[i - 1];
        for (size_t j = 0; node && j < node->nmembers; j++) {
            if (facet_str_eq(node->members[j].value, name))
                locs_add(l, node->members[j].loc);
        }
    }
}

static gql_loc_t iv_loc(const gql_input_value_t *iv)
{
    return iv->ast ? iv->ast->loc : no_loc();
}

static gql_loc_t iv_type_loc(const gql_input_value_t *iv)
{
    return iv->ast ? iv->ast->type->loc : no_loc();
}

static gql_loc_t field_type_loc(const gql_field_t *f)
{
    return f->ast ? f->ast->type->loc : no_loc();
}

static gql_loc_t deprecated_loc(const gql_input_value_t *iv)
{
    const gql_ast_directive_t *d =
        iv->ast ? gql__find_directive(iv->ast->directives, iv->ast->ndirectives, "deprecated")
                : NULL;
    return d ? d->name.loc : no_loc();
}

static bool is_required(const gql_input_value_t *iv)
{
    return iv->type->kind == GQL_REF_NON_NULL && !iv->default_value;
}

static bool reserved(facet_str_t name)
{
    return name.len >= 2 && name.base[0] == '_' && name.base[1] == '_';
}

static void validate_name(gql__sbuild_t *b, facet_str_t name, gql_loc_t loc)
{
    if (reserved(name))
        gql__sbuild_error(b, &loc, 1,
                          "Name \"%.*s\" must not begin with \"__\", which is reserved by GraphQL "
                          "introspection.",
                          S(name));
}

/* ---- root types ---- */

/* The root type's name in the schema definition or its extensions. */
static gql_loc_t root_loc(const gql__sbuild_t *b, gql_operation_type_t op, const gql_type_t *t)
{
    for (size_t k = 0; k <= b->nschema_exts; k++) {
        const gql_ast_schema_def_t *d = k == 0 ? b->schema_def : b->schema_exts[k - 1];
        for (size_t i = 0; d && i < d->noperation_types; i++) {
            if (d->operation_types[i].operation == op)
                return d->operation_types[i].type.loc;
        }
    }
    return type_loc(t);
}

static void validate_roots(gql__sbuild_t *b)
{
    const gql_schema_t *s = b->s;
    if (!s->query) {
        gql_loc_t loc = b->schema_def ? b->schema_def->loc : no_loc();
        gql__sbuild_error(b, &loc, 1, "Query root type must be provided.");
    } else if (s->query->kind != GQL_OBJECT) {
        gql_loc_t loc = root_loc(b, GQL_OP_QUERY, s->query);
        gql__sbuild_error(b, &loc, 1, "Query root type must be Object type, it cannot be %.*s.",
                          S(s->query->name));
    }
    const gql_type_t *others[2] = {s->mutation, s->subscription};
    const char *names[2] = {"Mutation", "Subscription"};
    for (int i = 0; i < 2; i++) {
        if (!others[i] || others[i]->kind == GQL_OBJECT)
            continue;
        gql_loc_t loc = root_loc(b, i == 0 ? GQL_OP_MUTATION : GQL_OP_SUBSCRIPTION, others[i]);
        gql__sbuild_error(b, &loc, 1,
                          "%s root type must be Object type if provided, it cannot be %.*s.",
                          names[i], S(others[i]->name));
    }
}

/* ---- directives ---- */

static void validate_directives(gql__sbuild_t *b)
{
    const gql_schema_t *s = b->s;
    for (size_t i = 0; i < s->ndirectives; i++) {
        const gql_directive_t *d = s->directives[i];
        validate_name(b, d->name, d->loc);
        if (!d->nlocation_list)
            gql__sbuild_error(b, &d->loc, 1, "Directive @%.*s must include 1 or more locations.",
                              S(d->name));
        for (size_t j = 0; j < d->nargs; j++) {
            const gql_input_value_t *arg = &d->args[j];
            validate_name(b, arg->name, iv_loc(arg));
            if (!gql_type_is_input(gql_type_ref_named(arg->type))) {
                gql_loc_t loc = iv_loc(arg);
                gql__sbuild_error(b, &loc, 1,
                                  "The type of @%.*s(%.*s:) must be Input Type but got: %s.",
                                  S(d->name), S(arg->name), gql__sbuild_type_str(b, arg->type));
            }
            if (is_required(arg) && arg->deprecation_reason.base) {
                gql_loc_t locs[2] = {deprecated_loc(arg), iv_type_loc(arg)};
                gql__sbuild_error(b, locs, 2,
                                  "Required argument @%.*s(%.*s:) cannot be deprecated.",
                                  S(d->name), S(arg->name));
            }
        }
    }
}

/* ---- object and interface types ---- */

static void validate_fields(gql__sbuild_t *b, const gql_type_t *t)
{
    if (!t->nfields) {
        locs_t l = {.b = b};
        add_type_nodes(&l, t);
        gql__sbuild_error(b, l.v, l.n, "Type %.*s must define one or more fields.", S(t->name));
    }
    for (size_t i = 0; i < t->nfields; i++) {
        const gql_field_t *f = &t->fields[i];
        validate_name(b, f->name, f->ast ? f->ast->loc : no_loc());
        if (!gql_type_is_output(gql_type_ref_named(f->type))) {
            gql_loc_t loc = field_type_loc(f);
            gql__sbuild_error(b, &loc, 1, "The type of %.*s.%.*s must be Output Type but got: %s.",
                              S(t->name), S(f->name), gql__sbuild_type_str(b, f->type));
        }
        for (size_t j = 0; j < f->nargs; j++) {
            const gql_input_value_t *arg = &f->args[j];
            validate_name(b, arg->name, iv_loc(arg));
            if (!gql_type_is_input(gql_type_ref_named(arg->type))) {
                gql_loc_t loc = iv_type_loc(arg);
                gql__sbuild_error(
                    b, &loc, 1, "The type of %.*s.%.*s(%.*s:) must be Input Type but got: %s.",
                    S(t->name), S(f->name), S(arg->name), gql__sbuild_type_str(b, arg->type));
            }
            if (is_required(arg) && arg->deprecation_reason.base) {
                gql_loc_t locs[2] = {deprecated_loc(arg), iv_type_loc(arg)};
                gql__sbuild_error(b, locs, 2,
                                  "Required argument %.*s.%.*s(%.*s:) cannot be deprecated.",
                                  S(t->name), S(f->name), S(arg->name));
            }
        }
    }
}

static void validate_field_args(gql__sbuild_t *b, const gql_type_t *t, const gql_type_t *iface,
                                const gql_field_t *tf, const gql_field_t *f)
{
    for (size_t i = 0; i < f->nargs; i++) {
        const gql_input_value_t *ia = &f->args[i];
        const gql_input_value_t *ta = gql_field_arg(tf, ia->name);
        if (!ta) {
            gql_loc_t locs[2] = {iv_loc(ia), tf->ast ? tf->ast->loc : no_loc()};
            gql__sbuild_error(b, locs, 2,
                              "Interface field argument %.*s.%.*s(%.*s:) expected but %.*s.%.*s "
                              "does not provide it.",
                              S(iface->name), S(f->name), S(ia->name), S(t->name), S(f->name));
            continue;
        }
        if (!gql_type_ref_equal(ia->type, ta->type)) {
            gql_loc_t locs[2] = {iv_type_loc(ia), iv_type_loc(ta)};
            gql__sbuild_error(b, locs, 2,
                              "Interface field argument %.*s.%.*s(%.*s:) expects type %s but "
                              "%.*s.%.*s(%.*s:) is type %s.",
                              S(iface->name), S(f->name), S(ia->name),
                              gql__sbuild_type_str(b, ia->type), S(t->name), S(f->name),
                              S(ia->name), gql__sbuild_type_str(b, ta->type));
        }
    }
    for (size_t i = 0; i < tf->nargs; i++) {
        const gql_input_value_t *ta = &tf->args[i];
        if (gql_field_arg(f, ta->name) || !is_required(ta))
            continue;
        gql_loc_t locs[2] = {iv_loc(ta), f->ast ? f->ast->loc : no_loc()};
        gql__sbuild_error(b, locs, 2,
                          "Object field %.*s.%.*s includes required argument %.*s that is missing "
                          "from the Interface field %.*s.%.*s.",
                          S(t->name), S(f->name), S(ta->name), S(iface->name), S(f->name));
    }
}

static void validate_implements(gql__sbuild_t *b, const gql_type_t *t, const gql_type_t *iface)
{
    for (size_t i = 0; i < iface->nfields; i++) {
        const gql_field_t *f = &iface->fields[i];
        const gql_field_t *tf = gql_type_field(t, f->name);
        if (!tf) {
            locs_t l = {.b = b};
            locs_add(&l, f->ast ? f->ast->loc : no_loc());
            add_type_nodes(&l, t);
            gql__sbuild_error(b, l.v, l.n,
                              "Interface field %.*s.%.*s expected but %.*s does not provide it.",
                              S(iface->name), S(f->name), S(t->name));
            continue;
        }
        if (!gql_type_ref_is_subtype(tf->type, f->type)) {
            gql_loc_t locs[2] = {field_type_loc(f), field_type_loc(tf)};
            gql__sbuild_error(b, locs, 2,
                              "Interface field %.*s.%.*s expects type %s but %.*s.%.*s is type %s.",
                              S(iface->name), S(f->name), gql__sbuild_type_str(b, f->type),
                              S(t->name), S(f->name), gql__sbuild_type_str(b, tf->type));
        }
        validate_field_args(b, t, iface, tf, f);
    }
}

static bool implements(const gql_type_t *t, const gql_type_t *iface)
{
    for (size_t i = 0; i < t->ninterfaces; i++) {
        if (t->interfaces[i] == iface)
            return true;
    }
    return false;
}

static void validate_ancestors(gql__sbuild_t *b, const gql_type_t *t, const gql_type_t *iface)
{
    for (size_t i = 0; i < iface->ninterfaces; i++) {
        const gql_type_t *tr = iface->interfaces[i];
        if (implements(t, tr))
            continue;
        locs_t l = {.b = b};
        add_implements_nodes(&l, iface, tr);
        add_implements_nodes(&l, t, iface);
        if (tr == t)
            gql__sbuild_error(b, l.v, l.n,
                              "Type %.*s cannot implement %.*s because it would create a circular "
                              "reference.",
                              S(t->name), S(iface->name));
        else
            gql__sbuild_error(b, l.v, l.n,
                              "Type %.*s must implement %.*s because it is implemented by %.*s.",
                              S(t->name), S(tr->name), S(iface->name));
    }
}

static void validate_interfaces(gql__sbuild_t *b, const gql_type_t *t)
{
    for (size_t i = 0; i < t->ninterfaces; i++) {
        const gql_type_t *iface = t->interfaces[i];
        locs_t l = {.b = b};
        bool again = false;
        for (size_t j = 0; j < i && !again; j++)
            again = t->interfaces[j] == iface;
        if (iface->kind != GQL_INTERFACE || iface == t || again)
            add_implements_nodes(&l, t, iface);
        if (iface->kind != GQL_INTERFACE) {
            gql__sbuild_error(b, l.v, l.n,
                              "Type %.*s must only implement Interface types, it cannot implement "
                              "%.*s.",
                              S(t->name), S(iface->name));
        } else if (iface == t) {
            gql__sbuild_error(b, l.v, l.n,
                              "Type %.*s cannot implement itself because it would create a "
                              "circular reference.",
                              S(t->name));
        } else if (again) {
            gql__sbuild_error(b, l.v, l.n, "Type %.*s can only implement %.*s once.", S(t->name),
                              S(iface->name));
        } else {
            validate_ancestors(b, t, iface);
            validate_implements(b, t, iface);
        }
    }
}

/* ---- unions, enums, input objects ---- */

static void validate_union(gql__sbuild_t *b, const gql_type_t *u)
{
    if (!u->npossible) {
        locs_t l = {.b = b};
        add_type_nodes(&l, u);
        gql__sbuild_error(b, l.v, l.n, "Union type %.*s must define one or more member types.",
                          S(u->name));
    }
    for (size_t i = 0; i < u->npossible; i++) {
        const gql_type_t *m = u->possible[i];
        bool again = false;
        for (size_t j = 0; j < i && !again; j++)
            again = u->possible[j] == m;
        if (!again && m->kind == GQL_OBJECT)
            continue;
        locs_t l = {.b = b};
        add_member_nodes(&l, u, m->name);
        if (again)
            gql__sbuild_error(b, l.v, l.n, "Union type %.*s can only include type %.*s once.",
                              S(u->name), S(m->name));
        else
            gql__sbuild_error(b, l.v, l.n,
                              "Union type %.*s can only include Object types, it cannot include "
                              "%.*s.",
                              S(u->name), S(m->name));
    }
}

static void validate_enum(gql__sbuild_t *b, const gql_type_t *e)
{
    if (!e->nvalues) {
        locs_t l = {.b = b};
        add_type_nodes(&l, e);
        gql__sbuild_error(b, l.v, l.n, "Enum type %.*s must define one or more values.",
                          S(e->name));
    }
    for (size_t i = 0; i < e->nvalues; i++)
        validate_name(b, e->values[i].name, e->values[i].ast ? e->values[i].ast->loc : no_loc());
}

static void validate_input_field(gql__sbuild_t *b, const gql_type_t *t, const gql_input_value_t *f)
{
    validate_name(b, f->name, iv_loc(f));
    if (!gql_type_is_input(gql_type_ref_named(f->type))) {
        gql_loc_t loc = iv_type_loc(f);
        gql__sbuild_error(b, &loc, 1, "The type of %.*s.%.*s must be Input Type but got: %s.",
                          S(t->name), S(f->name), gql__sbuild_type_str(b, f->type));
    }
    if (is_required(f) && f->deprecation_reason.base) {
        gql_loc_t locs[2] = {deprecated_loc(f), iv_type_loc(f)};
        gql__sbuild_error(b, locs, 2, "Required input field %.*s.%.*s cannot be deprecated.",
                          S(t->name), S(f->name));
    }
    if (!t->one_of)
        return;
    if (f->type->kind == GQL_REF_NON_NULL) {
        gql_loc_t loc = iv_type_loc(f);
        gql__sbuild_error(b, &loc, 1, "OneOf input field %.*s.%.*s must be nullable.", S(t->name),
                          S(f->name));
    }
    if (f->default_value) {
        gql_loc_t loc = iv_loc(f);
        gql__sbuild_error(b, &loc, 1, "OneOf input field %.*s.%.*s cannot have a default value.",
                          S(t->name), S(f->name));
    }
}

static void validate_input(gql__sbuild_t *b, const gql_type_t *t)
{
    if (!t->ninput_fields) {
        locs_t l = {.b = b};
        add_type_nodes(&l, t);
        gql__sbuild_error(b, l.v, l.n, "Input Object type %.*s must define one or more fields.",
                          S(t->name));
    }
    for (size_t i = 0; i < t->ninput_fields; i++)
        validate_input_field(b, t, &t->input_fields[i]);
}

/* Cycles of non-null input object fields, found depth first from each
 * input object in type-map order; each type is explored once. The walk
 * keeps its own stack, so a long chain of input types cannot exhaust the
 * C stack. */
typedef struct cycle_frame {
    const gql_type_t *t;
    size_t next; /* next field to look at */
} cycle_frame_t;

typedef struct cycles {
    gql__sbuild_t *b;
    bool *visited;      /* by type index */
    size_t *path_index; /* by type index: position in path + 1, 0 when off it */
    const gql_input_value_t **path;
    size_t npath;
    cycle_frame_t *frames;
    size_t nframes;
} cycles_t;

static void report_cycle(cycles_t *c, const gql_type_t *target, size_t from)
{
    facet_buf_t names;
    facet_buf_init(&names, 0);
    locs_t l = {.b = c->b};
    int rc = 0;
    for (size_t i = from; i < c->npath && !rc; i++) {
        if (i > from)
            rc = facet_buf_append(&names, ".", 1);
        rc = rc ? rc : facet_buf_append(&names, c->path[i]->name.base, c->path[i]->name.len);
        locs_add(&l, iv_loc(c->path[i]));
    }
    if (rc || facet_buf_append(&names, "", 1))
        c->b->rc = FACET_ENOMEM;
    else
        gql__sbuild_error(c->b, l.v, l.n,
                          "Cannot reference Input Object \"%.*s\" within itself through a series "
                          "of non-null fields: \"%s\".",
                          S(target->name), names.base);
    facet_buf_free(&names);
}

static void enter(cycles_t *c, const gql_type_t *t)
{
    c->visited[t->index] = true;
    c->path_index[t->index] = c->npath + 1;
    c->frames[c->nframes++] = (cycle_frame_t){t, 0};
}

/* The input object a non-null field of input object type leads to. */
static const gql_type_t *non_null_input(const gql_input_value_t *f)
{
    if (f->type->kind != GQL_REF_NON_NULL || f->type->of->kind != GQL_REF_NAMED)
        return NULL;
    return f->type->of->named->kind == GQL_INPUT_OBJECT ? f->type->of->named : NULL;
}

static void detect_cycles(cycles_t *c, const gql_type_t *root)
{
    if (c->visited[root->index])
        return;
    enter(c, root);
    while (c->nframes) {
        cycle_frame_t *fr = &c->frames[c->nframes - 1];
        if (fr->next == fr->t->ninput_fields) {
            c->path_index[fr->t->index] = 0;
            if (--c->nframes)
                c->npath--; /* the field that led here */
            continue;
        }
        const gql_input_value_t *f = &fr->t->input_fields[fr->next++];
        const gql_type_t *ft = non_null_input(f);
        if (!ft)
            continue;
        size_t at = c->path_index[ft->index];
        c->path[c->npath++] = f;
        if (at)
            report_cycle(c, ft, at - 1);
        if (at || c->visited[ft->index])
            c->npath--;
        else
            enter(c, ft);
    }
}

void gql__schema_validate_types(gql__sbuild_t *b)
{
    const gql_schema_t *s = b->s;
    validate_roots(b);
    validate_directives(b);
    size_t total_fields = 0;
    for (size_t i = 0; i < s->ntypes; i++)
        total_fields += s->types[i]->ninput_fields;
    cycles_t c = {.b = b};
    c.visited = FACET_ARENA_ARRAY(b->a, bool, s->ntypes + 1);
    c.path_index = FACET_ARENA_ARRAY(b->a, size_t, s->ntypes + 1);
    c.path = FACET_ARENA_ARRAY(b->a, const gql_input_value_t *, total_fields + 1);
    c.frames = FACET_ARENA_ARRAY(b->a, cycle_frame_t, s->ntypes + 1);
    if (!c.visited || !c.path_index || !c.path || !c.frames) {
        b->rc = FACET_ENOMEM;
        return;
    }
    for (size_t i = 0; i < s->ntypes && !b->rc; i++) {
        const gql_type_t *t = s->types[i];
        /* Introspection types keep their reserved names. */
        if (!(t->builtin && reserved(t->name)))
            validate_name(b, t->name, type_loc(t));
        switch (t->kind) {
        case GQL_OBJECT:
        case GQL_INTERFACE:
            validate_fields(b, t);
            validate_interfaces(b, t);
            break;
        case GQL_UNION:
            validate_union(b, t);
            break;
        case GQL_ENUM:
            validate_enum(b, t);
            break;
        case GQL_INPUT_OBJECT:
            validate_input(b, t);
            detect_cycles(&c, t);
            break;
        case GQL_SCALAR:
            break;
        }
    }
}
