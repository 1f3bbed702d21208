/* `facet audit verify`: recomputes every wallet from its ledger and checks
 * the hash chains and the balance projections (store/audit.h), printing a
 * JSON line per problem and a summary line on stdout. */
#ifndef FACET_APP_CLI_AUDIT_H
#define FACET_APP_CLI_AUDIT_H

/* Runs `facet audit` with the arguments after "audit"; returns the exit
 * code: 0 clean, 1 a problem was found (each line names its wallet) or the
 * database could not be read to the end, 2 usage or configuration error. */
int app_audit_command(int argc, char **argv);

#endif
