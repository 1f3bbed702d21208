#!/usr/bin/env bash
# GET /healthz throughput: Facet (one I/O thread) against nginx (one worker)
# serving a static "ok\n", both on loopback, both measured with wrk.
# See bench/README.md. Knobs (environment):
#   BENCH_DURATION     wrk run length per server (default 10s; "10" means 10s)
#   BENCH_WARMUP       warm-up run length before each measurement (default 2s)
#   BENCH_CONNECTIONS  wrk connections (default 64)
#   BENCH_TARGETS      which servers to measure (default "nginx facet")
#   BENCH_SKIP_BUILD   1 = use the existing build-release/facet as it is
#   BENCH_FACET_LOG_LEVEL  FACET_LOG_LEVEL for Facet (default warn: no
#                      per-request log lines, as nginx runs with access_log off)
#   BENCH_KEEP         1 = keep the temp dir (logs, configs) after the run
# lib.sh: strict mode (set -euo pipefail), cd to the repository (ROOT), the
# helpers shared by the bench scripts.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1

wrk_knobs 64
read_targets "nginx facet"
FACET_BIN="$ROOT/build-release/facet"

require_tools wrk curl python3
want nginx && { [ -x "$NGINX" ] || die "$NGINX not found; run scripts/setup"; }

# Servers on CPU 0, the load generator on CPU 1, when there are two cores.
pin_cpus
make_tmp facet-bench

# run_wrk NAME URL: warm-up, then a measured run; prints requests/s (integer).
run_wrk() {
  local name="$1" url="$2" out="$TMP/wrk-$1.txt" rps
  wrk_run "$WARMUP" "$url" >/dev/null
  wrk_run "$DURATION" --latency "$url" >"$out"
  printf -- '--- %s (%s) ---\n%s\n' "$name" "$url" "$(cat "$out")" >&2
  wrk_check "$name" "$out"
  rps="$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$out")"
  [ -n "$rps" ] || die "$name: could not read Requests/sec from wrk output"
  echo "$rps"
}

# start_healthz_nginx PORT: nginx serving "ok\n" at /healthz; waits for it.
start_healthz_nginx() {
  local url="http://127.0.0.1:$1/healthz"
  mkdir -p "$TMP/nginx/www"
  printf 'ok\n' >"$TMP/nginx/www/healthz"
  start_nginx "$1" '    location = /healthz {
      default_type text/plain;
    }'
  wait_until nginx "${PIDS[nginx]}" "$TMP/nginx/error.log" "answer 200 on $url" http_200 "$url"
}

# start_facet PORT: builds Facet, starts the services and Facet; waits for it.
start_facet() {
  local url="http://127.0.0.1:$1/healthz"
  build_release build-release facet "$FACET_BIN"
  start_services valkey ferretdb s3
  # FACET_DATA_DIR: the default (var/data) is relative, which the image
  # storage refuses; the temp dir keeps the repository clean as well.
  start_facet_bg facet "$FACET_BIN" "$1" "$TMP/facet.log" FACET_DATA_DIR="$TMP/data" \
    VALKEY_URL="$(service_env VALKEY_URL)" MONGODB_URI="$(service_env MONGODB_URI)"
  wait_until facet "${PIDS[facet]}" "$TMP/facet.log" "answer 200 on $url" http_200 "$url"
}

NGINX_RPS=""
FACET_RPS=""

# Build and start everything first, so that both measurements run under the
# same conditions (no compiler running during the first one).
if want facet; then
  facet_port="$(free_port)"
  start_facet "$facet_port"
  log "facet on 127.0.0.1:$facet_port (FACET_THREADS=1$SERVER_NOTE)"
fi
if want nginx; then
  nginx_port="$(free_port)"
  start_healthz_nginx "$nginx_port"
  log "nginx on 127.0.0.1:$nginx_port (worker_processes 1$SERVER_NOTE)"
fi

if want nginx; then
  NGINX_RPS="$(run_wrk nginx "http://127.0.0.1:$nginx_port/healthz")"
fi
if want facet; then
  FACET_RPS="$(run_wrk facet "http://127.0.0.1:$facet_port/healthz")"
fi

if [ -n "$FACET_RPS" ] && [ -n "$NGINX_RPS" ]; then
  echo "healthz: facet $FACET_RPS req/s, nginx $NGINX_RPS req/s, ratio $((FACET_RPS * 100 / NGINX_RPS))%"
elif [ -n "$NGINX_RPS" ]; then
  echo "healthz: nginx $NGINX_RPS req/s"
elif [ -n "$FACET_RPS" ]; then
  echo "healthz: facet $FACET_RPS req/s"
fi
