/* Tests for gql/parser.h: every definition kind and extension, the
 * syntax tree down to locations, syntax errors with graphql-js 16's
 * messages and locations, the limits (length, tokens, depth), arena
 * exhaustion and input without a NUL terminator. Expected dumps and errors
 * were produced by graphql-js 16 from the same sources. */
#include <stdlib.h>

#include "core/error.h"
#include "gql/parser.h"
#include "gql_parse_dump.h"
#include "test.h"

/* One parse: the source is copied into an exactly sized heap block, so
 * ASan reports any read past its end. */
typedef struct parsed {
    facet_arena_t arena;
    gql_error_list_t errors;
    gql_ast_document_t *doc;
    char *copy;
    int rc;
} parsed_t;

static int parse_n(parsed_t *p, const char *src, size_t len, const gql_parse_limits_t *limits,
                   size_t arena_limit)
{
    facet_arena_init(&p->arena, arena_limit);
    gql_errors_init(&p->errors, &p->arena, 0);
    p->copy = malloc(len ? len : 1);
    CHECK(p->copy);
    memcpy(p->copy, src, len);
    p->doc = NULL;
    p->rc = gql_parse(&p->arena, p->copy, len, limits, &p->doc, &p->errors);
    return p->rc;
}

static int parse(parsed_t *p, const char *src)
{
    return parse_n(p, src, strlen(src), NULL, 0);
}

static void done(parsed_t *p)
{
    facet_arena_free(&p->arena);
    free(p->copy);
}

/* The document's dump, or "ERR line:column message". */
static void check_dump(const char *src, const char *want)
{
    parsed_t p;
    facet_buf_t b;
    facet_buf_init(&b, 0);
    if (parse(&p, src) == FACET_OK) {
        dump_document(&b, p.doc);
    } else {
        CHECK(p.errors.head);
        facet_buf_printf(&b, "ERR %u:%u %.*s", p.errors.head->locations[0].line,
                         p.errors.head->locations[0].column, (int)p.errors.head->message.len,
                         p.errors.head->message.base);
    }
    facet_buf_append(&b, "", 1);
    CHECK_EQ_STR(b.base, want);
    facet_buf_free(&b);
    done(&p);
}

/* ---- documents ---- */

static const char QUERY_SRC[] =
    "query Q($id: ID! = \"x\", $list: [Int!]! @dir) @op {\n"
    "  alias: node(id: $id, obj: {a: [1, 2.5, \"s\", true, null, ENUM]}) @skip(if: false) {\n"
    "    ... on User { name }\n"
    "    ...Frag @include(if: $list)\n"
    "    ... @d { id }\n"
    "  }\n"
    "}\n"
    "fragment Frag on User { id }\n"
    "mutation { like(id: 1) }\n"
    "subscription S { events }\n"
    "{ short }\n";

static const char SDL_SRC[] = "\"\"\"Schema\"\"\"\n"
                              "schema @s { query: Q mutation: M }\n"
                              "extend schema { subscription: S }\n"
                              "\"Scalar\" scalar Date @specifiedBy(url: \"u\")\n"
                              "extend scalar Date @d\n"
                              "type T implements & A & B @k {\n"
                              "  \"f\" f(a: Int = 1, \"b\" b: [In!] = [{x: 1}] @d): [T]!\n"
                              "}\n"
                              "extend type T implements C { g: Int }\n"
                              "interface A implements B { f: Int }\n"
                              "extend interface A @d\n"
                              "union U = | T | V\n"
                              "extend union U = W\n"
                              "enum E { \"a\" A @deprecated(reason: \"r\") B }\n"
                              "extend enum E { C }\n"
                              "input In { x: Int = 1 @d, y: String }\n"
                              "extend input In { z: Int }\n"
                              "\"d\" directive @dir(a: Int) repeatable on FIELD | QUERY\n"
                              "directive @d on | FIELD_DEFINITION\n";

static const char QUERY_DUMP[] =
    "OK 103\n"
    "OP query Q@1:7 (V id@1:10 ID@1:14!@1:14 = s:\"x\"@1:20@1:9; V list@1:26 "
    "[Int@1:33!@1:33]@1:32!@1:32 = - @dir@1:40()@1:25) @op@1:46() {@1:50 F alias@2:3 node@2:10 "
    "(id@2:15: $id@2:19, obj@2:24: {a@2:30: [i:1@2:34, f:2.5@2:37, s:\"s\"@2:42, true@2:47, "
    "null@2:53, e:ENUM@2:59]@2:33}@2:29) @skip@2:67(if@2:73: false@2:77) {@2:84 I User@3:12 {@3:17 "
    "F - name@3:19 () -@3:19}@3:5; S Frag@4:8 @include@4:13(if@4:22: $list@4:26)@4:5; I - @d@5:9() "
    "{@5:12 F - id@5:14 () -@5:14}@5:5}@2:3}@1:1\n"
    "FR Frag@8:10 User@8:18 {@8:23 F - id@8:25 () -@8:25}@8:1\n"
    "OP mutation - () {@9:10 F - like@9:12 (id@9:17: i:1@9:21) -@9:12}@9:1\n"
    "OP subscription S@10:14 () {@10:16 F - events@10:18 () -@10:18}@10:1\n"
    "OP query - () {@11:1 F - short@11:3 () -@11:3}@11:1";
