/* "Did you mean ...?" suggestions, as graphql-js makes them: options
 * within a lexical distance of 40% of the input's length (case changes
 * count as one edit, transpositions as one), closest first, ties in
 * natural order, at most five named. */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/str.h"
#include "gql/schema_internal.h"

#define MAX_SUGGESTIONS 5
#define MAX_NAME        1024 /* longer names are never suggested */

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static size_t min3(size_t a, size_t b, size_t c)
{
    size_t m = a < b ? a : b;
    return m < c ? m : c;
}

/* Optimal string alignment distance, or SIZE_MAX when above threshold. */
static size_t distance(facet_str_t input, facet_str_t option, size_t threshold)
{
    if (facet_str_eq(input, option))
        return 0;
    if (facet_str_ieq(input, option))
        return 1;
    facet_str_t a = option, b = input;
    if (a.len < b.len) {
        a = input;
        b = option;
    }
    if (a.len - b.len > threshold || b.len >= MAX_NAME)
        return SIZE_MAX;
    size_t rows[3][MAX_NAME + 1];
    for (size_t j = 0; j <= b.len; j++)
        rows[0][j] = j;
    for (size_t i = 1; i <= a.len; i++) {
        size_t *up = rows[(i - 1) % 3], *cur = rows[i % 3];
        size_t smallest = cur[0] = i;
        for (size_t j = 1; j <= b.len; j++) {
            size_t cost = lower(a.base[i - 1]) == lower(b.base[j - 1]) ? 0 : 1;
            size_t cell = min3(up[j] + 1, cur[j - 1] + 1, up[j - 1] + cost);
            if (i > 1 && j > 1 && lower(a.base[i - 1]) == lower(b.base[j - 2]) &&
                lower(a.base[i - 2]) == lower(b.base[j - 1])) {
                size_t dd = rows[(i - 2) % 3][j - 2] + 1;
                cell = cell < dd ? cell : dd;
            }
            smallest = cell < smallest ? cell : smallest;
            cur[j] = cell;
        }
        if (smallest > threshold)
            return SIZE_MAX;
    }
    size_t d = rows[a.len % 3][b.len];
    return d <= threshold ? d : SIZE_MAX;
}

static bool is_digit(facet_str_t s, size_t i)
{
    return i < s.len && s.base[i] >= '0' && s.base[i] <= '9';
}

/* graphql-js' naturalCompare: runs of digits compare as numbers. */
static int natural_compare(facet_str_t a, facet_str_t b)
{
    size_t ai = 0, bi = 0;
    while (ai < a.len && bi < b.len) {
        if (is_digit(a, ai) && is_digit(b, bi)) {
            /* As graphql-js does, a run stops after a leading zero. */
            double an = 0, bn = 0;
            do {
                an = an * 10 + (a.base[ai++] - '0');
            } while (is_digit(a, ai) && an > 0);
            do {
                bn = bn * 10 + (b.base[bi++] - '0');
            } while (is_digit(b, bi) && bn > 0);
            if (an != bn)
                return an < bn ? -1 : 1;
        } else {
            unsigned char ac = (unsigned char)a.base[ai], bc = (unsigned char)b.base[bi];
            if (ac != bc)
                return ac < bc ? -1 : 1;
            ai++;
            bi++;
        }
    }
    return (int)((long)a.len - (long)b.len);
}

typedef struct scored {
    facet_str_t name;
    size_t dist;
} scored_t;

static bool before(const scored_t *x, const scored_t *y)
{
    if (x->dist != y->dist)
        return x->dist < y->dist;
    return natural_compare(x->name, y->name) < 0;
}

size_t gql__suggest(facet_str_t input, const facet_str_t *options, size_t noptions,
                    facet_str_t *out, size_t max)
{
    size_t threshold = (size_t)((double)input.len * 0.4) + 1;
    /* Keep the best max candidates by insertion into a sorted window;
     * duplicates among the options count once. */
    scored_t best[16];
    size_t nbest = 0, cap = max < 16 ? max : 16;
    for (size_t i = 0; i < noptions; i++) {
        size_t d = distance(input, options[i], threshold);
        if (d == SIZE_MAX)
            continue;
        bool dup = false;
        for (size_t j = 0; j < nbest && !dup; j++)
            dup = facet_str_eq(best[j].name, options[i]);
        if (dup)
            continue;
        scored_t c = {options[i], d};
        size_t pos = nbest;
        while (pos > 0 && before(&c, &best[pos - 1]))
            pos--;
        if (pos >= cap)
            continue;
        size_t keep = nbest < cap ? nbest : cap - 1;
        memmove(&best[pos + 1], &best[pos], (keep - pos) * sizeof best[0]);
        best[pos] = c;
        nbest = keep + 1;
    }
    for (size_t i = 0; i < nbest; i++)
        out[i] = best[i].name;
    return nbest;
}

int gql__did_you_mean(facet_buf_t *buf, const facet_str_t *s, size_t n)
{
    if (n == 0)
        return FACET_OK;
    if (n > MAX_SUGGESTIONS)
        n = MAX_SUGGESTIONS;
    int rc = facet_buf_append_str(buf, " Did you mean ");
    for (size_t i = 0; i < n && !rc; i++) {
        const char *sep = i == 0 ? "" : n == 2 ? " or " : i + 1 == n ? ", or " : ", ";
        rc = facet_buf_printf(buf, "%s\"%.*s\"", sep, (int)s[i].len, s[i].base);
    }
    return rc ? rc : facet_buf_append(buf, "?", 1);
}
