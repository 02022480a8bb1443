#!/usr/bin/env bash
# essaim soak test (`make soak`): SOAK_CLIENTS WebSocket clients and wrk with CONNS connections on
# GET /api/torrents, together for SOAK_SECONDS, against the real binary and a real qbittorrent-nox
# holding SOAK_TORRENTS torrents. Fails (exit 1) when
#   - a WebSocket client could not connect, was closed by the server or got a bad frame, or
#     essaim's gauge essaim_websocket_clients ever differs from SOAK_CLIENTS while it runs;
#   - wrk saw a non-2xx answer or a socket error (connect, read, write, timeout);
#   - RSS is not flat: sampled every SOAK_SAMPLE seconds, the maximum of the last minute must
#     stay ≤ the maximum of the first minute × 1.2 + 2 MiB.
# Environment (defaults in brackets): SOAK_SECONDS [300], SOAK_CLIENTS [500], CONNS [64],
# SOAK_TORRENTS [2000], SOAK_USER_TORRENTS [100], SOAK_SAMPLE [5], ESSAIM_BIN, BENCH_PYTHON.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
source "$ROOT/server/bench/lib.sh"
SOAK_SECONDS=${SOAK_SECONDS:-300}
SOAK_CLIENTS=${SOAK_CLIENTS:-500}
CONNS=${CONNS:-64}
SOAK_TORRENTS=${SOAK_TORRENTS:-2000}
SOAK_USER_TORRENTS=${SOAK_USER_TORRENTS:-100}
SOAK_SAMPLE=${SOAK_SAMPLE:-5}
need wrk curl
need_py websockets
[ "$SOAK_SECONDS" -ge 120 ] || echo "soak: SOAK_SECONDS < 120: the first and last minutes overlap" >&2

PORT=$(free_port)
export ESSAIM_DATA_DIR=$TMP/essaim ESSAIM_LISTEN=127.0.0.1:$PORT ESSAIM_QBT_MANAGED=0 ESSAIM_LOG_LEVEL=warn
# Every client of the bench is 127.0.0.1 and one user: 500 WebSocket clients + wrk + pollers
# are over the per-address (512) and per-user socket (20) caps that protect a real server.
export ESSAIM_MAX_CONNECTIONS_PER_IP=4000 ESSAIM_MAX_WEBSOCKETS_PER_USER=4000

note "starting qbittorrent-nox with $SOAK_TORRENTS torrents"
start_qbittorrent
export ESSAIM_QBT_URL=$QBT ESSAIM_QBT_USERNAME=admin ESSAIM_QBT_PASSWORD=adminadmin
create_users
BENCH_ID=$(bench_user_id)
make_magnets "$SOAK_USER_TORRENTS" bench-user "$TMP/user.magnets"
make_magnets "$((SOAK_TORRENTS - SOAK_USER_TORRENTS))" bench "$TMP/other.magnets"
add_magnets "$TMP/user.magnets" "essaim:$BENCH_ID"
add_magnets "$TMP/other.magnets" bench
wait_qbt_count "$SOAK_TORRENTS"
start_essaim
COOKIE=$(login bench bench-password-123)
ADMIN=$(login boss admin-password-123)
[ -n "$COOKIE" ] && [ -n "$ADMIN" ] || { echo "soak: login failed" >&2; exit 1; }
for _ in $(seq 1 240); do [ "$(metric essaim_torrents)" -ge "$SOAK_TORRENTS" ] && break; sleep 0.5; done
RSS0=$(rss_kb "$(essaim_pid)")

echo "essaim soak — $(date -u '+%F %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$SOAK_CLIENTS WebSocket clients + wrk -t2 -c$CONNS GET /api/torrents for ${SOAK_SECONDS} s;" \
  "qbittorrent-nox holds $SOAK_TORRENTS torrents, the user owns $SOAK_USER_TORRENTS; RSS before: $(mib "$RSS0")"
spawn ws "$TMP/ws.log" "$PY" "$BENCH/ws_clients.py" --base "http://127.0.0.1:$PORT" --cookie "$COOKIE" \
  -n "$SOAK_CLIENTS" --ready-file "$TMP/ws.ready" --json "$TMP/ws.json" --track-state --progress 60
