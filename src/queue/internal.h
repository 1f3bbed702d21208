/* Helpers shared by the files of src/queue/: job options as BullMQ's opts
 * JSON, cron in a scheduler's time zone, and reading script replies. */
#ifndef FACET_QUEUE_INTERNAL_H
#define FACET_QUEUE_INTERNAL_H

#include <hiredis/hiredis.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "queue/queue.h"

/* Appends the opts JSON BullMQ stores with a job ("attempts" always, the
 * rest when set). include_id and include_delay select job_id and delay. */
int queue__opts_json(facet_buf_t *b, const queue_job_opts_t *o, bool include_id,
                     bool include_delay);

/* Appends a removeOn* value as JSON (true, false or {"count":..,"age":..}). */
int queue__keep_json(facet_buf_t *b, const queue_keep_t *k);

/* Checks options as BullMQ's Job does; on error returns FACET_EINVAL. */
int queue__check_opts(const queue_job_opts_t *o);

/* Next run of a cron pattern after after_ms in time zone tz (NULL or "" for
 * local time; UTC, Etc/UTC, GMT, Z for UTC). FACET_EINVAL for a bad pattern
 * or an unsupported zone, FACET_ENOTFOUND when it never fires. */
int queue__cron_next(const char *pattern, const char *tz, int64_t after_ms, int64_t *out);

/* Integer value of a reply element (integer, or a decimal string); dflt when
 * absent or of another type. */
int64_t queue__reply_int(const redisReply *r, int64_t dflt);

/* The i-th element of an array reply, or NULL. */
const redisReply *queue__reply_at(const redisReply *r, size_t i);

/* Logs a Valkey error reply of a queue script or command at warn level. */
void queue__log_reply_error(const char *what, const char *queue, const redisReply *r);

#endif
