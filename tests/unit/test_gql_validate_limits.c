/* Tests for gql_check_limits: each protection limit (depth, aliases, root
 * fields, directives, tokens, cost with list multipliers from arguments and
 * variables), fragments followed once, cycles and exponential spreads, and
 * defaults that let real clients and introspection through. */
#include "test_gql_validate_fixture.h"

#include "gql/value.h"

static const char introspection_query[] =
    "query IntrospectionQuery { __schema { queryType { name kind } mutationType { name kind } "
    "subscriptionType { name kind } types { ...FullType } directives { name description "
    "locations args { ...InputValue } } } } fragment FullType on __Type { kind name "
    "description fields(includeDeprecated: true) { name description args { ...InputValue } "
    "type { ...TypeRef } isDeprecated deprecationReason } inputFields { ...InputValue } "
    "interfaces { ...TypeRef } enumValues(includeDeprecated: true) { name description "
    "isDeprecated deprecationReason } possibleTypes { ...TypeRef } } fragment InputValue on "
    "__InputValue { name description type { ...TypeRef } defaultValue } fragment TypeRef on "
    "__Type { kind name ofType { name kind ofType { name kind ofType { name kind ofType { "
    "name kind ofType { name kind ofType { name kind ofType { name kind ofType { name kind "
    "ofType { name kind } } } } } } } } } }";

/* Checks query against lim (with optional variables) and compares the
 * errors, formatted as in the validation fixture. */
static void limits(const char *query, const gql_limits_t *lim, const gql_value_t *variables,
                   const char *expected, int line)
{
    gql_schema_t *s = fixture_build(fixture_sdl);
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_error_list_t errors;
    gql_errors_init(&errors, &a, 0);
    gql_ast_document_t *doc = NULL;
    CHECK_EQ_INT(gql_parse(&a, query, strlen(query), NULL, &doc, &errors), FACET_OK);
    int rc = gql_check_limits(s, doc, NULL, variables, lim, &errors);
    facet_buf_t got;
    facet_buf_init(&got, 0);
    fixture_format(&errors, &got);
    if (strcmp(got.base, expected) != 0 || rc != (*expected ? FACET_ELIMIT : FACET_OK)) {
        fprintf(stderr, "line %d: rc %d\ngot:\n%s\nexpected:\n%s\n", line, rc, got.base, expected);
        exit(1);
    }
    facet_buf_free(&got);
    facet_arena_free(&a);
    gql_schema_free(s);
}

#define LIMITS(q, lim, vars, expected) limits((q), (lim), (vars), (expected), __LINE__)

TEST(defaults_let_real_queries_through)
{
    gql_limits_t lim = GQL_LIMITS_DEFAULT;
    LIMITS(introspection_query, &lim, NULL, "");
    LIMITS("query Q($id: ID) { human(id: $id) { name pets { name ... on Dog { mother { name } } } "
           "relatives { name } } list(first: 50) { name nickname mother { name } } }",
           &lim, NULL, "");
    /* Without the exemption its nested lists (types, fields, args, each
     * counted as 10 items) cost more than the default allows. */
    lim.ignore_introspection = false;
    LIMITS(introspection_query, &lim, NULL, "Query cost limit of 5000 exceeded, found 6069. @1:1");
}

TEST(depth)
{
    gql_limits_t lim = GQL_LIMITS_DEFAULT;
    lim.max_depth = 3;
    LIMITS("{ dog { mother { name } } }", &lim, NULL, "");
    LIMITS("{ dog { mother { mother { name } } } cat { name } }", &lim, NULL,
           "Query depth limit of 3 exceeded, found 4. @1:27");
    /* Fragments count where they are spread; __typename does not count. */
    LIMITS("{ dog { ...M } } fragment M on Dog { mother { mother { __typename } } }", &lim, NULL,
           "");
    LIMITS("{ dog { ...M } } fragment M on Dog { mother { ... on Dog { mother { name } } } }", &lim,
           NULL, "Query depth limit of 3 exceeded, found 4. @1:69");
    /* A fragment that spreads itself counts as empty instead of looping. */
    LIMITS("{ dog { ...M } } fragment M on Dog { mother { ...M } }", &lim, NULL, "");
    /* Introspection is exempt unless configured otherwise. */
    LIMITS("{ __schema { types { fields { type { name } } } } }", &lim, NULL, "");
    lim.ignore_introspection = false;
    LIMITS("{ __schema { types { fields { type { name } } } } }", &lim, NULL,
           "Query depth limit of 3 exceeded, found 5. @1:38");
}

TEST(aliases_and_root_fields)
{
    gql_limits_t lim = GQL_LIMITS_DEFAULT;
    lim.max_aliases = 2;
    lim.max_root_fields = 3;
    LIMITS("{ a: dog { n: name } b: cat { name } }", &lim, NULL,
           "Aliases limit of 2 exceeded, found 3. @1:1");
    /* A fragment's aliases count at every spread. */
    LIMITS("{ dog { ...F } cat { name } } fragment F on Dog { a: name } query Q { dog { ...F "
           "mother { ...F } } }",
           &lim, NULL, "");
    LIMITS("query Q { dog { ...F mother { ...F mother { ...F } } } } fragment F on Dog { a: name }",
           &lim, NULL, "Aliases limit of 2 exceeded, found 3. @1:1");
    LIMITS("{ dog { name } cat { name } ...R } fragment R on QueryRoot { human { name } ... { "
           "alien { iq } } }",
           &lim, NULL, "Root fields limit of 3 exceeded, found 4. @1:1");
}

