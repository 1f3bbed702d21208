// Limits, each set small through the environment: request line (414), head
// size and header count (431), body by Content-Length and by chunked total
// (413), slow clients (408) and idle keep-alive connections (issue 2,
// point 7). Every rejection is followed by the server closing the connection.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sharedFacet, sleep } from './lib/facet.mjs';
import { RawClient, request } from './lib/raw.mjs';
import { assertErrorResponse, expectRejected } from './lib/expect.mjs';

const LIMITS = {
  FACET_MAX_REQUEST_LINE: '256',
  FACET_MAX_HEADER_SIZE: '1KiB',
  FACET_MAX_HEADERS: '10',
  FACET_MAX_BODY_SIZE: '100',
  FACET_REQUEST_TIMEOUT: '500ms',
  FACET_IDLE_TIMEOUT: '1s',
};

const facet = sharedFacet({ env: LIMITS });

/** Sends bytes and expects a normal (non-error) answer with `status` on an open connection. */
async function expectAccepted(bytes, status) {
  const c = await RawClient.connect(facet().port);
  try {
    await c.write(bytes);
    const res = await c.response({ timeoutMs: 3000 });
    assert.equal(res.status, status, `got ${res.status} ${res.body}`);
    return res;
  } finally {
    c.destroy();
  }
}

function headers(n, valueLength = 10) {
  return Array.from({ length: n }, (_, i) => [`X-Filler-${i}`, 'v'.repeat(valueLength)]);
}

describe('request line (FACET_MAX_REQUEST_LINE=256)', () => {
  test('a 200-byte request line is accepted', async () => {
    const target = `/${'a'.repeat(200 - 'GET / HTTP/1.1'.length)}`;
    await expectAccepted(request('GET', target), 404);
  });

  test('a 400-byte request line is 414 and the connection closed', async () => {
    await expectRejected(facet().port, request('GET', `/${'a'.repeat(400)}`), 414);
  });

  test('an endless request line is 414 without waiting for its end', async () => {
    // Had the server waited for the end of the line, the answer would be 408.
    await expectRejected(facet().port, `GET /${'a'.repeat(2000)}`, 414, { followUp: false });
  });

  test('414 is logged as a request line with its status', async () => {
    const since = facet().logs.length;
    await expectRejected(facet().port, request('GET', `/${'b'.repeat(400)}`), 414);
    const line = await facet().waitForLog({ msg: 'request', status: 414 }, { since });
    assert.equal(typeof line.request_id, 'string');
  });
});

