/* Cron pattern parser and next-fire computation (see cron.h). */
#include "queue/cron.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/error.h"

#define MAX_PATTERN 1024
#define MAX_YEARS   8

typedef struct field_spec {
    const char *name;
    int min, max;
    const char *const *names; /* names[i] is value min + i, or NULL */
} field_spec_t;

static const char *const month_names[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL",
                                          "AUG", "SEP", "OCT", "NOV", "DEC", NULL};
static const char *const day_names[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT", NULL};

enum { F_SEC, F_MIN, F_HOUR, F_DOM, F_MON, F_DOW, NFIELDS };

static const field_spec_t specs[NFIELDS] = {
    {"second", 0, 59, NULL},       {"minute", 0, 59, NULL},       {"hour", 0, 23, NULL},
    {"day of month", 1, 31, NULL}, {"month", 1, 12, month_names}, {"day of week", 0, 7, day_names},
};

static const struct {
    const char *alias, *pattern;
} aliases[] = {
    {"@yearly", "0 0 0 1 1 *"},     {"@annually", "0 0 0 1 1 *"}, {"@monthly", "0 0 0 1 * *"},
    {"@weekly", "0 0 0 * * 0"},     {"@daily", "0 0 0 * * *"},    {"@hourly", "0 0 * * * *"},
    {"@minutely", "0 * * * * *"},   {"@secondly", "* * * * * *"}, {"@weekdays", "0 0 0 * * 1-5"},
    {"@weekends", "0 0 0 * * 0,6"},
};

typedef struct parse_ctx {
    char *err;
    size_t errlen;
    const field_spec_t *spec;
} parse_ctx_t;

static int fail(parse_ctx_t *p, const char *why, const char *s, size_t n)
{
    snprintf(p->err, p->errlen, "cron %s: %s in \"%.*s\"", p->spec->name, why,
             (int)(n > 40 ? 40 : n), s);
    return FACET_EINVAL;
}

/* A number or a name; advances *s past it. */
static int parse_value(parse_ctx_t *p, const char **s, const char *end, int *out)
{
    const char *q = *s;
    if (q < end && *q >= '0' && *q <= '9') {
        int v = 0;
        while (q < end && *q >= '0' && *q <= '9' && v < 1000)
            v = v * 10 + (*q++ - '0');
        *out = v;
        *s = q;
        return FACET_OK;
    }
    for (int i = 0; p->spec->names && p->spec->names[i]; i++) {
        if (end - q >= 3 && strncasecmp(q, p->spec->names[i], 3) == 0) {
            *out = p->spec->min + i;
            *s = q + 3;
            return FACET_OK;
        }
    }
    return FACET_EINVAL;
}

static void set_range(uint64_t *bits, int lo, int hi, int step, bool dow)
{
    for (int v = lo; v <= hi; v += step)
        *bits |= 1ull << (dow ? v % 7 : v);
}

/* One list item: "*", "?", "v", "a-b", with an optional "/n". */
static int parse_item(parse_ctx_t *p, const char *s, const char *end, uint64_t *bits)
{
    const field_spec_t *f = p->spec;
    const char *q = s;
    int lo = f->min, hi = f->max, step = 1;
    bool any = q < end && (*q == '*' || *q == '?'), ranged = false;
    if (any) {
        q++;
    } else {
        if (parse_value(p, &q, end, &lo) != FACET_OK)
            return fail(p, "expected a number or a name", s, (size_t)(end - s));
        hi = lo;
        if (q < end && *q == '-') {
            q++;
            ranged = true;
            if (parse_value(p, &q, end, &hi) != FACET_OK)
                return fail(p, "expected the end of a range", s, (size_t)(end - s));
        }
    }
    if (q < end && *q == '/') {
        q++;
        if (parse_value(p, &q, end, &step) != FACET_OK || step <= 0 || step > f->max)
            return fail(p, "invalid step", s, (size_t)(end - s));
        if (!any && !ranged)
            hi = f->max; /* "a/n" runs to the field's maximum */
    }
    if (q != end)
        return fail(p, "unexpected character", s, (size_t)(end - s));
    if (lo < f->min || hi > f->max)
        return fail(p, "value out of range", s, (size_t)(end - s));
    if (lo > hi)
        return fail(p, "range runs backwards", s, (size_t)(end - s));
    set_range(bits, lo, hi, step, f == &specs[F_DOW]);
    return FACET_OK;
}

/* "dL" and "d#k" in day of week, "L" in day of month. Returns 1 when the
 * item was one of these (and is recorded), 0 when it is an ordinary item. */
static int parse_special(parse_ctx_t *p, const char *s, const char *end, queue_cron_t *c,
                         bool whole_field)
{
    size_t n = (size_t)(end - s);
    if (p->spec == &specs[F_DOM] && n == 1 && (*s == 'L' || *s == 'l')) {
        c->dom_last = true;
        return 1;
    }
    if (p->spec != &specs[F_DOW] || n < 2)
        return 0;
    const char *q = s;
    int d;
    if (parse_value(p, &q, end, &d) != FACET_OK || d > 7)
        return 0;
    if (q + 1 == end && (*q == 'L' || *q == 'l')) {
        c->dow_last |= (uint8_t)(1u << (d % 7));
        return 1;
    }
    if (q + 2 == end && *q == '#' && q[1] >= '1' && q[1] <= '5') {
        if (!whole_field)
            return fail(p, "\"#\" must be alone in its field", s, n);
        c->dow |= (uint8_t)(1u << (d % 7));
        c->dow_nth = (uint8_t)(q[1] - '0');
        return 1;
    }
    return 0;
}

static int parse_field(parse_ctx_t *p, const char *s, const char *end, queue_cron_t *c,
                       uint64_t *bits)
{
    bool whole = memchr(s, ',', (size_t)(end - s)) == NULL;
    while (s < end) {
        const char *comma = memchr(s, ',', (size_t)(end - s));
        const char *item_end = comma ? comma : end;
        if (item_end == s)
            return fail(p, "empty list item", s, (size_t)(end - s));
        int special = parse_special(p, s, item_end, c, whole);
        if (special < 0)
            return special;
        if (!special && parse_item(p, s, item_end, bits) != FACET_OK)
            return FACET_EINVAL;
        s = comma ? comma + 1 : end;
        if (comma && s == end)
            return fail(p, "empty list item", comma, 1);
    }
    return FACET_OK;
}

static const char *expand_alias(const char *text, size_t len)
{
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strlen(aliases[i].alias) == len && strncasecmp(text, aliases[i].alias, len) == 0)
            return aliases[i].pattern;
    return NULL;
}

