// Two Facet instances behind nginx: a subscription opened through the
// balancer on one instance receives the event of a mutation the balancer
// sends to the other, and a persisted query registered through one instance
// is found by the other. The check itself (lib/transport.mjs) also runs on
// the product in graphql-product.test.mjs.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';
import { startBalancer } from './lib/balancer.mjs';
import { startFixture, useFacetCleanup } from './lib/facet.mjs';
import { useServices } from './lib/services.mjs';
import { assertBalanced, post } from './lib/transport.mjs';

useFacetCleanup();
const services = useServices();

test('subscriptions and persisted queries work across instances behind a balancer', { timeout: 60000 }, async (t) => {
  const a = await startFixture({ env: services.env });
  const b = await startFixture({ env: services.env });
  const lb = await startBalancer([a.port, b.port]);
  t.after(() => lb.stop());
  await assertBalanced(t, a, b, lb, {
    subscription: { query: 'subscription { messageAdded { text } }' },
    publish: async () => {
      // Through the balancer: it lands on either instance.
      const sent = await post(lb.port, { query: 'mutation { sendMessage(text: "via balancer") { id } }' });
      assert.ok(sent.json.data, sent.text);
    },
    event: (v) => v.data.messageAdded.text,
    expected: 'via balancer',
    persisted: { query: `{ hello } # ${crypto.randomUUID()}`, expected: { data: { hello: 'world' } } },
  });
});
