// The command line: help, version, usage errors, and configuration errors
// that must stop `facet serve` before it listens (issue 2, points 5 and 6).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, test } from 'node:test';
import { freePort, runFacet, scratchDir, startFacet, useFacetCleanup } from './lib/facet.mjs';
import { JWT_SECRET, PRODUCT_SCHEMA } from './lib/product.mjs';
import { get } from './lib/raw.mjs';

useFacetCleanup();

// Every setting `facet serve --help` must list, each with a default.
const SERVE_VARS = [
  'FACET_HOST', 'FACET_PORT', 'FACET_THREADS', 'MONGODB_URI', 'VALKEY_URL', 'FACET_DATA_DIR',
  'FACET_LOG_LEVEL', 'FACET_MAX_REQUEST_LINE', 'FACET_MAX_HEADER_SIZE', 'FACET_MAX_HEADERS',
  'FACET_MAX_BODY_SIZE', 'FACET_REQUEST_TIMEOUT', 'FACET_IDLE_TIMEOUT', 'FACET_SHUTDOWN_TIMEOUT',
  'FACET_DEPENDENCY_TIMEOUT',
];

describe('command line', () => {
  test('--help prints usage naming serve and exits 0', async () => {
    const r = await runFacet(['--help']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /usage/i);
    assert.match(r.stdout, /\bserve\b/);
  });

  test('--version prints the version and exits 0', async () => {
    const r = await runFacet(['--version']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout.trim(), /^facet \d+\.\d+\.\d+/);
  });

  test('no command prints usage and exits 2', async () => {
    const r = await runFacet([]);
    assert.equal(r.code, 2);
    assert.match(r.stdout + r.stderr, /usage/i);
  });

  test('an unknown command prints usage on stderr and exits 2', async () => {
    const r = await runFacet(['frobnicate']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /frobnicate/);
    assert.match(r.stderr, /usage/i);
  });

  test('an unknown flag exits 2 with usage', async () => {
    const r = await runFacet(['--frobnicate']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--frobnicate/);
    assert.match(r.stderr, /usage/i);
  });

  test('an unknown flag of serve exits 2 with usage', async () => {
    const r = await runFacet(['serve', '--frobnicate']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--frobnicate/);
    assert.match(r.stderr, /usage/i);
  });

  test('serve --help lists every variable with its default and exits 0', async () => {
    const r = await runFacet(['serve', '--help']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    for (const name of SERVE_VARS) {
      const line = lines.find((l) => new RegExp(`^\\s*${name}\\b`).test(l));
      assert.ok(line, `serve --help does not list ${name}:\n${r.stdout}`);
      assert.match(line, /\[[^\]]+\]\s*$/, `${name} has no default in brackets: ${line}`);
    }
  });
});

describe('invalid configuration stops start-up with exit 2 naming the variable', () => {
  const cases = [
    ['FACET_PORT', 'abc'],
    ['FACET_PORT', '70000'],
    ['FACET_PORT', '-1'],
    ['FACET_THREADS', 'many'],
    ['FACET_MAX_BODY_SIZE', 'lots'],
    ['FACET_MAX_HEADER_SIZE', '12XB'],
    ['FACET_MAX_REQUEST_LINE', ''],
    ['FACET_MAX_HEADERS', 'ten'],
    ['FACET_LOG_LEVEL', 'loud'],
    ['FACET_REQUEST_TIMEOUT', 'soon'],
    ['FACET_IDLE_TIMEOUT', '-5s'],
    ['FACET_SHUTDOWN_TIMEOUT', '10 parsecs'],
    ['FACET_DEPENDENCY_TIMEOUT', 'ms'],
    ['VALKEY_URL', 'http://127.0.0.1:6379'],
    ['MONGODB_URI', 'not-a-uri'],
  ];
  for (const [name, value] of cases) {
    test(`${name}=${JSON.stringify(value)}`, async () => {
      const port = await freePort();
      const r = await runFacet(['serve'], {
        env: { FACET_HOST: '127.0.0.1', FACET_PORT: String(port), FACET_THREADS: '1', [name]: value },
        timeoutMs: 10000,
      });
      assert.equal(r.code, 2, `exit ${r.code}; stderr: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(name), `stderr does not name ${name}: ${r.stderr}`);
      assert.doesNotMatch(r.stdout, /"msg":"ready"/, 'it must not start listening');
    });
  }

  test('FACET_MAX_REQUEST_LINE larger than FACET_MAX_HEADER_SIZE', async () => {
    const r = await runFacet(['serve'], {
      env: { FACET_HOST: '127.0.0.1', FACET_PORT: String(await freePort()), FACET_MAX_REQUEST_LINE: '8KiB', FACET_MAX_HEADER_SIZE: '1KiB' },
    });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /FACET_MAX_REQUEST_LINE|FACET_MAX_HEADER_SIZE/);
  });
});

test('a port already in use stops start-up with a non-zero exit and a message', async () => {
  const blocker = net.createServer();
  await new Promise((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const { port } = blocker.address();
  try {
    const r = await runFacet(['serve'], {
      env: {
        FACET_HOST: '127.0.0.1',
        FACET_PORT: String(port),
        FACET_THREADS: '1',
        VALKEY_URL: `redis://127.0.0.1:${await freePort()}`,
        MONGODB_URI: `mongodb://127.0.0.1:${await freePort()}/facet`,
      },
      timeoutMs: 10000,
    });
    assert.notEqual(r.code, 0, 'facet must fail when its port is taken');
    assert.equal(r.signal, null);
    assert.match(r.stderr + r.stdout, /in use/i);
    assert.match(r.stderr + r.stdout, new RegExp(String(port)));
    assert.doesNotMatch(r.stdout, /"msg":"ready"/);
  } finally {
    blocker.close();
  }
});

