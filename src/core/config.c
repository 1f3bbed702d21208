/* Table-driven loading of FACET_* (and MONGODB_URI, VALKEY_URL) variables. */
#include "core/config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"

typedef enum { T_STRING, T_INT, T_SIZE, T_DURATION, T_LEVEL, T_BOOL, T_CHOICE } var_type_t;

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
    {"FACET_MAX_BODY_SIZE", T_SIZE, "1MiB", 0, 1 * GIB, OFF(max_body_size),
     "largest request body after chunked decoding (larger: 413)"},
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

int facet_config_parse_size(const char *text, uint64_t *out)
{
    static const struct {
        const char *suffix;
        uint64_t mult;
    } units[] = {{"", 1},     {"b", 1},     {"k", KIB}, {"kb", KIB}, {"kib", KIB}, {"m", MIB},
                 {"mb", MIB}, {"mib", MIB}, {"g", GIB}, {"gb", GIB}, {"gib", GIB}};
    uint64_t v;
    const char *suffix;
    int rc = split_number(text, &v, &suffix);
    if (rc != FACET_OK)
        return rc;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcasecmp(suffix, units[i].suffix) == 0)
            return scale(v, units[i].mult, out);
    }
    return FACET_EINVAL;
}

int facet_config_parse_duration(const char *text, uint64_t *out_ms)
{
    static const struct {
        const char *suffix;
        uint64_t mult;
    } units[] = {{"", 1}, {"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}};
    uint64_t v;
    const char *suffix;
    int rc = split_number(text, &v, &suffix);
    if (rc != FACET_OK)
        return rc;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcmp(suffix, units[i].suffix) == 0)
            return scale(v, units[i].mult, out_ms);
    }
    return FACET_EINVAL;
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
        expect = "a duration such as 500ms, 10s or 2m";
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
    if (cfg->max_request_line > cfg->max_header_size) {
        snprintf(err, errlen, "FACET_MAX_REQUEST_LINE: must not exceed FACET_MAX_HEADER_SIZE");
        facet_config_free(cfg);
        return FACET_EINVAL;
    }
    return FACET_OK;
}

void facet_config_free(facet_config_t *cfg)
{
    for (size_t i = 0; i < NVARS; i++) {
        if (vars[i].type == T_STRING || vars[i].type == T_CHOICE) {
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
