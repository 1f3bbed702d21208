/* Tests for cache/ratelimit.h against a real Valkey (VALKEY_URL); the tests
 * that need it say "skipped" and pass when it is not set. Keys carry the
 * process id so that runs never see each other's counters. */
#include <unistd.h>

#include "cache/ratelimit.h"
#include "core/error.h"
#include "core/log.h"
#include "test.h"

typedef struct outcome {
    int calls;
    int status;
    bool has_result;
    cache_ratelimit_result_t r;
} outcome_t;

typedef struct reply {
    int calls;
    int status;
    long long integer;
    int type;
} reply_t;

#define RUN_UNTIL(loop, cond)                              \
    for (int spin_ = 0; spin_ < 300 && !(cond); spin_++) { \
        uv_run((loop), UV_RUN_NOWAIT);                     \
        usleep(5000);                                      \
    }

static uv_loop_t loop;
static cache_valkey_t *vk;
static char key[128];

static void connect_or_skip(const char *name)
{
    const char *url = getenv("VALKEY_URL");
    if (!url) {
        printf("skipped: VALKEY_URL not set\n");
        exit(0);
    }
    cache_valkey_addr_t addr;
    char err[256];
    CHECK_EQ_INT(cache_valkey_parse_url(url, &addr, err, sizeof err), FACET_OK);
    facet_log_set_level(FACET_LOG_ERROR);
    uv_loop_init(&loop);
    CHECK_EQ_INT(cache_valkey_new(&loop, &addr, 0, 2000, &vk), FACET_OK);
    RUN_UNTIL(&loop, cache_valkey_connected(vk));
    CHECK(cache_valkey_connected(vk));
    snprintf(key, sizeof key, "facet:test:rl:%d:%s", (int)getpid(), name);
}

static void close_and_drain(void)
{
    cache_valkey_close(vk);
    uv_run(&loop, UV_RUN_DEFAULT);
    CHECK_EQ_INT(uv_loop_close(&loop), 0);
}

static void on_hit(int status, const cache_ratelimit_result_t *r, void *ud)
{
    outcome_t *o = ud;
    o->calls++;
    o->status = status;
    o->has_result = r != NULL;
    if (r)
        o->r = *r;
}

static outcome_t hit(const char *k, const cache_ratelimit_opts_t *opts)
{
    outcome_t o = {0};
    CHECK_EQ_INT(cache_ratelimit_hit(vk, facet_str_c(k), opts, on_hit, &o), FACET_OK);
    RUN_UNTIL(&loop, o.calls);
    CHECK_EQ_INT(o.calls, 1);
    return o;
}

static void on_reply(int status, const redisReply *reply, void *ud)
{
    reply_t *r = ud;
    r->calls++;
    r->status = status;
    r->type = reply ? reply->type : -1;
    r->integer = reply && reply->type == REDIS_REPLY_INTEGER ? reply->integer : -99;
}

static reply_t command(int argc, const char **argv)
{
    reply_t r = {0};
    CHECK_EQ_INT(cache_valkey_command_argv(vk, 2000, argc, argv, NULL, on_reply, &r), FACET_OK);
    RUN_UNTIL(&loop, r.calls);
    CHECK_EQ_INT(r.calls, 1);
    return r;
}

/* Sleeps, then refreshes the loop's clock, whose timers measure deadlines. */
static void sleep_ms(int ms)
{
    usleep((useconds_t)ms * 1000);
    uv_update_time(&loop);
}

#define EXPECT_ALLOWED(o, rem)                \
    do {                                      \
        outcome_t o_ = (o);                   \
        CHECK_EQ_INT(o_.status, FACET_OK);    \
        CHECK(o_.r.allowed);                  \
        CHECK_EQ_INT(o_.r.remaining, rem);    \
        CHECK_EQ_INT(o_.r.retry_after_ms, 0); \
    } while (0)

/* Refused with a retry-after hint in [lo, hi]; returns the hint. */
static uint64_t expect_refused(outcome_t o, uint64_t lo, uint64_t hi, int line)
{
    if (o.status != FACET_OK || o.r.allowed || o.r.remaining != 0 || o.r.retry_after_ms < lo ||
        o.r.retry_after_ms > hi) {
        fprintf(stderr,
                "line %d: status %d allowed %d remaining %u retry %llu, expected [%llu, %llu]\n",
                line, o.status, o.r.allowed, o.r.remaining, (unsigned long long)o.r.retry_after_ms,
                (unsigned long long)lo, (unsigned long long)hi);
        exit(1);
    }
    return o.r.retry_after_ms;
}
#define EXPECT_REFUSED(o, lo, hi) expect_refused(o, lo, hi, __LINE__)

