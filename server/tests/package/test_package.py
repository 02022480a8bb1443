"""The Debian package dist/essaim_<version>_<arch>.deb (make deb), on this machine, for real.

What runs, in this order (pytest keeps the file's order; one installed package is shared by
the tests that only read it):
- the package itself: lintian, its files, its control fields, Build-Depends against
  scripts/install-deps.sh;
- installation with apt-get: the system user, /var/lib/essaim, the first administrator whose
  password is in /var/lib/essaim/admin-password (and never in apt's output), the systemd units
  (systemd-analyze verify, `systemd-analyze security` exposure ≤ 4.0), the service enabled and
  the backup timer not;
- essaim started the way essaim.service starts it (its ExecStart, as user essaim, managed
  qbittorrent-nox on loopback): sign in as admin, a user created with the CLI, a magnet added;
  `essaim doctor`; the backup service's command; the nginx example in front of it;
- the same under the unit's own sandbox re-created without systemd (sandbox.py);
- upgrade from a package labelled 0.1.9 (test_upgrade's docstring), then purge.

This machine has no systemd as PID 1: `systemctl` cannot start the unit, and debhelper's
maintainer-script snippets skip starting it. Root is required (conftest.py).
Processes: only those of this package (command line naming /etc/essaim/essaim.toml or the
profile under /var/lib/essaim) are ever signalled, by PID.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import os
import pwd
import re
import secrets
import shlex
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
SANDBOX = HERE / "sandbox.py"
DATA = Path("/var/lib/essaim")
CONF = Path("/etc/essaim/essaim.toml")
UNIT_DIR = Path("/lib/systemd/system")
UNIT = UNIT_DIR / "essaim.service"
BACKUP_UNIT = UNIT_DIR / "essaim-backup.service"
PWFILE = DATA / "admin-password"
QBT_PROFILE = f"--profile={DATA}/qbittorrent/profile"

VERSION = subprocess.run(["dpkg-parsechangelog", "-l", str(REPO / "debian/changelog"), "-S",
                          "Version"], capture_output=True, text=True, check=True).stdout.strip()
ARCH = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                      check=True).stdout.strip()
DEB = REPO / "dist" / f"essaim_{VERSION}_{ARCH}.deb"

APT_ENV = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
APT = ["apt-get", "-y", "-q", "-o", "DPkg::Lock::Timeout=180"]


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def run(argv, *, timeout=120, check=True, input=None, env=None, cwd="/"):
    r = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, input=input,
                       env=env, cwd=cwd)
    if check and r.returncode != 0:
        raise AssertionError(f"{shlex.join(map(str, argv))} → {r.returncode}\n"
                             f"stdout:\n{r.stdout}\nstderr:\n{r.stderr}")
    return r


def as_essaim(*args, input=None, env_extra=None, check=True, timeout=60):
    """`runuser -u essaim -- [env VAR=…] essaim --config /etc/essaim/essaim.toml ARGS`."""
    env = ["env", *[f"{k}={v}" for k, v in (env_extra or {}).items()]] if env_extra else []
    return run(["runuser", "-u", "essaim", "--", *env, "/usr/bin/essaim", "--config", str(CONF),
                *args], input=input, check=check, timeout=timeout, cwd=str(DATA))


def installed_version() -> str | None:
    r = run(["dpkg-query", "-W", "-f=${Status} ${Version}", "essaim"], check=False)
    if r.returncode != 0 or not r.stdout.startswith("install ok installed"):
        return None
    return r.stdout.split()[-1]


def our_pids() -> list[int]:
    """essaim and qbittorrent-nox processes of the installed package: their command line names
    /etc/essaim/essaim.toml or the package's qbittorrent-nox profile. Other suites' essaim and
    qbittorrent-nox (temp data dirs) never match."""
    pids = []
    for p in Path("/proc").iterdir():
        if not p.name.isdigit() or int(p.name) == os.getpid():
            continue
        try:
            argv = (p / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if not argv or not argv[0]:
            continue
        prog = os.path.basename(argv[0].decode(errors="replace"))
        args = [a.decode(errors="replace") for a in argv]
        if prog == "essaim" and str(CONF) in args:
            pids.append(int(p.name))
        elif prog == "qbittorrent-nox" and QBT_PROFILE in args:
            pids.append(int(p.name))
    return pids


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def kill_leftovers(timeout=20) -> list[int]:
    """SIGTERM, then SIGKILL, to every process our_pids() names; returns those PIDs."""
    pids = our_pids()
    for pid in pids:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + timeout
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    for pid in pids:
        if alive(pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    return pids


def purge():
    """No essaim package, no /var/lib/essaim, no /etc/essaim: where every install starts."""
    kill_leftovers()
    r = run(["dpkg-query", "-W", "-f=${db:Status-Abbrev}", "essaim"], check=False)
    if r.returncode == 0 and r.stdout.strip() not in ("", "un"):
        run([*APT, "purge", "essaim"], env=APT_ENV, timeout=180)
    # Left by an earlier run that died between install and purge of a hand-made state.
    shutil.rmtree(DATA, ignore_errors=True)
    shutil.rmtree(CONF.parent, ignore_errors=True)


def apt_install(deb: Path, *extra) -> subprocess.CompletedProcess:
    return run([*APT, *extra, "install", f"./{deb.name}"], env=APT_ENV, cwd=str(deb.parent),
               timeout=180)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def unit_exec_start(unit: Path, key="ExecStart") -> list[str]:
    """The unit's command line, with systemd's escapes ($$, %%) undone."""
    for line in unit.read_text().splitlines():
        if line.startswith(key + "="):
            value = line.split("=", 1)[1].replace("$$", "$").replace("%%", "%")
            return shlex.split(value)
    raise AssertionError(f"{key}= missing in {unit}")


class Client:
    """One browser: its cookies, the CSRF header on mutating requests."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method, path, body=None, headers=None):
        h = dict(headers or {})
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method not in ("GET", "HEAD") and "csrf_token" in self.cookies:
            h["X-CSRF-Token"] = self.cookies["csrf_token"]
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        try:
            conn.request(method, path, body=data, headers=h)
            r = conn.getresponse()
            raw = r.read()
            for k, v in r.getheaders():
                if k.lower() == "set-cookie":
                    name, _, rest = v.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
        finally:
            conn.close()
        try:
            payload = json.loads(raw) if raw else None
        except ValueError:
            payload = raw.decode(errors="replace")
        return r.status, payload

    def login(self, username, password):
        status, body = self.request("POST", "/api/auth/login",
                                    {"username": username, "password": password})
        assert status == 200, f"login {username}: {status} {body}"
        return body


