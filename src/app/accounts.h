/* Accounts: sign-up, sign-in (rate-limited), refresh and sign-out. */
#ifndef FACET_APP_ACCOUNTS_H
#define FACET_APP_ACCOUNTS_H

#include "gql/exec.h"
#include "gql/schema.h"

int app_accounts_bind(gql_schema_t *schema, char *err, size_t errlen);

/* accounts.c: checks the password and answers r (no rate limit). */
void app_sign_in_run(gql_resolve_t *r, const char *email, const char *password);

/* signin_limit.c: sign-in attempts limited per client address and per
 * account in Valkey. app_sign_in_limited refuses with RATE_LIMITED (and
 * the seconds to wait) or calls app_sign_in_run; the run reports back. */
void app_sign_in_limited(gql_resolve_t *r, const char *email, const char *password);
void app_sign_in_failed(gql_resolve_t *r, const char *email);
void app_sign_in_succeeded(gql_resolve_t *r, const char *email);

#endif
