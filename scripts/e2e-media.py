#!/usr/bin/env python3
"""Makes a torrent of a small folder (a playable video and a text file with an accented name),
has the swarm's seeder seed it, and prints the .torrent path — for the Playwright file browser
test (scripts/e2e.sh). Standard library + Debian's mktorrent.

    e2e-media.py SWARM_DIR SEED_WEBUI_PORT
"""
import http.cookiejar
import json
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
swarm_dir, seed_port = Path(sys.argv[1]), int(sys.argv[2])
base = swarm_dir / "media-seed"
top = base / "Vidéos essaim"
top.mkdir(parents=True, exist_ok=True)
shutil.copy(ROOT / "server/tests/fixtures/media/clip.webm", top / "clip été.webm")
(top / "notes").mkdir(exist_ok=True)
(top / "notes" / "à lire.txt").write_text("Bonjour depuis essaim : fichier téléchargé.\n",
                                          encoding="utf-8")
torrent = swarm_dir / "media.torrent"
if torrent.exists():
    torrent.unlink()
subprocess.run(["mktorrent", "-l", "15", "-a", "http://127.0.0.1:1/announce", "-o", str(torrent),
                str(top)], check=True, capture_output=True)

jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
url = f"http://127.0.0.1:{seed_port}/api/v2"
opener.open(urllib.request.Request(f"{url}/auth/login", data=urllib.parse.urlencode(
    {"username": "admin", "password": "adminadmin"}).encode(),
    headers={"Referer": f"http://127.0.0.1:{seed_port}"})).read()
boundary = "essaimE2Eboundary"
body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"savepath\"\r\n\r\n{base}\r\n"
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"torrents\"; filename=\"media.torrent\"\r\n"
        f"Content-Type: application/x-bittorrent\r\n\r\n").encode() + torrent.read_bytes() + \
    f"\r\n--{boundary}--\r\n".encode()
opener.open(urllib.request.Request(f"{url}/torrents/add", data=body, headers={
    "Content-Type": f"multipart/form-data; boundary={boundary}"})).read()
for _ in range(100):
    info = json.loads(opener.open(f"{url}/torrents/info").read())
    mine = [t for t in info if t["name"] == top.name]
    if mine and mine[0]["progress"] == 1 and mine[0]["state"] in ("uploading", "stalledUP"):
        break
    time.sleep(0.2)
else:
    sys.exit("e2e-media: the seeder did not seed the media torrent")
print(torrent)
