/* Validation tests, names and types at one node: KnownTypeNames,
 * FragmentsOnCompositeTypes, ScalarLeafs, FieldsOnCorrectType,
 * PossibleFragmentSpreads, KnownArgumentNames, UniqueArgumentNames,
 * ProvidedRequiredArguments, KnownDirectives, UniqueDirectivesPerLocation,
 * with and without "Did you mean" suggestions. */
#include "test_gql_validate_fixture.h"

TEST(known_type_names)
{
    EXPECT("query ($a: Int, $b: [String!]!, $c: ComplexInput) { dog { ... on Dog { name } } } ",
           "Variable \"$a\" is never used. @1:8\n"
           "Variable \"$b\" is never used. @1:17\n"
           "Variable \"$c\" is never used. @1:33");
    EXPECT("query ($a: Dgo, $b: [Strin!]!, $c: JumbledUpLetters) { dog { ... on Dgo { name } ...F "
           "} } fragment F on Pett { name }",
           "Unknown type \"Dgo\". Did you mean \"Dog\"? @1:12\n"
           "Unknown type \"Strin\". Did you mean \"String\"? @1:22\n"
           "Unknown type \"JumbledUpLetters\". @1:36\n"
           "Unknown type \"Dgo\". Did you mean \"Dog\"? @1:69\n"
           "Variable \"$a\" is never used. @1:8\n"
           "Variable \"$b\" is never used. @1:17\n"
           "Variable \"$c\" is never used. @1:32\n"
           "Unknown type \"Pett\". Did you mean \"Pet\"? @1:105");
    EXPECT_HIDDEN("query ($a: Dgo, $b: [Strin!]!) { dog { ... on Dgo { name } } }",
                  "Unknown type \"Dgo\". @1:12\n"
                  "Unknown type \"Strin\". @1:22\n"
                  "Unknown type \"Dgo\". @1:47\n"
                  "Variable \"$a\" is never used. @1:8\n"
                  "Variable \"$b\" is never used. @1:17");
    EXPECT("query ($a: __Schema) { dog { ... on __Type { name } } }",
           "Variable \"$a\" cannot be non-input type \"__Schema\". @1:12\n"
           "Fragment cannot be spread here as objects of type \"Dog\" can never be of type "
           "\"__Type\". @1:30\n"
           "Variable \"$a\" is never used. @1:8");
}

TEST(fragments_on_composite_types)
{
    EXPECT("{ dog { ... on Dog { name } ... on Pet { name } ... on CatOrDog { __typename } ... { "
           "name } } }",
           "");
    EXPECT("{ dog { ... on Boolean { x } ... on FurColor { x } ... on ComplexInput { x } } }",
           "Fragment cannot condition on non composite type \"Boolean\". @1:16\n"
           "Fragment cannot condition on non composite type \"FurColor\". @1:37\n"
           "Fragment cannot condition on non composite type \"ComplexInput\". @1:59");
    EXPECT("{ dog { ...F ...G } } fragment F on String { x } fragment G on ComplexInput { x }",
           "Fragment \"F\" cannot condition on non composite type \"String\". @1:37\n"
           "Fragment \"G\" cannot condition on non composite type \"ComplexInput\". @1:64");
}

TEST(scalar_leafs)
{
    EXPECT("{ dog { name barkVolume } human { pets { name } } }", "");
    EXPECT("{ dog }", "Field \"dog\" of type \"Dog\" must have a selection of subfields. Did you "
                      "mean \"dog { ... }\"? @1:3");
    EXPECT("{ human { pets relatives } catOrDog }",
           "Field \"pets\" of type \"[Pet]\" must have a selection of subfields. Did you mean "
           "\"pets { ... }\"? @1:11\n"
           "Field \"relatives\" of type \"[Human]!\" must have a selection of subfields. Did you "
           "mean \"relatives { ... }\"? @1:16\n"
           "Field \"catOrDog\" of type \"CatOrDog\" must have a selection of subfields. Did you "
           "mean \"catOrDog { ... }\"? @1:28");
    EXPECT(
        "{ dog { name { x } barks { y } } }",
        "Field \"name\" must not have a selection since type \"String\" has no subfields. @1:14\n"
        "Field \"barks\" must not have a selection since type \"Boolean\" has no subfields. @1:26");
    EXPECT(
        "{ dog { name @include(if: true) { x } doesKnowCommand(dogCommand: SIT) { y } } }",
        "Field \"name\" must not have a selection since type \"String\" has no subfields. @1:33\n"
        "Field \"doesKnowCommand\" must not have a selection since type \"Boolean\" has no "
        "subfields. @1:72");
    EXPECT("{ complicatedArgs { intArgField(intArg: 1) { x } } __typename { x } }",
           "Field \"intArgField\" must not have a selection since type \"String\" has no "
           "subfields. @1:44\n"
           "Field \"__typename\" must not have a selection since type \"String!\" has no "
           "subfields. @1:63");
}

