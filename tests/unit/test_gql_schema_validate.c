/* The type-system validation rules of schema building: graphql-js'
 * SDL rules (run before building) and validateSchema (run after), each
 * with its message and locations. The expected texts are graphql-js
 * 16.15's output for the same SDL. */
#include "test_gql_schema.h"

TEST(sdl_lone_schema_definition)
{
    CHECK_SDL_ERRORS("schema { query: Q }\n"
                     "schema { query: Q }\n"
                     "type Q { a: Int }",
                     "Must provide only one schema definition. 2:1\n"
                     "There can be only one query type in schema. 1:10 2:10");
}

TEST(sdl_unique_operation_types)
{
    CHECK_SDL_ERRORS("schema { query: Q query: Q mutation: M }\n"
                     "extend schema { mutation: M }\n"
                     "type Q { a: Int }\n"
                     "type M { a: Int }",
                     "There can be only one query type in schema. 1:10 1:19\n"
                     "There can be only one mutation type in schema. 1:28 2:17");
}

TEST(sdl_unique_type_names)
{
    CHECK_SDL_ERRORS("type Query { a: Int }\n"
                     "type Query { b: Int }\n"
                     "scalar Query",
                     "There can be only one type named \"Query\". 1:6 2:6\n"
                     "There can be only one type named \"Query\". 1:6 3:8");
}

TEST(sdl_unique_enum_value_names)
{
    CHECK_SDL_ERRORS("type Query { a: Int }\n"
                     "enum E { A B A }\n"
                     "extend enum E { B C }",
                     "Enum value \"E.A\" can only be defined once. 2:10 2:14\n"
                     "Enum value \"E.B\" can only be defined once. 2:12 3:17");
}

TEST(sdl_unique_field_definition_names)
{
    CHECK_SDL_ERRORS("type Query { a: Int a: String }\n"
                     "extend type Query { a: Int b: Int }\n"
                     "input I { x: Int x: Int }\n"
                     "interface J { y: Int y: Int }",
                     "Field \"Query.a\" can only be defined once. 1:14 1:21\n"
                     "Field \"Query.a\" can only be defined once. 1:14 2:21\n"
                     "Field \"I.x\" can only be defined once. 3:11 3:18\n"
                     "Field \"J.y\" can only be defined once. 4:15 4:22");
}

TEST(sdl_unique_argument_definition_names)
{
    CHECK_SDL_ERRORS("type Query { a(x: Int, x: Int, y: Int, x: String): Int }\n"
                     "directive @d(a: Int, a: Int) on FIELD",
                     "Argument \"Query.a(x:)\" can only be defined once. 1:16 1:24 1:40\n"
                     "Argument \"@d(a:)\" can only be defined once. 2:14 2:22");
}

TEST(sdl_unique_directive_names)
{
    CHECK_SDL_ERRORS("type Query { a: Int }\n"
                     "directive @d on FIELD\n"
                     "directive @d on QUERY\n"
                     "directive @skip on FIELD",
                     "There can be only one directive named \"@d\". 2:12 3:12");
}

TEST(sdl_known_type_names)
{
    CHECK_SDL_ERRORS("type Query { a: Strin, b: Foo, c: [Bar!] }\n"
                     "type Foo2 { a: Int }\n"
                     "union U = Baz\n"
                     "input I { x: Flot }\n"
                     "schema { query: Qury }",
                     "Unknown type \"Strin\". Did you mean \"String\"? 1:17\n"
                     "Unknown type \"Foo\". Did you mean \"Foo2\"? 1:27\n"
                     "Unknown type \"Bar\". 1:36\n"
                     "Unknown type \"Baz\". 3:11\n"
                     "Unknown type \"Flot\". Did you mean \"Float\" or \"Foo2\"? 4:14\n"
                     "Unknown type \"Qury\". Did you mean \"Query\"? 5:17");
}

TEST(sdl_known_directives)
{
    CHECK_SDL_ERRORS("type Query { a: Int @unknown @skip(if: true) }\n"
                     "type T @deprecated { b: Int }\n"
                     "enum E @specifiedBy(url: \"x\") { A @oneOf }",
                     "Unknown directive \"@unknown\". 1:21\n"
                     "Directive \"@skip\" may not be used on FIELD_DEFINITION. 1:30\n"
                     "Directive \"@deprecated\" may not be used on OBJECT. 2:8\n"
                     "Directive \"@specifiedBy\" may not be used on ENUM. 3:8\n"
                     "Directive \"@oneOf\" may not be used on ENUM_VALUE. 3:35");
}

