/* printSchema: the schema written back as SDL. Each expected text is what
 * graphql-js 16.15's printSchema(buildSchema(sdl)) returns for the same
 * SDL, defaults coerced and re-serialized, descriptions re-quoted. */
#include "test_gql_schema.h"

TEST(prints_types_in_type_map_order)
{
    CHECK_SDL_PRINTS(
        "\"\"\"\n"
        "The query root\n"
        "\"\"\"\n"
        "type Query {\n"
        "  \"a field\"\n"
        "  a(x: [Int] = 1, y: Float = 1.0, z: String = \"\"\"abc\"\"\", w: ID = 12, v: ID = "
        "\"12\", e: E = A, f: F = \"x\", inp: I = {b: 2}, bad: Int = \"x\"): B\n"
        "  c: Cust @deprecated\n"
        "  d(\n"
        "    \"described\"\n"
        "    arg: Int = 5 @deprecated(reason: \"gone\")\n"
        "  ): U @deprecated(reason: \"Use `c`.\")\n"
        "  node: Node\n"
        "}\n"
        "enum E { A B @deprecated }\n"
        "scalar F @specifiedBy(url: \"https://example.com/f\")\n"
        "input I { a: Int = 1, b: Int, c: [E!] = [A] }\n"
        "type B implements Node { x: Float id: ID! }\n"
        "scalar Cust\n"
        "union U = B | C\n"
        "type C implements Node & Named { id: ID! name: String }\n"
        "interface Node { id: ID! }\n"
        "interface Named { name: String }\n"
        "input One @oneOf { a: Int b: String }\n"
        "directive @foo(a: Int = 3, b: One) repeatable on FIELD_DEFINITION | OBJECT | "
        "FIELD_DEFINITION\n"
        "type Mutation { m(o: One): Boolean }\n"
        "extend type C { extra: Int }\n"
        "extend union U = Q2\n"
        "type Q2 { q: Int }\n"
        "extend enum E { C }\n"
        "extend input I { d: Int }",
        "directive @foo(a: Int = 3, b: One) repeatable on FIELD_DEFINITION | OBJECT | "
        "FIELD_DEFINITION\n"
        "\n"
        "\"\"\"The query root\"\"\"\n"
        "type Query {\n"
        "  \"\"\"a field\"\"\"\n"
        "  a(x: [Int] = [1], y: Float = 1, z: String = \"abc\", w: ID = 12, v: ID = 12, e: E = A, "
        "f: F = \"x\", inp: I = {a: 1, b: 2, c: [A]}, bad: Int): B\n"
        "  c: Cust @deprecated\n"
        "  d(\n"
        "    \"\"\"described\"\"\"\n"
        "    arg: Int = 5 @deprecated(reason: \"gone\")\n"
        "  ): U @deprecated(reason: \"Use `c`.\")\n"
        "  node: Node\n"
        "}\n"
        "\n"
        "enum E {\n"
        "  A\n"
        "  B @deprecated\n"
        "  C\n"
        "}\n"
        "\n"
        "scalar F @specifiedBy(url: \"https://example.com/f\")\n"
        "\n"
        "input I {\n"
        "  a: Int = 1\n"
        "  b: Int\n"
        "  c: [E!] = [A]\n"
        "  d: Int\n"
        "}\n"
        "\n"
        "type B implements Node {\n"
        "  x: Float\n"
        "  id: ID!\n"
        "}\n"
        "\n"
        "scalar Cust\n"
        "\n"
        "union U = B | C | Q2\n"
        "\n"
        "type C implements Node & Named {\n"
        "  id: ID!\n"
        "  name: String\n"
        "  extra: Int\n"
        "}\n"
        "\n"
        "interface Node {\n"
        "  id: ID!\n"
        "}\n"
        "\n"
        "interface Named {\n"
        "  name: String\n"
        "}\n"
        "\n"
        "input One @oneOf {\n"
        "  a: Int\n"
        "  b: String\n"
        "}\n"
        "\n"
        "type Mutation {\n"
        "  m(o: One): Boolean\n"
        "}\n"
        "\n"
        "type Q2 {\n"
        "  q: Int\n"
        "}");
}

