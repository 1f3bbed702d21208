/* libFuzzer target for the cron parser (queue/cron.h). Every input is
 * parsed; a pattern that parses must give a next time strictly after the
 * start, on a whole second, that is stable (asking again from just before it
 * gives it again) and that advances; a pattern that fails must say why. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "queue/cron.h"

#define ASSERT(cond) \
    do {             \
        if (!(cond)) \
            abort(); \
    } while (0)

/* A start time derived from the input, within 1970..2100. */
static int64_t start_of(const uint8_t *data, size_t size)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < size; i++)
        h = (h ^ data[i]) * 1099511628211ull;
    return (int64_t)(h % 4102444800000ull);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    queue_cron_t cron;
    char err[160] = "";
    int rc = queue_cron_parse((const char *)data, size, &cron, err, sizeof err);
    if (rc != FACET_OK) {
        ASSERT(rc == FACET_EINVAL && err[0] != '\0');
        return 0;
    }
    int64_t from = start_of(data, size), next, again, later;
    rc = queue_cron_next(&cron, from, true, &next);
    ASSERT(rc == FACET_OK || rc == FACET_ENOTFOUND);
    if (rc != FACET_OK)
        return 0;
    ASSERT(next > from && next % 1000 == 0);
    ASSERT(queue_cron_next(&cron, next - 1, true, &again) == FACET_OK && again == next);
    rc = queue_cron_next(&cron, next, true, &later);
    ASSERT(rc == FACET_ENOTFOUND || (rc == FACET_OK && later > next));
    return 0;
}
