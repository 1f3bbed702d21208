// Connection handling: keep-alive, pipelining, HTTP/1.0, request bodies
// (Content-Length and chunked) consumed before the next request, 100-continue
// and concurrent connections on several threads (issue 2, point 7).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sharedFacet, sleep, startFacet } from './lib/facet.mjs';
import { RawClient, request } from './lib/raw.mjs';

const facet = sharedFacet();

async function withClient(fn) {
  const c = await RawClient.connect(facet().port);
  try {
    return await fn(c);
  } finally {
    c.destroy();
  }
}

describe('keep-alive and pipelining', () => {
  test('keep-alive: five requests one after another on one socket', () =>
    withClient(async (c) => {
      for (let i = 0; i < 5; i++) {
        await c.write(request('GET', '/healthz', { headers: [['X-Request-Id', `ka-${i}`]] }));
        const res = await c.response();
        assert.equal(res.status, 200);
        assert.equal(res.headers['x-request-id'], `ka-${i}`);
        assert.notEqual(res.headers.connection?.toLowerCase(), 'close');
      }
      assert.equal(await c.stillOpenAfter(100), true, 'the connection stays open');
    }));

  test('pipelining: three requests in one write get three responses in order', () =>
    withClient(async (c) => {
      await c.write(
        Buffer.concat([
          request('GET', '/healthz', { headers: [['X-Request-Id', 'p1']] }),
          request('GET', '/missing', { headers: [['X-Request-Id', 'p2']] }),
          request('GET', '/healthz', { headers: [['X-Request-Id', 'p3']] }),
        ]),
      );
      const rs = await c.responses(3);
      assert.deepEqual(rs.map((r) => r.headers['x-request-id']), ['p1', 'p2', 'p3']);
      assert.deepEqual(rs.map((r) => r.status), [200, 404, 200]);
      assert.equal(await c.stillOpenAfter(50), true);
    }));

  test('pipelining: 200 requests in one write, all answered in order', () =>
    withClient(async (c) => {
      const n = 200;
      const reqs = [];
      for (let i = 0; i < n; i++) reqs.push(request('GET', '/healthz', { headers: [['X-Request-Id', `bulk-${i}`]] }));
      await c.write(Buffer.concat(reqs));
      const rs = await c.responses(n, { timeoutMs: 10000 });
      rs.forEach((r, i) => {
        assert.equal(r.status, 200);
        assert.equal(r.headers['x-request-id'], `bulk-${i}`);
      });
    }));

  test('a request sent one byte at a time is answered', () =>
    withClient(async (c) => {
      c.socket.setNoDelay(true);
      const bytes = request('GET', '/healthz', { headers: [['X-Request-Id', 'bytewise']] });
      for (const b of bytes) {
        await c.write(Buffer.from([b]));
        await sleep(1);
      }
      const res = await c.response();
      assert.equal(res.status, 200);
      assert.equal(res.headers['x-request-id'], 'bytewise');
    }));

  test('HTTP/1.1 with Connection: close is answered, then closed', () =>
    withClient(async (c) => {
      await c.write(request('GET', '/healthz', { headers: [['Connection', 'close']] }));
      const res = await c.response();
      assert.equal(res.status, 200);
      assert.equal(res.headers.connection?.toLowerCase(), 'close');
      const rest = await c.closedByServer(2000);
      assert.equal(rest.length, 0);
    }));

  test('HTTP/1.0 closes after the response by default', () =>
    withClient(async (c) => {
      await c.write(request('GET', '/healthz', { version: 'HTTP/1.0' }));
      const res = await c.response();
      assert.equal(res.status, 200);
      assert.notEqual(res.headers.connection?.toLowerCase(), 'keep-alive');
      await c.closedByServer(2000);
    }));

  test('HTTP/1.0 with Connection: keep-alive stays open for the next request', () =>
    withClient(async (c) => {
      for (let i = 0; i < 2; i++) {
        await c.write(request('GET', '/healthz', { version: 'HTTP/1.0', headers: [['Connection', 'keep-alive']] }));
        const res = await c.response();
        assert.equal(res.status, 200);
        assert.equal(res.headers.connection?.toLowerCase(), 'keep-alive');
      }
      assert.equal(await c.stillOpenAfter(100), true);
    }));
});

