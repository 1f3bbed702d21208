/* Table-driven loading of FACET_* (and MONGODB_URI, VALKEY_URL) variables. */
#include "core/config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"

/* T_OPTSTR is a string that may be unset or empty (then NULL). */
typedef enum {
    T_STRING,
    T_OPTSTR,
    T_INT,
    T_SIZE,
    T_DURATION,
    T_LEVEL,
    T_BOOL,
    T_CHOICE
} var_type_t;

typedef struct var_def {
    const char *name;
    var_type_t type;
    const char *def;
    int64_t min, max; /* for T_INT, T_SIZE and T_DURATION */
    size_t offset;
    const char *help;
} var_def_t;

#define OFF(field) offsetof(facet_config_t, field)
#define KIB        1024LL
#define MIB        (1024LL * 1024)
#define GIB        (1024LL * MIB)
#define DAY_MS     (86400LL * 1000)

static const var_def_t vars[] = {
    {"FACET_HOST", T_STRING, "0.0.0.0", 0, 0, OFF(host), "address to listen on"},
    {"FACET_PORT", T_INT, "4000", 1, 65535, OFF(port), "TCP port to listen on"},
    {"FACET_THREADS", T_INT, "0", 0, 256, OFF(threads),
     "I/O threads, each with its own event loop (0: one per core)"},
    {"MONGODB_URI", T_STRING, "mongodb://127.0.0.1:27017/facet", 0, 0, OFF(mongodb_uri),
     "MongoDB connection string (mongodb:// or mongodb+srv://); the path names the database"},
    {"VALKEY_URL", T_STRING, "redis://127.0.0.1:6379", 0, 0, OFF(valkey_url),
     "Valkey address as redis://[:password@]host:port[/db]"},
    {"FACET_DATA_DIR", T_STRING, "var/data", 0, 0, OFF(data_dir),
     "directory for local files (media with the fs storage provider)"},
    {"FACET_LOG_LEVEL", T_LEVEL, "info", 0, 0, OFF(log_level), "debug, info, warn or error"},
    {"FACET_MAX_REQUEST_LINE", T_SIZE, "8KiB", 64, 1 * MIB, OFF(max_request_line),
     "longest request line accepted (longer: 414)"},
    {"FACET_MAX_HEADER_SIZE", T_SIZE, "16KiB", 256, 1 * MIB, OFF(max_header_size),
     "largest request head, request line included (larger: 431)"},
    {"FACET_MAX_HEADERS", T_INT, "100", 1, 1000, OFF(max_headers),
     "most header fields in one request (more: 431)"},
    {"FACET_MAX_BODY_SIZE", T_SIZE, "16MiB", 0, 1 * GIB, OFF(max_body_size),
     "largest request body after chunked decoding (larger: 413); room for a base64 image upload"},
    {"FACET_REQUEST_TIMEOUT", T_DURATION, "10s", 100, DAY_MS, OFF(request_timeout_ms),
     "time allowed for a request's head and body to arrive (slower: 408)"},
    {"FACET_IDLE_TIMEOUT", T_DURATION, "60s", 100, DAY_MS, OFF(idle_timeout_ms),
     "a keep-alive connection with no request for this long is closed"},
    {"FACET_SHUTDOWN_TIMEOUT", T_DURATION, "10s", 0, DAY_MS, OFF(shutdown_timeout_ms),
     "on SIGTERM/SIGINT, how long in-flight requests may run before exit"},
    {"FACET_DEPENDENCY_TIMEOUT", T_DURATION, "2s", 50, 60 * 1000, OFF(dependency_timeout_ms),
     "how long a readiness check waits for Valkey or MongoDB"},
    {"FACET_MONGO_POOL_SIZE", T_INT, "16", 1, 1000, OFF(mongo_pool_size),
     "most MongoDB connections held by the client pool"},
    {"FACET_SCHEMA", T_STRING, "schema", 0, 0, OFF(schema),
     "the GraphQL schema: an SDL file, or a folder whose *.graphql files are read in name order"},
    {"FACET_ENV", T_CHOICE, "development", 0, 0, OFF(env),
     "development, test or production (production turns introspection off by default)"},
    {"FACET_INTROSPECTION", T_CHOICE, "auto", 0, 0, OFF(introspection),
     "auto (on unless FACET_ENV=production), on or off; off also hides \"Did you mean\" hints"},
    {"FACET_CSRF_PREVENTION", T_BOOL, "true", 0, 0, OFF(csrf_prevention),
     "refuse POSTs a browser could send cross-site without a preflight (Apollo's rule)"},
    {"FACET_GRAPHQL_BATCHING", T_BOOL, "false", 0, 0, OFF(batching),
     "accept a JSON array of operations in one POST"},
    {"FACET_GRAPHQL_MAX_BATCH", T_INT, "10", 1, 1000, OFF(max_batch),
     "most operations in one batch"},
    {"FACET_APQ_TTL", T_DURATION, "24h", 1000, 30 * DAY_MS, OFF(apq_ttl_ms),
     "how long Valkey keeps an automatic persisted query"},
    {"FACET_DOC_CACHE_ENTRIES", T_INT, "1000", 1, 1000000, OFF(doc_cache_entries),
     "validated documents kept per event loop"},
    {"FACET_DOC_CACHE_SIZE", T_SIZE, "16MiB", 64 * KIB, 4 * GIB, OFF(doc_cache_size),
     "bytes of validated documents kept per event loop"},
    {"FACET_MAX_DEPTH", T_INT, "15", 1, 1000, OFF(max_depth), "deepest field nesting"},
    {"FACET_MAX_ALIASES", T_INT, "30", 0, 100000, OFF(max_aliases), "most aliases"},
    {"FACET_MAX_ROOT_FIELDS", T_INT, "50", 1, 100000, OFF(max_root_fields),
     "most fields at the root of an operation"},
    {"FACET_MAX_DIRECTIVES", T_INT, "50", 0, 100000, OFF(max_directives),
     "most directives on one field or fragment"},
    {"FACET_MAX_TOKENS", T_INT, "5000", 1, 10000000, OFF(max_tokens),
     "most lexical tokens in a document"},
    {"FACET_MAX_COST", T_INT, "5000", 1, 100000000, OFF(max_cost),
     "highest query cost (object field 2, scalar field 1, lists times first/last/limit or 10)"},
    {"FACET_WS_INIT_TIMEOUT", T_DURATION, "3s", 100, 10 * 60000, OFF(ws_init_timeout_ms),
     "time a WebSocket client has to send connection_init (else closed 4408)"},
    {"FACET_WS_PING_INTERVAL", T_DURATION, "30s", 100, DAY_MS, OFF(ws_ping_interval_ms),
     "WebSocket keep-alive ping period; a peer silent for two periods is closed"},
    {"FACET_WS_MAX_MESSAGE", T_SIZE, "1MiB", 1024, 256 * MIB, OFF(ws_max_message),
     "largest WebSocket message (and frame) accepted (larger: closed 1009)"},
    {"FACET_WS_MAX_BUFFERED", T_SIZE, "4MiB", 64 * KIB, 1 * GIB, OFF(ws_max_buffered),
     "unsent bytes a WebSocket client may fall behind before it is closed (1008)"},
    {"FACET_GRAPHIQL_URL", T_STRING, "https://esm.sh", 0, 0, OFF(graphiql_url),
     "http(s) base URL of the ES-module CDN the landing page loads GraphiQL from"},
    /* Accounts and the wallet */
    {"FACET_MIGRATE", T_BOOL, "true", 0, 0, OFF(migrate),
     "`facet serve` creates collections and indexes at start (as `facet migrate` does)"},
    {"FACET_BLOCKING_THREADS", T_INT, "16", 1, 1024, OFF(blocking_threads),
     "threads for blocking work (MongoDB, password hashing, images, outgoing HTTP)"},
    {"FACET_CACHE_TTL", T_DURATION, "60s", 0, DAY_MS, OFF(cache_ttl_ms),
     "how long Valkey keeps cached users and wallets (0: no cache)"},
    {"FACET_JWT_SECRET", T_OPTSTR, "", 0, 0, OFF(jwt_secret),
     "HS256 key of access tokens, at least 32 bytes (required in production; else random)"},
    {"FACET_JWT_ISSUER", T_STRING, "facet", 0, 0, OFF(jwt_issuer),
     "iss of the access tokens Facet issues and accepts"},
    {"FACET_JWT_AUDIENCE", T_OPTSTR, "", 0, 0, OFF(jwt_audience),
     "aud of Facet's access tokens, checked when set"},
    {"FACET_ACCESS_TOKEN_TTL", T_DURATION, "15m", 10000, DAY_MS, OFF(access_token_ttl_ms),
     "lifetime of an access token"},
    {"FACET_REFRESH_TOKEN_TTL", T_DURATION, "30d", 60000, 365 * DAY_MS, OFF(refresh_token_ttl_ms),
     "lifetime of a refresh token (each refresh issues a new one)"},
    {"FACET_JWKS_URL", T_OPTSTR, "", 0, 0, OFF(jwks_url),
     "also accept RS256 tokens of an identity provider whose keys are at this URL"},
    {"FACET_JWKS_ISSUER", T_OPTSTR, "", 0, 0, OFF(jwks_issuer),
     "iss required of identity-provider tokens (checked when set)"},
    {"FACET_JWKS_AUDIENCE", T_OPTSTR, "", 0, 0, OFF(jwks_audience),
     "aud required of identity-provider tokens (checked when set)"},
    {"FACET_JWKS_REFRESH", T_DURATION, "10m", 1000, DAY_MS, OFF(jwks_refresh_ms),
     "how often the identity provider's keys are fetched again (and, when under 30s, the least "
     "time between fetches for unknown key ids)"},
    {"FACET_PASSWORD_OPS", T_INT, "2", 1, 20, OFF(password_ops),
     "Argon2id passes per password hash"},
    {"FACET_PASSWORD_MEMORY", T_SIZE, "64MiB", 64 * KIB, 4 * GIB, OFF(password_memory),
     "Argon2id memory per password hash"},
    {"FACET_SIGNIN_LIMIT_ADDRESS", T_INT, "20", 1, 1000000, OFF(signin_limit_address),
     "sign-in attempts allowed per client address within FACET_SIGNIN_WINDOW"},
    {"FACET_SIGNIN_LIMIT_ACCOUNT", T_INT, "5", 1, 1000000, OFF(signin_limit_account),
     "sign-in attempts allowed per account within FACET_SIGNIN_WINDOW (a success clears it)"},
    {"FACET_SIGNIN_WINDOW", T_DURATION, "15m", 1000, DAY_MS, OFF(signin_window_ms),
     "the window in which sign-in attempts are counted"},
    {"FACET_SIGNIN_LOCKOUT", T_DURATION, "15m", 1000, DAY_MS, OFF(signin_lockout_ms),
     "how long sign-in stays refused once a limit is passed"},
    {"FACET_PAYMENTS_PROVIDER", T_CHOICE, "webhook", 0, 0, OFF(payments_provider),
     "webhook (purchases credited by POST /webhooks/payments) or dev (purchaseGems credits)"},
    {"FACET_PAYMENT_WEBHOOK_SECRET", T_OPTSTR, "", 0, 0, OFF(payment_webhook_secret),
     "HMAC-SHA256 key of payment webhooks (unset: the webhook answers 503)"},
    {"FACET_PAYMENT_WEBHOOK_TOLERANCE", T_DURATION, "5m", 1000, DAY_MS,
     OFF(payment_webhook_tolerance_ms), "oldest webhook signature timestamp accepted"},
    {"FACET_GEM_PACKAGES", T_STRING,
     "gems_100:100:99:USD,gems_550:550:499:USD,gems_1200:1200:999:USD", 0, 0, OFF(gem_packages),
     "the gem catalogue: sku:gems:priceCents:currency, comma-separated"},
    /* Images */
    {"FACET_STORAGE", T_STRING, "fs", 0, 0, OFF(storage),
     "where image variants are stored: fs (FACET_DATA_DIR/media, served at /media/) or s3"},
    {"FACET_MEDIA_BASE_URL", T_OPTSTR, "", 0, 0, OFF(media_base_url),
     "public URL prefix of stored media, e.g. the CloudFront domain (unset: /media/ for fs, the "
     "bucket's URL for s3)"},
    {"FACET_S3_BUCKET", T_OPTSTR, "", 0, 0, OFF(s3_bucket), "the bucket (required with s3)"},
    {"FACET_S3_REGION", T_OPTSTR, "", 0, 0, OFF(s3_region),
     "the bucket's region (unset: AWS_REGION, else us-east-1)"},
    {"FACET_S3_ENDPOINT", T_OPTSTR, "", 0, 0, OFF(s3_endpoint),
     "http(s)://host[:port] of an S3-compatible store (unset: AWS)"},
    {"FACET_S3_PATH_STYLE", T_BOOL, "false", 0, 0, OFF(s3_path_style),
     "address objects as endpoint/bucket/key instead of bucket.endpoint/key"},
    {"FACET_FETCH_ALLOW", T_OPTSTR, "", 0, 0, OFF(fetch_allow),
     "CIDRs image URLs may reach besides public addresses, comma-separated (e.g. 10.1.0.0/16)"},
    {"FACET_FETCH_CONNECT_TIMEOUT", T_DURATION, "5s", 100, 60000, OFF(fetch_connect_timeout_ms),
     "connect timeout of an image URL fetch (each address and redirect)"},
    {"FACET_FETCH_TIMEOUT", T_DURATION, "15s", 100, 10 * 60000, OFF(fetch_timeout_ms),
     "total time of an image URL fetch, redirects included"},
    {"FACET_FETCH_MAX_BYTES", T_SIZE, "10MiB", 1 * KIB, 1 * GIB, OFF(fetch_max_bytes),
     "largest image a URL may deliver"},
    {"FACET_FETCH_MAX_REDIRECTS", T_INT, "3", 0, 20, OFF(fetch_max_redirects),
     "redirects an image URL fetch follows (0: none)"},
    {"FACET_IMAGE_MAX_BYTES", T_SIZE, "10MiB", 1 * KIB, 1 * GIB, OFF(image_max_bytes),
     "largest base64 image upload, decoded (FACET_MAX_BODY_SIZE must leave room for its text)"},
    {"FACET_IMAGE_MAX_PIXELS", T_INT, "50000000", 1, 2000000000, OFF(image_max_pixels),
     "largest image accepted, width x height x frames, checked before decoding"},
    {"FACET_IMAGE_FORMAT", T_STRING, "webp", 0, 0, OFF(image_format),
     "format of the image variants: webp, jpeg, avif or png"},
    {"FACET_IMAGE_QUALITY", T_INT, "80", 1, 100, OFF(image_quality),
     "encoder quality of the variants (png ignores it)"},
    {"FACET_IMAGE_THUMB", T_INT, "160", 0, 16384, OFF(image_thumb),
     "longest edge of the THUMB variant in pixels, never upscaled (0: none)"},
    {"FACET_IMAGE_MEDIUM", T_INT, "640", 0, 16384, OFF(image_medium),
     "longest edge of the MEDIUM variant (0: none)"},
    {"FACET_IMAGE_LARGE", T_INT, "1600", 0, 16384, OFF(image_large),
     "longest edge of the LARGE variant (0: none)"},
    {"FACET_VIPS_CONCURRENCY", T_INT, "1", 1, 1024, OFF(vips_concurrency),
     "libvips worker threads per image (images already run in parallel on the thread pool)"},
    {"FACET_VIPS_CACHE", T_SIZE, "0", 0, 4 * GIB, OFF(vips_cache),
     "memory of libvips' operation cache (0: off; uploads are never alike)"},
    {"FACET_MODERATION", T_STRING, "none", 0, 0, OFF(moderation),
     "image moderation provider: none, rekognition or webhook"},
    {"FACET_MODERATION_MIN_CONFIDENCE", T_INT, "50", 1, 100, OFF(moderation_min_confidence),
     "labels below this confidence (percent) are ignored"},
    {"FACET_MODERATION_REJECT_LABELS", T_OPTSTR,
     "Explicit Nudity,Explicit,Violence,Visually Disturbing,Hate Symbols", 0, 0,
     OFF(moderation_reject_labels),
     "labels (name or parent name, comma-separated) that reject an image: it is not stored"},
    {"FACET_MODERATION_REVIEW_LABELS", T_OPTSTR, "Suggestive,Non-Explicit Nudity,Rude Gestures", 0,
     0, OFF(moderation_review_labels), "labels that store an image with moderation REVIEW"},
    {"FACET_MODERATION_ON_ERROR", T_STRING, "review", 0, 0, OFF(moderation_on_error),
     "when the provider fails or times out: review (store it as REVIEW) or fail (the upload "
     "fails with MODERATION_UNAVAILABLE)"},
    {"FACET_MODERATION_TIMEOUT", T_DURATION, "10s", 100, 5 * 60000, OFF(moderation_timeout_ms),
     "time allowed for one moderation call"},
    {"FACET_MODERATION_WEBHOOK_URL", T_OPTSTR, "", 0, 0, OFF(moderation_webhook_url),
     "http(s) URL the webhook provider POSTs each image to"},
    {"FACET_MODERATION_WEBHOOK_SECRET", T_OPTSTR, "", 0, 0, OFF(moderation_webhook_secret),
     "HMAC-SHA256 key of the webhook's X-Facet-Signature"},
    {"FACET_REKOGNITION_REGION", T_OPTSTR, "", 0, 0, OFF(rekognition_region),
     "Rekognition's region (unset: AWS_REGION, else us-east-1)"},
    {"FACET_REKOGNITION_ENDPOINT", T_OPTSTR, "", 0, 0, OFF(rekognition_endpoint),
     "Rekognition's http(s) URL (unset: https://rekognition.<region>.amazonaws.com)"},
    /* Jobs and the activity log */
    {"FACET_WORKERS", T_INT, "1", 0, 256, OFF(workers),
     "I/O threads of `facet serve` that also run the job workers (0: none; `facet work` runs "
     "them on every thread)"},
    {"FACET_QUEUE_PREFIX", T_STRING, "bull", 0, 0, OFF(queue_prefix),
     "key prefix of the job queues in Valkey (BullMQ's prefix option), 1 to 100 characters"},
    {"FACET_ACTIVITY_RETENTION_DAYS", T_INT, "7", 1, 3650, OFF(activity_retention_days),
     "days the activity log keeps an activity"},
    {"FACET_MAINTENANCE_EVERY", T_DURATION, "24h", 1000, 30 * DAY_MS, OFF(maintenance_every_ms),
     "period of the maintenance job (activity retention, expired sessions), also run at start"},
};

