// Assertions shared by the tests of rejected requests: exactly one error
// response, marked Connection: close, with a JSON error body, and the server
// closing the connection right after it (nothing pipelined behind the bad
// request may be answered).
import assert from 'node:assert/strict';
import { exchange, request } from './raw.mjs';

/** A request that must never be answered when it follows a rejected one. */
export const FOLLOW_UP = request('GET', '/healthz', { headers: [['X-Request-Id', 'must-not-be-answered']] });

export function assertErrorResponse(res, status, label = '') {
  assert.equal(res.status, status, `${label} status: got ${res.status} ${res.reason}, body ${res.body}`);
  assert.equal(res.headers.connection?.toLowerCase(), 'close', `${label} Connection header`);
  assert.match(res.headers['content-type'] ?? '', /^application\/json/, `${label} Content-Type`);
  const body = JSON.parse(res.body.toString('utf8'));
  assert.equal(typeof body.error, 'string', `${label} JSON error body`);
  assert.ok(res.headers['x-request-id'], `${label} X-Request-Id`);
}

/**
 * Sends `bytes` (the follow-up request is appended unless `followUp` is
 * false) and checks the server answers `status` (or one of an array),
 * exactly once, and closes within `timeoutMs`.
 */
export async function expectRejected(port, bytes, status, { followUp = true, timeoutMs = 3000, label = '' } = {}) {
  const data = followUp ? Buffer.concat([Buffer.from(bytes), FOLLOW_UP]) : Buffer.from(bytes);
  const t0 = Date.now();
  const r = await exchange(port, data, { timeoutMs });
  const elapsed = Date.now() - t0;
  const shown = JSON.stringify(r.raw.toString('latin1').slice(0, 400));
  assert.ok(r.responses.length >= 1, `${label} no response (closed=${r.closed}, reset=${r.reset}); got ${shown}`);
  const statuses = Array.isArray(status) ? status : [status];
  const res = r.responses[0];
  assert.ok(statuses.includes(res.status), `${label} expected ${statuses.join(' or ')}, got ${res.status}; ${shown}`);
  assertErrorResponse(res, res.status, label);
  assert.equal(r.responses.length, 1, `${label} more than one response: ${shown}`);
  assert.equal(r.rest.length, 0, `${label} trailing bytes: ${shown}`);
  assert.ok(r.closed, `${label} the server did not close the connection within ${timeoutMs} ms`);
  return { res, elapsed };
}
