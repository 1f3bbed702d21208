/* libFuzzer target for validation + execution on a fixed schema (the
 * reference workload, plus abstract types, enums, input objects, @oneOf, a
 * custom scalar, a mutation and a subscription) and a fixed JSON root.
 * The input is a query, optionally followed by a NUL byte and variables as
 * JSON. Documents go through the document cache, pass the protection
 * limits, and run with one asynchronous resolver drained like an event
 * loop; the response must always be written, as valid JSON. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "gql/doc_cache.h"
#include "gql/exec.h"
#include "gql/json.h"
#include "gql/validate.h"

#define ASSERT(cond) \
    do {             \
        if (!(cond)) \
            abort(); \
    } while (0)

static const char *SDL =
    "scalar JSON\n"
    "enum Color { RED GREEN BLUE @deprecated(reason: \"no\") }\n"
    "interface Node { id: ID! }\n"
    "type Image implements Node { id: ID!, url: String!, width: Int!, height: Int! }\n"
    "type User implements Node { id: ID!, name: String!, avatar: Image, friends: [User!], color: "
    "Color }\n"
    "type Post implements Node { id: ID!, title: String!, body: String!, likes: Int!, author: "
    "User!,"
    " tags: [String!]!, meta: JSON, score: Float }\n"
    "union Item = Post | User | Image\n"
    "input Filter { minLikes: Int = 0, colors: [Color!], text: String, nested: Filter }\n"
    "input Pick @oneOf { id: ID, title: String }\n"
    "type Query { hello: String!, posts(first: Int = 50, filter: Filter): [Post!]!,"
    " node(id: ID!): Node, items: [Item], pick(by: Pick!): Post, bad: [Int!], matrix: [[Int]],"
    " later(id: ID!): User }\n"
    "type Mutation { like(id: ID!, by: Int = 1): Post!, reset: Boolean }\n"
    "type Subscription { postAdded(tag: String): Post }\n";

static const char *ROOT =
    "{\"hello\":\"world\",\"posts\":["
    "{\"id\":\"p0\",\"title\":\"T0\",\"body\":\"b\",\"likes\":0,\"tags\":[\"a\"],\"meta\":{\"x\":["
    "1]},"
    "\"score\":1.5,\"author\":{\"id\":\"u0\",\"name\":\"Ann\",\"color\":\"RED\",\"avatar\":{\"id\":"
    "\"i0\","
    "\"url\":\"u\",\"width\":256,\"height\":256},\"friends\":[{\"id\":\"u1\",\"name\":\"Bob\"}]}},"
    "{\"id\":\"p1\",\"title\":null,\"body\":\"\\u00e9\",\"likes\":1.5,\"tags\":\"x\",\"author\":"
    "null},"
    "{\"id\":2,\"title\":\"T2\",\"body\":\"b\",\"likes\":\"7\",\"tags\":[null],\"author\":{\"id\":"
    "\"u2\","
    "\"name\":\"Cy\",\"color\":\"PINK\",\"friends\":null}}],"
    "\"node\":{\"__typename\":\"User\",\"id\":\"u0\",\"name\":\"Ann\"},"
    "\"items\":[{\"__typename\":\"Post\",\"id\":\"p9\"},{\"__typename\":\"Image\",\"id\":\"i1\","
    "\"url\":\"v\",\"width\":1,\"height\":2},{\"__typename\":\"Node\"},{},null],"
    "\"pick\":{\"id\":\"p0\",\"title\":\"T0\",\"body\":\"b\",\"likes\":3,\"tags\":[],\"author\":"
    "{\"id\":\"u0\",\"name\":\"Ann\"}},"
    "\"bad\":[1,null,3],\"matrix\":[[1,2],null,[\"x\"]],"
    "\"like\":{\"id\":\"p0\",\"title\":\"T\",\"body\":\"b\",\"likes\":1,\"tags\":[],\"author\":"
    "{\"id\":\"u\",\"name\":\"n\"}},\"reset\":true,"
    "\"postAdded\":{\"id\":\"p5\",\"title\":\"new\"}}";

static gql_schema_t *schema;
static gql_value_t *root;
static facet_arena_t root_arena;
static gql_doc_cache_t cache;

/* Query.later completes from a queue, as an event loop would. */
static gql_resolve_t *parked[256];
static size_t nparked;

