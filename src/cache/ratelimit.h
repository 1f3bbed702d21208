/* Attempt limiting in Valkey, for sign-in (per client address and per
 * account) and anything else that must be slowed down across instances.
 *
 * Each key is a counter in a fixed window: the first attempt creates it with
 * a time to live of window_ms, each attempt increments it, and the first
 * `limit` attempts of a window are allowed. The attempt after the last
 * allowed one starts a lockout: the counter then lives lockout_ms from that
 * moment (if that is longer than what is left of the window), and every
 * attempt until it expires is refused with the time left as its retry-after
 * hint. Attempts made during a lockout are refused without extending it, so
 * that someone hammering a victim's account cannot keep the victim locked
 * out beyond one lockout period past the hammering. One Lua script does the
 * increment, the expiry and the decision atomically (EVALSHA, falling back
 * to EVAL when the server lost its script cache).
 *
 * Asynchronous, on the loop that owns the Valkey connection, like every
 * cache_valkey call. */
#ifndef FACET_CACHE_RATELIMIT_H
#define FACET_CACHE_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

#include "cache/valkey.h"
#include "core/buf.h"
#include "core/str.h"

#define CACHE_RATELIMIT_KEY_MAX         512  /* bytes of key accepted */
#define CACHE_RATELIMIT_TIMEOUT_DEFAULT 1000 /* ms for a decision, fallback included */

typedef struct cache_ratelimit_opts {
    uint32_t limit;      /* attempts allowed per window (>= 1) */
    uint64_t window_ms;  /* length of a window (>= 1) */
    uint64_t lockout_ms; /* refusal period once over the limit; 0: until the window ends */
    uint64_t timeout_ms; /* deadline for the answer; 0: CACHE_RATELIMIT_TIMEOUT_DEFAULT */
} cache_ratelimit_opts_t;

typedef struct cache_ratelimit_result {
    bool allowed;
    uint32_t remaining;      /* attempts still allowed in this window after this one */
    uint64_t retry_after_ms; /* when refused: time until an attempt can be allowed again */
} cache_ratelimit_result_t;

/* status is FACET_OK with a result, FACET_ETIMEDOUT, or FACET_EIO (the
 * connection was lost or Valkey answered an error; result is NULL then).
 * The result is valid only during the callback. */
typedef void (*cache_ratelimit_cb)(int status, const cache_ratelimit_result_t *r, void *ud);

/* Counts one attempt on key and decides it. Returns FACET_EINVAL (bad
 * options, empty key or longer than CACHE_RATELIMIT_KEY_MAX), FACET_ENOMEM,
 * or FACET_ECLOSED (not connected: callers choose to fail open or closed)
 * without calling cb; otherwise cb runs exactly once on the loop within
 * the deadline. v must outlive the call; key and o are copied. */
int cache_ratelimit_hit(cache_valkey_t *v, facet_str_t key, const cache_ratelimit_opts_t *o,
                        cache_ratelimit_cb cb, void *ud);

/* status is FACET_OK, FACET_ETIMEDOUT or FACET_EIO. */
typedef void (*cache_ratelimit_reset_cb)(int status, void *ud);

/* Forgets every attempt on key (e.g. the account's after a successful
 * sign-in); a lockout in progress ends. Same return contract as
 * cache_ratelimit_hit; cb may be NULL. */
int cache_ratelimit_reset(cache_valkey_t *v, facet_str_t key, uint64_t timeout_ms,
                          cache_ratelimit_reset_cb cb, void *ud);

/* Appends "facet:rl:<bucket>:<id>" to out, with id replaced by its
 * lowercase hex SHA-256 when hash_id is true (for ids that are personal
 * data, such as e-mail addresses, or may be long). The caller normalizes id
 * first (e.g. lowercases an e-mail address), or every spelling gets a limit
 * of its own. Example buckets: "signin:addr", "signin:acct". Returns the
 * buffer's FACET_ELIMIT / FACET_ENOMEM, or FACET_EIO when hashing fails. */
int cache_ratelimit_key(facet_buf_t *out, const char *bucket, facet_str_t id, bool hash_id);

#endif
