# shellcheck shell=bash
# Code shared by the bench/*.sh scripts (queue.sh keeps its own). Source it
# first thing. Sourcing turns on the strict mode the scripts are written for
# (set -euo pipefail, inherit_errexit), changes to the repository and sets
# ROOT (its path), NGINX (the nginx binary: $NGINX, default /usr/sbin/nginx),
# PIDS (server name -> pid: what the exit handler of make_tmp stops),
# SERVICES_DIR and OWN_SERVICES (see start_services) and STOP_TENTHS (see
# stop_pid); everything else happens when a script calls a function.

set -euo pipefail
shopt -s inherit_errexit

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1
NGINX="${NGINX:-/usr/sbin/nginx}"
declare -A PIDS=()
SERVICES_DIR=""
OWN_SERVICES=0
STOP_TENTHS=100

# log MSG...: prints "bench: MSG" on stderr.
log() { printf 'bench: %s\n' "$*" >&2; }

# die MSG...: prints "bench: MSG" on stderr and exits 1.
die() {
  printf 'bench: %s\n' "$*" >&2
  exit 1
}

# read_targets DEFAULT [KNOWN...]: sets TARGETS, the servers to measure, from
# BENCH_TARGETS (DEFAULT when unset); with KNOWN names, any other name is an
# error.
read_targets() {
  local default="$1" t
  shift
  TARGETS="${BENCH_TARGETS:-$default}"
  [ "$#" -gt 0 ] || return 0
  for t in $TARGETS; do
    [[ " $* " == *" $t "* ]] || die "BENCH_TARGETS: unknown server $t"
  done
}

# want NAME: true when NAME is one of TARGETS.
want() { [[ " $TARGETS " == *" $1 "* ]]; }

# require_tools TOOL...: exits when one of these commands is not on PATH.
require_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool not found; run scripts/setup"
  done
}

# positive_int KNOB VALUE: exits unless VALUE is a positive integer.
positive_int() {
  [[ "$2" =~ ^[1-9][0-9]*$ ]] || die "$1 must be a positive integer"
}

# wrk_knobs DEFAULT_CONNECTIONS: sets DURATION and WARMUP (wrk durations from
# BENCH_DURATION, default 10s, and BENCH_WARMUP, default 2s; a bare number
# means seconds) and CONNECTIONS (BENCH_CONNECTIONS, default as given).
wrk_knobs() {
  DURATION="${BENCH_DURATION:-10s}"
  WARMUP="${BENCH_WARMUP:-2s}"
  CONNECTIONS="${BENCH_CONNECTIONS:-$1}"
  [[ "$DURATION" =~ ^[0-9]+$ ]] && DURATION="${DURATION}s"
  [[ "$WARMUP" =~ ^[0-9]+$ ]] && WARMUP="${WARMUP}s"
  return 0
}

# pin_cpus: with two or more cores (and taskset), servers go on CPU 0 and the
# load generator on CPU 1. Sets SERVER_PIN and CLIENT_PIN (command prefixes,
# empty arrays otherwise) and SERVER_NOTE (", CPU 0" or empty, for logs).
pin_cpus() {
  SERVER_PIN=()
  CLIENT_PIN=()
  SERVER_NOTE=""
  if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null 2>&1; then
    SERVER_PIN=(taskset -c 0)
    CLIENT_PIN=(taskset -c 1)
    SERVER_NOTE=", CPU 0"
  fi
}

# nice_knob: after pin_cpus, reads BENCH_NICE into NICE (default 0); a value
# other than 0 (negative: root only) is checked to be possible here and put
# in front of SERVER_PIN and CLIENT_PIN, and appended to SERVER_NOTE.
nice_knob() {
  NICE="${BENCH_NICE:-0}"
  [[ "$NICE" =~ ^-?[0-9]+$ ]] || die "BENCH_NICE must be an integer"
  [ "$NICE" != 0 ] || return 0
  [ "$(nice -n "$NICE" nice 2>/dev/null)" = "$(($(nice) + NICE))" ] ||
    die "cannot run at nice $NICE here (a negative value needs root)"
  SERVER_PIN=(nice -n "$NICE" "${SERVER_PIN[@]}")
  CLIENT_PIN=(nice -n "$NICE" "${CLIENT_PIN[@]}")
  SERVER_NOTE+=", nice $NICE"
}

# make_tmp NAME: creates the run's temp dir, sets TMP to it and installs the
# exit handler: it stops every process in PIDS and the services it started,
# then removes TMP, unless the run failed or BENCH_KEEP=1 (then it prints
# where TMP is). Ctrl-C and TERM go through it as well.
make_tmp() {
  TMP="$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")"
  trap bench_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# bench_cleanup: make_tmp's exit handler (see there); keeps the exit status.
