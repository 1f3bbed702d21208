// Moderation providers (issue 7, point 4): media_moderate driven through
// moderation_tool (tests/tools/moderation_tool.c, built next to the unit
// tests of FACET_BIN's build, or FACET_MODERATION_TOOL) against a local
// server that answers like Rekognition's DetectModerationLabels and like a
// moderation webhook. The server checks what a real one would: the SigV4
// signature (recomputed here from the secret key), the AWS JSON 1.1
// headers and body, the webhook's HMAC signature.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { FACET_BIN, sanitizerReport } from './lib/facet.mjs';

const TOOL = path.resolve(process.env.FACET_MODERATION_TOOL || path.join(path.dirname(FACET_BIN), 'tests', 'moderation_tool'));
const KEY = { id: 'AKIDEXAMPLE', secret: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', token: 'FQoGZXIvYXdzEXAMPLE//token+/=' };
const REGION = 'eu-west-3';
const WEBHOOK_SECRET = 'whsec_test_0123456789';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-moderation-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
const IMAGE = crypto.randomBytes(20000);
const IMAGE_FILE = path.join(dir, 'image.jpg');
fs.writeFileSync(IMAGE_FILE, IMAGE);

function runTool(args, env) {
  const base = { PATH: process.env.PATH };
  for (const k of ['ASAN_OPTIONS', 'UBSAN_OPTIONS', 'LSAN_OPTIONS']) if (process.env[k]) base[k] = process.env[k];
  return new Promise((resolve, reject) => {
    execFile(TOOL, args, { env: { ...base, ...env }, timeout: 20000 }, (err, stdout, stderr) => {
      const report = sanitizerReport(stderr);
      if (report) return reject(new Error(`sanitizer report from moderation_tool:\n${report}`));
      if (err) return reject(new Error(`moderation_tool failed: ${err.message}\n${stderr}`));
      try {
        resolve(JSON.parse(stdout));
      } catch (e) {
        reject(new Error(`moderation_tool printed ${JSON.stringify(stdout)}: ${e.message}`));
      }
    });
  });
}

const sha256 = (data) => crypto.createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => crypto.createHmac('sha256', key).update(data).digest();

/** Recomputes the SigV4 signature of a received request; returns a list of problems. */
function checkSigV4(req, body, { token } = {}) {
  const problems = [];
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/
    .exec(req.headers.authorization ?? '');
  if (!m) return [`Authorization header malformed: ${req.headers.authorization}`];
  const [, keyId, day, region, service, signedHeaders, signature] = m;
  if (keyId !== KEY.id) problems.push(`key id ${keyId}`);
  if (region !== REGION) problems.push(`region ${region}`);
  if (service !== 'rekognition') problems.push(`service ${service}`);
  const amzDate = req.headers['x-amz-date'] ?? '';
  if (!/^\d{8}T\d{6}Z$/.test(amzDate) || amzDate.slice(0, 8) !== day) problems.push(`X-Amz-Date ${amzDate}`);
  const when = Date.UTC(+amzDate.slice(0, 4), +amzDate.slice(4, 6) - 1, +amzDate.slice(6, 8), +amzDate.slice(9, 11), +amzDate.slice(11, 13), +amzDate.slice(13, 15));
  if (Math.abs(Date.now() - when) > 5 * 60 * 1000) problems.push(`X-Amz-Date ${amzDate} is not now`);
  const signed = signedHeaders.split(';');
  const must = ['content-type', 'host', 'x-amz-date', 'x-amz-target', ...(token ? ['x-amz-security-token'] : [])];
  for (const h of must) if (!signed.includes(h)) problems.push(`${h} not signed`);
  if (token && req.headers['x-amz-security-token'] !== token) problems.push('session token not sent');
  if (!token && req.headers['x-amz-security-token'] !== undefined) problems.push('unexpected session token');
  const canonHeaders = signed.map((h) => `${h}:${String(req.headers[h] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonical = [req.method, new URL(req.url, 'http://x').pathname, '', canonHeaders, signedHeaders, sha256(body)].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  let k = hmac(`AWS4${KEY.secret}`, day);
  for (const part of [region, service, 'aws4_request']) k = hmac(k, part);
  if (hmac(k, toSign).toString('hex') !== signature) problems.push('signature does not verify');
  return problems;
}

/** Checks X-Facet-Signature: t=<unix>,v1=<hex HMAC(secret, "t.body")>. */
function checkWebhookSignature(req, body) {
  const h = req.headers['x-facet-signature'] ?? '';
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(h);
  if (!m) return [`X-Facet-Signature malformed: ${h}`];
  const problems = [];
  if (Math.abs(Date.now() / 1000 - Number(m[1])) > 300) problems.push('timestamp is not now');
  const expect = hmac(WEBHOOK_SECRET, `${m[1]}.${body}`).toString('hex');
  if (!crypto.timingSafeEqual(Buffer.from(expect), Buffer.from(m[2]))) problems.push('signature does not verify');
  return problems;
}

const missing = fs.existsSync(TOOL) ? false : `${TOOL} is not built (target moderation_tool)`;

describe('moderation providers', { skip: missing }, () => {
  let answer; // (req, body, res) => void, set by each test
  const seen = []; // { req, body }
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ req, body });
      answer(req, body, res);
    });
  });
  let port;
  const json = (res, status, obj, type = 'application/x-amz-json-1.1') => {
    res.writeHead(status, { 'content-type': type });
    res.end(typeof obj === 'string' ? obj : JSON.stringify(obj));
  };

  before(async () => {
    port = await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  beforeEach(() => {
    seen.length = 0;
  });

  const rekognitionEnv = (extra = {}) => ({
    MOD_PROVIDER: 'rekognition',
    MOD_REGION: REGION,
    MOD_ENDPOINT: `http://127.0.0.1:${port}`,
    MOD_MIN_CONFIDENCE: '60',
    MOD_REJECT: 'Explicit Nudity,Violence',
    MOD_REVIEW: 'Suggestive',
    MOD_TIMEOUT_MS: '2000',
    AWS_ACCESS_KEY_ID: KEY.id,
    AWS_SECRET_ACCESS_KEY: KEY.secret,
    ...extra,
  });
  const labels = (...l) => ({ ModerationLabels: l, ModerationModelVersion: '7.0' });
  const L = (Name, ParentName, Confidence) => ({ Name, ParentName, Confidence, TaxonomyLevel: ParentName ? 2 : 1 });

  /** A Rekognition stand-in that checks the request, then answers with `reply`. */
  const rekognition = (reply, { token } = {}) => (req, body, res) => {
    const problems = checkSigV4(req, body, { token });
    if (req.method !== 'POST' || req.url !== '/') problems.push(`${req.method} ${req.url}`);
    if (req.headers['x-amz-target'] !== 'RekognitionService.DetectModerationLabels') problems.push('X-Amz-Target');
    if (req.headers['content-type'] !== 'application/x-amz-json-1.1') problems.push('Content-Type');
    if (req.headers.host !== `127.0.0.1:${port}`) problems.push(`Host ${req.headers.host}`);
    let parsed;
    try {
      parsed = JSON.parse(body);
    } catch {
      problems.push('body is not JSON');
    }
    if (parsed) {
      if (Object.keys(parsed).sort().join() !== 'Image,MinConfidence') problems.push(`body keys ${Object.keys(parsed)}`);
      if (parsed.Image?.Bytes !== IMAGE.toString('base64')) problems.push('Image.Bytes is not the image');
      if (parsed.MinConfidence !== 60) problems.push(`MinConfidence ${parsed.MinConfidence}`);
    }
    if (problems.length) return json(res, 400, { __type: 'TestCheckFailed', message: problems.join('; ') });
    reply(res);
  };

  test('rekognition: a request AWS would accept, and a rejecting label', async () => {
    answer = rekognition((res) => json(res, 200, labels(L('Explicit Nudity', '', 98.5), L('Graphic Male Nudity', 'Explicit Nudity', 97.25))));
    const r = await runTool([IMAGE_FILE], rekognitionEnv());
    assert.equal(r.message, '');
    assert.equal(r.error, '', r.error);
    assert.equal(r.status, 'REJECTED');
    assert.deepEqual(r.labels, [
      { name: 'Explicit Nudity', parentName: '', confidence: 98.5 },
      { name: 'Graphic Male Nudity', parentName: 'Explicit Nudity', confidence: 97.25 },
    ]);
    assert.equal(seen.length, 1);
  });

  test('rekognition: review list, below the minimum, no labels', async () => {
    answer = rekognition((res) => json(res, 200, labels(L('Female Swimwear Or Underwear', 'Suggestive', 81))));
    assert.equal((await runTool([IMAGE_FILE], rekognitionEnv())).status, 'REVIEW');
    // Below MinConfidence (a provider may return such labels): ignored.
    answer = rekognition((res) => json(res, 200, labels(L('Violence', '', 59.9))));
    assert.equal((await runTool([IMAGE_FILE], rekognitionEnv())).status, 'APPROVED');
    answer = rekognition((res) => json(res, 200, labels(L('Smoking', 'Drugs & Tobacco', 99))));
    assert.equal((await runTool([IMAGE_FILE], rekognitionEnv())).status, 'APPROVED');
    answer = rekognition((res) => json(res, 200, labels()));
    const r = await runTool([IMAGE_FILE], rekognitionEnv());
    assert.equal(r.status, 'APPROVED');
    assert.deepEqual(r.labels, []);
  });

  test('rekognition: temporary credentials send and sign the session token', async () => {
    answer = rekognition((res) => json(res, 200, labels(L('Violence', '', 90))), { token: KEY.token });
    const r = await runTool([IMAGE_FILE], rekognitionEnv({ AWS_SESSION_TOKEN: KEY.token }));
    assert.equal(r.status, 'REJECTED', JSON.stringify(r));
  });

  test('rekognition: credentials from the container endpoint', async () => {
    const creds = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ AccessKeyId: KEY.id, SecretAccessKey: KEY.secret, Token: KEY.token, Expiration: new Date(Date.now() + 3600e3).toISOString() }));
    });
    const cport = await new Promise((resolve) => creds.listen(0, '127.0.0.1', () => resolve(creds.address().port)));
    try {
      answer = rekognition((res) => json(res, 200, labels(L('Suggestive', '', 90))), { token: KEY.token });
      const env = rekognitionEnv({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://127.0.0.1:${cport}/creds` });
      delete env.AWS_ACCESS_KEY_ID;
      delete env.AWS_SECRET_ACCESS_KEY;
      const r = await runTool([IMAGE_FILE], env);
      assert.equal(r.status, 'REVIEW', JSON.stringify(r));
      assert.equal(r.providerFailed, false);
      // The endpoint down: the provider failed, never an approval.
      creds.close();
      creds.closeAllConnections();
      const down = await runTool([IMAGE_FILE], env);
      assert.equal(down.status, 'REVIEW');
      assert.equal(down.providerFailed, true);
      assert.match(down.error, /^AWS credentials: /);
    } finally {
      creds.close();
    }
  });

  test('rekognition failures: AWS error, 5xx, garbage, wrong shape, timeout, refused connection', async () => {
    const cases = [
      [(req, body, res) => json(res, 400, { __type: 'InvalidImageFormatException', Message: 'Request has invalid image format' }),
        /^Rekognition answered HTTP 400 \(InvalidImageFormatException: Request has invalid image format\)$/],
      [(req, body, res) => json(res, 503, '<html>busy</html>', 'text/html'), /^Rekognition answered HTTP 503 \(unknown error\)$/],
      [(req, body, res) => json(res, 200, '<html>hello</html>', 'text/html'), /^Rekognition returned an unreadable answer: not JSON/],
      [(req, body, res) => json(res, 200, { ModerationLabels: 'none' }), /ModerationLabels is missing or not an array/],
      [(req, body, res) => json(res, 200, { ModerationLabels: [{ Name: 'Violence', Confidence: '99' }] }), /Confidence is not a number/],
      [(req, body, res) => json(res, 200, '{"ModerationLabels":[', 'application/json'), /unreadable answer: not JSON/],
      [(req, body, res) => setTimeout(() => json(res, 200, labels()), 3000), /^Rekognition timed out after 500 ms$/],
      [(req, body, res) => res.destroy(), /^Rekognition: /],
    ];
    for (const [handler, why] of cases) {
      answer = handler;
      const env = rekognitionEnv({ MOD_TIMEOUT_MS: '500' });
      const review = await runTool([IMAGE_FILE], env);
      assert.equal(review.status, 'REVIEW', JSON.stringify(review));
      assert.equal(review.providerFailed, true);
      assert.equal(review.rc, 'ok');
      assert.match(review.error, why);
      const fail = await runTool([IMAGE_FILE], { ...env, MOD_ON_ERROR: 'fail' });
      assert.match(fail.rc, /i\/o error|timed out/, JSON.stringify(fail));
      assert.notEqual(fail.status, 'APPROVED');
      assert.match(fail.message, why);
    }
    // Nothing listening at all.
    const closed = await new Promise((resolve) => {
      const s = http.createServer().listen(0, '127.0.0.1', () => {
        const p = s.address().port;
        s.close(() => resolve(p));
      });
    });
    const r = await runTool([IMAGE_FILE], rekognitionEnv({ MOD_ENDPOINT: `http://127.0.0.1:${closed}` }));
    assert.equal(r.status, 'REVIEW');
    assert.match(r.error, /^Rekognition: Couldn't connect to server$/);
  });

  test('rekognition: an image over 5 MB is refused before any request', async () => {
    const big = path.join(dir, 'big.jpg');
    fs.writeFileSync(big, Buffer.alloc(5 * 1024 * 1024 + 1));
    answer = () => assert.fail('no request expected');
    const r = await runTool([big], rekognitionEnv());
    assert.equal(r.rc, 'limit exceeded');
    assert.match(r.message, /over Rekognition's 5242880/);
    assert.equal(seen.length, 0);
  });

  const webhookEnv = (extra = {}) => ({
    MOD_PROVIDER: 'webhook',
    MOD_WEBHOOK_URL: `http://127.0.0.1:${port}/moderate`,
    MOD_WEBHOOK_SECRET: WEBHOOK_SECRET,
    MOD_REJECT: 'Violence',
    MOD_TIMEOUT_MS: '2000',
    MOD_CONTENT_TYPE: 'image/webp',
    MOD_IMAGE_ID: '665f1c2e8a9b4c0012345678',
    ...extra,
  });

  /** A webhook stand-in that checks the signature and body, then answers `reply`. */
  const webhook = (reply, expectBody) => (req, body, res) => {
    const problems = checkWebhookSignature(req, body);
    if (req.method !== 'POST' || req.url !== '/moderate') problems.push(`${req.method} ${req.url}`);
    if (req.headers['content-type'] !== 'application/json') problems.push('Content-Type');
    let parsed;
    try {
      parsed = JSON.parse(body);
    } catch {
      problems.push('body is not JSON');
    }
    if (parsed) {
      try {
        assert.deepEqual(parsed, expectBody);
      } catch (e) {
        problems.push(e.message);
      }
    }
    if (problems.length) return json(res, 401, { status: 'CHECK FAILED', problems }, 'application/json');
    reply(res);
  };
  const imageBody = { imageId: '665f1c2e8a9b4c0012345678', contentType: 'image/webp', bytes: IMAGE.length, base64: IMAGE.toString('base64') };

  test('webhook: signed request, verdicts as answered', async () => {
    for (const status of ['APPROVED', 'REVIEW', 'REJECTED']) {
      answer = webhook((res) => json(res, 200, { status, labels: [{ name: 'Cartoon', confidence: 80 }] }, 'application/json'), imageBody);
      const r = await runTool([IMAGE_FILE], webhookEnv());
      assert.equal(r.status, status, JSON.stringify(r));
      assert.equal(r.providerFailed, false);
      assert.deepEqual(r.labels, [{ name: 'Cartoon', parentName: '', confidence: 80 }]);
    }
  });

  test('webhook: the configured lists still apply to its labels (the stricter verdict wins)', async () => {
    answer = webhook((res) => json(res, 200, { status: 'APPROVED', labels: [{ name: 'Gore', parentName: 'Violence', confidence: 90 }] }, 'application/json'), imageBody);
    const r = await runTool([IMAGE_FILE], webhookEnv());
    assert.equal(r.status, 'REJECTED');
  });

  test('webhook: a URL instead of the bytes', async () => {
    const url = 'https://cdn.example.com/images/665f1c2e8a9b4c0012345678/large.webp';
    answer = webhook((res) => json(res, 200, { status: 'APPROVED' }, 'application/json'), { imageId: '665f1c2e8a9b4c0012345678', contentType: 'image/webp', url });
    const r = await runTool([], webhookEnv({ MOD_URL: url }));
    assert.equal(r.status, 'APPROVED', JSON.stringify(r));
  });

  test('webhook: a wrong secret is caught by the receiver', async () => {
    answer = webhook((res) => json(res, 200, { status: 'APPROVED' }, 'application/json'), imageBody);
    const r = await runTool([IMAGE_FILE], webhookEnv({ MOD_WEBHOOK_SECRET: 'not-the-secret' }));
    assert.equal(r.status, 'REVIEW');
    assert.equal(r.providerFailed, true);
    assert.match(r.error, /^moderation webhook answered HTTP 401$/);
  });

  test('webhook failures: status, garbage, unknown verdict, timeout, redirect', async () => {
    const cases = [
      [(req, body, res) => json(res, 500, { status: 'APPROVED' }, 'application/json'), /answered HTTP 500/],
      [(req, body, res) => json(res, 200, 'APPROVED', 'text/plain'), /unreadable answer: not JSON/],
      [(req, body, res) => json(res, 200, { status: 'MAYBE' }, 'application/json'), /status is not APPROVED, REVIEW or REJECTED/],
      [(req, body, res) => json(res, 200, { verdict: 'APPROVED' }, 'application/json'), /status is missing/],
      [(req, body, res) => json(res, 200, { status: 'APPROVED', labels: 'x' }, 'application/json'), /labels is not an array/],
      [(req, body, res) => setTimeout(() => json(res, 200, { status: 'APPROVED' }, 'application/json'), 3000), /timed out after 500 ms/],
      [(req, body, res) => {
        res.writeHead(307, { location: '/elsewhere' });
        res.end();
      }, /answered HTTP 307/],
    ];
    for (const [handler, why] of cases) {
      answer = handler;
      const env = webhookEnv({ MOD_TIMEOUT_MS: '500' });
      const review = await runTool([IMAGE_FILE], env);
      assert.equal(review.status, 'REVIEW', JSON.stringify(review));
      assert.equal(review.providerFailed, true);
      assert.match(review.error, why);
      const fail = await runTool([IMAGE_FILE], { ...env, MOD_ON_ERROR: 'fail' });
      assert.notEqual(fail.rc, 'ok', JSON.stringify(fail));
      assert.match(fail.message, why);
    }
  });

  test('none approves without asking anyone', async () => {
    answer = () => assert.fail('no request expected');
    const r = await runTool([IMAGE_FILE], { MOD_PROVIDER: 'none', MOD_REJECT: 'Violence' });
    assert.deepEqual(r, { rc: 'ok', status: 'APPROVED', providerFailed: false, error: '', message: '', labels: [] });
    assert.equal(seen.length, 0);
  });
});
