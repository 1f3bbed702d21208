/* The activity log's view of a mutation (app/activity_summary.c): secret
 * names, operation selection, the label, and the argument summary with
 * variables filled in, secrets redacted and the size capped. */
#include <string.h>

#include "app/activity_summary.h"
#include "core/error.h"
#include "gql/json.h"
#include "gql/parser.h"
#include "test.h"

typedef struct fixture {
    facet_arena_t arena;
    gql_ast_document_t *doc;
    const gql_ast_operation_t *op;
    gql_value_t *vars;
    facet_buf_t out;
} fixture_t;

/* Parses the document and the variables (JSON, may be NULL) and selects
 * the operation (name may be NULL). */
static void setup(fixture_t *f, const char *doc, const char *name, const char *vars)
{
    facet_arena_init(&f->arena, 0);
    gql_error_list_t errors;
    gql_errors_init(&errors, &f->arena, 10);
    CHECK_EQ_INT(gql_parse(&f->arena, doc, strlen(doc), NULL, &f->doc, &errors), FACET_OK);
    f->op = app_activity_select(f->doc, name ? facet_str_c(name) : FACET_STR_NULL);
    CHECK(f->op != NULL);
    f->vars = NULL;
    if (vars)
        CHECK_EQ_INT(gql_json_parse(&f->arena, vars, strlen(vars), 0, &f->vars, NULL, 0), FACET_OK);
    facet_buf_init(&f->out, 0);
}

static void teardown(fixture_t *f)
{
    facet_buf_free(&f->out);
    facet_arena_free(&f->arena);
}

/* The summary as a NUL-terminated string (valid until teardown). */
static const char *summary(fixture_t *f, size_t cap)
{
    facet_buf_reset(&f->out);
    CHECK_EQ_INT(app_activity_summarize(f->doc, f->op, f->vars, cap, &f->out), FACET_OK);
    CHECK_EQ_INT(facet_buf_append(&f->out, "", 1), FACET_OK);
    return f->out.base;
}

/* Checks that text parses as JSON. */
static void check_json(const char *text)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_value_t *v;
    char why[128];
    int rc = gql_json_parse(&a, text, strlen(text), 0, &v, why, sizeof why);
    if (rc != FACET_OK)
        fprintf(stderr, "not JSON (%s): %s\n", why, text);
    CHECK_EQ_INT(rc, FACET_OK);
    facet_arena_free(&a);
}

TEST(secret_names_ignore_case_and_match_inside_names)
{
    const char *secret[] = {"password", "Password", "newPassword", "refreshToken", "accessToken",
                            "TOKEN",    "token",    "receipt",     "clientSecret", "Authorization"};
    const char *plain[] = {"email", "amount", "reason", "idempotencyKey", "sku", "username", ""};
    for (size_t i = 0; i < sizeof secret / sizeof secret[0]; i++)
        CHECK(app_activity_secret_name(facet_str_c(secret[i])));
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        CHECK(!app_activity_secret_name(facet_str_c(plain[i])));
}

TEST(select_by_name_or_the_only_operation)
{
    fixture_t f;
    setup(&f, "mutation A { a } query B { b }", "B", NULL);
    CHECK_SLICE(f.op->name.value, "B");
    CHECK(app_activity_select(f.doc, FACET_STR_NULL) == NULL);
    CHECK(app_activity_select(f.doc, FACET_STR_LIT("C")) == NULL);
    teardown(&f);
    setup(&f, "mutation { a } fragment F on Mutation { b }", NULL, NULL);
    CHECK_EQ_INT(f.op->operation, GQL_OP_MUTATION);
    teardown(&f);
}

TEST(label_names_the_operation_and_its_root_fields)
{
    fixture_t f;
    char label[128];
    setup(&f,
          "mutation Buy { x: spendGems(a: 1) { id } __typename ...F ... on Mutation { y } }"
          " fragment F on Mutation { signOut(t: 1) spendGems }",
          NULL, NULL);
    app_activity_label(f.doc, f.op, label, sizeof label);
    CHECK_EQ_STR(label, "Buy: spendGems, signOut, y");
    teardown(&f);
    setup(&f, "mutation { signUp(input: {}) { accessToken } }", NULL, NULL);
    app_activity_label(f.doc, f.op, label, sizeof label);
    CHECK_EQ_STR(label, "signUp");
    teardown(&f);
}

TEST(label_that_does_not_fit_ends_with_an_ellipsis)
{
    fixture_t f;
    char label[24];
    setup(&f, "mutation { alpha beta gamma delta epsilon zeta }", NULL, NULL);
    app_activity_label(f.doc, f.op, label, sizeof label);
    CHECK_EQ_STR(label, "alpha, beta, gamma, \xe2\x80\xa6");
    CHECK(strlen(label) < sizeof label);
    teardown(&f);
}

TEST(variables_are_filled_in_and_secrets_redacted)
{
    fixture_t f;
    setup(&f, "mutation($i: SignUpInput!) { signUp(input: $i) { accessToken } }", NULL,
          "{\"i\":{\"email\":\"a@example.com\",\"username\":\"ann\",\"password\":\"hunter22\"}}");
    CHECK_EQ_STR(summary(&f, 2048), "{\"signUp\":{\"input\":{\"email\":\"a@example.com\","
                                    "\"username\":\"ann\",\"password\":\"[redacted]\"}}}");
    teardown(&f);
}

