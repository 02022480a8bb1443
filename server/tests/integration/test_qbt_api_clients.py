"""Issue 19: a real qBittorrent client library, npm's @ctrl/qbittorrent (9.x), used by two essaim
users at once against essaim's qBittorrent-compatible API (/api/v2), with the real torrents of
the local swarm.

The Node side is clients/qbt_client.mjs (its own package.json and lock file; installed by
scripts/install-deps.sh with `npm ci`): it reads a list of the library's calls on stdin and
prints each result, or the error with its HTTP status. Each user is one client whose state (its
SID) carries from one run to the next, like a long-lived application.

What the library (9.14, node_modules/@ctrl/qbittorrent/dist/src) sends: login = urlencoded
username/password, the SID cookie from Set-Cookie (no cookie = "Cookie not found. Auth
Failed."), then app/version (< 5: pause/resume endpoints and `paused`); every call then carries
the SID cookie AND `Authorization: Basic user:password`, and a 401/403 makes it log in again once
and retry; in its apiKey mode, `Authorization: Bearer <key>` instead. Adds = multipart with the
.torrent as a part named `file` (application/x-bittorrent) and `useAutoTMM=false`; actions =
urlencoded `hashes=a|b`; removeTorrent = deleteFiles true/false.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

import swarm as sw
from conftest import HERE, raw_request
from test_api_tokens import grant_use_api

pytestmark = pytest.mark.timeout(240)

CLIENTS_DIR = HERE / "clients"
DRIVER = CLIENTS_DIR / "qbt_client.mjs"
LIBRARY = CLIENTS_DIR / "node_modules" / "@ctrl" / "qbittorrent" / "package.json"


# --------------------------------------------------------------------------------------------
# The Node driver
# --------------------------------------------------------------------------------------------


def node() -> str:
    exe = shutil.which("node")
    if not exe:
        pytest.skip("node is not installed (scripts/install-deps.sh)")
    if not LIBRARY.exists():
        pytest.fail(f"{LIBRARY.parent} is missing: run scripts/install-deps.sh (npm ci in "
                    f"{CLIENTS_DIR})")
    return exe


class QbtJs:
    """One @ctrl/qbittorrent client of one essaim user (its SID kept between runs)."""

    def __init__(self, server, username: str, password: str, bearer: bool = False):
        self.server = server
        self.username = username
        self.password = password
        self.bearer = bearer  # the library's apiKey mode: `Authorization: Bearer`, no SID
        self.state = None

    def _input(self, ops: list) -> bytes:
        return json.dumps({"baseUrl": self.server.base_url + "/", "username": self.username,
                           "password": self.password, "state": self.state,
                           "apiKey": self.password if self.bearer else None,
                           "ops": ops}).encode()

    def start(self, ops: list) -> subprocess.Popen:
        """Starts the driver; its input comes from a file, so that several run at once."""
        with tempfile.TemporaryFile() as f:
            f.write(self._input(ops))
            f.seek(0)
            return subprocess.Popen([node(), str(DRIVER)], cwd=str(CLIENTS_DIR), stdin=f,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def finish(self, p: subprocess.Popen) -> list:
        try:
            out, err = p.communicate(timeout=90)
        except subprocess.TimeoutExpired:
            p.kill()
            p.communicate()
            raise
        assert p.returncode == 0, f"qbt_client.mjs failed ({p.returncode}): {err.decode()}"
        body = json.loads(out)
        self.state = body["state"]
        return body["results"]

    def run(self, *ops: dict) -> list:
        return self.finish(self.start(list(ops)))

    def one(self, op: str, *args, **extra):
        """One call that must succeed → its result."""
        r = self.run({"op": op, "args": list(args), **extra})[0]
        assert r["ok"], f"{self.username}: {op}{args} failed: {r}"
        return r["result"]


def at_once(*pairs) -> list:
    """[(client, ops), …] run concurrently (one Node process each) → [results, …]."""
    procs = [(c, c.start(ops)) for c, ops in pairs]
    return [c.finish(p) for c, p in procs]


def op(name: str, *args) -> dict:
    return {"op": name, "args": list(args)}


def ok(results: list) -> list:
    for r in results:
        assert r["ok"], f"{r['op']} failed: {r}"
    return [r["result"] for r in results]


# --------------------------------------------------------------------------------------------
# essaim side
# --------------------------------------------------------------------------------------------


def token(browser, name: str, read_only: bool = False) -> dict:
    res = browser.post("/api/me/tokens", {"name": name, "read_only": read_only}, csrf=True)
    assert res.status == 201, res
    return res.json


def clients(portal) -> tuple:
    """use_api for the users' group, a full token each → (Alice's client, Bruno's client)."""
    grant_use_api(portal.server, portal.admin)
    a = QbtJs(portal.server, portal.a_user["username"], token(portal.a, "qbt-js")["token"])
    b = QbtJs(portal.server, portal.b_user["username"], token(portal.b, "qbt-js")["token"])
    return a, b


