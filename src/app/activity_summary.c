/* The activity log's view of a mutation: its label and the redacted,
 * size-capped summary of its arguments (see activity_summary.h). */
#include "app/activity_summary.h"

#include <ctype.h>
#include <string.h>

#include "core/error.h"
#include "gql/json.h"

#define ELLIPSIS        "\xe2\x80\xa6" /* U+2026 */
#define TRUNCATED       "[truncated]"
#define MAX_VALUE_DEPTH 6   /* nesting kept inside one argument */
#define MAX_FRAG_DEPTH  8   /* fragment spreads followed at the root */
#define MAX_KEYS        64  /* root response keys remembered to skip repeats */
#define RESERVE         256 /* room kept for markers and closing brackets */
#define KEY_MAX         64  /* bytes of a JSON key kept */

/* ---- secrets ---- */

static bool contains_ci(facet_str_t s, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= s.len; i++) {
        size_t k = 0;
        while (k < n && tolower((unsigned char)s.base[i + k]) == needle[k])
            k++;
        if (k == n)
            return true;
    }
    return false;
}

bool app_activity_secret_name(facet_str_t name)
{
    static const char *const needles[] = {"password", "token", "secret", "receipt",
                                          "authorization"};
    for (size_t i = 0; i < sizeof needles / sizeof needles[0]; i++) {
        if (contains_ci(name, needles[i]))
            return true;
    }
    return false;
}

/* ---- the operation and its root fields ---- */

const gql_ast_operation_t *app_activity_select(const gql_ast_document_t *doc,
                                               facet_str_t operation_name)
{
    const gql_ast_operation_t *found = NULL;
    for (size_t i = 0; i < doc->ndefinitions; i++) {
        if (doc->definitions[i].kind != GQL_AST_OPERATION_DEF)
            continue;
        const gql_ast_operation_t *op = doc->definitions[i].u.operation;
        if (operation_name.base) {
            if (facet_str_eq(op->name.value, operation_name))
                return op;
        } else if (found) {
            return NULL; /* several: a name is required */
        } else {
            found = op;
        }
    }
    return found;
}

static const gql_ast_fragment_t *find_fragment(const gql_ast_document_t *doc, facet_str_t name)
{
    for (size_t i = 0; i < doc->ndefinitions; i++) {
        const gql_ast_definition_t *d = &doc->definitions[i];
        if (d->kind == GQL_AST_FRAGMENT_DEF && facet_str_eq(d->u.fragment->name.value, name))
            return d->u.fragment;
    }
    return NULL;
}

typedef void (*field_fn)(const gql_ast_selection_t *field, facet_str_t key, void *ctx);

typedef struct walk {
    const gql_ast_document_t *doc;
    field_fn fn;
    void *ctx;
    facet_str_t keys[MAX_KEYS];
    size_t nkeys;
} walk_t;

/* True the first time key is seen (always true past MAX_KEYS keys). */
static bool first_time(walk_t *w, facet_str_t key)
{
    for (size_t i = 0; i < w->nkeys; i++) {
        if (facet_str_eq(w->keys[i], key))
            return false;
    }
    if (w->nkeys < MAX_KEYS)
        w->keys[w->nkeys++] = key;
    return true;
}

/* Calls w->fn for each root field in document order, once per response
 * key, following fragment spreads and inline fragments. */
static void each_root_field(walk_t *w, const gql_ast_selection_set_t *set, int depth)
{
    if (!set || depth > MAX_FRAG_DEPTH)
        return;
    for (size_t i = 0; i < set->nitems; i++) {
        const gql_ast_selection_t *s = set->items[i];
        if (s->kind == GQL_AST_INLINE_FRAGMENT) {
            each_root_field(w, s->selection_set, depth + 1);
        } else if (s->kind == GQL_AST_FRAGMENT_SPREAD) {
            const gql_ast_fragment_t *f = find_fragment(w->doc, s->name.value);
            if (f)
                each_root_field(w, f->selection_set, depth + 1);
        } else {
            facet_str_t key = s->alias.value.base ? s->alias.value : s->name.value;
            if (!facet_str_eq(s->name.value, FACET_STR_LIT("__typename")) && first_time(w, key))
                w->fn(s, key, w->ctx);
        }
    }
}

