/* AWS Signature Version 4: canonical request, string to sign, signing key
 * and signature, for header signing and for pre-signed URLs. */
#include "media/sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"
#include "core/str.h"

#define ALGORITHM "AWS4-HMAC-SHA256"

/* A canonical header or query parameter: offsets into a scratch buffer,
 * which may move while it grows. */
typedef struct entry {
    size_t k, klen; /* lowercase header name, or encoded parameter name */
    size_t v, vlen; /* canonical header value, or encoded parameter value */
} entry_t;

typedef struct entries {
    facet_buf_t scratch;
    entry_t e[MEDIA_SIGV4_MAX_HEADERS + 8];
    size_t n;
} entries_t;

static const char hexdig[] = "0123456789abcdef";
static const char HEXDIG[] = "0123456789ABCDEF";

static void to_hex(const unsigned char *in, size_t len, char *out)
{
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = hexdig[in[i] >> 4];
        out[2 * i + 1] = hexdig[in[i] & 15];
    }
    out[2 * len] = '\0';
}

static void hmac(const void *key, size_t keylen, const void *data, size_t len,
                 unsigned char out[32])
{
    unsigned int outlen = 32;
    HMAC(EVP_sha256(), key, (int)keylen, data, len, out, &outlen);
}

void media_sigv4_sha256_hex(const void *data, size_t len, char hex[65])
{
    unsigned char md[32];
    SHA256(data ? data : (const void *)"", len, md);
    to_hex(md, 32, hex);
}

void media_sigv4_signing_key(const char *secret, const char *date8, const char *region,
                             const char *service, unsigned char key[32])
{
    char k0[256];
    int n = snprintf(k0, sizeof k0, "AWS4%s", secret);
    size_t klen = n < 0 ? 0 : ((size_t)n < sizeof k0 ? (size_t)n : sizeof k0 - 1);
    unsigned char k1[32], k2[32], k3[32];
    hmac(k0, klen, date8, strlen(date8), k1);
    hmac(k1, 32, region, strlen(region), k2);
    hmac(k2, 32, service, strlen(service), k3);
    hmac(k3, 32, "aws4_request", 12, key);
    OPENSSL_cleanse(k0, sizeof k0);
}

static bool unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

int media_sigv4_uri_encode(facet_buf_t *out, const char *bytes, size_t len, bool keep_slash)
{
    int rc = facet_buf_reserve(out, len * 3 + 1);
    if (rc != FACET_OK)
        return rc;
    char *p = out->base + out->len;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)bytes[i];
        if (unreserved(c) || (keep_slash && c == '/')) {
            *p++ = (char)c;
        } else {
            *p++ = '%';
            *p++ = HEXDIG[c >> 4];
            *p++ = HEXDIG[c & 15];
        }
    }
    out->len = (size_t)(p - out->base);
    out->base[out->len] = '\0';
    return FACET_OK;
}

static int fail(char *err, size_t errlen, int code, const char *msg)
{
    if (err && errlen)
        snprintf(err, errlen, "%s", msg);
    return code;
}

/* ---- The canonical URI ---- */

/* S3: the path as sent, which must be encoded the way SigV4 encodes. */
static int s3_path(facet_buf_t *out, const char *path, char *err, size_t errlen)
{
    for (const char *p = path; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (unreserved(c) || c == '/')
            continue;
        if (c == '%' && facet_hex_value(p[1]) >= 0 && facet_hex_value(p[2]) >= 0 &&
            !(p[1] >= 'a' && p[1] <= 'f') && !(p[2] >= 'a' && p[2] <= 'f')) {
            p += 2;
            continue;
        }
        return fail(err, errlen, FACET_EINVAL,
                    "S3 path must be percent-encoded with uppercase hex (media_sigv4_uri_encode)");
    }
    return facet_buf_append_str(out, path);
}

/* Removes "." and ".." segments and empty segments (RFC 3986, section
 * 5.2.4, plus collapsed slashes), keeping a final slash. */
