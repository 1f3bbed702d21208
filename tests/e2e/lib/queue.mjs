// Helpers for the queue interoperability tests: Facet's side is queue_tool
// (tests/queue/queue_tool.c, built next to the unit tests of FACET_BIN's
// build, or FACET_QUEUE_TOOL), run either as a one-shot producer command or
// as a worker whose JSON event lines are collected; BullMQ's side connects
// to the same Valkey. Every worker started here is killed when the file ends
// and its stderr is checked for sanitizer reports.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after } from 'node:test';
import { FACET_BIN, sanitizerReport } from './facet.mjs';
import { waitOn } from './waiters.mjs';

export const QUEUE_TOOL = path.resolve(
  process.env.FACET_QUEUE_TOOL || path.join(path.dirname(FACET_BIN), 'tests', 'queue_tool'),
);

export function queueToolMissing() {
  return fs.existsSync(QUEUE_TOOL) ? null : `${QUEUE_TOOL} is not built (target queue_tool)`;
}

function toolEnv(valkeyUrl, extra = {}) {
  const env = { PATH: process.env.PATH, VALKEY_URL: valkeyUrl, ...extra };
  for (const k of ['ASAN_OPTIONS', 'UBSAN_OPTIONS', 'LSAN_OPTIONS', 'TZ']) {
    if (process.env[k] !== undefined) env[k] = process.env[k];
  }
  return env;
}

/** Runs `queue_tool ...args` to completion; resolves its stdout. */
export function tool(valkeyUrl, args, { timeoutMs = 15000 } = {}) {
  return new Promise((resolve, reject) => {
    execFile(QUEUE_TOOL, args, { env: toolEnv(valkeyUrl), timeout: timeoutMs }, (err, stdout, stderr) => {
      const report = sanitizerReport(stderr);
      if (report) reject(new Error(`sanitizer report from queue_tool ${args.join(' ')}:\n${report}`));
      else if (err) reject(new Error(`queue_tool ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** Facet's job counts, in BullMQ's getJobCounts() names. */
export async function facetCounts(valkeyUrl, queue) {
  return JSON.parse(await tool(valkeyUrl, ['counts', queue]));
}

/** Adds jobs with Facet's producer; resolves their ids. */
export async function facetAdd(valkeyUrl, queue, name, data, opts = []) {
  const out = await tool(valkeyUrl, ['add', queue, name, JSON.stringify(data), ...opts]);
  return out.trim().split('\n');
}

const live = new Set();
process.on('exit', () => {
  for (const w of live) if (w.running) w.proc.kill('SIGKILL');
});
after(() => {
  for (const w of live) if (w.running) w.proc.kill('SIGKILL');
});

/** A running `queue_tool work QUEUE ...`. */
export class FacetWorker {
  constructor(valkeyUrl, queue, args = [], env = {}) {
    this.events = [];
    this.stderr = '';
    this.exit = null;
    this.waiters = new Set();
    this.proc = spawn(QUEUE_TOOL, ['work', queue, ...args], {
      env: toolEnv(valkeyUrl, env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(this);
    let partial = '';
    this.proc.stdout.setEncoding('utf8').on('data', (d) => {
      partial += d;
      let nl;
      while ((nl = partial.indexOf('\n')) >= 0) {
        const line = partial.slice(0, nl);
        partial = partial.slice(nl + 1);
        if (line.trim()) this.events.push(JSON.parse(line));
      }
      this.notify();
    });
    this.proc.stderr.setEncoding('utf8').on('data', (d) => (this.stderr += d));
    this.exited = new Promise((resolve) => {
      this.proc.once('close', (code, signal) => {
        this.exit = { code, signal };
        this.notify();
        resolve(this.exit);
      });
    });
  }

  get running() {
    return this.exit === null;
  }

  notify() {
    for (const w of [...this.waiters]) w();
  }

  /** Events named `event` (completed, failed, retrying, lost, ready, closed). */
  outcomes(event) {
    return this.events.filter((e) => e.event === event);
  }

  /** Waits until pred(events) holds. */
  waitFor(pred, { timeoutMs = 10000, what = 'a worker event' } = {}) {
    return waitOn(this.waiters, {
      check: () => pred(this.events) && this.events,
      gone: () =>
        !this.running && new Error(`queue_tool exited before ${what}: ${JSON.stringify(this.exit)}\n${this.stderr}`),
      timeoutMs,
      timeoutError: () =>
        new Error(`timed out waiting for ${what}; events: ${JSON.stringify(this.events)}\n${this.stderr.slice(-2000)}`),
    });
  }

  waitForCount(event, n, opts = {}) {
    return this.waitFor((evs) => evs.filter((e) => e.event === event).length >= n, {
      what: `${n} ${event} events`,
      ...opts,
    });
  }

  /** SIGTERM (graceful close), then the exit; throws on a sanitizer report. */
  async stop(signal = 'SIGTERM') {
    if (this.running) this.proc.kill(signal);
    await this.exited;
    live.delete(this);
    const report = sanitizerReport(this.stderr);
    if (report) throw new Error(`sanitizer report from queue_tool work:\n${report}`);
    return this.exit;
  }
}

/** BullMQ connection options for a redis:// URL. */
export function connectionOf(url) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname && u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    maxRetriesPerRequest: null,
  };
}

let serial = 0;
/** A queue name no other test uses. */
export function uniqueQueue(label) {
  serial += 1;
  return `e2e-${label}-${process.pid}-${serial}`;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls fn() until it returns a truthy value. */
export async function eventually(fn, { timeoutMs = 10000, intervalMs = 50, what = 'a condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await fn();
    if (last) return last;
    await sleep(intervalMs);
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}
