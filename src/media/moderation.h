/* Image moderation through a provider chosen by config: none (everything
 * APPROVED), rekognition (AWS DetectModerationLabels over the JSON 1.1
 * protocol, signed with SigV4) or webhook (an HMAC-signed POST to a URL that
 * answers with a verdict). Labels at or above the minimum confidence whose
 * name or parent is in the reject list give REJECTED, in the review list
 * REVIEW. A provider that fails, times out or answers garbage gives REVIEW
 * or an error, per config, never APPROVED. Blocking: thread pool only. */
#ifndef FACET_MEDIA_MODERATION_H
#define FACET_MEDIA_MODERATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/str.h"
#include "media/aws_creds.h"

typedef enum media_mod_provider {
    MEDIA_MOD_NONE = 0,
    MEDIA_MOD_REKOGNITION,
    MEDIA_MOD_WEBHOOK,
} media_mod_provider_t;

/* Ordered by severity: a stricter verdict compares greater. */
typedef enum media_mod_status {
    MEDIA_MOD_APPROVED = 0,
    MEDIA_MOD_REVIEW,
    MEDIA_MOD_REJECTED,
} media_mod_status_t;

typedef enum media_mod_on_error {
    MEDIA_MOD_ON_ERROR_REVIEW = 0, /* the image is kept for review */
    MEDIA_MOD_ON_ERROR_FAIL,       /* media_moderate fails */
} media_mod_on_error_t;

#define MEDIA_MOD_DEFAULT_MIN_CONFIDENCE 50.0
#define MEDIA_MOD_DEFAULT_TIMEOUT_MS     10000
#define MEDIA_MOD_REKOGNITION_MAX_BYTES  (5u * 1024 * 1024) /* Image.Bytes, decoded */

/* Settings; immutable after start-up, so threads may share them. Strings
 * and the credentials provider are borrowed for as long as they are used. */
typedef struct media_mod_opts {
    media_mod_provider_t provider;
    /* Labels below this confidence (percent) are ignored; 0 picks
     * MEDIA_MOD_DEFAULT_MIN_CONFIDENCE. Sent to Rekognition as MinConfidence. */
    double min_confidence;
    /* Comma-separated label names, matched without regard to case against
     * a label's Name and ParentName ("Explicit Nudity, Violence"). */
    const char *reject_labels;
    const char *review_labels;
    media_mod_on_error_t on_error;
    uint64_t timeout_ms; /* one provider call, connect included; 0: default */
    /* rekognition */
    const char *region;       /* signing region; also picks the default endpoint */
    const char *endpoint;     /* NULL: https://rekognition.<region>.amazonaws.com */
    media_aws_creds_t *creds; /* shared provider (thread-safe) */
    /* webhook */
    const char *webhook_url;
    const char *webhook_secret; /* HMAC key for X-Facet-Signature */
} media_mod_opts_t;

/* What to moderate. For rekognition bytes is required (a JPEG or PNG of at
 * most MEDIA_MOD_REKOGNITION_MAX_BYTES). The webhook receives the bytes as
 * base64 when given, otherwise url. */
typedef struct media_mod_input {
    const uint8_t *bytes;
    size_t len;
    const char *content_type; /* "image/jpeg" */
    const char *image_id;     /* optional, passed to the webhook */
    const char *url;          /* optional, for the webhook */
} media_mod_input_t;

/* A label; strings are NUL-terminated and live in the result's arena.
 * parent is empty for a top-level label. */
typedef struct media_mod_label {
    facet_str_t name;
    facet_str_t parent;
    double confidence;
} media_mod_label_t;

/* The outcome. Owns its arena: release with media_mod_result_free (also
 * after a failure; safe on a zeroed result). */
typedef struct media_mod_result {
    media_mod_status_t status;
    media_mod_label_t *labels; /* every label the provider returned */
    size_t nlabels;
    /* Set when the provider failed and on_error turned that into REVIEW;
     * error then says what failed (for logs, not for clients). */
    bool provider_failed;
    char error[256];
    facet_arena_t arena;
} media_mod_result_t;

/* Moderates one image. Returns FACET_OK with out->status set. When the
 * provider fails (network, timeout, non-2xx status, unreadable answer,
 * credentials unavailable), on_error=review gives FACET_OK with REVIEW and
 * provider_failed; on_error=fail returns FACET_EIO or FACET_ETIMEDOUT with a
 * message in err. Misuse is never turned into a verdict: FACET_EINVAL for
 * options that media_mod_opts_check refuses or a missing image,
 * FACET_ELIMIT for an image too large for Rekognition, FACET_ENOMEM. */
int media_moderate(const media_mod_opts_t *o, const media_mod_input_t *in, media_mod_result_t *out,
                   char *err, size_t errlen);

void media_mod_result_free(media_mod_result_t *r);

/* Checks options at start-up: the provider's required settings are there,
 * min_confidence lies in 0..100, URLs are http(s). FACET_EINVAL with a
 * message naming the setting. */
int media_mod_opts_check(const media_mod_opts_t *o, char *err, size_t errlen);

/* Parses "none", "rekognition" or "webhook" (and "review" or "fail" for
 * on_error). FACET_EINVAL for anything else. */
int media_mod_provider_parse(const char *s, media_mod_provider_t *out);
int media_mod_on_error_parse(const char *s, media_mod_on_error_t *out);

/* "APPROVED", "REVIEW" or "REJECTED", as the GraphQL enum spells them. */
const char *media_mod_status_name(media_mod_status_t s);

/* ---- Pure parts, exposed for tests and fuzzing ---- */

/* The verdict the options give these labels (see the top of the file). */
media_mod_status_t media_mod_verdict(const media_mod_opts_t *o, const media_mod_label_t *labels,
                                     size_t n);

/* Parses a DetectModerationLabels response: an object whose ModerationLabels
 * is an array of {Name: string, ParentName?: string, Confidence: number
 * 0..100}; other members are ignored. Labels are allocated in a. Returns
 * FACET_EINVAL with a reason in err for anything else, FACET_ENOMEM. */
int media_mod_parse_rekognition(facet_arena_t *a, const char *json, size_t len,
                                media_mod_label_t **labels, size_t *n, char *err, size_t errlen);

/* Parses a webhook answer: {"status": "APPROVED"|"REJECTED"|"REVIEW",
 * "labels"?: [{name: string, parentName?: string, confidence?: number
 * 0..100 (default 100)}]}. Errors as media_mod_parse_rekognition. */
int media_mod_parse_webhook(facet_arena_t *a, const char *json, size_t len,
                            media_mod_status_t *status, media_mod_label_t **labels, size_t *n,
                            char *err, size_t errlen);

/* Reads an AWS JSON error body ({"__type": "...", "message"|"Message": "..."})
 * into "<type>: <message>" in buf; writes what it can of a malformed one. */
void media_mod_aws_error(const char *json, size_t len, char *buf, size_t buflen);

#endif
