/* Channels, groups and members on one loop, over a subscriber connection. */
#include "realtime/hub.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/log.h"

typedef struct rt_channel rt_channel_t;

struct rt_group {
    rt_group_t *next;
    rt_channel_t *channel;
    char *key;
    void *data;
    const rt_group_ops_t *ops;
    rt_member_t *members;
    size_t size;
    int busy; /* inside on_event: freeing waits until it returns */
};

struct rt_channel {
    rt_channel_t *next;
    rt_hub_t *hub;
    char *name;
    rt_group_t *groups;
};

struct rt_hub {
    cache_valkey_t *valkey;
    rt_channel_t *channels;
    bool connected_once;
    int index;
};

static rt_channel_t *find_channel(rt_hub_t *hub, const char *name, size_t len)
{
    for (rt_channel_t *c = hub->channels; c; c = c->next) {
        if (strlen(c->name) == len && memcmp(c->name, name, len) == 0)
            return c;
    }
    return NULL;
}

static void drop_channel_if_empty(rt_channel_t *c);

static void on_message(const char *channel, size_t clen, const char *data, size_t len, void *ud)
{
    rt_hub_t *hub = ud;
    rt_channel_t *c = find_channel(hub, channel, clen);
    if (!c)
        return;
    for (rt_group_t *g = c->groups; g; g = g->next) {
        g->busy++;
        g->ops->on_event(g, data, len);
        g->busy--;
    }
    /* Groups emptied during delivery are freed now. */
    rt_group_t **link = &c->groups;
    while (*link) {
        rt_group_t *g = *link;
        if (g->size == 0) {
            *link = g->next;
            g->ops->free_data(g->data);
            free(g->key);
            free(g);
        } else {
            link = &g->next;
        }
    }
    drop_channel_if_empty(c);
}

/* After every (re)connection every channel is subscribed again, so
 * subscriptions survive a Valkey restart. */
static void on_connect(cache_valkey_t *v, void *ud)
{
    rt_hub_t *hub = ud;
    size_t n = 0;
    for (rt_channel_t *c = hub->channels; c; c = c->next, n++)
        cache_valkey_subscribe(v, c->name, on_message, hub);
    if (hub->connected_once && n) {
        facet_log_line_t line;
        if (facet_log_begin(&line, FACET_LOG_INFO, "subscriptions resumed")) {
            facet_log_int(&line, "thread", hub->index);
            facet_log_int(&line, "channels", (int64_t)n);
        }
        facet_log_end(&line);
    }
    hub->connected_once = true;
}

int rt_hub_new(uv_loop_t *loop, const cache_valkey_addr_t *addr, int index, uint64_t timeout_ms,
               rt_hub_t **out)
{
    rt_hub_t *hub = calloc(1, sizeof *hub);
    if (!hub)
        return FACET_ENOMEM;
    hub->index = index;
    int rc = cache_valkey_new(loop, addr, index, timeout_ms, &hub->valkey);
    if (rc != FACET_OK) {
        free(hub);
        return rc;
    }
    cache_valkey_on_connect(hub->valkey, on_connect, hub);
    *out = hub;
    return FACET_OK;
}

void rt_hub_close(rt_hub_t *hub)
{
    if (!hub)
        return;
    while (hub->channels) {
        rt_channel_t *c = hub->channels;
        hub->channels = c->next;
        free(c->name);
        free(c);
    }
    cache_valkey_close(hub->valkey);
    free(hub);
}

static rt_channel_t *channel_for(rt_hub_t *hub, const char *name)
{
    rt_channel_t *c = find_channel(hub, name, strlen(name));
    if (c)
        return c;
    c = calloc(1, sizeof *c);
    if (!c || !(c->name = strdup(name))) {
        free(c);
        return NULL;
    }
    c->hub = hub;
    c->next = hub->channels;
    hub->channels = c;
    /* Not connected now: on_connect subscribes it later. */
    cache_valkey_subscribe(hub->valkey, name, on_message, hub);
    return c;
}

static rt_group_t *group_for(rt_channel_t *c, const char *key, void *(*make_data)(void *),
                             void *ctx, const rt_group_ops_t *ops)
{
    for (rt_group_t *g = c->groups; g; g = g->next) {
        if (strcmp(g->key, key) == 0)
            return g;
    }
    rt_group_t *g = calloc(1, sizeof *g);
    if (!g || !(g->key = strdup(key))) {
        free(g);
        return NULL;
    }
    g->data = make_data(ctx);
    if (!g->data) {
        free(g->key);
        free(g);
        return NULL;
    }
    g->channel = c;
    g->ops = ops;
    g->next = c->groups;
    c->groups = g;
    return g;
}

static void drop_channel_if_empty(rt_channel_t *c)
{
    if (c->groups)
        return;
    rt_hub_t *hub = c->hub;
    for (rt_channel_t **link = &hub->channels; *link; link = &(*link)->next) {
        if (*link == c) {
            *link = c->next;
            break;
        }
    }
    cache_valkey_unsubscribe(hub->valkey, c->name);
    free(c->name);
    free(c);
}

int rt_join(rt_hub_t *hub, const char *channel, const char *key, rt_member_t *m,
            void *(*make_data)(void *ctx), void *ctx, const rt_group_ops_t *ops)
{
    rt_channel_t *c = channel_for(hub, channel);
    if (!c)
        return FACET_ENOMEM;
    rt_group_t *g = group_for(c, key, make_data, ctx, ops);
    if (!g) {
        drop_channel_if_empty(c);
        return FACET_EINVAL;
    }
    m->group = g;
    m->prev = NULL;
    m->next = g->members;
    if (g->members)
        g->members->prev = m;
    g->members = m;
    g->size++;
    return FACET_OK;
}

void rt_leave(rt_member_t *m)
{
    rt_group_t *g = m->group;
    if (!g)
        return;
    if (m->prev)
        m->prev->next = m->next;
    else
        g->members = m->next;
    if (m->next)
        m->next->prev = m->prev;
    m->group = NULL;
    if (--g->size > 0 || g->busy)
        return;
    rt_channel_t *c = g->channel;
    for (rt_group_t **link = &c->groups; *link; link = &(*link)->next) {
        if (*link == g) {
            *link = g->next;
            break;
        }
    }
    g->ops->free_data(g->data);
    free(g->key);
    free(g);
    drop_channel_if_empty(c);
}

void *rt_group_data(const rt_group_t *g)
{
    return g->data;
}

rt_member_t *rt_group_first(const rt_group_t *g)
{
    return g->members;
}

size_t rt_group_size(const rt_group_t *g)
{
    return g->size;
}
