// /readyz against real Valkey and FerretDB: 200 when both answer, 503 with
// a body naming the dependency that is down, and recovery on its own when a
// dependency that was down at start comes up (issue 2, points 8 and 9).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { freePort, startFacet, useFacetCleanup } from './lib/facet.mjs';
import { get, waitReadyz } from './lib/raw.mjs';
import { startServices, useServices } from './lib/services.mjs';

useFacetCleanup();

const services = useServices();

const isReady = ({ status, body }) => status === 200 && body.status === 'ready';

describe('/readyz', () => {
  test('200 {"status":"ready","valkey":"up","mongodb":"up"} with both services up', async () => {
    const f = await startFacet({ env: { ...services.env, FACET_THREADS: '2' } });
    const r = await waitReadyz(f.port, isReady, { what: 'readiness' });
    assert.deepEqual(r.body, { status: 'ready', valkey: 'up', mongodb: 'up' });
    assert.match(r.res.headers['content-type'], /^application\/json/);
    assert.match(r.res.headers['cache-control'] ?? '', /no-store/);
    // Both threads answer: several fresh connections all see it ready.
    for (let i = 0; i < 6; i++) assert.ok(isReady(await waitReadyz(f.port, isReady, { timeoutMs: 5000 })));
    if (!services.external) {
      // (Services shared with other test files may be restarted meanwhile.)
      assert.deepEqual(f.logsWhere((l) => /^dependency/.test(l.msg)), [], 'no dependency trouble logged');
    }
    await f.stop();
  });

  test('503 naming mongodb when MONGODB_URI points at a closed port', async () => {
    const f = await startFacet({
      env: { VALKEY_URL: services.valkeyUrl, MONGODB_URI: `mongodb://127.0.0.1:${await freePort()}/facet` },
    });
    // Wait until Valkey is connected so that MongoDB is the only one down.
    const r = await waitReadyz(f.port, ({ body }) => body.valkey === 'up', { what: 'valkey up' });
    assert.equal(r.status, 503);
    assert.equal(r.body.status, 'unavailable');
    assert.match(r.body.mongodb, /^down/);
    assert.match(r.res.headers['content-type'], /^application\/json/);
    const line = await f.waitForLog({ msg: 'dependency unavailable', dependency: 'mongodb' });
    assert.equal(line.level, 'warn');
    assert.equal((await get(f.port, '/healthz')).status, 200, '/healthz stays 200');
    await f.stop();
  });

  test('503 naming valkey when VALKEY_URL points at a closed port', async () => {
    const f = await startFacet({
      env: { VALKEY_URL: `redis://127.0.0.1:${await freePort()}`, MONGODB_URI: services.mongoUri },
    });
    const r = await waitReadyz(f.port, ({ body }) => body.mongodb === 'up', { what: 'mongodb up' });
    assert.equal(r.status, 503);
    assert.equal(r.body.status, 'unavailable');
    assert.match(r.body.valkey, /^down/);
    await f.waitForLog({ msg: 'dependency unavailable', dependency: 'valkey' });
    assert.equal((await get(f.port, '/healthz')).status, 200, '/healthz stays 200');
    await f.stop();
  });

  test('503 naming both when neither is reachable, answered within the dependency timeout', async () => {
    const f = await startFacet({ env: { FACET_DEPENDENCY_TIMEOUT: '500ms' } });
    const t0 = Date.now();
    const r = await waitReadyz(f.port, () => true);
    assert.ok(Date.now() - t0 < 3000, `/readyz took ${Date.now() - t0} ms`);
    assert.equal(r.status, 503);
    assert.equal(r.body.status, 'unavailable');
    assert.match(r.body.valkey, /^down/);
    assert.match(r.body.mongodb, /^down/);
    await f.stop();
  });

  test('dependencies down at start: facet keeps running and turns ready when they come up', async (t) => {
    const ports = { valkey: await freePort(), ferretdb: await freePort() };
    const f = await startFacet({
      env: {
        VALKEY_URL: `redis://127.0.0.1:${ports.valkey}`,
        MONGODB_URI: `mongodb://127.0.0.1:${ports.ferretdb}/facet`,
      },
    });
    const down = await waitReadyz(f.port, () => true);
    assert.equal(down.status, 503);
    await f.waitForLog({ msg: 'dependency unavailable', dependency: 'valkey' });
    const late = await startServices({ own: true, ports });
    t.after(() => late.stop());
    const up = await waitReadyz(f.port, isReady, { timeoutMs: 15000, what: 'readiness after the services started' });
    assert.deepEqual(up.body, { status: 'ready', valkey: 'up', mongodb: 'up' });
    await f.waitForLog({ msg: 'dependency regained', dependency: 'valkey' });
    await f.waitForLog({ msg: 'dependency regained', dependency: 'mongodb' }, { timeoutMs: 6000 });
    await f.stop();
  });
});
