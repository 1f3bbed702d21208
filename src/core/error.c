/* Human-readable names for the FACET_E* status codes, and error messages
 * into caller-passed buffers. */
#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>

const char *facet_strerror(int code)
{
    switch (code) {
    case FACET_OK:
        return "ok";
    case FACET_EINVAL:
        return "invalid input";
    case FACET_ENOMEM:
        return "out of memory";
    case FACET_EAGAIN:
        return "incomplete input";
    case FACET_ELIMIT:
        return "limit exceeded";
    case FACET_EIO:
        return "i/o error";
    case FACET_ECLOSED:
        return "closed";
    case FACET_ENOTFOUND:
        return "not found";
    case FACET_ETIMEDOUT:
        return "timed out";
    case FACET_EEXIST:
        return "already exists";
    case FACET_ECONFLICT:
        return "conflict";
    case FACET_EPERM:
        return "not permitted";
    case FACET_EDENIED:
        return "denied by policy";
    default:
        return "unknown error";
    }
}

int facet_errorf(char *err, size_t errlen, int code, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return code;
}
