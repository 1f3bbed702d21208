// The product with MongoDB away at start: `facet serve` still serves (and
// /readyz says the database is down), retries the migration in the
// background, and works once the database comes up.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freePort, startFacet, useFacetCleanup } from './lib/facet.mjs';
import { productEnv, signUp } from './lib/product.mjs';
import { waitReadyz } from './lib/raw.mjs';
import { startServices } from './lib/services.mjs';

useFacetCleanup();

const isReady = (r) => r.status === 200;

test('MongoDB down at start: serves, migrates when it comes up', { timeout: 120000 }, async (t) => {
  const ports = { valkey: await freePort(), ferretdb: await freePort() };
  const env = productEnv({ valkeyUrl: `redis://127.0.0.1:${ports.valkey}`, mongoUri: `mongodb://127.0.0.1:${ports.ferretdb}/facet` },
    { FACET_DEPENDENCY_TIMEOUT: '500ms' });
  const f = await startFacet({ env });
  await f.waitForLog({ msg: 'database unreachable at start; migration retried in background' }, { timeoutMs: 15000 });
  const down = await waitReadyz(f.port, () => true);
  assert.equal(down.status, 503);
  const late = await startServices({ own: true, ports });
  t.after(() => late.stop());
  await waitReadyz(f.port, isReady, { timeoutMs: 20000, what: 'readiness after the services started' });
  await f.waitForLog({ msg: 'migration done after the database came back' }, { timeoutMs: 20000 });
  const u = await signUp(f.port, 'late');
  assert.match(u.user.id, /^[0-9a-f]{24}$/);
  await f.stop();
});
