/* FACET_GRAPHIQL_URL (core/config.c): the landing page's CDN base URL is
 * checked at start-up, since it ends up in HTML, an import map and a
 * Content-Security-Policy header. */
#include <string.h>

#include "core/config.h"
#include "core/error.h"
#include "test.h"

static const char *one_var(void *ctx, const char *name)
{
    return strcmp(name, "FACET_GRAPHIQL_URL") == 0 ? ctx : NULL;
}

/* Loads with FACET_GRAPHIQL_URL=value; returns the status and, on success,
 * the value kept (in out). */
static int load(const char *value, char *out, size_t outlen, char *err, size_t errlen)
{
    facet_config_t cfg;
    int rc = facet_config_load(&cfg, one_var, (void *)value, err, errlen);
    if (rc == FACET_OK) {
        snprintf(out, outlen, "%s", cfg.graphiql_url);
        facet_config_free(&cfg);
    }
    return rc;
}

TEST(default_and_accepted_values)
{
    char got[256], err[256];
    facet_config_t cfg;
    CHECK_EQ_INT(facet_config_load(&cfg, one_var, NULL, err, sizeof err), FACET_OK);
    CHECK_EQ_STR(cfg.graphiql_url, "https://esm.sh");
    facet_config_free(&cfg);
    CHECK_EQ_INT(load("http://cdn.internal:8080/esm/", got, sizeof got, err, sizeof err), FACET_OK);
    CHECK_EQ_STR(got, "http://cdn.internal:8080/esm"); /* trailing slashes dropped */
    CHECK_EQ_INT(load("https://esm.sh//", got, sizeof got, err, sizeof err), FACET_OK);
    CHECK_EQ_STR(got, "https://esm.sh");
}

TEST(refused_values_name_the_variable)
{
    static const char *bad[] = {"esm.sh",
                                "ftp://esm.sh",
                                "https://",
                                "https:///path",
                                "https://esm.sh/\"><script>",
                                "https://esm.sh; script-src *",
                                "https://esm.sh/a b",
                                "https://esm.sh/?x=1",
                                "https://esm.sh/#top",
                                "javascript:alert(1)"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char got[256], err[256] = "";
        CHECK_EQ_INT(load(bad[i], got, sizeof got, err, sizeof err), FACET_EINVAL);
        CHECK(strncmp(err, "FACET_GRAPHIQL_URL: ", 20) == 0);
    }
}
