/* Tests for gql/value.h: constructors, member lookup and deep equality. */
#include <math.h>

#include "gql/json.h"
#include "gql/value.h"
#include "test.h"

static gql_value_t *parse(facet_arena_t *a, const char *json)
{
    gql_value_t *v = NULL;
    char err[128];
    if (gql_json_parse(a, json, strlen(json), 0, &v, err, sizeof err) != 0) {
        fprintf(stderr, "parse failed: %s: %s\n", json, err);
        exit(1);
    }
    return v;
}

static bool json_equal(const char *x, const char *y)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    bool eq = gql_value_equal(parse(&a, x), parse(&a, y));
    facet_arena_free(&a);
    return eq;
}

TEST(shared_constants)
{
    CHECK_EQ_INT(gql_value_null.kind, GQL_V_NULL);
    CHECK(gql_value_true.kind == GQL_V_BOOL && gql_value_true.u.b);
    CHECK(gql_value_false.kind == GQL_V_BOOL && !gql_value_false.u.b);
}

TEST(constructors)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    CHECK_EQ_INT(gql_value_new_null(&a)->kind, GQL_V_NULL);
    CHECK(gql_value_new_bool(&a, true)->u.b);
    CHECK_EQ_INT(gql_value_new_int(&a, -42)->u.i, -42);
    CHECK(gql_value_new_float(&a, 1.5)->u.f == 1.5);

    char src[] = "hello";
    gql_value_t *s = gql_value_new_string(&a, facet_str(src, 5));
    src[0] = 'j';
    CHECK_SLICE(s->u.s, "hello");
    CHECK_EQ_INT(s->u.s.base[5], '\0');
    CHECK_EQ_INT(gql_value_new_string(&a, FACET_STR_NULL)->u.s.len, 0);

    gql_value_t *l = gql_value_new_list(&a, 3);
    CHECK_EQ_INT(l->u.list.n, 3);
    CHECK(l->u.list.items[0] == NULL && l->u.list.items[2] == NULL);
    gql_value_t *o = gql_value_new_object(&a, 2);
    CHECK_EQ_INT(o->u.obj.n, 2);
    CHECK(o->u.obj.members[1].value == NULL && o->u.obj.members[1].key.len == 0);
    CHECK_EQ_INT(gql_value_new_list(&a, 0)->u.list.n, 0);
    facet_arena_free(&a);
}

TEST(constructors_fail_when_the_arena_is_full)
{
    facet_arena_t a;
    facet_arena_init(&a, 64);
    CHECK(gql_value_new_list(&a, 1000) == NULL);
    CHECK(gql_value_new_object(&a, 1000) == NULL);
    CHECK(gql_value_new_list(&a, (size_t)-1) == NULL);
    facet_arena_free(&a);
}

TEST(get_returns_the_last_member_with_the_key)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_value_t *o = gql_value_new_object(&a, 3);
    o->u.obj.members[0] = (gql_member_t){FACET_STR_LIT("a"), gql_value_new_int(&a, 1)};
    o->u.obj.members[1] = (gql_member_t){FACET_STR_LIT("b"), gql_value_new_int(&a, 2)};
    o->u.obj.members[2] = (gql_member_t){FACET_STR_LIT("a"), gql_value_new_int(&a, 3)};
    CHECK_EQ_INT(gql_value_get(o, FACET_STR_LIT("a"))->u.i, 3);
    CHECK_EQ_INT(gql_value_get(o, FACET_STR_LIT("b"))->u.i, 2);
    CHECK(gql_value_get(o, FACET_STR_LIT("c")) == NULL);
    CHECK(gql_value_get(o, FACET_STR_LIT("")) == NULL);
    CHECK(gql_value_get(gql_value_new_int(&a, 1), FACET_STR_LIT("a")) == NULL);
    CHECK(gql_value_get(NULL, FACET_STR_LIT("a")) == NULL);
    facet_arena_free(&a);
}

