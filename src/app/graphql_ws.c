/* GraphQL over WebSocket (graphql-transport-ws) at /graphql: the session's
 * state machine (init, ack, ping, subscribe, complete and the protocol's
 * close codes), queries and mutations over the socket, and subscriptions
 * fanned out through the loop's real-time hub. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/activity.h"
#include "app/app.h"
#include "app/errors.h"
#include "app/viewer.h"
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
    /* Who connected: the viewer from connection_init, and the client. */
    app_exec_ctx_t who;
};

/* A subscription group's shared state: the document and variables every
 * member subscribed with, executed once per event. */
typedef struct group_data {
    app_t *app;
    app_worker_t *aw;
    /* Events run under the request id of the session that opened the
     * group, so an internal error in one can be traced to a document. */
    char request_id[72];
    gql_doc_t *doc;
    facet_arena_t arena;
    facet_str_t operation_name;
    const gql_value_t *variables;
    app_viewer_t viewer; /* the members' common authorization scope */
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

/* A failure that is Facet's fault: logged with the session's request id,
 * sent as the masked error, and the operation ended. */
static void __attribute__((format(printf, 2, 3))) fail_internal(op_t *o, const char *fmt, ...)
{
    char detail[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    app_log_internal(o->s->request_id, "%s", detail);
    static const char errors[] = APP_INTERNAL_ERRORS_JSON;
    facet_buf_t b;
    facet_buf_init(&b, 0);
    gql_ws_write_error(&b, facet_str_c(o->id), errors, sizeof errors - 1);
    send_json(o->s, &b);
    facet_buf_free(&b);
    op_free(o);
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
        bool has_data;
        facet_buf_init(&r, 0);
        facet_buf_init(&b, 0);
        if (app_write_result(ex, o->s->request_id, &r, &has_data) == FACET_OK) {
            app_activity_end(&o->ctx, ex, &r, 0);
            gql_ws_write_next(&b, facet_str_c(o->id), r.base, r.len);
            send_json(o->s, &b);
            send_complete(o);
        } else {
            close_with(o->s, GQL_WS_CLOSE_INTERNAL, APP_INTERNAL_MESSAGE);
        }
        facet_buf_free(&r);
        facet_buf_free(&b);
    }
    app_activity_end(&o->ctx, ex, NULL, 0); /* cancelled, or not written */
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
    app_activity_begin(&o->ctx, &o->arena, o->doc->doc, m->operation_name, m->variables);
    gql_exec_opts_t x = exec_opts(o, m);
    gql_exec_t *ex;
    int rc = gql_exec_start(&o->arena, &x, &ex);
    if (rc == FACET_EAGAIN)
        return;
    if (rc != FACET_OK)
        return fail_internal(o, "the operation could not start: %s", facet_strerror(rc));
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

/* One recipient of an event: its session is held (refs) for the fan-out. */
typedef struct target {
    session_t *s;
    op_t *o;
} target_t;

#define FANOUT_STACK 64

/* Sends the result to every member. A write can close a socket at once (the
 * peer reset it), which frees that session's subscriptions and leaves the
 * group, so the members are listed first and each session held: an op is
 * only touched while its session is still open, and a session's ops are
 * only freed by its own close. */
static void send_to_members(rt_group_t *g, const facet_buf_t *result)
{
    target_t stack[FANOUT_STACK], *t = stack;
    size_t n = rt_group_size(g), i = 0;
    if (n > FANOUT_STACK && !(t = malloc(n * sizeof *t))) {
        facet_log_msg(FACET_LOG_ERROR, "out of memory sending a subscription event; dropped");
        return;
    }
    for (rt_member_t *m = rt_group_first(g); m && i < n; m = m->next, i++) {
        t[i] = (target_t){((op_t *)m->ud)->s, m->ud};
        t[i].s->refs++;
    }
    facet_buf_t b;
    facet_buf_init(&b, 0);
    for (size_t k = 0; k < i; k++) {
        if (t[k].s->ws) {
            facet_buf_reset(&b);
            gql_ws_write_next(&b, facet_str_c(t[k].o->id), result->base, result->len);
            send_json(t[k].s, &b);
        }
    }
    facet_buf_free(&b);
    for (size_t k = 0; k < i; k++)
        session_unref(t[k].s);
    if (t != stack)
        free(t);
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
    run->ctx = (app_exec_ctx_t){
        .app = d->app, .aw = d->aw, .request_id = d->request_id, .viewer = d->viewer};
    facet_arena_init(&run->arena, 64u * 1024 * 1024);
    gql_value_t *event;
    char why[128];
    if (gql_json_parse(&run->arena, data, len, 64, &event, why, sizeof why) != FACET_OK) {
        app_log_internal(d->request_id, "a subscription event is not JSON: %s", why);
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
        app_log_internal(d->request_id,
                         "a subscription event needs asynchronous resolvers; dropped");
        return;
    }
    bool has_data;
    facet_buf_t result;
    facet_buf_init(&result, 0);
    if (rc != FACET_OK)
        app_log_internal(d->request_id, "a subscription event could not run: %s",
                         facet_strerror(rc));
    else if (app_write_result(ex, d->request_id, &result, &has_data) == FACET_OK)
        send_to_members(g, &result);
    facet_buf_free(&result);
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
    snprintf(d->request_id, sizeof d->request_id, "%s", gi->o->s->request_id);
    d->viewer = gi->o->ctx.viewer;
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
    char channel[256], key[4096];
    if (app_subscription_channel(sub.field, &o->ctx.viewer, channel, sizeof channel) != FACET_OK) {
        gql_errors_init(&errors, &o->arena, 1);
        gql_error_add(&errors, "UNAUTHENTICATED", NULL, 0, "%s",
                      o->ctx.viewer.auth_error ? o->ctx.viewer.auth_error
                                               : "You must be signed in to subscribe to this.");
        send_error(o, &errors);
        return op_free(o);
    }
    facet_buf_t vars;
    facet_buf_init(&vars, 2048);
    if (sub.variables)
        gql_json_write_value(&vars, sub.variables);
    char sha[2 * GQL_SHA256_LEN + 1];
    for (size_t i = 0; i < GQL_SHA256_LEN; i++)
        snprintf(sha + 2 * i, 3, "%02x", o->doc->sha[i]);
    /* Members share an execution only within one authorization scope:
     * the same user (or none) with the same role. */
    snprintf(key, sizeof key, "%s|%d|%s|%.*s|%.*s", o->ctx.viewer.user_id, o->ctx.viewer.role, sha,
             (int)m->operation_name.len, m->operation_name.base ? m->operation_name.base : "",
             (int)vars.len, vars.base ? vars.base : "");
    facet_buf_free(&vars);
    group_init_t gi = {o, m};
    o->member.ud = o;
    int rc = rt_join(o->s->aw->hub, channel, key, &o->member, make_group, &gi, &GROUP_OPS);
    if (rc != FACET_OK)
        return fail_internal(o, "the subscription to %s could not start: %s", channel,
                             facet_strerror(rc));
    /* Only now: a socket that closes frees its subscriptions itself. */
    o->subscription = true;
    /* The group copied what events need: a live subscription keeps no
     * arena (the memory of idle subscribers is what fan-out costs). */
    facet_arena_free(&o->arena);
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
    o->ctx = s->who;
    o->ctx.request_id = s->request_id;
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
    if (!o) {
        app_log_internal(s->request_id, "out of memory for a graphql-ws operation");
        return close_with(s, GQL_WS_CLOSE_INTERNAL, APP_INTERNAL_MESSAGE);
    }
    gql_error_list_t errors;
    gql_errors_init(&errors, &o->arena, 100);
    const gql_ast_operation_t *op;
    int rc = gql_doc_cache_get(&s->aw->docs, m->query.base, m->query.len, &o->doc, &errors);
    if (rc == FACET_OK &&
        gql_select_operation(o->doc->doc, m->operation_name, &op, &errors) == FACET_OK)
        rc = gql_check_limits(s->app->graphql.schema, o->doc->doc, op, m->variables,
                              &s->app->graphql.limits, &errors);
    else if (rc == FACET_OK)
        rc = FACET_EINVAL;
    if (rc != FACET_OK && !errors.count)
        return fail_internal(o, "the document could not be prepared: %s", facet_strerror(rc));
    if (rc != FACET_OK) {
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

static void on_init(session_t *s, const gql_ws_message_t *m)
{
    if (s->init_received)
        return close_with(s, GQL_WS_CLOSE_TOO_MANY_INITS, "Too many initialisation requests");
    s->init_received = true;
    /* Credentials travel in the payload (browsers cannot set headers on a
     * WebSocket); bad ones are refused as graphql-ws refuses them. */
    if (app_viewer_from_payload(s->app, s->aw->loop, m->payload, &s->who.viewer) != FACET_OK)
        return close_with(s, GQL_WS_CLOSE_FORBIDDEN, "Forbidden");
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
        on_init(s, &m);
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

/* Why the server ended a session, for the codes it sends on its own. */
static const char *close_reason(int code)
{
    switch (code) {
    case HTTP_WS_SLOW_CONSUMER_CODE:
        return HTTP_WS_SLOW_CONSUMER;
    case WS_CLOSE_TOO_BIG:
        return "message or frame larger than FACET_WS_MAX_MESSAGE";
    case WS_CLOSE_PROTOCOL:
        return "WebSocket protocol error";
    case WS_CLOSE_INVALID_DATA:
        return "text message is not UTF-8";
    case GQL_WS_CLOSE_INTERNAL:
        return APP_INTERNAL_MESSAGE;
    default:
        return NULL;
    }
}

/* One line per session, as the request line is per HTTP request: a
 * warning when the server cut the session for a limit or a failure. */
static void log_session_end(const session_t *s, int code)
{
    size_t nops = 0;
    for (const op_t *o = s->ops; o; o = o->next)
        nops++;
    const char *reason = close_reason(code);
    facet_log_line_t line;
    if (facet_log_begin(&line, reason ? FACET_LOG_WARN : FACET_LOG_INFO, "graphql-ws closed")) {
        facet_log_cstr(&line, "request_id", s->request_id);
        facet_log_int(&line, "code", code);
        if (reason)
            facet_log_cstr(&line, "reason", reason);
        facet_log_int(&line, "operations", (int64_t)nops);
    }
    facet_log_end(&line);
}

static void on_close(http_ws_t *ws, int code)
{
    session_t *s = http_ws_data(ws);
    log_session_end(s, code);
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
    s->who = (app_exec_ctx_t){.app = app, .aw = s->aw};
    app_viewer_from_http(&s->who, req);
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