class Server:
    """The installed essaim, started as essaim.service starts it: the unit's ExecStart, as user
    essaim (setpriv execs it, so the PID is essaim's own and SIGTERM reaches it directly; runuser
    would stay in between and SIGKILL it 2 s after forwarding a SIGTERM, before essaim has
    stopped its qbittorrent-nox), in /var/lib/essaim, umask 0077, systemd's environment, plus
    ESSAIM_LISTEN (a free port) and ESSAIM_QBT_MANAGED_NETWORK=loopback (no DHT, no peers from
    outside). With sandboxed=True, inside the unit's own sandbox (sandbox.py)."""

    def __init__(self, sandboxed=False):
        self.port = free_port()
        self.env = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                    "HOME": str(DATA), "USER": "essaim", "LOGNAME": "essaim",
                    "LANG": "C.UTF-8", "ESSAIM_LISTEN": f"127.0.0.1:{self.port}",
                    "ESSAIM_QBT_MANAGED_NETWORK": "loopback"}
        cmd = unit_exec_start(UNIT)
        if sandboxed:
            argv = ["unshare", "--mount", "--propagation", "private", sys.executable,
                    str(SANDBOX), str(UNIT), "--", *cmd]
        else:
            argv = ["setpriv", "--reuid=essaim", "--regid=essaim", "--init-groups", "--", *cmd]
        self.log = tempfile.NamedTemporaryFile(prefix="essaim-pkg-", suffix=".log", delete=False)
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self.log,
                                     stderr=subprocess.STDOUT, env=self.env, cwd=str(DATA),
                                     umask=0o077, start_new_session=True)
        self.client = Client(self.port)

    def output(self) -> str:
        log = Path(self.log.name)
        return log.read_text(errors="replace") if log.exists() else ""

    def wait_ready(self, timeout=45) -> dict:
        """Until /api/health answers with qBittorrent "ok" (the managed qbittorrent-nox runs)."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"essaim exited ({self.proc.returncode}):\n{self.output()}")
            try:
                status, body = self.client.request("GET", "/api/health")
                last = (status, body)
                if status == 200 and isinstance(body, dict) and body.get("qbittorrent") == "ok":
                    return body
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"essaim not ready in {timeout} s (last: {last}):\n{self.output()}")

    def stop(self, timeout=40):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        # essaim stops its qbittorrent-nox before exiting: nothing of ours may be left.
        left = kill_leftovers()
        output = self.output()
        Path(self.log.name).unlink(missing_ok=True)
        assert not left, f"processes left after essaim stopped: {left}\n{output}"


def admin_password() -> str:
    return PWFILE.read_text().strip()


def add_magnet(client: Client, name: str) -> str:
    infohash = secrets.token_hex(20)
    status, body = client.request("POST", "/api/torrents",
                                  {"magnets": [f"magnet:?xt=urn:btih:{infohash}&dn={name}"]})
    assert status == 200 and body["results"][0]["ok"], (status, body)
    assert body["results"][0]["hash"] == infohash
    return infohash


def wait_listed(client: Client, infohash: str, timeout=20) -> dict:
    deadline = time.monotonic() + timeout
    body = None
    while time.monotonic() < deadline:
        status, body = client.request("GET", "/api/torrents?scope=all")
        assert status == 200, body
        for t in body["torrents"]:
            if t["hash"] == infohash:
                return t
        time.sleep(0.3)
    raise AssertionError(f"{infohash} not listed in {timeout} s: {body}")


def exposure(unit: Path) -> tuple[float, list[str]]:
    r = run(["systemd-analyze", "security", "--offline=true", "--no-pager", str(unit)])
    m = re.search(r"Overall exposure level for \S+: (\d+(?:\.\d+)?)", r.stdout)
    assert m, r.stdout
    exposed = [line.rstrip() for line in r.stdout.splitlines() if line.startswith("✗")]
    exposed.sort(key=lambda line: -float(line.split()[-1]) if re.search(r"\d$", line) else 0)
    return float(m.group(1)), exposed


# --------------------------------------------------------------------------------------------
# Fixtures: one installed package, one running server
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def deb() -> Path:
    assert DEB.is_file(), f"{DEB} missing: make deb"
    return DEB


@pytest.fixture(scope="module")
def installed(deb):
    """The package installed on a clean machine (purged first: an earlier run may have died
    with it installed); apt-get's output. Purged again at the end of the module."""
    purge()
    out = apt_install(deb)
    yield out
    purge()


