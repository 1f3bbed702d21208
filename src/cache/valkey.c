/* The cache's Valkey connection: commands with a deadline, PING and
 * pub/sub over the reconnecting link of valkey_link.h, and URL parsing. */
#include "cache/valkey.h"

#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache/valkey_link.h"
#include "core/error.h"

struct cache_valkey {
    cache_valkey_link_t link;
    cache_valkey_connect_cb on_connect; /* after every (re)connection */
    void *on_connect_ud;
};

static void on_link_connected(cache_valkey_link_t *l, void *ud)
{
    cache_valkey_t *v = ud;
    (void)l;
    if (v->on_connect)
        v->on_connect(v, v->on_connect_ud);
}

int cache_valkey_new(uv_loop_t *loop, const cache_valkey_addr_t *addr, int index,
                     uint64_t connect_timeout_ms, cache_valkey_t **out)
{
    cache_valkey_t *v = calloc(1, sizeof *v);
    if (!v)
        return FACET_ENOMEM;
    cache_valkey_link_opts_t opts = {
        .addr = addr,
        .connect_timeout_ms = connect_timeout_ms,
        .thread = index,
        .log_down_ms = true,
        .hooks = {.connected = on_link_connected, .released = free},
        .ud = v,
    };
    cache_valkey_link_init(&v->link, loop, &opts);
    *out = v;
    return FACET_OK;
}

void cache_valkey_close(cache_valkey_t *v)
{
    if (v)
        cache_valkey_link_close(&v->link, true);
}

bool cache_valkey_connected(const cache_valkey_t *v)
{
    return v && cache_valkey_link_context(&v->link);
}

/* ---- commands with a deadline ---- */

typedef struct cmd {
    cache_valkey_reply_cb cb;
    void *ud;
    uv_timer_t timer;
    bool done;
    int refs; /* the pending reply and the timer handle */
} cmd_t;

static void cmd_unref(cmd_t *c)
{
    if (--c->refs == 0)
        free(c);
}

static void cmd_finish(cmd_t *c, int status, const redisReply *reply)
{
    if (c->done)
        return;
    c->done = true;
    uv_timer_stop(&c->timer);
    c->cb(status, reply, c->ud);
}

static void on_cmd_timer_closed(uv_handle_t *h)
{
    cmd_unref(h->data);
}

static void on_cmd_timeout(uv_timer_t *t)
{
    cmd_t *c = t->data;
    cmd_finish(c, FACET_ETIMEDOUT, NULL);
    uv_close((uv_handle_t *)&c->timer, on_cmd_timer_closed);
}

/* hiredis calls this once per command: with the reply, or with NULL when
 * the connection went away first. */
static void on_reply(redisAsyncContext *ac, void *r, void *priv)
{
    cmd_t *c = priv;
    redisReply *reply = r;
    (void)ac;
    if (!c->done) {
        int status = !reply ? FACET_EIO : reply->type == REDIS_REPLY_ERROR ? FACET_EIO : FACET_OK;
        cmd_finish(c, status, reply);
        uv_close((uv_handle_t *)&c->timer, on_cmd_timer_closed);
    }
    cmd_unref(c);
}

int cache_valkey_command_argv(cache_valkey_t *v, uint64_t timeout_ms, int argc, const char **argv,
                              const size_t *argvlen, cache_valkey_reply_cb cb, void *ud)
{
    redisAsyncContext *ac = v ? cache_valkey_link_context(&v->link) : NULL;
    if (!ac)
        return FACET_ECLOSED;
    cmd_t *c = calloc(1, sizeof *c);
    if (!c)
        return FACET_ENOMEM;
    c->cb = cb;
    c->ud = ud;
    if (redisAsyncCommandArgv(ac, on_reply, c, argc, argv, argvlen) != REDIS_OK) {
        free(c);
        return FACET_ECLOSED;
    }
    c->refs = 2;
    uv_timer_init(cache_valkey_link_loop(&v->link), &c->timer);
    c->timer.data = c;
    uv_timer_start(&c->timer, on_cmd_timeout, timeout_ms, 0);
    return FACET_OK;
}

typedef struct ping_ctx {
    cache_valkey_ping_cb cb;
    void *ud;
} ping_ctx_t;

static void on_pong(int status, const redisReply *reply, void *ud)
{
    ping_ctx_t *p = ud;
    if (status == FACET_OK &&
        !(reply->type == REDIS_REPLY_STATUS && strcmp(reply->str, "PONG") == 0))
        status = FACET_EIO;
    p->cb(status, p->ud);
    free(p);
}

int cache_valkey_ping(cache_valkey_t *v, uint64_t timeout_ms, cache_valkey_ping_cb cb, void *ud)
{
    static const char *argv[] = {"PING"};
    ping_ctx_t *p = malloc(sizeof *p);
    if (!p)
        return FACET_ENOMEM;
    p->cb = cb;
    p->ud = ud;
    int rc = cache_valkey_command_argv(v, timeout_ms, 1, argv, NULL, on_pong, p);
    if (rc != FACET_OK)
        free(p);
    return rc;
}

void cache_valkey_on_connect(cache_valkey_t *v, cache_valkey_connect_cb cb, void *ud)
{
    v->on_connect = cb;
    v->on_connect_ud = ud;
}

/* ---- pub/sub ---- */

typedef struct sub {
    cache_valkey_message_cb cb;
    void *ud;
} sub_t;

/* hiredis keeps a SUBSCRIBE's callback for the channel and calls it for the
 * subscription's confirmation, every message, and the unsubscription; with
 * NULL when the connection goes away. */
