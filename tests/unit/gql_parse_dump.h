/* A canonical one-line-per-definition text form of a parsed document, for
 * the parser's unit tests and for comparing the parser with graphql-js
 * (the same form is printed from graphql-js' AST by a small script).
 * Header-only so that both a test file and a scratch driver can use it. */
#ifndef FACET_TEST_GQL_PARSE_DUMP_H
#define FACET_TEST_GQL_PARSE_DUMP_H

#include "core/buf.h"
#include "gql/ast.h"
#include "gql/lexer.h"

static void dump_loc(facet_buf_t *b, gql_loc_t l)
{
    facet_buf_printf(b, "@%u:%u", l.line, l.column);
}

/* Quotes s with every character outside printable ASCII (and " and \) as
 * \u{hex}. */
static void dump_quote(facet_buf_t *b, facet_str_t s)
{
    facet_buf_append(b, "\"", 1);
    for (size_t i = 0; i < s.len;) {
        uint32_t cp = 0;
        size_t n = gql_utf8_decode(s.base + i, s.len - i, &cp);
        if (!n)
            n = 1, cp = 0xFFFD;
        if (cp >= 0x20 && cp <= 0x7E && cp != '"' && cp != '\\')
            facet_buf_append(b, s.base + i, 1);
        else
            facet_buf_printf(b, "\\u{%x}", (unsigned)cp);
        i += n;
    }
    facet_buf_append(b, "\"", 1);
}

static void dump_name(facet_buf_t *b, const gql_ast_name_t *n)
{
    if (!n->value.base) {
        facet_buf_append_str(b, "-");
        return;
    }
    facet_buf_append(b, n->value.base, n->value.len);
    dump_loc(b, n->loc);
}

static void dump_value(facet_buf_t *b, const gql_ast_value_t *v)
{
    switch (v->kind) {
    case GQL_AST_VARIABLE:
        facet_buf_printf(b, "$%.*s", (int)v->text.len, v->text.base);
        break;
    case GQL_AST_INT:
    case GQL_AST_FLOAT:
        facet_buf_printf(b, "%c:%.*s", v->kind == GQL_AST_INT ? 'i' : 'f', (int)v->text.len,
                         v->text.base);
        break;
    case GQL_AST_STRING:
        facet_buf_append_str(b, "s:");
        dump_quote(b, v->text);
        if (v->block)
            facet_buf_append_str(b, "b");
        break;
    case GQL_AST_BOOLEAN:
        facet_buf_append_str(b, v->boolean ? "true" : "false");
        break;
    case GQL_AST_NULL:
        facet_buf_append_str(b, "null");
        break;
    case GQL_AST_ENUM:
        facet_buf_printf(b, "e:%.*s", (int)v->text.len, v->text.base);
        break;
    case GQL_AST_LIST:
        facet_buf_append_str(b, "[");
        for (size_t i = 0; i < v->nitems; i++) {
            facet_buf_append_str(b, i ? ", " : "");
            dump_value(b, v->items[i]);
        }
        facet_buf_append_str(b, "]");
        break;
    case GQL_AST_OBJECT:
        facet_buf_append_str(b, "{");
        for (size_t i = 0; i < v->nfields; i++) {
            facet_buf_append_str(b, i ? ", " : "");
            dump_name(b, &v->fields[i].name);
            facet_buf_append_str(b, ": ");
            dump_value(b, v->fields[i].value);
        }
        facet_buf_append_str(b, "}");
        break;
    }
    dump_loc(b, v->loc);
}

static void dump_opt_value(facet_buf_t *b, const gql_ast_value_t *v)
{
    if (v)
        dump_value(b, v);
    else
        facet_buf_append_str(b, "-");
}

static void dump_type(facet_buf_t *b, const gql_ast_type_t *t)
{
    if (t->kind == GQL_AST_NAMED_TYPE) {
        dump_name(b, &t->name);
        return;
    }
    if (t->kind == GQL_AST_LIST_TYPE)
        facet_buf_append_str(b, "[");
    dump_type(b, t->of_type);
    facet_buf_append_str(b, t->kind == GQL_AST_LIST_TYPE ? "]" : "!");
    dump_loc(b, t->loc);
}

static void dump_args(facet_buf_t *b, const gql_ast_argument_t *a, size_t n)
{
    facet_buf_append_str(b, "(");
    for (size_t i = 0; i < n; i++) {
        facet_buf_append_str(b, i ? ", " : "");
        dump_name(b, &a[i].name);
        facet_buf_append_str(b, ": ");
        dump_value(b, a[i].value);
    }
    facet_buf_append_str(b, ")");
}

static void dump_dirs(facet_buf_t *b, const gql_ast_directive_t *d, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        facet_buf_append_str(b, " @");
        dump_name(b, &d[i].name);
        dump_args(b, d[i].args, d[i].nargs);
    }
}

