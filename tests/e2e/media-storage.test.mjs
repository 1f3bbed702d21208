// Media storage (issue 7, points 5 and 6): the fs and s3 providers driven by
// tests/tools/media_tool, the s3 one against s3rver with the objects and
// their headers checked on the store, pre-signed PUT URLs, credentials from
// a container endpoint, and /media/ served by the real facet binary.
//
// s3rver checks access keys and the expiry of pre-signed URLs but not SigV4
// signatures, so the S3 requests go through a proxy written here that
// checks every signature itself (an implementation independent of the C
// one) before passing the request on.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FACET_BIN, sanitizerReport, scratchDir, startFacet, useFacetCleanup } from './lib/facet.mjs';
import { RawClient, get, request } from './lib/raw.mjs';
import { startS3 } from './lib/services.mjs';

const TOOL = path.join(path.dirname(FACET_BIN), 'tests', 'media_tool');
const OID = '65f1a2b3c4d5e6f708192a3b';
const IMMUTABLE = 'public, max-age=31536000, immutable';

useFacetCleanup();

/** Runs media_tool with `env` only (plus what a process needs). */
function tool(args, env) {
  const base = {};
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'ASAN_OPTIONS', 'UBSAN_OPTIONS', 'LSAN_OPTIONS']) {
    if (process.env[k] !== undefined) base[k] = process.env[k];
  }
  return new Promise((resolve, reject) => {
    execFile(TOOL, args, { env: { ...base, ...env }, encoding: 'buffer', timeout: 30000 }, (err, stdout, stderr) => {
      const text = stderr.toString('utf8');
      const report = sanitizerReport(text);
      if (report) return reject(new Error(`sanitizer report from media_tool ${args.join(' ')}:\n${report}`));
      if (err && typeof err.code !== 'number') return reject(err);
      resolve({ code: err ? err.code : 0, stdout, stderr: text });
    });
  });
}

async function toolOk(args, env) {
  const r = await tool(args, env);
  assert.equal(r.code, 0, `media_tool ${args.join(' ')} failed: ${r.stderr}`);
  return r;
}

// ---- SigV4, checked independently ----------------------------------------

const rfc3986 = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const sha256 = (data) => crypto.createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => crypto.createHmac('sha256', key).update(data).digest();

