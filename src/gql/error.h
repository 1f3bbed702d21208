/* GraphQL errors as the response carries them: a message, the source
 * locations it concerns, the response path for execution errors, and an
 * extensions.code. Errors are allocated in an arena and kept in source
 * order in a list; a list keeps going after the first error, so validation
 * can report every problem at once. */
#ifndef FACET_GQL_ERROR_H
#define FACET_GQL_ERROR_H

#include <stdarg.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/buf.h"
#include "gql/ast.h"

/* One step of a response path: a field's response key or a list index. */
typedef struct gql_path_segment {
    facet_str_t key; /* base NULL for an index */
    size_t index;
} gql_path_segment_t;

typedef struct gql_error {
    facet_str_t message;
    gql_loc_t *locations;
    size_t nlocations;
    gql_path_segment_t *path; /* NULL for request errors */
    size_t npath;
    const char *code; /* static string, e.g. "GRAPHQL_VALIDATION_FAILED"; NULL: none */
    struct gql_error *next;
} gql_error_t;

typedef struct gql_error_list {
    facet_arena_t *arena; /* where errors are allocated; not owned */
    gql_error_t *head;
    gql_error_t *tail;
    size_t count;
    size_t max; /* further errors are dropped once count reaches max (0: no cap) */
} gql_error_list_t;

#define GQL_CODE_PARSE_FAILED      "GRAPHQL_PARSE_FAILED"
#define GQL_CODE_VALIDATION_FAILED "GRAPHQL_VALIDATION_FAILED"
#define GQL_CODE_BAD_USER_INPUT    "BAD_USER_INPUT"
#define GQL_CODE_INTERNAL          "INTERNAL_SERVER_ERROR"

void gql_errors_init(gql_error_list_t *list, facet_arena_t *arena, size_t max);

/* Appends an error with a printf-style message and nlocs locations. Returns
 * the error (to add a path or code), or NULL when memory ran out or the cap
 * was reached; the list stays usable either way. */
gql_error_t *gql_error_add(gql_error_list_t *list, const char *code, const gql_loc_t *locs,
                           size_t nlocs, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
gql_error_t *gql_error_addv(gql_error_list_t *list, const char *code, const gql_loc_t *locs,
                            size_t nlocs, const char *fmt, va_list ap);

/* Writes the list as a JSON array of {"message","locations","path",
 * "extensions":{"code"}} objects, in the member order graphql-js uses. */
int gql_errors_write_json(const gql_error_list_t *list, facet_buf_t *out);

#endif
