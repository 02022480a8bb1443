"""Helpers for the torrent integration tests (standard library only).

- ``Swarm``: the loopback-only swarm of ``scripts/local-swarm.sh`` (a "main" qbittorrent-nox that
  essaim talks to, a "seed" qbittorrent-nox, opentracker) started on free ports in a temp dir.
- ``Qbt``: a small client of qBittorrent's WebUI API (4.5.x), to prepare and check what essaim
  says against qBittorrent itself.
- ``QbtInstance``: one more qbittorrent-nox (own profile, ports, downloads dir, password),
  started and killed by PID — the several qBittorrent servers of test_servers.py.
- ``WebSocket``: a tiny RFC 6455 client (text frames, ping/pong, close) for ``/api/ws``.
- ``multipart()``: a multipart/form-data encoder.
- ``StaticHttp``: a loopback HTTP server thread serving fixed answers (for ``urls`` adds).
- ``FIXTURES``: the committed .torrent fixtures and their hashes (fixtures/torrents/README.md).
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import http.server
import json
import os
import random
import re
import shutil
import signal
import socket
import struct
import subprocess
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
SCRIPT = REPO / "scripts" / "local-swarm.sh"
FIXTURES_DIR = REPO / "server" / "tests" / "fixtures" / "torrents"
QBT_USER = "admin"
QBT_PASS = "adminadmin"

# name -> (info_hash_v1, info_hash_v2, qBittorrent id, [file paths]) — from the fixtures README.
FIXTURES = {
    "v1-single": ("c999869e12776dc0cf2dd18caf6bcc523d7c48b9", None,
                  "c999869e12776dc0cf2dd18caf6bcc523d7c48b9", ["bonjour.txt"]),
    "v1-multi": ("a37782e16d22ff35c630deef836d0ac635d0826a", None,
                 "a37782e16d22ff35c630deef836d0ac635d0826a",
                 ["Dossier été/sous-dossier/b.bin", "Dossier été/sous-dossier/profond/c.txt",
                  "Dossier été/épisode 01.txt"]),
    "v2-single": (None, "6505e5e97cedd0f540d350efced1a69b35dd15c91c228f098d75bd7c073bfeed",
                  "6505e5e97cedd0f540d350efced1a69b35dd15c9", ["v2 seul.bin"]),
    "v2-multi": (None, "db3e39886df22f19c6734d329fc713664849a8f99e007690088ab9d75ca1c2cc",
                 "db3e39886df22f19c6734d329fc713664849a8f9",
                 ["Série v2/1. Épisode.txt", "Série v2/extras/petit.txt",
                  "Série v2/extras/vidéo.bin"]),
    "hybrid-single": ("84a303bf5efd11253d82f7d354f0695cf309b533",
                      "e32d4aad8fcc8b5e6946b88789f5a7d6eba9141d835fa14e66285f818352e0bf",
                      "e32d4aad8fcc8b5e6946b88789f5a7d6eba9141d", ["hybride.bin"]),
    "hybrid-multi": ("d1c4758dd41875b04fc05be86797f83b5d0f1143",
                     "0415874e37ab954c1430162a46bfc28dca7b23561dfe766271688bcbbe1d59ae",
                     "0415874e37ab954c1430162a46bfc28dca7b2356",
                     ["Hybride/a.txt", "Hybride/sous-dossier/b.bin",
                      "Hybride/sous-dossier/c é.txt"]),
}
# Fixtures the seeder seeds (besides the two sample torrents of local-swarm.sh).
SEEDED_FIXTURES = ("v1-single", "v1-multi", "v2-single", "v2-multi", "hybrid-single",
                   "hybrid-multi")

# qBittorrent 4.5 states meaning "the data is complete".
COMPLETE_STATES = {"uploading", "stalledUP", "pausedUP", "stoppedUP", "queuedUP", "checkingUP",
                   "forcedUP"}


def fixture_path(name: str) -> Path:
    return FIXTURES_DIR / f"{name}.torrent"


def fixture_bytes(name: str) -> bytes:
    return fixture_path(name).read_bytes()


# --------------------------------------------------------------------------------------------
# Waiting, ports
# --------------------------------------------------------------------------------------------


def wait_until(predicate, timeout: float, interval: float = 0.2, what: str = "condition"):
    """Calls predicate() until it returns something truthy; returns that value.
    Raises AssertionError with the last value after timeout seconds."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        last = predicate()
        if last:
            return last
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}; last: "
                                 f"{str(last)[:1500]}")
        time.sleep(interval)


def _port_free(port: int, udp: bool) -> bool:
    for kind in ([socket.SOCK_STREAM, socket.SOCK_DGRAM] if udp else [socket.SOCK_STREAM]):
        s = socket.socket(socket.AF_INET, kind)
        try:
            if kind == socket.SOCK_STREAM:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        finally:
            s.close()
    return True


