/* Loading the served schema and checking its resolvers at start-up. */
#include "app/graphql.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/users.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/log.h"

#define MAX_SCHEMA_FILES 256
#define MAX_SCHEMA_BYTES (16u * 1024 * 1024)

typedef struct sources {
    char *names[MAX_SCHEMA_FILES];
    facet_buf_t text[MAX_SCHEMA_FILES];
    size_t n;
} sources_t;

static void sources_free(sources_t *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->names[i]);
        facet_buf_free(&s->text[i]);
    }
    s->n = 0;
}

static int read_file(const char *path, facet_buf_t *out, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "FACET_SCHEMA: cannot read %s: %s", path, strerror(errno));
        return FACET_EIO;
    }
    facet_buf_init(out, MAX_SCHEMA_BYTES);
    char chunk[65536];
    size_t n;
    int rc = FACET_OK;
    while (rc == FACET_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = facet_buf_append(out, chunk, n);
    fclose(f);
    if (rc != FACET_OK)
        snprintf(err, errlen, "FACET_SCHEMA: %s is larger than 16 MiB", path);
    return rc;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collects the folder's *.graphql files in name order. */
static int list_folder(const char *dir, sources_t *s, char *err, size_t errlen)
{
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errlen, "FACET_SCHEMA: cannot open %s: %s", dir, strerror(errno));
        return FACET_EIO;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL && s->n < MAX_SCHEMA_FILES) {
        size_t len = strlen(e->d_name);
        if (len <= 8 || strcmp(e->d_name + len - 8, ".graphql") != 0)
            continue;
        if (asprintf(&s->names[s->n], "%s/%s", dir, e->d_name) < 0)
            break;
        s->n++;
    }
    closedir(d);
    qsort(s->names, s->n, sizeof s->names[0], compare_names);
    return FACET_OK;
}

static int load_sources(const char *path, sources_t *s, char *err, size_t errlen)
{
    struct stat st;
    memset(s, 0, sizeof *s);
    if (stat(path, &st) != 0)
        return FACET_ENOTFOUND;
    if (S_ISDIR(st.st_mode)) {
        if (list_folder(path, s, err, errlen) != FACET_OK)
            return FACET_EIO;
        if (s->n == 0)
            return FACET_ENOTFOUND;
    } else {
        s->names[0] = strdup(path);
        s->n = s->names[0] ? 1 : 0;
    }
    for (size_t i = 0; i < s->n; i++) {
        if (read_file(s->names[i], &s->text[i], err, errlen) != FACET_OK)
            return FACET_EIO;
    }
    return FACET_OK;
}

static int build_schema(const sources_t *s, gql_schema_t **out, char *err, size_t errlen)
{
    facet_str_t texts[MAX_SCHEMA_FILES];
    for (size_t i = 0; i < s->n; i++)
        texts[i] = facet_str(s->text[i].base ? s->text[i].base : "", s->text[i].len);
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_error_list_t errors;
    gql_errors_init(&errors, &a, 20);
    int rc = gql_schema_build(texts, s->n, out, &errors);
    if (rc != FACET_OK) {
        const gql_error_t *e = errors.head;
        size_t used = (size_t)snprintf(err, errlen, "FACET_SCHEMA: invalid schema");
        for (; e && used < errlen; e = e->next) {
            used += (size_t)snprintf(err + used, errlen - used, "; %.*s", (int)e->message.len,
                                     e->message.base);
            if (e->nlocations && used < errlen)
                used += (size_t)snprintf(err + used, errlen - used, " (line %u, column %u)",
                                         e->locations[0].line, e->locations[0].column);
        }
    }
    facet_arena_free(&a);
    return rc;
}

/* No default resolver applies at the root (there is no parent object), so
 * every root field needs one bound. */
static int check_root(const gql_type_t *t, char *err, size_t errlen)
{
    if (!t)
        return FACET_OK;
    for (size_t i = 0; i < t->nfields; i++) {
        if (!t->fields[i].resolver) {
            snprintf(err, errlen, "FACET_SCHEMA: %.*s.%.*s has no resolver", (int)t->name.len,
                     t->name.base, (int)t->fields[i].name.len, t->fields[i].name.base);
            return FACET_EINVAL;
        }
    }
    return FACET_OK;
}

static void apply_config(app_graphql_t *g, const facet_config_t *cfg)
{
    g->limits = GQL_LIMITS_DEFAULT;
    g->limits.max_depth = (size_t)cfg->max_depth;
    g->limits.max_aliases = (size_t)cfg->max_aliases;
    g->limits.max_root_fields = (size_t)cfg->max_root_fields;
    g->limits.max_directives = (size_t)cfg->max_directives;
    g->limits.max_tokens = (size_t)cfg->max_tokens;
    g->limits.max_cost = (uint64_t)cfg->max_cost;
    g->http.csrf_prevention = cfg->csrf_prevention;
    g->http.batching = cfg->batching;
    g->http.max_batch = (size_t)cfg->max_batch;
    g->http.json_depth = 64;
    g->introspection = facet_config_introspection(cfg);
    g->apq_ttl_ms = cfg->apq_ttl_ms;
    g->valkey_timeout_ms = cfg->dependency_timeout_ms;
    g->cache_entries = (size_t)cfg->doc_cache_entries;
    g->cache_bytes = (size_t)cfg->doc_cache_size;
}

int app_graphql_init(app_graphql_t *g, const facet_config_t *cfg, app_graphql_bind_fn bind,
                     char *err, size_t errlen)
{
    memset(g, 0, sizeof *g);
    apply_config(g, cfg);
    sources_t s;
    int rc = load_sources(cfg->schema, &s, err, errlen);
    if (rc == FACET_ENOTFOUND) {
        facet_log_kv(FACET_LOG_WARN, "no GraphQL schema; /graphql is not served", "schema",
                     cfg->schema);
        sources_free(&s);
        return FACET_OK;
    }
    if (rc == FACET_OK)
        rc = build_schema(&s, &g->schema, err, errlen);
    sources_free(&s);
    if (rc != FACET_OK)
        return FACET_EINVAL;
    rc = bind ? bind(g->schema, err, errlen) : FACET_OK;
    if (rc == FACET_OK)
        rc = check_root(g->schema->query, err, errlen);
    if (rc == FACET_OK)
        rc = check_root(g->schema->mutation, err, errlen);
    if (rc == FACET_OK)
        rc = check_root(g->schema->subscription, err, errlen);
    if (rc != FACET_OK) {
        app_graphql_free(g);
        return FACET_EINVAL;
    }
    return FACET_OK;
}

void app_graphql_free(app_graphql_t *g)
{
    if (g->schema)
        gql_schema_free(g->schema);
    g->schema = NULL;
}

gql_exec_opts_t app_graphql_exec_opts(const app_graphql_t *g, const gql_doc_t *doc,
                                      facet_str_t operation_name, const gql_value_t *variables,
                                      void *context, void (*on_done)(gql_exec_t *ex, void *context))
{
    return (gql_exec_opts_t){.schema = g->schema,
                             .doc = doc->doc,
                             .operation_name = operation_name,
                             .variables = variables,
                             .context = context,
                             .on_done = on_done,
                             .on_wave_dispatched = app_loader_flush,
                             .no_introspection = !g->introspection,
                             .hide_suggestions = !g->introspection,
                             .request_error_codes = true};
}
