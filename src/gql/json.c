/* A strict JSON parser (RFC 8259, with JSON.parse semantics) that builds
 * gql_value_t trees. It keeps an explicit stack of open containers instead
 * of recursing, and collects the children of open containers in one scratch
 * vector, so each finished container gets an exact-size arena array. */
#include "gql/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/str.h"
#include "gql/json_internal.h"

typedef struct frame {
    bool is_obj;
    size_t start; /* first scratch entry of this container */
} frame_t;

typedef struct parser {
    facet_arena_t *arena;
    const unsigned char *s;
    size_t len, pos;
    size_t max_depth;
    frame_t *frames;
    size_t nframes, frames_cap;
    gql_member_t *scratch; /* key unused for list items */
    size_t nscratch, scratch_cap;
    int rc;
    const char *reason;
    size_t err_pos;
    char reason_buf[48];
} parser_t;

static int fail(parser_t *p, int rc, size_t at, const char *reason)
{
    p->rc = rc;
    p->err_pos = at;
    p->reason = reason;
    return rc;
}

static int fail_oom(parser_t *p)
{
    return fail(p, FACET_ENOMEM, p->pos, "out of memory");
}

/* Reports the byte at p->pos as unexpected, or the end of input. */
static int fail_unexpected(parser_t *p)
{
    if (p->pos >= p->len)
        return fail(p, FACET_EINVAL, p->pos, "unexpected end of input");
    unsigned char c = p->s[p->pos];
    if (c > 0x20 && c < 0x7f)
        snprintf(p->reason_buf, sizeof p->reason_buf, "unexpected character '%c'", c);
    else
        snprintf(p->reason_buf, sizeof p->reason_buf, "unexpected byte 0x%02x", c);
    return fail(p, FACET_EINVAL, p->pos, p->reason_buf);
}

static void skip_ws(parser_t *p)
{
    while (p->pos < p->len) {
        unsigned char c = p->s[p->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        p->pos++;
    }
}

static bool grow(void **items, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return true;
    size_t ncap = *cap ? *cap * 2 : 16;
    while (ncap < need)
        ncap *= 2;
    if (ncap > ((size_t)-1) / size)
        return false;
    void *n = realloc(*items, ncap * size);
    if (!n)
        return false;
    *items = n;
    *cap = ncap;
    return true;
}

/* ---- strings ------------------------------------------------------------ */

/* Reads four hex digits from s (avail bytes readable); returns how many
 * were valid, 4 on success. */
static int hex4(const unsigned char *s, size_t avail, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        if ((size_t)i >= avail)
            return i;
        unsigned c = s[i], d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
            d = (c | 0x20) - 'a' + 10;
        else
            return i;
        v = v << 4 | d;
    }
    *out = v;
    return 4;
}

