/* Collections and indexes: creates every collection and index the
 * repositories rely on, idempotently. Running it again is a no-op; an index
 * that already exists with the same name, keys and uniqueness is fine, one
 * whose definition differs is an error (never silently dropped). Nothing
 * here needs transactions, change streams or TTL indexes, so it runs on
 * MongoDB and FerretDB alike. */
#ifndef FACET_STORE_MIGRATE_H
#define FACET_STORE_MIGRATE_H

#include <stdbool.h>

#include "store/doc.h"

typedef struct _mongoc_client_t mongoc_client_t;

/* One collection or index the migration looked at. Strings are static or
 * valid only during the callback. */
typedef struct store_migrate_event {
    const char *collection;
    const char *index; /* NULL for the collection itself */
    bool created;      /* false: it was there already */
} store_migrate_event_t;

typedef void (*store_migrate_cb)(const store_migrate_event_t *ev, void *ud);

/* Creates what is missing in database db, calling cb (may be NULL) once per
 * collection and index, in a fixed order. Blocking; safe to run from
 * several processes at once (a concurrent creation counts as existing).
 * Returns FACET_OK, FACET_ECONFLICT when an index of the same name (or the
 * same keys) exists with another definition, or the mapped driver error;
 * err says which collection and index. */
int store_migrate(mongoc_client_t *client, const char *db, store_migrate_cb cb, void *ud,
                  store_error_t *err);

#endif
