/* Producer side of the queue: add, counts, pause, limits and job schedulers
 * (see queue.h). Each call formats its script arguments, sends them on the
 * queue's connection and turns the reply into the callback's status. */
#include "queue/queue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "queue/internal.h"

struct queue {
    queue_conn_t *conn;
    queue__keys_t keys;
    char *name;
};

/* One pending call: the callback to run and how to read the reply. */
typedef struct call {
    enum { CALL_ADD, CALL_DONE, CALL_COUNTS, CALL_REMOVE } kind;
    const char *what;
    char *queue; /* for log lines; owned */
    union {
        queue_add_cb add;
        queue_done_cb done;
        queue_counts_cb counts;
    } cb;
    void *ud;
} call_t;

int queue_new(queue_conn_t *conn, const char *prefix, const char *name, queue_t **out)
{
    queue_t *q = calloc(1, sizeof *q);
    if (!q)
        return FACET_ENOMEM;
    int rc = queue__keys_init(&q->keys, prefix ? prefix : "bull", name);
    q->name = rc == FACET_OK ? strdup(name) : NULL;
    if (rc == FACET_OK && !q->name)
        rc = FACET_ENOMEM;
    if (rc != FACET_OK) {
        queue__keys_free(&q->keys);
        free(q);
        return rc;
    }
    q->conn = conn;
    *out = q;
    return FACET_OK;
}

void queue_free(queue_t *q)
{
    if (!q)
        return;
    queue__keys_free(&q->keys);
    free(q->name);
    free(q);
}

queue_conn_t *queue_conn(const queue_t *q)
{
    return q->conn;
}

const queue__keys_t *queue_keys(const queue_t *q)
{
    return &q->keys;
}

/* ---- replies ---- */

static void finish_add(call_t *call, int status, const redisReply *r)
{
    const redisReply *id = r && r->type == REDIS_REPLY_ARRAY ? queue__reply_at(r, 0) : r;
    if (status == FACET_OK && id && id->type == REDIS_REPLY_STRING) {
        char *copy = strndup(id->str, id->len);
        call->cb.add(copy ? FACET_OK : FACET_ENOMEM, copy, call->ud);
        free(copy);
        return;
    }
    if (status == FACET_OK) {
        /* -10: a cron scheduler's next slot is held by another job. */
        status = queue__reply_int(id, 0) == -10 ? FACET_ELIMIT : FACET_EIO;
    }
    call->cb.add(status, NULL, call->ud);
}

static void finish_counts(call_t *call, int status, const redisReply *r)
{
    queue_counts_t c = {0};
    int64_t *slots[] = {&c.waiting, &c.active, &c.delayed, &c.prioritized, &c.completed, &c.failed};
    if (status == FACET_OK) {
        for (size_t i = 0; i < sizeof slots / sizeof slots[0]; i++)
            *slots[i] = queue__reply_int(queue__reply_at(r, i), 0);
    }
    call->cb.counts(status, status == FACET_OK ? &c : NULL, call->ud);
}

static void on_call_reply(queue_conn_t *conn, redisReply *r, void *ud)
{
    call_t *call = ud;
    (void)conn;
    int status = !r ? FACET_ECLOSED : r->type == REDIS_REPLY_ERROR ? FACET_EIO : FACET_OK;
    if (status != FACET_OK)
        queue__log_reply_error(call->what, call->queue, r);
    switch (call->kind) {
    case CALL_ADD:
        finish_add(call, status, r);
        break;
    case CALL_COUNTS:
        finish_counts(call, status, r);
        break;
    case CALL_REMOVE:
        if (status == FACET_OK && queue__reply_int(r, 0) == 0)
            status = FACET_ENOTFOUND;
        /* fall through */
    case CALL_DONE:
        if (call->cb.done)
            call->cb.done(status, call->ud);
        break;
    }
    free(call->queue);
    free(call);
}

static call_t *new_call(queue_t *q, int kind, const char *what, void *cb, void *ud)
{
    call_t *call = calloc(1, sizeof *call);
    if (!call)
        return NULL;
    call->kind = kind;
    call->what = what;
    call->queue = strdup(q->name);
    call->ud = ud;
    if (kind == CALL_ADD)
        call->cb.add = (queue_add_cb)cb;
    else if (kind == CALL_COUNTS)
        call->cb.counts = (queue_counts_cb)cb;
    else
        call->cb.done = (queue_done_cb)cb;
    if (!call->queue) {
        free(call);
        return NULL;
    }
    return call;
}

static int send_script(queue_t *q, queue__script_id_t id, int argc, const char **argv, call_t *call)
{
    if (!call)
        return FACET_ENOMEM;
    int rc = queue_conn_script(q->conn, id, &q->keys, queue_now_ms(), argc, argv, NULL,
                               on_call_reply, call);
    if (rc != FACET_OK) {
        free(call->queue);
        free(call);
    }
    return rc;
}

/* ---- add ---- */

int queue_add(queue_t *q, const char *name, const char *data, const queue_job_opts_t *opts,
              queue_add_cb cb, void *ud)
{
    if (!name || queue__check_opts(opts) != FACET_OK)
        return FACET_EINVAL;
    facet_buf_t json;
    facet_buf_init(&json, 0);
    int rc = queue__opts_json(&json, opts, true, true);
    if (rc == FACET_OK)
        rc = facet_buf_append(&json, "", 1);
    if (rc != FACET_OK) {
        facet_buf_free(&json);
        return rc;
    }
    char delay[24], prio[16];
    snprintf(delay, sizeof delay, "%lld", opts ? (long long)opts->delay_ms : 0LL);
    snprintf(prio, sizeof prio, "%d", opts ? opts->priority : 0);
    const char *argv[] = {opts && opts->job_id ? opts->job_id : "",
                          name,
                          data ? data : "{}",
                          json.base,
                          delay,
                          prio,
                          opts && opts->lifo ? "1" : "0"};
    rc = send_script(q, QUEUE__ADD, 7, argv, new_call(q, CALL_ADD, "add", (void *)cb, ud));
    facet_buf_free(&json);
    return rc;
}

