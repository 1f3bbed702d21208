/* Tests for media/storage.h: keys, content types and public URLs, option
 * checks, the fs provider on a temporary directory (atomic writes,
 * deletes, nothing escaping the media directory), and the s3 provider
 * against a live S3-compatible store when S3_ENDPOINT and S3_BUCKET are set
 * (scripts/services start s3; skipped otherwise). */
#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/error.h"
#include "media/storage.h"
#include "test.h"

#define OID "65f1a2b3c4d5e6f708192a3b"

TEST(key_rules)
{
    const char *good[] = {"images/" OID "/thumb.webp", "a", "a/b.c", "A-Z_0.9/x"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        CHECK(media_key_valid(good[i], strlen(good[i])));
    const char *bad[] = {"",      "/abs",    "a//b", "a/",   "../x", "a/../b",
                         "a/./b", ".hidden", "a/.b", "a\\b", "a b",  "a%2e%2e",
                         "a?b",   "a#b",     "..",   ".",    "a/..", "é"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (media_key_valid(bad[i], strlen(bad[i])))
            fprintf(stderr, "accepted \"%s\"\n", bad[i]);
        CHECK(!media_key_valid(bad[i], strlen(bad[i])));
    }
    CHECK(!media_key_valid("a\0b", 3)); /* a NUL inside */
    CHECK(!media_key_valid(NULL, 0));
    char long_key[MEDIA_KEY_MAX + 2];
    memset(long_key, 'a', sizeof long_key);
    for (size_t i = 100; i < sizeof long_key; i += 101)
        long_key[i] = '/';
    CHECK(media_key_valid(long_key, MEDIA_KEY_MAX));
    CHECK(!media_key_valid(long_key, MEDIA_KEY_MAX + 1));
    char seg[130];
    memset(seg, 'b', sizeof seg);
    CHECK(media_key_valid(seg, 128));
    CHECK(!media_key_valid(seg, 129));
}

TEST(image_keys)
{
    char k[128];
    CHECK_EQ_INT(media_key_image(k, sizeof k, OID, "thumb", "webp"), FACET_OK);
    CHECK_EQ_STR(k, "images/" OID "/thumb.webp");
    CHECK(media_key_valid(k, strlen(k)));
    CHECK_EQ_INT(media_key_image(k, sizeof k, OID, "large_2x", "avif"), FACET_OK);
    CHECK_EQ_INT(media_key_image(k, sizeof k, "65F1A2B3C4D5E6F708192A3B", "thumb", "webp"),
                 FACET_EINVAL);
    CHECK_EQ_INT(media_key_image(k, sizeof k, "65f1a2b3", "thumb", "webp"), FACET_EINVAL);
    CHECK_EQ_INT(media_key_image(k, sizeof k, OID, "../x", "webp"), FACET_EINVAL);
    CHECK_EQ_INT(media_key_image(k, sizeof k, OID, "", "webp"), FACET_EINVAL);
    CHECK_EQ_INT(media_key_image(k, sizeof k, OID, "Thumb", "webp"), FACET_EINVAL);
    CHECK_EQ_INT(media_key_image(k, sizeof k, OID, "thumb", "we.bp"), FACET_EINVAL);
    CHECK_EQ_INT(media_key_image(k, sizeof k, OID, "thumb", "toolongext"), FACET_EINVAL);
    CHECK_EQ_INT(media_key_image(k, 20, OID, "thumb", "webp"), FACET_ELIMIT);
}

TEST(content_types)
{
    const char *pairs[][2] = {
        {"a.webp", "image/webp"}, {"a.jpg", "image/jpeg"},  {"a.JPEG", "image/jpeg"},
        {"a.png", "image/png"},   {"a.gif", "image/gif"},   {"x/y.avif", "image/avif"},
        {"v.mp4", "video/mp4"},   {"v.webm", "video/webm"}, {"v.MOV", "video/quicktime"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        CHECK_EQ_STR(media_content_type_for(pairs[i][0], strlen(pairs[i][0])), pairs[i][1]);
    const char *none[] = {"a", "a.txt", "a.svg", "a.webp/b", "a.", "webp", "a.tar.gz"};
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
        CHECK(media_content_type_for(none[i], strlen(none[i])) == NULL);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static char scratch[] = "/tmp/facet-storage-XXXXXX";

static void remove_scratch(void)
{
    nftw(scratch, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* A scratch data directory, removed when the (forked) test exits. */
static char *scratch_dir(void)
{
    CHECK(mkdtemp(scratch) != NULL);
    atexit(remove_scratch);
    return scratch;
}

static media_storage_t *fs_storage(const char *data_dir, const char *base_url)
{
    media_storage_opts_t o = {.provider = "fs", .data_dir = data_dir, .media_base_url = base_url};
    media_storage_t *s = NULL;
    char err[300];
    int rc = media_storage_new(&o, &s, err, sizeof err);
    if (rc != FACET_OK)
        fprintf(stderr, "%s\n", err);
    CHECK_EQ_INT(rc, FACET_OK);
    return s;
}

static void check_url(media_storage_t *s, const char *key, const char *want)
{
    facet_buf_t b;
    facet_buf_init(&b, 0);
    CHECK_EQ_INT(media_storage_public_url(s, key, &b), FACET_OK);
    CHECK_EQ_INT(facet_buf_append(&b, "", 1), FACET_OK);
    CHECK_EQ_STR(b.base, want);
    facet_buf_free(&b);
}

TEST(public_urls)
{
    char *dir = scratch_dir();
    const char *key = "images/" OID "/thumb.webp";
    media_storage_t *s = fs_storage(dir, NULL);
    CHECK_EQ_STR(media_storage_provider(s), "fs");
    check_url(s, key, "/media/images/" OID "/thumb.webp");
    facet_buf_t b;
    facet_buf_init(&b, 0);
    CHECK_EQ_INT(media_storage_public_url(s, "../etc/passwd", &b), FACET_EINVAL);
    facet_buf_free(&b);
    media_storage_free(s);

    s = fs_storage(dir, "https://d111111abcdef8.cloudfront.net");
    check_url(s, key, "https://d111111abcdef8.cloudfront.net/images/" OID "/thumb.webp");
    media_storage_free(s);
    s = fs_storage(dir, "https://cdn.example.com/m/");
    check_url(s, key, "https://cdn.example.com/m/images/" OID "/thumb.webp");
    media_storage_free(s);

    media_aws_creds_opts_t co = {.access_key_id = "AK", .secret_access_key = "SK"};
    media_aws_creds_t *creds;
    CHECK_EQ_INT(media_aws_creds_new(&co, &creds, NULL, 0), FACET_OK);
    media_storage_opts_t o = {
        .provider = "s3", .bucket = "facet-media", .region = "eu-west-1", .creds = creds};
    CHECK_EQ_INT(media_storage_new(&o, &s, NULL, 0), FACET_OK);
    CHECK_EQ_STR(media_storage_provider(s), "s3");
    check_url(s, key, "https://facet-media.s3.eu-west-1.amazonaws.com/images/" OID "/thumb.webp");
    media_storage_free(s);
    o.path_style = true;
    o.endpoint = "http://127.0.0.1:4568";
    CHECK_EQ_INT(media_storage_new(&o, &s, NULL, 0), FACET_OK);
    check_url(s, key, "http://127.0.0.1:4568/facet-media/images/" OID "/thumb.webp");
    media_storage_free(s);
    o.path_style = false;
    o.endpoint = "https://storage.example.com/";
    CHECK_EQ_INT(media_storage_new(&o, &s, NULL, 0), FACET_OK);
    check_url(s, key, "https://facet-media.storage.example.com/images/" OID "/thumb.webp");
    media_storage_free(s);
    o.media_base_url = "https://cdn.example.com";
    CHECK_EQ_INT(media_storage_new(&o, &s, NULL, 0), FACET_OK);
    check_url(s, key, "https://cdn.example.com/images/" OID "/thumb.webp");
    media_storage_free(s);
    media_aws_creds_free(creds);
}

static int new_err(media_storage_opts_t o, char *err, size_t errlen)
{
    media_storage_t *s = NULL;
    err[0] = '\0';
    int rc = media_storage_new(&o, &s, err, errlen);
    media_storage_free(s);
    return rc;
}

TEST(option_errors)
{
    char err[300];
    media_aws_creds_opts_t co = {.access_key_id = "AK", .secret_access_key = "SK"};
    media_aws_creds_t *creds;
    CHECK_EQ_INT(media_aws_creds_new(&co, &creds, NULL, 0), FACET_OK);
    media_storage_opts_t s3 = {.provider = "s3", .bucket = "b-1", .creds = creds};
    CHECK_EQ_INT(new_err(s3, err, sizeof err), FACET_OK);

    CHECK_EQ_INT(new_err((media_storage_opts_t){.provider = "gcs"}, err, sizeof err), FACET_EINVAL);
    CHECK(strstr(err, "FACET_STORAGE") != NULL);
    CHECK_EQ_INT(new_err((media_storage_opts_t){.provider = "fs"}, err, sizeof err), FACET_EINVAL);
    CHECK(strstr(err, "FACET_DATA_DIR") != NULL);
    CHECK_EQ_INT(new_err((media_storage_opts_t){.data_dir = "/proc/1/nope"}, err, sizeof err),
                 FACET_EINVAL);
    CHECK(strstr(err, "FACET_DATA_DIR") != NULL);

    media_storage_opts_t o = s3;
    const char *buckets[] = {NULL, "", "ab", "Upper", "a..b", "-ab", "ab-", "a_b"};
    for (size_t i = 0; i < sizeof buckets / sizeof buckets[0]; i++) {
        o.bucket = buckets[i];
        CHECK_EQ_INT(new_err(o, err, sizeof err), FACET_EINVAL);
        CHECK(strstr(err, "FACET_S3_BUCKET") != NULL);
    }
    o = s3;
    o.region = "EU West";
    CHECK_EQ_INT(new_err(o, err, sizeof err), FACET_EINVAL);
    CHECK(strstr(err, "FACET_S3_REGION") != NULL);
    o = s3;
    o.creds = NULL;
    CHECK_EQ_INT(new_err(o, err, sizeof err), FACET_EINVAL);
    CHECK(strstr(err, "credentials") != NULL);
    const char *endpoints[] = {"ftp://h", "http://h/path", "http://u:p@h", "http://h/?q=1",
                               "not a url"};
    for (size_t i = 0; i < sizeof endpoints / sizeof endpoints[0]; i++) {
        o = s3;
        o.endpoint = endpoints[i];
        CHECK_EQ_INT(new_err(o, err, sizeof err), FACET_EINVAL);
        CHECK(strstr(err, "FACET_S3_ENDPOINT") != NULL);
    }
    const char *bases[] = {"cdn.example.com", "https://cdn.example.com/a b", "ftp://x/",
                           "https://x/?a=1", "https://x/\"y"};
    for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++) {
        o = s3;
        o.media_base_url = bases[i];
        CHECK_EQ_INT(new_err(o, err, sizeof err), FACET_EINVAL);
        CHECK(strstr(err, "FACET_MEDIA_BASE_URL") != NULL);
    }
    o = s3;
    o.cache_control = "public\r\nX-Evil: 1";
    CHECK_EQ_INT(new_err(o, err, sizeof err), FACET_EINVAL);
    media_aws_creds_free(creds);
}

/* Files in dir whose name starts with '.', recursively (left-over
 * temporary files). */
static int dot_files(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (e->d_name[0] == '.')
            n++;
        char sub[1024];
        snprintf(sub, sizeof sub, "%s/%s", dir, e->d_name);
        if (e->d_type == DT_DIR)
            n += dot_files(sub);
    }
    closedir(d);
    return n;
}

TEST(fs_round_trip)
{
    char *dir = scratch_dir();
    media_storage_t *s = fs_storage(dir, NULL);
    const char *key = "images/" OID "/thumb.webp";
    char err[300];
    static const char body[] = "RIFF....WEBPVP8 not really";
    CHECK_EQ_INT(media_storage_put(s, key, body, sizeof body - 1, "image/webp", err, sizeof err),
                 FACET_OK);
    char path[512];
    snprintf(path, sizeof path, "%s/media/%s", dir, key);
    struct stat st;
    CHECK(stat(path, &st) == 0 && st.st_size == (off_t)(sizeof body - 1));
    CHECK_EQ_INT(st.st_mode & 0777, 0644);

    media_object_info_t info;
    CHECK_EQ_INT(media_storage_head(s, key, &info, err, sizeof err), FACET_OK);
    CHECK_EQ_INT(info.size, sizeof body - 1);
    CHECK_EQ_STR(info.content_type, "image/webp");
    CHECK_EQ_STR(info.cache_control, MEDIA_CACHE_CONTROL_IMMUTABLE);
    CHECK(info.etag[0] == '"' && info.etag[strlen(info.etag) - 1] == '"');
    CHECK(info.last_modified > 0);
    char etag1[128];
    snprintf(etag1, sizeof etag1, "%s", info.etag);

    facet_buf_t b;
    facet_buf_init(&b, 1024);
    CHECK_EQ_INT(media_storage_get(s, key, &b, &info, err, sizeof err), FACET_OK);
    CHECK(b.len == sizeof body - 1 && memcmp(b.base, body, b.len) == 0);
    facet_buf_free(&b);
    facet_buf_init(&b, 4);
    CHECK_EQ_INT(media_storage_get(s, key, &b, NULL, err, sizeof err), FACET_ELIMIT);
    CHECK_EQ_INT(b.len, 0);
    facet_buf_free(&b);

    /* Replacing the bytes changes the ETag; no temporary file is left. */
    CHECK_EQ_INT(media_storage_put(s, key, "new", 3, "image/webp", err, sizeof err), FACET_OK);
    CHECK_EQ_INT(media_storage_head(s, key, &info, err, sizeof err), FACET_OK);
    CHECK_EQ_INT(info.size, 3);
    CHECK(strcmp(info.etag, etag1) != 0);
    CHECK_EQ_INT(dot_files(dir), 0);

    /* A second variant, then deleting both removes the object's folder. */
    const char *key2 = "images/" OID "/large.webp";
    CHECK_EQ_INT(media_storage_put(s, key2, "", 0, "image/webp", err, sizeof err), FACET_OK);
    CHECK_EQ_INT(media_storage_delete(s, key, err, sizeof err), FACET_OK);
    CHECK_EQ_INT(media_storage_head(s, key, &info, err, sizeof err), FACET_ENOTFOUND);
    CHECK_EQ_INT(media_storage_delete(s, key, err, sizeof err), FACET_OK);
    snprintf(path, sizeof path, "%s/media/images/" OID, dir);
    CHECK(stat(path, &st) == 0);
    CHECK_EQ_INT(media_storage_delete(s, key2, err, sizeof err), FACET_OK);
    CHECK(stat(path, &st) != 0 && errno == ENOENT);
    snprintf(path, sizeof path, "%s/media", dir);
    CHECK(stat(path, &st) == 0); /* the media directory itself stays */

    /* Invalid keys and arguments never reach the disk. */
    CHECK_EQ_INT(media_storage_put(s, "../x.webp", "x", 1, "image/webp", err, sizeof err),
                 FACET_EINVAL);
    CHECK_EQ_INT(media_storage_put(s, "a.webp", "x", 1, "image/webp\r\nX: y", err, sizeof err),
                 FACET_EINVAL);
    CHECK_EQ_INT(media_storage_get(s, "/etc/passwd", &b, NULL, err, sizeof err), FACET_EINVAL);
    CHECK_EQ_INT(media_storage_delete(s, "a/../../b", err, sizeof err), FACET_EINVAL);
    facet_buf_init(&b, 0);
    CHECK_EQ_INT(media_storage_presign_put(s, "a.mp4", NULL, 60, &b, err, sizeof err),
                 FACET_EINVAL);
    CHECK(strstr(err, "fs") != NULL);
    facet_buf_free(&b);
    media_storage_free(s);
}

TEST(fs_open_stays_inside)
{
    char *dir = scratch_dir();
    media_storage_t *s = fs_storage(dir, NULL);
    char media[512], path[600], outside[600];
    snprintf(media, sizeof media, "%s/media", dir);
    snprintf(outside, sizeof outside, "%s/secret.webp", dir);
    FILE *f = fopen(outside, "w");
    CHECK(f && fputs("secret", f) >= 0 && fclose(f) == 0);
    CHECK_EQ_INT(media_storage_put(s, "in/ok.webp", "ok", 2, "image/webp", NULL, 0), FACET_OK);

    int fd = -1;
    CHECK_EQ_INT(media_fs_open(media, "in/ok.webp", 10, &fd), FACET_OK);
    char etag[128], etag2[128];
    media_fs_etag(fd, etag, sizeof etag);
    media_fs_etag(fd, etag2, sizeof etag2);
    CHECK_EQ_STR(etag, etag2);
    close(fd);

    /* A link out of the media directory, absolute or relative. */
    snprintf(path, sizeof path, "%s/out.webp", media);
    CHECK(symlink(outside, path) == 0);
    CHECK_EQ_INT(media_fs_open(media, "out.webp", 8, &fd), FACET_ENOTFOUND);
    snprintf(path, sizeof path, "%s/in/rel.webp", media);
    CHECK(symlink("../../secret.webp", path) == 0);
    CHECK_EQ_INT(media_fs_open(media, "in/rel.webp", 11, &fd), FACET_ENOTFOUND);
    snprintf(path, sizeof path, "%s/up", media);
    CHECK(symlink("..", path) == 0);
    CHECK_EQ_INT(media_fs_open(media, "up/secret.webp", 14, &fd), FACET_ENOTFOUND);
    CHECK_EQ_INT(media_storage_head(s, "out.webp", &(media_object_info_t){0}, NULL, 0),
                 FACET_ENOTFOUND);

    /* Keys that are not keys, directories and FIFOs are not found. */
    const char *bad[] = {"../secret.webp", "in/../../secret.webp", "/etc/passwd", "in", "in/",
                         "in\\ok.webp",    "in/%2e%2e/secret.webp"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_EQ_INT(media_fs_open(media, bad[i], strlen(bad[i]), &fd), FACET_ENOTFOUND);
    snprintf(path, sizeof path, "%s/pipe.webp", media);
    CHECK(mkfifo(path, 0644) == 0);
    CHECK_EQ_INT(media_fs_open(media, "pipe.webp", 9, &fd), FACET_ENOTFOUND);
    CHECK_EQ_INT(media_fs_open("/nonexistent-dir", "a.webp", 6, &fd), FACET_ENOTFOUND);
    media_storage_free(s);
}

/* ---- Against a live S3-compatible store ---- */

static const char *env_or(const char *name, const char *dflt)
{
    const char *v = getenv(name);
    return v && *v ? v : dflt;
}

/* The store named by S3_ENDPOINT and S3_BUCKET (path style), with the keys
 * S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY (s3rver's by default); NULL
 * when S3_ENDPOINT is unset. */
static media_storage_t *live_s3(media_aws_creds_t **creds)
{
    const char *endpoint = getenv("S3_ENDPOINT");
    if (!endpoint || !*endpoint)
        return NULL;
    media_aws_creds_opts_t co = {
        .access_key_id = env_or("S3_ACCESS_KEY_ID", "S3RVER"),
        .secret_access_key = env_or("S3_SECRET_ACCESS_KEY", "S3RVER"),
    };
    CHECK_EQ_INT(media_aws_creds_new(&co, creds, NULL, 0), FACET_OK);
    media_storage_opts_t o = {
        .provider = "s3",
        .bucket = env_or("S3_BUCKET", "facet-media"),
        .region = env_or("S3_REGION", "us-east-1"),
        .endpoint = endpoint,
        .path_style = true,
        .creds = *creds,
        .cache_control = "public, max-age=60",
    };
    media_storage_t *s = NULL;
    char err[300];
    int rc = media_storage_new(&o, &s, err, sizeof err);
    if (rc != FACET_OK)
        fprintf(stderr, "%s\n", err);
    CHECK_EQ_INT(rc, FACET_OK);
    return s;
}

static size_t discard(char *d, size_t size, size_t n, void *ud)
{
    (void)d;
    (void)ud;
    return size * n;
}

/* PUTs body to url as a browser would with a pre-signed URL; returns the
 * status. */
static long http_put(const char *url, const char *content_type, const char *body)
{
    CURL *h = curl_easy_init();
    CHECK(h != NULL);
    char ct[128];
    snprintf(ct, sizeof ct, "Content-Type: %s", content_type);
    struct curl_slist *hdrs = curl_slist_append(NULL, ct);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "PUT");
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    long code = 0;
    CHECK_EQ_INT(curl_easy_perform(h), CURLE_OK);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(h);
    return code;
}

TEST(s3_live)
{
    media_aws_creds_t *creds;
    media_storage_t *s = live_s3(&creds);
    if (!s) {
        printf("skipped: S3_ENDPOINT is not set\n");
        return;
    }
    char key[128], err[300];
    snprintf(key, sizeof key, "images/%08lx%016lx/thumb.webp", (unsigned long)getpid(),
             (unsigned long)time(NULL));
    static const char body[] = "not really a webp \x01\x02";
    int rc = media_storage_put(s, key, body, sizeof body - 1, "image/webp", err, sizeof err);
    if (rc != FACET_OK)
        fprintf(stderr, "%s\n", err);
    CHECK_EQ_INT(rc, FACET_OK);
    media_object_info_t info;
    CHECK_EQ_INT(media_storage_head(s, key, &info, err, sizeof err), FACET_OK);
    CHECK_EQ_INT(info.size, sizeof body - 1);
    CHECK_EQ_STR(info.content_type, "image/webp");
    CHECK_EQ_STR(info.cache_control, "public, max-age=60");
    CHECK(info.etag[0] == '"');
    facet_buf_t b;
    facet_buf_init(&b, 1 << 20);
    CHECK_EQ_INT(media_storage_get(s, key, &b, &info, err, sizeof err), FACET_OK);
    CHECK(b.len == sizeof body - 1 && memcmp(b.base, body, b.len) == 0);
    facet_buf_free(&b);

    /* A pre-signed PUT is accepted; with another access key it is not.
     * (s3rver does not check SigV4 signatures themselves: the AWS test
     * vectors in test_media_sigv4 and the verifying proxy of
     * tests/e2e/media-storage.test.mjs do.) */
    facet_buf_t url;
    facet_buf_init(&url, 0);
    char key2[160];
    snprintf(key2, sizeof key2, "%s.mp4", key);
    CHECK_EQ_INT(media_storage_presign_put(s, key2, "video/mp4", 300, &url, err, sizeof err),
                 FACET_OK);
    CHECK_EQ_INT(facet_buf_append(&url, "", 1), FACET_OK);
    CHECK(strstr(url.base, "X-Amz-Expires=300&") != NULL);
    char *tampered = strdup(url.base);
    char *cred = strstr(tampered, "X-Amz-Credential=") + 17;
    *cred = *cred == 'A' ? 'B' : 'A';
    CHECK_EQ_INT(http_put(tampered, "video/mp4", "vid"), 403);
    CHECK_EQ_INT(http_put(url.base, "video/mp4", "video bytes"), 200);
    CHECK_EQ_INT(media_storage_head(s, key2, &info, err, sizeof err), FACET_OK);
    CHECK_EQ_INT(info.size, 11);
    CHECK_EQ_STR(info.content_type, "video/mp4");
    free(tampered);
    facet_buf_free(&url);

    CHECK_EQ_INT(media_storage_delete(s, key, err, sizeof err), FACET_OK);
    CHECK_EQ_INT(media_storage_delete(s, key2, err, sizeof err), FACET_OK);
    CHECK_EQ_INT(media_storage_head(s, key, &info, err, sizeof err), FACET_ENOTFOUND);
    facet_buf_init(&b, 0);
    CHECK_EQ_INT(media_storage_get(s, key, &b, NULL, err, sizeof err), FACET_ENOTFOUND);
    facet_buf_free(&b);
    CHECK_EQ_INT(media_storage_delete(s, key, err, sizeof err), FACET_OK);
    media_storage_free(s);
    media_aws_creds_free(creds);

    /* Credentials the store does not know are refused. */
    setenv("S3_ACCESS_KEY_ID", "AKIDUNKNOWN", 1);
    s = live_s3(&creds);
    CHECK_EQ_INT(media_storage_put(s, key, "x", 1, "image/webp", err, sizeof err), FACET_EPERM);
    CHECK(strstr(err, "HTTP 403") != NULL);
    media_storage_free(s);
    media_aws_creds_free(creds);
}
