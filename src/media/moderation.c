/* Moderation: the verdict from labels, the on_error rule, option checks and
 * the dispatch to a provider (moderation_providers.c). */
#include "media/moderation.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"
#include "media/moderation_internal.h"

const char *media_mod_status_name(media_mod_status_t s)
{
    switch (s) {
    case MEDIA_MOD_APPROVED:
        return "APPROVED";
    case MEDIA_MOD_REVIEW:
        return "REVIEW";
    case MEDIA_MOD_REJECTED:
        return "REJECTED";
    }
    return "REVIEW";
}

int media_mod_provider_parse(const char *s, media_mod_provider_t *out)
{
    if (!s)
        return FACET_EINVAL;
    if (strcmp(s, "none") == 0)
        *out = MEDIA_MOD_NONE;
    else if (strcmp(s, "rekognition") == 0)
        *out = MEDIA_MOD_REKOGNITION;
    else if (strcmp(s, "webhook") == 0)
        *out = MEDIA_MOD_WEBHOOK;
    else
        return FACET_EINVAL;
    return FACET_OK;
}

int media_mod_on_error_parse(const char *s, media_mod_on_error_t *out)
{
    if (s && strcmp(s, "review") == 0)
        *out = MEDIA_MOD_ON_ERROR_REVIEW;
    else if (s && strcmp(s, "fail") == 0)
        *out = MEDIA_MOD_ON_ERROR_FAIL;
    else
        return FACET_EINVAL;
    return FACET_OK;
}

static double min_confidence(const media_mod_opts_t *o)
{
    return o->min_confidence > 0 ? o->min_confidence : MEDIA_MOD_DEFAULT_MIN_CONFIDENCE;
}

/* True when the label's name or (non-empty) parent is in the list. */
static bool listed(const char *list, const media_mod_label_t *l)
{
    if (!list)
        return false;
    facet_str_t ls = facet_str_c(list);
    return facet_str_has_token(ls, l->name) ||
           (l->parent.len && facet_str_has_token(ls, l->parent));
}

media_mod_status_t media_mod_verdict(const media_mod_opts_t *o, const media_mod_label_t *labels,
                                     size_t n)
{
    media_mod_status_t v = MEDIA_MOD_APPROVED;
    double min = min_confidence(o);
    for (size_t i = 0; i < n; i++) {
        if (labels[i].confidence < min)
            continue;
        if (listed(o->reject_labels, &labels[i]))
            return MEDIA_MOD_REJECTED;
        if (listed(o->review_labels, &labels[i]))
            v = MEDIA_MOD_REVIEW;
    }
    return v;
}

static bool http_url(const char *s)
{
    return s && (strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0);
}

static int check_fail(char *err, size_t errlen, const char *msg)
{
    if (err && errlen)
        snprintf(err, errlen, "%s", msg);
    return FACET_EINVAL;
}

int media_mod_opts_check(const media_mod_opts_t *o, char *err, size_t errlen)
{
    if (!(o->min_confidence >= 0 && o->min_confidence <= 100))
        return check_fail(err, errlen, "the minimum confidence must lie in 0..100");
    switch (o->provider) {
    case MEDIA_MOD_NONE:
        return FACET_OK;
    case MEDIA_MOD_REKOGNITION:
        if (!o->region || !*o->region)
            return check_fail(err, errlen, "rekognition moderation needs an AWS region");
        if (o->endpoint && *o->endpoint && !http_url(o->endpoint))
            return check_fail(err, errlen, "the Rekognition endpoint must be an http(s) URL");
        if (!o->creds)
            return check_fail(err, errlen, "rekognition moderation needs AWS credentials");
        return FACET_OK;
    case MEDIA_MOD_WEBHOOK:
        if (!http_url(o->webhook_url))
            return check_fail(err, errlen, "the moderation webhook URL must be an http(s) URL");
        if (!o->webhook_secret || !*o->webhook_secret)
            return check_fail(err, errlen, "the moderation webhook needs a secret");
        return FACET_OK;
    }
    return check_fail(err, errlen, "unknown moderation provider");
}

void media_mod_result_free(media_mod_result_t *r)
{
    facet_arena_free(&r->arena);
    r->labels = NULL;
    r->nlabels = 0;
}

int media_moderate(const media_mod_opts_t *o, const media_mod_input_t *in, media_mod_result_t *out,
                   char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    facet_arena_init(&out->arena, MEDIA__MOD_ARENA_LIMIT);
    char msg[sizeof out->error] = "";
    int rc = media_mod_opts_check(o, msg, sizeof msg);
    media_mod_status_t provider_status = MEDIA_MOD_APPROVED;
    if (rc == FACET_OK && o->provider == MEDIA_MOD_REKOGNITION)
        rc = media__mod_rekognition(o, in, out, msg, sizeof msg);
    else if (rc == FACET_OK && o->provider == MEDIA_MOD_WEBHOOK)
        rc = media__mod_webhook(o, in, out, &provider_status, msg, sizeof msg);
    if (err && errlen)
        err[0] = '\0';
    if (rc == FACET_OK) {
        /* The webhook's own verdict counts, and so do the configured lists:
         * the stricter one wins. */
        media_mod_status_t v = media_mod_verdict(o, out->labels, out->nlabels);
        out->status = v > provider_status ? v : provider_status;
        return FACET_OK;
    }
    out->labels = NULL;
    out->nlabels = 0;
    out->status = MEDIA_MOD_REVIEW; /* never read as an approval by mistake */
    if ((rc == FACET_EIO || rc == FACET_ETIMEDOUT) && o->on_error == MEDIA_MOD_ON_ERROR_REVIEW) {
        out->provider_failed = true;
        memcpy(out->error, msg, sizeof msg);
        return FACET_OK;
    }
    if (err && errlen)
        snprintf(err, errlen, "%s", msg);
    return rc;
}
