"""Issue 20: several qBittorrent servers (the contract: notes/servers-contract.md).

Three independent qbittorrent-nox (conftest's `qbt_trio`: own profile, ports, downloads dir and
WebUI password each) next to the session swarm, whose seeder and tracker they download from. One
fresh essaim per test: server 1 is the first instance, named by essaim's qBittorrent settings
(ESSAIM_QBT_*, as every other torrent test configures it); servers 2 and 3 are added through
POST /api/admin/servers. Every placement is checked twice: the admin list's `server` field, and
each qbittorrent-nox's own Web API (torrents/info of that instance, and none of the others).

Placement (contract): among the active, answering, not full servers allowed to the owner's
group, the one with the fewest torrents; ties: most free space, then lowest id. The third
instance keeps its files on another filesystem when there is one (/dev/shm), so its free space
differs from the other two's by gigabytes: the tie-break is checked against the free space
essaim itself reports (GET /api/admin/servers) just before each add, with a tolerance for two
servers on the same filesystem (whose figures only differ by when each qBittorrent measured).

Runs on SQLite only: what it proves is the servers' logic (placement, links, per-server
actions), the same over either store, and the suite was PostgreSQL's longest (~95 s of a CI
budget of 40 minutes). The servers' rows, sealed passwords and group pins are the store
contract's, tested on both engines (server/tests/unit/store_test.cpp)."""

import collections
import json
import os
import re
import time
import urllib.parse

import pytest

import swarm as sw
from conftest import (ON_PG, Browser, db_raw_dumps, free_port, looks_french, run_cli,
                      unique_name)
from swarm import WebSocket
from swarm import assert_api_error as assert_error
from test_admin import ALL, move
from test_downloads import Nginx, fetch, links

pytestmark = [pytest.mark.timeout(120),
              pytest.mark.skipif(ON_PG, reason="the servers' logic: SQLite run only (docstring)")]

NAMES = {2: "Deuxième serveur", 3: "Troisième serveur"}
SERVER_KEYS = {"id", "name", "url", "username", "password_set", "download_root",
               "download_base_url", "state", "link", "error", "detail", "torrents", "free_space",
               "dlspeed", "upspeed", "version"}
# Two servers whose free space differs by less than this are taken as tied on free space (same
# filesystem, measured at different moments while other processes write).
SAME_DISK = 2 << 30
SECRET = "secret-des-liens-multi-serveurs-0123456789"
SIZES = {"v1-single": 40000, "v2-single": 50000, "hybrid-single": 36000}


# --------------------------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------------------------


@pytest.fixture
def multi_factory(trio_clean, swarm, essaim):
    """start(env=None, extra=None) → a Portal (admin, users A and B) on a fresh essaim whose
    server 1 is trio[0] and servers 2 and 3 trio[1] and trio[2], added through the API with
    extra[2] / extra[3] as more fields; waits until all three answer. The Portal also has
    `trio` (the instances) and `answers` (the setup's answers, for the password checks)."""

    def start(env: dict | None = None, extra: dict | None = None) -> sw.Portal:
        p = sw.Portal(essaim, swarm, Browser, unique_name, env=env, qbt=trio_clean[0])
        p.trio = trio_clean
        p.answers = []
        for i in (2, 3):
            inst = trio_clean[i - 1]
            res = p.admin.post("/api/admin/servers", dict({
                "name": NAMES[i], "url": inst.url, "username": sw.QBT_USER,
                "password": inst.password}, **((extra or {}).get(i, {}))), csrf=True)
            assert res.status == 201, res
            assert res.json["server"]["id"] == i, res.json
            p.answers.append(res)
        sw.wait_until(lambda: all(s["link"] == "ok" and s["free_space"] > 0
                                  for s in servers(p)) and len(servers(p)) == 3,
                      20, 0.2, "the three servers answering")
        return p

    return start


@pytest.fixture
def multi(multi_factory) -> sw.Portal:
    return multi_factory()


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def servers(p) -> list:
    res = p.admin.get("/api/admin/servers")
    assert res.status == 200, res
    return res.json["servers"]


def by_id(p) -> dict:
    return {s["id"]: s for s in servers(p)}


def lonely(label: str = "seul") -> tuple:
    """A magnet nobody seeds (it stays without metadata): (magnet, its hash)."""
    h = os.urandom(20).hex()
    return f"magnet:?xt=urn:btih:{h}&dn={label}", h


def added(res) -> str:
    r = sw.single_result(res)
    assert r["ok"] is True, r
    return r["hash"]


def add_lonely(browser, label: str = "seul") -> str:
    magnet, h = lonely(label)
    assert added(sw.add_magnets(browser, magnet)) == h
    return h


def add_fixture(browser, name: str) -> str:
    h = added(sw.add_files(browser, [(f"{name}.torrent", sw.fixture_bytes(name))]))
    assert h == sw.FIXTURES[name][2]
    return h


def server_of(p, h: str, timeout: float = 10) -> int:
    """The server essaim says holds h (the admin list's `server`), checked against its name."""
    t = sw.wait_entry(p.admin, h, lambda t: t.get("server") is not None, timeout,
                      what=f"{h} listed with its server")
    names = {s["id"]: s["name"] for s in servers(p)}
    assert t["server_name"] == names[t["server"]], (t, names)
    return t["server"]


def holders(p, h: str) -> list:
    """The servers (1..3) whose own qbittorrent-nox lists h (among those running)."""
    return [i + 1 for i, inst in enumerate(p.trio)
            if inst.pid is not None and inst.qbt.find(h) is not None]


def assert_only_on(p, h: str, sid: int) -> dict:
    """h is in trio[sid]'s own list, and in no other instance's."""
    q = p.trio[sid - 1].qbt.wait_listed(h)
    assert holders(p, h) == [sid], (h, sid, holders(p, h))
    return q


