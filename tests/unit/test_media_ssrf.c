/* Tests for the SSRF address policy in media/ssrf.h: every notation of a
 * host literal, the classification of special-purpose ranges (IPv4, IPv6
 * and IPv6 forms that embed IPv4), and the allow-list. */
#include <arpa/inet.h>
#include <netinet/in.h>

#include "core/error.h"
#include "media/ssrf.h"
#include "test.h"

/* Parses host and checks it is the address expect (canonical text). */
static void literal(const char *host, const char *expect)
{
    media_addr_t a;
    int rc = media_ssrf_parse_host(host, strlen(host), &a);
    if (rc != FACET_OK) {
        fprintf(stderr, "%s: rc %d, expected %s\n", host, rc, expect);
        exit(1);
    }
    char buf[MEDIA_ADDR_STRLEN];
    media_addr_format(&a, buf);
    if (strcmp(buf, expect) != 0) {
        fprintf(stderr, "%s: parsed as %s, expected %s\n", host, buf, expect);
        exit(1);
    }
}

static void parse_rc(const char *host, int expect)
{
    media_addr_t a;
    int rc = media_ssrf_parse_host(host, strlen(host), &a);
    if (rc != expect) {
        fprintf(stderr, "%s: rc %d, expected %d\n", host, rc, expect);
        exit(1);
    }
}

/* Parses host (a literal) and checks its class. */
static void klass(const char *host, media_addr_class_t expect)
{
    media_addr_t a;
    if (media_ssrf_parse_host(host, strlen(host), &a) != FACET_OK) {
        fprintf(stderr, "%s does not parse\n", host);
        exit(1);
    }
    media_addr_class_t got = media_addr_classify(&a);
    if (got != expect) {
        fprintf(stderr, "%s: class %s, expected %s\n", host, media_addr_class_name(got),
                media_addr_class_name(expect));
        exit(1);
    }
}

TEST(ipv4_every_inet_aton_notation)
{
    literal("127.0.0.1", "127.0.0.1");
    literal("2130706433", "127.0.0.1");   /* one 32-bit decimal */
    literal("0x7f000001", "127.0.0.1");   /* one 32-bit hex */
    literal("0X7F000001", "127.0.0.1");   /* upper-case */
    literal("017700000001", "127.0.0.1"); /* one 32-bit octal */
    literal("0x7f.1", "127.0.0.1");       /* 8.24 */
    literal("127.1", "127.0.0.1");        /* 8.24 decimal */
    literal("127.0.1", "127.0.0.1");      /* 8.8.16 */
    literal("0177.0.0.1", "127.0.0.1");   /* octal part */
    literal("0177.0000.0000.0001", "127.0.0.1");
    literal("0x7f.0x0.0x0.0x1", "127.0.0.1"); /* hex parts */
    literal("0x7f.0.0.01", "127.0.0.1");      /* mixed */
    literal("127.0.0.1.", "127.0.0.1");       /* root label */
    literal("0", "0.0.0.0");
    literal("0x", "0.0.0.0");
    literal("169.254.43518", "169.254.169.254"); /* 8.8.16 metadata */
    literal("0xa9fea9fe", "169.254.169.254");
    literal("2852039166", "169.254.169.254");
    literal("10.0x10000", "10.1.0.0");
    literal("4294967295", "255.255.255.255");
    literal("0xffffffff", "255.255.255.255");
}

TEST(ipv4_malformed_numbers_are_refused)
{
    parse_rc("127.0.0.256", FACET_EINVAL);
    parse_rc("4294967296", FACET_EINVAL); /* 2^32 */
    parse_rc("0x100000000", FACET_EINVAL);
    parse_rc("08.0.0.1", FACET_EINVAL); /* 8 is no octal digit */
    parse_rc("0.0.0.09", FACET_EINVAL);
    parse_rc("1.2.3.4.5", FACET_EINVAL); /* five parts */
    parse_rc("1..2", FACET_EINVAL);
    parse_rc("256.1", FACET_EINVAL);      /* a leading part above 255 */
    parse_rc("1.16777216", FACET_EINVAL); /* 24 bits overflow */
    parse_rc("1.1.65536", FACET_EINVAL);  /* 16 bits overflow */
    parse_rc("foo.127", FACET_EINVAL);    /* ends in a number: never a name */
    parse_rc("example.0x7f", FACET_EINVAL);
    parse_rc("127.0.0.1..", FACET_ENOTFOUND); /* an empty label: a name, as in URLs */
    parse_rc("", FACET_EINVAL);
}

