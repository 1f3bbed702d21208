/* JSON-lines logging on stdout. Each line is built in a caller-owned
 * facet_log_line_t and written with one write(2) under a lock, so lines from
 * different threads never interleave. Secrets must never be passed here. */
#ifndef FACET_CORE_LOG_H
#define FACET_CORE_LOG_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/str.h"

typedef enum facet_log_level {
    FACET_LOG_DEBUG = 0,
    FACET_LOG_INFO = 1,
    FACET_LOG_WARN = 2,
    FACET_LOG_ERROR = 3,
} facet_log_level_t;

typedef struct facet_log_line {
    facet_buf_t buf;
    bool active;
} facet_log_line_t;

/* Parses "debug", "info", "warn" or "error". Returns FACET_EINVAL otherwise. */
int facet_log_parse_level(const char *name, facet_log_level_t *out);
void facet_log_set_level(facet_log_level_t level);
bool facet_log_enabled(facet_log_level_t level);

/* Redirects output to fd (default 1). For tests. */
void facet_log_set_fd(int fd);

/* Starts a line with time, level and msg. Returns false, and the line stays
 * inactive (every other call on it a no-op), when the level is filtered out
 * or memory runs out. */
bool facet_log_begin(facet_log_line_t *line, facet_log_level_t level, const char *msg);
void facet_log_str(facet_log_line_t *line, const char *key, facet_str_t value);
void facet_log_cstr(facet_log_line_t *line, const char *key, const char *value);
void facet_log_int(facet_log_line_t *line, const char *key, int64_t value);
/* Writes the line and releases its memory. */
void facet_log_end(facet_log_line_t *line);

/* One-shot line with a message and an optional string field. */
void facet_log_msg(facet_log_level_t level, const char *msg);
void facet_log_kv(facet_log_level_t level, const char *msg, const char *key, const char *value);

#endif
