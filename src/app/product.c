/* The product's start-up state and the binding of its resolvers. */
#include "app/product.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/accounts.h"
#include "app/activity.h"
#include "app/images.h"
#include "app/jwks.h"
#include "app/media.h"
#include "app/users.h"
#include "app/wallet.h"
#include "auth/jwks.h"
#include "core/error.h"
#include "core/log.h"
#include "store/mongo.h"

static int parse_package(const char *item, size_t len, app_gem_package_t *p)
{
    char buf[160], *save = NULL;
    if (len >= sizeof buf)
        return FACET_EINVAL;
    memcpy(buf, item, len);
    buf[len] = '\0';
    char *sku = strtok_r(buf, ":", &save), *gems = strtok_r(NULL, ":", &save);
    char *price = strtok_r(NULL, ":", &save), *cur = strtok_r(NULL, ":", &save);
    if (!sku || !gems || !price || !cur || strtok_r(NULL, ":", &save))
        return FACET_EINVAL;
    char *end;
    errno = 0;
    long long g = strtoll(gems, &end, 10);
    if (errno || *end || g <= 0 || g > 1000000000)
        return FACET_EINVAL;
    long long c = strtoll(price, &end, 10);
    if (errno || *end || c < 0 || c > 100000000)
        return FACET_EINVAL;
    if (strlen(sku) >= sizeof p->sku || strlen(cur) != 3)
        return FACET_EINVAL;
    snprintf(p->sku, sizeof p->sku, "%s", sku);
    snprintf(p->currency, sizeof p->currency, "%s", cur);
    p->gems = g;
    p->price_cents = c;
    return FACET_OK;
}

int app_gem_packages_parse(const char *text, app_gem_package_t **out, size_t *n, char *err,
                           size_t errlen)
{
    size_t cap = 1;
    for (const char *p = text; *p; p++)
        cap += *p == ',';
    app_gem_package_t *list = calloc(cap, sizeof *list);
    if (!list)
        return FACET_ENOMEM;
    size_t count = 0;
    for (const char *p = text; *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (parse_package(p, len, &list[count]) != FACET_OK) {
            snprintf(err, errlen,
                     "FACET_GEM_PACKAGES: \"%.*s\" is not sku:gems:priceCents:currency "
                     "(gems > 0, a three-letter currency)",
                     (int)(len > 80 ? 80 : len), p);
            free(list);
            return FACET_EINVAL;
        }
        for (size_t i = 0; i < count; i++) {
            if (strcmp(list[i].sku, list[count].sku) == 0) {
                snprintf(err, errlen, "FACET_GEM_PACKAGES: sku %s appears twice", list[i].sku);
                free(list);
                return FACET_EINVAL;
            }
        }
        count++;
        p += len + (comma ? 1 : 0);
    }
    *out = list;
    *n = count;
    return FACET_OK;
}

const app_gem_package_t *app_gem_package_find(const app_product_t *p, const char *sku)
{
    for (size_t i = 0; i < p->npackages; i++) {
        if (strcmp(p->packages[i].sku, sku) == 0)
            return &p->packages[i];
    }
    return NULL;
}

static int jwt_key(app_product_t *p, const facet_config_t *cfg, char *err, size_t errlen)
{
    if (cfg->jwt_secret) {
        size_t len = strlen(cfg->jwt_secret);
        if (len < 32 || len > sizeof p->jwt_key) {
            snprintf(err, errlen, "FACET_JWT_SECRET: must be 32 to %zu bytes long",
                     sizeof p->jwt_key);
            return FACET_EINVAL;
        }
        memcpy(p->jwt_key, cfg->jwt_secret, len);
        p->jwt_key_len = len;
        return FACET_OK;
    }
    if (facet_config_production(cfg)) {
        snprintf(err, errlen, "FACET_JWT_SECRET: required when FACET_ENV=production");
        return FACET_EINVAL;
    }
    if (sodium_init() < 0) {
        snprintf(err, errlen, "FACET_JWT_SECRET: no random source to make a key");
        return FACET_EIO;
    }
    randombytes_buf(p->jwt_key, 32);
    p->jwt_key_len = 32;
    facet_log_msg(FACET_LOG_WARN, "FACET_JWT_SECRET is not set: access tokens are signed with a "
                                  "random key, valid only in this process");
    return FACET_OK;
}

int app_product_init(app_t *app, char *err, size_t errlen)
{
    const facet_config_t *cfg = app->cfg;
    app_product_t *p = calloc(1, sizeof *p);
    if (!p)
        return FACET_ENOMEM;
    app->product = p;
    p->payments_dev = strcmp(cfg->payments_provider, "dev") == 0;
    int rc = app_gem_packages_parse(cfg->gem_packages, &p->packages, &p->npackages, err, errlen);
    if (rc == FACET_OK)
        rc = jwt_key(p, cfg, err, errlen);
    if (rc == FACET_OK)
        rc = app_jwks_init(app, err, errlen);
    if (rc == FACET_OK)
        rc = app_media_init(cfg, NULL, &p->media, err, errlen);
    if (rc != FACET_OK) {
        app_product_free(app);
        return rc;
    }
    return FACET_OK;
}

void app_product_free(app_t *app)
{
    app_product_t *p = app->product;
    if (!p)
        return;
    free(p->packages);
    app_media_free(p->media);
    if (p->jwks)
        auth_jwks_cache_free(p->jwks);
    sodium_memzero(p->jwt_key, sizeof p->jwt_key);
    free(p);
    app->product = NULL;
}

int app_product_bind(gql_schema_t *schema, char *err, size_t errlen)
{
    int rc = app_accounts_bind(schema, err, errlen);
    if (rc == FACET_OK)
        rc = app_users_bind(schema, err, errlen);
    if (rc == FACET_OK)
        rc = app_wallet_bind(schema, err, errlen);
    if (rc == FACET_OK)
        rc = app_images_bind(schema, err, errlen);
    if (rc == FACET_OK)
        rc = app_activity_bind(schema, err, errlen);
    return rc;
}
