/* Validation tests, OverlappingFieldsCanBeMerged: same and different
 * fields under one response name, arguments (compared as graphql-js
 * stringifies them), mutually exclusive parents, return types, subfields
 * through fragments, unknown fields and fragment cycles. */
#include "test_gql_validate_fixture.h"

TEST(overlap_identical_fields)
{
    EXPECT("{ dog { name name nickname: nickname doesKnowCommand(dogCommand: SIT) "
           "doesKnowCommand(dogCommand: SIT) } }",
           "");
    EXPECT("{ dog { ...F ...F name } } fragment F on Dog { name }", "");
    EXPECT("query ($a: Int) { dog { isAtLocation(x: $a) isAtLocation(x: $a) } }", "");
    EXPECT("{ complicatedArgs { complexArgField(complexArg: {requiredField: true, intField: 1}) "
           "complexArgField(complexArg: {intField: 1, requiredField: true}) } }",
           "");
}

TEST(overlap_different_fields)
{
    EXPECT("{ dog { fido: name fido: nickname } }",
           "Fields \"fido\" conflict because \"name\" and \"nickname\" are different fields. Use "
           "different aliases on the fields to fetch both if this was intentional. @1:9,1:20");
    EXPECT("{ dog { name: nickname name } }",
           "Fields \"name\" conflict because \"nickname\" and \"name\" are different fields. Use "
           "different aliases on the fields to fetch both if this was intentional. @1:9,1:24");
    EXPECT("{ x: dog { name } x: cat { name } }",
           "Fields \"x\" conflict because \"dog\" and \"cat\" are different fields. Use different "
           "aliases on the fields to fetch both if this was intentional. @1:3,1:19");
    EXPECT("{ dog { ...A ...B } } fragment A on Dog { x: name } fragment B on Dog { x: nickname }",
           "Fields \"x\" conflict because \"name\" and \"nickname\" are different fields. Use "
           "different aliases on the fields to fetch both if this was intentional. @1:43,1:73");
    EXPECT("{ dog { x: name ...A } } fragment A on Dog { x: nickname ...B } fragment B on Dog { x: "
           "barks }",
           "Fields \"x\" conflict because \"name\" and \"nickname\" are different fields. Use "
           "different aliases on the fields to fetch both if this was intentional. @1:9,1:46\n"
           "Fields \"x\" conflict because \"name\" and \"barks\" are different fields. Use "
           "different aliases on the fields to fetch both if this was intentional. @1:9,1:85\n"
           "Fields \"x\" conflict because \"nickname\" and \"barks\" are different fields. Use "
           "different aliases on the fields to fetch both if this was intentional. @1:46,1:85");
    EXPECT("{ dog { ... { x: name } ... on Dog { x: nickname } } }",
           "Fields \"x\" conflict because \"name\" and \"nickname\" are different fields. Use "
           "different aliases on the fields to fetch both if this was intentional. @1:15,1:38");
}

TEST(overlap_arguments)
{
    EXPECT("{ dog { doesKnowCommand(dogCommand: SIT) doesKnowCommand(dogCommand: HEEL) } }",
           "Fields \"doesKnowCommand\" conflict because they have differing arguments. Use "
           "different aliases on the fields to fetch both if this was intentional. @1:9,1:42");
    EXPECT("{ dog { doesKnowCommand doesKnowCommand(dogCommand: HEEL) } }",
           "Fields \"doesKnowCommand\" conflict because they have differing arguments. Use "
           "different aliases on the fields to fetch both if this was intentional. @1:9,1:25");
    EXPECT("{ dog { isAtLocation(x: 0) isAtLocation(y: 0) } }",
           "Fields \"isAtLocation\" conflict because they have differing arguments. Use different "
           "aliases on the fields to fetch both if this was intentional. @1:9,1:28");
    EXPECT("query ($a: Int, $b: Int) { dog { isAtLocation(x: $a) isAtLocation(x: $b) } }",
           "Fields \"isAtLocation\" conflict because they have differing arguments. Use different "
           "aliases on the fields to fetch both if this was intentional. @1:34,1:54");
    EXPECT("{ complicatedArgs { stringArgField(stringArg: \"a\") stringArgField(stringArg: "
           "\"\"\"a\"\"\") floatArgField(floatArg: 1) floatArgField(floatArg: 1.0) } }",
           "Fields \"stringArgField\" conflict because they have differing arguments. Use "
           "different aliases on the fields to fetch both if this was intentional. @1:21,1:52\n"
           "Fields \"floatArgField\" conflict because they have differing arguments. Use different "
           "aliases on the fields to fetch both if this was intentional. @1:87,1:114");
    EXPECT("{ list(first: 1, last: 2) { name } list(last: 2, first: 1) { name } }", "");
}