static int normalize_path(facet_buf_t *out, const char *path)
{
    size_t starts[256], depth = 0, base = out->len;
    bool trailing = false;
    int rc = facet_buf_append(out, "/", 1);
    for (const char *p = path; rc == FACET_OK && *p;) {
        while (*p == '/')
            p++;
        const char *seg = p;
        while (*p && *p != '/')
            p++;
        size_t len = (size_t)(p - seg);
        trailing =
            len == 0 || (len == 1 && seg[0] == '.') || (len == 2 && seg[0] == '.' && seg[1] == '.');
        if (len == 0 || (len == 1 && seg[0] == '.'))
            continue;
        if (len == 2 && seg[0] == '.' && seg[1] == '.') {
            if (depth)
                out->len = starts[--depth];
            continue;
        }
        if (depth == sizeof starts / sizeof starts[0])
            return FACET_ELIMIT;
        starts[depth++] = out->len;
        if (out->len > base + 1)
            rc = facet_buf_append(out, "/", 1);
        if (rc == FACET_OK)
            rc = facet_buf_append(out, seg, len);
    }
    if (rc == FACET_OK && trailing && out->len > base + 1)
        rc = facet_buf_append(out, "/", 1);
    return rc;
}

static int canonical_uri(facet_buf_t *out, const char *path, const media_sigv4_params_t *p,
                         char *err, size_t errlen)
{
    if (!path || path[0] != '/')
        return fail(err, errlen, FACET_EINVAL, "path must start with '/'");
    for (const char *c = path; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            return fail(err, errlen, FACET_EINVAL, "path contains a control byte");
    if (p->s3)
        return s3_path(out, path, err, errlen);
    if (p->keep_path)
        return media_sigv4_uri_encode(out, path, strlen(path), true);
    facet_buf_t norm;
    facet_buf_init(&norm, 0);
    int rc = normalize_path(&norm, path);
    if (rc == FACET_OK)
        rc = media_sigv4_uri_encode(out, norm.base, norm.len, true);
    facet_buf_free(&norm);
    if (rc == FACET_ELIMIT)
        return fail(err, errlen, rc, "path has too many segments");
    return rc;
}

/* ---- Entries: canonical query parameters and headers ---- */

static int entry_cmp(const entries_t *es, const entry_t *a, const entry_t *b)
{
    const char *s = es->scratch.base;
    size_t n = a->klen < b->klen ? a->klen : b->klen;
    int c = memcmp(s + a->k, s + b->k, n);
    if (c || a->klen != b->klen)
        return c ? c : (a->klen < b->klen ? -1 : 1);
    return 0;
}

/* Sorts by name, then (for query parameters) by value; a stable insertion
 * sort, which is plenty for at most MEDIA_SIGV4_MAX_HEADERS entries. */
static void entries_sort(entries_t *es, bool by_value)
{
    for (size_t i = 1; i < es->n; i++) {
        entry_t cur = es->e[i];
        size_t j = i;
        while (j > 0) {
            const entry_t *prev = &es->e[j - 1];
            int c = entry_cmp(es, prev, &cur);
            if (c == 0 && by_value) {
                const char *s = es->scratch.base;
                size_t n = prev->vlen < cur.vlen ? prev->vlen : cur.vlen;
                c = memcmp(s + prev->v, s + cur.v, n);
                if (c == 0)
                    c = prev->vlen < cur.vlen ? -1 : (prev->vlen > cur.vlen ? 1 : 0);
            }
            if (c <= 0)
                break;
            es->e[j] = *prev;
            j--;
        }
        es->e[j] = cur;
    }
}

static entry_t *entry_new(entries_t *es)
{
    if (es->n == sizeof es->e / sizeof es->e[0])
        return NULL;
    entry_t *e = &es->e[es->n++];
    memset(e, 0, sizeof *e);
    return e;
}

/* Decodes a %XX-encoded slice into tmp; fails on a malformed escape. */
static int pct_decode(facet_buf_t *tmp, const char *s, size_t len)
{
    facet_buf_reset(tmp);
    int rc = facet_buf_reserve(tmp, len + 1);
    for (size_t i = 0; rc == FACET_OK && i < len; i++) {
        char c = s[i];
        if (c == '%') {
            if (i + 2 >= len)
                return FACET_EINVAL;
            int hi = facet_hex_value(s[i + 1]), lo = facet_hex_value(s[i + 2]);
            if (hi < 0 || lo < 0)
                return FACET_EINVAL;
            c = (char)(hi << 4 | lo);
            i += 2;
        }
        tmp->base[tmp->len++] = c;
    }
    return rc;
}

/* Adds one parameter, name and value given raw (not encoded). */
static int param_add_raw(entries_t *es, const char *k, size_t klen, const char *v, size_t vlen)
{
    entry_t *e = entry_new(es);
    if (!e)
        return FACET_ELIMIT;
    e->k = es->scratch.len;
    int rc = media_sigv4_uri_encode(&es->scratch, k, klen, false);
    e->klen = es->scratch.len - e->k;
    e->v = es->scratch.len;
    if (rc == FACET_OK)
        rc = media_sigv4_uri_encode(&es->scratch, v, vlen, false);
    e->vlen = es->scratch.len - e->v;
    return rc;
}

static bool is_signing_param(const char *k, size_t klen)
{
    return klen > 6 && strncasecmp(k, "X-Amz-", 6) == 0 &&
           ((klen == 15 && strncasecmp(k, "X-Amz-Algorithm", 15) == 0) ||
            (klen == 16 && strncasecmp(k, "X-Amz-Credential", 16) == 0) ||
            (klen == 10 && strncasecmp(k, "X-Amz-Date", 10) == 0) ||
            (klen == 13 && strncasecmp(k, "X-Amz-Expires", 13) == 0) ||
            (klen == 15 && strncasecmp(k, "X-Amz-Signature", 15) == 0) ||
            (klen == 19 && strncasecmp(k, "X-Amz-SignedHeaders", 19) == 0) ||
            (klen == 20 && strncasecmp(k, "X-Amz-Security-Token", 20) == 0));
}

/* Parses the request's query (a=b&c=d, percent-encoded) into es: each name
 * and value decoded, then re-encoded the SigV4 way. '+' is taken as a
 * literal plus sign, as AWS does. */
static int parse_query(entries_t *es, const char *query, bool presign, char *err, size_t errlen)
{
    facet_buf_t k, v;
    facet_buf_init(&k, 0);
    facet_buf_init(&v, 0);
    int rc = FACET_OK;
    for (const char *p = query ? query : ""; rc == FACET_OK && *p;) {
        const char *item = p;
        while (*p && *p != '&')
            p++;
        size_t len = (size_t)(p - item);
        if (*p == '&')
            p++;
        if (len == 0)
            continue;
        const char *eq = memchr(item, '=', len);
        size_t klen = eq ? (size_t)(eq - item) : len;
        facet_buf_reset(&v);
        rc = pct_decode(&k, item, klen);
        if (rc == FACET_OK && eq)
            rc = pct_decode(&v, eq + 1, len - klen - 1);
        if (rc == FACET_EINVAL) {
            fail(err, errlen, rc, "query has a malformed percent escape");
            break;
        }
        if (rc == FACET_OK && presign && is_signing_param(k.base, k.len)) {
            rc = fail(err, errlen, FACET_EINVAL, "query already carries a signing parameter");
            break;
        }
        if (rc == FACET_OK && es->n == MEDIA_SIGV4_MAX_HEADERS)
            rc = FACET_ELIMIT;
        if (rc == FACET_OK)
            rc = param_add_raw(es, k.base ? k.base : "", k.len, v.base ? v.base : "", v.len);
    }
    facet_buf_free(&k);
    facet_buf_free(&v);
    if (rc == FACET_ELIMIT)
        fail(err, errlen, rc, "query has too many parameters");
    return rc;
}

static int write_query(facet_buf_t *out, const entries_t *es)
{
    int rc = FACET_OK;
    for (size_t i = 0; rc == FACET_OK && i < es->n; i++) {
        const entry_t *e = &es->e[i];
        if (i)
            rc = facet_buf_append(out, "&", 1);
        if (rc == FACET_OK)
            rc = facet_buf_append(out, es->scratch.base + e->k, e->klen);
        if (rc == FACET_OK)
            rc = facet_buf_append(out, "=", 1);
        if (rc == FACET_OK)
            rc = facet_buf_append(out, es->scratch.base + e->v, e->vlen);
    }
    return rc;
}

/* ---- Canonical headers ---- */

static bool token_char(unsigned char c)
{
    return unreserved(c) || (c && strchr("!#$%&'*+^`|", c) != NULL);
}

/* Appends name lowercased and value trimmed with runs of spaces and tabs
 * collapsed to one space. */
static int header_add(entries_t *es, const char *name, const char *value, char *err, size_t errlen)
{
    size_t nlen = strlen(name);
    if (nlen == 0)
        return fail(err, errlen, FACET_EINVAL, "empty header name");
    for (size_t i = 0; i < nlen; i++)
        if (!token_char((unsigned char)name[i]))
            return fail(err, errlen, FACET_EINVAL, "header name is not a token");
    entry_t *e = entry_new(es);
    if (!e)
        return fail(err, errlen, FACET_ELIMIT, "too many headers to sign");
    size_t vlen = strlen(value);
    int rc = facet_buf_reserve(&es->scratch, nlen + vlen + 1);
    if (rc != FACET_OK)
        return rc;
    char *s = es->scratch.base;
    e->k = es->scratch.len;
    e->klen = nlen;
    for (size_t i = 0; i < nlen; i++)
        s[e->k + i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] + 32 : name[i]);
    e->v = e->k + nlen;
    size_t w = e->v;
    bool space = false;
    for (size_t i = 0; i < vlen; i++) {
        unsigned char c = (unsigned char)value[i];
        if (c == ' ' || c == '\t') {
            space = w > e->v;
            continue;
        }
        if (c < 0x20 || c == 0x7f)
            return fail(err, errlen, FACET_EINVAL, "header value contains a control byte");
        if (space)
            s[w++] = ' ';
        space = false;
        s[w++] = (char)c;
    }
    e->vlen = w - e->v;
    es->scratch.len = w;
    return FACET_OK;
}