def french(msg: str) -> bool:
    return looks_french(msg) or bool(set(re.findall(r"[a-zà-ÿœæ]+", msg.lower()))
                                     & sw.EXTRA_FRENCH)


def refusal(res, code: str) -> dict:
    """An add refused with `code`: a failed item of the usual 200 {"results": [...]} answer (as
    duplicates and limits are), or the whole request refused with 409 and that code."""
    if res.status == 200:
        r = sw.single_result(res)
        assert r["ok"] is False, f"expected the add refused with {code}: {r}"
        err = r["error"]
        assert err["code"] == code, f"expected {code}: {r}"
        assert err["message"] and err["message"] != code and french(err["message"]), r
        return err
    return assert_error(res, 409, code)


def new_group(p, name: str, servers_=None, limits=None) -> dict:
    body = {"name": name, "permissions": ALL, "limits": limits or {}}
    if servers_ is not None:
        body["servers"] = servers_
    res = p.admin.post("/api/admin/groups", body, csrf=True)
    assert res.status == 201, res
    assert res.json["servers"] == (servers_ or []), res.json
    return res.json


def pin(p, user_id: int, servers_: list, name: str | None = None) -> int:
    """Puts the user in a new group allowed only `servers_` → the group's id."""
    g = new_group(p, name or unique_name("groupe"), servers_)
    move(p, user_id, g["id"])
    return g["id"]


def set_group_servers(p, gid: int, servers_: list) -> None:
    res = p.admin.patch(f"/api/admin/groups/{gid}", {"servers": servers_}, csrf=True)
    assert res.status == 200, res
    assert res.json["servers"] == servers_, res.json


def patch_server(p, sid: int, body: dict) -> dict:
    res = p.admin.patch(f"/api/admin/servers/{sid}", body, csrf=True)
    assert res.status == 200, res
    return res.json["server"]


def acceptable(before: dict, counts: collections.Counter, allowed=(1, 2, 3)) -> set:
    """The servers the contract allows for the next torrent: fewest torrents (counted from
    where essaim put every earlier one), then most free space (as essaim reported it just
    before; servers within SAME_DISK of the best count as tied, any of them may win)."""
    ok = [i for i in allowed if before[i]["state"] == "active" and before[i]["link"] == "ok"]
    fewest = min(counts[i] for i in ok)
    tied = [i for i in ok if counts[i] == fewest]
    best = max(before[i]["free_space"] for i in tied)
    return {i for i in tied if before[i]["free_space"] >= best - SAME_DISK}


def failed_logins(inst) -> int:
    try:
        return inst.log.read_text("utf-8", "replace").count("WebAPI login failure")
    except FileNotFoundError:
        return 0


def cookie_of(browser) -> str:
    return "; ".join(f"{k}={v}" for k, v in browser.cookies.items())


def stale_by_hash(browser) -> dict:
    return {t["hash"]: t["stale"] for t in sw.entries(browser, "all")}


def stale_of(browser, hashes) -> dict:
    st = stale_by_hash(browser)
    return {h: st.get(h) for h in hashes}


def health_servers(p) -> list:
    return sw.health(p.server)["servers"]


# --------------------------------------------------------------------------------------------
# 1. The servers list
# --------------------------------------------------------------------------------------------


