/* A growable byte buffer with a hard capacity limit. The buffer owns its
 * storage (malloc); the owner releases it with facet_buf_free. Growth past
 * the limit fails with FACET_ELIMIT and leaves the contents untouched. */
#ifndef FACET_CORE_BUF_H
#define FACET_CORE_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef struct facet_buf {
    char *base;
    size_t len;
    size_t cap;
    size_t limit; /* 0 means SIZE_MAX */
} facet_buf_t;

void facet_buf_init(facet_buf_t *b, size_t limit);
void facet_buf_free(facet_buf_t *b);

/* Ensures room for extra more bytes after len. */
int facet_buf_reserve(facet_buf_t *b, size_t extra);

int facet_buf_append(facet_buf_t *b, const void *data, size_t len);
int facet_buf_append_str(facet_buf_t *b, const char *cstr);
int facet_buf_printf(facet_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Appends s as the inside of a JSON string (no quotes): escapes quotes,
 * backslashes and control bytes; invalid UTF-8 bytes become U+FFFD. */
int facet_buf_append_json_escaped(facet_buf_t *b, const char *s, size_t len);

/* Removes the first n bytes, moving the rest to the front. */
void facet_buf_consume(facet_buf_t *b, size_t n);

static inline void facet_buf_reset(facet_buf_t *b)
{
    b->len = 0;
}

#endif
