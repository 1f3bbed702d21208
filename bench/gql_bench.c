/* Facet's side of bench/gql-engine.sh: the GraphQL engine in-process on the
 * reference workload (../shared/bench/README.md), the same work that
 * ../shared/bench/graphql-js-bench.mjs measures for graphql-js 16.
 *
 * The schema is built from the reference SDL with gql_schema_build, the
 * data is the anchor's (10 users with avatars, 100 posts, built once as
 * JSON-shaped values, which is what the anchor's plain JavaScript objects
 * are), and the resolvers are the anchor's: Query.hello gives "world",
 * Query.posts(first) gives posts.slice(0, first) (a new list of the shared
 * post objects, made per request in the request arena), and every other
 * field is read by the engine's default resolver, as graphql-js'
 * defaultFieldResolver reads the plain objects.
 *
 * One operation, as a server runs one request:
 *   no cache: a fresh arena; gql_parse, gql_validate (scratch arena freed
 *             right after), gql_exec_start, gql_exec_write into the
 *             output buffer; the arena is freed.
 *   cached:   a fresh arena; gql_doc_cache_get (SHA-256 of the text and a
 *             hit in the document cache), gql_exec_start, gql_exec_write,
 *             gql_doc_release; the arena is freed.
 * The output buffer is reused from one operation to the next (reset), as a
 * connection's output buffer is.
 *
 * Usage:
 *   gql_bench [--seconds S] [--iterations N] [--warmup N]
 *             [--query hello|posts]... [--mode nocache|cached]...
 *             [--expect-dir DIR] [--int-numbers]
 *   gql_bench --print hello|posts     the response JSON once, no newline
 * Prints one JSON line per case, like the anchor:
 *   {"query":"posts","document_cached":false,"ops_per_s":123456,...}
 * BENCH_SECONDS (default 5) sets the duration when --seconds is absent.
 * Before measuring a case, its response is checked to be byte-identical to
 * the no-cache response of the same query (and, with --expect-dir DIR, to
 * DIR/<query>.json, graphql-js' output). */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "gql/doc_cache.h"
#include "gql/error.h"
#include "gql/exec.h"
#include "gql/parser.h"
#include "gql/schema.h"
#include "gql/validate.h"
#include "gql/value.h"

#include "fixture.h"

typedef struct query {
    const char *name;
    const char *text;
} query_t;

static const query_t QUERIES[] = {
    {"hello", "{ hello }"},
    {"posts",
     "{ posts(first: 50) { id title body likes author { id name avatar { url width height } } } "
     "}"},
};
#define NQUERIES (sizeof QUERIES / sizeof QUERIES[0])

static bool int_numbers;                              /* --int-numbers: data as C integers */
static const char *schema_path = FIXTURE_SCHEMA_PATH; /* --schema */

static char *read_file(const char *path, size_t *len);

static void die(const char *what)
{
    fprintf(stderr, "gql_bench: %s\n", what);
    exit(1);
}

static gql_schema_t *build_schema(void)
{
    facet_arena_t ea;
    facet_arena_init(&ea, 0);
    gql_error_list_t errors;
    gql_errors_init(&errors, &ea, 0);
    size_t len;
    char *text = read_file(schema_path, &len);
    if (!text)
        die("cannot read the schema (run from the repository root or pass --schema)");
    facet_str_t src = facet_str(text, len);
    gql_schema_t *schema = NULL;
    if (gql_schema_build(&src, 1, &schema, &errors) != FACET_OK) {
        for (const gql_error_t *e = errors.head; e; e = e->next)
            fprintf(stderr, "gql_bench: schema: %.*s\n", (int)e->message.len, e->message.base);
        die("the schema could not be built");
    }
    free(text);
    facet_arena_free(&ea);
    gql_field_t *hello = gql_type_field(schema->query, FACET_STR_LIT("hello"));
    gql_field_t *posts = gql_type_field(schema->query, FACET_STR_LIT("posts"));
    if (!hello || !posts)
        die("Query.hello or Query.posts missing");
    gql_field_bind(hello, fixture_resolve_hello, NULL);
    gql_field_bind(posts, fixture_resolve_posts, NULL);
    return schema;
}

/* ---- one operation ---- */

typedef struct bench {
    gql_schema_t *schema;
    gql_doc_cache_t cache;
    facet_buf_t out;
} bench_t;