def test_servers_list_is_for_admins_without_passwords_and_validates(multi):
    p, trio = multi, multi.trio
    ss = servers(p)
    assert [s["id"] for s in ss] == [1, 2, 3], ss
    for s, inst in zip(ss, trio):
        assert SERVER_KEYS <= set(s), (SERVER_KEYS - set(s), s)
        assert "password" not in s, s
        assert s["url"].rstrip("/") == inst.url, s
        assert s["username"] == sw.QBT_USER and s["password_set"] is True, s
        assert s["state"] == "active" and s["link"] == "ok", s
        assert s["error"] is None and s["detail"] is None, s
        assert s["torrents"] == 0 and s["free_space"] > 0, s
        assert isinstance(s["dlspeed"], int) and isinstance(s["upspeed"], int), s
    assert ss[1]["name"] == NAMES[2] and ss[2]["name"] == NAMES[3], ss
    assert isinstance(ss[0]["name"], str) and 1 <= len(ss[0]["name"]) <= 60, ss
    # What POST answered is the server as listed.
    for res, s in zip(p.answers, ss[1:]):
        got = res.json["server"]
        assert {k: got[k] for k in ("id", "name", "url", "username", "password_set", "state")} \
            == {k: s[k] for k in ("id", "name", "url", "username", "password_set", "state")}, got

    # /api/health: each server's id, state and link, nothing else (no name, no address).
    h = sw.health(p.server)
    assert [(x["id"], x["link"]) for x in h["servers"]] == [(1, "ok"), (2, "ok"), (3, "ok")], h
    for inst in trio:
        assert str(inst.webui_port) not in json.dumps(h), h
    assert NAMES[2] not in json.dumps(h), h

    # Ordinary users and strangers: nothing, and nothing changes.
    a = p.a
    for method, path, body in (
            ("GET", "/api/admin/servers", None),
            ("POST", "/api/admin/servers", {"name": "Intrus", "url": trio[0].url}),
            ("PATCH", "/api/admin/servers/2", {"name": "Piraté"}),
            ("DELETE", "/api/admin/servers/3", None),
            ("POST", "/api/admin/servers/test", {"url": trio[1].url, "id": 2}),
            ("GET", "/api/stats/speed?range=10m&server=2", None)):
        assert_error(a.request(method, path, body, csrf=True), 403, "forbidden")
    assert_error(Browser(p.server).get("/api/admin/servers"), 401, "unauthenticated")
    assert [(s["id"], s["name"], s["state"]) for s in servers(p)] == \
        [(s["id"], s["name"], s["state"]) for s in ss]

    # Validation: French refusals, nothing created.
    good = {"name": "Quatrième", "url": "http://127.0.0.1:1/", "username": sw.QBT_USER,
            "password": "x"}
    post = lambda **kw: p.admin.post("/api/admin/servers", dict(good, **kw), csrf=True)  # noqa: E731
    for name in ("", "x" * 61):
        assert_error(post(name=name), 422, "invalid_name")
    for url in ("ftp://127.0.0.1/", "pas une adresse", ""):
        assert_error(post(url=url), 422, "invalid_url")
    assert_error(post(state="endormi"), 422, "invalid_state")
    assert_error(post(name=NAMES[2]), 409, "name_taken")
    assert [s["id"] for s in servers(p)] == [1, 2, 3]
    assert_error(p.admin.patch("/api/admin/servers/3", {"name": NAMES[2]}, csrf=True), 409,
                 "name_taken")
    assert_error(p.admin.patch("/api/admin/servers/2", {"url": "ftp://x/"}, csrf=True), 422,
                 "invalid_url")
    assert_error(p.admin.patch("/api/admin/servers/2", {"state": "x"}, csrf=True), 422,
                 "invalid_state")
    assert_error(p.admin.patch("/api/admin/servers/99", {"name": "Absent"}, csrf=True), 404,
                 "not_found")

    # A rename with the password absent or "" keeps the stored password: still connected, and
    # qBittorrent saw no failed login.
    before = failed_logins(trio[1])
    renamed = patch_server(p, 2, {"name": "Serveur renommé", "password": ""})
    assert renamed["name"] == "Serveur renommé" and renamed["password_set"] is True, renamed
    res = p.admin.patch("/api/admin/servers/2", {"username": sw.QBT_USER}, csrf=True)
    assert res.status == 200 and res.json["server"]["password_set"] is True, res
    p.answers.append(res)
    time.sleep(1)
    sw.wait_until(lambda: by_id(p)[2]["link"] == "ok", 10, 0.2, "server 2 still answering")
    assert failed_logins(trio[1]) == before

    # The connection test: given password, stored password (id), wrong password, nothing there.
    test = lambda body: p.admin.post("/api/admin/servers/test", body, csrf=True)  # noqa: E731
    ok = test({"url": trio[1].url, "username": sw.QBT_USER, "password": trio[1].password})
    assert ok.status == 200 and ok.json["ok"] is True and ok.json["version"] == "v4.5.2", ok
    assert isinstance(ok.json["free_space"], int), ok
    stored = test({"url": trio[1].url, "username": sw.QBT_USER, "id": 2})
    assert stored.status == 200 and stored.json["ok"] is True, stored
    wrong = test({"url": trio[1].url, "username": sw.QBT_USER, "password": "pas-le-bon"}).json
    assert wrong["ok"] is False and wrong["code"] == "bad_credentials", wrong
    assert french(wrong["message"]), wrong
    closed = test({"url": f"http://127.0.0.1:{free_port()}"}).json
    assert closed["ok"] is False and closed["code"] == "unreachable" and closed["message"], closed

    # The speed history of one server: for admins (403 for users, checked above).
    whole = p.admin.get("/api/stats/speed?range=10m")
    one = p.admin.get("/api/stats/speed?range=10m&server=2")
    assert whole.status == 200 and one.status == 200, (whole, one)
    # The same shape (an echo of the filter, "server": 2, is fine).
    assert set(whole.json) <= set(one.json) and one.json["range"] == "10m", one.json
    assert one.json.get("server", 2) == 2, one.json

    # Audit: the two creations and the updates, about servers.
    created = p.admin.get("/api/admin/audit?action=server.create").json["entries"]
    assert sorted(str(e["target_id"]) for e in created) == ["2", "3"], created
    assert all(e["target_type"] == "server" for e in created), created
    updated = p.admin.get("/api/admin/audit?action=server.update").json["entries"]
    assert updated and all(str(e["target_id"]) == "2" for e in updated), updated

    # The passwords never appear: in no answer, not in the audit, not in clear in the store.
    texts = [r.text for r in p.answers] + [ok.text, stored.text]
    texts += [p.admin.get(path).text for path in (
        "/api/admin/servers", "/api/admin/settings",
        "/api/admin/audit?action=server.", "/api/health")]
    for inst in trio:
        for text in texts:
            assert inst.password not in text, (inst.name, text[:500])
    for label, raw in db_raw_dumps(p.server.data_dir):
        for inst in trio:
            assert inst.password.encode() not in raw, (label, inst.name)

    # Checked last (the 14:30 binary fails both, see the report): /api/health's exact server
    # objects, and each answering server's qBittorrent version.
    assert h["servers"] == [{"id": i, "state": "active", "link": "ok"} for i in (1, 2, 3)], h
    for s, inst in zip(servers(p), trio):
        assert s["version"] == inst.qbt.ok("GET", "app/version") == "v4.5.2", s


# --------------------------------------------------------------------------------------------
# 2. Placement, and one list
# --------------------------------------------------------------------------------------------

SPREAD = ["v1-single", "v1-multi", "v2-single", "v2-multi", "hybrid-single", "hybrid-multi"]