def hashes(torrents: list) -> set:
    return {t["hash"] for t in torrents}


def tags_of(t: dict) -> set:
    return {x.strip() for x in t["tags"].split(",") if x.strip()}


def inside(path: str, folder: Path) -> bool:
    p = Path(path.rstrip("/"))
    return p == folder or folder in p.parents


def assert_no_secret(portal, *secrets: str) -> None:
    out = portal.server.output()
    for s in secrets:
        assert s not in out and s[len("essaim_"):] not in out, "a token is in the server's output"


def wait_seeding(s, h: str) -> dict:
    return s.main.wait_complete(h, 45)


# --------------------------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------------------------


def test_two_users_at_once_see_only_their_own(portal):
    """Alice and Bruno, each with @ctrl/qbittorrent, work at the same time: each creates a
    category of the SAME name (per-user namespaces, no 409), adds a magnet into it (Alice with a
    relative save path), and then listTorrents, getAllData, sync/maindata, getCategories and
    getTags show each of them only their own torrent and category — while qBittorrent holds
    both. Alice's client uses a login and its SID, Bruno's the Bearer (apiKey) mode. Relative
    save paths land in the user's own folder; a save path outside it is "Fails." (the library
    throws) and adds nothing. properties of the other's hash is a 404."""
    s = portal.swarm
    alice, bruno = clients(portal)
    bruno.bearer = True
    dir_a = s.user_dir(portal.a_user["username"])
    dir_b = s.user_dir(portal.b_user["username"])
    h_a, h_b = s.torrents["sample-single"][1], s.torrents["sample-multi"][1]

    ra, rb = at_once(
        (alice, [op("login"), op("createCategory", "series"),
                 op("addMagnet", s.magnets["sample-single"],
                    {"category": "series", "savepath": "Series/Saison 1"})]),
        (bruno, [op("login"), op("createCategory", "series"),
                 op("addMagnet", s.magnets["sample-multi"], {"category": "series"})]))
    ok(ra)
    ok(rb)
    wait_seeding(s, h_a)
    wait_seeding(s, h_b)
    assert s.main.hashes() == {h_a, h_b}

    # Where the data landed: each in their own folder, Alice's in her relative save path.
    assert (dir_a / "Series" / "Saison 1" / "sample-single.bin").stat().st_size == 2 * 1024 ** 2
    assert s.main.torrent(h_a)["save_path"].rstrip("/") == str(dir_a / "Series" / "Saison 1")
    assert inside(s.main.torrent(h_b)["save_path"], dir_b), s.main.torrent(h_b)
    assert (Path(s.main.torrent(h_b)["content_path"]) / "sub" / "b.bin").is_file()

    ra, rb = at_once(*[(c, [op("listTorrents"), op("getAllData"), {"op": "mainData", "rid": 0},
                            op("getCategories"), op("getTags"),
                            op("listTorrents", {"category": "series"}),
                            op("torrentProperties", other)])
                       for c, other in ((alice, h_b), (bruno, h_a))])
    for results, me, mine, folder in ((ra, alice, h_a, dir_a), (rb, bruno, h_b, dir_b)):
        listed, alldata, main, cats, tags, in_cat = ok(results[:6])
        assert hashes(listed) == {mine}, (me.username, listed)
        t = listed[0]
        assert t["category"] == "series" and inside(t["save_path"], folder), t
        assert not any(x.startswith("essaim:") for x in tags_of(t)), t
        assert [x["id"] for x in alldata["torrents"]] == [mine], alldata["torrents"]
        assert [x["hash"] for x in alldata["raw"]] == [mine]
        assert main["full_update"] is True and set(main["torrents"]) == {mine}, main
        assert set(main["categories"]) == {"series"}, main["categories"]
        assert not any(x.startswith("essaim:") for x in main["tags"]), main["tags"]
        assert set(cats) == {"series"} and inside(cats["series"]["savePath"], folder), cats
        assert not any(x.startswith("essaim:") for x in tags), tags
        assert hashes(in_cat) == {mine}, in_cat
        other = results[6]
        assert other["ok"] is False and other["status"] == 404, other

    # Save paths outside one's folder: refused ("Fails." → the library throws), nothing added.
    stray = os.urandom(20).hex()
    magnet = f"magnet:?xt=urn:btih:{stray}&dn=ailleurs"
    refused = bruno.run(op("addMagnet", magnet, {"savepath": f"../{dir_a.name}"}),
                        op("addMagnet", magnet, {"savepath": str(dir_a)}),
                        op("addMagnet", magnet, {"savepath": "/tmp"}))
    for r in refused:
        assert r["ok"] is False and "Failed to add torrent" in r["error"], r
    assert s.main.torrent(stray) is None and s.main.hashes() == {h_a, h_b}
    assert_no_secret(portal, alice.password, bruno.password)


