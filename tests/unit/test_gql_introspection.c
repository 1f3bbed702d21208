/* Tests for introspection: __typename, __type, __schema and the fields of
 * the introspection types, with defaultValue printed as graphql-js prints
 * it. Expected responses are graphql-js 16's for the same schema. The full
 * getIntrospectionQuery() is compared by the differential suite. */
#include "test_gql_exec.h"

TEST(type_by_name)
{
    CHECK_EXEC(
        "type Query { a(x: [Int!]! = [1], y: In = {b: \"s\"}, z: E = B @deprecated(reason: "
        "\"old\")): [String!] } input In { a: Float = 1.5, b: String, c: ID = 7 } enum E { A B "
        "@deprecated C }",
        "{}",
        "{ __type(name: \"Query\") { kind name fields { name args { name defaultValue isDeprecated "
        "deprecationReason type { kind name ofType { kind name ofType { kind name ofType { name } "
        "} } } } type { kind ofType { kind ofType { kind name } } } } } e: __type(name: \"E\") { "
        "enumValues { name } all: enumValues(includeDeprecated: true) { name isDeprecated "
        "deprecationReason } } i: __type(name: \"In\") { inputFields { name defaultValue } isOneOf "
        "} none: __type(name: \"Nope\") { name } }",
        NULL,
        "{\"data\":{\"__type\":{\"kind\":\"OBJECT\",\"name\":\"Query\",\"fields\":[{\"name\":\"a\","
        "\"args\":[{\"name\":\"x\",\"defaultValue\":\"[1]\",\"isDeprecated\":false,"
        "\"deprecationReason\":null,\"type\":{\"kind\":\"NON_NULL\",\"name\":null,\"ofType\":{"
        "\"kind\":\"LIST\",\"name\":null,\"ofType\":{\"kind\":\"NON_NULL\",\"name\":null,"
        "\"ofType\":{\"name\":\"Int\"}}}}},{\"name\":\"y\",\"defaultValue\":\"{a: 1.5, b: "
        "\\\"s\\\", c: "
        "7}\",\"isDeprecated\":false,\"deprecationReason\":null,\"type\":{\"kind\":\"INPUT_"
        "OBJECT\",\"name\":\"In\",\"ofType\":null}}],\"type\":{\"kind\":\"LIST\",\"ofType\":{"
        "\"kind\":\"NON_NULL\",\"ofType\":{\"kind\":\"SCALAR\",\"name\":\"String\"}}}}]},\"e\":{"
        "\"enumValues\":[{\"name\":\"A\"},{\"name\":\"C\"}],\"all\":[{\"name\":\"A\","
        "\"isDeprecated\":false,\"deprecationReason\":null},{\"name\":\"B\",\"isDeprecated\":true,"
        "\"deprecationReason\":\"No longer "
        "supported\"},{\"name\":\"C\",\"isDeprecated\":false,\"deprecationReason\":null}]},\"i\":{"
        "\"inputFields\":[{\"name\":\"a\",\"defaultValue\":\"1.5\"},{\"name\":\"b\","
        "\"defaultValue\":null},{\"name\":\"c\",\"defaultValue\":\"7\"}],\"isOneOf\":false},"
        "\"none\":null}}");
}

TEST(abstract_types)
{
    CHECK_EXEC(
        "interface N { id: ID } interface M implements N { id: ID } type A implements M & N { id: "
        "ID } type B implements N { id: ID } union U = B | A type Query { n: N, u: U }",
        "{}",
        "{ n: __type(name: \"N\") { possibleTypes { name } interfaces { name } } m: __type(name: "
        "\"M\") { interfaces { name } possibleTypes { name } } u: __type(name: \"U\") { "
        "possibleTypes { name } fields { name } } a: __type(name: \"A\") { interfaces { name } "
        "possibleTypes { name } } }",
        NULL,
        "{\"data\":{\"n\":{\"possibleTypes\":[{\"name\":\"A\"},{\"name\":\"B\"}],\"interfaces\":[]}"
        ",\"m\":{\"interfaces\":[{\"name\":\"N\"}],\"possibleTypes\":[{\"name\":\"A\"}]},\"u\":{"
        "\"possibleTypes\":[{\"name\":\"B\"},{\"name\":\"A\"}],\"fields\":null},\"a\":{"
        "\"interfaces\":[{\"name\":\"M\"},{\"name\":\"N\"}],\"possibleTypes\":null}}}");
}

