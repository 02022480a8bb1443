#!/usr/bin/env python3
"""Writes the hand-picked seed inputs of every fuzz target into server/fuzz/corpus/<target>/.

The corpora in the repository are these seeds plus what `make fuzz-long` found and merged
(`-merge=1` keeps only inputs that add coverage). Seeds are named `seed-*`; re-running this
script rewrites them and leaves the merged inputs alone."""
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "server" / "fuzz" / "corpus"
FIX = ROOT / "server" / "tests" / "fixtures"
H40 = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a"
H64 = "1220" + "d2474e86c95b19b8bcfdb92bc12c9d44667cfa36d2474e86c95b19b8bcfdb92b"


def write(target: str, name: str, data: bytes) -> None:
    d = OUT / target
    d.mkdir(parents=True, exist_ok=True)
    (d / f"seed-{name}").write_bytes(data)


def main() -> int:
    for f in sorted((FIX / "torrents").glob("*.torrent")):
        write("fuzz_bencode", f.stem, f.read_bytes())
        write("fuzz_metainfo", f.stem, f.read_bytes())
    write("fuzz_bencode", "nested", b"d1:ald1:bi-3eee1:c0:1:di9223372036854775807ee")

    magnets = {
        "v1": f"magnet:?xt=urn:btih:{H40}&dn=Debian%2012&tr=udp%3A%2F%2Ftracker.example%3A80",
        "v1-base32": "magnet:?xt=urn:btih:YEX6DQDLXISUVHOJ6ZNTGNK2PQJWPKEK&dn=x",
        "v2": f"magnet:?xt=urn:btmh:{H64}&dn=v2",
        "hybrid": f"magnet:?xt=urn:btih:{H40}&xt=urn:btmh:{H64}&dn=h&xl=1024&ws=http%3A%2F%2Fa%2Fb",
        "plus": f"magnet:?dn=a+b%20c&xt=urn:btih:{H40.upper()}&x.pe=127.0.0.1:6881",
    }
    for k, v in magnets.items():
        write("fuzz_magnet", k, v.encode())

    write("fuzz_jackett", "sample", (FIX / "jackett" / "sample.json").read_bytes())
    write("fuzz_jackett", "empty", b'{"Results":[],"Indexers":[]}')

    boundary = "----essaim7MA4YWxkTrZu0gW"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"torrents\"; filename=\"a b.torrent\"\r\n"
            f"Content-Type: application/x-bittorrent\r\n\r\n").encode() + \
        (FIX / "torrents" / "v1-single.torrent").read_bytes() + \
        (f"\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"paused\"\r\n\r\ntrue\r\n"
         f"--{boundary}--\r\n").encode()
    write("fuzz_multipart", "upload", f"multipart/form-data; boundary={boundary}\n".encode() + body)
    write("fuzz_multipart", "quoted", b'multipart/form-data; boundary="x y"\n--x y\r\n\r\n\r\n--x y--')

    for k, v in {
        "path": "/api/torrents/abc%2Fdef/files?scope=all&q=%C3%A9t%C3%A9",
        "cookie": "essaim_session=eyJhbGciOiJIUzI1NiJ9.e30.x; essaim_csrf=abc",
        "json": '{"username":"élodie","n":12,"b":true,"nested":{"a":[1,2,3]}}',
    }.items():
        write("fuzz_http_input", k, v.encode())

    write("fuzz_jwt", "hs256",
          b"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOjEsInNpZCI6ImFiYyIsInR2IjoxLCJleHAiOjIwMDB9."
          b"c2lnbmF0dXJl")
    write("fuzz_jwt", "none", b"eyJhbGciOiJub25lIn0.eyJzdWIiOjF9.")

    for k, v in {
        "uri": "/dl/Films/L%27%C3%A9t%C3%A9%20%5B1080p%5D/a%20b.mkv",
        "dots": "/dl/a/./b/../../../etc/passwd",
        "clean": "Séries/S01/épisode 01.mkv",
        "signed": "/dl/a b|/dl/a%20b",
        "range": "bytes=0-1023",
        "suffix": "bytes=-500",
    }.items():
        write("fuzz_download_paths", k, v.encode())

    methods = {"GET": 0, "POST": 1, "PATCH": 2, "DELETE": 3, "HEAD": 4, "PUT": 5}
    for k, (m, p) in {
        "files": ("GET", f"/api/torrents/{H40}/files"),
        "pause": ("POST", f"/api/torrents/{H40}/pause/"),
        "encoded": ("GET", "/api/torrents/a%2Fb%20c"),
        "head": ("HEAD", "/api/me"),
        "wrong-method": ("PUT", "/api/torrents"),
        "bad-escape": ("GET", "/api/%zz/x"),
        "deep": ("DELETE", "/api/a/b/c/d"),
    }.items():
        write("fuzz_router", k, bytes([methods[m]]) + p.encode())
    return 0


if __name__ == "__main__":
    sys.exit(main())
