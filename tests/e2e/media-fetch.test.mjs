// URL ingest under the SSRF policy (issue 7, point 2): media_fetch_url driven
// through fetch_tool (tests/tools/fetch_tool.c, built next to the unit tests
// of FACET_BIN's build, or FACET_FETCH_TOOL) against Node HTTP servers on
// loopback. Each refused case also checks that no request reached a server.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FACET_BIN, sanitizerReport } from './lib/facet.mjs';

const TOOL = path.resolve(process.env.FACET_FETCH_TOOL || path.join(path.dirname(FACET_BIN), 'tests', 'fetch_tool'));
const BODY = crypto.randomBytes(3000);
const BODY_SHA = crypto.createHash('sha256').update(BODY).digest('hex');

/** Runs fetch_tool on url with env; resolves its parsed JSON line. */
function fetchTool(url, env = {}) {
  const base = { PATH: process.env.PATH };
  for (const k of ['ASAN_OPTIONS', 'UBSAN_OPTIONS', 'LSAN_OPTIONS']) if (process.env[k]) base[k] = process.env[k];
  return new Promise((resolve, reject) => {
    execFile(TOOL, [url], { env: { ...base, ...env }, timeout: 20000 }, (err, stdout, stderr) => {
      const report = sanitizerReport(stderr);
      if (report) return reject(new Error(`sanitizer report from fetch_tool ${url}:\n${report}`));
      if (err) return reject(new Error(`fetch_tool ${url} failed: ${err.message}\n${stderr}`));
      try {
        resolve(JSON.parse(stdout));
      } catch (e) {
        reject(new Error(`fetch_tool ${url} printed ${JSON.stringify(stdout)}: ${e.message}`));
      }
    });
  });
}

/** An HTTP server with the routes the tests need; counts the requests it serves. */
function testServer() {
  const hits = [];
  const server = http.createServer((req, res) => {
    hits.push({ url: req.url, headers: req.headers });
    const u = new URL(req.url, 'http://x');
    const m = /^\/chain\/(\d+)$/.exec(u.pathname);
    if (u.pathname === '/ok') {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': BODY.length });
      res.end(BODY);
    } else if (m) {
      const n = Number(m[1]);
      if (n === 0) return res.end(BODY);
      res.writeHead(302, { location: `/chain/${n - 1}` }); // relative, resolved against this hop
      res.end('moved');
    } else if (u.pathname === '/redirect') {
      res.writeHead(Number(u.searchParams.get('code') ?? 302), { location: u.searchParams.get('to') });
      res.end();
    } else if (u.pathname === '/status') {
      res.writeHead(Number(u.searchParams.get('code')));
      res.end('no');
    } else if (u.pathname === '/big-length') {
      // Announces more than the limit; the client must stop at the head.
      res.writeHead(200, { 'content-length': 1 << 20 });
      res.write(Buffer.alloc(1024));
      setTimeout(() => res.destroy(), 2000);
    } else if (u.pathname === '/big-chunked') {
      res.writeHead(200); // no length: Node sends chunked
      let sent = 0;
      const pump = () => {
        while (sent < (1 << 20)) {
          sent += 16384;
          if (!res.write(Buffer.alloc(16384))) return res.once('drain', pump);
        }
        res.end();
      };
      pump();
    } else if (u.pathname === '/slow') {
      res.writeHead(200, { 'content-length': 100 });
      res.write('x'); // then nothing for longer than the test's timeout
      setTimeout(() => res.destroy(), 5000);
    } else if (u.pathname === '/headers') {
      res.end(JSON.stringify(req.headers));
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  return { server, hits };
}

function listen(server, host) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve(server.address().port));
  });
}

// A server that answers HTTP/1.0 style: no length, the body ends at close.
function closeDelimitedServer() {
  return net.createServer((sock) => {
    sock.once('data', () => {
      sock.write('HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n');
      let sent = 0;
      const pump = () => {
        while (sent < (1 << 20)) {
          sent += 16384;
          if (!sock.write(Buffer.alloc(16384))) return sock.once('drain', pump);
        }
        sock.end();
      };
      pump();
    });
    sock.on('error', () => {});
  });
}

const missing = fs.existsSync(TOOL) ? false : `${TOOL} is not built (target fetch_tool)`;