/* ---- the label ---- */

typedef struct label {
    char *out;
    size_t len, cap;
    bool first, full;
    facet_str_t names[MAX_KEYS]; /* listed already (aliases repeat names) */
    size_t nnames;
} label_t;

static bool listed(label_t *l, facet_str_t name)
{
    for (size_t i = 0; i < l->nnames; i++) {
        if (facet_str_eq(l->names[i], name))
            return true;
    }
    if (l->nnames < MAX_KEYS)
        l->names[l->nnames++] = name;
    return false;
}

static void label_field(const gql_ast_selection_t *field, facet_str_t key, void *ctx)
{
    (void)key;
    label_t *l = ctx;
    facet_str_t name = field->name.value;
    size_t need = (l->first ? 0 : 2) + name.len;
    if (l->full || listed(l, name))
        return;
    /* Keep room for ", …" so a cut list says it was cut. */
    if (l->len + need + 6 > l->cap) {
        size_t room = l->cap - 1 - l->len;
        const char *tail = l->first ? ELLIPSIS : ", " ELLIPSIS;
        if (strlen(tail) <= room) {
            memcpy(l->out + l->len, tail, strlen(tail));
            l->len += strlen(tail);
        }
        l->full = true;
        return;
    }
    if (!l->first) {
        memcpy(l->out + l->len, ", ", 2);
        l->len += 2;
    }
    memcpy(l->out + l->len, name.base, name.len);
    l->len += name.len;
    l->first = false;
}

void app_activity_label(const gql_ast_document_t *doc, const gql_ast_operation_t *op, char *out,
                        size_t outlen)
{
    label_t l = {.out = out, .cap = outlen, .first = true};
    facet_str_t name = op->name.value;
    if (name.base && name.len + 2 + 8 < outlen) {
        memcpy(out, name.base, name.len);
        memcpy(out + name.len, ": ", 2);
        l.len = name.len + 2;
    }
    walk_t w = {.doc = doc, .fn = label_field, .ctx = &l};
    each_root_field(&w, op->selection_set, 0);
    out[l.len] = '\0';
}

/* ---- the summary ---- */

typedef struct sw {
    facet_buf_t *out;
    size_t limit; /* members that end past this are rolled back */
    bool full;    /* a member was rolled back: nothing more is written */
    int rc;
    const gql_value_t *vars;
    const gql_ast_operation_t *op;
} sw_t;

static void put(sw_t *w, const char *s, size_t len)
{
    if (w->rc == FACET_OK)
        w->rc = facet_buf_append(w->out, s, len);
}

static void put_str(sw_t *w, const char *s)
{
    put(w, s, strlen(s));
}

/* A JSON string of s, cut to max bytes at a character boundary. */
static void put_string(sw_t *w, facet_str_t s, size_t max)
{
    if (w->rc != FACET_OK)
        return;
    if (s.len <= max) {
        w->rc = gql_json_write_string(w->out, s.base ? s.base : "", s.len);
        return;
    }
    size_t n = max;
    while (n > 0 && ((unsigned char)s.base[n] & 0xC0) == 0x80)
        n--;
    facet_buf_t tmp;
    facet_buf_init(&tmp, 0);
    w->rc = facet_buf_append(&tmp, s.base, n);
    if (w->rc == FACET_OK)
        w->rc = facet_buf_append_str(&tmp, ELLIPSIS);
    if (w->rc == FACET_OK)
        w->rc = gql_json_write_string(w->out, tmp.base, tmp.len);
    facet_buf_free(&tmp);
}

static void put_key(sw_t *w, facet_str_t key)
{
    put_string(w, key, KEY_MAX);
    put(w, ":", 1);
}