TEST(directives_and_tokens)
{
    gql_limits_t lim = GQL_LIMITS_DEFAULT;
    lim.max_directives = 2;
    LIMITS("{ dog @onField @onField { name @skip(if: false) @include(if: true) } }", &lim, NULL,
           "");
    LIMITS("{ dog { name ...F @include(if: true) @skip(if: false) @include(if: true) } } "
           "fragment F on Dog { nickname }",
           &lim, NULL, "Directives limit of 2 exceeded, found 3. @1:14");
    lim = GQL_LIMITS_DEFAULT;
    lim.max_tokens = 8;
    LIMITS("{ dog { name } }", &lim, NULL, "");
    LIMITS("{ dog { name nickname barks } cat }", &lim, NULL,
           "Token limit of 8 exceeded, found 9.");
}

TEST(cost)
{
    gql_limits_t lim = GQL_LIMITS_DEFAULT;
    lim.max_cost = 300;
    /* 2 (list) + 100 * (2 (mother) + 1 (name)) = 302 */
    LIMITS("{ list(first: 100) { mother { name } } }", &lim, NULL,
           "Query cost limit of 300 exceeded, found 302. @1:1");
    LIMITS("{ list(first: 99) { mother { name } } }", &lim, NULL, "");
    /* The larger of first and last; no argument means default_list_size. */
    LIMITS("{ list(first: 1, last: 400) { name } }", &lim, NULL,
           "Query cost limit of 300 exceeded, found 402. @1:1");
    lim.default_list_size = 500;
    LIMITS("{ list { name } }", &lim, NULL, "Query cost limit of 300 exceeded, found 502. @1:1");
    lim.default_list_size = 10;
    LIMITS("{ list { name } }", &lim, NULL, "");
    /* A variable: its value, else its default, else default_list_size. */
    const char *q = "query Q($n: Int = 200) { list(first: $n) { name } }";
    LIMITS(q, &lim, NULL, "");
    q = "query Q($n: Int = 400) { list(first: $n) { name } }";
    LIMITS(q, &lim, NULL, "Query cost limit of 300 exceeded, found 402. @1:1");
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_value_t *vars = gql_value_new_object(&a, 1);
    CHECK(vars);
    vars->u.obj.members[0].key = FACET_STR_LIT("n");
    vars->u.obj.members[0].value = gql_value_new_int(&a, 5);
    LIMITS(q, &lim, vars, "");
    vars->u.obj.members[0].value = gql_value_new_int(&a, -5);
    LIMITS(q, &lim, vars, "");
    vars->u.obj.members[0].value = gql_value_new_float(&a, 1000);
    LIMITS(q, &lim, vars, "Query cost limit of 300 exceeded, found 1002. @1:1");
    LIMITS("query Q($n: Int) { list(first: $n) { name } }", &lim, NULL, "");
    facet_arena_free(&a);
}

/* Each fragment spreads the next one twice: the executed operation has
 * 2^40 fields, which is measured without expanding it. */
TEST(exponential_fragments)
{
    facet_buf_t q;
    facet_buf_init(&q, 0);
    facet_buf_append_str(&q, "{ dog { ...F0 } }");
    for (int i = 0; i < 40; i++)
        facet_buf_printf(&q, " fragment F%d on Dog { ...F%d a: mother { ...F%d } }", i, i + 1,
                         i + 1);
    facet_buf_append_str(&q, " fragment F40 on Dog { name }");
    facet_buf_append(&q, "", 1);
    gql_limits_t lim = GQL_LIMITS_DEFAULT;
    lim.max_depth = 0;
    LIMITS(q.base, &lim, NULL,
           "Aliases limit of 30 exceeded, found 1099511627775. @1:1\n"
           "Query cost limit of 5000 exceeded, found 3298534883328. @1:1");
    facet_buf_free(&q);
}

TEST(one_operation)
{
    gql_schema_t *s = fixture_build(fixture_sdl);
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_error_list_t errors;
    gql_errors_init(&errors, &a, 0);
    const char *q = "query A { a: dog { name } b: dog { name } } query B { dog { name } }";
    gql_ast_document_t *doc = NULL;
    CHECK_EQ_INT(gql_parse(&a, q, strlen(q), NULL, &doc, &errors), FACET_OK);
    gql_limits_t lim = GQL_LIMITS_DEFAULT;
    lim.max_aliases = 1;
    CHECK_EQ_INT(gql_check_limits(s, doc, doc->definitions[1].u.operation, NULL, &lim, &errors),
                 FACET_OK);
    CHECK_EQ_INT(gql_check_limits(s, doc, doc->definitions[0].u.operation, NULL, &lim, &errors),
                 FACET_ELIMIT);
    CHECK_EQ_INT(errors.count, 1);
    /* Zero turns every bound off. */
    gql_limits_t off = {0};
    CHECK_EQ_INT(gql_check_limits(s, doc, NULL, NULL, &off, &errors), FACET_OK);
    facet_arena_free(&a);
    gql_schema_free(s);
}
