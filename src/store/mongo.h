/* The MongoDB client pool (libmongoc), shared by every thread: libmongoc's
 * pool is internally synchronized. Blocking calls run on the libuv thread
 * pool and report back on the calling loop. */
#ifndef FACET_STORE_MONGO_H
#define FACET_STORE_MONGO_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

typedef struct store_mongo store_mongo_t;

/* Initializes libmongoc (once per process) and creates the pool. The URI may
 * be mongodb:// or mongodb+srv://; serverSelectionTimeoutMS and
 * connectTimeoutMS default to timeout_ms when the URI does not set them.
 * Nothing connects yet, so a server that is down is not an error; a bad URI
 * is, with a message naming MONGODB_URI in err. */
int store_mongo_open(const char *uri, int pool_size, uint64_t timeout_ms, store_mongo_t **out,
                     char *err, size_t errlen);

/* Destroys the pool; no operation may be running. */
void store_mongo_close(store_mongo_t *m);

/* The database named by the URI's path ("facet" when absent). */
const char *store_mongo_database(const store_mongo_t *m);

/* status is FACET_OK, FACET_ETIMEDOUT or FACET_EIO; error is a short text,
 * valid only during the callback (NULL on success). */
typedef void (*store_mongo_ping_cb)(int status, const char *error, void *ud);

/* Runs {ping: 1} on the thread pool of loop; cb runs once on loop, at the
 * latest after timeout_ms. */
int store_mongo_ping(store_mongo_t *m, uv_loop_t *loop, uint64_t timeout_ms, store_mongo_ping_cb cb,
                     void *ud);

typedef struct _mongoc_client_t mongoc_client_t;

/* Blocking work with a client from the pool: runs on a thread-pool thread,
 * returns a FACET_* status. */
typedef int (*store_mongo_work_fn)(mongoc_client_t *client, const char *db, void *ud);
/* Runs on the loop once the work returned (or could not run: FACET_EIO). */
typedef void (*store_mongo_done_fn)(int status, void *ud);

/* Runs work on loop's thread pool with a client popped from the pool and
 * pushed back after it, then done on loop. ud must stay valid until done
 * returns. Returns FACET_ENOMEM or FACET_EIO without calling anything when
 * the work cannot be queued. Operations are bounded by the URI's socket and
 * server-selection timeouts, not by a deadline here. */
int store_mongo_run(store_mongo_t *m, uv_loop_t *loop, store_mongo_work_fn work,
                    store_mongo_done_fn done, void *ud);

/* Pops and pushes a client directly, for commands that run outside the
 * loops (`facet migrate`, `facet audit verify`). */
mongoc_client_t *store_mongo_pop(store_mongo_t *m);
void store_mongo_push(store_mongo_t *m, mongoc_client_t *client);

#endif