def pick_ports(n: int, udp: bool = True) -> list:
    """n distinct free high ports (TCP, and UDP too when udp), in a random range that the kernel
    does not hand out as ephemeral ports (those are 32768-60999 on Linux)."""
    chosen: list = []
    rng = random.Random()
    while len(chosen) < n:
        p = rng.randint(20000, 32000)
        if p not in chosen and _port_free(p, udp):
            chosen.append(p)
    return chosen


# --------------------------------------------------------------------------------------------
# multipart/form-data
# --------------------------------------------------------------------------------------------


def multipart(fields=(), files=()) -> tuple:
    """fields: [(name, value)], files: [(name, filename, bytes[, content type])]
    → (body bytes, Content-Type header value)."""
    boundary = "----essaimtest" + uuid.uuid4().hex
    out = bytearray()
    for name, value in fields:
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n"
                ).encode()
        out += value.encode() if isinstance(value, str) else value
        out += b"\r\n"
    for f in files:
        name, filename, data = f[0], f[1], f[2]
        ctype = f[3] if len(f) > 3 else "application/x-bittorrent"
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; "
                f"filename=\"{filename}\"\r\nContent-Type: {ctype}\r\n\r\n").encode()
        out += data
        out += b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"


# --------------------------------------------------------------------------------------------
# qBittorrent WebUI client
# --------------------------------------------------------------------------------------------


class QbtError(RuntimeError):
    pass


class Qbt:
    """qBittorrent WebUI API client (one SID). Never retries a login that failed: qBittorrent
    bans an IP after 5 failures and every test shares 127.0.0.1."""

    def __init__(self, port: int, username: str = QBT_USER, password: str = QBT_PASS):
        self.port = port
        self.username = username
        self.password = password
        self.sid: str | None = None
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _http(self, method: str, path: str, body: bytes | None = None,
              headers: dict | None = None, timeout: float = 15.0) -> tuple:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            return r.status, r.read(), r.getheader("Set-Cookie") or ""
        finally:
            conn.close()

    def try_login(self, password: str | None = None) -> tuple:
        """One login attempt → (status, body text). Stores the SID on success."""
        body = urllib.parse.urlencode({"username": self.username,
                                       "password": self.password if password is None
                                       else password}).encode()
        status, data, cookie = self._http(
            "POST", "/api/v2/auth/login", body,
            {"Content-Type": "application/x-www-form-urlencoded"})
        text = data.decode("utf-8", "replace")
        if status == 200 and text == "Ok.":
            m = re.search(r"SID=([^;]+)", cookie)
            self.sid = m.group(1) if m else None
        return status, text

    def login(self) -> None:
        status, text = self.try_login()
        if not (status == 200 and text == "Ok."):
            raise QbtError(f"qBittorrent :{self.port} login failed: {status} {text!r}")

    def call(self, method: str, endpoint: str, *, query: dict | None = None,
             form: dict | None = None, body: bytes | None = None,
             content_type: str | None = None, timeout: float = 15.0) -> tuple:
        """→ (status, body text). Logs in first / again after a 403 (expired SID)."""
        path = "/api/v2/" + endpoint
        if query:
            path += "?" + urllib.parse.urlencode(query)
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            content_type = "application/x-www-form-urlencoded"
        for attempt in range(2):
            if self.sid is None:
                self.login()
            headers = {"Cookie": f"SID={self.sid}"}
            if content_type:
                headers["Content-Type"] = content_type
            status, data, _ = self._http(method, path, body, headers, timeout)
            if status == 403 and attempt == 0:
                self.sid = None
                continue
            return status, data.decode("utf-8", "replace")
        raise AssertionError("unreachable")

    def ok(self, method: str, endpoint: str, **kw) -> str:
        status, text = self.call(method, endpoint, **kw)
        if status != 200:
            raise QbtError(f"{method} {endpoint} → {status} {text[:300]!r}")
        return text

    def json(self, endpoint: str, **query):
        return json.loads(self.ok("GET", endpoint, query=query or None))

    # Torrents -----------------------------------------------------------------------------

    def info(self, hashes: str | None = None) -> list:
        return self.json("torrents/info", **({"hashes": hashes} if hashes else {}))

    def torrent(self, qbt_id: str) -> dict | None:
        t = self.info(qbt_id)
        return t[0] if t else None

    def hashes(self) -> set:
        return {t["hash"] for t in self.info()}

    def find(self, any_hash: str) -> dict | None:
        """The torrent whose hash, infohash_v1 or infohash_v2 is any_hash."""
        for t in self.info():
            if any_hash in (t["hash"], t.get("infohash_v1"), t.get("infohash_v2")):
                return t
        return None

    def files(self, qbt_id: str) -> list:
        return self.json("torrents/files", hash=qbt_id)

    def add(self, *, urls: list | None = None, files: list | None = None,
            savepath: str | None = None, tags: str | None = None,
            paused: bool | None = None) -> str:
        """files: [(filename, bytes)]. Returns the text answer ("Ok." / "Fails.")."""
        fields = []
        if urls:
            fields.append(("urls", "\n".join(urls)))
        if savepath:
            fields.append(("savepath", savepath))
        if tags:
            fields.append(("tags", tags))
        if paused is not None:
            fields.append(("paused", "true" if paused else "false"))
        body, ctype = multipart(fields, [("torrents", n, d) for n, d in (files or [])])
        return self.ok("POST", "torrents/add", body=body, content_type=ctype)

    def add_peers(self, qbt_id: str, peers: list) -> str:
        return self.ok("POST", "torrents/addPeers",
                       form={"hashes": qbt_id, "peers": "|".join(peers)})

    def delete(self, hashes: str, delete_files: bool) -> None:
        self.ok("POST", "torrents/delete",
                form={"hashes": hashes, "deleteFiles": "true" if delete_files else "false"})

    def pause(self, hashes: str) -> None:
        self.ok("POST", "torrents/pause", form={"hashes": hashes})

    def resume(self, hashes: str) -> None:
        self.ok("POST", "torrents/resume", form={"hashes": hashes})

    def delete_all(self, timeout: float = 20.0) -> None:
        """Deletes every torrent (and its files) and waits until qBittorrent lists none."""
        if self.info():
            self.delete("all", True)
            wait_until(lambda: not self.info(), timeout, 0.2, "an empty qBittorrent")

    def wait_listed(self, any_hash: str, timeout: float = 10.0) -> dict:
        return wait_until(lambda: self.find(any_hash), timeout, 0.1,
                          f"{any_hash} listed by qBittorrent :{self.port}")

    def wait_complete(self, qbt_id: str, timeout: float = 30.0) -> dict:
        def done():
            t = self.torrent(qbt_id)
            return t if t and t["progress"] == 1 and t["state"] in COMPLETE_STATES else None
        return wait_until(done, timeout, 0.25, f"{qbt_id} complete in qBittorrent")


