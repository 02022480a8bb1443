"""Administration through the HTTP API, against a real qbittorrent-nox: settings (secrets
write-only and sealed in the database, connection tests, reconnection without restart),
users, groups with permissions and limits (enforced in qBittorrent), and the audit log."""

import os

import pytest

import swarm as sw
from conftest import Browser, assert_error, db_query, db_raw_dumps, free_port, unique_name
from fake_jackett import FakeJackett

pytestmark = pytest.mark.timeout(150)

JACKETT_KEY = "cle-jackett-tres-secrete-42"
DL_SECRET = "secret-de-telechargement-tres-long-99"


def group(portal, name, permissions, limits=None):
    res = portal.admin.post("/api/admin/groups", {"name": name, "permissions": permissions,
                                                  "limits": limits or {}}, csrf=True)
    assert res.status == 201, res
    return res.json


def move(portal, user_id, group_id):
    res = portal.admin.patch(f"/api/admin/users/{user_id}", {"group_id": group_id}, csrf=True)
    assert res.status == 200, res


def audit(portal, **params):
    qs = "&".join(f"{k}={v}" for k, v in params.items())
    res = portal.admin.get(f"/api/admin/audit?{qs}")
    assert res.status == 200, res
    return res.json


ALL = ["add_torrents", "add_torrent_files", "add_magnets", "search", "pause_own", "delete_own",
       "delete_own_data", "see_all", "download_own", "see_charts"]


def test_every_admin_route_refuses_other_users_and_does_nothing(portal):
    a = portal.a
    before = portal.admin.get("/api/admin/settings").json
    calls = [
        ("GET", "/api/admin/settings", None), ("PUT", "/api/admin/settings",
                                               {"general": {"site_name": "Piraté"}}),
        ("POST", "/api/admin/settings/test/qbittorrent", {}),
        ("POST", "/api/admin/settings/test/jackett", {}),
        ("POST", "/api/admin/settings/test/downloads", {}),
        ("GET", "/api/admin/users", None),
        ("POST", "/api/admin/users", {"username": "intrus", "role": "admin", "group_id": 1}),
        ("PATCH", f"/api/admin/users/{portal.a_id}", {"role": "admin"}),
        ("POST", f"/api/admin/users/{portal.b_id}/password", {}),
        ("DELETE", f"/api/admin/users/{portal.b_id}?torrents=delete", None),
        ("GET", "/api/admin/groups", None),
        ("POST", "/api/admin/groups", {"name": "Intrus", "permissions": []}),
        ("PATCH", "/api/admin/groups/2", {"permissions": ["act_all"]}),
        ("DELETE", "/api/admin/groups/2", None),
        ("GET", "/api/admin/audit", None),
    ]
    for method, path, body in calls:
        res = a.request(method, path, body, csrf=True)
        assert_error(res, 403, "forbidden")
    assert portal.admin.get("/api/admin/settings").json == before
    users = {u["username"]: u for u in portal.admin.get("/api/admin/users").json["users"]}
    assert "intrus" not in users and users[portal.a_user["username"]]["role"] == "user"
    assert portal.admin.get("/api/admin/groups").json["groups"][1]["permissions"] == ALL
    assert portal.b.get("/api/me").status == 200  # B still exists, session untouched