TEST(fields_on_correct_type)
{
    EXPECT("{ dog { name __typename } catOrDog { __typename ... on Cat { meows } } pet { name } "
           "__schema { queryType { name } } __type(name: \"Dog\") { name } }",
           "");
    EXPECT("{ dog { meowVolume nam barkVolume { deeper } } }",
           "Cannot query field \"meowVolume\" on type \"Dog\". Did you mean \"barkVolume\"? @1:9\n"
           "Cannot query field \"nam\" on type \"Dog\". Did you mean \"name\"? @1:20\n"
           "Field \"barkVolume\" must not have a selection since type \"Int\" has no subfields. "
           "@1:35");
    EXPECT("{ catOrDog { name nickname } pet { nickname meows } being { iq } }",
           "Cannot query field \"name\" on type \"CatOrDog\". Did you mean to use an inline "
           "fragment on \"Being\", \"Pet\", \"Canine\", \"Cat\", or \"Dog\"? @1:14\n"
           "Cannot query field \"nickname\" on type \"CatOrDog\". Did you mean to use an inline "
           "fragment on \"Cat\" or \"Dog\"? @1:19\n"
           "Cannot query field \"nickname\" on type \"Pet\". Did you mean to use an inline "
           "fragment on \"Cat\" or \"Dog\"? @1:36\n"
           "Cannot query field \"meows\" on type \"Pet\". Did you mean to use an inline fragment "
           "on \"Cat\"? @1:45\n"
           "Cannot query field \"iq\" on type \"Being\". Did you mean to use an inline fragment on "
           "\"Alien\" or \"Human\"? @1:61");
    EXPECT("{ dogOrHuman { name } humanOrAlien { iq numEyes } }",
           "Cannot query field \"name\" on type \"DogOrHuman\". Did you mean to use an inline "
           "fragment on \"Being\", \"Canine\", \"Human\", \"Pet\", or \"Dog\"? @1:16\n"
           "Cannot query field \"iq\" on type \"HumanOrAlien\". Did you mean to use an inline "
           "fragment on \"Alien\" or \"Human\"? @1:38\n"
           "Cannot query field \"numEyes\" on type \"HumanOrAlien\". Did you mean to use an inline "
           "fragment on \"Alien\"? @1:41");
    EXPECT("{ mother father }", "Cannot query field \"mother\" on type \"QueryRoot\". @1:3\n"
                                "Cannot query field \"father\" on type \"QueryRoot\". @1:10");
    EXPECT("{ dog { __schema { queryType { name } } __type(name: \"x\") { name } } }",
           "Cannot query field \"__schema\" on type \"Dog\". @1:9\n"
           "Cannot query field \"__type\" on type \"Dog\". @1:41");
    EXPECT("mutation { addDog(name: \"x\") { name } dog { name } } subscription { ticks  bogus }",
           "This anonymous operation must be the only defined operation. @1:1\n"
           "Cannot query field \"dog\" on type \"MutationRoot\". @1:39\n"
           "This anonymous operation must be the only defined operation. @1:54\n"
           "Anonymous Subscription must select only one top level field. @1:76\n"
           "Cannot query field \"bogus\" on type \"SubscriptionRoot\". @1:76");
    EXPECT_HIDDEN("{ dog { nam } catOrDog { nickname } }",
                  "Cannot query field \"nam\" on type \"Dog\". @1:9\n"
                  "Cannot query field \"nickname\" on type \"CatOrDog\". @1:26");
    EXPECT("{ ... on Unknown { dog { nam } } dog { ... on Unknown { nam } } }",
           "Unknown type \"Unknown\". @1:10\n"
           "Unknown type \"Unknown\". @1:47");
}

