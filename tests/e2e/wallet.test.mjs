// The gem wallet end to end: purchases (dev provider and the signed
// webhook), spends with idempotency keys, admin grants and refunds, the
// ledger as a connection, walletUpdated for the owner only, the bank test
// (1,000 concurrent spends against 100 gems) and `facet audit verify`.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { runFacet, sleep, useFacetCleanup } from './lib/facet.mjs';
import { codeOf, gql, productEnv, signUp, startProduct, WEBHOOK_SECRET } from './lib/product.mjs';
import { useServices } from './lib/services.mjs';

useFacetCleanup();
const services = useServices();

const PAYLOAD = 'transaction { id kind amount balanceAfter reason reference idempotencyKey sequence } wallet { balance } replayed';
const spend = (port, token, amount, key, reason = 'a sticker') =>
  gql(port, `mutation($i: SpendGemsInput!) { spendGems(input: $i) { ${PAYLOAD} } }`,
    { i: { amount, reason, idempotencyKey: key } }, { token });
const purchase = (port, token, key, sku = 'gems_100') =>
  gql(port, `mutation($i: PurchaseGemsInput!) { purchaseGems(input: $i) { ${PAYLOAD} } }`,
    { i: { sku, receipt: `r-${key}`, idempotencyKey: key } }, { token });

function signed(body, { secret = WEBHOOK_SECRET, t = Math.floor(Date.now() / 1000) } = {}) {
  const mac = crypto.createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${mac}`;
}

async function webhook(port, event, opts) {
  const body = JSON.stringify(event);
  const res = await fetch(`http://127.0.0.1:${port}/webhooks/payments`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-facet-signature': signed(body, opts) }, body,
  });
  return { status: res.status, body: await res.json() };
}

test('purchase, spend, idempotency, insufficient funds and the ledger', { timeout: 60000 }, async () => {
  const f = await startProduct(services);
  const u = await signUp(f.port, 'wallet');
  assert.deepEqual((await gql(f.port, '{ wallet { balance } }', {}, { token: u.token })).data, { wallet: { balance: 0 } });
  const packages = await gql(f.port, '{ gemPackages { sku gems priceCents currency } }');
  assert.equal(packages.data.gemPackages[0].sku, 'gems_100');

  const p = await purchase(f.port, u.token, 'buy-1');
  assert.equal(p.data.purchaseGems.transaction.kind, 'PURCHASE');
  assert.equal(p.data.purchaseGems.wallet.balance, 100);
  const s = await spend(f.port, u.token, 30, 'spend-1');
  assert.equal(s.data.spendGems.transaction.balanceAfter, 70);
  assert.equal(s.data.spendGems.replayed, false);
  const again = await spend(f.port, u.token, 30, 'spend-1');
  assert.equal(again.data.spendGems.replayed, true);
  assert.equal(again.data.spendGems.transaction.id, s.data.spendGems.transaction.id);
  assert.equal(again.data.spendGems.wallet.balance, 70, 'no second debit');
  assert.equal(codeOf(await spend(f.port, u.token, 31, 'spend-1')), 'IDEMPOTENCY_KEY_REUSED');
  assert.equal(codeOf(await spend(f.port, u.token, 71, 'spend-2')), 'INSUFFICIENT_FUNDS');
  assert.equal(codeOf(await spend(f.port, u.token, 0, 'spend-3')), 'BAD_USER_INPUT');
  assert.equal(codeOf(await spend(f.port, u.token, 1, '')), 'BAD_USER_INPUT');
  assert.equal(codeOf(await purchase(f.port, u.token, 'buy-2', 'nope')), 'BAD_USER_INPUT');
  assert.equal(codeOf(await spend(f.port, null, 1, 'anon')), 'UNAUTHENTICATED');

  // The second read of the same wallet is a cache hit, and /metrics says so.
  const metric = async (name) => Number((await (await fetch(`http://127.0.0.1:${f.port}/metrics`)).text())
    .match(new RegExp(`^${name} (\\d+)$`, 'm'))[1]);
  await gql(f.port, '{ wallet { balance } }', {}, { token: u.token });
  const hits = await metric('facet_cache_hits_total');
  assert.equal((await gql(f.port, '{ wallet { balance } }', {}, { token: u.token })).data.wallet.balance, 70);
  assert.equal(await metric('facet_cache_hits_total'), hits + 1);
  assert.ok(await metric('facet_cache_misses_total') >= 1);

  const page = await gql(f.port, `{ wallet { balance transactions(first: 1) {
      edges { cursor node { kind amount sequence actor { id } } } pageInfo { hasNextPage endCursor } } } }`, {}, { token: u.token });
  const conn = page.data.wallet.transactions;
  assert.equal(conn.edges[0].node.kind, 'SPEND');
  assert.equal(conn.edges[0].node.actor.id, u.user.id);
  assert.equal(conn.pageInfo.hasNextPage, true);
  const next = await gql(f.port, `query($a: String) { wallet { transactions(first: 10, after: $a) {
      edges { node { kind sequence } } pageInfo { hasNextPage } } } }`, { a: conn.pageInfo.endCursor }, { token: u.token });
  assert.deepEqual(next.data.wallet.transactions.edges.map((e) => e.node.kind), ['PURCHASE']);
  assert.equal(next.data.wallet.transactions.pageInfo.hasNextPage, false);
});