static void r_later(gql_resolve_t *r)
{
    if (nparked < 256) {
        parked[nparked++] = r;
        return;
    }
    gql_resolve_fail(r, NULL, "queue full");
}

static void drain(void)
{
    size_t n = nparked;
    gql_resolve_t *copy[256];
    memcpy(copy, parked, n * sizeof *copy);
    nparked = 0;
    for (size_t i = 0; i < n; i++) {
        const gql_value_t *id = gql_resolve_arg(copy[i], "id");
        if (id && id->kind == GQL_V_STRING && id->u.s.len == 1 && id->u.s.base[0] == 'e')
            gql_resolve_fail(copy[i], "NOT_FOUND", "no user %.*s", (int)id->u.s.len, id->u.s.base);
        else
            gql_resolve_json(copy[i], gql_value_get(root, FACET_STR_LIT("node")));
    }
}

static void setup(void)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_error_list_t errors;
    gql_errors_init(&errors, &a, 0);
    facet_str_t src = facet_str_c(SDL);
    ASSERT(gql_schema_build(&src, 1, &schema, &errors) == FACET_OK);
    facet_arena_free(&a);
    gql_field_bind(gql_type_field(schema->query, FACET_STR_LIT("later")), r_later, NULL);
    facet_arena_init(&root_arena, 0);
    ASSERT(gql_json_parse(&root_arena, ROOT, strlen(ROOT), 0, &root, NULL, 0) == FACET_OK);
    ASSERT(gql_doc_cache_init(&cache, schema, 8, 64 * 1024) == FACET_OK);
    cache.parse_limits = (gql_parse_limits_t){8192, 2000, 32};
}

static void run(const gql_ast_document_t *doc, const gql_value_t *vars, bool no_intro)
{
    facet_arena_t a;
    facet_arena_init(&a, 8 * 1024 * 1024);
    gql_exec_opts_t o = {.schema = schema,
                         .doc = doc,
                         .variables = vars,
                         .root_json = root,
                         .no_introspection = no_intro,
                         .hide_suggestions = no_intro};
    gql_exec_t *ex = NULL;
    int rc = gql_exec_start(&a, &o, &ex);
    ASSERT(rc == FACET_OK || rc == FACET_EAGAIN);
    for (int guard = 0; rc == FACET_EAGAIN && !gql_exec_finished(ex) && guard < 64; guard++)
        drain();
    ASSERT(gql_exec_finished(ex));
    facet_buf_t out;
    facet_buf_init(&out, 4 * 1024 * 1024);
    rc = gql_exec_write(ex, &out);
    ASSERT(rc == FACET_OK || rc == FACET_ELIMIT);
    if (rc == FACET_OK) {
        gql_value_t *parsed;
        ASSERT(gql_json_parse(&a, out.base, out.len, 0, &parsed, NULL, 0) != FACET_EINVAL);
    }
    facet_buf_free(&out);
    gql_subscription_t sub;
    gql_error_list_t errors;
    gql_errors_init(&errors, &a, 0);
    const gql_ast_operation_t *op = gql_exec_operation(ex);
    if (op && op->operation == GQL_OP_SUBSCRIPTION)
        gql_subscribe_prepare(&a, &o, &sub, &errors);
    facet_arena_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!schema)
        setup();
    if (size > 8192)
        return 0;
    const char *text = (const char *)data;
    const char *nul = memchr(text, 0, size);
    size_t qlen = nul ? (size_t)(nul - text) : size;
    facet_arena_t a;
    facet_arena_init(&a, 1024 * 1024);
    gql_value_t *vars = NULL;
    if (nul && gql_json_parse(&a, nul + 1, size - qlen - 1, 16, &vars, NULL, 0) != FACET_OK)
        vars = NULL;
    gql_error_list_t errors;
    gql_errors_init(&errors, &a, 0);
    gql_doc_t *d = NULL;
    if (gql_doc_cache_get(&cache, text, qlen, &d, &errors) == FACET_OK) {
        gql_limits_t lim = GQL_LIMITS_DEFAULT;
        if (gql_check_limits(schema, d->doc, NULL, vars, &lim, &errors) == FACET_OK)
            run(d->doc, vars, size & 1);
        gql_doc_release(d);
    }
    facet_arena_free(&a);
    return 0;
}
