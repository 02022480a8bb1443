"""Fixtures for the essaim server integration tests.

Every test talks to the REAL binary (``server/build/essaim`` or ``$ESSAIM_BIN``) over HTTP on
127.0.0.1. Standard library only (plus pytest; psycopg2 when the suite runs on PostgreSQL).

Fixtures
- ``essaim_bin``: path of the binary.
- ``essaim``: a factory, ``essaim.start(**options)`` → ``EssaimServer``; every server it started
  is stopped (SIGTERM, then SIGKILL after 15 s) and its temp dir removed at the end of the test.
- ``server``: a fresh server for this test (login throttling is in memory: tests that trip it
  need their own server).
- ``shared_server``: one server per test module, for cheap tests that do not change global state.
- ``browser``: a function returning a new ``Browser`` (own cookie jar) for a server.
"""

from __future__ import annotations

import errno
import http.client
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "common"))
from timeouts import per_test_timeout  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
DEFAULT_BIN = REPO / "server" / "build" / "essaim"
DEFAULT_TIMEOUT = 60  # seconds per test, see _per_test_timeout
HTTP_TIMEOUT = 10.0  # seconds per HTTP request

SESSION_COOKIE = "essaim_session"
CSRF_COOKIE = "csrf_token"

# A password that satisfies the rules (>= 10 characters).
GOOD_PASSWORD = "correct-horse-42"


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def binary_path() -> Path:
    return Path(os.environ.get("ESSAIM_BIN") or DEFAULT_BIN)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def popen_retrying(argv: list, **kw) -> subprocess.Popen:
    """Popen that waits (≤ 10 s) while the binary is being rewritten by a concurrent build
    (EACCES / ETXTBSY while the linker writes it)."""
    deadline = time.monotonic() + 10
    while True:
        try:
            return subprocess.Popen(argv, **kw)
        except OSError as e:
            if e.errno not in (errno.EACCES, errno.ETXTBSY) or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def base_env() -> dict:
    """The test runner's environment without any ESSAIM_* variable (so nothing leaks in)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ESSAIM_")}
    path = env.get("PATH", "")
    if "/usr/bin" not in path.split(":"):
        env["PATH"] = (path + ":" if path else "") + "/usr/bin:/bin"
    return env


# Issue 9: with ESSAIM_IT_PG_URL (a PostgreSQL URL whose user may create databases, e.g. from
# scripts/pg-test.sh start DIR), every data dir gets its own fresh PostgreSQL database instead of
# data/essaim.db, for the servers and the CLI alike. Unset (the default): SQLite, as always.
PG_ADMIN_URL = os.environ.get("ESSAIM_IT_PG_URL", "")
_pg_databases: dict = {}


def pg_database_for(data_dir: Path | None) -> str | None:
    """The PostgreSQL URL standing for `data_dir`'s database (created on first use), or None."""
    if not PG_ADMIN_URL or data_dir is None:
        return None
    key = str(Path(data_dir).resolve())
    if key not in _pg_databases:
        name = "it_" + uuid.uuid4().hex[:16]
        subprocess.run(["psql", PG_ADMIN_URL, "-q", "-c", f"CREATE DATABASE {name}"],
                       check=True, capture_output=True, timeout=30)
        _pg_databases[key] = PG_ADMIN_URL.rpartition("/")[0] + "/" + name
    return _pg_databases[key]


# The database of a data dir, whichever store the suite runs on: tests write their SQL once, in
# the dialect both engines share, with `?` placeholders (turned into psycopg2's `%s` on
# PostgreSQL). SQLite: data/essaim.db through the standard library. PostgreSQL: that data dir's
# database through psycopg2 (Debian python3-psycopg2, scripts/install-deps.sh), imported only
# then, so a SQLite run needs nothing beyond the standard library. Integers and NULLs come back as
# int/None on both (flags are INTEGER 0/1 on PostgreSQL too).
ON_PG = bool(PG_ADMIN_URL)


def db_file(data_dir: Path) -> Path:
    return Path(data_dir) / "essaim.db"


