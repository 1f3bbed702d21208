# shellcheck shell=bash
# Helpers shared by scripts/setup and scripts/services. Source it; it defines
# functions and one variable and runs nothing.

# The FerretDB release Facet develops and tests against.
FACET_FERRET_VERSION=v1.24.2

# facet_go: path of the go command (PATH first, then the usual install place).
facet_go() {
  if command -v go >/dev/null 2>&1; then
    command -v go
  elif [ -x /usr/local/go/bin/go ]; then
    echo /usr/local/go/bin/go
  elif [ -x /usr/lib/go-1.23/bin/go ]; then
    echo /usr/lib/go-1.23/bin/go
  else
    return 1
  fi
}

# facet_gobin: the directory where `go install` and setup put binaries.
facet_gobin() {
  if [ -n "${GOBIN:-}" ]; then
    echo "$GOBIN"
    return 0
  fi
  local go gopath
  go="$(facet_go)" || { echo "${HOME:-/root}/go/bin"; return 0; }
  gopath="$("$go" env GOPATH 2>/dev/null)" || gopath=""
  # GOPATH may be a list; go install uses its first entry.
  echo "${gopath%%:*}/bin"
}

# facet_ferretdb_works BIN: true when BIN is executable and `BIN --version`
# exits 0 and names the expected FerretDB version.
facet_ferretdb_works() {
  local bin="$1" out
  [ -n "$bin" ] && [ -x "$bin" ] || return 1
  out="$(timeout 20 "$bin" --version 2>/dev/null)" || return 1
  case "$out" in *"${FACET_FERRET_VERSION#v}"*) return 0 ;; esac
  return 1
}

# facet_ferretdb_bin: prints the path of a FerretDB binary that starts, in
# this order: $FACET_FERRETDB_BIN if set, the upstream `ferretdb` from
# `go install` (GOBIN, then PATH), the wrapper `facet-ferretdb` built from
# scripts/ferretdb (GOBIN, then PATH). Returns 1 when none works.
facet_ferretdb_bin() {
  if [ -n "${FACET_FERRETDB_BIN:-}" ]; then
    facet_ferretdb_works "$FACET_FERRETDB_BIN" || return 1
    echo "$FACET_FERRETDB_BIN"
    return 0
  fi
  local dir name cand
  dir="$(facet_gobin)"
  for name in ferretdb facet-ferretdb; do
    for cand in "$dir/$name" "$(command -v "$name" 2>/dev/null || true)"; do
      if facet_ferretdb_works "$cand"; then
        echo "$cand"
        return 0
      fi
    done
  done
  return 1
}

# facet_ferretdb_is_wrapper BIN: true when BIN is the scripts/ferretdb wrapper
# (Go-style flags) rather than upstream cmd/ferretdb (kong flags).
facet_ferretdb_is_wrapper() {
  local out
  out="$(timeout 20 "$1" --version 2>/dev/null)" || return 1
  case "$out" in facet-ferretdb*) return 0 ;; esac
  return 1
}

# facet_ferretdb_args BIN ADDR SQLITE_DIR LOG_LEVEL: sets the array
# FACET_FERRETDB_ARGS to the arguments that run BIN with the SQLite handler
# on ADDR only: no debug HTTP listener, no telemetry, state kept in SQLITE_DIR.
facet_ferretdb_args() {
  local bin="$1" addr="$2" dir="$3" level="${4:-warn}"
  if facet_ferretdb_is_wrapper "$bin"; then
    # shellcheck disable=SC2034 # read by the caller
    FACET_FERRETDB_ARGS=(-listen-addr "$addr" -sqlite-dir "$dir" -log-level "$level")
  else
    # shellcheck disable=SC2034 # read by the caller
    FACET_FERRETDB_ARGS=(
      "--listen-addr=$addr" --handler=sqlite "--sqlite-url=file:${dir%/}/"
      "--state-dir=$dir" --debug-addr=- --telemetry=disable "--log-level=$level"
    )
  fi
}
