/* Worker threads, listening sockets and the drain on shutdown. */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/error.h"
#include "core/log.h"
#include "http/internal.h"

#define LISTEN_BACKLOG 1024

/* Resolves the configured host at start-up; numeric addresses need no DNS. */
static int resolve(const char *host, int port, struct sockaddr_storage *ss, char *err,
                   size_t errlen)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC,
                             .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    struct addrinfo *res = NULL;
    char portstr[8];
    snprintf(portstr, sizeof portstr, "%d", port);
    int rc = getaddrinfo(host, portstr, &hints, &res);
    if (rc != 0 || !res) {
        snprintf(err, errlen, "FACET_HOST: cannot resolve \"%s\": %s", host, gai_strerror(rc));
        return FACET_EINVAL;
    }
    memcpy(ss, res->ai_addr, res->ai_addrlen);
    freeaddrinfo(res);
    return FACET_OK;
}

static int bound_port(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
        return -1;
    if (ss.ss_family == AF_INET6)
        return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

/* Each worker gets its own socket on the same port (SO_REUSEPORT), so the
 * kernel spreads new connections across loops without a shared accept. */
static int open_listener(struct sockaddr_storage *ss, char *err, size_t errlen)
{
    int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(err, errlen, "socket: %s", strerror(errno));
        return -1;
    }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0) {
        snprintf(err, errlen, "SO_REUSEPORT: %s", strerror(errno));
        close(fd);
        return -1;
    }
    socklen_t len =
        ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    if (bind(fd, (struct sockaddr *)ss, len) != 0 || listen(fd, LISTEN_BACKLOG) != 0) {
        snprintf(err, errlen, "FACET_PORT: cannot listen on port %d: %s",
                 ntohs(((struct sockaddr_in *)ss)->sin_port), strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

static void on_date_timer(uv_timer_t *t)
{
    http__update_date(t->data);
}

static void on_drain_timeout(uv_timer_t *t)
{
    http_worker_t *w = t->data;
    facet_log_line_t line;
    if (facet_log_begin(&line, FACET_LOG_WARN, "shutdown timeout; closing connections")) {
        facet_log_int(&line, "thread", w->index);
        facet_log_int(&line, "connections", (int64_t)w->nconns);
    }
    facet_log_end(&line);
    for (http_conn_t *c = w->conns, *next; c; c = next) {
        next = c->next;
        http__conn_close(c);
    }
}

static void begin_drain(http_worker_t *w)
{
    if (w->draining)
        return;
    w->draining = true;
    if (!w->listener_closed) {
        w->listener_closed = true;
        uv_close((uv_handle_t *)&w->listener, NULL);
    }
    for (http_conn_t *c = w->conns, *next; c; c = next) {
        next = c->next;
        http__conn_drain(c);
    }
    uv_timer_start(&w->drain_timer, on_drain_timeout, w->server->opts.shutdown_timeout_ms, 0);
    http__worker_maybe_finish(w);
}

static void on_wakeup(uv_async_t *a)
{
    http_worker_t *w = a->data;
    if (atomic_load(&w->server->stopping))
        begin_drain(w);
}

void http__worker_maybe_finish(http_worker_t *w)
{
    if (!w->draining || w->nconns > 0 || uv_is_closing((uv_handle_t *)&w->wakeup))
        return;
    uv_close((uv_handle_t *)&w->wakeup, NULL);
    uv_close((uv_handle_t *)&w->drain_timer, NULL);
    uv_close((uv_handle_t *)&w->date_timer, NULL);
    if (w->server->opts.worker_fini)
        w->server->opts.worker_fini(w, w->server->opts.ud);
}

static void worker_main(void *arg)
{
    http_worker_t *w = arg;
    int rc = uv_listen((uv_stream_t *)&w->listener, LISTEN_BACKLOG, http__on_connection);
    if (rc != 0) {
        facet_log_kv(FACET_LOG_ERROR, "listen failed", "error", uv_strerror(rc));
        atomic_store(&w->server->stopping, true);
        begin_drain(w);
    }
    uv_run(&w->loop, UV_RUN_DEFAULT);
    atomic_fetch_add(&w->server->finished, 1);
}

static int worker_setup(http_server_t *s, http_worker_t *w, int index, int fd)
{
    w->server = s;
    w->index = index;
    w->listen_fd = fd;
    uv_loop_init(&w->loop);
    uv_tcp_init(&w->loop, &w->listener);
    w->listener.data = w;
    uv_tcp_open(&w->listener, fd);
    uv_async_init(&w->loop, &w->wakeup, on_wakeup);
    w->wakeup.data = w;
    uv_timer_init(&w->loop, &w->drain_timer);
    w->drain_timer.data = w;
    uv_timer_init(&w->loop, &w->date_timer);
    w->date_timer.data = w;
    uv_unref((uv_handle_t *)&w->date_timer);
    http__update_date(w);
    uv_timer_start(&w->date_timer, on_date_timer, 1000, 1000);
    if (s->opts.worker_init)
        return s->opts.worker_init(w, s->opts.ud);
    return FACET_OK;
}

/* Runs a loop that never started until every handle it holds is closed. */
static void worker_teardown(http_worker_t *w)
{
    atomic_store(&w->server->stopping, true);
    begin_drain(w);
    uv_run(&w->loop, UV_RUN_DEFAULT);
    uv_loop_close(&w->loop);
}

/* SO_REUSEPORT would let a second Facet share a port another one holds and
 * take half its traffic. A plain bind first finds the port in use, and for
 * port 0 picks the port every worker then shares. */
static int probe_port(struct sockaddr_storage *ss, char *err, size_t errlen)
{
    int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(err, errlen, "socket: %s", strerror(errno));
        return FACET_EIO;
    }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    socklen_t len =
        ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    if (bind(fd, (struct sockaddr *)ss, len) != 0) {
        snprintf(err, errlen, "FACET_PORT: cannot listen on port %d: %s",
                 ntohs(((struct sockaddr_in *)ss)->sin_port), strerror(errno));
        close(fd);
        return FACET_EIO;
    }
    ((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)bound_port(fd));
    close(fd);
    return FACET_OK;
}

static int start_workers(http_server_t *s, struct sockaddr_storage *ss, char *err, size_t errlen)
{
    if (probe_port(ss, err, errlen) != FACET_OK)
        return 0;
    for (int i = 0; i < s->nworkers; i++) {
        int fd = open_listener(ss, err, errlen);
        if (fd < 0)
            return i;
        if (i == 0) {
            s->port = bound_port(fd);
            ((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)s->port);
        }
        if (worker_setup(s, &s->workers[i], i, fd) != FACET_OK) {
            snprintf(err, errlen, "worker %d failed to initialize", i);
            worker_teardown(&s->workers[i]);
            return i;
        }
    }
    return s->nworkers;
}

int http_server_start(const http_server_opts_t *opts, http_server_t **out, char *err, size_t errlen)
{
    struct sockaddr_storage ss;
    if (resolve(opts->host, opts->port, &ss, err, errlen) != FACET_OK)
        return FACET_EINVAL;
    http_server_t *s = calloc(1, sizeof *s);
    if (!s)
        return FACET_ENOMEM;
    s->opts = *opts;
    s->nworkers = opts->threads > 0 ? opts->threads : 1;
    s->workers = calloc((size_t)s->nworkers, sizeof *s->workers);
    unsigned char rnd[8] = {0};
    if (!s->workers || getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd) {
        free(s->workers);
        free(s);
        return FACET_ENOMEM;
    }
    for (int i = 0; i < 8; i++)
        snprintf(s->id_prefix + 2 * i, 3, "%02x", rnd[i]);
    int started = start_workers(s, &ss, err, errlen);
    if (started < s->nworkers) {
        for (int i = 0; i < started; i++)
            worker_teardown(&s->workers[i]);
        free(s->workers);
        free(s);
        return FACET_EIO;
    }
    for (int i = 0; i < s->nworkers; i++)
        uv_thread_create(&s->workers[i].thread, worker_main, &s->workers[i]);
    *out = s;
    return FACET_OK;
}

void http_server_shutdown(http_server_t *s)
{
    atomic_store(&s->stopping, true);
    for (int i = 0; i < s->nworkers; i++)
        uv_async_send(&s->workers[i].wakeup);
}

void http_server_join(http_server_t *s)
{
    for (int i = 0; i < s->nworkers; i++) {
        uv_thread_join(&s->workers[i].thread);
        uv_loop_close(&s->workers[i].loop);
    }
}

void http_server_free(http_server_t *s)
{
    if (!s)
        return;
    free(s->workers);
    free(s);
}

bool http_server_stopped(const http_server_t *s)
{
    return atomic_load(&((http_server_t *)s)->finished) == s->nworkers;
}

int http_server_port(const http_server_t *s)
{
    return s->port;
}

uv_loop_t *http_worker_loop(http_worker_t *w)
{
    return &w->loop;
}

int http_worker_index(const http_worker_t *w)
{
    return w->index;
}

bool http_worker_draining(const http_worker_t *w)
{
    return w->draining;
}

void *http_worker_data(http_worker_t *w)
{
    return w->data;
}

void http_worker_set_data(http_worker_t *w, void *data)
{
    w->data = data;
}
