#!/usr/bin/env bash
# GraphQL over HTTP, the reference workload of ../shared/bench: Facet's
# fixture build (one I/O thread) against Apollo Server 5 and Mercurius with
# graphql-jit, with nginx (one worker) serving the `{ hello }` response bytes
# as a static file as the machine's ceiling; all measured with wrk in the
# same run. See bench/README.md. Knobs (environment):
#   BENCH_DURATION     wrk run length per server and query (default 10s)
#   BENCH_WARMUP       warm-up run length before each measurement (default 2s)
#   BENCH_CONNECTIONS  wrk connections (default 50)
#   BENCH_ROUNDS       measurements of every cell, the order of the servers
#                      reversed every other round; each cell keeps its run
#                      with the most requests/s (default 1)
#   BENCH_TARGETS      servers to measure (default "nginx facet mercurius apollo")
#   BENCH_NICE         niceness of the servers and wrk (default 0; a negative
#                      value, as root, shields them from other work)
#   BENCH_BUILD_DIR    build directory (default build-release)
#   BENCH_SKIP_BUILD   1 = use the existing $BENCH_BUILD_DIR/facet-fixture
#   BENCH_ANCHOR_DIR   the anchors' folder (default ../shared/bench); it is
#                      copied to a temp dir, never written to
#   BENCH_FACET_LOG_LEVEL  FACET_LOG_LEVEL for Facet (default warn: no line
#                      per request, as nginx runs with access_log off)
#   BENCH_STRICT       1 = exit 1 when a target is missed
#   BENCH_KEEP         1 = keep the temp dir (logs, configs, wrk outputs)
# lib.sh: strict mode (set -euo pipefail), cd to the repository (ROOT), the
# helpers shared by the bench scripts.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1

wrk_knobs 50
ROUNDS="${BENCH_ROUNDS:-1}"
BUILD_DIR="${BENCH_BUILD_DIR:-build-release}"
ANCHOR_DIR="${BENCH_ANCHOR_DIR:-$ROOT/../shared/bench}"
FACET_BIN="$ROOT/$BUILD_DIR/facet-fixture"

require_tools wrk curl python3 node npm cmp
read_targets "nginx facet mercurius apollo" nginx facet mercurius apollo
want nginx && { [ -x "$NGINX" ] || die "$NGINX not found; run scripts/setup"; }
positive_int BENCH_ROUNDS "$ROUNDS"
for f in apollo-server.mjs mercurius-server.mjs hello.lua posts.lua package.json; do
  [ -f "$ANCHOR_DIR/$f" ] || die "$ANCHOR_DIR/$f not found (BENCH_ANCHOR_DIR)"
done

# Servers on CPU 0, the load generator on CPU 1, when there are two cores;
# BENCH_NICE: a negative value (root only) puts the servers and wrk ahead
# of other work on a shared machine, every server alike.
pin_cpus
nice_knob
make_tmp facet-gql-http

# The request body of a wrk script of the anchors (wrk.body = '...').
lua_body() {
  sed -n "s/^wrk\.body = '\(.*\)'\$/\1/p" "$1"
}

# post URL BODY OUT: POSTs BODY as application/json (what the wrk scripts
# send); the response body goes to OUT, "status content-type" to stdout.
post() {
  curl -s -o "$3" -w '%{http_code} %{content_type}' --max-time 5 \
    -H 'Content-Type: application/json' --data-binary "$2" "$1" || true
}

# hello_200 URL: true when `{ hello }` POSTed to URL answers 200.
# shellcheck disable=SC2317 # called through wait_until
hello_200() { [[ "$(post "$1" "$HELLO_BODY" /dev/null)" == 200* ]]; }

# wait_up NAME URL LOGFILE: waits until `{ hello }` POSTed to URL answers 200.
wait_up() {
  wait_until "$1" "${PIDS[$1]}" "$3" "answer 200 on $2" hello_200 "$2"
}

# 1. Facet's fixture build, release mode.
if want facet; then
  build_release "$BUILD_DIR" facet-fixture "$FACET_BIN"
fi

# 2. The anchors in a temp copy, with only the packages the two servers
#    need, at the versions the folder pins.
copy_anchor "$ANCHOR_DIR"
HELLO_BODY="$(lua_body "$TMP/anchor/hello.lua")"
POSTS_BODY="$(lua_body "$TMP/anchor/posts.lua")"
if [ -z "$HELLO_BODY" ] || [ -z "$POSTS_BODY" ]; then
  die "no wrk.body in the anchors' .lua files"
fi
if want apollo || want mercurius; then
  log "installing Apollo Server and Mercurius into a temp copy of $ANCHOR_DIR"
  install_anchor_deps @apollo/server graphql mercurius fastify
