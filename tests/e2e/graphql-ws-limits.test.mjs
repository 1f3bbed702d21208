// Size and speed limits of the GraphQL transport, against the fixture build
// with Valkey: WebSocket frames and messages larger than
// FACET_WS_MAX_MESSAGE (one frame, or fragments adding up) are closed with
// 1009; HTTP bodies larger than FACET_MAX_BODY_SIZE get 413; a subscriber
// that stops reading is closed with 1008 once FACET_WS_MAX_BUFFERED is
// passed, while the server's memory stays flat and everyone else is served.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import { describe, test } from 'node:test';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { startFixture, useFacetCleanup, sleep } from './lib/facet.mjs';
import { useServices } from './lib/services.mjs';

useFacetCleanup();
const services = useServices();

const PROTOCOL = 'graphql-transport-ws';
const url = (f) => `ws://127.0.0.1:${f.port}/graphql`;

/**
 * A raw graphql-transport-ws socket, acknowledged. Resolves { ws, id,
 * messages, closed }: the upgrade's X-Request-Id, the parsed messages
 * received, and a promise of the close event ({ code, reason, wasClean }).
 */
async function session(f) {
  const ws = new WebSocket(url(f), PROTOCOL);
  const messages = [];
  let id;
  ws.on('upgrade', (res) => (id = res.headers['x-request-id']));
  ws.on('message', (d) => messages.push(JSON.parse(d.toString())));
  const closed = new Promise((resolve) => {
    ws.addEventListener('close', (e) => resolve({ code: e.code, reason: e.reason, wasClean: e.wasClean }));
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  ws.send(JSON.stringify({ type: 'connection_init' }));
  await until(() => messages.some((m) => m.type === 'connection_ack'), 'connection_ack');
  return { ws, id, messages, closed };
}

async function until(cond, what, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Runs { hello } on a new graphql-ws client: the server still serves. */
async function stillServing(f) {
  const c = createClient({ url: url(f), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
  try {
    const r = await new Promise((resolve, reject) => {
      let v;
      c.subscribe({ query: '{ hello }' }, { next: (x) => (v = x), error: reject, complete: () => resolve(v) });
    });
    assert.deepEqual(r, { data: { hello: 'world' } });
  } finally {
    await c.dispose();
  }
  const res = await fetch(`http://127.0.0.1:${f.port}/graphql?query=%7Bhello%7D`);
  assert.deepEqual(await res.json(), { data: { hello: 'world' } });
}

/** Pings an open session and waits for its pong. */
async function pingPong(s) {
  const before = s.messages.filter((m) => m.type === 'pong').length;
  s.ws.send(JSON.stringify({ type: 'ping' }));
  await until(() => s.messages.filter((m) => m.type === 'pong').length > before, 'pong');
}

function rssBytes(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m[1]) * 1024;
}

describe('WebSocket message limits', () => {
  const env = () => ({ ...services.env, FACET_WS_MAX_MESSAGE: '4KiB' });

  test('a single frame over FACET_WS_MAX_MESSAGE is closed with 1009', async () => {
    const f = await startFixture({ env: env() });
    const bystander = await session(f);
    const s = await session(f);
    s.ws.send('x'.repeat(4097));
    const c = await s.closed;
    assert.equal(c.code, 1009);
    assert.ok(c.wasClean, 'close handshake completed and the TCP connection ended');
    const line = await f.waitForLog({ msg: 'graphql-ws closed', request_id: s.id });
    assert.equal(line.code, 1009);
    assert.equal(line.level, 'warn');
    assert.match(line.reason, /FACET_WS_MAX_MESSAGE/);
    await pingPong(bystander); // other sessions go on
    await stillServing(f);
    bystander.ws.close(1000);
    await bystander.closed;
  });

  test('a fragmented message adding up past the limit is closed with 1009', async () => {
    const f = await startFixture({ env: env() });
    // Under the limit, fragments are reassembled: a padded subscribe in
    // three frames runs.
    const ok = await session(f);
    const msg = JSON.stringify({
      id: 'q',
      type: 'subscribe',
      payload: { query: `{ hello } # ${'p'.repeat(2800)}` },
    });
    const third = Math.ceil(msg.length / 3);
    ok.ws.send(msg.slice(0, third), { fin: false });
    ok.ws.send(msg.slice(third, 2 * third), { fin: false });
    ok.ws.send(msg.slice(2 * third), { fin: true });
    await until(() => ok.messages.some((m) => m.type === 'complete'), 'the fragmented operation');
    assert.deepEqual(ok.messages.find((m) => m.type === 'next').payload, { data: { hello: 'world' } });

    // Past it: every frame is small, their sum is not.
    const s = await session(f);
    const part = 'y'.repeat(1500);
    s.ws.send(part, { fin: false });
    s.ws.send(part, { fin: false });
    s.ws.send(part, { fin: false });
    s.ws.send(part, { fin: true });
    const c = await s.closed;
    assert.equal(c.code, 1009);
    assert.ok(c.wasClean);
    assert.equal(s.messages.length, 1); // only the ack
    await pingPong(ok);
    await stillServing(f);
    ok.ws.close(1000);
    await ok.closed;
  });
});

describe('HTTP body limit', () => {
  /** POSTs body to /graphql with node:http, chunked when asked. */
  function postRaw(f, body, { chunked = false } = {}) {
    return new Promise((resolve, reject) => {
      const headers = { 'content-type': 'application/json' };
      if (!chunked) headers['content-length'] = Buffer.byteLength(body);
      const req = http.request({ host: '127.0.0.1', port: f.port, path: '/graphql', method: 'POST', headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode, text }));
      });
      req.on('error', reject);
      if (chunked) {
        for (let i = 0; i < body.length; i += 16384) req.write(body.slice(i, i + 16384));
        req.end();
      } else {
        req.end(body);
      }
    });
  }

  test('a GraphQL body over FACET_MAX_BODY_SIZE is 413', async () => {
    const f = await startFixture({ env: { ...services.env, FACET_MAX_BODY_SIZE: '64KiB' } });
    const body = (n) => JSON.stringify({ query: '{ hello }', variables: { pad: 'z'.repeat(n) } });
    const small = await postRaw(f, body(60000));
    assert.equal(small.status, 200);
    assert.deepEqual(JSON.parse(small.text), { data: { hello: 'world' } });
    for (const chunked of [false, true]) {
      const big = await postRaw(f, body(70000), { chunked });
      assert.equal(big.status, 413, `chunked: ${chunked}`);
      assert.match(big.text, /too large/);
    }
    await stillServing(f);
  });
});

describe('a subscriber that stops reading', () => {
  test('is closed with 1008 past FACET_WS_MAX_BUFFERED; memory stays flat; others go on', { timeout: 120000 }, async () => {
    // A message larger than FACET_WS_MAX_BUFFERED could never be queued, so
    // events are a fraction of it.
    const MAX_BUFFERED = 1024 * 1024;
    const EVENT = 128 * 1024; // bytes of text in each event
    const f = await startFixture({
      env: {
        ...services.env,
        FACET_WS_MAX_BUFFERED: '1MiB',
        FACET_DEPENDENCY_TIMEOUT: '5s',
        // Under ASan, freed memory is held in quarantine: keep it small so
        // that RSS says what the server holds.
        ASAN_OPTIONS: [process.env.ASAN_OPTIONS, 'quarantine_size_mb=8'].filter(Boolean).join(':'),
      },
    });
    const query = 'subscription { messageAdded { id text } }';
    // The slow subscriber and a healthy one share the subscription (same
    // document and variables: one execution per event for both).
    const slow = await session(f);
    slow.ws.send(JSON.stringify({ id: 's', type: 'subscribe', payload: { query } }));
    const good = createClient({ url: url(f), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
    const received = [];
    let goodError = null;
    good.subscribe(
      { query },
      { next: (v) => received.push(v.data.messageAdded.id), error: (e) => (goodError = e), complete: () => {} },
    );
    await sleep(300); // both SUBSCRIBEs reach Valkey

    const text = 'w'.repeat(EVENT);
    const publish = async () => {
      const res = await fetch(`http://127.0.0.1:${f.port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'mutation($t: String!) { sendMessage(text: $t) { id } }', variables: { t: text } }),
      });
      const body = await res.json();
      assert.ok(body.data, JSON.stringify(body));
      return body.data.sendMessage.id;
    };
    const ids = [await publish()];
    await until(() => received.length === 1 && slow.messages.length === 2, 'the first event on both');
    const rssBefore = rssBytes(f.pid);

    // Stop reading. The kernel's socket buffers fill first, then the
    // server's own, which may not pass FACET_WS_MAX_BUFFERED.
    slow.ws._socket.pause();
    const since = f.logs.length;
    const cut = () => f.logs.slice(since).find((l) => l.msg === 'websocket closed: slow consumer');
    while (!cut() && ids.length < 1000) {
      ids.push(await publish());
      await sleep(5);
    }
    const line = cut() ?? (await f.waitForLog({ msg: 'websocket closed: slow consumer' }, { since, timeoutMs: 3000 }));
    assert.equal(line.level, 'warn');
    assert.ok(line.unsent_bytes <= MAX_BUFFERED, `held ${line.unsent_bytes} unsent bytes`);
    const behind = ids.length * EVENT; // sent or owed to the slow reader at the cut

    // Read again: what the kernel held arrives, then the close frame.
    slow.ws._socket.resume();
    const c = await slow.closed;
    assert.equal(c.code, 1008);
    assert.match(c.reason, /slow consumer/);
    const gotSlow = slow.messages.filter((m) => m.type === 'next').length;
    assert.ok(gotSlow < ids.length, `the slow reader got ${gotSlow} of ${ids.length} events`);
    const ended = await f.waitForLog({ msg: 'graphql-ws closed', request_id: slow.id });
    assert.equal(ended.code, 1008);
    assert.match(ended.reason, /slow consumer/);
    assert.equal(ended.operations, 1);

    // Everyone else is served: more events reach the healthy subscriber,
    // in order, and nothing was lost.
    for (let i = 0; i < 20; i++) ids.push(await publish());
    await until(() => received.length === ids.length || goodError, `all ${ids.length} events on the healthy subscriber`, 30000);
    assert.equal(goodError, null);
    assert.deepEqual(received, ids);
    await stillServing(f);

    // The server's own account above (unsent_bytes) is the exact bound; its
    // resident memory agrees, within allocator (and sanitizer) slack.
    const grown = rssBytes(f.pid) - rssBefore;
    assert.ok(grown < 32 * 1024 * 1024, `RSS grew by ${grown} bytes; ${behind} bytes were owed to the slow reader`);
    await good.dispose();
  });
});