#define NVARS (sizeof vars / sizeof vars[0])

const char *facet_config_getenv(void *ctx, const char *name)
{
    (void)ctx;
    return getenv(name);
}

/* Splits "123abc" into 123 and the suffix "abc". */
static int split_number(const char *text, uint64_t *num, const char **suffix)
{
    const char *p = text;
    uint64_t v = 0;
    if (!isdigit((unsigned char)*p))
        return FACET_EINVAL;
    while (isdigit((unsigned char)*p)) {
        uint64_t d = (uint64_t)(*p - '0');
        if (v > (UINT64_MAX - d) / 10)
            return FACET_ELIMIT;
        v = v * 10 + d;
        p++;
    }
    *num = v;
    *suffix = p;
    return FACET_OK;
}

static int scale(uint64_t v, uint64_t mult, uint64_t *out)
{
    if (mult && v > UINT64_MAX / mult)
        return FACET_ELIMIT;
    *out = v * mult;
    return FACET_OK;
}

typedef struct unit {
    const char *suffix;
    uint64_t mult;
} unit_t;

/* A number followed by one of n units' suffixes (any_case: compared
 * ignoring case), scaled by that unit. */
static int parse_scaled(const char *text, const unit_t *units, size_t n, bool any_case,
                        uint64_t *out)
{
    uint64_t v;
    const char *suffix;
    int rc = split_number(text, &v, &suffix);
    if (rc != FACET_OK)
        return rc;
    for (size_t i = 0; i < n; i++) {
        if ((any_case ? strcasecmp(suffix, units[i].suffix) : strcmp(suffix, units[i].suffix)) == 0)
            return scale(v, units[i].mult, out);
    }
    return FACET_EINVAL;
}