def _pg_run(data_dir: Path, sql: str, params) -> tuple:
    import psycopg2  # noqa: PLC0415 — PostgreSQL runs only

    url = pg_database_for(data_dir)
    con = psycopg2.connect(url, connect_timeout=10)
    try:
        con.autocommit = True
        with con.cursor() as cur:
            cur.execute(sql.replace("%", "%%").replace("?", "%s") if params else sql,
                        tuple(params) or None)
            rows = [tuple(r) for r in cur.fetchall()] if cur.description else []
            return rows, cur.rowcount
    finally:
        con.close()


def db_query(data_dir: Path, sql: str, params=()) -> list:
    """Rows (tuples) of a read. On SQLite the file is opened read-only: essaim may be running,
    or dead after kill -9 with its WAL not checkpointed (SQLite reads the WAL too, and a
    read-only connection does not touch the files)."""
    if ON_PG:
        return _pg_run(data_dir, sql, params)[0]
    con = sqlite3.connect(f"file:{db_file(data_dir)}?mode=ro", uri=True, timeout=10)
    try:
        return con.execute(sql, tuple(params)).fetchall()
    finally:
        con.close()


def db_exec(data_dir: Path, sql: str, params=()) -> int:
    """A write, committed at once (as another process would: the CLI, an operator) → the number
    of rows changed."""
    if ON_PG:
        return _pg_run(data_dir, sql, params)[1]
    con = sqlite3.connect(db_file(data_dir), timeout=10)
    try:
        with con:
            return con.execute(sql, tuple(params)).rowcount
    finally:
        con.close()


def db_set_setting(data_dir: Path, key: str, value: str) -> None:
    """Writes one row of the settings table behind essaim's back (an upsert both engines know)."""
    db_exec(data_dir, "INSERT INTO settings(key, value, updated_at) VALUES (?, ?, 0) "
                      "ON CONFLICT(key) DO UPDATE SET value = excluded.value, "
                      "updated_at = excluded.updated_at", (key, value))


def db_integrity(data_dir: Path) -> str:
    """"ok" when the database is sound. SQLite: `PRAGMA integrity_check` (read-only). PostgreSQL
    keeps its own files sound across a client's crash; the equivalent check is amcheck's
    `bt_index_check(index, heapallindexed)` on every B-tree index of essaim's tables (each index
    matches its table, every heap tuple is in its indexes): "ok", or the first error."""
    if not ON_PG:
        return db_query(data_dir, "PRAGMA integrity_check")[0][0]
    import psycopg2  # noqa: PLC0415

    try:
        _pg_run(data_dir, "CREATE EXTENSION IF NOT EXISTS amcheck", ())
        _pg_run(data_dir, "SELECT bt_index_check(c.oid, true) FROM pg_index i "
                          "JOIN pg_class c ON c.oid = i.indexrelid "
                          "JOIN pg_am am ON am.oid = c.relam "
                          "JOIN pg_namespace n ON n.oid = c.relnamespace "
                          "WHERE am.amname = 'btree' AND n.nspname = 'public'", ())
    except psycopg2.Error as e:
        return f"amcheck: {e}".strip()
    return "ok"


def db_raw_dumps(data_dir: Path) -> list:
    """[(label, bytes)]: everything the store holds, as raw bytes, to look for secrets in clear.
    SQLite: each file data/essaim.db* (the WAL too). PostgreSQL: a full pg_dump of the data
    dir's database (every table, every row, as text)."""
    if not ON_PG:
        return [(f.name, f.read_bytes()) for f in Path(data_dir).glob("essaim.db*")]
    url = pg_database_for(data_dir)
    out = subprocess.run(["pg_dump", "--no-owner", url], check=True, capture_output=True,
                         timeout=60).stdout
    assert b"CREATE TABLE public.settings" in out, out[:500]
    return [("pg_dump", out)]


