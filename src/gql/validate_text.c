/* Text for validation messages: a string builder in the scratch arena,
 * types and literals printed as graphql-js prints them, and graphql-js'
 * "Did you mean" suggestions (lexical distance, natural order). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "gql/validate_internal.h"

/* ---- string builder ---- */

void gqlv__sb_init(gqlv__sb_t *sb, facet_arena_t *a)
{
    memset(sb, 0, sizeof *sb);
    sb->a = a;
}

static bool reserve(gqlv__sb_t *sb, size_t extra)
{
    if (sb->oom)
        return false;
    if (sb->len + extra + 1 <= sb->cap)
        return true;
    size_t cap = sb->cap ? sb->cap * 2 : 64;
    while (cap < sb->len + extra + 1)
        cap *= 2;
    char *buf = facet_arena_alloc(sb->a, cap);
    if (!buf) {
        sb->oom = true;
        return false;
    }
    if (sb->len)
        memcpy(buf, sb->buf, sb->len);
    sb->buf = buf;
    sb->cap = cap;
    return true;
}

void gqlv__sb_add(gqlv__sb_t *sb, const char *s, size_t len)
{
    if (!len || !reserve(sb, len))
        return;
    memcpy(sb->buf + sb->len, s, len);
    sb->len += len;
    sb->buf[sb->len] = '\0';
}

void gqlv__sb_str(gqlv__sb_t *sb, facet_str_t s)
{
    gqlv__sb_add(sb, s.base, s.len);
}

void gqlv__sb_cstr(gqlv__sb_t *sb, const char *s)
{
    gqlv__sb_add(sb, s, strlen(s));
}

void gqlv__sb_printf(gqlv__sb_t *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n <= 0 || !reserve(sb, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb->len += (size_t)n;
}

const char *gqlv__sb_cstr_of(gqlv__sb_t *sb)
{
    return sb->buf && !sb->oom ? sb->buf : "";
}

/* ---- types ---- */

void gqlv__sb_type(gqlv__sb_t *sb, const gql_type_ref_t *t)
{
    if (!t)
        return;
    switch (t->kind) {
    case GQL_REF_NAMED:
        gqlv__sb_str(sb, t->named->name);
        break;
    case GQL_REF_LIST:
        gqlv__sb_add(sb, "[", 1);
        gqlv__sb_type(sb, t->of);
        gqlv__sb_add(sb, "]", 1);
        break;
    case GQL_REF_NON_NULL:
        gqlv__sb_type(sb, t->of);
        gqlv__sb_add(sb, "!", 1);
        break;
    }
}

void gqlv__sb_ast_type(gqlv__sb_t *sb, const gql_ast_type_t *t)
{
    if (!t)
        return;
    switch (t->kind) {
    case GQL_AST_NAMED_TYPE:
        gqlv__sb_str(sb, t->name.value);
        break;
    case GQL_AST_LIST_TYPE:
        gqlv__sb_add(sb, "[", 1);
        gqlv__sb_ast_type(sb, t->of_type);
        gqlv__sb_add(sb, "]", 1);
        break;
    case GQL_AST_NON_NULL_TYPE:
        gqlv__sb_ast_type(sb, t->of_type);
        gqlv__sb_add(sb, "!", 1);
        break;
    }
}

/* ---- literals ---- */

/* graphql-js' printString: JSON-like escapes for C0 controls, the quote,
 * the backslash, DEL and the C1 controls (U+0080 to U+009F). */
static void print_string(gqlv__sb_t *sb, facet_str_t s)
{
    static const char hex[] = "0123456789ABCDEF";
    gqlv__sb_add(sb, "\"", 1);
    const unsigned char *p = (const unsigned char *)s.base;
    for (size_t i = 0; i < s.len; i++) {
        unsigned c = p[i];
        if (c == 0xC2 && i + 1 < s.len && p[i + 1] >= 0x80 && p[i + 1] <= 0x9F)
            c = p[++i]; /* a C1 control, escaped below */
        else if (c >= 0x80) {
            gqlv__sb_add(sb, s.base + i, 1);
            continue;
        }
        const char *rep = NULL;
        switch (c) {
        case '\b':
            rep = "\\b";
            break;
        case '\t':
            rep = "\\t";
            break;
        case '\n':
            rep = "\\n";
            break;
        case '\f':
            rep = "\\f";
            break;
        case '\r':
            rep = "\\r";
            break;
        case '"':
            rep = "\\\"";
            break;
        case '\\':
            rep = "\\\\";
            break;
        default:
            break;
        }
        char esc[7];
        if (!rep && (c < 0x20 || c >= 0x7F)) {
            memcpy(esc, "\\u00", 4);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            esc[6] = '\0';
            rep = esc;
        }
        if (rep)
            gqlv__sb_cstr(sb, rep);
        else
            gqlv__sb_add(sb, (const char *)&p[i], 1);
    }
    gqlv__sb_add(sb, "\"", 1);
}

static bool ends_with(facet_str_t s, const char *suffix)
{
    size_t n = strlen(suffix);
    return s.len >= n && memcmp(s.base + s.len - n, suffix, n) == 0;
}

/* Length in UTF-16 code units, as JavaScript counts string length. */
static size_t utf16_length(facet_str_t s)
{
    size_t n = 0;
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.base[i];
        if ((c & 0xC0) != 0x80)
            n += c >= 0xF0 ? 2 : 1;
    }
    return n;
}

