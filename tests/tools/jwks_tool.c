/* Drives auth/jwks.h the way a Facet server wires it, for
 * tests/e2e/auth-jwks.test.mjs: an event loop owns a JWKS cache, a timer
 * asks for scheduled refreshes, fetches run on the libuv thread pool, and
 * each line "verify <token>" on stdin verifies an RS256 token, refreshing the
 * set once (within the cache's rate limit) when the kid is unknown.
 *
 *   jwks_tool <url> [--refresh-ms N] [--min-interval-ms N] [--issuer S] [--audience S]
 *
 * Prints one JSON line per event on stdout:
 *   {"event":"refresh","status":"ok","keys":N}  or  ..."status":"<error>","error":"..."}
 *   {"event":"verify","result":"ok","sub":"...","kid":"..."}
 *   {"event":"verify","result":"<reason>","message":"...","refreshed":true|false}
 * and exits when stdin closes. It does not ship. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>

#include "auth/jwks.h"
#include "auth/jwt.h"
#include "core/buf.h"
#include "core/error.h"

typedef struct tool {
    uv_loop_t *loop;
    auth_jwks_cache_t *cache;
    auth_jwt_verifier_t verifier;
    uv_timer_t timer;
    uv_pipe_t in;
    facet_buf_t line;
    uint64_t refresh_ms;
    /* Tokens waiting for a refresh that an unknown kid started. */
    char **waiting;
    size_t nwaiting;
    bool refreshing;
} tool_t;

typedef struct job {
    uv_work_t work;
    tool_t *t;
    uint64_t now;
    int status;
    char err[200];
} job_t;

static const char *reason_name(auth_jwt_reason_t r)
{
    static const char *names[] = {"OK",          "MALFORMED", "TOO_LONG", "ALG",
                                  "UNKNOWN_KEY", "SIGNATURE", "EXPIRED",  "NOT_YET_VALID",
                                  "ISSUER",      "AUDIENCE",  "CLAIMS",   "INTERNAL"};
    return r < sizeof names / sizeof names[0] ? names[r] : "?";
}

/* Appends ,"name":"value" with value JSON-escaped. */
static void field(facet_buf_t *b, const char *name, const char *value, size_t len)
{
    facet_buf_printf(b, ",\"%s\":\"", name);
    facet_buf_append_json_escaped(b, value, len);
    facet_buf_append_str(b, "\"");
}

static void emit(facet_buf_t *b)
{
    fwrite(b->base, 1, b->len, stdout);
    fputc('\n', stdout);
    fflush(stdout);
    facet_buf_free(b);
}

/* Verifies one token and prints the outcome. Returns the status. */
static int verify(tool_t *t, const char *token, bool refreshed, bool quiet_unknown)
{
    facet_arena_t a;
    facet_arena_init(&a, 1 << 20);
    auth_jwt_claims_t c;
    auth_jwt_error_t err = {0};
    int rc = auth_jwt_verify(&a, &t->verifier, facet_str_c(token), (int64_t)time(NULL), &c, &err);
    if (!(rc == FACET_ENOTFOUND && quiet_unknown)) {
        facet_buf_t b;
        facet_buf_init(&b, 0);
        if (rc == FACET_OK) {
            facet_buf_append_str(&b, "{\"event\":\"verify\",\"result\":\"ok\"");
            field(&b, "sub", c.sub.base, c.sub.len);
            field(&b, "kid", c.kid.base, c.kid.len);
            facet_buf_append_str(&b, "}");
        } else {
            facet_buf_printf(&b, "{\"event\":\"verify\",\"result\":\"%s\"",
                             reason_name(err.reason));
            field(&b, "message", err.message, strlen(err.message));
            facet_buf_printf(&b, ",\"refreshed\":%s}", refreshed ? "true" : "false");
        }
        emit(&b);
    }
    facet_arena_free(&a);
    return rc;
}

static void do_refresh(uv_work_t *w)
{
    job_t *j = w->data;
    j->status = auth_jwks_cache_refresh(j->t->cache, j->now, j->err, sizeof j->err);
}

static void after_refresh(uv_work_t *w, int status)
{
    job_t *j = w->data;
    tool_t *t = j->t;
    facet_buf_t b;
    facet_buf_init(&b, 0);
    if (j->status == FACET_OK)
        facet_buf_printf(&b, "{\"event\":\"refresh\",\"status\":\"ok\",\"keys\":%zu}",
                         auth_jwks_cache_count(t->cache));
    else {
        facet_buf_printf(&b, "{\"event\":\"refresh\",\"status\":\"%s\"", facet_strerror(j->status));
        field(&b, "error", j->err, strlen(j->err));
        facet_buf_append_str(&b, "}");
    }
    emit(&b);
    free(j);
    t->refreshing = false;
    /* Tokens that waited for this refresh get their final answer now. */
    for (size_t i = 0; i < t->nwaiting; i++) {
        verify(t, t->waiting[i], true, false);
        free(t->waiting[i]);
    }
    t->nwaiting = 0;
}

