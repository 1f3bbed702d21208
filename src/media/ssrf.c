/* The SSRF address policy: host literal parsing in every notation a resolver
 * accepts, address classification against the IANA special-purpose
 * registries and cloud metadata endpoints, and the config allow-list. */
#include "media/ssrf.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/str.h"

/* ---- Host parsing ---- */

static bool is_dec(char c)
{
    return c >= '0' && c <= '9';
}

/* True when the label reads as a number: decimal digits, or 0x followed by
 * hex digits (none at all counts, as in the URL standard). Such a last
 * label makes the host an IPv4 address or nothing. */
static bool label_is_number(const char *s, size_t len)
{
    if (len == 0)
        return false;
    if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        for (size_t i = 2; i < len; i++)
            if (facet_hex_value(s[i]) < 0)
                return false;
        return true;
    }
    for (size_t i = 0; i < len; i++)
        if (!is_dec(s[i]))
            return false;
    return true;
}

/* One part of an inet_aton address: hex after 0x, octal after a leading
 * 0, decimal otherwise. Fails on a stray digit or a value above 2^32-1. */
static int parse_v4_part(const char *s, size_t len, uint64_t *out)
{
    unsigned base = 10;
    size_t i = 0;
    if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        i = 2;
    } else if (len >= 2 && s[0] == '0') {
        base = 8;
        i = 1;
    }
    if (len == 0)
        return FACET_EINVAL;
    uint64_t v = 0;
    for (; i < len; i++) {
        int d = facet_hex_value(s[i]);
        if (d < 0 || (unsigned)d >= base)
            return FACET_EINVAL;
        v = v * base + (unsigned)d;
        if (v > UINT32_MAX)
            return FACET_EINVAL;
    }
    *out = v;
    return FACET_OK;
}

/* inet_aton: "a", "a.b" (8.24 bits), "a.b.c" (8.8.16) or "a.b.c.d". */
static int parse_v4(const char *s, size_t len, media_addr_t *out)
{
    uint64_t parts[4];
    size_t n = 0, start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && s[i] != '.')
            continue;
        if (n == 4 || parse_v4_part(s + start, i - start, &parts[n]) != FACET_OK)
            return FACET_EINVAL;
        n++;
        start = i + 1;
    }
    uint32_t v = 0;
    for (size_t k = 0; k + 1 < n; k++) {
        if (parts[k] > 0xff)
            return FACET_EINVAL;
        v |= (uint32_t)parts[k] << (24 - 8 * k);
    }
    uint64_t last_max = n == 1 ? UINT32_MAX : (UINT64_C(1) << (8 * (5 - n))) - 1;
    if (parts[n - 1] > last_max)
        return FACET_EINVAL;
    v |= (uint32_t)parts[n - 1];
    memset(out, 0, sizeof *out);
    out->family = AF_INET;
    out->bytes[0] = (uint8_t)(v >> 24);
    out->bytes[1] = (uint8_t)(v >> 16);
    out->bytes[2] = (uint8_t)(v >> 8);
    out->bytes[3] = (uint8_t)v;
    return FACET_OK;
}

/* An IPv6 literal without brackets; a zone id ("%eth0", "%25eth0") is
 * dropped, since it only picks an interface. */
static int parse_v6(const char *s, size_t len, media_addr_t *out)
{
    const char *pct = memchr(s, '%', len);
    if (pct) {
        size_t zone = len - (size_t)(pct - s) - 1;
        if (zone == 0 || (zone == 2 && pct[1] == '2' && pct[2] == '5'))
            return FACET_EINVAL; /* an empty zone id */
        len = (size_t)(pct - s);
    }
    char buf[INET6_ADDRSTRLEN];
    if (len == 0 || len >= sizeof buf)
        return FACET_EINVAL;
    memcpy(buf, s, len);
    buf[len] = '\0';
    memset(out, 0, sizeof *out);
    if (inet_pton(AF_INET6, buf, out->bytes) != 1)
        return FACET_EINVAL;
    out->family = AF_INET6;
    return FACET_OK;
}

