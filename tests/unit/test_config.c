/* Tests for core/config.h: defaults, parsing, and errors naming the variable. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "core/error.h"
#include "test.h"

/* A fake environment: NULL-terminated name/value pairs. */
static const char *fake_env(void *ctx, const char *name)
{
    const char **kv = ctx;
    for (; kv && kv[0]; kv += 2) {
        if (strcmp(kv[0], name) == 0)
            return kv[1];
    }
    return NULL;
}

TEST(defaults)
{
    facet_config_t cfg;
    char err[256];
    CHECK_EQ_INT(facet_config_load(&cfg, fake_env, NULL, err, sizeof err), FACET_OK);
    CHECK_EQ_STR(cfg.host, "0.0.0.0");
    CHECK_EQ_INT(cfg.port, 4000);
    CHECK(cfg.threads >= 1);
    CHECK_EQ_STR(cfg.valkey_url, "redis://127.0.0.1:6379");
    CHECK_EQ_INT(cfg.max_body_size, 16 * 1024 * 1024);
    CHECK_EQ_INT(cfg.request_timeout_ms, 10000);
    CHECK_EQ_INT(cfg.log_level, FACET_LOG_INFO);
    facet_config_free(&cfg);
}

TEST(relative_data_dir_is_taken_from_the_working_directory)
{
    char cwd[4096], want[4200];
    CHECK(getcwd(cwd, sizeof cwd) != NULL);
    facet_config_t cfg;
    char err[256];
    CHECK_EQ_INT(facet_config_load(&cfg, fake_env, NULL, err, sizeof err), FACET_OK);
    snprintf(want, sizeof want, "%s/var/data", cwd);
    CHECK_EQ_STR(cfg.data_dir, want); /* the default, var/data */
    facet_config_free(&cfg);
    const char *dot[] = {"FACET_DATA_DIR", "./files", NULL};
    CHECK_EQ_INT(facet_config_load(&cfg, fake_env, dot, err, sizeof err), FACET_OK);
    snprintf(want, sizeof want, "%s/files", cwd);
    CHECK_EQ_STR(cfg.data_dir, want);
    facet_config_free(&cfg);
    const char *abs[] = {"FACET_DATA_DIR", "/srv/facet", NULL};
    CHECK_EQ_INT(facet_config_load(&cfg, fake_env, abs, err, sizeof err), FACET_OK);
    CHECK_EQ_STR(cfg.data_dir, "/srv/facet");
    facet_config_free(&cfg);
}

TEST(overrides)
{
    const char *env[] = {"FACET_PORT",
                         "8080",
                         "FACET_THREADS",
                         "3",
                         "FACET_MAX_BODY_SIZE",
                         "64KiB",
                         "FACET_IDLE_TIMEOUT",
                         "2m",
                         "FACET_LOG_LEVEL",
                         "debug",
                         "MONGODB_URI",
                         "mongodb://db/x",
                         NULL};
    facet_config_t cfg;
    char err[256];
    CHECK_EQ_INT(facet_config_load(&cfg, fake_env, env, err, sizeof err), FACET_OK);
    CHECK_EQ_INT(cfg.port, 8080);
    CHECK_EQ_INT(cfg.threads, 3);
    CHECK_EQ_INT(cfg.max_body_size, 65536);
    CHECK_EQ_INT(cfg.idle_timeout_ms, 120000);
    CHECK_EQ_INT(cfg.log_level, FACET_LOG_DEBUG);
    CHECK_EQ_STR(cfg.mongodb_uri, "mongodb://db/x");
    facet_config_free(&cfg);
}

static void expect_error(const char *name, const char *value, const char *fragment)
{
    const char *env[] = {name, value, NULL};
    facet_config_t cfg;
    char err[256] = "";
    CHECK_EQ_INT(facet_config_load(&cfg, fake_env, env, err, sizeof err), FACET_EINVAL);
    if (!strstr(err, name) || !strstr(err, fragment)) {
        fprintf(stderr, "message \"%s\" lacks \"%s\" or \"%s\"\n", err, name, fragment);
        exit(1);
    }
}

TEST(errors_name_the_variable)
{
    expect_error("FACET_PORT", "abc", "whole number");
    expect_error("FACET_PORT", "70000", "out of range");
    expect_error("FACET_PORT", "0", "out of range");
    expect_error("FACET_PORT", "-1", "whole number");
    expect_error("FACET_MAX_BODY_SIZE", "lots", "size");
    expect_error("FACET_REQUEST_TIMEOUT", "10 s", "duration");
    expect_error("FACET_REQUEST_TIMEOUT", "1ms", "out of range");
    expect_error("FACET_LOG_LEVEL", "loud", "debug, info");
    expect_error("FACET_HOST", "", "empty");
    expect_error("FACET_MAX_REQUEST_LINE", "1MiB", "FACET_MAX_HEADER_SIZE");
}