TEST(possible_fragment_spreads)
{
    EXPECT("{ dog { ... on Dog { name } ... on Pet { name } ... on Being { name } ... on Canine { "
           "name } ... on CatOrDog { __typename } ... on DogOrHuman { __typename } } }",
           "");
    EXPECT(
        "{ dog { ... on Cat { meows } ... on Human { name } ... on HumanOrAlien { __typename } } }",
        "Fragment cannot be spread here as objects of type \"Dog\" can never be of type \"Cat\". "
        "@1:9\n"
        "Fragment cannot be spread here as objects of type \"Dog\" can never be of type \"Human\". "
        "@1:30\n"
        "Fragment cannot be spread here as objects of type \"Dog\" can never be of type "
        "\"HumanOrAlien\". @1:52");
    EXPECT("{ catOrDog { ... on Human { name } ... on Being { name } ... on HumanOrAlien { "
           "__typename } ... on Pet { name } } }",
           "Fragment cannot be spread here as objects of type \"CatOrDog\" can never be of type "
           "\"Human\". @1:14\n"
           "Fragment cannot be spread here as objects of type \"CatOrDog\" can never be of type "
           "\"HumanOrAlien\". @1:58");
    EXPECT("{ pet { ... on Human { name } ... on HumanOrAlien { __typename } ... on Mammal { "
           "mother { __typename } } } }",
           "Fragment cannot be spread here as objects of type \"Pet\" can never be of type "
           "\"Human\". @1:9\n"
           "Fragment cannot be spread here as objects of type \"Pet\" can never be of type "
           "\"HumanOrAlien\". @1:31");
    EXPECT("{ dog { ...C ...H ...HA ...U } } fragment C on Cat { meows } fragment H on Human { "
           "name } fragment HA on HumanOrAlien { __typename } fragment U on Unknown { x }",
           "Fragment \"C\" cannot be spread here as objects of type \"Dog\" can never be of type "
           "\"Cat\". @1:9\n"
           "Fragment \"H\" cannot be spread here as objects of type \"Dog\" can never be of type "
           "\"Human\". @1:14\n"
           "Fragment \"HA\" cannot be spread here as objects of type \"Dog\" can never be of type "
           "\"HumanOrAlien\". @1:19\n"
           "Unknown type \"Unknown\". @1:148");
    EXPECT("{ humanOrAlien { ... on DogOrHuman { __typename } ... on CatOrDog { __typename } } }",
           "Fragment cannot be spread here as objects of type \"HumanOrAlien\" can never be of "
           "type \"CatOrDog\". @1:51");
}

TEST(known_argument_names)
{
    EXPECT("{ dog { doesKnowCommand(dogCommand: SIT) isAtLocation(x: 1, y: 2) name @include(if: "
           "true) @withArgs(a: 1, b: \"x\") } __type(name: \"Dog\") { name } }",
           "");
    EXPECT(
        "{ dog { doesKnowCommand(dogcommand: SIT) isAtLocation(z: 1) name(surname: true, surnam: "
        "false) } }",
        "Unknown argument \"dogcommand\" on field \"Dog.doesKnowCommand\". Did you mean "
        "\"dogCommand\"? @1:25\n"
        "Unknown argument \"z\" on field \"Dog.isAtLocation\". Did you mean \"x\" or \"y\"? @1:55\n"
        "Unknown argument \"surnam\" on field \"Dog.name\". Did you mean \"surname\"? @1:81");
    EXPECT("{ dog { name @include(iff: true) @skip(if: true, unless: false) @onField(a: 1) } }",
           "Unknown argument \"iff\" on directive \"@include\". Did you mean \"if\"? @1:23\n"
           "Directive \"@include\" argument \"if\" of type \"Boolean!\" is required, but it was "
           "not provided. @1:14\n"
           "Unknown argument \"unless\" on directive \"@skip\". @1:50\n"
           "Unknown argument \"a\" on directive \"@onField\". @1:74");
    EXPECT_HIDDEN("{ dog { doesKnowCommand(dogcommand: SIT) name @include(iff: true, if: true) } }",
                  "Unknown argument \"dogcommand\" on field \"Dog.doesKnowCommand\". @1:25\n"
                  "Unknown argument \"iff\" on directive \"@include\". @1:56");
    EXPECT("{ __type(nam: \"x\", name: \"Dog\") { name } dog { __typename(x: 1) } }",
           "Unknown argument \"nam\" on field \"QueryRoot.__type\". Did you mean \"name\"? @1:10\n"
           "Unknown argument \"x\" on field \"Dog.__typename\". @1:59");
    EXPECT("{ dog { name @unknown(a: 1) } unknown(b: 2) }",
           "Unknown directive \"@unknown\". @1:14\n"
           "Cannot query field \"unknown\" on type \"QueryRoot\". @1:31");
}