/* ---- counts, pause, limits ---- */

int queue_counts(queue_t *q, queue_counts_cb cb, void *ud)
{
    const char *argv[] = {"wait", "active", "delayed", "prioritized", "completed", "failed"};
    return send_script(q, QUEUE__COUNTS, 6, argv,
                       new_call(q, CALL_COUNTS, "counts", (void *)cb, ud));
}

int queue_pause(queue_t *q, bool pause, queue_done_cb cb, void *ud)
{
    const char *argv[] = {pause ? "paused" : "resumed"};
    return send_script(q, QUEUE__PAUSE, 1, argv, new_call(q, CALL_DONE, "pause", (void *)cb, ud));
}

static int send_command(queue_t *q, int argc, const char **argv, call_t *call)
{
    if (!call)
        return FACET_ENOMEM;
    int rc = queue_conn_command(q->conn, on_call_reply, call, argc, argv, NULL);
    if (rc != FACET_OK) {
        free(call->queue);
        free(call);
    }
    return rc;
}

int queue_set_global_concurrency(queue_t *q, int concurrency, queue_done_cb cb, void *ud)
{
    if (concurrency < 0)
        return FACET_EINVAL;
    char n[16];
    snprintf(n, sizeof n, "%d", concurrency);
    const char *set[] = {"HSET", q->keys.key[QUEUE__K_META], "concurrency", n};
    const char *del[] = {"HDEL", q->keys.key[QUEUE__K_META], "concurrency"};
    return send_command(q, concurrency ? 4 : 3, concurrency ? set : del,
                        new_call(q, CALL_DONE, "concurrency", (void *)cb, ud));
}

int queue_set_global_rate_limit(queue_t *q, int max, int64_t duration_ms, queue_done_cb cb,
                                void *ud)
{
    if (max < 0 || (max > 0 && duration_ms <= 0))
        return FACET_EINVAL;
    char m[16], d[24];
    snprintf(m, sizeof m, "%d", max);
    snprintf(d, sizeof d, "%lld", (long long)duration_ms);
    const char *set[] = {"HSET", q->keys.key[QUEUE__K_META], "max", m, "duration", d};
    const char *del[] = {"HDEL", q->keys.key[QUEUE__K_META], "max", "duration"};
    return send_command(q, max ? 6 : 4, max ? set : del,
                        new_call(q, CALL_DONE, "rate limit", (void *)cb, ud));
}

/* ---- job schedulers ---- */

static int scheduler_args(const queue_scheduler_opts_t *o, int64_t now, char num[5][24])
{
    if ((o->pattern == NULL) == (o->every_ms <= 0) || o->limit < 0 || o->start_ms < 0 ||
        o->end_ms < 0 || queue__check_opts(o->job) != FACET_OK)
        return FACET_EINVAL;
    if (o->end_ms && o->end_ms <= now)
        return FACET_EINVAL;
    int64_t next = 0;
    if (o->pattern) {
        int64_t from = o->start_ms > now ? o->start_ms - 1 : now;
        int rc = queue__cron_next(o->pattern, o->tz, from, &next);
        if (rc != FACET_OK)
            return rc == FACET_ENOTFOUND ? FACET_EINVAL : rc;
    } else if (o->tz && o->tz[0] && queue__cron_next("* * * * *", o->tz, 0, &next) != FACET_OK) {
        return FACET_EINVAL;
    }
    int64_t vals[5] = {o->every_ms, o->limit, o->start_ms, o->end_ms, next};
    for (int i = 0; i < 5; i++) {
        if (vals[i] > 0)
            snprintf(num[i], 24, "%lld", (long long)vals[i]);
        else
            num[i][0] = '\0';
    }
    return FACET_OK;
}

int queue_upsert_scheduler(queue_t *q, const char *id, const char *job_name, const char *data,
                           const queue_scheduler_opts_t *opts, queue_add_cb cb, void *ud)
{
    char num[5][24];
    if (!id || !id[0] || !job_name || !opts ||
        scheduler_args(opts, queue_now_ms(), num) != FACET_OK)
        return FACET_EINVAL;
    facet_buf_t json;
    facet_buf_init(&json, 0);
    int rc = queue__opts_json(&json, opts->job, false, false);
    if (rc == FACET_OK)
        rc = facet_buf_append(&json, "", 1);
    if (rc != FACET_OK) {
        facet_buf_free(&json);
        return rc;
    }
    const char *argv[] = {id,
                          job_name,
                          data ? data : "{}",
                          json.base,
                          opts->pattern ? opts->pattern : "",
                          num[0],
                          opts->tz ? opts->tz : "",
                          num[1],
                          num[2],
                          num[3],
                          num[4]};
    rc = send_script(q, QUEUE__SCHED_UPSERT, 11, argv,
                     new_call(q, CALL_ADD, "upsert scheduler", (void *)cb, ud));
    facet_buf_free(&json);
    return rc;
}

int queue_remove_scheduler(queue_t *q, const char *id, queue_done_cb cb, void *ud)
{
    if (!id || !id[0])
        return FACET_EINVAL;
    const char *argv[] = {id};
    return send_script(q, QUEUE__SCHED_REMOVE, 1, argv,
                       new_call(q, CALL_REMOVE, "remove scheduler", (void *)cb, ud));
}