TEST(type_name_is_what_javascript_says)
{
    facet_arena_t a;
    facet_arena_init(&a, 4096);
    CHECK_EQ_STR(gql_value_type_name(NULL), "undefined");
    CHECK_EQ_STR(gql_value_type_name(&gql_value_null), "null");
    CHECK_EQ_STR(gql_value_type_name(&gql_value_true), "boolean");
    CHECK_EQ_STR(gql_value_type_name(gql_value_new_int(&a, 1)), "number");
    CHECK_EQ_STR(gql_value_type_name(parse(&a, "1.5")), "number");
    CHECK_EQ_STR(gql_value_type_name(parse(&a, "\"s\"")), "string");
    CHECK_EQ_STR(gql_value_type_name(parse(&a, "[]")), "array");
    CHECK_EQ_STR(gql_value_type_name(parse(&a, "{}")), "object");
    facet_arena_free(&a);
}

TEST(equal_scalars)
{
    CHECK(json_equal("null", "null"));
    CHECK(json_equal("true", "true"));
    CHECK(!json_equal("true", "false"));
    CHECK(!json_equal("null", "false"));
    CHECK(json_equal("\"a\\u0000b\"", "\"a\\u0000b\""));
    CHECK(!json_equal("\"a\\u0000b\"", "\"a\\u0000c\""));
    CHECK(!json_equal("\"ab\"", "\"abc\""));
    CHECK(json_equal("\"\"", "\"\""));
    CHECK(json_equal("0", "-0"));
    CHECK(json_equal("1.0", "1"));
    CHECK(!json_equal("1", "\"1\""));
    CHECK(!json_equal("0", "false"));
}

TEST(equal_numbers_across_int_and_float)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_value_t *i1 = gql_value_new_int(&a, 1), *f1 = gql_value_new_float(&a, 1.0);
    CHECK(gql_value_equal(i1, f1) && gql_value_equal(f1, i1));
    CHECK(!gql_value_equal(i1, gql_value_new_float(&a, 1.5)));
    CHECK(gql_value_equal(gql_value_new_int(&a, INT64_MIN), gql_value_new_float(&a, -0x1p63)));
    CHECK(!gql_value_equal(gql_value_new_int(&a, INT64_MAX), gql_value_new_float(&a, 0x1p63)));
    CHECK(!gql_value_equal(i1, gql_value_new_float(&a, NAN)));
    CHECK(!gql_value_equal(i1, gql_value_new_float(&a, INFINITY)));
    CHECK(gql_value_equal(gql_value_new_float(&a, NAN), gql_value_new_float(&a, NAN)));
    CHECK(!gql_value_equal(gql_value_new_int(&a, 2), gql_value_new_int(&a, 3)));
    /* 2^53 + 1 has no double: the nearest double is 2^53. */
    CHECK(!gql_value_equal(gql_value_new_int(&a, 9007199254740993LL),
                           gql_value_new_float(&a, 9007199254740992.0)));
    facet_arena_free(&a);
}

TEST(equal_lists_in_order)
{
    CHECK(json_equal("[1,[2,[3]],{}]", "[1,[2,[3]],{}]"));
    CHECK(!json_equal("[1,2]", "[2,1]"));
    CHECK(!json_equal("[1,2]", "[1,2,3]"));
    CHECK(!json_equal("[]", "{}"));
    CHECK(json_equal("[]", "[]"));
}

TEST(equal_objects_ignore_member_order)
{
    CHECK(json_equal("{\"a\":1,\"b\":[true]}", "{\"b\":[true],\"a\":1}"));
    CHECK(!json_equal("{\"a\":1}", "{\"a\":1,\"b\":2}"));
    CHECK(!json_equal("{\"a\":1,\"b\":2}", "{\"a\":1}"));
    CHECK(!json_equal("{\"a\":1}", "{\"b\":1}"));
    CHECK(!json_equal("{\"a\":{\"x\":1}}", "{\"a\":{\"x\":2}}"));
    CHECK(json_equal("{}", "{}"));
}

