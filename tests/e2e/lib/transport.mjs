// Checks of the GraphQL transport that hold whatever schema is served, so
// that the same assertions run against the fixture build and against the
// product (`facet serve` with schema/): the graphql-http audit, Apollo's
// CSRF rule, persisted queries across instances, every close code of
// graphql-transport-ws, and two instances behind a balancer. Each check
// takes ports and the operations of the schema at hand.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { auditServer } from 'graphql-http';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { sleep } from './facet.mjs';

export const WS_PROTOCOL = 'graphql-transport-ws';
export const wsUrl = (port) => `ws://127.0.0.1:${port}/graphql`;
export const sha256 = (text) => crypto.createHash('sha256').update(text).digest('hex');

/** POSTs `body` (an object, or a string sent as is) to /graphql: { status, headers, json, text }. */
export async function post(port, body, headers = {}) {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

/** A lazy graphql-ws client that never retries. */
export function wsClient(port, options = {}) {
  return createClient({ url: wsUrl(port), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true, ...options });
}

/** Runs one operation on a graphql-ws client; resolves its last result. */
export function once(c, payload) {
  return new Promise((resolve, reject) => {
    let result;
    c.subscribe(payload, { next: (v) => (result = v), error: reject, complete: () => resolve(result) });
  });
}

/** Subscribes; returns { next(ms), dispose }, next resolving the following event. */
export function events(c, payload) {
  const queue = [];
  const waiters = [];
  const dispose = c.subscribe(payload, {
    next: (v) => (waiters.length ? waiters.shift()(v) : queue.push(v)),
    error: (e) => waiters.splice(0).forEach((w) => w({ error: e })),
    complete: () => {},
  });
  const next = (ms = 5000) =>
    queue.length
      ? Promise.resolve(queue.shift())
      : new Promise((resolve, reject) => {
          const t = setTimeout(() => reject(new Error('no event in time')), ms);
          waiters.push((v) => {
            clearTimeout(t);
            resolve(v);
          });
        });
  return { next, dispose };
}

/**
 * A raw socket that sends `messages` (objects as JSON, strings as they are)
 * once open; resolves { code, reason, received } when the server closes.
 */
export function rawSession(port, messages, { protocol = WS_PROTOCOL, delay = 0 } = {}) {
  return new Promise((resolve, reject) => {
    const ws = protocol ? new WebSocket(wsUrl(port), protocol) : new WebSocket(wsUrl(port));
    const received = [];
    ws.on('open', async () => {
      for (const m of messages) {
        ws.send(typeof m === 'string' ? m : JSON.stringify(m));
        if (delay) await sleep(delay);
      }
    });
    ws.on('message', (d) => received.push(JSON.parse(d.toString())));
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString(), received }));
    ws.on('error', reject);
  });
}

/** graphql-http's audit suite: all 61 audits ok (no error, warning or notice). */
export async function assertAuditOk(port) {
  const results = await auditServer({ url: `http://127.0.0.1:${port}/graphql` });
  const bad = results.filter((r) => r.status !== 'ok');
  assert.equal(results.length, 61);
  assert.deepEqual(
    bad.map((r) => `${r.id} ${r.name}: ${r.status} ${r.reason ?? ''}`),
    [],
  );
}

/** Apollo's CSRF rule: simple POSTs need a preflight header; `query` is any query of the schema. */
export async function assertCsrfRule(port, query) {
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']) {
    const r = await post(port, { query }, { 'content-type': type });
    assert.equal(r.status, 400, type);
    assert.match(r.json.errors[0].message, /Cross-Site Request Forgery/);
  }
  for (const header of ['apollo-require-preflight', 'x-apollo-operation-name']) {
    const ok = await post(port, { query }, { 'content-type': 'text/plain', [header]: 'true' });
    assert.equal(ok.status, 415, header); // past CSRF, then only JSON is accepted
  }
}

/**
 * Automatic persisted queries: unknown hash, hash mismatch, registration
 * through `a`, then found through `b` (another instance, or a balancer in
 * front of several). `query` must be new to Valkey (append a random
 * comment); `expected` is its whole response.
 */
export async function assertPersistedQueries(a, b, query, expected, { tries = 20 } = {}) {
  const ext = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };
  const miss = await post(a, { extensions: ext });
  assert.equal(miss.json.errors[0].extensions.code, 'PERSISTED_QUERY_NOT_FOUND');
  assert.equal(miss.json.errors[0].message, 'PersistedQueryNotFound');
  const wrong = await post(a, { query: `${query} `, extensions: ext });
  assert.match(wrong.json.errors[0].message, /provided sha does not match query/);
  const reg = await post(a, { query, extensions: ext });
  assert.deepEqual(reg.json, expected);
  let hit;
  for (let i = 0; i < tries; i++) {
    hit = await post(b, { extensions: ext });
    if (hit.json.data) break;
    await sleep(50);
  }
  assert.deepEqual(hit.json, expected);
}

/**
 * Every close code of graphql-transport-ws, on a server started with a
 * short FACET_WS_INIT_TIMEOUT. `init` is the connection_init message (with
 * credentials when `subscription` needs them: the subscription must stay
 * open for the duplicate id to be one).
 */
