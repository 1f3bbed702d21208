/* Downloads an image from a user-given URL under the SSRF policy of
 * media/ssrf.h: http and https only, every address actually connected to
 * checked (names that resolve to forbidden addresses and DNS rebinding
 * included), no proxy from the environment, redirects followed one by one
 * under the same policy up to a small count, connect and total timeouts, a
 * maximum size, and a 2xx status. Blocking: call it on the thread pool. */
#ifndef FACET_MEDIA_FETCH_H
#define FACET_MEDIA_FETCH_H

#include <stddef.h>
#include <stdint.h>

#include "media/ssrf.h"

/* Settings, borrowed for the duration of the call. Zero values pick the
 * defaults below. */
typedef struct media_fetch_opts {
    const media_ssrf_policy_t *policy; /* NULL: public addresses only */
    uint64_t connect_timeout_ms;       /* per connection; default 5000 */
    uint64_t timeout_ms;               /* the whole fetch, redirects included; default 15000 */
    uint64_t max_bytes;                /* body size; default 10 MiB */
    int max_redirects;                 /* default 3; MEDIA_FETCH_NO_REDIRECTS follows none */
    const char *user_agent;            /* default "facet/<version>" */
    /* Pinned resolutions in curl's "host:port:address" form (as
     * CURLOPT_RESOLVE takes them), NULL-terminated; NULL for none. The
     * pinned addresses are still checked by the policy. For tests that
     * need a name resolving to a chosen address. */
    const char *const *resolve;
} media_fetch_opts_t;

#define MEDIA_FETCH_DEFAULT_CONNECT_TIMEOUT_MS 5000
#define MEDIA_FETCH_DEFAULT_TIMEOUT_MS         15000
#define MEDIA_FETCH_DEFAULT_MAX_BYTES          (10u * 1024 * 1024)
#define MEDIA_FETCH_DEFAULT_MAX_REDIRECTS      3
#define MEDIA_FETCH_NO_REDIRECTS               (-1)

/* Why a fetch failed, for callers that map failures to their own errors. */
typedef enum media_fetch_error {
    MEDIA_FETCH_OK = 0,
    MEDIA_FETCH_BAD_URL,            /* not a URL, or no host */
    MEDIA_FETCH_BAD_SCHEME,         /* anything but http and https */
    MEDIA_FETCH_FORBIDDEN,          /* the policy refused an address */
    MEDIA_FETCH_TOO_LARGE,          /* Content-Length or the body passed max_bytes */
    MEDIA_FETCH_TIMEOUT,            /* connect or total timeout */
    MEDIA_FETCH_TOO_MANY_REDIRECTS, /* more than max_redirects */
    MEDIA_FETCH_HTTP_STATUS,        /* the final status was not 2xx */
    MEDIA_FETCH_NETWORK,            /* resolution, connection, TLS or protocol failure */
    MEDIA_FETCH_INTERNAL,           /* out of memory, libcurl refused a setting */
} media_fetch_error_t;

/* The outcome. body is malloc'd and owned by the result: release it with
 * media_fetch_result_free (also after a failure; safe on a zeroed result). */
typedef struct media_fetch_result {
    uint8_t *body;
    size_t len;
    long http_status;          /* of the last response, 0 when none came */
    unsigned redirects;        /* redirects followed */
    media_fetch_error_t error; /* MEDIA_FETCH_OK on success */
} media_fetch_result_t;

/* Fetches url (NUL-terminated) with GET. On success returns FACET_OK with
 * out->body holding the whole body of a 2xx response. On failure returns
 * FACET_EINVAL (bad URL or scheme), FACET_EDENIED (forbidden address),
 * FACET_ELIMIT (too large, too many redirects), FACET_ETIMEDOUT, FACET_EIO
 * (HTTP status, network) or FACET_ENOMEM, sets out->error, and writes into
 * err (truncated to errlen, NUL-terminated) a message fit for the client:
 * it names the reason but never the address a name resolved to. The format
 * of the body is not checked here: the caller decides it from the bytes. */
int media_fetch_url(const char *url, const media_fetch_opts_t *opts, media_fetch_result_t *out,
                    char *err, size_t errlen);

void media_fetch_result_free(media_fetch_result_t *r);

/* Initializes libcurl once per process (curl_global_init); thread-safe.
 * media_fetch_url and the moderation providers call it themselves. */
int media_fetch_global_init(void);

/* A static name for an error ("forbidden", "too_large", ...). */
const char *media_fetch_error_name(media_fetch_error_t e);

#endif
