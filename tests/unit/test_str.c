/* Tests for core/str.h. */
#include <ctype.h>

#include "core/error.h"
#include "core/str.h"
#include "test.h"

TEST(eq_and_ieq)
{
    CHECK(facet_str_eq(FACET_STR_LIT("abc"), facet_str_c("abc")));
    CHECK(!facet_str_eq(FACET_STR_LIT("abc"), FACET_STR_LIT("abd")));
    CHECK(!facet_str_eq(FACET_STR_LIT("abc"), FACET_STR_LIT("ab")));
    CHECK(facet_str_eq(FACET_STR_NULL, FACET_STR_LIT("")));
    CHECK(facet_str_ieq(FACET_STR_LIT("Content-Length"), FACET_STR_LIT("content-LENGTH")));
    CHECK(!facet_str_ieq(FACET_STR_LIT("a["), FACET_STR_LIT("a{")));
}

TEST(trim)
{
    CHECK_SLICE(facet_str_trim(FACET_STR_LIT(" \t x y \t")), "x y");
    CHECK_SLICE(facet_str_trim(FACET_STR_LIT("   ")), "");
    CHECK_SLICE(facet_str_trim(FACET_STR_LIT("")), "");
    CHECK_SLICE(facet_str_trim(FACET_STR_LIT("\nx\r")), "\nx\r");
}

TEST(trim_space)
{
    CHECK_SLICE(facet_str_trim_space(FACET_STR_LIT(" \t\n\v\f\rx y\r\n")), "x y");
    CHECK_SLICE(facet_str_trim_space(FACET_STR_LIT(" \r\n ")), "");
    CHECK_SLICE(facet_str_trim_space(FACET_STR_LIT("\xa0x\x85")), "\xa0x\x85");
    /* Byte for byte what isspace() says in the C locale, which the tests
     * and Facet run in. */
    for (int c = 0; c < 256; c++) {
        char b[3] = {'x', (char)c, 'x'};
        CHECK_EQ_INT(facet_str_trim_space(facet_str(b + 1, 1)).len == 0, isspace(c) != 0);
        CHECK_EQ_INT(facet_str_trim_space(facet_str(b, 3)).len, 3);
    }
}

TEST(to_u64)
{
    uint64_t v = 0;
    CHECK_EQ_INT(facet_str_to_u64(FACET_STR_LIT("12345"), UINT64_MAX, &v), FACET_OK);
    CHECK_EQ_INT(v, 12345);
    CHECK_EQ_INT(facet_str_to_u64(FACET_STR_LIT("18446744073709551615"), UINT64_MAX, &v), FACET_OK);
    CHECK(v == UINT64_MAX);
    CHECK_EQ_INT(facet_str_to_u64(FACET_STR_LIT("18446744073709551616"), UINT64_MAX, &v),
                 FACET_ELIMIT);
    CHECK_EQ_INT(facet_str_to_u64(FACET_STR_LIT("101"), 100, &v), FACET_ELIMIT);
    CHECK_EQ_INT(facet_str_to_u64(FACET_STR_LIT(""), 100, &v), FACET_EINVAL);
    CHECK_EQ_INT(facet_str_to_u64(FACET_STR_LIT("+1"), 100, &v), FACET_EINVAL);
    CHECK_EQ_INT(facet_str_to_u64(FACET_STR_LIT("1 "), 100, &v), FACET_EINVAL);
    CHECK_EQ_INT(facet_str_to_u64(FACET_STR_LIT("0x1"), 100, &v), FACET_EINVAL);
}

TEST(hex_to_u64)
{
    uint64_t v = 0;
    CHECK_EQ_INT(facet_str_hex_to_u64(FACET_STR_LIT("00000190a1b2c3d4"), true, &v), FACET_OK);
    CHECK(v == 0x190a1b2c3d4ull);
    CHECK_EQ_INT(facet_str_hex_to_u64(FACET_STR_LIT("ffffffffffffffff"), true, &v), FACET_OK);
    CHECK(v == UINT64_MAX);
    CHECK_EQ_INT(facet_str_hex_to_u64(FACET_STR_LIT("2F"), false, &v), FACET_OK);
    CHECK_EQ_INT(v, 0x2f);
    CHECK_EQ_INT(facet_str_hex_to_u64(FACET_STR_LIT("aF"), false, &v), FACET_OK);
    CHECK_EQ_INT(v, 0xaf);
    CHECK_EQ_INT(facet_str_hex_to_u64(FACET_STR_LIT("2F"), true, &v), FACET_EINVAL);
    CHECK_EQ_INT(facet_str_hex_to_u64(FACET_STR_LIT("2g"), false, &v), FACET_EINVAL);
    CHECK_EQ_INT(facet_str_hex_to_u64(FACET_STR_LIT(""), false, &v), FACET_EINVAL);
    CHECK_EQ_INT(facet_str_hex_to_u64(FACET_STR_LIT("10000000000000000"), false, &v), FACET_EINVAL);
    CHECK_EQ_INT(facet_str_hex_to_u64(FACET_STR_LIT("-1"), false, &v), FACET_EINVAL);
    CHECK_EQ_INT(facet_str_hex_to_u64(FACET_STR_LIT(" 1"), false, &v), FACET_EINVAL);
    CHECK_EQ_INT(facet_str_hex_to_u64(facet_str("1\0", 2), false, &v), FACET_EINVAL);
}

TEST(hash)
{
    CHECK(facet_str_hash(FACET_STR_LIT("")) == 1469598103934665603ull);
    CHECK(facet_str_hash(FACET_STR_LIT("a")) == (1469598103934665603ull ^ 'a') * 1099511628211ull);
    CHECK(facet_str_hash(FACET_STR_LIT("\xff")) ==
          (1469598103934665603ull ^ 0xff) * 1099511628211ull);
    CHECK(facet_str_hash(FACET_STR_LIT("ab")) != facet_str_hash(FACET_STR_LIT("ba")));
    CHECK(facet_str_hash(facet_str("abc", 2)) == facet_str_hash(FACET_STR_LIT("ab")));
}

TEST(has_token)
{
    facet_str_t list = FACET_STR_LIT("keep-alive , Upgrade,close");
    CHECK(facet_str_has_token(list, FACET_STR_LIT("upgrade")));
    CHECK(facet_str_has_token(list, FACET_STR_LIT("Keep-Alive")));
    CHECK(facet_str_has_token(list, FACET_STR_LIT("close")));
    CHECK(!facet_str_has_token(list, FACET_STR_LIT("clos")));
    CHECK(!facet_str_has_token(FACET_STR_LIT(""), FACET_STR_LIT("close")));
    CHECK(!facet_str_has_token(FACET_STR_LIT("closed"), FACET_STR_LIT("close")));
}