describe('head size (FACET_MAX_HEADER_SIZE=1KiB) and header count (FACET_MAX_HEADERS=10)', () => {
  test('an 800-byte head is accepted', async () => {
    await expectAccepted(request('GET', '/healthz', { headers: [['X-Big', 'x'.repeat(750)]] }), 200);
  });

  test('one 2000-byte header is 431 and the connection closed', async () => {
    await expectRejected(facet().port, request('GET', '/healthz', { headers: [['X-Big', 'x'.repeat(2000)]] }), 431);
  });

  test('many medium headers adding up past the size are 431', async () => {
    await expectRejected(facet().port, request('GET', '/healthz', { headers: headers(8, 150) }), 431);
  });

  test('an endless header is 431 without waiting for its end', async () => {
    // Had the server waited for the end of the head, the answer would be 408.
    await expectRejected(facet().port, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Long: ${'y'.repeat(3000)}`, 431, { followUp: false });
  });

  test('exactly 10 header fields are accepted', async () => {
    await expectAccepted(request('GET', '/healthz', { headers: headers(9) }), 200); // Host + 9
  });

  test('11 header fields are 431 and the connection closed', async () => {
    await expectRejected(facet().port, request('GET', '/healthz', { headers: headers(10) }), 431); // Host + 10
  });

  test('300 tiny header fields are 431', async () => {
    const lines = Array.from({ length: 300 }, (_, i) => `a${i}:b\r\n`).join('');
    await expectRejected(facet().port, `GET /healthz HTTP/1.1\r\nHost: x\r\n${lines}\r\n`, 431);
  });
});

describe('body (FACET_MAX_BODY_SIZE=100)', () => {
  test('a 100-byte body is accepted and read', async () => {
    await expectAccepted(request('POST', '/healthz', { body: 'z'.repeat(100) }), 405);
  });

  test('Content-Length: 101 is 413 at once, before any body is sent', async () => {
    // Had the server waited for the body, the answer would be 408.
    await expectRejected(facet().port, request('POST', '/healthz', { headers: [['Content-Length', '101']] }), 413, { followUp: false });
  });

  test('Content-Length: 101 with the body sent is 413 and closed', async () => {
    await expectRejected(facet().port, request('POST', '/healthz', { body: 'z'.repeat(101) }), 413);
  });

  test('a Content-Length too large for 64 bits is rejected', async () => {
    await expectRejected(
      facet().port,
      request('POST', '/healthz', { headers: [['Content-Length', '99999999999999999999999']] }),
      [400, 413],
      { followUp: false },
    );
  });

  test('a 100-byte chunked body is accepted', async () => {
    const body = `32\r\n${'c'.repeat(50)}\r\n32\r\n${'d'.repeat(50)}\r\n0\r\n\r\n`;
    await expectAccepted(Buffer.concat([request('POST', '/healthz', { headers: [['Transfer-Encoding', 'chunked']] }), Buffer.from(body)]), 405);
  });

  test('chunks adding up to 120 bytes are 413 and the connection closed', async () => {
    const chunk = `28\r\n${'c'.repeat(40)}\r\n`;
    const bytes = Buffer.concat([
      request('POST', '/healthz', { headers: [['Transfer-Encoding', 'chunked']] }),
      Buffer.from(chunk.repeat(3) + '0\r\n\r\n'),
    ]);
    await expectRejected(facet().port, bytes, 413);
  });

  test('one chunk announcing 4 KiB is 413 before its data arrives', async () => {
    const bytes = Buffer.concat([
      request('POST', '/healthz', { headers: [['Transfer-Encoding', 'chunked']] }),
      Buffer.from('1000\r\n'),
    ]);
    // Had the server waited for the chunk data, the answer would be 408.
    await expectRejected(facet().port, bytes, 413, { followUp: false });
  });

  test('Expect: 100-continue with a too large body is 413 without an interim 100', async () => {
    const { res } = await expectRejected(
      facet().port,
      request('POST', '/healthz', { headers: [['Content-Length', '5000'], ['Expect', '100-continue']] }),
      413,
      { followUp: false },
    );
    assert.notEqual(res.status, 100);
  });

  test("a 413's request log line carries the X-Request-Id of the answer", async () => {
    // Refused at the head: the server makes the id.
    const since = facet().logs.length;
    const { res } = await expectRejected(facet().port, request('POST', '/healthz', { headers: [['Content-Length', '101']] }), 413, { followUp: false });
    const id = res.headers['x-request-id'];
    const line = await facet().waitForLog({ msg: 'request', status: 413 }, { since });
    assert.equal(line.request_id, id);
    // Refused in the body: the request had its id (here the client's) and its head.
    const chunk = `28\r\n${'c'.repeat(40)}\r\n`;
    const bytes = Buffer.concat([
      request('POST', '/healthz', { headers: [['Transfer-Encoding', 'chunked'], ['X-Request-Id', 'e2e-413-chunked']] }),
      Buffer.from(chunk.repeat(3)),
    ]);
    const chunked = await expectRejected(facet().port, bytes, 413, { followUp: false });
    assert.equal(chunked.res.headers['x-request-id'], 'e2e-413-chunked');
    const logged = await facet().waitForLog({ msg: 'request', request_id: 'e2e-413-chunked' }, { since });
    assert.deepEqual([logged.status, logged.method, logged.path], [413, 'POST', '/healthz']);
  });
});

describe('timeouts (FACET_REQUEST_TIMEOUT=500ms, FACET_IDLE_TIMEOUT=1s)', () => {
  test('a half-sent head is answered 408 after the request timeout, then closed', async () => {
    const { elapsed } = await expectRejected(facet().port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n', 408, { followUp: false, timeoutMs: 3000 });
    assert.ok(elapsed >= 400 && elapsed < 2000, `408 after ${elapsed} ms`);
  });

  test('a body that stops halfway is answered 408, then closed', async () => {
    const bytes = Buffer.concat([request('POST', '/healthz', { headers: [['Content-Length', '10']] }), Buffer.from('12345')]);
    const { elapsed } = await expectRejected(facet().port, bytes, 408, { followUp: false, timeoutMs: 3000 });
    assert.ok(elapsed >= 400 && elapsed < 2000, `408 after ${elapsed} ms`);
  });

  test('trickling a byte every 100 ms does not extend the request timeout', async () => {
    const c = await RawClient.connect(facet().port);
    const t0 = Date.now();
    try {
      await c.write('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ');
      while (!c.gone && Date.now() - t0 < 3000) {
        await sleep(100);
        if (!c.gone) await c.write('s').catch(() => {});
      }
      const elapsed = Date.now() - t0;
      assert.ok(c.gone, 'the server never gave up on the trickling client');
      assert.ok(elapsed < 2000, `closed after ${elapsed} ms`);
      const [res] = await c.responses(1).catch(() => [null]);
      assert.ok(res, `no 408 before the close: ${c.describe()}`);
      assertErrorResponse(res, 408);
    } finally {
      c.destroy();
    }
  });

  test('an idle keep-alive connection is closed silently after the idle timeout', async () => {
    const c = await RawClient.connect(facet().port);
    try {
      await c.write(request('GET', '/healthz'));
      assert.equal((await c.response()).status, 200);
      const t0 = Date.now();
      assert.equal(await c.stillOpenAfter(600), true, 'closed before the idle timeout (it should not use the 500 ms request timeout)');
      const rest = await c.closedByServer(2500);
      assert.equal(rest.length, 0, `bytes sent on an idle close: ${c.describe()}`);
      assert.ok(Date.now() - t0 < 3000, `closed after ${Date.now() - t0} ms`);
    } finally {
      c.destroy();
    }
  });

  test('a connection still in use before its idle timeout is not closed', async () => {
    const c = await RawClient.connect(facet().port);
    try {
      for (let i = 0; i < 4; i++) {
        await c.write(request('GET', '/healthz'));
        assert.equal((await c.response()).status, 200);
        await sleep(400); // 4 × 400 ms > the 1 s idle timeout in total
      }
      assert.equal(c.gone, false);
    } finally {
      c.destroy();
    }
  });
});
