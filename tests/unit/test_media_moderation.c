/* Tests for media/moderation.h: the verdict from labels and lists, the
 * Rekognition and webhook response parsers, AWS error bodies, option
 * checks, and the on_error rule with a provider that cannot be reached. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/error.h"
#include "media/moderation.h"
#include "test.h"

static media_mod_label_t label(const char *name, const char *parent, double conf)
{
    return (media_mod_label_t){facet_str_c(name), facet_str_c(parent), conf};
}

TEST(verdict_from_lists_and_confidence)
{
    media_mod_opts_t o = {
        .min_confidence = 60,
        .reject_labels = "Explicit Nudity, Violence,Hate Symbols",
        .review_labels = "Suggestive,  Alcohol",
    };
    media_mod_label_t l[4];
    CHECK_EQ_INT(media_mod_verdict(&o, NULL, 0), MEDIA_MOD_APPROVED);
    l[0] = label("Smoking", "Drugs & Tobacco", 99);
    CHECK_EQ_INT(media_mod_verdict(&o, l, 1), MEDIA_MOD_APPROVED);
    l[1] = label("Female Swimwear Or Underwear", "Suggestive", 70);
    CHECK_EQ_INT(media_mod_verdict(&o, l, 2), MEDIA_MOD_REVIEW); /* by parent */
    l[2] = label("Graphic Violence Or Gore", "Violence", 60);    /* exactly at the minimum */
    CHECK_EQ_INT(media_mod_verdict(&o, l, 3), MEDIA_MOD_REJECTED);
    l[2].confidence = 59.99;
    CHECK_EQ_INT(media_mod_verdict(&o, l, 3), MEDIA_MOD_REVIEW);
    l[3] = label("explicit nudity", "", 90); /* names match without regard to case */
    CHECK_EQ_INT(media_mod_verdict(&o, l, 4), MEDIA_MOD_REJECTED);
    /* Reject wins over review whatever the order. */
    media_mod_label_t m[2] = {label("Violence", "", 99), label("Suggestive", "", 99)};
    CHECK_EQ_INT(media_mod_verdict(&o, m, 2), MEDIA_MOD_REJECTED);
    /* Partial names do not match. */
    media_mod_label_t p[1] = {label("Violence Against Cartoons", "Cartoon", 99)};
    CHECK_EQ_INT(media_mod_verdict(&o, p, 1), MEDIA_MOD_APPROVED);
}

TEST(verdict_defaults_and_empty_items)
{
    /* No lists: nothing rejects. Minimum 0 means the default 50. */
    media_mod_opts_t none = {0};
    media_mod_label_t l[1] = {label("Violence", "", 99)};
    CHECK_EQ_INT(media_mod_verdict(&none, l, 1), MEDIA_MOD_APPROVED);
    media_mod_opts_t o = {.reject_labels = "Violence,,", .review_labels = ""};
    CHECK_EQ_INT(media_mod_verdict(&o, l, 1), MEDIA_MOD_REJECTED);
    l[0].confidence = 49.9;
    CHECK_EQ_INT(media_mod_verdict(&o, l, 1), MEDIA_MOD_APPROVED);
    /* An empty item never matches a top-level label's empty parent. */
    media_mod_label_t top[1] = {label("Tattoos", "", 99)};
    CHECK_EQ_INT(media_mod_verdict(&o, top, 1), MEDIA_MOD_APPROVED);
}

static const char rekognition_ok[] =
    "{\"ModerationLabels\":[{\"Confidence\":99.24,\"Name\":\"Explicit Nudity\","
    "\"ParentName\":\"\",\"TaxonomyLevel\":1},{\"Confidence\":88,\"Name\":\"Graphic Male "
    "Nudity\",\"ParentName\":\"Explicit Nudity\",\"TaxonomyLevel\":2}],"
    "\"ModerationModelVersion\":\"7.0\",\"ContentTypes\":[]}";

