/* Tests for gql/exec.h with JSON root values and the default resolvers:
 * completion, null propagation, field merging, @skip/@include, abstract
 * types, operation selection and request errors. Expected responses are
 * what graphql-js 16 gives for the same schema, root value and query. */
#include "test_gql_exec.h"

TEST(nonnull_list_item)
{
    gql_schema_t *s = tx_schema("type Query { a: [Int!], b: [Int]!, c: [[Int!]!] , d: String}");
    char *r = tx_run_opts(s, "{\"a\":[1,null,3],\"b\":[1,\"x\",3],\"c\":[[1],[null]],\"d\":\"ok\"}",
                          "{ a b c d }", NULL, NULL, NULL);
    CHECK_EQ_STR(r, "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field "
                    "Query.a.\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"a\",1]},{"
                    "\"message\":\"Int cannot represent non-integer value: "
                    "\\\"x\\\"\",\"locations\":[{\"line\":1,\"column\":5}],\"path\":[\"b\",1]},{"
                    "\"message\":\"Cannot return null for non-nullable field "
                    "Query.c.\",\"locations\":[{\"line\":1,\"column\":7}],\"path\":[\"c\",1,0]}],"
                    "\"data\":{\"a\":null,\"b\":[1,null,3],\"c\":null,\"d\":\"ok\"}}");
    free(r);
    gql_schema_free(s);
}

TEST(propagate_to_root)
{
    gql_schema_t *s = tx_schema("type Query { a: Int!, b: String }");
    char *r = tx_run_opts(s, "{\"b\":\"x\"}", "{ b a }", NULL, NULL, NULL);
    CHECK_EQ_STR(
        r,
        "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field "
        "Query.a.\",\"locations\":[{\"line\":1,\"column\":5}],\"path\":[\"a\"]}],\"data\":null}");
    free(r);
    gql_schema_free(s);
}

TEST(propagate_object)
{
    gql_schema_t *s = tx_schema(
        "type Query { o: O, p: O } type O { x: Int!, y: Int, z: Q2 } type Q2 { w: String }");
    char *r =
        tx_run_opts(s, "{\"o\":{\"y\":\"bad\",\"z\":{\"w\":1}},\"p\":{\"x\":1,\"y\":2,\"z\":null}}",
                    "{ o { y z { w } x } p { x y z { w } } }", NULL, NULL, NULL);
    CHECK_EQ_STR(r, "{\"errors\":[{\"message\":\"Int cannot represent non-integer value: "
                    "\\\"bad\\\"\",\"locations\":[{\"line\":1,\"column\":7}],\"path\":[\"o\",\"y\"]"
                    "},{\"message\":\"Cannot return null for non-nullable field "
                    "O.x.\",\"locations\":[{\"line\":1,\"column\":17}],\"path\":[\"o\",\"x\"]}],"
                    "\"data\":{\"o\":null,\"p\":{\"x\":1,\"y\":2,\"z\":null}}}");
    free(r);
    gql_schema_free(s);
}

TEST(merge_alias)
{
    gql_schema_t *s =
        tx_schema("type Query { u: U } type U { a: Int, b: Int, c: C } type C { x: Int, y: Int }");
    char *r = tx_run_opts(s, "{\"u\":{\"a\":1,\"b\":2,\"c\":{\"x\":3,\"y\":4}}}",
                          "{ u { a c { x } ... on U { b c { y } } first: a } u { a } }", NULL, NULL,
                          NULL);
    CHECK_EQ_STR(r, "{\"data\":{\"u\":{\"a\":1,\"c\":{\"x\":3,\"y\":4},\"b\":2,\"first\":1}}}");
    free(r);
    gql_schema_free(s);
}

TEST(skip_include)
{
    gql_schema_t *s = tx_schema("type Query { a: Int, b: Int, c: Int }");
    char *r = tx_run_opts(s, "{\"a\":1,\"b\":2,\"c\":3}",
                          "query ($t: Boolean!) { a @skip(if: $t) b @include(if: $t) c @skip(if: "
                          "false) @include(if: false) }",
                          "{\"t\":true}", NULL, NULL);
    CHECK_EQ_STR(r, "{\"data\":{\"b\":2}}");
    free(r);
    gql_schema_free(s);
}