for _ in $(seq 1 1200); do [ -s "$TMP/ws.ready" ] && break; sleep 0.1; done
[ -s "$TMP/ws.ready" ] || { echo "soak: the WebSocket clients did not connect" >&2; tail "$TMP/ws.log" >&2; exit 1; }
echo "WebSocket clients connected/failed: $(cat "$TMP/ws.ready")"
spawn wrk "$TMP/wrk.out" wrk -t2 -c"$CONNS" -d"${SOAK_SECONDS}s" --latency --timeout 10s \
  -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT/api/torrents"

# samples: seconds since start, RSS kB, essaim_websocket_clients
: >"$TMP/samples"
START=$(date +%s.%N)
WS_BAD=0
while kill -0 "${PIDS[wrk]}" 2>/dev/null; do
  t=$(awk -v s="$START" -v n="$(date +%s.%N)" 'BEGIN {printf "%.0f", n-s}')
  g=$(metric essaim_websocket_clients)
  echo "$t $(rss_kb "$(essaim_pid)") $g" >>"$TMP/samples"
  [ "$g" = "$SOAK_CLIENTS" ] || WS_BAD=$((WS_BAD + 1))
  sleep "$SOAK_SAMPLE"
done
wait "${PIDS[wrk]}" 2>/dev/null || true
unset "PIDS[wrk]"
stop ws
RSS_END=$(rss_kb "$(essaim_pid)")

echo
echo "RSS of essaim per minute (sampled every ${SOAK_SAMPLE} s; min / max):"
awk '{m=int($1/60); if (!(m in lo) || $2<lo[m]) lo[m]=$2; if ($2>hi[m]) hi[m]=$2; n[m]++}
  END {for (i=0; i in n; i++) printf "  minute %d: %.1f / %.1f MiB (%d samples)\n", i+1, lo[i]/1024, hi[i]/1024, n[i]}' "$TMP/samples"
END_T=$(tail -1 "$TMP/samples" | cut -d' ' -f1)
FIRST=$(awk '$1 < 60 {if ($2>m) m=$2} END {print m+0}' "$TMP/samples")
LAST=$(awk -v e="$END_T" '$1 >= e-60 {if ($2>m) m=$2} END {print m+0}' "$TMP/samples")
LIMIT=$(awk -v f="$FIRST" 'BEGIN {printf "%.0f", f*1.2 + 2048}')
echo "RSS after the soak (clients gone): $(mib "$RSS_END")"

FAIL=0
check() { # ok? description
  if [ "$1" = 1 ]; then echo "  PASS  $2"; else echo "  FAIL  $2"; FAIL=1; fi
}
echo
echo "wrk:"
sed -n '/Latency Distribution/,$p' "$TMP/wrk.out" | grep -vE '^\s*(75|90)%' | sed 's/^/  /'
WRK_ERRS=$(grep -E 'Non-2xx|Socket errors' "$TMP/wrk.out" || true)
WS=$(cat "$TMP/ws.json")
echo "WebSocket clients: $WS"
echo
echo "Checks:"
check "$([ -z "$WRK_ERRS" ] && grep -q 'Requests/sec' "$TMP/wrk.out" && echo 1)" \
  "wrk: no non-2xx answer, no socket error ($(awk '/requests in/ {print $1}' "$TMP/wrk.out") requests${WRK_ERRS:+; $WRK_ERRS})"
check "$([ "$(json_get connected <<<"$WS")" = "$SOAK_CLIENTS" ] && echo 1)" \
  "WebSocket: $(json_get connected <<<"$WS")/$SOAK_CLIENTS connected"
check "$([ "$(json_get failed <<<"$WS")$(json_get server_closed <<<"$WS")$(json_get bad_frames <<<"$WS")" = 000 ] && echo 1)" \
  "WebSocket: no failed handshake ($(json_get failed <<<"$WS")), no close by the server ($(json_get server_closed <<<"$WS")), no bad frame ($(json_get bad_frames <<<"$WS"))"
check "$([ "$WS_BAD" = 0 ] && echo 1)" \
  "essaim_websocket_clients = $SOAK_CLIENTS in every sample ($(wc -l <"$TMP/samples") samples, $WS_BAD off)"
check "$([ "$LAST" -le "$LIMIT" ] && echo 1)" \
  "RSS flat: last-minute max $(mib "$LAST") ≤ first-minute max $(mib "$FIRST") × 1.2 + 2 MiB = $(mib "$LIMIT")"
echo
if [ "$FAIL" = 0 ]; then echo "soak: PASS"; else echo "soak: FAIL"; fi
exit "$FAIL"
