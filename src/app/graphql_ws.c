/* GraphQL over WebSocket (graphql-transport-ws) at /graphql: the session's
 * state machine (init, ack, ping, subscribe, complete and the protocol's
 * close codes), queries and mutations over the socket, and subscriptions
 * fanned out through the loop's real-time hub. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "core/error.h"
#include "core/log.h"
#include "gql/exec.h"
#include "gql/json.h"
#include "http/gql_ws.h"
#include "http/websocket.h"

typedef struct session session_t;

/* One operation of the session, by its client id. */
typedef struct op {
    app_exec_ctx_t ctx; /* first: the resolvers' context */
    struct op *next;
    session_t *s;
    char *id;
    bool subscription;
    bool cancelled; /* the client completed it or the socket closed */
    rt_member_t member;
    facet_arena_t arena;
    gql_doc_t *doc;
} op_t;

struct session {
    http_ws_t *ws; /* NULL once closed */
    app_t *app;
    app_worker_t *aw;
    uv_timer_t init_timer;
    bool init_received;
    bool acked;
    int refs; /* the socket, the timer handle, and every operation */
    op_t *ops;
    char request_id[72];
};

/* A subscription group's shared state: the document and variables every
 * member subscribed with, executed once per event. */
typedef struct group_data {
    app_t *app;
    app_worker_t *aw;
    gql_doc_t *doc;
    facet_arena_t arena;
    facet_str_t operation_name;
    const gql_value_t *variables;
} group_data_t;

static void session_unref(session_t *s)
{
    if (--s->refs == 0)
        free(s);
}

static void send_json(session_t *s, const facet_buf_t *b)
{
    if (s->ws)
        http_ws_send_text(s->ws, b->base, b->len);
}

static void close_with(session_t *s, int code, const char *reason)
{
    if (s->ws)
        http_ws_close(s->ws, code, reason);
}

static op_t *find_op(session_t *s, facet_str_t id)
{
    for (op_t *o = s->ops; o; o = o->next) {
        if (strlen(o->id) == id.len && memcmp(o->id, id.base, id.len) == 0)
            return o;
    }
    return NULL;
}

static void op_free(op_t *o)
{
    session_t *s = o->s;
    for (op_t **link = &s->ops; *link; link = &(*link)->next) {
        if (*link == o) {
            *link = o->next;
            break;
        }
    }
    if (o->member.group)
        rt_leave(&o->member);
    if (o->doc)
        gql_doc_release(o->doc);
    facet_arena_free(&o->arena);
    free(o->id);
    free(o);
    session_unref(s);
}

static void send_error(op_t *o, const gql_error_list_t *errors)
{
    facet_buf_t b, e;
    facet_buf_init(&b, 0);
    facet_buf_init(&e, 0);
    gql_errors_write_json(errors, &e);
    gql_ws_write_error(&b, facet_str_c(o->id), e.base, e.len);
    send_json(o->s, &b);
    facet_buf_free(&b);
    facet_buf_free(&e);
}

static void send_complete(op_t *o)
{
    facet_buf_t b;
    facet_buf_init(&b, 0);
    gql_ws_write_complete(&b, facet_str_c(o->id));
    send_json(o->s, &b);
    facet_buf_free(&b);
}

/* ---- queries and mutations over the socket ---- */

static void send_result(op_t *o, gql_exec_t *ex)
{
    if (!o->cancelled) {
        facet_buf_t r, b;
        facet_buf_init(&r, 0);
        facet_buf_init(&b, 0);
        gql_exec_write(ex, &r);
        gql_ws_write_next(&b, facet_str_c(o->id), r.base, r.len);
        send_json(o->s, &b);
        send_complete(o);
        facet_buf_free(&r);
        facet_buf_free(&b);
    }
    op_free(o);
}

static void on_exec_done(gql_exec_t *ex, void *context)
{
    send_result((op_t *)context, ex);
}

static gql_exec_opts_t exec_opts(op_t *o, const gql_ws_message_t *m)
{
    return app_graphql_exec_opts(&o->s->app->graphql, o->doc, m->operation_name, m->variables,
                                 &o->ctx, on_exec_done);
}

