#!/usr/bin/env bash
# essaim benchmarks (`make bench`): the real binary on a free loopback port next to a real
# qbittorrent-nox holding TORRENTS torrents, Flood 4.16.2 and a per-request reference portal
# (server/bench/reference/) in front of the same qBittorrent, measured side by side. Prints
# tables on stdout (progress on stderr). What each table means: server/bench/README.md.
#
# Environment (defaults in brackets):
#   DURATION [10s]       wrk duration of the fast runs (essaim, filtered qBittorrent, reference/hashes,
#                        and the 1-connection runs of the whole-list systems)
#   SLOW_DURATION [60s]  wrk duration of the runs that ask qBittorrent for its whole list at
#                        64 connections (qBittorrent unfiltered, reference, Flood): each request costs
#                        qBittorrent ~1-2 s of CPU at 10,000 torrents and 64 answers finish together,
#                        often after the run (their 1-connection run gives the best case)
#   SLOW_TIMEOUT [120s]  wrk --timeout of those runs (longer than the run: nothing is cut short)
#   CONNS [64]           wrk connections (2 threads)
#   TORRENTS [10000]     torrents in qBittorrent (metadata-less paused magnets); 0 = essaim alone
#   USER_TORRENTS [100]  how many of them the benchmark user owns (tag essaim:<id>)
#   WINDOW [20]          seconds of each upstream-load window (counts are scaled to per minute)
#   BROWSERS ["1 50 500"] browsers of the upstream-load windows
#   TOOLS ["1 50"]       tools polling /api/v2/sync/maindata every second, in upstream-load windows
#   CHANGES [100]        state changes of each freshness run
#   REF_UPSTREAM ["hashes"] reference modes of the upstream-load table; "hashes all" adds the whole-list
#                        reference (with REF_ALL_BROWSERS ["50"]: it is saturated, almost no poll is
#                        answered, and qBittorrent then needs ~80 s to drain its queue)
#   QBT_REFRESH_MS [qBittorrent's 1500] qBittorrent's own refresh interval (Session\RefreshInterval):
#                        the floor of the freshness figures, see server/bench/README.md
#   FAST_REFRESH_MS [500] with qBittorrent's default refresh, each freshness run is repeated with its
#                        refresh set to this at runtime (app/setPreferences refresh_interval), then
#                        put back; empty = no second run
#   WEB_RUNS [7]         first-render runs of the web app table (web/scripts/bench-web.mjs)
#   SERVERS ["1 4"]      several-servers section (issue 20): SERVERS_TORRENTS on 1 qbittorrent-nox, then
#                        spread evenly over 4 (each number = one configuration, measured side by side)
#   SERVERS_TORRENTS [TORRENTS] torrents of each configuration of that section
#   SERVERS_WINDOW [10]  seconds of that section's polling window (essaim connected, no browser)
#   SKIP_MICRO, SKIP_DOWNLOADS, SKIP_WEB, SKIP_FLOOD, SKIP_REFERENCE, SKIP_UPSTREAM, SKIP_FRESHNESS,
#   SKIP_SERVERS = 1 skip a part; SKIP_MAIN = 1 skips the one-qBittorrent part (everything after
#                        the several-servers section: its freshness, throughput, upstream and memory tables)
#   ESSAIM_BIN [server/build/essaim], BENCH_PYTHON [/usr/bin/python3]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
source "$ROOT/server/bench/lib.sh"
DURATION=${DURATION:-10s}
SLOW_DURATION=${SLOW_DURATION:-60s}
SLOW_TIMEOUT=${SLOW_TIMEOUT:-120s}
CONNS=${CONNS:-64}
TORRENTS=${TORRENTS:-10000}
USER_TORRENTS=${USER_TORRENTS:-100}
WINDOW=${WINDOW:-20}
BROWSERS=${BROWSERS:-1 50 500}
TOOLS=${TOOLS:-1 50}
CHANGES=${CHANGES:-100}
FAST_REFRESH_MS=${FAST_REFRESH_MS-500}
[ -z "${QBT_REFRESH_MS:-}" ] || FAST_REFRESH_MS=
WEB_RUNS=${WEB_RUNS:-7}
REF_UPSTREAM=${REF_UPSTREAM:-hashes}
REF_ALL_BROWSERS=${REF_ALL_BROWSERS:-50}
SKIP_MICRO=${SKIP_MICRO:-0} SKIP_DOWNLOADS=${SKIP_DOWNLOADS:-0} SKIP_WEB=${SKIP_WEB:-0} SKIP_FLOOD=${SKIP_FLOOD:-0}
SKIP_REFERENCE=${SKIP_REFERENCE:-0} SKIP_UPSTREAM=${SKIP_UPSTREAM:-0} SKIP_FRESHNESS=${SKIP_FRESHNESS:-0}
SERVERS=${SERVERS:-1 4}
SERVERS_TORRENTS=${SERVERS_TORRENTS:-$TORRENTS}
SERVERS_WINDOW=${SERVERS_WINDOW:-10}
SKIP_SERVERS=${SKIP_SERVERS:-0} SKIP_MAIN=${SKIP_MAIN:-0}
need wrk curl
need_py websockets fastapi uvicorn
[ "$USER_TORRENTS" -le "$TORRENTS" ] || USER_TORRENTS=$TORRENTS

PORT=$(free_port)
export ESSAIM_DATA_DIR=$TMP/essaim ESSAIM_LISTEN=127.0.0.1:$PORT ESSAIM_QBT_MANAGED=0 ESSAIM_LOG_LEVEL=warn
# Every client of the bench is 127.0.0.1 and one user: 500 WebSocket clients + wrk + pollers
# are over the per-address (512) and per-user socket (20) caps that protect a real server.
export ESSAIM_MAX_CONNECTIONS_PER_IP=4000 ESSAIM_MAX_WEBSOCKETS_PER_USER=4000
# Downloads served by essaim itself from $FILES (the 1 GiB throughput comparison).
FILES=$TMP/files; mkdir -p "$FILES"; DL_SECRET=bench-download-secret-0123456789
export ESSAIM_DOWNLOAD_ROOT=$FILES ESSAIM_DOWNLOAD_SECRET=$DL_SECRET ESSAIM_DOWNLOAD_DIRECT=1
export ESSAIM_WEB_DIR=$ROOT/web/dist   # the production build, for the web app table
set -E
trap 'echo "bench: failed at line $LINENO ($BASH_COMMAND); essaim log tail:" >&2; tail -5 "$TMP/server.log" >&2 2>/dev/null' ERR

declare -A R=()   # results kept for the memory table and the summary of targets
target() { # value op limit → PASS/FAIL (op: ge, lt, le)
  awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN { if (v == "" || v == "-") { print "n/a"; exit }
    ok = (op == "ge") ? v >= l : (op == "lt") ? v < l : v <= l; print ok ? "PASS" : "FAIL" }'
}
SUMMARY=()
summarize() { SUMMARY+=("$(printf '%-58s %-30s %s' "$1" "$2" "$3")"); }

echo "essaim $("$BIN" version | awk '{print $2}') — $(nproc) cores ($(uname -m)), $(date -u '+%F %H:%M UTC'), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "wrk -t2 -c$CONNS, keep-alive, uncompressed unless said; fast runs -d$DURATION, whole-list runs -d$SLOW_DURATION --timeout $SLOW_TIMEOUT"
echo

if [ "$SKIP_MICRO" != 1 ] && [ -x "$(dirname "$BIN")/micro_bench" ]; then
  echo "Micro-benchmarks (Google Benchmark, pure code):"
  "$(dirname "$BIN")/micro_bench" --benchmark_min_time=0.5 2>/dev/null | grep -E "^BM_|^Benchmark"
  echo
fi