int facet_config_parse_size(const char *text, uint64_t *out)
{
    static const unit_t units[] = {{"", 1},      {"b", 1},    {"k", KIB},  {"kb", KIB},
                                   {"kib", KIB}, {"m", MIB},  {"mb", MIB}, {"mib", MIB},
                                   {"g", GIB},   {"gb", GIB}, {"gib", GIB}};
    return parse_scaled(text, units, sizeof units / sizeof units[0], true, out);
}

int facet_config_parse_duration(const char *text, uint64_t *out_ms)
{
    static const unit_t units[] = {{"", 1},      {"ms", 1},      {"s", 1000},
                                   {"m", 60000}, {"h", 3600000}, {"d", 86400000}};
    return parse_scaled(text, units, sizeof units / sizeof units[0], false, out_ms);
}

static int set_bool(const var_def_t *v, const char *text, bool *out, char *err, size_t errlen)
{
    static const char *yes[] = {"true", "1", "yes", "on"}, *no[] = {"false", "0", "no", "off"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(text, yes[i]) == 0 || strcasecmp(text, no[i]) == 0) {
            *out = strcasecmp(text, yes[i]) == 0;
            return FACET_OK;
        }
    }
    snprintf(err, errlen, "%s: \"%s\" is not true or false", v->name, text);
    return FACET_EINVAL;
}

