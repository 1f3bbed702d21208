/* The GraphQL service of `facet serve`: the schema loaded at start-up with
 * its resolvers bound, and GraphQL over HTTP at /graphql (GET and POST,
 * automatic persisted queries in Valkey, batching, limits). The schema is
 * immutable once loaded and shared by every loop; each loop keeps its own
 * cache of validated documents. */
#ifndef FACET_APP_GRAPHQL_H
#define FACET_APP_GRAPHQL_H

#include <stdbool.h>

#include "core/config.h"
#include "gql/doc_cache.h"
#include "gql/exec.h"
#include "gql/schema.h"
#include "gql/validate.h"
#include "http/gql_http.h"
#include "http/server.h"

/* Binds resolvers to the schema's fields (gql_field_bind). Returns FACET_OK,
 * or an error with a message in err. */
typedef int (*app_graphql_bind_fn)(gql_schema_t *schema, char *err, size_t errlen);

typedef struct app_graphql {
    gql_schema_t *schema; /* NULL when no schema is configured */
    gql_limits_t limits;
    gql_http_opts_t http;
    bool introspection;
    uint64_t apq_ttl_ms;
    uint64_t valkey_timeout_ms;
    size_t cache_entries;
    size_t cache_bytes;
} app_graphql_t;

/* Loads FACET_SCHEMA (a file, or a folder's *.graphql files in name order)
 * and binds resolvers with bind. A missing FACET_SCHEMA leaves the service
 * off (schema NULL) so the server runs without /graphql. Start-up fails,
 * with a message naming FACET_SCHEMA, on an invalid schema or a root field
 * without a resolver (no default resolver applies at the root). */
int app_graphql_init(app_graphql_t *g, const facet_config_t *cfg, app_graphql_bind_fn bind,
                     char *err, size_t errlen);
void app_graphql_free(app_graphql_t *g);

/* Execution options for the served schema, the same for HTTP, WebSocket
 * and subscription events: introspection and suggestions as configured,
 * request errors with codes. context is handed to the resolvers. */
gql_exec_opts_t app_graphql_exec_opts(const app_graphql_t *g, const gql_doc_t *doc,
                                      facet_str_t operation_name, const gql_value_t *variables,
                                      void *context,
                                      void (*on_done)(gql_exec_t *ex, void *context));

#endif
