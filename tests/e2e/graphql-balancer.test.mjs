// Two Facet instances behind nginx: a subscription opened through the
// balancer on one instance receives the event of a mutation the balancer
// sends to the other, and a persisted query registered through one instance
// is found by the other.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { startBalancer } from './lib/balancer.mjs';
import { sleep, startFixture, useFacetCleanup } from './lib/facet.mjs';
import { useServices } from './lib/services.mjs';

useFacetCleanup();
const services = useServices();

async function post(port, body) {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return res.json();
}

test('subscriptions and persisted queries work across instances behind a balancer', { timeout: 60000 }, async (t) => {
  const a = await startFixture({ env: services.env });
  const b = await startFixture({ env: services.env });
  const lb = await startBalancer([a.port, b.port]);
  t.after(() => lb.stop());

  // One subscription per instance, both opened through the balancer (round
  // robin gives the second socket the other instance).
  const clients = [0, 1].map(() =>
    createClient({ url: `ws://127.0.0.1:${lb.port}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 }),
  );
  t.after(() => Promise.all(clients.map((c) => c.dispose())));
  const received = [];
  for (const c of clients) {
    c.subscribe({ query: 'subscription { messageAdded { text } }' }, {
      next: (v) => received.push(v.data.messageAdded.text),
      error: () => {},
      complete: () => {},
    });
  }
  await sleep(500);
  const wsCounts = [a, b].map((f) => f.logs.filter((l) => l.msg === 'request' && l.status === 101).length);
  assert.deepEqual(wsCounts, [1, 1], 'each instance holds one of the two sockets');

  // Mutations through the balancer land on either instance; every event
  // reaches both subscribers.
  const sent = await post(lb.port, { query: 'mutation { sendMessage(text: "via balancer") { id } }' });
  assert.ok(sent.data, JSON.stringify(sent));
  for (let i = 0; i < 50 && received.length < 2; i++) await sleep(100);
  assert.deepEqual(received, ['via balancer', 'via balancer']);

  // Persisted query: registered through one request, found through the next
  // (the balancer alternates instances).
  const query = `{ hello } # ${crypto.randomUUID()}`;
  const ext = { persistedQuery: { version: 1, sha256Hash: crypto.createHash('sha256').update(query).digest('hex') } };
  const reg = await post(lb.port, { query, extensions: ext });
  assert.deepEqual(reg, { data: { hello: 'world' } });
  for (let i = 0; i < 4; i++) assert.deepEqual(await post(lb.port, { extensions: ext }), { data: { hello: 'world' } });
  const served = [a, b].map((f) => f.logs.filter((l) => l.msg === 'request' && l.path === '/graphql' && l.method === 'POST').length);
  assert.ok(served[0] > 0 && served[1] > 0, `both instances served POSTs: ${served}`);
});
