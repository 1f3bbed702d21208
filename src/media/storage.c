/* The storage interface: provider selection, key checks before every call,
 * object keys, content types and public URLs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"
#include "media/sigv4.h"
#include "media/storage_internal.h"

/* A base URL is absolute http(s) or a path starting with '/', without
 * bytes that would need escaping in a JSON string or a header. */
static bool base_url_ok(const char *u)
{
    if (strncmp(u, "https://", 8) != 0 && strncmp(u, "http://", 7) != 0 && u[0] != '/')
        return false;
    for (; *u; u++)
        if ((unsigned char)*u <= ' ' || (unsigned char)*u >= 0x7f || *u == '"' || *u == '\\' ||
            *u == '?' || *u == '#')
            return false;
    return true;
}

static char *with_slash(const char *u)
{
    size_t n = strlen(u);
    char *s = malloc(n + 2);
    if (!s)
        return NULL;
    memcpy(s, u, n);
    if (n == 0 || s[n - 1] != '/')
        s[n++] = '/';
    s[n] = '\0';
    return s;
}

int media_storage_new(const media_storage_opts_t *o, media_storage_t **out, char *err,
                      size_t errlen)
{
    *out = NULL;
    const char *name = o->provider && *o->provider ? o->provider : "fs";
    const char *cc = o->cache_control ? o->cache_control : MEDIA_CACHE_CONTROL_IMMUTABLE;
    if (strpbrk(cc, "\r\n"))
        return facet_errorf(err, errlen, FACET_EINVAL, "Cache-Control has a line break");
    if (o->media_base_url && *o->media_base_url && !base_url_ok(o->media_base_url))
        return facet_errorf(err, errlen, FACET_EINVAL,
                            "FACET_MEDIA_BASE_URL: must be an http(s) URL or a path "
                            "starting with '/', without query or fragment");
    media_storage_t *s = NULL;
    int rc;
    if (strcmp(name, "fs") == 0)
        rc = media_storage__fs_new(o, &s, err, errlen);
    else if (strcmp(name, "s3") == 0)
        rc = media_storage__s3_new(o, &s, err, errlen);
    else
        return facet_errorf(err, errlen, FACET_EINVAL,
                            "FACET_STORAGE: unknown provider \"%.40s\" (fs or s3)", name);
    if (rc != FACET_OK)
        return rc;
    if (o->media_base_url && *o->media_base_url) {
        free(s->base_url);
        s->base_url = with_slash(o->media_base_url);
    }
    s->cache_control = strdup(cc);
    if (!s->base_url || !s->cache_control) {
        media_storage_free(s);
        return FACET_ENOMEM;
    }
    *out = s;
    return FACET_OK;
}

void media_storage_free(media_storage_t *s)
{
    if (!s)
        return;
    char *base = s->base_url, *cc = s->cache_control;
    s->ops->free(s);
    free(base);
    free(cc);
}

const char *media_storage_provider(const media_storage_t *s)
{
    return s->ops->name;
}

static int check_key(const char *key, char *err, size_t errlen)
{
    if (!key || !media_key_valid(key, strlen(key)))
        return facet_errorf(err, errlen, FACET_EINVAL, "invalid media key");
    return FACET_OK;
}

int media_storage_put(media_storage_t *s, const char *key, const void *data, size_t len,
                      const char *content_type, char *err, size_t errlen)
{
    int rc = check_key(key, err, errlen);
    if (rc == FACET_OK && (!content_type || !*content_type || strpbrk(content_type, "\r\n")))
        rc = facet_errorf(err, errlen, FACET_EINVAL, "invalid content type");
    if (rc == FACET_OK && !data && len)
        rc = facet_errorf(err, errlen, FACET_EINVAL, "no data");
    return rc == FACET_OK ? s->ops->put(s, key, data, len, content_type, err, errlen) : rc;
}

int media_storage_head(media_storage_t *s, const char *key, media_object_info_t *info, char *err,
                       size_t errlen)
{
    memset(info, 0, sizeof *info);
    int rc = check_key(key, err, errlen);
    return rc == FACET_OK ? s->ops->head(s, key, info, err, errlen) : rc;
}