/* The allowed words of each choice variable. */
static const char *choices_of(const char *name)
{
    if (strcmp(name, "FACET_ENV") == 0)
        return "development,test,production";
    if (strcmp(name, "FACET_PAYMENTS_PROVIDER") == 0)
        return "webhook,dev";
    return "auto,on,off";
}

static int set_choice(const var_def_t *v, const char *text, char **out, char *err, size_t errlen)
{
    const char *list = choices_of(v->name);
    size_t n = strlen(text);
    for (const char *p = list; *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == n && n > 0 && strncmp(p, text, n) == 0) {
            *out = strdup(text);
            return *out ? FACET_OK : FACET_ENOMEM;
        }
        p += len + (comma ? 1 : 0);
    }
    snprintf(err, errlen, "%s: \"%s\" is not one of %s", v->name, text, list);
    return FACET_EINVAL;
}

static int set_var(facet_config_t *cfg, const var_def_t *v, const char *text, char *err,
                   size_t errlen)
{
    char *field = (char *)cfg + v->offset;
    uint64_t n = 0;
    int rc = FACET_OK;
    const char *expect = "";
    switch (v->type) {
    case T_STRING:
        if (*text == '\0') {
            snprintf(err, errlen, "%s: must not be empty", v->name);
            return FACET_EINVAL;
        }
        *(char **)field = strdup(text);
        return *(char **)field ? FACET_OK : FACET_ENOMEM;
    case T_OPTSTR:
        if (*text == '\0')
            return FACET_OK;
        *(char **)field = strdup(text);
        return *(char **)field ? FACET_OK : FACET_ENOMEM;
    case T_LEVEL:
        if (facet_log_parse_level(text, (facet_log_level_t *)field) == FACET_OK)
            return FACET_OK;
        snprintf(err, errlen, "%s: \"%s\" is not one of debug, info, warn, error", v->name, text);
        return FACET_EINVAL;
    case T_BOOL:
        return set_bool(v, text, (bool *)field, err, errlen);
    case T_CHOICE:
        return set_choice(v, text, (char **)field, err, errlen);
    case T_INT:
        rc = split_number(text, &n, &expect);
        if (rc == FACET_OK && *expect != '\0')
            rc = FACET_EINVAL;
        expect = "a whole number";
        break;
    case T_SIZE:
        rc = facet_config_parse_size(text, &n);
        expect = "a size such as 65536, 64KiB or 1MiB";
        break;
    case T_DURATION:
        rc = facet_config_parse_duration(text, &n);
        expect = "a duration such as 500ms, 10s, 2m or 30d";
        break;
    }
    if (rc != FACET_OK) {
        snprintf(err, errlen, "%s: \"%s\" is not %s", v->name, text, expect);
        return FACET_EINVAL;
    }
    if ((int64_t)n < v->min || n > (uint64_t)v->max) {
        snprintf(err, errlen, "%s: %s is out of range (%lld to %lld)", v->name, text,
                 (long long)v->min, (long long)v->max);
        return FACET_EINVAL;
    }
    if (v->type == T_INT)
        *(int *)field = (int)n;
    else
        *(uint64_t *)field = n;
    return FACET_OK;
}

