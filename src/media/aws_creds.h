/* AWS credentials for SigV4: fixed keys from the AWS_* variables, or
 * temporary ones from the ECS task role endpoint (the container credentials
 * provider), cached and fetched again before they expire. One provider is
 * shared by every thread; media_aws_creds_get may block on an HTTP request,
 * so call it from the libuv thread pool, never from an event loop. */
#ifndef FACET_MEDIA_AWS_CREDS_H
#define FACET_MEDIA_AWS_CREDS_H

#include <stdint.h>
#include <time.h>

#include "media/sigv4.h"

/* The address of the ECS credentials endpoint a relative URI is put on. */
#define MEDIA_AWS_ECS_HOST "http://169.254.170.2"

typedef struct media_aws_creds_opts {
    /* Fixed keys (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and optionally
     * AWS_SESSION_TOKEN). When both keys are set they win over the rest. */
    const char *access_key_id;
    const char *secret_access_key;
    const char *session_token;
    /* The container endpoint: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (put
     * on MEDIA_AWS_ECS_HOST) or else AWS_CONTAINER_CREDENTIALS_FULL_URI
     * (https anywhere; plain http only to a loopback address or the ECS and
     * EKS link-local endpoints), with the Authorization header from
     * AWS_CONTAINER_AUTHORIZATION_TOKEN or the file named by
     * AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (read at every fetch). */
    const char *container_relative_uri;
    const char *container_full_uri;
    const char *container_auth_token;
    const char *container_auth_token_file;
    /* Fetch again this long before Expiration (0: 5 minutes). */
    uint64_t refresh_before_ms;
    /* Connect and total timeout of one fetch (0: 2 seconds). */
    uint64_t timeout_ms;
} media_aws_creds_opts_t;

/* A copy of the current credentials, owned by the caller: release it with
 * media_aws_creds_value_free. sigv4 points into the copy. */
typedef struct media_aws_creds_value {
    media_sigv4_creds_t sigv4;
    time_t expiration; /* 0 for fixed keys */
    char *storage;     /* the three strings, one allocation */
} media_aws_creds_value_t;

typedef struct media_aws_creds media_aws_creds_t;

/* Reads the standard AWS_* variables above through get (NULL means
 * unset); the strings are borrowed from the environment. */
typedef const char *(*media_aws_getenv_fn)(void *ctx, const char *name);
void media_aws_creds_opts_from_env(media_aws_creds_opts_t *o, media_aws_getenv_fn get, void *ctx);

/* Checks the options and creates the provider (no network access yet; the
 * strings are copied). Returns FACET_EINVAL with a message naming the
 * variable in err when only one of the two keys is set, when a URI is
 * malformed or not allowed, or FACET_ENOTFOUND when no source is configured.
 * Free with media_aws_creds_free. */
int media_aws_creds_new(const media_aws_creds_opts_t *o, media_aws_creds_t **out, char *err,
                        size_t errlen);
void media_aws_creds_free(media_aws_creds_t *c);

/* Copies the current credentials into out. Fetches them from the container
 * endpoint first when there are none yet or they expire within the refresh
 * margin; while one thread fetches, the others keep using credentials that
 * are still valid, or wait for the fetch when they are not. A failed
 * refresh of still-valid credentials is retried at most every 10 seconds.
 * Blocking (thread pool only). Returns FACET_EIO or FACET_ETIMEDOUT with a
 * message in err when no valid credentials can be had, FACET_ENOMEM. */
int media_aws_creds_get(media_aws_creds_t *c, media_aws_creds_value_t *out, char *err,
                        size_t errlen);
void media_aws_creds_value_free(media_aws_creds_value_t *v);

/* How many times the endpoint has been asked (for tests and metrics). */
uint64_t media_aws_creds_fetches(media_aws_creds_t *c);

/* Parses an ISO 8601 UTC time as the endpoint writes Expiration
 * ("2024-05-01T12:00:00Z", fractions of a second and "+00:00" allowed).
 * Returns FACET_EINVAL for anything else. Exposed for tests. */
int media_aws_parse_time(const char *s, size_t len, time_t *out);

#endif
