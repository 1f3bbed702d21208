/* Validation tests, variables: VariablesAreInputTypes, UniqueVariableNames,
 * NoUndefinedVariables, NoUnusedVariables, VariablesInAllowedPosition
 * (defaults on either side, lists, @oneOf), through fragments too. */
#include "test_gql_validate_fixture.h"

TEST(variables_are_input_types)
{
    EXPECT("query ($a: String, $b: [Boolean!]!, $c: ComplexInput, $d: FurColor, $e: Custom) { dog "
           "{ name } }",
           "Variable \"$a\" is never used. @1:8\n"
           "Variable \"$b\" is never used. @1:20\n"
           "Variable \"$c\" is never used. @1:37\n"
           "Variable \"$d\" is never used. @1:55\n"
           "Variable \"$e\" is never used. @1:69");
    EXPECT("query ($a: Dog, $b: [[CatOrDog!]]!, $c: Pet, $d: Unknown) { dog { name } }",
           "Variable \"$a\" cannot be non-input type \"Dog\". @1:12\n"
           "Variable \"$b\" cannot be non-input type \"[[CatOrDog!]]!\". @1:21\n"
           "Variable \"$c\" cannot be non-input type \"Pet\". @1:41\n"
           "Unknown type \"Unknown\". @1:50\n"
           "Variable \"$a\" is never used. @1:8\n"
           "Variable \"$b\" is never used. @1:17\n"
           "Variable \"$c\" is never used. @1:37\n"
           "Variable \"$d\" is never used. @1:46");
}

TEST(unique_variable_names)
{
    EXPECT("query ($x: Int, $y: Int) { dog { isAtLocation(x: $x, y: $y) } }", "");
    EXPECT(
        "query ($x: Int, $x: Int, $y: Int, $x: String, $y: Int) { dog { isAtLocation(x: $x, y: $y) "
        "} }",
        "There can be only one variable named \"$x\". @1:9,1:18,1:36\n"
        "There can be only one variable named \"$y\". @1:27,1:48\n"
        "Variable \"$x\" of type \"String\" used in position expecting type \"Int\". @1:35,1:80");
    EXPECT("query ($x: Int, $y: Int) { dog { isAtLocation(x: $x, y: $y) } } query Q($x: Int) { dog "
           "{ isAtLocation(x: $x) } }",
           "This anonymous operation must be the only defined operation. @1:1");
}

TEST(no_undefined_variables)
{
    EXPECT("query Q($a: Int, $b: Int) { dog { isAtLocation(x: $a, y: $b) ...F } } fragment F on "
           "Dog { isAtLocation(x: $a) }",
           "Fields \"isAtLocation\" conflict because they have differing arguments. Use different "
           "aliases on the fields to fetch both if this was intentional. @1:35,1:91");
    EXPECT("query Q($a: Int) { dog { isAtLocation(x: $a, y: $b) ...F } } fragment F on Dog { "
           "isAtLocation(x: $c) ...G } fragment G on Dog { isAtLocation(y: $d) }",
           "Fields \"isAtLocation\" conflict because they have differing arguments. Use different "
           "aliases on the fields to fetch both if this was intentional. @1:26,1:82\n"
           "Fields \"isAtLocation\" conflict because they have differing arguments. Use different "
           "aliases on the fields to fetch both if this was intentional. @1:26,1:129\n"
           "Variable \"$b\" is not defined by operation \"Q\". @1:49,1:1\n"
           "Variable \"$c\" is not defined by operation \"Q\". @1:98,1:1\n"
           "Variable \"$d\" is not defined by operation \"Q\". @1:145,1:1\n"
           "Fields \"isAtLocation\" conflict because they have differing arguments. Use different "
           "aliases on the fields to fetch both if this was intentional. @1:82,1:129");
    EXPECT("{ dog { isAtLocation(x: $a) name @include(if: $b) } complicatedArgs { "
           "complexArgField(complexArg: {requiredField: $c, stringListField: [$d]}) } }",
           "Variable \"$a\" is not defined. @1:25,1:1\n"
           "Variable \"$b\" is not defined. @1:47,1:1\n"
           "Variable \"$c\" is not defined. @1:115,1:1\n"
           "Variable \"$d\" is not defined. @1:137,1:1");
    EXPECT("query A { ...F } query B($a: Int) { ...F } fragment F on QueryRoot { dog { "
           "isAtLocation(x: $a) } }",
           "Variable \"$a\" is not defined by operation \"A\". @1:92,1:1");
    EXPECT("query Q { dog { isAtLocation(x: $a, y: $a) } }",
           "Variable \"$a\" is not defined by operation \"Q\". @1:33,1:1\n"
           "Variable \"$a\" is not defined by operation \"Q\". @1:40,1:1");
}

