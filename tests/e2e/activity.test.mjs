// The activity log end to end: mutations over HTTP and WebSocket recorded
// through the queue (bull:<prefix>:facet-activity) by Facet's own worker into
// MongoDB, read back with myActivity (redacted, newest first, paginated, the
// viewer's own only), dropped without delaying the answer when Valkey is
// away, the maintenance job's retention, and `facet work` processing what a
// `facet serve` with FACET_WORKERS=0 produced. Each test has a queue prefix
// of its own, so no other instance's workers take its jobs.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { test } from 'node:test';
import { Queue } from 'bullmq';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { FACET_BIN, sanitizerReport, scratchDir, sleep, useFacetCleanup } from './lib/facet.mjs';
import { codeOf, gql, productEnv, signUp, startProduct, withDatabase } from './lib/product.mjs';
import { connectionOf } from './lib/queue.mjs';
import { useServices } from './lib/services.mjs';

useFacetCleanup();
const services = useServices();

const TOOL = path.resolve(process.env.FACET_ACTIVITY_TOOL || path.join(path.dirname(FACET_BIN), 'tests', 'activity_tool'));
const NODE = 'id operation args outcome code address userAgent requestId createdAt';
const DAY = 86400 * 1000;

const prefix = () => `act${crypto.randomBytes(4).toString('hex')}`;
const dbName = () => `e2e_act_${crypto.randomBytes(6).toString('hex')}`;

function tool(db, args) {
  return new Promise((resolve, reject) => {
    execFile(TOOL, args, { env: { PATH: process.env.PATH, ASAN_OPTIONS: process.env.ASAN_OPTIONS ?? '', MONGODB_URI: withDatabase(services.mongoUri, db) } },
      (err, stdout, stderr) => {
        const report = sanitizerReport(stderr);
        if (report || err) reject(new Error(`activity_tool ${args.join(' ')}: ${report ?? err.message}\n${stderr}`));
        else resolve(JSON.parse(stdout));
      });
  });
}

