/* What the activity log keeps of a mutation's text: a label naming the
 * operation and its root fields, and a JSON summary of the root fields'
 * arguments with the variables filled in, secrets replaced by "[redacted]"
 * and the size capped. Pure functions: no I/O, nothing allocated outside
 * the caller's buffer, so they are unit-tested on parsed documents. */
#ifndef FACET_APP_ACTIVITY_SUMMARY_H
#define FACET_APP_ACTIVITY_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/str.h"
#include "gql/ast.h"
#include "gql/value.h"

/* The summary's default size bound, in bytes. */
#define APP_ACTIVITY_ARGS_CAP 2048
/* What a secret is replaced with. */
#define APP_ACTIVITY_REDACTED "[redacted]"
/* Strings longer than this many bytes are cut (at a character boundary)
 * and end with "…". */
#define APP_ACTIVITY_STRING_MAX 200

/* True when name (an argument, an input field, a variable or a JSON key)
 * names a secret: it contains, ignoring case, "password", "token" (hence
 * accessToken and refreshToken), "secret", "receipt" or "authorization". */
bool app_activity_secret_name(facet_str_t name);

/* The operation of doc that a request with operation_name (base NULL when
 * not given) runs: the one of that name, or the only one. NULL when there
 * is no such operation (execution then fails before running anything). */
const gql_ast_operation_t *app_activity_select(const gql_ast_document_t *doc,
                                               facet_str_t operation_name);

/* Writes the operation's label into out (always NUL-terminated): its
 * root fields' names separated by ", " (fragments followed, __typename and
 * repeated fields left out), after "<OperationName>: " when the operation
 * is named. A label longer than outlen - 1 bytes ends with "…" at a field
 * boundary where possible. outlen must be at least 8. */
void app_activity_label(const gql_ast_document_t *doc, const gql_ast_operation_t *op, char *out,
                        size_t outlen);

/* Appends the summary of the operation's arguments to out, a JSON object:
 * {"<responseKey>": {"<argument>": value, ...}, ...} for every root field
 * (fragments followed, __typename left out). Variables take their value
 * from variables (a JSON object, may be NULL) or their default; an
 * argument whose variable has neither is left out. A secret (see
 * app_activity_secret_name: the argument, input field or JSON key, or the
 * variable it came from) becomes "[redacted]". Long strings are cut, values
 * nested deeper than a few levels become "…", and once the summary would
 * pass about cap bytes (at least 256) the remaining members give way to one
 * "…": "[truncated]" member; the result never exceeds cap bytes. Returns
 * FACET_OK or FACET_ENOMEM (out is then left as it was). */
int app_activity_summarize(const gql_ast_document_t *doc, const gql_ast_operation_t *op,
                           const gql_value_t *variables, size_t cap, facet_buf_t *out);

#endif
