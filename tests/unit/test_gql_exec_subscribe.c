/* Tests for the subscription entry points: preparing the source stream
 * (root field, coerced arguments, request errors) and executing the
 * selection set once per event with the event as the root value. */
#include "test_gql_exec.h"

static const char *SDL =
    "type Query { a: Int }"
    "type Post { id: ID!, title: String!, likes: Int }"
    "type Subscription { postAdded(topic: String!, limit: Int = 10): Post!, tick: Int }";

typedef struct sub {
    facet_arena_t a;
    gql_exec_opts_t o;
} sub_t;

static void sub_init(sub_t *t, gql_schema_t *s, const char *query, const char *vars)
{
    facet_arena_init(&t->a, 0);
    t->o = (gql_exec_opts_t){
        .schema = s, .doc = tx_doc(&t->a, s, query), .variables = tx_json(&t->a, vars)};
}

TEST(prepare_gives_field_and_coerced_arguments)
{
    gql_schema_t *s = tx_schema(SDL);
    sub_t t;
    sub_init(&t, s, "subscription S($t: String!) { p: postAdded(topic: $t) { id title } }",
             "{\"t\":\"news\"}");
    gql_error_list_t errors;
    gql_errors_init(&errors, &t.a, 0);
    gql_subscription_t sub;
    CHECK_EQ_INT(gql_subscribe_prepare(&t.a, &t.o, &sub, &errors), FACET_OK);
    CHECK_EQ_INT(errors.count, 0);
    CHECK_SLICE(sub.field->name, "postAdded");
    CHECK_SLICE(sub.key, "p");
    const gql_value_t *topic = gql_value_get(sub.args, FACET_STR_LIT("topic"));
    const gql_value_t *limit = gql_value_get(sub.args, FACET_STR_LIT("limit"));
    CHECK(topic && topic->kind == GQL_V_STRING);
    CHECK_SLICE(topic->u.s, "news");
    CHECK(limit && limit->kind == GQL_V_INT && limit->u.i == 10);
    facet_arena_free(&t.a);
    gql_schema_free(s);
}

TEST(prepare_reports_variable_errors)
{
    gql_schema_t *s = tx_schema(SDL);
    sub_t t;
    sub_init(&t, s, "subscription ($t: String!) { postAdded(topic: $t) { id } }", "{}");
    gql_error_list_t errors;
    gql_errors_init(&errors, &t.a, 0);
    gql_subscription_t sub;
    CHECK_EQ_INT(gql_subscribe_prepare(&t.a, &t.o, &sub, &errors), FACET_EINVAL);
    CHECK_EQ_INT(errors.count, 1);
    CHECK_SLICE(errors.head->message,
                "Variable \"$t\" of required type \"String!\" was not provided.");
    CHECK(sub.field == NULL);
    facet_arena_free(&t.a);
    gql_schema_free(s);
}

TEST(prepare_refuses_queries)
{
    gql_schema_t *s = tx_schema(SDL);
    sub_t t;
    sub_init(&t, s, "{ a }", NULL);
    gql_error_list_t errors;
    gql_errors_init(&errors, &t.a, 0);
    gql_subscription_t sub;
    CHECK_EQ_INT(gql_subscribe_prepare(&t.a, &t.o, &sub, &errors), FACET_EINVAL);
    CHECK_SLICE(errors.head->message, "Operation is not a subscription.");
    facet_arena_free(&t.a);
    gql_schema_free(s);
}

TEST(event_executes_with_event_as_root)
{
    gql_schema_t *s = tx_schema(SDL);
    sub_t t;
    sub_init(&t, s, "subscription { postAdded(topic: \"x\") { id title likes } }", NULL);
    const char *events[] = {
        "{\"postAdded\":{\"id\":1,\"title\":\"Hi\",\"likes\":3}}",
        "{\"postAdded\":{\"id\":\"p2\",\"likes\":1.5}}",
    };
    const char *want[] = {
        "{\"data\":{\"postAdded\":{\"id\":\"1\",\"title\":\"Hi\",\"likes\":3}}}",
        "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field Post.title.\","
        "\"locations\":[{\"line\":1,\"column\":43}],\"path\":[\"postAdded\",\"title\"]}],\"data\":"
        "null}",
    };
    for (int i = 0; i < 2; i++) {
        facet_arena_t ea;
        facet_arena_init(&ea, 0);
        gql_exec_t *ex;
        CHECK_EQ_INT(gql_subscribe_event(&ea, &t.o, tx_json(&ea, events[i]), &ex), FACET_OK);
        char *r = tx_response(ex);
        CHECK_EQ_STR(r, want[i]);
        free(r);
        facet_arena_free(&ea);
    }
    facet_arena_free(&t.a);
    gql_schema_free(s);
}
