// A raw HTTP/1.x client over node:net: it sends exactly the bytes a test
// gives it and parses what comes back, so framing, pipelining and the
// connection's fate (kept open, closed, reset) can be checked byte for byte.
import net from 'node:net';
import { waitOn } from './waiters.mjs';

const CRLF = '\r\n';

/** Builds a request from parts; `headers` is a list of [name, value] or an object. */
export function request(method, target, { version = 'HTTP/1.1', host = 'facet.test', headers = [], body } = {}) {
  const list = Array.isArray(headers) ? headers : Object.entries(headers);
  let head = `${method} ${target} ${version}${CRLF}`;
  if (host !== null && version === 'HTTP/1.1') head += `Host: ${host}${CRLF}`;
  for (const [name, value] of list) head += `${name}: ${value}${CRLF}`;
  if (body !== undefined && !list.some(([n]) => /^(content-length|transfer-encoding)$/i.test(n))) {
    head += `Content-Length: ${Buffer.byteLength(body)}${CRLF}`;
  }
  head += CRLF;
  return body === undefined ? Buffer.from(head, 'latin1') : Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(body)]);
}

/**
 * Parses one response starting at `offset`. Returns null when the bytes are
 * not complete yet. `head` says the response answers a HEAD request (no
 * body); `closed` says the peer has closed, which ends a body that has no
 * length. Throws on bytes that are not an HTTP response.
 */
export function parseResponse(buf, offset = 0, { head = false, closed = false } = {}) {
  const end = buf.indexOf('\r\n\r\n', offset, 'latin1');
  if (end < 0) return null;
  const lines = buf.subarray(offset, end).toString('latin1').split('\r\n');
  const m = /^(HTTP\/\d\.\d) (\d{3})(?: (.*))?$/.exec(lines[0]);
  if (!m) throw new Error(`not an HTTP status line: ${JSON.stringify(lines[0])}`);
  const rawHeaders = [];
  const headers = {};
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    if (i <= 0) throw new Error(`malformed response header line: ${JSON.stringify(line)}`);
    const name = line.slice(0, i);
    const value = line.slice(i + 1).trim();
    rawHeaders.push([name, value]);
    const key = name.toLowerCase();
    headers[key] = key in headers ? `${headers[key]}, ${value}` : value;
  }
  const status = Number(m[2]);
  const res = { version: m[1], status, reason: m[3] ?? '', headers, rawHeaders, body: Buffer.alloc(0), end: end + 4 };
  let pos = end + 4;
  if (head || (status >= 100 && status < 200) || status === 204 || status === 304) return res;
  if (headers['transfer-encoding'] && /chunked\s*$/i.test(headers['transfer-encoding'])) {
    const parts = [];
    for (;;) {
      const eol = buf.indexOf('\r\n', pos, 'latin1');
      if (eol < 0) return null;
      const size = parseInt(buf.subarray(pos, eol).toString('latin1'), 16);
      if (Number.isNaN(size)) throw new Error('bad chunk size in response');
      pos = eol + 2;
      if (size === 0) {
        const tend = buf.indexOf('\r\n', pos, 'latin1');
        if (tend < 0) return null;
        if (tend === pos) { pos += 2; break; }
        const trailerEnd = buf.indexOf('\r\n\r\n', pos, 'latin1');
        if (trailerEnd < 0) return null;
        pos = trailerEnd + 4;
        break;
      }
      if (buf.length < pos + size + 2) return null;
      parts.push(buf.subarray(pos, pos + size));
      pos += size + 2;
    }
    res.body = Buffer.concat(parts);
    res.end = pos;
    return res;
  }
  if (headers['content-length'] !== undefined) {
    const len = Number(headers['content-length']);
    if (!Number.isInteger(len) || len < 0) throw new Error(`bad Content-Length in response: ${headers['content-length']}`);
    if (buf.length < pos + len) return null;
    res.body = buf.subarray(pos, pos + len);
    res.end = pos + len;
    return res;
  }
  if (!closed) return null;
  res.body = buf.subarray(pos);
  res.end = buf.length;
  return res;
}

/** Parses every complete response in `buf`; `heads[i]` marks the i-th as answering HEAD. */
export function parseAll(buf, { heads = [], closed = false } = {}) {
  const responses = [];
  let offset = 0;
  let finals = 0;
  while (offset < buf.length) {
    const r = parseResponse(buf, offset, { head: !!heads[finals], closed });
    if (!r) break;
    responses.push(r);
    if (r.status >= 200) finals++;
    offset = r.end;
  }
  return { responses, rest: buf.subarray(offset) };
}

