/* The fs storage provider: objects are files under <data dir>/media/<key>,
 * written to a temporary file and renamed into place. Opening goes through
 * media_fs_open, which never resolves outside the media directory. */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/error.h"
#include "media/storage_internal.h"

typedef struct fs_storage {
    media_storage_t base;
    char *dir; /* <data dir>/media, without a trailing '/' */
} fs_storage_t;

/* ---- Opening beneath the media directory ---- */

/* Without openat2 (old kernels, some seccomp profiles): walk the key one
 * segment at a time and refuse every symbolic link. */
static int open_walk(int dirfd, char *key)
{
    int fd = dup(dirfd);
    if (fd < 0)
        return -1;
    char *save = NULL;
    for (char *seg = strtok_r(key, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
        bool last = save == NULL || *save == '\0';
        int flags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK;
        int next = openat(fd, seg, last ? flags : flags | O_DIRECTORY);
        int saved = errno;
        close(fd);
        errno = saved;
        if (next < 0)
            return -1;
        fd = next;
    }
    return fd;
}

int media_fs_open(const char *media_dir, const char *key, size_t keylen, int *fd)
{
    *fd = -1;
    if (!media_key_valid(key, keylen))
        return FACET_ENOTFOUND;
    char rel[MEDIA_KEY_MAX + 1];
    memcpy(rel, key, keylen);
    rel[keylen] = '\0';
    int dirfd = open(media_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0)
        return errno == ENOENT || errno == ENOTDIR ? FACET_ENOTFOUND : FACET_EIO;
    struct open_how how = {
        .flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK,
        .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
    };
    int f = (int)syscall(SYS_openat2, dirfd, rel, &how, sizeof how);
    if (f < 0 && (errno == ENOSYS || errno == EPERM))
        f = open_walk(dirfd, rel);
    int saved = errno;
    close(dirfd);
    if (f < 0)
        return saved == ENOENT || saved == ENOTDIR || saved == ELOOP || saved == EXDEV ||
                       saved == EISDIR
                   ? FACET_ENOTFOUND
                   : FACET_EIO;
    struct stat st;
    if (fstat(f, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(f);
        return FACET_ENOTFOUND;
    }
    /* Reads must block normally; O_NONBLOCK only kept a FIFO from
     * hanging the open. */
    fcntl(f, F_SETFL, fcntl(f, F_GETFL) & ~O_NONBLOCK);
    *fd = f;
    return FACET_OK;
}

void media_fs_etag(int fd, char *out, size_t outlen)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        memset(&st, 0, sizeof st);
    unsigned long long ns = (unsigned long long)st.st_mtim.tv_sec * 1000000000ull +
                            (unsigned long long)st.st_mtim.tv_nsec;
    snprintf(out, outlen, "\"%llx-%llx-%llx\"", (unsigned long long)st.st_ino,
             (unsigned long long)st.st_size, ns);
}

/* ---- The provider ---- */

static int path_of(const fs_storage_t *fs, const char *key, char *out, size_t outlen)
{
    int n = snprintf(out, outlen, "%s/%s", fs->dir, key);
    return n < 0 || (size_t)n >= outlen ? FACET_ELIMIT : FACET_OK;
}

/* Creates the directories above key (mode 0755). */
static int make_parents(const fs_storage_t *fs, const char *path)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + strlen(fs->dir) + 1; (p = strchr(p, '/')) != NULL; p++) {
        *p = '\0';
        if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
            return FACET_EIO;
        *p = '/';
    }
    return FACET_OK;
}

static int write_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return FACET_EIO;
        data += n;
        len -= (size_t)n;
    }
    return FACET_OK;
}

static void fsync_dir_of(const char *path)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        return;
    *slash = '\0';
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

/* The temporary name: ".<name>.<random>.tmp" beside the object; a name
 * starting with '.' is never a valid key, so it is never served. */
static int temp_path(const char *path, char *out, size_t outlen)
{
    unsigned char r[8];
    if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r)
        return FACET_EIO;
    const char *slash = strrchr(path, '/');
    int n =
        snprintf(out, outlen, "%.*s/.%s.%02x%02x%02x%02x%02x%02x%02x%02x.tmp", (int)(slash - path),
                 path, slash + 1, r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]);
    return n < 0 || (size_t)n >= outlen ? FACET_ELIMIT : FACET_OK;
}

static int fs_put(media_storage_t *s, const char *key, const void *data, size_t len,
                  const char *content_type, char *err, size_t errlen)
{
    (void)content_type; /* served from the key's extension */
    fs_storage_t *fs = (fs_storage_t *)s;
    char path[4096], tmp[4200];
    int rc = path_of(fs, key, path, sizeof path);
    if (rc == FACET_OK)
        rc = make_parents(fs, path);
    if (rc == FACET_OK)
        rc = temp_path(path, tmp, sizeof tmp);
    if (rc != FACET_OK)
        return facet_errorf(err, errlen, rc, "cannot prepare %s: %s", key, strerror(errno));
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0)
        return facet_errorf(err, errlen, FACET_EIO, "cannot create %s: %s", tmp, strerror(errno));
    rc = write_all(fd, data, len);
    if (rc == FACET_OK && fsync(fd) != 0)
        rc = FACET_EIO;
    int saved = errno;
    if (close(fd) != 0 && rc == FACET_OK) {
        rc = FACET_EIO;
        saved = errno;
    }
    if (rc == FACET_OK && rename(tmp, path) != 0) {
        rc = FACET_EIO;
        saved = errno;
    }
    if (rc != FACET_OK) {
        unlink(tmp);
        return facet_errorf(err, errlen, rc, "cannot write %s: %s", key, strerror(saved));
    }
    fsync_dir_of(path);
    return FACET_OK;
}

