// Routes and per-request behaviour: /healthz, HEAD, 404, 405 with Allow,
// request ids and the request log line (issue 2, points 7, 8 and 10).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sharedFacet } from './lib/facet.mjs';
import { RawClient, get, request } from './lib/raw.mjs';

const facet = sharedFacet();

function json(res) {
  assert.match(res.headers['content-type'] ?? '', /^application\/json/, 'Content-Type');
  return JSON.parse(res.body.toString('utf8'));
}

describe('routes', () => {
  test('GET /healthz answers 200 {"status":"ok"} to fetch', async () => {
    const res = await fetch(`http://127.0.0.1:${facet().port}/healthz`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^application\/json/);
    assert.deepEqual(await res.json(), { status: 'ok' });
  });

  test('GET /healthz on the wire: status line, length, Date', async () => {
    const res = await get(facet().port, '/healthz');
    assert.equal(res.version, 'HTTP/1.1');
    assert.equal(res.status, 200);
    assert.equal(res.reason, 'OK');
    assert.equal(Number(res.headers['content-length']), res.body.length);
    assert.ok(!Number.isNaN(Date.parse(res.headers.date)), `Date header: ${res.headers.date}`);
    assert.deepEqual(json(res), { status: 'ok' });
  });

  test('HEAD /healthz: the GET headers and no body', async () => {
    const c = await RawClient.connect(facet().port);
    try {
      // The GET after the HEAD is parsed from the very next byte: any body
      // sent for HEAD would break it.
      await c.write(Buffer.concat([request('HEAD', '/healthz'), request('GET', '/healthz')]));
      const [head, getRes] = await c.responses(2, { heads: [true, false] });
      assert.equal(head.status, 200);
      assert.equal(getRes.status, 200);
      assert.equal(head.headers['content-length'], getRes.headers['content-length']);
      assert.equal(head.headers['content-type'], getRes.headers['content-type']);
      assert.deepEqual(json(getRes), { status: 'ok' });
      assert.equal(await c.stillOpenAfter(100), true);
      assert.equal(c.unread.length, 0, `bytes after the responses: ${c.describe()}`);
    } finally {
      c.destroy();
    }
  });

  test('a query string does not change the route', async () => {
    const res = await get(facet().port, '/healthz?probe=1&x=%20');
    assert.equal(res.status, 200);
  });

  test('an absolute-form target routes by its path', async () => {
    const res = await get(facet().port, `http://facet.test/healthz`);
    assert.equal(res.status, 200);
  });

  test('an unknown path is 404 with a JSON error, for any method', async () => {
    for (const method of ['GET', 'POST', 'HEAD']) {
      const res = await get(facet().port, '/no/such/path', { method });
      assert.equal(res.status, 404, method);
      if (method !== 'HEAD') assert.equal(typeof json(res).error, 'string');
    }
  });

  test('a wrong method is 405 with Allow listing GET and HEAD', async () => {
    for (const [method, path] of [['POST', '/healthz'], ['PUT', '/healthz'], ['DELETE', '/healthz'], ['POST', '/readyz'], ['PATCH', '/readyz']]) {
      const res = await get(facet().port, path, { method });
      assert.equal(res.status, 405, `${method} ${path}`);
      assert.ok(res.headers.allow, `${method} ${path}: no Allow header`);
      const allowed = res.headers.allow.split(',').map((s) => s.trim());
      assert.ok(allowed.includes('GET'), `${method} ${path}: Allow: ${res.headers.allow}`);
      if (path === '/healthz') assert.ok(allowed.includes('HEAD'), `Allow: ${res.headers.allow}`);
      assert.ok(!allowed.includes(method), `Allow: ${res.headers.allow} includes ${method}`);
      assert.equal(typeof json(res).error, 'string');
    }
  });

  test('404 and 405 keep the connection usable', async () => {
    const c = await RawClient.connect(facet().port);
    try {
      await c.write(request('GET', '/missing'));
      assert.equal((await c.response()).status, 404);
      await c.write(request('DELETE', '/healthz'));
      assert.equal((await c.response()).status, 405);
      await c.write(request('GET', '/healthz'));
      assert.equal((await c.response()).status, 200);
    } finally {
      c.destroy();
    }
  });
});

