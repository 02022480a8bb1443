"""Signed downloads, end to end, against real parts.

A torrent whose files have every awkward name (spaces, accents, `#`, `?`, `%`, `+`, `&`, quotes,
emoji, NFD) is created with mktorrent, seeded by the swarm's seeder and downloaded to 100 % by the
real qbittorrent-nox through essaim. Then the links essaim signs are fetched:
  - from a real nginx configured with the snippet `essaim nginx-snippet` prints (nginx mode);
  - from essaim itself (direct mode), with the same assertions;
and the Metalink file is handed to Debian's aria2c.
"""

import base64
import hashlib
import http.client
import io
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.parse
import zipfile
from pathlib import Path

import pytest

import swarm as sw
from conftest import Browser, assert_error, free_port, run_cli, unique_name

pytestmark = pytest.mark.timeout(180)

SECRET = "s3cr3t-de-test-pour-nginx-0123456789"
TOP = "Dossier été [2024] #1"
ODD_FILES = {
    "plain.txt": b"bonjour\n",
    "with space.txt": b"espace\n",
    "trailing space .txt": b"fin\n",
    "Amélie et François ça.txt": "é à ç\n".encode(),
    "cafe\u0301-nfd.txt": b"nfd\n",
    "日本語.txt": b"nihongo\n",
    "hash#tag.txt": b"diese\n",
    "quest?ion.txt": b"question\n",
    "percent%.txt": b"pourcent\n",
    "100%25 pure.txt": b"pur\n",
    "plus+plus.txt": b"plus\n",
    "semi;colon&amp=eq.txt": b"esperluette\n",
    "quotes'\"<>.txt": b"guillemets\n",
    "brackets[1]{2}(3).txt": b"crochets\n",
    "emoji 🐝 essaim.txt": b"abeille\n",
    "sous dossier ç/épisode 01 (VOSTFR).mkv": bytes(range(256)) * 1200,  # 300 KiB: Range tests
    "..dots...txt": b"points\n",
}
BIG = "sous dossier ç/épisode 01 (VOSTFR).mkv"


# ---------------------------------------------------------------------------------------------
# The torrent with odd names, seeded once per module
# ---------------------------------------------------------------------------------------------


def make_content(base: Path, files: dict) -> Path:
    top = base / TOP
    for name, data in files.items():
        p = top / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    return top


def make_torrent(content: Path, out: Path, tracker: str) -> bytes:
    subprocess.run(["mktorrent", "-l", "15", "-a", tracker, "-o", str(out), str(content)],
                   check=True, capture_output=True)
    return out.read_bytes()


@pytest.fixture(scope="module")
def odd_torrent(swarm):
    base = swarm.dir / "odd-content"
    if base.exists():
        shutil.rmtree(base)
    top = make_content(base, ODD_FILES)
    data = make_torrent(top, swarm.dir / "odd.torrent",
                        f"http://127.0.0.1:{swarm.ports['TRACKER_PORT']}/announce")
    assert swarm.seed.add(files=[("odd.torrent", data)], savepath=str(base)) in ("Ok.", "Fails.")

    def seeding():
        ts = [t for t in swarm.seed.info() if t["name"] == TOP]
        return ts and ts[0]["progress"] == 1 and ts[0]["state"] in sw.COMPLETE_STATES and ts[0]
    t = sw.wait_until(seeding, 30, 0.2, "the seeder to seed the odd torrent")
    return {"bytes": data, "hash": t["hash"], "content": top}


def downloaded(portal, browser, odd_torrent) -> str:
    """Adds the odd torrent through essaim as `browser` and waits for 100 %."""
    res = sw.add_files(browser, [("odd.torrent", odd_torrent["bytes"])])
    assert res.status == 200 and res.json["results"][0]["ok"], res
    h = res.json["results"][0]["hash"]
    portal.swarm.connect_to_seed(h)
    sw.wait_until(lambda: any(t["hash"] == h and t["progress"] == 1
                              for t in sw.entries(browser)), 60, what="odd torrent at 100 %")
    return h


# ---------------------------------------------------------------------------------------------
# nginx, configured with what essaim prints
# ---------------------------------------------------------------------------------------------