test('start-up logs "start" then "ready" with the port as JSON lines', async () => {
  const f = await startFacet();
  const start = f.logs.findIndex((l) => l.msg === 'start');
  const ready = f.logs.findIndex((l) => l.msg === 'ready');
  assert.ok(start >= 0 && start < ready, `expected start before ready: ${f.stdout}`);
  for (const line of f.logs) {
    assert.equal(typeof line.time, 'string');
    assert.ok(!Number.isNaN(Date.parse(line.time)), `time is not a date: ${line.time}`);
    assert.match(line.level, /^(debug|info|warn|error)$/);
  }
  assert.equal(f.logs[ready].port, f.port);
  await f.stop();
});

test('a relative FACET_DATA_DIR (as scripts/run passes) is taken from the working directory', async () => {
  const rel = path.join(`relative-data-${process.pid}`, 'data');
  // The product schema brings the fs storage, which wants an absolute path;
  // MongoDB and Valkey may stay away for this.
  const f = await startFacet({ env: { FACET_DATA_DIR: rel, FACET_SCHEMA: PRODUCT_SCHEMA, FACET_JWT_SECRET: JWT_SECRET } });
  const media = path.join(scratchDir(), rel, 'media');
  assert.ok(fs.statSync(media).isDirectory(), 'the fs storage made <data dir>/media');
  const key = 'images/0123456789abcdef01234567/thumb.webp';
  fs.mkdirSync(path.dirname(path.join(media, key)), { recursive: true });
  fs.writeFileSync(path.join(media, key), 'RIFF....WEBP');
  const r = await get(f.port, `/media/${key}`);
  assert.equal(r.status, 200);
  assert.equal(r.body.toString(), 'RIFF....WEBP');
  await f.stop();
});

test('FACET_LOG_LEVEL=warn drops info lines such as request lines', async () => {
  const f = await startFacet({ env: { FACET_LOG_LEVEL: 'warn' }, waitReady: false });
  const r = await get(f.port, '/healthz');
  assert.equal(r.status, 200);
  await f.stop();
  const info = f.logs.filter((l) => l.level === 'info' || l.level === 'debug');
  assert.deepEqual(info, [], 'no info or debug line at level warn');
});

test('a second facet on the port a running facet holds fails to start', async () => {
  // SO_REUSEPORT lets a process of the same user bind a port that is already
  // listening; a second `facet serve` must still refuse to share its port
  // with another server instead of silently splitting the traffic.
  const first = await startFacet();
  const r = await runFacet(['serve'], {
    env: {
      FACET_HOST: '127.0.0.1',
      FACET_PORT: String(first.port),
      FACET_THREADS: '1',
      VALKEY_URL: `redis://127.0.0.1:${await freePort()}`,
      MONGODB_URI: `mongodb://127.0.0.1:${await freePort()}/facet`,
    },
    timeoutMs: 3000,
  }).catch((e) => ({ code: 'still running', stdout: '', stderr: String(e.message).slice(0, 300) }));
  assert.notEqual(r.code, 0);
  assert.notEqual(r.code, 'still running', 'the second facet started and shares the port');
  assert.match(r.stderr + r.stdout, /in use/i);
  await first.stop();
});

test('passwords in VALKEY_URL and MONGODB_URI never reach the output', async () => {
  const f = await startFacet({
    env: {
      VALKEY_URL: `redis://:vk-s3cret-pw@127.0.0.1:${await freePort()}`,
      MONGODB_URI: `mongodb://facet:mg-s3cret-pw@127.0.0.1:${await freePort()}/facet`,
    },
  });
  await f.waitForLog({ msg: 'dependency unavailable', dependency: 'valkey' });
  await f.waitForLog({ msg: 'dependency unavailable', dependency: 'mongodb' });
  assert.equal((await get(f.port, '/readyz')).status, 503);
  await f.stop();
  const out = f.stdout + f.stderr;
  assert.doesNotMatch(out, /vk-s3cret-pw/);
  assert.doesNotMatch(out, /mg-s3cret-pw/);
});
