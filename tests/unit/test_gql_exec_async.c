/* Tests for the continuation-based execution model: resolvers bound to
 * fields that complete at once or later (from a queue the test drains, as
 * an event loop would), the wave hook and its batches, serial mutations,
 * host objects, type resolution, errors with codes, and cancellation. */
#include "test_gql_exec.h"

static const char *SDL =
    "type Query { user(id: ID!): User, users(ids: [ID!]!): [User!]!, node(id: ID!): Node,"
    " fail: Int, failHard: Int!, echo(x: Int = 7): Int }"
    "interface Node { id: ID! }"
    "type User implements Node { id: ID!, name: String, best: User, loose: Int }"
    "type Mutation { inc(by: Int!): Int!, boom: Int! }";

typedef struct user {
    const char *id, *name;
    int best; /* index, -1 for none */
} user_t;

static const user_t USERS[] = {{"u0", "Ann", 1}, {"u1", "Bob", 2}, {"u2", "Cy", -1}};

static const user_t *find_user(const char *id, size_t len)
{
    for (size_t i = 0; i < 3; i++)
        if (strlen(USERS[i].id) == len && memcmp(USERS[i].id, id, len) == 0)
            return &USERS[i];
    return NULL;
}

/* ---- a pretend event loop: resolvers park here until drained ---- */

typedef struct parked {
    gql_resolve_t *r;
    const void *host; /* complete with this host object (or json) */
    const gql_value_t *json;
    bool is_json;
} parked_t;

static parked_t queue[64];
static size_t nqueue;
static size_t batches[16], nbatches; /* queue length at each wave hook */
static char log_buf[256];

static void park_host(gql_resolve_t *r, const void *host)
{
    CHECK(nqueue < 64);
    queue[nqueue++] = (parked_t){r, host, NULL, false};
}

static void drain(void)
{
    size_t n = nqueue;
    parked_t copy[64];
    memcpy(copy, queue, n * sizeof *copy);
    nqueue = 0;
    for (size_t i = 0; i < n; i++) {
        if (copy[i].is_json)
            gql_resolve_json(copy[i].r, copy[i].json);
        else
            gql_resolve_host(copy[i].r, copy[i].host, NULL);
    }
}

static void on_wave(void *ctx)
{
    (void)ctx;
    if (nbatches < 16)
        batches[nbatches++] = nqueue;
}

static int done_calls;
static void on_done(gql_exec_t *ex, void *ctx)
{
    (void)ex;
    (void)ctx;
    done_calls++;
}

/* ---- resolvers ---- */

static void r_user(gql_resolve_t *r)
{
    const gql_value_t *id = gql_resolve_arg(r, "id");
    park_host(r, find_user(id->u.s.base, id->u.s.len));
}

static void r_best(gql_resolve_t *r)
{
    const user_t *u = gql_resolve_parent_host(r);
    park_host(r, u->best >= 0 ? &USERS[u->best] : NULL);
}

static void r_string_member(gql_resolve_t *r)
{
    /* Synchronous: reads the host struct at once. */
    const user_t *u = gql_resolve_parent_host(r);
    const char *s = gql_resolve_data(r) ? u->id : u->name;
    gql_resolve_json(r, gql_value_new_string(gql_resolve_arena(r), facet_str_c(s)));
}

static void r_users(gql_resolve_t *r)
{
    const gql_value_t *ids = gql_resolve_arg(r, "ids");
    const void *objs[8];
    size_t n = ids->u.list.n < 8 ? ids->u.list.n : 8;
    for (size_t i = 0; i < n; i++)
        objs[i] = find_user(ids->u.list.items[i]->u.s.base, ids->u.list.items[i]->u.s.len);
    gql_resolve_host_list(r, objs, NULL, n);
}

static void r_node(gql_resolve_t *r)
{
    const gql_value_t *id = gql_resolve_arg(r, "id");
    gql_resolve_host(r, find_user(id->u.s.base, id->u.s.len), NULL);
}

static const gql_type_t *user_type;
static const gql_type_t *resolve_type(void *ctx, const void *host, const gql_type_t *abstract)
{
    (void)ctx;
    (void)host;
    (void)abstract;
    return user_type;
}

static void r_fail(gql_resolve_t *r)
{
    gql_resolve_fail(r, "FORBIDDEN", "not for %s", "you");
}

static void r_echo(gql_resolve_t *r)
{
    gql_resolve_json(r, gql_resolve_arg(r, "x"));
}

