/* Helpers shared by the files of src/auth; not an interface for other
 * folders. */
#ifndef FACET_AUTH_INTERNAL_H
#define FACET_AUTH_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/str.h"

/* Initializes libsodium once for the process; safe to call from any thread
 * and any number of times. Returns FACET_OK, or FACET_EIO when libsodium
 * cannot start (no entropy source). */
int auth__sodium_init(void);

/* Writes n bytes as 2n lowercase hex digits and a NUL into out (2n + 1
 * bytes). */
void auth__hex(const unsigned char *in, size_t n, char *out);

/* Decodes exactly 2n hex digits (either case) into n bytes. Returns
 * FACET_EINVAL on any other length or byte. */
int auth__unhex(facet_str_t hex, unsigned char *out, size_t n);

/* Constant-time equality of two n-byte strings. */
bool auth__equal(const void *a, const void *b, size_t n);

#endif
