/* Facet's own Lua scripts over BullMQ's data layout, and their SHA-1
 * digests for EVALSHA. The texts are compile-time constants and the digests
 * are computed once (queue__scripts_init, thread-safe), so every loop may
 * share them without locks. Every script takes the sixteen keys of
 * queue__keys_t as KEYS and the key prefix and the time in ms as ARGV[1..2];
 * the comment at the top of each script in scripts.c gives the rest. */
#ifndef FACET_QUEUE_SCRIPTS_H
#define FACET_QUEUE_SCRIPTS_H

typedef enum queue__script_id {
    QUEUE__ADD,          /* add a standard, delayed, prioritized or LIFO job */
    QUEUE__FETCH,        /* move up to n jobs to active and lock them */
    QUEUE__FINISH,       /* complete, fail or retry a job, then fetch more */
    QUEUE__EXTEND,       /* renew locks */
    QUEUE__STALLED,      /* stalled-job check and recovery */
    QUEUE__PROGRESS,     /* job progress */
    QUEUE__PAUSE,        /* pause or resume the queue */
    QUEUE__COUNTS,       /* job counts per state */
    QUEUE__SCHED_UPSERT, /* create or replace a job scheduler */
    QUEUE__SCHED_NEXT,   /* queue a scheduler's next iteration */
    QUEUE__SCHED_REMOVE, /* remove a job scheduler */
    QUEUE__SCRIPT_COUNT
} queue__script_id_t;

/* Computes the digests; safe to call from any thread, any number of times. */
void queue__scripts_init(void);

/* The script's Lua text (static storage). */
const char *queue__script_text(queue__script_id_t id);

/* The 40-digit SHA-1 of the text; queue__scripts_init must have run. */
const char *queue__script_sha(queue__script_id_t id);

/* The script's short name, for log lines. */
const char *queue__script_name(queue__script_id_t id);

#endif