def test_new_torrents_go_to_the_least_loaded_server_and_make_one_list(multi):
    p, trio = multi, multi.trio
    placed = {}
    for i, name in enumerate(SPREAD):
        before = by_id(p)
        allowed = acceptable(before, collections.Counter(placed.values()))
        h = add_fixture(p.a if i % 2 == 0 else p.b, name)
        sid = server_of(p, h)
        free = {k: v["free_space"] for k, v in before.items()}
        assert sid in allowed, (f"{name} went to server {sid}; the contract allows {allowed} "
                                f"(placed so far {placed}, free space {free})")
        placed[h] = sid
    assert collections.Counter(placed.values()) == {1: 2, 2: 2, 3: 2}, placed

    # Each torrent is on exactly the qbittorrent-nox essaim names.
    for h, sid in placed.items():
        assert_only_on(p, h, sid)
    sw.wait_until(lambda: {s["id"]: s["torrents"] for s in servers(p)} == {1: 2, 2: 2, 3: 2},
                  10, 0.2, "the servers list counting 2 torrents each")

    # Three more in ONE request: the batch spreads too (one each).
    magnets = [lonely(f"lot-{i}") for i in range(3)]
    res = sw.add_magnets(p.b, *[m for m, _ in magnets])
    assert res.status == 200 and all(r["ok"] for r in res.json["results"]), res
    batch = {h: server_of(p, h) for _, h in magnets}
    assert sorted(batch.values()) == [1, 2, 3], batch
    for h, sid in batch.items():
        assert_only_on(p, h, sid)
    placed.update(batch)

    # One list: everybody's, from the three servers, fresh; servers only for admins.
    body = sw.listing(p.admin, "all")
    assert body["qbittorrent"] == "ok" and body["stale"] is False, body
    assert body["servers_down"] == 0, body
    got = {t["hash"]: t for t in body["torrents"]}
    assert set(got) == set(placed), (set(got) ^ set(placed))
    for h, sid in placed.items():
        assert got[h]["server"] == sid and got[h]["stale"] is False, got[h]
    a_hashes = {h for i, h in enumerate(list(placed)[:6]) if i % 2 == 0}
    mine = sw.listing(p.a, "mine")
    assert mine["servers_down"] == 0 and mine["stale"] is False, mine
    assert {t["hash"] for t in mine["torrents"]} == a_hashes, mine
    assert len({placed[h] for h in a_hashes}) >= 2, placed  # A's list spans servers
    for t in sw.entries(p.b, "all"):
        assert t["stale"] is False, t
        assert "server" not in t and "server_name" not in t, t
    assert {t["hash"] for t in sw.entries(p.b, "all")} == set(placed)
    detail = p.a.get(f"/api/torrents/{next(iter(a_hashes))}")
    assert detail.status == 200 and "server" not in detail.json, detail
    detail = p.admin.get(f"/api/torrents/{next(iter(a_hashes))}")
    assert detail.json["server"] == placed[next(iter(a_hashes))], detail.json


# --------------------------------------------------------------------------------------------
# 3. Duplicates across servers
# --------------------------------------------------------------------------------------------


def test_a_duplicate_on_server_2_is_refused_wherever_placement_would_go(multi):
    p, trio = multi, multi.trio
    pin(p, p.a_id, [2])
    name = "hybrid-single"
    v1, _v2, qid = sw.FIXTURES[name][:3]
    h = add_fixture(p.a, name)
    assert server_of(p, h) == 2
    assert_only_on(p, h, 2)
    # Placement alone would not pick server 2 (it holds the most).
    sw.wait_until(lambda: {s["id"]: s["torrents"] for s in servers(p)} == {1: 0, 2: 1, 3: 0},
                  10, 0.2, "the servers list counting it on server 2")

    as_file = [(f"{name}.torrent", sw.fixture_bytes(name))]
    err = refusal(sw.add_files(p.b, as_file), "duplicate_torrent")
    assert "Alice Essaim" in err["message"], err
    refusal(sw.add_magnets(p.b, f"magnet:?xt=urn:btih:{v1}&dn=copie"), "duplicate_torrent")
    gb = pin(p, p.b_id, [3])  # B may only use server 3: still the same torrent
    refusal(sw.add_files(p.b, as_file), "duplicate_torrent")
    set_group_servers(p, gb, [1, 3])
    refusal(sw.add_magnets(p.b, f"magnet:?xt=urn:btih:{v1}"), "duplicate_torrent")
    refusal(sw.add_files(p.admin, as_file), "duplicate_torrent")
    err = refusal(sw.add_files(p.a, as_file), "duplicate_torrent")
    assert "déjà dans votre liste" in err["message"], err

    time.sleep(0.5)  # qBittorrent lists a new torrent ~0.2 s after adding it
    assert trio[0].qbt.info() == [] and trio[2].qbt.info() == [], "a copy reached 1 or 3"
    assert [t["hash"] for t in trio[1].qbt.info()] == [qid]
    assert [t["hash"] for t in sw.entries(p.admin, "all")] == [h]


# --------------------------------------------------------------------------------------------
# 4. One server down, then back
# --------------------------------------------------------------------------------------------