static int counter;
static void r_inc(gql_resolve_t *r)
{
    /* Serial execution: the previous mutation field has completed. */
    CHECK_EQ_INT(nqueue, 0);
    const gql_value_t *by = gql_resolve_arg(r, "by");
    counter += (int)by->u.i;
    snprintf(log_buf + strlen(log_buf), sizeof log_buf - strlen(log_buf), "inc%d;", (int)by->u.i);
    gql_value_t *v = gql_value_new_int(gql_resolve_arena(r), counter);
    CHECK(nqueue < 64);
    queue[nqueue++] = (parked_t){r, NULL, v, true};
}

static void r_boom(gql_resolve_t *r)
{
    strcat(log_buf, "boom;");
    gql_resolve_json(r, NULL);
}

static gql_schema_t *bound_schema(void)
{
    gql_schema_t *s = tx_schema(SDL);
    gql_type_t *q = s->query, *u = gql_schema_type(s, FACET_STR_LIT("User"));
    gql_type_t *m = s->mutation;
    user_type = u;
    gql_field_bind(gql_type_field(q, FACET_STR_LIT("user")), r_user, NULL);
    gql_field_bind(gql_type_field(q, FACET_STR_LIT("users")), r_users, NULL);
    gql_field_bind(gql_type_field(q, FACET_STR_LIT("node")), r_node, NULL);
    gql_field_bind(gql_type_field(q, FACET_STR_LIT("fail")), r_fail, NULL);
    gql_field_bind(gql_type_field(q, FACET_STR_LIT("failHard")), r_fail, NULL);
    gql_field_bind(gql_type_field(q, FACET_STR_LIT("echo")), r_echo, NULL);
    gql_field_bind(gql_type_field(u, FACET_STR_LIT("best")), r_best, NULL);
    gql_field_bind(gql_type_field(u, FACET_STR_LIT("name")), r_string_member, NULL);
    gql_field_bind(gql_type_field(u, FACET_STR_LIT("id")), r_string_member, (void *)1);
    gql_field_bind(gql_type_field(m, FACET_STR_LIT("inc")), r_inc, NULL);
    gql_field_bind(gql_type_field(m, FACET_STR_LIT("boom")), r_boom, NULL);
    return s;
}

/* Starts query; drains the queue until the execution finishes. */
static char *run_async(gql_schema_t *s, const char *query, int *rc_out)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_exec_opts_t o = {.schema = s,
                         .doc = tx_doc(&a, s, query),
                         .on_wave_dispatched = on_wave,
                         .on_done = on_done,
                         .resolve_type = resolve_type};
    gql_exec_t *ex;
    int rc = gql_exec_start(&a, &o, &ex);
    if (rc_out)
        *rc_out = rc;
    for (int guard = 0; !gql_exec_finished(ex) && guard < 100; guard++) {
        CHECK(nqueue > 0);
        drain();
    }
    char *r = tx_response(ex);
    facet_arena_free(&a);
    return r;
}

TEST(waves_batch_each_level)
{
    gql_schema_t *s = bound_schema();
    int rc;
    char *r =
        run_async(s,
                  "{ a: user(id: \"u0\") { name best { name best { id name best { name } } } }"
                  " b: user(id: \"u2\") { id best { name } } }",
                  &rc);
    CHECK_EQ_INT(rc, FACET_EAGAIN);
    CHECK_EQ_STR(r,
                 "{\"data\":{\"a\":{\"name\":\"Ann\",\"best\":{\"name\":\"Bob\",\"best\":{\"id\":"
                 "\"u2\",\"name\":\"Cy\",\"best\":null}}},\"b\":{\"id\":\"u2\",\"best\":null}}}");
    /* Level 1: two users; level 2: both "best"; level 3: one; level 4: one. */
    CHECK_EQ_INT(nbatches, 4);
    CHECK_EQ_INT(batches[0], 2);
    CHECK_EQ_INT(batches[1], 2);
    CHECK_EQ_INT(batches[2], 1);
    CHECK_EQ_INT(batches[3], 1);
    CHECK_EQ_INT(done_calls, 1);
    free(r);
    gql_schema_free(s);
}

TEST(synchronous_resolvers_finish_in_start)
{
    gql_schema_t *s = bound_schema();
    int rc;
    char *r =
        run_async(s, "{ users(ids: [\"u1\", \"u0\"]) { id name } e: echo d: echo(x: 3) }", &rc);
    CHECK_EQ_INT(rc, FACET_OK);
    CHECK_EQ_INT(done_calls, 0);
    CHECK_EQ_INT(nbatches, 0);
    CHECK_EQ_STR(r,
                 "{\"data\":{\"users\":[{\"id\":\"u1\",\"name\":\"Bob\"},{\"id\":\"u0\",\"name\":"
                 "\"Ann\"}],\"e\":7,\"d\":3}}");
    free(r);
    gql_schema_free(s);
}

