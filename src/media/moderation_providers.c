/* The moderation providers' requests: Rekognition's DetectModerationLabels
 * (AWS JSON 1.1, SigV4) and the signed webhook POST, over libcurl easy
 * handles. Both endpoints come from config, not from users, so they are not
 * held to the ingest SSRF policy; they still speak http(s) only and never
 * follow redirects. */
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth/signature.h"
#include "core/base64.h"
#include "core/buf.h"
#include "core/error.h"
#include "gql/json.h"
#include "media/aws_creds.h"
#include "media/fetch.h"
#include "media/moderation_internal.h"
#include "media/sigv4.h"

static uint64_t timeout_ms(const media_mod_opts_t *o)
{
    return o->timeout_ms ? o->timeout_ms : MEDIA_MOD_DEFAULT_TIMEOUT_MS;
}

/* ---- One POST ---- */

static size_t on_body(char *data, size_t size, size_t n, void *ud)
{
    facet_buf_t *b = ud;
    return facet_buf_append(b, data, size * n) == FACET_OK ? size * n : 0;
}

/* POSTs body to url with headers; the response body goes into resp (at most
 * MEDIA__MOD_MAX_RESPONSE bytes) and its status into *status. Transport
 * failures are provider failures: FACET_ETIMEDOUT or FACET_EIO. */
static int post(const char *who, const char *url, struct curl_slist *headers, facet_str_t body,
                uint64_t timeout, facet_buf_t *resp, long *status, char *err, size_t errlen)
{
    if (media_fetch_global_init() != FACET_OK)
        return facet_errorf(err, errlen, FACET_EIO, "%s: libcurl failed to initialize", who);
    CURL *h = curl_easy_init();
    if (!h)
        return facet_errorf(err, errlen, FACET_ENOMEM, "out of memory");
    CURLcode cc = CURLE_OK;
#define SET(opt, val)                               \
    do {                                            \
        if (cc == CURLE_OK)                         \
            cc = curl_easy_setopt(h, (opt), (val)); \
    } while (0)
    SET(CURLOPT_URL, url);
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_FOLLOWLOCATION, 0L);
    SET(CURLOPT_POST, 1L);
    SET(CURLOPT_POSTFIELDS, body.base);
    SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body.len);
    SET(CURLOPT_HTTPHEADER, headers);
    SET(CURLOPT_USERAGENT, "facet/" FACET_VERSION);
    SET(CURLOPT_TIMEOUT_MS, (long)timeout);
    SET(CURLOPT_CONNECTTIMEOUT_MS, (long)timeout);
    SET(CURLOPT_WRITEFUNCTION, on_body);
    SET(CURLOPT_WRITEDATA, resp);
#undef SET
    if (cc == CURLE_OK)
        cc = curl_easy_perform(h);
    *status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
    curl_easy_cleanup(h);
    if (cc == CURLE_OPERATION_TIMEDOUT)
        return facet_errorf(err, errlen, FACET_ETIMEDOUT, "%s timed out after %llu ms", who,
                            (unsigned long long)timeout);
    if (cc == CURLE_WRITE_ERROR)
        return facet_errorf(err, errlen, FACET_EIO, "%s: response larger than %d bytes", who,
                            MEDIA__MOD_MAX_RESPONSE);
    if (cc != CURLE_OK)
        return facet_errorf(err, errlen, FACET_EIO, "%s: %s", who, curl_easy_strerror(cc));
    return FACET_OK;
}

/* Appends "Name: value" to a header list; false when memory runs out. */
static bool add_header(struct curl_slist **l, const char *name, const char *value)
{
    char line[8192];
    int n = snprintf(line, sizeof line, "%s: %s", name, value);
    if (n < 0 || (size_t)n >= sizeof line)
        return false;
    struct curl_slist *next = curl_slist_append(*l, line);
    if (!next)
        return false;
    *l = next;
    return true;
}

/* ---- Rekognition ---- */

/* The endpoint URL, and the Host header and path to sign for it. */
typedef struct endpoint {
    char url[512];
    char host[300];
    char path[256];
} endpoint_t;

