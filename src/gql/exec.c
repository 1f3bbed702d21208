/* The executor's core: starting an execution (operation selection,
 * variables, root fields), the wave loop that dispatches resolvers and waits
 * for outstanding ones, the resolver-facing API and serial mutations. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "gql/exec_internal.h"

const gql_value_t *exec__bool_value(bool b)
{
    return b ? &gql_value_true : &gql_value_false;
}

void *exec__oom(gql_exec_t *ex)
{
    ex->oom = true;
    ex->queue_head = ex->queue_tail = NULL;
    return NULL;
}

static exec_err_t *error_v(gql_exec_t *ex, const char *code, const gql_loc_t *loc, const char *fmt,
                           va_list ap)
{
    exec_err_t *e = FACET_ARENA_NEW(ex->arena, exec_err_t);
    if (!e)
        return exec__oom(ex);
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    char *msg = n >= 0 ? facet_arena_alloc(ex->arena, (size_t)n + 1) : NULL;
    if (!msg)
        return exec__oom(ex);
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    e->message = facet_str(msg, (size_t)n);
    e->code = code;
    if (loc) {
        gql_loc_t *l = FACET_ARENA_NEW(ex->arena, gql_loc_t);
        if (!l)
            return exec__oom(ex);
        *l = *loc;
        e->locs = l;
        e->nlocs = 1;
    }
    return e;
}

exec_err_t *exec__error(gql_exec_t *ex, const char *code, const gql_loc_t *loc, const char *fmt,
                        ...)
{
    va_list ap;
    va_start(ap, fmt);
    exec_err_t *e = error_v(ex, code, loc, fmt, ap);
    va_end(ap);
    return e;
}

void exec__slot_error(gql_exec_t *ex, exec_slot_t *slot, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    exec_err_t *e = error_v(ex, NULL, NULL, fmt, ap);
    va_end(ap);
    if (e) {
        slot->kind = SLOT_ERR;
        slot->u.err = e;
    }
}

const gql_value_t *exec__str_value(gql_exec_t *ex, facet_str_t s)
{
    if (!s.base)
        return NULL;
    gql_value_t *v = facet_arena_alloc(ex->arena, sizeof *v);
    if (!v)
        return exec__oom(ex);
    v->kind = GQL_V_STRING;
    v->u.s = s;
    return v;
}

void exec__enqueue(gql_exec_t *ex, exec_obj_t *obj)
{
    obj->next_queued = NULL;
    if (ex->queue_tail)
        ex->queue_tail->next_queued = obj;
    else
        ex->queue_head = obj;
    ex->queue_tail = obj;
}

void gql_field_bind(gql_field_t *f, gql_resolver_fn fn, void *data)
{
    /* POSIX guarantees function pointers survive a round trip through
     * void *; the schema stores them untyped so it need not know exec.h. */
    f->resolver = (void *)fn;
    f->resolver_data = data;
}

/* ---- operation selection ---- */

int gql_select_operation(const gql_ast_document_t *doc, facet_str_t name,
                         const gql_ast_operation_t **out, gql_error_list_t *errors)
{
    const gql_ast_operation_t *found = NULL;
    *out = NULL;
    for (size_t i = 0; i < doc->ndefinitions; i++) {
        const gql_ast_definition_t *d = &doc->definitions[i];
        if (d->kind != GQL_AST_OPERATION_DEF)
            continue;
        const gql_ast_operation_t *op = d->u.operation;
        if (!name.base) {
            if (found) {
                gql_error_add(errors, NULL, NULL, 0,
                              "Must provide operation name if query contains multiple "
                              "operations.");
                return FACET_EINVAL;
            }
            found = op;
        } else if (op->name.value.base && facet_str_eq(op->name.value, name)) {
            found = op;
        }
    }
    if (!found) {
        if (name.base)
            gql_error_add(errors, NULL, NULL, 0, "Unknown operation named \"%.*s\".", (int)name.len,
                          name.base);
        else
            gql_error_add(errors, NULL, NULL, 0, "Must provide an operation.");
        return FACET_EINVAL;
    }
    *out = found;
    return FACET_OK;
}

/* ---- the run loop ---- */

static void finish(gql_exec_t *ex)
{
    ex->finished = true;
    if (ex->async && ex->opts.on_done)
        ex->opts.on_done(ex, ex->opts.context);
}

/* Starts the next root field of a mutation, or returns false when none is
 * left or an earlier one made data null (graphql-js stops there). */