/* graphql-js' printBlockString (without the minimize option). */
static void print_block_string(gqlv__sb_t *sb, facet_str_t value)
{
    gqlv__sb_t esc;
    gqlv__sb_init(&esc, sb->a);
    for (size_t i = 0; i < value.len; i++) {
        if (i + 3 <= value.len && memcmp(value.base + i, "\"\"\"", 3) == 0) {
            gqlv__sb_cstr(&esc, "\\\"\"\"");
            i += 2;
        } else {
            gqlv__sb_add(&esc, value.base + i, 1);
        }
    }
    facet_str_t e = {esc.buf ? esc.buf : "", esc.len};
    bool single = true, lead_ws = true;
    for (size_t i = 0; i < e.len; i++) {
        if (e.base[i] != '\n' && e.base[i] != '\r')
            continue;
        single = false;
        if (e.base[i] == '\r' && i + 1 < e.len && e.base[i + 1] == '\n')
            i++;
        char next = i + 1 < e.len ? e.base[i + 1] : '\n';
        if (next != '\n' && next != '\r' && next != ' ' && next != '\t')
            lead_ws = false;
    }
    bool force_leading = !single && lead_ws;
    bool trailing_triple = ends_with(e, "\\\"\"\"");
    bool force_trailing = (ends_with(value, "\"") && !trailing_triple) || ends_with(value, "\\");
    bool multiple =
        !single || utf16_length(value) > 70 || force_trailing || force_leading || trailing_triple;
    bool skip_leading = single && value.len && (value.base[0] == ' ' || value.base[0] == '\t');
    gqlv__sb_cstr(sb, "\"\"\"");
    if ((multiple && !skip_leading) || force_leading)
        gqlv__sb_add(sb, "\n", 1);
    gqlv__sb_str(sb, e);
    if (multiple || force_trailing)
        gqlv__sb_add(sb, "\n", 1);
    gqlv__sb_cstr(sb, "\"\"\"");
}

