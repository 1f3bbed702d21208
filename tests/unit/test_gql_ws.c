/* Tests for graphql-transport-ws message reading and writing. */
#include "core/error.h"
#include "http/gql_ws.h"
#include "test.h"

static int parse(facet_arena_t *a, const char *text, gql_ws_message_t *m, char *reason)
{
    return gql_ws_parse(a, text, strlen(text), 32, m, reason, 256);
}

TEST(reads_every_client_message)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_ws_message_t m;
    char reason[256];
    CHECK_EQ_INT(
        parse(&a, "{\"type\":\"connection_init\",\"payload\":{\"token\":\"t\"}}", &m, reason),
        FACET_OK);
    CHECK(m.type == GQL_WS_CONNECTION_INIT && m.payload != NULL);
    CHECK_EQ_INT(parse(&a, "{\"type\":\"connection_init\"}", &m, reason), FACET_OK);
    CHECK(m.payload == NULL);
    CHECK_EQ_INT(parse(&a, "{\"type\":\"ping\",\"payload\":null}", &m, reason), FACET_OK);
    CHECK_EQ_INT(m.type, GQL_WS_PING);
    CHECK_EQ_INT(parse(&a, "{\"type\":\"pong\"}", &m, reason), FACET_OK);
    CHECK_EQ_INT(m.type, GQL_WS_PONG);
    CHECK_EQ_INT(parse(&a,
                       "{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{ a }\","
                       "\"operationName\":null,\"variables\":{\"x\":2},\"extensions\":null}}",
                       &m, reason),
                 FACET_OK);
    CHECK_EQ_INT(m.type, GQL_WS_SUBSCRIBE);
    CHECK_SLICE(m.id, "1");
    CHECK_SLICE(m.query, "{ a }");
    CHECK(m.operation_name.base == NULL && m.variables && !m.extensions);
    CHECK_EQ_INT(parse(&a, "{\"type\":\"complete\",\"id\":\"1\"}", &m, reason), FACET_OK);
    CHECK_EQ_INT(m.type, GQL_WS_COMPLETE);
    facet_arena_free(&a);
}

static void expect_invalid(const char *text, const char *fragment)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_ws_message_t m;
    char reason[256] = "";
    CHECK_EQ_INT(parse(&a, text, &m, reason), FACET_EINVAL);
    if (!strstr(reason, fragment)) {
        fprintf(stderr, "reason \"%s\" lacks \"%s\"\n", reason, fragment);
        exit(1);
    }
    facet_arena_free(&a);
}

TEST(refuses_invalid_messages)
{
    expect_invalid("nope", "not valid JSON");
    expect_invalid("[1]", "expected to be an object");
    expect_invalid("{\"id\":\"1\"}", "'type'");
    expect_invalid("{\"type\":\"next\",\"id\":\"1\"}", "Invalid message 'type' property \"next\"");
    expect_invalid("{\"type\":\"subscribe\",\"payload\":{\"query\":\"{a}\"}}", "'id'");
    expect_invalid("{\"type\":\"subscribe\",\"id\":\"\",\"payload\":{\"query\":\"{a}\"}}",
                   "non-empty");
    expect_invalid("{\"type\":\"subscribe\",\"id\":\"1\"}", "'payload'");
    expect_invalid("{\"type\":\"subscribe\",\"id\":\"1\",\"payload\":{\"query\":1}}", "'query'");
    expect_invalid(
        "{\"type\":\"subscribe\",\"id\":\"1\",\"payload\":{\"query\":\"{a}\",\"variables\":[]}}",
        "'variables'");
    expect_invalid("{\"type\":\"complete\"}", "'id'");
    expect_invalid("{\"type\":\"connection_init\",\"payload\":\"x\"}", "'payload'");
}

TEST(writes_server_messages)
{
    facet_buf_t b;
    facet_buf_init(&b, 0);
    gql_ws_write_simple(&b, "connection_ack", NULL);
    CHECK_SLICE(facet_str(b.base, b.len), "{\"type\":\"connection_ack\"}");
    facet_buf_reset(&b);
    gql_ws_write_next(&b, FACET_STR_LIT("a\"1"), "{\"data\":{}}", 11);
    CHECK_SLICE(facet_str(b.base, b.len),
                "{\"id\":\"a\\\"1\",\"type\":\"next\",\"payload\":{\"data\":{}}}");
    facet_buf_reset(&b);
    gql_ws_write_complete(&b, FACET_STR_LIT("7"));
    CHECK_SLICE(facet_str(b.base, b.len), "{\"id\":\"7\",\"type\":\"complete\"}");
    facet_buf_free(&b);
}
