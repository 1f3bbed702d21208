/* Recording activities: the hooks the transports call around a mutation,
 * and the per-loop producer that batches activities into queue jobs. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/activity.h"
#include "app/activity_summary.h"
#include "core/base64.h"
#include "core/error.h"
#include "core/log.h"
#include "gql/json.h"
#include "queue/queue.h"
#include "store/activity.h"
#include "store/doc.h"

#define BATCH_BYTES_MAX (512u * 1024) /* a batch is sent once it holds this much */
#define DROP_LOG_MS     10000         /* at most one drop line per this period */

static atomic_uint_fast64_t stat_queued, stat_dropped;
static atomic_int_fast64_t last_drop_log_ms;

app_activity_stats_t app_activity_stats(void)
{
    return (app_activity_stats_t){atomic_load(&stat_queued), atomic_load(&stat_dropped)};
}

/* Counts lost activities; logs a warning at most once per DROP_LOG_MS. */
static void dropped(int n, const char *why)
{
    uint64_t total = atomic_fetch_add(&stat_dropped, (uint64_t)n) + (uint64_t)n;
    int64_t now = store_now_ms(), last = atomic_load(&last_drop_log_ms);
    if (now - last < DROP_LOG_MS || !atomic_compare_exchange_strong(&last_drop_log_ms, &last, now))
        return;
    facet_log_line_t line;
    if (facet_log_begin(&line, FACET_LOG_WARN, "activities dropped")) {
        facet_log_cstr(&line, "reason", why);
        facet_log_int(&line, "count", n);
        facet_log_int(&line, "dropped_total", (int64_t)total);
    }
    facet_log_end(&line);
}

/* ---- the producer ---- */

struct app_activity_log {
    uv_loop_t *loop;
    queue_conn_t *conn;
    queue_t *queue;
    uv_timer_t timer;  /* flushes a batch that is not full; close deadline */
    facet_buf_t batch; /* activities as JSON, comma-separated */
    int count;
    int pending; /* activities in jobs not acknowledged yet */
    bool closing, closed;
};

int app_activity_log_new(uv_loop_t *loop, const cache_valkey_addr_t *addr, const char *prefix,
                         int index, app_activity_log_t **out)
{
    app_activity_log_t *l = calloc(1, sizeof *l);
    if (!l)
        return FACET_ENOMEM;
    char label[32];
    snprintf(label, sizeof label, "activity-%d", index);
    l->loop = loop;
    facet_buf_init(&l->batch, 0);
    if (queue_conn_new(loop, addr, label, NULL, NULL, &l->conn) != FACET_OK) {
        free(l);
        return FACET_ENOMEM;
    }
    if (queue_new(l->conn, prefix, APP_ACTIVITY_QUEUE, &l->queue) != FACET_OK) {
        queue_conn_close(l->conn);
        free(l);
        return FACET_ENOMEM;
    }
    uv_timer_init(loop, &l->timer);
    l->timer.data = l;
    *out = l;
    return FACET_OK;
}

static void on_timer_closed(uv_handle_t *h)
{
    app_activity_log_t *l = h->data;
    facet_buf_free(&l->batch);
    free(l);
}

static void finish_close(app_activity_log_t *l)
{
    if (l->closed)
        return;
    l->closed = true;
    uv_timer_stop(&l->timer);
    queue_free(l->queue);
    queue_conn_close(l->conn); /* may call on_added (pending jobs) before it returns */
    uv_close((uv_handle_t *)&l->timer, on_timer_closed);
}

typedef struct sent {
    app_activity_log_t *log;
    int n;
} sent_t;

static void on_added(int status, const char *job_id, void *ud)
{
    sent_t *s = ud;
    app_activity_log_t *l = s->log;
    (void)job_id;
    l->pending -= s->n;
    if (status == FACET_OK)
        atomic_fetch_add(&stat_queued, (uint64_t)s->n);
    else
        dropped(s->n,
                status == FACET_ECLOSED ? "Valkey connection lost" : "Valkey refused the job");
    free(s);
    if (l->closing && l->pending == 0 && !l->closed)
        finish_close(l);
}

