/* `facet gql exec|validate|print-schema`: reads SDL, a query, a JSON root
 * value and variables from files, runs them through the engine exactly as
 * graphql-js' graphql() does with buildSchema() and the default resolvers,
 * and prints the response on stdout. The engine does no I/O; this file
 * does it for it. */
#include "app/cli_gql.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "gql/exec.h"
#include "gql/json.h"
#include "gql/parser.h"
#include "gql/schema.h"
#include "gql/validate.h"

#define EXIT_USAGE  2
#define MAX_SCHEMAS 64
#define MAX_FILE    (256u * 1024 * 1024)

typedef struct opts {
    const char *cmd;
    const char *schemas[MAX_SCHEMAS];
    size_t nschemas;
    const char *root, *query, *variables, *operation;
} opts_t;

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: facet gql <command> [options]\n"
            "\n"
            "Commands:\n"
            "  exec          execute a query and print the response JSON\n"
            "  validate      validate a query against a schema\n"
            "  print-schema  print the schema as graphql-js' printSchema does\n"
            "\n"
            "Options:\n"
            "  --schema FILE     SDL file (repeatable: several files form one schema)\n"
            "  --query FILE      the GraphQL document (exec, validate)\n"
            "  --root FILE       JSON root value (exec)\n"
            "  --variables FILE  JSON object of variable values (exec, optional)\n"
            "  --operation NAME  the operation to run (exec, optional)\n"
            "\n"
            "exec prints {\"data\":...} / {\"errors\":[...]} as graphql-js' graphql() gives it,\n"
            "with default field resolvers over the root value (abstract types resolve by\n"
            "the value's __typename), and exits 0 whenever it printed a response.\n"
            "validate prints the errors as a JSON list and exits 0 when the query is valid,\n"
            "1 when not. Exit status 1 also means an unreadable file or an invalid schema\n"
            "(its errors go to stderr); 2 means a usage error.\n");
}

static int parse_args(int argc, char **argv, opts_t *o)
{
    memset(o, 0, sizeof *o);
    if (argc < 1)
        return -1;
    o->cmd = argv[0];
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
            return 1;
        if (i + 1 >= argc) {
            fprintf(stderr, "facet gql: %s needs a value\n", a);
            return -1;
        }
        const char *v = argv[++i];
        if (strcmp(a, "--schema") == 0) {
            if (o->nschemas == MAX_SCHEMAS) {
                fprintf(stderr, "facet gql: too many --schema files\n");
                return -1;
            }
            o->schemas[o->nschemas++] = v;
        } else if (strcmp(a, "--root") == 0) {
            o->root = v;
        } else if (strcmp(a, "--query") == 0) {
            o->query = v;
        } else if (strcmp(a, "--variables") == 0) {
            o->variables = v;
        } else if (strcmp(a, "--operation") == 0) {
            o->operation = v;
        } else {
            fprintf(stderr, "facet gql: unknown option '%s'\n", a);
            return -1;
        }
    }
    return 0;
}

/* Reads a whole file into buf (NUL-terminated past len). */
static int read_file(const char *path, facet_buf_t *buf)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "facet gql: cannot read %s: %s\n", path, strerror(errno));
        return -1;
    }
    char chunk[65536];
    size_t n;
    int rc = 0;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && !rc)
        rc = facet_buf_append(buf, chunk, n);
    if (!rc && ferror(f))
        rc = FACET_EIO;
    fclose(f);
    rc = rc ? rc : facet_buf_append(buf, "", 1);
    if (rc) {
        fprintf(stderr, "facet gql: cannot read %s: %s\n", path, facet_strerror(rc));
        return -1;
    }
    buf->len--;
    return 0;
}

static void strip_codes(gql_error_list_t *errors)
{
    /* graphql-js prints no extensions; the codes are for servers. */
    for (gql_error_t *e = errors->head; e; e = e->next)
        e->code = NULL;
}