static const char SDL_DUMP[] =
    "OK 174\n"
    "SCHEMA def \"Schema\" @s@2:8() {query: Q@2:20@2:13, mutation: M@2:32@2:22}@1:1\n"
    "SCHEMA ext - {subscription: S@3:31@3:17}@3:1\n"
    "T scalar def \"Scalar\" Date@4:17 @specifiedBy@4:22(url@4:35: s:\"u\"@4:40) @4:1\n"
    "T scalar ext - Date@5:15 @d@5:20() @5:1\n"
    "T type def - T@6:6 @k@6:27() impl [A@6:21, B@6:25] | fields FD \"f\" f@7:7 (IV - a@7:9 "
    "Int@7:12 = i:1@7:18@7:9; IV \"b\" b@7:25 [In@7:29!@7:29]@7:28 = [{x@7:38: "
    "i:1@7:41}@7:37]@7:36 @d@7:45()@7:21) [T@7:51]@7:50!@7:50@7:3@6:1\n"
    "T type ext - T@9:13 impl [C@9:26] | fields FD - g@9:30 () Int@9:33@9:30@9:1\n"
    "T interface def - A@10:11 impl [B@10:24] | fields FD - f@10:28 () Int@10:31@10:28@10:1\n"
    "T interface ext - A@11:18 @d@11:20() impl [] | fields @11:1\n"
    "T union def - U@12:7 members [T@12:13, V@12:17]@12:1\n"
    "T union ext - U@13:14 members [W@13:18]@13:1\n"
    "T enum def - E@14:6 values EV \"a\" A@14:14 @deprecated@14:16(reason@14:28: "
    "s:\"r\"@14:36)@14:10; EV - B@14:41@14:41@14:1\n"
    "T enum ext - E@15:13 values EV - C@15:17@15:17@15:1\n"
    "T input def - In@16:7 inputs IV - x@16:12 Int@16:15 = i:1@16:21 @d@16:23()@16:12; IV - "
    "y@16:27 String@16:30 = -@16:27@16:1\n"
    "T input ext - In@17:14 inputs IV - z@17:19 Int@17:22 = -@17:19@17:1\n"
    "DD \"d\" dir@18:16 (IV - a@18:20 Int@18:23 = -@18:20) true [FIELD@18:42, QUERY@18:50]@18:1\n"
    "DD - d@19:12 () false [FIELD_DEFINITION@19:19]@19:1";

TEST(executable_kitchen_sink)
{
    check_dump(QUERY_SRC, QUERY_DUMP);
}

TEST(type_system_kitchen_sink)
{
    check_dump(SDL_SRC, SDL_DUMP);
}

TEST(field_alias_arguments_directives)
{
    parsed_t p;
    CHECK_EQ_INT(parse(&p, "{ a: b(x: 1) @d(y: $v) { c } d }"), FACET_OK);
    CHECK_EQ_INT(p.doc->ndefinitions, 1);
    const gql_ast_definition_t *def = &p.doc->definitions[0];
    CHECK_EQ_INT(def->kind, GQL_AST_OPERATION_DEF);
    const gql_ast_operation_t *op = def->u.operation;
    CHECK_EQ_INT(op->operation, GQL_OP_QUERY);
    CHECK(op->name.value.base == NULL);
    CHECK_EQ_INT(op->selection_set->nitems, 2);
    const gql_ast_selection_t *f = op->selection_set->items[0];
    CHECK_EQ_INT(f->kind, GQL_AST_FIELD);
    CHECK_SLICE(f->alias.value, "a");
    CHECK_SLICE(f->name.value, "b");
    CHECK_EQ_INT(f->name.loc.column, 6);
    CHECK_EQ_INT(f->nargs, 1);
    CHECK_EQ_INT(f->args[0].value->kind, GQL_AST_INT);
    CHECK_EQ_INT(f->ndirectives, 1);
    CHECK_SLICE(f->directives[0].name.value, "d");
    CHECK_EQ_INT(f->directives[0].name.loc.column, 14); /* the '@' */
    CHECK_EQ_INT(f->directives[0].args[0].value->kind, GQL_AST_VARIABLE);
    CHECK_SLICE(f->directives[0].args[0].value->text, "v");
    CHECK_EQ_INT(f->selection_set->nitems, 1);
    const gql_ast_selection_t *d = op->selection_set->items[1];
    CHECK(d->alias.value.base == NULL);
    CHECK(d->selection_set == NULL);
    /* Names are NUL-terminated in the arena. */
    CHECK_EQ_STR(d->name.value.base, "d");
    CHECK_EQ_INT(p.doc->ntokens, 22);
    done(&p);
}

TEST(values)
{
    parsed_t p;
    CHECK_EQ_INT(parse(&p, "{ f(a: -1.5e3, b: \"s\\u00e9\", c: \"\"\"\n  x\n  y\"\"\", d: true, "
                           "e: false, f: null, g: RED, h: [], i: {}, j: [[1]], k: {x: {y: 2}}) }"),
                 FACET_OK);
    const gql_ast_argument_t *a = p.doc->definitions[0].u.operation->selection_set->items[0]->args;
    CHECK_EQ_INT(a[0].value->kind, GQL_AST_FLOAT);
    CHECK_SLICE(a[0].value->text, "-1.5e3");
    CHECK_EQ_INT(a[1].value->kind, GQL_AST_STRING);
    CHECK_SLICE(a[1].value->text, "s\xc3\xa9");
    CHECK(!a[1].value->block);
    CHECK_SLICE(a[2].value->text, "x\ny");
    CHECK(a[2].value->block);
    CHECK(a[3].value->kind == GQL_AST_BOOLEAN && a[3].value->boolean);
    CHECK(a[4].value->kind == GQL_AST_BOOLEAN && !a[4].value->boolean);
    CHECK_EQ_INT(a[5].value->kind, GQL_AST_NULL);
    CHECK_EQ_INT(a[6].value->kind, GQL_AST_ENUM);
    CHECK_SLICE(a[6].value->text, "RED");
    CHECK(a[7].value->kind == GQL_AST_LIST && a[7].value->nitems == 0);
    CHECK(a[8].value->kind == GQL_AST_OBJECT && a[8].value->nfields == 0);
    CHECK_EQ_INT(a[9].value->items[0]->items[0]->kind, GQL_AST_INT);
    CHECK_SLICE(a[10].value->fields[0].value->fields[0].name.value, "y");
    done(&p);
}