def test_settings_round_trip_never_returns_secrets_and_stores_them_sealed(portal):
    adm = portal.admin
    res = adm.request("PUT", "/api/admin/settings", {
        "jackett": {"url": "http://127.0.0.1:9117/", "api_key": JACKETT_KEY, "timeout": 12},
        "downloads": {"base_url": "https://seed.example/dl/", "root": "/srv/qbittorrent",
                      "secret": DL_SECRET, "ttl": 3600, "bind_ip": True},
        "general": {"registration_open": False, "site_name": "La Ruche"},
    }, csrf=True)
    assert res.status == 200, res
    for r in (res, adm.get("/api/admin/settings")):
        s = r.json
        assert JACKETT_KEY not in r.text and DL_SECRET not in r.text and sw.QBT_PASS not in r.text
        assert s["jackett"] == {"url": "http://127.0.0.1:9117/", "api_key_set": True, "timeout": 12}
        assert s["downloads"]["secret_set"] is True and s["downloads"]["ttl"] == 3600
        assert s["downloads"]["bind_ip"] is True
        assert "$remote_addr <SECRET>" in s["downloads"]["nginx_snippet"]
        assert s["qbittorrent"]["password_set"] is True and "password" not in s["qbittorrent"]
        assert s["general"]["site_name"] == "La Ruche"
    instance = portal.admin.get("/api/instance").json
    assert instance["registration_open"] is False and instance["site_name"] == "La Ruche"
    assert_error(Browser(portal.server).register(unique_name("tard")), 403, "registration_closed")

    # Not in the database in clear: neither in the SQLite file nor in its WAL, nor anywhere in
    # a full dump of the PostgreSQL database.
    for label, raw in db_raw_dumps(portal.server.data_dir):
        assert JACKETT_KEY.encode() not in raw and DL_SECRET.encode() not in raw, label
    # ("adminadmin", the swarm's password, also appears as user name + display name "admin").
    for key in ("jackett_api_key", "download_secret", "qbt_password"):
        [(value,)] = db_query(portal.server.data_dir, "SELECT value FROM settings WHERE key = ?",
                              (key,))
        assert value.startswith("enc:v1:") and sw.QBT_PASS not in value, (key, value)

    # Validation: nothing is written when one field is wrong.
    bad = adm.request("PUT", "/api/admin/settings", {"general": {"site_name": "Autre"},
                                                     "jackett": {"url": "ftp://x"}}, csrf=True)
    assert_error(bad, 422, "invalid_url", "jackett.url")
    assert adm.get("/api/admin/settings").json["general"]["site_name"] == "La Ruche"
    assert_error(adm.request("PUT", "/api/admin/settings", {"downloads": {"secret": "court"}},
                             csrf=True), 422, "secret_too_short", "downloads.secret")
    assert_error(adm.request("PUT", "/api/admin/settings", {"downloads": {"ttl": 5}},
                             csrf=True), 422, "invalid_number", "downloads.ttl")

    # A secret left out stays; the audit row names the keys, never the values.
    res = adm.request("PUT", "/api/admin/settings", {"jackett": {"timeout": 20}}, csrf=True)
    assert res.json["jackett"]["api_key_set"] is True
    entries = audit(portal, action="settings.update")["entries"]
    assert "jackett_api_key" in entries[-1]["details"]["keys"]
    assert all(JACKETT_KEY not in str(e) and DL_SECRET not in str(e) for e in entries)


def test_qbittorrent_test_and_reconnection_without_restart(swarm_clean, essaim):
    env = sw.essaim_env(f"http://127.0.0.1:{free_port()}")
    srv = essaim.start(env=env)
    sw.wait_link(srv, "down", timeout=15)
    adm = Browser(srv)
    assert adm.login(srv.admin_username, srv.admin_password).status == 200

    down = adm.post("/api/admin/settings/test/qbittorrent", {}, csrf=True).json
    assert down["ok"] is False and down["code"] == "unreachable" and down["message"]
    def test_good():
        return adm.post("/api/admin/settings/test/qbittorrent",
                        {"url": swarm_clean.main_url, "username": sw.QBT_USER,
                         "password": sw.QBT_PASS}, csrf=True).json

    good = test_good()
    assert good["ok"] is True, good
    assert good["version"].startswith("v") and good["api_version"].startswith("2.")
    assert isinstance(good["free_space"], int) and good["free_space"] >= 0
    # A qBittorrent that has just (re)started reports 0 until its first free-space check, which
    # a busy machine delays: the figure essaim passes on must become the real one.
    sw.wait_until(lambda: test_good()["free_space"] > 0, 15, 0.5, "free space reported")
    wrong = adm.post("/api/admin/settings/test/qbittorrent",
                     {"url": swarm_clean.main_url, "password": "pas-le-bon"}, csrf=True).json
    assert wrong["ok"] is False and wrong["code"] == "bad_credentials", wrong

    res = adm.request("PUT", "/api/admin/settings", {"qbittorrent": {
        "url": swarm_clean.main_url, "username": sw.QBT_USER, "password": sw.QBT_PASS}},
        csrf=True)
    assert res.status == 200 and res.json["qbittorrent"]["managed"] is False
    sw.wait_link(srv, "ok", timeout=15)  # same process: the sync loop reconnected
    assert srv.alive()


