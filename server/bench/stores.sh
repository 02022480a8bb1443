#!/usr/bin/env bash
# essaim on SQLite against essaim on PostgreSQL, and one instance against two (`make bench`, after
# run.sh; alone: server/bench/stores.sh). The same binary in front of one real qbittorrent-nox
# (scripts/local-swarm.sh); PostgreSQL is a throw-away server (scripts/pg-test.sh). Prints tables
# on stdout (progress on stderr):
#  1. per engine: adding ADDS torrents (POST /api/torrents, one magnet per request, ADD_CONNS
#     connections), then reads at CONNS connections (wrk): the user page (ADDS torrents), the
#     admin list, and the audit log (the one read here that asks the database each time);
#  2. on PostgreSQL: one instance with WS_CLIENTS WebSocket clients, then two instances (the
#     leader and a follower fed through the database) with half of the clients each — requests
#     qBittorrent receives per minute (the instances' own counters), RSS, frames, errors, and
#     the freshness of CHANGES state changes seen by a client of each instance.
#
# Environment (defaults in brackets): ADDS [1000], ADD_CONNS [8], DURATION [10s], CONNS [64],
#   WS_CLIENTS [500], WINDOW [20] (seconds of each upstream window), CHANGES [60],
#   SKIP_INSTANCES = 1 skips part 2, ESSAIM_BIN, BENCH_PYTHON.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
source "$ROOT/server/bench/lib.sh"
ADDS=${ADDS:-1000}
ADD_CONNS=${ADD_CONNS:-8}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-64}
WS_CLIENTS=${WS_CLIENTS:-500}
WINDOW=${WINDOW:-20}
CHANGES=${CHANGES:-60}
SKIP_INSTANCES=${SKIP_INSTANCES:-0}
need wrk curl psql
need_py websockets
set -E
trap 'echo "bench (stores): failed at line $LINENO ($BASH_COMMAND)" >&2; tail -5 "$TMP"/server*.log >&2 2>/dev/null' ERR

# Not under $TMP (mode 700): as root, pg-test.sh hands the directory to the postgres user.
PG_DIR=$(mktemp -d /tmp/pg-XXXXXX)
pg_cleanup() {
  "$ROOT/scripts/pg-test.sh" stop "$PG_DIR" >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
  cleanup
}
trap pg_cleanup EXIT

# Instances: name → port; every instance has its own data directory and log.
declare -A IPORT=()
start_instance() { # name → essaim serve on a free port, with the current ESSAIM_* environment
  local p; p=$(free_port)
  IPORT[$1]=$p
  mkdir -p "$TMP/data.$1"
  ESSAIM_DATA_DIR=$TMP/data.$1 ESSAIM_LISTEN=127.0.0.1:$p spawn "essaim.$1" "$TMP/server.$1.log" "$BIN" serve
  wait_http "http://127.0.0.1:$p/api/health" 30 ||
    { echo "bench: essaim ($1) did not start" >&2; tail -20 "$TMP/server.$1.log" >&2; exit 1; }
}
url_of() { echo "http://127.0.0.1:${IPORT[$1]}"; }
login_at() { # name user password → session cookie
  curl -s -D - -o /dev/null -H 'Content-Type: application/json' -d "{\"username\":\"$2\",\"password\":\"$3\"}" \
    "$(url_of "$1")/api/auth/login" |
    tr -d '\r' | awk -F'[:;] *' 'tolower($1)=="set-cookie" && $2 ~ /^essaim_session=/ {print $2}'
}
metric_at() { # name metric → value (admin cookie $ADMIN)
  local v
  v=$(curl -s -H "Cookie: $ADMIN" "$(url_of "$1")/metrics" | awk -v m="$2" '$1==m {print $2}' || true)
  echo "${v:-0}"
}
role_of() { curl -s "$(url_of "$1")/api/health" | json_get instance.role 2>/dev/null || echo "-"; }
user_count_at() { # name → torrents on the bench user's page
  { curl -s -H "Cookie: $COOKIE" "$(url_of "$1")/api/torrents" || true; } | { grep -o '"hash"' || true; } | wc -l
}

note "starting qbittorrent-nox (scripts/local-swarm.sh) and PostgreSQL (scripts/pg-test.sh)"
start_qbittorrent
PG_URL=$("$ROOT/scripts/pg-test.sh" start "$PG_DIR")
PG_VERSION=$(psql "$PG_URL" -At -c 'SHOW server_version' | cut -d' ' -f1)
export ESSAIM_QBT_URL=$QBT ESSAIM_QBT_USERNAME=admin ESSAIM_QBT_PASSWORD=adminadmin ESSAIM_QBT_MANAGED=0
export ESSAIM_LOG_LEVEL=warn ESSAIM_SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
# Every client of the bench is 127.0.0.1 and one user: 500 WebSocket clients + wrk + pollers
# are over the per-address (512) and per-user socket (20) caps that protect a real server.
export ESSAIM_MAX_CONNECTIONS_PER_IP=4000 ESSAIM_MAX_WEBSOCKETS_PER_USER=4000
echo "$("$BIN" version 2>&1 | head -1) — SQLite $("$PY" -c 'import sqlite3; print(sqlite3.sqlite_version)') (Python's; essaim links Debian's libsqlite3)" \
  "against PostgreSQL $PG_VERSION (throw-away, loopback, Debian defaults); $(nproc) cores, load at start: $(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------- 1. SQLite against PostgreSQL
