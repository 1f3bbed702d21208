/* printSchema: the schema back as SDL, exactly as graphql-js 16 prints it
 * (built-in scalars, introspection types and specified directives left
 * out; descriptions as block strings where graphql-js can print them so;
 * defaults as the coerced literal; no trailing newline). Literals are
 * written by gql/ast_print.h, which follows graphql-js' printer. */
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "gql/ast_print.h"
#include "gql/schema_internal.h"

#define DEFAULT_DEPRECATION_REASON "No longer supported"

/* ---- strings ---- */

static bool is_ws(char c)
{
    return c == ' ' || c == '\t';
}

/* graphql-js' isPrintableAsBlockString. */
static bool printable_as_block(facet_str_t v)
{
    bool empty_line = true, has_indent = false, common_indent = true, seen_non_empty = false;
    for (size_t i = 0; i < v.len; i++) {
        unsigned char c = (unsigned char)v.base[i];
        if (c <= 0x08 || c == 0x0B || c == 0x0C || c == 0x0D || c == 0x0E || c == 0x0F)
            return false;
        if (c == '\n') {
            if (empty_line && !seen_non_empty)
                return false; /* a leading empty line */
            seen_non_empty = true;
            empty_line = true;
            has_indent = false;
        } else if (is_ws((char)c)) {
            has_indent = has_indent || empty_line;
        } else {
            common_indent = common_indent && has_indent;
            empty_line = false;
        }
    }
    if (v.len && empty_line)
        return false; /* trailing empty lines */
    if (common_indent && seen_non_empty)
        return false; /* an indent on every line */
    return true;
}

const char *gql__sbuild_value_str(gql__sbuild_t *b, const gql_ast_value_t *v)
{
    facet_buf_t buf;
    facet_buf_init(&buf, 0);
    const char *res = "?";
    if (!gql_ast_print_value(v, &buf) && !facet_buf_append(&buf, "", 1)) {
        facet_str_t s = facet_arena_strdup(b->a, buf.base, buf.len - 1);
        if (s.base)
            res = s.base;
    }
    facet_buf_free(&buf);
    return res;
}

/* ---- definitions ---- */

/* graphql-js' printDescription: nothing when absent; a block string when
 * printable as one, else a plain string; indented; a blank line before
 * every description in a block but the first. */
static int print_description(facet_buf_t *out, facet_str_t d, const char *indent, bool first)
{
    if (!d.base)
        return FACET_OK;
    facet_buf_t lit;
    facet_buf_init(&lit, 0);
    int rc = printable_as_block(d) ? gql_ast_print_block_string(d.base, d.len, &lit)
                                   : gql_ast_print_string(d.base, d.len, &lit);
    if (!rc && indent[0] && !first)
        rc = facet_buf_printf(out, "\n%s", indent);
    else if (!rc)
        rc = facet_buf_append_str(out, indent);
    for (size_t i = 0; i < lit.len && !rc; i++) {
        rc = facet_buf_append(out, &lit.base[i], 1);
        if (!rc && lit.base[i] == '\n')
            rc = facet_buf_append_str(out, indent);
    }
    facet_buf_free(&lit);
    return rc ? rc : facet_buf_append(out, "\n", 1);
}

static int print_deprecated(facet_buf_t *out, facet_str_t reason)
{
    if (!reason.base)
        return FACET_OK;
    if (facet_str_eq(reason, FACET_STR_LIT(DEFAULT_DEPRECATION_REASON)))
        return facet_buf_append_str(out, " @deprecated");
    int rc = facet_buf_append_str(out, " @deprecated(reason: ");
    rc = rc ? rc : gql_ast_print_string(reason.base, reason.len, out);
    return rc ? rc : facet_buf_append(out, ")", 1);
}

static int print_input_value(facet_buf_t *out, const gql_input_value_t *iv)
{
    int rc = facet_buf_printf(out, "%.*s: ", (int)iv->name.len, iv->name.base);
    rc = rc ? rc : gql_type_ref_print(iv->type, out);
    if (!rc && iv->default_value) {
        rc = facet_buf_append_str(out, " = ");
        rc = rc ? rc : gql_ast_print_value(iv->default_value, out);
    }
    return rc ? rc : print_deprecated(out, iv->deprecation_reason);
}