def test_jackett_test_lists_indexers(portal, swarm_clean):
    path, _ = swarm_clean.torrents["sample-multi"]
    fake = FakeJackett(JACKETT_KEY, path.read_bytes(), swarm_clean.magnets["sample-single"])
    try:
        adm = portal.admin
        ok = adm.post("/api/admin/settings/test/jackett", {"url": fake.url, "api_key": JACKETT_KEY},
                      csrf=True).json
        assert ok["ok"] is True and [i["id"] for i in ok["indexers"]] == ["yggtorrent", "torrent9"]
        bad = adm.post("/api/admin/settings/test/jackett", {"url": fake.url, "api_key": "faux"},
                       csrf=True).json
        assert bad["ok"] is False and bad["code"] == "jackett_auth_failed" and bad["message"]
    finally:
        fake.stop()


def test_users_create_disable_reset_and_last_admin(portal):
    adm = portal.admin
    name = unique_name("nouveau")
    res = adm.post("/api/admin/users", {"username": name, "display_name": "Nouvel Abeille",
                                        "email": "n@example.org", "role": "user", "group_id": 2},
                   csrf=True)
    assert res.status == 201, res
    uid, pw = res.json["user"]["id"], res.json["password"]
    assert len(pw) >= 16
    assert_error(adm.post("/api/admin/users", {"username": name}, csrf=True), 409, "username_taken")
    u = Browser(portal.server)
    assert u.login(name, pw).status == 200

    # Disabled: the open session ends at once, login is refused.
    assert adm.patch(f"/api/admin/users/{uid}", {"disabled": True}, csrf=True).json["disabled"]
    assert_error(u.get("/api/me"), 401, "unauthenticated")
    assert_error(Browser(portal.server).login(name, pw), 403, "account_disabled")
    assert adm.patch(f"/api/admin/users/{uid}", {"disabled": False}, csrf=True).status == 200
    assert u.login(name, pw).status == 200

    # Password reset: sessions end, the new password works.
    new = adm.post(f"/api/admin/users/{uid}/password", {}, csrf=True).json["password"]
    assert_error(u.get("/api/me"), 401, "unauthenticated")
    assert Browser(portal.server).login(name, new).status == 200

    listed = {x["username"]: x for x in adm.get("/api/admin/users?state=active&q=nouv").json["users"]}
    assert set(listed) == {name} and listed[name]["email"] == "n@example.org"
    assert adm.get(f"/api/admin/users?role=admin").json["users"][0]["role"] == "admin"

    # The last administrator cannot remove their role, disable or delete themselves.
    assert_error(adm.patch(f"/api/admin/users/{portal.admin_id}", {"role": "user"}, csrf=True),
                 409, "last_admin")
    assert_error(adm.patch(f"/api/admin/users/{portal.admin_id}", {"disabled": True}, csrf=True),
                 409, "last_admin")
    assert_error(adm.delete(f"/api/admin/users/{portal.admin_id}?torrents=delete", csrf=True),
                 409, "self")
    # With a second admin, the first may step down.
    assert adm.patch(f"/api/admin/users/{uid}", {"role": "admin"}, csrf=True).status == 200
    actions = [e["action"] for e in audit(portal, action="user.")["entries"]]
    for want in ("user.create", "user.disable", "user.enable", "user.password_reset", "user.role"):
        assert want in actions, actions
    assert adm.patch(f"/api/admin/users/{portal.admin_id}", {"role": "user"}, csrf=True).status == 200
    assert_error(adm.get("/api/admin/users"), 403, "forbidden")  # no longer an admin, at once