static void print_errors_json(gql_error_list_t *errors, bool wrap)
{
    facet_buf_t out;
    facet_buf_init(&out, 0);
    strip_codes(errors);
    int rc = wrap ? facet_buf_append_str(&out, "{\"errors\":") : 0;
    rc = rc ? rc : gql_errors_write_json(errors, &out);
    rc = rc ? rc : facet_buf_append_str(&out, wrap ? "}\n" : "\n");
    if (!rc)
        fwrite(out.base, 1, out.len, stdout);
    facet_buf_free(&out);
}

/* Builds the schema from the --schema files; prints its errors on stderr. */
static gql_schema_t *load_schema(const opts_t *o)
{
    if (o->nschemas == 0) {
        fprintf(stderr, "facet gql %s: --schema is required\n\n", o->cmd);
        return NULL;
    }
    facet_buf_t bufs[MAX_SCHEMAS];
    facet_str_t srcs[MAX_SCHEMAS];
    gql_schema_t *schema = NULL;
    size_t n = 0;
    for (; n < o->nschemas; n++) {
        facet_buf_init(&bufs[n], MAX_FILE);
        if (read_file(o->schemas[n], &bufs[n]) != 0) {
            facet_buf_free(&bufs[n]);
            goto out;
        }
        srcs[n] = facet_str(bufs[n].base ? bufs[n].base : "", bufs[n].len);
    }
    facet_arena_t ea;
    facet_arena_init(&ea, 0);
    gql_error_list_t errors;
    gql_errors_init(&errors, &ea, 0);
    if (gql_schema_build(srcs, n, &schema, &errors) != FACET_OK) {
        for (const gql_error_t *e = errors.head; e; e = e->next) {
            fprintf(stderr, "%.*s", (int)e->message.len, e->message.base);
            for (size_t i = 0; i < e->nlocations; i++)
                fprintf(stderr, "%s%u:%u", i ? ", " : " (at ", e->locations[i].line,
                        e->locations[i].column);
            fprintf(stderr, "%s\n", e->nlocations ? ")" : "");
        }
        if (!errors.head)
            fprintf(stderr, "facet gql: the schema could not be built\n");
        schema = NULL;
    }
    facet_arena_free(&ea);
out:
    for (size_t i = 0; i < n; i++)
        facet_buf_free(&bufs[i]);
    return schema;
}

static int read_json(const char *path, facet_arena_t *a, facet_buf_t *text, gql_value_t **out)
{
    if (read_file(path, text) != 0)
        return -1;
    char err[256];
    if (gql_json_parse(a, text->base ? text->base : "", text->len, 0, out, err, sizeof err) !=
        FACET_OK) {
        fprintf(stderr, "facet gql: %s is not valid JSON: %s\n", path, err);
        return -1;
    }
    return 0;
}

/* Parses and validates the query; on errors prints them as graphql()
 * would ({"errors":[...]} when wrap) and returns 1. */
static int load_query(const opts_t *o, const gql_schema_t *schema, facet_arena_t *a,
                      facet_buf_t *text, gql_ast_document_t **doc, bool wrap)
{
    if (read_file(o->query, text) != 0)
        return -1;
    gql_error_list_t errors;
    gql_errors_init(&errors, a, 0);
    gql_parse_limits_t lim = GQL_PARSE_LIMITS_DEFAULT;
    lim.max_length = MAX_FILE;
    int rc = gql_parse(a, text->base ? text->base : "", text->len, &lim, doc, &errors);
    if (rc == FACET_ENOMEM) {
        fprintf(stderr, "facet gql: out of memory\n");
        return -1;
    }
    if (rc == FACET_OK) {
        facet_arena_t scratch;
        facet_arena_init(&scratch, 0);
        rc = gql_validate(schema, *doc, NULL, &scratch, &errors);
        facet_arena_free(&scratch);
    }
    if (rc == FACET_OK)
        return 0;
    print_errors_json(&errors, wrap);
    return 1;
}