def test_the_other_users_torrent_is_untouched_and_own_actions_work(portal):
    """Bruno calls, with Alice's hash, pause, resume, removeTorrent (with data), setTorrentName, setTorrentLocation (into his
    own folder), addTorrentTags and setTorrentCategory (his own category): each is a silent 200
    (or a 404 for the single-hash rename), and Alice's torrent stays as it was in her view, in
    qBittorrent, in essaim's web app and on disk. `all` means Bruno's own torrents only. Then
    Alice does the same calls on her own torrent and each one takes effect, up to
    removeTorrent(deleteFiles) which removes the data."""
    s = portal.swarm
    alice, bruno = clients(portal)
    dir_a = s.user_dir(portal.a_user["username"])
    dir_b = s.user_dir(portal.b_user["username"])
    h_a, h_b = s.torrents["sample-single"][1], s.torrents["sample-multi"][1]
    ra, rb = at_once(
        (alice, [op("login"), op("addMagnet", s.magnets["sample-single"])]),
        (bruno, [op("login"), op("createCategory", "a-moi"),
                 op("addMagnet", s.magnets["sample-multi"])]))
    ok(ra)
    ok(rb)
    wait_seeding(s, h_a)
    wait_seeding(s, h_b)
    before = s.main.torrent(h_a)
    data_a = Path(before["content_path"])
    assert data_a.is_file() and inside(str(data_a), dir_a), before

    results = bruno.run(op("pauseTorrent", h_a), op("removeTorrent", h_a, True),
                        op("setTorrentName", h_a, "pris"),
                        op("setTorrentLocation", h_a, str(dir_b)),
                        op("addTorrentTags", h_a, "pris"),
                        op("setTorrentCategory", h_a, "a-moi"),
                        op("resumeTorrent", [h_a, h_b]),
                        op("pauseTorrent", "all"))
    for r in results:
        if r["op"] == "setTorrentName":  # single hash: qBittorrent's 404 is fine, not a 403
            assert r["ok"] or r["status"] == 404, r
        else:
            assert r["ok"], f"{r['op']} must be a silent 200 (spec): {r}"

    # Bruno's `all` paused his own torrent only.
    sw.wait_until(lambda: s.main.torrent(h_b)["state"] in ("pausedUP", "stoppedUP"), 10, 0.2,
                  "Bruno's own torrent paused by hashes=all")
    # Alice's is untouched: qBittorrent, her view, essaim's web app, the disk.
    q = s.main.torrent(h_a)
    assert q is not None and q["state"] in ("stalledUP", "uploading"), q
    assert q["name"] == before["name"] and q["save_path"] == before["save_path"], q
    assert q["category"] == before["category"] and "pris" not in tags_of(q), q
    t = alice.one("listTorrents")
    assert hashes(t) == {h_a}, t
    assert t[0]["name"] == "sample-single.bin" and t[0]["category"] == "", t
    assert "pris" not in tags_of(t[0]) and t[0]["state"] in ("stalledUP", "uploading"), t
    assert any(x["hash"] == h_a for x in sw.entries(portal.a, "mine"))
    assert data_a.stat().st_size == 2 * 1024 ** 2
    assert hashes(bruno.one("listTorrents")) == {h_b}

    # A location outside one's folder is a 400 (even for one's own torrent).
    r = bruno.run(op("setTorrentLocation", h_b, "/tmp"))[0]
    assert r["ok"] is False and r["status"] == 400, r

    # Alice's own calls work.
    ok(alice.run(op("createCategory", "mes-films"), op("pauseTorrent", h_a)))
    sw.wait_until(lambda: s.main.torrent(h_a)["state"] in ("pausedUP", "stoppedUP"), 10, 0.2,
                  "Alice's torrent paused")
    ok(alice.run(op("resumeTorrent", h_a), op("setTorrentName", h_a, "Renommé"),
                 op("addTorrentTags", h_a, "garde,vu"),
                 op("setTorrentCategory", h_a, "mes-films"),
                 op("setTorrentLocation", h_a, str(dir_a / "Déplacé"))))
    moved = dir_a / "Déplacé" / "sample-single.bin"
    sw.wait_until(lambda: moved.is_file() and not data_a.exists(), 20, 0.2,
                  "the data moved inside Alice's folder")

    def applied():
        x = alice.one("listTorrents")[0]
        return (x["state"] in ("stalledUP", "uploading") and x["name"] == "Renommé"
                and tags_of(x) == {"garde", "vu"} and x["category"] == "mes-films" and x)
    t = sw.wait_until(applied, 10, 0.3, "Alice's own changes in her view")
    assert t["save_path"].rstrip("/") == str(dir_a / "Déplacé"), t
    assert set(alice.one("getTags")) >= {"garde", "vu"}
    assert "garde" not in bruno.one("getTags")

    alice.one("removeTorrent", h_a, True)
    sw.wait_until(lambda: s.main.torrent(h_a) is None and not moved.exists(), 15, 0.2,
                  "Alice's torrent and data removed")
    assert alice.one("listTorrents") == []
    assert s.main.torrent(h_b) is not None  # Bruno's stays
    assert_no_secret(portal, alice.password, bruno.password)