static bool reserved_header(const char *name)
{
    static const char *const names[] = {"x-amz-date", "x-amz-security-token",
                                        "x-amz-content-sha256", "authorization"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(name, names[i]) == 0)
            return true;
    return false;
}

/* Collects the request's headers plus the signer's own (extra, in pairs of
 * name and value), sorted by name. */
static int collect_headers(entries_t *es, const media_sigv4_request_t *req,
                           const char *const *extra, size_t nextra, char *err, size_t errlen)
{
    bool host = false;
    if (req->nheaders > MEDIA_SIGV4_MAX_HEADERS)
        return fail(err, errlen, FACET_ELIMIT, "too many headers to sign");
    for (size_t i = 0; i < req->nheaders; i++) {
        const media_sigv4_header_t *h = &req->headers[i];
        if (!h->name || !h->value)
            return fail(err, errlen, FACET_EINVAL, "header without name or value");
        if (reserved_header(h->name))
            return fail(err, errlen, FACET_EINVAL, "header is added by the signer");
        host = host || strcasecmp(h->name, "host") == 0;
        int rc = header_add(es, h->name, h->value, err, errlen);
        if (rc != FACET_OK)
            return rc;
    }
    if (!host)
        return fail(err, errlen, FACET_EINVAL, "the Host header is required");
    for (size_t i = 0; i + 1 < nextra * 2; i += 2) {
        int rc = header_add(es, extra[i], extra[i + 1], err, errlen);
        if (rc != FACET_OK)
            return rc;
    }
    entries_sort(es, false);
    return FACET_OK;
}

