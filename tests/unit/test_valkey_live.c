/* Tests of the Valkey connection against a real Valkey (VALKEY_URL, set by
 * scripts/test once the local services run). Without it the tests say so
 * and pass, so a plain `ctest` on a machine without services still works. */
#include <stdlib.h>
#include <unistd.h>

#include "cache/valkey.h"
#include "core/error.h"
#include "core/log.h"
#include "test.h"

typedef struct result {
    int status;
    int type;
    char text[64];
    int calls;
} result_t;

static void on_reply(int status, const redisReply *reply, void *ud)
{
    result_t *r = ud;
    r->calls++;
    r->status = status;
    r->type = reply ? reply->type : -1;
    if (reply && reply->str)
        snprintf(r->text, sizeof r->text, "%s", reply->str);
}

/* Runs the loop until cond holds or about 3 s pass. */
#define RUN_UNTIL(loop, cond)                              \
    for (int spin_ = 0; spin_ < 300 && !(cond); spin_++) { \
        uv_run((loop), UV_RUN_NOWAIT);                     \
        usleep(10000);                                     \
    }

static cache_valkey_t *connect_or_skip(uv_loop_t *loop)
{
    const char *url = getenv("VALKEY_URL");
    if (!url) {
        printf("skipped: VALKEY_URL not set\n");
        exit(0);
    }
    cache_valkey_addr_t addr;
    char err[256];
    CHECK_EQ_INT(cache_valkey_parse_url(url, &addr, err, sizeof err), FACET_OK);
    cache_valkey_t *v;
    facet_log_set_level(FACET_LOG_ERROR);
    CHECK_EQ_INT(cache_valkey_new(loop, &addr, 0, 2000, &v), FACET_OK);
    RUN_UNTIL(loop, cache_valkey_connected(v));
    CHECK(cache_valkey_connected(v));
    return v;
}

static void close_and_drain(uv_loop_t *loop, cache_valkey_t *v)
{
    cache_valkey_close(v);
    uv_run(loop, UV_RUN_DEFAULT);
    CHECK_EQ_INT(uv_loop_close(loop), 0);
}

TEST(set_get_and_error_replies)
{
    uv_loop_t loop;
    uv_loop_init(&loop);
    cache_valkey_t *v = connect_or_skip(&loop);
    const char *set[] = {"SET", "facet:test:key", "value"};
    result_t r = {0};
    CHECK_EQ_INT(cache_valkey_command_argv(v, 2000, 3, set, NULL, on_reply, &r), FACET_OK);
    RUN_UNTIL(&loop, r.calls);
    CHECK(r.calls == 1 && r.status == FACET_OK && r.type == REDIS_REPLY_STATUS);
    const char *get[] = {"GET", "facet:test:key"};
    result_t g = {0};
    CHECK_EQ_INT(cache_valkey_command_argv(v, 2000, 2, get, NULL, on_reply, &g), FACET_OK);
    RUN_UNTIL(&loop, g.calls);
    CHECK(g.status == FACET_OK && g.type == REDIS_REPLY_STRING);
    CHECK_EQ_STR(g.text, "value");
    const char *bad[] = {"NOSUCHCOMMAND"};
    result_t e = {0};
    CHECK_EQ_INT(cache_valkey_command_argv(v, 2000, 1, bad, NULL, on_reply, &e), FACET_OK);
    RUN_UNTIL(&loop, e.calls);
    CHECK(e.status == FACET_EIO && e.type == REDIS_REPLY_ERROR);
    close_and_drain(&loop, v);
}

TEST(timeout_fires_once_and_late_reply_is_dropped)
{
    uv_loop_t loop;
    uv_loop_init(&loop);
    cache_valkey_t *v = connect_or_skip(&loop);
    /* DEBUG SLEEP is disabled on some builds; BLPOP on an empty key blocks. */
    const char *block[] = {"BLPOP", "facet:test:never", "1"};
    result_t r = {0};
    CHECK_EQ_INT(cache_valkey_command_argv(v, 100, 3, block, NULL, on_reply, &r), FACET_OK);
    RUN_UNTIL(&loop, r.calls);
    CHECK(r.calls == 1 && r.status == FACET_ETIMEDOUT);
    /* The real reply arrives about a second later and must not reach us. */
    for (int i = 0; i < 150; i++) {
        uv_run(&loop, UV_RUN_NOWAIT);
        usleep(10000);
    }
    CHECK_EQ_INT(r.calls, 1);
    close_and_drain(&loop, v);
}

static void on_pong(int status, void *ud)
{
    *(int *)ud = status == FACET_OK ? 1 : 2;
}

TEST(ping)
{
    uv_loop_t loop;
    uv_loop_init(&loop);
    cache_valkey_t *v = connect_or_skip(&loop);
    int got = 0;
    CHECK_EQ_INT(cache_valkey_ping(v, 1000, on_pong, &got), FACET_OK);
    RUN_UNTIL(&loop, got);
    CHECK_EQ_INT(got, 1);
    close_and_drain(&loop, v);
}
