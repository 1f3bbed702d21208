/* Key names of a queue (see keys.h). */
#include "queue/keys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

static const char *const suffixes[QUEUE__NKEYS] = {
    [QUEUE__K_WAIT] = "wait",
    [QUEUE__K_ACTIVE] = "active",
    [QUEUE__K_PRIORITIZED] = "prioritized",
    [QUEUE__K_DELAYED] = "delayed",
    [QUEUE__K_COMPLETED] = "completed",
    [QUEUE__K_FAILED] = "failed",
    [QUEUE__K_STALLED] = "stalled",
    [QUEUE__K_STALLED_CHECK] = "stalled-check",
    [QUEUE__K_ID] = "id",
    [QUEUE__K_META] = "meta",
    [QUEUE__K_EVENTS] = "events",
    [QUEUE__K_MARKER] = "marker",
    [QUEUE__K_PC] = "pc",
    [QUEUE__K_LIMITER] = "limiter",
    [QUEUE__K_REPEAT] = "repeat",
    [QUEUE__K_PAUSED] = "paused",
};

static char *join(const char *a, const char *b, size_t *len)
{
    size_t n = strlen(a) + strlen(b);
    char *s = malloc(n + 1);
    if (s)
        snprintf(s, n + 1, "%s%s", a, b);
    *len = n;
    return s;
}

int queue__keys_init(queue__keys_t *k, const char *prefix, const char *queue)
{
    memset(k, 0, sizeof *k);
    size_t qlen = strlen(queue), plen = strlen(prefix);
    if (qlen == 0 || qlen > 200 || strchr(queue, ':') || plen == 0 || plen > 100)
        return FACET_EINVAL;
    k->prefix_len = plen + qlen + 2;
    k->prefix = malloc(k->prefix_len + 1);
    if (!k->prefix)
        return FACET_ENOMEM;
    snprintf(k->prefix, k->prefix_len + 1, "%s:%s:", prefix, queue);
    for (int i = 0; i < QUEUE__NKEYS; i++) {
        k->key[i] = join(k->prefix, suffixes[i], &k->len[i]);
        if (!k->key[i]) {
            queue__keys_free(k);
            return FACET_ENOMEM;
        }
    }
    return FACET_OK;
}

void queue__keys_free(queue__keys_t *k)
{
    for (int i = 0; i < QUEUE__NKEYS; i++)
        free(k->key[i]);
    free(k->prefix);
    memset(k, 0, sizeof *k);
}
