#!/usr/bin/env bash
# The gem wallet over HTTP: spendGems and `{ wallet { balance } }` on Facet
# with one I/O thread, on real Valkey and FerretDB, measured with wrk, with
# the wallet cache's hit ratio from /metrics; then the same read on a second
# Facet with the cache off (FACET_CACHE_TTL=0), in the same run, to show
# what the cache buys. See bench/README.md. Knobs (environment):
#   BENCH_DURATION     wrk run length per measurement (default 10s)
#   BENCH_WARMUP       warm-up run length before each measurement (default 2s)
#   BENCH_CONNECTIONS  wrk connections (default 32)
#   BENCH_USERS        wallets the "many wallets" runs rotate over (default 8)
#   BENCH_BUILD_DIR    build directory (default build-release)
#   BENCH_SKIP_BUILD   1 = use the existing $BENCH_BUILD_DIR/facet
#   BENCH_AUDIT        1 = run `facet audit verify` on the result (default 1)
#   BENCH_FACET_LOG_LEVEL  FACET_LOG_LEVEL for Facet (default warn: no line
#                      per request; the wallet's audit lines are info too)
#   BENCH_KEEP         1 = keep the temp dir (logs, wrk outputs)
#   FACET_SERVICES_DIR use (and leave running) the services of this state
#                      dir; by default they are started in the temp dir and
#                      stopped at the end
# lib.sh: strict mode (set -euo pipefail), cd to the repository (ROOT), the
# helpers shared by the bench scripts.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1

wrk_knobs 32
USERS="${BENCH_USERS:-8}"
BUILD_DIR="${BENCH_BUILD_DIR:-build-release}"
positive_int BENCH_USERS "$USERS"

FACET_BIN="$ROOT/$BUILD_DIR/facet"
LUA="$ROOT/bench/wallet/wallet.lua"
GEMS=1000000000 # granted to each user: no run can spend it all

require_tools wrk curl python3 node

# Servers on CPU 0, the load generator on CPU 1, when there are two cores.
# Valkey and FerretDB are not pinned (they are shared with the e2e tests).
pin_cpus
make_tmp facet-wallet-bench
declare -A PORTS=()
# With FACET_SERVICES_DIR, its services are used and left running.
SERVICES_DIR="${FACET_SERVICES_DIR:-}"

# 1. Facet, RelWithDebInfo or Release.
build_release "$BUILD_DIR" facet "$FACET_BIN"

# 2. Valkey and FerretDB, and a database of this run's own.
start_services valkey ferretdb
VALKEY_URL="$(service_env VALKEY_URL)"
BASE_URI="$(service_env MONGODB_URI)"
DB="bench_wallet_$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
MONGODB_URI="$(python3 -c 'import sys, urllib.parse as u
p = u.urlsplit(sys.argv[1])
print(u.urlunsplit((p.scheme, p.netloc, "/" + sys.argv[2], p.query, p.fragment)))' "$BASE_URI" "$DB")"
export MONGODB_URI FACET_BIN

# 3. Two instances on the same database and Valkey: "cached" with the
#    default cache TTL, "uncached" with FACET_CACHE_TTL=0.
JWT_SECRET="bench-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
start_facet() {
  local name="$1" ttl="$2" port settings
  port="$(free_port)"
  settings=(VALKEY_URL="$VALKEY_URL" MONGODB_URI="$MONGODB_URI" FACET_SCHEMA="$ROOT/schema"
    FACET_JWT_SECRET="$JWT_SECRET" FACET_PAYMENTS_PROVIDER=dev FACET_DATA_DIR="$TMP/data-$name"
    # Sign-up and sign-in only happen in the set-up: cheap hashing keeps it
    # short and changes nothing that is measured.
    FACET_PASSWORD_MEMORY=256KiB FACET_PASSWORD_OPS=1)
  if [ -n "$ttl" ]; then settings+=(FACET_CACHE_TTL="$ttl"); fi
  start_facet_bg "$name" "$FACET_BIN" "$port" "$TMP/facet-$name.log" "${settings[@]}"
  PORTS[$name]=$port
  wait_until "facet ($name)" "${PIDS[$name]}" "$TMP/facet-$name.log" \
    "answer 200 on http://127.0.0.1:$port/readyz" http_200 "http://127.0.0.1:$port/readyz"
  log "facet ($name) on 127.0.0.1:$port (FACET_THREADS=1${ttl:+, FACET_CACHE_TTL=$ttl}$SERVER_NOTE)"
}
start_facet cached ""
start_facet uncached 0
URL="http://127.0.0.1:${PORTS[cached]}/graphql"

