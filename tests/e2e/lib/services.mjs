// Valkey and FerretDB for the tests that need them. When the caller already
// set VALKEY_URL and MONGODB_URI, those are used as they are and nothing is
// started; otherwise `scripts/services start` runs in a temporary state dir
// of this test file (its own ports), and `stop()` tears it down.
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { REPO_ROOT } from './facet.mjs';

export const SERVICES_SCRIPT = path.join(REPO_ROOT, 'scripts', 'services');

function run(args, env, timeoutMs) {
  return new Promise((resolve, reject) => {
    execFile(SERVICES_SCRIPT, args, { env, timeout: timeoutMs, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      if (err) {
        reject(new Error(`scripts/services ${args.join(' ')} failed (${err.code ?? err.signal}):\n${stdout}${stderr}`));
      } else {
        resolve(stdout + stderr);
      }
    });
  });
}

function parseEnvFile(file) {
  const vars = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*(?:export\s+)?([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (m) vars[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return vars;
}

const managed = new Set();

// If the test process ends without `stop()` (a crash, a cancelled run), the
// daemons must not outlive it.
process.on('exit', () => {
  for (const s of managed) {
    try {
      execFileSync(SERVICES_SCRIPT, ['stop'], { env: s.scriptEnv(), stdio: 'ignore', timeout: 20000 });
    } catch {}
    fs.rmSync(s.dir, { recursive: true, force: true });
  }
});

class Services {
  constructor({ dir, external, vars, ports = {} }) {
    this.dir = dir; // state dir of scripts/services, or null
    this.external = external;
    this.ports = ports; // fixed ports asked for: { valkey, ferretdb }
    this.valkeyUrl = vars.VALKEY_URL;
    this.mongoUri = vars.MONGODB_URI;
  }

  /** Environment for `facet serve`. */
  get env() {
    return { VALKEY_URL: this.valkeyUrl, MONGODB_URI: this.mongoUri };
  }

  /** Why a service cannot be stopped and restarted here, or null when it can. */
  get restartUnsupported() {
    if (!this.dir) {
      return 'VALKEY_URL and MONGODB_URI were given by the caller without FACET_SERVICES_DIR, so the tests cannot stop and restart Valkey or FerretDB';
    }
    return null;
  }

  scriptEnv() {
    const env = { ...process.env, FACET_SERVICES_DIR: this.dir };
    // A fixed port from the caller's shell must not leak into a test state dir.
    if (!this.external) {
      delete env.FACET_VALKEY_PORT;
      delete env.FACET_FERRETDB_PORT;
      delete env.FACET_S3_PORT;
      if (this.ports.valkey) env.FACET_VALKEY_PORT = String(this.ports.valkey);
      if (this.ports.ferretdb) env.FACET_FERRETDB_PORT = String(this.ports.ferretdb);
    }
    return env;
  }

  /** `scripts/services stop NAME` (valkey or ferretdb). */
  stopService(name) {
    return run(['stop', name], this.scriptEnv(), 30000);
  }

  /** `scripts/services start NAME`: back on the port it had. */
  startService(name) {
    return run(['start', name], this.scriptEnv(), 60000);
  }

  async stop() {
    if (this.external || !this.dir) return;
    managed.delete(this);
    try {
      await run(['stop'], this.scriptEnv(), 30000);
    } finally {
      fs.rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

/** Waits (bounded) for scripts/services to exist: it may still be being written. */
async function waitForScript(timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      fs.accessSync(SERVICES_SCRIPT, fs.constants.X_OK);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  throw new Error(`${SERVICES_SCRIPT} does not exist or is not executable`);
}

/**
 * Starts (or adopts) Valkey and FerretDB. Call `stop()` on the result in
 * `after`. `own: true` always starts a private pair (never the caller's),
 * on the fixed `ports` ({ valkey, ferretdb }) when given.
 */
export async function startServices({ own = false, ports = {} } = {}) {
  if (!own && process.env.VALKEY_URL && process.env.MONGODB_URI) {
    return new Services({
      dir: process.env.FACET_SERVICES_DIR || null,
      external: true,
      vars: { VALKEY_URL: process.env.VALKEY_URL, MONGODB_URI: process.env.MONGODB_URI },
    });
  }
  await waitForScript(5000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-e2e-services-'));
  const s = new Services({ dir, external: false, vars: {}, ports });
  managed.add(s);
  try {
    await run(['start'], s.scriptEnv(), 120000);
    const vars = parseEnvFile(path.join(dir, 'env'));
    if (!vars.VALKEY_URL || !vars.MONGODB_URI) throw new Error(`${dir}/env lacks VALKEY_URL or MONGODB_URI`);
    s.valkeyUrl = vars.VALKEY_URL;
    s.mongoUri = vars.MONGODB_URI;
  } catch (e) {
    await s.stop().catch(() => {});
    throw e;
  }
  return s;
}

/**
 * Starts the services before the file's tests and stops them after
 * (options.beforeStop runs first). Returns a view whose properties read the
 * started services (valid inside tests).
 */
export function useServices(options = {}) {
  const { beforeStop, ...startOptions } = options;
  let started;
  before(async () => {
    started = await startServices(startOptions);
  });
  // Clients of the services (BullMQ, ioredis) are closed first: closed after
  // the services stop, they would retry forever and keep the file running.
  after(async () => {
    await beforeStop?.();
    await started?.stop();
  });
  return new Proxy({}, { get: (_, key) => started?.[key] });
}

/**
 * An S3-compatible store for a test: the caller's (S3_ENDPOINT and the rest
 * from scripts/services' env file), or else a private s3rver started by
 * scripts/services in a temporary folder, stopped by `stop()`.
 */
export async function startS3() {
  if (process.env.S3_ENDPOINT) {
    return {
      endpoint: process.env.S3_ENDPOINT,
      bucket: process.env.S3_BUCKET ?? 'facet-media',
      region: process.env.S3_REGION ?? 'us-east-1',
      accessKey: process.env.S3_ACCESS_KEY_ID ?? 'S3RVER',
      secret: process.env.S3_SECRET_ACCESS_KEY ?? 'S3RVER',
      stop: async () => {},
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-e2e-s3-'));
  const env = { ...process.env, FACET_SERVICES_DIR: dir };
  delete env.FACET_S3_PORT;
  delete env.S3_BUCKET;
  await run(['start', 's3'], env, 120000);
  const vars = parseEnvFile(path.join(dir, 'env'));
  return {
    endpoint: vars.S3_ENDPOINT,
    bucket: vars.S3_BUCKET,
    region: vars.S3_REGION ?? 'us-east-1',
    accessKey: vars.S3_ACCESS_KEY_ID,
    secret: vars.S3_SECRET_ACCESS_KEY,
    stop: async () => {
      await run(['stop', 's3'], env, 120000).catch(() => {});
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