int media_storage_get(media_storage_t *s, const char *key, facet_buf_t *out,
                      media_object_info_t *info, char *err, size_t errlen)
{
    media_object_info_t scratch;
    info = info ? info : &scratch;
    memset(info, 0, sizeof *info);
    int rc = check_key(key, err, errlen);
    return rc == FACET_OK ? s->ops->get(s, key, out, info, err, errlen) : rc;
}

int media_storage_delete(media_storage_t *s, const char *key, char *err, size_t errlen)
{
    int rc = check_key(key, err, errlen);
    return rc == FACET_OK ? s->ops->del(s, key, err, errlen) : rc;
}

int media_storage_presign_put(media_storage_t *s, const char *key, const char *content_type,
                              uint32_t expires, facet_buf_t *url, char *err, size_t errlen)
{
    int rc = check_key(key, err, errlen);
    if (rc == FACET_OK && content_type && strpbrk(content_type, "\r\n"))
        rc = facet_errorf(err, errlen, FACET_EINVAL, "invalid content type");
    if (rc == FACET_OK && !s->ops->presign_put)
        rc = facet_errorf(err, errlen, FACET_EINVAL, "the %s provider does not issue upload URLs",
                          s->ops->name);
    return rc == FACET_OK ? s->ops->presign_put(s, key, content_type, expires, url, err, errlen)
                          : rc;
}

int media_storage_public_url(const media_storage_t *s, const char *key, facet_buf_t *out)
{
    if (!key || !media_key_valid(key, strlen(key)))
        return FACET_EINVAL;
    int rc = facet_buf_append_str(out, s->base_url);
    /* Valid keys need no escaping; encoding keeps that true if the rules
     * ever widen. */
    return rc == FACET_OK ? media_sigv4_uri_encode(out, key, strlen(key), true) : rc;
}

/* ---- Keys and content types ---- */

static bool key_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

bool media_key_valid(const char *key, size_t len)
{
    if (!key || len == 0 || len > MEDIA_KEY_MAX)
        return false;
    size_t seg = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || key[i] == '/') {
            if (seg == 0 || seg > 128)
                return false; /* empty segment: leading, trailing or doubled '/' */
            seg = 0;
            continue;
        }
        if (!key_char(key[i]) || (seg == 0 && key[i] == '.'))
            return false;
        seg++;
    }
    return true;
}

static bool all_of(const char *s, size_t min, size_t max, bool dash)
{
    size_t n = strlen(s);
    if (n < min || n > max)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              (dash && (*s == '-' || *s == '_'))))
            return false;
    return true;
}

int media_key_image(char *out, size_t outlen, const char *object_id, const char *variant,
                    const char *ext)
{
    if (!object_id || strlen(object_id) != 24 || strspn(object_id, "0123456789abcdef") != 24 ||
        !variant || !all_of(variant, 1, 32, true) || !ext || !all_of(ext, 1, 8, false))
        return FACET_EINVAL;
    int n = snprintf(out, outlen, "images/%s/%s.%s", object_id, variant, ext);
    return n < 0 || (size_t)n >= outlen ? FACET_ELIMIT : FACET_OK;
}

const char *media_content_type_for(const char *key, size_t len)
{
    static const char *const types[][2] = {
        {"webp", "image/webp"}, {"jpg", "image/jpeg"},  {"jpeg", "image/jpeg"},
        {"png", "image/png"},   {"gif", "image/gif"},   {"avif", "image/avif"},
        {"mp4", "video/mp4"},   {"webm", "video/webm"}, {"mov", "video/quicktime"},
    };
    size_t dot = len;
    while (dot > 0 && key[dot - 1] != '.' && key[dot - 1] != '/')
        dot--;
    if (dot == 0 || key[dot - 1] != '.')
        return NULL;
    size_t n = len - dot;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strlen(types[i][0]) == n && strncasecmp(key + dot, types[i][0], n) == 0)
            return types[i][1];
    return NULL;
}
