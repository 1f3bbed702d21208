/* JSON-lines logger: level filter, field builders, one locked write a line. */
#include "core/log.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "core/error.h"

static _Atomic int min_level = FACET_LOG_INFO;
static int out_fd = 1;
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *level_names[] = {"debug", "info", "warn", "error"};

int facet_log_parse_level(const char *name, facet_log_level_t *out)
{
    for (int i = 0; i < 4; i++) {
        if (strcmp(name, level_names[i]) == 0) {
            *out = (facet_log_level_t)i;
            return FACET_OK;
        }
    }
    return FACET_EINVAL;
}

void facet_log_set_level(facet_log_level_t level)
{
    atomic_store(&min_level, (int)level);
}

bool facet_log_enabled(facet_log_level_t level)
{
    return (int)level >= atomic_load(&min_level);
}

void facet_log_set_fd(int fd)
{
    out_fd = fd;
}

bool facet_log_begin(facet_log_line_t *line, facet_log_level_t level, const char *msg)
{
    line->active = false;
    facet_buf_init(&line->buf, 64 * 1024);
    if (!facet_log_enabled(level))
        return false;
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    gmtime_r(&tv.tv_sec, &tm);
    char ts[40];
    size_t n = strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(ts + n, sizeof ts - n, ".%03dZ", (int)(tv.tv_usec / 1000));
    line->active = true;
    if (facet_buf_printf(&line->buf, "{\"time\":\"%s\",\"level\":\"%s\"", ts, level_names[level]))
        line->active = false;
    facet_log_cstr(line, "msg", msg);
    return line->active;
}

void facet_log_str(facet_log_line_t *line, const char *key, facet_str_t value)
{
    if (!line->active)
        return;
    if (facet_buf_printf(&line->buf, ",\"%s\":\"", key) ||
        facet_buf_append_json_escaped(&line->buf, value.base, value.len) ||
        facet_buf_append(&line->buf, "\"", 1))
        line->active = false;
}

void facet_log_cstr(facet_log_line_t *line, const char *key, const char *value)
{
    facet_log_str(line, key, facet_str_c(value ? value : ""));
}

void facet_log_int(facet_log_line_t *line, const char *key, int64_t value)
{
    if (!line->active)
        return;
    if (facet_buf_printf(&line->buf, ",\"%s\":%" PRId64, key, value))
        line->active = false;
}

void facet_log_end(facet_log_line_t *line)
{
    if (line->active && facet_buf_append(&line->buf, "}\n", 2) == FACET_OK) {
        pthread_mutex_lock(&write_lock);
        const char *p = line->buf.base;
        size_t left = line->buf.len;
        while (left > 0) {
            ssize_t w = write(out_fd, p, left);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                break;
            p += w;
            left -= (size_t)w;
        }
        pthread_mutex_unlock(&write_lock);
    }
    line->active = false;
    facet_buf_free(&line->buf);
}

void facet_log_msg(facet_log_level_t level, const char *msg)
{
    facet_log_line_t line;
    facet_log_begin(&line, level, msg);
    facet_log_end(&line);
}

void facet_log_kv(facet_log_level_t level, const char *msg, const char *key, const char *value)
{
    facet_log_line_t line;
    if (facet_log_begin(&line, level, msg))
        facet_log_cstr(&line, key, value);
    facet_log_end(&line);
}