TEST(names_are_not_literals)
{
    parse_rc("localhost", FACET_ENOTFOUND);
    parse_rc("example.com", FACET_ENOTFOUND);
    parse_rc("127.0.0.1.nip.io", FACET_ENOTFOUND);
    parse_rc("0x7f.example", FACET_ENOTFOUND);
    parse_rc("1.2.3.4a", FACET_ENOTFOUND); /* "4a" is not a number */
    parse_rc("0xg", FACET_ENOTFOUND);
}

TEST(ipv6_literals)
{
    literal("[::1]", "::1");
    literal("::1", "::1");
    literal("[0:0:0:0:0:0:0:1]", "::1");
    literal("[::ffff:127.0.0.1]", "::ffff:127.0.0.1");
    literal("[::ffff:7f00:1]", "::ffff:127.0.0.1");
    literal("[::127.0.0.1]", "::127.0.0.1");
    literal("[64:ff9b::a9fe:a9fe]", "64:ff9b::a9fe:a9fe");
    literal("[2002:7f00:1::]", "2002:7f00:1::");
    literal("[fe80::1%eth0]", "fe80::1");   /* zone id */
    literal("[fe80::1%25eth0]", "fe80::1"); /* zone id as a URL writes it */
    literal("[FD00:EC2::254]", "fd00:ec2::254");
    parse_rc("[::1", FACET_EINVAL);
    parse_rc("[]", FACET_EINVAL);
    parse_rc("[::g]", FACET_EINVAL);
    parse_rc("[1:2:3:4:5:6:7:8:9]", FACET_EINVAL);
    parse_rc("[fe80::1%]", FACET_EINVAL);
    parse_rc("[fe80::1%25]", FACET_EINVAL);
    parse_rc("[127.0.0.1]", FACET_EINVAL);
    parse_rc("::ffff:0x7f.1", FACET_EINVAL);
}

TEST(ipv4_classes)
{
    klass("127.0.0.1", MEDIA_ADDR_LOOPBACK);
    klass("127.255.255.254", MEDIA_ADDR_LOOPBACK);
    klass("10.1.2.3", MEDIA_ADDR_PRIVATE);
    klass("172.16.0.1", MEDIA_ADDR_PRIVATE);
    klass("172.31.255.255", MEDIA_ADDR_PRIVATE);
    klass("172.32.0.1", MEDIA_ADDR_PUBLIC);
    klass("172.15.255.255", MEDIA_ADDR_PUBLIC);
    klass("192.168.1.1", MEDIA_ADDR_PRIVATE);
    klass("169.254.1.1", MEDIA_ADDR_LINK_LOCAL);
    klass("169.254.169.254", MEDIA_ADDR_METADATA);
    klass("169.254.170.2", MEDIA_ADDR_METADATA);
    klass("100.100.100.200", MEDIA_ADDR_METADATA);
    klass("192.0.0.192", MEDIA_ADDR_METADATA);
    klass("224.0.0.1", MEDIA_ADDR_MULTICAST);
    klass("239.255.255.250", MEDIA_ADDR_MULTICAST);
    klass("0.0.0.0", MEDIA_ADDR_UNSPECIFIED);
    klass("0.1.2.3", MEDIA_ADDR_UNSPECIFIED);
    klass("255.255.255.255", MEDIA_ADDR_BROADCAST);
    klass("100.64.0.1", MEDIA_ADDR_SHARED);
    klass("100.127.255.255", MEDIA_ADDR_SHARED);
    klass("100.128.0.1", MEDIA_ADDR_PUBLIC);
    klass("198.18.0.1", MEDIA_ADDR_RESERVED);
    klass("198.19.255.255", MEDIA_ADDR_RESERVED);
    klass("192.0.2.1", MEDIA_ADDR_RESERVED);
    klass("198.51.100.7", MEDIA_ADDR_RESERVED);
    klass("203.0.113.9", MEDIA_ADDR_RESERVED);
    klass("192.0.0.8", MEDIA_ADDR_RESERVED);
    klass("192.88.99.1", MEDIA_ADDR_RESERVED);
    klass("240.0.0.1", MEDIA_ADDR_RESERVED);
    klass("8.8.8.8", MEDIA_ADDR_PUBLIC);
    klass("93.184.216.34", MEDIA_ADDR_PUBLIC);
    klass("223.255.255.255", MEDIA_ADDR_PUBLIC);
}

