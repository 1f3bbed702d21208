/* Fuzzes GraphQL-over-HTTP request reading. The input is split at NUL bytes
 * into method, query string, content type, Accept and body. */
#include <stdint.h>
#include <string.h>

#include "core/error.h"
#include "http/gql_http.h"

static facet_str_t next_field(const uint8_t **p, const uint8_t *end)
{
    const uint8_t *start = *p;
    const uint8_t *nul = memchr(start, 0, (size_t)(end - start));
    const uint8_t *stop = nul ? nul : end;
    *p = nul ? nul + 1 : end;
    return facet_str((const char *)start, (size_t)(stop - start));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *p = data, *end = data + size;
    gql_http_input_t in = {0};
    in.method = next_field(&p, end);
    in.query_string = next_field(&p, end);
    in.content_type = next_field(&p, end);
    in.accept = next_field(&p, end);
    in.preflight_header = size > 0 && (data[0] & 1);
    in.body = (const char *)p;
    in.body_len = (size_t)(end - p);
    gql_http_opts_t opts = {.csrf_prevention = size % 2 == 0,
                            .batching = size % 3 == 0,
                            .max_batch = 4,
                            .json_depth = 16};
    facet_arena_t a;
    facet_arena_init(&a, 1 << 20);
    gql_http_request_t r;
    gql_http_error_t e;
    int rc = gql_http_parse(&a, &in, &opts, &r, &e);
    if (rc == FACET_OK) {
        for (size_t i = 0; i < r.nops; i++) {
            if (r.ops[i].has_query && r.ops[i].query.len > size * 3 + 1)
                __builtin_trap();
        }
    } else if (e.status < 200 || e.status > 599) {
        __builtin_trap();
    }
    facet_arena_free(&a);
    return 0;
}
