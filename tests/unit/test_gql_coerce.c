/* Tests for input coercion (variables, arguments, literals, defaults,
 * @oneOf) and result coercion helpers. Queries run unvalidated so the
 * executor's own checks are exercised; expected responses are graphql-js
 * 16's execute() output for the same schema and query. */
#include <math.h>

#include "gql/exec_internal.h"
#include "test_gql_exec.h"

/* Query.r returns its coerced arguments, as a custom scalar. */
static void echo(gql_resolve_t *r)
{
    gql_resolve_json(r, gql_resolve_args(r));
}

static char *echo_run(const char *sdl, const char *query, const char *vars)
{
    gql_schema_t *s = tx_schema(sdl);
    gql_field_bind(gql_type_field(s->query, FACET_STR_LIT("r")), echo, NULL);
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_error_list_t errors;
    gql_errors_init(&errors, &a, 0);
    gql_parse_limits_t lim = GQL_PARSE_LIMITS_DEFAULT;
    gql_exec_opts_t o = {
        .schema = s, .root_json = tx_json(&a, "{}"), .variables = tx_json(&a, vars)};
    CHECK_EQ_INT(gql_parse(&a, query, strlen(query), &lim, (gql_ast_document_t **)&o.doc, &errors),
                 FACET_OK);
    gql_exec_t *ex;
    CHECK_EQ_INT(gql_exec_start(&a, &o, &ex), FACET_OK);
    char *r = tx_response(ex);
    facet_arena_free(&a);
    gql_schema_free(s);
    return r;
}

TEST(arg_not_null)
{
    char *r = echo_run("scalar J type Query { r(x: Int!): J }", "{ r(x: null) }", NULL);
    CHECK_EQ_STR(
        r,
        "{\"errors\":[{\"message\":\"Argument \\\"x\\\" of non-null type \\\"Int!\\\" must not be "
        "null.\",\"locations\":[{\"line\":1,\"column\":8}],\"path\":[\"r\"]}],\"data\":{\"r\":null}"
        "}");
    free(r);
}

TEST(arg_missing)
{
    char *r = echo_run("scalar J type Query { r(x: Int!): J }", "{ a: r }", NULL);
    CHECK_EQ_STR(
        r, "{\"errors\":[{\"message\":\"Argument \\\"x\\\" of required type \\\"Int!\\\" was not "
           "provided.\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"a\"]}],\"data\":{"
           "\"a\":null}}");
    free(r);
}

TEST(arg_var_missing)
{
    char *r =
        echo_run("scalar J type Query { r(x: Int!): J }", "query ($v: Int) { r(x: $v) }", NULL);
    CHECK_EQ_STR(r, "{\"errors\":[{\"message\":\"Argument \\\"x\\\" of required type \\\"Int!\\\" "
                    "was provided the variable \\\"$v\\\" which was not provided a runtime "
                    "value.\",\"locations\":[{\"line\":1,\"column\":24}],\"path\":[\"r\"]}],"
                    "\"data\":{\"r\":null}}");
    free(r);
}

TEST(arg_invalid)
{
    char *r = echo_run("scalar J type Query { r(x: Int!): J }", "{ r(x: \"a\") }", NULL);
    CHECK_EQ_STR(r, "{\"errors\":[{\"message\":\"Argument \\\"x\\\" has invalid value "
                    "\\\"a\\\".\",\"locations\":[{\"line\":1,\"column\":8}],\"path\":[\"r\"]}],"
                    "\"data\":{\"r\":null}}");
    free(r);
}