TEST(sdl_known_directives_input_extension_quirk)
{
    CHECK_SDL_ERRORS("type Query { a: Int }\n"
                     "directive @f on INPUT_FIELD_DEFINITION\n"
                     "input I { a: Int @f }\n"
                     "extend input I { b: Int @f }",
                     "Directive \"@f\" may not be used on ARGUMENT_DEFINITION. 4:25");
}

TEST(sdl_unique_directives_per_location)
{
    CHECK_SDL_ERRORS(
        "type Query { a: Int @deprecated @deprecated }\n"
        "directive @r repeatable on FIELD_DEFINITION | OBJECT\n"
        "directive @o on OBJECT\n"
        "type T @r @r @o { x: Int @r @r }\n"
        "extend type T @o",
        "The directive \"@deprecated\" can only be used once at this location. 1:21 1:33\n"
        "The directive \"@o\" can only be used once at this location. 4:14 5:15");
}

TEST(sdl_possible_type_extensions)
{
    CHECK_SDL_ERRORS(
        "type Query { a: Int }\n"
        "extend scalar Query @foo\n"
        "directive @foo on SCALAR\n"
        "scalar S\n"
        "extend type S { a: Int }\n"
        "extend input Qery { a: Int }\n"
        "extend union Query = Query",
        "Cannot extend non-scalar type \"Query\". 1:1 2:1\n"
        "Cannot extend non-object type \"S\". 4:1 5:1\n"
        "Cannot extend type \"Qery\" because it is not defined. Did you mean \"Query\"? 6:14\n"
        "Cannot extend non-union type \"Query\". 1:1 7:1");
}

TEST(sdl_known_argument_names_on_directives)
{
    CHECK_SDL_ERRORS(
        "type Query { a: Int @deprecated(reasn: \"x\") b: Int @deprecated(because: \"y\") }",
        "Unknown argument \"reasn\" on directive \"@deprecated\". Did you mean \"reason\"? 1:33\n"
        "Unknown argument \"because\" on directive \"@deprecated\". 1:64");
}

TEST(sdl_unique_argument_names)
{
    CHECK_SDL_ERRORS(
        "type Query { a: Int @deprecated(reason: \"y\", reason: \"z\", reason: \"w\") }",
        "There can be only one argument named \"reason\". 1:33 1:46 1:59");
}

TEST(sdl_unique_input_field_names)
{
    CHECK_SDL_ERRORS("directive @d(a: In = {x: 1, x: 2, y: {z: 1, z: 2}}) on FIELD\n"
                     "type Query { a: Int @d2(a: {b: 1, b: 2}, b: 1, c: []) }\n"
                     "directive @d2(a: Int, b: Int!, c: [Int]!) on FIELD_DEFINITION",
                     "Unknown type \"In\". Did you mean \"ID\" or \"Int\"? 1:17\n"
                     "There can be only one input field named \"x\". 1:23 1:29\n"
                     "There can be only one input field named \"z\". 1:39 1:45\n"
                     "There can be only one input field named \"b\". 2:29 2:35");
}

TEST(sdl_provided_required_arguments_on_directives)
{
    CHECK_SDL_ERRORS("type Query { a: Int }\n"
                     "scalar S @specifiedBy\n"
                     "directive @d(a: Int!, b: [Int]!, c: Int! = 1, d: Int) on SCALAR\n"
                     "scalar T @d",
                     "Directive \"@specifiedBy\" argument \"url\" of type \"String!\" is required, "
                     "but it was not provided. 2:10\n"
                     "Directive \"@d\" argument \"a\" of type \"Int!\" is required, but it was not "
                     "provided. 4:10\n"
                     "Directive \"@d\" argument \"b\" of type \"[Int]!\" is required, but it was "
                     "not provided. 4:10");
}

TEST(sdl_rules_visit_executable_definitions)
{
    CHECK_SDL_ERRORS("type Query { a: Int }\n"
                     "query ($x: String) @foo { a(b: 1, b: 2) @skip(if: true) @skip(if: false) ... "
                     "on Foo { x } }\n"
                     "fragment F on Query { a }",
                     "Unknown type \"String\". 2:12\n"
                     "Unknown directive \"@foo\". 2:20\n"
                     "The directive \"@skip\" can only be used once at this location. 2:41 2:57\n"
                     "There can be only one argument named \"b\". 2:29 2:35\n"
                     "Unknown type \"Foo\". 2:81");
}

