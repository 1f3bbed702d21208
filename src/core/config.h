/* Configuration from environment variables. Loaded once at start-up and
 * immutable afterwards, so every thread may read it without locks. Strings
 * are owned by the config and released by facet_config_free. */
#ifndef FACET_CORE_CONFIG_H
#define FACET_CORE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/log.h"

typedef struct facet_config {
    char *host;
    int port;
    int threads; /* 0 in the environment means "number of cores" */
    char *mongodb_uri;
    char *valkey_url;
    char *data_dir;
    facet_log_level_t log_level;
    int max_headers;
    uint64_t max_request_line; /* bytes */
    uint64_t max_header_size;  /* bytes, whole head */
    uint64_t max_body_size;    /* bytes, decoded */
    uint64_t request_timeout_ms;
    uint64_t idle_timeout_ms;
    uint64_t shutdown_timeout_ms;
    uint64_t dependency_timeout_ms;
    int mongo_pool_size;
    /* GraphQL */
    char *schema;        /* an SDL file or a folder of *.graphql files */
    char *env;           /* development, test or production */
    char *introspection; /* auto, on or off */
    bool csrf_prevention;
    bool batching;
    int max_batch;
    uint64_t apq_ttl_ms;
    int doc_cache_entries;
    uint64_t doc_cache_size;
    int max_depth;
    int max_aliases;
    int max_root_fields;
    int max_directives;
    int max_tokens;
    int max_cost;
    /* WebSocket */
    uint64_t ws_init_timeout_ms;
    uint64_t ws_ping_interval_ms;
    uint64_t ws_max_message;
    uint64_t ws_max_buffered;
} facet_config_t;

/* True when FACET_ENV is production. */
bool facet_config_production(const facet_config_t *cfg);
/* Introspection on or off after FACET_INTROSPECTION and FACET_ENV. */
bool facet_config_introspection(const facet_config_t *cfg);

/* Looks a variable up; returns NULL when unset. */
typedef const char *(*facet_getenv_fn)(void *ctx, const char *name);

/* Fills cfg from the environment, applying defaults. On a bad value it
 * returns FACET_EINVAL and writes a message naming the variable into err;
 * cfg then holds nothing that needs freeing. */
int facet_config_load(facet_config_t *cfg, facet_getenv_fn get, void *ctx, char *err,
                      size_t errlen);

/* Reads the process environment (getenv). */
const char *facet_config_getenv(void *ctx, const char *name);

void facet_config_free(facet_config_t *cfg);

/* Prints every variable with its default and meaning. */
void facet_config_print_help(FILE *out);

/* Parsers used by the loader, exposed for tests. A size takes an optional
 * k/m/g suffix (powers of 1024, with or without "B"/"iB"); a duration takes
 * ms, s, m or h (a bare number is milliseconds). */
int facet_config_parse_size(const char *text, uint64_t *out);
int facet_config_parse_duration(const char *text, uint64_t *out_ms);

#endif
