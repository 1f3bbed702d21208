/* Tests for media/sigv4.h: the aws-sig-v4-test-suite cases (header and
 * query signing, as published in awslabs/aws-c-auth's
 * tests/aws-signing-test-suite/v4) and the worked examples of the S3
 * documentation (pre-signed GET, GET with Range, PUT, bucket queries). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "media/sigv4.h"
#include "test.h"
#include "test_media_sigv4_suite.h"

#define SUITE_KEY    "AKIDEXAMPLE"
#define SUITE_SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define SUITE_TIME   1440938160 /* 2015-08-30T12:36:00Z */
#define S3_KEY       "AKIAIOSFODNN7EXAMPLE"
#define S3_SECRET    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
#define S3_TIME      1369353600 /* 2013-05-24T00:00:00Z */

static void expect_str(const char *name, const char *what, const char *got, const char *want)
{
    if (strcmp(got ? got : "(null)", want) != 0) {
        fprintf(stderr, "%s: %s\n  got:  \"%s\"\n  want: \"%s\"\n", name, what, got, want);
        exit(1);
    }
}

/* Fills req from a vector; hdrs is storage for its headers. */
static void vector_request(const vector_t *v, media_sigv4_request_t *req,
                           media_sigv4_header_t *hdrs)
{
    size_t n = 0;
    for (size_t i = 0; v->headers[i]; i += 2)
        hdrs[n++] = (media_sigv4_header_t){v->headers[i], v->headers[i + 1]};
    *req = (media_sigv4_request_t){
        .method = v->method,
        .path = v->path,
        .query = v->query,
        .headers = hdrs,
        .nheaders = n,
        .payload = v->body,
        .payload_len = v->body ? strlen(v->body) : 0,
    };
}

static void vector_params(const vector_t *v, media_sigv4_creds_t *creds, media_sigv4_params_t *p)
{
    *creds = (media_sigv4_creds_t){SUITE_KEY, SUITE_SECRET, v->token};
    *p = (media_sigv4_params_t){
        .creds = creds,
        .region = "us-east-1",
        .service = "service",
        .time = SUITE_TIME,
        .keep_path = v->keep_path,
        .content_sha256_header = v->sign_body,
        .unsigned_session_token = v->unsigned_token,
    };
}

/* The signed headers: the line before the last of a canonical request. */
static void signed_headers_of(const char *creq, char *out, size_t outlen)
{
    const char *last = strrchr(creq, '\n');
    CHECK(last);
    const char *p = last;
    while (p > creq && p[-1] != '\n')
        p--;
    snprintf(out, outlen, "%.*s", (int)(last - p), p);
}

TEST(suite_header_signing)
{
    for (size_t i = 0; i < sizeof suite / sizeof suite[0]; i++) {
        const vector_t *v = &suite[i];
        media_sigv4_header_t hdrs[8];
        media_sigv4_request_t req;
        media_sigv4_creds_t creds;
        media_sigv4_params_t p;
        vector_request(v, &req, hdrs);
        vector_params(v, &creds, &p);
        media_sigv4_result_t r;
        char err[200] = "";
        int rc = media_sigv4_sign_headers(&req, &p, &r, err, sizeof err);
        if (rc != FACET_OK)
            fprintf(stderr, "%s: %s\n", v->name, err);
        CHECK_EQ_INT(rc, FACET_OK);
        expect_str(v->name, "canonical request", r.canonical_request.base, v->creq);
        char sts[300];
        snprintf(sts, sizeof sts,
                 "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n%s",
                 v->sts_hash);
        expect_str(v->name, "string to sign", r.string_to_sign.base, sts);
        expect_str(v->name, "signature", r.signature, v->sig);
        char signed_headers[200], authz[400];
        signed_headers_of(v->creq, signed_headers, sizeof signed_headers);
        snprintf(authz, sizeof authz,
                 "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
                 "aws4_request, SignedHeaders=%s, Signature=%s",
                 signed_headers, v->sig);
        expect_str(v->name, "authorization", r.authorization.base, authz);
        media_sigv4_result_free(&r);
    }
}

