/* Masking internal errors in responses and logging them with the request
 * id. */
#include "app/errors.h"

#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "core/error.h"
#include "core/log.h"
#include "gql/error.h"

#define LOG_MESSAGE_MAX 2048 /* bytes of a real message kept in the log */
#define LOG_PATH_MAX    512

/* The answer gql_exec_write gives when the execution's arena ran out: a
 * fixed text without a code. It is Facet's failure, so it is masked too. */
#define ENGINE_OOM_RESPONSE \
    "{\"errors\":[{\"message\":\"Execution ran out of memory.\"}],\"data\":null}"

#define MASKED_RESPONSE "{\"errors\":" APP_INTERNAL_ERRORS_JSON ",\"data\":null}"
#define ERRORS_OPEN     "{\"errors\":"

static void log_line(const char *request_id, const char *field, const char *path,
                     const char *message)
{
    facet_log_line_t line;
    if (facet_log_begin(&line, FACET_LOG_ERROR, "internal error")) {
        facet_log_cstr(&line, "request_id", request_id ? request_id : "");
        if (field)
            facet_log_cstr(&line, "field", field);
        if (path)
            facet_log_cstr(&line, "path", path);
        facet_log_cstr(&line, "error", message);
    }
    facet_log_end(&line);
}

void app_fail_internal(gql_resolve_t *r, const char *fmt, ...)
{
    char message[LOG_MESSAGE_MAX], field[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    const app_exec_ctx_t *ctx = gql_resolve_context(r);
    const gql_type_t *parent = gql_resolve_parent_type(r);
    const gql_field_t *f = gql_resolve_field(r);
    facet_str_t key = gql_resolve_key(r);
    snprintf(field, sizeof field, "%.*s.%.*s", parent ? (int)parent->name.len : 0,
             parent ? parent->name.base : "", f ? (int)f->name.len : 0, f ? f->name.base : "");
    char path[LOG_PATH_MAX];
    snprintf(path, sizeof path, "%.*s", (int)key.len, key.base ? key.base : "");
    log_line(ctx ? ctx->request_id : NULL, field, path, message);
    gql_resolve_fail(r, GQL_CODE_INTERNAL, "%s", APP_INTERNAL_MESSAGE);
}

void app_log_internal(const char *request_id, const char *fmt, ...)
{
    char message[LOG_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    log_line(request_id, NULL, NULL, message);
}

/* ---- masking a written response ---- */

static bool needs_mask(const gql_error_t *e)
{
    return e->code && strcmp(e->code, GQL_CODE_INTERNAL) == 0 &&
           !facet_str_eq(e->message, FACET_STR_LIT(APP_INTERNAL_MESSAGE));
}

/* "posts.3.title": the error's response path, for the log. */
static void format_path(const gql_error_t *e, char *out, size_t len)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < e->npath && used < len; i++) {
        const gql_path_segment_t *s = &e->path[i];
        const char *dot = i ? "." : "";
        int n = s->key.base
                    ? snprintf(out + used, len - used, "%s%.*s", dot, (int)s->key.len, s->key.base)
                    : snprintf(out + used, len - used, "%s%zu", dot, s->index);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

/* Replaces out[at, at + old_len) with repl. */
static int splice_bytes(facet_buf_t *out, size_t at, size_t old_len, const facet_buf_t *repl)
{
    if (repl->len > old_len && facet_buf_reserve(out, repl->len - old_len) != FACET_OK)
        return FACET_ENOMEM;
    memmove(out->base + at + repl->len, out->base + at + old_len, out->len - at - old_len);
    memcpy(out->base + at, repl->base, repl->len);
    out->len = out->len - old_len + repl->len;
    return FACET_OK;
}

/* The error list as the client may see it: a copy whose internal messages
 * are masked (locations and paths are shared with the original, which
 * outlives this call). Each masked error is logged. */
static int masked_copy(const gql_error_list_t *errors, facet_arena_t *a, const char *request_id,
                       gql_error_list_t *out)
{
    gql_errors_init(out, a, 0);
    for (const gql_error_t *e = errors->head; e; e = e->next) {
        bool mask = needs_mask(e);
        if (mask) {
            char path[LOG_PATH_MAX], message[LOG_MESSAGE_MAX];
            format_path(e, path, sizeof path);
            snprintf(message, sizeof message, "%.*s", (int)e->message.len, e->message.base);
            log_line(request_id, NULL, path, message);
        }
        gql_error_t *c = mask ? gql_error_add(out, e->code, e->locations, e->nlocations, "%s",
                                              APP_INTERNAL_MESSAGE)
                              : gql_error_add(out, e->code, e->locations, e->nlocations, "%.*s",
                                              (int)e->message.len, e->message.base);
        if (!c)
            return FACET_ENOMEM;
        c->path = e->path;
        c->npath = e->npath;
    }
    return FACET_OK;
}

/* Rewrites the errors member of the response written at out[from..] with
 * the masked list. The executor writes {"errors":[...],...} with the list
 * gql_errors_write_json gives, so the member is found by writing the list
 * again and comparing. Returns FACET_EINVAL when the response does not have
 * that shape. */
static int mask_errors(gql_exec_t *ex, const char *request_id, facet_buf_t *out, size_t from,
                       bool *has_data)
{
    const gql_error_list_t *errors = gql_exec_errors(ex);
    const size_t at = from + sizeof ERRORS_OPEN - 1;
    facet_buf_t orig, repl;
    facet_arena_t a;
    gql_error_list_t masked;
    facet_buf_init(&orig, 0);
    facet_buf_init(&repl, 0);
    facet_arena_init(&a, 0);
    int rc = gql_errors_write_json(errors, &orig);
    if (rc == FACET_OK && (out->len - from < sizeof ERRORS_OPEN - 1 + orig.len ||
                           memcmp(out->base + from, ERRORS_OPEN, sizeof ERRORS_OPEN - 1) != 0 ||
                           memcmp(out->base + at, orig.base, orig.len) != 0))
        rc = FACET_EINVAL;
    if (rc == FACET_OK)
        *has_data = out->len > at + orig.len && out->base[at + orig.len] == ',';
    if (rc == FACET_OK)
        rc = masked_copy(errors, &a, request_id, &masked);
    if (rc == FACET_OK)
        rc = gql_errors_write_json(&masked, &repl);
    if (rc == FACET_OK)
        rc = splice_bytes(out, at, orig.len, &repl);
    facet_buf_free(&orig);
    facet_buf_free(&repl);
    facet_arena_free(&a);
    return rc;
}

static bool any_to_mask(const gql_error_list_t *errors)
{
    for (const gql_error_t *e = errors->head; e; e = e->next) {
        if (needs_mask(e))
            return true;
    }
    return false;
}

static int write_masked(facet_buf_t *out, size_t from, bool *has_data)
{
    out->len = from;
    *has_data = true;
    return facet_buf_append_str(out, MASKED_RESPONSE);
}

int app_write_result(gql_exec_t *ex, const char *request_id, facet_buf_t *out, bool *has_data)
{
    const size_t from = out->len;
    int rc = gql_exec_write(ex, out);
    if (rc != FACET_OK) {
        app_log_internal(request_id, "the response could not be written: %s", facet_strerror(rc));
        if (write_masked(out, from, has_data) == FACET_OK)
            return FACET_OK;
        out->len = from;
        return FACET_ENOMEM;
    }
    facet_str_t seg = facet_str(out->base + from, out->len - from);
    if (facet_str_eq(seg, FACET_STR_LIT(ENGINE_OOM_RESPONSE))) {
        app_log_internal(request_id, "execution ran out of memory (its arena is full)");
        return write_masked(out, from, has_data);
    }
    const gql_error_list_t *errors = gql_exec_errors(ex);
    if (errors->count == 0) {
        *has_data = true; /* {"data":...} */
        return FACET_OK;
    }
    /* Errors come first; their messages are JSON strings whose quotes are
     * escaped, so the raw sequence below can only be the data member. */
    *has_data = memmem(seg.base, seg.len, "],\"data\":", 9) != NULL;
    if (!any_to_mask(errors))
        return FACET_OK;
    rc = mask_errors(ex, request_id, out, from, has_data);
    if (rc == FACET_EINVAL) {
        app_log_internal(request_id, "a response with internal errors had an unexpected shape");
        return write_masked(out, from, has_data);
    }
    if (rc != FACET_OK) {
        app_log_internal(request_id, "internal errors could not be masked: out of memory");
        return write_masked(out, from, has_data);
    }
    return FACET_OK;
}
