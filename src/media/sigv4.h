/* AWS Signature Version 4: the Authorization header for a request, or a
 * pre-signed URL query (X-Amz-Expires). Shared by S3 storage, Rekognition
 * moderation and video upload URLs. Pure: no I/O and no clock (the caller
 * passes the time), so the published test vectors run as they are.
 *
 * A request is described as it goes on the wire: the path and the query are
 * percent-encoded already. media_sigv4_uri_encode builds them from raw bytes
 * (an S3 object key, a query value) with the encoding SigV4 expects. */
#ifndef FACET_MEDIA_SIGV4_H
#define FACET_MEDIA_SIGV4_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "core/buf.h"

#define MEDIA_SIGV4_UNSIGNED_PAYLOAD "UNSIGNED-PAYLOAD"
#define MEDIA_SIGV4_EMPTY_SHA256     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define MEDIA_SIGV4_MAX_HEADERS      64     /* headers to sign, and query parameters */
#define MEDIA_SIGV4_MAX_EXPIRES      604800 /* seconds: seven days, as AWS allows */

typedef struct media_sigv4_creds {
    const char *access_key_id;
    const char *secret_access_key;
    const char *session_token; /* NULL or "" for long-term keys */
} media_sigv4_creds_t;

typedef struct media_sigv4_header {
    const char *name;  /* any case; a token (no spaces, no ':') */
    const char *value; /* white space is trimmed and runs of it collapsed when signing */
} media_sigv4_header_t;

/* One request. Every pointer is borrowed for the duration of the call. */
typedef struct media_sigv4_request {
    const char *method; /* "GET", "PUT", "POST", ... */
    const char *path;   /* as sent, percent-encoded, starting with '/' */
    const char *query;  /* as sent, percent-encoded, without '?'; NULL or "" for none */
    /* The headers to sign; Host is required. X-Amz-Date, X-Amz-Security-
     * Token, X-Amz-Content-Sha256 and Authorization are the signer's own and
     * refused here. Repeated names are joined with ',' in the given order. */
    const media_sigv4_header_t *headers;
    size_t nheaders;
    /* Lowercase hex SHA-256 of the body, or MEDIA_SIGV4_UNSIGNED_PAYLOAD.
     * NULL: computed here from payload[0..payload_len) (payload may be NULL
     * when payload_len is 0). */
    const char *payload_hash;
    const void *payload;
    size_t payload_len;
} media_sigv4_request_t;

typedef struct media_sigv4_params {
    const media_sigv4_creds_t *creds; /* borrowed; see media_sigv4_result_t.add */
    const char *region;               /* "us-east-1" */
    const char *service;              /* "s3", "rekognition", ... */
    time_t time;                      /* the signing time, seconds since the epoch (UTC) */
    /* S3 rules for the path: it is signed exactly as sent (encoded once, by
     * the caller, with media_sigv4_uri_encode) and never normalized. It must
     * then contain only unreserved bytes, '/' and %XX with uppercase hex.
     * Other services (false) encode the path a second time, after removing
     * "." and ".." segments and empty segments unless keep_path is set. */
    bool s3;
    bool keep_path;
    /* Header signing: sign and send x-amz-content-sha256 with the payload
     * hash (S3 requires it). */
    bool content_sha256_header;
    /* The session token is sent but left out of the signature (a few
     * services want that); by default it is signed. */
    bool unsigned_session_token;
} media_sigv4_params_t;

/* The outcome of a signing. It owns its buffers: release with
 * media_sigv4_result_free. add[] points into the result itself and into
 * params->creds, so do not copy the struct, and keep the credentials alive
 * while the headers are used. */
typedef struct media_sigv4_result {
    char amz_date[17];     /* "20150830T123600Z" */
    char payload_hash[65]; /* the hash signed, or UNSIGNED-PAYLOAD */
    char signature[65];    /* lowercase hex */
    /* media_sigv4_sign_headers: the headers to add to the request, in this
     * order: X-Amz-Date, X-Amz-Security-Token (with a session token),
     * x-amz-content-sha256 (with content_sha256_header), Authorization. */
    media_sigv4_header_t add[4];
    size_t nadd;
    facet_buf_t authorization; /* header signing: the Authorization value, NUL-terminated */
    /* media_sigv4_presign: the whole query to send after '?' (the request's
     * own parameters, the X-Amz-* ones and X-Amz-Signature), NUL-terminated. */
    facet_buf_t query;
    facet_buf_t canonical_request; /* NUL-terminated; for tests and debugging */
    facet_buf_t string_to_sign;    /* NUL-terminated */
} media_sigv4_result_t;

/* Signs req for an Authorization header. On success fills out (initialized
 * here; free it even after an error). Returns FACET_EINVAL with a message in
 * err for a malformed request (no Host, a reserved header, a bad path or
 * query encoding, a missing credential), FACET_ELIMIT past
 * MEDIA_SIGV4_MAX_HEADERS, FACET_ENOMEM. */
int media_sigv4_sign_headers(const media_sigv4_request_t *req, const media_sigv4_params_t *p,
                             media_sigv4_result_t *out, char *err, size_t errlen);

/* Signs req as a pre-signed URL valid for expires seconds (1 to
 * MEDIA_SIGV4_MAX_EXPIRES); out->query is the query to send. Only the
 * request's headers are signed (Host at least); the client must send them
 * with the same values. S3 uses MEDIA_SIGV4_UNSIGNED_PAYLOAD as payload
 * hash. The request's query must not carry X-Amz-* signing parameters.
 * Errors as media_sigv4_sign_headers. */
int media_sigv4_presign(const media_sigv4_request_t *req, const media_sigv4_params_t *p,
                        uint32_t expires, media_sigv4_result_t *out, char *err, size_t errlen);

void media_sigv4_result_free(media_sigv4_result_t *r);

/* Appends bytes[0..len) percent-encoded as SigV4 wants: unreserved bytes
 * (A-Z a-z 0-9 - . _ ~) as they are, '/' as it is when keep_slash, every
 * other byte as %XX with uppercase hex. Use keep_slash for an S3 key in a
 * path, not for query names and values. */
int media_sigv4_uri_encode(facet_buf_t *out, const char *bytes, size_t len, bool keep_slash);

/* The signing key for a day: HMAC chain over "AWS4" + secret, date
 * ("YYYYMMDD"), region, service and "aws4_request". */
void media_sigv4_signing_key(const char *secret, const char *date8, const char *region,
                             const char *service, unsigned char key[32]);

/* Lowercase hex SHA-256 of data into hex[65] (NUL-terminated). */
void media_sigv4_sha256_hex(const void *data, size_t len, char hex[65]);

#endif
