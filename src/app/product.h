/* The product's start-up state, shared read-only by every loop once built:
 * the gem catalogue, the access-token keys and the sign-in limits. Built
 * from the configuration by app_product_init, before the server starts. */
#ifndef FACET_APP_PRODUCT_H
#define FACET_APP_PRODUCT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "gql/schema.h"

typedef struct app_gem_package {
    char sku[64];
    int64_t gems;
    int64_t price_cents;
    char currency[8];
} app_gem_package_t;

struct app_product {
    app_gem_package_t *packages;
    size_t npackages;
    unsigned char jwt_key[128]; /* HS256 key of Facet's access tokens */
    size_t jwt_key_len;
    bool payments_dev;            /* FACET_PAYMENTS_PROVIDER=dev */
    struct auth_jwks_cache *jwks; /* identity provider keys when FACET_JWKS_URL is set */
    uv_timer_t jwks_timer;        /* on the main loop (jwks.c) */
    bool jwks_timer_on;
    /* product_start.c: start-up migration retried while MongoDB is away */
    uv_timer_t prepare_timer;
    bool prepare_timer_on;
    bool prepare_pending;
    bool prepare_running;
    struct app_media *media; /* images: storage, fetch, libvips, moderation (media.h) */
};

/* Parses FACET_GEM_PACKAGES ("sku:gems:priceCents:currency,..."). On error
 * returns FACET_EINVAL with a message naming the variable. The caller frees
 * *out with free(). */
int app_gem_packages_parse(const char *text, app_gem_package_t **out, size_t *n, char *err,
                           size_t errlen);
const app_gem_package_t *app_gem_package_find(const app_product_t *p, const char *sku);

/* Builds app->product from app->cfg. In production FACET_JWT_SECRET is
 * required; elsewhere a random key is made (tokens then die with the
 * process, and instances do not share them: a warning says so). */
int app_product_init(app_t *app, char *err, size_t errlen);
void app_product_free(app_t *app);

/* product_start.c: runs `facet migrate` (unless FACET_MIGRATE=0) and rolls
 * forward the wallets written in the last minutes, which a crashed instance
 * may have left behind their ledger. Blocking; before the server starts.
 * When MongoDB cannot be reached it returns FACET_OK and leaves the work to
 * app_product_start, which retries it every few seconds on the main loop
 * until it succeeds; an index conflict is an error (err says which). */
int app_product_prepare(app_t *app, char *err, size_t errlen);
void app_product_start(app_t *app, uv_loop_t *loop);
void app_product_stop(app_t *app);

/* Binds every resolver of schema/facet.graphql. */
int app_product_bind(gql_schema_t *schema, char *err, size_t errlen);

#endif