/* Writes "name:v1,v2\n" per distinct name into block and "a;b" into
 * signed_headers. */
static int write_headers(const entries_t *es, facet_buf_t *block, facet_buf_t *signed_headers)
{
    const char *s = es->scratch.base;
    int rc = FACET_OK;
    for (size_t i = 0; rc == FACET_OK && i < es->n; i++) {
        const entry_t *e = &es->e[i];
        bool same = i > 0 && entry_cmp(es, &es->e[i - 1], e) == 0;
        if (same) {
            rc = facet_buf_append(block, ",", 1);
        } else {
            if (i > 0)
                rc = facet_buf_append(block, "\n", 1);
            if (rc == FACET_OK && signed_headers->len)
                rc = facet_buf_append(signed_headers, ";", 1);
            if (rc == FACET_OK)
                rc = facet_buf_append(signed_headers, s + e->k, e->klen);
            if (rc == FACET_OK)
                rc = facet_buf_append(block, s + e->k, e->klen);
            if (rc == FACET_OK)
                rc = facet_buf_append(block, ":", 1);
        }
        if (rc == FACET_OK)
            rc = facet_buf_append(block, s + e->v, e->vlen);
    }
    if (rc == FACET_OK && es->n)
        rc = facet_buf_append(block, "\n", 1);
    return rc;
}

/* ---- Signing ---- */

static int terminate(facet_buf_t *b)
{
    int rc = facet_buf_reserve(b, 1);
    if (rc == FACET_OK)
        b->base[b->len] = '\0';
    return rc;
}

