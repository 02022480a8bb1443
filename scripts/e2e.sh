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
# The page tour (e2e/screenshots.spec.ts "pages W theme") checks every page's header at each
# width; the theme does not change a layout, so `make test` walks it in the light theme only —
# `make screenshots` takes both (CI keeps its margin under its 40-min budget).
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm run --silent e2e -- --grep-invert "pages [0-9]+ dark$" "$@"