TEST(prints_schema_definition_when_roots_are_renamed)
{
    CHECK_SDL_PRINTS("\"\"\"\n"
                     "Schema desc\n"
                     "\"\"\"\n"
                     "schema { query: Root mutation: Mut }\n"
                     "type Root { a: Int }\n"
                     "type Mut { m: Int }",
                     "\"\"\"Schema desc\"\"\"\n"
                     "schema {\n"
                     "  query: Root\n"
                     "  mutation: Mut\n"
                     "}\n"
                     "\n"
                     "type Root {\n"
                     "  a: Int\n"
                     "}\n"
                     "\n"
                     "type Mut {\n"
                     "  m: Int\n"
                     "}");
}

TEST(omits_schema_definition_of_common_names)
{
    CHECK_SDL_PRINTS("schema { query: Query }\n"
                     "type Query { a: Int }",
                     "type Query {\n"
                     "  a: Int\n"
                     "}");
}

TEST(prints_root_from_schema_extension)
{
    CHECK_SDL_PRINTS("type Query { a: Int }\n"
                     "extend schema { mutation: M }\n"
                     "type M { m: Int }",
                     "schema {\n"
                     "  query: Query\n"
                     "  mutation: M\n"
                     "}\n"
                     "\n"
                     "type Query {\n"
                     "  a: Int\n"
                     "}\n"
                     "\n"
                     "type M {\n"
                     "  m: Int\n"
                     "}");
}

TEST(type_named_mutation_wins_without_schema_definition)
{
    CHECK_SDL_PRINTS("type Query { a: Int }\n"
                     "extend schema { mutation: M }\n"
                     "type M { m: Int }\n"
                     "type Mutation { x: Int }",
                     "type Query {\n"
                     "  a: Int\n"
                     "}\n"
                     "\n"
                     "type M {\n"
                     "  m: Int\n"
                     "}\n"
                     "\n"
                     "type Mutation {\n"
                     "  x: Int\n"
                     "}");
}

TEST(prints_descriptions_like_graphql_js)
{
    CHECK_SDL_PRINTS(
        "type Query {\n"
        "  \"  leading space\"\n"
        "  a: Int\n"
        "  \"trailing quote\\\"\"\n"
        "  b: Int\n"
        "  \"trailing backslash\\\\\"\n"
        "  c: Int\n"
        "  \"has \\\"\\\"\\\" triple\"\n"
        "  d: Int\n"
        "  \"ends with triple \\\"\\\"\\\"\"\n"
        "  e: Int\n"
        "  \"a very long description that goes on and on past the seventy character mark for "
        "sure\"\n"
        "  f: Int\n"
        "  \"multi\\nline\\n  indented\"\n"
        "  g: Int\n"
        "  \"\\n leading newline\"\n"
        "  h: Int\n"
        "  \"trailing newline\\n\"\n"
        "  i: Int\n"
        "  \"tab\\there\"\n"
        "  j: Int\n"
        "  \"ctrl \\u0001 char\"\n"
        "  k: Int\n"
        "  \"cr \\r here\"\n"
        "  l: Int\n"
        "  \"unicode é ü 𝄞 \\u0085\"\n"
        "  m: Int\n"
        "  \"\"\n"
        "  n: Int\n"
        "  \"  \\n  both indented\\n  lines\"\n"
        "  o: Int\n"
        "  \"line1\\n\\nline3\"\n"
        "  p: Int\n"
        "}",
        "type Query {\n"
        "  \"\"\"  leading space\"\"\"\n"
        "  a: Int\n"
        "\n"
        "  \"\"\"\n"
        "  trailing quote\"\n"
        "  \"\"\"\n"
        "  b: Int\n"
        "\n"
        "  \"\"\"\n"
        "  trailing backslash\\\n"
        "  \"\"\"\n"
        "  c: Int\n"
        "\n"
        "  \"\"\"has \\\"\"\" triple\"\"\"\n"
        "  d: Int\n"
        "\n"
        "  \"\"\"\n"
        "  ends with triple \\\"\"\"\n"
        "  \"\"\"\n"
        "  e: Int\n"
        "\n"
        "  \"\"\"\n"
        "  a very long description that goes on and on past the seventy character mark for sure\n"
        "  \"\"\"\n"
        "  f: Int\n"
        "\n"
        "  \"\"\"\n"
        "  multi\n"
        "  line\n"
        "    indented\n"
        "  \"\"\"\n"
        "  g: Int\n"
        "\n"
        "  \"\\n leading newline\"\n"
        "  h: Int\n"
        "\n"
        "  \"trailing newline\\n\"\n"
        "  i: Int\n"
        "\n"
        "  \"\"\"tab\there\"\"\"\n"
        "  j: Int\n"
        "\n"
        "  \"ctrl \\u0001 char\"\n"
        "  k: Int\n"
        "\n"
        "  \"cr \\r here\"\n"
        "  l: Int\n"
        "\n"
        "  \"\"\"unicode é ü 𝄞 \"\"\"\n"
        "  m: Int\n"
        "\n"
        "  \"\"\"\"\"\"\n"
        "  n: Int\n"
        "\n"
        "  \"  \\n  both indented\\n  lines\"\n"
        "  o: Int\n"
        "\n"
        "  \"\"\"\n"
        "  line1\n"
        "  \n"
        "  line3\n"
        "  \"\"\"\n"
        "  p: Int\n"
        "}");
}