static bool next_serial_field(gql_exec_t *ex)
{
    if (ex->serial_next > 0 && exec__root_field_fails(ex, ex->serial_next - 1))
        return false;
    if (ex->serial_next >= ex->root_set->n)
        return false;
    size_t i = ex->serial_next++;
    exec__object(ex, ex->root, i, i + 1);
    return true;
}

/* Drains the work queue (everything reachable synchronously), calls the
 * wave hook while resolvers are outstanding, and finishes when nothing is
 * left. Re-entrant calls (a resolver completing synchronously) return at
 * once: the outer loop picks their work up. */
static void run(gql_exec_t *ex)
{
    if (ex->in_run || ex->finished)
        return;
    ex->in_run = true;
    for (;;) {
        while (ex->queue_head && !ex->cancelled && !ex->oom) {
            exec_obj_t *obj = ex->queue_head;
            ex->queue_head = obj->next_queued;
            if (!ex->queue_head)
                ex->queue_tail = NULL;
            exec__object(ex, obj, 0, obj->set->n);
        }
        if (ex->pending > 0) {
            if (ex->dispatched && ex->opts.on_wave_dispatched && !ex->cancelled) {
                ex->dispatched = false;
                ex->opts.on_wave_dispatched(ex->opts.context);
                continue;
            }
            break;
        }
        if (ex->queue_head && !ex->cancelled && !ex->oom)
            continue;
        if (ex->serial && !ex->cancelled && !ex->oom && next_serial_field(ex))
            continue;
        ex->in_run = false;
        finish(ex);
        return;
    }
    ex->in_run = false;
}

/* ---- starting ---- */

static void request_error(gql_exec_t *ex)
{
    ex->request_error = true;
    ex->finished = true;
}

static int start_operation(gql_exec_t *ex)
{
    const gql_schema_t *s = ex->schema;
    switch (ex->op->operation) {
    case GQL_OP_QUERY:
        ex->root_type = s->query;
        break;
    case GQL_OP_MUTATION:
        ex->root_type = s->mutation;
        break;
    case GQL_OP_SUBSCRIPTION:
        ex->root_type = s->subscription;
        break;
    }
    if (!ex->root_type) {
        static const char *names[] = {"query", "mutation", "subscription"};
        ex->root_err =
            exec__error(ex, NULL, &ex->op->loc, "Schema is not configured to execute %s operation.",
                        names[ex->op->operation]);
        ex->finished = true;
        return FACET_OK;
    }
    ex->root_set = exec__root_set(ex);
    if (!ex->root_set)
        return FACET_ENOMEM;
    size_t n = ex->root_set->n;
    exec_obj_t *root = facet_arena_alloc(ex->arena, sizeof(exec_obj_t) + n * sizeof(exec_slot_t));
    if (!root)
        return FACET_ENOMEM;
    root->set = ex->root_set;
    root->next_queued = NULL;
    root->src_host = !ex->opts.root_json && ex->opts.root_host;
    root->src = root->src_host ? ex->opts.root_host : (const void *)ex->opts.root_json;
    memset(root->slots, 0, n * sizeof(exec_slot_t));
    ex->root = root;
    if (ex->op->operation == GQL_OP_MUTATION)
        ex->serial = true;
    else
        exec__enqueue(ex, ex->root);
    return FACET_OK;
}

static int prepare(facet_arena_t *arena, const gql_exec_opts_t *opts, gql_exec_t **out)
{
    if (!opts || !opts->schema || !opts->doc)
        return FACET_EINVAL;
    gql_exec_t *ex = EXEC_NEW(arena, gql_exec_t);
    if (!ex)
        return FACET_ENOMEM;
    ex->arena = arena;
    ex->opts = *opts;
    ex->schema = opts->schema;
    gql_errors_init(&ex->errors, arena, 0);
    *out = ex;
    if (gql_select_operation(opts->doc, opts->operation_name, &ex->op, &ex->errors) != FACET_OK) {
        request_error(ex);
        return FACET_OK;
    }
    if (opts->no_introspection && exec__uses_introspection(ex, &ex->errors)) {
        request_error(ex);
        return FACET_OK;
    }
    if (exec__frags_init(ex) != FACET_OK)
        return FACET_ENOMEM;
    /* Without variable definitions there is nothing to coerce (values
     * given for undefined variables are ignored, as in graphql-js): the
     * variables are an empty object, shared. */
    static const gql_value_t no_variables = {.kind = GQL_V_OBJECT};
    int rc = FACET_OK;
    if (ex->op->nvariables == 0)
        ex->vars = &no_variables;
    else
        rc = exec__coerce_variables(ex);
    if (rc == FACET_EINVAL) {
        request_error(ex);
        return FACET_OK;
    }
    return rc;
}