export class RawClient {
  constructor(socket) {
    this.socket = socket;
    this.buf = Buffer.alloc(0);
    this.offset = 0; // bytes already handed out as parsed responses
    this.ended = false; // the server sent FIN
    this.closed = false;
    this.error = null; // e.g. ECONNRESET
    this.waiters = new Set();
    socket.on('data', (d) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.notify();
    });
    socket.on('end', () => {
      this.ended = true;
      this.notify();
    });
    socket.on('error', (e) => {
      this.error = e;
      this.notify();
    });
    socket.on('close', () => {
      this.closed = true;
      this.notify();
    });
  }

  static connect(port, { host = '127.0.0.1', timeoutMs = 3000 } = {}) {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`connect to ${host}:${port} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new RawClient(socket));
      });
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
  }

  notify() {
    for (const w of [...this.waiters]) w();
  }

  /** True once the server has closed its side (FIN or reset). */
  get gone() {
    return this.ended || this.closed || this.error !== null;
  }

  write(data) {
    return new Promise((resolve, reject) => {
      this.socket.write(data, (err) => (err ? reject(err) : resolve()));
    });
  }

  /** Waits until `pred()` is truthy; rejects after `timeoutMs` describing `what`. */
  waitFor(pred, timeoutMs, what) {
    return waitOn(this.waiters, {
      check: pred,
      timeoutMs,
      timeoutError: () =>
        new Error(`timed out after ${timeoutMs} ms waiting for ${what}; received so far: ${this.describe()}`),
    });
  }

  describe() {
    const text = this.buf.subarray(this.offset).toString('latin1');
    const shown = text.length > 600 ? `${text.slice(0, 600)}…(${text.length} bytes)` : text;
    return `${JSON.stringify(shown)} ended=${this.ended} closed=${this.closed} error=${this.error?.code ?? null}`;
  }

  /**
   * Waits for `n` more responses (interim 1xx ones included) and returns
   * them; `heads[i]` marks the i-th final response as answering HEAD.
   */
  async responses(n, { timeoutMs = 5000, heads = [] } = {}) {
    let got;
    await this.waitFor(
      () => {
        const { responses } = parseAll(this.buf.subarray(this.offset), { heads, closed: this.gone });
        if (responses.length >= n) {
          got = responses.slice(0, n);
          return true;
        }
        if (this.gone) {
          throw new Error(`connection closed after ${responses.length} of ${n} responses: ${this.describe()}`);
        }
        return false;
      },
      timeoutMs,
      `${n} response(s)`,
    );
    this.offset += got[got.length - 1].end;
    return got;
  }

  async response(opts) {
    const [r] = await this.responses(1, opts);
    return r;
  }

  /** Bytes received and not yet handed out as responses. */
  get unread() {
    return this.buf.subarray(this.offset);
  }

  /** Waits until the server closes the connection; returns the unread bytes. */
  async closedByServer(timeoutMs = 3000) {
    await this.waitFor(() => this.gone, timeoutMs, 'the server to close the connection');
    return this.unread;
  }

  /** Waits `ms` and checks the connection is still open. */
  async stillOpenAfter(ms) {
    await new Promise((r) => setTimeout(r, ms));
    return !this.gone;
  }

  destroy() {
    this.socket.destroy();
  }
}

/**
 * Opens a connection, writes `bytes`, and collects everything until the
 * server closes or `timeoutMs` passes. Returns the parsed responses, the
 * trailing bytes and whether the server closed.
 */
export async function exchange(port, bytes, { timeoutMs = 3000, heads = [] } = {}) {
  const c = await RawClient.connect(port);
  try {
    await c.write(bytes).catch(() => {});
    await c.waitFor(() => c.gone, timeoutMs, 'close').catch(() => {});
    const { responses, rest } = parseAll(c.buf, { heads, closed: c.gone });
    return { responses, rest, closed: c.gone, reset: c.error?.code === 'ECONNRESET', raw: c.buf };
  } finally {
    c.destroy();
  }
}

/** One request on a fresh connection, answered and closed by Connection: close. */
export async function get(port, target, { method = 'GET', headers = [], timeoutMs = 5000 } = {}) {
  const c = await RawClient.connect(port);
  try {
    await c.write(request(method, target, { headers: [...headers, ['Connection', 'close']] }));
    const [r] = await c.responses(1, { timeoutMs, heads: [method === 'HEAD'] });
    return r;
  } finally {
    c.destroy();
  }
}

/** Resolves true when a TCP connection to the port is refused. */
export function connectRefused(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const s = net.connect({ port, host });
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', (e) => resolve(e.code === 'ECONNREFUSED'));
  });
}

/** GET /readyz; resolves { status, body (parsed JSON), res }. */
export async function readyz(port, { timeoutMs = 5000 } = {}) {
  const res = await get(port, '/readyz', { timeoutMs });
  let body;
  try {
    body = JSON.parse(res.body.toString('utf8'));
  } catch {
    body = { unparsed: res.body.toString('utf8') };
  }
  return { status: res.status, body, res };
}

/**
 * Polls /readyz until `pred({status, body})` holds or `timeoutMs` passes.
 * Resolves the matching answer; rejects with the last one seen.
 */
export async function waitReadyz(port, pred, { timeoutMs = 10000, intervalMs = 200, what = 'a /readyz answer' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await readyz(port);
      if (pred(last)) return last;
    } catch (e) {
      last = { error: e.message };
    }
    if (Date.now() >= deadline) {
      throw new Error(`no ${what} within ${timeoutMs} ms; last: ${JSON.stringify(last?.error ?? [last.status, last.body])}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
