// The GraphQL transport against the product: `facet serve` with schema/ (not
// the fixture build), through the same checks as graphql-http, graphql-ws
// and graphql-balancer (lib/transport.mjs): the graphql-http audit, GET and
// 405, Apollo's CSRF rule, persisted queries across instances, the error
// codes, every graphql-transport-ws close code, operations over the socket,
// walletUpdated for a signed-in user, and two instances behind nginx.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { describe, test } from 'node:test';
import { startBalancer } from './lib/balancer.mjs';
import { sleep, useFacetCleanup } from './lib/facet.mjs';
import { codeOf, productEnv, signUp, startProduct } from './lib/product.mjs';
import { useServices } from './lib/services.mjs';
import {
  assertAuditOk,
  assertBalanced,
  assertCsrfRule,
  assertMessageTooBig,
  assertPersistedQueries,
  assertPingPong,
  assertProtocolCloses,
  events,
  once,
  post,
  wsClient,
} from './lib/transport.mjs';

useFacetCleanup();
const services = useServices();

const PACKAGES = '{ gemPackages { sku } }';
const WALLET_UPDATED = 'subscription { walletUpdated { balance } }';
const PURCHASE = 'mutation($i: PurchaseGemsInput!) { purchaseGems(input: $i) { wallet { balance } } }';
const SPEND = 'mutation($i: SpendGemsInput!) { spendGems(input: $i) { wallet { balance } } }';
const purchaseVars = (key) => ({ i: { sku: 'gems_100', receipt: `r-${key}`, idempotencyKey: key } });
const spendVars = (amount, key) => ({ i: { amount, reason: 'e2e', idempotencyKey: key } });
const bearer = (token) => ({ authorization: `Bearer ${token}` });
const initWith = (token) => ({ type: 'connection_init', payload: bearer(token) });

/** The product's gem packages as { data } (what PACKAGES answers). */
async function packages(port) {
  const r = await post(port, { query: PACKAGES });
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.data.gemPackages.length > 0);
  return r.json;
}

describe('GraphQL over HTTP, product schema', () => {
  test('graphql-http audit: every audit ok', { timeout: 60000 }, async () => {
    const f = await startProduct(services);
    await assertAuditOk(f.port);
  });

  test('GET runs queries; a mutation over GET is 405 with Allow: POST', { timeout: 30000 }, async () => {
    const f = await startProduct(services);
    const expected = await packages(f.port);
    const get = (q, accept = 'application/json') =>
      fetch(`http://127.0.0.1:${f.port}/graphql?query=${encodeURIComponent(q)}`, { headers: { accept } });
    const g = await get(PACKAGES);
    assert.equal(g.status, 200);
    assert.deepEqual(await g.json(), expected);
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      const m = await get('mutation { signOut(refreshToken: "x") }', accept);
      assert.equal(m.status, 405, accept);
      assert.match(m.headers.get('allow'), /POST/);
      assert.ok((await m.json()).errors, accept);
    }
  });

  test("Apollo's CSRF rule refuses simple POSTs without a preflight header", { timeout: 30000 }, async () => {
    const f = await startProduct(services);
    await assertCsrfRule(f.port, PACKAGES);
  });

  test('error codes: parse, validation, bad variables, unauthenticated, forbidden', { timeout: 30000 }, async () => {
    const f = await startProduct(services);
    const strict = { accept: 'application/graphql-response+json' };
    const parse = await post(f.port, { query: '{' });
    assert.equal(parse.json.errors[0].extensions.code, 'GRAPHQL_PARSE_FAILED');
    assert.equal((await post(f.port, { query: '{' }, strict)).status, 400);
    const invalid = await post(f.port, { query: '{ gemPackages { nope } }' });
    assert.equal(invalid.json.errors[0].extensions.code, 'GRAPHQL_VALIDATION_FAILED');
    assert.match(invalid.json.errors[0].message, /Cannot query field "nope" on type "GemPackage"/);
    assert.equal((await post(f.port, { query: '{ gemPackages { nope } }' }, strict)).status, 400);

    const userQuery = 'query($id: ID!) { user(id: $id) { id username email } }';
    for (const variables of [{ id: { not: 'an id' } }, {}]) {
      const vars = await post(f.port, { query: userQuery, variables });
      assert.equal(vars.json.errors[0].extensions.code, 'BAD_USER_INPUT', JSON.stringify(variables));
      assert.equal(vars.json.data, undefined);
      assert.equal((await post(f.port, { query: userQuery, variables }, strict)).status, 400);
    }
    const input = await post(f.port, { query: SPEND, variables: { i: { amount: 'many', reason: 'x', idempotencyKey: 'k' } } });
    assert.equal(codeOf(input.json), 'BAD_USER_INPUT');

    const anon = await post(f.port, { query: '{ wallet { balance } }' });
    assert.equal(anon.status, 200);
    assert.equal(codeOf(anon.json), 'UNAUTHENTICATED');
    const a = await signUp(f.port, 'owner');
    const b = await signUp(f.port, 'stranger');
    const other = await post(f.port, { query: userQuery, variables: { id: a.user.id } }, bearer(b.token));
    assert.equal(other.json.data.user.username, a.user.username);
    assert.equal(other.json.data.user.email, null);
    assert.equal(codeOf(other.json), 'FORBIDDEN');
    assert.deepEqual(other.json.errors[0].path, ['user', 'email']);
  });

  test('automatic persisted queries: not found, registered, then found on another instance', { timeout: 30000 }, async () => {
    const env = productEnv(services);
    const a = await startProduct(services, { env });
    const b = await startProduct(services, { env });
    const query = `${PACKAGES} # ${crypto.randomUUID()}`;
    const expected = await packages(a.port);
    await assertPersistedQueries(a.port, b.port, query, expected);
    // And by GET, as Apollo Client sends persisted queries.
    const ext = encodeURIComponent(JSON.stringify({ persistedQuery: { version: 1, sha256Hash: crypto.createHash('sha256').update(query).digest('hex') } }));
    const g = await fetch(`http://127.0.0.1:${b.port}/graphql?extensions=${ext}`);
    assert.equal(g.status, 200);
    assert.deepEqual(await g.json(), expected);
  });
});