# ---------------------------------------------------------------- essaim alone (no qBittorrent)
create_users
start_essaim
sleep 1
R[rss_idle]=$(rss_kb "$(essaim_pid)")
COOKIE=$(login bench bench-password-123)
[ -n "$COOKIE" ] || { echo "bench: login failed" >&2; exit 1; }
echo "essaim alone (no qBittorrent configured); RSS idle, just started: $(mib "${R[rss_idle]}")"
table_header
CPU_PIDS=$(essaim_pid)
wrk_row "GET /api/health" "$DURATION" 30s "http://127.0.0.1:$PORT/api/health"
wrk_row "GET /api/me (authenticated)" "$DURATION" 30s "http://127.0.0.1:$PORT/api/me" "Cookie: $COOKIE"
R[rss_idle_after]=$(rss_kb "$(essaim_pid)")
CPU_PIDS=""

# Direct serving of a signed 1 GiB file (essaim's /dl/) against nginx serving the same file with
# the snippet `essaim nginx-snippet` prints (sendfile on, as in Debian's nginx.conf).
if [ "$SKIP_DOWNLOADS" != 1 ] && command -v nginx >/dev/null; then
  echo
  echo "Signed downloads, 1 GiB file on loopback (curl, best of 3, the two alternated; RSS of essaim sampled during the runs):"
  dd if=/dev/urandom of="$FILES/bench 1 Go.bin" bs=1M count=1024 status=none
  # Written back before measuring: otherwise the first server measured competes with the flush.
  sync "$FILES/bench 1 Go.bin"
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
  spawn nginx "$TMP/nginx/stdout.log" nginx -c "$TMP/nginx/nginx.conf" -p "$TMP/nginx"
  wait_http "http://127.0.0.1:$NPORT/" 10
  SIGNED=$("$PY" - "$DL_SECRET" <<'PY'
import base64, hashlib, sys, time, urllib.parse
uri = "/dl/bench 1 Go.bin"; e = int(time.time()) + 3600
m = base64.urlsafe_b64encode(hashlib.md5(f"{e}{uri} {sys.argv[1]}".encode()).digest()).rstrip(b"=").decode()
print(f"{urllib.parse.quote(uri)}?md5={m}&expires={e}")
PY
)
  speed() { curl -s -o /dev/null -w '%{speed_download}\n' "$1" >>"$2"; }
  best() { sort -n "$1" | tail -1 | awk '{printf "%.0f", $1/1048576}'; } # file → best MB/s
  RSS_BEFORE=$(rss_kb "$(essaim_pid)")
  peak_start dl "$(essaim_pid)"
  : >"$TMP/dl.essaim"; : >"$TMP/dl.nginx"
  for _ in 1 2 3; do # alternated, so that a slow moment of the machine hits both
    speed "http://127.0.0.1:$PORT$SIGNED" "$TMP/dl.essaim"
    speed "http://127.0.0.1:$NPORT$SIGNED" "$TMP/dl.nginx"
  done
  R[rss_dl_peak]=$(peak_stop dl)
  E=$(best "$TMP/dl.essaim"); N=$(best "$TMP/dl.nginx")
  stop nginx
  printf '| %-40s | %10s MB/s |\n' "essaim /dl/ (direct serving)" "$E" "nginx secure_link (sendfile)" "$N"
  DLR=$(awk -v e="$E" -v n="$N" 'BEGIN {printf "%.2f", e/n}')
  echo "ratio essaim/nginx: $DLR (target ≥ 0.8: $(target "$DLR" ge 0.8)); essaim RSS before $(mib "$RSS_BEFORE"), peak while streaming $(mib "${R[rss_dl_peak]}")"
  summarize "1 GiB download, essaim/nginx ≥ 0.8" "$DLR" "$(target "$DLR" ge 0.8)"
  rm -f "$FILES/bench 1 Go.bin"
fi

# The web app: gzipped size of the production build and first render in Debian's Chromium
# (web/scripts/bench-web.mjs; `make bench` builds web/dist first).
if [ "$SKIP_WEB" != 1 ]; then
  if [ -f "$ROOT/web/dist/index.html" ] && command -v node >/dev/null; then
    echo
    note "web app: build sizes and first render ($WEB_RUNS runs)"
    (cd "$ROOT/web" && WEB_RUNS=$WEB_RUNS node scripts/bench-web.mjs "http://127.0.0.1:$PORT" bench bench-password-123)
  else
    echo; echo "web app: skipped (no web/dist — run 'make build' — or no node)"
  fi
fi
stop_essaim

if [ "$TORRENTS" -le 0 ]; then
  echo; echo "TORRENTS=0: qBittorrent, Flood and the reference skipped."; exit 0
fi