TEST(ipv6_classes)
{
    klass("::", MEDIA_ADDR_UNSPECIFIED);
    klass("::1", MEDIA_ADDR_LOOPBACK);
    klass("fc00::1", MEDIA_ADDR_PRIVATE);
    klass("fdff:ffff::1", MEDIA_ADDR_PRIVATE);
    klass("fe80::1", MEDIA_ADDR_LINK_LOCAL);
    klass("febf::1", MEDIA_ADDR_LINK_LOCAL);
    klass("fec0::1", MEDIA_ADDR_PRIVATE);
    klass("ff02::1", MEDIA_ADDR_MULTICAST);
    klass("fd00:ec2::254", MEDIA_ADDR_METADATA);
    klass("fd00:ec2::23", MEDIA_ADDR_METADATA);
    klass("2001:db8::1", MEDIA_ADDR_RESERVED);
    klass("2001::1", MEDIA_ADDR_RESERVED); /* Teredo */
    klass("100::1", MEDIA_ADDR_RESERVED);
    klass("3fff::1", MEDIA_ADDR_RESERVED);
    klass("5f00::1", MEDIA_ADDR_RESERVED);
    klass("64:ff9b:1::1", MEDIA_ADDR_RESERVED);
    klass("2606:4700:4700::1111", MEDIA_ADDR_PUBLIC);
    klass("2a00:1450:4001::1", MEDIA_ADDR_PUBLIC);
}

TEST(ipv6_embedding_ipv4_takes_its_class)
{
    klass("::ffff:127.0.0.1", MEDIA_ADDR_LOOPBACK); /* mapped */
    klass("::ffff:7f00:1", MEDIA_ADDR_LOOPBACK);
    klass("::ffff:10.0.0.1", MEDIA_ADDR_PRIVATE);
    klass("::ffff:169.254.169.254", MEDIA_ADDR_METADATA);
    klass("::ffff:0.0.0.0", MEDIA_ADDR_UNSPECIFIED);
    klass("::ffff:8.8.8.8", MEDIA_ADDR_PUBLIC);
    klass("::127.0.0.1", MEDIA_ADDR_LOOPBACK); /* compatible */
    klass("::192.168.0.1", MEDIA_ADDR_PRIVATE);
    klass("::8.8.8.8", MEDIA_ADDR_RESERVED);          /* compatible is never routed */
    klass("64:ff9b::127.0.0.1", MEDIA_ADDR_LOOPBACK); /* NAT64 */
    klass("64:ff9b::a9fe:a9fe", MEDIA_ADDR_METADATA);
    klass("64:ff9b::8.8.8.8", MEDIA_ADDR_PUBLIC);
    klass("2002:7f00:1::", MEDIA_ADDR_LOOPBACK); /* 6to4 */
    klass("2002:a00:1::1", MEDIA_ADDR_PRIVATE);
    klass("2002:a9fe:a9fe::", MEDIA_ADDR_METADATA);
    klass("2002:808:808::1", MEDIA_ADDR_PUBLIC);
}

static bool allowed(const media_ssrf_policy_t *p, const char *host)
{
    media_addr_t a;
    CHECK_EQ_INT(media_ssrf_parse_host(host, strlen(host), &a), FACET_OK);
    return media_ssrf_allowed(p, &a, NULL);
}

