"""Speed charts and the dashboard, fed by the sync loop (no extra request to qBittorrent):
history endpoints, the once-a-second WebSocket samples, and the dashboard's aggregates."""

import pytest

import swarm as sw
from conftest import assert_error
from swarm import WebSocket

pytestmark = pytest.mark.timeout(120)


def ws_for(portal, browser) -> WebSocket:
    return WebSocket(portal.server.port,
                     cookie="; ".join(f"{k}={v}" for k, v in browser.cookies.items()))


def test_speed_history_samples_and_dashboard(portal):
    s = portal.swarm
    ws = ws_for(portal, portal.a)
    try:
        res = sw.add_files(portal.a, [("multi.torrent", s.torrents["sample-multi"][0].read_bytes())])
        h = res.json["results"][0]["hash"]
        s.connect_to_seed(h)
        sw.wait_until(lambda: any(t["hash"] == h and t["progress"] == 1
                                  for t in sw.entries(portal.a)), 60, what="download")
        speeds = [m for m in ws.messages(3.5) if m.get("type") == "speed"]
    finally:
        ws.close()
    assert len(speeds) >= 2, speeds
    assert all(set(m) == {"type", "t", "dl", "up"} for m in speeds)
    steps = [b["t"] - a["t"] for a, b in zip(speeds, speeds[1:])]
    assert all(1 <= d <= 2 for d in steps), steps  # one a second, never a burst

    hist = portal.a.get("/api/stats/speed?range=10m").json
    assert hist["range"] == "10m" and hist["step"] == 1 and len(hist["samples"]) >= 3
    assert max(dl for _t, dl, _up in hist["samples"]) > 0  # the download shows in the history
    ts = [t for t, _dl, _up in hist["samples"]]
    assert ts == sorted(ts)
    for r, step in (("1h", 10), ("24h", 240)):
        assert portal.a.get(f"/api/stats/speed?range={r}").json["step"] == step
    assert_error(portal.a.get("/api/stats/speed?range=1an"), 422, "invalid_range", "range")
    per = portal.a.get(f"/api/torrents/{h}/speed").json
    assert per["hash"] == h and max(dl for _t, dl, _up in per["samples"]) > 0

    dash = portal.a.get("/api/dashboard").json
    assert dash["qbittorrent"] == "ok" and dash["free_space"] > 0
    assert dash["usage"]["torrents"] == 1 and dash["usage"]["disk_used"] > 0
    assert [n["torrent_hash"] for n in dash["recent_completions"]] == [h]
    assert "totals" not in dash
    admin = portal.admin.get("/api/dashboard").json
    totals = {t["id"]: t for t in admin["totals"]}
    assert totals[portal.a_id]["torrents"] == 1 and totals[portal.b_id]["torrents"] == 0


def test_charts_need_the_permission(portal):
    g = portal.admin.post("/api/admin/groups", {"name": "Sans graphiques",
                                                "permissions": ["see_all"]}, csrf=True).json
    assert portal.admin.patch(f"/api/admin/users/{portal.b_id}", {"group_id": g["id"]},
                              csrf=True).status == 200
    assert_error(portal.b.get("/api/stats/speed"), 403, "forbidden")
    ws = ws_for(portal, portal.b)
    try:
        assert not [m for m in ws.messages(2.5) if m.get("type") == "speed"]
    finally:
        ws.close()
    assert portal.b.get("/api/dashboard").status == 200