int media_ssrf_parse_host(const char *host, size_t len, media_addr_t *out)
{
    if (len == 0)
        return FACET_EINVAL;
    if (host[0] == '[') {
        if (len < 3 || host[len - 1] != ']')
            return FACET_EINVAL;
        return parse_v6(host + 1, len - 2, out);
    }
    if (memchr(host, ':', len))
        return parse_v6(host, len, out);
    size_t n = len;
    if (host[n - 1] == '.')
        n--; /* one trailing dot, the root label */
    size_t last = n;
    while (last > 0 && host[last - 1] != '.')
        last--;
    if (!label_is_number(host + last, n - last))
        return FACET_ENOTFOUND;
    return parse_v4(host, n, out);
}

int media_addr_from_sockaddr(const struct sockaddr *sa, size_t salen, media_addr_t *out)
{
    memset(out, 0, sizeof *out);
    if (sa->sa_family == AF_INET && salen >= sizeof(struct sockaddr_in)) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        out->family = AF_INET;
        memcpy(out->bytes, &in->sin_addr, 4);
        return FACET_OK;
    }
    if (sa->sa_family == AF_INET6 && salen >= sizeof(struct sockaddr_in6)) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        out->family = AF_INET6;
        memcpy(out->bytes, &in6->sin6_addr, 16);
        return FACET_OK;
    }
    return FACET_EINVAL;
}

/* ---- Classification ---- */

typedef struct range {
    uint8_t bytes[16];
    unsigned prefix;
    media_addr_class_t cls;
} range_t;

/* First match wins, so single addresses come before their networks. */
static const range_t v4_ranges[] = {
    {{169, 254, 169, 254}, 32, MEDIA_ADDR_METADATA}, /* AWS, GCP, Azure, ... IMDS */
    {{169, 254, 169, 253}, 32, MEDIA_ADDR_METADATA}, /* AWS DNS */
    {{169, 254, 169, 123}, 32, MEDIA_ADDR_METADATA}, /* AWS time sync */
    {{169, 254, 170, 2}, 32, MEDIA_ADDR_METADATA},   /* ECS task metadata and credentials */
    {{169, 254, 170, 23}, 32, MEDIA_ADDR_METADATA},  /* EKS pod identity agent */
    {{100, 100, 100, 200}, 32, MEDIA_ADDR_METADATA}, /* Alibaba Cloud */
    {{192, 0, 0, 192}, 32, MEDIA_ADDR_METADATA},     /* Oracle Cloud */
    {{255, 255, 255, 255}, 32, MEDIA_ADDR_BROADCAST},
    {{0}, 8, MEDIA_ADDR_UNSPECIFIED},
    {{10}, 8, MEDIA_ADDR_PRIVATE},
    {{100, 64}, 10, MEDIA_ADDR_SHARED},
    {{127}, 8, MEDIA_ADDR_LOOPBACK},
    {{169, 254}, 16, MEDIA_ADDR_LINK_LOCAL},
    {{172, 16}, 12, MEDIA_ADDR_PRIVATE},
    {{192, 0, 0}, 24, MEDIA_ADDR_RESERVED},   /* IETF protocol assignments */
    {{192, 0, 2}, 24, MEDIA_ADDR_RESERVED},   /* TEST-NET-1 */
    {{192, 88, 99}, 24, MEDIA_ADDR_RESERVED}, /* 6to4 relay anycast */
    {{192, 168}, 16, MEDIA_ADDR_PRIVATE},
    {{198, 18}, 15, MEDIA_ADDR_RESERVED},      /* benchmarking */
    {{198, 51, 100}, 24, MEDIA_ADDR_RESERVED}, /* TEST-NET-2 */
    {{203, 0, 113}, 24, MEDIA_ADDR_RESERVED},  /* TEST-NET-3 */
    {{224}, 4, MEDIA_ADDR_MULTICAST},
    {{240}, 4, MEDIA_ADDR_RESERVED},
};

