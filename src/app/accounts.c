/* Accounts: signUp, signIn, refreshSession and signOut. Passwords are
 * hashed and verified on the thread pool (Argon2id); a session is a family
 * of refresh tokens stored hashed, rotated on every refresh. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/accounts.h"
#include "app/product.h"
#include "app/resolve.h"
#include "app/users.h"
#include "auth/jwt.h"
#include "auth/password.h"
#include "auth/token.h"
#include "core/error.h"
#include "gql/json.h"
#include "store/sessions.h"
#include "store/users.h"

typedef enum { OP_SIGN_UP, OP_SIGN_IN, OP_REFRESH, OP_SIGN_OUT } op_t;

typedef struct auth_job {
    gql_resolve_t *r;
    app_t *app;
    op_t op;
    char *email, *username, *password, *token; /* owned copies */
    auth_password_opts_t pw;
    int64_t refresh_ttl_ms;
    /* results */
    store_user_t user;
    store_session_t session;
    store_session_refusal_t why;
    char refresh[AUTH_TOKEN_TEXT_LEN + 1];
    store_error_t err;
    bool wrong_password;
} auth_job_t;

static void job_free(auth_job_t *j)
{
    if (j->password) {
        memset(j->password, 0, strlen(j->password));
        free(j->password);
    }
    free(j->email);
    free(j->username);
    free(j->token);
    free(j);
}

/* ---- on the thread pool ---- */

static int new_session(mongoc_client_t *client, const char *db, auth_job_t *j)
{
    char hash[STORE_TOKEN_HASH_SIZE];
    if (auth_token_new(j->refresh) != FACET_OK)
        return FACET_EIO;
    auth_token_hash(facet_str_c(j->refresh), hash);
    int64_t now = store_now_ms();
    return store_session_create(client, db, j->user.id, hash, now + j->refresh_ttl_ms, now,
                                &j->session, &j->err);
}

static int sign_up_work(mongoc_client_t *client, const char *db, auth_job_t *j)
{
    char hash[AUTH_PASSWORD_HASH_SIZE];
    int rc = auth_password_hash(&j->pw, facet_str_c(j->password), hash);
    if (rc != FACET_OK)
        return rc;
    store_user_new_t in = {.email = j->email, .username = j->username, .password_hash = hash};
    rc = store_user_create(client, db, &in, store_now_ms(), &j->user, &j->err);
    return rc ? rc : new_session(client, db, j);
}

static int sign_in_work(mongoc_client_t *client, const char *db, auth_job_t *j)
{
    int rc = store_user_find_for_sign_in(client, db, j->email, &j->user, &j->err);
    if (rc == FACET_ENOTFOUND) {
        auth_password_burn(&j->pw, facet_str_c(j->password));
        j->wrong_password = true;
        return FACET_EPERM;
    }
    if (rc != FACET_OK)
        return rc;
    rc = auth_password_verify(facet_str_c(j->user.password_hash), facet_str_c(j->password));
    memset(j->user.password_hash, 0, sizeof j->user.password_hash);
    if (rc != FACET_OK) {
        j->wrong_password = true;
        return FACET_EPERM;
    }
    return new_session(client, db, j);
}

static int refresh_work(mongoc_client_t *client, const char *db, auth_job_t *j)
{
    char old_hash[STORE_TOKEN_HASH_SIZE], new_hash[STORE_TOKEN_HASH_SIZE];
    auth_token_hash(facet_str_c(j->token), old_hash);
    if (auth_token_new(j->refresh) != FACET_OK)
        return FACET_EIO;
    auth_token_hash(facet_str_c(j->refresh), new_hash);
    int64_t now = store_now_ms();
    int rc = store_session_rotate(client, db, old_hash, new_hash, now + j->refresh_ttl_ms, now,
                                  &j->session, &j->why, &j->err);
    return rc ? rc : store_user_find(client, db, j->session.user_id, &j->user, &j->err);
}

static int sign_out_work(mongoc_client_t *client, const char *db, auth_job_t *j)
{
    char hash[STORE_TOKEN_HASH_SIZE];
    auth_token_hash(facet_str_c(j->token), hash);
    return store_session_revoke(client, db, hash, store_now_ms(), &j->err);
}

static int auth_work(mongoc_client_t *client, const char *db, void *ud)
{
    auth_job_t *j = ud;
    switch (j->op) {
    case OP_SIGN_UP:
        return sign_up_work(client, db, j);
    case OP_SIGN_IN:
        return sign_in_work(client, db, j);
    case OP_REFRESH:
        return refresh_work(client, db, j);
    case OP_SIGN_OUT:
        return sign_out_work(client, db, j);
    }
    return FACET_EINVAL;
}