TEST(size_parser)
{
    uint64_t v;
    CHECK_EQ_INT(facet_config_parse_size("10", &v), FACET_OK);
    CHECK_EQ_INT(v, 10);
    CHECK_EQ_INT(facet_config_parse_size("2k", &v), FACET_OK);
    CHECK_EQ_INT(v, 2048);
    CHECK_EQ_INT(facet_config_parse_size("3MB", &v), FACET_OK);
    CHECK_EQ_INT(v, 3 * 1024 * 1024);
    CHECK_EQ_INT(facet_config_parse_size("1GiB", &v), FACET_OK);
    CHECK_EQ_INT(v, 1024LL * 1024 * 1024);
    CHECK_EQ_INT(facet_config_parse_size("4kIB", &v), FACET_OK);
    CHECK_EQ_INT(v, 4096);
    CHECK_EQ_INT(facet_config_parse_size("1T", &v), FACET_EINVAL);
    CHECK_EQ_INT(facet_config_parse_size("", &v), FACET_EINVAL);
    CHECK_EQ_INT(facet_config_parse_size("99999999999999999999", &v), FACET_ELIMIT);
    CHECK_EQ_INT(facet_config_parse_size("99999999999999g", &v), FACET_ELIMIT);
}

TEST(duration_parser)
{
    uint64_t v;
    CHECK_EQ_INT(facet_config_parse_duration("250", &v), FACET_OK);
    CHECK_EQ_INT(v, 250);
    CHECK_EQ_INT(facet_config_parse_duration("250ms", &v), FACET_OK);
    CHECK_EQ_INT(v, 250);
    CHECK_EQ_INT(facet_config_parse_duration("3s", &v), FACET_OK);
    CHECK_EQ_INT(v, 3000);
    CHECK_EQ_INT(facet_config_parse_duration("1h", &v), FACET_OK);
    CHECK_EQ_INT(v, 3600000);
    CHECK_EQ_INT(facet_config_parse_duration("1d", &v), FACET_OK);
    CHECK_EQ_INT(v, 86400000);
    CHECK_EQ_INT(facet_config_parse_duration("1w", &v), FACET_EINVAL);
    CHECK_EQ_INT(facet_config_parse_duration("3S", &v),
                 FACET_EINVAL); /* units are case-sensitive */
    CHECK_EQ_INT(facet_config_parse_duration("s", &v), FACET_EINVAL);
}

TEST(help_lists_every_variable)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    facet_config_print_help(f);
    fclose(f);
    const char *names[] = {"FACET_HOST",      "FACET_PORT",          "FACET_THREADS",
                           "MONGODB_URI",     "VALKEY_URL",          "FACET_DATA_DIR",
                           "FACET_LOG_LEVEL", "FACET_MAX_BODY_SIZE", "FACET_SHUTDOWN_TIMEOUT"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        CHECK(strstr(text, names[i]) != NULL);
    free(text);
}

TEST(graphql_settings)
{
    const char *env[] = {"FACET_ENV",
                         "production",
                         "FACET_GRAPHQL_BATCHING",
                         "yes",
                         "FACET_CSRF_PREVENTION",
                         "off",
                         "FACET_APQ_TTL",
                         "1h",
                         NULL};
    facet_config_t cfg;
    char err[256];
    CHECK_EQ_INT(facet_config_load(&cfg, fake_env, env, err, sizeof err), FACET_OK);
    CHECK(facet_config_production(&cfg));
    CHECK(!facet_config_introspection(&cfg)); /* auto follows FACET_ENV */
    CHECK(cfg.batching && !cfg.csrf_prevention);
    CHECK_EQ_INT(cfg.apq_ttl_ms, 3600000);
    CHECK_EQ_STR(cfg.schema, "schema");
    facet_config_free(&cfg);
    const char *env2[] = {"FACET_INTROSPECTION", "on", "FACET_ENV", "production", NULL};
    CHECK_EQ_INT(facet_config_load(&cfg, fake_env, env2, err, sizeof err), FACET_OK);
    CHECK(facet_config_introspection(&cfg));
    facet_config_free(&cfg);
    expect_error("FACET_ENV", "staging", "development,test,production");
    expect_error("FACET_INTROSPECTION", "maybe", "auto,on,off");
    expect_error("FACET_GRAPHQL_BATCHING", "sure", "true or false");
    expect_error("FACET_MAX_DEPTH", "0", "out of range");
}

TEST(load_env_reads_the_process_environment_and_names_the_command)
{
    setenv("FACET_PORT", "8081", 1);
    facet_config_t cfg;
    CHECK_EQ_INT(facet_config_load_env(&cfg, "facet test"), FACET_OK);
    CHECK_EQ_INT(cfg.port, 8081);
    facet_config_free(&cfg);

    setenv("FACET_PORT", "none", 1);
    FILE *f = tmpfile();
    CHECK(f != NULL);
    fflush(stderr);
    int saved = dup(2);
    CHECK(saved >= 0 && dup2(fileno(f), 2) == 2);
    int rc = facet_config_load_env(&cfg, "facet test");
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    CHECK_EQ_INT(rc, FACET_EINVAL);
    char text[256];
    rewind(f);
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    CHECK_EQ_STR(text,
                 "facet test: invalid configuration: FACET_PORT: \"none\" is not a whole number\n");
}