TEST(query_shorthand_and_operations)
{
    check_dump("{ a }", "OK 3\nOP query - () {@1:1 F - a@1:3 () -@1:3}@1:1");
    check_dump("query query { query }",
               "OK 5\nOP query query@1:7 () {@1:13 F - query@1:15 () -@1:15}@1:1");
    check_dump("mutation($a: Int = 1 @d) { m }",
               "OK 14\nOP mutation - (V a@1:11 Int@1:14 = i:1@1:20 @d@1:22()@1:10) "
               "{@1:26 F - m@1:28 () -@1:28}@1:1");
    check_dump("subscription S @live { s }",
               "OK 7\nOP subscription S@1:14 () @live@1:16() {@1:22 F - s@1:24 () -@1:24}@1:1");
}

TEST(fragments)
{
    check_dump("{ ...F ... on T { a } ... @d { b } ... { c } } fragment F on T @x { d }",
               "OK 29\nOP query - () {@1:1 S F@1:6@1:3; I T@1:15 {@1:17 F - a@1:19 () -@1:19}@1:8; "
               "I - @d@1:27() {@1:30 F - b@1:32 () -@1:32}@1:23; I - {@1:40 F - c@1:42 () "
               "-@1:42}@1:36}@1:1\nFR F@1:57 T@1:62 @x@1:64() {@1:67 F - d@1:69 () -@1:69}@1:48");
    /* "on" is a fine name elsewhere, as a field or a type condition. */
    check_dump("{ ...F on }", "OK 5\nOP query - () {@1:1 S F@1:6@1:3; F - on@1:8 () -@1:8}@1:1");
}

/* graphql-js 16 accepts descriptions on operations, fragments and
 * variables; the tree has no place for them, and they are dropped. */
TEST(descriptions_on_executable_definitions)
{
    check_dump("\"d\" query Q(\"v\" $a: Int) { a }",
               "OK 13\nOP query Q@1:11 (V a@1:18 Int@1:21 = -@1:13) {@1:26 F - a@1:28 () "
               "-@1:28}@1:1");
    check_dump("\"\"\"d\"\"\" fragment F on T { a }",
               "OK 8\nFR F@1:18 T@1:23 {@1:25 F - a@1:27 () -@1:27}@1:1");
}

TEST(type_definitions)
{
    parsed_t p;
    CHECK_EQ_INT(parse(&p, "\"\"\"\n  Doc\n\"\"\"\ntype T implements & A & B @k { "
                           "\"f\" f(\"a\" a: [Int!]! = [1] @d): String }"),
                 FACET_OK);
    const gql_ast_definition_t *def = &p.doc->definitions[0];
    CHECK_EQ_INT(def->kind, GQL_AST_TYPE_DEF);
    const gql_ast_type_def_t *t = def->u.type;
    CHECK_EQ_INT(t->kind, GQL_OBJECT);
    CHECK(!t->extension);
    CHECK_SLICE(t->description, "Doc");
    CHECK_EQ_INT(t->loc.line, 1); /* the description */
    CHECK_SLICE(t->name.value, "T");
    CHECK_EQ_INT(t->ninterfaces, 2);
    CHECK_SLICE(t->interfaces[1].value, "B");
    CHECK_EQ_INT(t->ndirectives, 1);
    CHECK_EQ_INT(t->nfields, 1);
    const gql_ast_field_def_t *f = &t->fields[0];
    CHECK_SLICE(f->description, "f");
    CHECK_SLICE(f->name.value, "f");
    /* A definition with a description starts at it, as in graphql-js;
     * its name keeps its own location. */
    CHECK_EQ_INT(f->loc.line, 4);
    CHECK_EQ_INT(f->loc.column, 32);
    CHECK_EQ_INT(f->name.loc.column, 36);
    CHECK_EQ_INT(f->type->kind, GQL_AST_NAMED_TYPE);
    CHECK_EQ_INT(f->nargs, 1);
    const gql_ast_input_value_def_t *a = &f->args[0];
    CHECK_SLICE(a->description, "a");
    CHECK_EQ_INT(a->loc.column, 38); /* the description */
    CHECK_EQ_INT(a->name.loc.column, 42);
    CHECK_EQ_INT(a->type->kind, GQL_AST_NON_NULL_TYPE);
    CHECK_EQ_INT(a->type->of_type->kind, GQL_AST_LIST_TYPE);
    CHECK_EQ_INT(a->type->of_type->of_type->kind, GQL_AST_NON_NULL_TYPE);
    CHECK_SLICE(a->type->of_type->of_type->of_type->name.value, "Int");
    CHECK_EQ_INT(a->default_value->kind, GQL_AST_LIST);
    CHECK_EQ_INT(a->ndirectives, 1);
    done(&p);
    /* Enum values and input fields start at their description too. */
    CHECK_EQ_INT(parse(&p, "enum E { \"d\" A B }\ninput I { \"\"\"x\"\"\" a: Int b: Int }"),
                 FACET_OK);
    const gql_ast_type_def_t *e = p.doc->definitions[0].u.type;
    CHECK_EQ_INT(e->values[0].loc.column, 10);
    CHECK_EQ_INT(e->values[0].name.loc.column, 14);
    CHECK_EQ_INT(e->values[1].loc.column, 16);
    const gql_ast_type_def_t *in = p.doc->definitions[1].u.type;
    CHECK_EQ_INT(in->input_fields[0].loc.line, 2);
    CHECK_EQ_INT(in->input_fields[0].loc.column, 11);
    CHECK_EQ_INT(in->input_fields[0].name.loc.column, 19);
    CHECK_EQ_INT(in->input_fields[1].loc.column, 26);
    done(&p);
    /* An absent description is NULL; an empty one is not. */
    CHECK_EQ_INT(parse(&p, "scalar A \"\" scalar B"), FACET_OK);
    CHECK(p.doc->definitions[0].u.type->description.base == NULL);
    CHECK(p.doc->definitions[1].u.type->description.base != NULL);
    CHECK_EQ_INT(p.doc->definitions[1].u.type->description.len, 0);
    done(&p);
}

