#!/usr/bin/env bash
# essaim benchmarks: starts the real binary on a free loopback port with a temporary data
# directory and measures it with wrk (2 threads, 64 connections, keep-alive). Prints a table.
#   server/bench/run.sh            (what `make bench` runs)
#   DURATION=30s server/bench/run.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${ESSAIM_BIN:-$ROOT/server/build/essaim}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-64}
command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }

TMP=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export ESSAIM_DATA_DIR=$TMP ESSAIM_LISTEN=127.0.0.1:$PORT ESSAIM_QBT_MANAGED=0 ESSAIM_LOG_LEVEL=warn
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT

echo 'bench-password-123' | "$BIN" create-user --username bench --password-stdin >/dev/null
"$BIN" serve >"$TMP/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/api/health" >/dev/null && break; sleep 0.1; done
COOKIE=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
  -d '{"username":"bench","password":"bench-password-123"}' "http://127.0.0.1:$PORT/api/auth/login" |
  tr -d '\r' | awk -F'[:;] *' 'tolower($1)=="set-cookie" && $2 ~ /^essaim_session=/ {print $2}')
[ -n "$COOKIE" ] || { echo "bench: login failed" >&2; exit 1; }

run() { # name url [header]
  local out
  if [ $# -ge 3 ]; then out=$(wrk -t2 -c"$CONNS" -d"$DURATION" --latency -H "$3" "$2")
  else out=$(wrk -t2 -c"$CONNS" -d"$DURATION" --latency "$2"); fi
  local rps p50 p99 errs
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errs=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out" | tr '\n' ' ')
  printf '| %-28s | %12s | %8s | %8s | %s\n' "$1" "$rps" "$p50" "$p99" "${errs:-0 errors}"
}

echo "essaim $("$BIN" version | awk '{print $2}') — wrk -t2 -c$CONNS -d$DURATION on $(nproc) cores ($(uname -m)), $(date -u +%F)"
printf '| %-28s | %12s | %8s | %8s | %s\n' "endpoint" "req/s" "p50" "p99" "errors"
printf '|%s|\n' "------------------------------|--------------|----------|----------|---------"
run "GET /api/health" "http://127.0.0.1:$PORT/api/health"
run "GET /api/me (authenticated)" "http://127.0.0.1:$PORT/api/me" "Cookie: $COOKIE"
echo "RSS after the runs: $(awk '/VmRSS/ {print $2, $3}' /proc/$PID/status)"
