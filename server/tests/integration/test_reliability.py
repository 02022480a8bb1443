"""Reliability ("Prove it"): nothing is lost when things break.

1. kill -9 of essaim in the middle of a burst of adds by several users (magnets of random hashes
   and generated .torrent files), three times at different moments: after each restart, every
   torrent qBittorrent accepted is owned in essaim by the user who sent it, every add essaim
   acknowledged is there and owned by the right user, one database row per torrent, and
   the database is sound (SQLite: `PRAGMA integrity_check`; PostgreSQL: amcheck on every index,
   conftest.db_integrity).
2. qBittorrent stopped for 60 s and started again (a new process, so a new SID): essaim says
   "down" (health, list, WebSocket), keeps serving the last known list as stale, logs in again
   by itself and is fresh and live again (on a WebSocket opened before the outage) within a
   measured bound.
3. The data directory's disk full (a small tmpfs): every write answers 507 `storage_full` with a
   French message, reads go on, nothing committed before is lost, a completion that happened
   while the disk was full is notified (once) when space comes back, and writes work again.
   SQLite only: on PostgreSQL the database is not in the data directory (skipped).

Test 2 runs with SQLite only (it exercises qBittorrent's side, not the store). This module stops
and restarts the session's shared main qBittorrent (test 2): the swarm is left
running (restarted) for the modules after it, and `swarm_clean` restarts it if a failure left it
stopped.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import random
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest

import swarm as sw
from conftest import (ON_PG, Browser, assert_error, db_integrity, db_query, raw_request,
                      unique_name)
from swarm import WebSocket

# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def cookie_of(browser) -> str:
    return "; ".join(f"{k}={v}" for k, v in browser.cookies.items())


def db(data_dir: Path, sql: str, args=()) -> list:
    """A read of essaim's database (conftest.db_query: SQLite read-only — essaim may be running,
    or dead after kill -9 with its WAL not checkpointed — or PostgreSQL)."""
    return db_query(data_dir, sql, args)


def integrity(data_dir: Path) -> str:
    return db_integrity(data_dir)


def bencode(x) -> bytes:
    if isinstance(x, int):
        return b"i%de" % x
    if isinstance(x, str):
        x = x.encode()
    if isinstance(x, bytes):
        return b"%d:%s" % (len(x), x)
    if isinstance(x, list):
        return b"l" + b"".join(bencode(v) for v in x) + b"e"
    if isinstance(x, dict):
        return b"d" + b"".join(bencode(k) + bencode(x[k]) for k in sorted(x)) + b"e"
    raise TypeError(type(x))


def random_torrent(rng: random.Random) -> tuple:
    """A valid v1 .torrent of a file nobody has → (infohash, file name, bytes)."""
    pieces = rng.randint(1, 4)
    tag = "%016x" % rng.getrandbits(64)
    info = {"length": pieces * 16384, "name": f"fiabilite-{tag}.bin", "piece length": 16384,
            "pieces": rng.randbytes(20 * pieces)}
    data = bencode({"created by": "essaim tests", "info": info})
    return hashlib.sha1(bencode(info)).hexdigest(), f"{tag}.torrent", data


def random_magnet(rng: random.Random) -> tuple:
    h = "%040x" % rng.getrandbits(160)
    return h, f"magnet:?xt=urn:btih:{h}&dn=fiabilite-{h[:8]}"


def qbt_owner(t: dict) -> int | None:
    for tag in t["tags"].split(","):
        tag = tag.strip()
        if tag.startswith("essaim:"):
            return int(tag[7:])
    return None


def restart_on_same_data(portal, old, browsers) -> None:
    """Starts essaim again on the data dir (and port) of `old`, which is dead; the browsers'
    sessions stay valid."""
    portal.server = portal.factory.start(data_dir=old.data_dir, port=old.port, env=portal.env)
    for b in browsers:
        b.server = portal.server
    sw.wait_link(portal.server, "ok", 15)


# ---------------------------------------------------------------------------------------------
# 1. kill -9 during a burst of adds
# ---------------------------------------------------------------------------------------------


class Burst:
    """Users adding torrents as fast as they can, each from its own thread, until the server
    stops answering. Records what was sent, what essaim acknowledged, what got no answer."""

    def __init__(self, users: list, seed: int):
        self.users = users  # [(Browser, user id)]
        self.seed = seed
        self.lock = threading.Lock()
        self.sent: dict = {}  # hash -> user id, every item ever sent
        self.acked: dict = {}  # hash -> user id, items essaim answered ok for
        self.unanswered: list = []  # [[hash, …]] requests that got no answer
        self.unexpected: list = []  # answers that are neither ok nor a dead server
        self.threads: list = []

    def run(self) -> None:
        self.threads = [threading.Thread(target=self._worker, args=(b, uid, self.seed + i),
                                         daemon=True)
                        for i, (b, uid) in enumerate(self.users)]
        for t in self.threads:
            t.start()

    def join(self, timeout: float = 20.0) -> None:
        for t in self.threads:
            t.join(timeout)
            assert not t.is_alive(), "a burst thread did not stop"

    def acked_count(self) -> int:
        with self.lock:
            return len(self.acked)

    def _worker(self, browser, uid: int, seed: int) -> None:
        rng = random.Random(seed)
        while True:
            if rng.random() < 0.25:
                files = [random_torrent(rng) for _ in range(rng.randint(1, 2))]
                hashes = [h for h, _, _ in files]

                def send():
                    return sw.add_files(browser, [(n, d) for _, n, d in files])
            else:
                magnets = [random_magnet(rng) for _ in range(rng.randint(1, 4))]
                hashes = [h for h, _ in magnets]

                def send():
                    return sw.add_magnets(browser, *[m for _, m in magnets])
            with self.lock:
                for h in hashes:
                    self.sent[h] = uid
            try:
                res = send()
            except (OSError, http.client.HTTPException):
                with self.lock:
                    self.unanswered.append(hashes)
                return  # the server is gone
            with self.lock:
                if res.status != 200:
                    self.unexpected.append((uid, res.status, res.text[:300]))
                    return
                for r, h in zip(res.json["results"], hashes):
                    if r["ok"] and r["hash"] == h:
                        self.acked[h] = uid
                    else:
                        self.unexpected.append((uid, h, r))


def check_nothing_lost(portal, users: dict, acked: dict, sent: dict, unanswered: list) -> None:
    """users: user id -> Browser. acked/sent: hash -> user id (every round so far)."""
    s = portal.swarm
    # qBittorrent answered "Ok." to every acknowledged add: it lists them all.
    listed = sw.wait_until(lambda: (q := {t["hash"]: t for t in s.main.info()})
                           and set(acked) <= set(q) and q, 20, 0.3,
                           "every acknowledged torrent listed by qBittorrent")
    owners = {h: qbt_owner(t) for h, t in listed.items()}
    assert set(listed) <= set(sent), "qBittorrent has a torrent nobody sent"
    for h in listed:  # tagged with the user who sent it (acknowledged or not)
        assert owners[h] == sent[h], (h, owners[h], sent[h])

    # essaim (after its reconciliation) lists each of them with the right owner.
    def api_owners():
        got = {t["hash"]: t for t in sw.entries(portal.admin, "all")}
        ok = all(h in got and got[h]["owner"] and got[h]["owner"]["id"] == owners[h]
                 and got[h]["removed"] is False for h in listed)
        return ok and got
    try:
        sw.wait_until(api_owners, 20, 0.3, "essaim to list every torrent with its owner")
    except AssertionError:
        got = {t["hash"]: t for t in sw.entries(portal.admin, "all")}
        bad = {h: (got.get(h) or {}).get("owner") for h in listed
               if h not in got or not got[h]["owner"] or got[h]["owner"]["id"] != owners[h]}
        raise AssertionError(f"{len(bad)} torrent(s) without their owner in essaim: "
                             f"{list(bad.items())[:5]}") from None
    for uid, b in users.items():  # and each user sees their acknowledged ones as theirs
        mine = {t["hash"]: t for t in sw.entries(b, "mine")}
        for h, owner in acked.items():
            if owner == uid:
                assert h in mine and mine[h]["owner"]["id"] == uid, (uid, h)

    # The database: sound, one row per torrent, every torrent's row names its owner.
    path = portal.server.data_dir
    assert integrity(path) == "ok"
    dup = db(path, "SELECT qbt_hash, COUNT(*) FROM torrents GROUP BY qbt_hash HAVING COUNT(*) > 1")
    assert dup == [], f"duplicate rows: {dup[:5]}"
    rows = {h: (o, removed) for h, o, removed in
            db(path, "SELECT qbt_hash, owner_id, removed_at FROM torrents")}
    for h in listed:
        assert h in rows and rows[h] == (owners[h], None), (h, rows.get(h), owners[h])
    # A row without its torrent can only come from a request cut by the kill (row written,
    # qBittorrent not called yet): at most one per unanswered request, never an acknowledged one.
    orphans = {h for h, (_, removed) in rows.items() if removed is None and h not in listed}
    cut = {h for hashes in unanswered for h in hashes}
    assert orphans <= cut, f"rows without a torrent that no kill explains: {orphans - cut}"
    assert len(orphans) <= len(unanswered), (orphans, unanswered)
    print(f"  {len(listed)} in qBittorrent ({len(set(listed) - set(acked))} of them never "
          f"acknowledged), {len(orphans)} row(s) waiting for a torrent that never came")


@pytest.mark.timeout(150)
def test_kill_9_during_a_burst_of_adds_loses_nothing(portal):
    t_start = time.monotonic()
    users = {portal.a_id: portal.a, portal.b_id: portal.b}
    for name in ("cecile", "denis"):
        b = Browser(portal.server)
        res = b.register(unique_name(name))
        assert res.status == 201, res
        users[res.json["id"]] = b
    acked: dict = {}
    sent: dict = {}
    unanswered: list = []
    # Kill after this many acknowledged adds in the round: early, mid-way, late in a long burst.
    for rnd, target in enumerate((5, 40, 120)):
        burst = Burst([(b, uid) for uid, b in users.items()], seed=1000 * rnd + os.getpid())
        burst.run()
        t0 = time.monotonic()
        try:
            sw.wait_until(lambda: burst.acked_count() >= target or burst.unexpected, 60, 0.01,
                          f"{target} acknowledged adds")
        finally:
            old = portal.server
            old.kill()  # SIGKILL, mid-burst
            burst.join()
        assert burst.unexpected == [], burst.unexpected[:5]
        print(f"round {rnd}: killed after {time.monotonic() - t0:.2f} s, "
              f"{len(burst.acked)} acknowledged, {len(burst.sent)} sent, "
              f"{len(burst.unanswered)} request(s) cut")
        # The crashed database (WAL not checkpointed) is sound before anything touches it.
        assert integrity(old.data_dir) == "ok"
        acked.update(burst.acked)
        sent.update(burst.sent)
        unanswered += burst.unanswered
        restart_on_same_data(portal, old, [portal.admin, *users.values()])
        check_nothing_lost(portal, users, acked, sent, unanswered)
    assert unanswered, "no request was in flight at any kill: the kills were not mid-burst"
    print(f"{len(acked)} acknowledged adds, {len(sent)} sent, {len(unanswered)} cut by kills, "
          f"{time.monotonic() - t_start:.1f} s")


# ---------------------------------------------------------------------------------------------
# 2. qBittorrent stopped for 60 s, restarted with a new SID
# ---------------------------------------------------------------------------------------------

OUTAGE = 60.0  # seconds qBittorrent stays stopped
# essaim retries a down qBittorrent with a backoff capped at 10 s (qbt/sync_loop.cpp), so it is
# back at most ~10 s after qBittorrent's WebUI answers; allow for a loaded machine.
RECOVERY_BOUND = 15.0


def sid_works(port: int, sid: str) -> int:
    return raw_request(port, "GET", "/api/v2/app/version", headers={"Cookie": f"SID={sid}"},
                       timeout=5).status


# The outage is qBittorrent's and the sync loop's, the same code on both engines (the store
# only sees the rows it already had): run once, with SQLite, which keeps the PostgreSQL run — CI's
# longest — a minute shorter.
@pytest.mark.skipif(ON_PG, reason="qBittorrent's outage: SQLite run only (comment above)")
@pytest.mark.timeout(150)
def test_qbittorrent_down_60_s_then_back_with_a_new_sid(portal):
    t_start = time.monotonic()
    s, a = portal.swarm, portal.a
    h = s.torrents["sample-single"][1]
    r = sw.single_result(sw.add_magnets(a, s.magnets["sample-single"]))
    assert r["ok"], r
    sw.wait_entry(a, h, sw.is_seeding, 30, scope="mine")
    old_sid = s.main.sid
    assert old_sid and sid_works(s.main.port, old_sid) == 200
    logins_before = sw.metrics(portal.admin)["essaim_qbittorrent_logins_total"]

    ws = WebSocket(portal.server.port, cookie=cookie_of(a))
    try:
        first = ws.recv_json(5)
        assert first["type"] == "status" and first["qbittorrent"] == "ok", first
        assert ws.recv_json(5)["full"] is True

        s.stop_main()
        t_down = time.monotonic()
        sw.wait_link(portal.server, "down", 10)
        m, _ = ws.wait_for(lambda m: m.get("type") == "status", 10)
        assert m["qbittorrent"] == "down" and m["error"], m
        print(f"essaim saw qBittorrent down after {time.monotonic() - t_down:.1f} s")

        # The whole outage: essaim keeps saying down and serving the last known list, stale;
        # the WebSocket stays open (read all along: it answers the server's pings).
        checks = 0
        while (left := OUTAGE - (time.monotonic() - t_down)) > 0:
            body = sw.listing(a)
            assert body["qbittorrent"] == "down" and body["stale"] is True, body
            assert "ne répond pas" in body["error"], body  # no address for users
            assert [t["hash"] for t in body["torrents"]] == [h], body
            assert body["torrents"][0]["owner"]["id"] == portal.a_id, body
            assert sw.health(portal.server)["qbittorrent"] == "down"
            if checks == 0:
                res = a.post(f"/api/torrents/{h}/pause", csrf=True)
                sw.assert_api_error(res, 503, "qbittorrent_unreachable")
            checks += 1
            for m in ws.messages(min(left, 5.0)):
                assert not (m.get("type") == "status" and m["qbittorrent"] != "down"), m
        assert not ws.closed

        # A new qBittorrent process: new session, the old SID is refused.
        s.start_main()
        t_up = time.monotonic()
        assert s.main.sid and s.main.sid != old_sid
        assert sid_works(s.main.port, old_sid) == 403
        # Something essaim has never seen, added while it still thinks qBittorrent is down.
        fresh, magnet = random_magnet(random.Random())
        assert s.main.add(urls=[magnet], tags=f"essaim:{portal.a_id}") == "Ok."

        sw.wait_link(portal.server, "ok", RECOVERY_BOUND + 5)
        recovery = time.monotonic() - t_up
        print(f"essaim back {recovery:.1f} s after qBittorrent (outage {t_up - t_down:.1f} s, "
              f"{checks} checks)")
        assert recovery <= RECOVERY_BOUND
        assert sw.metrics(portal.admin)["essaim_qbittorrent_logins_total"] > logins_before

        # Fresh data: not stale, and the torrent added meanwhile is listed, owned by A (tag).
        body = sw.wait_until(
            lambda: (b := sw.listing(a))["stale"] is False and
            {t["hash"] for t in b["torrents"]} == {h, fresh} and b, 10, 0.2,
            "a fresh list with the torrent added during the outage")
        assert body["qbittorrent"] == "ok" and body["error"] is None, body
        got = {t["hash"]: t for t in body["torrents"]}
        assert got[fresh]["owner"]["id"] == portal.a_id and got[h]["state"] == "seeding", got

        # Live again on the WebSocket opened before the outage: the status, then deltas.
        m, _ = ws.wait_for(lambda m: m.get("type") == "status" and m["qbittorrent"] == "ok", 10)
        assert m["error"] is None, m
        res = a.post(f"/api/torrents/{h}/pause", csrf=True)
        assert res.status == 204, res
        m, _ = ws.wait_for(lambda m: m.get("type") == "torrents" and any(
            t["hash"] == h and t["state"] == "completed" for t in m.get("changed", [])), 10)
        assert m["full"] is False, m
    finally:
        ws.close()
        s.ensure_main()
    print(f"test body {time.monotonic() - t_start:.1f} s")


# ---------------------------------------------------------------------------------------------
# 3. Disk full in the data directory
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def small_disk(essaim):
    """A 16 MiB tmpfs for essaim's data dir (skips when mounting is not permitted). Stops every
    server of the test before unmounting."""
    if ON_PG:
        pytest.skip("PostgreSQL store: the database is not in the data directory, a full disk "
                    "there cannot refuse its writes (SQLite only)")
    root = Path(tempfile.mkdtemp(prefix="essaim-full-"))
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m,mode=0700", "essaim-full",
                        str(root)], capture_output=True, text=True)
    if r.returncode != 0:
        root.rmdir()
        pytest.skip(f"cannot mount a small tmpfs here: {r.stderr.strip() or r.returncode}")
    try:
        yield root
    finally:
        essaim.close()
        if subprocess.run(["umount", str(root)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(root)], capture_output=True)
        root.rmdir()


def fill(path: Path) -> int:
    """Writes zeros into `path` until the disk is full → bytes written."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    written = 0
    try:
        for chunk in (1 << 20, 1 << 16, 4096, 512, 1):
            block = b"\0" * chunk
            while True:
                try:
                    written += os.write(fd, block)
                except OSError as e:
                    assert e.errno == 28, e  # ENOSPC
                    break
    finally:
        os.close(fd)
    return written


