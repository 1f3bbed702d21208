/* Helpers for the queue tests that need Valkey: the address from VALKEY_URL
 * (a test that finds it unset prints "skipped" and passes), a fresh queue
 * name per test, a synchronous hiredis client to inspect what the scripts
 * wrote, and running a loop until a condition holds. Header-only: each
 * test_queue_*.c is its own executable. */
#ifndef FACET_TEST_QUEUE_UTIL_H
#define FACET_TEST_QUEUE_UTIL_H

#include <hiredis/hiredis.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "cache/valkey.h"
#include "core/error.h"
#include "queue/conn.h"
#include "queue/queue.h"
#include "test.h"

/* Fills addr from VALKEY_URL; false (and a "skipped" line) when unset. */
static inline bool tq_valkey(cache_valkey_addr_t *addr)
{
    const char *url = getenv("VALKEY_URL");
    if (!url || !url[0]) {
        printf("skipped: VALKEY_URL not set\n");
        return false;
    }
    char err[256];
    if (cache_valkey_parse_url(url, addr, err, sizeof err) != FACET_OK) {
        fprintf(stderr, "%s\n", err);
        exit(1);
    }
    return true;
}

#define TQ_REQUIRE_VALKEY(addr) \
    cache_valkey_addr_t addr;   \
    do {                        \
        if (!tq_valkey(&addr))  \
            return;             \
    } while (0)

/* A queue name no other test (or run) uses. */
static inline const char *tq_queue_name(const char *what)
{
    static char name[96];
    snprintf(name, sizeof name, "facet-test-%s-%d-%ld", what, (int)getpid(), (long)random());
    return name;
}

static inline redisContext *tq_sync(const cache_valkey_addr_t *addr)
{
    redisContext *c = redisConnect(addr->host, addr->port);
    CHECK(c && !c->err);
    if (addr->password[0]) {
        redisReply *r = redisCommand(c, "AUTH %s", addr->password);
        freeReplyObject(r);
    }
    return c;
}

/* Runs a command and returns the reply (caller frees). */
static inline redisReply *tq_cmd(redisContext *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    redisReply *r = redisvCommand(c, fmt, ap);
    va_end(ap);
    CHECK(r != NULL);
    return r;
}

static inline long long tq_int(redisContext *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    redisReply *r = redisvCommand(c, fmt, ap);
    va_end(ap);
    CHECK(r != NULL);
    long long v = r->type == REDIS_REPLY_INTEGER  ? r->integer
                  : r->type == REDIS_REPLY_STRING ? atoll(r->str)
                                                  : -1;
    freeReplyObject(r);
    return v;
}

/* A string reply copied into a static buffer ("(nil)" for nil). */
static inline const char *tq_str(redisContext *c, const char *fmt, ...)
{
    static char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    redisReply *r = redisvCommand(c, fmt, ap);
    va_end(ap);
    CHECK(r != NULL);
    snprintf(buf, sizeof buf, "%s", r->type == REDIS_REPLY_STRING ? r->str : "(nil)");
    freeReplyObject(r);
    return buf;
}

/* The event names of the queue's events stream, comma-separated. */
static inline const char *tq_events(redisContext *c, const char *queue)
{
    static char buf[8192];
    buf[0] = '\0';
    redisReply *r = tq_cmd(c, "XRANGE bull:%s:events - +", queue);
    for (size_t i = 0; i < r->elements; i++) {
        redisReply *fields = r->element[i]->element[1];
        if (fields->elements >= 2 && strlen(buf) + fields->element[1]->len + 2 < sizeof buf) {
            if (buf[0])
                strcat(buf, ",");
            strcat(buf, fields->element[1]->str);
        }
    }
    freeReplyObject(r);
    return buf;
}

/* Deletes every key of the queue. */
static inline void tq_cleanup(redisContext *c, const char *queue)
{
    redisReply *r = tq_cmd(c, "KEYS bull:%s:*", queue);
    for (size_t i = 0; i < r->elements; i++)
        freeReplyObject(tq_cmd(c, "DEL %s", r->element[i]->str));
    freeReplyObject(r);
}