TEST(arg_values)
{
    char *r = echo_run("scalar J enum E { A B } input In { p: Int = 4, q: [String], r: In2 } input "
                       "In2 { z: Boolean! } input One @oneOf { a: Int, b: String } type Query { "
                       "r(i: Int, f: Float, s: String, b: Boolean, id: ID, id2: ID, e: E, l: "
                       "[Int], l2: [Int] = 5, o: In, one: One, n: Int, d: Int = 9, j: J): J }",
                       "query ($o: In) { r(i: -3, f: 2, s: \"x\\n\", b: true, id: 12, id2: \"k\", "
                       "e: B, l: 1, o: {q: \"w\", r: {z: false}}, one: {b: \"y\"}, n: null, j: {k: "
                       "[1, 2.5, \"s\", null, E]}) o: r(o: $o) }",
                       "{\"o\":{\"q\":[\"a\"],\"r\":{\"z\":true}}}");
    CHECK_EQ_STR(
        r, "{\"data\":{\"r\":{\"i\":-3,\"f\":2,\"s\":\"x\\n\",\"b\":true,\"id\":\"12\",\"id2\":"
           "\"k\",\"e\":\"B\",\"l\":[1],\"l2\":[5],\"o\":{\"p\":4,\"q\":[\"w\"],\"r\":{\"z\":false}"
           "},\"one\":{\"b\":\"y\"},\"n\":null,\"d\":9,\"j\":{\"k\":[1,2.5,\"s\",null,\"E\"]}},"
           "\"o\":{\"l2\":[5],\"o\":{\"p\":4,\"q\":[\"a\"],\"r\":{\"z\":true}},\"d\":9}}}");
    free(r);
}

TEST(var_values)
{
    char *r = echo_run("scalar J enum E { A B } input In { p: Int = 4, q: [String] } type Query { "
                       "r(i: Int, f: Float, id: ID, e: E, l: [[Int]], o: In, j: J): J }",
                       "query ($i: Int, $f: Float, $id: ID, $e: E, $l: [[Int]], $o: In, $j: J) { "
                       "r(i: $i, f: $f, id: $id, e: $e, l: $l, o: $o, j: $j) }",
                       "{\"i\":4,\"f\":4,\"id\":17,\"e\":\"A\",\"l\":[1,[2,3],null],\"o\":{\"q\":"
                       "\"one\"},\"j\":{\"x\":[true]}}");
    CHECK_EQ_STR(r, "{\"data\":{\"r\":{\"i\":4,\"f\":4,\"id\":\"17\",\"e\":\"A\",\"l\":[[1],[2,3],"
                    "null],\"o\":{\"p\":4,\"q\":[\"one\"]},\"j\":{\"x\":[true]}}}}");
    free(r);
}

TEST(var_oneof)
{
    char *r =
        echo_run("scalar J input One @oneOf { a: Int, b: String } type Query { r(o: One): J }",
                 "query ($o: One, $p: One, $q: One) { r(o: $o) s: r(o: $p) t: r(o: $q) }",
                 "{\"o\":{\"a\":1,\"b\":\"x\"},\"p\":{\"a\":null},\"q\":{}}");
    CHECK_EQ_STR(
        r, "{\"errors\":[{\"message\":\"Variable \\\"$o\\\" got invalid value { a: 1, b: \\\"x\\\" "
           "}; Exactly one key must be specified for OneOf type "
           "\\\"One\\\".\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable "
           "\\\"$p\\\" got invalid value null at \\\"p.a\\\"; Field \\\"a\\\" must be "
           "non-null.\",\"locations\":[{\"line\":1,\"column\":17}]},{\"message\":\"Variable "
           "\\\"$q\\\" got invalid value {}; Exactly one key must be specified for OneOf type "
           "\\\"One\\\".\",\"locations\":[{\"line\":1,\"column\":26}]}]}");
    free(r);
}