async function until(what, fn, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await fn();
    if (last) return last;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const myActivity = (port, token, first = 20, after = null) =>
  gql(port, `query($f: Int, $a: String) { myActivity(first: $f, after: $a) {
      edges { cursor node { ${NODE} } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`,
  { f: first, a: after }, { token });

/** Waits until the user's log holds n activities; resolves their nodes. */
async function activities(port, token, n) {
  return until(`${n} activities`, async () => {
    const res = await myActivity(port, token, 100);
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    const nodes = res.data.myActivity.edges.map((e) => e.node);
    return nodes.length >= n ? nodes : null;
  });
}

test('mutations are recorded with secrets redacted, newest first, and paginated', { timeout: 60000 }, async (t) => {
  const f = await startProduct(services, { env: { FACET_QUEUE_PREFIX: prefix() } });
  const u = await signUp(f.port, 'act');
  const headers = { 'user-agent': 'activity-e2e/1.0', 'x-request-id': 'act-req-1' };
  const buy = await gql(f.port, `mutation Buy($i: PurchaseGemsInput!) { purchaseGems(input: $i) { wallet { balance } } }`,
    { i: { sku: 'gems_100', receipt: 'receipt-s3cr3t', idempotencyKey: 'b1' } }, { token: u.token, headers });
  assert.equal(buy.data.purchaseGems.wallet.balance, 100);
  const spend = await gql(f.port, `mutation { spendGems(input: {amount: 30, reason: "a hat", idempotencyKey: "s1"}) { wallet { balance } } }`,
    {}, { token: u.token });
  assert.equal(spend.data.spendGems.wallet.balance, 70);
  const tooMuch = await gql(f.port, `mutation($i: SpendGemsInput!) { spendGems(input: $i) { wallet { balance } } }`,
    { i: { amount: 1000, reason: 'a castle', idempotencyKey: 's2' } }, { token: u.token });
  assert.equal(codeOf(tooMuch), 'INSUFFICIENT_FUNDS');
  // Anonymous: the user comes from the token the mutation issued.
  const refreshed = await gql(f.port, `mutation($r: String!) { refreshSession(refreshToken: $r) { accessToken refreshToken } }`,
    { r: u.refreshToken });
  assert.ok(refreshed.data.refreshSession.accessToken);
  // Over WebSocket.
  const ws = createClient({ url: `ws://127.0.0.1:${f.port}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${u.token}` } });
  t.after(() => ws.dispose());
  const viaWs = await new Promise((resolve, reject) => {
    let result;
    ws.subscribe({ query: 'mutation($s: JSON!) { updateSettings(settings: $s) }', variables: { s: { theme: 'dark', apiToken: 'tok-s3cr3t' } } },
      { next: (v) => (result = v), error: reject, complete: () => resolve(result) });
  });
  assert.deepEqual(viaWs.data.updateSettings, { theme: 'dark', apiToken: 'tok-s3cr3t' });

  const nodes = await activities(f.port, u.token, 6);
  assert.deepEqual(nodes.map((n) => [n.operation, n.outcome, n.code]), [
    ['updateSettings', 'OK', null],
    ['refreshSession', 'OK', null],
    ['spendGems', 'ERROR', 'INSUFFICIENT_FUNDS'],
    ['spendGems', 'OK', null],
    ['Buy: purchaseGems', 'OK', null],
    ['signUp', 'OK', null],
  ]);
  const text = JSON.stringify(nodes);
  for (const secret of [u.password, 'receipt-s3cr3t', u.refreshToken, 'tok-s3cr3t']) assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
  assert.deepEqual(nodes[5].args, { signUp: { input: { email: u.email, username: u.user.username, password: '[redacted]' } } });
  assert.deepEqual(nodes[4].args, { purchaseGems: { input: { sku: 'gems_100', receipt: '[redacted]', idempotencyKey: 'b1' } } });
  assert.deepEqual(nodes[3].args, { spendGems: { input: { amount: 30, reason: 'a hat', idempotencyKey: 's1' } } });
  assert.deepEqual(nodes[1].args, { refreshSession: { refreshToken: '[redacted]' } });
  assert.deepEqual(nodes[0].args, { updateSettings: { settings: { theme: 'dark', apiToken: '[redacted]' } } });
  assert.equal(nodes[4].userAgent, 'activity-e2e/1.0');
  assert.equal(nodes[4].requestId, 'act-req-1');
  assert.equal(nodes[4].address, '127.0.0.1');
  for (const n of nodes) assert.match(n.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  const times = nodes.map((n) => Date.parse(n.createdAt));
  assert.deepEqual([...times].sort((a, b) => b - a), times, 'newest first');

  // Pages of two walk the same list, then stop.
  const walked = [];
  let after = null;
  for (let page = 0; page < 4; page++) {
    const res = await myActivity(f.port, u.token, 2, after);
    const c = res.data.myActivity;
    walked.push(...c.edges.map((e) => e.node.id));
    assert.equal(c.pageInfo.hasPreviousPage, after !== null);
    assert.equal(c.pageInfo.hasNextPage, page < 2);
    if (c.edges.length) assert.equal(c.pageInfo.endCursor, c.edges.at(-1).cursor);
    after = c.pageInfo.endCursor;
    if (!c.pageInfo.hasNextPage) break;
  }
  assert.deepEqual(walked, nodes.map((n) => n.id));
  await f.stop();
});

test('only the signed-in user sees their activities', { timeout: 60000 }, async () => {
  const f = await startProduct(services, { env: { FACET_QUEUE_PREFIX: prefix() } });
  const a = await signUp(f.port, 'acta');
  const b = await signUp(f.port, 'actb');
  await gql(f.port, 'mutation { spendGems(input: {amount: 1, reason: "x", idempotencyKey: "k"}) { replayed } }', {}, { token: a.token });
  const mine = await activities(f.port, a.token, 2);
  const theirs = await activities(f.port, b.token, 1);
  assert.deepEqual(theirs.map((n) => n.operation), ['signUp']);
  assert.ok(!theirs.some((n) => mine.some((m) => m.id === n.id)));
  assert.equal(codeOf(await myActivity(f.port, null)), 'UNAUTHENTICATED');
  assert.equal(codeOf(await myActivity(f.port, a.token, 101)), 'BAD_USER_INPUT');
  assert.equal(codeOf(await myActivity(f.port, a.token, 5, 'not-a-cursor')), 'BAD_USER_INPUT');
  assert.equal(codeOf(await myActivity(f.port, a.token, 5, 'g'.repeat(40))), 'BAD_USER_INPUT');
  assert.deepEqual((await myActivity(f.port, a.token, 0)).data.myActivity.edges, []);
  // Anonymous mutations that produce no user are recorded without one: nobody sees them.
  const failed = await gql(f.port, 'mutation { signIn(input: {email: "nobody@example.com", password: "wrong-password"}) { accessToken } }');
  assert.ok(failed.errors);
  await sleep(300);
  assert.equal((await activities(f.port, b.token, 1)).length, 1);
  await f.stop();
});

test('a mutation the WebSocket client completes early is still recorded', { timeout: 60000 }, async () => {
  const f = await startProduct(services, { env: { FACET_QUEUE_PREFIX: prefix() } });
  const u = await signUp(f.port, 'actc');
  const ws = new WebSocket(`ws://127.0.0.1:${f.port}/graphql`, 'graphql-transport-ws');
  const messages = [];
  ws.on('message', (m) => messages.push(JSON.parse(m)));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${u.token}` } }));
  await until('the ack', () => messages.some((m) => m.type === 'connection_ack'));
  ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'mutation { spendGems(input: {amount: 5, reason: "early", idempotencyKey: "e1"}) { replayed } }' } }));
  ws.send(JSON.stringify({ id: '1', type: 'complete' }));
  const nodes = await activities(f.port, u.token, 2);
  assert.equal(nodes[0].operation, 'spendGems');
  assert.equal(nodes[0].code, 'INSUFFICIENT_FUNDS');
  assert.ok(!messages.some((m) => m.type === 'next'), 'nothing is sent for a completed operation');
  ws.close();
  await f.stop();
});

test('activities reach MongoDB through the queue, once, even when a job is delivered again', { timeout: 60000 }, async (t) => {
  const p = prefix();
  const db = dbName();
  const f = await startProduct(services, { env: { db, FACET_QUEUE_PREFIX: p, FACET_THREADS: '2', FACET_WORKERS: '2' } });
  const q = new Queue('facet-activity', { connection: connectionOf(services.valkeyUrl), prefix: p });
  t.after(() => q.close());
  const u = await signUp(f.port, 'actq');
  await Promise.all(Array.from({ length: 20 }, (_, i) =>
    gql(f.port, `mutation { spendGems(input: {amount: 1, reason: "r${i}", idempotencyKey: "k${i}"}) { replayed } }`, {}, { token: u.token })));
  await activities(f.port, u.token, 21);
  assert.deepEqual(await tool(db, ['count', u.user.id]), { count: 21 });

  const jobs = await until('completed jobs', async () => {
    const done = await q.getJobs(['completed']);
    const n = done.reduce((sum, j) => sum + j.data.activities.length, 0);
    return n >= 21 ? done : null;
  });
  assert.equal((await q.getJobCounts()).failed, 0);
  for (const j of jobs) {
    assert.equal(j.name, 'activity');
    assert.deepEqual(j.returnvalue, { activities: j.data.activities.length, inserted: j.data.activities.length });
    for (const a of j.data.activities) assert.match(a.id, /^[0-9a-f]{24}$/);
  }
  // The same activities delivered again (at-least-once): nothing new lands.
  const again = await q.add('activity', jobs[0].data);
  const result = await until('the redelivered job', async () => {
    const j = await q.getJob(again.id);
    return j && j.finishedOn ? j : null;
  });
  assert.deepEqual(result.returnvalue, { activities: jobs[0].data.activities.length, inserted: 0 });
  assert.deepEqual(await tool(db, ['count', u.user.id]), { count: 21 });
  // A job that does not describe activities fails without a retry.
  const bad = await q.add('activity', { activities: [{ id: 'nope' }] }, { attempts: 3 });
  const failed = await until('the bad job', async () => {
    const j = await q.getJob(bad.id);
    return j && j.finishedOn ? j : null;
  });
  assert.match(failed.failedReason, /activity 0: id must be an ObjectId/);
  assert.equal(failed.attemptsMade, 1);
  await f.stop();
});

test('when Valkey is away the mutation is answered at once and the activity dropped', { timeout: 60000 }, async () => {
  const f = await startProduct(services, { env: { VALKEY_URL: 'redis://127.0.0.1:1', FACET_WORKERS: '0', FACET_DEPENDENCY_TIMEOUT: '300ms' } });
  const started = Date.now();
  const u = await signUp(f.port, 'actdown');
  assert.ok(u.token);
  assert.ok(Date.now() - started < 3000);
  const line = await f.waitForLog({ msg: 'activities dropped' }, { timeoutMs: 5000 });
  assert.equal(line.reason, 'Valkey is unavailable');
  assert.ok(line.dropped_total >= 1);
  await f.stop();
});

test('the maintenance job deletes old activities and expired sessions, at start and on its schedule', { timeout: 60000 }, async () => {
  const db = dbName();
  const user = crypto.randomBytes(12).toString('hex');
  await tool(db, ['insert', user, '8', '5']);
  await tool(db, ['insert', user, '4', '3']);
  await tool(db, ['insert', '-', '10', '2']);
  await tool(db, ['expired-session', user]);
  assert.deepEqual(await tool(db, ['count']), { count: 10 });
  assert.deepEqual(await tool(db, ['sessions', user]), { count: 1 });

  // At start, with the default retention of 7 days.
  const f = await startProduct(services, { env: { db, FACET_QUEUE_PREFIX: prefix() } });
  const run = await f.waitForLog({ msg: 'maintenance' }, { timeoutMs: 10000 });
  assert.equal(run.activities_deleted, 7);
  assert.equal(run.sessions_deleted, 1);
  assert.deepEqual(await tool(db, ['count']), { count: 3 });
  assert.deepEqual(await tool(db, ['sessions', user]), { count: 0 });
  assert.ok(Math.abs(run.activities_before - (Date.now() - 7 * DAY)) < 60000);
  assert.equal(f.logsWhere({ msg: 'maintenance' }).length, 1, 'one run at start');
  await f.stop();

  // On its schedule, with a shorter retention.
  const g = await startProduct(services, { env: { db, FACET_QUEUE_PREFIX: prefix(), FACET_MAINTENANCE_EVERY: '1s', FACET_ACTIVITY_RETENTION_DAYS: '3' } });
  await g.waitForLog({ msg: 'maintenance' }, { timeoutMs: 10000 });
  assert.deepEqual(await tool(db, ['count']), { count: 0 });
  await tool(db, ['insert', user, '5', '2']);
  await tool(db, ['insert', user, '1', '1']);
  await until('the scheduled run', async () => (await tool(db, ['count'])).count === 1);
  assert.ok(g.logsWhere({ msg: 'maintenance' }).length >= 2);
  await g.stop();
});

/** `facet work` with env; resolves once it logged "workers ready". */
async function startWork(env) {
  const proc = spawn(FACET_BIN, ['work'], {
    env: { PATH: process.env.PATH, ASAN_OPTIONS: process.env.ASAN_OPTIONS ?? '', ...env },
    cwd: scratchDir(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const w = { proc, stdout: '', stderr: '' };
  proc.stdout.setEncoding('utf8').on('data', (d) => (w.stdout += d));
  proc.stderr.setEncoding('utf8').on('data', (d) => (w.stderr += d));
  w.exited = new Promise((resolve) => proc.once('close', (code, signal) => resolve({ code, signal })));
  await until('workers ready', () => /"msg":"workers ready"/.test(w.stdout));
  return w;
}

test('facet work processes what a facet serve without workers produced', { timeout: 60000 }, async (t) => {
  const p = prefix();
  const env = productEnv(services, { db: dbName(), FACET_QUEUE_PREFIX: p });
  const f = await startProduct(services, { env: { ...env, FACET_WORKERS: '0' } });
  const q = new Queue('facet-activity', { connection: connectionOf(services.valkeyUrl), prefix: p });
  t.after(() => q.close());
  const u = await signUp(f.port, 'actw');
  await until('the job waiting', async () => (await q.getJobCounts('wait')).wait >= 1);
  await sleep(500);
  assert.deepEqual((await myActivity(f.port, u.token)).data.myActivity.edges, [], 'no worker ran it');
  assert.equal(f.logsWhere({ msg: 'maintenance' }).length, 0);

  const w = await startWork({ ...env, FACET_THREADS: '2' });
  t.after(() => w.proc.kill('SIGKILL'));
  const nodes = await activities(f.port, u.token, 1);
  assert.equal(nodes[0].operation, 'signUp');
  await until('the maintenance run of facet work', () => /"msg":"maintenance"/.test(w.stdout));
  w.proc.kill('SIGTERM');
  assert.deepEqual(await w.exited, { code: 0, signal: null }, w.stderr);
  assert.match(w.stdout, /"msg":"stopped"/);
  assert.equal(sanitizerReport(w.stderr), null);
  await f.stop();
});
