/* Moderation response parsers: Rekognition's DetectModerationLabels answer,
 * the webhook's verdict and AWS JSON error bodies. Pure: bytes in, labels
 * out, all in the caller's arena; anything unexpected is refused rather
 * than guessed at, so garbage can never read as an approval. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "gql/json.h"
#include "media/moderation.h"

/* Deep enough for the documented shapes and no deeper. */
#define MAX_DEPTH 16

static int parse_root(facet_arena_t *a, const char *json, size_t len, const gql_value_t **root,
                      char *err, size_t errlen)
{
    gql_value_t *v;
    char why[96];
    int rc = gql_json_parse(a, json, len, MAX_DEPTH, &v, why, sizeof why);
    if (rc == FACET_ENOMEM)
        return rc;
    if (rc != FACET_OK)
        return facet_errorf(err, errlen, FACET_EINVAL, "not JSON (%s)", why);
    if (v->kind != GQL_V_OBJECT)
        return facet_errorf(err, errlen, FACET_EINVAL, "not a JSON object");
    *root = v;
    return FACET_OK;
}

static bool is_number(const gql_value_t *v, double *out)
{
    if (v && v->kind == GQL_V_FLOAT)
        *out = v->u.f;
    else if (v && v->kind == GQL_V_INT)
        *out = (double)v->u.i;
    else
        return false;
    return true;
}

/* Copies a string member into the arena (NUL-terminated). A missing member
 * gives the empty string when optional. */
static int get_string(facet_arena_t *a, const gql_value_t *obj, const char *key, bool required,
                      facet_str_t *out)
{
    const gql_value_t *v = gql_value_get(obj, facet_str_c(key));
    if (!v || v->kind == GQL_V_NULL) {
        if (required)
            return FACET_EINVAL;
        *out = facet_arena_strdup(a, "", 0);
        return out->base ? FACET_OK : FACET_ENOMEM;
    }
    if (v->kind != GQL_V_STRING)
        return FACET_EINVAL;
    *out = facet_arena_strdup(a, v->u.s.base, v->u.s.len);
    return out->base ? FACET_OK : FACET_ENOMEM;
}

typedef struct label_keys {
    const char *name, *parent, *confidence;
    bool confidence_required;
} label_keys_t;

static int parse_labels(facet_arena_t *a, const gql_value_t *list, const label_keys_t *k,
                        media_mod_label_t **labels, size_t *n, char *err, size_t errlen)
{
    media_mod_label_t *out = FACET_ARENA_ARRAY(a, media_mod_label_t, list->u.list.n);
    if (!out && list->u.list.n)
        return FACET_ENOMEM;
    for (size_t i = 0; i < list->u.list.n; i++) {
        const gql_value_t *item = list->u.list.items[i];
        if (!item || item->kind != GQL_V_OBJECT)
            return facet_errorf(err, errlen, FACET_EINVAL, "label %zu is not an object", i);
        int rc = get_string(a, item, k->name, true, &out[i].name);
        if (rc == FACET_OK && out[i].name.len == 0)
            rc = FACET_EINVAL;
        if (rc != FACET_OK)
            return rc == FACET_ENOMEM
                       ? rc
                       : facet_errorf(err, errlen, FACET_EINVAL,
                                      "label %zu: %s is missing or not a non-empty string", i,
                                      k->name);
        rc = get_string(a, item, k->parent, false, &out[i].parent);
        if (rc != FACET_OK)
            return rc == FACET_ENOMEM ? rc
                                      : facet_errorf(err, errlen, FACET_EINVAL,
                                                     "label %zu: %s is not a string", i, k->parent);
        const gql_value_t *c = gql_value_get(item, facet_str_c(k->confidence));
        double conf = 100.0;
        if ((c || k->confidence_required) && !is_number(c, &conf))
            return facet_errorf(err, errlen, FACET_EINVAL, "label %zu: %s is not a number", i,
                                k->confidence);
        if (!(conf >= 0.0 && conf <= 100.0)) /* NaN fails too */
            return facet_errorf(err, errlen, FACET_EINVAL, "label %zu: %s out of 0..100", i,
                                k->confidence);
        out[i].confidence = conf;
    }
    *labels = out;
    *n = list->u.list.n;
    return FACET_OK;
}

