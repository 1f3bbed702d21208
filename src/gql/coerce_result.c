/* Result coercion of leaf values (graphql-js' serialize for Int, Float,
 * String, Boolean, ID, enums and custom scalars), written straight into the
 * response buffer, with graphql-js' messages when a value cannot be
 * represented. JSON numbers are JavaScript numbers (doubles). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "gql/exec_internal.h"
#include "gql/json.h"

/* ---- JavaScript's Number(string) ---- */

/* Length of the JavaScript white space or line terminator at s, or 0. */
static size_t js_space(const unsigned char *s, size_t len)
{
    if (len == 0)
        return 0;
    unsigned c = s[0];
    if (c == ' ' || (c >= 0x09 && c <= 0x0D))
        return 1;
    if (c == 0xC2 && len >= 2 && s[1] == 0xA0)
        return 2; /* U+00A0 */
    if (c == 0xE1 && len >= 3 && s[1] == 0x9A && s[2] == 0x80)
        return 3; /* U+1680 */
    if (c == 0xE2 && len >= 3) {
        unsigned cp = ((c & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
        if ((cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
            cp == 0x205F)
            return 3;
    }
    if (c == 0xE3 && len >= 3 && s[1] == 0x80 && s[2] == 0x80)
        return 3; /* U+3000 */
    if (c == 0xEF && len >= 3 && s[1] == 0xBB && s[2] == 0xBF)
        return 3; /* U+FEFF */
    return 0;
}

static double radix_number(const char *s, size_t len, int radix)
{
    if (len == 0)
        return NAN;
    double d = 0;
    for (size_t i = 0; i < len; i++) {
        int v;
        char c = s[i];
        if (c >= '0' && c <= '9')
            v = c - '0';
        else if (c >= 'a' && c <= 'z')
            v = c - 'a' + 10;
        else if (c >= 'A' && c <= 'Z')
            v = c - 'A' + 10;
        else
            return NAN;
        if (v >= radix)
            return NAN;
        d = d * radix + v;
    }
    return d;
}

/* True when s[0..len) is a StrDecimalLiteral without its sign. */
static bool decimal_literal(const char *s, size_t len)
{
    size_t i = 0, digits = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++, digits++;
    if (i < len && s[i] == '.') {
        i++;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++, digits++;
    }
    if (digits == 0)
        return false;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t exp = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++, exp++;
        if (exp == 0)
            return false;
    }
    return i == len;
}

double exec__js_string_to_number(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t n;
    while ((n = js_space(s, len)) > 0)
        s += n, len -= n;
    while (len > 0) {
        /* Trailing white space: find the last code point's start. */
        size_t k = len - 1;
        while (k > 0 && (s[k] & 0xC0) == 0x80)
            k--;
        if (js_space(s + k, len - k) != len - k)
            break;
        len = k;
    }
    if (len == 0)
        return 0;
    if (len > 2 && s[0] == '0') {
        char p = (char)(s[1] | 0x20);
        int radix = p == 'x' ? 16 : p == 'o' ? 8 : p == 'b' ? 2 : 0;
        if (radix)
            return radix_number((const char *)s + 2, len - 2, radix);
    }
    bool neg = false;
    size_t i = 0;
    if (s[0] == '+' || s[0] == '-') {
        neg = s[0] == '-';
        i = 1;
    }
    if (len - i == 8 && memcmp(s + i, "Infinity", 8) == 0)
        return neg ? -INFINITY : INFINITY;
    if (!decimal_literal((const char *)s + i, len - i))
        return NAN;
    char stack[64];
    char *buf = len < sizeof stack ? stack : malloc(len + 1);
    if (!buf)
        return NAN;
    memcpy(buf, s, len);
    buf[len] = '\0';
    double d = strtod(buf, NULL);
    if (buf != stack)
        free(buf);
    return d;
}

/* ---- messages ---- */

static int fail(gql_exec_t *ex, facet_str_t *msg, const char *prefix, const gql_value_t *v)
{
    facet_buf_t b;
    exec__msgbuf(&b);
    int rc = facet_buf_append_str(&b, prefix);
    rc = rc ? rc : exec__inspect(&b, v);
    if (rc) {
        facet_buf_free(&b);
        return rc;
    }
    *msg = exec__arena_str(ex, &b);
    facet_buf_free(&b);
    return msg->base ? 1 : FACET_ENOMEM;
}

static bool is_number(const gql_value_t *v)
{
    return v->kind == GQL_V_FLOAT || v->kind == GQL_V_INT;
}

static double number_of(const gql_value_t *v)
{
    return v->kind == GQL_V_INT ? (double)v->u.i : v->u.f;
}

/* ---- the serializers ---- */

static int ser_int(gql_exec_t *ex, const gql_value_t *v, facet_buf_t *out, facet_str_t *msg)
{
    if (v->kind == GQL_V_BOOL)
        return facet_buf_append(out, v->u.b ? "1" : "0", 1);
    if (v->kind == GQL_V_INT) {
        if (v->u.i > 2147483647 || v->u.i < -2147483648LL)
            return fail(ex, msg, "Int cannot represent non 32-bit signed integer value: ", v);
        return gql_json_write_int(out, v->u.i);
    }
    double d;
    if (v->kind == GQL_V_FLOAT)
        d = v->u.f;
    else if (v->kind == GQL_V_STRING && v->u.s.len > 0)
        d = exec__js_string_to_number(v->u.s.base, v->u.s.len);
    else
        return fail(ex, msg, "Int cannot represent non-integer value: ", v);
    if (!isfinite(d) || d != floor(d))
        return fail(ex, msg, "Int cannot represent non-integer value: ", v);
    if (d > 2147483647.0 || d < -2147483648.0)
        return fail(ex, msg, "Int cannot represent non 32-bit signed integer value: ", v);
    return gql_json_write_int(out, (int64_t)d);
}

static int ser_float(gql_exec_t *ex, const gql_value_t *v, facet_buf_t *out, facet_str_t *msg)
{
    if (v->kind == GQL_V_BOOL)
        return facet_buf_append(out, v->u.b ? "1" : "0", 1);
    double d;
    if (is_number(v))
        d = number_of(v);
    else if (v->kind == GQL_V_STRING && v->u.s.len > 0)
        d = exec__js_string_to_number(v->u.s.base, v->u.s.len);
    else
        return fail(ex, msg, "Float cannot represent non numeric value: ", v);
    if (!isfinite(d))
        return fail(ex, msg, "Float cannot represent non numeric value: ", v);
    return gql_json_write_number(out, d);
}

static int write_number_string(facet_buf_t *out, const gql_value_t *v)
{
    if (v->kind == GQL_V_INT) {
        int rc = facet_buf_append(out, "\"", 1);
        rc = rc ? rc : gql_json_write_int(out, v->u.i);
        return rc ? rc : facet_buf_append(out, "\"", 1);
    }
    char num[GQL_NUMBER_BUF_SIZE];
    size_t n = gql_number_to_string(v->u.f, num);
    return gql_json_write_string(out, num, n);
}

static int ser_string(gql_exec_t *ex, const gql_value_t *v, facet_buf_t *out, facet_str_t *msg)
{
    switch (v->kind) {
    case GQL_V_STRING:
        return gql_json_write_string(out, v->u.s.base, v->u.s.len);
    case GQL_V_BOOL:
        return facet_buf_append_str(out, v->u.b ? "\"true\"" : "\"false\"");
    case GQL_V_INT:
        return write_number_string(out, v);
    case GQL_V_FLOAT:
        if (isfinite(v->u.f))
            return write_number_string(out, v);
        break;
    default:
        break;
    }
    return fail(ex, msg, "String cannot represent value: ", v);
}

static int ser_bool(gql_exec_t *ex, const gql_value_t *v, facet_buf_t *out, facet_str_t *msg)
{
    if (v->kind == GQL_V_BOOL)
        return facet_buf_append_str(out, v->u.b ? "true" : "false");
    if (is_number(v) && isfinite(number_of(v)))
        return facet_buf_append_str(out, number_of(v) != 0 ? "true" : "false");
    return fail(ex, msg, "Boolean cannot represent a non boolean value: ", v);
}

static int ser_id(gql_exec_t *ex, const gql_value_t *v, facet_buf_t *out, facet_str_t *msg)
{
    if (v->kind == GQL_V_STRING)
        return gql_json_write_string(out, v->u.s.base, v->u.s.len);
    if (v->kind == GQL_V_INT ||
        (v->kind == GQL_V_FLOAT && isfinite(v->u.f) && v->u.f == floor(v->u.f)))
        return write_number_string(out, v);
    return fail(ex, msg, "ID cannot represent value: ", v);
}

static int ser_enum(gql_exec_t *ex, const gql_type_t *t, const gql_value_t *v, facet_buf_t *out,
                    facet_str_t *msg)
{
    if (v->kind == GQL_V_STRING) {
        const gql_enum_value_t *ev = gql_type_enum_value(t, v->u.s);
        if (ev)
            return gql_json_write_string(out, ev->name.base, ev->name.len);
    }
    facet_buf_t b;
    exec__msgbuf(&b);
    int rc = facet_buf_printf(&b, "Enum \"%.*s\" cannot represent value: ", (int)t->name.len,
                              t->name.base);
    rc = rc ? rc : exec__inspect(&b, v);
    if (!rc)
        *msg = exec__arena_str(ex, &b);
    facet_buf_free(&b);
    if (rc)
        return rc;
    return msg->base ? 1 : FACET_ENOMEM;
}

int exec__serialize_leaf(gql_exec_t *ex, const gql_type_t *t, const gql_value_t *v,
                         facet_buf_t *out, facet_str_t *msg)
{
    if (t->kind == GQL_ENUM)
        return ser_enum(ex, t, v, out, msg);
    if (t->builtin) {
        facet_str_t n = t->name;
        switch (n.len) {
        case 2:
            return ser_id(ex, v, out, msg);
        case 3:
            return ser_int(ex, v, out, msg);
        case 5:
            return ser_float(ex, v, out, msg);
        case 6:
            return ser_string(ex, v, out, msg);
        case 7:
            return ser_bool(ex, v, out, msg);
        default:
            break;
        }
    }
    /* Custom scalars serialize as the identity: the JSON value as is. */
    return gql_json_write_value(out, v);
}