/* A base URL goes into HTML attributes, an import map and a
 * Content-Security-Policy header, so only the characters a plain URL needs
 * are accepted; trailing slashes are dropped. */
static int check_base_url(char *url)
{
    size_t n = strlen(url);
    const char *rest = strncmp(url, "https://", 8) == 0  ? url + 8
                       : strncmp(url, "http://", 7) == 0 ? url + 7
                                                         : NULL;
    if (!rest || *rest == '\0' || *rest == '/')
        return FACET_EINVAL;
    for (const char *p = url; *p; p++) {
        if (!isalnum((unsigned char)*p) && !strchr("-._~:/%+=", *p))
            return FACET_EINVAL;
    }
    while (n > (size_t)(rest - url) && url[n - 1] == '/')
        url[--n] = '\0';
    return FACET_OK;
}

/* Makes a relative directory absolute against the working directory at
 * start, so that every part (the fs storage insists on an absolute path) and
 * every later log line name the same place. */
static int absolute_dir(char **dir)
{
    if ((*dir)[0] == '/')
        return FACET_OK;
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd))
        return FACET_EINVAL;
    const char *rel = strncmp(*dir, "./", 2) == 0 ? *dir + 2 : *dir;
    size_t n = strlen(cwd) + 1 + strlen(rel) + 1;
    char *abs = malloc(n);
    if (!abs)
        return FACET_ENOMEM;
    snprintf(abs, n, "%s/%s", cwd, rel);
    free(*dir);
    *dir = abs;
    return FACET_OK;
}

