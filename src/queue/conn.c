/* Queue connections: the function library loaded on every (re)connect and
 * FCALL, over the reconnecting link of cache/valkey_link.h (see conn.h). */
#include "queue/conn.h"

#include <hiredis/async.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cache/valkey_link.h"
#include "core/error.h"

#define CONNECT_TIMEOUT_MS 5000
#define MAX_STACK_ARGS     64

struct queue_conn {
    cache_valkey_link_t link;
    queue_conn_state_cb state_cb;
    void *state_ud;
    bool up;        /* connected and set up: commands may be sent */
    bool announced; /* state_cb was told "up" and not yet "down" */
    bool reloading; /* FUNCTION LOAD sent after "Function not found" */
    bool closing;
};

/* One command in flight. A script call keeps its formatted command so that
 * it can be resent once after "Function not found". */
typedef struct req {
    queue_conn_t *c;
    queue_reply_cb cb;
    void *ud;
    char *cmd; /* formatted FCALL, or NULL */
    size_t cmd_len;
    bool resent;
} req_t;

int64_t queue_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- connection life cycle (the link's hooks) ---- */

static void on_loaded(redisAsyncContext *ac, void *r, void *priv)
{
    redisReply *reply = r;
    queue_conn_t *c = priv;
    (void)ac;
    /* "already exists": another instance of the same version loaded it. */
    if (reply && reply->type == REDIS_REPLY_ERROR && !strstr(reply->str, "already exists"))
        cache_valkey_link_misconfigured(&c->link, "FUNCTION LOAD", reply->str);
    c->reloading = false;
}

/* Loads the function library. Sent right after connecting (and after
 * "Function not found", e.g. once Valkey restarted without persistence),
 * before anything else, so that every later FCALL on this connection finds
 * its function: replies and commands keep their order on one connection. */
static void load_scripts(queue_conn_t *c, redisAsyncContext *ac)
{
    redisAsyncCommand(ac, on_loaded, c, "FUNCTION LOAD %s", queue__scripts_library());
}

static void on_link_connected(cache_valkey_link_t *l, void *ud)
{
    queue_conn_t *c = ud;
    load_scripts(c, cache_valkey_link_context(l));
    c->up = true;
}

/* Announced on the loop's next turn: the state callback may close c. */
static void on_link_ready(cache_valkey_link_t *l, void *ud)
{
    queue_conn_t *c = ud;
    (void)l;
    if (!c->up || c->announced)
        return;
    c->announced = true;
    if (c->state_cb)
        c->state_cb(c, true, c->state_ud);
}

static void on_link_lost(cache_valkey_link_t *l, void *ud)
{
    queue_conn_t *c = ud;
    bool was_up = c->announced;
    (void)l;
    c->announced = false;
    c->up = false;
    if (was_up && c->state_cb)
        c->state_cb(c, false, c->state_ud);
}

int queue_conn_new(uv_loop_t *loop, const cache_valkey_addr_t *addr, const char *label,
                   queue_conn_state_cb cb, void *ud, queue_conn_t **out)
{
    queue__scripts_init();
    queue_conn_t *c = calloc(1, sizeof *c);
    if (!c)
        return FACET_ENOMEM;
    c->state_cb = cb;
    c->state_ud = ud;
    cache_valkey_link_opts_t opts = {
        .addr = addr,
        .connect_timeout_ms = CONNECT_TIMEOUT_MS,
        .connection = label ? label : "queue",
        .hooks = {.connected = on_link_connected,
                  .ready = on_link_ready,
                  .lost = on_link_lost,
                  .released = free},
        .ud = c,
    };
    cache_valkey_link_init(&c->link, loop, &opts);
    *out = c;
    return FACET_OK;
}

void queue_conn_close(queue_conn_t *c)
{
    if (!c || c->closing)
        return;
    c->closing = true;
    c->up = false;
    cache_valkey_link_close(&c->link, false); /* frees c once released */
}

void queue_conn_drop(queue_conn_t *c, const char *why)
{
    if (!c->closing)
        cache_valkey_link_drop(&c->link, why);
}

bool queue_conn_up(const queue_conn_t *c)
{
    return c && c->up;
}

uv_loop_t *queue_conn_loop(const queue_conn_t *c)
{
    return cache_valkey_link_loop(&c->link);
}

/* ---- commands ---- */

static bool is_unloaded(const redisReply *r)
{
    return r && r->type == REDIS_REPLY_ERROR && strstr(r->str, "Function not found");
}

static void on_reply(redisAsyncContext *ac, void *r, void *priv)
{
    req_t *req = priv;
    queue_conn_t *c = req->c;
    redisReply *reply = r;
    (void)ac;
    if (!reply)
        c->up = false; /* on_disconnect follows once every callback has run */
    redisAsyncContext *link_ac = cache_valkey_link_context(&c->link);
    if (is_unloaded(reply) && req->cmd && !req->resent && c->up && link_ac) {
        req->resent = true;
        if (!c->reloading) {
            c->reloading = true;
            load_scripts(c, link_ac);
        }
        if (redisAsyncFormattedCommand(link_ac, on_reply, req, req->cmd, req->cmd_len) == REDIS_OK)
            return;
    }
    if (req->cb)
        req->cb(c, reply, req->ud);
    redisFreeCommand(req->cmd);
    free(req);
}

static int send_formatted(queue_conn_t *c, redisAsyncContext *ac, char *cmd, int len, bool keep,
                          queue_reply_cb cb, void *ud)
{
    req_t *req = calloc(1, sizeof *req);
    if (!req) {
        redisFreeCommand(cmd);
        return FACET_ENOMEM;
    }
    *req = (req_t){c, cb, ud, keep ? cmd : NULL, (size_t)len, false};
    int rc = redisAsyncFormattedCommand(ac, on_reply, req, cmd, (size_t)len);
    if (!keep)
        redisFreeCommand(cmd);
    if (rc != REDIS_OK) {
        redisFreeCommand(req->cmd);
        free(req);
        return FACET_ECLOSED;
    }
    return FACET_OK;
}

int queue_conn_command(queue_conn_t *c, queue_reply_cb cb, void *ud, int argc, const char **argv,
                       const size_t *lens)
{
    redisAsyncContext *ac = c && c->up ? cache_valkey_link_context(&c->link) : NULL;
    if (!ac)
        return FACET_ECLOSED;
    char *cmd = NULL;
    int len = redisFormatCommandArgv(&cmd, argc, argv, lens);
    if (len < 0)
        return FACET_ENOMEM;
    return send_formatted(c, ac, cmd, len, false, cb, ud);
}

int queue_conn_script(queue_conn_t *c, queue__script_id_t id, const queue__keys_t *keys,
                      int64_t now_ms, int argc, const char **argv, const size_t *lens,
                      queue_reply_cb cb, void *ud)
{
    redisAsyncContext *ac = c && c->up ? cache_valkey_link_context(&c->link) : NULL;
    if (!ac)
        return FACET_ECLOSED;
    int total = 4 + 2 + argc;
    const char *sv[MAX_STACK_ARGS];
    size_t sl[MAX_STACK_ARGS];
    const char **av = total <= MAX_STACK_ARGS ? sv : malloc(sizeof *av * (size_t)total);
    size_t *al = total <= MAX_STACK_ARGS ? sl : malloc(sizeof *al * (size_t)total);
    int rc = FACET_ENOMEM;
    if (!av || !al)
        goto out;
    char now[24];
    snprintf(now, sizeof now, "%lld", (long long)now_ms);
    int n = 0;
    av[n] = "FCALL", al[n++] = 5;
    av[n] = queue__script_function(id), al[n++] = strlen(av[1]);
    av[n] = "1", al[n++] = 1;
    av[n] = keys->key[QUEUE__K_META], al[n++] = keys->len[QUEUE__K_META];
    av[n] = keys->prefix, al[n++] = keys->prefix_len;
    av[n] = now, al[n++] = strlen(now);
    for (int i = 0; i < argc; i++)
        av[n] = argv[i], al[n++] = lens ? lens[i] : strlen(argv[i]);
    char *cmd = NULL;
    int len = redisFormatCommandArgv(&cmd, n, av, al);
    rc = len < 0 ? FACET_ENOMEM : send_formatted(c, ac, cmd, len, true, cb, ud);
out:
    if (av != sv)
        free(av);
    if (al != sl)
        free(al);
    return rc;
}