TEST(every_definition_kind)
{
    check_dump("scalar S interface I implements J { a: Int } union U = | A | B enum E { A B } "
               "input In { a: Int = 1 }",
               "OK 33\nT scalar def - S@1:8 @1:1\n"
               "T interface def - I@1:20 impl [J@1:33] | fields FD - a@1:37 () "
               "Int@1:40@1:37@1:10\n"
               "T union def - U@1:52 members [A@1:58, B@1:62]@1:46\n"
               "T enum def - E@1:69 values EV - A@1:73@1:73; EV - B@1:75@1:75@1:64\n"
               "T input def - In@1:85 inputs IV - a@1:90 Int@1:93 = i:1@1:99@1:90@1:79");
    check_dump("directive @d(a: Int) repeatable on | FIELD | QUERY",
               "OK 14\nDD - d@1:12 (IV - a@1:14 Int@1:17 = -@1:14) true [FIELD@1:38, "
               "QUERY@1:46]@1:1");
    check_dump("schema @s { query: Q, mutation: M, subscription: S }",
               "OK 14\nSCHEMA def - @s@1:8() {query: Q@1:20@1:13, mutation: M@1:33@1:23, "
               "subscription: S@1:50@1:36}@1:1");
}

TEST(extensions)
{
    check_dump("extend schema @d extend schema { query: Q } extend scalar S @d",
               "OK 16\nSCHEMA ext - @d@1:15() {}@1:1\nSCHEMA ext - {query: Q@1:41@1:34}@1:18\n"
               "T scalar ext - S@1:59 @d@1:61() @1:45");
    check_dump("extend type T implements I extend interface I @d extend union U = V "
               "extend enum E { X } extend input In { f: Int }",
               "OK 29\nT type ext - T@1:13 impl [I@1:26] | fields @1:1\n"
               "T interface ext - I@1:45 @d@1:47() impl [] | fields @1:28\n"
               "T union ext - U@1:63 members [V@1:67]@1:50\n"
               "T enum ext - E@1:81 values EV - X@1:85@1:85@1:69\n"
               "T input ext - In@1:102 inputs IV - f@1:107 Int@1:110 = -@1:107@1:89");
    parsed_t p;
    CHECK_EQ_INT(parse(&p, "extend type T { a: Int }"), FACET_OK);
    CHECK(p.doc->definitions[0].u.type->extension);
    CHECK_EQ_INT(p.doc->definitions[0].u.type->kind, GQL_OBJECT);
    done(&p);
}

/* ---- syntax errors ---- */

