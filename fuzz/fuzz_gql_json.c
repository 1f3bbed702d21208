/* libFuzzer target for the JSON parser and writers in gql/json.h. A parsed
 * input is written compactly and indented, each written text must parse to
 * an equal value and write back to the same bytes. The raw input is also
 * written as a string (any bytes, valid UTF-8 or not) and read back, and its
 * first 8 bytes as a double must print digits that read back exactly. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "gql/json.h"

#define ASSERT(cond) \
    do {             \
        if (!(cond)) \
            abort(); \
    } while (0)

#define MAX_DEPTH 64

/* Infinity prints as null, so values holding one do not round-trip. */
static bool all_finite(const gql_value_t *v)
{
    if (!v)
        return true;
    switch (v->kind) {
    case GQL_V_FLOAT:
        return isfinite(v->u.f);
    case GQL_V_LIST:
        for (size_t i = 0; i < v->u.list.n; i++)
            if (!all_finite(v->u.list.items[i]))
                return false;
        return true;
    case GQL_V_OBJECT:
        for (size_t i = 0; i < v->u.obj.n; i++)
            if (!all_finite(v->u.obj.members[i].value))
                return false;
        return true;
    default:
        return true;
    }
}

static bool same_bytes(const facet_buf_t *a, const facet_buf_t *b)
{
    return a->len == b->len && (a->len == 0 || memcmp(a->base, b->base, a->len) == 0);
}

/* Writes v (compact or indented), parses the text back and checks it. */
static void check_written(facet_arena_t *a, const gql_value_t *v, int indent)
{
    facet_buf_t w1, w2;
    facet_buf_init(&w1, 0);
    facet_buf_init(&w2, 0);
    ASSERT(gql_json_write_pretty(&w1, v, indent) == FACET_OK);
    gql_value_t *v2 = NULL;
    char err[128];
    ASSERT(gql_json_parse(a, w1.base, w1.len, MAX_DEPTH, &v2, err, sizeof err) == FACET_OK);
    if (all_finite(v))
        ASSERT(gql_value_equal(v, v2));
    ASSERT(gql_json_write_pretty(&w2, v2, indent) == FACET_OK);
    ASSERT(same_bytes(&w1, &w2));
    facet_buf_free(&w1);
    facet_buf_free(&w2);
}

static void check_string(facet_arena_t *a, const uint8_t *data, size_t size)
{
    facet_buf_t w1, w2;
    facet_buf_init(&w1, 0);
    facet_buf_init(&w2, 0);
    ASSERT(gql_json_write_string(&w1, (const char *)data, size) == FACET_OK);
    gql_value_t *v = NULL;
    ASSERT(gql_json_parse(a, w1.base, w1.len, 1, &v, NULL, 0) == FACET_OK);
    ASSERT(v->kind == GQL_V_STRING);
    ASSERT(gql_json_write_string(&w2, v->u.s.base, v->u.s.len) == FACET_OK);
    ASSERT(same_bytes(&w1, &w2));
    facet_buf_free(&w1);
    facet_buf_free(&w2);
}

static void check_number(const uint8_t *data, size_t size)
{
    double d;
    if (size < sizeof d)
        return;
    memcpy(&d, data, sizeof d);
    char s[GQL_NUMBER_BUF_SIZE];
    size_t n = gql_number_to_string(d, s);
    ASSERT(n == strlen(s) && n < GQL_NUMBER_BUF_SIZE);
    if (isfinite(d))
        ASSERT(strtod(s, NULL) == d || (d == 0 && strtod(s, NULL) == 0));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    facet_arena_t a;
    facet_arena_init(&a, 64u << 20);
    gql_value_t *v = NULL;
    char err[128];
    int rc = gql_json_parse(&a, (const char *)data, size, MAX_DEPTH, &v, err, sizeof err);
    ASSERT(rc == FACET_OK || rc == FACET_EINVAL || rc == FACET_ELIMIT);
    ASSERT((rc == FACET_OK) == (v != NULL));
    if (rc == FACET_OK) {
        check_written(&a, v, 0);
        check_written(&a, v, 2);
    } else {
        ASSERT(strstr(err, " at byte ") != NULL);
    }
    check_string(&a, data, size);
    check_number(data, size);
    facet_arena_free(&a);
    return 0;
}
