/* Drives media/storage from tests/e2e/media-storage.test.mjs:
 *
 *   media_tool put KEY FILE TYPE          store FILE's bytes under KEY
 *   media_tool head KEY                   print the object's info as JSON
 *   media_tool get KEY                    write the object's bytes to stdout
 *   media_tool delete KEY
 *   media_tool presign-put KEY SECONDS [TYPE]   print a pre-signed PUT URL
 *   media_tool url KEY                    print the public URL
 *
 * Options come from the environment, under the names proposed for Facet's
 * configuration: FACET_STORAGE (fs|s3), FACET_DATA_DIR,
 * FACET_MEDIA_BASE_URL, FACET_S3_BUCKET, FACET_S3_REGION (or AWS_REGION),
 * FACET_S3_ENDPOINT, FACET_S3_PATH_STYLE (1|true), and the AWS_* credential
 * variables. Exit status: 0 done, 4 no such object, 2 usage, 1 any other
 * error (the message on stderr). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "media/aws_creds.h"
#include "media/storage.h"

static const char *env_get(void *ctx, const char *name)
{
    (void)ctx;
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

static int usage(void)
{
    fprintf(stderr, "usage: media_tool put KEY FILE TYPE | head KEY | get KEY | delete KEY |\n"
                    "       presign-put KEY SECONDS [TYPE] | url KEY\n");
    return 2;
}

static int read_file(const char *path, facet_buf_t *out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return FACET_EIO;
    char chunk[65536];
    size_t n;
    int rc = FACET_OK;
    while (rc == FACET_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = facet_buf_append(out, chunk, n);
    if (ferror(f))
        rc = FACET_EIO;
    fclose(f);
    return rc;
}

static void print_json_string(const char *s)
{
    facet_buf_t b;
    facet_buf_init(&b, 0);
    facet_buf_append_json_escaped(&b, s, strlen(s));
    printf("\"%.*s\"", (int)b.len, b.base ? b.base : "");
    facet_buf_free(&b);
}

static int cmd_head(media_storage_t *s, const char *key, char *err, size_t errlen)
{
    media_object_info_t info;
    int rc = media_storage_head(s, key, &info, err, errlen);
    if (rc != FACET_OK)
        return rc;
    printf("{\"size\":%llu,\"contentType\":", (unsigned long long)info.size);
    print_json_string(info.content_type);
    printf(",\"cacheControl\":");
    print_json_string(info.cache_control);
    printf(",\"etag\":");
    print_json_string(info.etag);
    printf(",\"lastModified\":%lld}\n", (long long)info.last_modified);
    return FACET_OK;
}

static int run(media_storage_t *s, int argc, char **argv, char *err, size_t errlen)
{
    const char *cmd = argv[1], *key = argv[2];
    facet_buf_t b;
    facet_buf_init(&b, 0);
    int rc = FACET_OK;
    if (strcmp(cmd, "put") == 0 && argc == 5) {
        rc = read_file(argv[3], &b);
        if (rc != FACET_OK)
            snprintf(err, errlen, "cannot read %s", argv[3]);
        else
            rc = media_storage_put(s, key, b.base, b.len, argv[4], err, errlen);
    } else if (strcmp(cmd, "head") == 0 && argc == 3) {
        rc = cmd_head(s, key, err, errlen);
    } else if (strcmp(cmd, "get") == 0 && argc == 3) {
        rc = media_storage_get(s, key, &b, NULL, err, errlen);
        if (rc == FACET_OK && b.len && fwrite(b.base, 1, b.len, stdout) != b.len)
            rc = FACET_EIO;
    } else if (strcmp(cmd, "delete") == 0 && argc == 3) {
        rc = media_storage_delete(s, key, err, errlen);
    } else if (strcmp(cmd, "presign-put") == 0 && (argc == 4 || argc == 5)) {
        long secs = strtol(argv[3], NULL, 10);
        rc = media_storage_presign_put(s, key, argc == 5 ? argv[4] : NULL,
                                       secs > 0 && secs <= UINT32_MAX ? (uint32_t)secs : 0, &b, err,
                                       errlen);
        if (rc == FACET_OK)
            printf("%.*s\n", (int)b.len, b.base);
    } else if (strcmp(cmd, "url") == 0 && argc == 3) {
        rc = media_storage_public_url(s, key, &b);
        if (rc == FACET_OK)
            printf("%.*s\n", (int)b.len, b.base);
        else
            snprintf(err, errlen, "invalid media key");
    } else {
        rc = FACET_EINVAL;
        snprintf(err, errlen, "usage");
    }
    facet_buf_free(&b);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return usage();
    media_aws_creds_opts_t co;
    media_aws_creds_opts_from_env(&co, env_get, NULL);
    const char *provider = env_get(NULL, "FACET_STORAGE");
    const char *path_style = env_get(NULL, "FACET_S3_PATH_STYLE");
    const char *region = env_get(NULL, "FACET_S3_REGION");
    media_storage_opts_t o = {
        .provider = provider,
        .media_base_url = env_get(NULL, "FACET_MEDIA_BASE_URL"),
        .data_dir = env_get(NULL, "FACET_DATA_DIR"),
        .bucket = env_get(NULL, "FACET_S3_BUCKET"),
        .region = region ? region : env_get(NULL, "AWS_REGION"),
        .endpoint = env_get(NULL, "FACET_S3_ENDPOINT"),
        .path_style =
            path_style && (strcmp(path_style, "1") == 0 || strcmp(path_style, "true") == 0),
    };
    char err[512] = "";
    media_aws_creds_t *creds = NULL;
    media_storage_t *s = NULL;
    int rc = FACET_OK;
    if (provider && strcmp(provider, "s3") == 0)
        rc = media_aws_creds_new(&co, &creds, err, sizeof err);
    o.creds = creds;
    if (rc == FACET_OK)
        rc = media_storage_new(&o, &s, err, sizeof err);
    if (rc == FACET_OK)
        rc = run(s, argc, argv, err, sizeof err);
    media_storage_free(s);
    media_aws_creds_free(creds);
    if (rc == FACET_OK)
        return 0;
    if (strcmp(err, "usage") == 0)
        return usage();
    fprintf(stderr, "media_tool: %s (%s)\n", err[0] ? err : "failed", facet_strerror(rc));
    return rc == FACET_ENOTFOUND ? 4 : 1;
}
