/* Shared helpers for the executor's unit tests: build a schema from SDL,
 * parse and validate a query, execute it over a JSON root value and return
 * the response text. Each helper aborts the test (exit 1) on a setup
 * failure, so tests read as "this query gives this response". */
#ifndef FACET_TEST_GQL_EXEC_H
#define FACET_TEST_GQL_EXEC_H

#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "gql/exec.h"
#include "gql/json.h"
#include "gql/parser.h"
#include "gql/schema.h"
#include "gql/validate.h"
#include "test.h"

static inline gql_schema_t *tx_schema(const char *sdl)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_error_list_t errors;
    gql_errors_init(&errors, &a, 0);
    facet_str_t src = facet_str_c(sdl);
    gql_schema_t *s = NULL;
    if (gql_schema_build(&src, 1, &s, &errors) != FACET_OK) {
        for (gql_error_t *e = errors.head; e; e = e->next)
            fprintf(stderr, "schema: %.*s\n", (int)e->message.len, e->message.base);
        exit(1);
    }
    facet_arena_free(&a);
    return s;
}

static inline const gql_value_t *tx_json(facet_arena_t *a, const char *text)
{
    if (!text)
        return NULL;
    gql_value_t *v = NULL;
    char err[128];
    if (gql_json_parse(a, text, strlen(text), 0, &v, err, sizeof err) != FACET_OK) {
        fprintf(stderr, "json: %s\n", err);
        exit(1);
    }
    return v;
}

/* Parses and validates; the test fails on any error. */
static inline gql_ast_document_t *tx_doc(facet_arena_t *a, const gql_schema_t *s, const char *q)
{
    gql_error_list_t errors;
    gql_errors_init(&errors, a, 0);
    gql_ast_document_t *doc = NULL;
    gql_parse_limits_t lim = GQL_PARSE_LIMITS_DEFAULT;
    int rc = gql_parse(a, q, strlen(q), &lim, &doc, &errors);
    if (rc == FACET_OK) {
        facet_arena_t scratch;
        facet_arena_init(&scratch, 0);
        rc = gql_validate(s, doc, NULL, &scratch, &errors);
        facet_arena_free(&scratch);
    }
    if (rc != FACET_OK) {
        for (gql_error_t *e = errors.head; e; e = e->next)
            fprintf(stderr, "query: %.*s\n", (int)e->message.len, e->message.base);
        exit(1);
    }
    return doc;
}

/* Writes the response of a finished execution into a malloc'd string. */
static inline char *tx_response(gql_exec_t *ex)
{
    facet_buf_t out;
    facet_buf_init(&out, 0);
    CHECK(gql_exec_finished(ex));
    CHECK_EQ_INT(gql_exec_write(ex, &out), FACET_OK);
    char *s = strndup(out.base ? out.base : "", out.len);
    facet_buf_free(&out);
    return s;
}

/* Runs query over root with opts' hooks (opts may be NULL) and returns the
 * response; the execution must finish synchronously. */
static inline char *tx_run_opts(const gql_schema_t *s, const char *root, const char *query,
                                const char *vars, const char *op, const gql_exec_opts_t *base)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_exec_opts_t o = base ? *base : (gql_exec_opts_t){0};
    o.schema = s;
    o.doc = tx_doc(&a, s, query);
    o.root_json = tx_json(&a, root);
    o.variables = tx_json(&a, vars);
    o.operation_name = op ? facet_str_c(op) : FACET_STR_NULL;
    gql_exec_t *ex = NULL;
    CHECK_EQ_INT(gql_exec_start(&a, &o, &ex), FACET_OK);
    char *r = tx_response(ex);
    facet_arena_free(&a);
    return r;
}

static inline char *tx_run(const gql_schema_t *s, const char *root, const char *query,
                           const char *vars)
{
    return tx_run_opts(s, root, query, vars, NULL, NULL);
}

/* One-shot: schema, root, query -> checks the exact response. */
#define CHECK_EXEC(sdl, root, query, vars, expected) \
    do {                                             \
        gql_schema_t *s_ = tx_schema(sdl);           \
        char *r_ = tx_run(s_, root, query, vars);    \
        CHECK_EQ_STR(r_, expected);                  \
        free(r_);                                    \
        gql_schema_free(s_);                         \
    } while (0)

#endif
