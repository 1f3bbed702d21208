// `facet audit verify` against a tampered database: after real wallet
// activity through the API, ledger_tool (tests/tools/ledger_tool.c, built
// next to the unit tests of FACET_BIN's build, or FACET_LEDGER_TOOL) edits
// the ledger or a projection behind Facet's back. Every edit must make the
// audit exit 1 with a line naming that wallet (and no other); undoing it
// must make the audit clean again.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { FACET_BIN, runFacet, sanitizerReport, useFacetCleanup } from './lib/facet.mjs';
import { gql, signUp, startProduct } from './lib/product.mjs';
import { useServices } from './lib/services.mjs';

const LEDGER_TOOL = path.resolve(
  process.env.FACET_LEDGER_TOOL || path.join(path.dirname(FACET_BIN), 'tests', 'ledger_tool'),
);
const missing = fs.existsSync(LEDGER_TOOL) ? false : `${LEDGER_TOOL} is not built (target ledger_tool)`;

useFacetCleanup();
const services = useServices();

/** Runs ledger_tool on the database of env; resolves { code, stdout, stderr }. */
function ledgerTool(env, args) {
  return new Promise((resolve, reject) => {
    const toolEnv = { PATH: process.env.PATH, MONGODB_URI: env.MONGODB_URI };
    for (const k of ['ASAN_OPTIONS', 'UBSAN_OPTIONS', 'LSAN_OPTIONS']) {
      if (process.env[k] !== undefined) toolEnv[k] = process.env[k];
    }
    execFile(LEDGER_TOOL, args, { env: toolEnv, timeout: 20000 }, (err, stdout, stderr) => {
      const report = sanitizerReport(stderr);
      if (report) reject(new Error(`sanitizer report from ledger_tool ${args.join(' ')}:\n${report}`));
      else if (err && typeof err.code !== 'number') reject(err);
      else resolve({ code: err ? err.code : 0, stdout, stderr });
    });
  });
}

async function edit(env, ...args) {
  const r = await ledgerTool(env, args.map(String));
  assert.equal(r.code, 0, `ledger_tool ${args.join(' ')}: ${r.stderr}`);
}

/** `facet audit verify`: { code, problems: [{problem, wallet, seq, detail}], summary }. */
async function audit(env) {
  const r = await runFacet(['audit', 'verify'], { env, timeoutMs: 60000 });
  // Facet's own log lines (a driver warning) may come between them.
  const lines = r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const problems = lines.filter((l) => 'problem' in l);
  const summary = lines.findLast((l) => 'ok' in l && 'behind' in l);
  assert.ok(summary, `no summary line: ${r.stdout} ${r.stderr}`);
  return { code: r.code, problems, summary, text: r.stdout + r.stderr };
}

/** Audits a tampered database: exit 1, every problem on `wallet`, `codes` among them. */
async function expectCaught(env, wallet, codes, what) {
  const a = await audit(env);
  assert.equal(a.code, 1, `${what}: the audit should fail\n${a.text}`);
  assert.equal(a.summary.ok, false, what);
  assert.ok(a.problems.length > 0, `${what}: no problem line\n${a.text}`);
  for (const p of a.problems) assert.equal(p.wallet, wallet, `${what}: a problem names another wallet\n${a.text}`);
  const found = new Set(a.problems.map((p) => `${p.problem}@${p.seq}`));
  for (const c of codes) assert.ok(found.has(c), `${what}: expected ${c} among ${[...found].join(', ')}`);
  return a;
}

async function expectClean(env, what) {
  const a = await audit(env);
  assert.equal(a.code, 0, `${what}: the audit should pass\n${a.text}`);
  assert.deepEqual(a.problems, []);
  assert.equal(a.summary.ok, true);
  return a;
}

const PAYLOAD = 'transaction { sequence balanceAfter amount } wallet { balance }';
const spend = (port, token, amount, key) =>
  gql(port, `mutation($i: SpendGemsInput!) { spendGems(input: $i) { ${PAYLOAD} } }`,
    { i: { amount, reason: 'a sticker', idempotencyKey: key } }, { token });
const purchase = (port, token, key) =>
  gql(port, `mutation($i: PurchaseGemsInput!) { purchaseGems(input: $i) { ${PAYLOAD} } }`,
    { i: { sku: 'gems_100', receipt: `r-${key}`, idempotencyKey: key } }, { token });

/** A user with four entries: +100, -10, -20, +100 (balance 170). */
async function activeUser(port, label) {
  const u = await signUp(port, label);
  for (const [op, amount, key] of [['buy', 0, 'b1'], ['spend', 10, 's1'], ['spend', 20, 's2'], ['buy', 0, 'b2']]) {
    const r = op === 'buy' ? await purchase(port, u.token, key) : await spend(port, u.token, amount, key);
    assert.ok(r.data, JSON.stringify(r));
  }
  const w = await gql(port, '{ wallet { id balance } }', {}, { token: u.token });
  assert.deepEqual(w.data.wallet, { id: u.user.id, balance: 170 });
  return u.user.id;
}