TEST(unique_argument_names)
{
    EXPECT("{ dog { isAtLocation(x: 1, y: 2) name @withArgs(a: 1, b: \"x\") } }", "");
    EXPECT("{ dog { isAtLocation(x: 1, x: 2, y: 3, x: 4, y: 5) } }",
           "There can be only one argument named \"x\". @1:22,1:28,1:40\n"
           "There can be only one argument named \"y\". @1:34,1:46");
    EXPECT("{ dog { name @withArgs(a: 1, a: 2) @include(if: true, if: false) } }",
           "There can be only one argument named \"a\". @1:24,1:30\n"
           "There can be only one argument named \"if\". @1:45,1:55");
    EXPECT("{ dog { unknown(a: 1, a: 2) } }",
           "Cannot query field \"unknown\" on type \"Dog\". @1:9\n"
           "There can be only one argument named \"a\". @1:17,1:23");
}

TEST(provided_required_arguments)
{
    EXPECT("{ complicatedArgs { multipleReqs(req1: 1, req2: 2) nonNullFieldWithDefault "
           "multipleOpts multipleOptAndReq(req1: 1, req2: 2) } }",
           "");
    EXPECT("{ complicatedArgs { multipleReqs(req2: 2) a: multipleReqs b: nonNullIntArgField c: "
           "multipleOptAndReq(opt1: 1) } }",
           "Field \"multipleReqs\" argument \"req1\" of type \"Int!\" is required, but it was not "
           "provided. @1:21\n"
           "Field \"multipleReqs\" argument \"req1\" of type \"Int!\" is required, but it was not "
           "provided. @1:43\n"
           "Field \"multipleReqs\" argument \"req2\" of type \"Int!\" is required, but it was not "
           "provided. @1:43\n"
           "Field \"nonNullIntArgField\" argument \"nonNullIntArg\" of type \"Int!\" is required, "
           "but it was not provided. @1:59\n"
           "Field \"multipleOptAndReq\" argument \"req1\" of type \"Int!\" is required, but it was "
           "not provided. @1:81\n"
           "Field \"multipleOptAndReq\" argument \"req2\" of type \"Int!\" is required, but it was "
           "not provided. @1:81");
    EXPECT("{ complicatedArgs { multipleReqs(req1: null, req2: 1, unknown: 2) } }",
           "Expected value of type \"Int!\", found null. @1:40\n"
           "Unknown argument \"unknown\" on field \"ComplicatedArgs.multipleReqs\". @1:55");
    EXPECT("{ dog { name @include @skip(unless: true) @withArgs } }",
           "Directive \"@include\" argument \"if\" of type \"Boolean!\" is required, but it was "
           "not provided. @1:14\n"
           "Unknown argument \"unless\" on directive \"@skip\". @1:29\n"
           "Directive \"@skip\" argument \"if\" of type \"Boolean!\" is required, but it was not "
           "provided. @1:23\n"
           "Directive \"@withArgs\" argument \"a\" of type \"Int!\" is required, but it was not "
           "provided. @1:43");
    EXPECT("{ dog { name @unknown } unknownField(req1: 1) }",
           "Unknown directive \"@unknown\". @1:14\n"
           "Cannot query field \"unknownField\" on type \"QueryRoot\". @1:25");
}

