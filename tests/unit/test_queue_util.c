/* Tests of the queue's pure helpers: SHA-1 of scripts, key layout and the
 * opts JSON BullMQ stores with a job. No Valkey needed. */
#include "core/buf.h"
#include "core/error.h"
#include "queue/internal.h"
#include "queue/keys.h"
#include "queue/scripts.h"
#include "queue/sha1.h"
#include "test.h"

TEST(sha1_known_vectors)
{
    char hex[41];
    queue__sha1_hex("", 0, hex);
    CHECK_EQ_STR(hex, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    queue__sha1_hex("abc", 3, hex);
    CHECK_EQ_STR(hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    queue__sha1_hex(two, strlen(two), hex);
    CHECK_EQ_STR(hex, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    char million[1000];
    memset(million, 'a', sizeof million);
    /* 1000 bytes crosses many block boundaries. */
    queue__sha1_hex(million, sizeof million, hex);
    CHECK_EQ_STR(hex, "291e9a6c66994949b57ba5e650361e98fc36b1ba");
}

TEST(functions_are_named_after_the_library)
{
    queue__scripts_init();
    const char *lib = queue__scripts_library();
    CHECK(strncmp(lib, "#!lua name=facetq_", 18) == 0);
    char name[64];
    snprintf(name, sizeof name, "%.23s", lib + 11); /* "facetq_" and 16 digits */
    CHECK_EQ_INT(strlen(name), 23);
    CHECK(strspn(name + 7, "0123456789abcdef") == 16);
    CHECK(strcmp(name + 7, "0000000000000000") != 0);
    for (int i = 0; i < QUEUE__SCRIPT_COUNT; i++) {
        const char *fn = queue__script_function((queue__script_id_t)i);
        CHECK(strncmp(fn, name, 23) == 0);
        CHECK_EQ_STR(fn + 24, queue__script_name((queue__script_id_t)i));
        char reg[96];
        snprintf(reg, sizeof reg, "redis.register_function('%s',", fn);
        CHECK(strstr(lib, reg) != NULL);
    }
    CHECK(strstr(lib, "0000000000000000") == NULL);
}

TEST(keys_follow_bullmq_names)
{
    queue__keys_t k;
    CHECK_EQ_INT(queue__keys_init(&k, "bull", "mail"), FACET_OK);
    CHECK_EQ_STR(k.prefix, "bull:mail:");
    CHECK_EQ_INT(k.prefix_len, 10);
    CHECK_EQ_STR(k.key[QUEUE__K_WAIT], "bull:mail:wait");
    CHECK_EQ_STR(k.key[QUEUE__K_STALLED_CHECK], "bull:mail:stalled-check");
    CHECK_EQ_STR(k.key[QUEUE__K_PC], "bull:mail:pc");
    CHECK_EQ_INT(k.len[QUEUE__K_MARKER], strlen("bull:mail:marker"));
    queue__keys_free(&k);
    CHECK_EQ_INT(queue__keys_init(&k, "bull", "a:b"), FACET_EINVAL);
    CHECK_EQ_INT(queue__keys_init(&k, "", "a"), FACET_EINVAL);
}

static const char *opts_json(const queue_job_opts_t *o)
{
    static char out[512];
    facet_buf_t b;
    facet_buf_init(&b, 0);
    CHECK_EQ_INT(queue__opts_json(&b, o, true, true), FACET_OK);
    snprintf(out, sizeof out, "%.*s", (int)b.len, b.base);
    facet_buf_free(&b);
    return out;
}

TEST(opts_json_is_bullmq_shaped)
{
    CHECK_EQ_STR(opts_json(NULL), "{\"attempts\":0}");
    queue_job_opts_t o = {.job_id = "a\"b",
                          .delay_ms = 5,
                          .priority = 3,
                          .attempts = 2,
                          .backoff = QUEUE_BACKOFF_FIXED,
                          .backoff_delay_ms = 10,
                          .backoff_jitter = 0.5,
                          .remove_on_complete = {QUEUE_KEEP_LIMIT, 100, 0},
                          .remove_on_fail = {QUEUE_KEEP_ALL, 0, 0},
                          .stack_trace_limit = 4};
    CHECK_EQ_STR(opts_json(&o), "{\"attempts\":2,\"jobId\":\"a\\\"b\",\"delay\":5,\"priority\":3,"
                                "\"backoff\":{\"type\":\"fixed\",\"delay\":10,\"jitter\":0.5},"
                                "\"removeOnComplete\":100,\"removeOnFail\":false,"
                                "\"stackTraceLimit\":4}");
    o = (queue_job_opts_t){.remove_on_complete = {QUEUE_KEEP_LIMIT, 0, 60}};
    CHECK_EQ_STR(opts_json(&o), "{\"attempts\":0,\"removeOnComplete\":{\"age\":60}}");
}

TEST(opts_checks)
{
    queue_job_opts_t o = {.job_id = "-12"};
    CHECK_EQ_INT(queue__check_opts(&o), FACET_EINVAL);
    o.job_id = "12a";
    CHECK_EQ_INT(queue__check_opts(&o), FACET_OK);
    o.job_id = "";
    CHECK_EQ_INT(queue__check_opts(&o), FACET_EINVAL);
    o = (queue_job_opts_t){.backoff_jitter = 1.5};
    CHECK_EQ_INT(queue__check_opts(&o), FACET_EINVAL);
    o = (queue_job_opts_t){.priority = QUEUE_PRIORITY_MAX};
    CHECK_EQ_INT(queue__check_opts(&o), FACET_OK);
    CHECK_EQ_INT(queue__check_opts(NULL), FACET_OK);
}

TEST(cron_time_zones)
{
    int64_t at;
    CHECK_EQ_INT(queue__cron_next("0 0 * * *", "UTC", 0, &at), FACET_OK);
    CHECK_EQ_INT(at, 86400000);
    CHECK_EQ_INT(queue__cron_next("0 0 * * *", "Etc/UTC", 0, &at), FACET_OK);
    CHECK_EQ_INT(queue__cron_next("0 0 * * *", "America/New_York", 0, &at), FACET_EINVAL);
    CHECK_EQ_INT(queue__cron_next("bad", NULL, 0, &at), FACET_EINVAL);
}