TEST(equal_objects_with_repeated_keys_use_the_last_value)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_value_t *o = gql_value_new_object(&a, 3);
    o->u.obj.members[0] = (gql_member_t){FACET_STR_LIT("a"), gql_value_new_int(&a, 1)};
    o->u.obj.members[1] = (gql_member_t){FACET_STR_LIT("b"), gql_value_new_int(&a, 2)};
    o->u.obj.members[2] = (gql_member_t){FACET_STR_LIT("a"), gql_value_new_int(&a, 3)};
    CHECK(gql_value_equal(o, parse(&a, "{\"b\":2,\"a\":3}")));
    CHECK(!gql_value_equal(o, parse(&a, "{\"a\":1,\"b\":2}")));
    CHECK(!gql_value_equal(o, parse(&a, "{\"a\":3,\"b\":2,\"c\":1}")));
    CHECK(gql_value_equal(o, o));
    facet_arena_free(&a);
}

TEST(equal_treats_null_pointers_as_null)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_value_t *l = gql_value_new_list(&a, 1);
    CHECK(gql_value_equal(l, parse(&a, "[null]")));
    CHECK(!gql_value_equal(l, parse(&a, "[0]")));
    CHECK(gql_value_equal(NULL, &gql_value_null));
    CHECK(gql_value_equal(NULL, NULL));
    facet_arena_free(&a);
}

TEST(equal_handles_deep_values_without_recursion)
{
    enum { DEPTH = 200000 };
    char *s = malloc(2 * DEPTH + 1);
    memset(s, '[', DEPTH);
    memset(s + DEPTH, ']', DEPTH);
    s[2 * DEPTH] = '\0';
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_value_t *x = NULL, *y = NULL;
    CHECK_EQ_INT(gql_json_parse(&a, s, 2 * DEPTH, DEPTH, &x, NULL, 0), 0);
    CHECK_EQ_INT(gql_json_parse(&a, s, 2 * DEPTH, DEPTH, &y, NULL, 0), 0);
    CHECK(gql_value_equal(x, y));
    free(s);
    facet_arena_free(&a);
}

TEST(equal_large_objects)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    enum { N = 300 };
    gql_value_t *x = gql_value_new_object(&a, N), *y = gql_value_new_object(&a, N);
    for (size_t i = 0; i < N; i++) {
        char key[16];
        snprintf(key, sizeof key, "k%zu", i);
        facet_str_t k = facet_arena_strdup(&a, key, strlen(key));
        x->u.obj.members[i] = (gql_member_t){k, gql_value_new_int(&a, (int64_t)i)};
        y->u.obj.members[N - 1 - i] = (gql_member_t){k, gql_value_new_int(&a, (int64_t)i)};
    }
    CHECK(gql_value_equal(x, y));
    y->u.obj.members[7].value = gql_value_new_int(&a, -1);
    CHECK(!gql_value_equal(x, y));
    facet_arena_free(&a);
}

TEST(equal_large_objects_with_repeated_keys)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    enum { N = 100 };
    /* x holds k0..k49 twice, the second time with the values that count;
     * y holds them once, in reverse order. */
    gql_value_t *x = gql_value_new_object(&a, N), *y = gql_value_new_object(&a, N / 2);
    for (size_t i = 0; i < N; i++) {
        char key[16];
        snprintf(key, sizeof key, "k%zu", i % (N / 2));
        facet_str_t k = facet_arena_strdup(&a, key, strlen(key));
        x->u.obj.members[i] = (gql_member_t){k, gql_value_new_int(&a, (int64_t)i)};
        if (i >= N / 2)
            y->u.obj.members[N - 1 - i] = (gql_member_t){k, gql_value_new_int(&a, (int64_t)i)};
    }
    CHECK(gql_value_equal(x, y));
    CHECK(gql_value_equal(y, x));
    y->u.obj.members[0].value = gql_value_new_int(&a, 0);
    CHECK(!gql_value_equal(x, y));
    CHECK(!gql_value_equal(x, gql_value_new_object(&a, 0)));
    facet_arena_free(&a);
}
