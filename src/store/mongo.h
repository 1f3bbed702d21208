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

#endif