class Nginx:
    def __init__(self, snippet: str, port: int, files: dict | None = None):
        """`snippet`: what `essaim nginx-snippet` prints (http part, then "# 2)" and the server
        part); `files`: name → content, written beside nginx.conf (paths relative to it)."""
        self.dir = Path(tempfile.mkdtemp(prefix="essaim-nginx-"))
        self.port = port
        for name, content in (files or {}).items():
            (self.dir / name).write_text(content, encoding="utf-8")
        http_part, _, server_part = snippet.partition("# 2)")
        user = "user root;" if os.geteuid() == 0 else ""
        temp = " ".join(f"{k} {self.dir / k};" for k in (
            "client_body_temp_path", "proxy_temp_path", "fastcgi_temp_path", "uwsgi_temp_path",
            "scgi_temp_path"))
        conf = f"""
{user}
daemon off;
worker_processes 1;
pid {self.dir}/nginx.pid;
error_log {self.dir}/error.log;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    server_tokens off;
    access_log off;
    sendfile on;
    {temp}
    {http_part}
    server {{
        listen 127.0.0.1:{port};
        # 2){server_part}
    }}
}}
"""
        (self.dir / "nginx.conf").write_text(conf, encoding="utf-8")
        self.proc = subprocess.Popen(["nginx", "-c", str(self.dir / "nginx.conf"),
                                      "-p", str(self.dir)], stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        sw.wait_until(self.up, 10, 0.1, "nginx to listen")

    def up(self) -> bool:
        if self.proc.poll() is not None:
            raise RuntimeError(f"nginx exited: {self.proc.stdout.read().decode()}\n"
                               f"{(self.dir / 'nginx.conf').read_text()}")
        try:
            http.client.HTTPConnection("127.0.0.1", self.port, timeout=1).connect()
            return True
        except OSError:
            return False

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        shutil.rmtree(self.dir, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def fetch(url: str, method: str = "GET", headers: dict | None = None):
    """Requests the URL exactly as given (no re-encoding): status, headers (lower), body."""
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    conn.request(method, u.path + ("?" + u.query if u.query else ""), headers=headers or {})
    r = conn.getresponse()
    body = r.read()
    conn.close()
    return r.status, {k.lower(): v for k, v in r.getheaders()}, body


def md5_link(uri: str, expires: int) -> str:
    d = hashlib.md5(f"{expires}{uri} {SECRET}".encode()).digest()
    return base64.urlsafe_b64encode(d).rstrip(b"=").decode()


def with_query(url: str, **changes) -> str:
    u = urllib.parse.urlsplit(url)
    q = dict(urllib.parse.parse_qsl(u.query))
    q.update(changes)
    return urllib.parse.urlunsplit(u._replace(query=urllib.parse.urlencode(q)))


def links(browser, h: str, paths: list, **extra):
    return browser.post(f"/api/torrents/{h}/links", {"paths": paths, **extra}, csrf=True)


def all_paths() -> list:
    return [f"{TOP}/{n}" for n in ODD_FILES]


@pytest.fixture(params=["nginx", "direct"])
def mode(request, swarm_clean, essaim):
    """A portal whose downloads are served by nginx, or by essaim itself."""
    root = str(swarm_clean.downloads)
    if request.param == "direct":
        env = {"ESSAIM_DOWNLOAD_ROOT": root, "ESSAIM_DOWNLOAD_SECRET": SECRET,
               "ESSAIM_DOWNLOAD_DIRECT": "1"}
        portal = sw.Portal(essaim, swarm_clean, Browser, unique_name, env=env)
        yield request.param, portal, None
        return
    port = free_port()
    env = {"ESSAIM_DOWNLOAD_ROOT": root, "ESSAIM_DOWNLOAD_SECRET": SECRET,
           "ESSAIM_DOWNLOAD_BASE_URL": f"http://127.0.0.1:{port}/dl/"}
    portal = sw.Portal(essaim, swarm_clean, Browser, unique_name, env=env)
    cli = run_cli(["nginx-snippet"], data_dir=portal.server.data_dir)
    assert cli.returncode == 0, cli.stderr
    assert SECRET in cli.stdout and f"alias {root}/;" in cli.stdout
    nginx = Nginx(cli.stdout, port)
    try:
        yield request.param, portal, nginx
    finally:
        nginx.stop()


# ---------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------


def test_every_odd_name_downloads_with_exact_bytes_range_and_clear_refusals(mode, odd_torrent):
    kind, portal, _nginx = mode
    a = portal.a
    h = downloaded(portal, a, odd_torrent)

    files = a.get(f"/api/torrents/{h}/files").json
    assert files["downloads"]["available"] is True and files["downloads"]["direct"] is (kind == "direct")
    assert sorted(f["path"] for f in files["files"]) == sorted(all_paths())
    assert all(f["downloadable"] for f in files["files"])

    res = links(a, h, all_paths())
    assert res.status == 200, res
    got = {l["path"]: l for l in res.json["links"]}
    assert set(got) == set(all_paths())
    now = time.time()
    for name, data in ODD_FILES.items():
        link = got[f"{TOP}/{name}"]
        assert 6 * 3600 - 60 < link["expires"] - now <= 6 * 3600 + 5
        status, headers, body = fetch(link["url"])
        assert status == 200, (name, link["url"], status, body[:200])
        assert body == data, name

    big = got[f"{TOP}/{BIG}"]["url"]
    data = ODD_FILES[BIG]
    status, headers, body = fetch(big, headers={"Range": "bytes=100-199"})
    assert status == 206 and body == data[100:200]
    assert headers["content-range"] == f"bytes 100-199/{len(data)}"
    status, headers, body = fetch(big, headers={"Range": "bytes=-50"})
    assert status == 206 and body == data[-50:]
    status, headers, _ = fetch(big, headers={"Range": f"bytes={len(data) + 10}-"})
    assert status == 416
    status, headers, body = fetch(big, "HEAD")
    assert status == 200 and int(headers["content-length"]) == len(data) and body == b""
    assert headers.get("accept-ranges") == "bytes"
    status, headers, _ = fetch(with_query(big, dl="1"))
    assert status == 200 and headers["content-disposition"].startswith("attachment")

    # Tampered, expired, and a signature moved to another file: refused with a French text.
    md5 = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(big).query))["md5"]
    bad = ("A" if md5[0] != "A" else "B") + md5[1:]
    status, _, body = fetch(with_query(big, md5=bad))
    assert status == 403 and "lien" in body.decode().lower(), body
    exp = int(dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(big).query))["expires"])
    status, _, _ = fetch(with_query(big, expires=str(exp + 1)))
    assert status == 403
    uri = urllib.parse.unquote(urllib.parse.urlsplit(big).path)  # /dl/<A's folder>/TOP/BIG
    assert uri == f"/dl/{a.me().json['username'].lower()}/{TOP}/{BIG}", uri
    old = int(time.time()) - 60
    status, _, body = fetch(with_query(big, md5=md5_link(uri, old), expires=str(old)))
    assert status == 410 and "expiré" in body.decode(), body
    other = got[f"{TOP}/plain.txt"]["url"]
    moved = other.split("?")[0] + "?" + urllib.parse.urlsplit(big).query
    assert fetch(moved)[0] == 403
    assert fetch(big.split("?")[0])[0] == 403  # no signature at all


