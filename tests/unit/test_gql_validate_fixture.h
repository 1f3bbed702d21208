/* Shared by the validation tests: a schema in the style of graphql-js' own
 * validation harness (pets, humans, aliens, arguments of every kind), and
 * EXPECT(query, errors), which validates a document and compares its errors
 * with graphql-js 16's, written one per line as "message @line:col,...".
 * The expectations were taken from graphql-js 16.15 on the same schema. */
#ifndef FACET_TEST_GQL_VALIDATE_FIXTURE_H
#define FACET_TEST_GQL_VALIDATE_FIXTURE_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "gql/parser.h"
#include "gql/schema.h"
#include "gql/validate.h"
#include "test.h"

static const char fixture_sdl[] =
    "interface Being { name(surname: Boolean): String }\n"
    "interface Mammal { mother: Mammal father: Mammal }\n"
    "interface Pet implements Being { name(surname: Boolean): String }\n"
    "interface Canine implements Mammal {\n"
    "  name(surname: Boolean): String mother: Canine father: Canine\n"
    "}\n"
    "enum DogCommand { SIT HEEL DOWN }\n"
    "type Dog implements Being & Pet & Mammal & Canine {\n"
    "  name(surname: Boolean): String\n"
    "  nickname: String\n"
    "  barkVolume: Int\n"
    "  barks: Boolean\n"
    "  doesKnowCommand(dogCommand: DogCommand): Boolean\n"
    "  isHouseTrained(atOtherHomes: Boolean = true): Boolean\n"
    "  isAtLocation(x: Int, y: Int): Boolean\n"
    "  mother: Dog\n"
    "  father: Dog\n"
    "}\n"
    "type Cat implements Being & Pet {\n"
    "  name(surname: Boolean): String\n"
    "  nickname: String\n"
    "  meows: Boolean\n"
    "  meowsVolume: Int\n"
    "  furColor: FurColor\n"
    "}\n"
    "union CatOrDog = Cat | Dog\n"
    "type Human implements Being {\n"
    "  name(surname: Boolean): String pets: [Pet] relatives: [Human]! iq: Int\n"
    "}\n"
    "type Alien implements Being { name(surname: Boolean): String iq: Int numEyes: Int }\n"
    "union DogOrHuman = Dog | Human\n"
    "union HumanOrAlien = Human | Alien\n"
    "enum FurColor { BROWN BLACK TAN SPOTTED NO_FUR UNKNOWN }\n"
    "input ComplexInput {\n"
    "  requiredField: Boolean!\n"
    "  nonNullField: Boolean! = false\n"
    "  intField: Int\n"
    "  stringField: String\n"
    "  booleanField: Boolean\n"
    "  stringListField: [String]\n"
    "}\n"
    "input OneOfInput @oneOf { stringField: String intField: Int }\n"
    "scalar Custom\n"
    "type ComplicatedArgs {\n"
    "  intArgField(intArg: Int): String\n"
    "  nonNullIntArgField(nonNullIntArg: Int!): String\n"
    "  stringArgField(stringArg: String): String\n"
    "  booleanArgField(booleanArg: Boolean): String\n"
    "  enumArgField(enumArg: FurColor): String\n"
    "  floatArgField(floatArg: Float): String\n"
    "  idArgField(idArg: ID): String\n"
    "  customArgField(customArg: Custom): String\n"
    "  stringListArgField(stringListArg: [String]): String\n"
    "  stringListNonNullArgField(stringListNonNullArg: [String!]): String\n"
    "  complexArgField(complexArg: ComplexInput): String\n"
    "  oneOfArgField(oneOfArg: OneOfInput): String\n"
    "  multipleReqs(req1: Int!, req2: Int!): String\n"
    "  nonNullFieldWithDefault(arg: Int! = 0): String\n"
    "  multipleOpts(opt1: Int = 0, opt2: Int = 0): String\n"
    "  multipleOptAndReq(req1: Int!, req2: Int!, opt1: Int = 0, opt2: Int = 0): String\n"
    "}\n"
    "type QueryRoot {\n"
    "  human(id: ID): Human\n"
    "  alien: Alien\n"
    "  dog: Dog\n"
    "  cat: Cat\n"
    "  pet: Pet\n"
    "  being: Being\n"
    "  catOrDog: CatOrDog\n"
    "  dogOrHuman: DogOrHuman\n"
    "  humanOrAlien: HumanOrAlien\n"
    "  complicatedArgs: ComplicatedArgs\n"
    "  list(first: Int, last: Int): [Dog]\n"
    "}\n"
    "type MutationRoot { addDog(name: String!): Dog ping: Boolean }\n"
    "type SubscriptionRoot { newDog: Dog newCat: Cat ticks(every: Int): Int }\n"
    "schema { query: QueryRoot mutation: MutationRoot subscription: SubscriptionRoot }\n"
    "directive @onField on FIELD\n"
    "directive @onQuery on QUERY\n"
    "directive @repeatableField repeatable on FIELD\n"
    "directive @withArgs(a: Int!, b: String = \"x\", c: [Int]) on FIELD | FRAGMENT_SPREAD | "
    "INLINE_FRAGMENT | QUERY\n";

