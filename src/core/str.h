/* Strings as {base, len} slices. A slice never owns its bytes: it borrows
 * them from a buffer, an arena or a literal, and is valid as long as that
 * storage is. Slices are not NUL-terminated. */
#ifndef FACET_CORE_STR_H
#define FACET_CORE_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct facet_str {
    const char *base;
    size_t len;
} facet_str_t;

#define FACET_STR_LIT(s) ((facet_str_t){(s), sizeof(s) - 1})
#define FACET_STR_NULL   ((facet_str_t){NULL, 0})

static inline facet_str_t facet_str(const char *base, size_t len)
{
    return (facet_str_t){base, len};
}

static inline facet_str_t facet_str_c(const char *cstr)
{
    return (facet_str_t){cstr, cstr ? strlen(cstr) : 0};
}

/* Byte-exact comparison. */
bool facet_str_eq(facet_str_t a, facet_str_t b);

/* The value of a hexadecimal digit (either case), or -1 for any other
 * character. */
int facet_hex_value(int c);

/* ASCII case-insensitive comparison, as HTTP header names need. */
bool facet_str_ieq(facet_str_t a, facet_str_t b);

/* Strips spaces and horizontal tabs from both ends (HTTP's optional white
 * space). */
facet_str_t facet_str_trim(facet_str_t s);

/* Strips ASCII white space from both ends: space, \t, \n, \v, \f and \r,
 * what isspace() matches in the C locale. */
facet_str_t facet_str_trim_space(facet_str_t s);

/* Parses an unsigned decimal with no sign, no spaces and no leading '+'.
 * Returns FACET_EINVAL on any other byte or an empty slice, FACET_ELIMIT when
 * the value exceeds max. */
int facet_str_to_u64(facet_str_t s, uint64_t max, uint64_t *out);

/* Parses 1 to 16 hexadecimal digits (with lower_only, lower-case ones only,
 * for text Facet writes itself) into *out. Returns FACET_EINVAL on any other
 * byte, an empty slice or more than 16 digits. */
int facet_str_hex_to_u64(facet_str_t s, bool lower_only, uint64_t *out);

/* A 64-bit FNV-1a hash of the bytes, for in-memory hash tables (the names
 * and keys hashed are short, so a simple byte hash spreads them well enough
 * for tables kept at most half full); never stored, and no defence against
 * chosen collisions. Inline: schema, executor and JSON lookups hash on
 * their hot paths. */
static inline uint64_t facet_str_hash(facet_str_t s)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < s.len; i++) {
        h ^= (unsigned char)s.base[i];
        h *= 1099511628211ull;
    }
    return h;
}

/* True when the slice contains the token (comma-separated, case-insensitive,
 * spaces around items ignored), as in "Connection: keep-alive, Upgrade". */
bool facet_str_has_token(facet_str_t list, facet_str_t token);

#endif