def test_link_requests_are_checked_before_signing(mode, odd_torrent):
    _kind, portal, _nginx = mode
    a, b = portal.a, portal.b
    h = downloaded(portal, a, odd_torrent)
    for bad in ["../etc/passwd", "/etc/passwd", f"{TOP}/../x", f"{TOP}//plain.txt",
                f"{TOP}/./plain.txt", f"{TOP}/plain.txt\u0000.mp4", ""]:
        assert_error(links(a, h, [bad]), 422, "invalid_path", "paths")
    assert_error(links(a, h, [f"{TOP}/%2e%2e/plain.txt"]), 404, "file_not_found")
    assert_error(links(a, h, [f"{TOP}/absent.txt"]), 404, "file_not_found")
    assert_error(links(a, h, []), 422, "missing_paths")
    # B sees A's torrent (see_all) but may not download other people's files.
    assert b.get(f"/api/torrents/{h}/files").json["downloads"]["reason"] == "forbidden"
    err = assert_error(links(b, h, [f"{TOP}/plain.txt"]), 403, "forbidden")
    assert "télécharger" in err["message"]
    # The admin may — and "Tester un lien" proves the whole chain (nginx or direct).
    assert links(portal.admin, h, [f"{TOP}/plain.txt"]).status == 200
    probe = portal.admin.post("/api/admin/settings/test/downloads", {}, csrf=True).json
    assert probe["ok"] is True and probe["status"] == 206 and probe["file"].startswith(TOP), probe
    # No CSRF token: refused before anything else.
    assert a.post(f"/api/torrents/{h}/links", {"paths": [f"{TOP}/plain.txt"]}).status == 403


