/* Tests for core/error.h. */
#include <string.h>

#include "core/error.h"
#include "test.h"

TEST(strerror_names_every_code)
{
    CHECK_EQ_STR(facet_strerror(FACET_OK), "ok");
    CHECK_EQ_STR(facet_strerror(FACET_EDENIED), "denied by policy");
    CHECK_EQ_STR(facet_strerror(42), "unknown error");
}

TEST(errorf_writes_the_message_and_returns_the_code)
{
    char err[16] = "untouched";
    CHECK_EQ_INT(facet_errorf(err, sizeof err, FACET_ELIMIT, "%s is %d", "n", 7), FACET_ELIMIT);
    CHECK_EQ_STR(err, "n is 7");
    CHECK_EQ_INT(facet_errorf(err, sizeof err, FACET_EINVAL, "%s", "a longer message than fits"),
                 FACET_EINVAL);
    CHECK_EQ_STR(err, "a longer messag");
    CHECK_EQ_INT(facet_errorf(err, 0, FACET_EIO, "ignored"), FACET_EIO);
    CHECK_EQ_STR(err, "a longer messag");
    CHECK_EQ_INT(facet_errorf(NULL, 8, FACET_OK, "ignored"), FACET_OK);
}