int gql_exec_start(facet_arena_t *arena, const gql_exec_opts_t *opts, gql_exec_t **out)
{
    gql_exec_t *ex = NULL;
    *out = NULL;
    int rc = prepare(arena, opts, &ex);
    if (rc == FACET_EINVAL)
        return rc;
    if (!ex)
        return FACET_ENOMEM;
    *out = ex;
    if (rc == FACET_OK && !ex->finished)
        rc = start_operation(ex);
    if (rc != FACET_OK) {
        ex->oom = true;
        ex->finished = true;
        return FACET_OK;
    }
    if (ex->finished)
        return FACET_OK;
    run(ex);
    if (ex->finished)
        return FACET_OK;
    ex->async = true;
    return FACET_EAGAIN;
}

bool gql_exec_finished(const gql_exec_t *ex)
{
    return ex->finished;
}

void gql_exec_cancel(gql_exec_t *ex)
{
    ex->cancelled = true;
    ex->queue_head = ex->queue_tail = NULL;
}

int gql_exec_write(gql_exec_t *ex, facet_buf_t *out)
{
    if (!ex->finished)
        return FACET_EINVAL;
    return exec__write_response(ex, out);
}

const gql_error_list_t *gql_exec_errors(const gql_exec_t *ex)
{
    return &ex->errors;
}

const gql_ast_operation_t *gql_exec_operation(const gql_exec_t *ex)
{
    return ex->op;
}

/* ---- the resolver API ---- */

const gql_value_t *gql_resolve_parent_json(const gql_resolve_t *r)
{
    return r->obj->src_host ? NULL : r->obj->src;
}

const void *gql_resolve_parent_host(const gql_resolve_t *r)
{
    return r->obj->src_host ? r->obj->src : NULL;
}

const gql_value_t *gql_resolve_args(const gql_resolve_t *r)
{
    return r->field->args;
}

const gql_value_t *gql_resolve_arg(const gql_resolve_t *r, const char *name)
{
    return gql_value_get(r->field->args, facet_str_c(name));
}

const gql_field_t *gql_resolve_field(const gql_resolve_t *r)
{
    return r->field->def;
}

const gql_type_t *gql_resolve_parent_type(const gql_resolve_t *r)
{
    return r->obj->set->type;
}

void *gql_resolve_context(const gql_resolve_t *r)
{
    return r->ex->opts.context;
}

void *gql_resolve_data(const gql_resolve_t *r)
{
    return r->field->def->resolver_data;
}

facet_arena_t *gql_resolve_arena(const gql_resolve_t *r)
{
    return r->ex->arena;
}

facet_str_t gql_resolve_key(const gql_resolve_t *r)
{
    return r->field->key;
}

/* Marks the handle used and tells whether its result is still wanted. */
static bool begin_completion(gql_resolve_t *r)
{
    if (r->done)
        return false;
    r->done = true;
    return !r->ex->cancelled && !r->ex->oom;
}

/* The next level starts only when the last outstanding resolver of this
 * one has completed, so that every load it issues is batched together. */
static void end_completion(gql_resolve_t *r)
{
    gql_exec_t *ex = r->ex;
    ex->pending--;
    if (!ex->in_run && ex->pending == 0)
        run(ex);
}

static exec_slot_t *target(gql_resolve_t *r, exec_field_t **f)
{
    *f = (exec_field_t *)r->field;
    return &r->obj->slots[r->index];
}

void gql_resolve_json(gql_resolve_t *r, const gql_value_t *v)
{
    if (begin_completion(r)) {
        exec_field_t *f;
        exec_slot_t *slot = target(r, &f);
        exec__complete_json(r->ex, slot, f->def->type, f, r->obj->set->type, v);
    }
    end_completion(r);
}

void gql_resolve_host(gql_resolve_t *r, const void *obj, const gql_type_t *type)
{
    if (begin_completion(r)) {
        exec_field_t *f;
        exec_slot_t *slot = target(r, &f);
        exec__complete_host(r->ex, slot, f->def->type, f, r->obj->set->type, obj, type);
    }
    end_completion(r);
}

