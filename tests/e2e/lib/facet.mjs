// Runs the facet binary for black-box tests: one-shot CLI runs, and `facet
// serve` processes whose JSON log lines are collected and awaited. Every
// process started here is killed when the test file ends, and its stderr is
// checked for sanitizer reports (ASan, UBSan, LSan) after every test.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, afterEach, beforeEach } from 'node:test';
import { waitOn } from './waiters.mjs';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const FACET_BIN = path.resolve(process.env.FACET_BIN || path.join(REPO_ROOT, 'build', 'facet'));
/** The fixture build beside FACET_BIN: serves the reference workload schema. */
export const FIXTURE_BIN = path.join(path.dirname(FACET_BIN), 'facet-fixture');
export const FIXTURE_SCHEMA = path.join(REPO_ROOT, 'tests', 'fixture', 'schema.graphql');

const SANITIZER_PATTERNS = [
  /ERROR: AddressSanitizer/,
  /ERROR: LeakSanitizer/,
  /LeakSanitizer/,
  /runtime error:/,
  /WARNING: ThreadSanitizer/,
];

/** Returns the first lines of a sanitizer report found in `stderr`, or null. */
export function sanitizerReport(stderr) {
  for (const re of SANITIZER_PATTERNS) {
    const m = re.exec(stderr);
    if (m) {
      const from = Math.max(0, stderr.lastIndexOf('\n', m.index) + 1);
      return stderr.slice(from, from + 4000);
    }
  }
  return null;
}

/** The environment a facet process starts from: nothing of the caller's FACET_* settings. */
function baseEnv() {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'LC_ALL', 'TZ', 'ASAN_OPTIONS', 'UBSAN_OPTIONS',
    'LSAN_OPTIONS', 'ASAN_SYMBOLIZER_PATH', 'LLVM_SYMBOLIZER_PATH'];
  const env = {};
  for (const k of keep) if (process.env[k] !== undefined) env[k] = process.env[k];
  env.UBSAN_OPTIONS ??= 'print_stacktrace=1';
  return env;
}

function mergeEnv(...layers) {
  const env = {};
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer ?? {})) {
      if (v === undefined || v === null) delete env[k];
      else env[k] = String(v);
    }
  }
  return env;
}

let scratch;
/** A temporary directory for this test file (the cwd and data dir of facet processes). */
export function scratchDir() {
  if (!scratch) {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-e2e-'));
    process.on('exit', () => fs.rmSync(scratch, { recursive: true, force: true }));
  }
  return scratch;
}

/** A loopback TCP port that was free a moment ago (nothing listens on it now). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const live = new Set();

process.on('exit', () => {
  for (const f of live) if (f.running) f.proc.kill('SIGKILL');
});

/** Runs `facet ...args` to completion. Resolves { code, signal, stdout, stderr }. */
export function runFacet(args, { env = {}, timeoutMs = 10000 } = {}) {
  return new Promise((resolve, reject) => {
    const proc = spawn(FACET_BIN, args, {
      env: mergeEnv(baseEnv(), env),
      cwd: scratchDir(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    proc.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`facet ${args.join(' ')} did not exit within ${timeoutMs} ms; stdout: ${stdout} stderr: ${stderr}`));
    }, timeoutMs);
    proc.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    proc.once('close', (code, signal) => {
      clearTimeout(timer);
      const report = sanitizerReport(stderr);
      if (report) reject(new Error(`sanitizer report from facet ${args.join(' ')}:\n${report}`));
      else resolve({ code, signal, stdout, stderr });
    });
  });
}

/** A running `facet serve`. */
export class FacetProcess {
  constructor(env, bin = FACET_BIN) {
    this.env = env;
    this.port = Number(env.FACET_PORT);
    this.logs = []; // parsed JSON lines from stdout
    this.badLines = []; // stdout lines that are not JSON objects
    this.stdout = '';
    this.stderr = '';
    this.exit = null; // { code, signal } once exited
    this.waiters = new Set();
    this.proc = spawn(bin, ['serve'], { env, cwd: scratchDir(), stdio: ['ignore', 'pipe', 'pipe'] });
    this.pid = this.proc.pid;
    live.add(this);
    let partial = '';
    this.proc.stdout.setEncoding('utf8').on('data', (d) => {
      this.stdout += d;
      partial += d;
      let nl;
      while ((nl = partial.indexOf('\n')) >= 0) {
        const line = partial.slice(0, nl);
        partial = partial.slice(nl + 1);
        if (line.trim() === '') continue;
        try {
          const obj = JSON.parse(line);
          if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new Error('not an object');
          this.logs.push(obj);
        } catch {
          this.badLines.push(line);
        }
      }
      this.notify();
    });
    this.proc.stderr.setEncoding('utf8').on('data', (d) => {
      this.stderr += d;
    });
    this.exited = new Promise((resolve) => {
      this.proc.once('close', (code, signal) => {
        this.exit = { code, signal };
        this.died = !this.stopRequested; // nobody asked it to stop
        this.notify();
        resolve(this.exit);
      });
    });
    this.proc.once('error', (e) => {
      this.spawnError = e;
      this.notify();
    });
  }