TEST(var_misc)
{
    char *r = echo_run("scalar J enum E { RED GREEN BLUE } input In { a: Int!, b: In } type Query "
                       "{ r(e: E, f: Float, b: Boolean, s: String, id: ID, o: In, n: [In!]!): J }",
                       "query ($e: E, $e2: E, $f: Float, $b: Boolean, $s: String, $id: ID, $o: In, "
                       "$n: [In!]!, $big: Int) { r(e: $e) }",
                       "{\"e\":5,\"e2\":\"green\",\"f\":\"1\",\"b\":1,\"s\":{\"a\":[1,2]},\"id\":"
                       "true,\"o\":[1],\"n\":null,\"big\":3000000000}");
    CHECK_EQ_STR(
        r, "{\"errors\":[{\"message\":\"Variable \\\"$e\\\" got invalid value 5; Enum \\\"E\\\" "
           "cannot represent non-string value: "
           "5.\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$e2\\\" "
           "got invalid value \\\"green\\\"; Value \\\"green\\\" does not exist in \\\"E\\\" enum. "
           "Did you mean the enum value \\\"GREEN\\\" or "
           "\\\"RED\\\"?\",\"locations\":[{\"line\":1,\"column\":15}]},{\"message\":\"Variable "
           "\\\"$f\\\" got invalid value \\\"1\\\"; Float cannot represent non numeric value: "
           "\\\"1\\\"\",\"locations\":[{\"line\":1,\"column\":23}]},{\"message\":\"Variable "
           "\\\"$b\\\" got invalid value 1; Boolean cannot represent a non boolean value: "
           "1\",\"locations\":[{\"line\":1,\"column\":34}]},{\"message\":\"Variable \\\"$s\\\" got "
           "invalid value { a: [1, 2] }; String cannot represent a non string value: { a: [1, 2] "
           "}\",\"locations\":[{\"line\":1,\"column\":47}]},{\"message\":\"Variable \\\"$id\\\" "
           "got invalid value true; ID cannot represent value: "
           "true\",\"locations\":[{\"line\":1,\"column\":59}]},{\"message\":\"Variable \\\"$o\\\" "
           "got invalid value [1]; Expected type \\\"In\\\" to be an "
           "object.\",\"locations\":[{\"line\":1,\"column\":68}]},{\"message\":\"Variable "
           "\\\"$n\\\" of non-null type \\\"[In!]!\\\" must not be "
           "null.\",\"locations\":[{\"line\":1,\"column\":76}]},{\"message\":\"Variable "
           "\\\"$big\\\" got invalid value 3000000000; Int cannot represent non 32-bit signed "
           "integer value: 3000000000\",\"locations\":[{\"line\":1,\"column\":88}]}]}");
    free(r);
}

TEST(js_string_to_number)
{
    CHECK(exec__js_string_to_number("12", 2) == 12);
    CHECK(exec__js_string_to_number(" 12\n", 4) == 12);
    CHECK(exec__js_string_to_number("", 0) == 0);
    CHECK(exec__js_string_to_number("  ", 2) == 0);
    CHECK(exec__js_string_to_number("0x1F", 4) == 31);
    CHECK(exec__js_string_to_number("0b101", 5) == 5);
    CHECK(exec__js_string_to_number("0o17", 4) == 15);
    CHECK(exec__js_string_to_number("-1.5e3", 6) == -1500);
    CHECK(exec__js_string_to_number(".5", 2) == 0.5);
    CHECK(exec__js_string_to_number("5.", 2) == 5);
    CHECK(exec__js_string_to_number("-Infinity", 9) == -INFINITY);
    CHECK(isnan(exec__js_string_to_number("-0x10", 5)));
    CHECK(isnan(exec__js_string_to_number("1e", 2)));
    CHECK(isnan(exec__js_string_to_number("inf", 3)));
    CHECK(isnan(exec__js_string_to_number("1 2", 3)));
    CHECK(exec__js_string_to_number("\xc2\xa0"
                                    "7",
                                    3) == 7);
}

static void check_inspect(const char *json, const char *expected)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    facet_buf_t b;
    facet_buf_init(&b, 0);
    CHECK_EQ_INT(exec__inspect(&b, tx_json(&a, json)), 0);
    CHECK_EQ_INT(facet_buf_append(&b, "", 1), 0);
    CHECK_EQ_STR(b.base, expected);
    facet_buf_free(&b);
    facet_arena_free(&a);
}

TEST(inspect_like_graphql_js)
{
    check_inspect("\"a\\\"b\"", "\"a\\\"b\"");
    check_inspect("1.5", "1.5");
    check_inspect("1e21", "1e+21");
    check_inspect("[]", "[]");
    check_inspect("{}", "{}");
    check_inspect("{\"a\":[1,{\"b\":{\"c\":1}}],\"d\":null}", "{ a: [1, [Object]], d: null }");
    check_inspect("[[[[1]]], [[]], {\"x\":{}}]", "[[[Array]], [[]], { x: {} }]");
    check_inspect("[1,2,3,4,5,6,7,8,9,10,11]", "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ... 1 more item]");
    check_inspect("[1,2,3,4,5,6,7,8,9,10,11,12]",
                  "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ... 2 more items]");
}
