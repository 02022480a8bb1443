#!/usr/bin/env bash
# The server integration suite (pytest driving the real essaim binary against a real
# qbittorrent-nox), on one store or on both:
#   scripts/integration-tests.sh sqlite|postgresql|both [pytest args…]
# postgresql: a throw-away server (scripts/pg-test.sh); with ESSAIM_IT_PG_URL every test data
# dir gets its own database (server/tests/integration/conftest.py), dropped afterwards.
# both: the two runs side by side, each in its own process with its own qBittorrent swarm and
# ports — the tests mostly wait (on qBittorrent, timers, sockets), so together they take little
# more than the longer one alone. Each run's output goes to a log printed when both are done.
# Needs ESSAIM_BIN (the Makefile sets it). Exit status: 0 only if every run passed.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
mode=${1:-sqlite}
shift || true
: "${ESSAIM_BIN:?ESSAIM_BIN must name the essaim binary}"
export ESSAIM_BIN
PYTEST=(/usr/bin/python3 -m pytest -q -p no:cacheprovider --durations=15 "$ROOT/server/tests/integration" "$@")

tmp=$(mktemp -d /tmp/it-XXXXXX)   # short: PostgreSQL's unix socket lives in it
chmod 711 "$tmp"                   # as root, pg-test.sh runs PostgreSQL as "postgres" in $tmp/pg
pg_started=0
cleanup() {
  [ "$pg_started" = 0 ] || "$ROOT/scripts/pg-test.sh" stop "$tmp/pg" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

start_pg() {
  PG_URL=$("$ROOT/scripts/pg-test.sh" start "$tmp/pg")
  pg_started=1
}

case "$mode" in
  sqlite)
    exec_status=0
    "${PYTEST[@]}" || exec_status=$?
    exit "$exec_status"
    ;;
  postgresql)
    start_pg
    ESSAIM_IT_PG_URL=$PG_URL "${PYTEST[@]}"
    ;;
  both)
    start_pg
    t0=$(date +%s)
    "${PYTEST[@]}" >"$tmp/sqlite.log" 2>&1 &
    sqlite_pid=$!
    ESSAIM_IT_PG_URL=$PG_URL "${PYTEST[@]}" >"$tmp/postgresql.log" 2>&1 &
    pg_pid=$!
    sqlite_rc=0 pg_rc=0
    wait "$sqlite_pid" || sqlite_rc=$?
    wait "$pg_pid" || pg_rc=$?
    echo "-- on SQLite:"
    cat "$tmp/sqlite.log"
    echo "-- on PostgreSQL:"
    cat "$tmp/postgresql.log"
    echo "integration tests: SQLite $([ $sqlite_rc = 0 ] && echo passed || echo FAILED)," \
      "PostgreSQL $([ $pg_rc = 0 ] && echo passed || echo FAILED), side by side in $(( $(date +%s) - t0 )) s"
    [ "$sqlite_rc" = 0 ] && [ "$pg_rc" = 0 ]
    ;;
  *)
    echo "usage: $0 sqlite|postgresql|both [pytest args…]" >&2
    exit 2
    ;;
esac