describe('media fetch under the SSRF policy', { skip: missing }, () => {
  const pub = testServer(); // the "allowed" server, 127.0.0.1
  const internal = testServer(); // the "internal" one, 127.0.0.2 and ::1
  const internal6 = http.createServer(internal.server.listeners('request')[0]);
  const raw = closeDelimitedServer();
  let port, iport, i6port, rawPort;
  const ALLOW = { FETCH_ALLOW: '127.0.0.1/32' };
  const url = (p, host = '127.0.0.1') => `http://${host}:${port}${p}`;

  before(async () => {
    port = await listen(pub.server, '127.0.0.1');
    iport = await listen(internal.server, '127.0.0.2');
    i6port = await listen(internal6, '::1');
    rawPort = await listen(raw, '127.0.0.1');
  });
  after(() => {
    for (const s of [pub.server, internal.server, internal6, raw]) s.close();
    pub.server.closeAllConnections();
    internal.server.closeAllConnections();
  });

  /** Asserts a refused fetch: error kind, message, and that no server saw a request. */
  async function refused(u, env, error, message) {
    const before = pub.hits.length + internal.hits.length;
    const r = await fetchTool(u, env);
    assert.equal(r.ok, false, `${u} was fetched: ${JSON.stringify(r)}`);
    assert.equal(r.error, error, `${u}: ${JSON.stringify(r)}`);
    if (message) assert.match(r.message, message, u);
    return { r, newHits: pub.hits.length + internal.hits.length - before };
  }

  test('an allowed address is fetched: body, status, size', async () => {
    const r = await fetchTool(url('/ok'), ALLOW);
    assert.deepEqual(r, { ok: true, rc: 'ok', error: 'ok', message: '', status: 200, bytes: BODY.length, redirects: 0, sha256: BODY_SHA });
  });

  test('without the allow-list, loopback is refused before any request', async () => {
    const { newHits } = await refused(url('/ok'), {}, 'forbidden', /forbidden address \(loopback\)/);
    assert.equal(newHits, 0);
  });

  test('every notation of loopback is refused', async () => {
    const hosts = ['127.0.0.1', '2130706433', '0x7f000001', '0x7f.1', '0x7f.0.0.1', '0177.0.0.1', '017700000001',
      '127.1', '127.0.1', '[::1]', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '[0:0:0:0:0:ffff:7f00:1]', 'localhost', '127.0.0.1.',
      '%31%32%37.0.0.1'];
    for (const h of hosts) {
      const { newHits } = await refused(`http://${h}:${port}/ok`, {}, 'forbidden', /loopback/);
      assert.equal(newHits, 0, h);
    }
  });

  test('other forbidden ranges are refused', async () => {
    for (const [h, why] of [['169.254.169.254', 'metadata'], ['0xa9fea9fe', 'metadata'], ['[fd00:ec2::254]', 'metadata'],
      ['10.0.0.1', 'private'], ['192.168.1.1', 'private'], ['[fe80::1%25lo]', 'link-local'], ['0.0.0.0', 'unspecified'],
      ['[::]', 'unspecified'], ['224.0.0.1', 'multicast'], ['100.64.0.1', 'shared'], ['[64:ff9b::7f00:1]', 'loopback'],
      ['[2002:7f00:1::]', 'loopback'], ['[::ffff:a9fe:a9fe]', 'metadata']]) {
      await refused(`http://${h}/`, ALLOW, 'forbidden', new RegExp(why));
    }
  });

  test('the allow-list permits what it names and nothing more', async () => {
    // Any notation of the allowed address reaches it ...
    for (const h of ['2130706433', '0x7f.1', '[::ffff:127.0.0.1]']) {
      const r = await fetchTool(`http://${h}:${port}/ok`, ALLOW);
      assert.equal(r.ok, true, `${h}: ${JSON.stringify(r)}`);
    }
    // ... and its neighbours stay refused.
    const { newHits } = await refused(`http://127.0.0.2:${iport}/ok`, ALLOW, 'forbidden', /loopback/);
    assert.equal(newHits, 0);
    await refused(`http://[::1]:${i6port}/ok`, ALLOW, 'forbidden', /loopback/);
    assert.equal(internal.hits.length, 0);
  });

  test('a name that resolves to loopback is refused at connect time', async () => {
    const { newHits } = await refused(`http://localhost:${port}/ok`, {}, 'forbidden', /loopback/);
    assert.equal(newHits, 0);
    // A public-looking name pinned (as a rebinding DNS server would answer) to an internal address.
    const pin = { FETCH_RESOLVE: `images.example.com:${iport}:127.0.0.2` };
    await refused(`http://images.example.com:${iport}/ok`, { ...ALLOW, ...pin }, 'forbidden', /loopback/);
    assert.equal(internal.hits.length, 0);
    // The same pin to the allowed address goes through: the check is on the address.
    const r = await fetchTool(`http://images.example.com:${port}/ok`, { ...ALLOW, FETCH_RESOLVE: `images.example.com:${port}:127.0.0.1` });
    assert.equal(r.ok, true, JSON.stringify(r));
  });

  test('a redirect from an allowed address to a forbidden one is refused', async () => {
    const targets = [`http://127.0.0.2:${iport}/ok`, `http://0x7f000002:${iport}/ok`, `http://[::1]:${i6port}/ok`,
      `http://localhost:${iport}/ok`, 'http://169.254.169.254/latest/meta-data/', `http://internal.test:${iport}/ok`];
    const env = { ...ALLOW, FETCH_RESOLVE: `internal.test:${iport}:127.0.0.2` };
    for (const to of targets) {
      const { r } = await refused(url(`/redirect?to=${encodeURIComponent(to)}`), env, 'forbidden', /^redirect leads to a forbidden address/);
      assert.equal(r.redirects, 1, to);
    }
    for (const code of [301, 303, 307, 308]) {
      await refused(url(`/redirect?code=${code}&to=${encodeURIComponent(targets[0])}`), env, 'forbidden');
    }
    assert.equal(internal.hits.length, 0);
  });

  test('redirects are followed up to the limit', async () => {
    const r = await fetchTool(url('/chain/3'), ALLOW);
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.equal(r.redirects, 3);
    assert.equal(r.sha256, BODY_SHA);
    const many = await refused(url('/chain/4'), ALLOW, 'too_many_redirects', /more than 3 redirects/);
    assert.equal(many.r.redirects, 3);
    await refused(url('/chain/2'), { ...ALLOW, FETCH_MAX_REDIRECTS: '1' }, 'too_many_redirects', /more than 1 redirects/);
    await refused(url('/chain/1'), { ...ALLOW, FETCH_MAX_REDIRECTS: '0' }, 'too_many_redirects', /more than 0 redirects/);
    const five = await fetchTool(url('/chain/5'), { ...ALLOW, FETCH_MAX_REDIRECTS: '5' });
    assert.equal(five.ok, true, JSON.stringify(five));
  });

  test('too large: announced length, chunked, and close-delimited bodies', async () => {
    const limit = { ...ALLOW, FETCH_MAX_BYTES: '100000' };
    const t0 = Date.now();
    await refused(url('/big-length'), limit, 'too_large', /larger than 100000 bytes/);
    assert.ok(Date.now() - t0 < 1500, 'refused at the head, not after the server gave up');
    await refused(url('/big-chunked'), limit, 'too_large', /larger than 100000 bytes/);
    await refused(`http://127.0.0.1:${rawPort}/`, limit, 'too_large', /larger than 100000 bytes/);
    // Exactly at the limit is fine.
    const r = await fetchTool(url('/ok'), { ...ALLOW, FETCH_MAX_BYTES: String(BODY.length) });
    assert.equal(r.ok, true, JSON.stringify(r));
    await refused(url('/ok'), { ...ALLOW, FETCH_MAX_BYTES: String(BODY.length - 1) }, 'too_large');
  });

  test('a slow server times out', async () => {
    const t0 = Date.now();
    await refused(url('/slow'), { ...ALLOW, FETCH_TIMEOUT_MS: '500' }, 'timeout', /timed out/);
    const took = Date.now() - t0;
    assert.ok(took >= 400 && took < 3000, `took ${took} ms`);
    // The total covers the whole redirect chain.
    await refused(url(`/redirect?to=${encodeURIComponent('/slow')}`), { ...ALLOW, FETCH_TIMEOUT_MS: '500' }, 'timeout');
  });

  test('only http and https', async () => {
    for (const u of ['ftp://127.0.0.1/x', 'file:///etc/passwd', 'gopher://127.0.0.1/', 'dict://127.0.0.1:11211/stat',
      'ldap://127.0.0.1/', 'FILE:///etc/hosts']) {
      await refused(u, ALLOW, 'bad_scheme', /http and https only/);
    }
    const { r } = await refused(url(`/redirect?to=${encodeURIComponent('file:///etc/passwd')}`), ALLOW, 'bad_scheme', /^redirect scheme "file"/);
    assert.equal(r.redirects, 1);
    await refused(url(`/redirect?to=${encodeURIComponent(`ftp://127.0.0.1:${port}/`)}`), ALLOW, 'bad_scheme');
    await refused('not a url', ALLOW, 'bad_url');
    await refused('/relative/path', ALLOW, 'bad_url');
    await refused('http://foo.127/', ALLOW, 'bad_url');
  });

  test('a status other than 2xx is an error naming it', async () => {
    for (const code of [404, 500, 204]) {
      const r = await fetchTool(url(`/status?code=${code}`), ALLOW);
      if (code === 204) {
        assert.equal(r.ok, true, JSON.stringify(r)); // 2xx with no body: the caller finds no image
        assert.equal(r.bytes, 0);
        continue;
      }
      assert.equal(r.error, 'http_status');
      assert.equal(r.message, `HTTP status ${code}`);
      assert.equal(r.status, code);
    }
    // A 3xx that is no redirect (no Location) is not success either.
    await refused(url('/status?code=304'), ALLOW, 'http_status', /HTTP status 304/);
  });

  test('proxies from the environment are ignored; the request is a plain GET', async () => {
    const dead = 'http://127.0.0.1:1';
    const r = await fetchTool(url('/headers'), { ...ALLOW, http_proxy: dead, HTTP_PROXY: dead, all_proxy: dead, ALL_PROXY: dead });
    assert.equal(r.ok, true, JSON.stringify(r));
    const seen = pub.hits.at(-1);
    assert.equal(seen.url, '/headers');
    assert.match(seen.headers['user-agent'], /^facet\//);
    assert.equal(seen.headers['accept-encoding'], undefined);
  });
});
