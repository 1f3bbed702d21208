/* Tests for the response writer's fast paths (exec_output.c): strings of
 * every short length with an escape or a non-ASCII byte at every position,
 * the range limits of Int and Float leaves written without the general
 * serializer, and the member lookup that retries where a key was found
 * last time. Each response is compared with what the general writers
 * (gql_json_write_string, graphql-js' serializers) give. */
#include "test_gql_exec.h"

/* Executes doc over root (built by hand, so strings may hold any byte)
 * and returns the response; s and doc outlive the call. */
static char *run_root(const gql_schema_t *s, const gql_ast_document_t *doc, const gql_value_t *root)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_exec_opts_t o = {.schema = s, .doc = doc, .root_json = root};
    gql_exec_t *ex = NULL;
    CHECK_EQ_INT(gql_exec_start(&a, &o, &ex), FACET_OK);
    char *r = tx_response(ex);
    facet_arena_free(&a);
    return r;
}

static gql_value_t *object1(facet_arena_t *a, const char *key, gql_value_t *v)
{
    gql_value_t *o = gql_value_new_object(a, 1);
    CHECK(o != NULL);
    o->u.obj.members[0].key = facet_str_c(key);
    o->u.obj.members[0].value = v;
    return o;
}

/* The string of n bytes with special (1 or 2 bytes) at position at (-1:
 * none), the rest printable letters. */
static size_t make_string(char *buf, size_t n, int at, const char *special)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        if ((int)i == at) {
            for (const char *p = special; *p; p++)
                buf[len++] = *p;
        } else {
            buf[len++] = (char)('a' + i % 26);
        }
    }
    return len;
}

/* {"data":{"o":{"s":S},"t":S}} with S as gql_json_write_string writes
 * it: the nested member goes through the one-pass object writer, the
 * root field through the result tree. */
static char *expected_strings(const char *s, size_t n)
{
    facet_buf_t b;
    facet_buf_init(&b, 0);
    CHECK_EQ_INT(facet_buf_append_str(&b, "{\"data\":{\"o\":{\"s\":"), FACET_OK);
    CHECK_EQ_INT(gql_json_write_string(&b, s, n), FACET_OK);
    CHECK_EQ_INT(facet_buf_append_str(&b, "},\"t\":"), FACET_OK);
    CHECK_EQ_INT(gql_json_write_string(&b, s, n), FACET_OK);
    CHECK_EQ_INT(facet_buf_append_str(&b, "}}"), FACET_OK);
    char *r = strndup(b.base, b.len);
    facet_buf_free(&b);
    return r;
}

TEST(strings_every_length_and_position)
{
    /* Quote, backslash, control bytes, DEL and '/' (written as they are),
     * a two-byte UTF-8 sequence, a stray continuation byte and a lone
     * lead byte (both written as U+FFFD). */
    static const char *specials[] = {"\"", "\\", "\x01",     "\x1f", "\n",  "\x7f",
                                     "/",  " ",  "\xc3\xa9", "\x80", "\xc3"};
    gql_schema_t *s = tx_schema("type Query { o: O, t: String } type O { s: String }");
    facet_arena_t da;
    facet_arena_init(&da, 0);
    gql_ast_document_t *doc = tx_doc(&da, s, "{ o { s } t }");
    char buf[64];
    for (size_t n = 0; n <= 40; n++) {
        for (size_t k = 0; k < sizeof specials / sizeof *specials; k++) {
            for (int at = -1; at < (int)n; at++) {
                size_t len = make_string(buf, n, at, specials[k]);
                facet_arena_t a;
                facet_arena_init(&a, 0);
                gql_value_t *str = gql_value_new_string(&a, facet_str(buf, len));
                gql_value_t *root = gql_value_new_object(&a, 2);
                CHECK(str && root);
                root->u.obj.members[0].key = FACET_STR_LIT("o");
                root->u.obj.members[0].value = object1(&a, "s", str);
                root->u.obj.members[1].key = FACET_STR_LIT("t");
                root->u.obj.members[1].value = str;
                char *got = run_root(s, doc, root);
                char *want = expected_strings(buf, len);
                CHECK_EQ_STR(got, want);
                free(got);
                free(want);
                facet_arena_free(&a);
            }
        }
    }
    facet_arena_free(&da);
    gql_schema_free(s);
}

/* One leaf value under type t, nested and at the root, against the
 * expected text of the value (NULL: a serialization error, so null and an
 * error at both places). */