/* ---- back on the loop ---- */

/* {accessToken, refreshToken, expiresAt, user} for j's user and session. */
static void answer_payload(auth_job_t *j)
{
    const facet_config_t *cfg = j->app->cfg;
    const app_product_t *p = j->app->product;
    int64_t now = (int64_t)time(NULL);
    int64_t exp = now + (int64_t)(cfg->access_token_ttl_ms / 1000);
    auth_jwt_sign_claims_t c = {
        .sub = facet_str_c(j->user.id),
        .iss = facet_str_c(cfg->jwt_issuer),
        .aud = cfg->jwt_audience ? facet_str_c(cfg->jwt_audience) : FACET_STR_NULL,
        .sid = facet_str_c(j->session.family),
        .role = j->user.role == STORE_ROLE_ADMIN ? AUTH_ROLE_ADMIN : AUTH_ROLE_USER,
        .iat = now,
        .exp = exp,
    };
    facet_buf_t b;
    facet_buf_init(&b, 0);
    facet_buf_append_str(&b, "{\"accessToken\":\"");
    if (auth_jwt_sign_hs256(facet_str((const char *)p->jwt_key, p->jwt_key_len), &c, &b) !=
        FACET_OK) {
        facet_buf_free(&b);
        return app_fail_internal(j->r, "cannot sign an access token");
    }
    char at[32];
    app_iso_time(exp * 1000, at);
    facet_buf_printf(&b, "\",\"refreshToken\":\"%s\",\"expiresAt\":\"%s\",\"user\":", j->refresh,
                     at);
    app_user_json(&b, &j->user);
    /* The user just proved who they are: their private fields are theirs
     * to see, though the request itself came without a token. */
    b.len--;
    facet_buf_append_str(&b, ",\"" APP_USER_OWNER_MARK "\":true}}");
    app_resolve_json_text(j->r, b.base, b.len);
    facet_buf_free(&b);
}

static void fail_sign_up(auth_job_t *j, int status)
{
    if (status == FACET_EEXIST && strcmp(j->err.index, "username") == 0)
        return gql_resolve_fail(j->r, "USERNAME_TAKEN", "That username is taken.");
    if (status == FACET_EEXIST)
        return gql_resolve_fail(j->r, "EMAIL_TAKEN", "That e-mail address is already registered.");
    if (status == FACET_EINVAL || status == FACET_ELIMIT)
        return gql_resolve_fail(j->r, APP_CODE_BAD_USER_INPUT, "%s", j->err.message);
    app_fail_internal(j->r, "sign-up failed: %s (%s)", facet_strerror(status), j->err.message);
}

static void fail_refresh(auth_job_t *j, int status)
{
    if (status == FACET_EPERM && j->why == STORE_SESSION_REUSED)
        return gql_resolve_fail(j->r, APP_CODE_UNAUTHENTICATED,
                                "This refresh token was already used; the session is revoked. "
                                "Sign in again.");
    if (status == FACET_EPERM && j->why == STORE_SESSION_EXPIRED)
        return gql_resolve_fail(j->r, APP_CODE_UNAUTHENTICATED,
                                "The session has expired. Sign in again.");
    if (status == FACET_EPERM || status == FACET_ENOTFOUND || status == FACET_EINVAL)
        return gql_resolve_fail(j->r, APP_CODE_UNAUTHENTICATED,
                                "The refresh token is not valid. Sign in again.");
    app_fail_internal(j->r, "refresh failed: %s (%s)", facet_strerror(status), j->err.message);
}

static void auth_done(int status, void *ud)
{
    auth_job_t *j = ud;
    /* Before answering: the answer may end the request and its context. */
    if (status == FACET_OK && j->op == OP_SIGN_IN)
        app_sign_in_succeeded(j->r, j->email);
    if (status == FACET_OK && j->op == OP_SIGN_OUT)
        gql_resolve_json(j->r, &gql_value_true);
    else if (status == FACET_OK)
        answer_payload(j);
    else if (j->op == OP_SIGN_UP)
        fail_sign_up(j, status);
    else if (j->op == OP_REFRESH)
        fail_refresh(j, status);
    else if (j->op == OP_SIGN_IN && j->wrong_password)
        app_sign_in_failed(j->r, j->email);
    else
        app_fail_internal(j->r, "%s failed: %s (%s)", j->op == OP_SIGN_IN ? "sign-in" : "sign-out",
                          facet_strerror(status), j->err.message);
    job_free(j);
}