TEST(prints_coerced_scalar_defaults)
{
    CHECK_SDL_PRINTS(
        "scalar Cust\n"
        "type Query { a(x: Cust = FOO, y: Cust = 1.50, v: Float = 1e21, u: Float = 1.5e-7, t: "
        "Float = 0.1, s: Float = 123456789.123, q: Int = 2147483648, p: Int = -0, o: [[Int]] = 1, "
        "n: [[Int]] = [1, [2]], m: String = null, l: [Int!] = [null], k: Boolean = true, j: ID = "
        "\"007\", i: ID = -12, h: Float = -0.0, g: Float = 100, f: Float = 0.000001, e: Float = "
        "1.7976931348623157e308, d: Float = 5e-324, c: String = \"\"\"block\n"
        "  string\"\"\", b: String = \"esc \\\" \\u0001 \\u0085\"): Int }",
        "scalar Cust\n"
        "\n"
        "type Query {\n"
        "  a(x: Cust = \"FOO\", y: Cust = 1.5, v: Float = 1e+21, u: Float = 1.5e-7, t: Float = "
        "0.1, s: Float = 123456789.123, q: Int, p: Int = 0, o: [[Int]] = [[1]], n: [[Int]] = [[1], "
        "[2]], m: String = null, l: [Int!], k: Boolean = true, j: ID = \"007\", i: ID = -12, h: "
        "Float = 0, g: Float = 100, f: Float = 0.000001, e: Float = 1.7976931348623157e+308, d: "
        "Float = 5e-324, c: String = \"block\\nstring\", b: String = \"esc \\\" \\u0001 "
        "\\u0085\"): Int\n"
        "}");
}

/* A default that needs itself has none (graphql-js overflows its stack on
 * these schemas); the defaults computed meanwhile leave it out, so the
 * printed schema builds back to the same text. */
#define SELF_DEFAULTS_PRINTED               \
    "type Query {\n"                        \
    "  f(x: In = {a: 1}, y: A = {}): Int\n" \
    "}\n"                                   \
    "\n"                                    \
    "input In {\n"                          \
    "  g: In\n"                             \
    "  a: Int = 1\n"                        \
    "}\n"                                   \
    "\n"                                    \
    "input A {\n"                           \
    "  b: B\n"                              \
    "}\n"                                   \
    "\n"                                    \
    "input B {\n"                           \
    "  a: A = {}\n"                         \
    "  c: Int = 2\n"                        \
    "}"

TEST(defaults_that_need_themselves_have_none)
{
    CHECK_SDL_PRINTS("type Query { f(x: In = {}, y: A = {}): Int }\n"
                     "input In { g: In = {} a: Int = 1 }\n"
                     "input A { b: B = {} }\n"
                     "input B { a: A = {}, c: Int = 2 }",
                     SELF_DEFAULTS_PRINTED);
    CHECK_SDL_PRINTS(SELF_DEFAULTS_PRINTED, SELF_DEFAULTS_PRINTED);
}

/* Defaults are computed to a bounded depth (64 input objects, like a
 * cycle past it); what is printed still builds back to the same text, and
 * scalar defaults first needed that deep are kept. */