/* Sends the batch as one job. */
static void flush(app_activity_log_t *l)
{
    if (l->count == 0)
        return;
    int n = l->count;
    l->count = 0;
    facet_buf_t data;
    facet_buf_init(&data, 0);
    int rc = facet_buf_append_str(&data, "{\"activities\":[");
    rc = rc ? rc : facet_buf_append(&data, l->batch.base, l->batch.len);
    rc = rc ? rc : facet_buf_append(&data, "]}", 3); /* with the NUL */
    facet_buf_reset(&l->batch);
    sent_t *s = malloc(sizeof *s);
    if (rc != FACET_OK || !s) {
        free(s);
        facet_buf_free(&data);
        return dropped(n, "out of memory");
    }
    *s = (sent_t){l, n};
    /* A database outage is ridden out by retries; finished jobs are kept
     * for a day (a few thousand at most) for dashboards. */
    queue_job_opts_t o = {
        .attempts = 10,
        .backoff = QUEUE_BACKOFF_EXPONENTIAL,
        .backoff_delay_ms = 2000,
        .remove_on_complete = {QUEUE_KEEP_LIMIT, 1000, 86400},
        .remove_on_fail = {QUEUE_KEEP_LIMIT, 5000, 7 * 86400},
    };
    rc = queue_add(l->queue, APP_ACTIVITY_JOB, data.base, &o, on_added, s);
    facet_buf_free(&data);
    if (rc != FACET_OK) {
        free(s);
        return dropped(n, rc == FACET_ECLOSED ? "Valkey is unavailable" : "the job was refused");
    }
    l->pending += n;
}

static void on_flush_timer(uv_timer_t *t)
{
    app_activity_log_t *l = t->data;
    if (l->closing)
        return finish_close(l); /* the close deadline */
    flush(l);
}

void app_activity_log_close(app_activity_log_t *l, uint64_t wait_ms)
{
    if (!l || l->closing)
        return;
    l->closing = true;
    flush(l);
    if (l->pending == 0)
        return finish_close(l);
    uv_timer_start(&l->timer, on_flush_timer, wait_ms, 0);
}

/* Adds one activity (JSON object text) to the batch. While closing (the
 * last jobs are being acknowledged) it goes out at once; once closed it is
 * lost. */
static void buffer(app_activity_log_t *l, const facet_buf_t *item)
{
    if (l->closed)
        return dropped(1, "shutting down");
    if ((l->count && facet_buf_append(&l->batch, ",", 1) != FACET_OK) ||
        facet_buf_append(&l->batch, item->base, item->len) != FACET_OK)
        return dropped(1, "out of memory");
    if (++l->count >= APP_ACTIVITY_BATCH || l->batch.len >= BATCH_BYTES_MAX || l->closing)
        flush(l);
    else if (l->count == 1)
        uv_timer_start(&l->timer, on_flush_timer, APP_ACTIVITY_FLUSH_MS, 0);
}

/* ---- the hooks ---- */

struct app_activity_op {
    facet_arena_t *arena;
    char id[STORE_ID_SIZE];
    int64_t created_at;
    char label[STORE_ACTIVITY_OPERATION_MAX + 1];
    facet_str_t args; /* JSON text in the arena, or base NULL */
};

void app_activity_begin(app_exec_ctx_t *ctx, facet_arena_t *arena, const gql_ast_document_t *doc,
                        facet_str_t operation_name, const gql_value_t *variables)
{
    ctx->activity = NULL;
    if (!ctx->aw || !ctx->aw->activity_log || !doc)
        return;
    const gql_ast_operation_t *op = app_activity_select(doc, operation_name);
    if (!op || op->operation != GQL_OP_MUTATION)
        return;
    app_activity_op_t *a = FACET_ARENA_NEW(arena, app_activity_op_t);
    if (!a)
        return dropped(1, "out of memory");
    a->arena = arena;
    store_id_new(a->id);
    a->created_at = store_now_ms();
    app_activity_label(doc, op, a->label, sizeof a->label);
    facet_buf_t b;
    facet_buf_init(&b, 0);
    if (app_activity_summarize(doc, op, variables, APP_ACTIVITY_ARGS_CAP, &b) == FACET_OK)
        a->args = facet_arena_strdup(arena, b.base, b.len);
    facet_buf_free(&b);
    ctx->activity = a;
}

/* The user id in an access token we just issued (its "sub"), or "". */
static void token_subject(facet_arena_t *arena, facet_str_t jwt, char out[STORE_ID_SIZE])
{
    const char *dot1 = memchr(jwt.base, '.', jwt.len);
    const char *end = jwt.base + jwt.len;
    const char *dot2 = dot1 ? memchr(dot1 + 1, '.', (size_t)(end - dot1 - 1)) : NULL;
    if (!dot2)
        return;
    facet_buf_t payload;
    facet_buf_init(&payload, 4096);
    gql_value_t *claims;
    if (facet_base64_decode_buf(FACET_BASE64_URL, dot1 + 1, (size_t)(dot2 - dot1 - 1), &payload,
                                NULL, 0) == FACET_OK &&
        gql_json_parse(arena, payload.base, payload.len, 8, &claims, NULL, 0) == FACET_OK) {
        const gql_value_t *sub = gql_value_get(claims, FACET_STR_LIT("sub"));
        if (sub && sub->kind == GQL_V_STRING && sub->u.s.len == STORE_ID_SIZE - 1) {
            memcpy(out, sub->u.s.base, sub->u.s.len);
            out[sub->u.s.len] = '\0';
            if (!store_id_valid(out))
                out[0] = '\0';
        }
    }
    facet_buf_free(&payload);
}

