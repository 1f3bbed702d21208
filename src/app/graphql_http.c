/* GraphQL over HTTP at /graphql: one request may carry several operations
 * (a batch); each goes through persisted-query lookup, the document cache,
 * limits and execution in turn, and the answers are written in order.
 * Failures that are Facet's fault reach the client masked (app/errors.h);
 * a browser's GET outside production gets GraphiQL (app/landing.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/activity.h"
#include "app/app.h"
#include "app/errors.h"
#include "app/landing.h"
#include "app/viewer.h"
#include "core/error.h"
#include "core/log.h"
#include "gql/exec.h"
#include "gql/json.h"

#define APQ_PREFIX "facet:apq:"

typedef struct call {
    app_exec_ctx_t ctx; /* first: resolvers get it as their context */
    http_request_t *req;
    app_t *app;
    app_worker_t *aw;
    facet_arena_t arena;
    gql_http_request_t in;
    size_t next;      /* the next operation to run */
    facet_buf_t body; /* the response body */
    bool no_data;     /* a single operation ended without data (request error) */
    gql_doc_t *doc;   /* pinned while its operation runs */
    facet_str_t text; /* query text found in Valkey */
    int status_override;
} call_t;

static void run_next(call_t *c);

static void finish(call_t *c)
{
    int status = c->status_override;
    if (!status)
        status = c->in.media == GQL_MEDIA_GRAPHQL_JSON && !c->in.batch && c->no_data ? 400 : 200;
    if (c->in.batch)
        facet_buf_append(&c->body, "]", 1);
    http_respond(c->req, status, gql_media_content_type(c->in.media), c->body.base, c->body.len);
    facet_buf_free(&c->body);
    facet_arena_free(&c->arena);
    free(c);
}

/* Appends {"errors":[{message, extensions.code}]} for one operation. */
static void answer_error(call_t *c, const char *code, const char *message)
{
    gql_error_list_t errors;
    gql_errors_init(&errors, &c->arena, 1);
    gql_error_add(&errors, code, NULL, 0, "%s", message);
    facet_buf_append_str(&c->body, "{\"errors\":");
    gql_errors_write_json(&errors, &c->body);
    facet_buf_append(&c->body, "}", 1);
    c->no_data = true;
}

/* A failure that is Facet's fault: logged with the request id and the real
 * message, answered with the masked error (500 unless batched, since the
 * request itself was fine). */