static void fill_info(const media_storage_t *s, const char *key, int fd, media_object_info_t *info)
{
    struct stat st;
    if (fstat(fd, &st) == 0) {
        info->size = (uint64_t)st.st_size;
        info->last_modified = st.st_mtim.tv_sec;
    }
    const char *ct = media_content_type_for(key, strlen(key));
    snprintf(info->content_type, sizeof info->content_type, "%s",
             ct ? ct : "application/octet-stream");
    snprintf(info->cache_control, sizeof info->cache_control, "%s", s->cache_control);
    media_fs_etag(fd, info->etag, sizeof info->etag);
}

static int open_key(fs_storage_t *fs, const char *key, int *fd, char *err, size_t errlen)
{
    int rc = media_fs_open(fs->dir, key, strlen(key), fd);
    if (rc == FACET_ENOTFOUND)
        return facet_errorf(err, errlen, rc, "no object %s", key);
    if (rc != FACET_OK)
        return facet_errorf(err, errlen, rc, "cannot open %s: %s", key, strerror(errno));
    return FACET_OK;
}

static int fs_head(media_storage_t *s, const char *key, media_object_info_t *info, char *err,
                   size_t errlen)
{
    int fd;
    int rc = open_key((fs_storage_t *)s, key, &fd, err, errlen);
    if (rc != FACET_OK)
        return rc;
    fill_info(s, key, fd, info);
    close(fd);
    return FACET_OK;
}

static int fs_get(media_storage_t *s, const char *key, facet_buf_t *out, media_object_info_t *info,
                  char *err, size_t errlen)
{
    int fd;
    int rc = open_key((fs_storage_t *)s, key, &fd, err, errlen);
    if (rc != FACET_OK)
        return rc;
    fill_info(s, key, fd, info);
    size_t start = out->len;
    rc = info->size > SIZE_MAX ? FACET_ELIMIT : facet_buf_reserve(out, (size_t)info->size);
    while (rc == FACET_OK) {
        char chunk[65536];
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            rc = n == 0 ? FACET_OK : FACET_EIO;
            break;
        }
        rc = facet_buf_append(out, chunk, (size_t)n);
    }
    close(fd);
    if (rc != FACET_OK) {
        out->len = start;
        return facet_errorf(err, errlen, rc, "cannot read %s: %s", key,
                            rc == FACET_ELIMIT ? "too large" : strerror(errno));
    }
    return FACET_OK;
}

static int fs_delete(media_storage_t *s, const char *key, char *err, size_t errlen)
{
    fs_storage_t *fs = (fs_storage_t *)s;
    char path[4096];
    if (path_of(fs, key, path, sizeof path) != FACET_OK)
        return facet_errorf(err, errlen, FACET_EINVAL, "key too long");
    if (unlink(path) != 0 && errno != ENOENT)
        return facet_errorf(err, errlen, FACET_EIO, "cannot delete %s: %s", key, strerror(errno));
    /* Remove the directories the key emptied (images/<id>/ once its last
     * variant is gone); a directory that still holds files stays. */
    size_t root = strlen(fs->dir);
    for (char *slash = strrchr(path, '/'); slash && (size_t)(slash - path) > root;
         slash = strrchr(path, '/')) {
        *slash = '\0';
        if (rmdir(path) != 0)
            break;
    }
    return FACET_OK;
}

static void fs_free(media_storage_t *s)
{
    fs_storage_t *fs = (fs_storage_t *)s;
    free(fs->dir);
    free(fs);
}

static const media_storage_ops_t fs_ops = {
    .name = "fs",
    .put = fs_put,
    .head = fs_head,
    .get = fs_get,
    .del = fs_delete,
    .presign_put = NULL,
    .free = fs_free,
};

int media_storage__fs_new(const media_storage_opts_t *o, media_storage_t **out, char *err,
                          size_t errlen)
{
    if (!o->data_dir || o->data_dir[0] != '/')
        return facet_errorf(err, errlen, FACET_EINVAL,
                            "FACET_DATA_DIR: the fs storage needs an absolute directory");
    size_t n = strlen(o->data_dir);
    while (n > 1 && o->data_dir[n - 1] == '/')
        n--;
    if (n + sizeof "/media" + MEDIA_KEY_MAX + 64 > 4096)
        return facet_errorf(err, errlen, FACET_EINVAL, "FACET_DATA_DIR: path too long");
    fs_storage_t *fs = calloc(1, sizeof *fs);
    if (!fs || !(fs->dir = malloc(n + sizeof "/media"))) {
        free(fs);
        return FACET_ENOMEM;
    }
    snprintf(fs->dir, n + sizeof "/media", "%.*s/media", (int)n, o->data_dir);
    fs->base.ops = &fs_ops;
    fs->base.base_url = strdup("/media/");
    if (!fs->base.base_url) {
        fs_free(&fs->base);
        return FACET_ENOMEM;
    }
    /* The data directory itself may not exist yet (app start-up creates it
     * for the server; tools and tests may not have). */
    fs->dir[n] = '\0';
    bool parent_ok = mkdir(fs->dir, 0755) == 0 || errno == EEXIST;
    fs->dir[n] = '/';
    if (!parent_ok || (mkdir(fs->dir, 0755) != 0 && errno != EEXIST) ||
        access(fs->dir, W_OK | X_OK) != 0) {
        int e = errno;
        free(fs->base.base_url);
        fs_free(&fs->base);
        return facet_errorf(err, errlen, FACET_EINVAL,
                            "FACET_DATA_DIR: cannot use %.300s/media: %s", o->data_dir,
                            strerror(e));
    }
    *out = &fs->base;
    return FACET_OK;
}
