/* Slice helpers: comparisons, trimming, strict number parsing. */
#include "core/str.h"

#include "core/error.h"

bool facet_str_eq(facet_str_t a, facet_str_t b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.base, b.base, a.len) == 0);
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

bool facet_str_ieq(facet_str_t a, facet_str_t b)
{
    if (a.len != b.len)
        return false;
    for (size_t i = 0; i < a.len; i++) {
        if (lower(a.base[i]) != lower(b.base[i]))
            return false;
    }
    return true;
}

/* Space and tab; with any_space also \n, \v, \f and \r, the rest of what
 * isspace() matches in the C locale. */
static bool is_blank(char c, bool any_space)
{
    return c == ' ' || c == '\t' ||
           (any_space && (c == '\n' || c == '\v' || c == '\f' || c == '\r'));
}

static facet_str_t trim(facet_str_t s, bool any_space)
{
    while (s.len > 0 && is_blank(s.base[0], any_space)) {
        s.base++;
        s.len--;
    }
    while (s.len > 0 && is_blank(s.base[s.len - 1], any_space))
        s.len--;
    return s;
}

facet_str_t facet_str_trim(facet_str_t s)
{
    return trim(s, false);
}

facet_str_t facet_str_trim_space(facet_str_t s)
{
    return trim(s, true);
}

int facet_str_to_u64(facet_str_t s, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    if (s.len == 0)
        return FACET_EINVAL;
    for (size_t i = 0; i < s.len; i++) {
        char c = s.base[i];
        if (c < '0' || c > '9')
            return FACET_EINVAL;
        uint64_t d = (uint64_t)(c - '0');
        if (v > (max - d) / 10)
            return FACET_ELIMIT;
        v = v * 10 + d;
    }
    *out = v;
    return FACET_OK;
}

bool facet_str_has_token(facet_str_t list, facet_str_t token)
{
    size_t start = 0;
    for (size_t i = 0; i <= list.len; i++) {
        if (i == list.len || list.base[i] == ',') {
            facet_str_t item = facet_str_trim(facet_str(list.base + start, i - start));
            if (facet_str_ieq(item, token))
                return true;
            start = i + 1;
        }
    }
    return false;
}

int facet_hex_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int facet_str_hex_to_u64(facet_str_t s, bool lower_only, uint64_t *out)
{
    uint64_t v = 0;
    if (s.len == 0 || s.len > 16)
        return FACET_EINVAL;
    for (size_t i = 0; i < s.len; i++) {
        char c = s.base[i];
        int d = facet_hex_value(c);
        if (d < 0 || (lower_only && c >= 'A' && c <= 'F'))
            return FACET_EINVAL;
        v = v << 4 | (uint64_t)d;
    }
    *out = v;
    return FACET_OK;
}
