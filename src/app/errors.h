/* Internal errors, masked. A failure that is Facet's fault (a dependency
 * down, memory exhausted, a bug) reaches the client only as Apollo Server
 * sends a masked error: message "Internal server error" with
 * extensions.code INTERNAL_SERVER_ERROR. The real message goes to the log,
 * on one error line that carries the request id, so an operator can find it
 * from the X-Request-Id the client saw. */
#ifndef FACET_APP_ERRORS_H
#define FACET_APP_ERRORS_H

#include <stdarg.h>
#include <stdbool.h>

#include "core/buf.h"
#include "gql/exec.h"

#define APP_INTERNAL_MESSAGE "Internal server error"

/* The masked error as a one-element JSON array, for request-level failures
 * written by hand. */
#define APP_INTERNAL_ERRORS_JSON                                             \
    "[{\"message\":\"" APP_INTERNAL_MESSAGE "\",\"extensions\":{\"code\":\"" \
    "INTERNAL_SERVER_ERROR\"}}]"

/* Completes the field with the masked error (the field becomes null, or its
 * nearest nullable parent does) after logging the formatted message with
 * the request id, the field (Type.field) and its response key. The
 * resolver's context must be an app_exec_ctx_t (every served execution's
 * is) or NULL (engine benchmarks): the request id is then empty. Long
 * messages are cut in the log. */
void app_fail_internal(gql_resolve_t *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Logs an internal failure that happened outside a resolver (the request
 * could not be executed or answered), with request_id (may be NULL). */
void app_log_internal(const char *request_id, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Appends ex's response (a finished execution) to out, as gql_exec_write
 * does, with every error whose code is INTERNAL_SERVER_ERROR and whose
 * message is not already the masked one masked, each logged with
 * request_id and its path; and with the engine's out-of-memory answer, or a
 * response that could not be written, replaced by the masked error (logged
 * too). Sets *has_data to whether the response has a data member (a
 * request error, such as a bad variable, has none). Returns FACET_OK, or
 * FACET_ENOMEM when out itself could not grow (out is then left as it was
 * on entry). */
int app_write_result(gql_exec_t *ex, const char *request_id, facet_buf_t *out, bool *has_data);

#endif
