/* Validation tests, literal values: ValuesOfCorrectType (every built-in
 * scalar, enums, custom scalars, lists, input objects, @oneOf) and
 * UniqueInputFieldNames, the printing of literals in messages, and
 * gql_literal_is_valid. */
#include "test_gql_validate_fixture.h"

TEST(int_values)
{
    EXPECT("{ complicatedArgs { a0: intArgField(intArg: 2) a1: intArgField(intArg: -2147483648) "
           "a2: intArgField(intArg: 2147483647) a3: intArgField(intArg: null) } }",
           "");
    EXPECT(
        "{ complicatedArgs { a0: intArgField(intArg: 2147483648) a1: intArgField(intArg: "
        "-2147483649) a2: intArgField(intArg: 99999999999999999999) a3: intArgField(intArg: 1.0) "
        "a4: intArgField(intArg: \"3\") a5: intArgField(intArg: true) a6: intArgField(intArg: "
        "THREE) a7: intArgField(intArg: [1]) a8: intArgField(intArg: {a: 1}) } }",
        "Int cannot represent non 32-bit signed integer value: 2147483648 @1:45\n"
        "Int cannot represent non 32-bit signed integer value: -2147483649 @1:81\n"
        "Int cannot represent non 32-bit signed integer value: 99999999999999999999 @1:118\n"
        "Int cannot represent non-integer value: 1.0 @1:164\n"
        "Int cannot represent non-integer value: \"3\" @1:193\n"
        "Int cannot represent non-integer value: true @1:222\n"
        "Int cannot represent non-integer value: THREE @1:252\n"
        "Int cannot represent non-integer value: [1] @1:283\n"
        "Int cannot represent non-integer value: {a: 1} @1:312");
}

TEST(float_values)
{
    EXPECT("{ complicatedArgs { a0: floatArgField(floatArg: 1) a1: floatArgField(floatArg: 1.5) "
           "a2: floatArgField(floatArg: -2e10) a3: floatArgField(floatArg: 1e400) a4: "
           "floatArgField(floatArg: null) } }",
           "");
    EXPECT("{ complicatedArgs { a0: floatArgField(floatArg: \"1.5\") a1: floatArgField(floatArg: "
           "true) a2: floatArgField(floatArg: ONE) a3: floatArgField(floatArg: [1.5]) } }",
           "Float cannot represent non numeric value: \"1.5\" @1:49\n"
           "Float cannot represent non numeric value: true @1:84\n"
           "Float cannot represent non numeric value: ONE @1:118\n"
           "Float cannot represent non numeric value: [1.5] @1:151");
}

TEST(string_and_id_values)
{
    EXPECT("{ complicatedArgs { a: stringArgField(stringArg: \"x\") b: stringArgField(stringArg: "
           "\"\"\"block\"\"\") c: stringArgField(stringArg: null) d: idArgField(idArg: \"x\") e: "
           "idArgField(idArg: 1) f: idArgField(idArg: -5) } }",
           "");
    EXPECT("{ complicatedArgs { a0: stringArgField(stringArg: 1) a1: stringArgField(stringArg: "
           "1.5) a2: stringArgField(stringArg: true) a3: stringArgField(stringArg: FOO) a4: "
           "stringArgField(stringArg: [\"x\"]) } }",
           "String cannot represent a non string value: 1 @1:51\n"
           "String cannot represent a non string value: 1.5 @1:84\n"
           "String cannot represent a non string value: true @1:119\n"
           "String cannot represent a non string value: FOO @1:155\n"
           "String cannot represent a non string value: [\"x\"] @1:190");
    EXPECT("{ complicatedArgs { a0: idArgField(idArg: 1.5) a1: idArgField(idArg: true) a2: "
           "idArgField(idArg: SOME) a3: idArgField(idArg: [\"x\"]) a4: idArgField(idArg: {a: "
           "\"x\"}) } }",
           "ID cannot represent a non-string and non-integer value: 1.5 @1:43\n"
           "ID cannot represent a non-string and non-integer value: true @1:70\n"
           "ID cannot represent a non-string and non-integer value: SOME @1:98\n"
           "ID cannot represent a non-string and non-integer value: [\"x\"] @1:126\n"
           "ID cannot represent a non-string and non-integer value: {a: \"x\"} @1:155");
}

