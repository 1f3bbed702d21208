/* Tests for GraphQL-over-HTTP request reading: negotiation, CSRF, params. */
#include "core/error.h"
#include "http/gql_http.h"
#include "test.h"

static const gql_http_opts_t OPTS = {
    .csrf_prevention = true, .batching = false, .max_batch = 10, .json_depth = 32};

static gql_http_input_t post(const char *ctype, const char *accept, const char *body)
{
    gql_http_input_t in = {0};
    in.method = FACET_STR_LIT("POST");
    in.content_type = facet_str_c(ctype);
    in.accept = facet_str_c(accept);
    in.body = body;
    in.body_len = body ? strlen(body) : 0;
    return in;
}

static gql_http_input_t get(const char *qs, const char *accept)
{
    gql_http_input_t in = {0};
    in.method = FACET_STR_LIT("GET");
    in.query_string = facet_str_c(qs);
    in.accept = facet_str_c(accept);
    return in;
}

static gql_media_t negotiate(const char *accept, int expect_rc)
{
    gql_media_t m = GQL_MEDIA_JSON;
    CHECK_EQ_INT(gql_http_negotiate(facet_str_c(accept), &m), expect_rc);
    return m;
}

TEST(negotiation)
{
    CHECK_EQ_INT(negotiate("", FACET_OK), GQL_MEDIA_JSON);
    CHECK_EQ_INT(negotiate("application/json", FACET_OK), GQL_MEDIA_JSON);
    CHECK_EQ_INT(negotiate("application/graphql-response+json", FACET_OK), GQL_MEDIA_GRAPHQL_JSON);
    CHECK_EQ_INT(negotiate("*/*", FACET_OK), GQL_MEDIA_JSON);
    CHECK_EQ_INT(negotiate("application/json, application/graphql-response+json", FACET_OK),
                 GQL_MEDIA_GRAPHQL_JSON);
    CHECK_EQ_INT(negotiate("application/graphql-response+json;q=0.5, application/json", FACET_OK),
                 GQL_MEDIA_JSON);
    CHECK_EQ_INT(negotiate("text/html, */*;q=0.1", FACET_OK), GQL_MEDIA_JSON);
    negotiate("text/html", FACET_ENOTFOUND);
    negotiate("application/json;q=0", FACET_ENOTFOUND);
    /* strtod reads "nan" and "inf": NaN rules the range out, infinity is 1. */
    negotiate("application/json;q=nan", FACET_ENOTFOUND);
    CHECK_EQ_INT(negotiate("application/json;q=nan, */*;q=inf", FACET_OK), GQL_MEDIA_JSON);
}

TEST(post_with_all_parameters)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_http_input_t in = post("application/json; charset=utf-8", "",
                               "{\"query\":\"{ a }\",\"operationName\":\"Q\","
                               "\"variables\":{\"x\":1},\"extensions\":null}");
    gql_http_request_t r;
    gql_http_error_t e;
    CHECK_EQ_INT(gql_http_parse(&a, &in, &OPTS, &r, &e), FACET_OK);
    CHECK(!r.is_get && r.nops == 1 && !r.batch);
    CHECK(r.ops[0].has_query);
    CHECK_SLICE(r.ops[0].query, "{ a }");
    CHECK_SLICE(r.ops[0].operation_name, "Q");
    CHECK(r.ops[0].variables && r.ops[0].variables->kind == GQL_V_OBJECT);
    CHECK(r.ops[0].extensions == NULL);
    facet_arena_free(&a);
}

static gql_http_error_t expect_refusal(gql_http_input_t in, const gql_http_opts_t *o, int status,
                                       bool graphql)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_http_request_t r;
    gql_http_error_t e;
    CHECK_EQ_INT(gql_http_parse(&a, &in, o, &r, &e), FACET_EINVAL);
    CHECK_EQ_INT(e.status, status);
    CHECK_EQ_INT(e.graphql, graphql);
    facet_arena_free(&a);
    return e;
}

TEST(csrf_rule_for_post)
{
    gql_http_error_t e =
        expect_refusal(post("text/plain", "", "{\"query\":\"{a}\"}"), &OPTS, 400, true);
    CHECK(strstr(e.message, "Cross-Site Request Forgery") != NULL);
    expect_refusal(post("", "", "{\"query\":\"{a}\"}"), &OPTS, 400, true);
    expect_refusal(post("multipart/form-data; boundary=x", "", "x"), &OPTS, 400, true);
    /* A preflight header lets a simple type through to the content-type check. */
    gql_http_input_t in = post("text/plain", "", "{\"query\":\"{a}\"}");
    in.preflight_header = true;
    expect_refusal(in, &OPTS, 415, false);
    gql_http_opts_t off = OPTS;
    off.csrf_prevention = false;
    expect_refusal(post("", "", "{}"), &off, 415, false);
}

