/* Internal errors masked in responses (app/errors.c): what the client sees,
 * and the log line that keeps the real message with the request id. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app/app.h"
#include "app/errors.h"
#include "core/log.h"
#include "test_gql_exec.h"

#define SDL    "type Query { a: Int, b: String!, c: [O], d: Int, e: Int } type O { x: Int }"
#define MASKED "{\"message\":\"Internal server error\",\"locations\":[{\"line\":1,\"column\":3}],"

/* Log lines go to a temporary file that the test reads back. */
static FILE *log_file;

static void capture_log(void)
{
    log_file = tmpfile();
    CHECK(log_file != NULL);
    facet_log_set_fd(fileno(log_file));
}

static char *read_log(void)
{
    static char text[16384];
    fflush(log_file);
    size_t n = (size_t)pread(fileno(log_file), text, sizeof text - 1, 0);
    text[n < sizeof text ? n : 0] = '\0';
    return text;
}

static void r_internal(gql_resolve_t *r)
{
    gql_resolve_fail(r, GQL_CODE_INTERNAL, "secret: connection to 10.0.0.7 refused");
}

static void r_user(gql_resolve_t *r)
{
    gql_resolve_fail(r, GQL_CODE_BAD_USER_INPUT, "visible \"input\" problem");
}

static void r_app(gql_resolve_t *r)
{
    app_fail_internal(r, "secret %d: disk full", 42);
}

static gql_schema_t *schema(void)
{
    gql_schema_t *s = tx_schema(SDL);
    gql_field_bind(gql_type_field(s->query, FACET_STR_LIT("a")), r_internal, NULL);
    gql_field_bind(gql_type_field(s->query, FACET_STR_LIT("b")), r_user, NULL);
    gql_field_bind(gql_type_field(s->query, FACET_STR_LIT("d")), r_app, NULL);
    return s;
}

/* Runs query with an app context whose request id is rid; returns the
 * masked response (malloc'd) and whether it has data. */
static char *run(const gql_schema_t *s, const char *query, const char *vars, bool *has_data)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    app_exec_ctx_t ctx = {.request_id = "req-7f3a"};
    gql_exec_opts_t o = {.schema = s,
                         .doc = tx_doc(&a, s, query),
                         .root_json = tx_json(&a, "{\"c\":[{\"x\":1}],\"e\":5}"),
                         .variables = tx_json(&a, vars),
                         .context = &ctx};
    gql_exec_t *ex = NULL;
    CHECK_EQ_INT(gql_exec_start(&a, &o, &ex), FACET_OK);
    facet_buf_t out;
    facet_buf_init(&out, 0);
    facet_buf_append_str(&out, "prefix:"); /* the response is appended, not written at 0 */
    CHECK_EQ_INT(app_write_result(ex, ctx.request_id, &out, has_data), FACET_OK);
    CHECK(out.len > 7 && memcmp(out.base, "prefix:", 7) == 0);
    char *r = strndup(out.base + 7, out.len - 7);
    facet_buf_free(&out);
    facet_arena_free(&a);
    return r;
}

TEST(internal_messages_are_masked_and_logged_with_the_request_id)
{
    capture_log();
    gql_schema_t *s = schema();
    bool data = false;
    char *r = run(s, "{ a b c { x } e }", NULL, &data);
    CHECK_EQ_STR(r, "{\"errors\":[" MASKED "\"path\":[\"a\"],\"extensions\":{\"code\":"
                    "\"INTERNAL_SERVER_ERROR\"}},{\"message\":\"visible \\\"input\\\" problem\","
                    "\"locations\":[{\"line\":1,\"column\":5}],\"path\":[\"b\"],"
                    "\"extensions\":{\"code\":\"BAD_USER_INPUT\"}}],\"data\":null}");
    CHECK(data);
    const char *log = read_log();
    CHECK(strstr(log, "\"msg\":\"internal error\",\"request_id\":\"req-7f3a\",\"path\":\"a\","
                      "\"error\":\"secret: connection to 10.0.0.7 refused\"") != NULL);
    CHECK(strstr(log, "visible") == NULL); /* client errors are not internal */
    free(r);
    gql_schema_free(s);
}