TEST(printed_literals)
{
    EXPECT("{ complicatedArgs { a0: intArgField(intArg: \"quote \\\" backslash \\\\ newline \\n "
           "tab \\t bell \\u0007 del \\u007f c1 \\u0085 e \\u00e9 emoji \\ud83d\\ude00\") } }",
           "Int cannot represent non-integer value: \"quote \\\" backslash \\\\ newline \\n tab "
           "\\t bell \\u0007 del \\u007F c1 \\u0085 e é emoji 😀\" @1:45");
    EXPECT("{ complicatedArgs { a0: intArgField(intArg: \"\"\"line one\n"
           "  line two\"\"\") a1: intArgField(intArg: \"\"\"ends with quote\" \"\"\") a2: "
           "intArgField(intArg: \"\"\"has \\\"\"\" inside\"\"\") a3: intArgField(intArg: \"\"\"  "
           "leading space\"\"\") } }",
           "Int cannot represent non-integer value: \"\"\"\n"
           "line one\n"
           "line two\n"
           "\"\"\" @1:45\n"
           "Int cannot represent non-integer value: \"\"\"ends with quote\" \"\"\" @2:40\n"
           "Int cannot represent non-integer value: \"\"\"has \\\"\"\" inside\"\"\" @2:89\n"
           "Int cannot represent non-integer value: \"\"\"  leading space\"\"\" @2:136");
    EXPECT("{ complicatedArgs { a0: intArgField(intArg: "
           "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\") a1: "
           "intArgField(intArg: "
           "\"\"\"yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\"\"\""
           ") } }",
           "Int cannot represent non-integer value: "
           "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\" @1:45\n"
           "Int cannot represent non-integer value: \"\"\"\n"
           "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\n"
           "\"\"\" @1:148");
    EXPECT("{ complicatedArgs { a0: intArgField(intArg: {b: [1, 2.5, \"s\", true, null, ENUM, {c: "
           "[]}], a: {}}) } }",
           "Int cannot represent non-integer value: {b: [1, 2.5, \"s\", true, null, ENUM, {c: "
           "[]}], a: {}} @1:45");
}

TEST(boolean_values)
{
    EXPECT("{ complicatedArgs { a0: booleanArgField(booleanArg: true) a1: "
           "booleanArgField(booleanArg: false) a2: booleanArgField(booleanArg: null) } }",
           "");
    EXPECT("{ complicatedArgs { a0: booleanArgField(booleanArg: 1) a1: booleanArgField(booleanArg: "
           "\"true\") a2: booleanArgField(booleanArg: TRUE) a3: booleanArgField(booleanArg: "
           "[true]) } }",
           "Boolean cannot represent a non boolean value: 1 @1:53\n"
           "Boolean cannot represent a non boolean value: \"true\" @1:88\n"
           "Boolean cannot represent a non boolean value: TRUE @1:128\n"
           "Boolean cannot represent a non boolean value: [true] @1:166");
}

TEST(enum_values)
{
    EXPECT("{ complicatedArgs { a0: enumArgField(enumArg: BROWN) a1: enumArgField(enumArg: NO_FUR) "
           "a2: enumArgField(enumArg: null) } }",
           "");
    EXPECT("{ complicatedArgs { a0: enumArgField(enumArg: \"BROWN\") a1: enumArgField(enumArg: "
           "brown) a2: enumArgField(enumArg: PURPLE) a3: enumArgField(enumArg: BLAK) a4: "
           "enumArgField(enumArg: 1) a5: enumArgField(enumArg: true) a6: enumArgField(enumArg: "
           "SPOTED) } }",
           "Enum \"FurColor\" cannot represent non-enum value: \"BROWN\". Did you mean the enum "
           "value \"BROWN\"? @1:47\n"
           "Value \"brown\" does not exist in \"FurColor\" enum. Did you mean the enum value "
           "\"BROWN\"? @1:82\n"
           "Value \"PURPLE\" does not exist in \"FurColor\" enum. @1:115\n"
           "Value \"BLAK\" does not exist in \"FurColor\" enum. Did you mean the enum value "
           "\"BLACK\"? @1:149\n"
           "Enum \"FurColor\" cannot represent non-enum value: 1. @1:181\n"
           "Enum \"FurColor\" cannot represent non-enum value: true. @1:210\n"
           "Value \"SPOTED\" does not exist in \"FurColor\" enum. Did you mean the enum value "
           "\"SPOTTED\"? @1:242");
    EXPECT_HIDDEN("{ complicatedArgs { a0: enumArgField(enumArg: \"BROWN\") a1: "
                  "enumArgField(enumArg: brown) a2: enumArgField(enumArg: BLAK) } }",
                  "Enum \"FurColor\" cannot represent non-enum value: \"BROWN\". @1:47\n"
                  "Value \"brown\" does not exist in \"FurColor\" enum. @1:82\n"
                  "Value \"BLAK\" does not exist in \"FurColor\" enum. @1:115");
    EXPECT("{ dog { doesKnowCommand(dogCommand: HEEL) a: doesKnowCommand(dogCommand: heel) b: "
           "doesKnowCommand(dogCommand: \"SIT\") } }",
           "Value \"heel\" does not exist in \"DogCommand\" enum. Did you mean the enum value "
           "\"HEEL\"? @1:74\n"
           "Enum \"DogCommand\" cannot represent non-enum value: \"SIT\". Did you mean the enum "
           "value \"SIT\"? @1:111");
}