def test_delete_user_reassigns_or_deletes_torrents_with_data(portal):
    s = portal.swarm
    adm = portal.admin
    res = sw.add_magnets(portal.b, s.magnets["sample-single"])
    h = res.json["results"][0]["hash"]
    res = sw.add_files(portal.a, [("multi.torrent", s.torrents["sample-multi"][0].read_bytes())])
    h2 = res.json["results"][0]["hash"]
    sw.wait_until(lambda: all(t["progress"] == 1 for t in sw.entries(portal.admin, "all")
                              if t["hash"] in (h, h2)) and len(sw.entries(portal.admin, "all")) == 2,
                  60, what="both torrents downloaded")
    assert_error(adm.delete(f"/api/admin/users/{portal.b_id}", csrf=True), 422, "invalid_parameter")

    assert adm.delete(f"/api/admin/users/{portal.b_id}?torrents=reassign&to={portal.a_id}",
                      csrf=True).status == 204
    mine = {t["hash"] for t in sw.entries(portal.a)}
    assert {h, h2} <= mine
    assert_error(portal.b.get("/api/me"), 401, "unauthenticated")

    data = s.user_dir(portal.a_user["username"]) / "sample-multi"
    assert data.exists()
    assert adm.delete(f"/api/admin/users/{portal.a_id}?torrents=delete", csrf=True).status == 204
    sw.wait_until(lambda: not s.main.info(), 20, what="qBittorrent emptied")
    sw.wait_until(lambda: not data.exists(), 20, what="data deleted")
    details = audit(portal, action="user.delete")["entries"]
    assert {d["details"]["torrents"] for d in details} == {"reassign", "delete"}


def test_torrent_deletion_is_audited_with_its_owner(portal):
    res = sw.add_magnets(portal.a, f"magnet:?xt=urn:btih:{os.urandom(20).hex()}&dn=audit")
    h = res.json["results"][0]["hash"]
    portal.swarm.main.wait_listed(h)
    assert portal.admin.delete(f"/api/torrents/{h}?delete_files=true", csrf=True).status == 204
    e = audit(portal, action="torrent.delete_other")["entries"][0]
    assert e["target_id"] == h and e["actor_name"] == portal.server.admin_username
    assert e["details"] == {"delete_files": True, "owner_id": portal.a_id,
                            "owner": portal.a_user["username"]}


def test_group_permissions_apply_at_once(portal):
    g = group(portal, "Lecteurs", ["see_all"])
    assert g["members"] == 0 and g["limits"]["max_torrents"] is None
    move(portal, portal.b_id, g["id"])
    b = portal.b
    assert b.get("/api/me").json["group"]["name"] == "Lecteurs"
    assert_error(sw.add_magnets(b, portal.swarm.magnets["sample-single"]), 403, "forbidden")
    assert_error(b.get("/api/search?q=x"), 403, "forbidden")
    assert not portal.swarm.main.info()  # nothing reached qBittorrent

    assert_error(portal.admin.post("/api/admin/groups", {"name": "X", "permissions": ["root"]},
                                   csrf=True), 422, "invalid_permissions")
    assert_error(portal.admin.post("/api/admin/groups", {"name": "lecteurs", "permissions": []},
                                   csrf=True), 409, "group_name_taken")
    assert_error(portal.admin.delete(f"/api/admin/groups/{g['id']}", csrf=True), 409,
                 "group_not_empty")
    assert_error(portal.admin.delete("/api/admin/groups/2", csrf=True), 409, "default_group")
    listed = {x["name"]: x for x in portal.admin.get("/api/admin/groups").json["groups"]}
    assert listed["Lecteurs"]["members"] == 1
    move(portal, portal.b_id, 2)
    assert portal.admin.delete(f"/api/admin/groups/{g['id']}", csrf=True).status == 204


