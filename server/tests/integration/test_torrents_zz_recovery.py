"""Torrents 9: the main qBittorrent stops, then comes back; essaim keeps serving its last known
list (stale) and recovers by itself.

This module restarts the session's shared qBittorrent: its name sorts it after the other
test_torrents_* modules, and the swarm is left running (restarted) for anything after it."""

import time

import pytest

import swarm as sw
from swarm import WebSocket

pytestmark = pytest.mark.timeout(120)


def test_qbittorrent_stops_and_comes_back(portal):
    s, a = portal.swarm, portal.a
    h = s.torrents["sample-single"][1]
    r = sw.single_result(sw.add_magnets(a, s.magnets["sample-single"]))
    assert r["ok"], r
    sw.wait_entry(a, h, sw.is_seeding, 30, scope="mine")
    assert sw.listing(a)["stale"] is False

    ws = WebSocket(portal.server.port,
                   cookie="; ".join(f"{k}={v}" for k, v in a.cookies.items()))
    try:
        assert ws.recv_json(5)["qbittorrent"] == "ok"
        assert ws.recv_json(5)["full"] is True

        t_stop = time.monotonic()
        s.stop_main()
        t0 = time.monotonic()  # qBittorrent has exited: essaim must notice within 10 s
        print(f"main qBittorrent took {t0 - t_stop:.1f} s to exit")
        sw.wait_link(portal.server, "down", 10)
        body = sw.wait_until(lambda: (b := sw.listing(a))["qbittorrent"] == "down" and b, 2, 0.1,
                             "the list to say qbittorrent down")
        assert time.monotonic() - t0 <= 10.5
        assert body["stale"] is True, body
        assert isinstance(body["error"], str) and body["error"], body
        assert [t["hash"] for t in body["torrents"]] == [h], body  # last known list
        assert body["torrents"][0]["removed"] is False, body
        m, _ = ws.wait_for(lambda m: m.get("type") == "status", 5)
        assert m["qbittorrent"] == "down" and m["error"], m

        # It stays down a while (essaim's retry backoff grows), the list stays served.
        time.sleep(5)
        body = sw.listing(a)
        assert body["qbittorrent"] == "down" and body["stale"] is True, body
        assert [t["hash"] for t in body["torrents"]] == [h], body

        # Actions fail with a clear error while it is down.
        res = a.post(f"/api/torrents/{h}/pause", csrf=True)
        sw.assert_api_error(res, 503, "qbittorrent_unreachable")

        s.start_main()
        t1 = time.monotonic()
        sw.wait_link(portal.server, "ok", 30)
        assert time.monotonic() - t1 <= 30
        body = sw.wait_until(
            lambda: (b := sw.listing(a))["stale"] is False and b["qbittorrent"] == "ok" and b,
            5, 0.2, "a fresh list")
        assert body["error"] is None, body
        assert [t["hash"] for t in body["torrents"]] == [h], body
        m, _ = ws.wait_for(lambda m: m.get("type") == "status" and m["qbittorrent"] == "ok", 10)
        assert m["error"] is None, m
    finally:
        ws.close()
    t = sw.wait_entry(a, h, sw.is_seeding, 30, scope="mine",
                      what="the torrent seeding again, still A's")
    assert t["removed"] is False and t["can_act"] is True, t
    res = a.post(f"/api/torrents/{h}/pause", csrf=True)
    assert res.status == 204, res