static int cmd_exec(const opts_t *o)
{
    if (!o->query || !o->root) {
        fprintf(stderr, "facet gql exec: --query and --root are required\n\n");
        usage(stderr);
        return EXIT_USAGE;
    }
    gql_schema_t *schema = load_schema(o);
    if (!schema)
        return o->nschemas ? 1 : EXIT_USAGE;
    int status = 1;
    facet_arena_t a;
    facet_arena_init(&a, 0);
    facet_buf_t qtext, rtext, vtext, out;
    facet_buf_init(&qtext, MAX_FILE);
    facet_buf_init(&rtext, MAX_FILE);
    facet_buf_init(&vtext, MAX_FILE);
    facet_buf_init(&out, 0);
    gql_ast_document_t *doc = NULL;
    gql_value_t *root = NULL, *vars = NULL;
    int rc = load_query(o, schema, &a, &qtext, &doc, true);
    if (rc != 0) {
        status = rc < 0 ? 1 : 0;
        goto done;
    }
    if (read_json(o->root, &a, &rtext, &root) != 0)
        goto done;
    if (o->variables && read_json(o->variables, &a, &vtext, &vars) != 0)
        goto done;
    gql_exec_opts_t eo = {
        .schema = schema,
        .doc = doc,
        .operation_name = o->operation ? facet_str_c(o->operation) : FACET_STR_NULL,
        .variables = vars && vars->kind != GQL_V_NULL ? vars : NULL,
        .root_json = root,
    };
    gql_exec_t *ex;
    rc = gql_exec_start(&a, &eo, &ex);
    if (rc != FACET_OK || gql_exec_write(ex, &out) != FACET_OK ||
        facet_buf_append(&out, "\n", 1) != FACET_OK) {
        fprintf(stderr, "facet gql exec: execution failed: %s\n", facet_strerror(rc));
        goto done;
    }
    fwrite(out.base, 1, out.len, stdout);
    status = 0;
done:
    facet_buf_free(&qtext);
    facet_buf_free(&rtext);
    facet_buf_free(&vtext);
    facet_buf_free(&out);
    facet_arena_free(&a);
    gql_schema_free(schema);
    return status;
}

static int cmd_validate(const opts_t *o)
{
    if (!o->query) {
        fprintf(stderr, "facet gql validate: --query is required\n\n");
        usage(stderr);
        return EXIT_USAGE;
    }
    gql_schema_t *schema = load_schema(o);
    if (!schema)
        return o->nschemas ? 1 : EXIT_USAGE;
    facet_arena_t a;
    facet_arena_init(&a, 0);
    facet_buf_t qtext;
    facet_buf_init(&qtext, MAX_FILE);
    gql_ast_document_t *doc = NULL;
    int rc = load_query(o, schema, &a, &qtext, &doc, false);
    if (rc == 0)
        fputs("[]\n", stdout);
    facet_buf_free(&qtext);
    facet_arena_free(&a);
    gql_schema_free(schema);
    return rc == 0 ? 0 : 1;
}

static int cmd_print_schema(const opts_t *o)
{
    gql_schema_t *schema = load_schema(o);
    if (!schema)
        return o->nschemas ? 1 : EXIT_USAGE;
    facet_buf_t out;
    facet_buf_init(&out, 0);
    int rc = gql_schema_print(schema, &out);
    if (rc == FACET_OK)
        fwrite(out.base, 1, out.len, stdout);
    else
        fprintf(stderr, "facet gql print-schema: %s\n", facet_strerror(rc));
    facet_buf_free(&out);
    gql_schema_free(schema);
    return rc == FACET_OK ? 0 : 1;
}

int cli_gql_main(int argc, char **argv)
{
    opts_t o;
    int rc = parse_args(argc, argv, &o);
    if (rc == 1 || (argc >= 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0 ||
                                  strcmp(argv[0], "help") == 0))) {
        usage(stdout);
        return 0;
    }
    if (rc < 0) {
        if (argc < 1)
            fprintf(stderr, "facet gql: a command is required\n\n");
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(o.cmd, "exec") == 0)
        return cmd_exec(&o);
    if (strcmp(o.cmd, "validate") == 0)
        return cmd_validate(&o);
    if (strcmp(o.cmd, "print-schema") == 0)
        return cmd_print_schema(&o);
    fprintf(stderr, "facet gql: unknown command '%s'\n\n", o.cmd);
    usage(stderr);
    return EXIT_USAGE;
}