/* The IPv6 rules that do not embed an IPv4 address. */
static const range_t v6_ranges[] = {
    {{0}, 128, MEDIA_ADDR_UNSPECIFIED},
    {{[15] = 1}, 128, MEDIA_ADDR_LOOPBACK},
    {{0xfd, 0, 0x0e, 0xc2, [14] = 0x02, 0x54}, 128, MEDIA_ADDR_METADATA}, /* fd00:ec2::254 */
    {{0xfd, 0, 0x0e, 0xc2, [14] = 0x02, 0x53}, 128, MEDIA_ADDR_METADATA}, /* fd00:ec2::253 */
    {{0xfd, 0, 0x0e, 0xc2, [14] = 0x01, 0x23}, 128, MEDIA_ADDR_METADATA}, /* fd00:ec2::123 */
    {{0xfd, 0, 0x0e, 0xc2, [15] = 0x23}, 128, MEDIA_ADDR_METADATA},       /* fd00:ec2::23 */
    {{0, 0x64, 0xff, 0x9b, 0, 1}, 48, MEDIA_ADDR_RESERVED},               /* local-use NAT64 */
    {{0x01, 0}, 64, MEDIA_ADDR_RESERVED},                                 /* discard-only */
    {{0x20, 0x01, 0x0d, 0xb8}, 32, MEDIA_ADDR_RESERVED},                  /* documentation */
    {{0x20, 0x01, 0x00, 0x00}, 23, MEDIA_ADDR_RESERVED}, /* protocol assignments, Teredo */
    {{0x3f, 0xff}, 20, MEDIA_ADDR_RESERVED},             /* documentation */
    {{0xfc}, 7, MEDIA_ADDR_PRIVATE},                     /* unique local */
    {{0xfe, 0x80}, 10, MEDIA_ADDR_LINK_LOCAL},
    {{0xfe, 0xc0}, 10, MEDIA_ADDR_PRIVATE}, /* site-local (deprecated) */
    {{0xff}, 8, MEDIA_ADDR_MULTICAST},
};

static bool prefix_match(const uint8_t *a, const uint8_t *net, unsigned prefix)
{
    unsigned whole = prefix / 8, rest = prefix % 8;
    if (memcmp(a, net, whole) != 0)
        return false;
    if (rest == 0)
        return true;
    uint8_t mask = (uint8_t)(0xff << (8 - rest));
    return (a[whole] & mask) == (net[whole] & mask);
}

static media_addr_class_t lookup(const range_t *t, size_t n, const uint8_t *bytes,
                                 media_addr_class_t dflt)
{
    for (size_t i = 0; i < n; i++)
        if (prefix_match(bytes, t[i].bytes, t[i].prefix))
            return t[i].cls;
    return dflt;
}

static media_addr_class_t classify_v4(const uint8_t *b)
{
    return lookup(v4_ranges, sizeof v4_ranges / sizeof v4_ranges[0], b, MEDIA_ADDR_PUBLIC);
}

static const uint8_t mapped_prefix[12] = {[10] = 0xff, [11] = 0xff};
static const uint8_t nat64_prefix[12] = {0, 0x64, 0xff, 0x9b};
static const uint8_t zero_prefix[12] = {0};

media_addr_class_t media_addr_classify(const media_addr_t *a)
{
    if (a->family == AF_INET)
        return classify_v4(a->bytes);
    const uint8_t *b = a->bytes;
    media_addr_class_t c =
        lookup(v6_ranges, sizeof v6_ranges / sizeof v6_ranges[0], b, MEDIA_ADDR_PUBLIC);
    if (c != MEDIA_ADDR_PUBLIC)
        return c;
    if (memcmp(b, mapped_prefix, 12) == 0 || memcmp(b, nat64_prefix, 12) == 0)
        return classify_v4(b + 12);
    if (memcmp(b, zero_prefix, 12) == 0) {
        /* IPv4-compatible: deprecated and never routed, even for a public
         * address; a forbidden embedded address names the reason. */
        c = classify_v4(b + 12);
        return c == MEDIA_ADDR_PUBLIC ? MEDIA_ADDR_RESERVED : c;
    }
    if (b[0] == 0x20 && b[1] == 0x02)
        return classify_v4(b + 2); /* 6to4 */
    if ((b[0] & 0xe0) != 0x20)
        return MEDIA_ADDR_RESERVED; /* outside global unicast 2000::/3 */
    return MEDIA_ADDR_PUBLIC;
}

const char *media_addr_class_name(media_addr_class_t c)
{
    switch (c) {
    case MEDIA_ADDR_PUBLIC:
        return "public";
    case MEDIA_ADDR_LOOPBACK:
        return "loopback";
    case MEDIA_ADDR_PRIVATE:
        return "private";
    case MEDIA_ADDR_LINK_LOCAL:
        return "link-local";
    case MEDIA_ADDR_METADATA:
        return "metadata";
    case MEDIA_ADDR_MULTICAST:
        return "multicast";
    case MEDIA_ADDR_UNSPECIFIED:
        return "unspecified";
    case MEDIA_ADDR_BROADCAST:
        return "broadcast";
    case MEDIA_ADDR_SHARED:
        return "shared (carrier-grade NAT)";
    case MEDIA_ADDR_RESERVED:
        return "reserved";
    }
    return "unknown";
}

