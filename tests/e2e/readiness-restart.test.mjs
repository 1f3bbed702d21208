// A dependency goes away while facet runs and comes back on the same port:
// /readyz turns 503 naming it, then 200 again on its own, with "dependency
// lost" and "dependency regained" logged (issue 2, point 9). This file has
// its own services: stopping them must not disturb other test files.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startFacet, useFacetCleanup } from './lib/facet.mjs';
import { get, waitReadyz } from './lib/raw.mjs';
import { useServices } from './lib/services.mjs';

useFacetCleanup();

const services = useServices({ own: true });

/** Stops `service`, checks facet notices, restarts it, checks facet recovers. */
async function restartCycle(t, service, field) {
  if (services.restartUnsupported) {
    t.skip(services.restartUnsupported);
    return;
  }
  const f = await startFacet({ env: { ...services.env, FACET_THREADS: '2', FACET_DEPENDENCY_TIMEOUT: '500ms' } });
  await waitReadyz(f.port, ({ status }) => status === 200, { what: `readiness before stopping ${service}` });

  const since = f.logs.length;
  await services.stopService(service);
  try {
    const down = await waitReadyz(f.port, ({ status, body }) => status === 503 && /^down/.test(body[field] ?? ''), {
      what: `503 naming ${field} after ${service} stopped`,
    });
    assert.equal(down.body.status, 'unavailable');
    for (const other of ['valkey', 'mongodb'].filter((x) => x !== field)) assert.equal(down.body[other], 'up');
    const lost = await f.waitForLog({ msg: 'dependency lost', dependency: field }, { since, timeoutMs: 10000 });
    assert.equal(lost.level, 'warn');
    assert.equal((await get(f.port, '/healthz')).status, 200, `/healthz stays 200 while ${service} is down`);
  } finally {
    await services.startService(service);
  }
  const up = await waitReadyz(f.port, ({ status }) => status === 200, { timeoutMs: 15000, what: `200 after ${service} restarted` });
  assert.deepEqual(up.body, { status: 'ready', valkey: 'up', mongodb: 'up' });
  const lostAt = f.logs.findIndex((l, i) => i >= since && l.msg === 'dependency lost' && l.dependency === field);
  await f.waitForLog({ msg: 'dependency regained', dependency: field }, { since: lostAt + 1, timeoutMs: 10000 });
  await f.stop();
}

test('Valkey stopped: /readyz 503 naming valkey; restarted: 200 again', { timeout: 60000 }, (t) =>
  restartCycle(t, 'valkey', 'valkey'));

test('FerretDB stopped: /readyz 503 naming mongodb; restarted: 200 again', { timeout: 60000 }, (t) =>
  restartCycle(t, 'ferretdb', 'mongodb'));