static void check_leaf(const char *t, gql_value_t *v, const char *want)
{
    char sdl[128];
    snprintf(sdl, sizeof sdl, "type Query { o: O, x: %s } type O { x: %s }", t, t);
    gql_schema_t *s = tx_schema(sdl);
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_ast_document_t *doc = tx_doc(&a, s, "{ o { x } x }");
    gql_value_t *root = gql_value_new_object(&a, 2);
    CHECK(root != NULL);
    root->u.obj.members[0].key = FACET_STR_LIT("o");
    root->u.obj.members[0].value = object1(&a, "x", v);
    root->u.obj.members[1].key = FACET_STR_LIT("x");
    root->u.obj.members[1].value = v;
    char *got = run_root(s, doc, root);
    char expect[256];
    if (want)
        snprintf(expect, sizeof expect, "{\"data\":{\"o\":{\"x\":%s},\"x\":%s}}", want, want);
    if (want) {
        CHECK_EQ_STR(got, expect);
    } else {
        CHECK(strstr(got, "\"data\":{\"o\":{\"x\":null},\"x\":null}}") != NULL);
        CHECK(strstr(got, "cannot represent") != NULL);
    }
    free(got);
    facet_arena_free(&a);
    gql_schema_free(s);
}

static gql_value_t *num(facet_arena_t *a, double d)
{
    gql_value_t *v = gql_value_new_float(a, d);
    CHECK(v != NULL);
    return v;
}

static gql_value_t *integer(facet_arena_t *a, int64_t i)
{
    gql_value_t *v = gql_value_new_int(a, i);
    CHECK(v != NULL);
    return v;
}

TEST(int_leaves_at_their_limits)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    check_leaf("Int", num(&a, 0), "0");
    check_leaf("Int", num(&a, -0.0), "0");
    check_leaf("Int", num(&a, 7), "7");
    check_leaf("Int", num(&a, -10), "-10");
    check_leaf("Int", num(&a, 99), "99");
    check_leaf("Int", num(&a, 100), "100");
    check_leaf("Int", num(&a, 2147483647.0), "2147483647");
    check_leaf("Int", num(&a, -2147483648.0), "-2147483648");
    check_leaf("Int", num(&a, 2147483648.0), NULL);
    check_leaf("Int", num(&a, -2147483649.0), NULL);
    check_leaf("Int", num(&a, 1.5), NULL);
    check_leaf("Int", num(&a, 1e300), NULL);
    check_leaf("Int", integer(&a, 2147483647), "2147483647");
    check_leaf("Int", integer(&a, -2147483648LL), "-2147483648");
    check_leaf("Int", integer(&a, 2147483648LL), NULL);
    check_leaf("Int", integer(&a, INT64_MIN), NULL);
    check_leaf("Int", integer(&a, 1234567), "1234567");
    check_leaf("Int", &(gql_value_t){.kind = GQL_V_BOOL, .u.b = true}, "1");
    facet_arena_free(&a);
}

TEST(float_leaves_at_their_limits)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    check_leaf("Float", num(&a, 0), "0");
    check_leaf("Float", num(&a, -0.0), "0");
    check_leaf("Float", num(&a, 256), "256");
    check_leaf("Float", num(&a, 1.5), "1.5");
    check_leaf("Float", num(&a, 9007199254740991.0), "9007199254740991");
    check_leaf("Float", num(&a, -9007199254740991.0), "-9007199254740991");
    check_leaf("Float", num(&a, 9007199254740992.0), "9007199254740992");
    check_leaf("Float", num(&a, 1e21), "1e+21");
    check_leaf("Float", num(&a, -1e21), "-1e+21");
    check_leaf("Float", integer(&a, 9007199254740991LL), "9007199254740991");
    /* JavaScript has the double nearest to 2^53 + 1. */
    check_leaf("Float", integer(&a, 9007199254740993LL), "9007199254740992");
    check_leaf("Float", integer(&a, INT64_MIN), "-9223372036854776000");
    check_leaf("Float", integer(&a, -42), "-42");
    facet_arena_free(&a);
}

TEST(boolean_and_id_leaves)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    check_leaf("Boolean", &(gql_value_t){.kind = GQL_V_BOOL, .u.b = true}, "true");
    check_leaf("Boolean", &(gql_value_t){.kind = GQL_V_BOOL, .u.b = false}, "false");
    check_leaf("Boolean", num(&a, 0), "false");
    check_leaf("ID", num(&a, 12), "\"12\"");
    check_leaf("ID", integer(&a, -3), "\"-3\"");
    check_leaf("String", integer(&a, 5), "\"5\"");
    check_leaf("String", &(gql_value_t){.kind = GQL_V_BOOL, .u.b = true}, "\"true\"");
    facet_arena_free(&a);
}

/* A list whose items hold a key at different places, and keys that differ
 * from the wanted one in a single byte: the member found where it was last
 * time must be the right one, else the lookup searches again. */
