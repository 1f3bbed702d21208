/* Tests for auth/password.h: the policy, Argon2id hashes made here and by
 * the reference implementation (phc-winner-argon2 vectors), rehash
 * decisions, malformed hashes, and first use from several threads. */
#include <pthread.h>

#include "auth/password.h"
#include "core/error.h"
#include "test.h"

/* Small limits keep the tests fast; the defaults get one test of their own. */
static const auth_password_opts_t fast = {.ops_limit = 1, .mem_limit = 64 * 1024};

/* Reference vectors: password "password", salt "somesalt". */
#define REF_ID \
    "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4"
#define REF_I \
    "$argon2i$v=19$m=65536,t=4,p=1$c29tZXNhbHQ$qqlT1YrzcGzj3xrv1KZKhOMdf1QXUjHxKFJZ+IF0zls"

static void expect_policy(const char *pw, size_t len, int want, const char *want_msg)
{
    char msg[96] = "";
    int rc = auth_password_check_policy(facet_str(pw, len), msg, sizeof msg);
    if (rc != want || (want_msg && strcmp(msg, want_msg) != 0)) {
        fprintf(stderr, "policy(%zu bytes): %d \"%s\", expected %d \"%s\"\n", len, rc, msg, want,
                want_msg ? want_msg : "");
        exit(1);
    }
}

TEST(policy_length_and_utf8)
{
    char big[300];
    memset(big, 'a', sizeof big);
    expect_policy("1234567", 7, FACET_EINVAL, "Password must be at least 8 bytes long.");
    expect_policy("", 0, FACET_EINVAL, "Password must be at least 8 bytes long.");
    expect_policy("12345678", 8, FACET_OK, NULL);
    expect_policy(big, 256, FACET_OK, NULL);
    expect_policy(big, 257, FACET_EINVAL, "Password must be at most 256 bytes long.");
    expect_policy("p\xc3\xa4sswo\xcc\x88rd \xf0\x9f\x94\x91", 16, FACET_OK, NULL);
    const char *bad[] = {"password\xff",         "password\xc0\xaf",
                         "password\xed\xa0\x80", "password\xf4\x90\x80\x80",
                         "password\xe2\x82",     "\x80password"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_policy(bad[i], strlen(bad[i]), FACET_EINVAL, "Password must be valid UTF-8 text.");
}

TEST(hash_then_verify)
{
    char h1[AUTH_PASSWORD_HASH_SIZE], h2[AUTH_PASSWORD_HASH_SIZE];
    CHECK_EQ_INT(auth_password_hash(&fast, FACET_STR_LIT("correct horse"), h1), FACET_OK);
    CHECK(strncmp(h1, "$argon2id$v=19$m=64,t=1,p=1$", 28) == 0);
    CHECK_EQ_INT(auth_password_hash(&fast, FACET_STR_LIT("correct horse"), h2), FACET_OK);
    CHECK(strcmp(h1, h2) != 0); /* fresh salt */
    CHECK_EQ_INT(auth_password_verify(facet_str_c(h1), FACET_STR_LIT("correct horse")), FACET_OK);
    CHECK_EQ_INT(auth_password_verify(facet_str_c(h2), FACET_STR_LIT("correct horse")), FACET_OK);
    CHECK_EQ_INT(auth_password_verify(facet_str_c(h1), FACET_STR_LIT("correct horsE")),
                 FACET_EPERM);
    CHECK_EQ_INT(auth_password_verify(facet_str_c(h1), FACET_STR_LIT("")), FACET_EPERM);
}

TEST(default_limits_are_interactive)
{
    char h[AUTH_PASSWORD_HASH_SIZE];
    CHECK_EQ_INT(auth_password_hash(NULL, FACET_STR_LIT("12345678"), h), FACET_OK);
    CHECK(strncmp(h, "$argon2id$v=19$m=65536,t=2,p=1$", 31) == 0);
    bool rehash = true;
    CHECK_EQ_INT(auth_password_needs_rehash(NULL, facet_str_c(h), &rehash), FACET_OK);
    CHECK(!rehash);
}

TEST(reference_vectors_verify)
{
    CHECK_EQ_INT(auth_password_verify(FACET_STR_LIT(REF_ID), FACET_STR_LIT("password")), FACET_OK);
    CHECK_EQ_INT(auth_password_verify(FACET_STR_LIT(REF_ID), FACET_STR_LIT("passwore")),
                 FACET_EPERM);
    CHECK_EQ_INT(auth_password_verify(FACET_STR_LIT(REF_I), FACET_STR_LIT("password")), FACET_OK);
    CHECK_EQ_INT(auth_password_verify(FACET_STR_LIT(REF_I), FACET_STR_LIT("Password")),
                 FACET_EPERM);
}

TEST(needs_rehash)
{
    bool r = false;
    char h[AUTH_PASSWORD_HASH_SIZE];
    CHECK_EQ_INT(auth_password_hash(&fast, FACET_STR_LIT("12345678"), h), FACET_OK);
    CHECK_EQ_INT(auth_password_needs_rehash(&fast, facet_str_c(h), &r), FACET_OK);
    CHECK(!r);
    auth_password_opts_t more_ops = {.ops_limit = 2, .mem_limit = fast.mem_limit};
    CHECK_EQ_INT(auth_password_needs_rehash(&more_ops, facet_str_c(h), &r), FACET_OK);
    CHECK(r);
    auth_password_opts_t more_mem = {.ops_limit = 1, .mem_limit = 128 * 1024};
    r = false;
    CHECK_EQ_INT(auth_password_needs_rehash(&more_mem, facet_str_c(h), &r), FACET_OK);
    CHECK(r);
    /* argon2i is always moved to argon2id, whatever its limits. */
    r = false;
    CHECK_EQ_INT(auth_password_needs_rehash(&fast, FACET_STR_LIT(REF_I), &r), FACET_OK);
    CHECK(r);
}

TEST(malformed_hashes_refused)
{
    const char *bad[] = {
        "",
        "password",
        "$2b$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ012",
        "$argon2id$",
        "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ",
        "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rE*F5h7TKyQwu9U1bMCHGi/4",
        "$argon2id$v=19$m=x,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
        "$argon2d$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
    };
    bool r;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (auth_password_verify(facet_str_c(bad[i]), FACET_STR_LIT("password")) != FACET_EINVAL ||
            auth_password_needs_rehash(&fast, facet_str_c(bad[i]), &r) != FACET_EINVAL) {
            fprintf(stderr, "accepted \"%s\"\n", bad[i]);
            exit(1);
        }
    }
    char big[300];
    memset(big, 'a', sizeof big);
    memcpy(big, "$argon2id$", 10);
    CHECK_EQ_INT(auth_password_verify(facet_str(big, sizeof big), FACET_STR_LIT("x")),
                 FACET_EINVAL);
    const char nul[] = "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65\0EOgLrQMR/";
    CHECK_EQ_INT(auth_password_verify(facet_str(nul, sizeof nul - 1), FACET_STR_LIT("x")),
                 FACET_EINVAL);
    CHECK_EQ_INT(auth_password_verify(FACET_STR_NULL, FACET_STR_LIT("x")), FACET_EINVAL);
}

