/* Tests for the JSON parser in gql/json.h: the grammar JSON.parse accepts,
 * string decoding, numbers, repeated keys, key order, depth and errors. The
 * expected outputs were checked against Node's JSON.parse + JSON.stringify. */
#include <math.h>

#include "core/error.h"
#include "gql/json.h"
#include "test.h"

/* Parses json, writes it back compactly and compares with expect. */
static void round_trip(const char *json, size_t len, const char *expect)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_value_t *v = NULL;
    char err[128] = "";
    int rc = gql_json_parse(&a, json, len, 0, &v, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "parse of %.*s failed: %s\n", (int)len, json, err);
        exit(1);
    }
    facet_buf_t b;
    facet_buf_init(&b, 0);
    CHECK_EQ_INT(gql_json_write_value(&b, v), 0);
    facet_str_t out = facet_str(b.base, b.len);
    CHECK_SLICE(out, expect);
    facet_buf_free(&b);
    facet_arena_free(&a);
}

#define RT(json, expect) round_trip((json), sizeof(json) - 1, (expect))

/* Expects parsing to fail with rc and exactly the error message msg. */
static void parse_error(const char *json, size_t len, int rc, const char *msg)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_value_t *v = (gql_value_t *)&gql_value_null;
    char err[128] = "";
    int got = gql_json_parse(&a, json, len, 0, &v, err, sizeof err);
    if (got != rc || strcmp(err, msg) != 0) {
        fprintf(stderr, "%.*s: got %d \"%s\", expected %d \"%s\"\n", (int)len, json, got, err, rc,
                msg);
        exit(1);
    }
    CHECK(v == NULL);
    facet_arena_free(&a);
}

#define ERR(json, msg) parse_error((json), sizeof(json) - 1, FACET_EINVAL, (msg))

TEST(scalars)
{
    RT("null", "null");
    RT("true", "true");
    RT("false", "false");
    RT("0", "0");
    RT("\"\"", "\"\"");
    RT(" \t\r\n[ 1 , 2 ]\n\t\r ", "[1,2]");
    RT("{ \"a\" : { } , \"b\" : [ ] }", "{\"a\":{},\"b\":[]}");
}

TEST(numbers_parse_as_doubles)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_value_t *v;
    CHECK_EQ_INT(gql_json_parse(&a, "-0", 2, 0, &v, NULL, 0), 0);
    CHECK(v->kind == GQL_V_FLOAT && v->u.f == 0 && signbit(v->u.f));
    CHECK_EQ_INT(gql_json_parse(&a, "12", 2, 0, &v, NULL, 0), 0);
    CHECK(v->kind == GQL_V_FLOAT && v->u.f == 12.0);
    CHECK_EQ_INT(gql_json_parse(&a, "1e400", 5, 0, &v, NULL, 0), 0);
    CHECK(isinf(v->u.f) && v->u.f > 0);
    CHECK_EQ_INT(gql_json_parse(&a, "-1e400", 6, 0, &v, NULL, 0), 0);
    CHECK(isinf(v->u.f) && v->u.f < 0);
    CHECK_EQ_INT(gql_json_parse(&a, "1e-400", 6, 0, &v, NULL, 0), 0);
    CHECK(v->u.f == 0);
    /* The halfway case between 1 and the next double rounds to even. */
    const char *half = "1.00000000000000011102230246251565404236316680908203125";
    CHECK_EQ_INT(gql_json_parse(&a, half, strlen(half), 0, &v, NULL, 0), 0);
    CHECK(v->u.f == 1.0);
    facet_arena_free(&a);

    RT("[0.1,1E2,1e+2,1E-2,-5.5e0,123456789012345678901234567890]",
       "[0.1,100,100,0.01,-5.5,1.2345678901234568e+29]");
    RT("[2.2250738585072011e-308,4.9e-324,1.7976931348623157e308]",
       "[2.225073858507201e-308,5e-324,1.7976931348623157e+308]");
    RT("[1e400,-0]", "[null,0]");
}

TEST(long_numbers)
{
    char buf[2100] = "0.";
    memset(buf + 2, '1', 2000);
    buf[2002] = '\0';
    round_trip(buf, strlen(buf), "0.1111111111111111");
}