describe('request bodies are consumed before the next request', () => {
  test('Content-Length body, then a pipelined request', () =>
    withClient(async (c) => {
      // The body looks like a request: it must be read as body, never parsed.
      const body = 'GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n';
      await c.write(
        Buffer.concat([
          request('POST', '/healthz', { body, headers: [['X-Request-Id', 'cl-post']] }),
          request('GET', '/healthz', { headers: [['X-Request-Id', 'cl-next']] }),
        ]),
      );
      const rs = await c.responses(2);
      assert.deepEqual(rs.map((r) => [r.status, r.headers['x-request-id']]), [[405, 'cl-post'], [200, 'cl-next']]);
      assert.equal(await c.stillOpenAfter(100), true);
      assert.equal(c.unread.length, 0, `extra response: ${c.describe()}`);
    }));

  test('Content-Length body sent in a second packet after the head', () =>
    withClient(async (c) => {
      c.socket.setNoDelay(true);
      await c.write(request('POST', '/healthz', { headers: [['Content-Length', '5'], ['X-Request-Id', 'late-body']] }));
      await sleep(100); // the head is read and parsed on its own
      await c.write('hello');
      const res = await c.response();
      assert.equal(res.status, 405);
      assert.equal(res.headers['x-request-id'], 'late-body');
      await c.write(request('GET', '/healthz'));
      assert.equal((await c.response()).status, 200);
      const line = await facet().waitForLog({ msg: 'request', request_id: 'late-body' });
      assert.deepEqual([line.method, line.path, line.status], ['POST', '/healthz', 405]);
    }));

  test('chunked body, then a pipelined request', () =>
    withClient(async (c) => {
      const head = request('POST', '/healthz', { headers: [['Transfer-Encoding', 'chunked'], ['X-Request-Id', 'ch-post']] });
      const body = '5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n';
      await c.write(Buffer.concat([head, Buffer.from(body), request('GET', '/healthz', { headers: [['X-Request-Id', 'ch-next']] })]));
      const rs = await c.responses(2);
      assert.deepEqual(rs.map((r) => [r.status, r.headers['x-request-id']]), [[405, 'ch-post'], [200, 'ch-next']]);
      assert.equal(await c.stillOpenAfter(100), true);
      assert.equal(c.unread.length, 0, `extra response: ${c.describe()}`);
    }));

  test('chunked body with extensions, upper-case hex and trailers', () =>
    withClient(async (c) => {
      const head = request('POST', '/healthz', { headers: [['Transfer-Encoding', 'chunked'], ['X-Request-Id', 'ext-post']] });
      const body = 'A;name=value\r\n0123456789\r\n1;x="q"\r\n!\r\n0\r\nX-Trailer: yes\r\n\r\n';
      await c.write(Buffer.concat([head, Buffer.from(body), request('GET', '/healthz', { headers: [['X-Request-Id', 'ext-next']] })]));
      const rs = await c.responses(2);
      assert.deepEqual(rs.map((r) => [r.status, r.headers['x-request-id']]), [[405, 'ext-post'], [200, 'ext-next']]);
    }));

  test('transfer codings are case-insensitive: Transfer-Encoding: Chunked', () =>
    withClient(async (c) => {
      const head = request('POST', '/healthz', { headers: [['Transfer-Encoding', 'Chunked'], ['X-Request-Id', 'case-post']] });
      await c.write(Buffer.concat([head, Buffer.from('3\r\nabc\r\n0\r\n\r\n'), request('GET', '/healthz', { headers: [['X-Request-Id', 'case-next']] })]));
      const rs = await c.responses(2);
      assert.deepEqual(rs.map((r) => [r.status, r.headers['x-request-id']]), [[405, 'case-post'], [200, 'case-next']]);
    }));

  test('chunked body arriving in pieces over time', () =>
    withClient(async (c) => {
      c.socket.setNoDelay(true);
      await c.write(request('POST', '/healthz', { headers: [['Transfer-Encoding', 'chunked'], ['X-Request-Id', 'slow-ch']] }));
      for (const piece of ['4\r', '\nab', 'cd\r\n', '3\r\nxyz', '\r\n0\r', '\n', '\r\n']) {
        await sleep(20);
        await c.write(piece);
      }
      await c.write(request('GET', '/healthz', { headers: [['X-Request-Id', 'slow-next']] }));
      const rs = await c.responses(2);
      assert.deepEqual(rs.map((r) => [r.status, r.headers['x-request-id']]), [[405, 'slow-ch'], [200, 'slow-next']]);
    }));

  test('Expect: 100-continue gets an interim 100 before the body is sent', () =>
    withClient(async (c) => {
      await c.write(request('POST', '/healthz', { headers: [['Content-Length', '5'], ['Expect', '100-continue'], ['X-Request-Id', 'cont']] }));
      const interim = await c.response({ timeoutMs: 3000 });
      assert.equal(interim.status, 100);
      assert.equal(interim.version, 'HTTP/1.1');
      await c.write('hello');
      const final = await c.response();
      assert.equal(final.status, 405);
      assert.equal(final.headers['x-request-id'], 'cont');
      await c.write(request('GET', '/healthz'));
      assert.equal((await c.response()).status, 200);
    }));

  test('Expect: 100-continue with the body already sent still gets one final answer', () =>
    withClient(async (c) => {
      await c.write(
        Buffer.concat([
          request('POST', '/healthz', { body: 'hello', headers: [['Expect', '100-continue'], ['X-Request-Id', 'cont2']] }),
          request('GET', '/healthz', { headers: [['X-Request-Id', 'cont2-next']] }),
        ]),
      );
      let rs = await c.responses(2);
      if (rs[0].status === 100) rs = [rs[1], await c.response()];
      assert.deepEqual(rs.map((r) => [r.status, r.headers['x-request-id']]), [[405, 'cont2'], [200, 'cont2-next']]);
    }));
});