fi

# 3. Start everything before measuring anything (no compiler or npm running
#    during a measurement). Every server is pinned to CPU 0.
declare -A URL=()
if want facet; then
  start_services valkey
  port="$(free_port)"
  start_fixture "$FACET_BIN" "$(service_env VALKEY_URL)" "$port" "$TMP/facet.log"
  URL[facet]="http://127.0.0.1:$port/graphql"
  wait_up facet "${URL[facet]}" "$TMP/facet.log"
  log "facet-fixture on ${URL[facet]} (FACET_THREADS=1$SERVER_NOTE)"
fi
for name in mercurius apollo; do
  want "$name" || continue
  port="$(free_port)"
  (cd "$TMP/anchor" && PORT="$port" exec "${SERVER_PIN[@]}" node "$name-server.mjs" \
    >"$TMP/$name.log" 2>&1 </dev/null) &
  PIDS[$name]=$!
  URL[$name]="http://127.0.0.1:$port/"
  wait_up "$name" "${URL[$name]}" "$TMP/$name.log"
  log "$name on ${URL[$name]} (node $(node --version)$SERVER_NOTE)"
done

# 4. Responses: Facet's bytes must be the anchors' bytes, for both queries.
#    Apollo Server ends its JSON with a newline, which is not compared.
mkdir -p "$TMP/responses"
SAME=1
for q in hello posts; do
  body="$HELLO_BODY"
  [ "$q" = posts ] && body="$POSTS_BODY"
  ref=""
  for name in facet mercurius apollo; do
    want "$name" || continue
    out="$TMP/responses/$name-$q.json"
    st="$(post "${URL[$name]}" "$body" "$out")"
    [[ "$st" == "200 application/json"* ]] || die "$name: $q answered '$st', expected 200 application/json"
    if [ "$name" = apollo ] && [ "$(tail -c 1 "$out" | od -An -c | tr -d ' ')" = '\n' ]; then
      head -c -1 "$out" >"$out.tmp" && mv "$out.tmp" "$out"
    fi
    if [ -z "$ref" ]; then
      ref="$out"
    elif cmp -s "$ref" "$out"; then
      log "$q: $name's response is byte-identical to $(basename "$ref" "-$q.json")'s ($(wc -c <"$out") bytes)"
    else
      SAME=0
      log "$q: $name's response DIFFERS from $(basename "$ref" "-$q.json")'s: $out, $ref"
    fi
  done
done
[ "$SAME" = 1 ] || die "responses differ (see above)"

# nginx: the `{ hello }` response bytes (Facet's, else an anchor's) as a
# static file. The wrk script POSTs, which nginx's static module answers
# with 405: error_page turns that into the file, so nginx gets the same
# requests as the others.
if want nginx; then
  d="$TMP/nginx"
  mkdir -p "$d/www"
  hello_src=""
  for name in facet mercurius apollo; do
    if [ -z "$hello_src" ] && [ -f "$TMP/responses/$name-hello.json" ]; then
      hello_src="$TMP/responses/$name-hello.json"
    fi
  done
  if [ -n "$hello_src" ]; then
    cp "$hello_src" "$d/www/hello.json"
  else # nginx alone: the bytes every server above answers
    printf '{"data":{"hello":"world"}}' >"$d/www/hello.json"
  fi
  port="$(free_port)"
  start_nginx "$port" '    default_type application/json;
    location = /graphql {
      try_files /hello.json =404;
      error_page 405 =200 /hello.json;
    }
    location = /hello.json {
    }'
  URL[nginx]="http://127.0.0.1:$port/graphql"
  # The same file for a plain GET, without the internal redirect: the
  # higher of the two figures is the ceiling the target is checked on.
  URL[nginx-get]="http://127.0.0.1:$port/hello.json"
  wait_up nginx "${URL[nginx]}" "$d/error.log"
  st="$(post "${URL[nginx]}" "$HELLO_BODY" "$TMP/responses/nginx-hello.json")"
  [[ "$st" == "200 application/json"* ]] || die "nginx answered '$st'"
  cmp -s "$d/www/hello.json" "$TMP/responses/nginx-hello.json" || die "nginx's response is not the file's bytes"
  st="$(curl -s -o "$TMP/responses/nginx-get-hello.json" -w '%{http_code} %{content_type}' --max-time 5 "${URL[nginx-get]}" || true)"
  [[ "$st" == "200 application/json"* ]] || die "nginx (GET) answered '$st'"
  log "nginx on ${URL[nginx]} (worker_processes 1$SERVER_NOTE), $(wc -c <"$d/www/hello.json") bytes"
