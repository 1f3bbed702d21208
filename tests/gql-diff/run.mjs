#!/usr/bin/env node
// Differential test runner: every case (schema + JSON root value + query + variables +
// operation name) is run through graphql-js 16 and through `facet gql exec`, and the two
// responses are compared (see README.md). Prints one block per failing case and a summary.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCases } from './lib/cases.mjs';
import { compareResponses } from './lib/compare.mjs';

// graphql-js is the only dependency: say how to get it rather than print a module stack trace.
let reference;
try {
  reference = await import('./lib/reference.mjs');
} catch (e) {
  if (e.code !== 'ERR_MODULE_NOT_FOUND') throw e;
  console.error(`graphql-js is not installed: run \`npm ci\` in ${dirname(fileURLToPath(import.meta.url))}`);
  process.exit(2);
}
const { runReference, checkCaseIntent } = reference;

const HERE = dirname(fileURLToPath(import.meta.url));
const USAGE = `usage: node run.mjs [FILTER...] [--bin PATH] [--jobs N] [--self] [--any-order]
                  [--messages] [--keep] [--list] [--timeout MS]
  FILTER          run only cases whose id (group/name) contains one of these substrings
  --bin PATH      the facet binary (default: $FACET_BIN, else ../../build/facet)
  --jobs N        facet processes run at once (default 2)
  --self          run graphql-js (lib/self-exec.mjs) in place of facet, to check the harness
  --any-order     compare errors sorted by path+locations (default: in graphql-js' order)
  --messages      list every error message that differs from graphql-js' wording
  --keep          keep the temporary directory with the files written for facet
  --list          list the selected cases and their notes, run nothing
  --timeout MS    time allowed for one facet process (default 20000)`;

function parseArgs(argv) {
  const o = { filters: [], bin: process.env.FACET_BIN, jobs: 2, self: false, strictOrder: true,
    messages: false, keep: false, list: false, timeout: 20000 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--bin') o.bin = value();
    else if (a === '--jobs') o.jobs = Math.max(1, Number(value()) | 0);
    else if (a === '--timeout') o.timeout = Number(value());
    else if (a === '--self') o.self = true;
    else if (a === '--any-order') o.strictOrder = false;
    else if (a === '--messages') o.messages = true;
    else if (a === '--keep') o.keep = true;
    else if (a === '--list') o.list = true;
    else if (a === '--help' || a === '-h') { console.log(USAGE); process.exit(0); }
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else o.filters.push(a);
  }
  if (!o.bin) o.bin = resolve(HERE, '../../build/facet');
  return o;
}

function runProcess(cmd, args, timeoutMs) {
  return new Promise((done) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutMs);
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', (e) => { clearTimeout(timer); done({ code: null, signal: null, stdout: '', stderr: String(e), timedOut }); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), timedOut });
    });
  });
}

// Writes the case's files into its own directory and returns the argument list for facet.
function writeCaseFiles(dir, c) {
  mkdirSync(dir, { recursive: true });
  const f = (name, text) => { const p = join(dir, name); writeFileSync(p, text); return p; };
  const args = ['gql', 'exec', '--schema', f('schema.graphql', c.schema), '--root', f('root.json', c.rootText),
    '--query', f('query.graphql', c.query)];
  if (c.variablesText !== undefined) args.push('--variables', f('variables.json', c.variablesText));
  if (c.operation !== undefined) args.push('--operation', c.operation);
  return args;
}

const SANITIZER = /(AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:)/;

// Runs one case on both sides; returns {failures, messages, orderDiffers}.
async function runCase(c, index, ctx) {
  let expected;
  try {
    expected = await runReference(c);
  } catch (e) {
    return { failures: [`case error (graphql-js): ${e.message}`], messages: [], orderDiffers: false };
  }
  const intent = checkCaseIntent(c, expected);
  if (intent.length) return { failures: intent.map((p) => `case error: ${p}`), messages: [], orderDiffers: false };
  const args = writeCaseFiles(join(ctx.tmp, String(index)), c);
  const r = await runProcess(ctx.cmd, [...ctx.prefix, ...args], ctx.timeout);
  const failures = [];
  const stderrHead = () => r.stderr.trim().split('\n').slice(0, 8).map((l) => `  stderr: ${l}`);
  if (r.timedOut) return { failures: [`facet timed out after ${ctx.timeout} ms`], messages: [], orderDiffers: false };
  if (SANITIZER.test(r.stderr)) failures.push('sanitizer report on stderr:', ...stderrHead());
  if (r.code !== 0) failures.push(`facet exited with ${r.code ?? r.signal} (expected 0)`, ...stderrHead());
  let actual;
  try {
    actual = JSON.parse(r.stdout);
  } catch {
    failures.push(`stdout is not JSON: ${JSON.stringify(r.stdout.slice(0, 200))}`);
    if (r.code === 0) failures.push(...stderrHead());
    return { failures, messages: [], orderDiffers: false };
  }
  const cmp = compareResponses(expected, actual, { strictOrder: ctx.strictOrder });
  return { failures: [...failures, ...cmp.failures], messages: cmp.messages, orderDiffers: cmp.orderDiffers };
}

async function pool(items, jobs, fn) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, worker));
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`${e.message}\n${USAGE}`);
    process.exit(2);
  }
  const all = await loadCases(join(HERE, 'cases'));
  const cases = opts.filters.length ? all.filter((c) => opts.filters.some((f) => c.id.includes(f))) : all;
  if (opts.list) {
    for (const c of cases) console.log(`${c.id}${c.note ? ` — ${c.note}` : ''}`);
    console.log(`${cases.length} cases`);
    return 0;
  }
  const ctx = { timeout: opts.timeout, strictOrder: opts.strictOrder, tmp: mkdtempSync(join(tmpdir(), 'gql-diff-')) };
  if (opts.self) {
    ctx.cmd = process.execPath;
    ctx.prefix = [join(HERE, 'lib/self-exec.mjs')];
  } else {
    if (!existsSync(opts.bin)) {
      console.error(`facet binary not found: ${opts.bin} (build it, or pass --bin PATH / FACET_BIN)`);
      process.exit(2);
    }
    ctx.cmd = resolve(opts.bin);
    ctx.prefix = [];
  }
  const started = Date.now();
  const results = new Array(cases.length);
  await pool(cases, opts.jobs, async (c, i) => {
    results[i] = await runCase(c, i, ctx);
    if (results[i].failures.length) {
      console.log(`FAIL ${c.id}${c.note ? ` — ${c.note}` : ''}`);
      for (const line of results[i].failures) console.log(`  ${line}`);
    }
  });
  let passed = 0;
  let failed = 0;
  let msgCount = 0;
  let msgCases = 0;
  let orderCases = 0;
  results.forEach((r, i) => {
    if (r.failures.length) failed++; else passed++;
    if (r.messages.length) { msgCount += r.messages.length; msgCases++; }
    if (r.orderDiffers) orderCases++;
    if (opts.messages) {
      for (const m of r.messages) console.log(`message ${cases[i].id}:\n  graphql-js: ${m.expected}\n  facet:      ${m.actual}`);
    }
  });
  if (!opts.keep) rmSync(ctx.tmp, { recursive: true, force: true });
  else console.log(`files kept in ${ctx.tmp}`);
  console.log(`${opts.self ? 'self-check (graphql-js on both sides), ' : ''}${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`message mismatches: ${msgCount} errors in ${msgCases} cases (not failures; --messages lists them)`);
  if (!opts.strictOrder) console.log(`error order differs from graphql-js in ${orderCases} cases (not failures with --any-order)`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

process.exitCode = await main();
