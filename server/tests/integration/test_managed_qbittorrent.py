"""16. Managed qBittorrent: essaim starts its own private qbittorrent-nox (slow: ~5–30 s).

Run only this one:  /usr/bin/python3 -m pytest -q server/tests/integration -m managed_qbittorrent
Skip it:            ... -m "not managed_qbittorrent"
"""

import json
import os
import signal
import time
import urllib.parse
from pathlib import Path

import pytest

from conftest import ON_PG, raw_request, run_cli

QBT = Path("/usr/bin/qbittorrent-nox")


def qbt_login(port, username, password):
    body = urllib.parse.urlencode({"username": username, "password": password}).encode()
    return raw_request(port, "POST", "/api/v2/auth/login", body=body,
                       headers={"Content-Type": "application/x-www-form-urlencoded",
                                "Referer": f"http://127.0.0.1:{port}"})


def listening_addresses(port):
    """Local addresses (hex, as in /proc/net/tcp[6]) of the sockets LISTENing on port."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            addr, hport = fields[1].rsplit(":", 1)
            if int(hport, 16) == port and fields[3] == "0A":
                found.append((table, addr))
    return found


def process_state(pid):
    """None when the process is gone, else its state letter (Z = zombie)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("State:"):
                return line.split()[1]
    except (FileNotFoundError, ProcessLookupError):
        return None
    return "?"


def is_our_qbittorrent(pid, data_dir):
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().decode("utf-8", "replace")
    except OSError:
        return False
    return "qbittorrent-nox" in cmd and str(data_dir) in cmd


@pytest.mark.managed_qbittorrent
@pytest.mark.timeout(100)
def test_managed_qbittorrent(essaim):
    if not QBT.exists():
        pytest.skip("/usr/bin/qbittorrent-nox is not installed")
    srv = essaim.start(managed_qbt=True, env={"ESSAIM_QBT_MANAGED_NETWORK": "loopback"},
                       ready_timeout=45)
    qdir = srv.data_dir / "qbittorrent"
    pid = None
    try:
        deadline = time.monotonic() + 30
        health = None
        while time.monotonic() < deadline:
            health = srv.health().json
            if health["qbittorrent"] == "ok":
                break
            time.sleep(0.25)
        assert health and health["qbittorrent"] == "ok", (health, srv.output()[-3000:])

        creds = json.loads((qdir / "essaim-credentials.json").read_text())
        assert isinstance(creds["username"], str) and creds["username"]
        # The password is sealed with essaim's secret key, like the secrets of the database: the
        # file alone does not give qBittorrent away.
        assert isinstance(creds["password"], str) and creds["password"].startswith("enc:v1:")
        port = creds["webui_port"]
        assert isinstance(port, int) and 0 < port < 65536
        assert creds["username"] != "admin"
        mode = (qdir / "essaim-credentials.json").stat().st_mode & 0o777
        assert mode & 0o077 == 0, f"credentials file is readable by others: {oct(mode)}"
        # The data folder and the database: essaim's user only.
        assert srv.data_dir.stat().st_mode & 0o777 == 0o700
        if not ON_PG:
            for f in srv.data_dir.glob("essaim.db*"):
                assert f.stat().st_mode & 0o077 == 0, (f, oct(f.stat().st_mode))

        pid = int((qdir / "qbittorrent.pid").read_text().strip())
        assert is_our_qbittorrent(pid, srv.data_dir), pid

        # essaim signed in with it (health "ok" above); the sealed text is not the password.
        sealed = qbt_login(port, creds["username"], creds["password"])
        assert sealed.text.strip() == "Fails.", sealed
        bad = qbt_login(port, "admin", "adminadmin")
        assert bad.text.strip() == "Fails.", bad

        addrs = listening_addresses(port)
        assert addrs, f"nothing listens on {port}"
        # 127.0.0.1 is 0100007F in /proc/net/tcp; never 0.0.0.0 or an IPv6 wildcard.
        assert all(t == "/proc/net/tcp" and a == "0100007F" for t, a in addrs), addrs

        # network = loopback: BitTorrent itself listens on 127.0.0.1 only as well.
        bt = listening_addresses(creds["bt_port"])
        assert bt and all(t == "/proc/net/tcp" and a == "0100007F" for t, a in bt), bt

        # The password is never written to essaim's log.
        assert creds["password"] not in srv.output()

        # One-machine default: essaim serves the downloads itself from qBittorrent's save path.
        listed = run_cli(["settings"], data_dir=srv.data_dir)
        assert listed.returncode == 0, listed.stderr
        lines = dict(l.split(" = ", 1) for l in listed.stdout.splitlines())
        assert lines["download_direct"] == "true"
        assert lines["download_root"].startswith(str(srv.data_dir)), lines
        assert lines["download_secret"] == "••••• (défini)"

        t0 = time.monotonic()
        srv.proc.send_signal(signal.SIGTERM)
        code = srv.proc.wait(30)
        assert code == 0, srv.output()[-3000:]
        while time.monotonic() - t0 < 25 and process_state(pid) not in (None, "Z"):
            time.sleep(0.2)
        state = process_state(pid)
        assert state is None, f"qbittorrent-nox (pid {pid}) still there after 25 s: {state}"
        assert not (qdir / "qbittorrent.pid").exists()
    finally:
        # Never leave a qbittorrent-nox behind, even when an assertion failed.
        if pid is None:
            try:
                pid = int((qdir / "qbittorrent.pid").read_text().strip())
            except (OSError, ValueError):
                pid = None
        srv.stop()
        if pid and process_state(pid) not in (None, "Z") and is_our_qbittorrent(pid, srv.data_dir):
            os.kill(pid, signal.SIGKILL)
