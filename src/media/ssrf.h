/* The address policy behind URL ingest (SSRF protection): parses a host the
 * way a resolver would (every IPv4 notation inet_aton accepts, IPv6 literals
 * with brackets and zone ids), classifies an address (loopback, private,
 * link-local, metadata, ...; IPv6 forms that embed an IPv4 address are judged
 * by that address) and decides whether it may be connected to, given an
 * allow-list of CIDRs from config. Pure: no I/O, no allocation but the
 * allow-list's. */
#ifndef FACET_MEDIA_SSRF_H
#define FACET_MEDIA_SSRF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* An IPv4 address (family AF_INET, bytes[0..3]) or an IPv6 address (AF_INET6,
 * bytes[0..15]), in network byte order. */
typedef struct media_addr {
    int family;
    uint8_t bytes[16];
} media_addr_t;

/* Why an address is (or is not) forbidden. MEDIA_ADDR_PUBLIC is the only
 * class allowed without an allow-list entry. */
typedef enum media_addr_class {
    MEDIA_ADDR_PUBLIC = 0,
    MEDIA_ADDR_LOOPBACK,
    MEDIA_ADDR_PRIVATE,     /* 10/8, 172.16/12, 192.168/16, fc00::/7, fec0::/10 */
    MEDIA_ADDR_LINK_LOCAL,  /* 169.254/16, fe80::/10 */
    MEDIA_ADDR_METADATA,    /* cloud instance metadata and DNS endpoints */
    MEDIA_ADDR_MULTICAST,   /* 224/4, ff00::/8 */
    MEDIA_ADDR_UNSPECIFIED, /* 0.0.0.0/8, :: */
    MEDIA_ADDR_BROADCAST,   /* 255.255.255.255 */
    MEDIA_ADDR_SHARED,      /* carrier-grade NAT, 100.64/10 */
    MEDIA_ADDR_RESERVED,    /* documentation, benchmarking, protocol and future ranges */
} media_addr_class_t;

/* A network: the first prefix bits of addr. */
typedef struct media_cidr {
    media_addr_t addr;
    unsigned prefix;
} media_cidr_t;

/* The allow-list. Owns its array; release with media_ssrf_policy_free. A
 * zeroed policy allows public addresses only. Immutable once parsed, so
 * threads may share it. */
typedef struct media_ssrf_policy {
    media_cidr_t *allow;
    size_t n_allow;
} media_ssrf_policy_t;

/* Longest text media_addr_format writes, NUL included. */
#define MEDIA_ADDR_STRLEN 46

/* Parses host (len bytes, not NUL-terminated) as an IP address literal:
 *  - IPv4 as inet_aton reads it: one to four parts separated by dots, each
 *    decimal, octal (leading 0) or hex (0x), the last part filling the
 *    remaining bytes ("127.1", "2130706433", "0x7f.1", "0177.0.0.1"); one
 *    trailing dot is ignored, as URL parsers do;
 *  - IPv6 with or without brackets, with an optional zone id ("%eth0" or,
 *    as in a URL, "%25eth0"), which is dropped.
 * Returns FACET_OK with *out set; FACET_ENOTFOUND when host is a name to be
 * resolved (not a literal); FACET_EINVAL when it is neither: a malformed
 * literal, or a name whose last label is a number (which a resolver might
 * still read as an address, so it is never handed to one). */
int media_ssrf_parse_host(const char *host, size_t len, media_addr_t *out);

/* Reads an address from a socket address (AF_INET or AF_INET6). Returns
 * FACET_EINVAL for other families or a short length. */
int media_addr_from_sockaddr(const struct sockaddr *sa, size_t salen, media_addr_t *out);

/* Classifies a. IPv4-mapped (::ffff:0:0/96), IPv4-compatible (::/96), NAT64
 * (64:ff9b::/96) and 6to4 (2002::/16) addresses take the class of the IPv4
 * address they embed when that one is not public. IPv6 outside 2000::/3
 * that no other rule names is RESERVED. */
media_addr_class_t media_addr_classify(const media_addr_t *a);

/* A static name for a class ("loopback", "private", ...). */
const char *media_addr_class_name(media_addr_class_t c);

/* True when a may be connected to: it is public, or it lies in a network of
 * the allow-list. An IPv4-mapped or IPv4-compatible address also matches
 * the allow-list through the IPv4 address it embeds (it reaches the same
 * host). *why (when not NULL) receives the class. p may be NULL. */
bool media_ssrf_allowed(const media_ssrf_policy_t *p, const media_addr_t *a,
                        media_addr_class_t *why);

/* Parses a comma-separated list of CIDRs ("127.0.0.1/32, ::1/128"; a bare
 * address means the whole address) into *out, which the caller releases
 * with media_ssrf_policy_free. Addresses use the strict dotted-quad and
 * IPv6 text forms; host bits beyond the prefix must be zero. An empty or
 * NULL list gives an empty policy. Returns FACET_EINVAL with a message
 * naming the bad item, or FACET_ENOMEM. */
int media_ssrf_policy_parse(const char *list, media_ssrf_policy_t *out, char *err, size_t errlen);

void media_ssrf_policy_free(media_ssrf_policy_t *p);

/* Writes a in its canonical text form into buf (at least MEDIA_ADDR_STRLEN
 * bytes). */
void media_addr_format(const media_addr_t *a, char *buf);

#endif