test('purchases need the webhook unless the provider is dev; the webhook credits once', { timeout: 60000 }, async () => {
  const env = productEnv(services, { FACET_PAYMENTS_PROVIDER: 'webhook' });
  const f = await startProduct(services, { env });
  const u = await signUp(f.port, 'buyer');
  assert.equal(codeOf(await purchase(f.port, u.token, 'direct')), 'FORBIDDEN');
  const event = { id: `evt_${crypto.randomUUID()}`, type: 'purchase.completed', userId: u.user.id, sku: 'gems_550', receipt: 'rcpt-1' };
  const first = await webhook(f.port, event);
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.equal(first.body.replayed, false);
  const retry = await webhook(f.port, event);
  assert.equal(retry.status, 200);
  assert.equal(retry.body.replayed, true);
  assert.equal(retry.body.transactionId, first.body.transactionId);
  assert.deepEqual((await gql(f.port, '{ wallet { balance } }', {}, { token: u.token })).data.wallet, { balance: 550 });
  assert.equal((await webhook(f.port, event, { secret: 'wrong' })).status, 401);
  assert.equal((await webhook(f.port, event, { t: Math.floor(Date.now() / 1000) - 3600 })).status, 401);
  assert.equal((await webhook(f.port, { ...event, id: 'evt_x', sku: 'nope' })).status, 400);
  assert.equal((await webhook(f.port, { ...event, id: 'evt_y', userId: '000000000000000000000000' })).status, 422);
  assert.equal((await webhook(f.port, { ...event, type: 'purchase.refunded' })).body.ignored, true);
});