static void print_errors(const char *what, const gql_error_list_t *errors)
{
    for (const gql_error_t *e = errors->head; e; e = e->next)
        fprintf(stderr, "gql_bench: %s: %.*s\n", what, (int)e->message.len, e->message.base);
}

static int execute(bench_t *b, facet_arena_t *a, const gql_ast_document_t *doc)
{
    gql_exec_opts_t eo = {.schema = b->schema, .doc = doc};
    gql_exec_t *ex;
    int rc = gql_exec_start(a, &eo, &ex);
    if (rc != FACET_OK)
        return rc; /* every resolver here completes at once */
    return gql_exec_write(ex, &b->out);
}

/* parse + validate + execute + serialize */
static int op_nocache(bench_t *b, const query_t *q)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    facet_buf_reset(&b->out);
    gql_error_list_t errors;
    gql_errors_init(&errors, &a, 0);
    gql_ast_document_t *doc = NULL;
    gql_parse_limits_t lim = GQL_PARSE_LIMITS_DEFAULT;
    int rc = gql_parse(&a, q->text, strlen(q->text), &lim, &doc, &errors);
    if (rc == FACET_OK) {
        facet_arena_t scratch;
        facet_arena_init(&scratch, 0);
        rc = gql_validate(b->schema, doc, NULL, &scratch, &errors);
        facet_arena_free(&scratch);
    }
    if (rc == FACET_OK)
        rc = execute(b, &a, doc);
    else
        print_errors(q->name, &errors);
    facet_arena_free(&a);
    return rc;
}

/* document cache hit + execute + serialize */
static int op_cached(bench_t *b, const query_t *q)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    facet_buf_reset(&b->out);
    gql_error_list_t errors;
    gql_errors_init(&errors, &a, 0);
    gql_doc_t *d = NULL;
    int rc = gql_doc_cache_get(&b->cache, q->text, strlen(q->text), &d, &errors);
    if (rc == FACET_OK) {
        rc = execute(b, &a, d->doc);
        gql_doc_release(d);
    } else {
        print_errors(q->name, &errors);
    }
    facet_arena_free(&a);
    return rc;
}

/* ---- measuring ---- */

