#!/usr/bin/env bash
# Subscription fan-out: 10,000 graphql-ws subscribers on one server, one
# event per second to all of them, against Facet's fixture build (one I/O
# thread) and against the Node anchor (bench/fanout/node-server.mjs:
# graphql-ws + ws + graphql-redis-subscriptions), on the same Valkey, in the
# same run. Reports the delay from publish to the last delivery of each event
# and the server's memory per idle subscriber. See bench/README.md.
# Knobs (environment):
#   BENCH_SUBSCRIBERS  subscribers per server (default 10000)
#   BENCH_PROBES       of which timed at normal priority (default 1000; see
#                      bench/fanout/run.mjs for why)
#   BENCH_CLIENT_PROCS processes holding the other subscribers (default 2)
#   BENCH_EVENTS       measured events (default 20)
#   BENCH_INTERVAL_MS  time between two events (default 1000)
#   BENCH_PUBLISH      valkey (default: PUBLISH on the server's channel) or
#                      mutation (sendMessage over graphql-ws)
#   BENCH_ROUNDS       runs of every server, alternating; each figure keeps
#                      its best run (default 1)
#   BENCH_TARGETS      servers to measure (default "facet node")
#   BENCH_NICE         niceness of the servers and the client (default 0; a
#                      negative value, as root, shields them from other work)
#   BENCH_BUILD_DIR    build directory (default build-release)
#   BENCH_SKIP_BUILD   1 = use the existing $BENCH_BUILD_DIR/facet-fixture
#   BENCH_FACET_LOG_LEVEL  FACET_LOG_LEVEL for Facet (default warn)
#   BENCH_STRICT       1 = exit 1 when a target is missed
#   BENCH_KEEP         1 = keep the temp dir (logs, JSON results)
# lib.sh: strict mode (set -euo pipefail), cd to the repository (ROOT), the
# helpers shared by the bench scripts.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1

SUBSCRIBERS="${BENCH_SUBSCRIBERS:-10000}"
PROBES="${BENCH_PROBES:-1000}"
CLIENT_PROCS="${BENCH_CLIENT_PROCS:-2}"
EVENTS="${BENCH_EVENTS:-20}"
INTERVAL_MS="${BENCH_INTERVAL_MS:-1000}"
PUBLISH="${BENCH_PUBLISH:-valkey}"
ROUNDS="${BENCH_ROUNDS:-1}"
BUILD_DIR="${BENCH_BUILD_DIR:-build-release}"
FACET_BIN="$ROOT/$BUILD_DIR/facet-fixture"
CLIENT_DIR="$ROOT/bench/fanout"
STOP_TENTHS=150 # a server holding many sockets may take longer to stop

require_tools node npm python3
read_targets "facet node" facet node
for v in SUBSCRIBERS PROBES CLIENT_PROCS EVENTS INTERVAL_MS ROUNDS; do
  positive_int "BENCH_$v" "${!v}"
done
[ "$PROBES" -lt "$SUBSCRIBERS" ] || die "BENCH_PROBES must be below BENCH_SUBSCRIBERS"
case "$PUBLISH" in valkey | mutation) ;; *) die "BENCH_PUBLISH is valkey or mutation" ;; esac

# One socket per subscriber in the server, and in the client processes:
# the open-files limit must cover the server's share plus some.
need_fds=$((SUBSCRIBERS + 1024))
if [ "$(ulimit -n)" -lt "$need_fds" ]; then
  if [ "$(ulimit -Hn)" != unlimited ] && [ "$(ulimit -Hn)" -lt "$need_fds" ]; then
    ulimit -Hn "$need_fds" 2>/dev/null ||
      die "the open-files limit (ulimit -Hn $(ulimit -Hn)) is below $need_fds and cannot be raised"
  fi
  ulimit -n "$need_fds"
fi

# Servers on CPU 0; the subscribers, the publisher (and Valkey, wherever the
# scheduler puts it) on the other CPU, when there are two cores.
# BENCH_NICE: a negative value (root only) puts the servers, the publisher
# and the timed subscribers ahead of other work on a shared machine, every
# server alike (the other subscribers go to nice 19 all the same).
pin_cpus
nice_knob
make_tmp facet-fanout

# 1. Facet's fixture build, release mode; the client's pinned packages.
if want facet; then
  build_release "$BUILD_DIR" facet-fixture "$FACET_BIN"
fi
log "installing bench/fanout's packages (npm ci)"
(cd "$CLIENT_DIR" && npm ci --no-audit --no-fund --prefer-offline --loglevel=error) \
  >"$TMP/npm.log" 2>&1 || { cat "$TMP/npm.log" >&2; die "npm ci failed in bench/fanout"; }

# 2. Valkey, shared by both servers (each on its own channel).
start_services valkey
VALKEY_URL="$(service_env VALKEY_URL)"

# start_server NAME PORT ROUND: starts that server as PIDS[NAME] and waits
# until it accepts connections.
start_server() {
  local name="$1" port="$2" logf="$TMP/$1-$3.log"
  if [ "$name" = facet ]; then
    start_fixture "$FACET_BIN" "$VALKEY_URL" "$port" "$logf"
  else
    (
      export VALKEY_URL PORT="$port" NODE_ENV=production
      cd "$CLIENT_DIR"
      exec "${SERVER_PIN[@]}" node node-server.mjs >"$logf" 2>&1 </dev/null
    ) &
    PIDS[$name]=$!
  fi
  wait_until "$name" "${PIDS[$name]}" "$logf" "accept connections on port $port" accepts "$port"
}