TEST(overlap_mutually_exclusive_parents)
{
    EXPECT("{ catOrDog { ... on Dog { name: nickname } ... on Cat { name } } }", "");
    EXPECT("{ catOrDog { ... on Dog { x: barkVolume } ... on Cat { x: meows } } }",
           "Fields \"x\" conflict because they return conflicting types \"Int\" and \"Boolean\". "
           "Use different aliases on the fields to fetch both if this was intentional. @1:27,1:56");
    EXPECT("{ pet { ... on Dog { x: barkVolume } ... on Pet { x: name } } }",
           "Fields \"x\" conflict because \"barkVolume\" and \"name\" are different fields. Use "
           "different aliases on the fields to fetch both if this was intentional. @1:22,1:51");
    EXPECT("{ being { ... on Dog { doesKnowCommand(dogCommand: SIT) } ... on Dog { "
           "doesKnowCommand(dogCommand: HEEL) } } }",
           "Fields \"doesKnowCommand\" conflict because they have differing arguments. Use "
           "different aliases on the fields to fetch both if this was intentional. @1:24,1:72");
    EXPECT(
        "{ humanOrAlien { ... on Human { x: relatives { name } } ... on Alien { x: name } } }",
        "Fields \"x\" conflict because they return conflicting types \"[Human]!\" and \"String\". "
        "Use different aliases on the fields to fetch both if this was intentional. @1:33,1:72");
}

TEST(overlap_subfields)
{
    EXPECT(
        "{ dog { mother { name } } dog { mother { name: nickname } } }",
        "Fields \"dog\" conflict because subfields \"mother\" conflict because subfields \"name\" "
        "conflict because \"name\" and \"nickname\" are different fields. Use different aliases on "
        "the fields to fetch both if this was intentional. @1:3,1:9,1:18,1:27,1:33,1:42");
    EXPECT(
        "{ dog { mother { x: name y: barks } } dog { mother { x: nickname y: name } } }",
        "Fields \"dog\" conflict because subfields \"mother\" conflict because subfields \"x\" "
        "conflict because \"name\" and \"nickname\" are different fields and subfields \"y\" "
        "conflict because \"barks\" and \"name\" are different fields. Use different aliases on "
        "the fields to fetch both if this was intentional. @1:3,1:9,1:18,1:26,1:39,1:45,1:54,1:66");
    EXPECT("{ x: dog { mother { mother { name } } } x: dog { mother { mother { name: barks } } } }",
           "Fields \"x\" conflict because subfields \"mother\" conflict because subfields "
           "\"mother\" conflict because subfields \"name\" conflict because \"name\" and \"barks\" "
           "are different fields. Use different aliases on the fields to fetch both if this was "
           "intentional. @1:3,1:12,1:21,1:30,1:41,1:50,1:59,1:68");
    EXPECT("{ human { relatives { name } relatives: pets { name } } }",
           "Fields \"relatives\" conflict because \"relatives\" and \"pets\" are different fields. "
           "Use different aliases on the fields to fetch both if this was intentional. @1:11,1:30");
    EXPECT("{ dog { ...A } dog { ...B } } fragment A on Dog { x: name } fragment B on Dog { x: "
           "nickname }",
           "Fields \"dog\" conflict because subfields \"x\" conflict because \"name\" and "
           "\"nickname\" are different fields. Use different aliases on the fields to fetch both "
           "if this was intentional. @1:3,1:51,1:16,1:81");
    EXPECT("{ catOrDog { ... on Dog { mother { x: name } } ... on Cat { mother: furColor } } }",
           "Fields \"mother\" conflict because they return conflicting types \"Dog\" and "
           "\"FurColor\". Use different aliases on the fields to fetch both if this was "
           "intentional. @1:27,1:61");
}