TEST(deep_chains_of_defaults_print_stably)
{
    facet_buf_t sdl;
    facet_buf_init(&sdl, 0);
    facet_buf_append_str(&sdl, "type Query { f(x: I0 = {}): Int }\n");
    for (int i = 0; i < 80; i++)
        facet_buf_printf(&sdl, "input I%d { n: I%d = {} v: Int = %d }\n", i, i + 1, i);
    facet_buf_append_str(&sdl, "input I80 { v: Int = 80 }");
    facet_buf_append(&sdl, "", 1);
    built_t first, second;
    build_sdl(&first, sdl.base);
    CHECK_EQ_INT(first.rc, 0);
    for (int i = 0; i <= 80; i++) {
        char name[8];
        snprintf(name, sizeof name, "I%d", i);
        const gql_type_t *t = gql_schema_type(first.schema, facet_str_c(name));
        const gql_input_value_t *v = gql_type_input_field(t, FACET_STR_LIT("v"));
        CHECK(v && v->default_value);
    }
    build_sdl(&second, print_text(&first));
    CHECK_EQ_INT(second.rc, 0);
    CHECK_EQ_STR(print_text(&second), first.text.base);
    built_free(&first);
    built_free(&second);
    facet_buf_free(&sdl);
}

TEST(prints_coerced_input_object_defaults)
{
    CHECK_SDL_PRINTS("type Query { a(x: I = {}, y: J = {a: {}}, z: O = {a: 1, b: 2}, w: O = {a: "
                     "null}, v: O = {a: 1}, u: I = {c: \"x\", a: 3}): Int }\n"
                     "input I { a: Int = 7, b: [E] = B, c: String }\n"
                     "enum E { A B }\n"
                     "input J { a: I!, b: J }\n"
                     "input O @oneOf { a: Int b: Int }",
                     "type Query {\n"
                     "  a(x: I = {a: 7, b: [B]}, y: J = {a: {a: 7, b: [B]}}, z: O, w: O, v: O = "
                     "{a: 1}, u: I = {a: 3, b: [B], c: \"x\"}): Int\n"
                     "}\n"
                     "\n"
                     "input I {\n"
                     "  a: Int = 7\n"
                     "  b: [E] = [B]\n"
                     "  c: String\n"
                     "}\n"
                     "\n"
                     "enum E {\n"
                     "  A\n"
                     "  B\n"
                     "}\n"
                     "\n"
                     "input J {\n"
                     "  a: I!\n"
                     "  b: J\n"
                     "}\n"
                     "\n"
                     "input O @oneOf {\n"
                     "  a: Int\n"
                     "  b: Int\n"
                     "}");
}

TEST(prints_nested_input_defaults)
{
    CHECK_SDL_PRINTS("type Query { f(a: In): Int }\n"
                     "input In { x: Int = 1, y: Float = 2, z: [In2] = [{q: 1}] }\n"
                     "input In2 { q: ID, r: ID = 3 }",
                     "type Query {\n"
                     "  f(a: In): Int\n"
                     "}\n"
                     "\n"
                     "input In {\n"
                     "  x: Int = 1\n"
                     "  y: Float = 2\n"
                     "  z: [In2] = [{q: 1, r: 3}]\n"
                     "}\n"
                     "\n"
                     "input In2 {\n"
                     "  q: ID\n"
                     "  r: ID = 3\n"
                     "}");
}

TEST(keeps_redefined_builtins_out)
{
    CHECK_SDL_PRINTS(
        "directive @deprecated(reason: String = \"custom\") on FIELD_DEFINITION | ENUM_VALUE\n"
        "directive @skip(if: Boolean!) on FIELD\n"
        "type Query { a: Int @deprecated b: Int @deprecated(reason: \"No longer supported\") }\n"
        "scalar String\n"
        "scalar Boolean",
        "type Query {\n"
        "  a: Int @deprecated\n"
        "  b: Int @deprecated\n"
        "}");
}

TEST(prints_deprecations)
{
    CHECK_SDL_PRINTS(
        "type Query { a: Int }\n"
        "enum E { A @deprecated(reason: \"x\") B @deprecated C }\n"
        "input I { a: Int @deprecated b: String = \"x\" @deprecated(reason: \"y\\ny\") }\n"
        "type T { f(a: Int @deprecated): Int @deprecated(reason: \"\") }",
        "type Query {\n"
        "  a: Int\n"
        "}\n"
        "\n"
        "enum E {\n"
        "  A @deprecated(reason: \"x\")\n"
        "  B @deprecated\n"
        "  C\n"
        "}\n"
        "\n"
        "input I {\n"
        "  a: Int @deprecated\n"
        "  b: String = \"x\" @deprecated(reason: \"y\\ny\")\n"
        "}\n"
        "\n"
        "type T {\n"
        "  f(a: Int @deprecated): Int @deprecated(reason: \"\")\n"
        "}");
}