TEST(number_grammar_errors)
{
    ERR("-", "unexpected end of input at byte 1");
    ERR("-a", "unexpected character 'a' at byte 1");
    ERR("01", "unexpected data after the JSON value at byte 1");
    ERR("1.", "unexpected end of input at byte 2");
    ERR("1.e5", "unexpected character 'e' at byte 2");
    ERR(".5", "unexpected character '.' at byte 0");
    ERR("+1", "unexpected character '+' at byte 0");
    ERR("1e", "unexpected end of input at byte 2");
    ERR("1e+", "unexpected end of input at byte 3");
    ERR("[1e+x]", "unexpected character 'x' at byte 4");
    ERR("NaN", "unexpected character 'N' at byte 0");
    ERR("Infinity", "unexpected character 'I' at byte 0");
    ERR("-Infinity", "unexpected character 'I' at byte 1");
    ERR("0x10", "unexpected data after the JSON value at byte 1");
}

TEST(simple_escapes)
{
    RT("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\"", "\"\\\" \\\\ / \\b \\f \\n \\r \\t\"");
    ERR("\"\\a\"", "bad escape in string at byte 2");
    ERR("\"\\'\"", "bad escape in string at byte 2");
    ERR("\"\\x41\"", "bad escape in string at byte 2");
    ERR("\"\\", "unterminated string at byte 2");
}

TEST(unicode_escapes)
{
    RT("\"\\u0041\\u00e9\\u20AC\\u0000\\u001F\\u007f\"",
       "\"A\xC3\xA9\xE2\x82\xAC\\u0000\\u001f\x7f\"");
    RT("\"\\ud83d\\ude00\"", "\"\xF0\x9F\x98\x80\"");
    RT("\"\\uD83D\\uDE00x\"", "\"\xF0\x9F\x98\x80x\"");
    RT("\"\\udbff\\udfff\"", "\"\xF4\x8F\xBF\xBF\"");
    RT("\"\\u2028\\u2029\"", "\"\xE2\x80\xA8\xE2\x80\xA9\"");
    ERR("\"\\u12G4\"", "bad hex digit in \\u escape at byte 5");
    ERR("\"\\u12\"", "bad hex digit in \\u escape at byte 5");
    ERR("\"\\u", "unterminated string at byte 3");
    ERR("\"\\u12", "unterminated string at byte 5");
}

TEST(lone_surrogates_become_replacement_characters)
{
    /* JavaScript keeps a lone surrogate in its UTF-16 string; UTF-8 cannot
     * hold one, so it becomes U+FFFD. */
    const char *fffd = "\"\xEF\xBF\xBD\"";
    RT("\"\\ud800\"", fffd);
    RT("\"\\udc00\"", fffd);
    RT("\"\\udfff\"", fffd);
    RT("\"\\ud800x\"", "\"\xEF\xBF\xBDx\"");
    RT("\"\\udc00\\ud800\"", "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");
    RT("\"\\ud800\\ud800\\udc00\"", "\"\xEF\xBF\xBD\xF0\x90\x80\x80\"");
    RT("\"\\ud800\\u0041\"", "\"\xEF\xBF\xBD"
                             "A\"");
    RT("\"\\ud800\\n\"", "\"\xEF\xBF\xBD\\n\"");
}

TEST(raw_utf8_in_strings)
{
    RT("\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF\x7F\"",
       "\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF\x7F\"");
    ERR("\"\x80\"", "invalid UTF-8 in string at byte 1");
    ERR("\"a\xC0\x80\"", "invalid UTF-8 in string at byte 2");
    ERR("\"\xC3\"", "invalid UTF-8 in string at byte 1");
    ERR("\"\xE2\x82\"", "invalid UTF-8 in string at byte 1");
    ERR("\"\xED\xA0\x80\"", "invalid UTF-8 in string at byte 1");     /* a surrogate */
    ERR("\"\xF4\x90\x80\x80\"", "invalid UTF-8 in string at byte 1"); /* past U+10FFFF */
    ERR("\"\xF8\x88\x80\x80\x80\"", "invalid UTF-8 in string at byte 1");
    ERR("\"\xE0\x9F\xBF\"", "invalid UTF-8 in string at byte 1"); /* overlong */
    ERR("\"\xFF\"", "invalid UTF-8 in string at byte 1");
}

TEST(control_characters_in_strings_are_refused)
{
    ERR("\"a\nb\"", "control character in string at byte 2");
    ERR("\"\t\"", "control character in string at byte 1");
    parse_error("\"\0\"", 3, FACET_EINVAL, "control character in string at byte 1");
}