@pytest.fixture(scope="module")
def server(installed):
    s = Server()
    try:
        s.wait_ready()
        yield s
    finally:
        s.stop()


# --------------------------------------------------------------------------------------------
# The package file
# --------------------------------------------------------------------------------------------


def test_control_fields_and_contents(deb):
    info = run(["dpkg-deb", "-I", str(deb)]).stdout
    fields = {}
    for key in ("Package", "Version", "Architecture", "Depends", "Recommends", "Suggests"):
        fields[key] = run(["dpkg-deb", "-f", str(deb), key]).stdout.strip()
    print(json.dumps(fields, indent=1))
    assert fields["Package"] == "essaim" and fields["Version"] == VERSION
    assert fields["Architecture"] == ARCH
    depends = [d.strip() for d in fields["Depends"].split(",")]
    assert "adduser" in depends
    for lib in ("libc6", "libsodium23", "libsqlite3-0", "libssl3", "libpq5"):
        assert any(d.startswith(lib) for d in depends), f"{lib} not in Depends (shlibs)"
    assert fields["Recommends"] == "qbittorrent-nox"
    assert [s.strip() for s in fields["Suggests"].split(",")] == [
        "nginx", "postgresql", "postgresql-client"]

    with tempfile.TemporaryDirectory() as d:
        run(["dpkg-deb", "-e", str(deb), d])
        assert Path(d, "conffiles").read_text().split() == ["/etc/essaim/essaim.toml"]
        for script in ("postinst", "postrm", "prerm"):
            assert os.access(Path(d, script), os.X_OK), script
        assert "conffiles" in info

    listing = run(["dpkg-deb", "-c", str(deb)]).stdout
    entries = {}
    for line in listing.splitlines():
        perms, owner, _size, _date, _time, path = line.split(None, 5)
        entries[path.split(" -> ")[0].lstrip(".")] = (perms, owner)
    for path, perms in {
        "/usr/bin/essaim": "-rwxr-xr-x",
        "/usr/share/essaim/web/index.html": "-rw-r--r--",
        "/etc/essaim/essaim.toml": "-rw-r--r--",  # root:essaim 0640 is set by postinst
        "/lib/systemd/system/essaim.service": "-rw-r--r--",
        "/lib/systemd/system/essaim-backup.service": "-rw-r--r--",
        "/lib/systemd/system/essaim-backup.timer": "-rw-r--r--",
        "/usr/share/man/man1/essaim.1.gz": "-rw-r--r--",
        "/usr/share/doc/essaim/copyright": "-rw-r--r--",
        "/usr/share/doc/essaim/examples/nginx-essaim.conf": "-rw-r--r--",
    }.items():
        assert path in entries, f"{path} not in the package"
        assert entries[path] == (perms, "root/root"), (path, entries[path])
    assert any(p.startswith("/usr/share/essaim/web/assets/") and p.endswith(".js")
               for p in entries), "no JavaScript under /usr/share/essaim/web/assets"
    # Nothing of the build tree (tests, benchmarks, source maps of the C++ build…).
    assert not [p for p in entries if "/build/" in p or p.endswith((".o", ".a"))]