void gqlv__sb_value(gqlv__sb_t *sb, const gql_ast_value_t *v)
{
    switch (v->kind) {
    case GQL_AST_VARIABLE:
        gqlv__sb_add(sb, "$", 1);
        gqlv__sb_str(sb, v->text);
        break;
    case GQL_AST_INT:
    case GQL_AST_FLOAT:
    case GQL_AST_ENUM:
        gqlv__sb_str(sb, v->text);
        break;
    case GQL_AST_STRING:
        if (v->block)
            print_block_string(sb, v->text);
        else
            print_string(sb, v->text);
        break;
    case GQL_AST_BOOLEAN:
        gqlv__sb_cstr(sb, v->boolean ? "true" : "false");
        break;
    case GQL_AST_NULL:
        gqlv__sb_cstr(sb, "null");
        break;
    case GQL_AST_LIST:
        gqlv__sb_add(sb, "[", 1);
        for (size_t i = 0; i < v->nitems; i++) {
            if (i)
                gqlv__sb_add(sb, ", ", 2);
            gqlv__sb_value(sb, v->items[i]);
        }
        gqlv__sb_add(sb, "]", 1);
        break;
    case GQL_AST_OBJECT:
        gqlv__sb_add(sb, "{", 1);
        for (size_t i = 0; i < v->nfields; i++) {
            if (i)
                gqlv__sb_add(sb, ", ", 2);
            gqlv__sb_str(sb, v->fields[i].name.value);
            gqlv__sb_add(sb, ": ", 2);
            gqlv__sb_value(sb, v->fields[i].value);
        }
        gqlv__sb_add(sb, "}", 1);
        break;
    }
}

/* ---- suggestions ---- */

static bool is_digit(int c)
{
    return c >= '0' && c <= '9';
}

int gqlv__natural_compare(facet_str_t a, facet_str_t b)
{
    size_t i = 0, j = 0;
    while (i < a.len && j < b.len) {
        int ca = (unsigned char)a.base[i], cb = (unsigned char)b.base[j];
        if (is_digit(ca) && is_digit(cb)) {
            /* Numbers as JavaScript doubles; a leading zero ends the run. */
            double na = 0, nb = 0;
            do {
                na = na * 10 + (ca - '0');
                ca = ++i < a.len ? (unsigned char)a.base[i] : -1;
            } while (is_digit(ca) && na > 0);
            do {
                nb = nb * 10 + (cb - '0');
                cb = ++j < b.len ? (unsigned char)b.base[j] : -1;
            } while (is_digit(cb) && nb > 0);
            if (na < nb)
                return -1;
            if (na > nb)
                return 1;
        } else {
            if (ca != cb)
                return ca < cb ? -1 : 1;
            i++;
            j++;
        }
    }
    return a.len < b.len ? -1 : a.len > b.len ? 1 : 0;
}

/* Decodes to lower-cased code points (ASCII letters only are folded, which
 * covers GraphQL names). Returns the count. */
static size_t lower_points(facet_str_t s, uint32_t *out)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)s.base;
    for (size_t i = 0; i < s.len;) {
        uint32_t c = p[i];
        size_t k = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (k > 1) {
            c &= 0x3Fu >> (k - 1);
            for (size_t m = 1; m < k && i + m < s.len; m++)
                c = (c << 6) | (p[i + m] & 0x3F);
        } else if (c >= 'A' && c <= 'Z') {
            c += 32;
        }
        out[n++] = c;
        i += k;
    }
    return n;
}

typedef struct lexdist {
    facet_str_t input;
    uint32_t *in;
    size_t nin;
    uint32_t *opt;
    size_t *rows[3];
} lexdist_t;

/* Damerau-Levenshtein distance with graphql-js' early exits; returns
 * (size_t)-1 when over threshold. */