def pg_drop_database_for(data_dir: Path | None) -> None:
    """Drops `data_dir`'s PostgreSQL database, if it has one (at the end of the test that used
    it: ~8 MB each, hundreds per run). Errors are ignored: cleanup must go on."""
    if not PG_ADMIN_URL or data_dir is None:
        return
    url = _pg_databases.pop(str(Path(data_dir).resolve()), None)
    if url:
        name = url.rpartition("/")[2]
        subprocess.run(["psql", PG_ADMIN_URL, "-q", "-c",
                        f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],
                       capture_output=True, timeout=30)


def unique_name(prefix: str = "u") -> str:
    """A valid, unique user name (3–32 chars of [a-z0-9._-])."""
    return f"{prefix}{uuid.uuid4().hex[:12]}"


FRENCH_WORDS = {
    "le", "la", "les", "de", "du", "des", "un", "une", "est", "sont", "pas", "ne", "doit",
    "mot", "passe", "nom", "utilisateur", "adresse", "requête", "corps", "champ", "jeton",
    "session", "méthode", "trop", "réessayez", "connectez", "invalide", "obligatoire", "pris",
    "fermées", "incorrect", "autorisée", "autorisées", "existe", "cette", "votre", "vous",
    "elle", "au", "moins", "caractères", "mal", "formée", "être", "refusée",
}
FRENCH_CHARS = set("àâäçéèêëîïôöùûüÿœæÀÂÇÉÈÊËÎÏÔÙÛÜŒ«»’")


def looks_french(message: str) -> bool:
    if any(c in FRENCH_CHARS for c in message):
        return True
    words = set(re.findall(r"[a-zà-ÿœæ]+", message.lower()))
    return bool(words & FRENCH_WORDS)


def assert_error(res: "Response", status: int, code: str, field: str | None = None) -> dict:
    """Asserts the status and the exact error shape {"error":{"code","message"(,"field")}}."""
    assert res.status == status, f"expected {status} {code}, got {res.status}: {res.text[:500]}"
    body = res.json
    assert isinstance(body, dict), f"error body is not a JSON object: {res.text[:500]!r}"
    assert set(body) == {"error"}, f"error body must only have 'error': {body}"
    err = body["error"]
    assert isinstance(err, dict)
    assert {"code", "message"} <= set(err) <= {"code", "message", "field"}, err
    assert isinstance(err["code"], str) and isinstance(err["message"], str), err
    if "field" in err:
        assert isinstance(err["field"], str), err
    assert err["code"] == code, f"expected code {code}, got {err}"
    msg = err["message"].strip()
    assert msg and msg != err["code"], f"message must be a sentence, not the code: {err}"
    assert looks_french(msg), f"message does not look French: {msg!r}"
    if field is not None:
        assert err.get("field") == field, f"expected field {field!r}: {err}"
    ct = res.header("Content-Type") or ""
    assert "application/json" in ct, f"error Content-Type is {ct!r}"
    return err


def parse_set_cookie(raw: str) -> tuple[str, str, dict]:
    """'a=b; Path=/; HttpOnly' → ('a', 'b', {'path': '/', 'httponly': True})."""
    parts = [p.strip() for p in raw.split(";")]
    name, _, value = parts[0].partition("=")
    attrs: dict = {}
    for p in parts[1:]:
        if not p:
            continue
        k, eq, v = p.partition("=")
        attrs[k.strip().lower()] = v.strip() if eq else True
    return name.strip(), value.strip(), attrs


# --------------------------------------------------------------------------------------------
# HTTP client
# --------------------------------------------------------------------------------------------