test('admins grant and refund; walletUpdated reaches only the owner', { timeout: 60000 }, async (t) => {
  const f = await startProduct(services);
  const admin = await signUp(f.port, 'admin');
  const u = await signUp(f.port, 'member');
  const other = await signUp(f.port, 'other');
  const role = await runFacet(['users', 'set-role', admin.email, 'ADMIN'], { env: f.env });
  assert.equal(role.code, 0, role.stderr);
  const signIn = await gql(f.port, `mutation($i: SignInInput!) { signIn(input: $i) { accessToken user { role } } }`,
    { i: { email: admin.email, password: admin.password } });
  assert.equal(signIn.data.signIn.user.role, 'ADMIN');
  const adminToken = signIn.data.signIn.accessToken;

  const events = { owner: [], other: [] };
  for (const [who, token] of [['owner', u.token], ['other', other.token]]) {
    const c = createClient({ url: `ws://127.0.0.1:${f.port}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${token}` } });
    t.after(() => c.dispose());
    c.subscribe({ query: 'subscription { walletUpdated { id balance } }' }, {
      next: (v) => events[who].push(v.data.walletUpdated.balance), error: () => {}, complete: () => {} });
  }
  await sleep(500);
  const adjust = (name, token, i) => gql(f.port, `mutation($i: AdjustGemsInput!) { ${name}(input: $i) { ${PAYLOAD} } }`, { i }, { token });
  const grant = await adjust('grantGems', adminToken, { userId: u.user.id, amount: 40, reason: 'welcome', idempotencyKey: 'g1' });
  assert.equal(grant.data.grantGems.wallet.balance, 40, JSON.stringify(grant));
  const refund = await adjust('refundGems', adminToken, { userId: u.user.id, amount: 5, reason: 'sorry', idempotencyKey: 'r1' });
  assert.equal(refund.data.refundGems.wallet.balance, 45);
  assert.equal(codeOf(await adjust('grantGems', u.token, { userId: u.user.id, amount: 1, reason: 'me', idempotencyKey: 'x' })), 'FORBIDDEN');
  assert.equal(codeOf(await adjust('grantGems', adminToken, { userId: u.user.id, amount: 1, reason: '', idempotencyKey: 'y' })), 'BAD_USER_INPUT');
  assert.equal(codeOf(await adjust('grantGems', adminToken, { userId: '000000000000000000000000', amount: 1, reason: 'x', idempotencyKey: 'z' })), 'BAD_USER_INPUT');
  for (let i = 0; i < 50 && events.owner.length < 2; i++) await sleep(100);
  assert.deepEqual(events.owner, [40, 45]);
  assert.deepEqual(events.other, []);
  const viaAdmin = await gql(f.port, `query($id: ID!) { user(id: $id) { email wallet { balance } } }`, { id: u.user.id }, { token: adminToken });
  assert.deepEqual(viaAdmin.data.user, { email: u.email, wallet: { balance: 45 } });
});

test('the bank test: 1,000 concurrent spends of 1 gem against 100', { timeout: 240000 }, async () => {
  const f = await startProduct(services, { env: { FACET_LOG_LEVEL: 'debug' } });
  const u = await signUp(f.port, 'bank');
  await purchase(f.port, u.token, 'fund');
  // 1,000 requests over many connections; every tenth repeats a key.
  const keys = Array.from({ length: 1000 }, (_, i) => (i % 10 === 9 ? `k${i - 1}` : `k${i}`));
  const results = await Promise.all(keys.map((k) => spend(f.port, u.token, 1, k)));
  const ok = results.filter((r) => r.data?.spendGems);
  const ids = new Set(ok.map((r) => r.data.spendGems.transaction.id));
  assert.equal(ids.size, 100, 'exactly 100 distinct debits');
  for (const r of results.filter((x) => !x.data?.spendGems)) assert.equal(codeOf(r), 'INSUFFICIENT_FUNDS', JSON.stringify(r));
  const w = await gql(f.port, '{ wallet { balance transactions(first: 100) { edges { node { kind } } pageInfo { hasNextPage } } } }', {}, { token: u.token });
  assert.equal(w.data.wallet.balance, 0);
  const kinds = w.data.wallet.transactions.edges.map((e) => e.node.kind);
  assert.equal(kinds.filter((k) => k === 'SPEND').length, 100);
  assert.equal(w.data.wallet.transactions.pageInfo.hasNextPage, true, 'and the purchase below them');
  // 50 transactions that each name a user: one batched query for all.
  const since = f.logs.length;
  const actors = await gql(f.port, '{ wallet { transactions(first: 50) { edges { node { actor { id } } } } } }', {}, { token: u.token });
  assert.equal(actors.data.wallet.transactions.edges.length, 50);
  assert.ok(actors.data.wallet.transactions.edges.every((e) => e.node.actor.id === u.user.id));
  const batches = f.logs.slice(since).filter((l) => l.msg === 'user batch');
  assert.deepEqual(batches.map((l) => l.count), [50]);
  const audit = await runFacet(['audit', 'verify'], { env: f.env, timeoutMs: 60000 });
  assert.equal(audit.code, 0, audit.stdout + audit.stderr);
});
