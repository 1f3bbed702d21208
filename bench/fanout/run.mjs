// Drives one fan-out measurement against one running server (Facet or the
// Node anchor): forks the subscriber processes (subscribers.mjs), reads the
// server's memory before and with every subscriber connected and idle, makes
// sure every subscription is live with probe events, then publishes one
// event per interval and collects when each subscriber received it. Prints
// one JSON line on stdout; progress goes to stderr.
//
// node run.mjs --label facet --url ws://127.0.0.1:PORT/graphql --pid PID \
//   --valkey redis://127.0.0.1:PORT --channel facet:messageAdded \
//   [--subscribers 10000] [--procs 2] [--probes 1000] [--events 20] \
//   [--interval-ms 1000] [--publish valkey|mutation] [--concurrency 200] \
//   [--waves 100] [--settle-ms 3000]
//
// Who measures the delay. Receiving a message costs a graphql-ws client in
// Node about as much CPU as sending it costs the server, and the client side
// has one core: had every subscriber's receive time counted, the figure
// would be the client's speed. So the subscribers are split: `--probes` of
// them (one process at normal priority) time their deliveries; the others
// (`--procs` processes, at nice 19 once connected) are full graphql-ws
// subscribers as well, receive and check every event, and count, but give
// the CPU up to the probes whenever a probe socket has data. Subscribers
// connect in `--waves` waves (default 100, so 100 sockets each), every wave
// with its share of probes: the probes are spread evenly through the
// server's subscriber list, and the first and last probe deliveries of an
// event are its first and last deliveries to within a wave. The low-priority processes' own figures are
// reported too (`all_*`): they include the client's lag.
//
// --publish valkey (default): the driver PUBLISHes the event on the server's
// channel itself, as a mutation on another instance would; --publish
// mutation: it sends `sendMessage` over its own graphql-ws connection.
// Either way the message's text is "e<seq> <publish time>" (CLOCK_MONOTONIC,
// ns) and each delivery's delay is its receive time minus that time.
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createClient } from 'graphql-ws';
import Redis from 'ioredis';
import WebSocket from 'ws';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const { values: opt } = parseArgs({
  options: {
    label: { type: 'string', default: 'server' },
    url: { type: 'string' },
    pid: { type: 'string' },
    valkey: { type: 'string' },
    channel: { type: 'string' },
    subscribers: { type: 'string', default: '10000' },
    procs: { type: 'string', default: '2' },
    probes: { type: 'string', default: '1000' },
    events: { type: 'string', default: '20' },
    'interval-ms': { type: 'string', default: '1000' },
    publish: { type: 'string', default: 'valkey' },
    concurrency: { type: 'string', default: '200' },
    waves: { type: 'string', default: '100' },
    'settle-ms': { type: 'string', default: '3000' },
  },
});
const need = (k) => {
  if (!opt[k]) throw new Error(`run.mjs: --${k} is required`);
  return opt[k];
};
const integer = (k, min) => {
  const n = Number(opt[k]);
  if (!Number.isInteger(n) || n < min) throw new Error(`run.mjs: --${k} must be an integer >= ${min}`);
  return n;
};
const URL_ = need('url');
const PID = Number(need('pid'));
const VALKEY = need('valkey');
const CHANNEL = need('channel');
const N = integer('subscribers', 1);
const PROCS = integer('procs', 1);
const PROBES = integer('probes', 1);
const EVENTS = integer('events', 1);
const INTERVAL = integer('interval-ms', 1);
const CONCURRENCY = integer('concurrency', 1);
const WAVES = integer('waves', 1);
const SETTLE = integer('settle-ms', 0);
if (PROBES >= N) throw new Error('run.mjs: --probes must be fewer than --subscribers');
if (!['valkey', 'mutation'].includes(opt.publish)) throw new Error('run.mjs: --publish is valkey or mutation');

const log = (...a) => console.error(`fanout[${opt.label}]:`, ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => process.hrtime.bigint();

/** VmRSS of the server, in KiB. */
function rssKiB() {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${PID}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for pid ${PID}`);
  return Number(m[1]);
}
/** CPU time (user + system) the server used so far, in ms. */
function cpuMs() {
  const stat = fs.readFileSync(`/proc/${PID}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime, stime in ticks of USER_HZ = 100
}

// ---- the subscriber processes ----
const children = [];
const waiters = [];
const wake = () => {
  for (const w of [...waiters]) w();
};
function waitFor(pred, timeoutMs, what) {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (pred()) {
        done();
        resolve();
      } else if (children.some((c) => c.exited !== undefined)) {
        done();
        reject(new Error(`a subscriber process exited while waiting for ${what}`));
      }
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      const i = waiters.indexOf(check);
      if (i >= 0) waiters.splice(i, 1);
    };
    waiters.push(check);
    check();
  });
}

