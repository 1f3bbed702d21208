/* The GraphiQL landing page (app/landing.c): which requests get it, and a
 * page whose Content-Security-Policy admits exactly its own inline code and
 * the CDN's origin. */
#include <openssl/evp.h>
#include <string.h>

#include "app/landing.h"
#include "core/error.h"
#include "gql/doc_cache.h"
#include "test.h"

#define BROWSER "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

TEST(browsers_prefer_html_graphql_clients_do_not)
{
    CHECK(app_landing_prefers_html(FACET_STR_LIT(BROWSER)));
    CHECK(app_landing_prefers_html(FACET_STR_LIT("TEXT/HTML")));
    CHECK(app_landing_prefers_html(FACET_STR_LIT("text/*")));
    CHECK(app_landing_prefers_html(FACET_STR_LIT("text/html, application/json;q=0.9")));
    CHECK(!app_landing_prefers_html(FACET_STR_NULL));
    CHECK(!app_landing_prefers_html(FACET_STR_LIT("")));
    CHECK(!app_landing_prefers_html(FACET_STR_LIT("*/*")));
    CHECK(!app_landing_prefers_html(FACET_STR_LIT("application/json")));
    CHECK(!app_landing_prefers_html(FACET_STR_LIT("application/graphql-response+json")));
    CHECK(!app_landing_prefers_html(FACET_STR_LIT("text/html;q=0.5, application/json")));
    /* A tie is not a preference: GraphQL wins. */
    CHECK(!app_landing_prefers_html(FACET_STR_LIT("application/graphql-response+json, text/html")));
    CHECK(!app_landing_prefers_html(FACET_STR_LIT("text/html;q=0")));
    /* The most specific range decides: text/html is refused here even
     * though any text type is welcome. */
    CHECK(
        !app_landing_prefers_html(FACET_STR_LIT("text/*, text/html;q=0, application/json;q=0.1")));
    CHECK(app_landing_prefers_html(FACET_STR_LIT("*/*;q=0.1, text/html ; q=0.2")));
}

TEST(graphql_parameters_in_the_query_string)
{
    CHECK(app_landing_has_graphql_params(FACET_STR_LIT("query=%7B+hello+%7D")));
    CHECK(app_landing_has_graphql_params(FACET_STR_LIT("a=1&query=")));
    CHECK(app_landing_has_graphql_params(FACET_STR_LIT("query")));
    CHECK(app_landing_has_graphql_params(FACET_STR_LIT("%71uery=1")));
    CHECK(app_landing_has_graphql_params(FACET_STR_LIT("extensions=%7B%7D")));
    CHECK(!app_landing_has_graphql_params(FACET_STR_NULL));
    CHECK(!app_landing_has_graphql_params(FACET_STR_LIT("")));
    CHECK(!app_landing_has_graphql_params(FACET_STR_LIT("queryx=1&q=2")));
    CHECK(!app_landing_has_graphql_params(FACET_STR_LIT("operationName=A&variables=%7B%7D")));
    CHECK(!app_landing_has_graphql_params(FACET_STR_LIT("&&=query&%7")));
}

/* The text between open (exclusive) and the next "</" in html. */
static facet_str_t inline_text(const facet_buf_t *html, const char *open)
{
    const char *from = memmem(html->base, html->len, open, strlen(open));
    CHECK(from != NULL);
    from += strlen(open);
    const char *to = memmem(from, html->len - (size_t)(from - html->base), "</", 2);
    CHECK(to != NULL);
    return facet_str(from, (size_t)(to - from));
}

static void check_hash_listed(const facet_buf_t *csp, const char *directive, facet_str_t text)
{
    uint8_t sha[GQL_SHA256_LEN];
    unsigned char b64[64];
    char want[128];
    gql_sha256(text.base, text.len, sha);
    EVP_EncodeBlock(b64, sha, GQL_SHA256_LEN);
    snprintf(want, sizeof want, "'sha256-%s'", (const char *)b64);
    const char *d = memmem(csp->base, csp->len, directive, strlen(directive));
    CHECK(d != NULL);
    const char *end = memchr(d, ';', csp->len - (size_t)(d - csp->base));
    CHECK(end != NULL);
    CHECK(memmem(d, (size_t)(end - d), want, strlen(want)) != NULL);
}

static bool has(const facet_buf_t *b, const char *s)
{
    return memmem(b->base, b->len, s, strlen(s)) != NULL;
}

TEST(the_page_and_its_policy)
{
    facet_buf_t html, csp;
    facet_buf_init(&html, 0);
    facet_buf_init(&csp, 0);
    CHECK_EQ_INT(app_landing_build("https://cdn.example.net/esm", FACET_STR_LIT("api.test:4000"),
                                   &html, &csp),
                 FACET_OK);
    CHECK(has(&html, "<link rel=\"stylesheet\" href=\"https://cdn.example.net/esm/graphiql@4."));
    CHECK(has(&html, "\"graphiql\":\"https://cdn.example.net/esm/graphiql@4."));
    CHECK(has(&html, "\"graphql-ws\":\"https://cdn.example.net/esm/graphql-ws@"));
    CHECK(has(&html, "location.protocol === 'https:' ? 'wss://' : 'ws://'"));
    /* Scripts and styles: the CDN's origin (not its path) and the hashes of
     * the page's own inline code, nothing else. */
    CHECK(has(&csp, "script-src https://cdn.example.net 'sha256-"));
    CHECK(has(&csp, "style-src https://cdn.example.net 'sha256-"));
    CHECK(!has(&csp, "unsafe"));
    CHECK(!has(&csp, "/esm"));
    check_hash_listed(&csp, "script-src", inline_text(&html, "<script type=\"importmap\">"));
    check_hash_listed(&csp, "script-src", inline_text(&html, "<script type=\"module\">"));
    check_hash_listed(&csp, "style-src", inline_text(&html, "<style>"));
    CHECK(has(&csp, "connect-src 'self' ws://api.test:4000 wss://api.test:4000;"));
    CHECK(has(&csp, "frame-ancestors 'none'"));
    facet_buf_free(&html);
    facet_buf_free(&csp);
}

TEST(a_host_header_unfit_for_the_policy_is_left_out)
{
    facet_buf_t html, csp;
    facet_buf_init(&html, 0);
    facet_buf_init(&csp, 0);
    CHECK_EQ_INT(
        app_landing_build("http://localhost:8080", FACET_STR_LIT("a b;script-src *"), &html, &csp),
        FACET_OK);
    CHECK(has(&csp, "script-src http://localhost:8080 'sha256-"));
    CHECK(has(&csp, "connect-src 'self'; "));
    CHECK(!has(&csp, "script-src *"));
    facet_buf_free(&csp);
    facet_buf_init(&csp, 0);
    facet_buf_free(&html);
    facet_buf_init(&html, 0);
    CHECK_EQ_INT(app_landing_build("http://localhost:8080", FACET_STR_NULL, &html, &csp), FACET_OK);
    CHECK(has(&csp, "connect-src 'self'; "));
    facet_buf_free(&html);
    facet_buf_free(&csp);
}
