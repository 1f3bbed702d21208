/* Private to the storage files of src/media/: the provider table each
 * implementation fills, and the fields every provider shares. */
#ifndef FACET_MEDIA_STORAGE_INTERNAL_H
#define FACET_MEDIA_STORAGE_INTERNAL_H

#include "media/storage.h"

typedef struct media_storage_ops {
    const char *name;
    int (*put)(media_storage_t *s, const char *key, const void *data, size_t len,
               const char *content_type, char *err, size_t errlen);
    int (*head)(media_storage_t *s, const char *key, media_object_info_t *info, char *err,
                size_t errlen);
    int (*get)(media_storage_t *s, const char *key, facet_buf_t *out, media_object_info_t *info,
               char *err, size_t errlen);
    int (*del)(media_storage_t *s, const char *key, char *err, size_t errlen);
    int (*presign_put)(media_storage_t *s, const char *key, const char *content_type,
                       uint32_t expires, facet_buf_t *url, char *err, size_t errlen);
    void (*free)(media_storage_t *s);
} media_storage_ops_t;

/* The head of every provider's own struct. */
struct media_storage {
    const media_storage_ops_t *ops;
    char *base_url;      /* public URL prefix, always ending with '/' */
    char *cache_control; /* sent with every object */
};

/* Each returns a provider whose base_url is its default public prefix;
 * storage.c replaces it with media_base_url when given. */
int media_storage__fs_new(const media_storage_opts_t *o, media_storage_t **out, char *err,
                          size_t errlen);
int media_storage__s3_new(const media_storage_opts_t *o, media_storage_t **out, char *err,
                          size_t errlen);

#endif