# 4. Users: BENCH_USERS wallets for the "many" runs and one for the "one" runs.
log "signing up $USERS + 1 users and granting each $GEMS gems"
node "$ROOT/bench/wallet/setup.mjs" users "$URL" "$USERS" "$GEMS" "$TMP" >&2

# metrics NAME: "hits misses" of that instance's wallet and user cache.
metrics() {
  curl -s --max-time 5 "http://127.0.0.1:${PORTS[$1]}/metrics" |
    awk '/^facet_cache_hits_total / { h = $2 } /^facet_cache_misses_total / { m = $2 }
         END { if (h == "" || m == "") exit 1; print h, m }'
}

# cpu PID: the process's CPU time so far (user + system), in clock ticks.
cpu() {
  awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0
}
FERRET_PID="$(cat "$SERVICES_DIR/ferretdb/ferretdb.pid" 2>/dev/null || true)"
VALKEY_PID="$(cat "$SERVICES_DIR/valkey/valkey.pid" 2>/dev/null || true)"
# cpus NAME: "facet ferretdb valkey" CPU ticks.
cpus() {
  echo "$(cpu "${PIDS[$1]}") $(cpu "${FERRET_PID:-0}") $(cpu "${VALKEY_PID:-0}")"
}

# ledger_size: the entries in the ledger: one grant per user and one entry
# per gem spent (every spend is of 1 gem).
ledger_size() {
  local spent
  spent="$(node "$ROOT/bench/wallet/setup.mjs" spent "$URL" "$TMP" "$GEMS" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["spent"])')" || die "cannot read the balances"
  echo $((spent + USERS + 1))
}

# measure LABEL INSTANCE OP TOKENS: warm-up, then a measured run; appends
# the label, instance, op, cache counters and CPU ticks before and after,
# and the wrk outputs to runs.tsv.
RUN=0
measure() {
  local label="$1" name="$2" op="$3" tokens="$4" out before after entries cpu_before cpu_after
  RUN=$((RUN + 1))
  log "$label: wrk -t1 -c$CONNECTIONS -d$DURATION on facet ($name)"
  BENCH_OP="$op" BENCH_TOKENS="$TMP/$tokens" BENCH_NONCE="w$RUN-$$" \
    wrk_run "$WARMUP" -s "$LUA" "http://127.0.0.1:${PORTS[$name]}/graphql" >"$TMP/wrk-$RUN-warmup.txt"
  entries="$(ledger_size)"
  before="$(metrics "$name")" || die "no cache counters on /metrics of facet ($name)"
  cpu_before="$(cpus "$name")"
  out="$TMP/wrk-$RUN.txt"
  BENCH_OP="$op" BENCH_TOKENS="$TMP/$tokens" BENCH_NONCE="m$RUN-$$" \
    wrk_run "$DURATION" --latency -s "$LUA" "http://127.0.0.1:${PORTS[$name]}/graphql" >"$out"
  cpu_after="$(cpus "$name")"
  after="$(metrics "$name")" || die "no cache counters on /metrics of facet ($name)"
  cat "$out" >&2
  grep -q '^GraphQL errors: 0$' "$TMP/wrk-$RUN-warmup.txt" || { cat "$TMP/wrk-$RUN-warmup.txt" >&2; die "$label: errors in the warm-up"; }
  grep -q '^GraphQL errors: 0$' "$out" || die "$label: GraphQL errors (see above)"
  wrk_check "$label" "$out"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$name" "$op" "$before" "$after" \
    "$cpu_before" "$cpu_after" "$out" "$TMP/wrk-$RUN-warmup.txt" "$entries" >>"$TMP/runs.tsv"
}

# 5. The measurements.
: >"$TMP/runs.tsv"
LOAD_BEFORE="$(uptime | sed 's/.*load average: //')"
# Reads first on a fresh ledger, then the spends, then the reads again on
# the ledger the spends grew: FerretDB's cost per lookup grows with the
# collection (see bench/README.md), MongoDB's does not.
for w in multi single; do
  what="$USERS wallets"
  [ "$w" = single ] && what="one wallet"
  measure "wallet { balance }, $what, cache on" cached wallet "tokens-$w.txt"
  measure "wallet { balance }, $what, cache off" uncached wallet "tokens-$w.txt"