TEST(rekognition_parser_reads_labels)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    media_mod_label_t *l;
    size_t n;
    char err[128] = "";
    CHECK_EQ_INT(media_mod_parse_rekognition(&a, rekognition_ok, sizeof rekognition_ok - 1, &l, &n,
                                             err, sizeof err),
                 FACET_OK);
    CHECK_EQ_INT(n, 2);
    CHECK_SLICE(l[0].name, "Explicit Nudity");
    CHECK_SLICE(l[0].parent, "");
    CHECK(l[0].confidence == 99.24);
    CHECK_SLICE(l[1].name, "Graphic Male Nudity");
    CHECK_SLICE(l[1].parent, "Explicit Nudity");
    CHECK(l[1].confidence == 88);
    CHECK_EQ_INT(l[1].name.base[l[1].name.len], '\0');
    /* No labels, and no ParentName at all. */
    const char *empty = "{\"ModerationLabels\":[]}";
    CHECK_EQ_INT(media_mod_parse_rekognition(&a, empty, strlen(empty), &l, &n, err, sizeof err),
                 FACET_OK);
    CHECK_EQ_INT(n, 0);
    const char *noparent = " {\"ModerationLabels\":[{\"Name\":\"Violence\",\"Confidence\":0}]} ";
    CHECK_EQ_INT(
        media_mod_parse_rekognition(&a, noparent, strlen(noparent), &l, &n, err, sizeof err),
        FACET_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_SLICE(l[0].parent, "");
    facet_arena_free(&a);
}

static void rek_bad(const char *json, const char *msg)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    media_mod_label_t *l = (media_mod_label_t *)1;
    size_t n = 7;
    char err[128] = "";
    int rc = media_mod_parse_rekognition(&a, json, strlen(json), &l, &n, err, sizeof err);
    if (rc != FACET_EINVAL || strcmp(err, msg) != 0) {
        fprintf(stderr, "%s: rc %d \"%s\", expected \"%s\"\n", json, rc, err, msg);
        exit(1);
    }
    facet_arena_free(&a);
}

TEST(rekognition_parser_refuses_garbage)
{
    rek_bad("", "not JSON (unexpected end of input at byte 0)");
    rek_bad("<html>", "not JSON (unexpected character '<' at byte 0)");
    rek_bad("[]", "not a JSON object");
    rek_bad("{}", "ModerationLabels is missing or not an array");
    rek_bad("{\"ModerationLabels\":{}}", "ModerationLabels is missing or not an array");
    rek_bad("{\"ModerationLabels\":[1]}", "label 0 is not an object");
    rek_bad("{\"ModerationLabels\":[{\"Confidence\":90}]}",
            "label 0: Name is missing or not a non-empty string");
    rek_bad("{\"ModerationLabels\":[{\"Name\":\"\",\"Confidence\":90}]}",
            "label 0: Name is missing or not a non-empty string");
    rek_bad("{\"ModerationLabels\":[{\"Name\":\"X\",\"ParentName\":5,\"Confidence\":90}]}",
            "label 0: ParentName is not a string");
    rek_bad("{\"ModerationLabels\":[{\"Name\":\"X\"}]}", "label 0: Confidence is not a number");
    rek_bad("{\"ModerationLabels\":[{\"Name\":\"X\",\"Confidence\":\"90\"}]}",
            "label 0: Confidence is not a number");
    rek_bad("{\"ModerationLabels\":[{\"Name\":\"X\",\"Confidence\":100.5}]}",
            "label 0: Confidence out of 0..100");
    rek_bad("{\"ModerationLabels\":[{\"Name\":\"X\",\"Confidence\":-1}]}",
            "label 0: Confidence out of 0..100");
    rek_bad("{\"ModerationLabels\":[{\"Name\":\"X\",\"Confidence\":1e400}]}",
            "label 0: Confidence out of 0..100");
    rek_bad("{\"ModerationLabels\":[{\"Name\":\"A\",\"Confidence\":1},null]}",
            "label 1 is not an object");
    rek_bad("{\"ModerationLabels\":[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]}",
            "not JSON (nesting deeper than 16 at byte 35)");
}