describe('concurrency', () => {
  test('a half-sent request does not hold up other connections', async () => {
    const slow = await RawClient.connect(facet().port);
    try {
      await slow.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
      const t0 = Date.now();
      await withClient(async (c) => {
        await c.write(request('GET', '/healthz'));
        assert.equal((await c.response({ timeoutMs: 2000 })).status, 200);
      });
      assert.ok(Date.now() - t0 < 1000);
      await slow.write('\r\n');
      assert.equal((await slow.response()).status, 200);
    } finally {
      slow.destroy();
    }
  });

  test('FACET_THREADS=2 serves 40 concurrent connections with pipelined requests', async () => {
    const g = await startFacet({ env: { FACET_THREADS: '2' } });
    const ready = g.logsWhere({ msg: 'ready' })[0];
    assert.equal(ready.threads, 2);
    const clients = await Promise.all(Array.from({ length: 40 }, () => RawClient.connect(g.port)));
    try {
      await Promise.all(
        clients.map(async (c, i) => {
          const reqs = [];
          for (let j = 0; j < 5; j++) reqs.push(request('GET', '/healthz', { headers: [['X-Request-Id', `t${i}-${j}`]] }));
          await c.write(Buffer.concat(reqs));
          const rs = await c.responses(5, { timeoutMs: 10000 });
          rs.forEach((r, j) => {
            assert.equal(r.status, 200);
            assert.equal(r.headers['x-request-id'], `t${i}-${j}`);
          });
        }),
      );
      await g.waitForLog(() => g.logsWhere({ msg: 'request', status: 200 }).length >= 200, { what: '200 request lines' });
    } finally {
      clients.forEach((c) => c.destroy());
    }
    await g.stop();
  });
});
