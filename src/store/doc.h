/* Small helpers shared by the repositories of src/store/: ObjectIds as text,
 * the clock, typed getters over BSON documents, and the mapping of libmongoc
 * errors to FACET_* status codes. Only src/store/ uses the BSON parts; the
 * id helpers (store_id_*) and store_error_t are meant for callers too. */
#ifndef FACET_STORE_DOC_H
#define FACET_STORE_DOC_H

#include <bson/bson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* An ObjectId as text: 24 lower-case hex digits and a NUL. */
#define STORE_ID_SIZE 25

/* Error detail for a failed store call. The status is also the function's
 * return value; message is a short text for logs, never shown to clients
 * as is (it may name collections and indexes). */
typedef struct store_error {
    int status;        /* FACET_E* */
    int server_code;   /* the server's code (11000, 50, ...), 0 if none */
    char index[96];    /* duplicate key: the index name when the server says it */
    char message[256]; /* "" when the call succeeded */
} store_error_t;

/* ---- ids ---- */

/* Parses exactly 24 hex digits (either case) from len bytes of text.
 * Returns FACET_EINVAL for anything else (text may be NULL when len is 0). */
int store_oid_parse(const char *text, size_t len, bson_oid_t *out);

/* Parses a NUL-terminated id; FACET_EINVAL when text is NULL or invalid. */
int store_oid_parse_c(const char *text, bson_oid_t *out);

/* Writes the 24 lower-case hex digits and a NUL. */
void store_oid_format(const bson_oid_t *oid, char out[STORE_ID_SIZE]);

/* A new ObjectId as text. Thread-safe. */
void store_id_new(char out[STORE_ID_SIZE]);

/* True when text is a valid id (24 hex digits). */
bool store_id_valid(const char *text);

/* ---- time ---- */

/* Wall-clock milliseconds since the Unix epoch. */
int64_t store_now_ms(void);

/* ---- errors ---- */

/* Clears err (may be NULL). */
void store_error_clear(store_error_t *err);

/* Sets err to status with a printf-style message and returns status, so a
 * caller can write `return store_error_set(err, FACET_EINVAL, "...")`. err
 * may be NULL. */