  get running() {
    return this.exit === null && !this.spawnError;
  }

  notify() {
    for (const w of [...this.waiters]) w();
  }

  describe() {
    return `facet pid ${this.pid} port ${this.port} exit=${JSON.stringify(this.exit)}\n` +
      `--- stdout (last 30 lines) ---\n${this.stdout.split('\n').slice(-30).join('\n')}\n` +
      `--- stderr ---\n${this.stderr.slice(-3000)}`;
  }

  /** Log lines matching `pred` (a function or a {key: value} pattern). */
  logsWhere(pred) {
    return this.logs.filter(toPredicate(pred));
  }

  /**
   * Waits for a log line matching `pred` among the lines from index `since`
   * on; resolves the line. Rejects on timeout or when the process exits.
   */
  waitForLog(pred, { timeoutMs = 5000, since = 0, what } = {}) {
    const match = toPredicate(pred);
    const label = what ?? (typeof pred === 'function' ? 'a log line' : JSON.stringify(pred));
    return waitOn(this.waiters, {
      check: () => this.logs.slice(since).find(match),
      gone: () => !this.running && new Error(`facet exited before logging ${label}\n${this.describe()}`),
      timeoutMs,
      timeoutError: () => new Error(`timed out after ${timeoutMs} ms waiting for log ${label}\n${this.describe()}`),
    });
  }

  signal(sig) {
    this.stopRequested = true;
    if (this.running) this.proc.kill(sig);
  }

  /** Resolves the exit { code, signal }, or rejects after `timeoutMs`. */
  waitExit(timeoutMs = 15000) {
    if (this.exit) return Promise.resolve(this.exit);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`facet did not exit within ${timeoutMs} ms\n${this.describe()}`)),
        timeoutMs,
      );
      this.exited.then((e) => {
        clearTimeout(timer);
        resolve(e);
      });
    });
  }

  /** Throws when stderr holds a sanitizer report. */
  checkSanitizer() {
    const report = sanitizerReport(this.stderr);
    if (report) throw new Error(`sanitizer report from facet pid ${this.pid}:\n${report}`);
  }

  /**
   * Stops the process with `signal` (null: it is already stopping) and
   * checks it ended well: exit code 0, no sanitizer report, only JSON on
   * stdout. SIGKILLs it after `timeoutMs`.
   */
  async stop({ signal = 'SIGTERM', timeoutMs = 15000 } = {}) {
    this.stopRequested = true;
    if (this.running && signal) this.proc.kill(signal);
    let exit;
    try {
      exit = await this.waitExit(timeoutMs);
    } catch (e) {
      this.proc.kill('SIGKILL');
      await this.exited;
      throw e;
    }
    this.checkSanitizer();
    if (exit.code !== 0) throw new Error(`facet exited with ${JSON.stringify(exit)} after ${signal}\n${this.describe()}`);
    if (this.badLines.length) throw new Error(`facet wrote non-JSON lines on stdout: ${JSON.stringify(this.badLines.slice(0, 5))}`);
    return exit;
  }

  /** Kills without ceremony (cleanup after a failure). */
  async kill() {
    this.stopRequested = true;
    if (this.running) this.proc.kill('SIGKILL');
    await this.exited;
  }
}

function toPredicate(pred) {
  if (typeof pred === 'function') return pred;
  return (line) => Object.entries(pred).every(([k, v]) => (v instanceof RegExp ? v.test(String(line[k])) : line[k] === v));
}