TEST(sdl_errors_in_document_order)
{
    CHECK_SDL_ERRORS(
        "type Query { a: Unknown1 }\n"
        "directive @d on FIELD\n"
        "directive @d on FIELD\n"
        "type Query { b: Unknown2 @deprecated @deprecated }",
        "Unknown type \"Unknown1\". 1:17\n"
        "There can be only one directive named \"@d\". 2:12 3:12\n"
        "There can be only one type named \"Query\". 1:6 4:6\n"
        "The directive \"@deprecated\" can only be used once at this location. 4:26 4:38\n"
        "Unknown type \"Unknown2\". 4:17");
}

TEST(root_query_must_be_object)
{
    CHECK_SDL_ERRORS("schema { query: String }\n"
                     "type Query { a: Int }",
                     "Query root type must be Object type, it cannot be String. 1:17");
}

TEST(root_mutation_and_subscription_must_be_objects)
{
    CHECK_SDL_ERRORS(
        "schema { query: Q mutation: I subscription: U }\n"
        "type Q { a: Int }\n"
        "input I { a: Int }\n"
        "union U = Q",
        "Mutation root type must be Object type if provided, it cannot be I. 1:29\n"
        "Subscription root type must be Object type if provided, it cannot be U. 1:45");
}

TEST(root_query_must_be_provided)
{
    CHECK_SDL_ERRORS("type Mutation { a: Int }", "Query root type must be provided.");
}

TEST(root_query_must_be_provided_with_schema)
{
    CHECK_SDL_ERRORS("schema { mutation: Mutation }\n"
                     "type Mutation { a: Int }",
                     "Query root type must be provided. 1:1");
}

TEST(root_type_location_from_extension)
{
    CHECK_SDL_ERRORS("type Query { a: Int }\n"
                     "scalar S\n"
                     "extend schema { mutation: S }",
                     "Mutation root type must be Object type if provided, it cannot be S. 3:27");
}

TEST(reserved_names)
{
    CHECK_SDL_ERRORS(
        "type Query { __a: Int, b(__c: Int): Int }\n"
        "type __T { a: Int }\n"
        "enum E { __V }\n"
        "input __I { __f: Int }\n"
        "directive @__d(__x: Int) on FIELD",
        "Name \"__d\" must not begin with \"__\", which is reserved by GraphQL introspection. 5:1\n"
        "Name \"__x\" must not begin with \"__\", which is reserved by GraphQL introspection. "
        "5:16\n"
        "Name \"__a\" must not begin with \"__\", which is reserved by GraphQL introspection. "
        "1:14\n"
        "Name \"__c\" must not begin with \"__\", which is reserved by GraphQL introspection. "
        "1:26\n"
        "Name \"__T\" must not begin with \"__\", which is reserved by GraphQL introspection. 2:1\n"
        "Name \"__V\" must not begin with \"__\", which is reserved by GraphQL introspection. "
        "3:10\n"
        "Name \"__I\" must not begin with \"__\", which is reserved by GraphQL introspection. 4:1\n"
        "Name \"__f\" must not begin with \"__\", which is reserved by GraphQL introspection. "
        "4:13");
}

TEST(output_and_input_types)
{
    CHECK_SDL_ERRORS("type Query { a: I, b(x: Query): Int }\n"
                     "input I { q: Query, r: U }\n"
                     "union U = Query\n"
                     "directive @d(x: Query) on FIELD",
                     "The type of @d(x:) must be Input Type but got: Query. 4:14\n"
                     "The type of Query.a must be Output Type but got: I. 1:17\n"
                     "The type of Query.b(x:) must be Input Type but got: Query. 1:25\n"
                     "The type of I.q must be Input Type but got: Query. 2:14\n"
                     "The type of I.r must be Input Type but got: U. 2:24");
}

TEST(types_must_define_members)
{
    CHECK_SDL_ERRORS("type Query\n"
                     "type T\n"
                     "interface I\n"
                     "input In\n"
                     "enum E\n"
                     "union U\n"
                     "extend type T @foo\n"
                     "directive @foo on OBJECT",
                     "Type Query must define one or more fields. 1:1\n"
                     "Type T must define one or more fields. 2:1 7:1\n"
                     "Type I must define one or more fields. 3:1\n"
                     "Input Object type In must define one or more fields. 4:1\n"
                     "Enum type E must define one or more values. 5:1\n"
                     "Union type U must define one or more member types. 6:1");
}