TEST(abstract)
{
    gql_schema_t *s = tx_schema(
        "type Query { p: [P] } interface P { n: String } type A implements P { n: String, a: Int } "
        "type B implements P { n: String, b: Int } type C { n: String }");
    char *r = tx_run_opts(s,
                          "{\"p\":[{\"__typename\":\"A\",\"n\":\"x\",\"a\":1},{\"__typename\":"
                          "\"B\",\"n\":\"y\",\"b\":2},{\"n\":\"z\"},{\"__typename\":\"C\"},{\"__"
                          "typename\":\"Nope\"},{\"__typename\":\"P\"}]}",
                          "{ p { __typename n ... on A { a } ... on B { b } } }", NULL, NULL, NULL);
    CHECK_EQ_STR(
        r, "{\"errors\":[{\"message\":\"Abstract type \\\"P\\\" must resolve to an Object type at "
           "runtime for field \\\"Query.p\\\". Either the \\\"P\\\" type should provide a "
           "\\\"resolveType\\\" function or each possible type should provide an \\\"isTypeOf\\\" "
           "function.\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"p\",2]},{\"message\":"
           "\"Runtime Object type \\\"C\\\" is not a possible type for "
           "\\\"P\\\".\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"p\",3]},{"
           "\"message\":\"Abstract type \\\"P\\\" was resolved to a type \\\"Nope\\\" that does "
           "not exist inside the "
           "schema.\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"p\",4]},{\"message\":"
           "\"Abstract type \\\"P\\\" was resolved to a non-object type "
           "\\\"P\\\".\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"p\",5]}],\"data\":{"
           "\"p\":[{\"__typename\":\"A\",\"n\":\"x\",\"a\":1},{\"__typename\":\"B\",\"n\":\"y\","
           "\"b\":2},null,null,null,null]}}");
    free(r);
    gql_schema_free(s);
}

TEST(op_select)
{
    gql_schema_t *s = tx_schema("type Query { a: Int }");
    char *r = tx_run_opts(s, "{\"a\":1}", "query A { a } query B { a }", NULL, NULL, NULL);
    CHECK_EQ_STR(r, "{\"errors\":[{\"message\":\"Must provide operation name if query contains "
                    "multiple operations.\"}]}");
    free(r);
    gql_schema_free(s);
}

TEST(op_unknown)
{
    gql_schema_t *s = tx_schema("type Query { a: Int }");
    char *r = tx_run_opts(s, "{\"a\":1}", "query A { a }", NULL, "C", NULL);
    CHECK_EQ_STR(r, "{\"errors\":[{\"message\":\"Unknown operation named \\\"C\\\".\"}]}");
    free(r);
    gql_schema_free(s);
}

TEST(no_mutation)
{
    gql_schema_t *s = tx_schema("type Query { a: Int }");
    char *r = tx_run_opts(s, "{\"a\":1}", "mutation { a }", NULL, NULL, NULL);
    CHECK_EQ_STR(r, "{\"errors\":[{\"message\":\"Schema is not configured to execute mutation "
                    "operation.\",\"locations\":[{\"line\":1,\"column\":1}]}],\"data\":null}");
    free(r);
    gql_schema_free(s);
}

