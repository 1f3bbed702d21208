/* Real-time fan-out on one event loop. The hub holds one Valkey connection
 * in subscriber mode for the loop and a registry of channels, each holding
 * groups of members. Members whose subscriptions are the same (document,
 * variables, authorization scope: the caller's key) share a group, so an
 * event is handled once per group and the result written to every member.
 * If Valkey goes away, the hub subscribes again when it returns. */
#ifndef FACET_REALTIME_HUB_H
#define FACET_REALTIME_HUB_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "cache/valkey.h"

typedef struct rt_hub rt_hub_t;
typedef struct rt_group rt_group_t;

/* A member is embedded in the caller's subscription; it stays linked in its
 * group from rt_join to rt_leave. */
typedef struct rt_member {
    struct rt_member *prev, *next;
    rt_group_t *group;
    void *ud;
} rt_member_t;

typedef struct rt_group_ops {
    /* One event for the whole group: handle it once and write the result
     * to every member (rt_group_first / member->next). A member may leave
     * during the call; the group may not be freed until it returns. */
    void (*on_event)(rt_group_t *g, const char *data, size_t len);
    /* The last member left: free what make_data created. */
    void (*free_data)(void *data);
} rt_group_ops_t;

/* Creates the hub and starts connecting. Freed by rt_hub_close. */
int rt_hub_new(uv_loop_t *loop, const cache_valkey_addr_t *addr, int index, uint64_t timeout_ms,
               rt_hub_t **out);
/* Closes the connection; every member must have left. */
void rt_hub_close(rt_hub_t *hub);

/* Adds m to the group (channel, key), creating it with make_data(ctx) and
 * ops when new. Returns FACET_ENOMEM, or FACET_EINVAL when make_data
 * returns NULL (nothing joined). */
int rt_join(rt_hub_t *hub, const char *channel, const char *key, rt_member_t *m,
            void *(*make_data)(void *ctx), void *ctx, const rt_group_ops_t *ops);
void rt_leave(rt_member_t *m);

void *rt_group_data(const rt_group_t *g);
rt_member_t *rt_group_first(const rt_group_t *g);
size_t rt_group_size(const rt_group_t *g);

#endif