TEST(union_members)
{
    CHECK_SDL_ERRORS("type Query { a: Int }\n"
                     "union U = Query | I | Query | S\n"
                     "interface I { a: Int }\n"
                     "scalar S\n"
                     "extend union U = I",
                     "Union type U can only include Object types, it cannot include I. 2:19 5:18\n"
                     "Union type U can only include type Query once. 2:11 2:23\n"
                     "Union type U can only include Object types, it cannot include S. 2:31\n"
                     "Union type U can only include type I once. 2:19 5:18");
}

TEST(implements_only_interfaces_once)
{
    CHECK_SDL_ERRORS(
        "type Query implements I & I & Query & S { a: Int }\n"
        "interface I { a: Int }\n"
        "scalar S",
        "Type Query can only implement I once. 1:23 1:27\n"
        "Type Query must only implement Interface types, it cannot implement Query. 1:31\n"
        "Type Query must only implement Interface types, it cannot implement S. 1:39");
}

TEST(implements_transitive_interfaces)
{
    CHECK_SDL_ERRORS(
        "type Query implements I { a: Int }\n"
        "interface I implements J { a: Int }\n"
        "interface J { b: Int }\n"
        "interface K implements K { a: Int }",
        "Type Query must implement J because it is implemented by I. 2:24 1:23\n"
        "Interface field J.b expected but I does not provide it. 3:15 2:1\n"
        "Type K cannot implement itself because it would create a circular reference. 4:24");
}

TEST(implements_interface_circular)
{
    CHECK_SDL_ERRORS(
        "interface I implements J { a: Int }\n"
        "interface J implements I { a: Int }\n"
        "type Query implements I & J { a: Int }",
        "Type I cannot implement J because it would create a circular reference. 2:24 1:24\n"
        "Type J cannot implement I because it would create a circular reference. 1:24 2:24");
}

TEST(implements_interface_fields)
{
    CHECK_SDL_ERRORS(
        "type Query implements I { a: String, b(x: Int, y: Int!, z: Int! = 3): Int, c: [Int], d: "
        "Int!, f: [I!]! }\n"
        "interface I { a: Int, b(x: String, w: Int): Int, c: [Int!], d: Int, e: Int, f: [I] }",
        "Interface field I.a expects type Int but Query.a is type String. 2:18 1:30\n"
        "Interface field argument I.b(x:) expects type String but Query.b(x:) is type Int. 2:28 "
        "1:43\n"
        "Interface field argument I.b(w:) expected but Query.b does not provide it. 2:36 1:38\n"
        "Object field Query.b includes required argument y that is missing from the Interface "
        "field I.b. 1:48 2:23\n"
        "Interface field I.c expects type [Int!] but Query.c is type [Int]. 2:53 1:79\n"
        "Interface field I.e expected but Query does not provide it. 2:69 1:1");
}

TEST(implements_missing_field_lists_extensions)
{
    CHECK_SDL_ERRORS("type Query { a: Int }\n"
                     "type Foo implements Bar { a: Int }\n"
                     "interface Bar { a: Int, b: Int }\n"
                     "extend type Foo { c: Int }",
                     "Interface field Bar.b expected but Foo does not provide it. 3:25 2:1 4:1");
}

TEST(implements_covariant_abstract_fields)
{
    CHECK_SDL_ERRORS("type Query implements I { u: A, i: A, j: J2, k: B, l: [A!]! }\n"
                     "interface I { u: U, i: I2, j: I2, k: I2, l: [U] }\n"
                     "interface I2 { x: Int }\n"
                     "interface J2 implements I2 { x: Int }\n"
                     "union U = A\n"
                     "type A implements I2 { x: Int }\n"
                     "type B { x: Int }",
                     "Interface field I.k expects type I2 but Query.k is type B. 2:38 1:49");
}

