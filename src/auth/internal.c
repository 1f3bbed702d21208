/* libsodium start-up, hex and constant-time comparison for src/auth. */
#include "auth/internal.h"

#include <pthread.h>
#include <sodium.h>

#include "core/error.h"
#include "core/str.h"

static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;
static int sodium_status = FACET_EIO;

static void sodium_start(void)
{
    /* 0: initialized now; 1: already initialized by someone else. */
    sodium_status = sodium_init() >= 0 ? FACET_OK : FACET_EIO;
}

int auth__sodium_init(void)
{
    pthread_once(&sodium_once, sodium_start);
    return sodium_status;
}

void auth__hex(const unsigned char *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

int auth__unhex(facet_str_t hex, unsigned char *out, size_t n)
{
    if (hex.len != 2 * n)
        return FACET_EINVAL;
    for (size_t i = 0; i < n; i++) {
        int hi = facet_hex_value(hex.base[2 * i]), lo = facet_hex_value(hex.base[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return FACET_EINVAL;
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    return FACET_OK;
}

bool auth__equal(const void *a, const void *b, size_t n)
{
    /* sodium_memcmp's running time depends on n only. */
    return sodium_memcmp(a, b, n) == 0;
}
