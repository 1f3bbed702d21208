/* Validation tests, document-level rules: ExecutableDefinitions,
 * UniqueOperationNames, LoneAnonymousOperation, UniqueFragmentNames,
 * KnownFragmentNames, NoUnusedFragments, NoFragmentCycles,
 * SingleFieldSubscriptions, MaxIntrospectionDepth; the order of errors, the
 * error cap and the work budget. */
#include "test_gql_validate_fixture.h"

TEST(executable_definitions)
{
    EXPECT("query Q { dog { name } } fragment F on Dog { name } { dog { ...F } }",
           "This anonymous operation must be the only defined operation. @1:53");
    EXPECT("{ dog { name } }\n"
           "type Cow { name: String }\n"
           "extend type Dog { color: String }",
           "The \"Cow\" definition is not executable. @2:1\n"
           "The \"Dog\" definition is not executable. @3:1");
    EXPECT("schema { query: QueryRoot }\n"
           "extend schema @onQuery\n"
           "directive @d on FIELD\n"
           "{ dog { name } }",
           "The schema definition is not executable. @1:1\n"
           "The schema definition is not executable. @2:1\n"
           "The \"d\" definition is not executable. @3:1\n"
           "Directive \"@onQuery\" may not be used on SCHEMA. @2:15");
    EXPECT("\"described\" scalar Date\n"
           "{ dog { name } }",
           "The \"Date\" definition is not executable. @1:1");
}

TEST(unique_operation_names)
{
    EXPECT("query A { dog { name } } query B { dog { name } } { cat { name } }",
           "This anonymous operation must be the only defined operation. @1:51");
    EXPECT("query A { dog { name } } mutation A { ping } subscription A { ticks }",
           "There can be only one operation named \"A\". @1:7,1:35\n"
           "There can be only one operation named \"A\". @1:7,1:59");
    EXPECT("query A { dog { name } } fragment A on Dog { name }",
           "Fragment \"A\" is never used. @1:26");
}

TEST(lone_anonymous_operation)
{
    EXPECT("{ dog { name } }", "");
    EXPECT("{ dog { name } } { cat { name } }",
           "This anonymous operation must be the only defined operation. @1:1\n"
           "This anonymous operation must be the only defined operation. @1:18");
    EXPECT("{ dog { name } } mutation { ping }",
           "This anonymous operation must be the only defined operation. @1:1\n"
           "This anonymous operation must be the only defined operation. @1:18");
    EXPECT("query A { dog { name } } { cat { name } }",
           "This anonymous operation must be the only defined operation. @1:26");
}

TEST(unique_fragment_names)
{
    EXPECT("{ dog { ...A ...B } } fragment A on Dog { name } fragment B on Dog { nickname }", "");
    EXPECT("{ dog { ...A } } fragment A on Dog { name } fragment A on Dog { nickname } fragment A "
           "on Dog { barks }",
           "There can be only one fragment named \"A\". @1:27,1:54\n"
           "There can be only one fragment named \"A\". @1:27,1:85");
}

TEST(known_fragment_names)
{
    EXPECT("{ dog { ...A ... on Dog { ...B } } } fragment A on Dog { name } fragment B on Dog { "
           "...C }",
           "Unknown fragment \"C\". @1:88");
}

TEST(no_unused_fragments)
{
    EXPECT("query A { dog { ...F1 } } query B { cat { ...F3 } } fragment F1 on Dog { ...F2 } "
           "fragment F2 on Dog { name } fragment F3 on Cat { name } fragment F4 on Cat { ...F5 } "
           "fragment F5 on Cat { ...F4 }",
           "Cannot spread fragment \"F4\" within itself via \"F5\". @1:159,1:188\n"
           "Fragment \"F4\" is never used. @1:138\n"
           "Fragment \"F5\" is never used. @1:167");
    EXPECT("fragment F on Dog { name }", "Fragment \"F\" is never used. @1:1");
    EXPECT("{ dog { ...F } } fragment F on Dog { name } fragment F on Dog { nickname }",
           "There can be only one fragment named \"F\". @1:27,1:54");
}

TEST(no_fragment_cycles)
{
    EXPECT("{ dog { ...A } } fragment A on Dog { ...B } fragment B on Dog { name }", "");
    EXPECT("{ dog { ...A } } fragment A on Dog { ...A }",
           "Cannot spread fragment \"A\" within itself. @1:38");
    EXPECT("{ dog { ...A } } fragment A on Dog { mother { ...A } }",
           "Cannot spread fragment \"A\" within itself. @1:47");
    EXPECT("{ dog { ...A } } fragment A on Dog { ...B } fragment B on Dog { ...C } fragment C on "
           "Dog { ...A ...B }",
           "Cannot spread fragment \"A\" within itself via \"B\", \"C\". @1:38,1:65,1:92\n"
           "Cannot spread fragment \"B\" within itself via \"C\". @1:65,1:97");
    EXPECT("{ dog { ...A } } fragment A on Dog { ...B ...C } fragment B on Dog { ...A } fragment C "
           "on Dog { ...A }",
           "Cannot spread fragment \"A\" within itself via \"B\". @1:38,1:70\n"
           "Cannot spread fragment \"A\" within itself via \"C\". @1:43,1:97");
    EXPECT("{ dog { ...A } } fragment A on Dog { ...B ...Unknown } fragment B on Dog { mother { "
           "... on Dog { ...A } } }",
           "Cannot spread fragment \"A\" within itself via \"B\". @1:38,1:98\n"
           "Unknown fragment \"Unknown\". @1:46");
}