ORDER=()
for name in facet node; do want "$name" && ORDER+=("$name"); done
: >"$TMP/results.jsonl"
LOAD_BEFORE="$(loadavg)"
for ((round = 1; round <= ROUNDS; round++)); do
  round_order "$round" "${ORDER[@]}"
  for name in "${ROUND_ORDER[@]}"; do
    port="$(free_port)"
    start_server "$name" "$port" "$round"
    channel=messageAdded
    [ "$name" = facet ] && channel=facet:messageAdded
    log "round $round/$ROUNDS: $name (pid ${PIDS[$name]}$SERVER_NOTE): $SUBSCRIBERS subscribers, $EVENTS events"
    "${CLIENT_PIN[@]}" node "$CLIENT_DIR/run.mjs" --label "$name" \
      --url "ws://127.0.0.1:$port/graphql" --pid "${PIDS[$name]}" \
      --valkey "$VALKEY_URL" --channel "$channel" --publish "$PUBLISH" \
      --subscribers "$SUBSCRIBERS" --probes "$PROBES" --procs "$CLIENT_PROCS" \
      --events "$EVENTS" --interval-ms "$INTERVAL_MS" >"$TMP/$name-$round.json" ||
      die "$name: the fan-out run failed (server log: $TMP/$name-$round.log)"
    cat "$TMP/$name-$round.json" >&2
    cat "$TMP/$name-$round.json" >>"$TMP/results.jsonl"
    stop_pid "${PIDS[$name]}"
    unset 'PIDS[$name]'
  done
done
LOAD_AFTER="$(loadavg)"

VERSIONS="node $(node --version)"
for p in graphql-ws ws graphql-redis-subscriptions graphql ioredis; do
  VERSIONS+=", $p $(pkg_version "$CLIENT_DIR" "$p")"
done

# 3. The table (markdown) and the targets.
set +e
python3 - "$TMP/results.jsonl" "$ROUNDS" "$LOAD_BEFORE" "$LOAD_AFTER" "$(nproc)" "$VERSIONS" \
  "${BENCH_STRICT:-0}" "$NICE" <<'EOF'
import json, sys
path, rounds, load0, load1, ncpu, versions, strict, nice = sys.argv[1:]
runs = {}
for line in open(path):
    line = line.strip()
    if line.startswith('{'):
        r = json.loads(line)
        runs.setdefault(r['label'], []).append(r)

def best(name, get):
    vals = [get(r) for r in runs.get(name, []) if get(r) is not None]
    return min(vals) if vals else None

label = {'facet': 'Facet', 'node': 'Node (graphql-ws + graphql-redis-subscriptions)'}
any_run = next(iter(runs.values()))[0]
kept = f"best of {rounds} rounds, each figure on its own" if rounds != '1' else "one round"
print(f"Subscription fan-out: {any_run['subscribers']:,} graphql-ws subscribers, {any_run['events']} events "
      f"{any_run['interval_ms']} ms apart, published via {any_run['publish']}; one server core each"
      f"{f', nice {nice}' if nice != '0' else ''}; {kept}; "
      f"load average {load0} before, {load1} after; {ncpu} CPUs")
print(versions)
print()
print("| server | last delivery p50 | last delivery p99 | delivery p50 / p99 | memory per idle subscriber "
      "| VmRSS before → idle | server CPU per event | deliveries |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
fig = {}
for name in ('facet', 'node'):
    if name not in runs:
        continue
    f = {
        'p50': best(name, lambda r: r['last_delivery_ms']['p50']),
        'p99': best(name, lambda r: r['last_delivery_ms']['p99']),
        'd50': best(name, lambda r: r['delivery_ms']['p50']),
        'd99': best(name, lambda r: r['delivery_ms']['p99']),
        'mem': best(name, lambda r: r['bytes_per_idle_subscriber']),
        'cpu': best(name, lambda r: r['server_cpu_ms_per_event']),
    }
    fig[name] = f
    r0 = min(runs[name], key=lambda r: r['bytes_per_idle_subscriber'])
    rss = f"{r0['rss_kib']['before'] / 1024:.1f} → {r0['rss_kib']['idle'] / 1024:.1f} MiB"
    delivered = min(r['deliveries'] for r in runs[name])
    expected = runs[name][0]['deliveries_expected']
    ok = "all" if delivered == expected else f"{delivered:,}/{expected:,}"
    print(f"| {label[name]} | {f['p50']:.1f} ms | {f['p99']:.1f} ms | {f['d50']:.1f} / {f['d99']:.1f} ms "
          f"| {f['mem'] / 1000:.1f} KB | {rss} | {f['cpu']:.0f} ms | {ok} |")
print()
results = []
def check(what, ok):
    results.append(ok)
    print(f"target {what}: {'met' if ok else 'MISSED'}")
fc, nd = fig.get('facet'), fig.get('node')
if fc:
    check(f"last-delivery p99 < 100 ms ({fc['p99']:.1f} ms)", fc['p99'] < 100)
    check(f"< 10 KB per idle subscriber ({fc['mem'] / 1000:.1f} KB)", fc['mem'] < 10000)
if fc and nd:
    print(f"Node / Facet: last-delivery p99 {nd['p99'] / fc['p99']:.1f}x, "
          f"memory per idle subscriber {nd['mem'] / fc['mem']:.1f}x, server CPU per event {nd['cpu'] / max(fc['cpu'], 0.01):.1f}x")
bad = sum(r['bad_deliveries'] + r['closed_during_run'] for rs in runs.values() for r in rs)
missing = sum(r['deliveries_expected'] - r['deliveries'] for rs in runs.values() for r in rs)
print(f"every delivery checked: {'yes' if not bad else f'NO ({bad} bad deliveries or closed sockets)'}; "
      f"missing deliveries: {missing}")
sys.exit(1 if (bad or missing or (strict == '1' and not all(results))) else 0)
EOF
status=$?
set -e
exit "$status"
