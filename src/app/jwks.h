/* Keeping the identity provider's signing keys (FACET_JWKS_URL) fresh. */
#ifndef FACET_APP_JWKS_H
#define FACET_APP_JWKS_H

#include <stdbool.h>
#include <uv.h>

#include "app/app.h"

/* Creates the key cache and fetches it once (blocking, at start-up; a
 * failure is logged, not fatal). Nothing when FACET_JWKS_URL is unset. */
int app_jwks_init(app_t *app, char *err, size_t errlen);

/* Fetches again on loop's thread pool if the cache says it is due
 * (unknown_kid: a token named a key the set lacks). */
void app_jwks_refresh(app_t *app, uv_loop_t *loop, bool unknown_kid);

/* The periodic refresh on the main loop, and its end at shutdown. */
void app_jwks_start(app_t *app, uv_loop_t *loop);
void app_jwks_stop(app_t *app);

#endif