def test_limits_read_only_and_revoked_tokens(portal):
    """What the web app refuses, the API refuses: with the group's max_torrents at 1, a second
    add through the library fails ("Fails.") as it does in the web app, and nothing reaches
    qBittorrent. A read-only token logs in and reads, but add, remove, pause and
    createCategory are 403 and change nothing. A token revoked in the web app is refused at once
    on the client's open SID, and a new login fails. No token ever shows in the server's
    output."""
    s = portal.swarm
    alice, bruno = clients(portal)
    groups = portal.admin.get("/api/admin/groups").json["groups"]
    users = next(g for g in groups if g["name"] == "Utilisateurs")
    res = portal.admin.patch(f"/api/admin/groups/{users['id']}",
                             {"limits": {"max_torrents": 1}}, csrf=True)
    assert res.status == 200 and res.json["limits"]["max_torrents"] == 1, res

    # The limit: one torrent, then "Fails." — through the library and through the web app.
    h1, h2 = s.torrents["sample-single"][1], s.torrents["sample-multi"][1]
    ok(alice.run(op("login"), op("addMagnet", s.magnets["sample-single"])))
    s.main.wait_listed(h1)
    second = alice.run(op("addMagnet", s.magnets["sample-multi"]))[0]
    assert second["ok"] is False and "Failed to add torrent" in second["error"], second
    web = sw.single_result(sw.add_magnets(portal.a, s.magnets["sample-multi"]))
    assert web["ok"] is False and web["error"]["code"] == "limit_torrents", web
    assert s.main.hashes() == {h1}
    # The tool's list is essaim's view of qBittorrent: it shows the add after the next poll.
    sw.wait_until(lambda: hashes(alice.one("listTorrents")) == {h1}, 10, 0.3, "alice's list")

    # A read-only token: reads, but no change. Bruno owns a torrent (added in the web app).
    res = portal.admin.patch(f"/api/admin/groups/{users['id']}",
                             {"limits": {"max_torrents": None}}, csrf=True)
    assert res.status == 200 and res.json["limits"]["max_torrents"] is None, res
    r = sw.single_result(sw.add_magnets(portal.b, s.magnets["sample-multi"]))
    assert r["ok"], r
    wait_seeding(s, h2)
    data_b = Path(s.main.torrent(h2)["content_path"])
    ro_token = token(portal.b, "lecture", read_only=True)["token"]
    ro = QbtJs(portal.server, portal.b_user["username"], ro_token)
    results = ro.run(op("login"), op("listTorrents"), op("getCategories"),
                     op("addMagnet", f"magnet:?xt=urn:btih:{os.urandom(20).hex()}&dn=ro"),
                     op("removeTorrent", h2, True), op("pauseTorrent", h2),
                     op("createCategory", "interdit"))
    login, listed, cats = ok(results[:3])
    assert login is True and hashes(listed) == {h2} and cats == {}, (listed, cats)
    for r in results[3:]:
        assert r["ok"] is False and r["status"] == 403, r
    q = s.main.torrent(h2)
    assert q is not None and q["state"] in ("stalledUP", "uploading"), q
    assert (data_b / "sub" / "b.bin").is_file() and s.main.hashes() == {h1, h2}
    assert bruno.one("getCategories") == {}

    # Read-only through the Bearer (apiKey) mode too.
    ro_bearer = QbtJs(portal.server, portal.b_user["username"], ro_token, bearer=True)
    results = ro_bearer.run(op("listTorrents"), op("removeTorrent", h2, True),
                            {"op": "addTorrentFile", "path": str(s.torrents["sample-single"][0])})
    assert results[0]["ok"] and hashes(results[0]["result"]) == {h2}, results[0]
    for r in results[1:]:
        assert r["ok"] is False and r["status"] == 403, r
    assert s.main.torrent(h2) is not None

    # Revoked while the client holds an open SID: that SID is refused at the very next request,
    # the library's one re-login gets "Fails." (no cookie), and nothing is done.
    assert alice.one("listTorrents")  # the SID is open
    sid = alice.state["auth"]["sid"]
    tid = next(t["id"] for t in portal.a.get("/api/me/tokens").json["tokens"]
               if t["name"] == "qbt-js")
    assert portal.a.delete(f"/api/me/tokens/{tid}", csrf=True).status == 204
    res = raw_request(portal.server.port, "GET", "/api/v2/torrents/info",
                      headers={"Cookie": f"SID={sid}"})
    assert res.status == 403 and res.text == "Forbidden", res
    after = alice.run(op("listTorrents"), op("pauseTorrent", h1), op("login"))
    for r in after:
        assert r["ok"] is False, r
        assert r["status"] == 403 or "Auth Failed" in r["error"], r
    assert s.main.torrent(h1)["state"] not in ("pausedDL", "pausedUP", "stoppedDL",
                                               "stoppedUP"), s.main.torrent(h1)
    assert_no_secret(portal, alice.password, bruno.password, ro_token)