TEST(suite_query_signing)
{
    for (size_t i = 0; i < sizeof suite / sizeof suite[0]; i++) {
        const vector_t *v = &suite[i];
        media_sigv4_header_t hdrs[8];
        media_sigv4_request_t req;
        media_sigv4_creds_t creds;
        media_sigv4_params_t p;
        vector_request(v, &req, hdrs);
        vector_params(v, &creds, &p);
        media_sigv4_result_t r;
        char err[200] = "";
        int rc = media_sigv4_presign(&req, &p, 3600, &r, err, sizeof err);
        if (rc != FACET_OK)
            fprintf(stderr, "%s: %s\n", v->name, err);
        CHECK_EQ_INT(rc, FACET_OK);
        expect_str(v->name, "query canonical request", r.canonical_request.base, v->qcreq);
        expect_str(v->name, "query signature", r.signature, v->qsig);
        /* The query to send: the canonical one, then the signature (and an
         * unsigned token after it). */
        const char *q = strchr(strchr(v->qcreq, '\n') + 1, '\n') + 1;
        char want[2048];
        int n = snprintf(want, sizeof want, "%.*s&X-Amz-Signature=%s", (int)(strchr(q, '\n') - q),
                         q, v->qsig);
        if (v->unsigned_token) {
            facet_buf_t t;
            facet_buf_init(&t, 0);
            CHECK_EQ_INT(media_sigv4_uri_encode(&t, v->token, strlen(v->token), false), FACET_OK);
            snprintf(want + n, sizeof want - (size_t)n, "&X-Amz-Security-Token=%s", t.base);
            facet_buf_free(&t);
        }
        expect_str(v->name, "query", r.query.base, want);
        media_sigv4_result_free(&r);
    }
}

/* The headers a signed request must carry, in order. */
TEST(added_headers)
{
    media_sigv4_creds_t creds = {SUITE_KEY, SUITE_SECRET, "TOKEN"};
    media_sigv4_params_t p = {
        .creds = &creds,
        .region = "us-east-1",
        .service = "s3",
        .time = SUITE_TIME,
        .s3 = true,
        .content_sha256_header = true,
    };
    media_sigv4_header_t h[] = {{"Host", "b.s3.amazonaws.com"}};
    media_sigv4_request_t req = {"GET", "/k", NULL, h, 1, MEDIA_SIGV4_UNSIGNED_PAYLOAD, NULL, 0};
    media_sigv4_result_t r;
    CHECK_EQ_INT(media_sigv4_sign_headers(&req, &p, &r, NULL, 0), FACET_OK);
    CHECK_EQ_INT(r.nadd, 4);
    CHECK_EQ_STR(r.add[0].name, "X-Amz-Date");
    CHECK_EQ_STR(r.add[0].value, "20150830T123600Z");
    CHECK_EQ_STR(r.add[1].name, "X-Amz-Security-Token");
    CHECK_EQ_STR(r.add[1].value, "TOKEN");
    CHECK_EQ_STR(r.add[2].name, "x-amz-content-sha256");
    CHECK_EQ_STR(r.add[2].value, "UNSIGNED-PAYLOAD");
    CHECK_EQ_STR(r.add[3].name, "Authorization");
    CHECK(strstr(r.add[3].value,
                 "SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token, ") !=
          NULL);
    CHECK(strstr(r.canonical_request.base, "\nUNSIGNED-PAYLOAD") != NULL);
    media_sigv4_result_free(&r);

    creds.session_token = NULL;
    p.content_sha256_header = false;
    CHECK_EQ_INT(media_sigv4_sign_headers(&req, &p, &r, NULL, 0), FACET_OK);
    CHECK_EQ_INT(r.nadd, 2);
    CHECK_EQ_STR(r.add[0].name, "X-Amz-Date");
    CHECK_EQ_STR(r.add[1].name, "Authorization");
    media_sigv4_result_free(&r);
}

/* ---- The S3 documentation's examples ---- */

static media_sigv4_params_t s3_params(const media_sigv4_creds_t *creds)
{
    return (media_sigv4_params_t){
        .creds = creds,
        .region = "us-east-1",
        .service = "s3",
        .time = S3_TIME,
        .s3 = true,
        .content_sha256_header = true,
    };
}