TEST(single_field_subscriptions)
{
    EXPECT("subscription { newDog { name } }", "");
    EXPECT("subscription S { newDog { name } newCat { name } ticks }",
           "Subscription \"S\" must select only one top level field. @1:34,1:50");
    EXPECT("subscription { newDog { name } n: newDog { nickname } }",
           "Anonymous Subscription must select only one top level field. @1:32");
    EXPECT("subscription S { ...F } fragment F on SubscriptionRoot { newDog { name } ...G } "
           "fragment G on SubscriptionRoot { ticks }",
           "Subscription \"S\" must select only one top level field. @1:114");
    EXPECT("subscription { newDog { name } ticks @skip(if: true) newCat @include(if: false) { name "
           "} }",
           "");
    EXPECT("subscription { newDog { name } ... on QueryRoot { dog { name } } ... on "
           "SubscriptionRoot { ticks } }",
           "Anonymous Subscription must select only one top level field. @1:92\n"
           "Fragment cannot be spread here as objects of type \"SubscriptionRoot\" can never be of "
           "type \"QueryRoot\". @1:32");
    EXPECT("subscription S { __typename }",
           "Subscription \"S\" must not select an introspection top level field. @1:18");
    EXPECT("subscription { __schema { queryType { name } } newDog { name } }",
           "Anonymous Subscription must select only one top level field. @1:48\n"
           "Anonymous Subscription must not select an introspection top level field. @1:16\n"
           "Cannot query field \"__schema\" on type \"SubscriptionRoot\". @1:16");
}

TEST(max_introspection_depth)
{
    EXPECT("{ __schema { types { fields { type { fields { name } } } } } }", "");
    EXPECT("{ __schema { types { fields { type { name } } } } }", "");
    EXPECT(
        "{ __type(name: \"Dog\") { fields { type { interfaces { possibleTypes { name } } } } } }",
        "Maximum introspection depth exceeded @1:3");
    EXPECT("{ __schema { types { ...T } } } fragment T on __Type { fields { type { ...U } } } "
           "fragment U on __Type { inputFields { name } }",
           "");
    EXPECT("{ __schema { types { ...T } } } fragment T on __Type { fields { type { ...T } } }",
           "Maximum introspection depth exceeded @1:3\n"
           "Cannot spread fragment \"T\" within itself. @1:72");
    EXPECT("{ a: __schema { types { fields { type { fields { name } } } } } b: __type(name: "
           "\"Dog\") { fields { type { fields { name } } } } }",
           "");
}

TEST(type_system_in_document)
{
    EXPECT(
        "{ dog { name } }\n"
        "type Foo implements Bar @unknown { f(a: Strin @deprecated @deprecated): Int @onField }\n"
        "input I @onField { a: Int @deprecated }\n"
        "extend input I { b: Int @deprecated }\n"
        "union U @onField = A | Dog\n"
        "enum E { A @deprecated(reason: 1) }\n"
        "scalar S @specifiedBy(url: \"x\") @specifiedBy(url: \"y\")\n"
        "extend scalar S @specifiedBy(url: \"z\")\n"
        "schema @onField { query: Q }",
        "The \"Foo\" definition is not executable. @2:1\n"
        "The \"I\" definition is not executable. @3:1\n"
        "The \"I\" definition is not executable. @4:1\n"
        "The \"U\" definition is not executable. @5:1\n"
        "The \"E\" definition is not executable. @6:1\n"
        "The \"S\" definition is not executable. @7:1\n"
        "The \"S\" definition is not executable. @8:1\n"
        "The schema definition is not executable. @9:1\n"
        "Unknown type \"Bar\". Did you mean \"Cat\"? @2:21\n"
        "Unknown directive \"@unknown\". @2:25\n"
        "The directive \"@deprecated\" can only be used once at this location. @2:47,2:59\n"
        "Unknown type \"Strin\". Did you mean \"String\"? @2:41\n"
        "Directive \"@onField\" may not be used on FIELD_DEFINITION. @2:77\n"
        "Directive \"@onField\" may not be used on INPUT_OBJECT. @3:9\n"
        "Directive \"@onField\" may not be used on UNION. @5:9\n"
        "Unknown type \"A\". Did you mean \"E\", \"I\", \"S\", or \"U\"? @5:20\n"
        "String cannot represent a non string value: 1 @6:32\n"
        "The directive \"@specifiedBy\" can only be used once at this location. @7:10,7:33\n"
        "The directive \"@specifiedBy\" can only be used once at this location. @7:10,8:17\n"
        "Directive \"@onField\" may not be used on SCHEMA. @9:8\n"
        "Unknown type \"Q\". Did you mean \"E\", \"I\", \"S\", or \"U\"? @9:26");
    EXPECT("directive @onField(a: Int!) repeatable on QUERY\n"
           "query @onField @onField(a: 1, b: 2) { dog { name @onField } }",
           "The \"onField\" definition is not executable. @1:1\n"
           "Directive \"@onField\" argument \"a\" of type \"Int!\" is required, but it was not "
           "provided. @2:7\n"
           "Unknown argument \"b\" on directive \"@onField\". Did you mean \"a\"? @2:31\n"
           "Directive \"@onField\" may not be used on FIELD. @2:50\n"
           "Directive \"@onField\" argument \"a\" of type \"Int!\" is required, but it was not "
           "provided. @2:50");
}

