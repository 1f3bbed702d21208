// `facet work` (issue 6): the job workers without the HTTP API. It starts one
// loop per FACET_THREADS with a worker for each of the product's queues,
// keeps the maintenance job's scheduler in place, processes jobs that Node
// BullMQ producers add, and on SIGTERM drains and exits 0.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import { after, describe, test } from 'node:test';
import { Queue } from 'bullmq';
import { FACET_BIN, runFacet, sanitizerReport, scratchDir, sleep } from './lib/facet.mjs';
import { withDatabase } from './lib/product.mjs';
import { connectionOf } from './lib/queue.mjs';
import { useServices } from './lib/services.mjs';

const services = useServices();
const probe = await runFacet(['work', '--help']).catch((e) => ({ code: -1, stderr: e.message }));
const unwired = probe.code === 0 ? false : `facet work is not available yet (${probe.stderr.split('\n')[0]})`;

const live = new Set();
after(() => {
  for (const p of live) p.kill('SIGKILL');
});

/** Starts `facet work` on a queue prefix of its own; resolves once it is ready. */
async function startWork(extra = {}) {
  const prefix = `work${crypto.randomBytes(4).toString('hex')}`;
  const proc = spawn(FACET_BIN, ['work'], {
    env: {
      PATH: process.env.PATH,
      ASAN_OPTIONS: process.env.ASAN_OPTIONS ?? '',
      VALKEY_URL: services.valkeyUrl,
      MONGODB_URI: withDatabase(services.mongoUri, `e2e_work_${crypto.randomBytes(6).toString('hex')}`),
      FACET_QUEUE_PREFIX: prefix,
      FACET_THREADS: '2',
      ...extra,
    },
    cwd: scratchDir(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(proc);
  const w = { proc, prefix, stdout: '', stderr: '' };
  proc.stdout.setEncoding('utf8').on('data', (d) => (w.stdout += d));
  proc.stderr.setEncoding('utf8').on('data', (d) => (w.stderr += d));
  w.exited = new Promise((resolve) => proc.once('close', (code, signal) => resolve({ code, signal })));
  const deadline = Date.now() + 10000;
  while (!/"msg":"workers ready"/.test(w.stdout) && Date.now() < deadline) await sleep(50);
  return w;
}

async function stop(w) {
  w.proc.kill('SIGTERM');
  const exit = await w.exited;
  live.delete(w.proc);
  assert.deepEqual(exit, { code: 0, signal: null }, w.stderr);
  assert.match(w.stdout, /"msg":"stopped"/);
  assert.equal(sanitizerReport(w.stderr), null);
}

describe('facet work', { skip: unwired }, () => {
  test('--help lists the settings it reads', () => {
    assert.match(probe.stdout, /Usage: facet work/);
    assert.match(probe.stdout, /VALKEY_URL/);
    assert.match(probe.stdout, /MONGODB_URI/);
    assert.match(probe.stdout, /FACET_QUEUE_PREFIX/);
  });

  test('runs, and drains on SIGTERM', { timeout: 30000 }, async () => {
    const w = await startWork();
    assert.match(w.stdout, /"msg":"workers ready","threads":2,"queues":2/);
    await stop(w);
  });

  test('processes a Node BullMQ job and keeps the maintenance scheduler', { timeout: 30000 }, async (t) => {
    const w = await startWork({ FACET_MAINTENANCE_EVERY: '1h' });
    const connection = connectionOf(services.valkeyUrl);
    const activity = new Queue('facet-activity', { connection, prefix: w.prefix });
    const maintenance = new Queue('facet-maintenance', { connection, prefix: w.prefix });
    t.after(() => Promise.all([activity.close(), maintenance.close()]));

    const id = crypto.randomBytes(12).toString('hex');
    const job = await activity.add('activity', {
      id, userId: null, operation: 'node: spendGems', args: { spendGems: { amount: 1 } }, address: null,
      userAgent: 'node', outcome: 'error', code: 'INSUFFICIENT_FUNDS', requestId: 'r1', createdAt: Date.now(),
    });
    let done;
    for (let i = 0; i < 100 && !done?.finishedOn; i++) {
      await sleep(100);
      done = await activity.getJob(job.id);
    }
    assert.deepEqual(done.returnvalue, { activities: 1, inserted: 1 }, done.failedReason);
    assert.match(done.processedBy ?? '', /^facet-\d$/);

    const scheduler = await maintenance.getJobScheduler('maintenance');
    assert.equal(scheduler.name, 'maintenance');
    assert.equal(Number(scheduler.every), 3600000);
    for (let i = 0; i < 100 && !/"msg":"maintenance"/.test(w.stdout); i++) await sleep(100);
    assert.match(w.stdout, /"msg":"maintenance","activities_deleted":0,"sessions_deleted":0/);
    await stop(w);
  });
});
