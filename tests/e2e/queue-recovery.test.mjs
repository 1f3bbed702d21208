// Facet workers that die or lose Valkey (issue 6): a worker killed with
// SIGKILL in the middle of a job leaves it to stalled recovery, and another
// worker completes it exactly once; a worker whose Valkey goes away and comes
// back (same data, same port) pauses and resumes without losing a job; a
// SIGTERM lets the running job finish. This file has its own services: it
// restarts Valkey.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { Job, Queue } from 'bullmq';
import IORedis from 'ioredis';
import { FacetWorker, connectionOf, eventually, queueToolMissing, sleep, uniqueQueue } from './lib/queue.mjs';
import { useServices } from './lib/services.mjs';

const services = useServices({ own: true, beforeStop: closeClients });
const skip = queueToolMissing();
const opened = [];
const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-queue-'));

async function closeClients() {
  for (const o of opened.reverse()) await o.close().catch(() => {});
  fs.rmSync(logDir, { recursive: true, force: true });
}

function nodeQueue(label) {
  const name = uniqueQueue(label);
  const q = new Queue(name, { connection: connectionOf(services.valkeyUrl) });
  opened.push(q);
  return { name, q };
}

function readLog(file) {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : [];
}

async function streamEventsFor(name, jobId) {
  const client = new IORedis(services.valkeyUrl);
  try {
    const entries = await client.xrange(`bull:${name}:events`, '-', '+');
    return entries.map(([, f]) => Object.fromEntries(f.reduce((a, v, i) => (i % 2 ? a : [...a, [v, f[i + 1]]]), [])))
      .filter((e) => e.jobId === jobId).map((e) => e.event);
  } finally {
    client.disconnect();
  }
}

describe('Facet workers recover', { skip: skip ?? false }, () => {
  test('a worker killed mid-job: stalled recovery completes the job exactly once', { timeout: 60000 }, async () => {
    const { name, q } = nodeQueue('sigkill');
    const log = path.join(logDir, 'sigkill.log');
    const job = await q.add('record', { ms: 3000 });
    const args = ['--lock-ms', '1000', '--stalled-ms', '500'];
    const a = new FacetWorker(services.valkeyUrl, name, args, { QUEUE_TOOL_LOG: log });
    await eventually(() => readLog(log).includes(`start ${job.id}`), { what: 'the first worker to start the job' });
    a.proc.kill('SIGKILL');
    await a.exited;
    assert.equal(await (await Job.fromId(q, job.id)).getState(), 'active');

    const b = new FacetWorker(services.valkeyUrl, name, args, { QUEUE_TOOL_LOG: log });
    await b.waitForCount('completed', 1, { timeoutMs: 20000 });
    await sleep(1500); // a second completion would show up here
    await b.stop();
    assert.deepEqual(readLog(log), [`start ${job.id}`, `start ${job.id}`, `end ${job.id}`]);
    assert.equal(b.outcomes('completed').length, 1);
    const done = await Job.fromId(q, job.id);
    assert.equal(await done.getState(), 'completed');
    assert.equal(done.returnvalue, 'recorded');
    assert.equal(done.stalledCounter, 1);
    assert.equal(done.attemptsStarted, 2);
    const events = await streamEventsFor(name, job.id);
    assert.equal(events.filter((e) => e === 'completed').length, 1);
    assert.ok(events.includes('stalled'));
    assert.deepEqual(await q.getJobCounts('active', 'waiting', 'completed'), { active: 0, waiting: 0, completed: 1 });
  });

  test('SIGTERM lets the running job finish before the worker exits', { timeout: 30000 }, async () => {
    const { name, q } = nodeQueue('sigterm');
    const job = await q.add('sleep', { ms: 800 });
    await q.add('sleep', { ms: 800 });
    const w = new FacetWorker(services.valkeyUrl, name);
    await eventually(async () => (await Job.fromId(q, job.id)).processedOn, { what: 'the first job to start' });
    const exit = await w.stop('SIGTERM');
    assert.equal(exit.code, 0);
    assert.deepEqual(w.outcomes('closed'), [{ event: 'closed', abandoned: 0 }]);
    assert.deepEqual(await q.getJobCounts('active', 'waiting', 'completed'), { active: 0, waiting: 1, completed: 1 });
  });

  test('Valkey goes away and comes back: the worker pauses and resumes, no job is lost', { timeout: 90000 }, async (t) => {
    if (services.restartUnsupported) {
      t.skip(services.restartUnsupported);
      return;
    }
    const { name, q } = nodeQueue('outage');
    const total = 40;
    await q.addBulk(Array.from({ length: total }, (_, i) => ({ name: 'sleep', data: { ms: 60, i } })));
    const w = new FacetWorker(services.valkeyUrl, name, ['--concurrency', '4', '--lock-ms', '2000', '--stalled-ms', '1000']);
    await w.waitForCount('completed', 8);
    // Keep the data across the restart: the local Valkey runs without
    // persistence, so save a snapshot that the restarted server loads.
    const admin = new IORedis(services.valkeyUrl);
    await admin.save();
    admin.disconnect();
    await services.stopService('valkey');
    await sleep(1500);
    const during = w.outcomes('completed').length;
    await services.startService('valkey');
    await eventually(async () => {
      const c = await q.getJobCounts('completed', 'waiting', 'active');
      return c.completed === total && c.waiting === 0 && c.active === 0 ? c : null;
    }, { timeoutMs: 45000, what: `all ${total} jobs completed after the restart` });
    assert.ok(w.outcomes('completed').length > during, 'the worker resumed');
    assert.ok(/dependency lost/.test(w.stderr) && /dependency regained/.test(w.stderr), 'loss and recovery are logged');
    await w.stop();
  });
});