/* One member or item of a container: mark where it starts so that one
 * ending past the limit can be taken back and replaced by the marker. */
typedef struct member {
    size_t mark;
    bool first;
} member_t;

static bool member_begin(sw_t *w, member_t *m, bool first)
{
    if (w->full || w->rc != FACET_OK)
        return false;
    m->mark = w->out->len;
    m->first = first;
    if (!first)
        put(w, ",", 1);
    return true;
}

static void member_end(sw_t *w, const member_t *m, bool object)
{
    if (w->full || w->rc != FACET_OK || w->out->len <= w->limit)
        return;
    w->out->len = m->mark;
    if (!m->first)
        put(w, ",", 1);
    put_str(w, object ? "\"" ELLIPSIS "\":\"" TRUNCATED "\"" : "\"" TRUNCATED "\"");
    w->full = true;
}

static void put_redacted(sw_t *w)
{
    put_str(w, "\"" APP_ACTIVITY_REDACTED "\"");
}

/* A JSON value (from the variables). */
static void put_json(sw_t *w, const gql_value_t *v, int depth)
{
    if (!v) {
        put_str(w, "null");
        return;
    }
    if ((v->kind == GQL_V_LIST || v->kind == GQL_V_OBJECT) && depth >= MAX_VALUE_DEPTH) {
        put_str(w, "\"" ELLIPSIS "\"");
        return;
    }
    switch (v->kind) {
    case GQL_V_NULL:
        put_str(w, "null");
        break;
    case GQL_V_BOOL:
    case GQL_V_INT:
    case GQL_V_FLOAT:
        if (w->rc == FACET_OK)
            w->rc = gql_json_write_value(w->out, v);
        break;
    case GQL_V_STRING:
        put_string(w, v->u.s, APP_ACTIVITY_STRING_MAX);
        break;
    case GQL_V_LIST:
        put(w, "[", 1);
        for (size_t i = 0; i < v->u.list.n; i++) {
            member_t m;
            if (!member_begin(w, &m, i == 0))
                break;
            put_json(w, v->u.list.items[i], depth + 1);
            member_end(w, &m, false);
        }
        put(w, "]", 1);
        break;
    case GQL_V_OBJECT:
        put(w, "{", 1);
        for (size_t i = 0; i < v->u.obj.n; i++) {
            const gql_member_t *mem = &v->u.obj.members[i];
            member_t m;
            if (!member_begin(w, &m, i == 0))
                break;
            put_key(w, mem->key);
            if (app_activity_secret_name(mem->key))
                put_redacted(w);
            else
                put_json(w, mem->value, depth + 1);
            member_end(w, &m, true);
        }
        put(w, "}", 1);
        break;
    }
}

/* The value a variable stands for: from the request, else its default
 * (as AST, returned through *def); NULL and *def NULL when it has none. */
static const gql_value_t *variable_value(const sw_t *w, facet_str_t name,
                                         const gql_ast_value_t **def)
{
    *def = NULL;
    const gql_value_t *v = w->vars ? gql_value_get(w->vars, name) : NULL;
    if (v)
        return v;
    for (size_t i = 0; i < w->op->nvariables; i++) {
        if (facet_str_eq(w->op->variables[i].name.value, name)) {
            *def = w->op->variables[i].default_value;
            break;
        }
    }
    return NULL;
}

/* True when the value is a variable that has no value at all. */
static bool absent_variable(const sw_t *w, const gql_ast_value_t *v)
{
    const gql_ast_value_t *def;
    return v->kind == GQL_AST_VARIABLE && !variable_value(w, v->text, &def) && !def;
}