def completed_for(browser, h) -> list:
    res = browser.get("/api/notifications")
    assert res.status == 200, res
    return [n for n in res.json["notifications"]
            if n["kind"] == "completed" and n["torrent_hash"] == h]


@pytest.mark.timeout(120)
def test_disk_full_refuses_writes_clearly_and_loses_nothing(swarm_clean, essaim, small_disk):
    t_start = time.monotonic()
    s = swarm_clean
    data = small_disk / "data"
    data.mkdir()
    srv = essaim.start(data_dir=data, env=sw.essaim_env(s.main_url))
    sw.wait_link(srv, "ok")
    admin = Browser(srv)
    assert admin.login(srv.admin_username, srv.admin_password).status == 200
    a = Browser(srv)
    res = a.register(unique_name("alice"), display_name="Alice")
    assert res.status == 201, res
    a_id = res.json["id"]

    # Committed before the disk fills: a completed torrent and its notification, a setting,
    # a torrent still waiting for peers (it completes while the disk is full).
    h1 = s.torrents["sample-single"][1]
    assert sw.single_result(sw.add_magnets(a, s.magnets["sample-single"]))["ok"]
    sw.wait_until(lambda: len(completed_for(a, h1)) == 1, 30, what="completion notified")
    res = admin.request("PUT", "/api/admin/settings", {"general": {"site_name": "La Ruche"}},
                        csrf=True)
    assert res.status == 200, res
    v1 = sw.FIXTURES["v1-single"][2]
    r = sw.single_result(sw.add_files(a, [("bonjour.torrent", sw.fixture_bytes("v1-single"))]))
    assert r["ok"] and r["hash"] == v1, r
    s.main.wait_listed(v1)
    path = srv.data_dir
    before = {
        "users": db(path, "SELECT id, username, display_name FROM users ORDER BY id"),
        "torrents": db(path, "SELECT id, qbt_hash, owner_id FROM torrents ORDER BY id"),
        "notifications": db(path, "SELECT id, user_id, kind, torrent_hash FROM notifications"),
        "site_name": db(path, "SELECT value FROM settings WHERE key = 'site_name'"),
        "audit": db(path, "SELECT id, action FROM audit_log ORDER BY id"),
    }
    assert before["site_name"] == [("La Ruche",)] and len(before["torrents"]) == 2, before

    filler = small_disk / "filler"
    print(f"filled {fill(filler) / 2**20:.1f} MiB")
    try:
        # Every write: 507 storage_full, in French, and nothing changes.
        assert_error(Browser(srv).register(unique_name("zoe")), 507, "storage_full")
        assert_error(Browser(srv).login(srv.admin_username, srv.admin_password), 507,
                     "storage_full")
        assert_error(a.patch("/api/me", {"display_name": "Alice Pleine"}, csrf=True), 507,
                     "storage_full")
        assert_error(admin.request("PUT", "/api/admin/settings",
                                   {"general": {"site_name": "Autre"}}, csrf=True),
                     507, "storage_full")
        nid = completed_for(a, h1)[0]["id"]
        assert_error(a.post("/api/notifications/read", {"ids": [nid]}, csrf=True), 507,
                     "storage_full")
        lost_h, lost_magnet = random_magnet(random.Random())
        r = sw.single_result(sw.add_magnets(a, lost_magnet))
        assert r["ok"] is False and r["error"]["code"] == "storage_full", r
        assert "plein" in r["error"]["message"], r
        # Refused before qBittorrent was asked: no torrent without its owner's row.
        assert s.main.find(lost_h) is None

        # The waiting torrent completes now: the notification cannot be written yet.
        s.connect_to_seed(v1)
        sw.wait_entry(a, v1, lambda t: t["progress"] == 1, 30, scope="mine")
        sw.wait_until(lambda: "notification de fin de téléchargement non enregistrée"
                      in srv.output(), 10, what="the failed completion write logged")
        assert completed_for(a, v1) == []

        # Reads go on; the server is alive and says its database answers. And the same once
        # stopped (its WAL cannot be checkpointed into the full disk) and started again.
        for restarted in (False, True):
            if restarted:
                assert srv.stop() == 0, srv.output()[-2000:]
                srv = essaim.start(data_dir=data, port=srv.port, env=sw.essaim_env(s.main_url))
                for b in (a, admin):
                    b.server = srv
                sw.wait_link(srv, "ok")
                assert_error(a.patch("/api/me", {"display_name": "Alice Pleine"}, csrf=True),
                             507, "storage_full")
            assert srv.alive()
            health = sw.health(srv)
            assert health["status"] == "ok" and health["database"] == "ok", health
            me = a.me()
            assert me.status == 200 and me.json["display_name"] == "Alice", me
            assert {t["hash"] for t in sw.entries(a)} == {h1, v1}
            assert admin.get("/api/admin/settings").json["general"]["site_name"] == "La Ruche"
            assert len(completed_for(a, h1)) == 1 and completed_for(a, v1) == []
            assert admin.get("/api/admin/users").status == 200
    finally:
        filler.unlink()

    # Space is back: the completion is notified (once), and every write works again.
    sw.wait_until(lambda: len(completed_for(a, v1)) == 1, 20,
                  what="the completion notified once space is back")
    assert a.patch("/api/me", {"display_name": "Alice Pleine"}, csrf=True).status == 200
    assert a.post("/api/notifications/read", {"ids": [nid]}, csrf=True).status == 200
    res = admin.request("PUT", "/api/admin/settings", {"general": {"site_name": "Autre"}},
                        csrf=True)
    assert res.status == 200, res
    z = Browser(srv)
    assert z.register(unique_name("zoe")).status == 201
    r = sw.single_result(sw.add_magnets(a, lost_magnet))
    assert r["ok"] and r["hash"] == lost_h, r
    assert qbt_owner(s.main.wait_listed(lost_h)) == a_id
    # Completions are looked at on every change: still exactly one each a while later.
    t_end = time.monotonic() + 3
    while time.monotonic() < t_end:
        assert len(completed_for(a, v1)) == 1 and len(completed_for(a, h1)) == 1
        time.sleep(0.3)

    # Stopped cleanly and checked on disk: sound, everything committed before is there.
    assert srv.stop() == 0, srv.output()[-2000:]
    assert integrity(path) == "ok"
    users = {u[0]: u for u in db(path, "SELECT id, username, display_name FROM users")}
    for uid, name, display in before["users"]:
        assert users[uid] == (uid, name, "Alice Pleine" if uid == a_id else display)
    assert len(users) == len(before["users"]) + 1  # and the user registered afterwards
    torrents = db(path, "SELECT id, qbt_hash, owner_id FROM torrents ORDER BY id")
    assert torrents[:2] == before["torrents"] and [t[1] for t in torrents[2:]] == [lost_h]
    notes = db(path, "SELECT id, user_id, kind, torrent_hash FROM notifications")
    assert set(before["notifications"]) < set(notes)
    assert sorted(n[3] for n in notes if n[2] == "completed") == sorted([h1, v1])
    assert db(path, "SELECT value FROM settings WHERE key = 'site_name'") == [("Autre",)]
    assert set(before["audit"]) <= set(db(path, "SELECT id, action FROM audit_log"))

    # And essaim starts again on it.
    srv2 = essaim.start(data_dir=data, env=sw.essaim_env(s.main_url))
    a.server = srv2
    sw.wait_link(srv2, "ok")
    assert {t["hash"] for t in sw.entries(a)} == {h1, v1, lost_h}
    print(f"test body {time.monotonic() - t_start:.1f} s")
