// Tests of the harness itself (node --test lib/): the comparison catches what it must and
// tolerates what it may, and run.mjs reports failing, crashing and passing binaries correctly.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareResponses } from './compare.mjs';

const RUN = join(dirname(fileURLToPath(import.meta.url)), '..', 'run.mjs');
const err = (message, path, line = 1, column = 3) => ({ message, locations: [{ line, column }], ...(path ? { path } : {}) });

test('identical responses pass', () => {
  const r = { errors: [err('x', ['a'])], data: { a: null, b: 1 } };
  assert.deepEqual(compareResponses(r, structuredClone(r)).failures, []);
});

test('key order in data fails', () => {
  const c = compareResponses({ data: { a: 1, b: 2 } }, { data: { b: 2, a: 1 } });
  assert.ok(c.failures.some((f) => f.includes('key order')));
});

test('absent data and data null differ', () => {
  assert.ok(compareResponses({ errors: [err('e')] }, { errors: [err('e')], data: null }).failures.length > 0);
  assert.ok(compareResponses({ errors: [err('e')], data: null }, { errors: [err('e')] }).failures.length > 0);
});

test('error paths, locations and counts are compared; messages are not', () => {
  const exp = { errors: [err('m', ['a', 0])], data: { a: null } };
  assert.ok(compareResponses(exp, { errors: [err('m', ['a', 1])], data: { a: null } }).failures.length > 0);
  assert.ok(compareResponses(exp, { errors: [err('m', ['a', 0], 2, 3)], data: { a: null } }).failures.length > 0);
  assert.ok(compareResponses(exp, { errors: [err('m', ['a', 0]), err('m', ['b'])], data: { a: null } }).failures.length > 0);
  const other = compareResponses(exp, { errors: [err('other words', ['a', 0])], data: { a: null } });
  assert.deepEqual(other.failures, []);
  assert.equal(other.messages.length, 1);
});

test('error order is free unless strict', () => {
  const a = err('a', ['a']);
  const b = err('b', ['b'], 1, 5);
  const c = compareResponses({ errors: [a, b], data: {} }, { errors: [b, a], data: {} });
  assert.deepEqual(c.failures, []);
  assert.equal(c.orderDiffers, true);
  assert.ok(compareResponses({ errors: [a, b], data: {} }, { errors: [b, a], data: {} }, { strictOrder: true }).failures.length > 0);
});

test('an empty errors list and errors without message fail', () => {
  assert.ok(compareResponses({ data: {} }, { errors: [], data: {} }).failures.length > 0);
  assert.ok(compareResponses({ errors: [err('m')] }, { errors: [{ locations: [{ line: 1, column: 3 }] }] }).failures.length > 0);
});

function fakeBin(script) {
  const dir = mkdtempSync(join(tmpdir(), 'gql-diff-fake-'));
  const path = join(dir, 'facet');
  writeFileSync(path, `#!/bin/sh\n${script}\n`);
  chmodSync(path, 0o755);
  return { path, done: () => rmSync(dir, { recursive: true, force: true }) };
}

test('run.mjs reports a wrong response and exits 1', () => {
  const bin = fakeBin('echo \'{"data":{"hello":"wrong"}}\'');
  const r = spawnSync(process.execPath, [RUN, 'bench/hello', '--bin', bin.path], { encoding: 'utf8' });
  bin.done();
  assert.equal(r.status, 1);
  assert.match(r.stdout, /FAIL bench\/hello\b/);
  assert.match(r.stdout, /data\.hello: expected "world", got "wrong"/);
  assert.match(r.stdout, /\n0 passed, \d+ failed\n$/);
});

test('run.mjs reports a crash and a sanitizer report', () => {
  const bin = fakeBin('echo "==1==ERROR: AddressSanitizer: heap-use-after-free" >&2; exit 1');
  const r = spawnSync(process.execPath, [RUN, 'bench/hello', '--bin', bin.path], { encoding: 'utf8' });
  bin.done();
  assert.equal(r.status, 1);
  assert.match(r.stdout, /sanitizer report/);
  assert.match(r.stdout, /exited with 1/);
});

test('run.mjs --self passes', () => {
  const r = spawnSync(process.execPath, [RUN, '--self', 'bench/', 'nulls/list/'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout);
  assert.match(r.stdout, /\n\d+ passed, 0 failed\n$/);
});