done
measure "spendGems, $USERS wallets" cached spend tokens-multi.txt
measure "spendGems, one wallet" cached spend tokens-single.txt
measure "wallet { balance }, $USERS wallets, cache on" cached wallet tokens-multi.txt
measure "wallet { balance }, $USERS wallets, cache off" uncached wallet tokens-multi.txt
LOAD_AFTER="$(uptime | sed 's/.*load average: //')"

# 6. Nothing lost or doubled: the gems gone from the wallets are the spends
#    wrk saw answered, plus at most one request per connection per run that
#    was still in flight when wrk stopped.
SPENT=$(($(ledger_size) - USERS - 1))
AUDIT="not run"
if [ "${BENCH_AUDIT:-1}" = 1 ]; then
  log "facet audit verify"
  t0="$(date +%s.%N)"
  if "$FACET_BIN" audit verify >"$TMP/audit.txt" 2>&1; then
    AUDIT="passed: $(grep '"ok"' "$TMP/audit.txt" | tail -n 1) in $(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f} s')" "$t0" "$(date +%s.%N)")"
  else
    cat "$TMP/audit.txt" >&2
    die "facet audit verify failed"
  fi
fi

# 7. The table (markdown).
python3 - "$TMP/runs.tsv" "$SPENT" "$CONNECTIONS" "$DURATION" "$LOAD_BEFORE" "$LOAD_AFTER" \
  "$(nproc)" "$AUDIT" "$(getconf CLK_TCK)" <<'EOF'
import re, sys
runs_path, spent, conns, duration, load0, load1, ncpu, audit, hz = sys.argv[1:]
UNIT = {'us': 0.001, 'ms': 1.0, 's': 1000.0}

def parse(path):
    text = open(path).read()
    rps = float(re.search(r'^Requests/sec:\s+([\d.]+)', text, re.M).group(1))
    count = int(re.search(r'^\s+(\d+) requests in', text, re.M).group(1))
    lat = {}
    for pct, val, unit in re.findall(r'^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$', text, re.M):
        lat[pct] = float(val) * UNIT[unit]
    sock = re.search(r'Socket errors:.*', text)
    return {'rps': rps, 'count': count, 'p50': lat.get('50'), 'p99': lat.get('99'),
            'sock': sock.group(0) if sock else None}

print(f"wrk -t1 -c{conns} -d{duration} --latency, Facet with FACET_THREADS=1 on one core, "
      f"wrk on the other; Valkey and FerretDB (SQLite) on the same machine; {ncpu} CPUs; "
      f"load average {load0} before, {load1} after")
print()
print("| run | ledger entries | req/s | p50 | p99 | cache hit ratio | CPU per request: Facet / FerretDB / Valkey |")
print("|---|---:|---:|---:|---:|---:|---:|")
counted = 0
runs = 0
for line in open(runs_path):
    label, name, op, before, after, cpu0, cpu1, path, warm, entries = line.rstrip('\n').split('\t')
    r = parse(path)
    h0, m0 = map(int, before.split())
    h1, m1 = map(int, after.split())
    dh, dm = h1 - h0, m1 - m0
    ratio = f"{100 * dh / (dh + dm):.1f}% ({dh:,} hits, {dm:,} misses)" if dh + dm else "no lookups"
    if op == 'spend':
        counted += r['count'] + parse(warm)['count']
        runs += 2
    if r['sock']:
        print(f"note: {label}: {r['sock']}", file=sys.stderr)
    # CPU ticks are coarse (1/CLK_TCK s): per request, in microseconds.
    per = [(int(b) - int(a)) * 1e6 / int(hz) / max(r['count'], 1)
           for a, b in zip(cpu0.split(), cpu1.split())]
    cpu = ' / '.join(f"{p:,.0f} µs" for p in per)
    print(f"| `{label}` | {int(entries):,} | {r['rps']:,.0f} | {r['p50']:.2f} ms | {r['p99']:.2f} ms | {ratio} | {cpu} |")
print()
spent = int(spent)
slack = spent - counted
print(f"gems spent {spent:,}, spends answered {counted:,} (difference {slack}: requests in flight "
      f"when wrk stopped, at most {int(conns) * runs}); audit {audit}")
sys.exit(0 if 0 <= slack <= int(conns) * runs else 1)
EOF
