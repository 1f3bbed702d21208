// Malformed and ambiguous requests (request smuggling vectors) are refused
// with 400 and the connection closed, so nothing pipelined behind them is
// ever answered; unsupported versions, codings and expectations get 505,
// 501 and 417 (issue 2, point 7).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sharedFacet } from './lib/facet.mjs';
import { expectRejected } from './lib/expect.mjs';
import { exchange } from './lib/raw.mjs';

const facet = sharedFacet({ env: { FACET_REQUEST_TIMEOUT: '2s' } });

const H = 'Host: facet.test\r\n';

// [name, request bytes, statuses (default 400)]: each must be answered with
// an error, then the connection closed.
const BAD_REQUESTS = [
  ['Content-Length with Transfer-Encoding: chunked',
    `POST /healthz HTTP/1.1\r\n${H}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`],
  ['Transfer-Encoding: chunked with Content-Length (other order)',
    `POST /healthz HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n`],
  ['two conflicting Content-Length headers',
    `POST /healthz HTTP/1.1\r\n${H}Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!`],
  ['a Content-Length list with different values',
    `POST /healthz HTTP/1.1\r\n${H}Content-Length: 5, 6\r\n\r\nhello!`],
  ['a non-numeric Content-Length',
    `POST /healthz HTTP/1.1\r\n${H}Content-Length: abc\r\n\r\n`],
  ['a negative Content-Length',
    `POST /healthz HTTP/1.1\r\n${H}Content-Length: -1\r\n\r\n`],
  ['a Content-Length with a plus sign',
    `POST /healthz HTTP/1.1\r\n${H}Content-Length: +5\r\n\r\nhello`],
  ['a Content-Length in hex',
    `POST /healthz HTTP/1.1\r\n${H}Content-Length: 0x5\r\n\r\nhello`],
  ['Transfer-Encoding with chunked not last',
    `POST /healthz HTTP/1.1\r\n${H}Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n`],
  ['Transfer-Encoding: chunked twice',
    `POST /healthz HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`],
  ['Transfer-Encoding in an HTTP/1.0 request',
    'POST /healthz HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
  ['a bare CR inside a header value',
    `GET /healthz HTTP/1.1\r\n${H}X-A: a\rb\r\n\r\n`],
  ['a bare CR ending the request line',
    `GET /healthz HTTP/1.1\r${H}\r\n`],
  ['a bare CR ending a header line',
    `GET /healthz HTTP/1.1\r\n${H}X-A: a\r\r\n`],
  ['bare LF line endings',
    'GET /healthz HTTP/1.1\nHost: facet.test\n\n'],
  ['a bare LF ending one header line',
    `GET /healthz HTTP/1.1\r\n${H}X-A: a\nX-B: b\r\n\r\n`],
  ['obs-fold continuation line',
    `GET /healthz HTTP/1.1\r\n${H}X-A: a\r\n  folded\r\n\r\n`],
  ['obs-fold in Transfer-Encoding',
    `POST /healthz HTTP/1.1\r\n${H}Transfer-Encoding: identity,\r\n chunked\r\n\r\n0\r\n\r\n`],
  ['obs-fold in Content-Length',
    `POST /healthz HTTP/1.1\r\n${H}Content-Length:\r\n 5\r\n\r\nhello`],
  ['whitespace between a header name and the colon',
    `GET /healthz HTTP/1.1\r\n${H}X-A : a\r\n\r\n`],
  ['whitespace before the colon of Transfer-Encoding',
    `POST /healthz HTTP/1.1\r\n${H}Transfer-Encoding : chunked\r\nContent-Length: 5\r\n\r\nhello`],
  ['HTTP/1.1 without Host',
    'GET /healthz HTTP/1.1\r\nX-A: a\r\n\r\n'],
  ['two Host headers',
    `GET /healthz HTTP/1.1\r\n${H}Host: other.test\r\n\r\n`],
  ['a header without a colon',
    `GET /healthz HTTP/1.1\r\n${H}NoColonHere\r\n\r\n`],
  ['an empty header name',
    `GET /healthz HTTP/1.1\r\n${H}: value\r\n\r\n`],
  ['a space inside a header name',
    `GET /healthz HTTP/1.1\r\n${H}X A: b\r\n\r\n`],
  ['a NUL byte in a header value',
    `GET /healthz HTTP/1.1\r\n${H}X-A: a\0b\r\n\r\n`],
  ['a request line with two spaces',
    `GET  /healthz HTTP/1.1\r\n${H}\r\n`],
  ['a request line with a trailing word',
    `GET /healthz HTTP/1.1 extra\r\n${H}\r\n`],
  ['a lower-case protocol name',
    `GET /healthz http/1.1\r\n${H}\r\n`, [400, 505]],
  ['a control character in the target',
    `GET /health\x01z HTTP/1.1\r\n${H}\r\n`],
  ['a chunk size that is not hex',
    `POST /healthz HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n`],
  ['chunk data longer than its size',
    `POST /healthz HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n`],
  ['a chunk size overflowing 64 bits',
    `POST /healthz HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n1${'0'.repeat(20)}\r\nhello\r\n0\r\n\r\n`, [400, 413]],
  ['a chunk size with a bare LF',
    `POST /healthz HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n`],
];

describe('smuggling and malformed requests: 400, then closed', () => {
  for (const [name, bytes, statuses = 400] of BAD_REQUESTS) {
    test(name, async () => {
      await expectRejected(facet().port, Buffer.from(bytes, 'latin1'), statuses, { label: name });
    });
  }

  test('a 400 is logged with its status', async () => {
    const since = facet().logs.length;
    await expectRejected(facet().port, `GET /healthz HTTP/1.1\r\n${H}X-A : a\r\n\r\n`, 400);
    await facet().waitForLog({ msg: 'request', status: 400 }, { since });
  });
});

describe('unsupported versions, codings and expectations', () => {
  test('HTTP/2.0 on the request line is 505, then closed', async () => {
    await expectRejected(facet().port, `GET /healthz HTTP/2.0\r\n${H}\r\n`, 505);
  });

  test('HTTP/3.0 on the request line is 505, then closed', async () => {
    await expectRejected(facet().port, `GET /healthz HTTP/3.0\r\n${H}\r\n`, 505);
  });

  test('Transfer-Encoding: gzip, chunked is 501, then closed', async () => {
    await expectRejected(
      facet().port,
      `POST /healthz HTTP/1.1\r\n${H}Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n`,
      501,
    );
  });

  test('an unknown coding before chunked is 501', async () => {
    await expectRejected(
      facet().port,
      `POST /healthz HTTP/1.1\r\n${H}Transfer-Encoding: frobnicate, chunked\r\n\r\n0\r\n\r\n`,
      501,
    );
  });

  test('Transfer-Encoding: gzip alone (no chunked) is refused', async () => {
    await expectRejected(facet().port, `POST /healthz HTTP/1.1\r\n${H}Transfer-Encoding: gzip\r\n\r\n`, [400, 501]);
  });

  test('an unknown Expect is 417, then closed', async () => {
    await expectRejected(
      facet().port,
      `POST /healthz HTTP/1.1\r\n${H}Expect: teleport\r\nContent-Length: 5\r\n\r\nhello`,
      417,
    );
  });

  test('Expect: 100-continue is case-insensitive', async () => {
    // Not an error: the answer is the route's own (405) on an open connection.
    const r = await exchange(facet().port, `POST /healthz HTTP/1.1\r\n${H}Expect: 100-Continue\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello`);
    const finals = r.responses.filter((x) => x.status >= 200);
    assert.deepEqual(finals.map((x) => x.status), [405]);
  });
});

test('no request above got through to a route', () => {
  // Every follow-up request carried this id; none may have been answered.
  assert.deepEqual(facet().logsWhere({ msg: 'request', request_id: 'must-not-be-answered' }), []);
});
