/* Job options as BullMQ's opts JSON, their checks, cron in a time zone and
 * reply helpers (see internal.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/log.h"
#include "queue/cron.h"
#include "queue/internal.h"

int queue__keep_json(facet_buf_t *b, const queue_keep_t *k)
{
    switch (k->mode) {
    case QUEUE_KEEP_ALL:
        return facet_buf_append_str(b, "false");
    case QUEUE_KEEP_NONE:
        return facet_buf_append_str(b, "true");
    case QUEUE_KEEP_LIMIT:
        if (k->count > 0 && k->age_s > 0)
            return facet_buf_printf(b, "{\"count\":%lld,\"age\":%lld}", (long long)k->count,
                                    (long long)k->age_s);
        if (k->age_s > 0)
            return facet_buf_printf(b, "{\"age\":%lld}", (long long)k->age_s);
        return facet_buf_printf(b, "%lld", (long long)k->count);
    default:
        return facet_buf_append_str(b, "null");
    }
}

static int append_backoff(facet_buf_t *b, const queue_job_opts_t *o)
{
    const char *type = o->backoff == QUEUE_BACKOFF_FIXED ? "fixed" : "exponential";
    int rc = facet_buf_printf(b, ",\"backoff\":{\"type\":\"%s\",\"delay\":%lld", type,
                              (long long)o->backoff_delay_ms);
    if (rc == FACET_OK && o->backoff_jitter > 0)
        rc = facet_buf_printf(b, ",\"jitter\":%g", o->backoff_jitter);
    return rc == FACET_OK ? facet_buf_append_str(b, "}") : rc;
}

static int append_keep(facet_buf_t *b, const char *name, const queue_keep_t *k)
{
    if (k->mode == QUEUE_KEEP_UNSET)
        return FACET_OK;
    int rc = facet_buf_printf(b, ",\"%s\":", name);
    return rc == FACET_OK ? queue__keep_json(b, k) : rc;
}

int queue__opts_json(facet_buf_t *b, const queue_job_opts_t *o, bool include_id, bool include_delay)
{
    static const queue_job_opts_t none = {0};
    if (!o)
        o = &none;
    int rc = facet_buf_printf(b, "{\"attempts\":%d", o->attempts);
    if (rc == FACET_OK && include_id && o->job_id) {
        rc = facet_buf_append_str(b, ",\"jobId\":\"");
        if (rc == FACET_OK)
            rc = facet_buf_append_json_escaped(b, o->job_id, strlen(o->job_id));
        if (rc == FACET_OK)
            rc = facet_buf_append_str(b, "\"");
    }
    if (rc == FACET_OK && include_delay && o->delay_ms > 0)
        rc = facet_buf_printf(b, ",\"delay\":%lld", (long long)o->delay_ms);
    if (rc == FACET_OK && o->priority > 0)
        rc = facet_buf_printf(b, ",\"priority\":%d", o->priority);
    if (rc == FACET_OK && o->lifo)
        rc = facet_buf_append_str(b, ",\"lifo\":true");
    if (rc == FACET_OK && o->backoff != QUEUE_BACKOFF_NONE)
        rc = append_backoff(b, o);
    if (rc == FACET_OK)
        rc = append_keep(b, "removeOnComplete", &o->remove_on_complete);
    if (rc == FACET_OK)
        rc = append_keep(b, "removeOnFail", &o->remove_on_fail);
    if (rc == FACET_OK && o->stack_trace_limit > 0)
        rc = facet_buf_printf(b, ",\"stackTraceLimit\":%d", o->stack_trace_limit);
    return rc == FACET_OK ? facet_buf_append_str(b, "}") : rc;
}

static bool is_integer_text(const char *s)
{
    if (*s == '-')
        s++;
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

int queue__check_opts(const queue_job_opts_t *o)
{
    if (!o)
        return FACET_OK;
    if (o->job_id && (!o->job_id[0] || is_integer_text(o->job_id) || strchr(o->job_id, ':')))
        return FACET_EINVAL;
    if (o->priority < 0 || o->priority > QUEUE_PRIORITY_MAX || o->delay_ms < 0 || o->attempts < 0 ||
        o->backoff_delay_ms < 0 || o->backoff_jitter < 0 || o->backoff_jitter > 1 ||
        o->stack_trace_limit < 0)
        return FACET_EINVAL;
    return FACET_OK;
}

int queue__cron_next(const char *pattern, const char *tz, int64_t after_ms, int64_t *out)
{
    bool utc = false;
    if (tz && tz[0]) {
        if (strcmp(tz, "UTC") != 0 && strcmp(tz, "Etc/UTC") != 0 && strcmp(tz, "GMT") != 0 &&
            strcmp(tz, "Etc/GMT") != 0 && strcmp(tz, "Z") != 0)
            return FACET_EINVAL;
        utc = true;
    }
    queue_cron_t cron;
    char err[128];
    if (queue_cron_parse(pattern, strlen(pattern), &cron, err, sizeof err) != FACET_OK)
        return FACET_EINVAL;
    return queue_cron_next(&cron, after_ms, utc, out);
}

int64_t queue__reply_int(const redisReply *r, int64_t dflt)
{
    if (!r)
        return dflt;
    if (r->type == REDIS_REPLY_INTEGER)
        return r->integer;
    if (r->type == REDIS_REPLY_STRING && r->len > 0 && r->len < 24) {
        char tmp[24], *end;
        memcpy(tmp, r->str, r->len);
        tmp[r->len] = '\0';
        long long v = strtoll(tmp, &end, 10);
        return *end == '\0' || *end == '.' ? v : dflt;
    }
    return dflt;
}

const redisReply *queue__reply_at(const redisReply *r, size_t i)
{
    if (!r || r->type != REDIS_REPLY_ARRAY || i >= r->elements)
        return NULL;
    return r->element[i];
}

void queue__log_reply_error(const char *what, const char *queue, const redisReply *r)
{
    facet_log_line_t line;
    if (facet_log_begin(&line, FACET_LOG_WARN, "queue command failed")) {
        facet_log_cstr(&line, "command", what);
        facet_log_cstr(&line, "queue", queue);
        if (r && r->type == REDIS_REPLY_ERROR)
            facet_log_str(&line, "error", facet_str(r->str, r->len));
        else
            facet_log_cstr(&line, "error", r ? "unexpected reply" : "connection lost");
    }
    facet_log_end(&line);
}