def test_a_server_down_makes_only_its_torrents_stale_and_they_come_back(multi):
    p, trio = multi, multi.trio
    g = pin(p, p.a_id, [1])
    h = {}
    for sid in (1, 2, 3):
        set_group_servers(p, g, [sid])
        h[sid] = add_lonely(p.a, f"serveur-{sid}")
        assert server_of(p, h[sid]) == sid
        assert_only_on(p, h[sid], sid)
    set_group_servers(p, g, [])
    # Saved in its profile, so that it is still there after the kill -9.
    sw.wait_until(lambda: trio[1].has_resume_data(h[2]), 10, 0.2, "server 2's resume data")
    sw.wait_until(lambda: stale_by_hash(p.a) == {h[1]: False, h[2]: False, h[3]: False}, 10,
                  0.2, "three fresh torrents")

    ws = WebSocket(p.server.port, cookie=cookie_of(p.a))
    try:
        pid = trio[1].pid
        trio[1].kill()
        t0 = time.monotonic()
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
        sw.wait_until(lambda: stale_by_hash(p.a) == {h[1]: False, h[2]: True, h[3]: False},
                      12, 0.2, "only server 2's torrent stale")
        print(f"server 2's torrents stale {time.monotonic() - t0:.1f} s after the kill")
        body = sw.listing(p.a, "all")
        assert body["servers_down"] == 1, body
        assert body["qbittorrent"] == "ok" and body["stale"] is False, body
        down = next(t for t in body["torrents"] if t["hash"] == h[2])
        assert down["removed"] is False, down  # the last known entry, still listed
        assert {(s["id"], s["link"]) for s in health_servers(p)} == \
            {(1, "ok"), (2, "down"), (3, "ok")}
        s2 = by_id(p)[2]
        assert s2["link"] == "down" and s2["state"] == "active", s2
        assert isinstance(s2["error"], str) and french(s2["error"]), s2
        m, _ = ws.wait_for(lambda m: m.get("type") == "status" and m.get("servers_down") == 1,
                           10)
        assert m["qbittorrent"] == "ok", m

        # The other servers keep updating: a pause on server 1 shows at once.
        assert p.a.post(f"/api/torrents/{h[1]}/pause", csrf=True).status == 204
        t = sw.wait_entry(p.a, h[1], lambda t: t["state"] == "paused", 5, scope="mine",
                          what="server 1's torrent paused while server 2 is down")
        assert t["stale"] is False, t
        assert trio[0].qbt.torrent(h[1])["state"] == "pausedDL"
        # Server 2's torrent cannot be acted on meanwhile (as when the only qBittorrent is down).
        assert_error(p.a.post(f"/api/torrents/{h[2]}/pause", csrf=True), 503,
                     "qbittorrent_unreachable")

        # New torrents go to the servers that answer.
        for i in range(3):
            hh = add_lonely(p.b, f"pendant-{i}")
            sid = server_of(p, hh)
            assert sid in (1, 3), (hh, sid)
            assert_only_on(p, hh, sid)
        assert sw.listing(p.b)["servers_down"] == 1

        # Same profile, same port: back without restarting essaim.
        trio[1].start()
        t1 = time.monotonic()
        sw.wait_until(lambda: stale_by_hash(p.a).get(h[2]) is False, 30, 0.3,
                      "server 2's torrent fresh again")
        print(f"server 2's torrents fresh {time.monotonic() - t1:.1f} s after its restart")
        body = sw.listing(p.a, "all")
        assert body["servers_down"] == 0 and all(not t["stale"] for t in body["torrents"]), body
        assert {(s["id"], s["link"]) for s in health_servers(p)} == \
            {(1, "ok"), (2, "ok"), (3, "ok")}
        ws.wait_for(lambda m: m.get("type") == "status" and m.get("servers_down") == 0, 10)
    finally:
        ws.close()
    assert p.server.alive()
    assert p.a.post(f"/api/torrents/{h[2]}/pause", csrf=True).status == 204
    sw.wait_until(lambda: trio[1].qbt.torrent(h[2])["state"] == "pausedDL", 5, 0.2,
                  "server 2's torrent paused in its qbittorrent-nox")
    assert holders(p, h[2]) == [2]


# --------------------------------------------------------------------------------------------
# 5. Groups pinned to servers
# --------------------------------------------------------------------------------------------


def test_a_group_pinned_to_server_3_puts_every_add_there(multi):
    p, trio = multi, multi.trio
    # Server 3 holds the most torrents first: placement alone would never choose it.
    pin(p, p.b_id, [3])
    for i in range(2):
        assert server_of(p, add_lonely(p.b, f"charge-{i}")) == 3
    groups = {g["id"]: g for g in p.admin.get("/api/admin/groups").json["groups"]}
    assert groups[2]["servers"] == [], groups[2]  # the default group: every server
    assert all("servers" in g for g in groups.values()), groups

    g = new_group(p, "Serveur trois", [3])
    move(p, p.a_id, g["id"])
    hs = [add_lonely(p.a, "épinglé-1"), add_lonely(p.a, "épinglé-2"),
          add_fixture(p.a, "v1-single")]
    for h in hs:
        assert server_of(p, h) == 3, h
        assert_only_on(p, h, 3)
    assert trio[0].qbt.info() == [] and trio[1].qbt.info() == []

    # Unknown servers are refused, and the group is unchanged.
    for bad in ([99], [3, 99], [0]):
        assert_error(p.admin.patch(f"/api/admin/groups/{g['id']}", {"servers": bad},
                                   csrf=True), 422, "invalid_server")
    res = p.admin.post("/api/admin/groups", {"name": "Nulle part", "permissions": ALL,
                                             "limits": {}, "servers": [42]}, csrf=True)
    assert_error(res, 422, "invalid_server")
    groups = {x["name"]: x for x in p.admin.get("/api/admin/groups").json["groups"]}
    assert "Nulle part" not in groups and groups["Serveur trois"]["servers"] == [3], groups

    # Allowed 1 and 2 instead: no longer 3.
    set_group_servers(p, g["id"], [1, 2])
    h = add_lonely(p.a, "un-ou-deux")
    sid = server_of(p, h)
    assert sid in (1, 2), sid
    assert_only_on(p, h, sid)

    # Pinned to a server that takes no new torrent: no server can receive it.
    set_group_servers(p, g["id"], [3])
    assert patch_server(p, 3, {"state": "draining"})["state"] == "draining"
    magnet, hx = lonely("nulle-part")
    err = refusal(sw.add_magnets(p.a, magnet), "no_server")
    assert "Aucun serveur" in err["message"], err
    time.sleep(0.5)
    assert holders(p, hx) == [] and sw.entry(p.admin, hx) is None


