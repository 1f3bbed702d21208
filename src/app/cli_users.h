/* `facet users set-role EMAIL USER|ADMIN`: the one way to make an admin
 * (the API never lets a user raise their own role). */
#ifndef FACET_APP_CLI_USERS_H
#define FACET_APP_CLI_USERS_H

/* Runs `facet users ...` (argv holds what follows "users"); returns 0 when
 * done, 1 when the user does not exist or the database failed, 2 for a
 * usage or configuration error. */
int app_users_command(int argc, char **argv);

#endif
