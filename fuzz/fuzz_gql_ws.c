/* Fuzzes graphql-transport-ws message reading: any bytes must either give a
 * message whose slices lie inside the arena's copy or a reason to close. */
#include <stdint.h>
#include <string.h>

#include "core/error.h"
#include "http/gql_ws.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    facet_arena_t a;
    facet_arena_init(&a, 1 << 20);
    gql_ws_message_t m;
    char reason[256];
    reason[0] = '\0';
    int rc = gql_ws_parse(&a, (const char *)data, size, 16, &m, reason, sizeof reason);
    if (rc == FACET_EINVAL && reason[0] == '\0')
        __builtin_trap();
    if (rc == FACET_OK && m.type == GQL_WS_SUBSCRIBE && (m.id.len == 0 || !m.payload))
        __builtin_trap();
    facet_buf_t out;
    facet_buf_init(&out, 0);
    if (rc == FACET_OK && m.id.len)
        gql_ws_write_complete(&out, m.id);
    facet_buf_free(&out);
    facet_arena_free(&a);
    return 0;
}