static const struct {
    const char *src;
    unsigned line, column;
    const char *message; /* NULL: parses */
} ERRORS[] = {
    {"", 1, 1, "Syntax Error: Unexpected <EOF>."},
    {"{", 1, 2, "Syntax Error: Expected Name, found <EOF>."},
    {"{ }", 1, 3, "Syntax Error: Expected Name, found \"}\"."},
    {"{ a", 1, 4, "Syntax Error: Expected Name, found <EOF>."},
    {"{ a(", 1, 5, "Syntax Error: Expected Name, found <EOF>."},
    {"{ a() }", 1, 5, "Syntax Error: Expected Name, found \")\"."},
    {"{ a(x) }", 1, 6, "Syntax Error: Expected \":\", found \")\"."},
    {"{ a(x: ) }", 1, 8, "Syntax Error: Unexpected \")\"."},
    {"{ a: }", 1, 6, "Syntax Error: Expected Name, found \"}\"."},
    {"{ a } }", 1, 7, "Syntax Error: Unexpected \"}\"."},
    {"{ a } b", 1, 7, "Syntax Error: Unexpected Name \"b\"."},
    {"querry { a }", 1, 1, "Syntax Error: Unexpected Name \"querry\"."},
    {"Query { a }", 1, 1, "Syntax Error: Unexpected Name \"Query\"."},
    {"query Q() { a }", 1, 9, "Syntax Error: Expected \"$\", found \")\"."},
    {"query Q($) { a }", 1, 10, "Syntax Error: Expected Name, found \")\"."},
    {"query Q($a) { a }", 1, 11, "Syntax Error: Expected \":\", found \")\"."},
    {"query Q($a: ) { a }", 1, 13, "Syntax Error: Expected Name, found \")\"."},
    {"query Q($a: Int = ) { a }", 1, 19, "Syntax Error: Unexpected \")\"."},
    {"query Q($a: [Int) { a }", 1, 17, "Syntax Error: Expected \"]\", found \")\"."},
    {"query Q($a: Int!!) { a }", 1, 17, "Syntax Error: Expected \"$\", found \"!\"."},
    {"query ($a: Int = $b) { a }", 1, 18,
     "Syntax Error: Unexpected variable \"$b\" in constant value."},
    {"query ($a: Int = [1, {x: $b}]) { a }", 1, 26,
     "Syntax Error: Unexpected variable \"$b\" in constant value."},
    {"query ($a: Int = $) { a }", 1, 18, "Syntax Error: Unexpected \"$\"."},
    {"query ($a: Int @d(x: $v)) { a }", 1, 22,
     "Syntax Error: Unexpected variable \"$v\" in constant value."},
    {"{ ... }", 1, 7, "Syntax Error: Expected \"{\", found \"}\"."},
    {"{ ... on }", 1, 10, "Syntax Error: Expected Name, found \"}\"."},
    {"{ ... on T }", 1, 12, "Syntax Error: Expected \"{\", found \"}\"."},
    {"{ ...F on }", 0, 0, NULL},
    {"{ a @ }", 1, 7, "Syntax Error: Expected Name, found \"}\"."},
    {"{ a @d() }", 1, 8, "Syntax Error: Expected Name, found \")\"."},
    {"{ a(x: [1 }", 1, 11, "Syntax Error: Unexpected \"}\"."},
    {"{ a(x: {a}) }", 1, 10, "Syntax Error: Expected \":\", found \"}\"."},
    {"{ a(x: {a: 1) }", 1, 13, "Syntax Error: Expected Name, found \")\"."},
    {"fragment on on T { a }", 1, 10, "Syntax Error: Unexpected Name \"on\"."},
    {"fragment F { a }", 1, 12, "Syntax Error: Expected \"on\", found \"{\"."},
    {"fragment F on T", 1, 16, "Syntax Error: Expected \"{\", found <EOF>."},
    {"fragment \"on\" on T { a }", 1, 10, "Syntax Error: Unexpected String \"on\"."},
    {"\"desc\" { a }", 1, 1,
     "Syntax Error: Unexpected description, descriptions are not supported on shorthand queries."},
    {"\"desc\" extend type T @d", 1, 1,
     "Syntax Error: Unexpected description, only GraphQL definitions support descriptions."},
    {"\"desc\" foo", 1, 1,
     "Syntax Error: Unexpected description, only GraphQL definitions support descriptions."},
    {"foo", 1, 1, "Syntax Error: Unexpected Name \"foo\"."},
    {"schema { }", 1, 10, "Syntax Error: Expected Name, found \"}\"."},
    {"schema { querx: Q }", 1, 10, "Syntax Error: Unexpected Name \"querx\"."},
    {"schema { query Q }", 1, 16, "Syntax Error: Expected \":\", found Name \"Q\"."},
    {"schema @d", 1, 10, "Syntax Error: Expected \"{\", found <EOF>."},
    {"extend schema", 1, 14, "Syntax Error: Unexpected <EOF>."},
    {"extend foo", 1, 8, "Syntax Error: Unexpected Name \"foo\"."},
    {"extend \"x\"", 1, 8, "Syntax Error: Unexpected String \"x\"."},
    {"extend directive @d @x", 1, 8, "Syntax Error: Unexpected Name \"directive\"."},
    {"type T {}", 1, 9, "Syntax Error: Expected Name, found \"}\"."},
    {"type T { a }", 1, 12, "Syntax Error: Expected \":\", found \"}\"."},
    {"type T { a(): Int }", 1, 12, "Syntax Error: Expected Name, found \")\"."},
    {"type T implements { a: Int }", 1, 19, "Syntax Error: Expected Name, found \"{\"."},
    {"type T implements A & { a: Int }", 1, 23, "Syntax Error: Expected Name, found \"{\"."},
    {"type T @d(a: $v)", 1, 14, "Syntax Error: Unexpected variable \"$v\" in constant value."},
    {"extend type T", 1, 14, "Syntax Error: Unexpected <EOF>."},
    {"extend scalar S", 1, 16, "Syntax Error: Unexpected <EOF>."},
    {"extend interface I", 1, 19, "Syntax Error: Unexpected <EOF>."},
    {"union U = ", 1, 11, "Syntax Error: Expected Name, found <EOF>."},
    {"union U = A | | B", 1, 15, "Syntax Error: Expected Name, found \"|\"."},
    {"extend union U", 1, 15, "Syntax Error: Unexpected <EOF>."},
    {"enum E { true }", 1, 10,
     "Syntax Error: Name \"true\" is reserved and cannot be used for an enum value."},
    {"enum E { null }", 1, 10,
     "Syntax Error: Name \"null\" is reserved and cannot be used for an enum value."},
    {"enum E {}", 1, 9, "Syntax Error: Expected Name, found \"}\"."},
    {"extend enum E", 1, 14, "Syntax Error: Unexpected <EOF>."},
    {"input I { a: Int = $x }", 1, 20,
     "Syntax Error: Unexpected variable \"$x\" in constant value."},
    {"input I {}", 1, 10, "Syntax Error: Expected Name, found \"}\"."},
    {"extend input I", 1, 15, "Syntax Error: Unexpected <EOF>."},
    {"directive @d", 1, 13, "Syntax Error: Expected \"on\", found <EOF>."},
    {"directive d on FIELD", 1, 11, "Syntax Error: Expected \"@\", found Name \"d\"."},
    {"directive @d on FOO", 1, 17, "Syntax Error: Unexpected Name \"FOO\"."},
    {"directive @d repeatable", 1, 24, "Syntax Error: Expected \"on\", found <EOF>."},
    {"directive @d on FIELD |", 1, 24, "Syntax Error: Expected Name, found <EOF>."},

};

TEST(syntax_errors)
{
    for (size_t i = 0; i < sizeof ERRORS / sizeof ERRORS[0]; i++) {
        parsed_t p;
        int rc = parse(&p, ERRORS[i].src);
        if (!ERRORS[i].message) {
            CHECK_EQ_INT(rc, FACET_OK);
            done(&p);
            continue;
        }
        if (rc != FACET_EINVAL)
            fprintf(stderr, "case \"%s\"\n", ERRORS[i].src);
        CHECK_EQ_INT(rc, FACET_EINVAL);
        CHECK(p.doc == NULL);
        CHECK_EQ_INT(p.errors.count, 1);
        const gql_error_t *e = p.errors.head;
        CHECK_EQ_STR(e->code, GQL_CODE_PARSE_FAILED);
        CHECK_EQ_STR(e->message.base, ERRORS[i].message);
        CHECK_EQ_INT(e->nlocations, 1);
        CHECK_EQ_INT(e->locations[0].line, ERRORS[i].line);
        CHECK_EQ_INT(e->locations[0].column, ERRORS[i].column);
        CHECK(e->path == NULL);
        done(&p);
    }
}