TEST(webhook_parser)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    media_mod_label_t *l;
    size_t n;
    media_mod_status_t s;
    char err[128] = "";
    const char *ok =
        "{\"status\":\"REVIEW\",\"labels\":[{\"name\":\"Alcohol\",\"confidence\":71.5},"
        "{\"name\":\"Beer\",\"parentName\":\"Alcohol\"}]}";
    CHECK_EQ_INT(media_mod_parse_webhook(&a, ok, strlen(ok), &s, &l, &n, err, sizeof err),
                 FACET_OK);
    CHECK_EQ_INT(s, MEDIA_MOD_REVIEW);
    CHECK_EQ_INT(n, 2);
    CHECK_SLICE(l[0].name, "Alcohol");
    CHECK(l[0].confidence == 71.5);
    CHECK_SLICE(l[1].parent, "Alcohol");
    CHECK(l[1].confidence == 100); /* absent: the webhook is sure */
    const char *bare = "{\"status\":\"APPROVED\"}";
    CHECK_EQ_INT(media_mod_parse_webhook(&a, bare, strlen(bare), &s, &l, &n, err, sizeof err),
                 FACET_OK);
    CHECK_EQ_INT(s, MEDIA_MOD_APPROVED);
    CHECK_EQ_INT(n, 0);
    const char *rej = "{\"status\":\"REJECTED\",\"labels\":null}";
    CHECK_EQ_INT(media_mod_parse_webhook(&a, rej, strlen(rej), &s, &l, &n, err, sizeof err),
                 FACET_OK);
    CHECK_EQ_INT(s, MEDIA_MOD_REJECTED);

    static const char *const bad[][2] = {
        {"{}", "status is missing or not a string"},
        {"{\"status\":1}", "status is missing or not a string"},
        {"{\"status\":\"approved\"}", "status is not APPROVED, REVIEW or REJECTED"},
        {"{\"status\":\"OK\"}", "status is not APPROVED, REVIEW or REJECTED"},
        {"{\"status\":\"APPROVED\",\"labels\":{}}", "labels is not an array"},
        {"{\"status\":\"APPROVED\",\"labels\":[{\"name\":\"X\",\"confidence\":101}]}",
         "label 0: confidence out of 0..100"},
        {"{\"status\":\"APPROVED\",\"labels\":[{\"Name\":\"X\"}]}",
         "label 0: name is missing or not a non-empty string"},
        {"\"APPROVED\"", "not a JSON object"},
        {"{\"status\":\"APPROVED\"", "not JSON (unexpected end of input at byte 20)"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc =
            media_mod_parse_webhook(&a, bad[i][0], strlen(bad[i][0]), &s, &l, &n, err, sizeof err);
        if (rc != FACET_EINVAL || strcmp(err, bad[i][1]) != 0) {
            fprintf(stderr, "%s: rc %d \"%s\"\n", bad[i][0], rc, err);
            exit(1);
        }
    }
    facet_arena_free(&a);
}

TEST(aws_error_bodies)
{
    char buf[256];
    const char *e1 = "{\"__type\":\"InvalidImageFormatException\",\"Message\":\"Request has "
                     "invalid image format\"}";
    media_mod_aws_error(e1, strlen(e1), buf, sizeof buf);
    CHECK_EQ_STR(buf, "InvalidImageFormatException: Request has invalid image format");
    const char *e2 = "{\"__type\":\"com.amazonaws.rekognition#ThrottlingException\","
                     "\"message\":\"Slow down\"}";
    media_mod_aws_error(e2, strlen(e2), buf, sizeof buf);
    CHECK_EQ_STR(buf, "ThrottlingException: Slow down");
    media_mod_aws_error("{\"__type\":\"AccessDeniedException\"}", 34, buf, sizeof buf);
    CHECK_EQ_STR(buf, "AccessDeniedException");
    media_mod_aws_error("<html>502</html>", 16, buf, sizeof buf);
    CHECK_EQ_STR(buf, "unknown error");
    media_mod_aws_error("", 0, buf, sizeof buf);
    CHECK_EQ_STR(buf, "unknown error");
}

