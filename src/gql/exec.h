/* Execution of GraphQL operations (section 6 of the specification) with
 * results identical to graphql-js 16's execute(): operation selection,
 * variable and argument coercion, field collection, value completion, null
 * propagation and errors with message, locations and path.
 *
 * The model is continuation-based. A resolver is a C function bound to a
 * schema field (gql_field_t.resolver, see gql_field_bind); it completes its
 * field at once or later on the same thread by calling one of the
 * gql_resolve_* completion functions exactly once. The executor works level
 * by level: it dispatches every field it can reach (everything that
 * completes synchronously is followed depth-first in the same wave), then
 * calls opts->on_wave_dispatched so the host can flush its batch loaders
 * (DataLoader semantics: one query per type per wave), and when the last
 * outstanding field of the wave completes it starts the next wave with the
 * children of the fields that completed asynchronously.
 *
 * Everything lives in the arena the caller passes to gql_exec_start; the
 * response is written at the end, straight into a facet_buf_t, with the
 * member order JSON.stringify gives graphql-js' result ({"errors","data"}). */
#ifndef FACET_GQL_EXEC_H
#define FACET_GQL_EXEC_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/buf.h"
#include "gql/ast.h"
#include "gql/error.h"
#include "gql/schema.h"
#include "gql/value.h"

typedef struct gql_exec gql_exec_t;

/* One field being resolved: the resolver's handle. Valid from the resolver
 * call until the completion function returns; every accessor below may be
 * used during that time. */
typedef struct gql_resolve gql_resolve_t;

typedef void (*gql_resolver_fn)(gql_resolve_t *r);

/* Binds fn (and data, handed back by gql_resolve_data) to field f. Done at
 * start-up, before the schema is shared between threads. */
void gql_field_bind(gql_field_t *f, gql_resolver_fn fn, void *data);

/* ---- what a resolver sees ---- */

/* The parent value: JSON-shaped data (the root value or what a parent
 * resolver completed with gql_resolve_json), or NULL when the parent is a
 * host object, which gql_resolve_parent_host returns. */
const gql_value_t *gql_resolve_parent_json(const gql_resolve_t *r);
const void *gql_resolve_parent_host(const gql_resolve_t *r);
/* The coerced arguments as an object (members in definition order; an
 * argument that is absent and has no default is absent). Never NULL. */
const gql_value_t *gql_resolve_args(const gql_resolve_t *r);
/* One argument, or NULL when it is absent. */
const gql_value_t *gql_resolve_arg(const gql_resolve_t *r, const char *name);
const gql_field_t *gql_resolve_field(const gql_resolve_t *r);
const gql_type_t *gql_resolve_parent_type(const gql_resolve_t *r);
/* opts->context and the field's resolver_data. */
void *gql_resolve_context(const gql_resolve_t *r);
void *gql_resolve_data(const gql_resolve_t *r);
/* The request arena: results handed to gql_resolve_json may live here. */
facet_arena_t *gql_resolve_arena(const gql_resolve_t *r);
/* The response key (alias or field name). */
facet_str_t gql_resolve_key(const gql_resolve_t *r);

/* ---- completing a field (exactly one call per resolver handle) ---- */

/* Completes with JSON-shaped data (NULL means null). Leaves are coerced as
 * graphql-js' serializers do; lists and objects are completed against the
 * field's type, and the default resolver reads their members (objects must
 * not repeat a key; parsed JSON never does). v must stay valid until the
 * response is written (the request arena is a good home): a value whose
 * fields all have the default resolver is only read then, in one pass. */
void gql_resolve_json(gql_resolve_t *r, const gql_value_t *v);
/* Completes an object-typed (or abstract) field with a host object, whose
 * own fields then need resolvers (or opts->default_resolver). type is its
 * runtime object type, needed for abstract fields unless
 * opts->resolve_type answers; it may be NULL otherwise. obj NULL is null. */
void gql_resolve_host(gql_resolve_t *r, const void *obj, const gql_type_t *type);
/* Completes a list field with n host objects (NULL items are null);
 * types may be NULL or give each item's runtime type. The arrays are
 * copied. */
void gql_resolve_host_list(gql_resolve_t *r, const void *const *objs,
                           const gql_type_t *const *types, size_t n);
/* Completes with a field error (the field becomes null, or its nearest
 * nullable parent does). code is a static string put in
 * extensions.code, or NULL for none. */