# --------------------------------------------------------------------------------------------
# The swarm
# --------------------------------------------------------------------------------------------

MAGNET_RE = re.compile(r"^Magnet:\s+(magnet:\S+)", re.M)
TORRENT_RE = re.compile(r"^Torrent:\s+(\S+\.torrent)\s+infohash\s+([0-9a-f]{40})", re.M)


class Swarm:
    """local-swarm.sh on free ports. Attributes after start():
    main / seed (Qbt), ports (dict), dir (Path), torrents {"sample-single": (path, btih), ...},
    magnets {"sample-single": magnet, "sample-multi": magnet}, downloads (Path)."""

    def __init__(self, directory: Path):
        self.dir = Path(directory)
        w, sw, bt, sbt, tr = pick_ports(5)
        self.ports = {"WEBUI_PORT": w, "SEED_WEBUI_PORT": sw, "BT_PORT": bt,
                      "SEED_BT_PORT": sbt, "TRACKER_PORT": tr}
        self.main = Qbt(w)
        self.seed = Qbt(sw)
        self.torrents: dict = {}
        self.magnets: dict = {}
        self.output = ""
        self._main_proc: subprocess.Popen | None = None  # set once start_main() restarted it

    @property
    def downloads(self) -> Path:
        return self.dir / "downloads"

    @property
    def seed_peer(self) -> str:
        return f"127.0.0.1:{self.ports['SEED_BT_PORT']}"

    @property
    def main_url(self) -> str:
        return self.main.url

    @property
    def main_log(self) -> Path:
        return self.dir / "main" / "qBittorrent" / "data" / "logs" / "qbittorrent.log"

    def _env(self) -> dict:
        env = dict(os.environ)
        env.update({k: str(v) for k, v in self.ports.items()})
        env["QBT_USER"], env["QBT_PASS"] = QBT_USER, QBT_PASS
        path = env.get("PATH", "")
        if "/usr/bin" not in path.split(":"):
            env["PATH"] = (path + ":" if path else "") + "/usr/bin:/bin"
        return env

    def _script(self, cmd: str, timeout: float = 90.0) -> subprocess.CompletedProcess:
        return subprocess.run(["bash", str(SCRIPT), cmd, str(self.dir)], env=self._env(),
                              stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              timeout=timeout)

    def start(self) -> None:
        r = self._script("start")
        if r.returncode != 0:
            raise RuntimeError(f"local-swarm.sh start failed ({r.returncode}):\n{r.stdout}\n"
                               f"{r.stderr}")
        self.output = r.stdout
        for path, h in TORRENT_RE.findall(r.stdout):
            self.torrents[Path(path).stem] = (Path(path), h)
        for m in MAGNET_RE.findall(r.stdout):
            name = urllib.parse.parse_qs(urllib.parse.urlparse(m).query)["dn"][0]
            self.magnets[name.removesuffix(".bin")] = m
        assert set(self.torrents) == {"sample-single", "sample-multi"}, r.stdout
        assert set(self.magnets) == {"sample-single", "sample-multi"}, r.stdout
        self.main.login()
        self.seed.login()

    def stop(self) -> None:
        self._reap_main(terminate=True)
        self._script("stop", timeout=120)

    def _reap_main(self, terminate: bool = False) -> None:
        """The main instance restarted by start_main() is our child: reap it (a zombie would
        look alive to local-swarm.sh stop, which would then wait 30 s for it)."""
        p = self._main_proc
        if p is None:
            return
        if terminate and p.poll() is None:
            p.terminate()
        try:
            p.wait(30)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(5)
        self._main_proc = None

    def seed_fixtures(self, names=SEEDED_FIXTURES, timeout: float = 30.0) -> None:
        """Makes the seeder seed the committed fixtures. Their content is copied first into the
        swarm dir, so that qBittorrent never writes into the repository."""
        content = self.dir / "fixture-content"
        for name in names:
            src = FIXTURES_DIR / "content" / name
            dst = content / name
            if not dst.exists():
                shutil.copytree(src, dst)
            r = self.seed.add(files=[(f"{name}.torrent", fixture_bytes(name))],
                              savepath=str(dst))
            assert r in ("Ok.", "Fails."), r  # Fails. = already there
        ids = {FIXTURES[n][2] for n in names}

        def seeding():
            ts = {t["hash"]: t for t in self.seed.info("|".join(ids))}
            return len(ts) == len(ids) and all(
                t["progress"] == 1 and t["state"] in COMPLETE_STATES for t in ts.values())
        wait_until(seeding, timeout, 0.25, "the seeder to seed the fixtures")

    def clean(self, timeout: float = 20.0) -> None:
        """Empties the main instance: deletes every torrent with its files, waits until the
        files are gone (qBittorrent deletes them asynchronously) and removes any leftover."""
        self.ensure_main()
        self.main.delete_all(timeout)
        self.downloads.mkdir(parents=True, exist_ok=True)
        # qBittorrent deletes files after it stops listing the torrent, behind the disk writes
        # still queued: let it finish (seconds on a loaded machine) rather than remove them under
        # it — a late deletion once hit the next test's torrent of the same name (state "error").
        # Users' folders stay behind (qBittorrent deletes files, not the folders it made): wait
        # for the files only.
        def no_files():
            for _, _, names in os.walk(self.downloads):  # ignores what vanishes meanwhile
                if names:
                    return False
            return True
        try:
            wait_until(no_files, 10, 0.1, "an empty downloads dir")
        except AssertionError:
            pass
        for p in self.downloads.iterdir():
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink(missing_ok=True)

    def user_dir(self, username: str) -> Path:
        """Where essaim saves `username`'s torrents: their own folder under the downloads dir
        (the lower-case user name for accounts whose name was free on disk)."""
        return self.downloads / username.lower()

    def connect_to_seed(self, any_hash: str, timeout: float = 10.0) -> str:
        """Waits until the main instance lists the torrent (by hash, v1 or v2), then tells it
        where the seeder is (opentracker only knows the sample torrents). Returns the id used."""
        t = self.main.wait_listed(any_hash, timeout)
        self.main.add_peers(t["hash"], [self.seed_peer])
        return t["hash"]

    # Stopping and restarting the main instance ---------------------------------------------

    def main_pid(self) -> int | None:
        f = self.dir / "main.pid"
        return int(f.read_text().strip()) if f.exists() else None

    def stop_main(self, timeout: float = 30.0) -> None:
        """SIGTERM to the main qbittorrent-nox (PID from main.pid), waits until it is gone."""
        pid = self.main_pid()
        assert pid, "no main.pid"
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                # Reap it if it is our child (it is not: local-swarm.sh started it).
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            if _is_zombie(pid):
                break
            time.sleep(0.1)
        else:
            os.kill(pid, signal.SIGKILL)
        p = self._main_proc
        if p is not None and p.pid == pid:
            self._reap_main()
        self.main.sid = None

    def main_up(self) -> bool:
        try:
            s, _, _ = self.main._http("GET", "/api/v2/app/version", timeout=2)
            return s in (200, 403)
        except OSError:
            return False

    def ensure_main(self) -> None:
        """Starts the main instance again if a test left it stopped."""
        if not self.main_up():
            self.start_main()

    def start_main(self, timeout: float = 30.0) -> None:
        """Starts the main qbittorrent-nox again on the same profile and ports, the way
        local-swarm.sh does (`local-swarm.sh start DIR` cannot be used while the seeder and
        the tracker still run: it would fail on the seeder's port and then stop everything)."""
        profile = self.dir / "main"
        with open(profile / "stdout.log", "ab") as out:
            p = subprocess.Popen(
                ["qbittorrent-nox", f"--profile={profile}",
                 f"--webui-port={self.ports['WEBUI_PORT']}",
                 f"--torrenting-port={self.ports['BT_PORT']}"],
                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True, env=self._env())
        (self.dir / "main.pid").write_text(f"{p.pid}\n")
        self._main_proc = p  # keep the Popen so that it is reaped

        wait_until(self.main_up, timeout, 0.3, "the main qBittorrent WebUI")
        self.main.sid = None
        self.main.login()