TEST(custom_scalar_values)
{
    EXPECT("{ complicatedArgs { a0: customArgField(customArg: 1) a1: customArgField(customArg: "
           "\"x\") a2: customArgField(customArg: [1, \"two\", null, {a: $v}]) a3: "
           "customArgField(customArg: {a: {b: [true]}}) a4: customArgField(customArg: null) a5: "
           "customArgField(customArg: SOME_ENUM) } }",
           "Variable \"$v\" is not defined. @1:140,1:1");
}

TEST(list_values)
{
    EXPECT("{ complicatedArgs { a0: stringListArgField(stringListArg: [\"a\", \"b\", null]) a1: "
           "stringListArgField(stringListArg: \"single\") a2: stringListArgField(stringListArg: "
           "[]) a3: stringListArgField(stringListArg: null) } }",
           "");
    EXPECT("{ complicatedArgs { a0: stringListArgField(stringListArg: [\"a\", 2, true]) a1: "
           "stringListArgField(stringListArg: [[\"a\"]]) a2: stringListArgField(stringListArg: 1) "
           "a3: stringListArgField(stringListArg: {a: \"x\"}) } }",
           "String cannot represent a non string value: 2 @1:65\n"
           "String cannot represent a non string value: true @1:68\n"
           "String cannot represent a non string value: [\"a\"] @1:114\n"
           "String cannot represent a non string value: 1 @1:160\n"
           "String cannot represent a non string value: {a: \"x\"} @1:201");
    EXPECT("{ complicatedArgs { a0: stringListNonNullArgField(stringListNonNullArg: [\"a\", null]) "
           "a1: stringListNonNullArgField(stringListNonNullArg: null) a2: "
           "stringListNonNullArgField(stringListNonNullArg: [null]) a3: "
           "stringListNonNullArgField(stringListNonNullArg: \"one\") a4: "
           "stringListNonNullArgField(stringListNonNullArg: null) } }",
           "Expected value of type \"String!\", found null. @1:79\n"
           "Expected value of type \"String!\", found null. @1:197");
}

TEST(input_object_values)
{
    EXPECT("{ complicatedArgs { a0: complexArgField(complexArg: {requiredField: true}) a1: "
           "complexArgField(complexArg: {requiredField: false, nonNullField: true, intField: 4, "
           "stringListField: [\"a\"]}) } }",
           "");
    EXPECT("{ complicatedArgs { a0: complexArgField(complexArg: {intField: 4}) a1: "
           "complexArgField(complexArg: {requiredField: null}) a2: complexArgField(complexArg: "
           "{requiredField: true, nonNullField: null}) a3: complexArgField(complexArg: "
           "{requiredField: true, unknownField: 1, intFeld: 2, stringListFeld: []}) } }",
           "Field \"ComplexInput.requiredField\" of required type \"Boolean!\" was not provided. "
           "@1:53\n"
           "Expected value of type \"Boolean!\", found null. @1:116\n"
           "Expected value of type \"Boolean!\", found null. @1:191\n"
           "Field \"unknownField\" is not defined by type \"ComplexInput\". @1:252\n"
           "Field \"intFeld\" is not defined by type \"ComplexInput\". Did you mean \"intField\"? "
           "@1:269\n"
           "Field \"stringListFeld\" is not defined by type \"ComplexInput\". Did you mean "
           "\"stringListField\" or \"stringField\"? @1:281");
    EXPECT("{ complicatedArgs { a0: complexArgField(complexArg: 1) a1: complexArgField(complexArg: "
           "\"x\") a2: complexArgField(complexArg: VALUE) a3: complexArgField(complexArg: "
           "[{requiredField: true}]) a4: complexArgField(complexArg: [1]) } }",
           "Expected value of type \"ComplexInput\", found 1. @1:53\n"
           "Expected value of type \"ComplexInput\", found \"x\". @1:88\n"
           "Expected value of type \"ComplexInput\", found VALUE. @1:125\n"
           "Expected value of type \"ComplexInput\", found [{requiredField: true}]. @1:164\n"
           "Expected value of type \"ComplexInput\", found [1]. @1:221");
    EXPECT("{ complicatedArgs { a0: complexArgField(complexArg: {requiredField: true, intField: "
           "\"x\", stringListField: [1, {x: 1}], booleanField: {a: 1}}) } }",
           "Int cannot represent non-integer value: \"x\" @1:85\n"
           "String cannot represent a non string value: 1 @1:108\n"
           "String cannot represent a non string value: {x: 1} @1:111\n"
           "Boolean cannot represent a non boolean value: {a: 1} @1:134");
    EXPECT_HIDDEN("{ complicatedArgs { a0: complexArgField(complexArg: {requiredField: true, "
                  "intFeld: 2}) } }",
                  "Field \"intFeld\" is not defined by type \"ComplexInput\". @1:75");
}