ADD_FMT='| %-11s | %7s | %8s | %9s | %9s | %9s | %-30s | %14s | %9s | %s\n'
: >"$TMP/adds.rows"
: >"$TMP/reads.rows"
for engine in sqlite postgresql; do
  note "$engine: $ADDS adds, then reads"
  rm -rf "$TMP/data.$engine"
  if [ "$engine" = postgresql ]; then
    export ESSAIM_DATABASE_URL=$PG_URL
  else
    unset ESSAIM_DATABASE_URL
  fi
  mkdir -p "$TMP/data.$engine"
  echo 'bench-password-123' | ESSAIM_DATA_DIR=$TMP/data.$engine "$BIN" create-user --username bench --password-stdin >/dev/null
  echo 'admin-password-123' | ESSAIM_DATA_DIR=$TMP/data.$engine "$BIN" create-admin --username boss --password-stdin >/dev/null
  start_instance "$engine"
  COOKIE=$(login_at "$engine" bench bench-password-123)
  ADMIN=$(login_at "$engine" boss admin-password-123)
  make_magnets "$ADDS" "bench-$engine" "$TMP/$engine.magnets"
  T0=$(date +%s.%N)
  C0=$(cpu_ticks "${PIDS[essaim.$engine]}")
  "$PY" "$BENCH/adds.py" --base "$(url_of "$engine")" --login bench:bench-password-123 \
    --magnets-file "$TMP/$engine.magnets" --conns "$ADD_CONNS" >"$TMP/adds.$engine.json"
  for _ in $(seq 1 600); do [ "$(user_count_at "$engine")" -ge "$ADDS" ] && break; sleep 0.2; done
  LISTED=$(awk -v t0="$T0" -v t1="$(date +%s.%N)" 'BEGIN {printf "%.1f s", t1 - t0}')
  # essaim's own CPU for the adds (utime+stime of its process, through the listing), and its RSS
  # holding them: figures a loaded machine disturbs far less than the rates.
  ADD_CPU=$(awk -v d="$(($(cpu_ticks "${PIDS[essaim.$engine]}") - C0))" -v hz="$(getconf CLK_TCK)" \
    -v n="$ADDS" 'BEGIN {printf "%.0f µs", d / hz / n * 1e6}')
  ADD_RSS=$(mib "$(rss_kb "${PIDS[essaim.$engine]}")")
  J=$TMP/adds.$engine.json
  printf "$ADD_FMT" "$engine" "$(json_get ok "$J")/$(json_get requests "$J")" "$(json_get seconds "$J") s" \
    "$(json_get per_s "$J")" "$(json_get p50_ms "$J") ms" "$(json_get p99_ms "$J") ms" \
    "all $ADDS on the page after $LISTED" "$ADD_CPU" "$ADD_RSS" "$(json_get errors "$J")" >>"$TMP/adds.rows"
  # Paused in qBittorrent, so the freshness runs of part 2 can resume and pause them.
  curl -s -b "$TMP/qj" -d hashes=all "$QBT/api/v2/torrents/pause" >/dev/null
  CPU_PIDS=${PIDS[essaim.$engine]}
  echo "| **$engine** | | | | | | |" >>"$TMP/reads.rows"
  wrk_row "GET /api/torrents (user, $ADDS torrents)" "$DURATION" 30s "$(url_of "$engine")/api/torrents" "Cookie: $COOKIE" >>"$TMP/reads.rows"
  wrk_row "GET /api/torrents?scope=all (admin)" "$DURATION" 30s "$(url_of "$engine")/api/torrents?scope=all" "Cookie: $ADMIN" >>"$TMP/reads.rows"
  wrk_row "GET /api/admin/audit (50 of $ADDS+ entries)" "$DURATION" 30s "$(url_of "$engine")/api/admin/audit" "Cookie: $ADMIN" >>"$TMP/reads.rows"
  CPU_PIDS=""
  stop "essaim.$engine"
  if [ "$engine" = sqlite ]; then
    # The PostgreSQL run starts from an empty qBittorrent too.
    curl -s -b "$TMP/qj" -d hashes=all -d deleteFiles=false "$QBT/api/v2/torrents/delete" >/dev/null
    for _ in $(seq 1 300); do
      curl -s -b "$TMP/qj" "$QBT/api/v2/torrents/info?limit=1" | grep -q '"hash"' || break
      sleep 0.2
    done
    qbt_settle
  fi
done