int store_error_set(store_error_t *err, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Maps a libmongoc error, and the reply of the failed command when there is
 * one (write errors, write concern errors; may be NULL), to a FACET_* code,
 * fills err (may be NULL) and returns the code:
 *   duplicate key (11000, 11001, 12582)    FACET_EEXIST, index set if known
 *   time limits, network and stream timeouts FACET_ETIMEDOUT
 *   other network, server selection, shutdown, auth FACET_EIO
 *   namespace not found                    FACET_ENOTFOUND
 *   write conflicts, index spec conflicts  FACET_ECONFLICT
 *   bad values and invalid arguments       FACET_EINVAL
 *   anything else                          FACET_EIO */
int store_error_from(const bson_error_t *error, const bson_t *reply, store_error_t *err);

/* Maps a server error code alone (11000 -> FACET_EEXIST, ...). */
int store_error_code_status(int32_t server_code);

/* True when every write error in reply is a duplicate key, there is at
 * least one, and there is no write concern error: what an idempotent
 * unordered insert may ignore. */
bool store_reply_only_duplicates(const bson_t *reply);

/* ---- driver shortcuts ---- */

typedef struct _mongoc_collection_t mongoc_collection_t;
typedef struct _mongoc_client_t mongoc_client_t;
typedef struct _mongoc_read_prefs_t mongoc_read_prefs_t;
typedef struct _mongoc_find_and_modify_opts_t mongoc_find_and_modify_opts_t;

/* Deletes the documents of collection whose date field is before
 * `before` (ms), for retention jobs; *deleted (may be NULL) gets how many. */
int store_delete_before(mongoc_client_t *client, const char *db, const char *collection,
                        const char *field, int64_t before, uint64_t *deleted, store_error_t *err);

/* Finds the documents of coll whose _id is one of the n ids, with one $in
 * query (opts may be NULL), for batch loaders. take(doc, i, ud) runs for
 * every i whose id the document answers (repeated ids are all answered);
 * found[i] (n, caller-owned) tells which were. Ids that are not ObjectIds
 * are never found and cost no query. */
int store_find_by_ids(mongoc_collection_t *coll, const bson_t *opts, const char *const *ids,
                      size_t n, bool *found, void (*take)(const bson_t *doc, size_t i, void *ud),
                      void *ud, store_error_t *err);

/* Finds the first document matching filter (opts as for find: projection,
 * sort; may be NULL) and copies it into out (initialized here only on
 * FACET_OK; the caller destroys it). FACET_ENOTFOUND when none matches. */
int store_find_one(mongoc_collection_t *coll, const bson_t *filter, const bson_t *opts, bson_t *out,
                   store_error_t *err);

/* store_find_one with read preferences (NULL: the client's), e.g. the
 * primary for a read that must see the caller's own latest write. */
int store_find_one_prefs(mongoc_collection_t *coll, const bson_t *filter, const bson_t *opts,
                         const mongoc_read_prefs_t *prefs, bson_t *out, store_error_t *err);

/* store_find_one for a repository's lookup: take(doc, ud) is called with
 * the document found (borrowed for the call); when none matches the result
 * is FACET_ENOTFOUND with not_found as err's message. */
int store_find_one_take(mongoc_collection_t *coll, const bson_t *filter, const bson_t *opts,
                        void (*take)(const bson_t *doc, void *ud), void *ud, const char *not_found,
                        store_error_t *err);

/* Runs findAndModify on the first document matching filter (opts says
 * update or remove, and whether the new or the old document comes back)
 * and calls take(doc, ud) with the document returned (borrowed for the
 * call). When nothing matched the result is FACET_ENOTFOUND with not_found
 * as err's message. */
int store_find_and_modify(mongoc_collection_t *coll, const bson_t *filter,
                          const mongoc_find_and_modify_opts_t *opts,
                          void (*take)(const bson_t *doc, void *ud), void *ud,
                          const char *not_found, store_error_t *err);

/* ---- getters: absent or of another type gives the fallback ---- */

/* When it is on an embedded document, makes out a read-only view of that
 * document (borrowed from the one it iterates; never destroyed) and
 * returns true; false otherwise. */
bool store_iter_document(const bson_iter_t *it, bson_t *out);

/* The UTF-8 string at key, or NULL; *len (may be NULL) gets its length.
 * Borrowed from doc. */
const char *store_doc_str(const bson_t *doc, const char *key, uint32_t *len);

/* Copies the string at key into dst (cap bytes with the NUL). Returns
 * FACET_OK, FACET_ENOTFOUND when absent or not a string, FACET_ELIMIT when
 * it does not fit or holds a NUL byte (dst then holds ""). */
int store_doc_copy_str(const bson_t *doc, const char *key, char *dst, size_t cap);

/* The ObjectId at key written as text into out; false (out = "") when
 * absent, null or not an ObjectId. */
bool store_doc_oid_text(const bson_t *doc, const char *key, char out[STORE_ID_SIZE]);

/* A date (ms since the epoch) at key; an int64 or int32 is accepted too.
 * Null or absent gives fallback. */
int64_t store_doc_date(const bson_t *doc, const char *key, int64_t fallback);

/* An integer at key (int32, int64, or a double with no fraction). */
int64_t store_doc_int(const bson_t *doc, const char *key, int64_t fallback);

/* A number at key as a double (double, int32 or int64). */
double store_doc_double(const bson_t *doc, const char *key, double fallback);

/* Copies s into dst (cap bytes with the NUL), cutting at a UTF-8 character
 * boundary when it does not fit. Returns the bytes copied. */
size_t store_copy_utf8(char *dst, size_t cap, const char *s, size_t len);

/* True when len bytes of s are valid UTF-8 without NUL bytes. */
bool store_utf8_ok(const char *s, size_t len);

/* Checks a text field before it is stored: NULL or "" is FACET_EINVAL "<what>
 * is required" when required (else FACET_OK); longer than max bytes is
 * FACET_ELIMIT; not valid UTF-8 (or holding a NUL) is FACET_EINVAL. The
 * message names the field as what. */
int store_check_text(const char *what, const char *s, size_t max, bool required,
                     store_error_t *err);

/* ---- JSON objects stored as documents ---- */

/* Parses len bytes of JSON text (JSON.parse rules) that must be an object
 * into out (initialized here; the caller destroys it, also on failure).
 * Numbers become doubles. Keys must be non-empty, must not start with '$'
 * or contain '.' or NUL, as MongoDB and FerretDB require. Returns FACET_OK,
 * FACET_EINVAL (syntax, not an object, a bad key) or FACET_ELIMIT (nesting
 * beyond max_depth, where the object itself is depth 1), with a message
 * in err. */
int store_json_to_bson(const char *json, size_t len, size_t max_depth, bson_t *out,
                       store_error_t *err);

struct facet_buf;

/* Appends doc as compact JSON text (an object; arrays inside stay arrays),
 * numbers as JavaScript writes them. ObjectIds are written as hex strings
 * and dates as milliseconds; other BSON types as null. Nesting deeper than
 * 100 is FACET_ELIMIT. */
int store_bson_to_json(const bson_t *doc, struct facet_buf *out);

#endif
