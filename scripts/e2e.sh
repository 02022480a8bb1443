#!/usr/bin/env bash
# Runs the Playwright suite (web/e2e) against the real essaim binary, with a real loopback
# BitTorrent swarm (scripts/local-swarm.sh on free ports) for the torrent scenarios:
# ESSAIM_E2E_SWARM carries its qBittorrent URL, credentials, a magnet and a .torrent file.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
JPID=""
cleanup() {
  [ -n "$JPID" ] && kill "$JPID" 2>/dev/null
  "$ROOT/scripts/local-swarm.sh" stop "$DIR/swarm" >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT
QP=$(free_port); SWP=$(free_port); SBP=$(free_port)
OUT=$(WEBUI_PORT=$QP SEED_WEBUI_PORT=$SWP BT_PORT=$(free_port) SEED_BT_PORT=$SBP \
      TRACKER_PORT=$(free_port) "$ROOT/scripts/local-swarm.sh" start "$DIR/swarm")
# A folder with a playable video, seeded too (file browser, download and player tests).
MEDIA_OUT=$(python3 "$ROOT/scripts/e2e-media.py" "$DIR/swarm" "$SWP")
MEDIA=$(sed -n 1p <<<"$MEDIA_OUT"); ALBUM=$(sed -n 2p <<<"$MEDIA_OUT")
MAGNET=$(awk '/^Magnet:/ && /sample-single/ {print $2}' <<<"$OUT")
TORRENT=$(awk '/^Torrent:/ && /sample-multi/ {print $2}' <<<"$OUT")
# A fake Jackett (server/tests/integration/fake_jackett.py) whose results point at the swarm.
JKEY=e2e-jackett-key
python3 "$ROOT/server/tests/integration/fake_jackett.py" "$JKEY" "$TORRENT" "$MAGNET" >"$DIR/jackett.url" 2>"$DIR/jackett.log" &
JPID=$!
for _ in $(seq 1 50); do [ -s "$DIR/jackett.url" ] && break; sleep 0.1; done
JURL=$(head -1 "$DIR/jackett.url")
export ESSAIM_E2E_SWARM=$(python3 -c 'import json,sys; print(json.dumps({"qbt_url":sys.argv[1],"qbt_username":"admin","qbt_password":"adminadmin","magnet":sys.argv[2],"torrent_file":sys.argv[3],"jackett_url":sys.argv[4],"jackett_key":sys.argv[5],"media_torrent":sys.argv[6],"seed_peer":sys.argv[7],"downloads_dir":sys.argv[8],"album_torrent":sys.argv[9]}))' \
  "http://127.0.0.1:$QP" "$MAGNET" "$TORRENT" "$JURL" "$JKEY" "$MEDIA" "127.0.0.1:$SBP" "$DIR/swarm/downloads" "$ALBUM")
cd "$ROOT/web"
# The tours that repeat one walk per width and theme run, in `make test`, once per width and
# once per theme rather than for every pair, which keeps CI within its 40-min budget: the page
# tour (screenshots.spec.ts "pages W theme": the header at each width; a theme changes no layout)
# in the light theme, at 1280 and 390 (1024's columns are list.spec.ts's own test); axe's walk (a11y.spec.ts: colour contrast is per theme) at 1280 light and
# 390 dark; the picture tours (screenshots, stockage) desktop light and phone dark.
# E2E_ALL=1 runs every pair; `make screenshots` takes the page tour in both themes.
SKIP='^$'
[ "${E2E_ALL:-0}" = 1 ] || SKIP='pages [0-9]+ dark$|pages 1024 light$|a11y 1280 dark$|a11y 390 light$|(screenshots|stockage) bureau dark$|(screenshots|stockage) telephone light$'
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm run --silent e2e -- --grep-invert "$SKIP" "$@"
