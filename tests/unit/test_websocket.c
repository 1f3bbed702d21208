/* Tests for WebSocket connections on the real server: a worker thread runs
 * an echo endpoint and the test speaks to it over a loopback socket. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/error.h"
#include "core/log.h"
#include "http/websocket.h"
#include "test.h"

static const http_ws_limits_t LIMITS = {
    .max_frame = 4096, .max_message = 8192, .max_buffered = 64 * 1024, .ping_interval_ms = 300};

/* Echoes text; "flood" makes the server send until the peer is too slow. */
static void on_message(http_ws_t *ws, const char *data, size_t len, bool binary)
{
    (void)binary;
    if (len == 5 && memcmp(data, "flood", 5) == 0) {
        static char chunk[4000];
        memset(chunk, 'f', sizeof chunk);
        for (int i = 0; i < 100000; i++) {
            if (http_ws_send_text(ws, chunk, sizeof chunk) != FACET_OK)
                return;
        }
        return;
    }
    if (len == 5 && memcmp(data, "close", 5) == 0) {
        http_ws_close(ws, 4400, "asked to");
        return;
    }
    http_ws_send_text(ws, data, len);
}

static void on_close(http_ws_t *ws, int code)
{
    (void)ws;
    (void)code;
}

static void handler(http_request_t *req, void *ud)
{
    static const http_ws_handler_t h = {on_message, on_close};
    http_ws_t *ws;
    bool chosen;
    (void)ud;
    http_ws_upgrade(req, "graphql-transport-ws", &h, &LIMITS, NULL, &ws, &chosen);
}

static http_server_t *start_server(void)
{
    http_server_opts_t o = {.host = "127.0.0.1",
                            .port = 0,
                            .threads = 1,
                            .limits = {8192, 16384, 64, 1 << 20},
                            .request_timeout_ms = 5000,
                            .idle_timeout_ms = 5000,
                            .shutdown_timeout_ms = 1000,
                            .handler = handler};
    http_server_t *s;
    char err[256];
    facet_log_set_level(FACET_LOG_ERROR);
    CHECK_EQ_INT(http_server_start(&o, &s, err, sizeof err), FACET_OK);
    return s;
}

static void stop_server(http_server_t *s)
{
    http_server_shutdown(s);
    http_server_join(s);
    http_server_free(s);
}

static int connect_to(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(connect(fd, (struct sockaddr *)&a, sizeof a) == 0);
    return fd;
}

/* Reads until the buffer holds want bytes, the peer closes, or 3 s pass. */
static size_t read_some(int fd, char *buf, size_t cap, size_t want)
{
    size_t n = 0;
    while (n < want) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 3000) <= 0)
            break;
        ssize_t r = read(fd, buf + n, cap - n);
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    return n;
}

static int handshake(int port, const char *protocols)
{
    int fd = connect_to(port);
    char req[512];
    int n = snprintf(req, sizeof req,
                     "GET /graphql HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                     "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n%s\r\n",
                     protocols);
    CHECK(write(fd, req, (size_t)n) == n);
    char resp[1024] = "";
    size_t got = 0;
    while (!strstr(resp, "\r\n\r\n")) {
        size_t more = read_some(fd, resp + got, sizeof resp - got - 1, got + 1);
        CHECK(more > 0 && got + more < sizeof resp);
        got += more;
        resp[got] = '\0';
    }
    CHECK(strncmp(resp, "HTTP/1.1 101 ", 13) == 0);
    CHECK(strstr(resp, "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n") != NULL);
    return fd;
}

static void send_frame(int fd, int b0, const char *payload, size_t len)
{
    uint8_t f[256];
    size_t n = 0;
    f[n++] = (uint8_t)b0;
    f[n++] = (uint8_t)(0x80 | len);
    const uint8_t key[4] = {1, 2, 3, 4};
    memcpy(f + n, key, 4);
    n += 4;
    for (size_t i = 0; i < len; i++)
        f[n + i] = (uint8_t)payload[i] ^ key[i & 3];
    CHECK(write(fd, f, n + len) == (ssize_t)(n + len));
}

