// One process of graphql-ws subscribers, forked by run.mjs: opens graphql-ws
// clients (one WebSocket each) to the server in the waves the driver asks
// for, subscribes each to `subscription { messageAdded { id text } }`, and
// records, for every event, when each subscriber received it. An event's
// `text` is "<tag> <publish time>": the tag is e<seq> (or probe<n>), the
// time process.hrtime.bigint() of the publisher (CLOCK_MONOTONIC, the same
// clock in every process of the machine), so the delay of a delivery is the
// receive time minus it, with no clock to synchronise.
//
// Messages from the parent (IPC):
//   {type:'start', url, count, concurrency, publish}  the process's share
//   {type:'connect', n}  open and subscribe the next n clients
//   {type:'mark'}     start counting CPU time (the measured phase begins)
//   {type:'report'}   send the recorded deliveries and CPU time
//   {type:'close'}    close every client and exit
// Messages to the parent:
//   {type:'wave', connected, failed, errors}  after each `connect`
//   {type:'probed'}   every subscriber received at least one probe event
//   {type:'delivered', seq, n}     after every measured event, once all
//                     subscribers of this process have it (or not)
//   {type:'report', events, cpuMs, closed, bad, errors}
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const QUERY = 'subscription { messageAdded { id text } }';

// The ws client offers permessage-deflate by default; neither server takes
// it (the anchor's ws server has it off, Facet has none): not offered, so
// the client sets up no compressor per socket for nothing.
class PlainWebSocket extends WebSocket {
  constructor(url, protocols) {
    super(url, protocols, { perMessageDeflate: false });
  }
}

const send = (m) => process.send(m);

let count = 0;
let clients = [];
let connected = 0;
let failed = 0;
let closedAfterConnect = 0; // sockets that closed once subscribed
let closing = false;
let bad = 0; // deliveries whose shape or content was not the expected one
const errors = [];
let probedCount = 0;
const probed = [];
const events = new Map(); // seq -> { delays: Float64Array(count), n }
let cpuMark = null;

function noteError(e) {
  if (errors.length < 5) errors.push(String(e?.message ?? e?.reason ?? e));
}

function eventSlot(seq) {
  let ev = events.get(seq);
  if (!ev) {
    ev = { delays: new Float64Array(count).fill(NaN), n: 0 };
    events.set(seq, ev);
  }
  return ev;
}

function onResult(i, result) {
  const now = process.hrtime.bigint();
  const m = result?.data?.messageAdded;
  if (!m || typeof m.id !== 'string' || typeof m.text !== 'string' || result.errors) {
    bad++;
    return;
  }
  // text = "<tag> <stamp>": tag is probe<n> or e<seq>, stamp the publish time.
  const space = m.text.indexOf(' ');
  const tag = space > 0 ? m.text.slice(0, space) : '';
  if (tag.startsWith('probe')) {
    if (!probed[i]) {
      probed[i] = true;
      if (++probedCount === count) send({ type: 'probed' });
    }
    return;
  }
  const seq = tag.startsWith('e') ? Number(tag.slice(1)) : NaN;
  let stamp;
  try {
    stamp = BigInt(m.text.slice(space + 1));
  } catch {
    bad++;
    return;
  }
  if (!Number.isInteger(seq) || seq <= 0) {
    bad++;
    return;
  }
  // The whole message of one subscriber per process is checked against
  // what the event must give (graphql-ws' client hands over the parsed
  // `payload` of the `next` message): published on Valkey, the id is the
  // tag; sent as a mutation, the server's own message id.
  if (i === 0) {
    const id = startMsg.publish === 'valkey' ? tag : m.id;
    if (JSON.stringify(result) !== `{"data":{"messageAdded":{"id":${JSON.stringify(id)},"text":"${m.text}"}}}`) bad++;
  }
  const ev = eventSlot(seq);
  if (Number.isNaN(ev.delays[i])) {
    ev.delays[i] = Number(now - stamp) / 1e6;
    if (++ev.n === count) send({ type: 'delivered', seq, n: ev.n });
  }
}

function open(i, done) {
  let settled = false;
  const settle = (ok) => {
    if (settled) return;
    settled = true;
    if (ok) connected++;
    else failed++;
    done();
  };
  const client = createClient({
    url: startMsg.url,
    webSocketImpl: PlainWebSocket,
    retryAttempts: 0,
    shouldRetry: () => false,
    lazy: true,
    on: {
      connected: () => settle(true),
      closed: (e) => {
        if (!settled) {
          noteError(e);
          settle(false);
        } else if (!closing) {
          closedAfterConnect++;
          noteError(e);
        }
      },
      error: (e) => noteError(e),
    },
  });
  clients[i] = client;
  client.subscribe(
    { query: QUERY },
    {
      next: (r) => onResult(i, r),
      error: (e) => {
        bad++;
        noteError(Array.isArray(e) ? e[0] : e);
      },
      complete: () => {},
    },
  );
}

let startMsg;
let opened = 0;
function connectWave(n) {
  const end = Math.min(count, opened + n);
  let inflight = 0;
  let waiting = end - opened;
  if (waiting === 0) {
    send({ type: 'wave', connected, failed, errors });
    return;
  }
  const pump = () => {
    while (inflight < startMsg.concurrency && opened < end) {
      inflight++;
      open(opened++, () => {
        inflight--;
        if (--waiting === 0) {
          send({ type: 'wave', connected, failed, errors });
        } else {
          pump();
        }
      });
    }
  };
  pump();
}

function report() {
  const cpu = process.cpuUsage(cpuMark ?? undefined);
  const out = {};
  for (const [seq, ev] of events) out[seq] = Array.from(ev.delays);
  send({
    type: 'report',
    events: out,
    cpuMs: (cpu.user + cpu.system) / 1000,
    closed: closedAfterConnect,
    bad,
    errors,
  });
}

process.on('message', (msg) => {
  switch (msg.type) {
    case 'start':
      startMsg = msg;
      count = msg.count;
      clients = new Array(count);
      break;
    case 'connect':
      connectWave(msg.n);
      break;
    case 'mark':
      cpuMark = process.cpuUsage();
      break;
    case 'report':
      report();
      break;
    case 'close':
      closing = true;
      for (const c of clients) c?.dispose();
      setTimeout(() => process.exit(0), 200);
      break;
    default:
      break;
  }
});
process.on('disconnect', () => process.exit(0));