TEST(limit_then_lockout_not_extended_by_more_attempts)
{
    connect_or_skip("lockout");
    cache_ratelimit_opts_t o = {.limit = 3, .window_ms = 2000, .lockout_ms = 5000};
    EXPECT_ALLOWED(hit(key, &o), 2);
    EXPECT_ALLOWED(hit(key, &o), 1);
    EXPECT_ALLOWED(hit(key, &o), 0);
    uint64_t first = EXPECT_REFUSED(hit(key, &o), 4500, 5000);
    sleep_ms(50);
    uint64_t later = EXPECT_REFUSED(hit(key, &o), 1, 5000);
    CHECK(later < first);
    /* Past the window but inside the lockout: still refused. */
    sleep_ms(2100);
    EXPECT_REFUSED(hit(key, &o), 1, 3000);
    close_and_drain();
}

TEST(without_lockout_refused_until_window_ends)
{
    connect_or_skip("window");
    cache_ratelimit_opts_t o = {.limit = 1, .window_ms = 400};
    EXPECT_ALLOWED(hit(key, &o), 0);
    EXPECT_REFUSED(hit(key, &o), 1, 400);
    sleep_ms(450);
    EXPECT_ALLOWED(hit(key, &o), 0);
    close_and_drain();
}

TEST(lockout_shorter_than_window_keeps_window)
{
    connect_or_skip("short-lockout");
    cache_ratelimit_opts_t o = {.limit = 1, .window_ms = 10000, .lockout_ms = 100};
    EXPECT_ALLOWED(hit(key, &o), 0);
    EXPECT_REFUSED(hit(key, &o), 9000, 10000);
    close_and_drain();
}

static void on_reset(int status, void *ud)
{
    *(int *)ud = status == FACET_OK ? 1 : 2;
}

TEST(reset_ends_lockout)
{
    connect_or_skip("reset");
    cache_ratelimit_opts_t o = {.limit = 2, .window_ms = 60000, .lockout_ms = 60000};
    hit(key, &o);
    hit(key, &o);
    EXPECT_REFUSED(hit(key, &o), 59000, 60000);
    int done = 0;
    CHECK_EQ_INT(cache_ratelimit_reset(vk, facet_str_c(key), 0, on_reset, &done), FACET_OK);
    RUN_UNTIL(&loop, done);
    CHECK_EQ_INT(done, 1);
    EXPECT_ALLOWED(hit(key, &o), 1);
    /* A reset without a callback, of a key that does not exist. */
    CHECK_EQ_INT(cache_ratelimit_reset(vk, FACET_STR_LIT("facet:test:rl:none"), 0, NULL, NULL),
                 FACET_OK);
    const char *ping[] = {"PING"};
    command(1, ping);
    close_and_drain();
}

TEST(keys_are_independent)
{
    connect_or_skip("a");
    char other[160];
    snprintf(other, sizeof other, "%s:b", key);
    cache_ratelimit_opts_t o = {.limit = 1, .window_ms = 60000, .lockout_ms = 1000};
    EXPECT_ALLOWED(hit(key, &o), 0);
    EXPECT_REFUSED(hit(key, &o), 1, 60000);
    EXPECT_ALLOWED(hit(other, &o), 0);
    close_and_drain();
}

TEST(script_cache_flush_falls_back_to_eval)
{
    connect_or_skip("noscript");
    cache_ratelimit_opts_t o = {.limit = 5, .window_ms = 60000};
    EXPECT_ALLOWED(hit(key, &o), 4);
    const char *flush[] = {"SCRIPT", "FLUSH"};
    CHECK_EQ_INT(command(2, flush).status, FACET_OK);
    EXPECT_ALLOWED(hit(key, &o), 3);
    /* EVAL cached the script again: EVALSHA works once more. */
    EXPECT_ALLOWED(hit(key, &o), 2);
    close_and_drain();
}

TEST(counter_without_ttl_gets_one)
{
    connect_or_skip("no-ttl");
    const char *set[] = {"SET", key, "7"};
    CHECK_EQ_INT(command(3, set).status, FACET_OK);
    cache_ratelimit_opts_t o = {.limit = 3, .window_ms = 5000};
    EXPECT_REFUSED(hit(key, &o), 4000, 5000);
    const char *pttl[] = {"PTTL", key};
    reply_t t = command(2, pttl);
    CHECK(t.integer > 0 && t.integer <= 5000);
    close_and_drain();
}

TEST(wrong_type_is_an_error)
{
    connect_or_skip("wrong-type");
    const char *hset[] = {"HSET", key, "f", "v"};
    CHECK_EQ_INT(command(4, hset).status, FACET_OK);
    cache_ratelimit_opts_t o = {.limit = 3, .window_ms = 5000};
    outcome_t r = hit(key, &o);
    CHECK_EQ_INT(r.status, FACET_EIO);
    CHECK(!r.has_result);
    const char *del[] = {"DEL", key};
    command(2, del);
    close_and_drain();
}

