/* graphql-transport-ws message reading and writing. */
#include "http/gql_ws.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "gql/json.h"

static int invalid(char *reason, size_t n, const char *fmt, const char *a, const char *b)
{
    snprintf(reason, n, fmt, a ? a : "", b ? b : "");
    return FACET_EINVAL;
}

/* Reads an optional member that must be an object when present and not
 * null. */
static int optional_object(const gql_value_t *obj, const char *key, const gql_value_t **out)
{
    const gql_value_t *v = gql_value_get(obj, facet_str_c(key));
    *out = v && v->kind == GQL_V_OBJECT ? v : NULL;
    return !v || v->kind == GQL_V_NULL || v->kind == GQL_V_OBJECT ? FACET_OK : FACET_EINVAL;
}

static int read_id(const gql_value_t *obj, const char *type, gql_ws_message_t *out, char *reason,
                   size_t n)
{
    const gql_value_t *id = gql_value_get(obj, FACET_STR_LIT("id"));
    if (!id || id->kind != GQL_V_STRING)
        return invalid(reason, n,
                       "\"%s\" message expects the 'id' property to be a string, but got %s", type,
                       gql_value_type_name(id));
    if (id->u.s.len == 0)
        return invalid(reason, n, "\"%s\" message requires a non-empty 'id' property%s", type,
                       NULL);
    out->id = id->u.s;
    return FACET_OK;
}

static int read_subscribe(const gql_value_t *obj, gql_ws_message_t *out, char *reason, size_t n)
{
    if (read_id(obj, "subscribe", out, reason, n) != FACET_OK)
        return FACET_EINVAL;
    const gql_value_t *p = gql_value_get(obj, FACET_STR_LIT("payload"));
    if (!p || p->kind != GQL_V_OBJECT)
        return invalid(
            reason, n,
            "\"subscribe\" message expects the 'payload' property to be an object, but got %s%s",
            gql_value_type_name(p), NULL);
    out->payload = p;
    const gql_value_t *q = gql_value_get(p, FACET_STR_LIT("query"));
    if (!q || q->kind != GQL_V_STRING)
        return invalid(reason, n,
                       "\"subscribe\" message payload expects the 'query' property to be a string, "
                       "but got %s%s",
                       gql_value_type_name(q), NULL);
    out->query = q->u.s;
    const gql_value_t *op = gql_value_get(p, FACET_STR_LIT("operationName"));
    if (op && op->kind != GQL_V_NULL && op->kind != GQL_V_STRING)
        return invalid(reason, n,
                       "\"subscribe\" message payload expects the 'operationName' property to be a "
                       "string or nullish or missing, but got %s%s",
                       gql_value_type_name(op), NULL);
    if (op && op->kind == GQL_V_STRING)
        out->operation_name = op->u.s;
    if (optional_object(p, "variables", &out->variables) != FACET_OK)
        return invalid(reason, n,
                       "\"subscribe\" message payload expects the 'variables' property to be an "
                       "object or nullish or missing%s%s",
                       NULL, NULL);
    if (optional_object(p, "extensions", &out->extensions) != FACET_OK)
        return invalid(reason, n,
                       "\"subscribe\" message payload expects the 'extensions' property to be an "
                       "object or nullish or missing%s%s",
                       NULL, NULL);
    return FACET_OK;
}

static const struct {
    const char *name;
    gql_ws_type_t type;
} TYPES[] = {{"connection_init", GQL_WS_CONNECTION_INIT},
             {"ping", GQL_WS_PING},
             {"pong", GQL_WS_PONG},
             {"subscribe", GQL_WS_SUBSCRIBE},
             {"complete", GQL_WS_COMPLETE}};

int gql_ws_parse(facet_arena_t *a, const char *text, size_t len, size_t max_depth,
                 gql_ws_message_t *out, char *reason, size_t reason_len)
{
    gql_value_t *msg;
    char why[128];
    memset(out, 0, sizeof *out);
    if (gql_json_parse(a, text, len, max_depth, &msg, why, sizeof why) != FACET_OK)
        return invalid(reason, reason_len, "Message is not valid JSON: %s%s", why, NULL);
    if (msg->kind != GQL_V_OBJECT)
        return invalid(reason, reason_len, "Message is expected to be an object, but got %s%s",
                       gql_value_type_name(msg), NULL);
    const gql_value_t *t = gql_value_get(msg, FACET_STR_LIT("type"));
    if (!t || t->kind != GQL_V_STRING)
        return invalid(reason, reason_len, "Message is missing the 'type' property%s%s", NULL,
                       NULL);
    for (size_t i = 0; i < sizeof TYPES / sizeof TYPES[0]; i++) {
        if (!facet_str_eq(t->u.s, facet_str_c(TYPES[i].name)))
            continue;
        out->type = TYPES[i].type;
        if (out->type == GQL_WS_SUBSCRIBE)
            return read_subscribe(msg, out, reason, reason_len);
        if (out->type == GQL_WS_COMPLETE)
            return read_id(msg, "complete", out, reason, reason_len);
        if (optional_object(msg, "payload", &out->payload) != FACET_OK)
            return invalid(reason, reason_len,
                           "\"%s\" message expects the 'payload' property to be an object or "
                           "nullish or missing%s",
                           TYPES[i].name, NULL);
        return FACET_OK;
    }
    char shown[64];
    snprintf(shown, sizeof shown, "%.*s", (int)(t->u.s.len > 40 ? 40 : t->u.s.len), t->u.s.base);
    return invalid(reason, reason_len, "Invalid message 'type' property \"%s\"%s", shown, NULL);
}

int gql_ws_write_simple(facet_buf_t *out, const char *type, const char *payload_json)
{
    if (payload_json)
        return facet_buf_printf(out, "{\"type\":\"%s\",\"payload\":%s}", type, payload_json);
    return facet_buf_printf(out, "{\"type\":\"%s\"}", type);
}

static int write_with_id(facet_buf_t *out, const char *type, facet_str_t id, const char *json,
                         size_t len)
{
    int rc = facet_buf_printf(out, "{\"id\":");
    rc = rc ? rc : gql_json_write_string(out, id.base, id.len);
    rc = rc ? rc : facet_buf_printf(out, ",\"type\":\"%s\"", type);
    if (json) {
        rc = rc ? rc : facet_buf_append_str(out, ",\"payload\":");
        rc = rc ? rc : facet_buf_append(out, json, len);
    }
    return rc ? rc : facet_buf_append(out, "}", 1);
}

int gql_ws_write_next(facet_buf_t *out, facet_str_t id, const char *result_json, size_t len)
{
    return write_with_id(out, "next", id, result_json, len);
}

int gql_ws_write_error(facet_buf_t *out, facet_str_t id, const char *errors_json, size_t len)
{
    return write_with_id(out, "error", id, errors_json, len);
}

int gql_ws_write_complete(facet_buf_t *out, facet_str_t id)
{
    return write_with_id(out, "complete", id, NULL, 0);
}