# --------------------------------------------------------------------------------------------
# 6. Limits count every server
# --------------------------------------------------------------------------------------------


def test_limits_count_the_users_torrents_on_every_server(multi):
    p, trio = multi, multi.trio
    # A: at most 2 torrents. From three empty servers, the two go to two different servers.
    g = new_group(p, "Deux torrents", None, {"max_torrents": 2})
    move(p, p.a_id, g["id"])
    h1, h2 = add_lonely(p.a, "a-1"), add_lonely(p.a, "a-2")
    s1, s2 = server_of(p, h1), server_of(p, h2)
    assert s1 != s2, (s1, s2)
    magnet, h3 = lonely("a-3")
    err = refusal(sw.add_magnets(p.a, magnet), "limit_torrents")
    assert "(2)" in err["message"], err
    assert p.a.get("/api/me").json["usage"]["torrents"] == 2

    # B: a 100,000-byte quota; 40,000 bytes on one server and 50,000 on another leave room
    # for 36,000 on either alone, not for the sum.
    gq = new_group(p, "Quota", [1], {"quota_bytes": 100000})
    move(p, p.b_id, gq["id"])
    hv1 = add_fixture(p.b, "v1-single")
    set_group_servers(p, gq["id"], [2])
    hv2 = add_fixture(p.b, "v2-single")
    assert (server_of(p, hv1), server_of(p, hv2)) == (1, 2)
    set_group_servers(p, gq["id"], [3])  # a server holding none of B's torrents
    err = refusal(sw.add_files(p.b, [("h.torrent", sw.fixture_bytes("hybrid-single"))]),
                  "limit_quota")
    assert "quota" in err["message"], err
    usage = p.b.get("/api/me").json["usage"]
    assert usage["torrents"] == 2 and usage["disk_used"] == SIZES["v1-single"] + \
        SIZES["v2-single"], usage
    time.sleep(0.5)
    assert holders(p, sw.FIXTURES["hybrid-single"][2]) == [] and holders(p, h3) == []
    assert {t["hash"] for t in sw.entries(p.admin, "all")} == {h1, h2, hv1, hv2}
    assert sum(len(inst.qbt.info()) for inst in trio) == 4


# --------------------------------------------------------------------------------------------
# 7. Disabled, draining, deleting a server
# --------------------------------------------------------------------------------------------


def test_disabled_draining_and_deleting_a_server(multi):
    p, trio = multi, multi.trio
    g = pin(p, p.a_id, [2])
    hc = add_fixture(p.a, "v1-single")
    trio[1].connect_to_seed(p.swarm, hc)
    hl = add_lonely(p.a, "en-attente")
    for h in (hc, hl):
        assert server_of(p, h) == 2
        assert_only_on(p, h, 2)
    sw.wait_entry(p.a, hc, lambda t: t["progress"] == 1, 30, what="v1-single complete")
    set_group_servers(p, g, [])
    assert_error(p.admin.patch("/api/admin/servers/2", {"state": "endormi"}, csrf=True), 422,
                 "invalid_state")

    # Disabled: essaim leaves it alone; its torrents are listed stale; actions refused.
    s = patch_server(p, 2, {"state": "disabled"})
    assert s["state"] == "disabled", s
    sw.wait_until(lambda: by_id(p)[2]["link"] == "disabled", 10, 0.2, "link disabled")
    sw.wait_until(lambda: stale_of(p.a, (hc, hl)) == {hc: True, hl: True}, 10, 0.2,
                  "the disabled server's torrents stale")
    body = sw.listing(p.a)
    assert body["servers_down"] == 0 and body["qbittorrent"] == "ok", body
    assert_error(p.a.post(f"/api/torrents/{hc}/pause", csrf=True), 409, "server_disabled")
    assert_error(p.a.delete(f"/api/torrents/{hl}?delete_files=false", csrf=True), 409,
                 "server_disabled")
    disabled_health = health_servers(p)
    assert {x["id"]: x["link"] for x in disabled_health}[2] == "disabled", disabled_health
    for i in range(2):
        h = add_lonely(p.b, f"pas-sur-2-{i}")
        assert server_of(p, h) in (1, 3)
    assert {t["hash"] for t in trio[1].qbt.info()} == {hc, hl}

    # Draining: answering again, its torrents fresh and usable, but no new torrent goes there.
    assert patch_server(p, 2, {"state": "draining"})["state"] == "draining"
    sw.wait_until(lambda: by_id(p)[2]["link"] == "ok", 15, 0.2, "server 2 answering again")
    sw.wait_until(lambda: stale_of(p.a, (hc, hl)) == {hc: False, hl: False}, 15, 0.2,
                  "the draining server's torrents fresh")
    for i in range(3):
        h = add_lonely(p.b, f"vidange-{i}")
        sid = server_of(p, h)
        assert sid in (1, 3), (h, sid)
        assert_only_on(p, h, sid)
    assert {t["hash"] for t in trio[1].qbt.info()} == {hc, hl}
    assert p.a.post(f"/api/torrents/{hc}/pause", csrf=True).status == 204
    sw.wait_until(lambda: trio[1].qbt.torrent(hc)["state"] in ("pausedUP", "stoppedUP"), 5, 0.2,
                  "paused on server 2")
    assert p.a.post(f"/api/torrents/{hc}/resume", csrf=True).status == 204
    sw.wait_until(lambda: trio[1].qbt.torrent(hc)["state"] in ("stalledUP", "uploading"), 5,
                  0.2, "resumed on server 2")

    # Deleting: not while it holds torrents, never server 1, 404 for nothing.
    assert_error(p.admin.delete("/api/admin/servers/2", csrf=True), 409, "server_not_empty")
    assert_error(p.admin.delete("/api/admin/servers/1", csrf=True), 409, "server_default")
    assert_error(p.admin.delete("/api/admin/servers/99", csrf=True), 404, "not_found")
    assert [x["id"] for x in servers(p)] == [1, 2, 3]

    # (Deleting with the files on server 2 is test_pause_resume_and_delete_act_on_server_2's.)
    for h in (hc, hl):
        res = p.a.delete(f"/api/torrents/{h}?delete_files=false", csrf=True)
        assert res.status == 204, res
    sw.wait_until(lambda: trio[1].qbt.info() == [], 10, 0.2, "server 2 emptied")
    others = {t["hash"] for t in sw.entries(p.admin, "all")}
    attempts = []

    def delete_server_2():
        attempts.append(p.admin.delete("/api/admin/servers/2", csrf=True))
        return attempts[-1].status != 409 and attempts[-1]
    res = sw.wait_until(delete_server_2, 10, 0.5, "the DELETE accepted once server 2 is empty")
    assert res.status == 204, res
    print(f"DELETE /api/admin/servers/2: {len(attempts)} attempt(s) "
          f"{[r.status for r in attempts]}")
    assert [x["id"] for x in servers(p)] == [1, 3]
    assert [x["id"] for x in health_servers(p)] == [1, 3]
    assert_error(p.admin.patch("/api/admin/servers/2", {"name": "Revenant"}, csrf=True), 404,
                 "not_found")
    listed = {t["hash"] for t in sw.entries(p.admin, "all")}
    assert hc not in listed and hl not in listed and listed == others - {hc, hl}, listed
    assert all(not t["stale"] for t in sw.entries(p.admin, "all"))
    deleted = p.admin.get("/api/admin/audit?action=server.delete").json["entries"]
    assert [str(e["target_id"]) for e in deleted] == ["2"], deleted
    assert trio[1].up()  # essaim stops using it; the qbittorrent-nox itself is untouched
    # Checked last (the 14:30 binary has no "state" in /api/health's servers).
    assert {x["id"]: x.get("state") for x in disabled_health}[2] == "disabled", disabled_health