TEST(repeated_keys_keep_the_first_position_and_the_last_value)
{
    RT("{\"a\":1,\"b\":2,\"a\":3}", "{\"a\":3,\"b\":2}");
    RT("{\"a\":1,\"a\":{\"x\":1},\"a\":[]}", "{\"a\":[]}");
    RT("{\"b\":1,\"a\":2,\"c\":3,\"a\":4,\"b\":5}", "{\"b\":5,\"a\":4,\"c\":3}");
    /* Many keys go through the hash table. */
    RT("{\"k0\":0,\"k1\":1,\"k2\":2,\"k3\":3,\"k4\":4,\"k5\":5,\"k6\":6,\"k7\":7,\"k8\":8,"
       "\"k9\":9,\"k3\":33,\"k10\":10,\"k0\":0.5,\"\":1,\"\":2}",
       "{\"k0\":0.5,\"k1\":1,\"k2\":2,\"k3\":33,\"k4\":4,\"k5\":5,\"k6\":6,\"k7\":7,\"k8\":8,"
       "\"k9\":9,\"k10\":10,\"\":2}");
    /* Escapes are decoded before keys compare. */
    RT("{\"a\":1,\"\\u0061\":2}", "{\"a\":2}");
    RT("{\"__proto__\":1,\"x\":{}}", "{\"__proto__\":1,\"x\":{}}");
}

TEST(array_index_keys_come_first_in_numeric_order)
{
    RT("{\"b\":1,\"4294967295\":1,\"4294967294\":2,\"10\":3,\"9\":4,\"01\":5,\"-1\":6,\"0\":7,"
       "\"1.5\":8,\"9007199254740993\":1}",
       "{\"0\":7,\"9\":4,\"10\":3,\"4294967294\":2,\"b\":1,\"4294967295\":1,\"01\":5,\"-1\":6,"
       "\"1.5\":8,\"9007199254740993\":1}");
    RT("{\"x\":1,\"2\":2,\"1\":3,\"2\":4}", "{\"1\":3,\"2\":4,\"x\":1}");
}

TEST(key_values_are_reachable_with_get)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_value_t *v;
    const char *j = "{\"name\":\"x\",\"n\":[1,2]}";
    CHECK_EQ_INT(gql_json_parse(&a, j, strlen(j), 0, &v, NULL, 0), 0);
    CHECK_SLICE(gql_value_get(v, FACET_STR_LIT("name"))->u.s, "x");
    CHECK_EQ_INT(gql_value_get(v, FACET_STR_LIT("n"))->u.list.n, 2);
    /* Strings are NUL-terminated copies in the arena. */
    CHECK_EQ_STR(gql_value_get(v, FACET_STR_LIT("name"))->u.s.base, "x");
    facet_arena_free(&a);
}

TEST(structural_errors)
{
    ERR("", "unexpected end of input at byte 0");
    ERR("   ", "unexpected end of input at byte 3");
    ERR("[", "unexpected end of input at byte 1");
    ERR("[1", "unexpected end of input at byte 2");
    ERR("[1,", "unexpected end of input at byte 3");
    ERR("[1,]", "unexpected character ']' at byte 3");
    ERR("[,1]", "unexpected character ',' at byte 1");
    ERR("[1 2]", "expected ',' or ']' after array element at byte 3");
    ERR("[1}", "expected ',' or ']' after array element at byte 2");
    ERR("{", "unexpected end of input at byte 1");
    ERR("{,}", "expected a property name at byte 1");
    ERR("{\"a\":1,}", "expected a property name at byte 7");
    ERR("{\"a\" 1}", "expected ':' at byte 5");
    ERR("{\"a\":}", "unexpected character '}' at byte 5");
    ERR("{\"a\":1]", "expected ',' or '}' after property value at byte 6");
    ERR("{'a':1}", "expected a property name at byte 1");
    ERR("{a:1}", "expected a property name at byte 1");
    ERR("{1:1}", "expected a property name at byte 1");
    ERR("\"abc", "unterminated string at byte 4");
    ERR("'a'", "unexpected character ''' at byte 0");
    ERR("]", "unexpected character ']' at byte 0");
    ERR("1 2", "unexpected data after the JSON value at byte 2");
    ERR("{} {}", "unexpected data after the JSON value at byte 3");
    ERR("tru", "unexpected end of input at byte 3");
    ERR("trUe", "unexpected character 'U' at byte 2");
    ERR("nul", "unexpected end of input at byte 3");
    ERR("falsey", "unexpected data after the JSON value at byte 5");
    ERR("/* c */ 1", "unexpected character '/' at byte 0");
    ERR("[1] // c", "unexpected data after the JSON value at byte 4");
    ERR("\xEF\xBB\xBF{}", "unexpected byte 0xef at byte 0");
    ERR("\x0c 1", "unexpected byte 0x0c at byte 0");
    ERR("\xC2\xA0 1", "unexpected byte 0xc2 at byte 0");
    parse_error("[1]\0", 4, FACET_EINVAL, "unexpected data after the JSON value at byte 3");
}