static bool plain_word(const char *s)
{
    if (!s || !*s)
        return false;
    for (; *s; s++)
        if (*s == '/' || (unsigned char)*s <= ' ' || (unsigned char)*s >= 0x7f)
            return false;
    return true;
}

static bool valid_hash(const char *h)
{
    if (strcmp(h, MEDIA_SIGV4_UNSIGNED_PAYLOAD) == 0)
        return true;
    if (strlen(h) != 64)
        return false;
    for (; *h; h++)
        if (!((*h >= '0' && *h <= '9') || (*h >= 'a' && *h <= 'f')))
            return false;
    return true;
}

/* Validates the inputs and fills the date and payload hash of out. */
static int prepare(const media_sigv4_request_t *req, const media_sigv4_params_t *p,
                   media_sigv4_result_t *out, char *err, size_t errlen)
{
    const media_sigv4_creds_t *c = p->creds;
    if (!c || !c->access_key_id || !*c->access_key_id || !c->secret_access_key ||
        !*c->secret_access_key)
        return fail(err, errlen, FACET_EINVAL, "no AWS credentials");
    if (!plain_word(c->access_key_id) || strlen(c->secret_access_key) > 200)
        return fail(err, errlen, FACET_EINVAL, "malformed AWS credentials");
    if (!plain_word(p->region) || !plain_word(p->service))
        return fail(err, errlen, FACET_EINVAL, "region and service must be plain words");
    if (!req->method || !*req->method)
        return fail(err, errlen, FACET_EINVAL, "no method");
    for (const char *m = req->method; *m; m++)
        if (!token_char((unsigned char)*m))
            return fail(err, errlen, FACET_EINVAL, "method is not a token");
    struct tm tm;
    if (!gmtime_r(&p->time, &tm) || tm.tm_year + 1900 > 9999 || tm.tm_year + 1900 < 1970 ||
        strftime(out->amz_date, sizeof out->amz_date, "%Y%m%dT%H%M%SZ", &tm) != 16)
        return fail(err, errlen, FACET_EINVAL, "signing time out of range");
    if (req->payload_hash) {
        if (!valid_hash(req->payload_hash))
            return fail(err, errlen, FACET_EINVAL,
                        "payload hash must be lowercase hex SHA-256 or UNSIGNED-PAYLOAD");
        snprintf(out->payload_hash, sizeof out->payload_hash, "%s", req->payload_hash);
    } else {
        if (!req->payload && req->payload_len)
            return fail(err, errlen, FACET_EINVAL, "payload length without payload");
        media_sigv4_sha256_hex(req->payload, req->payload_len, out->payload_hash);
    }
    return FACET_OK;
}

static bool has_token(const media_sigv4_params_t *p)
{
    return p->creds->session_token && *p->creds->session_token;
}

/* The credential scope "YYYYMMDD/region/service/aws4_request". */
static int scope(facet_buf_t *b, const media_sigv4_result_t *out, const media_sigv4_params_t *p)
{
    return facet_buf_printf(b, "%.8s/%s/%s/aws4_request", out->amz_date, p->region, p->service);
}

/* Builds the canonical request, the string to sign and the signature. */
static int sign_canonical(const media_sigv4_request_t *req, const media_sigv4_params_t *p,
                          const facet_buf_t *query, const facet_buf_t *headers,
                          const facet_buf_t *signed_headers, media_sigv4_result_t *out, char *err,
                          size_t errlen)
{
    facet_buf_t *cr = &out->canonical_request;
    int rc = facet_buf_printf(cr, "%s\n", req->method);
    if (rc == FACET_OK)
        rc = canonical_uri(cr, req->path, p, err, errlen);
    if (rc == FACET_OK)
        rc = facet_buf_append(cr, "\n", 1);
    if (rc == FACET_OK)
        rc = facet_buf_append(cr, query->base ? query->base : "", query->len);
    if (rc == FACET_OK)
        rc = facet_buf_append(cr, "\n", 1);
    if (rc == FACET_OK)
        rc = facet_buf_append(cr, headers->base, headers->len);
    if (rc == FACET_OK)
        rc = facet_buf_append(cr, "\n", 1);
    if (rc == FACET_OK)
        rc = facet_buf_append(cr, signed_headers->base, signed_headers->len);
    if (rc == FACET_OK)
        rc = facet_buf_printf(cr, "\n%s", out->payload_hash);
    if (rc == FACET_OK)
        rc = terminate(cr);
    if (rc != FACET_OK)
        return rc;

    char crhash[65];
    media_sigv4_sha256_hex(cr->base, cr->len, crhash);
    facet_buf_t *sts = &out->string_to_sign;
    rc = facet_buf_printf(sts, ALGORITHM "\n%s\n", out->amz_date);
    if (rc == FACET_OK)
        rc = scope(sts, out, p);
    if (rc == FACET_OK)
        rc = facet_buf_printf(sts, "\n%s", crhash);
    if (rc == FACET_OK)
        rc = terminate(sts);
    if (rc != FACET_OK)
        return rc;

    char date8[9];
    memcpy(date8, out->amz_date, 8);
    date8[8] = '\0';
    unsigned char key[32], sig[32];
    media_sigv4_signing_key(p->creds->secret_access_key, date8, p->region, p->service, key);
    hmac(key, 32, sts->base, sts->len, sig);
    OPENSSL_cleanse(key, sizeof key);
    to_hex(sig, 32, out->signature);
    return FACET_OK;
}