def test_metalink_is_downloaded_by_aria2c(mode, odd_torrent, tmp_path):
    _kind, portal, _nginx = mode
    a = portal.a
    h = downloaded(portal, a, odd_torrent)
    res = links(a, h, all_paths(), format="meta4")
    assert res.status == 200, res
    assert res.header("content-type").startswith("application/metalink4+xml")
    assert "attachment" in res.header("content-disposition")
    (tmp_path / "essaim.meta4").write_bytes(res.body)
    out = tmp_path / "out"
    r = subprocess.run(["aria2c", "-M", str(tmp_path / "essaim.meta4"), "-d", str(out),
                        "--console-log-level=warn", "--summary-interval=0", "--check-certificate=false",
                        "--allow-overwrite=true", "--auto-file-renaming=false", "-j", "4"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    for name, data in ODD_FILES.items():
        # aria2c 1.36 (libxml2 SAX without entity substitution) saves a name whose Metalink
        # attribute holds "&amp;" with a literal "&#38;": the bytes are right, the name is
        # aria2's rendering. Every other odd character survives as is.
        on_disk = name.replace("&", "&#38;")
        assert (out / TOP / on_disk).read_bytes() == data, name
    txt = links(a, h, [f"{TOP}/plain.txt", f"{TOP}/{BIG}"], format="txt")
    lines = txt.body.decode().splitlines()
    assert len(lines) == 2 and all(fetch(u)[0] == 200 for u in lines)


def test_direct_mode_zip_and_symlink_refusal(swarm_clean, essaim, odd_torrent):
    env = {"ESSAIM_DOWNLOAD_ROOT": str(swarm_clean.downloads), "ESSAIM_DOWNLOAD_SECRET": SECRET,
           "ESSAIM_DOWNLOAD_DIRECT": "1"}
    portal = sw.Portal(essaim, swarm_clean, Browser, unique_name, env=env)
    a = portal.a
    h = downloaded(portal, a, odd_torrent)
    res = a.post(f"/api/torrents/{h}/zip", {"folder": TOP}, csrf=True)
    assert res.status == 200, res
    status, headers, body = fetch(res.json["url"])
    assert status == 200 and len(body) == res.json["size"] == int(headers["content-length"])
    assert headers["content-type"] == "application/zip"
    z = zipfile.ZipFile(io.BytesIO(body))
    assert z.testzip() is None
    assert {n: z.read(n) for n in z.namelist()} == {f"{TOP}/{n}": d for n, d in ODD_FILES.items()}
    sub = a.post(f"/api/torrents/{h}/zip", {"folder": f"{TOP}/sous dossier ç"}, csrf=True)
    assert sub.status == 200 and sub.json["name"] == "sous dossier ç.zip"
    assert_error(a.post(f"/api/torrents/{h}/zip", {"folder": "../"}, csrf=True), 422,
                 "invalid_path")
    assert_error(a.post(f"/api/torrents/{h}/zip", {"folder": "Autre"}, csrf=True), 404,
                 "folder_not_found")

    # A file replaced by a symlink leading outside the root: never signed, never served.
    plain = swarm_clean.user_dir(portal.a_user["username"]) / TOP / "plain.txt"
    signed = links(a, h, [f"{TOP}/plain.txt"]).json["links"][0]["url"]
    outside = Path(tempfile.mkdtemp()) / "secret.txt"
    outside.write_text("ne pas lire")
    plain.unlink()
    plain.symlink_to(outside)
    try:
        assert_error(links(a, h, [f"{TOP}/plain.txt"]), 404, "file_not_found")
        status, _, body = fetch(signed)
        assert status == 404 and b"ne pas lire" not in body
    finally:
        plain.unlink()
        shutil.rmtree(outside.parent)


def test_nginx_refuses_symlinks_and_incomplete_files_are_not_offered(swarm_clean, essaim,
                                                                    odd_torrent, tmp_path):
    port = free_port()
    env = {"ESSAIM_DOWNLOAD_ROOT": str(swarm_clean.downloads), "ESSAIM_DOWNLOAD_SECRET": SECRET,
           "ESSAIM_DOWNLOAD_BASE_URL": f"http://127.0.0.1:{port}/dl/"}
    portal = sw.Portal(essaim, swarm_clean, Browser, unique_name, env=env)
    nginx = Nginx(run_cli(["nginx-snippet"], data_dir=portal.server.data_dir).stdout, port)
    try:
        a = portal.a
        h = downloaded(portal, a, odd_torrent)
        plain = swarm_clean.user_dir(portal.a_user["username"]) / TOP / "plain.txt"
        signed = links(a, h, [f"{TOP}/plain.txt"]).json["links"][0]["url"]
        outside = tmp_path / "secret.txt"
        outside.write_text("ne pas lire")
        plain.unlink()
        plain.symlink_to(outside)
        status, _, body = fetch(signed)
        assert status in (403, 404) and b"ne pas lire" not in body
        plain.unlink()

        # A torrent nobody seeds: its files are listed, none can be downloaded.
        lonely = make_content(tmp_path / "lonely", {"seul.bin": os.urandom(40000)})
        data = make_torrent(lonely, tmp_path / "lonely.torrent", "http://127.0.0.1:1/announce")
        res = sw.add_files(a, [("lonely.torrent", data)])
        h2 = res.json["results"][0]["hash"]
        listed = sw.wait_until(lambda: (r := a.get(f"/api/torrents/{h2}/files").json)["files"] and r,
                               15, what="files of the lonely torrent")
        assert [f["downloadable"] for f in listed["files"]] == [False]
        assert_error(links(a, h2, [f"{TOP}/seul.bin"]), 409, "file_incomplete")
        assert_error(a.post(f"/api/torrents/{h2}/zip", {"folder": TOP}, csrf=True), 409,
                     "zip_unavailable")
    finally:
        nginx.stop()


def test_downloads_not_configured_is_explained(portal, odd_torrent):
    a = portal.a
    h = downloaded(portal, a, odd_torrent)
    files = a.get(f"/api/torrents/{h}/files").json
    assert files["downloads"] == {"available": False, "reason": "not_configured", "direct": False,
                                  "zip": False, "ttl": 21600}
    assert_error(links(a, h, [f"{TOP}/plain.txt"]), 503, "downloads_not_configured")


def test_direct_mode_streams_large_files_to_slow_readers_and_cuts_a_file_that_shrinks(
        essaim, tmp_path):
    """Direct mode sends files with sendfile(2): a reader slower than the disk makes the server
    wait for room in the socket (the non-blocking path), bytes and ranges stay exact, and a file
    cut short while it is sent ends the connection early — never a complete-looking body."""
    root = tmp_path / "root"
    root.mkdir()
    data = os.urandom(24 << 20)
    name = "gros fichier été.bin"
    (root / name).write_bytes(data)
    server = essaim.start(env={"ESSAIM_DOWNLOAD_ROOT": str(root), "ESSAIM_DOWNLOAD_SECRET": SECRET,
                               "ESSAIM_DOWNLOAD_DIRECT": "1"})
    uri = f"/dl/{name}"
    expires = int(time.time()) + 600
    path = f"{urllib.parse.quote(uri)}?md5={md5_link(uri, expires)}&expires={expires}"

    def open_get(extra: str = "") -> socket.socket:
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 131072)  # before connect: a small window
        s.settimeout(15)
        s.connect(("127.0.0.1", server.port))
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n{extra}\r\n".encode())
        return s

    def read_response(s: socket.socket, before_body_done=None, pause_every=0):
        raw, head, n = bytearray(), None, 0
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            raw += chunk
            n += 1
            if head is None and b"\r\n\r\n" in raw:
                head, _, raw = raw.partition(b"\r\n\r\n")
                if before_body_done:
                    before_body_done()
            if pause_every and n % pause_every == 0:
                time.sleep(0.01)  # slower than the disk: the server waits for room
        s.close()
        return head.decode(), raw

    head, body = read_response(open_get(), pause_every=8)
    assert head.startswith("HTTP/1.1 200") and f"content-length: {len(data)}" in head.lower()
    assert hashlib.sha256(body).digest() == hashlib.sha256(data).digest()

    head, body = read_response(open_get("Range: bytes=10000000-12999999\r\n"))
    assert head.startswith("HTTP/1.1 206") and body == data[10_000_000:13_000_000]

    # Cut to 1 MiB once the header has arrived: the server must stop early and close.
    s = open_get()
    t0 = time.monotonic()
    head, body = read_response(s, before_body_done=lambda: os.truncate(root / name, 1 << 20))
    assert head.startswith("HTTP/1.1 200") and f"content-length: {len(data)}" in head.lower()
    assert len(body) < len(data) and time.monotonic() - t0 < 10, len(body)
    # Bytes up to the new end are the file's; what was queued past it before the cut is
    # whatever the page cache held then (zeros, with sendfile as with nginx): the body is short,
    # and the ETag (size + mtime) has changed, so a resuming client starts again.
    cut = min(len(body), 1 << 20)
    assert body[:cut] == data[:cut]
    etag = next(l.split(":", 1)[1].strip() for l in head.split("\r\n")
                if l.lower().startswith("etag:"))
    status, headers, again = fetch(server.base_url + path,
                                   headers={"Range": f"bytes={len(body)}-", "If-Range": etag})
    assert status == 200 and again == data[:1 << 20] and headers["etag"] != etag
    status, _, _ = fetch(server.base_url + "/api/health")
    assert status == 200 and server.proc.poll() is None