def _is_zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return False


# --------------------------------------------------------------------------------------------
# Standalone qbittorrent-nox instances (several qBittorrent servers, test_servers.py)
# --------------------------------------------------------------------------------------------


def qbt_password_hash(password: str) -> str:
    """WebUI\\Password_PBKDF2 as qBittorrent >= 4.2 stores it (what local-swarm.sh's pbkdf2()
    writes): "@ByteArray(base64(salt):base64(PBKDF2-HMAC-SHA512, 100000 iter, 64 bytes))"."""
    salt = os.urandom(16)
    dk = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, 100000, 64)
    return f"@ByteArray({base64.b64encode(salt).decode()}:{base64.b64encode(dk).decode()})"


class QbtInstance:
    """One more qbittorrent-nox on loopback, configured like local-swarm.sh's "main" instance
    (its write_conf: BT on lo only, no DHT/LSD/PeX/UPnP, MultiConnectionsPerIp) with its own
    profile, WebUI and BT ports, downloads dir and WebUI password; started, killed and started
    again by PID (Popen), on the same profile and ports. It downloads from the session swarm's
    seeder (connect_to_seed) and from its tracker (the sample magnets).

    Unlike the swarm's instances, a failed WebUI login never bans 127.0.0.1 here
    (MaxAuthenticationFailCount=0): the servers tests try wrong passwords on purpose."""

    def __init__(self, directory: Path, name: str, password: str,
                 downloads: Path | None = None):
        self.dir = Path(directory)
        self.name = name
        self.profile = self.dir / name
        self.downloads = Path(downloads) if downloads is not None else self.profile / "downloads"
        self.password = password
        self.webui_port, self.bt_port = pick_ports(2)
        self.qbt = Qbt(self.webui_port, QBT_USER, password)
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.webui_port}"

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None and self.proc.poll() is None else None

    @property
    def log(self) -> Path:
        return self.profile / "qBittorrent" / "data" / "logs" / "qbittorrent.log"

    def _write_conf(self) -> None:
        conf_dir = self.profile / "qBittorrent" / "config"
        conf_dir.mkdir(parents=True, exist_ok=True)
        self.downloads.mkdir(parents=True, exist_ok=True)
        (conf_dir / "qBittorrent.conf").write_text(f"""[LegalNotice]
Accepted=true

[BitTorrent]
Session\\Port={self.bt_port}
Session\\Interface=lo
Session\\InterfaceName=lo
Session\\InterfaceAddress=127.0.0.1
Session\\MultiConnectionsPerIp=true
Session\\DHTEnabled=false
Session\\LSDEnabled=false
Session\\PeXEnabled=false
Session\\AnonymousModeEnabled=false
Session\\QueueingSystemEnabled=false
Session\\DefaultSavePath={self.downloads}
Session\\TempPathEnabled=false

[Network]
PortForwardingEnabled=false

[Preferences]
General\\Locale=en
Connection\\UPnP=false
WebUI\\Enabled=true
WebUI\\Address=127.0.0.1
WebUI\\Port={self.webui_port}
WebUI\\UseUPnP=false
WebUI\\LocalHostAuth=true
WebUI\\MaxAuthenticationFailCount=0
WebUI\\Username={QBT_USER}
WebUI\\Password_PBKDF2="{qbt_password_hash(self.password)}"
""", encoding="utf-8")

    def spawn(self) -> None:
        """Starts qbittorrent-nox (without waiting for its WebUI: see wait_up)."""
        assert self.pid is None, f"{self.name} already runs (pid {self.pid})"
        if not (self.profile / "qBittorrent" / "config" / "qBittorrent.conf").exists():
            self._write_conf()
        env = dict(os.environ)
        path = env.get("PATH", "")
        if "/usr/bin" not in path.split(":"):
            env["PATH"] = (path + ":" if path else "") + "/usr/bin:/bin"
        with open(self.profile / "stdout.log", "ab") as out:
            self.proc = subprocess.Popen(
                ["qbittorrent-nox", f"--profile={self.profile}",
                 f"--webui-port={self.webui_port}", f"--torrenting-port={self.bt_port}"],
                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True, env=env)

    def up(self) -> bool:
        try:
            s, _, _ = self.qbt._http("GET", "/api/v2/app/version", timeout=2)
            return s in (200, 403)
        except OSError:
            return False

    def wait_up(self, timeout: float = 30.0) -> None:
        """Waits for the WebUI, logs in, and waits until qBittorrent knows its free space (it
        says 0 until its first check: essaim would think the disk full)."""
        def ready():
            if self.proc is None or self.proc.poll() is not None:
                raise RuntimeError(f"{self.name}: qbittorrent-nox exited "
                                   f"({None if self.proc is None else self.proc.returncode}): "
                                   f"{(self.profile / 'stdout.log').read_text()[-1500:]}")
            return self.up()
        wait_until(ready, timeout, 0.2, f"{self.name}'s WebUI on :{self.webui_port}")
        self.qbt.sid = None
        self.qbt.login()
        wait_until(lambda: self.free_space() > 0, timeout, 0.3, f"{self.name}'s free space")

    def start(self, timeout: float = 30.0) -> None:
        self.spawn()
        self.wait_up(timeout)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30.0) -> None:
        """Sends `sig` to this instance's PID only and reaps it (SIGKILL after `timeout`)."""
        p = self.proc
        if p is None:
            return
        if p.poll() is None:
            try:
                p.send_signal(sig)
            except ProcessLookupError:
                pass
            try:
                p.wait(timeout)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(10)
        self.proc = None
        self.qbt.sid = None

    def kill(self) -> None:
        """kill -9: the crash of a qBittorrent server."""
        self.stop(signal.SIGKILL)

    def ensure_up(self) -> None:
        if self.pid is None or not self.up():
            self.stop()
            self.start()

    def free_space(self) -> int:
        try:
            state = self.qbt.json("sync/maindata", rid="0").get("server_state", {})
        except (OSError, QbtError):
            return 0
        return int(state.get("free_space_on_disk") or 0)

    def has_resume_data(self, qbt_id: str) -> bool:
        """qBittorrent has saved this torrent in its profile (it survives a kill -9)."""
        return (self.profile / "qBittorrent" / "data" / "BT_backup"
                / f"{qbt_id}.fastresume").exists()

    def connect_to_seed(self, swarm: "Swarm", any_hash: str, timeout: float = 10.0) -> str:
        """Swarm.connect_to_seed for this instance: waits until it lists the torrent, then
        tells it where the session swarm's seeder is. Returns qBittorrent's id."""
        t = self.qbt.wait_listed(any_hash, timeout)
        self.qbt.add_peers(t["hash"], [swarm.seed_peer])
        return t["hash"]

    def clean(self, timeout: float = 20.0) -> None:
        """Running, without any torrent, with an empty downloads dir (as Swarm.clean)."""
        self.ensure_up()
        self.qbt.delete_all(timeout)
        self.downloads.mkdir(parents=True, exist_ok=True)

        def no_files():
            return all(not names for _, _, names in os.walk(self.downloads))
        try:
            wait_until(no_files, 10, 0.1, f"{self.name}'s downloads dir empty")
        except AssertionError:
            pass
        for p in self.downloads.iterdir():
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink(missing_ok=True)