static void result_init(media_sigv4_result_t *out)
{
    memset(out, 0, sizeof *out);
    facet_buf_init(&out->authorization, 0);
    facet_buf_init(&out->query, 0);
    facet_buf_init(&out->canonical_request, 0);
    facet_buf_init(&out->string_to_sign, 0);
}

void media_sigv4_result_free(media_sigv4_result_t *r)
{
    facet_buf_free(&r->authorization);
    facet_buf_free(&r->query);
    facet_buf_free(&r->canonical_request);
    facet_buf_free(&r->string_to_sign);
    r->nadd = 0;
}

typedef struct work {
    entries_t headers, params;
    facet_buf_t block, signed_headers, query;
} work_t;

static work_t *work_new(void)
{
    work_t *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    facet_buf_init(&w->headers.scratch, 0);
    facet_buf_init(&w->params.scratch, 0);
    facet_buf_init(&w->block, 0);
    facet_buf_init(&w->signed_headers, 0);
    facet_buf_init(&w->query, 0);
    return w;
}

static void work_free(work_t *w)
{
    if (!w)
        return;
    facet_buf_free(&w->headers.scratch);
    facet_buf_free(&w->params.scratch);
    facet_buf_free(&w->block);
    facet_buf_free(&w->signed_headers);
    facet_buf_free(&w->query);
    free(w);
}

int media_sigv4_sign_headers(const media_sigv4_request_t *req, const media_sigv4_params_t *p,
                             media_sigv4_result_t *out, char *err, size_t errlen)
{
    result_init(out);
    int rc = prepare(req, p, out, err, errlen);
    if (rc != FACET_OK)
        return rc;
    work_t *w = work_new();
    if (!w)
        return FACET_ENOMEM;
    bool token = has_token(p) && !p->unsigned_session_token;
    const char *extra[6];
    size_t nextra = 0;
    extra[2 * nextra] = "x-amz-date";
    extra[2 * nextra++ + 1] = out->amz_date;
    if (token) {
        extra[2 * nextra] = "x-amz-security-token";
        extra[2 * nextra++ + 1] = p->creds->session_token;
    }
    if (p->content_sha256_header) {
        extra[2 * nextra] = "x-amz-content-sha256";
        extra[2 * nextra++ + 1] = out->payload_hash;
    }
    rc = collect_headers(&w->headers, req, extra, nextra, err, errlen);
    if (rc == FACET_OK)
        rc = write_headers(&w->headers, &w->block, &w->signed_headers);
    if (rc == FACET_OK)
        rc = parse_query(&w->params, req->query, false, err, errlen);
    if (rc == FACET_OK) {
        entries_sort(&w->params, true);
        rc = write_query(&w->query, &w->params);
    }
    if (rc == FACET_OK)
        rc = sign_canonical(req, p, &w->query, &w->block, &w->signed_headers, out, err, errlen);
    if (rc == FACET_OK)
        rc = facet_buf_printf(&out->authorization, ALGORITHM " Credential=%s/",
                              p->creds->access_key_id);
    if (rc == FACET_OK)
        rc = scope(&out->authorization, out, p);
    if (rc == FACET_OK)
        rc = facet_buf_printf(&out->authorization, ", SignedHeaders=%.*s, Signature=%s",
                              (int)w->signed_headers.len, w->signed_headers.base, out->signature);
    if (rc == FACET_OK)
        rc = terminate(&out->authorization);
    work_free(w);
    if (rc != FACET_OK)
        return rc;
    out->add[out->nadd++] = (media_sigv4_header_t){"X-Amz-Date", out->amz_date};
    if (has_token(p))
        out->add[out->nadd++] =
            (media_sigv4_header_t){"X-Amz-Security-Token", p->creds->session_token};
    if (p->content_sha256_header)
        out->add[out->nadd++] = (media_sigv4_header_t){"x-amz-content-sha256", out->payload_hash};
    out->add[out->nadd++] = (media_sigv4_header_t){"Authorization", out->authorization.base};
    return FACET_OK;
}