function canonicalQuery(raw, { skipSignature }) {
  const pairs = [];
  for (const item of raw.split('&')) {
    if (!item) continue;
    const i = item.indexOf('=');
    const k = decodeURIComponent(i < 0 ? item : item.slice(0, i));
    const v = i < 0 ? '' : decodeURIComponent(item.slice(i + 1));
    if (skipSignature && k === 'X-Amz-Signature') continue;
    pairs.push([rfc3986(k), rfc3986(v)]);
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/** Verifies a request's SigV4 (Authorization header or query); returns a reason, or null when it is good. */
function sigv4Problem(req, body, secrets) {
  const [rawPath, rawQuery = ''] = req.url.split(/\?(.*)/s);
  const query = new URLSearchParams(rawQuery);
  let accessKey, date, region, service, signedHeaders, signature, amzDate, payloadHash;
  const presigned = query.has('X-Amz-Algorithm');
  if (presigned) {
    [accessKey, date, region, service] = (query.get('X-Amz-Credential') ?? '').split('/');
    signedHeaders = query.get('X-Amz-SignedHeaders') ?? '';
    signature = query.get('X-Amz-Signature');
    amzDate = query.get('X-Amz-Date') ?? '';
    payloadHash = 'UNSIGNED-PAYLOAD';
  } else {
    const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(req.headers.authorization ?? '');
    if (!m) return 'no SigV4 Authorization header';
    [, accessKey, date, region, service, signedHeaders, signature] = m;
    amzDate = req.headers['x-amz-date'] ?? '';
    payloadHash = req.headers['x-amz-content-sha256'] ?? '';
    if (payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== sha256(body)) return 'payload hash mismatch';
    for (const h of ['host', 'x-amz-date', 'x-amz-content-sha256']) {
      if (!signedHeaders.split(';').includes(h)) return `${h} is not signed`;
    }
  }
  if (!secrets[accessKey]) return `unknown access key ${accessKey}`;
  if (!amzDate.startsWith(date) || service !== 's3') return 'bad credential scope';
  const headerLines = [];
  for (const name of signedHeaders.split(';')) {
    const values = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      if (req.rawHeaders[i].toLowerCase() === name) values.push(req.rawHeaders[i + 1].trim().replace(/\s+/g, ' '));
    }
    if (!values.length) return `signed header ${name} is missing`;
    headerLines.push(`${name}:${values.join(',')}\n`);
  }
  const canonical = [req.method, rawPath, canonicalQuery(rawQuery, { skipSignature: presigned }), headerLines.join(''), signedHeaders, payloadHash].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  let key = hmac(`AWS4${secrets[accessKey]}`, date);
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
  const expected = hmac(key, toSign).toString('hex');
  return expected === signature ? null : 'signature mismatch';
}

/** A proxy in front of the store that refuses any request whose signature does not verify. */
async function verifyingProxy(targetUrl, secrets) {
  const target = new URL(targetUrl);
  const stats = { verified: 0, refused: [], tokens: [] };
  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks);
    const problem = sigv4Problem(req, body, secrets);
    if (problem) {
      stats.refused.push(problem);
      res.writeHead(403, { 'Content-Type': 'application/xml' });
      res.end(`<?xml version="1.0"?><Error><Code>SignatureDoesNotMatch</Code><Message>${problem}</Message></Error>`);
      return;
    }
    stats.verified++;
    if (req.headers['x-amz-security-token']) stats.tokens.push(req.headers['x-amz-security-token']);
    const up = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (ur) => {
      res.writeHead(ur.statusCode, ur.headers);
      ur.pipe(res);
    });
    up.on('error', (e) => {
      res.writeHead(502);
      res.end(String(e));
    });
    up.end(body);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}`, stats, close: () => new Promise((r) => server.close(r)) };
}

const uniq = () => `${Date.now().toString(16)}${crypto.randomBytes(4).toString('hex')}`;

function writeTemp(name, data) {
  const file = path.join(scratchDir(), name);
  fs.writeFileSync(file, data);
  return file;
}

// ---- fs --------------------------------------------------------------------

describe('fs provider', () => {
  test('put, head, get, url and delete under <data dir>/media', async () => {
    const dataDir = fs.mkdtempSync(path.join(scratchDir(), 'fs-'));
    const env = { FACET_STORAGE: 'fs', FACET_DATA_DIR: dataDir };
    const key = `images/${OID}/thumb.webp`;
    const bytes = crypto.randomBytes(3000);
    await toolOk(['put', key, writeTemp('fs-thumb', bytes), 'image/webp'], env);
    assert.deepEqual(fs.readFileSync(path.join(dataDir, 'media', key)), bytes);
    const info = JSON.parse((await toolOk(['head', key], env)).stdout);
    assert.equal(info.size, 3000);
    assert.equal(info.contentType, 'image/webp');
    assert.equal(info.cacheControl, IMMUTABLE);
    assert.match(info.etag, /^"[0-9a-f]+-[0-9a-f]+-[0-9a-f]+"$/);
    assert.deepEqual((await toolOk(['get', key], env)).stdout, bytes);
    assert.equal((await toolOk(['url', key], env)).stdout.toString().trim(), `/media/${key}`);
    const cdn = { ...env, FACET_MEDIA_BASE_URL: 'https://d111111abcdef8.cloudfront.net' };
    assert.equal((await toolOk(['url', key], cdn)).stdout.toString().trim(), `https://d111111abcdef8.cloudfront.net/${key}`);
    await toolOk(['delete', key], env);
    assert.equal(fs.existsSync(path.join(dataDir, 'media', 'images', OID)), false);
    const gone = await tool(['head', key], env);
    assert.equal(gone.code, 4, gone.stderr);
  });

  test('keys that would leave the media directory are refused', async () => {
    const dataDir = fs.mkdtempSync(path.join(scratchDir(), 'fs-'));
    const env = { FACET_STORAGE: 'fs', FACET_DATA_DIR: dataDir };
    const file = writeTemp('fs-x', 'x');
    for (const key of ['../escape.webp', '/abs.webp', 'a/../../b.webp', 'a\\b.webp', '.hidden.webp', 'a//b.webp']) {
      const r = await tool(['put', key, file, 'image/webp'], env);
      assert.equal(r.code, 1, `${key}: ${r.stderr}`);
      assert.match(r.stderr, /invalid media key/);
    }
    assert.equal(fs.existsSync(path.join(dataDir, 'escape.webp')), false);
    assert.deepEqual(fs.readdirSync(path.join(dataDir, 'media')), []);
  });
});

// ---- s3 --------------------------------------------------------------------