TEST(concurrent_hits_count_exactly)
{
    connect_or_skip("burst");
    cache_ratelimit_opts_t o = {.limit = 10, .window_ms = 60000, .lockout_ms = 60000};
    outcome_t out[40];
    memset(out, 0, sizeof out);
    for (int i = 0; i < 40; i++)
        CHECK_EQ_INT(cache_ratelimit_hit(vk, facet_str_c(key), &o, on_hit, &out[i]), FACET_OK);
    int done = 0;
    for (int spin = 0; spin < 400 && done < 40; spin++) {
        uv_run(&loop, UV_RUN_NOWAIT);
        usleep(5000);
        done = 0;
        for (int i = 0; i < 40; i++)
            done += out[i].calls;
    }
    int allowed = 0;
    for (int i = 0; i < 40; i++) {
        CHECK_EQ_INT(out[i].status, FACET_OK);
        allowed += out[i].r.allowed;
    }
    CHECK_EQ_INT(allowed, 10);
    close_and_drain();
}

TEST(refused_without_callback_when_disconnected_or_invalid)
{
    /* Checked before any I/O: no connection needed. */
    cache_ratelimit_opts_t good = {.limit = 1, .window_ms = 1000};
    cache_ratelimit_opts_t zero_limit = {.limit = 0, .window_ms = 1000};
    cache_ratelimit_opts_t zero_window = {.limit = 1, .window_ms = 0};
    cache_ratelimit_opts_t huge = {.limit = 1, .window_ms = UINT64_MAX};
    outcome_t o = {0};
    CHECK_EQ_INT(cache_ratelimit_hit(NULL, FACET_STR_LIT("k"), &zero_limit, on_hit, &o),
                 FACET_EINVAL);
    CHECK_EQ_INT(cache_ratelimit_hit(NULL, FACET_STR_LIT("k"), &zero_window, on_hit, &o),
                 FACET_EINVAL);
    CHECK_EQ_INT(cache_ratelimit_hit(NULL, FACET_STR_LIT("k"), &huge, on_hit, &o), FACET_EINVAL);
    CHECK_EQ_INT(cache_ratelimit_hit(NULL, FACET_STR_LIT(""), &good, on_hit, &o), FACET_EINVAL);
    char big[CACHE_RATELIMIT_KEY_MAX + 1];
    memset(big, 'k', sizeof big);
    CHECK_EQ_INT(cache_ratelimit_hit(NULL, facet_str(big, sizeof big), &good, on_hit, &o),
                 FACET_EINVAL);
    CHECK_EQ_INT(cache_ratelimit_reset(NULL, FACET_STR_NULL, 0, NULL, NULL), FACET_EINVAL);
    CHECK_EQ_INT(o.calls, 0);

    /* A client that never connected (nothing listens on port 9). */
    uv_loop_t l;
    uv_loop_init(&l);
    cache_valkey_addr_t addr;
    char err[128];
    CHECK_EQ_INT(cache_valkey_parse_url("redis://127.0.0.1:9", &addr, err, sizeof err), FACET_OK);
    facet_log_set_level(FACET_LOG_ERROR);
    cache_valkey_t *down;
    CHECK_EQ_INT(cache_valkey_new(&l, &addr, 0, 100, &down), FACET_OK);
    CHECK_EQ_INT(cache_ratelimit_hit(down, FACET_STR_LIT("k"), &good, on_hit, &o), FACET_ECLOSED);
    CHECK_EQ_INT(o.calls, 0);
    cache_valkey_close(down);
    uv_run(&l, UV_RUN_DEFAULT);
    CHECK_EQ_INT(uv_loop_close(&l), 0);
}

TEST(key_names)
{
    facet_buf_t b;
    facet_buf_init(&b, 0);
    CHECK_EQ_INT(cache_ratelimit_key(&b, "signin:addr", FACET_STR_LIT("203.0.113.7"), false),
                 FACET_OK);
    CHECK_SLICE(facet_str(b.base, b.len), "facet:rl:signin:addr:203.0.113.7");
    facet_buf_reset(&b);
    CHECK_EQ_INT(cache_ratelimit_key(&b, "signin:acct", FACET_STR_LIT("alice@example.com"), true),
                 FACET_OK);
    CHECK_SLICE(facet_str(b.base, b.len),
                "facet:rl:signin:acct:"
                "ff8d9819fc0e12bf0d24892e45987e249a28dce836a85cad60e28eaaa8c6d976");
    facet_buf_free(&b);
    facet_buf_t small;
    facet_buf_init(&small, 30);
    CHECK_EQ_INT(cache_ratelimit_key(&small, "signin:acct", FACET_STR_LIT("a@b"), true),
                 FACET_ELIMIT);
    CHECK_EQ_INT(small.len, 0);
    facet_buf_free(&small);
}