TEST(malformed_requests_are_400_in_both_media_types)
{
    expect_refusal(post("application/json", "application/json", "{ \"not a JSON"), &OPTS, 400,
                   true);
    expect_refusal(post("application/json", "application/graphql-response+json", "{ \"not JSON"),
                   &OPTS, 400, true);
    expect_refusal(post("application/json", "", ""), &OPTS, 400, true);
    const char *bad[] = {"{\"query\":{\"obj\":1}}",
                         "{\"query\":0}",
                         "{\"query\":false}",
                         "{\"query\":[\"a\"]}",
                         "{\"query\":\"{a}\",\"operationName\":0}",
                         "{\"query\":\"{a}\",\"variables\":\"s\"}",
                         "{\"query\":\"{a}\",\"variables\":[1]}",
                         "{\"query\":\"{a}\",\"extensions\":false}",
                         "[{\"query\":\"{a}\"}]"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        expect_refusal(post("application/json", "application/graphql-response+json", bad[i]), &OPTS,
                       400, true);
        expect_refusal(post("application/json", "application/json", bad[i]), &OPTS, 400, true);
    }
}

TEST(http_level_refusals)
{
    expect_refusal(post("application/json", "text/html", "{}"), &OPTS, 406, false);
    gql_http_input_t in = post("application/json", "", "{}");
    in.method = FACET_STR_LIT("PUT");
    gql_http_error_t e = expect_refusal(in, &OPTS, 405, false);
    CHECK_EQ_STR(e.allow, "GET, HEAD, POST");
    /* A non-simple type needs a preflight from browsers, so CSRF lets it by. */
    expect_refusal(post("application/xml", "", "<a/>"), &OPTS, 415, false);
    expect_refusal(post("application/json; charset=latin1", "", "{}"), &OPTS, 415, false);
}

TEST(missing_query_is_left_to_the_caller)
{
    /* Persisted queries send no query text, so its absence is not refused here. */
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_http_input_t in = post("application/json", "", "{\"qeury\":\"{a}\"}");
    gql_http_request_t r;
    gql_http_error_t e;
    CHECK_EQ_INT(gql_http_parse(&a, &in, &OPTS, &r, &e), FACET_OK);
    CHECK(!r.ops[0].has_query);
    facet_arena_free(&a);
}

TEST(batching)
{
    gql_http_opts_t o = OPTS;
    o.batching = true;
    o.max_batch = 2;
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_http_input_t in = post("application/json", "", "[{\"query\":\"{a}\"},{\"query\":\"{b}\"}]");
    gql_http_request_t r;
    gql_http_error_t e;
    CHECK_EQ_INT(gql_http_parse(&a, &in, &o, &r, &e), FACET_OK);
    CHECK(r.batch && r.nops == 2);
    CHECK_SLICE(r.ops[1].query, "{b}");
    facet_arena_free(&a);
    expect_refusal(post("application/json", "", "[{\"query\":\"{a}\"},{},{}]"), &o, 400, true);
    expect_refusal(post("application/json", "", "[]"), &o, 400, true);
}

TEST(get_parameters)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_http_input_t in = get("query=query+Q(%24n%3A+String!)+%7B+a+%7D&operationName=Q&variables=%"
                              "7B%22n%22%3A%22x%22%7D",
                              "application/graphql-response+json");
    gql_http_request_t r;
    gql_http_error_t e;
    CHECK_EQ_INT(gql_http_parse(&a, &in, &OPTS, &r, &e), FACET_OK);
    CHECK(r.is_get && r.media == GQL_MEDIA_GRAPHQL_JSON);
    CHECK_SLICE(r.ops[0].query, "query Q($n: String!) { a }");
    CHECK_SLICE(r.ops[0].operation_name, "Q");
    const gql_value_t *n = gql_value_get(r.ops[0].variables, FACET_STR_LIT("n"));
    CHECK(n && n->kind == GQL_V_STRING);
    CHECK_SLICE(n->u.s, "x");
    facet_arena_free(&a);
    expect_refusal(get("query=%7Ba%7D&variables=%7Bbad", ""), &OPTS, 400, true);
    expect_refusal(get("query=%ZZ", "application/graphql-response+json"), &OPTS, 400, true);
    expect_refusal(get("query=%7", ""), &OPTS, 400, true);
}

TEST(url_decode)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    facet_str_t out;
    CHECK_EQ_INT(gql_http_url_decode(&a, FACET_STR_LIT("a+b%20c%2b%C3%A9"), &out), FACET_OK);
    CHECK_SLICE(out, "a b c+\xc3\xa9");
    CHECK_EQ_INT(gql_http_url_decode(&a, FACET_STR_LIT("%"), &out), FACET_EINVAL);
    CHECK_EQ_INT(gql_http_url_decode(&a, FACET_STR_LIT("%4"), &out), FACET_EINVAL);
    CHECK_EQ_INT(gql_http_url_decode(&a, FACET_STR_LIT("%4g"), &out), FACET_EINVAL);
    facet_arena_free(&a);
}
