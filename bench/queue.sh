#!/usr/bin/env bash
# Job queue throughput, Facet against BullMQ on Node: add JOBS no-op jobs,
# then process them with one worker at concurrency 1 and 32, on the same
# Valkey in the same run. Facet's side is bench/queue_bench.c, twice: the
# handler on the thread pool (pool, the default for handlers) and on the
# worker's loop (loop: handlers_on_loop, where BullMQ runs its processor);
# the anchor is ../shared/bench/bullmq-bench.mjs, run with the bullmq and
# ioredis that tests/e2e installs. Rounds alternate the three; the table
# gives the median of each, the range of processed/s over the rounds and
# the ratio of medians to BullMQ.
#
# Every side runs in two placements, when the script starts its own Valkey
# on a machine of two or more cores:
#   shared  Valkey and the worker on one core. At concurrency 1 each job is a
#           round trip, so processed/s is then 1 / (the CPU time per job of
#           Valkey and the worker together): the cost of each queue.
#   split   Valkey on core 1, the worker on core 0. Each round trip also
#           waits for the other core to wake; on a virtual machine that wait
#           can outweigh both sides' work (compare valkey-benchmark -c 1
#           PING with and without taskset).
#
#   bench/queue.sh                 JOBS=20000 ROUNDS=3 BUILD_DIR=build
#   VALKEY_URL=redis://... bench/queue.sh   use that Valkey instead (no placements)
#   FACET_ANCHOR_BENCH=DIR         where bullmq-bench.mjs is (default ../shared/bench)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JOBS="${JOBS:-20000}"
ROUNDS="${ROUNDS:-3}"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
ANCHOR_DIR="${FACET_ANCHOR_BENCH:-$ROOT/../shared/bench}"

die() { printf 'queue.sh: %s\n' "$*" >&2; exit 1; }

[ -f "$ANCHOR_DIR/bullmq-bench.mjs" ] || die "no bullmq-bench.mjs in $ANCHOR_DIR (set FACET_ANCHOR_BENCH)"
[ -d "$ROOT/tests/e2e/node_modules/bullmq" ] || die "run 'npm ci' in tests/e2e first (bullmq, ioredis)"
WORK="$(mktemp -d /tmp/facet-queue-bench.XXXXXX)"
if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$BUILD_DIR" -j "${JOBS_BUILD:-2}" --target queue_bench >"$WORK/build.log" 2>&1 ||
  { cat "$WORK/build.log"; rm -rf "$WORK"; die "build failed"; }
BENCH_BIN="$BUILD_DIR/bench/queue_bench"

cleanup() {
  if [ -n "${OWN_SERVICES:-}" ]; then
    FACET_SERVICES_DIR="$WORK/services" "$ROOT/scripts/services" stop valkey >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
if [ -z "${VALKEY_URL:-}" ]; then
  OWN_SERVICES=1
  FACET_SERVICES_DIR="$WORK/services" "$ROOT/scripts/services" start valkey >/dev/null
  # shellcheck disable=SC1091
  source "$WORK/services/env"
fi

# The anchor resolves bullmq and ioredis from its own folder: give it the
# e2e tests' node_modules.
mkdir -p "$WORK/anchor"
cp "$ANCHOR_DIR/bullmq-bench.mjs" "$WORK/anchor/"
ln -s "$ROOT/tests/e2e/node_modules" "$WORK/anchor/node_modules"

field() { sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p"; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# place NAME: pins Valkey for that placement and sets PIN, the worker's
# taskset prefix; "any" leaves both to the scheduler.
VALKEY_PID=""
if [ -n "${OWN_SERVICES:-}" ] && [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
  VALKEY_PID="$(tr -dc '0-9' <"$WORK/services/valkey/valkey.pid")"
  PLACEMENTS="shared split"
else
  PLACEMENTS="any"
fi
place() {
  PIN=()
  case "$1" in
  shared) taskset -pc 0 "$VALKEY_PID" >/dev/null && PIN=(taskset -c 0) ;;
  split) taskset -pc 1 "$VALKEY_PID" >/dev/null && PIN=(taskset -c 0) ;;
  esac
}

printf 'Valkey %s, %s jobs, %s rounds\n' "$VALKEY_URL" "$JOBS" "$ROUNDS"
printf '%-10s %-12s %-12s %10s %12s %16s %8s\n' placement concurrency system 'adds/s' \
  'processed/s' 'range' ratio
row() { # placement conc label file ratio
  local a p lo hi
  a=$(field add_per_s <"$4" | median)
  p=$(field process_per_s <"$4" | median)
  lo=$(field process_per_s <"$4" | sort -n | head -1)
  hi=$(field process_per_s <"$4" | sort -n | tail -1)
  printf '%-10s %-12s %-12s %10s %12s %16s %8s\n' "$1" "$2" "$3" "$a" "$p" "$lo-$hi" "$5"
}
for placement in $PLACEMENTS; do
  place "$placement"
  for conc in 1 32; do
    out="$WORK/$placement.$conc"
    : >"$out.pool"
    : >"$out.loop"
    : >"$out.node"
    for ((r = 0; r < ROUNDS; r++)); do
      for side in pool loop; do
        VALKEY_URL="$VALKEY_URL" "${PIN[@]}" "$BENCH_BIN" "$JOBS" "$conc" "$side" >>"$out.$side"
      done
      (cd "$WORK/anchor" && "${PIN[@]}" node bullmq-bench.mjs "$VALKEY_URL" "$JOBS" "$conc") \
        >>"$out.node"
    done
    np=$(field process_per_s <"$out.node" | median)
    for side in pool loop; do
      fp=$(field process_per_s <"$out.$side" | median)
      ratio=$(awk -v a="$fp" -v b="$np" 'BEGIN { printf "%.2fx", a / b }')
      row "$placement" "$conc" "facet-$side" "$out.$side" "$ratio"
    done
    row "$placement" "$conc" bullmq "$out.node" ""
  done
done
