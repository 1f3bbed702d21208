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
set -euo pipefail
shopt -s inherit_errexit

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

DURATION="${BENCH_DURATION:-10s}"
WARMUP="${BENCH_WARMUP:-2s}"
CONNECTIONS="${BENCH_CONNECTIONS:-64}"
TARGETS="${BENCH_TARGETS:-nginx facet}"
[[ "$DURATION" =~ ^[0-9]+$ ]] && DURATION="${DURATION}s"
[[ "$WARMUP" =~ ^[0-9]+$ ]] && WARMUP="${WARMUP}s"

NGINX="${NGINX:-/usr/sbin/nginx}"
FACET_BIN="$ROOT/build-release/facet"

log() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

want() { [[ " $TARGETS " == *" $1 "* ]]; }

for tool in wrk curl python3; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found; run scripts/setup"
done
want nginx && { [ -x "$NGINX" ] || die "$NGINX not found; run scripts/setup"; }

# Servers on CPU 0, the load generator on CPU 1, when there are two cores.
SERVER_PIN=()
CLIENT_PIN=()
if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null 2>&1; then
  SERVER_PIN=(taskset -c 0)
  CLIENT_PIN=(taskset -c 1)
fi

TMP="$(mktemp -d "${TMPDIR:-/tmp}/facet-bench.XXXXXX")"
FACET_PID=""
NGINX_PID=""
SERVICES_STARTED=0

stop_pid() {
  local pid="$1" i
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_pid "$FACET_PID"
  stop_pid "$NGINX_PID"
  if [ "$SERVICES_STARTED" -eq 1 ]; then
    FACET_SERVICES_DIR="$TMP/services" "$ROOT/scripts/services" stop >/dev/null 2>&1 || true
  fi
  if [ "${BENCH_KEEP:-0}" = 1 ] || [ "$rc" -ne 0 ]; then
    log "logs kept in $TMP"
  else
    rm -rf "$TMP"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# wait_http NAME URL PID LOGFILE: waits until URL answers 200.
wait_http() {
  local name="$1" url="$2" pid="$3" logf="$4" i
  for ((i = 0; i < 300; i++)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "$name exited during start-up; last lines of $logf:"
      tail -n 20 "$logf" >&2 || true
      exit 1
    fi
    if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$url" || true)" = 200 ]; then
      return 0
    fi
    sleep 0.1
  done
  log "$name did not answer 200 on $url within 30 s; last lines of $logf:"
  tail -n 20 "$logf" >&2 || true
  exit 1
}

# run_wrk NAME URL: warm-up, then a measured run; prints requests/s (integer).
run_wrk() {
  local name="$1" url="$2" out rps
  "${CLIENT_PIN[@]}" wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" "$url" >/dev/null
  out="$("${CLIENT_PIN[@]}" wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency "$url")"
  printf '%s\n' "$out" >"$TMP/wrk-$name.txt"
  printf -- '--- %s (%s) ---\n%s\n' "$name" "$url" "$out" >&2
  if grep -q 'Non-2xx or 3xx responses' <<<"$out"; then
    die "$name: wrk saw non-2xx responses (see above)"
  fi
  rps="$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$out")"
  [ -n "$rps" ] || die "$name: could not read Requests/sec from wrk output"
  echo "$rps"
}

start_nginx() {
  local port="$1" d="$TMP/nginx"
  mkdir -p "$d/www" "$d/tmp"
  printf 'ok\n' >"$d/www/healthz"
  # As root, nginx's worker would run as nobody and could not read the 0700
  # temp dir: keep the worker as the invoking user.
  local user_line=""
  if [ "$(id -u)" -eq 0 ]; then user_line="user root;"; fi
  cat >"$d/nginx.conf" <<EOF
$user_line
worker_processes 1;
pid $d/nginx.pid;
error_log $d/error.log warn;
events {
  worker_connections 4096;
}
http {
  access_log off;
  client_body_temp_path $d/tmp/body;
  proxy_temp_path $d/tmp/proxy;
  fastcgi_temp_path $d/tmp/fastcgi;
  uwsgi_temp_path $d/tmp/uwsgi;
  scgi_temp_path $d/tmp/scgi;
  keepalive_timeout 75s;
  keepalive_requests 1000000;
  # A tuned static-file baseline: no open()/fstat()/close() per request.
  open_file_cache max=64 inactive=60s;
  open_file_cache_valid 60s;
  sendfile on;
  tcp_nodelay on;
  server_tokens off;
  server {
    listen 127.0.0.1:$port;
    root $d/www;
    location = /healthz {
      default_type text/plain;
    }
  }
}
EOF
  # -e: the error log before the config is read also goes to the temp dir.
  "${SERVER_PIN[@]}" "$NGINX" -p "$d/" -e "$d/error.log" -c "$d/nginx.conf" -g 'daemon off;' \
    >>"$d/stdout.log" 2>&1 </dev/null &
  NGINX_PID=$!
  wait_http nginx "http://127.0.0.1:$port/healthz" "$NGINX_PID" "$d/error.log"
}

start_facet() {
  local port="$1"
  if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
    log "building Facet (Release) in build-release/"
    cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release >"$TMP/cmake.log" 2>&1 ||
      { tail -n 30 "$TMP/cmake.log" >&2; die "cmake configure failed"; }
    cmake --build build-release --target facet >>"$TMP/cmake.log" 2>&1 ||
      { tail -n 30 "$TMP/cmake.log" >&2; die "build failed"; }
  fi
  [ -x "$FACET_BIN" ] || die "$FACET_BIN not found"

  log "starting Valkey and FerretDB in $TMP/services"
  SERVICES_STARTED=1
  FACET_SERVICES_DIR="$TMP/services" "$ROOT/scripts/services" start >&2
  # shellcheck disable=SC1091
  (
    . "$TMP/services/env"
    export VALKEY_URL MONGODB_URI
    export FACET_THREADS=1 FACET_PORT="$port" FACET_HOST=127.0.0.1
    export FACET_LOG_LEVEL="${BENCH_FACET_LOG_LEVEL:-warn}"
    exec "${SERVER_PIN[@]}" "$FACET_BIN" serve >"$TMP/facet.log" 2>&1 </dev/null
  ) &
  FACET_PID=$!
  wait_http facet "http://127.0.0.1:$port/healthz" "$FACET_PID" "$TMP/facet.log"
}

NGINX_RPS=""
FACET_RPS=""

# Build and start everything first, so that both measurements run under the
# same conditions (no compiler running during the first one).
if want facet; then
  facet_port="$(free_port)"
  start_facet "$facet_port"
  log "facet on 127.0.0.1:$facet_port (FACET_THREADS=1${SERVER_PIN:+, CPU 0})"
fi
if want nginx; then
  nginx_port="$(free_port)"
  start_nginx "$nginx_port"
  log "nginx on 127.0.0.1:$nginx_port (worker_processes 1${SERVER_PIN:+, CPU 0})"
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