static gql_schema_t *fixture_build(const char *sdl)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_error_list_t errors;
    gql_errors_init(&errors, &a, 0);
    facet_str_t src = facet_str_c(sdl);
    gql_schema_t *s = NULL;
    if (gql_schema_build(&src, 1, &s, &errors) != FACET_OK) {
        for (gql_error_t *e = errors.head; e; e = e->next)
            fprintf(stderr, "schema: %.*s\n", (int)e->message.len, e->message.base);
    }
    facet_arena_free(&a);
    CHECK(s != NULL);
    return s;
}

/* Writes errors one per line as "message @line:col,line:col". */
static void fixture_format(const gql_error_list_t *errors, facet_buf_t *out)
{
    for (const gql_error_t *e = errors->head; e; e = e->next) {
        if (e != errors->head)
            facet_buf_append(out, "\n", 1);
        facet_buf_append(out, e->message.base, e->message.len);
        for (size_t i = 0; i < e->nlocations; i++)
            facet_buf_printf(out, "%s%u:%u", i ? "," : " @", e->locations[i].line,
                             e->locations[i].column);
        CHECK(e->code && strcmp(e->code, GQL_CODE_VALIDATION_FAILED) == 0);
    }
    facet_buf_append(out, "", 1);
}

static __attribute__((unused)) void fixture_check(const char *file, int line, gql_schema_t *schema,
                                                  const char *query,
                                                  const gql_validate_opts_t *opts,
                                                  const char *expected)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_error_list_t errors;
    gql_errors_init(&errors, &a, 0);
    gql_ast_document_t *doc = NULL;
    if (gql_parse(&a, query, strlen(query), NULL, &doc, &errors) != FACET_OK) {
        fprintf(stderr, "%s:%d: parse error in test document\n", file, line);
        exit(1);
    }
    int rc = gql_validate(schema, doc, opts, &a, &errors);
    facet_buf_t got;
    facet_buf_init(&got, 0);
    fixture_format(&errors, &got);
    if (strcmp(got.base, expected) != 0 || rc != (*expected ? FACET_EINVAL : FACET_OK)) {
        fprintf(stderr, "%s:%d: rc %d for\n  %s\ngot:\n%s\nexpected:\n%s\n", file, line, rc, query,
                got.base, expected);
        exit(1);
    }
    facet_buf_free(&got);
    facet_arena_free(&a);
}

static __attribute__((unused)) void fixture_expect(const char *file, int line, const char *query,
                                                   bool hide, const char *expected)
{
    gql_schema_t *s = fixture_build(fixture_sdl);
    gql_validate_opts_t opts = {hide, 0};
    fixture_check(file, line, s, query, &opts, expected);
    gql_schema_free(s);
}

#define EXPECT(query, errors)        fixture_expect(__FILE__, __LINE__, (query), false, (errors))
#define EXPECT_HIDDEN(query, errors) fixture_expect(__FILE__, __LINE__, (query), true, (errors))

#endif