static bool is_space(char ch)
{
    return ch == ' ' || ch == '\t';
}

/* Splits into fields; returns their count (up to 7, to detect excess). */
static int split(const char *s, const char *end, const char *start[7], const char *stop[7])
{
    int n = 0;
    while (s < end) {
        while (s < end && is_space(*s))
            s++;
        if (s == end)
            break;
        if (n == 7)
            return n + 1;
        start[n] = s;
        while (s < end && !is_space(*s))
            s++;
        stop[n++] = s;
    }
    return n;
}

int queue_cron_parse(const char *text, size_t len, queue_cron_t *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    parse_ctx_t p = {err, errlen, &specs[F_SEC]};
    if (len > MAX_PATTERN)
        return fail(&p, "pattern too long", text, len);
    while (len > 0 && is_space(*text))
        text++, len--;
    while (len > 0 && is_space(text[len - 1]))
        len--;
    const char *alias = len && text[0] == '@' ? expand_alias(text, len) : NULL;
    if (alias) {
        text = alias;
        len = strlen(alias);
    }
    const char *start[7], *stop[7];
    int n = split(text, text + len, start, stop);
    if (n < 5 || n > 6) {
        snprintf(err, errlen, "cron: expected 5 or 6 fields, got %d", n);
        return FACET_EINVAL;
    }
    uint64_t bits[NFIELDS] = {1}; /* a 5-field pattern fires at second 0 */
    for (int i = 0, f = n == 6 ? F_SEC : F_MIN; i < n; i++, f++) {
        p.spec = &specs[f];
        bits[f] = 0;
        if (parse_field(&p, start[i], stop[i], out, &bits[f]) != FACET_OK)
            return FACET_EINVAL;
        size_t flen = (size_t)(stop[i] - start[i]);
        bool any = flen == 1 && (start[i][0] == '*' || start[i][0] == '?');
        if (f == F_DOM)
            out->dom_any = any;
        if (f == F_DOW)
            out->dow_any = any;
    }
    out->second = bits[F_SEC];
    out->minute = bits[F_MIN];
    out->hour = (uint32_t)bits[F_HOUR];
    out->dom = (uint32_t)bits[F_DOM];
    out->month = (uint16_t)bits[F_MON];
    out->dow |= (uint8_t)bits[F_DOW];
    return FACET_OK;
}

