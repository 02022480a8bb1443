#!/usr/bin/env bash
# essaim benchmarks (`make bench`): the real binary on a free loopback port, measured with wrk
# (2 threads, keep-alive). Prints tables. Environment: DURATION (10s), CONNS (64),
# TORRENTS (10000) torrents in a real qbittorrent-nox, USER_TORRENTS (100) of them owned by the
# benchmark user. TORRENTS=0 skips the qBittorrent part.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${ESSAIM_BIN:-$ROOT/server/build/essaim}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-64}
TORRENTS=${TORRENTS:-10000}
USER_TORRENTS=${USER_TORRENTS:-100}
command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }

TMP=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
export ESSAIM_DATA_DIR=$TMP/essaim ESSAIM_LISTEN=127.0.0.1:$PORT ESSAIM_QBT_MANAGED=0 ESSAIM_LOG_LEVEL=warn
# Downloads served by essaim itself from $FILES (the 1 GiB throughput comparison).
FILES=$TMP/files; mkdir -p "$FILES"; DL_SECRET=bench-download-secret-0123456789
export ESSAIM_DOWNLOAD_ROOT=$FILES ESSAIM_DOWNLOAD_SECRET=$DL_SECRET ESSAIM_DOWNLOAD_DIRECT=1
PID=""; SWARM=""
cleanup() {
  [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
  [ -n "$SWARM" ] && "$ROOT/scripts/local-swarm.sh" stop "$SWARM" >/dev/null 2>&1
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'echo "bench: failed at line $LINENO; essaim log tail:" >&2; tail -20 "$TMP/server.log" >&2' ERR

start_essaim() {
  "$BIN" serve >>"$TMP/server.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/api/health" >/dev/null && return; sleep 0.1; done
  echo "bench: essaim did not start" >&2; cat "$TMP/server.log" >&2; exit 1
}
stop_essaim() { kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""; }
login() { # user password → cookie "essaim_session=…"
  curl -s -D - -o /dev/null -H 'Content-Type: application/json' -d "{\"username\":\"$1\",\"password\":\"$2\"}" \
    "http://127.0.0.1:$PORT/api/auth/login" |
    tr -d '\r' | awk -F'[:;] *' 'tolower($1)=="set-cookie" && $2 ~ /^essaim_session=/ {print $2}'
}
header() {
  printf '| %-40s | %12s | %8s | %8s | %s\n' "endpoint" "req/s" "p50" "p99" "notes"
  printf '|%s|\n' "------------------------------------------|--------------|----------|----------|---------"
}
run() { # name url [header…]
  local name=$1 url=$2 out; shift 2
  local args=()
  for h in "$@"; do args+=(-H "$h"); done
  out=$(wrk -t2 -c"$CONNS" -d"$DURATION" --latency --timeout 30s "${args[@]}" "$url")
  set -- "$name"
  local rps p50 p99 errs
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errs=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out" | tr '\n' ' ')
  printf '| %-40s | %12s | %8s | %8s | %s\n' "$1" "$rps" "$p50" "$p99" "${errs:-0 errors}"
}
count_hashes() { curl -s -H "$2" "$1" | { grep -o '"hash"' || true; } | wc -l; }
rss() { awk '/VmRSS/ {print $2, $3}' "/proc/$1/status"; }

MICRO=$(dirname "$BIN")/micro_bench
if [ -x "$MICRO" ]; then
  echo "Micro-benchmarks (Google Benchmark, pure code):"
  "$MICRO" --benchmark_min_time=0.5 2>/dev/null | grep -E "^BM_|^Benchmark"
  echo
fi
echo "essaim $("$BIN" version | awk '{print $2}') — wrk -t2 -c$CONNS -d$DURATION, $(nproc) cores ($(uname -m)), $(date -u +%F)"
echo 'bench-password-123' | "$BIN" create-user --username bench --password-stdin >/dev/null
echo 'admin-password-123' | "$BIN" create-admin --username boss --password-stdin >/dev/null
start_essaim
echo "RSS idle: $(rss "$PID")"
COOKIE=$(login bench bench-password-123)
[ -n "$COOKIE" ] || { echo "bench: login failed" >&2; exit 1; }
header
run "GET /api/health" "http://127.0.0.1:$PORT/api/health"
run "GET /api/me (authenticated)" "http://127.0.0.1:$PORT/api/me" "Cookie: $COOKIE"


# Direct serving of a signed 1 GiB file (essaim's /dl/) against nginx serving the same file with
# the snippet `essaim nginx-snippet` prints (sendfile on, as in Debian's nginx.conf).
if command -v nginx >/dev/null; then
  echo
  echo "Signed downloads, 1 GiB file on loopback (curl, best of 3; RSS of essaim sampled during the runs):"
  dd if=/dev/urandom of="$FILES/bench 1 Go.bin" bs=1M count=1024 status=none
  NPORT=$(free_port)
  mkdir -p "$TMP/nginx"
  SNIP=$("$BIN" nginx-snippet 2>/dev/null)
  cat >"$TMP/nginx/nginx.conf" <<NGX
$( [ "$(id -u)" = 0 ] && echo "user root;" )
daemon off; worker_processes 1; pid $TMP/nginx/nginx.pid; error_log $TMP/nginx/error.log;
events { worker_connections 64; }
http {
  include /etc/nginx/mime.types; default_type application/octet-stream; server_tokens off;
  access_log off; sendfile on; client_body_temp_path $TMP/nginx/cb; proxy_temp_path $TMP/nginx/px;
  fastcgi_temp_path $TMP/nginx/fc; uwsgi_temp_path $TMP/nginx/uw; scgi_temp_path $TMP/nginx/sc;
  ${SNIP%%"# 2)"*}
  server { listen 127.0.0.1:$NPORT;
  # 2)${SNIP#*"# 2)"}
  }
}
NGX
  nginx -c "$TMP/nginx/nginx.conf" -p "$TMP/nginx" & NGINX_PID=$!
  sleep 0.5
  SIGNED=$(python3 - "$DL_SECRET" <<'PY'
import base64, hashlib, sys, time, urllib.parse
uri = "/dl/bench 1 Go.bin"; e = int(time.time()) + 3600
m = base64.urlsafe_b64encode(hashlib.md5(f"{e}{uri} {sys.argv[1]}".encode()).digest()).rstrip(b"=").decode()
print(f"{urllib.parse.quote(uri)}?md5={m}&expires={e}")
PY
)
  best() { # url → best MB/s of 3
    for _ in 1 2 3; do curl -s -o /dev/null -w '%{speed_download}\n' "$1"; done | sort -n | tail -1 | awk '{printf "%.0f", $1/1048576}'
  }
  RSS_BEFORE=$(rss "$PID")
  ( peak=0; while kill -0 "$PID" 2>/dev/null; do r=$(awk '/VmRSS/ {print $2}' "/proc/$PID/status"); [ "$r" -gt "$peak" ] && peak=$r && echo "$peak" > "$TMP/rss.peak"; sleep 0.1; done ) & SAMPLER=$!
  E=$(best "http://127.0.0.1:$PORT$SIGNED")
  kill $SAMPLER 2>/dev/null; wait $SAMPLER 2>/dev/null || true
  N=$(best "http://127.0.0.1:$NPORT$SIGNED")
  kill -QUIT $NGINX_PID; wait $NGINX_PID 2>/dev/null || true
  printf '| %-40s | %10s MB/s |\n' "essaim /dl/ (direct serving)" "$E" "nginx secure_link (sendfile)" "$N"
  echo "ratio essaim/nginx: $(awk -v e="$E" -v n="$N" 'BEGIN {printf "%.2f", e/n}') (target ≥ 0.8); essaim RSS before $RSS_BEFORE, peak while streaming $(cat "$TMP/rss.peak") kB"
  rm -f "$FILES/bench 1 Go.bin"
fi

[ "$TORRENTS" -gt 0 ] || exit 0

# A real qbittorrent-nox (loopback, DHT off) holding TORRENTS metadata-less magnets of random
# hashes, USER_TORRENTS of them tagged as the benchmark user's: essaim's reconciliation gives
# them back to that user from the tag at start-up.
command -v qbittorrent-nox >/dev/null || { echo "bench: qbittorrent-nox is missing" >&2; exit 1; }
SWARM=$TMP/swarm
QP=$(free_port)
WEBUI_PORT=$QP SEED_WEBUI_PORT=$(free_port) BT_PORT=$(free_port) SEED_BT_PORT=$(free_port) TRACKER_PORT=$(free_port) \
  "$ROOT/scripts/local-swarm.sh" start "$SWARM" >/dev/null
QBT=http://127.0.0.1:$QP
curl -s -c "$TMP/qj" --data-urlencode username=admin --data-urlencode password=adminadmin "$QBT/api/v2/auth/login" >/dev/null
BENCH_ID=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT id FROM users WHERE username='bench'\").fetchone()[0])" "$ESSAIM_DATA_DIR/essaim.db")
python3 - "$TORRENTS" "$USER_TORRENTS" "$TMP/magnets" <<'PY'
import os, sys
n, mine, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
with open(out + ".user", "w") as u, open(out + ".other", "w") as o:
    for i in range(n):
        (u if i < mine else o).write("magnet:?xt=urn:btih:%s&dn=bench-%05d\n" % (os.urandom(20).hex(), i))
PY
add_batch() { # file tags
  split -l 500 "$1" "$1.part."
  for f in "$1".part.*; do
    curl -s -b "$TMP/qj" --data-urlencode "urls@$f" --data-urlencode "tags=$2" -d paused=true "$QBT/api/v2/torrents/add" >/dev/null
  done
}
T0=$(date +%s)
add_batch "$TMP/magnets.user" "essaim:$BENCH_ID"
add_batch "$TMP/magnets.other" "bench"
until [ "$(curl -s -b "$TMP/qj" "$QBT/api/v2/torrents/info?filter=all" | { grep -o '"hash"' || true; } | wc -l)" -ge "$TORRENTS" ]; do sleep 1; done
echo "qBittorrent holds $TORRENTS torrents (added and listed in $(( $(date +%s) - T0 )) s)"

stop_essaim
export ESSAIM_QBT_URL=$QBT ESSAIM_QBT_USERNAME=admin ESSAIM_QBT_PASSWORD=adminadmin
rm -f "$ESSAIM_DATA_DIR/essaim.db"*   # settings are seeded from the environment on first start
echo 'bench-password-123' | "$BIN" create-user --username bench --password-stdin >/dev/null
echo 'admin-password-123' | "$BIN" create-admin --username boss --password-stdin >/dev/null
start_essaim
COOKIE=$(login bench bench-password-123)
ADMIN=$(login boss admin-password-123)
for _ in $(seq 1 120); do
  n=$(count_hashes "http://127.0.0.1:$PORT/api/torrents" "Cookie: $COOKIE")
  [ "$n" -ge "$USER_TORRENTS" ] && break; sleep 0.5
done
ALL=$(count_hashes "http://127.0.0.1:$PORT/api/torrents?scope=all" "Cookie: $ADMIN")
echo "essaim cache: user sees $n torrents, admin sees $ALL; RSS with the cache: $(rss "$PID")"
header
run "GET /api/torrents (user, $USER_TORRENTS of $TORRENTS)" "http://127.0.0.1:$PORT/api/torrents" "Cookie: $COOKIE"
run "  same, Accept-Encoding: gzip (browsers)" "http://127.0.0.1:$PORT/api/torrents" "Cookie: $COOKIE" "Accept-Encoding: gzip"
run "GET /api/torrents?scope=all (admin, $TORRENTS)" "http://127.0.0.1:$PORT/api/torrents?scope=all" "Cookie: $ADMIN"
run "  same, Accept-Encoding: gzip (browsers)" "http://127.0.0.1:$PORT/api/torrents?scope=all" "Cookie: $ADMIN" "Accept-Encoding: gzip"
echo "RSS after the runs: $(rss "$PID")"

# The same questions asked to qBittorrent directly (what a per-request design pays).
time_curl() { curl -s -o /dev/null -w '%{time_total} %{size_download}\n' -b "$TMP/qj" "$1"; }
echo
echo "qBittorrent directly (curl, 5 runs each: seconds and bytes):"
for q in "torrents/info?tag=essaim:$BENCH_ID" "torrents/info"; do
  printf '  /api/v2/%-32s' "$q"; for _ in 1 2 3 4 5; do printf ' %s' "$(time_curl "$QBT/api/v2/$q" | awk '{printf "%.3fs", $1}')"; done
  echo "  ($(time_curl "$QBT/api/v2/$q" | awk '{print $2}') bytes)"
done
echo "essaim requests to qBittorrent so far: $(curl -s -H "Cookie: $ADMIN" "http://127.0.0.1:$PORT/metrics" | awk '/^essaim_qbittorrent_requests_total/ {print $2}')"