/* A literal of the document, variables filled in. */
static void put_ast(sw_t *w, const gql_ast_value_t *v, int depth)
{
    if ((v->kind == GQL_AST_LIST || v->kind == GQL_AST_OBJECT) && depth >= MAX_VALUE_DEPTH) {
        put_str(w, "\"" ELLIPSIS "\"");
        return;
    }
    const gql_ast_value_t *def;
    const gql_value_t *jv;
    switch (v->kind) {
    case GQL_AST_VARIABLE:
        if (app_activity_secret_name(v->text)) {
            put_redacted(w);
        } else if ((jv = variable_value(w, v->text, &def)) != NULL) {
            put_json(w, jv, depth);
        } else if (def) {
            put_ast(w, def, depth);
        } else {
            put_str(w, "null");
        }
        break;
    case GQL_AST_INT:
    case GQL_AST_FLOAT:
        put(w, v->text.base, v->text.len);
        break;
    case GQL_AST_STRING:
    case GQL_AST_ENUM:
        put_string(w, v->text, APP_ACTIVITY_STRING_MAX);
        break;
    case GQL_AST_BOOLEAN:
        put_str(w, v->boolean ? "true" : "false");
        break;
    case GQL_AST_NULL:
        put_str(w, "null");
        break;
    case GQL_AST_LIST:
        put(w, "[", 1);
        for (size_t i = 0; i < v->nitems; i++) {
            member_t m;
            if (!member_begin(w, &m, i == 0))
                break;
            put_ast(w, v->items[i], depth + 1);
            member_end(w, &m, false);
        }
        put(w, "]", 1);
        break;
    case GQL_AST_OBJECT: {
        put(w, "{", 1);
        bool first = true;
        for (size_t i = 0; i < v->nfields; i++) {
            const gql_ast_object_field_t *f = &v->fields[i];
            member_t m;
            if (absent_variable(w, f->value))
                continue;
            if (!member_begin(w, &m, first))
                break;
            first = false;
            put_key(w, f->name.value);
            if (app_activity_secret_name(f->name.value))
                put_redacted(w);
            else
                put_ast(w, f->value, depth + 1);
            member_end(w, &m, true);
        }
        put(w, "}", 1);
        break;
    }
    }
}

typedef struct fields_ctx {
    sw_t *w;
    bool first;
} fields_ctx_t;

static void summary_field(const gql_ast_selection_t *field, facet_str_t key, void *ctx)
{
    fields_ctx_t *fc = ctx;
    sw_t *w = fc->w;
    member_t m;
    if (!member_begin(w, &m, fc->first))
        return;
    fc->first = false;
    put_key(w, key);
    put(w, "{", 1);
    bool first = true;
    for (size_t i = 0; i < field->nargs; i++) {
        const gql_ast_argument_t *a = &field->args[i];
        member_t am;
        if (absent_variable(w, a->value))
            continue;
        if (!member_begin(w, &am, first))
            break;
        first = false;
        put_key(w, a->name.value);
        if (app_activity_secret_name(a->name.value))
            put_redacted(w);
        else
            put_ast(w, a->value, 0);
        member_end(w, &am, true);
    }
    put(w, "}", 1);
    member_end(w, &m, true);
}

int app_activity_summarize(const gql_ast_document_t *doc, const gql_ast_operation_t *op,
                           const gql_value_t *variables, size_t cap, facet_buf_t *out)
{
    static const char too_big[] = "{\"" ELLIPSIS "\":\"" TRUNCATED "\"}";
    if (cap < RESERVE)
        cap = RESERVE;
    size_t start = out->len;
    sw_t w = {.out = out, .limit = start + cap - RESERVE / 2, .vars = variables, .op = op};
    if (variables && variables->kind != GQL_V_OBJECT)
        w.vars = NULL;
    put(&w, "{", 1);
    fields_ctx_t fc = {&w, true};
    walk_t walk = {.doc = doc, .fn = summary_field, .ctx = &fc};
    each_root_field(&walk, op->selection_set, 0);
    put(&w, "}", 1);
    if (w.rc == FACET_OK && out->len - start > cap) {
        /* Markers deep in long keys may pass the bound: give up on detail. */
        out->len = start;
        put(&w, too_big, sizeof too_big - 1);
    }
    if (w.rc != FACET_OK)
        out->len = start;
    return w.rc;
}