// Each process opens its connections with a share of the handshakes in
// flight proportional to its share of the subscribers, so that within a
// wave the probes are spread among the others, not bunched at its start.
function spawnChild(role, index, count) {
  const proc = fork(path.join(HERE, 'subscribers.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const c = { role, index, proc, count, last: {}, waves: 0, delivered: new Set() };
  proc.on('message', (m) => {
    c.last[m.type] = m;
    if (m.type === 'wave') c.waves++;
    if (m.type === 'delivered') c.delivered.add(m.seq);
    wake();
  });
  proc.on('exit', (code, signal) => {
    c.exited = code ?? signal;
    wake();
  });
  proc.send({ type: 'start', url: URL_, count, concurrency: Math.max(1, Math.round((CONCURRENCY * count) / N)), publish: opt.publish });
  children.push(c);
  return c;
}

const split = (total, parts) => Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : null);
const round2 = (x) => (x === null || x === undefined || !Number.isFinite(x) ? null : Math.round(x * 100) / 100);
const byNum = (a, b) => a - b;

/** Per event: the first and last delivery and all deliveries of `group`. */
function collect(group) {
  const last = [];
  const first = [];
  const all = [];
  let delivered = 0;
  for (let seq = 1; seq <= EVENTS; seq++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const c of group) {
      for (const x of c.last.report.events[seq] ?? []) {
        if (x === null || Number.isNaN(x)) continue;
        delivered++;
        all.push(x);
        if (x < lo) lo = x;
        if (x > hi) hi = x;
      }
    }
    if (hi > -Infinity) {
      last.push(hi);
      first.push(lo);
    }
  }
  last.sort(byNum);
  first.sort(byNum);
  all.sort(byNum);
  return { last, first, all, delivered };
}