# --------------------------------------------------------------------------------------------
# WebSocket client
# --------------------------------------------------------------------------------------------

WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class WebSocketRefused(Exception):
    def __init__(self, status: int, body: bytes, headers: dict):
        super().__init__(f"WebSocket handshake refused: {status} {body[:300]!r}")
        self.status = status
        self.body = body
        self.headers = headers

    @property
    def json(self):
        try:
            return json.loads(self.body.decode("utf-8"))
        except ValueError:
            return None


class WebSocket:
    """Minimal client: connect (handshake), recv() text messages, answers pings, close()."""

    def __init__(self, port: int, path: str = "/api/ws", *, cookie: str | None = None,
                 origin: str | None = "auto", timeout: float = 10.0):
        self.port = port
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buf = b""
        self.closed = False
        self.close_code: int | None = None
        key = base64.b64encode(os.urandom(16)).decode()
        lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Upgrade: websocket",
                 "Connection: Upgrade", f"Sec-WebSocket-Key: {key}",
                 "Sec-WebSocket-Version: 13"]
        if origin == "auto":
            origin = f"http://127.0.0.1:{port}"
        if origin:
            lines.append(f"Origin: {origin}")
        if cookie:
            lines.append(f"Cookie: {cookie}")
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        while b"\r\n\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError(f"closed during the handshake: {self.buf[:300]!r}")
            self.buf += chunk
        head, _, self.buf = self.buf.partition(b"\r\n\r\n")
        hl = head.decode("latin-1").split("\r\n")
        status = int(hl[0].split()[1])
        headers = {}
        for line in hl[1:]:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        if status != 101:
            n = int(headers.get("content-length", "0"))
            try:
                while len(self.buf) < n:
                    chunk = self.sock.recv(65536)
                    if not chunk:
                        break
                    self.buf += chunk
            except OSError:
                pass
            self.sock.close()
            raise WebSocketRefused(status, self.buf[:n] if n else self.buf, headers)
        expected = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
        if headers.get("sec-websocket-accept") != expected:
            self.sock.close()
            raise ConnectionError(f"bad Sec-WebSocket-Accept: {headers}")

    def _read_exact(self, n: int, deadline: float) -> bytes:
        while len(self.buf) < n:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                raise TimeoutError from None
            if not chunk:
                raise ConnectionError("connection closed")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def _send(self, opcode: int, payload: bytes = b"") -> None:
        head = bytes([0x80 | opcode])
        n = len(payload)
        if n < 126:
            head += bytes([0x80 | n])
        elif n < 65536:
            head += bytes([0x80 | 126]) + struct.pack("!H", n)
        else:
            head += bytes([0x80 | 127]) + struct.pack("!Q", n)
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(head + mask + masked)

    def recv(self, timeout: float = 5.0) -> str | None:
        """Next text message, or None on timeout. Raises ConnectionError once closed."""
        if self.closed:
            raise ConnectionError(f"WebSocket closed (code {self.close_code})")
        deadline = time.monotonic() + timeout
        message = b""
        try:
            while True:
                b0, b1 = self._read_exact(2, deadline)
                fin, opcode = b0 & 0x80, b0 & 0x0F
                if b1 & 0x80:
                    raise ConnectionError("the server sent a masked frame")
                n = b1 & 0x7F
                if n == 126:
                    n = struct.unpack("!H", self._read_exact(2, deadline))[0]
                elif n == 127:
                    n = struct.unpack("!Q", self._read_exact(8, deadline))[0]
                payload = self._read_exact(n, deadline + 10) if n else b""
                if opcode == 0x9:  # ping
                    self._send(0xA, payload)
                    continue
                if opcode == 0xA:  # pong
                    continue
                if opcode == 0x8:  # close
                    self.closed = True
                    self.close_code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 \
                        else None
                    try:
                        self._send(0x8, payload[:2])
                    except OSError:
                        pass
                    self.sock.close()
                    raise ConnectionError(f"WebSocket closed by the server (code "
                                          f"{self.close_code})")
                message += payload
                if fin:
                    return message.decode("utf-8")
        except TimeoutError:
            if message:
                raise
            return None

    def recv_json(self, timeout: float = 5.0):
        m = self.recv(timeout)
        return None if m is None else json.loads(m)

    def messages(self, duration: float) -> list:
        """Every JSON message received during `duration` seconds."""
        out = []
        deadline = time.monotonic() + duration
        while (left := deadline - time.monotonic()) > 0:
            m = self.recv_json(left)
            if m is not None:
                out.append(m)
        return out

    def wait_for(self, predicate, timeout: float) -> tuple:
        """Reads messages until predicate(message) is truthy → (message, every message read).
        Raises AssertionError on timeout."""
        seen = []
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            m = self.recv_json(left)
            if m is None:
                break
            seen.append(m)
            if predicate(m):
                return m, seen
        raise AssertionError(f"no matching WebSocket message within {timeout} s; got "
                             f"{json.dumps(seen)[:2000]}")

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        try:
            self._send(0x8, struct.pack("!H", 1000))
            deadline = time.monotonic() + 1.0
            while time.monotonic() < deadline:  # drain until the server's close or EOF
                self.sock.settimeout(max(0.01, deadline - time.monotonic()))
                if not self.sock.recv(65536):
                    break
        except OSError:
            pass
        finally:
            self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