def test_build_depends_cover_install_deps():
    """debian/control's Build-Depends lists the "build" group of scripts/install-deps.sh
    (build-essential's make and g++ aside), so that dpkg-checkbuilddeps catches what `make deps`
    would have installed."""
    text = (REPO / "scripts/install-deps.sh").read_text()
    lines = text.split("  # build\n", 1)[1].splitlines()
    group = []
    for line in lines:  # up to the next group's comment line
        if line.strip().startswith("#") or line.strip() == ")":
            break
        group.append(line.split("#")[0])
    wanted = {w for line in group for w in line.split()}
    assert {"cmake", "libboost1.81-dev", "libarchive-dev"} <= wanted, wanted
    wanted -= {"make", "g++"}
    control = (REPO / "debian/control").read_text()
    bd = control.split("Build-Depends:", 1)[1].split("\n\n", 1)[0]
    have = {re.split(r"[\s(]", d.strip())[0] for d in bd.split(",") if d.strip()}
    assert wanted <= have, f"missing from Build-Depends: {sorted(wanted - have)}"


def test_versions_agree():
    cmake = re.search(r"project\(essaim VERSION ([0-9.]+)",
                      (REPO / "server/CMakeLists.txt").read_text()).group(1)
    assert cmake == VERSION, f"CMake {cmake} vs debian/changelog {VERSION} (make deb refuses)"


def test_lintian(deb):
    r = run(["lintian", "--fail-on", "error", "--display-info", "--show-overrides",
             str(deb)],
            check=False, timeout=300)
    tags = [line for line in r.stdout.splitlines() if re.match(r"^[EWIPXO]: ", line)]
    summary: dict[str, int] = {}
    for t in tags:
        summary[t[0]] = summary.get(t[0], 0) + 1
    print(f"lintian: {summary or 'no tags'}")
    print("\n".join(tags))
    assert r.returncode == 0, f"lintian failed ({r.returncode}):\n{r.stdout}\n{r.stderr}"
    assert not [t for t in tags if t.startswith(("E: ", "W: "))], "\n".join(tags)


# --------------------------------------------------------------------------------------------
# Installed
# --------------------------------------------------------------------------------------------


def test_install(installed):
    out = installed.stdout + installed.stderr
    assert installed_version() == VERSION
    for args in (["--version"], ["version"]):
        r = run(["/usr/bin/essaim", *args])
        assert r.stdout.strip() == f"essaim {VERSION}", args

    user = pwd.getpwnam("essaim")
    assert user.pw_dir == str(DATA) and user.pw_shell == "/usr/sbin/nologin"
    assert user.pw_uid < 1000, "not a system user"
    st = DATA.stat()
    assert stat.S_IMODE(st.st_mode) == 0o700 and st.st_uid == user.pw_uid
    st = CONF.stat()
    assert (stat.S_IMODE(st.st_mode), st.st_uid, st.st_gid) == (0o640, 0, user.pw_gid)

    st = PWFILE.stat()
    assert stat.S_IMODE(st.st_mode) == 0o600 and st.st_uid == user.pw_uid
    password = admin_password()
    assert re.fullmatch(r"[A-Za-z0-9]{20}", password)
    assert password not in out, "the admin password is in the maintainer scripts' output"
    assert str(PWFILE) in out and "« admin »" in out, out
    assert (DATA / "essaim.db").exists()

    # deb-systemd-helper enables even without systemd running; the backup timer stays off.
    assert Path("/etc/systemd/system/multi-user.target.wants/essaim.service").is_symlink()
    assert not Path("/etc/systemd/system/timers.target.wants/essaim-backup.timer").exists()


