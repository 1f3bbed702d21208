/* fetch_tool URL: runs media_fetch_url once for tests/e2e/media-fetch.test.mjs
 * and prints one JSON line:
 *   {"ok":bool,"error":"<media_fetch_error name>","message":"...","status":N,
 *    "bytes":N,"redirects":N,"sha256":"<hex of the body>"}
 * Options come from the environment: FETCH_ALLOW (CIDR list),
 * FETCH_CONNECT_TIMEOUT_MS, FETCH_TIMEOUT_MS, FETCH_MAX_BYTES,
 * FETCH_MAX_REDIRECTS (0 follows none) and FETCH_RESOLVE (comma-separated
 * "host:port:address" pins). Exits 0 when the line was printed, 2 on a
 * usage or configuration error. */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "media/fetch.h"

static int env_u64(const char *name, uint64_t *out)
{
    const char *v = getenv(name);
    if (!v || !*v)
        return 0;
    char *end;
    unsigned long long n = strtoull(v, &end, 10);
    if (*end) {
        fprintf(stderr, "fetch_tool: %s is not a number\n", name);
        return -1;
    }
    *out = n;
    return 0;
}

/* Splits FETCH_RESOLVE at commas into a NULL-terminated array (in copy). */
static const char **resolve_pins(char *copy)
{
    size_t n = 1;
    for (char *p = copy; *p; p++)
        n += *p == ',';
    const char **pins = calloc(n + 1, sizeof *pins);
    size_t i = 0;
    for (char *tok = strtok(copy, ","); pins && tok; tok = strtok(NULL, ","))
        pins[i++] = tok;
    return pins;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: fetch_tool URL\n");
        return 2;
    }
    media_ssrf_policy_t policy;
    char err[256] = "";
    if (media_ssrf_policy_parse(getenv("FETCH_ALLOW"), &policy, err, sizeof err) != FACET_OK) {
        fprintf(stderr, "fetch_tool: FETCH_ALLOW: %s\n", err);
        return 2;
    }
    media_fetch_opts_t o = {.policy = &policy};
    uint64_t redirects = UINT64_MAX;
    if (env_u64("FETCH_CONNECT_TIMEOUT_MS", &o.connect_timeout_ms) ||
        env_u64("FETCH_TIMEOUT_MS", &o.timeout_ms) || env_u64("FETCH_MAX_BYTES", &o.max_bytes) ||
        env_u64("FETCH_MAX_REDIRECTS", &redirects)) {
        media_ssrf_policy_free(&policy);
        return 2;
    }
    if (redirects != UINT64_MAX)
        o.max_redirects = redirects == 0 ? MEDIA_FETCH_NO_REDIRECTS : (int)redirects;
    char *pins_copy = getenv("FETCH_RESOLVE") ? strdup(getenv("FETCH_RESOLVE")) : NULL;
    const char **pins = pins_copy ? resolve_pins(pins_copy) : NULL;
    o.resolve = pins;

    media_fetch_result_t r;
    int rc = media_fetch_url(argv[1], &o, &r, err, sizeof err);

    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;
    if (rc == FACET_OK)
        EVP_Digest(r.body, r.len, md, &mdlen, EVP_sha256(), NULL);
    facet_buf_t b;
    facet_buf_init(&b, 0);
    facet_buf_printf(&b, "{\"ok\":%s,\"rc\":\"%s\",\"error\":\"%s\",\"message\":\"",
                     rc == FACET_OK ? "true" : "false", facet_strerror(rc),
                     media_fetch_error_name(r.error));
    facet_buf_append_json_escaped(&b, err, strlen(err));
    facet_buf_printf(&b, "\",\"status\":%ld,\"bytes\":%zu,\"redirects\":%u,\"sha256\":\"",
                     r.http_status, r.len, r.redirects);
    for (unsigned i = 0; i < mdlen; i++)
        facet_buf_printf(&b, "%02x", md[i]);
    facet_buf_append_str(&b, "\"}\n");
    fwrite(b.base, 1, b.len, stdout);
    facet_buf_free(&b);
    media_fetch_result_free(&r);
    free(pins);
    free(pins_copy);
    media_ssrf_policy_free(&policy);
    return 0;
}