TEST(no_unused_variables)
{
    EXPECT("query Q($a: Int, $b: Boolean) { dog { isAtLocation(x: $a) ...F } } fragment F on Dog { "
           "name @include(if: $b) }",
           "Variable \"$b\" of type \"Boolean\" used in position expecting type \"Boolean!\". "
           "@1:18,1:106");
    EXPECT("query Q($a: Int, $b: Int, $c: Int) { dog { isAtLocation(x: $b) } }",
           "Variable \"$a\" is never used in operation \"Q\". @1:9\n"
           "Variable \"$c\" is never used in operation \"Q\". @1:27");
    EXPECT("query ($a: Int) { dog { name } }", "Variable \"$a\" is never used. @1:8");
    EXPECT("query A($a: Int) { ...F } query B($a: Int, $b: Int) { ...F } fragment F on QueryRoot { "
           "dog { isAtLocation(x: $a) } }",
           "Variable \"$b\" is never used in operation \"B\". @1:44");
    EXPECT("query Q($a: Int = 1) { dog { name } } fragment Unused on Dog { isAtLocation(x: $a) }",
           "Variable \"$a\" is never used in operation \"Q\". @1:9\n"
           "Fragment \"Unused\" is never used. @1:39");
}

TEST(variables_in_allowed_position)
{
    EXPECT(
        "query ($b: Boolean, $i: Int!, $s: [String!], $l: [String]) { dog { name @include(if: "
        "true) isHouseTrained(atOtherHomes: $b) } complicatedArgs { intArgField(intArg: $i) "
        "stringListArgField(stringListArg: $s) a: stringListArgField(stringListArg: $l) b: "
        "stringListArgField(stringListArg: [$i]) } }",
        "Variable \"$i\" of type \"Int!\" used in position expecting type \"String\". @1:21,1:286");
    EXPECT(
        "query ($i: Int, $s: String, $b: Boolean) { complicatedArgs { "
        "nonNullIntArgField(nonNullIntArg: $i) stringListNonNullArgField(stringListNonNullArg: "
        "[$s]) intArgField(intArg: $s) } dog { name @include(if: $b) } }",
        "Variable \"$i\" of type \"Int\" used in position expecting type \"Int!\". @1:8,1:96\n"
        "Variable \"$s\" of type \"String\" used in position expecting type \"String!\". "
        "@1:17,1:149\n"
        "Variable \"$s\" of type \"String\" used in position expecting type \"Int\". @1:17,1:174\n"
        "Variable \"$b\" of type \"Boolean\" used in position expecting type \"Boolean!\". "
        "@1:29,1:204");
    EXPECT("query ($i: Int = 1, $j: Int = null, $k: Int) { complicatedArgs { a: "
           "nonNullIntArgField(nonNullIntArg: $i) b: nonNullIntArgField(nonNullIntArg: $j) c: "
           "nonNullFieldWithDefault(arg: $k) } }",
           "Variable \"$j\" of type \"Int\" used in position expecting type \"Int!\". @1:21,1:144");
    EXPECT(
        "query ($l: [String], $n: [String]!, $s: String!) { complicatedArgs { a: "
        "stringListNonNullArgField(stringListNonNullArg: $l) b: stringListArgField(stringListArg: "
        "$n) c: stringListArgField(stringListArg: $s) d: stringArgField(stringArg: $n) } }",
        "Variable \"$l\" of type \"[String]\" used in position expecting type \"[String!]\". "
        "@1:8,1:121\n"
        "Variable \"$s\" of type \"String!\" used in position expecting type \"[String]\". "
        "@1:37,1:203\n"
        "Variable \"$n\" of type \"[String]!\" used in position expecting type \"String\". "
        "@1:22,1:236");
    EXPECT(
        "query ($f: FurColor, $d: DogCommand, $c: ComplexInput, $x: Custom) { complicatedArgs { a: "
        "enumArgField(enumArg: $d) b: complexArgField(complexArg: {requiredField: $f, intField: "
        "$x}) c: customArgField(customArg: $c) } dog { doesKnowCommand(dogCommand: $f) } }",
        "Variable \"$d\" of type \"DogCommand\" used in position expecting type \"FurColor\". "
        "@1:22,1:113\n"
        "Variable \"$f\" of type \"FurColor\" used in position expecting type \"Boolean!\". "
        "@1:8,1:164\n"
        "Variable \"$x\" of type \"Custom\" used in position expecting type \"Int\". @1:56,1:178\n"
        "Variable \"$c\" of type \"ComplexInput\" used in position expecting type \"Custom\". "
        "@1:38,1:212\n"
        "Variable \"$f\" of type \"FurColor\" used in position expecting type \"DogCommand\". "
        "@1:8,1:252");
    EXPECT("query Q($b: Boolean) { dog { ...F } } fragment F on Dog { name @skip(if: $b) "
           "isHouseTrained(atOtherHomes: $b) }",
           "Variable \"$b\" of type \"Boolean\" used in position expecting type \"Boolean!\". "
           "@1:9,1:74");
    EXPECT(
        "query A($x: Int) { ...F } query B($x: String) { ...F } fragment F on QueryRoot { dog { "
        "isAtLocation(x: $x) } }",
        "Variable \"$x\" of type \"String\" used in position expecting type \"Int\". @1:35,1:104");
    EXPECT(
        "query ($x: Int, $x: String) { dog { isAtLocation(x: $x) } }",
        "There can be only one variable named \"$x\". @1:9,1:18\n"
        "Variable \"$x\" of type \"String\" used in position expecting type \"Int\". @1:17,1:53");
    EXPECT("query ($v: Int) { dog { name @unknown(x: $v) isAtLocation @skip(x: $v) } }",
           "Unknown directive \"@unknown\". @1:30\n"
           "Unknown argument \"x\" on directive \"@skip\". @1:65\n"
           "Directive \"@skip\" argument \"if\" of type \"Boolean!\" is required, but it was not "
           "provided. @1:59");
}

TEST(one_of_variables)
{
    EXPECT("query ($s: String!, $i: Int!) { complicatedArgs { a: oneOfArgField(oneOfArg: "
           "{stringField: $s}) b: oneOfArgField(oneOfArg: {intField: $i}) } }",
           "");
    EXPECT("query ($s: String, $i: Int = 3) { complicatedArgs { a: oneOfArgField(oneOfArg: "
           "{stringField: $s}) b: oneOfArgField(oneOfArg: {intField: $i}) } }",
           "Variable \"$s\" is of type \"String\" but must be non-nullable to be used for OneOf "
           "Input Object \"OneOfInput\". @1:8,1:94\n"
           "Variable \"$i\" is of type \"Int\" but must be non-nullable to be used for OneOf Input "
           "Object \"OneOfInput\". @1:20,1:137");
    EXPECT("query ($o: OneOfInput, $p: OneOfInput!) { complicatedArgs { a: oneOfArgField(oneOfArg: "
           "$o) b: oneOfArgField(oneOfArg: $p) } }",
           "");
}
