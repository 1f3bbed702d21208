/* Facet's own Lua over BullMQ's data layout, loaded into Valkey as one
 * function library (FUNCTION LOAD, Valkey 7 or later) and called with FCALL:
 * the shared code runs once when the library loads, not on every call. The
 * texts are compile-time constants; the library and its function names are
 * assembled once (queue__scripts_init, thread-safe), so every loop may share
 * them without locks. Every function takes one key, the queue's meta key
 * (it routes the call in a cluster), and the key prefix and the time in ms as
 * ARGV[1..2]; the comment at the top of each body in scripts.c gives the
 * rest. */
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

/* Assembles the library; safe to call from any thread, any number of times. */
void queue__scripts_init(void);

/* The library's text for FUNCTION LOAD (static storage). */
const char *queue__scripts_library(void);

/* The name to FCALL for the script; queue__scripts_init must have run. */
const char *queue__script_function(queue__script_id_t id);

/* The script's short name, for log lines. */
const char *queue__script_name(queue__script_id_t id);

#endif
