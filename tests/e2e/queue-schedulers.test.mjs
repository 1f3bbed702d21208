// Job schedulers across Facet and BullMQ 6 (issue 6): a scheduler created by
// Facet runs at its cadence under a Node worker, and one created by Node's
// upsertJobScheduler runs at its cadence under Facet's worker, for both
// "every" and cron patterns. Each iteration is created by whichever worker
// starts the previous one, so both sides must agree on the layout.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Queue, Worker } from 'bullmq';
import { FacetWorker, connectionOf, eventually, queueToolMissing, tool, uniqueQueue } from './lib/queue.mjs';
import { useServices } from './lib/services.mjs';

// Private services: another file restarts the shared Valkey, which would
// wipe these queues mid-test.
const services = useServices({ own: true, beforeStop: closeClients });
const skip = queueToolMissing();
const opened = [];

async function closeClients() {
  for (const o of opened.reverse()) {
    if (o instanceof Queue) await o.obliterate({ force: true }).catch(() => {});
    await o.close().catch(() => {});
  }
}

function nodeQueue(label) {
  const name = uniqueQueue(label);
  const connection = connectionOf(services.valkeyUrl);
  const q = new Queue(name, { connection });
  opened.push(q);
  return { name, q, connection };
}

/** Gaps between consecutive iteration times (from the job ids). */
function gaps(ids) {
  const at = ids.map((id) => Number(id.split(':').pop())).sort((a, b) => a - b);
  return at.slice(1).map((t, i) => t - at[i]);
}

describe('job schedulers shared with BullMQ', { skip: skip ?? false }, () => {
  test('a Facet "every" scheduler runs under a Node worker', { timeout: 30000 }, async () => {
    const { name, q, connection } = nodeQueue('sched-facet-every');
    const first = (await tool(services.valkeyUrl, ['scheduler', name, 'tick', 'beat', '{"n":1}', '--every', '400'])).trim();
    assert.match(first, /^repeat:tick:\d+$/);
    const scheduler = await q.getJobScheduler('tick');
    assert.equal(scheduler.every, 400);
    assert.equal(scheduler.name, 'beat');
    assert.deepEqual(scheduler.template.data, { n: 1 });
    const runs = [];
    const w = new Worker(name, async (job) => {
      runs.push({ id: job.id, at: Date.now(), data: job.data });
    }, { connection });
    opened.push(w);
    await eventually(() => runs.length >= 4, { timeoutMs: 10000, what: 'four iterations' });
    await w.close();
    assert.deepEqual(runs[0].data, { n: 1 });
    for (const g of gaps(runs.map((r) => r.id))) assert.equal(g, 400);
    const spacing = runs[3].at - runs[1].at;
    assert.ok(spacing >= 600 && spacing <= 1400, `two iterations took ${spacing} ms`);
    assert.ok((await q.getJobScheduler('tick')).iterationCount >= 4);
    await tool(services.valkeyUrl, ['unschedule', name, 'tick']);
    assert.equal(await q.getJobScheduler('tick'), undefined);
  });

  test('a Node "every" scheduler runs under a Facet worker', { timeout: 30000 }, async () => {
    const { name, q } = nodeQueue('sched-node-every');
    await q.upsertJobScheduler('nsid', { every: 400 }, { name: 'echo', data: { from: 'node' } });
    const fw = new FacetWorker(services.valkeyUrl, name, ['--drain-ms', '300']);
    await fw.waitForCount('completed', 4, { timeoutMs: 10000 });
    await fw.stop();
    const ids = fw.outcomes('completed').map((e) => e.id);
    for (const id of ids) assert.match(id, /^repeat:nsid:\d+$/);
    for (const g of gaps(ids)) assert.equal(g, 400);
    const jobs = await q.getJobs(['completed']);
    assert.ok(jobs.every((j) => j.returnvalue.from === 'node'));
    assert.ok((await q.getJobScheduler('nsid')).iterationCount >= 5);
  });

  test('a Node cron scheduler runs under a Facet worker, each second', { timeout: 30000 }, async () => {
    const { name, q } = nodeQueue('sched-node-cron');
    await q.upsertJobScheduler('cron', { pattern: '* * * * * *', tz: 'UTC' }, { name: 'echo', data: {} });
    const fw = new FacetWorker(services.valkeyUrl, name);
    await fw.waitForCount('completed', 3, { timeoutMs: 10000 });
    await fw.stop();
    for (const g of gaps(fw.outcomes('completed').map((e) => e.id))) assert.equal(g, 1000);
    const next = await q.getJobScheduler('cron');
    assert.equal(next.pattern, '* * * * * *');
    assert.equal(next.next % 1000, 0);
  });

  test('a Facet cron scheduler runs under a Node worker, each second', { timeout: 30000 }, async () => {
    const { name, connection } = nodeQueue('sched-facet-cron');
    await tool(services.valkeyUrl, ['scheduler', name, 'fcron', 'beat', '{}', '--pattern', '* * * * * *', '--tz', 'UTC']);
    const runs = [];
    const w = new Worker(name, async (job) => {
      runs.push(job.id);
    }, { connection });
    opened.push(w);
    await eventually(() => runs.length >= 3, { timeoutMs: 10000, what: 'three iterations' });
    await w.close();
    for (const g of gaps(runs)) assert.equal(g, 1000);
  });
});