TEST(schema_fields)
{
    CHECK_EXEC(
        "\"\"\"desc\"\"\" schema { query: Q } type Q { a: Int } scalar D @specifiedBy(url: \"u\") "
        "directive @d(x: Int = 1) repeatable on FIELD | QUERY input O @oneOf { a: Int }",
        "{}",
        "{ __schema { description queryType { name } mutationType { name } types { name } "
        "directives { name isRepeatable locations args { name defaultValue } } } __typename d: "
        "__type(name: \"D\") { specifiedByURL } o: __type(name: \"O\") { isOneOf } }",
        NULL,
        "{\"data\":{\"__schema\":{\"description\":\"desc\",\"queryType\":{\"name\":\"Q\"},"
        "\"mutationType\":null,\"types\":[{\"name\":\"Q\"},{\"name\":\"Int\"},{\"name\":\"D\"},{"
        "\"name\":\"O\"},{\"name\":\"Boolean\"},{\"name\":\"String\"},{\"name\":\"__Schema\"},{"
        "\"name\":\"__Type\"},{\"name\":\"__TypeKind\"},{\"name\":\"__Field\"},{\"name\":\"__"
        "InputValue\"},{\"name\":\"__EnumValue\"},{\"name\":\"__Directive\"},{\"name\":\"__"
        "DirectiveLocation\"}],\"directives\":[{\"name\":\"d\",\"isRepeatable\":true,\"locations\":"
        "[\"FIELD\",\"QUERY\"],\"args\":[{\"name\":\"x\",\"defaultValue\":\"1\"}]},{\"name\":"
        "\"include\",\"isRepeatable\":false,\"locations\":[\"FIELD\",\"FRAGMENT_SPREAD\",\"INLINE_"
        "FRAGMENT\"],\"args\":[{\"name\":\"if\",\"defaultValue\":null}]},{\"name\":\"skip\","
        "\"isRepeatable\":false,\"locations\":[\"FIELD\",\"FRAGMENT_SPREAD\",\"INLINE_FRAGMENT\"],"
        "\"args\":[{\"name\":\"if\",\"defaultValue\":null}]},{\"name\":\"deprecated\","
        "\"isRepeatable\":false,\"locations\":[\"FIELD_DEFINITION\",\"ARGUMENT_DEFINITION\","
        "\"INPUT_FIELD_DEFINITION\",\"ENUM_VALUE\",\"DIRECTIVE_DEFINITION\"],\"args\":[{\"name\":"
        "\"reason\",\"defaultValue\":\"\\\"No longer "
        "supported\\\"\"}]},{\"name\":\"specifiedBy\",\"isRepeatable\":false,\"locations\":["
        "\"SCALAR\"],\"args\":[{\"name\":\"url\",\"defaultValue\":null}]},{\"name\":\"oneOf\","
        "\"isRepeatable\":false,\"locations\":[\"INPUT_OBJECT\"],\"args\":[]}]},\"__typename\":"
        "\"Q\",\"d\":{\"specifiedByURL\":\"u\"},\"o\":{\"isOneOf\":true}}}");
}

TEST(introspection_off_hides_nothing_else)
{
    gql_schema_t *s = tx_schema("type Query { a: Int }");
    gql_exec_opts_t o = {.no_introspection = true};
    char *r = tx_run_opts(s, "{}", "{ t: __type(name: \"Query\") { name } }", NULL, NULL, &o);
    CHECK_EQ_STR(r,
                 "{\"errors\":[{\"message\":\"GraphQL introspection has been disabled, but the "
                 "requested query contained the field \\\"__type\\\".\",\"locations\":[{\"line\":1,"
                 "\"column\":3}]}]}");
    free(r);
    gql_schema_free(s);
}