TEST(one_of_values)
{
    EXPECT("{ complicatedArgs { a0: oneOfArgField(oneOfArg: {stringField: \"a\"}) a1: "
           "oneOfArgField(oneOfArg: {intField: 1}) } }",
           "");
    EXPECT("{ complicatedArgs { a0: oneOfArgField(oneOfArg: {}) a1: oneOfArgField(oneOfArg: "
           "{stringField: \"a\", intField: 1}) a2: oneOfArgField(oneOfArg: {stringField: null}) "
           "a3: oneOfArgField(oneOfArg: {intField: \"x\"}) a4: oneOfArgField(oneOfArg: "
           "{stringField: \"a\", stringField: \"b\"}) a5: oneOfArgField(oneOfArg: {stringField: "
           "\"a\", unknown: 1}) } }",
           "OneOf Input Object \"OneOfInput\" must specify exactly one key. @1:49\n"
           "OneOf Input Object \"OneOfInput\" must specify exactly one key. @1:81\n"
           "Field \"OneOfInput.stringField\" must be non-null. @1:142\n"
           "Int cannot represent non-integer value: \"x\" @1:202\n"
           "There can be only one input field named \"stringField\". @1:237,1:255\n"
           "OneOf Input Object \"OneOfInput\" must specify exactly one key. @1:302\n"
           "Field \"unknown\" is not defined by type \"OneOfInput\". @1:321");
}

TEST(unique_input_field_names)
{
    EXPECT("{ complicatedArgs { a0: complexArgField(complexArg: {requiredField: true, intField: 1, "
           "intField: 2, intField: 3}) } }",
           "There can be only one input field named \"intField\". @1:75,1:88\n"
           "There can be only one input field named \"intField\". @1:75,1:101");
    EXPECT("{ complicatedArgs { a0: customArgField(customArg: {a: {b: 1, b: 2}, a: 3}) a1: "
           "customArgField(customArg: [{x: 1, x: 2}]) } }",
           "There can be only one input field named \"b\". @1:56,1:62\n"
           "There can be only one input field named \"a\". @1:52,1:69\n"
           "There can be only one input field named \"x\". @1:108,1:114");
    EXPECT("{ complicatedArgs { a0: intArgField(intArg: {a: 1, a: 2}) } }",
           "Int cannot represent non-integer value: {a: 1, a: 2} @1:45\n"
           "There can be only one input field named \"a\". @1:46,1:52");
}