static void run_query(op_t *o, const gql_ws_message_t *m)
{
    gql_exec_opts_t x = exec_opts(o, m);
    gql_exec_t *ex;
    int rc = gql_exec_start(&o->arena, &x, &ex);
    if (rc == FACET_EAGAIN)
        return;
    if (rc != FACET_OK) {
        gql_error_list_t errors;
        gql_errors_init(&errors, &o->arena, 1);
        gql_error_add(&errors, GQL_CODE_INTERNAL, NULL, 0, "Internal server error");
        send_error(o, &errors);
        return op_free(o);
    }
    send_result(o, ex);
}

/* ---- subscriptions ---- */

static void group_free(void *data)
{
    group_data_t *d = data;
    gql_doc_release(d->doc);
    facet_arena_free(&d->arena);
    free(d);
}

/* One event's execution: its context and arena, freed when it ends. */
typedef struct event_run {
    app_exec_ctx_t ctx; /* first: the resolvers' context */
    facet_arena_t arena;
} event_run_t;

static void event_run_free(gql_exec_t *ex, void *context)
{
    event_run_t *run = context;
    (void)ex;
    facet_arena_free(&run->arena);
    free(run);
}

static void send_to_members(rt_group_t *g, const facet_buf_t *result)
{
    for (rt_member_t *m = rt_group_first(g); m; m = m->next) {
        op_t *o = m->ud;
        facet_buf_t b;
        facet_buf_init(&b, 0);
        gql_ws_write_next(&b, facet_str_c(o->id), result->base, result->len);
        send_json(o->s, &b);
        facet_buf_free(&b);
    }
}

/* Runs the subscription once for the event and sends the result to every
 * member of the group (the same document, variables and scope). */
static void group_event(rt_group_t *g, const char *data, size_t len)
{
    group_data_t *d = rt_group_data(g);
    const app_graphql_t *gq = &d->app->graphql;
    event_run_t *run = malloc(sizeof *run);
    if (!run)
        return;
    run->ctx = (app_exec_ctx_t){d->app, d->aw, ""};
    facet_arena_init(&run->arena, 64u * 1024 * 1024);
    gql_value_t *event;
    char why[128];
    if (gql_json_parse(&run->arena, data, len, 64, &event, why, sizeof why) != FACET_OK) {
        facet_log_kv(FACET_LOG_WARN, "subscription event is not JSON", "error", why);
        return event_run_free(NULL, run);
    }
    gql_exec_opts_t x = app_graphql_exec_opts(gq, d->doc, d->operation_name, d->variables,
                                              &run->ctx, event_run_free);
    gql_exec_t *ex;
    int rc = gql_subscribe_event(&run->arena, &x, event, &ex);
    if (rc == FACET_EAGAIN) {
        /* Events are data and their fields resolve at once; a resolver that
         * would wait is not awaited (the members may be gone by then): the
         * run is cancelled and freed when it ends, and the event dropped. */
        gql_exec_cancel(ex);
        facet_log_msg(FACET_LOG_ERROR, "subscription event needs asynchronous resolvers; dropped");
        return;
    }
    if (rc == FACET_OK) {
        facet_buf_t result;
        facet_buf_init(&result, 0);
        gql_exec_write(ex, &result);
        send_to_members(g, &result);
        facet_buf_free(&result);
    }
    event_run_free(NULL, run);
}

static const rt_group_ops_t GROUP_OPS = {group_event, group_free};

typedef struct group_init {
    op_t *o;
    const gql_ws_message_t *m;
} group_init_t;

/* Copies what the group needs out of the message into its own arena. */
static void *make_group(void *ctx)
{
    group_init_t *gi = ctx;
    group_data_t *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->app = gi->o->s->app;
    d->aw = gi->o->s->aw;
    d->doc = gi->o->doc;
    d->doc->pins++;
    facet_arena_init(&d->arena, 0);
    if (gi->m->operation_name.base)
        d->operation_name =
            facet_arena_strdup(&d->arena, gi->m->operation_name.base, gi->m->operation_name.len);
    if (gi->m->variables) {
        facet_buf_t j;
        facet_buf_init(&j, 0);
        gql_json_write_value(&j, gi->m->variables);
        gql_value_t *v = NULL;
        char why[64];
        gql_json_parse(&d->arena, j.base, j.len, 64, &v, why, sizeof why);
        d->variables = v;
        facet_buf_free(&j);
    }
    return d;
}

