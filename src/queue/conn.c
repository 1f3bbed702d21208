/* Queue connections: hiredis async on libuv with reconnect, the function
 * library loaded on connect, and FCALL (see conn.h). */
#include "queue/conn.h"

#include <hiredis/async.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "core/log.h"
#include "queue/hiredis_uv.h"

#define BACKOFF_MIN_MS     100
#define BACKOFF_MAX_MS     5000
#define CONNECT_TIMEOUT_MS 5000
#define MAX_STACK_ARGS     64

struct queue_conn {
    uv_loop_t *loop;
    cache_valkey_addr_t addr;
    char label[64];
    queue_conn_state_cb state_cb;
    void *state_ud;
    redisAsyncContext *ac;
    bool up;        /* connected and set up: commands may be sent */
    bool announced; /* state_cb was told "up" and not yet "down" */
    bool connected; /* hiredis reported the connection */
    bool closing;
    bool down_logged;
    bool was_up;
    bool reloading; /* FUNCTION LOAD sent after "Function not found" */
    uint64_t backoff_ms;
    uv_timer_t retry;
    uv_timer_t connect;
    int open_handles;
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

static void start_connect(queue_conn_t *c);

int64_t queue_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void log_dep(queue_conn_t *c, facet_log_level_t level, const char *msg, const char *err)
{
    facet_log_line_t line;
    if (facet_log_begin(&line, level, msg)) {
        facet_log_cstr(&line, "dependency", "valkey");
        facet_log_cstr(&line, "connection", c->label);
        if (err)
            facet_log_cstr(&line, "error", err);
    }
    facet_log_end(&line);
}

/* ---- connection life cycle ---- */

static void on_retry(uv_timer_t *t)
{
    start_connect(t->data);
}

static void schedule_retry(queue_conn_t *c, const char *why)
{
    if (c->closing)
        return;
    if (!c->down_logged) {
        c->down_logged = true;
        log_dep(c, FACET_LOG_WARN, c->was_up ? "dependency lost" : "dependency unavailable", why);
    }
    uv_timer_start(&c->retry, on_retry, c->backoff_ms, 0);
    c->backoff_ms = c->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : c->backoff_ms * 2;
}

static void on_setup_reply(redisAsyncContext *ac, void *r, void *priv)
{
    redisReply *reply = r;
    queue_conn_t *c = ac->data;
    bool loading = priv && strcmp(priv, "FUNCTION LOAD") == 0;
    /* Another instance of the same version loaded it first. */
    bool loaded = loading && reply && reply->type == REDIS_REPLY_ERROR &&
                  strstr(reply->str, "already exists");
    if (reply && reply->type == REDIS_REPLY_ERROR && !loaded) {
        char msg[300];
        snprintf(msg, sizeof msg, "%s failed: %.200s", (const char *)priv, reply->str);
        log_dep(c, FACET_LOG_ERROR, "dependency misconfigured", msg);
        redisAsyncDisconnect(ac);
    }
    if (loading)
        c->reloading = false;
}

/* Loads the function library. Sent right after connecting (and after
 * "Function not found", e.g. once Valkey restarted without persistence),
 * before anything else, so that every later FCALL on this connection finds
 * its function: replies and commands keep their order on one connection. */
static void load_scripts(queue_conn_t *c)
{
    redisAsyncCommand(c->ac, on_setup_reply, "FUNCTION LOAD", "FUNCTION LOAD %s",
                      queue__scripts_library());
}

/* Announces a new connection from a timer rather than from hiredis' connect
 * callback, because the state callback may close the connection and hiredis
 * still uses the context after its connect callback returns. */
static void on_announce(uv_timer_t *t)
{
    queue_conn_t *c = t->data;
    if (!c->up || c->announced)
        return;
    c->announced = true;
    if (c->state_cb)
        c->state_cb(c, true, c->state_ud);
}

static void on_connect(const redisAsyncContext *cac, int status)
{
    queue_conn_t *c = cac->data;
    redisAsyncContext *ac = (redisAsyncContext *)cac;
    uv_timer_stop(&c->connect);
    if (status != REDIS_OK) {
        c->ac = NULL; /* hiredis frees a context that failed to connect */
        schedule_retry(c, cac->errstr);
        return;
    }
    c->connected = true;
    if (c->addr.password[0] && c->addr.username[0])
        redisAsyncCommand(ac, on_setup_reply, "AUTH", "AUTH %s %s", c->addr.username,
                          c->addr.password);
    else if (c->addr.password[0])
        redisAsyncCommand(ac, on_setup_reply, "AUTH", "AUTH %s", c->addr.password);
    if (c->addr.db)
        redisAsyncCommand(ac, on_setup_reply, "SELECT", "SELECT %d", c->addr.db);
    load_scripts(c);
    c->up = true;
    c->backoff_ms = BACKOFF_MIN_MS;
    if (c->down_logged)
        log_dep(c, FACET_LOG_INFO, "dependency regained", NULL);
    c->down_logged = false;
    c->was_up = true;
    uv_timer_start(&c->connect, on_announce, 0, 0);
}

static void maybe_free(queue_conn_t *c)
{
    if (c->closing && c->open_handles == 0 && c->ac == NULL)
        free(c);
}

static void on_disconnect(const redisAsyncContext *ac, int status)
{
    queue_conn_t *c = ac->data;
    bool was_up = c->announced;
    c->announced = false;
    c->ac = NULL;
    c->up = false;
    c->connected = false;
    if (c->closing) {
        maybe_free(c);
        return;
    }
    schedule_retry(c, status == REDIS_OK ? "connection closed" : ac->errstr);
    if (was_up && c->state_cb)
        c->state_cb(c, false, c->state_ud);
}

static void on_connect_timeout(uv_timer_t *t)
{
    queue_conn_t *c = t->data;
    if (c->ac && !c->connected) {
        redisAsyncFree(c->ac); /* never connected: no callbacks */
        c->ac = NULL;
        schedule_retry(c, "connect timed out");
    }
}

static void start_connect(queue_conn_t *c)
{
    if (c->closing || c->ac)
        return;
    redisAsyncContext *ac = redisAsyncConnect(c->addr.host, c->addr.port);
    if (!ac || ac->err) {
        char msg[160];
        snprintf(msg, sizeof msg, "%s", ac ? ac->errstr : "out of memory");
        if (ac)
            redisAsyncFree(ac);
        schedule_retry(c, msg);
        return;
    }
    ac->data = c;
    if (queue__hiredis_attach(ac, c->loop) != FACET_OK) {
        redisAsyncFree(ac);
        schedule_retry(c, "out of memory");
        return;
    }
    redisAsyncSetConnectCallback(ac, on_connect);
    redisAsyncSetDisconnectCallback(ac, on_disconnect);
    c->ac = ac;
    uv_timer_start(&c->connect, on_connect_timeout, CONNECT_TIMEOUT_MS, 0);
}

int queue_conn_new(uv_loop_t *loop, const cache_valkey_addr_t *addr, const char *label,
                   queue_conn_state_cb cb, void *ud, queue_conn_t **out)
{
    queue__scripts_init();
    queue_conn_t *c = calloc(1, sizeof *c);
    if (!c)
        return FACET_ENOMEM;
    c->loop = loop;
    c->addr = *addr;
    snprintf(c->label, sizeof c->label, "%s", label ? label : "queue");
    c->state_cb = cb;
    c->state_ud = ud;
    c->backoff_ms = BACKOFF_MIN_MS;
    uv_timer_init(loop, &c->retry);
    uv_timer_init(loop, &c->connect);
    c->retry.data = c->connect.data = c;
    c->open_handles = 2;
    start_connect(c);
    *out = c;
    return FACET_OK;
}

static void on_timer_closed(uv_handle_t *h)
{
    queue_conn_t *c = h->data;
    c->open_handles--;
    maybe_free(c);
}

/* Frees the hiredis context now. A connected context calls on_disconnect
 * (which clears c->ac); one still connecting is freed without callbacks. */
static void free_context(queue_conn_t *c)
{
    if (!c->ac)
        return;
    bool connected = c->connected;
    redisAsyncFree(c->ac);
    if (!connected)
        c->ac = NULL;
}

void queue_conn_close(queue_conn_t *c)
{
    if (!c || c->closing)
        return;
    c->closing = true;
    c->up = false;
    uv_close((uv_handle_t *)&c->retry, on_timer_closed);
    uv_close((uv_handle_t *)&c->connect, on_timer_closed);
    free_context(c);
}

void queue_conn_drop(queue_conn_t *c, const char *why)
{
    if (c->closing || !c->ac)
        return;
    log_dep(c, FACET_LOG_WARN, "dependency connection reset", why);
    free_context(c);
    if (!c->connected && !c->ac && !uv_is_active((uv_handle_t *)&c->retry))
        schedule_retry(c, why);
}

bool queue_conn_up(const queue_conn_t *c)
{
    return c && c->up;
}

uv_loop_t *queue_conn_loop(const queue_conn_t *c)
{
    return c->loop;
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
    if (is_unloaded(reply) && req->cmd && !req->resent && c->up) {
        req->resent = true;
        if (!c->reloading) {
            c->reloading = true;
            load_scripts(c);
        }
        if (redisAsyncFormattedCommand(c->ac, on_reply, req, req->cmd, req->cmd_len) == REDIS_OK)
            return;
    }
    if (req->cb)
        req->cb(c, reply, req->ud);
    redisFreeCommand(req->cmd);
    free(req);
}

static int send_formatted(queue_conn_t *c, char *cmd, int len, bool keep, queue_reply_cb cb,
                          void *ud)
{
    req_t *req = calloc(1, sizeof *req);
    if (!req) {
        redisFreeCommand(cmd);
        return FACET_ENOMEM;
    }
    *req = (req_t){c, cb, ud, keep ? cmd : NULL, (size_t)len, false};
    int rc = redisAsyncFormattedCommand(c->ac, on_reply, req, cmd, (size_t)len);
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
    if (!c || !c->up || c->closing || !c->ac)
        return FACET_ECLOSED;
    char *cmd = NULL;
    int len = redisFormatCommandArgv(&cmd, argc, argv, lens);
    if (len < 0)
        return FACET_ENOMEM;
    return send_formatted(c, cmd, len, false, cb, ud);
}

int queue_conn_script(queue_conn_t *c, queue__script_id_t id, const queue__keys_t *keys,
                      int64_t now_ms, int argc, const char **argv, const size_t *lens,
                      queue_reply_cb cb, void *ud)
{
    if (!c || !c->up || c->closing || !c->ac)
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
    rc = len < 0 ? FACET_ENOMEM : send_formatted(c, cmd, len, true, cb, ud);
out:
    if (av != sv)
        free(av);
    if (al != sl)
        free(al);
    return rc;
}
