/* `facet gql`: the GraphQL engine on the command line (exec, validate,
 * print-schema), which is also how users check schemas and queries in CI. */
#ifndef FACET_APP_CLI_GQL_H
#define FACET_APP_CLI_GQL_H

/* Runs `facet gql ARGS...` (argv holds what follows "gql"). Returns the
 * process exit status: 0 when a response was printed (errors or not), 1
 * for an unreadable file or an invalid schema, 2 for a usage error. */
int cli_gql_main(int argc, char **argv);

#endif
