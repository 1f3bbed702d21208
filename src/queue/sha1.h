/* SHA-1 (FIPS 180-4), used only to name the queue's function library after
 * its text (see scripts.c). Not for security. */
#ifndef FACET_QUEUE_SHA1_H
#define FACET_QUEUE_SHA1_H

#include <stddef.h>

/* Writes the 40 lowercase hex digits of SHA-1(data) and a NUL into hex. */
void queue__sha1_hex(const void *data, size_t len, char hex[41]);

#endif