# --------------------------------------------------------------------------------------------
# 8. Actions reach the torrent's own server
# --------------------------------------------------------------------------------------------


def test_pause_resume_and_delete_act_on_server_2(multi):
    p, trio = multi, multi.trio
    pin(p, p.a_id, [2])
    h = add_fixture(p.a, "v2-single")
    trio[1].connect_to_seed(p.swarm, h)
    assert server_of(p, h) == 2
    sw.wait_entry(p.a, h, sw.is_seeding, 30, scope="mine", what="v2-single seeding")
    q = assert_only_on(p, h, 2)
    data = os.path.join(q["save_path"], "v2 seul.bin")
    assert q["save_path"].startswith(str(trio[1].downloads)), q
    assert os.path.getsize(data) == SIZES["v2-single"]
    files = p.a.get(f"/api/torrents/{h}/files")
    assert files.status == 200 and [f["path"] for f in files.json["files"]] == ["v2 seul.bin"]

    assert p.a.post(f"/api/torrents/{h}/pause", csrf=True).status == 204
    sw.wait_until(lambda: trio[1].qbt.torrent(h)["state"] in ("pausedUP", "stoppedUP"), 5, 0.2,
                  "paused in server 2's qbittorrent-nox")
    sw.wait_entry(p.a, h, lambda t: t["state"] == "completed", 5, scope="mine")
    assert p.a.post(f"/api/torrents/{h}/resume", csrf=True).status == 204
    sw.wait_until(lambda: trio[1].qbt.torrent(h)["state"] in ("stalledUP", "uploading"), 5, 0.2,
                  "resumed in server 2's qbittorrent-nox")
    sw.wait_entry(p.a, h, lambda t: t["state"] == "seeding", 5, scope="mine")

    assert p.a.delete(f"/api/torrents/{h}?delete_files=true", csrf=True).status == 204
    sw.wait_until(lambda: trio[1].qbt.torrent(h) is None, 5, 0.1, "gone from server 2")
    sw.wait_until(lambda: not os.path.exists(data), 10, 0.1, "its file deleted on server 2")
    sw.wait_until(lambda: sw.entry(p.a, h) is None, 5, 0.1, "gone from essaim's list")
    assert holders(p, h) == []
    assert_error(p.a.post(f"/api/torrents/{h}/pause", csrf=True), 404, "torrent_not_found")


# --------------------------------------------------------------------------------------------
# 9. Signed links, per server
# --------------------------------------------------------------------------------------------


@pytest.fixture
def linked(multi_factory, trio_clean):
    """Downloads configured per server: server 1 and 2 behind one nginx (/dl1/ on server 1's
    root, /dl2/ on server 2's), server 3 served by essaim itself (direct: no base URL, a root
    essaim sees)."""
    trio = trio_clean
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    p = multi_factory(
        env={"ESSAIM_DOWNLOAD_ROOT": str(trio[0].downloads), "ESSAIM_DOWNLOAD_SECRET": SECRET,
             "ESSAIM_DOWNLOAD_BASE_URL": f"{base}/dl1/"},
        extra={2: {"download_root": str(trio[1].downloads), "download_base_url": f"{base}/dl2/"},
               3: {"download_root": str(trio[2].downloads), "download_base_url": ""}})
    ss = by_id(p)
    assert ss[1]["download_root"].rstrip("/") == str(trio[0].downloads), ss[1]
    assert ss[1]["download_base_url"] == f"{base}/dl1/", ss[1]
    assert ss[2]["download_base_url"] == f"{base}/dl2/", ss[2]
    assert ss[3]["download_base_url"] == "", ss[3]
    cli = run_cli(["nginx-snippet"], data_dir=p.server.data_dir)
    assert cli.returncode == 0, cli.stderr
    snippet = cli.stdout
    assert f"alias {trio[0].downloads}/;" in snippet, snippet
    if "location /dl2/" not in snippet:
        # Server 2's location: server 1's, on server 2's prefix and root (same secret).
        start = snippet.index("location /dl1/ {")
        block = snippet[start:snippet.index("\n}\n", start) + 3]
        snippet += block.replace("/dl1/", "/dl2/").replace(f"alias {trio[0].downloads}/;",
                                                            f"alias {trio[1].downloads}/;")
    nginx = Nginx(snippet, port)
    p.base = base
    try:
        yield p
    finally:
        nginx.stop()