static auth_job_t *job_new(gql_resolve_t *r, op_t op)
{
    auth_job_t *j = calloc(1, sizeof *j);
    if (!j)
        return NULL;
    app_exec_ctx_t *ctx = app_ctx(r);
    j->r = r;
    j->app = ctx->app;
    j->op = op;
    j->pw = (auth_password_opts_t){(unsigned long long)ctx->app->cfg->password_ops,
                                   (size_t)ctx->app->cfg->password_memory};
    j->refresh_ttl_ms = (int64_t)ctx->app->cfg->refresh_token_ttl_ms;
    return j;
}

static void run(gql_resolve_t *r, auth_job_t *j)
{
    if (!app_db(r, auth_work, auth_done, j))
        job_free(j);
}

/* ---- input checks ---- */

static bool valid_email(const char *s)
{
    const char *at = s ? strchr(s, '@') : NULL;
    size_t n = s ? strlen(s) : 0;
    if (!at || at == s || n > STORE_EMAIL_MAX || strchr(at + 1, '@') || !strchr(at + 1, '.') ||
        at[1] == '.' || s[n - 1] == '.')
        return false;
    for (const char *p = s; *p; p++) {
        if ((unsigned char)*p <= ' ' || *p == 0x7f)
            return false;
    }
    return true;
}

static bool valid_username(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n < 3 || n > 32)
        return false;
    for (const char *p = s; *p; p++) {
        if (!isalnum((unsigned char)*p) && *p != '_' && *p != '.' && *p != '-')
            return false;
    }
    return true;
}

/* ---- the resolvers ---- */

static void sign_up(gql_resolve_t *r)
{
    const gql_value_t *in = gql_resolve_arg(r, "input");
    const char *email = app_arg_str(r, in, "email"), *username = app_arg_str(r, in, "username");
    const char *password = app_arg_str(r, in, "password");
    char msg[160];
    if (!valid_email(email))
        return gql_resolve_fail(r, APP_CODE_BAD_USER_INPUT, "That is not an e-mail address.");
    if (!valid_username(username))
        return gql_resolve_fail(r, APP_CODE_BAD_USER_INPUT,
                                "A username is 3 to 32 letters, digits, '_', '.' or '-'.");
    if (auth_password_check_policy(facet_str_c(password ? password : ""), msg, sizeof msg) !=
        FACET_OK)
        return gql_resolve_fail(r, APP_CODE_BAD_USER_INPUT, "%s", msg);
    auth_job_t *j = job_new(r, OP_SIGN_UP);
    if (!j)
        return app_fail_internal(r, "out of memory");
    j->email = strdup(email);
    j->username = strdup(username);
    j->password = strdup(password);
    if (!j->email || !j->username || !j->password) {
        job_free(j);
        return app_fail_internal(r, "out of memory");
    }
    run(r, j);
}

void app_sign_in_run(gql_resolve_t *r, const char *email, const char *password)
{
    auth_job_t *j = job_new(r, OP_SIGN_IN);
    if (!j)
        return app_fail_internal(r, "out of memory");
    j->email = strdup(email);
    j->password = strdup(password);
    if (!j->email || !j->password) {
        job_free(j);
        return app_fail_internal(r, "out of memory");
    }
    run(r, j);
}

static void sign_in(gql_resolve_t *r)
{
    const gql_value_t *in = gql_resolve_arg(r, "input");
    const char *email = app_arg_str(r, in, "email"), *password = app_arg_str(r, in, "password");
    if (!email || !password)
        return gql_resolve_fail(r, APP_CODE_BAD_USER_INPUT, "email and password are required.");
    app_sign_in_limited(r, email, password);
}

static void with_token(gql_resolve_t *r, op_t op)
{
    const char *token = app_arg_str(r, gql_resolve_args(r), "refreshToken");
    if (!token || !*token || strlen(token) > 512)
        return gql_resolve_fail(r, APP_CODE_BAD_USER_INPUT, "refreshToken is required.");
    auth_job_t *j = job_new(r, op);
    if (!j || !(j->token = strdup(token))) {
        if (j)
            job_free(j);
        return app_fail_internal(r, "out of memory");
    }
    run(r, j);
}

static void refresh_session(gql_resolve_t *r)
{
    with_token(r, OP_REFRESH);
}

static void sign_out(gql_resolve_t *r)
{
    with_token(r, OP_SIGN_OUT);
}

int app_accounts_bind(gql_schema_t *schema, char *err, size_t errlen)
{
    static const app_binding_t bindings[] = {
        {"Mutation", "signUp", sign_up},
        {"Mutation", "signIn", sign_in},
        {"Mutation", "refreshSession", refresh_session},
        {"Mutation", "signOut", sign_out},
    };
    return app_bind_all(schema, bindings, sizeof bindings / sizeof bindings[0], err, errlen);
}