export async function assertProtocolCloses(port, { subscription, init = { type: 'connection_init' } }) {
  const sub = (id) => ({ id, type: 'subscribe', payload: { query: subscription } });
  assert.equal((await rawSession(port, [])).code, 4408, 'no connection_init in time');
  assert.equal((await rawSession(port, [init, init])).code, 4429, 'a second connection_init');
  assert.equal((await rawSession(port, [sub('1')])).code, 4401, 'subscribe before the ack');
  const dup = await rawSession(port, [init, sub('1'), sub('1')], { delay: 50 });
  assert.equal(dup.code, 4409, `a duplicate id: ${JSON.stringify(dup)}`);
  const invalid = await rawSession(port, [init, '{"type":"subscribe","id":"1"}']);
  assert.equal(invalid.code, 4400, 'an invalid message');
  assert.match(invalid.reason, /payload/);
  // A client that offers no graphql-transport-ws (here: no subprotocol at all).
  assert.equal((await rawSession(port, [init], { protocol: null })).code, 4406, 'no subprotocol');
}

/**
 * ping is answered with pong; a single-result operation over the socket is
 * `next` then `complete`. `query` gives `expected` (its whole payload).
 */
export async function assertPingPong(port, { query, expected, init = { type: 'connection_init' } }) {
  const ws = new WebSocket(wsUrl(port), WS_PROTOCOL);
  const got = [];
  ws.on('message', (d) => got.push(JSON.parse(d.toString())));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  ws.send(JSON.stringify(init));
  ws.send(JSON.stringify({ type: 'ping' }));
  ws.send(JSON.stringify({ id: 's', type: 'subscribe', payload: { query } }));
  for (let i = 0; i < 100 && got.length < 4; i++) await sleep(20);
  assert.deepEqual(got[0], { type: 'connection_ack' });
  assert.deepEqual(got[1], { type: 'pong' });
  assert.deepEqual(got[2], { id: 's', type: 'next', payload: expected });
  assert.deepEqual(got[3], { id: 's', type: 'complete' });
  const closed = new Promise((r) => ws.once('close', r));
  ws.close(1000);
  await closed;
}

/**
 * A message over the server's FACET_WS_MAX_MESSAGE (`limit` bytes) is
 * closed with 1009 and the reason "message too big", with a clean close
 * handshake.
 */
export async function assertMessageTooBig(port, limit, init = { type: 'connection_init' }) {
  const ws = new WebSocket(wsUrl(port), WS_PROTOCOL);
  const closed = new Promise((resolve) => {
    ws.addEventListener('close', (e) => resolve({ code: e.code, reason: e.reason, wasClean: e.wasClean }));
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  ws.send(JSON.stringify(init));
  ws.send('x'.repeat(limit + 1));
  const c = await closed;
  assert.deepEqual(c, { code: 1009, reason: 'message too big', wasClean: true });
}

/**
 * Two instances `a` and `b` behind the balancer `lb` (FacetProcesses and
 * the object of startBalancer): two subscriptions opened through the
 * balancer land one on each instance, and the event of one `publish()`
 * (sent through the balancer too) reaches both; then a persisted query
 * registered through the balancer is found on the next requests, served by
 * both instances.
 *   subscription: { query, connectionParams } of the subscription
 *   publish(): sends the mutation whose event both must receive
 *   event(v): the part of a `next` payload compared; expected: its value
 *   persisted: { query, expected } as for assertPersistedQueries
 * The clients are disposed of when the test `t` ends.
 */
export async function assertBalanced(t, a, b, lb, { subscription, publish, event, expected, persisted }) {
  // Round robin gives the second socket the other instance.
  const clients = [0, 1].map(() =>
    createClient({ url: wsUrl(lb.port), webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: subscription.connectionParams }),
  );
  t.after(() => Promise.all(clients.map((c) => c.dispose())));
  const received = [];
  const errors = [];
  for (const c of clients) {
    c.subscribe({ query: subscription.query }, {
      next: (v) => received.push(event(v)),
      error: (e) => errors.push(e),
      complete: () => {},
    });
  }
  await sleep(500);
  const wsCounts = [a, b].map((f) => f.logs.filter((l) => l.msg === 'request' && l.status === 101).length);
  assert.deepEqual(wsCounts, [1, 1], 'each instance holds one of the two sockets');

  await publish();
  for (let i = 0; i < 50 && received.length < 2; i++) await sleep(100);
  assert.deepEqual(errors, []);
  assert.deepEqual(received, [expected, expected]);

  const posts = (f) => f.logs.filter((l) => l.msg === 'request' && l.path === '/graphql' && l.method === 'POST').length;
  const before = [a, b].map(posts);
  await assertPersistedQueries(lb.port, lb.port, persisted.query, persisted.expected);
  const ext = { persistedQuery: { version: 1, sha256Hash: sha256(persisted.query) } };
  for (let i = 0; i < 3; i++) assert.deepEqual((await post(lb.port, { extensions: ext })).json, persisted.expected);
  const served = [a, b].map((f, i) => posts(f) - before[i]);
  assert.ok(served[0] > 0 && served[1] > 0, `both instances served the persisted query's POSTs: ${served}`);
}