int facet_config_load(facet_config_t *cfg, facet_getenv_fn get, void *ctx, char *err, size_t errlen)
{
    memset(cfg, 0, sizeof *cfg);
    for (size_t i = 0; i < NVARS; i++) {
        const char *text = get(ctx, vars[i].name);
        int rc = set_var(cfg, &vars[i], text ? text : vars[i].def, err, errlen);
        if (rc != FACET_OK) {
            if (rc == FACET_ENOMEM)
                snprintf(err, errlen, "%s: out of memory", vars[i].name);
            facet_config_free(cfg);
            return FACET_EINVAL;
        }
    }
    if (cfg->threads == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        cfg->threads = cores > 0 ? (int)cores : 1;
    }
    if (check_base_url(cfg->graphiql_url) != FACET_OK) {
        snprintf(err, errlen,
                 "FACET_GRAPHIQL_URL: \"%s\" is not an http:// or https:// URL made of "
                 "letters, digits and -._~:/%%+=",
                 cfg->graphiql_url);
        facet_config_free(cfg);
        return FACET_EINVAL;
    }
    if (absolute_dir(&cfg->data_dir) != FACET_OK) {
        snprintf(err, errlen, "FACET_DATA_DIR: cannot make \"%.200s\" absolute: %s", cfg->data_dir,
                 strerror(errno));
        facet_config_free(cfg);
        return FACET_EINVAL;
    }
    if (cfg->max_request_line > cfg->max_header_size) {
        snprintf(err, errlen, "FACET_MAX_REQUEST_LINE: must not exceed FACET_MAX_HEADER_SIZE");
        facet_config_free(cfg);
        return FACET_EINVAL;
    }
    return FACET_OK;
}