TEST(input_object_cycles)
{
    CHECK_SDL_ERRORS("type Query { a: Int }\n"
                     "input A { b: B! }\n"
                     "input B { a: A!, c: C }\n"
                     "input C { c: C! }\n"
                     "input D { d: [D!]! e: D }\n"
                     "input E { f: F! }\n"
                     "input F { e: E!, g: G! }\n"
                     "input G { f: F! }",
                     "Cannot reference Input Object \"A\" within itself through a series of "
                     "non-null fields: \"b.a\". 2:11 3:11\n"
                     "Cannot reference Input Object \"C\" within itself through a series of "
                     "non-null fields: \"c\". 4:11\n"
                     "Cannot reference Input Object \"E\" within itself through a series of "
                     "non-null fields: \"f.e\". 6:11 7:11\n"
                     "Cannot reference Input Object \"F\" within itself through a series of "
                     "non-null fields: \"g.f\". 7:18 8:11");
}

TEST(required_arguments_cannot_be_deprecated)
{
    CHECK_SDL_ERRORS("type Query { a(x: Int! @deprecated, y: Int! = 1 @deprecated): Int }\n"
                     "input I { a: Int! @deprecated(reason: \"x\"), b: Int! = 1 @deprecated }\n"
                     "directive @d(a: Int! @deprecated) on FIELD",
                     "Required argument @d(a:) cannot be deprecated. 3:22 3:17\n"
                     "Required argument Query.a(x:) cannot be deprecated. 1:24 1:19\n"
                     "Required input field I.a cannot be deprecated. 2:19 2:14");
}

TEST(one_of_input_fields)
{
    CHECK_SDL_ERRORS("type Query { a(x: O): Int }\n"
                     "input O @oneOf { a: Int!, b: Int = 3, c: String, d: Int = \"not an int\" }",
                     "OneOf input field O.a must be nullable. 2:21\n"
                     "OneOf input field O.b cannot have a default value. 2:27");
}

TEST(deprecated_reason_must_coerce)
{
    CHECK_SDL_ERRORS("type Query { a: Int @deprecated(reason: 5) }",
                     "Argument \"reason\" has invalid value 5. 1:41");
}

TEST(specified_by_url_must_not_be_null)
{
    CHECK_SDL_ERRORS("type Query { a: Int }\n"
                     "scalar S @specifiedBy(url: null)",
                     "Argument \"url\" of non-null type \"String!\" must not be null. 2:28");
}

TEST(directive_values_errors_are_all_reported)
{
    CHECK_SDL_ERRORS(
        "type Query { a: Int @deprecated(reason: 5), b: Int @deprecated(reason: ENUM) }",
        /* graphql-js throws at the first; every one is reported here. */
        "Argument \"reason\" has invalid value 5. 1:41\n"
        "Argument \"reason\" has invalid value ENUM. 1:72");
}

/* A field, argument, input field or enum value with a description starts
 * at the description, as graphql-js' nodes do: errors about the whole
 * definition point there, errors about its name or type do not. */
TEST(definition_locations_start_at_descriptions)
{
    CHECK_SDL_ERRORS("type Query { a: I }\n"
                     "interface I {\n"
                     "  \"the field\"\n"
                     "  f(\n"
                     "    \"arg\"\n"
                     "    x: Int\n"
                     "  ): Int\n"
                     "}\n"
                     "type O implements I {\n"
                     "  \"o f\"\n"
                     "  f(\"req\" y: Int!): Int\n"
                     "}\n"
                     "enum E { \"d\" __A }\n"
                     "input In { \"d\" __f: Int, \"e\" g: Query }",
                     "Interface field argument I.f(x:) expected but O.f does not provide it. "
                     "5:5 10:3\n"
                     "Object field O.f includes required argument y that is missing from the "
                     "Interface field I.f. 11:5 3:3\n"
                     "Name \"__A\" must not begin with \"__\", which is reserved by GraphQL "
                     "introspection. 13:10\n"
                     "Name \"__f\" must not begin with \"__\", which is reserved by GraphQL "
                     "introspection. 14:12\n"
                     "The type of In.g must be Input Type but got: Query. 14:33");
    CHECK_SDL_ERRORS("type Query { a: Int \"d\" a: Int }",
                     "Field \"Query.a\" can only be defined once. 1:14 1:25");
    CHECK_SDL_ERRORS("type Query { a(x: A): Int }\n"
                     "input A { \"to b\" b: B! }\n"
                     "input B { \"to a\" a: A! }",
                     "Cannot reference Input Object \"A\" within itself through a series of "
                     "non-null fields: \"b.a\". 2:11 3:11");
}