TEST(member_lookup_after_a_layout_change)
{
    for (size_t n = 1; n <= 20; n++) {
        for (size_t at = 0; at < n; at++) {
            char name[32], decoy[32];
            for (size_t i = 0; i < n; i++)
                name[i] = (char)('a' + (i * 7) % 26);
            name[n] = '\0';
            memcpy(decoy, name, n + 1);
            decoy[at] = decoy[at] == 'z' ? 'y' : 'z';
            char sdl[128], query[96], root[256], want[256];
            snprintf(sdl, sizeof sdl, "type Query { l: [O] } type O { %s: Int }", name);
            snprintf(query, sizeof query, "{ l { %s } }", name);
            snprintf(root, sizeof root,
                     "{\"l\":[{\"%s\":1,\"%s\":2},{\"%s\":3,\"%s\":4},{\"%s\":5},{\"%s\":6}]}",
                     decoy, name, name, decoy, decoy, name);
            snprintf(want, sizeof want,
                     "{\"data\":{\"l\":[{\"%s\":2},{\"%s\":3},{\"%s\":null},{\"%s\":6}]}}", name,
                     name, name, name);
            CHECK_EXEC(sdl, root, query, NULL, want);
        }
    }
}

/* The same with keys shared between objects, as hosts that build values
 * from literals have them: a key's address found to hold the name is
 * trusted afterwards, and other addresses are still compared. */
TEST(member_lookup_with_shared_keys)
{
    gql_schema_t *s = tx_schema("type Query { l: [O] } type O { name: Int }");
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_ast_document_t *doc = tx_doc(&a, s, "{ l { name } }");
    static const char name[] = "name", decoy[] = "nime";
    static const char *layouts[][2] = {{decoy, name}, {name, decoy},  {name, decoy},
                                       {decoy, name}, {decoy, decoy}, {name, NULL}};
    size_t n = sizeof layouts / sizeof *layouts;
    gql_value_t *list = gql_value_new_list(&a, n);
    CHECK(list != NULL);
    for (size_t i = 0; i < n; i++) {
        size_t nm = layouts[i][1] ? 2 : 1;
        gql_value_t *o = gql_value_new_object(&a, nm);
        CHECK(o != NULL);
        for (size_t k = 0; k < nm; k++) {
            o->u.obj.members[k].key = facet_str(layouts[i][k], 4);
            o->u.obj.members[k].value = integer(&a, (int64_t)(10 * i + k));
        }
        list->u.list.items[i] = o;
    }
    char *got = run_root(s, doc, object1(&a, "l", list));
    CHECK_EQ_STR(got, "{\"data\":{\"l\":[{\"name\":1},{\"name\":10},{\"name\":20},{\"name\":31},"
                      "{\"name\":null},{\"name\":50}]}}");
    free(got);
    facet_arena_free(&a);
    gql_schema_free(s);
}

/* Aliases longer than the 16 bytes the writer copies in one block, and
 * __typename among fast members. */
TEST(long_keys_and_typename)
{
    CHECK_EXEC("type Query { o: O } type O { a: Int, b: String }", "{\"o\":{\"a\":1,\"b\":\"x\"}}",
               "{ o { aVeryLongAliasOfTwentyNineBytes: a __typename "
               "b0123456789012345: b } }",
               NULL,
               "{\"data\":{\"o\":{\"aVeryLongAliasOfTwentyNineBytes\":1,\"__typename\":\"O\","
               "\"b0123456789012345\":\"x\"}}}");
}

/* A response larger than the buffer's first growth step, written with
 * many fast members. */
TEST(large_response)
{
    gql_schema_t *s = tx_schema("type Query { l: [O] } type O { s: String, n: Int }");
    facet_buf_t root;
    facet_buf_init(&root, 0);
    CHECK_EQ_INT(facet_buf_append_str(&root, "{\"l\":["), FACET_OK);
    for (int i = 0; i < 2000; i++)
        CHECK_EQ_INT(facet_buf_printf(&root, "%s{\"s\":\"item number %d\",\"n\":%d}", i ? "," : "",
                                      i, i * 1000),
                     FACET_OK);
    CHECK_EQ_INT(facet_buf_append_str(&root, "]}"), FACET_OK);
    CHECK_EQ_INT(facet_buf_append(&root, "", 1), FACET_OK);
    char *r = tx_run(s, root.base, "{ l { s n } }", NULL);
    facet_buf_t want;
    facet_buf_init(&want, 0);
    CHECK_EQ_INT(facet_buf_append_str(&want, "{\"data\":{\"l\":["), FACET_OK);
    for (int i = 0; i < 2000; i++)
        CHECK_EQ_INT(facet_buf_printf(&want, "%s{\"s\":\"item number %d\",\"n\":%d}", i ? "," : "",
                                      i, i * 1000),
                     FACET_OK);
    CHECK_EQ_INT(facet_buf_append_str(&want, "]}}"), FACET_OK);
    CHECK_EQ_INT(facet_buf_append(&want, "", 1), FACET_OK);
    CHECK_EQ_STR(r, want.base);
    free(r);
    facet_buf_free(&want);
    facet_buf_free(&root);
    gql_schema_free(s);
}