# ---------------------------------------------------------------- several qBittorrent servers (issue 20)
# SERVERS_TORRENTS torrents on one qbittorrent-nox, side by side with the same number spread
# evenly over N of them, for each N of SERVERS. Instances of its own (lib.sh qbt_instance_*: no
# seeder, no counting proxy), all started and loaded at once first (qBittorrent's adds are the
# slow part); each configuration is then measured with a fresh essaim and nothing else asking
# qBittorrent (the other configurations' instances sit idle: their torrents are paused and
# nobody asks them, ~0 CPU). As in the one-server part, USER_TORRENTS of the torrents (spread
# evenly too) are tagged essaim:<id of the benchmark user>, the others "bench" (no owner).
# Server 1 is the settings' qBittorrent (ESSAIM_QBT_URL); servers 2..N are added by the admin
# through POST /api/admin/servers once essaim runs, and essaim's reconciliation gives each
# server's tagged torrents back to the user, recorded on that server (checked below against the
# admin's list, which names each torrent's server).
if [ "$SKIP_SERVERS" != 1 ]; then
  need qbittorrent-nox
  declare -A S=()   # "<key> <n>" → one cell of the table (n = number of servers)
  SV_NAMES=()       # instances: s<n>.<i> = server i of the configuration with n servers
  for n in $SERVERS; do for i in $(seq 1 "$n"); do SV_NAMES+=("s$n.$i"); done; done
  note "servers: starting ${#SV_NAMES[@]} qbittorrent-nox (SERVERS=\"$SERVERS\", $SERVERS_TORRENTS torrents in each configuration)"
  for q in "${SV_NAMES[@]}"; do qbt_instance_start "$q"; done
  for n in $SERVERS; do   # users first: the tags name the benchmark user's id
    mkdir -p "$TMP/servers.$n"
    export ESSAIM_DATA_DIR=$TMP/servers.$n/essaim ESSAIM_QBT_URL=${QURL[s$n.1]} ESSAIM_QBT_USERNAME=admin ESSAIM_QBT_PASSWORD=adminadmin
    create_users
    S[id $n]=$(bench_user_id)
    S[user $n]=0
    for i in $(seq 1 "$n"); do
      t=$(( SERVERS_TORRENTS / n + (i <= SERVERS_TORRENTS % n ? 1 : 0) ))
      u=$(( USER_TORRENTS / n + (i <= USER_TORRENTS % n ? 1 : 0) ))
      [ "$u" -le "$t" ] || u=$t
      make_magnets "$u" "bench-user-$i" "$TMP/servers.$n/user.$i.magnets"
      make_magnets "$((t - u))" "bench-$i" "$TMP/servers.$n/other.$i.magnets"
      S[count s$n.$i]=$t
      S[user $n]=$(( ${S[user $n]} + u ))
    done
  done
  sv_load() { # instance n i → its user's magnets (tag essaim:<id>), the others (tag bench); waits until it lists them
    local jar=$TMP/qbt/$1/jar
    add_magnets "$TMP/servers.$2/user.$3.magnets" "essaim:${S[id $2]}" "${QURL[$1]}" "$jar"
    add_magnets "$TMP/servers.$2/other.$3.magnets" bench "${QURL[$1]}" "$jar"
    wait_qbt_count "${S[count $1]}" "${QURL[$1]}" "$jar"
  }
  for q in "${SV_NAMES[@]}"; do qbt_instance_ready "$q"; done
  SV_T0=$(date +%s)
  for n in $SERVERS; do
    for i in $(seq 1 "$n"); do spawn "load.s$n.$i" "$TMP/qbt/s$n.$i/load.log" sv_load "s$n.$i" "$n" "$i"; done
  done
  for q in "${SV_NAMES[@]}"; do
    wait_spawned "load.$q" || { echo "bench: loading qbittorrent-nox $q failed: $(tail -3 "$TMP/qbt/$q/load.log")" >&2; exit 1; }
  done
  note "servers: ${#SV_NAMES[@]} qbittorrent-nox loaded in parallel in $(( $(date +%s) - SV_T0 )) s"

  sv_admin() { # method path [json] → prints the HTTP status; the body in $TMP/sv.body (admin session, CSRF header)
    local csrf; csrf=$(awk '$6=="csrf_token" {print $7}' "$TMP/sv.aj")
    curl -s -o "$TMP/sv.body" -w '%{http_code}' -b "$TMP/sv.aj" -X "$1" -H "X-CSRF-Token: $csrf" \
      -H 'Content-Type: application/json' ${3:+-d "$3"} "http://127.0.0.1:$PORT$2" || true
  }
  sv_login() {
    COOKIE=$(login bench bench-password-123)
    ADMIN=$(login boss admin-password-123)
    curl -s -c "$TMP/sv.aj" -o /dev/null -H 'Content-Type: application/json' \
      -d '{"username":"boss","password":"admin-password-123"}' "http://127.0.0.1:$PORT/api/auth/login"
  }
  sv_user_count() { { curl -s -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT/api/torrents" || true; } | { grep -o '"hash"' || true; } | wc -l; }
  sv_wait_full() { # n seconds → 0 once essaim's cache holds the configuration's torrents and the user's list all of theirs
    local end=$(( $(date +%s) + $2 ))
    while [ "$(date +%s)" -lt "$end" ]; do
      [ "$(metric essaim_torrents)" -ge "$SERVERS_TORRENTS" ] && [ "$(sv_user_count)" -ge "${S[user $1]}" ] && return 0
      sleep 0.2
    done
    echo "bench: after $2 s essaim caches $(metric essaim_torrents) of $SERVERS_TORRENTS torrents, the user sees $(sv_user_count) of ${S[user $1]}" >&2
    return 1
  }
  sv_check() { # n → one line: the servers as essaim reports them, and where the admin's list puts each torrent
    local n=$1 i ids=()
    sv_admin GET /api/admin/servers >/dev/null; cp "$TMP/sv.body" "$TMP/servers.$n/servers.json"
    curl -s -H "Cookie: $ADMIN" "http://127.0.0.1:$PORT/api/torrents?scope=all" >"$TMP/servers.$n/all.json"
    curl -s -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT/api/torrents" >"$TMP/servers.$n/user.json"
    for i in $(seq 1 "$n"); do ids+=("${S[sid s$n.$i]}:${S[count s$n.$i]}"); done
    "$PY" - "$TMP/servers.$n" "${ids[@]}" <<'PY'
import collections, json, sys
d, ids = sys.argv[1], [tuple(map(int, x.split(":"))) for x in sys.argv[2:]]
out = []
try:
    out.append("essaim's servers: " + ", ".join("#%s %s/%s %s torrents" % (s["id"], s["state"], s["link"], s["torrents"])
                                               for s in json.load(open(d + "/servers.json"))["servers"]))
except Exception as e:
    out.append("GET /api/admin/servers: %s" % open(d + "/servers.json").read()[:120].strip())
every = json.load(open(d + "/all.json"))["torrents"]
by_server = collections.Counter(t.get("server") for t in every)
out.append("admin's list by server: " + ", ".join("#%s %d" % (k, v) for k, v in sorted(by_server.items(), key=str))
           + " (expected " + ", ".join("#%d %d" % x for x in ids) + ")")
by_hash = {t["hash"]: t for t in every}
ok = other = missing = nofield = 0
for i, (sid, _) in enumerate(ids, 1):
    for h in open("%s/user.%d.magnets.hashes" % (d, i)):
        t = by_hash.get(h.strip())
        if t is None: missing += 1
        elif "server" not in t: nofield += 1
        elif t["server"] == sid: ok += 1
        else: other += 1
u = json.load(open(d + "/user.json"))
out.append("the user's torrents on their own server: %d, on another: %d, without \"server\": %d, missing: %d; "
           "user's list: %d torrents, qbittorrent %s, servers_down %s, stale %s" % (ok, other, nofield, missing,
                                                          len(u["torrents"]), u.get("qbittorrent"),
                                                          u.get("servers_down", "absent"), u.get("stale")))
print("; ".join(out))
PY
  }
  sv_refresh() { # n ms → qBittorrent's refresh interval on every instance of the configuration (at runtime)
    local i
    for i in $(seq 1 "$1"); do
      curl -s -f -b "$TMP/qbt/s$1.$i/jar" --data-urlencode "json={\"refresh_interval\":$2}" \
        "${QURL[s$1.$i]}/api/v2/app/setPreferences" >/dev/null
    done
  }
  sv_fresh() { # n key → freshness.py over the configuration's servers (a change on each in turn); cells "<key>… n"
    local n=$1 out=$TMP/servers.$1/fresh.$2.json args=() i e0 e1 c0 c1 t0 t1 hz
    for i in $(seq 1 "$n"); do args+=(--qbt "${QURL[s$n.$i]}" --hashes-file "$TMP/servers.$n/user.$i.magnets.hashes"); done
    e0=$(cpu_ticks "$(essaim_pid)"); c0=$(cpu_ticks $SV_QPIDS); t0=$(date +%s.%N)
    if ! "$PY" "$BENCH/freshness.py" --base "http://127.0.0.1:$PORT" --cookie "$COOKIE" "${args[@]}" \
      --changes "$CHANGES" >"$out" 2>"$out.err"; then
      echo "bench: freshness ($n servers) failed: $(tail -3 "$out.err")" >&2; S[$2 $n]=failed; return 0
    fi
    e1=$(cpu_ticks "$(essaim_pid)"); c1=$(cpu_ticks $SV_QPIDS); t1=$(date +%s.%N); hz=$(getconf CLK_TCK)
    S[$2 $n]="$(json_get p50 "$out") / $(json_get p99 "$out") / $(json_get max "$out") s"
    S[$2_p99 $n]=$(json_get p99 "$out")
    S[$2_seen $n]="$(json_get seen "$out") of $(json_get changes "$out")"
    S[$2_qbt $n]="$(json_get qbt_p50 "$out") / $(json_get qbt_p99 "$out") s"
    S[$2_after $n]="$(json_get after_qbt_p50 "$out") / $(json_get after_qbt_p99 "$out") s"
    S[$2_cpu $n]=$(awk -v e="$((e1 - e0))" -v q="$((c1 - c0))" -v hz="$hz" -v t0="$t0" -v t1="$t1" \
      'BEGIN {printf "%.2f / %.2f cores", e / hz / (t1 - t0), q / hz / (t1 - t0)}')
  }

  for n in $SERVERS; do
    per=$(( SERVERS_TORRENTS / n ))
    S[head $n]="$n qBittorrent × $( [ $((SERVERS_TORRENTS % n)) = 0 ] || echo "~")$per torrents"
    export ESSAIM_DATA_DIR=$TMP/servers.$n/essaim ESSAIM_QBT_URL=${QURL[s$n.1]} ESSAIM_QBT_USERNAME=admin ESSAIM_QBT_PASSWORD=adminadmin
    SV_QPIDS=$(for i in $(seq 1 "$n"); do qbt_instance_pid "s$n.$i"; done)
    # qBittorrent's own price of one full answer, asked of each instance in turn before essaim runs
    md=0
    for i in $(seq 1 "$n"); do
      t=$(curl -s -o /dev/null -m 120 -w '%{time_total}' -b "$TMP/qbt/s$n.$i/jar" "${QURL[s$n.$i]}/api/v2/sync/maindata?rid=0" || echo 0)
      md=$(awk -v a="$md" -v b="$t" 'BEGIN {print (b > a) ? b : a}')
    done
    S[md $n]=$(awk -v t="$md" 'BEGIN {printf "%.2f s", t}')
    note "servers: $n server(s): essaim, $((n - 1)) server(s) added through POST /api/admin/servers"
    touch "$TMP/server.log"; L0=$(wc -l <"$TMP/server.log")
    start_essaim
    sv_login
    S[sid s$n.1]=1
    wait_s=300
    for i in $(seq 2 "$n"); do
      st=$(sv_admin POST /api/admin/servers "{\"name\":\"qBittorrent $i\",\"url\":\"${QURL[s$n.$i]}\",\"username\":\"admin\",\"password\":\"adminadmin\"}")
      if [ "$st" != 201 ]; then
        echo "bench: POST /api/admin/servers answered $st: $(head -c 300 "$TMP/sv.body")" >&2; S[sid s$n.$i]=0; wait_s=15
      else
        S[sid s$n.$i]=$(json_get server.id "$TMP/sv.body")
      fi
    done
    t0=$(date +%s.%N)
    if sv_wait_full "$n" "$wait_s"; then S[first $n]=$(awk -v t0="$t0" -v t1="$(date +%s.%N)" 'BEGIN {printf "%.1f s", t1 - t0}')
    else S[first $n]="not all after $wait_s s"; fi
    S[check $n]=$(sv_check "$n" || echo "check failed")
    # RSS after a start with everything there (as the one-server part measures it), and how long
    # a start takes to list every torrent
    stop_essaim
    t0=$(date +%s.%N)
    start_essaim
    sv_login
    if sv_wait_full "$n" "$wait_s"; then S[start $n]=$(awk -v t0="$t0" -v t1="$(date +%s.%N)" 'BEGIN {printf "%.1f s", t1 - t0}')
    else S[start $n]="not all after $wait_s s"; fi
    sleep 2
    S[rss_kb $n]=$(rss_kb "$(essaim_pid)")
    S[rss $n]=$(mib "${S[rss_kb $n]}")
    S[listed $n]="$(metric essaim_torrents) / $(sv_user_count)"
    S[check2 $n]=$(sv_check "$n" || echo "check failed")
    # what essaim's polling costs, nobody connected: sync/maindata answers per second (all servers)
    # and the CPU of essaim and of the configuration's qBittorrents meanwhile
    note "servers: $n server(s): ${SERVERS_WINDOW} s of polling, no browser"
    m0=$(metric essaim_qbittorrent_maindata_requests_total); e0=$(cpu_ticks "$(essaim_pid)"); c0=$(cpu_ticks $SV_QPIDS); t0=$(date +%s.%N)
    sleep "$SERVERS_WINDOW"
    m1=$(metric essaim_qbittorrent_maindata_requests_total); e1=$(cpu_ticks "$(essaim_pid)"); c1=$(cpu_ticks $SV_QPIDS); t1=$(date +%s.%N)
    S[polls $n]=$(awk -v a="$m0" -v b="$m1" -v t0="$t0" -v t1="$t1" -v n="$n" 'BEGIN {printf "%.2f/s (%.2f/s per server)", (b - a) / (t1 - t0), (b - a) / (t1 - t0) / n}')
    S[idle_cpu $n]=$(awk -v e="$((e1 - e0))" -v q="$((c1 - c0))" -v hz="$(getconf CLK_TCK)" -v t0="$t0" -v t1="$t1" \
      'BEGIN {printf "%.2f / %.2f cores", e / hz / (t1 - t0), q / hz / (t1 - t0)}')
    note "servers: $n server(s): user page"
    CPU_PIDS=$(essaim_pid)
    wrk_row "essaim: GET /api/torrents (user), $n server(s)" "$DURATION" 30s "http://127.0.0.1:$PORT/api/torrents" "Cookie: $COOKIE" >"$TMP/servers.$n/wrk.row"
    CPU_PIDS=""
    S[rps $n]=$RPS
    S[lat $n]="$P50 / $P99"
    S[errs $n]=$ERRS
    S[cpu $n]="${CPU_US:-?} µs (${CORES:-?} cores)"
    ms=$(curl -s -b "$TMP/qbt/s$n.1/jar" "${QURL[s$n.1]}/api/v2/app/preferences" | json_get refresh_interval)
    SV_MS=$ms
    note "servers: $n server(s): freshness, qBittorrent refresh $ms ms ($CHANGES changes)"
    sv_fresh "$n" fresh
    if [ -n "$FAST_REFRESH_MS" ]; then
      sv_refresh "$n" "$FAST_REFRESH_MS"
      note "servers: $n server(s): freshness, qBittorrent refresh $FAST_REFRESH_MS ms ($CHANGES changes)"
      sv_fresh "$n" fast
      sv_refresh "$n" "$ms"
    fi
    stop_essaim
    S[log $n]=$(( $(wc -l <"$TMP/server.log") - L0 ))
    [ "${S[log $n]}" = 0 ] || { note "servers: $n server(s): essaim logged ${S[log $n]} lines (warn or worse), the last ones:"; tail -n +"$((L0 + 1))" "$TMP/server.log" | tail -5 >&2; }
    for i in $(seq 1 "$n"); do stop "qbt.s$n.$i"; done   # its CPU and memory go back to the next configuration
  done
  export ESSAIM_DATA_DIR=$TMP/essaim   # the one-server part's
  unset ESSAIM_QBT_URL ESSAIM_QBT_USERNAME ESSAIM_QBT_PASSWORD

  echo
  echo "Several qBittorrent servers: $SERVERS_TORRENTS torrents ($USER_TORRENTS of them the benchmark user's) on one qbittorrent-nox," \
    "then spread evenly over several; essaim polls each server every second; server 1 = the settings' qBittorrent, the others added with POST /api/admin/servers:"
  SVW=30
  sv_cell() { # text → padded to SVW characters (printf pads bytes: µ and × are two)
    printf ' %s%*s |' "$1" $((SVW - ${#1} > 0 ? SVW - ${#1} : 0)) ""
  }
  sv_row() { # label key [target] → one row, a cell per configuration
    local n line; line=$(printf '| %-52s |' "$1")
    for n in $SERVERS; do line+=$(sv_cell "${S[$2 $n]:--}"); done
    printf '%s %s\n' "$line" "${3:-}"
  }
  line=$(printf '| %-52s |' "measure"); sep="|------------------------------------------------------|"
  for n in $SERVERS; do line+=$(sv_cell "${S[head $n]}"); sep+="$(printf -- '-%.0s' $(seq 1 $((SVW + 2))))|"; done
  echo "$line target"; echo "$sep--------"
  sv_row "essaim's cache: torrents / the user's, after a start" listed
  sv_row "qBittorrent sync/maindata?rid=0: one answer, slowest" md
  sv_row "essaim: all listed, after the servers were added" first
  sv_row "essaim: all listed, after a start" start
  sv_row "essaim RSS, torrents cached (after a start)" rss "< 60 MiB"
  sv_row "polling, no browser: sync/maindata answers" polls
  sv_row "  CPU meanwhile: essaim / qBittorrent (all)" idle_cpu
  sv_row "user page GET /api/torrents: req/s (wrk -c$CONNS)" rps
  sv_row "  latency p50 / p99" lat
  sv_row "  errors" errs
  sv_row "  essaim CPU per request (cores used)" cpu
  sv_row "freshness p50 / p99 / max, qBt refresh $SV_MS ms" fresh "p99 < 1.5 s"
  sv_row "  changes seen on the socket" fresh_seen
  sv_row "  qBittorrent shows it p50 / p99" fresh_qbt
  sv_row "  then essaim's socket p50 / p99" fresh_after
  sv_row "  CPU meanwhile: essaim / qBittorrent (all)" fresh_cpu
  if [ -n "$FAST_REFRESH_MS" ]; then
    sv_row "freshness p50 / p99 / max, qBt refresh $FAST_REFRESH_MS ms" fast "p99 < 1.5 s"
    sv_row "  changes seen on the socket" fast_seen
    sv_row "  qBittorrent shows it p50 / p99" fast_qbt
    sv_row "  then essaim's socket p50 / p99" fast_after
    sv_row "  CPU meanwhile: essaim / qBittorrent (all)" fast_cpu
  fi
  for n in $SERVERS; do
    echo "($n server(s), after adding them: ${S[check $n]})"
    echo "($n server(s), after a start: ${S[check2 $n]}; essaim's log: ${S[log $n]} lines at warn or worse)"
  done
  for n in $SERVERS; do
    for k in fresh fast; do
      [ -n "${S[${k}_p99 $n]:-}" ] || continue
      summarize "freshness p99 < 1.5 s, $n server(s), refresh $( [ $k = fresh ] && echo "$SV_MS" || echo "$FAST_REFRESH_MS") ms" \
        "p99 ${S[${k}_p99 $n]} s" "$(target "${S[${k}_p99 $n]}" lt 1.5)"
    done
    summarize "essaim RSS < 60 MiB, $SERVERS_TORRENTS torrents on $n server(s)" "${S[rss $n]}" "$(target "$(awk -v k="${S[rss_kb $n]}" 'BEGIN {print k/1024}')" lt 60)"
  done
fi

if [ "$SKIP_MAIN" = 1 ]; then
  echo; echo "SKIP_MAIN=1: the one-qBittorrent part (its freshness, throughput, upstream load and memory tables) skipped."
  echo; echo "Targets (reported, never fatal):"
  printf '  %s\n' "${SUMMARY[@]}"
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews every figure)"
  exit 0
fi

# ---------------------------------------------------------------- qBittorrent + counting proxy
# A real qbittorrent-nox (loopback, DHT off) holding TORRENTS metadata-less paused magnets of
# random hashes, USER_TORRENTS of them tagged as the benchmark user's: essaim's reconciliation
# gives them back to that user from the tag. essaim talks to it through countproxy.py, which
# counts every request qBittorrent receives.
echo
note "starting qbittorrent-nox (scripts/local-swarm.sh) and the counting proxy"
start_qbittorrent
PROXY_PORT=$(free_port)
spawn proxy "$TMP/proxy.log" "$PY" "$BENCH/countproxy.py" --listen "127.0.0.1:$PROXY_PORT" --upstream "127.0.0.1:$QP"
wait_http "http://127.0.0.1:$PROXY_PORT/__count" 10
PROXY=http://127.0.0.1:$PROXY_PORT
proxy_total() { curl -s -m 30 "$PROXY/__count" | json_get total || echo 0; }
SID=$(awk '$6=="SID" {print $7}' "$TMP/qj")

export ESSAIM_QBT_URL=$PROXY ESSAIM_QBT_USERNAME=admin ESSAIM_QBT_PASSWORD=adminadmin
rm -rf "$ESSAIM_DATA_DIR"   # settings are seeded from the environment on first start
create_users
BENCH_ID=$(bench_user_id)
make_magnets "$USER_TORRENTS" bench-user "$TMP/user.magnets"
make_magnets "$((TORRENTS - USER_TORRENTS))" bench "$TMP/other.magnets"
T0=$(date +%s)
add_magnets "$TMP/user.magnets" "essaim:$BENCH_ID"
wait_qbt_count "$USER_TORRENTS"
start_essaim
COOKIE=$(login bench bench-password-123)
ADMIN=$(login boss admin-password-123)
TOOL_TOKEN=$(tool_token)   # the benchmark user's tools (qBittorrent-compatible API, /api/v2)
user_count() { { curl -s -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT/api/torrents" || true; } | { grep -o '"hash"' || true; } | wc -l; }
for _ in $(seq 1 120); do [ "$(user_count)" -ge "$USER_TORRENTS" ] && break; sleep 0.5; done

# Freshness with only the user's torrents in qBittorrent (a small server), before the others come.
FRESH_HDR() {
  printf '| %-34s | %7s | %5s | %7s | %7s | %7s | %-26s | %-26s | %s\n' "qBittorrent holds" "changes" "seen" \
    "p50" "p99" "max" "qBittorrent shows it" "then essaim's socket" "target p99 < 1.5 s"
  printf '|%s|\n' "------------------------------------|---------|-------|---------|---------|---------|----------------------------|----------------------------|-------------------"
}
fresh_run() { # label → one table row into $TMP/fresh.rows, result in R[fresh_<label>]
  local out=$TMP/fresh.$1.json
  "$PY" "$BENCH/freshness.py" --base "http://127.0.0.1:$PORT" --cookie "$COOKIE" --qbt "$QBT" \
    --hashes-file "$TMP/user.magnets.hashes" --changes "$CHANGES" >"$out" 2>"$TMP/fresh.$1.err" ||
    { echo "bench: freshness failed: $(tail -3 "$TMP/fresh.$1.err")" >&2; return 0; }
  local p99; p99=$(json_get p99 "$out")
  R[fresh_$1]=$p99
  printf '| %-34s | %7s | %5s | %6ss | %6ss | %6ss | %-26s | %-26s | %s\n' "$2" "$(json_get changes "$out")" \
    "$(json_get seen "$out")" "$(json_get p50 "$out")" "$p99" "$(json_get max "$out")" \
    "p50 $(json_get qbt_p50 "$out") s, p99 $(json_get qbt_p99 "$out") s" \
    "p50 $(json_get after_qbt_p50 "$out") s, p99 $(json_get after_qbt_p99 "$out") s" \
    "$(target "$p99" lt 1.5)" >>"$TMP/fresh.rows"
  summarize "freshness p99 < 1.5 s ($2)" "p99 $p99 s" "$(target "$p99" lt 1.5) (qBittorrent itself shows the change: p99 $(json_get qbt_p99 "$out") s)"
}
qbt_refresh() { # ms → qBittorrent's refresh interval, changed at runtime (its Options → Advanced)
  curl -s -f -b "$TMP/qj" --data-urlencode "json={\"refresh_interval\":$1}" "$QBT/api/v2/app/setPreferences" >/dev/null
}
fresh_runs() { # label description → at qBittorrent's refresh, then (FAST_REFRESH_MS) at a faster one
  fresh_run "$1" "$2"
  [ -n "$FAST_REFRESH_MS" ] || return 0
  local ms; ms=$(curl -s -b "$TMP/qj" "$QBT/api/v2/app/preferences" | json_get refresh_interval)
  qbt_refresh "$FAST_REFRESH_MS"
  fresh_run "$1_fast" "$2, qBt refresh $FAST_REFRESH_MS ms"
  qbt_refresh "$ms"
}
: >"$TMP/fresh.rows"
if [ "$SKIP_FRESHNESS" != 1 ]; then
  note "freshness with $USER_TORRENTS torrents in qBittorrent ($CHANGES changes)"
  fresh_runs small "$USER_TORRENTS torrents"
fi

note "adding $((TORRENTS - USER_TORRENTS)) more torrents"
add_magnets "$TMP/other.magnets" bench
wait_qbt_count "$TORRENTS"
echo "qBittorrent holds $TORRENTS torrents, $USER_TORRENTS of them the benchmark user's (added and listed in $(( $(date +%s) - T0 )) s)"
for _ in $(seq 1 240); do [ "$(metric essaim_torrents)" -ge "$TORRENTS" ] && break; sleep 0.5; done
sleep 2
R[rss_delta]=$(rss_kb "$(essaim_pid)")
stop_essaim
start_essaim   # a start with the 10,000 torrents there: one full update
COOKIE=$(login bench bench-password-123)
ADMIN=$(login boss admin-password-123)
for _ in $(seq 1 240); do [ "$(metric essaim_torrents)" -ge "$TORRENTS" ] && break; sleep 0.5; done
sleep 2
R[rss_cache]=$(rss_kb "$(essaim_pid)")
n=$(user_count)
ALL=$(curl -s -H "Cookie: $ADMIN" "http://127.0.0.1:$PORT/api/torrents?scope=all" | { grep -o '"hash"' || true; } | wc -l)
echo "essaim's cache: the user sees $n torrents, the admin $ALL; RSS $(mib "${R[rss_cache]}") after a start with them" \
  "($(mib "${R[rss_delta]}") when they arrived as one delta while running)"

# ---------------------------------------------------------------- throughput
# Rows are kept (with a sort key) and the table is printed after the runs that ask qBittorrent for
# its whole list at 64 connections: those come last, because qBittorrent goes on building the
# answers nobody waits for any more (up to 64 × ~1 s) and nothing else can be measured meanwhile.
tp() { # key command… → the command's table row, kept for the throughput table
  local key=$1; shift
  "$@" >"$TMP/row"
  sed "s/^/$key|/" "$TMP/row" >>"$TMP/tp.rows"
}
: >"$TMP/tp.rows"
note "throughput: essaim"
peak_start essaim "$(essaim_pid)"
CPU_PIDS=$(essaim_pid)
TARGET="≥ 20000 req/s"
tp 10 wrk_row "essaim: GET /api/torrents (user)" "$DURATION" 30s "http://127.0.0.1:$PORT/api/torrents" "Cookie: $COOKIE"
TARGET=""
R[essaim_user]=$RPS
R[essaim_user_target]=$(target "$RPS" ge 20000)
R[essaim_user_cpu]="essaim had ${CORES:-?} cores (wrk and the rest of the machine took the others); ${CPU_US:-?} µs of CPU per request ≈ $(awk -v u="${CPU_US:-0}" 'BEGIN {if (u > 0) printf "%.0f", 1e6 / u; else print "?"}') req/s per core"
tp 11 wrk_row "essaim:   same, Accept-Encoding: gzip (browsers)" "$DURATION" 30s "http://127.0.0.1:$PORT/api/torrents" "Cookie: $COOKIE" "Accept-Encoding: gzip"
R[essaim_user_gz]=$RPS
tp 12 wrk_row "essaim: GET /api/torrents?scope=all (admin, $TORRENTS)" "$DURATION" 30s "http://127.0.0.1:$PORT/api/torrents?scope=all" "Cookie: $ADMIN"
tp 13 wrk_row "essaim:   same, Accept-Encoding: gzip (browsers)" "$DURATION" 30s "http://127.0.0.1:$PORT/api/torrents?scope=all" "Cookie: $ADMIN" "Accept-Encoding: gzip"
# The user's tools (Sonarr, scripts) through the qBittorrent-compatible API: the same two calls
# are run on qBittorrent itself below (rows 23, 24).
TOOL="Authorization: Bearer $TOOL_TOKEN"
tp 14 wrk_row "essaim: /api/v2/torrents/info (a tool of the user: $USER_TORRENTS)" "$DURATION" 30s "http://127.0.0.1:$PORT/api/v2/torrents/info" "$TOOL"
R[essaim_tool_info]=$RPS
tp 15 wrk_row "essaim: /api/v2/sync/maindata?rid=0 (a tool: full update)" "$DURATION" 30s "http://127.0.0.1:$PORT/api/v2/sync/maindata?rid=0" "$TOOL"
R[essaim_tool_md]=$RPS
R[rss_wrk_peak]=$(peak_stop essaim)
stop_essaim   # its 1-s sync loop costs qBittorrent CPU: not while the others are measured
qbt_settle

note "throughput: qBittorrent"
CPU_PIDS=$(qbt_pid)
tp 20 wrk_row "qBittorrent: torrents/info?tag=essaim:$BENCH_ID (same $USER_TORRENTS)" "$DURATION" 30s "$QBT/api/v2/torrents/info?tag=essaim:$BENCH_ID" "Cookie: SID=$SID"
R[qbt_tag]=$RPS
# Whole-list systems: first one connection (their best case: no queue), then 64.
WRK_CONNS=1 tp 21 wrk_row "qBittorrent: torrents/info (all $TORRENTS), 1 connection" "$DURATION" 60s "$QBT/api/v2/torrents/info" "Cookie: SID=$SID"
R[qbt_info_c1]=$RPS
# What a tool gets from qBittorrent itself (it has no per-user view): at 1 connection, its best
# case, as essaim's tool rows 14 and 15 ask the same paths.
WRK_CONNS=1 tp 23 wrk_row "qBittorrent: torrents/info?tag=… (a tool's own, by tag), 1 conn." "$DURATION" 60s "$QBT/api/v2/torrents/info?tag=essaim:$BENCH_ID" "Cookie: SID=$SID"
WRK_CONNS=1 tp 24 wrk_row "qBittorrent: sync/maindata?rid=0 (all $TORRENTS), 1 connection" "$DURATION" 60s "$QBT/api/v2/sync/maindata?rid=0" "Cookie: SID=$SID"
R[qbt_md_c1]=$RPS

# The reference: one process per mode, straight to qBittorrent (not through the proxy).
REF_DB=$TMP/reference.db
ref_start() { # mode upstream → port in REF_PORT_<mode>
  local p; p=$(free_port)
  spawn "ref.$1" "$TMP/ref.$1.log" "$PY" "$BENCH/reference/app.py" serve --db "$REF_DB" \
    --listen "127.0.0.1:$p" --qbt "$2" --mode "$1"
  wait_http "http://127.0.0.1:$p/api/health" 30 || { echo "bench: the reference did not start" >&2; cat "$TMP/ref.$1.log" >&2; exit 1; }
  printf -v "REF_PORT_$1" '%s' "$p"
}
if [ "$SKIP_REFERENCE" != 1 ]; then
  note "throughput: reference"
  REF_COOKIE=$("$PY" "$BENCH/reference/app.py" init --db "$REF_DB" --user bench --hashes-file "$TMP/user.magnets.hashes")
  ref_start all "$QBT"
  ref_start hashes "$QBT"
  peak_start ref.all "${PIDS[ref.all]}"
  CPU_PIDS="${PIDS[ref.all]} $(qbt_pid)"
  TARGET="essaim ≥ 10 × the best of these 2"
  WRK_CONNS=1 tp 30 wrk_row "reference (FastAPI, whole list), 1 connection" "$DURATION" 60s "http://127.0.0.1:$REF_PORT_all/api/torrents" "Cookie: $REF_COOKIE"
  R[ref_all_c1]=$RPS
  tp 31 wrk_row "reference (FastAPI, whole list, filters)" "$SLOW_DURATION" "$SLOW_TIMEOUT" "http://127.0.0.1:$REF_PORT_all/api/torrents" "Cookie: $REF_COOKIE"
  R[ref_all]=$RPS
  R[rss_ref_all]=$(peak_stop ref.all)
  stop ref.all
  qbt_settle
  peak_start ref.hashes "${PIDS[ref.hashes]}"
  CPU_PIDS="${PIDS[ref.hashes]} $(qbt_pid)"
  TARGET="essaim ≥ 10 × this"
  tp 32 wrk_row "reference (FastAPI, asks ?hashes= of the user's)" "$DURATION" 30s "http://127.0.0.1:$REF_PORT_hashes/api/torrents" "Cookie: $REF_COOKIE"
  TARGET=""
  R[ref_hashes]=$RPS
  R[rss_ref_hashes]=$(peak_stop ref.hashes)
  stop ref.hashes
  qbt_settle
fi

# ---------------------------------------------------------------- freshness and upstream load
start_essaim
COOKIE=$(login bench bench-password-123)
ADMIN=$(login boss admin-password-123)
for _ in $(seq 1 240); do [ "$(metric essaim_torrents)" -ge "$TORRENTS" ] && break; sleep 0.5; done
if [ "$SKIP_FRESHNESS" != 1 ]; then
  note "freshness with $TORRENTS torrents in qBittorrent ($CHANGES changes)"
  fresh_runs large "$TORRENTS torrents"
  echo
  echo "Freshness: a pause or resume made through qBittorrent's own API → the matching delta on an essaim WebSocket"
  echo "(seconds from just before the POST; 'qBittorrent shows it' = when its own torrents/info first reports the new state, polled every 0.1 s):"
  FRESH_HDR
  cat "$TMP/fresh.rows"
fi

if [ "$SKIP_UPSTREAM" != 1 ]; then
  echo
  echo "Upstream load: requests qBittorrent receives per minute (counted by countproxy.py in front of it; ${WINDOW} s windows scaled to a minute)"
  UPF='| %-40s | %8s | %11s | %14s | %-60s | %s\n'
  printf "$UPF" "system" "browsers" "qBt req/min" "essaim counter" "browsers' side" "target"
  printf '|%s|\n' "------------------------------------------|----------|-------------|----------------|--------------------------------------------------------------|--------"
  UP_RATES=()
  for nb in $BROWSERS; do
    note "upstream: essaim with $nb WebSocket clients"
    WS_JSON=$TMP/ws.$nb.json
    rm -f "$TMP/ws.ready"
    spawn ws "$TMP/ws.$nb.log" "$PY" "$BENCH/ws_clients.py" --base "http://127.0.0.1:$PORT" --cookie "$COOKIE" \
      -n "$nb" --ready-file "$TMP/ws.ready" --json "$WS_JSON"
    for _ in $(seq 1 600); do [ -s "$TMP/ws.ready" ] && break; sleep 0.1; done
    sleep 2   # the full lists have been sent
    c0=$(proxy_total); m0=$(metric essaim_qbittorrent_requests_total); t0=$(date +%s.%N)
    sleep "$WINDOW"
    c1=$(proxy_total); m1=$(metric essaim_qbittorrent_requests_total); t1=$(date +%s.%N)
    [ "$nb" = "$(echo $BROWSERS | awk '{print $NF}')" ] && { R[rss_ws]=$(rss_kb "$(essaim_pid)"); R[ws_n]=$nb; }
    open_now=$(metric essaim_websocket_clients)
    stop ws
    per_min() { awk -v a="$1" -v b="$2" -v t0="$t0" -v t1="$t1" 'BEGIN {printf "%.0f", (b-a)*60/(t1-t0)}'; }
    rate=$(per_min "$c0" "$c1")
    UP_RATES+=("$rate")
    errs=$(( $(json_get failed "$WS_JSON") + $(json_get server_closed "$WS_JSON") + $(json_get bad_frames "$WS_JSON") ))
    printf "$UPF" "essaim (WebSocket clients)" "$nb" "$rate" "$(per_min "$m0" "$m1")" \
      "$(json_get connected "$WS_JSON") connected ($open_now open at the end), $(json_get frames_total "$WS_JSON") frames, $errs errors" "flat"
  done
  # Tools polling sync/maindata every second (as phone apps and web UIs do), each with its own
  # session: qBittorrent must not hear of them.
  TOOL_RATES=()
  for nt in $TOOLS; do
    note "upstream: essaim with $nt tools polling /api/v2/sync/maindata"
    TOOL_SID=$(tool_sid "$TOOL_TOKEN")
    c0=$(proxy_total); m0=$(metric essaim_qbittorrent_requests_total); t0=$(date +%s.%N)
    "$PY" "$BENCH/pollers.py" --base "http://127.0.0.1:$PORT" --path "/api/v2/sync/maindata?rid=0" \
      --cookie "$TOOL_SID" -n "$nt" --every 1 --duration "$WINDOW" >"$TMP/tools.json"
    c1=$(proxy_total); m1=$(metric essaim_qbittorrent_requests_total); t1=$(date +%s.%N)
    per_min() { awk -v a="$1" -v b="$2" -v t0="$t0" -v t1="$t1" 'BEGIN {printf "%.0f", (b-a)*60/(t1-t0)}'; }
    rate=$(per_min "$c0" "$c1")
    TOOL_RATES+=("$rate")
    printf "$UPF" "essaim (tools polling sync/maindata, 1 s)" "$nt" "$rate" "$(per_min "$m0" "$m1")" \
      "$(json_get answered "$TMP/tools.json")/$(json_get wanted "$TMP/tools.json") polls answered, $(json_get failed "$TMP/tools.json") failed, p99 $(json_get p99 "$TMP/tools.json") s" "flat"
  done
  ESSAIM_PATHS=$(curl -s "$PROXY/__count" | json_get paths)
  stop_essaim
  FLAT=$(printf '%s\n' "${UP_RATES[@]}" | sort -n | awk 'NR==1 {lo=$1} {hi=$1} END {print (hi <= lo * 1.25 + 2) ? "PASS" : "FAIL"}')
  summarize "essaim upstream flat over $(echo $BROWSERS | tr ' ' '/') browsers" "$(IFS=/; echo "${UP_RATES[*]}") req/min" "$FLAT"
  TFLAT=$(printf '%s\n' "${UP_RATES[0]}" "${TOOL_RATES[@]}" | sort -n | awk 'NR==1 {lo=$1} {hi=$1} END {print (hi <= lo * 1.25 + 2) ? "PASS" : "FAIL"}')
  summarize "essaim upstream flat over $(echo $TOOLS | tr ' ' '/') tools" "$(IFS=/; echo "${TOOL_RATES[*]}") req/min (1 browser: ${UP_RATES[0]})" "$TFLAT"
  if [ "$SKIP_REFERENCE" != 1 ]; then
    qbt_settle
    for mode in $REF_UPSTREAM; do
      ref_start "$mode" "$PROXY"
      port_var=REF_PORT_$mode
      browsers=$BROWSERS
      [ "$mode" = all ] && browsers=$REF_ALL_BROWSERS
      for nb in $browsers; do
        note "upstream: reference ($mode) with $nb browsers"
        c0=$(proxy_total); t0=$(date +%s.%N)
        "$PY" "$BENCH/pollers.py" --base "http://127.0.0.1:${!port_var}" --cookie "$REF_COOKIE" -n "$nb" --every 5 \
          --duration "$WINDOW" >"$TMP/poll.json"
        c1=$(proxy_total); t1=$(date +%s.%N)
        rate=$(awk -v a="$c0" -v b="$c1" -v t0="$t0" -v t1="$t1" 'BEGIN {printf "%.0f", (b-a)*60/(t1-t0)}')
        p50=$(json_get p50 "$TMP/poll.json")
        [ "$p50" != "-" ] && p50=$(awk -v p="$p50" 'BEGIN {printf "%.2f s", p}')
        printf "$UPF" "reference ($( [ "$mode" = all ] && echo "whole list" || echo "?hashes=" ), polls every 5 s)" "$nb" "$rate" "-" \
          "$(json_get answered "$TMP/poll.json")/$(json_get wanted "$TMP/poll.json") polls answered, $(json_get failed "$TMP/poll.json") failed, p50 $p50" "-"
      done
      stop "ref.$mode"   # drops what it still has in flight
      qbt_settle
    done
  fi
  echo "(essaim's requests by path over the whole run: $ESSAIM_PATHS)"
fi

# ---------------------------------------------------------------- whole lists at 64 connections
stop_essaim
stop proxy   # not needed any more: nothing else talks to qBittorrent through it
qbt_settle
note "throughput: qBittorrent, whole list at $CONNS connections"
CPU_PIDS=$(qbt_pid)
tp 22 wrk_row "qBittorrent: torrents/info (all $TORRENTS)" "$SLOW_DURATION" "$SLOW_TIMEOUT" "$QBT/api/v2/torrents/info" "Cookie: SID=$SID"
R[qbt_all]=$RPS
if [ "$SKIP_FLOOD" != 1 ]; then
  qbt_settle
  need node npm
  FD=$BENCH/flood
  if [ ! -f "$FD/node_modules/.essaim-lock-stamp" ] || ! cmp -s "$FD/package-lock.json" "$FD/node_modules/.essaim-lock-stamp"; then
    note "npm ci (Flood, server/bench/flood)"
    (cd "$FD" && npm ci --no-audit --no-fund --loglevel=error >&2)
    cp "$FD/package-lock.json" "$FD/node_modules/.essaim-lock-stamp"
  fi
  FLOOD_VERSION=$(node -p "require('$FD/node_modules/flood/package.json').version")
  FP=$(free_port)
  spawn flood "$TMP/flood.log" node "$FD/node_modules/flood/dist/index.js" --host 127.0.0.1 --port "$FP" \
    --rundir "$TMP/flood-run" --auth default
  wait_http "http://127.0.0.1:$FP/api/auth/verify" 60 || { echo "bench: Flood did not start" >&2; tail "$TMP/flood.log" >&2; exit 1; }
  curl -s -c "$TMP/fj" -o /dev/null -H 'Content-Type: application/json' -d "{\"username\":\"bench\",\"password\":\"benchbench\",\"client\":{\"client\":\"qBittorrent\",\"type\":\"web\",\"version\":1,\"url\":\"$QBT\",\"username\":\"admin\",\"password\":\"adminadmin\"},\"level\":10}" \
    "http://127.0.0.1:$FP/api/auth/register"
  JWT=$(awk '$6=="jwt" {print $7}' "$TMP/fj")
  [ -n "$JWT" ] || { echo "bench: Flood registration failed" >&2; tail "$TMP/flood.log" >&2; exit 1; }
  note "Flood $FLOOD_VERSION warm-up (it fetches properties and trackers of each of the $TORRENTS torrents once)"
  W1=$(curl -s -m 900 -o /dev/null -w '%{time_total}' -H "Cookie: jwt=$JWT" "http://127.0.0.1:$FP/api/torrents")
  W2=$(curl -s -m 900 -o /dev/null -w '%{time_total}' -H "Cookie: jwt=$JWT" "http://127.0.0.1:$FP/api/torrents")
  R[rss_flood]=$(rss_kb "${PIDS[flood]}")
  peak_start flood "${PIDS[flood]}"
  CPU_PIDS="${PIDS[flood]} $(qbt_pid)"
  WRK_CONNS=1 tp 41 wrk_row "Flood $FLOOD_VERSION: GET /api/torrents, 1 connection" "$DURATION" 60s "http://127.0.0.1:$FP/api/torrents" "Cookie: jwt=$JWT"
  tp 42 wrk_row "Flood $FLOOD_VERSION: GET /api/torrents (all $TORRENTS)" "$SLOW_DURATION" "$SLOW_TIMEOUT" "http://127.0.0.1:$FP/api/torrents" "Cookie: jwt=$JWT"
  R[flood]=$RPS
  R[rss_flood_peak]=$(peak_stop flood)
  stop flood   # the last run: what qBittorrent still builds for it is nobody's concern
fi

echo
echo "Throughput, $CONNS connections unless said (wrk -t2 -c$CONNS; the user page is $USER_TORRENTS of $TORRENTS torrents):"
table_header "system: request"
sort -t'|' -s -n -k1,1 "$TMP/tp.rows" | cut -d'|' -f2-
CPU_PIDS=""
echo "(Flood and qBittorrent have no per-user list: they answer all $TORRENTS torrents. The whole-list systems run with" \
  "1 connection for $DURATION (their best case), then 64 for $SLOW_DURATION (--timeout $SLOW_TIMEOUT): qBittorrent builds each whole" \
  "list on its one thread (~1 s of CPU at 10,000 torrents) and the answers to 64 connections finish together, late (p50 ≈ p99)" \
  "— often none within the run; the latency is that queue. The reference has" \
  "at most 40 requests in flight (its thread pool). 'server CPU' counts the server's processes, qBittorrent's included for the" \
  "reference and Flood. essaim was stopped while the others ran. Flood's warm-up: first GET ${W1:-?} s, second ${W2:-?} s.)"
if [ -n "${R[ref_all]:-}" ]; then
  # against the reference's best figure (64 connections or 1), so a run where nothing completes
  # at 64 does not make the ratio infinite
  REF_BEST=$(awk -v a="${R[ref_all]}" -v b="${R[ref_all_c1]}" 'BEGIN {print (a > b) ? a : b}')
  ratio() { awk -v e="$1" -v r="$2" 'BEGIN {if (r > 0) printf "%.0f", e/r; else print "-"}'; }
  RATIO=$(ratio "${R[essaim_user]}" "$REF_BEST")
  RATIO2=$(ratio "${R[essaim_user]}" "${R[ref_hashes]}")
  echo "essaim/reference, user page: ${RATIO}× against the reference's best ($REF_BEST req/s; target ≥ 10×: $(target "$RATIO" ge 10));" \
    "against the reference asking ?hashes=: ${RATIO2}× ($(target "$RATIO2" ge 10))"
  summarize "user page essaim/reference ≥ 10× (whole list)" "${RATIO}×" "$(target "$RATIO" ge 10)"
  summarize "user page essaim/reference ≥ 10× (?hashes=)" "${RATIO2}×" "$(target "$RATIO2" ge 10)"
fi
ratio100() { awk -v e="$1" -v q="$2" 'BEGIN {if (q > 0) printf "%.0f", e/q; else print "-"}'; }
TI=$(ratio100 "${R[essaim_tool_info]:-0}" "${R[qbt_info_c1]:-0}")
TM=$(ratio100 "${R[essaim_tool_md]:-0}" "${R[qbt_md_c1]:-0}")
summarize "tools: torrents/info essaim/qBittorrent ≥ 100×" "${TI}× (${R[essaim_tool_info]:-?} vs ${R[qbt_info_c1]:-?} req/s)" "$(target "$TI" ge 100)"
summarize "tools: sync/maindata?rid=0 essaim/qBittorrent ≥ 100×" "${TM}× (${R[essaim_tool_md]:-?} vs ${R[qbt_md_c1]:-?} req/s)" "$(target "$TM" ge 100)"
summarize "essaim user page ≥ 20000 req/s" "${R[essaim_user]} req/s" "${R[essaim_user_target]} (${R[essaim_user_cpu]}; with gzip, as browsers ask: ${R[essaim_user_gz]} req/s)"


# ---------------------------------------------------------------- memory
echo
echo "Memory (VmRSS):"
MEMF='| %-60s | %10s | %s\n'
printf "$MEMF" "process, state" "RSS" "target"
printf '|%s|\n' "--------------------------------------------------------------|------------|--------"
printf "$MEMF" "essaim idle, just started (no qBittorrent)" "$(mib "${R[rss_idle]}")" "< 20 MiB: $(target "$(awk -v k="${R[rss_idle]}" 'BEGIN {print k/1024}')" lt 20)"
printf "$MEMF" "essaim after the health/me runs" "$(mib "${R[rss_idle_after]}")" ""
[ -n "${R[rss_dl_peak]:-}" ] && printf "$MEMF" "essaim peak while streaming 1 GiB" "$(mib "${R[rss_dl_peak]}")" ""
printf "$MEMF" "essaim with $TORRENTS torrents cached (after a start)" "$(mib "${R[rss_cache]}")" "< 60 MiB: $(target "$(awk -v k="${R[rss_cache]}" 'BEGIN {print k/1024}')" lt 60)"
printf "$MEMF" "essaim with $TORRENTS torrents (arrived as one delta)" "$(mib "${R[rss_delta]}")" ""
printf "$MEMF" "essaim peak during the throughput runs" "$(mib "${R[rss_wrk_peak]}")" ""
[ -n "${R[rss_ws]:-}" ] && printf "$MEMF" "essaim with $TORRENTS torrents and ${R[ws_n]} WebSocket clients" "$(mib "${R[rss_ws]}")" ""
[ -n "${R[rss_flood]:-}" ] && printf "$MEMF" "Flood after its warm-up ($TORRENTS torrents)" "$(mib "${R[rss_flood]}")" "(context)"
[ -n "${R[rss_flood_peak]:-}" ] && printf "$MEMF" "Flood peak during its run" "$(mib "${R[rss_flood_peak]}")" "(context)"
[ -n "${R[rss_ref_all]:-}" ] && printf "$MEMF" "reference peak (whole list)" "$(mib "${R[rss_ref_all]}")" "(context)"
[ -n "${R[rss_ref_hashes]:-}" ] && printf "$MEMF" "reference peak (?hashes=)" "$(mib "${R[rss_ref_hashes]}")" "(context)"
printf "$MEMF" "qbittorrent-nox with $TORRENTS torrents, at the end" "$(mib "$(rss_kb "$(qbt_pid)")")" "(context)"
summarize "essaim RSS idle < 20 MiB" "$(mib "${R[rss_idle]}")" "$(target "$(awk -v k="${R[rss_idle]}" 'BEGIN {print k/1024}')" lt 20)"
summarize "essaim RSS with $TORRENTS torrents < 60 MiB" "$(mib "${R[rss_cache]}")" "$(target "$(awk -v k="${R[rss_cache]}" 'BEGIN {print k/1024}')" lt 60)"

echo
echo "Targets (reported, never fatal):"
printf '  %s\n' "${SUMMARY[@]}"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews every figure)"
