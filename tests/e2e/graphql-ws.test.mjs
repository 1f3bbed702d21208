// GraphQL over WebSocket (graphql-transport-ws) against the fixture build,
// with graphql-ws' own client for the happy paths and a raw ws client for
// each close code of the protocol; subscriptions cross instances through
// Valkey and survive a Valkey restart.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { startFixture, useFacetCleanup, sleep } from './lib/facet.mjs';
import { useServices } from './lib/services.mjs';

useFacetCleanup();
// Own services: the restart test stops this file's Valkey, never a shared one.
const services = useServices({ own: true });

const url = (f) => `ws://127.0.0.1:${f.port}/graphql`;

function client(f, options = {}) {
  const c = createClient({ url: url(f), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true, ...options });
  return c;
}

function once(c, payload) {
  return new Promise((resolve, reject) => {
    let result;
    c.subscribe(payload, { next: (v) => (result = v), error: reject, complete: () => resolve(result) });
  });
}

/** Subscribes and resolves with a function that waits for the next event. */
function events(c, payload) {
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

/** A raw socket: resolves with the close code and reason after send(). */
function rawSession(f, messages, { protocol = 'graphql-transport-ws', delay = 0 } = {}) {
  return new Promise((resolve, reject) => {
    const ws = protocol ? new WebSocket(url(f), protocol) : new WebSocket(url(f));
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

describe('GraphQL over WebSocket', () => {
  test('queries and mutations over the socket', async () => {
    const f = await startFixture({ env: services.env });
    const c = client(f);
    try {
      assert.deepEqual(await once(c, { query: '{ hello }' }), { data: { hello: 'world' } });
      const m = await once(c, { query: 'mutation { sendMessage(text: "hi") { text } }' });
      assert.deepEqual(m, { data: { sendMessage: { text: 'hi' } } });
      const bad = await once(c, { query: '{ nope }' }).catch((e) => e);
      assert.match(JSON.stringify(bad), /Cannot query field/);
    } finally {
      await c.dispose();
    }
  });

  test('a subscription on one instance receives a mutation sent to another', async () => {
    const a = await startFixture({ env: services.env });
    const b = await startFixture({ env: services.env });
    const ca = client(a);
    const cb = client(b);
    try {
      const sub = events(ca, { query: 'subscription { messageAdded { id text } }' });
      const sub2 = events(ca, { query: 'subscription { messageAdded { id text } }' });
      await sleep(300); // the SUBSCRIBE reaches Valkey
      await once(cb, { query: 'mutation { sendMessage(text: "across") { id } }' });
      const e1 = await sub.next();
      const e2 = await sub2.next();
      assert.equal(e1.data.messageAdded.text, 'across');
      assert.deepEqual(e1, e2);
      sub.dispose();
      sub2.dispose();
    } finally {
      await ca.dispose();
      await cb.dispose();
    }
  });

  test('protocol errors close with their codes', async () => {
    const f = await startFixture({ env: { ...services.env, FACET_WS_INIT_TIMEOUT: '300ms' } });
    const init = { type: 'connection_init' };
    const sub = (id) => ({ id, type: 'subscribe', payload: { query: 'subscription { messageAdded { id } }' } });
    assert.equal((await rawSession(f, [])).code, 4408);
    assert.equal((await rawSession(f, [init, init])).code, 4429);
    assert.equal((await rawSession(f, [sub('1')])).code, 4401);
    assert.equal((await rawSession(f, [init, sub('1'), sub('1')], { delay: 50 })).code, 4409);
    const invalid = await rawSession(f, [init, '{"type":"subscribe","id":"1"}']);
    assert.equal(invalid.code, 4400);
    assert.match(invalid.reason, /payload/);
    // A client that offers no graphql-transport-ws (here: no subprotocol at all).
    assert.equal((await rawSession(f, [init], { protocol: null })).code, 4406);
  });

  test('ping is answered with pong; complete ends a subscription', async () => {
    const f = await startFixture({ env: services.env });
    const ws = new WebSocket(url(f), 'graphql-transport-ws');
    const got = [];
    ws.on('message', (d) => got.push(JSON.parse(d.toString())));
    await new Promise((r) => ws.on('open', r));
    ws.send(JSON.stringify({ type: 'connection_init' }));
    ws.send(JSON.stringify({ type: 'ping' }));
    ws.send(JSON.stringify({ id: 's', type: 'subscribe', payload: { query: '{ hello }' } }));
    await sleep(300);
    assert.deepEqual(got[0], { type: 'connection_ack' });
    assert.deepEqual(got[1], { type: 'pong' });
    assert.deepEqual(got[2], { id: 's', type: 'next', payload: { data: { hello: 'world' } } });
    assert.deepEqual(got[3], { id: 's', type: 'complete' });
    ws.close(1000);
  });

  test('subscriptions resume after a Valkey restart', { timeout: 60000 }, async (t) => {
    if (services.restartUnsupported) {
      t.skip(services.restartUnsupported);
      return;
    }
    const f = await startFixture({ env: services.env });
    const c = client(f);
    try {
      const sub = events(c, { query: 'subscription { messageAdded { text } }' });
      await sleep(300);
      await services.stopService('valkey');
      await sleep(500);
      await services.startService('valkey');
      await f.waitForLog({ msg: 'subscriptions resumed' }, { timeoutMs: 15000 });
      let sent = false;
      for (let i = 0; i < 50 && !sent; i++) {
        const r = await once(c, { query: 'mutation { sendMessage(text: "back") { id } }' }).catch(() => null);
        sent = Boolean(r?.data);
        if (!sent) await sleep(200);
      }
      assert.ok(sent, 'the mutation never went through after the restart');
      assert.equal((await sub.next(10000)).data.messageAdded.text, 'back');
      sub.dispose();
    } finally {
      await c.dispose();
    }
  });
});