fi

# cpu_ms PID: the CPU time (user + system, ms) used so far by PID and its
# children (nginx's worker is the master's child), from /proc.
cpu_ms() {
  local pid total=0 f
  for pid in "$1" $(pgrep -P "$1" || true); do
    f="$(cut -d')' -f2- "/proc/$pid/stat" 2>/dev/null)" || continue
    # Fields after the command: state is 3rd overall, utime 14th, stime 15th.
    total=$((total + $(awk '{ print $12 + $13 }' <<<"$f")))
  done
  echo $((total * 1000 / $(getconf CLK_TCK)))
}

# preempted PID: how often the threads of PID and its children were taken
# off the CPU while runnable so far (other work on the server's core).
preempted() {
  local pid total=0 n
  for pid in "$1" $(pgrep -P "$1" || true); do
    n="$(cat /proc/"$pid"/task/*/status 2>/dev/null |
      awk '/^nonvoluntary_ctxt_switches:/ { s += $2 } END { print s + 0 }')"
    total=$((total + n))
  done
  echo "$total"
}

# 5. The measurements: every cell ROUNDS times, the servers' order reversed
#    every other round so that a burst of load elsewhere does not always
#    fall on the same server.
ORDER=()
for name in nginx facet mercurius apollo; do want "$name" && ORDER+=("$name"); done
want nginx && ORDER=(nginx-get "${ORDER[@]}")
: >"$TMP/runs.tsv"
LOAD_BEFORE="$(loadavg)"
for ((round = 1; round <= ROUNDS; round++)); do
  round_order "$round" "${ORDER[@]}"
  for q in hello posts; do
    for name in "${ROUND_ORDER[@]}"; do
      [[ "$name" == nginx* ]] && [ "$q" = posts ] && continue
      script=(-s "$TMP/anchor/$q.lua")
      [ "$name" = nginx-get ] && script=()
      log "round $round/$ROUNDS: $name, $q: wrk -t1 -c$CONNECTIONS -d$DURATION --latency"
      wrk_run "$WARMUP" "${script[@]}" "${URL[$name]}" >/dev/null
      out="$TMP/wrk-$name-$q-$round.txt"
      server="${name%-get}"
      cpu0="$(cpu_ms "${PIDS[$server]}")"
      pre0="$(preempted "${PIDS[$server]}")"
      wrk_run "$DURATION" --latency "${script[@]}" "${URL[$name]}" >"$out"
      cpu1="$(cpu_ms "${PIDS[$server]}")"
      pre1="$(preempted "${PIDS[$server]}")"
      printf -- '--- %s %s round %s (%s) ---\n' "$name" "$q" "$round" "${URL[$name]}" >&2
      cat "$out" >&2
      wrk_check "$name" "$out"
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$q" "$round" "$out" "$((cpu1 - cpu0))" \
        "$((pre1 - pre0))" >>"$TMP/runs.tsv"
    done
  done
done
LOAD_AFTER="$(loadavg)"

VERSIONS="node $(node --version)"
want apollo && VERSIONS+=", @apollo/server $(pkg_version "$TMP/anchor" @apollo/server)"
want mercurius && VERSIONS+=", mercurius $(pkg_version "$TMP/anchor" mercurius) (graphql-jit $(pkg_version "$TMP/anchor" graphql-jit)), fastify $(pkg_version "$TMP/anchor" fastify)"
want nginx && VERSIONS+=", $("$NGINX" -v 2>&1 | sed 's/^nginx version: //')"

# 6. The table (markdown) and the targets.
set +e
python3 - "$TMP/runs.tsv" "$ROUNDS" "$LOAD_BEFORE" "$LOAD_AFTER" "$(nproc)" "$CONNECTIONS" \
  "$DURATION" "$VERSIONS" "${BENCH_STRICT:-0}" "$NICE" <<'EOF'
import re, sys
runs_path, rounds, load0, load1, ncpu, conns, duration, versions, strict, nice = sys.argv[1:]
UNIT = {'us': 0.001, 'ms': 1.0, 's': 1000.0}

def parse(path):
    text = open(path).read()
    rps = float(re.search(r'^Requests/sec:\s+([\d.]+)', text, re.M).group(1))
    lat = {}
    for pct, val, unit in re.findall(r'^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$', text, re.M):
        lat[pct] = float(val) * UNIT[unit]
    requests = int(re.search(r'^\s*(\d+) requests in', text, re.M).group(1))
    errors = re.search(r'Socket errors:.*', text)
    return {'rps': rps, 'p50': lat.get('50'), 'p99': lat.get('99'), 'requests': requests,
            'errors': errors.group(0) if errors else None}