/* ---- Allow-list ---- */

static bool in_allow_list(const media_ssrf_policy_t *p, const media_addr_t *a)
{
    for (size_t i = 0; p && i < p->n_allow; i++) {
        const media_cidr_t *c = &p->allow[i];
        if (c->addr.family == a->family && prefix_match(a->bytes, c->addr.bytes, c->prefix))
            return true;
    }
    return false;
}

bool media_ssrf_allowed(const media_ssrf_policy_t *p, const media_addr_t *a,
                        media_addr_class_t *why)
{
    media_addr_class_t c = media_addr_classify(a);
    if (why)
        *why = c;
    if (c == MEDIA_ADDR_PUBLIC || in_allow_list(p, a))
        return true;
    if (a->family == AF_INET6 &&
        (memcmp(a->bytes, mapped_prefix, 12) == 0 || memcmp(a->bytes, zero_prefix, 12) == 0)) {
        media_addr_t v4 = {.family = AF_INET};
        memcpy(v4.bytes, a->bytes + 12, 4);
        return in_allow_list(p, &v4);
    }
    return false;
}

/* One "addr[/prefix]" item, already trimmed. */
static int parse_cidr(const char *s, size_t len, media_cidr_t *out)
{
    char buf[INET6_ADDRSTRLEN + 8];
    if (len == 0 || len >= sizeof buf)
        return FACET_EINVAL;
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *slash = strchr(buf, '/');
    if (slash)
        *slash = '\0';
    memset(out, 0, sizeof *out);
    unsigned max;
    if (inet_pton(AF_INET, buf, out->addr.bytes) == 1) {
        out->addr.family = AF_INET;
        max = 32;
    } else if (inet_pton(AF_INET6, buf, out->addr.bytes) == 1) {
        out->addr.family = AF_INET6;
        max = 128;
    } else {
        return FACET_EINVAL;
    }
    out->prefix = max;
    if (slash) {
        const char *d = slash + 1;
        if (*d == '\0' || strlen(d) > 3)
            return FACET_EINVAL;
        unsigned v = 0;
        for (; *d; d++) {
            if (!is_dec(*d))
                return FACET_EINVAL;
            v = v * 10 + (unsigned)(*d - '0');
        }
        if (v > max)
            return FACET_EINVAL;
        out->prefix = v;
    }
    /* Host bits set usually means a typo in the prefix: say so. */
    media_addr_t masked = out->addr;
    for (unsigned bit = out->prefix; bit < max; bit++)
        masked.bytes[bit / 8] &= (uint8_t) ~(0x80 >> (bit % 8));
    if (memcmp(masked.bytes, out->addr.bytes, 16) != 0)
        return FACET_EINVAL;
    return FACET_OK;
}

int media_ssrf_policy_parse(const char *list, media_ssrf_policy_t *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (!list)
        return FACET_OK;
    size_t cap = 1;
    for (const char *c = list; *c; c++)
        cap += *c == ',';
    out->allow = calloc(cap, sizeof *out->allow);
    if (!out->allow)
        return FACET_ENOMEM;
    const char *p = list;
    for (;;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *s = p;
        while (len > 0 && (*s == ' ' || *s == '\t'))
            s++, len--;
        while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
            len--;
        if (len > 0 && parse_cidr(s, len, &out->allow[out->n_allow++]) != FACET_OK) {
            if (err)
                snprintf(err, errlen,
                         "\"%.*s\" is not an address or network (CIDR with no host bits set)",
                         (int)(len > 64 ? 64 : len), s);
            media_ssrf_policy_free(out);
            return FACET_EINVAL;
        }
        if (!end)
            break;
        p = end + 1;
    }
    return FACET_OK;
}

void media_ssrf_policy_free(media_ssrf_policy_t *p)
{
    free(p->allow);
    p->allow = NULL;
    p->n_allow = 0;
}

void media_addr_format(const media_addr_t *a, char *buf)
{
    if (!inet_ntop(a->family == AF_INET ? AF_INET : AF_INET6, a->bytes, buf, MEDIA_ADDR_STRLEN))
        snprintf(buf, MEDIA_ADDR_STRLEN, "?");
}
