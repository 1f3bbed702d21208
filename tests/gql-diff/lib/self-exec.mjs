// A stand-in for `facet gql exec` built on graphql-js, used by `run.mjs --self` to prove the
// harness (file writing, process spawning, parsing, comparison) before and apart from facet.
// Usage: node self-exec.mjs gql exec --schema S --root R --query Q [--variables V] [--operation N]

import { readFileSync } from 'node:fs';
import { runReference } from './reference.mjs';

const args = process.argv.slice(2);
if (args[0] !== 'gql' || args[1] !== 'exec') {
  process.stderr.write('usage: self-exec.mjs gql exec --schema S --root R --query Q [--variables V] [--operation N]\n');
  process.exit(2);
}
const opts = {};
for (let i = 2; i < args.length; i += 2) opts[args[i].replace(/^--/, '')] = args[i + 1];
const c = {
  schema: readFileSync(opts.schema, 'utf8'),
  rootText: readFileSync(opts.root, 'utf8'),
  query: readFileSync(opts.query, 'utf8'),
  variablesText: opts.variables === undefined ? undefined : readFileSync(opts.variables, 'utf8'),
  operation: opts.operation,
};
process.stdout.write(`${JSON.stringify(await runReference(c))}\n`);
