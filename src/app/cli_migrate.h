/* `facet migrate`: creates MongoDB's collections and indexes and says what
 * it created, for deployments that migrate before starting `facet serve`
 * (or that run serve with FACET_MIGRATE=0). */
#ifndef FACET_APP_CLI_MIGRATE_H
#define FACET_APP_CLI_MIGRATE_H

/* Runs `facet migrate ARGS...` (argv holds what follows "migrate"): reads
 * MONGODB_URI and the other settings from the environment, creates what is
 * missing and prints one JSON line per collection and index
 * ({"collection":...,"index":...,"created":true|false}) and a summary line
 * ({"ok":true,"created":N,"existing":N}, or "ok":false with "error").
 * Returns the exit status: 0 on success, 1 when the database is unreachable
 * or an index conflicts, 2 for a usage or configuration error. */
int app_migrate_command(int argc, char **argv);

#endif