# --------------------------------------------------------------------------------------------
# A loopback HTTP server with fixed answers
# --------------------------------------------------------------------------------------------


class StaticHttp:
    """routes: {path: (status, headers dict, body bytes)}; serves them on 127.0.0.1 in a thread.
    `hits` counts requests per path."""

    def __init__(self, routes: dict):
        self.routes = routes
        self.hits: dict = {}
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 — http.server's naming
                outer.hits[self.path] = outer.hits.get(self.path, 0) + 1
                status, headers, body = outer.routes.get(
                    self.path, (404, {"Content-Type": "text/plain"}, b"not found"))
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


# --------------------------------------------------------------------------------------------
# essaim side: a server connected to the swarm, an admin and two users
# --------------------------------------------------------------------------------------------


def essaim_env(qbt_url: str, password: str = QBT_PASS) -> dict:
    return {"ESSAIM_QBT_URL": qbt_url, "ESSAIM_QBT_USERNAME": QBT_USER,
            "ESSAIM_QBT_PASSWORD": password, "ESSAIM_QBT_MANAGED": "0"}


def health(server) -> dict:
    res = server.health()
    assert res.status == 200, res
    return res.json


def wait_link(server, state: str = "ok", timeout: float = 10.0) -> dict:
    """Waits until /api/health says qbittorrent == state."""
    return wait_until(lambda: (h := health(server))["qbittorrent"] == state and h, timeout, 0.1,
                      f"/api/health qbittorrent={state}")