TEST(secret_arguments_literals_and_variable_names_are_redacted)
{
    fixture_t f;
    setup(&f,
          "mutation($token: String!, $r: String!, $n: Int = 3) {"
          "  a: signOut(refreshToken: \"literal-secret\")"
          "  refreshSession(refreshToken: $r)"
          "  b: act(note: $token, count: $n, nested: {deep: [{Secret: \"s\", ok: ENUM_V}]})"
          "}",
          NULL, "{\"token\":\"t0k3n\",\"r\":\"r3fr3sh\"}");
    const char *s = summary(&f, 2048);
    CHECK(!strstr(s, "literal-secret") && !strstr(s, "t0k3n") && !strstr(s, "r3fr3sh"));
    CHECK_EQ_STR(s, "{\"a\":{\"refreshToken\":\"[redacted]\"},"
                    "\"refreshSession\":{\"refreshToken\":\"[redacted]\"},"
                    "\"b\":{\"note\":\"[redacted]\",\"count\":3,"
                    "\"nested\":{\"deep\":[{\"Secret\":\"[redacted]\",\"ok\":\"ENUM_V\"}]}}}");
    teardown(&f);
}

TEST(secret_keys_inside_json_variables_are_redacted_at_any_depth)
{
    fixture_t f;
    setup(&f, "mutation($s: JSON!) { updateSettings(settings: $s) }", NULL,
          "{\"s\":{\"theme\":\"dark\",\"api\":{\"AccessToken\":\"x\",\"list\":[1,{\"pass"
          "word\":2}]},\"n\":null,\"f\":1.5,\"b\":true}}");
    CHECK_EQ_STR(summary(&f, 2048),
                 "{\"updateSettings\":{\"settings\":{\"theme\":\"dark\",\"api\":{\"AccessToken\":"
                 "\"[redacted]\",\"list\":[1,{\"password\":\"[redacted]\"}]},\"n\":null,"
                 "\"f\":1.5,\"b\":true}}}");
    teardown(&f);
}

TEST(absent_variables_leave_their_argument_out)
{
    fixture_t f;
    setup(&f, "mutation($a: String, $b: String) { f(a: $a, b: $b, c: {x: $a, y: 1}, d: [$a]) }",
          NULL, "{\"b\":null}");
    CHECK_EQ_STR(summary(&f, 2048), "{\"f\":{\"b\":null,\"c\":{\"y\":1},\"d\":[null]}}");
    teardown(&f);
    setup(&f, "mutation { f g(x: 1) }", NULL, NULL);
    CHECK_EQ_STR(summary(&f, 2048), "{\"f\":{},\"g\":{\"x\":1}}");
    teardown(&f);
}

TEST(long_strings_are_cut_at_a_character_boundary)
{
    fixture_t f;
    char doc[1024], expect[1024];
    char big[400];
    /* 150 two-byte characters: 300 bytes; the cut falls inside one. */
    for (int i = 0; i < 150; i++)
        memcpy(big + 2 * i, "\xc3\xa9", 2);
    big[300] = '\0';
    snprintf(doc, sizeof doc, "mutation { f(s: \"%s\") }", big);
    setup(&f, doc, NULL, NULL);
    snprintf(expect, sizeof expect, "{\"f\":{\"s\":\"%.200s\xe2\x80\xa6\"}}", big);
    CHECK_EQ_STR(summary(&f, 2048), expect);
    teardown(&f);
}

TEST(deep_values_are_cut)
{
    fixture_t f;
    setup(&f, "mutation($v: JSON) { f(v: $v) }", NULL, "{\"v\":[[[[[[[[1]]]]]]]]}");
    CHECK_EQ_STR(summary(&f, 2048), "{\"f\":{\"v\":[[[[[[\"\xe2\x80\xa6\"]]]]]]}}");
    teardown(&f);
}

TEST(summary_is_capped_and_stays_json)
{
    fixture_t f;
    /* Many members of ~100 bytes each: far more than the cap. */
    char vars[40000];
    size_t n = (size_t)snprintf(vars, sizeof vars, "{\"v\":{");
    for (int i = 0; i < 300; i++)
        n += (size_t)snprintf(vars + n, sizeof vars - n, "%s\"k%03d\":\"%0100d\"", i ? "," : "", i,
                              i);
    snprintf(vars + n, sizeof vars - n, "}}");
    setup(&f, "mutation($v: JSON) { a: f(v: $v) b: f(w: 2) }", NULL, vars);
    for (size_t cap = 256; cap <= 4096; cap *= 2) {
        const char *s = summary(&f, cap);
        CHECK(strlen(s) <= cap);
        CHECK(strlen(s) > cap / 2);
        CHECK(strstr(s, "\"\xe2\x80\xa6\":\"[truncated]\"") != NULL);
        check_json(s);
    }
    teardown(&f);
}

TEST(large_lists_are_capped_too)
{
    fixture_t f;
    char vars[20000];
    size_t n = (size_t)snprintf(vars, sizeof vars, "{\"v\":[");
    for (int i = 0; i < 3000; i++)
        n += (size_t)snprintf(vars + n, sizeof vars - n, "%s%d", i ? "," : "", i);
    snprintf(vars + n, sizeof vars - n, "]}");
    setup(&f, "mutation($v: [Int]) { f(v: $v) }", NULL, vars);
    const char *s = summary(&f, APP_ACTIVITY_ARGS_CAP);
    CHECK(strlen(s) <= APP_ACTIVITY_ARGS_CAP);
    CHECK(strstr(s, ",\"[truncated]\"]") != NULL);
    check_json(s);
    teardown(&f);
}