def test_units_verify_and_security(installed):
    for unit in ("essaim.service", "essaim-backup.service", "essaim-backup.timer"):
        r = run(["systemd-analyze", "verify", str(UNIT_DIR / unit)], check=False)
        assert r.returncode == 0, f"{unit}: {r.stdout}{r.stderr}"
        assert not [line for line in r.stderr.splitlines()
                    if unit in line], f"{unit}: {r.stderr}"
    for unit in (UNIT, BACKUP_UNIT):
        level, exposed = exposure(unit)
        print(f"{unit.name}: overall exposure {level}; highest remaining:")
        print("\n".join(exposed[:5]))
        assert level <= 4.0, f"{unit.name}: exposure {level} > 4.0"


def test_serve_login_user_magnet(server):
    """Sign in as the admin created by postinst, a user created with the CLI while essaim runs,
    a magnet added through the API and listed by essaim (from its qbittorrent-nox)."""
    health = server.client.request("GET", "/api/health")[1]
    assert health["version"] == VERSION and health["database"] == "ok"
    admin = Client(server.port)
    me = admin.login("admin", admin_password())
    assert me["username"] == "admin" and me["role"] == "admin"
    # The web app comes from /usr/share/essaim/web.
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("GET", "/")
    r = conn.getresponse()
    page = r.read().decode()
    assert r.status == 200 and page == Path("/usr/share/essaim/web/index.html").read_text()

    as_essaim("create-user", "--username", "alice", "--password-stdin",
              input="alice-password-42\n")
    alice = Client(server.port)
    assert alice.login("alice", "alice-password-42")["role"] == "user"

    infohash = add_magnet(admin, "essai")
    t = wait_listed(admin, infohash)
    assert t["owner"]["username"] == "admin" and t["name"] == "essai", t
    # The managed qbittorrent-nox runs as essaim, with its profile in the data dir.
    qbt = [p for p in our_pids() if b"qbittorrent-nox" in Path(f"/proc/{p}/cmdline").read_bytes()]
    assert len(qbt) == 1 and Path(f"/proc/{qbt[0]}").stat().st_uid == pwd.getpwnam("essaim").pw_uid


def test_doctor(server):
    """`essaim doctor` on the installed package (with the running server's address)."""
    r = as_essaim("doctor", env_extra={"ESSAIM_LISTEN": f"127.0.0.1:{server.port}"},
                  check=False)
    print(r.stdout)
    out = r.stdout
    # The package's own set-up has no problem: only the missing base_url is worth a warning.
    assert r.returncode == 0, f"{r.returncode}\n{out}\n{r.stderr}"
    assert "Bilan : aucun problème" in out and "[problème]" not in out, out
    for line in (f"[ok]        fichier {CONF} lu", f"[ok]        {DATA} : droits 0700",
                 f"[ok]        clé secrète {DATA}/secret.key : droits 0600",
                 f"[ok]        base {DATA}/essaim.db : droits 0600", "(à jour)",
                 "[ok]        intégrité vérifiée", "tous lisibles avec la clé",
                 "identifiants acceptés"):
        assert line in out, (line, out)
    # Run as root instead of the service's user: the data dir is not root's — said plainly.
    r = run(["/usr/bin/essaim", "--config", str(CONF), "doctor"], check=False, cwd=str(DATA),
            env={**os.environ, "ESSAIM_LISTEN": f"127.0.0.1:{server.port}"})
    assert r.returncode == 1 and "runuser -u essaim" in r.stdout, r.stdout