static int rekognition_endpoint(const media_mod_opts_t *o, endpoint_t *ep, char *err, size_t errlen)
{
    if (o->endpoint && *o->endpoint)
        snprintf(ep->url, sizeof ep->url, "%s", o->endpoint);
    else
        snprintf(ep->url, sizeof ep->url, "https://rekognition.%s.amazonaws.com/", o->region);
    CURLU *u = curl_url();
    char *host = NULL, *port = NULL, *path = NULL;
    int rc = FACET_OK;
    if (!u || curl_url_set(u, CURLUPART_URL, ep->url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK) {
        rc = facet_errorf(err, errlen, FACET_EINVAL, "the Rekognition endpoint is not a valid URL");
    } else {
        /* Curl sends the port in Host only when the URL names one. */
        if (curl_url_get(u, CURLUPART_PORT, &port, 0) == CURLUE_OK && port)
            snprintf(ep->host, sizeof ep->host, "%s:%s", host, port);
        else
            snprintf(ep->host, sizeof ep->host, "%s", host);
        snprintf(ep->path, sizeof ep->path, "%s", *path ? path : "/");
    }
    curl_free(host);
    curl_free(port);
    curl_free(path);
    curl_url_cleanup(u);
    return rc;
}

/* {"Image":{"Bytes":"<base64>"},"MinConfidence":N} */
static int rekognition_body(const media_mod_opts_t *o, const media_mod_input_t *in, facet_buf_t *b)
{
    double min = o->min_confidence > 0 ? o->min_confidence : MEDIA_MOD_DEFAULT_MIN_CONFIDENCE;
    int rc = facet_buf_append_str(b, "{\"Image\":{\"Bytes\":\"");
    if (rc == FACET_OK)
        rc = facet_base64_encode_buf(FACET_BASE64_STD, in->bytes, in->len, b);
    if (rc == FACET_OK)
        rc = facet_buf_append_str(b, "\"},\"MinConfidence\":");
    if (rc == FACET_OK)
        rc = gql_json_write_number(b, min);
    if (rc == FACET_OK)
        rc = facet_buf_append_str(b, "}");
    return rc;
}

/* Signs the request and builds curl's header list. */
static int rekognition_headers(const media_mod_opts_t *o, const endpoint_t *ep,
                               const media_sigv4_creds_t *creds, const facet_buf_t *body,
                               struct curl_slist **list, char *err, size_t errlen)
{
    const media_sigv4_header_t h[] = {
        {"Host", ep->host},
        {"Content-Type", "application/x-amz-json-1.1"},
        {"X-Amz-Target", "RekognitionService.DetectModerationLabels"},
    };
    media_sigv4_request_t req = {
        .method = "POST",
        .path = ep->path,
        .headers = h,
        .nheaders = 3,
        .payload = body->base,
        .payload_len = body->len,
    };
    media_sigv4_params_t p = {
        .creds = creds,
        .region = o->region,
        .service = "rekognition",
        .time = time(NULL),
    };
    media_sigv4_result_t sig;
    char why[160];
    int rc = media_sigv4_sign_headers(&req, &p, &sig, why, sizeof why);
    if (rc != FACET_OK) {
        media_sigv4_result_free(&sig);
        return facet_errorf(err, errlen, rc == FACET_ENOMEM ? rc : FACET_EIO,
                            "Rekognition request could not be signed: %s", why);
    }
    bool ok = true;
    for (size_t i = 0; i < 3; i++)
        ok = ok && add_header(list, h[i].name, h[i].value);
    for (size_t i = 0; i < sig.nadd; i++)
        ok = ok && add_header(list, sig.add[i].name, sig.add[i].value);
    /* No "Expect: 100-continue" round trip for large bodies. */
    ok = ok && (*list = curl_slist_append(*list, "Expect:")) != NULL;
    media_sigv4_result_free(&sig);
    return ok ? FACET_OK : facet_errorf(err, errlen, FACET_ENOMEM, "out of memory");
}

static int rekognition_answer(long status, const facet_buf_t *resp, media_mod_result_t *out,
                              char *err, size_t errlen)
{
    if (status < 200 || status >= 300) {
        char why[256];
        media_mod_aws_error(resp->base ? resp->base : "", resp->len, why, sizeof why);
        return facet_errorf(err, errlen, FACET_EIO, "Rekognition answered HTTP %ld (%s)", status,
                            why);
    }
    char why[160];
    int rc = media_mod_parse_rekognition(&out->arena, resp->base ? resp->base : "", resp->len,
                                         &out->labels, &out->nlabels, why, sizeof why);
    if (rc == FACET_EINVAL)
        return facet_errorf(err, errlen, FACET_EIO, "Rekognition returned an unreadable answer: %s",
                            why);
    return rc == FACET_OK ? rc : facet_errorf(err, errlen, rc, "out of memory");
}

int media__mod_rekognition(const media_mod_opts_t *o, const media_mod_input_t *in,
                           media_mod_result_t *out, char *err, size_t errlen)
{
    if (!in->bytes || in->len == 0)
        return facet_errorf(err, errlen, FACET_EINVAL,
                            "rekognition moderation needs the image bytes");
    if (in->len > MEDIA_MOD_REKOGNITION_MAX_BYTES)
        return facet_errorf(err, errlen, FACET_ELIMIT,
                            "image of %zu bytes is over Rekognition's %u", in->len,
                            MEDIA_MOD_REKOGNITION_MAX_BYTES);
    endpoint_t ep;
    int rc = rekognition_endpoint(o, &ep, err, errlen);
    if (rc != FACET_OK)
        return rc;
    media_aws_creds_value_t creds = {0};
    char why[192];
    rc = media_aws_creds_get(o->creds, &creds, why, sizeof why);
    if (rc != FACET_OK)
        return facet_errorf(err, errlen, rc == FACET_ENOMEM ? rc : FACET_EIO, "AWS credentials: %s",
                            why);
    facet_buf_t body, resp;
    facet_buf_init(&body, 0);
    facet_buf_init(&resp, MEDIA__MOD_MAX_RESPONSE);
    struct curl_slist *headers = NULL;
    long status = 0;
    rc = rekognition_body(o, in, &body);
    if (rc != FACET_OK)
        rc = facet_errorf(err, errlen, FACET_ENOMEM, "out of memory");
    else
        rc = rekognition_headers(o, &ep, &creds.sigv4, &body, &headers, err, errlen);
    if (rc == FACET_OK)
        rc = post("Rekognition", ep.url, headers, facet_str(body.base, body.len), timeout_ms(o),
                  &resp, &status, err, errlen);
    if (rc == FACET_OK)
        rc = rekognition_answer(status, &resp, out, err, errlen);
    curl_slist_free_all(headers);
    facet_buf_free(&body);
    facet_buf_free(&resp);
    media_aws_creds_value_free(&creds);
    return rc;
}

/* ---- Webhook ---- */

static int json_member(facet_buf_t *b, const char *key, const char *value)
{
    int rc = facet_buf_printf(b, "%s\"%s\":", b->len > 1 ? "," : "", key);
    return rc == FACET_OK ? gql_json_write_string(b, value, strlen(value)) : rc;
}

/* {"imageId"?, "contentType", "bytes", "base64"} or {..., "url"} */
static int webhook_body(const media_mod_input_t *in, facet_buf_t *b)
{
    int rc = facet_buf_append_str(b, "{");
    if (rc == FACET_OK && in->image_id)
        rc = json_member(b, "imageId", in->image_id);
    if (rc == FACET_OK)
        rc = json_member(b, "contentType", in->content_type ? in->content_type : "");
    if (rc == FACET_OK && in->bytes) {
        rc = facet_buf_printf(b, ",\"bytes\":%zu,\"base64\":\"", in->len);
        if (rc == FACET_OK)
            rc = facet_base64_encode_buf(FACET_BASE64_STD, in->bytes, in->len, b);
        if (rc == FACET_OK)
            rc = facet_buf_append_str(b, "\"");
    } else if (rc == FACET_OK) {
        rc = json_member(b, "url", in->url);
    }
    return rc == FACET_OK ? facet_buf_append_str(b, "}") : rc;
}

static int webhook_headers(const media_mod_opts_t *o, const facet_buf_t *body,
                           struct curl_slist **list, char *err, size_t errlen)
{
    facet_str_t secret = facet_str_c(o->webhook_secret);
    facet_buf_t sig;
    facet_buf_init(&sig, 0);
    int rc = auth_signature_sign(&secret, 1, (int64_t)time(NULL), facet_str(body->base, body->len),
                                 &sig);
    if (rc == FACET_OK)
        rc = facet_buf_append(&sig, "", 1); /* NUL-terminate */
    if (rc != FACET_OK) {
        facet_buf_free(&sig);
        return facet_errorf(err, errlen, rc == FACET_ENOMEM ? rc : FACET_EIO,
                            "moderation webhook: could not sign the request");
    }
    bool ok = add_header(list, "Content-Type", "application/json") &&
              add_header(list, "Accept", "application/json") &&
              add_header(list, AUTH_SIGNATURE_HEADER, sig.base) &&
              (*list = curl_slist_append(*list, "Expect:")) != NULL;
    facet_buf_free(&sig);
    return ok ? FACET_OK : facet_errorf(err, errlen, FACET_ENOMEM, "out of memory");
}

int media__mod_webhook(const media_mod_opts_t *o, const media_mod_input_t *in,
                       media_mod_result_t *out, media_mod_status_t *status, char *err,
                       size_t errlen)
{
    if ((!in->bytes || in->len == 0) && (!in->url || !*in->url))
        return facet_errorf(err, errlen, FACET_EINVAL,
                            "webhook moderation needs the image or its URL");
    facet_buf_t body, resp;
    facet_buf_init(&body, 0);
    facet_buf_init(&resp, MEDIA__MOD_MAX_RESPONSE);
    struct curl_slist *headers = NULL;
    long http = 0;
    int rc = webhook_body(in, &body);
    if (rc != FACET_OK)
        rc = facet_errorf(err, errlen, FACET_ENOMEM, "out of memory");
    else
        rc = webhook_headers(o, &body, &headers, err, errlen);
    if (rc == FACET_OK)
        rc = post("moderation webhook", o->webhook_url, headers, facet_str(body.base, body.len),
                  timeout_ms(o), &resp, &http, err, errlen);
    if (rc == FACET_OK && (http < 200 || http >= 300))
        rc = facet_errorf(err, errlen, FACET_EIO, "moderation webhook answered HTTP %ld", http);
    if (rc == FACET_OK) {
        char why[160];
        rc = media_mod_parse_webhook(&out->arena, resp.base ? resp.base : "", resp.len, status,
                                     &out->labels, &out->nlabels, why, sizeof why);
        if (rc == FACET_EINVAL)
            rc = facet_errorf(err, errlen, FACET_EIO,
                              "moderation webhook returned an unreadable answer: %s", why);
        else if (rc != FACET_OK)
            rc = facet_errorf(err, errlen, rc, "out of memory");
    }
    curl_slist_free_all(headers);
    facet_buf_free(&body);
    facet_buf_free(&resp);
    return rc;
}
