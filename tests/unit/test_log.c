/* Tests for core/log.h: JSON shape, escaping, level filtering. */
#include <unistd.h>

#include "core/error.h"
#include "core/log.h"
#include "test.h"

/* Runs fn with the log pointed at a pipe and returns what it wrote. */
static char *capture(void (*fn)(void))
{
    int fds[2];
    CHECK(pipe(fds) == 0);
    facet_log_set_fd(fds[1]);
    fn();
    close(fds[1]);
    static char out[4096];
    ssize_t n = read(fds[0], out, sizeof out - 1);
    close(fds[0]);
    out[n > 0 ? n : 0] = '\0';
    facet_log_set_fd(1);
    return out;
}

static void write_line(void)
{
    facet_log_line_t line;
    CHECK(facet_log_begin(&line, FACET_LOG_INFO, "request"));
    facet_log_cstr(&line, "path", "/a\"b");
    facet_log_int(&line, "status", 200);
    facet_log_end(&line);
}

TEST(line_is_json_with_fields)
{
    facet_log_set_level(FACET_LOG_INFO);
    char *out = capture(write_line);
    CHECK(strncmp(out, "{\"time\":\"", 9) == 0);
    CHECK(strstr(out, "\"level\":\"info\",\"msg\":\"request\"") != NULL);
    CHECK(strstr(out, "\"path\":\"/a\\\"b\",\"status\":200}\n") != NULL);
}

static void write_filtered(void)
{
    facet_log_msg(FACET_LOG_INFO, "hidden");
    facet_log_kv(FACET_LOG_ERROR, "shown", "k", "v");
}

TEST(level_filter)
{
    facet_log_set_level(FACET_LOG_WARN);
    char *out = capture(write_filtered);
    CHECK(strstr(out, "hidden") == NULL);
    CHECK(strstr(out, "\"msg\":\"shown\",\"k\":\"v\"") != NULL);
}

TEST(parse_level)
{
    facet_log_level_t l;
    CHECK_EQ_INT(facet_log_parse_level("warn", &l), FACET_OK);
    CHECK_EQ_INT(l, FACET_LOG_WARN);
    CHECK_EQ_INT(facet_log_parse_level("WARN", &l), FACET_EINVAL);
    CHECK_EQ_INT(facet_log_parse_level("trace", &l), FACET_EINVAL);
}
