/* GraphQL over HTTP, the request side: media-type negotiation, Apollo's
 * CSRF-prevention rule, and the GraphQL parameters (query, operationName,
 * variables, extensions) read from a GET query string or a JSON POST body.
 * Pure: no I/O; everything it returns lives in the arena it is given. */
#ifndef FACET_HTTP_GQL_HTTP_H
#define FACET_HTTP_GQL_HTTP_H

#include <stdbool.h>

#include "core/arena.h"
#include "core/str.h"
#include "gql/value.h"

typedef enum gql_media {
    GQL_MEDIA_JSON,         /* application/json */
    GQL_MEDIA_GRAPHQL_JSON, /* application/graphql-response+json */
} gql_media_t;

/* The content type header value for a media type (with charset). */
const char *gql_media_content_type(gql_media_t m);

/* What the transport knows about the request. Absent headers have len 0. */
typedef struct gql_http_input {
    facet_str_t method;
    facet_str_t query_string; /* after '?', undecoded */
    facet_str_t content_type;
    facet_str_t accept;
    bool preflight_header; /* a non-empty apollo-require-preflight or x-apollo-operation-name */
    const char *body;
    size_t body_len;
} gql_http_input_t;

typedef struct gql_http_opts {
    bool csrf_prevention; /* Apollo's rule for POST; on by default */
    bool batching;        /* a JSON array of operations in one POST */
    size_t max_batch;     /* operations in one batch */
    size_t json_depth;    /* nesting allowed in variables and extensions */
} gql_http_opts_t;

/* One operation's parameters. */
typedef struct gql_http_params {
    bool has_query;
    facet_str_t query;
    facet_str_t operation_name;    /* base NULL when absent or null */
    const gql_value_t *variables;  /* an object, or NULL */
    const gql_value_t *extensions; /* an object, or NULL */
} gql_http_params_t;

typedef struct gql_http_request {
    gql_media_t media; /* negotiated from Accept */
    bool is_get;       /* GET (and HEAD): only queries may run */
    bool batch;        /* the body was an array */
    gql_http_params_t *ops;
    size_t nops;
} gql_http_request_t;

/* A refusal. When graphql is true the answer is a GraphQL response
 * {"errors":[{"message": message}]} in the negotiated media type; otherwise
 * it is a plain HTTP error. allow is set for 405. */
typedef struct gql_http_error {
    int status;
    bool graphql;
    const char *allow;
    char message[512];
} gql_http_error_t;

/* Reads the request. Returns FACET_OK and fills out, or FACET_EINVAL and
 * fills err. A malformed request is answered 400 whatever the media type
 * (GraphQL-over-HTTP; graphql-http 1.23's audit); the status of a document
 * or variable error is the caller's, since those are found later. */
int gql_http_parse(facet_arena_t *a, const gql_http_input_t *in, const gql_http_opts_t *opts,
                   gql_http_request_t *out, gql_http_error_t *err);

/* Negotiates Accept (q-values honoured; a missing header means
 * application/json). Returns FACET_ENOTFOUND when nothing acceptable is
 * offered (answer 406). */
int gql_http_negotiate(facet_str_t accept, gql_media_t *out);

/* Percent-decodes a query-string component ('+' is a space) into the arena.
 * Returns FACET_EINVAL for a malformed escape. */
int gql_http_url_decode(facet_arena_t *a, facet_str_t in, facet_str_t *out);

#endif
