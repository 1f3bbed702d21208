#!/usr/bin/env bash
# GraphQL engine throughput in-process: Facet's engine (bench/gql_bench.c)
# against graphql-js 16 (../shared/bench/graphql-js-bench.mjs), both doing
# parse + validate + execute + serialize of the reference workload, with and
# without a cached document, in the same run. See bench/README.md.
# Knobs (environment):
#   BENCH_SECONDS      Facet's run length per case in seconds (default 5; the
#                      anchor's is fixed at 3 s per case by its script)
#   BENCH_ROUNDS       runs of both benchmarks, alternating; each case's best
#                      figure counts (default 1)
#   BENCH_CPU          the CPU both benchmarks are pinned to, one after the
#                      other (default 0; "none" = no pinning)
#   BENCH_BUILD_DIR    build directory (default build-release)
#   BENCH_SKIP_BUILD   1 = use the existing $BENCH_BUILD_DIR/bench/gql_bench
#   BENCH_ANCHOR_DIR   the anchors' folder (default ../shared/bench); it is
#                      copied to a temp dir, never written to
#   BENCH_STRICT       1 = exit 1 when posts(first: 50) misses the 20x target
#   BENCH_KEEP         1 = keep the temp dir after the run
# lib.sh: strict mode (set -euo pipefail), cd to the repository (ROOT), the
# helpers shared by the bench scripts.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1

SECONDS_PER_CASE="${BENCH_SECONDS:-5}"
ROUNDS="${BENCH_ROUNDS:-1}"
CPU="${BENCH_CPU:-0}"
BUILD_DIR="${BENCH_BUILD_DIR:-build-release}"
ANCHOR_DIR="${BENCH_ANCHOR_DIR:-$ROOT/../shared/bench}"
TARGET_RATIO=20

require_tools node npm python3 cmp
[ -f "$ANCHOR_DIR/graphql-js-bench.mjs" ] || die "$ANCHOR_DIR/graphql-js-bench.mjs not found"
[[ "$SECONDS_PER_CASE" =~ ^[0-9]+([.][0-9]+)?$ ]] || die "BENCH_SECONDS must be a number"
positive_int BENCH_ROUNDS "$ROUNDS"

PIN=()
if [ "$CPU" != none ] && command -v taskset >/dev/null 2>&1; then
  [ "$CPU" -lt "$(nproc)" ] || die "BENCH_CPU=$CPU but only $(nproc) CPUs"
  PIN=(taskset -c "$CPU")
fi

make_tmp facet-gql-bench

# 1. Facet, release build.
BENCH_BIN="$ROOT/$BUILD_DIR/bench/gql_bench"
build_release "$BUILD_DIR" gql_bench "$BENCH_BIN"

# 2. The anchor in a temp copy, with its pinned graphql version only (the
#    folder's other dependencies, sharp and BullMQ among them, are not
#    needed here).
log "installing graphql-js into a temp copy of $ANCHOR_DIR"
copy_anchor "$ANCHOR_DIR"
install_anchor_deps graphql
GRAPHQL_INSTALLED="$(pkg_version "$TMP/anchor" graphql)"

# 3. Responses: graphql-js' (the anchor's own schema, data and resolvers:
#    its script up to the measuring loop, then one execute per query) and
#    Facet's, compared byte for byte.
ANCHOR_JS="$TMP/anchor/graphql-js-bench.mjs"
CUT="$(grep -n '^for (const \[name, q\] of Object.entries(queries))' "$ANCHOR_JS" | head -1 | cut -d: -f1)"
[ -n "$CUT" ] || die "the anchor's measuring loop was not found; update bench/gql-engine.sh"
{
  head -n "$((CUT - 1))" "$ANCHOR_JS"
  cat <<'EOF'
import { writeFileSync } from 'node:fs';
for (const [name, q] of Object.entries(queries)) {
  const doc = parse(q);
  const errors = validate(schema, doc);
  if (errors.length) throw new Error(`${name}: ${errors[0].message}`);
  writeFileSync(`${process.argv[2]}/${name}.json`, JSON.stringify(execute({ schema, document: doc, rootValue })));
}
EOF
} >"$TMP/anchor/print-responses.mjs"
mkdir -p "$TMP/expect" "$TMP/facet"
node "$TMP/anchor/print-responses.mjs" "$TMP/expect"
SAME=1
QUERY_NAMES=(hello posts)
for q in "${QUERY_NAMES[@]}"; do
  "$BENCH_BIN" --print "$q" >"$TMP/facet/$q.json"
  if cmp -s "$TMP/expect/$q.json" "$TMP/facet/$q.json"; then
    log "$q: responses byte-identical ($(wc -c <"$TMP/facet/$q.json") bytes)"
  else
    SAME=0
    log "$q: responses DIFFER: graphql-js $TMP/expect/$q.json, facet $TMP/facet/$q.json"
    cmp "$TMP/expect/$q.json" "$TMP/facet/$q.json" >&2 || true
  fi
done

