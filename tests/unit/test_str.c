/* Tests for core/str.h. */
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