/* For an anonymous caller, the user a successful sign-up or sign-in (any
 * root field answering {user {id}} or {accessToken}) produced. */
static void produced_user(facet_arena_t *arena, const facet_buf_t *response, size_t at,
                          char out[STORE_ID_SIZE])
{
    out[0] = '\0';
    gql_value_t *v;
    if (!response || response->len <= at ||
        gql_json_parse(arena, response->base + at, response->len - at, 64, &v, NULL, 0) != FACET_OK)
        return;
    const gql_value_t *data = gql_value_get(v, FACET_STR_LIT("data"));
    for (size_t i = 0; data && data->kind == GQL_V_OBJECT && i < data->u.obj.n && !out[0]; i++) {
        const gql_value_t *f = data->u.obj.members[i].value;
        const gql_value_t *id =
            gql_value_get(gql_value_get(f, FACET_STR_LIT("user")), FACET_STR_LIT("id"));
        const gql_value_t *token = gql_value_get(f, FACET_STR_LIT("accessToken"));
        if (id && id->kind == GQL_V_STRING && id->u.s.len == STORE_ID_SIZE - 1) {
            memcpy(out, id->u.s.base, id->u.s.len);
            out[id->u.s.len] = '\0';
            if (!store_id_valid(out))
                out[0] = '\0';
        } else if (token && token->kind == GQL_V_STRING) {
            token_subject(arena, token->u.s, out);
        }
    }
}

static void put_opt(facet_buf_t *b, const char *key, const char *value, size_t max)
{
    facet_buf_printf(b, ",\"%s\":", key);
    if (value && *value) {
        size_t len = strlen(value);
        gql_json_write_string(b, value, len < max ? len : max);
    } else {
        facet_buf_append_str(b, "null");
    }
}

/* The activity as the job carries it. */
static void write_item(facet_buf_t *b, const app_activity_op_t *a, const app_exec_ctx_t *ctx,
                       const char *user_id, const char *code)
{
    facet_buf_printf(b, "{\"id\":\"%s\"", a->id);
    put_opt(b, "userId", user_id, STORE_ID_SIZE);
    put_opt(b, "operation", a->label, STORE_ACTIVITY_OPERATION_MAX);
    facet_buf_append_str(b, ",\"args\":");
    if (a->args.base)
        facet_buf_append(b, a->args.base, a->args.len);
    else
        facet_buf_append_str(b, "null");
    put_opt(b, "address", ctx->address, STORE_ACTIVITY_ADDRESS_MAX);
    put_opt(b, "userAgent", ctx->user_agent, STORE_ACTIVITY_USER_AGENT_MAX);
    facet_buf_printf(b, ",\"outcome\":\"%s\"", code ? "error" : "ok");
    put_opt(b, "code", code, STORE_ACTIVITY_CODE_MAX);
    put_opt(b, "requestId", ctx->request_id, STORE_ACTIVITY_REQUEST_ID_MAX);
    facet_buf_printf(b, ",\"createdAt\":%lld}", (long long)a->created_at);
}

void app_activity_end(app_exec_ctx_t *ctx, gql_exec_t *ex, const facet_buf_t *response, size_t at)
{
    app_activity_op_t *a = ctx->activity;
    if (!a)
        return;
    ctx->activity = NULL;
    if (!response) {
        /* Not written (the client went away): the errors are computed by
         * writing it, once. */
        facet_buf_t scratch;
        facet_buf_init(&scratch, 0);
        gql_exec_write(ex, &scratch);
        facet_buf_free(&scratch);
    }
    const gql_error_list_t *errors = gql_exec_errors(ex);
    const char *code = NULL;
    if (errors && errors->head)
        code = errors->head->code ? errors->head->code : GQL_CODE_INTERNAL;
    char user[STORE_ID_SIZE];
    snprintf(user, sizeof user, "%s", ctx->viewer.user_id);
    if (!user[0] && !code)
        produced_user(a->arena, response, at, user);
    facet_buf_t item;
    facet_buf_init(&item, 0);
    write_item(&item, a, ctx, user, code);
    buffer(ctx->aw->activity_log, &item);
    facet_buf_free(&item);
}