TEST(input_need_not_be_nul_terminated)
{
    /* Exact-size heap copies, so ASan reports any read past len. */
    const char *cases[] = {"[12]", "[12", "\"ab\"", "\"ab", "\"\\u00", "tru", "1e5", "-"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = strlen(cases[i]);
        char *buf = malloc(n);
        memcpy(buf, cases[i], n);
        facet_arena_t a;
        facet_arena_init(&a, 0);
        gql_value_t *v;
        int rc = gql_json_parse(&a, buf, n, 0, &v, NULL, 0);
        CHECK_EQ_INT(rc, i == 0 || i == 2 || i == 6 ? 0 : FACET_EINVAL);
        facet_arena_free(&a);
        free(buf);
    }
}

TEST(depth_limit)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_value_t *v;
    char err[128];
    CHECK_EQ_INT(gql_json_parse(&a, "[[1]]", 5, 2, &v, err, sizeof err), 0);
    CHECK_EQ_INT(gql_json_parse(&a, "[[[1]]]", 7, 2, &v, err, sizeof err), FACET_ELIMIT);
    CHECK_EQ_STR(err, "nesting deeper than 2 at byte 2");
    CHECK_EQ_INT(gql_json_parse(&a, "{\"a\":{\"b\":{}}}", 14, 2, &v, err, sizeof err),
                 FACET_ELIMIT);
    CHECK_EQ_STR(err, "nesting deeper than 2 at byte 10");
    CHECK_EQ_INT(gql_json_parse(&a, "1", 1, 1, &v, err, sizeof err), 0);
    CHECK_EQ_INT(gql_json_parse(&a, "[]", 2, 1, &v, err, sizeof err), 0);

    /* The default limit applies when max_depth is 0. */
    size_t d = GQL_JSON_DEFAULT_MAX_DEPTH;
    char *s = malloc(2 * d + 2);
    memset(s, '[', d + 1);
    memset(s + d + 1, ']', d + 1);
    CHECK_EQ_INT(gql_json_parse(&a, s + 1, 2 * d, 0, &v, err, sizeof err), 0);
    CHECK_EQ_INT(gql_json_parse(&a, s, 2 * d + 2, 0, &v, err, sizeof err), FACET_ELIMIT);
    free(s);
    facet_arena_free(&a);
}

TEST(deep_input_does_not_recurse)
{
    enum { DEPTH = 1000000 };
    char *s = malloc(2 * DEPTH);
    for (size_t i = 0; i < DEPTH; i++) {
        s[i] = i % 2 ? '[' : '{';
        s[2 * DEPTH - 1 - i] = i % 2 ? ']' : '}';
    }
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_value_t *v;
    char err[128];
    /* Objects need keys, so this fails at the second byte. */
    CHECK_EQ_INT(gql_json_parse(&a, s, 2 * DEPTH, DEPTH, &v, err, sizeof err), FACET_EINVAL);
    memset(s, '[', DEPTH);
    memset(s + DEPTH, ']', DEPTH);
    CHECK_EQ_INT(gql_json_parse(&a, s, 2 * DEPTH, DEPTH, &v, err, sizeof err), 0);
    facet_buf_t b;
    facet_buf_init(&b, 0);
    CHECK_EQ_INT(gql_json_write_value(&b, v), 0);
    CHECK(b.len == 2 * DEPTH && memcmp(b.base, s, b.len) == 0);
    facet_buf_free(&b);
    free(s);
    facet_arena_free(&a);
}

TEST(arena_limit_gives_enomem)
{
    facet_arena_t a;
    facet_arena_init(&a, 256);
    gql_value_t *v;
    char err[128];
    const char *j =
        "[\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",1,2,3,4,5,6,7,8,9,"
        "10,11,12,13,14,15,16,17,18,19,20]";
    CHECK_EQ_INT(gql_json_parse(&a, j, strlen(j), 0, &v, err, sizeof err), FACET_ENOMEM);
    CHECK(strstr(err, "out of memory") != NULL);
    CHECK(v == NULL);
    facet_arena_free(&a);
}

TEST(error_message_is_truncated_to_errlen)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_value_t *v;
    char err[8];
    CHECK_EQ_INT(gql_json_parse(&a, "[1,]", 4, 0, &v, err, sizeof err), FACET_EINVAL);
    CHECK_EQ_STR(err, "unexpec");
    CHECK_EQ_INT(gql_json_parse(&a, "[1,]", 4, 0, &v, NULL, 0), FACET_EINVAL);
    facet_arena_free(&a);
}