TEST(values_in_directives_and_defaults)
{
    EXPECT("{ dog { name @include(if: \"yes\") @skip(if: null) nickname @withArgs(a: \"one\", c: "
           "[\"x\", 2]) } }",
           "Boolean cannot represent a non boolean value: \"yes\" @1:27\n"
           "Expected value of type \"Boolean!\", found null. @1:44\n"
           "Int cannot represent non-integer value: \"one\" @1:72\n"
           "Int cannot represent non-integer value: \"x\" @1:83");
    EXPECT("query ($a: Int = \"one\", $b: [String] = [1, \"x\"], $c: ComplexInput = {intField: 1}, "
           "$d: OneOfInput = {}, $e: FurColor = \"BROWN\", $f: Int! = null) { complicatedArgs { a: "
           "intArgField(intArg: $a) b: stringListArgField(stringListArg: $b) c: "
           "complexArgField(complexArg: $c) d: oneOfArgField(oneOfArg: $d) e: "
           "enumArgField(enumArg: $e) f: intArgField(intArg: $f) } }",
           "Int cannot represent non-integer value: \"one\" @1:18\n"
           "String cannot represent a non string value: 1 @1:41\n"
           "Field \"ComplexInput.requiredField\" of required type \"Boolean!\" was not provided. "
           "@1:69\n"
           "OneOf Input Object \"OneOfInput\" must specify exactly one key. @1:101\n"
           "Enum \"FurColor\" cannot represent non-enum value: \"BROWN\". Did you mean the enum "
           "value \"BROWN\"? @1:120\n"
           "Expected value of type \"Int!\", found null. @1:140");
    EXPECT("{ dog { name @unknown(x: \"one\") unknownField(y: FOO) { a } } }",
           "Unknown directive \"@unknown\". @1:14\n"
           "Cannot query field \"unknownField\" on type \"Dog\". @1:33");
    EXPECT("{ dog { isAtLocation(x: 1) @unknown(x: \"one\", y: {a: 1}) } }",
           "Unknown directive \"@unknown\". @1:28\n"
           "Int cannot represent non-integer value: \"one\" @1:40\n"
           "Int cannot represent non-integer value: {a: 1} @1:50");
}

/* Parses "{ f(a: <literal>) }" and checks the literal against type. */
static bool literal_ok(gql_schema_t *s, const char *type_sdl, const char *literal)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_error_list_t errors;
    gql_errors_init(&errors, &a, 0);
    char src[512];
    snprintf(src, sizeof src, "query ($v: %s) { f(a: %s) }", type_sdl, literal);
    gql_ast_document_t *doc = NULL;
    CHECK_EQ_INT(gql_parse(&a, src, strlen(src), NULL, &doc, &errors), FACET_OK);
    const gql_ast_operation_t *op = doc->definitions[0].u.operation;
    const gql_ast_type_t *t = op->variables[0].type;
    /* Builds the type reference from the syntax tree, wrappers included. */
    gql_type_ref_t refs[8];
    size_t n = 0;
    const gql_ast_type_t *walk = t;
    while (walk->kind != GQL_AST_NAMED_TYPE) {
        walk = walk->of_type;
        n++;
    }
    CHECK(n < 8);
    refs[n].kind = GQL_REF_NAMED;
    refs[n].named = gql_schema_type(s, walk->name.value);
    CHECK(refs[n].named != NULL);
    walk = t;
    for (size_t i = 0; i < n; i++, walk = walk->of_type) {
        refs[i].kind = walk->kind == GQL_AST_LIST_TYPE ? GQL_REF_LIST : GQL_REF_NON_NULL;
        refs[i].of = &refs[i + 1];
    }
    const gql_ast_value_t *value = op->selection_set->items[0]->args[0].value;
    bool ok = gql_literal_is_valid(&refs[0], value, &a);
    facet_arena_free(&a);
    return ok;
}

TEST(literal_is_valid)
{
    gql_schema_t *s = fixture_build(fixture_sdl);
    CHECK(literal_ok(s, "Int", "1"));
    CHECK(literal_ok(s, "Int", "null"));
    CHECK(!literal_ok(s, "Int!", "null"));
    CHECK(!literal_ok(s, "Int", "2147483648"));
    CHECK(!literal_ok(s, "Int", "1.5"));
    CHECK(literal_ok(s, "Float", "1"));
    CHECK(literal_ok(s, "ID", "1"));
    CHECK(!literal_ok(s, "ID", "true"));
    CHECK(literal_ok(s, "[String]", "\"one\""));
    CHECK(literal_ok(s, "[String!]", "[\"a\", \"b\"]"));
    CHECK(!literal_ok(s, "[String!]", "[\"a\", null]"));
    CHECK(literal_ok(s, "FurColor", "BROWN"));
    CHECK(!literal_ok(s, "FurColor", "\"BROWN\""));
    CHECK(literal_ok(s, "ComplexInput", "{requiredField: true}"));
    CHECK(!literal_ok(s, "ComplexInput", "{intField: 1}"));
    CHECK(!literal_ok(s, "ComplexInput", "{requiredField: true, nope: 1}"));
    CHECK(literal_ok(s, "ComplexInput", "{requiredField: $v}"));
    CHECK(literal_ok(s, "OneOfInput", "{intField: 1}"));
    CHECK(!literal_ok(s, "OneOfInput", "{intField: 1, stringField: \"x\"}"));
    CHECK(!literal_ok(s, "OneOfInput", "{intField: null}"));
    CHECK(literal_ok(s, "Custom", "{anything: [1, \"x\"]}"));
    gql_schema_free(s);
}
