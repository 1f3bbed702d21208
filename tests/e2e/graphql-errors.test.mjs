// Internal errors are masked: the client sees Apollo Server's masked error
// ("Internal server error", extensions.code INTERNAL_SERVER_ERROR), and the
// real message goes to one log line carrying the request id that the
// client got in X-Request-Id. Over HTTP and over graphql-ws, for a field
// that fails through app_fail_internal (Query.boom), one whose resolver put
// its real message in the error itself (Query.leak), a field of a
// subscription event (Message.boom), and a real failure: a mutation whose
// publish cannot reach Valkey.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { startFixture, useFacetCleanup, sleep } from './lib/facet.mjs';
import { useServices } from './lib/services.mjs';

useFacetCleanup();
const services = useServices();

const MASKED = 'Internal server error';
const SECRET = /0xfacade|0xdecade|secret|ECONNREFUSED|Valkey|publish/i;

async function post(f, body, headers = {}) {
  const res = await fetch(`http://127.0.0.1:${f.port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, id: res.headers.get('x-request-id'), text, json: JSON.parse(text) };
}

/** The one "internal error" line of a request; there must be exactly one. */
async function internalLine(f, requestId) {
  const line = await f.waitForLog({ msg: 'internal error', request_id: requestId });
  await sleep(50);
  assert.equal(f.logsWhere({ msg: 'internal error', request_id: requestId }).length, 1);
  assert.equal(line.level, 'error');
  return line;
}

/** A graphql-ws client that records the X-Request-Id of its upgrade. */
function wsClient(f) {
  const seen = { ids: [] };
  class RecordingSocket extends WebSocket {
    constructor(...args) {
      super(...args);
      this.on('upgrade', (res) => seen.ids.push(res.headers['x-request-id']));
    }
  }
  const c = createClient({
    url: `ws://127.0.0.1:${f.port}/graphql`,
    webSocketImpl: RecordingSocket,
    retryAttempts: 0,
    lazy: true,
  });
  return { c, seen };
}

function once(c, payload) {
  return new Promise((resolve, reject) => {
    let result;
    c.subscribe(payload, { next: (v) => (result = v), error: reject, complete: () => resolve(result) });
  });
}

function assertMasked(error, path) {
  assert.deepEqual(error, {
    message: MASKED,
    locations: error.locations,
    path,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  });
  assert.ok(Array.isArray(error.locations) && error.locations.length === 1);
}

describe('internal errors are masked and logged with the request id', () => {
  test('over HTTP, with the id the client sent', async () => {
    const f = await startFixture({ env: services.env });
    const r = await post(f, { query: '{ hello boom }' }, { 'x-request-id': 'e2e-boom-1' });
    assert.equal(r.status, 200);
    assert.equal(r.id, 'e2e-boom-1');
    assert.equal(r.json.data.hello, 'world');
    assert.equal(r.json.data.boom, null);
    assert.equal(r.json.errors.length, 1);
    assertMasked(r.json.errors[0], ['boom']);
    assert.doesNotMatch(r.text, SECRET);
    const line = await internalLine(f, 'e2e-boom-1');
    assert.match(line.error, /boom failed on purpose \(secret detail 0xfacade\)/);
    assert.equal(line.field, 'Query.boom');
    // The request line of the same request carries the same id.
    const req = await f.waitForLog({ msg: 'request', request_id: 'e2e-boom-1' });
    assert.equal(req.status, 200);
  });

  test('over HTTP, with a generated id, for a message the resolver did not mask', async () => {
    const f = await startFixture({ env: services.env });
    for (const media of ['application/json', 'application/graphql-response+json']) {
      const r = await post(f, { query: '{ leak }' }, { accept: media });
      assert.equal(r.status, 200, media);
      assert.match(r.id, /^[0-9a-f]{16,}$/);
      assertMasked(r.json.errors[0], ['leak']);
      assert.deepEqual(r.json.data, { leak: null });
      assert.doesNotMatch(r.text, SECRET);
      const line = await internalLine(f, r.id);
      assert.match(line.error, /leak failed \(secret detail 0xdecade\)/);
      assert.equal(line.path, 'leak');
    }
    // GET as well.
    const g = await fetch(`http://127.0.0.1:${f.port}/graphql?query=${encodeURIComponent('{ boom }')}`);
    const body = await g.json();
    assertMasked(body.errors[0], ['boom']);
    await internalLine(f, g.headers.get('x-request-id'));
  });

  test('a real failure: publishing while Valkey is unreachable', async () => {
    // No services: VALKEY_URL points at a port where nothing listens.
    const f = await startFixture();
    const r = await post(f, { query: 'mutation { sendMessage(text: "lost") { id } }' });
    assert.equal(r.status, 200);
    assert.equal(r.json.data, null); // sendMessage is non-null
    assertMasked(r.json.errors[0], ['sendMessage']);
    assert.doesNotMatch(r.text, SECRET);
    const line = await internalLine(f, r.id);
    assert.match(line.error, /the message could not be published/);
    assert.equal(line.field, 'Mutation.sendMessage');
  });

  test('over graphql-ws: operations and subscription events', async () => {
    const f = await startFixture({ env: services.env });
    const { c, seen } = wsClient(f);
    const publisher = wsClient(f);
    try {
      const q = await once(c, { query: '{ hello boom }' });
      assert.equal(q.data.hello, 'world');
      assertMasked(q.errors[0], ['boom']);
      assert.doesNotMatch(JSON.stringify(q), SECRET);
      assert.equal(seen.ids.length, 1);
      const sessionId = seen.ids[0];
      const line = await internalLine(f, sessionId);
      assert.match(line.error, /0xfacade/);

      // A subscription whose selection fails on every event: the event is
      // sent with the masked error, and the log names the session that
      // opened the subscription.
      const events = [];
      const done = new Promise((resolve, reject) => {
        c.subscribe(
          { query: 'subscription { messageAdded { text boom } }' },
          { next: (v) => events.push(v) && resolve(), error: reject, complete: () => {} },
        );
      });
      await sleep(300); // the SUBSCRIBE reaches Valkey
      const since = f.logs.length;
      await once(publisher.c, { query: 'mutation { sendMessage(text: "hi") { id } }' });
      await done;
      assert.equal(events[0].data.messageAdded.text, 'hi');
      assert.equal(events[0].data.messageAdded.boom, null);
      assertMasked(events[0].errors[0], ['messageAdded', 'boom']);
      assert.doesNotMatch(JSON.stringify(events[0]), SECRET);
      // graphql-ws' lazy client closed its first socket once the query was
      // answered, so the subscription came on a second one.
      const subscriber = seen.ids.at(-1);
      const eventLine = await f.waitForLog({ msg: 'internal error', field: 'Message.boom' }, { since });
      assert.equal(eventLine.request_id, subscriber);
      assert.match(eventLine.error, /0xfacade/);
    } finally {
      await c.dispose();
      await publisher.c.dispose();
    }
    // Each session's end is logged under its id.
    for (const id of seen.ids) await f.waitForLog({ msg: 'graphql-ws closed', request_id: id });
  });
});