describe('GraphQL over WebSocket, product schema', () => {
  test('protocol errors close with their codes; an oversized message is 1009', { timeout: 30000 }, async () => {
    const f = await startProduct(services, { env: { FACET_WS_INIT_TIMEOUT: '300ms', FACET_WS_MAX_MESSAGE: '4KiB' } });
    const u = await signUp(f.port, 'closer');
    // Signed in, walletUpdated stays open: the second subscribe of id 1 is a duplicate.
    await assertProtocolCloses(f.port, { subscription: WALLET_UPDATED, init: initWith(u.token) });
    await assertMessageTooBig(f.port, 4096, initWith(u.token));
  });

  test('ping is answered with pong; a query is next then complete', { timeout: 30000 }, async () => {
    const f = await startProduct(services);
    await assertPingPong(f.port, { query: PACKAGES, expected: await packages(f.port) });
  });

  test('queries and mutations over the socket, as the signed-in user', { timeout: 30000 }, async (t) => {
    const f = await startProduct(services);
    const u = await signUp(f.port, 'socket');
    const c = wsClient(f.port, { connectionParams: bearer(u.token) });
    t.after(() => c.dispose());
    assert.deepEqual(await once(c, { query: '{ me { id username } }' }), { data: { me: { id: u.user.id, username: u.user.username } } });
    const bought = await once(c, { query: PURCHASE, variables: purchaseVars('ws-buy') });
    assert.deepEqual(bought, { data: { purchaseGems: { wallet: { balance: 100 } } } });
    const spent = await once(c, { query: SPEND, variables: spendVars(40, 'ws-spend') });
    assert.deepEqual(spent, { data: { spendGems: { wallet: { balance: 60 } } } });
    const bad = await once(c, { query: '{ gemPackages { nope } }' }).catch((e) => e);
    assert.match(JSON.stringify(bad), /Cannot query field/);
    const anon = wsClient(f.port);
    t.after(() => anon.dispose());
    const denied = await once(anon, { query: '{ wallet { balance } }' });
    assert.equal(codeOf(denied), 'UNAUTHENTICATED');
  });

  test('walletUpdated reaches the signed-in subscriber after purchaseGems and spendGems', { timeout: 30000 }, async (t) => {
    const f = await startProduct(services);
    const u = await signUp(f.port, 'listener');
    const c = wsClient(f.port, { connectionParams: bearer(u.token) });
    t.after(() => c.dispose());
    const sub = events(c, { query: WALLET_UPDATED });
    t.after(() => sub.dispose());
    await sleep(300); // the SUBSCRIBE reaches Valkey
    // One change over HTTP, one over the subscriber's own socket.
    const bought = await post(f.port, { query: PURCHASE, variables: purchaseVars('buy') }, bearer(u.token));
    assert.equal(bought.json.data.purchaseGems.wallet.balance, 100, bought.text);
    assert.deepEqual(await sub.next(), { data: { walletUpdated: { balance: 100 } } });
    await once(c, { query: SPEND, variables: spendVars(25, 'spend') });
    assert.deepEqual(await sub.next(), { data: { walletUpdated: { balance: 75 } } });
  });
});

test('two product instances behind nginx share walletUpdated and persisted queries', { timeout: 60000 }, async (t) => {
  const env = productEnv(services);
  const a = await startProduct(services, { env });
  const b = await startProduct(services, { env });
  const lb = await startBalancer([a.port, b.port]);
  t.after(() => lb.stop());
  const u = await signUp(lb.port, 'balanced');
  await assertBalanced(t, a, b, lb, {
    subscription: { query: WALLET_UPDATED, connectionParams: bearer(u.token) },
    publish: async () => {
      const r = await post(lb.port, { query: PURCHASE, variables: purchaseVars('via-lb') }, bearer(u.token));
      assert.equal(r.json.data?.purchaseGems?.wallet.balance, 100, r.text);
    },
    event: (v) => v.data.walletUpdated.balance,
    expected: 100,
    persisted: { query: `${PACKAGES} # ${crypto.randomUUID()}`, expected: await packages(a.port) },
  });
});
