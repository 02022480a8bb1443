"""Notifications with a real qbittorrent-nox downloading from the local seeder: a completion is
notified exactly once — one row, one WebSocket event — including across kill -9 and restarts,
and when it happened while essaim was down; other events (removed by an admin, stopped by a
limit) reach the owner only."""

import pytest

import swarm as sw
from conftest import assert_error
from swarm import WebSocket

pytestmark = pytest.mark.timeout(150)


def cookie_of(browser) -> str:
    return "; ".join(f"{k}={v}" for k, v in browser.cookies.items())


def ws_for(portal, browser) -> WebSocket:
    return WebSocket(portal.server.port, cookie=cookie_of(browser))


def notes(browser) -> dict:
    res = browser.get("/api/notifications")
    assert res.status == 200, res
    return res.json


def completed_for(browser, h) -> list:
    return [n for n in notes(browser)["notifications"] if n["kind"] == "completed" and
            n["torrent_hash"] == h]


def kill_and_restart(portal, between=None) -> None:
    """kill -9 of essaim, then a start on the same data dir and port (sessions stay valid)."""
    old = portal.server
    old.kill()
    if between:
        between()
    portal.server = portal.factory.start(data_dir=old.data_dir, port=old.port, env=portal.env)
    for b in portal.browsers:
        b.server = portal.server
    sw.wait_link(portal.server, "ok")


def test_completion_is_notified_once_live_and_in_the_centre(portal):
    a_ws, b_ws = ws_for(portal, portal.a), ws_for(portal, portal.b)
    try:
        res = sw.add_magnets(portal.a, portal.swarm.magnets["sample-single"])
        h = res.json["results"][0]["hash"]
        msg, _ = a_ws.wait_for(lambda m: m.get("type") == "notification", 60)
        n = msg["notification"]
        assert n["kind"] == "completed" and n["torrent_hash"] == h and n["read_at"] is None
        assert n["torrent_name"] == "sample-single.bin"
        assert n["message"] == "« sample-single.bin » est entièrement téléchargé."
        assert msg["unread"] == 1
        # No second event, and nothing for B.
        later = a_ws.messages(4)
        assert not [m for m in later if m.get("type") == "notification"], later
        assert not [m for m in b_ws.messages(0.5) if m.get("type") == "notification"]
    finally:
        a_ws.close()
        b_ws.close()
    body = notes(portal.a)
    assert body["unread"] == 1 and len(completed_for(portal.a, h)) == 1
    assert notes(portal.b) == {"notifications": [], "unread": 0}
    t = next(t for t in sw.entries(portal.a) if t["hash"] == h)
    assert t["progress"] == 1

    nid = body["notifications"][0]["id"]
    assert portal.b.post("/api/notifications/read", {"ids": [nid]}, csrf=True).json["unread"] == 0
    assert notes(portal.a)["unread"] == 1  # B cannot mark A's
    assert portal.a.post("/api/notifications/read", {"ids": [nid]}, csrf=True).json == {"unread": 0}
    assert notes(portal.a)["notifications"][0]["read_at"] is not None
    assert_error(portal.a.post("/api/notifications/read", {"ids": ["x"]}, csrf=True), 400,
                 "invalid_json", "ids")
    assert portal.a.delete("/api/notifications").status == 403  # CSRF
    assert portal.a.delete("/api/notifications", csrf=True).status == 204
    assert notes(portal.a) == {"notifications": [], "unread": 0}


def test_kill_9_after_completion_and_restarts_never_notify_twice(portal):
    res = sw.add_magnets(portal.a, portal.swarm.magnets["sample-single"])
    h = res.json["results"][0]["hash"]
    sw.wait_until(lambda: len(completed_for(portal.a, h)) == 1, 60, what="completion notified")
    kill_and_restart(portal)
    kill_and_restart(portal)
    sw.wait_until(lambda: any(t["hash"] == h and t["progress"] == 1
                              for t in sw.entries(portal.a)), 20, what="torrent listed again")
    ws = ws_for(portal, portal.a)
    try:
        assert not [m for m in ws.messages(3) if m.get("type") == "notification"]
    finally:
        ws.close()
    assert len(completed_for(portal.a, h)) == 1


def test_completion_while_essaim_is_down_is_notified_once_when_it_comes_back(portal):
    s = portal.swarm
    path, _ = s.torrents["sample-multi"]
    res = sw.add_files(portal.a, [("multi.torrent", path.read_bytes())])
    h = res.json["results"][0]["hash"]
    s.main.wait_listed(h)

    def finish_meanwhile():
        s.main.wait_complete(h, 60)

    kill_and_restart(portal, between=finish_meanwhile)
    sw.wait_until(lambda: len(completed_for(portal.a, h)) == 1, 20,
                  what="completion notified after the restart")
    kill_and_restart(portal)
    ws = ws_for(portal, portal.a)
    try:
        assert not [m for m in ws.messages(3) if m.get("type") == "notification"]
    finally:
        ws.close()
    assert len(completed_for(portal.a, h)) == 1


def test_owner_is_told_when_an_admin_removes_their_torrent(portal):
    res = sw.add_magnets(portal.a, portal.swarm.magnets["sample-single"])
    h = res.json["results"][0]["hash"]
    sw.wait_until(lambda: len(completed_for(portal.a, h)) == 1, 60, what="completion")
    ws = ws_for(portal, portal.a)
    try:
        assert portal.admin.delete(f"/api/torrents/{h}?delete_files=true", csrf=True).status == 204
        msg, _ = ws.wait_for(lambda m: m.get("type") == "notification", 10)
    finally:
        ws.close()
    n = msg["notification"]
    assert n["kind"] == "removed" and n["torrent_hash"] == h
    assert "supprimé par" in n["message"] and "avec ses fichiers" in n["message"]
    assert notes(portal.b)["unread"] == 0


def test_owner_is_told_when_a_limit_stops_their_magnet(portal):
    res = portal.admin.post("/api/admin/groups", {
        "name": "Quota bas", "permissions": ["add_torrents", "add_magnets", "see_all"],
        "limits": {"quota_bytes": 1024 * 1024}}, csrf=True)
    assert portal.admin.patch(f"/api/admin/users/{portal.b_id}", {"group_id": res.json["id"]},
                              csrf=True).status == 200
    r = sw.add_magnets(portal.b, portal.swarm.magnets["sample-single"])
    h = r.json["results"][0]["hash"]
    sw.wait_until(lambda: any(n["kind"] == "limit_stopped" and n["torrent_hash"] == h
                              for n in notes(portal.b)["notifications"]), 40,
                  what="limit notification")
    n = next(n for n in notes(portal.b)["notifications"] if n["kind"] == "limit_stopped")
    assert "quota" in n["message"] and n["torrent_name"] == "sample-single.bin"