bench_cleanup() {
  local rc=$? name
  trap - EXIT INT TERM
  for name in "${!PIDS[@]}"; do stop_pid "${PIDS[$name]}"; done
  if [ "$OWN_SERVICES" -eq 1 ]; then
    FACET_SERVICES_DIR="$SERVICES_DIR" "$ROOT/scripts/services" stop >/dev/null 2>&1 || true
  fi
  if [ "${BENCH_KEEP:-0}" = 1 ] || [ "$rc" -ne 0 ]; then
    log "logs kept in $TMP"
  else
    rm -rf "$TMP"
  fi
  exit "$rc"
}

# stop_pid PID: sends TERM to PID (nothing when empty or gone), waits up to
# STOP_TENTHS tenths of a second for it to exit, then sends KILL; reaps it.
stop_pid() {
  local pid="$1" i
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < STOP_TENTHS; i++)); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# free_port: prints a TCP port free on 127.0.0.1 right now.
free_port() {
  python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# http_200 URL: true when a GET of URL answers 200 within a second.
http_200() {
  [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$1" || true)" = 200 ]
}

# accepts PORT: true when something accepts connections on 127.0.0.1:PORT.
accepts() {
  python3 -c 'import socket, sys
socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).close()' "$1" 2>/dev/null
}

# wait_until LABEL PID LOGFILE WHAT CHECK...: runs the command CHECK... every
# 0.1 s until it succeeds, 30 s at most. When PID exits first ("LABEL exited
# during start-up") or time runs out ("LABEL did not WHAT within 30 s"), it
# prints the last lines of LOGFILE and exits 1.
wait_until() {
  local label="$1" pid="$2" logf="$3" what="$4" i
  shift 4
  for ((i = 0; i < 300; i++)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "$label exited during start-up; last lines of $logf:"
      tail -n 20 "$logf" >&2 || true
      exit 1
    fi
    "$@" && return 0
    sleep 0.1
  done
  log "$label did not $what within 30 s; last lines of $logf:"
  tail -n 20 "$logf" >&2 || true
  exit 1
}

# build_release DIR TARGET BIN [ARG...]: unless BENCH_SKIP_BUILD=1,
# configures DIR as a Release build and builds TARGET (ARG... go to
# `cmake --build`; the log is $TMP/cmake.log); then exits unless the
# executable BIN is there.
build_release() {
  local dir="$1" target="$2" bin="$3"
  shift 3
  if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
    log "building $target (Release) in $dir/"
    cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release >"$TMP/cmake.log" 2>&1 ||
      { tail -n 30 "$TMP/cmake.log" >&2; die "cmake configure failed"; }
    cmake --build "$dir" "$@" --target "$target" >>"$TMP/cmake.log" 2>&1 ||
      { tail -n 30 "$TMP/cmake.log" >&2; die "build failed"; }
  fi
  [ -x "$bin" ] || die "$bin not found"
}

# start_services NAME...: starts these services (valkey, ferretdb, s3) with
# scripts/services in SERVICES_DIR. When the script left SERVICES_DIR
# empty, that is $TMP/services and they are stopped on exit (OWN_SERVICES=1);
# services in a folder the script chose are left running. Sets SERVICES_DIR.
start_services() {
  if [ -z "$SERVICES_DIR" ]; then
    SERVICES_DIR="$TMP/services"
    OWN_SERVICES=1
  fi
  log "starting $* in $SERVICES_DIR"
  FACET_SERVICES_DIR="$SERVICES_DIR" "$ROOT/scripts/services" start "$@" >&2
}

# service_env VAR: prints VAR (VALKEY_URL, MONGODB_URI, ...) from the env file
# of the services start_services started.
service_env() {
  # shellcheck disable=SC1091
  (. "$SERVICES_DIR/env" && printf '%s\n' "${!1}")
}

# start_facet_bg NAME BIN PORT LOGFILE [VAR=VALUE...]: starts `BIN serve` in
# the background, stdout and stderr to LOGFILE, on 127.0.0.1:PORT with one
# I/O thread, behind SERVER_PIN, with FACET_LOG_LEVEL from
# BENCH_FACET_LOG_LEVEL (default warn) and the VAR=VALUE settings (the
# caller passes VALKEY_URL and MONGODB_URI) in its environment. Sets
# PIDS[NAME]; does not wait (see wait_until).
start_facet_bg() {
  local name="$1" bin="$2" port="$3" logf="$4"
  shift 4
  (
    export FACET_THREADS=1 FACET_PORT="$port" FACET_HOST=127.0.0.1
    export FACET_LOG_LEVEL="${BENCH_FACET_LOG_LEVEL:-warn}"
    # shellcheck disable=SC2163 # exports the VAR=VALUE words
    [ "$#" -eq 0 ] || export "$@"
    exec "${SERVER_PIN[@]}" "$bin" serve >"$logf" 2>&1 </dev/null
  ) &
  PIDS[$name]=$!
}

# start_fixture BIN VALKEY_URL PORT LOGFILE: start_facet_bg for the fixture
# build BIN (facet-fixture, tests/fixture/schema.graphql) as PIDS[facet]. The
# fixture never touches MongoDB: its URI names a port nothing listens on.
start_fixture() {
  start_facet_bg facet "$1" "$3" "$4" VALKEY_URL="$2" \
    MONGODB_URI="mongodb://127.0.0.1:$(free_port)/facet" \
    FACET_SCHEMA="$ROOT/tests/fixture/schema.graphql"
}

# start_nginx PORT SERVER_CONF: starts nginx (one worker, access_log off,
# keep-alive, the static-file settings of a tuned baseline) in the
# background behind SERVER_PIN, listening on 127.0.0.1:PORT with SERVER_CONF
# (directives) in its server block. Its folder is $TMP/nginx: files to
# serve go in $TMP/nginx/www (its root); config, pid, logs and temp paths
# stay there too. Sets PIDS[nginx]; does not wait (see wait_until).
start_nginx() {
  local port="$1" server_conf="$2" d="$TMP/nginx" user_line=""
  mkdir -p "$d/www" "$d/tmp"
  # As root, nginx's worker would run as nobody and could not read the 0700
  # temp dir: keep the worker as the invoking user.
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
$server_conf
  }
}
EOF
  # -e: the error log before the config is read also goes to the temp dir.
  "${SERVER_PIN[@]}" "$NGINX" -p "$d/" -e "$d/error.log" -c "$d/nginx.conf" -g 'daemon off;' \
    >>"$d/stdout.log" 2>&1 </dev/null &
  PIDS[nginx]=$!
}

