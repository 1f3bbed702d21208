/* JSON writers whose output matches JavaScript's JSON.stringify byte for
 * byte: strings, whole values in compact form and the indented form of
 * JSON.stringify(v, null, indent). Values are walked with an explicit stack,
 * so deep values cannot overflow the C stack. */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "gql/json.h"
#include "gql/json_internal.h"

int gql_json__utf8_check(const unsigned char *s, size_t len)
{
    unsigned char c = s[0];
    unsigned char lo = 0x80, hi = 0xBF;
    int need;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        lo = c == 0xE0 ? 0xA0 : lo;
        hi = c == 0xED ? 0x9F : hi;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        lo = c == 0xF0 ? 0x90 : lo;
        hi = c == 0xF4 ? 0x8F : hi;
    } else {
        return -1;
    }
    for (int i = 1; i <= need; i++) {
        if ((size_t)i >= len || s[i] < lo || s[i] > hi)
            return -i;
        lo = 0x80;
        hi = 0xBF;
    }
    return need + 1;
}

/* Bytes that JSON.stringify copies as they are: printable ASCII but the
 * quote and the backslash. */
static bool plain(unsigned char c)
{
    return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

static int write_escape(facet_buf_t *out, unsigned char c)
{
    static const char hex[] = "0123456789abcdef";
    char esc[6] = {'\\', 0, '0', '0', 0, 0};
    switch (c) {
    case '"':
    case '\\':
        esc[1] = (char)c;
        return facet_buf_append(out, esc, 2);
    case '\b':
        return facet_buf_append(out, "\\b", 2);
    case '\f':
        return facet_buf_append(out, "\\f", 2);
    case '\n':
        return facet_buf_append(out, "\\n", 2);
    case '\r':
        return facet_buf_append(out, "\\r", 2);
    case '\t':
        return facet_buf_append(out, "\\t", 2);
    default:
        esc[1] = 'u';
        esc[4] = hex[c >> 4];
        esc[5] = hex[c & 15];
        return facet_buf_append(out, esc, 6);
    }
}

/* The length of the run at p[0..len) that is copied as it is: plain bytes
 * and valid UTF-8 sequences, so that text in any script is appended in
 * long runs rather than a sequence at a time. */
static size_t copy_run(const unsigned char *p, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if (plain(p[i])) {
            i++;
            continue;
        }
        int n = p[i] >= 0x80 ? gql_json__utf8_check(p + i, len - i) : 0;
        if (n <= 0)
            break;
        i += (size_t)n;
    }
    return i;
}

int gql_json_write_string(facet_buf_t *out, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    int rc = facet_buf_append(out, "\"", 1);
    size_t i = 0;
    while (rc == FACET_OK && i < len) {
        size_t run = copy_run(p + i, len - i);
        if (run > 0) {
            rc = facet_buf_append(out, p + i, run);
            i += run;
        } else if (p[i] < 0x80) {
            rc = write_escape(out, p[i++]);
        } else {
            /* An invalid sequence: one U+FFFD for its maximal subpart. */
            int n = gql_json__utf8_check(p + i, len - i);
            rc = facet_buf_append(out, "\xEF\xBF\xBD", 3);
            i += (size_t)-n;
        }
    }
    return rc ? rc : facet_buf_append(out, "\"", 1);
}

/* ---- values -------------------------------------------------------------- */

typedef struct wframe {
    const gql_value_t *v;
    size_t i; /* next child */
} wframe_t;

typedef struct writer {
    facet_buf_t *out;
    int indent; /* 0: compact */
    wframe_t *stack;
    size_t n, cap;
} writer_t;

static size_t child_count(const gql_value_t *v)
{
    return v->kind == GQL_V_LIST ? v->u.list.n : v->u.obj.n;
}

static int newline(writer_t *w, size_t depth)
{
    if (!w->indent)
        return FACET_OK;
    size_t n = depth * (size_t)w->indent;
    int rc = facet_buf_reserve(w->out, n + 1);
    if (rc != FACET_OK)
        return rc;
    w->out->base[w->out->len++] = '\n';
    memset(w->out->base + w->out->len, ' ', n);
    w->out->len += n;
    return FACET_OK;
}

/* Writes a scalar whole, or the opening bracket of a container, which is
 * pushed so its children follow. Empty containers are written whole. */
static int begin(writer_t *w, const gql_value_t *v)
{
    if (!v)
        v = &gql_value_null;
    switch (v->kind) {
    case GQL_V_NULL:
        return facet_buf_append(w->out, "null", 4);
    case GQL_V_BOOL:
        return v->u.b ? facet_buf_append(w->out, "true", 4) : facet_buf_append(w->out, "false", 5);
    case GQL_V_INT:
        return gql_json_write_int(w->out, v->u.i);
    case GQL_V_FLOAT:
        return gql_json_write_number(w->out, v->u.f);
    case GQL_V_STRING:
        return gql_json_write_string(w->out, v->u.s.base, v->u.s.len);
    case GQL_V_LIST:
    case GQL_V_OBJECT:
        break;
    default:
        return FACET_EINVAL;
    }
    bool obj = v->kind == GQL_V_OBJECT;
    if (child_count(v) == 0)
        return facet_buf_append(w->out, obj ? "{}" : "[]", 2);
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 32;
        wframe_t *s = realloc(w->stack, cap * sizeof *s);
        if (!s)
            return FACET_ENOMEM;
        w->stack = s;
        w->cap = cap;
    }
    w->stack[w->n++] = (wframe_t){v, 0};
    return facet_buf_append(w->out, obj ? "{" : "[", 1);
}

/* Writes the separator and key before the next child of the top frame and
 * returns that child through *child, or closes the frame (*child unset). */
static int next_child(writer_t *w, const gql_value_t **child, bool *has_child)
{
    wframe_t *f = &w->stack[w->n - 1];
    bool obj = f->v->kind == GQL_V_OBJECT;
    int rc = FACET_OK;
    *has_child = f->i < child_count(f->v);
    if (!*has_child) {
        w->n--;
        rc = newline(w, w->n);
        return rc ? rc : facet_buf_append(w->out, obj ? "}" : "]", 1);
    }
    if (f->i > 0)
        rc = facet_buf_append(w->out, ",", 1);
    rc = rc ? rc : newline(w, w->n);
    if (obj) {
        const gql_member_t *m = &f->v->u.obj.members[f->i];
        rc = rc ? rc : gql_json_write_string(w->out, m->key.base, m->key.len);
        rc = rc ? rc : facet_buf_append(w->out, w->indent ? ": " : ":", w->indent ? 2 : 1);
        *child = m->value;
    } else {
        *child = f->v->u.list.items[f->i];
    }
    f->i++;
    return rc;
}

static int write_tree(facet_buf_t *out, const gql_value_t *v, int indent)
{
    writer_t w = {.out = out, .indent = indent};
    int rc = begin(&w, v);
    while (rc == FACET_OK && w.n > 0) {
        const gql_value_t *child = NULL;
        bool has_child;
        rc = next_child(&w, &child, &has_child);
        if (rc == FACET_OK && has_child)
            rc = begin(&w, child);
    }
    free(w.stack);
    return rc;
}

int gql_json_write_value(facet_buf_t *out, const gql_value_t *v)
{
    return write_tree(out, v, 0);
}

int gql_json_write_pretty(facet_buf_t *out, const gql_value_t *v, int indent)
{
    /* JSON.stringify clamps a numeric space argument to 10. */
    if (indent < 0)
        indent = 0;
    if (indent > 10)
        indent = 10;
    return write_tree(out, v, indent);
}
