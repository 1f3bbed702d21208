/* JSON in and out for GraphQL values: a strict RFC 8259 parser that builds
 * gql_value_t trees in an arena with JavaScript's JSON.parse semantics, and
 * writers whose bytes match JavaScript's JSON.stringify exactly. */
#ifndef FACET_GQL_JSON_H
#define FACET_GQL_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "gql/value.h"

/* Nesting used when gql_json_parse is given max_depth 0. */
#define GQL_JSON_DEFAULT_MAX_DEPTH 512

/* Parses len bytes of src (need not be NUL-terminated) as one JSON text, as
 * JavaScript's JSON.parse does: whitespace around the value is allowed;
 * comments, trailing commas, single quotes, NaN and a byte order mark are
 * not. Numbers become GQL_V_FLOAT (strtod-exact; "-0" stays -0.0, "1e400"
 * becomes Infinity as in JavaScript). Strings are decoded to UTF-8; input
 * that is not valid UTF-8 inside a string is refused. A lone surrogate
 * escape such as "\ud800" becomes U+FFFD, because UTF-8 cannot carry it
 * (JavaScript keeps it in its UTF-16 string). When a key repeats in an
 * object, the later value wins and the key keeps the position of its first
 * occurrence, as in JavaScript; parsed objects never hold duplicate keys.
 * Members are ordered as a JavaScript object orders its keys: array-index
 * keys ("0" to "4294967294" in canonical form) first in ascending numeric
 * order, then the others in order of first occurrence.
 *
 * Containers may nest at most max_depth deep ([] is depth 1; 0 selects
 * GQL_JSON_DEFAULT_MAX_DEPTH). The parser does not recurse.
 *
 * On success *out points into arena a. On failure returns FACET_EINVAL
 * (syntax), FACET_ELIMIT (depth) or FACET_ENOMEM (arena or memory exhausted)
 * and, when err is not NULL, writes "<reason> at byte <offset>" into err
 * (truncated to errlen, always NUL-terminated). The arena may hold partial
 * allocations after a failure. The process must keep LC_NUMERIC at "C". */
int gql_json_parse(facet_arena_t *a, const char *src, size_t len, size_t max_depth,
                   gql_value_t **out, char *err, size_t errlen);

/* Appends s as a JSON string, quotes included, as JSON.stringify writes it:
 * \" \\ \b \f \n \r \t, other control bytes as \u00xx, everything else as
 * raw UTF-8 ('/', DEL and U+2028 are not escaped). Invalid UTF-8 bytes are
 * written as U+FFFD, one per maximal invalid subpart, as TextDecoder does. */
int gql_json_write_string(facet_buf_t *out, const char *s, size_t len);

/* Appends d as JSON.stringify writes a number: Number.prototype.toString
 * (shortest round-trip digits, exponent form from 1e21 and below 1e-6),
 * with -0 written as "0" and NaN and the infinities as "null". */
int gql_json_write_number(facet_buf_t *out, double d);

/* Appends an integer in decimal. */
int gql_json_write_int(facet_buf_t *out, int64_t i);

/* Writes d as JavaScript's String(d) does into buf (at least
 * GQL_NUMBER_BUF_SIZE bytes): "NaN", "Infinity", "-Infinity", "0" for -0,
 * otherwise as gql_json_write_number. Returns the length; buf is
 * NUL-terminated. */
#define GQL_NUMBER_BUF_SIZE 32
size_t gql_number_to_string(double d, char *buf);

/* Appends v as compact JSON (JSON.stringify(v)). GQL_V_INT prints as an
 * integer; object members are written in member order (the caller resolves
 * duplicates); NULL item or member pointers are written as null. Does not
 * recurse, so any depth is safe. */
int gql_json_write_value(facet_buf_t *out, const gql_value_t *v);

/* Appends v as JSON.stringify(v, null, indent) writes it: one member or
 * item per line, indent spaces per level (clamped to 0..10 as JavaScript
 * does; 0 gives the compact form), "key": value with one space, and empty
 * containers as [] and {}. */
int gql_json_write_pretty(facet_buf_t *out, const gql_value_t *v, int indent);

#endif