/** Settings every test server gets unless the test overrides them. */
async function defaultServeEnv() {
  return {
    FACET_HOST: '127.0.0.1',
    FACET_THREADS: '1',
    FACET_LOG_LEVEL: 'info',
    // Nothing listens on these: tests that need the services pass real URLs.
    VALKEY_URL: `redis://127.0.0.1:${await freePort()}`,
    MONGODB_URI: `mongodb://127.0.0.1:${await freePort()}/facet`,
    FACET_DEPENDENCY_TIMEOUT: '500ms',
    FACET_SHUTDOWN_TIMEOUT: '5s',
    FACET_DATA_DIR: path.join(scratchDir(), 'data'),
  };
}

/**
 * Starts `facet serve` with `env` layered over the test defaults and waits
 * for its "ready" line. A free port is chosen unless FACET_PORT is given; if
 * another process takes that port first, start-up is retried on another.
 */
export async function startFacet({ env = {}, readyTimeoutMs = 15000, waitReady = true, bin } = {}) {
  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = env.FACET_PORT ?? (await freePort());
    const f = new FacetProcess(mergeEnv(baseEnv(), await defaultServeEnv(), env, { FACET_PORT: port }), bin);
    try {
      if (!waitReady) {
        // Without a "ready" line (e.g. FACET_LOG_LEVEL=warn) wait until it accepts.
        await waitAccepting(f, port, readyTimeoutMs);
        return f;
      }
      const ready = await f.waitForLog({ msg: 'ready' }, { timeoutMs: readyTimeoutMs });
      if (Number(ready.port) !== Number(port)) {
        throw new Error(`"ready" names port ${ready.port}, expected ${port}`);
      }
      return f;
    } catch (e) {
      await f.kill();
      lastError = e;
      const portTaken = /in use|EADDRINUSE/i.test(f.stderr + f.stdout);
      if (env.FACET_PORT !== undefined || !portTaken) break;
    }
  }
  throw lastError;
}

async function waitAccepting(f, port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (f.running) {
    const ok = await new Promise((resolve) => {
      const s = net.connect({ port, host: '127.0.0.1' });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`facet did not accept connections within ${timeoutMs} ms\n${f.describe()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`facet exited during start-up\n${f.describe()}`);
}

/**
 * Registers the hooks every test file needs (call it once, at top level):
 * after each test, no process may have printed a sanitizer report or died
 * unasked; when the file ends, every process still running is stopped with
 * SIGTERM and must exit 0 with a clean stderr (leaks are reported at exit),
 * and the ones that ended earlier are checked once more.
 */
let cleanupRegistered = false;
/** Starts the fixture build (the reference workload schema) with env. */
export function startFixture({ env = {}, ...rest } = {}) {
  return startFacet({ ...rest, bin: FIXTURE_BIN, env: { FACET_SCHEMA: FIXTURE_SCHEMA, ...env } });
}

export function useFacetCleanup() {
  if (cleanupRegistered) return;
  cleanupRegistered = true;
  afterEach(async () => {
    // A crash shows up in a test as a reset connection slightly before its
    // report reaches our end of the stderr pipe: give it a moment.
    await new Promise((r) => setTimeout(r, 25));
    const problems = [];
    for (const f of live) {
      if (f.reported) continue; // once per process
      const report = sanitizerReport(f.stderr);
      if (report) problems.push(`sanitizer report from facet pid ${f.pid}:\n${report}`);
      else if (f.died) problems.push(`facet died during the test: ${JSON.stringify(f.exit)}\n${f.describe()}`);
      else continue;
      f.reported = true;
    }
    if (problems.length) throw new Error(problems.join('\n'));
  });
  after(async () => {
    const problems = [];
    await Promise.all(
      [...live].map(async (f) => {
        live.delete(f);
        if (f.running) {
          await f.stop({ timeoutMs: 10000 }).catch((e) => problems.push(e.message));
          return;
        }
        // Reported again here: a hook error after a failed test is not always shown.
        const report = sanitizerReport(f.stderr);
        if (report) problems.push(`sanitizer report from facet pid ${f.pid}:\n${report}`);
        else if (f.died) problems.push(`facet pid ${f.pid} died: ${JSON.stringify(f.exit)}\n${f.describe()}`);
      }),
    );
    if (problems.length) throw new Error(problems.join('\n'));
  });
}

/**
 * One facet shared by the tests of a file, started before the first test
 * and restarted before any test if it died (so one crash fails one test,
 * not all that follow); stopped, and checked, when the file ends. Returns a
 * function giving the current process.
 */
export function sharedFacet(options = {}) {
  useFacetCleanup();
  let current = null;
  beforeEach(async () => {
    if (!current || !current.running) current = await startFacet(options);
  });
  return () => current;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
