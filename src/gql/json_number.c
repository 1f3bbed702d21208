/* Number to text exactly as JavaScript's Number.prototype.toString does it
 * (ECMA-262 Number::toString with radix 10): the shortest decimal digits
 * that read back as the same double, the closest such digits when several
 * qualify, then plain or exponent notation by the decimal exponent. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "gql/json.h"

/* Digits and exponent of a decimal: value = 0.DIGITS x 10^point. */
typedef struct decimal {
    char digits[24];
    int k;     /* number of digits */
    int point; /* position of the decimal point */
} decimal_t;

/* The k-digit decimal closest to a (a > 0), correctly rounded by printf. */
static void closest(double a, int k, decimal_t *d)
{
    char tmp[40];
    snprintf(tmp, sizeof tmp, "%.*e", k - 1, a);
    int n = 0;
    char *p = tmp;
    for (; *p && *p != 'e'; p++)
        if (*p != '.')
            d->digits[n++] = *p;
    d->digits[n] = '\0';
    d->k = n;
    d->point = atoi(p + 1) + 1;
}

static bool reads_back(const decimal_t *d, double a)
{
    char tmp[48];
    snprintf(tmp, sizeof tmp, "0.%se%d", d->digits, d->point);
    return strtod(tmp, NULL) == a;
}

/* Moves d one unit in its last digit up (+1) or down (-1), keeping k. */
static void step(decimal_t *d, int dir)
{
    int i = d->k - 1;
    if (dir > 0) {
        while (i >= 0 && d->digits[i] == '9')
            d->digits[i--] = '0';
        if (i >= 0) {
            d->digits[i]++;
        } else {
            d->digits[0] = '1';
            d->point++;
        }
    } else {
        while (i >= 0 && d->digits[i] == '0')
            d->digits[i--] = '9';
        d->digits[i]--;
        if (d->digits[0] == '0') {
            memmove(d->digits, d->digits + 1, (size_t)d->k);
            d->digits[d->k - 1] = '9';
            d->point--;
        }
    }
}

/* Finds a k-digit decimal that reads back as a. The closest one fails only
 * when a sits next to a power of two, where the gap below a is half the gap
 * above; then the neighbour on the other side of a may still read back, and
 * it is the only k-digit candidate. Trying it makes success monotonic in k:
 * if k digits work, so do k + 1. */
static bool digits_for(double a, int k, decimal_t *d)
{
    closest(a, k, d);
    if (reads_back(d, a))
        return true;
    for (int dir = -1; dir <= 1; dir += 2) {
        decimal_t n = *d;
        step(&n, dir);
        if (reads_back(&n, a)) {
            *d = n;
            return true;
        }
    }
    return false;
}

/* Shortest digits for a > 0, by bisection on the digit count (17 always
 * suffice for a double). */
static void shortest(double a, decimal_t *d)
{
    int lo = 1, hi = 17;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (digits_for(a, mid, d))
            hi = mid;
        else
            lo = mid + 1;
    }
    digits_for(a, lo, d);
    while (d->k > 1 && d->digits[d->k - 1] == '0')
        d->digits[--d->k] = '\0';
}

/* Lays the digits out as ECMA-262 Number::toString says (steps 6 to 10). */
static size_t layout(const decimal_t *d, bool neg, char *buf)
{
    char *o = buf;
    int k = d->k, n = d->point;
    if (neg)
        *o++ = '-';
    if (k <= n && n <= 21) {
        memcpy(o, d->digits, (size_t)k);
        o += k;
        memset(o, '0', (size_t)(n - k));
        o += n - k;
    } else if (0 < n && n <= 21) {
        memcpy(o, d->digits, (size_t)n);
        o += n;
        *o++ = '.';
        memcpy(o, d->digits + n, (size_t)(k - n));
        o += k - n;
    } else if (-6 < n && n <= 0) {
        *o++ = '0';
        *o++ = '.';
        memset(o, '0', (size_t)-n);
        o += -n;
        memcpy(o, d->digits, (size_t)k);
        o += k;
    } else {
        *o++ = d->digits[0];
        if (k > 1) {
            *o++ = '.';
            memcpy(o, d->digits + 1, (size_t)(k - 1));
            o += k - 1;
        }
        o += sprintf(o, "e%c%d", n - 1 >= 0 ? '+' : '-', abs(n - 1));
    }
    *o = '\0';
    return (size_t)(o - buf);
}

/* Writes i in decimal into buf (at least 21 bytes, NUL-terminated) and
 * returns the length. Integers are written by hand rather than with
 * printf, whose format parsing costs more than the digits when a response
 * holds many of them. */
static size_t format_int(int64_t i, char *buf)
{
    char tmp[24], *end = tmp + sizeof tmp, *p = end;
    uint64_t u = i < 0 ? (uint64_t)0 - (uint64_t)i : (uint64_t)i;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (i < 0)
        *--p = '-';
    size_t n = (size_t)(end - p);
    memcpy(buf, p, n);
    buf[n] = '\0';
    return n;
}

size_t gql_number_to_string(double d, char *buf)
{
    const char *special = NULL;
    if (isnan(d))
        special = "NaN";
    else if (isinf(d))
        special = d > 0 ? "Infinity" : "-Infinity";
    else if (d == 0)
        special = "0";
    if (special) {
        strcpy(buf, special);
        return strlen(special);
    }
    double a = fabs(d);
    /* Integers below 2^53 print all their digits; this is the common case
     * and needs no search. */
    if (a < 9007199254740992.0 && a == floor(a))
        return format_int((int64_t)d, buf);
    decimal_t dec;
    shortest(a, &dec);
    return layout(&dec, d < 0, buf);
}

int gql_json_write_number(facet_buf_t *out, double d)
{
    if (!isfinite(d))
        return facet_buf_append(out, "null", 4);
    char buf[GQL_NUMBER_BUF_SIZE];
    size_t n = gql_number_to_string(d, buf);
    return facet_buf_append(out, buf, n);
}

int gql_json_write_int(facet_buf_t *out, int64_t i)
{
    char buf[24];
    return facet_buf_append(out, buf, format_int(i, buf));
}
