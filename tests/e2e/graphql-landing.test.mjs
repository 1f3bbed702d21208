// The landing page of /graphql: a browser's GET (Accept preferring
// text/html, no `query` parameter) gets an HTML page that loads GraphiQL
// from FACET_GRAPHIQL_URL outside production; everything else, and every
// request in production, gets the GraphQL-over-HTTP answer. No browser runs
// here: the page is checked for what a browser would enforce (its
// Content-Security-Policy admits exactly its inline code and the CDN's
// origin; the import map is valid JSON; the module script parses).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { runFacet, startFixture, useFacetCleanup, scratchDir } from './lib/facet.mjs';

useFacetCleanup();

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

function get(f, { accept = BROWSER, query = '', method = 'GET', host } = {}) {
  const headers = {};
  if (accept !== null) headers.accept = accept;
  if (host) headers.host = host;
  return fetch(`http://127.0.0.1:${f.port}/graphql${query}`, { method, headers });
}

/** The text of every inline <tag ...>...</tag> whose opening matches open. */
function inline(html, open) {
  const re = new RegExp(`${open}([\\s\\S]*?)</`, 'g');
  return [...html.matchAll(re)].map((m) => m[1]);
}

const sha = (text) => `'sha256-${crypto.createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The CSP as { directive: [sources] }. */
function parseCsp(value) {
  const out = {};
  for (const part of value.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) out[name] = sources;
  }
  return out;
}

function nodeCheck(file) {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--check', file], (err, stdout, stderr) => resolve({ err, stderr }));
  });
}

async function checkPage(res, cdn, cdnOrigin) {
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/html; charset=utf-8$/);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  const html = await res.text();
  const csp = parseCsp(res.headers.get('content-security-policy'));

  // Scripts: the CDN's origin and the hashes of the two inline scripts;
  // styles: the CDN's origin and the inline style's hash. Nothing else.
  const [map] = inline(html, '<script type="importmap">');
  const [mod] = inline(html, '<script type="module">');
  const [style] = inline(html, '<style>');
  assert.ok(map && mod && style);
  assert.deepEqual(csp['script-src'].sort(), [cdnOrigin, sha(map), sha(mod)].sort());
  assert.deepEqual(csp['style-src'].sort(), [cdnOrigin, sha(style)].sort());
  assert.equal(inline(html, '<script(?: [^>]*)?>').length, 2, 'no other script');
  assert.ok(!/unsafe-/.test(res.headers.get('content-security-policy')));

  // Every module and the stylesheet come from the CDN.
  const imports = JSON.parse(map).imports;
  for (const name of ['react', 'react-dom/client', 'graphiql', '@graphiql/toolkit', 'graphql', 'graphql-ws']) {
    assert.ok(imports[name]?.startsWith(`${cdn}/`), `${name}: ${imports[name]}`);
  }
  assert.match(imports.graphiql, /\/graphiql@[34]\./);
  assert.match(html, new RegExp(`<link rel="stylesheet" href="${cdn}/graphiql@[34]\\.[^"]*\\.css">`));

  // The page talks to its own URL: HTTP for queries, ws:// or wss:// for
  // subscriptions, both derived from location.
  assert.match(mod, /location\.origin \+ location\.pathname/);
  assert.match(mod, /location\.protocol === 'https:' \? 'wss:\/\/' : 'ws:\/\/'/);
  assert.match(mod, /createClient\(/);
  const file = path.join(scratchDir(), `landing-${process.pid}.mjs`);
  fs.writeFileSync(file, mod);
  const { err, stderr } = await nodeCheck(file);
  assert.equal(err, null, stderr);
  return { html, csp };
}

describe('the GraphiQL landing page', () => {
  test('served to browsers in development, from the default CDN', async () => {
    const f = await startFixture();
    const { csp } = await checkPage(await get(f), 'https://esm.sh', 'https://esm.sh');
    assert.deepEqual(csp['connect-src'], ["'self'", `ws://127.0.0.1:${f.port}`, `wss://127.0.0.1:${f.port}`]);
    assert.deepEqual(csp['frame-ancestors'], ["'none'"]);
    // HEAD gets the same head without the body.
    const head = await get(f, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.match(head.headers.get('content-type'), /text\/html/);
    assert.equal(await head.text(), '');
  });

  test('FACET_GRAPHIQL_URL moves the CDN, and a bad one stops start-up', async () => {
    const f = await startFixture({ env: { FACET_ENV: 'test', FACET_GRAPHIQL_URL: 'http://cdn.internal:8081/esm/' } });
    await checkPage(await get(f), 'http://cdn.internal:8081/esm', 'http://cdn.internal:8081');
    const bad = await runFacet(['serve'], { env: { FACET_GRAPHIQL_URL: 'https://esm.sh/"><script>' } });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /FACET_GRAPHIQL_URL: "https:\/\/esm.sh\/"><script>" is not an http/);
  });

  test('not in production: a browser gets the GraphQL-over-HTTP answer', async () => {
    // Production builds may insist on a token key (the accounts' settings).
    const f = await startFixture({ env: { FACET_ENV: 'production', FACET_JWT_SECRET: 'k'.repeat(48) } });
    const res = await get(f);
    assert.equal(res.status, 400);
    assert.match(res.headers.get('content-type'), /^application\/json/);
    const body = await res.json();
    assert.match(body.errors[0].message, /non-empty `query`/);
    assert.equal(res.headers.get('content-security-policy'), null);
  });

  test('not for GraphQL requests, nor for clients that prefer JSON', async () => {
    const f = await startFixture();
    // A GraphQL GET with a query, even from a browser.
    const q = await get(f, { query: `?query=${encodeURIComponent('{ hello }')}` });
    assert.equal(q.status, 200);
    assert.deepEqual(await q.json(), { data: { hello: 'world' } });
    // Persisted-query GETs carry only extensions: still GraphQL.
    const apq = await get(f, { query: `?extensions=${encodeURIComponent('{"persistedQuery":{"version":1,"sha256Hash":"x"}}')}` });
    assert.match(apq.headers.get('content-type'), /json/);
    for (const accept of [null, '*/*', 'application/json', 'application/graphql-response+json, text/html']) {
      const r = await get(f, { accept });
      assert.equal(r.status, 400, `Accept: ${accept}`);
      assert.match(r.headers.get('content-type'), /json/, `Accept: ${accept}`);
    }
    // POST is never the page.
    const p = await fetch(`http://127.0.0.1:${f.port}/graphql`, {
      method: 'POST',
      headers: { accept: BROWSER, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ hello }' }),
    });
    assert.deepEqual(await p.json(), { data: { hello: 'world' } });
  });
});