void gql_resolve_fail(gql_resolve_t *r, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- running an operation ---- */

typedef struct gql_exec_opts {
    const gql_schema_t *schema;
    const gql_ast_document_t *doc; /* parsed and validated */
    facet_str_t operation_name;    /* base NULL when not given */
    const gql_value_t *variables;  /* raw JSON object, or NULL for none */
    /* The root value: JSON data, or else a host object (both NULL: an
     * empty root, whose fields resolve to null by default). */
    const gql_value_t *root_json;
    const void *root_host;
    void *context; /* handed to resolvers and hooks */
    /* Resolver for fields that have none bound; NULL selects the engine's
     * default, which reads the parent JSON object's member of the field's
     * name (and fails on host parents). */
    gql_resolver_fn default_resolver;
    /* Runtime type of a host object completing an abstract field when the
     * resolver did not give one; NULL or a NULL answer gives graphql-js'
     * "must resolve to an Object type at runtime" error. */
    const gql_type_t *(*resolve_type)(void *context, const void *host,
                                      const gql_type_t *abstract_type);
    /* Called after each wave's resolvers were dispatched and before waiting
     * for them: the host flushes its batch loaders here. May be NULL. */
    void (*on_wave_dispatched)(void *context);
    /* Called once when an execution that gql_exec_start left pending
     * (FACET_EAGAIN) has finished; never called when gql_exec_start
     * returned anything else. gql_exec_write may be called from it. */
    void (*on_done)(gql_exec_t *ex, void *context);
    /* __schema and __type anywhere in the document make the request fail
     * before execution, with graphql-js' NoSchemaIntrospectionCustomRule
     * message. Servers that turn introspection off also set
     * hide_suggestions here and in gql_validate_opts_t. */
    bool no_introspection;
    bool hide_suggestions; /* no "Did you mean" in coercion messages */
    /* Put extensions.code on request errors (BAD_USER_INPUT for variables,
     * GRAPHQL_VALIDATION_FAILED for disabled introspection). graphql-js
     * prints none, so `facet gql exec` leaves this off. */
    bool request_error_codes;
    size_t max_coercion_errors; /* variable errors before giving up; 0: 50 */
} gql_exec_opts_t;

/* Starts executing. Memory comes from arena (the request's), which must
 * outlive the execution. Returns:
 *  - FACET_OK when the execution finished before returning (every resolver
 *    completed synchronously, or a request error such as a bad variable);
 *  - FACET_EAGAIN when resolvers are outstanding: opts->on_done is called
 *    once the last of them completes;
 *  - FACET_EINVAL when opts lacks a schema or document.
 * In the first two cases *out is set, and gql_exec_write gives the
 * response once finished. Running out of arena memory is not a return
 * code: the response then carries an error and data null. */
int gql_exec_start(facet_arena_t *arena, const gql_exec_opts_t *opts, gql_exec_t **out);

/* True once the response can be written. */
bool gql_exec_finished(const gql_exec_t *ex);

/* Stops dispatching new resolvers (the client went away). Outstanding
 * resolvers must still complete, after which on_done is called as usual;
 * the host frees the arena only then. */
void gql_exec_cancel(gql_exec_t *ex);

/* Appends the response JSON (compact, as JSON.stringify writes graphql-js'
 * result): {"errors":[...],"data":...}, {"data":...} or, for a request
 * error, {"errors":[...]}. Only valid once finished. */
int gql_exec_write(gql_exec_t *ex, facet_buf_t *out);

/* The errors of a finished execution in response order (for logs). The
 * list is computed by gql_exec_write, so call that first. */
const gql_error_list_t *gql_exec_errors(const gql_exec_t *ex);

/* The operation that runs (NULL when operation selection failed). */
const gql_ast_operation_t *gql_exec_operation(const gql_exec_t *ex);

/* Selects the operation as graphql-js does: the one named name, or the
 * only one when name.base is NULL. On failure adds "Must provide operation
 * name if query contains multiple operations.", "Unknown operation named
 * \"x\"." or "Must provide an operation." to errors and returns
 * FACET_EINVAL. */
int gql_select_operation(const gql_ast_document_t *doc, facet_str_t name,
                         const gql_ast_operation_t **out, gql_error_list_t *errors);

/* ---- subscriptions ---- */

/* What the transport needs to subscribe: the root field, its coerced
 * arguments and response key. Lives in the arena given to
 * gql_subscribe_prepare. */
typedef struct gql_subscription {
    const gql_ast_operation_t *operation;
    const gql_field_t *field;
    facet_str_t key;
    const gql_value_t *args;      /* coerced arguments (object) */
    const gql_value_t *variables; /* coerced variables (object) */
} gql_subscription_t;

/* Creates the source stream's description (CreateSourceEventStream): the
 * operation must be a subscription; its variables are coerced and the
 * first root field's arguments too. On a request error returns
 * FACET_EINVAL with errors added (with path for argument errors, as
 * graphql-js reports them). opts->root_* and hooks are unused here. */
int gql_subscribe_prepare(facet_arena_t *arena, const gql_exec_opts_t *opts,
                          gql_subscription_t *out, gql_error_list_t *errors);

/* Executes the subscription's selection set for one event
 * (MapSourceToResponseEvent): the same as gql_exec_start with the event as
 * the root value. */
int gql_subscribe_event(facet_arena_t *arena, const gql_exec_opts_t *opts, const gql_value_t *event,
                        gql_exec_t **out);

#endif
