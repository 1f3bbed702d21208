// The wallet survives `kill -9`. A storm of spendGems and purchaseGems from
// many connections, each with its own idempotency key, is cut twice by
// SIGKILL; Facet restarts on the same database and every client retries
// whatever it did not see answered with the same key until it is. Then no
// transaction may be lost or doubled: each wallet's ledger holds exactly the
// keys that succeeded, once each, its balance is what they add up to, and
// `facet audit verify` passes, right after each restart (before anyone
// writes again: start-up rolled the projections forward) and at the end.
// A projection left behind deterministically (ledger_tool rewind, what a
// crash between posting an entry and projecting it leaves) is repaired by
// start-up too.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { test } from 'node:test';
import { FACET_BIN, runFacet, sanitizerReport, sleep, startFacet, useFacetCleanup } from './lib/facet.mjs';
import { gql, signUp, startProduct } from './lib/product.mjs';
import { useServices } from './lib/services.mjs';

const LEDGER_TOOL = path.resolve(
  process.env.FACET_LEDGER_TOOL || path.join(path.dirname(FACET_BIN), 'tests', 'ledger_tool'),
);
const toolMissing = fs.existsSync(LEDGER_TOOL) ? false : `${LEDGER_TOOL} is not built (target ledger_tool)`;

useFacetCleanup();
const services = useServices();

const USERS = 8;
const OPS_PER_USER = 50;
const CLIENTS = 24; // connections sending posts, one request in flight each
const READERS = 8; // connections reading `wallet { balance }` meanwhile
const KILLS = [0.25, 0.5, 0.75]; // SIGKILL when this share of the posts has an answer
const FUNDING = { sku: 'gems_1200', gems: 1200 };
const PURCHASE = { sku: 'gems_100', gems: 100 };
const REQUEST_TIMEOUT_MS = 20000; // "no answer"
const MAX_ATTEMPTS = 400;

/** `facet audit verify` on env's database: { code, summary, problems, text }. */
async function audit(env) {
  const r = await runFacet(['audit', 'verify'], { env, timeoutMs: 60000 });
  // Facet's own log lines (a driver warning) may come between the results.
  const lines = r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const summary = lines.findLast((l) => 'ok' in l && 'behind' in l);
  assert.ok(summary, `no audit summary: ${r.stdout} ${r.stderr}`);
  return { code: r.code, summary, problems: lines.filter((l) => 'problem' in l), text: r.stdout + r.stderr };
}

async function expectAuditClean(env, what) {
  const a = await audit(env);
  assert.equal(a.code, 0, `${what}: audit failed\n${a.text}`);
  assert.deepEqual(a.problems, [], what);
  return a.summary;
}