/* ---- next fire time ---- */

static int days_in_month(int year, int mon1)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return mon1 == 2 && leap ? 29 : days[mon1 - 1];
}

static bool day_matches(const queue_cron_t *c, const struct tm *tm)
{
    int dim = days_in_month(tm->tm_year + 1900, tm->tm_mon + 1);
    bool dom = (c->dom >> tm->tm_mday & 1) || (c->dom_last && tm->tm_mday == dim);
    bool dow =
        (c->dow >> tm->tm_wday & 1) && (c->dow_nth == 0 || (tm->tm_mday - 1) / 7 + 1 == c->dow_nth);
    dow = dow || ((c->dow_last >> tm->tm_wday & 1) && tm->tm_mday + 7 > dim);
    if (!c->dom_any && !c->dow_any)
        return dom || dow;
    if (!c->dom_any)
        return dom;
    if (!c->dow_any)
        return dow;
    return true;
}

/* The lowest set bit at or above from, or -1. */
static int next_bit(uint64_t bits, int from, int max)
{
    for (int i = from; i <= max; i++)
        if (bits >> i & 1)
            return i;
    return -1;
}

static time_t to_time(struct tm *tm, bool utc)
{
    tm->tm_isdst = -1;
    return utc ? timegm(tm) : mktime(tm);
}

static void to_tm(time_t t, bool utc, struct tm *tm)
{
    if (utc)
        gmtime_r(&t, tm);
    else
        localtime_r(&t, tm);
}

/* One step of the search: returns true when t fires, else moves t to the
 * earliest time that could. */
static bool step(const queue_cron_t *c, time_t *t, bool utc)
{
    struct tm tm;
    to_tm(*t, utc, &tm);
    if (!(c->month >> (tm.tm_mon + 1) & 1)) {
        tm.tm_mon++, tm.tm_mday = 1, tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    } else if (!day_matches(c, &tm)) {
        tm.tm_mday++, tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    } else {
        int h = next_bit(c->hour, tm.tm_hour, 23);
        if (h != tm.tm_hour) {
            if (h < 0)
                tm.tm_mday++, h = 0;
            tm.tm_hour = h, tm.tm_min = tm.tm_sec = 0;
        } else {
            int m = next_bit(c->minute, tm.tm_min, 59);
            if (m != tm.tm_min) {
                if (m < 0)
                    tm.tm_hour++, m = 0;
                tm.tm_min = m, tm.tm_sec = 0;
            } else {
                int s = next_bit(c->second, tm.tm_sec, 59);
                if (s == tm.tm_sec)
                    return true;
                if (s < 0)
                    tm.tm_min++, s = 0;
                tm.tm_sec = s;
            }
        }
    }
    time_t next = to_time(&tm, utc);
    /* A local-time gap (daylight saving) can map back; always move on. */
    *t = next > *t ? next : *t + 1;
    return false;
}

int queue_cron_next(const queue_cron_t *c, int64_t after_ms, bool utc, int64_t *out_ms)
{
    int64_t secs = after_ms >= 0 ? after_ms / 1000 : (after_ms - 999) / 1000;
    time_t t = (time_t)(secs + 1);
    time_t limit = t + (time_t)MAX_YEARS * 366 * 86400;
    if (!c->second || !c->minute || !c->hour || !c->month ||
        (!c->dom && !c->dom_last && !c->dow && !c->dow_last))
        return FACET_ENOTFOUND;
    while (t < limit) {
        if (step(c, &t, utc)) {
            *out_ms = (int64_t)t * 1000;
            return FACET_OK;
        }
    }
    return FACET_ENOTFOUND;
}