TEST(data_survives_masking_and_the_masked_message_is_not_logged_twice)
{
    capture_log();
    gql_schema_t *s = schema();
    bool data = false;
    char *r = run(s, "{ d a c { x } e }", NULL, &data);
    CHECK_EQ_STR(r, "{\"errors\":[" MASKED "\"path\":[\"d\"],\"extensions\":{\"code\":"
                    "\"INTERNAL_SERVER_ERROR\"}},{\"message\":\"Internal server error\","
                    "\"locations\":[{\"line\":1,\"column\":5}],\"path\":[\"a\"],\"extensions\":{"
                    "\"code\":\"INTERNAL_SERVER_ERROR\"}}],\"data\":{\"d\":null,\"a\":null,"
                    "\"c\":[{\"x\":1}],\"e\":5}}");
    CHECK(data);
    const char *log = read_log();
    /* app_fail_internal logged d once, with its field; the net logged a. */
    const char *d = strstr(log, "\"request_id\":\"req-7f3a\",\"field\":\"Query.d\",\"path\":\"d\","
                                "\"error\":\"secret 42: disk full\"");
    CHECK(d != NULL);
    CHECK(strstr(strchr(d, '\n'), "secret 42") == NULL);
    CHECK(strstr(log, "\"path\":\"a\",\"error\":\"secret: connection") != NULL);
    free(r);
    gql_schema_free(s);
}

TEST(responses_without_internal_errors_are_left_alone)
{
    capture_log();
    gql_schema_t *s = schema();
    bool data = false;
    char *r = run(s, "{ c { x } e }", NULL, &data);
    CHECK_EQ_STR(r, "{\"data\":{\"c\":[{\"x\":1}],\"e\":5}}");
    CHECK(data);
    free(r);
    r = run(s, "query($n: Boolean!) { e @skip(if: $n) }", "{\"n\":\"x\"}", &data);
    CHECK(strncmp(r, "{\"errors\":[{\"message\":\"Variable \\\"$n\\\"", 38) == 0);
    CHECK(!data); /* a request error has no data member */
    free(r);
    r = run(s, "{ b }", NULL, &data);
    CHECK(strstr(r, "visible") != NULL && strstr(r, "\"data\":null") != NULL);
    CHECK(data);
    free(r);
    CHECK_EQ_STR(read_log(), "");
    gql_schema_free(s);
}

TEST(running_out_of_memory_is_masked)
{
    /* The executor answers a fixed text when its arena is full; it is
     * masked and logged like any internal error. Some limits finish the
     * execution, others run out: both kinds must be seen. */
    capture_log();
    gql_schema_t *s = tx_schema("type Query { l: [O], a: Int } type O { x: Int, o: O }");
    facet_arena_t da;
    facet_arena_init(&da, 0);
    const gql_ast_document_t *doc = tx_doc(&da, s, "{ l { x o { x o { x } } } a b: a }");
    const gql_value_t *root =
        tx_json(&da, "{\"a\":1,\"l\":[{\"x\":1,\"o\":{\"x\":2}},{\"x\":2},{\"x\":3}]}");
    int full = 0, masked = 0;
    for (size_t limit = 256; limit < 64 * 1024; limit += 256) {
        facet_arena_t a;
        facet_arena_init(&a, limit);
        gql_exec_opts_t o = {.schema = s, .doc = doc, .root_json = root};
        gql_exec_t *ex = NULL;
        if (gql_exec_start(&a, &o, &ex) == FACET_ENOMEM) {
            facet_arena_free(&a);
            continue;
        }
        facet_buf_t out;
        facet_buf_init(&out, 0);
        bool data;
        CHECK_EQ_INT(app_write_result(ex, "req-oom", &out, &data), FACET_OK);
        CHECK(!memmem(out.base, out.len, "ran out of memory", 17));
        if (memmem(out.base, out.len, "Internal server error", 21))
            masked++;
        else
            full++;
        facet_buf_free(&out);
        facet_arena_free(&a);
    }
    CHECK(masked > 0 && full > 0);
    CHECK(strstr(read_log(), "\"request_id\":\"req-oom\",\"error\":\"execution ran out of "
                             "memory") != NULL);
    facet_arena_free(&da);
    gql_schema_free(s);
}

TEST(app_fail_internal_without_a_context)
{
    /* Engine benchmarks run resolvers without an app context. */
    capture_log();
    gql_schema_t *s = schema();
    char *r = tx_run(s, "{}", "{ d }", NULL);
    CHECK_EQ_STR(r, "{\"errors\":[" MASKED "\"path\":[\"d\"],\"extensions\":{\"code\":"
                    "\"INTERNAL_SERVER_ERROR\"}}],\"data\":{\"d\":null}}");
    CHECK(strstr(read_log(), "\"request_id\":\"\",\"field\":\"Query.d\"") != NULL);
    free(r);
    gql_schema_free(s);
}
