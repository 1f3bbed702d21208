/* Tests for gql/ast_print.h: value literals printed back as graphql-js
 * 16's print() prints them. The expected texts were produced by graphql-js
 * from the same sources. */
#include "core/error.h"
#include "gql/ast_print.h"
#include "gql/parser.h"
#include "test.h"

/* Parses "{ f(x: <value>) }" and prints the value. */
static void check_print(const char *value, const char *want)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_error_list_t errors;
    gql_errors_init(&errors, &a, 0);
    facet_buf_t src, out;
    facet_buf_init(&src, 0);
    facet_buf_init(&out, 0);
    facet_buf_printf(&src, "{ f(x: %s) }", value);
    gql_ast_document_t *doc = NULL;
    CHECK_EQ_INT(gql_parse(&a, src.base, src.len, NULL, &doc, &errors), FACET_OK);
    const gql_ast_value_t *v =
        doc->definitions[0].u.operation->selection_set->items[0]->args[0].value;
    CHECK_EQ_INT(gql_ast_print_value(v, &out), FACET_OK);
    facet_buf_append(&out, "", 1);
    CHECK_EQ_STR(out.base, want);
    facet_buf_free(&src);
    facet_buf_free(&out);
    facet_arena_free(&a);
}

static const struct {
    const char *value, *printed;
} CASES[] = {
    {"1", "1"},
    {"-1.5e3", "-1.5e3"},
    {"true", "true"},
    {"false", "false"},
    {"null", "null"},
    {"RED", "RED"},
    {"$var", "$var"},
    {"[]", "[]"},
    {"{}", "{}"},
    {"[1, [2, 3]]", "[1, [2, 3]]"},
    {"{a: 1, b: [1, 2]}", "{a: 1, b: [1, 2]}"},
    {"{a: {b: {c: null}}}", "{a: {b: {c: null}}}"},
    {"\"plain\"", "\"plain\""},
    {"\"\"", "\"\""},
    {"\"quote \\\" back \\\\ slash\"", "\"quote \\\" back \\\\ slash\""},
    {"\"\\b\\f\\n\\r\\t\"", "\"\\b\\f\\n\\r\\t\""},
    {"\"\\u0001\\u001f\\u007f\\u0080\\u009f\\u00a0\"",
     "\"\\u0001\\u001F\\u007F\\u0080\\u009F\xc2\xa0"
     "\""},
    {"\"caf\xc3\xa9"
     " \xf0\x9f\x98\x80"
     "\"",
     "\"caf\xc3\xa9"
     " \xf0\x9f\x98\x80"
     "\""},
    {"\"\\u2028\"", "\"\xe2\x80\xa8"
                    "\""},
    {"\"\"\"block\"\"\"", "\"\"\"block\"\"\""},
    {"\"\"\"\"\"\"", "\"\"\"\"\"\""},
    {"\"\"\"  leading space\"\"\"", "\"\"\"  leading space\"\"\""},
    {"\"\"\"\n  multi\n  line\n\"\"\"", "\"\"\"\nmulti\nline\n\"\"\""},
    {"\"\"\"\n  a\n    b\n\"\"\"", "\"\"\"\na\n  b\n\"\"\""},
    {"\"\"\"ends with quote\" \"\"\"", "\"\"\"ends with quote\" \"\"\""},
    {"\"\"\"has \\\"\"\" triple\"\"\"", "\"\"\"has \\\"\"\" triple\"\"\""},
    {"\"\"\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\"\"",
     "\"\"\"\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n\"\"\""},
    {"\"\"\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\"\"",
     "\"\"\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\"\""},
    {"\"\"\"a\\\n\"\"\"", "\"\"\"\na\\\n\"\"\""},
    {"\"\"\"a \"\n\"\"\"", "\"\"\"\na \"\n\"\"\""},
    {"[\"\"\"a\nb\"\"\", {k: \"\"\"c\"\"\"}]", "[\"\"\"\na\nb\n\"\"\", {k: \"\"\"c\"\"\"}]"},
    {"\"\"\"\n  first\n\n   indented\n\"\"\"", "\"\"\"\nfirst\n\n indented\n\"\"\""},
    {"\"\"\"ends triple \\\"\"\"\"\"\"", "\"\"\"\nends triple \\\"\"\"\n\"\"\""},
    {"\"\"\"\xf0\x9f\x98\x80"
     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\"\"",
     "\"\"\"\n\xf0\x9f\x98\x80"
     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n\"\"\""},
};

TEST(values_as_graphql_js_prints_them)
{
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++)
        check_print(CASES[i].value, CASES[i].printed);
}

TEST(print_string)
{
    facet_buf_t out;
    facet_buf_init(&out, 0);
    CHECK_EQ_INT(gql_ast_print_string("a\0b\x1b\xc2\x85\xc2\xa0", 8, &out), FACET_OK);
    CHECK_EQ_INT(out.len, strlen("\"a\\u0000b\\u001B\\u0085\xc2\xa0\""));
    CHECK(memcmp(out.base, "\"a\\u0000b\\u001B\\u0085\xc2\xa0\"", out.len) == 0);
    facet_buf_free(&out);
}

TEST(print_block_string)
{
    static const struct {
        const char *value, *printed;
    } cases[] = {
        {"", "\"\"\"\"\"\""},
        {"one line", "\"\"\"one line\"\"\""},
        {"two\nlines", "\"\"\"\ntwo\nlines\n\"\"\""},
        {"  indented", "\"\"\"  indented\"\"\""},
        /* Every line after the first indented: a leading newline keeps the
         * indentation from being taken as common. */
        {"a\n  b", "\"\"\"\na\n  b\n\"\"\""},
        {"\n  b", "\"\"\"\n\n  b\n\"\"\""},
        {"cr\r\nlf", "\"\"\"\ncr\r\nlf\n\"\"\""},
        {"end\"", "\"\"\"\nend\"\n\"\"\""},
        {"end\\", "\"\"\"\nend\\\n\"\"\""},
        {"x\"\"\"", "\"\"\"\nx\\\"\"\"\n\"\"\""},
        {"x\"\"\"\"", "\"\"\"\nx\\\"\"\"\"\n\"\"\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        facet_buf_t out;
        facet_buf_init(&out, 0);
        CHECK_EQ_INT(gql_ast_print_block_string(cases[i].value, strlen(cases[i].value), &out),
                     FACET_OK);
        facet_buf_append(&out, "", 1);
        CHECK_EQ_STR(out.base, cases[i].printed);
        facet_buf_free(&out);
    }
}

/* A buffer that cannot grow reports its error. */
TEST(print_into_full_buffer)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_ast_value_t one = {.kind = GQL_AST_INT, .text = FACET_STR_LIT("12345")};
    gql_ast_value_t *items[] = {&one, &one, &one};
    gql_ast_value_t list = {.kind = GQL_AST_LIST, .items = items, .nitems = 3};
    facet_buf_t out;
    facet_buf_init(&out, 8);
    CHECK(gql_ast_print_value(&list, &out) != FACET_OK);
    facet_buf_free(&out);
    facet_buf_init(&out, 0);
    CHECK_EQ_INT(gql_ast_print_value(&list, &out), FACET_OK);
    CHECK_EQ_INT(out.len, strlen("[12345, 12345, 12345]"));
    facet_buf_free(&out);
    facet_arena_free(&a);
}