def test_backup_service_command(server):
    """essaim-backup.service's ExecStart and ExecStartPost, run by hand as user essaim: an
    archive appears in /var/lib/essaim/backups, 0600, and old ones are deleted."""
    backups = DATA / "backups"
    shutil.rmtree(backups, ignore_errors=True)
    start = unit_exec_start(BACKUP_UNIT)
    post = unit_exec_start(BACKUP_UNIT, "ExecStartPost")
    env = {"ESSAIM_LISTEN": f"127.0.0.1:{server.port}"}
    prefix = ["runuser", "-u", "essaim", "--", "env", *[f"{k}={v}" for k, v in env.items()]]
    r = run([*prefix, *start], cwd=str(DATA), timeout=120)
    print(r.stdout)
    archives = sorted(backups.glob("essaim-*.tar.gz"))
    assert len(archives) == 1, (r.stdout, r.stderr, list(backups.iterdir()))
    assert re.fullmatch(r"essaim-\d{8}-\d{6}\.tar\.gz", archives[0].name)
    st = archives[0].stat()
    assert stat.S_IMODE(st.st_mode) == 0o600 and st.st_uid == pwd.getpwnam("essaim").pw_uid
    assert stat.S_IMODE(backups.stat().st_mode) == 0o700
    names = run(["tar", "-tzf", str(archives[0])]).stdout.split()
    assert {"essaim-backup.json", "essaim.db", "secret.key"} <= set(names), names

    # It restores (into a scratch data dir, as the service's user): accounts, torrents, key.
    scratch = DATA / "restauration-test"
    shutil.rmtree(scratch, ignore_errors=True)
    r = as_essaim("restore", str(archives[0]),
                  env_extra={"ESSAIM_DATA_DIR": str(scratch), "ESSAIM_LISTEN": "127.0.0.1:9"})
    assert "restaurée dans" in r.stdout and "secret" in r.stdout, r.stdout
    assert (scratch / "secret.key").read_bytes() == (DATA / "secret.key").read_bytes()
    shutil.rmtree(scratch)

    # The clean-up: an archive 15 days old goes, today's stays.
    old = backups / "essaim-20000101-000000.tar.gz"
    shutil.copy(archives[0], old)
    os.utime(old, (time.time() - 15 * 86400,) * 2)
    run([*prefix, *post], cwd=str(DATA))
    assert not old.exists() and archives[0].exists()


