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
    /* The browser landing page (outside production) */
    char *graphiql_url; /* http(s) base URL of the CDN serving GraphiQL, no trailing '/' */
    /* Accounts and the wallet (optional strings are NULL when unset) */
    bool migrate;
    int blocking_threads;
    uint64_t cache_ttl_ms;
    char *jwt_secret;
    char *jwt_issuer;
    char *jwt_audience;
    uint64_t access_token_ttl_ms;
    uint64_t refresh_token_ttl_ms;
    char *jwks_url;
    char *jwks_issuer;
    char *jwks_audience;
    uint64_t jwks_refresh_ms;
    int password_ops;
    uint64_t password_memory;
    int signin_limit_address;
    int signin_limit_account;
    uint64_t signin_window_ms;
    uint64_t signin_lockout_ms;
    char *payments_provider; /* webhook or dev */
    char *payment_webhook_secret;
    uint64_t payment_webhook_tolerance_ms;
    char *gem_packages;
    /* Images: storage, URL ingest, the libvips pipeline and moderation
     * (src/app/media.c checks the choices and lists at start-up) */
    char *storage; /* fs or s3 */
    char *media_base_url;
    char *s3_bucket;
    char *s3_region;
    char *s3_endpoint;
    bool s3_path_style;
    char *fetch_allow; /* CIDRs URL ingest may reach beyond public addresses */
    uint64_t fetch_connect_timeout_ms;
    uint64_t fetch_timeout_ms;
    uint64_t fetch_max_bytes;
    int fetch_max_redirects;
    uint64_t image_max_bytes; /* base64 uploads, decoded */
    int image_max_pixels;
    char *image_format;
    int image_quality;
    int image_thumb;
    int image_medium;
    int image_large;
    int vips_concurrency;
    uint64_t vips_cache; /* bytes; 0 turns libvips' operation cache off */
    char *moderation;    /* none, rekognition or webhook */
    int moderation_min_confidence;
    char *moderation_reject_labels;
    char *moderation_review_labels;
    char *moderation_on_error; /* review or fail */
    uint64_t moderation_timeout_ms;
    char *moderation_webhook_url;
    char *moderation_webhook_secret;
    char *rekognition_region;
    char *rekognition_endpoint;
    /* Jobs and the activity log */
    int workers; /* I/O threads of `facet serve` running job workers */
    char *queue_prefix;
    int activity_retention_days;
    uint64_t maintenance_every_ms;
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

/* facet_config_load from the process environment, for a command: on a bad
 * value writes "<prog>: invalid configuration: <message>" to stderr and
 * returns FACET_EINVAL (cfg then holds nothing that needs freeing). */
int facet_config_load_env(facet_config_t *cfg, const char *prog);

void facet_config_free(facet_config_t *cfg);

/* Prints every variable with its default and meaning. */
void facet_config_print_help(FILE *out);

/* Parsers used by the loader, exposed for tests. A size takes an optional
 * k/m/g suffix (powers of 1024, with or without "B"/"iB"); a duration takes
 * ms, s, m, h or d (a bare number is milliseconds). */
int facet_config_parse_size(const char *text, uint64_t *out);
int facet_config_parse_duration(const char *text, uint64_t *out_ms);

#endif