TEST(handshake_echo_ping_and_close)
{
    http_server_t *s = start_server();
    int fd = handshake(http_server_port(s), "Sec-WebSocket-Protocol: graphql-transport-ws\r\n");
    send_frame(fd, 0x81, "hello", 5);
    char buf[64];
    CHECK_EQ_INT(read_some(fd, buf, sizeof buf, 7), 7);
    CHECK((uint8_t)buf[0] == 0x81 && buf[1] == 5 && memcmp(buf + 2, "hello", 5) == 0);
    send_frame(fd, 0x89, "p", 1);
    CHECK_EQ_INT(read_some(fd, buf, sizeof buf, 3), 3);
    CHECK((uint8_t)buf[0] == 0x8A && buf[1] == 1 && buf[2] == 'p');
    send_frame(fd, 0x88, "\x03\xe8", 2);
    size_t n = read_some(fd, buf, sizeof buf, 64);
    CHECK(n >= 4 && (uint8_t)buf[0] == 0x88 && (uint8_t)buf[2] == 0x03 && (uint8_t)buf[3] == 0xe8);
    close(fd);
    stop_server(s);
}

TEST(server_close_and_protocol_error)
{
    http_server_t *s = start_server();
    int fd = handshake(http_server_port(s), "");
    send_frame(fd, 0x81, "close", 5);
    char buf[64];
    size_t n = read_some(fd, buf, sizeof buf, 4);
    CHECK(n >= 4 && (uint8_t)buf[0] == 0x88);
    CHECK_EQ_INT(((uint8_t)buf[2] << 8) | (uint8_t)buf[3], 4400);
    close(fd);
    fd = handshake(http_server_port(s), "");
    const char unmasked[] = "\x81\x02hi";
    CHECK(write(fd, unmasked, 4) == 4);
    n = read_some(fd, buf, sizeof buf, 4);
    CHECK(n >= 4 && (uint8_t)buf[0] == 0x88);
    CHECK_EQ_INT(((uint8_t)buf[2] << 8) | (uint8_t)buf[3], 1002);
    close(fd);
    stop_server(s);
}

TEST(dead_peer_is_closed_after_unanswered_ping)
{
    http_server_t *s = start_server();
    int fd = handshake(http_server_port(s), "");
    char buf[64];
    /* The first ping comes after one interval; not answering it ends the
     * connection after the next. */
    size_t n = read_some(fd, buf, sizeof buf, 2);
    CHECK(n == 2 && (uint8_t)buf[0] == 0x89);
    n = read_some(fd, buf, sizeof buf, 64);
    CHECK_EQ_INT(n, 0); /* closed without more bytes */
    close(fd);
    stop_server(s);
}

TEST(slow_consumer_is_closed)
{
    http_server_t *s = start_server();
    int fd = handshake(http_server_port(s), "");
    send_frame(fd, 0x81, "flood", 5);
    /* Read nothing while the server floods: once the kernel's buffers and
     * then max_buffered fill up, it must give up on us with a 1008 close.
     * Reading afterwards drains everything up to that close frame. */
    usleep(500 * 1000);
    static char all[32 * 1024 * 1024];
    size_t n = read_some(fd, all, sizeof all, sizeof all);
    CHECK(n > 4 && n < sizeof all);
    bool found = false;
    for (size_t i = 0; i + 4 <= n && !found; i++) {
        found = (uint8_t)all[i] == 0x88 && all[i + 1] > 2 &&
                (((uint8_t)all[i + 2] << 8) | (uint8_t)all[i + 3]) == 1008;
    }
    CHECK(found);
    close(fd);
    stop_server(s);
}

TEST(bad_upgrades_are_refused)
{
    http_server_t *s = start_server();
    int fd = connect_to(http_server_port(s));
    const char req[] = "GET /graphql HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                       "Connection: Upgrade\r\nSec-WebSocket-Version: 8\r\n"
                       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
    CHECK(write(fd, req, sizeof req - 1) == (ssize_t)(sizeof req - 1));
    char buf[512];
    size_t n = read_some(fd, buf, sizeof buf - 1, 12);
    buf[n] = '\0';
    CHECK(strncmp(buf, "HTTP/1.1 426", 12) == 0);
    close(fd);
    fd = connect_to(http_server_port(s));
    const char plain[] = "GET /graphql HTTP/1.1\r\nHost: x\r\n\r\n";
    CHECK(write(fd, plain, sizeof plain - 1) == (ssize_t)(sizeof plain - 1));
    n = read_some(fd, buf, sizeof buf - 1, 12);
    buf[n] = '\0';
    CHECK(strncmp(buf, "HTTP/1.1 400", 12) == 0);
    close(fd);
    stop_server(s);
}
