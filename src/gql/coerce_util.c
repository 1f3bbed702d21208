/* Text helpers for coercion messages, written to match graphql-js' wording:
 * inspect() of values, print() of literals and strings, type names, and
 * "Did you mean" suggestions (suggestionList's lexical distance). */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "gql/ast_print.h"
#include "gql/exec_internal.h"
#include "gql/json.h"

#define MSG_LIMIT (64 * 1024)

void exec__msgbuf(facet_buf_t *b)
{
    facet_buf_init(b, MSG_LIMIT);
}

facet_str_t exec__arena_str(gql_exec_t *ex, const facet_buf_t *b)
{
    facet_str_t s = facet_arena_strdup(ex->arena, b->len ? b->base : "", b->len);
    if (!s.base)
        exec__oom(ex);
    return s;
}

int exec__type_print(facet_buf_t *b, const gql_type_ref_t *t)
{
    return gql_type_ref_print(t, b);
}

/* ---- inspect ---- */

#define MAX_ARRAY_LENGTH    10
#define MAX_RECURSIVE_DEPTH 2

static int inspect_at(facet_buf_t *b, const gql_value_t *v, size_t seen)
{
    if (!v)
        return facet_buf_append_str(b, "null");
    switch (v->kind) {
    case GQL_V_NULL:
        return facet_buf_append_str(b, "null");
    case GQL_V_BOOL:
        return facet_buf_append_str(b, v->u.b ? "true" : "false");
    case GQL_V_INT:
        return gql_json_write_int(b, v->u.i);
    case GQL_V_FLOAT: {
        char num[GQL_NUMBER_BUF_SIZE];
        size_t n = gql_number_to_string(v->u.f, num);
        return facet_buf_append(b, num, n);
    }
    case GQL_V_STRING:
        return gql_json_write_string(b, v->u.s.base, v->u.s.len);
    case GQL_V_LIST: {
        size_t n = v->u.list.n;
        if (n == 0)
            return facet_buf_append_str(b, "[]");
        if (seen + 1 > MAX_RECURSIVE_DEPTH)
            return facet_buf_append_str(b, "[Array]");
        size_t shown = n < MAX_ARRAY_LENGTH ? n : MAX_ARRAY_LENGTH;
        int rc = facet_buf_append(b, "[", 1);
        for (size_t i = 0; i < shown && !rc; i++) {
            if (i)
                rc = facet_buf_append_str(b, ", ");
            rc = rc ? rc : inspect_at(b, v->u.list.items[i], seen + 1);
        }
        if (!rc && n - shown == 1)
            rc = facet_buf_append_str(b, ", ... 1 more item");
        else if (!rc && n > shown)
            rc = facet_buf_printf(b, ", ... %zu more items", n - shown);
        return rc ? rc : facet_buf_append(b, "]", 1);
    }
    case GQL_V_OBJECT: {
        size_t n = v->u.obj.n;
        if (n == 0)
            return facet_buf_append_str(b, "{}");
        if (seen + 1 > MAX_RECURSIVE_DEPTH)
            return facet_buf_append_str(b, "[Object]");
        int rc = facet_buf_append_str(b, "{ ");
        for (size_t i = 0; i < n && !rc; i++) {
            const gql_member_t *m = &v->u.obj.members[i];
            if (i)
                rc = facet_buf_append_str(b, ", ");
            rc = rc ? rc : facet_buf_append(b, m->key.base, m->key.len);
            rc = rc ? rc : facet_buf_append_str(b, ": ");
            rc = rc ? rc : inspect_at(b, m->value, seen + 1);
        }
        return rc ? rc : facet_buf_append_str(b, " }");
    }
    }
    return 0;
}

int exec__inspect(facet_buf_t *b, const gql_value_t *v)
{
    /* inspect(x) formats x with x itself already "seen": nested containers
     * print two levels deep, then [Array] or [Object]. */
    return inspect_at(b, v, 0);
}

/* ---- print ---- */

int exec__print_string(facet_buf_t *b, const char *s, size_t len)
{
    return gql_ast_print_string(s, len, b);
}

int exec__print_literal(facet_buf_t *b, const gql_ast_value_t *v)
{
    return gql_ast_print_value(v, b);
}

/* ---- suggestions ---- */

static unsigned char lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* Damerau-Levenshtein distance with graphql-js' shortcuts and threshold;
 * returns -1 when above the threshold. Names are ASCII. */
