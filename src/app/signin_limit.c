/* Sign-in attempts limited in Valkey, per client address and per account
 * (FACET_SIGNIN_LIMIT_ADDRESS / _ACCOUNT within FACET_SIGNIN_WINDOW, then
 * refused for FACET_SIGNIN_LOCKOUT). Every attempt counts; a successful
 * sign-in clears the account's count. When Valkey cannot answer, sign-in
 * goes on (logged): an outage of the cache must not lock everyone out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/accounts.h"
#include "app/resolve.h"
#include "cache/ratelimit.h"
#include "core/error.h"
#include "core/log.h"

typedef struct attempt {
    gql_resolve_t *r;
    char *email;
    char *password;
    bool account_step; /* the address was allowed; now the account */
} attempt_t;

static void attempt_free(attempt_t *a)
{
    if (a->password) {
        memset(a->password, 0, strlen(a->password));
        free(a->password);
    }
    free(a->email);
    free(a);
}

static cache_ratelimit_opts_t opts_of(const facet_config_t *cfg, bool account)
{
    return (cache_ratelimit_opts_t){
        .limit = (uint32_t)(account ? cfg->signin_limit_account : cfg->signin_limit_address),
        .window_ms = cfg->signin_window_ms,
        .lockout_ms = cfg->signin_lockout_ms,
        .timeout_ms = cfg->dependency_timeout_ms,
    };
}

/* The key of a bucket; the account's is the lower-cased e-mail, hashed. */
static void key_of(facet_buf_t *b, bool account, const app_exec_ctx_t *ctx, const char *email)
{
    char lower[256];
    size_t n = 0;
    for (; email[n] && n < sizeof lower - 1; n++)
        lower[n] = (char)((email[n] >= 'A' && email[n] <= 'Z') ? email[n] + 32 : email[n]);
    lower[n] = '\0';
    if (account)
        cache_ratelimit_key(b, "signin:acct", facet_str_c(lower), true);
    else
        cache_ratelimit_key(b, "signin:addr", facet_str_c(ctx->address[0] ? ctx->address : "-"),
                            false);
}

static int check(attempt_t *a);

static void on_decided(int status, const cache_ratelimit_result_t *res, void *ud)
{
    attempt_t *a = ud;
    if (status != FACET_OK) {
        facet_log_kv(FACET_LOG_WARN, "sign-in limit unavailable; attempt allowed", "error",
                     facet_strerror(status));
    } else if (!res->allowed) {
        uint64_t s = (res->retry_after_ms + 999) / 1000;
        gql_resolve_fail(a->r, "RATE_LIMITED",
                         "Too many sign-in attempts; try again in %llu seconds.",
                         (unsigned long long)s);
        return attempt_free(a);
    }
    if (!a->account_step) {
        a->account_step = true;
        if (check(a) == FACET_OK)
            return;
    }
    app_sign_in_run(a->r, a->email, a->password);
    attempt_free(a);
}

static int check(attempt_t *a)
{
    app_exec_ctx_t *ctx = app_ctx(a->r);
    facet_buf_t key;
    facet_buf_init(&key, 0);
    key_of(&key, a->account_step, ctx, a->email);
    cache_ratelimit_opts_t o = opts_of(ctx->app->cfg, a->account_step);
    int rc = cache_ratelimit_hit(ctx->aw->valkey, facet_str(key.base, key.len), &o, on_decided, a);
    facet_buf_free(&key);
    return rc;
}

void app_sign_in_limited(gql_resolve_t *r, const char *email, const char *password)
{
    attempt_t *a = calloc(1, sizeof *a);
    if (!a || !(a->email = strdup(email)) || !(a->password = strdup(password))) {
        if (a)
            attempt_free(a);
        return app_fail_internal(r, "out of memory");
    }
    a->r = r;
    if (check(a) == FACET_OK)
        return;
    a->account_step = true;
    if (check(a) == FACET_OK)
        return;
    app_sign_in_run(r, email, password);
    attempt_free(a);
}

void app_sign_in_failed(gql_resolve_t *r, const char *email)
{
    (void)email;
    gql_resolve_fail(r, APP_CODE_UNAUTHENTICATED, "Wrong e-mail address or password.");
}

static void on_reset(int status, void *ud)
{
    (void)status, (void)ud;
}

void app_sign_in_succeeded(gql_resolve_t *r, const char *email)
{
    app_exec_ctx_t *ctx = app_ctx(r);
    facet_buf_t key;
    facet_buf_init(&key, 0);
    key_of(&key, true, ctx, email);
    cache_ratelimit_reset(ctx->aw->valkey, facet_str(key.base, key.len),
                          ctx->app->cfg->dependency_timeout_ms, on_reset, NULL);
    facet_buf_free(&key);
}