def test_nginx_example(server):
    """deploy/nginx/essaim.conf (the package's examples/nginx-essaim.conf) run by the real nginx
    on loopback, adapted only where it must (no TLS, a free port, a temp download root, a
    secret): the app and the API through the proxy, the WebSocket upgrade of /api/ws, and
    /dl/ links signed as essaim signs them (DESIGN.md) — 200, tampered 403, expired 410."""
    example = Path("/usr/share/doc/essaim/examples/nginx-essaim.conf").read_text()
    assert example == (REPO / "deploy/nginx/essaim.conf").read_text()
    port, secret = free_port(), secrets.token_urlsafe(24)
    with tempfile.TemporaryDirectory(prefix="essaim-nginx-") as tmp:
        os.chmod(tmp, 0o755)
        root = Path(tmp, "torrents")
        (root / "Dossier été").mkdir(parents=True)
        (root / "Dossier été" / "épisode 01.txt").write_text("bonjour\n")
        os.chmod(root, 0o755)
        os.chmod(root / "Dossier été", 0o755)
        # Only the TLS server block: the port-80 redirect block is left out.
        maps = "\n".join(line for line in example.splitlines() if line.startswith("map "))
        block = example[example.rindex("server {", 0, example.index("listen 443")):]
        block = re.sub(r"\n\s*listen [^\n]*;", "", block)
        block = re.sub(r"\n\s*ssl_certificate[^\n]*;", "", block)
        block = block.replace("server_name essaim.example.org;",
                              f"listen 127.0.0.1:{port};\n    server_name localhost;")
        block = block.replace("127.0.0.1:8080", f"127.0.0.1:{server.port}")
        block = block.replace(" SECRET\"", f" {secret}\"")
        block = block.replace("alias /srv/torrents/;", f"alias {root}/;")
        assert block.count(f"127.0.0.1:{server.port}") == 2 and secret in block
        conf = Path(tmp, "nginx.conf")
        conf.write_text(f"""
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
worker_processes 1;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
{maps}
{block}
}}
""")
        run(["nginx", "-t", "-c", str(conf), "-p", tmp])
        nginx = subprocess.Popen(["nginx", "-c", str(conf), "-p", tmp],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            proxied = Client(port)
            deadline = time.monotonic() + 10
            while True:
                try:
                    status, health = proxied.request("GET", "/api/health")
                    break
                except OSError:
                    assert time.monotonic() < deadline, Path(tmp, "error.log").read_text()
                    time.sleep(0.1)
            assert status == 200 and health["status"] == "ok"
            assert proxied.login("admin", admin_password())["username"] == "admin"
            status, body = proxied.request("GET", "/api/torrents?scope=all")
            assert status == 200 and "torrents" in body

            # WebSocket: the upgrade goes through (essaim checks the Origin against Host).
            key = base64.b64encode(os.urandom(16)).decode()
            with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
                cookie = "; ".join(f"{k}={v}" for k, v in proxied.cookies.items())
                s.sendall((f"GET /api/ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                           f"Origin: http://127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                           f"Sec-WebSocket-Version: 13\r\nCookie: {cookie}\r\n\r\n").encode())
                head = s.recv(4096).decode(errors="replace")
            assert head.startswith("HTTP/1.1 101"), head

            def link(path: str, expires: int, secret_=secret) -> str:
                uri = "/dl/" + path
                md5 = hashlib.md5(f"{expires}{uri} {secret_}".encode()).digest()
                sig = base64.urlsafe_b64encode(md5).rstrip(b"=").decode()
                from urllib.parse import quote
                return f"{quote(uri, safe='/')}?md5={sig}&expires={expires}"

            def get(url):
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request("GET", url)
                r = conn.getresponse()
                return r.status, r.read(), dict(r.getheaders())

            later = int(time.time()) + 600
            status, data, _ = get(link("Dossier été/épisode 01.txt", later))
            assert (status, data) == (200, b"bonjour\n")
            status, _, headers = get(link("Dossier été/épisode 01.txt", later) + "&dl=1")
            assert status == 200 and headers.get("Content-Disposition") == "attachment"
            status, data, _ = get(link("Dossier été/épisode 01.txt", later, "wrong"))
            assert status == 403 and "pas valide" in data.decode()
            status, data, _ = get(link("Dossier été/épisode 01.txt", int(time.time()) - 60))
            assert status == 410 and "expiré" in data.decode()
            status, data, _ = get(link("Dossier été/absent.txt", later))
            assert status == 404 and "n'existe plus" in data.decode()
        finally:
            nginx.terminate()
            nginx.wait(10)


def test_service_sandbox(installed, server):
    """essaim.service's sandbox (sandbox.py re-creates it without systemd: seccomp filters,
    read-only system, private /tmp and /dev, no home, procfs subset) lets essaim and its
    qbittorrent-nox work: health with qBittorrent "ok", qbittorrent-nox listening for peers
    (needs AF_NETLINK), a magnet added; and the backup service's command under its own
    sandbox. Also shows the sandbox is real: writing outside /var/lib/essaim fails."""
    server.stop()  # one qbittorrent-nox on this profile at a time
    probe = run(["unshare", "--mount", "--propagation", "private", sys.executable, str(SANDBOX),
                 str(UNIT), "--", "/bin/sh", "-c",
                 "touch /var/lib/essaim/.probe && rm /var/lib/essaim/.probe && echo data-rw; "
                 "touch /usr/.probe 2>/dev/null || echo usr-ro; "
                 "unshare -n true 2>/dev/null || echo no-namespaces; "
                 "nice -n 5 true 2>&1 | grep -q 'cannot set niceness' && echo no-nice; "
                 "test -e /proc/meminfo || echo proc-subset"])
    assert probe.stdout.split() == ["data-rw", "usr-ro", "no-namespaces", "no-nice",
                                    "proc-subset"], probe.stdout + probe.stderr

    qbt_log = DATA / "qbittorrent/profile/qBittorrent/data/logs/qbittorrent.log"
    qbt_log.unlink(missing_ok=True)
    s = Server(sandboxed=True)
    try:
        s.wait_ready()
        admin = Client(s.port)
        admin.login("admin", admin_password())
        infohash = add_magnet(admin, "bac-a-sable")
        assert wait_listed(admin, infohash)["name"] == "bac-a-sable"
        deadline = time.monotonic() + 10
        while "Successfully listening on IP" not in (
                qbt_log.read_text(errors="replace") if qbt_log.exists() else ""):
            assert time.monotonic() < deadline, (
                qbt_log.read_text(errors="replace") if qbt_log.exists() else "no log")
            time.sleep(0.2)

        backups = DATA / "backups"
        before = set(backups.glob("*.tar.gz")) if backups.exists() else set()
        r = run(["unshare", "--mount", "--propagation", "private", sys.executable,
                 str(SANDBOX), str(BACKUP_UNIT), "--", "env", f"ESSAIM_LISTEN=127.0.0.1:{s.port}",
                 *unit_exec_start(BACKUP_UNIT)], cwd=str(DATA))
        assert len(set(backups.glob("*.tar.gz")) - before) == 1, r.stdout + r.stderr
    finally:
        s.stop()


# --------------------------------------------------------------------------------------------
# Upgrade, purge
# --------------------------------------------------------------------------------------------


def make_older_package(deb: Path, version: str, dest: Path) -> Path:
    """The same package relabelled `version` (DEBIAN/control only)."""
    tree = dest / "tree"
    run(["dpkg-deb", "-R", str(deb), str(tree)])
    control = tree / "DEBIAN/control"
    text = re.sub(r"(?m)^Version: .*$", f"Version: {version}", control.read_text())
    control.write_text(text)
    out = dest / f"essaim_{version}_{ARCH}.deb"
    run(["dpkg-deb", "--root-owner-group", "-Zxz", "-b", str(tree), str(out)])
    return out


@pytest.mark.timeout(240)
def test_upgrade(deb, installed, server, tmp_path):
    """Upgrade from 0.1.9 to this version.

    There is no earlier release package: "0.1.9" is THIS package's binary and files with only
    the Version field changed (make_older_package). So this tests the package's upgrade path —
    maintainer scripts on upgrade (no second admin, the admin-password file untouched, the user
    and the data directory kept), dpkg's conffile handling (a local edit kept), and that the
    data written by the installed version is there after the upgrade — not a database schema
    upgrade, which server/tests (migrations) cover.
    """
    server.stop()
    purge()
    old = make_older_package(deb, "0.1.9", tmp_path)
    apt_install(old)
    assert installed_version() == "0.1.9"
    password = admin_password()
    pw_stat = PWFILE.stat()

    s = Server()
    try:
        s.wait_ready()
        admin = Client(s.port)
        admin.login("admin", password)
        as_essaim("create-user", "--username", "bob", "--password-stdin",
                  input="bob-password-4242\n")
        infohash = add_magnet(admin, "avant-mise-a-jour")
        wait_listed(admin, infohash)
        listing = as_essaim("settings").stdout
        assert re.search(r"(?m)^jackett_url = ", listing), listing
        as_essaim("settings", "jackett_url", "http://127.0.0.1:9117")
    finally:
        s.stop()
    with CONF.open("a") as f:
        f.write("# édité localement avant la mise à jour\n")
    edited = CONF.read_text()

    r = apt_install(deb, "-o", "Dpkg::Options::=--force-confold")
    out = r.stdout + r.stderr
    assert installed_version() == VERSION
    assert CONF.read_text() == edited, "the local edit of essaim.toml was lost"
    st = CONF.stat()
    assert (stat.S_IMODE(st.st_mode), st.st_gid) == (0o640, pwd.getpwnam("essaim").pw_gid)
    assert admin_password() == password and PWFILE.stat().st_mtime == pw_stat.st_mtime
    assert "créé" not in out, f"postinst created an admin again:\n{out}"
    assert not list(CONF.parent.glob("essaim.toml.dpkg-*")), list(CONF.parent.iterdir())
    assert stat.S_IMODE(DATA.stat().st_mode) == 0o700

    s = Server()
    try:
        s.wait_ready()
        admin = Client(s.port)
        admin.login("admin", password)
        status, body = admin.request("GET", "/api/admin/users")
        assert status == 200, body
        users = {u["username"]: u["role"] for u in body["users"]}
        assert users == {"admin": "admin", "bob": "user"}, users
        assert Client(s.port).login("bob", "bob-password-4242")["username"] == "bob"
        assert wait_listed(admin, infohash)["name"] == "avant-mise-a-jour"
        assert as_essaim("settings", "jackett_url").stdout.strip() == "http://127.0.0.1:9117"
    finally:
        s.stop()


def test_purge(installed):
    """apt-get purge removes /var/lib/essaim and /etc/essaim and keeps the system user."""
    if installed_version() is None:
        apt_install(DEB)
    kill_leftovers()
    run([*APT, "purge", "essaim"], env=APT_ENV, timeout=180)
    assert installed_version() is None
    assert not DATA.exists() and not CONF.parent.exists()
    assert not UNIT.exists()
    assert pwd.getpwnam("essaim").pw_dir == str(DATA)
    assert not Path("/etc/systemd/system/multi-user.target.wants/essaim.service").exists()