static void dump_set(facet_buf_t *b, const gql_ast_selection_set_t *s);

static void dump_sel(facet_buf_t *b, const gql_ast_selection_t *s)
{
    switch (s->kind) {
    case GQL_AST_FIELD:
        facet_buf_append_str(b, "F ");
        dump_name(b, &s->alias);
        facet_buf_append_str(b, " ");
        dump_name(b, &s->name);
        facet_buf_append_str(b, " ");
        dump_args(b, s->args, s->nargs);
        dump_dirs(b, s->directives, s->ndirectives);
        facet_buf_append_str(b, " ");
        dump_set(b, s->selection_set);
        break;
    case GQL_AST_FRAGMENT_SPREAD:
        facet_buf_append_str(b, "S ");
        dump_name(b, &s->name);
        dump_dirs(b, s->directives, s->ndirectives);
        break;
    case GQL_AST_INLINE_FRAGMENT:
        facet_buf_append_str(b, "I ");
        dump_name(b, &s->type_condition);
        dump_dirs(b, s->directives, s->ndirectives);
        facet_buf_append_str(b, " ");
        dump_set(b, s->selection_set);
        break;
    }
    dump_loc(b, s->loc);
}

static void dump_set(facet_buf_t *b, const gql_ast_selection_set_t *s)
{
    if (!s) {
        facet_buf_append_str(b, "-");
        return;
    }
    facet_buf_append_str(b, "{");
    dump_loc(b, s->loc);
    facet_buf_append_str(b, " ");
    for (size_t i = 0; i < s->nitems; i++) {
        facet_buf_append_str(b, i ? "; " : "");
        dump_sel(b, s->items[i]);
    }
    facet_buf_append_str(b, "}");
}

static void dump_desc(facet_buf_t *b, facet_str_t d)
{
    if (d.base)
        dump_quote(b, d);
    else
        facet_buf_append_str(b, "-");
}

static void dump_ivds(facet_buf_t *b, const gql_ast_input_value_def_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        facet_buf_append_str(b, i ? "; IV " : "IV ");
        dump_desc(b, v[i].description);
        facet_buf_append_str(b, " ");
        dump_name(b, &v[i].name);
        facet_buf_append_str(b, " ");
        dump_type(b, v[i].type);
        facet_buf_append_str(b, " = ");
        dump_opt_value(b, v[i].default_value);
        dump_dirs(b, v[i].directives, v[i].ndirectives);
        dump_loc(b, v[i].loc);
    }
}

static void dump_names(facet_buf_t *b, const gql_ast_name_t *n, size_t count)
{
    facet_buf_append_str(b, "[");
    for (size_t i = 0; i < count; i++) {
        facet_buf_append_str(b, i ? ", " : "");
        dump_name(b, &n[i]);
    }
    facet_buf_append_str(b, "]");
}

static const char *const dump_ops[] = {"query", "mutation", "subscription"};

static void dump_operation(facet_buf_t *b, const gql_ast_operation_t *op)
{
    facet_buf_printf(b, "OP %s ", dump_ops[op->operation]);
    dump_name(b, &op->name);
    facet_buf_append_str(b, " (");
    for (size_t i = 0; i < op->nvariables; i++) {
        const gql_ast_variable_def_t *v = &op->variables[i];
        facet_buf_append_str(b, i ? "; V " : "V ");
        dump_name(b, &v->name);
        facet_buf_append_str(b, " ");
        dump_type(b, v->type);
        facet_buf_append_str(b, " = ");
        dump_opt_value(b, v->default_value);
        dump_dirs(b, v->directives, v->ndirectives);
        dump_loc(b, v->loc);
    }
    facet_buf_append_str(b, ")");
    dump_dirs(b, op->directives, op->ndirectives);
    facet_buf_append_str(b, " ");
    dump_set(b, op->selection_set);
    dump_loc(b, op->loc);
}

