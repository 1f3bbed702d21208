/* Cron patterns for job schedulers, read the way BullMQ's cron-parser reads
 * them, and the next time a pattern fires. Pure functions: no I/O, no
 * allocation.
 *
 * Supported:
 *   - 5 fields (minute hour day-of-month month day-of-week) or 6 (a leading
 *     second); with 5 fields the second is 0. Fields are separated by spaces
 *     or tabs.
 *   - "*" and "?" (any), numbers, ranges "a-b", steps "*" "/n", "a/n" (a to the
 *     field's maximum) and "a-b/n", lists "x,y,z" of any of these.
 *   - Month names JAN..DEC and day names SUN..SAT, in any case; day of week
 *     0..7 where both 0 and 7 are Sunday.
 *   - "L" in day of month (the month's last day), "dL" in day of week (the
 *     last weekday d of the month), and "d#k" alone in day of week (the k-th
 *     weekday d of the month, k from 1 to 5).
 *   - @yearly, @annually, @monthly, @weekly, @daily, @hourly, @minutely,
 *     @secondly, @weekdays, @weekends.
 *   - When both day fields are restricted (neither is exactly "*" or "?"), a
 *     day matches when either matches, as in Vixie cron and cron-parser.
 * Not supported: "W", hashed "H" values, "L-n", "LW", a year field, and named
 * time zones (times are computed in UTC or in the process's local zone). */
#ifndef FACET_QUEUE_CRON_H
#define FACET_QUEUE_CRON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct queue_cron {
    uint64_t second; /* bit n: second n matches */
    uint64_t minute;
    uint32_t hour;
    uint32_t dom;     /* bits 1..31 */
    uint16_t month;   /* bits 1..12 */
    uint8_t dow;      /* bits 0..6, 0 = Sunday */
    uint8_t dow_last; /* "dL": bit d */
    uint8_t dow_nth;  /* "d#k": k (1..5), or 0 */
    bool dom_last;    /* "L" in day of month */
    bool dom_any;     /* day of month was "*" or "?" */
    bool dow_any;     /* day of week was "*" or "?" */
} queue_cron_t;

/* Parses a pattern of len bytes (at most 1024). On error returns FACET_EINVAL
 * and writes a message naming the field into err. */
int queue_cron_parse(const char *text, size_t len, queue_cron_t *out, char *err, size_t errlen);

/* The first time strictly after after_ms (at a whole second) at which the
 * pattern fires, in UTC or in local time. Returns FACET_ENOTFOUND when it
 * never fires within the next 8 years (e.g. "0 0 30 2 *"). */
int queue_cron_next(const queue_cron_t *c, int64_t after_ms, bool utc, int64_t *out_ms);

#endif