static void on_sub_reply(redisAsyncContext *ac, void *r, void *priv)
{
    redisReply *reply = r;
    sub_t *s = priv;
    (void)ac;
    if (!reply) {
        free(s);
        return;
    }
    if (reply->type != REDIS_REPLY_ARRAY || reply->elements < 3)
        return;
    const redisReply *kind = reply->element[0];
    if (kind->type != REDIS_REPLY_STRING)
        return;
    if (strcmp(kind->str, "message") == 0 && reply->element[2]->type == REDIS_REPLY_STRING) {
        const redisReply *ch = reply->element[1], *data = reply->element[2];
        s->cb(ch->str, ch->len, data->str, data->len, s->ud);
    } else if (strcmp(kind->str, "unsubscribe") == 0) {
        free(s);
    }
}

int cache_valkey_subscribe(cache_valkey_t *v, const char *channel, cache_valkey_message_cb cb,
                           void *ud)
{
    redisAsyncContext *ac = v ? cache_valkey_link_context(&v->link) : NULL;
    if (!ac)
        return FACET_ECLOSED;
    sub_t *s = malloc(sizeof *s);
    if (!s)
        return FACET_ENOMEM;
    s->cb = cb;
    s->ud = ud;
    const char *argv[] = {"SUBSCRIBE", channel};
    if (redisAsyncCommandArgv(ac, on_sub_reply, s, 2, argv, NULL) != REDIS_OK) {
        free(s);
        return FACET_ECLOSED;
    }
    return FACET_OK;
}

int cache_valkey_unsubscribe(cache_valkey_t *v, const char *channel)
{
    redisAsyncContext *ac = v ? cache_valkey_link_context(&v->link) : NULL;
    if (!ac)
        return FACET_ECLOSED;
    const char *argv[] = {"UNSUBSCRIBE", channel};
    return redisAsyncCommandArgv(ac, NULL, NULL, 2, argv, NULL) == REDIS_OK ? FACET_OK
                                                                            : FACET_ECLOSED;
}

/* ---- URL parsing ---- */

static int url_error(char *err, size_t errlen, const char *why)
{
    snprintf(err, errlen, "VALKEY_URL: %s", why);
    return FACET_EINVAL;
}

static int parse_userinfo(const char *p, size_t len, cache_valkey_addr_t *out, char *err,
                          size_t errlen)
{
    const char *colon = memchr(p, ':', len);
    size_t ulen = colon ? (size_t)(colon - p) : 0;
    const char *pw = colon ? colon + 1 : p;
    size_t pwlen = colon ? len - ulen - 1 : len;
    if (ulen >= sizeof out->username || pwlen >= sizeof out->password)
        return url_error(err, errlen, "user name or password too long");
    memcpy(out->username, p, ulen);
    out->username[ulen] = '\0';
    memcpy(out->password, pw, pwlen);
    out->password[pwlen] = '\0';
    return FACET_OK;
}

static int parse_number(const char *s, size_t len, int max, int *out)
{
    int v = 0;
    if (len == 0 || len > 5)
        return FACET_EINVAL;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return FACET_EINVAL;
        v = v * 10 + (s[i] - '0');
    }
    if (v > max)
        return FACET_EINVAL;
    *out = v;
    return FACET_OK;
}

static int parse_hostport(const char *p, size_t len, cache_valkey_addr_t *out, char *err,
                          size_t errlen)
{
    const char *host = p, *port = NULL;
    size_t hlen = len;
    if (len > 0 && p[0] == '[') {
        const char *close = memchr(p, ']', len);
        if (!close)
            return url_error(err, errlen, "unterminated IPv6 address");
        host = p + 1;
        hlen = (size_t)(close - host);
        if (close + 1 < p + len && close[1] == ':')
            port = close + 2;
    } else {
        const char *colon = memchr(p, ':', len);
        if (colon) {
            hlen = (size_t)(colon - p);
            port = colon + 1;
        }
    }
    if (hlen == 0 || hlen >= sizeof out->host)
        return url_error(err, errlen, "missing or overlong host");
    memcpy(out->host, host, hlen);
    out->host[hlen] = '\0';
    out->port = 6379;
    if (port && parse_number(port, (size_t)(p + len - port), 65535, &out->port) != FACET_OK)
        return url_error(err, errlen, "invalid port");
    if (out->port == 0)
        return url_error(err, errlen, "invalid port");
    return FACET_OK;
}

int cache_valkey_parse_url(const char *url, cache_valkey_addr_t *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    const char *rest;
    if (strncmp(url, "redis://", 8) == 0)
        rest = url + 8;
    else if (strncmp(url, "valkey://", 9) == 0)
        rest = url + 9;
    else if (strncmp(url, "rediss://", 9) == 0 || strncmp(url, "valkeys://", 10) == 0)
        return url_error(err, errlen, "TLS (rediss://) is not supported by this build");
    else
        return url_error(err, errlen, "must start with redis:// or valkey://");
    const char *slash = strchr(rest, '/');
    size_t auth_len = slash ? (size_t)(slash - rest) : strlen(rest);
    const char *at = memchr(rest, '@', auth_len);
    if (at) {
        if (parse_userinfo(rest, (size_t)(at - rest), out, err, errlen) != FACET_OK)
            return FACET_EINVAL;
        auth_len -= (size_t)(at + 1 - rest);
        rest = at + 1;
    }
    if (parse_hostport(rest, auth_len, out, err, errlen) != FACET_OK)
        return FACET_EINVAL;
    if (slash && slash[1] && parse_number(slash + 1, strlen(slash + 1), 15, &out->db) != FACET_OK)
        return url_error(err, errlen, "database must be a number from 0 to 15");
    return FACET_OK;
}