/* Lexical errors reach the caller the same way, with their location. */
TEST(lexical_errors_through_parser)
{
    check_dump("{ a(x: 123abc) }",
               "ERR 1:11 Syntax Error: Invalid number, expected digit but got: \"a\".");
    check_dump("{\n  a(x: \"\\uD83D\")\n}",
               "ERR 2:9 Syntax Error: Invalid Unicode escape sequence: \"\\uD83D\".");
    check_dump("{ a(x: \"open) }", "ERR 1:16 Syntax Error: Unterminated string.");
    check_dump("{ \xf0\x9f\x98\x80 x }", "ERR 1:3 Syntax Error: Unexpected character: U+1F600.");
    /* A character outside the BMP takes two columns before the error. */
    check_dump("{ a(x: \"\xf0\x9f\x98\x80\") ? }",
               "ERR 1:14 Syntax Error: Unexpected character: \"?\".");
    /* The lexer runs one token ahead of the parser, as graphql-js' does. */
    check_dump("{ a } \"open", "ERR 1:12 Syntax Error: Unterminated string.");
    /* ... also when looking past a description for the keyword. */
    check_dump("\"desc\" 1x",
               "ERR 1:9 Syntax Error: Invalid number, expected digit but got: \"x\".");
}

/* A message that quotes a token keeps NUL bytes the token holds. */
TEST(error_message_with_nul)
{
    parsed_t p;
    CHECK_EQ_INT(parse(&p, "{ \"a\\u0000b\" }"), FACET_EINVAL);
    static const char want[] = "Syntax Error: Expected Name, found String \"a\0b\".";
    CHECK_EQ_INT(p.errors.head->message.len, sizeof want - 1);
    CHECK(memcmp(p.errors.head->message.base, want, sizeof want - 1) == 0);
    done(&p);
}

/* ---- limits ---- */

static void check_limit_error(const char *src, size_t len, gql_parse_limits_t limits,
                              const char *message, unsigned line, unsigned column)
{
    parsed_t p;
    CHECK_EQ_INT(parse_n(&p, src, len, &limits, 0), FACET_EINVAL);
    CHECK_EQ_INT(p.errors.count, 1);
    CHECK_EQ_STR(p.errors.head->message.base, message);
    CHECK_EQ_INT(p.errors.head->locations[0].line, line);
    CHECK_EQ_INT(p.errors.head->locations[0].column, column);
    CHECK_EQ_STR(p.errors.head->code, GQL_CODE_PARSE_FAILED);
    done(&p);
}

/* Tokens are counted as graphql-js' maxTokens counts them: every token
 * but <EOF>, comments and other ignored tokens not included. */
TEST(token_limit)
{
    parsed_t p;
    gql_parse_limits_t limits = {1024, 5, 16};
    CHECK_EQ_INT(parse_n(&p, "{ a, b # c\n c }", 15, &limits, 0), FACET_OK);
    CHECK_EQ_INT(p.doc->ntokens, 5);
    done(&p);
    limits.max_tokens = 4;
    check_limit_error("{ a b c }", 9, limits,
                      "Syntax Error: Document contains more that 4 tokens. Parsing aborted.", 1, 9);
    limits.max_tokens = 2;
    check_limit_error("{ a b c }", 9, limits,
                      "Syntax Error: Document contains more that 2 tokens. Parsing aborted.", 1, 5);
}

TEST(token_limit_default)
{
    /* 50000 fields make 50002 tokens with the braces; the 50001st token,
     * the 49999th name, is one too many. */
    size_t n = 50000, len = 0;
    char *src = malloc(n * 2 + 8);
    CHECK(src);
    src[len++] = '{';
    for (size_t i = 0; i < n; i++)
        src[len++] = ' ', src[len++] = 'a';
    src[len++] = '}';
    parsed_t p;
    CHECK_EQ_INT(parse_n(&p, src, len, NULL, 0), FACET_EINVAL);
    CHECK_EQ_STR(p.errors.head->message.base,
                 "Syntax Error: Document contains more that 50000 tokens. Parsing aborted.");
    CHECK_EQ_INT(p.errors.head->locations[0].column, 2 * 49999 + 3);
    done(&p);
    free(src);
}

TEST(length_limit)
{
    gql_parse_limits_t limits = {10, 100, 16};
    parsed_t p;
    CHECK_EQ_INT(parse_n(&p, "{ abcdef }", 10, &limits, 0), FACET_OK);
    done(&p);
    check_limit_error("{ abcdefg }", 11, limits,
                      "Syntax Error: Source contains more than 10 bytes. Parsing aborted.", 1, 11);
    check_limit_error("{\n a\n b\n c }", 12, limits,
                      "Syntax Error: Source contains more than 10 bytes. Parsing aborted.", 4, 3);
}

/* Nesting of selection sets, list and object values and list types counts
 * against one depth; the level that goes past it fails at its opener. */
TEST(depth_limit)
{
    gql_parse_limits_t limits = {1024, 1000, 3};
    static const char *const ok[] = {
        "{ a { b { c } } }",
        "{ a(x: [[1]]) { b } }",
        "{ a(x: {y: [1]}) }",
        "query ($v: [[Int]]) { a }",
        "type T { f(a: [[[Int]]] = [[[1]]]): [[[T!]!]!]! }",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        parsed_t p;
        CHECK_EQ_INT(parse_n(&p, ok[i], strlen(ok[i]), &limits, 0), FACET_OK);
        done(&p);
    }
    static const struct {
        const char *src;
        unsigned column;
    } deep[] = {
        {"{ a { b { c { d } } } }", 13}, {"{ a { b(x: [[1]]) } }", 13},
        {"{ a(x: {y: {z: [1]}}) }", 16}, {"query ($v: [[[[Int]]]]) { a }", 15},
        {"type T { f: [[[[T]]]] }", 16}, {"input I { f: [Int] = [[[[1]]]] }", 25},
    };
    for (size_t i = 0; i < sizeof deep / sizeof deep[0]; i++)
        check_limit_error(deep[i].src, strlen(deep[i].src), limits,
                          "Syntax Error: Document nesting is deeper than 3 levels. Parsing "
                          "aborted.",
                          1, deep[i].column);
}