TEST(names_and_option_checks)
{
    media_mod_provider_t p;
    CHECK_EQ_INT(media_mod_provider_parse("none", &p), FACET_OK);
    CHECK_EQ_INT(p, MEDIA_MOD_NONE);
    CHECK_EQ_INT(media_mod_provider_parse("rekognition", &p), FACET_OK);
    CHECK_EQ_INT(p, MEDIA_MOD_REKOGNITION);
    CHECK_EQ_INT(media_mod_provider_parse("webhook", &p), FACET_OK);
    CHECK_EQ_INT(p, MEDIA_MOD_WEBHOOK);
    CHECK_EQ_INT(media_mod_provider_parse("Webhook", &p), FACET_EINVAL);
    CHECK_EQ_INT(media_mod_provider_parse(NULL, &p), FACET_EINVAL);
    media_mod_on_error_t e;
    CHECK_EQ_INT(media_mod_on_error_parse("fail", &e), FACET_OK);
    CHECK_EQ_INT(e, MEDIA_MOD_ON_ERROR_FAIL);
    CHECK_EQ_INT(media_mod_on_error_parse("review", &e), FACET_OK);
    CHECK_EQ_INT(e, MEDIA_MOD_ON_ERROR_REVIEW);
    CHECK_EQ_INT(media_mod_on_error_parse("approve", &e), FACET_EINVAL);
    CHECK_EQ_STR(media_mod_status_name(MEDIA_MOD_REJECTED), "REJECTED");

    char err[128];
    media_mod_opts_t o = {.provider = MEDIA_MOD_NONE};
    CHECK_EQ_INT(media_mod_opts_check(&o, err, sizeof err), FACET_OK);
    o.min_confidence = 101;
    CHECK_EQ_INT(media_mod_opts_check(&o, err, sizeof err), FACET_EINVAL);
    CHECK_EQ_STR(err, "the minimum confidence must lie in 0..100");
    o = (media_mod_opts_t){.provider = MEDIA_MOD_REKOGNITION};
    CHECK_EQ_INT(media_mod_opts_check(&o, err, sizeof err), FACET_EINVAL);
    CHECK_EQ_STR(err, "rekognition moderation needs an AWS region");
    o.region = "eu-west-1";
    o.endpoint = "ftp://x";
    CHECK_EQ_INT(media_mod_opts_check(&o, err, sizeof err), FACET_EINVAL);
    CHECK_EQ_STR(err, "the Rekognition endpoint must be an http(s) URL");
    o.endpoint = NULL;
    CHECK_EQ_INT(media_mod_opts_check(&o, err, sizeof err), FACET_EINVAL);
    CHECK_EQ_STR(err, "rekognition moderation needs AWS credentials");
    o = (media_mod_opts_t){.provider = MEDIA_MOD_WEBHOOK, .webhook_url = "file:///x"};
    CHECK_EQ_INT(media_mod_opts_check(&o, err, sizeof err), FACET_EINVAL);
    CHECK_EQ_STR(err, "the moderation webhook URL must be an http(s) URL");
    o.webhook_url = "https://mod.example/hook";
    CHECK_EQ_INT(media_mod_opts_check(&o, err, sizeof err), FACET_EINVAL);
    CHECK_EQ_STR(err, "the moderation webhook needs a secret");
    o.webhook_secret = "s3cret";
    CHECK_EQ_INT(media_mod_opts_check(&o, err, sizeof err), FACET_OK);
}

TEST(provider_none_approves)
{
    media_mod_opts_t o = {.provider = MEDIA_MOD_NONE, .reject_labels = "Violence"};
    media_mod_input_t in = {.bytes = (const uint8_t *)"x", .len = 1};
    media_mod_result_t r;
    char err[64];
    CHECK_EQ_INT(media_moderate(&o, &in, &r, err, sizeof err), FACET_OK);
    CHECK_EQ_INT(r.status, MEDIA_MOD_APPROVED);
    CHECK_EQ_INT(r.nlabels, 0);
    CHECK(!r.provider_failed);
    media_mod_result_free(&r);
}

/* A loopback port with nothing listening: bound, never listened on. */
static int closed_port(int *fd)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof sa;
    *fd = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(*fd >= 0);
    CHECK(bind(*fd, (struct sockaddr *)&sa, sizeof sa) == 0);
    CHECK(getsockname(*fd, (struct sockaddr *)&sa, &len) == 0);
    return ntohs(sa.sin_port);
}

TEST(unreachable_provider_gives_review_or_error_never_approval)
{
    int fd;
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/hook", closed_port(&fd));
    media_mod_opts_t o = {
        .provider = MEDIA_MOD_WEBHOOK,
        .webhook_url = url,
        .webhook_secret = "k",
        .timeout_ms = 2000,
    };
    media_mod_input_t in = {.bytes = (const uint8_t *)"img", .len = 3, .content_type = "image/png"};
    media_mod_result_t r;
    char err[256] = "";
    CHECK_EQ_INT(media_moderate(&o, &in, &r, err, sizeof err), FACET_OK);
    CHECK_EQ_INT(r.status, MEDIA_MOD_REVIEW);
    CHECK(r.provider_failed);
    CHECK(strstr(r.error, "moderation webhook: ") == r.error);
    CHECK_EQ_STR(err, "");
    media_mod_result_free(&r);

    o.on_error = MEDIA_MOD_ON_ERROR_FAIL;
    CHECK_EQ_INT(media_moderate(&o, &in, &r, err, sizeof err), FACET_EIO);
    CHECK_EQ_INT(r.status, MEDIA_MOD_REVIEW);
    CHECK(!r.provider_failed);
    CHECK(strstr(err, "moderation webhook: ") == err);
    media_mod_result_free(&r);

    /* Misuse is an error whatever on_error says. */
    o.on_error = MEDIA_MOD_ON_ERROR_REVIEW;
    media_mod_input_t empty = {0};
    CHECK_EQ_INT(media_moderate(&o, &empty, &r, err, sizeof err), FACET_EINVAL);
    CHECK_EQ_STR(err, "webhook moderation needs the image or its URL");
    media_mod_result_free(&r);
    close(fd);
}