static double now(clockid_t clk)
{
    struct timespec ts;
    clock_gettime(clk, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const query_t *find_query(const char *name)
{
    for (size_t i = 0; i < NQUERIES; i++)
        if (strcmp(QUERIES[i].name, name) == 0)
            return &QUERIES[i];
    return NULL;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    facet_buf_t b;
    facet_buf_init(&b, 0);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (facet_buf_append(&b, chunk, n) != FACET_OK)
            die("out of memory");
    fclose(f);
    *len = b.len;
    return b.base ? b.base : strdup("");
}

static void usage(FILE *f)
{
    fputs("usage: gql_bench [--seconds S] [--iterations N] [--warmup N]\n"
          "                 [--query hello|posts]... [--mode nocache|cached]...\n"
          "                 [--expect-dir DIR] [--int-numbers] [--schema SDL]\n"
          "       gql_bench --print hello|posts\n",
          f);
}

int main(int argc, char **argv)
{
    double seconds = 5;
    const char *env = getenv("BENCH_SECONDS");
    if (env && *env)
        seconds = strtod(env, NULL);
    long long iterations = 0, warmup = 2000;
    const char *print = NULL, *expect_dir = NULL;
    bool want_query[NQUERIES] = {false}, any_query = false;
    bool want_mode[2] = {false}, any_mode = false;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            usage(stdout);
            return 0;
        }
        if (strcmp(arg, "--int-numbers") == 0) {
            int_numbers = true;
            continue;
        }
        if (!val) {
            usage(stderr);
            return 2;
        }
        i++;
        if (strcmp(arg, "--seconds") == 0) {
            seconds = strtod(val, NULL);
        } else if (strcmp(arg, "--iterations") == 0) {
            iterations = strtoll(val, NULL, 10);
        } else if (strcmp(arg, "--warmup") == 0) {
            warmup = strtoll(val, NULL, 10);
        } else if (strcmp(arg, "--print") == 0) {
            print = val;
        } else if (strcmp(arg, "--expect-dir") == 0) {
            expect_dir = val;
        } else if (strcmp(arg, "--schema") == 0) {
            schema_path = val;
        } else if (strcmp(arg, "--query") == 0) {
            const query_t *q = find_query(val);
            if (!q) {
                usage(stderr);
                return 2;
            }
            want_query[q - QUERIES] = any_query = true;
        } else if (strcmp(arg, "--mode") == 0) {
            if (strcmp(val, "nocache") == 0)
                want_mode[0] = any_mode = true;
            else if (strcmp(val, "cached") == 0)
                want_mode[1] = any_mode = true;
            else {
                usage(stderr);
                return 2;
            }
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (seconds <= 0)
        seconds = 5;

    fixture_data_init(int_numbers);
    bench_t b;
    b.schema = build_schema();
    if (gql_doc_cache_init(&b.cache, b.schema, 1000, 64u << 20) != FACET_OK)
        die("gql_doc_cache_init failed");
    facet_buf_init(&b.out, 0);

    if (print) {
        const query_t *q = find_query(print);
        if (!q) {
            usage(stderr);
            return 2;
        }
        if (op_nocache(&b, q) != FACET_OK)
            die("the query failed");
        fwrite(b.out.base, 1, b.out.len, stdout);
        return 0;
    }

    int status = 0;
    for (size_t qi = 0; qi < NQUERIES; qi++) {
        if (any_query && !want_query[qi])
            continue;
        const query_t *q = &QUERIES[qi];
        /* The reference response: the no-cache path, checked against
         * graphql-js' when the script gives it. */
        if (op_nocache(&b, q) != FACET_OK)
            die("the query failed");
        size_t ref_len = b.out.len;
        char *ref = malloc(ref_len ? ref_len : 1);
        if (!ref)
            die("out of memory");
        memcpy(ref, b.out.base, ref_len);
        if (expect_dir) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s.json", expect_dir, q->name);
            size_t elen;
            char *exp = read_file(path, &elen);
            if (!exp) {
                fprintf(stderr, "gql_bench: %s: %s\n", path, strerror(errno));
                return 1;
            }
            bool same = elen == ref_len && memcmp(exp, ref, ref_len) == 0;
            fprintf(stderr, "gql_bench: %s: response (%zu bytes) %s graphql-js' (%zu bytes)\n",
                    q->name, ref_len, same ? "is byte-identical to" : "DIFFERS from", elen);
            free(exp);
            if (!same)
                status = 1;
        }
        for (int cached = 0; cached < 2; cached++) {
            if (any_mode && !want_mode[cached])
                continue;
            int (*op)(bench_t *, const query_t *) = cached ? op_cached : op_nocache;
            if (op(&b, q) != FACET_OK)
                die("the query failed");
            if (b.out.len != ref_len || memcmp(b.out.base, ref, ref_len) != 0) {
                fprintf(stderr, "gql_bench: %s (%s): the response differs from no-cache's\n",
                        q->name, cached ? "cached" : "no cache");
                status = 1;
            }
            for (long long i = 0; i < warmup; i++)
                if (op(&b, q) != FACET_OK)
                    die("the query failed");
            size_t bytes = 0;
            long long n = 0;
            double t0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID), t1;
            for (;;) {
                /* The clock is read every 64 operations. */
                for (int k = 0; k < 64; k++) {
                    if (op(&b, q) != FACET_OK)
                        die("the query failed");
                    bytes += b.out.len;
                }
                n += 64;
                t1 = now(CLOCK_MONOTONIC);
                if (iterations > 0 ? n >= iterations : t1 - t0 >= seconds)
                    break;
            }
            double c1 = now(CLOCK_PROCESS_CPUTIME_ID);
            if (bytes != (size_t)n * ref_len)
                die("a response changed length while measuring");
            printf("{\"query\":\"%s\",\"document_cached\":%s,\"ops_per_s\":%.0f,"
                   "\"ops_per_cpu_s\":%.0f,\"ops\":%lld,\"seconds\":%.3f,"
                   "\"response_bytes\":%zu}\n",
                   q->name, cached ? "true" : "false", (double)n / (t1 - t0), (double)n / (c1 - c0),
                   n, t1 - t0, ref_len);
            fflush(stdout);
        }
        free(ref);
    }
    facet_buf_free(&b.out);
    gql_doc_cache_free(&b.cache);
    gql_schema_free(b.schema);
    fixture_data_free();
    return status;
}
