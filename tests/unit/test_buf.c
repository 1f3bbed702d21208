/* Tests for core/buf.h. */
#include "core/buf.h"
#include "core/error.h"
#include "core/str.h"
#include "test.h"

#define CHECK_BUF(b, cstr)                             \
    do {                                               \
        facet_str_t s_ = facet_str((b).base, (b).len); \
        CHECK_SLICE(s_, cstr);                         \
    } while (0)

TEST(append_and_consume)
{
    facet_buf_t b;
    facet_buf_init(&b, 0);
    CHECK_EQ_INT(facet_buf_append_str(&b, "hello "), FACET_OK);
    CHECK_EQ_INT(facet_buf_printf(&b, "%s %d", "world", 42), FACET_OK);
    CHECK_BUF(b, "hello world 42");
    facet_buf_consume(&b, 6);
    CHECK_BUF(b, "world 42");
    facet_buf_consume(&b, 100);
    CHECK_EQ_INT(b.len, 0);
    facet_buf_free(&b);
}

TEST(printf_longer_than_scratch)
{
    facet_buf_t b;
    facet_buf_init(&b, 0);
    char big[1000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    CHECK_EQ_INT(facet_buf_printf(&b, "<%s>", big), FACET_OK);
    CHECK_EQ_INT(b.len, 1001);
    CHECK(b.base[0] == '<' && b.base[1000] == '>');
    facet_buf_free(&b);
}

TEST(limit_is_enforced_and_contents_kept)
{
    facet_buf_t b;
    facet_buf_init(&b, 8);
    CHECK_EQ_INT(facet_buf_append_str(&b, "12345"), FACET_OK);
    CHECK_EQ_INT(facet_buf_append_str(&b, "6789"), FACET_ELIMIT);
    CHECK_BUF(b, "12345");
    CHECK_EQ_INT(facet_buf_append_str(&b, "678"), FACET_OK);
    CHECK_BUF(b, "12345678");
    CHECK(b.cap <= 8);
    facet_buf_free(&b);
}

TEST(json_escaping)
{
    facet_buf_t b;
    facet_buf_init(&b, 0);
    const char in[] = "a\"b\\c\nd\re\tf\x01g\xc3\xa9h\xff";
    CHECK_EQ_INT(facet_buf_append_json_escaped(&b, in, sizeof in - 1), FACET_OK);
    CHECK_BUF(b, "a\\\"b\\\\c\\nd\\re\\tf\\u0001g\xc3\xa9h\xef\xbf\xbd");
    facet_buf_free(&b);
}

TEST(json_escaping_rejects_overlong_and_surrogates)
{
    facet_buf_t b;
    facet_buf_init(&b, 0);
    /* An overlong '/', a UTF-16 surrogate and a truncated sequence. */
    const char in[] = "\xc0\xaf|\xed\xa0\x80|\xe2\x82";
    CHECK_EQ_INT(facet_buf_append_json_escaped(&b, in, sizeof in - 1), FACET_OK);
    CHECK_BUF(b, "\xef\xbf\xbd\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd|"
                 "\xef\xbf\xbd\xef\xbf\xbd");
    facet_buf_free(&b);
}