TEST(known_directives)
{
    EXPECT("query Q @onQuery { dog @onField { name @include(if: true) ...F @skip(if: false) ... "
           "@include(if: true) { name } } } fragment F on Dog { name }",
           "");
    EXPECT("{ dog @unknown(directive: \"value\") { name @unknown } }",
           "Unknown directive \"@unknown\". @1:7\n"
           "Unknown directive \"@unknown\". @1:43");
    EXPECT("query Q($v: Int @onField) @onField { dog @onQuery { ...F @onField ... @onQuery { name "
           "} } } fragment F on Dog @onField { name }",
           "Directive \"@onField\" may not be used on VARIABLE_DEFINITION. @1:17\n"
           "Directive \"@onField\" may not be used on QUERY. @1:27\n"
           "Directive \"@onQuery\" may not be used on FIELD. @1:42\n"
           "Directive \"@onField\" may not be used on FRAGMENT_SPREAD. @1:58\n"
           "Directive \"@onQuery\" may not be used on INLINE_FRAGMENT. @1:71\n"
           "Variable \"$v\" is never used in operation \"Q\". @1:9\n"
           "Directive \"@onField\" may not be used on FRAGMENT_DEFINITION. @1:111");
    EXPECT("mutation @onQuery { ping } subscription @onQuery @withArgs(a: 1) { ticks }",
           "This anonymous operation must be the only defined operation. @1:1\n"
           "Directive \"@onQuery\" may not be used on MUTATION. @1:10\n"
           "This anonymous operation must be the only defined operation. @1:28\n"
           "Directive \"@onQuery\" may not be used on SUBSCRIPTION. @1:41\n"
           "Directive \"@withArgs\" may not be used on SUBSCRIPTION. @1:50");
    EXPECT("{ dog { name @deprecated @specifiedBy(url: \"x\") @oneOf } }",
           "Directive \"@deprecated\" may not be used on FIELD. @1:14\n"
           "Directive \"@specifiedBy\" may not be used on FIELD. @1:26\n"
           "Directive \"@oneOf\" may not be used on FIELD. @1:49");
}

TEST(unique_directives_per_location)
{
    EXPECT("{ dog @onField { name @onField @repeatableField @repeatableField @skip(if: false) } }",
           "");
    EXPECT("{ dog { name @onField @onField @onField } }",
           "The directive \"@onField\" can only be used once at this location. @1:14,1:23\n"
           "The directive \"@onField\" can only be used once at this location. @1:14,1:32");
    EXPECT(
        "{ dog { name @include(if: true) @skip(if: false) @include(if: true) @skip(if: true) } }",
        "The directive \"@include\" can only be used once at this location. @1:14,1:50\n"
        "The directive \"@skip\" can only be used once at this location. @1:33,1:69");
    EXPECT("query @onQuery @onQuery { dog { ...F @withArgs(a: 1) @withArgs(a: 2) ... @include(if: "
           "true) @include(if: true) { name } } } fragment F on Dog { name }",
           "The directive \"@onQuery\" can only be used once at this location. @1:7,1:16\n"
           "The directive \"@withArgs\" can only be used once at this location. @1:38,1:54\n"
           "The directive \"@include\" can only be used once at this location. @1:74,1:93");
    EXPECT("{ dog { name @unknown @unknown } }", "Unknown directive \"@unknown\". @1:14\n"
                                                 "Unknown directive \"@unknown\". @1:23");
}

/* graphql-js' type map holds only the built-in scalars a schema uses: a
 * schema without Float does not know the type. */
TEST(unused_builtin_scalars_are_unknown)
{
    gql_schema_t *s = fixture_build("type Query { a(x: Int): String }");
    gql_validate_opts_t opts = {false, 0};
    fixture_check(__FILE__, __LINE__, s, "query ($x: Int, $y: Float) { a(x: $x) }", &opts,
                  "Unknown type \"Float\". @1:21\n"
                  "Variable \"$y\" is never used. @1:17");
    fixture_check(__FILE__, __LINE__, s, "mutation { a } subscription { a }", &opts,
                  "This anonymous operation must be the only defined operation. @1:1\n"
                  "This anonymous operation must be the only defined operation. @1:16");
    gql_schema_free(s);
}