static size_t put_utf8(char *d, unsigned cp)
{
    if (cp < 0x80) {
        d[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        d[0] = (char)(0xC0 | cp >> 6);
        d[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        d[0] = (char)(0xE0 | cp >> 12);
        d[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        d[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    d[0] = (char)(0xF0 | cp >> 18);
    d[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    d[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    d[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Decodes a \u escape at p->pos (pointing at the 'u'), with a following
 * low surrogate escape when this one is a high surrogate. A surrogate
 * without its partner becomes U+FFFD. */
static int unicode_escape(parser_t *p, unsigned *cp)
{
    unsigned v = 0, lo = 0;
    int n = hex4(p->s + p->pos + 1, p->len - p->pos - 1, &v);
    if (n != 4) {
        size_t at = p->pos + 1 + (size_t)n;
        if (at >= p->len)
            return fail(p, FACET_EINVAL, p->len, "unexpected end of input");
        return fail(p, FACET_EINVAL, at, "bad hex digit in \\u escape");
    }
    p->pos += 5;
    if (v >= 0xD800 && v <= 0xDBFF && p->len - p->pos >= 6 && p->s[p->pos] == '\\' &&
        p->s[p->pos + 1] == 'u' && hex4(p->s + p->pos + 2, 4, &lo) == 4 && lo >= 0xDC00 &&
        lo <= 0xDFFF) {
        p->pos += 6;
        *cp = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
        return FACET_OK;
    }
    *cp = (v >= 0xD800 && v <= 0xDFFF) ? 0xFFFD : v;
    return FACET_OK;
}

static int simple_escape(unsigned char c)
{
    switch (c) {
    case '"':
    case '\\':
    case '/':
        return c;
    case 'b':
        return '\b';
    case 'f':
        return '\f';
    case 'n':
        return '\n';
    case 'r':
        return '\r';
    case 't':
        return '\t';
    default:
        return -1;
    }
}

/* Finds the closing quote of the string whose opening quote is at p->pos,
 * so the decoded bytes (never longer than the source) fit one allocation. */
static int string_span(parser_t *p, size_t *end)
{
    size_t i = p->pos + 1;
    while (i < p->len) {
        const unsigned char *q = memchr(p->s + i, '"', p->len - i);
        if (!q)
            break;
        size_t j = (size_t)(q - p->s), bs = 0;
        while (j - bs > p->pos + 1 && p->s[j - bs - 1] == '\\')
            bs++;
        if (bs % 2 == 0) {
            *end = j;
            return FACET_OK;
        }
        i = j + 1;
    }
    return fail(p, FACET_EINVAL, p->len, "unterminated string");
}

/* Decodes one escape at p->pos (the byte after the backslash) into d. */
static int decode_escape(parser_t *p, char *d, size_t *n)
{
    int c = simple_escape(p->s[p->pos]);
    if (c >= 0) {
        d[0] = (char)c;
        *n = 1;
        p->pos++;
        return FACET_OK;
    }
    if (p->s[p->pos] != 'u')
        return fail(p, FACET_EINVAL, p->pos, "bad escape in string");
    unsigned cp;
    int rc = unicode_escape(p, &cp);
    if (rc == FACET_OK)
        *n = put_utf8(d, cp);
    return rc;
}

/* Parses the string starting at the quote at p->pos into an arena copy. */
static int parse_string(parser_t *p, facet_str_t *out)
{
    size_t end;
    if (string_span(p, &end) != FACET_OK)
        return p->rc;
    char *d = facet_arena_alloc(p->arena, end - p->pos);
    if (!d)
        return fail_oom(p);
    size_t n = 0;
    p->pos++;
    while (p->pos < end) {
        unsigned char c = p->s[p->pos];
        if (c == '\\') {
            size_t k;
            p->pos++;
            if (decode_escape(p, d + n, &k) != FACET_OK)
                return p->rc;
            n += k;
        } else if (c < 0x20) {
            return fail(p, FACET_EINVAL, p->pos, "control character in string");
        } else if (c < 0x80) {
            d[n++] = (char)c;
            p->pos++;
        } else {
            int k = gql_json__utf8_check(p->s + p->pos, end - p->pos);
            if (k < 0)
                return fail(p, FACET_EINVAL, p->pos, "invalid UTF-8 in string");
            memcpy(d + n, p->s + p->pos, (size_t)k);
            n += (size_t)k;
            p->pos += (size_t)k;
        }
    }
    d[n] = '\0';
    p->pos = end + 1;
    *out = facet_str(d, n);
    return FACET_OK;
}

/* ---- numbers and literals ------------------------------------------------ */

static size_t digits(parser_t *p)
{
    size_t start = p->pos;
    while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9')
        p->pos++;
    return p->pos - start;
}

/* Checks the JSON number grammar, then converts with strtod, which rounds
 * correctly as JavaScript does. */
static int parse_number(parser_t *p, double *out)
{
    size_t start = p->pos;
    if (p->s[p->pos] == '-')
        p->pos++;
    if (p->pos < p->len && p->s[p->pos] == '0')
        p->pos++;
    else if (digits(p) == 0)
        return fail_unexpected(p);
    if (p->pos < p->len && p->s[p->pos] == '.') {
        p->pos++;
        if (digits(p) == 0)
            return fail_unexpected(p);
    }
    if (p->pos < p->len && (p->s[p->pos] | 0x20) == 'e') {
        p->pos++;
        if (p->pos < p->len && (p->s[p->pos] == '+' || p->s[p->pos] == '-'))
            p->pos++;
        if (digits(p) == 0)
            return fail_unexpected(p);
    }
    size_t n = p->pos - start;
    char small[64];
    char *buf = n < sizeof small ? small : malloc(n + 1);
    if (!buf)
        return fail_oom(p);
    memcpy(buf, p->s + start, n);
    buf[n] = '\0';
    *out = strtod(buf, NULL);
    if (buf != small)
        free(buf);
    return FACET_OK;
}

static int parse_literal(parser_t *p, const char *word, gql_value_t **out)
{
    size_t n = strlen(word);
    for (size_t i = 0; i < n; i++, p->pos++) {
        if (p->pos >= p->len || p->s[p->pos] != (unsigned char)word[i])
            return fail_unexpected(p);
    }
    *out = word[0] == 'n' ? gql_value_new_null(p->arena)
                          : gql_value_new_bool(p->arena, word[0] == 't');
    return *out ? FACET_OK : fail_oom(p);
}

/* ---- containers ----------------------------------------------------------- */

static int open_container(parser_t *p, bool is_obj)
{
    if (p->nframes >= p->max_depth) {
        snprintf(p->reason_buf, sizeof p->reason_buf, "nesting deeper than %zu", p->max_depth);
        return fail(p, FACET_ELIMIT, p->pos, p->reason_buf);
    }
    if (!grow((void **)&p->frames, &p->frames_cap, p->nframes + 1, sizeof *p->frames))
        return fail_oom(p);
    p->frames[p->nframes++] = (frame_t){is_obj, p->nscratch};
    p->pos++;
    return FACET_OK;
}

/* Reads `"key" :` into a new scratch entry whose value comes next. */
static int object_key(parser_t *p)
{
    skip_ws(p);
    if (p->pos >= p->len || p->s[p->pos] != '"') {
        if (p->pos >= p->len)
            return fail_unexpected(p);
        return fail(p, FACET_EINVAL, p->pos, "expected a property name");
    }
    facet_str_t key;
    if (parse_string(p, &key) != FACET_OK)
        return p->rc;
    skip_ws(p);
    if (p->pos >= p->len || p->s[p->pos] != ':')
        return p->pos >= p->len ? fail_unexpected(p)
                                : fail(p, FACET_EINVAL, p->pos, "expected ':'");
    p->pos++;
    if (!grow((void **)&p->scratch, &p->scratch_cap, p->nscratch + 1, sizeof *p->scratch))
        return fail_oom(p);
    p->scratch[p->nscratch++] = (gql_member_t){key, NULL};
    return FACET_OK;
}

static bool same_key(facet_str_t a, facet_str_t b)
{
    return a.len == b.len && memcmp(a.base, b.base, a.len) == 0;
}

/* Copies members into out, folding repeated keys as JavaScript does: the
 * later value replaces the earlier one, which keeps its position. Small
 * objects search linearly; larger ones use a hash table of positions. */
static int fold_members(parser_t *p, const gql_member_t *in, size_t n, gql_member_t *out,
                        size_t *nout)
{
    size_t m = 0, mask = 0, *table = NULL;
    if (n > 8) {
        for (mask = 16; mask < 2 * n; mask *= 2)
            ;
        table = malloc(mask * sizeof *table);
        if (!table)
            return fail_oom(p);
        memset(table, 0xff, mask * sizeof *table);
        mask--;
    }
    for (size_t i = 0; i < n; i++) {
        size_t *slot = NULL, found = (size_t)-1;
        if (table) {
            size_t h = (size_t)facet_str_hash(in[i].key) & mask;
            while (table[h] != (size_t)-1 && !same_key(out[table[h]].key, in[i].key))
                h = (h + 1) & mask;
            slot = &table[h];
            found = *slot;
        } else {
            for (size_t j = 0; j < m && found == (size_t)-1; j++)
                if (same_key(out[j].key, in[i].key))
                    found = j;
        }
        if (found != (size_t)-1) {
            out[found].value = in[i].value;
            continue;
        }
        if (slot)
            *slot = m;
        out[m++] = in[i];
    }
    free(table);
    *nout = m;
    return FACET_OK;
}

/* The value of key when it is an array index in JavaScript's sense (a
 * canonical decimal from 0 to 2^32 - 2), else -1. */
static int64_t array_index(facet_str_t k)
{
    if (k.len == 0 || k.len > 10 || (k.len > 1 && k.base[0] == '0'))
        return -1;
    int64_t v = 0;
    for (size_t i = 0; i < k.len; i++) {
        if (k.base[i] < '0' || k.base[i] > '9')
            return -1;
        v = v * 10 + (k.base[i] - '0');
    }
    return v <= 4294967294LL ? v : -1;
}

typedef struct indexed {
    int64_t index;
    gql_member_t member;
} indexed_t;

static int cmp_indexed(const void *a, const void *b)
{
    int64_t x = ((const indexed_t *)a)->index, y = ((const indexed_t *)b)->index;
    return (x > y) - (x < y);
}

/* A JavaScript object lists array-index keys first, in ascending numeric
 * order, then the other keys in insertion order; JSON.stringify writes them
 * that way, so parsed objects take the same order. */
static int order_like_js(parser_t *p, gql_member_t *m, size_t n)
{
    size_t nidx = 0;
    for (size_t i = 0; i < n; i++)
        nidx += array_index(m[i].key) >= 0;
    if (nidx == 0)
        return FACET_OK;
    indexed_t *idx = malloc(nidx * sizeof *idx);
    if (!idx)
        return fail_oom(p);
    size_t j = 0, rest = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t v = array_index(m[i].key);
        if (v >= 0)
            idx[j++] = (indexed_t){v, m[i]};
        else
            m[rest++] = m[i];
    }
    memmove(m + nidx, m, rest * sizeof *m);
    qsort(idx, nidx, sizeof *idx, cmp_indexed);
    for (size_t i = 0; i < nidx; i++)
        m[i] = idx[i].member;
    free(idx);
    return FACET_OK;
}

/* Closes the innermost container, building its value from scratch. */
static int close_container(parser_t *p, gql_value_t **out)
{
    frame_t f = p->frames[--p->nframes];
    size_t n = p->nscratch - f.start;
    const gql_member_t *in = n ? p->scratch + f.start : NULL;
    gql_value_t *v = f.is_obj ? gql_value_new_object(p->arena, n) : gql_value_new_list(p->arena, n);
    if (!v)
        return fail_oom(p);
    if (f.is_obj) {
        if (fold_members(p, in, n, v->u.obj.members, &v->u.obj.n) != FACET_OK ||
            order_like_js(p, v->u.obj.members, v->u.obj.n) != FACET_OK)
            return p->rc;
    } else {
        for (size_t i = 0; i < n; i++)
            v->u.list.items[i] = in[i].value;
    }
    p->nscratch = f.start;
    p->pos++;
    *out = v;
    return FACET_OK;
}

/* ---- the driver ------------------------------------------------------------ */

/* Parses a scalar at p->pos, or opens a container (then *out stays NULL). */
static int value_start(parser_t *p, gql_value_t **out)
{
    *out = NULL;
    skip_ws(p);
    if (p->pos >= p->len)
        return fail_unexpected(p);
    unsigned char c = p->s[p->pos];
    if (c == '{' || c == '[')
        return open_container(p, c == '{');
    if (c == '"') {
        facet_str_t s;
        if (parse_string(p, &s) != FACET_OK)
            return p->rc;
        *out = FACET_ARENA_NEW(p->arena, gql_value_t);
        if (!*out)
            return fail_oom(p);
        (*out)->kind = GQL_V_STRING;
        (*out)->u.s = s;
        return FACET_OK;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
        double d = 0;
        if (parse_number(p, &d) != FACET_OK)
            return p->rc;
        *out = gql_value_new_float(p->arena, d);
        return *out ? FACET_OK : fail_oom(p);
    }
    if (c == 't')
        return parse_literal(p, "true", out);
    if (c == 'f')
        return parse_literal(p, "false", out);
    if (c == 'n')
        return parse_literal(p, "null", out);
    return fail_unexpected(p);
}

/* Right after '[' or '{': closes the container at once when it is empty. */
static int container_first(parser_t *p, gql_value_t **done, bool *need_value)
{
    frame_t *f = &p->frames[p->nframes - 1];
    unsigned char close = f->is_obj ? '}' : ']';
    skip_ws(p);
    *need_value = true;
    if (p->pos < p->len && p->s[p->pos] == close) {
        *need_value = false;
        return close_container(p, done);
    }
    return f->is_obj ? object_key(p) : FACET_OK;
}

/* Stores a finished value in its container, then reads ',' (and the next
 * key) or the closing bracket, which finishes the container in turn. */
static int value_done(parser_t *p, gql_value_t *v, gql_value_t **done, bool *need_value)
{
    frame_t *f = &p->frames[p->nframes - 1];
    if (f->is_obj) {
        p->scratch[p->nscratch - 1].value = v;
    } else {
        if (!grow((void **)&p->scratch, &p->scratch_cap, p->nscratch + 1, sizeof *p->scratch))
            return fail_oom(p);
        p->scratch[p->nscratch++] = (gql_member_t){FACET_STR_NULL, v};
    }
    skip_ws(p);
    *need_value = false;
    if (p->pos >= p->len)
        return fail_unexpected(p);
    unsigned char c = p->s[p->pos];
    if (c == ',') {
        p->pos++;
        *need_value = true;
        return f->is_obj ? object_key(p) : FACET_OK;
    }
    if (c == (f->is_obj ? '}' : ']'))
        return close_container(p, done);
    return fail(p, FACET_EINVAL, p->pos,
                f->is_obj ? "expected ',' or '}' after property value"
                          : "expected ',' or ']' after array element");
}

static int run(parser_t *p, gql_value_t **out)
{
    bool need_value = true;
    gql_value_t *v = NULL;
    for (;;) {
        if (need_value) {
            size_t depth = p->nframes;
            if (value_start(p, &v) != FACET_OK)
                return p->rc;
            if (!v) {
                /* A container opened: it may close at once, or wants a value. */
                if (p->nframes > depth && container_first(p, &v, &need_value) != FACET_OK)
                    return p->rc;
                if (need_value)
                    continue;
            }
        }
        if (p->nframes == 0)
            break;
        if (value_done(p, v, &v, &need_value) != FACET_OK)
            return p->rc;
    }
    skip_ws(p);
    if (p->pos < p->len)
        return fail(p, FACET_EINVAL, p->pos, "unexpected data after the JSON value");
    *out = v;
    return FACET_OK;
}

int gql_json_parse(facet_arena_t *a, const char *src, size_t len, size_t max_depth,
                   gql_value_t **out, char *err, size_t errlen)
{
    parser_t p = {.arena = a, .s = (const unsigned char *)src, .len = len};
    p.max_depth = max_depth ? max_depth : GQL_JSON_DEFAULT_MAX_DEPTH;
    *out = NULL;
    int rc = run(&p, out);
    free(p.frames);
    free(p.scratch);
    if (rc != FACET_OK && err && errlen)
        snprintf(err, errlen, "%s at byte %zu", p.reason, p.err_pos);
    return rc;
}