describe('s3 provider against s3rver', () => {
  let s3;
  let proxy;
  let env;
  before(async () => {
    s3 = await startS3();
    proxy = await verifyingProxy(s3.endpoint, { [s3.accessKey]: s3.secret });
    env = {
      FACET_STORAGE: 's3',
      FACET_S3_BUCKET: s3.bucket,
      FACET_S3_ENDPOINT: proxy.url,
      FACET_S3_PATH_STYLE: '1',
      FACET_S3_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: s3.accessKey,
      AWS_SECRET_ACCESS_KEY: s3.secret,
    };
  });
  after(async () => {
    await proxy?.close();
    await s3?.stop();
  });

  const direct = (key, init) => fetch(`${s3.endpoint}/${s3.bucket}/${key}`, init);

  test('PUT stores the bytes with Content-Type and Cache-Control; HEAD, GET and DELETE', async () => {
    const key = `images/${uniq()}/medium.webp`;
    const bytes = crypto.randomBytes(20000);
    const before = proxy.stats.verified;
    await toolOk(['put', key, writeTemp('s3-medium', bytes), 'image/webp'], env);
    const res = await direct(key);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/webp');
    assert.equal(res.headers.get('cache-control'), IMMUTABLE);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), bytes);
    const etag = res.headers.get('etag');
    assert.equal(etag, `"${crypto.createHash('md5').update(bytes).digest('hex')}"`);

    const info = JSON.parse((await toolOk(['head', key], env)).stdout);
    assert.deepEqual({ size: info.size, contentType: info.contentType, cacheControl: info.cacheControl, etag: info.etag },
      { size: 20000, contentType: 'image/webp', cacheControl: IMMUTABLE, etag });
    assert.deepEqual((await toolOk(['get', key], env)).stdout, bytes);
    const url = (await toolOk(['url', key], env)).stdout.toString().trim();
    assert.equal(url, `${proxy.url}/${s3.bucket}/${key}`);

    await toolOk(['delete', key], env);
    assert.equal((await direct(key)).status, 404);
    assert.equal((await tool(['head', key], env)).code, 4);
    assert.equal((await tool(['get', key], env)).code, 4);
    await toolOk(['delete', key], env); // deleting twice is fine
    assert.equal(proxy.stats.verified - before, 7, 'every request was signed and verified');
    assert.deepEqual(proxy.stats.refused, []);
  });

  test('a key outside the key rules never reaches the store', async () => {
    const before = proxy.stats.verified + proxy.stats.refused.length;
    const r = await tool(['put', 'images/a b.webp', writeTemp('s3-space', 'x'), 'image/webp'], env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /invalid media key/);
    assert.equal(proxy.stats.verified + proxy.stats.refused.length, before);
  });

  test('a wrong secret is refused (SignatureDoesNotMatch), an unknown key by s3rver itself', async () => {
    const key = `images/${OID}/wrong.webp`;
    const file = writeTemp('s3-wrong', 'x');
    const refusedBefore = proxy.stats.refused.length;
    const r = await tool(['put', key, file, 'image/webp'], { ...env, AWS_SECRET_ACCESS_KEY: 'not-the-secret' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /HTTP 403 SignatureDoesNotMatch/);
    assert.deepEqual(proxy.stats.refused.slice(refusedBefore), ['signature mismatch']);
    const r2 = await tool(['put', key, file, 'image/webp'], { ...env, FACET_S3_ENDPOINT: s3.endpoint, AWS_ACCESS_KEY_ID: 'AKIDUNKNOWN' });
    assert.equal(r2.code, 1);
    assert.match(r2.stderr, /HTTP 403 InvalidAccessKeyId/);
    assert.equal((await direct(key)).status, 404);
  });

  test('credentials from a container endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI) with a session token', async () => {
    const requests = [];
    const creds = http.createServer((req, res) => {
      requests.push({ url: req.url, auth: req.headers.authorization });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({
        AccessKeyId: s3.accessKey,
        SecretAccessKey: s3.secret,
        Token: 'session/token+from==ecs',
        Expiration: new Date(Date.now() + 3600e3).toISOString(),
      }));
    });
    await new Promise((r) => creds.listen(0, '127.0.0.1', r));
    try {
      const key = `images/${OID}/from-role.webp`;
      const roleEnv = { ...env, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined,
        AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://127.0.0.1:${creds.address().port}/v1/creds`,
        AWS_CONTAINER_AUTHORIZATION_TOKEN: 'Bearer pod-token' };
      for (const k of Object.keys(roleEnv)) if (roleEnv[k] === undefined) delete roleEnv[k];
      await toolOk(['put', key, writeTemp('s3-role', 'role'), 'image/webp'], roleEnv);
      assert.deepEqual(requests, [{ url: '/v1/creds', auth: 'Bearer pod-token' }]);
      assert.equal(proxy.stats.tokens.at(-1), 'session/token+from==ecs');
      assert.equal(await (await direct(key)).text(), 'role');
      await toolOk(['delete', key], env);
    } finally {
      await new Promise((r) => creds.close(r));
    }
  });

  describe('pre-signed PUT URLs', () => {
    test('s3rver accepts the URL; the object has the signed Content-Type', async () => {
      const key = `videos/${uniq()}/clip.mp4`;
      const url = (await toolOk(['presign-put', key, '300', 'video/mp4'], env)).stdout.toString().trim();
      assert.ok(url.startsWith(`${proxy.url}/${s3.bucket}/${key}?`), url);
      const q = new URL(url).searchParams;
      assert.equal(q.get('X-Amz-Algorithm'), 'AWS4-HMAC-SHA256');
      assert.equal(q.get('X-Amz-Expires'), '300');
      assert.equal(q.get('X-Amz-SignedHeaders'), 'content-type;host');
      assert.match(q.get('X-Amz-Credential'), /^S3RVER\/\d{8}\/us-east-1\/s3\/aws4_request$/);
      const body = crypto.randomBytes(5000);
      const res = await fetch(url, { method: 'PUT', headers: { 'Content-Type': 'video/mp4' }, body });
      assert.equal(res.status, 200, await res.text());
      const stored = await direct(key);
      assert.equal(stored.headers.get('content-type'), 'video/mp4');
      assert.deepEqual(Buffer.from(await stored.arrayBuffer()), body);
      await toolOk(['delete', key], env);
    });

    test('a tampered URL is refused', async () => {
      const key = `videos/${uniq()}/clip.mp4`;
      const url = (await toolOk(['presign-put', key, '300', 'video/mp4'], env)).stdout.toString().trim();
      const put = (u, type = 'video/mp4') => fetch(u, { method: 'PUT', headers: { 'Content-Type': type }, body: 'x' });
      const sig = new URL(url).searchParams.get('X-Amz-Signature');
      const flipped = sig.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'));
      assert.equal((await put(url.replace(sig, flipped))).status, 403, 'changed signature');
      assert.equal((await put(url.replace(`/${key}?`, `/${key}x?`))).status, 403, 'another key');
      assert.equal((await put(url.replace('X-Amz-Expires=300', 'X-Amz-Expires=3000'))).status, 403, 'longer expiry');
      assert.equal((await put(url, 'text/html')).status, 403, 'another content type');
      // Straight to s3rver: another access key id, refused by the store.
      const direct403 = url.replace(proxy.url, s3.endpoint).replace('X-Amz-Credential=S3RVER', 'X-Amz-Credential=S3RVEX');
      assert.equal((await put(direct403)).status, 403, 'unknown access key (s3rver)');
      assert.equal((await direct(key)).status, 404);
    });

    test('an expired URL is refused by s3rver', async () => {
      const key = `videos/${uniq()}/late.mp4`;
      const url = (await toolOk(['presign-put', key, '1'], env)).stdout.toString().trim();
      await new Promise((r) => setTimeout(r, 2100));
      const res = await fetch(url.replace(proxy.url, s3.endpoint), { method: 'PUT', body: 'late' });
      assert.equal(res.status, 403);
      assert.match(await res.text(), /Request has expired/);
    });

    test('the fs provider issues no upload URL; bad expiries are refused', async () => {
      const fsEnv = { FACET_STORAGE: 'fs', FACET_DATA_DIR: fs.mkdtempSync(path.join(scratchDir(), 'fs-')) };
      const r = await tool(['presign-put', 'videos/a.mp4', '60'], fsEnv);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /fs provider does not issue upload URLs/);
      for (const secs of ['0', '604801']) {
        const bad = await tool(['presign-put', 'videos/a.mp4', secs], env);
        assert.equal(bad.code, 1, secs);
        assert.match(bad.stderr, /expiry/);
      }
    });
  });
});