TEST(allow_list)
{
    media_ssrf_policy_t p;
    char err[128] = "";
    CHECK_EQ_INT(
        media_ssrf_policy_parse(" 127.0.0.1/32 , ::1/128,10.0.0.0/8,fd00::/8", &p, err, sizeof err),
        FACET_OK);
    CHECK_EQ_INT(p.n_allow, 4);
    CHECK(allowed(&p, "127.0.0.1"));
    CHECK(allowed(&p, "2130706433"));
    CHECK(allowed(&p, "[::1]"));
    CHECK(allowed(&p, "[::ffff:127.0.0.1]")); /* the same host as 127.0.0.1 */
    CHECK(allowed(&p, "10.200.0.1"));
    CHECK(allowed(&p, "fd12::1"));
    CHECK(allowed(&p, "8.8.8.8"));
    CHECK(!allowed(&p, "127.0.0.2"));
    CHECK(!allowed(&p, "192.168.0.1"));
    CHECK(!allowed(&p, "169.254.169.254"));
    CHECK(!allowed(&p, "2002:7f00:1::")); /* 6to4 goes elsewhere */
    media_addr_class_t why;
    media_addr_t a;
    CHECK_EQ_INT(media_ssrf_parse_host("0x7f.2", 6, &a), FACET_OK);
    CHECK(!media_ssrf_allowed(&p, &a, &why));
    CHECK_EQ_INT(why, MEDIA_ADDR_LOOPBACK);
    media_ssrf_policy_free(&p);

    /* No policy at all: public only. */
    CHECK(allowed(NULL, "8.8.8.8"));
    CHECK(!allowed(NULL, "127.0.0.1"));
    CHECK_EQ_INT(media_ssrf_policy_parse("", &p, NULL, 0), FACET_OK);
    CHECK_EQ_INT(p.n_allow, 0);
    media_ssrf_policy_free(&p);
    CHECK_EQ_INT(media_ssrf_policy_parse(NULL, &p, NULL, 0), FACET_OK);
    media_ssrf_policy_free(&p);
    CHECK_EQ_INT(media_ssrf_policy_parse("127.0.0.1", &p, NULL, 0), FACET_OK);
    CHECK_EQ_INT(p.allow[0].prefix, 32);
    media_ssrf_policy_free(&p);
}

static void bad_list(const char *list, const char *msg)
{
    media_ssrf_policy_t p;
    char err[160] = "";
    CHECK_EQ_INT(media_ssrf_policy_parse(list, &p, err, sizeof err), FACET_EINVAL);
    CHECK_EQ_STR(err, msg);
    CHECK(p.allow == NULL && p.n_allow == 0);
}

TEST(allow_list_errors)
{
    bad_list("127.0.0.1/33",
             "\"127.0.0.1/33\" is not an address or network (CIDR with no host bits set)");
    bad_list("10.0.0.1/8, ::1",
             "\"10.0.0.1/8\" is not an address or network (CIDR with no host bits set)");
    bad_list("::1/129", "\"::1/129\" is not an address or network (CIDR with no host bits set)");
    bad_list("127.1/32", "\"127.1/32\" is not an address or network (CIDR with no host bits set)");
    bad_list("localhost",
             "\"localhost\" is not an address or network (CIDR with no host bits set)");
    bad_list("1.2.3.4/", "\"1.2.3.4/\" is not an address or network (CIDR with no host bits set)");
    bad_list("1.2.3.4/-1",
             "\"1.2.3.4/-1\" is not an address or network (CIDR with no host bits set)");
}

TEST(sockaddr_conversion)
{
    struct sockaddr_in in = {.sin_family = AF_INET};
    inet_pton(AF_INET, "169.254.169.254", &in.sin_addr);
    media_addr_t a;
    CHECK_EQ_INT(media_addr_from_sockaddr((struct sockaddr *)&in, sizeof in, &a), FACET_OK);
    CHECK_EQ_INT(media_addr_classify(&a), MEDIA_ADDR_METADATA);
    struct sockaddr_in6 in6 = {.sin6_family = AF_INET6};
    inet_pton(AF_INET6, "::ffff:127.0.0.1", &in6.sin6_addr);
    CHECK_EQ_INT(media_addr_from_sockaddr((struct sockaddr *)&in6, sizeof in6, &a), FACET_OK);
    CHECK_EQ_INT(media_addr_classify(&a), MEDIA_ADDR_LOOPBACK);
    CHECK_EQ_INT(media_addr_from_sockaddr((struct sockaddr *)&in6, sizeof in, &a), FACET_EINVAL);
    struct sockaddr un = {.sa_family = AF_UNIX};
    CHECK_EQ_INT(media_addr_from_sockaddr(&un, sizeof un, &a), FACET_EINVAL);
}