typedef bool (*tq_cond_fn)(void *ud);

typedef struct tq_wait {
    tq_cond_fn cond;
    void *ud;
    bool met;
    uint64_t deadline;
} tq_wait_t;

static inline void tq_on_tick(uv_timer_t *t)
{
    tq_wait_t *st = t->data;
    if (st->cond && st->cond(st->ud)) {
        st->met = true;
        uv_stop(t->loop);
    } else if (uv_now(t->loop) >= st->deadline) {
        uv_stop(t->loop);
    }
}

/* Runs the loop until cond(ud) holds (true) or timeout_ms passes (false).
 * A NULL cond just runs the loop for timeout_ms. */
static inline bool tq_run_until(uv_loop_t *loop, tq_cond_fn cond, void *ud, uint64_t timeout_ms)
{
    tq_wait_t st = {cond, ud, false, 0};
    uv_update_time(loop);
    st.deadline = uv_now(loop) + timeout_ms;
    uv_timer_t t;
    uv_timer_init(loop, &t);
    t.data = &st;
    uv_timer_start(&t, tq_on_tick, 0, 5);
    uv_run(loop, UV_RUN_DEFAULT);
    uv_close((uv_handle_t *)&t, NULL);
    uv_run(loop, UV_RUN_NOWAIT);
    return st.met;
}

/* Runs the loop until nothing is left and checks it closes cleanly. */
static inline void tq_finish_loop(uv_loop_t *loop)
{
    for (int i = 0; i < 1000 && uv_run(loop, UV_RUN_NOWAIT); i++)
        usleep(2000);
    CHECK_EQ_INT(uv_loop_close(loop), 0);
}

static inline bool tq_conn_up(void *c)
{
    return queue_conn_up(c);
}

/* A connection on loop, waited until up. */
static inline queue_conn_t *tq_conn(uv_loop_t *loop, const cache_valkey_addr_t *addr)
{
    queue_conn_t *c = NULL;
    CHECK_EQ_INT(queue_conn_new(loop, addr, "test", NULL, NULL, &c), FACET_OK);
    CHECK(tq_run_until(loop, tq_conn_up, c, 5000));
    return c;
}

/* Result slot for the producer's callbacks. */
typedef struct tq_result {
    bool done;
    int status;
    char id[256];
    queue_counts_t counts;
} tq_result_t;

static inline void tq_on_add(int status, const char *id, void *ud)
{
    tq_result_t *r = ud;
    r->done = true;
    r->status = status;
    snprintf(r->id, sizeof r->id, "%s", id ? id : "");
}

static inline void tq_on_done(int status, void *ud)
{
    tq_result_t *r = ud;
    r->done = true;
    r->status = status;
}

static inline void tq_on_counts(int status, const queue_counts_t *counts, void *ud)
{
    tq_result_t *r = ud;
    r->done = true;
    r->status = status;
    if (counts)
        r->counts = *counts;
}

static inline bool tq_result_done(void *ud)
{
    return ((tq_result_t *)ud)->done;
}

/* Adds a job and waits for its id (returned in a static buffer). */
static inline const char *tq_add(uv_loop_t *loop, queue_t *q, const char *name, const char *data,
                                 const queue_job_opts_t *opts)
{
    static tq_result_t r;
    memset(&r, 0, sizeof r);
    CHECK_EQ_INT(queue_add(q, name, data, opts, tq_on_add, &r), FACET_OK);
    CHECK(tq_run_until(loop, tq_result_done, &r, 5000));
    CHECK_EQ_INT(r.status, FACET_OK);
    return r.id;
}

static inline queue_counts_t tq_counts(uv_loop_t *loop, queue_t *q)
{
    tq_result_t r = {0};
    CHECK_EQ_INT(queue_counts(q, tq_on_counts, &r), FACET_OK);
    CHECK(tq_run_until(loop, tq_result_done, &r, 5000));
    CHECK_EQ_INT(r.status, FACET_OK);
    return r.counts;
}

#endif
