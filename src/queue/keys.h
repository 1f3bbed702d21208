/* The Valkey keys of one queue, laid out as BullMQ lays them out:
 * "<prefix>:<queue>:<suffix>" (prefix "bull" by default), and job hashes at
 * "<prefix>:<queue>:<job id>". Built once per queue and read-only after. */
#ifndef FACET_QUEUE_KEYS_H
#define FACET_QUEUE_KEYS_H

#include <stddef.h>

/* The order is the KEYS order of every script in scripts.c. */
typedef enum queue__key {
    QUEUE__K_WAIT,
    QUEUE__K_ACTIVE,
    QUEUE__K_PRIORITIZED,
    QUEUE__K_DELAYED,
    QUEUE__K_COMPLETED,
    QUEUE__K_FAILED,
    QUEUE__K_STALLED,
    QUEUE__K_STALLED_CHECK,
    QUEUE__K_ID,
    QUEUE__K_META,
    QUEUE__K_EVENTS,
    QUEUE__K_MARKER,
    QUEUE__K_PC,
    QUEUE__K_LIMITER,
    QUEUE__K_REPEAT,
    QUEUE__K_PAUSED,
    QUEUE__NKEYS
} queue__key_t;

typedef struct queue__keys {
    char *prefix; /* "bull:<queue>:", the job key prefix */
    size_t prefix_len;
    char *key[QUEUE__NKEYS];
    size_t len[QUEUE__NKEYS];
} queue__keys_t;

/* Builds the keys. The queue name must be 1 to 200 bytes without ':' (as
 * BullMQ requires), the prefix 1 to 100 bytes. Returns FACET_EINVAL for a bad
 * name, FACET_ENOMEM; on error nothing needs freeing. */
int queue__keys_init(queue__keys_t *k, const char *prefix, const char *queue);
void queue__keys_free(queue__keys_t *k);

#endif