static int distance(facet_str_t input, facet_str_t option, size_t threshold)
{
    if (facet_str_eq(input, option))
        return 0;
    if (input.len == option.len) {
        size_t i = 0;
        while (i < input.len &&
               lower((unsigned char)input.base[i]) == lower((unsigned char)option.base[i]))
            i++;
        if (i == input.len)
            return 1;
    }
    facet_str_t a = option, b = input;
    if (a.len < b.len) {
        facet_str_t t = a;
        a = b;
        b = t;
    }
    if (a.len - b.len > threshold)
        return -1;
    if (b.len > 256)
        return -1;
    int rows[3][257];
    for (size_t j = 0; j <= b.len; j++)
        rows[0][j] = (int)j;
    for (size_t i = 1; i <= a.len; i++) {
        int *up = rows[(i - 1) % 3], *cur = rows[i % 3];
        int smallest = cur[0] = (int)i;
        for (size_t j = 1; j <= b.len; j++) {
            unsigned char ca = lower((unsigned char)a.base[i - 1]);
            unsigned char cb = lower((unsigned char)b.base[j - 1]);
            int cost = ca == cb ? 0 : 1;
            int cell = up[j] + 1;
            if (cur[j - 1] + 1 < cell)
                cell = cur[j - 1] + 1;
            if (up[j - 1] + cost < cell)
                cell = up[j - 1] + cost;
            if (i > 1 && j > 1 && ca == lower((unsigned char)b.base[j - 2]) &&
                lower((unsigned char)a.base[i - 2]) == cb) {
                int dd = rows[(i - 2) % 3][j - 2] + 1;
                if (dd < cell)
                    cell = dd;
            }
            if (cell < smallest)
                smallest = cell;
            cur[j] = cell;
        }
        if ((size_t)smallest > threshold)
            return -1;
    }
    int d = rows[a.len % 3][b.len];
    return (size_t)d <= threshold ? d : -1;
}

static int natural_compare(facet_str_t a, facet_str_t b)
{
    size_t i = 0, j = 0;
    while (i < a.len && j < b.len) {
        unsigned char ca = (unsigned char)a.base[i], cb = (unsigned char)b.base[j];
        if (ca >= '0' && ca <= '9' && cb >= '0' && cb <= '9') {
            unsigned long na = 0, nb = 0;
            do {
                na = na * 10 + (unsigned)(a.base[i++] - '0');
            } while (i < a.len && a.base[i] >= '0' && a.base[i] <= '9' && na > 0);
            do {
                nb = nb * 10 + (unsigned)(b.base[j++] - '0');
            } while (j < b.len && b.base[j] >= '0' && b.base[j] <= '9' && nb > 0);
            if (na != nb)
                return na < nb ? -1 : 1;
        } else {
            if (ca != cb)
                return ca < cb ? -1 : 1;
            i++, j++;
        }
    }
    return (int)a.len - (int)b.len;
}

typedef struct scored {
    facet_str_t s;
    int d;
} scored_t;

int exec__did_you_mean(facet_buf_t *b, const char *sub, facet_str_t input,
                       const facet_str_t *options, size_t noptions)
{
    if (noptions == 0)
        return 0;
    scored_t *list = malloc(noptions * sizeof *list);
    if (!list)
        return FACET_ENOMEM;
    size_t threshold = input.len * 4 / 10 + 1, n = 0;
    for (size_t i = 0; i < noptions; i++) {
        int d = distance(input, options[i], threshold);
        if (d < 0)
            continue;
        /* Insertion sort by distance, then natural order. */
        size_t k = n++;
        while (k > 0 && (list[k - 1].d > d ||
                         (list[k - 1].d == d && natural_compare(list[k - 1].s, options[i]) > 0))) {
            list[k] = list[k - 1];
            k--;
        }
        list[k].s = options[i];
        list[k].d = d;
    }
    int rc = 0;
    if (n > 0) {
        size_t shown = n < 5 ? n : 5;
        rc = facet_buf_append_str(b, " Did you mean ");
        if (!rc && sub)
            rc = facet_buf_printf(b, "%s ", sub);
        for (size_t i = 0; i < shown && !rc; i++) {
            if (i > 0)
                rc = facet_buf_append_str(b, n == 2 ? " or " : (i == shown - 1 ? ", or " : ", "));
            rc = rc ? rc : facet_buf_printf(b, "\"%.*s\"", (int)list[i].s.len, list[i].s.base);
        }
        rc = rc ? rc : facet_buf_append(b, "?", 1);
    }
    free(list);
    return rc;
}