/* No input may exhaust the stack: 100000 nested openers of each kind fail
 * cleanly with the default limits (the test runs under ASan, whose stack
 * frames are larger than usual). */
TEST(deep_nesting_without_stack_overflow)
{
    size_t n = 100000;
    char *src = malloc(n * 6 + 64);
    CHECK(src);
    static const char *const prefixes[] = {"{ f(x: ", "{ f(x: ", "query ($v: ", "", "{ f(x: "};
    static const char *const openers[] = {"[", "{a:", "[", "{ a ", "[{a: "};
    for (size_t k = 0; k < sizeof openers / sizeof openers[0]; k++) {
        size_t len = 0, olen = strlen(openers[k]);
        memcpy(src, prefixes[k], strlen(prefixes[k]));
        len += strlen(prefixes[k]);
        for (size_t i = 0; i < n; i++, len += olen)
            memcpy(src + len, openers[k], olen);
        parsed_t p;
        gql_parse_limits_t limits = {SIZE_MAX, SIZE_MAX, 0};
        CHECK_EQ_INT(parse_n(&p, src, len, &limits, 0), FACET_EINVAL);
        CHECK_EQ_STR(p.errors.head->message.base,
                     "Syntax Error: Document nesting is deeper than 128 levels. Parsing aborted.");
        done(&p);
    }
    free(src);
}

/* NULL limits and zero fields mean the defaults. */
TEST(default_limits)
{
    parsed_t p;
    gql_parse_limits_t zero = {0, 0, 0};
    CHECK_EQ_INT(parse_n(&p, "{ a }", 5, &zero, 0), FACET_OK);
    done(&p);
    char deep[300];
    size_t len = 0;
    for (int i = 0; i < 129; i++)
        deep[len++] = '{', deep[len++] = 'a';
    CHECK_EQ_INT(parse_n(&p, deep, len, &zero, 0), FACET_EINVAL);
    CHECK_EQ_INT(p.errors.head->locations[0].column, 2 * 128 + 1);
    done(&p);
}

/* ---- memory and input handling ---- */

/* Whatever the arena's limit, the parser returns FACET_OK or FACET_ENOMEM
 * and never crashes or reads freed memory. */
TEST(arena_exhaustion)
{
    bool saw_nomem = false, saw_ok = false;
    for (size_t limit = 0; limit < 64 * 1024 && !saw_ok; limit += 64) {
        parsed_t p;
        int rc = parse_n(&p, SDL_SRC, sizeof SDL_SRC - 1, NULL, limit ? limit : 1);
        CHECK(rc == FACET_OK || rc == FACET_ENOMEM);
        if (rc == FACET_OK) {
            saw_ok = true;
            CHECK(p.doc != NULL);
        } else {
            saw_nomem = true;
            CHECK(p.doc == NULL);
        }
        done(&p);
    }
    CHECK(saw_nomem && saw_ok);
}

/* With no memory left to record the error, a syntax error is reported as
 * FACET_ENOMEM; with a full error list, still as FACET_EINVAL. */
TEST(error_reporting_edges)
{
    for (size_t limit = 16; limit < 4096; limit += 16) {
        parsed_t p;
        int rc = parse_n(&p, "{ a(x: 1) b c d e f g h", 23, NULL, limit);
        CHECK(rc == FACET_EINVAL || rc == FACET_ENOMEM);
        if (rc == FACET_EINVAL)
            CHECK_EQ_INT(p.errors.count, 1);
        done(&p);
    }
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_error_list_t errors;
    gql_errors_init(&errors, &a, 1);
    gql_error_add(&errors, NULL, NULL, 0, "earlier");
    gql_ast_document_t *doc = (gql_ast_document_t *)&a; /* must be reset to NULL */
    CHECK_EQ_INT(gql_parse(&a, "{", 1, NULL, &doc, &errors), FACET_EINVAL);
    CHECK(doc == NULL);
    CHECK_EQ_INT(errors.count, 1);
    /* Errors may be ignored altogether. */
    CHECK_EQ_INT(gql_parse(&a, "{", 1, NULL, &doc, NULL), FACET_EINVAL);
    CHECK_EQ_INT(gql_parse(&a, NULL, 0, NULL, &doc, NULL), FACET_EINVAL);
    facet_arena_free(&a);
}

/* The parser reads exactly len bytes: what follows is not part of the
 * document, and nothing past the end is touched (the copies are exactly
 * sized under ASan). */
TEST(input_not_nul_terminated)
{
    parsed_t p;
    CHECK_EQ_INT(parse_n(&p, "{ a }garbage", 5, NULL, 0), FACET_OK);
    CHECK_EQ_INT(p.doc->ntokens, 3);
    done(&p);
    static const char *const tails[] = {
        "{ a(x: 1", "{ a(x: 1.5e", "{ a(x: \"s", "{ a(x: \"\"\"s\"\"", "{ a(x: \"\\u12", "{ a # c",
        "{ ...",    "{ ..",        "\xef\xbb"};
    for (size_t i = 0; i < sizeof tails / sizeof tails[0]; i++) {
        CHECK_EQ_INT(parse_n(&p, tails[i], strlen(tails[i]), NULL, 0), FACET_EINVAL);
        done(&p);
    }
    CHECK_EQ_INT(parse_n(&p, "\xef\xbb\xbf{ a }", 8, NULL, 0), FACET_OK);
    CHECK_EQ_INT(p.doc->definitions[0].loc.column, 2);
    done(&p);
}