def test_limits_refuse_set_transfer_limits_and_stop_magnets_over_quota(portal):
    s = portal.swarm
    size_multi = sum(f.stat().st_size for f in (s.dir / "seed-data" / "sample-multi").rglob("*")
                     if f.is_file())
    g = group(portal, "Petits", ALL, {"max_torrents": 2, "max_torrent_size": size_multi - 1,
                                      "download_limit": 300000, "upload_limit": 200000,
                                      "ratio_limit": 1.5, "seeding_time_limit": 90,
                                      "quota_bytes": 3 * 1024 * 1024})
    move(portal, portal.b_id, g["id"])
    b = portal.b
    me = b.get("/api/me").json
    assert me["limits"]["max_torrents"] == 2 and me["usage"] == {"torrents": 0, "active": 0,
                                                                  "disk_used": 0}

    multi = sw.add_files(b, [("multi.torrent", s.torrents["sample-multi"][0].read_bytes())])
    err = multi.json["results"][0]["error"]
    assert err["code"] == "limit_size" and "Mo" in err["message"], err

    # A magnet (size unknown at add) that turns out over the 3 MiB quota once… it is not: the
    # single file is 2 MiB. It downloads, with its limits set in qBittorrent.
    res = sw.add_magnets(b, s.magnets["sample-single"])
    h = res.json["results"][0]["hash"]
    t = s.main.wait_listed(h)
    assert t["dl_limit"] == 300000 and t["up_limit"] == 200000, t
    assert abs(t["ratio_limit"] - 1.5) < 1e-6 and t["seeding_time_limit"] == 90, t

    # A v1 fixture (small) fits; a third torrent is refused.
    small = sw.add_files(b, [("v1-single.torrent", sw.fixture_bytes("v1-single"))])
    assert small.json["results"][0]["ok"] is True, small
    third = sw.add_files(b, [("v2-single.torrent", sw.fixture_bytes("v2-single"))])
    assert third.json["results"][0]["error"]["code"] == "limit_torrents"
    assert b.get("/api/me").json["usage"]["torrents"] == 2

    # New limits reach the torrents already there (setDownloadLimit/setUploadLimit/setShareLimits).
    res = portal.admin.patch(f"/api/admin/groups/{g['id']}", {"limits": {
        "max_torrents": 2, "download_limit": 500000, "ratio_limit": None}}, csrf=True)
    assert res.status == 200 and res.json["limits"]["upload_limit"] is None, res
    t = sw.wait_until(lambda: (x := s.main.torrent(h))["dl_limit"] == 500000 and x, 5,
                      what=f"new limits in qBittorrent; essaim log: {portal.server.output()[-1500:]}")
    assert t["up_limit"] in (0, -1), t
    assert t["ratio_limit"] == -2 and t["seeding_time_limit"] == -2, t


def test_magnet_over_quota_is_stopped_once_its_size_is_known(portal):
    s = portal.swarm
    g = group(portal, "Quota", ALL, {"quota_bytes": 1024 * 1024})  # 1 MiB; the file is 2 MiB
    move(portal, portal.b_id, g["id"])
    res = sw.add_magnets(portal.b, s.magnets["sample-single"])
    assert res.json["results"][0]["ok"] is True, res
    h = res.json["results"][0]["hash"]

    def stopped():
        t = next((t for t in sw.entries(portal.b) if t["hash"] == h), None)
        return t and t["limit"] and t["limit"]["state"] == "stopped" and t
    t = sw.wait_until(stopped, 40, what="the magnet stopped by the quota")
    assert "quota" in t["limit"]["reason"] and "arrêté" in t["limit"]["reason"], t
    sw.wait_until(lambda: s.main.torrent(h)["state"] in ("pausedDL", "stoppedDL", "pausedUP",
                                                          "stoppedUP"), 15, what="paused in qBittorrent")
    assert audit(portal, action="torrent.limit_stop")["total"] == 1


