// RS256 tokens from an external identity provider, verified by Facet's JWKS
// cache (src/auth/jwks.h) through jwks_tool (tests/tools/jwks_tool.c, built
// next to the unit tests of FACET_BIN's build, or FACET_JWKS_TOOL). Node
// plays the identity provider: it generates the RSA keys, serves the key set
// over HTTP, counts the fetches and signs the tokens with node:crypto, an
// implementation independent of Facet's.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FACET_BIN, sanitizerReport, sleep } from './lib/facet.mjs';

const JWKS_TOOL = path.resolve(
  process.env.FACET_JWKS_TOOL || path.join(path.dirname(FACET_BIN), 'tests', 'jwks_tool'),
);
const missing = fs.existsSync(JWKS_TOOL) ? false : `${JWKS_TOOL} is not built (target jwks_tool)`;
const ISSUER = 'https://idp.example';
const AUDIENCE = 'facet-api';

const b64url = (buf) => Buffer.from(buf).toString('base64url');

function newKey(kid) {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' } };
}

function sign(key, claims, header = {}) {
  const h = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: key.kid, ...header }));
  const now = Math.floor(Date.now() / 1000);
  const p = b64url(JSON.stringify({ iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 300, ...claims }));
  const sig = crypto.sign('sha256', Buffer.from(`${h}.${p}`), key.privateKey);
  return `${h}.${p}.${b64url(sig)}`;
}