class Response:
    def __init__(self, status: int, reason: str, headers: list, body: bytes):
        self.status = status
        self.reason = reason
        self.headers = headers  # list of (name, value), original order and case
        self.body = body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def json(self):
        try:
            return json.loads(self.body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return None

    def header(self, name: str) -> str | None:
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def header_all(self, name: str) -> list:
        return [v for k, v in self.headers if k.lower() == name.lower()]

    def set_cookies(self) -> dict:
        """name → (value, attrs) for every Set-Cookie header."""
        out = {}
        for raw in self.header_all("Set-Cookie"):
            n, v, a = parse_set_cookie(raw)
            out[n] = (v, a)
        return out

    def __repr__(self) -> str:
        return f"<Response {self.status} {self.text[:200]!r}>"


def raw_request(port: int, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None, timeout: float = HTTP_TIMEOUT) -> Response:
    """One HTTP/1.1 request on a fresh connection; never raises on 4xx/5xx."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        data = r.read()
        return Response(r.status, r.reason, list(r.getheaders()), data)
    finally:
        conn.close()


def socket_exchange(port: int, data: bytes, timeout: float = HTTP_TIMEOUT) -> bytes:
    """Sends raw bytes (errors while sending are ignored: a server may answer and close before
    reading everything, as with 413), then reads until the server closes or times out."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        try:
            s.sendall(data)
        except OSError:
            pass
        out = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                out += chunk
                head, sep, rest = out.partition(b"\r\n\r\n")
                if sep:
                    m = re.search(rb"(?im)^content-length:\s*(\d+)\s*$", head)
                    if m and len(rest) >= int(m.group(1)):
                        break
        except (socket.timeout, ConnectionResetError):
            pass
        return out


def parse_raw_response(raw: bytes) -> Response:
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status_line = lines[0].split(" ", 2)
    assert status_line[0].startswith("HTTP/"), f"not an HTTP response: {raw[:200]!r}"
    headers = []
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers.append((k.strip(), v.strip()))
    return Response(int(status_line[1]), status_line[2] if len(status_line) > 2 else "",
                    headers, body)


class Browser:
    """A user agent with its own cookie jar (one per simulated browser)."""

    def __init__(self, server: "EssaimServer"):
        self.server = server
        self.cookies: dict[str, str] = {}
        self.last: Response | None = None

    @property
    def session(self) -> str | None:
        return self.cookies.get(SESSION_COOKIE)

    @property
    def csrf(self) -> str | None:
        return self.cookies.get(CSRF_COOKIE)

    def request(self, method: str, path: str, json_body=None, *, body: bytes | str | None = None,
                headers: dict | None = None, csrf: bool = False, content_type: str | None = None,
                send_cookies: bool = True, store_cookies: bool = True) -> Response:
        h = {}
        data = None
        if json_body is not None:
            data = json.dumps(json_body).encode("utf-8")
            h["Content-Type"] = "application/json"
        elif body is not None:
            data = body.encode("utf-8") if isinstance(body, str) else body
        if content_type is not None:
            h["Content-Type"] = content_type
        if send_cookies and self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if csrf and self.csrf:
            h["X-CSRF-Token"] = self.csrf
        if headers:
            h.update(headers)
        res = raw_request(self.server.port, method, path, data, h)
        if store_cookies:
            for name, (value, attrs) in res.set_cookies().items():
                max_age = attrs.get("max-age")
                if value == "" or (isinstance(max_age, str) and max_age.strip() in ("0", "-1")):
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
        self.last = res
        return res

    def get(self, path: str, **kw) -> Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, json_body=None, **kw) -> Response:
        return self.request("POST", path, json_body, **kw)

    def patch(self, path: str, json_body=None, **kw) -> Response:
        return self.request("PATCH", path, json_body, **kw)

    def delete(self, path: str, **kw) -> Response:
        return self.request("DELETE", path, **kw)

    # Conveniences -----------------------------------------------------------------------

    def register(self, username: str, password: str = GOOD_PASSWORD, **extra) -> Response:
        return self.post("/api/auth/register", {"username": username, "password": password, **extra})

    def login(self, username: str, password: str) -> Response:
        return self.post("/api/auth/login", {"username": username, "password": password})

    def me(self) -> Response:
        return self.get("/api/me")


# --------------------------------------------------------------------------------------------
# Server process
# --------------------------------------------------------------------------------------------


class ServerStartError(RuntimeError):
    pass