TEST(overlap_return_types)
{
    EXPECT("{ catOrDog { ... on Dog { x: barkVolume } ... on Cat { x: nickname } } }",
           "Fields \"x\" conflict because they return conflicting types \"Int\" and \"String\". "
           "Use different aliases on the fields to fetch both if this was intentional. @1:27,1:56");
    EXPECT("{ humanOrAlien { ... on Human { x: relatives { name } } ... on Alien { x: iq } } }",
           "Fields \"x\" conflict because they return conflicting types \"[Human]!\" and \"Int\". "
           "Use different aliases on the fields to fetch both if this was intentional. @1:33,1:72");
    EXPECT("{ human { x: relatives { name } x: pets { name } } }",
           "Fields \"x\" conflict because \"relatives\" and \"pets\" are different fields. Use "
           "different aliases on the fields to fetch both if this was intentional. @1:11,1:33");
    EXPECT(
        "{ pet { ... on Dog { mother { name } } ... on Cat { mother: nickname } } }",
        "Fields \"mother\" conflict because they return conflicting types \"Dog\" and \"String\". "
        "Use different aliases on the fields to fetch both if this was intentional. @1:22,1:53");
}

TEST(overlap_unknown_and_cycles)
{
    EXPECT("{ x: dog { name } x: unknownField { a } }",
           "Fields \"x\" conflict because \"dog\" and \"unknownField\" are different fields. Use "
           "different aliases on the fields to fetch both if this was intentional. @1:3,1:19\n"
           "Cannot query field \"unknownField\" on type \"QueryRoot\". @1:19");
    EXPECT("{ unknownA { x: a x: b } }",
           "Cannot query field \"unknownA\" on type \"QueryRoot\". @1:3\n"
           "Fields \"x\" conflict because \"a\" and \"b\" are different fields. Use different "
           "aliases on the fields to fetch both if this was intentional. @1:14,1:19");
    EXPECT("{ dog { ...A } } fragment A on Dog { x: name ...B } fragment B on Dog { ...A x: "
           "nickname }",
           "Cannot spread fragment \"A\" within itself via \"B\". @1:46,1:73\n"
           "Fields \"x\" conflict because \"name\" and \"nickname\" are different fields. Use "
           "different aliases on the fields to fetch both if this was intentional. @1:38,1:78\n"
           "Fields \"x\" conflict because \"nickname\" and \"name\" are different fields. Use "
           "different aliases on the fields to fetch both if this was intentional. @1:78,1:38");
    EXPECT("{ dog { ...A } } fragment A on Dog { ...A x: name }",
           "Cannot spread fragment \"A\" within itself. @1:38");
    EXPECT("{ dog { x: name } ... on Unknown { dog { x: nickname } } }",
           "Fields \"dog\" conflict because subfields \"x\" conflict because \"name\" and "
           "\"nickname\" are different fields. Use different aliases on the fields to fetch both "
           "if this was intentional. @1:3,1:9,1:36,1:42\n"
           "Unknown type \"Unknown\". @1:26");
}

/* Fragments spread into each other pairwise must not make the comparison
 * exponential: 40 fragments, each spreading the next two, validate at once
 * (the pair caches keep it polynomial). */
TEST(overlap_is_not_exponential)
{
    facet_buf_t q;
    facet_buf_init(&q, 0);
    facet_buf_append_str(&q, "{ dog { ...F0 } }");
    for (int i = 0; i < 40; i++) {
        facet_buf_printf(&q, " fragment F%d on Dog { name mother { name }", i);
        if (i + 2 < 40)
            facet_buf_printf(&q, " ...F%d ...F%d", i + 1, i + 2);
        facet_buf_append_str(&q, " }");
    }
    facet_buf_append(&q, "", 1);
    EXPECT(q.base, "");
    facet_buf_free(&q);
}
