// GraphQL over WebSocket (graphql-transport-ws) against the fixture build,
// with graphql-ws' own client for the happy paths and a raw ws client for
// each close code of the protocol; subscriptions cross instances through
// Valkey and survive a Valkey restart. The checks that hold for any schema
// live in lib/transport.mjs; graphql-product.test.mjs runs them on the product.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startFixture, useFacetCleanup, sleep } from './lib/facet.mjs';
import { useServices } from './lib/services.mjs';
import {
  assertMessageTooBig,
  assertPingPong,
  assertProtocolCloses,
  events,
  once,
  wsClient,
} from './lib/transport.mjs';

useFacetCleanup();
// Own services: the restart test stops this file's Valkey, never a shared one.
const services = useServices({ own: true });

const client = (f, options) => wsClient(f.port, options);

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

  test('protocol errors close with their codes; an oversized message is 1009', async () => {
    const f = await startFixture({ env: { ...services.env, FACET_WS_INIT_TIMEOUT: '300ms', FACET_WS_MAX_MESSAGE: '4KiB' } });
    await assertProtocolCloses(f.port, { subscription: 'subscription { messageAdded { id } }' });
    await assertMessageTooBig(f.port, 4096);
  });

  test('ping is answered with pong; complete ends a subscription', async () => {
    const f = await startFixture({ env: services.env });
    await assertPingPong(f.port, { query: '{ hello }', expected: { data: { hello: 'world' } } });
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