// One product and seven active wallets for the whole file, made by the
// first test that runs (Node 20 runs top-level before hooks concurrently,
// so the services may not be up yet in one).
let f;
let wallets;
let ready;
const setup = () => (ready ??= (async () => {
  f = await startProduct(services);
  wallets = [];
  for (let i = 0; i < 7; i++) wallets.push(await activeUser(f.port, `audit${i}`));
})());

test('a database written only by Facet passes the audit', { skip: missing, timeout: 60000 }, async () => {
  await setup();
  const a = await expectClean(f.env, 'untouched');
  assert.equal(a.summary.wallets, wallets.length);
  assert.equal(a.summary.entries, wallets.length * 4);
  assert.equal(a.summary.behind, 0);
});

test('an edited amount is caught, and undoing the edit clears it', { skip: missing, timeout: 60000 }, async () => {
  await setup();
  const w = wallets[0];
  await edit(f.env, 'tamper-amount', w, 2, 1);
  await expectCaught(f.env, w, ['balance_mismatch@2', 'hash_mismatch@2'], 'amount 10 -> 1');
  await edit(f.env, 'tamper-amount', w, 2, 10);
  await expectClean(f.env, 'amount restored');
});

test('an edited balanceAfter is caught', { skip: missing, timeout: 60000 }, async () => {
  await setup();
  const w = wallets[1];
  await edit(f.env, 'tamper-balance-after', w, 3, 1070);
  await expectCaught(f.env, w, ['balance_mismatch@3', 'hash_mismatch@3'], 'balanceAfter 70 -> 1070');
  await edit(f.env, 'tamper-balance-after', w, 3, 70);
  await expectClean(f.env, 'balanceAfter restored');
});

test('an edited reason, which leaves every balance right, is caught by the hash alone', { skip: missing, timeout: 60000 }, async () => {
  await setup();
  const w = wallets[2];
  await edit(f.env, 'tamper-reason', w, 2, 'a bigger sticker');
  const a = await expectCaught(f.env, w, ['hash_mismatch@2'], 'reason edited');
  assert.deepEqual(a.problems.map((p) => p.problem), ['hash_mismatch']);
  await edit(f.env, 'tamper-reason', w, 2, 'a sticker');
  await expectClean(f.env, 'reason restored');
});

test('an edited wallet balance (the projection) is caught', { skip: missing, timeout: 60000 }, async () => {
  await setup();
  const w = wallets[3];
  await edit(f.env, 'tamper-balance', w, 1000000);
  await expectCaught(f.env, w, ['projection_balance@0'], 'balance 170 -> 1000000');
  await edit(f.env, 'tamper-balance', w, 170);
  await expectClean(f.env, 'balance restored');
});

test('a deleted entry is caught: in the middle a gap, at the end a projection ahead', { skip: missing, timeout: 60000 }, async () => {
  await setup();
  await edit(f.env, 'delete-entry', wallets[4], 2);
  await expectCaught(f.env, wallets[4], ['seq_gap@3', 'prev_hash_mismatch@3'], 'entry 2 deleted');
  // A second wallet broken too: each is named for its own problem, no other is.
  await edit(f.env, 'delete-entry', wallets[5], 4);
  const a = await audit(f.env);
  assert.equal(a.code, 1, a.text);
  assert.deepEqual([...new Set(a.problems.map((p) => p.wallet))].sort(), [wallets[4], wallets[5]].sort());
  const of5 = a.problems.filter((p) => p.wallet === wallets[5]).map((p) => `${p.problem}@${p.seq}`);
  assert.deepEqual(of5, ['projection_ahead@0'], a.text);
  assert.equal(a.summary.wallets, wallets.length);
});

test('ledger_tool refuses what it cannot do', { skip: missing, timeout: 30000 }, async () => {
  await setup();
  assert.equal((await ledgerTool(f.env, ['tamper-amount', wallets[6], '99', '1'])).code, 1, 'no entry 99');
  assert.equal((await ledgerTool(f.env, ['tamper-balance', '000000000000000000000000', '1'])).code, 1, 'no wallet');
  assert.equal((await ledgerTool(f.env, ['tamper-amount', 'nope', '1', '1'])).code, 2);
  assert.equal((await ledgerTool(f.env, ['delete-entry', wallets[6], '0'])).code, 2);
  assert.equal((await ledgerTool(f.env, ['explode', wallets[6]])).code, 2);
  const shown = await ledgerTool(f.env, ['show', wallets[6]]);
  assert.equal(shown.code, 0);
  const projection = JSON.parse(shown.stdout.trim().split('\n').pop());
  assert.deepEqual({ ...projection, head: undefined }, { wallet: wallets[6], seq: 4, balance: 170, head: undefined });
  assert.match(projection.head, /^[0-9a-f]{64}$/);
});