def test_active_limit_queues_then_starts_when_a_slot_frees(portal):
    g = group(portal, "UnALaFois", ALL, {"max_active": 1, "active_policy": "queue"})
    move(portal, portal.b_id, g["id"])
    b = portal.b
    lonely = [f"magnet:?xt=urn:btih:{os.urandom(20).hex()}&dn=seul-{i}" for i in range(2)]
    first = sw.add_magnets(b, lonely[0]).json["results"][0]
    assert first["ok"] and "queued" not in first
    sw.wait_until(lambda: any(t["hash"] == first["hash"] and t["state"] == "metadata"
                              for t in sw.entries(b)), 20, what="first magnet active")
    second = sw.add_magnets(b, lonely[1]).json["results"][0]
    assert second["ok"] and "file d'attente" in second["queued"]["message"], second
    sw.wait_until(lambda: any(t["hash"] == second["hash"] and t["limit"] == {
        "state": "queued", "reason": ""} and t["state"] == "paused" for t in sw.entries(b)),
        20, what="second magnet queued and stopped")
    assert b.delete(f"/api/torrents/{first['hash']}?delete_files=true", csrf=True).status == 204
    sw.wait_until(lambda: any(t["hash"] == second["hash"] and t["limit"] is None and
                              t["state"] == "metadata" for t in sw.entries(b)), 30,
                  what="queued magnet started once the slot freed")

    g2 = group(portal, "Stricts", ALL, {"max_active": 1, "active_policy": "refuse"})
    move(portal, portal.b_id, g2["id"])
    refused = sw.add_magnets(b, f"magnet:?xt=urn:btih:{os.urandom(20).hex()}").json["results"][0]
    assert refused["error"]["code"] == "limit_active"


def test_audit_log_filters_and_pages(portal):
    adm = portal.admin
    for i in range(3):
        group(portal, f"Audit{i}", [])
    page1 = audit(portal, action="group.", per_page=2, page=1)
    page2 = audit(portal, action="group.", per_page=2, page=2)
    assert page1["total"] == 3 and len(page1["entries"]) == 2 and len(page2["entries"]) == 1
    assert [e["details"]["name"] for e in page1["entries"] + page2["entries"]] == \
        ["Audit2", "Audit1", "Audit0"]
    e = page1["entries"][0]
    assert e["actor_name"] == portal.server.admin_username and e["ip"] == "127.0.0.1"
    assert e["target_type"] == "group" and e["action"] == "group.create"
    assert "group.create" in page1["actions"]
    assert audit(portal, actor="personne")["total"] == 0
    assert audit(portal, action="group.create", **{"from": e["at"] + 3600})["total"] == 0
    # What an entry is about, by name as it is now (the journal shows names, not ids).
    assert e["target_name"] == "Audit2"
    assert adm.patch(f"/api/admin/users/{portal.a_id}", {"display_name": "Alice Renommée"},
                     csrf=True).status == 200
    renamed = audit(portal, action="user.update")["entries"]
    assert renamed and renamed[0]["target_name"] == "Alice Renommée", renamed
    assert adm.delete(f"/api/admin/groups/{e['target_id']}", csrf=True).status == 204
    gone = audit(portal, action="group.create", per_page=1)["entries"][0]
    assert gone["target_id"] == e["target_id"] and gone["target_name"] is None
    for method in ("PUT", "PATCH", "DELETE", "POST"):
        assert adm.request(method, "/api/admin/audit", {}, csrf=True).status == 405
