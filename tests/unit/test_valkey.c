/* Tests for the VALKEY_URL parser in cache/valkey.h. */
#include "cache/valkey.h"
#include "core/error.h"
#include "test.h"

TEST(plain_url)
{
    cache_valkey_addr_t a;
    char err[256];
    CHECK_EQ_INT(cache_valkey_parse_url("redis://127.0.0.1:6390", &a, err, sizeof err), FACET_OK);
    CHECK_EQ_STR(a.host, "127.0.0.1");
    CHECK_EQ_INT(a.port, 6390);
    CHECK_EQ_STR(a.password, "");
    CHECK_EQ_INT(a.db, 0);
}

TEST(defaults_and_auth)
{
    cache_valkey_addr_t a;
    char err[256];
    CHECK_EQ_INT(cache_valkey_parse_url("valkey://:s3cret@cache.local/2", &a, err, sizeof err),
                 FACET_OK);
    CHECK_EQ_STR(a.host, "cache.local");
    CHECK_EQ_INT(a.port, 6379);
    CHECK_EQ_STR(a.username, "");
    CHECK_EQ_STR(a.password, "s3cret");
    CHECK_EQ_INT(a.db, 2);
    CHECK_EQ_INT(cache_valkey_parse_url("redis://app:pw@[::1]:7000", &a, err, sizeof err),
                 FACET_OK);
    CHECK_EQ_STR(a.username, "app");
    CHECK_EQ_STR(a.password, "pw");
    CHECK_EQ_STR(a.host, "::1");
    CHECK_EQ_INT(a.port, 7000);
}

static void expect_bad(const char *url)
{
    cache_valkey_addr_t a;
    char err[256] = "";
    CHECK_EQ_INT(cache_valkey_parse_url(url, &a, err, sizeof err), FACET_EINVAL);
    CHECK(strncmp(err, "VALKEY_URL: ", 12) == 0);
}

TEST(bad_urls)
{
    expect_bad("http://x");
    expect_bad("rediss://x:6379");
    expect_bad("redis://");
    expect_bad("redis://host:0");
    expect_bad("redis://host:99999");
    expect_bad("redis://host:abc");
    expect_bad("redis://host/16");
    expect_bad("redis://[::1");
}