/** The identity provider: serves `keys` at /jwks.json and counts fetches. */
class Idp {
  constructor() {
    this.keys = [];
    this.fetches = 0;
    this.status = 200;
    this.server = http.createServer((req, res) => {
      if (req.url !== '/jwks.json') {
        res.writeHead(404).end();
        return;
      }
      this.fetches++;
      if (this.status !== 200) {
        res.writeHead(this.status, { 'content-type': 'text/plain' }).end('down');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: this.keys.map((k) => k.jwk) }));
    });
  }
  listen() {
    return new Promise((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
  }
  get url() {
    return `http://127.0.0.1:${this.server.address().port}/jwks.json`;
  }
  close() {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A running jwks_tool whose JSON event lines are collected. */
class Tool {
  constructor(url, args = []) {
    this.events = [];
    this.stderr = '';
    this.waiters = [];
    this.proc = spawn(JWKS_TOOL, [url, '--issuer', ISSUER, '--audience', AUDIENCE, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let buf = '';
    this.proc.stdout.on('data', (d) => {
      buf += d;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        this.events.push(JSON.parse(buf.slice(0, nl)));
        buf = buf.slice(nl + 1);
        this.wake();
      }
    });
    this.proc.stderr.on('data', (d) => (this.stderr += d));
    this.exited = new Promise((resolve) => this.proc.on('exit', (code) => resolve(code)));
  }
  wake() {
    for (const w of this.waiters.splice(0)) w();
  }
  /** Resolves the index-th event matching pred (counting from `from`). */
  async waitFor(pred, { from = 0, timeoutMs = 5000 } = {}) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.events.findIndex((e, k) => k >= from && pred(e));
      if (i >= 0) return { event: this.events[i], index: i };
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching event; got ${JSON.stringify(this.events)}\n${this.stderr}`);
      await Promise.race([new Promise((r) => this.waiters.push(r)), sleep(Math.min(left, 100))]);
    }
  }
  /** Sends a token and resolves the verify event it produced. */
  async verify(token) {
    const from = this.events.length;
    this.proc.stdin.write(`verify ${token}\n`);
    return (await this.waitFor((e) => e.event === 'verify', { from })).event;
  }
  refreshes() {
    return this.events.filter((e) => e.event === 'refresh');
  }
  async stop() {
    this.proc.stdin.end();
    const code = await this.exited;
    const report = sanitizerReport(this.stderr);
    if (report) throw new Error(`sanitizer report from jwks_tool:\n${report}`);
    assert.equal(code, 0, this.stderr);
  }
}

describe('JWKS: RS256 tokens from an identity provider', { skip: missing }, () => {
  const idp = new Idp();
  const keyA = newKey('key-a');
  const keyB = newKey('key-b');

  before(() => idp.listen());
  after(() => idp.close());

  test('verifies tokens, learns a rotated key on its first unknown kid, refuses bad ones', async () => {
    idp.keys = [keyA];
    idp.fetches = 0;
    const tool = new Tool(idp.url, ['--min-interval-ms', '300', '--refresh-ms', '60000']);
    await tool.waitFor((e) => e.event === 'refresh' && e.status === 'ok' && e.keys === 1);

    assert.deepEqual(await tool.verify(sign(keyA, { sub: 'idp|alice' })), {
      event: 'verify', result: 'ok', sub: 'idp|alice', kid: 'key-a',
    });

    // The provider rotates: key-b appears. The first token naming it makes
    // the cache fetch again (the rate limit has long passed) and then passes.
    idp.keys = [keyA, keyB];
    await sleep(350);
    const fetchesBefore = idp.fetches;
    assert.equal((await tool.verify(sign(keyB, { sub: 'idp|bob' }))).result, 'ok');
    assert.equal(idp.fetches, fetchesBefore + 1);

    // Refusals, each for its own reason.
    const tampered = sign(keyA, { sub: 'idp|alice' }).replace(/\.[^.]+\./, `.${b64url(JSON.stringify({
      iss: ISSUER, aud: AUDIENCE, sub: 'idp|admin', exp: Math.floor(Date.now() / 1000) + 300, role: 'ADMIN',
    }))}.`);
    assert.equal((await tool.verify(tampered)).result, 'SIGNATURE');
    assert.equal((await tool.verify(sign(keyA, { sub: 'x', aud: 'other-api' }))).result, 'AUDIENCE');
    assert.equal((await tool.verify(sign(keyA, { sub: 'x', iss: 'https://evil.example' }))).result, 'ISSUER');
    assert.equal((await tool.verify(sign(keyA, { sub: 'x', exp: 1000 }))).result, 'EXPIRED');
    const hs = `${b64url('{"alg":"HS256","kid":"key-a"}')}.${b64url('{"sub":"x"}')}.${b64url('sig')}`;
    assert.equal((await tool.verify(hs)).result, 'ALG');
    await tool.stop();
  });

  test('a flood of unknown kids costs the provider one fetch per interval', async () => {
    idp.keys = [keyA];
    const tool = new Tool(idp.url, ['--min-interval-ms', '2000', '--refresh-ms', '60000']);
    await tool.waitFor((e) => e.event === 'refresh' && e.status === 'ok');
    await sleep(2100);
    idp.fetches = 0;
    const stranger = newKey('unknown');
    const results = [];
    for (let i = 0; i < 50; i++) {
      const k = { ...stranger, kid: `made-up-${i}` };
      results.push(await tool.verify(sign(k, { sub: 'x' })));
    }
    assert.ok(results.every((r) => r.result === 'UNKNOWN_KEY'), JSON.stringify(results.slice(0, 3)));
    assert.equal(idp.fetches, 1, 'one fetch for fifty unknown kids');
    assert.equal(results.filter((r) => r.refreshed).length >= 1, true);
    // Known keys keep working throughout.
    assert.equal((await tool.verify(sign(keyA, { sub: 'still-ok' }))).result, 'ok');
    await tool.stop();
  });

  test('scheduled refreshes, and an outage keeps the last good set', async () => {
    idp.keys = [keyA];
    idp.status = 200;
    const tool = new Tool(idp.url, ['--min-interval-ms', '100', '--refresh-ms', '400']);
    const first = await tool.waitFor((e) => e.event === 'refresh' && e.status === 'ok');
    // The provider drops key-a and publishes key-b: picked up on schedule.
    idp.keys = [keyB];
    await tool.waitFor((e) => e.event === 'refresh' && e.status === 'ok', { from: first.index + 1 });
    assert.equal((await tool.verify(sign(keyB, { sub: 'b' }))).result, 'ok');

    // Outage: fetches fail, tokens signed with the last good keys still pass.
    idp.status = 503;
    const n = tool.events.length;
    const failed = await tool.waitFor((e) => e.event === 'refresh' && e.status !== 'ok', { from: n });
    assert.match(failed.event.error, /HTTP 503/);
    assert.equal((await tool.verify(sign(keyB, { sub: 'b' }))).result, 'ok');

    // Recovery.
    idp.status = 200;
    idp.keys = [keyA, keyB];
    await tool.waitFor((e) => e.event === 'refresh' && e.status === 'ok' && e.keys === 2, {
      from: failed.index + 1,
    });
    assert.equal((await tool.verify(sign(keyA, { sub: 'a' }))).result, 'ok');
    await tool.stop();
  });
});