describe('request ids and request log lines', () => {
  test('X-Request-Id sent by the client is echoed and logged', async () => {
    const id = `e2e-${process.pid}-${Date.now()}`;
    const res = await get(facet().port, '/healthz', { headers: [['X-Request-Id', id]] });
    assert.equal(res.headers['x-request-id'], id);
    const line = await facet().waitForLog({ msg: 'request', request_id: id });
    assert.equal(line.status, 200);
  });

  test('without X-Request-Id a distinct id is generated, echoed and logged', async () => {
    const a = await get(facet().port, '/healthz');
    const b = await get(facet().port, '/healthz');
    const ida = a.headers['x-request-id'];
    const idb = b.headers['x-request-id'];
    assert.ok(ida && idb, 'generated ids are echoed');
    assert.notEqual(ida, idb);
    await facet().waitForLog({ msg: 'request', request_id: ida });
    await facet().waitForLog({ msg: 'request', request_id: idb });
  });

  test('error responses carry a request id too', async () => {
    const res = await get(facet().port, '/nowhere');
    assert.ok(res.headers['x-request-id']);
  });

  test('the request log line has every field with the right type', async () => {
    const id = `fields-${Date.now()}`;
    const res = await get(facet().port, '/healthz?a=1', { headers: [['X-Request-Id', id]] });
    const line = await facet().waitForLog({ msg: 'request', request_id: id });
    assert.equal(line.level, 'info');
    assert.ok(!Number.isNaN(Date.parse(line.time)), `time: ${line.time}`);
    assert.equal(line.method, 'GET');
    assert.match(line.path, /^\/healthz/);
    assert.equal(line.status, 200);
    assert.equal(line.bytes, res.body.length);
    assert.equal(typeof line.duration_us, 'number');
    assert.ok(Number.isInteger(line.duration_us) && line.duration_us >= 0, `duration_us: ${line.duration_us}`);
    assert.equal(line.remote, '127.0.0.1');
  });

  test('404 and 405 are logged with their status and method', async () => {
    const id404 = `nf-${Date.now()}`;
    const id405 = `na-${Date.now()}`;
    await get(facet().port, '/nope', { headers: [['X-Request-Id', id404]] });
    await get(facet().port, '/healthz', { method: 'PUT', headers: [['X-Request-Id', id405]] });
    const l404 = await facet().waitForLog({ msg: 'request', request_id: id404 });
    const l405 = await facet().waitForLog({ msg: 'request', request_id: id405 });
    assert.equal(l404.status, 404);
    assert.equal(l404.path, '/nope');
    assert.equal(l405.status, 405);
    assert.equal(l405.method, 'PUT');
  });

  test('hostile ids and paths never break the JSON of the log', async () => {
    const before = facet().logs.length;
    const c = await RawClient.connect(facet().port);
    try {
      await c.write(
        Buffer.concat([
          request('GET', '/healthz', { headers: [['X-Request-Id', 'a"b\\c{}']] }),
          request('GET', '/a%22b%5C"\\c', { headers: [['X-Request-Id', 'x'.repeat(300)]] }),
          request('GET', '/healthz', { headers: [['X-Request-Id', 'tab\there']] }),
        ]),
      );
      await c.waitFor(() => c.gone || c.unread.length > 0, 3000, 'answers');
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      c.destroy();
    }
    await facet().waitForLog({ msg: 'request' }, { since: before });
    assert.deepEqual(facet().badLines, [], 'stdout lines that are not JSON');
    for (const line of facet().logs.slice(before).filter((l) => l.msg === 'request')) {
      assert.equal(typeof line.request_id, 'string');
      assert.ok(line.request_id.length > 0 && line.request_id.length <= 200, `request_id length ${line.request_id.length}`);
    }
  });
});
