/* Shared between the files of the moderation module: the provider calls.
 * Each one fills out->labels (in out->arena) and, for the webhook, the
 * provider's own status in *status. They return FACET_EIO or
 * FACET_ETIMEDOUT when the provider failed (the caller applies on_error)
 * and other codes for misuse, with a message in err. */
#ifndef FACET_MEDIA_MODERATION_INTERNAL_H
#define FACET_MEDIA_MODERATION_INTERNAL_H

#include "media/moderation.h"

/* Largest provider response read, and the arena that parses it. */
#define MEDIA__MOD_MAX_RESPONSE (1024 * 1024)
#define MEDIA__MOD_ARENA_LIMIT  (8 * 1024 * 1024)

int media__mod_rekognition(const media_mod_opts_t *o, const media_mod_input_t *in,
                           media_mod_result_t *out, char *err, size_t errlen);

int media__mod_webhook(const media_mod_opts_t *o, const media_mod_input_t *in,
                       media_mod_result_t *out, media_mod_status_t *status, char *err,
                       size_t errlen);

#endif
