/* The image feature's start-up state: the storage provider, the AWS
 * credentials it and Rekognition share, the SSRF policy and limits of URL
 * ingest, the libvips pipeline's options and the moderation provider, all
 * built and checked from the configuration before the server starts and
 * read-only afterwards (every loop and thread-pool job shares them). */
#ifndef FACET_APP_MEDIA_H
#define FACET_APP_MEDIA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "media/aws_creds.h"
#include "media/fetch.h"
#include "media/image.h"
#include "media/moderation.h"
#include "media/ssrf.h"
#include "media/storage.h"

typedef struct app_media {
    media_storage_t *storage;
    media_aws_creds_t *creds; /* NULL unless s3 storage or rekognition needs it */
    media_ssrf_policy_t policy;
    media_fetch_opts_t fetch; /* .policy points at policy above */
    media_image_opts_t image;
    media_mod_opts_t mod;      /* strings borrowed from the config or from the fields below */
    uint64_t max_upload_bytes; /* base64 uploads, decoded */
    char s3_region[64];
    char mod_region[64];
    bool vips_started;
} app_media_t;

/* Builds the state from cfg (which must outlive it), starting libvips.
 * AWS credentials come from the AWS_* variables read through get (NULL:
 * the process environment). On a bad value returns FACET_EINVAL (or
 * FACET_EIO when libvips cannot start) with a message naming the variable
 * in err, and *out stays NULL. Free with app_media_free. */
int app_media_init(const facet_config_t *cfg, facet_getenv_fn get, app_media_t **out, char *err,
                   size_t errlen);

/* Releases everything; libvips is shut down too when this state started it
 * (so call it once, at process exit). NULL is fine. */
void app_media_free(app_media_t *m);

#endif