void gql_resolve_host_list(gql_resolve_t *r, const void *const *objs,
                           const gql_type_t *const *types, size_t n)
{
    if (begin_completion(r)) {
        exec_field_t *f;
        exec_slot_t *slot = target(r, &f);
        exec__complete_host_list(r->ex, slot, f->def->type, f, r->obj->set->type, objs, types, n);
    }
    end_completion(r);
}

void gql_resolve_fail(gql_resolve_t *r, const char *code, const char *fmt, ...)
{
    if (begin_completion(r)) {
        va_list ap;
        va_start(ap, fmt);
        exec_err_t *e = error_v(r->ex, code, NULL, fmt, ap);
        va_end(ap);
        if (e) {
            exec_slot_t *slot = &r->obj->slots[r->index];
            slot->kind = SLOT_ERR;
            slot->u.err = e;
        }
    }
    end_completion(r);
}

/* ---- subscriptions ---- */

/* Copies request errors into the caller's list (its own arena). */
static void copy_errors(const gql_error_list_t *from, gql_error_list_t *to)
{
    for (const gql_error_t *e = from->head; e; e = e->next) {
        gql_error_t *c = gql_error_add(to, e->code, e->locations, e->nlocations, "%.*s",
                                       (int)e->message.len, e->message.base);
        if (!c)
            return;
        if (e->path) {
            c->path = FACET_ARENA_ARRAY(to->arena, gql_path_segment_t, e->npath ? e->npath : 1);
            if (c->path) {
                memcpy(c->path, e->path, e->npath * sizeof *e->path);
                c->npath = e->npath;
            }
        }
    }
}

int gql_subscribe_prepare(facet_arena_t *arena, const gql_exec_opts_t *opts,
                          gql_subscription_t *out, gql_error_list_t *errors)
{
    memset(out, 0, sizeof *out);
    gql_exec_t *ex = NULL;
    int rc = prepare(arena, opts, &ex);
    if (rc != FACET_OK && !ex)
        return rc;
    if (rc == FACET_OK && !ex->request_error) {
        if (ex->op->operation != GQL_OP_SUBSCRIPTION) {
            gql_error_add(&ex->errors, NULL, &ex->op->loc, 1, "Operation is not a subscription.");
            ex->request_error = true;
        } else if (!ex->schema->subscription) {
            gql_error_add(&ex->errors, NULL, &ex->op->loc, 1,
                          "Schema is not configured to execute subscription operation.");
            ex->request_error = true;
        }
    }
    exec_set_t *set = NULL;
    if (rc == FACET_OK && !ex->request_error) {
        ex->root_type = ex->schema->subscription;
        set = exec__root_set(ex);
        if (!set)
            rc = FACET_ENOMEM;
    }
    if (rc == FACET_OK && set) {
        out->operation = ex->op;
        out->variables = ex->vars;
        if (set->n == 0 || set->fields[0].meta != META_NONE) {
            const gql_ast_selection_t *node = set->n ? set->fields[0].nodes[0] : NULL;
            gql_error_add(&ex->errors, NULL, node ? &node->loc : NULL, node ? 1 : 0,
                          "The subscription field \"%.*s\" is not defined.",
                          node ? (int)node->name.value.len : 0, node ? node->name.value.base : "");
            ex->request_error = true;
        } else if (!exec__field_args(ex, &set->fields[0])) {
            exec_field_t *f = &set->fields[0];
            if (!f->args_err)
                return FACET_ENOMEM;
            gql_error_t *e =
                gql_error_add(&ex->errors, NULL, f->args_err->locs, f->args_err->nlocs, "%.*s",
                              (int)f->args_err->message.len, f->args_err->message.base);
            if (e) {
                e->path = FACET_ARENA_NEW(arena, gql_path_segment_t);
                if (e->path) {
                    e->path[0].key = f->key;
                    e->npath = 1;
                }
            }
            ex->request_error = true;
        } else {
            out->field = set->fields[0].def;
            out->key = set->fields[0].key;
            out->args = set->fields[0].args;
        }
    }
    if (ex->oom)
        rc = FACET_ENOMEM;
    copy_errors(&ex->errors, errors);
    if (rc != FACET_OK)
        return rc;
    return ex->request_error ? FACET_EINVAL : FACET_OK;
}

int gql_subscribe_event(facet_arena_t *arena, const gql_exec_opts_t *opts, const gql_value_t *event,
                        gql_exec_t **out)
{
    if (!opts)
        return FACET_EINVAL;
    gql_exec_opts_t o = *opts;
    o.root_json = event;
    o.root_host = NULL;
    return gql_exec_start(arena, &o, out);
}
