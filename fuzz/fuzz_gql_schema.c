/* libFuzzer target for building a schema from SDL (gql/schema.h): the
 * input is one SDL source. Besides crashes, leaks and unbounded recursion,
 * it aborts when a contract breaks: a failed build returns FACET_EINVAL
 * with no schema and at least one well-formed error that outlives the
 * freed schema; a built schema has no errors, finds each of its types and
 * directives by name, and prints (printSchema) to SDL that builds again
 * and prints to the very same text. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "gql/schema.h"

/* Schema building is meant for trusted files, so only the input size is
 * bounded here; the parser's own limits cover the rest. */
#define MAX_INPUT (16 * 1024)

#define ASSERT(cond) \
    do {             \
        if (!(cond)) \
            abort(); \
    } while (0)

static void check_errors(const gql_error_list_t *errors, size_t lines)
{
    ASSERT(errors->count >= 1 && errors->head);
    size_t n = 0;
    unsigned sum = 0;
    for (const gql_error_t *e = errors->head; e; e = e->next, n++) {
        ASSERT(e->message.base && e->message.len > 0 && e->message.base[e->message.len] == '\0');
        /* Read every byte, so ASan catches a message left in the schema's
         * arena, which was freed on failure. */
        for (size_t i = 0; i < e->message.len; i++)
            sum += (unsigned char)e->message.base[i];
        for (size_t i = 0; i < e->nlocations; i++)
            ASSERT(e->locations[i].line >= 1 && e->locations[i].line <= lines &&
                   e->locations[i].column >= 1);
        ASSERT(e->path == NULL);
    }
    ASSERT(n == errors->count && sum != 0);
    facet_buf_t json;
    facet_buf_init(&json, 0);
    ASSERT(gql_errors_write_json(errors, &json) == 0);
    facet_buf_free(&json);
}

static void check_lookups(const gql_schema_t *s)
{
    ASSERT(s->query && s->query->kind == GQL_OBJECT);
    for (size_t i = 0; i < s->ntypes; i++) {
        const gql_type_t *t = s->types[i];
        ASSERT(gql_schema_type(s, t->name) == t && t->index == i);
        for (size_t j = 0; j < t->nfields; j++)
            ASSERT(gql_type_field(t, t->fields[j].name) == &t->fields[j]);
        for (size_t j = 0; j < t->ninput_fields; j++)
            ASSERT(gql_type_input_field(t, t->input_fields[j].name) == &t->input_fields[j]);
        for (size_t j = 0; j < t->nvalues; j++)
            ASSERT(gql_type_enum_value(t, t->values[j].name) == &t->values[j]);
    }
    for (size_t i = 0; i < s->ndirectives; i++)
        ASSERT(gql_schema_directive(s, s->directives[i]->name) == s->directives[i]);
}

/* Builds text; on failure checks the errors and returns NULL. */
static gql_schema_t *build(const char *text, size_t len)
{
    size_t lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n' || (text[i] == '\r' && (i + 1 == len || text[i + 1] != '\n'));
    facet_arena_t ea;
    facet_arena_init(&ea, 0);
    gql_error_list_t errors;
    gql_errors_init(&errors, &ea, 0);
    facet_str_t src = facet_str(text, len);
    gql_schema_t *s = NULL;
    int rc = gql_schema_build(&src, 1, &s, &errors);
    if (rc == FACET_OK) {
        ASSERT(s && errors.count == 0);
        check_lookups(s);
    } else {
        ASSERT(rc == FACET_EINVAL && !s);
        check_errors(&errors, lines);
    }
    facet_arena_free(&ea);
    return s;
}

/* Input object defaults are filled in with their fields' defaults, shared
 * in memory but printed in full, so a few hundred bytes of SDL can print
 * gigabytes (input I0 { a: I1 = {} b: I1 = {} } ...), as graphql-js'
 * printSchema would. Such schemas skip the round trip. */
#define MAX_PRINTED_NODES 100000

/* Nodes of v as printed, counting no further than budget. */
static size_t value_nodes(const gql_ast_value_t *v, size_t budget)
{
    size_t n = 1;
    for (size_t i = 0; v && i < v->nitems && n <= budget; i++)
        n += value_nodes(v->items[i], budget - n);
    for (size_t i = 0; v && i < v->nfields && n <= budget; i++)
        n += value_nodes(v->fields[i].value, budget - n);
    return n;
}

static size_t defaults_nodes(const gql_input_value_t *ivs, size_t n, size_t budget)
{
    size_t total = 0;
    for (size_t i = 0; i < n && total <= budget; i++)
        total += ivs[i].default_value ? value_nodes(ivs[i].default_value, budget - total) : 0;
    return total;
}

static bool prints_small(const gql_schema_t *s)
{
    size_t total = 0, budget = MAX_PRINTED_NODES;
    for (size_t i = 0; i < s->ntypes && total <= budget; i++) {
        const gql_type_t *t = s->types[i];
        total += defaults_nodes(t->input_fields, t->ninput_fields, budget - total);
        for (size_t j = 0; j < t->nfields && total <= budget; j++)
            total += defaults_nodes(t->fields[j].args, t->fields[j].nargs, budget - total);
    }
    for (size_t i = 0; i < s->ndirectives && total <= budget; i++)
        total += defaults_nodes(s->directives[i]->args, s->directives[i]->nargs, budget - total);
    return total <= budget;
}

/* Prints s, builds the printed text and prints that again: both texts
 * must build and be equal. On a mismatch both are shown before aborting. */
static void check_round_trip(const gql_schema_t *s)
{
    facet_buf_t first, second;
    facet_buf_init(&first, 0);
    facet_buf_init(&second, 0);
    ASSERT(gql_schema_print(s, &first) == 0);
    gql_schema_t *again = build(first.base ? first.base : "", first.len);
    if (!again)
        fprintf(stderr, "printed schema does not build:\n%.*s\n", (int)first.len, first.base);
    ASSERT(again);
    ASSERT(gql_schema_print(again, &second) == 0);
    if (first.len != second.len || (first.len && memcmp(first.base, second.base, first.len)))
        fprintf(stderr, "printed twice differently:\n%.*s\n----\n%.*s\n", (int)first.len,
                first.base, (int)second.len, second.base);
    ASSERT(first.len == second.len && (!first.len || !memcmp(first.base, second.base, first.len)));
    gql_schema_free(again);
    facet_buf_free(&first);
    facet_buf_free(&second);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_INPUT)
        return 0;
    /* A heap copy of exactly size bytes, so reads past the end are caught
     * even where libFuzzer's buffer would hide them. */
    char *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    if (size)
        memcpy(copy, data, size);
    gql_schema_t *s = build(copy, size);
    free(copy);
    if (s) {
        /* The schema must not point into the source it was built from. */
        if (prints_small(s))
            check_round_trip(s);
        gql_schema_free(s);
    }
    return 0;
}