TEST(var_errors)
{
    gql_schema_t *s = tx_schema("type Query { a(x: Int, y: In, e: E, l: [Int!]): Int } input In { "
                                "p: Int!, q: String } enum E { RED GREEN }");
    char *r = tx_run_opts(
        s, "{\"a\":1}",
        "query ($x: Int, $y: In, $e: E, $l: [Int!], $r: Int!) { a(x: $x, y: $y, e: $e, l: $l) b: "
        "a(x: $r) }",
        "{\"x\":\"a\",\"y\":{\"q\":1,\"zz\":2},\"e\":\"REDD\",\"l\":[1,null,2.5]}", NULL, NULL);
    CHECK_EQ_STR(
        r,
        "{\"errors\":[{\"message\":\"Variable \\\"$x\\\" got invalid value \\\"a\\\"; Int cannot "
        "represent non-integer value: "
        "\\\"a\\\"\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$y\\\" "
        "got invalid value { q: 1, zz: 2 }; Field \\\"p\\\" of required type \\\"Int!\\\" was not "
        "provided.\",\"locations\":[{\"line\":1,\"column\":17}]},{\"message\":\"Variable "
        "\\\"$y\\\" got invalid value 1 at \\\"y.q\\\"; String cannot represent a non string "
        "value: 1\",\"locations\":[{\"line\":1,\"column\":17}]},{\"message\":\"Variable \\\"$y\\\" "
        "got invalid value { q: 1, zz: 2 }; Field \\\"zz\\\" is not defined by type "
        "\\\"In\\\".\",\"locations\":[{\"line\":1,\"column\":17}]},{\"message\":\"Variable "
        "\\\"$e\\\" got invalid value \\\"REDD\\\"; Value \\\"REDD\\\" does not exist in \\\"E\\\" "
        "enum. Did you mean the enum value "
        "\\\"RED\\\"?\",\"locations\":[{\"line\":1,\"column\":25}]},{\"message\":\"Variable "
        "\\\"$l\\\" got invalid value null at \\\"l[1]\\\"; Expected non-nullable type "
        "\\\"Int!\\\" not to be "
        "null.\",\"locations\":[{\"line\":1,\"column\":32}]},{\"message\":\"Variable \\\"$l\\\" "
        "got invalid value 2.5 at \\\"l[2]\\\"; Int cannot represent non-integer value: "
        "2.5\",\"locations\":[{\"line\":1,\"column\":32}]},{\"message\":\"Variable \\\"$r\\\" of "
        "required type \\\"Int!\\\" was not "
        "provided.\",\"locations\":[{\"line\":1,\"column\":44}]}]}");
    free(r);
    gql_schema_free(s);
}

TEST(result_coercion)
{
    gql_schema_t *s = tx_schema("type Query { i: [Int], f: [Float], s: [String], b: [Boolean], id: "
                                "[ID], e: [E] } enum E { A B }");
    char *r = tx_run_opts(s,
                          "{\"i\":[1,1.0,\"2\",true,\" 0x10 "
                          "\",\"\",2147483648,1.5,[1],{\"a\":1}],\"f\":[1.5,\"2.5\",false,\"x\"],"
                          "\"s\":[\"a\",1,1.5,true,1e21,[1,[2,[3]]]],\"b\":[true,0,2,\"true\"],"
                          "\"id\":[\"a\",1,1.5,1e21],\"e\":[\"A\",\"C\",1]}",
                          "{ i f s b id e }", NULL, NULL, NULL);
    CHECK_EQ_STR(r, "{\"errors\":[{\"message\":\"Int cannot represent non-integer value: "
                    "\\\"\\\"\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"i\",5]},{"
                    "\"message\":\"Int cannot represent non 32-bit signed integer value: "
                    "2147483648\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"i\",6]},{"
                    "\"message\":\"Int cannot represent non-integer value: "
                    "1.5\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"i\",7]},{"
                    "\"message\":\"Int cannot represent non-integer value: "
                    "[1]\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"i\",8]},{"
                    "\"message\":\"Int cannot represent non-integer value: { a: 1 "
                    "}\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"i\",9]},{"
                    "\"message\":\"Float cannot represent non numeric value: "
                    "\\\"x\\\"\",\"locations\":[{\"line\":1,\"column\":5}],\"path\":[\"f\",3]},{"
                    "\"message\":\"String cannot represent value: [1, [2, "
                    "[Array]]]\",\"locations\":[{\"line\":1,\"column\":7}],\"path\":[\"s\",5]},{"
                    "\"message\":\"Boolean cannot represent a non boolean value: "
                    "\\\"true\\\"\",\"locations\":[{\"line\":1,\"column\":9}],\"path\":[\"b\",3]},{"
                    "\"message\":\"ID cannot represent value: "
                    "1.5\",\"locations\":[{\"line\":1,\"column\":11}],\"path\":[\"id\",2]},{"
                    "\"message\":\"Enum \\\"E\\\" cannot represent value: "
                    "\\\"C\\\"\",\"locations\":[{\"line\":1,\"column\":14}],\"path\":[\"e\",1]},{"
                    "\"message\":\"Enum \\\"E\\\" cannot represent value: "
                    "1\",\"locations\":[{\"line\":1,\"column\":14}],\"path\":[\"e\",2]}],\"data\":{"
                    "\"i\":[1,1,2,1,16,null,null,null,null,null],\"f\":[1.5,2.5,0,null],\"s\":["
                    "\"a\",\"1\",\"1.5\",\"true\",\"1e+21\",null],\"b\":[true,false,true,null],"
                    "\"id\":[\"a\",\"1\",null,\"1e+21\"],\"e\":[\"A\",null,null]}}");
    free(r);
    gql_schema_free(s);
}