static void dump_type_body(facet_buf_t *b, const gql_ast_type_def_t *t)
{
    switch (t->kind) {
    case GQL_OBJECT:
    case GQL_INTERFACE:
        facet_buf_append_str(b, "impl ");
        dump_names(b, t->interfaces, t->ninterfaces);
        facet_buf_append_str(b, " | fields ");
        for (size_t i = 0; i < t->nfields; i++) {
            const gql_ast_field_def_t *f = &t->fields[i];
            facet_buf_append_str(b, i ? "; FD " : "FD ");
            dump_desc(b, f->description);
            facet_buf_append_str(b, " ");
            dump_name(b, &f->name);
            facet_buf_append_str(b, " (");
            dump_ivds(b, f->args, f->nargs);
            facet_buf_append_str(b, ") ");
            dump_type(b, f->type);
            dump_dirs(b, f->directives, f->ndirectives);
            dump_loc(b, f->loc);
        }
        break;
    case GQL_INPUT_OBJECT:
        facet_buf_append_str(b, "inputs ");
        dump_ivds(b, t->input_fields, t->ninput_fields);
        break;
    case GQL_ENUM:
        facet_buf_append_str(b, "values ");
        for (size_t i = 0; i < t->nvalues; i++) {
            facet_buf_append_str(b, i ? "; EV " : "EV ");
            dump_desc(b, t->values[i].description);
            facet_buf_append_str(b, " ");
            dump_name(b, &t->values[i].name);
            dump_dirs(b, t->values[i].directives, t->values[i].ndirectives);
            dump_loc(b, t->values[i].loc);
        }
        break;
    case GQL_UNION:
        facet_buf_append_str(b, "members ");
        dump_names(b, t->members, t->nmembers);
        break;
    case GQL_SCALAR:
        break;
    }
}

static void dump_definition(facet_buf_t *b, const gql_ast_definition_t *d)
{
    static const char *const kinds[] = {"scalar", "type", "interface", "union", "enum", "input"};
    switch (d->kind) {
    case GQL_AST_OPERATION_DEF:
        dump_operation(b, d->u.operation);
        break;
    case GQL_AST_FRAGMENT_DEF:
        facet_buf_append_str(b, "FR ");
        dump_name(b, &d->u.fragment->name);
        facet_buf_append_str(b, " ");
        dump_name(b, &d->u.fragment->type_condition);
        dump_dirs(b, d->u.fragment->directives, d->u.fragment->ndirectives);
        facet_buf_append_str(b, " ");
        dump_set(b, d->u.fragment->selection_set);
        dump_loc(b, d->u.fragment->loc);
        break;
    case GQL_AST_SCHEMA_DEF: {
        const gql_ast_schema_def_t *s = d->u.schema;
        facet_buf_printf(b, "SCHEMA %s ", s->extension ? "ext" : "def");
        dump_desc(b, s->description);
        dump_dirs(b, s->directives, s->ndirectives);
        facet_buf_append_str(b, " {");
        for (size_t i = 0; i < s->noperation_types; i++) {
            facet_buf_printf(b, "%s%s: ", i ? ", " : "", dump_ops[s->operation_types[i].operation]);
            dump_name(b, &s->operation_types[i].type);
            dump_loc(b, s->operation_types[i].loc);
        }
        facet_buf_append_str(b, "}");
        dump_loc(b, s->loc);
        break;
    }
    case GQL_AST_TYPE_DEF: {
        const gql_ast_type_def_t *t = d->u.type;
        facet_buf_printf(b, "T %s %s ", kinds[t->kind], t->extension ? "ext" : "def");
        dump_desc(b, t->description);
        facet_buf_append_str(b, " ");
        dump_name(b, &t->name);
        dump_dirs(b, t->directives, t->ndirectives);
        facet_buf_append_str(b, " ");
        dump_type_body(b, t);
        dump_loc(b, t->loc);
        break;
    }
    case GQL_AST_DIRECTIVE_DEF: {
        const gql_ast_directive_def_t *dd = d->u.directive;
        facet_buf_append_str(b, "DD ");
        dump_desc(b, dd->description);
        facet_buf_append_str(b, " ");
        dump_name(b, &dd->name);
        facet_buf_append_str(b, " (");
        dump_ivds(b, dd->args, dd->nargs);
        facet_buf_printf(b, ") %s ", dd->repeatable ? "true" : "false");
        dump_names(b, dd->locations, dd->nlocations);
        dump_loc(b, dd->loc);
        break;
    }
    }
    /* The definition's own location must be its node's first token. */
    gql_loc_t l = d->loc, inner = {0, 0};
    switch (d->kind) {
    case GQL_AST_OPERATION_DEF:
        inner = d->u.operation->loc;
        break;
    case GQL_AST_FRAGMENT_DEF:
        inner = d->u.fragment->loc;
        break;
    case GQL_AST_SCHEMA_DEF:
        inner = d->u.schema->loc;
        break;
    case GQL_AST_TYPE_DEF:
        inner = d->u.type->loc;
        break;
    case GQL_AST_DIRECTIVE_DEF:
        inner = d->u.directive->loc;
        break;
    }
    if (l.line != inner.line || l.column != inner.column)
        facet_buf_append_str(b, " LOC-MISMATCH");
}

/* "OK <ntokens>\n<one line per definition>" */
static void dump_document(facet_buf_t *b, const gql_ast_document_t *doc)
{
    facet_buf_printf(b, "OK %zu", doc->ntokens);
    for (size_t i = 0; i < doc->ndefinitions; i++) {
        facet_buf_append_str(b, "\n");
        dump_definition(b, &doc->definitions[i]);
    }
}

#endif
