/* Helpers shared by the JSON parser and writers (src/gql/json*.c only). */
#ifndef FACET_GQL_JSON_INTERNAL_H
#define FACET_GQL_JSON_INTERNAL_H

#include <stddef.h>

/* Checks the UTF-8 sequence at s (len >= 1 bytes). Returns its length (1-4)
 * when it is a valid scalar value, or -k when it is not, k >= 1 being the
 * length of the maximal invalid subpart that one U+FFFD replaces (the WHATWG
 * decoding rule, which TextDecoder and Node's Buffer follow). */
int gql_json__utf8_check(const unsigned char *s, size_t len);

#endif