echo
echo "Adding $ADDS torrents (one magnet per POST /api/torrents, $ADD_CONNS connections; each add = qBittorrent add + tag, rows for the torrent and the audit entry):"
printf "$ADD_FMT" "store" "added" "time" "adds/s" "p50" "p99" "visible" "essaim CPU/add" "RSS after" "errors"
printf '|%s|\n' "-------------|---------|----------|-----------|-----------|-----------|--------------------------------|----------------|-----------|-------"
cat "$TMP/adds.rows"
echo
echo "Reads at $CONNS connections (wrk -t2 -c$CONNS -d$DURATION; the lists come from the in-memory cache on both engines, the audit log from the database):"
table_header
cat "$TMP/reads.rows"

# ---------------------------------------------------------------- 2. one instance against two
if [ "$SKIP_INSTANCES" = 1 ]; then exit 0; fi
export ESSAIM_DATABASE_URL=$PG_URL
tail -n "$ADDS" "$TMP/postgresql.magnets.hashes" >"$TMP/user.hashes"
INST_FMT='| %-34s | %-9s | %7s | %11s | %9s | %-46s | %-24s\n'
: >"$TMP/inst.rows"
fresh() { # name label → freshness of CHANGES changes seen by one more client of that instance
  local out=$TMP/fresh.$1.$2.json
  if "$PY" "$BENCH/freshness.py" --base "$(url_of "$1")" --cookie "$COOKIE" --qbt "$QBT" \
    --hashes-file "$TMP/user.hashes" --changes "$CHANGES" >"$out" 2>"$out.err"; then
    echo "p50 $(json_get p50 "$out") s, p99 $(json_get p99 "$out") s ($(json_get seen "$out")/$(json_get changes "$out"))"
  else
    echo "failed: $(tail -1 "$out.err")"
  fi
}
window() { # setup names… → one row per instance: clients connected during a WINDOW-second window
  local setup=$1; shift
  local n=$((WS_CLIENTS / $#)) name
  declare -A m0=()
  for name in "$@"; do
    rm -f "$TMP/ws.$name.ready"
    spawn "ws.$name" "$TMP/ws.$name.log" "$PY" "$BENCH/ws_clients.py" --base "$(url_of "$name")" --cookie "$COOKIE" \
      -n "$n" --ready-file "$TMP/ws.$name.ready" --json "$TMP/ws.$name.json"
  done
  for name in "$@"; do
    for _ in $(seq 1 600); do [ -s "$TMP/ws.$name.ready" ] && break; sleep 0.1; done
  done
  sleep 2
  for name in "$@"; do m0[$name]=$(metric_at "$name" essaim_qbittorrent_requests_total); done
  local t0; t0=$(date +%s.%N)
  sleep "$WINDOW"
  local t1; t1=$(date +%s.%N)
  for name in "$@"; do
    local m1 rate rss open fr
    m1=$(metric_at "$name" essaim_qbittorrent_requests_total)
    rate=$(awk -v a="${m0[$name]}" -v b="$m1" -v t0="$t0" -v t1="$t1" 'BEGIN {printf "%.0f", (b-a)*60/(t1-t0)}')
    rss=$(mib "$(rss_kb "${PIDS[essaim.$name]}")")
    open=$(metric_at "$name" essaim_websocket_clients)
    fr=$(fresh "$name" "$setup")   # with the clients still connected
    stop "ws.$name"
    local J=$TMP/ws.$name.json errs
    errs=$(( $(json_get failed "$J") + $(json_get server_closed "$J") + $(json_get bad_frames "$J") ))
    printf "$INST_FMT" "$setup" "$name ($(role_of "$name"))" "$n" "$rate" "$rss" \
      "$(json_get connected "$J") connected ($open open), $(json_get frames_total "$J") frames, $errs errors" "$fr" >>"$TMP/inst.rows"
  done
}
note "one instance on PostgreSQL with $WS_CLIENTS WebSocket clients"
start_instance one
ADMIN=$(login_at one boss admin-password-123)
COOKIE=$(login_at one bench bench-password-123)
for _ in $(seq 1 300); do [ "$(user_count_at one)" -ge "$ADDS" ] && break; sleep 0.2; done
window "one instance" one
note "two instances on PostgreSQL, $((WS_CLIENTS / 2)) WebSocket clients each"
start_instance two
for _ in $(seq 1 300); do [ "$(user_count_at two)" -ge "$ADDS" ] && break; sleep 0.2; done
window "two instances (same database)" one two
stop essaim.two
stop essaim.one

echo
echo "One instance against two on PostgreSQL, $WS_CLIENTS WebSocket clients in all (bench user, $ADDS torrents; ${WINDOW} s windows;" \
  "'qBt req/min' = the instance's own count of requests to qBittorrent; freshness = $CHANGES pauses/resumes made in qBittorrent," \
  "seen by one more client of that instance while the others are connected):"
printf "$INST_FMT" "setup" "instance" "clients" "qBt req/min" "RSS" "clients' side" "freshness"
printf '|%s|\n' "------------------------------------|-----------|---------|-------------|-----------|------------------------------------------------|-------------------------"
cat "$TMP/inst.rows"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