/* Strings in the tree live in the arena, not in the caller's source. */
TEST(tree_outlives_source)
{
    parsed_t p;
    CHECK_EQ_INT(parse(&p, "query Q { f(a: 12, b: ENUM, c: \"s\") }"), FACET_OK);
    memset(p.copy, 'x', strlen("query Q { f(a: 12, b: ENUM, c: \"s\") }"));
    const gql_ast_operation_t *op = p.doc->definitions[0].u.operation;
    CHECK_EQ_STR(op->name.value.base, "Q");
    CHECK_EQ_STR(op->selection_set->items[0]->name.value.base, "f");
    CHECK_EQ_STR(op->selection_set->items[0]->args[0].value->text.base, "12");
    CHECK_EQ_STR(op->selection_set->items[0]->args[1].value->text.base, "ENUM");
    CHECK_EQ_STR(op->selection_set->items[0]->args[2].value->text.base, "s");
    done(&p);
}

/* A token quoted in a message is cut at 4096 bytes, on a character
 * boundary, so that a huge literal does not make a huge message. */
TEST(long_token_in_message)
{
    size_t n = 5000, len = 0;
    char *src = malloc(n + 16);
    CHECK(src);
    memcpy(src, "{ \"", 3), len += 3;
    src[len++] = 'x';
    for (size_t i = 1; i < n; i += 2)
        memcpy(src + len, "\xc3\xa9", 2), len += 2;
    memcpy(src + len, "\" }", 3), len += 3;
    parsed_t p;
    CHECK_EQ_INT(parse_n(&p, src, len, NULL, 0), FACET_EINVAL);
    const facet_str_t m = p.errors.head->message;
    static const char prefix[] = "Syntax Error: Expected Name, found String \"";
    CHECK(m.len > sizeof prefix && memcmp(m.base, prefix, sizeof prefix - 1) == 0);
    CHECK_EQ_INT(m.len, sizeof prefix - 1 + 4095 + 2);
    CHECK(memcmp(m.base + m.len - 4, "\xc3\xa9\".", 4) == 0);
    done(&p);
    free(src);
}

/* The error, its message and its location live in the error list's arena
 * (gql/error.h), not in the parse arena: they outlive the tree, and only
 * the list's arena running out makes the error FACET_ENOMEM. */
TEST(errors_live_in_the_list_arena)
{
    facet_arena_t tree, errs;
    facet_arena_init(&tree, 0);
    facet_arena_init(&errs, 0);
    gql_error_list_t errors;
    gql_errors_init(&errors, &errs, 0);
    gql_ast_document_t *doc = NULL;
    static const char src[] = "type T { f: \"a\\u0000b\" }";
    CHECK_EQ_INT(gql_parse(&tree, src, sizeof src - 1, NULL, &doc, &errors), FACET_EINVAL);
    size_t tree_used = tree.used;
    facet_arena_free(&tree);
    CHECK_EQ_INT(errors.count, 1);
    static const char want[] = "Syntax Error: Expected Name, found String \"a\0b\".";
    CHECK_EQ_INT(errors.head->message.len, sizeof want - 1);
    CHECK(memcmp(errors.head->message.base, want, sizeof want) == 0); /* NUL-terminated too */
    CHECK_EQ_INT(errors.head->locations[0].column, 13);
    facet_arena_free(&errs);
    /* With the tree's memory as it was and too little for the error, the
     * parse runs out of memory; with enough, it fails as before. */
    bool saw_nomem = false, saw_error = false;
    for (size_t limit = 8; limit < 4096 && !saw_error; limit += 8) {
        facet_arena_init(&tree, tree_used);
        facet_arena_init(&errs, limit);
        gql_errors_init(&errors, &errs, 0);
        int rc = gql_parse(&tree, src, sizeof src - 1, NULL, &doc, &errors);
        CHECK(rc == FACET_ENOMEM || rc == FACET_EINVAL);
        CHECK_EQ_INT(errors.count, rc == FACET_EINVAL ? 1 : 0);
        saw_nomem |= rc == FACET_ENOMEM;
        saw_error |= rc == FACET_EINVAL;
        facet_arena_free(&tree);
        facet_arena_free(&errs);
    }
    CHECK(saw_nomem && saw_error);
}

/* The directive-location names the parser accepts, shared with the
 * modules above it. */
TEST(directive_location_names)
{
    CHECK_EQ_STR(gql_ast_directive_location_name(0), "QUERY");
    CHECK_EQ_STR(gql_ast_directive_location_name(18), "INPUT_FIELD_DEFINITION");
    CHECK_EQ_STR(gql_ast_directive_location_name(19), "DIRECTIVE_DEFINITION");
    CHECK(gql_ast_directive_location_name(GQL_AST_DIRECTIVE_LOCATION_COUNT) == NULL);
    CHECK_EQ_INT(gql_ast_directive_location_index(facet_str_c("FIELD")), 3);
    CHECK_EQ_INT(gql_ast_directive_location_index(facet_str_c("DIRECTIVE_DEFINITION")), 19);
    CHECK_EQ_INT(gql_ast_directive_location_index(facet_str_c("field")), -1);
    CHECK_EQ_INT(gql_ast_directive_location_index(FACET_STR_NULL), -1);
    check_dump("directive @d on DIRECTIVE_DEFINITION",
               "OK 5\nDD - d@1:12 () false [DIRECTIVE_DEFINITION@1:17]@1:1");
    check_dump("directive @d on FIELD | Field",
               "ERR 1:25 Syntax Error: Unexpected Name \"Field\".");
}
