# Shared by run.sh (make bench) and soak.sh (make soak): sourced, not run.
# Every background process goes through `spawn`, so the EXIT trap stops each one by its PID.
# Needs ROOT set by the caller.

BIN=${ESSAIM_BIN:-$ROOT/server/build/essaim}
BENCH=$ROOT/server/bench
PY=${BENCH_PYTHON:-/usr/bin/python3}   # Debian's python3: python3-fastapi, -uvicorn, -websockets
TMP=$(mktemp -d)
declare -A PIDS=()   # name → pid of everything started in the background
SWARM=""

need() { # command… → exits with a hint when one is missing
  local c
  for c in "$@"; do
    command -v "$c" >/dev/null || { echo "bench: $c is missing (run scripts/install-deps.sh)" >&2; exit 1; }
  done
}
need_py() { # module… (imported by Debian's python3)
  "$PY" -c "import $(IFS=,; echo "$*")" 2>/dev/null ||
    { echo "bench: $PY cannot import $* (run scripts/install-deps.sh)" >&2; exit 1; }
}

spawn() { # name logfile command… → runs it in the background, remembered for stop/cleanup
  local name=$1 log=$2; shift 2
  "$@" </dev/null >>"$log" 2>&1 &
  PIDS[$name]=$!
}
stop() { # name → TERM, then KILL after 10 s; quiet when not running
  local pid=${PIDS[$1]:-}
  [ -n "$pid" ] || return 0
  unset "PIDS[$1]"
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local name
  for name in "${!PIDS[@]}"; do stop "$name"; done
  [ -n "$SWARM" ] && "$ROOT/scripts/local-swarm.sh" stop "$SWARM" >/dev/null 2>&1
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { # url [seconds] → 0 once it answers (any status)
  local i
  for i in $(seq 1 $((${2:-30} * 10))); do
    curl -s -o /dev/null -m 2 "$1" && return 0
    sleep 0.1
  done
  return 1
}
T_START=$(date +%s)
note() { echo "… [$(( $(date +%s) - T_START )) s] $*" >&2; }   # progress, on stderr: the tables stay on stdout

# essaim on 127.0.0.1:$PORT with data in $ESSAIM_DATA_DIR (exported by the caller).
start_essaim() {
  spawn essaim "$TMP/server.log" "$BIN" serve
  wait_http "http://127.0.0.1:$PORT/api/health" 30 ||
    { echo "bench: essaim did not start" >&2; tail -20 "$TMP/server.log" >&2; exit 1; }
}
stop_essaim() { stop essaim; }
essaim_pid() { echo "${PIDS[essaim]}"; }
login() { # user password → cookie "essaim_session=…"
  curl -s -D - -o /dev/null -H 'Content-Type: application/json' -d "{\"username\":\"$1\",\"password\":\"$2\"}" \
    "http://127.0.0.1:$PORT/api/auth/login" |
    tr -d '\r' | awk -F'[:;] *' 'tolower($1)=="set-cookie" && $2 ~ /^essaim_session=/ {print $2}'
}
create_users() { # bench (user) and boss (admin); prints nothing
  echo 'bench-password-123' | "$BIN" create-user --username bench --password-stdin >/dev/null
  echo 'admin-password-123' | "$BIN" create-admin --username boss --password-stdin >/dev/null
}
tool_token() { # → an API token of "bench" for its tools (its group given use_api by "boss")
  "$PY" - "http://127.0.0.1:$PORT" <<'PYEOF'
import http.cookiejar, json, sys, urllib.request
base = sys.argv[1]
def session(user, password):
    jar = http.cookiejar.CookieJar()
    op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    def call(method, path, body=None):
        csrf = next((c.value for c in jar if c.name == "csrf_token"), "")
        req = urllib.request.Request(base + path, method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json",
                                              "X-CSRF-Token": csrf})
        with op.open(req) as r:
            return json.loads(r.read() or b"null")
    call("POST", "/api/auth/login", {"username": user, "password": password})
    return call
boss = session("boss", "admin-password-123")
g = next(g for g in boss("GET", "/api/admin/groups")["groups"] if g["name"] == "Utilisateurs")
boss("PATCH", f"/api/admin/groups/{g['id']}", {"permissions": sorted(set(g["permissions"]) | {"use_api"})})
print(session("bench", "bench-password-123")("POST", "/api/me/tokens", {"name": "bench"})["token"])
PYEOF
}
tool_sid() { # token → the SID of a tool's session (qBittorrent's auth/login on essaim)
  curl -s -D - -o /dev/null --data-urlencode "username=bench" --data-urlencode "password=$1" \
    "http://127.0.0.1:$PORT/api/v2/auth/login" |
    tr -d '\r' | awk -F'[:;] *' 'tolower($1)=="set-cookie" && $2 ~ /^SID=/ {print $2}'
}
bench_user_id() {
  "$PY" -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT id FROM users WHERE username='bench'\").fetchone()[0])" \
    "$ESSAIM_DATA_DIR/essaim.db"
}
metric() { # name → value from essaim's /metrics (needs $ADMIN, an admin cookie); 0 if none
  local v
  v=$(curl -s -H "Cookie: $ADMIN" "http://127.0.0.1:$PORT/metrics" | awk -v m="$1" '$1==m {print $2}' || true)
  echo "${v:-0}"
}

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
mib() { awk -v k="$1" 'BEGIN {printf "%.1f MiB", k/1024}'; }
peak_start() { # name pid → samples VmRSS every 0.2 s; peak_stop name prints the peak in kB
  local f=$TMP/peak.$1 pid=$2
  echo 0 >"$f"
  spawn "peak.$1" /dev/null bash -c "p=0; while kill -0 $pid 2>/dev/null; do
    r=\$(awk '/VmRSS/ {print \$2}' /proc/$pid/status 2>/dev/null || echo 0); [ \"\${r:-0}\" -gt \$p ] && p=\$r && echo \$p >$f
    sleep 0.2; done"
}
peak_stop() { stop "peak.$1"; cat "$TMP/peak.$1"; }

# A real qbittorrent-nox (loopback, DHT off) from scripts/local-swarm.sh; sets QP, QBT, $TMP/qj.
start_qbittorrent() {
  need qbittorrent-nox mktorrent opentracker
  SWARM=$TMP/swarm
  QP=$(free_port)
  WEBUI_PORT=$QP SEED_WEBUI_PORT=$(free_port) BT_PORT=$(free_port) SEED_BT_PORT=$(free_port) TRACKER_PORT=$(free_port) \
    "$ROOT/scripts/local-swarm.sh" start "$SWARM" >/dev/null
  QBT=http://127.0.0.1:$QP
  curl -s -c "$TMP/qj" --data-urlencode username=admin --data-urlencode password=adminadmin "$QBT/api/v2/auth/login" >/dev/null
}
qbt_pid() { cat "$SWARM/main.pid"; }
make_magnets() { # count prefix file → COUNT metadata-less magnets of random hashes; FILE.hashes too
  "$PY" - "$@" <<'PY'
import os, sys
n, prefix, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
with open(out, "w") as m, open(out + ".hashes", "w") as h:
    for i in range(n):
        x = os.urandom(20).hex()
        m.write("magnet:?xt=urn:btih:%s&dn=%s-%05d\n" % (x, prefix, i))
        h.write(x + "\n")
PY
}
add_magnets() { # file tags [url jar] → added paused, 500 per call (default: $QBT, $TMP/qj)
  [ -s "$1" ] || return 0
  local q=${3:-$QBT} j=${4:-$TMP/qj} f
  split -l 500 "$1" "$1.part."
  for f in "$1".part.*; do
    curl -s -b "$j" --data-urlencode "urls@$f" --data-urlencode "tags=$2" -d paused=true "$q/api/v2/torrents/add" >/dev/null
  done
  rm -f "$1".part.*
}
wait_qbt_count() { # n [url jar] → waits until qBittorrent lists at least n torrents (asks for the n-th only)
  local i q=${2:-$QBT} j=${3:-$TMP/qj}
  [ "$1" -gt 0 ] || return 0
  for i in $(seq 1 300); do
    curl -s -m 60 -b "$j" "$q/api/v2/torrents/info?limit=1&offset=$(($1 - 1))" | grep -q '"hash"' && return 0
    sleep 0.5
  done
  echo "bench: qBittorrent ($q) does not list $1 torrents" >&2; exit 1
}

# Plain qbittorrent-nox instances (run.sh's several-servers section): the settings of
# scripts/local-swarm.sh's "main" (loopback, DHT/LSD/PeX/UPnP off, queueing off), no seeder and
# no tracker; a fresh profile in $TMP/qbt/NAME. qbt_instance_start only spawns it (start several,
# then qbt_instance_ready each: they come up in parallel); `stop qbt.NAME` stops it by its PID.
declare -A QURL=()   # instance name → its WebUI URL; its cookie jar is $TMP/qbt/NAME/jar
QBT_PBKDF2=""
qbt_instance_start() { # name
  local d=$TMP/qbt/$1 wp bp
  wp=$(free_port); bp=$(free_port)
  mkdir -p "$d/profile/qBittorrent/config" "$d/downloads"
  # qBittorrent >= 4.2: "@ByteArray(base64(salt):base64(PBKDF2-HMAC-SHA512, 100000 iterations, 64 bytes))"
  [ -n "$QBT_PBKDF2" ] || QBT_PBKDF2=$("$PY" -c 'import base64, hashlib, os
s = os.urandom(16); k = hashlib.pbkdf2_hmac("sha512", b"adminadmin", s, 100000, 64)
print("@ByteArray(%s:%s)" % (base64.b64encode(s).decode(), base64.b64encode(k).decode()))')
  cat >"$d/profile/qBittorrent/config/qBittorrent.conf" <<CONF
[LegalNotice]
Accepted=true

[BitTorrent]
Session\\Port=$bp
Session\\Interface=lo
Session\\InterfaceName=lo
Session\\InterfaceAddress=127.0.0.1
Session\\DHTEnabled=false
Session\\LSDEnabled=false
Session\\PeXEnabled=false
Session\\QueueingSystemEnabled=false
Session\\DefaultSavePath=$d/downloads
Session\\TempPathEnabled=false
${QBT_REFRESH_MS:+Session\\RefreshInterval=$QBT_REFRESH_MS}

[Network]
PortForwardingEnabled=false

[Preferences]
General\\Locale=en
Connection\\UPnP=false
WebUI\\Enabled=true
WebUI\\Address=127.0.0.1
WebUI\\Port=$wp
WebUI\\UseUPnP=false
WebUI\\LocalHostAuth=true
WebUI\\Username=admin
WebUI\\Password_PBKDF2="$QBT_PBKDF2"
CONF
  spawn "qbt.$1" "$d/stdout.log" qbittorrent-nox --profile="$d/profile" --webui-port="$wp" --torrenting-port="$bp"
  QURL[$1]=http://127.0.0.1:$wp
}
qbt_instance_ready() { # name → waits for its WebUI (60 s), then logs in (cookie jar $TMP/qbt/NAME/jar)
  wait_http "${QURL[$1]}/api/v2/app/version" 60 ||
    { echo "bench: qbittorrent-nox $1 did not start (see $TMP/qbt/$1/stdout.log)" >&2; exit 1; }
  curl -s -c "$TMP/qbt/$1/jar" --data-urlencode username=admin --data-urlencode password=adminadmin \
    "${QURL[$1]}/api/v2/auth/login" | grep -q '^Ok\.$' || { echo "bench: login on qbittorrent-nox $1 failed" >&2; exit 1; }
}
qbt_instance_pid() { echo "${PIDS[qbt.$1]}"; }
wait_spawned() { # name… → waits for jobs started by spawn that end by themselves (loaders)
  local n rc=0
  for n in "$@"; do wait "${PIDS[$n]}" || rc=$?; unset "PIDS[$n]"; done
  return $rc
}
qbt_settle() { # waits until qBittorrent answers a trivial call in < 50 ms (twice): its queue is empty
  local ok=0 t t0; t0=$(date +%s)
  for _ in $(seq 1 600); do
    kill -0 "$(qbt_pid)" 2>/dev/null || { echo "bench: qbittorrent-nox is gone (see $SWARM/main/stdout.log)" >&2; exit 1; }
    t=$(curl -s -o /dev/null -m 60 -w '%{time_total}' -b "$TMP/qj" "$QBT/api/v2/app/version" || echo 99)
    if awk -v t="$t" 'BEGIN {exit !(t < 0.05)}'; then ok=$((ok + 1)); [ $ok -ge 2 ] && break; else ok=0; fi
    sleep 0.2
  done
  [ $(( $(date +%s) - t0 )) -lt 3 ] || note "qBittorrent was busy for $(( $(date +%s) - t0 )) s after the previous run"
}

# wrk: one table row. wrk_row label duration timeout url [header…]; sets RPS P50 P99 ERRS REQS,
# and CORES, CPU_US (server CPU per request, µs) when CPU_PIDS is set. WRK_CONNS overrides CONNS.
# CPU_PIDS (space-separated) = the server's processes: their CPU time during the run is shown as
# cores used and CPU per completed request (clock ticks of /proc/PID/stat, 10 ms resolution).
TABLE_FMT='| %-52s | %10s | %9s | %9s | %-24s | %-22s | %s\n'
table_header() {
  printf "$TABLE_FMT" "${1:-endpoint}" "req/s" "p50" "p99" "errors" "server CPU" "target"
  printf '|%s|\n' "------------------------------------------------------|------------|-----------|-----------|--------------------------|------------------------|--------"
}
seconds() { # wrk duration ("10s", "2m", "1.5s", "800ms", "1.2us") → seconds
  awk -v d="$1" 'BEGIN { n = d + 0; if (d ~ /us$/) n /= 1e6; else if (d ~ /ms$/) n /= 1000;
    else if (d ~ /m$/) n *= 60; else if (d ~ /h$/) n *= 3600; print n }'
}
cpu_ticks() { # pid… → utime+stime summed, in clock ticks
  local t=0 p v
  for p in "$@"; do v=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0); t=$((t + ${v:-0})); done
  echo "$t"
}
wrk_row() {
  local label=$1 dur=$2 timeout=$3 url=$4 out h c0 c1 cpu="-"; shift 4
  local args=()
  for h in "$@"; do args+=(-H "$h"); done
  c0=$(cpu_ticks ${CPU_PIDS:-})
  local conns=${WRK_CONNS:-$CONNS}
  out=$(wrk -t"$((conns < 2 ? 1 : 2))" -c"$conns" -d"$dur" --latency --timeout "$timeout" "${args[@]}" "$url")
  c1=$(cpu_ticks ${CPU_PIDS:-})
  RPS=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  REQS=$(awk '/requests in/ {print $1}' <<<"$out")
  P50=$(awk '$1=="50%" {print $2}' <<<"$out"); P50=${P50:--}
  P99=$(awk '$1=="99%" {print $2}' <<<"$out"); P99=${P99:--}
  ERRS=$(awk '/Non-2xx/ {printf "non-2xx %s; ", $NF} /Socket errors/ {gsub(",", ""); s=""
    if ($4) s=s "connect " $4 " "; if ($6) s=s "read " $6 " "; if ($8) s=s "write " $8 " "; if ($10) s=s "timeout " $10
    if (s != "") printf "socket: %s", s}' <<<"$out")
  ERRS=${ERRS:-0}
  CPU_US=""; CORES=""
  if [ -n "${CPU_PIDS:-}" ]; then
    local hz; hz=$(getconf CLK_TCK)
    CORES=$(awk -v d="$((c1 - c0))" -v hz="$hz" -v secs="$(seconds "$dur")" 'BEGIN {printf "%.2f", d / hz / secs}')
    [ "${REQS:-0}" -gt 0 ] && CPU_US=$(awk -v d="$((c1 - c0))" -v hz="$hz" -v n="$REQS" 'BEGIN {printf "%.0f", d / hz / n * 1e6}')
    cpu=$(awk -v d="$((c1 - c0))" -v hz="$hz" -v n="${REQS:-0}" -v secs="$(seconds "$dur")" 'BEGIN {
      s = d / hz; cores = sprintf("%.2f cores", s / secs)
      if (n == 0) { printf "%s, -/req", cores; exit }
      per = s / n
      if (per < 0.001) u = sprintf("%.0f µs", per * 1e6); else if (per < 1) u = sprintf("%.0f ms", per * 1e3); else u = sprintf("%.1f s", per)
      printf "%s, %s/req", cores, u }')
  fi
  printf "$TABLE_FMT" "$label" "$RPS" "$P50" "$P99" "$ERRS" "$cpu" "${TARGET:-}"
}
json_get() { # key [file] → value of a top-level key of a one-line JSON object
  "$PY" -c 'import json,sys; d=json.load(open(sys.argv[2]) if len(sys.argv)>2 else sys.stdin); v=d
for k in sys.argv[1].split("."): v=v[k] if isinstance(v,dict) else v[int(k)]
print(json.dumps(v) if isinstance(v,(dict,list)) else v if v is not None else "-")' "$@"
}