TEST(hello_and_typename)
{
    CHECK_EXEC("type Query { hello: String }", "{\"hello\":\"world\"}", "{ __typename hello }",
               NULL, "{\"data\":{\"__typename\":\"Query\",\"hello\":\"world\"}}");
}

TEST(missing_root_members_are_null)
{
    CHECK_EXEC("type Query { a: String, o: O, l: [O] } type O { x: Int }", "{}",
               "{ a o { x } l { x } }", NULL, "{\"data\":{\"a\":null,\"o\":null,\"l\":null}}");
}

TEST(non_object_parents)
{
    /* A string or number where an object is expected has no properties;
     * an array answers "length". */
    CHECK_EXEC("type Query { o: O, p: O, q: O } type O { length: Int, x: Int }",
               "{\"o\":\"abc\",\"p\":5,\"q\":[1,2,3]}", "{ o { length x } p { x } q { length x } }",
               NULL,
               "{\"data\":{\"o\":{\"length\":null,\"x\":null},\"p\":{\"x\":null},\"q\":{\"length\":"
               "3,\"x\":null}}}");
}

TEST(custom_scalar_passes_json_through)
{
    CHECK_EXEC("scalar JSON type Query { j: JSON, k: [JSON] }",
               "{\"j\":{\"b\":[1,{\"c\":null}],\"a\":\"x\"},\"k\":[1,\"s\",true]}", "{ j k }", NULL,
               "{\"data\":{\"j\":{\"b\":[1,{\"c\":null}],\"a\":\"x\"},\"k\":[1,\"s\",true]}}");
}

TEST(string_is_not_a_list)
{
    CHECK_EXEC("type Query { l: [String] }", "{\"l\":\"abc\"}", "{ l }", NULL,
               "{\"errors\":[{\"message\":\"Expected Iterable, but did not find one for field "
               "\\\"Query.l\\\".\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"l\"]}],"
               "\"data\":{\"l\":null}}");
}

TEST(later_siblings_after_propagation_report_nothing)
{
    /* graphql-js stops completing an object at the first error that
     * propagates out of it, so c's error is not reported. */
    CHECK_EXEC("type Query { o: O } type O { a: Int, b: Int!, c: Int }",
               "{\"o\":{\"a\":\"x\",\"c\":\"y\"}}", "{ o { a b c } }", NULL,
               "{\"errors\":[{\"message\":\"Int cannot represent non-integer value: \\\"x\\\"\","
               "\"locations\":[{\"line\":1,\"column\":7}],\"path\":[\"o\",\"a\"]},{\"message\":"
               "\"Cannot return null for non-nullable field O.b.\",\"locations\":[{\"line\":1,"
               "\"column\":9}],\"path\":[\"o\",\"b\"]}],\"data\":{\"o\":null}}");
}

TEST(merged_fields_report_every_location)
{
    CHECK_EXEC(
        "type Query { a: Int }", "{\"a\":\"x\"}", "{ a\n a }", NULL,
        "{\"errors\":[{\"message\":\"Int cannot represent non-integer value: \\\"x\\\"\","
        "\"locations\":[{\"line\":1,\"column\":3},{\"line\":2,\"column\":2}],\"path\":[\"a\"]}],"
        "\"data\":{\"a\":null}}");
}

TEST(fragments_and_conditions)
{
    CHECK_EXEC("type Query { u: U } union U = A | B type A { a: Int } type B { b: Int }",
               "{\"u\":{\"__typename\":\"B\",\"b\":2}}",
               "{ u { ...FA ... on B { b } ...FB ...FB } } fragment FA on A { a } fragment FB on U "
               "{ __typename }",
               NULL, "{\"data\":{\"u\":{\"b\":2,\"__typename\":\"B\"}}}");
}