function ledgerTool(env, args) {
  return new Promise((resolve, reject) => {
    const toolEnv = { PATH: process.env.PATH, MONGODB_URI: env.MONGODB_URI };
    for (const k of ['ASAN_OPTIONS', 'UBSAN_OPTIONS', 'LSAN_OPTIONS']) {
      if (process.env[k] !== undefined) toolEnv[k] = process.env[k];
    }
    execFile(LEDGER_TOOL, args.map(String), { env: toolEnv, timeout: 20000 }, (err, stdout, stderr) => {
      const report = sanitizerReport(stderr);
      if (report) return reject(new Error(`sanitizer report from ledger_tool:\n${report}`));
      if (err) return reject(new Error(`ledger_tool ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      resolve(JSON.parse(stdout.trim().split('\n').pop()));
    });
  });
}

const TX = 'transaction { id kind amount balanceAfter idempotencyKey sequence } wallet { balance } replayed';
const SPEND = `mutation($i: SpendGemsInput!) { spendGems(input: $i) { ${TX} } }`;
const BUY = `mutation($i: PurchaseGemsInput!) { purchaseGems(input: $i) { ${TX} } }`;

/** Every entry of the viewer's wallet, newest first, through the paginated connection. */
async function ledgerOf(port, token) {
  const entries = [];
  let after = null;
  let balance;
  for (;;) {
    const r = await gql(port, `query($a: String) { wallet { balance transactions(first: 100, after: $a) {
        edges { node { id kind amount balanceAfter idempotencyKey sequence } }
        pageInfo { hasNextPage endCursor } } } }`, { a: after }, { token });
    assert.ok(r.data, JSON.stringify(r));
    balance ??= r.data.wallet.balance;
    const conn = r.data.wallet.transactions;
    entries.push(...conn.edges.map((e) => e.node));
    if (!conn.pageInfo.hasNextPage) break;
    after = conn.pageInfo.endCursor;
  }
  return { balance, entries };
}

test('start-up rolls a projection left behind its ledger forward', { skip: toolMissing, timeout: 60000 }, async () => {
  let f = await startProduct(services);
  const u = await signUp(f.port, 'behind');
  for (const [q, i] of [[BUY, { sku: 'gems_100', receipt: 'r1', idempotencyKey: 'b1' }],
    [SPEND, { amount: 7, reason: 'x', idempotencyKey: 's1' }],
    [SPEND, { amount: 5, reason: 'x', idempotencyKey: 's2' }]]) {
    assert.ok((await gql(f.port, q, { i }, { token: u.token })).data, 'posted');
  }
  await f.stop();
  // As if the process died after inserting entries 2 and 3 but before
  // moving the projection past entry 1.
  await ledgerTool(f.env, ['rewind', u.user.id, 1]);
  assert.equal((await expectAuditClean(f.env, 'rewound')).behind, 1, 'the audit sees it behind, not broken');
  f = await startFacet({ env: f.env });
  const rolled = f.logsWhere({ msg: 'wallets rolled forward after a crash' });
  assert.equal(rolled.length, 1, 'start-up says so');
  assert.equal(rolled[0].count, 1);
  // Before any request: the stored projection is current again.
  assert.equal((await expectAuditClean(f.env, 'after restart')).behind, 0);
  const p = await ledgerTool(f.env, ['show', u.user.id]);
  assert.equal(p.seq, 3);
  assert.equal(p.balance, 88);
  const w = await gql(f.port, '{ wallet { balance } }', {}, { token: u.token });
  assert.equal(w.data.wallet.balance, 88);
});

// `wallet { balance }` reads right after each restart that disagreed with
// the stored projection (filled by the storm test).
const staleAfterRestart = [];
let stormRan = false;

/** Opens and closes the clients' way to the server while it is being killed and restarted. */
class Gate {
  constructor() {
    this.isOpen = true;
    this.waiters = [];
  }
  close() {
    this.isOpen = false;
  }
  open() {
    this.isOpen = true;
    for (const w of this.waiters.splice(0)) w();
  }
  wait() {
    return this.isOpen ? Promise.resolve() : new Promise((r) => this.waiters.push(r));
  }
}

/** POSTs a GraphQL operation on agent's connection; resolves { status, text } or rejects. */
function post(port, agent, token, query, variables) {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ query, variables });
    const req = http.request({
      host: '127.0.0.1', port, path: '/graphql', method: 'POST', agent,
      headers: {
        'content-type': 'application/json', accept: 'application/json',
        authorization: `Bearer ${token}`, 'content-length': Buffer.byteLength(body),
      },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode, text }));
      res.on('error', reject);
    });
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error('no answer')));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Sends op until its outcome is known: an answer with the payload, or a
 * definite refusal (a GraphQL error other than INTERNAL_SERVER_ERROR or
 * CONFLICT, which say the outcome is unknown or the post did not run).
 * A network error, a 5xx, a body that is not JSON or a timeout means the
 * outcome was not seen: the same request, same key, goes again.
 */
async function perform(ctx, client, op) {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    await ctx.gate.wait();
    if (attempt > 1) op.retries++;
    let res;
    try {
      res = await post(ctx.port(), client.agent, op.user.token, op.query, op.variables);
    } catch (e) {
      ctx.stats.network++;
      await sleep(20 + Math.random() * 30);
      continue;
    }
    if (res.status >= 500) {
      ctx.stats.http5xx++;
      await sleep(20);
      continue;
    }
    let body;
    try {
      body = JSON.parse(res.text);
    } catch {
      ctx.stats.noAnswer++;
      continue;
    }
    const payload = body.data?.[op.field];
    if (payload) {
      op.result = payload;
      if (payload.replayed) ctx.stats.replayed++;
      return;
    }
    const code = body.errors?.[0]?.extensions?.code ?? `HTTP ${res.status}`;
    if (code === 'INTERNAL_SERVER_ERROR' || code === 'CONFLICT') {
      ctx.stats.retryable[code] = (ctx.stats.retryable[code] ?? 0) + 1;
      await sleep(20);
      continue;
    }
    op.refused = { code, body };
    return;
  }
  throw new Error(`${op.key}: no outcome after ${MAX_ATTEMPTS} attempts`);
}

function makeOps(users) {
  const ops = [];
  for (const user of users) {
    for (let i = 0; i < OPS_PER_USER; i++) {
      const key = `${user.user.id}-${i}-${crypto.randomBytes(3).toString('hex')}`;
      if (i % 5 === 4) {
        ops.push({ user, key, kind: 'PURCHASE', amount: PURCHASE.gems, field: 'purchaseGems', query: BUY,
          variables: { i: { sku: PURCHASE.sku, receipt: `rcpt-${key}`, idempotencyKey: key } }, retries: 0 });
      } else {
        const amount = 1 + (i % 9);
        ops.push({ user, key, kind: 'SPEND', amount, field: 'spendGems', query: SPEND,
          variables: { i: { amount, reason: 'crash test', reference: `ref-${i}`, idempotencyKey: key } }, retries: 0 });
      }
    }
  }
  // Shuffled, so that every wallet is written by many connections at once.
  for (let i = ops.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [ops[i], ops[j]] = [ops[j], ops[i]];
  }
  return ops;
}

test('kill -9 in a storm of spends and purchases loses and doubles nothing', { skip: toolMissing, timeout: 180000 }, async (t) => {
  const started = Date.now();
  let f = await startProduct(services);
  const env = f.env; // same port and database for every restart
  const users = [];
  for (let i = 0; i < USERS; i++) users.push(await signUp(f.port, `crash${i}`));
  const fundKey = (u) => `fund-${u.user.id}`;
  for (const u of users) {
    const r = await gql(f.port, BUY, { i: { sku: FUNDING.sku, receipt: 'fund', idempotencyKey: fundKey(u) } }, { token: u.token });
    assert.equal(r.data?.purchaseGems.wallet.balance, FUNDING.gems, JSON.stringify(r));
  }

  const ops = makeOps(users);
  const ctx = {
    gate: new Gate(),
    port: () => f.port,
    stats: { network: 0, http5xx: 0, noAnswer: 0, replayed: 0, retryable: {} },
  };
  let answered = 0;
  let next = 0;
  let stormOver = false;
  const clients = Array.from({ length: CLIENTS }, () => ({ agent: new http.Agent({ keepAlive: true, maxSockets: 1 }) }));
  const readers = Array.from({ length: READERS }, () => ({ agent: new http.Agent({ keepAlive: true, maxSockets: 1 }) }));
  t.after(() => [...clients, ...readers].forEach((c) => c.agent.destroy()));

  const senders = clients.map(async (client) => {
    while (next < ops.length) {
      const op = ops[next++];
      await perform(ctx, client, op);
      answered++;
    }
  });
  // Reads fill the wallet cache while the posts invalidate it.
  let reads = 0;
  const readLoops = readers.map(async (client, n) => {
    for (let i = n; !stormOver; i++) {
      await ctx.gate.wait();
      const u = users[i % users.length];
      try {
        const r = await post(ctx.port(), client.agent, u.token, '{ wallet { balance } }', {});
        if (r.status === 200) reads++;
      } catch {
        await sleep(20);
      }
    }
  });

  const kills = [];
  const chaos = (async () => {
    for (const share of KILLS) {
      while (answered < share * ops.length) await sleep(2);
      ctx.gate.close(); // no new request from here on; those in flight die with the process
      const kill = { answeredAtKill: answered };
      await f.kill(); // SIGKILL
      kill.auditWhileDown = await expectAuditClean(env, 'after SIGKILL, before restart');
      f = await startFacet({ env });
      kill.rolled = f.logsWhere({ msg: 'wallets rolled forward after a crash' })[0]?.count ?? 0;
      // Nobody has written since the restart: start-up alone must have
      // brought every projection level with its ledger.
      kill.auditAfterRestart = await expectAuditClean(env, 'right after restart');
      assert.equal(kill.auditAfterRestart.behind, 0, 'a projection was left behind after the restart');
      // What clients read (through the cache) against what the database
      // holds; judged by the next test.
      kill.stale = [];
      for (const u of users) {
        const stored = await ledgerTool(env, ['show', u.user.id]);
        const read = await gql(f.port, '{ wallet { balance } }', {}, { token: u.token });
        if (read.data?.wallet.balance !== stored.balance) {
          kill.stale.push(`wallet ${u.user.id}: read ${read.data?.wallet.balance}, stored ${stored.balance}`);
        }
      }
      staleAfterRestart.push(...kill.stale.map((s) => `kill ${kills.length + 1}: ${s}`));
      kills.push(kill);
      ctx.gate.open();
    }
  })();
  await Promise.all([...senders, chaos]);
  stormOver = true;
  await Promise.all(readLoops);

  // Every request has an outcome; none may be a refusal (the wallets hold
  // plenty, and a retry of the same request is never IDEMPOTENCY_KEY_REUSED).
  const refused = ops.filter((o) => o.refused);
  assert.deepEqual(refused.map((o) => `${o.key}: ${o.refused.code}`), []);
  for (const op of ops) {
    const tx = op.result.transaction;
    assert.equal(tx.idempotencyKey, op.key);
    assert.equal(tx.kind, op.kind, op.key);
    assert.equal(tx.amount, op.amount, op.key);
  }

  for (const u of users) {
    const mine = ops.filter((o) => o.user === u);
    const { balance, entries } = await ledgerOf(f.port, u.token);
    const keys = entries.map((e) => e.idempotencyKey);
    assert.equal(new Set(keys).size, keys.length, `${u.user.id}: a key appears twice in the ledger`);
    const expectedKeys = [fundKey(u), ...mine.map((o) => o.key)].sort();
    assert.deepEqual([...keys].sort(), expectedKeys, `${u.user.id}: the ledger holds exactly the keys that succeeded`);
    assert.deepEqual(entries.map((e) => e.sequence), entries.map((_, i) => entries.length - i), 'sequence 1..n');
    const byKey = new Map(entries.map((e) => [e.idempotencyKey, e]));
    for (const o of mine) assert.equal(byKey.get(o.key).id, o.result.transaction.id, `${o.key}: the answer names the ledger's entry`);
    const expected = FUNDING.gems + mine.reduce((s, o) => s + (o.kind === 'SPEND' ? -o.amount : o.amount), 0);
    assert.equal(entries[0].balanceAfter, expected, `${u.user.id}: the ledger's balance`);
    assert.equal(balance, expected, `${u.user.id}: wallet { balance } (through the cache)`);
  }

  const final = await expectAuditClean(env, 'at the end');
  assert.equal(final.entries, USERS * (OPS_PER_USER + 1));
  assert.equal(kills.length, KILLS.length);
  const retried = ops.filter((o) => o.retries > 0).length;
  t.diagnostic(`${ops.length} posts on ${USERS} wallets from ${CLIENTS} connections, ${reads} reads; ` +
    `${retried} posts retried (network errors ${ctx.stats.network}, 5xx ${ctx.stats.http5xx}, ` +
    `unreadable ${ctx.stats.noAnswer}, retryable errors ${JSON.stringify(ctx.stats.retryable)}); ` +
    `${ctx.stats.replayed} answers were replays of a post whose first answer was lost`);
  for (const [i, k] of kills.entries()) {
    t.diagnostic(`kill ${i + 1}: at ${k.answeredAtKill} answers; projections behind while down: ` +
      `${k.auditWhileDown.behind}; rolled forward at start-up: ${k.rolled}; audit after restart: ` +
      `${k.auditAfterRestart.entries} entries, behind ${k.auditAfterRestart.behind}; stale reads ${JSON.stringify(k.stale)}`);
  }
  t.diagnostic(`took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  stormRan = true;
});

// A post whose entry and projection are written but whose process dies
// before it invalidates the cached wallet would leave the previous balance
// in Valkey; start-up clears the cached wallets it recovers (every wallet
// written in the last minutes), so reads right after a restart are fresh.
test('reads right after a restart show the stored balance', { skip: toolMissing }, () => {
  assert.ok(stormRan, 'the storm test ran');
  assert.deepEqual(staleAfterRestart, []);
});