int facet_config_load_env(facet_config_t *cfg, const char *prog)
{
    char err[512];
    if (facet_config_load(cfg, facet_config_getenv, NULL, err, sizeof err) != FACET_OK) {
        fprintf(stderr, "%s: invalid configuration: %s\n", prog, err);
        return FACET_EINVAL;
    }
    return FACET_OK;
}

void facet_config_free(facet_config_t *cfg)
{
    for (size_t i = 0; i < NVARS; i++) {
        if (vars[i].type == T_STRING || vars[i].type == T_OPTSTR || vars[i].type == T_CHOICE) {
            char **field = (char **)((char *)cfg + vars[i].offset);
            free(*field);
            *field = NULL;
        }
    }
}

void facet_config_print_help(FILE *out)
{
    fprintf(out, "Environment variables (default in brackets):\n");
    for (size_t i = 0; i < NVARS; i++)
        fprintf(out, "  %-26s %s [%s]\n", vars[i].name, vars[i].help, vars[i].def);
}

bool facet_config_production(const facet_config_t *cfg)
{
    return cfg->env && strcmp(cfg->env, "production") == 0;
}

bool facet_config_introspection(const facet_config_t *cfg)
{
    if (cfg->introspection && strcmp(cfg->introspection, "on") == 0)
        return true;
    if (cfg->introspection && strcmp(cfg->introspection, "off") == 0)
        return false;
    return !facet_config_production(cfg);
}