TEST(host_objects_and_type_resolution)
{
    gql_schema_t *s = bound_schema();
    char *r = run_async(
        s,
        "{ node(id: \"u1\") { __typename id ... on User { name } } none: node(id: \"x\") { id } }",
        NULL);
    CHECK_EQ_STR(r, "{\"data\":{\"node\":{\"__typename\":\"User\",\"id\":\"u1\",\"name\":\"Bob\"},"
                    "\"none\":null}}");
    free(r);
    gql_schema_free(s);
}

TEST(host_field_without_resolver_fails)
{
    gql_schema_t *s = bound_schema();
    char *r = run_async(s, "{ users(ids: [\"u0\"]) { loose } }", NULL);
    CHECK_EQ_STR(r,
                 "{\"errors\":[{\"message\":\"No resolver is bound to field \\\"User.loose\\\".\","
                 "\"locations\":[{\"line\":1,\"column\":24}],\"path\":[\"users\",0,\"loose\"]}],"
                 "\"data\":{\"users\":[{\"loose\":null}]}}");
    free(r);
    gql_schema_free(s);
}

TEST(resolver_errors_carry_codes_and_propagate)
{
    gql_schema_t *s = bound_schema();
    char *r = run_async(s, "{ fail echo }", NULL);
    CHECK_EQ_STR(
        r, "{\"errors\":[{\"message\":\"not for you\",\"locations\":[{\"line\":1,\"column\":3}],"
           "\"path\":[\"fail\"],\"extensions\":{\"code\":\"FORBIDDEN\"}}],\"data\":{\"fail\":null,"
           "\"echo\":7}}");
    free(r);
    r = run_async(s, "{ echo failHard }", NULL);
    CHECK_EQ_STR(
        r, "{\"errors\":[{\"message\":\"not for you\",\"locations\":[{\"line\":1,\"column\":8}],"
           "\"path\":[\"failHard\"],\"extensions\":{\"code\":\"FORBIDDEN\"}}],\"data\":null}");
    free(r);
    gql_schema_free(s);
}

TEST(mutations_run_serially)
{
    gql_schema_t *s = bound_schema();
    int rc;
    char *r = run_async(s, "mutation { a: inc(by: 1) b: inc(by: 2) c: inc(by: 3) }", &rc);
    CHECK_EQ_INT(rc, FACET_EAGAIN);
    CHECK_EQ_STR(log_buf, "inc1;inc2;inc3;");
    CHECK_EQ_STR(r, "{\"data\":{\"a\":1,\"b\":3,\"c\":6}}");
    free(r);
    gql_schema_free(s);
}

TEST(mutation_stops_after_root_failure)
{
    gql_schema_t *s = bound_schema();
    char *r = run_async(s, "mutation { a: inc(by: 1) boom b: inc(by: 2) }", NULL);
    CHECK_EQ_STR(log_buf, "inc1;boom;");
    CHECK_EQ_STR(
        r, "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field "
           "Mutation.boom.\",\"locations\":[{\"line\":1,\"column\":26}],\"path\":[\"boom\"]}],"
           "\"data\":null}");
    free(r);
    gql_schema_free(s);
}

TEST(cancel_waits_for_outstanding_resolvers)
{
    gql_schema_t *s = bound_schema();
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_exec_opts_t o = {
        .schema = s,
        .doc =
            tx_doc(&a, s, "{ a: user(id: \"u0\") { best { name } } b: user(id: \"u1\") { name } }"),
        .on_done = on_done};
    gql_exec_t *ex;
    CHECK_EQ_INT(gql_exec_start(&a, &o, &ex), FACET_EAGAIN);
    CHECK_EQ_INT(nqueue, 2);
    gql_exec_cancel(ex);
    CHECK(!gql_exec_finished(ex));
    drain();
    /* Nothing new was dispatched after the cancel. */
    CHECK_EQ_INT(nqueue, 0);
    CHECK(gql_exec_finished(ex));
    CHECK_EQ_INT(done_calls, 1);
    facet_arena_free(&a);
    gql_schema_free(s);
}

TEST(variables_reach_resolvers_coerced)
{
    gql_schema_t *s = bound_schema();
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_exec_opts_t o = {.schema = s,
                         .doc = tx_doc(&a, s, "query ($ids: [ID!]!) { users(ids: $ids) { id } }"),
                         .variables = tx_json(&a, "{\"ids\":\"u2\"}")};
    gql_exec_t *ex;
    CHECK_EQ_INT(gql_exec_start(&a, &o, &ex), FACET_OK);
    char *r = tx_response(ex);
    /* A single value is coerced to a list of one. */
    CHECK_EQ_STR(r, "{\"data\":{\"users\":[{\"id\":\"u2\"}]}}");
    free(r);
    facet_arena_free(&a);
    gql_schema_free(s);
}
