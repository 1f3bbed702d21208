// Loads the differential cases: every cases/*.mjs (default export) and cases/*.json file is a
// group {schema?, schemaFile?, root?, cases: [...]} whose group-level fields are defaults for
// its cases. Each case is resolved here into the exact texts written to disk for facet.

import { readdirSync, readFileSync } from 'node:fs';
import { join, basename, extname } from 'node:path';
import { pathToFileURL } from 'node:url';

const CASE_KEYS = new Set([
  'name', 'note', 'schema', 'schemaFile', 'root', 'rootJson', 'query', 'variables',
  'variablesJson', 'operation', 'rule', 'valid', 'expect',
]);

// Turns one raw case plus its group's defaults into {id, schema, rootText, query, variablesText,
// operation, note, rule, valid, expect}. Throws with the case id when the case is malformed, so
// that a typo in a case file stops the run instead of silently testing something else.
function resolveCase(casesDir, group, defaults, raw, index) {
  const name = raw.name ?? String(index + 1).padStart(3, '0');
  const id = `${group}/${name}`;
  for (const key of Object.keys(raw)) {
    if (!CASE_KEYS.has(key)) throw new Error(`${id}: unknown case key "${key}"`);
  }
  const pick = (key) => (raw[key] !== undefined ? raw[key] : defaults[key]);
  let schema = raw.schema;
  if (schema === undefined && raw.schemaFile !== undefined) {
    schema = readFileSync(join(casesDir, raw.schemaFile), 'utf8');
  }
  if (schema === undefined) schema = defaults.schemaText;
  if (typeof schema !== 'string') throw new Error(`${id}: no schema`);
  if (typeof raw.query !== 'string') throw new Error(`${id}: no query`);
  let rootText = raw.rootJson;
  if (rootText === undefined && raw.root !== undefined) rootText = JSON.stringify(raw.root);
  if (rootText === undefined) rootText = defaults.rootJson ?? JSON.stringify(defaults.root ?? {});
  let variablesText = raw.variablesJson;
  if (variablesText === undefined && raw.variables !== undefined) {
    variablesText = JSON.stringify(raw.variables);
  }
  return {
    id,
    group,
    name,
    note: raw.note ?? '',
    schema,
    rootText,
    query: raw.query,
    variablesText,
    operation: pick('operation'),
    rule: raw.rule,
    valid: raw.valid,
    expect: raw.expect,
  };
}

async function loadGroupFile(path) {
  if (extname(path) === '.json') return JSON.parse(readFileSync(path, 'utf8'));
  const mod = await import(pathToFileURL(path).href);
  return mod.default;
}

// Returns every case, sorted by file then by position in the file. Case ids must be unique.
export async function loadCases(casesDir) {
  const files = readdirSync(casesDir)
    .filter((f) => f.endsWith('.mjs') || f.endsWith('.json'))
    .sort();
  const all = [];
  const seen = new Set();
  for (const file of files) {
    const data = await loadGroupFile(join(casesDir, file));
    const group = data.group ?? basename(file, extname(file));
    const defaults = { ...data };
    if (data.schemaFile !== undefined) {
      defaults.schemaText = readFileSync(join(casesDir, data.schemaFile), 'utf8');
    } else {
      defaults.schemaText = data.schema;
    }
    if (!Array.isArray(data.cases)) throw new Error(`${file}: no "cases" array`);
    data.cases.forEach((raw, i) => {
      const c = resolveCase(casesDir, group, defaults, raw, i);
      if (seen.has(c.id)) throw new Error(`duplicate case id ${c.id}`);
      seen.add(c.id);
      all.push(c);
    });
  }
  return all;
}