/* Starts a fetch on the thread pool when the cache agrees one is due. */
static bool maybe_refresh(tool_t *t, auth_jwks_why_t why)
{
    uint64_t now = uv_now(t->loop);
    if (!auth_jwks_cache_begin_refresh(t->cache, why, now))
        return false;
    job_t *j = calloc(1, sizeof *j);
    j->t = t;
    j->now = now;
    j->work.data = j;
    t->refreshing = true;
    if (uv_queue_work(t->loop, &j->work, do_refresh, after_refresh) != 0)
        abort();
    return true;
}

static void on_timer(uv_timer_t *timer)
{
    maybe_refresh(timer->data, AUTH_JWKS_SCHEDULED);
}

static void handle_line(tool_t *t, char *line)
{
    if (strncmp(line, "verify ", 7) != 0) {
        fprintf(stderr, "jwks_tool: unknown command: %s\n", line);
        return;
    }
    const char *token = line + 7;
    if (verify(t, token, false, true) != FACET_ENOTFOUND)
        return;
    /* Unknown kid: wait for a refresh in flight or start one; otherwise the
     * rate limit holds and the token is refused as it stands. */
    if (t->refreshing || maybe_refresh(t, AUTH_JWKS_UNKNOWN_KID)) {
        t->waiting = realloc(t->waiting, (t->nwaiting + 1) * sizeof *t->waiting);
        t->waiting[t->nwaiting++] = strdup(token);
        return;
    }
    verify(t, token, false, false);
}

static void on_alloc(uv_handle_t *h, size_t size, uv_buf_t *buf)
{
    buf->base = malloc(size);
    buf->len = size;
}

static void on_closed(uv_handle_t *h)
{
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
    tool_t *t = s->data;
    if (n < 0) {
        free(buf->base);
        uv_close((uv_handle_t *)&t->in, on_closed);
        uv_close((uv_handle_t *)&t->timer, on_closed);
        return;
    }
    facet_buf_append(&t->line, buf->base, (size_t)n);
    free(buf->base);
    char *nl;
    while (t->line.len && (nl = memchr(t->line.base, '\n', t->line.len))) {
        *nl = '\0';
        handle_line(t, t->line.base);
        facet_buf_consume(&t->line, (size_t)(nl - t->line.base) + 1);
    }
}

static uint64_t arg_u64(const char *s)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end) {
        fprintf(stderr, "jwks_tool: not a number: %s\n", s);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: jwks_tool <url> [--refresh-ms N] [--min-interval-ms N] "
                        "[--issuer S] [--audience S]\n");
        return 2;
    }
    auth_jwks_cache_opts_t o = {.url = argv[1]};
    tool_t t = {.loop = uv_default_loop()};
    for (int i = 2; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--refresh-ms"))
            o.refresh_ms = arg_u64(argv[i + 1]);
        else if (!strcmp(argv[i], "--min-interval-ms"))
            o.min_interval_ms = arg_u64(argv[i + 1]);
        else if (!strcmp(argv[i], "--issuer"))
            t.verifier.rs256.issuer = facet_str_c(argv[i + 1]);
        else if (!strcmp(argv[i], "--audience"))
            t.verifier.rs256.audience = facet_str_c(argv[i + 1]);
    }
    if (auth_jwks_cache_new(&o, &t.cache) != FACET_OK) {
        fprintf(stderr, "jwks_tool: bad URL %s\n", argv[1]);
        return 2;
    }
    t.verifier.rs256_key = auth_jwks_cache_find;
    t.verifier.rs256_ud = t.cache;
    t.refresh_ms = o.refresh_ms ? o.refresh_ms : AUTH_JWKS_REFRESH_DEFAULT;
    facet_buf_init(&t.line, 1 << 20);

    uv_timer_init(t.loop, &t.timer);
    t.timer.data = &t;
    /* Check often; the cache decides when a refresh is actually due. */
    uv_timer_start(&t.timer, on_timer, 0, t.refresh_ms < 1000 ? t.refresh_ms / 4 + 1 : 250);
    uv_pipe_init(t.loop, &t.in, 0);
    uv_pipe_open(&t.in, 0);
    t.in.data = &t;
    uv_read_start((uv_stream_t *)&t.in, on_alloc, on_read);
    uv_run(t.loop, UV_RUN_DEFAULT);

    for (size_t i = 0; i < t.nwaiting; i++)
        free(t.waiting[i]);
    free(t.waiting);
    facet_buf_free(&t.line);
    auth_jwks_cache_free(t.cache);
    uv_loop_close(t.loop);
    return 0;
}