best = {}
cpu_us = {}  # server CPU time per request, the lowest of the rounds
for line in open(runs_path):
    name, q, rnd, path, cpu_ms, preempted = line.rstrip('\n').split('\t')
    r = parse(path)
    r['preempted'] = int(preempted)
    if r['errors']:
        print(f"note: {name} {q} round {rnd}: {r['errors']}", file=sys.stderr)
    key = (name, q)
    if key not in best or r['rps'] > best[key]['rps']:
        best[key] = r
    us = 1000 * int(cpu_ms) / r['requests'] if r['requests'] else None
    if us and (key not in cpu_us or us < cpu_us[key]):
        cpu_us[key] = us

label = {'hello': '`{ hello }`', 'posts': '`posts(first: 50)`'}
server = {'nginx': 'nginx (static file, same POST)', 'nginx-get': 'nginx (static file, GET)', 'facet': 'Facet', 'mercurius': 'Mercurius + graphql-jit',
          'apollo': 'Apollo Server 5'}
kept = f"best of {rounds} rounds" if rounds != '1' else "one round"
niced = f", nice {nice}" if nice != '0' else ""
print(f"GraphQL over HTTP, wrk -t1 -c{conns} -d{duration} --latency, one server core each{niced}; {kept}; "
      f"load average {load0} before, {load1} after; {ncpu} CPUs")
print(f"{versions}")
print()
print("| query | server | req/s | p50 | p99 | Facet / this | server CPU per request | Facet / this per CPU-s "
      "| preempted |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
def ratio(a, b, pct):
    return f"{100 * a / b:.0f}%" if pct else f"{a / b:.1f}x"
for q in ('hello', 'posts'):
    f, fc = best.get(('facet', q)), cpu_us.get(('facet', q))
    for name in ('nginx', 'nginx-get', 'facet', 'mercurius', 'apollo'):
        r, c = best.get((name, q)), cpu_us.get((name, q))
        if not r:
            continue
        pct = name.startswith('nginx')
        wall = '' if name == 'facet' or not f else ratio(f['rps'], r['rps'], pct)
        per_cpu = '' if name == 'facet' or not fc or not c else ratio(c, fc, pct)
        cpu = f"{c:.1f} µs" if c else '-'
        print(f"| {label[q]} | {server[name]} | {r['rps']:,.0f} | {r['p50']:.2f} ms | {r['p99']:.2f} ms | {wall} "
              f"| {cpu} | {per_cpu} | {r['preempted']:,} |")
print()

results = []
def check(what, ok, per_cpu=None):
    results.append(ok)
    extra = f"; per CPU-second: {per_cpu}" if per_cpu else ""
    print(f"target {what}: {'met' if ok else 'MISSED'}{extra}")
def cpu_ratio(k1, k2, factor, pct=False):
    """The ratio per CPU-second of k2 over k1, and whether it reaches factor."""
    a, b = cpu_us.get(k1), cpu_us.get(k2)
    if not a or not b:
        return None
    r = b / a
    shown = f"{100 * r:.0f}%" if pct else f"{r:.1f}x"
    return f"{shown}, {'met' if r >= factor else 'missed'}"
fp, fh = best.get(('facet', 'posts')), best.get(('facet', 'hello'))
m, a = best.get(('mercurius', 'posts')), best.get(('apollo', 'posts'))
nk = max((k for k in (('nginx', 'hello'), ('nginx-get', 'hello')) if k in best),
         key=lambda k: best[k]['rps'], default=None)
n = best.get(nk) if nk else None
if fp and m:
    check(f"posts(first: 50) >= 3x Mercurius ({fp['rps'] / m['rps']:.1f}x)", fp['rps'] >= 3 * m['rps'],
          cpu_ratio(('facet', 'posts'), ('mercurius', 'posts'), 3))
if fp and a:
    check(f"posts(first: 50) >= 30x Apollo ({fp['rps'] / a['rps']:.1f}x)", fp['rps'] >= 30 * a['rps'],
          cpu_ratio(('facet', 'posts'), ('apollo', 'posts'), 30))
if fp:
    check(f"posts(first: 50) p99 < 2 ms ({fp['p99']:.2f} ms)", fp['p99'] < 2.0)
if fh and n:
    check(f"{{ hello }} >= 80% of nginx's better figure ({100 * fh['rps'] / n['rps']:.0f}%)",
          fh['rps'] >= 0.8 * n['rps'], cpu_ratio(('facet', 'hello'), nk, 0.8, pct=True))
print("responses byte-identical to the anchors': yes")
sys.exit(1 if strict == '1' and not all(results) else 0)
EOF
status=$?
set -e
exit "$status"
