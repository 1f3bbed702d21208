// Facet's queue and Node BullMQ 6 on the same Valkey (issue 6): Node's
// Queue.add processed by Facet's worker with Job.fromId and QueueEvents
// seeing the outcome; Facet's producer processed by a Node Worker; ordering
// of delayed, prioritized and LIFO jobs, retries with backoff and failures
// compared job by job and event by event; getJobCounts() against Facet's own
// counts at every step; Bull Board's reads (getJobs, getState, progress).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { Job, Queue, QueueEvents, UnrecoverableError, Worker } from 'bullmq';
import IORedis from 'ioredis';
import {
  FacetWorker,
  connectionOf,
  eventually,
  facetAdd,
  facetCounts,
  queueToolMissing,
  sleep,
  uniqueQueue,
} from './lib/queue.mjs';
import { useServices } from './lib/services.mjs';

// Private services: another file restarts the shared Valkey, which would
// wipe these queues mid-test.
const services = useServices({ own: true, beforeStop: closeClients });
const skip = queueToolMissing();
const opened = [];

/** A BullMQ Queue (and QueueEvents when asked) on a fresh queue name. */
async function nodeQueue(label, { events = false } = {}) {
  const name = uniqueQueue(label);
  const connection = connectionOf(services.valkeyUrl);
  const q = new Queue(name, { connection });
  opened.push(q);
  let qe = null;
  if (events) {
    qe = new QueueEvents(name, { connection });
    opened.push(qe);
    await qe.waitUntilReady();
  }
  return { name, q, qe, connection };
}

function nodeWorker(name, connection, processor, opts = {}) {
  const w = new Worker(name, processor, { connection, ...opts });
  opened.push(w);
  return w;
}

async function closeClients() {
  for (const o of opened.reverse()) {
    if (o instanceof Queue) await o.obliterate({ force: true }).catch(() => {});
    await o.close().catch(() => {});
  }
}

/** getJobCounts() in the names Facet's counts use. */
async function nodeCounts(q) {
  const c = await q.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed');
  return { waiting: c.waiting, active: c.active, delayed: c.delayed, prioritized: c.prioritized, completed: c.completed, failed: c.failed };
}

async function assertCountsAgree(q, name, expected) {
  const facet = await facetCounts(services.valkeyUrl, name);
  const node = await nodeCounts(q);
  assert.deepEqual(facet, node, 'Facet and BullMQ count the same jobs');
  if (expected) assert.deepEqual(facet, { ...{ waiting: 0, active: 0, delayed: 0, prioritized: 0, completed: 0, failed: 0 }, ...expected });
}

/** Event names of the queue's events stream, in order. */
async function streamEvents(q) {
  const client = new IORedis(services.valkeyUrl);
  try {
    const entries = await client.xrange(`bull:${q.name}:events`, '-', '+');
    return entries.map(([, fields]) => fields[1]);
  } finally {
    client.disconnect();
  }
}

