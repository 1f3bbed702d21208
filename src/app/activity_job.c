/* The activity job's handler: a batch of activities from the job's data
 * into MongoDB with one insertMany (see activity.h). Runs on the thread
 * pool. */
#include <stdio.h>
#include <string.h>

#include "app/activity.h"
#include "app/work.h"
#include "core/error.h"
#include "gql/json.h"
#include "store/activity.h"
#include "store/mongo.h"

#define DATA_MAX_DEPTH 32
#define ARENA_LIMIT    (64u * 1024 * 1024)

typedef struct parse_err {
    char message[256];
} parse_err_t;

static int bad(parse_err_t *e, size_t i, const char *what)
{
    snprintf(e->message, sizeof e->message, "activity %zu: %s", i, what);
    return FACET_EINVAL;
}

/* A string member as a C string in the arena; NULL when absent or null.
 * *ok turns false when it is present but not a string. */
static const char *str_member(facet_arena_t *a, const gql_value_t *obj, const char *key, bool *ok)
{
    const gql_value_t *v = gql_value_get(obj, facet_str_c(key));
    if (!v || v->kind == GQL_V_NULL)
        return NULL;
    if (v->kind != GQL_V_STRING) {
        *ok = false;
        return NULL;
    }
    return facet_arena_strdup(a, v->u.s.base, v->u.s.len).base;
}

static int id_member(const gql_value_t *obj, const char *key, char out[STORE_ID_SIZE])
{
    const gql_value_t *v = gql_value_get(obj, facet_str_c(key));
    out[0] = '\0';
    if (!v || v->kind == GQL_V_NULL)
        return FACET_OK;
    if (v->kind != GQL_V_STRING || v->u.s.len != STORE_ID_SIZE - 1)
        return FACET_EINVAL;
    memcpy(out, v->u.s.base, v->u.s.len);
    out[v->u.s.len] = '\0';
    return FACET_OK;
}

/* args: any JSON value, kept as its JSON text. */
static int args_member(facet_arena_t *a, const gql_value_t *obj, const char **out)
{
    const gql_value_t *v = gql_value_get(obj, FACET_STR_LIT("args"));
    *out = NULL;
    if (!v || v->kind == GQL_V_NULL)
        return FACET_OK;
    facet_buf_t b;
    facet_buf_init(&b, 0);
    int rc = gql_json_write_value(&b, v);
    if (rc == FACET_OK)
        *out = facet_arena_strdup(a, b.base, b.len).base;
    facet_buf_free(&b);
    return rc == FACET_OK && *out ? FACET_OK : FACET_ENOMEM;
}

static int parse_item(facet_arena_t *a, size_t i, const gql_value_t *v, store_activity_t *out,
                      parse_err_t *e)
{
    memset(out, 0, sizeof *out);
    if (!v || v->kind != GQL_V_OBJECT)
        return bad(e, i, "not an object");
    if (id_member(v, "id", out->id) != FACET_OK || !out->id[0])
        return bad(e, i, "id must be an ObjectId");
    if (id_member(v, "userId", out->user_id) != FACET_OK)
        return bad(e, i, "userId must be an ObjectId or null");
    bool ok = true;
    out->operation = str_member(a, v, "operation", &ok);
    out->address = str_member(a, v, "address", &ok);
    out->user_agent = str_member(a, v, "userAgent", &ok);
    out->code = str_member(a, v, "code", &ok);
    out->request_id = str_member(a, v, "requestId", &ok);
    const char *outcome = str_member(a, v, "outcome", &ok);
    if (!ok)
        return bad(e, i, "operation, address, userAgent, outcome, code and requestId are strings");
    if (!outcome || (strcmp(outcome, "ok") != 0 && strcmp(outcome, "error") != 0))
        return bad(e, i, "outcome must be \"ok\" or \"error\"");
    out->ok = strcmp(outcome, "ok") == 0;
    const gql_value_t *t = gql_value_get(v, FACET_STR_LIT("createdAt"));
    if (!t || (t->kind != GQL_V_FLOAT && t->kind != GQL_V_INT))
        return bad(e, i, "createdAt must be a time in milliseconds");
    double ms = t->kind == GQL_V_INT ? (double)t->u.i : t->u.f;
    if (!(ms >= 0 && ms < 1e15))
        return bad(e, i, "createdAt is out of range");
    out->created_at = (int64_t)ms;
    if (args_member(a, v, &out->args) != FACET_OK)
        return bad(e, i, "args could not be kept");
    return FACET_OK;
}

/* The activities the data describes, into the arena. */
static int parse_data(facet_arena_t *a, const queue_job_t *job, store_activity_t **items, size_t *n,
                      parse_err_t *e)
{
    gql_value_t *v;
    char why[128];
    if (gql_json_parse(a, queue_job_data(job), queue_job_data_len(job), DATA_MAX_DEPTH, &v, why,
                       sizeof why) != FACET_OK) {
        snprintf(e->message, sizeof e->message, "data is not JSON: %s", why);
        return FACET_EINVAL;
    }
    const gql_value_t *list = gql_value_get(v, FACET_STR_LIT("activities"));
    const gql_value_t *const *vals = (const gql_value_t *const *)&v;
    *n = 1;
    if (list) {
        if (list->kind != GQL_V_LIST) {
            snprintf(e->message, sizeof e->message, "activities must be a list");
            return FACET_EINVAL;
        }
        vals = (const gql_value_t *const *)list->u.list.items;
        *n = list->u.list.n;
    }
    if (*n > STORE_ACTIVITY_BATCH_MAX) {
        snprintf(e->message, sizeof e->message, "more than %d activities in one job",
                 STORE_ACTIVITY_BATCH_MAX);
        return FACET_EINVAL;
    }
    *items = FACET_ARENA_ARRAY(a, store_activity_t, *n ? *n : 1);
    if (!*items) {
        snprintf(e->message, sizeof e->message, "out of memory");
        return FACET_ENOMEM;
    }
    for (size_t i = 0; i < *n; i++) {
        int rc = parse_item(a, i, vals[i], &(*items)[i], e);
        if (rc != FACET_OK)
            return rc;
    }
    return FACET_OK;
}

int app_activity_job(queue_job_t *job, void *ud)
{
    store_mongo_t *mongo = ((const app_work_env_t *)ud)->mongo;
    facet_arena_t arena;
    facet_arena_init(&arena, ARENA_LIMIT);
    store_activity_t *items = NULL;
    size_t n = 0, inserted = 0;
    parse_err_t pe;
    int rc = parse_data(&arena, job, &items, &n, &pe);
    if (rc != FACET_OK) {
        queue_job_set_error(job, pe.message, rc == FACET_EINVAL);
        facet_arena_free(&arena);
        return 1;
    }
    store_error_t err;
    mongoc_client_t *client = store_mongo_pop(mongo);
    rc = store_activity_insert_many(client, store_mongo_database(mongo), items, n, &inserted, &err);
    store_mongo_push(mongo, client);
    facet_arena_free(&arena);
    if (rc != FACET_OK) {
        /* Bad fields will not get better; a database failure may. */
        queue_job_set_error(job, err.message, rc == FACET_EINVAL || rc == FACET_ELIMIT);
        return 1;
    }
    char result[96];
    snprintf(result, sizeof result, "{\"activities\":%zu,\"inserted\":%zu}", n, inserted);
    queue_job_set_result(job, result);
    return 0;
}