// ---- /media/ served by facet -------------------------------------------------

describe('GET /media/ (fs storage served by facet)', () => {
  const dataDir = path.join(scratchDir(), 'serve-data');
  const media = path.join(dataDir, 'media');
  const thumb = crypto.randomBytes(1000);
  const types = { 'photo.jpg': 'image/jpeg', 'photo.png': 'image/png', 'anim.gif': 'image/gif',
    'photo.avif': 'image/avif', 'clip.mp4': 'video/mp4', 'clip.webm': 'video/webm', 'clip.mov': 'video/quicktime' };
  const BIG = 40 << 20;
  let facet;
  let thumbTarget;

  before(async () => {
    fs.mkdirSync(path.join(media, 'images', OID), { recursive: true });
    fs.writeFileSync(path.join(media, 'images', OID, 'thumb.webp'), thumb);
    for (const name of Object.keys(types)) fs.writeFileSync(path.join(media, 'images', OID, name), name);
    fs.writeFileSync(path.join(dataDir, 'secret.webp'), 'outside the media directory');
    fs.writeFileSync(path.join(media, 'notes.txt'), 'text');
    fs.writeFileSync(path.join(media, 'page.html'), '<script>alert(1)</script>');
    fs.writeFileSync(path.join(media, '.hidden.webp'), 'hidden');
    fs.symlinkSync(path.join(dataDir, 'secret.webp'), path.join(media, 'out.webp'));
    fs.symlinkSync('..', path.join(media, 'up'));
    fs.writeFileSync(path.join(media, 'big.mp4'), '');
    fs.truncateSync(path.join(media, 'big.mp4'), BIG); // sparse
    thumbTarget = `/media/images/${OID}/thumb.webp`;
    facet = await startFacet({ env: { FACET_DATA_DIR: dataDir } });
  });

  test('GET: the bytes, the content type, immutable caching, a strong ETag', async () => {
    const res = await get(facet.port, thumbTarget);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, thumb);
    assert.equal(res.headers['content-type'], 'image/webp');
    assert.equal(res.headers['content-length'], '1000');
    assert.equal(res.headers['cache-control'], IMMUTABLE);
    assert.equal(res.headers['accept-ranges'], 'bytes');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.match(res.headers.etag, /^"[^"]+"$/, 'strong (no W/)');
    assert.ok(!Number.isNaN(Date.parse(res.headers['last-modified'])));
    const again = await get(facet.port, `${thumbTarget}?v=2`);
    assert.equal(again.headers.etag, res.headers.etag, 'the same bytes keep the same tag');
  });

  test('content types from the extension', async () => {
    for (const [name, type] of Object.entries(types)) {
      const res = await fetch(`http://127.0.0.1:${facet.port}/media/images/${OID}/${name}`);
      assert.equal(res.status, 200, name);
      assert.equal(res.headers.get('content-type'), type, name);
      assert.equal(await res.text(), name);
    }
  });

  test('HEAD: the GET headers and no body', async () => {
    const c = await RawClient.connect(facet.port);
    try {
      await c.write(Buffer.concat([request('HEAD', thumbTarget), request('GET', '/healthz')]));
      const [head, next] = await c.responses(2, { heads: [true, false] });
      assert.equal(head.status, 200);
      assert.equal(head.headers['content-length'], '1000');
      assert.equal(head.headers['content-type'], 'image/webp');
      assert.equal(head.headers['cache-control'], IMMUTABLE);
      assert.ok(head.headers.etag);
      assert.equal(next.status, 200, 'no body was sent after the HEAD answer');
    } finally {
      c.destroy();
    }
  });

  test('If-None-Match: 304 without a body for a matching tag, weak or in a list, or *', async () => {
    const { etag } = (await get(facet.port, thumbTarget)).headers;
    for (const inm of [etag, `W/${etag}`, `"nope", ${etag}`, '*']) {
      const c = await RawClient.connect(facet.port);
      try {
        await c.write(Buffer.concat([request('GET', thumbTarget, { headers: [['If-None-Match', inm]] }), request('GET', '/healthz')]));
        const [res, next] = await c.responses(2);
        assert.equal(res.status, 304, inm);
        assert.equal(res.headers.etag, etag);
        assert.equal(res.headers['cache-control'], IMMUTABLE);
        assert.equal(next.status, 200, 'the 304 carried no body');
      } finally {
        c.destroy();
      }
    }
    const miss = await get(facet.port, thumbTarget, { headers: [['If-None-Match', '"other"']] });
    assert.equal(miss.status, 200);
    assert.deepEqual(miss.body, thumb);
  });

  test('single ranges: 206 with Content-Range', async () => {
    const cases = [
      ['bytes=0-9', 0, 9],
      ['bytes=990-', 990, 999],
      ['bytes=-4', 996, 999],
      ['bytes=-5000', 0, 999],
      ['bytes=500-5000', 500, 999],
      ['bytes=999-999', 999, 999],
    ];
    for (const [range, first, last] of cases) {
      const res = await get(facet.port, thumbTarget, { headers: [['Range', range]] });
      assert.equal(res.status, 206, range);
      assert.equal(res.reason, 'Partial Content');
      assert.equal(res.headers['content-range'], `bytes ${first}-${last}/1000`, range);
      assert.equal(res.headers['content-type'], 'image/webp');
      assert.equal(res.headers['cache-control'], IMMUTABLE);
      assert.deepEqual(res.body, thumb.subarray(first, last + 1), range);
    }
  });

  test('unsatisfiable ranges: 416 with the length; malformed or several ranges: the whole file', async () => {
    for (const range of ['bytes=1000-', 'bytes=5000-6000', 'bytes=-0']) {
      const res = await get(facet.port, thumbTarget, { headers: [['Range', range]] });
      assert.equal(res.status, 416, range);
      assert.equal(res.reason, 'Range Not Satisfiable');
      assert.equal(res.headers['content-range'], 'bytes */1000', range);
    }
    for (const range of ['bytes=0-1,5-6', 'items=0-1', 'bytes=9-2', 'bytes=abc', 'bytes=-']) {
      const res = await get(facet.port, thumbTarget, { headers: [['Range', range]] });
      assert.equal(res.status, 200, range);
      assert.deepEqual(res.body, thumb, range);
    }
  });

  test('If-Range: the range with the current tag, the whole file with another', async () => {
    const { etag } = (await get(facet.port, thumbTarget)).headers;
    const hit = await get(facet.port, thumbTarget, { headers: [['Range', 'bytes=0-1'], ['If-Range', etag]] });
    assert.equal(hit.status, 206);
    const miss = await get(facet.port, thumbTarget, { headers: [['Range', 'bytes=0-1'], ['If-Range', '"old"']] });
    assert.equal(miss.status, 200);
    assert.equal(miss.body.length, 1000);
  });

  test('a file too large to send whole is served by ranges, at most 4 MiB at a time', async () => {
    const whole = await get(facet.port, '/media/big.mp4', { method: 'HEAD' });
    assert.equal(whole.status, 500);
    const res = await get(facet.port, '/media/big.mp4', { headers: [['Range', 'bytes=0-']], timeoutMs: 15000 });
    assert.equal(res.status, 206);
    assert.equal(res.headers['content-range'], `bytes 0-${(4 << 20) - 1}/${BIG}`);
    assert.equal(res.body.length, 4 << 20);
    const tail = await get(facet.port, '/media/big.mp4', { headers: [['Range', 'bytes=-10']] });
    assert.equal(tail.headers['content-range'], `bytes ${BIG - 10}-${BIG - 1}/${BIG}`);
    assert.deepEqual(tail.body, Buffer.alloc(10));
  });

  test('nothing outside the media directory, and nothing but media, is served', async () => {
    const targets = [
      '/media/../secret.webp',
      '/media/%2e%2e/secret.webp',
      '/media/%2E%2E/secret.webp',
      '/media/images/%2e%2e/%2e%2e/secret.webp',
      '/media/..%2fsecret.webp',
      '/media/images/..\\..\\secret.webp',
      '/media/\\secret.webp',
      '/media//etc/passwd',
      '/media/%2fetc%2fpasswd',
      '/media/out.webp', // a link out of the directory
      '/media/up/secret.webp', // a directory link out of it
      '/media/images',
      `/media/images/${OID}/`,
      '/media/',
      '/media/notes.txt',
      '/media/page.html',
      '/media/.hidden.webp',
      `/media/images/${OID}/thumb.webp%00.txt`,
      `/media/images/${OID}/missing.webp`,
      `/media/images/${OID}/%74humb.webp`,
    ];
    for (const target of targets) {
      const res = await get(facet.port, target);
      assert.equal(res.status, 404, target);
      assert.ok(!res.body.includes('outside the media directory'), target);
    }
  });

  test('other methods get 405 with Allow', async () => {
    const res = await get(facet.port, thumbTarget, { method: 'DELETE' });
    assert.equal(res.status, 405);
    assert.equal(res.headers.allow, 'GET, HEAD');
  });
});
