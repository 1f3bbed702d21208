/* Fuzzes the WebSocket frame reader: the input is fed whole and in two
 * pieces; both must produce the same events and the same error. */
#include <stdint.h>
#include <string.h>

#include "core/error.h"
#include "http/ws_frame.h"

/* Feeds data[0..size) in two deliveries split at split, keeping what the
 * reader did not consume as a connection would. */
static uint64_t run(const uint8_t *data, size_t size, size_t split, int *error)
{
    ws_reader_t r;
    ws_reader_init(&r, 512, 2048);
    uint64_t digest = 0;
    size_t start = 0;
    size_t ends[2] = {split, size};
    *error = 0;
    for (int p = 0; p < 2; p++) {
        for (;;) {
            ws_event_t ev;
            size_t used = 0;
            size_t avail = ends[p] - start;
            int rc = ws_reader_feed(&r, (const char *)data + start, avail, &used, &ev);
            if (used > avail)
                __builtin_trap();
            start += used;
            if (rc == FACET_EINVAL) {
                *error = r.error;
                ws_reader_free(&r);
                return digest;
            }
            if (rc != FACET_OK)
                break;
            digest = digest * 31 + (uint64_t)ev.kind * 7 + ev.len + (uint64_t)ev.close_code;
        }
    }
    ws_reader_free(&r);
    return digest;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int e1, e2;
    uint64_t d1 = run(data, size, size, &e1);
    uint64_t d2 = run(data, size, size ? data[0] % (size + 1) : 0, &e2);
    if (d1 != d2 || e1 != e2)
        __builtin_trap();
    return 0;
}