int media_mod_parse_rekognition(facet_arena_t *a, const char *json, size_t len,
                                media_mod_label_t **labels, size_t *n, char *err, size_t errlen)
{
    static const label_keys_t keys = {"Name", "ParentName", "Confidence", true};
    *labels = NULL;
    *n = 0;
    const gql_value_t *root = NULL;
    int rc = parse_root(a, json, len, &root, err, errlen);
    if (rc != FACET_OK)
        return rc;
    const gql_value_t *list = gql_value_get(root, FACET_STR_LIT("ModerationLabels"));
    if (!list || list->kind != GQL_V_LIST)
        return facet_errorf(err, errlen, FACET_EINVAL,
                            "ModerationLabels is missing or not an array");
    return parse_labels(a, list, &keys, labels, n, err, errlen);
}

int media_mod_parse_webhook(facet_arena_t *a, const char *json, size_t len,
                            media_mod_status_t *status, media_mod_label_t **labels, size_t *n,
                            char *err, size_t errlen)
{
    static const label_keys_t keys = {"name", "parentName", "confidence", false};
    *labels = NULL;
    *n = 0;
    const gql_value_t *root = NULL;
    int rc = parse_root(a, json, len, &root, err, errlen);
    if (rc != FACET_OK)
        return rc;
    const gql_value_t *s = gql_value_get(root, FACET_STR_LIT("status"));
    if (!s || s->kind != GQL_V_STRING)
        return facet_errorf(err, errlen, FACET_EINVAL, "status is missing or not a string");
    if (facet_str_eq(s->u.s, FACET_STR_LIT("APPROVED")))
        *status = MEDIA_MOD_APPROVED;
    else if (facet_str_eq(s->u.s, FACET_STR_LIT("REVIEW")))
        *status = MEDIA_MOD_REVIEW;
    else if (facet_str_eq(s->u.s, FACET_STR_LIT("REJECTED")))
        *status = MEDIA_MOD_REJECTED;
    else
        return facet_errorf(err, errlen, FACET_EINVAL,
                            "status is not APPROVED, REVIEW or REJECTED");
    const gql_value_t *list = gql_value_get(root, FACET_STR_LIT("labels"));
    if (!list || list->kind == GQL_V_NULL)
        return FACET_OK;
    if (list->kind != GQL_V_LIST)
        return facet_errorf(err, errlen, FACET_EINVAL, "labels is not an array");
    return parse_labels(a, list, &keys, labels, n, err, errlen);
}

void media_mod_aws_error(const char *json, size_t len, char *buf, size_t buflen)
{
    if (!buf || !buflen)
        return;
    facet_arena_t a;
    facet_arena_init(&a, 256 * 1024);
    gql_value_t *v = NULL;
    facet_str_t type = FACET_STR_LIT("unknown error"), msg = FACET_STR_NULL;
    if (gql_json_parse(&a, json, len, MAX_DEPTH, &v, NULL, 0) == FACET_OK &&
        v->kind == GQL_V_OBJECT) {
        const gql_value_t *t = gql_value_get(v, FACET_STR_LIT("__type"));
        const gql_value_t *m = gql_value_get(v, FACET_STR_LIT("message"));
        if (!m)
            m = gql_value_get(v, FACET_STR_LIT("Message"));
        if (t && t->kind == GQL_V_STRING) {
            type = t->u.s;
            /* "com.amazonaws...#ThrottlingException" names the shape last. */
            const char *hash = memchr(type.base, '#', type.len);
            if (hash)
                type = facet_str(hash + 1, type.len - (size_t)(hash + 1 - type.base));
        }
        if (m && m->kind == GQL_V_STRING)
            msg = m->u.s;
    }
    if (msg.len)
        snprintf(buf, buflen, "%.*s: %.*s", (int)(type.len > 80 ? 80 : type.len), type.base,
                 (int)(msg.len > 160 ? 160 : msg.len), msg.base);
    else
        snprintf(buf, buflen, "%.*s", (int)(type.len > 80 ? 80 : type.len), type.base);
    facet_arena_free(&a);
}
