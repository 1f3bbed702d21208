/* Status codes shared by every Facet module: 0 for success, a negative
 * FACET_E* constant otherwise. Detail goes into a caller-owned struct, never
 * into a global. */
#ifndef FACET_CORE_ERROR_H
#define FACET_CORE_ERROR_H

#include <stddef.h>

enum {
    FACET_OK = 0,
    FACET_EINVAL = -1,  /* malformed input */
    FACET_ENOMEM = -2,  /* allocation failed */
    FACET_EAGAIN = -3,  /* more input is needed */
    FACET_ELIMIT = -4,  /* a configured limit was exceeded */
    FACET_EIO = -5,     /* a system call or a peer failed */
    FACET_ECLOSED = -6, /* the resource is closed or shutting down */
    FACET_ENOTFOUND = -7,
    FACET_ETIMEDOUT = -8,
    FACET_EEXIST = -9,     /* a unique key is taken (duplicate) */
    FACET_ECONFLICT = -10, /* a concurrent writer won; retry */
    FACET_EPERM = -11,     /* not allowed (authentication or authorization) */
    FACET_EDENIED = -12,   /* refused by policy (SSRF, moderation, rate limit) */
};

/* Returns a static, human-readable name for a FACET_E* code. */
const char *facet_strerror(int code);

/* Writes a printf-style message into err (errlen bytes with the NUL,
 * truncated; nothing when err is NULL or errlen 0) and returns code, so a
 * caller can write `return facet_errorf(err, errlen, FACET_EINVAL, ...)`. */
int facet_errorf(char *err, size_t errlen, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