static int print_args(facet_buf_t *out, const gql_input_value_t *args, size_t n, const char *indent)
{
    if (!n)
        return FACET_OK;
    bool described = false;
    for (size_t i = 0; i < n; i++)
        described = described || args[i].description.len > 0;
    int rc = facet_buf_append(out, "(", 1);
    if (!described) {
        for (size_t i = 0; i < n && !rc; i++) {
            rc = i ? facet_buf_append(out, ", ", 2) : FACET_OK;
            rc = rc ? rc : print_input_value(out, &args[i]);
        }
        return rc ? rc : facet_buf_append(out, ")", 1);
    }
    char inner[64];
    snprintf(inner, sizeof inner, "  %s", indent);
    rc = rc ? rc : facet_buf_append(out, "\n", 1);
    for (size_t i = 0; i < n && !rc; i++) {
        rc = i ? facet_buf_append(out, "\n", 1) : FACET_OK;
        rc = rc ? rc : print_description(out, args[i].description, inner, i == 0);
        rc = rc ? rc : facet_buf_append_str(out, inner);
        rc = rc ? rc : print_input_value(out, &args[i]);
    }
    return rc ? rc : facet_buf_printf(out, "\n%s)", indent);
}

static int print_fields(facet_buf_t *out, const gql_type_t *t)
{
    if (!t->nfields)
        return FACET_OK;
    int rc = facet_buf_append_str(out, " {\n");
    for (size_t i = 0; i < t->nfields && !rc; i++) {
        const gql_field_t *f = &t->fields[i];
        rc = i ? facet_buf_append(out, "\n", 1) : FACET_OK;
        rc = rc ? rc : print_description(out, f->description, "  ", i == 0);
        rc = rc ? rc : facet_buf_printf(out, "  %.*s", (int)f->name.len, f->name.base);
        rc = rc ? rc : print_args(out, f->args, f->nargs, "  ");
        rc = rc ? rc : facet_buf_append_str(out, ": ");
        rc = rc ? rc : gql_type_ref_print(f->type, out);
        rc = rc ? rc : print_deprecated(out, f->deprecation_reason);
    }
    return rc ? rc : facet_buf_append_str(out, "\n}");
}

static int print_composite(facet_buf_t *out, const gql_type_t *t)
{
    int rc = facet_buf_printf(out, "%s %.*s", t->kind == GQL_OBJECT ? "type" : "interface",
                              (int)t->name.len, t->name.base);
    for (size_t i = 0; i < t->ninterfaces && !rc; i++)
        rc = facet_buf_printf(out, "%s%.*s", i ? " & " : " implements ",
                              (int)t->interfaces[i]->name.len, t->interfaces[i]->name.base);
    return rc ? rc : print_fields(out, t);
}

static int print_union(facet_buf_t *out, const gql_type_t *t)
{
    int rc = facet_buf_printf(out, "union %.*s", (int)t->name.len, t->name.base);
    for (size_t i = 0; i < t->npossible && !rc; i++)
        rc = facet_buf_printf(out, "%s%.*s", i ? " | " : " = ", (int)t->possible[i]->name.len,
                              t->possible[i]->name.base);
    return rc;
}

static int print_enum(facet_buf_t *out, const gql_type_t *t)
{
    int rc = facet_buf_printf(out, "enum %.*s", (int)t->name.len, t->name.base);
    if (!t->nvalues)
        return rc;
    rc = rc ? rc : facet_buf_append_str(out, " {\n");
    for (size_t i = 0; i < t->nvalues && !rc; i++) {
        const gql_enum_value_t *v = &t->values[i];
        rc = i ? facet_buf_append(out, "\n", 1) : FACET_OK;
        rc = rc ? rc : print_description(out, v->description, "  ", i == 0);
        rc = rc ? rc : facet_buf_printf(out, "  %.*s", (int)v->name.len, v->name.base);
        rc = rc ? rc : print_deprecated(out, v->deprecation_reason);
    }
    return rc ? rc : facet_buf_append_str(out, "\n}");
}