TEST(error_order)
{
    EXPECT("query Q($v: Dgo) { dog { nam ...F } ...F } fragment F on Dog { name(surname: 1) ...G }",
           "Unknown type \"Dgo\". Did you mean \"Dog\"? @1:13\n"
           "Cannot query field \"nam\" on type \"Dog\". Did you mean \"name\"? @1:26\n"
           "Fragment \"F\" cannot be spread here as objects of type \"QueryRoot\" can never be of "
           "type \"Dog\". @1:37\n"
           "Variable \"$v\" is never used in operation \"Q\". @1:9\n"
           "Boolean cannot represent a non boolean value: 1 @1:78\n"
           "Unknown fragment \"G\". @1:84");
    EXPECT("{ a: dog { name } a: cat { name } dog { unknown } }",
           "Fields \"a\" conflict because \"dog\" and \"cat\" are different fields. Use different "
           "aliases on the fields to fetch both if this was intentional. @1:3,1:19\n"
           "Cannot query field \"unknown\" on type \"Dog\". @1:41");
}

/* A document with 150 unknown fields: 100 errors, then graphql-js' cap. */
TEST(error_cap)
{
    facet_buf_t q;
    facet_buf_init(&q, 0);
    facet_buf_append_str(&q, "{");
    for (int i = 0; i < 150; i++)
        facet_buf_printf(&q, " f%d", i);
    facet_buf_append_str(&q, " }");
    facet_buf_append(&q, "", 1);

    gql_schema_t *s = fixture_build(fixture_sdl);
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_error_list_t errors;
    gql_errors_init(&errors, &a, 0);
    gql_ast_document_t *doc = NULL;
    CHECK_EQ_INT(gql_parse(&a, q.base, q.len - 1, NULL, &doc, &errors), FACET_OK);
    CHECK_EQ_INT(gql_validate(s, doc, NULL, &a, &errors), FACET_EINVAL);
    CHECK_EQ_INT(errors.count, 101);
    CHECK_SLICE(errors.head->message, "Cannot query field \"f0\" on type \"QueryRoot\".");
    CHECK_SLICE(errors.tail->message,
                "Too many validation errors, error limit reached. Validation aborted.");
    CHECK_EQ_INT(errors.tail->nlocations, 0);

    /* A smaller cap, and errors appended after earlier ones. */
    gql_validate_opts_t opts = {false, 2};
    CHECK_EQ_INT(gql_validate(s, doc, &opts, &a, &errors), FACET_EINVAL);
    CHECK_EQ_INT(errors.count, 104);
    CHECK_SLICE(errors.tail->message,
                "Too many validation errors, error limit reached. Validation aborted.");
    facet_arena_free(&a);
    gql_schema_free(s);
    facet_buf_free(&q);
}

/* Fragments spreading 30 others each: graphql-js gives up with "Validation
 * aborted." once its comparison budget is spent, and so do we. */
TEST(work_budget)
{
    facet_buf_t q;
    facet_buf_init(&q, 0);
    facet_buf_append_str(&q, "{ dog {");
    for (int i = 0; i < 300; i++)
        facet_buf_printf(&q, " ...F%d", i);
    facet_buf_append_str(&q, " } }");
    for (int i = 0; i < 300; i++) {
        facet_buf_printf(&q, " fragment F%d on Dog { x: name", i);
        for (int j = i + 1; j < 300 && j < i + 30; j++)
            facet_buf_printf(&q, " ...F%d", j);
        facet_buf_append_str(&q, " }");
    }
    facet_buf_append(&q, "", 1);
    EXPECT(q.base, "Validation aborted.");
    facet_buf_free(&q);
}

TEST(valid_document)
{
    EXPECT("query Q($id: ID, $cmd: DogCommand = SIT) {\n"
           "  human(id: $id) { name pets { ...PetName } relatives { iq } }\n"
           "  dog { doesKnowCommand(dogCommand: $cmd) ...DogFields }\n"
           "  catOrDog { __typename ... on Cat { furColor } ... on Dog { barks } }\n"
           "}\n"
           "fragment PetName on Pet { name }\n"
           "fragment DogFields on Dog { nickname mother { ...PetName } }",
           "");
}