# 4. The measurements, one after the other on the same CPU, ROUNDS times
#    (alternating), keeping each case's best. graphql-js runs with a preload
#    that adds cpu_share to each of its lines: the CPU time the process got
#    during the case (warm-up included) over the wall-clock time, so that its
#    figure can also be put per CPU-second, as gql_bench's ops_per_cpu_s is.
cat >"$TMP/anchor/cpu-share.mjs" <<'EOF'
let lastCpu = process.cpuUsage(), lastT = process.hrtime.bigint();
const log = console.log;
console.log = (...args) => {
  const cpu = process.cpuUsage(), t = process.hrtime.bigint();
  const cpuUs = cpu.user - lastCpu.user + cpu.system - lastCpu.system;
  const wallUs = Number(t - lastT) / 1000;
  lastCpu = cpu; lastT = t;
  if (args.length === 1 && typeof args[0] === 'string' && args[0].startsWith('{')) {
    try {
      const r = JSON.parse(args[0]);
      r.cpu_share = Math.round(1000 * Math.min(1, cpuUs / wallUs)) / 1000;
      args[0] = JSON.stringify(r);
    } catch {}
  }
  log(...args);
};
EOF
LOAD_BEFORE="$(loadavg)"
: >"$TMP/graphql-js.jsonl"
: >"$TMP/facet.jsonl"
for ((round = 1; round <= ROUNDS; round++)); do
  log "round $round/$ROUNDS: graphql-js $GRAPHQL_INSTALLED (node $(node --version)): 4 cases x 3 s${PIN:+ on CPU $CPU}"
  (cd "$TMP/anchor" && "${PIN[@]}" node --import ./cpu-share.mjs graphql-js-bench.mjs) |
    tee -a "$TMP/graphql-js.jsonl" >&2
  log "round $round/$ROUNDS: facet: 4 cases x ${SECONDS_PER_CASE} s${PIN:+ on CPU $CPU}"
  "${PIN[@]}" "$BENCH_BIN" --seconds "$SECONDS_PER_CASE" --expect-dir "$TMP/expect" |
    tee -a "$TMP/facet.jsonl" >&2
done
LOAD_AFTER="$(loadavg)"

# 5. The table.
set +e
python3 - "$TMP/graphql-js.jsonl" "$TMP/facet.jsonl" "$TARGET_RATIO" "$SAME" \
  "$LOAD_BEFORE" "$LOAD_AFTER" "$(nproc)" "$GRAPHQL_INSTALLED" "${BENCH_STRICT:-0}" \
  "$ROUNDS" <<'EOF'
import json, sys
js_path, facet_path, target, same, load0, load1, ncpu, gver, strict, rounds = sys.argv[1:]
target = float(target)
def load(path, cpu_ops):
    """Best wall-clock and best per-CPU-second figure of each case."""
    out = {}
    for line in open(path):
        line = line.strip()
        if not line.startswith('{'):
            continue
        r = json.loads(line)
        key = (r['query'], bool(r['document_cached']))
        wall, cpu = r['ops_per_s'], cpu_ops(r)
        best = out.setdefault(key, [0, 0])
        best[0] = max(best[0], wall)
        best[1] = max(best[1], cpu or 0)
    return out
js = load(js_path, lambda r: r['ops_per_s'] / r['cpu_share'] if r.get('cpu_share') else None)
fc = load(facet_path, lambda r: r.get('ops_per_cpu_s'))
missed, cpu_missed, cpu_seen = [], [], []
best = f"best of {rounds} rounds" if rounds != '1' else "one round"
print(f"GraphQL engine, in-process: graphql-js {gver} vs Facet, {best}; "
      f"load average {load0} before, {load1} after; {ncpu} CPUs")
print(f"{'query':<18} {'mode':<9} {'graphql-js ops/s':>16} {'facet ops/s':>12} {'ratio':>7}"
      f" {'ratio per CPU-s':>16}")
for q, label in (('hello', '{ hello }'), ('posts', 'posts(first: 50)')):
    for cached in (False, True):
        mode = 'cached' if cached else 'no cache'
        a, b = js.get((q, cached)), fc.get((q, cached))
        if not a or not b or not a[0]:
            print(f"{label:<18} {mode:<9} missing result")
            missed.append(f"{q} ({mode}) missing")
            continue
        ratio = b[0] / a[0]
        cpu_ratio = f"{b[1] / a[1]:.1f}x" if a[1] and b[1] else "-"
        print(f"{label:<18} {mode:<9} {round(a[0]):>16,} {round(b[0]):>12,} {ratio:>6.1f}x"
              f" {cpu_ratio:>16}")
        if q == 'posts' and ratio < target:
            missed.append(f"posts ({mode}) at {ratio:.1f}x")
        if q == 'posts' and a[1] and b[1]:
            cpu_seen.append(f"{mode} {b[1] / a[1]:.1f}x")
            if b[1] / a[1] < target:
                cpu_missed.append(mode)
print("responses byte-identical to graphql-js': " + ("yes" if same == '1' else "NO"))
if missed:
    print(f"target (posts(first: 50) >= {target:g}x graphql-js): MISSED: " + ", ".join(missed))
else:
    print(f"target (posts(first: 50) >= {target:g}x graphql-js): met in both modes")
if cpu_seen:
    print("  per CPU-second: " + ("MISSED" if cpu_missed else "met") + " (" +
          ", ".join(cpu_seen) + ")")
sys.exit(1 if same != '1' or (strict == '1' and missed) else 0)
EOF
status=$?
set -e
exit "$status"