static void subscribe(op_t *o, const gql_ws_message_t *m)
{
    gql_exec_opts_t x = exec_opts(o, m);
    gql_subscription_t sub;
    gql_error_list_t errors;
    gql_errors_init(&errors, &o->arena, 100);
    if (gql_subscribe_prepare(&o->arena, &x, &sub, &errors) != FACET_OK) {
        send_error(o, &errors);
        return op_free(o);
    }
    const char *topic = sub.field->resolver_data;
    char channel[256], key[4096];
    facet_buf_t vars;
    facet_buf_init(&vars, 2048);
    if (sub.variables)
        gql_json_write_value(&vars, sub.variables);
    snprintf(channel, sizeof channel, "facet:%s", topic ? topic : "");
    char sha[2 * GQL_SHA256_LEN + 1];
    for (size_t i = 0; i < GQL_SHA256_LEN; i++)
        snprintf(sha + 2 * i, 3, "%02x", o->doc->sha[i]);
    /* No authorization scope yet: it joins the key with the accounts. */
    snprintf(key, sizeof key, "%s|%.*s|%.*s", sha, (int)m->operation_name.len,
             m->operation_name.base ? m->operation_name.base : "", (int)vars.len,
             vars.base ? vars.base : "");
    facet_buf_free(&vars);
    group_init_t gi = {o, m};
    o->subscription = true;
    o->member.ud = o;
    if (rt_join(o->s->aw->hub, channel, key, &o->member, make_group, &gi, &GROUP_OPS) != FACET_OK) {
        gql_errors_init(&errors, &o->arena, 1);
        gql_error_add(&errors, GQL_CODE_INTERNAL, NULL, 0, "Internal server error");
        send_error(o, &errors);
        op_free(o);
    }
}

/* ---- the protocol ---- */

static op_t *op_new(session_t *s, facet_str_t id)
{
    op_t *o = calloc(1, sizeof *o);
    if (!o || !(o->id = strndup(id.base, id.len))) {
        free(o);
        return NULL;
    }
    o->s = s;
    o->ctx = (app_exec_ctx_t){s->app, s->aw, s->request_id};
    facet_arena_init(&o->arena, 64u * 1024 * 1024);
    o->next = s->ops;
    s->ops = o;
    s->refs++;
    return o;
}

static void on_subscribe(session_t *s, const gql_ws_message_t *m)
{
    char reason[160];
    if (!s->acked)
        return close_with(s, GQL_WS_CLOSE_UNAUTHORIZED, "Unauthorized");
    if (find_op(s, m->id)) {
        snprintf(reason, sizeof reason, "Subscriber for %.*s already exists",
                 (int)(m->id.len > 60 ? 60 : m->id.len), m->id.base);
        return close_with(s, GQL_WS_CLOSE_DUPLICATE, reason);
    }
    op_t *o = op_new(s, m->id);
    if (!o)
        return close_with(s, GQL_WS_CLOSE_INTERNAL, "Internal server error");
    gql_error_list_t errors;
    gql_errors_init(&errors, &o->arena, 100);
    const gql_ast_operation_t *op;
    if (gql_doc_cache_get(&s->aw->docs, m->query.base, m->query.len, &o->doc, &errors) !=
            FACET_OK ||
        gql_select_operation(o->doc->doc, m->operation_name, &op, &errors) != FACET_OK ||
        gql_check_limits(s->app->graphql.schema, o->doc->doc, op, m->variables,
                         &s->app->graphql.limits, &errors) != FACET_OK) {
        if (!errors.count)
            gql_error_add(&errors, GQL_CODE_INTERNAL, NULL, 0, "Internal server error");
        send_error(o, &errors);
        return op_free(o);
    }
    if (op->operation == GQL_OP_SUBSCRIPTION)
        subscribe(o, m);
    else
        run_query(o, m);
}