TEST(variables_defaults_and_named_operation)
{
    CHECK_EXEC("type Query { a: Int }", "{\"a\":1}",
               "query X($s: Boolean = true) { a @skip(if: $s) } query Y($s: Boolean = false) { a "
               "@skip(if: $s) }",
               NULL,
               "{\"errors\":[{\"message\":\"Must provide operation name if query contains multiple "
               "operations.\"}]}");
    gql_schema_t *s = tx_schema("type Query { a: Int }");
    char *r = tx_run_opts(s, "{\"a\":1}",
                          "query X($s: Boolean = true) { a @skip(if: $s) } query Y($s: Boolean = "
                          "false) { a @skip(if: $s) }",
                          NULL, "Y", NULL);
    CHECK_EQ_STR(r, "{\"data\":{\"a\":1}}");
    free(r);
    r = tx_run_opts(s, "{\"a\":1}", "query X($s: Boolean = true) { a @skip(if: $s) }",
                    "{\"s\":false}", "X", NULL);
    CHECK_EQ_STR(r, "{\"data\":{\"a\":1}}");
    free(r);
    gql_schema_free(s);
}

TEST(disabled_introspection_is_a_request_error)
{
    gql_schema_t *s = tx_schema("type Query { a: Int }");
    gql_exec_opts_t o = {.no_introspection = true};
    char *r = tx_run_opts(s, "{\"a\":1}", "{ a __typename }", NULL, NULL, &o);
    CHECK_EQ_STR(r, "{\"data\":{\"a\":1,\"__typename\":\"Query\"}}");
    free(r);
    r = tx_run_opts(s, "{\"a\":1}", "{ a __schema { queryType { name } } }", NULL, NULL, &o);
    CHECK_EQ_STR(
        r, "{\"errors\":[{\"message\":\"GraphQL introspection has been disabled, but the "
           "requested query contained the field \\\"__schema\\\".\",\"locations\":[{\"line\":1,"
           "\"column\":5}]}]}");
    free(r);
    gql_schema_free(s);
}

TEST(select_operation_errors)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_schema_t *s = tx_schema("type Query { a: Int }");
    gql_error_list_t errors;
    gql_errors_init(&errors, &a, 0);
    gql_ast_document_t *doc = NULL;
    gql_parse_limits_t lim = GQL_PARSE_LIMITS_DEFAULT;
    const char *q = "fragment F on Query { a }";
    CHECK_EQ_INT(gql_parse(&a, q, strlen(q), &lim, &doc, &errors), FACET_OK);
    const gql_ast_operation_t *op;
    CHECK_EQ_INT(gql_select_operation(doc, FACET_STR_NULL, &op, &errors), FACET_EINVAL);
    CHECK_SLICE(errors.head->message, "Must provide an operation.");
    gql_schema_free(s);
    facet_arena_free(&a);
}

TEST(arena_exhaustion_gives_an_error_response)
{
    /* Whatever allocation fails, the execution ends and writes either the
     * full response or a fixed out-of-memory one. */
    gql_schema_t *s = tx_schema("type Query { l: [O], a: Int } type O { x: Int, y: [Int!], o: O }");
    facet_arena_t da;
    facet_arena_init(&da, 0);
    const gql_ast_document_t *doc = tx_doc(&da, s, "{ l { x y o { x o { y } } } a b: a }");
    const gql_value_t *root =
        tx_json(&da, "{\"a\":1,\"l\":[{\"x\":1,\"y\":[1,null],\"o\":{\"x\":\"z\"}},{\"x\":2}]}");
    int full = 0, oom = 0;
    for (size_t limit = 256; limit < 64 * 1024; limit += 256) {
        facet_arena_t a;
        facet_arena_init(&a, limit);
        gql_exec_opts_t o = {.schema = s, .doc = doc, .root_json = root};
        gql_exec_t *ex = NULL;
        int rc = gql_exec_start(&a, &o, &ex);
        if (rc == FACET_ENOMEM) {
            facet_arena_free(&a);
            continue;
        }
        CHECK_EQ_INT(rc, FACET_OK);
        facet_buf_t out;
        facet_buf_init(&out, 0);
        CHECK_EQ_INT(gql_exec_write(ex, &out), FACET_OK);
        gql_value_t *v;
        CHECK_EQ_INT(gql_json_parse(&da, out.base, out.len, 0, &v, NULL, 0), FACET_OK);
        if (memmem(out.base, out.len, "ran out of memory", 17))
            oom++;
        else
            full++;
        facet_buf_free(&out);
        facet_arena_free(&a);
    }
    CHECK(oom > 0 && full > 0);
    facet_arena_free(&da);
    gql_schema_free(s);
}