TEST(s3_presigned_get)
{
    media_sigv4_creds_t creds = {S3_KEY, S3_SECRET, NULL};
    media_sigv4_params_t p = s3_params(&creds);
    media_sigv4_header_t h[] = {{"Host", "examplebucket.s3.amazonaws.com"}};
    media_sigv4_request_t req = {"GET", "/test.txt", NULL, h, 1, MEDIA_SIGV4_UNSIGNED_PAYLOAD, NULL,
                                 0};
    media_sigv4_result_t r;
    CHECK_EQ_INT(media_sigv4_presign(&req, &p, 86400, &r, NULL, 0), FACET_OK);
    CHECK_EQ_STR(r.canonical_request.base,
                 "GET\n/test.txt\n"
                 "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524"
                 "%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400"
                 "&X-Amz-SignedHeaders=host\n"
                 "host:examplebucket.s3.amazonaws.com\n\nhost\nUNSIGNED-PAYLOAD");
    CHECK_EQ_STR(r.string_to_sign.base,
                 "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
                 "3bfa292879f6447bbcda7001decf97f4a54dc650c8942174ae0a9121cf58ad04");
    CHECK_EQ_STR(r.signature, "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
    CHECK_EQ_STR(r.query.base,
                 "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524"
                 "%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400"
                 "&X-Amz-SignedHeaders=host&X-Amz-Signature="
                 "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
    media_sigv4_result_free(&r);
}

TEST(s3_get_object_with_range)
{
    media_sigv4_creds_t creds = {S3_KEY, S3_SECRET, NULL};
    media_sigv4_params_t p = s3_params(&creds);
    media_sigv4_header_t h[] = {{"Host", "examplebucket.s3.amazonaws.com"}, {"Range", "bytes=0-9"}};
    media_sigv4_request_t req = {"GET", "/test.txt", NULL, h, 2, NULL, NULL, 0};
    media_sigv4_result_t r;
    CHECK_EQ_INT(media_sigv4_sign_headers(&req, &p, &r, NULL, 0), FACET_OK);
    CHECK_EQ_STR(r.canonical_request.base,
                 "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
                 "x-amz-content-sha256:" MEDIA_SIGV4_EMPTY_SHA256 "\n"
                 "x-amz-date:20130524T000000Z\n\n"
                 "host;range;x-amz-content-sha256;x-amz-date\n" MEDIA_SIGV4_EMPTY_SHA256);
    CHECK_EQ_STR(r.string_to_sign.base,
                 "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
                 "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
    CHECK_EQ_STR(r.authorization.base,
                 "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
                 "aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                 "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
    media_sigv4_result_free(&r);
}

TEST(s3_put_object)
{
    media_sigv4_creds_t creds = {S3_KEY, S3_SECRET, NULL};
    media_sigv4_params_t p = s3_params(&creds);
    facet_buf_t path;
    facet_buf_init(&path, 0);
    CHECK_EQ_INT(media_sigv4_uri_encode(&path, "/test$file.text", 15, true), FACET_OK);
    CHECK_EQ_STR(path.base, "/test%24file.text");
    media_sigv4_header_t h[] = {{"Host", "examplebucket.s3.amazonaws.com"},
                                {"Date", "Fri, 24 May 2013 00:00:00 GMT"},
                                {"x-amz-storage-class", "REDUCED_REDUNDANCY"}};
    static const char body[] = "Welcome to Amazon S3.";
    media_sigv4_request_t req = {"PUT", path.base, NULL, h, 3, NULL, body, sizeof body - 1};
    media_sigv4_result_t r;
    CHECK_EQ_INT(media_sigv4_sign_headers(&req, &p, &r, NULL, 0), FACET_OK);
    CHECK_EQ_STR(r.payload_hash,
                 "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
    CHECK(strstr(r.canonical_request.base, "PUT\n/test%24file.text\n\n") ==
          r.canonical_request.base);
    CHECK(strstr(r.authorization.base,
                 "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, ") !=
          NULL);
    CHECK_EQ_STR(r.signature, "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
    media_sigv4_result_free(&r);
    facet_buf_free(&path);
}

TEST(s3_bucket_queries)
{
    media_sigv4_creds_t creds = {S3_KEY, S3_SECRET, NULL};
    media_sigv4_params_t p = s3_params(&creds);
    media_sigv4_header_t h[] = {{"Host", "examplebucket.s3.amazonaws.com"}};
    media_sigv4_request_t req = {"GET", "/", "lifecycle", h, 1, NULL, NULL, 0};
    media_sigv4_result_t r;
    CHECK_EQ_INT(media_sigv4_sign_headers(&req, &p, &r, NULL, 0), FACET_OK);
    CHECK(strstr(r.canonical_request.base, "GET\n/\nlifecycle=\nhost:") ==
          r.canonical_request.base);
    CHECK_EQ_STR(r.signature, "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
    media_sigv4_result_free(&r);

    req.query = "prefix=J&max-keys=2"; /* out of order on purpose */
    CHECK_EQ_INT(media_sigv4_sign_headers(&req, &p, &r, NULL, 0), FACET_OK);
    CHECK(strstr(r.canonical_request.base, "GET\n/\nmax-keys=2&prefix=J\nhost:") ==
          r.canonical_request.base);
    CHECK_EQ_STR(r.signature, "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
    media_sigv4_result_free(&r);
}

/* S3 signs the path as sent: encoded once, never normalized. */
TEST(s3_path_rules)
{
    media_sigv4_creds_t creds = {S3_KEY, S3_SECRET, NULL};
    media_sigv4_params_t p = s3_params(&creds);
    media_sigv4_header_t h[] = {{"Host", "b.s3.amazonaws.com"}};
    media_sigv4_request_t req = {"GET", "/a%20b/./../c//d", NULL, h, 1, NULL, NULL, 0};
    media_sigv4_result_t r;
    CHECK_EQ_INT(media_sigv4_sign_headers(&req, &p, &r, NULL, 0), FACET_OK);
    CHECK(strstr(r.canonical_request.base, "GET\n/a%20b/./../c//d\n") == r.canonical_request.base);
    media_sigv4_result_free(&r);

    /* Another service encodes the sent path a second time. */
    p.s3 = false;
    CHECK_EQ_INT(media_sigv4_sign_headers(&req, &p, &r, NULL, 0), FACET_OK);
    CHECK(strstr(r.canonical_request.base, "GET\n/c/d\n") == r.canonical_request.base);
    media_sigv4_result_free(&r);
    p.keep_path = true;
    req.path = "/a%20b";
    CHECK_EQ_INT(media_sigv4_sign_headers(&req, &p, &r, NULL, 0), FACET_OK);
    CHECK(strstr(r.canonical_request.base, "GET\n/a%2520b\n") == r.canonical_request.base);
    media_sigv4_result_free(&r);

    /* S3 refuses a path that is not encoded the SigV4 way. */
    p.s3 = true;
    char err[200];
    const char *bad[] = {"/a b", "/a%2fb", "/a$b", "/a%2", "/a%G0", "relative"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        req.path = bad[i];
        CHECK_EQ_INT(media_sigv4_sign_headers(&req, &p, &r, err, sizeof err), FACET_EINVAL);
        media_sigv4_result_free(&r);
    }
}

TEST(uri_encode)
{
    facet_buf_t b;
    facet_buf_init(&b, 0);
    CHECK_EQ_INT(media_sigv4_uri_encode(&b, "a b/c+d=e&~._-\xff", 15, false), FACET_OK);
    CHECK_EQ_STR(b.base, "a%20b%2Fc%2Bd%3De%26~._-%FF");
    facet_buf_reset(&b);
    CHECK_EQ_INT(media_sigv4_uri_encode(&b, "images/x y.webp", 15, true), FACET_OK);
    CHECK_EQ_STR(b.base, "images/x%20y.webp");
    facet_buf_free(&b);
}

/* The example in AWS's "derive a signing key" documentation. */
TEST(signing_key)
{
    unsigned char key[32];
    media_sigv4_signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1",
                            "iam", key);
    char hex[65];
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", key[i]);
    CHECK_EQ_STR(hex, "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
}

/* Query parameters are decoded and re-encoded, then sorted by name and
 * value; '+' is a literal plus. */
TEST(query_canonical_form)
{
    media_sigv4_creds_t creds = {SUITE_KEY, SUITE_SECRET, NULL};
    media_sigv4_params_t p = {.creds = &creds, .region = "r", .service = "s", .time = SUITE_TIME};
    media_sigv4_header_t h[] = {{"Host", "h"}};
    media_sigv4_request_t req = {"GET", "/", "b=2&a=%7e%2f&&a=1+1&c", h, 1, NULL, NULL, 0};
    media_sigv4_result_t r;
    CHECK_EQ_INT(media_sigv4_sign_headers(&req, &p, &r, NULL, 0), FACET_OK);
    CHECK(strstr(r.canonical_request.base, "GET\n/\na=1%2B1&a=~%2F&b=2&c=\n") ==
          r.canonical_request.base);
    media_sigv4_result_free(&r);
}

static int sign_err(media_sigv4_request_t *req, media_sigv4_params_t *p, bool presign,
                    uint32_t expires, char *err, size_t errlen)
{
    media_sigv4_result_t r;
    err[0] = '\0';
    int rc = presign ? media_sigv4_presign(req, p, expires, &r, err, errlen)
                     : media_sigv4_sign_headers(req, p, &r, err, errlen);
    media_sigv4_result_free(&r);
    return rc;
}

TEST(errors)
{
    media_sigv4_creds_t creds = {SUITE_KEY, SUITE_SECRET, NULL};
    media_sigv4_params_t p = {.creds = &creds, .region = "r", .service = "s", .time = SUITE_TIME};
    media_sigv4_header_t h[3] = {{"Host", "h"}};
    media_sigv4_request_t req = {"GET", "/", NULL, h, 1, NULL, NULL, 0};
    char err[200];
    CHECK_EQ_INT(sign_err(&req, &p, false, 0, err, sizeof err), FACET_OK);

    req.nheaders = 0;
    CHECK_EQ_INT(sign_err(&req, &p, false, 0, err, sizeof err), FACET_EINVAL);
    CHECK(strstr(err, "Host") != NULL);
    req.nheaders = 2;
    const char *reserved[] = {"X-Amz-Date", "authorization", "x-amz-security-token",
                              "X-Amz-Content-Sha256"};
    for (size_t i = 0; i < 4; i++) {
        h[1] = (media_sigv4_header_t){reserved[i], "x"};
        CHECK_EQ_INT(sign_err(&req, &p, false, 0, err, sizeof err), FACET_EINVAL);
    }
    /* A folded or injected value is refused, never signed. */
    h[1] = (media_sigv4_header_t){"My-Header1", "value1\n  value2"};
    CHECK_EQ_INT(sign_err(&req, &p, false, 0, err, sizeof err), FACET_EINVAL);
    h[1] = (media_sigv4_header_t){"Bad Name", "v"};
    CHECK_EQ_INT(sign_err(&req, &p, false, 0, err, sizeof err), FACET_EINVAL);
    h[1] = (media_sigv4_header_t){"Tabs", "\t a \t b \t"};
    media_sigv4_result_t r;
    CHECK_EQ_INT(media_sigv4_sign_headers(&req, &p, &r, NULL, 0), FACET_OK);
    CHECK(strstr(r.canonical_request.base, "\ntabs:a b\n") != NULL);
    media_sigv4_result_free(&r);
    req.nheaders = 1;

    req.query = "a=%zz";
    CHECK_EQ_INT(sign_err(&req, &p, false, 0, err, sizeof err), FACET_EINVAL);
    req.query = "a=%4";
    CHECK_EQ_INT(sign_err(&req, &p, false, 0, err, sizeof err), FACET_EINVAL);
    req.query = "X-Amz-Signature=abc";
    CHECK_EQ_INT(sign_err(&req, &p, true, 60, err, sizeof err), FACET_EINVAL);
    req.query = NULL;
    CHECK_EQ_INT(sign_err(&req, &p, true, 0, err, sizeof err), FACET_EINVAL);
    CHECK_EQ_INT(sign_err(&req, &p, true, MEDIA_SIGV4_MAX_EXPIRES + 1, err, sizeof err),
                 FACET_EINVAL);
    CHECK_EQ_INT(sign_err(&req, &p, true, MEDIA_SIGV4_MAX_EXPIRES, err, sizeof err), FACET_OK);

    req.payload_hash = "ABC";
    CHECK_EQ_INT(sign_err(&req, &p, false, 0, err, sizeof err), FACET_EINVAL);
    req.payload_hash = NULL;
    req.path = "";
    CHECK_EQ_INT(sign_err(&req, &p, false, 0, err, sizeof err), FACET_EINVAL);
    req.path = "/";
    creds.secret_access_key = "";
    CHECK_EQ_INT(sign_err(&req, &p, false, 0, err, sizeof err), FACET_EINVAL);
    CHECK(strstr(err, "credentials") != NULL);
    creds.secret_access_key = SUITE_SECRET;
    p.region = "us east";
    CHECK_EQ_INT(sign_err(&req, &p, false, 0, err, sizeof err), FACET_EINVAL);
    p.region = "r";

    /* More query parameters than the limit. */
    char q[MEDIA_SIGV4_MAX_HEADERS * 4 + 16] = "";
    for (int i = 0; i < MEDIA_SIGV4_MAX_HEADERS; i++)
        snprintf(q + strlen(q), sizeof q - strlen(q), "%sp%d", i ? "&" : "", i);
    req.query = q;
    CHECK_EQ_INT(sign_err(&req, &p, false, 0, err, sizeof err), FACET_OK);
    CHECK_EQ_INT(sign_err(&req, &p, true, 60, err, sizeof err), FACET_OK);
    strcat(q, "&x");
    CHECK_EQ_INT(sign_err(&req, &p, false, 0, err, sizeof err), FACET_ELIMIT);
    CHECK(strstr(err, "too many") != NULL);
}