static void on_complete(session_t *s, const gql_ws_message_t *m)
{
    op_t *o = find_op(s, m->id);
    if (!o)
        return;
    if (o->subscription)
        op_free(o);
    else
        o->cancelled = true; /* freed when its execution ends */
}

static void on_init(session_t *s)
{
    if (s->init_received)
        return close_with(s, GQL_WS_CLOSE_TOO_MANY_INITS, "Too many initialisation requests");
    s->init_received = true;
    s->acked = true;
    uv_timer_stop(&s->init_timer);
    facet_buf_t b;
    facet_buf_init(&b, 0);
    gql_ws_write_simple(&b, "connection_ack", NULL);
    send_json(s, &b);
    facet_buf_free(&b);
}

static void on_message(http_ws_t *ws, const char *data, size_t len, bool binary)
{
    session_t *s = http_ws_data(ws);
    if (binary)
        return close_with(s, GQL_WS_CLOSE_BAD_REQUEST, "Binary messages are not supported");
    facet_arena_t a;
    facet_arena_init(&a, 16u * 1024 * 1024);
    gql_ws_message_t m;
    char reason[256];
    if (gql_ws_parse(&a, data, len, 64, &m, reason, sizeof reason) != FACET_OK) {
        close_with(s, GQL_WS_CLOSE_BAD_REQUEST, reason);
    } else if (m.type == GQL_WS_CONNECTION_INIT) {
        on_init(s);
    } else if (m.type == GQL_WS_PING) {
        facet_buf_t b;
        facet_buf_init(&b, 0);
        gql_ws_write_simple(&b, "pong", NULL);
        send_json(s, &b);
        facet_buf_free(&b);
    } else if (m.type == GQL_WS_SUBSCRIBE) {
        on_subscribe(s, &m);
    } else if (m.type == GQL_WS_COMPLETE) {
        on_complete(s, &m);
    }
    facet_arena_free(&a);
}

static void on_timer_closed(uv_handle_t *h)
{
    session_unref(h->data);
}

static void on_close(http_ws_t *ws, int code)
{
    session_t *s = http_ws_data(ws);
    (void)code;
    s->ws = NULL;
    for (op_t *o = s->ops, *next; o; o = next) {
        next = o->next;
        if (o->subscription)
            op_free(o);
        else
            o->cancelled = true;
    }
    uv_close((uv_handle_t *)&s->init_timer, on_timer_closed);
    session_unref(s);
}

static void on_init_timeout(uv_timer_t *t)
{
    close_with(t->data, GQL_WS_CLOSE_INIT_TIMEOUT, "Connection initialisation timeout");
}

void app_graphql_ws(http_request_t *req, app_t *app)
{
    static const http_ws_handler_t handler = {on_message, on_close};
    const facet_config_t *cfg = app->cfg;
    http_ws_limits_t limits = {.max_frame = cfg->ws_max_message,
                               .max_message = cfg->ws_max_message,
                               .max_buffered = cfg->ws_max_buffered,
                               .ping_interval_ms = cfg->ws_ping_interval_ms};
    session_t *s = calloc(1, sizeof *s);
    if (!s) {
        http_respond_error(req, 500, "out of memory");
        return;
    }
    s->app = app;
    s->aw = http_worker_data(req->worker);
    snprintf(s->request_id, sizeof s->request_id, "%s", req->id);
    uv_loop_t *loop = http_worker_loop(req->worker);
    bool chosen;
    if (http_ws_upgrade(req, GQL_WS_PROTOCOL, &handler, &limits, s, &s->ws, &chosen) != FACET_OK) {
        free(s);
        return;
    }
    s->refs = 2; /* the socket and the timer */
    uv_timer_init(loop, &s->init_timer);
    s->init_timer.data = s;
    if (!chosen) {
        close_with(s, GQL_WS_CLOSE_SUBPROTOCOL, "Subprotocol not acceptable");
        return;
    }
    uv_timer_start(&s->init_timer, on_init_timeout, cfg->ws_init_timeout_ms, 0);
}