static void __attribute__((format(printf, 2, 3))) answer_internal(call_t *c, const char *fmt, ...)
{
    char detail[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    app_log_internal(c->req->id, "%s", detail);
    if (!c->in.batch)
        c->status_override = 500;
    facet_buf_append_str(&c->body, "{\"errors\":" APP_INTERNAL_ERRORS_JSON "}");
    c->no_data = true;
}

static void answer_errors(call_t *c, const gql_error_list_t *errors)
{
    facet_buf_append_str(&c->body, "{\"errors\":");
    gql_errors_write_json(errors, &c->body);
    facet_buf_append(&c->body, "}", 1);
    c->no_data = true;
}

static void op_done(call_t *c)
{
    if (c->doc) {
        gql_doc_release(c->doc);
        c->doc = NULL;
    }
    run_next(c);
}

/* ---- execution ---- */

/* Writes the execution's response, internal errors masked, and notes
 * whether it has a data entry: a request error (a bad variable, say) has
 * none. */
static void write_result(call_t *c, gql_exec_t *ex)
{
    bool data = false;
    size_t at = c->body.len;
    int rc = app_write_result(ex, c->req->id, &c->body, &data);
    app_activity_end(&c->ctx, ex, rc == FACET_OK ? &c->body : NULL, at);
    if (rc != FACET_OK)
        return answer_internal(c, "out of memory writing the response");
    if (!data)
        c->no_data = true;
}

static void on_exec_done(gql_exec_t *ex, void *context)
{
    call_t *c = context;
    write_result(c, ex);
    op_done(c);
}

static gql_exec_opts_t exec_opts(call_t *c, const gql_http_params_t *p)
{
    return app_graphql_exec_opts(&c->app->graphql, c->doc, p->operation_name, p->variables, &c->ctx,
                                 on_exec_done);
}

/* GET may only read: a mutation (or subscription) over GET is refused with
 * 405, as the GraphQL-over-HTTP specification asks. */
static bool refuse_by_method(call_t *c, const gql_ast_operation_t *op)
{
    if (op->operation == GQL_OP_SUBSCRIPTION) {
        answer_error(c, GQL_CODE_BAD_USER_INPUT,
                     "Subscriptions are served over WebSocket (graphql-transport-ws) at /graphql.");
        return true;
    }
    if (c->in.is_get && op->operation == GQL_OP_MUTATION) {
        http_add_header(c->req, "Allow", "POST");
        c->status_override = 405;
        answer_error(c, "BAD_REQUEST", "Mutations can only be sent with POST.");
        return true;
    }
    return false;
}

static void execute(call_t *c, const gql_http_params_t *p)
{
    const app_graphql_t *g = &c->app->graphql;
    gql_error_list_t errors;
    gql_errors_init(&errors, &c->arena, 100);
    const gql_ast_operation_t *op;
    if (gql_select_operation(c->doc->doc, p->operation_name, &op, &errors) != FACET_OK) {
        answer_errors(c, &errors);
        return op_done(c);
    }
    if (refuse_by_method(c, op))
        return op_done(c);
    if (gql_check_limits(g->schema, c->doc->doc, op, p->variables, &g->limits, &errors) !=
        FACET_OK) {
        answer_errors(c, &errors);
        return op_done(c);
    }
    app_activity_begin(&c->ctx, &c->arena, c->doc->doc, p->operation_name, p->variables);
    gql_exec_opts_t o = exec_opts(c, p);
    gql_exec_t *ex;
    int rc = gql_exec_start(&c->arena, &o, &ex);
    if (rc == FACET_EAGAIN)
        return; /* on_exec_done continues */
    if (rc != FACET_OK) {
        answer_internal(c, "the operation could not start: %s", facet_strerror(rc));
        return op_done(c);
    }
    write_result(c, ex);
    op_done(c);
}

static void run_text(call_t *c, const gql_http_params_t *p, facet_str_t text)
{
    gql_error_list_t errors;
    gql_errors_init(&errors, &c->arena, 100);
    int rc = gql_doc_cache_get(&c->aw->docs, text.base, text.len, &c->doc, &errors);
    if (rc != FACET_OK) {
        if (errors.count)
            answer_errors(c, &errors);
        else
            answer_internal(c, "the document could not be prepared: %s", facet_strerror(rc));
        return op_done(c);
    }
    execute(c, p);
}

/* ---- automatic persisted queries ---- */

static bool hex_to_sha(facet_str_t hex, uint8_t out[GQL_SHA256_LEN])
{
    if (hex.len != 2 * GQL_SHA256_LEN)
        return false;
    for (size_t i = 0; i < GQL_SHA256_LEN; i++) {
        unsigned v;
        char two[3] = {hex.base[2 * i], hex.base[2 * i + 1], 0};
        if (!strchr("0123456789abcdef", two[0]) || !strchr("0123456789abcdef", two[1]) ||
            sscanf(two, "%2x", &v) != 1)
            return false;
        out[i] = (uint8_t)v;
    }
    return true;
}

static void on_apq_stored(int status, const redisReply *reply, void *ud)
{
    (void)reply;
    if (status != FACET_OK)
        facet_log_kv(FACET_LOG_WARN, "persisted query not stored", "error",
                     status == FACET_ETIMEDOUT ? "timed out" : "Valkey error");
    free(ud);
}

/* Registers text under hash in Valkey so every instance finds it. The
 * answer is not awaited: the operation runs from the text it came with. */
static void apq_store(call_t *c, facet_str_t hash, facet_str_t text)
{
    const app_graphql_t *g = &c->app->graphql;
    char *key = NULL;
    char ttl[24];
    if (asprintf(&key, APQ_PREFIX "%.*s", (int)hash.len, hash.base) < 0)
        return;
    snprintf(ttl, sizeof ttl, "%llu", (unsigned long long)g->apq_ttl_ms);
    const char *argv[] = {"SET", key, text.base, "PX", ttl};
    size_t lens[] = {3, strlen(key), text.len, 2, strlen(ttl)};
    if (cache_valkey_command_argv(c->aw->valkey, g->valkey_timeout_ms, 5, argv, lens, on_apq_stored,
                                  key) != FACET_OK)
        free(key);
}

static void on_apq_fetched(int status, const redisReply *reply, void *ud)
{
    call_t *c = ud;
    const gql_http_params_t *p = &c->in.ops[c->next - 1];
    if (status == FACET_OK && reply->type == REDIS_REPLY_STRING) {
        facet_str_t text = facet_arena_strdup(&c->arena, reply->str, reply->len);
        return run_text(c, p, text);
    }
    if (status != FACET_OK)
        facet_log_kv(FACET_LOG_WARN, "persisted query lookup failed", "request_id", c->req->id);
    answer_error(c, "PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound");
    op_done(c);
}

/* Returns true when the operation was taken care of (answered or pending). */
static bool run_persisted(call_t *c, const gql_http_params_t *p)
{
    const gql_value_t *pq = gql_value_get(p->extensions, FACET_STR_LIT("persistedQuery"));
    if (!pq)
        return false;
    const gql_value_t *version = gql_value_get(pq, FACET_STR_LIT("version"));
    const gql_value_t *hash = gql_value_get(pq, FACET_STR_LIT("sha256Hash"));
    uint8_t sha[GQL_SHA256_LEN];
    if (!version || version->kind != GQL_V_FLOAT || version->u.f != 1) {
        answer_error(c, "PERSISTED_QUERY_NOT_SUPPORTED", "Unsupported persisted query version");
        return op_done(c), true;
    }
    if (!hash || hash->kind != GQL_V_STRING || !hex_to_sha(hash->u.s, sha)) {
        answer_error(c, "BAD_REQUEST", "persistedQuery.sha256Hash must be 64 lowercase hex digits");
        return op_done(c), true;
    }
    if (p->has_query) {
        uint8_t actual[GQL_SHA256_LEN];
        gql_sha256(p->query.base, p->query.len, actual);
        if (memcmp(actual, sha, sizeof sha) != 0) {
            answer_error(c, "BAD_REQUEST", "provided sha does not match query");
            return op_done(c), true;
        }
        apq_store(c, hash->u.s, p->query);
        run_text(c, p, p->query);
        return true;
    }
    c->doc = gql_doc_cache_find(&c->aw->docs, sha);
    if (c->doc) {
        execute(c, p);
        return true;
    }
    char key[sizeof APQ_PREFIX + 2 * GQL_SHA256_LEN];
    snprintf(key, sizeof key, APQ_PREFIX "%.*s", (int)hash->u.s.len, hash->u.s.base);
    const char *argv[] = {"GET", key};
    if (cache_valkey_command_argv(c->aw->valkey, c->app->graphql.valkey_timeout_ms, 2, argv, NULL,
                                  on_apq_fetched, c) != FACET_OK) {
        answer_error(c, "PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound");
        op_done(c);
    }
    return true;
}

/* ---- the request ---- */

static void run_next(call_t *c)
{
    if (c->next == c->in.nops)
        return finish(c);
    const gql_http_params_t *p = &c->in.ops[c->next];
    if (c->next++ > 0)
        facet_buf_append(&c->body, ",", 1);
    if (run_persisted(c, p))
        return;
    if (!p->has_query || p->query.len == 0) {
        if (!c->in.batch)
            c->status_override = 400;
        answer_error(c, "BAD_REQUEST",
                     "GraphQL operations must contain a non-empty `query` or a `persistedQuery` "
                     "extension.");
        return op_done(c);
    }
    run_text(c, p, p->query);
}

static void respond_refusal(http_request_t *req, gql_media_t media, const gql_http_error_t *e)
{
    if (e->allow)
        http_add_header(req, "Allow", e->allow);
    if (!e->graphql) {
        http_respond_error(req, e->status, e->message);
        return;
    }
    facet_buf_t b;
    facet_buf_init(&b, 0);
    facet_buf_append_str(&b, "{\"errors\":[{\"message\":");
    gql_json_write_string(&b, e->message, strlen(e->message));
    facet_buf_append_str(&b, ",\"extensions\":{\"code\":\"BAD_REQUEST\"}}]}");
    http_respond(req, e->status, gql_media_content_type(media), b.base, b.len);
    facet_buf_free(&b);
}

static bool has_header(const http_request_t *req, const char *name)
{
    const http_header_t *h = http_find_header(&req->head, facet_str_c(name));
    return h && h->value.len > 0;
}

void app_graphql_http(http_request_t *req, void *ud)
{
    static const char masked[] = "{\"errors\":" APP_INTERNAL_ERRORS_JSON "}";
    app_t *app = ud;
    if (req->head.upgrade) {
        app_graphql_ws(req, app);
        return;
    }
    if (app_landing_wanted(app->cfg, req)) {
        app_landing_respond(app->cfg, req);
        return;
    }
    call_t *c = calloc(1, sizeof *c);
    if (!c) {
        app_log_internal(req->id, "out of memory for a GraphQL request");
        http_respond(req, 500, gql_media_content_type(GQL_MEDIA_JSON), masked, sizeof masked - 1);
        return;
    }
    c->req = req;
    c->app = app;
    c->aw = http_worker_data(req->worker);
    c->ctx = (app_exec_ctx_t){.app = app, .aw = c->aw, .request_id = req->id};
    app_viewer_from_http(&c->ctx, req);
    facet_arena_init(&c->arena, 64u * 1024 * 1024);
    facet_buf_init(&c->body, 0);
    const http_header_t *ct = http_find_header(&req->head, FACET_STR_LIT("Content-Type"));
    const http_header_t *accept = http_find_header(&req->head, FACET_STR_LIT("Accept"));
    gql_http_input_t in = {
        .method = req->head.method,
        .query_string = req->head.query,
        .content_type = ct ? ct->value : FACET_STR_NULL,
        .accept = accept ? accept->value : FACET_STR_NULL,
        .preflight_header = has_header(req, "apollo-require-preflight") ||
                            has_header(req, "x-apollo-operation-name"),
        .body = req->body.base,
        .body_len = req->body.len,
    };
    gql_http_error_t e;
    if (gql_http_parse(&c->arena, &in, &app->graphql.http, &c->in, &e) != FACET_OK) {
        respond_refusal(req, c->in.media, &e);
        facet_arena_free(&c->arena);
        facet_buf_free(&c->body);
        free(c);
        return;
    }
    if (c->in.batch)
        facet_buf_append(&c->body, "[", 1);
    run_next(c);
}
