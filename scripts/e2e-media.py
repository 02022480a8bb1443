#!/usr/bin/env python3
"""Makes two torrents — a small folder with a playable video and an accented text file (file
browser test), and a small album (notifications test: it must complete while the page is open)
— has the swarm's seeder seed them, and prints both .torrent paths, one per line
(scripts/e2e.sh). Standard library + Debian's mktorrent.

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
album = base / "Musique essaim"
album.mkdir(parents=True, exist_ok=True)
for i in range(3):
    (album / f"piste {i + 1}.bin").write_bytes(bytes((i * 7 + j) % 251 for j in range(300_000)))


def make(folder: Path, out: Path) -> Path:
    if out.exists():
        out.unlink()
    subprocess.run(["mktorrent", "-l", "15", "-a", "http://127.0.0.1:1/announce", "-o", str(out),
                    str(folder)], check=True, capture_output=True)
    return out


torrent = make(top, swarm_dir / "media.torrent")
album_torrent = make(album, swarm_dir / "album.torrent")

jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
url = f"http://127.0.0.1:{seed_port}/api/v2"
opener.open(urllib.request.Request(f"{url}/auth/login", data=urllib.parse.urlencode(
    {"username": "admin", "password": "adminadmin"}).encode(),
    headers={"Referer": f"http://127.0.0.1:{seed_port}"})).read()
boundary = "essaimE2Eboundary"
for t in (torrent, album_torrent):
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"savepath\"\r\n\r\n{base}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"torrents\"; filename=\"{t.name}\"\r\n"
            f"Content-Type: application/x-bittorrent\r\n\r\n").encode() + t.read_bytes() + \
        f"\r\n--{boundary}--\r\n".encode()
    opener.open(urllib.request.Request(f"{url}/torrents/add", data=body, headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}"})).read()
for _ in range(100):
    info = json.loads(opener.open(f"{url}/torrents/info").read())
    ready = [t for t in info if t["name"] in (top.name, album.name) and t["progress"] == 1
             and t["state"] in ("uploading", "stalledUP")]
    if len(ready) == 2:
        break
    time.sleep(0.2)
else:
    sys.exit("e2e-media: the seeder did not seed the media torrents")
print(torrent)
print(album_torrent)