TEST(hash_refuses_policy_and_bad_limits)
{
    char h[AUTH_PASSWORD_HASH_SIZE];
    CHECK_EQ_INT(auth_password_hash(&fast, FACET_STR_LIT("short"), h), FACET_EINVAL);
    CHECK_EQ_INT(auth_password_hash(&fast, FACET_STR_LIT("password\xff"), h), FACET_EINVAL);
    auth_password_opts_t tiny = {.ops_limit = 1, .mem_limit = 4096};
    CHECK_EQ_INT(auth_password_hash(&tiny, FACET_STR_LIT("12345678"), h), FACET_EINVAL);
    char err[96];
    CHECK_EQ_INT(auth_password_opts_check(&tiny, err, sizeof err), FACET_EINVAL);
    CHECK(strstr(err, "memory limit") != NULL);
    CHECK_EQ_INT(auth_password_opts_check(NULL, err, sizeof err), FACET_OK);
    CHECK_EQ_INT(auth_password_opts_check(&fast, err, sizeof err), FACET_OK);
    auth_password_opts_t huge_ops = {.ops_limit = 1ull << 33};
    CHECK_EQ_INT(auth_password_opts_check(&huge_ops, err, sizeof err), FACET_EINVAL);
    CHECK(strstr(err, "ops limit") != NULL);
}

TEST(overlong_password_never_matches)
{
    char big[400];
    memset(big, 'a', sizeof big);
    char h[AUTH_PASSWORD_HASH_SIZE];
    CHECK_EQ_INT(auth_password_hash(&fast, facet_str(big, 256), h), FACET_OK);
    CHECK_EQ_INT(auth_password_verify(facet_str_c(h), facet_str(big, 256)), FACET_OK);
    CHECK_EQ_INT(auth_password_verify(facet_str_c(h), facet_str(big, 257)), FACET_EPERM);
    /* burn accepts anything and returns after doing the work. */
    auth_password_burn(&fast, facet_str(big, sizeof big));
    auth_password_burn(&fast, FACET_STR_NULL);
}

static void *hash_in_thread(void *arg)
{
    char h[AUTH_PASSWORD_HASH_SIZE];
    intptr_t ok = auth_password_hash(&fast, FACET_STR_LIT("threaded pw"), h) == FACET_OK &&
                  auth_password_verify(facet_str_c(h), FACET_STR_LIT("threaded pw")) == FACET_OK;
    return (void *)ok;
}

TEST(first_use_from_many_threads)
{
    pthread_t t[8];
    for (int i = 0; i < 8; i++)
        CHECK_EQ_INT(pthread_create(&t[i], NULL, hash_in_thread, NULL), 0);
    for (int i = 0; i < 8; i++) {
        void *ok;
        CHECK_EQ_INT(pthread_join(t[i], &ok), 0);
        CHECK(ok != NULL);
    }
}