# wrk_run DURATION ARG...: one wrk thread with CONNECTIONS connections for
# DURATION, behind CLIENT_PIN; ARG... (options, then the URL) go to wrk.
wrk_run() {
  "${CLIENT_PIN[@]}" wrk -t1 -c"$CONNECTIONS" -d"$1" "${@:2}"
}

# wrk_check LABEL FILE: exits when wrk's output in FILE reports non-2xx
# responses.
wrk_check() {
  if grep -q 'Non-2xx or 3xx responses' "$2"; then
    die "$1: wrk saw non-2xx responses (see above)"
  fi
}

# round_order ROUND NAME...: sets ROUND_ORDER to NAME... as given in odd
# rounds and reversed in even ones, so that a burst of load elsewhere does
# not always fall on the same server.
round_order() {
  local round="$1" i
  shift
  ROUND_ORDER=("$@")
  if ((round % 2 == 0)); then
    ROUND_ORDER=()
    for ((i = $#; i >= 1; i--)); do ROUND_ORDER+=("${!i}"); done
  fi
}

# loadavg: prints the 1, 5 and 15-minute load averages.
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# copy_anchor DIR: copies the anchors' folder DIR (BENCH_ANCHOR_DIR) to
# $TMP/anchor, without its node_modules and inputs; DIR is never written to.
copy_anchor() {
  mkdir -p "$TMP/anchor"
  (cd "$1" && tar --exclude=node_modules --exclude=inputs -cf - .) | tar -C "$TMP/anchor" -xf -
}

# install_anchor_deps PACKAGE...: in the copy of copy_anchor, keeps only these
# dependencies in package.json, at the versions it pins, and installs them
# (npm install; the log is $TMP/npm.log).
install_anchor_deps() {
  node -e '
const fs = require("fs"), p = JSON.parse(fs.readFileSync(process.argv[1]));
const deps = {};
for (const k of process.argv.slice(2)) {
  if (!p.dependencies[k]) throw new Error("package.json lacks " + k);
  deps[k] = p.dependencies[k];
}
p.dependencies = deps;
fs.writeFileSync(process.argv[1], JSON.stringify(p, null, 2));' "$TMP/anchor/package.json" "$@"
  (cd "$TMP/anchor" && npm install --no-audit --no-fund --prefer-offline --loglevel=error) \
    >"$TMP/npm.log" 2>&1 || { cat "$TMP/npm.log" >&2; die "npm install failed"; }
}

# pkg_version DIR PACKAGE: prints the version of PACKAGE installed in
# DIR/node_modules.
pkg_version() {
  node -p 'require(process.argv[1]).version' "$1/node_modules/$2/package.json"
}
