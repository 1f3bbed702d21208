// SIGTERM and SIGINT: the listener closes at once, a request in flight
// finishes, /readyz says "draining", idle connections do not hold the exit,
// FACET_SHUTDOWN_TIMEOUT bounds the wait, and the exit code is 0 with
// "shutdown" and "stopped" logged (issue 2, point 8).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startFacet, useFacetCleanup, sleep } from './lib/facet.mjs';
import { RawClient, connectRefused, request, waitReadyz } from './lib/raw.mjs';
import { JWT_SECRET, PRODUCT_SCHEMA } from './lib/product.mjs';
import { useServices } from './lib/services.mjs';

useFacetCleanup();

const services = useServices();

/** Resolves the ms it took until new connections are refused, or null after `withinMs`. */
async function refusedWithin(port, withinMs) {
  const t0 = Date.now();
  while (Date.now() - t0 <= withinMs) {
    if (await connectRefused(port)) return Date.now() - t0;
    await sleep(20);
  }
  return null;
}

/** Checks the lifecycle lines: "shutdown" naming the signal, then "stopped". */
function assertShutdownLogged(f, signal) {
  const shutdown = f.logs.findIndex((l) => l.msg === 'shutdown');
  const stopped = f.logs.findIndex((l) => l.msg === 'stopped');
  assert.ok(shutdown >= 0, `no "shutdown" line:\n${f.stdout}`);
  assert.ok(stopped > shutdown, `no "stopped" line after "shutdown":\n${f.stdout}`);
  assert.equal(f.logs[shutdown].signal, signal);
}

test('SIGTERM drain: the listener closes, the request in flight completes, exit 0', { timeout: 30000 }, async () => {
  const f = await startFacet({ env: { FACET_SHUTDOWN_TIMEOUT: '5s', FACET_REQUEST_TIMEOUT: '10s' } });
  const c = await RawClient.connect(f.port);
  try {
    await c.write(Buffer.concat([request('POST', '/healthz', { headers: [['Content-Length', '10'], ['X-Request-Id', 'in-flight']] }), Buffer.from('12345')]));
    await sleep(150); // let the server read the head and half the body
    f.signal('SIGTERM');
    await f.waitForLog({ msg: 'shutdown' });
    const refusedAfter = await refusedWithin(f.port, 1000);
    assert.notEqual(refusedAfter, null, 'new connections were still accepted a second after SIGTERM');
    assert.ok(f.running, 'facet exited before the request in flight was complete');

    await c.write('67890');
    const res = await c.response({ timeoutMs: 3000 });
    assert.equal(res.status, 405, 'the request in flight gets its complete answer');
    assert.equal(res.headers['x-request-id'], 'in-flight');
    assert.equal(res.headers.connection?.toLowerCase(), 'close');
    await c.closedByServer(3000);
  } finally {
    c.destroy();
  }
  await f.stop({ signal: null, timeoutMs: 8000 });
  assertShutdownLogged(f, 'SIGTERM');
  assert.ok(f.logsWhere({ msg: 'request', request_id: 'in-flight', status: 405 }).length === 1);
});

test('a /readyz request half sent before SIGTERM is answered 503 "draining"', { timeout: 30000 }, async () => {
  const f = await startFacet({ env: { ...services.env, FACET_SHUTDOWN_TIMEOUT: '5s' } });
  await waitReadyz(f.port, ({ status }) => status === 200, { what: 'readiness before SIGTERM' });
  const c = await RawClient.connect(f.port);
  try {
    await c.write('GET /readyz HTTP/1.1\r\nHost: facet.test\r\n');
    await sleep(100);
    f.signal('SIGTERM');
    await f.waitForLog({ msg: 'shutdown' });
    await c.write('\r\n');
    const res = await c.response({ timeoutMs: 5000 });
    assert.equal(res.status, 503);
    const body = JSON.parse(res.body.toString('utf8'));
    assert.equal(body.status, 'draining');
    assert.equal(res.headers.connection?.toLowerCase(), 'close');
  } finally {
    c.destroy();
  }
  await f.stop({ signal: null, timeoutMs: 8000 });
  assertShutdownLogged(f, 'SIGTERM');
});

test('SIGINT stops facet the same way, exit 0', { timeout: 30000 }, async () => {
  const f = await startFacet();
  const t0 = Date.now();
  await f.stop({ signal: 'SIGINT', timeoutMs: 8000 });
  assert.ok(Date.now() - t0 < 3000, `SIGINT took ${Date.now() - t0} ms`);
  assertShutdownLogged(f, 'SIGINT');
});

test('SIGTERM stops the product while MongoDB has been away since start', { timeout: 30000 }, async () => {
  // The start-up migration is then retried on a timer, which must not keep
  // the process alive past the shutdown.
  const f = await startFacet({ env: { FACET_SCHEMA: PRODUCT_SCHEMA, FACET_JWT_SECRET: JWT_SECRET } });
  await f.waitForLog({ msg: 'database unreachable at start; migration retried in background' });
  const t0 = Date.now();
  await f.stop({ timeoutMs: 8000 });
  assert.ok(Date.now() - t0 < 3000, `SIGTERM took ${Date.now() - t0} ms`);
  assertShutdownLogged(f, 'SIGTERM');
});

test('idle keep-alive connections are closed at SIGTERM and do not delay the exit', { timeout: 30000 }, async () => {
  const f = await startFacet({ env: { FACET_SHUTDOWN_TIMEOUT: '10s' } });
  const clients = await Promise.all(Array.from({ length: 5 }, () => RawClient.connect(f.port)));
  try {
    for (const c of clients) {
      await c.write(request('GET', '/healthz'));
      assert.equal((await c.response()).status, 200);
    }
    const t0 = Date.now();
    await f.stop({ signal: 'SIGTERM', timeoutMs: 8000 });
    assert.ok(Date.now() - t0 < 3000, `exit took ${Date.now() - t0} ms with idle connections open`);
    for (const c of clients) {
      await c.closedByServer(1000);
      assert.equal(c.unread.length, 0, 'an idle connection gets no bytes when closed');
    }
  } finally {
    clients.forEach((c) => c.destroy());
  }
  assertShutdownLogged(f, 'SIGTERM');
});

test('FACET_SHUTDOWN_TIMEOUT bounds the wait for a request that never completes', { timeout: 30000 }, async () => {
  const f = await startFacet({ env: { FACET_SHUTDOWN_TIMEOUT: '1s', FACET_REQUEST_TIMEOUT: '30s' } });
  const c = await RawClient.connect(f.port);
  try {
    await c.write('GET /healthz HTTP/1.1\r\nHost: facet.test\r\n');
    await sleep(100);
    const t0 = Date.now();
    await f.stop({ signal: 'SIGTERM', timeoutMs: 8000 });
    const took = Date.now() - t0;
    assert.ok(took >= 800 && took < 4000, `exit after ${took} ms with FACET_SHUTDOWN_TIMEOUT=1s`);
    await c.closedByServer(1000);
  } finally {
    c.destroy();
  }
  assertShutdownLogged(f, 'SIGTERM');
});