class EssaimServer:
    """One `essaim serve` process with its own temp dir (data dir, logs)."""

    def __init__(self, root: Path, data_dir: Path | None, env: dict, args: list, port: int,
                 wait_ready: bool = True, ready_timeout: float = 10.0):
        self.root = root
        self.data_dir = data_dir
        self.port = port
        self.args = args
        self.env = env
        self.stdout_path = root / f"essaim-{port}-{time.monotonic_ns()}.stdout"
        self.stderr_path = self.stdout_path.with_suffix(".stderr")
        self.proc: subprocess.Popen | None = None
        self.returncode: int | None = None
        self.admin_username: str | None = None
        self.admin_password: str | None = None
        self._start(wait_ready, ready_timeout)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def db_path(self) -> Path:
        """The SQLite file (absent when the suite runs on PostgreSQL: use db_query/db_exec)."""
        assert self.data_dir is not None
        return self.data_dir / "essaim.db"

    def _start(self, wait_ready: bool, ready_timeout: float) -> None:
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.proc = popen_retrying(
                [str(binary_path()), *self.args], env=self.env, cwd=str(self.root),
                stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        if wait_ready:
            self.wait_ready(ready_timeout)
            self.parse_admin()

    def stdout(self) -> str:
        return self.stdout_path.read_text("utf-8", "replace")

    def stderr(self) -> str:
        return self.stderr_path.read_text("utf-8", "replace")

    def output(self) -> str:
        return self.stdout() + self.stderr()

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def wait_ready(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        last_error = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ServerStartError(
                    f"essaim exited with {self.proc.returncode} before answering:\n"
                    f"{self.output()[-3000:]}")
            try:
                res = raw_request(self.port, "GET", "/api/health", timeout=1.0)
                if res.status == 200:
                    return
                last_error = f"status {res.status}"
            except OSError as e:
                last_error = repr(e)
            time.sleep(0.05)
        raise ServerStartError(f"essaim did not answer /api/health within {timeout} s "
                               f"({last_error}):\n{self.output()[-3000:]}")

    def parse_admin(self) -> None:
        out = self.stdout()
        m = re.search(r"^Administrateur créé : (\S+)\s*$", out, re.M)
        if m:
            self.admin_username = m.group(1)
        m = re.search(r"^Mot de passe : (\S+)\s*$", out, re.M)
        if m:
            self.admin_password = m.group(1)

    def browser(self) -> Browser:
        return Browser(self)

    def request(self, method: str, path: str, **kw) -> Response:
        return raw_request(self.port, method, path, **kw)

    def health(self) -> Response:
        return raw_request(self.port, "GET", "/api/health")

    def signal(self, sig: int) -> None:
        if self.alive():
            self.proc.send_signal(sig)

    def stop(self, timeout: float = 15.0) -> int | None:
        """SIGTERM, wait ≤ timeout, then SIGKILL. Returns the exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.returncode = self.proc.returncode
        return self.returncode

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)


class EssaimFactory:
    """Starts servers and cleans everything up in ``close()``."""

    def __init__(self):
        self.servers: list[EssaimServer] = []
        self.roots: list[Path] = []

    def new_root(self) -> Path:
        root = Path(tempfile.mkdtemp(prefix="essaim-it-"))
        self.roots.append(root)
        return root

    def start(self, *, data_dir: Path | None = None, managed_qbt: bool = False,
              web_dir: Path | None = None, env: dict | None = None, args: list | None = None,
              listen: str | None = None, set_listen: bool = True, set_data_dir: bool = True,
              wait_ready: bool = True, ready_timeout: float = 10.0,
              port: int | None = None) -> EssaimServer:
        """Starts `essaim serve`.

        data_dir: reuse this data dir (restart), otherwise a fresh one in a new temp dir.
        env: extra variables (None value = unset). args: replaces ["serve"].
        set_listen/set_data_dir=False: do not set ESSAIM_LISTEN / ESSAIM_DATA_DIR (config file).
        """
        attempts = 3 if (port is None and listen is None) else 1
        last: Exception | None = None
        for _ in range(attempts):
            root = self.new_root()
            if data_dir is None and set_data_dir:
                dd = Path(tempfile.mkdtemp(prefix="data-", dir=root))
            else:
                dd = data_dir
            p = port or free_port()
            e = base_env()
            if set_listen:
                e["ESSAIM_LISTEN"] = listen or f"127.0.0.1:{p}"
            if set_data_dir and dd is not None:
                e["ESSAIM_DATA_DIR"] = str(dd)
            if not managed_qbt:
                e["ESSAIM_QBT_MANAGED"] = "0"
            if web_dir is not None:
                e["ESSAIM_WEB_DIR"] = str(web_dir)
            pg_url = pg_database_for(dd)
            if pg_url:
                e["ESSAIM_DATABASE_URL"] = pg_url
            for k, v in (env or {}).items():
                if v is None:
                    e.pop(k, None)
                else:
                    e[k] = v
            srv = EssaimServer(root, dd, e, list(args or ["serve"]), p, wait_ready=False)
            self.servers.append(srv)  # stopped in close() whatever happens next
            if not wait_ready:
                return srv
            try:
                srv.wait_ready(ready_timeout)
            except ServerStartError as ex:
                srv.stop(5)
                last = ex
                # Port taken between free_port() and bind: try another one.
                if "impossible d'écouter" in str(ex) or "Address already in use" in str(ex):
                    continue
                raise
            srv.parse_admin()
            return srv
        raise last  # type: ignore[misc]

    def close(self) -> None:
        for s in reversed(self.servers):
            try:
                s.stop()
            except Exception:  # noqa: BLE001 — cleanup must go on
                s.kill()
        for d in {s.data_dir for s in self.servers}:
            pg_drop_database_for(d)
        self.servers.clear()
        for r in self.roots:
            shutil.rmtree(r, ignore_errors=True)
        self.roots.clear()


# --------------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------------


def run_cli(args: list, *, data_dir: Path | None = None, stdin: str | None = None,
            env: dict | None = None, timeout: float = 30.0) -> subprocess.CompletedProcess:
    e = base_env()
    e["ESSAIM_QBT_MANAGED"] = "0"
    if data_dir is not None:
        e["ESSAIM_DATA_DIR"] = str(data_dir)
    pg_url = pg_database_for(data_dir)
    if pg_url:
        e["ESSAIM_DATABASE_URL"] = pg_url
    for k, v in (env or {}).items():
        if v is None:
            e.pop(k, None)
        else:
            e[k] = v
    proc = popen_retrying([str(binary_path()), *args], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=e,
                          cwd=str(data_dir) if data_dir is not None else tempfile.gettempdir())
    try:
        out, err = proc.communicate(stdin, timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


# --------------------------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------------------------


def pytest_configure(config):
    b = binary_path()
    if not b.exists():
        raise pytest.UsageError(
            f"essaim binary not found at {b}: build it (ninja -C server/build) or set ESSAIM_BIN")


_per_test_timeout = per_test_timeout(DEFAULT_TIMEOUT)


@pytest.fixture(autouse=True)
def _pg_drop_tmp_path_databases(request):
    """On PostgreSQL, drops the databases of data dirs under the test's tmp_path (CLI tests) when
    the test ends; the servers' ones go with their EssaimFactory."""
    root = None
    if PG_ADMIN_URL and "tmp_path" in request.fixturenames:
        root = str(Path(request.getfixturevalue("tmp_path")).resolve())
    yield
    if root is not None:
        for key in [k for k in _pg_databases if k == root or k.startswith(root + os.sep)]:
            pg_drop_database_for(Path(key))


@pytest.fixture(scope="session")
def essaim_bin() -> Path:
    return binary_path()


@pytest.fixture
def essaim():
    f = EssaimFactory()
    try:
        yield f
    finally:
        f.close()


@pytest.fixture
def server(essaim) -> EssaimServer:
    return essaim.start()


@pytest.fixture(scope="module")
def shared_server():
    f = EssaimFactory()
    try:
        yield f.start()
    finally:
        f.close()


@pytest.fixture
def new_browser():
    """new_browser(server) → a Browser with an empty cookie jar."""
    return lambda srv: Browser(srv)


@pytest.fixture
def user_factory():
    """user_factory(server) → (username, password, logged-in Browser) of a new ordinary user."""

    def make(srv: EssaimServer, password: str = GOOD_PASSWORD):
        b = Browser(srv)
        name = unique_name()
        res = b.register(name, password)
        assert res.status == 201, res
        return name, password, b

    return make


# --------------------------------------------------------------------------------------------
# Torrent tests (test_torrents_*.py): one local swarm per session (see swarm.py)
# --------------------------------------------------------------------------------------------

import atexit  # noqa: E402

import swarm as swarmlib  # noqa: E402 — helpers of the torrent tests, next to this file


@pytest.fixture(scope="session")
def swarm():
    """scripts/local-swarm.sh started ONCE per session on free ports in a temp dir (main
    qbittorrent-nox + seeder + opentracker), the seeder also seeding the committed fixtures.
    Stopped (by PID, `local-swarm.sh stop DIR`) and removed at the end of the session."""
    for tool in ("qbittorrent-nox", "mktorrent", "opentracker", "curl"):
        if not shutil.which(tool, path=base_env()["PATH"]):
            pytest.skip(f"{tool} is not installed (apt-get install qbittorrent-nox mktorrent "
                        f"opentracker)")
    root = Path(tempfile.mkdtemp(prefix="essaim-swarm-"))
    s = None
    try:
        last = None
        for _ in range(3):  # a port may be taken between the check and the start
            s = swarmlib.Swarm(root / f"swarm{_}")
            try:
                s.start()
                break
            except RuntimeError as e:
                last = e
                if "already in use" not in str(e) and "did not come up" not in str(e):
                    raise
                s = None
        if s is None:
            raise last  # type: ignore[misc]
        # Also stop it if pytest dies without running the finalizers (e.g. a broken pipe).
        atexit.register(s.stop)
        s.seed_fixtures()
        yield s
    finally:
        if s is not None:
            s.stop()
            atexit.unregister(s.stop)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def swarm_clean(swarm):
    """The swarm with an empty main qBittorrent (before and after the test)."""
    swarm.clean()
    yield swarm
    swarm.clean()


@pytest.fixture
def portal(swarm_clean, essaim):
    """A fresh essaim connected to the (emptied) main qBittorrent, with its admin and two
    ordinary users A and B (swarmlib.Portal)."""
    return swarmlib.Portal(essaim, swarm_clean, Browser, unique_name)


@pytest.fixture(scope="module")
def qbt_trio(swarm):
    """Three independent qbittorrent-nox (swarmlib.QbtInstance: own profile, WebUI and BT ports,
    downloads dir and WebUI password each), started once per module next to the session swarm
    (whose seeder and tracker they download from), stopped by PID at the end. The third keeps
    its downloads on another filesystem when there is one (/dev/shm): its free space differs
    clearly from the other two's, which placement's tie-break (most free space) can be seen
    to follow."""
    root = Path(tempfile.mkdtemp(prefix="essaim-trio-"))
    shm = None
    try:
        if os.path.isdir("/dev/shm") and os.stat("/dev/shm").st_dev != os.stat(root).st_dev:
            shm = Path(tempfile.mkdtemp(prefix="essaim-trio-", dir="/dev/shm"))
    except OSError:
        shm = None
    trio = []
    try:
        for i in (1, 2, 3):
            inst = swarmlib.QbtInstance(
                root, f"qbt{i}", password=f"mdp-serveur-{i}-{uuid.uuid4().hex[:10]}",
                downloads=shm / "downloads" if i == 3 and shm is not None else None)
            trio.append(inst)
            atexit.register(inst.stop)  # also if pytest dies without running the finalizers
            inst.spawn()
        for inst in trio:
            inst.wait_up()
        yield trio
    finally:
        for inst in trio:
            inst.stop()
            atexit.unregister(inst.stop)
        shutil.rmtree(root, ignore_errors=True)
        if shm is not None:
            shutil.rmtree(shm, ignore_errors=True)


@pytest.fixture
def trio_clean(qbt_trio):
    """The three instances running and empty (before the test)."""
    for inst in qbt_trio:
        inst.clean()
    return qbt_trio