async function main() {
  await sleep(1000);
  const rssBefore = rssKiB();
  log(`server pid ${PID}: VmRSS ${rssBefore} KiB before any subscriber`);

  // 1. Connect and subscribe everyone, in waves, each wave with its share
  //    of probes, so that they are spread through the server's list.
  const probe = spawnChild('probe', 0, PROBES);
  const loads = split(N - PROBES, PROCS).map((n, i) => spawnChild('load', i + 1, n));
  const t0 = now();
  for (let w = 1; w <= WAVES; w++) {
    for (const c of children) {
      const upTo = Math.round((c.count * w) / WAVES);
      c.proc.send({ type: 'connect', n: upTo - Math.round((c.count * (w - 1)) / WAVES) });
    }
    await waitFor(() => children.every((c) => c.waves >= w), 120000, `connection wave ${w}`);
    const connected = children.reduce((s, c) => s + c.last.wave.connected, 0);
    const failed = children.reduce((s, c) => s + c.last.wave.failed, 0);
    if (failed) {
      const errs = children.flatMap((c) => c.last.wave.errors);
      throw new Error(`${failed} subscribers could not connect: ${errs.join('; ')}`);
    }
    if (w % Math.max(1, Math.floor(WAVES / 5)) === 0 || w === WAVES) log(`${connected} subscribers connected`);
  }
  const connectSeconds = Number(now() - t0) / 1e9;
  log(`${N} subscribers connected in ${connectSeconds.toFixed(1)} s`);
  // Only now: at nice 19 during the connection waves they could be too slow
  // to send connection_init within the servers' 3 s.
  for (const c of loads) os.setPriority(c.proc.pid, 19);

  // 2. Idle memory: every socket open and subscribed, no event sent yet.
  await sleep(SETTLE);
  const rssIdle = rssKiB();
  log(`VmRSS ${rssIdle} KiB with ${N} idle subscribers`);

  // 3. Publishing, and probe events until every subscription is live.
  const redis = new Redis(VALKEY, { maxRetriesPerRequest: null });
  let mutationClient = null;
  let publish;
  if (opt.publish === 'valkey') {
    publish = async (tag, stamp) => {
      const text = `${tag} ${stamp}`;
      const receivers = await redis.publish(CHANNEL, JSON.stringify({ messageAdded: { id: tag, text } }));
      if (receivers < 1) throw new Error(`PUBLISH ${CHANNEL}: no subscriber connection on Valkey`);
    };
  } else {
    class PlainWebSocket extends WebSocket {
      constructor(url, protocols) {
        super(url, protocols, { perMessageDeflate: false });
      }
    }
    mutationClient = createClient({ url: URL_, webSocketImpl: PlainWebSocket, retryAttempts: 0 });
    // The message's id is the server's; the tag travels in the text.
    publish = (tag, stamp) =>
      new Promise((resolve, reject) => {
        mutationClient.subscribe(
          { query: 'mutation($t: String!) { sendMessage(text: $t) { id } }', variables: { t: `${tag} ${stamp}` } },
          { next: () => {}, error: (e) => reject(new Error(JSON.stringify(e))), complete: resolve },
        );
      });
  }
  let probes = 0;
  const probeStart = now();
  while (!children.every((c) => c.last.probed)) {
    if (Number(now() - probeStart) > 60e9) throw new Error('not every subscriber received a probe event within 60 s');
    await publish(`probe${++probes}`, now());
    await waitFor(() => children.every((c) => c.last.probed), 1000, 'probes').catch(() => {});
  }
  log(`every subscription live after ${probes} probe event(s)`);
  await sleep(1000);

  // 4. The measured events, one per interval.
  for (const c of children) c.proc.send({ type: 'mark' });
  const cpu0 = cpuMs();
  const tStart = now();
  const publishMs = [];
  for (let seq = 1; seq <= EVENTS; seq++) {
    const due = tStart + BigInt(seq - 1) * BigInt(INTERVAL) * 1000000n;
    const wait = Number(due - now()) / 1e6;
    if (wait > 0) await sleep(wait);
    const stamp = now();
    await publish(`e${seq}`, stamp);
    publishMs.push(Number(now() - stamp) / 1e6);
  }
  await waitFor(() => children.every((c) => c.delivered.has(EVENTS)), 10000, 'the last event').catch((e) => log(e.message));
  const cpu1 = cpuMs();
  const measuredMs = Number(now() - tStart) / 1e6;
  const rssAfter = rssKiB();

  // 5. The deliveries.
  for (const c of children) c.proc.send({ type: 'report' });
  await waitFor(() => children.every((c) => c.last.report), 60000, 'reports');
  const p = collect([probe]);
  const everyone = collect(children);
  const sum = (f) => children.reduce((s, c) => s + f(c.last.report), 0);
  const result = {
    label: opt.label,
    subscribers: N,
    probes: PROBES,
    load_processes: PROCS,
    publish: opt.publish,
    events: EVENTS,
    interval_ms: INTERVAL,
    connect_seconds: round2(connectSeconds),
    deliveries: everyone.delivered,
    deliveries_expected: N * EVENTS,
    bad_deliveries: sum((r) => r.bad),
    closed_during_run: sum((r) => r.closed),
    errors: children.flatMap((c) => c.last.report.errors).slice(0, 5),
    // Measured by the probes: the headline figures.
    last_delivery_ms: { p50: round2(pct(p.last, 50)), p99: round2(pct(p.last, 99)), max: round2(p.last.at(-1)) },
    first_delivery_ms: { p50: round2(pct(p.first, 50)), p99: round2(pct(p.first, 99)) },
    delivery_ms: { p50: round2(pct(p.all, 50)), p99: round2(pct(p.all, 99)) },
    // Every subscriber as its (low-priority) process saw it: with client lag.
    all_last_delivery_ms: { p50: round2(pct(everyone.last, 50)), p99: round2(pct(everyone.last, 99)) },
    publish_call_ms: { p50: round2(pct(publishMs.sort(byNum), 50)) },
    rss_kib: { before: rssBefore, idle: rssIdle, after_events: rssAfter },
    bytes_per_idle_subscriber: Math.round(((rssIdle - rssBefore) * 1024) / N),
    bytes_per_subscriber_after_events: Math.round(((rssAfter - rssBefore) * 1024) / N),
    server_cpu_ms_per_event: round2((cpu1 - cpu0) / EVENTS),
    server_cpu_share: round2((cpu1 - cpu0) / measuredMs),
    probe_cpu_ms_per_event: round2(probe.last.report.cpuMs / EVENTS),
    client_cpu_ms_per_event: round2(sum((r) => r.cpuMs) / EVENTS),
  };
  console.log(JSON.stringify(result));
  await redis.quit();
  mutationClient?.dispose();
}

main()
  .catch((e) => {
    log(`failed: ${e.message}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    for (const c of children) if (c.exited === undefined) c.proc.send({ type: 'close' });
    await Promise.race([
      Promise.all(children.map((c) => (c.exited !== undefined ? null : new Promise((r) => c.proc.once('exit', r))))),
      sleep(10000),
    ]);
    for (const c of children) if (c.exited === undefined) c.proc.kill('SIGKILL');
    process.exit(process.exitCode ?? 0);
  });