def test_torrent_file_upload_as_the_library_sends_it(portal):
    """addTorrent (a .torrent file): the library sends it as a multipart part named `file`
    (filename as given, application/x-bittorrent) with category, savepath, paused and
    useAutoTMM=false — qBittorrent takes a file part of any name. essaim must add it ("Ok."):
    listed for Alice in her category, paused, with its files in the save path inside her
    folder, and owned by her in the web app."""
    s = portal.swarm
    alice, _ = clients(portal)
    dir_a = s.user_dir(portal.a_user["username"])
    path, h = s.torrents["sample-multi"]
    ok(alice.run(op("login"), op("createCategory", "films"),
                 {"op": "addTorrentFile", "path": str(path),
                  "options": {"filename": "sample-multi.torrent", "category": "films",
                              "savepath": "Films", "paused": "true"}}))
    q = s.main.wait_listed(h)
    assert q["save_path"].rstrip("/") == str(dir_a / "Films"), q
    t = sw.wait_until(lambda: (x := alice.one("listTorrents")) and x[0], 10, 0.2, "listed")
    assert t["hash"] == h and t["category"] == "films" and t["name"] == "sample-multi", t
    assert t["state"] in ("pausedDL", "pausedUP", "checkingResumeData"), t
    assert any(x["hash"] == h for x in sw.entries(portal.a, "mine"))
    files = alice.one("torrentFiles", h)
    assert sorted(f["name"] for f in files) == ["sample-multi/a.bin", "sample-multi/sub/b.bin",
                                               "sample-multi/sub/c.txt"], files
    assert_no_secret(portal, alice.password)