TEST(prints_directives_and_specified_by)
{
    CHECK_SDL_PRINTS("\"desc\" scalar D @specifiedBy(url: \"u\\\"rl\")\n"
                     "\"\" type Query { a(b: Int c: Int): D }\n"
                     "\"args\"\n"
                     "directive @x(\n"
                     "  \"first\" a: Int\n"
                     "  b: Int\n"
                     ") repeatable on ENUM_VALUE | ARGUMENT_DEFINITION\n"
                     "directive @y(\"\" a: Int) on ENUM_VALUE | DIRECTIVE_DEFINITION",
                     "\"\"\"args\"\"\"\n"
                     "directive @x(\n"
                     "  \"\"\"first\"\"\"\n"
                     "  a: Int\n"
                     "  b: Int\n"
                     ") repeatable on ENUM_VALUE | ARGUMENT_DEFINITION\n"
                     "\n"
                     "directive @y(a: Int) on ENUM_VALUE | DIRECTIVE_DEFINITION\n"
                     "\n"
                     "\"\"\"desc\"\"\"\n"
                     "scalar D @specifiedBy(url: \"u\\\"rl\")\n"
                     "\n"
                     "\"\"\"\"\"\"\n"
                     "type Query {\n"
                     "  a(b: Int, c: Int): D\n"
                     "}");
}

TEST(merges_extensions)
{
    CHECK_SDL_PRINTS("type Query { a: Int }\n"
                     "extend type Query { b: Int }\n"
                     "extend type Query implements I { c: Int }\n"
                     "interface I { c: Int }\n"
                     "extend interface I @foo\n"
                     "directive @foo on INTERFACE\n"
                     "union U = Query\n"
                     "extend union U = T\n"
                     "type T { t: Int }\n"
                     "enum E { A }\n"
                     "extend enum E { B }\n"
                     "input In { a: Int }\n"
                     "extend input In { b: Int }\n"
                     "scalar S\n"
                     "extend scalar S @foo2\n"
                     "directive @foo2 on SCALAR",
                     "directive @foo on INTERFACE\n"
                     "\n"
                     "directive @foo2 on SCALAR\n"
                     "\n"
                     "type Query implements I {\n"
                     "  a: Int\n"
                     "  b: Int\n"
                     "  c: Int\n"
                     "}\n"
                     "\n"
                     "interface I {\n"
                     "  c: Int\n"
                     "}\n"
                     "\n"
                     "union U = Query | T\n"
                     "\n"
                     "type T {\n"
                     "  t: Int\n"
                     "}\n"
                     "\n"
                     "enum E {\n"
                     "  A\n"
                     "  B\n"
                     "}\n"
                     "\n"
                     "input In {\n"
                     "  a: Int\n"
                     "  b: Int\n"
                     "}\n"
                     "\n"
                     "scalar S");
}

TEST(extension_directives_do_not_set_one_of_or_specified_by)
{
    CHECK_SDL_PRINTS("type Query { a(i: In): S }\n"
                     "input In { a: Int }\n"
                     "extend input In @oneOf\n"
                     "scalar S\n"
                     "extend scalar S @specifiedBy(url: \"x\")",
                     "type Query {\n"
                     "  a(i: In): S\n"
                     "}\n"
                     "\n"
                     "input In {\n"
                     "  a: Int\n"
                     "}\n"
                     "\n"
                     "scalar S");
}

TEST(interfaces_implementing_interfaces)
{
    CHECK_SDL_PRINTS("interface Node { id: ID! }\n"
                     "interface Resource implements Node { id: ID! url: String }\n"
                     "type Image implements Resource & Node { id: ID! url: String w: Int }\n"
                     "type Query { r: Resource }",
                     "interface Node {\n"
                     "  id: ID!\n"
                     "}\n"
                     "\n"
                     "interface Resource implements Node {\n"
                     "  id: ID!\n"
                     "  url: String\n"
                     "}\n"
                     "\n"
                     "type Image implements Resource & Node {\n"
                     "  id: ID!\n"
                     "  url: String\n"
                     "  w: Int\n"
                     "}\n"
                     "\n"
                     "type Query {\n"
                     "  r: Resource\n"
                     "}");
}

TEST(ignores_executable_definitions)
{
    CHECK_SDL_PRINTS("type Query { a: Int }\n"
                     "query Q { a }\n"
                     "fragment F on Query { a }",
                     "type Query {\n"
                     "  a: Int\n"
                     "}");
}