static int print_input(facet_buf_t *out, const gql_type_t *t)
{
    int rc = facet_buf_printf(out, "input %.*s%s", (int)t->name.len, t->name.base,
                              t->one_of ? " @oneOf" : "");
    if (!t->ninput_fields)
        return rc;
    rc = rc ? rc : facet_buf_append_str(out, " {\n");
    for (size_t i = 0; i < t->ninput_fields && !rc; i++) {
        rc = i ? facet_buf_append(out, "\n", 1) : FACET_OK;
        rc = rc ? rc : print_description(out, t->input_fields[i].description, "  ", i == 0);
        rc = rc ? rc : facet_buf_append_str(out, "  ");
        rc = rc ? rc : print_input_value(out, &t->input_fields[i]);
    }
    return rc ? rc : facet_buf_append_str(out, "\n}");
}

static int print_type(facet_buf_t *out, const gql_type_t *t)
{
    int rc = print_description(out, t->description, "", true);
    if (rc)
        return rc;
    switch (t->kind) {
    case GQL_SCALAR:
        rc = facet_buf_printf(out, "scalar %.*s", (int)t->name.len, t->name.base);
        if (!rc && t->specified_by_url.base) {
            rc = facet_buf_append_str(out, " @specifiedBy(url: ");
            rc = rc ? rc
                    : gql_ast_print_string(t->specified_by_url.base, t->specified_by_url.len, out);
            rc = rc ? rc : facet_buf_append(out, ")", 1);
        }
        return rc;
    case GQL_OBJECT:
    case GQL_INTERFACE:
        return print_composite(out, t);
    case GQL_UNION:
        return print_union(out, t);
    case GQL_ENUM:
        return print_enum(out, t);
    case GQL_INPUT_OBJECT:
        return print_input(out, t);
    }
    return FACET_EINVAL;
}

static int print_directive(facet_buf_t *out, const gql_directive_t *d)
{
    int rc = print_description(out, d->description, "", true);
    rc = rc ? rc : facet_buf_printf(out, "directive @%.*s", (int)d->name.len, d->name.base);
    rc = rc ? rc : print_args(out, d->args, d->nargs, "");
    rc = rc ? rc : print_deprecated(out, d->deprecation_reason);
    if (!rc && d->repeatable)
        rc = facet_buf_append_str(out, " repeatable");
    for (size_t i = 0; i < d->nlocation_list && !rc; i++)
        rc = facet_buf_printf(out, "%s%s", i ? " | " : " on ",
                              gql_directive_location_name(d->location_list[i]));
    return rc;
}

static bool common_root(const gql_type_t *t, const char *name)
{
    return !t || facet_str_eq(t->name, facet_str_c(name));
}

static int print_schema_def(facet_buf_t *out, const gql_schema_t *s, bool *printed)
{
    *printed = false;
    if (!s->description.base && common_root(s->query, "Query") &&
        common_root(s->mutation, "Mutation") && common_root(s->subscription, "Subscription"))
        return FACET_OK;
    *printed = true;
    int rc = print_description(out, s->description, "", true);
    rc = rc ? rc : facet_buf_append_str(out, "schema {");
    const gql_type_t *roots[3] = {s->query, s->mutation, s->subscription};
    const char *ops[3] = {"query", "mutation", "subscription"};
    for (int i = 0; i < 3 && !rc; i++) {
        if (roots[i])
            rc = facet_buf_printf(out, "\n  %s: %.*s", ops[i], (int)roots[i]->name.len,
                                  roots[i]->name.base);
    }
    return rc ? rc : facet_buf_append_str(out, "\n}");
}

static bool specified_directive(facet_str_t name)
{
    static const char *const names[] = {"include", "skip", "deprecated", "specifiedBy", "oneOf"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (facet_str_eq(name, facet_str_c(names[i])))
            return true;
    }
    return false;
}

int gql_schema_print(const gql_schema_t *s, facet_buf_t *out)
{
    bool any = false;
    int rc = print_schema_def(out, s, &any);
    for (size_t i = 0; i < s->ndirectives && !rc; i++) {
        if (specified_directive(s->directives[i]->name))
            continue;
        rc = any ? facet_buf_append_str(out, "\n\n") : FACET_OK;
        rc = rc ? rc : print_directive(out, s->directives[i]);
        any = true;
    }
    for (size_t i = 0; i < s->ntypes && !rc; i++) {
        if (s->types[i]->builtin)
            continue;
        rc = any ? facet_buf_append_str(out, "\n\n") : FACET_OK;
        rc = rc ? rc : print_type(out, s->types[i]);
        any = true;
    }
    return rc;
}
