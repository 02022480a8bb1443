#!/usr/bin/env bash
# Runs a CPU-bound command alongside a waiting one, to use the CPU the second leaves idle:
#   scripts/alongside.sh "BACKGROUND COMMAND" -- FOREGROUND COMMAND…
# `make test` runs the sanitizer and fuzz builds (compiling: CPU only) while the integration
# suite runs (it mostly waits on qBittorrent, timers and sockets). The background command runs
# at the lowest CPU priority (nice 19): when both want the CPU, the foreground suite gets it, so
# its timings are not the ones that stretch. The background output is printed after the
# foreground's, whole, with how long each took. Exit status: 0 only if both passed.
set -euo pipefail
background=${1:?usage: alongside.sh "BACKGROUND" -- FOREGROUND…}
shift
[ "${1:-}" = "--" ] && shift
[ "$#" -gt 0 ] || { echo "usage: alongside.sh \"BACKGROUND\" -- FOREGROUND…" >&2; exit 2; }

log=$(mktemp)
t0=$(date +%s)
setsid nice -n 19 bash -c "$background" >"$log" 2>&1 &
bg_pid=$!
cleanup() {
  # An interrupted run stops the background builds too (their whole process group).
  kill -- "-$bg_pid" 2>/dev/null || kill "$bg_pid" 2>/dev/null || true
  rm -f "$log"
}
trap cleanup INT TERM
fg_rc=0
"$@" || fg_rc=$?
fg_secs=$(( $(date +%s) - t0 ))
bg_rc=0
wait "$bg_pid" || bg_rc=$?
bg_end=$(( $(date +%s) - t0 ))
echo "-- alongside (nice 19): $background"
cat "$log"
rm -f "$log"
echo "alongside: foreground $([ $fg_rc = 0 ] && echo passed || echo FAILED) in ${fg_secs} s," \
  "background $([ $bg_rc = 0 ] && echo passed || echo FAILED), done ${bg_end} s after the start"
[ "$fg_rc" = 0 ] && [ "$bg_rc" = 0 ]