def test_signed_links_follow_each_servers_download_settings(linked):
    p, trio = linked, linked.trio
    g = pin(p, p.a_id, [2])
    placed = {}
    for sid, name in ((2, "v1-single"), (1, "v2-single"), (3, "hybrid-single")):
        set_group_servers(p, g, [sid])
        h = add_fixture(p.a, name)
        trio[sid - 1].connect_to_seed(p.swarm, h)
        assert server_of(p, h) == sid
        placed[sid] = (h, name)
    folder = p.a_user["username"].lower()
    for sid, (h, name) in placed.items():
        sw.wait_entry(p.a, h, lambda t: t["progress"] == 1, 30, scope="mine",
                      what=f"{name} complete on server {sid}")
        q = assert_only_on(p, h, sid)
        # Saved in A's folder under that server's download_root.
        assert q["save_path"].rstrip("/") == str(trio[sid - 1].downloads / folder), q

    def link_of(sid):
        h, name = placed[sid]
        path = sw.FIXTURES[name][3][0]
        res = links(p.a, h, [path])
        assert res.status == 200, res
        [link] = res.json["links"]
        content = (sw.FIXTURES_DIR / "content" / name / path).read_bytes()
        return h, path, link["url"], content

    # Server 2: its own base URL, A's folder under it; nginx serves the bytes from its root.
    h2, path2, url2, content2 = link_of(2)
    assert url2.startswith(f"{p.base}/dl2/"), url2
    assert urllib.parse.unquote(urllib.parse.urlsplit(url2).path) == f"/dl2/{folder}/{path2}"
    status, _, body = fetch(url2)
    assert status == 200 and body == content2, (status, body[:200])
    # The signature covers the URI: the same query on server 1's prefix is refused.
    assert fetch(url2.replace("/dl2/", "/dl1/", 1))[0] == 403
    files = p.a.get(f"/api/torrents/{h2}/files").json["downloads"]
    assert files["available"] is True and files["direct"] is False, files

    # Server 1: the downloads settings' base URL.
    _h1, path1, url1, content1 = link_of(1)
    assert urllib.parse.unquote(urllib.parse.urlsplit(url1).path) == f"/dl1/{folder}/{path1}"
    assert url1.startswith(f"{p.base}/dl1/") and fetch(url1)[2] == content1, url1

    # Server 3: no base URL, a root essaim sees: essaim serves the file itself.
    h3, _path3, url3, content3 = link_of(3)
    assert url3.startswith(p.server.base_url + "/"), url3
    status, _, body = fetch(url3)
    assert status == 200 and body == content3, (url3, status, body[:200])
    files = p.a.get(f"/api/torrents/{h3}/files").json["downloads"]
    assert files["available"] is True and files["direct"] is True, files

    # B sees A's torrents (default group) but gets no link to them, on any server.
    for sid, (h, name) in placed.items():
        err = assert_error(links(p.b, h, [sw.FIXTURES[name][3][0]]), 403, "forbidden")
        assert "télécharger" in err["message"], err
        assert p.b.get(f"/api/torrents/{h}/files").json["downloads"]["reason"] == "forbidden"


# --------------------------------------------------------------------------------------------
# 10. Notifications
# --------------------------------------------------------------------------------------------


def test_completions_on_two_servers_are_notified_once_each(multi):
    p, trio = multi, multi.trio
    a_ws = WebSocket(p.server.port, cookie=cookie_of(p.a))
    b_ws = WebSocket(p.server.port, cookie=cookie_of(p.b))
    try:
        hs = {}
        for name in ("v1-single", "v2-single"):
            h = add_fixture(p.a, name)
            hs[h] = server_of(p, h)
            trio[hs[h] - 1].connect_to_seed(p.swarm, h)
        assert len(set(hs.values())) == 2, hs  # from empty servers: two different ones
        seen = collections.Counter()
        deadline = time.monotonic() + 40
        while set(seen) != set(hs) and time.monotonic() < deadline:
            m = a_ws.recv_json(max(0.1, deadline - time.monotonic()))
            if m and m.get("type") == "notification":
                n = m["notification"]
                assert n["kind"] == "completed" and n["torrent_hash"] in hs, m
                seen[n["torrent_hash"]] += 1
        assert set(seen) == set(hs), (seen, hs)
        for m in a_ws.messages(4):  # no second event for either
            if m.get("type") == "notification":
                seen[m["notification"]["torrent_hash"]] += 1
        assert all(v == 1 for v in seen.values()), seen
        assert not [m for m in b_ws.messages(0.3) if m.get("type") == "notification"]
    finally:
        a_ws.close()
        b_ws.close()
    body = p.a.get("/api/notifications").json
    done = collections.Counter(n["torrent_hash"] for n in body["notifications"]
                               if n["kind"] == "completed")
    assert done == {h: 1 for h in hs}, body
    assert body["unread"] == 2, body
    assert p.b.get("/api/notifications").json == {"notifications": [], "unread": 0}
    for h, sid in hs.items():
        assert trio[sid - 1].qbt.torrent(h)["progress"] == 1
