/* hiredis on libuv without per-command poll restarts (see hiredis_uv.h). */
#include "cache/hiredis_uv.h"

#include <stdbool.h>
#include <stdlib.h>

#include "core/error.h"

typedef struct adapter {
    redisAsyncContext *ac; /* NULL once hiredis has let go */
    uv_poll_t poll;
    uv_prepare_t flush;
    int events; /* what poll watches */
    bool want_write;
    bool flushing;
    int open_handles;
} adapter_t;

static void on_poll(uv_poll_t *h, int status, int events);

static void set_events(adapter_t *a, int events)
{
    if (events == a->events)
        return;
    a->events = events;
    if (events)
        uv_poll_start(&a->poll, events, on_poll);
    else
        uv_poll_stop(&a->poll);
}

static void on_poll(uv_poll_t *h, int status, int events)
{
    adapter_t *a = h->data;
    if (status < 0) {
        /* libuv stopped the handle on a socket error; a read lets hiredis see
         * the error and disconnect. */
        a->events = 0;
        events = UV_READABLE;
    }
    if (a->ac && (events & UV_READABLE))
        redisAsyncHandleRead(a->ac);
    if (a->ac && (events & UV_WRITABLE))
        redisAsyncHandleWrite(a->ac);
}

static void on_flush(uv_prepare_t *h)
{
    adapter_t *a = h->data;
    uv_prepare_stop(h);
    if (!a->ac || !a->want_write)
        return;
    a->want_write = false;
    a->flushing = true; /* a short write asks for writability below */
    redisAsyncHandleWrite(a->ac);
    a->flushing = false;
}

static void add_read(void *p)
{
    adapter_t *a = p;
    set_events(a, a->events | UV_READABLE);
}

static void del_read(void *p)
{
    adapter_t *a = p;
    set_events(a, a->events & ~UV_READABLE);
}

static void add_write(void *p)
{
    adapter_t *a = p;
    if (!(a->ac->c.flags & REDIS_CONNECTED) || a->flushing) {
        set_events(a, a->events | UV_WRITABLE);
        return;
    }
    a->want_write = true;
    if (!uv_is_active((uv_handle_t *)&a->flush))
        uv_prepare_start(&a->flush, on_flush);
}

static void del_write(void *p)
{
    adapter_t *a = p;
    a->want_write = false;
    set_events(a, a->events & ~UV_WRITABLE);
}

static void on_closed(uv_handle_t *h)
{
    adapter_t *a = h->data;
    if (--a->open_handles == 0)
        free(a);
}

static void cleanup(void *p)
{
    adapter_t *a = p;
    a->ac = NULL;
    uv_close((uv_handle_t *)&a->poll, on_closed);
    uv_close((uv_handle_t *)&a->flush, on_closed);
}

int cache__hiredis_attach(redisAsyncContext *ac, uv_loop_t *loop)
{
    if (ac->ev.data != NULL)
        return FACET_EINVAL;
    adapter_t *a = calloc(1, sizeof *a);
    if (!a)
        return FACET_ENOMEM;
    if (uv_poll_init(loop, &a->poll, ac->c.fd) != 0) {
        free(a);
        return FACET_EINVAL;
    }
    uv_prepare_init(loop, &a->flush);
    a->poll.data = a->flush.data = a;
    a->open_handles = 2;
    a->ac = ac;
    ac->ev.addRead = add_read;
    ac->ev.delRead = del_read;
    ac->ev.addWrite = add_write;
    ac->ev.delWrite = del_write;
    ac->ev.cleanup = cleanup;
    ac->ev.data = a;
    return FACET_OK;
}
