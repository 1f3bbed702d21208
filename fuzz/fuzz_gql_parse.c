/* libFuzzer target for the GraphQL lexer and parser (executable documents
 * and SDL alike) and for the value printer. Besides crashes, leaks and
 * unbounded recursion, it aborts when a contract of gql/parser.h breaks:
 * one error with a location on failure, none on success; the same input
 * with less memory must fail with FACET_ENOMEM; every value printed by
 * gql_ast_print_value must parse back to the same value. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "gql/ast_print.h"
#include "gql/parser.h"

/* Small limits, so that the fuzzer reaches every limit path. */
static const gql_parse_limits_t LIMITS = {
    .max_length = 16 * 1024,
    .max_tokens = 2000,
    .max_depth = 12,
};
#define ARENA_LIMIT (8 * 1024 * 1024)

#define ASSERT(cond) \
    do {             \
        if (!(cond)) \
            abort(); \
    } while (0)

static bool same_value(const gql_ast_value_t *a, const gql_ast_value_t *b)
{
    if (a->kind != b->kind || !facet_str_eq(a->text, b->text) || a->boolean != b->boolean ||
        a->nitems != b->nitems || a->nfields != b->nfields)
        return false;
    for (size_t i = 0; i < a->nitems; i++)
        if (!same_value(a->items[i], b->items[i]))
            return false;
    for (size_t i = 0; i < a->nfields; i++)
        if (!facet_str_eq(a->fields[i].name.value, b->fields[i].name.value) ||
            !same_value(a->fields[i].value, b->fields[i].value))
            return false;
    return true;
}

/* Prints v, parses it back as an argument and compares. */
static void check_round_trip(const gql_ast_value_t *v)
{
    facet_buf_t text;
    facet_buf_init(&text, 0);
    ASSERT(facet_buf_append_str(&text, "{f(x:") == 0);
    ASSERT(gql_ast_print_value(v, &text) == 0);
    ASSERT(facet_buf_append_str(&text, ")}") == 0);
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_error_list_t errors;
    gql_errors_init(&errors, &a, 0);
    gql_parse_limits_t limits = {SIZE_MAX, SIZE_MAX, LIMITS.max_depth + 1};
    gql_ast_document_t *doc = NULL;
    ASSERT(gql_parse(&a, text.base, text.len, &limits, &doc, &errors) == FACET_OK);
    const gql_ast_value_t *back =
        doc->definitions[0].u.operation->selection_set->items[0]->args[0].value;
    ASSERT(same_value(v, back));
    facet_arena_free(&a);
    facet_buf_free(&text);
}

static void check_args(const gql_ast_argument_t *args, size_t n)
{
    for (size_t i = 0; i < n; i++)
        check_round_trip(args[i].value);
}

static void check_directives(const gql_ast_directive_t *d, size_t n)
{
    for (size_t i = 0; i < n; i++)
        check_args(d[i].args, d[i].nargs);
}

static void check_selections(const gql_ast_selection_set_t *set)
{
    for (size_t i = 0; set && i < set->nitems; i++) {
        const gql_ast_selection_t *s = set->items[i];
        check_args(s->args, s->nargs);
        check_directives(s->directives, s->ndirectives);
        check_selections(s->selection_set);
    }
}

static void check_input_values(const gql_ast_input_value_def_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (v[i].default_value)
            check_round_trip(v[i].default_value);
        check_directives(v[i].directives, v[i].ndirectives);
    }
}

static void check_definition(const gql_ast_definition_t *d)
{
    switch (d->kind) {
    case GQL_AST_OPERATION_DEF: {
        const gql_ast_operation_t *op = d->u.operation;
        for (size_t i = 0; i < op->nvariables; i++) {
            if (op->variables[i].default_value)
                check_round_trip(op->variables[i].default_value);
            check_directives(op->variables[i].directives, op->variables[i].ndirectives);
        }
        check_directives(op->directives, op->ndirectives);
        check_selections(op->selection_set);
        break;
    }
    case GQL_AST_FRAGMENT_DEF:
        check_directives(d->u.fragment->directives, d->u.fragment->ndirectives);
        check_selections(d->u.fragment->selection_set);
        break;
    case GQL_AST_SCHEMA_DEF:
        check_directives(d->u.schema->directives, d->u.schema->ndirectives);
        break;
    case GQL_AST_TYPE_DEF: {
        const gql_ast_type_def_t *t = d->u.type;
        check_directives(t->directives, t->ndirectives);
        for (size_t i = 0; i < t->nfields; i++) {
            check_input_values(t->fields[i].args, t->fields[i].nargs);
            check_directives(t->fields[i].directives, t->fields[i].ndirectives);
        }
        check_input_values(t->input_fields, t->ninput_fields);
        for (size_t i = 0; i < t->nvalues; i++)
            check_directives(t->values[i].directives, t->values[i].ndirectives);
        break;
    }
    case GQL_AST_DIRECTIVE_DEF:
        check_input_values(d->u.directive->args, d->u.directive->nargs);
        break;
    }
}

/* Parses with the given arena limit; returns the status and, through
 * used, the memory the arena handed out. */
static int parse_once(const uint8_t *data, size_t size, size_t arena_limit, size_t *used,
                      bool check_tree)
{
    facet_arena_t a;
    facet_arena_init(&a, arena_limit);
    gql_error_list_t errors;
    gql_errors_init(&errors, &a, 0);
    gql_ast_document_t *doc = NULL;
    int rc = gql_parse(&a, (const char *)data, size, &LIMITS, &doc, &errors);
    if (rc == FACET_OK) {
        ASSERT(doc && doc->ndefinitions > 0 && errors.count == 0);
        ASSERT(doc->ntokens <= LIMITS.max_tokens);
        for (size_t i = 0; check_tree && i < doc->ndefinitions; i++)
            check_definition(&doc->definitions[i]);
    } else if (rc == FACET_EINVAL) {
        ASSERT(!doc && errors.count == 1);
        const gql_error_t *e = errors.head;
        ASSERT(e->nlocations == 1 && e->locations[0].line >= 1 && e->locations[0].column >= 1);
        ASSERT(e->message.len > 14 && memcmp(e->message.base, "Syntax Error: ", 14) == 0);
        ASSERT(strcmp(e->code, GQL_CODE_PARSE_FAILED) == 0);
    } else {
        ASSERT(rc == FACET_ENOMEM && !doc && arena_limit);
    }
    *used = a.used;
    facet_arena_free(&a);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A heap copy of exactly size bytes, so reads past the end are caught
     * even where libFuzzer's buffer would hide them. */
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    if (size)
        memcpy(copy, data, size);
    size_t used = 0, ignored = 0;
    int rc = parse_once(copy, size, ARENA_LIMIT, &used, true);
    /* Allocation is deterministic: with half the memory a document that
     * parsed must run out, and one that failed fails the same way or
     * runs out first. */
    if (used > 1) {
        int again = parse_once(copy, size, used / 2, &ignored, false);
        ASSERT(again == FACET_ENOMEM || (rc != FACET_OK && again == rc));
    }
    free(copy);
    return 0;
}
