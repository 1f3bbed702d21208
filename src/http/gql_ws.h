/* The graphql-transport-ws protocol's messages: reading a client message
 * (validated as graphql-ws validates it) and writing server messages. Pure:
 * no I/O. The connection state machine that uses them lives with the
 * WebSocket connection. */
#ifndef FACET_HTTP_GQL_WS_H
#define FACET_HTTP_GQL_WS_H

#include <stddef.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/str.h"
#include "gql/value.h"

#define GQL_WS_PROTOCOL "graphql-transport-ws"

/* Close codes of the protocol. */
enum {
    GQL_WS_CLOSE_INTERNAL = 4500,
    GQL_WS_CLOSE_BAD_REQUEST = 4400,
    GQL_WS_CLOSE_UNAUTHORIZED = 4401,
    GQL_WS_CLOSE_FORBIDDEN = 4403,
    GQL_WS_CLOSE_SUBPROTOCOL = 4406,
    GQL_WS_CLOSE_INIT_TIMEOUT = 4408,
    GQL_WS_CLOSE_DUPLICATE = 4409,
    GQL_WS_CLOSE_TOO_MANY_INITS = 4429,
};

typedef enum gql_ws_type {
    GQL_WS_CONNECTION_INIT,
    GQL_WS_PING,
    GQL_WS_PONG,
    GQL_WS_SUBSCRIBE,
    GQL_WS_COMPLETE,
} gql_ws_type_t;

typedef struct gql_ws_message {
    gql_ws_type_t type;
    facet_str_t id;                /* SUBSCRIBE, COMPLETE */
    const gql_value_t *payload;    /* an object or NULL */
    facet_str_t query;             /* SUBSCRIBE */
    facet_str_t operation_name;    /* SUBSCRIBE; base NULL when absent or null */
    const gql_value_t *variables;  /* SUBSCRIBE; an object or NULL */
    const gql_value_t *extensions; /* SUBSCRIBE; an object or NULL */
} gql_ws_message_t;

/* Reads one text message. Returns FACET_OK, or FACET_EINVAL with the reason
 * to close with (code 4400) in reason. Values live in arena a. */
int gql_ws_parse(facet_arena_t *a, const char *text, size_t len, size_t max_depth,
                 gql_ws_message_t *out, char *reason, size_t reason_len);

/* Server messages. payload_json, when not NULL, is already JSON. */
int gql_ws_write_simple(facet_buf_t *out, const char *type, const char *payload_json);
int gql_ws_write_next(facet_buf_t *out, facet_str_t id, const char *result_json, size_t len);
int gql_ws_write_error(facet_buf_t *out, facet_str_t id, const char *errors_json, size_t len);
int gql_ws_write_complete(facet_buf_t *out, facet_str_t id);

#endif