def add_magnets(browser, *magnets):
    return browser.post("/api/torrents", {"magnets": list(magnets)}, csrf=True)


def add_urls(browser, *urls):
    return browser.post("/api/torrents", {"urls": list(urls)}, csrf=True)


def add_files(browser, files: list):
    """files: [(filename, bytes)] → multipart upload, one part named `torrents` per file."""
    body, ctype = multipart((), [("torrents", n, d) for n, d in files])
    return browser.request("POST", "/api/torrents", body=body, content_type=ctype, csrf=True)


def single_result(res) -> dict:
    assert res.status == 200, res
    results = res.json["results"]
    assert len(results) == 1, res.json
    return results[0]


def listing(browser, scope: str = "mine") -> dict:
    res = browser.get(f"/api/torrents?scope={scope}")
    assert res.status == 200, res
    body = res.json
    assert {"torrents", "qbittorrent", "stale", "error"} <= set(body), body
    return body


def entries(browser, scope: str = "mine") -> list:
    return listing(browser, scope)["torrents"]


def entry(browser, qbt_id: str, scope: str = "all") -> dict | None:
    for t in entries(browser, scope):
        if t["hash"] == qbt_id:
            return t
    return None


def wait_entry(browser, qbt_id: str, predicate=lambda t: True, timeout: float = 30.0,
               scope: str = "all", what: str = "") -> dict:
    last = {}

    def check():
        t = entry(browser, qbt_id, scope)
        last["t"] = t
        return t if t is not None and predicate(t) else None
    try:
        return wait_until(check, timeout, 0.2, what or f"{qbt_id} in essaim's list")
    except AssertionError as e:
        raise AssertionError(f"{e}\nlast entry seen: {last.get('t')}") from None