static size_t measure(lexdist_t *d, facet_str_t option, size_t threshold)
{
    if (facet_str_eq(d->input, option))
        return 0;
    size_t nopt = lower_points(option, d->opt);
    if (nopt == d->nin && memcmp(d->opt, d->in, nopt * sizeof *d->in) == 0)
        return 1;
    const uint32_t *a = d->opt, *b = d->in;
    size_t alen = nopt, blen = d->nin;
    if (alen < blen) {
        a = d->in, b = d->opt;
        alen = d->nin, blen = nopt;
    }
    if (alen - blen > threshold)
        return (size_t)-1;
    for (size_t j = 0; j <= blen; j++)
        d->rows[0][j] = j;
    for (size_t i = 1; i <= alen; i++) {
        size_t *up = d->rows[(i - 1) % 3], *cur = d->rows[i % 3];
        size_t smallest = cur[0] = i;
        for (size_t j = 1; j <= blen; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t cell = up[j] + 1;
            if (cur[j - 1] + 1 < cell)
                cell = cur[j - 1] + 1;
            if (up[j - 1] + cost < cell)
                cell = up[j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                size_t dd = d->rows[(i - 2) % 3][j - 2] + 1;
                if (dd < cell)
                    cell = dd;
            }
            if (cell < smallest)
                smallest = cell;
            cur[j] = cell;
        }
        if (smallest > threshold)
            return (size_t)-1;
    }
    size_t dist = d->rows[alen % 3][blen];
    return dist <= threshold ? dist : (size_t)-1;
}

typedef struct scored {
    facet_str_t name;
    size_t dist;
} scored_t;

static int scored_cmp(const void *a, const void *b, void *ctx)
{
    const scored_t *x = a, *y = b;
    if (x->dist != y->dist)
        return x->dist < y->dist ? -1 : 1;
    return gqlv__natural_compare(x->name, y->name);
}

size_t gqlv__suggest(facet_arena_t *a, facet_str_t input, const facet_str_t *options,
                     size_t noptions, facet_str_t *out, size_t cap)
{
    if (!noptions || !cap)
        return 0;
    size_t maxopt = 0;
    for (size_t i = 0; i < noptions; i++)
        maxopt = options[i].len > maxopt ? options[i].len : maxopt;
    lexdist_t d = {.input = input};
    d.in = FACET_ARENA_ARRAY(a, uint32_t, input.len + 1);
    d.opt = FACET_ARENA_ARRAY(a, uint32_t, maxopt + 1);
    size_t width = (input.len > maxopt ? input.len : maxopt) + 1;
    for (int r = 0; r < 3; r++)
        d.rows[r] = FACET_ARENA_ARRAY(a, size_t, width);
    scored_t *hits = FACET_ARENA_ARRAY(a, scored_t, noptions);
    if (!d.in || !d.opt || !d.rows[0] || !d.rows[1] || !d.rows[2] || !hits)
        return 0;
    d.nin = lower_points(input, d.in);
    size_t threshold = utf16_length(input) * 4 / 10 + 1;
    size_t nhits = 0;
    for (size_t i = 0; i < noptions; i++) {
        bool dup = false;
        for (size_t k = 0; k < nhits && !dup; k++)
            dup = facet_str_eq(hits[k].name, options[i]);
        if (dup)
            continue;
        size_t dist = measure(&d, options[i], threshold);
        if (dist == (size_t)-1)
            continue;
        hits[nhits].name = options[i];
        hits[nhits].dist = dist;
        nhits++;
    }
    const void **order = FACET_ARENA_ARRAY(a, const void *, nhits + 1);
    if (!order)
        return 0;
    for (size_t i = 0; i < nhits; i++)
        order[i] = &hits[i];
    gqlv__sort(order, nhits, scored_cmp, NULL);
    size_t n = nhits < cap ? nhits : cap;
    for (size_t i = 0; i < n; i++)
        out[i] = ((const scored_t *)order[i])->name;
    return n;
}

void gqlv__sb_did_you_mean(gqlv__sb_t *sb, const char *sub, const facet_str_t *names, size_t n)
{
    if (n == 0)
        return;
    gqlv__sb_cstr(sb, " Did you mean ");
    if (sub) {
        gqlv__sb_cstr(sb, sub);
        gqlv__sb_add(sb, " ", 1);
    }
    if (n > 5)
        n = 5;
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            gqlv__sb_cstr(sb, n == 2 ? " or " : i == n - 1 ? ", or " : ", ");
        gqlv__sb_printf(sb, "\"%.*s\"", (int)names[i].len, names[i].base);
    }
    gqlv__sb_add(sb, "?", 1);
}
