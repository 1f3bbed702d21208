/* Helpers shared by the schema tests: build a schema from one SDL string,
 * and render what came out (errors, type order, printSchema) as text that
 * can be compared with graphql-js 16.15's output for the same SDL. */
#ifndef FACET_TEST_GQL_SCHEMA_H
#define FACET_TEST_GQL_SCHEMA_H

#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "gql/schema.h"
#include "test.h"

typedef struct built {
    facet_arena_t arena; /* errors */
    gql_error_list_t errors;
    gql_schema_t *schema;
    int rc;
    facet_buf_t text;
} built_t;

static inline void built_init(built_t *b)
{
    memset(b, 0, sizeof *b);
    facet_arena_init(&b->arena, 0);
    gql_errors_init(&b->errors, &b->arena, 0);
    facet_buf_init(&b->text, 0);
}

static inline built_t *build_sdl(built_t *b, const char *sdl)
{
    built_init(b);
    facet_str_t src = facet_str_c(sdl);
    b->rc = gql_schema_build(&src, 1, &b->schema, &b->errors);
    return b;
}

static inline void built_free(built_t *b)
{
    gql_schema_free(b->schema);
    facet_arena_free(&b->arena);
    facet_buf_free(&b->text);
}

/* Errors as "message line:column ...", one per line, no trailing newline. */
static inline const char *errors_text(built_t *b)
{
    facet_buf_reset(&b->text);
    for (gql_error_t *e = b->errors.head; e; e = e->next) {
        if (e != b->errors.head)
            facet_buf_append(&b->text, "\n", 1);
        facet_buf_append(&b->text, e->message.base, e->message.len);
        for (size_t i = 0; i < e->nlocations; i++)
            facet_buf_printf(&b->text, " %u:%u", e->locations[i].line, e->locations[i].column);
    }
    facet_buf_append(&b->text, "", 1);
    return b->text.base;
}

/* The type map's names, space-separated. */
static inline const char *types_text(built_t *b)
{
    facet_buf_reset(&b->text);
    for (size_t i = 0; i < b->schema->ntypes; i++)
        facet_buf_printf(&b->text, "%s%.*s", i ? " " : "", (int)b->schema->types[i]->name.len,
                         b->schema->types[i]->name.base);
    facet_buf_append(&b->text, "", 1);
    return b->text.base;
}

static inline const char *print_text(built_t *b)
{
    facet_buf_reset(&b->text);
    CHECK_EQ_INT(gql_schema_print(b->schema, &b->text), 0);
    facet_buf_append(&b->text, "", 1);
    return b->text.base;
}

/* Builds sdl, which must fail, and compares the errors. */
#define CHECK_SDL_ERRORS(sdl, expected)              \
    do {                                             \
        built_t sb_;                                 \
        build_sdl(&sb_, (sdl));                      \
        CHECK_EQ_INT(sb_.rc, FACET_EINVAL);          \
        CHECK(sb_.schema == NULL);                   \
        CHECK_EQ_STR(errors_text(&sb_), (expected)); \
        built_free(&sb_);                            \
    } while (0)

/* Builds sdl, which must succeed, and compares printSchema's output. */
#define CHECK_SDL_PRINTS(sdl, expected)                 \
    do {                                                \
        built_t sb_;                                    \
        build_sdl(&sb_, (sdl));                         \
        if (sb_.rc)                                     \
            fprintf(stderr, "%s\n", errors_text(&sb_)); \
        CHECK_EQ_INT(sb_.rc, 0);                        \
        CHECK_EQ_STR(print_text(&sb_), (expected));     \
        built_free(&sb_);                               \
    } while (0)

#endif