/* Adds the X-Amz-* parameters of a pre-signed URL to w->params. */
static int presign_params(work_t *w, const media_sigv4_params_t *p, media_sigv4_result_t *out,
                          uint32_t expires)
{
    facet_buf_t cred;
    facet_buf_init(&cred, 0);
    char exp[16];
    snprintf(exp, sizeof exp, "%u", (unsigned)expires);
    int rc = facet_buf_printf(&cred, "%s/", p->creds->access_key_id);
    if (rc == FACET_OK)
        rc = scope(&cred, out, p);
    if (rc == FACET_OK)
        rc = terminate(&cred);
    if (rc != FACET_OK) {
        facet_buf_free(&cred);
        return rc;
    }
    const char *kv[] = {
        "X-Amz-Algorithm",     ALGORITHM,
        "X-Amz-Credential",    cred.base,
        "X-Amz-Date",          out->amz_date,
        "X-Amz-Expires",       exp,
        "X-Amz-SignedHeaders", w->signed_headers.base,
    };
    for (size_t i = 0; rc == FACET_OK && i < sizeof kv / sizeof kv[0]; i += 2)
        rc = param_add_raw(&w->params, kv[i], strlen(kv[i]), kv[i + 1], strlen(kv[i + 1]));
    if (rc == FACET_OK && has_token(p) && !p->unsigned_session_token)
        rc = param_add_raw(&w->params, "X-Amz-Security-Token", 20, p->creds->session_token,
                           strlen(p->creds->session_token));
    facet_buf_free(&cred);
    return rc;
}

int media_sigv4_presign(const media_sigv4_request_t *req, const media_sigv4_params_t *p,
                        uint32_t expires, media_sigv4_result_t *out, char *err, size_t errlen)
{
    result_init(out);
    if (expires < 1 || expires > MEDIA_SIGV4_MAX_EXPIRES)
        return fail(err, errlen, FACET_EINVAL, "expiry must be 1 to 604800 seconds");
    int rc = prepare(req, p, out, err, errlen);
    if (rc != FACET_OK)
        return rc;
    work_t *w = work_new();
    if (!w)
        return FACET_ENOMEM;
    rc = collect_headers(&w->headers, req, NULL, 0, err, errlen);
    if (rc == FACET_OK)
        rc = write_headers(&w->headers, &w->block, &w->signed_headers);
    if (rc == FACET_OK)
        rc = terminate(&w->signed_headers);
    if (rc == FACET_OK)
        rc = parse_query(&w->params, req->query, true, err, errlen);
    if (rc == FACET_OK)
        rc = presign_params(w, p, out, expires);
    if (rc == FACET_ELIMIT)
        fail(err, errlen, rc, "query has too many parameters");
    if (rc == FACET_OK) {
        entries_sort(&w->params, true);
        rc = write_query(&w->query, &w->params);
    }
    if (rc == FACET_OK)
        rc = sign_canonical(req, p, &w->query, &w->block, &w->signed_headers, out, err, errlen);
    if (rc == FACET_OK)
        rc = facet_buf_append(&out->query, w->query.base, w->query.len);
    if (rc == FACET_OK)
        rc = facet_buf_printf(&out->query, "&X-Amz-Signature=%s", out->signature);
    if (rc == FACET_OK && has_token(p) && p->unsigned_session_token) {
        rc = facet_buf_append_str(&out->query, "&X-Amz-Security-Token=");
        if (rc == FACET_OK)
            rc = media_sigv4_uri_encode(&out->query, p->creds->session_token,
                                        strlen(p->creds->session_token), false);
    }
    if (rc == FACET_OK)
        rc = terminate(&out->query);
    work_free(w);
    return rc;
}