def is_seeding(t: dict) -> bool:
    return t["progress"] == 1 and t["state"] == "seeding"


def metrics(browser) -> dict:
    res = browser.get("/metrics")
    assert res.status == 200, res
    out = {}
    for line in res.text.splitlines():
        if line and not line.startswith("#"):
            k, _, v = line.rpartition(" ")
            out[k] = float(v)
    return out


class Portal:
    """An essaim server connected to the swarm's main qBittorrent, with its admin and two
    ordinary users A ("Alice Essaim") and B ("Bruno Essaim"), each a logged-in Browser."""

    def __init__(self, factory, swarm: Swarm, browser_cls, register_name, env: dict | None = None,
                 qbt: "QbtInstance | None" = None):
        """qbt: the qBittorrent essaim's settings name (server 1), instead of the swarm's main
        instance."""
        self.factory = factory
        self.swarm = swarm
        self.browser_cls = browser_cls
        self.env = dict(essaim_env(qbt.url, qbt.password) if qbt is not None
                        else essaim_env(swarm.main_url), **(env or {}))
        self.server = factory.start(env=self.env)
        wait_link(self.server, "ok")
        self.admin = browser_cls(self.server)
        res = self.admin.login(self.server.admin_username, self.server.admin_password)
        assert res.status == 200, res
        self.admin_id = res.json["id"]
        self.a, self.a_id, self.a_user = self._user(register_name("alice"), "Alice Essaim")
        self.b, self.b_id, self.b_user = self._user(register_name("bruno"), "Bruno Essaim")

    def _user(self, username: str, display: str):
        b = self.browser_cls(self.server)
        res = b.register(username, display_name=display)
        assert res.status == 201, res
        return b, res.json["id"], res.json

    @property
    def browsers(self) -> list:
        return [self.admin, self.a, self.b]

    def restart(self, between=None) -> None:
        """Stops essaim, runs between() (e.g. to edit the database), starts it again on the same
        data dir and port (the browsers' sessions stay valid) and waits for qBittorrent."""
        old = self.server
        assert old.stop() == 0, old.output()[-2000:]
        if between:
            between()
        self.server = self.factory.start(data_dir=old.data_dir, port=old.port, env=self.env)
        for b in self.browsers:
            b.server = self.server
        wait_link(self.server, "ok")


def assert_owner(t: dict, user_id: int, user: dict) -> None:
    """t["owner"] is exactly {"id","username","display_name"} of that user."""
    want = {"id": user_id, "username": user["username"], "display_name": user["display_name"]}
    assert t["owner"] == want, (f"owner of {t['hash']} should be {want}, essaim says "
                                f"{t['owner']!r} (entry: {t})")


EXTRA_FRENCH = {"introuvable", "torrent", "fichier", "adresse", "serveur", "injoignable",
                "refusé", "refusée", "identifiants", "connexion", "déjà"}


def assert_api_error(res, status: int, code: str, field: str | None = None) -> dict:
    """conftest.assert_error's checks (status, exact error shape, French message, JSON), with a
    French-word list that also knows this API's words ("Torrent introuvable.")."""
    import conftest  # at call time: conftest imports this module

    assert res.status == status, f"expected {status} {code}, got {res.status}: {res.text[:500]}"
    body = res.json
    assert isinstance(body, dict) and set(body) == {"error"}, res.text[:500]
    err = body["error"]
    assert {"code", "message"} <= set(err) <= {"code", "message", "field"}, err
    assert err["code"] == code, f"expected code {code}, got {err}"
    msg = err["message"].strip()
    assert msg and msg != code, err
    words = set(re.findall(r"[a-zà-ÿœæ]+", msg.lower()))
    assert conftest.looks_french(msg) or words & EXTRA_FRENCH, f"not French: {msg!r}"
    if field is not None:
        assert err.get("field") == field, err
    assert "application/json" in (res.header("Content-Type") or ""), res.headers
    return err
