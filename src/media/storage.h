/* Object storage for media: a provider interface with two implementations,
 * "fs" (files under <data dir>/media/<key>, served by Facet at /media/) and
 * "s3" (S3 or an S3-compatible store, over libcurl with SigV4), plus the
 * object keys and public URLs.
 *
 * Every operation that touches the disk or the network BLOCKS: call it from
 * the libuv thread pool (uv_queue_work), never from an event loop. A
 * provider is shared by all threads; its calls are thread-safe. */
#ifndef FACET_MEDIA_STORAGE_H
#define FACET_MEDIA_STORAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "core/buf.h"
#include "media/aws_creds.h"

#define MEDIA_CACHE_CONTROL_IMMUTABLE "public, max-age=31536000, immutable"
#define MEDIA_KEY_MAX                 512

typedef struct media_storage_opts {
    const char *provider;       /* "fs" (default when NULL) or "s3" */
    const char *media_base_url; /* public URL prefix; NULL: see media_storage_public_url */
    const char *cache_control;  /* sent with every object; NULL: ..._IMMUTABLE */
    /* fs */
    const char *data_dir; /* objects live in <data_dir>/media; created when missing */
    /* s3 */
    const char *bucket;          /* required */
    const char *region;          /* NULL: "us-east-1" */
    const char *endpoint;        /* "http(s)://host[:port]" of an S3-compatible store; NULL: AWS */
    bool path_style;             /* endpoint/bucket/key instead of bucket.endpoint/key */
    media_aws_creds_t *creds;    /* borrowed; must outlive the provider */
    uint64_t connect_timeout_ms; /* 0: 3 s */
    uint64_t timeout_ms;         /* whole request; 0: 30 s */
} media_storage_opts_t;

/* What HEAD and GET report about an object. */
typedef struct media_object_info {
    uint64_t size;
    char content_type[128];
    char cache_control[128];
    char etag[128]; /* quoted, as in an ETag header */
    time_t last_modified;
} media_object_info_t;

typedef struct media_storage media_storage_t;

/* Creates the provider named by o->provider after checking the options:
 * FACET_EINVAL with a message in err for an unknown provider, a missing
 * bucket or credentials, a malformed endpoint or base URL, or an unusable
 * data directory. The strings are copied. Free with media_storage_free. */
int media_storage_new(const media_storage_opts_t *o, media_storage_t **out, char *err,
                      size_t errlen);
void media_storage_free(media_storage_t *s);

/* "fs" or "s3". */
const char *media_storage_provider(const media_storage_t *s);

/* Stores data[0..len) under key with content_type and the provider's
 * Cache-Control, replacing any object there. fs writes a temporary file
 * and renames it, so readers see the old or the new bytes, never a part.
 * Returns FACET_EINVAL for an invalid key (media_key_valid), FACET_EIO,
 * FACET_ETIMEDOUT, FACET_EPERM (S3 refused the credentials), with a
 * message in err. */
int media_storage_put(media_storage_t *s, const char *key, const void *data, size_t len,
                      const char *content_type, char *err, size_t errlen);

/* Fills info for key; FACET_ENOTFOUND when there is no such object. */
int media_storage_head(media_storage_t *s, const char *key, media_object_info_t *info, char *err,
                       size_t errlen);

/* Appends the object's bytes to out (whose limit bounds the size:
 * FACET_ELIMIT past it) and fills info when not NULL. FACET_ENOTFOUND when
 * missing. */
int media_storage_get(media_storage_t *s, const char *key, facet_buf_t *out,
                      media_object_info_t *info, char *err, size_t errlen);

/* Removes key. Removing a missing object succeeds (as on S3). */
int media_storage_delete(media_storage_t *s, const char *key, char *err, size_t errlen);

/* s3: appends to url a pre-signed PUT URL for key valid for expires
 * seconds; the client must send the given Content-Type (signed) when
 * content_type is not NULL. fs: FACET_EINVAL (fs does not issue upload
 * URLs yet). */
int media_storage_presign_put(media_storage_t *s, const char *key, const char *content_type,
                              uint32_t expires, facet_buf_t *url, char *err, size_t errlen);

/* Appends the public URL of key: the media base URL (a '/' added when it
 * lacks one) followed by the key. Without FACET_MEDIA_BASE_URL the base is
 * "/media/" for fs, and the bucket's own URL for s3
 * (https://<bucket>.s3.<region>.amazonaws.com/, or the endpoint's). Does
 * not block. */
int media_storage_public_url(const media_storage_t *s, const char *key, facet_buf_t *out);

/* ---- Keys ---- */

/* True for a key made of '/'-separated segments of A-Z a-z 0-9 '.' '_' '-'
 * (1 to 128 bytes each, none starting with '.'), at most MEDIA_KEY_MAX
 * bytes: no "..", no absolute path, no backslash, nothing to escape the
 * media directory or to need encoding. */
bool media_key_valid(const char *key, size_t len);

/* Writes "images/<object id>/<variant>.<ext>" into out. object_id is 24
 * lowercase hex digits, variant [a-z0-9_-]{1,32} (e.g. "thumb"), ext
 * [a-z0-9]{1,8} (e.g. "webp"). FACET_EINVAL for anything else,
 * FACET_ELIMIT when out is too small. */
int media_key_image(char *out, size_t outlen, const char *object_id, const char *variant,
                    const char *ext);

/* The content type for a key's extension (webp, jpg/jpeg, png, gif, avif,
 * mp4, webm, mov; case-insensitive), or NULL when unknown. */
const char *media_content_type_for(const char *key, size_t len);

/* ---- The fs layout, shared with the /media/ route ---- */

/* Opens <media_dir>/<key> read-only and refuses anything that resolves
 * outside media_dir (symbolic links included): FACET_ENOTFOUND for a
 * missing file, an invalid key, a directory or an escape; FACET_EIO for
 * other failures. The caller closes *fd. */
int media_fs_open(const char *media_dir, const char *key, size_t keylen, int *fd);

/* A strong ETag for an open file, from its inode, size and modification
 * time (an object is replaced by rename, so any new bytes change it):
 * writes the quoted tag into out[outlen >= 64]. */
void media_fs_etag(int fd, char *out, size_t outlen);

#endif