describe('queue interop with BullMQ', { skip: skip ?? false }, () => {
  test('Node Queue.add is processed by a Facet worker; Job.fromId and QueueEvents see it', { timeout: 30000 }, async () => {
    const { name, q, qe } = await nodeQueue('node-to-facet', { events: true });
    const completed = new Map();
    qe.on('completed', ({ jobId, returnvalue }) => completed.set(jobId, returnvalue));
    const jobs = [];
    for (let i = 0; i < 3; i++) jobs.push(await q.add('echo', { n: i, text: 'héllo "quoted"' }));
    await assertCountsAgree(q, name, { waiting: 3 });

    const w = new FacetWorker(services.valkeyUrl, name, ['--concurrency', '2', '--name', 'facet-e2e']);
    await w.waitForCount('completed', 3);
    await eventually(() => completed.size === 3, { what: 'three QueueEvents completed events' });
    for (const job of jobs) {
      const j = await Job.fromId(q, job.id);
      assert.deepEqual(j.returnvalue, job.data);
      assert.equal(await j.getState(), 'completed');
      assert.equal(j.attemptsMade, 1);
      assert.equal(j.attemptsStarted, 1);
      assert.equal(j.processedBy, 'facet-e2e');
      assert.ok(j.finishedOn >= j.processedOn && j.processedOn >= j.timestamp);
      const rv = completed.get(job.id);
      assert.deepEqual(typeof rv === 'string' ? JSON.parse(rv) : rv, job.data);
    }
    // waitUntilFinished resolves with the return value written by Facet.
    const late = await q.add('echo', { late: true });
    assert.deepEqual(await late.waitUntilFinished(qe, 10000), { late: true });
    await assertCountsAgree(q, name, { completed: 4 });
    await w.stop();
  });

  test("Facet's producer is processed by a Node Worker with its options", { timeout: 30000 }, async () => {
    const { name, q, connection } = await nodeQueue('facet-to-node');
    const [id] = await facetAdd(services.valkeyUrl, name, 'email', { to: 'a@example.com' }, [
      '--attempts', '2', '--backoff', 'fixed:50', '--remove-on-fail', 'false',
    ]);
    const [custom] = await facetAdd(services.valkeyUrl, name, 'email', { to: 'b' }, ['--id', 'mail-b']);
    assert.equal(custom, 'mail-b');
    await assertCountsAgree(q, name, { waiting: 2 });
    const seen = [];
    const w = nodeWorker(name, connection, async (job) => {
      seen.push({ id: job.id, name: job.name, data: job.data, attempts: job.opts.attempts, backoff: job.opts.backoff, made: job.attemptsMade });
      if (job.id === id && job.attemptsMade === 0) throw new Error('first try fails');
      return `sent to ${job.data.to}`;
    });
    await eventually(async () => (await q.getJobCounts('completed')).completed === 2, { what: 'both jobs completed' });
    await w.close();
    const first = seen.find((s) => s.id === id);
    assert.deepEqual(first, { id, name: 'email', data: { to: 'a@example.com' }, attempts: 2, backoff: { type: 'fixed', delay: 50 }, made: 0 });
    const done = await Job.fromId(q, id);
    assert.equal(done.returnvalue, 'sent to a@example.com');
    assert.equal(done.attemptsMade, 2);
    assert.equal(done.failedReason, 'first try fails');
    assert.equal((await Job.fromId(q, 'mail-b')).returnvalue, 'sent to b');
    await assertCountsAgree(q, name, { completed: 2 });
  });

  test('delayed, prioritized and LIFO jobs run in the same order under both workers', { timeout: 30000 }, async () => {
    async function addAll(q) {
      await q.add('echo', { tag: 'fifo-1' });
      await q.add('echo', { tag: 'fifo-2' });
      await q.add('echo', { tag: 'lifo' }, { lifo: true });
      await q.add('echo', { tag: 'prio-2' }, { priority: 2 });
      await q.add('echo', { tag: 'prio-1' }, { priority: 1 });
      await q.add('echo', { tag: 'delay-600' }, { delay: 600 });
      await q.add('echo', { tag: 'delay-300' }, { delay: 300 });
      await q.add('echo', { tag: 'delay-prio' }, { delay: 300, priority: 1 });
    }
    const facetSide = await nodeQueue('order-facet');
    const nodeSide = await nodeQueue('order-node');
    await addAll(facetSide.q);
    await addAll(nodeSide.q);
    await assertCountsAgree(facetSide.q, facetSide.name, { waiting: 3, prioritized: 2, delayed: 3 });

    const nodeOrder = [];
    const w = nodeWorker(nodeSide.name, nodeSide.connection, async (job) => {
      nodeOrder.push(job.data.tag);
      return job.data;
    });
    const fw = new FacetWorker(services.valkeyUrl, facetSide.name, ['--concurrency', '1']);
    await fw.waitForCount('completed', 8);
    await eventually(() => nodeOrder.length === 8, { what: 'the Node worker to finish' });
    await w.close();
    await fw.stop();
    // With concurrency 1, Facet's outcome lines come in processing order.
    const facetJobs = await facetSide.q.getJobs(['completed'], 0, -1, true);
    const facetOrder = fw.outcomes('completed').map((e) => facetJobs.find((j) => j.id === e.id).data.tag);
    assert.deepEqual(facetOrder, nodeOrder);
    assert.deepEqual(nodeOrder, ['lifo', 'fifo-1', 'fifo-2', 'prio-1', 'prio-2', 'delay-300', 'delay-prio', 'delay-600']);
  });

  test('retries with backoff and final failures leave the same jobs and events', { timeout: 30000 }, async () => {
    async function addAll(q) {
      const flaky = await q.add('flaky', { failures: 2 }, { attempts: 3, backoff: { type: 'exponential', delay: 100 } });
      const fail = await q.add('fail', {}, { attempts: 2, backoff: 50 });
      const fatal = await q.add('fatal', {}, { attempts: 3 });
      return { flaky: flaky.id, fail: fail.id, fatal: fatal.id };
    }
    const facetSide = await nodeQueue('retry-facet');
    const nodeSide = await nodeQueue('retry-node');
    const fIds = await addAll(facetSide.q);
    const nIds = await addAll(nodeSide.q);
    const fw = new FacetWorker(services.valkeyUrl, facetSide.name, ['--concurrency', '3']);
    const w = nodeWorker(nodeSide.name, nodeSide.connection, async (job) => {
      if (job.name === 'flaky') {
        if (job.attemptsMade < job.data.failures) throw new Error('flaky');
        return 'recovered';
      }
      if (job.name === 'fatal') throw new UnrecoverableError('fatal');
      throw new Error('boom');
    }, { concurrency: 3 });
    await fw.waitFor((evs) => evs.filter((e) => e.event === 'completed' || e.event === 'failed').length === 3, { what: 'three final outcomes' });
    await eventually(async () => {
      const c = await nodeSide.q.getJobCounts('completed', 'failed');
      return c.completed === 1 && c.failed === 2;
    }, { what: 'the Node worker to finish' });
    await w.close();
    await fw.stop();
    for (const key of ['flaky', 'fail', 'fatal']) {
      const a = await Job.fromId(facetSide.q, fIds[key]);
      const b = await Job.fromId(nodeSide.q, nIds[key]);
      assert.equal(await a.getState(), await b.getState(), `${key}: state`);
      assert.equal(a.attemptsMade, b.attemptsMade, `${key}: attemptsMade`);
      assert.equal(a.attemptsStarted, b.attemptsStarted, `${key}: attemptsStarted`);
      assert.equal(a.failedReason, b.failedReason, `${key}: failedReason`);
      assert.deepEqual(a.returnvalue, b.returnvalue, `${key}: returnvalue`);
      assert.equal(a.stacktrace.length, b.stacktrace.length, `${key}: stack trace entries`);
    }
    // The same event kinds, counted per kind (interleaving differs between
    // runs, and so does the number of "drained" moments).
    const tally = (evs) => evs.filter((e) => e !== 'drained').reduce((m, e) => ({ ...m, [e]: (m[e] ?? 0) + 1 }), {});
    assert.deepEqual(tally(await streamEvents(facetSide.q)), tally(await streamEvents(nodeSide.q)));
    await assertCountsAgree(facetSide.q, facetSide.name, { completed: 1, failed: 2 });
  });

  test('getJobCounts agrees with Facet at every step; Bull Board reads states and progress', { timeout: 30000 }, async () => {
    const { name, q, qe } = await nodeQueue('counts', { events: true });
    const progress = [];
    qe.on('progress', ({ jobId, data }) => progress.push({ jobId, data }));
    const [slow] = await facetAdd(services.valkeyUrl, name, 'sleep', { ms: 1500 });
    const [plain] = await facetAdd(services.valkeyUrl, name, 'echo', { x: 1 });
    const [prio] = await facetAdd(services.valkeyUrl, name, 'progress', {}, ['--priority', '3']);
    const [later] = await facetAdd(services.valkeyUrl, name, 'echo', {}, ['--delay', '60000']);
    const [bad] = await facetAdd(services.valkeyUrl, name, 'fail', {}, ['--priority', '5']);
    await assertCountsAgree(q, name, { waiting: 2, prioritized: 2, delayed: 1 });
    assert.equal(await q.getJobState(plain), 'waiting');
    assert.equal(await q.getJobState(prio), 'prioritized');
    assert.equal(await q.getJobState(later), 'delayed');
    assert.equal((await q.getJobs(['delayed'])).length, 1);

    const w = new FacetWorker(services.valkeyUrl, name, ['--concurrency', '1']);
    await eventually(async () => (await q.getJobState(slow)) === 'active', { what: 'the slow job active' });
    await assertCountsAgree(q, name, { waiting: 1, active: 1, prioritized: 2, delayed: 1 });
    await w.waitForCount('failed', 1, { timeoutMs: 15000 });
    await assertCountsAgree(q, name, { completed: 3, failed: 1, delayed: 1 });
    const failed = await Job.fromId(q, bad);
    assert.equal(await failed.getState(), 'failed');
    assert.equal(failed.failedReason, 'boom');
    assert.deepEqual(failed.stacktrace, ['boom']);
    assert.equal(await (await Job.fromId(q, prio)).progress.done, true);
    await eventually(() => progress.length >= 2, { what: 'two progress events' });
    assert.deepEqual(progress.filter((p) => p.jobId === prio).map((p) => p.data), [50, { done: true }]);
    // Bull Board promotes and retries through BullMQ; Facet's worker follows.
    await (await Job.fromId(q, later)).promote();
    await failed.retry();
    await w.waitFor((evs) => evs.filter((e) => e.event === 'completed').length === 4 && evs.filter((e) => e.event === 'failed').length === 2, {
      what: 'the promoted job completed and the retried job failed again',
    });
    await assertCountsAgree(q, name, { completed: 4, failed: 1 });
    await w.stop();
  });

  test('a paused queue (Queue.pause) stops Facet workers until Queue.resume', { timeout: 30000 }, async () => {
    const { name, q } = await nodeQueue('pause');
    await q.pause();
    await q.add('echo', { p: 1 });
    const w = new FacetWorker(services.valkeyUrl, name, ['--drain-ms', '500']);
    await w.waitForCount('ready', 1);
    await sleep(700);
    assert.equal(w.outcomes('completed').length, 0);
    assert.equal(await q.isPaused(), true);
    await q.resume();
    await w.waitForCount('completed', 1);
    await w.stop();
  });
});

before(() => {
  if (skip) console.log(`# queue interop skipped: ${skip}`);
});
